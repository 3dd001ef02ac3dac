/*
 * test_report: views per item and language as CSV from one or more logs:
 * counts, seconds, completion, logs merged and the same log read twice
 * counted once, the date period in local time, dating of rows logged
 * before the clock was set, CSV quoting and formula neutralisation, files
 * that are not logs refused, and `kiosk report` both called directly and
 * through the kiosk program.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/config.h"
#include "base/util.h"
#include "cli/cli.h"
#include "report/report.h"
#include "store/store.h"
#include "test_support.h"

static char *tmp;

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	tmp = test_tmpdir();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_rmtree(tmp);
	free(tmp);
	tmp = NULL;
	return 0;
}

/* ms since the epoch of a UTC date and time. */
static int64_t at_ms(const char *date, int h, int m, int s)
{
	int64_t days;
	assert_true(date_parse_days(date, &days));
	return ((days * 24 + h) * 60 + m) * 60000 + (int64_t)s * 1000;
}

static int64_t day(const char *date)
{
	int64_t days;
	assert_true(date_parse_days(date, &days));
	return days;
}

/* An empty log (schema only) at tmp/name; caller frees the path. */
static char *make_log(const char *name)
{
	char *path = path_join(tmp, name);
	struct store_identity id = { .kiosk_id = "kiosk-07", .site = "Kon Tum" };
	struct store *st = store_open(path, &id);
	assert_non_null(st);
	store_close(st);
	return path;
}

static void db_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
}

static void add_view(const char *path, const char *uuid, const char *item,
		     const char *lang, int64_t wall_ms, int boot,
		     int64_t boot_ms, double seconds, int completed, int clock)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db,
		"INSERT INTO views(uuid, session_uuid, kiosk_id, site, item_id, "
		"lang, started_wall_ms, boot, started_boot_ms, seconds, "
		"completed, clock, updated_wall_ms) VALUES "
		"(?1, NULL, 'kiosk-07', 'Kon Tum', ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
		"?9, ?4)", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, item, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, lang, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, wall_ms);
	sqlite3_bind_int(s, 5, boot);
	sqlite3_bind_int64(s, 6, boot_ms);
	sqlite3_bind_double(s, 7, seconds);
	sqlite3_bind_int(s, 8, completed);
	sqlite3_bind_int(s, 9, clock);
	if (sqlite3_step(s) != SQLITE_DONE)
		fail_msg("insert view: %s", sqlite3_errmsg(db));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void add_session(const char *path, const char *uuid, int64_t wall_ms,
			int boot, int64_t boot_ms, int clock)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db,
		"INSERT INTO sessions(uuid, kiosk_id, site, lang, "
		"started_wall_ms, boot, started_boot_ms, clock) VALUES "
		"(?1, 'kiosk-07', 'Kon Tum', 'vi', ?2, ?3, ?4, ?5)", -1, &s,
		NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, wall_ms);
	sqlite3_bind_int(s, 3, boot);
	sqlite3_bind_int64(s, 4, boot_ms);
	sqlite3_bind_int(s, 5, clock);
	if (sqlite3_step(s) != SQLITE_DONE)
		fail_msg("insert session: %s", sqlite3_errmsg(db));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* Run the report into a string; *ok gets the result. Caller frees. */
static char *report(const char *const *paths, int n, const char *from,
		    const char *to, bool *ok)
{
	struct report_period p = { day(from), day(to) };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	*ok = report_views_csv(paths, n, &p, out);
	fclose(out);
	return buf;
}

static char *report_all(const char *const *paths, int n)
{
	bool ok;
	char *s = report(paths, n, "1970-01-01", "9999-12-31", &ok);
	assert_true(ok);
	return s;
}

#define U(n) "00000000-0000-4000-8000-0000000000" #n

/* ------------------------------------------------------------------------ */

static void test_merge_counts_once(void **state)
{
	(void)state;
	char *a = make_log("a.sqlite");
	char *b = make_log("b.sqlite");
	int64_t t = at_ms("2026-03-10", 9, 0, 0);
	add_view(a, U(01), "poster-crc", "vi", t, 1, 1000, 10, 1, 2);
	add_view(a, U(02), "radio-cedaw", "rad", t + 60000, 1, 61000, 5, 0, 2);
	/* b is a later export of the same kiosk: view 02 again, now ended. */
	add_view(b, U(02), "radio-cedaw", "rad", t + 60000, 1, 61000, 20, 1, 2);
	add_view(b, U(03), "poster-crc", "vi", t + 120000, 1, 121000, 4, 0, 2);

	const char *paths[] = { a, b };
	char *csv = report_all(paths, 2);
	assert_string_equal(csv,
		"item,language,views,seconds,completed\r\n"
		"poster-crc,vi,2,14.0,1\r\n"
		"radio-cedaw,rad,1,20.0,1\r\n"
		"\r\n"
		"language,views,seconds,share_of_views\r\n"
		"vi,2,14.0,0.6667\r\n"
		"rad,1,20.0,0.3333\r\n");
	free(csv);

	/* The other order gives the same figures. */
	const char *rev[] = { b, a };
	csv = report_all(rev, 2);
	assert_non_null(strstr(csv, "radio-cedaw,rad,1,20.0,1\r\n"));
	assert_non_null(strstr(csv, "poster-crc,vi,2,14.0,1\r\n"));
	free(csv);
	free(a);
	free(b);
}

static void test_same_file_twice(void **state)
{
	(void)state;
	char *a = make_log("a.sqlite");
	int64_t t = at_ms("2026-04-01", 10, 0, 0);
	add_view(a, U(01), "video-icescr", "vi", t, 1, 1000, 61.25, 1, 3);
	add_view(a, U(02), "video-icescr", "jra", t, 1, 2000, 30, 0, 3);
	add_view(a, U(03), "leaflet-crpd", "en", t, 1, 3000, 7.04, 0, 3);
	const char *once[] = { a };
	const char *twice[] = { a, a };
	char *c1 = report_all(once, 1);
	char *c2 = report_all(twice, 2);
	assert_string_equal(c1, c2);
	assert_non_null(strstr(c1, "video-icescr,vi,1,61.3,1\r\n"));
	assert_non_null(strstr(c1, "leaflet-crpd,en,1,7.0,0\r\n"));
	free(c1);
	free(c2);
	free(a);
}

static void test_period(void **state)
{
	(void)state;
	char *a = make_log("a.sqlite");
	add_view(a, U(01), "i", "vi", at_ms("2026-03-09", 23, 59, 59), 1, 1, 1, 0, 2);
	add_view(a, U(02), "i", "vi", at_ms("2026-03-10", 0, 0, 0), 1, 2, 1, 0, 2);
	add_view(a, U(03), "i", "vi", at_ms("2026-03-10", 23, 59, 59), 1, 3, 1, 0, 2);
	add_view(a, U(04), "i", "vi", at_ms("2026-03-11", 0, 0, 0), 1, 4, 1, 0, 2);
	add_view(a, U(05), "i", "vi", at_ms("2026-03-09", 17, 0, 0), 1, 5, 1, 0, 2);
	const char *paths[] = { a };
	bool ok;
	char *csv = report(paths, 1, "2026-03-10", "2026-03-10", &ok);
	assert_true(ok);
	assert_non_null(strstr(csv, "\r\ni,vi,2,2.0,0\r\n"));
	free(csv);
	csv = report(paths, 1, "2026-03-09", "2026-03-11", &ok);
	assert_non_null(strstr(csv, "\r\ni,vi,5,5.0,0\r\n"));
	free(csv);
	/* An empty period: headers only. */
	csv = report(paths, 1, "2026-05-01", "2026-05-31", &ok);
	assert_true(ok);
	assert_string_equal(csv, "item,language,views,seconds,completed\r\n\r\n"
			    "language,views,seconds,share_of_views\r\n");
	free(csv);

	/* Days are local dates: at UTC+7, 17:00 UTC is the next day. */
	setenv("TZ", "ICT-7", 1);
	tzset();
	csv = report(paths, 1, "2026-03-10", "2026-03-10", &ok);
	assert_non_null(strstr(csv, "\r\ni,vi,3,3.0,0\r\n")); /* 01, 02, 05 */
	free(csv);
	csv = report(paths, 1, "2026-03-11", "2026-03-11", &ok);
	assert_non_null(strstr(csv, "\r\ni,vi,2,2.0,0\r\n")); /* 03, 04 */
	free(csv);
	setenv("TZ", "UTC", 1);
	tzset();
	free(a);
}

static void test_rows_before_clock_set(void **state)
{
	(void)state;
	char *a = make_log("a.sqlite");
	int64_t noon = at_ms("2026-03-10", 12, 0, 0);
	/* Boot 3: logged with the clock unset (1970), then NTP set the clock;
	 * one view carried a plausible but wrong date (unconfirmed). */
	add_view(a, U(01), "early", "vi", 5000, 3, 10000, 1, 0, STORE_CLOCK_UNSET);
	add_view(a, U(02), "wrong", "vi", at_ms("2026-01-05", 8, 0, 0), 3, 20000,
		 1, 0, STORE_CLOCK_UNCONFIRMED);
	add_session(a, U(10), noon, 3, 70000, STORE_CLOCK_SYNCED);
	/* Boot 4: clock never set, nothing to date the view by. */
	add_view(a, U(03), "lost", "vi", 9000, 4, 2000, 1, 0, STORE_CLOCK_UNSET);
	/* Boot 5: only unconfirmed times; they stand as they are. */
	add_view(a, U(04), "plain", "vi", at_ms("2026-02-01", 8, 0, 0), 5, 2000,
		 1, 0, STORE_CLOCK_UNCONFIRMED);

	const char *paths[] = { a };
	bool ok;
	char *csv = report(paths, 1, "2026-03-10", "2026-03-10", &ok);
	assert_true(ok);
	assert_string_equal(csv,
		"item,language,views,seconds,completed\r\n"
		"early,vi,1,1.0,0\r\n"
		"wrong,vi,1,1.0,0\r\n"
		"\r\n"
		"language,views,seconds,share_of_views\r\n"
		"vi,2,2.0,1.0000\r\n");
	free(csv);
	/* a view that cannot be dated counts over all dates only, not on
	 * the day its unset clock showed */
	csv = report(paths, 1, "1970-01-01", "1970-01-01", &ok);
	assert_true(ok);
	assert_null(strstr(csv, "lost,"));
	free(csv);
	csv = report(paths, 1, "1970-01-01", "9999-12-31", &ok);
	assert_non_null(strstr(csv, "\r\nlost,vi,1,1.0,0\r\n"));
	free(csv);
	csv = report(paths, 1, "2026-02-01", "2026-02-01", &ok);
	assert_non_null(strstr(csv, "\r\nplain,vi,1,1.0,0\r\n\r\n"));
	free(csv);
	free(a);
}

static void test_csv_quoting(void **state)
{
	(void)state;
	char *a = make_log("a.sqlite");
	int64_t t = at_ms("2026-06-01", 8, 0, 0);
	add_view(a, U(01), "=HYPERLINK(\"http://x\")", "vi", t, 1, 1, 1, 0, 2);
	add_view(a, U(02), "+1", "vi", t, 1, 2, 1, 0, 2);
	add_view(a, U(03), "-x", "vi", t, 1, 3, 1, 0, 2);
	add_view(a, U(04), "@y", "=cmd", t, 1, 4, 1, 0, 2);
	add_view(a, U(05), "\tz", "vi", t, 1, 5, 1, 0, 2);
	add_view(a, U(06), "a,b", "vi", t, 1, 6, 1, 0, 2);
	add_view(a, U(07), "line\nbreak", "vi", t, 1, 7, 1, 1, 2);
	add_view(a, U(08), "bad\xff" "byte", "vi", t, 1, 8, 1, 0, 2);
	add_view(a, U(09), "Ê Đê", "rad", t, 1, 9, 2.5, 1, 2);
	const char *paths[] = { a };
	char *csv = report_all(paths, 1);
	assert_string_equal(csv,
		"item,language,views,seconds,completed\r\n"
		"'\tz,vi,1,1.0,0\r\n"
		"'+1,vi,1,1.0,0\r\n"
		"'-x,vi,1,1.0,0\r\n"
		"\"'=HYPERLINK(\"\"http://x\"\")\",vi,1,1.0,0\r\n"
		"'@y,'=cmd,1,1.0,0\r\n"
		"\"a,b\",vi,1,1.0,0\r\n"
		"bad\xEF\xBF\xBD" "byte,vi,1,1.0,0\r\n"
		"\"line\nbreak\",vi,1,1.0,1\r\n"
		"Ê Đê,rad,1,2.5,1\r\n"
		"\r\n"
		"language,views,seconds,share_of_views\r\n"
		"vi,7,7.0,0.7778\r\n"
		"'=cmd,1,1.0,0.1111\r\n"
		"rad,1,2.5,0.1111\r\n");
	free(csv);
	free(a);
}

static void test_bad_files(void **state)
{
	(void)state;
	bool ok;
	char *missing = path_join(tmp, "missing.sqlite");
	const char *p1[] = { missing };
	char *csv = report(p1, 1, "1970-01-01", "9999-12-31", &ok);
	assert_false(ok);
	free(csv);

	char *text = test_write_file(tmp, "notes.sqlite",
				     "these are notes, not a database; long "
				     "enough to be mistaken for a header.....\n");
	const char *p2[] = { text };
	csv = report(p2, 1, "1970-01-01", "9999-12-31", &ok);
	assert_false(ok);
	free(csv);

	char *other = path_join(tmp, "other.sqlite");
	db_exec(other, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
	const char *p3[] = { other };
	csv = report(p3, 1, "1970-01-01", "9999-12-31", &ok);
	assert_false(ok);
	free(csv);

	const char *p4[] = { tmp };
	csv = report(p4, 1, "1970-01-01", "9999-12-31", &ok);
	assert_false(ok);
	free(csv);

	/* A good file followed by a bad one still fails. */
	char *good = make_log("good.sqlite");
	const char *p5[] = { good, missing };
	csv = report(p5, 2, "1970-01-01", "9999-12-31", &ok);
	assert_false(ok);
	free(csv);
	free(good);
	free(other);
	free(text);
	free(missing);
}

static void test_live_log(void **state)
{
	(void)state;
	/* The kiosk keeps its log open while the operator runs a report. */
	char *path = path_join(tmp, "live/kiosk-log.sqlite");
	struct store_identity id = { .kiosk_id = "kiosk-07", .site = "Kon Tum" };
	struct store *st = store_open(path, &id);
	assert_non_null(st);
	char session[STORE_UUID_LEN], view[STORE_UUID_LEN];
	store_session_begin(st, "vi", session);
	store_view_begin(st, session, "poster-cat", "vi", view);
	store_view_end(st, view, 9.5, true);
	assert_true(store_flush(st));
	const char *paths[] = { path };
	char *csv = report_all(paths, 1);
	assert_non_null(strstr(csv, "\r\nposter-cat,vi,1,9.5,1\r\n"));
	free(csv);
	/* The store keeps working after the report. */
	store_view_begin(st, session, "poster-cat", "vi", view);
	assert_true(store_flush(st));
	store_close(st);
	csv = report_all(paths, 1);
	assert_non_null(strstr(csv, "\r\nposter-cat,vi,2,9.5,1\r\n"));
	free(csv);
	free(path);
}

/* ------------------------------------------------------------------------
 * Logs written by the store, and the kiosk program itself
 * ------------------------------------------------------------------------ */

/* A log written by the store itself, with one session: two views of "crc" in vi (one completed),
 * one of "cat" in rad. */
static char *make_store_log(const char *dir, const char *name)
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
	char *log = make_store_log(dir, "a.sqlite");
	const char *paths[2] = { log, log };
	bool ok;
	int64_t d = date_today_days();
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
	char *log = make_store_log(dir, "b.sqlite");
	char *kiosk = test_program("kiosk/kiosk");
	char *out = path_join(dir, "out.csv");
	assert_int_equal(test_system("'%s' report views --from 2020-01-01 --to 2099-12-31 '%s' > '%s'",
				     kiosk, log, out), 0);
	char *text = file_read_all(out, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "crc,vi,2,"));
	free(text);
	/* the full report: the written files on stdout, the figures in them */
	assert_int_equal(test_system("'%s' report -o '%s/full' --from 2020-01-01 '%s' > '%s'",
				     kiosk, dir, log, out), 0);
	text = file_read_all(out, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "full/report.html\n"));
	assert_non_null(strstr(text, "full/report-items.csv\n"));
	free(text);
	char *items = path_join(dir, "full/report-items.csv");
	text = file_read_all(items, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "\r\ncrc,crc,,,2,"));
	free(text);
	free(items);
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

/* ------------------------------------------------------------------------
 * kiosk report
 * ------------------------------------------------------------------------ */

/* Run cli_report_main with stdout and stderr captured; caller frees both. */
#define run_cli(cfg, out, err, ...) \
	test_run_cli(cli_report_main, (cfg), tmp, (out), (err), __VA_ARGS__)

static void test_cli(void **state)
{
	(void)state;
	struct kiosk_config cfg;
	memset(&cfg, 0, sizeof cfg);
	snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s/data", tmp);
	char *live = path_join(cfg.data_dir, STORE_LOG_FILENAME);
	struct store_identity id = { .kiosk_id = "kiosk-07", .site = "" };
	store_close(store_open(live, &id));
	add_view(live, U(01), "poster-crc", "vi", at_ms("2026-03-10", 9, 0, 0),
		 1, 1, 3, 1, 2);
	char *other = make_log("other.sqlite");
	add_view(other, U(02), "poster-crc", "vi", at_ms("2026-03-12", 9, 0, 0),
		 1, 1, 3, 1, 2);
	char *out, *err;

	/* No files: the live log in the data directory. */
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "views", NULL), 0);
	assert_non_null(strstr(out, "\r\nposter-crc,vi,1,3.0,1\r\n"));
	free(out); free(err);

	/* Files named, with a period. */
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "views", "--from",
				 "2026-03-10", "--to=2026-03-12", live, other,
				 NULL), 0);
	assert_non_null(strstr(out, "\r\nposter-crc,vi,2,6.0,2\r\n"));
	free(out); free(err);
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "views", "--from=2026-03-11",
				 live, other, NULL), 0);
	assert_non_null(strstr(out, "\r\nposter-crc,vi,1,3.0,1\r\n"));
	free(out); free(err);

	/* Bad dates name the option and the value. */
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "views", "--from",
				 "2026-02-30", NULL), 2);
	assert_non_null(strstr(err, "--from"));
	assert_non_null(strstr(err, "2026-02-30"));
	assert_string_equal(out, "");
	free(out); free(err);
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "views", "--to=10/03/2026",
				 NULL), 2);
	assert_non_null(strstr(err, "--to"));
	assert_non_null(strstr(err, "10/03/2026"));
	free(out); free(err);
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "views", "--to", NULL), 2);
	assert_non_null(strstr(err, "--to"));
	free(out); free(err);
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "views", "--from",
				 "2026-03-12", "--to", "2026-03-10", NULL), 2);
	assert_non_null(strstr(err, "after"));
	free(out); free(err);
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "views", "--bogus", NULL), 2);
	assert_non_null(strstr(err, "--bogus"));
	free(out); free(err);

	/* A missing file is named. */
	char *missing = path_join(tmp, "nope.sqlite");
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "views", live, missing,
				 NULL), 1);
	assert_non_null(strstr(err, missing));
	free(out); free(err);

	/* The live log is missing too when the data directory is empty. */
	snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s/empty", tmp);
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "views", NULL), 1);
	assert_non_null(strstr(err, STORE_LOG_FILENAME));
	free(out); free(err);

	assert_int_equal(run_cli(&cfg, &out, &err, "report", "views", "--help", NULL), 0);
	assert_non_null(strstr(out, "--from"));
	free(out); free(err);

	free(missing);
	free(other);
	free(live);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_merge_counts_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_file_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_period, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_before_clock_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_quoting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_live_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli, setup, teardown),
		cmocka_unit_test(test_counts_and_period),
		cmocka_unit_test(test_command_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
