/*
 * packkey: Ed25519 key pairs for content packs and their one-line files
 * (see packkey.h). All the cryptography is libsodium's.
 */
#include "pack/packkey.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/util.h"

/* Longest key file read: the secret line is about 130 bytes. */
#define KEYFILE_MAX_BYTES 1024

bool packkey_init(char **err)
{
	/* sodium_init is thread-safe and returns 1 once started. */
	if (sodium_init() < 0) {
		*err = xstrdup("libsodium cannot start (no random source?)");
		return false;
	}
	return true;
}

void packkey_id(const unsigned char key[PACKKEY_PUBLIC_BYTES],
		char id[PACKKEY_ID_LEN + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, key, PACKKEY_PUBLIC_BYTES);
	sodium_bin2hex(id, PACKKEY_ID_LEN + 1, h, PACKKEY_ID_LEN / 2);
}

char *packkey_base64(const unsigned char *bin, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = xmalloc(len);
	sodium_bin2base64(s, len, bin, n, sodium_base64_VARIANT_ORIGINAL);
	return s;
}

bool packkey_unbase64(const char *s, unsigned char *bin, size_t n)
{
	size_t got = 0;
	const char *end = NULL;
	/* libsodium 1.0.18 decodes any byte from 0x80 up as '/' */
	if (s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		     "0123456789+/=")] != '\0')
		return false;
	if (sodium_base642bin(bin, n, s, strlen(s), NULL, &got, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0)
		return false;
	return got == n && end && *end == '\0';
}

bool packkey_generate(struct packkey_secret *out, char **err)
{
	if (!packkey_init(err))
		return false;
	crypto_sign_keypair(out->pub.key, out->key);
	packkey_id(out->pub.key, out->pub.id);
	return true;
}

void packkey_secret_wipe(struct packkey_secret *sk)
{
	if (sk)
		sodium_memzero(sk, sizeof *sk);
}

void packkey_sign(const struct packkey_secret *sk, const void *msg,
		  size_t len, unsigned char sig[PACKKEY_SIG_BYTES])
{
	crypto_sign_detached(sig, NULL, msg, len, sk->key);
}

bool packkey_verify(const struct packkey_public *pk, const void *msg,
		    size_t len, const unsigned char sig[PACKKEY_SIG_BYTES])
{
	char *err = NULL;
	if (!packkey_init(&err)) {
		free(err);
		return false;
	}
	return crypto_sign_verify_detached(sig, msg, len, pk->key) == 0;
}

/* ---- writing ---------------------------------------------------------- */

/* Create path (O_EXCL) with mode and write line to it, fsynced. */
static bool write_new(const char *path, mode_t mode, const char *line,
		      char **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		      mode);
	if (fd < 0) {
		*err = errno == EEXIST
		       ? xasprintf("%s: already exists; key files are never "
				   "overwritten (choose another name)", path)
		       : xasprintf("%s: cannot create: %s", path, strerror(errno));
		return false;
	}
	size_t len = strlen(line);
	bool ok = fchmod(fd, mode) == 0 && write(fd, line, len) == (ssize_t)len &&
		  fsync(fd) == 0;
	int e = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		*err = xasprintf("%s: cannot write: %s", path, strerror(e));
		unlink(path);
	}
	return ok;
}

bool packkey_write_pair(const struct packkey_secret *sk, const char *base,
			char **err)
{
	char *spath = xasprintf("%s.secret", base);
	char *ppath = xasprintf("%s.public", base);
	bool ok = false;
	char *b64 = NULL, *sline = NULL, *pline = NULL;
	struct stat st;

	/* Both names checked first so that nothing is written when either
	 * is taken (O_EXCL below still guards against a race). */
	if (lstat(spath, &st) == 0 || lstat(ppath, &st) == 0) {
		*err = xasprintf("%s: already exists; key files are never "
				 "overwritten (choose another name)",
				 lstat(spath, &st) == 0 ? spath : ppath);
		goto out;
	}
	b64 = packkey_base64(sk->key, PACKKEY_SECRET_BYTES);
	sline = xasprintf(PACKKEY_SECRET_TAG " " PACKKEY_ALGORITHM " %s %s\n",
			  b64, sk->pub.id);
	sodium_memzero(b64, strlen(b64));
	free(b64);
	b64 = packkey_base64(sk->pub.key, PACKKEY_PUBLIC_BYTES);
	pline = xasprintf(PACKKEY_PUBLIC_TAG " " PACKKEY_ALGORITHM " %s %s\n",
			  b64, sk->pub.id);
	if (!write_new(spath, 0600, sline, err))
		goto out;
	if (!write_new(ppath, 0644, pline, err)) {
		unlink(spath);
		goto out;
	}
	ok = true;
out:
	if (sline) {
		sodium_memzero(sline, strlen(sline));
		free(sline);
	}
	free(pline);
	free(b64);
	free(spath);
	free(ppath);
	return ok;
}

/* ---- reading ---------------------------------------------------------- */

/* Parse one key line: tag, algorithm, base64 of n bytes into bin, optional
 * key id (returned in id_out, "" when absent). Returns NULL or a new
 * message (without the file name). line is modified. */
static char *parse_line(char *line, const char *want_tag, unsigned char *bin,
			size_t n, char id_out[PACKKEY_ID_LEN + 1])
{
	size_t len = strlen(line);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (strchr(line, '\n'))
		return xstrdup("more than one line; a key file is one line");
	char *save = NULL;
	char *tag = strtok_r(line, " \t", &save);
	char *alg = strtok_r(NULL, " \t", &save);
	char *b64 = strtok_r(NULL, " \t", &save);
	char *id = strtok_r(NULL, " \t", &save);
	char *extra = strtok_r(NULL, " \t", &save);
	bool pub_wanted = strcmp(want_tag, PACKKEY_PUBLIC_TAG) == 0;

	if (!tag || (strcmp(tag, PACKKEY_PUBLIC_TAG) != 0 &&
		     strcmp(tag, PACKKEY_SECRET_TAG) != 0))
		return xstrdup("not a kiosk pack key (it should begin with '"
			       PACKKEY_PUBLIC_TAG "' or '" PACKKEY_SECRET_TAG
			       "'; make one with kiosk keygen)");
	if (strcmp(tag, want_tag) != 0)
		return pub_wanted
		       ? xstrdup("this is a secret key, not a public key (give "
				 "the .public file; the secret one stays with "
				 "the publisher)")
		       : xstrdup("this is a public key, not a secret key (sign "
				 "with the .secret file)");
	if (!alg || strcmp(alg, PACKKEY_ALGORITHM) != 0)
		return xasprintf("algorithm '%s' is not supported (only "
				 PACKKEY_ALGORITHM ")", alg ? alg : "");
	if (!b64)
		return xstrdup("the key is missing after '" PACKKEY_ALGORITHM "'");
	if (extra)
		return xstrdup("unexpected text after the key id");
	if (!packkey_unbase64(b64, bin, n))
		return xasprintf("the key is not base64 of %zu bytes", n);
	if (id && strlen(id) > PACKKEY_ID_LEN)
		return xasprintf("key id '%s' is not %d hex digits", id,
				 PACKKEY_ID_LEN);
	snprintf(id_out, PACKKEY_ID_LEN + 1, "%s", id ? id : "");
	return NULL;
}

/* Read a key file into buf (KEYFILE_MAX_BYTES + 1 bytes), NUL-terminated,
 * without a heap copy (so a secret key lives only where it is wiped). */
static bool read_keyfile(const char *path, char *buf, char **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
		return false;
	}
	size_t len = 0;
	ssize_t n;
	while (len <= KEYFILE_MAX_BYTES &&
	       (n = read(fd, buf + len, KEYFILE_MAX_BYTES + 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*err = xasprintf("%s: cannot read: %s", path,
					 strerror(errno));
			close(fd);
			return false;
		}
		len += (size_t)n;
		if (len == KEYFILE_MAX_BYTES + 1)
			break;
	}
	close(fd);
	if (len > KEYFILE_MAX_BYTES || memchr(buf, '\0', len)) {
		*err = xasprintf("%s: not a kiosk pack key (too long or binary; "
				 "make one with kiosk keygen)", path);
		sodium_memzero(buf, KEYFILE_MAX_BYTES + 1);
		return false;
	}
	buf[len] = '\0';
	return true;
}

bool packkey_load_public(const char *path, struct packkey_public *out,
			 char **err)
{
	if (!packkey_init(err))
		return false;
	char text[KEYFILE_MAX_BYTES + 1];
	if (!read_keyfile(path, text, err))
		return false;
	char id[PACKKEY_ID_LEN + 1];
	char *why = parse_line(text, PACKKEY_PUBLIC_TAG, out->key,
			       PACKKEY_PUBLIC_BYTES, id);
	if (!why) {
		packkey_id(out->key, out->id);
		if (id[0] && strcmp(id, out->id) != 0)
			why = xasprintf("key id %s does not match the key (whose "
					"id is %s): the file was changed", id,
					out->id);
	}
	if (why) {
		*err = xasprintf("%s: %s", path, why);
		free(why);
		return false;
	}
	return true;
}

bool packkey_load_secret(const char *path, struct packkey_secret *out,
			 char **err)
{
	if (!packkey_init(err))
		return false;
	char text[KEYFILE_MAX_BYTES + 1];
	if (!read_keyfile(path, text, err))
		return false;
	char id[PACKKEY_ID_LEN + 1];
	char *why = parse_line(text, PACKKEY_SECRET_TAG, out->key,
			       PACKKEY_SECRET_BYTES, id);
	sodium_memzero(text, sizeof text);
	if (!why) {
		/* libsodium's secret key is seed || public key: the public
		 * half must be the one the seed gives. */
		unsigned char seed[crypto_sign_SEEDBYTES];
		unsigned char sk2[PACKKEY_SECRET_BYTES];
		crypto_sign_ed25519_sk_to_seed(seed, out->key);
		crypto_sign_seed_keypair(out->pub.key, sk2, seed);
		bool same = sodium_memcmp(sk2, out->key, sizeof sk2) == 0;
		sodium_memzero(seed, sizeof seed);
		sodium_memzero(sk2, sizeof sk2);
		packkey_id(out->pub.key, out->pub.id);
		if (!same)
			why = xstrdup("the key is damaged (its public half does "
				      "not match its secret half)");
		else if (id[0] && strcmp(id, out->pub.id) != 0)
			why = xasprintf("key id %s does not match the key (whose "
					"id is %s): the file was changed", id,
					out->pub.id);
	}
	if (why) {
		packkey_secret_wipe(out);
		*err = xasprintf("%s: %s", path, why);
		free(why);
		return false;
	}
	return true;
}
