/*
 * logexport: a consistent copy of the live log (see logexport.h).
 *
 * How the snapshot stays consistent. The source is opened read-only and a
 * read transaction is begun on it (BEGIN, then a read) before the backup
 * starts; sqlite3_backup_step uses that open transaction instead of taking
 * one per step, so every step copies pages of the same WAL snapshot and the
 * backup never has to restart however often the kiosk commits meanwhile.
 * The kiosk's writer is not blocked (WAL readers never block a writer); its
 * checkpoints just cannot reset the WAL until the copy is done.
 *
 * The destination. The temporary file is opened with locking_mode
 * EXCLUSIVE, so that when SQLite sees the WAL flag the backup copied into
 * the header it keeps the WAL index in memory instead of creating a -shm
 * file on the stick; PRAGMA journal_mode=DELETE then clears the flag. The
 * header is read back after closing to make sure of it.
 */
#define _GNU_SOURCE /* renameat2 and RENAME_NOREPLACE */

#include "report/logexport.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/util.h"
#include "store/store.h"

/* Pages copied per backup step (4 KiB pages: 1 MiB). */
#define LOGEXPORT_STEP_PAGES 256
/* How long opening the source waits for a lock (WAL recovery, say). */
#define LOGEXPORT_BUSY_TIMEOUT_MS 5000
/* Pause before retrying a step that found the source busy or locked, and
 * how long in all a step may keep finding it so. */
#define LOGEXPORT_RETRY_MS 20
#define LOGEXPORT_RETRY_LIMIT_MS 30000
/* Names tried before giving up: -2 .. -LOGEXPORT_MAX_NAMES. */
#define LOGEXPORT_MAX_NAMES 999
/* Bytes of the kiosk id kept in the file name. */
#define LOGEXPORT_ID_MAX 64

/* The tables whose rows are events; those missing from an older log are
 * skipped. Counted with fixed statements, no SQL is built. */
static const struct {
	const char *table;
	const char *count_sql;
} event_tables[] = {
	{ "sessions", "SELECT count(*) FROM sessions" },
	{ "views", "SELECT count(*) FROM views" },
	{ "lang_switches", "SELECT count(*) FROM lang_switches" },
	{ "contests", "SELECT count(*) FROM contests" },
	{ "quiz_attempts", "SELECT count(*) FROM quiz_attempts" },
	{ "quiz_answers", "SELECT count(*) FROM quiz_answers" },
	{ "runs", "SELECT count(*) FROM runs" },
	{ "problems", "SELECT count(*) FROM problems" },
};

/* One export under way. */
struct export {
	const char *log_path;      /* the source, as given */
	const char *dir;           /* the destination folder, as given */
	char *tmp;                 /* the temporary file; NULL before mkstemp */
	char *final;               /* the name it got; NULL before the rename */
	sqlite3 *src;              /* read-only, in a read transaction */
	sqlite3 *dst;              /* the temporary file */
	char *err;                 /* the first failure's message */
};

/* ------------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------------ */

/* Set x->err to the formatted message, unless one is set already; false. */
static bool fail(struct export *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool fail(struct export *x, const char *fmt, ...)
{
	if (x->err)
		return false;
	va_list ap;
	va_start(ap, fmt);
	x->err = xvasprintf(fmt, ap);
	va_end(ap);
	return false;
}

/* Plain words for an errno met writing to the destination; NULL when
 * strerror says it as well as anything. */
static const char *dest_reason(int e)
{
	switch (e) {
	case ENOSPC:
	case EDQUOT:
		return "the disk is full";
	case EFBIG:
		return "the disk is full (no room for a file this big on it)";
	case EROFS:
		return "the disk is read-only";
	case EACCES:
	case EPERM:
		return "permission denied";
	case EIO:
	case ENODEV:
	case ENXIO:
		return "input/output error (was the stick removed?)";
	default:
		return NULL;
	}
}

/* Fail with "<dir>: cannot <doing>: <reason>" for errno e. */
static bool fail_dest_errno(struct export *x, const char *doing, int e)
{
	const char *why = dest_reason(e);
	return fail(x, "%s: cannot %s: %s", x->dir, doing,
		    why ? why : strerror(e));
}

/* The errno behind SQLite result rc on the destination: the one SQLite
 * kept for the file itself, else the connection's, else ENOSPC for
 * SQLITE_FULL (SQLite reports a full disk that way and clears the errno). */
static int dest_errno(struct export *x, int rc)
{
	int e = 0;
	if (x->dst) {
		sqlite3_file_control(x->dst, "main", SQLITE_FCNTL_LAST_ERRNO,
				     &e);
		if (e == 0)
			e = sqlite3_system_errno(x->dst);
	}
	if ((rc & 0xff) == SQLITE_FULL)
		e = ENOSPC;
	return e;
}

/* Fail with "<dir>: cannot <doing>: <reason>" for SQLite result rc on the
 * destination (SQLite's own message when no errno explains it). */
static bool fail_dest_sqlite(struct export *x, const char *doing, int rc)
{
	int e = dest_errno(x, rc);
	if (dest_reason(e))
		return fail_dest_errno(x, doing, e);
	return fail(x, "%s: cannot %s: %s", x->dir, doing,
		    x->dst ? sqlite3_errmsg(x->dst) : sqlite3_errstr(rc));
}

/* ------------------------------------------------------------------------
 * The source
 * ------------------------------------------------------------------------ */

/* First column of the one-row query sql on db, as an integer; the SQLite
 * result code (SQLITE_OK when read). */
static int query_int(sqlite3 *db, const char *sql, const char *param,
		     int64_t *out)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK && param)
		rc = sqlite3_bind_text(s, 1, param, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(s, 0);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			rc = SQLITE_ERROR;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

/* Does db have table name? false when it cannot tell (*rc set). */
static bool has_table(sqlite3 *db, const char *name, int *rc)
{
	int64_t n = 0;
	*rc = query_int(db, "SELECT count(*) FROM sqlite_master"
			" WHERE type = 'table' AND name = ?1", name, &n);
	return *rc == SQLITE_OK && n > 0;
}

/* Open path read-only with the URI query given, begin a read transaction
 * (the snapshot the copy will hold) and check that it is a kiosk log.
 * Returns the SQLite result code of the first failing step; *not_log says
 * the file was read but is not a kiosk log. On success *out is the open
 * connection in its read transaction; on failure it is closed. */
static int open_snapshot(const char *path, const char *query, sqlite3 **out,
			 bool *not_log, char **sqlmsg)
{
	*out = NULL;
	*not_log = false;
	*sqlmsg = NULL;
	char *uri = store_file_uri(path, query);
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY |
				 SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc == SQLITE_OK) {
		sqlite3_extended_result_codes(db, 1);
		sqlite3_busy_timeout(db, LOGEXPORT_BUSY_TIMEOUT_MS);
		rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	}
	/* The first read starts the read transaction, kept until the end. */
	int64_t version = 0;
	if (rc == SQLITE_OK)
		rc = query_int(db, "PRAGMA user_version", NULL, &version);
	bool views = false;
	if (rc == SQLITE_OK)
		views = has_table(db, "views", &rc);
	if (rc == SQLITE_OK && (version < 1 || !views))
		*not_log = true;
	if (rc != SQLITE_OK || *not_log) {
		if (rc != SQLITE_OK)
			*sqlmsg = xstrdup(db ? sqlite3_errmsg(db)
					     : sqlite3_errstr(rc));
		sqlite3_close(db);
		return rc;
	}
	*out = db;
	return SQLITE_OK;
}

/* Open the log and take the snapshot. A WAL log on a read-only medium
 * cannot be read without its -shm; when its -wal is missing or empty there
 * is nothing to miss, and it is opened as immutable (as logsrc does). */
static bool open_source(struct export *x)
{
	const char *path = x->log_path;
	if (dir_exists(path))
		return fail(x, "%s: is a folder, not a log file", path);
	if (!file_exists(path))
		return fail(x, "%s: no such file", path);

	bool not_log;
	char *msg;
	int rc = open_snapshot(path, "mode=ro", &x->src, &not_log, &msg);
	int base = rc & 0xff;
	if (base == SQLITE_CANTOPEN || base == SQLITE_READONLY) {
		char *wal = xasprintf("%s-wal", path);
		struct stat st;
		bool wal_empty = stat(wal, &st) != 0 || st.st_size == 0;
		free(wal);
		if (wal_empty) {
			free(msg);
			rc = open_snapshot(path, "mode=ro&immutable=1", &x->src,
					   &not_log, &msg);
			base = rc & 0xff;
		}
	}
	if (rc == SQLITE_OK && !not_log)
		return true;
	if (not_log)
		fail(x, "%s: not a kiosk log (no log schema)", path);
	else if (base == SQLITE_NOTADB)
		fail(x, "%s: not a kiosk log (not an SQLite database)", path);
	else
		fail(x, "%s: cannot read: %s", path, msg);
	free(msg);
	return false;
}

/* ------------------------------------------------------------------------
 * The destination
 * ------------------------------------------------------------------------ */

/* An export killed mid-copy (a power cut) leaves its hidden temporary
 * file, and perhaps SQLite's journal of it, in the folder: remove them
 * before the next export there, so a stick does not fill with them.
 * Only names this module makes are touched. */
static void remove_stale_temps(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		const char *dot = strstr(n, ".tmp");
		if (strncmp(n, ".kiosk-log-", 11) != 0 || strlen(n) < 21 ||
		    !dot || dot != n + 17 ||
		    (dot[4] != '\0' && strcmp(dot + 4, "-journal") != 0))
			continue;
		char *path = path_join(dir, n);
		unlink(path);
		free(path);
	}
	closedir(d);
}

/* Create the folder if missing and a temporary file in it. */
static bool make_temp(struct export *x)
{
	if (!mkdir_parents(x->dir)) {
		int e = errno;
		if (e == EEXIST)
			return fail(x, "%s: is not a folder (a file of that "
				    "name is in the way)", x->dir);
		if (e == ENOTDIR)
			return fail(x, "%s: is not a folder (a part of its "
				    "path is a file)", x->dir);
		return fail_dest_errno(x, "create the folder", e);
	}
	remove_stale_temps(x->dir);
	char *name = path_join(x->dir, ".kiosk-log-XXXXXX.tmp");
	int fd = mkstemps(name, 4);
	if (fd < 0) {
		free(name);
		return fail_dest_errno(x, "write in the folder", errno);
	}
	/* mkstemp's 0600 would hide the copy from other users of a Linux
	 * file system; on FAT this may fail, which is harmless. */
	(void)fchmod(fd, 0644);
	/* Closed at once: closing another descriptor of the file later would
	 * drop the POSIX locks SQLite holds on it. */
	close(fd);
	x->tmp = name;
	return true;
}

/* Remove the temporary file and anything SQLite left beside it. */
static void remove_temp(struct export *x)
{
	if (!x->tmp)
		return;
	static const char *const suffixes[] = { "", "-journal", "-wal",
						"-shm" };
	for (size_t i = 0; i < ARRAY_LEN(suffixes); i++) {
		char *p = xasprintf("%s%s", x->tmp, suffixes[i]);
		unlink(p);
		free(p);
	}
	free(x->tmp);
	x->tmp = NULL;
}

/* Run a statement without result rows on the destination; false after a
 * message saying what it was doing. */
static bool dst_exec(struct export *x, const char *sql, const char *doing)
{
	int rc = sqlite3_exec(x->dst, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return fail_dest_sqlite(x, doing, rc);
	return true;
}

static bool open_dest(struct export *x)
{
	char *uri = store_file_uri(x->tmp, "mode=rw");
	int rc = sqlite3_open_v2(uri, &x->dst, SQLITE_OPEN_READWRITE |
				 SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc != SQLITE_OK)
		return fail_dest_sqlite(x, "write the copy", rc);
	sqlite3_extended_result_codes(x->dst, 1);
	return dst_exec(x, "PRAGMA locking_mode = EXCLUSIVE",
			"write the copy");
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

/* Was rc, from a backup step, about reading the source (rather than
 * writing the copy)? */
static bool source_error(int rc)
{
	switch (rc) {
	case SQLITE_IOERR_READ:
	case SQLITE_IOERR_SHORT_READ:
		return true;
	default:
		return (rc & 0xff) == SQLITE_CORRUPT ||
		       (rc & 0xff) == SQLITE_NOTADB;
	}
}

/* Copy every page of the snapshot into the destination, calling progress
 * after each step that copied some. */
static bool copy_pages(struct export *x, logexport_progress_fn *progress,
		       void *data)
{
	sqlite3_backup *b = sqlite3_backup_init(x->dst, "main", x->src,
						"main");
	if (!b)
		return fail(x, "%s: cannot start the copy: %s", x->dir,
			    sqlite3_errmsg(x->dst));
	int rc;
	int64_t done = 0;
	int waited_ms = 0;
	bool cancelled = false;
	for (;;) {
		rc = sqlite3_backup_step(b, LOGEXPORT_STEP_PAGES);
		int base = rc & 0xff;
		if (base == SQLITE_BUSY || base == SQLITE_LOCKED) {
			if (waited_ms >= LOGEXPORT_RETRY_LIMIT_MS)
				break;
			sleep_ms(LOGEXPORT_RETRY_MS);
			waited_ms += LOGEXPORT_RETRY_MS;
			continue;
		}
		if (rc != SQLITE_OK && rc != SQLITE_DONE)
			break;
		waited_ms = 0;
		int64_t total = sqlite3_backup_pagecount(b);
		int64_t now = total - sqlite3_backup_remaining(b);
		if (progress && total > 0 && now > done &&
		    !progress(data, now, total)) {
			cancelled = true;
			break;
		}
		done = now;
		if (rc == SQLITE_DONE)
			break;
	}
	/* The step's errno is read before finish, which may roll back. */
	int e = rc == SQLITE_DONE || cancelled ? 0 : dest_errno(x, rc);
	int frc = sqlite3_backup_finish(b);
	if (cancelled)
		return fail(x, "%s: the export was cancelled", x->dir);
	if (rc == SQLITE_DONE && frc == SQLITE_OK)
		return true;
	int base = rc & 0xff;
	if (base == SQLITE_BUSY || base == SQLITE_LOCKED)
		return fail(x, "%s: cannot read: the log stayed locked for "
			    "%d s", x->log_path, LOGEXPORT_RETRY_LIMIT_MS / 1000);
	if (rc == SQLITE_DONE)
		rc = frc;
	if (source_error(rc))
		return fail(x, "%s: cannot read: %s", x->log_path,
			    sqlite3_errstr(rc));
	if (dest_reason(e))
		return fail_dest_errno(x, "write the copy", e);
	return fail(x, "%s: cannot write the copy: %s", x->dir,
		    sqlite3_errmsg(x->dst));
}

/* Make the copy one self-contained file, check it and count its events. */
static bool finish_dest(struct export *x, int64_t *events)
{
	/* Read first, so that SQLite notices the WAL flag the backup copied
	 * from the live log before being asked to leave WAL. */
	int64_t n = 0;
	int rc = query_int(x->dst, "SELECT count(*) FROM sqlite_master", NULL,
			   &n);
	if (rc != SQLITE_OK)
		return fail_dest_sqlite(x, "read the copy back", rc);

	sqlite3_stmt *s = NULL;
	rc = sqlite3_prepare_v2(x->dst, "PRAGMA journal_mode = DELETE", -1, &s,
				NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		return fail_dest_sqlite(x, "make the copy a single file", rc);
	}
	const char *mode = (const char *)sqlite3_column_text(s, 0);
	bool single = mode && strcmp(mode, "delete") == 0;
	char *mode_copy = xstrdup(mode ? mode : "?");
	sqlite3_finalize(s);
	if (!single) {
		fail(x, "%s: cannot make the copy a single file: SQLite kept "
		     "journal_mode %s", x->dir, mode_copy);
		free(mode_copy);
		return false;
	}
	free(mode_copy);

	rc = sqlite3_prepare_v2(x->dst, "PRAGMA quick_check", -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		return fail_dest_sqlite(x, "check the copy", rc);
	}
	const char *verdict = (const char *)sqlite3_column_text(s, 0);
	if (!verdict || strcmp(verdict, "ok") != 0) {
		fail(x, "%s: the copy failed its check (%s); the log itself "
		     "may be damaged (%s)", x->dir, verdict ? verdict : "?",
		     x->log_path);
		sqlite3_finalize(s);
		return false;
	}
	sqlite3_finalize(s);

	*events = 0;
	for (size_t i = 0; i < ARRAY_LEN(event_tables); i++) {
		if (!has_table(x->dst, event_tables[i].table, &rc)) {
			if (rc != SQLITE_OK)
				return fail_dest_sqlite(x, "read the copy back",
							rc);
			continue;
		}
		rc = query_int(x->dst, event_tables[i].count_sql, NULL, &n);
		if (rc != SQLITE_OK)
			return fail_dest_sqlite(x, "read the copy back", rc);
		*events += n;
	}

	rc = sqlite3_close(x->dst);
	x->dst = NULL;
	if (rc != SQLITE_OK)
		return fail(x, "%s: cannot close the copy: %s", x->dir,
			    sqlite3_errstr(rc));
	return true;
}

/* Check the closed copy's header (an SQLite file in rollback-journal mode,
 * bytes 18 and 19 both 1), fsync it and take its size. */
static bool sync_temp(struct export *x, int64_t *bytes)
{
	int fd = open(x->tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail_dest_errno(x, "read the copy back", errno);
	unsigned char h[20];
	ssize_t got = pread(fd, h, sizeof h, 0);
	int e = errno;
	struct stat st;
	bool ok = false;
	if (got < 0) {
		fail_dest_errno(x, "read the copy back", e);
	} else if (got != (ssize_t)sizeof h ||
		   memcmp(h, "SQLite format 3", 16) != 0 ||
		   h[18] != 1 || h[19] != 1) {
		fail(x, "%s: the copy is not a single self-contained SQLite "
		     "file", x->dir);
	} else if (fsync(fd) != 0) {
		fail_dest_errno(x, "write the copy", errno);
	} else if (fstat(fd, &st) != 0) {
		fail_dest_errno(x, "read the copy back", errno);
	} else {
		*bytes = (int64_t)st.st_size;
		ok = true;
	}
	close(fd);
	return ok;
}

/* ------------------------------------------------------------------------
 * The final name
 * ------------------------------------------------------------------------ */

/* The kiosk id as it may stand in a FAT file name: characters FAT refuses
 * and control characters become '_', cut to LOGEXPORT_ID_MAX bytes on a
 * character boundary; "unnamed" when empty. Caller frees. */
static char *safe_id(const char *id)
{
	if (!id || !*id)
		return xstrdup("unnamed");
	size_t len = strlen(id);
	if (len > LOGEXPORT_ID_MAX) {
		len = LOGEXPORT_ID_MAX;
		/* back off over UTF-8 continuation bytes */
		while (len > 0 && ((unsigned char)id[len] & 0xc0) == 0x80)
			len--;
	}
	char *out = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];
		out[i] = c < 0x20 || c == 0x7f || strchr("<>:\"/\\|?*", c)
			 ? '_' : (char)c;
	}
	out[len] = '\0';
	return out;
}

/* Rename from to to unless to exists. Returns 0, or an errno (EEXIST when
 * taken). Where the file system cannot refuse to replace, a name that
 * exists is skipped first (a race with another export is left open). */
static int rename_new(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return errno;
	struct stat st;
	if (lstat(to, &st) == 0)
		return EEXIST;
	return rename(from, to) == 0 ? 0 : errno;
}

/* Give the copy its name: kiosk-log-<id>-<YYYY-MM-DD>[-N].sqlite. */
static bool place(struct export *x, const char *kiosk_id)
{
	time_t now = time(NULL);
	struct tm tm;
	char date[16] = "0000-00-00";
	if (localtime_r(&now, &tm))
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
	char *id = safe_id(kiosk_id);
	int e = EEXIST;
	for (int n = 1; n <= LOGEXPORT_MAX_NAMES && e == EEXIST; n++) {
		char *name = n == 1
			? xasprintf("kiosk-log-%s-%s.sqlite", id, date)
			: xasprintf("kiosk-log-%s-%s-%d.sqlite", id, date, n);
		char *path = path_join(x->dir, name);
		free(name);
		e = rename_new(x->tmp, path);
		if (e == 0) {
			x->final = path;
			free(x->tmp);
			x->tmp = NULL;
		} else {
			free(path);
		}
	}
	if (e == EEXIST)
		fail(x, "%s: cannot name the copy: kiosk-log-%s-%s.sqlite and "
		     "%d numbered names after it are taken", x->dir, id, date,
		     LOGEXPORT_MAX_NAMES - 1);
	else if (e != 0)
		fail_dest_errno(x, "name the copy", e);
	free(id);
	return e == 0;
}

/* fsync the folder so that the rename survives a pulled stick. */
static bool sync_dir(struct export *x)
{
	if (!dir_fsync(x->dir))
		return fail_dest_errno(x, "write in the folder", errno);
	return true;
}

/* ------------------------------------------------------------------------
 * The export
 * ------------------------------------------------------------------------ */

bool logexport_copy(const char *log_path, const char *dir,
		    const char *kiosk_id, logexport_progress_fn *progress,
		    void *data, struct logexport_result *out, char **err)
{
	struct export x = { .log_path = log_path, .dir = dir };
	int64_t events = 0, bytes = 0;
	bool ok = open_source(&x) && make_temp(&x) && open_dest(&x) &&
		  copy_pages(&x, progress, data);
	/* The snapshot is no longer needed: let the kiosk checkpoint. */
	sqlite3_close(x.src);
	x.src = NULL;
	ok = ok && finish_dest(&x, &events) && sync_temp(&x, &bytes) &&
	     place(&x, kiosk_id);
	if (ok && !sync_dir(&x)) {
		/* Named, but the name may not survive: take it back. */
		unlink(x.final);
		ok = false;
	}
	sqlite3_close(x.dst);
	remove_temp(&x);
	if (!ok) {
		free(x.final);
		*err = x.err ? x.err : xasprintf("%s: the export failed", dir);
		return false;
	}
	out->path = x.final;
	out->events = events;
	out->bytes = bytes;
	*err = NULL;
	return true;
}
