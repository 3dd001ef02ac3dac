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

/* Cues added one by one (as a stream inside a media file gives them):
 * kept in time order, the same cue read twice (after a seek) kept once,
 * invalid UTF-8 dropped, and no more than SUBTITLES_MAX_CUES per track. */
static void test_added_cues(void **state)
{
	(void)state;
	struct subtitles *subs = subtitles_create();
	AVSubtitleRect rect = { .type = SUBTITLE_ASS };
	AVSubtitleRect *rects[] = { &rect };
	AVSubtitle sub = { .num_rects = 1, .rects = rects };
	static const struct { double at; const char *ass; } in[] = {
		{ 4.0, "0,0,Default,,0,0,0,,Thứ ba" },
		{ 0.0, "1,0,Default,,0,0,0,,Thứ {\\i1}nhất{\\i0}\\Ndòng hai" },
		{ 2.0, "2,0,Default,,0,0,0,,Thứ hai" },
		{ 0.0, "1,0,Default,,0,0,0,,Thứ {\\i1}nhất{\\i0}\\Ndòng hai" },
		{ 6.0, "3,0,Default,,0,0,0,,bad \xC3" },
	};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		rect.ass = (char *)in[i].ass;
		subtitles_add(subs, &sub, in[i].at, 1.5);
	}
	assert_int_equal(subs->n_cues, 3);
	assert_string_equal(subtitles_at(subs, 0.5), "Thứ nhất\ndòng hai");
	assert_string_equal(subtitles_at(subs, 2.1), "Thứ hai");
	assert_string_equal(subtitles_at(subs, 5.4), "Thứ ba");
	assert_null(subtitles_at(subs, 1.7));
	assert_null(subtitles_at(subs, 6.2));
	rect.ass = "9,0,Default,,0,0,0,,x";
	for (int i = 0; i < SUBTITLES_MAX_CUES + 100; i++)
		subtitles_add(subs, &sub, 10.0 + i, 0.5);
	assert_int_equal(subs->n_cues, SUBTITLES_MAX_CUES);
	subtitles_destroy(subs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_srt),
		cmocka_unit_test(test_vtt_and_find),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_added_cues),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
