/*
 * report: figures from one or more kiosk logs (see report.h).
 *
 * The logs are merged by logmerge (each view once, however many files
 * hold it; rows logged before the clock was set placed by their boot);
 * the figures are read from its view table.
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

#include "base/util.h"
#include "report/csvout.h"
#include "report/logmerge.h"

#define REPORT_PREFIX "kiosk report: "

/* The period filter, shared by the two queries below: ?1 and ?2 are day
 * numbers. */
#define REPORT_IN_PERIOD " day BETWEEN ?1 AND ?2 AND (?3 OR NOT undated)"

static const char report_items_sql[] =
	"SELECT item, lang, count(*), total(seconds), total(completed) "
	"FROM v WHERE" REPORT_IN_PERIOD
	" GROUP BY item, lang ORDER BY item, lang";

static const char report_langs_sql[] =
	"SELECT lang, count(*), total(seconds) "
	"FROM v WHERE" REPORT_IN_PERIOD
	" GROUP BY lang ORDER BY count(*) DESC, lang";

/* ------------------------------------------------------------------------
 * CSV (cells written by csvout)
 * ------------------------------------------------------------------------ */

static bool bind_period(sqlite3_stmt *s, const struct report_period *p)
{
	/* a view that cannot be dated counts over all dates only */
	int64_t last = 0;
	date_parse_days("9999-12-31", &last);
	bool all = p->from_day <= 0 && p->to_day >= last;
	return sqlite3_bind_int64(s, 1, p->from_day) == SQLITE_OK &&
	       sqlite3_bind_int64(s, 2, p->to_day) == SQLITE_OK &&
	       sqlite3_bind_int(s, 3, all) == SQLITE_OK;
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
			"same boot to date them; they count over all dates only, "
			"in no shorter period\n",
			(long long)sqlite3_column_int64(s, 0));
	sqlite3_finalize(s);
}

bool report_views_csv(const char *const *paths, int n,
		      const struct report_period *period, FILE *out)
{
	struct logmerge *m = logmerge_new();
	if (!m)
		return false;
	sqlite3 *db = logmerge_db(m);
	bool ok = logmerge_add_all(m, paths, n, NULL, NULL);
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
	logmerge_free(m);
	return ok;
}
