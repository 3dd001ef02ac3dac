/*
 * fuzz_packfile: content packs, the tar archives of pack/packfile.c read
 * with libarchive. The input is a pack's bytes. Their tar header
 * checksums are made right first (libarchive refuses a header whose sum
 * is wrong, so a mutated type, size or name would never be read
 * otherwise); then they are written to a scratch file and:
 *   1. checked with pack_verify against the target's own key (the
 *      signature check and everything before it: tar headers, entry
 *      types and names, MANIFEST.json and MANIFEST.sig);
 *   2. signed with that key by pack_sign, which reads the whole pack as
 *      pack_verify does apart from the signature (so the fuzzer reaches
 *      the manifest and every content entry without forging a
 *      signature) and writes it again;
 *   3. when that worked, the signed pack is verified again, extracting
 *      into an empty staging folder.
 *
 * Beyond not crashing, the target asserts: refusals come with a message
 * that begins with the pack's path; a pack that pack_sign accepts is
 * accepted by pack_verify once signed (same version, files and bytes, the
 * target's key id), and extracting it writes exactly its files (count and
 * bytes) inside the staging folder and nothing beside it; progress never
 * passes the total.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "base/util.h"
#include "fuzz_common.h"
#include "pack/packfile.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *pack_path;
static char *stage_path;
static struct packkey_secret key;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	pack_path = fuzz_path("fuzz.pack");
	stage_path = fuzz_path("stage");
	char *err = NULL;
	if (!packkey_init(&err))
		abort();
	/* a fixed key, so runs are repeatable */
	unsigned char seed[crypto_sign_SEEDBYTES];
	memset(seed, 7, sizeof seed);
	crypto_sign_seed_keypair(key.pub.key, key.key, seed);
	packkey_id(key.pub.key, key.pub.id);
	return 0;
}

/* The octal number of a tar header field (NUL or space ended). */
static uint64_t octal(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n && p[i] >= '0' && p[i] <= '7' &&
	     v < (UINT64_C(1) << 60); i++)
		v = v * 8 + (uint64_t)(p[i] - '0');
	return v;
}

/* Set the checksum of every ustar header of a tar in t[0..size), walking
 * from header to header by their sizes. */
static void fix_checksums(uint8_t *t, size_t size)
{
	for (size_t off = 0; off + 512 <= size;) {
		uint8_t *h = t + off;
		if (memcmp(h + 257, "ustar", 5) != 0)
			break;
		memset(h + 148, ' ', 8);
		unsigned sum = 0;
		for (size_t i = 0; i < 512; i++)
			sum += h[i];
		snprintf((char *)h + 148, 8, "%06o", sum & 0777777);
		h[155] = ' ';
		uint64_t len = octal(h + 124, 12);
		uint64_t blocks = (len + 511) / 512;
		if (blocks > (size - off) / 512)
			break;
		off += 512 + (size_t)blocks * 512;
	}
}

static bool progress(void *user, int64_t done_bytes, int64_t total_bytes)
{
	(void)user;
	FUZZ_CHECK(done_bytes >= 0 && done_bytes <= total_bytes,
		   "progress %lld of %lld", (long long)done_bytes,
		   (long long)total_bytes);
	return true;
}

static void check_refusal(char *err, const char *what)
{
	FUZZ_CHECK(err && !strncmp(err, pack_path, strlen(pack_path)),
		   "%s refused without naming the pack: %s", what,
		   err ? err : "(null)");
	free(err);
}

/* Count the regular files and their bytes under dir; anything else
 * fails. */
static void count_tree(const char *dir, size_t *files, int64_t *bytes)
{
	DIR *d = opendir(dir);
	FUZZ_CHECK(d, "cannot open %s", dir);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *p = path_join(dir, de->d_name);
		struct stat st;
		FUZZ_CHECK(lstat(p, &st) == 0, "lstat %s", p);
		if (S_ISDIR(st.st_mode)) {
			count_tree(p, files, bytes);
		} else {
			FUZZ_CHECK(S_ISREG(st.st_mode), "%s is not a regular file", p);
			(*files)++;
			*bytes += st.st_size;
		}
		free(p);
	}
	closedir(d);
}

/* The scratch folder holds the pack, the staging folder and nothing
 * else: extraction wrote nothing beside the staging folder. */
static void check_scratch(void)
{
	DIR *d = opendir(fuzz_dir());
	FUZZ_CHECK(d, "cannot open the scratch folder");
	struct dirent *de;
	while ((de = readdir(d)))
		FUZZ_CHECK(!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
			   !strcmp(de->d_name, "fuzz.pack") ||
			   !strcmp(de->d_name, "stage"),
			   "%s was written beside the staging folder", de->d_name);
	closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *tar = xmalloc(size ? size : 1);
	if (size)
		memcpy(tar, data, size);
	fix_checksums(tar, size);
	fuzz_write(pack_path, tar, size);
	free(tar);
	int64_t seen = 0;
	struct pack_verify_opts opts = {
		.keys = &key.pub, .n_keys = 1, .version_seen = &seen,
		.progress = progress,
	};
	struct pack_info info;
	char *err = NULL;
	if (pack_verify(pack_path, &opts, &info, &err)) {
		FUZZ_CHECK(!strcmp(info.key_id, key.pub.id) && info.version > 0 &&
			   info.version == seen, "pack_info of a verified pack");
		pack_info_finish(&info);
	} else {
		check_refusal(err, "pack_verify");
	}

	err = NULL;
	char old_id[PACKKEY_ID_LEN + 1] = "x";
	if (!pack_sign(pack_path, &key, &info, old_id, &err)) {
		check_refusal(err, "pack_sign");
		check_scratch();
		return 0;
	}
	FUZZ_CHECK(strlen(old_id) <= PACKKEY_ID_LEN, "old key id");
	FUZZ_CHECK(info.files >= 1 && info.version > 0 &&
		   !strcmp(info.key_id, key.pub.id), "pack_info of a signed pack");

	/* the signed pack verifies, extracted into an empty folder */
	path_remove_tree(stage_path);
	FUZZ_CHECK(mkdir_parents(stage_path), "cannot make %s", stage_path);
	struct pack_info vinfo;
	opts.extract_to = stage_path;
	err = NULL;
	if (!pack_verify(pack_path, &opts, &vinfo, &err))
		FUZZ_CHECK(false, "a pack pack_sign accepted fails to verify: %s",
			   err);
	FUZZ_CHECK(vinfo.version == info.version && vinfo.files == info.files &&
		   vinfo.bytes == info.bytes && !strcmp(vinfo.key_id, info.key_id) &&
		   !strcmp(vinfo.publisher, info.publisher) &&
		   !strcmp(vinfo.created, info.created), "signed and verified "
		   "pack_info differ");
	size_t files = 0;
	int64_t bytes = 0;
	count_tree(stage_path, &files, &bytes);
	FUZZ_CHECK(files == info.files && bytes == info.bytes, "extracted %zu "
		   "files, %lld bytes; the manifest has %zu, %lld", files,
		   (long long)bytes, info.files, (long long)info.bytes);
	check_scratch();
	path_remove_tree(stage_path);
	pack_info_finish(&vinfo);
	pack_info_finish(&info);
	return 0;
}
