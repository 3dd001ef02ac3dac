/*
 * log: the kiosk's one logging path.
 *
 * Every message carries a level and the [file:line] it came from. SDL's and
 * libav's own logs are routed here by log_capture_libraries(). Messages go to
 * stderr and, once log_open_file() has been called, to a log file as well.
 * Thread-safe: any thread may log.
 */
#ifndef KIOSK_BASE_LOG_H
#define KIOSK_BASE_LOG_H

#include <stdbool.h>

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

/* Messages above this level are dropped. Default LOG_LEVEL_INFO, or the
 * value of the KIOSK_LOG environment variable (error|warn|info|debug). */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* Also append every message to the file at path. Returns false (and keeps
 * logging to stderr) when it cannot be opened. The file is kept under
 * LOG_FILE_MAX_BYTES: when a line takes it past that, it becomes
 * path.1 (replacing the one before) and a new file is started, so the log
 * never holds more than twice that (weeks of lines) on the card. */
bool log_open_file(const char *path);
void log_close_file(void);

#define LOG_FILE_MAX_BYTES (8L * 1024 * 1024)
/* Tests: another limit than LOG_FILE_MAX_BYTES (0: back to it). */
void log_set_file_limit(long bytes);

/* Route SDL_Log and av_log through this module. Call once at start. A
 * demuxer's messages (an AVFormatContext's) begin with its file's path. */
void log_capture_libraries(void);

/* Count of messages at LOG_LEVEL_ERROR and LOG_LEVEL_WARN since start;
 * used by tests and the health figures. */
unsigned log_error_count(void);
unsigned log_warn_count(void);

/* Optional hook that receives every message after formatting (tests use it
 * to assert on warnings). NULL removes it. Called with the log lock held:
 * the hook must not log. */
typedef void log_hook_fn(enum log_level level, const char *msg, void *data);
void log_set_hook(log_hook_fn *hook, void *data);

void log_write(enum log_level level, const char *file, int line,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define log_error(...) log_write(LOG_LEVEL_ERROR, __FILE__, __LINE__, __VA_ARGS__)
#define log_warn(...) log_write(LOG_LEVEL_WARN, __FILE__, __LINE__, __VA_ARGS__)
#define log_info(...) log_write(LOG_LEVEL_INFO, __FILE__, __LINE__, __VA_ARGS__)
#define log_debug(...) log_write(LOG_LEVEL_DEBUG, __FILE__, __LINE__, __VA_ARGS__)

#endif
