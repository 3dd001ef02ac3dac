/*
 * test_import_kill: `kiosk import` (the real program) killed with SIGKILL
 * at random moments, again and again. After each kill the live library
 * is the old one or the new one, whole (every file of its source tree,
 * byte for byte, and nothing more), nothing of the import is left once
 * the library is opened, and the kiosk starts on it: the attract loop,
 * showing that library's items.
 *
 * The libraries are small copies of the demo library plus 12 MB of
 * padding in a folder the catalog ignores (it warns), so that an import
 * takes long enough to be hit at many moments. The kill comes at a
 * random time between 0 and 1.2 times an uninterrupted import, so some
 * land after the import finished; those are counted, not failed.
 *
 * KIOSK_KILL_RUNS: the number of kills (default 60). KIOSK_KILL_SEED: the
 * seed of the random delays (default: from the clock; printed, so that a
 * failure's delays can be replayed). The imports' own output goes to
 * import_kill.log in the build directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/util.h"
#include "content/catalog.h"
#include "pack/library.h"
#include "pack/packfile.h"
#include "pack/packkey.h"
#include "test_kiosk.h"
#include "test_support.h"
#include "ui/app.h"

#define DEFAULT_RUNS 60
#define MIN_RUNS_FOR_OUTCOMES 50
#define PAD_FILES 6
#define PAD_FILE_BYTES (2 * 1024 * 1024)
#define APP_RUN_MS 300

/* The three libraries: index = version (0 factory, 1 A, 2 B). */
struct source {
	const char *edition;     /* what edition.txt says */
	const char *items[4];    /* demo items copied into it */
	size_t n_items;
	uint64_t pad_seed;       /* the padding's bytes; 0: no padding */
	char *dir;               /* the tree (the factory library itself) */
	char *pack;              /* its signed pack; NULL for the factory */
};

static struct source src[3] = {
	{ "factory", { "writing-systems" }, 1, 0, NULL, NULL },
	{ "A", { "leaflet-udhr-text", "udhr-art26", "writing-systems" }, 3,
	  0xA11CE, NULL, NULL },
	{ "B", { "leaflet-udhr-text", "udhr-art1", "udhr-art26",
		 "writing-systems" }, 4, 0xB0B, NULL, NULL },
};

static char *tmp, *data, *conf, *kiosk, *log_path;

/* ---- helpers ------------------------------------------------------------ */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void sleep_until_us(int64_t t)
{
	struct timespec ts = { .tv_sec = t / 1000000,
			       .tv_nsec = (long)(t % 1000000) * 1000 };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static bool exists(const char *dir, const char *rel)
{
	char *p = path_join(dir, rel);
	struct stat st;
	bool e = lstat(p, &st) == 0;
	free(p);
	return e;
}

static int64_t env_int(const char *name, int64_t dflt)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return dflt;
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno || *end || n < 0)
		fail_msg("%s=%s: not a number", name, v);
	return n;
}

/* ---- the libraries ------------------------------------------------------ */

/* s->dir: the demo items, edition.txt, and the padding (PAD_FILES files
 * of pseudo-random bytes in padding/, a folder without item.json). */
static void make_source(struct source *s, const char *demo)
{
	assert_true(mkdir_parents(s->dir));
	for (size_t i = 0; i < s->n_items; i++)
		assert_int_equal(test_system("cp -R '%s/%s' '%s/'", demo,
					     s->items[i], s->dir), 0);
	char *text = xasprintf("%s\n", s->edition);
	free(test_write_file(s->dir, "edition.txt", text));
	free(text);
	if (!s->pad_seed)
		return;
	uint64_t seed = s->pad_seed;
	uint64_t *buf = xmalloc(PAD_FILE_BYTES);
	for (int f = 0; f < PAD_FILES; f++) {
		for (size_t i = 0; i < PAD_FILE_BYTES / sizeof *buf; i++)
			buf[i] = splitmix(&seed);
		char *rel = xasprintf("padding/pad-%d.bin", f);
		char *path = path_join(s->dir, rel);
		free(test_write_file(s->dir, rel, ""));
		FILE *out = fopen(path, "wb");
		assert_non_null(out);
		assert_int_equal(fwrite(buf, 1, PAD_FILE_BYTES, out), PAD_FILE_BYTES);
		assert_int_equal(fclose(out), 0);
		free(path);
		free(rel);
	}
	free(buf);
}

static void make_pack(struct source *s, int64_t version,
		      const struct packkey_secret *sk)
{
	char *name = xasprintf("%s.pack", s->edition);
	s->pack = path_join(tmp, name);
	free(name);
	char *err = NULL;
	size_t hidden = 0;
	if (!pack_create(s->dir, s->pack, version, "import_kill", NULL, &hidden,
			 &err))
		fail_msg("pack_create: %s", err);
	assert_int_equal(hidden, 0);   /* else the trees could not be compared */
	if (!pack_sign(s->pack, sk, NULL, NULL, &err))
		fail_msg("pack_sign: %s", err);
}

/* The source whose version v is (-1: none of them). */
static int source_of(int64_t v)
{
	return v >= 0 && v < 3 ? (int)v : -1;
}

/* ---- the import --------------------------------------------------------- */

/* Start `kiosk --config conf import --allow-older pack`, its output
 * appended to log_path. */
static pid_t start_import(const char *pack)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		execl(kiosk, kiosk, "--config", conf, "import", "--allow-older",
		      pack, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* An import left alone; returns how long it took (µs). */
static int64_t timed_import(const char *pack)
{
	int64_t t0 = now_us();
	pid_t pid = start_import(pack);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	int64_t t = now_us() - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("kiosk import %s failed (status 0x%x); see %s", pack,
			 status, log_path);
	return t;
}

/* ---- the checks --------------------------------------------------------- */

/* Open the library as the kiosk does at start and check it: the live one
 * is old or neu (source indexes), complete, with nothing left of an
 * import. old_prev: the previous library before the import (-1: none).
 * Returns the live library's index; *prev_out: the previous one's. */
static int check_library(int old, int neu, int old_prev, int *prev_out)
{
	struct library *lib = library_open(data, src[0].dir);
	const struct library_pack *cur = library_current(lib);
	const struct library_pack *prev = library_previous(lib);
	int got = source_of(cur->version);
	if (got != old && got != neu)
		fail_msg("live library: version %" PRId64 " (%s); expected %d or %d",
			 cur->version, cur->name, old, neu);
	assert_int_equal(got == 0, !strcmp(cur->name, LIBRARY_FACTORY));

	/* its edition, then every file, byte for byte, and nothing more */
	char *ed = path_join(cur->content_dir, "edition.txt");
	size_t len = 0;
	char *text = file_read_all(ed, &len);
	if (!text)
		fail_msg("%s: %s", ed, strerror(errno));
	char *want = xasprintf("%s\n", src[got].edition);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(text, want, len);
	free(want);
	free(text);
	free(ed);
	if (test_system("diff -rq '%s' '%s'", src[got].dir, cur->content_dir) != 0)
		fail_msg("the live library %s differs from its source %s",
			 cur->content_dir, src[got].dir);

	/* nothing left of the import */
	char *root = path_join(data, LIBRARY_FOLDER);
	assert_false(exists(root, "staging"));
	/* no half-written state (file_replace's state.json.tmp-XXXXXX) */
	assert_int_not_equal(test_system("ls '%s'/state.json.tmp* >/dev/null 2>&1",
					 root), 0);
	char *packs = path_join(root, "packs");
	DIR *d = opendir(packs);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (strcmp(de->d_name, cur->name) &&
		    !(prev && !strcmp(de->d_name, prev->name)))
			fail_msg("%s/%s: a pack neither live nor previous", packs,
				 de->d_name);
	}
	closedir(d);
	free(packs);
	free(root);

	/* the previous library: the old one after a switch, else unchanged */
	int got_prev = prev ? source_of(prev->version) : -1;
	if (prev)
		assert_true(got_prev >= 0);
	if (got == neu && neu != old)
		assert_int_equal(got_prev, old);
	else
		assert_int_equal(got_prev, old_prev);
	*prev_out = got_prev;
	library_destroy(lib);
	return got;
}

/* Start the real app on our data folder and factory library (its own
 * temporary data folder from kut_start is unused and removed by
 * kut_stop). It must come up in the attract loop with the live library's
 * items. Returns the live library's index as the app sees it; *ms: how
 * long create, APP_RUN_MS of the loop and destroy took. */
static int start_kiosk(int64_t *ms)
{
	int64_t t0 = time_mono_ms();
	struct kut k;
	kut_start(&k, NULL, 640, 360);
	snprintf(k.cfg.data_dir, sizeof k.cfg.data_dir, "%s", data);
	snprintf(k.cfg.content_dir, sizeof k.cfg.content_dir, "%s", src[0].dir);
	struct app *app = kut_app(&k);
	run_for(app, APP_RUN_MS);
	int got = source_of(library_current(app_library(app))->version);
	assert_true(got >= 0);
	const struct catalog *cat = app_catalog(app);
	assert_non_null(cat);
	assert_int_equal(cat->n_items, src[got].n_items);
	assert_string_equal(top_name(app), "attract");
	kut_stop(&k);
	*ms = time_mono_ms() - t0;
	return got;
}

/* ---- the test ----------------------------------------------------------- */

static void test_import_kill(void **state)
{
	(void)state;
	int64_t t_start = time_mono_ms();
	int64_t runs = env_int("KIOSK_KILL_RUNS", DEFAULT_RUNS);
	if (runs < 1)
		runs = 1;
	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	uint64_t seed = (uint64_t)env_int("KIOSK_KILL_SEED",
					  (int64_t)rt.tv_sec * 1000 + rt.tv_nsec / 1000000);
	printf("import_kill: seed %" PRIu64 " (KIOSK_KILL_SEED=%" PRIu64
	       " replays the delays), %" PRId64 " runs\n", seed, seed, runs);

	ensure_media();
	tmp = test_tmpdir();
	data = path_join(tmp, "data");
	conf = path_join(tmp, "kiosk.conf");
	kiosk = test_program("kiosk/kiosk");
	log_path = test_build_path("import_kill.log");
	assert_true(file_exists(kiosk));
	FILE *lf = fopen(log_path, "w");
	assert_non_null(lf);
	fclose(lf);

	struct packkey_secret sk;
	char *err = NULL;
	if (!packkey_generate(&sk, &err))
		fail_msg("%s", err);
	char *key_base = path_join(tmp, "publisher");
	if (!packkey_write_pair(&sk, key_base, &err))
		fail_msg("%s", err);

	char *demo = test_source_path("content");
	const char *dirs[3] = { "factory", "src-a", "src-b" };
	for (int i = 0; i < 3; i++) {
		src[i].dir = path_join(tmp, dirs[i]);
		make_source(&src[i], demo);
		if (i > 0)
			make_pack(&src[i], i, &sk);
	}
	free(demo);
	packkey_secret_wipe(&sk);

	char *text = xasprintf("data_dir = %s\ncontent_dir = %s\n"
			       "pack_keys = %s.public\n", data, src[0].dir, key_base);
	free(test_write_file(tmp, "kiosk.conf", text));
	free(text);
	free(key_base);

	/* how long an import takes when nobody kills it */
	int64_t t_a = timed_import(src[1].pack);
	int64_t t_b = timed_import(src[2].pack);
	int64_t t_import = t_a > t_b ? t_a : t_b;
	int64_t window = t_import * 6 / 5;
	printf("import_kill: uninterrupted import: A %" PRId64 " ms, B %" PRId64
	       " ms; kills at 0..%" PRId64 " ms\n", t_a / 1000, t_b / 1000,
	       window / 1000);
	/* start again from the factory library, with no state at all */
	test_rmtree(data);

	int live = 0, live_prev = -1;
	int64_t n_old = 0, n_new_killed = 0, n_finished = 0, n_half = 0;
	int64_t app_ms_max = 0, app_ms_sum = 0;
	uint64_t rng = seed;
	for (int64_t run = 0; run < runs; run++) {
		int neu = live == 0 ? 1 + (int)(run % 2) : 3 - live;
		/* a share of the window, so that a seed replays nearly the
		 * same moments when the measured time differs a little */
		double share = (double)(splitmix(&rng) >> 11) /
			       (double)(UINT64_C(1) << 53);
		int64_t delay = (int64_t)(share * (double)window);
		int64_t t0 = now_us();
		pid_t pid = start_import(src[neu].pack);
		sleep_until_us(t0 + delay);
		kill(pid, SIGKILL);
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		bool finished = WIFEXITED(status);
		if (finished && WEXITSTATUS(status) != 0)
			fail_msg("run %" PRId64 ": kiosk import %s failed (exit %d); "
				 "see %s", run, src[neu].pack, WEXITSTATUS(status),
				 log_path);
		if (!finished)
			assert_true(WIFSIGNALED(status) &&
				    WTERMSIG(status) == SIGKILL);
		char *root = path_join(data, LIBRARY_FOLDER);
		bool half = exists(root, "staging");
		free(root);

		/* half the runs the library is checked first, half the app
		 * opens what the kill left */
		int got, prev, app_got;
		int64_t app_ms;
		if (run % 2 == 0) {
			got = check_library(live, neu, live_prev, &prev);
			app_got = start_kiosk(&app_ms);
		} else {
			app_got = start_kiosk(&app_ms);
			got = check_library(live, neu, live_prev, &prev);
		}
		assert_int_equal(app_got, got);
		if (finished)
			assert_int_equal(got, neu);
		printf("run %" PRId64 ": %s over %s, kill at %" PRId64 " ms: %s%s; "
		       "kiosk %" PRId64 " ms\n", run + 1, src[neu].edition,
		       src[live].edition, delay / 1000,
		       finished ? "had finished, new" : got == neu ? "new" : "old",
		       half ? " (import half done)" : "", app_ms);
		n_finished += finished;
		n_new_killed += !finished && got == neu;
		n_old += got == live;
		n_half += half;
		app_ms_sum += app_ms;
		if (app_ms > app_ms_max)
			app_ms_max = app_ms;
		live = got;
		live_prev = prev;
	}

	int64_t total_ms = time_mono_ms() - t_start;
	printf("import_kill: runs %" PRId64 "\n", runs);
	printf("import_kill: killed, old library live: %" PRId64 "\n", n_old);
	printf("import_kill: killed, new library live: %" PRId64 "\n", n_new_killed);
	printf("import_kill: import finished before the kill (new live): %" PRId64
	       "\n", n_finished);
	printf("import_kill: killed with the import half done (staging left): %"
	       PRId64 "\n", n_half);
	printf("import_kill: kiosk started %" PRId64 " times, %" PRId64
	       " ms on average, %" PRId64 " ms at most\n", runs,
	       app_ms_sum / runs, app_ms_max);
	printf("import_kill: seed %" PRIu64 "\n", seed);
	printf("import_kill: total %.1f s\n", (double)total_ms / 1000.0);
	if (runs >= MIN_RUNS_FOR_OUTCOMES) {
		/* else the delays do not hit the import at all */
		assert_true(n_old >= 1);
		assert_true(n_new_killed + n_finished >= 1);
		assert_true(n_half >= 1);
	}
}

static int teardown(void **state)
{
	(void)state;
	test_rmtree(tmp);
	free(tmp);
	free(data);
	free(conf);
	free(kiosk);
	free(log_path);
	for (int i = 0; i < 3; i++) {
		free(src[i].dir);
		free(src[i].pack);
	}
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_import_kill, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
