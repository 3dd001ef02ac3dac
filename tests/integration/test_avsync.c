/*
 * test_avsync: audio/video sync of the player, measured from the outside,
 * the way a visitor sees and hears it.
 *
 * The clip (made with the ffmpeg tool) is black and silent except for one
 * white frame and a 50 ms 1 kHz beep starting together at t = 1, 2, ... s.
 * The player shows it on SDL's offscreen video driver and plays it on SDL's
 * disk audio driver, which writes the raw device samples to a file:
 *
 *   picture  every frame the player hands over is drawn and read back; the
 *            first bright frame of a run is a flash, and its wall time t
 *            is noted the moment it is presented;
 *   sound    the file's size is polled on every turn of the loop (about
 *            once a millisecond) and its growth logged with wall times.
 *            Afterwards each beep's onset is found in the file, as device
 *            bytes, so in seconds of sound heard since the device opened.
 *
 * What is heard at wall time t comes from the growth log. SDL's audio
 * thread (SDL 2.26, SDL_RunAudio) runs the callback, writes the buffer
 * (DISKAUDIO_PlayDevice) and only then sleeps for one buffer's length
 * (DISKAUDIO_WaitDevice: SDL_Delay(SDL_DISKAUDIODELAY, by default
 * samples * 1000 / freq)). So a buffer "starts playing" when it is written
 * and is fully heard one buffer later. But the file is written through
 * stdio (SDL_RWFromFile is fopen), and glibc's buffer (st_blksize, 4096)
 * is exactly the player's device buffer (1024 frames * 4 bytes): every
 * other device buffer sits in stdio until the next write, so the file
 * grows by two buffers every ~42 ms and a stat at the flash can be a whole
 * buffer (21 ms) behind. Every growth does end with the buffer just
 * written, though: a burst of growth to S bytes at wall time T means the
 * sound from byte S - one buffer on starts to play at T. Between two
 * bursts the device plays steadily, so the heard position is
 * interpolated linearly between (T_j, S_j - buffer) and
 * (T_j+1, S_j+1 - buffer). (Taking the size at
 * the flash minus half a buffer would be right on average for an
 * unbuffered writer, but off by up to a buffer either way here.)
 *
 * Offset of a flash = onset of the nearest beep - heard position at the
 * flash, both in device seconds: > 0 means the sound comes late. Every
 * |offset| must be at most 40 ms.
 *
 * Checks of the method itself: movie_position_s at each flash is printed
 * beside the heard position turned into file time (heard - the first
 * beep's onset + its time in the file): they agree when the player's clock
 * follows what is actually heard. And a second clip with every beep 80 ms
 * after its flash must measure 80 ms more than the first, so a method
 * that always reads zero cannot pass.
 *
 * The disk driver paces itself with SDL_Delay(21) for 21.33 ms of sound,
 * so its clock runs about 1% fast against the wall clock. All sound
 * figures here are in device time, which is what a player must follow.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>
#include <SDL.h>

#include "base/util.h"
#include "media/movie.h"
#include "test_support.h"

#define CLIP_W 320
#define CLIP_H 240
#define CLIP_S 6

/* What movie.c opens the device with (open_audio_device): 48 kHz stereo
 * S16 with 1024-frame buffers. The heard-position model relies on that
 * buffer being as big as glibc's stdio buffer (4096 bytes), so that the
 * file holds everything SDL wrote at the end of each burst; the test
 * checks the file grows 2 buffers at a time and stops if it does not. */
#define OUT_RATE 48000
#define OUT_FRAME_BYTES 4
#define OUT_BYTES_PER_S ((double)OUT_RATE * OUT_FRAME_BYTES)
#define DEVICE_BUFFER_BYTES (1024 * OUT_FRAME_BYTES)

#define MAX_OFFSET_S 0.040
#define WALL_LIMIT_S 20.0
/* The beep's peak is ~16000 at volume 1; AAC's pre-echo before it stays
 * under 100. */
#define BEEP_THRESHOLD 4000
#define QUIET_FRAMES (OUT_RATE / 5)   /* 200 ms of near-silence */
/* Writes closer together than this are one fwrite (device buffers come
 * ~21 ms apart). */
#define BURST_GAP_S 0.005

#define MAX_GROWTH 8192
#define MAX_FLASHES 64
#define MAX_BEEPS 64

/* The audio file's size, each time it was seen to change. */
struct growth {
	double t_s;         /* wall time it was seen */
	long size_bytes;
};

struct flash {
	double t_s;             /* wall time right after it was presented */
	long size_bytes;        /* audio file size then (for the log only) */
	double movie_pos_s;     /* the player's own idea of the position */
	double heard_s;         /* device seconds heard then (computed later) */
};

struct watch {
	const char *audio_path;
	double open_s;              /* wall time of movie_open */
	struct growth growth[MAX_GROWTH];
	int n_growth;
	long last_size;
	struct flash flash[MAX_FLASHES];
	int n_flash;
	double beep_s[MAX_BEEPS];   /* onsets, device seconds */
	int n_beep;
	long audio_bytes;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The clip: black with one white frame at the start of every second
 * (not at 0), silence with a beep starting late_ms after every second.
 * Half a frame is the window so rounding in t cannot catch the frame
 * after. Checked with ffmpeg: the decoded beeps start within 0.1 ms of
 * the flashes (AAC's priming is undone by the file's edit list). */
static char *make_clip(const char *dir, int late_ms)
{
	char *path = path_join(dir, "flash-beep.mp4");
	double d = late_ms / 1000.0;
	int rc = test_system(
		"ffmpeg -nostdin -v error -y "
		"-f lavfi -i \"color=c=black:s=%dx%d:r=30:d=%d,"
		"drawbox=c=white:t=fill:enable='gte(t,0.5)*lt(mod(t,1),0.5/30)'\" "
		"-f lavfi -i \"aevalsrc='0.5*sin(2*PI*1000*t)*gte(t,0.5+%.3f)"
		"*lt(mod(t-%.3f,1),0.05)':s=48000:d=%d\" "
		"-c:v libx264 -pix_fmt yuv420p -g 30 -c:a aac -b:a 128k '%s'",
		CLIP_W, CLIP_H, CLIP_S, d, d, CLIP_S, path);
	if (rc != 0)
		fail_msg("ffmpeg could not make %s", path);
	return path;
}

/* Note the audio file's size if it changed; returns it (0 before the
 * device has created it). */
static long poll_audio_size(struct watch *w)
{
	struct stat st;
	long size = stat(w->audio_path, &st) == 0 ? (long)st.st_size : 0;
	if (size != w->last_size) {
		assert_true(w->n_growth < MAX_GROWTH);
		w->growth[w->n_growth++] = (struct growth){ now_s(), size };
		w->last_size = size;
	}
	return size;
}

/* Draw tex over the whole output, read it back and present it. Returns
 * the mean of R, G and B over the picture (0..255). Read before the
 * present: after it the back buffer's content is undefined in general. */
static double show_frame(SDL_Renderer *ren, SDL_Texture *tex, uint8_t *px)
{
	const int pitch = CLIP_W * 4;
	assert_int_equal(SDL_RenderClear(ren), 0);
	assert_int_equal(SDL_RenderCopy(ren, tex, NULL, NULL), 0);
	assert_int_equal(SDL_RenderReadPixels(ren, NULL, SDL_PIXELFORMAT_RGB888,
					      px, pitch), 0);
	SDL_RenderPresent(ren);
	uint64_t sum = 0;
	for (int y = 0; y < CLIP_H; y++) {
		const uint8_t *row = px + (size_t)y * pitch;
		/* RGB888 is XRGB8888: bytes B, G, R, X on little endian */
		for (int x = 0; x < CLIP_W; x++)
			sum += row[x * 4] + row[x * 4 + 1] + row[x * 4 + 2];
	}
	return (double)sum / (3.0 * CLIP_W * CLIP_H);
}

static void pump_events(void)
{
	SDL_Event e;
	while (SDL_PollEvent(&e))
		;
}

/* Play path to its end like a kiosk main loop would, noting flashes and
 * the audio file's growth in w. */
static void play_and_watch(const char *path, struct watch *w)
{
	SDL_Window *win = SDL_CreateWindow("avsync", 0, 0, CLIP_W, CLIP_H,
					   SDL_WINDOW_HIDDEN);
	assert_non_null(win);
	SDL_Renderer *ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
	assert_non_null(ren);
	uint8_t *px = xmalloc((size_t)CLIP_W * CLIP_H * 4);
	char err[256] = "";

	w->last_size = -1;
	w->open_s = now_s();
	struct movie *m = movie_open(path, &(struct movie_options){ .volume = 1.0 },
				     err, sizeof err);
	if (!m)
		fail_msg("movie_open: %s", err);
	SDL_Texture *tex = NULL;
	bool was_bright = false;
	double deadline = now_s() + WALL_LIMIT_S;
	while (!movie_finished(m) && !movie_failed(m, err, sizeof err) &&
	       now_s() < deadline) {
		pump_events();
		poll_audio_size(w);
		if (movie_update_texture(m, ren, &tex)) {
			bool bright = show_frame(ren, tex, px) > 128;
			if (bright && !was_bright && w->n_flash < MAX_FLASHES) {
				struct flash *f = &w->flash[w->n_flash++];
				f->t_s = now_s();
				f->size_bytes = poll_audio_size(w);
				f->movie_pos_s = movie_position_s(m);
			}
			was_bright = bright;
			continue;
		}
		/* Not longer than a millisecond even when the next frame is
		 * further off: the growth log needs the resolution. */
		if (movie_next_frame_delay_ms(m) != 0)
			SDL_Delay(1);
	}
	bool failed = movie_failed(m, err, sizeof err);
	bool finished = movie_finished(m);
	/* Closing the device closes the file, flushing what stdio holds. */
	movie_close(m);
	SDL_DestroyTexture(tex);
	SDL_DestroyRenderer(ren);
	SDL_DestroyWindow(win);
	free(px);
	if (failed)
		fail_msg("playback failed: %s", err);
	if (!finished)
		fail_msg("playback did not end within %.0f s", WALL_LIMIT_S);
}

/* Beep onsets in the raw device samples: the first frame louder than the
 * threshold (either channel) after at least 200 ms below it. */
static void find_beeps(struct watch *w)
{
	size_t len = 0;
	char *raw = file_read_all(w->audio_path, &len);
	assert_non_null(raw);
	w->audio_bytes = (long)len;
	const int16_t *s = (const int16_t *)raw;
	size_t frames = len / OUT_FRAME_BYTES;
	long quiet = 0;
	for (size_t i = 0; i < frames; i++) {
		int a = abs(s[2 * i]), b = abs(s[2 * i + 1]);
		if (a < BEEP_THRESHOLD && b < BEEP_THRESHOLD) {
			quiet++;
			continue;
		}
		if (quiet >= QUIET_FRAMES && w->n_beep < MAX_BEEPS)
			w->beep_s[w->n_beep++] = (double)i / OUT_RATE;
		quiet = 0;
	}
	free(raw);
}

/* Is growth[i] the last write of a burst (one fwrite seen as several
 * size changes)? */
static bool burst_end(const struct watch *w, int i)
{
	return i + 1 == w->n_growth ||
	       w->growth[i + 1].t_s - w->growth[i].t_s > BURST_GAP_S;
}

/* Device seconds heard at wall time t: at the end of each burst the
 * buffer just written starts to play; in between the device plays at a
 * steady pace (see the file's header). Outside the log, extrapolated at
 * the nominal rate. */
static double heard_at(const struct watch *w, double t)
{
	double t0 = 0, b0 = 0;
	bool have0 = false;
	for (int i = 0; i < w->n_growth; i++) {
		if (!burst_end(w, i) || w->growth[i].size_bytes <= 0)
			continue;
		double ti = w->growth[i].t_s;
		double bi = (double)(w->growth[i].size_bytes - DEVICE_BUFFER_BYTES);
		if (ti > t) {
			if (!have0)
				return (bi - (ti - t) * OUT_BYTES_PER_S) / OUT_BYTES_PER_S;
			return (b0 + (bi - b0) * (t - t0) / (ti - t0)) / OUT_BYTES_PER_S;
		}
		t0 = ti;
		b0 = bi;
		have0 = true;
	}
	assert_true(have0);
	return (b0 + (t - t0) * OUT_BYTES_PER_S) / OUT_BYTES_PER_S;
}

static double nearest_beep(const struct watch *w, double at_s)
{
	double best = w->beep_s[0];
	for (int i = 1; i < w->n_beep; i++)
		if (fabs(w->beep_s[i] - at_s) < fabs(best - at_s))
			best = w->beep_s[i];
	return best;
}

/* Device bytes per wall second over the log: the disk driver's own pace. */
static double device_rate(const struct watch *w)
{
	int first = -1, last = -1;
	for (int i = 0; i < w->n_growth; i++) {
		if (!burst_end(w, i) || w->growth[i].size_bytes <= 0)
			continue;
		if (first < 0)
			first = i;
		last = i;
	}
	if (first < 0 || last == first)
		return 0;
	return (double)(w->growth[last].size_bytes - w->growth[first].size_bytes) /
	       (w->growth[last].t_s - w->growth[first].t_s);
}

/* Share of bursts by which the file grew two device buffers: the growth
 * the model in the header expects. */
static double share_of_paired_bursts(const struct watch *w)
{
	long prev = -1;
	int n = 0, paired = 0;
	for (int i = 0; i < w->n_growth; i++) {
		if (!burst_end(w, i) || w->growth[i].size_bytes <= 0)
			continue;
		if (prev >= 0) {
			n++;
			paired += w->growth[i].size_bytes - prev == 2 * DEVICE_BUFFER_BYTES;
		}
		prev = w->growth[i].size_bytes;
	}
	return n ? (double)paired / n : 0;
}

/* What one playback measured. */
struct result {
	int n_flash, n_beep;
	double mean_s;          /* mean offset, > 0: sound late */
	double max_abs_s;       /* largest |offset| */
	double paired;          /* share_of_paired_bursts */
};

/* Pair each flash with the nearest beep and print the table; late_ms is
 * how late the clip's beeps are meant to be (for the file-time column). */
static struct result report(struct watch *w, int late_ms)
{
	struct result r = { w->n_flash, w->n_beep, 0, 0, share_of_paired_bursts(w) };
	print_message("avsync: clip with the sound %d ms late: %d flashes, "
		      "%d beeps, %ld bytes of sound, device pace %.0f bytes/s "
		      "(nominal %.0f), %.0f%% of the file's growth by 2 x %d bytes\n",
		      late_ms, w->n_flash, w->n_beep, w->audio_bytes,
		      device_rate(w), OUT_BYTES_PER_S, r.paired * 100,
		      DEVICE_BUFFER_BYTES);
	for (int i = 0; i < w->n_beep; i++)
		print_message("avsync: beep %d at %.4f s of sound\n", i + 1, w->beep_s[i]);
	/* the file's first beep was heard at the first onset */
	double lead_s = w->n_beep > 0 ? w->beep_s[0] - (1.0 + late_ms / 1000.0) : 0;
	print_message("avsync: flash  wall_s  size_bytes  heard_s  beep_s   "
		      "offset_ms  movie_pos_s  heard_as_file_s\n");
	for (int i = 0; i < w->n_flash; i++) {
		struct flash *f = &w->flash[i];
		f->heard_s = heard_at(w, f->t_s);
		double beep = nearest_beep(w, f->heard_s);
		double off = beep - f->heard_s;
		r.mean_s += off / w->n_flash;
		if (fabs(off) > r.max_abs_s)
			r.max_abs_s = fabs(off);
		print_message("avsync: %5d  %6.3f  %10ld  %7.4f  %7.4f  %+9.1f  %11.4f  %15.4f\n",
			      i + 1, f->t_s - w->open_s, f->size_bytes, f->heard_s,
			      beep, off * 1000, f->movie_pos_s, f->heard_s - lead_s);
	}
	print_message("avsync: mean offset %+.1f ms, max |offset| %.1f ms "
		      "(> 0: sound late)\n", r.mean_s * 1000, r.max_abs_s * 1000);
	return r;
}

/* Make a clip with the sound late_ms late, play it on the disk audio
 * driver and measure. SDL is started and stopped here. */
static struct result measure(int late_ms)
{
	char *dir = test_tmpdir();
	char *clip = make_clip(dir, late_ms);
	char *audio = path_join(dir, "audio.raw");
	struct watch *w = xcalloc(1, sizeof *w);
	w->audio_path = audio;

	/* Environment before SDL_Init: the driver is chosen there, the file
	 * named when the player opens the device. */
	setenv("SDL_AUDIODRIVER", "disk", 1);
	setenv("SDL_DISKAUDIOFILE", audio, 1);
	setenv("SDL_VIDEODRIVER", "offscreen", 1);
	/* No GL-backed window surface (see test_movie). */
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_AUDIO | SDL_INIT_EVENTS) != 0)
		fail_msg("SDL_Init: %s", SDL_GetError());
	play_and_watch(clip, w);
	SDL_Quit();
	find_beeps(w);
	struct result r = report(w, late_ms);

	free(w);
	free(audio);
	free(clip);
	test_rmtree(dir);
	free(dir);
	/* A stalled poll can merge two bursts now and then; most must be
	 * pairs, or the heard positions are meaningless. */
	if (r.paired < 0.5)
		fail_msg("the audio file does not grow by 2 x %d bytes at a time: "
			 "the player's device buffer changed? The heard-position "
			 "model (see the file's header) must be revisited",
			 DEVICE_BUFFER_BYTES);
	return r;
}

/* The clip in sync, measured once for both tests. */
static struct result in_sync(void)
{
	static struct result r;
	static bool done;
	if (!done) {
		r = measure(0);
		done = true;
	}
	return r;
}

static void test_flash_and_beep_together(void **state)
{
	(void)state;
	struct result r = in_sync();
	assert_true(r.n_flash >= 4);
	assert_true(r.n_beep >= 4);
	print_message("avsync: max |offset| %.1f ms, limit %.0f ms\n",
		      r.max_abs_s * 1000, MAX_OFFSET_S * 1000);
	assert_true(r.max_abs_s <= MAX_OFFSET_S);
}

/* The method, not the player: sound made 80 ms late in the file must
 * measure 80 ms later than sound in sync (within 10 ms). */
static void test_method_sees_late_sound(void **state)
{
	(void)state;
	struct result sync = in_sync();
	struct result late = measure(80);
	assert_true(sync.n_flash >= 4 && late.n_flash >= 4);
	assert_true(sync.n_beep >= 4 && late.n_beep >= 4);
	double shift = late.mean_s - sync.mean_s;
	print_message("avsync: an 80 ms late sound measured %.1f ms later\n",
		      shift * 1000);
	assert_true(fabs(shift - 0.080) <= 0.010);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flash_and_beep_together),
		cmocka_unit_test(test_method_sees_late_sound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
