/*
 * watchdog: telling systemd how the kiosk is doing (sd_notify).
 *
 * Under the appliance's unit (assets/systemd/kiosk.service, Type=notify,
 * WatchdogSec=) the kiosk says when it is up, shows a status line in
 * `systemctl status kiosk`, and keeps the watchdog fed from its frame
 * loop, so systemd restarts a kiosk whose loop has stopped. Outside
 * systemd (no NOTIFY_SOCKET in the environment) every call does nothing.
 *
 * The module keeps its state in file-static variables: only the main
 * thread may call it. A failure to notify is logged once, then ignored.
 */
#ifndef KIOSK_BASE_WATCHDOG_H
#define KIOSK_BASE_WATCHDOG_H

#include <stdint.h>

/* Tell systemd the kiosk is up (READY=1) and its status line (status may
 * be NULL: no status). No-op outside systemd (no NOTIFY_SOCKET). */
void watchdog_ready(const char *status);

/* Called from the frame loop every frame: sends WATCHDOG=1 when the
 * service has WatchdogSec (sd_watchdog_enabled, read on the first call and
 * kept) and at least half the interval has passed since the last one; the
 * first call sends at once. Cheap otherwise (no system call). now_ms is a
 * monotonic clock in ms (time_mono_ms). */
void watchdog_kick(int64_t now_ms);

/* How long the frame loop may sleep, from now_ms, before watchdog_kick is
 * due again: milliseconds (0 when due now), or -1 when there is no
 * watchdog. A loop that waits for events with no deadline must wait at
 * most this long, or an idle kiosk is killed as hung. */
int watchdog_wait_ms(int64_t now_ms);

/* STATUS= line, printf-style (e.g. "importing a content pack 40 %").
 * Line breaks in the result are sent as spaces; more than 256 bytes are
 * cut at a character boundary. */
void watchdog_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* STOPPING=1 as the kiosk ends cleanly. */
void watchdog_stopping(void);

/* For tests only: forget the cached watchdog interval and the time of the
 * last kick, so the next call reads the environment again. */
void watchdog_reset_for_tests(void);

#endif
