/*
 * logmerge: kiosk logs merged into one working database (see logmerge.h).
 *
 * Each file is attached read-only in turn as "src" (logsrc). The boot
 * offsets of that file are computed first (table off), then each table the
 * file has is copied with INSERT ... ON CONFLICT on the 16-byte UUID: a
 * row seen before keeps the larger of its updatable values (a later export
 * holds the same view with more seconds), so the order files come in does
 * not matter and a file merged twice changes nothing.
 *
 * Every copied row also gets its local date as a day number (column day),
 * computed once here so that the figures filter and group on integers.
 */
#include "report/logmerge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/logsrc.h"

struct logmerge {
	sqlite3 *db;
	int64_t files;
	int64_t rows_read;   /* event rows copied or matched, duplicates too */
};

/* The working tables; see logmerge.h. WITHOUT ROWID keeps each row once,
 * in its key's b-tree, which halves the memory a million events take.
 * The key is (kiosk, raw wall time, UUID): the UUID alone identifies an
 * event, and the kiosk and the time it was logged with never change
 * between two copies of it, so the prefix keeps the dedupe exact while a
 * file's rows, which come in time order, go in next to each other instead
 * of at random places in the tree (twice as fast for a year of 50
 * kiosks). Every event table begins with the same columns: */
#define MERGE_EVENT_COLUMNS \
	"  uuid BLOB, kiosk TEXT, raw_ms INTEGER, start_ms INTEGER," \
	"  day INTEGER, trust INTEGER, undated INTEGER,"
static const char merge_schema[] =
	"CREATE TABLE s (" MERGE_EVENT_COLUMNS
	"  site TEXT, lang TEXT,"
	"  PRIMARY KEY (kiosk, raw_ms, uuid)"
	") WITHOUT ROWID;"
	"CREATE TABLE v (" MERGE_EVENT_COLUMNS
	"  site TEXT, item TEXT, lang TEXT, seconds REAL, completed INTEGER,"
	"  PRIMARY KEY (kiosk, raw_ms, uuid)"
	") WITHOUT ROWID;"
	"CREATE TABLE c (" MERGE_EVENT_COLUMNS
	"  site TEXT, class_name TEXT, topic TEXT, n_questions INTEGER,"
	"  PRIMARY KEY (kiosk, raw_ms, uuid)"
	") WITHOUT ROWID;"
	"CREATE TABLE a (" MERGE_EVENT_COLUMNS
	"  contest BLOB, site TEXT, player TEXT, topic TEXT, lang TEXT,"
	"  n_questions INTEGER, score INTEGER, answered INTEGER,"
	"  completed INTEGER,"
	"  PRIMARY KEY (kiosk, raw_ms, uuid)"
	") WITHOUT ROWID;"
	"CREATE INDEX a_contest ON a(contest);"
	"CREATE TABLE r (" MERGE_EVENT_COLUMNS
	"  version TEXT, up_ms INTEGER, ended TEXT, errors INTEGER,"
	"  warnings INTEGER,"
	"  PRIMARY KEY (kiosk, raw_ms, uuid)"
	") WITHOUT ROWID;"
	"CREATE TABLE p (" MERGE_EVENT_COLUMNS
	"  severity TEXT, message TEXT, kind TEXT,"
	"  PRIMARY KEY (kiosk, raw_ms, uuid)"
	") WITHOUT ROWID;"
	"CREATE INDEX r_uuid ON r(uuid);"
	"CREATE TABLE lib ("
	"  kiosk TEXT, item TEXT, lang TEXT, item_kind TEXT, lang_kind TEXT,"
	"  topics TEXT, title TEXT, first_run BLOB, last_run BLOB,"
	"  PRIMARY KEY (kiosk, item, lang)"
	") WITHOUT ROWID;"
	LOGSRC_OFF_SCHEMA;

/* The placed time and its trust (logsrc.h), selected as ms and trust. */
#define PLACED(W, B) LOGSRC_PLACED(W, B)
#define TRUST LOGSRC_TRUST
#define FROM_PLACED(T) LOGSRC_JOIN_OFF(T) " WHERE true "

#define DAY_OF(MS) LOGMERGE_DAY_OF(MS)

/* The columns every event table starts with, as inserted from a subquery
 * that selects uuid, kiosk_id, raw (the logged wall time), ms (the placed
 * time) and trust. */
#define EVENT_COLS "uuid, kiosk, raw_ms, start_ms, day, trust, undated, "
#define EVENT_VALUES \
	"uuid16(uuid), kiosk_id, raw, ms, " DAY_OF("ms") ", trust, trust = 0, "
#define EVENT_SELECT(W, B) \
	"SELECT x.uuid, x.kiosk_id, x." W " AS raw, " \
	PLACED(W, B) " AS ms, " TRUST " AS trust, "

/* A copy of an event seen before keeps the placement resting on the more
 * trusted clock: an early export may lack the row of the boot that dates
 * it, a later one has it. So the order of the files does not matter. */
#define BETTER_PLACEMENT \
	" start_ms = iif(" LOGSRC_BETTER("start_ms") ", excluded.start_ms," \
	"  start_ms)," \
	" day = iif(" LOGSRC_BETTER("start_ms") ", excluded.day, day)," \
	" undated = iif(" LOGSRC_BETTER("start_ms") ", excluded.undated," \
	"  undated)," \
	" trust = max(trust, excluded.trust)"

static const char copy_sessions_sql[] =
	"INSERT INTO s(" EVENT_COLS "site, lang) "
	"SELECT " EVENT_VALUES "site, lang FROM ("
	EVENT_SELECT("started_wall_ms", "started_boot_ms") "x.site, x.lang"
	FROM_PLACED("sessions") ") WHERE true "
	"ON CONFLICT DO UPDATE SET" BETTER_PLACEMENT;

static const char copy_views_sql[] =
	"INSERT INTO v(" EVENT_COLS "site, item, lang, seconds, completed) "
	"SELECT " EVENT_VALUES "site, item_id, lang, seconds, completed FROM ("
	EVENT_SELECT("started_wall_ms", "started_boot_ms")
	"x.site, x.item_id, x.lang, coalesce(x.seconds, 0) AS seconds,"
	"  coalesce(x.completed, 0) AS completed"
	FROM_PLACED("views") ") WHERE true "
	"ON CONFLICT DO UPDATE SET" BETTER_PLACEMENT ","
	"  seconds = max(seconds, excluded.seconds),"
	"  completed = max(completed, excluded.completed)";

static const char copy_contests_sql[] =
	"INSERT INTO c(" EVENT_COLS "site, class_name, topic, n_questions) "
	"SELECT " EVENT_VALUES "site, class_name, topic, n_questions FROM ("
	EVENT_SELECT("started_wall_ms", "started_boot_ms")
	"x.site, x.class_name, x.topic, x.n_questions"
	FROM_PLACED("contests") ") WHERE true "
	"ON CONFLICT DO UPDATE SET" BETTER_PLACEMENT;

static const char copy_attempts_sql[] =
	"INSERT INTO a(" EVENT_COLS "contest, site, player, topic, lang,"
	"  n_questions, score, answered, completed) "
	"SELECT " EVENT_VALUES "uuid16(contest_uuid), site, player, topic,"
	"  lang, n_questions, score, answered, completed FROM ("
	EVENT_SELECT("started_wall_ms", "started_boot_ms")
	"x.contest_uuid, x.site, x.player, x.topic, x.lang, x.n_questions,"
	"  x.score, x.answered, x.completed"
	FROM_PLACED("quiz_attempts") ") WHERE true "
	"ON CONFLICT DO UPDATE SET" BETTER_PLACEMENT ","
	"  score = max(score, excluded.score),"
	"  answered = max(answered, excluded.answered),"
	"  completed = max(completed, excluded.completed)";

static const char copy_runs_sql[] =
	"INSERT INTO r(" EVENT_COLS "version, up_ms, ended, errors,"
	"  warnings) "
	"SELECT " EVENT_VALUES "version, up_ms, ended, errors, warnings FROM ("
	EVENT_SELECT("started_wall_ms", "started_boot_ms")
	"x.version, max(x.alive_boot_ms - x.started_boot_ms, 0) AS up_ms,"
	"  x.ended, x.errors, x.warnings"
	FROM_PLACED("runs") ") WHERE true "
	"ON CONFLICT DO UPDATE SET" BETTER_PLACEMENT ","
	"  up_ms = max(up_ms, excluded.up_ms),"
	"  ended = coalesce(ended, excluded.ended),"
	"  errors = max(errors, excluded.errors),"
	"  warnings = max(warnings, excluded.warnings)";

static const char copy_problems_sql[] =
	"INSERT INTO p(" EVENT_COLS "severity, message, kind) "
	"SELECT " EVENT_VALUES "severity, message, problem_kind(message) FROM ("
	EVENT_SELECT("wall_ms", "boot_ms") "x.severity, x.message"
	FROM_PLACED("problems") ") WHERE true "
	"ON CONFLICT DO UPDATE SET" BETTER_PLACEMENT;

/* The library is state, not events: keyed by kiosk, item and language,
 * with the earliest first run and the latest last run that listed it
 * (their runs are merged before it, dated like events), and the
 * attributes the latest run listed. */
#define RUN_START(U) "(SELECT start_ms FROM r WHERE uuid = " U ")"
#define LATER_LISTING \
	RUN_START("excluded.last_run") " > " RUN_START("last_run")
static const char copy_library_sql[] =
	"INSERT INTO lib(kiosk, item, lang, item_kind, lang_kind, topics,"
	"  title, first_run, last_run) "
	"SELECT kiosk_id, item_id, lang, item_kind, lang_kind, topics, title,"
	"  uuid16(first_run), uuid16(last_run) FROM src.library WHERE true "
	"ON CONFLICT(kiosk, item, lang) DO UPDATE SET"
	"  first_run = iif(" RUN_START("excluded.first_run") " < "
	RUN_START("first_run") ", excluded.first_run, first_run),"
	"  item_kind = iif(" LATER_LISTING ", excluded.item_kind, item_kind),"
	"  lang_kind = iif(" LATER_LISTING ", excluded.lang_kind, lang_kind),"
	"  topics = iif(" LATER_LISTING ", excluded.topics, topics),"
	"  title = iif(" LATER_LISTING ", excluded.title, title),"
	"  last_run = iif(" LATER_LISTING ", excluded.last_run, last_run)";

/* Which tables of the log are copied, by which statement; a log of an
 * older schema lacks the later ones. */
static const struct {
	const char *table;
	const char *sql;
} copies[] = {
	{ "sessions", copy_sessions_sql },
	{ "views", copy_views_sql },
	{ "contests", copy_contests_sql },
	{ "quiz_attempts", copy_attempts_sql },
	{ "runs", copy_runs_sql },
	{ "problems", copy_problems_sql },
	{ "library", copy_library_sql },
};

/* uuid16(text): the 16 bytes of a UUID written as 36 characters; NULL for
 * NULL, and the text itself (a key still, only larger) for anything that
 * is not a well-formed UUID. */
static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void uuid16_func(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	const unsigned char *t = sqlite3_value_text(argv[0]);
	int len = sqlite3_value_bytes(argv[0]);
	unsigned char out[16];
	int o = 0;
	bool ok = t && len == 36;
	for (int i = 0; ok && i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			ok = t[i] == '-';
			continue;
		}
		int hi = hexval(t[i]), lo = hexval(t[i + 1]);
		ok = hi >= 0 && lo >= 0;
		out[o++] = (unsigned char)(hi << 4 | lo);
		i++;
	}
	if (ok && o == 16)
		sqlite3_result_blob(ctx, out, 16, SQLITE_TRANSIENT);
	else
		sqlite3_result_value(ctx, argv[0]);
}

/* problem_kind(text): the message with every run of digits written as
 * one '#', so that "video07.mp4: cannot decode frame 1204" and
 * "video08.mp4: cannot decode frame 88" are one kind of problem. */
static void problem_kind_func(sqlite3_context *ctx, int argc,
			      sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *t = sqlite3_value_text(argv[0]);
	if (!t) {
		sqlite3_result_null(ctx);
		return;
	}
	size_t n = (size_t)sqlite3_value_bytes(argv[0]);
	char *out = sqlite3_malloc64(n + 1);
	if (!out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		bool digit = t[i] >= '0' && t[i] <= '9';
		if (!digit)
			out[o++] = (char)t[i];
		else if (i == 0 || t[i - 1] < '0' || t[i - 1] > '9')
			out[o++] = '#';
	}
	sqlite3_result_text(ctx, out, (int)o, sqlite3_free);
}

struct logmerge *logmerge_new(void)
{
	sqlite3 *db = logsrc_open_work(merge_schema);
	if (!db)
		return NULL;
	if (sqlite3_create_function(db, "uuid16", 1, SQLITE_UTF8 |
				    SQLITE_DETERMINISTIC, NULL, uuid16_func,
				    NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "problem_kind", 1, SQLITE_UTF8 |
				    SQLITE_DETERMINISTIC, NULL,
				    problem_kind_func, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, LOGSRC_PREFIX "working database: %s\n",
			sqlite3_errmsg(db));
		sqlite3_close(db);
		return NULL;
	}
	struct logmerge *m = xcalloc(1, sizeof *m);
	m->db = db;
	return m;
}

void logmerge_free(struct logmerge *m)
{
	if (!m)
		return;
	sqlite3_close(m->db);
	free(m);
}

/* Does the attached file have this table? */
static bool src_has_table(sqlite3 *db, const char *table)
{
	sqlite3_stmt *s = NULL;
	bool has = false;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM src.sqlite_master "
			       "WHERE type = 'table' AND name = ?1", -1, &s,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
		has = sqlite3_step(s) == SQLITE_ROW;
	}
	sqlite3_finalize(s);
	return has;
}

bool logmerge_add(struct logmerge *m, const char *path)
{
	if (!logsrc_attach(m->db, path, NULL))
		return false;
	/* One transaction per file: a file that fails half-way leaves the
	 * merge as it was. */
	bool ok = logsrc_exec(m->db, "SAVEPOINT merge_file", path) &&
		  logsrc_boot_offsets(m->db, path);
	int64_t rows = 0;
	for (size_t i = 0; ok && i < ARRAY_LEN(copies); i++) {
		if (!src_has_table(m->db, copies[i].table))
			continue;
		ok = logsrc_exec(m->db, copies[i].sql, path);
		if (copies[i].sql != copy_library_sql)
			rows += sqlite3_changes(m->db);
	}
	if (ok)
		ok = logsrc_exec(m->db, "RELEASE merge_file", path);
	else
		sqlite3_exec(m->db, "ROLLBACK TO merge_file; RELEASE merge_file",
			     NULL, NULL, NULL);
	logsrc_detach(m->db);
	if (ok) {
		m->files++;
		m->rows_read += rows;
	}
	return ok;
}

bool logmerge_add_all(struct logmerge *m, const char *const *paths, int n,
		      logmerge_progress_fn *progress, void *data)
{
	for (int i = 0; i < n; i++) {
		if (!logmerge_add(m, paths[i]))
			return false;
		if (progress)
			progress(data, i, n, paths[i], m->rows_read);
	}
	return true;
}

int64_t logmerge_files(const struct logmerge *m)
{
	return m->files;
}

int64_t logmerge_events(struct logmerge *m)
{
	sqlite3_stmt *s = NULL;
	int64_t n = 0;
	if (sqlite3_prepare_v2(m->db,
			       "SELECT (SELECT count(*) FROM s) +"
			       " (SELECT count(*) FROM v) +"
			       " (SELECT count(*) FROM c) +"
			       " (SELECT count(*) FROM a) +"
			       " (SELECT count(*) FROM r) +"
			       " (SELECT count(*) FROM p)", -1, &s,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

sqlite3 *logmerge_db(struct logmerge *m)
{
	return m->db;
}
