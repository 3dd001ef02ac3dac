/*
 * report_quiz: class rankings and per-question analysis of quizzes (see
 * report_quiz.h).
 *
 * Merging. Every log is attached read-only, in turn, to an in-memory
 * database; its contests, quiz attempts and answers are copied into
 * tables keyed by event uuid, so a row found in several files counts once.
 * When two copies of an attempt differ (an export taken during the turn,
 * a later one after it), the copy with the later end wins. Rows of a
 * contest the teacher cleared from the kiosk's screens stay in reports.
 * A ranking alone (the kiosk's screens) copies only the contest attempts
 * and the answers of attempts not ended, and with f->contest set only that
 * contest's rows, so reading it back from a long log stays quick.
 *
 * Dating rows. As in report.c: a row logged with the clock unset, or
 * unconfirmed while a better reading of the clock was logged in the same
 * boot, is placed by the offset between wall time and boot time of the
 * most trusted (then latest) row of that boot in the same file (any table,
 * quiz tables included). The period compares local dates (TZ): a contest
 * and every attempt and answer in it by the contest's start, a solo
 * attempt's answers by the attempt's start.
 *
 * quiz-ranking.csv, one row per contest attempt in the order of
 * report_quiz_ranking:
 *   class, date (the contest's start, local, YYYY-MM-DD), site, rank,
 *   player, score, questions, answered, seconds (one decimal),
 *   completed (1 = every question answered, 0 = not; a number, so that a
 *   spreadsheet can sum it whatever its language).
 * quiz-questions.csv, one row per question id, hardest first (share
 * correct ascending, then id):
 *   question_id, question (the text shown in Vietnamese when any answer was
 *   given in Vietnamese, else in another language; the latest such text),
 *   answers, correct, share_correct (a fraction, four decimals: 0.6250),
 *   timed_out, average seconds from showing the question to the answer or
 *   the time-out (one decimal), the most chosen wrong answer as its text
 *   (in Vietnamese when an answer in Vietnamese chose it) and how many
 *   times it was chosen; ties go to the smaller choice number ("1,3"
 *   before "2"); both empty when no wrong choice was made.
 * Both files: UTF-8 with a byte order mark (Excel reads diacritics only
 * then), RFC 4180 with CRLF line ends, a header row in the report's
 * language, text cells that a spreadsheet would run as a formula
 * neutralised with a leading apostrophe (see csvout.h), numbers with a
 * decimal point.
 *
 * quiz-report.html: one self-contained UTF-8 page (inline CSS and SVG, no
 * scripts, no references to anything outside the file) that reads on a
 * screen and prints on A4: title and period, one ranking table per
 * contest, then the per-question table with a bar for the share correct.
 * Every text from a log is HTML-escaped.
 *
 * Labels are in this file rather than in locales/: the report is printed
 * by the operator, not shown to visitors, and comes in two languages.
 */
#include "report/report_quiz.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/util.h"
#include "report/csvout.h"
#include "report/htmlout.h"
#include "report/logsrc.h"
#include "report/outfile.h"

#define RQ_PREFIX "kiosk report: "

/* ------------------------------------------------------------------------
 * The working database
 * ------------------------------------------------------------------------ */

/* trust: the clock trust of the time kept (the offset's when placed). */
static const char rq_schema[] =
	"CREATE TABLE c ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  class_name TEXT,"
	"  site TEXT,"
	"  start_ms INTEGER NOT NULL,"
	"  trust INTEGER NOT NULL"
	");"
	"CREATE TABLE a ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  contest TEXT,"
	"  player TEXT,"
	"  site TEXT,"
	"  n_questions INTEGER NOT NULL,"
	"  start_ms INTEGER NOT NULL,"
	"  trust INTEGER NOT NULL,"
	"  ended INTEGER,"                  /* raw wall ms of the end, or NULL */
	"  score INTEGER NOT NULL,"
	"  answered INTEGER NOT NULL,"
	"  seconds REAL NOT NULL,"
	"  completed INTEGER NOT NULL"
	");"
	"CREATE INDEX a_contest ON a(contest);"
	"CREATE TABLE q ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  attempt TEXT NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  question_id TEXT NOT NULL,"
	"  question_lang TEXT,"
	"  question_text TEXT,"
	"  chosen TEXT NOT NULL,"
	"  chosen_text TEXT,"
	"  correct INTEGER NOT NULL,"
	"  timed_out INTEGER NOT NULL,"
	"  ms INTEGER NOT NULL,"
	"  wall_ms INTEGER NOT NULL,"
	"  trust INTEGER NOT NULL"
	");"
	"CREATE INDEX q_attempt ON q(attempt);"
	/* The answers in the report's filter (report_quiz_write). */
	"CREATE TABLE qsel ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  question_id TEXT NOT NULL,"
	"  question_lang TEXT,"
	"  question_text TEXT,"
	"  chosen TEXT NOT NULL,"
	"  chosen_text TEXT,"
	"  correct INTEGER NOT NULL,"
	"  timed_out INTEGER NOT NULL,"
	"  ms INTEGER NOT NULL,"
	"  wall_ms INTEGER NOT NULL"
	");"
	LOGSRC_OFF_SCHEMA
	/* Every contest: the logged ones, and those only attempts name (the
	 * contest row missing from the logs given), started with their first
	 * attempt. */
	"CREATE VIEW cs AS"
	"  SELECT uuid, class_name, site, start_ms FROM c"
	"  UNION ALL"
	"  SELECT contest, NULL, min(site), min(start_ms) FROM a"
	"   WHERE contest IS NOT NULL AND contest NOT IN (SELECT uuid FROM c)"
	"   GROUP BY contest;";

/* For each boot in the attached file, the wall-minus-boot offset of its
 * most trusted, then latest, row with a set clock. */
/* On a conflict, keep the better dated copy's time (logsrc.h). */
#define RQ_KEEP_BETTER(col) \
	" " col " = iif(" LOGSRC_BETTER(col) ", excluded." col ", " col ")," \
	" trust = max(trust, excluded.trust)"

/* :contest is the contest filter (NULL: every contest). */
static const char rq_copy_contests_sql[] =
	"INSERT INTO c(uuid, class_name, site, start_ms, trust) "
	"SELECT x.uuid, x.class_name, x.site,"
	LOGSRC_PLACED("started_wall_ms", "started_boot_ms") "," LOGSRC_TRUST
	LOGSRC_JOIN_OFF("contests")
	" WHERE :contest IS NULL OR x.uuid = :contest"
	" ON CONFLICT(uuid) DO UPDATE SET" RQ_KEEP_BETTER("start_ms");

/* The copy of attempts, less its WHERE clause. */
#define RQ_COPY_ATTEMPTS \
	"INSERT INTO a(uuid, contest, player, site, n_questions, start_ms," \
	"  trust, ended, score, answered, seconds, completed) " \
	"SELECT x.uuid, x.contest_uuid, x.player, x.site, x.n_questions," \
	LOGSRC_PLACED("started_wall_ms", "started_boot_ms") "," LOGSRC_TRUST "," \
	"  x.ended_wall_ms, x.score, x.answered, x.seconds, x.completed" \
	LOGSRC_JOIN_OFF("quiz_attempts")
#define RQ_NEWER \
	" excluded.ended IS NOT NULL AND (ended IS NULL OR excluded.ended > ended)"
#define RQ_ATTEMPTS_CONFLICT \
	" ON CONFLICT(uuid) DO UPDATE SET" \
	" score = CASE WHEN" RQ_NEWER " THEN excluded.score ELSE score END," \
	" answered = CASE WHEN" RQ_NEWER \
	"   THEN excluded.answered ELSE answered END," \
	" seconds = CASE WHEN" RQ_NEWER " THEN excluded.seconds ELSE seconds END," \
	" completed = CASE WHEN" RQ_NEWER \
	"   THEN excluded.completed ELSE completed END," \
	" ended = CASE WHEN" RQ_NEWER " THEN excluded.ended ELSE ended END," \
	RQ_KEEP_BETTER("start_ms")

/* The copy of answers, less its WHERE clause. */
#define RQ_COPY_ANSWERS \
	"INSERT INTO q(uuid, attempt, position, question_id, question_lang," \
	"  question_text, chosen, chosen_text, correct, timed_out, ms," \
	"  wall_ms, trust) " \
	"SELECT x.uuid, x.attempt_uuid, x.position, x.question_id," \
	"  x.question_lang, x.question_text, x.chosen, x.chosen_text," \
	"  x.correct, x.timed_out, x.ms," \
	LOGSRC_PLACED("wall_ms", "boot_ms") "," LOGSRC_TRUST \
	LOGSRC_JOIN_OFF("quiz_answers")
#define RQ_ANSWERS_CONFLICT \
	" ON CONFLICT(uuid) DO UPDATE SET" RQ_KEEP_BETTER("wall_ms")

/* What to copy from a file: [contest filter set][every answer needed]. */
static const char *const rq_copy_attempts_sql[2][2] = {
	{ RQ_COPY_ATTEMPTS " WHERE x.contest_uuid IS NOT NULL"
	  RQ_ATTEMPTS_CONFLICT,
	  RQ_COPY_ATTEMPTS " WHERE true" RQ_ATTEMPTS_CONFLICT },
	{ RQ_COPY_ATTEMPTS " WHERE x.contest_uuid = :contest" RQ_ATTEMPTS_CONFLICT,
	  RQ_COPY_ATTEMPTS " WHERE x.contest_uuid = :contest" RQ_ATTEMPTS_CONFLICT },
};
static const char *const rq_copy_answers_sql[2][2] = {
	{ RQ_COPY_ANSWERS " WHERE x.attempt_uuid IN (SELECT uuid FROM"
	  " src.quiz_attempts WHERE contest_uuid IS NOT NULL"
	  " AND ended_wall_ms IS NULL)" RQ_ANSWERS_CONFLICT,
	  RQ_COPY_ANSWERS " WHERE true" RQ_ANSWERS_CONFLICT },
	{ RQ_COPY_ANSWERS " WHERE x.attempt_uuid IN (SELECT uuid FROM"
	  " src.quiz_attempts WHERE contest_uuid = :contest"
	  " AND ended_wall_ms IS NULL)" RQ_ANSWERS_CONFLICT,
	  RQ_COPY_ANSWERS " WHERE x.attempt_uuid IN (SELECT uuid FROM"
	  " src.quiz_attempts WHERE contest_uuid = :contest)" RQ_ANSWERS_CONFLICT },
};

/* The local date of a time in ms, as days since 1970-01-01. */
#define RQ_DAY(ms) \
	" CAST(julianday(date((" ms ") / 1000, 'unixepoch', 'localtime'))" \
	" - 2440587.5 AS INTEGER)"

/* Every contest attempt in the filter (:from, :to days, :contest) with at
 * least one answer logged (a name typed by mistake, or a student who left
 * before the first answer, is not ranked). An attempt not ended is
 * counted from its answers (see report_quiz.h). */
static const char rq_ranking_sql[] =
	"SELECT a.contest, cs.class_name, cs.site, cs.start_ms, a.player,"
	"  CASE WHEN a.ended IS NULL THEN (SELECT count(DISTINCT position)"
	"    FROM q WHERE q.attempt = a.uuid AND q.correct <> 0)"
	"    ELSE a.score END,"
	"  a.n_questions,"
	"  CASE WHEN a.ended IS NULL THEN (SELECT count(DISTINCT position)"
	"    FROM q WHERE q.attempt = a.uuid AND q.timed_out = 0)"
	"    ELSE a.answered END,"
	"  CASE WHEN a.ended IS NULL THEN (SELECT total(ms) / 1000.0"
	"    FROM q WHERE q.attempt = a.uuid)"
	"    ELSE a.seconds END,"
	"  a.ended IS NOT NULL AND a.completed <> 0,"
	"  a.uuid "
	"FROM a JOIN cs ON cs.uuid = a.contest "
	"WHERE (:contest IS NULL OR a.contest = :contest)"
	"  AND CASE WHEN a.ended IS NULL"
	"    THEN EXISTS (SELECT 1 FROM q WHERE q.attempt = a.uuid)"
	"    ELSE a.answered > 0 END"
	"  AND" RQ_DAY("cs.start_ms") " BETWEEN :from AND :to";

/* The answers in the filter, for the per-question analysis. */
static const char rq_select_answers_sql[] =
	"INSERT INTO qsel(uuid, question_id, question_lang, question_text,"
	"  chosen, chosen_text, correct, timed_out, ms, wall_ms) "
	"SELECT q.uuid, q.question_id, q.question_lang, q.question_text,"
	"  q.chosen, q.chosen_text, q.correct, q.timed_out, q.ms, q.wall_ms"
	" FROM q LEFT JOIN a ON a.uuid = q.attempt"
	" LEFT JOIN cs ON cs.uuid = a.contest"
	" WHERE (:contest IS NULL OR a.contest = :contest)"
	"  AND" RQ_DAY("coalesce(cs.start_ms, a.start_ms, q.wall_ms)")
	"  BETWEEN :from AND :to";

static const char rq_question_stats_sql[] =
	"SELECT question_id, count(*), sum(correct <> 0),"
	"  sum(timed_out <> 0), total(ms)"
	" FROM qsel GROUP BY question_id ORDER BY question_id";

/* The text of each question: Vietnamese first, then the latest. */
static const char rq_question_text_sql[] =
	"SELECT question_id, question_text FROM ("
	"  SELECT question_id, question_text, row_number() OVER ("
	"    PARTITION BY question_id ORDER BY"
	"    coalesce(question_lang = 'vi', 0) DESC, wall_ms DESC, uuid DESC)"
	"    AS rn"
	"  FROM qsel WHERE question_text IS NOT NULL)"
	" WHERE rn = 1";

/* Each wrong choice of each question, how often it was made, and its
 * text (Vietnamese first, then any text, then the latest). */
static const char rq_wrong_choices_sql[] =
	"SELECT question_id, chosen, n, chosen_text FROM ("
	"  SELECT question_id, chosen, chosen_text,"
	"    count(*) OVER (PARTITION BY question_id, chosen) AS n,"
	"    row_number() OVER (PARTITION BY question_id, chosen ORDER BY"
	"      chosen_text IS NULL, coalesce(question_lang = 'vi', 0) DESC,"
	"      wall_ms DESC, uuid DESC) AS rn"
	"  FROM qsel WHERE correct = 0 AND chosen <> '')"
	" WHERE rn = 1";

/* Prepare sql with the filter bound to the named parameters it uses:
 * :from and :to (days), :contest (a uuid or NULL). NULL with a message on
 * failure. */
static sqlite3_stmt *prepare(sqlite3 *db, const char *sql,
			     const struct report_quiz_filter *f,
			     const char *what)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, RQ_PREFIX "%s: %s\n", what, sqlite3_errmsg(db));
		sqlite3_finalize(s);
		return NULL;
	}
	int i;
	if ((i = sqlite3_bind_parameter_index(s, ":from")))
		sqlite3_bind_int64(s, i, f->from_day);
	if ((i = sqlite3_bind_parameter_index(s, ":to")))
		sqlite3_bind_int64(s, i, f->to_day);
	if ((i = sqlite3_bind_parameter_index(s, ":contest"))) {
		if (f->contest)
			sqlite3_bind_text(s, i, f->contest, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(s, i);
	}
	return s;
}

/* Run a statement with no result rows. */
static bool run_stmt(sqlite3 *db, const char *sql,
		     const struct report_quiz_filter *f, const char *what)
{
	sqlite3_stmt *s = prepare(db, sql, f, what);
	if (!s)
		return false;
	bool ok = sqlite3_step(s) == SQLITE_DONE;
	if (!ok)
		fprintf(stderr, RQ_PREFIX "%s: %s\n", what, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return ok;
}

/* Copy the quiz rows of one log into the working tables. all_answers:
 * every answer (the per-question analysis), else only what a ranking
 * needs. */
static bool merge_file(sqlite3 *db, const char *path,
		       const struct report_quiz_filter *f, bool all_answers)
{
	bool has_quiz;
	if (!logsrc_attach(db, path, &has_quiz))
		return false;
	int cf = f->contest != NULL, aa = all_answers;
	bool ok = !has_quiz ||
		  (logsrc_exec(db, "DELETE FROM off", path) &&
		   logsrc_boot_offsets(db, path) &&
		   run_stmt(db, rq_copy_contests_sql, f, path) &&
		   run_stmt(db, rq_copy_attempts_sql[cf][aa], f, path) &&
		   run_stmt(db, rq_copy_answers_sql[cf][aa], f, path));
	logsrc_detach(db);
	return ok;
}

/* A working database with every log merged, or NULL with a message. */
static sqlite3 *merge_logs(const char *const *paths, int n,
			   const struct report_quiz_filter *f,
			   bool all_answers, FILE *progress)
{
	sqlite3 *db = logsrc_open_work(rq_schema);
	if (!db)
		return NULL;
	bool ok = true;
	for (int i = 0; ok && i < n; i++) {
		if (progress)
			fprintf(progress, RQ_PREFIX "reading %s (%d of %d)\n",
				paths[i], i + 1, n);
		ok = merge_file(db, paths[i], f, all_answers);
	}
	if (!ok) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static char *column_dup(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	return xstrdup(t ? t : "");
}

/* ------------------------------------------------------------------------
 * Ranking
 * ------------------------------------------------------------------------ */

struct rank_row {
	struct report_quiz_rank r;
	char *uuid;                 /* the attempt's */
	long long tenths;           /* seconds in tenths, as compared */
};

static int rank_row_cmp(const void *pa, const void *pb)
{
	const struct rank_row *a = pa, *b = pb;
	if (a->r.started_ms != b->r.started_ms)
		return a->r.started_ms < b->r.started_ms ? -1 : 1;
	int c = strcmp(a->r.contest, b->r.contest);
	if (c)
		return c;
	if (a->r.score != b->r.score)
		return a->r.score > b->r.score ? -1 : 1;
	if (a->tenths != b->tenths)
		return a->tenths < b->tenths ? -1 : 1;
	c = strcmp(a->r.player, b->r.player);
	if (c)
		return c;
	return strcmp(a->uuid, b->uuid);
}

/* Seconds in tenths, as ranked and shown; nonsense (negative, NaN, more
 * than a few million years) is clamped. */
static long long seconds_tenths(double seconds)
{
	if (!(seconds > 0))
		return 0;
	return llround(seconds < 1e15 ? seconds * 10 : 1e16);
}

/* Read, sort and rank the contest attempts of a merged database. */
static bool read_ranking(sqlite3 *db, const struct report_quiz_filter *f,
			 struct report_quiz_rank **rows, size_t *n_rows)
{
	*rows = NULL;
	*n_rows = 0;
	sqlite3_stmt *s = prepare(db, rq_ranking_sql, f, "ranking");
	if (!s)
		return false;
	struct rank_row *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			v = xrealloc(v, cap * sizeof *v);
		}
		struct rank_row *x = &v[n++];
		memset(x, 0, sizeof *x);
		x->r.contest = column_dup(s, 0);
		x->r.class_name = column_dup(s, 1);
		x->r.site = column_dup(s, 2);
		x->r.started_ms = sqlite3_column_int64(s, 3);
		x->r.player = column_dup(s, 4);
		x->r.score = sqlite3_column_int(s, 5);
		x->r.n_questions = sqlite3_column_int(s, 6);
		x->r.answered = sqlite3_column_int(s, 7);
		x->r.seconds = sqlite3_column_double(s, 8);
		if (!(x->r.seconds > 0) || !isfinite(x->r.seconds))
			x->r.seconds = 0;
		x->r.completed = sqlite3_column_int(s, 9) != 0;
		x->uuid = column_dup(s, 10);
		x->tenths = seconds_tenths(x->r.seconds);
	}
	if (rc != SQLITE_DONE)
		fprintf(stderr, RQ_PREFIX "ranking: %s\n", sqlite3_errmsg(db));
	sqlite3_finalize(s);

	if (n)
		qsort(v, n, sizeof *v, rank_row_cmp);
	/* Competition ranking: a row tied with the one before shares its
	 * rank, any other row's rank is its place in the contest. */
	struct report_quiz_rank *out = n ? xcalloc(n, sizeof *out) : NULL;
	size_t first = 0;               /* the current contest's first row */
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || strcmp(v[i].r.contest, v[i - 1].r.contest) != 0)
			first = i;
		if (i > first && v[i].r.score == v[i - 1].r.score &&
		    v[i].tenths == v[i - 1].tenths)
			v[i].r.rank = v[i - 1].r.rank;
		else
			v[i].r.rank = (int)(i - first) + 1;
		out[i] = v[i].r;
		free(v[i].uuid);
	}
	free(v);
	if (rc != SQLITE_DONE) {
		report_quiz_ranks_free(out, n);
		return false;
	}
	*rows = out;
	*n_rows = n;
	return true;
}

void report_quiz_ranks_free(struct report_quiz_rank *rows, size_t n)
{
	if (!rows)
		return;
	for (size_t i = 0; i < n; i++) {
		free(rows[i].contest);
		free(rows[i].class_name);
		free(rows[i].site);
		free(rows[i].player);
	}
	free(rows);
}

static const struct report_quiz_filter rq_no_filter = {
	.contest = NULL, .from_day = INT64_MIN, .to_day = INT64_MAX,
};

bool report_quiz_ranking(const char *const *paths, int n,
			 const struct report_quiz_filter *f,
			 struct report_quiz_rank **rows, size_t *n_rows)
{
	*rows = NULL;
	*n_rows = 0;
	if (!f)
		f = &rq_no_filter;
	sqlite3 *db = merge_logs(paths, n, f, false, NULL);
	if (!db)
		return false;
	bool ok = read_ranking(db, f, rows, n_rows);
	sqlite3_close(db);
	return ok;
}

/* ------------------------------------------------------------------------
 * Per-question analysis
 * ------------------------------------------------------------------------ */

struct question {
	char *id;
	char *text;                 /* NULL: no answer logged a text */
	int64_t answers, correct, timed_out;
	double ms_total;
	char *wrong_chosen;         /* most chosen wrong choice, or NULL */
	char *wrong_text;           /* its text (NULL: none logged) */
	int64_t wrong_count;
};

static void questions_free(struct question *q, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(q[i].id);
		free(q[i].text);
		free(q[i].wrong_chosen);
		free(q[i].wrong_text);
	}
	free(q);
}

/* Compare two choice lists ("2", "1,3") by their numbers in order, so
 * "1,3" < "2" < "10"; anything not a list of numbers compares as bytes. */
static int choice_cmp(const char *a, const char *b)
{
	const char *a0 = a, *b0 = b;
	while (*a && *b) {
		char *ea, *eb;
		long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
		if (ea == a || eb == b || (*ea && *ea != ',') ||
		    (*eb && *eb != ','))
			return strcmp(a0, b0);
		if (x != y)
			return x < y ? -1 : 1;
		a = *ea ? ea + 1 : ea;
		b = *eb ? eb + 1 : eb;
	}
	if (*a || *b)
		return *a ? 1 : -1;
	return strcmp(a0, b0);
}

static int question_id_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct question *)elem)->id);
}

/* Hardest first: share correct ascending (compared exactly), then id. */
static int question_cmp(const void *pa, const void *pb)
{
	const struct question *a = pa, *b = pb;
	/* correct/answers < correct'/answers', answers > 0 on both sides;
	 * counts stay far below 2^31, so the products fit. */
	int64_t l = a->correct * b->answers, r = b->correct * a->answers;
	if (l != r)
		return l < r ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* The questions answered in the filter, hardest first. */
static bool read_questions(sqlite3 *db, const struct report_quiz_filter *f,
			   struct question **out, size_t *n_out)
{
	*out = NULL;
	*n_out = 0;
	if (!logsrc_exec(db, "DELETE FROM qsel", "questions") ||
	    !run_stmt(db, rq_select_answers_sql, f, "questions"))
		return false;

	struct question *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s = prepare(db, rq_question_stats_sql, f, "questions");
	if (!s)
		return false;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			v = xrealloc(v, cap * sizeof *v);
		}
		struct question *q = &v[n++];
		memset(q, 0, sizeof *q);
		q->id = column_dup(s, 0);
		q->answers = sqlite3_column_int64(s, 1);
		q->correct = sqlite3_column_int64(s, 2);
		q->timed_out = sqlite3_column_int64(s, 3);
		q->ms_total = sqlite3_column_double(s, 4);
	}
	sqlite3_finalize(s);
	s = NULL;

	/* Texts. v is sorted by id (BINARY collation = strcmp). */
	if (rc == SQLITE_DONE &&
	    (s = prepare(db, rq_question_text_sql, f, "questions"))) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			struct question *q = n ? bsearch(
				sqlite3_column_text(s, 0), v, n, sizeof *v,
				question_id_cmp) : NULL;
			if (q && !q->text)
				q->text = column_dup(s, 1);
		}
		sqlite3_finalize(s);
		s = NULL;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_ERROR;
	}

	/* The most chosen wrong answer of each question. */
	if (rc == SQLITE_DONE &&
	    (s = prepare(db, rq_wrong_choices_sql, f, "questions"))) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			struct question *q = n ? bsearch(
				sqlite3_column_text(s, 0), v, n, sizeof *v,
				question_id_cmp) : NULL;
			const char *chosen = (const char *)sqlite3_column_text(s, 1);
			int64_t count = sqlite3_column_int64(s, 2);
			const char *text = (const char *)sqlite3_column_text(s, 3);
			if (!q || !chosen)
				continue;
			if (q->wrong_chosen && (count < q->wrong_count ||
			    (count == q->wrong_count &&
			     choice_cmp(chosen, q->wrong_chosen) >= 0)))
				continue;
			free(q->wrong_chosen);
			free(q->wrong_text);
			q->wrong_chosen = xstrdup(chosen);
			q->wrong_text = text ? xstrdup(text) : NULL;
			q->wrong_count = count;
		}
		sqlite3_finalize(s);
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_ERROR;
	}

	if (rc != SQLITE_DONE) {
		fprintf(stderr, RQ_PREFIX "questions: %s\n", sqlite3_errmsg(db));
		questions_free(v, n);
		return false;
	}
	if (n)
		qsort(v, n, sizeof *v, question_cmp);
	*out = v;
	*n_out = n;
	return true;
}

/* ------------------------------------------------------------------------
 * Labels
 * ------------------------------------------------------------------------ */

enum { RANK_COLS = 10, QUESTION_COLS = 9 };

struct labels {
	const char *lang;                  /* the html lang attribute */
	const char *rank_head[RANK_COLS];  /* quiz-ranking.csv */
	const char *question_head[QUESTION_COLS]; /* quiz-questions.csv */
	const char *title;
	const char *period, *all_dates, *from, *to, *until, *on_day;
	const char *contest;               /* "Contest" (with a filter) */
	const char *ranking;               /* section headings */
	const char *questions, *hardest_first, *with_solo;
	const char *klass, *date, *site;   /* contest heading */
	const char *klass_words[3];        /* class names that begin with one
					    * of these are shown alone */
	const char *student, *students;    /* "1 student", "2 students" */
	const char *rank, *name, *score, *time; /* ranking table */
	const char *not_finished;
	const char *unknown_class;
	const char *question, *answers, *share, *timed_out, *avg_time,
		   *wrong;                 /* question table */
	const char *times_before, *time_after, *times_after;
	const char *no_contests, *no_answers;
	const char *seconds_unit;          /* after a number of seconds */
	char decimal;                      /* the decimal separator */
	bool dmy;                          /* dates as dd/mm/yyyy */
};

static const struct labels labels_vi = {
	.lang = "vi",
	.rank_head = { "Lớp", "Ngày", "Địa điểm", "Hạng", "Tên", "Điểm",
		       "Số câu hỏi", "Số câu đã trả lời", "Thời gian (giây)",
		       "Hoàn thành (1 = có / 0 = không)" },
	.question_head = { "Mã câu hỏi", "Câu hỏi", "Số lượt trả lời",
			   "Số lượt trả lời đúng", "Tỉ lệ trả lời đúng",
			   "Số lượt hết giờ",
			   "Thời gian trả lời trung bình (giây)",
			   "Đáp án sai được chọn nhiều nhất",
			   "Số lượt chọn đáp án sai đó" },
	.title = "Kết quả thi",
	.period = "Thời gian", .all_dates = "tất cả các ngày",
	.from = "từ ngày", .to = "đến ngày", .until = "đến ngày",
	.on_day = "ngày",
	.contest = "Cuộc thi",
	.ranking = "Xếp hạng theo lớp",
	.questions = "Phân tích từng câu hỏi",
	.hardest_first = "Câu khó nhất (tỉ lệ trả lời đúng thấp nhất) "
			 "đứng đầu.",
	.with_solo = "Tính cả lượt thi của lớp và lượt tự luyện tập.",
	.klass = "Lớp", .date = "Ngày", .site = "Địa điểm",
	.klass_words = { "Lớp", "lớp", "LỚP" },
	.student = "học sinh", .students = "học sinh",
	.rank = "Hạng", .name = "Tên", .score = "Điểm", .time = "Thời gian",
	.not_finished = "chưa làm xong",
	.unknown_class = "(không rõ lớp)",
	.question = "Câu hỏi", .answers = "Số lượt trả lời",
	.share = "Tỉ lệ trả lời đúng", .timed_out = "Hết giờ",
	.avg_time = "Thời gian trung bình",
	.wrong = "Đáp án sai được chọn nhiều nhất",
	.times_before = "", .time_after = " lượt chọn",
	.times_after = " lượt chọn",
	.no_contests = "Không có cuộc thi nào trong thời gian này.",
	.no_answers = "Không có câu trả lời nào trong thời gian này.",
	.seconds_unit = " giây",
	.decimal = ',',
	.dmy = true,
};

static const struct labels labels_en = {
	.lang = "en",
	.rank_head = { "Class", "Date", "Site", "Rank", "Name", "Score",
		       "Questions", "Answered", "Seconds",
		       "Completed (1 = yes / 0 = no)" },
	.question_head = { "Question ID", "Question", "Answers", "Correct",
			   "Share correct", "Timed out", "Average seconds",
			   "Most chosen wrong answer", "Times chosen" },
	.title = "Quiz results",
	.period = "Period", .all_dates = "all dates",
	.from = "from", .to = "to", .until = "until", .on_day = "",
	.contest = "Contest",
	.ranking = "Ranking by class",
	.questions = "Question by question",
	.hardest_first = "Hardest first (lowest share of correct answers).",
	.with_solo = "Class contests and solo practice together.",
	.klass = "Class", .date = "Date", .site = "Site",
	.klass_words = { "Class", "class", "CLASS" },
	.student = "student", .students = "students",
	.rank = "Rank", .name = "Name", .score = "Score", .time = "Time",
	.not_finished = "not finished",
	.unknown_class = "(class unknown)",
	.question = "Question", .answers = "Answers",
	.share = "Share correct", .timed_out = "Timed out",
	.avg_time = "Average time",
	.wrong = "Most chosen wrong answer",
	.times_before = "chosen ", .time_after = " time",
	.times_after = " times",
	.no_contests = "No contests in this period.",
	.no_answers = "No answers in this period.",
	.seconds_unit = " s",
	.decimal = '.',
	.dmy = false,
};

/* ------------------------------------------------------------------------
 * Dates
 * ------------------------------------------------------------------------ */

/* The local date of a wall time in ms (as SQLite's 'localtime' gives it),
 * as days since 1970-01-01; 1970-01-01 when the C library cannot convert
 * the time. */
static int64_t local_day(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return 0;
	/* The local date is the UTC date or a day beside it (POSIX lets TZ
	 * be up to 25 hours from UTC): find its number among those. */
	int64_t utc = (t >= 0 ? t : t - 86399) / 86400;
	for (int64_t day = utc - 2; day <= utc + 2; day++) {
		int y, m, d;
		date_from_days(day, &y, &m, &d);
		if (y == tm.tm_year + 1900 && m == tm.tm_mon + 1 &&
		    d == tm.tm_mday)
			return day;
	}
	return utc;
}

/* ------------------------------------------------------------------------
 * CSV files
 * ------------------------------------------------------------------------ */

/* What the writers below share. */
struct quiz_data {
	const struct labels *L;
	const struct report_quiz_filter *f;
	const struct report_quiz_rank *ranks;
	size_t n_ranks;
	const struct question *questions;
	size_t n_questions;
};

static void write_ranking_csv(FILE *out, const void *data)
{
	const struct quiz_data *qd = data;
	csvout_bom(out);
	csvout_row(out, qd->L->rank_head, RANK_COLS);
	for (size_t i = 0; i < qd->n_ranks; i++) {
		const struct report_quiz_rank *r = &qd->ranks[i];
		/* Not csvout_day, which leaves days before 1970 empty: a
		 * contest logged with the clock unset, west of UTC, may be
		 * dated 1969-12-31. */
		int y, m, d;
		date_from_days(local_day(r->started_ms), &y, &m, &d);
		csvout_text(out, r->class_name);
		csvout_sep(out);
		fprintf(out, "%04d-%02d-%02d", y, m, d);
		csvout_sep(out);
		csvout_text(out, r->site);
		csvout_sep(out);
		csvout_int(out, r->rank);
		csvout_sep(out);
		csvout_text(out, r->player);
		csvout_sep(out);
		csvout_int(out, r->score);
		csvout_sep(out);
		csvout_int(out, r->n_questions);
		csvout_sep(out);
		csvout_int(out, r->answered);
		csvout_sep(out);
		csvout_seconds(out, r->seconds);
		csvout_sep(out);
		csvout_int(out, r->completed ? 1 : 0);
		csvout_eol(out);
	}
}

static double question_avg_seconds(const struct question *q)
{
	return q->answers > 0 ? q->ms_total / (double)q->answers / 1000.0 : 0;
}

static void write_questions_csv(FILE *out, const void *data)
{
	const struct quiz_data *qd = data;
	csvout_bom(out);
	csvout_row(out, qd->L->question_head, QUESTION_COLS);
	for (size_t i = 0; i < qd->n_questions; i++) {
		const struct question *q = &qd->questions[i];
		csvout_text(out, q->id);
		csvout_sep(out);
		csvout_text(out, q->text);
		csvout_sep(out);
		csvout_int(out, q->answers);
		csvout_sep(out);
		csvout_int(out, q->correct);
		csvout_sep(out);
		csvout_fraction(out, q->correct, q->answers);
		csvout_sep(out);
		csvout_int(out, q->timed_out);
		csvout_sep(out);
		csvout_seconds(out, question_avg_seconds(q));
		csvout_sep(out);
		if (q->wrong_chosen) {
			csvout_text(out, q->wrong_text ? q->wrong_text
						       : q->wrong_chosen);
			csvout_sep(out);
			csvout_int(out, q->wrong_count);
		} else {
			csvout_sep(out);
		}
		csvout_eol(out);
	}
}

/* ------------------------------------------------------------------------
 * HTML
 * ------------------------------------------------------------------------ */

/* tenths / 10 with one decimal in the report's style ("83,4"). */
static void html_tenths(FILE *out, long long tenths, const struct labels *L)
{
	fprintf(out, "%lld%c%lld", tenths / 10, L->decimal, tenths % 10);
}

static void html_seconds(FILE *out, double seconds, const struct labels *L)
{
	html_tenths(out, seconds_tenths(seconds), L);
	fputs(L->seconds_unit, out);
}

/* The period line (htmlout_period), then the contest when one was
 * chosen. */
static void html_period(FILE *out, const struct report_quiz_filter *f,
			const struct labels *L)
{
	htmlout_period(out, f->from_day, f->to_day, L->dmy,
		       &(struct htmlout_period_words){ L->period,
			L->all_dates, L->on_day, L->from, L->until, L->to });
	if (f->contest) {
		fprintf(out, "<p class=\"period\">%s: ", L->contest);
		htmlout_text(out, f->contest);
		fputs("</p>\n", out);
	}
}

/* The quiz page's rules, after htmlout_style. */
static const char quiz_style[] =
	".label { font-weight: normal; color: #555; }\n"
	"tr.top td { font-weight: 600; }\n"
	".qtext { white-space: pre-line; }\n"
	".bar { display: block; margin-bottom: 0.15em; }\n"
	".share { white-space: nowrap; }\n";

/* Whether s begins with one of the words[0..3), followed by a space or
 * nothing ("Lớp 8A" is not shown as "Lớp Lớp 8A"). */
static bool starts_with_word(const char *s, const char *const words[3])
{
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);
		if (strncmp(s, words[i], n) == 0 && (s[n] == ' ' || !s[n]))
			return true;
	}
	return false;
}

static void html_ranking(FILE *out, const struct quiz_data *qd)
{
	const struct labels *L = qd->L;
	fprintf(out, "<section>\n<h2>%s</h2>\n", L->ranking);
	if (!qd->n_ranks)
		fprintf(out, "<p class=\"note\">%s</p>\n", L->no_contests);
	size_t i = 0;
	while (i < qd->n_ranks) {
		const struct report_quiz_rank *c = &qd->ranks[i];
		size_t end = i + 1;
		while (end < qd->n_ranks &&
		       strcmp(qd->ranks[end].contest, c->contest) == 0)
			end++;
		fputs("<section class=\"contest\">\n<h3>", out);
		if (!*c->class_name) {
			fputs(L->unknown_class, out);
		} else {
			if (!starts_with_word(c->class_name, L->klass_words))
				fprintf(out, "<span class=\"label\">%s</span> ",
					L->klass);
			htmlout_text(out, c->class_name);
		}
		fprintf(out, "</h3>\n<p class=\"meta\">%s: ", L->date);
		htmlout_day(out, local_day(c->started_ms), L->dmy);
		if (*c->site) {
			fprintf(out, " · %s: ", L->site);
			htmlout_text(out, c->site);
		}
		fprintf(out, " · %zu %s</p>\n", end - i,
			end - i == 1 ? L->student : L->students);
		fprintf(out, "<table>\n<thead><tr><th class=\"num\">%s</th>"
			"<th>%s</th><th class=\"num\">%s</th>"
			"<th class=\"num\">%s</th></tr></thead>\n<tbody>\n",
			L->rank, L->name, L->score, L->time);
		for (; i < end; i++) {
			const struct report_quiz_rank *r = &qd->ranks[i];
			fprintf(out, "<tr%s><td class=\"num\">%d</td><td>",
				r->rank <= 3 ? " class=\"top\"" : "", r->rank);
			htmlout_text(out, r->player);
			if (!r->completed)
				fprintf(out, " <span class=\"muted\">(%s)</span>",
					L->not_finished);
			fprintf(out, "</td><td class=\"num\">%d/%d</td>"
				"<td class=\"num\">", r->score, r->n_questions);
			html_seconds(out, r->seconds, L);
			fputs("</td></tr>\n", out);
		}
		fputs("</tbody>\n</table>\n</section>\n", out);
	}
	fputs("</section>\n", out);
}

/* A horizontal bar for a share in per mille (0..1000). */
static void html_bar(FILE *out, int64_t permille)
{
	fprintf(out, "<svg class=\"bar\" width=\"120\" height=\"12\" "
		"viewBox=\"0 0 1000 100\" preserveAspectRatio=\"none\" "
		"aria-hidden=\"true\"><rect width=\"1000\" height=\"100\" "
		"fill=\"#e3e3e3\"/><rect width=\"%lld\" height=\"100\" "
		"fill=\"%s\"/></svg>", (long long)permille,
		permille < 400 ? "#c0392b" : permille < 700 ? "#d68910"
							    : "#1e8449");
}

static void html_questions(FILE *out, const struct quiz_data *qd)
{
	const struct labels *L = qd->L;
	fprintf(out, "<section>\n<h2>%s</h2>\n", L->questions);
	if (!qd->n_questions) {
		fprintf(out, "<p class=\"note\">%s</p>\n</section>\n",
			L->no_answers);
		return;
	}
	fprintf(out, "<p class=\"note\">%s", L->hardest_first);
	if (!qd->f->contest)
		fprintf(out, " %s", L->with_solo);
	fputs("</p>\n", out);
	fprintf(out, "<table>\n<thead><tr><th>%s</th><th class=\"num\">%s</th>"
		"<th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
		"<th>%s</th></tr></thead>\n<tbody>\n", L->question, L->answers,
		L->share, L->timed_out, L->avg_time, L->wrong);
	for (size_t i = 0; i < qd->n_questions; i++) {
		const struct question *q = &qd->questions[i];
		int64_t permille = (q->correct * 1000 + q->answers / 2) /
				   q->answers;
		fputs("<tr><td><span class=\"qtext\">", out);
		htmlout_text(out, q->text ? q->text : q->id);
		fputs("</span><br><span class=\"muted\">", out);
		htmlout_text(out, q->id);
		fprintf(out, "</span></td><td class=\"num\">%lld</td><td>",
			(long long)q->answers);
		html_bar(out, permille);
		fputs("<span class=\"share\">", out);
		html_tenths(out, permille, L);
		fprintf(out, "%% (%lld/%lld)</span></td><td class=\"num\">%lld"
			"</td><td class=\"num\">", (long long)q->correct,
			(long long)q->answers, (long long)q->timed_out);
		html_seconds(out, question_avg_seconds(q), L);
		fputs("</td><td>", out);
		if (q->wrong_chosen) {
			htmlout_text(out, q->wrong_text ? q->wrong_text
							: q->wrong_chosen);
			fprintf(out, "<br><span class=\"muted\">%s%lld%s</span>",
				L->times_before, (long long)q->wrong_count,
				q->wrong_count == 1 ? L->time_after
						    : L->times_after);
		} else {
			fputs("—", out);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n</table>\n</section>\n", out);
}

static void write_html(FILE *out, const void *data)
{
	const struct quiz_data *qd = data;
	const struct labels *L = qd->L;
	htmlout_begin(out, L->lang, L->title, quiz_style);
	fprintf(out, "<header>\n<h1>%s</h1>\n", L->title);
	html_period(out, qd->f, L);
	fputs("</header>\n", out);
	html_ranking(out, qd);
	html_questions(out, qd);
	htmlout_end(out);
}

/* ------------------------------------------------------------------------
 * Writing the files
 * ------------------------------------------------------------------------ */

/* Write dir/name whole or not at all, saying so on progress. */
static bool write_file(const char *dir, const char *name,
		       outfile_fill_fn *writer, const struct quiz_data *qd,
		       FILE *progress)
{
	if (progress)
		fprintf(progress, RQ_PREFIX "writing %s/%s\n", dir, name);
	return outfile_write(dir, name, writer, qd, RQ_PREFIX);
}

bool report_quiz_write(const char *const *paths, int n,
		       const struct report_quiz_filter *f, const char *lang,
		       const char *dir, FILE *progress)
{
	const struct labels *L;
	if (!lang || strcmp(lang, "vi") == 0) {
		L = &labels_vi;
	} else if (strcmp(lang, "en") == 0) {
		L = &labels_en;
	} else {
		fprintf(stderr, RQ_PREFIX "report language '%s': only vi and "
			"en are known\n", lang);
		return false;
	}
	if (!f)
		f = &rq_no_filter;
	if (!dir || !*dir)
		dir = ".";
	if (!outfile_mkdir(dir, RQ_PREFIX))
		return false;

	sqlite3 *db = merge_logs(paths, n, f, true, progress);
	if (!db)
		return false;
	struct report_quiz_rank *ranks = NULL;
	size_t n_ranks = 0;
	struct question *questions = NULL;
	size_t n_questions = 0;
	bool ok = read_ranking(db, f, &ranks, &n_ranks) &&
		  read_questions(db, f, &questions, &n_questions);
	sqlite3_close(db);

	if (ok && progress) {
		size_t contests = 0;
		for (size_t i = 0; i < n_ranks; i++)
			if (i == 0 || strcmp(ranks[i].contest,
					     ranks[i - 1].contest) != 0)
				contests++;
		int64_t answers = 0;
		for (size_t i = 0; i < n_questions; i++)
			answers += questions[i].answers;
		fprintf(progress, RQ_PREFIX "%zu contests, %zu attempts "
			"ranked; %zu questions, %lld answers\n", contests,
			n_ranks, n_questions, (long long)answers);
	}
	struct quiz_data qd = {
		.L = L, .f = f, .ranks = ranks, .n_ranks = n_ranks,
		.questions = questions, .n_questions = n_questions,
	};
	ok = ok &&
	     write_file(dir, REPORT_QUIZ_RANKING_CSV, write_ranking_csv, &qd,
			progress) &&
	     write_file(dir, REPORT_QUIZ_QUESTIONS_CSV, write_questions_csv,
			&qd, progress) &&
	     write_file(dir, REPORT_QUIZ_HTML, write_html, &qd, progress);
	report_quiz_ranks_free(ranks, n_ranks);
	questions_free(questions, n_questions);
	return ok;
}
