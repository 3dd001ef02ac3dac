/*
 * log: the kiosk's one logging path (see log.h).
 */
#include "base/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <SDL.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static enum log_level log_level_max = LOG_LEVEL_INFO; /* guarded by log_lock */
static bool log_level_from_env_done;                  /* guarded by log_lock */
static FILE *log_file;                                /* guarded by log_lock */
static char *log_file_path;                           /* guarded by log_lock */
/* Lines the log file could not take since its last good write (a full
 * disk, a read-only remount); 0 while it is written. */
static unsigned long log_file_missed;                 /* guarded by log_lock */
static long log_file_size;                            /* guarded by log_lock */
static long log_file_limit = LOG_FILE_MAX_BYTES;      /* guarded by log_lock */
static unsigned log_errors, log_warns;                /* guarded by log_lock */
static log_hook_fn *log_hook;                         /* guarded by log_lock */
static void *log_hook_data;                           /* guarded by log_lock */

static const char *const level_names[] = { "error", "warn", "info", "debug" };

static void level_from_env_locked(void)
{
	if (log_level_from_env_done)
		return;
	log_level_from_env_done = true;
	const char *env = getenv("KIOSK_LOG");
	if (!env)
		return;
	for (int i = 0; i <= LOG_LEVEL_DEBUG; i++)
		if (strcasecmp(env, level_names[i]) == 0)
			log_level_max = (enum log_level)i;
}

void log_set_level(enum log_level level)
{
	pthread_mutex_lock(&log_lock);
	log_level_from_env_done = true;
	log_level_max = level;
	pthread_mutex_unlock(&log_lock);
}

enum log_level log_get_level(void)
{
	pthread_mutex_lock(&log_lock);
	level_from_env_locked();
	enum log_level l = log_level_max;
	pthread_mutex_unlock(&log_lock);
	return l;
}

bool log_open_file(const char *path)
{
	FILE *f = fopen(path, "a");
	if (!f) {
		log_warn("%s: cannot open the log file (%s); logging to stderr "
			 "only", path, strerror(errno));
		return false;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : 0;
	char *copy = strdup(path);
	pthread_mutex_lock(&log_lock);
	if (log_file)
		fclose(log_file);
	log_file = f;
	free(log_file_path);
	log_file_path = copy;
	log_file_missed = 0;
	log_file_size = size > 0 ? size : 0;
	pthread_mutex_unlock(&log_lock);
	return true;
}

void log_set_file_limit(long bytes)
{
	pthread_mutex_lock(&log_lock);
	log_file_limit = bytes > 0 ? bytes : LOG_FILE_MAX_BYTES;
	pthread_mutex_unlock(&log_lock);
}

/* The log file passed its limit (log_lock held): it becomes path.1 and a
 * new one is begun. When that cannot be done, writing goes on where it
 * was, said once on stderr (and tried again at the next limit). */
static void rotate_locked(const char *stamp, long ms)
{
	size_t n = strlen(log_file_path);
	char *old = malloc(n + 3);
	if (!old)
		return;
	memcpy(old, log_file_path, n);
	memcpy(old + n, ".1", 3);
	FILE *f = NULL;
	if (rename(log_file_path, old) == 0)
		f = fopen(log_file_path, "a");
	if (!f) {
		fprintf(stderr, "%s.%03ld warn  [%s:%d] %s: cannot start a new log "
			"file (%s); this one grows on\n", stamp, ms, __FILE__,
			__LINE__, log_file_path, strerror(errno));
		log_file_size = 0;      /* not again until another limit's worth */
		free(old);
		return;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	fclose(log_file);
	log_file = f;
	int wrote = fprintf(log_file, "%s.%03ld info  [%s:%d] %s: the log before "
			    "this line is in %s\n", stamp, ms, __FILE__, __LINE__,
			    log_file_path, old);
	log_file_size = wrote > 0 ? wrote : 0;
	free(old);
}

void log_close_file(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_file)
		fclose(log_file);
	log_file = NULL;
	free(log_file_path);
	log_file_path = NULL;
	pthread_mutex_unlock(&log_lock);
}

/* Append one line to the log file (log_lock held). A line it cannot take
 * (a full disk) is dropped, whole, and said on stderr the first time;
 * the first line it takes again says how many it missed. */
static void file_line_locked(const char *stamp, long ms, const char *level,
			     const char *file, int line, const char *msg)
{
	const char *path = log_file_path ? log_file_path : "the log file";
	if (log_file_missed) {
		/* try again with a note of the gap first */
		errno = 0;
		if (fprintf(log_file, "%s.%03ld warn  [%s:%d] %s: %lu messages could "
			    "not be written here (see stderr or the journal)\n",
			    stamp, ms, __FILE__, __LINE__, path,
			    log_file_missed) < 0 || fflush(log_file) != 0) {
			clearerr(log_file);
			__fpurge(log_file);
			log_file_missed++;
			return;
		}
		fprintf(stderr, "%s.%03ld info  [%s:%d] %s: the log file can be "
			"written again (%lu messages are missing from it)\n", stamp,
			ms, __FILE__, __LINE__, path, log_file_missed);
		log_file_missed = 0;
	}
	errno = 0;
	int wrote = fprintf(log_file, "%s.%03ld %-5s [%s:%d] %s\n", stamp, ms,
			    level, file, line, msg);
	if (wrote >= 0 && fflush(log_file) == 0) {
		log_file_size += wrote;
		if (log_file_path && log_file_size > log_file_limit)
			rotate_locked(stamp, ms);
		return;
	}
	int e = errno;
	clearerr(log_file);
	__fpurge(log_file);     /* no half line left to come out later */
	log_file_missed = 1;
	log_errors++;
	fprintf(stderr, "%s.%03ld error [%s:%d] %s: cannot write the log file: "
		"%s%s; messages go to stderr (the journal) only until it can be "
		"written again\n", stamp, ms, __FILE__, __LINE__, path,
		e ? strerror(e) : "write error",
		e == ENOSPC ? " (disk full)" : "");
}

unsigned log_error_count(void)
{
	pthread_mutex_lock(&log_lock);
	unsigned n = log_errors;
	pthread_mutex_unlock(&log_lock);
	return n;
}

unsigned log_warn_count(void)
{
	pthread_mutex_lock(&log_lock);
	unsigned n = log_warns;
	pthread_mutex_unlock(&log_lock);
	return n;
}

void log_set_hook(log_hook_fn *hook, void *data)
{
	pthread_mutex_lock(&log_lock);
	log_hook = hook;
	log_hook_data = data;
	pthread_mutex_unlock(&log_lock);
}

__attribute__((format(printf, 4, 0)))
static void log_vwrite(enum log_level level, const char *file, int line,
		       const char *fmt, va_list ap)
{
	char msg[2048];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = '\0';

	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	localtime_r(&ts.tv_sec, &tm);
	char stamp[32];
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);

	pthread_mutex_lock(&log_lock);
	level_from_env_locked();
	if (level == LOG_LEVEL_ERROR)
		log_errors++;
	else if (level == LOG_LEVEL_WARN)
		log_warns++;
	if (log_hook)
		log_hook(level, msg, log_hook_data);
	if (level <= log_level_max) {
		fprintf(stderr, "%s.%03ld %-5s [%s:%d] %s\n", stamp,
			ts.tv_nsec / 1000000, level_names[level], file, line, msg);
		if (log_file)
			file_line_locked(stamp, ts.tv_nsec / 1000000,
					 level_names[level], file, line, msg);
	}
	pthread_mutex_unlock(&log_lock);
}

void log_write(enum log_level level, const char *file, int line,
	       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vwrite(level, file, line, fmt, ap);
	va_end(ap);
}

static void sdl_log_cb(void *userdata, int category, SDL_LogPriority priority,
		       const char *message)
{
	enum log_level level = LOG_LEVEL_DEBUG;
	if (priority >= SDL_LOG_PRIORITY_ERROR)
		level = LOG_LEVEL_ERROR;
	else if (priority == SDL_LOG_PRIORITY_WARN)
		level = LOG_LEVEL_WARN;
	else if (priority == SDL_LOG_PRIORITY_INFO)
		level = LOG_LEVEL_INFO;
	log_write(level, "SDL", category, "%s", message);
}

static void av_log_cb(void *avcl, int av_level, const char *fmt, va_list vl)
{
	if (av_level > av_log_get_level())
		return;
	enum log_level level = LOG_LEVEL_DEBUG;
	if (av_level <= AV_LOG_ERROR)
		level = LOG_LEVEL_ERROR;
	else if (av_level <= AV_LOG_WARNING)
		level = LOG_LEVEL_WARN;
	else if (av_level <= AV_LOG_INFO)
		level = LOG_LEVEL_INFO;
	/* libav prints messages in pieces; keep each piece on its own line
	 * but prefixed with the component name so it stays readable. */
	char buf[1024];
	/* the format comes from libav itself */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(buf, sizeof buf, fmt, vl);
#pragma GCC diagnostic pop
	size_t n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	if (n == 0)
		return;
	const char *who = "libav";
	const char *file = NULL;
	if (avcl) {
		const AVClass *cls = *(const AVClass **)avcl;
		if (cls && cls->item_name)
			who = cls->item_name(avcl);
		/* a demuxer speaks through its AVFormatContext, whose url is
		 * the file: name it, as every other message about a file does */
		if (cls && cls->class_name &&
		    !strcmp(cls->class_name, "AVFormatContext")) {
			const AVFormatContext *fc = avcl;
			if (fc->url && *fc->url)
				file = fc->url;
		}
	}
	if (file)
		log_write(level, who, 0, "%s: %s", file, buf);
	else
		log_write(level, who, 0, "%s", buf);
}

void log_capture_libraries(void)
{
	SDL_LogSetOutputFunction(sdl_log_cb, NULL);
	av_log_set_callback(av_log_cb);
	/* libav's warnings about individual frames are per-frame noise in a
	 * kiosk; errors are enough unless the user asked for debug. */
	av_log_set_level(log_get_level() >= LOG_LEVEL_DEBUG ? AV_LOG_INFO
							    : AV_LOG_ERROR);
}
