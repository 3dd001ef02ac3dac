/*
 * store: the kiosk's log in SQLite, on internal storage.
 *
 * Every visitor session, every view, every language switch, every class
 * contest and every quiz attempt and answer is a row,
 * stamped with the kiosk id, the site, a globally unique event id (UUID),
 * the wall-clock time, whether that clock was trustworthy, the boot counter
 * and milliseconds since boot (monotonic), so that a report can place rows
 * logged before the date was set.
 *
 * Writes never block the caller: store_log_* functions copy the event into
 * a queue and return; a logging thread commits the queue in one transaction
 * about once a second (store_flush forces it). The database is opened in
 * WAL mode with synchronous=FULL and the psow=0 URI parameter, so once a
 * commit returns its rows survive a power cut; a cut loses at most the batch
 * not yet committed.
 *
 * Schema version lives in PRAGMA user_version; store_open migrates older
 * databases forward (see schema notes in store.c).
 *
 * Thread use: store_open/store_close on one thread; the store_log_*
 * functions from any thread.
 */
#ifndef KIOSK_STORE_STORE_H
#define KIOSK_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* The logging thread commits what is queued this often (ms): a power cut
 * loses at most the events logged in the last STORE_COMMIT_MS and the
 * commit under way. */
#define STORE_COMMIT_MS 1000

/* File name of the live log inside the data directory. */
#define STORE_LOG_FILENAME "kiosk-log.sqlite"

/* Clock trust for a row's wall time. */
enum store_clock {
	STORE_CLOCK_UNSET = 0,     /* before the build date: clock never set */
	STORE_CLOCK_UNCONFIRMED,   /* plausible, but not synchronised */
	STORE_CLOCK_SYNCED,        /* kernel says NTP/RTC-synchronised */
	STORE_CLOCK_CONFIRMED,     /* staff confirmed the date (operator menu) */
};

struct store_identity {
	const char *kiosk_id;      /* copied */
	const char *site;          /* copied; the current village or venue */
};

/* Open (creating if needed) the log at path, run migrations, bump the boot
 * counter when the OS has booted since the last open, and start the logging
 * thread. Returns NULL with an error logged on failure. */
struct store *store_open(const char *path, const struct store_identity *id);

/* Commit what is queued, stop the thread and close. Accepts NULL. */
void store_close(struct store *st);

/* Change the site stamped on rows logged from now on. */
void store_set_site(struct store *st, const char *site);

/* Block until everything queued so far is committed. Returns false if the
 * commit failed (the rows stay queued and are retried). */
bool store_flush(struct store *st);

/* A 36-character UUID string (plus NUL) for a new event. */
#define STORE_UUID_LEN 37
void store_new_uuid(char out[STORE_UUID_LEN]);

/* A visitor session begins: writes out[] with its uuid, which later events
 * refer to. lang is the session's starting language. */
void store_session_begin(struct store *st, const char *lang,
			 char out_session[STORE_UUID_LEN]);
/* The session ended; reason is "idle", "home", "exit" ... */
void store_session_end(struct store *st, const char *session,
		       const char *reason);

/* A view began; writes out_view with its uuid. */
void store_view_begin(struct store *st, const char *session,
		      const char *item_id, const char *lang,
		      char out_view[STORE_UUID_LEN]);
/* Update a view: seconds shown so far and whether it completed. May be
 * called more than once (the last call wins); the app calls it when the
 * view ends. */
void store_view_end(struct store *st, const char *view, double seconds,
		    bool completed);
/* The same for an item with parts (the pictures of a gallery, the pages
 * of a leaflet): how many the visitor saw, of how many. */
void store_view_end_parts(struct store *st, const char *view, double seconds,
			  bool completed, int parts_seen, int parts_total);

/* The visitor switched language. */
void store_lang_switch(struct store *st, const char *session,
		       const char *from, const char *to);

/* ---- class contests and quizzes (schema notes in store.c) ---- */

/* A class contest a teacher started. */
struct store_contest {
	const char *class_name;       /* as the teacher typed it */
	const char *topic;            /* topic id, NULL: every topic */
	int n_questions;
	int seconds_per_question;     /* 0: no time limit */
};
void store_contest_begin(struct store *st, const struct store_contest *c,
			 char out_contest[STORE_UUID_LEN]);

enum store_contest_mark {
	STORE_CONTEST_ENDED,     /* no more students join */
	STORE_CONTEST_EXPORTED,  /* the teacher exported the results */
	STORE_CONTEST_CLEARED,   /* off the kiosk's screens (the rows stay
				  * in the log for the yearly report) */
};
void store_contest_mark(struct store *st, const char *contest,
			enum store_contest_mark mark);

/* A quiz begins (solo practice, or one student's turn in a contest). */
struct store_quiz {
	const char *contest;          /* NULL: solo practice */
	const char *player;           /* first name in a contest, else NULL */
	const char *topic;            /* NULL: every topic */
	const char *lang;             /* the visitor's language */
	int n_questions;
};
void store_quiz_begin(struct store *st, const char *session,
		      const struct store_quiz *q,
		      char out_attempt[STORE_UUID_LEN]);

/* One question answered (or its time ran out). */
struct store_quiz_answer {
	int position;                 /* 1-based, in the attempt */
	const char *question_id;
	const char *question_lang;    /* the language it was shown in */
	const char *question_text;    /* as shown */
	const char *chosen;           /* choice numbers in the bank's order,
				       * 1-based, comma-separated: "2", "1,3";
				       * "" when time ran out */
	const char *chosen_text;      /* their text as shown, joined by
				       * " | "; NULL when none */
	bool correct;
	bool timed_out;
	int64_t ms;                   /* from showing to answering */
};
void store_quiz_answer(struct store *st, const char *attempt,
		       const struct store_quiz_answer *a);

/* The attempt ended: score (right answers), questions answered, seconds
 * spent answering (the questions' times added up, so reading the
 * explanations does not count against a student), completed = every
 * question answered. */
void store_quiz_end(struct store *st, const char *attempt, int score,
		    int answered, double seconds, bool completed);

/* ---- health and the library (schema notes in store.c) ---- */

/* How often a running kiosk records a sign of life. */
#define STORE_ALIVE_MS 60000
/* Problem rows kept per run (the counts in runs go on counting). */
#define STORE_PROBLEMS_PER_RUN 200

/* The kiosk program started (call once, after store_open). From now on the
 * logging thread records a sign of life every STORE_ALIVE_MS, with the
 * counts of errors and warnings logged (log_error_count, log_warn_count),
 * and store_close marks the run ended cleanly. A run of an earlier start
 * that never reached store_close is marked "crash" when the OS had not
 * booted since, else "cut" (the system went down: a power cut or a
 * reset). */
void store_run_begin(struct store *st, const char *version);

/* An error or warning the kiosk logged, kept for the health report (the
 * first STORE_PROBLEMS_PER_RUN of a run). It never logs, so a log hook may
 * call it. */
void store_problem(struct store *st, bool error, const char *message);

/* An action taken in the operator menu: a short name ("pin-ok",
 * "import", "set-site", ...) and its detail (may be NULL); strings
 * copied. */
void store_operator_action(struct store *st, const char *action,
			   const char *detail);

/* One item in one language the kiosk offers (strings copied). */
struct store_library_item {
	const char *item_id;
	const char *lang;          /* a language the item has media in */
	const char *item_kind;     /* "video", "audio", ... */
	const char *lang_kind;     /* "national", "minority", "foreign" */
	const char *topics;        /* topic ids separated by spaces */
	const char *title;         /* in the default language */
};
/* List an item in one language: after store_run_begin, once per item and
 * language at start. Its last-seen time follows the run's signs of life,
 * so the report knows what was on offer in a period. */
void store_library_item(struct store *st,
			const struct store_library_item *item);

/* A SQLite "file:" URI for path with the given query (e.g. "psow=0",
 * "mode=ro"), escaping what a URI may not hold. Caller frees. */
char *store_file_uri(const char *path, const char *query);

/* Staff confirmed the date and time (operator menu): rows logged from now
 * until the next boot are STORE_CLOCK_CONFIRMED. Any thread. */
void store_confirm_clock(struct store *st);

/* The boot counter of this store (for tests and reports). */
int64_t store_boot_counter(const struct store *st);

/* Number of events committed since open (for tests). */
int64_t store_committed_count(struct store *st);

/* ---- for the durability tests ---- */

/* One event of a committed batch, as the commit hook sees it. */
struct store_commit_event {
	const char *kind;          /* "view-begin", "view-end", ... */
	const char *table;         /* the table written: "views", ... */
	const char *uuid;          /* the row inserted, or the row updated */
	bool update;               /* an update of an earlier row (an end) */
	int64_t wall_ms;           /* when it was logged (time_wall_ms) */
	int64_t boot_ms;           /* when it was logged (time_boot_ms) */
};
/* Called on the logging thread after each commit that succeeded, with
 * the events of that transaction in the order they were logged; the
 * strings are valid during the call. The durability tests use it to know
 * which events a kiosk had reported committed when it was killed. */
typedef void (*store_commit_hook)(void *user,
				  const struct store_commit_event *events,
				  size_t n);
/* Set (fn NULL: clear) the commit hook. Any thread. */
void store_set_commit_hook(struct store *st, store_commit_hook fn,
			   void *user);

/* The connection itself, for tests that change its pragmas (the
 * synchronous=OFF negative control of the crash test). Use only while
 * the store is idle (after store_flush); the connection is FULLMUTEX. */
struct sqlite3 *store_database(struct store *st);

#endif
