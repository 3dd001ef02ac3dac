/*
 * util: small helpers shared by every module: files and paths, UTF-8
 * validation, clocks, checked allocation.
 */
#ifndef KIOSK_BASE_UTIL_H
#define KIOSK_BASE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* malloc/calloc/realloc/strdup that abort with a message when memory runs
 * out. A kiosk has nothing sensible to do then but restart under its
 * supervisor, which is better than limping on with a NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
/* printf into a new heap string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Join two path parts with exactly one '/'. Returns a new string; caller
 * frees. An absolute b is returned as a copy of b. */
char *path_join(const char *a, const char *b);

/* Read a whole file into a new NUL-terminated buffer. On success returns
 * the buffer (caller frees) and sets *len_out when not NULL. On failure
 * returns NULL with errno set. */
char *file_read_all(const char *path, size_t *len_out);

bool file_exists(const char *path);

/* Does the file name in path end in "." ext (ASCII case ignored)? */
bool path_has_ext(const char *path, const char *ext);
bool dir_exists(const char *path);

/* Create a directory and its parents (mode 0755). Returns false with errno
 * set on failure; an existing directory is success. */
bool mkdir_parents(const char *path);

/* fsync the folder at path, so that names created, renamed or removed in
 * it survive a power cut. Returns false with errno set (a file system
 * that cannot sync folders, EINVAL, counts as success). */
bool dir_fsync(const char *path);

/* Remove path and, when it is a folder, everything in it; symbolic links
 * are removed, never followed. A missing path is success. Returns false
 * with errno set by the first failure (it goes on with the rest). */
bool path_remove_tree(const char *path);

/* Replace the file path in the folder dir with text, so that a power cut
 * leaves the old file or the new one: a temporary file beside it with
 * mode (and, when run as root, dir's owner, so the kiosk's own user can
 * read what `sudo kiosk ...` wrote), fsync, rename, fsync of dir (a
 * folder that cannot be synced is logged, not failed: the rename is done).
 * Returns false with *err (caller frees) naming path; the old file then
 * stays. */
bool file_replace(const char *dir, const char *path, const char *text,
		  mode_t mode, char **err);

/* Check that s[0..len) is valid UTF-8 (no overlongs, no surrogates, no
 * code points past U+10FFFF). Returns true when valid; otherwise false and
 * *bad_offset is the byte offset of the first bad byte. */
bool utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Decode one code point from s (of at most len bytes). Returns the number
 * of bytes used (1..4), with *cp set; on invalid input returns 1 and sets
 * *cp to U+FFFD. len must be > 0. */
int utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Milliseconds on a monotonic clock that does not jump when the wall clock
 * is set (CLOCK_MONOTONIC). */
int64_t time_mono_ms(void);

/* The CLOCK_REALTIME instant ms milliseconds from now, as
 * pthread_cond_timedwait and pthread_timedjoin_np want it. */
struct timespec time_deadline_after_ms(int ms);
/* Milliseconds since the OS booted, counting suspend (CLOCK_BOOTTIME). */
int64_t time_boot_ms(void);
/* Wall-clock milliseconds since the Unix epoch. */
int64_t time_wall_ms(void);

/* Parse "YYYY-MM-DD" into days since 1970-01-01 (UTC, proleptic Gregorian).
 * Returns false on malformed input or impossible dates (2026-02-30). */
bool date_parse_days(const char *s, int64_t *days_out);

/* The date of a day number (days since 1970-01-01, proleptic Gregorian):
 * the inverse of date_parse_days, also for days before 1970 and after 9999
 * (negative day numbers and years, with year 0 for 1 BC). Days are clamped
 * to +-100 000 000 (years -271 821 to 275 760), so that any int64_t gives a
 * date in range: a day beyond the bound gives the bound's date. */
void date_from_days(int64_t days, int *year, int *month, int *day);

/* Today's local date as days since 1970-01-01 (the day number
 * date_parse_days gives for it). */
int64_t date_today_days(void);

#endif
