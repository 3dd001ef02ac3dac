/*
 * test_settings: the operator menu's settings file: save and load round
 * trips for any site name the keyboard can type ('#', quotes, outer
 * spaces, Vietnamese), control characters left out, other keys and bad
 * values reported with file:line, unreadable and unwritable folders, and
 * the settings applied over the config file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/config.h"
#include "base/diag.h"
#include "base/settings.h"
#include "base/util.h"
#include "test_support.h"

#define SITE_VI "Nhà văn hoá xã Ea Tiêu #2"

/* Defaults with the data directory in dir. */
static void config_in(struct kiosk_config *cfg, const char *dir)
{
	config_defaults(cfg);
	snprintf(cfg->data_dir, sizeof cfg->data_dir, "%s", dir);
}

/* Save cfg, load it over fresh defaults into *back; no problems allowed. */
static void save_and_load(const struct kiosk_config *cfg,
			  struct kiosk_config *back)
{
	char *err = NULL;
	if (!settings_save(cfg, &err))
		fail_msg("%s", err);
	config_in(back, cfg->data_dir);
	struct diag_list d;
	diag_list_init(&d);
	assert_true(settings_load(back, &d));
	if (d.len) {
		char *s = diag_format(&d.items[0]);
		fail_msg("%s", s);
	}
	diag_list_finish(&d);
}

static void test_round_trip(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	struct kiosk_config cfg, back;
	config_in(&cfg, dir);
	snprintf(cfg.site, sizeof cfg.site, "%s", SITE_VI);
	snprintf(cfg.default_lang, sizeof cfg.default_lang, "ede");
	cfg.volume_percent = 35;
	cfg.idle_timeout_s = 240;
	cfg.rotation = 270;
	save_and_load(&cfg, &back);
	assert_string_equal(back.site, SITE_VI);
	assert_string_equal(back.default_lang, "ede");
	assert_int_equal(back.volume_percent, 35);
	assert_int_equal(back.idle_timeout_s, 240);
	assert_int_equal(back.rotation, 270);

	/* the file: the header, then the keys in the config's own names */
	char *path = path_join(dir, SETTINGS_FILENAME);
	char *text = file_read_all(path, NULL);
	assert_non_null(text);
	assert_true(text[0] == '#');
	assert_non_null(strstr(text, "operator menu"));
	assert_non_null(strstr(text, "\nvolume = 35\n"));
	assert_non_null(strstr(text, "\nidle_timeout = 240\n"));
	assert_non_null(strstr(text, "\nrotation = 270\n"));
	assert_non_null(strstr(text, "\ndefault_language = ede\n"));
	free(text);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);

	/* names that only quoting keeps */
	static const char *const sites[] = {
		SITE_VI,
		"#1",
		"  two spaces before and after  ",
		" ",
		"\"Quoted\" at the start",
		"ends with a quote\"",
		"back\\slash and \\\" both",
		"\\",
		"a = b",
		"Buôn Ma Thuột; (Đắk Lắk)! 50% ~ `x` & <y> {z} [w] $ @ ^ * + | ? , .",
		"Plei Ơi — Gia Lai “quoted” ‘single’ …",
		"",
		"ĕ ĭ ŏ ŭ ƀ č ñ ê̆",
	};
	for (size_t i = 0; i < ARRAY_LEN(sites); i++) {
		snprintf(cfg.site, sizeof cfg.site, "%s", sites[i]);
		save_and_load(&cfg, &back);
		assert_string_equal(back.site, sites[i]);
	}

	/* an ordinary name is written unquoted, so the config reads it too */
	snprintf(cfg.site, sizeof cfg.site, "Buôn Đôn");
	char *err = NULL;
	assert_true(settings_save(&cfg, &err));
	config_defaults(&back);
	assert_true(config_load(&back, path, NULL));
	assert_string_equal(back.site, "Buôn Đôn");
	assert_int_equal(back.volume_percent, 35);

	/* no temporary files left */
	assert_int_equal(test_system("test $(ls -A '%s' | wc -l) -eq 1", dir), 0);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void test_control_characters(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	struct kiosk_config cfg, back;
	config_in(&cfg, dir);
	/* newline, tab, carriage return, DEL and a C1 control (U+0085) */
	snprintf(cfg.site, sizeof cfg.site,
		 "Ea\nTiêu\t#2\r\x7f" "x\xc2\x85y\x01");
	save_and_load(&cfg, &back);
	assert_string_equal(back.site, "EaTiêu#2xy");

	char site[64] = "  Buôn\t Đôn \n  xã\x02  ";
	settings_tidy_site(site);
	assert_string_equal(site, "Buôn Đôn xã");
	char blank[8] = " \t\n ";
	settings_tidy_site(blank);
	assert_string_equal(blank, "");
	test_rmtree(dir);
	free(dir);
}

static void test_bad_lines(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *path = test_write_file(dir, SETTINGS_FILENAME,
		"# written by the operator menu\n"  /* 1 */
		"site = \"Ea Tiêu #2\"  # the hall\n" /* 2: fine, quoted */
		"data_dir = /tmp/elsewhere\n"       /* 3: not the menu's */
		"colour = red\n"                    /* 4: unknown */
		"volume = 150\n"                    /* 5: outside the limits */
		"idle_timeout = soon\n"             /* 6: not a number */
		"default_language = \"vi\n"         /* 7: quote not closed */
		"site = \"a\" b\n"                  /* 8: text after the quote */
		"just words\n"                      /* 9: no '=' */
		"   \n"                             /* 10: blank */
		"    # indented comment\n"          /* 11 */
		"idle_timeout = 45 # seconds\n");   /* 12: fine */
	struct kiosk_config cfg;
	config_in(&cfg, dir);
	char data_dir[sizeof cfg.data_dir];
	snprintf(data_dir, sizeof data_dir, "%s", cfg.data_dir);
	struct diag_list d;
	diag_list_init(&d);
	assert_true(settings_load(&cfg, &d));
	static const char *const want[] = {
		SETTINGS_FILENAME ":3: error: data_dir: not one of the operator "
			"menu's settings (site, default_language, volume, "
			"idle_timeout, rotation); set it in the config file",
		SETTINGS_FILENAME ":4: error: colour: not one of the operator "
			"menu's settings (site, default_language, volume, "
			"idle_timeout, rotation); set it in the config file",
		SETTINGS_FILENAME ":5: error: volume: 150 is outside 0..100",
		SETTINGS_FILENAME ":6: error: idle_timeout: 'soon' is not a "
			"whole number",
		SETTINGS_FILENAME ":7: error: default_language: the closing "
			"quote is missing",
		SETTINGS_FILENAME ":8: error: site: text after the closing quote "
			"(a '#' starts a comment)",
		SETTINGS_FILENAME ":9: error: expected 'key = value'",
	};
	assert_int_equal(d.len, ARRAY_LEN(want));
	for (size_t i = 0; i < d.len; i++) {
		char *s = diag_format(&d.items[i]);
		/* the whole path, then file:line: key: what is wrong */
		assert_true(strncmp(s, path, strlen(path)) == 0);
		assert_string_equal(strstr(s, SETTINGS_FILENAME ":"), want[i]);
		free(s);
	}
	/* the good lines apply; the bad ones leave the values alone */
	assert_string_equal(cfg.site, "Ea Tiêu #2");
	assert_int_equal(cfg.idle_timeout_s, 45);
	assert_int_equal(cfg.volume_percent, 80);
	assert_string_equal(cfg.default_lang, "vi");
	assert_string_equal(cfg.data_dir, data_dir);
	diag_list_finish(&d);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void test_missing_and_unreadable(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	struct kiosk_config cfg, before;
	config_in(&cfg, dir);
	memcpy(&before, &cfg, sizeof cfg);
	struct diag_list d;
	diag_list_init(&d);
	/* no file: nothing to apply, not an error */
	assert_true(settings_load(&cfg, &d));
	assert_int_equal(d.len, 0);
	assert_memory_equal(&cfg, &before, sizeof cfg);
	/* no data directory at all */
	char *gone = path_join(dir, "not/there");
	snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", gone);
	assert_true(settings_load(&cfg, &d));
	assert_int_equal(d.len, 0);
	free(gone);

	/* a file that cannot be read (here a folder in its place) */
	config_in(&cfg, dir);
	char *path = path_join(dir, SETTINGS_FILENAME);
	assert_true(mkdir_parents(path));
	assert_false(settings_load(&cfg, &d));
	assert_int_equal(d.len, 1);
	char *s = diag_format(&d.items[0]);
	assert_non_null(strstr(s, path));
	assert_non_null(strstr(s, "cannot read"));
	free(s);
	assert_memory_equal(&cfg, &before, sizeof cfg);
	diag_list_finish(&d);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void test_unwritable(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	struct kiosk_config cfg;
	char *err = NULL;

	/* a value the config refuses is not written */
	config_in(&cfg, dir);
	cfg.volume_percent = 150;
	assert_false(settings_save(&cfg, &err));
	assert_non_null(strstr(err, SETTINGS_FILENAME));
	assert_non_null(strstr(err, "volume: 150 is outside 0..100"));
	free(err);
	err = NULL;
	char *path = path_join(dir, SETTINGS_FILENAME);
	assert_false(file_exists(path));
	free(path);

	/* a data folder under a plain file cannot be made, even by root */
	free(test_write_file(dir, "plainfile", "x\n"));
	char *under = path_join(dir, "plainfile/kiosk");
	config_in(&cfg, under);
	assert_false(settings_save(&cfg, &err));
	assert_non_null(strstr(err, "plainfile/kiosk/" SETTINGS_FILENAME));
	free(err);
	err = NULL;
	free(under);

	/* a folder without write permission; root writes anyway, so the
	 * case cannot be made when the tests run as root */
	if (geteuid() == 0) {
		test_rmtree(dir);
		free(dir);
		skip();
	}
	char *data = path_join(dir, "readonly");
	assert_true(mkdir_parents(data));
	config_in(&cfg, data);
	snprintf(cfg.site, sizeof cfg.site, "before");
	assert_true(settings_save(&cfg, &err));
	assert_int_equal(chmod(data, 0500), 0);
	snprintf(cfg.site, sizeof cfg.site, "after");
	assert_false(settings_save(&cfg, &err));
	char *want = path_join(data, SETTINGS_FILENAME);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, "Permission denied"));
	free(err);
	/* the old file stays */
	struct kiosk_config back;
	config_in(&back, data);
	assert_true(settings_load(&back, NULL));
	assert_string_equal(back.site, "before");
	/* and an unreadable one is reported */
	assert_int_equal(chmod(data, 0700), 0);
	assert_int_equal(chmod(want, 0000), 0);
	struct diag_list d;
	diag_list_init(&d);
	assert_false(settings_load(&back, &d));
	assert_int_equal(d.len, 1);
	diag_list_finish(&d);
	free(want);
	free(data);
	test_rmtree(dir);
	free(dir);
}

/* At start: defaults, then the config file, then the menu's settings. */
static void test_over_config(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *conf = test_write_file(dir, "kiosk.conf",
		"kiosk_id = dak-lak-03\n"
		"site = Buôn Đôn\n"
		"volume = 50\n"
		"idle_timeout = 120\n"
		"attract_interval = 20\n");
	char *data = path_join(dir, "data");
	free(test_write_file(data, SETTINGS_FILENAME,
			     "site = \"" SITE_VI "\"\nidle_timeout = 60\n"));
	struct kiosk_config cfg;
	config_defaults(&cfg);
	struct diag_list d;
	diag_list_init(&d);
	assert_true(config_load(&cfg, conf, &d));
	assert_int_equal(d.len, 0);
	snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", data);
	assert_true(settings_load(&cfg, &d));
	assert_int_equal(d.len, 0);
	assert_string_equal(cfg.site, SITE_VI);       /* the menu's */
	assert_int_equal(cfg.idle_timeout_s, 60);     /* the menu's */
	assert_int_equal(cfg.volume_percent, 50);     /* the config's */
	assert_string_equal(cfg.kiosk_id, "dak-lak-03");
	assert_int_equal(cfg.attract_interval_s, 20);
	assert_string_equal(cfg.default_lang, "vi");  /* the default */
	diag_list_finish(&d);
	free(data);
	free(conf);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_missing_and_unreadable),
		cmocka_unit_test(test_unwritable),
		cmocka_unit_test(test_over_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
