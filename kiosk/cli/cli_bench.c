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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>

#include "base/log.h"
#include "base/util.h"
#include "cli/cli.h"
#include "kiosk_build.h"

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

static void bench_usage(FILE *out)
{
	fputs("Usage: kiosk bench startup [--items N] [--runs R]\n"
	      "  Time from process start to the first presented frame, on the\n"
	      "  configured library and on a generated library of N items\n"
	      "  (default 1000), median of R runs (default 7), with the ratio\n"
	      "  against a bare SDL program started the same way.\n", out);
}

int cli_bench_main(struct kiosk_config *cfg, int argc, char **argv)
{
	int items = 1000, runs = 7;
	const char *what = NULL;
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
		} else {
			bench_usage(stderr);
			return 2;
		}
	}
	if (what && !strcmp(what, "bare"))
		return bench_bare();
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
