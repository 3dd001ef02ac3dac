/*
 * report_csv: the yearly report's figures as CSV files (see report_csv.h).
 */
#include "report/report_csv.h"

#include "base/util.h"
#include "report/csvout.h"
#include "report/logsrc.h"
#include "report/outfile.h"

static void header(FILE *out, const char *const *cells, int n)
{
	csvout_bom(out);
	csvout_row(out, cells, n);
}

#define HEADER(out, ...) do { \
	static const char *const h_[] = { __VA_ARGS__ }; \
	header(out, h_, (int)ARRAY_LEN(h_)); \
} while (0)

/* "name,value" rows of the totals. */
static void pair_int(FILE *out, const char *name, int64_t v)
{
	csvout_text(out, name);
	csvout_sep(out);
	csvout_int(out, v);
	csvout_eol(out);
}

static void pair_day(FILE *out, const char *name, int64_t day)
{
	csvout_text(out, name);
	csvout_sep(out);
	csvout_day(out, day);
	csvout_eol(out);
}

static void pair_share(FILE *out, const char *name, int64_t num, int64_t den)
{
	csvout_text(out, name);
	csvout_sep(out);
	csvout_fraction(out, num, den);
	csvout_eol(out);
}

static void pair_tenths(FILE *out, const char *name, double v)
{
	csvout_text(out, name);
	csvout_sep(out);
	csvout_seconds(out, v);
	csvout_eol(out);
}

static void write_totals(FILE *out, const void *data)
{
	const struct report_figures *f = data;
	HEADER(out, "figure", "value");
	pair_day(out, "period_from", f->from_day);
	pair_day(out, "period_to", f->to_day);
	pair_day(out, "first_day", f->first_day);
	pair_day(out, "last_day", f->last_day);
	pair_int(out, "logs", f->logs);
	pair_int(out, "kiosks", f->kiosks);
	pair_int(out, "sessions", f->sessions);
	pair_int(out, "views", f->v.views);
	pair_tenths(out, "hours", f->v.seconds / 3600);
	pair_int(out, "completed", f->v.completed);
	pair_share(out, "completion_rate", f->v.completed, f->v.views);
	pair_int(out, "undated_views", f->undated);
	pair_int(out, "products", f->products);
	pair_int(out, "products_minority", f->products_minority);
	pair_int(out, "products_foreign", f->products_foreign);
	pair_share(out, "share_of_products", f->products_minority +
		   f->products_foreign, f->products);
	pair_int(out, "views_minority", f->views_minority);
	pair_int(out, "views_foreign", f->views_foreign);
	pair_share(out, "share_of_views", f->views_minority + f->views_foreign,
		   f->v.views);
	pair_share(out, "target_low", (int64_t)(FIGURES_TARGET_LOW * 100), 100);
	pair_share(out, "target_high", (int64_t)(FIGURES_TARGET_HIGH * 100),
		   100);
	pair_int(out, "target_reached",
		 f->products > 0 && f->share_products >= FIGURES_TARGET_LOW);
	pair_int(out, "quiz_attempts", f->quiz.attempts);
	pair_int(out, "quiz_solo", f->quiz.solo);
	pair_int(out, "quiz_in_contests", f->quiz.in_contests);
	pair_int(out, "quiz_completed", f->quiz.completed);
	pair_int(out, "quiz_answers", f->quiz.answers);
	pair_int(out, "quiz_right", f->quiz.right);
	pair_share(out, "quiz_share_right", f->quiz.right, f->quiz.answers);
	pair_int(out, "contests", f->quiz.contests);
}

/* views, seconds: the common tail of several rows. */
static void views_cells(FILE *out, const struct figures_views *v)
{
	csvout_int(out, v->views);
	csvout_sep(out);
	csvout_seconds(out, v->seconds);
}

static void write_items(FILE *out, const void *data)
{
	const struct report_figures *f = data;
	HEADER(out, "item_id", "title", "kind", "topics", "views", "seconds",
	       "average_seconds", "completed", "completion_rate");
	for (size_t i = 0; i < f->n_items; i++) {
		const struct figures_item *it = &f->items[i];
		csvout_text(out, it->item_id);
		csvout_sep(out);
		csvout_text(out, it->title);
		csvout_sep(out);
		csvout_text(out, it->kind);
		csvout_sep(out);
		csvout_text(out, it->topics);
		csvout_sep(out);
		views_cells(out, &it->v);
		csvout_sep(out);
		csvout_seconds(out, it->v.views ? it->v.seconds / it->v.views
						: 0);
		csvout_sep(out);
		csvout_int(out, it->v.completed);
		csvout_sep(out);
		csvout_fraction(out, it->v.completed, it->v.views);
		csvout_eol(out);
	}
}

static void write_langs(FILE *out, const void *data)
{
	const struct report_figures *f = data;
	HEADER(out, "language", "kind", "sessions", "views", "share_of_views",
	       "seconds", "completed", "products", "share_of_products");
	for (size_t i = 0; i < f->n_langs; i++) {
		const struct figures_lang *l = &f->langs[i];
		csvout_text(out, l->lang);
		csvout_sep(out);
		csvout_text(out, figures_lang_kind_name(l->kind));
		csvout_sep(out);
		csvout_int(out, l->sessions);
		csvout_sep(out);
		csvout_int(out, l->v.views);
		csvout_sep(out);
		csvout_fraction(out, l->v.views, f->v.views);
		csvout_sep(out);
		csvout_seconds(out, l->v.seconds);
		csvout_sep(out);
		csvout_int(out, l->v.completed);
		csvout_sep(out);
		csvout_int(out, l->products);
		csvout_sep(out);
		csvout_fraction(out, l->products, f->products);
		csvout_eol(out);
	}
}

static void write_topics(FILE *out, const void *data)
{
	const struct report_figures *f = data;
	HEADER(out, "topic", "items", "views", "share_of_views", "seconds",
	       "completed");
	for (size_t i = 0; i < f->n_topics; i++) {
		const struct figures_topic *t = &f->topics[i];
		csvout_text(out, t->topic);
		csvout_sep(out);
		csvout_int(out, t->items);
		csvout_sep(out);
		csvout_int(out, t->v.views);
		csvout_sep(out);
		csvout_fraction(out, t->v.views, f->v.views);
		csvout_sep(out);
		csvout_seconds(out, t->v.seconds);
		csvout_sep(out);
		csvout_int(out, t->v.completed);
		csvout_eol(out);
	}
}

static void write_sites(FILE *out, const void *data)
{
	const struct report_figures *f = data;
	HEADER(out, "site", "kiosks", "first_day", "last_day", "days",
	       "sessions", "views", "seconds");
	for (size_t i = 0; i < f->n_sites; i++) {
		const struct figures_site *s = &f->sites[i];
		csvout_text(out, s->site);
		csvout_sep(out);
		csvout_text(out, s->kiosks);
		csvout_sep(out);
		csvout_day(out, s->first_day);
		csvout_sep(out);
		csvout_day(out, s->last_day);
		csvout_sep(out);
		csvout_int(out, s->days);
		csvout_sep(out);
		csvout_int(out, s->sessions);
		csvout_sep(out);
		views_cells(out, &s->v);
		csvout_eol(out);
	}
}

static void write_months(FILE *out, const void *data)
{
	const struct report_figures *f = data;
	HEADER(out, "month", "sessions", "views", "seconds", "completed");
	for (size_t i = 0; i < f->n_months; i++) {
		const struct figures_month *m = &f->months[i];
		fprintf(out, "%04d-%02d,", m->year, m->month);
		csvout_int(out, m->sessions);
		csvout_sep(out);
		views_cells(out, &m->v);
		csvout_sep(out);
		csvout_int(out, m->v.completed);
		csvout_eol(out);
	}
}

static void write_quiz(FILE *out, const void *data)
{
	const struct report_figures *f = data;
	HEADER(out, "topic", "attempts", "answers", "right", "share_right");
	for (size_t i = 0; i < f->quiz.n_topics; i++) {
		const struct figures_quiz_topic *t = &f->quiz.topics[i];
		csvout_text(out, t->topic);
		csvout_sep(out);
		csvout_int(out, t->attempts);
		csvout_sep(out);
		csvout_int(out, t->answers);
		csvout_sep(out);
		csvout_int(out, t->right);
		csvout_sep(out);
		csvout_fraction(out, t->right, t->answers);
		csvout_eol(out);
	}
}

static void write_contests(FILE *out, const void *data)
{
	const struct report_figures *f = data;
	HEADER(out, "day", "class", "site", "kiosk", "questions", "students",
	       "average_score", "best_score");
	for (size_t i = 0; i < f->quiz.n_contests; i++) {
		const struct figures_contest *c = &f->quiz.contest_list[i];
		csvout_day(out, c->day);
		csvout_sep(out);
		csvout_text(out, c->class_name);
		csvout_sep(out);
		csvout_text(out, c->site);
		csvout_sep(out);
		csvout_text(out, c->kiosk_id);
		csvout_sep(out);
		csvout_int(out, c->n_questions);
		csvout_sep(out);
		csvout_int(out, c->students);
		csvout_sep(out);
		csvout_seconds(out, c->average_score);
		csvout_sep(out);
		csvout_int(out, c->best_score);
		csvout_eol(out);
	}
}

static void write_health(FILE *out, const void *data)
{
	const struct report_figures *f = data;
	HEADER(out, "kiosk", "version", "first_day", "last_day", "runs",
	       "clean", "crashes", "power_cuts", "uptime_hours", "errors",
	       "warnings");
	for (size_t i = 0; i < f->n_kiosk_health; i++) {
		const struct figures_kiosk *k = &f->kiosk_health[i];
		csvout_text(out, k->kiosk_id);
		csvout_sep(out);
		csvout_text(out, k->version);
		csvout_sep(out);
		csvout_day(out, k->first_day);
		csvout_sep(out);
		csvout_day(out, k->last_day);
		const int64_t counts[] = { k->runs, k->clean, k->crashes,
					   k->cuts };
		for (size_t c = 0; c < ARRAY_LEN(counts); c++) {
			csvout_sep(out);
			csvout_int(out, counts[c]);
		}
		csvout_sep(out);
		csvout_seconds(out, k->uptime_hours);
		csvout_sep(out);
		csvout_int(out, k->errors);
		csvout_sep(out);
		csvout_int(out, k->warnings);
		csvout_eol(out);
	}
}

static void write_problems(FILE *out, const void *data)
{
	const struct report_figures *f = data;
	HEADER(out, "severity", "message", "count", "kiosks", "last_day");
	for (size_t i = 0; i < f->n_problems; i++) {
		const struct figures_problem *p = &f->problems[i];
		csvout_text(out, p->severity);
		csvout_sep(out);
		csvout_text(out, p->message);
		csvout_sep(out);
		csvout_int(out, p->count);
		csvout_sep(out);
		csvout_int(out, p->kiosks);
		csvout_sep(out);
		csvout_day(out, p->last_day);
		csvout_eol(out);
	}
}

static outfile_fill_fn *const writers[] = {
	write_totals, write_items, write_langs, write_topics, write_sites,
	write_months, write_quiz, write_contests, write_health,
	write_problems,
};

const char *const report_csv_names[] = {
	"report-totals.csv", "report-items.csv", "report-languages.csv",
	"report-topics.csv", "report-sites.csv", "report-months.csv",
	"report-quiz.csv", "report-contests.csv", "report-health.csv",
	"report-problems.csv",
};
const size_t report_csv_count = ARRAY_LEN(report_csv_names);

_Static_assert(ARRAY_LEN(writers) == ARRAY_LEN(report_csv_names),
	       "one writer per file");

bool report_csv_write(const struct report_figures *f, const char *dir)
{
	for (size_t i = 0; i < ARRAY_LEN(writers); i++)
		if (!outfile_write(dir, report_csv_names[i], writers[i], f,
				   LOGSRC_PREFIX))
			return false;
	return true;
}
