/*
 * test_logexport: `kiosk export`, a consistent copy of the live log: the
 * copy holds exactly the log's rows, is one self-contained file
 * (journal_mode DELETE, no -wal or -shm) named after the kiosk and the
 * day; copies taken while a writer thread keeps logging are whole
 * snapshots; failures (missing log, not a log, a file in the way, an
 * unwritable folder, a full disk) say what and where and leave nothing
 * behind; progress and cancelling; and the command through the real
 * program.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/util.h"
#include "report/logexport.h"
#include "store/store.h"
#include "test_support.h"

static char *tmp;

static int setup(void **state)
{
	(void)state;
	tmp = test_tmpdir();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	/* a test that failed half-way may leave a folder read-only */
	test_system("chmod -R u+rwx '%s' 2>/dev/null", tmp);
	test_rmtree(tmp);
	free(tmp);
	tmp = NULL;
	return 0;
}

/* The tables whose rows are events (what logexport counts). */
static const char *const event_tables[] = {
	"sessions", "views", "lang_switches", "contests", "quiz_attempts",
	"quiz_answers", "runs", "problems",
};

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

static sqlite3 *db_open_ro(const char *path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail_msg("%s: %s", path, sqlite3_errmsg(db));
	return db;
}

static void db_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

/* First column of the first row of sql, as an integer. */
static int64_t db_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) != SQLITE_ROW)
		fail_msg("%s: no row: %s", sql, sqlite3_errmsg(db));
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* First column of the first row of sql, as a new string ("" for NULL). */
static char *db_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) != SQLITE_ROW)
		fail_msg("%s: no row: %s", sql, sqlite3_errmsg(db));
	const char *t = (const char *)sqlite3_column_text(s, 0);
	char *v = xstrdup(t ? t : "");
	sqlite3_finalize(s);
	return v;
}

/* The uuids of table in the log at path, sorted, comma-separated. */
static char *uuid_set(sqlite3 *db, const char *table)
{
	char *sql = xasprintf("SELECT group_concat(uuid, ',') FROM "
			      "(SELECT uuid FROM %s ORDER BY uuid)", table);
	char *v = db_text(db, sql);
	free(sql);
	return v;
}

/* Rows of every event table of the log at path. */
static int64_t count_events(const char *path)
{
	sqlite3 *db = db_open_ro(path);
	int64_t n = 0;
	for (size_t i = 0; i < ARRAY_LEN(event_tables); i++) {
		char *sql = xasprintf("SELECT count(*) FROM %s",
				      event_tables[i]);
		n += db_int(db, sql);
		free(sql);
	}
	sqlite3_close(db);
	return n;
}

/* Entries of dir (without . and ..); -1 when it cannot be read. */
static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* Fail when dir holds a temporary file of an export (or its journals). */
static void assert_no_temp(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;     /* no folder, no temporary file */
	struct dirent *e;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, ".kiosk-log-", 11) == 0 ||
		    strstr(e->d_name, "-journal") || strstr(e->d_name, "-wal") ||
		    strstr(e->d_name, "-shm"))
			fail_msg("%s: left behind: %s", dir, e->d_name);
	closedir(d);
}

static void today(char out[16])
{
	time_t now = time(NULL);
	struct tm tm;
	assert_non_null(localtime_r(&now, &tm));
	strftime(out, 16, "%Y-%m-%d", &tm);
}

/* Does path end in /kiosk-log-<id>-<today><suffix>.sqlite (the date taken
 * before or after the export, in case midnight passed)? */
static void assert_export_name(const char *path, const char *id,
			       const char *date_before, const char *suffix)
{
	char after[16];
	today(after);
	char *a = xasprintf("/kiosk-log-%s-%s%s.sqlite", id, date_before,
			    suffix);
	char *b = xasprintf("/kiosk-log-%s-%s%s.sqlite", id, after, suffix);
	size_t n = strlen(path);
	bool ok = (n >= strlen(a) && strcmp(path + n - strlen(a), a) == 0) ||
		  (n >= strlen(b) && strcmp(path + n - strlen(b), b) == 0);
	if (!ok)
		fail_msg("export named %s, expected ...%s", path, a);
	free(a);
	free(b);
}

/* The copy at path is one self-contained rollback-journal file that
 * passes integrity_check, with nothing beside it. */
static void assert_single_file(const char *path)
{
	unsigned char h[20];
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(h, 1, sizeof h, f), sizeof h);
	fclose(f);
	assert_memory_equal(h, "SQLite format 3", 16);
	/* file format bytes: 1 = rollback journal, 2 = WAL */
	assert_int_equal(h[18], 1);
	assert_int_equal(h[19], 1);

	sqlite3 *db = db_open_ro(path);
	char *mode = db_text(db, "PRAGMA journal_mode");
	assert_string_equal(mode, "delete");
	free(mode);
	char *check = db_text(db, "PRAGMA integrity_check");
	assert_string_equal(check, "ok");
	free(check);
	sqlite3_close(db);

	static const char *const beside[] = { "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < ARRAY_LEN(beside); i++) {
		char *p = xasprintf("%s%s", path, beside[i]);
		if (access(p, F_OK) == 0)
			fail_msg("%s exists beside the copy", p);
		free(p);
	}
}

/* A log written through the store with rows in every event table (and
 * the library); caller frees the path. */
static char *make_full_log(const char *rel)
{
	char *path = path_join(tmp, rel);
	char *dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	assert_true(mkdir_parents(dir));
	free(dir);
	struct store_identity id = { .kiosk_id = "kiosk-07", .site = "Kon Tum" };
	struct store *st = store_open(path, &id);
	assert_non_null(st);
	store_run_begin(st, "test");
	struct store_library_item item = {
		.item_id = "crc", .lang = "vi", .item_kind = "video",
		.lang_kind = "national", .topics = "rights", .title = "CRC",
	};
	store_library_item(st, &item);
	store_problem(st, false, "a warning");
	for (int i = 0; i < 20; i++) {
		char s[STORE_UUID_LEN], v[STORE_UUID_LEN];
		store_session_begin(st, "vi", s);
		store_view_begin(st, s, "crc", "vi", v);
		store_view_end(st, v, 12.5, i % 2);
		store_lang_switch(st, s, "vi", "rad");
		store_view_begin(st, s, "cat", "rad", v);
		store_view_end_parts(st, v, 3.0, false, 2, 5);
		store_session_end(st, s, "idle");
	}
	char c[STORE_UUID_LEN], a[STORE_UUID_LEN], s[STORE_UUID_LEN];
	struct store_contest contest = {
		.class_name = "6A", .topic = NULL, .n_questions = 2,
		.seconds_per_question = 30,
	};
	store_contest_begin(st, &contest, c);
	store_session_begin(st, "vi", s);
	struct store_quiz quiz = {
		.contest = c, .player = "Lan", .topic = NULL, .lang = "vi",
		.n_questions = 2,
	};
	store_quiz_begin(st, s, &quiz, a);
	for (int q = 1; q <= 2; q++) {
		struct store_quiz_answer ans = {
			.position = q, .question_id = q == 1 ? "q1" : "q2",
			.question_lang = "vi", .question_text = "?",
			.chosen = "1", .chosen_text = "A", .correct = q == 1,
			.ms = 1500,
		};
		store_quiz_answer(st, a, &ans);
	}
	store_quiz_end(st, a, 1, 2, 3.0, true);
	store_contest_mark(st, c, STORE_CONTEST_ENDED);
	assert_true(store_flush(st));
	store_close(st);
	return path;
}

/* Add n sessions with one view each straight into the log at path (rows
 * of a few hundred bytes, so the file grows by about n KB). Their uuids
 * begin with "pre-". */
static void prefill(const char *path, int n)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	char *sql = xasprintf(
		"BEGIN;"
		"WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k"
		"  WHERE i < %d)"
		"INSERT INTO sessions(uuid, kiosk_id, site, lang,"
		"  started_wall_ms, boot, started_boot_ms, clock)"
		"  SELECT printf('pre-s-%%08d', i), 'kiosk-07', 'Kon Tum', 'vi',"
		"  1767225600000 + i, 1, i, 2 FROM k;"
		"WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k"
		"  WHERE i < %d)"
		"INSERT INTO views(uuid, session_uuid, kiosk_id, site, item_id,"
		"  lang, started_wall_ms, boot, started_boot_ms, clock)"
		"  SELECT printf('pre-v-%%08d', i), printf('pre-s-%%08d', i),"
		"  'kiosk-07', 'Kon Tum', printf('item-%%0200d', i), 'vi',"
		"  1767225600000 + i, 1, i, 2 FROM k;"
		"COMMIT;", n, n);
	db_exec(db, sql);
	free(sql);
	sqlite3_close(db);
}

/* An empty store log at rel with n prefilled sessions and views. */
static char *make_big_log(const char *rel, int n)
{
	char *path = path_join(tmp, rel);
	struct store_identity id = { .kiosk_id = "kiosk-07", .site = "Kon Tum" };
	store_close(store_open(path, &id));
	prefill(path, n);
	return path;
}

/* ------------------------------------------------------------------------
 * 1. The copy
 * ------------------------------------------------------------------------ */

static void test_copy_matches_log(void **state)
{
	(void)state;
	char *log = make_full_log("data/kiosk-log.sqlite");
	char *out = path_join(tmp, "stick/logs");   /* created by the export */
	char date[16];
	today(date);

	struct logexport_result r = { 0 };
	char *err = NULL;
	bool ok = logexport_copy(log, out, "Kon Tum/07:a", NULL, NULL, &r, &err);
	if (!ok)
		fail_msg("export failed: %s", err);
	assert_null(err);
	assert_export_name(r.path, "Kon Tum_07_a", date, "");
	char *dir_of = xstrdup(r.path);
	*strrchr(dir_of, '/') = '\0';
	assert_string_equal(dir_of, out);
	free(dir_of);
	assert_single_file(r.path);
	assert_int_equal(dir_entries(out), 1);

	/* the same rows, by uuid, in every event table */
	sqlite3 *src = db_open_ro(log);
	sqlite3 *copy = db_open_ro(r.path);
	for (size_t i = 0; i < ARRAY_LEN(event_tables); i++) {
		char *a = uuid_set(src, event_tables[i]);
		char *b = uuid_set(copy, event_tables[i]);
		if (!*a)
			fail_msg("the test log has no %s", event_tables[i]);
		if (strcmp(a, b) != 0)
			fail_msg("%s differ:\nlog:  %s\ncopy: %s",
				 event_tables[i], a, b);
		free(a);
		free(b);
	}
	assert_int_equal(r.events, count_events(log));
	assert_int_equal(r.events, count_events(r.path));
	assert_int_equal(db_int(copy, "SELECT count(*) FROM library"), 1);
	assert_int_equal(db_int(copy, "PRAGMA user_version"),
			 db_int(src, "PRAGMA user_version"));
	/* and the same values, not only the same ids */
	char *sum_a = db_text(src, "SELECT group_concat(uuid || seconds || "
			      "completed || quote(parts_seen), ';') FROM "
			      "(SELECT * "
			      "FROM views ORDER BY uuid)");
	char *sum_b = db_text(copy, "SELECT group_concat(uuid || seconds || "
			      "completed || quote(parts_seen), ';') FROM "
			      "(SELECT * "
			      "FROM views ORDER BY uuid)");
	assert_string_equal(sum_a, sum_b);
	free(sum_a);
	free(sum_b);
	sqlite3_close(copy);
	sqlite3_close(src);

	struct stat st;
	assert_int_equal(stat(r.path, &st), 0);
	assert_int_equal(r.bytes, st.st_size);

	/* a second export the same day: -2, then -3 */
	struct logexport_result r2 = { 0 }, r3 = { 0 };
	assert_true(logexport_copy(log, out, "Kon Tum/07:a", NULL, NULL, &r2,
				   &err));
	assert_export_name(r2.path, "Kon Tum_07_a", date, "-2");
	assert_single_file(r2.path);
	assert_true(logexport_copy(log, out, "Kon Tum/07:a", NULL, NULL, &r3,
				   &err));
	assert_export_name(r3.path, "Kon Tum_07_a", date, "-3");
	assert_int_equal(r2.events, r.events);
	assert_int_equal(dir_entries(out), 3);
	assert_no_temp(out);

	free(r.path);
	free(r2.path);
	free(r3.path);
	free(out);
	free(log);
}

/* Characters a FAT file system refuses, and control characters, become
 * '_'; a missing id is "unnamed". */
static void test_name_is_fat_safe(void **state)
{
	(void)state;
	char *log = make_full_log("kiosk-log.sqlite");
	char *out = path_join(tmp, "out");
	char date[16];
	today(date);
	struct logexport_result r = { 0 };
	char *err = NULL;
	assert_true(logexport_copy(log, out, "a<b>c:d\"e/f\\g|h?i*j\tk\x7fl",
				   NULL, NULL, &r, &err));
	assert_export_name(r.path, "a_b_c_d_e_f_g_h_i_j_k_l", date, "");
	free(r.path);
	assert_true(logexport_copy(log, out, "", NULL, NULL, &r, &err));
	assert_export_name(r.path, "unnamed", date, "");
	free(r.path);
	/* Vietnamese letters are fine on FAT */
	assert_true(logexport_copy(log, out, "Buôn Đôn", NULL, NULL, &r, &err));
	assert_export_name(r.path, "Buôn Đôn", date, "");
	free(r.path);
	free(out);
	free(log);
}

/* ------------------------------------------------------------------------
 * 2. Exports while the kiosk keeps logging
 * ------------------------------------------------------------------------ */

/* A writer thread logging sessions and views through the store. */
struct writer {
	struct store *st;
	pthread_t thread;
	pthread_mutex_t lock;
	/* Guarded by lock: */
	char (*views)[STORE_UUID_LEN];  /* every view logged, in order */
	size_t n_views, cap;
	size_t committed;       /* views[0..committed) are committed */
	size_t flushes;         /* store_flush calls that returned true */
	bool stop;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	for (unsigned round = 0;; round++) {
		pthread_mutex_lock(&w->lock);
		bool stop = w->stop;
		pthread_mutex_unlock(&w->lock);
		if (stop)
			break;
		/* a session and its views in one batch, so one commit */
		char s[STORE_UUID_LEN], v[STORE_UUID_LEN];
		store_session_begin(w->st, "vi", s);
		for (int i = 0; i < 3; i++) {
			store_view_begin(w->st, s, "crc", "vi", v);
			store_view_end(w->st, v, 1.5 * i, i == 2);
			pthread_mutex_lock(&w->lock);
			if (w->n_views == w->cap) {
				w->cap = w->cap ? w->cap * 2 : 1024;
				w->views = xrealloc(w->views,
						    w->cap * sizeof *w->views);
			}
			memcpy(w->views[w->n_views++], v, STORE_UUID_LEN);
			pthread_mutex_unlock(&w->lock);
		}
		store_session_end(w->st, s, "idle");
		size_t logged;
		pthread_mutex_lock(&w->lock);
		logged = w->n_views;
		pthread_mutex_unlock(&w->lock);
		if (store_flush(w->st)) {
			pthread_mutex_lock(&w->lock);
			w->committed = logged;
			w->flushes++;
			pthread_mutex_unlock(&w->lock);
		}
	}
	return NULL;
}

static size_t writer_committed(struct writer *w, size_t *flushes)
{
	pthread_mutex_lock(&w->lock);
	size_t n = w->committed;
	if (flushes)
		*flushes = w->flushes;
	pthread_mutex_unlock(&w->lock);
	return n;
}

/* Progress of one export: slowed down so that the writer commits between
 * the backup's steps; the writer's commits seen at the first and last
 * call. A backup that goes back to an earlier page has restarted on a
 * newer version of the log (it did not hold one snapshot, and with a busy
 * writer would never finish): it is cancelled. */
struct slow_progress {
	struct writer *w;
	int calls;
	int64_t last_done;
	bool restarted;
	size_t flushes_first, flushes_last;
};

static bool slow_progress(void *data, int64_t done, int64_t total)
{
	struct slow_progress *p = data;
	(void)total;
	if (done <= p->last_done) {
		p->restarted = true;
		return false;
	}
	p->last_done = done;
	size_t flushes;
	writer_committed(p->w, &flushes);
	if (p->calls++ == 0)
		p->flushes_first = flushes;
	p->flushes_last = flushes;
	usleep(15000);
	return true;
}

#define WHILE_LOGGING_EXPORTS 5

static void test_export_while_logging(void **state)
{
	(void)state;
	/* About 3 MB, so that one export takes a dozen backup steps. */
	char *log = make_big_log("kiosk-log.sqlite", 8000);
	struct store_identity id = { .kiosk_id = "kiosk-07", .site = "Kon Tum" };
	struct writer w = { .st = store_open(log, &id) };
	assert_non_null(w.st);
	pthread_mutex_init(&w.lock, NULL);
	assert_int_equal(pthread_create(&w.thread, NULL, writer_main, &w), 0);
	/* let the writer get going */
	while (writer_committed(&w, NULL) < 30)
		usleep(1000);

	char *out = path_join(tmp, "out");
	bool concurrent = false;
	for (int k = 0; k < WHILE_LOGGING_EXPORTS; k++) {
		size_t before = writer_committed(&w, NULL);
		struct slow_progress prog = { .w = &w };
		struct logexport_result r = { 0 };
		char *err = NULL;
		if (!logexport_copy(log, out, "kiosk-07", slow_progress, &prog,
				    &r, &err))
			fail_msg("export %d failed: %s%s", k, err, prog.restarted
				 ? " (the backup restarted: no snapshot held)"
				 : "");
		assert_true(prog.calls > 3);
		if (prog.flushes_last > prog.flushes_first)
			concurrent = true;

		sqlite3 *db = db_open_ro(r.path);
		char *check = db_text(db, "PRAGMA integrity_check");
		assert_string_equal(check, "ok");
		free(check);
		/* no view without its session (a session without its views
		 * is possible: the store's timer may commit between them) */
		assert_int_equal(db_int(db, "SELECT count(*) FROM views v WHERE"
					" NOT EXISTS (SELECT 1 FROM sessions s"
					" WHERE s.uuid = v.session_uuid)"), 0);
		assert_int_equal(db_int(db, "SELECT count(*) FROM views WHERE "
					"uuid LIKE 'pre-%'"), 8000);
		/* the writer's views in the copy are the first m it logged,
		 * and m covers everything committed before the export */
		size_t m = (size_t)db_int(db, "SELECT count(*) FROM views "
					  "WHERE uuid NOT LIKE 'pre-%'");
		if (m < before)
			fail_msg("export %d: %zu of the writer's views, but %zu "
				 "were committed before it began", k, m, before);
		sqlite3_stmt *s = NULL;
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM "
			"views WHERE uuid = ?1", -1, &s, NULL), SQLITE_OK);
		pthread_mutex_lock(&w.lock);
		assert_true(m <= w.n_views);
		for (size_t i = 0; i < m; i++) {
			sqlite3_bind_text(s, 1, w.views[i], -1, SQLITE_STATIC);
			assert_int_equal(sqlite3_step(s), SQLITE_ROW);
			int64_t found = sqlite3_column_int64(s, 0);
			sqlite3_reset(s);
			if (found != 1) {
				pthread_mutex_unlock(&w.lock);
				fail_msg("export %d: view %zu of the writer is "
					 "missing, yet %zu later ones are in",
					 k, i, m);
			}
		}
		pthread_mutex_unlock(&w.lock);
		sqlite3_finalize(s);
		sqlite3_close(db);
		free(r.path);
	}

	pthread_mutex_lock(&w.lock);
	w.stop = true;
	pthread_mutex_unlock(&w.lock);
	pthread_join(w.thread, NULL);
	store_close(w.st);
	pthread_mutex_destroy(&w.lock);
	free(w.views);
	/* the test means nothing unless the writer committed mid-export */
	assert_true(concurrent);
	assert_int_equal(dir_entries(out), WHILE_LOGGING_EXPORTS);
	assert_no_temp(out);
	free(out);
	free(log);
}

/* ------------------------------------------------------------------------
 * 3. Failures
 * ------------------------------------------------------------------------ */

/* Export log to dir, expecting failure with a message that names what and
 * holds words; nothing must be left in dir. */
static void expect_failure(const char *log, const char *dir, const char *what,
			   const char *words)
{
	struct logexport_result r = { .path = NULL };
	char *err = NULL;
	bool ok = logexport_copy(log, dir, "kiosk-07", NULL, NULL, &r, &err);
	if (ok)
		fail_msg("exporting %s to %s succeeded: %s", log, dir, r.path);
	assert_null(r.path);
	assert_non_null(err);
	if (!strstr(err, what))
		fail_msg("the message does not name %s: %s", what, err);
	if (!strstr(err, words))
		fail_msg("the message does not say '%s': %s", words, err);
	assert_no_temp(dir);
	int n = dir_entries(dir);
	if (n > 0)
		fail_msg("%s: %d files left after a failed export", dir, n);
	free(err);
}

static void test_source_failures(void **state)
{
	(void)state;
	char *out = path_join(tmp, "out");
	char *missing = path_join(tmp, "none.sqlite");
	expect_failure(missing, out, missing, "no such file");
	char *text = test_write_file(tmp, "notes.sqlite", "hello, not a log\n");
	expect_failure(text, out, text, "not a kiosk log");
	char *empty = test_write_file(tmp, "empty.sqlite", "");
	expect_failure(empty, out, empty, "not a kiosk log");
	/* an SQLite database, but not the kiosk's */
	char *other = path_join(tmp, "other.sqlite");
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
	db_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
	sqlite3_close(db);
	expect_failure(other, out, other, "not a kiosk log");
	/* a folder */
	expect_failure(tmp, out, tmp, "folder");
	free(other);
	free(empty);
	free(text);
	free(missing);
	free(out);
}

static void test_destination_failures(void **state)
{
	(void)state;
	char *log = make_full_log("kiosk-log.sqlite");
	/* a file where the folder should be, or on its path */
	char *file = test_write_file(tmp, "stick.txt", "a file\n");
	expect_failure(log, file, file, "not a folder");
	char *under = path_join(file, "logs");
	expect_failure(log, under, under, "not a folder");
	free(under);
	free(file);
	free(log);
}

static void test_unwritable_folder(void **state)
{
	(void)state;
	if (geteuid() == 0)
		skip();     /* root writes anywhere */
	char *log = make_full_log("kiosk-log.sqlite");
	char *ro = path_join(tmp, "ro");
	assert_true(mkdir_parents(ro));
	assert_int_equal(chmod(ro, 0555), 0);
	expect_failure(log, ro, ro, "permission denied");
	char *below = path_join(ro, "new");
	expect_failure(log, below, below, "permission denied");
	assert_int_equal(chmod(ro, 0755), 0);
	free(below);
	free(ro);
	free(log);
}

/* A full disk, simulated with a file size limit (writes past it fail with
 * EFBIG once SIGXFSZ is ignored). */
static void test_full_disk(void **state)
{
	(void)state;
	char *log = make_big_log("kiosk-log.sqlite", 2000);
	char *out = path_join(tmp, "out");
	assert_true(mkdir_parents(out));

	struct rlimit old, lim;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = 64 * 1024;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	struct logexport_result r = { .path = NULL };
	char *err = NULL;
	bool ok = logexport_copy(log, out, "kiosk-07", NULL, NULL, &r, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, old_handler);

	assert_false(ok);
	assert_non_null(err);
	if (!strstr(err, out) || !strstr(err, "the disk is full"))
		fail_msg("the message should name %s and say the disk is "
			 "full: %s", out, err);
	assert_no_temp(out);
	assert_int_equal(dir_entries(out), 0);
	free(err);
	free(out);
	free(log);
}

/* ------------------------------------------------------------------------
 * 4. Progress and cancelling
 * ------------------------------------------------------------------------ */

struct progress_log {
	int calls;
	int cancel_at;          /* return false on this call (1-based); 0 never */
	int64_t last_done, total;
	bool bad;               /* done did not increase, or total changed */
};

static bool record_progress(void *data, int64_t done, int64_t total)
{
	struct progress_log *p = data;
	p->calls++;
	if (total <= 0 || done <= p->last_done || done > total ||
	    (p->total && total != p->total))
		p->bad = true;
	p->last_done = done;
	p->total = total;
	return p->calls != p->cancel_at;
}

static void test_progress_and_cancel(void **state)
{
	(void)state;
	char *log = make_big_log("kiosk-log.sqlite", 5000);
	char *out = path_join(tmp, "out");
	struct logexport_result r = { 0 };
	char *err = NULL;

	struct progress_log p = { 0 };
	assert_true(logexport_copy(log, out, "k", record_progress, &p, &r,
				   &err));
	assert_true(p.calls >= 3);
	assert_false(p.bad);
	assert_int_equal(p.last_done, p.total);
	struct stat st;
	assert_int_equal(stat(r.path, &st), 0);
	/* total counts pages of the log, which the copy has too */
	assert_int_equal(st.st_size % p.total, 0);
	test_rmtree(out);
	free(r.path);

	for (int at = 1; at <= 2; at++) {
		struct progress_log c = { .cancel_at = at };
		r.path = NULL;
		assert_false(logexport_copy(log, out, "k", record_progress, &c,
					    &r, &err));
		assert_int_equal(c.calls, at);
		assert_null(r.path);
		assert_non_null(strstr(err, "cancelled"));
		free(err);
		assert_no_temp(out);
		assert_int_equal(dir_entries(out), 0);
	}
	free(out);
	free(log);
}

/* ------------------------------------------------------------------------
 * 5. kiosk export, through the real program
 * ------------------------------------------------------------------------ */

/* What an export killed mid-copy left behind (its hidden temporary file
 * and journal) is removed by the next export to the same folder; other
 * files stay. */
static void test_stale_temps_removed(void **state)
{
	(void)state;
	char *log = make_big_log("kiosk-log.sqlite", 100);
	char *out = path_join(tmp, "stick");
	assert_true(mkdir_parents(out));
	static const char *const stale[] = { ".kiosk-log-a1B2c3.tmp",
					     ".kiosk-log-a1B2c3.tmp-journal" };
	static const char *const kept[] = { ".kiosk-log-notes.txt",
					    "kiosk-log-k-2026-01-01.sqlite",
					    ".kiosk-log-a1B2c3.tmpx" };
	for (size_t i = 0; i < ARRAY_LEN(stale); i++)
		free(test_write_file(out, stale[i], "half a copy"));
	for (size_t i = 0; i < ARRAY_LEN(kept); i++)
		free(test_write_file(out, kept[i], "keep me"));
	struct logexport_result r = { 0 };
	char *err = NULL;
	assert_true(logexport_copy(log, out, "k", NULL, NULL, &r, &err));
	for (size_t i = 0; i < ARRAY_LEN(stale); i++) {
		char *p = path_join(out, stale[i]);
		assert_false(file_exists(p));
		free(p);
	}
	for (size_t i = 0; i < ARRAY_LEN(kept); i++) {
		char *p = path_join(out, kept[i]);
		assert_true(file_exists(p));
		free(p);
	}
	free(r.path);
	free(out);
	free(log);
}

static void test_command_line(void **state)
{
	(void)state;
	char *log = make_full_log("data/" STORE_LOG_FILENAME);
	char *data = path_join(tmp, "data");
	char *conf_text = xasprintf("data_dir = %s\nkiosk_id = kiosk:07\n",
				    data);
	char *conf = test_write_file(tmp, "kiosk.conf", conf_text);
	free(conf_text);
	char *kiosk = test_program("kiosk/kiosk");
	char *out = path_join(tmp, "usb");
	char *so = path_join(tmp, "stdout"), *se = path_join(tmp, "stderr");
	char date[16];
	today(date);

	assert_int_equal(test_system("'%s' --config '%s' export '%s' >'%s' 2>'%s'",
				     kiosk, conf, out, so, se), 0);
	char *text = file_read_all(so, NULL);
	assert_non_null(text);
	size_t n = strlen(text);
	assert_true(n > 1 && text[n - 1] == '\n');
	text[n - 1] = '\0';
	assert_export_name(text, "kiosk_07", date, "");
	assert_true(file_exists(text));
	assert_single_file(text);
	struct stat st;
	assert_int_equal(stat(text, &st), 0);
	char *counts = xasprintf("%lld events, %lld bytes\n",
				 (long long)count_events(text),
				 (long long)st.st_size);
	free(text);
	/* stderr is not a terminal: no progress, only the counts */
	text = file_read_all(se, NULL);
	assert_non_null(text);
	assert_string_equal(text, counts);
	free(counts);
	free(text);

	/* --log names another file; a second export gets -2 */
	assert_int_equal(test_system("'%s' --config '%s' export --log '%s' '%s' "
				     ">'%s' 2>'%s'", kiosk, conf, log, out, so,
				     se), 0);
	char *path2 = file_read_all(so, NULL);
	assert_non_null(path2);
	path2[strcspn(path2, "\n")] = '\0';
	assert_export_name(path2, "kiosk_07", date, "-2");
	assert_int_equal(stat(path2, &st), 0);
	free(path2);

	/* usage errors: 2 */
	assert_int_equal(test_system("'%s' --config '%s' export >/dev/null "
				     "2>&1", kiosk, conf), 2);
	assert_int_equal(test_system("'%s' --config '%s' export a b >/dev/null "
				     "2>&1", kiosk, conf), 2);
	assert_int_equal(test_system("'%s' --config '%s' export --bogus '%s' "
				     ">/dev/null 2>&1", kiosk, conf, out), 2);
	assert_int_equal(test_system("'%s' --config '%s' export '%s' --log "
				     ">/dev/null 2>&1", kiosk, conf, out), 2);
	assert_int_equal(test_system("'%s' --config '%s' export --help "
				     ">'%s' 2>&1", kiosk, conf, so), 0);
	text = file_read_all(so, NULL);
	assert_non_null(strstr(text, "usage: kiosk export"));
	free(text);
	assert_int_equal(test_system("'%s' --help >'%s' 2>&1", kiosk, so), 0);
	text = file_read_all(so, NULL);
	assert_non_null(strstr(text, "  export "));
	free(text);

	/* a missing log: 1, with a message naming it */
	assert_int_equal(test_system("'%s' --config '%s' export --log "
				     "'%s/none.sqlite' '%s' >'%s' 2>'%s'",
				     kiosk, conf, tmp, out, so, se), 1);
	text = file_read_all(se, NULL);
	char *none = path_join(tmp, "none.sqlite");
	if (!strstr(text, none) || !strstr(text, "kiosk export: "))
		fail_msg("no message naming %s: %s", none, text);
	free(none);
	free(text);
	text = file_read_all(so, NULL);
	assert_string_equal(text, "");
	free(text);
	assert_int_equal(dir_entries(out), 2);
	assert_no_temp(out);

	free(so);
	free(se);
	free(out);
	free(kiosk);
	free(conf);
	free(data);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copy_matches_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_is_fat_safe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_while_logging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destination_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_and_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_temps_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_line, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
