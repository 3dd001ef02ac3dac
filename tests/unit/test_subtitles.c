/*
 * test_subtitles: SRT and WebVTT files read through libavformat and
 * libavcodec: cue times, plain text (markup removed, line breaks kept,
 * Vietnamese intact), lookup by time, the file-name convention, and bad
 * files refused with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "media/subtitles.h"
#include "test_support.h"

static const char srt[] =
	"1\n00:00:01,000 --> 00:00:03,500\nMọi người sinh ra đều được tự do\n\n"
	"2\n00:00:04,000 --> 00:00:06,000\n<i>và bình đẳng</i>\nvề phẩm giá và quyền.\n\n"
	"3\n00:00:10,250 --> 00:00:12,000\nKlei bhiăn\n";

static const char vtt[] =
	"WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nEveryone is born free\n\n"
	"00:00:02.500 --> 00:00:04.000\n<b>and equal</b> in dignity\n";

static void test_srt(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *path = test_write_file(dir, "video.vi.srt", srt);
	char err[256];
	struct subtitles *s = subtitles_load(path, err, sizeof err);
	assert_non_null(s);
	assert_int_equal(s->n_cues, 3);
	assert_true(s->cues[0].start_s > 0.99 && s->cues[0].start_s < 1.01);
	assert_true(s->cues[0].end_s > 3.49 && s->cues[0].end_s < 3.51);
	assert_string_equal(s->cues[0].text, "Mọi người sinh ra đều được tự do");
	assert_string_equal(s->cues[1].text, "và bình đẳng\nvề phẩm giá và quyền.");
	assert_null(subtitles_at(s, 0.5));
	assert_string_equal(subtitles_at(s, 2.0), s->cues[0].text);
	assert_null(subtitles_at(s, 3.8));
	assert_string_equal(subtitles_at(s, 5.0), s->cues[1].text);
	assert_string_equal(subtitles_at(s, 11.0), "Klei bhiăn");
	assert_null(subtitles_at(s, 13.0));
	subtitles_destroy(s);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void test_vtt_and_find(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	free(test_write_file(dir, "video.vi.mp4", "x"));
	char *vpath = test_write_file(dir, "video.en.vtt", vtt);
	char *media = path_join(dir, "video.vi.mp4");
	char *found = subtitles_find(media, "en");
	assert_non_null(found);
	assert_string_equal(found, vpath);
	assert_null(subtitles_find(media, "rad"));
	char err[256];
	struct subtitles *s = subtitles_load(found, err, sizeof err);
	assert_non_null(s);
	assert_int_equal(s->n_cues, 2);
	assert_string_equal(subtitles_at(s, 1.0), "Everyone is born free");
	assert_string_equal(subtitles_at(s, 3.0), "and equal in dignity");
	subtitles_destroy(s);
	/* no language part in the media name: clip.mp4 -> clip.vi.srt */
	char *clip = path_join(dir, "clip.mp4");
	char *csrt = test_write_file(dir, "clip.vi.srt", srt);
	char *cf = subtitles_find(clip, "vi");
	assert_non_null(cf);
	assert_string_equal(cf, csrt);
	free(cf);
	free(csrt);
	free(clip);
	free(found);
	free(media);
	free(vpath);
	test_rmtree(dir);
	free(dir);
}

static void test_bad_files(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char err[256];
	char *junk = test_write_file(dir, "junk.vi.srt", "this is not a subtitle file\n");
	assert_null(subtitles_load(junk, err, sizeof err));
	assert_non_null(strstr(err, "junk.vi.srt"));
	char *empty = test_write_file(dir, "empty.vi.srt", "");
	assert_null(subtitles_load(empty, err, sizeof err));
	assert_non_null(strstr(err, "empty.vi.srt"));
	char *missing = path_join(dir, "missing.vi.srt");
	assert_null(subtitles_load(missing, err, sizeof err));
	assert_null(subtitles_at(NULL, 1.0));
	free(missing);
	free(empty);
	free(junk);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_srt),
		cmocka_unit_test(test_vtt_and_find),
		cmocka_unit_test(test_bad_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
