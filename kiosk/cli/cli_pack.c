/*
 * cli_pack: the publisher's side of content packs: `kiosk keygen`,
 * `kiosk pack`, `kiosk sign` and `kiosk verify` (see pack/packfile.h).
 */
#include "cli/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "pack/packfile.h"
#include "pack/packkey.h"

/* The most --key options kiosk verify takes. */
#define VERIFY_MAX_KEYS 32

/* Is argv[*i] the option name (as "NAME VALUE" or "NAME=VALUE")? Then
 * *value is its value (NULL when missing) and *i moves past it. */
static bool option(int argc, char **argv, int *i, const char *name,
		   const char **value)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return false;
	if (a[n] == '=') {
		*value = a + n + 1;
	} else if (a[n] == '\0') {
		*value = *i + 1 < argc ? argv[++*i] : NULL;
	} else {
		return false;
	}
	if (*value && !**value)
		*value = NULL;
	return true;
}

static bool is_help(const char *a)
{
	return !strcmp(a, "--help") || !strcmp(a, "-h");
}

/* ---- kiosk keygen ------------------------------------------------------- */

static void keygen_usage(FILE *f)
{
	fputs("usage: kiosk keygen NAME\n"
	      "\n"
	      "Make a new Ed25519 key pair for signing content packs:\n"
	      "  NAME.secret  signs packs (kiosk sign); keep it private and "
	      "backed up:\n"
	      "               whoever holds it can publish to the kiosks\n"
	      "  NAME.public  checks them (kiosk verify); copy it to the "
	      "kiosks\n"
	      "Existing files are never overwritten. The key id printed is "
	      "the one\n"
	      "messages name.\n"
	      "\n"
	      "  --help  show this help\n", f);
}

int cli_keygen_main(struct kiosk_config *cfg, int argc, char **argv)
{
	(void)cfg;
	const char *name = NULL;
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			keygen_usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "kiosk keygen: unknown option '%s' (see "
				"kiosk keygen --help)\n", argv[i]);
			return 2;
		} else if (name) {
			fprintf(stderr, "kiosk keygen: one name only: '%s' and "
				"'%s'\n", name, argv[i]);
			return 2;
		} else {
			name = argv[i];
		}
	}
	if (!name || !*name) {
		fprintf(stderr, "kiosk keygen: name the key pair\n");
		keygen_usage(stderr);
		return 2;
	}
	struct packkey_secret sk;
	char *err = NULL;
	bool ok = packkey_generate(&sk, &err) &&
		  packkey_write_pair(&sk, name, &err);
	if (!ok) {
		packkey_secret_wipe(&sk);
		fprintf(stderr, "kiosk keygen: %s\n", err);
		free(err);
		return 1;
	}
	printf("%s.secret  keep it private: it signs packs\n"
	       "%s.public  copy it to the kiosks\n"
	       "key id %s\n", name, name, sk.pub.id);
	packkey_secret_wipe(&sk);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* ---- kiosk pack --------------------------------------------------------- */

static void pack_usage(FILE *f)
{
	fputs("usage: kiosk pack DIR -o FILE --version N [--publisher NAME]\n"
	      "\n"
	      "Make a content pack of the library DIR: one tar file holding "
	      "every file\n"
	      "with a manifest of their sizes and SHA-256 hashes, and the "
	      "pack's version.\n"
	      "The pack is unsigned: sign it with kiosk sign. Check the "
	      "library first\n"
	      "with kiosk check DIR (kiosk pack checks only files, not "
	      "content).\n"
	      "Names beginning with '.' (hidden files and folders) are left "
	      "out; links,\n"
	      "device files, FIFOs and sockets are refused.\n"
	      "\n"
	      "  -o, --output FILE   the pack to write (replaced if it "
	      "exists)\n"
	      "  --version N         the pack's version, a positive whole "
	      "number; a kiosk\n"
	      "                      refuses a pack older than the one it "
	      "has\n"
	      "  --publisher NAME    who publishes it (shown on the kiosk)\n"
	      "  --help              show this help\n", f);
}

int cli_pack_main(struct kiosk_config *cfg, int argc, char **argv)
{
	(void)cfg;
	const char *dir = NULL, *out = NULL, *ver = NULL, *publisher = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		if (is_help(a)) {
			pack_usage(stdout);
			return 0;
		} else if (option(argc, argv, &i, "-o", &v) ||
			   option(argc, argv, &i, "--output", &v)) {
			if (!(out = v)) {
				fprintf(stderr, "kiosk pack: %s needs a file\n", a);
				return 2;
			}
		} else if (option(argc, argv, &i, "--version", &v)) {
			if (!(ver = v)) {
				fprintf(stderr, "kiosk pack: --version needs a "
					"number\n");
				return 2;
			}
		} else if (option(argc, argv, &i, "--publisher", &v)) {
			if (!(publisher = v)) {
				fprintf(stderr, "kiosk pack: --publisher needs a "
					"name\n");
				return 2;
			}
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "kiosk pack: unknown option '%s' (see "
				"kiosk pack --help)\n", a);
			return 2;
		} else if (dir) {
			fprintf(stderr, "kiosk pack: one folder only: '%s' and "
				"'%s'\n", dir, a);
			return 2;
		} else {
			dir = a;
		}
	}
	if (!dir || !out || !ver) {
		fprintf(stderr, "kiosk pack: %s\n", !dir ? "name the library folder"
			: !out ? "name the pack with -o FILE"
			: "give the pack's version with --version N");
		pack_usage(stderr);
		return 2;
	}
	char *end = NULL;
	errno = 0;
	long long version = strtoll(ver, &end, 10);
	if (errno || end == ver || *end || version <= 0) {
		fprintf(stderr, "kiosk pack: --version %s: a positive whole "
			"number, please\n", ver);
		return 2;
	}
	struct pack_info info;
	size_t hidden = 0;
	char *err = NULL;
	if (!pack_create(dir, out, version, publisher, &info, &hidden, &err)) {
		fprintf(stderr, "kiosk pack: %s\n", err);
		free(err);
		return 1;
	}
	if (hidden)
		fprintf(stderr, "kiosk pack: left out %zu hidden name%s (beginning "
			"with '.')\n", hidden, hidden == 1 ? "" : "s");
	printf("%s: version %" PRId64 ", %zu files, %" PRId64 " bytes, unsigned "
	       "(sign it: kiosk sign --key NAME.secret %s)\n", out, info.version,
	       info.files, info.bytes, out);
	pack_info_finish(&info);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* ---- kiosk sign --------------------------------------------------------- */

static void sign_usage(FILE *f)
{
	fputs("usage: kiosk sign --key NAME.secret FILE\n"
	      "\n"
	      "Sign the content pack FILE (made by kiosk pack) with the secret "
	      "key: the\n"
	      "pack is checked against its manifest and written again with the "
	      "signature\n"
	      "(an earlier signature is replaced). Kiosks that trust "
	      "NAME.public accept it.\n"
	      "\n"
	      "  --key FILE  the secret key (kiosk keygen)\n"
	      "  --help      show this help\n", f);
}

int cli_sign_main(struct kiosk_config *cfg, int argc, char **argv)
{
	(void)cfg;
	const char *key = NULL, *file = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		if (is_help(a)) {
			sign_usage(stdout);
			return 0;
		} else if (option(argc, argv, &i, "--key", &v)) {
			if (!(key = v)) {
				fprintf(stderr, "kiosk sign: --key needs a file\n");
				return 2;
			}
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "kiosk sign: unknown option '%s' (see "
				"kiosk sign --help)\n", a);
			return 2;
		} else if (file) {
			fprintf(stderr, "kiosk sign: one pack only: '%s' and "
				"'%s'\n", file, a);
			return 2;
		} else {
			file = a;
		}
	}
	if (!key || !file) {
		fprintf(stderr, "kiosk sign: %s\n", !key ? "name the secret key "
			"with --key NAME.secret" : "name the pack");
		sign_usage(stderr);
		return 2;
	}
	struct packkey_secret sk;
	struct pack_info info;
	char old[PACKKEY_ID_LEN + 1] = "";
	char *err = NULL;
	bool ok = packkey_load_secret(key, &sk, &err) &&
		  pack_sign(file, &sk, &info, old, &err);
	packkey_secret_wipe(&sk);
	if (!ok) {
		fprintf(stderr, "kiosk sign: %s\n", err);
		free(err);
		return 1;
	}
	printf("%s: signed with key %s%s%s%s: version %" PRId64 ", %zu files, "
	       "%" PRId64 " bytes\n", file, info.key_id,
	       old[0] ? " (replacing the signature by key " : "", old,
	       old[0] ? ")" : "", info.version, info.files, info.bytes);
	pack_info_finish(&info);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* ---- kiosk verify ------------------------------------------------------- */

static void verify_usage(FILE *f)
{
	fputs("usage: kiosk verify --key NAME.public [--key ...] FILE\n"
	      "\n"
	      "Check the content pack FILE as a kiosk does before importing it: "
	      "signed by\n"
	      "one of the keys, every file as the signed manifest says, nothing "
	      "else in it\n"
	      "(no links, device files, absolute or '..' paths). Prints the "
	      "version, the\n"
	      "files, the bytes and the key; exit status 0 when the pack is "
	      "good, 1 when\n"
	      "it is refused (the reason on standard error), 2 on a usage "
	      "error or a\n"
	      "key file that cannot be read.\n"
	      "\n"
	      "  --key FILE  a trusted public key (kiosk keygen); up to 32\n"
	      "  --help      show this help\n", f);
}

int cli_verify_main(struct kiosk_config *cfg, int argc, char **argv)
{
	(void)cfg;
	const char *keys[VERIFY_MAX_KEYS];
	size_t n_keys = 0;
	const char *file = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		if (is_help(a)) {
			verify_usage(stdout);
			return 0;
		} else if (option(argc, argv, &i, "--key", &v)) {
			if (!v) {
				fprintf(stderr, "kiosk verify: --key needs a "
					"file\n");
				return 2;
			}
			if (n_keys == VERIFY_MAX_KEYS) {
				fprintf(stderr, "kiosk verify: at most %d keys\n",
					VERIFY_MAX_KEYS);
				return 2;
			}
			keys[n_keys++] = v;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "kiosk verify: unknown option '%s' (see "
				"kiosk verify --help)\n", a);
			return 2;
		} else if (file) {
			fprintf(stderr, "kiosk verify: one pack only: '%s' and "
				"'%s'\n", file, a);
			return 2;
		} else {
			file = a;
		}
	}
	if (!n_keys || !file) {
		fprintf(stderr, "kiosk verify: %s\n", !n_keys ? "name a trusted "
			"key with --key NAME.public" : "name the pack");
		verify_usage(stderr);
		return 2;
	}
	struct packkey_public pub[VERIFY_MAX_KEYS];
	char *err = NULL;
	for (size_t k = 0; k < n_keys; k++) {
		if (!packkey_load_public(keys[k], &pub[k], &err)) {
			fprintf(stderr, "kiosk verify: %s\n", err);
			free(err);
			return 2;
		}
	}
	struct pack_verify_opts opts = {.keys = pub, .n_keys = n_keys};
	struct pack_info info;
	if (!pack_verify(file, &opts, &info, &err)) {
		fprintf(stderr, "kiosk verify: refused: %s\n", err);
		free(err);
		return 1;
	}
	printf("%s: good\n"
	       "version    %" PRId64 "\n"
	       "publisher  %s\n"
	       "created    %s\n"
	       "files      %zu\n"
	       "bytes      %" PRId64 "\n"
	       "key        %s\n", file, info.version, info.publisher,
	       info.created, info.files, info.bytes, info.key_id);
	pack_info_finish(&info);
	return fflush(stdout) == 0 ? 0 : 1;
}
