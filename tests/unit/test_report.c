/*
 * test_report: views per item and language as CSV from real logs written
 * by the store: counts, seconds, completion, the date period, the same log
 * read twice counted once, a file that is not a log refused, and the
 * `kiosk report` command line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/util.h"
#include "report/report.h"
#include "store/store.h"
#include "test_support.h"

static int64_t today(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	char buf[16];
	strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
	int64_t d;
	assert_true(date_parse_days(buf, &d));
	return d;
}

/* A log with one session: two views of "crc" in vi (one completed),
 * one of "cat" in rad. */
static char *make_log(const char *dir, const char *name)
{
	char *path = path_join(dir, name);
	struct store_identity id = { .kiosk_id = "k1", .site = "Buôn Đôn" };
	struct store *st = store_open(path, &id);
	assert_non_null(st);
	char s[STORE_UUID_LEN], v1[STORE_UUID_LEN], v2[STORE_UUID_LEN], v3[STORE_UUID_LEN];
	store_session_begin(st, "vi", s);
	store_view_begin(st, s, "crc", "vi", v1);
	store_view_end(st, v1, 12.5, true);
	store_view_begin(st, s, "crc", "vi", v2);
	store_view_end(st, v2, 3.0, false);
	store_lang_switch(st, s, "vi", "rad");
	store_view_begin(st, s, "cat", "rad", v3);
	store_view_end(st, v3, 30.0, true);
	store_session_end(st, s, "idle");
	store_close(st);
	return path;
}

static char *run_report(const char *const *paths, int n, int64_t from, int64_t to,
			bool *ok)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	struct report_period p = { from, to };
	*ok = report_views_csv(paths, n, &p, out);
	fclose(out);
	return buf;
}

static void test_counts_and_period(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *log = make_log(dir, "a.sqlite");
	const char *paths[2] = { log, log };
	bool ok;
	int64_t d = today();
	char *csv = run_report(paths, 1, d, d, &ok);
	assert_true(ok);
	assert_non_null(strstr(csv, "item,language,views,seconds,completed\r\n"));
	assert_non_null(strstr(csv, "crc,vi,2,15.5"));
	assert_non_null(strstr(csv, "cat,rad,1,30"));
	assert_non_null(strstr(csv, "language,views,seconds,share_of_views\r\n"));
	char *again = run_report(paths, 2, d, d, &ok);  /* the same log twice */
	assert_true(ok);
	assert_string_equal(csv, again);
	free(again);
	free(csv);
	/* a period before today: headers only */
	csv = run_report(paths, 1, d - 30, d - 1, &ok);
	assert_true(ok);
	assert_null(strstr(csv, "crc"));
	free(csv);
	/* not a log */
	char *junk = test_write_file(dir, "junk.sqlite", "hello");
	const char *bad[1] = { junk };
	csv = run_report(bad, 1, d, d, &ok);
	assert_false(ok);
	free(csv);
	free(junk);
	free(log);
	test_rmtree(dir);
	free(dir);
}

static void test_command_line(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *log = make_log(dir, "b.sqlite");
	char *kiosk = test_build_path("kiosk/kiosk");
	char *out = path_join(dir, "out.csv");
	assert_int_equal(test_system("'%s' report --from 2020-01-01 --to 2099-12-31 '%s' > '%s'",
				     kiosk, log, out), 0);
	char *text = file_read_all(out, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "crc,vi,2,"));
	free(text);
	/* a bad date is a usage error naming the option */
	assert_int_equal(test_system("'%s' report --from 2026-02-30 '%s' >/dev/null 2>&1",
				     kiosk, log), 2);
	/* a missing file: exit 1 */
	assert_int_equal(test_system("'%s' report '%s/none.sqlite' >/dev/null 2>&1",
				     kiosk, dir), 1);
	free(out);
	free(kiosk);
	free(log);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_period),
		cmocka_unit_test(test_command_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
