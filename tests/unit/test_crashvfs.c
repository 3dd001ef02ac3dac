/*
 * test_crashvfs: power cuts below the process, simulated in a SQLite VFS,
 * prove that an event the store reported committed survives them.
 *
 * The shim (modelled on SQLite's own crash VFS, src/test6.c) is the
 * default VFS while the store runs and wraps "unix". Writes go through
 * to the real files (the OS page cache, as the process sees it), and for
 * every write or truncate since a file's last xSync the shim keeps an
 * undo record: offset, the bytes and file size before, the bytes
 * written. xSync makes that file's records durable (drops them). Locks,
 * the shared-memory wal-index and file controls pass through.
 *
 * The shim counts writes, syncs and truncates of the log's files. At a
 * random count it "cuts the power": that operation is not done, and from
 * then on every write, sync, truncate, delete and open fails with an
 * SQLITE_IOERR_* (SQLITE_CANTOPEN) code, so the store can be closed
 * without touching the files. Then the machine "reboots": for every
 * file, the unsynced records are undone newest first (back to the synced
 * image), then replayed oldest first, each one at random kept, dropped,
 * dropped with the file size extended (zeros: the size reached the disk,
 * the data did not), garbled (random bytes over its range) or torn:
 * sector by sector kept, dropped or trashed whole, with 512-byte sectors
 * or the device sector the VFS reports (4096), so a trashed sector may
 * destroy bytes next to the write that were synced long ago. That is the
 * damage SQLite must expect without SQLITE_IOCAP_POWERSAFE_OVERWRITE,
 * which the store turns off with psow=0 (the test checks that the VFS
 * sees it off). An unsynced truncate is kept or dropped. The -shm file
 * is deleted (SQLite rebuilds it from the WAL).
 *
 * Simplified: file creation and deletion are durable when done (the unix
 * VFS syncs the directory; the shim does not model directory entries);
 * the shim does not call the real fsync (the model, not the disk, decides
 * what survives; it keeps the test fast); the damage is per file, and
 * nothing the process had synced is lost except the neighbours of a torn
 * sector; reads after the cut still see the page cache.
 *
 * Each round: store_open on the same log as the round before (so it
 * grows, to about 4 MB in 100 rounds, the WAL reaches the store's
 * autocheckpoint of 1000 pages and checkpoints and WAL restarts happen:
 * nothing of the store's settings is lowered; every 100 rounds a new
 * kiosk starts a new log, so that the checks stay quick), a commit
 * hook records every event the store reports committed, a random mix of
 * sessions, views, language switches, contests, quizzes and operator
 * actions (in a third of the rounds, half of the actions carry 2-4 KB
 * details) with store_flush after every few events (one transaction
 * each), and the power cut armed at a random count; or, in a tenth of
 * the rounds each, at a random operation of the next checkpoint, just
 * after the next WAL restart's header write, or 2 to 4 operations after
 * the next WAL sync (so the rest of a commit's last padding frame,
 * written after the sync, is still unsynced); the round after that last
 * kind cuts at one of the first 4 operations from before its store_open
 * (the first writes after the recovery). After the cut,
 * store_close, the reboot, then a plain connection (unix VFS, no
 * checkpoint on close): PRAGMA integrity_check must say "ok", and every
 * event reported committed must be there with what was logged (inserts:
 * the row and a column's text or number; ends: the end columns). Each
 * round checks its own events, the round before's and 64 earlier ones
 * at random, every 25th round and a log's last check all of the log's.
 * The next round's store_open (the kiosk starting) must succeed. A
 * failed round is counted and described (its round, to replay it) and
 * the rounds go on, so the figures are whole; the arm fails at the end.
 *
 * The negative control runs the same rounds with PRAGMA synchronous=OFF
 * (set through store_database after a flush): nothing is ever synced, so
 * the cut may drop or garble anything of the round, and the oracle must
 * see lost events or a failed integrity_check in some rounds (its
 * rounds aimed after a sync cut at a random count instead). In both
 * arms a round whose log fails integrity_check starts a new log.
 *
 * KIOSK_CRASH_ROUNDS: rounds of the synchronous=FULL arm (default 500;
 * the control runs two fifths as many). KIOSK_CRASH_SEED: the seed
 * (printed; event ids and SQLite's randomness come from it too, so the
 * same seed with at least as many rounds replays a failing round: the
 * same pages, the same cut, the same damage, unless a flush waited more
 * than the store's one-second tick and the batches came out otherwise).
 * KIOSK_CRASH_SELFTEST=ignore-sync: the shim treats xSync as a no-op in
 * the FULL arm once a round's cut is armed (after store_open); the test
 * must then fail. KIOSK_CRASH_SELFTEST=psow: in the FULL arm the log's
 * file reports SQLITE_IOCAP_POWERSAFE_OVERWRITE, as if the store had not
 * opened it with psow=0, so SQLite no longer pads a commit to the end of
 * a sector; torn sectors then take committed frames with them and the
 * test must fail. The store's own log lines (errors after each cut) go
 * to crashvfs.log in the build directory.
 *
 * What it found: after a cut, SQLite's recovery left the WAL ending just
 * after its last commit frame, inside a sector; the first frame written
 * after the restart went into that sector, and a second cut during that
 * write tore it and lost the last batch committed before the first cut
 * (with integrity_check still "ok"). store_open now checkpoints and
 * empties the WAL before it writes anything (store.c, open_db).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/log.h"
#include "base/util.h"
#include "store/store.h"
#include "test_support.h"

#define DEFAULT_ROUNDS 500
/* Rounds that log this many events without a cut force one. */
#define MAX_EVENTS_PER_ROUND 3000
/* A uniform round cuts the power at operation 1..UNIFORM_SPAN. */
#define UNIFORM_SPAN 1600
/* Rounds on one log; then a new kiosk starts a new one (so that
 * integrity_check, which reads it all every round, stays quick). */
#define LOG_ROUNDS 100
/* Earlier committed events re-checked each round, at random. */
#define RECHECK_SAMPLE 64
/* Every this many rounds (and a log's last), all of them. */
#define RECHECK_ALL_EVERY 25
#define WAL_CKPT_LOCK 1      /* SQLite's wal.c: the checkpointer's lock */

/* ------------------------------------------------------------------------
 * Randomness
 * ------------------------------------------------------------------------ */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rnd(uint64_t *s, uint64_t n)
{
	return n ? splitmix(s) % n : 0;
}

static void rnd_fill(uint64_t *s, unsigned char *buf, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = splitmix(s);
		size_t k = len - i < 8 ? len - i : 8;
		memcpy(buf + i, &v, k);
	}
}

/* The store takes its event ids from getrandom(). While det_on, this
 * definition (it takes precedence over the C library's for the test
 * program) gives them from the seed, so that a seed replays the same
 * database pages; otherwise it reads /dev/urandom. */
static pthread_mutex_t det_lock = PTHREAD_MUTEX_INITIALIZER;
static bool det_on;                 /* guarded by det_lock */
static uint64_t det_state;          /* guarded by det_lock */

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	(void)flags;
	pthread_mutex_lock(&det_lock);
	bool on = det_on;
	if (on)
		rnd_fill(&det_state, buf, len);
	pthread_mutex_unlock(&det_lock);
	if (on)
		return (ssize_t)len;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return got ? (ssize_t)got : -1;
}

static void det_seed(uint64_t seed)
{
	pthread_mutex_lock(&det_lock);
	det_on = true;
	det_state = seed;
	pthread_mutex_unlock(&det_lock);
}

/* ------------------------------------------------------------------------
 * The shim: write-through with undo records, and the power cut
 * ------------------------------------------------------------------------ */

enum file_kind { FK_DB, FK_WAL, FK_JOURNAL, FK_COUNT };
static const char *const fk_name[FK_COUNT] = { "DB", "WAL", "journal" };

enum shim_op { OP_WRITE, OP_SYNC, OP_TRUNCATE };

/* One write or truncate not yet synced. */
struct rec {
	bool truncate;
	int64_t off;             /* write: offset; truncate: the new size */
	int64_t len;             /* write: bytes written */
	int64_t old_size;        /* the file's size before */
	unsigned char *old;      /* bytes it replaced: write: the part below
				  * old_size; truncate: [off, old_size) */
	int64_t old_len;
	unsigned char *data;     /* write: the bytes written */
};

/* A modelled file, by path: it outlives its handles (the page cache). */
struct node {
	char *path;
	enum file_kind kind;
	int sector;              /* the VFS's xSectorSize for it */
	struct rec *recs;        /* unsynced, oldest first */
	size_t n, cap;
	struct node *next;
};

struct shim_file {
	sqlite3_file base;
	struct node *node;       /* NULL: a temporary file, not modelled */
	sqlite3_file *real;      /* the unix VFS's file, right after this */
};

/* Where the power was cut. */
struct crash_info {
	enum file_kind kind;
	enum shim_op op;
	bool in_ckpt;            /* the checkpoint lock was held */
	bool restart_pending;    /* a WAL restart's header not yet synced */
};

/* What the reboots did with unsynced records. */
struct fates {
	uint64_t kept, dropped, zero_ext, garbled, torn;
	uint64_t trashed_sectors;  /* torn: sectors trashed, */
	uint64_t trashed_outside;  /* of them reaching beyond the write */
	uint64_t trunc_kept, trunc_dropped;
};

static struct {
	pthread_mutex_t lock;
	sqlite3_vfs *real;       /* "unix" */
	/* Guarded by lock: */
	struct node *nodes;
	uint64_t ops;            /* writes, syncs, truncates (modelled files) */
	uint64_t crash_at;       /* cut at this op count; 0: not armed */
	bool ckpt_target;        /* arm at the next checkpoint's start */
	bool restart_target;     /* arm at the next WAL restart */
	bool sync_target;        /* cut 2-4 ops after the next WAL sync */
	uint64_t ckpt_span;      /* ops of the last checkpoint */
	uint64_t ckpt_start;
	uint64_t rng;
	bool dead;
	bool in_ckpt;
	bool armed;              /* from shim_arm to the reboot */
	bool ignore_syncs;       /* the self-test: syncs while armed do
				  * nothing */
	bool fake_psow;          /* the self-test: the DB file claims
				  * POWERSAFE_OVERWRITE */
	struct crash_info crash;
	uint64_t checkpoints;    /* checkpoint lock taken */
	uint64_t wal_restarts;   /* WAL header rewritten over an old WAL */
	int db_psow;             /* -1 unknown; else whether the DB file
				  * reports POWERSAFE_OVERWRITE */
} shim = { .lock = PTHREAD_MUTEX_INITIALIZER, .ckpt_span = 200,
	   .db_psow = -1 };

static void rec_free(struct rec *r)
{
	free(r->old);
	free(r->data);
}

static void node_clear_locked(struct node *n)
{
	for (size_t i = 0; i < n->n; i++)
		rec_free(&n->recs[i]);
	n->n = 0;
}

static struct node *node_find_locked(const char *path)
{
	for (struct node *n = shim.nodes; n; n = n->next)
		if (strcmp(n->path, path) == 0)
			return n;
	return NULL;
}

static void node_push_locked(struct node *n, const struct rec *r)
{
	if (n->n == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 64;
		n->recs = xrealloc(n->recs, n->cap * sizeof *n->recs);
	}
	n->recs[n->n++] = *r;
}

/* Count one operation; true when it must fail: the power is off, or is
 * cut right now (then the operation is not done). */
static bool shim_cut_locked(struct node *n, enum shim_op op)
{
	if (shim.dead)
		return true;
	shim.ops++;
	if (!shim.crash_at || shim.ops < shim.crash_at)
		return false;
	shim.dead = true;
	shim.crash = (struct crash_info){ .kind = n->kind, .op = op,
					  .in_ckpt = shim.in_ckpt };
	for (struct node *m = shim.nodes; m; m = m->next) {
		if (m->kind != FK_WAL)
			continue;
		for (size_t i = 0; i < m->n; i++)
			if (!m->recs[i].truncate && m->recs[i].off == 0 &&
			    m->recs[i].old_size > 0)
				shim.crash.restart_pending = true;
	}
	return true;
}

static int shim_close(sqlite3_file *f)
{
	struct shim_file *sf = (struct shim_file *)f;
	return sf->real->pMethods->xClose(sf->real);
}

static int shim_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	struct shim_file *sf = (struct shim_file *)f;
	return sf->real->pMethods->xRead(sf->real, buf, amt, off);
}

static int shim_write(sqlite3_file *f, const void *buf, int amt,
		      sqlite3_int64 off)
{
	struct shim_file *sf = (struct shim_file *)f;
	if (!sf->node)
		return sf->real->pMethods->xWrite(sf->real, buf, amt, off);
	pthread_mutex_lock(&shim.lock);
	if (shim_cut_locked(sf->node, OP_WRITE)) {
		pthread_mutex_unlock(&shim.lock);
		return SQLITE_IOERR_WRITE;
	}
	sqlite3_int64 size = 0;
	int rc = sf->real->pMethods->xFileSize(sf->real, &size);
	struct rec r = { .off = off, .len = amt, .old_size = size };
	if (rc == SQLITE_OK && off < size) {
		r.old_len = size - off < amt ? size - off : amt;
		r.old = xmalloc((size_t)r.old_len);
		rc = sf->real->pMethods->xRead(sf->real, r.old, (int)r.old_len,
					      off);
	}
	if (rc == SQLITE_OK)
		rc = sf->real->pMethods->xWrite(sf->real, buf, amt, off);
	if (rc == SQLITE_OK) {
		r.data = xmalloc((size_t)amt);
		memcpy(r.data, buf, (size_t)amt);
		if (sf->node->kind == FK_WAL && off == 0 && size > 0) {
			shim.wal_restarts++;
			/* cut at its sync or one of the first frames */
			if (shim.restart_target && !shim.crash_at)
				shim.crash_at = shim.ops + 1 +
						rnd(&shim.rng, 4);
		}
		node_push_locked(sf->node, &r);
	} else {
		rec_free(&r);
	}
	pthread_mutex_unlock(&shim.lock);
	return rc;
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct shim_file *sf = (struct shim_file *)f;
	if (!sf->node)
		return sf->real->pMethods->xTruncate(sf->real, size);
	pthread_mutex_lock(&shim.lock);
	if (shim_cut_locked(sf->node, OP_TRUNCATE)) {
		pthread_mutex_unlock(&shim.lock);
		return SQLITE_IOERR_TRUNCATE;
	}
	sqlite3_int64 old = 0;
	int rc = sf->real->pMethods->xFileSize(sf->real, &old);
	struct rec r = { .truncate = true, .off = size, .old_size = old };
	if (rc == SQLITE_OK && size < old) {
		r.old_len = old - size;
		r.old = xmalloc((size_t)r.old_len);
		rc = sf->real->pMethods->xRead(sf->real, r.old, (int)r.old_len,
					      size);
	}
	if (rc == SQLITE_OK)
		rc = sf->real->pMethods->xTruncate(sf->real, size);
	if (rc == SQLITE_OK)
		node_push_locked(sf->node, &r);
	else
		rec_free(&r);
	pthread_mutex_unlock(&shim.lock);
	return rc;
}

/* The durability point. The real fsync is not called: what survives a
 * cut is the model's decision, and the test stays fast. */
static int shim_sync(sqlite3_file *f, int flags)
{
	struct shim_file *sf = (struct shim_file *)f;
	if (!sf->node)
		return sf->real->pMethods->xSync(sf->real, flags);
	pthread_mutex_lock(&shim.lock);
	if (shim_cut_locked(sf->node, OP_SYNC)) {
		pthread_mutex_unlock(&shim.lock);
		return SQLITE_IOERR_FSYNC;
	}
	if (!(shim.ignore_syncs && shim.armed))
		node_clear_locked(sf->node);
	/* After the write of the rest of a commit's last padding frame
	 * (which must succeed for the commit to be reported): a cut in
	 * the writes that follow leaves that rest unsynced. */
	if (shim.sync_target && !shim.crash_at && sf->node->kind == FK_WAL)
		shim.crash_at = shim.ops + 2 + rnd(&shim.rng, 3);
	pthread_mutex_unlock(&shim.lock);
	return SQLITE_OK;
}

static int shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct shim_file *sf = (struct shim_file *)f;
	return sf->real->pMethods->xFileSize(sf->real, size);
}

static int shim_lock(sqlite3_file *f, int lock)
{
	struct shim_file *sf = (struct shim_file *)f;
	return sf->real->pMethods->xLock(sf->real, lock);
}

static int shim_unlock(sqlite3_file *f, int lock)
{
	struct shim_file *sf = (struct shim_file *)f;
	return sf->real->pMethods->xUnlock(sf->real, lock);
}

static int shim_check_reserved(sqlite3_file *f, int *out)
{
	struct shim_file *sf = (struct shim_file *)f;
	return sf->real->pMethods->xCheckReservedLock(sf->real, out);
}

static int shim_file_control(sqlite3_file *f, int op, void *arg)
{
	struct shim_file *sf = (struct shim_file *)f;
	return sf->real->pMethods->xFileControl(sf->real, op, arg);
}

static int shim_sector_size(sqlite3_file *f)
{
	struct shim_file *sf = (struct shim_file *)f;
	return sf->real->pMethods->xSectorSize(sf->real);
}

static int shim_device_characteristics(sqlite3_file *f)
{
	struct shim_file *sf = (struct shim_file *)f;
	int dc = sf->real->pMethods->xDeviceCharacteristics(sf->real);
	if (sf->node && sf->node->kind == FK_DB) {
		pthread_mutex_lock(&shim.lock);
		shim.db_psow = (dc & SQLITE_IOCAP_POWERSAFE_OVERWRITE) != 0;
		if (shim.fake_psow)
			dc |= SQLITE_IOCAP_POWERSAFE_OVERWRITE;
		pthread_mutex_unlock(&shim.lock);
	}
	return dc;
}

static int shim_shm_map(sqlite3_file *f, int page, int size, int extend,
			void volatile **out)
{
	struct shim_file *sf = (struct shim_file *)f;
	return sf->real->pMethods->xShmMap(sf->real, page, size, extend, out);
}

/* Passed through; watches the checkpointer's lock to know when a
 * checkpoint runs (and to arm a cut inside it). */
static int shim_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	struct shim_file *sf = (struct shim_file *)f;
	int rc = sf->real->pMethods->xShmLock(sf->real, offset, n, flags);
	if (rc != SQLITE_OK || offset != WAL_CKPT_LOCK || n != 1)
		return rc;
	pthread_mutex_lock(&shim.lock);
	if ((flags & SQLITE_SHM_LOCK) && (flags & SQLITE_SHM_EXCLUSIVE)) {
		shim.in_ckpt = true;
		shim.checkpoints++;
		shim.ckpt_start = shim.ops;
		if (shim.ckpt_target && !shim.crash_at && !shim.dead)
			shim.crash_at = shim.ops + 1 +
					rnd(&shim.rng, shim.ckpt_span + 1);
	} else if ((flags & SQLITE_SHM_UNLOCK) && shim.in_ckpt) {
		shim.in_ckpt = false;
		if (shim.ops > shim.ckpt_start)
			shim.ckpt_span = shim.ops - shim.ckpt_start;
	}
	pthread_mutex_unlock(&shim.lock);
	return rc;
}

static void shim_shm_barrier(sqlite3_file *f)
{
	struct shim_file *sf = (struct shim_file *)f;
	sf->real->pMethods->xShmBarrier(sf->real);
}

static int shim_shm_unmap(sqlite3_file *f, int delete_flag)
{
	struct shim_file *sf = (struct shim_file *)f;
	return sf->real->pMethods->xShmUnmap(sf->real, delete_flag);
}

static int shim_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
	struct shim_file *sf = (struct shim_file *)f;
	if (sf->real->pMethods->iVersion < 3) {
		*pp = NULL;
		return SQLITE_OK;
	}
	return sf->real->pMethods->xFetch(sf->real, off, amt, pp);
}

static int shim_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	struct shim_file *sf = (struct shim_file *)f;
	if (sf->real->pMethods->iVersion < 3)
		return SQLITE_OK;
	return sf->real->pMethods->xUnfetch(sf->real, off, p);
}

static const sqlite3_io_methods shim_io = {
	.iVersion = 3,
	.xClose = shim_close,
	.xRead = shim_read,
	.xWrite = shim_write,
	.xTruncate = shim_truncate,
	.xSync = shim_sync,
	.xFileSize = shim_file_size,
	.xLock = shim_lock,
	.xUnlock = shim_unlock,
	.xCheckReservedLock = shim_check_reserved,
	.xFileControl = shim_file_control,
	.xSectorSize = shim_sector_size,
	.xDeviceCharacteristics = shim_device_characteristics,
	.xShmMap = shim_shm_map,
	.xShmLock = shim_shm_lock,
	.xShmBarrier = shim_shm_barrier,
	.xShmUnmap = shim_shm_unmap,
	.xFetch = shim_fetch,
	.xUnfetch = shim_unfetch,
};

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file,
		     int flags, int *out_flags)
{
	(void)vfs;
	struct shim_file *sf = (struct shim_file *)file;
	memset(sf, 0, sizeof *sf);
	sf->real = (sqlite3_file *)(sf + 1);
	pthread_mutex_lock(&shim.lock);
	bool dead = shim.dead;
	pthread_mutex_unlock(&shim.lock);
	if (dead)
		return SQLITE_CANTOPEN;
	int rc = shim.real->xOpen(shim.real, name, sf->real, flags, out_flags);
	if (rc != SQLITE_OK)
		return rc;
	enum file_kind kind = FK_COUNT;
	if (flags & SQLITE_OPEN_MAIN_DB)
		kind = FK_DB;
	else if (flags & SQLITE_OPEN_WAL)
		kind = FK_WAL;
	else if (flags & (SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL))
		kind = FK_JOURNAL;
	if (name && kind != FK_COUNT) {
		pthread_mutex_lock(&shim.lock);
		struct node *n = node_find_locked(name);
		if (!n) {
			n = xcalloc(1, sizeof *n);
			n->path = xstrdup(name);
			n->next = shim.nodes;
			shim.nodes = n;
		}
		n->kind = kind;
		n->sector = sf->real->pMethods->xSectorSize(sf->real);
		sf->node = n;
		pthread_mutex_unlock(&shim.lock);
	}
	sf->base.pMethods = &shim_io;
	return SQLITE_OK;
}

/* Deletion is durable when done (a simplification: see the header). */
static int shim_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	pthread_mutex_lock(&shim.lock);
	int rc = SQLITE_IOERR_DELETE;
	if (!shim.dead) {
		rc = shim.real->xDelete(shim.real, name, sync_dir);
		struct node *n = node_find_locked(name);
		if (n && (rc == SQLITE_OK || rc == SQLITE_IOERR_DELETE_NOENT))
			node_clear_locked(n);
	}
	pthread_mutex_unlock(&shim.lock);
	return rc;
}

static int shim_access(sqlite3_vfs *vfs, const char *name, int flags,
		       int *out)
{
	(void)vfs;
	return shim.real->xAccess(shim.real, name, flags, out);
}

static int shim_full_pathname(sqlite3_vfs *vfs, const char *name, int n,
			      char *out)
{
	(void)vfs;
	return shim.real->xFullPathname(shim.real, name, n, out);
}

static void *shim_dl_open(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return shim.real->xDlOpen(shim.real, name);
}

static void shim_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	shim.real->xDlError(shim.real, n, msg);
}

static void (*shim_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return shim.real->xDlSym(shim.real, h, sym);
}

static void shim_dl_close(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	shim.real->xDlClose(shim.real, h);
}

/* SQLite's randomness (WAL salts) from the seed too. */
static int shim_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	if (getrandom(out, (size_t)n, 0) != n)
		memset(out, 0, (size_t)n);
	return n;
}

static int shim_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return shim.real->xSleep(shim.real, us);
}

static int shim_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return shim.real->xCurrentTime(shim.real, out);
}

static int shim_get_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return shim.real->xGetLastError(shim.real, n, out);
}

static int shim_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return shim.real->xCurrentTimeInt64(shim.real, out);
}

static sqlite3_vfs shim_vfs = {
	.iVersion = 2,
	.zName = "crashvfs",
	.xOpen = shim_open,
	.xDelete = shim_delete,
	.xAccess = shim_access,
	.xFullPathname = shim_full_pathname,
	.xDlOpen = shim_dl_open,
	.xDlError = shim_dl_error,
	.xDlSym = shim_dl_sym,
	.xDlClose = shim_dl_close,
	.xRandomness = shim_randomness,
	.xSleep = shim_sleep,
	.xCurrentTime = shim_current_time,
	.xGetLastError = shim_get_last_error,
	.xCurrentTimeInt64 = shim_current_time_int64,
};

/* Where a round aims its cut. */
enum aim {
	AIM_COUNT,      /* at a random operation count */
	AIM_CKPT,       /* at a random operation of the next checkpoint */
	AIM_RESTART,    /* just after the next WAL restart's header write */
	AIM_AFTER_SYNC, /* 2 to 4 operations after the next WAL sync */
	AIM_FIRST,      /* at one of the first 4 operations (the round
			 * after an AIM_AFTER_SYNC one) */
	AIM_COUNT_OF
};

static const char *const aim_name[AIM_COUNT_OF] = {
	"at a random count", "in a checkpoint", "after a WAL restart",
	"after a WAL sync", "at the first writes after the reboot",
};

/* Arm the cut: at op count now + at for AIM_COUNT, else as aimed.
 * Resets the dead state. */
static void shim_arm(enum aim aim, uint64_t at, uint64_t seed)
{
	pthread_mutex_lock(&shim.lock);
	shim.dead = false;
	shim.armed = true;
	shim.rng = seed;
	shim.ckpt_target = aim == AIM_CKPT;
	shim.restart_target = aim == AIM_RESTART;
	shim.sync_target = aim == AIM_AFTER_SYNC;
	shim.crash_at = aim == AIM_COUNT ? shim.ops + at :
			aim == AIM_FIRST ? shim.ops + 1 + rnd(&shim.rng, 4) : 0;
	pthread_mutex_unlock(&shim.lock);
}

/* Take back an armed cut that did not happen (a round given up). */
static void shim_disarm(void)
{
	pthread_mutex_lock(&shim.lock);
	shim.crash_at = 0;
	shim.armed = shim.ckpt_target = shim.restart_target = false;
	shim.sync_target = false;
	pthread_mutex_unlock(&shim.lock);
}

/* Cut the power at the next operation (a round that ran out of events). */
static void shim_cut_next(void)
{
	pthread_mutex_lock(&shim.lock);
	if (!shim.dead)
		shim.crash_at = shim.ops + 1;
	pthread_mutex_unlock(&shim.lock);
}

static bool shim_dead(void)
{
	pthread_mutex_lock(&shim.lock);
	bool d = shim.dead;
	pthread_mutex_unlock(&shim.lock);
	return d;
}

static void xpwrite(int fd, const void *buf, int64_t len, int64_t off)
{
	if (len > 0 && pwrite(fd, buf, (size_t)len, off) != (ssize_t)len)
		fail_msg("reboot: pwrite: %s", strerror(errno));
}

static void xftruncate(int fd, int64_t size)
{
	if (ftruncate(fd, size) != 0)
		fail_msg("reboot: ftruncate: %s", strerror(errno));
}

static int64_t fd_size(int fd)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0)
		fail_msg("reboot: fstat: %s", strerror(errno));
	return sb.st_size;
}

static void write_random(int fd, uint64_t *rng, int64_t off, int64_t len)
{
	unsigned char *buf = xmalloc((size_t)len);
	rnd_fill(rng, buf, (size_t)len);
	xpwrite(fd, buf, len, off);
	free(buf);
}

/* A write torn sector by sector (unit bytes): each sector it touches is
 * written, left alone, or trashed whole (up to the file's extent). */
static void replay_torn(int fd, const struct rec *r, int64_t unit,
			uint64_t *rng, struct fates *f)
{
	int64_t end = r->off + r->len;
	int64_t size = fd_size(fd);
	int64_t limit = size > end ? size : end;
	for (int64_t s = r->off / unit * unit; s < end; s += unit) {
		switch (rnd(rng, 3)) {
		case 0: {
			int64_t a = s > r->off ? s : r->off;
			int64_t b = s + unit < end ? s + unit : end;
			xpwrite(fd, r->data + (a - r->off), b - a, a);
			break;
		}
		case 1:
			break;
		default: {
			int64_t b = s + unit < limit ? s + unit : limit;
			write_random(fd, rng, s, b - s);
			f->trashed_sectors++;
			if (s < r->off || b > end)
				f->trashed_outside++;
			break;
		}
		}
	}
}

/* Replay one unsynced record over the file with a random fate. */
static void replay(int fd, const struct rec *r, int sector, uint64_t *rng,
		   struct fates *f)
{
	if (r->truncate) {
		if (rnd(rng, 2)) {
			xftruncate(fd, r->off);
			f->trunc_kept++;
		} else {
			f->trunc_dropped++;
		}
		return;
	}
	uint64_t p = rnd(rng, 100);
	if (p < 35) {
		xpwrite(fd, r->data, r->len, r->off);
		f->kept++;
	} else if (p < 60) {
		f->dropped++;
	} else if (p < 65) {
		if (r->off + r->len > fd_size(fd))
			xftruncate(fd, r->off + r->len);
		f->zero_ext++;
	} else if (p < 75) {
		write_random(fd, rng, r->off, r->len);
		f->garbled++;
	} else {
		replay_torn(fd, r, p < 90 || sector < 512 ? 512 : sector, rng,
			    f);
		f->torn++;
	}
}

/* The power cut's effect on disk, once the store has closed (no handle
 * open): every file back to its synced image, then its unsynced records
 * replayed with random fates. Then the -shm file of db_path is deleted.
 * Clears all records and the dead state. */
static void shim_reboot(const char *db_path, uint64_t seed, struct fates *f)
{
	uint64_t rng = seed;
	pthread_mutex_lock(&shim.lock);
	for (struct node *n = shim.nodes; n; n = n->next) {
		if (!n->n)
			continue;
		int fd = open(n->path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			node_clear_locked(n);
			continue;
		}
		/* Back to the synced image: each record's old bytes, newest
		 * first (so the oldest record to touch a byte has the last
		 * word: the byte as synced), then the size before the oldest
		 * record. A byte below that size that some record changed is
		 * in the old bytes of the oldest record that changed it (had
		 * it been past the end then, an older truncate would have
		 * changed it first), so this is the same image as restoring
		 * the size after each record, without a shrinking ftruncate
		 * per record: a round of the control appends a thousand and
		 * more frames unsynced, and each shrinking ftruncate is an
		 * ext4 journal transaction that waits for the disk when it is
		 * busy (0.1 ms idle, a millisecond and more under load: 1-2 s
		 * per reboot). */
		for (size_t i = n->n; i-- > 0;) {
			const struct rec *r = &n->recs[i];
			xpwrite(fd, r->old, r->old_len, r->off);
		}
		xftruncate(fd, n->recs[0].old_size);
		for (size_t i = 0; i < n->n; i++)
			replay(fd, &n->recs[i], n->sector, &rng, f);
		close(fd);
		node_clear_locked(n);
	}
	shim.dead = shim.armed = false;
	shim.crash_at = 0;
	shim.ckpt_target = shim.restart_target = shim.sync_target = false;
	shim.in_ckpt = false;
	pthread_mutex_unlock(&shim.lock);
	char *shm = xasprintf("%s-shm", db_path);
	unlink(shm);
	free(shm);
}

static void shim_free_nodes(void)
{
	pthread_mutex_lock(&shim.lock);
	while (shim.nodes) {
		struct node *n = shim.nodes;
		shim.nodes = n->next;
		node_clear_locked(n);
		free(n->recs);
		free(n->path);
		free(n);
	}
	pthread_mutex_unlock(&shim.lock);
}

/* ------------------------------------------------------------------------
 * What the test logged, and what the store reported committed
 * ------------------------------------------------------------------------ */

enum tk {
	TK_RUN, TK_SESSION, TK_SESSION_END, TK_VIEW, TK_VIEW_END, TK_LANG,
	TK_CONTEST, TK_CONTEST_END, TK_QUIZ, TK_ANSWER, TK_QUIZ_END,
	TK_OPERATOR, TK_COUNT, TK_NONE = TK_COUNT
};

/* The hook's kind names, and whether each is an update. */
static const struct {
	const char *name;
	bool update;
} tk_info[TK_COUNT] = {
	[TK_RUN] = { "run-begin", false },
	[TK_SESSION] = { "session-begin", false },
	[TK_SESSION_END] = { "session-end", true },
	[TK_VIEW] = { "view-begin", false },
	[TK_VIEW_END] = { "view-end", true },
	[TK_LANG] = { "lang-switch", false },
	[TK_CONTEST] = { "contest-begin", false },
	[TK_CONTEST_END] = { "contest-ended", true },
	[TK_QUIZ] = { "quiz-begin", false },
	[TK_ANSWER] = { "quiz-answer", false },
	[TK_QUIZ_END] = { "quiz-end", true },
	[TK_OPERATOR] = { "operator", false },
};

/* One event the test logged; what the oracle checks. */
struct logged {
	enum tk kind;
	char uuid[STORE_UUID_LEN];   /* the row inserted or updated */
	char ref[STORE_UUID_LEN];    /* session, attempt or contest; "" none */
	uint64_t hash;               /* of the text column checked */
	int64_t a, b;                /* per kind: completed, n_questions,
				      * position, score and answered */
	double seconds;
	int64_t wall_ms, boot_ms;    /* from the hook */
	bool committed;              /* the hook reported it */
	int round;                   /* 1-based round it was logged in */
};

struct logged_vec {
	struct logged *v;
	size_t n, cap;
};

static struct logged *lv_push(struct logged_vec *lv, const struct logged *e)
{
	if (lv->n == lv->cap) {
		lv->cap = lv->cap ? lv->cap * 2 : 256;
		lv->v = xrealloc(lv->v, lv->cap * sizeof *lv->v);
	}
	lv->v[lv->n] = *e;
	return &lv->v[lv->n++];
}

/* An event as the hook reported it. */
struct hooked {
	char kind[24];
	char uuid[STORE_UUID_LEN];
	bool update;
	int64_t wall_ms, boot_ms;
};

static pthread_mutex_t hook_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hooked *hooked;        /* guarded by hook_lock */
static size_t n_hooked, cap_hooked;  /* guarded by hook_lock */

/* The store's commit hook (on its logging thread). */
static void commit_hook(void *user, const struct store_commit_event *evs,
			size_t n)
{
	(void)user;
	pthread_mutex_lock(&hook_lock);
	for (size_t i = 0; i < n; i++) {
		if (n_hooked == cap_hooked) {
			cap_hooked = cap_hooked ? cap_hooked * 2 : 256;
			hooked = xrealloc(hooked, cap_hooked * sizeof *hooked);
		}
		struct hooked *h = &hooked[n_hooked++];
		snprintf(h->kind, sizeof h->kind, "%s", evs[i].kind);
		snprintf(h->uuid, sizeof h->uuid, "%s", evs[i].uuid);
		h->update = evs[i].update;
		h->wall_ms = evs[i].wall_ms;
		h->boot_ms = evs[i].boot_ms;
	}
	pthread_mutex_unlock(&hook_lock);
}

static uint64_t fnv(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (size_t i = 0; i < len; i++)
		h = (h ^ s[i]) * UINT64_C(0x100000001b3);
	return h;
}

static uint64_t hash_text(const char *s)
{
	return s ? fnv(s, strlen(s)) : 0;
}

/* ------------------------------------------------------------------------
 * A round's events
 * ------------------------------------------------------------------------ */

static const char *const langs[] = { "vi", "en", "fr", "km", "lo", "th",
				     "ede", "jra" };

/* What a visitor is in the middle of. */
struct visit {
	char session[STORE_UUID_LEN];  /* "" none */
	char view[STORE_UUID_LEN];     /* "" none */
	char attempt[STORE_UUID_LEN];  /* "" none */
	int answered, n_questions, score;
	char contest[STORE_UUID_LEN];  /* "" none */
	double counter;                /* unique seconds values */
};

/* Random printable text of len bytes; caller frees. */
static char *rnd_text(uint64_t *rng, size_t len)
{
	char *s = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		s[i] = (char)(' ' + rnd(rng, 95));
	s[len] = '\0';
	return s;
}

/* Log one random event through the public API and note it in lv. */
static void log_one(struct store *st, struct visit *v, uint64_t *rng,
		    bool big, struct logged_vec *lv)
{
	struct logged e = { .kind = TK_NONE };
	const char *lang = langs[rnd(rng, ARRAY_LEN(langs))];
	uint64_t p = rnd(rng, 100);
	if (!v->session[0]) {
		store_session_begin(st, lang, v->session);
		e = (struct logged){ .kind = TK_SESSION,
				     .hash = hash_text(lang) };
		snprintf(e.uuid, sizeof e.uuid, "%s", v->session);
	} else if (p < 25) {
		if (v->view[0]) {
			v->counter += 0.25;
			bool completed = rnd(rng, 2);
			store_view_end(st, v->view, v->counter, completed);
			e = (struct logged){ .kind = TK_VIEW_END,
					     .seconds = v->counter,
					     .a = completed };
			snprintf(e.uuid, sizeof e.uuid, "%s", v->view);
			v->view[0] = '\0';
		} else {
			char item[32];
			snprintf(item, sizeof item, "item-%u",
				 (unsigned)rnd(rng, 40));
			store_view_begin(st, v->session, item, lang, v->view);
			e = (struct logged){ .kind = TK_VIEW,
					     .hash = hash_text(item) };
			snprintf(e.uuid, sizeof e.uuid, "%s", v->view);
			snprintf(e.ref, sizeof e.ref, "%s", v->session);
		}
	} else if (p < 35) {
		const char *from = langs[rnd(rng, ARRAY_LEN(langs))];
		store_lang_switch(st, v->session, from, lang);
		/* the store makes the uuid: taken from the hook */
		e = (struct logged){ .kind = TK_LANG, .hash = hash_text(lang) };
		snprintf(e.ref, sizeof e.ref, "%s", v->session);
	} else if (p < 60) {
		if (!v->attempt[0]) {
			int n = 3 + (int)rnd(rng, 8);
			bool contest = v->contest[0] && rnd(rng, 2);
			struct store_quiz q = {
				.contest = contest ? v->contest : NULL,
				.player = contest ? "Lan" : NULL,
				.topic = rnd(rng, 2) ? "dignity" : NULL,
				.lang = lang, .n_questions = n,
			};
			store_quiz_begin(st, v->session, &q, v->attempt);
			v->answered = v->score = 0;
			v->n_questions = n;
			e = (struct logged){ .kind = TK_QUIZ, .a = n };
			snprintf(e.uuid, sizeof e.uuid, "%s", v->attempt);
			if (contest)
				snprintf(e.ref, sizeof e.ref, "%s", v->contest);
		} else if (v->answered < v->n_questions) {
			char *text = rnd_text(rng, 20 + rnd(rng, 380));
			bool correct = rnd(rng, 2);
			struct store_quiz_answer a = {
				.position = v->answered + 1,
				.question_id = "q-17", .question_lang = lang,
				.question_text = text,
				.chosen = correct ? "2" : "1,3",
				.chosen_text = "an answer", .correct = correct,
				.ms = (int64_t)rnd(rng, 30000),
			};
			store_quiz_answer(st, v->attempt, &a);
			v->answered++;
			v->score += correct;
			e = (struct logged){ .kind = TK_ANSWER,
					     .hash = hash_text(text),
					     .a = a.position };
			snprintf(e.ref, sizeof e.ref, "%s", v->attempt);
			free(text);
		} else {
			v->counter += 0.25;
			store_quiz_end(st, v->attempt, v->score, v->answered,
				       v->counter, true);
			e = (struct logged){ .kind = TK_QUIZ_END, .a = v->score,
					     .b = v->answered,
					     .seconds = v->counter };
			snprintf(e.uuid, sizeof e.uuid, "%s", v->attempt);
			v->attempt[0] = '\0';
		}
	} else if (p < 66) {
		if (!v->contest[0]) {
			char cls[32];
			snprintf(cls, sizeof cls, "Class %u",
				 (unsigned)rnd(rng, 12));
			struct store_contest c = { .class_name = cls,
						   .n_questions = 5,
						   .seconds_per_question = 30 };
			store_contest_begin(st, &c, v->contest);
			e = (struct logged){ .kind = TK_CONTEST,
					     .hash = hash_text(cls) };
			snprintf(e.uuid, sizeof e.uuid, "%s", v->contest);
		} else {
			store_contest_mark(st, v->contest, STORE_CONTEST_ENDED);
			e = (struct logged){ .kind = TK_CONTEST_END };
			snprintf(e.uuid, sizeof e.uuid, "%s", v->contest);
			v->contest[0] = '\0';
		}
	} else if (p < 88) {
		size_t len = big && rnd(rng, 2) ? 2048 + rnd(rng, 2049)
						: 8 + rnd(rng, 120);
		char *detail = rnd_text(rng, len);
		store_operator_action(st, rnd(rng, 2) ? "set-site" : "export",
				      detail);
		e = (struct logged){ .kind = TK_OPERATOR,
				     .hash = hash_text(detail) };
		free(detail);
	} else {
		static const char *const reasons[] = { "idle", "home", "exit" };
		const char *reason = reasons[rnd(rng, 3)];
		store_session_end(st, v->session, reason);
		e = (struct logged){ .kind = TK_SESSION_END,
				     .hash = hash_text(reason) };
		snprintf(e.uuid, sizeof e.uuid, "%s", v->session);
		/* the visitor left: what was open stays open in the log */
		v->session[0] = v->view[0] = v->attempt[0] = '\0';
	}
	lv_push(lv, &e);
}

/* Match the hook's reports against what was logged, in order, and mark
 * the events committed. Returns false with why set when they disagree. */
static bool match_hooked(struct logged_vec *lv, char *why, size_t why_size)
{
	size_t cur = 0;
	bool ok = true;
	pthread_mutex_lock(&hook_lock);
	for (size_t i = 0; i < n_hooked && ok; i++) {
		const struct hooked *h = &hooked[i];
		enum tk k = TK_NONE;
		for (int j = 0; j < TK_COUNT; j++)
			if (strcmp(h->kind, tk_info[j].name) == 0)
				k = (enum tk)j;
		if (k == TK_NONE)
			continue;
		struct logged *e = cur < lv->n ? &lv->v[cur] : NULL;
		if (!e || e->kind != k ||
		    (e->uuid[0] && strcmp(e->uuid, h->uuid) != 0) ||
		    h->update != tk_info[k].update) {
			snprintf(why, why_size, "the hook reported %s %s, not "
				 "the next event logged (%s %s)", h->kind,
				 h->uuid, e ? tk_info[e->kind].name : "none",
				 e ? e->uuid : "");
			ok = false;
			break;
		}
		if (!e->uuid[0])
			snprintf(e->uuid, sizeof e->uuid, "%s", h->uuid);
		e->committed = true;
		e->wall_ms = h->wall_ms;
		e->boot_ms = h->boot_ms;
		cur++;
	}
	n_hooked = 0;
	pthread_mutex_unlock(&hook_lock);
	return ok;
}

/* ------------------------------------------------------------------------
 * The oracle
 * ------------------------------------------------------------------------ */

static const char *const check_sql[TK_COUNT] = {
	[TK_RUN] = "SELECT 1 FROM runs WHERE uuid = ?1",
	[TK_SESSION] = "SELECT lang FROM sessions WHERE uuid = ?1",
	[TK_SESSION_END] = "SELECT ended_wall_ms, ended_boot_ms, end_reason "
			   "FROM sessions WHERE uuid = ?1",
	[TK_VIEW] = "SELECT item_id, session_uuid FROM views WHERE uuid = ?1",
	[TK_VIEW_END] = "SELECT seconds, completed, updated_wall_ms FROM views "
			"WHERE uuid = ?1",
	[TK_LANG] = "SELECT to_lang, session_uuid FROM lang_switches "
		    "WHERE uuid = ?1",
	[TK_CONTEST] = "SELECT class_name FROM contests WHERE uuid = ?1",
	[TK_CONTEST_END] = "SELECT ended_wall_ms FROM contests WHERE uuid = ?1",
	[TK_QUIZ] = "SELECT n_questions, contest_uuid FROM quiz_attempts "
		    "WHERE uuid = ?1",
	[TK_ANSWER] = "SELECT question_text, attempt_uuid, position "
		      "FROM quiz_answers WHERE uuid = ?1",
	[TK_QUIZ_END] = "SELECT ended_wall_ms, score, answered, seconds "
			"FROM quiz_attempts WHERE uuid = ?1",
	[TK_OPERATOR] = "SELECT detail FROM operator_actions WHERE uuid = ?1",
};

struct oracle {
	sqlite3 *db;
	sqlite3_stmt *stmts[TK_COUNT];
};

static uint64_t col_hash(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? fnv(t, (size_t)sqlite3_column_bytes(s, i)) : 0;
}

static bool col_is(sqlite3_stmt *s, int i, const char *text)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	if (!text[0])
		return !t;
	return t && strcmp((const char *)t, text) == 0;
}

/* Is the committed event e in the log, with what was logged? */
static bool oracle_check(struct oracle *o, const struct logged *e)
{
	sqlite3_stmt *s = o->stmts[e->kind];
	if (!s && sqlite3_prepare_v2(o->db, check_sql[e->kind], -1,
				     &o->stmts[e->kind], NULL) != SQLITE_OK)
		return false;
	s = o->stmts[e->kind];
	sqlite3_bind_text(s, 1, e->uuid, -1, SQLITE_STATIC);
	bool ok = sqlite3_step(s) == SQLITE_ROW;
	if (ok) {
		switch (e->kind) {
		case TK_RUN:
			break;
		case TK_SESSION:
		case TK_CONTEST:
		case TK_OPERATOR:
			ok = col_hash(s, 0) == e->hash;
			break;
		case TK_SESSION_END:
			ok = sqlite3_column_int64(s, 0) == e->wall_ms &&
			     sqlite3_column_int64(s, 1) == e->boot_ms &&
			     col_hash(s, 2) == e->hash;
			break;
		case TK_VIEW:
		case TK_LANG:
			ok = col_hash(s, 0) == e->hash && col_is(s, 1, e->ref);
			break;
		case TK_VIEW_END:
			ok = sqlite3_column_double(s, 0) == e->seconds &&
			     sqlite3_column_int64(s, 1) == e->a &&
			     sqlite3_column_int64(s, 2) == e->wall_ms;
			break;
		case TK_CONTEST_END:
			ok = sqlite3_column_int64(s, 0) == e->wall_ms;
			break;
		case TK_QUIZ:
			ok = sqlite3_column_int64(s, 0) == e->a &&
			     col_is(s, 1, e->ref);
			break;
		case TK_ANSWER:
			ok = col_hash(s, 0) == e->hash &&
			     col_is(s, 1, e->ref) &&
			     sqlite3_column_int64(s, 2) == e->a;
			break;
		case TK_QUIZ_END:
			ok = sqlite3_column_int64(s, 0) == e->wall_ms &&
			     sqlite3_column_int64(s, 1) == e->a &&
			     sqlite3_column_int64(s, 2) == e->b &&
			     sqlite3_column_double(s, 3) == e->seconds;
			break;
		case TK_COUNT:
			ok = false;
			break;
		}
	}
	sqlite3_reset(s);
	return ok;
}

/* Open the log as a plain connection: the unix VFS (no shim), no
 * checkpoint at close, so looking changes nothing on disk. Returns
 * whether PRAGMA integrity_check said "ok"; *first is its first line. */
static bool oracle_open(struct oracle *o, const char *path, char *first,
			size_t first_size)
{
	memset(o, 0, sizeof *o);
	snprintf(first, first_size, "(no answer)");
	if (sqlite3_open_v2(path, &o->db, SQLITE_OPEN_READWRITE, "unix") !=
	    SQLITE_OK) {
		snprintf(first, first_size, "open: %s", sqlite3_errmsg(o->db));
		return false;
	}
	sqlite3_db_config(o->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	/* reads through a mapping: the checks read the whole log */
	sqlite3_exec(o->db, "PRAGMA mmap_size = 268435456", NULL, NULL, NULL);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(o->db, "PRAGMA integrity_check", -1, &s, NULL) !=
	    SQLITE_OK) {
		snprintf(first, first_size, "%s", sqlite3_errmsg(o->db));
		return false;
	}
	bool ok = false;
	int rows = 0, rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		if (rows++ == 0) {
			snprintf(first, first_size, "%s", t ? t : "(null)");
			ok = t && strcmp(t, "ok") == 0;
		}
	}
	if (rc != SQLITE_DONE) {
		snprintf(first, first_size, "%s", sqlite3_errmsg(o->db));
		ok = false;
	}
	sqlite3_finalize(s);
	return ok && rows == 1;
}

static void oracle_close(struct oracle *o)
{
	for (int k = 0; k < TK_COUNT; k++)
		sqlite3_finalize(o->stmts[k]);
	sqlite3_close(o->db);
	o->db = NULL;
}

/* ------------------------------------------------------------------------
 * The rounds
 * ------------------------------------------------------------------------ */

/* One arm of the test and its figures. */
struct arm {
	const char *name;
	bool sync_off;
	int rounds;
	char *dir, *path;
	struct logged_vec all;     /* committed events believed in the log */
	size_t prev_first;         /* the previous round's first in all */
	bool first_next;           /* aim the next round at AIM_FIRST */
	/* figures */
	int crashes, crash_kind[FK_COUNT], crash_sync, crash_ckpt;
	int crash_restart, crash_forced, aimed[AIM_COUNT_OF], big_rounds;
	int cut_in_open;           /* the power went while store_open ran */
	int integrity_ok, integrity_failed, start_failed, rounds_lost;
	int rounds_lost_intact;    /* events lost, integrity_check ok */
	int rounds_failed, fresh_logs;
	int logs;                  /* logs begun (a new one every LOG_ROUNDS) */
	uint64_t committed, checked, rechecked, lost;
	uint64_t checkpoints, wal_restarts, max_db_kb;
	struct fates fates;
	double seconds;
	bool ran;
	char *failures[5];         /* the first failures, for the report */
	int first_failed;          /* 1-based round of the first, or 0 */
};

static struct arm arms[2] = {
	{ .name = "FULL" },
	{ .name = "OFF", .sync_off = true },
};

static uint64_t master_seed;
static int log_fd = -1, saved_stderr = -1;
static char *log_path;

/* The store's log lines (errors after each cut) go to crashvfs.log. */
static void quiet_begin(void)
{
	if (log_fd < 0)
		return;
	fflush(stderr);
	saved_stderr = dup(2);
	dup2(log_fd, 2);
}

static void quiet_end(void)
{
	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	saved_stderr = -1;
}

static int64_t env_int(const char *name, int64_t def)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	char *end;
	long long n = strtoll(v, &end, 0);
	if (*end || n < 0)
		fail_msg("%s=%s: not a number", name, v);
	return n;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void remove_log(const char *path)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < ARRAY_LEN(sfx); i++) {
		char *p = xasprintf("%s%s", path, sfx[i]);
		unlink(p);
		free(p);
	}
}

/* Check n events (the first failure described in why); returns how
 * many are not in the log as logged, and marks them in lost[]. */
static size_t check_events(struct oracle *o, const struct logged *evs,
			   const size_t *idx, size_t n, bool *lost, char *why,
			   size_t why_size)
{
	size_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		const struct logged *e = &evs[idx[i]];
		if (oracle_check(o, e))
			continue;
		if (!bad++)
			snprintf(why, why_size, "%s %s, committed in round %d, "
				 "is not in the log as logged",
				 tk_info[e->kind].name, e->uuid, e->round);
		lost[idx[i]] = true;
	}
	return bad;
}

static const char *const op_name[] = { "write", "sync", "truncate" };

/* Where the last cut was, in words; caller frees. */
static char *crash_words(void)
{
	pthread_mutex_lock(&shim.lock);
	struct crash_info ci = shim.crash;
	pthread_mutex_unlock(&shim.lock);
	return xasprintf("at a %s of the %s file%s%s", op_name[ci.op],
			 fk_name[ci.kind],
			 ci.in_ckpt ? ", in a checkpoint" : "",
			 ci.restart_pending ? ", a WAL restart unsynced" : "");
}

/* A failure of the test's own machinery (not of the store): stop. */
static void round_fail(struct arm *arm, int r, uint64_t rseed,
		       const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void round_fail(struct arm *arm, int r, uint64_t rseed,
		       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	quiet_end();
	fprintf(stderr, "crashvfs: %s round %d (seed 0x%016" PRIx64
		", round seed 0x%016" PRIx64 "): %s\n", arm->name, r + 1,
		master_seed, rseed, msg);
	fail_msg("%s", msg);
}

/* A round the oracle failed: counted, and the first few described. */
static void round_failed(struct arm *arm, int r, enum aim aim,
			 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void round_failed(struct arm *arm, int r, enum aim aim,
			 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	arm->rounds_failed++;
	if (!arm->first_failed)
		arm->first_failed = r + 1;
	for (size_t i = 0; i < ARRAY_LEN(arm->failures); i++) {
		if (!arm->failures[i]) {
			char *where = crash_words();
			arm->failures[i] = xasprintf("round %d (aimed %s), "
						     "cut %s: %s", r + 1,
						     aim_name[aim], where, msg);
			free(where);
			break;
		}
	}
	free(msg);
}

static void run_round(struct arm *arm, int r, uint64_t rseed)
{
	uint64_t rng = rseed;
	char why[512] = "";
	struct logged_vec lv = { 0 };
	struct store_identity id = { .kiosk_id = "kiosk-07",
				     .site = "Krong Buk" };

	if (r > 0 && r % LOG_ROUNDS == 0) {
		remove_log(arm->path);
		arm->all.n = arm->prev_first = 0;
		arm->logs++;
	}

	/* Where to cut: mostly anywhere; some rounds aim at a checkpoint,
	 * a WAL restart, or the rest of a commit (just after its sync),
	 * and the round after that one at the first writes after the
	 * recovery, store_open's included (it is armed before it). */
	uint64_t p = rnd(&rng, 20);
	enum aim aim = p < 14 ? AIM_COUNT : p < 16 ? AIM_CKPT :
		       p < 18 ? AIM_RESTART : AIM_AFTER_SYNC;
	if (arm->sync_off && aim == AIM_AFTER_SYNC)
		aim = AIM_COUNT;       /* nothing is synced */
	if (arm->first_next)
		aim = AIM_FIRST;
	arm->first_next = aim == AIM_AFTER_SYNC;
	bool big = rnd(&rng, 3) == 0;
	uint64_t at = 1 + rnd(&rng, UNIFORM_SPAN), arm_seed = splitmix(&rng);
	arm->aimed[aim]++;
	arm->big_rounds += big;
	if (aim == AIM_FIRST)
		shim_arm(aim, at, arm_seed);

	quiet_begin();
	struct store *st = store_open(arm->path, &id);
	if (!st && !shim_dead()) {
		quiet_end();
		shim_disarm();
		arm->start_failed++;
		round_failed(arm, r, aim, "the kiosk does not start: "
			     "store_open failed (see %s)", log_path);
		arm->fresh_logs++;
		remove_log(arm->path);
		arm->all.n = arm->prev_first = 0;
		return;
	}
	if (st) {
		store_set_commit_hook(st, commit_hook, NULL);
		store_run_begin(st, "crashvfs");
		lv_push(&lv, &(struct logged){ .kind = TK_RUN });
	}
	if (st && arm->sync_off) {
		store_flush(st);
		char *err = NULL;
		if (sqlite3_exec(store_database(st), "PRAGMA synchronous=OFF",
				 NULL, NULL, &err) != SQLITE_OK)
			round_fail(arm, r, rseed, "synchronous=OFF: %s", err);
	}
	if (aim != AIM_FIRST)
		shim_arm(aim, at, arm_seed);

	struct visit v = { .counter = r * 10000.0 };
	int events = 0;
	while (st && !shim_dead() && events < MAX_EVENTS_PER_ROUND) {
		int group = 1 + (int)rnd(&rng, 6);
		for (int i = 0; i < group; i++, events++)
			log_one(st, &v, &rng, big, &lv);
		store_flush(st);
	}
	if (!shim_dead()) {
		arm->crash_forced++;
		shim_cut_next();
	}
	store_close(st);
	quiet_end();
	if (!st)
		arm->cut_in_open++;

	pthread_mutex_lock(&shim.lock);
	bool cut = shim.dead;
	struct crash_info ci = shim.crash;
	pthread_mutex_unlock(&shim.lock);
	if (!cut)
		round_fail(arm, r, rseed, "store_close did no write: no cut");
	arm->crashes++;
	arm->crash_kind[ci.kind]++;
	arm->crash_sync += ci.op == OP_SYNC;
	arm->crash_ckpt += ci.in_ckpt;
	arm->crash_restart += ci.restart_pending;

	struct stat sb;
	if (stat(arm->path, &sb) == 0 && (uint64_t)sb.st_size / 1024 >
					 arm->max_db_kb)
		arm->max_db_kb = (uint64_t)sb.st_size / 1024;

	shim_reboot(arm->path, splitmix(&rng), &arm->fates);

	if (!match_hooked(&lv, why, sizeof why))
		round_fail(arm, r, rseed, "%s", why);

	/* This round's committed events join the expected ones. */
	size_t first_new = arm->all.n;
	for (size_t i = 0; i < lv.n; i++) {
		if (lv.v[i].committed) {
			lv.v[i].round = r + 1;
			lv_push(&arm->all, &lv.v[i]);
			arm->committed++;
		}
	}
	free(lv.v);
	size_t n_new = arm->all.n - first_new;

	struct oracle o;
	char first[256];
	bool intact = oracle_open(&o, arm->path, first, sizeof first);
	if (intact)
		arm->integrity_ok++;
	else
		arm->integrity_failed++;

	/* Which events to look at: this round's and the round before's,
	 * and some earlier ones at random; all of them every
	 * RECHECK_ALL_EVERY rounds and at the end of a log. */
	bool all = (r + 1) % RECHECK_ALL_EVERY == 0 ||
		   (r + 1) % LOG_ROUNDS == 0 || r + 1 == arm->rounds;
	size_t n_check = 0;
	size_t *idx = xmalloc((arm->all.n + RECHECK_SAMPLE + 1) *
			      sizeof *idx);
	size_t from = all ? 0 : arm->prev_first;
	for (size_t i = from; i < arm->all.n; i++)
		idx[n_check++] = i;
	for (int k = 0; k < RECHECK_SAMPLE && from; k++)
		idx[n_check++] = (size_t)rnd(&rng, from);
	bool *lost = xcalloc(arm->all.n + 1, sizeof *lost);
	char why_lost[256] = "";
	check_events(&o, arm->all.v, idx, n_check, lost, why_lost,
		     sizeof why_lost);
	arm->checked += n_new;
	arm->rechecked += n_check - n_new;
	oracle_close(&o);
	free(idx);

	/* Count each loss once, and a damaged log starts anew (a new
	 * kiosk). */
	size_t n_lost = 0, keep = 0;
	for (size_t i = 0; i < arm->all.n; i++) {
		if (lost[i]) {
			n_lost++;
		} else {
			if (i == first_new)
				first_new = keep;
			arm->all.v[keep++] = arm->all.v[i];
		}
	}
	if (first_new > keep)
		first_new = keep;
	arm->all.n = keep;
	arm->lost += n_lost;
	free(lost);
	if (n_lost) {
		arm->rounds_lost++;
		arm->rounds_lost_intact += intact;
	}
	if (!intact || n_lost)
		round_failed(arm, r, aim, "integrity_check: %s; %zu committed "
			     "events lost (of %zu checked)%s%s", first, n_lost,
			     n_check, n_lost ? "; the first: " : "",
			     why_lost);
	arm->prev_first = first_new;
	if (!intact) {
		arm->fresh_logs++;
		remove_log(arm->path);
		arm->all.n = arm->prev_first = 0;
	}
}

static void run_arm(struct arm *arm)
{
	arm->dir = test_tmpdir();
	arm->path = path_join(arm->dir, STORE_LOG_FILENAME);
	arm->logs = 1;
	const char *selftest = getenv("KIOSK_CRASH_SELFTEST");
	bool ignore_syncs = !arm->sync_off && selftest &&
			    strcmp(selftest, "ignore-sync") == 0;
	bool fake_psow = !arm->sync_off && selftest &&
			 strcmp(selftest, "psow") == 0;
	pthread_mutex_lock(&shim.lock);
	shim.ignore_syncs = ignore_syncs;
	shim.fake_psow = fake_psow;
	uint64_t ckpt0 = shim.checkpoints, restarts0 = shim.wal_restarts;
	shim.db_psow = -1;
	pthread_mutex_unlock(&shim.lock);
	if (ignore_syncs)
		printf("crashvfs: SELF-TEST: the shim ignores xSync in the "
		       "FULL arm once armed; this run must fail\n");
	if (fake_psow)
		printf("crashvfs: SELF-TEST: the log's file claims powersafe "
		       "overwrite in the FULL arm (as without psow=0); this "
		       "run must fail\n");
	fflush(stdout);

	uint64_t seed = master_seed ^ (arm->sync_off ? UINT64_C(0x0ff) : 0);
	double t0 = now_s();
	for (int r = 0; r < arm->rounds; r++)
		run_round(arm, r, splitmix(&seed));

	/* The kiosk starts once more on the last round's log and closes
	 * cleanly. */
	struct store_identity id = { .kiosk_id = "kiosk-07", .site = "x" };
	quiet_begin();
	struct store *st = store_open(arm->path, &id);
	store_close(st);
	quiet_end();
	if (!st) {
		arm->start_failed++;
		round_failed(arm, arm->rounds, AIM_COUNT, "the kiosk does not "
			     "start on the last log");
	}
	arm->seconds = now_s() - t0;

	pthread_mutex_lock(&shim.lock);
	arm->checkpoints = shim.checkpoints - ckpt0;
	arm->wal_restarts = shim.wal_restarts - restarts0;
	int psow = shim.db_psow;
	shim.ignore_syncs = shim.fake_psow = false;
	pthread_mutex_unlock(&shim.lock);
	/* the store's psow=0 reached the VFS: torn sectors are fair game */
	assert_int_equal(psow, 0);
	arm->ran = true;
	free(arm->all.v);
	arm->all = (struct logged_vec){ 0 };
}

static double pct(int a, int b)
{
	return b ? 100.0 * a / b : 0.0;
}

static void print_arm(const struct arm *a)
{
	const struct fates *f = &a->fates;
	printf("crashvfs: %s: %d rounds in %.1f s (cut aimed at a checkpoint "
	       "%d, at a WAL restart %d, just after a WAL sync %d and then at "
	       "the first writes after the reboot %d; %d with big details), "
	       "crashes %d: WAL %d (%.0f%%), DB %d (%.0f%%), journal %d, at a "
	       "sync %d, in a checkpoint %d (%.0f%%), with a WAL restart "
	       "unsynced %d, during store_open %d, forced at close %d\n",
	       a->name, a->rounds, a->seconds, a->aimed[AIM_CKPT],
	       a->aimed[AIM_RESTART], a->aimed[AIM_AFTER_SYNC],
	       a->aimed[AIM_FIRST], a->big_rounds,
	       a->crashes, a->crash_kind[FK_WAL],
	       pct(a->crash_kind[FK_WAL], a->crashes), a->crash_kind[FK_DB],
	       pct(a->crash_kind[FK_DB], a->crashes), a->crash_kind[FK_JOURNAL],
	       a->crash_sync, a->crash_ckpt, pct(a->crash_ckpt, a->crashes),
	       a->crash_restart, a->cut_in_open, a->crash_forced);
	printf("crashvfs: %s: checkpoints begun %" PRIu64 ", WAL restarts %"
	       PRIu64 ", a log up to %" PRIu64 " KB; unsynced writes at the "
	       "cuts: kept %" PRIu64 ", dropped %" PRIu64 ", size only %" PRIu64
	       ", garbled %" PRIu64 ", torn %" PRIu64 " (%" PRIu64 " sectors "
	       "trashed, %" PRIu64 " reaching past the write); truncates kept %"
	       PRIu64 ", dropped %" PRIu64 "\n", a->name, a->checkpoints,
	       a->wal_restarts, a->max_db_kb, f->kept, f->dropped, f->zero_ext,
	       f->garbled, f->torn, f->trashed_sectors, f->trashed_outside,
	       f->trunc_kept, f->trunc_dropped);
	printf("crashvfs: %s: integrity ok %d, failed %d; kiosk did not "
	       "start %d; committed events %" PRIu64 ", checked after their "
	       "cut %" PRIu64 ", re-checked later %" PRIu64 ", lost %" PRIu64
	       "; rounds losing committed events %d (%d of them with "
	       "integrity ok), rounds with any failure %d; logs %d, of them "
	       "begun after a damaged one %d\n",
	       a->name, a->integrity_ok, a->integrity_failed, a->start_failed,
	       a->committed, a->checked, a->rechecked, a->lost, a->rounds_lost,
	       a->rounds_lost_intact, a->rounds_failed,
	       a->logs + a->fresh_logs, a->fresh_logs);
	if (a->sync_off) {
		fflush(stdout);
		return;     /* the control's failures are expected */
	}
	for (size_t i = 0; i < ARRAY_LEN(a->failures) && a->failures[i]; i++)
		printf("crashvfs: %s: failed %s\n", a->name, a->failures[i]);
	if (a->first_failed)
		printf("crashvfs: %s: to replay the first failure: "
		       "KIOSK_CRASH_SEED=0x%016" PRIx64
		       " KIOSK_CRASH_ROUNDS=%d\n",
		       a->name, master_seed, a->first_failed);
	fflush(stdout);
}

/* ------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------ */

static void test_full(void **state)
{
	(void)state;
	struct arm *a = &arms[0];
	run_arm(a);
	print_arm(a);
	assert_int_equal(a->crashes, a->rounds);
	if (a->rounds_failed)
		fail_msg("synchronous=FULL: %d of %d rounds lost committed "
			 "events or left a damaged log (the first: round %d)",
			 a->rounds_failed, a->rounds, a->first_failed);
}

static void test_off_control(void **state)
{
	(void)state;
	struct arm *a = &arms[1];
	run_arm(a);
	print_arm(a);
	/* the oracle can see a lost event or a damaged log */
	assert_true(a->rounds_failed > 0);
	const struct arm *f = &arms[0];
	if (f->ran)
		printf("crashvfs: FULL: %d crashes (%.0f%% WAL, %.0f%% DB, "
		       "%.0f%% in checkpoint), integrity ok %d, committed "
		       "events checked %" PRIu64 ", lost %" PRIu64 "; OFF: %d "
		       "crashes, integrity failed %d, rounds losing committed "
		       "events %d\n", f->crashes,
		       pct(f->crash_kind[FK_WAL], f->crashes),
		       pct(f->crash_kind[FK_DB], f->crashes),
		       pct(f->crash_ckpt, f->crashes), f->integrity_ok,
		       f->checked, f->lost, a->crashes, a->integrity_failed,
		       a->rounds_lost);
}

static int group_setup(void **state)
{
	(void)state;
	int64_t rounds = env_int("KIOSK_CRASH_ROUNDS", DEFAULT_ROUNDS);
	arms[0].rounds = (int)(rounds > 0 ? rounds : 1);
	arms[1].rounds = (int)(rounds * 2 / 5 > 10 ? rounds * 2 / 5 : 10);
	const char *s = getenv("KIOSK_CRASH_SEED");
	if (s && *s) {
		master_seed = strtoull(s, NULL, 0);
	} else {
		if (getrandom(&master_seed, sizeof master_seed, 0) !=
		    (ssize_t)sizeof master_seed)
			master_seed = (uint64_t)time(NULL);
	}
	printf("crashvfs: seed 0x%016" PRIx64 " (KIOSK_CRASH_SEED=0x%016" PRIx64
	       " replays it), %d + %d rounds\n", master_seed, master_seed,
	       arms[0].rounds, arms[1].rounds);
	fflush(stdout);
	det_seed(master_seed);

	shim.real = sqlite3_vfs_find("unix");
	if (!shim.real)
		return -1;
	shim_vfs.szOsFile = (int)sizeof(struct shim_file) + shim.real->szOsFile;
	shim_vfs.mxPathname = shim.real->mxPathname;
	if (sqlite3_vfs_register(&shim_vfs, 1) != SQLITE_OK)
		return -1;

	log_path = test_build_path("crashvfs.log");
	log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
		      O_CLOEXEC, 0644);
	printf("crashvfs: the store's log lines: %s\n", log_path);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	quiet_end();
	sqlite3_vfs_unregister(&shim_vfs);
	shim_free_nodes();
	for (size_t i = 0; i < ARRAY_LEN(arms); i++) {
		test_rmtree(arms[i].dir);
		free(arms[i].dir);
		for (size_t k = 0; k < ARRAY_LEN(arms[i].failures); k++)
			free(arms[i].failures[k]);
		free(arms[i].path);
		free(arms[i].all.v);
	}
	free(hooked);
	if (log_fd >= 0)
		close(log_fd);
	free(log_path);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_off_control),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
