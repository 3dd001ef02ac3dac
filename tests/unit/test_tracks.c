/*
 * test_tracks: languages inside one file. A clip with a silent
 * Vietnamese audio track and a loud Ê Đê one, and subtitle streams in
 * both languages, played through SDL's disk audio driver so that what
 * was heard can be checked:
 *   - the track is chosen by the visitor's languages, the file's default
 *     when none matches;
 *   - switching while playing carries on from the same position, and the
 *     sound that comes out afterwards is the other track's;
 *   - embedded text subtitle streams are listed with their languages and
 *     give the right cue at a given time.
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

#include <cmocka.h>

#include <SDL.h>

#include "base/util.h"
#include "media/movie.h"
#include "test_support.h"

static char *dir, *clip, *audio_out;
static SDL_Window *win;
static SDL_Renderer *ren;

static int setup(void **state)
{
	(void)state;
	dir = test_tmpdir();
	clip = path_join(dir, "clip.mkv");
	audio_out = path_join(dir, "audio.raw");
	char *vi = test_write_file(dir, "vi.srt",
		"1\n00:00:00,000 --> 00:00:02,000\nQuyền được học tập\n\n"
		"2\n00:00:02,000 --> 00:00:04,000\nQuyền được vui chơi\n");
	char *rad = test_write_file(dir, "rad.srt",
		"1\n00:00:00,000 --> 00:00:04,000\nÊđê\n");
	int rc = test_system(
		"ffmpeg -nostdin -v error -y "
		"-f lavfi -i testsrc2=size=160x120:rate=25:duration=4 "
		"-f lavfi -i anullsrc=r=48000:cl=stereo:d=4 "
		"-f lavfi -i sine=frequency=1000:sample_rate=48000:duration=4 "
		"-i '%s' -i '%s' "
		"-map 0:v -map 1:a -map 2:a -map 3 -map 4 "
		"-c:v libx264 -pix_fmt yuv420p -c:a aac -c:s srt "
		"-metadata:s:a:0 language=vie -metadata:s:a:1 language=rad "
		"-metadata:s:s:0 language=vie -metadata:s:s:1 language=rad "
		"-disposition:a:0 default '%s'", vi, rad, clip);
	free(vi);
	free(rad);
	if (rc != 0)
		return -1;
	/* the disk driver writes what would be heard to a file */
	setenv("SDL_AUDIODRIVER", "disk", 1);
	setenv("SDL_DISKAUDIOFILE", audio_out, 1);
	ren = test_sdl_open(SDL_INIT_VIDEO | SDL_INIT_AUDIO | SDL_INIT_EVENTS, 64, 64,
			    &win);
	return ren ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	test_sdl_close(win, ren);
	test_rmtree(dir);
	free(dir);
	free(clip);
	free(audio_out);
	return 0;
}

static struct movie *open_with(const char *const *langs)
{
	struct movie_options opt = { .volume = 1, .langs = langs };
	char err[256];
	struct movie *m = movie_open(clip, &opt, err, sizeof err);
	if (!m)
		fail_msg("%s", err);
	return m;
}

/* Run the main loop for ms milliseconds. */
static void run_for(struct movie *m, SDL_Texture **tex, int ms)
{
	int64_t end = time_mono_ms() + ms;
	while (time_mono_ms() < end) {
		SDL_Event ev;
		while (SDL_PollEvent(&ev))
			;
		movie_update_texture(m, ren, tex);
		assert_false(movie_failed(m, NULL, 0));
		SDL_Delay(5);
	}
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* RMS of the S16 stereo samples of the disk file between two byte
 * offsets. */
static double rms(long from, long to)
{
	FILE *f = fopen(audio_out, "rb");
	assert_non_null(f);
	fseek(f, from & ~3L, SEEK_SET);
	double sum = 0;
	long n = 0;
	int16_t s[2];
	while (ftell(f) < to && fread(s, sizeof s, 1, f) == 1) {
		sum += (double)s[0] * s[0] + (double)s[1] * s[1];
		n += 2;
	}
	fclose(f);
	return n ? sqrt(sum / n) : 0;
}

static void test_choice_by_language(void **state)
{
	(void)state;
	struct movie *m = open_with((const char *const[]){ "rad", "vi", NULL });
	assert_int_equal(movie_audio_tracks(m), 2);
	assert_string_equal(movie_audio_track_lang(m, 0), "vie");
	assert_string_equal(movie_audio_track_lang(m, 1), "rad");
	assert_int_equal(movie_audio_track(m), 1);
	movie_close(m);

	/* ISO 639-2 codes match too; case does not matter */
	m = open_with((const char *const[]){ "VIE", NULL });
	assert_int_equal(movie_audio_track(m), 0);
	movie_close(m);

	/* no match: the file's default track */
	m = open_with((const char *const[]){ "eng", "en", NULL });
	assert_int_equal(movie_audio_track(m), 0);
	movie_close(m);
	m = open_with(NULL);
	assert_int_equal(movie_audio_track(m), 0);
	movie_close(m);
}

static void test_switch_while_playing(void **state)
{
	(void)state;
	SDL_Texture *tex = NULL;
	long start = file_size(audio_out);
	struct movie *m = open_with((const char *const[]){ "vi", "vie", NULL });
	assert_int_equal(movie_audio_track(m), 0);
	run_for(m, &tex, 1200);
	long before = file_size(audio_out);
	double pos = movie_position_s(m);
	/* silent Vietnamese track so far */
	double quiet = rms(start + (before - start) / 4, before);
	printf("  Vietnamese track, RMS %.0f at %.2f s\n", quiet, pos);
	assert_true(quiet < 50);

	movie_set_audio_track(m, 1);
	assert_int_equal(movie_audio_track(m), 1);
	run_for(m, &tex, 200);
	double pos2 = movie_position_s(m);
	printf("  switched at %.2f s, now %.2f s\n", pos, pos2);
	/* carries on from where it was, not from the start */
	assert_true(pos2 > pos - 0.3 && pos2 < pos + 1.0);
	long mid = file_size(audio_out);
	run_for(m, &tex, 800);
	long after = file_size(audio_out);
	double loud = rms(mid, after);
	printf("  Ê Đê track, RMS %.0f\n", loud);
	assert_true(loud > 1000);   /* the sine is at 1/8 of full scale */
	assert_false(movie_finished(m));
	movie_close(m);
	SDL_DestroyTexture(tex);
}

/* Wait until the demux thread has read the cue of track i at t. */
static bool cue_at(struct movie *m, int i, double t, char *buf, size_t size)
{
	int64_t end = time_mono_ms() + 5000;
	while (time_mono_ms() < end) {
		if (movie_subtitle_text(m, i, t, buf, size))
			return true;
		SDL_Delay(10);
	}
	return false;
}

static void test_embedded_subtitles(void **state)
{
	(void)state;
	struct movie *m = open_with(NULL);
	assert_int_equal(movie_subtitle_tracks(m), 2);
	assert_string_equal(movie_subtitle_track_lang(m, 0), "vie");
	assert_string_equal(movie_subtitle_track_lang(m, 1), "rad");
	char buf[128];
	assert_true(cue_at(m, 0, 0.5, buf, sizeof buf));
	assert_string_equal(buf, "Quyền được học tập");
	assert_true(cue_at(m, 1, 0.5, buf, sizeof buf));
	assert_string_equal(buf, "Êđê");
	assert_true(cue_at(m, 0, 2.5, buf, sizeof buf));
	assert_string_equal(buf, "Quyền được vui chơi");
	/* read again after a seek: no cue twice */
	movie_seek(m, 0);
	SDL_Texture *tex = NULL;
	run_for(m, &tex, 300);
	assert_true(cue_at(m, 0, 0.5, buf, sizeof buf));
	assert_string_equal(buf, "Quyền được học tập");
	assert_false(movie_subtitle_text(m, 0, 4.5, buf, sizeof buf));
	assert_false(movie_subtitle_text(m, 2, 0.5, buf, sizeof buf));
	movie_close(m);
	SDL_DestroyTexture(tex);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choice_by_language),
		cmocka_unit_test(test_switch_while_playing),
		cmocka_unit_test(test_embedded_subtitles),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
