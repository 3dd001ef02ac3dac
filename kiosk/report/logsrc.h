/*
 * logsrc: the reports' in-memory working database and the kiosk log
 * attached to it read-only, in turn, as "src".
 */
#ifndef KIOSK_REPORT_LOGSRC_H
#define KIOSK_REPORT_LOGSRC_H

#include <stdbool.h>

#include <sqlite3.h>

/* Every message of this module goes to stderr and begins with this. */
#define LOGSRC_PREFIX "kiosk report: "

/* Open an in-memory working database (URIs allowed, extended result
 * codes, 5 s busy timeout) and run schema in it. Returns the handle, owned
 * by the caller (sqlite3_close), or NULL after a message. */
sqlite3 *logsrc_open_work(const char *schema);

/* Run sql, statements without result rows, on db. Returns false after the
 * message "kiosk report: <what>: <SQLite's error>". */
bool logsrc_exec(sqlite3 *db, const char *sql, const char *what);

/* Attach the kiosk log at path read-only as "src" and check that it is a
 * kiosk log (a user_version of 1 or more and a views table). On a
 * read-only medium, a WAL log without its -shm and with no -wal content is
 * attached as immutable. When has_quiz is not NULL, *has_quiz says whether
 * the log has the quiz tables (contests, quiz_attempts, quiz_answers).
 * Returns true with src attached (logsrc_detach when done), or false after
 * a message naming path, with nothing attached: path is a directory, is
 * missing, cannot be opened or read, or is not a kiosk log. */
bool logsrc_attach(sqlite3 *db, const char *path, bool *has_quiz);

/* Detach src; does nothing when nothing is attached. */
void logsrc_detach(sqlite3 *db);

/* ---- Dating rows logged before the clock was set ----
 *
 * Every row of a kiosk log has its wall time, boot counter, ms since boot
 * and the trust of its clock (enum store_clock). A row whose clock is at
 * most UNCONFIRMED, in a boot where a better clock was seen, is placed by
 * the offset between wall and boot time of that boot's most trusted, then
 * latest, row in the same file; the boot clock is monotonic. */

/* The working table of offsets; put it in the schema given to
 * logsrc_open_work. */
#define LOGSRC_OFF_SCHEMA \
	"CREATE TABLE off (boot INTEGER PRIMARY KEY," \
	"  offset_ms INTEGER NOT NULL, clock INTEGER NOT NULL);"

/* Fill off with the offsets of every boot of the attached file, from all
 * its tables of events. False after a message naming path. */
bool logsrc_boot_offsets(sqlite3 *db, const char *path);

/* In a SELECT ... FROM src.<table> x LEFT JOIN off o ON o.boot = x.boot
 * (LOGSRC_JOIN_OFF): the placed time of x, from its wall column W or its
 * boot column B, and the trust of the clock it rests on (0: undated). */
#define LOGSRC_PLACED(W, B) \
	"CASE WHEN x.clock <= 1 AND o.clock > x.clock" \
	" THEN x." B " + o.offset_ms ELSE x." W " END"
#define LOGSRC_TRUST \
	"CASE WHEN x.clock <= 1 AND o.clock > x.clock" \
	" THEN o.clock ELSE x.clock END"
#define LOGSRC_JOIN_OFF(T) \
	" FROM src." T " x LEFT JOIN off o ON o.boot = x.boot"

/* In an upsert of a table with a trust column: whether the new copy's
 * placement (its time in column COL) is the better one: a more trusted
 * clock, or as trusted and earlier, so the order of the files does not
 * matter. */
#define LOGSRC_BETTER(COL) \
	"(excluded.trust > trust OR (excluded.trust = trust AND" \
	" excluded." COL " < " COL "))"

#endif
