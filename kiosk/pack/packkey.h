/*
 * packkey: the Ed25519 key pairs that sign content packs (libsodium's
 * crypto_sign), and their files.
 *
 * A key file is one line of text:
 *   kiosk-pack-public-key ed25519 <base64 of the 32-byte key> <key id>
 *   kiosk-pack-secret-key ed25519 <base64 of the 64-byte key> <key id>
 * The key id is the first 8 bytes of the SHA-256 of the public key, in
 * lower-case hex (16 characters): short enough for a message, long enough
 * that two publishers' keys never share one. The id in the file is
 * checked against the key when it is loaded (a key copied by hand with a
 * typo is refused). The secret key file is written with mode 0600; key
 * files are never overwritten.
 *
 * Every function may be called from any thread once packkey_init has
 * succeeded (the other functions call it themselves).
 */
#ifndef KIOSK_PACK_PACKKEY_H
#define KIOSK_PACK_PACKKEY_H

#include <stdbool.h>
#include <stddef.h>

#define PACKKEY_PUBLIC_BYTES 32
#define PACKKEY_SECRET_BYTES 64
#define PACKKEY_SIG_BYTES 64
#define PACKKEY_ID_LEN 16               /* hex characters, without NUL */

#define PACKKEY_PUBLIC_TAG "kiosk-pack-public-key"
#define PACKKEY_SECRET_TAG "kiosk-pack-secret-key"
#define PACKKEY_ALGORITHM "ed25519"

struct packkey_public {
	unsigned char key[PACKKEY_PUBLIC_BYTES];
	char id[PACKKEY_ID_LEN + 1];    /* see the file comment */
};

/* Secret material: wipe with packkey_secret_wipe when done. */
struct packkey_secret {
	unsigned char key[PACKKEY_SECRET_BYTES]; /* libsodium's: seed || public */
	struct packkey_public pub;
};

/* Start libsodium (once per process; later calls are free). Returns false
 * with *err set (caller frees) when it cannot start. */
bool packkey_init(char **err);

/* Make a new key pair from the system's random source. */
bool packkey_generate(struct packkey_secret *out, char **err);

/* Zero the secret key's bytes (sodium_memzero); accepts NULL. */
void packkey_secret_wipe(struct packkey_secret *sk);

/* Write sk as base ".secret" (mode 0600) and base ".public" (0644). Refuses
 * when either file exists, writing nothing; on a later failure removes
 * what it wrote. Returns false with *err set (caller frees), naming the
 * file. */
bool packkey_write_pair(const struct packkey_secret *sk, const char *base,
			char **err);

/* Read a public key file. On failure returns false with *err naming the
 * file and what is wrong: unreadable, a secret key given for a public
 * one, not a kiosk pack key, another algorithm, bad base64, wrong length,
 * a key id that does not match the key. */
bool packkey_load_public(const char *path, struct packkey_public *out,
			 char **err);

/* Read a secret key file (as packkey_load_public; also checks that the
 * public half matches the secret seed). The file's bytes are wiped from
 * memory after parsing; wipe *out when done. */
bool packkey_load_secret(const char *path, struct packkey_secret *out,
			 char **err);

/* Detached signature of msg[0..len). */
void packkey_sign(const struct packkey_secret *sk, const void *msg,
		  size_t len, unsigned char sig[PACKKEY_SIG_BYTES]);

/* Is sig pk's signature of msg[0..len)? */
bool packkey_verify(const struct packkey_public *pk, const void *msg,
		    size_t len, const unsigned char sig[PACKKEY_SIG_BYTES]);

/* The key id of a 32-byte public key into id (PACKKEY_ID_LEN + 1 bytes). */
void packkey_id(const unsigned char key[PACKKEY_PUBLIC_BYTES],
		char id[PACKKEY_ID_LEN + 1]);

/* Base64 (original alphabet, padded) of n bytes: a new string, caller
 * frees. Decode: false when s is not such base64 of exactly n bytes. */
char *packkey_base64(const unsigned char *bin, size_t n);
bool packkey_unbase64(const char *s, unsigned char *bin, size_t n);

#endif
