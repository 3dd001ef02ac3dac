/*
 * store: the kiosk's log in SQLite (see store.h).
 *
 * Schema notes. The version lives in PRAGMA user_version; migrations[] below
 * holds one SQL step per version, applied in order inside a transaction
 * that also sets user_version, so a later version only appends a step.
 *
 * Version 1:
 *   meta(key, value)      boot_id, boot_counter, clock_confirmed_boot
 *   sessions              one row per visitor session
 *   views                 one row per view; seconds/completed updated by
 *                         store_view_end
 *   lang_switches         one row per language switch
 * Version 3 (class contests and quizzes):
 *   contests              one row per class contest a teacher started;
 *                         ended/exported/cleared times set later
 *   quiz_attempts         one row per quiz taken (solo: no contest, no
 *                         player); score and seconds updated at its end
 *   quiz_answers          one row per question answered: the question as
 *                         shown, the choices picked (numbers in the bank's
 *                         order, so translations count together), their
 *                         text, right or wrong, the time taken
 * Version 4 (health and the library, for the yearly report):
 *   runs                  one row per start of the kiosk program: version,
 *                         the last sign of life (every STORE_ALIVE_MS) with
 *                         the errors and warnings logged so far, and how
 *                         it ended: 'clean' (store_close), or, set by the
 *                         next run, 'crash' (same boot) or 'cut' (the
 *                         system went down: a power cut or a reset)
 *   problems              the errors and warnings the kiosk logged, at most
 *                         STORE_PROBLEMS_PER_RUN per run
 *   library               what the kiosk offers: one row per item and
 *                         language it has media in, with the item's kind,
 *                         the language's kind, topics and title, and the
 *                         first and the latest run that listed it (a run
 *                         is dated like an event, so a report places the
 *                         listing even when the clock was unset). Keyed by
 *                         kiosk, item and language: it is state, not an
 *                         event.
 * Version 5 (the operator menu):
 *   operator_actions      every action taken in the operator menu (a PIN
 *                         accepted or refused, a setting changed, a pack
 *                         imported or refused, a rollback, an export, a
 *                         restart...): a short action name and its detail
 * Every event row has a UUID primary key (so merged logs can be deduplicated),
 * the kiosk id and site, the wall-clock time in ms since the epoch, the boot
 * counter, ms since boot (CLOCK_BOOTTIME) and the clock trust (enum
 * store_clock) at the time it was logged. A report can place a row logged
 * before the date was set by taking the offset between wall time and boot
 * time from a trusted row of the same boot.
 *
 * Threads. store_log_* callers only copy the event into a queue guarded by
 * st->lock. The logging thread alone uses the database connection between
 * store_open and store_close; it takes the whole queue, commits it in one
 * transaction with the lock released, and on failure puts the batch back at
 * the front of the queue and tries again on the next tick.
 */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/log.h"
#include "base/util.h"

/* ------------------------------------------------------------------------
 * Schema
 * ------------------------------------------------------------------------ */

/* migrations[i] takes a database from user_version i to i + 1. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY NOT NULL,"
	"  value"
	");"
	"CREATE TABLE sessions ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  kiosk_id TEXT NOT NULL,"
	"  site TEXT NOT NULL,"
	"  lang TEXT,"
	"  started_wall_ms INTEGER NOT NULL,"
	"  ended_wall_ms INTEGER,"
	"  end_reason TEXT,"
	"  boot INTEGER NOT NULL,"
	"  started_boot_ms INTEGER NOT NULL,"
	"  ended_boot_ms INTEGER,"
	"  clock INTEGER NOT NULL"
	");"
	"CREATE TABLE views ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  session_uuid TEXT,"
	"  kiosk_id TEXT NOT NULL,"
	"  site TEXT NOT NULL,"
	"  item_id TEXT,"
	"  lang TEXT,"
	"  started_wall_ms INTEGER NOT NULL,"
	"  boot INTEGER NOT NULL,"
	"  started_boot_ms INTEGER NOT NULL,"
	"  seconds REAL NOT NULL DEFAULT 0,"
	"  completed INTEGER NOT NULL DEFAULT 0,"
	"  clock INTEGER NOT NULL,"
	"  updated_wall_ms INTEGER"
	");"
	"CREATE TABLE lang_switches ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  session_uuid TEXT,"
	"  kiosk_id TEXT NOT NULL,"
	"  site TEXT NOT NULL,"
	"  from_lang TEXT,"
	"  to_lang TEXT,"
	"  wall_ms INTEGER NOT NULL,"
	"  boot INTEGER NOT NULL,"
	"  boot_ms INTEGER NOT NULL,"
	"  clock INTEGER NOT NULL"
	");"
	"CREATE INDEX sessions_started ON sessions(started_wall_ms);"
	"CREATE INDEX sessions_boot ON sessions(boot, started_boot_ms);"
	"CREATE INDEX views_started ON views(started_wall_ms);"
	"CREATE INDEX views_item_lang ON views(item_id, lang);"
	"CREATE INDEX views_session ON views(session_uuid);"
	"CREATE INDEX views_boot ON views(boot, started_boot_ms);"
	"CREATE INDEX lang_switches_session ON lang_switches(session_uuid);"
	"CREATE INDEX lang_switches_wall ON lang_switches(wall_ms);"
	"CREATE INDEX lang_switches_boot ON lang_switches(boot, boot_ms);"
	"PRAGMA user_version = 1;",
	/* 1 -> 2: how far a visitor went in an item with parts (pictures of
	 * a gallery, pages of a leaflet); NULL for items without parts. */
	"ALTER TABLE views ADD COLUMN parts_seen INTEGER;"
	"ALTER TABLE views ADD COLUMN parts_total INTEGER;"
	"PRAGMA user_version = 2;",
	/* 2 -> 3: class contests, quiz attempts and answers. */
	"CREATE TABLE contests ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  kiosk_id TEXT NOT NULL,"
	"  site TEXT NOT NULL,"
	"  class_name TEXT NOT NULL,"
	"  topic TEXT,"
	"  n_questions INTEGER NOT NULL,"
	"  seconds_per_question INTEGER NOT NULL DEFAULT 0,"
	"  started_wall_ms INTEGER NOT NULL,"
	"  boot INTEGER NOT NULL,"
	"  started_boot_ms INTEGER NOT NULL,"
	"  clock INTEGER NOT NULL,"
	"  ended_wall_ms INTEGER,"
	"  exported_wall_ms INTEGER,"
	"  cleared_wall_ms INTEGER"
	");"
	"CREATE TABLE quiz_attempts ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  session_uuid TEXT,"
	"  contest_uuid TEXT,"
	"  kiosk_id TEXT NOT NULL,"
	"  site TEXT NOT NULL,"
	"  player TEXT,"
	"  topic TEXT,"
	"  lang TEXT,"
	"  n_questions INTEGER NOT NULL,"
	"  started_wall_ms INTEGER NOT NULL,"
	"  boot INTEGER NOT NULL,"
	"  started_boot_ms INTEGER NOT NULL,"
	"  clock INTEGER NOT NULL,"
	"  ended_wall_ms INTEGER,"
	"  score INTEGER NOT NULL DEFAULT 0,"
	"  answered INTEGER NOT NULL DEFAULT 0,"
	"  seconds REAL NOT NULL DEFAULT 0,"
	"  completed INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE quiz_answers ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  attempt_uuid TEXT NOT NULL,"
	"  kiosk_id TEXT NOT NULL,"
	"  site TEXT NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  question_id TEXT NOT NULL,"
	"  question_lang TEXT,"
	"  question_text TEXT,"
	"  chosen TEXT NOT NULL,"
	"  chosen_text TEXT,"
	"  correct INTEGER NOT NULL,"
	"  timed_out INTEGER NOT NULL DEFAULT 0,"
	"  ms INTEGER NOT NULL,"
	"  wall_ms INTEGER NOT NULL,"
	"  boot INTEGER NOT NULL,"
	"  boot_ms INTEGER NOT NULL,"
	"  clock INTEGER NOT NULL"
	");"
	"CREATE INDEX contests_started ON contests(started_wall_ms);"
	"CREATE INDEX quiz_attempts_started ON quiz_attempts(started_wall_ms);"
	"CREATE INDEX quiz_attempts_contest ON quiz_attempts(contest_uuid);"
	"CREATE INDEX quiz_answers_attempt ON quiz_answers(attempt_uuid);"
	"CREATE INDEX quiz_answers_question ON quiz_answers(question_id);"
	"PRAGMA user_version = 3;",
	/* 3 -> 4: runs, problems, the library (see the notes above). */
	"CREATE TABLE runs ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  kiosk_id TEXT NOT NULL,"
	"  site TEXT NOT NULL,"
	"  version TEXT,"
	"  started_wall_ms INTEGER NOT NULL,"
	"  boot INTEGER NOT NULL,"
	"  started_boot_ms INTEGER NOT NULL,"
	"  clock INTEGER NOT NULL,"
	"  alive_wall_ms INTEGER NOT NULL,"
	"  alive_boot_ms INTEGER NOT NULL,"
	"  errors INTEGER NOT NULL DEFAULT 0,"
	"  warnings INTEGER NOT NULL DEFAULT 0,"
	"  ended TEXT"
	");"
	"CREATE TABLE problems ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  run_uuid TEXT,"
	"  kiosk_id TEXT NOT NULL,"
	"  site TEXT NOT NULL,"
	"  severity TEXT NOT NULL,"
	"  message TEXT NOT NULL,"
	"  wall_ms INTEGER NOT NULL,"
	"  boot INTEGER NOT NULL,"
	"  boot_ms INTEGER NOT NULL,"
	"  clock INTEGER NOT NULL"
	");"
	"CREATE TABLE library ("
	"  kiosk_id TEXT NOT NULL,"
	"  item_id TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  item_kind TEXT,"
	"  lang_kind TEXT,"
	"  topics TEXT,"
	"  title TEXT,"
	"  first_run TEXT NOT NULL,"
	"  last_run TEXT NOT NULL,"
	"  PRIMARY KEY (kiosk_id, item_id, lang)"
	");"
	"CREATE INDEX runs_started ON runs(started_wall_ms);"
	"CREATE INDEX problems_wall ON problems(wall_ms);"
	"PRAGMA user_version = 4;",
	/* 4 -> 5: what the operators did (see the notes above). */
	"CREATE TABLE operator_actions ("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  run_uuid TEXT,"
	"  kiosk_id TEXT NOT NULL,"
	"  site TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  detail TEXT,"
	"  wall_ms INTEGER NOT NULL,"
	"  boot INTEGER NOT NULL,"
	"  boot_ms INTEGER NOT NULL,"
	"  clock INTEGER NOT NULL"
	");"
	"PRAGMA user_version = 5;",
};

#define STORE_SCHEMA_VERSION ((int)ARRAY_LEN(migrations))

/* How long a commit waits for a lock held by another connection (a report
 * reading the live log never blocks it; only another writer would). */
#define STORE_BUSY_TIMEOUT_MS 1000
/* Warn when this many events wait (then at every doubling). */
#define STORE_QUEUE_WARN 10000
/* Extra commit attempts at close before queued events are given up. */
#define STORE_CLOSE_RETRIES 2
/* While commits keep failing, repeat the error every this many attempts. */
#define STORE_FAIL_LOG_EVERY 60

/* Wall times before 2026-01-01 00:00 UTC (or the build date, if later)
 * mean the clock was never set. */
#define STORE_CLOCK_FLOOR_MS INT64_C(1767225600000)

/* ------------------------------------------------------------------------
 * Events and the store
 * ------------------------------------------------------------------------ */

enum store_event_kind {
	STORE_EV_SESSION_BEGIN,
	STORE_EV_SESSION_END,
	STORE_EV_VIEW_BEGIN,
	STORE_EV_VIEW_END,
	STORE_EV_LANG_SWITCH,
	STORE_EV_CONFIRM_CLOCK,
	STORE_EV_CONTEST_BEGIN,
	STORE_EV_CONTEST_ENDED,
	STORE_EV_CONTEST_EXPORTED,
	STORE_EV_CONTEST_CLEARED,
	STORE_EV_QUIZ_BEGIN,
	STORE_EV_QUIZ_ANSWER,
	STORE_EV_QUIZ_END,
	STORE_EV_RUN_MARK_STALE,
	STORE_EV_RUN_BEGIN,
	STORE_EV_RUN_ALIVE,
	STORE_EV_RUN_END,
	STORE_EV_LIBRARY_ITEM,
	STORE_EV_PROBLEM,
	STORE_EV_OPERATOR,
	STORE_EV_COUNT
};

/* One queued event; strings are owned copies (NULL allowed). */
struct store_event {
	enum store_event_kind kind;
	char uuid[STORE_UUID_LEN];      /* the row's uuid (or the one updated) */
	char session[STORE_UUID_LEN];   /* "" = none */
	char *kiosk_id;
	char *site;
	char *text_a;                   /* lang, item_id, reason or from_lang */
	char *text_b;                   /* view lang or to_lang */
	/* Quiz events: */
	char ref[STORE_UUID_LEN];       /* contest or attempt referred to */
	char *text_c, *text_d, *text_e, *text_f;
	int64_t num[4];
	int64_t wall_ms;
	int64_t boot_ms;
	enum store_clock clock;
	double seconds;
	bool completed;
	int parts_seen, parts_total;    /* view end: 0 total = no parts */
	struct store_event *next;
};

struct store {
	char *path;                     /* as given, for messages */
	sqlite3 *db;                    /* logging thread only, once started */
	sqlite3_stmt *stmts[STORE_EV_COUNT]; /* logging thread only */
	int64_t boot;                   /* boot counter, fixed after open */
	int64_t clock_floor_ms;         /* fixed after open */
	char *kiosk_id;                 /* fixed after open */

	pthread_t thread;
	bool thread_started;

	pthread_mutex_t lock;
	pthread_cond_t wake;            /* to the thread: work or stop */
	pthread_cond_t done;            /* from the thread: an attempt ended */
	/* Guarded by lock: */
	char *site;
	bool clock_confirmed;           /* staff confirmed the date this boot */
	struct store_event *head, *tail;
	size_t queued;                  /* events in the queue */
	size_t warn_at;                 /* next queue size to warn about */
	uint64_t enqueued_seq;          /* events ever queued */
	uint64_t committed_seq;         /* events committed (a prefix of them) */
	uint64_t attempts_started;      /* commit attempts begun */
	uint64_t last_failed_attempt;   /* number of the last failed attempt */
	bool flush_requested;
	bool stop;
	char run[STORE_UUID_LEN];       /* this run's uuid; "" before begin */
	store_commit_hook hook;         /* store_set_commit_hook */
	void *hook_user;
	int64_t alive_due_ms;           /* boot time of the next sign of life */
	unsigned problems_kept;         /* problem rows queued this run */
};

static void event_free(struct store_event *ev)
{
	if (!ev)
		return;
	free(ev->kiosk_id);
	free(ev->site);
	free(ev->text_a);
	free(ev->text_b);
	free(ev->text_c);
	free(ev->text_d);
	free(ev->text_e);
	free(ev->text_f);
	free(ev);
}

static void event_list_free(struct store_event *ev)
{
	while (ev) {
		struct store_event *next = ev->next;
		event_free(ev);
		ev = next;
	}
}

/* ------------------------------------------------------------------------
 * UUIDs and clocks
 * ------------------------------------------------------------------------ */

/* len random bytes from the kernel; with nonblock, never waits for the
 * entropy pool at early boot (/dev/urandom then gives them). */
static bool random_bytes(unsigned char *buf, size_t len, bool nonblock)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = getrandom(buf + got, len - got,
				      nonblock ? GRND_NONBLOCK : 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += (size_t)n;
	}
	if (got == len)
		return true;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return got == len;
}

/* A new UUID; may_log false for callers inside a log hook (store_problem),
 * which must never log nor wait. */
static void new_uuid(char out[STORE_UUID_LEN], bool may_log)
{
	unsigned char b[16];
	if (!random_bytes(b, sizeof b, !may_log)) {
		/* No kernel randomness at all: mix clocks and a counter so ids
		 * stay unique on this device, and say so once. */
		static int warned;
		static uint64_t counter;
		if (may_log && !__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
			log_error("no random source (getrandom, /dev/urandom); "
				  "event ids fall back to clock values");
		uint64_t x = (uint64_t)time_wall_ms() ^
			     ((uint64_t)time_boot_ms() << 20) ^
			     __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) *
			     UINT64_C(0x9E3779B97F4A7C15);
		for (int i = 0; i < 16; i++) {
			x ^= x >> 31;
			x *= UINT64_C(0xBF58476D1CE4E5B9);
			x ^= x >> 27;
			b[i] = (unsigned char)(x >> 24);
		}
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

void store_new_uuid(char out[STORE_UUID_LEN])
{
	new_uuid(out, true);
}

/* The build date (from __DATE__, "Mmm dd yyyy") as ms since the epoch, or
 * 0 when it cannot be read. */
static int64_t build_date_ms(void)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *d = __DATE__;
	char mon[4] = { 0 };
	int day, year;
	if (sscanf(d, "%3s %d %d", mon, &day, &year) != 3)
		return 0;
	const char *m = strstr(months, mon);
	if (!m || (m - months) % 3)
		return 0;
	char iso[16];
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", year,
		 (int)((m - months) / 3 + 1), day);
	int64_t days;
	if (!date_parse_days(iso, &days))
		return 0;
	return days * 86400 * 1000;
}

/* Clock trust now. Caller holds st->lock (for clock_confirmed). */
static enum store_clock clock_now_locked(const struct store *st,
					 int64_t wall_ms)
{
	if (wall_ms < st->clock_floor_ms)
		return STORE_CLOCK_UNSET;
	if (st->clock_confirmed)
		return STORE_CLOCK_CONFIRMED;
	struct timex tx;
	memset(&tx, 0, sizeof tx);
	int state = adjtimex(&tx);
	if (state >= 0 && state != TIME_ERROR && !(tx.status & STA_UNSYNC))
		return STORE_CLOCK_SYNCED;
	return STORE_CLOCK_UNCONFIRMED;
}

/* ------------------------------------------------------------------------
 * Opening: URI, pragmas, migrations, boot counter
 * ------------------------------------------------------------------------ */

char *store_file_uri(const char *path, const char *query)
{
	size_t len = strlen(path);
	char *uri = xmalloc(len * 3 + strlen(query) + 16);
	char *o = uri;
	o += sprintf(o, "file:%s", path[0] == '/' ? "//" : "");
	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%' || c == '?' || c == '#')
			o += sprintf(o, "%%%02x", c);
		else
			*o++ = (char)c;
	}
	sprintf(o, "?%s", query);
	return uri;
}

static bool exec_sql(struct store *st, const char *sql, const char *what)
{
	char *err = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_error("%s: %s: %s", st->path, what,
			  err ? err : sqlite3_errmsg(st->db));
		sqlite3_free(err);
		return false;
	}
	return true;
}

/* First column of a one-row query as an integer. Returns false (with an
 * error logged if the query failed) when there is no row. */
static bool query_int(struct store *st, const char *sql, int64_t *out)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		log_error("%s: %s", st->path, sqlite3_errmsg(st->db));
		return false;
	}
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE)
		log_error("%s: %s", st->path, sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW;
}

static bool migrate(struct store *st)
{
	int64_t version = 0;
	if (!query_int(st, "PRAGMA user_version", &version))
		return false;
	if (version > STORE_SCHEMA_VERSION) {
		log_error("%s: log schema version %lld is newer than this "
			  "program knows (%d); not writing to it", st->path,
			  (long long)version, STORE_SCHEMA_VERSION);
		return false;
	}
	for (int v = (int)version; v < STORE_SCHEMA_VERSION; v++) {
		if (!exec_sql(st, "BEGIN IMMEDIATE", "cannot start migration"))
			return false;
		char *what = xasprintf("migration to schema version %d", v + 1);
		bool ok = exec_sql(st, migrations[v], what);
		free(what);
		if (!ok || !exec_sql(st, "COMMIT", "cannot commit migration")) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return false;
		}
		log_info("%s: log schema now version %d", st->path, v + 1);
	}
	return true;
}

/* The kernel's id of this boot; "" when unavailable. */
static void read_boot_id(char *out, size_t size)
{
	out[0] = '\0';
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
	if (!f)
		return;
	if (!fgets(out, (int)size, f))
		out[0] = '\0';
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
}

static bool meta_get(struct store *st, const char *key, sqlite3_value **out,
		     sqlite3_stmt **stmt)
{
	*out = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = ?1",
			       -1, stmt, NULL) != SQLITE_OK) {
		log_error("%s: %s", st->path, sqlite3_errmsg(st->db));
		return false;
	}
	sqlite3_bind_text(*stmt, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(*stmt);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_value(*stmt, 0);
	else if (rc != SQLITE_DONE) {
		log_error("%s: %s", st->path, sqlite3_errmsg(st->db));
		return false;
	}
	return true;
}

static bool meta_set(struct store *st, const char *key, const char *text,
		     int64_t num)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db,
			       "INSERT OR REPLACE INTO meta(key, value) "
			       "VALUES (?1, ?2)", -1, &s, NULL) != SQLITE_OK) {
		log_error("%s: %s", st->path, sqlite3_errmsg(st->db));
		return false;
	}
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (text)
		sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 2, num);
	bool ok = sqlite3_step(s) == SQLITE_DONE;
	if (!ok)
		log_error("%s: cannot write meta %s: %s", st->path, key,
			  sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return ok;
}

/* Bump the boot counter when the kernel's boot id changed since the last
 * open (or is unknown), and read whether staff confirmed the clock in this
 * boot. */
static bool update_boot(struct store *st)
{
	char boot_id[64];
	read_boot_id(boot_id, sizeof boot_id);
	if (!boot_id[0])
		log_warn("cannot read /proc/sys/kernel/random/boot_id; "
			 "counting this open of %s as a new boot", st->path);

	if (!exec_sql(st, "BEGIN IMMEDIATE", "cannot read boot counter"))
		return false;
	sqlite3_stmt *s1 = NULL, *s2 = NULL, *s3 = NULL;
	sqlite3_value *v_id, *v_counter, *v_confirmed;
	bool ok = meta_get(st, "boot_id", &v_id, &s1) &&
		  meta_get(st, "boot_counter", &v_counter, &s2) &&
		  meta_get(st, "clock_confirmed_boot", &v_confirmed, &s3);
	if (ok) {
		const char *stored = v_id ? (const char *)sqlite3_value_text(v_id)
					  : NULL;
		int64_t counter = v_counter ? sqlite3_value_int64(v_counter) : 0;
		bool new_boot = !boot_id[0] || !stored ||
				strcmp(stored, boot_id) != 0;
		if (new_boot) {
			counter++;
			ok = meta_set(st, "boot_counter", NULL, counter) &&
			     meta_set(st, "boot_id", boot_id, 0);
		}
		st->boot = counter;
		st->clock_confirmed = v_confirmed &&
			sqlite3_value_type(v_confirmed) != SQLITE_NULL &&
			sqlite3_value_int64(v_confirmed) == counter;
	}
	sqlite3_finalize(s1);
	sqlite3_finalize(s2);
	sqlite3_finalize(s3);
	if (!ok || !exec_sql(st, "COMMIT", "cannot write boot counter")) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	return true;
}

/* What the commit hook is told: each kind's name and the table it
 * writes. */
static const struct {
	const char *name, *table;
	bool update;
} kind_info[STORE_EV_COUNT] = {
	[STORE_EV_SESSION_BEGIN] = { "session-begin", "sessions", false },
	[STORE_EV_SESSION_END] = { "session-end", "sessions", true },
	[STORE_EV_VIEW_BEGIN] = { "view-begin", "views", false },
	[STORE_EV_VIEW_END] = { "view-end", "views", true },
	[STORE_EV_LANG_SWITCH] = { "lang-switch", "lang_switches", false },
	[STORE_EV_CONFIRM_CLOCK] = { "confirm-clock", "meta", true },
	[STORE_EV_CONTEST_BEGIN] = { "contest-begin", "contests", false },
	[STORE_EV_CONTEST_ENDED] = { "contest-ended", "contests", true },
	[STORE_EV_CONTEST_EXPORTED] = { "contest-exported", "contests", true },
	[STORE_EV_CONTEST_CLEARED] = { "contest-cleared", "contests", true },
	[STORE_EV_QUIZ_BEGIN] = { "quiz-begin", "quiz_attempts", false },
	[STORE_EV_QUIZ_ANSWER] = { "quiz-answer", "quiz_answers", false },
	[STORE_EV_QUIZ_END] = { "quiz-end", "quiz_attempts", true },
	[STORE_EV_RUN_MARK_STALE] = { "run-mark-stale", "runs", true },
	[STORE_EV_RUN_BEGIN] = { "run-begin", "runs", false },
	[STORE_EV_RUN_ALIVE] = { "run-alive", "runs", true },
	[STORE_EV_RUN_END] = { "run-end", "runs", true },
	[STORE_EV_LIBRARY_ITEM] = { "library-item", "library", true },
	[STORE_EV_PROBLEM] = { "problem", "problems", false },
	[STORE_EV_OPERATOR] = { "operator", "operator_actions", false },
};

static const char *const stmt_sql[STORE_EV_COUNT] = {
	[STORE_EV_SESSION_BEGIN] =
		"INSERT OR IGNORE INTO sessions(uuid, kiosk_id, site, lang, "
		"started_wall_ms, boot, started_boot_ms, clock) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[STORE_EV_SESSION_END] =
		"UPDATE sessions SET ended_wall_ms = ?2, ended_boot_ms = ?3, "
		"end_reason = ?4 WHERE uuid = ?1",
	[STORE_EV_VIEW_BEGIN] =
		"INSERT OR IGNORE INTO views(uuid, session_uuid, kiosk_id, site, "
		"item_id, lang, started_wall_ms, boot, started_boot_ms, seconds, "
		"completed, clock, updated_wall_ms) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, 0, ?10, ?7)",
	[STORE_EV_VIEW_END] =
		"UPDATE views SET seconds = ?2, completed = ?3, "
		"updated_wall_ms = ?4, parts_seen = ?5, parts_total = ?6 "
		"WHERE uuid = ?1",
	[STORE_EV_LANG_SWITCH] =
		"INSERT OR IGNORE INTO lang_switches(uuid, session_uuid, "
		"kiosk_id, site, from_lang, to_lang, wall_ms, boot, boot_ms, "
		"clock) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[STORE_EV_CONFIRM_CLOCK] =
		"INSERT OR REPLACE INTO meta(key, value) "
		"VALUES ('clock_confirmed_boot', ?1)",
	[STORE_EV_CONTEST_BEGIN] =
		"INSERT OR IGNORE INTO contests(uuid, kiosk_id, site, class_name, "
		"topic, n_questions, seconds_per_question, started_wall_ms, boot, "
		"started_boot_ms, clock) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[STORE_EV_CONTEST_ENDED] =
		"UPDATE contests SET ended_wall_ms = coalesce(ended_wall_ms, ?2) "
		"WHERE uuid = ?1",
	[STORE_EV_CONTEST_EXPORTED] =
		"UPDATE contests SET exported_wall_ms = ?2 WHERE uuid = ?1",
	[STORE_EV_CONTEST_CLEARED] =
		"UPDATE contests SET cleared_wall_ms = coalesce(cleared_wall_ms, ?2), "
		"ended_wall_ms = coalesce(ended_wall_ms, ?2) WHERE uuid = ?1",
	[STORE_EV_QUIZ_BEGIN] =
		"INSERT OR IGNORE INTO quiz_attempts(uuid, session_uuid, "
		"contest_uuid, kiosk_id, site, player, topic, lang, n_questions, "
		"started_wall_ms, boot, started_boot_ms, clock) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[STORE_EV_QUIZ_ANSWER] =
		"INSERT OR IGNORE INTO quiz_answers(uuid, attempt_uuid, kiosk_id, "
		"site, position, question_id, question_lang, question_text, chosen, "
		"chosen_text, correct, timed_out, ms, wall_ms, boot, boot_ms, clock) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
		"?14, ?15, ?16, ?17)",
	[STORE_EV_QUIZ_END] =
		"UPDATE quiz_attempts SET ended_wall_ms = ?2, score = ?3, "
		"answered = ?4, seconds = ?5, completed = ?6 WHERE uuid = ?1",
	/* ?1 the new run, which is left alone */
	[STORE_EV_RUN_MARK_STALE] =
		"UPDATE runs SET ended = CASE WHEN boot = ?2 THEN 'crash' "
		"ELSE 'cut' END WHERE ended IS NULL AND uuid <> ?1",
	[STORE_EV_RUN_BEGIN] =
		"INSERT OR IGNORE INTO runs(uuid, kiosk_id, site, version, "
		"started_wall_ms, boot, started_boot_ms, clock, alive_wall_ms, "
		"alive_boot_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?5, ?7)",
	[STORE_EV_RUN_ALIVE] =
		"UPDATE runs SET alive_wall_ms = ?2, alive_boot_ms = ?3, "
		"errors = ?4, warnings = ?5 WHERE uuid = ?1",
	[STORE_EV_RUN_END] =
		"UPDATE runs SET alive_wall_ms = ?2, alive_boot_ms = ?3, "
		"errors = ?4, warnings = ?5, ended = 'clean' WHERE uuid = ?1",
	/* ?1 the run that lists the item */
	[STORE_EV_LIBRARY_ITEM] =
		"INSERT INTO library(kiosk_id, item_id, lang, item_kind, "
		"lang_kind, topics, title, first_run, last_run) "
		"VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?1, ?1) "
		"ON CONFLICT(kiosk_id, item_id, lang) DO UPDATE SET "
		"item_kind = excluded.item_kind, lang_kind = excluded.lang_kind, "
		"topics = excluded.topics, title = excluded.title, "
		"last_run = ?1",
	[STORE_EV_PROBLEM] =
		"INSERT OR IGNORE INTO problems(uuid, run_uuid, kiosk_id, site, "
		"severity, message, wall_ms, boot, boot_ms, clock) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[STORE_EV_OPERATOR] =
		"INSERT OR IGNORE INTO operator_actions(uuid, run_uuid, kiosk_id, "
		"site, action, detail, wall_ms, boot, boot_ms, clock) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
};

static bool open_db(struct store *st)
{
	char *dir = xstrdup(st->path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (!mkdir_parents(dir)) {
			log_error("%s: cannot create directory %s: %s", st->path,
				  dir, errno == EEXIST ? "a file of that name "
				  "is in the way" : strerror(errno));
			free(dir);
			return false;
		}
	}
	free(dir);

	char *uri = store_file_uri(st->path, "psow=0");
	int rc = sqlite3_open_v2(uri, &st->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				 SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		log_error("%s: cannot open log: %s", st->path,
			  st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		return false;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);

	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s,
			       NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		log_error("%s: cannot set journal_mode=WAL: %s", st->path,
			  sqlite3_errmsg(st->db));
		sqlite3_finalize(s);
		return false;
	}
	const char *mode = (const char *)sqlite3_column_text(s, 0);
	if (!mode || strcmp(mode, "wal") != 0)
		log_warn("%s: this file system does not allow WAL; using "
			 "journal_mode=%s (still synchronous=FULL)", st->path,
			 mode ? mode : "?");
	sqlite3_finalize(s);

	if (!exec_sql(st, "PRAGMA synchronous = FULL", "cannot set synchronous"))
		return false;
	/* Move what the last run left in the WAL into the database file and
	 * empty the WAL before writing anything. After a power cut the WAL
	 * ends right after its last commit frame, not on a sector boundary;
	 * the next frame would be written into the sector holding that
	 * frame's end, and with psow=0 a second cut during that write can
	 * tear the sector and lose the last batch committed before the
	 * first cut (found by tests/unit/test_crashvfs.c). After this, new
	 * frames go into a fresh WAL. */
	int log_frames = 0, done_frames = 0;
	sqlite3_busy_timeout(st->db, 0);   /* a reader: do not wait for it */
	rc = sqlite3_wal_checkpoint_v2(st->db, "main",
				       SQLITE_CHECKPOINT_TRUNCATE, &log_frames,
				       &done_frames);
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	if (rc == SQLITE_BUSY)
		log_info("%s: another program is reading the log; its WAL is "
			 "checkpointed later", st->path);
	else if (rc != SQLITE_OK)
		log_warn("%s: cannot checkpoint the log at open: %s", st->path,
			 sqlite3_errmsg(st->db));
	if (!migrate(st) || !update_boot(st))
		return false;

	for (int k = 0; k < STORE_EV_COUNT; k++) {
		if (sqlite3_prepare_v3(st->db, stmt_sql[k], -1,
				       SQLITE_PREPARE_PERSISTENT, &st->stmts[k],
				       NULL) != SQLITE_OK) {
			log_error("%s: %s", st->path, sqlite3_errmsg(st->db));
			return false;
		}
	}
	return true;
}

/* ------------------------------------------------------------------------
 * The logging thread
 * ------------------------------------------------------------------------ */

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *text)
{
	if (text)
		sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

static void bind_event(struct store *st, sqlite3_stmt *s,
		       const struct store_event *ev)
{
	const char *session = ev->session[0] ? ev->session : NULL;
	sqlite3_bind_text(s, 1, ev->uuid, -1, SQLITE_STATIC);
	switch (ev->kind) {
	case STORE_EV_SESSION_BEGIN:
	case STORE_EV_RUN_BEGIN:
		/* same columns: kiosk, site, lang/version, times */
		sqlite3_bind_text(s, 2, ev->kiosk_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, ev->site, -1, SQLITE_STATIC);
		bind_text_or_null(s, 4, ev->text_a);
		sqlite3_bind_int64(s, 5, ev->wall_ms);
		sqlite3_bind_int64(s, 6, st->boot);
		sqlite3_bind_int64(s, 7, ev->boot_ms);
		sqlite3_bind_int(s, 8, (int)ev->clock);
		break;
	case STORE_EV_SESSION_END:
		sqlite3_bind_int64(s, 2, ev->wall_ms);
		sqlite3_bind_int64(s, 3, ev->boot_ms);
		bind_text_or_null(s, 4, ev->text_a);
		break;
	case STORE_EV_VIEW_BEGIN:
	case STORE_EV_LANG_SWITCH:
		/* same columns: session, kiosk, site, item/from, lang/to, times */
		bind_text_or_null(s, 2, session);
		sqlite3_bind_text(s, 3, ev->kiosk_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, ev->site, -1, SQLITE_STATIC);
		bind_text_or_null(s, 5, ev->text_a);
		bind_text_or_null(s, 6, ev->text_b);
		sqlite3_bind_int64(s, 7, ev->wall_ms);
		sqlite3_bind_int64(s, 8, st->boot);
		sqlite3_bind_int64(s, 9, ev->boot_ms);
		sqlite3_bind_int(s, 10, (int)ev->clock);
		break;
	case STORE_EV_VIEW_END:
		sqlite3_bind_double(s, 2, ev->seconds);
		sqlite3_bind_int(s, 3, ev->completed ? 1 : 0);
		sqlite3_bind_int64(s, 4, ev->wall_ms);
		if (ev->parts_total > 0) {
			sqlite3_bind_int(s, 5, ev->parts_seen);
			sqlite3_bind_int(s, 6, ev->parts_total);
		} else {
			sqlite3_bind_null(s, 5);
			sqlite3_bind_null(s, 6);
		}
		break;
	case STORE_EV_CONFIRM_CLOCK:
		sqlite3_clear_bindings(s);
		sqlite3_bind_int64(s, 1, st->boot);
		break;
	case STORE_EV_CONTEST_BEGIN:
		sqlite3_bind_text(s, 2, ev->kiosk_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, ev->site, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, ev->text_a ? ev->text_a : "", -1,
				  SQLITE_STATIC);
		bind_text_or_null(s, 5, ev->text_b);
		sqlite3_bind_int64(s, 6, ev->num[0]);
		sqlite3_bind_int64(s, 7, ev->num[1]);
		sqlite3_bind_int64(s, 8, ev->wall_ms);
		sqlite3_bind_int64(s, 9, st->boot);
		sqlite3_bind_int64(s, 10, ev->boot_ms);
		sqlite3_bind_int(s, 11, (int)ev->clock);
		break;
	case STORE_EV_CONTEST_ENDED:
	case STORE_EV_CONTEST_EXPORTED:
	case STORE_EV_CONTEST_CLEARED:
		sqlite3_bind_int64(s, 2, ev->wall_ms);
		break;
	case STORE_EV_QUIZ_BEGIN:
		bind_text_or_null(s, 2, session);
		bind_text_or_null(s, 3, ev->ref[0] ? ev->ref : NULL);
		sqlite3_bind_text(s, 4, ev->kiosk_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, ev->site, -1, SQLITE_STATIC);
		bind_text_or_null(s, 6, ev->text_a);
		bind_text_or_null(s, 7, ev->text_b);
		bind_text_or_null(s, 8, ev->text_c);
		sqlite3_bind_int64(s, 9, ev->num[0]);
		sqlite3_bind_int64(s, 10, ev->wall_ms);
		sqlite3_bind_int64(s, 11, st->boot);
		sqlite3_bind_int64(s, 12, ev->boot_ms);
		sqlite3_bind_int(s, 13, (int)ev->clock);
		break;
	case STORE_EV_QUIZ_ANSWER:
		sqlite3_bind_text(s, 2, ev->ref, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, ev->kiosk_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, ev->site, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, ev->num[0]);
		sqlite3_bind_text(s, 6, ev->text_a ? ev->text_a : "", -1,
				  SQLITE_STATIC);
		bind_text_or_null(s, 7, ev->text_b);
		bind_text_or_null(s, 8, ev->text_c);
		sqlite3_bind_text(s, 9, ev->text_d ? ev->text_d : "", -1,
				  SQLITE_STATIC);
		bind_text_or_null(s, 10, ev->text_e);
		sqlite3_bind_int(s, 11, ev->completed ? 1 : 0);
		sqlite3_bind_int64(s, 12, ev->num[1]);
		sqlite3_bind_int64(s, 13, ev->num[2]);
		sqlite3_bind_int64(s, 14, ev->wall_ms);
		sqlite3_bind_int64(s, 15, st->boot);
		sqlite3_bind_int64(s, 16, ev->boot_ms);
		sqlite3_bind_int(s, 17, (int)ev->clock);
		break;
	case STORE_EV_QUIZ_END:
		sqlite3_bind_int64(s, 2, ev->wall_ms);
		sqlite3_bind_int64(s, 3, ev->num[0]);
		sqlite3_bind_int64(s, 4, ev->num[1]);
		sqlite3_bind_double(s, 5, ev->seconds);
		sqlite3_bind_int(s, 6, ev->completed ? 1 : 0);
		break;
	case STORE_EV_RUN_MARK_STALE:
		sqlite3_bind_int64(s, 2, st->boot);
		break;
	case STORE_EV_RUN_ALIVE:
	case STORE_EV_RUN_END:
		sqlite3_bind_int64(s, 2, ev->wall_ms);
		sqlite3_bind_int64(s, 3, ev->boot_ms);
		sqlite3_bind_int64(s, 4, ev->num[0]);
		sqlite3_bind_int64(s, 5, ev->num[1]);
		break;
	case STORE_EV_LIBRARY_ITEM:
		sqlite3_bind_text(s, 2, ev->kiosk_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, ev->text_a, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, ev->text_b, -1, SQLITE_STATIC);
		bind_text_or_null(s, 5, ev->text_c);
		bind_text_or_null(s, 6, ev->text_d);
		bind_text_or_null(s, 7, ev->text_e);
		bind_text_or_null(s, 8, ev->text_f);
		break;
	case STORE_EV_PROBLEM:
	case STORE_EV_OPERATOR:
		bind_text_or_null(s, 2, ev->ref[0] ? ev->ref : NULL);
		sqlite3_bind_text(s, 3, ev->kiosk_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, ev->site, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, ev->text_a, -1, SQLITE_STATIC);
		bind_text_or_null(s, 6, ev->text_b);
		sqlite3_bind_int64(s, 7, ev->wall_ms);
		sqlite3_bind_int64(s, 8, st->boot);
		sqlite3_bind_int64(s, 9, ev->boot_ms);
		sqlite3_bind_int(s, 10, (int)ev->clock);
		break;
	case STORE_EV_COUNT:
		break;
	}
}

/* The connection's last error in words a crew chief reads: SQLite calls
 * a full disk "database or disk is full". */
static const char *db_error(struct store *st)
{
	if ((sqlite3_errcode(st->db) & 0xff) == SQLITE_FULL)
		return "disk full (no space left on the device)";
	return sqlite3_errmsg(st->db);
}

/* Commit the events in one transaction. Logging thread only, lock not
 * held. On failure *err is a new string with the reason. */
static bool commit_batch(struct store *st, const struct store_event *batch,
			 char **err)
{
	*err = NULL;
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		*err = xasprintf("cannot begin: %s", db_error(st));
		return false;
	}
	for (const struct store_event *ev = batch; ev; ev = ev->next) {
		sqlite3_stmt *s = st->stmts[ev->kind];
		bind_event(st, s, ev);
		int rc = sqlite3_step(s);
		if (rc != SQLITE_DONE)
			*err = xasprintf("cannot write event %s: %s", ev->uuid,
					 db_error(st));
		else if ((ev->kind == STORE_EV_SESSION_END ||
			  ev->kind == STORE_EV_VIEW_END) &&
			 sqlite3_changes(st->db) == 0)
			log_warn("%s: event %s updates unknown %s %s", st->path,
				 ev->kind == STORE_EV_VIEW_END ? "view-end" :
				 "session-end",
				 ev->kind == STORE_EV_VIEW_END ? "view" : "session",
				 ev->uuid);
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		if (*err) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return false;
		}
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		*err = xasprintf("cannot commit: %s", db_error(st));
		if (!sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	return true;
}

/* Tell the commit hook, if any, about a committed batch of n events. */
static void call_hook(struct store *st, const struct store_event *batch,
		      size_t n)
{
	pthread_mutex_lock(&st->lock);
	store_commit_hook fn = st->hook;
	void *user = st->hook_user;
	pthread_mutex_unlock(&st->lock);
	if (!fn || !n)
		return;
	struct store_commit_event *evs = xcalloc(n, sizeof *evs);
	size_t i = 0;
	for (const struct store_event *ev = batch; ev && i < n; ev = ev->next) {
		evs[i].kind = kind_info[ev->kind].name;
		evs[i].table = kind_info[ev->kind].table;
		evs[i].uuid = ev->uuid;
		evs[i].update = kind_info[ev->kind].update;
		evs[i].wall_ms = ev->wall_ms;
		evs[i].boot_ms = ev->boot_ms;
		i++;
	}
	fn(user, evs, i);
	free(evs);
}

/* Take the queue, commit it, and either count it or put it back. Called
 * with st->lock held; releases it during the commit. */
static void commit_queue_locked(struct store *st, uint64_t *fail_streak)
{
	struct store_event *batch = st->head, *batch_tail = st->tail;
	size_t n = st->queued;
	uint64_t attempt = ++st->attempts_started;
	st->head = st->tail = NULL;
	st->queued = 0;
	pthread_mutex_unlock(&st->lock);

	char *err = NULL;
	bool ok = commit_batch(st, batch, &err);
	if (ok)
		call_hook(st, batch, n);
	if (ok) {
		if (*fail_streak)
			log_info("%s: committed %zu events after %llu failed "
				 "attempts", st->path, n,
				 (unsigned long long)*fail_streak);
		*fail_streak = 0;
		event_list_free(batch);
	} else {
		if (*fail_streak % STORE_FAIL_LOG_EVERY == 0)
			log_error("%s: %s; %zu events stay queued and are "
				  "retried every second", st->path, err, n);
		(*fail_streak)++;
		free(err);
	}

	pthread_mutex_lock(&st->lock);
	if (ok) {
		st->committed_seq += n;
	} else {
		batch_tail->next = st->head;
		st->head = batch;
		if (!st->tail)
			st->tail = batch_tail;
		st->queued += n;
		st->last_failed_attempt = attempt;
	}
	pthread_cond_broadcast(&st->done);
}

static size_t enqueue_locked(struct store *st, struct store_event *ev);
static struct store_event *event_new(enum store_event_kind kind,
				     const char *uuid, const char *session);

/* Queue a sign of life of this run (kind RUN_ALIVE or RUN_END) with the
 * counts of errors and warnings logged so far. Caller holds st->lock, and
 * read the counts before taking it (the log's lock is taken before
 * st->lock when a log hook calls store_problem, never after). */
static void queue_alive_locked(struct store *st, enum store_event_kind kind,
			       unsigned errors, unsigned warnings)
{
	struct store_event *ev = event_new(kind, st->run, NULL);
	ev->num[0] = errors;
	ev->num[1] = warnings;
	enqueue_locked(st, ev);
	st->alive_due_ms = time_boot_ms() + STORE_ALIVE_MS;
}

static void *store_thread(void *arg)
{
	struct store *st = arg;
	uint64_t fail_streak = 0;
	pthread_mutex_lock(&st->lock);
	for (;;) {
		struct timespec deadline;
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += STORE_COMMIT_MS / 1000;
		deadline.tv_nsec += (STORE_COMMIT_MS % 1000) * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		while (!st->stop && !st->flush_requested) {
			if (pthread_cond_timedwait(&st->wake, &st->lock,
						   &deadline) == ETIMEDOUT)
				break;
		}
		bool stopping = st->stop;
		st->flush_requested = false;
		if (!stopping && st->run[0] &&
		    time_boot_ms() >= st->alive_due_ms) {
			pthread_mutex_unlock(&st->lock);
			unsigned errors = log_error_count();
			unsigned warnings = log_warn_count();
			pthread_mutex_lock(&st->lock);
			queue_alive_locked(st, STORE_EV_RUN_ALIVE, errors,
					   warnings);
		}
		if (st->head)
			commit_queue_locked(st, &fail_streak);
		else
			pthread_cond_broadcast(&st->done);
		if (stopping)
			break;
	}
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

/* ------------------------------------------------------------------------
 * Public functions
 * ------------------------------------------------------------------------ */

static void store_free(struct store *st)
{
	for (int k = 0; k < STORE_EV_COUNT; k++)
		sqlite3_finalize(st->stmts[k]);
	if (st->db && sqlite3_close(st->db) != SQLITE_OK)
		log_error("%s: close: %s", st->path, sqlite3_errmsg(st->db));
	event_list_free(st->head);
	pthread_cond_destroy(&st->wake);
	pthread_cond_destroy(&st->done);
	pthread_mutex_destroy(&st->lock);
	free(st->kiosk_id);
	free(st->site);
	free(st->path);
	free(st);
}

struct store *store_open(const char *path, const struct store_identity *id)
{
	if (!path || !*path || !id || !id->kiosk_id) {
		log_error("store_open: no log path or kiosk id given");
		return NULL;
	}
	struct store *st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	st->kiosk_id = xstrdup(id->kiosk_id);
	st->site = xstrdup(id->site ? id->site : "");
	st->warn_at = STORE_QUEUE_WARN;
	int64_t built = build_date_ms();
	st->clock_floor_ms = built > STORE_CLOCK_FLOOR_MS ? built
							   : STORE_CLOCK_FLOOR_MS;
	pthread_mutex_init(&st->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&st->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&st->done, NULL);

	if (!open_db(st)) {
		store_free(st);
		return NULL;
	}
	int err = pthread_create(&st->thread, NULL, store_thread, st);
	if (err) {
		log_error("%s: cannot start logging thread: %s", st->path,
			  strerror(err));
		store_free(st);
		return NULL;
	}
	st->thread_started = true;
	log_info("%s: log open (schema %d, boot %lld)", st->path,
		 STORE_SCHEMA_VERSION, (long long)st->boot);
	return st;
}

bool store_flush(struct store *st)
{
	if (!st)
		return true;
	pthread_mutex_lock(&st->lock);
	uint64_t target = st->enqueued_seq;
	uint64_t start_attempt = st->attempts_started;
	bool ok = true;
	if (st->committed_seq < target) {
		st->flush_requested = true;
		pthread_cond_signal(&st->wake);
	}
	while (st->committed_seq < target) {
		if (st->last_failed_attempt > start_attempt) {
			ok = false;
			break;
		}
		pthread_cond_wait(&st->done, &st->lock);
	}
	pthread_mutex_unlock(&st->lock);
	return ok;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	unsigned errors = log_error_count(), warnings = log_warn_count();
	pthread_mutex_lock(&st->lock);
	if (st->run[0])
		queue_alive_locked(st, STORE_EV_RUN_END, errors, warnings);
	pthread_mutex_unlock(&st->lock);
	bool ok = store_flush(st);
	for (int i = 0; !ok && i < STORE_CLOSE_RETRIES; i++)
		ok = store_flush(st);

	pthread_mutex_lock(&st->lock);
	st->stop = true;
	pthread_cond_signal(&st->wake);
	pthread_mutex_unlock(&st->lock);
	if (st->thread_started)
		pthread_join(st->thread, NULL);

	if (st->queued)
		log_error("%s: closing with %zu logged events that could not "
			  "be committed; they are lost", st->path, st->queued);
	store_free(st);
}

/* Fill the common fields of a new event (caller holds st->lock) and queue
 * it. Returns the queue's length when it has grown past the next warning
 * mark, else 0: the caller warns once the lock is released (a log hook may
 * log into this store, so nothing is logged with st->lock held). */
static size_t enqueue_locked(struct store *st, struct store_event *ev)
{
	ev->kiosk_id = xstrdup(st->kiosk_id);
	ev->site = xstrdup(st->site);
	ev->wall_ms = time_wall_ms();
	ev->boot_ms = time_boot_ms();
	ev->clock = clock_now_locked(st, ev->wall_ms);
	ev->next = NULL;
	if (st->tail)
		st->tail->next = ev;
	else
		st->head = ev;
	st->tail = ev;
	st->queued++;
	st->enqueued_seq++;
	if (st->queued >= st->warn_at) {
		st->warn_at *= 2;
		return st->queued;
	}
	if (st->queued < STORE_QUEUE_WARN / 2)
		st->warn_at = STORE_QUEUE_WARN;
	return 0;
}

static void warn_queue(const struct store *st, size_t queued)
{
	if (queued)
		log_warn("%s: %zu events wait to be committed", st->path,
			 queued);
}

static struct store_event *event_new(enum store_event_kind kind,
				     const char *uuid, const char *session)
{
	struct store_event *ev = xcalloc(1, sizeof *ev);
	ev->kind = kind;
	if (uuid)
		snprintf(ev->uuid, sizeof ev->uuid, "%s", uuid);
	if (session)
		snprintf(ev->session, sizeof ev->session, "%s", session);
	return ev;
}

static void enqueue(struct store *st, struct store_event *ev)
{
	pthread_mutex_lock(&st->lock);
	size_t warn = enqueue_locked(st, ev);
	pthread_mutex_unlock(&st->lock);
	warn_queue(st, warn);
}

void store_set_site(struct store *st, const char *site)
{
	if (!st)
		return;
	char *copy = xstrdup(site ? site : "");
	pthread_mutex_lock(&st->lock);
	char *old = st->site;
	st->site = copy;
	pthread_mutex_unlock(&st->lock);
	free(old);
}

/* Staff confirmed that the date and time are right: rows logged from now
 * on, until the next boot, are STORE_CLOCK_CONFIRMED (unless the clock is
 * before the build date). Any thread. */
void store_confirm_clock(struct store *st)
{
	if (!st)
		return;
	struct store_event *ev = event_new(STORE_EV_CONFIRM_CLOCK, NULL, NULL);
	snprintf(ev->uuid, sizeof ev->uuid, "confirm-clock");
	pthread_mutex_lock(&st->lock);
	st->clock_confirmed = true;
	size_t warn = enqueue_locked(st, ev);
	pthread_mutex_unlock(&st->lock);
	warn_queue(st, warn);
}

void store_session_begin(struct store *st, const char *lang,
			 char out_session[STORE_UUID_LEN])
{
	store_new_uuid(out_session);
	if (!st)
		return;
	struct store_event *ev = event_new(STORE_EV_SESSION_BEGIN, out_session,
					   NULL);
	ev->text_a = xstrdup(lang);
	enqueue(st, ev);
}

void store_session_end(struct store *st, const char *session,
		       const char *reason)
{
	if (!st || !session)
		return;
	struct store_event *ev = event_new(STORE_EV_SESSION_END, session, NULL);
	ev->text_a = xstrdup(reason);
	enqueue(st, ev);
}

void store_view_begin(struct store *st, const char *session,
		      const char *item_id, const char *lang,
		      char out_view[STORE_UUID_LEN])
{
	store_new_uuid(out_view);
	if (!st)
		return;
	struct store_event *ev = event_new(STORE_EV_VIEW_BEGIN, out_view,
					   session);
	ev->text_a = xstrdup(item_id);
	ev->text_b = xstrdup(lang);
	enqueue(st, ev);
}

void store_view_end(struct store *st, const char *view, double seconds,
		    bool completed)
{
	store_view_end_parts(st, view, seconds, completed, 0, 0);
}

void store_view_end_parts(struct store *st, const char *view, double seconds,
			  bool completed, int parts_seen, int parts_total)
{
	if (!st || !view)
		return;
	struct store_event *ev = event_new(STORE_EV_VIEW_END, view, NULL);
	ev->seconds = seconds >= 0 ? seconds : 0;
	ev->completed = completed;
	ev->parts_seen = parts_seen;
	ev->parts_total = parts_total > 0 ? parts_total : 0;
	enqueue(st, ev);
}

void store_lang_switch(struct store *st, const char *session,
		       const char *from, const char *to)
{
	if (!st)
		return;
	struct store_event *ev = event_new(STORE_EV_LANG_SWITCH, NULL, session);
	store_new_uuid(ev->uuid);
	ev->text_a = xstrdup(from);
	ev->text_b = xstrdup(to);
	enqueue(st, ev);
}

void store_contest_begin(struct store *st, const struct store_contest *c,
			 char out_contest[STORE_UUID_LEN])
{
	store_new_uuid(out_contest);
	if (!st)
		return;
	struct store_event *ev = event_new(STORE_EV_CONTEST_BEGIN, out_contest,
					   NULL);
	ev->text_a = xstrdup(c->class_name ? c->class_name : "");
	ev->text_b = c->topic ? xstrdup(c->topic) : NULL;
	ev->num[0] = c->n_questions;
	ev->num[1] = c->seconds_per_question;
	enqueue(st, ev);
}

void store_contest_mark(struct store *st, const char *contest,
			enum store_contest_mark mark)
{
	if (!st || !contest)
		return;
	static const enum store_event_kind kinds[] = {
		[STORE_CONTEST_ENDED] = STORE_EV_CONTEST_ENDED,
		[STORE_CONTEST_EXPORTED] = STORE_EV_CONTEST_EXPORTED,
		[STORE_CONTEST_CLEARED] = STORE_EV_CONTEST_CLEARED,
	};
	enqueue(st, event_new(kinds[mark], contest, NULL));
}

void store_quiz_begin(struct store *st, const char *session,
		      const struct store_quiz *q, char out_attempt[STORE_UUID_LEN])
{
	store_new_uuid(out_attempt);
	if (!st)
		return;
	struct store_event *ev = event_new(STORE_EV_QUIZ_BEGIN, out_attempt,
					   session);
	if (q->contest)
		snprintf(ev->ref, sizeof ev->ref, "%s", q->contest);
	ev->text_a = q->player ? xstrdup(q->player) : NULL;
	ev->text_b = q->topic ? xstrdup(q->topic) : NULL;
	ev->text_c = q->lang ? xstrdup(q->lang) : NULL;
	ev->num[0] = q->n_questions;
	enqueue(st, ev);
}

void store_quiz_answer(struct store *st, const char *attempt,
		       const struct store_quiz_answer *a)
{
	if (!st || !attempt)
		return;
	struct store_event *ev = event_new(STORE_EV_QUIZ_ANSWER, NULL, NULL);
	store_new_uuid(ev->uuid);
	snprintf(ev->ref, sizeof ev->ref, "%s", attempt);
	ev->num[0] = a->position;
	ev->text_a = xstrdup(a->question_id ? a->question_id : "");
	ev->text_b = a->question_lang ? xstrdup(a->question_lang) : NULL;
	ev->text_c = a->question_text ? xstrdup(a->question_text) : NULL;
	ev->text_d = xstrdup(a->chosen ? a->chosen : "");
	ev->text_e = a->chosen_text ? xstrdup(a->chosen_text) : NULL;
	ev->completed = a->correct;
	ev->num[1] = a->timed_out ? 1 : 0;
	ev->num[2] = a->ms >= 0 ? a->ms : 0;
	enqueue(st, ev);
}

void store_quiz_end(struct store *st, const char *attempt, int score,
		    int answered, double seconds, bool completed)
{
	if (!st || !attempt)
		return;
	struct store_event *ev = event_new(STORE_EV_QUIZ_END, attempt, NULL);
	ev->num[0] = score;
	ev->num[1] = answered;
	ev->seconds = seconds >= 0 ? seconds : 0;
	ev->completed = completed;
	enqueue(st, ev);
}

void store_set_commit_hook(struct store *st, store_commit_hook fn,
			   void *user)
{
	if (!st)
		return;
	pthread_mutex_lock(&st->lock);
	st->hook = fn;
	st->hook_user = fn ? user : NULL;
	pthread_mutex_unlock(&st->lock);
}

struct sqlite3 *store_database(struct store *st)
{
	return st ? st->db : NULL;
}

int64_t store_boot_counter(const struct store *st)
{
	return st ? st->boot : 0;
}

int64_t store_committed_count(struct store *st)
{
	if (!st)
		return 0;
	pthread_mutex_lock(&st->lock);
	int64_t n = (int64_t)st->committed_seq;
	pthread_mutex_unlock(&st->lock);
	return n;
}

/* ---- health and the library ---- */

void store_run_begin(struct store *st, const char *version)
{
	if (!st)
		return;
	struct store_event *mark = event_new(STORE_EV_RUN_MARK_STALE, NULL, NULL);
	struct store_event *ev = event_new(STORE_EV_RUN_BEGIN, NULL, NULL);
	store_new_uuid(ev->uuid);
	snprintf(mark->uuid, sizeof mark->uuid, "%s", ev->uuid);
	ev->text_a = version ? xstrdup(version) : NULL;
	pthread_mutex_lock(&st->lock);
	snprintf(st->run, sizeof st->run, "%s", ev->uuid);
	st->problems_kept = 0;
	st->alive_due_ms = time_boot_ms() + STORE_ALIVE_MS;
	enqueue_locked(st, mark);
	size_t warn = enqueue_locked(st, ev);
	pthread_mutex_unlock(&st->lock);
	warn_queue(st, warn);
}

void store_problem(struct store *st, bool error, const char *message)
{
	if (!st || !message)
		return;
	pthread_mutex_lock(&st->lock);
	if (st->problems_kept >= STORE_PROBLEMS_PER_RUN) {
		pthread_mutex_unlock(&st->lock);
		return;
	}
	st->problems_kept++;
	struct store_event *ev = event_new(STORE_EV_PROBLEM, NULL, NULL);
	new_uuid(ev->uuid, false);
	snprintf(ev->ref, sizeof ev->ref, "%s", st->run);
	ev->text_a = xstrdup(error ? "error" : "warning");
	ev->text_b = xstrdup(message);
	/* no warning about the queue: this runs inside a log hook */
	enqueue_locked(st, ev);
	pthread_mutex_unlock(&st->lock);
}

void store_operator_action(struct store *st, const char *action,
			   const char *detail)
{
	if (!st || !action)
		return;
	struct store_event *ev = event_new(STORE_EV_OPERATOR, NULL, NULL);
	store_new_uuid(ev->uuid);
	ev->text_a = xstrdup(action);
	ev->text_b = detail ? xstrdup(detail) : NULL;
	pthread_mutex_lock(&st->lock);
	snprintf(ev->ref, sizeof ev->ref, "%s", st->run);
	size_t warn = enqueue_locked(st, ev);
	pthread_mutex_unlock(&st->lock);
	warn_queue(st, warn);
}

void store_library_item(struct store *st,
			const struct store_library_item *item)
{
	if (!st || !item || !item->item_id || !item->lang)
		return;
	struct store_event *ev = event_new(STORE_EV_LIBRARY_ITEM, NULL, NULL);
	ev->text_a = xstrdup(item->item_id);
	ev->text_b = xstrdup(item->lang);
	ev->text_c = item->item_kind ? xstrdup(item->item_kind) : NULL;
	ev->text_d = item->lang_kind ? xstrdup(item->lang_kind) : NULL;
	ev->text_e = item->topics ? xstrdup(item->topics) : NULL;
	ev->text_f = item->title ? xstrdup(item->title) : NULL;
	pthread_mutex_lock(&st->lock);
	snprintf(ev->uuid, sizeof ev->uuid, "%s", st->run);
	size_t warn = enqueue_locked(st, ev);
	pthread_mutex_unlock(&st->lock);
	warn_queue(st, warn);
}
