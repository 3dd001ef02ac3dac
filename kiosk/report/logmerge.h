/*
 * logmerge: kiosk logs merged into one working database, each event once.
 *
 * Every event in a kiosk log has a globally unique id (UUID), so exports of
 * the same kiosk taken on different days overlap without double counting:
 * a row already merged is kept (an update of the same view or attempt,
 * say its seconds, keeps the larger value), and merging the same file
 * twice changes nothing.
 *
 * The working database is in memory; its tables hold only what the
 * figures need, each event keyed by its kiosk, the wall time it was
 * logged with (raw_ms) and the 16 bytes of its UUID:
 *   s   sessions        site, lang, undated
 *   v   views           site, item, lang, seconds, completed, undated
 *   c   contests        site, class_name, topic, n_questions
 *   a   quiz attempts   contest, site, player, topic, lang, n_questions,
 *                       score, answered, completed
 *   r   runs            version, up_ms (start to last sign of life),
 *                       ended, errors, warnings
 *   p   problems        severity, message, kind (the message with each
 *                       run of digits as '#')
 *   lib the library     (kiosk, item, lang) item_kind, lang_kind, topics,
 *                       title, first_run, last_run (the uuids of the
 *                       first and the latest run that listed it, in r)
 * Each event table also has uuid, kiosk, raw_ms (the wall time the row
 * was logged with), start_ms, day and trust. day is the local date of
 * start_ms as a day number (days since 1970-01-01).
 *
 * start_ms is the wall time in ms since the epoch. A row logged before
 * the clock was set (or with a clock nobody confirmed while a better one
 * was known later in the same boot) is placed by the offset between wall
 * and boot time of the most trusted, then latest, row of its boot in the
 * same file; trust is the clock trust (enum store_clock) the placement
 * rests on. A row that cannot be placed keeps the time the unset clock
 * showed, with trust 0 and undated = 1. When copies of an event differ,
 * the placement with the higher trust wins, whatever the order of the
 * files.
 *
 * Messages go to stderr, beginning with LOGSRC_PREFIX.
 */
#ifndef KIOSK_REPORT_LOGMERGE_H
#define KIOSK_REPORT_LOGMERGE_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

struct logmerge;

/* SQL: the local date (TZ) of a time in ms since the epoch, as a day
 * number. */
#define LOGMERGE_DAY_OF(MS) \
	"CAST(julianday((" MS ") / 1000, 'unixepoch', 'localtime')" \
	" - 2440587.5 AS INTEGER)"

/* Called after each file with its index (0-based), the count of files
 * given to logmerge_add_all, the path and the event rows read so far
 * (new or updated). */
typedef void logmerge_progress_fn(void *data, int index, int n_files,
				  const char *path, int64_t events);

/* An empty merge. NULL after a message when SQLite cannot open one. */
struct logmerge *logmerge_new(void);
void logmerge_free(struct logmerge *m);

/* Merge one log (a live log or an export). Returns false after a message
 * naming path when it cannot be read or is not a kiosk log; the merge
 * keeps what it had. */
bool logmerge_add(struct logmerge *m, const char *path);

/* Merge paths[0..n) in turn, calling progress (may be NULL) after each.
 * Stops at the first file that cannot be merged and returns false. */
bool logmerge_add_all(struct logmerge *m, const char *const *paths, int n,
		      logmerge_progress_fn *progress, void *data);

/* Files merged so far, and distinct events merged (rows of every table
 * but lib; counted, so call it once, not per file). */
int64_t logmerge_files(const struct logmerge *m);
int64_t logmerge_events(struct logmerge *m);

/* The working database, for reading (figures.c). Owned by m. */
sqlite3 *logmerge_db(struct logmerge *m);

#endif
