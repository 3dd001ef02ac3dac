/*
 * pinlock: the operator menu's PIN and the lockout after wrong PINs.
 *
 * The PIN is kept only as an Argon2id hash (libsodium's crypto_pwhash_str,
 * interactive limits: about 64 MiB and a fraction of a second per check)
 * in DATA_DIR/operator-pin: one line, the hash string, mode 0600. The
 * count of wrong PINs in a row is kept in DATA_DIR/operator-lock (one
 * line, a number; no file = 0), so that pulling the plug does not give
 * more tries. Both files are replaced atomically (temporary file, fsync,
 * rename, fsync of the folder); run as root (`sudo kiosk pin`) they take
 * the owner of DATA_DIR, so the kiosk's own user can still read them.
 *
 * Lockout: the first PINLOCK_FREE_TRIES wrong PINs in a row cost nothing.
 * Wrong PIN number n (n > PINLOCK_FREE_TRIES) locks the pad for
 * pinlock_delay_ms(n) = PINLOCK_FIRST_LOCK_MS * 2^(n - PINLOCK_FREE_TRIES
 * - 1), at most PINLOCK_MAX_LOCK_MS: with the defaults the 4th wrong PIN
 * locks for 30 s, the 5th for 1 min, the 6th for 2 min ..., the 11th and
 * every later one for an hour. The right PIN resets the count.
 *
 * Damaged files, chosen to keep the menu closed to visitors while leaving
 * the crew a way in:
 *  - no operator-pin: no PIN is set; the menu asks for a new one.
 *  - an operator-pin that cannot be read or is not an Argon2id hash: the
 *    PIN counts as set but unknown, so no PIN opens the pad
 *    (PINLOCK_ERROR) and nobody at the screen can set a new one; the log
 *    says so, and the crew sets a new PIN with `kiosk pin` (or removes it
 *    with `kiosk pin --clear`) on the kiosk's terminal. Treating it as
 *    "no PIN" instead would let the first visitor choose one.
 *  - an operator-lock that cannot be read or is not a number: counted as
 *    PINLOCK_FREE_TRIES (no free tries left, not locked yet).
 *  - a count that cannot be saved: logged; the count still holds in
 *    memory until the program stops.
 *
 * The PIN itself is never logged nor written anywhere. Not thread-safe:
 * one owner (the main thread); pinlock_check and pinlock_set hash, so they
 * block for a fraction of a second (longer on a Raspberry Pi).
 */
#ifndef KIOSK_BASE_PINLOCK_H
#define KIOSK_BASE_PINLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define PINLOCK_MIN_DIGITS 4
#define PINLOCK_MAX_DIGITS 12
#define PINLOCK_FREE_TRIES 3      /* wrong PINs in a row before the pad locks */
#define PINLOCK_FIRST_LOCK_MS 30000  /* then doubling per further wrong PIN */
#define PINLOCK_MAX_LOCK_MS (60 * 60 * 1000)

/* The files in the data directory. */
#define PINLOCK_PIN_FILENAME "operator-pin"
#define PINLOCK_LOCK_FILENAME "operator-lock"

struct pinlock;

/* Read data_dir's PIN files (see the file comment for missing and damaged
 * ones; problems are logged). now_ms: a monotonic clock (time_mono_ms).
 * When the saved count is past the free tries the pad starts locked for
 * that count's whole delay from now_ms, so a restart cannot shorten a
 * lock. Never NULL; the caller destroys it. */
struct pinlock *pinlock_open(const char *data_dir, int64_t now_ms);

/* Free pl; accepts NULL. */
void pinlock_destroy(struct pinlock *pl);

/* Read the files again (the menu calls it when it opens, so a PIN set or
 * cleared with `kiosk pin` meanwhile counts). A lock that is running keeps
 * its end while the saved count is the one in memory; a lower count (the
 * files cleared) ends it; a higher one starts its delay from now_ms. */
void pinlock_reload(struct pinlock *pl, int64_t now_ms);

/* Is a PIN set? True also when the PIN file is damaged (set but unknown). */
bool pinlock_is_set(const struct pinlock *pl);

/* Is the PIN file there but unreadable or not a hash? Then no PIN opens the
 * pad until `kiosk pin` sets a new one; the menu says so. */
bool pinlock_is_damaged(const struct pinlock *pl);

/* Check that pin is PINLOCK_MIN_DIGITS..PINLOCK_MAX_DIGITS ASCII digits.
 * Returns NULL when it is, else a static English reason (for the CLI; the
 * pad's own text comes from locales/). */
const char *pinlock_pin_problem(const char *pin);

/* Set a new PIN: check it (pinlock_pin_problem), hash it, replace the PIN
 * file atomically (mode 0600; data_dir is created when missing) and reset
 * the count of wrong PINs (removing the lock file). Does not ask for the
 * old PIN: the caller has checked it, or is the installer at a terminal.
 * Returns false with *err (caller frees) naming the file and what is
 * wrong; the old PIN then still holds. */
bool pinlock_set(struct pinlock *pl, const char *pin, char **err);

/* Remove the PIN and the count (both files; `kiosk pin --clear`): the menu
 * then asks for a new PIN. Returns false with *err (caller frees) naming
 * the file that could not be removed. */
bool pinlock_clear(struct pinlock *pl, char **err);

enum pinlock_result {
	PINLOCK_OK,          /* the PIN is right */
	PINLOCK_WRONG,       /* wrong; counted (see pinlock_locked_ms) */
	PINLOCK_LOCKED,      /* the pad is locked; the PIN was not looked at */
	PINLOCK_NOT_SET,     /* no PIN is set: the menu asks for a new one */
	PINLOCK_ERROR,       /* damaged PIN file or libsodium failing: logged */
};

/* Check a PIN (NULL counts as a wrong one). While the pad is locked
 * returns PINLOCK_LOCKED without hashing or counting. A wrong PIN (badly
 * formed ones included) adds one to the count and saves it (fsync); past
 * the free tries it locks the pad from now_ms for
 * pinlock_delay_ms(count). The right PIN resets the count (and rehashes
 * the PIN when it was stored with other limits). */
enum pinlock_result pinlock_check(struct pinlock *pl, const char *pin,
				  int64_t now_ms);

/* Milliseconds the pad stays locked after now_ms; 0 when it is open. */
int64_t pinlock_locked_ms(const struct pinlock *pl, int64_t now_ms);

/* Wrong PINs in a row so far (0 after the right one). */
int pinlock_wrong_in_a_row(const struct pinlock *pl);

/* How long the pad locks after wrong PIN number wrong_in_a_row: 0 up to
 * PINLOCK_FREE_TRIES, then the doubling delay of the file comment, capped
 * at PINLOCK_MAX_LOCK_MS. */
int64_t pinlock_delay_ms(int wrong_in_a_row);

#endif
