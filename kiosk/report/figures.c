/*
 * figures: the yearly report's figures from merged logs (see figures.h).
 *
 * Each group of figures is one query on logmerge's working tables with the
 * period bound as ?1 (first day) and ?2 (last day), read row by row into
 * an array. Topics are summed here from the items (an item's topics are a
 * space-separated list), months and days are filled in so that a chart has
 * no gaps.
 */
#include "report/figures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/util.h"
#include "content/topics.h"
#include "report/logmerge.h"
#include "report/logsrc.h"

/* A row of table alias T ("" or "c.") in the period. A row that could not
 * be dated is in no period, but in the figures over all dates (?9 true);
 * never in the days and months (DATED). */
#define IN_PERIOD(T) \
	" " T "day BETWEEN ?1 AND ?2 AND (?9 OR NOT " T "undated) "
#define DATED " AND NOT undated "

/* ------------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------------ */

static const char totals_sql[] =
	"SELECT (SELECT count(*) FROM s WHERE" IN_PERIOD("") "),"
	" count(*), total(seconds), total(completed),"
	" (SELECT count(*) FROM v WHERE undated),"
	" (SELECT count(*) FROM (SELECT kiosk FROM s WHERE" IN_PERIOD("")
	"  UNION SELECT kiosk FROM v WHERE" IN_PERIOD("")
	"  UNION SELECT kiosk FROM a WHERE" IN_PERIOD("")
	"  UNION SELECT kiosk FROM r WHERE" IN_PERIOD("") ")),"
	" (SELECT min(d) FROM (SELECT min(day) AS d FROM s WHERE"
	IN_PERIOD("") DATED "UNION ALL SELECT min(day) FROM v"
	" WHERE" IN_PERIOD("") DATED ")),"
	" (SELECT max(d) FROM (SELECT max(day) AS d FROM s WHERE"
	IN_PERIOD("") DATED "UNION ALL SELECT max(day) FROM v"
	" WHERE" IN_PERIOD("") DATED ")) "
	"FROM v WHERE" IN_PERIOD("");

/* The products on offer in the period: what each kiosk's library listed,
 * from the start of the first run that listed it to the last sign of life
 * of the latest; for a kiosk that logged no library (an older log), what
 * was viewed. */
static const char products_sql[] =
	"DROP TABLE IF EXISTS temp.prod;"
	"CREATE TEMP TABLE prod (item TEXT, lang TEXT,"
	"  PRIMARY KEY (item, lang)) WITHOUT ROWID;";
static const char products_fill_sql[] =
	"INSERT OR IGNORE INTO temp.prod(item, lang) "
	"SELECT l.item, l.lang FROM lib l"
	" JOIN r f ON f.uuid = l.first_run JOIN r t ON t.uuid = l.last_run"
	" WHERE f.day <= ?2"
	" AND " LOGMERGE_DAY_OF("t.start_ms + t.up_ms") " >= ?1 "
	"UNION SELECT DISTINCT coalesce(item, ''), coalesce(lang, '') FROM v"
	" WHERE" IN_PERIOD("") "AND kiosk NOT IN (SELECT kiosk FROM lib)";

static const char items_sql[] =
	"WITH vi AS (SELECT coalesce(item, '') AS item, count(*) AS n,"
	"    total(seconds) AS sec, total(completed) AS comp"
	"    FROM v WHERE" IN_PERIOD("") "GROUP BY 1),"
	" li AS (SELECT item, item_kind, topics, title, row_number() OVER ("
	"    PARTITION BY item ORDER BY (SELECT start_ms FROM r"
	"    WHERE r.uuid = lib.last_run) DESC, kiosk) AS rn FROM lib) "
	"SELECT vi.item, coalesce(li.title, vi.item), coalesce(li.item_kind, ''),"
	" coalesce(li.topics, ''), vi.n, vi.sec, vi.comp "
	"FROM vi LEFT JOIN li ON li.item = vi.item AND li.rn = 1 "
	"ORDER BY vi.n DESC, vi.item";

static const char langs_sql[] =
	"WITH vl AS (SELECT coalesce(lang, '') AS lang, count(*) AS n,"
	"    total(seconds) AS sec, total(completed) AS comp"
	"    FROM v WHERE" IN_PERIOD("") "GROUP BY 1),"
	" sl AS (SELECT coalesce(lang, '') AS lang, count(*) AS n FROM s"
	"    WHERE" IN_PERIOD("") "GROUP BY 1),"
	" pl AS (SELECT lang, count(*) AS n FROM temp.prod GROUP BY lang),"
	" kl AS (SELECT lang, max(lang_kind) AS kind FROM lib GROUP BY lang),"
	" k AS (SELECT lang FROM vl UNION SELECT lang FROM sl"
	"    UNION SELECT lang FROM pl) "
	"SELECT k.lang, coalesce(vl.n, 0), coalesce(vl.sec, 0),"
	" coalesce(vl.comp, 0), coalesce(sl.n, 0), coalesce(pl.n, 0), kl.kind "
	"FROM k LEFT JOIN vl USING (lang) LEFT JOIN sl USING (lang)"
	" LEFT JOIN pl USING (lang) LEFT JOIN kl USING (lang) "
	"ORDER BY 2 DESC, 5 DESC, 6 DESC, 1";

static const char sites_sql[] =
	"WITH ss AS (SELECT site, count(*) AS n, min(day) AS d0,"
	"    max(day) AS d1, count(DISTINCT day) AS days,"
	"    group_concat(DISTINCT kiosk) AS kiosks"
	"    FROM (SELECT coalesce(site, '') AS site, day, kiosk FROM s"
	"      WHERE" IN_PERIOD("") "ORDER BY kiosk) GROUP BY site),"
	" vs AS (SELECT coalesce(site, '') AS site, count(*) AS n,"
	"    total(seconds) AS sec, total(completed) AS comp"
	"    FROM v WHERE" IN_PERIOD("") "GROUP BY 1),"
	" k AS (SELECT site FROM ss UNION SELECT site FROM vs) "
	"SELECT k.site, replace(coalesce(ss.kiosks, ''), ',', ', '),"
	" coalesce(ss.d0, -1), coalesce(ss.d1, -1), coalesce(ss.days, 0),"
	" coalesce(ss.n, 0), coalesce(vs.n, 0), coalesce(vs.sec, 0),"
	" coalesce(vs.comp, 0) "
	"FROM k LEFT JOIN ss USING (site) LEFT JOIN vs USING (site) "
	"ORDER BY 6 DESC, 7 DESC, 1";

/* Per day: sessions and views (months are summed from the days). */
static const char days_sql[] =
	"WITH sd AS (SELECT day, count(*) AS n FROM s WHERE" IN_PERIOD("")
	DATED "GROUP BY day),"
	" vd AS (SELECT day, count(*) AS n, total(seconds) AS sec,"
	"    total(completed) AS comp FROM v WHERE" IN_PERIOD("")
	DATED "GROUP BY day),"
	" k AS (SELECT day FROM sd UNION SELECT day FROM vd) "
	"SELECT k.day, coalesce(sd.n, 0), coalesce(vd.n, 0),"
	" coalesce(vd.sec, 0), coalesce(vd.comp, 0) "
	"FROM k LEFT JOIN sd USING (day) LEFT JOIN vd USING (day) ORDER BY 1";

static const char quiz_sql[] =
	"SELECT count(*), total(contest IS NULL), total(contest IS NOT NULL),"
	" total(completed), total(answered), total(score),"
	" (SELECT count(*) FROM c WHERE" IN_PERIOD("") ") "
	"FROM a WHERE" IN_PERIOD("");

static const char quiz_topics_sql[] =
	"SELECT coalesce(topic, ''), count(*), total(answered), total(score) "
	"FROM a WHERE" IN_PERIOD("") "GROUP BY 1 ORDER BY 2 DESC, 1";

static const char contests_sql[] =
	"SELECT c.class_name, c.site, c.kiosk, c.day, c.n_questions,"
	" count(a.uuid), coalesce(avg(a.score), 0), coalesce(max(a.score), 0) "
	"FROM c LEFT JOIN a ON a.contest = c.uuid AND a.answered > 0 "
	"WHERE" IN_PERIOD("c.") "GROUP BY c.uuid "
	"ORDER BY c.day, c.class_name, c.start_ms";

static const char health_sql[] =
	"SELECT kiosk, count(*), total(ended = 'clean'), total(ended = 'crash'),"
	" total(ended = 'cut'), total(up_ms) / 3600000.0, total(errors),"
	" total(warnings), min(day), max(day),"
	" (SELECT version FROM r AS l WHERE l.kiosk = r.kiosk"
	"  ORDER BY start_ms DESC LIMIT 1) "
	"FROM r WHERE" IN_PERIOD("") "GROUP BY kiosk ORDER BY kiosk";

/* Messages that differ only in numbers are one kind; message and day are
 * those of its latest (SQLite takes a bare column from the max() row). */
static const char problems_sql[] =
	"SELECT message, severity, count(*), count(DISTINCT kiosk), day,"
	" max(start_ms) "
	"FROM p WHERE" IN_PERIOD("") "GROUP BY kind, severity "
	"ORDER BY 3 DESC, 5 DESC, 1 LIMIT ?3";

/* ------------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------------ */

struct reader {
	sqlite3 *db;
	int64_t from, to;
	bool all_dates;      /* the period is every date (undated rows too) */
	bool ok;
};

/* Prepare sql with the period bound; NULL after a message. */
static sqlite3_stmt *query(struct reader *r, const char *sql)
{
	if (!r->ok)
		return NULL;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(r->db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, LOGSRC_PREFIX "figures: %s\n",
			sqlite3_errmsg(r->db));
		r->ok = false;
		sqlite3_finalize(s);
		return NULL;
	}
	int n = sqlite3_bind_parameter_count(s);
	if (n >= 1)
		sqlite3_bind_int64(s, 1, r->from);
	if (n >= 2)
		sqlite3_bind_int64(s, 2, r->to);
	if (n >= 9)
		sqlite3_bind_int(s, 9, r->all_dates);
	return s;
}

/* Step s; true on a row. At the end (or on an error, after a message)
 * finalizes s and returns false. */
static bool next_row(struct reader *r, sqlite3_stmt *s)
{
	if (!s)
		return false;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return true;
	if (rc != SQLITE_DONE) {
		fprintf(stderr, LOGSRC_PREFIX "figures: %s\n",
			sqlite3_errmsg(r->db));
		r->ok = false;
	}
	sqlite3_finalize(s);
	return false;
}

static char *col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return xstrdup(t ? (const char *)t : "");
}

static void col_views(sqlite3_stmt *s, int i, struct figures_views *v)
{
	v->views = sqlite3_column_int64(s, i);
	v->seconds = sqlite3_column_double(s, i + 1);
	v->completed = sqlite3_column_int64(s, i + 2);
}

/* Grow the array arr of n elements by one zeroed element, count it in n
 * and give its address (arr and n are lvalues, each named once). */
#define PUSH(arr, n) \
	((arr) = xrealloc((arr), ((n) + 1) * sizeof *(arr)), \
	 memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

static void read_totals(struct reader *r, struct report_figures *f)
{
	sqlite3_stmt *s = query(r, totals_sql);
	if (!next_row(r, s))
		return;
	f->sessions = sqlite3_column_int64(s, 0);
	col_views(s, 1, &f->v);
	f->undated = sqlite3_column_int64(s, 4);
	f->kiosks = sqlite3_column_int64(s, 5);
	f->first_day = sqlite3_column_type(s, 6) == SQLITE_NULL ? -1 :
		       sqlite3_column_int64(s, 6);
	f->last_day = sqlite3_column_type(s, 7) == SQLITE_NULL ? -1 :
		      sqlite3_column_int64(s, 7);
	while (next_row(r, s))
		;
}

static void read_items(struct reader *r, struct report_figures *f)
{
	sqlite3_stmt *s = query(r, items_sql);
	while (next_row(r, s)) {
		struct figures_item *it = PUSH(f->items, f->n_items);
		it->item_id = col_text(s, 0);
		it->title = col_text(s, 1);
		it->kind = col_text(s, 2);
		it->topics = col_text(s, 3);
		col_views(s, 4, &it->v);
	}
}

/* The kind of a language: the registry's, else the one logged with the
 * library, else unknown. */
static enum figures_lang_kind lang_kind_of(const struct lang_registry *langs,
					   const char *tag, const char *logged)
{
	const struct lang *l = langs ? lang_find(langs, tag) : NULL;
	if (l)
		return l->kind == LANG_NATIONAL ? FIGURES_LANG_NATIONAL :
		       l->kind == LANG_FOREIGN ? FIGURES_LANG_FOREIGN :
						 FIGURES_LANG_MINORITY;
	for (int k = FIGURES_LANG_NATIONAL; logged && k < FIGURES_LANG_UNKNOWN;
	     k++)
		if (strcmp(logged, figures_lang_kind_name(k)) == 0)
			return k;
	return FIGURES_LANG_UNKNOWN;
}

static void read_langs(struct reader *r, const struct lang_registry *langs,
		       struct report_figures *f)
{
	if (r->ok && !logsrc_exec(r->db, products_sql, "figures"))
		r->ok = false;
	sqlite3_stmt *s = query(r, products_fill_sql);
	while (next_row(r, s))
		;
	s = query(r, langs_sql);
	while (next_row(r, s)) {
		struct figures_lang *l = PUSH(f->langs, f->n_langs);
		l->lang = col_text(s, 0);
		col_views(s, 1, &l->v);
		l->sessions = sqlite3_column_int64(s, 4);
		l->products = sqlite3_column_int64(s, 5);
		l->kind = lang_kind_of(langs, l->lang,
				       (const char *)sqlite3_column_text(s, 6));
	}
	for (size_t i = 0; i < f->n_langs; i++) {
		const struct figures_lang *l = &f->langs[i];
		f->products += l->products;
		if (l->kind == FIGURES_LANG_MINORITY) {
			f->products_minority += l->products;
			f->views_minority += l->v.views;
		} else if (l->kind == FIGURES_LANG_FOREIGN) {
			f->products_foreign += l->products;
			f->views_foreign += l->v.views;
		}
	}
	f->share_views = f->v.views > 0 ?
		(double)(f->views_minority + f->views_foreign) / f->v.views : 0;
	f->share_products = f->products > 0 ?
		(double)(f->products_minority + f->products_foreign) /
		f->products : 0;
}

/* Does the space-separated list hold id? ("" matches an empty list.) */
static bool list_has(const char *list, const char *id)
{
	size_t n = strlen(id);
	if (n == 0)
		return list[strspn(list, " ")] == '\0';
	for (const char *p = list; (p = strstr(p, id)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void add_topic(struct report_figures *f, const char *id, bool always)
{
	struct figures_topic t = { .topic = NULL };
	for (size_t i = 0; i < f->n_items; i++) {
		const struct figures_item *it = &f->items[i];
		if (!list_has(it->topics, id))
			continue;
		t.items++;
		t.v.views += it->v.views;
		t.v.seconds += it->v.seconds;
		t.v.completed += it->v.completed;
	}
	if (!always && t.items == 0)
		return;
	struct figures_topic *e = PUSH(f->topics, f->n_topics);
	*e = t;
	e->topic = xstrdup(id);
}

/* Every topic of topics.h (a topic nobody viewed is a figure too), then
 * topic ids the kiosks logged that this program does not know, then items
 * with no topic. */
static void sum_topics(struct report_figures *f)
{
	size_t n_known;
	const struct topic *known = topics_all(&n_known);
	for (size_t i = 0; i < n_known; i++)
		add_topic(f, known[i].id, true);
	for (size_t i = 0; i < f->n_items; i++) {
		const char *p = f->items[i].topics;
		while (*p) {
			size_t len = strcspn(p, " ");
			char *id = xasprintf("%.*s", (int)len, p);
			bool listed = false;
			for (size_t k = 0; k < f->n_topics && !listed; k++)
				listed = strcmp(f->topics[k].topic, id) == 0;
			if (len && !listed)
				add_topic(f, id, false);
			free(id);
			p += len;
			p += strspn(p, " ");
		}
	}
	add_topic(f, "", false);
}

static void read_sites(struct reader *r, struct report_figures *f)
{
	sqlite3_stmt *s = query(r, sites_sql);
	while (next_row(r, s)) {
		struct figures_site *e = PUSH(f->sites, f->n_sites);
		e->site = col_text(s, 0);
		e->kiosks = col_text(s, 1);
		e->first_day = sqlite3_column_int64(s, 2);
		e->last_day = sqlite3_column_int64(s, 3);
		e->days = sqlite3_column_int64(s, 4);
		e->sessions = sqlite3_column_int64(s, 5);
		col_views(s, 6, &e->v);
	}
}

/* Days from first_day to last_day, each once (zero when nothing happened),
 * and the months they fall in. */
static void read_days(struct reader *r, struct report_figures *f)
{
	if (f->first_day < 0)
		return;
	size_t n = (size_t)(f->last_day - f->first_day + 1);
	f->days = xcalloc(n, sizeof *f->days);
	f->n_days = n;
	for (size_t i = 0; i < n; i++)
		f->days[i].day = f->first_day + (int64_t)i;
	sqlite3_stmt *s = query(r, days_sql);
	while (next_row(r, s)) {
		int64_t day = sqlite3_column_int64(s, 0);
		if (day < f->first_day || day > f->last_day)
			continue;
		struct figures_day *d = &f->days[day - f->first_day];
		d->sessions = sqlite3_column_int64(s, 1);
		col_views(s, 2, &d->v);
	}
	for (size_t i = 0; i < n; i++) {
		int y, m, d;
		date_from_days(f->days[i].day, &y, &m, &d);
		struct figures_month *e = f->n_months ?
			&f->months[f->n_months - 1] : NULL;
		if (!e || e->year != y || e->month != m) {
			e = PUSH(f->months, f->n_months);
			e->year = y;
			e->month = m;
		}
		e->sessions += f->days[i].sessions;
		e->v.views += f->days[i].v.views;
		e->v.seconds += f->days[i].v.seconds;
		e->v.completed += f->days[i].v.completed;
	}
}

static void read_quiz(struct reader *r, struct figures_quiz *q)
{
	sqlite3_stmt *s = query(r, quiz_sql);
	if (next_row(r, s)) {
		q->attempts = sqlite3_column_int64(s, 0);
		q->solo = sqlite3_column_int64(s, 1);
		q->in_contests = sqlite3_column_int64(s, 2);
		q->completed = sqlite3_column_int64(s, 3);
		q->answers = sqlite3_column_int64(s, 4);
		q->right = sqlite3_column_int64(s, 5);
		q->contests = sqlite3_column_int64(s, 6);
		while (next_row(r, s))
			;
	}
	s = query(r, quiz_topics_sql);
	while (next_row(r, s)) {
		struct figures_quiz_topic *t = PUSH(q->topics, q->n_topics);
		t->topic = col_text(s, 0);
		t->attempts = sqlite3_column_int64(s, 1);
		t->answers = sqlite3_column_int64(s, 2);
		t->right = sqlite3_column_int64(s, 3);
	}
	s = query(r, contests_sql);
	while (next_row(r, s)) {
		struct figures_contest *c = PUSH(q->contest_list,
						 q->n_contests);
		c->class_name = col_text(s, 0);
		c->site = col_text(s, 1);
		c->kiosk_id = col_text(s, 2);
		c->day = sqlite3_column_int64(s, 3);
		c->n_questions = sqlite3_column_int(s, 4);
		c->students = sqlite3_column_int64(s, 5);
		c->average_score = sqlite3_column_double(s, 6);
		c->best_score = sqlite3_column_int(s, 7);
	}
}

static void read_health(struct reader *r, struct report_figures *f)
{
	sqlite3_stmt *s = query(r, health_sql);
	while (next_row(r, s)) {
		struct figures_kiosk *k = PUSH(f->kiosk_health,
					       f->n_kiosk_health);
		k->kiosk_id = col_text(s, 0);
		k->runs = sqlite3_column_int64(s, 1);
		k->clean = sqlite3_column_int64(s, 2);
		k->crashes = sqlite3_column_int64(s, 3);
		k->cuts = sqlite3_column_int64(s, 4);
		k->uptime_hours = sqlite3_column_double(s, 5);
		k->errors = sqlite3_column_int64(s, 6);
		k->warnings = sqlite3_column_int64(s, 7);
		k->first_day = sqlite3_column_int64(s, 8);
		k->last_day = sqlite3_column_int64(s, 9);
		k->version = col_text(s, 10);
	}
	s = query(r, problems_sql);
	if (s)
		sqlite3_bind_int(s, 3, FIGURES_MAX_PROBLEMS);
	while (next_row(r, s)) {
		struct figures_problem *p = PUSH(f->problems, f->n_problems);
		p->message = col_text(s, 0);
		p->severity = col_text(s, 1);
		p->count = sqlite3_column_int64(s, 2);
		p->kiosks = sqlite3_column_int64(s, 3);
		p->last_day = sqlite3_column_int64(s, 4);
	}
}

bool figures_read(struct logmerge *m, int64_t from_day, int64_t to_day,
		  const struct lang_registry *langs, struct report_figures *out)
{
	memset(out, 0, sizeof *out);
	out->from_day = from_day;
	out->to_day = to_day;
	out->first_day = out->last_day = -1;
	out->logs = logmerge_files(m);
	int64_t last = 0;
	date_parse_days("9999-12-31", &last);
	struct reader r = { logmerge_db(m), from_day, to_day,
			    from_day <= 0 && to_day >= last, true };
	read_totals(&r, out);
	read_items(&r, out);
	read_langs(&r, langs, out);
	sum_topics(out);
	read_sites(&r, out);
	read_days(&r, out);
	read_quiz(&r, &out->quiz);
	read_health(&r, out);
	if (!r.ok) {
		figures_free(out);
		return false;
	}
	return true;
}

void figures_free(struct report_figures *f)
{
	for (size_t i = 0; i < f->n_items; i++) {
		free(f->items[i].item_id);
		free(f->items[i].title);
		free(f->items[i].kind);
		free(f->items[i].topics);
	}
	free(f->items);
	for (size_t i = 0; i < f->n_langs; i++)
		free(f->langs[i].lang);
	free(f->langs);
	for (size_t i = 0; i < f->n_topics; i++)
		free(f->topics[i].topic);
	free(f->topics);
	for (size_t i = 0; i < f->n_sites; i++) {
		free(f->sites[i].site);
		free(f->sites[i].kiosks);
	}
	free(f->sites);
	free(f->months);
	free(f->days);
	for (size_t i = 0; i < f->quiz.n_topics; i++)
		free(f->quiz.topics[i].topic);
	free(f->quiz.topics);
	for (size_t i = 0; i < f->quiz.n_contests; i++) {
		free(f->quiz.contest_list[i].class_name);
		free(f->quiz.contest_list[i].site);
		free(f->quiz.contest_list[i].kiosk_id);
	}
	free(f->quiz.contest_list);
	for (size_t i = 0; i < f->n_kiosk_health; i++) {
		free(f->kiosk_health[i].kiosk_id);
		free(f->kiosk_health[i].version);
	}
	free(f->kiosk_health);
	for (size_t i = 0; i < f->n_problems; i++) {
		free(f->problems[i].message);
		free(f->problems[i].severity);
	}
	free(f->problems);
	int64_t from = f->from_day, to = f->to_day;
	memset(f, 0, sizeof *f);
	f->from_day = from;
	f->to_day = to;
	f->first_day = f->last_day = -1;
}

const char *figures_lang_kind_name(enum figures_lang_kind kind)
{
	static const char *const names[] = {
		[FIGURES_LANG_NATIONAL] = "national",
		[FIGURES_LANG_MINORITY] = "minority",
		[FIGURES_LANG_FOREIGN] = "foreign",
		[FIGURES_LANG_UNKNOWN] = "unknown",
	};
	return (size_t)kind < ARRAY_LEN(names) ? names[kind] : "unknown";
}
