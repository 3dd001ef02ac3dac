/*
 * pinlock: the operator menu's PIN as an Argon2id hash, and the lockout
 * after wrong PINs (see pinlock.h). All the cryptography is libsodium's.
 */
#include "base/pinlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/log.h"
#include "base/util.h"

#define PIN_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PIN_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE
#define PIN_HASH_PREFIX "$argon2id$"

/* Largest PIN or lock file read; a hash line is about 100 bytes. */
#define PINFILE_MAX_BYTES 512

/* The count of wrong PINs stops growing here (far past the cap). */
#define WRONG_MAX 1000000

/* What the PIN file held when it was last read. */
enum pin_state {
	PIN_NONE,       /* no file: no PIN set */
	PIN_SET,        /* hash holds the PIN's hash */
	PIN_DAMAGED,    /* unreadable or not a hash: set but unknown */
};

struct pinlock {
	char *data_dir;
	char *pin_path;             /* data_dir/operator-pin */
	char *lock_path;            /* data_dir/operator-lock */
	enum pin_state state;
	char hash[crypto_pwhash_STRBYTES]; /* NUL-terminated when PIN_SET */
	int wrong;                  /* wrong PINs in a row */
	bool wrong_unsaved;         /* the last count could not be saved */
	bool locked;                /* a lock was started ... */
	int64_t locked_until_ms;    /* ... and lasts until here (monotonic) */
	bool sodium_ok;             /* sodium_init succeeded */
};

/* ---- files ------------------------------------------------------------ */

/* Read a small file into buf (cap bytes), NUL-terminated, with no heap
 * copy. Returns 0 or an errno value (EFBIG: longer than cap - 1 bytes). */
static int read_small(const char *path, char *buf, size_t cap, size_t *len_out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	size_t len = 0;
	int e = 0;
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap) {
			e = EFBIG;
			break;
		}
	}
	close(fd);
	if (e) {
		sodium_memzero(buf, cap);
		return e;
	}
	buf[len] = '\0';
	*len_out = len;
	return 0;
}

/* Remove path (no file is fine) and sync dir. Returns false with *err. */
static bool remove_file(const char *dir, const char *path, char **err)
{
	if (unlink(path) != 0) {
		if (errno == ENOENT)
			return true;
		*err = xasprintf("%s: cannot remove: %s", path, strerror(errno));
		return false;
	}
	if (!dir_fsync(dir))
		log_warn("%s: cannot sync the folder after removing %s: %s", dir,
			 path, strerror(errno));
	return true;
}

/* Read the PIN file into pl->state and pl->hash. */
static void load_pin(struct pinlock *pl)
{
	char buf[PINFILE_MAX_BYTES];
	size_t len = 0;
	sodium_memzero(pl->hash, sizeof pl->hash);
	int e = read_small(pl->pin_path, buf, sizeof buf, &len);
	if (e == ENOENT) {
		pl->state = PIN_NONE;
		return;
	}
	pl->state = PIN_DAMAGED;
	if (e) {
		log_error("%s: cannot read: %s; the operator menu stays closed "
			  "until a new PIN is set with `kiosk pin` on the kiosk's "
			  "terminal", pl->pin_path,
			  e == EFBIG ? "too long for a PIN hash" : strerror(e));
		return;
	}
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (len && buf[len - 1] == '\r')
		buf[--len] = '\0';
	bool good = len < sizeof pl->hash &&
		    strncmp(buf, PIN_HASH_PREFIX, strlen(PIN_HASH_PREFIX)) == 0;
	for (size_t i = 0; good && i < len; i++)
		good = buf[i] > ' ' && buf[i] < 0x7f;
	if (!good) {
		log_error("%s: not an Argon2id PIN hash (damaged?); the operator "
			  "menu stays closed until a new PIN is set with `kiosk "
			  "pin` on the kiosk's terminal", pl->pin_path);
		return;
	}
	memcpy(pl->hash, buf, len + 1);
	pl->state = PIN_SET;
}

/* The saved count of wrong PINs (see pinlock.h for damaged files). */
static int load_count(const struct pinlock *pl)
{
	char buf[64];
	size_t len = 0;
	int e = read_small(pl->lock_path, buf, sizeof buf, &len);
	if (e == ENOENT)
		return 0;
	if (e) {
		log_warn("%s: cannot read: %s; counted as %d wrong PINs in a row",
			 pl->lock_path, strerror(e), PINLOCK_FREE_TRIES);
		return PINLOCK_FREE_TRIES;
	}
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	long n = 0;
	bool good = len > 0;
	for (size_t i = 0; good && i < len; i++) {
		good = buf[i] >= '0' && buf[i] <= '9';
		if (good && n < WRONG_MAX)
			n = n * 10 + (buf[i] - '0');
	}
	if (!good) {
		log_warn("%s: not a count of wrong PINs (damaged?); counted as %d",
			 pl->lock_path, PINLOCK_FREE_TRIES);
		return PINLOCK_FREE_TRIES;
	}
	return n > WRONG_MAX ? WRONG_MAX : (int)n;
}

/* Save pl->wrong (0: remove the file). Logs and returns false on failure. */
static bool save_count(struct pinlock *pl)
{
	char *err = NULL;
	bool ok;
	if (pl->wrong == 0) {
		ok = remove_file(pl->data_dir, pl->lock_path, &err);
	} else {
		char text[32];
		snprintf(text, sizeof text, "%d\n", pl->wrong);
		ok = mkdir_parents(pl->data_dir) &&
		     file_replace(pl->data_dir, pl->lock_path, text, 0600, &err);
		if (!ok && !err)
			err = xasprintf("%s: cannot create its folder: %s",
					pl->lock_path, strerror(errno));
	}
	pl->wrong_unsaved = !ok;
	if (!ok) {
		log_error("%s (the count of wrong PINs holds until the kiosk "
			  "restarts)", err);
		free(err);
	}
	return ok;
}

/* ---- the lock --------------------------------------------------------- */

int64_t pinlock_delay_ms(int wrong_in_a_row)
{
	if (wrong_in_a_row <= PINLOCK_FREE_TRIES)
		return 0;
	int64_t d = PINLOCK_FIRST_LOCK_MS;
	for (int i = PINLOCK_FREE_TRIES + 1; i < wrong_in_a_row &&
	     d < PINLOCK_MAX_LOCK_MS; i++)
		d *= 2;
	return d < PINLOCK_MAX_LOCK_MS ? d : PINLOCK_MAX_LOCK_MS;
}

/* Start the lock the count calls for (if any) from now_ms. */
static void start_lock(struct pinlock *pl, int64_t now_ms)
{
	int64_t d = pinlock_delay_ms(pl->wrong);
	pl->locked = d > 0;
	pl->locked_until_ms = d > 0 ? now_ms + d : 0;
}

int64_t pinlock_locked_ms(const struct pinlock *pl, int64_t now_ms)
{
	if (!pl || !pl->locked || now_ms >= pl->locked_until_ms)
		return 0;
	return pl->locked_until_ms - now_ms;
}

int pinlock_wrong_in_a_row(const struct pinlock *pl)
{
	return pl ? pl->wrong : 0;
}

/* ---- open, reload, destroy --------------------------------------------- */

struct pinlock *pinlock_open(const char *data_dir, int64_t now_ms)
{
	struct pinlock *pl = xcalloc(1, sizeof *pl);
	pl->data_dir = xstrdup(data_dir);
	pl->pin_path = path_join(data_dir, PINLOCK_PIN_FILENAME);
	pl->lock_path = path_join(data_dir, PINLOCK_LOCK_FILENAME);
	/* sodium_init is thread-safe and returns 1 once started. */
	pl->sodium_ok = sodium_init() >= 0;
	if (!pl->sodium_ok)
		log_error("libsodium cannot start (no random source?): the "
			  "operator PIN cannot be checked");
	load_pin(pl);
	if (pl->state == PIN_NONE)
		log_info("%s: no operator PIN set yet; the operator menu asks "
			 "for one when it opens", pl->pin_path);
	pl->wrong = load_count(pl);
	start_lock(pl, now_ms);
	return pl;
}

void pinlock_reload(struct pinlock *pl, int64_t now_ms)
{
	if (!pl)
		return;
	load_pin(pl);
	int saved = load_count(pl);
	if (saved == pl->wrong || (saved < pl->wrong && pl->wrong_unsaved))
		return;         /* the lock running (or held in memory) stays */
	int64_t left = pinlock_locked_ms(pl, now_ms);
	bool lower = saved < pl->wrong;
	pl->wrong = saved;
	pl->wrong_unsaved = false;
	start_lock(pl, now_ms);
	/* a lower count never lengthens the lock that was running */
	if (lower && pl->locked && left < pinlock_delay_ms(saved))
		pl->locked_until_ms = now_ms + left;
}

void pinlock_destroy(struct pinlock *pl)
{
	if (!pl)
		return;
	free(pl->data_dir);
	free(pl->pin_path);
	free(pl->lock_path);
	sodium_memzero(pl, sizeof *pl);
	free(pl);
}

bool pinlock_is_set(const struct pinlock *pl)
{
	return pl && pl->state != PIN_NONE;
}

bool pinlock_is_damaged(const struct pinlock *pl)
{
	return pl && pl->state == PIN_DAMAGED;
}

/* ---- setting and checking ---------------------------------------------- */

const char *pinlock_pin_problem(const char *pin)
{
	if (!pin || !*pin)
		return "the PIN is empty";
	size_t n = 0;
	for (; pin[n]; n++)
		if (pin[n] < '0' || pin[n] > '9')
			return "the PIN may hold only the digits 0 to 9";
	if (n < PINLOCK_MIN_DIGITS)
		return "the PIN is too short: it needs at least 4 digits";
	if (n > PINLOCK_MAX_DIGITS)
		return "the PIN is too long: it may have at most 12 digits";
	return NULL;
}

/* Hash pin and write it as the PIN file; pl->hash takes the new hash. */
static bool store_pin(struct pinlock *pl, const char *pin, char **err)
{
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str_alg(hash, pin, strlen(pin), PIN_OPSLIMIT,
				  PIN_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		*err = xasprintf("%s: cannot hash the PIN (out of memory?)",
				 pl->pin_path);
		return false;
	}
	char line[crypto_pwhash_STRBYTES + 1];
	snprintf(line, sizeof line, "%s\n", hash);
	if (!mkdir_parents(pl->data_dir)) {
		*err = xasprintf("%s: cannot create its folder: %s",
				 pl->pin_path, strerror(errno));
		return false;
	}
	if (!file_replace(pl->data_dir, pl->pin_path, line, 0600, err))
		return false;
	memcpy(pl->hash, hash, sizeof hash);
	pl->state = PIN_SET;
	return true;
}

bool pinlock_set(struct pinlock *pl, const char *pin, char **err)
{
	const char *why = pinlock_pin_problem(pin);
	if (why) {
		*err = xstrdup(why);
		return false;
	}
	if (!pl->sodium_ok) {
		*err = xasprintf("%s: libsodium cannot start (no random source?)",
				 pl->pin_path);
		return false;
	}
	if (!store_pin(pl, pin, err))
		return false;
	pl->wrong = 0;
	pl->locked = false;
	save_count(pl);
	log_info("operator PIN set (%s)", pl->pin_path);
	return true;
}

bool pinlock_clear(struct pinlock *pl, char **err)
{
	if (!remove_file(pl->data_dir, pl->pin_path, err))
		return false;
	sodium_memzero(pl->hash, sizeof pl->hash);
	pl->state = PIN_NONE;
	if (!remove_file(pl->data_dir, pl->lock_path, err))
		return false;
	pl->wrong = 0;
	pl->wrong_unsaved = false;
	pl->locked = false;
	log_info("operator PIN removed (%s)", pl->pin_path);
	return true;
}

enum pinlock_result pinlock_check(struct pinlock *pl, const char *pin,
				  int64_t now_ms)
{
	if (!pl)
		return PINLOCK_ERROR;
	if (pl->state == PIN_NONE)
		return PINLOCK_NOT_SET;
	if (pinlock_locked_ms(pl, now_ms) > 0)
		return PINLOCK_LOCKED;
	if (pl->state == PIN_DAMAGED || !pl->sodium_ok)
		return PINLOCK_ERROR;

	bool right = false;
	if (!pinlock_pin_problem(pin)) {
		errno = 0;
		right = crypto_pwhash_str_verify(pl->hash, pin, strlen(pin)) == 0;
		if (!right && errno == ENOMEM) {
			/* not the visitor's doing: not counted */
			log_error("cannot check the operator PIN: out of memory");
			return PINLOCK_ERROR;
		}
	}
	if (right) {
		if (pl->wrong != 0 || pl->wrong_unsaved) {
			pl->wrong = 0;
			save_count(pl);
		}
		pl->locked = false;
		if (crypto_pwhash_str_needs_rehash(pl->hash, PIN_OPSLIMIT,
						   PIN_MEMLIMIT) != 0) {
			char *err = NULL;
			if (store_pin(pl, pin, &err)) {
				log_info("%s: PIN hashed again with the current "
					 "limits", pl->pin_path);
			} else {
				log_warn("%s", err);
				free(err);
			}
		}
		return PINLOCK_OK;
	}
	if (pl->wrong < WRONG_MAX)
		pl->wrong++;
	save_count(pl);
	start_lock(pl, now_ms);
	if (pl->locked)
		log_warn("operator menu: wrong PIN, %d in a row; the pad is "
			 "locked for %lld s", pl->wrong,
			 (long long)(pinlock_delay_ms(pl->wrong) / 1000));
	else
		log_info("operator menu: wrong PIN, %d in a row", pl->wrong);
	return PINLOCK_WRONG;
}
