/*
 * test_pinlock: the operator PIN: digit rules; set, reopen, right and
 * wrong; the lockout growing from 30 s to its cap and surviving a
 * restart; the count reset by the right PIN; the stored Argon2id hash and
 * the plain PIN found nowhere on disk (ASCII or UTF-16); file modes;
 * unwritable folders; damaged files; `kiosk pin` through its main.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/config.h"
#include "base/pinlock.h"
#include "base/util.h"
#include "cli/cli.h"
#include "test_support.h"

/* Distinctive, so that finding it on disk cannot be a coincidence. */
#define PIN "73915046"
#define OTHER_PIN "2468"

/* An arbitrary start on the monotonic clock. */
#define T0 ((int64_t)5000000)

static char *file_in(const char *dir, const char *name)
{
	return path_join(dir, name);
}

static bool has_file(const char *dir, const char *name)
{
	char *p = file_in(dir, name);
	bool yes = access(p, F_OK) == 0;
	free(p);
	return yes;
}

/* ---- digit rules and the delay formula ---------------------------------- */

static void test_pin_problem(void **state)
{
	(void)state;
	assert_null(pinlock_pin_problem("1234"));
	assert_null(pinlock_pin_problem("0000"));
	assert_null(pinlock_pin_problem("123456789012"));
	assert_null(pinlock_pin_problem(PIN));
	assert_non_null(pinlock_pin_problem(NULL));
	assert_non_null(pinlock_pin_problem(""));
	assert_non_null(pinlock_pin_problem("123"));
	assert_non_null(pinlock_pin_problem("1234567890123"));
	assert_non_null(pinlock_pin_problem("12a4"));
	assert_non_null(pinlock_pin_problem(" 1234"));
	assert_non_null(pinlock_pin_problem("1234\n"));
	assert_non_null(pinlock_pin_problem("-1234"));
	/* Arabic-Indic and full-width digits are not ASCII digits */
	assert_non_null(pinlock_pin_problem("\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4"));
	assert_non_null(pinlock_pin_problem("\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94"));
	assert_true(strstr(pinlock_pin_problem("123"), "short") != NULL);
	assert_true(strstr(pinlock_pin_problem("1234567890123"), "long") != NULL);
}

static void test_delay_formula(void **state)
{
	(void)state;
	for (int n = -1; n <= PINLOCK_FREE_TRIES; n++)
		assert_int_equal(pinlock_delay_ms(n), 0);
	assert_int_equal(pinlock_delay_ms(4), 30000);
	assert_int_equal(pinlock_delay_ms(5), 60000);
	assert_int_equal(pinlock_delay_ms(6), 120000);
	assert_int_equal(pinlock_delay_ms(10), 30000 * 64);
	assert_int_equal(pinlock_delay_ms(11), PINLOCK_MAX_LOCK_MS);
	assert_int_equal(pinlock_delay_ms(1000), PINLOCK_MAX_LOCK_MS);
	assert_int_equal(pinlock_delay_ms(INT_MAX), PINLOCK_MAX_LOCK_MS);
	for (int n = PINLOCK_FREE_TRIES + 1; n < 40; n++)
		assert_true(pinlock_delay_ms(n) >= pinlock_delay_ms(n - 1));
}

/* ---- set, reopen, check ------------------------------------------------- */

static void test_not_set(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	struct pinlock *pl = pinlock_open(dir, T0);
	assert_false(pinlock_is_set(pl));
	assert_false(pinlock_is_damaged(pl));
	assert_int_equal(pinlock_check(pl, PIN, T0), PINLOCK_NOT_SET);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 0);
	assert_int_equal(pinlock_locked_ms(pl, T0), 0);
	assert_false(has_file(dir, PINLOCK_LOCK_FILENAME));
	char *err = NULL;
	assert_false(pinlock_set(pl, "12", &err));
	assert_non_null(strstr(err, "short"));
	free(err);
	assert_false(has_file(dir, PINLOCK_PIN_FILENAME));
	pinlock_destroy(pl);
	pinlock_destroy(NULL);
	test_rmtree(dir);
	free(dir);
}

static void test_set_and_check(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	/* a data directory that does not exist yet is created */
	char *data = path_join(dir, "var/lib/kiosk");
	struct pinlock *pl = pinlock_open(data, T0);
	char *err = NULL;
	if (!pinlock_set(pl, PIN, &err))
		fail_msg("%s", err);
	assert_true(pinlock_is_set(pl));
	pinlock_destroy(pl);

	pl = pinlock_open(data, T0);
	assert_true(pinlock_is_set(pl));
	assert_int_equal(pinlock_check(pl, OTHER_PIN, T0), PINLOCK_WRONG);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 1);
	assert_int_equal(pinlock_check(pl, PIN, T0), PINLOCK_OK);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 0);
	/* badly formed and missing PINs are wrong ones */
	assert_int_equal(pinlock_check(pl, "73915046x", T0), PINLOCK_WRONG);
	assert_int_equal(pinlock_check(pl, NULL, T0), PINLOCK_WRONG);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 2);
	assert_int_equal(pinlock_check(pl, PIN, T0), PINLOCK_OK);
	pinlock_destroy(pl);

	/* the file: one line, the Argon2id hash, with today's limits */
	char *pin_path = file_in(data, PINLOCK_PIN_FILENAME);
	size_t len;
	char *text = file_read_all(pin_path, &len);
	assert_non_null(text);
	assert_true(strncmp(text, "$argon2id$", 10) == 0);
	assert_true(len > 10 && text[len - 1] == '\n');
	assert_ptr_equal(strchr(text, '\n'), text + len - 1);  /* one line */
	text[len - 1] = '\0';
	assert_true(sodium_init() >= 0);
	assert_int_equal(crypto_pwhash_str_needs_rehash(text,
		crypto_pwhash_OPSLIMIT_INTERACTIVE,
		crypto_pwhash_MEMLIMIT_INTERACTIVE), 0);
	assert_int_equal(crypto_pwhash_str_verify(text, PIN, strlen(PIN)), 0);
	free(text);

	struct stat st;
	assert_int_equal(stat(pin_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(pin_path);

	/* a new PIN replaces the old one */
	pl = pinlock_open(data, T0);
	if (!pinlock_set(pl, OTHER_PIN, &err))
		fail_msg("%s", err);
	assert_int_equal(pinlock_check(pl, PIN, T0), PINLOCK_WRONG);
	assert_int_equal(pinlock_check(pl, OTHER_PIN, T0), PINLOCK_OK);
	pinlock_destroy(pl);

	/* nothing else is left in the folder (no temporary files) */
	DIR *d = opendir(data);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			assert_string_equal(e->d_name, PINLOCK_PIN_FILENAME);
	closedir(d);
	free(data);
	test_rmtree(dir);
	free(dir);
}

/* ---- the lockout ------------------------------------------------------- */

static void test_lockout(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	struct pinlock *pl = pinlock_open(dir, T0);
	char *err = NULL;
	if (!pinlock_set(pl, PIN, &err))
		fail_msg("%s", err);

	int64_t t = T0;
	for (int i = 1; i <= PINLOCK_FREE_TRIES; i++) {
		assert_int_equal(pinlock_check(pl, OTHER_PIN, t), PINLOCK_WRONG);
		assert_int_equal(pinlock_wrong_in_a_row(pl), i);
		assert_int_equal(pinlock_locked_ms(pl, t), 0);
	}
	/* the 4th wrong PIN locks for 30 s */
	assert_int_equal(pinlock_check(pl, OTHER_PIN, t), PINLOCK_WRONG);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 4);
	assert_int_equal(pinlock_locked_ms(pl, t), 30000);
	assert_int_equal(pinlock_locked_ms(pl, t + 10000), 20000);
	/* while locked, even the right PIN is not looked at nor counted */
	assert_int_equal(pinlock_check(pl, PIN, t + 10000), PINLOCK_LOCKED);
	assert_int_equal(pinlock_check(pl, OTHER_PIN, t + 29999), PINLOCK_LOCKED);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 4);
	pinlock_destroy(pl);

	/* pulling the plug: the count is on disk, and a restart starts the
	 * whole lock again rather than shortening it */
	char *lock_path = file_in(dir, PINLOCK_LOCK_FILENAME);
	struct stat st;
	assert_int_equal(stat(lock_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	int64_t boot = 777;     /* the monotonic clock restarts at a boot */
	pl = pinlock_open(dir, boot);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 4);
	assert_int_equal(pinlock_locked_ms(pl, boot), 30000);
	assert_int_equal(pinlock_check(pl, PIN, boot + 1000), PINLOCK_LOCKED);

	/* after the lock, the next wrong PIN locks for twice as long */
	t = boot + 30000;
	assert_int_equal(pinlock_locked_ms(pl, t), 0);
	assert_int_equal(pinlock_check(pl, OTHER_PIN, t), PINLOCK_WRONG);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 5);
	assert_int_equal(pinlock_locked_ms(pl, t), 60000);
	pinlock_destroy(pl);
	pl = pinlock_open(dir, t);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 5);
	assert_int_equal(pinlock_locked_ms(pl, t), 60000);

	/* the right PIN after the lock resets the count and removes the file */
	t += 60000;
	assert_int_equal(pinlock_check(pl, PIN, t), PINLOCK_OK);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 0);
	assert_int_equal(pinlock_locked_ms(pl, t), 0);
	assert_false(has_file(dir, PINLOCK_LOCK_FILENAME));
	pinlock_destroy(pl);
	pl = pinlock_open(dir, t);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 0);
	assert_int_equal(pinlock_locked_ms(pl, t), 0);
	/* three free tries again */
	assert_int_equal(pinlock_check(pl, OTHER_PIN, t), PINLOCK_WRONG);
	assert_int_equal(pinlock_locked_ms(pl, t), 0);
	pinlock_destroy(pl);

	/* the cap: a long run of wrong PINs locks for an hour, no more */
	free(test_write_file(dir, PINLOCK_LOCK_FILENAME, "25\n"));
	pl = pinlock_open(dir, T0);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 25);
	assert_int_equal(pinlock_locked_ms(pl, T0), PINLOCK_MAX_LOCK_MS);
	assert_int_equal(pinlock_check(pl, OTHER_PIN, T0 + PINLOCK_MAX_LOCK_MS),
			 PINLOCK_WRONG);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 26);
	assert_int_equal(pinlock_locked_ms(pl, T0 + PINLOCK_MAX_LOCK_MS),
			 PINLOCK_MAX_LOCK_MS);
	/* setting a PIN (the installer at a terminal) opens the pad */
	if (!pinlock_set(pl, PIN, &err))
		fail_msg("%s", err);
	assert_int_equal(pinlock_wrong_in_a_row(pl), 0);
	assert_int_equal(pinlock_locked_ms(pl, T0 + PINLOCK_MAX_LOCK_MS), 0);
	assert_false(has_file(dir, PINLOCK_LOCK_FILENAME));
	pinlock_destroy(pl);

	free(lock_path);
	test_rmtree(dir);
	free(dir);
}

/* A PIN set or cleared by `kiosk pin` while the kiosk runs counts once
 * the menu reloads. */
static void test_reload(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *err = NULL;
	struct pinlock *kiosk = pinlock_open(dir, T0);
	assert_false(pinlock_is_set(kiosk));
	struct pinlock *cli = pinlock_open(dir, T0);
	if (!pinlock_set(cli, PIN, &err))
		fail_msg("%s", err);
	pinlock_reload(kiosk, T0);
	assert_true(pinlock_is_set(kiosk));

	/* a running lock keeps its end over a reload ... */
	free(test_write_file(dir, PINLOCK_LOCK_FILENAME, "3\n"));
	pinlock_reload(kiosk, T0);
	assert_int_equal(pinlock_check(kiosk, OTHER_PIN, T0), PINLOCK_WRONG);
	assert_int_equal(pinlock_locked_ms(kiosk, T0), 30000);
	pinlock_reload(kiosk, T0 + 20000);
	assert_int_equal(pinlock_locked_ms(kiosk, T0 + 20000), 10000);
	/* ... and ends when the files are cleared */
	if (!pinlock_clear(cli, &err))
		fail_msg("%s", err);
	pinlock_reload(kiosk, T0 + 20000);
	assert_false(pinlock_is_set(kiosk));
	assert_int_equal(pinlock_locked_ms(kiosk, T0 + 20000), 0);
	assert_int_equal(pinlock_wrong_in_a_row(kiosk), 0);
	assert_int_equal(pinlock_check(kiosk, PIN, T0 + 20000), PINLOCK_NOT_SET);
	pinlock_destroy(cli);
	pinlock_destroy(kiosk);
	test_rmtree(dir);
	free(dir);
}

/* ---- the PIN is nowhere on disk ----------------------------------------- */

static bool contains(const char *hay, size_t n, const char *needle, size_t m)
{
	for (size_t i = 0; m <= n && i <= n - m; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

/* Fail when any file under dir (recursively) holds pin in ASCII or in
 * UTF-16 (either byte order). Returns how many files were read. */
static int assert_pin_absent(const char *dir, const char *pin)
{
	size_t m = strlen(pin);
	char le[64], be[64];
	for (size_t i = 0; i < m; i++) {
		le[2 * i] = pin[i];
		le[2 * i + 1] = '\0';
		be[2 * i] = '\0';
		be[2 * i + 1] = pin[i];
	}
	int files = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = path_join(dir, e->d_name);
		struct stat st;
		assert_int_equal(lstat(p, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			files += assert_pin_absent(p, pin);
		} else {
			size_t n = 0;
			char *bytes = file_read_all(p, &n);
			assert_non_null(bytes);
			if (contains(bytes, n, pin, m) ||
			    contains(bytes, n, le, 2 * m) ||
			    contains(bytes, n, be, 2 * m))
				fail_msg("%s holds the PIN", p);
			free(bytes);
			files++;
		}
		free(p);
	}
	closedir(d);
	return files;
}

/* Run `kiosk pin ARG` with input on its standard input (a file in
 * io_dir, removed afterwards); output into *out and *err. */
static int run_pin(struct kiosk_config *cfg, const char *io_dir,
		   const char *input, const char *arg, char **out, char **err)
{
	char *in_path = test_write_file(io_dir, "stdin.txt", input);
	int fd = open(in_path, O_RDONLY);
	assert_true(fd >= 0);
	int saved_in = dup(0);
	dup2(fd, 0);
	close(fd);
	int rc = test_run_cli(cli_pin_main, cfg, io_dir, out, err, "pin", arg,
			      (const char *)NULL);
	dup2(saved_in, 0);
	close(saved_in);
	unlink(in_path);
	free(in_path);
	return rc;
}

static void test_pin_not_on_disk(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *data = path_join(dir, "data");
	char *io = path_join(dir, "io");
	assert_true(mkdir_parents(io));

	/* set through the library, checked right and wrong, locked */
	struct pinlock *pl = pinlock_open(data, T0);
	char *err = NULL;
	if (!pinlock_set(pl, PIN, &err))
		fail_msg("%s", err);
	assert_int_equal(pinlock_check(pl, PIN, T0), PINLOCK_OK);
	for (int i = 0; i <= PINLOCK_FREE_TRIES; i++)
		assert_int_equal(pinlock_check(pl, "739150", T0), PINLOCK_WRONG);
	pinlock_destroy(pl);
	assert_true(assert_pin_absent(data, PIN) >= 2);

	/* and set again through `kiosk pin` */
	struct kiosk_config cfg;
	config_defaults(&cfg);
	snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", data);
	char *out = NULL, *cerr = NULL;
	int rc = run_pin(&cfg, io, PIN "\n", NULL, &out, &cerr);
	if (rc != 0)
		fail_msg("kiosk pin: %d: %s", rc, cerr);
	free(out);
	free(cerr);
	pl = pinlock_open(data, T0);
	assert_int_equal(pinlock_check(pl, PIN, T0), PINLOCK_OK);
	pinlock_destroy(pl);
	/* the data folder and the command's output */
	assert_true(assert_pin_absent(data, PIN) >= 1);
	assert_true(assert_pin_absent(io, PIN) >= 2);

	free(io);
	free(data);
	test_rmtree(dir);
	free(dir);
}

/* ---- unwritable folders and damaged files ------------------------------- */

static void test_unwritable_dir(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *err = NULL;

	/* a data "folder" under a plain file cannot be made, even by root */
	free(test_write_file(dir, "plainfile", "x\n"));
	char *under = path_join(dir, "plainfile/kiosk");
	struct pinlock *pl = pinlock_open(under, T0);
	assert_false(pinlock_set(pl, PIN, &err));
	assert_non_null(strstr(err, "plainfile/kiosk/" PINLOCK_PIN_FILENAME));
	free(err);
	err = NULL;
	pinlock_destroy(pl);
	free(under);

	/* a folder without write permission; root writes anyway, so the
	 * case cannot be made when the tests run as root */
	if (geteuid() == 0) {
		test_rmtree(dir);
		free(dir);
		skip();
	}
	char *data = path_join(dir, "readonly");
	assert_true(mkdir_parents(data));
	pl = pinlock_open(data, T0);
	assert_int_equal(chmod(data, 0500), 0);
	assert_false(pinlock_set(pl, PIN, &err));
	char *want = path_join(data, PINLOCK_PIN_FILENAME);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, "Permission denied"));
	free(err);
	free(want);
	assert_false(pinlock_is_set(pl));
	pinlock_destroy(pl);

	/* a PIN set before the folder became read-only: wrong PINs are still
	 * counted in memory when the count cannot be saved */
	assert_int_equal(chmod(data, 0700), 0);
	pl = pinlock_open(data, T0);
	if (!pinlock_set(pl, PIN, &err))
		fail_msg("%s", err);
	assert_int_equal(chmod(data, 0500), 0);
	for (int i = 0; i <= PINLOCK_FREE_TRIES; i++)
		assert_int_equal(pinlock_check(pl, OTHER_PIN, T0), PINLOCK_WRONG);
	assert_int_equal(pinlock_locked_ms(pl, T0), 30000);
	pinlock_reload(pl, T0);         /* the file still says 0 */
	assert_int_equal(pinlock_locked_ms(pl, T0), 30000);
	pinlock_destroy(pl);
	assert_int_equal(chmod(data, 0700), 0);

	/* an unreadable PIN file: set but unknown */
	char *pin_path = path_join(data, PINLOCK_PIN_FILENAME);
	assert_int_equal(chmod(pin_path, 0000), 0);
	pl = pinlock_open(data, T0);
	assert_true(pinlock_is_set(pl));
	assert_true(pinlock_is_damaged(pl));
	assert_int_equal(pinlock_check(pl, PIN, T0), PINLOCK_ERROR);
	pinlock_destroy(pl);
	free(pin_path);
	free(data);
	test_rmtree(dir);
	free(dir);
}

static void test_damaged_files(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *err = NULL;
	static const char *const bad[] = {
		"not a hash\n",
		"",
		"$argon2i$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2g\n",
		"$argon2id$v=19$m=65536,t=2,p=1$c2Fsd\n$argon2id$second line\n",
		"$argon2id$ with spaces\n",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		free(test_write_file(dir, PINLOCK_PIN_FILENAME, bad[i]));
		struct pinlock *pl = pinlock_open(dir, T0);
		/* the pad stays closed: set, but no PIN opens it, and nothing
		 * is counted */
		assert_true(pinlock_is_set(pl));
		assert_true(pinlock_is_damaged(pl));
		assert_int_equal(pinlock_check(pl, PIN, T0), PINLOCK_ERROR);
		assert_int_equal(pinlock_check(pl, "0000", T0), PINLOCK_ERROR);
		assert_int_equal(pinlock_wrong_in_a_row(pl), 0);
		assert_false(has_file(dir, PINLOCK_LOCK_FILENAME));
		pinlock_destroy(pl);
	}
	/* a hash whose text is damaged but whose shape is right: a wrong
	 * PIN, counted (never a way in) */
	free(test_write_file(dir, PINLOCK_PIN_FILENAME,
		"$argon2id$v=19$m=65536,t=2,p=1$!!!!$!!!!\n"));
	struct pinlock *pl = pinlock_open(dir, T0);
	assert_false(pinlock_is_damaged(pl));
	assert_int_not_equal(pinlock_check(pl, PIN, T0), PINLOCK_OK);
	pinlock_destroy(pl);

	/* `kiosk pin` (pinlock_set) repairs it */
	pl = pinlock_open(dir, T0);
	if (!pinlock_set(pl, PIN, &err))
		fail_msg("%s", err);
	assert_false(pinlock_is_damaged(pl));
	assert_int_equal(pinlock_check(pl, PIN, T0), PINLOCK_OK);
	pinlock_destroy(pl);

	/* a damaged count: no free tries left, not locked yet */
	free(test_write_file(dir, PINLOCK_LOCK_FILENAME, "three\n"));
	pl = pinlock_open(dir, T0);
	assert_int_equal(pinlock_wrong_in_a_row(pl), PINLOCK_FREE_TRIES);
	assert_int_equal(pinlock_locked_ms(pl, T0), 0);
	assert_int_equal(pinlock_check(pl, OTHER_PIN, T0), PINLOCK_WRONG);
	assert_int_equal(pinlock_locked_ms(pl, T0), 30000);
	pinlock_destroy(pl);
	/* a huge count is capped, not overflowed */
	free(test_write_file(dir, PINLOCK_LOCK_FILENAME,
			     "99999999999999999999999\n"));
	pl = pinlock_open(dir, T0);
	assert_true(pinlock_wrong_in_a_row(pl) > 1000);
	assert_int_equal(pinlock_locked_ms(pl, T0), PINLOCK_MAX_LOCK_MS);
	pinlock_destroy(pl);
	test_rmtree(dir);
	free(dir);
}

/* ---- kiosk pin ---------------------------------------------------------- */

static void test_cli(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *data = path_join(dir, "data");
	struct kiosk_config cfg;
	config_defaults(&cfg);
	snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", data);
	char *out = NULL, *err = NULL;

	assert_int_equal(test_run_cli(cli_pin_main, &cfg, dir, &out, &err, "pin",
				      "--help", (const char *)NULL), 0);
	assert_non_null(strstr(out, "usage: kiosk pin"));
	free(out);
	free(err);
	assert_int_equal(test_run_cli(cli_pin_main, &cfg, dir, &out, &err, "pin",
				      "--bogus", (const char *)NULL), 2);
	assert_non_null(strstr(err, "--bogus"));
	free(out);
	free(err);
	/* never a PIN on the command line */
	assert_int_equal(test_run_cli(cli_pin_main, &cfg, dir, &out, &err, "pin",
				      "1234", (const char *)NULL), 2);
	free(out);
	free(err);

	/* badly formed and missing PINs on standard input */
	assert_int_equal(run_pin(&cfg, dir, "12\n", NULL, &out, &err), 1);
	assert_non_null(strstr(err, "too short"));
	free(out);
	free(err);
	assert_int_equal(run_pin(&cfg, dir, "", NULL, &out, &err), 1);
	assert_non_null(strstr(err, "no PIN"));
	free(out);
	free(err);
	assert_false(has_file(data, PINLOCK_PIN_FILENAME));

	/* a good one, with a Windows line ending */
	assert_int_equal(run_pin(&cfg, dir, "4321\r\n", NULL, &out, &err), 0);
	assert_non_null(strstr(out, "operator PIN set"));
	free(out);
	free(err);
	struct pinlock *pl = pinlock_open(data, T0);
	assert_int_equal(pinlock_check(pl, "4321", T0), PINLOCK_OK);
	for (int i = 0; i <= PINLOCK_FREE_TRIES; i++)
		assert_int_equal(pinlock_check(pl, "1111", T0), PINLOCK_WRONG);
	assert_true(has_file(data, PINLOCK_LOCK_FILENAME));
	pinlock_destroy(pl);

	/* --clear removes both files; the menu then asks for a new PIN */
	assert_int_equal(run_pin(&cfg, dir, "", "--clear", &out, &err), 0);
	assert_non_null(strstr(out, "PIN removed"));
	free(out);
	free(err);
	assert_false(has_file(data, PINLOCK_PIN_FILENAME));
	assert_false(has_file(data, PINLOCK_LOCK_FILENAME));
	pl = pinlock_open(data, T0);
	assert_false(pinlock_is_set(pl));
	assert_int_equal(pinlock_locked_ms(pl, T0), 0);
	pinlock_destroy(pl);
	/* clearing again is fine */
	assert_int_equal(run_pin(&cfg, dir, "", "--clear", &out, &err), 0);
	assert_non_null(strstr(out, "no PIN was set"));
	free(out);
	free(err);

	free(data);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_problem),
		cmocka_unit_test(test_delay_formula),
		cmocka_unit_test(test_not_set),
		cmocka_unit_test(test_set_and_check),
		cmocka_unit_test(test_lockout),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_pin_not_on_disk),
		cmocka_unit_test(test_unwritable_dir),
		cmocka_unit_test(test_damaged_files),
		cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
