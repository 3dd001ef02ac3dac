/*
 * cli_pin: `kiosk pin [--clear]`, the operator menu's PIN set from a
 * terminal by whoever installs the kiosk (see base/pinlock.h).
 */
#include "cli/cli.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "base/pinlock.h"
#include "base/util.h"

#define PIN_PREFIX "kiosk pin: "

/* Room for a line read: far more than a PIN, so a long one is seen. */
#define PIN_LINE_BYTES 64

static void pin_usage(FILE *f)
{
	fputs("usage: kiosk pin [--clear]\n"
	      "\n"
	      "Set the PIN that opens the operator menu. On a terminal it is "
	      "asked for\n"
	      "twice without being shown; otherwise one line is read from "
	      "standard input.\n"
	      "A PIN is 4 to 12 digits. It is stored only as an Argon2id hash "
	      "in the data\n"
	      "directory (" PINLOCK_PIN_FILENAME "), which also keeps the "
	      "count of wrong PINs\n"
	      "(" PINLOCK_LOCK_FILENAME "); setting a PIN resets that count "
	      "and opens a locked pad.\n"
	      "\n"
	      "  --clear  remove the PIN: the operator menu asks for a new one "
	      "when it\n"
	      "           next opens\n"
	      "  --help   show this help\n", f);
}

/* ---- reading a PIN ------------------------------------------------------ */

/* The terminal's settings while echo is off, for the signal handler. */
static struct termios saved_tty;
static volatile sig_atomic_t tty_changed;

/* Put the terminal back and die of the signal as if not caught. */
static void restore_and_raise(int sig)
{
	if (tty_changed)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int tty_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static bool echo_off(struct sigaction old[])
{
	if (tcgetattr(STDIN_FILENO, &saved_tty) != 0)
		return false;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = restore_and_raise;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_LEN(tty_signals); i++) {
		sigaction(tty_signals[i], &sa, &old[i]);
		if (old[i].sa_handler == SIG_IGN)     /* stays ignored */
			sigaction(tty_signals[i], &old[i], NULL);
	}
	struct termios t = saved_tty;
	t.c_lflag &= (tcflag_t)~ECHO;
	t.c_lflag |= ECHONL;            /* the Enter still moves the cursor */
	tty_changed = 1;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) != 0) {
		tty_changed = 0;
		for (size_t i = 0; i < ARRAY_LEN(tty_signals); i++)
			sigaction(tty_signals[i], &old[i], NULL);
		return false;
	}
	return true;
}

static void echo_on(const struct sigaction old[])
{
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
	tty_changed = 0;
	for (size_t i = 0; i < ARRAY_LEN(tty_signals); i++)
		sigaction(tty_signals[i], &old[i], NULL);
}

/* Read one line from standard input into buf (PIN_LINE_BYTES) with
 * read(2), so no stdio buffer keeps a copy; the newline (and a '\r'
 * before it) is dropped. A line too long for buf is read to its end and
 * cut. Returns false at end of input before any character, or on an
 * error. */
static bool read_line(char buf[PIN_LINE_BYTES])
{
	size_t len = 0;
	bool any = false;
	char c = 0;
	for (;;) {
		ssize_t n = read(STDIN_FILENO, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		any = true;
		if (c == '\n')
			break;
		if (len + 1 < PIN_LINE_BYTES)
			buf[len++] = c;
	}
	sodium_memzero(&c, sizeof c);
	if (len && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return any;
}

/* Ask for a PIN on the terminal (prompt on stderr), without echo. */
static bool ask_pin(const char *prompt, char buf[PIN_LINE_BYTES])
{
	fputs(prompt, stderr);
	fflush(stderr);
	struct sigaction old[ARRAY_LEN(tty_signals)];
	bool quiet = echo_off(old);
	bool ok = read_line(buf);
	if (quiet)
		echo_on(old);
	else
		fputc('\n', stderr);
	return ok;
}

/* The new PIN into pin: asked twice on a terminal, else one line of
 * standard input. Returns false with the reason printed. */
static bool get_pin(char pin[PIN_LINE_BYTES])
{
	const char *why;
	if (!isatty(STDIN_FILENO)) {
		if (!read_line(pin) || !pin[0]) {
			fprintf(stderr, PIN_PREFIX "no PIN on standard input\n");
			return false;
		}
		if ((why = pinlock_pin_problem(pin))) {
			fprintf(stderr, PIN_PREFIX "%s\n", why);
			return false;
		}
		return true;
	}
	char again[PIN_LINE_BYTES];
	bool ok = false;
	if (!ask_pin("New operator PIN (4 to 12 digits): ", pin)) {
		fprintf(stderr, PIN_PREFIX "no PIN typed\n");
	} else if ((why = pinlock_pin_problem(pin))) {
		fprintf(stderr, PIN_PREFIX "%s\n", why);
	} else if (!ask_pin("The same PIN again: ", again)) {
		fprintf(stderr, PIN_PREFIX "no PIN typed\n");
	} else if (strcmp(pin, again) != 0) {
		fprintf(stderr, PIN_PREFIX "the two PINs differ; nothing "
			"changed\n");
	} else {
		ok = true;
	}
	sodium_memzero(again, sizeof again);
	return ok;
}

/* ---- kiosk pin ---------------------------------------------------------- */

int cli_pin_main(struct kiosk_config *cfg, int argc, char **argv)
{
	bool clear = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			pin_usage(stdout);
			return 0;
		} else if (!strcmp(a, "--clear")) {
			clear = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, PIN_PREFIX "unknown option '%s' (see "
				"kiosk pin --help)\n", a);
			return 2;
		} else {
			/* a PIN on the command line would show in ps and the
			 * shell's history */
			fprintf(stderr, PIN_PREFIX "the PIN is not given on the "
				"command line: it is asked for (or read from "
				"standard input)\n");
			return 2;
		}
	}

	struct pinlock *pl = pinlock_open(cfg->data_dir, time_mono_ms());
	char *path = path_join(cfg->data_dir, PINLOCK_PIN_FILENAME);
	bool had = pinlock_is_set(pl);
	char *err = NULL;
	int rc = 1;
	if (clear) {
		if (!pinlock_clear(pl, &err)) {
			fprintf(stderr, PIN_PREFIX "%s\n", err);
		} else {
			printf("%s: %s; the operator menu asks for a new PIN "
			       "when it next opens\n", path,
			       had ? "PIN removed" : "no PIN was set");
			rc = 0;
		}
	} else {
		char pin[PIN_LINE_BYTES];
		if (get_pin(pin)) {
			if (!pinlock_set(pl, pin, &err)) {
				fprintf(stderr, PIN_PREFIX "%s\n", err);
			} else {
				printf("%s: operator PIN %s\n", path,
				       had ? "replaced" : "set");
				rc = 0;
			}
		}
		sodium_memzero(pin, sizeof pin);
	}
	free(err);
	free(path);
	pinlock_destroy(pl);
	if (rc == 0 && fflush(stdout) != 0)
		rc = 1;
	return rc;
}
