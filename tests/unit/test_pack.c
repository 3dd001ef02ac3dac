/*
 * test_pack: content packs, the publisher's side: key pairs and their
 * files; pack, sign and verify round trips (a Vietnamese file name
 * included) with extraction into a staging folder; every refusal with its
 * reason: unsigned, another key, the manifest edited after signing, a
 * file changed, added or missing, links, devices, absolute and '..'
 * names, sizes over the limit, a pack larger than the room; manifests
 * checked on their own; libraries with links refused; and the four
 * commands through the real program.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cmocka.h>
#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#include "base/util.h"
#include "pack/manifest.h"
#include "pack/packfile.h"
#include "pack/packkey.h"
#include "test_support.h"
#include "test_tpack.h"

#define VI_NAME "crc/Quyền con người.txt"
#define VI_TEXT "Mọi người sinh ra đều được tự do và bình đẳng.\n"

static char *tmp;
static char *lib;                       /* the library folder */
static struct packkey_secret key_a, key_b;

static int setup(void **state)
{
	(void)state;
	tmp = test_tmpdir();
	lib = path_join(tmp, "lib");
	free(test_write_file(lib, "crc/item.json", "{\"id\": \"crc\"}\n"));
	free(test_write_file(lib, VI_NAME, VI_TEXT));
	free(test_write_file(lib, "posters/udhr/a.txt", "poster\n"));
	free(test_write_file(lib, ".git/config", "hidden\n"));
	char *err = NULL;
	if (!packkey_generate(&key_a, &err) || !packkey_generate(&key_b, &err))
		fail_msg("%s", err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	packkey_secret_wipe(&key_a);
	packkey_secret_wipe(&key_b);
	test_rmtree(tmp);
	free(tmp);
	free(lib);
	tmp = lib = NULL;
	return 0;
}

static char *tpath(const char *rel)
{
	return path_join(tmp, rel);
}

/* A signed (by sk, unless NULL) pack of lib at tmp/name; caller frees. */
static char *make_pack(const char *name, const struct packkey_secret *sk)
{
	char *p = tpath(name);
	char *err = NULL;
	struct pack_info info;
	size_t hidden = 0;
	if (!pack_create(lib, p, 3, "Trung tâm Văn hoá", &info, &hidden, &err))
		fail_msg("pack_create: %s", err);
	assert_int_equal(hidden, 1);
	assert_int_equal(info.files, 3);
	pack_info_finish(&info);
	if (sk && !pack_sign(p, sk, NULL, NULL, &err))
		fail_msg("pack_sign: %s", err);
	return p;
}

/* pack_verify must refuse path, its message holding want. */
static void assert_refused_opts(const char *path,
				const struct pack_verify_opts *opts,
				const char *want)
{
	char *err = NULL;
	struct pack_info info;
	bool ok = pack_verify(path, opts, &info, &err);
	if (ok) {
		pack_info_finish(&info);
		fail_msg("%s: accepted; expected a refusal with '%s'", path, want);
	}
	assert_non_null(err);
	if (!strstr(err, want))
		fail_msg("message '%s' does not say '%s'", err, want);
	/* every message names the pack */
	assert_true(strncmp(err, path, strlen(path)) == 0);
	free(err);
}

static void assert_refused(const char *path, const char *want)
{
	struct pack_verify_opts opts = {.keys = &key_a.pub, .n_keys = 1};
	assert_refused_opts(path, &opts, want);
}

/* The good signed pack, tampered by fn, written as tmp/name. */
static char *tampered(const char *name, void (*fn)(struct tpack *t))
{
	char *good = make_pack("good.tar", &key_a);
	struct tpack t;
	tpack_read(&t, good);
	assert_int_equal(t.n, 5);
	fn(&t);
	char *p = tpath(name);
	tpack_write(&t, p);
	tpack_free(&t);
	free(good);
	return p;
}

/* Sign json with key_a and write a pack of it plus the given entries
 * (name, data pairs, NULL-ended). */
static char *crafted(const char *name, const char *json, ...)
{
	struct tpack t = {0};
	tpack_add_manifest(&t, json, &key_a);
	va_list ap;
	va_start(ap, json);
	const char *n, *d;
	while ((n = va_arg(ap, const char *))) {
		d = va_arg(ap, const char *);
		tpack_add(&t, n, AE_IFREG, d, NULL, false);
	}
	va_end(ap);
	char *p = tpath(name);
	tpack_write(&t, p);
	tpack_free(&t);
	return p;
}

/* ---- round trip --------------------------------------------------------- */

static void test_round_trip(void **state)
{
	(void)state;
	char *p = make_pack("p.tar", &key_a);
	struct packkey_public keys[2] = {key_b.pub, key_a.pub};
	char *stage = tpath("stage");
	assert_int_equal(mkdir(stage, 0755), 0);
	struct pack_verify_opts opts = {.keys = keys, .n_keys = 2,
					.extract_to = stage};
	struct pack_info info;
	char *err = NULL;
	if (!pack_verify(p, &opts, &info, &err))
		fail_msg("%s", err);
	assert_int_equal(info.version, 3);
	assert_int_equal(info.files, 3);
	assert_int_equal(info.bytes, (int64_t)(strlen("{\"id\": \"crc\"}\n") +
					       strlen(VI_TEXT) + strlen("poster\n")));
	assert_string_equal(info.key_id, key_a.pub.id);
	assert_string_equal(info.publisher, "Trung tâm Văn hoá");
	assert_int_equal(strlen(info.created), 20);
	pack_info_finish(&info);

	/* extracted byte for byte, hidden files left out */
	char *vi = path_join(stage, VI_NAME);
	char *text = file_read_all(vi, NULL);
	assert_non_null(text);
	assert_string_equal(text, VI_TEXT);
	free(text);
	free(vi);
	char *hidden = path_join(stage, ".git");
	assert_false(file_exists(hidden) || dir_exists(hidden));
	free(hidden);
	/* a staging folder that is not empty is refused */
	assert_refused_opts(p, &opts, "not empty");

	/* the manifest inside: sorted, the Vietnamese path in UTF-8 */
	struct tpack t;
	tpack_read(&t, p);
	assert_string_equal(t.e[0].name, PACK_MANIFEST_NAME);
	assert_string_equal(t.e[1].name, PACK_SIGNATURE_NAME);
	assert_string_equal(t.e[2].name, "content/" VI_NAME);
	assert_string_equal(t.e[3].name, "content/crc/item.json");
	assert_non_null(strstr(t.e[0].data, "\"path\": \"" VI_NAME "\""));
	assert_non_null(strstr(t.e[0].data, "\"version\": 3"));
	assert_true(strncmp(t.e[1].data, "ed25519 ", 8) == 0);
	tpack_free(&t);

	/* verify without extracting: no staging folder touched */
	opts.extract_to = NULL;
	assert_true(pack_verify(p, &opts, NULL, &err));

	/* re-signing with another key replaces the signature */
	char old[PACKKEY_ID_LEN + 1];
	assert_true(pack_sign(p, &key_b, &info, old, &err));
	assert_string_equal(old, key_a.pub.id);
	assert_string_equal(info.key_id, key_b.pub.id);
	pack_info_finish(&info);
	assert_true(pack_verify(p, &opts, &info, &err));
	assert_string_equal(info.key_id, key_b.pub.id);
	pack_info_finish(&info);
	/* no temporary files left beside the pack */
	assert_int_equal(test_system("test -z \"$(ls -A '%s' | grep '^\\.')\"",
				     tmp), 0);
	free(stage);
	free(p);
}

/* ---- refusals ----------------------------------------------------------- */

static void test_unsigned(void **state)
{
	(void)state;
	char *p = make_pack("u.tar", NULL);
	assert_refused(p, "not signed");
	free(p);
}

static void test_other_key(void **state)
{
	(void)state;
	char *p = make_pack("b.tar", &key_b);
	assert_refused(p, "which is not trusted");
	struct pack_verify_opts none = {.keys = NULL, .n_keys = 0};
	assert_refused_opts(p, &none, "not trusted (trusted: none)");
	free(p);
}

static void bump_version(struct tpack *t)
{
	struct tentry *m = tpack_find(t, PACK_MANIFEST_NAME);
	char *v = strstr(m->data, "\"version\": 3");
	assert_non_null(v);
	v[strlen("\"version\": ")] = '4';
}

static void forge_signature(struct tpack *t)
{
	struct tentry *s = tpack_find(t, PACK_SIGNATURE_NAME);
	s->data[s->len - 10] = s->data[s->len - 10] == 'A' ? 'B' : 'A';
}

static void drop_signature(struct tpack *t)
{
	tpack_remove(t, PACK_SIGNATURE_NAME);
}

static void test_manifest_edited(void **state)
{
	(void)state;
	char *p = tampered("v.tar", bump_version);
	assert_refused(p, "does not match MANIFEST.json");
	free(p);
	p = tampered("s.tar", forge_signature);
	assert_refused(p, "does not match MANIFEST.json");
	free(p);
	p = tampered("d.tar", drop_signature);
	assert_refused(p, "not signed");
	free(p);
}

static void change_byte(struct tpack *t)
{
	tpack_find(t, "content/crc/item.json")->data[3] ^= 1;
}

static void change_length(struct tpack *t)
{
	struct tentry *e = tpack_find(t, "content/posters/udhr/a.txt");
	free(e->data);
	e->data = xstrdup("a longer poster\n");
	e->len = strlen(e->data);
}

static void test_file_changed(void **state)
{
	(void)state;
	char *p = tampered("c.tar", change_byte);
	assert_refused(p, "entry 'content/crc/item.json': its SHA-256 differs");
	/* signing a changed pack is refused too, and leaves it as it was */
	char *err = NULL;
	assert_false(pack_sign(p, &key_a, NULL, NULL, &err));
	assert_non_null(strstr(err, "SHA-256 differs"));
	free(err);
	free(p);
	p = tampered("l.tar", change_length);
	assert_refused(p, "the manifest says 7");
	free(p);
}

static void add_extra(struct tpack *t)
{
	tpack_add(t, "content/extra.txt", AE_IFREG, "extra\n", NULL, false);
}

static void add_outside(struct tpack *t)
{
	tpack_add(t, "README.txt", AE_IFREG, "extra\n", NULL, false);
}

static void drop_file(struct tpack *t)
{
	tpack_remove(t, "content/posters/udhr/a.txt");
}

static void duplicate_file(struct tpack *t)
{
	tpack_add(t, "content/crc/item.json", AE_IFREG, "{\"id\": \"crc\"}\n",
		  NULL, false);
}

static void manifest_not_first(struct tpack *t)
{
	struct tentry m = t->e[0];
	t->e[0] = t->e[2];
	t->e[2] = m;
}

static void test_extra_missing(void **state)
{
	(void)state;
	char *p = tampered("x.tar", add_extra);
	assert_refused(p, "entry 'content/extra.txt' is not in the manifest");
	free(p);
	p = tampered("o.tar", add_outside);
	assert_refused(p, "entry 'README.txt' is not under content/");
	free(p);
	p = tampered("m.tar", drop_file);
	assert_refused(p, "content/posters/udhr/a.txt is in the manifest but "
		       "not in the pack (1 file missing)");
	free(p);
	p = tampered("2.tar", duplicate_file);
	assert_refused(p, "appears twice");
	free(p);
	p = tampered("f.tar", manifest_not_first);
	assert_refused(p, "not MANIFEST.json");
	free(p);
}

static void add_symlink(struct tpack *t)
{
	tpack_add(t, "content/link", AE_IFLNK, NULL, "/etc/passwd", false);
}

static void add_hardlink(struct tpack *t)
{
	tpack_add(t, "content/hard", AE_IFREG, NULL, "content/crc/item.json",
		  true);
}

static void add_device(struct tpack *t)
{
	tpack_add(t, "content/null", AE_IFCHR, NULL, NULL, false);
}

static void add_fifo(struct tpack *t)
{
	tpack_add(t, "content/fifo", AE_IFIFO, NULL, NULL, false);
}

static void add_dir(struct tpack *t)
{
	tpack_add(t, "content/crc", AE_IFDIR, NULL, NULL, false);
}

static void add_absolute(struct tpack *t)
{
	tpack_add(t, "/etc/cron.d/x", AE_IFREG, "x\n", NULL, false);
}

static void add_dotdot(struct tpack *t)
{
	tpack_add(t, "../x", AE_IFREG, "x\n", NULL, false);
}

static void add_inner_dotdot(struct tpack *t)
{
	tpack_add(t, "content/crc/../../x", AE_IFREG, "x\n", NULL, false);
}

static void test_bad_entries(void **state)
{
	(void)state;
	struct {
		const char *name;
		void (*fn)(struct tpack *t);
		const char *want;
	} cases[] = {
		{"sym.tar", add_symlink, "entry 'content/link' is a symbolic link "
					 "(to '/etc/passwd')"},
		{"hard.tar", add_hardlink, "entry 'content/hard' is a hard link"},
		{"dev.tar", add_device, "entry 'content/null' is a device file"},
		{"fifo.tar", add_fifo, "entry 'content/fifo' is a FIFO"},
		{"dir.tar", add_dir, "is a folder entry"},
		{"abs.tar", add_absolute, "entry '/etc/cron.d/x': the path is "
					  "absolute"},
		{"dd.tar", add_dotdot, "entry '../x': the path has a '..'"},
		{"dd2.tar", add_inner_dotdot, "the path has a '..'"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *p = tampered(cases[i].name, cases[i].fn);
		assert_refused(p, cases[i].want);
		free(p);
	}
}

static void test_not_a_pack(void **state)
{
	(void)state;
	char *p = test_write_file(tmp, "junk.tar", "this is not a tar file at "
				  "all, just some text that goes on\n");
	assert_refused(p, "not a readable content pack");
	free(p);
	p = tpath("none.tar");
	assert_refused(p, "cannot open");
	free(p);
}

static const char *const sha_zero =
	"0000000000000000000000000000000000000000000000000000000000000000";

static void test_size_limits(void **state)
{
	(void)state;
	/* a signed manifest claiming a file over PACK_MAX_FILE_BYTES */
	char *json = xasprintf("{\"format\": 1, \"version\": 2, \"created\": "
			       "\"2025-01-01T00:00:00Z\", \"publisher\": \"\", "
			       "\"files\": [{\"path\": \"big.mp4\", \"size\": "
			       "%lld, \"sha256\": \"%s\"}]}",
			       (long long)PACK_MAX_FILE_BYTES + 1, sha_zero);
	char *p = crafted("big.tar", json, "content/big.mp4", "small", NULL);
	assert_refused(p, "files[0] 'big.mp4': size 4294967297 bytes is over "
		       "the limit of 4294967296 bytes");
	free(p);
	free(json);

	/* a signed manifest with a '..' path */
	json = xasprintf("{\"format\": 1, \"version\": 2, \"created\": \"\", "
			 "\"publisher\": \"\", \"files\": [{\"path\": "
			 "\"../evil\", \"size\": 1, \"sha256\": \"%s\"}]}",
			 sha_zero);
	p = crafted("evil.tar", json, NULL);
	assert_refused(p, "MANIFEST.json: files[0] '../evil': the path has a "
		       "'..' component");
	free(p);
	free(json);

	/* a lower limit, as a kiosk may set */
	p = make_pack("lim.tar", &key_a);
	struct pack_verify_opts opts = {.keys = &key_a.pub, .n_keys = 1,
					.max_file_bytes = 20};
	assert_refused_opts(p, &opts, "bytes is over the limit of 20 bytes");
	/* more than the room there is */
	opts.max_file_bytes = 0;
	opts.max_total_bytes = 30;
	assert_refused_opts(p, &opts, "more than the 30 there is room for");
	opts.max_total_bytes = 1000;
	char *err = NULL;
	assert_true(pack_verify(p, &opts, NULL, &err));
	free(p);
}

/* ---- manifests on their own --------------------------------------------- */

static void assert_manifest_refused(const char *files, const char *want)
{
	char *json = xasprintf("{\"format\": 1, \"version\": 1, \"created\": "
			       "\"x\", \"publisher\": \"p\", \"files\": [%s]}",
			       files);
	struct manifest m;
	char *err = NULL;
	if (manifest_parse(&m, json, strlen(json), PACK_MAX_FILE_BYTES, &err))
		fail_msg("accepted: %s", json);
	if (!strstr(err, want))
		fail_msg("message '%s' does not say '%s'", err, want);
	free(err);
	free(json);
}

#define F(path) "{\"path\": \"" path "\", \"size\": 1, \"sha256\": " \
	"\"0000000000000000000000000000000000000000000000000000000000000000\"}"

static void test_manifest_checks(void **state)
{
	(void)state;
	assert_manifest_refused(F("a") "," F("a"), "'a' is listed twice");
	assert_manifest_refused(F("b") "," F("a"), "out of order");
	assert_manifest_refused(F("a\\\\b"), "backslash");
	assert_manifest_refused(F("a/./b"), "'.' component");
	assert_manifest_refused(F("a//b"), "empty component");
	assert_manifest_refused(F("a/"), "empty component");
	assert_manifest_refused(F(""), "the path is empty");
	assert_manifest_refused(F("/a"), "absolute");
	assert_manifest_refused(F("a\\u0001"), "control character");
	assert_manifest_refused(F("a") "," F("a/b"), "'a' is a file and also a "
				"folder");
	assert_manifest_refused("{\"path\": \"a\", \"size\": 1, \"sha256\": "
				"\"00\"}", "64 hex digits");
	assert_manifest_refused("{\"path\": \"a\", \"size\": -1, \"sha256\": "
				"\"00\"}", "negative");
	assert_manifest_refused("{\"path\": \"a\", \"size\": \"1\"}", "whole "
				"number");
	assert_manifest_refused("", "\"files\" is empty");

	struct manifest m;
	char *err = NULL;
	const char *v0 = "{\"format\": 1, \"version\": 0, \"created\": \"\", "
			 "\"publisher\": \"\", \"files\": [" F("a") "]}";
	assert_false(manifest_parse(&m, v0, strlen(v0), 10, &err));
	assert_non_null(strstr(err, "\"version\""));
	free(err);
	const char *f2 = "{\"format\": 2, \"version\": 1, \"created\": \"\", "
			 "\"publisher\": \"\", \"files\": [" F("a") "]}";
	assert_false(manifest_parse(&m, f2, strlen(f2), 10, &err));
	assert_non_null(strstr(err, "\"format\" is not 1"));
	free(err);
	const char *bad = "{\"format\": 1, \"version\": 1, \"version\": 2}";
	assert_false(manifest_parse(&m, bad, strlen(bad), 10, &err));
	assert_non_null(strstr(err, "line 1"));
	free(err);
	const char latin1[] = "{\"format\": 1, \"version\": 1, \"created\": "
			      "\"\", \"publisher\": \"\xe9\", \"files\": []}";
	assert_false(manifest_parse(&m, latin1, strlen(latin1), 10, &err));
	free(err);

	/* a good one, and a round trip through manifest_to_json */
	const char *good = "{\"format\": 1, \"version\": 9, \"created\": \"c\", "
			   "\"publisher\": \"p\", \"files\": [" F("a/b") ","
			   F("a/c") "," F("ả") "]}";
	assert_true(manifest_parse(&m, good, strlen(good), 10, &err));
	assert_int_equal(m.n_files, 3);
	assert_int_equal(m.total_bytes, 3);
	assert_non_null(manifest_find(&m, "ả"));
	assert_null(manifest_find(&m, "a"));
	size_t len;
	char *json = manifest_to_json(&m, &len);
	struct manifest m2;
	assert_true(manifest_parse(&m2, json, len, 10, &err));
	assert_int_equal(m2.version, 9);
	assert_string_equal(m2.files[2].path, "ả");
	manifest_finish(&m2);
	manifest_finish(&m);
	free(json);
}

/* ---- libraries that cannot be packed ------------------------------------ */

static void test_pack_refusals(void **state)
{
	(void)state;
	char *out = tpath("out.tar");
	char *link = path_join(lib, "crc/link.mp4");
	assert_int_equal(symlink("/etc/passwd", link), 0);
	char *err = NULL;
	assert_false(pack_create(lib, out, 1, NULL, NULL, NULL, &err));
	if (!strstr(err, "/crc/link.mp4: a symbolic link"))
		fail_msg("message: %s", err);
	free(err);
	assert_false(file_exists(out));
	unlink(link);

	assert_int_equal(mkfifo(link, 0644), 0);
	assert_false(pack_create(lib, out, 1, NULL, NULL, NULL, &err));
	assert_non_null(strstr(err, "/crc/link.mp4: a FIFO"));
	free(err);
	unlink(link);
	free(link);

	/* a backslash in a file name */
	char *bs = test_write_file(lib, "crc/a\\b.txt", "x");
	assert_false(pack_create(lib, out, 1, NULL, NULL, NULL, &err));
	assert_non_null(strstr(err, "crc/a\\b.txt: the path has a backslash"));
	free(err);
	unlink(bs);
	free(bs);

	/* version 0; the pack inside the library; nothing to pack */
	assert_false(pack_create(lib, out, 0, NULL, NULL, NULL, &err));
	assert_non_null(strstr(err, "positive"));
	free(err);
	char *inside = path_join(lib, "crc/p.tar");
	assert_false(pack_create(lib, inside, 1, NULL, NULL, NULL, &err));
	assert_non_null(strstr(err, "inside the library"));
	free(err);
	free(inside);
	char *empty = tpath("empty");
	assert_int_equal(mkdir(empty, 0755), 0);
	assert_false(pack_create(empty, out, 1, NULL, NULL, NULL, &err));
	assert_non_null(strstr(err, "no files to pack"));
	free(err);
	free(empty);
	assert_false(file_exists(out));
	free(out);
}

/* ---- key files ---------------------------------------------------------- */

static void assert_key_refused(bool secret, const char *path, const char *want)
{
	char *err = NULL;
	struct packkey_public pub;
	struct packkey_secret sk;
	bool ok = secret ? packkey_load_secret(path, &sk, &err)
			 : packkey_load_public(path, &pub, &err);
	if (ok)
		fail_msg("%s: accepted", path);
	if (!strstr(err, want) || strncmp(err, path, strlen(path)) != 0)
		fail_msg("message '%s' does not name the file and say '%s'", err,
			 want);
	free(err);
}

static void test_key_files(void **state)
{
	(void)state;
	char *base = tpath("pub");
	char *err = NULL;
	if (!packkey_write_pair(&key_a, base, &err))
		fail_msg("%s", err);
	char *sp = xasprintf("%s.secret", base), *pp = xasprintf("%s.public", base);
	struct stat st;
	assert_int_equal(stat(sp, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(pp, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);

	struct packkey_public pub;
	struct packkey_secret sk;
	assert_true(packkey_load_public(pp, &pub, &err));
	assert_memory_equal(pub.key, key_a.pub.key, PACKKEY_PUBLIC_BYTES);
	assert_string_equal(pub.id, key_a.pub.id);
	assert_true(packkey_load_secret(sp, &sk, &err));
	assert_memory_equal(sk.key, key_a.key, PACKKEY_SECRET_BYTES);
	packkey_secret_wipe(&sk);
	char *text = file_read_all(pp, NULL);
	char *want = xasprintf("kiosk-pack-public-key ed25519 ");
	assert_true(strncmp(text, want, strlen(want)) == 0);
	assert_non_null(strstr(text, key_a.pub.id));
	free(want);

	/* never overwritten, even when only one of the two exists */
	char *before = file_read_all(sp, NULL);
	assert_false(packkey_write_pair(&key_b, base, &err));
	assert_non_null(strstr(err, "already exists"));
	free(err);
	char *after = file_read_all(sp, NULL);
	assert_string_equal(before, after);
	free(before);
	free(after);
	char *base2 = tpath("half");
	free(test_write_file(tmp, "half.public", "x"));
	assert_false(packkey_write_pair(&key_b, base2, &err));
	free(err);
	char *sp2 = xasprintf("%s.secret", base2);
	assert_false(file_exists(sp2));
	free(sp2);
	free(base2);

	/* wrong type, damaged or foreign files */
	assert_key_refused(false, sp, "this is a secret key, not a public key");
	assert_key_refused(true, pp, "this is a public key, not a secret key");
	char *junk = test_write_file(tmp, "junk.public", "ssh-ed25519 AAAA x\n");
	assert_key_refused(false, junk, "not a kiosk pack key");
	free(junk);
	junk = test_write_file(tmp, "alg.public", "kiosk-pack-public-key rsa "
			       "AAAA\n");
	assert_key_refused(false, junk, "algorithm 'rsa' is not supported");
	free(junk);
	junk = test_write_file(tmp, "b64.public", "kiosk-pack-public-key ed25519 "
			       "not*base64\n");
	assert_key_refused(false, junk, "not base64 of 32 bytes");
	free(junk);
	/* a byte outside the alphabet, which libsodium 1.0.18 reads as '/'
	 * (found by tests/fuzz: regress/packkey/high-byte-base64) */
	unsigned char bin[3];
	assert_true(packkey_unbase64("AAA/", bin, sizeof bin));
	assert_false(packkey_unbase64("AAA\xCA", bin, sizeof bin));
	junk = test_write_file(tmp, "high.public", "kiosk-pack-public-key ed25519 "
			       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\xCA" "AAAA=\n");
	assert_key_refused(false, junk, "not base64 of 32 bytes");
	free(junk);
	/* a key id that does not match: a changed key */
	char *other = packkey_base64(key_b.pub.key, PACKKEY_PUBLIC_BYTES);
	char *line = xasprintf("kiosk-pack-public-key ed25519 %s %s\n", other,
			       key_a.pub.id);
	junk = test_write_file(tmp, "id.public", line);
	assert_key_refused(false, junk, "does not match the key");
	free(junk);
	free(line);
	free(other);
	char *missing = tpath("missing.public");
	assert_key_refused(false, missing, "cannot read");
	free(missing);

	free(text);
	free(sp);
	free(pp);
	free(base);
}

/* ---- through the program ------------------------------------------------ */

static char *read_text(const char *path)
{
	char *t = file_read_all(path, NULL);
	assert_non_null(t);
	return t;
}

static void test_command_line(void **state)
{
	(void)state;
	char *conf = test_write_file(tmp, "kiosk.conf", "kiosk_id = test\n");
	char *kiosk = test_program("kiosk/kiosk");
	char *so = tpath("stdout"), *se = tpath("stderr");
	char *base = tpath("publisher"), *other = tpath("other");
	char *pack = tpath("lib.tar");

	assert_int_equal(test_system("'%s' --config '%s' keygen '%s' >'%s' 2>'%s'",
				     kiosk, conf, base, so, se), 0);
	char *out = read_text(so);
	assert_non_null(strstr(out, "key id "));
	char id[PACKKEY_ID_LEN + 1];
	snprintf(id, sizeof id, "%s", strstr(out, "key id ") + 7);
	free(out);
	assert_int_equal(test_system("'%s' --config '%s' keygen '%s' >/dev/null "
				     "2>&1", kiosk, conf, other), 0);
	/* never overwritten */
	assert_int_equal(test_system("'%s' --config '%s' keygen '%s' >'%s' 2>'%s'",
				     kiosk, conf, base, so, se), 1);
	out = read_text(se);
	assert_non_null(strstr(out, "already exists"));
	free(out);

	assert_int_equal(test_system("'%s' --config '%s' pack '%s' -o '%s' "
				     "--version 12 --publisher 'Sở VHTT' >'%s' "
				     "2>'%s'", kiosk, conf, lib, pack, so, se), 0);
	out = read_text(so);
	assert_non_null(strstr(out, "version 12, 3 files"));
	free(out);
	/* unsigned: refused, exit 1 */
	assert_int_equal(test_system("'%s' --config '%s' verify --key '%s.public' "
				     "'%s' >'%s' 2>'%s'", kiosk, conf, base, pack,
				     so, se), 1);
	out = read_text(se);
	assert_non_null(strstr(out, "not signed"));
	free(out);
	assert_int_equal(test_system("'%s' --config '%s' sign --key '%s.secret' "
				     "'%s' >'%s' 2>'%s'", kiosk, conf, base, pack,
				     so, se), 0);
	assert_int_equal(test_system("'%s' --config '%s' verify --key "
				     "'%s.public' --key '%s.public' '%s' >'%s' "
				     "2>'%s'", kiosk, conf, other, base, pack, so,
				     se), 0);
	out = read_text(so);
	assert_non_null(strstr(out, "version    12\n"));
	assert_non_null(strstr(out, "files      3\n"));
	assert_non_null(strstr(out, "publisher  Sở VHTT\n"));
	assert_non_null(strstr(out, id));
	free(out);
	/* another key only: refused */
	assert_int_equal(test_system("'%s' --config '%s' verify --key '%s.public' "
				     "'%s' >'%s' 2>'%s'", kiosk, conf, other, pack,
				     so, se), 1);
	out = read_text(se);
	assert_non_null(strstr(out, "not trusted"));
	free(out);

	/* usage errors: 2; help: 0 */
	const char *usage[] = {
		"keygen", "keygen a b", "pack", "pack DIR -o x.tar",
		"pack DIR -o x.tar --version zero", "pack DIR --version 1",
		"sign x.tar", "sign --key", "verify x.tar", "verify --bogus",
	};
	for (size_t i = 0; i < ARRAY_LEN(usage); i++)
		if (test_system("'%s' --config '%s' %s >/dev/null 2>&1", kiosk,
				conf, usage[i]) != 2)
			fail_msg("kiosk %s: not a usage error", usage[i]);
	/* a secret key given to verify is refused (exit 2: no pack judged) */
	assert_int_equal(test_system("'%s' --config '%s' verify --key '%s.secret' "
				     "'%s' >'%s' 2>'%s'", kiosk, conf, base, pack,
				     so, se), 2);
	out = read_text(se);
	assert_non_null(strstr(out, "secret key, not a public key"));
	free(out);
	const char *cmds[] = {"keygen", "pack", "sign", "verify"};
	for (size_t i = 0; i < ARRAY_LEN(cmds); i++) {
		assert_int_equal(test_system("'%s' --config '%s' %s --help >'%s' "
					     "2>&1", kiosk, conf, cmds[i], so), 0);
		out = read_text(so);
		char *u = xasprintf("usage: kiosk %s", cmds[i]);
		assert_non_null(strstr(out, u));
		free(u);
		free(out);
	}
	assert_int_equal(test_system("'%s' --help >'%s' 2>&1", kiosk, so), 0);
	out = read_text(so);
	assert_non_null(strstr(out, "  verify "));
	assert_non_null(strstr(out, "  keygen "));
	free(out);

	free(conf);
	free(kiosk);
	free(so);
	free(se);
	free(base);
	free(other);
	free(pack);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsigned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manifest_edited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_pack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manifest_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_line, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
