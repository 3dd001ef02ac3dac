/*
 * watchdog: telling systemd how the kiosk is doing (see watchdog.h).
 */
#include "base/watchdog.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#include "base/log.h"

/* Longest STATUS= text sent, bytes. */
#define WATCHDOG_STATUS_MAX 256

/* State of the main thread, the only caller (see watchdog.h). */
static bool wd_checked;         /* sd_watchdog_enabled has been read */
static int64_t wd_half_ms;      /* half of WatchdogSec, ms; 0 = no watchdog */
static bool wd_kicked;          /* a WATCHDOG=1 has been sent */
static int64_t wd_last_ms;      /* when, on the caller's clock */
static bool wd_warned;          /* a failure to notify has been logged */

/* Send state to systemd. Logs the first failure only: a kiosk that cannot
 * reach its service manager once will not reach it on the next frame
 * either. */
static void notify(const char *state)
{
	int r = sd_notify(0, state);
	if (r < 0 && !wd_warned) {
		wd_warned = true;
		log_warn("cannot notify systemd (%.*s): %s",
			 (int)strcspn(state, "\n"), state, strerror(-r));
	}
}

/* Read WATCHDOG_USEC (and WATCHDOG_PID) once. */
static void check_enabled(void)
{
	if (wd_checked)
		return;
	wd_checked = true;
	wd_half_ms = 0;
	uint64_t usec = 0;
	int r = sd_watchdog_enabled(0, &usec);
	if (r < 0) {
		log_warn("WATCHDOG_USEC or WATCHDOG_PID from systemd unreadable (%s): "
			 "the watchdog is not kicked", strerror(-r));
	} else if (r > 0) {
		wd_half_ms = (int64_t)(usec / 2000);
		if (wd_half_ms < 1)
			wd_half_ms = 1;
		log_info("systemd watchdog: %llu ms, kicked every %lld ms",
			 (unsigned long long)(usec / 1000), (long long)wd_half_ms);
	}
}

/* "<prefix>STATUS=<text>" into buf (at least WATCHDOG_STATUS_MAX + 32
 * bytes), the text cut to WATCHDOG_STATUS_MAX bytes on a character
 * boundary (systemd ignores a status that is not UTF-8) and its line
 * breaks made spaces, so they cannot start another assignment. */
static void status_message(char *buf, size_t size, const char *prefix,
			   const char *text)
{
	size_t len = strnlen(text, WATCHDOG_STATUS_MAX);
	while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
		len--;      /* do not split a UTF-8 sequence */
	int n = snprintf(buf, size, "%sSTATUS=", prefix);
	snprintf(buf + n, size - (size_t)n, "%.*s", (int)len, text);
	for (char *p = buf + n; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

void watchdog_ready(const char *status)
{
	if (!status) {
		notify("READY=1");
		return;
	}
	char buf[WATCHDOG_STATUS_MAX + 32];
	status_message(buf, sizeof buf, "READY=1\n", status);
	notify(buf);
}

void watchdog_kick(int64_t now_ms)
{
	check_enabled();
	if (!wd_half_ms)
		return;
	if (wd_kicked && now_ms - wd_last_ms < wd_half_ms)
		return;
	wd_kicked = true;
	wd_last_ms = now_ms;
	notify("WATCHDOG=1");
}

int watchdog_wait_ms(int64_t now_ms)
{
	check_enabled();
	if (!wd_half_ms)
		return -1;
	if (!wd_kicked)
		return 0;
	int64_t left = wd_last_ms + wd_half_ms - now_ms;
	return left < 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int)left;
}

void watchdog_status(const char *fmt, ...)
{
	char text[2 * WATCHDOG_STATUS_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	char buf[WATCHDOG_STATUS_MAX + 32];
	status_message(buf, sizeof buf, "", text);
	notify(buf);
}

void watchdog_stopping(void)
{
	notify("STOPPING=1");
}

void watchdog_reset_for_tests(void)
{
	wd_checked = false;
	wd_half_ms = 0;
	wd_kicked = false;
	wd_last_ms = 0;
	wd_warned = false;
}
