/*
 * test_movie: playback of clips made by the ffmpeg tool at test time, on
 * SDL's offscreen video and dummy audio drivers: frames shown on time,
 * the picture's colour, looping, pausing, audio-only files, bad files.
 * Timing bounds are generous: the test machines are shared and noisy.
 */
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <SDL.h>

#include "base/util.h"
#include "media/movie.h"
#include "test_support.h"

/* Shared by every test: clips are made once. */
struct env {
	char *dir;
	char *red;          /* 2 s 160x120 red picture, 25 fps, with a tone */
	char *tone;         /* 1.5 s tone, AAC in .m4a, no picture */
	char *wide;         /* 0.5 s 160x120 with sample aspect 2:1 */
	char *damaged;      /* MPEG-TS with noise written over its middle */
	char *noise;        /* random bytes named .mp4 */
	SDL_Window *win;
	SDL_Renderer *ren;
};

static struct env env;

static char *make_clip(const char *name, const char *args)
{
	char *path = path_join(env.dir, name);
	int rc = test_system("ffmpeg -nostdin -v error -y %s '%s'", args, path);
	if (rc != 0)
		fail_msg("ffmpeg failed to make %s", name);
	return path;
}

static void overwrite_random(const char *path, long at, long len)
{
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, at, SEEK_SET), 0);
	srand(7);
	for (long i = 0; i < len; i++)
		fputc(rand() & 0xFF, f);
	assert_int_equal(fclose(f), 0);
}

static long file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fclose(f);
	return n;
}

static int group_setup(void **state)
{
	(void)state;
	/* No GL-backed window surface: with the offscreen driver SDL would
	 * load Mesa's EGL for it, which leaks in ways LSan cannot name. */
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_AUDIO | SDL_INIT_EVENTS) != 0) {
		fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
		return -1;
	}
	env.win = SDL_CreateWindow("test", 0, 0, 64, 64, SDL_WINDOW_HIDDEN);
	if (!env.win)
		return -1;
	env.ren = SDL_CreateRenderer(env.win, -1, SDL_RENDERER_SOFTWARE);
	if (!env.ren)
		return -1;
	env.dir = test_tmpdir();
	env.red = make_clip("red.mp4",
		"-f lavfi -i color=c=red:size=160x120:rate=25 "
		"-f lavfi -i sine=frequency=440:sample_rate=44100 -t 2 "
		"-c:v mpeg4 -q:v 3 -pix_fmt yuv420p -c:a aac");
	env.tone = make_clip("tone.m4a",
		"-f lavfi -i sine=frequency=330:duration=1.5 -c:a aac");
	env.wide = make_clip("wide.mp4",
		"-f lavfi -i testsrc2=size=160x120:rate=25 -t 0.5 "
		"-vf setsar=2/1 -c:v mpeg4 -pix_fmt yuv420p");
	env.damaged = make_clip("damaged.ts",
		"-f lavfi -i testsrc2=size=320x240:rate=25 "
		"-f lavfi -i sine -t 2 -c:v mpeg2video -c:a mp2");
	long size = file_size(env.damaged);
	overwrite_random(env.damaged, size / 3, size / 4);
	env.noise = path_join(env.dir, "noise.mp4");
	FILE *f = fopen(env.noise, "wb");
	assert_non_null(f);
	for (int i = 0; i < 8192; i++)
		fputc((i * 7919 + 13) & 0xFF, f);
	fclose(f);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	SDL_DestroyRenderer(env.ren);
	SDL_DestroyWindow(env.win);
	SDL_Quit();
	test_rmtree(env.dir);
	free(env.dir);
	free(env.red);
	free(env.tone);
	free(env.wide);
	free(env.damaged);
	free(env.noise);
	return 0;
}

/* What one run of the main loop saw. */
struct run {
	int frames;         /* movie_update_texture returned true */
	int wakeups;        /* movie wake-up events received */
	int64_t elapsed_ms;
	bool finished, failed;
};

/* The main loop of a player: wait for the next frame or a wake-up event,
 * update the texture. Stops after max_ms, or when the movie is finished
 * or failed when until_end is set. */
static struct run play(struct movie *m, SDL_Texture **tex, int max_ms,
		       bool until_end)
{
	struct run run = { 0 };
	int64_t start = time_mono_ms();
	for (;;) {
		if (movie_update_texture(m, env.ren, tex))
			run.frames++;
		run.finished = movie_finished(m);
		run.failed = movie_failed(m, NULL, 0);
		run.elapsed_ms = time_mono_ms() - start;
		if (until_end && (run.finished || run.failed))
			break;
		if (run.elapsed_ms >= max_ms)
			break;
		int delay = movie_next_frame_delay_ms(m);
		if (delay < 0 || delay > 10)
			delay = 10;
		SDL_Event ev;
		if (SDL_WaitEventTimeout(&ev, delay) &&
		    ev.type == movie_event_type())
			run.wakeups++;
	}
	print_message("  %d frames, %d wake-ups in %lld ms%s%s\n", run.frames,
		      run.wakeups, (long long)run.elapsed_ms,
		      run.finished ? ", finished" : "", run.failed ? ", failed" : "");
	return run;
}

/* Draw tex over the whole target and read the middle pixel. */
static void centre_pixel(SDL_Texture *tex, uint8_t rgba[4])
{
	assert_int_equal(SDL_SetRenderDrawColor(env.ren, 0, 0, 255, 255), 0);
	assert_int_equal(SDL_RenderClear(env.ren), 0);
	assert_int_equal(SDL_RenderCopy(env.ren, tex, NULL, NULL), 0);
	SDL_Rect r = { 32, 32, 1, 1 };
	assert_int_equal(SDL_RenderReadPixels(env.ren, &r, SDL_PIXELFORMAT_RGBA32,
					      rgba, 4), 0);
}

static void play_red(bool mute)
{
	struct movie_options opt = { .loop = false, .mute = mute, .volume = 0.5 };
	char err[256];
	struct movie *m = movie_open(env.red, &opt, err, sizeof err);
	if (!m)
		fail_msg("%s", err);
	assert_true(movie_has_video(m));
	assert_true(movie_has_audio(m) == !mute);
	int w, h;
	movie_display_size(m, &w, &h);
	assert_int_equal(w, 160);
	assert_int_equal(h, 120);
	assert_true(movie_duration_s(m) > 1.9 && movie_duration_s(m) < 2.2);

	SDL_Texture *tex = NULL;
	struct run run = play(m, &tex, 15000, true);
	assert_true(run.finished);
	assert_false(run.failed);
	/* 50 frames; a few may be dropped when the machine is busy. */
	if (run.frames < 30 || run.frames > 50)
		fail_msg("%d frames shown", run.frames);
	if (run.elapsed_ms < 1700 || run.elapsed_ms > 8000)
		fail_msg("played in %lld ms", (long long)run.elapsed_ms);
	assert_true(run.wakeups > 0);
	assert_true(movie_position_s(m) > 1.8);

	assert_non_null(tex);
	uint8_t px[4];
	centre_pixel(tex, px);
	if (px[0] < 220 || px[1] > 40 || px[2] > 40)
		fail_msg("centre pixel %d,%d,%d is not red", px[0], px[1], px[2]);

	/* Finished stays finished, and nothing more is shown. */
	assert_false(movie_update_texture(m, env.ren, &tex));
	assert_true(movie_finished(m));
	assert_int_equal(movie_next_frame_delay_ms(m), -1);
	SDL_DestroyTexture(tex);
	movie_close(m);
}

static void test_play_muted(void **state)
{
	(void)state;
	play_red(true);
}

static void test_play_with_sound(void **state)
{
	(void)state;
	play_red(false);
}

static void test_loop_keeps_playing(void **state)
{
	(void)state;
	for (int mute = 1; mute >= 0; mute--) {
		struct movie_options opt = { .loop = true, .mute = mute, .volume = 0.2 };
		char err[256];
		struct movie *m = movie_open(env.red, &opt, err, sizeof err);
		if (!m)
			fail_msg("%s", err);
		SDL_Texture *tex = NULL;
		struct run run = play(m, &tex, 3200, false);
		assert_false(run.finished);
		assert_false(run.failed);
		/* More frames than the file holds: it went round. */
		if (run.frames <= 52)
			fail_msg("only %d frames in 3.2 s (mute %d)", run.frames, mute);
		double pos = movie_position_s(m);
		assert_true(pos >= 0 && pos <= movie_duration_s(m));
		assert_true(pos < 1.9);     /* back in the second pass */
		uint8_t px[4];
		centre_pixel(tex, px);
		assert_true(px[0] > 220 && px[1] < 40 && px[2] < 40);
		SDL_DestroyTexture(tex);
		movie_close(m);
	}
}

static void test_pause_holds_still(void **state)
{
	(void)state;
	for (int mute = 1; mute >= 0; mute--) {
		struct movie_options opt = { .mute = mute, .volume = 0 };
		char err[256];
		struct movie *m = movie_open(env.red, &opt, err, sizeof err);
		if (!m)
			fail_msg("%s", err);
		movie_set_paused(m, true);
		assert_true(movie_paused(m));
		SDL_Texture *tex = NULL;
		double before = movie_position_s(m);
		struct run run = play(m, &tex, 700, false);
		/* At most the first picture, which was due at once. */
		assert_true(run.frames <= 1);
		assert_true(movie_position_s(m) - before < 0.05);
		assert_false(movie_finished(m));
		assert_int_equal(movie_next_frame_delay_ms(m), -1);

		movie_set_paused(m, false);
		assert_false(movie_paused(m));
		run = play(m, &tex, 15000, true);
		assert_true(run.finished);
		assert_true(run.frames >= 25);
		assert_true(run.elapsed_ms >= 1500);
		SDL_DestroyTexture(tex);
		movie_close(m);
	}
}

static void test_audio_only(void **state)
{
	(void)state;
	char err[256];
	/* muted sound alone is nothing to play: refused with a reason */
	struct movie_options muted = { .mute = true };
	assert_null(movie_open(env.tone, &muted, err, sizeof err));
	assert_non_null(strstr(err, env.tone));
	assert_non_null(strstr(err, "muted"));
	{
		struct movie_options opt = { .volume = 1 };
		struct movie *m = movie_open(env.tone, &opt, err, sizeof err);
		if (!m)
			fail_msg("%s", err);
		assert_false(movie_has_video(m));
		assert_true(movie_has_audio(m));
		int w = -1, h = -1;
		movie_display_size(m, &w, &h);
		assert_int_equal(w, 0);
		assert_int_equal(h, 0);
		SDL_Texture *tex = NULL;
		struct run run = play(m, &tex, 15000, true);
		assert_true(run.finished);
		assert_int_equal(run.frames, 0);
		assert_null(tex);
		if (run.elapsed_ms < 1200 || run.elapsed_ms > 6000)
			fail_msg("1.5 s tone played in %lld ms",
				 (long long)run.elapsed_ms);
		movie_close(m);
	}
}

/* Rotation metadata: the file below carries a display matrix that the
 * ffmpeg tool (autorotate) turns into a 120x160 picture with the marker
 * drawn at the top left of the coded picture at the bottom left, that
 * is turned 90 degrees anticlockwise: 270 clockwise. */
static void test_rotation(void **state)
{
	(void)state;
	char *plain = make_clip("marker.mp4",
		"-f lavfi -i color=c=black:s=160x120:r=25:d=0.4 "
		"-vf drawbox=x=0:y=0:w=40:h=30:c=red:t=fill "
		"-c:v libx264 -pix_fmt yuv420p");
	char *turned = path_join(env.dir, "turned.mov");
	assert_int_equal(test_system("ffmpeg -nostdin -v error -y -i '%s' -c copy "
				     "-metadata:s:v:0 rotate=90 '%s'", plain, turned), 0);
	struct movie_options opt = { .mute = true };
	char err[256];
	struct movie *m = movie_open(turned, &opt, err, sizeof err);
	if (!m)
		fail_msg("%s", err);
	assert_int_equal(movie_rotation(m), 270);
	int w, h;
	movie_display_size(m, &w, &h);
	assert_int_equal(w, 120);
	assert_int_equal(h, 160);
	movie_close(m);
	m = movie_open(plain, &opt, err, sizeof err);
	assert_non_null(m);
	assert_int_equal(movie_rotation(m), 0);
	movie_close(m);
	free(plain);
	free(turned);
}

/* A decoder that stops giving pictures (simulated: the video thread
 * takes no more packets after 10 pictures) is noticed after stall_s:
 * movie_failed says so with the file's name, and closing is prompt. A
 * picture waiting for its time is not a stall. */
static void test_stall_detected(void **state)
{
	(void)state;
	struct movie_options opt = { .mute = true, .stall_s = 1.0,
				     .test_stall_after_frames = 10 };
	char err[256];
	struct movie *m = movie_open(env.red, &opt, err, sizeof err);
	assert_non_null(m);
	SDL_Texture *tex = NULL;
	int64_t t0 = time_mono_ms();
	struct run r = play(m, &tex, 8000, true);
	int64_t took = time_mono_ms() - t0;
	assert_true(r.failed);
	assert_false(r.finished);
	assert_true(movie_failed(m, err, sizeof err));
	print_message("  stalled after %d pictures, noticed in %lld ms: %s\n",
		      r.frames, (long long)took, err);
	assert_non_null(strstr(err, env.red));
	assert_non_null(strstr(err, "stalled"));
	assert_true(r.frames <= 10);
	assert_true(took >= 1000 && took < 5000);
	int64_t c0 = time_mono_ms();
	movie_close(m);
	assert_true(time_mono_ms() - c0 < 1000);

	/* paused is not stalled */
	opt.test_stall_after_frames = 0;
	m = movie_open(env.red, &opt, err, sizeof err);
	assert_non_null(m);
	play(m, &tex, 200, false);
	movie_set_paused(m, true);
	SDL_Delay(1500);
	assert_false(movie_failed(m, NULL, 0));
	movie_close(m);
	SDL_DestroyTexture(tex);
}

static void test_sample_aspect(void **state)
{
	(void)state;
	struct movie_options opt = { .mute = true };
	char err[256];
	struct movie *m = movie_open(env.wide, &opt, err, sizeof err);
	if (!m)
		fail_msg("%s", err);
	int w, h;
	movie_display_size(m, &w, &h);
	assert_int_equal(w, 320);
	assert_int_equal(h, 120);
	SDL_Texture *tex = NULL;
	struct run run = play(m, &tex, 10000, true);
	assert_true(run.finished);
	/* The texture keeps the coded size. */
	int tw, th;
	assert_int_equal(SDL_QueryTexture(tex, NULL, NULL, &tw, &th), 0);
	assert_int_equal(tw, 160);
	assert_int_equal(th, 120);
	SDL_DestroyTexture(tex);
	movie_close(m);
}

static void test_bad_files(void **state)
{
	(void)state;
	struct movie_options opt = { .mute = true };
	char err[256] = "";
	assert_null(movie_open(env.noise, &opt, err, sizeof err));
	assert_non_null(strstr(err, env.noise));
	assert_true(strlen(err) > strlen(env.noise) + 2);

	char *missing = path_join(env.dir, "missing.mp4");
	assert_null(movie_open(missing, &opt, err, sizeof err));
	assert_non_null(strstr(err, missing));
	assert_non_null(strstr(err, "No such file"));
	free(missing);

	/* A picture has no timeline, but it decodes: as a movie it shows its
	 * one frame and ends. */
	char *png = make_clip("still.png", "-f lavfi -i color=c=blue:size=32x32 -frames:v 1");
	struct movie *m = movie_open(png, &opt, err, sizeof err);
	if (!m)
		fail_msg("%s", err);
	SDL_Texture *tex = NULL;
	struct run run = play(m, &tex, 5000, true);
	assert_true(run.finished);
	assert_int_equal(run.frames, 1);
	uint8_t px[4];
	centre_pixel(tex, px);
	assert_true(px[0] < 40 && px[1] < 40 && px[2] > 220);
	SDL_DestroyTexture(tex);
	movie_close(m);
	free(png);
	movie_close(NULL);
}

static void test_damaged_file_ends_cleanly(void **state)
{
	(void)state;
	for (int loop = 0; loop <= 1; loop++) {
		struct movie_options opt = { .loop = loop, .mute = false, .volume = 0.1 };
		char err[256];
		struct movie *m = movie_open(env.damaged, &opt, err, sizeof err);
		if (!m) {
			/* Acceptable only with a reason naming the file. */
			assert_non_null(strstr(err, env.damaged));
			continue;
		}
		SDL_Texture *tex = NULL;
		struct run run = play(m, &tex, loop ? 3000 : 15000, !loop);
		if (!loop)
			assert_true(run.finished || run.failed);
		if (run.failed) {
			char why[256] = "";
			assert_true(movie_failed(m, why, sizeof why));
			assert_non_null(strstr(why, env.damaged));
		}
		assert_true(run.frames > 0);
		SDL_DestroyTexture(tex);
		movie_close(m);
	}
}

/* Blank out every JPEG picture after the first ten in an MJPEG .mov, so
 * the container stays whole and the decoder fails on each later frame. */
static char *make_undecodable_clip(void)
{
	char *path = make_clip("blanked.mov",
		"-f lavfi -i testsrc2=size=160x120:rate=25 -t 2 -c:v mjpeg -f mov");
	size_t len;
	char *data = file_read_all(path, &len);
	assert_non_null(data);
	int pictures = 0;
	for (size_t i = 0; i + 3 < len; i++) {
		if ((uint8_t)data[i] != 0xFF || (uint8_t)data[i + 1] != 0xD8 ||
		    (uint8_t)data[i + 2] != 0xFF)
			continue;
		size_t j = i + 2;
		while (j + 1 < len && !((uint8_t)data[j] == 0xFF &&
					(uint8_t)data[j + 1] == 0xD9))
			j++;
		if (pictures++ >= 10)
			memset(data + i, 0, j + 2 - i);
		i = j;
	}
	assert_int_equal(pictures, 50);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(data);
	return path;
}

static void test_decode_errors_fail_cleanly(void **state)
{
	(void)state;
	char *path = make_undecodable_clip();
	for (int loop = 0; loop <= 1; loop++) {
		struct movie_options opt = { .loop = loop, .mute = true };
		char err[256];
		struct movie *m = movie_open(path, &opt, err, sizeof err);
		if (!m)
			fail_msg("%s", err);
		SDL_Texture *tex = NULL;
		struct run run = play(m, &tex, 10000, true);
		assert_true(run.failed);
		assert_false(run.finished);
		/* The good pictures before the damage were shown. */
		assert_true(run.frames >= 1 && run.frames <= 10);
		char why[256] = "";
		assert_true(movie_failed(m, why, sizeof why));
		assert_non_null(strstr(why, path));
		assert_non_null(strstr(why, "Invalid data"));
		SDL_DestroyTexture(tex);
		movie_close(m);
	}
	free(path);
}

static void test_close_while_playing(void **state)
{
	(void)state;
	/* Closing at once, and closing mid-way with a full ring and audio
	 * queued, must join the thread without hanging. */
	struct movie_options opt = { .loop = true, .volume = 0.1 };
	char err[256];
	for (int i = 0; i < 3; i++) {
		struct movie *m = movie_open(env.red, &opt, err, sizeof err);
		if (!m)
			fail_msg("%s", err);
		if (i > 0) {
			SDL_Texture *tex = NULL;
			play(m, &tex, 200 * i, false);
			SDL_DestroyTexture(tex);
		}
		movie_close(m);
	}
	assert_int_not_equal(movie_event_type(), 0);
	assert_int_equal(movie_event_type(), movie_event_type());
}

/* Frame number shown in tex: the counter clip's luma is 16 + frame. */
static int shown_frame(SDL_Texture *tex)
{
	uint8_t px[4];
	centre_pixel(tex, px);
	return (int)lround(px[1] * 219.0 / 255.0);
}

/* Seek, then wait for the first picture; returns its frame number. */
static int seek_and_show(struct movie *m, SDL_Texture **tex, double t)
{
	movie_seek(m, t);
	double pos = movie_position_s(m);
	assert_true(fabs(pos - t) < 0.25);
	int64_t end = time_mono_ms() + 3000;
	while (time_mono_ms() < end) {
		if (movie_update_texture(m, env.ren, tex))
			return shown_frame(*tex);
		SDL_Delay(2);
	}
	fail_msg("no picture within 3 s of seeking to %.2f s", t);
	return -1;
}

/* Seeking is accurate to a frame, forward and backward, with and without
 * sound, paused, and after the end was reached. The clip's luma counts
 * its frames (lossless H.264, a key frame every 50 frames, so most
 * targets need frames decoded and dropped after the key frame). */
static void test_seek_accuracy(void **state)
{
	(void)state;
	char *clip = make_clip("counter.mp4",
		"-f lavfi -i color=c=black:s=64x64:r=25:d=8 "
		"-f lavfi -i sine=f=440:d=8 "
		"-vf geq=lum='N+16':cb=128:cr=128 -c:v libx264 -qp 0 -g 50 "
		"-pix_fmt yuv420p -c:a aac -shortest");
	static const double targets[] = { 5.0, 2.2, 6.96, 0.5, 3.0 };
	for (int mute = 1; mute >= 0; mute--) {
		struct movie_options opt = { .mute = mute, .volume = 0.2 };
		char err[256];
		struct movie *m = movie_open(clip, &opt, err, sizeof err);
		assert_non_null(m);
		SDL_Texture *tex = NULL;
		play(m, &tex, 300, false);
		for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
			int want = (int)floor(targets[i] * 25 + 1e-9);
			int got = seek_and_show(m, &tex, targets[i]);
			print_message("  seek %.2f s: frame %d (want %d)%s\n", targets[i],
				      got, want, mute ? "" : " with sound");
			assert_true(abs(got - want) <= 1);
			/* and it plays on from there */
			struct run r = play(m, &tex, 400, false);
			assert_true(r.frames >= 3);
			assert_false(r.failed);
		}
		/* volume: clamped to 0..1 */
		movie_set_volume(m, 0.35);
		assert_true(fabs(movie_volume(m) - 0.35) < 1e-3);
		movie_set_volume(m, 7);
		assert_true(fabs(movie_volume(m) - 1.0) < 1e-3);
		movie_set_volume(m, -1);
		assert_true(movie_volume(m) == 0);
		movie_set_volume(m, 0.2);
		/* paused: the picture at the target shows, the clock holds */
		movie_set_paused(m, true);
		int got = seek_and_show(m, &tex, 4.0);
		assert_true(abs(got - 100) <= 1);
		SDL_Delay(300);
		assert_true(fabs(movie_position_s(m) - 4.0) < 0.05);
		movie_set_paused(m, false);
		/* to the end, finished, then back into the film */
		movie_seek(m, 7.5);
		struct run r = play(m, &tex, 3000, true);
		assert_true(r.finished);
		got = seek_and_show(m, &tex, 1.0);
		assert_true(abs(got - 25) <= 1);
		assert_false(movie_finished(m));
		r = play(m, &tex, 300, false);
		assert_true(r.frames >= 3);
		if (tex)
			SDL_DestroyTexture(tex);
		movie_close(m);
	}
	free(clip);
}

/* Benchmarks' unclocked mode: every frame comes out, none dropped, as
 * fast as decoding goes. */
static void test_unclocked_every_frame(void **state)
{
	(void)state;
	char *clip = make_clip("fifty.mp4", "-f lavfi -i testsrc2=s=160x90:r=25 -t 2 "
			       "-c:v libx264 -pix_fmt yuv420p");
	struct movie_options opt = { .mute = true, .unclocked = true };
	char err[256];
	struct movie *m = movie_open(clip, &opt, err, sizeof err);
	assert_non_null(m);
	SDL_Texture *tex = NULL;
	int frames = 0;
	int64_t end = time_mono_ms() + 20000;
	while (!movie_finished(m) && time_mono_ms() < end) {
		if (movie_update_texture(m, env.ren, &tex))
			frames++;
		else
			SDL_Delay(1);
	}
	assert_true(movie_finished(m));
	assert_int_equal(frames, 50);
	if (tex)
		SDL_DestroyTexture(tex);
	movie_close(m);
	free(clip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_play_muted),
		cmocka_unit_test(test_play_with_sound),
		cmocka_unit_test(test_loop_keeps_playing),
		cmocka_unit_test(test_pause_holds_still),
		cmocka_unit_test(test_audio_only),
		cmocka_unit_test(test_sample_aspect),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_stall_detected),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_damaged_file_ends_cleanly),
		cmocka_unit_test(test_decode_errors_fail_cleanly),
		cmocka_unit_test(test_close_while_playing),
		cmocka_unit_test(test_seek_accuracy),
		cmocka_unit_test(test_unclocked_every_frame),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
