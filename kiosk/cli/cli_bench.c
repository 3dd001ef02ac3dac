/*
 * cli_bench: the kiosk's benchmarks, each printed beside a reference
 * measured in the same run, so the figures mean something on a noisy
 * shared machine.
 *
 *   startup   time from process start to the first presented frame, on
 *             the configured library and on a generated library of N
 *             items, median of several runs, against a bare SDL program
 *             (window, renderer, one cleared frame) started the same way;
 *   play      CPU to decode and present every frame with no clock,
 *             against the ffmpeg tool decoding to null;
 *   realtime  playback in real time with sound, as the viewer plays it:
 *             frames dropped, audio underruns, A/V offset, CPU and peak
 *             RSS, against `ffmpeg -re` and (when installed) mpv.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
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
#include "cli/bench.h"
#include "cli/cli.h"
#include "kiosk_build.h"
#include "media/movie.h"
#include "ui/draw.h"

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

/* Close fd when it is open. */
static void close_fd(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* A pipe whose ends close on exec. */
static bool pipe_cloexec(int fds[2])
{
	if (pipe(fds) != 0)
		return false;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return true;
}

/* What run_child and run_child_into do: out_path, text_out, missing as
 * they take them (NULL when not wanted). */
static int child_run(char *const *argv, const char *out_path, char **text_out,
		     struct child_usage *use, bool *missing)
{
	if (missing)
		*missing = false;
	int out_fd = -1;                /* the file, or the pipe's write end */
	int text_fd = -1;               /* the pipe's read end */
	int exec_fds[2] = { -1, -1 };   /* the child's errno when it cannot exec */
	if (out_path) {
		out_fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (out_fd < 0) {
			fprintf(stderr, "kiosk bench: %s: %s\n", out_path, strerror(errno));
			return -1;
		}
	} else if (text_out) {
		int fds[2];
		if (!pipe_cloexec(fds)) {
			fprintf(stderr, "kiosk bench: no pipe: %s\n", strerror(errno));
			return -1;
		}
		text_fd = fds[0];
		out_fd = fds[1];
	}
	if (!pipe_cloexec(exec_fds)) {
		fprintf(stderr, "kiosk bench: no pipe: %s\n", strerror(errno));
		close_fd(out_fd);
		close_fd(text_fd);
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	int64_t t0 = time_mono_ms();
	pid_t pid = fork();
	if (pid == 0) {
		/* only async-signal-safe calls from here to the exec */
		int in = open("/dev/null", O_RDONLY);
		int out = out_fd >= 0 ? out_fd : open("/dev/null", O_WRONLY);
		if (in >= 0 && out >= 0 && dup2(in, 0) >= 0 && dup2(out, 1) >= 0 &&
		    (out_fd < 0 || dup2(out, 2) >= 0))
			execvp(argv[0], argv);
		int e = errno;
		ssize_t n = write(exec_fds[1], &e, sizeof e);
		(void)n;
		_exit(127);
	}
	int fork_errno = errno;
	close(exec_fds[1]);
	close_fd(out_fd);
	if (pid < 0) {
		fprintf(stderr, "kiosk bench: cannot start %s: %s\n", argv[0],
			strerror(fork_errno));
		close(exec_fds[0]);
		close_fd(text_fd);
		return -1;
	}
	/* end of file once the exec closed the pipe; an errno if it failed */
	int exec_errno = 0;
	ssize_t got;
	while ((got = read(exec_fds[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
	}
	close(exec_fds[0]);
	bool started = got != (ssize_t)sizeof exec_errno;

	char *buf = NULL;
	if (text_fd >= 0) {
		size_t len = 0, cap = 4096;
		buf = xmalloc(cap);
		for (;;) {
			if (cap - len < 1024)
				buf = xrealloc(buf, cap *= 2);
			ssize_t n = read(text_fd, buf + len, cap - len - 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			len += (size_t)n;
		}
		buf[len] = '\0';
		close(text_fd);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			free(buf);
			return -1;
		}
	}
	if (!started) {
		free(buf);
		if (missing && exec_errno == ENOENT && !strchr(argv[0], '/'))
			*missing = true;
		else
			fprintf(stderr, "kiosk bench: cannot start %s: %s\n", argv[0],
				strerror(exec_errno));
		return -1;
	}
	if (text_out)
		*text_out = buf;
	use->wall_s = (double)(time_mono_ms() - t0) / 1000.0;
	use->cpu_s = rusage_cpu_s(&ru);
	use->peak_rss_mb = (double)ru.ru_maxrss / 1024.0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int run_child(char *const *argv, char **err_out, struct child_usage *use)
{
	return child_run(argv, NULL, err_out, use, NULL);
}

int run_child_into(char *const *argv, const char *out_path, struct child_usage *use,
		   bool *missing)
{
	return child_run(argv, out_path, NULL, use, missing);
}

/* CPU seconds the ffmpeg tool needs to decode path to null (the same
 * decoders, threads chosen the same way: automatically). -1 on failure. */
static double ffmpeg_decode_cpu_s(const char *path)
{
	char *argv[] = { "ffmpeg", "-nostdin", "-v", "error", "-threads", "0",
			 "-i", (char *)path, "-an", "-f", "null", "-", NULL };
	struct child_usage use;
	return run_child(argv, NULL, &use) == 0 ? use.cpu_s : -1;
}

/* Make a temporary directory from tmpl (a mkdtemp template, changed in
 * place) and generate in it a clip of the given length: 1080p30 H.264
 * (libx264 veryfast, yuv420p) of a moving test pattern, with AAC 48 kHz
 * stereo sound when audio. Returns its path, which the caller hands
 * back to bench_file_remove, or NULL with the reason on stderr. */
static char *bench_clip_make(char *tmpl, int seconds, bool audio)
{
	if (!bench_tmpdir(tmpl))
		return NULL;
	char *path = path_join(tmpl, audio ? "clip-1080p30-aac.mp4" : "clip-1080p30.mp4");
	printf("generating a %d s 1080p30 H.264%s clip ...\n", seconds,
	       audio ? " + AAC 48 kHz stereo" : "");
	fflush(stdout);
	char *cmd = xasprintf("ffmpeg -nostdin -v error -y -f lavfi "
			      "-i testsrc2=s=1920x1080:r=30 %s-t %d -c:v libx264 "
			      "-preset veryfast -pix_fmt yuv420p %s'%s'",
			      audio ? "-f lavfi -i sine=frequency=440:sample_rate=48000 " : "",
			      seconds,
			      audio ? "-c:a aac -ar 48000 -ac 2 " : "", path);
	int rc = system(cmd);
	free(cmd);
	if (rc != 0) {
		fprintf(stderr, "kiosk bench: ffmpeg could not make the clip\n");
		unlink(path);
		rmdir(tmpl);
		free(path);
		return NULL;
	}
	return path;
}

bool bench_tmpdir(char *tmpl)
{
	if (mkdtemp(tmpl))
		return true;
	fprintf(stderr, "kiosk bench: no temporary directory: %s\n", strerror(errno));
	return false;
}

void bench_file_remove(char *tmpl, char *path)
{
	if (!path)
		return;
	unlink(path);
	rmdir(tmpl);
	free(path);
}

/* The window and renderer the playback benchmarks draw with: on the
 * offscreen driver (no display, no GPU to be had) SDL's software renderer
 * with no GL window surface, unless SDL_RENDER_DRIVER names another; the
 * renderer the app asks for otherwise. Mesa's software OpenGL would
 * otherwise be measured along with the player (see the README). Call
 * after SDL_Init. NULL with a message on stderr on failure. */
static SDL_Renderer *bench_window(SDL_Window **w)
{
	const char *drv = SDL_GetCurrentVideoDriver();
	bool headless = drv && strcmp(drv, "offscreen") == 0 &&
			!getenv("SDL_RENDER_DRIVER");
	if (headless)
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	*w = SDL_CreateWindow("bench", SDL_WINDOWPOS_UNDEFINED,
			      SDL_WINDOWPOS_UNDEFINED, 1280, 720, SDL_WINDOW_HIDDEN);
	if (!*w) {
		fprintf(stderr, "kiosk bench: no window: %s\n", SDL_GetError());
		return NULL;
	}
	SDL_Renderer *r = headless ? NULL
				   : SDL_CreateRenderer(*w, -1, SDL_RENDERER_ACCELERATED |
								SDL_RENDERER_PRESENTVSYNC);
	if (!r)
		r = SDL_CreateRenderer(*w, -1, SDL_RENDERER_SOFTWARE);
	if (!r) {
		fprintf(stderr, "kiosk bench: no renderer: %s\n", SDL_GetError());
		SDL_DestroyWindow(*w);
		*w = NULL;
	}
	return r;
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
	SDL_Window *w;
	SDL_Renderer *r = bench_window(&w);
	if (!r) {
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
		made = bench_clip_make(tmpl, 20, false);
		if (!made)
			return 1;
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
	bench_file_remove(tmpl, made);
	return ref > 0 && ours > 0 && up > 0 ? 0 : 1;
}

/* ---- kiosk bench realtime ------------------------------------------------ */

/* The longest the loop sleeps without looking at the player (the app's
 * APP_POLL_SLICE_MS). */
#define RT_WAIT_SLICE_MS 10

/* What one real-time playback by the player measured. */
struct rt_result {
	struct movie_stats st;  /* at the end */
	long presented;         /* frames this loop drew and presented */
	long wakeups;           /* passes of the loop */
	double *offsets_s;      /* st.av_offset_s after each presented frame */
	size_t n_offsets;
	double duration_s;      /* of the file, 0 if unknown */
	double wall_s;          /* movie_open to the end */
	double cpu_s;           /* this process, all threads, same span */
	double peak_rss_mb;     /* ru_maxrss of this process at the end */
	double setup_rss_mb;    /* the same before movie_open: SDL, window,
				 * renderer, one frame presented */
	bool has_audio;
	char decoder[128];      /* movie_video_decoder */
	char renderer[32];
};

/* Wait up to timeout_ms (-1: no picture is waiting) for an event the way
 * the app does (app.c, wait_event): in SDL_WaitEventTimeout where the
 * driver blocks in the kernel (x11, wayland), elsewhere (offscreen,
 * KMSDRM) a poll and then a sleep; never longer than RT_WAIT_SLICE_MS,
 * and only a poll when a picture is due now. Events are dropped. */
static void rt_wait(bool can_block, int timeout_ms)
{
	SDL_Event ev;
	if (timeout_ms < 0)
		timeout_ms = RT_WAIT_SLICE_MS;
	if (timeout_ms == 0) {
		while (SDL_PollEvent(&ev)) {
		}
		return;
	}
	if (timeout_ms > RT_WAIT_SLICE_MS)
		timeout_ms = RT_WAIT_SLICE_MS;
	if (can_block) {
		SDL_WaitEventTimeout(&ev, timeout_ms);
		return;
	}
	if (!SDL_PollEvent(&ev))
		SDL_Delay((Uint32)timeout_ms);
}

/* Play path once, clocked and with sound, on a hidden 1280x720 window, as
 * the viewer scene does: pump events; when movie_update_texture has a new
 * picture, draw it letterboxed, present it and record the player's A/V
 * offset; otherwise wait for movie_next_frame_delay_ms. Fills *res (the
 * caller frees res->offsets_s). Returns false when playback could not
 * start, failed or never ended, with the reason on stderr. */
static bool kiosk_realtime(const char *path, struct rt_result *res)
{
	memset(res, 0, sizeof *res);
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		fprintf(stderr, "kiosk bench: SDL: %s\n", SDL_GetError());
		return false;
	}
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		fprintf(stderr, "kiosk bench: no audio: %s\n", SDL_GetError());
		SDL_Quit();
		return false;
	}
	bool ok = false;
	SDL_Renderer *r = NULL;
	SDL_Texture *tex = NULL;
	struct movie *m = NULL;
	SDL_Window *w = NULL;
	r = bench_window(&w);
	if (!r)
		goto out;
	SDL_RendererInfo info;
	snprintf(res->renderer, sizeof res->renderer, "%s",
		 SDL_GetRendererInfo(r, &info) == 0 ? info.name : "?");
	const char *drv = SDL_GetCurrentVideoDriver();
	bool can_block = drv && (!strcmp(drv, "x11") || !strcmp(drv, "wayland"));
	SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
	SDL_RenderClear(r);
	SDL_RenderPresent(r);

	/* what the viewer passes, at full volume */
	struct movie_options opt = { .loop = false, .mute = false, .volume = 1.0 };
	char err[256];
	struct rusage ru0, ru1;
	getrusage(RUSAGE_SELF, &ru0);
	res->setup_rss_mb = (double)ru0.ru_maxrss / 1024.0;
	int64_t t0 = time_mono_ms();
	m = movie_open(path, &opt, err, sizeof err);
	if (!m) {
		fprintf(stderr, "kiosk bench: %s\n", err);
		goto out;
	}
	res->has_audio = movie_has_audio(m);
	res->duration_s = movie_duration_s(m);
	/* a player that neither ends nor fails is a failure too */
	int64_t limit_ms = (int64_t)((res->duration_s > 0 ? res->duration_s : 600) * 2000) + 30000;
	size_t cap = 0;
	bool failed = false, timed_out = false;
	while (!movie_finished(m)) {
		if (movie_failed(m, err, sizeof err)) {
			failed = true;
			break;
		}
		if (time_mono_ms() - t0 > limit_ms) {
			timed_out = true;
			break;
		}
		res->wakeups++;
		SDL_PumpEvents();
		if (movie_update_texture(m, r, &tex)) {
			int vw, vh, ow, oh;
			movie_display_size(m, &vw, &vh);
			if (SDL_GetRendererOutputSize(r, &ow, &oh) != 0) {
				ow = 1280;
				oh = 720;
			}
			SDL_Rect box = { 0, 0, ow, oh };
			SDL_Rect dst = rect_fit(vw, vh, &box);
			SDL_RenderClear(r);
			SDL_RenderCopy(r, tex, NULL, &dst);
			SDL_RenderPresent(r);
			res->presented++;
			struct movie_stats st;
			movie_stats(m, &st);
			if (res->n_offsets == cap) {
				cap = cap ? cap * 2 : 4096;
				res->offsets_s = xrealloc(res->offsets_s, cap * sizeof *res->offsets_s);
			}
			res->offsets_s[res->n_offsets++] = st.av_offset_s;
		} else {
			rt_wait(can_block, movie_next_frame_delay_ms(m));
		}
	}
	movie_stats(m, &res->st);
	/* known once the video thread has opened its decoder; at the end it
	 * also says whether a hardware decoder fell back to software */
	snprintf(res->decoder, sizeof res->decoder, "%s", movie_video_decoder(m));
	movie_close(m);
	m = NULL;
	res->wall_s = (double)(time_mono_ms() - t0) / 1000.0;
	getrusage(RUSAGE_SELF, &ru1);
	res->cpu_s = rusage_cpu_s(&ru1) - rusage_cpu_s(&ru0);
	res->peak_rss_mb = (double)ru1.ru_maxrss / 1024.0;
	if (failed)
		fprintf(stderr, "kiosk bench: playback failed: %s\n", err);
	else if (timed_out)
		fprintf(stderr, "kiosk bench: playback did not end after %.0f s\n",
			(double)limit_ms / 1000.0);
	ok = !failed && !timed_out;
out:
	movie_close(m);
	if (tex)
		SDL_DestroyTexture(tex);
	if (r)
		SDL_DestroyRenderer(r);
	if (w)
		SDL_DestroyWindow(w);
	SDL_Quit();
	return ok;
}

/* The value below which p percent of the n sorted values lie (nearest
 * rank); 0 when n is 0. */
static double percentile(const double *sorted, size_t n, double p)
{
	if (n == 0)
		return 0;
	size_t rank = (size_t)ceil(p / 100.0 * (double)n);
	return sorted[rank > 0 ? rank - 1 : 0];
}

/* Whether name is an executable file in a directory of $PATH. */
static bool on_path(const char *name)
{
	const char *p = getenv("PATH");
	if (!p)
		return false;
	char *dirs = xstrdup(p), *save = NULL;
	bool found = false;
	for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *f = path_join(*d ? d : ".", name);
		found = access(f, X_OK) == 0;
		free(f);
	}
	free(dirs);
	return found;
}

/* The mpv reference: its usage and, from its final status line, the
 * frames its video output and its decoder dropped and its last A/V
 * difference. */
struct mpv_ref {
	int rc;                 /* exit status, -1 did not run */
	struct child_usage use;
	bool parsed;            /* the status line was found */
	long vo_drops, dec_drops;
	double avsync_s;
};

/* Play path with mpv as the reference: software decoding (its default),
 * null video output, null audio output (timed, so audio is the master as
 * in the kiosk), no config files. */
static void mpv_realtime(const char *path, struct mpv_ref *ref)
{
	char *argv[] = { "mpv", "--no-config", "--vo=null", "--ao=null",
			 "--msg-level=all=error,statusline=status",
			 "--term-status-msg=KIOSK-BENCH vo=${frame-drop-count} "
			 "dec=${decoder-frame-drop-count} avsync=${avsync}",
			 (char *)path, NULL };
	char *err = NULL;
	memset(ref, 0, sizeof *ref);
	ref->rc = run_child(argv, &err, &ref->use);
	/* the last status line is the state at the end */
	const char *last = NULL;
	for (const char *p = err; p && (p = strstr(p, "KIOSK-BENCH ")); p++)
		last = p;
	if (last && sscanf(last, "KIOSK-BENCH vo=%ld dec=%ld avsync=%lf", &ref->vo_drops,
			   &ref->dec_drops, &ref->avsync_s) == 3)
		ref->parsed = true;
	if (ref->rc != 0 && err && *err)
		fprintf(stderr, "kiosk bench: mpv: %s%s", err,
			err[strlen(err) - 1] == '\n' ? "" : "\n");
	free(err);
}

/* kiosk bench realtime [FILE]: real-time playback against `ffmpeg -re`
 * and mpv. Exit status 1 only when the kiosk's playback failed. */
static int bench_realtime(const char *file)
{
	if (!getenv("SDL_VIDEODRIVER"))
		setenv("SDL_VIDEODRIVER", "offscreen", 1);
	if (!getenv("SDL_AUDIODRIVER"))
		setenv("SDL_AUDIODRIVER", "dummy", 1);
	char tmpl[] = "/tmp/kiosk-bench-XXXXXX";
	char *made = NULL;
	if (!file) {
		made = bench_clip_make(tmpl, 60, true);
		if (!made)
			return 1;
		file = made;
	} else if (access(file, R_OK) != 0) {
		fprintf(stderr, "kiosk bench: %s: %s\n", file, strerror(errno));
		return 1;
	}
	printf("real-time playback of %s\n", file);
	/* The references first: a forked child's ru_maxrss starts from the
	 * resident memory it shares with this process at the fork
	 * (run_child), so they start while this process is still small (its
	 * peak RSS now bounds their floor). */
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double floor_mb = (double)ru.ru_maxrss / 1024.0;
	printf("  ffmpeg -re -f null ...\n");
	fflush(stdout);
	char *ff_argv[] = { "ffmpeg", "-nostdin", "-v", "error", "-re", "-i", (char *)file,
			    "-f", "null", "-", NULL };
	struct child_usage ff;
	int ff_rc = run_child(ff_argv, NULL, &ff);

	bool have_mpv = on_path("mpv");
	struct mpv_ref mpv = { .rc = -1 };
	if (have_mpv) {
		printf("  mpv --vo=null --ao=null ...\n");
		fflush(stdout);
		mpv_realtime(file, &mpv);
	}

	printf("  kiosk ...\n");
	fflush(stdout);
	struct rt_result k;
	bool ok = kiosk_realtime(file, &k);

	size_t n = k.n_offsets;
	double *abs_s = xcalloc(n ? n : 1, sizeof *abs_s);
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		abs_s[i] = fabs(k.offsets_s[i]);
		sum += k.offsets_s[i];
	}
	qsort(abs_s, n, sizeof *abs_s, cmp_double);
	double p50_ms = percentile(abs_s, n, 50) * 1000.0;
	double p99_ms = percentile(abs_s, n, 99) * 1000.0;
	double max_ms = n ? abs_s[n - 1] * 1000.0 : 0;
	double mean_ms = n ? sum / (double)n * 1000.0 : 0;
	double last_ms = n ? k.offsets_s[n - 1] * 1000.0 : 0;
	free(abs_s);

	const char *vdrv = SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver()
						       : getenv("SDL_VIDEODRIVER");
	printf("\nreal-time playback, %s (%.1f s)\n", file, k.duration_s);
	printf("  video: %s driver, %s renderer, decoder: %s\n", vdrv ? vdrv : "?",
	       k.renderer[0] ? k.renderer : "?", k.decoder[0] ? k.decoder : "-");
	printf("  audio: %s driver, %s\n", getenv("SDL_AUDIODRIVER"),
	       k.has_audio ? "audio clock is the master" : "NO AUDIO: wall clock");
	if (!ok)
		printf("  KIOSK PLAYBACK FAILED (figures up to the failure)\n");

	char ff_wall[16] = "failed", ff_cpu[16] = "-", ff_rss[16] = "-";
	if (ff_rc == 0) {
		snprintf(ff_wall, sizeof ff_wall, "%.1f", ff.wall_s);
		snprintf(ff_cpu, sizeof ff_cpu, "%.1f", ff.cpu_s);
		snprintf(ff_rss, sizeof ff_rss, "%.0f", ff.peak_rss_mb);
	}
	char mv_drop[24] = "-", mv_sync[16] = "-", mv_wall[16] = "-", mv_cpu[16] = "-",
	     mv_rss[16] = "-";
	if (!have_mpv) {
		snprintf(mv_wall, sizeof mv_wall, "absent");
	} else if (mpv.rc != 0) {
		snprintf(mv_wall, sizeof mv_wall, "failed");
	} else {
		if (mpv.parsed) {
			snprintf(mv_drop, sizeof mv_drop, "%ld+%ld", mpv.vo_drops, mpv.dec_drops);
			snprintf(mv_sync, sizeof mv_sync, "%+.1f", mpv.avsync_s * 1000.0);
		}
		snprintf(mv_wall, sizeof mv_wall, "%.1f", mpv.use.wall_s);
		snprintf(mv_cpu, sizeof mv_cpu, "%.1f", mpv.use.cpu_s);
		snprintf(mv_rss, sizeof mv_rss, "%.0f", mpv.use.peak_rss_mb);
	}
	/* a verdict only on a playback that ran to the end */
	const char *drop_t = !ok ? "0" : k.st.frames_dropped == 0 ? "0 (met)" : "0 (MISSED)";
	const char *p99_t = !ok ? "<= 20" : p99_ms <= 20.0 ? "<= 20 (met)" : "<= 20 (MISSED)";
	const char *rss_t = !ok ? "<= 150" : k.peak_rss_mb <= 150.0 ? "<= 150 (met)"
								       : "<= 150 (MISSED)";

	printf("  %-26s %9s %-13s %10s %10s\n", "", "kiosk", "target", "ffmpeg -re", "mpv");
	printf("  %-26s %9ld %-13s %10s %10s\n", "frames shown", k.st.frames_shown, "-", "-", "-");
	printf("  %-26s %9ld %-13s %10s %10s\n", "frames dropped", k.st.frames_dropped,
	       drop_t, "-", mv_drop);
	printf("  %-26s %9ld %-13s %10s %10s\n", "audio underruns", k.st.audio_underruns,
	       "-", "-", "-");
	printf("  %-26s %9.1f %-13s %10s %10s\n", "|A/V offset| p50 (ms)", p50_ms, "-", "-", "-");
	printf("  %-26s %9.1f %-13s %10s %10s\n", "|A/V offset| p99 (ms)", p99_ms,
	       p99_t, "-", "-");
	printf("  %-26s %9.1f %-13s %10s %10s\n", "|A/V offset| max (ms)", max_ms, "-", "-", "-");
	printf("  %-26s %+9.1f %-13s %10s %10s\n", "A/V offset mean (ms)", mean_ms, "-", "-", "-");
	printf("  %-26s %+9.1f %-13s %10s %10s\n", "A/V offset at the end (ms)", last_ms, "-",
	       "-", mv_sync);
	printf("  %-26s %9.1f %-13s %10s %10s\n", "wall (s)", k.wall_s, "-", ff_wall, mv_wall);
	printf("  %-26s %9.1f %-13s %10s %10s\n", "CPU (s)", k.cpu_s, "-", ff_cpu, mv_cpu);
	printf("  %-26s %9.0f %-13s %10s %10s\n", "main-loop passes per s",
	       k.wall_s > 0 ? (double)k.wakeups / k.wall_s : 0, "-", "-", "-");
	printf("  %-26s %9.0f %-13s %10s %10s\n", "peak RSS (MB)", k.peak_rss_mb,
	       rss_t, ff_rss, mv_rss);
	printf("  %-26s %9.0f %-13s %10s %10s\n", "  of which before playback", k.setup_rss_mb,
	       "-", "-", "-");
	printf("  %ld frames presented by this loop; offset > 0: picture early.\n"
	       "  mpv: dropped = by its output + by its decoder; offset = its avsync.\n"
	       "  Reference RSS is ru_maxrss from wait4 of a forked child (at most\n"
	       "  %.0f MB of it can be this process's size at the fork).\n",
	       k.presented, floor_mb);

	free(k.offsets_s);
	bench_file_remove(tmpl, made);
	return ok ? 0 : 1;
}

static void bench_usage(FILE *out)
{
	fputs("Usage: kiosk bench startup [--items N] [--runs R]\n"
	      "       kiosk bench play [FILE]\n"
	      "       kiosk bench realtime [FILE]\n"
	      "       kiosk bench poster [FILE]\n"
	      "       kiosk bench leaflet [FILE]\n"
	      "       kiosk bench text [FILE]\n"
	      "       kiosk bench report [--kiosks N] [--events N] [--days N] [--dir DIR] [--keep]\n"
	      "  Time from process start to the first presented frame, on the\n"
	      "  configured library and on a generated library of N items\n"
	      "  (default 1000), median of R runs (default 7), with the ratio\n"
	      "  against a bare SDL program started the same way.\n"
	      "  play: CPU time to decode and present every frame of FILE (default:\n"
	      "  a generated 1080p30 H.264 clip) with no clock, against the ffmpeg\n"
	      "  tool decoding the same file to null.\n"
	      "  realtime: play FILE (default: a generated 60 s 1080p30 H.264 +\n"
	      "  AAC 48 kHz stereo clip) in real time with sound, as the viewer\n"
	      "  does, on a hidden 1280x720 window (SDL_VIDEODRIVER offscreen and\n"
	      "  SDL_AUDIODRIVER dummy unless set); print frames dropped, audio\n"
	      "  underruns, A/V offset, wall and CPU time and peak RSS beside the\n"
	      "  targets (0 dropped, p99 |offset| <= 20 ms, <= 150 MB) and beside\n"
	      "  `ffmpeg -re ... -f null` and mpv (when installed) on the same file.\n"
	      "  Exit status 1 only when playback failed.\n"
	      "  poster: a JPEG poster (default: a generated 24-megapixel one) from\n"
	      "  tap to fully on a 1920x1080 screen, against the ffmpeg tool\n"
	      "  decoding it; then frame times while zooming and panning it with\n"
	      "  the software renderer.\n"
	      "  leaflet: a PDF (default: a generated 20-page one, needs mutool)\n"
	      "  from tap to the first page on screen, and page turns with and\n"
	      "  without the next page prepared, beside mutool draw.\n"
	      "  text: a text leaflet (default: 2,000 generated Vietnamese words):\n"
	      "  layout time and scrolling frame times.\n"
	      "  report: a year of generated logs (default 50 kiosks, 1000000\n"
	      "  events) through `kiosk report -o`, beside the sqlite3 tool on the\n"
	      "  same aggregate (see kiosk bench report --help).\n", out);
}

int cli_bench_main(struct kiosk_config *cfg, int argc, char **argv)
{
	int items = 1000, runs = 7;
	const char *what = NULL;
	const char *play_file = NULL;
	if (argc > 1 && !strcmp(argv[1], "report"))
		return bench_report(argc - 1, argv + 1);
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
		} else if ((!strcmp(what, "play") || !strcmp(what, "realtime") ||
			    !strcmp(what, "poster") || !strcmp(what, "leaflet") ||
			    !strcmp(what, "text")) &&
			   !play_file) {
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
	if (what && !strcmp(what, "realtime"))
		return bench_realtime(play_file);
	if (what && !strcmp(what, "poster"))
		return bench_poster(play_file);
	if (what && !strcmp(what, "leaflet"))
		return bench_leaflet(play_file);
	if (what && !strcmp(what, "text"))
		return bench_text(play_file);
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
