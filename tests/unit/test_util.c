/*
 * test_util: UTF-8 validation, dates, paths and diagnostics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/diag.h"
#include "base/util.h"
#include "test_support.h"

static void test_utf8_valid(void **state)
{
	(void)state;
	const char *ok = "Công ước về Quyền Trẻ em — Klei bhiăn ƀ ĕ ŏ ŭ";
	assert_true(utf8_valid(ok, strlen(ok), NULL));
	size_t bad = 99;
	const char overlong[] = "ab\xC0\xAF";
	assert_false(utf8_valid(overlong, 4, &bad));
	assert_int_equal(bad, 2);
	const char surrogate[] = "x\xED\xA0\x80";
	assert_false(utf8_valid(surrogate, 4, &bad));
	assert_int_equal(bad, 1);
	const char truncated[] = "\xE1\xBB";
	assert_false(utf8_valid(truncated, 2, &bad));
	assert_int_equal(bad, 0);
	const char lone_cont[] = "abc\x80";
	assert_false(utf8_valid(lone_cont, 4, &bad));
	assert_int_equal(bad, 3);
	/* a real U+FFFD is valid */
	const char fffd[] = "\xEF\xBF\xBD";
	assert_true(utf8_valid(fffd, 3, NULL));
}

static void test_utf8_decode(void **state)
{
	(void)state;
	uint32_t cp;
	assert_int_equal(utf8_decode("\xC4\x83", 2, &cp), 2); /* ă */
	assert_int_equal(cp, 0x103);
	assert_int_equal(utf8_decode("\xE1\xBA\xAF", 3, &cp), 3); /* ắ */
	assert_int_equal(cp, 0x1EAF);
	assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(utf8_decode("\xFF", 1, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
}

static void test_dates(void **state)
{
	(void)state;
	int64_t d;
	assert_true(date_parse_days("1970-01-01", &d));
	assert_int_equal(d, 0);
	assert_true(date_parse_days("2026-12-10", &d));
	assert_int_equal(d, 20797);
	assert_true(date_parse_days("2024-02-29", &d));
	assert_false(date_parse_days("2026-02-29", &d));
	assert_false(date_parse_days("2026-13-01", &d));
	assert_false(date_parse_days("2026-1-1", &d));
	assert_false(date_parse_days("2026-01-01x", &d));
	assert_false(date_parse_days("", &d));
	assert_false(date_parse_days(NULL, &d));
	/* today, as the local calendar says */
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	char buf[16];
	strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
	assert_true(date_parse_days(buf, &d));
	assert_int_equal(date_today_days(), d);
}

static void test_paths(void **state)
{
	(void)state;
	char *p = path_join("/a/b/", "c");
	assert_string_equal(p, "/a/b/c");
	free(p);
	p = path_join("/a", "/abs");
	assert_string_equal(p, "/abs");
	free(p);
	p = path_join("", "rel");
	assert_string_equal(p, "rel");
	free(p);

	char *dir = test_tmpdir();
	char *deep = path_join(dir, "x/y/z");
	assert_true(mkdir_parents(deep));
	assert_true(dir_exists(deep));
	assert_true(mkdir_parents(deep)); /* existing is fine */
	char *f = test_write_file(dir, "x/file.txt", "hello");
	size_t len;
	char *text = file_read_all(f, &len);
	assert_non_null(text);
	assert_int_equal(len, 5);
	assert_string_equal(text, "hello");
	free(text);
	char *missing = path_join(dir, "nope");
	assert_null(file_read_all(missing, NULL));
	free(missing);
	free(f);
	free(deep);
	test_rmtree(dir);
	free(dir);
}

static void test_diag_format(void **state)
{
	(void)state;
	struct diag_list l;
	diag_list_init(&l);
	diag_add(&l, DIAG_ERROR, "a/item.json", 3, 7, "unknown key \"%s\"", "titel");
	diag_add(&l, DIAG_WARNING, "b.po", 12, 0, "fuzzy");
	diag_add(&l, DIAG_ERROR, "c", 0, 0, "missing");
	diag_add(NULL, DIAG_ERROR, "ignored", 1, 1, "x");
	assert_int_equal(diag_count(&l, DIAG_ERROR), 2);
	assert_int_equal(diag_count(&l, DIAG_WARNING), 1);
	char *s = diag_format(&l.items[0]);
	assert_string_equal(s, "a/item.json:3:7: error: unknown key \"titel\"");
	free(s);
	s = diag_format(&l.items[1]);
	assert_string_equal(s, "b.po:12: warning: fuzzy");
	free(s);
	s = diag_format(&l.items[2]);
	assert_string_equal(s, "c: error: missing");
	free(s);
	diag_list_finish(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_diag_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
