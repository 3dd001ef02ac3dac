/*
 * Tests of logmerge: merging is idempotent (the same export twice, or an
 * export and a later one that contains it, give exactly the merge of the
 * later one alone), events logged with the store API arrive whole, rows
 * logged before the clock was set are placed by their boot, logs of an
 * older schema merge, and bad files are named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/util.h"
#include "report/logmerge.h"
#include "store/store.h"
#include "test_support.h"

static char *tmp;

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tmp = test_tmpdir();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_rmtree(tmp);
	free(tmp);
	return 0;
}

/* Every row of every working table, in key order, as one string: two
 * merges are the same when their dumps are. */
static char *dump(struct logmerge *m)
{
	static const char *const tables[] = {
		"SELECT hex(uuid), kiosk, site, lang, start_ms, day, undated "
		"FROM s ORDER BY uuid",
		"SELECT hex(uuid), kiosk, site, item, lang, start_ms, day, "
		"seconds, completed, undated FROM v ORDER BY uuid",
		"SELECT hex(uuid), hex(contest), player, score, answered, "
		"completed FROM a ORDER BY uuid",
		"SELECT hex(uuid), kiosk, class_name FROM c ORDER BY uuid",
		"SELECT hex(uuid), kiosk, version, up_ms, ended, errors, "
		"warnings FROM r ORDER BY uuid",
		"SELECT hex(uuid), kiosk, severity, message FROM p ORDER BY uuid",
		"SELECT kiosk, item, lang, item_kind, lang_kind, topics, title, "
		"hex(first_run), hex(last_run) FROM lib ORDER BY kiosk, item, lang",
	};
	sqlite3 *db = logmerge_db(m);
	size_t cap = 1 << 16, len = 0;
	char *out = xmalloc(cap);
	out[0] = '\0';
	for (size_t t = 0; t < ARRAY_LEN(tables); t++) {
		sqlite3_stmt *s = NULL;
		assert_int_equal(sqlite3_prepare_v2(db, tables[t], -1, &s, NULL),
				 SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(s); c++) {
				const char *v = (const char *)sqlite3_column_text(s, c);
				size_t need = len + (v ? strlen(v) : 4) + 4;
				if (need > cap) {
					cap = need * 2;
					out = xrealloc(out, cap);
				}
				len += (size_t)sprintf(out + len, "%s|", v ? v : "NULL");
			}
			out[len++] = '\n';
			out[len] = '\0';
		}
		sqlite3_finalize(s);
		out = xrealloc(out, cap + 4);
		len += (size_t)sprintf(out + len, "--\n");
	}
	return out;
}

/* A log of kiosk kid written through the store API, as the kiosk writes
 * it: a run, the library, sessions with views, a quiz, a problem. */
struct live {
	struct store *st;
	char *path;
	char session[STORE_UUID_LEN];
};

static void live_open(struct live *l, const char *name, const char *kid)
{
	l->path = path_join(tmp, name);
	struct store_identity id = { .kiosk_id = kid, .site = "Buôn Đôn" };
	l->st = store_open(l->path, &id);
	assert_non_null(l->st);
	store_run_begin(l->st, "test");
	struct store_library_item it = { "udhr-1", "rad", "video", "minority",
					 "udhr", "Tuyên ngôn" };
	store_library_item(l->st, &it);
	store_problem(l->st, true, "video.mp4: cannot decode");
}

/* Log n sessions of one view each, the view ended with seconds s. */
static void live_views(struct live *l, int n, double s)
{
	for (int i = 0; i < n; i++) {
		char view[STORE_UUID_LEN];
		store_session_begin(l->st, "vi", l->session);
		store_view_begin(l->st, l->session, "udhr-1", "rad", view);
		store_view_end(l->st, view, s, i % 2 == 0);
		store_session_end(l->st, l->session, "idle");
	}
	assert_true(store_flush(l->st));
}

/* A copy of the live log as it is now (what `kiosk export` gives). */
static char *snapshot(struct live *l, const char *name)
{
	char *dest = path_join(tmp, name);
	sqlite3 *src = NULL, *dst = NULL;
	assert_int_equal(sqlite3_open(l->path, &src), SQLITE_OK);
	assert_int_equal(sqlite3_open(dest, &dst), SQLITE_OK);
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	assert_non_null(b);
	assert_int_equal(sqlite3_backup_step(b, -1), SQLITE_DONE);
	sqlite3_backup_finish(b);
	sqlite3_close(src);
	sqlite3_close(dst);
	return dest;
}

static struct logmerge *merge(const char *const *paths, int n)
{
	struct logmerge *m = logmerge_new();
	assert_non_null(m);
	assert_true(logmerge_add_all(m, paths, n, NULL, NULL));
	return m;
}

static void check_same(const char *const *a, int na, const char *const *b,
		       int nb)
{
	struct logmerge *ma = merge(a, na), *mb = merge(b, nb);
	char *da = dump(ma), *db = dump(mb);
	assert_string_equal(da, db);
	free(da);
	free(db);
	logmerge_free(ma);
	logmerge_free(mb);
}

/* Merging an export twice, or an early export with a later one, changes
 * nothing; two kiosks' exports add up. */
static void test_idempotent_and_overlapping(void **state)
{
	(void)state;
	struct live a;
	live_open(&a, "a-live.sqlite", "kiosk-A");
	live_views(&a, 5, 10);
	char *early = snapshot(&a, "a-early.sqlite");
	live_views(&a, 7, 20);
	/* the last view of the early export goes on after it was taken */
	char view[STORE_UUID_LEN];
	store_session_begin(a.st, "vi", a.session);
	store_view_begin(a.st, a.session, "udhr-1", "vi", view);
	store_view_end(a.st, view, 3, false);
	assert_true(store_flush(a.st));
	char *mid = snapshot(&a, "a-mid.sqlite");
	store_view_end(a.st, view, 42, true);
	assert_true(store_flush(a.st));
	char *late = snapshot(&a, "a-late.sqlite");

	const char *one[] = { late };
	const char *twice[] = { late, late };
	const char *overlap[] = { early, late, mid };
	const char *reverse[] = { mid, late, early, early };
	check_same(one, 1, twice, 2);
	check_same(one, 1, overlap, 3);
	check_same(one, 1, reverse, 4);

	struct logmerge *m = merge(overlap, 3);
	assert_int_equal(logmerge_files(m), 3);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(logmerge_db(m),
		"SELECT count(*), total(seconds), total(completed), "
		"(SELECT count(*) FROM s), (SELECT count(*) FROM r), "
		"(SELECT count(*) FROM p), (SELECT count(*) FROM lib) FROM v",
		-1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 13);
	/* 5 x 10 + 7 x 20 + the view that went on to 42 seconds */
	assert_true(sqlite3_column_double(s, 1) == 5 * 10 + 7 * 20 + 42);
	assert_int_equal(sqlite3_column_int(s, 2), 3 + 4 + 1);
	assert_int_equal(sqlite3_column_int(s, 3), 13);
	assert_int_equal(sqlite3_column_int(s, 4), 1);
	assert_int_equal(sqlite3_column_int(s, 5), 1);
	assert_int_equal(sqlite3_column_int(s, 6), 1);
	sqlite3_finalize(s);
	/* every event once: 13 sessions, 13 views, 1 run, 1 problem */
	assert_int_equal(logmerge_events(m), 28);
	logmerge_free(m);

	/* another kiosk's log adds to it */
	struct live b;
	live_open(&b, "b-live.sqlite", "kiosk-B");
	live_views(&b, 2, 5);
	const char *both[] = { late, b.path, early };
	m = merge(both, 3);
	assert_int_equal(logmerge_events(m), 28 + 2 + 2 + 1 + 1);
	logmerge_free(m);

	store_close(a.st);
	store_close(b.st);
	/* the run ended cleanly: the merge of the closed log says so */
	const char *closed[] = { late, a.path };
	m = merge(closed, 2);
	assert_int_equal(sqlite3_prepare_v2(logmerge_db(m),
		"SELECT ended FROM r", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "clean");
	sqlite3_finalize(s);
	logmerge_free(m);
	free(early);
	free(mid);
	free(late);
	free(a.path);
	free(b.path);
}

/* Rows logged while the clock was unset are placed by the offset of a
 * trusted row of the same boot; without one they stay undated. */
static void test_undated_rows(void **state)
{
	(void)state;
	char *path = path_join(tmp, "clock.sqlite");
	struct store_identity id = { .kiosk_id = "kiosk-C", .site = "" };
	store_close(store_open(path, &id));
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	/* boot 3: a view at boot time 1000 s with the clock unset (wall
	 * 2000-01-01), then a session at boot time 5000 s with the clock
	 * synced at 2026-05-10 10:00 UTC; boot 4: unset only */
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO views(uuid, kiosk_id, site, item_id, lang, "
		"started_wall_ms, boot, started_boot_ms, clock) VALUES "
		"('00000000-0000-4000-8000-000000000001', 'kiosk-C', '', 'x', "
		"'vi', 946684800000, 3, 1000000, 0),"
		"('00000000-0000-4000-8000-000000000002', 'kiosk-C', '', 'x', "
		"'vi', 946684800000, 4, 1000000, 0);"
		"INSERT INTO sessions(uuid, kiosk_id, site, lang, "
		"started_wall_ms, boot, started_boot_ms, clock) VALUES "
		"('00000000-0000-4000-8000-000000000003', 'kiosk-C', '', 'vi', "
		"1778407200000, 3, 5000000, 2)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	const char *paths[] = { path };
	struct logmerge *m = merge(paths, 1);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(logmerge_db(m),
		"SELECT start_ms, undated, date(day * 86400, 'unixepoch') "
		"FROM v ORDER BY uuid", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	/* 4000 s before the synced session */
	assert_int_equal(sqlite3_column_int64(s, 0), 1778407200000 - 4000000);
	assert_int_equal(sqlite3_column_int(s, 1), 0);
	assert_string_equal((const char *)sqlite3_column_text(s, 2),
			    "2026-05-10");
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(s, 0), 946684800000);
	assert_int_equal(sqlite3_column_int(s, 1), 1);
	sqlite3_finalize(s);
	logmerge_free(m);

	/* An export taken before the clock was synced has the view but not
	 * the session that dates it. Merged before or after the later log,
	 * the view is placed by the later one. */
	char *early = path_join(tmp, "clock-early.sqlite");
	store_close(store_open(early, &id));
	assert_int_equal(sqlite3_open(early, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO views(uuid, kiosk_id, site, item_id, lang, "
		"started_wall_ms, boot, started_boot_ms, clock) VALUES "
		"('00000000-0000-4000-8000-000000000001', 'kiosk-C', '', 'x', "
		"'vi', 946684800000, 3, 1000000, 0)", NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	const char *orders[][2] = { { early, path }, { path, early } };
	for (int o = 0; o < 2; o++) {
		m = merge(orders[o], 2);
		assert_int_equal(sqlite3_prepare_v2(logmerge_db(m),
			"SELECT start_ms, undated FROM v ORDER BY uuid LIMIT 1",
			-1, &s, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int64(s, 0),
				 1778407200000 - 4000000);
		assert_int_equal(sqlite3_column_int(s, 1), 0);
		sqlite3_finalize(s);
		logmerge_free(m);
	}
	free(early);
	free(path);
}

/* A log of schema 1 (no quiz, no runs, no library) merges; what is not a
 * log is named and leaves the merge as it was. */
static void test_old_and_bad_files(void **state)
{
	(void)state;
	char *old = path_join(tmp, "v1.sqlite");
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(old, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"CREATE TABLE sessions (uuid TEXT PRIMARY KEY, kiosk_id TEXT, "
		"site TEXT, lang TEXT, started_wall_ms INTEGER, ended_wall_ms, "
		"end_reason, boot INTEGER, started_boot_ms INTEGER, "
		"ended_boot_ms, clock INTEGER);"
		"CREATE TABLE views (uuid TEXT PRIMARY KEY, session_uuid, "
		"kiosk_id TEXT, site TEXT, item_id TEXT, lang TEXT, "
		"started_wall_ms INTEGER, boot INTEGER, started_boot_ms INTEGER, "
		"seconds REAL, completed INTEGER, clock INTEGER, "
		"updated_wall_ms);"
		"CREATE TABLE lang_switches (uuid TEXT PRIMARY KEY, session_uuid, "
		"kiosk_id, site, from_lang, to_lang, wall_ms, boot, boot_ms, "
		"clock);"
		"INSERT INTO views VALUES ('00000000-0000-4000-8000-0000000000aa', "
		"NULL, 'k1', 's', 'item', 'vi', 1778407200000, 1, 10, 12.5, 1, 2, "
		"NULL);"
		"PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	char *junk = test_write_file(tmp, "junk.sqlite", "not a database at all");
	char *missing = path_join(tmp, "missing.sqlite");

	struct logmerge *m = logmerge_new();
	assert_true(logmerge_add(m, old));
	assert_false(logmerge_add(m, junk));
	assert_false(logmerge_add(m, missing));
	assert_false(logmerge_add(m, tmp));
	assert_int_equal(logmerge_files(m), 1);
	assert_int_equal(logmerge_events(m), 1);
	const char *paths[] = { old, missing, old };
	assert_false(logmerge_add_all(m, paths, 3, NULL, NULL));
	assert_int_equal(logmerge_events(m), 1);
	logmerge_free(m);
	free(old);
	free(junk);
	free(missing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idempotent_and_overlapping),
		cmocka_unit_test(test_undated_rows),
		cmocka_unit_test(test_old_and_bad_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
