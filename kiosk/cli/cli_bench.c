/*
 * cli_bench: `kiosk bench startup`: time from process start to the first
 * presented frame, on the configured library and on a generated library
 * of N items, each as the median of several runs, with the ratio against
 * a bare SDL program (window, renderer, one cleared frame) started the
 * same way in the same run, so the figure means something on a noisy
 * shared machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>

#include "base/log.h"
#include "base/util.h"
#include "cli/cli.h"
#include "kiosk_build.h"
#include "media/movie.h"

extern char **environ;

/* Start argv, wait for the line "first-frame" on its stdout; return the
 * milliseconds from spawn to that line, or -1. */
static double time_to_first_frame(char *const *argv)
{
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	struct timespec ts0;
	clock_gettime(CLOCK_MONOTONIC, &ts0);
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		fprintf(stderr, "kiosk bench: cannot start %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	char buf[256];
	size_t len = 0;
	double ms = -1;
	for (;;) {
		ssize_t n = read(fds[0], buf + len, sizeof buf - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "first-frame")) {
			struct timespec ts1;
			clock_gettime(CLOCK_MONOTONIC, &ts1);
			ms = (double)(ts1.tv_sec - ts0.tv_sec) * 1000.0 +
			     (double)(ts1.tv_nsec - ts0.tv_nsec) / 1e6;
			break;
		}
		if (len == sizeof buf - 1)
			len = 0;
	}
	close(fds[0]);
	int status;
	waitpid(pid, &status, 0);
	return ms;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median_run(char *const *argv, int runs)
{
	double *t = xcalloc((size_t)runs, sizeof *t);
	int ok = 0;
	for (int i = 0; i < runs; i++) {
		double ms = time_to_first_frame(argv);
		if (ms >= 0)
			t[ok++] = ms;
	}
	double m = -1;
	if (ok) {
		qsort(t, (size_t)ok, sizeof *t, cmp_double);
		m = t[ok / 2];
	}
	free(t);
	return m;
}

/* The reference: what any SDL program pays before its first frame. */
static int bench_bare(void)
{
	if (SDL_Init(SDL_INIT_VIDEO) != 0)
		return 1;
	SDL_Window *w = SDL_CreateWindow("bare", SDL_WINDOWPOS_CENTERED,
					 SDL_WINDOWPOS_CENTERED, 1280, 720, SDL_WINDOW_SHOWN);
	SDL_Renderer *r = w ? SDL_CreateRenderer(w, -1, SDL_RENDERER_ACCELERATED |
						 SDL_RENDERER_PRESENTVSYNC) : NULL;
	if (!r && w)
		r = SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE);
	if (!r)
		return 1;
	SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
	SDL_RenderClear(r);
	SDL_RenderPresent(r);
	printf("first-frame\n");
	fflush(stdout);
	SDL_DestroyRenderer(r);
	SDL_DestroyWindow(w);
	SDL_Quit();
	return 0;
}

static double rusage_cpu_s(const struct rusage *ru)
{
	return (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
	       (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
}

/* CPU seconds the ffmpeg tool needs to decode path to null (the same
 * decoders, threads chosen the same way: automatically). -1 on failure. */
static double ffmpeg_decode_cpu_s(const char *path)
{
	char *argv[] = { "ffmpeg", "-nostdin", "-v", "error", "-threads", "0",
			 "-i", (char *)path, "-an", "-f", "null", "-", NULL };
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int rc = posix_spawnp(&pid, "ffmpeg", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return rusage_cpu_s(&ru);
}

/* Decode every frame of path as fast as possible, upload it to a
 * streaming texture and (when present) draw and present it, on an
 * offscreen window. Returns CPU seconds of this process (all threads),
 * with *frames and *wall_s; -1 on failure. */
static double kiosk_play_cpu_s(const char *path, bool present, long *frames,
			       double *wall_s)
{
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "kiosk bench: SDL: %s\n", SDL_GetError());
		return -1;
	}
	SDL_Window *w = SDL_CreateWindow("bench", 0, 0, 1280, 720, SDL_WINDOW_HIDDEN);
	SDL_Renderer *r = w ? SDL_CreateRenderer(w, -1, 0) : NULL;
	if (!r) {
		fprintf(stderr, "kiosk bench: no renderer: %s\n", SDL_GetError());
		SDL_Quit();
		return -1;
	}
	SDL_RendererInfo info;
	if (present && SDL_GetRendererInfo(r, &info) == 0)
		printf("  renderer: %s\n", info.name);
	struct movie_options opt = { .mute = true, .unclocked = true };
	char err[256];
	struct rusage a, b;
	getrusage(RUSAGE_SELF, &a);
	int64_t t0 = time_mono_ms();
	struct movie *m = movie_open(path, &opt, err, sizeof err);
	if (!m) {
		fprintf(stderr, "kiosk bench: %s\n", err);
		SDL_DestroyRenderer(r);
		SDL_DestroyWindow(w);
		SDL_Quit();
		return -1;
	}
	SDL_Texture *tex = NULL;
	*frames = 0;
	while (!movie_finished(m) && !movie_failed(m, NULL, 0)) {
		if (movie_update_texture(m, r, &tex)) {
			(*frames)++;
			if (present) {
				SDL_RenderCopy(r, tex, NULL, NULL);
				SDL_RenderPresent(r);
			}
		} else {
			SDL_Delay(1);
		}
	}
	movie_close(m);
	*wall_s = (double)(time_mono_ms() - t0) / 1000.0;
	getrusage(RUSAGE_SELF, &b);
	if (tex)
		SDL_DestroyTexture(tex);
	SDL_DestroyRenderer(r);
	SDL_DestroyWindow(w);
	SDL_Quit();
	return rusage_cpu_s(&b) - rusage_cpu_s(&a);
}

/* kiosk bench play [FILE]: throughput against the ffmpeg tool. */
static int bench_play(const char *file)
{
	if (!getenv("SDL_VIDEODRIVER"))
		setenv("SDL_VIDEODRIVER", "offscreen", 1);
	char tmpl[] = "/tmp/kiosk-bench-XXXXXX";
	char *made = NULL;
	if (!file) {
		if (!mkdtemp(tmpl)) {
			fprintf(stderr, "kiosk bench: no temporary directory: %s\n", strerror(errno));
			return 1;
		}
		made = path_join(tmpl, "clip-1080p30.mp4");
		printf("generating a 20 s 1080p30 H.264 clip ...\n");
		fflush(stdout);
		char *cmd = xasprintf("ffmpeg -nostdin -v error -y -f lavfi "
				      "-i testsrc2=s=1920x1080:r=30 -t 20 -c:v libx264 "
				      "-preset veryfast -pix_fmt yuv420p '%s'", made);
		int rc = system(cmd);
		free(cmd);
		if (rc != 0) {
			fprintf(stderr, "kiosk bench: ffmpeg could not make the clip\n");
			free(made);
			return 1;
		}
		file = made;
	}
	double ref = ffmpeg_decode_cpu_s(file);
	long frames = 0, frames_up = 0;
	double wall = 0, wall_up = 0;
	double up = kiosk_play_cpu_s(file, false, &frames_up, &wall_up);
	double ours = kiosk_play_cpu_s(file, true, &frames, &wall);
	printf("throughput, %s (%s driver, no clock)\n", file, getenv("SDL_VIDEODRIVER"));
	printf("  ffmpeg -f null (reference):  %.2f s CPU\n", ref);
	printf("  kiosk decode + upload:       %.2f s CPU, %ld frames in %.2f s  ratio %.2f\n",
	       up, frames_up, wall_up, ref > 0 ? up / ref : 0);
	printf("  kiosk decode + upload + present: %.2f s CPU, %ld frames in %.2f s  ratio %.2f"
	       " (target <= 1.15)\n", ours, frames, wall, ref > 0 ? ours / ref : 0);
	if (made) {
		unlink(made);
		rmdir(tmpl);
		free(made);
	}
	return ref > 0 && ours > 0 && up > 0 ? 0 : 1;
}

static void bench_usage(FILE *out)
{
	fputs("Usage: kiosk bench startup [--items N] [--runs R]\n"
	      "       kiosk bench play [FILE]\n"
	      "  Time from process start to the first presented frame, on the\n"
	      "  configured library and on a generated library of N items\n"
	      "  (default 1000), median of R runs (default 7), with the ratio\n"
	      "  against a bare SDL program started the same way.\n"
	      "  play: CPU time to decode and present every frame of FILE (default:\n"
	      "  a generated 1080p30 H.264 clip) with no clock, against the ffmpeg\n"
	      "  tool decoding the same file to null.\n", out);
}

int cli_bench_main(struct kiosk_config *cfg, int argc, char **argv)
{
	int items = 1000, runs = 7;
	const char *what = NULL;
	const char *play_file = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			bench_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--items") && i + 1 < argc) {
			items = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			runs = atoi(argv[++i]);
		} else if (!what) {
			what = argv[i];
		} else if (!strcmp(what, "play") && !play_file) {
			play_file = argv[i];
		} else {
			bench_usage(stderr);
			return 2;
		}
	}
	if (what && !strcmp(what, "bare"))
		return bench_bare();
	if (what && !strcmp(what, "play"))
		return bench_play(play_file);
	if (!what || strcmp(what, "startup") != 0 || items < 1 || runs < 1) {
		bench_usage(stderr);
		return 2;
	}
	if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY") && !getenv("SDL_VIDEODRIVER"))
		setenv("SDL_VIDEODRIVER", "offscreen", 1);
	if (!getenv("SDL_AUDIODRIVER"))
		setenv("SDL_AUDIODRIVER", "dummy", 1);

	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		fprintf(stderr, "kiosk bench: cannot find my own program\n");
		return 1;
	}
	exe[n] = '\0';

	char tmpl[] = "/tmp/kiosk-bench-XXXXXX";
	if (!mkdtemp(tmpl)) {
		fprintf(stderr, "kiosk bench: cannot make a temporary directory: %s\n",
			strerror(errno));
		return 1;
	}
	char *data = path_join(tmpl, "data");
	char *lib = path_join(tmpl, "library");
	char nbuf[16];
	snprintf(nbuf, sizeof nbuf, "%d", items);
	char *script = path_join(KIOSK_SOURCE_DIR, "tests/bench/make-library.sh");
	char *gen_cmd = xasprintf("bash '%s' '%s' %d >/dev/null", script, lib, items);
	printf("generating a library of %d items ...\n", items);
	fflush(stdout);
	int gen_rc = system(gen_cmd);
	free(gen_cmd);

	char *bare_argv[] = { exe, "bench", "bare", NULL };
	char *demo_argv[] = { exe, "run", "--window", "1280x720", "--exit-after-first-frame",
			      "--content", cfg->content_dir, "--data", data, NULL };
	char *big_argv[] = { exe, "run", "--window", "1280x720", "--exit-after-first-frame",
			     "--content", lib, "--data", data, NULL };

	printf("video driver: %s; %d runs each, median\n",
	       getenv("SDL_VIDEODRIVER") ? getenv("SDL_VIDEODRIVER") : "default", runs);
	double bare = median_run(bare_argv, runs);
	double demo = median_run(demo_argv, runs);
	double big = gen_rc == 0 ? median_run(big_argv, runs) : -1;
	printf("%-34s %8s %8s %8s\n", "startup to first frame", "ms", "target", "x bare");
	printf("%-34s %8.1f %8s %8s\n", "bare SDL window (reference)", bare, "-", "1.00");
	printf("%-34s %8.1f %8s %8.2f\n", "demo library", demo, "300", bare > 0 ? demo / bare : 0);
	if (big >= 0)
		printf("%-34s %8.1f %8s %8.2f\n", "generated library", big, "800",
		       bare > 0 ? big / bare : 0);
	else
		printf("generated library: %s failed\n", script);
	printf("(library of %d items at %s)\n", items, lib);
	int rc = (demo >= 0 && big >= 0) ? 0 : 1;
	char *rm = xasprintf("rm -rf '%s'", tmpl);
	if (system(rm) != 0)
		log_warn("%s: could not remove", tmpl);
	free(rm);
	free(script);
	free(data);
	free(lib);
	return rc;
}
