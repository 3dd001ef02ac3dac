/*
 * test_util: UTF-8 validation, dates (both ways), paths and diagnostics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

static int month_days(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return mdays[m - 1] + (m == 2 && leap);
}

/* The date after (step 1) or before (step -1) y-m-d, by the calendar's
 * rules rather than by day numbers. */
static void step_date(int *y, int *m, int *d, int step)
{
	if (step > 0) {
		if (++*d > month_days(*y, *m)) {
			*d = 1;
			if (++*m > 12) {
				*m = 1;
				++*y;
			}
		}
	} else if (--*d < 1) {
		if (--*m < 1) {
			*m = 12;
			--*y;
		}
		*d = month_days(*y, *m);
	}
}

static void assert_date(int64_t days, int y, int m, int d)
{
	int gy = 0, gm = 0, gd = 0;
	date_from_days(days, &gy, &gm, &gd);
	if (gy != y || gm != m || gd != d)
		fail_msg("day %lld: %d-%02d-%02d, expected %d-%02d-%02d",
			 (long long)days, gy, gm, gd, y, m, d);
}

static void test_date_from_days(void **state)
{
	(void)state;
	int64_t d;
	assert_date(0, 1970, 1, 1);
	assert_date(-1, 1969, 12, 31);
	assert_date(-365, 1969, 1, 1);
	assert_date(-719468, 0, 3, 1);
	assert_date(-719469, 0, 2, 29);  /* 1 BC, a leap year */
	assert_true(date_parse_days("2000-02-29", &d));
	assert_int_equal(d, 11016);
	assert_date(d, 2000, 2, 29);
	assert_date(d + 1, 2000, 3, 1);
	assert_true(date_parse_days("2100-03-01", &d));
	assert_date(d, 2100, 3, 1);
	assert_date(d - 1, 2100, 2, 28);  /* 2100 is not a leap year */
	assert_true(date_parse_days("9999-12-31", &d));
	assert_date(d, 9999, 12, 31);
	assert_date(d + 1, 10000, 1, 1);

	/* Round trip with date_parse_days over all of its range. */
	assert_true(date_parse_days("9999-12-31", &d));
	for (int64_t day = 0; day <= d; day++) {
		int y, m, dd;
		date_from_days(day, &y, &m, &dd);
		char buf[16];
		snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, dd);
		int64_t back = -1;
		if (!date_parse_days(buf, &back) || back != day)
			fail_msg("day %lld -> %s -> %lld", (long long)day, buf,
				 (long long)back);
	}

	/* Day by day from 1970-01-01 back to year -1000 and forward to
	 * 12000, against the calendar's rules. */
	int y = 1970, m = 1, dd = 1;
	for (int64_t day = 0; y > -1000; day--, step_date(&y, &m, &dd, -1))
		assert_date(day, y, m, dd);
	y = 1970, m = 1, dd = 1;
	for (int64_t day = 0; y < 12000; day++, step_date(&y, &m, &dd, 1))
		assert_date(day, y, m, dd);

	/* Beyond +-100 000 000 days: the bound's date. */
	assert_date(100000000, 275760, 9, 13);
	assert_date(100000001, 275760, 9, 13);
	assert_date(INT64_MAX, 275760, 9, 13);
	assert_date(-100000000, -271821, 4, 20);
	assert_date(-100000001, -271821, 4, 20);
	assert_date(INT64_MIN, -271821, 4, 20);
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
		cmocka_unit_test(test_date_from_days),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_diag_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
