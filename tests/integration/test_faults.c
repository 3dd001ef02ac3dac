/*
 * test_faults: the real kiosk, headless, meeting the resource faults of an
 * unattended machine, each of which must be said clearly (in the log,
 * naming the file or device, and on screen) while the kiosk goes on doing
 * what it can:
 *   1. the disk fills up while it logs views: the commits fail, the
 *      events stay queued, the screen goes on; once space is freed every
 *      event is committed;
 *   2. the disk fills up around an import of a content pack (on the
 *      operator's content page, in the middle of library_import, and with
 *      the real `kiosk import`): refused with a message about space that
 *      names the pack, the live library unchanged, staging removed, the
 *      log still written;
 *   3. a read-only data folder: the kiosk starts and shows its content,
 *      says it cannot log (naming the folder), and settings say they
 *      could not be saved;
 *   4. fonts missing, or removed while it runs: text is drawn with the
 *      fonts kept in memory or another font, or, with none at all, the
 *      pictures still show and the log names the files;
 *   5. no audio device (an SDL audio driver that does not exist, or a
 *      device that cannot be opened): videos play silently, a radio piece
 *      shows a message, the log says it once;
 *   6. a screen unplugged and plugged back, as SDL 2.26 reports it
 *      (display events, a new size, render target and device resets):
 *      logged, drawn again for the new size.
 *
 * Small disks are tmpfs mounts in a private mount namespace: as root
 * (unshare(CLONE_NEWNS), as in CI's chroot), else in a user namespace
 * mapping the user to root. When neither can be had the faults that need
 * a mount are skipped, saying why. Screens are read back (software
 * renderer), not taken on trust. Each fault prints a figure line
 * ("faults: ..."). The kiosk's messages (stderr) are kept per fault in
 * faults-<name>.log in the build directory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/log.h"
#include "base/pinlock.h"
#include "base/util.h"
#include "content/catalog.h"
#include "media/image.h"
#include "media/movie.h"
#include "pack/library.h"
#include "pack/packfile.h"
#include "pack/packkey.h"
#include "store/store.h"
#include "test_kiosk.h"
#include "test_support.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/text.h"

#define W 800
#define H 480
#define MB (1024 * 1024)

/* The notices of app.c, as msgids. */
#define NOTICE_DISK_FULL \
	"The kiosk's disk is full: visits are kept in memory until there is room."
#define NOTICE_LOG_FAILS \
	"The kiosk's log cannot be written: visits are not being recorded."
#define NOTICE_READ_ONLY \
	"The kiosk's data folder is read-only: visits are not being recorded."
#define NOTICE_NO_SOUND \
	"No sound: this kiosk has no working audio device."

/* An empty tmpfs is over /usr/share/fonts (test_fonts). */
static bool fonts_hidden;

/* How small disks are had; NULL: they cannot be. */
static const char *mount_how;
static char mount_why[256];

/* ---- mounts ---------------------------------------------------------------- */

static bool write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text);
}

/* Enter a private mount namespace, before any thread starts (unshare of
 * the mount namespace needs a process of one thread). */
static void private_mounts(void)
{
	if (getenv("KIOSK_FAULTS_NO_MOUNT")) {
		snprintf(mount_why, sizeof mount_why, "KIOSK_FAULTS_NO_MOUNT is set");
		return;
	}
	if (unshare(CLONE_NEWNS) == 0) {
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0) {
			mount_how = "root, private mount namespace";
			return;
		}
		snprintf(mount_why, sizeof mount_why, "mount --make-rprivate /: %s",
			 strerror(errno));
		return;
	}
	int e = errno;
	uid_t uid = getuid();
	gid_t gid = getgid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
		snprintf(mount_why, sizeof mount_why, "unshare(CLONE_NEWNS): %s; "
			 "unshare(CLONE_NEWUSER | CLONE_NEWNS): %s", strerror(e),
			 strerror(errno));
		return;
	}
	char map[64];
	snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
	bool ok = write_text("/proc/self/uid_map", map);
	ok = ok && write_text("/proc/self/setgroups", "deny");
	snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
	ok = ok && write_text("/proc/self/gid_map", map);
	if (ok && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0) {
		mount_how = "user namespace mapping the user to root";
		return;
	}
	snprintf(mount_why, sizeof mount_why, "user namespace: %s", strerror(errno));
}

static void need_mounts(void)
{
	if (!mount_how) {
		printf("faults: skipped: no private mount namespace (%s); run as "
		       "root or allow user namespaces\n", mount_why);
		skip();
	}
}

static void mount_tmpfs(const char *dir, long long bytes)
{
	char opts[64];
	snprintf(opts, sizeof opts, "size=%lldk,mode=0755", bytes / 1024);
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, opts) != 0)
		fail_msg("mount -t tmpfs -o %s %s: %s", opts, dir, strerror(errno));
}

static void remount_ro(const char *dir)
{
	if (mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
		  NULL) != 0)
		fail_msg("mount -o remount,ro %s: %s", dir, strerror(errno));
}

static void unmount(const char *dir)
{
	if (umount2(dir, MNT_DETACH) != 0)
		fail_msg("umount %s: %s", dir, strerror(errno));
}

static long long free_bytes(const char *dir)
{
	struct statvfs v;
	assert_int_equal(statvfs(dir, &v), 0);
	return (long long)v.f_bavail * (long long)v.f_frsize;
}

/* Fill the file system of dir, leaving about leave bytes free, with the
 * file dir/filler (returned; caller frees). leave 0: to the last byte. */
static char *fill_disk(const char *dir, long long leave)
{
	char *p = path_join(dir, "filler");
	int fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	static char buf[256 * 1024];
	long long want = free_bytes(dir) - leave;
	while (want > 0) {
		size_t n = want < (long long)sizeof buf ? (size_t)want : sizeof buf;
		ssize_t k = write(fd, buf, n);
		if (k <= 0)
			break;
		want -= k;
	}
	if (leave == 0)         /* the last partial page too */
		while (write(fd, buf, 512) > 0)
			;
	close(fd);
	return p;
}

static void free_disk(char *filler)
{
	assert_int_equal(unlink(filler), 0);
	free(filler);
}

/* ---- the kiosk's messages ---------------------------------------------------- */

static int saved_stderr = -1;
static char *cap_path;

static void cap_end(void);

/* From now, stderr (where the kiosk logs) goes to faults-<name>.log. */
static void cap_begin(const char *name)
{
	if (saved_stderr >= 0)
		cap_end();
	char *file = xasprintf("faults-%s.log", name);
	cap_path = test_build_path(file);
	free(file);
	fflush(stderr);
	int fd = open(cap_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	saved_stderr = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/* What was logged since cap_begin (caller frees); capturing goes on. */
static char *cap_text(void)
{
	fflush(stderr);
	char *t = file_read_all(cap_path, NULL);
	assert_non_null(t);
	return t;
}

static void cap_end(void)
{
	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	free(cap_path);
	cap_path = NULL;
}

/* Lines of text holding every one of the strings after it (up to a NULL). */
static int lines_with(const char *text, ...)
{
	int n = 0;
	for (const char *l = text; l && *l;) {
		const char *end = strchr(l, '\n');
		size_t len = end ? (size_t)(end - l) : strlen(l);
		char *line = xasprintf("%.*s", (int)len, l);
		va_list ap;
		va_start(ap, text);
		bool all = true;
		for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *))
			all = all && strstr(line, s);
		va_end(ap);
		n += all;
		free(line);
		l = end ? end + 1 : NULL;
	}
	return n;
}

static void expect_line(const char *text, const char *a, const char *b,
			const char *c)
{
	if (!lines_with(text, a, b, c, (char *)NULL))
		fail_msg("no line of the log holds \"%s\", \"%s\" and \"%s\" (see %s)",
			 a, b ? b : "", c ? c : "", cap_path);
}

/* ---- the screen ------------------------------------------------------------- */

struct look {
	int w, h;
	long text;        /* white pixels (the kiosk's text colour) */
	long ink;         /* pixels not the background colour */
	long notice;      /* pixels of the focus colour in the notice strip */
};

static bool near(const uint8_t *p, SDL_Color c, int tol)
{
	return abs(p[0] - c.r) <= tol && abs(p[1] - c.g) <= tol &&
	       abs(p[2] - c.b) <= tol;
}

/* Read a fresh frame back and count what is on it; saved as name in the
 * build directory when name is given. */
static struct look look_at(struct app *app, const char *name)
{
	struct image *img = app_capture(app);
	assert_non_null(img);
	struct look l = { img->w, img->h, 0, 0, 0 };
	SDL_Rect bar;
	const char *ids[4];
	app_notices(app, ids, 4, &bar);
	for (int y = 0; y < img->h; y++)
		for (int x = 0; x < img->w; x++) {
			const uint8_t *p = img->pixels + (size_t)y * img->pitch +
					   (size_t)x * 4;
			bool in_bar = bar.h > 0 && y >= bar.y && y < bar.y + bar.h;
			l.text += !in_bar && p[0] > 235 && p[1] > 235 && p[2] > 235;
			l.ink += !near(p, COLOR_BG, 6);
			l.notice += in_bar && near(p, COLOR_FOCUS, 40);
		}
	if (name) {
		char *path = test_build_path(name);
		assert_true(image_save_png(img, path));
		free(path);
	}
	image_destroy(img);
	return l;
}

/* Is the notice msgid shown? */
static bool shows_notice(struct app *app, const char *msgid)
{
	const char *ids[4];
	size_t n = app_notices(app, ids, 4, NULL);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ids[i], msgid))
			return true;
	return false;
}

static void to_home(struct app *app)
{
	run_for(app, 50);
	key(app, SDLK_RETURN);          /* picker */
	key(app, SDLK_RETURN);          /* Vietnamese: home */
	assert_string_equal(top_name(app), "home");
}

/* Open item id in the viewer (a visitor's view), show it ms, go back. */
static void view(struct app *app, const char *id, int ms)
{
	const struct item *it = catalog_find(app_catalog(app), id);
	assert_non_null(it);
	app_push(app, scene_viewer_create(app, it));
	assert_string_equal(top_name(app), "viewer");
	run_for(app, ms);
	key(app, SDLK_ESCAPE);
}

static void stop(struct kut *k, bool mounted)
{
	app_destroy(k->app);
	k->app = NULL;
	if (mounted)
		unmount(k->data);
	test_rmtree(k->data);
	free(k->data);
}

static int64_t count(sqlite3 *db, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* ---- 1. a full disk while logging ------------------------------------------ */

/* What the store reported committed, per event (logging thread). */
struct commits {
	pthread_mutex_t lock;
	int64_t from_ms, to_ms;     /* the fault: logged in [from, to) */
	long in_fault;              /* events logged in it, committed */
	long total;
	long batches_in_fault;      /* commits while the disk was full */
	bool full;
};

static void on_commit(void *user, const struct store_commit_event *ev, size_t n)
{
	struct commits *c = user;
	pthread_mutex_lock(&c->lock);
	c->total += (long)n;
	if (c->full)
		c->batches_in_fault++;
	for (size_t i = 0; i < n; i++)
		c->in_fault += ev[i].wall_ms >= c->from_ms && ev[i].wall_ms < c->to_ms;
	pthread_mutex_unlock(&c->lock);
}

static void test_disk_full_logging(void **state)
{
	(void)state;
	enum { VIEWS = 12 };
	/* without a tmpfs: a file size limit, which fails the log's writes
	 * with EFBIG rather than ENOSPC (no "disk full" to say then) */
	bool tmpfs = mount_how != NULL;
	struct kut k;
	kut_start(&k, NULL, W, H);
	if (tmpfs)
		mount_tmpfs(k.data, 16LL * MB);
	cap_begin("disk-full");
	char *klog = path_join(k.data, "kiosk.log");
	assert_true(log_open_file(klog));
	struct app *app = kut_app(&k);
	to_home(app);
	struct look fine = look_at(app, NULL);
	assert_int_equal(fine.notice, 0);
	struct store *st = app_store(app);
	assert_non_null(st);
	assert_true(store_flush(st));

	struct commits c = { .lock = PTHREAD_MUTEX_INITIALIZER };
	c.from_ms = time_wall_ms();
	c.to_ms = INT64_MAX;
	store_set_commit_hook(st, on_commit, &c);
	int64_t before = store_committed_count(st);

	/* the disk fills up; visitors go on looking */
	char *log_file = path_join(k.data, STORE_LOG_FILENAME);
	char *filler = NULL;
	struct rlimit was;
	if (tmpfs) {
		filler = fill_disk(k.data, 0);
		assert_true(free_bytes(k.data) == 0);
	} else {
		char *wal = xasprintf("%s-wal", log_file);
		struct stat sb;
		assert_int_equal(stat(wal, &sb), 0);
		free(wal);
		signal(SIGXFSZ, SIG_IGN);
		assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
		struct rlimit lim = { (rlim_t)sb.st_size, was.rlim_max };
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	}
	pthread_mutex_lock(&c.lock);
	c.full = true;
	pthread_mutex_unlock(&c.lock);
	static const char *const items[] = { "cerd", "udhr-art26", "leaflet-children" };
	for (int i = 0; i < VIEWS; i++)
		view(app, items[i % 3], 60);
	run_for(app, 2300);             /* two retries at least */
	assert_string_equal(top_name(app), "home");
	assert_int_equal(store_committed_count(st), before);
	assert_false(store_flush(st));

	/* said: the log, naming the file, "disk full" and "no space" */
	char *text = cap_text();
	if (tmpfs) {
		expect_line(text, log_file, "disk full", "no space");
		expect_line(text, "kiosk.log", "cannot write the log file", "disk full");
	} else {
		expect_line(text, log_file, "the view log cannot be saved", NULL);
	}
	free(text);
	/* and on screen, over what the kiosk goes on showing (no picture
	 * saved under a file size limit) */
	const char *notice = tmpfs ? NOTICE_DISK_FULL : NOTICE_LOG_FAILS;
	assert_true(shows_notice(app, notice));
	struct look full = look_at(app, tmpfs ? "faults-disk-full-home.png" : NULL);
	assert_true(full.notice > 200);
	assert_true(full.text > fine.text / 2);
	app_push(app, scene_viewer_create(app, catalog_find(app_catalog(app), "cerd")));
	run_for(app, 100);
	struct look poster = look_at(app, tmpfs ? "faults-disk-full-poster.png" : NULL);
	assert_true(poster.ink > W * H / 4);
	assert_true(poster.notice > 200);
	key(app, SDLK_ESCAPE);

	/* space again: every event queued is committed */
	pthread_mutex_lock(&c.lock);
	c.full = false;
	c.to_ms = time_wall_ms();
	pthread_mutex_unlock(&c.lock);
	if (tmpfs)
		free_disk(filler);
	else
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
	run_for(app, 1300);
	assert_true(store_flush(st));
	run_for(app, 1100);             /* the app looks again each second */
	assert_false(shows_notice(app, notice));
	assert_int_equal(look_at(app, NULL).notice, 0);
	text = cap_text();
	expect_line(text, log_file, "saved again", NULL);
	free(text);
	int64_t after = store_committed_count(st) - before;
	store_set_commit_hook(st, NULL, NULL);
	pthread_mutex_lock(&c.lock);
	long in_fault = c.in_fault, batches = c.batches_in_fault;
	pthread_mutex_unlock(&c.lock);
	assert_int_equal(batches, 0);

	/* in the database: each view logged while the disk was full, begun
	 * and ended */
	log_close_file();
	sqlite3 *db = kut_stop_open_log(&k);
	int64_t views = count(db, "SELECT count(*) FROM views WHERE started_wall_ms "
			      ">= ?1 AND started_wall_ms < ?2 AND updated_wall_ms "
			      "IS NOT NULL", c.from_ms, c.to_ms);
	int64_t problems = count(db, "SELECT count(*) FROM problems WHERE wall_ms "
				 ">= ?1 AND wall_ms < ?2", c.from_ms, c.to_ms);
	int64_t events = count(db, "SELECT (SELECT count(*) FROM views WHERE "
			       "started_wall_ms >= ?1 AND started_wall_ms < ?2) + "
			       "(SELECT count(*) FROM views WHERE updated_wall_ms >= ?1 "
			       "AND updated_wall_ms < ?2) + (SELECT count(*) FROM "
			       "problems WHERE wall_ms >= ?1 AND wall_ms < ?2)",
			       c.from_ms, c.to_ms);
	sqlite3_close(db);
	if (tmpfs) {
		/* the text log took lines again, saying how many it missed */
		char *klog_text = file_read_all(klog, NULL);
		assert_non_null(klog_text);
		assert_non_null(strstr(klog_text, "messages could not be written here"));
		free(klog_text);
		unmount(k.data);
	}
	test_rmtree(k.data);
	free(k.data);
	cap_end();
	/* the visitors' views, and the poster opened to look at the screen */
	assert_int_equal(views, VIEWS + 1);
	assert_true(in_fault >= 2 * (VIEWS + 1));
	assert_true(after >= in_fault);
	/* every event of the fault is a row of the log: nothing lost */
	assert_int_equal(events, in_fault);
	printf("faults: disk full while logging%s: %ld events queued during the "
	       "fault (%d views begun and ended, %" PRId64 " problems logged), "
	       "%ld committed after (%" PRId64 " in all once space was freed), "
	       "%" PRId64 " lost\n",
	       tmpfs ? "" : " (RLIMIT_FSIZE: EFBIG, not a full disk)", in_fault,
	       VIEWS + 1, problems, in_fault, after, (int64_t)in_fault - events);
	free(log_file);
	free(klog);
}

/* ---- 2. a full disk while importing -------------------------------------- */

struct import_env {
	char *tmp, *stick, *pub, *pack, *conf;
	struct packkey_secret key;
	int64_t pack_bytes;
	const char *data;           /* the kiosk's data folder */
	char *filler;               /* filled by the progress callback */
};

/* A pack of two demo items and 6 MB of padding, version 5. */
static void make_pack(struct import_env *e)
{
	char *src = path_join(e->tmp, "src");
	char *demo = test_source_path("content");
	assert_int_equal(test_system("mkdir -p '%s/padding' && cp -r '%s/cerd' "
				     "'%s/udhr-art26' '%s/' && head -c %d /dev/urandom "
				     "> '%s/padding/pad.bin'", src, demo, demo, src,
				     6 * MB, src), 0);
	e->pack = path_join(e->stick, "library-5.pack");
	char *err = NULL;
	if (!pack_create(src, e->pack, 5, "faults", NULL, NULL, &err))
		fail_msg("%s", err);
	if (!pack_sign(e->pack, &e->key, NULL, NULL, &err))
		fail_msg("%s", err);
	struct stat sb;
	assert_int_equal(stat(e->pack, &sb), 0);
	e->pack_bytes = sb.st_size;
	free(demo);
	free(src);
}

/* The live library as it was, and nothing left of an import. */
static void library_intact(const char *data, const char *name, int64_t version)
{
	struct library *lib = library_open(data, "/nonexistent-factory");
	assert_string_equal(library_current(lib)->name, name);
	assert_int_equal(library_current(lib)->version, version);
	library_destroy(lib);
	char *staging = xasprintf("%s/%s/staging", data, LIBRARY_FOLDER);
	struct stat sb;
	assert_int_not_equal(lstat(staging, &sb), 0);
	free(staging);
	char *packs = xasprintf("%s/%s/packs", data, LIBRARY_FOLDER);
	assert_int_equal(test_system("test -z \"$(ls -A '%s' 2>/dev/null)\"", packs), 0);
	free(packs);
}

/* Fills the disk as soon as the pack's files begin to be written. */
static bool fill_on_check(void *user, enum library_stage stage, int64_t done,
			  int64_t total)
{
	(void)done;
	(void)total;
	struct import_env *e = user;
	if (stage == LIBRARY_CHECKING && !e->filler)
		e->filler = fill_disk(e->data, 0);
	return true;
}

static void test_disk_full_import(void **state)
{
	(void)state;
	need_mounts();
	struct import_env e = { 0 };
	e.tmp = test_tmpdir();
	e.stick = path_join(e.tmp, "media/KIOSK-PACKS");
	assert_true(mkdir_parents(e.stick));
	char *media = path_join(e.tmp, "media");
	setenv("KIOSK_MEDIA_ROOT", media, 1);
	char *err = NULL;
	assert_true(packkey_generate(&e.key, &err));
	char *base = path_join(e.tmp, "province");
	assert_true(packkey_write_pair(&e.key, base, &err));
	e.pub = xasprintf("%s.public", base);
	make_pack(&e);

	struct kut k;
	kut_start(&k, NULL, W, H);
	snprintf(k.cfg.pack_keys, sizeof k.cfg.pack_keys, "%s", e.pub);
	e.data = k.data;
	/* room for the pack's copy and files and the log's reserve, and a
	 * little more */
	mount_tmpfs(k.data, LIBRARY_RESERVE_BYTES + 2 * e.pack_bytes + 8LL * MB);
	cap_begin("import-full");
	struct app *app = kut_app(&k);
	to_home(app);

	/* a: not room enough, on the operator's content page */
	char *filler = fill_disk(k.data, LIBRARY_RESERVE_BYTES + 2 * MB);
	key(app, SDLK_ESCAPE);
	key(app, SDLK_ESCAPE);
	open_operator_menu(app);
	tap_operator(app, "content");
	assert_string_equal(top_name(app), "import");
	tap_button(app, "pack-0");
	for (int i = 0; i < 200 && !strstr(scene_page_message(app_top(app)), "."); i++)
		run_for(app, 20);
	const char *msg = scene_page_message(app_top(app));
	assert_non_null(strstr(msg, app_tr(app, "The pack was refused. The library is unchanged.")));
	assert_non_null(strstr(msg, "library-5.pack"));
	assert_non_null(strstr(msg, "free space"));
	char *msg_a = xstrdup(strstr(msg, "library-5.pack"));
	save_screen(app, "faults-import-full-page.png");
	library_intact(k.data, LIBRARY_FACTORY, 0);
	key(app, SDLK_ESCAPE);
	key(app, SDLK_ESCAPE);
	run_for(app, 50);
	free_disk(filler);

	/* b: the disk fills while the pack's files are written */
	struct library_import_opts opts = { .n_keys = 1, .progress = fill_on_check,
					    .progress_user = &e };
	opts.keys = &e.key.pub;
	char *why = NULL;
	assert_int_equal(library_import(app_library(app), e.pack, &opts, &why),
			 LIBRARY_REFUSED);
	assert_non_null(e.filler);
	assert_non_null(why);
	assert_non_null(strstr(why, e.pack));
	assert_non_null(strstr(why, "disk is full"));
	assert_string_equal(library_current(app_library(app))->name, LIBRARY_FACTORY);
	library_intact(k.data, LIBRARY_FACTORY, 0);
	/* the log goes on: staging's room is free again */
	long long room = free_bytes(k.data);
	assert_true(room > MB);
	struct store *st = app_store(app);
	int64_t c0 = store_committed_count(st);
	to_home(app);
	view(app, "cerd", 50);
	view(app, "udhr-art26", 50);
	assert_true(store_flush(st));
	int64_t logged_b = store_committed_count(st) - c0;
	assert_true(logged_b >= 4);
	free_disk(e.filler);
	e.filler = NULL;
	app_destroy(app);
	k.app = NULL;

	/* c: the real `kiosk import`, the disk too full for the pack */
	filler = fill_disk(k.data, LIBRARY_RESERVE_BYTES + 2 * MB);
	char *demo = test_source_path("content");
	char *conf_text = xasprintf("data_dir = %s\ncontent_dir = %s\npack_keys = %s\n",
				    k.data, demo, e.pub);
	e.conf = test_write_file(e.tmp, "kiosk.conf", conf_text);
	free(conf_text);
	char *kiosk = test_program("kiosk/kiosk");
	char *out = path_join(e.tmp, "import.out");
	int rc = test_system("'%s' --config '%s' import '%s' >'%s' 2>&1", kiosk,
			     e.conf, e.pack, out);
	char *said = file_read_all(out, NULL);
	assert_non_null(said);
	if (rc == 0 || !strstr(said, "library-5.pack") || !strstr(said, "free space"))
		fail_msg("kiosk import (status %d) said: %s", rc, said);
	library_intact(k.data, LIBRARY_FACTORY, 0);
	free_disk(filler);

	/* and the kiosk starts on it and logs */
	app = kut_app(&k);
	to_home(app);
	view(app, "cerd", 50);
	assert_true(store_flush(app_store(app)));
	char *text = cap_text();
	expect_line(text, "import refused", "library-5.pack", "disk is full");
	free(text);
	stop(&k, true);
	cap_end();
	printf("faults: disk full while importing: 3 of 3 imports refused, each "
	       "naming the pack and space (content page: \"%.60s...\"; mid-import: "
	       "\"...%s\"; kiosk import: status %d), library unchanged, staging "
	       "removed, %" PRId64 " events logged after\n", msg_a,
	       strstr(why, "disk is full"), rc, logged_b);
	free(msg_a);
	free(why);
	free(said);
	free(out);
	free(kiosk);
	free(demo);
	free(e.conf);
	free(e.pack);
	free(e.pub);
	free(base);
	free(media);
	free(e.stick);
	packkey_secret_wipe(&e.key);
	test_rmtree(e.tmp);
	free(e.tmp);
	unsetenv("KIOSK_MEDIA_ROOT");
}

/* ---- 3. a read-only data folder --------------------------------------------- */

static void test_read_only(void **state)
{
	(void)state;
	need_mounts();
	struct kut k;
	kut_start(&k, NULL, W, H);
	mount_tmpfs(k.data, 16LL * MB);
	cap_begin("read-only");
	/* a kiosk that ran (its log, its PIN), then the folder went
	 * read-only (an ext4 error remounts it so) */
	struct app *app = kut_app(&k);
	run_for(app, 100);
	app_destroy(app);
	struct pinlock *pin = pinlock_open(k.data, 0);
	char *err = NULL;
	assert_true(pinlock_set(pin, KUT_PIN, &err));
	pinlock_destroy(pin);
	remount_ro(k.data);
	char *ran = cap_text();
	size_t ran_len = strlen(ran);
	free(ran);

	app = kut_app(&k);
	run_for(app, 200);
	assert_null(app_store(app));
	char *text = cap_text();
	char *log_file = path_join(k.data, STORE_LOG_FILENAME);
	expect_line(text + ran_len, log_file, k.data, "read-only");
	expect_line(text + ran_len, log_file, "NOT being recorded", NULL);
	free(text);
	assert_true(shows_notice(app, NOTICE_READ_ONLY));
	struct look attract = look_at(app, "faults-read-only-attract.png");
	assert_true(attract.ink > W * H / 4);
	assert_true(attract.notice > 200);

	/* a visitor goes round */
	to_home(app);
	int shown = 0;
	static const char *const items[] = { "cerd", "leaflet-children", "udhr-art1" };
	for (int i = 0; i < 3; i++) {
		app_push(app, scene_viewer_create(app, catalog_find(app_catalog(app), items[i])));
		run_for(app, 200);
		struct look l = look_at(app, NULL);
		assert_true(l.ink > W * H / 5);
		const char *why = scene_page_message(app_top(app));
		if (why)                /* the viewer tells tests its message */
			assert_string_equal(why, "");
		shown++;
		key(app, SDLK_ESCAPE);
	}

	/* the operator changes a setting: it cannot be saved, and says so */
	int volume = app_config(app)->volume_percent;
	open_operator_menu(app);
	tap_operator(app, "settings");
	assert_string_equal(top_name(app), "settings");
	tap_button(app, "volume-");
	const char *msg = scene_page_message(app_top(app));
	assert_non_null(strstr(msg, app_tr(app, "The setting could not be saved:")));
	assert_non_null(strstr(msg, "settings.conf"));
	assert_non_null(strstr(msg, "Read-only file system"));
	assert_int_equal(app_config(app)->volume_percent, volume);
	char *said = xstrdup(strchr(msg, '\n') ? strchr(msg, '\n') + 1 : msg);
	save_screen(app, "faults-read-only-settings.png");
	key(app, SDLK_ESCAPE);
	key(app, SDLK_ESCAPE);
	run_for(app, 50);
	assert_true(app_step(app, 10));
	stop(&k, true);
	cap_end();
	printf("faults: read-only data folder: the kiosk started and showed %d "
	       "items with the notice on screen, the log not opened (said, "
	       "naming the folder), a setting refused: \"%s\"\n", shown, said);
	free(said);
	free(log_file);
}

/* ---- 4. missing fonts ---------------------------------------------------- */

/* The language picker, and the text on it. */
static struct look picker_look(struct app *app, const char *name)
{
	run_for(app, 50);
	key(app, SDLK_RETURN);
	assert_string_equal(top_name(app), "langpick");
	run_for(app, 50);
	return look_at(app, name);
}

/* Walk the screens of a visit: none may be blank. */
static void walk(struct app *app, const char *tag)
{
	key(app, SDLK_RETURN);
	assert_string_equal(top_name(app), "home");
	struct look l = look_at(app, NULL);
	assert_true(l.ink > W * H / 10);
	key(app, SDLK_RETURN);          /* the first category */
	run_for(app, 100);
	l = look_at(app, NULL);
	assert_true(l.ink > W * H / 10);
	static const char *const items[] = { "leaflet-udhr-text", "cerd" };
	for (int i = 0; i < 2; i++) {
		app_push(app, scene_viewer_create(app, catalog_find(app_catalog(app), items[i])));
		run_for(app, 150);
		char *name = xasprintf("faults-fonts-%s-%s.png", tag, items[i]);
		l = look_at(app, name);
		free(name);
		assert_true(l.ink > W * H / 10);
		key(app, SDLK_ESCAPE);
	}
}

static void test_fonts(void **state)
{
	(void)state;
	struct kut k;
	kut_start(&k, NULL, W, H);
	if (!file_exists(k.cfg.font_path))
		skip();
	char *spare_dir = test_tmpdir();
	char *spare = path_join(spare_dir, "Spare.ttf");
	assert_int_equal(test_system("cp '%s' '%s'", k.cfg.font_path, spare), 0);
	cap_begin("fonts");

	/* the configured font missing: another one draws */
	snprintf(k.cfg.font_path, sizeof k.cfg.font_path, "%s/NotoSans-Gone.ttf",
		 spare_dir);
	snprintf(k.cfg.font_bold_path, sizeof k.cfg.font_bold_path,
		 "%s/NotoSans-Gone-Bold.ttf", spare_dir);
	snprintf(k.cfg.font_fallback, sizeof k.cfg.font_fallback, "%s", spare);
	struct app *app = kut_app(&k);
	struct look other = picker_look(app, "faults-fonts-other.png");
	assert_true(text_has_font(app_text(app)));
	char *text = cap_text();
	expect_line(text, "NotoSans-Gone.ttf", "cannot open font", NULL);
	expect_line(text, "NotoSans-Gone.ttf", "drawing text with", NULL);
	free(text);
	walk(app, "other");
	app_destroy(app);
	test_rmtree(k.data);
	free(k.data);

	/* as configured: the text of the picker, to compare */
	kut_start(&k, NULL, W, H);
	app = kut_app(&k);
	struct look fine = picker_look(app, NULL);
	assert_true(fine.text > 500);
	assert_true(other.text > fine.text / 2);

	if (!mount_how) {
		printf("faults: missing fonts: the config's font missing: %ld text "
		       "pixels (%ld as configured); fonts removed while running and "
		       "no font at all skipped: no private mount namespace (%s)\n",
		       other.text, fine.text, mount_why);
		stop(&k, false);
		cap_end();
		free(spare);
		test_rmtree(spare_dir);
		free(spare_dir);
		return;
	}
	/* the fonts removed while it runs (an empty folder over the
	 * system's), then a larger screen: every size of text is new */
	mount_tmpfs("/usr/share/fonts", MB);
	fonts_hidden = true;
	char *seen = cap_text();
	size_t seen_len = strlen(seen);
	free(seen);
	SDL_SetWindowSize(SDL_RenderGetWindow(app_renderer(app)), 1024, 600);
	app_pop_to_root(app);
	struct look removed = picker_look(app, "faults-fonts-removed.png");
	assert_int_equal(removed.w, 1024);
	assert_true(removed.text > fine.text);    /* larger, and drawn */
	walk(app, "removed");
	text = cap_text();
	int font_lines = lines_with(text + seen_len, "font", (char *)NULL);
	free(text);
	assert_true(font_lines <= 4);   /* fallback fonts, once each */
	stop(&k, false);

	/* the system's fonts gone at start: the one fallback font left
	 * draws the text */
	kut_start(&k, NULL, W, H);
	snprintf(k.cfg.font_fallback, sizeof k.cfg.font_fallback, "%s", spare);
	app = kut_app(&k);
	struct look spared = picker_look(app, "faults-fonts-fallback.png");
	assert_true(spared.text > fine.text / 2);
	text = cap_text();
	expect_line(text, "NotoSans-Regular.ttf", "drawing text with", "Spare.ttf");
	free(text);
	stop(&k, false);

	/* no font anywhere: pictures, videos and buttons without text */
	kut_start(&k, NULL, W, H);
	k.cfg.font_fallback[0] = '\0';
	app = kut_app(&k);
	assert_false(text_has_font(app_text(app)));
	run_for(app, 300);
	struct look bare = look_at(app, "faults-fonts-none-attract.png");
	assert_true(bare.ink > W * H / 4);
	struct look none = picker_look(app, "faults-fonts-none.png");
	assert_true(none.ink > W * H / 10);
	walk(app, "none");
	text = cap_text();
	expect_line(text, "no font can be opened", "NotoSans-Regular.ttf",
		    "without any text");
	free(text);
	stop(&k, false);
	unmount("/usr/share/fonts");
	fonts_hidden = false;
	cap_end();
	printf("faults: missing fonts: text pixels on the picker: %ld as "
	       "configured, %ld with the config's font missing (the system's "
	       "drew), %ld at 1024x600 after the fonts were removed while running "
	       "(%d font messages), %ld with only a fallback font left, %ld with "
	       "no font at all (screens still drawn: %ld pixels)\n",
	       fine.text, other.text, removed.text, font_lines, spared.text,
	       none.text, none.ink);
	free(spare);
	test_rmtree(spare_dir);
	free(spare_dir);
}

/* ---- 5. no audio device ----------------------------------------------------- */

/* One kiosk without sound: a video plays silently, the radio piece says
 * it cannot. Returns the figures in out. */
static void no_sound(const char *name, char *out, size_t size)
{
	struct kut k;
	kut_start(&k, NULL, W, H);
	cap_begin(name);
	struct app *app = kut_app(&k);
	to_home(app);
	run_for(app, 100);
	assert_true(shows_notice(app, NOTICE_NO_SOUND));

	const struct item *video = catalog_find(app_catalog(app), "udhr-art1");
	app_push(app, scene_viewer_create(app, video));
	run_for(app, 400);
	assert_string_equal(top_name(app), "viewer");
	struct movie *m = scene_viewer_movie(app_top(app));
	assert_non_null(m);
	assert_false(movie_has_audio(m));
	struct movie_stats s0, s1;
	movie_stats(m, &s0);
	double p0 = movie_position_s(m);
	struct image *a = app_capture(app);
	run_for(app, 1500);
	struct image *b = app_capture(app);
	movie_stats(m, &s1);
	double p1 = movie_position_s(m);
	long changed = 0;
	for (int y = 0; y < H * 2 / 3; y++)
		for (int x = 0; x < W; x++)
			changed += memcmp(a->pixels + (size_t)y * a->pitch + (size_t)x * 4,
					  b->pixels + (size_t)y * b->pitch + (size_t)x * 4, 3) != 0;
	image_destroy(a);
	image_destroy(b);
	long frames = s1.frames_shown - s0.frames_shown;
	assert_true(frames >= 15);
	assert_true(p1 - p0 > 1.0);
	assert_true(changed > 1000);
	char *shot = xasprintf("faults-%s-video.png", name);
	struct look lv = look_at(app, shot);
	free(shot);
	assert_true(lv.notice > 200);
	key(app, SDLK_ESCAPE);

	/* the radio piece: a message, then back */
	const struct item *radio = catalog_find(app_catalog(app), "cat-radio");
	app_push(app, scene_viewer_create(app, radio));
	run_for(app, 300);
	assert_string_equal(top_name(app), "viewer");
	const char *why = scene_page_message(app_top(app));
	if (why)                        /* the viewer tells tests its reason */
		assert_non_null(strstr(why, "no audio device"));
	shot = xasprintf("faults-%s-radio.png", name);
	struct look lr = look_at(app, shot);
	free(shot);
	assert_true(lr.text > 200);     /* the visitor's message */
	assert_true(lr.notice > 200);
	app_advance_clock(app, 5100);
	run_for(app, 60);
	assert_string_equal(top_name(app), "home");

	char *text = cap_text();
	int once = lines_with(text, "audio: no sound device", (char *)NULL);
	/* lines about the missing sound: the app's, the player's, the
	 * viewer's */
	int about = lines_with(text, "no audio", (char *)NULL) +
		    lines_with(text, "audio device", (char *)NULL) +
		    lines_with(text, "no sound device", (char *)NULL) -
		    lines_with(text, "no audio", "audio device", (char *)NULL);
	free(text);
	assert_int_equal(once, 1);
	/* once by the app, and at most once per file opened: never per
	 * frame */
	assert_true(about <= 1 + 2 * 2);
	snprintf(out, size, "%ld frames in 1.5 s silent (%.1f s played), radio "
		 "refused with a message, %d log lines about sound", frames,
		 p1 - p0, about);
	stop(&k, false);
	cap_end();
}

static void test_no_audio(void **state)
{
	(void)state;
	char *was = xstrdup(getenv("SDL_AUDIODRIVER") ? getenv("SDL_AUDIODRIVER") : "");
	char a[256], b[256];
	setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
	no_sound("no-audio-driver", a, sizeof a);
	/* a driver that starts, and a device that does not open */
	setenv("SDL_AUDIODRIVER", "disk", 1);
	setenv("SDL_DISKAUDIOFILE", "/nonexistent/dir/sound.raw", 1);
	no_sound("no-audio-device", b, sizeof b);
	unsetenv("SDL_DISKAUDIOFILE");
	if (*was)
		setenv("SDL_AUDIODRIVER", was, 1);
	else
		unsetenv("SDL_AUDIODRIVER");
	free(was);
	printf("faults: no audio driver: %s\n", a);
	printf("faults: audio device cannot be opened: %s\n", b);
}

/* ---- 6. a screen unplugged and plugged back ------------------------------ */

static void push_type(Uint32 type)
{
	SDL_Event e = { 0 };
	e.type = type;
	push(&e);
}

static void push_display(Uint8 what)
{
	SDL_Event e = { 0 };
	e.type = SDL_DISPLAYEVENT;
	e.display.event = what;
	e.display.display = 0;
	push(&e);
}

static void push_window(struct app *app, Uint8 what, int data1)
{
	SDL_Event e = { 0 };
	e.type = SDL_WINDOWEVENT;
	e.window.event = what;
	e.window.windowID = SDL_GetWindowID(SDL_RenderGetWindow(app_renderer(app)));
	e.window.data1 = data1;
	push(&e);
}

/* The language picker's buttons: all inside w x h, and how far right and
 * down they reach. */
static void buttons_inside(struct app *app, int w, int h, int *right, int *bottom)
{
	*right = *bottom = 0;
	SDL_Rect r;
	size_t n = 0;
	for (size_t i = 0; scene_langpick_button(app_top(app), i, &r); i++, n++) {
		assert_true(r.x >= 0 && r.y >= 0);
		assert_true(r.x + r.w <= w && r.y + r.h <= h);
		if (r.x + r.w > *right)
			*right = r.x + r.w;
		if (r.y + r.h > *bottom)
			*bottom = r.y + r.h;
	}
	assert_true(n >= 2);
}

static void test_screen_replug(void **state)
{
	(void)state;
	struct kut k;
	kut_start(&k, NULL, W, H);
	cap_begin("screen");
	struct app *app = kut_app(&k);
	SDL_Window *win = SDL_RenderGetWindow(app_renderer(app));
	assert_non_null(win);
	struct look first = picker_look(app, "faults-screen-before.png");
	int right, bottom;
	buttons_inside(app, W, H, &right, &bottom);

	/* unplugged: the kiosk goes on */
	push_display(SDL_DISPLAYEVENT_DISCONNECTED);
	run_for(app, 100);
	assert_string_equal(top_name(app), "langpick");
	/* plugged back, a larger screen: a new size, the window on it, and
	 * the renderer's targets and device reset */
	push_display(SDL_DISPLAYEVENT_CONNECTED);
	SDL_SetWindowSize(win, 1024, 600);
	push_window(app, SDL_WINDOWEVENT_DISPLAY_CHANGED, 0);
	push_type(SDL_RENDER_TARGETS_RESET);
	size_t n0, hits0, miss0, n1, hits1, miss1;
	text_cache_stats(app_text(app), &n0, &hits0, &miss0);
	push_type(SDL_RENDER_DEVICE_RESET);
	run_for(app, 200);
	assert_string_equal(top_name(app), "langpick");
	int w, h;
	app_size(app, &w, &h);
	assert_int_equal(w, 1024);
	assert_int_equal(h, 600);
	struct look big = look_at(app, "faults-screen-1024x600.png");
	text_cache_stats(app_text(app), &n1, &hits1, &miss1);
	assert_true(miss1 > miss0);     /* the text was made again */
	assert_int_equal(big.w, 1024);
	assert_int_equal(big.h, 600);
	assert_true(big.text > first.text / 2);
	assert_true(big.ink > 1024 * 600 / 10);
	int right2, bottom2;
	buttons_inside(app, 1024, 600, &right2, &bottom2);
	assert_true(right2 > W || bottom2 > H);   /* laid out for the new size */

	/* turned to portrait */
	SDL_SetWindowSize(win, 480, 800);
	run_for(app, 100);
	assert_true(app_portrait(app));
	struct look tall = look_at(app, "faults-screen-480x800.png");
	assert_int_equal(tall.w, 480);
	assert_int_equal(tall.h, 800);
	assert_true(tall.text > first.text / 3);
	int right3, bottom3;
	buttons_inside(app, 480, 800, &right3, &bottom3);

	/* a device reset under a picture: the viewer closes, the screen is
	 * drawn again, not blank */
	key(app, SDLK_RETURN);
	assert_string_equal(top_name(app), "home");
	app_push(app, scene_viewer_create(app, catalog_find(app_catalog(app), "cerd")));
	run_for(app, 150);
	push_type(SDL_RENDER_DEVICE_RESET);
	run_for(app, 150);
	assert_string_not_equal(top_name(app), "viewer");
	struct look after = look_at(app, "faults-screen-after-reset.png");
	assert_true(after.ink > 480 * 800 / 10);
	assert_true(after.text > 100);
	/* and on the attract loop, which loads its picture again */
	app_pop_to_root(app);
	run_for(app, 300);
	push_type(SDL_RENDER_DEVICE_RESET);
	run_for(app, 300);
	struct look attract = look_at(app, "faults-screen-attract-reset.png");
	assert_true(attract.ink > 480 * 800 / 4);

	char *text = cap_text();
	expect_line(text, "display 0", "disconnected", NULL);
	expect_line(text, "display 0", "connected", NULL);
	expect_line(text, "window is now on display", NULL, NULL);
	expect_line(text, "targets were reset", NULL, NULL);
	expect_line(text, "render device was reset", NULL, NULL);
	expect_line(text, "screen 1024x600", NULL, NULL);
	expect_line(text, "screen 480x800", "portrait", NULL);
	int resets = lines_with(text, "render device was reset", (char *)NULL);
	free(text);
	assert_true(app_step(app, 10));
	stop(&k, false);
	cap_end();
	printf("faults: screen unplugged and plugged back: 800x480 -> 1024x600 -> "
	       "480x800 and %d device resets; text pixels %ld -> %ld -> %ld, "
	       "drawn pixels %ld -> %ld -> %ld; picker buttons reach x %d -> %d "
	       "-> %d\n", resets, first.text, big.text, tall.text, first.ink,
	       big.ink, tall.ink, right, right2, right3);
}

/* After each test, passed or not: stderr back, the system's fonts back. */
static int restore(void **state)
{
	(void)state;
	cap_end();
	if (fonts_hidden && umount2("/usr/share/fonts", MNT_DETACH) == 0)
		fonts_hidden = false;
	return 0;
}

int main(void)
{
	/* failures are printed with the figures, not into the captured
	 * stderr */
	setenv("CMOCKA_MESSAGE_OUTPUT", "STDOUT", 0);
	private_mounts();
	ensure_media();
	printf("faults: small disks: %s\n", mount_how ? mount_how : mount_why);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_disk_full_logging, restore),
		cmocka_unit_test_teardown(test_disk_full_import, restore),
		cmocka_unit_test_teardown(test_read_only, restore),
		cmocka_unit_test_teardown(test_fonts, restore),
		cmocka_unit_test_teardown(test_no_audio, restore),
		cmocka_unit_test_teardown(test_screen_replug, restore),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
