/*
 * test_check: `kiosk check` on the broken fixtures (one precise message per
 * problem, as listed in tests/fixtures/broken/EXPECTED) and on a small valid
 * library generated with the ffmpeg tool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/config.h"
#include "base/util.h"
#include "cli/cli.h"
#include "test_support.h"

/* The default fonts (the characters check uses them), the tree's
 * locales (or locales) and demo library; nothing else set. */
static void config_for_tests(struct kiosk_config *cfg, const char *locales)
{
	struct kiosk_config defaults;
	config_defaults(&defaults);
	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->font_path, sizeof cfg->font_path, "%s", defaults.font_path);
	snprintf(cfg->font_fallback, sizeof cfg->font_fallback, "%s",
		 defaults.font_fallback);
	char *loc = locales ? xstrdup(locales) : test_source_path("locales");
	char *content = test_source_path("content");
	snprintf(cfg->locales_dir, sizeof cfg->locales_dir, "%s", loc);
	snprintf(cfg->content_dir, sizeof cfg->content_dir, "%s", content);
	snprintf(cfg->default_lang, sizeof cfg->default_lang, "vi");
	free(loc);
	free(content);
}

/* Run `kiosk check` with the arguments after argv0 (NULL-terminated) and
 * return its status; *out receives what it printed on stdout. */
static int run_check(struct kiosk_config *cfg, char **out, ...)
{
	char *args[16] = { "check" };
	int argc = 1;
	va_list ap;
	va_start(ap, out);
	for (char *a; argc < 15 && (a = va_arg(ap, char *));)
		args[argc++] = a;
	va_end(ap);

	char *dir = test_tmpdir();
	char *path = path_join(dir, "stdout.txt");
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_non_null(freopen(path, "w", stdout));
	int rc = cli_check_main(cfg, argc, args);
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	clearerr(stdout);

	*out = file_read_all(path, NULL);
	assert_non_null(*out);
	free(path);
	test_rmtree(dir);
	free(dir);
	return rc;
}

/* Split text into lines in place; returns the count. Comment lines ('#')
 * and empty lines are dropped when skip_comments. */
static size_t split_lines(char *text, char **lines, size_t max,
			  bool skip_comments)
{
	size_t n = 0;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		if (skip_comments && (l[0] == '#' || l[0] == '\0'))
			continue;
		if (n < max)
			lines[n++] = l;
	}
	return n;
}

static void test_broken_fixtures(void **state)
{
	(void)state;
	/* Paths are printed as given: run from the source root with the
	 * relative path, as an author would. */
	char *root = test_source_path("");
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(root), 0);

	struct kiosk_config cfg;
	config_for_tests(&cfg, NULL);
	char *out = NULL;
	int rc = run_check(&cfg, &out, "tests/fixtures/broken", NULL);
	char *expected = file_read_all("tests/fixtures/broken/EXPECTED", NULL);
	assert_int_equal(chdir(cwd), 0);
	assert_non_null(expected);
	assert_int_equal(rc, 1);

	char *got_lines[64], *want_lines[64];
	size_t n_got = split_lines(out, got_lines, 64, false);
	size_t n_want = split_lines(expected, want_lines, 64, true);
	/* Every expected problem, each named on its own so a failure says
	 * which one went missing. */
	for (size_t i = 0; i < n_want; i++) {
		bool found = false;
		for (size_t j = 0; j < n_got; j++)
			found |= strcmp(want_lines[i], got_lines[j]) == 0;
		if (!found)
			fail_msg("expected line not printed:\n  %s", want_lines[i]);
	}
	for (size_t j = 0; j < n_got; j++) {
		bool found = false;
		for (size_t i = 0; i < n_want; i++)
			found |= strcmp(want_lines[i], got_lines[j]) == 0;
		if (!found)
			fail_msg("unexpected line printed:\n  %s", got_lines[j]);
	}
	/* Same order too: folders are checked sorted by name. */
	assert_int_equal(n_got, n_want);
	for (size_t i = 0; i < n_want; i++)
		assert_string_equal(got_lines[i], want_lines[i]);
	free(out);
	free(expected);
	free(root);
}

static bool have_ffmpeg(void)
{
	return test_system("ffmpeg -version >/dev/null 2>&1") == 0;
}

/* Make a small valid library in dir with one item of each type. */
static void make_valid_library(const char *dir)
{
	int rc = test_system(
		"cd '%s' && mkdir -p video audio poster leaflet && "
		"ffmpeg -v error -y -f lavfi -i testsrc=s=64x48:r=10:d=1 "
		"  -f lavfi -i sine=d=1 -c:v mpeg4 -c:a aac -shortest video/video.vi.mp4 && "
		"ffmpeg -v error -y -f lavfi -i sine=d=1 -c:a aac audio/drama.m4a && "
		"ffmpeg -v error -y -f lavfi -i color=c=red:s=16x16 -frames:v 1 poster/poster.png && "
		"ffmpeg -v error -y -f lavfi -i color=c=blue:s=16x16 -frames:v 1 poster/thumb.jpg && "
		"cp poster/poster.png video/thumb.png && "
		"ffmpeg -v error -y -f lavfi -i color=c=white:s=16x16 -frames:v 1 leaflet/page1.png",
		dir);
	assert_int_equal(rc, 0);
	free(test_write_file(dir, "video/item.json",
		"{ \"id\": \"video-one\", \"type\": \"video\",\n"
		"  \"title\": { \"vi\": \"Phim\", \"en\": \"Film\" },\n"
		"  \"summary\": { \"vi\": \"Tóm tắt\" },\n"
		"  \"topics\": [ \"crc\", \"children\" ],\n"
		"  \"featured\": [ { \"from\": \"12-03\", \"to\": \"12-10\" } ],\n"
		"  \"media\": { \"vi\": \"video.vi.mp4\" },\n"
		"  \"thumbnail\": \"thumb.png\" }\n"));
	free(test_write_file(dir, "audio/item.json",
		"{ \"id\": \"audio-one\", \"type\": \"audio\",\n"
		"  \"title\": { \"vi\": \"Kịch truyền thanh\", \"rad\": \"Êđê\" },\n"
		"  \"topics\": [ \"ethnic-minorities\" ],\n"
		"  \"media\": { \"vi\": \"drama.m4a\", \"rad\": \"drama.m4a\" },\n"
		"  \"source\": \"test\" }\n"));
	free(test_write_file(dir, "poster/item.json",
		"{ \"id\": \"poster-one\", \"type\": \"poster\",\n"
		"  \"title\": { \"vi\": \"Áp phích\" },\n"
		"  \"topics\": [ \"hr-day\" ],\n"
		"  \"featured\": [ { \"from\": \"2026-12-01\", \"to\": \"2026-12-31\" } ],\n"
		"  \"media\": { \"vi\": \"poster.png\" },\n"
		"  \"thumbnail\": \"thumb.jpg\" }\n"));
	free(test_write_file(dir, "leaflet/item.json",
		"{ \"id\": \"leaflet-one\", \"type\": \"leaflet\",\n"
		"  \"title\": { \"vi\": \"Tờ rơi\" },\n"
		"  \"topics\": [ \"cedaw\", \"women\" ],\n"
		"  \"media\": { \"vi\": \"page1.png\" } }\n"));
}

static void test_valid_library(void **state)
{
	(void)state;
	if (!have_ffmpeg())
		skip();
	char *dir = test_tmpdir();
	make_valid_library(dir);
	struct kiosk_config cfg;
	config_for_tests(&cfg, NULL);
	char *out = NULL;
	int rc = run_check(&cfg, &out, dir, NULL);
	if (rc != 0)
		fail_msg("check failed on a valid library:\n%s", out);
	assert_string_equal(out, "4 items, 0 errors, 0 warnings\n");
	free(out);
	test_rmtree(dir);
	free(dir);
}

/* Media that decodes but is the wrong kind for the item's type. */
static void test_wrong_kind_of_media(void **state)
{
	(void)state;
	if (!have_ffmpeg())
		skip();
	char *dir = test_tmpdir();
	make_valid_library(dir);
	/* A poster whose "picture" is a video, a video that is only sound,
	 * a thumbnail that is not a picture at all. */
	assert_int_equal(test_system(
		"cd '%s' && cp video/video.vi.mp4 poster/poster.png && "
		"cp audio/drama.m4a video/video.vi.mp4 && "
		"echo text > poster/thumb.jpg", dir), 0);
	struct kiosk_config cfg;
	config_for_tests(&cfg, NULL);
	char *out = NULL;
	int rc = run_check(&cfg, &out, dir, NULL);
	assert_int_equal(rc, 1);
	char *want_poster = xasprintf(
		"%s/poster/item.json:5:20: error: media file \"poster.png\" is "
		"not a still image (mov,mp4,m4a,3gp,3g2,mj2)", dir);
	char *want_thumb = xasprintf(
		"%s/poster/item.json:6:16: error: thumbnail \"thumb.jpg\" cannot "
		"be decoded: Invalid data found when processing input", dir);
	char *want_video = xasprintf(
		"%s/video/item.json:6:20: error: media file \"video.vi.mp4\" has "
		"no decodable video stream (mov,mp4,m4a,3gp,3g2,mj2)", dir);
	if (!strstr(out, want_poster) || !strstr(out, want_thumb) ||
	    !strstr(out, want_video))
		fail_msg("got:\n%s\nwanted:\n%s\n%s\n%s", out, want_poster,
			 want_thumb, want_video);
	assert_non_null(strstr(out, "2 items, 3 errors, 0 warnings\n"));
	free(want_poster);
	free(want_thumb);
	free(want_video);
	free(out);
	test_rmtree(dir);
	free(dir);
}

static void test_usage(void **state)
{
	(void)state;
	struct kiosk_config cfg;
	config_for_tests(&cfg, NULL);
	char *out = NULL;
	assert_int_equal(run_check(&cfg, &out, "--help", NULL), 0);
	assert_non_null(strstr(out, "usage: kiosk check [DIR]"));
	free(out);
	assert_int_equal(run_check(&cfg, &out, "--bogus", NULL), 2);
	free(out);
	assert_int_equal(run_check(&cfg, &out, "a", "b", NULL), 2);
	free(out);
}

static void test_missing_library(void **state)
{
	(void)state;
	struct kiosk_config cfg;
	config_for_tests(&cfg, NULL);
	char *out = NULL;
	assert_int_equal(run_check(&cfg, &out, "/nonexistent/library", NULL), 1);
	assert_string_equal(out,
		"/nonexistent/library: error: cannot read the library folder: "
		"No such file or directory\n"
		"0 items, 1 errors, 0 warnings\n");
	free(out);
}

/* Problems in languages.json are reported too, and fail the check. */
static void test_bad_languages_file(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *loc = path_join(dir, "locales");
	free(test_write_file(dir, "locales/languages.json",
		"{ \"default\": \"vi\",\n"
		"  \"languages\": [\n"
		"    { \"tag\": \"vi\", \"endonym\": \"Tiếng Việt\", \"name_vi\": \"Tiếng Việt\", \"kind\": \"national\" },\n"
		"    { \"tag\": \"en\", \"endonym\": \"English\", \"name_vi\": \"Tiếng Anh\", \"kind\": \"alien\" } ] }\n"));
	char *lib = path_join(dir, "lib");
	assert_true(mkdir_parents(lib));
	struct kiosk_config cfg;
	config_for_tests(&cfg, loc);
	char *out = NULL;
	assert_int_equal(run_check(&cfg, &out, lib, NULL), 1);
	char *want = xasprintf("%s/languages.json:4:74: error: unknown kind "
			       "\"alien\" (expected national, minority or "
			       "foreign)\n0 items, 1 errors, 0 warnings\n", loc);
	assert_string_equal(out, want);
	free(want);
	free(out);
	free(lib);
	free(loc);
	test_rmtree(dir);
	free(dir);
}

/* The default fonts' file names, as the character warnings list them. */
static char *font_names(const struct kiosk_config *cfg)
{
	size_t n;
	const char **fb = config_split_paths(cfg->font_fallback, &n);
	char *names = xstrdup(strrchr(cfg->font_path, '/') + 1);
	for (size_t i = 0; i < n; i++) {
		char *s = xasprintf("%s, %s", names, strrchr(fb[i], '/') + 1);
		free(names);
		names = s;
	}
	free(fb);
	return names;
}

/* Characters no configured font has are warnings, at the line they are
 * on: in PO translations, item texts, text leaflets and subtitles. */
static void test_undrawable_characters(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *loc = path_join(dir, "locales");
	char *lib = path_join(dir, "lib");
	free(test_write_file(dir, "locales/languages.json",
		"{ \"default\": \"vi\",\n"
		"  \"languages\": [\n"
		"    { \"tag\": \"vi\", \"endonym\": \"Tiếng Việt\", \"name_vi\": \"Tiếng Việt\", \"kind\": \"national\" },\n"
		"    { \"tag\": \"en\", \"endonym\": \"English\", \"name_vi\": \"Tiếng Anh\", \"kind\": \"foreign\" } ] }\n"));
	free(test_write_file(dir, "locales/vi.po",
		"msgid \"\"\n"
		"msgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n"
		"\n"
		"msgid \"Home\"\n"
		"msgstr \"\"\n"
		"\"Trang \"\n"
		"\"chủ \xF0\x90\x80\x81\"\n"));          /* line 7: U+10001 */
	free(test_write_file(dir, "locales/en.po",
		"msgid \"Home\"\n"
		"msgstr \"Home → ✓\"\n"));                  /* fallbacks draw it */
	free(test_write_file(dir, "lib/leaflet/item.json",
		"{ \"id\": \"leaflet-one\", \"type\": \"leaflet\",\n"
		"  \"title\": { \"vi\": \"Tờ rơi \\ue000\",\n"   /* escaped */
		"             \"en\": \"Leaflet → ✓\" },\n"
		"  \"summary\": { \"en\": \"Sum \xEE\x80\x84\" },\n"
		"  \"topics\": [ \"udhr\" ],\n"
		"  \"media\": { \"vi\": \"to-roi.vi.md\", \"en\": \"to-roi.vi.md\" } }\n"));
	free(test_write_file(dir, "lib/leaflet/to-roi.vi.md",
		"# Tiêu đề\n\nMột dòng có \xEE\x80\x81 ở giữa.\n"));
	free(test_write_file(dir, "lib/leaflet/to-roi.vi.srt",
		"1\n00:00:01,000 --> 00:00:02,000\nPhụ đề \xEE\x80\x82\n"));
	free(test_write_file(dir, "lib/leaflet/to-roi.en.vtt",
		"WEBVTT\n\n00:01.000 --> 00:02.000\nSubtitle \xEE\x80\x83\n"));
	struct kiosk_config cfg;
	config_for_tests(&cfg, loc);
	char *out = NULL;
	assert_int_equal(run_check(&cfg, &out, lib, NULL), 0);
	char *names = font_names(&cfg);
	const char *tail = "cannot be drawn by any configured font (fonts: ";
	char *want = xasprintf(
		"%1$s/vi.po:7: warning: character U+10001 '\xF0\x90\x80\x81' %3$s%4$s)\n"
		"%2$s/leaflet/item.json:2: warning: character U+E000 '\xEE\x80\x80' %3$s%4$s)\n"
		"%2$s/leaflet/item.json:4: warning: character U+E004 '\xEE\x80\x84' %3$s%4$s)\n"
		"%2$s/leaflet/to-roi.vi.md:3: warning: character U+E001 '\xEE\x80\x81' %3$s%4$s)\n"
		"%2$s/leaflet/to-roi.en.vtt:4: warning: character U+E003 '\xEE\x80\x83' %3$s%4$s)\n"
		"%2$s/leaflet/to-roi.vi.srt:3: warning: character U+E002 '\xEE\x80\x82' %3$s%4$s)\n"
		"1 items, 0 errors, 6 warnings\n", loc, lib, tail, names);
	assert_string_equal(out, want);
	free(want);
	free(names);
	free(out);

	/* no font configured: no character check at all */
	cfg.font_path[0] = '\0';
	cfg.font_fallback[0] = '\0';
	assert_int_equal(run_check(&cfg, &out, lib, NULL), 0);
	assert_string_equal(out, "1 items, 0 errors, 0 warnings\n");
	free(out);
	free(lib);
	free(loc);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_broken_fixtures),
		cmocka_unit_test(test_valid_library),
		cmocka_unit_test(test_wrong_kind_of_media),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_bad_languages_file),
		cmocka_unit_test(test_undrawable_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
