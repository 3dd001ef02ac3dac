/*
 * test_watchdog: the messages systemd would receive, read from a datagram
 * socket standing in for its NOTIFY_SOCKET: READY=1 with the status line,
 * STATUS= lines (line breaks, long UTF-8 text), STOPPING=1; WATCHDOG=1 at
 * most every half interval; nothing when the watchdog is off or meant for
 * another process; the interval read once; silence outside systemd; a
 * socket that is gone logged once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/log.h"
#include "base/util.h"
#include "base/watchdog.h"
#include "test_support.h"

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

/* A stand-in for systemd's notification socket. */
struct fixture {
	char *dir;          /* temporary directory holding the socket */
	char *path;         /* the socket's path: NOTIFY_SOCKET */
	int fd;             /* bound AF_UNIX datagram socket */
};

/* WATCHDOG_PID as systemd sets it: this process. */
static void set_watchdog_pid(pid_t pid)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%ld", (long)pid);
	setenv("WATCHDOG_PID", buf, 1);
}

/* A socket in a new temporary directory, NOTIFY_SOCKET naming it, a
 * watchdog of one second for this process, and the module's cache
 * forgotten. */
static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->dir = test_tmpdir();
	f->path = path_join(f->dir, "notify");
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(f->path) >= sizeof addr.sun_path)
		fail_msg("socket path too long: %s", f->path);
	strcpy(addr.sun_path, f->path);
	f->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(f->fd >= 0);
	if (bind(f->fd, (struct sockaddr *)&addr, sizeof addr) != 0)
		fail_msg("bind %s failed", f->path);
	setenv("NOTIFY_SOCKET", f->path, 1);
	setenv("WATCHDOG_USEC", "1000000", 1);
	set_watchdog_pid(getpid());
	watchdog_reset_for_tests();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	watchdog_reset_for_tests();
	close(f->fd);
	test_rmtree(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

/* The next message waiting on the socket is exactly want. sd_notify has
 * sent it before returning, so there is no waiting. */
static void assert_message(struct fixture *f, const char *want)
{
	char buf[1024];
	ssize_t n = recv(f->fd, buf, sizeof buf - 1, MSG_DONTWAIT);
	if (n < 0) {
		fail_msg("no message; expected \"%s\"", want);
		return;         /* (cmocka's fail is not marked noreturn) */
	}
	buf[n] = '\0';
	if (strcmp(buf, want) != 0)
		fail_msg("message \"%s\", expected \"%s\"", buf, want);
}

/* No message is waiting on the socket. */
static void assert_nothing(struct fixture *f)
{
	char buf[1024];
	ssize_t n = recv(f->fd, buf, sizeof buf - 1, MSG_DONTWAIT);
	if (n >= 0) {
		buf[n] = '\0';
		fail_msg("unexpected message \"%s\"", buf);
	}
}

/* ------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------ */

static void test_ready_and_status(void **state)
{
	struct fixture *f = *state;
	watchdog_ready("showing the library");
	assert_message(f, "READY=1\nSTATUS=showing the library");
	watchdog_ready(NULL);
	assert_message(f, "READY=1");
	watchdog_status("importing a content pack %d %%", 40);
	assert_message(f, "STATUS=importing a content pack 40 %");
	/* a line break must not start a second assignment */
	watchdog_status("two\nlines\r\nREADY=1");
	assert_message(f, "STATUS=two lines  READY=1");
	watchdog_stopping();
	assert_message(f, "STOPPING=1");
	assert_nothing(f);
}

static void test_long_status(void **state)
{
	struct fixture *f = *state;
	/* "ề" is 3 bytes: 85 of them are 255 bytes, the 86th would pass 256 */
	char text[400] = "";
	for (int i = 0; i < 100; i++)
		strcat(text, "ề");
	watchdog_status("%s", text);
	char want[300] = "STATUS=";
	for (int i = 0; i < 85; i++)
		strcat(want, "ề");
	assert_message(f, want);

	/* plain ASCII is cut at exactly 256 bytes */
	memset(text, 'a', 300);
	text[300] = '\0';
	watchdog_status("%s", text);
	snprintf(want, sizeof want, "STATUS=%.256s", text);
	assert_message(f, want);
}

static void test_kick_interval(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(watchdog_wait_ms(0), 0);   /* never kicked: due now */
	watchdog_kick(0);
	assert_message(f, "WATCHDOG=1");
	assert_int_equal(watchdog_wait_ms(0), 500);
	watchdog_kick(100);
	assert_nothing(f);
	assert_int_equal(watchdog_wait_ms(100), 400);
	watchdog_kick(499);
	assert_nothing(f);
	watchdog_kick(600);
	assert_message(f, "WATCHDOG=1");
	watchdog_kick(1000);
	assert_nothing(f);
	assert_int_equal(watchdog_wait_ms(5000), 0); /* overdue */
	watchdog_kick(1100);
	assert_message(f, "WATCHDOG=1");
	assert_nothing(f);
}

static void test_interval_read_once(void **state)
{
	struct fixture *f = *state;
	watchdog_kick(0);
	assert_message(f, "WATCHDOG=1");
	/* the interval was read on the first call and kept */
	unsetenv("WATCHDOG_USEC");
	watchdog_kick(600);
	assert_message(f, "WATCHDOG=1");
	/* once forgotten, the environment is read again: no watchdog now */
	watchdog_reset_for_tests();
	watchdog_kick(1200);
	assert_nothing(f);
	assert_int_equal(watchdog_wait_ms(1200), -1);
}

static void test_no_watchdog(void **state)
{
	struct fixture *f = *state;
	unsetenv("WATCHDOG_USEC");
	watchdog_kick(0);
	watchdog_kick(10000);
	assert_nothing(f);
	assert_int_equal(watchdog_wait_ms(0), -1);
	/* the rest still reaches systemd */
	watchdog_ready("up");
	assert_message(f, "READY=1\nSTATUS=up");
}

static void test_watchdog_for_another_process(void **state)
{
	struct fixture *f = *state;
	/* WATCHDOG_PID names the process systemd started; a child that
	 * inherited the environment must not feed the watchdog */
	set_watchdog_pid(getpid() + 1);
	watchdog_kick(0);
	assert_nothing(f);
	assert_int_equal(watchdog_wait_ms(0), -1);
}

static void test_outside_systemd(void **state)
{
	struct fixture *f = *state;
	unsetenv("NOTIFY_SOCKET");
	unsigned warns = log_warn_count();
	unsigned errors = log_error_count();
	watchdog_ready("up");
	watchdog_status("still %s", "up");
	watchdog_kick(0);
	watchdog_kick(600);
	watchdog_stopping();
	assert_nothing(f);
	assert_int_equal(log_warn_count(), warns);
	assert_int_equal(log_error_count(), errors);
}

static void test_socket_gone_logged_once(void **state)
{
	struct fixture *f = *state;
	char *gone = path_join(f->dir, "gone");
	setenv("NOTIFY_SOCKET", gone, 1);
	unsigned warns = log_warn_count();
	watchdog_ready("up");
	watchdog_kick(0);
	watchdog_kick(600);
	watchdog_status("still up");
	assert_int_equal(log_warn_count(), warns + 1);
	assert_nothing(f);
	free(gone);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ready_and_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_interval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interval_read_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_watchdog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watchdog_for_another_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_systemd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_gone_logged_once, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
