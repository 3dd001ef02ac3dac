/*
 * test_library: the kiosk's side of content packs: a pack built, signed
 * and imported end to end; every refusal, each with its reason, leaving
 * the live library as it was and no staging behind; versions (older and
 * equal refused, allowed on purpose); rollback and rollback of the
 * rollback; a stick pulled out mid-copy, a write failure, a cancel; and
 * what an interrupted import leaves, cleared at the next start.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/config.h"
#include "base/util.h"
#include "cli/cli.h"
#include "pack/library.h"
#include "pack/packfile.h"
#include "pack/packkey.h"
#include "test_support.h"
#include "test_tpack.h"

#define VI_NAME "crc/Quyền con người.txt"
#define VI_TEXT "Mọi người sinh ra đều được tự do và bình đẳng.\n"

static char *tmp, *src, *data, *factory;
static struct packkey_secret key_a, key_b;

static int setup(void **state)
{
	(void)state;
	tmp = test_tmpdir();
	src = path_join(tmp, "src");
	data = path_join(tmp, "data");
	factory = path_join(tmp, "factory");
	free(test_write_file(factory, "factory.txt", "factory\n"));
	free(test_write_file(src, "crc/item.json", "{\"id\": \"crc\"}\n"));
	free(test_write_file(src, VI_NAME, VI_TEXT));
	free(test_write_file(src, "posters/udhr/a.txt", "poster\n"));
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
	free(src);
	free(data);
	free(factory);
	return 0;
}

/* Each test starts with no imported pack. */
static int fresh(void **state)
{
	(void)state;
	test_rmtree(data);
	return 0;
}

static char *tpath(const char *rel)
{
	return path_join(tmp, rel);
}

/* src, with version.txt saying v, packed as version v and signed by sk
 * (unless NULL) at tmp/name; caller frees. */
static char *make_pack(const char *name, int64_t v,
		       const struct packkey_secret *sk)
{
	char *text = xasprintf("version %lld\n", (long long)v);
	free(test_write_file(src, "version.txt", text));
	free(text);
	char *p = tpath(name);
	char *err = NULL;
	if (!pack_create(src, p, v, "Sở Văn hoá", NULL, NULL, &err))
		fail_msg("pack_create: %s", err);
	if (sk && !pack_sign(p, sk, NULL, NULL, &err))
		fail_msg("pack_sign: %s", err);
	return p;
}

static enum library_result import_opts(struct library *lib, const char *pack,
				       struct library_import_opts *opts,
				       char **err)
{
	*err = NULL;
	enum library_result r = library_import(lib, pack, opts, err);
	if (r == LIBRARY_DONE)
		assert_null(*err);
	else
		assert_non_null(*err);
	return r;
}

static enum library_result import(struct library *lib, const char *pack,
				  bool allow_older, char **err)
{
	struct library_import_opts opts = {.keys = &key_a.pub, .n_keys = 1,
					   .allow_older = allow_older};
	return import_opts(lib, pack, &opts, err);
}

static void assert_file(const char *dir, const char *rel, const char *text)
{
	char *p = path_join(dir, rel);
	size_t len;
	char *got = file_read_all(p, &len);
	if (!got)
		fail_msg("%s: %s", p, strerror(errno));
	assert_int_equal(len, strlen(text));
	assert_memory_equal(got, text, len);
	free(got);
	free(p);
}

static bool exists(const char *rel)
{
	char *p = path_join(data, rel);
	struct stat st;
	bool e = lstat(p, &st) == 0;
	free(p);
	return e;
}

/* The folders in data/library/packs, sorted, joined by ' '. */
static char *packs_list(void)
{
	char *cmd = xasprintf("ls %s/library/packs | sort | tr '\\n' ' '", data);
	FILE *f = popen(cmd, "r");
	char buf[512] = "";
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	pclose(f);
	free(cmd);
	return xstrdup(buf);
}

static void assert_packs(const char *want)
{
	char *got = packs_list();
	assert_string_equal(got, want);
	free(got);
}

/* ---- end to end --------------------------------------------------------- */

static void test_end_to_end(void **state)
{
	(void)state;
	struct library *lib = library_open(data, factory);
	const struct library_pack *cur = library_current(lib);
	assert_string_equal(cur->name, LIBRARY_FACTORY);
	assert_string_equal(cur->content_dir, factory);
	assert_int_equal(cur->version, 0);
	assert_null(library_previous(lib));

	char *p = make_pack("v1.pack", 1, &key_a);
	char *err;
	assert_int_equal(import(lib, p, false, &err), LIBRARY_DONE);
	cur = library_current(lib);
	assert_int_equal(cur->version, 1);
	assert_string_equal(cur->publisher, "Sở Văn hoá");
	assert_string_equal(cur->key_id, key_a.pub.id);
	assert_int_equal(cur->files, 4);
	assert_file(cur->content_dir, VI_NAME, VI_TEXT);
	assert_file(cur->content_dir, "crc/item.json", "{\"id\": \"crc\"}\n");
	assert_file(cur->content_dir, "version.txt", "version 1\n");
	assert_string_equal(library_previous(lib)->name, LIBRARY_FACTORY);
	assert_false(exists("library/staging"));
	assert_packs("v1 ");
	char *dir = xstrdup(cur->content_dir);
	library_destroy(lib);

	/* the next start shows the same */
	lib = library_open(data, factory);
	assert_int_equal(library_current(lib)->version, 1);
	assert_string_equal(library_current(lib)->content_dir, dir);
	assert_string_equal(library_previous(lib)->name, LIBRARY_FACTORY);
	library_destroy(lib);
	free(dir);
	free(p);
}

/* ---- refusals ----------------------------------------------------------- */

/* Import must be refused with a message naming pack and saying want; the
 * live library stays the v1 pack and nothing is left in staging. */
static void assert_refused_opts(struct library *lib, const char *pack,
				struct library_import_opts *opts,
				const char *want)
{
	char *err;
	enum library_result r = import_opts(lib, pack, opts, &err);
	if (r == LIBRARY_DONE)
		fail_msg("%s: imported; expected a refusal with '%s'", pack, want);
	if (!strstr(err, want))
		fail_msg("message '%s' does not say '%s'", err, want);
	assert_true(strncmp(err, pack, strlen(pack)) == 0);
	free(err);
	assert_int_equal(library_current(lib)->version, 1);
	assert_file(library_current(lib)->content_dir, "version.txt", "version 1\n");
	assert_false(exists("library/staging"));
	assert_packs("v1 ");
}

static void assert_refused(struct library *lib, const char *pack,
			   const char *want)
{
	struct library_import_opts opts = {.keys = &key_a.pub, .n_keys = 1};
	assert_refused_opts(lib, pack, &opts, want);
}

/* The good v2 pack, tampered by fn, at tmp/name. */
static char *tampered(const char *name, void (*fn)(struct tpack *t))
{
	char *good = make_pack("good2.pack", 2, &key_a);
	struct tpack t;
	tpack_read(&t, good);
	fn(&t);
	char *p = tpath(name);
	tpack_write(&t, p);
	tpack_free(&t);
	free(good);
	return p;
}

static void bump_version(struct tpack *t)
{
	struct tentry *e = tpack_find(t, "MANIFEST.json");
	char *v = strstr(e->data, "\"version\": 2");
	assert_non_null(v);
	v[strlen("\"version\": ")] = '9';
}

static void change_byte(struct tpack *t)
{
	tpack_find(t, "content/posters/udhr/a.txt")->data[0] ^= 1;
}

static void add_absolute(struct tpack *t)
{
	tpack_add(t, "/etc/evil", AE_IFREG, "x", NULL, false);
}

static void add_dotdot(struct tpack *t)
{
	tpack_add(t, "content/../../evil", AE_IFREG, "x", NULL, false);
}

static void add_symlink(struct tpack *t)
{
	tpack_add(t, "content/link", AE_IFLNK, NULL, "/etc/passwd", false);
}

static void add_device(struct tpack *t)
{
	tpack_add(t, "content/null", AE_IFCHR, NULL, NULL, false);
}

static void add_extra(struct tpack *t)
{
	tpack_add(t, "content/extra.txt", AE_IFREG, "added", NULL, false);
}

static void test_refusals(void **state)
{
	(void)state;
	struct library *lib = library_open(data, factory);
	char *v1 = make_pack("v1.pack", 1, &key_a);
	char *err;
	assert_int_equal(import(lib, v1, false, &err), LIBRARY_DONE);

	/* no trusted key at all */
	char *p = make_pack("v2.pack", 2, &key_a);
	struct library_import_opts none = {0};
	assert_refused_opts(lib, p, &none, "trusts no publisher's key");
	free(p);
	/* unsigned; signed by a key the kiosk does not trust */
	p = make_pack("unsigned.pack", 2, NULL);
	assert_refused(lib, p, "not signed");
	free(p);
	p = make_pack("other.pack", 2, &key_b);
	assert_refused(lib, p, "not trusted");
	free(p);
	/* the manifest edited after signing; a file changed; a file added */
	p = tampered("edited.pack", bump_version);
	assert_refused(lib, p, "does not match");
	free(p);
	p = tampered("changed.pack", change_byte);
	assert_refused(lib, p, "SHA-256 differs");
	free(p);
	p = tampered("extra.pack", add_extra);
	assert_refused(lib, p, "not in the manifest");
	free(p);
	/* absolute and '..' names, a link, a device */
	p = tampered("abs.pack", add_absolute);
	assert_refused(lib, p, "absolute");
	free(p);
	p = tampered("dotdot.pack", add_dotdot);
	assert_refused(lib, p, "'..'");
	free(p);
	p = tampered("link.pack", add_symlink);
	assert_refused(lib, p, "symbolic link");
	free(p);
	p = tampered("dev.pack", add_device);
	assert_refused(lib, p, "device");
	free(p);
	/* a file over the size limit */
	p = make_pack("v2.pack", 2, &key_a);
	struct library_import_opts small = {.keys = &key_a.pub, .n_keys = 1,
					    .max_file_bytes = 10};
	assert_refused_opts(lib, p, &small, "over the limit of 10 bytes");
	free(p);
	/* a pack larger than the free space (a sparse file of 8 TB) */
	p = tpath("huge.pack");
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, INT64_C(1) << 43), 0);
	close(fd);
	assert_refused(lib, p, "larger than the free space");
	free(p);
	/* a small pack whose signed manifest claims files larger than the
	 * free space: refused before any file is read */
	char *files = xstrdup("");
	for (int i = 0; i < 300; i++) {
		char *more = xasprintf("%s%s{\"path\": \"f%03d.mp4\", \"size\": "
				       "4294967296, \"sha256\": \"%064d\"}",
				       files, i ? ", " : "", i, 0);
		free(files);
		files = more;
	}
	char *json = xasprintf("{\"format\": 1, \"version\": 5, \"created\": "
			       "\"2026-01-01T00:00:00Z\", \"publisher\": \"\", "
			       "\"files\": [%s]}", files);
	struct tpack t = {0};
	tpack_add_manifest(&t, json, &key_a);
	p = tpath("claims.pack");
	tpack_write(&t, p);
	tpack_free(&t);
	assert_refused(lib, p, "there is room for");
	free(p);
	free(json);
	free(files);
	/* not a pack; a folder; a symbolic link; a missing file */
	p = tpath("junk.pack");
	free(test_write_file(tmp, "junk.pack", "this is not a tar file at all"));
	assert_refused(lib, p, "not a readable content pack");
	free(p);
	p = tpath("folder.pack");
	assert_int_equal(mkdir(p, 0755), 0);
	assert_refused(lib, p, "not a regular file");
	free(p);
	p = tpath("link-to.pack");
	assert_int_equal(symlink(v1, p), 0);
	assert_refused(lib, p, "symbolic link");
	free(p);
	p = tpath("missing.pack");
	assert_refused(lib, p, "No such file");
	free(p);
	library_destroy(lib);
	free(v1);
}

/* ---- versions and rollback ---------------------------------------------- */

static void test_versions(void **state)
{
	(void)state;
	struct library *lib = library_open(data, factory);
	char *v1 = make_pack("v1.pack", 1, &key_a);
	char *v2 = make_pack("v2.pack", 2, &key_a);
	char *err;
	assert_int_equal(import(lib, v2, false, &err), LIBRARY_DONE);
	/* an older signed pack is not replayed, nor the same one again */
	assert_int_equal(import(lib, v1, false, &err), LIBRARY_OLDER);
	assert_non_null(strstr(err, "version 1 is older than the library the "
			       "kiosk shows (version 2)"));
	free(err);
	assert_int_equal(import(lib, v2, false, &err), LIBRARY_SAME);
	assert_non_null(strstr(err, "the same as"));
	free(err);
	assert_int_equal(library_current(lib)->version, 2);
	assert_false(exists("library/staging"));
	/* unless the operator means it */
	assert_int_equal(import(lib, v1, true, &err), LIBRARY_DONE);
	assert_int_equal(library_current(lib)->version, 1);
	assert_int_equal(library_previous(lib)->version, 2);
	assert_file(library_current(lib)->content_dir, "version.txt", "version 1\n");
	library_destroy(lib);
	free(v1);
	free(v2);
}

static void test_rollback(void **state)
{
	(void)state;
	struct library *lib = library_open(data, factory);
	char *err = NULL;
	assert_false(library_rollback(lib, &err));
	assert_non_null(strstr(err, "no previous library"));
	free(err);
	char *v1 = make_pack("v1.pack", 1, &key_a);
	char *v2 = make_pack("v2.pack", 2, &key_a);
	char *v3 = make_pack("v3.pack", 3, &key_a);
	assert_int_equal(import(lib, v1, false, &err), LIBRARY_DONE);
	assert_int_equal(import(lib, v2, false, &err), LIBRARY_DONE);
	assert_packs("v1 v2 ");

	assert_true(library_rollback(lib, &err));
	assert_int_equal(library_current(lib)->version, 1);
	assert_int_equal(library_previous(lib)->version, 2);
	assert_file(library_current(lib)->content_dir, "version.txt", "version 1\n");
	library_destroy(lib);
	/* it lasts, and a second rollback undoes the first */
	lib = library_open(data, factory);
	assert_int_equal(library_current(lib)->version, 1);
	assert_true(library_rollback(lib, &err));
	assert_int_equal(library_current(lib)->version, 2);
	assert_int_equal(library_previous(lib)->version, 1);
	/* a new import drops the oldest */
	assert_int_equal(import(lib, v3, false, &err), LIBRARY_DONE);
	assert_packs("v2 v3 ");
	assert_int_equal(library_previous(lib)->version, 2);
	library_destroy(lib);

	/* back to the factory library */
	test_rmtree(data);
	lib = library_open(data, factory);
	assert_int_equal(import(lib, v1, false, &err), LIBRARY_DONE);
	assert_true(library_rollback(lib, &err));
	assert_string_equal(library_current(lib)->name, LIBRARY_FACTORY);
	assert_string_equal(library_current(lib)->content_dir, factory);
	library_destroy(lib);
	lib = library_open(data, factory);
	assert_string_equal(library_current(lib)->name, LIBRARY_FACTORY);
	assert_int_equal(library_previous(lib)->version, 1);
	library_destroy(lib);
	free(v1);
	free(v2);
	free(v3);
}

/* ---- faults ------------------------------------------------------------- */

struct fault {
	const char *pack;               /* truncated mid-copy when set */
	enum library_stage cancel_in;   /* else cancelled in this stage */
	bool cancel;
	bool stages[3];
};

static bool fault_progress(void *user, enum library_stage stage, int64_t done,
			   int64_t total)
{
	struct fault *f = user;
	f->stages[stage] = true;
	if (f->pack && stage == LIBRARY_COPYING && done > 0 && done < total)
		assert_int_equal(truncate(f->pack, done), 0);   /* pulled out */
	return !(f->cancel && stage == f->cancel_in && done > 0);
}

/* A pack of a bigger library, so that the copy takes several chunks. */
static char *big_pack(const char *name, int64_t v)
{
	char *big = path_join(src, "big.bin");
	FILE *f = fopen(big, "wb");
	for (int i = 0; i < 3 * 1024 * 1024 / 64; i++)
		fprintf(f, "%063d\n", i);
	fclose(f);
	char *p = make_pack(name, v, &key_a);
	unlink(big);
	free(big);
	return p;
}

static void test_faults(void **state)
{
	(void)state;
	struct library *lib = library_open(data, factory);
	char *v1 = make_pack("v1.pack", 1, &key_a);
	char *err;
	assert_int_equal(import(lib, v1, false, &err), LIBRARY_DONE);

	/* the stick pulled out mid-copy */
	char *p = big_pack("pulled.pack", 2);
	struct fault f = {.pack = p};
	struct library_import_opts opts = {.keys = &key_a.pub, .n_keys = 1,
					   .progress = fault_progress,
					   .progress_user = &f};
	assert_refused_opts(lib, p, &opts, "was the USB stick pulled out?");
	free(p);

	/* cancelled while copying, and while checking */
	p = big_pack("big.pack", 2);
	for (int stage = LIBRARY_COPYING; stage <= LIBRARY_CHECKING; stage++) {
		f = (struct fault){.cancel = true, .cancel_in = stage};
		assert_int_equal(import_opts(lib, p, &opts, &err),
				 LIBRARY_CANCELLED);
		free(err);
		assert_int_equal(library_current(lib)->version, 1);
		assert_false(exists("library/staging"));
		assert_packs("v1 ");
	}

	/* a write that fails (a file size limit stands for a full disk) */
	struct rlimit old;
	getrlimit(RLIMIT_FSIZE, &old);
	struct rlimit lim = {.rlim_cur = 1024 * 1024, .rlim_max = old.rlim_max};
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_refused(lib, p, "cannot copy it onto the kiosk");
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, SIG_DFL);

	/* and then it imports, with every stage reported */
	f = (struct fault){0};
	assert_int_equal(import_opts(lib, p, &opts, &err), LIBRARY_DONE);
	assert_true(f.stages[LIBRARY_COPYING] && f.stages[LIBRARY_CHECKING] &&
		    f.stages[LIBRARY_SWITCHING]);
	assert_int_equal(library_current(lib)->version, 2);
	library_destroy(lib);
	free(p);
	free(v1);
}

/* What an interrupted import leaves is cleared at the next start; a state
 * that cannot be read shows the factory library and removes nothing. */
static void test_leftovers(void **state)
{
	(void)state;
	struct library *lib = library_open(data, factory);
	char *v1 = make_pack("v1.pack", 1, &key_a);
	char *err;
	assert_int_equal(import(lib, v1, false, &err), LIBRARY_DONE);
	library_destroy(lib);
	char *root = path_join(data, "library");
	free(test_write_file(root, "staging/tree/content/half.mp4", "half"));
	free(test_write_file(root, "packs/v7/content/orphan.txt", "orphan"));
	free(test_write_file(root, "state.json.tmp-Ab12Cd", "{\"cur"));
	lib = library_open(data, factory);
	assert_int_equal(library_current(lib)->version, 1);
	assert_false(exists("library/staging"));
	assert_false(exists("library/state.json.tmp-Ab12Cd"));
	assert_packs("v1 ");
	library_destroy(lib);

	char *state_path = path_join(root, "state.json");
	free(test_write_file(root, "state.json", "{\"current\": "));
	lib = library_open(data, factory);
	assert_string_equal(library_current(lib)->name, LIBRARY_FACTORY);
	assert_packs("v1 ");
	library_destroy(lib);
	/* a state naming a pack that is gone: the previous one is shown */
	free(test_write_file(root, "state.json",
			     "{\"current\": \"v9\", \"previous\": \"v1\"}"));
	lib = library_open(data, factory);
	assert_int_equal(library_current(lib)->version, 1);
	library_destroy(lib);
	free(state_path);
	free(root);
	free(v1);
}

/* ---- the command -------------------------------------------------------- */

static void test_cli(void **state)
{
	(void)state;
	struct kiosk_config cfg;
	config_defaults(&cfg);
	snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", data);
	snprintf(cfg.content_dir, sizeof cfg.content_dir, "%s", factory);
	char *v1 = make_pack("v1.pack", 1, &key_a);
	char *v2 = make_pack("v2.pack", 2, &key_a);
	char *out, *err;
	/* no keys in the config: refused */
	assert_int_equal(test_run_cli(cli_import_main, &cfg, tmp, &out, &err,
				      "import", v1, NULL), 1);
	assert_non_null(strstr(err, "trusts no publisher's key"));
	free(out);
	free(err);
	char *pub = xasprintf("%s/a", tmp);
	err = NULL;
	if (!packkey_write_pair(&key_a, pub, &err))
		fail_msg("%s", err);
	snprintf(cfg.pack_keys, sizeof cfg.pack_keys, "%s/missing.public:%s.public",
		 tmp, pub);
	assert_int_equal(test_run_cli(cli_import_main, &cfg, tmp, &out, &err,
				      "import", v2, NULL), 0);
	assert_non_null(strstr(out, "live: version 2"));
	free(out);
	free(err);
	assert_int_equal(test_run_cli(cli_import_main, &cfg, tmp, &out, &err,
				      "import", v1, NULL), 1);
	assert_non_null(strstr(err, "--allow-older"));
	free(out);
	free(err);
	assert_int_equal(test_run_cli(cli_import_main, &cfg, tmp, &out, &err,
				      "import", "--rollback", NULL), 0);
	assert_non_null(strstr(out, "live: the factory library"));
	free(out);
	free(err);
	assert_int_equal(test_run_cli(cli_import_main, &cfg, tmp, &out, &err,
				      "import", "--status", NULL), 0);
	assert_non_null(strstr(out, "previous: version 2"));
	free(out);
	free(err);
	assert_int_equal(test_run_cli(cli_import_main, &cfg, tmp, &out, &err,
				      "import", NULL), 2);
	free(out);
	free(err);
	free(pub);
	free(v1);
	free(v2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_end_to_end, fresh),
		cmocka_unit_test_setup(test_refusals, fresh),
		cmocka_unit_test_setup(test_versions, fresh),
		cmocka_unit_test_setup(test_rollback, fresh),
		cmocka_unit_test_setup(test_faults, fresh),
		cmocka_unit_test_setup(test_leftovers, fresh),
		cmocka_unit_test_setup(test_cli, fresh),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
