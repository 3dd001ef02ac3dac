/*
 * logexport: a consistent copy of the live log, taken while the kiosk
 * keeps logging, for the operator to carry to the district office.
 *
 * The copy is made with SQLite's online backup API from a read-only
 * connection of its own, so it is one snapshot of the log (every event
 * committed before it began, none half-written) and the kiosk's logging
 * thread is never blocked for long. It is written to a temporary file in
 * the destination folder, converted to a single self-contained file
 * (journal_mode DELETE: no -wal or -shm beside it), checked with
 * PRAGMA quick_check, fsynced, and renamed into place, so a stick pulled
 * out mid-copy never leaves a file that looks complete.
 *
 * The file is named kiosk-log-<kiosk id>-<YYYY-MM-DD>.sqlite (local date);
 * when that name is taken, -2, -3 ... is added before the extension.
 * Characters of the kiosk id that a FAT file system refuses are replaced
 * with '_'.
 */
#ifndef KIOSK_REPORT_LOGEXPORT_H
#define KIOSK_REPORT_LOGEXPORT_H

#include <stdbool.h>
#include <stdint.h>

/* Called as pages are copied: done of total (total > 0), done growing from
 * call to call, the last call with done == total. Return false to cancel
 * the export (nothing is left behind). */
typedef bool logexport_progress_fn(void *data, int64_t done, int64_t total);

struct logexport_result {
	char *path;          /* the file written; caller frees */
	int64_t events;      /* events in the copy (sessions, views, ...) */
	int64_t bytes;       /* its size */
};

/* Copy the log at log_path into dir (created if missing), naming the copy
 * after kiosk_id (NULL or "": "unnamed"). Blocks for the length of the
 * copy; any thread (it shares nothing with the store). On success fills
 * *out and returns true. On failure returns false and sets *err to a new
 * string (caller frees) saying what went wrong, naming the file or folder:
 * the log is missing or not a kiosk log, the folder cannot be created or
 * written, the disk is full, the copy failed its check, the stick went
 * away. progress may be NULL. */
bool logexport_copy(const char *log_path, const char *dir,
		    const char *kiosk_id, logexport_progress_fn *progress,
		    void *data, struct logexport_result *out, char **err);

#endif
