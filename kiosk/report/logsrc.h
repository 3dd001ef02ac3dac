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

#endif
