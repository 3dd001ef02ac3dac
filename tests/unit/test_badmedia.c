/*
 * test_badmedia: the player against media a kiosk will meet sooner or
 * later: files cut short by a failed copy, damaged on a worn SD card,
 * misnamed, or in a format it does not support. Every file is made by the
 * ffmpeg tool at test time.
 *
 * The rule, for every case: movie_open returns NULL with a reason naming
 * the file, or the main loop (movie_update_texture every 5 ms) sees
 * movie_finished or movie_failed, the latter with a reason naming the
 * file, within WALL_DEADLINE_MS of the call to movie_open; and movie_close
 * returns within CLOSE_LIMIT_MS. No crash, no hang. A hang inside
 * movie_open or movie_close, which the loop cannot time, is cut by an
 * alarm that names the case.
 *
 * The cases, and what is expected on top of the rule:
 *   truncated   a 3 s H.264+AAC mp4 cut at 10, 50 and 90 %, with its moov
 *               at the end (ffmpeg's default) and at the start
 *               (+faststart), and cut just before its moov: either outcome;
 *   corrupt     64 KiB of pseudo-random bytes over the middle, or one bit
 *               flipped every 4 KiB, of an mp4, an mkv (H.264 + Opus) and
 *               an mp3: either outcome;
 *   empty       a zero-length .mp4: fails;
 *   noise       random bytes named .mp4: fails;
 *   video only  an mp4 without sound: plays to the end;
 *   audio only  an mp3 and an m4a without picture: play to the end;
 *   unsupported an .avi, an mkv of FFV1 and an mkv of MPEG-2 video (outside
 *               avguard's whitelists): fail;
 *   not media   prose and an SRT subtitle file named .mp3, a directory
 *               named x.mp4, a missing path: fail;
 *   huge        an 8192x8192 H.264 picture, past AVGUARD_MAX_PIXELS: fails.
 * The group's teardown prints a table of what each case did and how long
 * it took.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>

#include "base/util.h"
#include "media/movie.h"
#include "test_support.h"

/* From movie_open to finished or failed; the clips are 3 s long and the
 * player's own stall limit is MOVIE_STALL_S. */
#define WALL_DEADLINE_MS 15000
#define CLOSE_LIMIT_MS 2000
/* The alarm for a hang where the loop cannot see it: longer than the
 * deadline plus the close limit, with room for AddressSanitizer. */
#define WATCHDOG_S 60
#define CORRUPT_BYTES (64 * 1024)

/* Shared by every test: the good clips every damaged one starts from. */
struct env {
	char *dir;
	char *moov_last;    /* 3 s 320x240 H.264 + AAC, moov after mdat */
	char *moov_first;   /* the same with -movflags +faststart */
	SDL_Window *win;
	SDL_Renderer *ren;
};

static struct env env;

/* What a case may end as. */
enum expect {
	EXPECT_FAIL,        /* movie_open NULL or movie_failed */
	EXPECT_PLAY,        /* movie_finished, not failed */
	EXPECT_EITHER,      /* damaged files: concealment or a clean failure */
};

enum outcome {
	OUT_OPEN_FAILED,    /* movie_open returned NULL */
	OUT_FAILED,         /* movie_failed while playing */
	OUT_FINISHED,       /* movie_finished */
	OUT_HUNG,           /* neither before the deadline */
};

static const char *const outcome_names[] = {
	[OUT_OPEN_FAILED] = "open failed",
	[OUT_FAILED] = "failed playing",
	[OUT_FINISHED] = "played to end",
	[OUT_HUNG] = "HUNG",
};

/* What one case did. */
struct result {
	enum outcome outcome;
	bool has_video, has_audio;
	int frames;             /* movie_update_texture returned true */
	bool both;              /* finished and failed at the same time */
	double duration_s;      /* movie_duration_s after open */
	double position_s;      /* movie_position_s at the end */
	int64_t open_ms, play_ms, close_ms;
	char err[1024];         /* the reason when it failed */
};

/* One line of the summary printed by the teardown. */
struct summary {
	char label[40];
	enum outcome outcome;
	int frames;
	int64_t open_ms, play_ms, close_ms;
	char err[160];          /* the reason, without the directory */
};

static struct summary summaries[64];
static int n_summaries;

/* The case running now, for the watchdog's message. */
static char current_case[512];

/* ------------------------------------------------------------------ */
/* Watchdog                                                            */
/* ------------------------------------------------------------------ */

static void watchdog_fired(int sig)
{
	static const char pre[] = "\ntest_badmedia: HANG (inside movie_open, "
				  "movie_close or the loop) in case: ";
	(void)sig;
	/* Only async-signal-safe calls here. */
	if (write(STDERR_FILENO, pre, sizeof pre - 1) < 0 ||
	    write(STDERR_FILENO, current_case, strlen(current_case)) < 0 ||
	    write(STDERR_FILENO, "\n", 1) < 0)
		_exit(3);
	abort();
}

/* The message names the file too: after an abort the temporary directory
 * is not removed, so the file is there to look at. */
static void watchdog_arm(const char *label, const char *path)
{
	snprintf(current_case, sizeof current_case, "%s (%s)", label, path);
	alarm(WATCHDOG_S);
}

static void watchdog_disarm(void)
{
	alarm(0);
}

/* ------------------------------------------------------------------ */
/* Making the media                                                    */
/* ------------------------------------------------------------------ */

static char *make_clip(const char *name, const char *args)
{
	char *path = path_join(env.dir, name);
	int rc = test_system("ffmpeg -nostdin -v error -y %s '%s'", args, path);
	if (rc != 0)
		fail_msg("ffmpeg failed to make %s", name);
	return path;
}

/* The 3 s picture and sound every damaged clip starts from. */
#define GOOD_AV "-f lavfi -i testsrc2=size=320x240:rate=25 " \
	"-f lavfi -i sine=frequency=440:sample_rate=48000 -t 3 " \
	"-c:v libx264 -preset ultrafast -pix_fmt yuv420p "

static void write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static char *read_bytes(const char *path, size_t *len)
{
	char *data = file_read_all(path, len);
	if (!data)
		fail_msg("cannot read %s", path);
	return data;
}

/* A copy of the first n bytes of src, as dir/name; caller frees. */
static char *copy_prefix(const char *src, const char *name, size_t n)
{
	size_t len;
	char *data = read_bytes(src, &len);
	assert_true(n <= len);
	char *path = path_join(env.dir, name);
	write_bytes(path, data, n);
	free(data);
	return path;
}

/* xorshift32: the same "random" bytes on every machine and every run,
 * unlike rand(). */
static uint32_t xorshift32(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void fill_noise(uint8_t *p, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(xorshift32(&seed) >> 24);
}

enum damage {
	DAMAGE_GARBAGE,     /* CORRUPT_BYTES of noise over the middle */
	DAMAGE_BITFLIPS,    /* one bit every 4 KiB from 10 % to 90 % */
};

/* A damaged copy of src, as dir/name; caller frees. Garbage mostly hits
 * the demuxer (a run of bad packets, then resync); sparse bit flips leave
 * the container readable and hit the decoders. */
static char *copy_damaged(const char *src, const char *name, enum damage how)
{
	size_t len;
	uint8_t *data = (uint8_t *)read_bytes(src, &len);
	if (how == DAMAGE_GARBAGE) {
		/* At most half the file, so both ends stay whole. */
		size_t n = CORRUPT_BYTES < len / 2 ? CORRUPT_BYTES : len / 2;
		fill_noise(data + (len - n) / 2, n, 0x2545f491u);
	} else {
		for (size_t i = len / 10; i < len * 9 / 10; i += 4096)
			data[i] ^= (uint8_t)(1u << ((i / 4096) % 8));
	}
	char *path = path_join(env.dir, name);
	write_bytes(path, data, len);
	free(data);
	return path;
}

static uint64_t be32(const uint8_t *p)
{
	return (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 |
	       (uint64_t)p[2] << 8 | p[3];
}

/* Offset of the top-level ISO BMFF box of the given type, -1 if none. */
static long box_offset(const uint8_t *d, size_t len, const char *type)
{
	size_t at = 0;
	while (at + 8 <= len) {
		uint64_t size = be32(d + at);
		if (size == 1 && at + 16 <= len)
			size = be32(d + at + 8) << 32 | be32(d + at + 12);
		else if (size == 0)
			size = len - at;
		if (memcmp(d + at + 4, type, 4) == 0)
			return (long)at;
		if (size < 8)
			break;
		at += size;
	}
	return -1;
}

static long mp4_box(const char *path, const char *type, size_t *file_len)
{
	size_t len;
	char *data = read_bytes(path, &len);
	long at = box_offset((const uint8_t *)data, len, type);
	free(data);
	if (file_len)
		*file_len = len;
	return at;
}

static size_t size_of(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return (size_t)st.st_size;
}

/* ------------------------------------------------------------------ */
/* Running one case                                                    */
/* ------------------------------------------------------------------ */

static void record(const char *label, const char *path, const struct result *r)
{
	if (n_summaries >= (int)ARRAY_LEN(summaries))
		return;
	struct summary *s = &summaries[n_summaries++];
	snprintf(s->label, sizeof s->label, "%s", label);
	s->outcome = r->outcome;
	s->frames = r->frames;
	s->open_ms = r->open_ms;
	s->play_ms = r->play_ms;
	s->close_ms = r->close_ms;
	/* The reason without the temporary directory, to keep lines short,
	 * cut to the table's width. */
	char why[sizeof r->err];
	const char *p = strstr(r->err, path);
	const char *base = strrchr(path, '/');
	if (p && base)
		snprintf(why, sizeof why, "%.*s%s", (int)(p - r->err), r->err,
			 p + (base + 1 - path));
	else
		snprintf(why, sizeof why, "%s", r->err);
	snprintf(s->err, sizeof s->err, "%.*s", (int)sizeof s->err - 1, why);
}

/* The main loop of the kiosk, cut down: upload due frames, keep the event
 * queue moving, until the movie ends or fails or the deadline passes. */
static void drive(struct movie *m, struct result *r, int64_t deadline_ms)
{
	SDL_Texture *tex = NULL;
	int64_t start = time_mono_ms();
	for (;;) {
		if (movie_update_texture(m, env.ren, &tex))
			r->frames++;
		/* Queried as the kiosk's loop does, so bad state in them
		 * shows here too. */
		(void)movie_next_frame_delay_ms(m);
		r->position_s = movie_position_s(m);
		bool finished = movie_finished(m);
		bool failed = movie_failed(m, r->err, sizeof r->err);
		/* Checked by the caller once the movie is closed. */
		r->both = finished && failed;
		if (finished || failed) {
			r->outcome = finished ? OUT_FINISHED : OUT_FAILED;
			break;
		}
		if (time_mono_ms() >= deadline_ms) {
			r->outcome = OUT_HUNG;
			break;
		}
		SDL_PumpEvents();
		/* Nobody reads the movie's wake-ups here; do not let them
		 * pile up in SDL's queue. */
		SDL_FlushEvent(movie_event_type());
		SDL_Delay(5);
	}
	r->play_ms = time_mono_ms() - start;
	if (tex)
		SDL_DestroyTexture(tex);
}

/* Open path, play it to its end, close it, and check the rule and the
 * expectation. Returns what happened for further checks. */
static struct result run_case(const char *label, const char *path,
			      enum expect expect)
{
	struct result r = { .outcome = OUT_HUNG };
	struct movie_options opt = { .mute = false, .volume = 0.1 };
	watchdog_arm(label, path);

	int64_t t0 = time_mono_ms();
	int64_t deadline = t0 + WALL_DEADLINE_MS;
	struct movie *m = movie_open(path, &opt, r.err, sizeof r.err);
	r.open_ms = time_mono_ms() - t0;
	if (!m) {
		r.outcome = OUT_OPEN_FAILED;
	} else {
		r.has_video = movie_has_video(m);
		r.has_audio = movie_has_audio(m);
		r.duration_s = movie_duration_s(m);
		drive(m, &r, deadline);
		int64_t c0 = time_mono_ms();
		movie_close(m);
		r.close_ms = time_mono_ms() - c0;
	}
	watchdog_disarm();
	record(label, path, &r);

	print_message("  %-24s %-14s open %4lld ms, play %5lld ms, close %4lld ms, "
		      "%d frames%s%s, %.2f/%.2f s%s%s\n", label,
		      outcome_names[r.outcome], (long long)r.open_ms,
		      (long long)r.play_ms, (long long)r.close_ms, r.frames,
		      r.has_video ? ", video" : "", r.has_audio ? ", audio" : "",
		      r.position_s, r.duration_s, r.err[0] ? ": " : "", r.err);

	if (r.both)
		fail_msg("%s: finished and failed at once: %s", label, r.err);
	if (r.outcome == OUT_HUNG)
		fail_msg("%s: hang: neither finished nor failed %d ms after "
			 "movie_open (%d frames, at %.2f s)", label,
			 WALL_DEADLINE_MS, r.frames, r.position_s);
	if (r.open_ms >= WALL_DEADLINE_MS)
		fail_msg("%s: movie_open took %lld ms", label, (long long)r.open_ms);
	if (r.close_ms >= CLOSE_LIMIT_MS)
		fail_msg("%s: movie_close took %lld ms", label, (long long)r.close_ms);
	if (r.outcome != OUT_FINISHED) {
		if (!strstr(r.err, path))
			fail_msg("%s: the reason does not name the file: \"%s\"",
				 label, r.err);
		/* and says more than the name */
		assert_true(strlen(r.err) > strlen(path) + 2);
	}
	if (expect == EXPECT_PLAY && r.outcome != OUT_FINISHED)
		fail_msg("%s: should play to the end, but %s: %s", label,
			 outcome_names[r.outcome], r.err);
	if (expect == EXPECT_FAIL && r.outcome == OUT_FINISHED)
		fail_msg("%s: should fail, but played to the end (%d frames)",
			 label, r.frames);
	return r;
}

/* Cut src at each fraction of its size and run the cuts. */
static void run_cuts(const char *src, const char *kind)
{
	static const int percents[] = { 10, 50, 90 };
	size_t len = size_of(src);
	for (size_t i = 0; i < ARRAY_LEN(percents); i++) {
		char name[64], label[64];
		snprintf(name, sizeof name, "cut-%s-%d.mp4", kind, percents[i]);
		snprintf(label, sizeof label, "cut %s %d%%", kind, percents[i]);
		char *path = copy_prefix(src, name, len * percents[i] / 100);
		run_case(label, path, EXPECT_EITHER);
		free(path);
	}
}

/* ------------------------------------------------------------------ */
/* The cases                                                           */
/* ------------------------------------------------------------------ */

static void test_truncated_moov_last(void **state)
{
	(void)state;
	run_cuts(env.moov_last, "moov-last");
}

/* Every sample is there but the index is not: the commonest result of a
 * copy that stopped early. */
static void test_truncated_moov_missing(void **state)
{
	(void)state;
	long moov = mp4_box(env.moov_last, "moov", NULL);
	assert_true(moov > 0);
	char *path = copy_prefix(env.moov_last, "no-moov.mp4", (size_t)moov);
	run_case("cut before moov", path, EXPECT_EITHER);
	free(path);
}

static void test_truncated_faststart(void **state)
{
	(void)state;
	run_cuts(env.moov_first, "faststart");
}

static void test_corrupt_mp4(void **state)
{
	(void)state;
	char *garbage = copy_damaged(env.moov_last, "garbage.mp4", DAMAGE_GARBAGE);
	char *flips = copy_damaged(env.moov_last, "bitflips.mp4", DAMAGE_BITFLIPS);
	run_case("corrupt mp4 64 KiB", garbage, EXPECT_EITHER);
	run_case("corrupt mp4 bit flips", flips, EXPECT_EITHER);
	free(garbage);
	free(flips);
}

static void test_corrupt_mkv(void **state)
{
	(void)state;
	char *good = make_clip("good.mkv", GOOD_AV "-c:a libopus");
	char *garbage = copy_damaged(good, "garbage.mkv", DAMAGE_GARBAGE);
	char *flips = copy_damaged(good, "bitflips.mkv", DAMAGE_BITFLIPS);
	run_case("corrupt mkv 64 KiB", garbage, EXPECT_EITHER);
	run_case("corrupt mkv bit flips", flips, EXPECT_EITHER);
	free(good);
	free(garbage);
	free(flips);
}

static void test_corrupt_mp3(void **state)
{
	(void)state;
	/* 320 kbit/s: 120 KB, so the 64 KiB leave whole frames at both ends. */
	char *good = make_clip("good.mp3", "-f lavfi -i sine=frequency=440:"
			       "sample_rate=44100 -t 3 -c:a libmp3lame -b:a 320k");
	char *garbage = copy_damaged(good, "garbage.mp3", DAMAGE_GARBAGE);
	char *flips = copy_damaged(good, "bitflips.mp3", DAMAGE_BITFLIPS);
	run_case("corrupt mp3 64 KiB", garbage, EXPECT_EITHER);
	run_case("corrupt mp3 bit flips", flips, EXPECT_EITHER);
	free(good);
	free(garbage);
	free(flips);
}

static void test_zero_length(void **state)
{
	(void)state;
	char *path = test_write_file(env.dir, "empty.mp4", "");
	run_case("zero-length mp4", path, EXPECT_FAIL);
	free(path);
}

static void test_random_bytes(void **state)
{
	(void)state;
	size_t len = 256 * 1024;
	uint8_t *noise = xmalloc(len);
	fill_noise(noise, len, 0x9e3779b9u);
	char *path = path_join(env.dir, "noise.mp4");
	write_bytes(path, noise, len);
	free(noise);
	run_case("random bytes .mp4", path, EXPECT_FAIL);
	free(path);
}

static void test_video_only(void **state)
{
	(void)state;
	char *path = make_clip("silent.mp4", "-f lavfi -i testsrc2=size=320x240:"
			       "rate=25 -t 3 -c:v libx264 -preset ultrafast "
			       "-pix_fmt yuv420p");
	struct result r = run_case("video only mp4", path, EXPECT_PLAY);
	assert_true(r.has_video);
	assert_false(r.has_audio);
	/* It played in time, not ended at once: 75 frames, a few may drop. */
	assert_true(r.frames >= 40);
	assert_true(r.play_ms >= 2000);
	free(path);
}

static void test_audio_only(void **state)
{
	(void)state;
	char *mp3 = make_clip("tone.mp3", "-f lavfi -i sine=frequency=330:"
			      "duration=3 -c:a libmp3lame");
	char *m4a = make_clip("tone.m4a", "-f lavfi -i sine=frequency=330:"
			      "duration=3 -c:a aac");
	const char *paths[] = { mp3, m4a };
	const char *labels[] = { "audio only mp3", "audio only m4a" };
	for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
		struct result r = run_case(labels[i], paths[i], EXPECT_PLAY);
		assert_false(r.has_video);
		assert_true(r.has_audio);
		assert_int_equal(r.frames, 0);
		assert_true(r.play_ms >= 2000);
	}
	free(mp3);
	free(m4a);
}

/* Formats and codecs that decode fine in ffmpeg but are not on avguard's
 * whitelists: the kiosk must refuse them, not half-play them. Video only,
 * so a whitelisted sound track cannot make them playable. */
static void test_unsupported(void **state)
{
	(void)state;
	char *avi = make_clip("clip.avi", "-f lavfi -i testsrc2=size=160x120:"
			      "rate=25 -t 1 -c:v mpeg4");
	char *ffv1 = make_clip("ffv1.mkv", "-f lavfi -i testsrc2=size=160x120:"
			       "rate=25 -t 1 -c:v ffv1");
	char *mpeg2 = make_clip("mpeg2.mkv", "-f lavfi -i testsrc2=size=160x120:"
				"rate=25 -t 1 -c:v mpeg2video");
	run_case("avi (mpeg4)", avi, EXPECT_FAIL);
	run_case("mkv ffv1", ffv1, EXPECT_FAIL);
	run_case("mkv mpeg2", mpeg2, EXPECT_FAIL);
	free(avi);
	free(ffv1);
	free(mpeg2);
}

static void test_text_as_mp3(void **state)
{
	(void)state;
	char *prose = test_write_file(env.dir, "notes.mp3",
		"These are the notes for the museum's opening day.\n"
		"Bring the keys for room 3.\n");
	/* The srt demuxer is whitelisted (for subtitles): this one opens as
	 * a file, but has no sound or picture in it. */
	char *srt = test_write_file(env.dir, "subs.mp3",
		"1\n00:00:01,000 --> 00:00:02,000\nHello\n\n"
		"2\n00:00:03,000 --> 00:00:04,000\nGoodbye\n\n");
	run_case("prose named .mp3", prose, EXPECT_FAIL);
	run_case("srt named .mp3", srt, EXPECT_FAIL);
	free(prose);
	free(srt);
}

static void test_directory(void **state)
{
	(void)state;
	char *path = path_join(env.dir, "x.mp4");
	assert_true(mkdir_parents(path));
	run_case("directory x.mp4", path, EXPECT_FAIL);
	free(path);
}

static void test_missing(void **state)
{
	(void)state;
	char *path = path_join(env.dir, "missing.mp4");
	struct result r = run_case("missing path", path, EXPECT_FAIL);
	assert_int_equal(r.outcome, OUT_OPEN_FAILED);
	free(path);
}

/* 67 megapixels: a decoder would allocate ~100 MB per picture. One flat
 * frame, so ffmpeg makes it in about a second. */
static void test_huge_dimensions(void **state)
{
	(void)state;
	char *path = make_clip("huge.mp4", "-f lavfi -i color=c=black:"
			       "size=8192x8192 -frames:v 1 -c:v libx264 "
			       "-preset ultrafast -pix_fmt yuv420p");
	run_case("8192x8192 h264", path, EXPECT_FAIL);
	free(path);
}

/* ------------------------------------------------------------------ */
/* Setup                                                               */
/* ------------------------------------------------------------------ */

static int group_setup(void **state)
{
	(void)state;
	struct sigaction sa = { .sa_handler = watchdog_fired };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
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
	env.moov_last = make_clip("moov-last.mp4", GOOD_AV "-c:a aac");
	env.moov_first = make_clip("moov-first.mp4",
				   GOOD_AV "-c:a aac -movflags +faststart");
	/* The cuts mean something only if the layouts are what we think. */
	long moov = mp4_box(env.moov_last, "moov", NULL);
	long mdat = mp4_box(env.moov_last, "mdat", NULL);
	if (moov < 0 || mdat < 0 || moov < mdat) {
		fprintf(stderr, "moov-last.mp4: moov at %ld, mdat at %ld\n", moov, mdat);
		return -1;
	}
	moov = mp4_box(env.moov_first, "moov", NULL);
	mdat = mp4_box(env.moov_first, "mdat", NULL);
	if (moov < 0 || mdat < 0 || moov > mdat) {
		fprintf(stderr, "moov-first.mp4: moov at %ld, mdat at %ld\n", moov, mdat);
		return -1;
	}
	return 0;
}

static void print_summary(void)
{
	printf("\n%-24s %-14s %7s %7s %7s %6s  %s\n", "case", "outcome",
	       "open ms", "play ms", "close", "frames", "reason");
	for (int i = 0; i < n_summaries; i++) {
		const struct summary *s = &summaries[i];
		printf("%-24s %-14s %7lld %7lld %7lld %6d  %s\n", s->label,
		       outcome_names[s->outcome], (long long)s->open_ms,
		       (long long)s->play_ms, (long long)s->close_ms, s->frames,
		       s->err);
	}
	fflush(stdout);
}

static int group_teardown(void **state)
{
	(void)state;
	print_summary();
	SDL_DestroyRenderer(env.ren);
	SDL_DestroyWindow(env.win);
	SDL_Quit();
	test_rmtree(env.dir);
	free(env.dir);
	free(env.moov_last);
	free(env.moov_first);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated_moov_last),
		cmocka_unit_test(test_truncated_moov_missing),
		cmocka_unit_test(test_truncated_faststart),
		cmocka_unit_test(test_corrupt_mp4),
		cmocka_unit_test(test_corrupt_mkv),
		cmocka_unit_test(test_corrupt_mp3),
		cmocka_unit_test(test_zero_length),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_video_only),
		cmocka_unit_test(test_audio_only),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_text_as_mp3),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_huge_dimensions),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
