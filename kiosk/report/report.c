/*
 * report: figures from one or more kiosk logs (see report.h).
 *
 * Every log is attached read-only, in turn, to an in-memory database; its
 * views are copied into one table keyed by event uuid, so a view found in
 * several files (two exports of the same kiosk, or the same file named
 * twice) is counted once. Figures are then read from that table.
 *
 * Dating rows. A view logged before the clock was set (clock UNSET), or
 * with a clock nobody confirmed while a better one was known later in the
 * same boot, is placed by the offset between wall time and boot time of the
 * most trusted (then latest) row of that boot in the same file: the boot
 * clock is monotonic, so start = started_boot_ms + (wall_ms - boot_ms) of
 * that row. Views logged with the clock unset that cannot be placed keep
 * their raw wall time; the report says how many there were on stderr.
 *
 * The period compares the local date (TZ) of each view's start.
 *
 * CSV (written by csvout): RFC 4180 (CRLF line ends, cells with a comma,
 * quote or line break quoted, quotes doubled), UTF-8 (invalid bytes become
 * U+FFFD), no byte order mark. A text cell that begins with = + - @ tab or
 * CR gets a leading apostrophe so that a spreadsheet shows it instead of
 * running it as a formula. Seconds have one decimal; share_of_views is a
 * fraction of the period's views (0.1750 = 17.5 %), four decimals.
 */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "report/csvout.h"
#include "report/logsrc.h"

#define REPORT_PREFIX "kiosk report: "

/* Schema of the merged table and the per-file boot offsets. */
static const char report_schema[] =
	"CREATE TABLE v ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  item_id TEXT,"
	"  lang TEXT,"
	"  start_ms INTEGER NOT NULL,"
	"  seconds REAL NOT NULL,"
	"  completed INTEGER NOT NULL,"
	"  undated INTEGER NOT NULL"        /* clock unset and not placed */
	");"
	"CREATE TABLE off ("
	"  boot INTEGER PRIMARY KEY,"
	"  offset_ms INTEGER NOT NULL,"     /* wall_ms - boot_ms */
	"  clock INTEGER NOT NULL"          /* trust of that reading */
	");";

/* For each boot in the attached file, the wall-minus-boot offset of its
 * most trusted, then latest, row with a set clock. */
static const char report_offsets_sql[] =
	"INSERT INTO off(boot, offset_ms, clock) "
	"SELECT boot, wall_ms - boot_ms, clock FROM ("
	"  SELECT boot, wall_ms, boot_ms, clock, row_number() OVER ("
	"    PARTITION BY boot ORDER BY clock DESC, boot_ms DESC) AS rn"
	"  FROM ("
	"    SELECT boot, started_wall_ms AS wall_ms,"
	"           started_boot_ms AS boot_ms, clock"
	"      FROM src.sessions WHERE clock > 0"
	"    UNION ALL SELECT boot, started_wall_ms, started_boot_ms, clock"
	"      FROM src.views WHERE clock > 0"
	"    UNION ALL SELECT boot, wall_ms, boot_ms, clock"
	"      FROM src.lang_switches WHERE clock > 0))"
	" WHERE rn = 1";

/* Copy the attached file's views, placing the ones whose clock is worse
 * than the best one of their boot (and at most UNCONFIRMED). */
static const char report_copy_sql[] =
	"INSERT INTO v(uuid, item_id, lang, start_ms, seconds, completed, "
	"              undated) "
	"SELECT x.uuid, x.item_id, x.lang,"
	"  CASE WHEN x.clock <= 1 AND o.clock > x.clock"
	"       THEN x.started_boot_ms + o.offset_ms"
	"       ELSE x.started_wall_ms END,"
	"  coalesce(x.seconds, 0), coalesce(x.completed, 0),"
	"  x.clock = 0 AND o.boot IS NULL "
	"FROM src.views x LEFT JOIN off o ON o.boot = x.boot "
	"WHERE true "
	"ON CONFLICT(uuid) DO UPDATE SET"
	"  seconds = max(seconds, excluded.seconds),"
	"  completed = max(completed, excluded.completed)";

/* The period filter, shared by the two queries below: ?1 and ?2 are day
 * numbers. */
#define REPORT_IN_PERIOD \
	" date(start_ms / 1000, 'unixepoch', 'localtime')" \
	" BETWEEN date(?1 * 86400, 'unixepoch') AND date(?2 * 86400, 'unixepoch')"

static const char report_items_sql[] =
	"SELECT item_id, lang, count(*), total(seconds), total(completed) "
	"FROM v WHERE" REPORT_IN_PERIOD
	" GROUP BY item_id, lang ORDER BY item_id, lang";

static const char report_langs_sql[] =
	"SELECT lang, count(*), total(seconds) "
	"FROM v WHERE" REPORT_IN_PERIOD
	" GROUP BY lang ORDER BY count(*) DESC, lang";

static bool merge_file(sqlite3 *db, const char *path)
{
	if (!logsrc_attach(db, path, NULL))
		return false;
	bool ok = logsrc_exec(db, "DELETE FROM off", path) &&
		  logsrc_exec(db, report_offsets_sql, path) &&
		  logsrc_exec(db, report_copy_sql, path);
	logsrc_detach(db);
	return ok;
}

/* ------------------------------------------------------------------------
 * CSV (cells written by csvout)
 * ------------------------------------------------------------------------ */

static bool bind_period(sqlite3_stmt *s, const struct report_period *p)
{
	return sqlite3_bind_int64(s, 1, p->from_day) == SQLITE_OK &&
	       sqlite3_bind_int64(s, 2, p->to_day) == SQLITE_OK;
}

static bool write_items(sqlite3 *db, const struct report_period *period,
			FILE *out, int64_t *total_views)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, report_items_sql, -1, &s, NULL) != SQLITE_OK ||
	    !bind_period(s, period)) {
		fprintf(stderr, REPORT_PREFIX "%s\n", sqlite3_errmsg(db));
		sqlite3_finalize(s);
		return false;
	}
	fputs("item,language,views,seconds,completed\r\n", out);
	*total_views = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		csvout_text(out, (const char *)sqlite3_column_text(s, 0));
		fputc(',', out);
		csvout_text(out, (const char *)sqlite3_column_text(s, 1));
		int64_t views = sqlite3_column_int64(s, 2);
		*total_views += views;
		fprintf(out, ",%lld,", (long long)views);
		csvout_seconds(out, sqlite3_column_double(s, 3));
		fprintf(out, ",%lld\r\n", (long long)sqlite3_column_int64(s, 4));
	}
	if (rc != SQLITE_DONE)
		fprintf(stderr, REPORT_PREFIX "%s\n", sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return rc == SQLITE_DONE;
}

static bool write_langs(sqlite3 *db, const struct report_period *period,
			FILE *out, int64_t total_views)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, report_langs_sql, -1, &s, NULL) != SQLITE_OK ||
	    !bind_period(s, period)) {
		fprintf(stderr, REPORT_PREFIX "%s\n", sqlite3_errmsg(db));
		sqlite3_finalize(s);
		return false;
	}
	fputs("\r\nlanguage,views,seconds,share_of_views\r\n", out);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		csvout_text(out, (const char *)sqlite3_column_text(s, 0));
		int64_t views = sqlite3_column_int64(s, 1);
		fprintf(out, ",%lld,", (long long)views);
		csvout_seconds(out, sqlite3_column_double(s, 2));
		csvout_sep(out);
		csvout_fraction(out, views, total_views);
		csvout_eol(out);
	}
	if (rc != SQLITE_DONE)
		fprintf(stderr, REPORT_PREFIX "%s\n", sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return rc == SQLITE_DONE;
}

/* Say on stderr how many views could not be dated. */
static void note_undated(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM v WHERE undated", -1,
			       &s, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) > 0)
		fprintf(stderr, REPORT_PREFIX "note: %lld views were logged "
			"before the clock was set, with no later time in the "
			"same boot to date them; they are counted on the date "
			"the unset clock showed\n",
			(long long)sqlite3_column_int64(s, 0));
	sqlite3_finalize(s);
}

bool report_views_csv(const char *const *paths, int n,
		      const struct report_period *period, FILE *out)
{
	sqlite3 *db = logsrc_open_work(report_schema);
	if (!db)
		return false;
	bool ok = true;
	for (int i = 0; ok && i < n; i++)
		ok = merge_file(db, paths[i]);
	int64_t total = 0;
	if (ok)
		ok = write_items(db, period, out, &total) &&
		     write_langs(db, period, out, total);
	if (ok)
		note_undated(db);
	if (ok && (fflush(out) != 0 || ferror(out))) {
		fprintf(stderr, REPORT_PREFIX "cannot write the CSV output\n");
		ok = false;
	}
	sqlite3_close(db);
	return ok;
}
