/*
 * test_store: the SQLite log: schema, pragmas, rows, batching, boot
 * counter, threads and commit failures.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/log.h"
#include "base/util.h"
#include "store/store.h"
#include "test_support.h"

struct fixture {
	char *dir;
	char *path;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->dir = test_tmpdir();
	f->path = path_join(f->dir, "sub/dir/kiosk-log.sqlite");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	test_rmtree(f->dir);
	free(f->dir);
	free(f->path);
	free(f);
	return 0;
}

static struct store *open_store(const char *path)
{
	struct store_identity id = { .kiosk_id = "kiosk-01", .site = "Buon Ma Thuot" };
	struct store *st = store_open(path, &id);
	assert_non_null(st);
	return st;
}

/* A second, plain connection to the log. */
static sqlite3 *db_open(const char *path)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
			 SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static void db_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

/* One integer from a query with optional text parameter ?1. */
static int64_t db_int(sqlite3 *db, const char *sql, const char *param)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (param)
		sqlite3_bind_text(s, 1, param, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_ROW)
		fail_msg("%s: no row (%s)", sql, sqlite3_errmsg(db));
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* One text from a query with text parameter ?1; caller frees. */
static char *db_text(sqlite3 *db, const char *sql, const char *param)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (param)
		sqlite3_bind_text(s, 1, param, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_ROW)
		fail_msg("%s: no row (%s)", sql, sqlite3_errmsg(db));
	const unsigned char *t = sqlite3_column_text(s, 0);
	char *copy = xstrdup(t ? (const char *)t : "(null)");
	sqlite3_finalize(s);
	return copy;
}

static int64_t count_rows(const char *path, const char *table)
{
	sqlite3 *db = db_open(path);
	char *sql = xasprintf("SELECT count(*) FROM %s", table);
	int64_t n = db_int(db, sql, NULL);
	free(sql);
	sqlite3_close(db);
	return n;
}

/* The clock trust a row logged now should carry (the test machine's
 * clock is set; whether NTP synced it depends on the machine). */
static void assert_clock_plausible(int64_t clock)
{
	assert_true(clock == STORE_CLOCK_UNCONFIRMED ||
		    clock == STORE_CLOCK_SYNCED);
}

/* ------------------------------------------------------------------------ */

/* The store's own connection, caught as it opens. */
static sqlite3 *caught_db;

static int catch_db(sqlite3 *db, char **err, const void *api)
{
	(void)err; (void)api;
	if (!caught_db)
		caught_db = db;
	return SQLITE_OK;
}

static void test_schema_and_pragmas(void **state)
{
	struct fixture *f = *state;
	caught_db = NULL;
	sqlite3_auto_extension((void (*)(void))catch_db);
	struct store *st = open_store(f->path);
	sqlite3_reset_auto_extension();
	assert_non_null(caught_db);

	/* The store's connection (serialized mode, so asking is safe). */
	char *mode = db_text(caught_db, "PRAGMA journal_mode", NULL);
	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(db_int(caught_db, "PRAGMA synchronous", NULL), 2);
	int psow = -1;
	assert_int_equal(sqlite3_file_control(caught_db, "main",
			 SQLITE_FCNTL_POWERSAFE_OVERWRITE, &psow), SQLITE_OK);
	assert_int_equal(psow, 0);

	sqlite3 *db = db_open(f->path);
	assert_int_equal(db_int(db, "PRAGMA user_version", NULL), 5);
	mode = db_text(db, "PRAGMA journal_mode", NULL);
	assert_string_equal(mode, "wal");
	free(mode);
	static const char *const tables[] = { "meta", "sessions", "views",
					      "lang_switches", "contests",
					      "quiz_attempts", "quiz_answers",
					      "runs", "problems", "library",
					      "operator_actions" };
	for (size_t i = 0; i < ARRAY_LEN(tables); i++)
		assert_int_equal(db_int(db, "SELECT count(*) FROM sqlite_master "
					"WHERE type = 'table' AND name = ?1",
					tables[i]), 1);
	assert_true(db_int(db, "SELECT count(*) FROM sqlite_master "
			   "WHERE type = 'index' AND tbl_name = 'views' "
			   "AND sql IS NOT NULL", NULL) >= 2);
	assert_int_equal(db_int(db, "SELECT value FROM meta "
				"WHERE key = 'boot_counter'", NULL),
			 store_boot_counter(st));
	sqlite3_close(db);
	store_close(st);

	/* Reopening an up-to-date log migrates nothing and keeps its rows. */
	st = open_store(f->path);
	store_close(st);
	db = db_open(f->path);
	assert_int_equal(db_int(db, "PRAGMA user_version", NULL), 5);
	sqlite3_close(db);
}

static void test_rows(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_store(f->path);
	int64_t boot_before = time_boot_ms();
	char session[STORE_UUID_LEN], view[STORE_UUID_LEN];
	store_session_begin(st, "vi", session);
	store_view_begin(st, session, "poster-crc", "rad", view);
	store_lang_switch(st, session, "vi", "rad");
	store_view_end(st, view, 12.5, true);
	store_session_end(st, session, "idle");
	store_set_site(st, "Plei Ku");
	char view2[STORE_UUID_LEN];
	store_view_begin(st, session, "video-cedaw", "jra", view2);
	char view3[STORE_UUID_LEN];
	store_view_begin(st, session, "gallery-1", "vi", view3);
	store_view_end_parts(st, view3, 30, false, 4, 12);
	assert_true(store_flush(st));
	int64_t boot_after = time_boot_ms();
	assert_int_equal(store_committed_count(st), 8);
	int64_t boot = store_boot_counter(st);
	assert_true(boot >= 1);

	sqlite3 *db = db_open(f->path);
	char *s;
	s = db_text(db, "SELECT kiosk_id || '|' || site || '|' || lang || '|' "
		    "|| end_reason FROM sessions WHERE uuid = ?1", session);
	assert_string_equal(s, "kiosk-01|Buon Ma Thuot|vi|idle");
	free(s);
	assert_int_equal(db_int(db, "SELECT boot FROM sessions WHERE uuid = ?1",
				session), boot);
	int64_t bms = db_int(db, "SELECT started_boot_ms FROM sessions "
			     "WHERE uuid = ?1", session);
	assert_true(bms >= boot_before && bms <= boot_after);
	assert_true(db_int(db, "SELECT ended_boot_ms >= started_boot_ms AND "
			   "ended_wall_ms >= started_wall_ms FROM sessions "
			   "WHERE uuid = ?1", session));
	assert_clock_plausible(db_int(db, "SELECT clock FROM sessions "
				      "WHERE uuid = ?1", session));
	int64_t wall = db_int(db, "SELECT started_wall_ms FROM sessions "
			      "WHERE uuid = ?1", session);
	assert_true(llabs(wall - time_wall_ms()) < 60000);

	s = db_text(db, "SELECT session_uuid || '|' || kiosk_id || '|' || site "
		    "|| '|' || item_id || '|' || lang || '|' || seconds || '|' "
		    "|| completed FROM views WHERE uuid = ?1", view);
	char *want = xasprintf("%s|kiosk-01|Buon Ma Thuot|poster-crc|rad|12.5|1",
			       session);
	assert_string_equal(s, want);
	free(want);
	free(s);
	/* how far the visitor went: parts only for items that have them */
	s = db_text(db, "SELECT parts_seen || '/' || parts_total FROM views "
		    "WHERE uuid = ?1", view3);
	assert_string_equal(s, "4/12");
	free(s);
	assert_int_equal(db_int(db, "SELECT parts_total IS NULL FROM views "
				"WHERE uuid = ?1", view), 1);
	assert_int_equal(db_int(db, "SELECT boot FROM views WHERE uuid = ?1",
				view), boot);
	bms = db_int(db, "SELECT started_boot_ms FROM views WHERE uuid = ?1",
		     view);
	assert_true(bms >= boot_before && bms <= boot_after);
	assert_clock_plausible(db_int(db, "SELECT clock FROM views "
				      "WHERE uuid = ?1", view));
	assert_true(db_int(db, "SELECT updated_wall_ms >= started_wall_ms "
			   "FROM views WHERE uuid = ?1", view));

	s = db_text(db, "SELECT site || '|' || item_id || '|' || seconds || '|' "
		    "|| completed FROM views WHERE uuid = ?1", view2);
	assert_string_equal(s, "Plei Ku|video-cedaw|0.0|0");
	free(s);

	s = db_text(db, "SELECT session_uuid || '|' || kiosk_id || '|' || site "
		    "|| '|' || from_lang || '|' || to_lang || '|' || boot "
		    "FROM lang_switches", NULL);
	want = xasprintf("%s|kiosk-01|Buon Ma Thuot|vi|rad|%lld", session,
			 (long long)boot);
	assert_string_equal(s, want);
	free(want);
	free(s);
	bms = db_int(db, "SELECT boot_ms FROM lang_switches", NULL);
	assert_true(bms >= boot_before && bms <= boot_after);
	assert_clock_plausible(db_int(db, "SELECT clock FROM lang_switches",
				      NULL));
	sqlite3_close(db);
	store_close(st);
}

/* Contests, attempts and answers land in their tables, linked, with the
 * figures given; ending, exporting and clearing a contest set its times
 * once. */
static void test_quiz_rows(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_store(f->path);
	char session[STORE_UUID_LEN], contest[STORE_UUID_LEN], attempt[STORE_UUID_LEN];
	store_session_begin(st, "vi", session);
	store_contest_begin(st, &(struct store_contest){
		.class_name = "Lớp 9A", .topic = "crc", .n_questions = 5,
		.seconds_per_question = 30 }, contest);
	store_quiz_begin(st, session, &(struct store_quiz){
		.contest = contest, .player = "Hùng", .topic = "crc",
		.lang = "vi", .n_questions = 5 }, attempt);
	store_quiz_answer(st, attempt, &(struct store_quiz_answer){
		.position = 1, .question_id = "crc-1", .question_lang = "vi",
		.question_text = "Trẻ em là ai?", .chosen = "2",
		.chosen_text = "Dưới 18 tuổi", .correct = true, .ms = 4200 });
	store_quiz_answer(st, attempt, &(struct store_quiz_answer){
		.position = 2, .question_id = "crc-2", .question_lang = "en",
		.chosen = "", .timed_out = true, .ms = 30000 });
	store_quiz_end(st, attempt, 1, 2, 34.5, false);
	store_contest_mark(st, contest, STORE_CONTEST_ENDED);
	store_contest_mark(st, contest, STORE_CONTEST_CLEARED);
	char solo[STORE_UUID_LEN];
	store_quiz_begin(st, session, &(struct store_quiz){
		.lang = "en", .n_questions = 10 }, solo);
	assert_true(store_flush(st));
	store_close(st);

	sqlite3 *db = db_open(f->path);
	char *name = db_text(db, "SELECT class_name FROM contests WHERE uuid = ?1",
			     contest);
	assert_string_equal(name, "Lớp 9A");
	free(name);
	assert_int_equal(db_int(db, "SELECT n_questions * 100 + seconds_per_question "
				"FROM contests WHERE uuid = ?1", contest), 530);
	assert_int_equal(db_int(db, "SELECT ended_wall_ms IS NOT NULL AND "
				"cleared_wall_ms IS NOT NULL AND exported_wall_ms "
				"IS NULL FROM contests WHERE uuid = ?1", contest), 1);
	char *player = db_text(db, "SELECT player FROM quiz_attempts WHERE "
			       "contest_uuid = ?1", contest);
	assert_string_equal(player, "Hùng");
	free(player);
	assert_int_equal(db_int(db, "SELECT score * 1000 + answered * 100 + "
				"completed * 10 + (seconds = 34.5) FROM "
				"quiz_attempts WHERE uuid = ?1", attempt), 1201);
	assert_int_equal(db_int(db, "SELECT count(*) FROM quiz_answers WHERE "
				"attempt_uuid = ?1", attempt), 2);
	assert_int_equal(db_int(db, "SELECT ms FROM quiz_answers WHERE "
				"attempt_uuid = ?1 AND position = 1", attempt), 4200);
	assert_int_equal(db_int(db, "SELECT timed_out * 10 + correct FROM "
				"quiz_answers WHERE attempt_uuid = ?1 AND "
				"position = 2", attempt), 10);
	char *chosen = db_text(db, "SELECT chosen_text FROM quiz_answers WHERE "
			       "attempt_uuid = ?1 AND position = 1", attempt);
	assert_string_equal(chosen, "Dưới 18 tuổi");
	free(chosen);
	assert_int_equal(db_int(db, "SELECT contest_uuid IS NULL AND player IS "
				"NULL FROM quiz_attempts WHERE uuid = ?1", solo), 1);
	sqlite3_close(db);
}

static void test_view_end_last_wins(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_store(f->path);
	char session[STORE_UUID_LEN], view[STORE_UUID_LEN];
	store_session_begin(st, "en", session);
	store_view_begin(st, session, "leaflet-cat", "en", view);
	store_view_end(st, view, 3.0, false);
	assert_true(store_flush(st));
	sqlite3 *db = db_open(f->path);
	assert_int_equal(db_int(db, "SELECT seconds * 10 FROM views "
				"WHERE uuid = ?1", view), 30);
	store_view_end(st, view, 41.25, true);
	assert_true(store_flush(st));
	assert_int_equal(db_int(db, "SELECT seconds * 100 FROM views "
				"WHERE uuid = ?1", view), 4125);
	assert_int_equal(db_int(db, "SELECT completed FROM views "
				"WHERE uuid = ?1", view), 1);
	sqlite3_close(db);
	store_close(st);
}

static void test_flush_commits(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_store(f->path);
	/* Nothing queued: returns at once. */
	assert_true(store_flush(st));
	char session[STORE_UUID_LEN];
	store_session_begin(st, "vi", session);
	assert_true(store_flush(st));
	/* Committed means visible to another connection right away. */
	assert_int_equal(count_rows(f->path, "sessions"), 1);
	assert_int_equal(store_committed_count(st), 1);
	store_close(st);
}

static void test_batch_commits_without_flush(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_store(f->path);
	char session[STORE_UUID_LEN];
	store_session_begin(st, "vi", session);
	/* The thread commits on its own about once a second. */
	int64_t t0 = time_mono_ms();
	while (store_committed_count(st) < 1 && time_mono_ms() - t0 < 5000)
		usleep(20000);
	assert_int_equal(store_committed_count(st), 1);
	assert_int_equal(count_rows(f->path, "sessions"), 1);
	store_close(st);
}

static void test_close_commits_queue(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_store(f->path);
	char session[STORE_UUID_LEN], view[STORE_UUID_LEN];
	store_session_begin(st, "vi", session);
	for (int i = 0; i < 200; i++) {
		char item[32];
		snprintf(item, sizeof item, "item-%d", i);
		store_view_begin(st, session, item, "vi", view);
		store_view_end(st, view, i, i % 2 == 0);
	}
	store_close(st);
	assert_int_equal(count_rows(f->path, "views"), 200);
	assert_int_equal(count_rows(f->path, "views WHERE completed = 1"), 100);
	assert_int_equal(count_rows(f->path, "views WHERE seconds = 199"), 1);
	/* NULL is accepted. */
	store_close(NULL);
}

static void test_boot_counter(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_store(f->path);
	int64_t boot = store_boot_counter(st);
	assert_int_equal(boot, 1);
	store_close(st);

	/* Same OS boot: same counter. */
	st = open_store(f->path);
	assert_int_equal(store_boot_counter(st), boot);
	store_close(st);

	/* The stored boot id is from another boot: the counter goes up, and
	 * rows carry the new one. */
	sqlite3 *db = db_open(f->path);
	db_exec(db, "UPDATE meta SET value = 'another-boot' WHERE key = 'boot_id'");
	sqlite3_close(db);
	st = open_store(f->path);
	assert_int_equal(store_boot_counter(st), boot + 1);
	char session[STORE_UUID_LEN];
	store_session_begin(st, "vi", session);
	store_close(st);
	db = db_open(f->path);
	assert_int_equal(db_int(db, "SELECT boot FROM sessions WHERE uuid = ?1",
				session), boot + 1);
	char *id = db_text(db, "SELECT value FROM meta WHERE key = 'boot_id'",
			   NULL);
	assert_string_not_equal(id, "another-boot");
	assert_int_equal(strlen(id), 36);
	free(id);
	sqlite3_close(db);
}

static void test_clock_confirmed(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_store(f->path);
	char s1[STORE_UUID_LEN], s2[STORE_UUID_LEN], s3[STORE_UUID_LEN];
	store_session_begin(st, "vi", s1);
	store_confirm_clock(st);
	store_session_begin(st, "vi", s2);
	int64_t boot = store_boot_counter(st);
	store_close(st);

	sqlite3 *db = db_open(f->path);
	assert_clock_plausible(db_int(db, "SELECT clock FROM sessions "
				      "WHERE uuid = ?1", s1));
	assert_int_equal(db_int(db, "SELECT clock FROM sessions WHERE uuid = ?1",
				s2), STORE_CLOCK_CONFIRMED);
	assert_int_equal(db_int(db, "SELECT value FROM meta "
				"WHERE key = 'clock_confirmed_boot'", NULL), boot);
	sqlite3_close(db);

	/* Still confirmed after a restart of the program in the same boot... */
	st = open_store(f->path);
	store_session_begin(st, "vi", s3);
	store_close(st);
	db = db_open(f->path);
	assert_int_equal(db_int(db, "SELECT clock FROM sessions WHERE uuid = ?1",
				s3), STORE_CLOCK_CONFIRMED);
	/* ...but not after a reboot. */
	db_exec(db, "UPDATE meta SET value = 'another-boot' WHERE key = 'boot_id'");
	sqlite3_close(db);
	st = open_store(f->path);
	store_session_begin(st, "vi", s3);
	store_close(st);
	db = db_open(f->path);
	assert_clock_plausible(db_int(db, "SELECT clock FROM sessions "
				      "WHERE uuid = ?1", s3));
	sqlite3_close(db);
}

#define THREADS 8
#define PER_THREAD 250

static void *log_many(void *arg)
{
	struct store *st = arg;
	char session[STORE_UUID_LEN], view[STORE_UUID_LEN];
	store_session_begin(st, "vi", session);
	for (int i = 0; i < PER_THREAD; i++) {
		store_view_begin(st, session, "item", "vi", view);
		if (i % 50 == 0)
			usleep(1000);
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_store(f->path);
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, log_many, st), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	assert_true(store_flush(st));
	assert_int_equal(store_committed_count(st), THREADS * (PER_THREAD + 1));
	assert_int_equal(count_rows(f->path, "views"), THREADS * PER_THREAD);
	assert_int_equal(count_rows(f->path, "sessions"), THREADS);
	store_close(st);
}

/* Log messages at error level, collected by a hook. */
static char hook_errors[4096];

static void collect_errors(enum log_level level, const char *msg, void *data)
{
	(void)data;
	if (level == LOG_LEVEL_ERROR)
		strncat(hook_errors, msg, sizeof hook_errors - strlen(hook_errors) - 1);
}

static void test_commit_failure_keeps_rows(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_store(f->path);
	char session[STORE_UUID_LEN], view[STORE_UUID_LEN];
	store_session_begin(st, "vi", session);
	assert_true(store_flush(st));

	/* Another connection holds the write lock: commits fail. */
	sqlite3 *locker = db_open(f->path);
	db_exec(locker, "BEGIN IMMEDIATE");
	hook_errors[0] = '\0';
	log_set_hook(collect_errors, NULL);
	store_view_begin(st, session, "radio-drama", "rad", view);
	store_view_end(st, view, 30, true);
	assert_false(store_flush(st));
	assert_int_equal(store_committed_count(st), 1);
	log_set_hook(NULL, NULL);
	/* The message names the log. */
	assert_non_null(strstr(hook_errors, f->path));
	assert_non_null(strstr(hook_errors, "locked"));

	/* More rows while it is still failing. */
	store_lang_switch(st, session, "rad", "vi");
	assert_false(store_flush(st));

	/* Lock released: everything arrives, in order. */
	db_exec(locker, "ROLLBACK");
	sqlite3_close(locker);
	assert_true(store_flush(st));
	assert_int_equal(store_committed_count(st), 4);
	sqlite3 *db = db_open(f->path);
	assert_int_equal(db_int(db, "SELECT seconds FROM views WHERE uuid = ?1",
				view), 30);
	assert_int_equal(db_int(db, "SELECT completed FROM views WHERE uuid = ?1",
				view), 1);
	assert_int_equal(db_int(db, "SELECT count(*) FROM lang_switches", NULL), 1);
	sqlite3_close(db);
	store_close(st);
}

static void test_close_retries_after_failure(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_store(f->path);
	sqlite3 *locker = db_open(f->path);
	db_exec(locker, "BEGIN IMMEDIATE");
	char session[STORE_UUID_LEN];
	store_session_begin(st, "vi", session);
	assert_false(store_flush(st));
	db_exec(locker, "ROLLBACK");
	sqlite3_close(locker);
	/* The failed batch was kept; close commits it. */
	store_close(st);
	assert_int_equal(count_rows(f->path, "sessions"), 1);
}

static void test_newer_schema_refused(void **state)
{
	struct fixture *f = *state;
	store_close(open_store(f->path));
	sqlite3 *db = db_open(f->path);
	db_exec(db, "PRAGMA user_version = 99");
	sqlite3_close(db);
	struct store_identity id = { .kiosk_id = "k", .site = "" };
	assert_null(store_open(f->path, &id));
}

static void test_bad_path(void **state)
{
	struct fixture *f = *state;
	char *file = test_write_file(f->dir, "plain", "not a directory\n");
	char *path = path_join(file, "log.sqlite");
	struct store_identity id = { .kiosk_id = "k", .site = "" };
	assert_null(store_open(path, &id));
	char *notdb = test_write_file(f->dir, "notdb.sqlite",
				      "this is not an SQLite database, just "
				      "some text that is long enough to fill a "
				      "header of one hundred bytes or so ....\n");
	assert_null(store_open(notdb, &id));
	assert_null(store_open(f->path, NULL));
	free(notdb);
	free(path);
	free(file);
}

static void test_uuid(void **state)
{
	(void)state;
	char a[STORE_UUID_LEN], b[STORE_UUID_LEN];
	store_new_uuid(a);
	store_new_uuid(b);
	assert_int_equal(strlen(a), 36);
	assert_string_not_equal(a, b);
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(a[i], '-');
		else
			assert_non_null(strchr("0123456789abcdef", a[i]));
	}
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));
	/* A NULL store still hands out ids, so the app runs without a log. */
	char s[STORE_UUID_LEN];
	store_session_begin(NULL, "vi", s);
	assert_int_equal(strlen(s), 36);
	assert_true(store_flush(NULL));
}

/* Runs: a clean end at close; a run that never closed is a crash when
 * the system stayed up, a cut when it went down; problems are capped per
 * run; the library is one row per item and language, refreshed. */
static void test_runs_problems_library(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_store(f->path);
	int64_t boot = store_boot_counter(st);
	store_run_begin(st, "1.2.3");
	for (int i = 0; i < STORE_PROBLEMS_PER_RUN + 5; i++)
		store_problem(st, i % 2 == 0, "video.mp4: cannot decode");
	struct store_library_item it = { "udhr-1", "rad", "video", "minority",
					 "udhr crc", "Tuyên ngôn" };
	store_library_item(st, &it);
	store_library_item(st, &it);
	store_operator_action(st, "set-site", "Nhà văn hoá xã Ea Tiêu");
	store_operator_action(st, "restart", NULL);
	store_set_site(st, "Nhà văn hoá xã Ea Tiêu");
	store_operator_action(st, "import", "v3.pack: version 3");
	assert_true(store_flush(st));
	sqlite3 *db = db_open(f->path);
	assert_int_equal(db_int(db, "SELECT count(*) FROM runs WHERE ended "
				"IS NULL AND version = '1.2.3'", NULL), 1);
	assert_int_equal(db_int(db, "SELECT count(*) FROM problems", NULL),
			 STORE_PROBLEMS_PER_RUN);
	assert_int_equal(db_int(db, "SELECT count(*) FROM problems WHERE "
				"severity = 'error'", NULL),
			 STORE_PROBLEMS_PER_RUN / 2);
	assert_int_equal(db_int(db, "SELECT count(*) FROM library WHERE "
				"item_id = 'udhr-1' AND lang = 'rad' AND "
				"topics = 'udhr crc' AND lang_kind = 'minority'",
				NULL), 1);
	/* operator actions, in this run, the site as it was at the time */
	assert_int_equal(db_int(db, "SELECT count(*) FROM operator_actions o "
				"JOIN runs r ON r.uuid = o.run_uuid", NULL), 3);
	assert_int_equal(db_int(db, "SELECT count(*) FROM operator_actions "
				"WHERE action = 'restart' AND detail IS NULL", NULL), 1);
	assert_int_equal(db_int(db, "SELECT count(*) FROM operator_actions "
				"WHERE action = 'import' AND site = ?1",
				"Nhà văn hoá xã Ea Tiêu"), 1);
	/* two stale runs of earlier starts: one in this boot, one before */
	char sql[512];
	snprintf(sql, sizeof sql, "INSERT INTO runs(uuid, kiosk_id, site, "
		 "started_wall_ms, boot, started_boot_ms, clock, alive_wall_ms, "
		 "alive_boot_ms) VALUES ('same-boot', 'k', '', 1, %lld, 1, 2, 1, "
		 "1), ('old-boot', 'k', '', 1, %lld, 1, 2, 1, 1)",
		 (long long)boot, (long long)boot - 1);
	db_exec(db, sql);
	store_close(st);
	assert_int_equal(db_int(db, "SELECT count(*) FROM runs WHERE ended = "
				"'clean' AND version = '1.2.3' AND "
				"alive_boot_ms >= started_boot_ms", NULL), 1);

	st = open_store(f->path);
	store_run_begin(st, "1.2.4");
	assert_true(store_flush(st));
	char *e = db_text(db, "SELECT ended FROM runs WHERE uuid = ?1",
			  "same-boot");
	assert_string_equal(e, "crash");
	free(e);
	e = db_text(db, "SELECT ended FROM runs WHERE uuid = ?1", "old-boot");
	assert_string_equal(e, "cut");
	free(e);
	/* the clean run stays clean; the new one is running */
	assert_int_equal(db_int(db, "SELECT count(*) FROM runs WHERE ended = "
				"'clean'", NULL), 1);
	assert_int_equal(db_int(db, "SELECT count(*) FROM runs WHERE ended "
				"IS NULL", NULL), 1);
	store_close(st);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema_and_pragmas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_view_end_last_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_commits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_commits_without_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_commits_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_counter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_confirmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_failure_keeps_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_retries_after_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_path, setup, teardown),
		cmocka_unit_test(test_uuid),
		cmocka_unit_test_setup_teardown(test_quiz_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runs_problems_library, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
