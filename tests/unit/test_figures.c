/*
 * Tests of the yearly report's figures: a year of synthetic events of
 * three kiosks is written into logs (kiosk A as two overlapping exports,
 * the earlier one holding smaller seconds), merged in several orders and
 * twice over, and every figure is compared with numbers this test computes
 * itself from the events it wrote, for the whole year and for a part of
 * it. Then the CSV files are checked against the same numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/util.h"
#include "i18n/lang.h"
#include "report/figures.h"
#include "report/logmerge.h"
#include "report/report_csv.h"
#include "store/store.h"
#include "test_support.h"

#define N_KIOSKS 3
#define N_SESSIONS 600
#define N_ITEMS 8
#define N_ATTEMPTS 60
#define N_CONTESTS 5
#define N_RUNS 30
#define N_PROBLEMS 25
#define DAY0 20458            /* 2026-01-05 */
#define N_DAYS 350
#define MAX_VIEWS 3

static const char *const kiosks[N_KIOSKS] = { "kiosk-A", "kiosk-B",
					      "kiosk-C" };
static const char *const sites[] = { "Buôn Ma Thuột", "Buôn Đôn",
				     "Krông Pắc", "=SUM(A1)" };
static const char *const langs[] = { "vi", "en", "rad", "jra", "zz" };
/* zz: a tag no registry knows and no library names: unknown kind */
static const char *const items[N_ITEMS] = { "i-crc", "i-iccpr", "i-cedaw",
					    "i-law", "i-day", "i-none",
					    "i-crpd", "i-cat" };
static const char *const item_topics[N_ITEMS] = { "crc children", "iccpr",
						  "cedaw women", "vn-law",
						  "hr-day", "", "crpd disability",
						  "cat" };
static const char *const quiz_topics[] = { "crc", "iccpr", NULL };
static const char *const endings[] = { "clean", "crash", "cut", NULL };
static const char *const messages[] = { "video.mp4: cannot decode",
					"no audio device", "disk almost full" };

struct ev_session {
	char uuid[STORE_UUID_LEN];
	int kiosk, site, lang;
	int64_t day;
	int n_views;
	struct {
		char uuid[STORE_UUID_LEN];
		int item, lang;
		double seconds;
		bool completed;
	} views[MAX_VIEWS];
};

struct ev_attempt {
	char uuid[STORE_UUID_LEN];
	int kiosk, contest;     /* contest -1: solo */
	int topic;
	int64_t day;
	int score, answered;
	bool completed;
};

struct ev_contest {
	char uuid[STORE_UUID_LEN];
	int kiosk, site;
	int64_t day;
};

struct ev_run {
	char uuid[STORE_UUID_LEN];
	int kiosk;
	int64_t day;
	int64_t up_ms;
	int ending;             /* index in endings */
	int errors, warnings;
};

struct ev_problem {
	char uuid[STORE_UUID_LEN];
	int kiosk, message;
	int64_t day;
};

/* The library: item x lang offered by a kiosk from first to last day. */
struct ev_lib {
	int kiosk, item, lang;
	int first_run, last_run;   /* indices in runs[] */
	int64_t first, last;       /* their days */
};

static struct ev_session sessions[N_SESSIONS];
static struct ev_attempt attempts[N_ATTEMPTS];
static struct ev_contest contests[N_CONTESTS];
static struct ev_run runs[N_RUNS];
static struct ev_problem problems[N_PROBLEMS];
static struct ev_lib lib[64];
static size_t n_lib;
static char *tmp;
static char *files[4];         /* A-early, A-late, B, C */
static struct lang_registry *registry;

static uint32_t rng = 12345;
static int rnd(int n)
{
	rng = rng * 1103515245u + 12345u;
	return (int)((rng >> 8) % (uint32_t)n);
}

/* A view's seconds in the early export of kiosk A: less than the final. */
static double early_seconds(double s)
{
	return s / 2;
}

/* Kiosk A's early export holds what happened before this day. */
#define A_CUT (DAY0 + 150)

static void generate(void)
{
	for (int i = 0; i < N_SESSIONS; i++) {
		struct ev_session *s = &sessions[i];
		store_new_uuid(s->uuid);
		s->kiosk = rnd(N_KIOSKS);
		s->site = s->kiosk == 0 ? rnd(2) : 2 + rnd(2);
		s->lang = rnd(10) < 6 ? 0 : 1 + rnd(4);
		s->day = DAY0 + rnd(N_DAYS);
		s->n_views = rnd(MAX_VIEWS + 1);
		for (int k = 0; k < s->n_views; k++) {
			store_new_uuid(s->views[k].uuid);
			s->views[k].item = rnd(N_ITEMS);
			s->views[k].lang = rnd(3) ? s->lang : 0;
			s->views[k].seconds = 5 + rnd(300) + rnd(10) / 10.0;
			s->views[k].completed = rnd(3) == 0;
		}
	}
	for (int i = 0; i < N_CONTESTS; i++) {
		store_new_uuid(contests[i].uuid);
		contests[i].kiosk = rnd(N_KIOSKS);
		contests[i].site = rnd(4);
		contests[i].day = DAY0 + rnd(N_DAYS);
	}
	for (int i = 0; i < N_ATTEMPTS; i++) {
		struct ev_attempt *a = &attempts[i];
		store_new_uuid(a->uuid);
		a->contest = rnd(3) ? -1 : rnd(N_CONTESTS);
		a->kiosk = a->contest >= 0 ? contests[a->contest].kiosk
					   : rnd(N_KIOSKS);
		a->day = a->contest >= 0 ? contests[a->contest].day
					 : DAY0 + rnd(N_DAYS);
		a->topic = rnd(3);
		a->answered = rnd(6);    /* 0: began, answered nothing */
		a->score = a->answered ? rnd(a->answered + 1) : 0;
		a->completed = a->answered == 5;
	}
	for (int i = 0; i < N_RUNS; i++) {
		struct ev_run *r = &runs[i];
		store_new_uuid(r->uuid);
		r->kiosk = rnd(N_KIOSKS);
		r->day = DAY0 + rnd(N_DAYS);
		r->up_ms = (int64_t)(1 + rnd(600)) * 60000;
		r->ending = rnd(4);
		r->errors = rnd(5);
		r->warnings = rnd(9);
	}
	for (int i = 0; i < N_PROBLEMS; i++) {
		store_new_uuid(problems[i].uuid);
		problems[i].kiosk = rnd(N_KIOSKS);
		problems[i].message = rnd(3);
		problems[i].day = DAY0 + rnd(N_DAYS);
	}
	/* kiosks A and B list a library; C logged none (an older log): its
	 * products are what was viewed there */
	for (int k = 0; k < 2; k++) {
		int mine[N_RUNS], n_mine = 0;
		for (int i = 0; i < N_RUNS; i++)
			if (runs[i].kiosk == k)
				mine[n_mine++] = i;
		if (n_mine == 0)
			continue;
		for (int it = 0; it < N_ITEMS; it++)
			for (int l = 0; l < 4; l++) {
				if (l > 0 && rnd(2))
					continue;
				struct ev_lib *e = &lib[n_lib++];
				e->kiosk = k;
				e->item = it;
				e->lang = l;
				e->first_run = mine[rnd(n_mine)];
				e->last_run = mine[rnd(n_mine)];
				if (runs[e->last_run].day < runs[e->first_run].day) {
					int t = e->first_run;
					e->first_run = e->last_run;
					e->last_run = t;
				}
				e->first = runs[e->first_run].day;
				e->last = runs[e->last_run].day;
			}
	}
}

/* ---- writing the logs ---- */

static int64_t day_ms(int64_t day, int minute)
{
	return day * 86400000 + 8 * 3600000 + (int64_t)minute * 60000;
}

static void exec(sqlite3 *db, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_free(sql);
}

/* Does the file of kiosk A written with early = true hold this day? */
static bool in_file(int kiosk, int file, int64_t day)
{
	if (file == 0)
		return kiosk == 0 && day < A_CUT;
	if (file == 1)
		return kiosk == 0;
	return kiosk == file - 1;
}

static void write_log(int file)
{
	const char *names[] = { "A-early.sqlite", "A-late.sqlite",
				"B.sqlite", "C.sqlite" };
	files[file] = path_join(tmp, names[file]);
	int kiosk = file < 2 ? 0 : file - 1;
	struct store_identity id = { .kiosk_id = kiosks[kiosk], .site = "" };
	store_close(store_open(files[file], &id));
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(files[file], &db), SQLITE_OK);
	exec(db, "BEGIN");
	const char *kid = kiosks[kiosk];
	for (int i = 0; i < N_SESSIONS; i++) {
		const struct ev_session *s = &sessions[i];
		if (!in_file(s->kiosk, file, s->day))
			continue;
		int64_t ms = day_ms(s->day, i % 600);
		exec(db, "INSERT INTO sessions(uuid, kiosk_id, site, lang, "
		     "started_wall_ms, boot, started_boot_ms, clock) VALUES "
		     "(%Q, %Q, %Q, %Q, %lld, 1, %lld, 2)", s->uuid, kid,
		     sites[s->site], langs[s->lang], ms, ms);
		for (int k = 0; k < s->n_views; k++) {
			double sec = file == 0 ? early_seconds(s->views[k].seconds)
					       : s->views[k].seconds;
			exec(db, "INSERT INTO views(uuid, session_uuid, kiosk_id, "
			     "site, item_id, lang, started_wall_ms, boot, "
			     "started_boot_ms, seconds, completed, clock) VALUES "
			     "(%Q, %Q, %Q, %Q, %Q, %Q, %lld, 1, %lld, %.17g, %d, 2)",
			     s->views[k].uuid, s->uuid, kid, sites[s->site],
			     items[s->views[k].item], langs[s->views[k].lang],
			     ms + k, ms + k, sec,
			     file == 0 ? 0 : s->views[k].completed);
		}
	}
	for (int i = 0; i < N_CONTESTS; i++) {
		const struct ev_contest *c = &contests[i];
		if (!in_file(c->kiosk, file, c->day))
			continue;
		int64_t ms = day_ms(c->day, 0);
		exec(db, "INSERT INTO contests(uuid, kiosk_id, site, class_name, "
		     "n_questions, started_wall_ms, boot, started_boot_ms, clock) "
		     "VALUES (%Q, %Q, %Q, 'Lớp %d', 5, %lld, 1, %lld, 2)",
		     c->uuid, kid, sites[c->site], i, ms, ms);
	}
	for (int i = 0; i < N_ATTEMPTS; i++) {
		const struct ev_attempt *a = &attempts[i];
		if (!in_file(a->kiosk, file, a->day))
			continue;
		int64_t ms = day_ms(a->day, 1 + i % 500);
		exec(db, "INSERT INTO quiz_attempts(uuid, contest_uuid, kiosk_id, "
		     "site, player, topic, lang, n_questions, started_wall_ms, "
		     "boot, started_boot_ms, clock, score, answered, completed) "
		     "VALUES (%Q, %Q, %Q, '', %Q, %Q, 'vi', 5, %lld, 1, %lld, 2, "
		     "%d, %d, %d)", a->uuid,
		     a->contest >= 0 ? contests[a->contest].uuid : NULL, kid,
		     a->contest >= 0 ? "An" : NULL, quiz_topics[a->topic], ms,
		     ms, a->score, a->answered, a->completed);
	}
	for (int i = 0; i < N_RUNS; i++) {
		const struct ev_run *r = &runs[i];
		if (!in_file(r->kiosk, file, r->day))
			continue;
		int64_t ms = day_ms(r->day, 0);
		exec(db, "INSERT INTO runs(uuid, kiosk_id, site, version, "
		     "started_wall_ms, boot, started_boot_ms, clock, "
		     "alive_wall_ms, alive_boot_ms, errors, warnings, ended) "
		     "VALUES (%Q, %Q, '', '1.%d', %lld, 1, %lld, 2, %lld, %lld, "
		     "%d, %d, %Q)", r->uuid, kid, i, ms, ms, ms + r->up_ms,
		     ms + r->up_ms, r->errors, r->warnings,
		     endings[r->ending]);
	}
	for (int i = 0; i < N_PROBLEMS; i++) {
		const struct ev_problem *p = &problems[i];
		if (!in_file(p->kiosk, file, p->day))
			continue;
		int64_t ms = day_ms(p->day, 3);
		exec(db, "INSERT INTO problems(uuid, kiosk_id, site, severity, "
		     "message, wall_ms, boot, boot_ms, clock) VALUES "
		     "(%Q, %Q, '', 'error', %Q, %lld, 1, %lld, 2)", p->uuid, kid,
		     messages[p->message], ms, ms);
	}
	for (size_t i = 0; i < n_lib; i++) {
		const struct ev_lib *e = &lib[i];
		if (e->kiosk != kiosk || (file == 0 && e->first >= A_CUT))
			continue;
		/* the early export knows only the runs before the cut */
		int last = file == 0 && e->last >= A_CUT ? e->first_run
							 : e->last_run;
		exec(db, "INSERT INTO library(kiosk_id, item_id, lang, item_kind, "
		     "lang_kind, topics, title, first_run, last_run) "
		     "VALUES (%Q, %Q, %Q, 'video', %Q, %Q, %Q, %Q, %Q)", kid,
		     items[e->item], langs[e->lang],
		     e->lang == 0 ? "national" : e->lang == 1 ? "foreign"
							  : "minority",
		     item_topics[e->item], items[e->item],
		     runs[e->first_run].uuid, runs[last].uuid);
	}
	exec(db, "COMMIT");
	sqlite3_close(db);
}

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	tmp = test_tmpdir();
	generate();
	for (int f = 0; f < 4; f++)
		write_log(f);
	char *path = test_source_path("locales/languages.json");
	registry = lang_registry_load(path, NULL);
	free(path);
	return registry ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	for (int f = 0; f < 4; f++)
		free(files[f]);
	lang_registry_destroy(registry);
	test_rmtree(tmp);
	free(tmp);
	return 0;
}

/* ---- the figures, computed here ---- */

static bool in(int64_t day, int64_t from, int64_t to)
{
	return day >= from && day <= to;
}

static void check_views(const struct figures_views *got, int64_t views,
			double seconds, int64_t completed, const char *what)
{
	if (got->views != views || got->completed != completed ||
	    fabs(got->seconds - seconds) > 1e-6)
		fail_msg("%s: views %lld/%lld, seconds %.3f/%.3f, completed "
			 "%lld/%lld (got/expected)", what, (long long)got->views,
			 (long long)views, got->seconds, seconds,
			 (long long)got->completed, (long long)completed);
}

/* Sum the views of sessions in the period for which keep() says yes. */
typedef bool view_pred(const struct ev_session *s, int k, const void *arg);

static void expected_views(int64_t from, int64_t to, view_pred *keep,
			   const void *arg, int64_t *views, double *seconds,
			   int64_t *completed)
{
	*views = *completed = 0;
	*seconds = 0;
	for (int i = 0; i < N_SESSIONS; i++) {
		const struct ev_session *s = &sessions[i];
		if (!in(s->day, from, to))
			continue;
		for (int k = 0; k < s->n_views; k++) {
			if (keep && !keep(s, k, arg))
				continue;
			(*views)++;
			*seconds += s->views[k].seconds;
			*completed += s->views[k].completed;
		}
	}
}

static bool view_item(const struct ev_session *s, int k, const void *arg)
{
	return s->views[k].item == *(const int *)arg;
}

static bool view_lang(const struct ev_session *s, int k, const void *arg)
{
	return s->views[k].lang == *(const int *)arg;
}

static bool view_site(const struct ev_session *s, int k, const void *arg)
{
	(void)k;
	return s->site == *(const int *)arg;
}

static bool view_topic(const struct ev_session *s, int k, const void *arg)
{
	const char *topic = arg;
	const char *list = item_topics[s->views[k].item];
	size_t n = strlen(topic);
	for (const char *p = list; (p = strstr(p, topic)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

static bool view_month(const struct ev_session *s, int k, const void *arg)
{
	(void)k;
	const int *ym = arg;
	time_t t = (time_t)(s->day * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	return tm.tm_year + 1900 == ym[0] && tm.tm_mon + 1 == ym[1];
}

/* Distinct products (item, lang) on offer in the period. */
static int64_t expected_products(int64_t from, int64_t to, int lang)
{
	bool offered[N_ITEMS][5] = { { false } };
	for (size_t i = 0; i < n_lib; i++)
		if (lib[i].first <= to && lib[i].last >= from)
			offered[lib[i].item][lib[i].lang] = true;
	/* kiosk C logged no library: what was viewed there */
	for (int i = 0; i < N_SESSIONS; i++)
		if (sessions[i].kiosk == 2 && in(sessions[i].day, from, to))
			for (int k = 0; k < sessions[i].n_views; k++)
				offered[sessions[i].views[k].item]
				       [sessions[i].views[k].lang] = true;
	int64_t n = 0;
	for (int it = 0; it < N_ITEMS; it++)
		for (int l = 0; l < 5; l++)
			if (offered[it][l] && (lang < 0 || l == lang))
				n++;
	return n;
}

static void check_figures(const struct report_figures *f, int64_t from,
			  int64_t to)
{
	/* totals */
	int64_t n_sessions = 0, first = -1, last = -1;
	bool kiosk_seen[N_KIOSKS] = { false };
	for (int i = 0; i < N_SESSIONS; i++) {
		if (!in(sessions[i].day, from, to))
			continue;
		n_sessions++;
		kiosk_seen[sessions[i].kiosk] = true;
		if (first < 0 || sessions[i].day < first)
			first = sessions[i].day;
		if (sessions[i].day > last)
			last = sessions[i].day;
	}
	for (int i = 0; i < N_RUNS; i++)
		if (in(runs[i].day, from, to))
			kiosk_seen[runs[i].kiosk] = true;
	for (int i = 0; i < N_ATTEMPTS; i++)
		if (in(attempts[i].day, from, to))
			kiosk_seen[attempts[i].kiosk] = true;
	int64_t n_kiosks = 0;
	for (int k = 0; k < N_KIOSKS; k++)
		n_kiosks += kiosk_seen[k];
	assert_int_equal(f->sessions, n_sessions);
	assert_int_equal(f->kiosks, n_kiosks);
	assert_int_equal(f->first_day, first);
	assert_int_equal(f->last_day, last);
	assert_int_equal(f->undated, 0);
	int64_t v, c;
	double sec;
	expected_views(from, to, NULL, NULL, &v, &sec, &c);
	check_views(&f->v, v, sec, c, "totals");
	int64_t total_views = v;

	/* items */
	int64_t items_viewed = 0;
	for (int it = 0; it < N_ITEMS; it++) {
		expected_views(from, to, view_item, &it, &v, &sec, &c);
		const struct figures_item *got = NULL;
		for (size_t i = 0; i < f->n_items; i++)
			if (strcmp(f->items[i].item_id, items[it]) == 0)
				got = &f->items[i];
		if (v == 0) {
			assert_null(got);
			continue;
		}
		items_viewed++;
		assert_non_null(got);
		check_views(&got->v, v, sec, c, items[it]);
		assert_string_equal(got->topics, item_topics[it]);
	}
	assert_int_equal(f->n_items, items_viewed);
	for (size_t i = 1; i < f->n_items; i++)
		assert_true(f->items[i - 1].v.views >= f->items[i].v.views);

	/* languages, products and the target */
	int64_t vmin = 0, vfor = 0, pmin = 0, pfor = 0;
	for (int l = 0; l < 5; l++) {
		expected_views(from, to, view_lang, &l, &v, &sec, &c);
		int64_t ses = 0;
		for (int i = 0; i < N_SESSIONS; i++)
			ses += in(sessions[i].day, from, to) &&
			       sessions[i].lang == l;
		int64_t prod = expected_products(from, to, l);
		const struct figures_lang *got = NULL;
		for (size_t i = 0; i < f->n_langs; i++)
			if (strcmp(f->langs[i].lang, langs[l]) == 0)
				got = &f->langs[i];
		if (v == 0 && ses == 0 && prod == 0) {
			assert_null(got);
			continue;
		}
		assert_non_null(got);
		check_views(&got->v, v, sec, c, langs[l]);
		assert_int_equal(got->sessions, ses);
		assert_int_equal(got->products, prod);
		enum figures_lang_kind kind = l == 0 ? FIGURES_LANG_NATIONAL :
			l == 1 ? FIGURES_LANG_FOREIGN : l == 4 ?
			FIGURES_LANG_UNKNOWN : FIGURES_LANG_MINORITY;
		assert_int_equal(got->kind, kind);
		if (kind == FIGURES_LANG_MINORITY) {
			vmin += v;
			pmin += prod;
		} else if (kind == FIGURES_LANG_FOREIGN) {
			vfor += v;
			pfor += prod;
		}
	}
	int64_t products = expected_products(from, to, -1);
	assert_int_equal(f->products, products);
	assert_int_equal(f->products_minority, pmin);
	assert_int_equal(f->products_foreign, pfor);
	assert_int_equal(f->views_minority, vmin);
	assert_int_equal(f->views_foreign, vfor);
	assert_true(fabs(f->share_views - (double)(vmin + vfor) /
			 (double)total_views) < 1e-12);
	assert_true(fabs(f->share_products - (double)(pmin + pfor) /
			 (double)products) < 1e-12);

	/* topics: every known topic listed, the ones here summed */
	assert_true(f->n_topics >= 14);
	static const char *const some[] = { "crc", "children", "iccpr",
					    "cedaw", "women", "vn-law",
					    "hr-day", "crpd", "cat", "cerd" };
	for (size_t t = 0; t < ARRAY_LEN(some); t++) {
		expected_views(from, to, view_topic, some[t], &v, &sec, &c);
		const struct figures_topic *got = NULL;
		for (size_t i = 0; i < f->n_topics; i++)
			if (strcmp(f->topics[i].topic, some[t]) == 0)
				got = &f->topics[i];
		assert_non_null(got);
		check_views(&got->v, v, sec, c, some[t]);
	}
	/* i-none has no topic: the last entry, "" */
	int none = 5;
	expected_views(from, to, view_item, &none, &v, &sec, &c);
	if (v) {
		assert_string_equal(f->topics[f->n_topics - 1].topic, "");
		check_views(&f->topics[f->n_topics - 1].v, v, sec, c,
			    "no topic");
	}

	/* sites */
	for (int st = 0; st < 4; st++) {
		expected_views(from, to, view_site, &st, &v, &sec, &c);
		int64_t ses = 0;
		for (int i = 0; i < N_SESSIONS; i++)
			ses += in(sessions[i].day, from, to) &&
			       sessions[i].site == st;
		const struct figures_site *got = NULL;
		for (size_t i = 0; i < f->n_sites; i++)
			if (strcmp(f->sites[i].site, sites[st]) == 0)
				got = &f->sites[i];
		if (ses == 0) {
			assert_null(got);
			continue;
		}
		assert_non_null(got);
		assert_int_equal(got->sessions, ses);
		check_views(&got->v, v, sec, c, sites[st]);
		char expect[64] = "";
		for (int k = 0; k < N_KIOSKS; k++) {
			bool there = false;
			for (int i = 0; i < N_SESSIONS && !there; i++)
				there = in(sessions[i].day, from, to) &&
					sessions[i].site == st &&
					sessions[i].kiosk == k;
			if (there)
				snprintf(expect + strlen(expect),
					 sizeof expect - strlen(expect), "%s%s",
					 expect[0] ? ", " : "", kiosks[k]);
		}
		assert_string_equal(got->kiosks, expect);
	}

	/* months: every month from the first to the last day */
	int64_t month_views = 0;
	for (size_t i = 0; i < f->n_months; i++) {
		int ym[2] = { f->months[i].year, f->months[i].month };
		expected_views(from, to, view_month, ym, &v, &sec, &c);
		check_views(&f->months[i].v, v, sec, c, "month");
		month_views += f->months[i].v.views;
		if (i > 0)
			assert_int_equal((f->months[i].year * 12 +
					  f->months[i].month) -
					 (f->months[i - 1].year * 12 +
					  f->months[i - 1].month), 1);
	}
	assert_int_equal(month_views, total_views);
	assert_int_equal((int64_t)f->n_days, last - first + 1);

	/* quiz */
	int64_t att = 0, solo = 0, answers = 0, right = 0, done = 0;
	for (int i = 0; i < N_ATTEMPTS; i++) {
		const struct ev_attempt *a = &attempts[i];
		if (!in(a->day, from, to))
			continue;
		att++;
		solo += a->contest < 0;
		answers += a->answered;
		right += a->score;
		done += a->completed;
	}
	assert_int_equal(f->quiz.attempts, att);
	assert_int_equal(f->quiz.solo, solo);
	assert_int_equal(f->quiz.in_contests, att - solo);
	assert_int_equal(f->quiz.answers, answers);
	assert_int_equal(f->quiz.right, right);
	assert_int_equal(f->quiz.completed, done);
	int64_t n_contests = 0;
	for (int i = 0; i < N_CONTESTS; i++) {
		if (!in(contests[i].day, from, to))
			continue;
		n_contests++;
		int64_t students = 0, sum = 0;
		int best = 0;
		for (int k = 0; k < N_ATTEMPTS; k++)
			if (attempts[k].contest == i && attempts[k].answered) {
				students++;
				sum += attempts[k].score;
				if (attempts[k].score > best)
					best = attempts[k].score;
			}
		char name[16];
		snprintf(name, sizeof name, "Lớp %d", i);
		const struct figures_contest *got = NULL;
		for (size_t k = 0; k < f->quiz.n_contests; k++)
			if (strcmp(f->quiz.contest_list[k].class_name, name) == 0)
				got = &f->quiz.contest_list[k];
		assert_non_null(got);
		assert_int_equal(got->students, students);
		assert_int_equal(got->best_score, best);
		assert_true(fabs(got->average_score -
				 (students ? (double)sum / students : 0)) < 1e-9);
	}
	assert_int_equal(f->quiz.contests, n_contests);
	assert_int_equal(f->quiz.n_contests, n_contests);

	/* health */
	for (int k = 0; k < N_KIOSKS; k++) {
		int64_t n = 0, clean = 0, crash = 0, cut = 0, errors = 0;
		double hours = 0;
		for (int i = 0; i < N_RUNS; i++) {
			if (runs[i].kiosk != k || !in(runs[i].day, from, to))
				continue;
			n++;
			clean += runs[i].ending == 0;
			crash += runs[i].ending == 1;
			cut += runs[i].ending == 2;
			errors += runs[i].errors;
			hours += runs[i].up_ms / 3600000.0;
		}
		const struct figures_kiosk *got = NULL;
		for (size_t i = 0; i < f->n_kiosk_health; i++)
			if (strcmp(f->kiosk_health[i].kiosk_id, kiosks[k]) == 0)
				got = &f->kiosk_health[i];
		if (n == 0) {
			assert_null(got);
			continue;
		}
		assert_non_null(got);
		assert_int_equal(got->runs, n);
		assert_int_equal(got->clean, clean);
		assert_int_equal(got->crashes, crash);
		assert_int_equal(got->cuts, cut);
		assert_int_equal(got->errors, errors);
		assert_true(fabs(got->uptime_hours - hours) < 1e-9);
	}
	int64_t problem_rows = 0, got_rows = 0;
	for (int i = 0; i < N_PROBLEMS; i++)
		problem_rows += in(problems[i].day, from, to);
	for (size_t i = 0; i < f->n_problems; i++)
		got_rows += f->problems[i].count;
	assert_int_equal(got_rows, problem_rows);
}

static struct logmerge *merge(const int *order, int n)
{
	struct logmerge *m = logmerge_new();
	assert_non_null(m);
	for (int i = 0; i < n; i++)
		assert_true(logmerge_add(m, files[order[i]]));
	return m;
}

/* The whole year, merged in several orders, with kiosk A's two exports
 * overlapping and one file merged twice. */
static void test_whole_year(void **state)
{
	(void)state;
	static const int orders[][5] = {
		{ 0, 1, 2, 3, -1 },
		{ 3, 1, 2, 0, -1 },
		{ 1, 0, 2, 3, 1 },     /* A's late export merged twice */
	};
	for (size_t o = 0; o < ARRAY_LEN(orders); o++) {
		int n = orders[o][4] < 0 ? 4 : 5;
		struct logmerge *m = merge(orders[o], n);
		struct report_figures f;
		assert_true(figures_read(m, 0, 100000, registry, &f));
		assert_int_equal(f.logs, n);
		check_figures(&f, 0, 100000);
		figures_free(&f);
		logmerge_free(m);
	}
}

/* A part of the year: March to June. */
static void test_period(void **state)
{
	(void)state;
	int64_t from, to;
	assert_true(date_parse_days("2026-03-01", &from));
	assert_true(date_parse_days("2026-06-30", &to));
	static const int order[] = { 0, 1, 2, 3 };
	struct logmerge *m = merge(order, 4);
	struct report_figures f;
	assert_true(figures_read(m, from, to, registry, &f));
	check_figures(&f, from, to);
	assert_int_equal(f.n_months, 4);
	assert_int_equal(f.months[0].month, 3);
	figures_free(&f);
	logmerge_free(m);
}

/* A period with nothing in it. */
static void test_empty_period(void **state)
{
	(void)state;
	static const int order[] = { 1, 2, 3 };
	struct logmerge *m = merge(order, 3);
	struct report_figures f;
	assert_true(figures_read(m, 0, 10, registry, &f));
	assert_int_equal(f.sessions, 0);
	assert_int_equal(f.v.views, 0);
	assert_int_equal(f.first_day, -1);
	assert_int_equal(f.n_months, 0);
	assert_int_equal(f.n_items, 0);
	assert_true(f.share_views == 0 && f.share_products == 0);
	figures_free(&f);
	logmerge_free(m);
}

/* The CSV files say the same as the figures, cell for cell in the rows
 * checked, and a site named like a formula is neutralised. */
static void test_csv_files(void **state)
{
	(void)state;
	static const int order[] = { 0, 1, 2, 3 };
	struct logmerge *m = merge(order, 4);
	struct report_figures f;
	assert_true(figures_read(m, 0, 100000, registry, &f));
	char *dir = path_join(tmp, "csv");
	assert_true(mkdir_parents(dir));
	assert_true(report_csv_write(&f, dir));
	for (size_t i = 0; i < report_csv_count; i++) {
		char *path = path_join(dir, report_csv_names[i]);
		size_t len = 0;
		char *text = file_read_all(path, &len);
		assert_non_null(text);
		assert_memory_equal(text, "\xEF\xBB\xBF", 3);
		assert_true(utf8_valid(text, len, NULL));
		free(text);
		free(path);
	}
	char *path = path_join(dir, "report-totals.csv");
	char *text = file_read_all(path, NULL);
	char line[64];
	snprintf(line, sizeof line, "\r\nsessions,%lld\r\n",
		 (long long)f.sessions);
	assert_non_null(strstr(text, line));
	snprintf(line, sizeof line, "\r\nviews,%lld\r\n", (long long)f.v.views);
	assert_non_null(strstr(text, line));
	assert_non_null(strstr(text, "\r\ntarget_low,0.1500\r\n"));
	free(text);
	free(path);
	path = path_join(dir, "report-sites.csv");
	text = file_read_all(path, NULL);
	assert_non_null(strstr(text, "\r\n'=SUM(A1),"));
	assert_non_null(strstr(text, "\r\nBuôn Ma Thuột,kiosk-A,"));
	free(text);
	free(path);
	path = path_join(dir, "report-items.csv");
	text = file_read_all(path, NULL);
	snprintf(line, sizeof line, "\r\n%s,%s,video,", f.items[0].item_id,
		 f.items[0].item_id);
	assert_non_null(strstr(text, line));
	free(text);
	free(path);
	free(dir);
	figures_free(&f);
	logmerge_free(m);
}

/* A view logged before the clock was set, that nothing dates, counts over
 * all dates only, and never in a month: counted apart. */
static void test_undated_in_no_period(void **state)
{
	(void)state;
	char *path = path_join(tmp, "undated.sqlite");
	struct store_identity id = { .kiosk_id = "kiosk-U", .site = "" };
	store_close(store_open(path, &id));
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec(db, "INSERT INTO views(uuid, kiosk_id, site, item_id, lang, "
	     "started_wall_ms, boot, started_boot_ms, clock) VALUES "
	     "('00000000-0000-4000-8000-000000000001', 'kiosk-U', '', 'x', "
	     "'vi', 1778407200000, 1, 5000000, 2),"
	     "('00000000-0000-4000-8000-000000000002', 'kiosk-U', '', 'x', "
	     "'vi', 1000, 2, 1000, 0)");
	sqlite3_close(db);
	struct logmerge *m = logmerge_new();
	assert_true(logmerge_add(m, path));
	static const int64_t periods[][2] = { { 0, 2932896 }, { 0, 0 },
					      { 20400, 20800 } };
	for (size_t i = 0; i < ARRAY_LEN(periods); i++) {
		struct report_figures f;
		assert_true(figures_read(m, periods[i][0], periods[i][1],
					 registry, &f));
		/* over all dates: both; else only the dated one, if in */
		assert_int_equal(f.v.views, i == 0 ? 2 : i == 1 ? 0 : 1);
		assert_int_equal(f.n_months, i == 1 ? 0 : 1);
		assert_int_equal(f.undated, 1);
		figures_free(&f);
	}
	logmerge_free(m);
	free(path);
}

/* Problems that differ only in their numbers are one kind, shown by its
 * latest message. */
static void test_problem_kinds(void **state)
{
	(void)state;
	char *path = path_join(tmp, "problems.sqlite");
	struct store_identity id = { .kiosk_id = "kiosk-P", .site = "" };
	store_close(store_open(path, &id));
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec(db, "INSERT INTO problems(uuid, kiosk_id, site, severity, message, "
	     "wall_ms, boot, boot_ms, clock) VALUES "
	     "('00000000-0000-4000-8000-000000000001', 'kiosk-P', '', 'error', "
	     "'video01.mp4: frame 12 is broken', 1778407200000, 1, 10, 2),"
	     "('00000000-0000-4000-8000-000000000002', 'kiosk-P', '', 'error', "
	     "'video02.mp4: frame 7 is broken', 1778407300000, 1, 20, 2),"
	     "('00000000-0000-4000-8000-000000000003', 'kiosk-P', '', 'error', "
	     "'no audio device', 1778407100000, 1, 5, 2)");
	sqlite3_close(db);
	struct logmerge *m = logmerge_new();
	assert_true(logmerge_add(m, path));
	struct report_figures f;
	assert_true(figures_read(m, 0, 2932896, registry, &f));
	assert_int_equal(f.n_problems, 2);
	assert_int_equal(f.problems[0].count, 2);
	assert_string_equal(f.problems[0].message,
			    "video02.mp4: frame 7 is broken");
	assert_int_equal(f.problems[1].count, 1);
	figures_free(&f);
	logmerge_free(m);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_year),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_empty_period),
		cmocka_unit_test(test_csv_files),
		cmocka_unit_test(test_undated_in_no_period),
		cmocka_unit_test(test_problem_kinds),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
