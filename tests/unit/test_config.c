/*
 * test_config: defaults, the file format, limits and error messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/config.h"
#include "base/util.h"
#include "test_support.h"

static void test_defaults(void **state)
{
	(void)state;
	struct kiosk_config cfg;
	config_defaults(&cfg);
	assert_string_equal(cfg.default_lang, "vi");
	assert_int_equal(cfg.idle_timeout_s, 90);
	assert_true(cfg.fullscreen);
	assert_true(strncmp(cfg.kiosk_id, "kiosk-", 6) == 0);
	assert_true(cfg.content_dir[0] && cfg.data_dir[0] && cfg.locales_dir[0]);
	assert_true(file_exists(cfg.font_path));
}

static void test_load_file(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *path = test_write_file(dir, "kiosk.conf",
		"\xEF\xBB\xBF# a kiosk at a village exhibition\n"
		"kiosk_id = dak-lak-03\n"
		"site = Buôn Đôn   # comment after a value\n"
		"\n"
		"idle_timeout = 120\n"
		"default_language=rad\n"
		"fullscreen = no\n");
	struct kiosk_config cfg;
	config_defaults(&cfg);
	struct diag_list d;
	diag_list_init(&d);
	assert_true(config_load(&cfg, path, &d));
	assert_int_equal(d.len, 0);
	assert_string_equal(cfg.kiosk_id, "dak-lak-03");
	assert_string_equal(cfg.site, "Buôn Đôn");
	assert_int_equal(cfg.idle_timeout_s, 120);
	assert_string_equal(cfg.default_lang, "rad");
	assert_false(cfg.fullscreen);
	diag_list_finish(&d);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void test_bad_lines(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *path = test_write_file(dir, "kiosk.conf",
		"idle_timout = 30\n"          /* 1: typo */
		"idle_timeout = 2\n"          /* 2: below the limit */
		"idle_timeout = soon\n"       /* 3: not a number */
		"fullscreen = maybe\n"        /* 4: not a boolean */
		"just words\n"                /* 5: no '=' */
		"site = \xC3\x28\n"           /* 6: invalid UTF-8 */
		"attract_interval = 20\n");   /* 7: fine */
	struct kiosk_config cfg;
	config_defaults(&cfg);
	struct diag_list d;
	diag_list_init(&d);
	assert_true(config_load(&cfg, path, &d));
	assert_int_equal(d.len, 6);
	const char *want[] = {
		"kiosk.conf:1: error: idle_timout: unknown setting",
		"kiosk.conf:2: error: idle_timeout: 2 is outside 5..3600",
		"kiosk.conf:3: error: idle_timeout: 'soon' is not a whole number",
		"kiosk.conf:4: error: fullscreen: 'maybe' is not true or false",
		"kiosk.conf:5: error: expected 'key = value'",
		"kiosk.conf:6: error: site: value is not valid UTF-8",
	};
	for (size_t i = 0; i < d.len; i++) {
		char *s = diag_format(&d.items[i]);
		/* the path prefix is the tmpdir; compare from the file name */
		const char *tail = strstr(s, "kiosk.conf");
		assert_non_null(tail);
		assert_string_equal(tail, want[i]);
		free(s);
	}
	/* bad values keep the defaults; good lines apply */
	assert_int_equal(cfg.idle_timeout_s, 90);
	assert_true(cfg.fullscreen);
	assert_int_equal(cfg.attract_interval_s, 20);
	diag_list_finish(&d);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void test_missing_file_and_set(void **state)
{
	(void)state;
	struct kiosk_config cfg;
	config_defaults(&cfg);
	assert_false(config_load(&cfg, "/nonexistent/kiosk.conf", NULL));
	struct diag_list d;
	diag_list_init(&d);
	assert_true(config_set(&cfg, "site", "Kon Rẫy", &d));
	assert_string_equal(cfg.site, "Kon Rẫy");
	assert_false(config_set(&cfg, "colour", "red", &d));
	char big[300];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_false(config_set(&cfg, "site", big, &d));
	assert_int_equal(d.len, 2);
	diag_list_finish(&d);
}

static void test_print_roundtrip(void **state)
{
	(void)state;
	struct kiosk_config a, b;
	config_defaults(&a);
	snprintf(a.site, sizeof a.site, "Nhà văn hóa xã");
	a.idle_timeout_s = 45;
	char *dir = test_tmpdir();
	char *path = path_join(dir, "printed.conf");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	config_print(&a, f);
	fclose(f);
	config_defaults(&b);
	struct diag_list d;
	diag_list_init(&d);
	assert_true(config_load(&b, path, &d));
	assert_int_equal(d.len, 0);
	assert_string_equal(a.site, b.site);
	assert_string_equal(a.kiosk_id, b.kiosk_id);
	assert_string_equal(a.content_dir, b.content_dir);
	assert_string_equal(a.data_dir, b.data_dir);
	assert_string_equal(a.font_path, b.font_path);
	assert_string_equal(a.font_fallback, b.font_fallback);
	assert_int_equal(a.idle_timeout_s, b.idle_timeout_s);
	assert_int_equal(a.fullscreen, b.fullscreen);
	assert_int_equal(a.window_w, b.window_w);
	diag_list_finish(&d);
	free(path);
	test_rmtree(dir);
	free(dir);
}

/* font_fallback: the installed fonts of the default list, ':'-separated,
 * split by config_split_paths; at most CONFIG_MAX_FONTS. */
static void test_font_fallback(void **state)
{
	(void)state;
	struct kiosk_config cfg;
	config_defaults(&cfg);
	size_t n;
	const char **v = config_split_paths(cfg.font_fallback, &n);
	assert_true(n <= 4);
	for (size_t i = 0; i < n; i++)
		assert_true(file_exists(v[i]));
	assert_null(v[n]);
	if (file_exists("/usr/share/fonts/truetype/noto/NotoSansSymbols2-Regular.ttf"))
		assert_string_equal(v[0], "/usr/share/fonts/truetype/noto/NotoSansSymbols2-Regular.ttf");
	free(v);

	/* empty entries and blanks around paths are left out */
	v = config_split_paths(" /a/one.ttf::/b/two.ttf : /c/three.ttf:", &n);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "/a/one.ttf");
	assert_string_equal(v[1], "/b/two.ttf");
	assert_string_equal(v[2], "/c/three.ttf");
	assert_null(v[3]);
	free(v);
	v = config_split_paths("", &n);
	assert_int_equal(n, 0);
	assert_null(v[0]);
	free(v);

	struct diag_list d;
	diag_list_init(&d);
	assert_true(config_set(&cfg, "font_fallback", "/x/a.ttf:/x/b.ttf", &d));
	assert_string_equal(cfg.font_fallback, "/x/a.ttf:/x/b.ttf");
	assert_true(config_set(&cfg, "font_fallback", "", &d));
	assert_string_equal(cfg.font_fallback, "");
	assert_int_equal(d.len, 0);
	assert_false(config_set(&cfg, "font_fallback",
				"1:2:3:4:5:6:7:8:9", &d));
	assert_int_equal(d.len, 1);
	char *msg = diag_format(&d.items[0]);
	assert_string_equal(msg, "command line: error: font_fallback: 9 paths, "
			    "at most 8 allowed");
	free(msg);
	assert_string_equal(cfg.font_fallback, "");
	diag_list_finish(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_missing_file_and_set),
		cmocka_unit_test(test_print_roundtrip),
		cmocka_unit_test(test_font_fallback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
