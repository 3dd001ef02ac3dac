/*
 * logsrc: the reports' working database and the kiosk log attached to it
 * as "src" (see logsrc.h).
 */
#include "report/logsrc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"
#include "store/store.h"

sqlite3 *logsrc_open_work(const char *schema)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
		fprintf(stderr, LOGSRC_PREFIX "cannot open a working database: "
			"%s\n", db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 5000);
	if (!logsrc_exec(db, schema, "working database")) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

bool logsrc_exec(sqlite3 *db, const char *sql, const char *what)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, LOGSRC_PREFIX "%s: %s\n", what,
			err ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return false;
	}
	return true;
}

/* ATTACH path, with the URI query given, as src; false with a message. */
static bool attach(sqlite3 *db, const char *path, const char *query)
{
	char *uri = store_file_uri(path, query);
	sqlite3_stmt *s = NULL;
	bool ok = sqlite3_prepare_v2(db, "ATTACH DATABASE ?1 AS src", -1, &s,
				     NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_bind_text(s, 1, uri, -1, SQLITE_STATIC);
		ok = sqlite3_step(s) == SQLITE_DONE;
	}
	if (!ok)
		fprintf(stderr, LOGSRC_PREFIX "%s: cannot open: %s\n", path,
			sqlite3_errmsg(db));
	sqlite3_finalize(s);
	free(uri);
	return ok;
}

void logsrc_detach(sqlite3 *db)
{
	sqlite3_exec(db, "DETACH DATABASE src", NULL, NULL, NULL);
}

/* First column of a one-row query on the attached file, as an integer.
 * Returns the SQLite result code (SQLITE_OK when read). */
static int query_int(sqlite3 *db, const char *sql, int64_t *out)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			rc = SQLITE_OK;
			*out = sqlite3_column_int64(s, 0);
		}
	}
	sqlite3_finalize(s);
	return rc;
}

/* Check that the attached file is a kiosk log and, when has_quiz is not
 * NULL, whether it has the quiz tables. Returns the SQLite result code of
 * the first failing step; *msg is set to a static description when the
 * file is readable but not a log. */
static int check_log(sqlite3 *db, const char **msg, bool *has_quiz)
{
	*msg = NULL;
	if (has_quiz)
		*has_quiz = false;
	/* "PRAGMA src.user_version": the table-valued form
	 * src.pragma_user_version would read main's, not src's. */
	int64_t version = 0, views = 0, quiz = 0;
	int rc = query_int(db, "PRAGMA src.user_version", &version);
	if (rc == SQLITE_OK)
		rc = query_int(db, "SELECT count(*) FROM src.sqlite_master"
			       " WHERE type = 'table' AND name = 'views'",
			       &views);
	if (rc == SQLITE_OK && has_quiz)
		rc = query_int(db, "SELECT count(*) FROM src.sqlite_master"
			       " WHERE type = 'table' AND name IN ('contests',"
			       " 'quiz_attempts', 'quiz_answers')", &quiz);
	if (rc == SQLITE_OK && (version < 1 || views != 1))
		*msg = "not a kiosk log (no log schema)";
	if (has_quiz)
		*has_quiz = quiz == 3;
	return rc;
}

/* Attach path read-only and check it. On a read-only medium a WAL file
 * without its -shm cannot be opened normally; when there is no -wal
 * content to miss, retry as immutable. */
static bool attach_log(sqlite3 *db, const char *path, bool *has_quiz)
{
	if (!attach(db, path, "mode=ro"))
		return false;
	const char *msg;
	int rc = check_log(db, &msg, has_quiz);
	int base = rc & 0xff;
	if (base == SQLITE_CANTOPEN || base == SQLITE_READONLY) {
		char *wal = xasprintf("%s-wal", path);
		size_t wal_len = 0;
		char *wal_data = file_exists(wal) ? file_read_all(wal, &wal_len)
						  : NULL;
		free(wal_data);
		free(wal);
		if (wal_len == 0) {
			logsrc_detach(db);
			if (!attach(db, path, "mode=ro&immutable=1"))
				return false;
			rc = check_log(db, &msg, has_quiz);
		}
	}
	if (rc != SQLITE_OK) {
		fprintf(stderr, LOGSRC_PREFIX "%s: cannot read: %s\n", path,
			sqlite3_errmsg(db));
		logsrc_detach(db);
		return false;
	}
	if (msg) {
		fprintf(stderr, LOGSRC_PREFIX "%s: %s\n", path, msg);
		logsrc_detach(db);
		return false;
	}
	return true;
}

bool logsrc_attach(sqlite3 *db, const char *path, bool *has_quiz)
{
	if (dir_exists(path)) {
		fprintf(stderr, LOGSRC_PREFIX "%s: is a directory, not a log "
			"file\n", path);
		return false;
	}
	if (!file_exists(path)) {
		fprintf(stderr, LOGSRC_PREFIX "%s: no such file\n", path);
		return false;
	}
	return attach_log(db, path, has_quiz);
}

/* The tables of events and their time columns, for the offsets. */
static const struct {
	const char *table, *wall, *boot_ms;
} timed_tables[] = {
	{ "sessions", "started_wall_ms", "started_boot_ms" },
	{ "views", "started_wall_ms", "started_boot_ms" },
	{ "lang_switches", "wall_ms", "boot_ms" },
	{ "contests", "started_wall_ms", "started_boot_ms" },
	{ "quiz_attempts", "started_wall_ms", "started_boot_ms" },
	{ "quiz_answers", "wall_ms", "boot_ms" },
	{ "runs", "started_wall_ms", "started_boot_ms" },
	{ "problems", "wall_ms", "boot_ms" },
};

bool logsrc_boot_offsets(sqlite3 *db, const char *path)
{
	/* Only the tables this file's schema has. */
	char *rows = xstrdup("");
	for (size_t i = 0; i < ARRAY_LEN(timed_tables); i++) {
		int64_t has = 0;
		char *q = xasprintf("SELECT count(*) FROM src.sqlite_master "
				    "WHERE type = 'table' AND name = '%s'",
				    timed_tables[i].table);
		int rc = query_int(db, q, &has);
		free(q);
		if (rc != SQLITE_OK || !has)
			continue;
		char *more = xasprintf("%s%sSELECT boot, %s AS wall_ms, %s AS "
				       "boot_ms, clock FROM src.%s WHERE "
				       "clock > 0", rows, *rows ? " UNION ALL "
				       : "", timed_tables[i].wall,
				       timed_tables[i].boot_ms,
				       timed_tables[i].table);
		free(rows);
		rows = more;
	}
	char *sql = xasprintf(
		"DELETE FROM off;"
		"INSERT INTO off(boot, offset_ms, clock) "
		"SELECT boot, wall_ms - boot_ms, clock FROM ("
		"  SELECT boot, wall_ms, boot_ms, clock, row_number() OVER ("
		"    PARTITION BY boot ORDER BY clock DESC, boot_ms DESC) AS rn"
		"  FROM (%s)) WHERE rn = 1",
		*rows ? rows : "SELECT 0 AS boot, 0 AS wall_ms, 0 AS boot_ms,"
			       " 0 AS clock WHERE false");
	bool ok = logsrc_exec(db, sql, path);
	free(sql);
	free(rows);
	return ok;
}
