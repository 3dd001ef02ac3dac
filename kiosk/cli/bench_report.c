/*
 * bench_report: `kiosk bench report`, the yearly report over a year of
 * generated kiosk logs, beside the sqlite3 tool running the same
 * aggregate on the same files.
 *
 *   1. Generate the logs: one file per kiosk, made with the kiosk's own
 *      schema (store_open, store_close), then filled with rows inserted
 *      directly, one transaction per file: a year of days through opening
 *      hours, sessions with views, language switches, quizzes and a few
 *      class contests, a run per boot (some crash or cut ends), some
 *      problems, the library the kiosk offers. Some boots start with the
 *      clock unset (clock 0, wall time from the year 2000) and sync later,
 *      so the merge has to place their rows; a few never sync. A tenth of
 *      the kiosks also have an earlier export (every row up to a cut day),
 *      so the merge has to drop rows it already has. Everything but the
 *      event ids (random, store_new_uuid) comes from a fixed seed, and the
 *      events (rows of the event tables, each counted once) add up to
 *      exactly --events.
 *   2. Run `kiosk report -o DIR FILES...` (this program, /proc/self/exe,
 *      with the same --config) as a child, three times: median wall time
 *      and median peak RSS (ru_maxrss from wait4).
 *   3. Run the sqlite3 tool, three times, on a script that merges every
 *      file's views into one table keyed by uuid (an upsert, the larger
 *      seconds winning) and groups them by item and language.
 *   4. Print both beside the targets (<= 5 s, <= 200 MB), and check that
 *      the views per item of report-items.csv agree with the tool's.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/log.h"
#include "base/util.h"
#include "cli/bench.h"
#include "report/csvread.h"
#include "store/store.h"

#define BR_PREFIX "kiosk bench report: "

/* The targets of the issue, for 1,000,000 events. */
#define BR_TARGET_S 5.0
#define BR_TARGET_MB 200.0
/* Measured runs of each program; the median is reported. */
#define BR_RUNS 3

/* The generated year starts here (the clock floor of the store is
 * 2026-01-01: rows before it are "clock unset"). */
#define BR_FIRST_DAY "2026-01-01"
/* What an unset clock shows at boot (2000-01-01 00:00 UTC). */
#define BR_UNSET_EPOCH_MS INT64_C(946684800000)
/* The kiosks are in Vietnam (UTC+7); opening hours in local time. */
#define BR_TZ_MS (7 * 3600 * INT64_C(1000))
#define BR_OPEN_MS ((7 * 60 + 30) * 60 * INT64_C(1000))
#define BR_CLOSE_MS (17 * 3600 * INT64_C(1000))
#define BR_DAY_MS (86400 * INT64_C(1000))
/* One kiosk in this many has an earlier export too. */
#define BR_EXPORT_EVERY 10

#define I64(x) ((int64_t)(x))

/* ------------------------------------------------------------------------
 * Fixed data: places, languages, items, people, problems
 * ------------------------------------------------------------------------ */

static const char *const br_sites_north[] = {
	"Bản Lác", "Tả Van", "Lũng Cú", "Mèo Vạc", "Đồng Văn", "Sìn Hồ",
	"Bắc Hà", "Xín Mần", "Hoàng Su Phì", "Pác Bó", "Bảo Lạc",
	"Mù Cang Chải", "Quản Bạ", "Nà Hang", "Chợ Rã",
};
static const char *const br_sites_highlands[] = {
	"Buôn Đôn", "Buôn Trấp", "Ea Súp", "Krông Pa", "Đắk Glei",
	"Kon Plông", "Ia Grai", "Chư Păh", "Đắk Mil", "Buôn Jun", "Kon Rẫy",
	"Ia Pa", "Đăk Tô", "Sa Thầy", "Plei Ơi",
};
static const char *const br_langs_north[] = { "tyz", "nut", "mww" };
static const char *const br_langs_highlands[] = { "rad", "jra", "bdq", "sed", "cmo" };

/* The library's themes: 12 themes of 5 parts make its 60 items. */
struct br_theme {
	const char *stem;        /* item id prefix */
	const char *topics;      /* topic ids */
	const char *title;       /* Vietnamese */
};
static const struct br_theme br_themes[] = {
	{ "udhr", "udhr vn-law", "Tuyên ngôn Quốc tế Nhân quyền" },
	{ "iccpr", "iccpr ethnic-minorities", "Các quyền dân sự và chính trị" },
	{ "icescr", "icescr poverty", "Các quyền kinh tế, xã hội và văn hóa" },
	{ "cedaw", "cedaw women", "Xóa bỏ phân biệt đối xử với phụ nữ" },
	{ "cerd", "cerd ethnic-minorities", "Xóa bỏ phân biệt chủng tộc" },
	{ "crc", "crc children", "Quyền trẻ em" },
	{ "crpd", "crpd disability", "Quyền của người khuyết tật" },
	{ "cat", "cat vn-law", "Chống tra tấn" },
	{ "hien-phap", "vn-law iccpr", "Hiến pháp năm 2013: quyền con người" },
	{ "nguoi-cao-tuoi", "elderly icescr", "Người cao tuổi được chăm sóc" },
	{ "ngay-nhan-quyen", "hr-day udhr", "Ngày Nhân quyền 10 tháng 12" },
	{ "chu-viet", "ethnic-minorities iccpr crc", "Chữ viết của các dân tộc" },
};
#define BR_PARTS 5
#define BR_ITEMS ((int)ARRAY_LEN(br_themes) * BR_PARTS)

static const char *const br_kinds[] = { "video", "audio", "poster", "leaflet" };

static const char *const br_players[] = {
	"Hoa", "Minh", "Lan", "Tuấn", "H'Nhi", "Y Blô", "Ksor Hương",
	"Rơ Châm Thảo", "Giàng A Páo", "Vàng Thị Mai", "Sùng Seo Lử",
	"Lò Văn Tùng", "Nông Thị Hằng", "Đinh Văn Hùng", "Hà Thị Nguyệt",
};
static const char *const br_end_reasons[] = { "idle", "idle", "idle", "home", "exit" };

struct br_problem {
	const char *severity;
	const char *message;
};
static const struct br_problem br_problems[] = {
	{ "warning", "audio: underrun (buffer empty for 40 ms)" },
	{ "warning", "content: crc-03: thumbnail missing, using the first frame" },
	{ "warning", "clock: not synchronised after 10 minutes" },
	{ "warning", "storage: 91 % of the SD card used" },
	{ "error", "media: udhr-02/video.mp4: Invalid data found when processing input" },
	{ "error", "store: cannot commit: disk I/O error" },
	{ "error", "ui: font has no glyph for U+1EDD in 'Xơ Đăng'" },
	{ "warning", "touch: no events for 3 days" },
};

/* ------------------------------------------------------------------------
 * Random numbers (splitmix64: small, fast, the same on every machine)
 * ------------------------------------------------------------------------ */

struct br_rng {
	uint64_t s;
};

static uint64_t rng_next(struct br_rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unit(struct br_rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform integer in [lo, hi]. */
static int64_t rng_range(struct br_rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static bool rng_chance(struct br_rng *r, double p)
{
	return rng_unit(r) < p;
}

/* Split total into n integer parts in proportion to weight[] (exactly
 * total in all: each part is the rounded cumulative share minus the one
 * before). */
static void split_by_weight(int64_t total, const double *weight, int n, int64_t *out)
{
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += weight[i];
	double cum = 0;
	int64_t prev = 0;
	for (int i = 0; i < n; i++) {
		cum += weight[i];
		int64_t upto = sum > 0 ? (int64_t)(cum / sum * (double)total + 0.5) : 0;
		if (i == n - 1)
			upto = total;
		out[i] = upto - prev;
		prev = upto;
	}
}

/* ------------------------------------------------------------------------
 * Generating the logs
 * ------------------------------------------------------------------------ */

enum br_table {
	BR_SESSIONS, BR_VIEWS, BR_SWITCHES, BR_CONTESTS, BR_ATTEMPTS,
	BR_ANSWERS, BR_RUNS_T, BR_PROBLEMS, BR_LIBRARY, BR_TABLES
};

/* Column by column as store.c's schema (version 4) has them. */
static const char *const br_insert_sql[BR_TABLES] = {
	[BR_SESSIONS] = "INSERT INTO sessions(uuid, kiosk_id, site, lang, "
		"started_wall_ms, ended_wall_ms, end_reason, boot, started_boot_ms, "
		"ended_boot_ms, clock) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[BR_VIEWS] = "INSERT INTO views(uuid, session_uuid, kiosk_id, site, "
		"item_id, lang, started_wall_ms, boot, started_boot_ms, seconds, "
		"completed, clock, updated_wall_ms, parts_seen, parts_total) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
	[BR_SWITCHES] = "INSERT INTO lang_switches(uuid, session_uuid, kiosk_id, "
		"site, from_lang, to_lang, wall_ms, boot, boot_ms, clock) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[BR_CONTESTS] = "INSERT INTO contests(uuid, kiosk_id, site, class_name, "
		"topic, n_questions, seconds_per_question, started_wall_ms, boot, "
		"started_boot_ms, clock, ended_wall_ms, exported_wall_ms, "
		"cleared_wall_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
		"?11, ?12, ?13, ?14)",
	[BR_ATTEMPTS] = "INSERT INTO quiz_attempts(uuid, session_uuid, "
		"contest_uuid, kiosk_id, site, player, topic, lang, n_questions, "
		"started_wall_ms, boot, started_boot_ms, clock, ended_wall_ms, score, "
		"answered, seconds, completed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
		"?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
	[BR_ANSWERS] = "INSERT INTO quiz_answers(uuid, attempt_uuid, kiosk_id, "
		"site, position, question_id, question_lang, question_text, chosen, "
		"chosen_text, correct, timed_out, ms, wall_ms, boot, boot_ms, clock) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
		"?15, ?16, ?17)",
	[BR_RUNS_T] = "INSERT INTO runs(uuid, kiosk_id, site, version, "
		"started_wall_ms, boot, started_boot_ms, clock, alive_wall_ms, "
		"alive_boot_ms, errors, warnings, ended) VALUES (?1, ?2, ?3, ?4, ?5, "
		"?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[BR_PROBLEMS] = "INSERT INTO problems(uuid, run_uuid, kiosk_id, site, "
		"severity, message, wall_ms, boot, boot_ms, clock) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	/* first_run and last_run are set when the file ends (file_end) */
	[BR_LIBRARY] = "INSERT INTO library(kiosk_id, item_id, lang, item_kind, "
		"lang_kind, topics, title, first_run, last_run) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '', '')",
};

/* One log file being written: its own connection, in one transaction. */
struct br_file {
	char *path;
	sqlite3 *db;
	sqlite3_stmt *st[BR_TABLES];
};

/* One item of the library, the same on every kiosk. */
struct br_item {
	char id[32];
	char title[128];
	const char *topics;
	const char *kind;
	int duration_s;          /* video and audio: its length */
	int pages;               /* leaflet: its pages */
	double cum_weight;       /* popularity, cumulative (Zipf) */
};

/* Totals over every file, for the table. */
struct br_totals {
	int files;
	int64_t rows;            /* event rows in every file */
	int64_t events;          /* each event once */
	int64_t views;           /* each view once */
	int64_t undated_views;   /* logged with a clock that never synced */
	int64_t by_table[BR_TABLES];  /* events once each, per table */
};

/* The generator's state for one kiosk. */
struct br_gen {
	struct br_rng rng;
	struct br_file files[2]; /* [0] the full log, [1] the earlier export */
	int n_active;            /* files rows go to: 2 until the cut day */
	bool failed;             /* an insert failed (message printed) */
	const struct br_item *items;

	char kiosk_id[32];
	const char *site;
	const char *const *langs;    /* the region's minority languages */
	int n_langs;

	int64_t left;            /* events still to make today */
	int64_t boot;            /* boot counter */
	int64_t boot_wall_ms;    /* true wall time of this boot */
	int64_t sync_wall_ms;    /* true wall time the clock became good */
	int day_clock;           /* clock value once synced */
	int64_t last_wall_ms;    /* latest true time used */
	struct br_totals *tot;
};

/* Insert one row into every active file. fmt has one letter per column:
 * t text (const char *, NULL for NULL), i int64_t, d double, n NULL (no
 * argument). */
static void put(struct br_gen *g, enum br_table t, const char *fmt, ...)
{
	for (int f = 0; f < g->n_active; f++) {
		sqlite3_stmt *s = g->files[f].st[t];
		if ((int)strlen(fmt) != sqlite3_bind_parameter_count(s)) {
			fprintf(stderr, BR_PREFIX "table %d: %zu values for %d columns\n",
				(int)t, strlen(fmt), sqlite3_bind_parameter_count(s));
			g->failed = true;
			return;
		}
		va_list ap;
		va_start(ap, fmt);
		for (int i = 0; fmt[i]; i++) {
			int col = i + 1;
			if (fmt[i] == 't') {
				const char *v = va_arg(ap, const char *);
				if (v)
					sqlite3_bind_text(s, col, v, -1, SQLITE_STATIC);
				else
					sqlite3_bind_null(s, col);
			} else if (fmt[i] == 'i') {
				sqlite3_bind_int64(s, col, va_arg(ap, int64_t));
			} else if (fmt[i] == 'd') {
				sqlite3_bind_double(s, col, va_arg(ap, double));
			} else {
				sqlite3_bind_null(s, col);
			}
		}
		va_end(ap);
		if (sqlite3_step(s) != SQLITE_DONE && !g->failed) {
			fprintf(stderr, BR_PREFIX "%s: %s\n", g->files[f].path,
				sqlite3_errmsg(g->files[f].db));
			g->failed = true;
		}
		sqlite3_reset(s);
		if (t != BR_LIBRARY)
			g->tot->rows++;
		if (f == 0)     /* the full log has every event */
			g->tot->by_table[t]++;
	}
}

/* Take one event from today's budget; false when it is spent. */
static bool take(struct br_gen *g)
{
	if (g->left <= 0)
		return false;
	g->left--;
	g->tot->events++;
	return true;
}

/* How a moment (true wall time) is logged: the wall time the clock showed,
 * ms since boot and the clock's trust. */
struct br_stamp {
	int64_t wall_ms, boot_ms;
	int clock;
};

static struct br_stamp stamp(struct br_gen *g, int64_t true_ms)
{
	struct br_stamp s;
	if (true_ms > g->last_wall_ms)
		g->last_wall_ms = true_ms;
	s.boot_ms = true_ms - g->boot_wall_ms;
	if (true_ms < g->sync_wall_ms) {
		s.clock = STORE_CLOCK_UNSET;
		s.wall_ms = BR_UNSET_EPOCH_MS + s.boot_ms;
	} else {
		s.clock = g->day_clock;
		s.wall_ms = true_ms;
	}
	return s;
}

/* Create path with the kiosk's own schema, then open it for writing
 * rows in one transaction. */
static bool file_begin(struct br_file *f, const char *path, const char *kiosk_id)
{
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	unlink(path);
	struct store_identity id = { .kiosk_id = kiosk_id, .site = "" };
	enum log_level was = log_get_level();
	log_set_level(LOG_LEVEL_WARN);
	struct store *st = store_open(path, &id);
	store_close(st);
	log_set_level(was);
	if (!st) {
		fprintf(stderr, BR_PREFIX "%s: the store could not create it\n", path);
		return false;
	}
	if (sqlite3_open_v2(path, &f->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(f->db, "PRAGMA synchronous = NORMAL; BEGIN", NULL, NULL,
			 NULL) != SQLITE_OK) {
		fprintf(stderr, BR_PREFIX "%s: %s\n", path, sqlite3_errmsg(f->db));
		return false;
	}
	for (int t = 0; t < BR_TABLES; t++) {
		if (sqlite3_prepare_v3(f->db, br_insert_sql[t], -1, SQLITE_PREPARE_PERSISTENT,
				       &f->st[t], NULL) != SQLITE_OK) {
			fprintf(stderr, BR_PREFIX "%s: %s\n", path, sqlite3_errmsg(f->db));
			return false;
		}
	}
	return true;
}

/* The library's first run (the file's first) and latest run, the boot
 * counter, then commit and close. Accepts a file that never opened.
 * Returns false after a message when the commit failed. */
static bool file_end(struct br_file *f, const char *last_run, int64_t boot)
{
	bool ok = true;
	if (f->db) {
		for (int t = 0; t < BR_TABLES; t++)
			sqlite3_finalize(f->st[t]);
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(f->db, "UPDATE library SET first_run = "
				       "(SELECT uuid FROM runs ORDER BY rowid LIMIT 1), "
				       "last_run = ?1", -1, &s, NULL) == SQLITE_OK) {
			sqlite3_bind_text(s, 1, last_run, -1, SQLITE_STATIC);
			ok = sqlite3_step(s) == SQLITE_DONE;
		}
		sqlite3_finalize(s);
		s = NULL;
		if (ok && sqlite3_prepare_v2(f->db, "UPDATE meta SET value = ?1 "
					     "WHERE key = 'boot_counter'", -1, &s,
					     NULL) == SQLITE_OK) {
			sqlite3_bind_int64(s, 1, boot);
			ok = sqlite3_step(s) == SQLITE_DONE;
		}
		sqlite3_finalize(s);
		ok = ok && sqlite3_exec(f->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
		if (!ok)
			fprintf(stderr, BR_PREFIX "%s: %s\n", f->path, sqlite3_errmsg(f->db));
		sqlite3_close(f->db);
	}
	free(f->path);
	memset(f, 0, sizeof *f);
	return ok;
}

/* An item, by popularity. */
static const struct br_item *pick_item(struct br_gen *g)
{
	double x = rng_unit(&g->rng) * g->items[BR_ITEMS - 1].cum_weight;
	int lo = 0, hi = BR_ITEMS - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (g->items[mid].cum_weight > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return &g->items[lo];
}

/* Whether item i has media in lang (the same answer on every kiosk). */
static bool item_has_lang(int i, const char *lang)
{
	if (!strcmp(lang, "vi"))
		return true;
	uint64_t h = (uint64_t)i * UINT64_C(2654435761);
	for (const char *p = lang; *p; p++)
		h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
	h ^= h >> 29;
	return !strcmp(lang, "en") ? h % 100 < 50 : h % 100 < 35;
}

/* A visitor's language: mostly Vietnamese. */
static const char *pick_lang(struct br_gen *g)
{
	double x = rng_unit(&g->rng);
	if (x < 0.72)
		return "vi";
	if (x < 0.82)
		return "en";
	return g->langs[rng_range(&g->rng, 0, g->n_langs - 1)];
}

/* Answers of one quiz attempt from true time *t; fills score, answered
 * and seconds. */
static void quiz_answers(struct br_gen *g, const char *attempt, const char *topic,
			 const char *lang, int n_questions, double skill, int64_t *t,
			 int *score, int *answered, double *seconds)
{
	*score = *answered = 0;
	*seconds = 0;
	for (int q = 1; q <= n_questions && take(g); q++) {
		char uuid[STORE_UUID_LEN], qid[48], text[160], chosen[4], chosen_text[48];
		store_new_uuid(uuid);
		int qn = (int)rng_range(&g->rng, 1, 30);
		snprintf(qid, sizeof qid, "q-%s-%02d", topic ? topic : "chung", qn);
		snprintf(text, sizeof text, "Câu %d: điều nào sau đây đúng về quyền con người (%s)?",
			 qn, topic ? topic : "chung");
		bool timed_out = rng_chance(&g->rng, 0.03);
		bool correct = !timed_out && rng_chance(&g->rng, skill);
		int right = 1 + qn % 4;
		int choice = correct ? right : 1 + (right + (int)rng_range(&g->rng, 0, 2)) % 4;
		snprintf(chosen, sizeof chosen, "%d", timed_out ? 0 : choice);
		snprintf(chosen_text, sizeof chosen_text, "Đáp án %c", 'A' + choice - 1);
		int64_t ms = timed_out ? 30000 : rng_range(&g->rng, 3000, 25000);
		*t += ms;
		struct br_stamp s = stamp(g, *t);
		put(g, BR_ANSWERS, "ttttittttt" "iiiiiii", uuid, attempt, g->kiosk_id, g->site,
		    I64(q), qid, lang, text, timed_out ? "" : chosen,
		    timed_out ? NULL : chosen_text, I64(correct), I64(timed_out), ms,
		    s.wall_ms, g->boot, s.boot_ms, I64(s.clock));
		*t += rng_range(&g->rng, 2000, 15000);   /* reading the explanation */
		*score += correct;
		(*answered)++;
		*seconds += (double)ms / 1000.0;
	}
}

/* One visitor session from true time t; returns when it ended. The
 * session's own row was taken from the budget by the caller. */
static int64_t session(struct br_gen *g, int64_t t)
{
	char sess[STORE_UUID_LEN];
	store_new_uuid(sess);
	struct br_stamp s0 = stamp(g, t);
	const char *lang = pick_lang(g), *first_lang = lang;
	t += rng_range(&g->rng, 3000, 20000);    /* choosing a language */
	int n_views = (int)rng_range(&g->rng, 1, 5);
	for (int v = 0; v < n_views; v++) {
		if (v > 0 && rng_chance(&g->rng, 0.12) && take(g)) {
			const char *to = pick_lang(g);
			if (!strcmp(to, lang))
				to = strcmp(lang, "vi") ? "vi" : "en";
			char uuid[STORE_UUID_LEN];
			store_new_uuid(uuid);
			struct br_stamp s = stamp(g, t);
			put(g, BR_SWITCHES, "ttttttiiii", uuid, sess, g->kiosk_id, g->site,
			    lang, to, s.wall_ms, g->boot, s.boot_ms, I64(s.clock));
			lang = to;
			t += rng_range(&g->rng, 1000, 5000);
		}
		if (!take(g))
			break;
		const struct br_item *it = pick_item(g);
		int idx = (int)(it - g->items);
		const char *vlang = item_has_lang(idx, lang) ? lang : "vi";
		double seconds;
		bool completed;
		int64_t parts_seen = 0, parts_total = 0;
		if (it->duration_s) {
			completed = rng_chance(&g->rng, 0.45);
			seconds = completed ? it->duration_s
					    : it->duration_s * rng_unit(&g->rng) * 0.9 + 2;
		} else if (it->pages) {
			parts_total = it->pages;
			parts_seen = rng_range(&g->rng, 1, parts_total);
			completed = parts_seen == parts_total;
			seconds = (double)parts_seen * (double)rng_range(&g->rng, 8, 40);
		} else {
			seconds = (double)rng_range(&g->rng, 5, 120);
			completed = seconds >= 20;
		}
		seconds = (double)(int64_t)(seconds * 10) / 10.0;
		char uuid[STORE_UUID_LEN];
		store_new_uuid(uuid);
		struct br_stamp s = stamp(g, t);
		t += (int64_t)(seconds * 1000);
		struct br_stamp e = stamp(g, t);
		if (s.clock == STORE_CLOCK_UNSET && g->sync_wall_ms == INT64_MAX)
			g->tot->undated_views++;
		if (parts_total)
			put(g, BR_VIEWS, "ttttttiiidiiiii", uuid, sess, g->kiosk_id, g->site,
			    it->id, vlang, s.wall_ms, g->boot, s.boot_ms, seconds,
			    I64(completed), I64(s.clock), e.wall_ms, parts_seen, parts_total);
		else
			put(g, BR_VIEWS, "ttttttiiidiiinn", uuid, sess, g->kiosk_id, g->site,
			    it->id, vlang, s.wall_ms, g->boot, s.boot_ms, seconds,
			    I64(completed), I64(s.clock), e.wall_ms);
		g->tot->views++;
		t += rng_range(&g->rng, 2000, 15000);
	}
	if (rng_chance(&g->rng, 0.08) && take(g)) {
		char att[STORE_UUID_LEN];
		store_new_uuid(att);
		const char *topic = rng_chance(&g->rng, 0.3) ? NULL
			: br_themes[rng_range(&g->rng, 0, ARRAY_LEN(br_themes) - 1)].stem;
		int n_q = rng_chance(&g->rng, 0.6) ? 5 : 10;
		struct br_stamp s = stamp(g, t);
		int score, answered;
		double secs;
		quiz_answers(g, att, topic, lang, n_q, 0.65, &t, &score, &answered, &secs);
		struct br_stamp e = stamp(g, t);
		put(g, BR_ATTEMPTS, "ttnttntt" "iiiiiiii" "di", att, sess, g->kiosk_id, g->site,
		    topic, lang, I64(n_q), s.wall_ms, g->boot, s.boot_ms, I64(s.clock),
		    e.wall_ms, I64(score), I64(answered), secs, I64(answered == n_q));
	}
	t += rng_range(&g->rng, 0, 90000);       /* until the idle timeout */
	struct br_stamp e = stamp(g, t);
	put(g, BR_SESSIONS, "ttttiitiiii", sess, g->kiosk_id, g->site, first_lang,
	    s0.wall_ms, e.wall_ms, br_end_reasons[rng_range(&g->rng, 0, 4)], g->boot,
	    s0.boot_ms, e.boot_ms, I64(s0.clock));
	return t;
}

/* A class contest from true time t: a teacher's class takes turns; returns
 * when it ended. The contest's row was taken by the caller. */
static int64_t contest(struct br_gen *g, int64_t t)
{
	char cuuid[STORE_UUID_LEN];
	store_new_uuid(cuuid);
	char class_name[32];
	snprintf(class_name, sizeof class_name, "Lớp %d%c", (int)rng_range(&g->rng, 6, 9),
		 (char)('A' + rng_range(&g->rng, 0, 3)));
	const char *topic = rng_chance(&g->rng, 0.4) ? NULL
		: br_themes[rng_range(&g->rng, 0, ARRAY_LEN(br_themes) - 1)].stem;
	int n_q = 10, per_q = rng_chance(&g->rng, 0.5) ? 30 : 0;
	struct br_stamp s0 = stamp(g, t);
	int students = (int)rng_range(&g->rng, 12, 35);
	for (int i = 0; i < students && take(g); i++) {
		char att[STORE_UUID_LEN];
		store_new_uuid(att);
		const char *player = br_players[rng_range(&g->rng, 0, ARRAY_LEN(br_players) - 1)];
		struct br_stamp s = stamp(g, t);
		int score, answered;
		double secs;
		quiz_answers(g, att, topic, "vi", n_q, 0.5 + 0.4 * rng_unit(&g->rng), &t,
			     &score, &answered, &secs);
		struct br_stamp e = stamp(g, t);
		put(g, BR_ATTEMPTS, "tntttttt" "iiiiiiii" "di", att, cuuid, g->kiosk_id, g->site,
		    player, topic, "vi", I64(n_q), s.wall_ms, g->boot, s.boot_ms,
		    I64(s.clock), e.wall_ms, I64(score), I64(answered), secs,
		    I64(answered == n_q));
		t += rng_range(&g->rng, 5000, 30000);
	}
	struct br_stamp e = stamp(g, t);
	bool exported = rng_chance(&g->rng, 0.7);
	/* exported: a time, or NULL (then the time is not passed) */
	if (exported)
		put(g, BR_CONTESTS, "ttttt" "iiiiiiiii", cuuid, g->kiosk_id, g->site,
		    class_name, topic, I64(n_q), I64(per_q), s0.wall_ms, g->boot,
		    s0.boot_ms, I64(s0.clock), e.wall_ms, e.wall_ms + 60000,
		    e.wall_ms + 120000);
	else
		put(g, BR_CONTESTS, "ttttt" "iiiiiii" "ni", cuuid, g->kiosk_id, g->site,
		    class_name, topic, I64(n_q), I64(per_q), s0.wall_ms, g->boot,
		    s0.boot_ms, I64(s0.clock), e.wall_ms, e.wall_ms + 120000);
	return t;
}

/* One open day (one boot) of the kiosk with budget events; run_out gets
 * the uuid of its last run. last_day: the last day of the log (its run is
 * still going when the log is exported). */
static void day(struct br_gen *g, int64_t day_num, int64_t budget, bool last_day,
		bool new_version, char run_out[STORE_UUID_LEN])
{
	struct br_rng *r = &g->rng;
	g->left = budget;
	g->boot++;
	int64_t open_ms = day_num * BR_DAY_MS + BR_OPEN_MS - BR_TZ_MS;
	int64_t close_ms = day_num * BR_DAY_MS + BR_CLOSE_MS - BR_TZ_MS;
	g->boot_wall_ms = open_ms - rng_range(r, 60000, 600000);
	/* the clock today */
	double x = rng_unit(r);
	g->day_clock = STORE_CLOCK_SYNCED;
	g->sync_wall_ms = INT64_MIN;
	if (x < 0.09) {          /* no RTC, network late: unset, then synced */
		g->sync_wall_ms = open_ms + rng_range(r, 20, 150) * 60000;
	} else if (x < 0.12) {   /* unset, then staff confirmed the date */
		g->sync_wall_ms = open_ms + rng_range(r, 10, 60) * 60000;
		g->day_clock = STORE_CLOCK_CONFIRMED;
	} else if (x < 0.17) {   /* plausible, never synchronised */
		g->day_clock = STORE_CLOCK_UNCONFIRMED;
	} else if (x < 0.18) {   /* unset all day: rows nobody can date */
		g->sync_wall_ms = INT64_MAX;
	}

	/* the runs of this boot, their problems */
	bool crash = !last_day && budget >= 4 && rng_chance(r, 0.02);
	bool cut = !crash && !last_day && rng_chance(r, 0.04);
	int n_runs = crash ? 2 : 1;
	char runs[2][STORE_UUID_LEN];
	for (int i = 0; i < n_runs && take(g); i++)
		store_new_uuid(runs[i]);
	int errors = 0, warnings = 0;
	if (rng_chance(r, 0.15)) {
		errors = (int)rng_range(r, 0, 2);
		warnings = (int)rng_range(r, 1, 6);
	}
	int64_t run_start = g->boot_wall_ms + rng_range(r, 15000, 40000);
	struct br_stamp rs = stamp(g, run_start);
	for (int i = 0; i < errors + warnings && g->left > 1 && take(g); i++) {
		const struct br_problem *p;
		do
			p = &br_problems[rng_range(r, 0, ARRAY_LEN(br_problems) - 1)];
		while ((strcmp(p->severity, "error") == 0) != (i < errors));
		char uuid[STORE_UUID_LEN];
		store_new_uuid(uuid);
		struct br_stamp s = stamp(g, rng_range(r, open_ms, close_ms));
		put(g, BR_PROBLEMS, "ttttttiiii", uuid, runs[0], g->kiosk_id, g->site,
		    p->severity, p->message, s.wall_ms, g->boot, s.boot_ms, I64(s.clock));
	}

	/* visitors through opening hours; a class contest some school days */
	int64_t weekday = (day_num + 4) % 7;     /* 0 Sunday */
	int64_t n_sessions = g->left / 7 + 1;
	int64_t gap = (close_ms - open_ms) / (n_sessions + 1);
	int64_t t = open_ms + rng_range(r, 0, gap);
	int64_t contest_at = weekday >= 1 && weekday <= 5 && rng_chance(r, 0.05)
			     ? open_ms + rng_range(r, 60, 180) * 60000 : INT64_MAX;
	while (g->left > 0) {
		if (t >= contest_at) {
			contest_at = INT64_MAX;
			if (take(g))
				t = contest(g, t) + rng_range(r, 60000, 600000);
			continue;
		}
		take(g);
		int64_t end = session(g, t);
		int64_t next = t + (int64_t)((double)gap * (0.2 + 1.6 * rng_unit(r)));
		t = next > end ? next : end + 1000;
	}

	/* the runs' rows, now that their last sign of life is known */
	int64_t end_ms = g->last_wall_ms > close_ms ? g->last_wall_ms : close_ms;
	end_ms += rng_range(r, 60000, 900000);
	const char *version = new_version ? "1.4.0" : "1.3.2";
	if (crash) {
		int64_t crash_ms = rng_range(r, open_ms + 3600000, close_ms - 3600000);
		struct br_stamp a = stamp(g, crash_ms);
		put(g, BR_RUNS_T, "ttttiiiiiiiit", runs[0], g->kiosk_id, g->site, version,
		    rs.wall_ms, g->boot, rs.boot_ms, I64(rs.clock), a.wall_ms, a.boot_ms,
		    I64(errors), I64(warnings), "crash");
		struct br_stamp s2 = stamp(g, crash_ms + 40000);
		struct br_stamp a2 = stamp(g, end_ms);
		put(g, BR_RUNS_T, "ttttiiiiiiiit", runs[1], g->kiosk_id, g->site, version,
		    s2.wall_ms, g->boot, s2.boot_ms, I64(s2.clock), a2.wall_ms, a2.boot_ms,
		    I64(0), I64(0), "clean");
	} else {
		struct br_stamp a = stamp(g, end_ms);
		put(g, BR_RUNS_T, "ttttiiiiiiiit", runs[0], g->kiosk_id, g->site, version,
		    rs.wall_ms, g->boot, rs.boot_ms, I64(rs.clock), a.wall_ms, a.boot_ms,
		    I64(errors), I64(warnings), last_day ? NULL : cut ? "cut" : "clean");
	}
	memcpy(run_out, runs[n_runs - 1], STORE_UUID_LEN);
}

/* What one kiosk's log holds: its id, its budget, the files. */
struct br_kiosk_plan {
	int index;
	int64_t events;
	const char *path;            /* the full log */
	const char *early_path;      /* the earlier export, or NULL */
	int64_t cut_day;             /* first day not in the earlier export */
};

/* Write one kiosk's log (and its earlier export). Returns false after a
 * message. */
static bool gen_kiosk(const struct br_kiosk_plan *plan, int days, uint64_t seed,
		      const struct br_item *items, struct br_totals *tot)
{
	struct br_gen g;
	memset(&g, 0, sizeof g);
	g.rng.s = seed * UINT64_C(1000003) + (uint64_t)plan->index;
	g.items = items;
	g.tot = tot;
	snprintf(g.kiosk_id, sizeof g.kiosk_id, "kiosk-%02d", plan->index + 1);
	bool north = plan->index % 2 == 0;
	g.langs = north ? br_langs_north : br_langs_highlands;
	g.n_langs = north ? (int)ARRAY_LEN(br_langs_north) : (int)ARRAY_LEN(br_langs_highlands);
	const char *const *sites = north ? br_sites_north : br_sites_highlands;
	size_t n_site_names = north ? ARRAY_LEN(br_sites_north) : ARRAY_LEN(br_sites_highlands);

	bool ok = file_begin(&g.files[0], plan->path, g.kiosk_id);
	g.n_active = 1;
	if (ok && plan->early_path) {
		ok = file_begin(&g.files[1], plan->early_path, g.kiosk_id);
		g.n_active = 2;
	}
	int64_t first_day;
	date_parse_days(BR_FIRST_DAY, &first_day);

	/* the sites of the year: 1 to 6, in blocks of days; two days closed
	 * at each move, and a tenth of the other days */
	int n_sites = (int)rng_range(&g.rng, 1, 6);
	int site_first = (int)rng_range(&g.rng, 0, (int64_t)n_site_names - 1);
	double *weight = xcalloc((size_t)days, sizeof *weight);
	int64_t *budget = xcalloc((size_t)days, sizeof *budget);
	int *site_of = xcalloc((size_t)days, sizeof *site_of);
	bool any_open = false;
	for (int d = 0; d < days; d++) {
		site_of[d] = (int)((int64_t)d * n_sites / days);
		bool moving = d > 0 && site_of[d] != site_of[d - 1];
		if (moving || (d > 1 && site_of[d - 1] != site_of[d - 2]))
			continue;
		if (rng_chance(&g.rng, 0.1))
			continue;
		int64_t weekday = (first_day + d + 4) % 7;
		weight[d] = (weekday == 0 || weekday == 6 ? 1.5 : 1.0) *
			    (0.6 + 0.8 * rng_unit(&g.rng));
		any_open = true;
	}
	if (!any_open)
		weight[days - 1] = 1;
	split_by_weight(plan->events, weight, days, budget);
	int last_open = days - 1;
	while (last_open > 0 && budget[last_open] == 0)
		last_open--;
	int version_day = (int)rng_range(&g.rng, days / 3, 2 * days / 3);

	/* the library, listed at the first start */
	for (int i = 0; ok && i < BR_ITEMS; i++) {
		const char *tags[8] = { "vi", "en" };
		int n_tags = 2;
		for (int l = 0; l < g.n_langs; l++)
			tags[n_tags++] = g.langs[l];
		for (int l = 0; l < n_tags; l++) {
			if (!item_has_lang(i, tags[l]))
				continue;
			const char *lk = l == 0 ? "national" : l == 1 ? "foreign" : "minority";
			put(&g, BR_LIBRARY, "ttttttt", g.kiosk_id, items[i].id, tags[l],
			    items[i].kind, lk, items[i].topics, items[i].title);
		}
	}

	char run[STORE_UUID_LEN] = "", early_run[STORE_UUID_LEN] = "";
	int64_t early_boot = 0;
	for (int d = 0; ok && !g.failed && d < days; d++) {
		if (g.n_active == 2 && d >= plan->cut_day) {
			/* the earlier export was taken the evening before */
			ok = file_end(&g.files[1], early_run, early_boot);
			g.n_active = 1;
			tot->files++;
		}
		if (budget[d] == 0)
			continue;
		g.site = sites[(site_first + site_of[d]) % (int)n_site_names];
		day(&g, first_day + d, budget[d], d == last_open, d >= version_day, run);
		if (g.n_active == 2) {
			memcpy(early_run, run, sizeof run);
			early_boot = g.boot;
		}
	}
	if (g.n_active == 2) {
		ok = file_end(&g.files[1], early_run, early_boot) && ok;
		tot->files++;
	}
	ok = file_end(&g.files[0], run, g.boot) && ok;
	tot->files++;
	free(weight);
	free(budget);
	free(site_of);
	return ok && !g.failed;
}

/* The library's items and their popularity. */
static void make_items(struct br_item *items)
{
	double cum = 0;
	for (int i = 0; i < BR_ITEMS; i++) {
		const struct br_theme *th = &br_themes[i / BR_PARTS];
		int part = i % BR_PARTS + 1;
		struct br_item *it = &items[i];
		snprintf(it->id, sizeof it->id, "%s-%02d", th->stem, part);
		snprintf(it->title, sizeof it->title, "%s (phần %d)", th->title, part);
		it->topics = th->topics;
		it->kind = br_kinds[(i + i / 4) % 4];
		it->duration_s = !strcmp(it->kind, "video") || !strcmp(it->kind, "audio")
				 ? 60 + (i * 37) % 540 : 0;
		it->pages = !strcmp(it->kind, "leaflet") ? 4 + i % 13 : 0;
		/* popularity: Zipf over a fixed shuffle of the items */
		int rank = (i * 23) % BR_ITEMS;
		cum += 1.0 / (rank + 3);
		it->cum_weight = cum;
	}
}

/* ------------------------------------------------------------------------
 * Running the programs
 * ------------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

/* Medians of BR_RUNS runs. */
struct br_measure {
	bool ran;                /* every run exited 0 */
	bool missing;            /* the program is not installed */
	double wall_s, cpu_s, peak_mb;
};

/* Run argv BR_RUNS times, output into out_path each time; print the tail
 * of the output when a run fails. */
static void measure(char *const *argv, const char *out_path, const char *label,
		    struct br_measure *m)
{
	double wall[BR_RUNS], cpu[BR_RUNS], rss[BR_RUNS];
	memset(m, 0, sizeof *m);
	for (int i = 0; i < BR_RUNS; i++) {
		printf("  %s, run %d of %d ...", label, i + 1, BR_RUNS);
		fflush(stdout);
		struct child_usage use;
		int rc = run_child_into(argv, out_path, &use, &m->missing);
		if (rc != 0) {
			printf(" %s\n", m->missing ? "not installed" : "FAILED");
			if (!m->missing) {
				size_t len = 0;
				char *text = file_read_all(out_path, &len);
				fprintf(stderr, BR_PREFIX "%s exited with %d; its output ends:\n%s\n",
					argv[0], rc, text ? (len > 2000 ? text + len - 2000 : text)
							  : "(none)");
				free(text);
			}
			return;
		}
		printf(" %.2f s, %.0f MB\n", use.wall_s, use.peak_rss_mb);
		wall[i] = use.wall_s;
		cpu[i] = use.cpu_s;
		rss[i] = use.peak_rss_mb;
	}
	m->ran = true;
	m->wall_s = median(wall, BR_RUNS);
	m->cpu_s = median(cpu, BR_RUNS);
	m->peak_mb = median(rss, BR_RUNS);
}

/* The --config this program was started with (from /proc/self/cmdline),
 * or NULL. Caller frees. */
static char *own_config(void)
{
	size_t len = 0;
	char *cmd = file_read_all("/proc/self/cmdline", &len);
	if (!cmd)
		return NULL;
	char *found = NULL;
	const char *end = cmd + len;
	const char *a = cmd + strlen(cmd) + 1;   /* past the program */
	while (a < end && a[0] == '-') {
		const char *next = a + strlen(a) + 1;
		if (!strcmp(a, "--config") && next < end) {
			found = xstrdup(next);
			break;
		}
		a = next;
	}
	free(cmd);
	return found;
}

/* The peak RSS of `kiosk report --help`: the program's libraries and
 * set-up, before any work; 0 when it cannot be run. */
static double report_startup_mb(const char *exe, const char *config,
				const char *out_path)
{
	char *with[] = { (char *)exe, "--config", (char *)config, "report", "--help", NULL };
	char *plain[] = { (char *)exe, "report", "--help", NULL };
	struct child_usage use;
	bool missing;
	if (run_child_into(config ? with : plain, out_path, &use, &missing) != 0)
		return 0;
	return use.peak_rss_mb;
}

/* ------------------------------------------------------------------------
 * Reading the two results (csvread) and comparing them
 * ------------------------------------------------------------------------ */

/* Views of one item (or item and language). */
struct br_count {
	char *key;
	int64_t views;
};

struct br_counts {
	struct br_count *v;
	size_t n, cap;
	int64_t total;
	char *top_line;          /* the first row as read (report), or NULL */
};

static void counts_add(struct br_counts *c, const char *key, int64_t views)
{
	c->total += views;
	for (size_t i = 0; i < c->n; i++) {
		if (!strcmp(c->v[i].key, key)) {
			c->v[i].views += views;
			return;
		}
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n].key = xstrdup(key);
	c->v[c->n++].views = views;
}

static int64_t counts_get(const struct br_counts *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].key, key))
			return c->v[i].views;
	return 0;
}

static const struct br_count *counts_top(const struct br_counts *c)
{
	const struct br_count *top = NULL;
	for (size_t i = 0; i < c->n; i++)
		if (!top || c->v[i].views > top->views)
			top = &c->v[i];
	return top;
}

static void counts_free(struct br_counts *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].key);
	free(c->v);
	free(c->top_line);
	memset(c, 0, sizeof *c);
}

/* The CSV file at path (csvread_free), or NULL after a message. */
static struct csvread_table *read_csv(const char *path)
{
	char *err = NULL;
	struct csvread_table *t = csvread_file(path, &err);
	if (!t) {
		fprintf(stderr, BR_PREFIX "%s\n", err);
		free(err);
	}
	return t;
}

/* Views per item from a report CSV: the columns named item_id (or item)
 * and views, wherever they are; the first table of the file (up to a
 * blank line or a shorter row). out->top_line is the first row under the
 * header as written. False after a message when the file or a column is
 * missing. */
static bool read_report_items(const char *path, struct br_counts *out)
{
	struct csvread_table *t = read_csv(path);
	if (!t)
		return false;
	const struct csvread_row *h = t->n_rows ? &t->rows[0] : NULL;
	int ci = csvread_column(h, "item_id");
	if (ci < 0)
		ci = csvread_column(h, "item");
	int cv = csvread_column(h, "views");
	bool ok = ci >= 0 && cv >= 0;
	if (!ok)
		fprintf(stderr, BR_PREFIX "%s: no item_id and views columns in its header\n",
			path);
	size_t need = (size_t)(ci > cv ? ci : cv) + 1;
	for (size_t i = 1; ok && i < t->n_rows && t->rows[i].n_cells >= need; i++) {
		const struct csvread_row *r = &t->rows[i];
		if (!out->top_line)
			out->top_line = xasprintf("%.*s", (int)r->text_len, r->text);
		counts_add(out, r->cells[ci], strtoll(r->cells[cv], NULL, 10));
	}
	csvread_free(t);
	return ok;
}

/* The sqlite3 tool's rows: item_id, lang, views, seconds, completed. Fills
 * per item and per item and language. */
static bool read_reference(const char *path, struct br_counts *items,
			   struct br_counts *item_langs)
{
	struct csvread_table *t = read_csv(path);
	if (!t)
		return false;
	bool ok = true;
	for (size_t i = 0; i < t->n_rows; i++) {
		const struct csvread_row *r = &t->rows[i];
		if (r->n_cells != 5) {
			fprintf(stderr, BR_PREFIX "%s: unexpected line from sqlite3: %s\n",
				path, r->n_cells ? r->cells[0] : "");
			ok = false;
			break;
		}
		int64_t v = strtoll(r->cells[2], NULL, 10);
		counts_add(items, r->cells[0], v);
		char *key = xasprintf("%s / %s", r->cells[0], r->cells[1]);
		counts_add(item_langs, key, v);
		free(key);
	}
	csvread_free(t);
	return ok;
}

/* ------------------------------------------------------------------------
 * The reference script
 * ------------------------------------------------------------------------ */

/* path as an SQL string literal body (quotes doubled). Caller frees. */
static char *sql_quote(const char *s)
{
	char *out = xmalloc(strlen(s) * 2 + 1), *o = out;
	for (; *s; s++) {
		if (*s == '\'')
			*o++ = '\'';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* Write the sqlite3 tool's script: every file's views merged into one
 * table keyed by uuid (attached one at a time: the tool attaches at most
 * 10 by default), then views, seconds and completed views per item and
 * language. */
static bool write_reference_sql(const char *path, char **files, int n)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, BR_PREFIX "%s: %s\n", path, strerror(errno));
		return false;
	}
	fputs(".bail on\n.mode csv\n.headers off\n"
	      "CREATE TABLE v(uuid TEXT PRIMARY KEY NOT NULL, item_id TEXT, lang TEXT,\n"
	      "  seconds REAL NOT NULL, completed INTEGER NOT NULL);\n", f);
	for (int i = 0; i < n; i++) {
		char *q = sql_quote(files[i]);
		fprintf(f, "ATTACH '%s' AS src;\n"
			"INSERT INTO v SELECT uuid, item_id, lang, seconds, completed\n"
			"  FROM src.views WHERE true\n"
			"  ON CONFLICT(uuid) DO UPDATE SET seconds = max(seconds, excluded.seconds),\n"
			"  completed = max(completed, excluded.completed);\n"
			"DETACH src;\n", q);
		free(q);
	}
	fputs("SELECT item_id, lang, count(*), total(seconds), total(completed)\n"
	      "  FROM v GROUP BY item_id, lang ORDER BY item_id, lang;\n", f);
	bool ok = fclose(f) == 0;
	if (!ok)
		fprintf(stderr, BR_PREFIX "%s: %s\n", path, strerror(errno));
	return ok;
}

/* ------------------------------------------------------------------------
 * kiosk bench report
 * ------------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fputs("usage: kiosk bench report [--kiosks N] [--events N] [--days N] [--seed N]\n"
	      "                          [--dir DIR] [--keep]\n"
	      "  Generate a year of logs (default 50 kiosks, 1000000 events, 365\n"
	      "  days; a tenth of the kiosks also with an earlier export), then run\n"
	      "  `kiosk report -o` on them and the sqlite3 tool on the same\n"
	      "  aggregate, 3 times each: median time and peak RSS beside the\n"
	      "  targets (<= 5 s, <= 200 MB), and a check that both count the same\n"
	      "  views per item. Files go to DIR (default: a new directory in\n"
	      "  $TMPDIR or /tmp), removed at the end unless --keep. Exit status 1\n"
	      "  when a run failed, the counts disagree or a target was missed.\n"
	      "  The reference needs the sqlite3 tool (apt-get install sqlite3).\n", f);
}

/* Parse a positive integer option value; false after a message. */
static bool parse_count(const char *name, const char *value, int64_t min, int64_t *out)
{
	char *end = NULL;
	long long v = value ? strtoll(value, &end, 10) : 0;
	if (!value || *end || v < min) {
		fprintf(stderr, BR_PREFIX "%s needs a number of at least %lld\n", name,
			(long long)min);
		return false;
	}
	*out = v;
	return true;
}

/* 1,234,567 */
static const char *grouped(int64_t v, char *buf, size_t size)
{
	char digits[32];
	int n = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
	size_t o = 0;
	if (v < 0 && o + 1 < size)
		buf[o++] = '-';
	for (int i = 0; i < n && o + 2 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

int bench_report(int argc, char **argv)
{
	int64_t kiosks = 50, events = 1000000, days = 365, seed = 1;
	const char *dir_opt = NULL;
	bool keep = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok = true;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--kiosks")) {
			ok = parse_count(a, v, 1, &kiosks);
			i++;
		} else if (!strcmp(a, "--events")) {
			ok = parse_count(a, v, 1, &events);
			i++;
		} else if (!strcmp(a, "--days")) {
			ok = parse_count(a, v, 1, &days);
			i++;
		} else if (!strcmp(a, "--seed")) {
			ok = parse_count(a, v, 0, &seed);
			i++;
		} else if (!strcmp(a, "--dir") && v) {
			dir_opt = v;
			i++;
		} else if (!strcmp(a, "--keep")) {
			keep = true;
		} else {
			ok = false;
			usage(stderr);
		}
		if (!ok)
			return 2;
	}
	if (kiosks > 999 || days > 3650) {
		fprintf(stderr, BR_PREFIX "at most 999 kiosks and 3650 days\n");
		return 2;
	}

	/* where everything goes */
	char *dir;
	if (dir_opt) {
		if (!mkdir_parents(dir_opt)) {
			fprintf(stderr, BR_PREFIX "%s: %s\n", dir_opt, strerror(errno));
			return 1;
		}
		dir = xstrdup(dir_opt);
	} else {
		const char *tmp = getenv("TMPDIR");
		char *tmpl = path_join(tmp && *tmp ? tmp : "/tmp", "kiosk-bench-report-XXXXXX");
		if (!bench_tmpdir(tmpl)) {
			free(tmpl);
			return 1;
		}
		dir = tmpl;
	}
	char *logs = path_join(dir, "logs");
	char *out_dir = path_join(dir, "report");
	char *ref_sql = path_join(dir, "reference.sql");
	char *ref_csv = path_join(dir, "reference.csv");
	char *report_log = path_join(dir, "report-output.txt");
	int status = 0;
	if (!mkdir_parents(logs) || !mkdir_parents(out_dir)) {
		fprintf(stderr, BR_PREFIX "%s: %s\n", dir, strerror(errno));
		status = 1;
	}

	/* 1. the logs */
	int n_early = 0;
	struct br_kiosk_plan *plans = xcalloc((size_t)kiosks, sizeof *plans);
	double *kw = xcalloc((size_t)kiosks, sizeof *kw);
	int64_t *kev = xcalloc((size_t)kiosks, sizeof *kev);
	struct br_rng rng = { (uint64_t)seed };
	for (int k = 0; k < kiosks; k++)
		kw[k] = 0.5 + rng_unit(&rng);
	split_by_weight(events, kw, (int)kiosks, kev);
	char **files = xcalloc((size_t)kiosks * 2 + 1, sizeof *files);
	int n_files = 0;
	for (int k = 0; k < kiosks; k++) {
		struct br_kiosk_plan *p = &plans[k];
		p->index = k;
		p->events = kev[k];
		char name[64];
		snprintf(name, sizeof name, "kiosk-%02d.sqlite", k + 1);
		files[n_files++] = path_join(logs, name);
		p->path = files[n_files - 1];
		if (k % BR_EXPORT_EVERY == BR_EXPORT_EVERY / 2 - 1 || (kiosks < BR_EXPORT_EVERY && k == 0)) {
			p->cut_day = days - days / 10;
			snprintf(name, sizeof name, "kiosk-%02d-export-day%03lld.sqlite", k + 1,
				 (long long)p->cut_day);
			files[n_files++] = path_join(logs, name);
			p->early_path = files[n_files - 1];
			n_early++;
		}
	}
	struct br_item items[BR_ITEMS];
	make_items(items);
	struct br_totals tot = { 0 };
	char b1[32], b2[32], b3[32];
	printf("kiosk bench report: generating %s events of %lld kiosks over %lld days "
	       "(seed %lld) in %s ...\n", grouped(events, b1, sizeof b1), (long long)kiosks,
	       (long long)days, (long long)seed, logs);
	fflush(stdout);
	int64_t g0 = time_mono_ms();
	for (int k = 0; !status && k < kiosks; k++)
		if (!gen_kiosk(&plans[k], (int)days, (uint64_t)seed, items, &tot))
			status = 1;
	double gen_s = (double)(time_mono_ms() - g0) / 1000.0;
	free(kw);
	free(kev);
	if (!status) {
		printf("  %d files (%d of them earlier exports) in %.1f s: %s event rows, "
		       "%s events once each, %s views\n", tot.files, n_early, gen_s,
		       grouped(tot.rows, b1, sizeof b1), grouped(tot.events, b2, sizeof b2),
		       grouped(tot.views, b3, sizeof b3));
		static const char *const names[BR_TABLES] = {
			"sessions", "views", "language switches", "contests",
			"quiz attempts", "quiz answers", "runs", "problems", NULL,
		};
		printf("   ");
		for (int t = 0; t < BR_LIBRARY; t++)
			printf(" %s %s%s", names[t], grouped(tot.by_table[t], b1, sizeof b1),
			       t < BR_LIBRARY - 1 ? "," : "");
		printf("\n    and %s library rows (items and languages on offer)\n",
		       grouped(tot.by_table[BR_LIBRARY], b1, sizeof b1));
		if (tot.events != events) {
			fprintf(stderr, BR_PREFIX "made %lld events, not %lld\n",
				(long long)tot.events, (long long)events);
			status = 1;
		}
	}

	/* 2. kiosk report, 3. the sqlite3 tool */
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (!status && n <= 0) {
		fprintf(stderr, BR_PREFIX "cannot find my own program\n");
		status = 1;
	}
	exe[n > 0 ? n : 0] = '\0';
	char *config = own_config();
	struct br_measure rep = { 0 }, ref = { 0 };
	double floor_mb = 0, startup_mb = 0;
	if (!status) {
		/* what a child started this way holds before it does anything */
		char *true_argv[] = { "true", NULL };
		struct child_usage use;
		bool missing;
		if (run_child_into(true_argv, report_log, &use, &missing) == 0)
			floor_mb = use.peak_rss_mb;
		startup_mb = report_startup_mb(exe, config, report_log);
		char **av = xcalloc((size_t)n_files + 8, sizeof *av);
		int a = 0;
		av[a++] = exe;
		if (config) {
			av[a++] = "--config";
			av[a++] = config;
		}
		av[a++] = "report";
		av[a++] = "-o";
		av[a++] = out_dir;
		for (int i = 0; i < n_files; i++)
			av[a++] = files[i];
		av[a] = NULL;
		printf("measuring (%d runs each, median) ...\n", BR_RUNS);
		measure(av, report_log, "kiosk report -o", &rep);
		free(av);
		if (!rep.ran)
			status = 1;

		if (write_reference_sql(ref_sql, files, n_files)) {
			char *cmd = xasprintf(".read %s", ref_sql);
			char *rv[] = { "sqlite3", "-bail", "-batch", ":memory:", cmd, NULL };
			measure(rv, ref_csv, "sqlite3 tool", &ref);
			free(cmd);
		}
		if (ref.missing)
			printf("  sqlite3 tool MISSING: no reference (apt-get install sqlite3)\n");
		if (!ref.ran)
			status = 1;
	}

	/* 4. the table and the check */
	if (rep.ran) {
		bool time_ok = rep.wall_s <= BR_TARGET_S, mem_ok = rep.peak_mb <= BR_TARGET_MB;
		/* on a busy machine wall time is not CPU time: say how busy */
		char *load = file_read_all("/proc/loadavg", NULL);
		double l1 = 0;
		if (!load || sscanf(load, "%lf", &l1) != 1)
			l1 = -1;
		free(load);
		printf("\nyearly report of %lld kiosks, %lld days (load average %.1f on %ld CPUs)\n",
		       (long long)kiosks, (long long)days, l1, sysconf(_SC_NPROCESSORS_ONLN));
		printf("  %-36s %12s\n", "events (each once)", grouped(tot.events, b1, sizeof b1));
		printf("  %-36s %12s  (%s in two files)\n", "event rows in the files",
		       grouped(tot.rows, b1, sizeof b1),
		       grouped(tot.rows - tot.events, b2, sizeof b2));
		printf("  %-36s %12d  (%d earlier exports)\n", "files", n_files, n_early);
		printf("  %-36s %12.2f  target <= %.0f  %s\n",
		       "kiosk report -o, s", rep.wall_s,
		       BR_TARGET_S, time_ok ? "PASS" : "FAIL");
		printf("  %-36s %12.0f  target <= %.0f  %s\n", "kiosk report peak RSS, MB",
		       rep.peak_mb, BR_TARGET_MB, mem_ok ? "PASS" : "FAIL");
		printf("  %-36s %12.2f\n", "kiosk report CPU, s", rep.cpu_s);
		if (ref.ran) {
			printf("  %-36s %12.2f  (peak %.0f MB, CPU %.2f s)\n",
			       "sqlite3 tool (views only), s", ref.wall_s, ref.peak_mb, ref.cpu_s);
			printf("  %-36s %12.2f  (CPU time: %.2f)\n", "ratio kiosk report / sqlite3",
			       ref.wall_s > 0 ? rep.wall_s / ref.wall_s : 0,
			       ref.cpu_s > 0 ? rep.cpu_s / ref.cpu_s : 0);
		} else {
			printf("  %-36s %12s\n", "sqlite3 tool (views only), s",
			       ref.missing ? "MISSING" : "FAILED");
		}
		printf("  (peak RSS is ru_maxrss from wait4, children forked then exec'd;\n"
		       "  `true` started the same way: %.0f MB; `kiosk report --help`: %.0f MB)\n",
		       floor_mb, startup_mb);
		if (!time_ok || !mem_ok)
			status = 1;
	}
	if (rep.ran) {
		/* what the report said it merged (its last progress line) */
		char *text = file_read_all(report_log, NULL);
		char *line = text ? strstr(text, " distinct ") : NULL;
		if (line) {
			while (line > text && line[-1] != '\n')
				line--;
			line[strcspn(line, "\n")] = '\0';
			printf("  kiosk report said: %s\n", line);
		}
		free(text);
	}
	if (rep.ran && ref.ran) {
		struct br_counts rep_items = { 0 }, ref_items = { 0 }, ref_il = { 0 };
		char *items_csv = path_join(out_dir, "report-items.csv");
		bool ok = read_report_items(items_csv, &rep_items) &&
			  read_reference(ref_csv, &ref_items, &ref_il);
		if (ok) {
			const struct br_count *rt = counts_top(&ref_items);
			const struct br_count *rtl = counts_top(&ref_il);
			printf("\nmost viewed\n");
			printf("  sqlite3 tool:      %s, %s views (top item and language: %s, %s)\n",
			       rt ? rt->key : "-", grouped(rt ? rt->views : 0, b1, sizeof b1),
			       rtl ? rtl->key : "-", grouped(rtl ? rtl->views : 0, b2, sizeof b2));
			printf("  report-items.csv first row: %s\n",
			       rep_items.top_line ? rep_items.top_line : "(none)");
			size_t bad = 0;
			for (size_t i = 0; i < ref_items.n; i++) {
				int64_t r = counts_get(&rep_items, ref_items.v[i].key);
				if (r != ref_items.v[i].views && bad++ < 5)
					printf("  DIFFERENT: %s: kiosk report %lld, sqlite3 %lld\n",
					       ref_items.v[i].key, (long long)r,
					       (long long)ref_items.v[i].views);
			}
			for (size_t i = 0; i < rep_items.n; i++) {
				int64_t r = counts_get(&ref_items, rep_items.v[i].key);
				if (r == 0 && rep_items.v[i].views != 0 && bad++ < 5)
					printf("  DIFFERENT: %s: kiosk report %lld, sqlite3 0\n",
					       rep_items.v[i].key, (long long)rep_items.v[i].views);
			}
			bool gen_ok = ref_items.total == tot.views;
			printf("  views per item: %zu items, %s views in all: %s\n", ref_items.n,
			       grouped(ref_items.total, b1, sizeof b1),
			       bad ? "DISAGREE" : "kiosk report and sqlite3 agree");
			if (!gen_ok)
				printf("  DIFFERENT: %s views were generated\n",
				       grouped(tot.views, b1, sizeof b1));
			if (bad || !gen_ok || rep_items.total != ref_items.total)
				status = 1;
		} else {
			status = 1;
		}
		if (tot.undated_views)
			printf("  (%s views were logged on boots whose clock never synced)\n",
			       grouped(tot.undated_views, b1, sizeof b1));
		free(items_csv);
		counts_free(&rep_items);
		counts_free(&ref_items);
		counts_free(&ref_il);
	}

	if (keep) {
		printf("files kept in %s\n", dir);
	} else {
		path_remove_tree(logs);
		path_remove_tree(out_dir);
		unlink(ref_sql);
		unlink(ref_csv);
		unlink(report_log);
		rmdir(dir);
	}
	for (int i = 0; i < n_files; i++)
		free(files[i]);
	free(files);
	free(plans);
	free(config);
	free(logs);
	free(out_dir);
	free(ref_sql);
	free(ref_csv);
	free(report_log);
	free(dir);
	return status;
}
