/*
 * util: small helpers shared by every module (see util.h).
 */
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"

static void out_of_memory(size_t size)
{
	fprintf(stderr, "kiosk: out of memory allocating %zu bytes\n", size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory(n * size);
	return p;
}

void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		out_of_memory(size);
	return q;
}

char *xstrdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = xmalloc(n);
	memcpy(d, s, n);
	return d;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	/* Format into a stack buffer first: most strings fit. */
	char small[256];
	va_list again;
	va_copy(again, ap);
	/* gcc 12 with -fsanitize=undefined warns "null format string" here
	 * (its null checks make fmt look nullable); callers are checked by
	 * the format attribute and never pass NULL. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
	int n = vsnprintf(small, sizeof small, fmt, ap);
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
	if (n < 0)
		n = 0;
	char *s = xmalloc((size_t)n + 1);
	if ((size_t)n < sizeof small)
		memcpy(s, small, (size_t)n + 1);
	else
		vsnprintf(s, (size_t)n + 1, fmt, again);
	va_end(again);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

char *path_join(const char *a, const char *b)
{
	if (!a || !*a || b[0] == '/')
		return xstrdup(b);
	size_t la = strlen(a);
	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	return xasprintf("%.*s/%s", (int)la, a, b);
}

char *file_read_all(const char *path, size_t *len_out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	int err = ferror(f) ? EIO : 0;
	fclose(f);
	if (err) {
		free(buf);
		errno = err;
		return NULL;
	}
	buf[len] = '\0';
	if (len_out)
		*len_out = len;
	return buf;
}

bool path_has_ext(const char *path, const char *ext)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	return dot && strcasecmp(dot + 1, ext) == 0;
}

bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool dir_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool mkdir_parents(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			int e = errno;
			free(p);
			errno = e;
			return false;
		}
		*s = '/';
	}
	bool ok = mkdir(p, 0755) == 0 || (errno == EEXIST && dir_exists(p));
	int e = errno;
	free(p);
	errno = e;
	return ok;
}

int utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c = s[0];
	int need;
	uint32_t min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		need = 1; c &= 0x1F; min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		need = 2; c &= 0x0F; min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		need = 3; c &= 0x07; min = 0x10000;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if ((size_t)need >= len) {
		*cp = 0xFFFD;
		return 1;
	}
	for (int i = 1; i <= need; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return need + 1;
}

bool utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		int n = utf8_decode(s + i, len - i, &cp);
		if (cp == 0xFFFD && !(n == 3 && (unsigned char)s[i] == 0xEF &&
				      (unsigned char)s[i + 1] == 0xBF &&
				      (unsigned char)s[i + 2] == 0xBD)) {
			if (bad_offset)
				*bad_offset = i;
			return false;
		}
		i += (size_t)n;
	}
	return true;
}

static int64_t clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t time_mono_ms(void) { return clock_ms(CLOCK_MONOTONIC); }

struct timespec time_deadline_after_ms(int ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}
int64_t time_boot_ms(void) { return clock_ms(CLOCK_BOOTTIME); }
int64_t time_wall_ms(void) { return clock_ms(CLOCK_REALTIME); }

/* Days from civil date, after Howard Hinnant's public-domain algorithm. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

bool date_parse_days(const char *s, int64_t *days_out)
{
	int y, m, d;
	char tail;
	if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return false;
	if (strlen(s) != 10 || y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int maxd = mdays[m - 1] + (m == 2 && leap);
	if (d > maxd)
		return false;
	*days_out = days_from_civil(y, (unsigned)m, (unsigned)d);
	return true;
}

void date_from_days(int64_t days, int *year, int *month, int *day)
{
	/* The C library's calendar (UTC, so no time zone shifts the day);
	 * the clamp keeps the year in an int. */
	if (days > 100000000)
		days = 100000000;
	else if (days < -100000000)
		days = -100000000;
	time_t t = (time_t)(days * 86400);
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	gmtime_r(&t, &tm);
	*year = tm.tm_year + 1900;
	*month = tm.tm_mon + 1;
	*day = tm.tm_mday;
}

int64_t date_today_days(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return days_from_civil((int64_t)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
			       (unsigned)tm.tm_mday);
}

bool dir_fsync(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = fsync(fd) == 0 || errno == EINVAL;
	int e = errno;
	close(fd);
	errno = e;
	return ok;
}

/* The first failure of path_remove_tree's walk (nftw has no user data). */
static _Thread_local int remove_errno;

static int remove_entry(const char *path, const struct stat *sb, int flag,
			struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	int rc = flag == FTW_DP || flag == FTW_DNR ? rmdir(path) : unlink(path);
	if (rc != 0 && errno != ENOENT && !remove_errno)
		remove_errno = errno;
	return 0;
}

bool path_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT;
	remove_errno = 0;
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) != 0)
			remove_errno = errno;
	} else if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 &&
		   !remove_errno) {
		remove_errno = errno;
	}
	errno = remove_errno;
	return remove_errno == 0;
}

/* Run as root, give fd the owner of dir (the kiosk's own user must read
 * what `sudo kiosk pin` writes). */
static bool take_dir_owner(int fd, const char *dir)
{
	struct stat st;
	if (geteuid() != 0 || stat(dir, &st) != 0)
		return true;
	return fchown(fd, st.st_uid, st.st_gid) == 0;
}

bool file_replace(const char *dir, const char *path, const char *text,
		  mode_t mode, char **err)
{
	char *tmp = xasprintf("%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp);          /* mode 0600 */
	if (fd < 0) {
		*err = xasprintf("%s: cannot write: %s", path, strerror(errno));
		free(tmp);
		return false;
	}
	size_t len = strlen(text), done = 0;
	bool ok = fchmod(fd, mode) == 0 && take_dir_owner(fd, dir);
	while (ok && done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			ok = false;
			break;
		}
		done += (size_t)n;
	}
	ok = ok && fsync(fd) == 0;
	int e = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (ok && rename(tmp, path) != 0) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		unlink(tmp);
		*err = xasprintf("%s: cannot write: %s", path, strerror(e));
	} else if (!dir_fsync(dir)) {
		log_warn("%s: cannot sync the folder after writing %s: %s", dir,
			 path, strerror(errno));
	}
	free(tmp);
	return ok;
}
