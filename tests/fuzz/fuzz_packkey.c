/*
 * fuzz_packkey: the publishers' key files and the base64 in them
 * (pack/packkey.c). The input is a key file's bytes, written to a scratch
 * file and read both as a public key (packkey_load_public) and as a
 * secret key (packkey_load_secret); the input is also decoded directly
 * with packkey_unbase64 as 32 and as 64 bytes.
 *
 * Beyond not crashing, the target asserts: a refusal comes with a message
 * naming the file; an accepted public key carries the id packkey_id
 * gives; an accepted secret key's public half is the one its seed makes
 * (it signs what its public key verifies) and a refused one is wiped;
 * base64 that decodes encodes back to the same text (libsodium refuses
 * every other spelling of the bytes).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "fuzz_common.h"
#include "pack/packkey.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *key_path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	key_path = fuzz_path("fuzz.key");
	char *err = NULL;
	if (!packkey_init(&err))
		abort();
	return 0;
}

static void check_refusal(char *err)
{
	FUZZ_CHECK(err && !strncmp(err, key_path, strlen(key_path)),
		   "refused without naming the file: %s", err ? err : "(null)");
	free(err);
}

static void check_base64(const char *s, size_t n)
{
	unsigned char bin[64];
	if (!packkey_unbase64(s, bin, n))
		return;
	char *again = packkey_base64(bin, n);
	FUZZ_CHECK(!strcmp(again, s), "base64 %s decodes but encodes as %s", s,
		   again);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_write(key_path, data, size);
	char *err = NULL;
	struct packkey_public pub;
	if (packkey_load_public(key_path, &pub, &err)) {
		char id[PACKKEY_ID_LEN + 1];
		packkey_id(pub.key, id);
		FUZZ_CHECK(!strcmp(id, pub.id) && strlen(pub.id) == PACKKEY_ID_LEN,
			   "public key id %s, computed %s", pub.id, id);
	} else {
		check_refusal(err);
		err = NULL;
	}

	struct packkey_secret sk;
	memset(&sk, 0xA5, sizeof sk);
	if (packkey_load_secret(key_path, &sk, &err)) {
		char id[PACKKEY_ID_LEN + 1];
		packkey_id(sk.pub.key, id);
		FUZZ_CHECK(!strcmp(id, sk.pub.id), "secret key's id %s, computed "
			   "%s", sk.pub.id, id);
		FUZZ_CHECK(!memcmp(sk.key + 32, sk.pub.key, 32), "the public "
			   "half differs");
		unsigned char sig[PACKKEY_SIG_BYTES];
		packkey_sign(&sk, data, size, sig);
		FUZZ_CHECK(packkey_verify(&sk.pub, data, size, sig), "a signature "
			   "its own public key does not verify");
		packkey_secret_wipe(&sk);
	} else {
		check_refusal(err);
		err = NULL;
		/* wiped, or refused before anything was written to it */
		const unsigned char *b = (const unsigned char *)&sk;
		bool zero = true, untouched = true;
		for (size_t i = 0; i < sizeof sk; i++) {
			zero &= b[i] == 0;
			untouched &= b[i] == 0xA5;
		}
		FUZZ_CHECK(zero || untouched, "a refused secret key is not wiped");
	}

	char *s = fuzz_strndup(data, size);
	check_base64(s, PACKKEY_PUBLIC_BYTES);
	check_base64(s, PACKKEY_SECRET_BYTES);
	free(s);
	return 0;
}
