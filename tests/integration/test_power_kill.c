/*
 * test_power_kill: the real kiosk, under heavy synthetic activity, killed
 * with SIGKILL at random moments again and again, and restarted on the
 * same data directory each time. After every kill:
 *   - PRAGMA integrity_check of the log is "ok";
 *   - every event the kiosk had reported committed before the kill is in
 *     the log (a begun view, session, quiz attempt, answer, language
 *     switch, operator action by its uuid; an ended view, session or
 *     attempt with its end written);
 *   - the kiosk starts on that data directory again (the next round is
 *     that start; the last one runs and quits cleanly, and every killed
 *     run must then be marked 'crash' in the runs table).
 *
 * Each round forks a child that builds the real app (app_create, the same
 * code `kiosk run` runs, on the demo library, headless) and drives it like
 * a restless crowd: a key or a tap at random every few milliseconds of the
 * loop, chosen by the scene on top (arrows and Enter through the language
 * picker, into items, quizzes and answers, Escape out, a tap anywhere now
 * and then; the quiz picker is opened directly, as test_quiz does), with a
 * 5 s idle timeout ending sessions. The store's commit hook (store_set_commit_hook) writes
 * one line per committed event into a pipe the parent reads: what the
 * kiosk has "reported committed". The parent kills the child at a random
 * moment between its fork and ROUND_MS_MAX later, so kills land during
 * start-up, during commits and between them.
 *
 * A SIGKILL loses the process, not the operating system's page cache, so
 * this proves the kiosk's own part: nothing committed is lost, nothing is
 * half-written, the next start copes. That a commit survives a power cut
 * below the process (synchronous=FULL in WAL mode) is proved by
 * tests/unit/test_crashvfs.c.
 *
 * The figure for the README: how long an event waits in memory before it
 * is committed (the time from its logging to its commit being reported),
 * the most events a cut can lose; and, at each kill, the time since the
 * last commit.
 *
 * KIOSK_POWER_KILLS: rounds (default 200). KIOSK_POWER_SEED: the seed
 * (default from the clock; printed). The children's log goes to
 * power_kill.log in the build directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/log.h"
#include "base/util.h"
#include "store/store.h"
#include "test_kiosk.h"
#include "test_support.h"
#include "ui/app.h"

#define DEFAULT_KILLS 200
#define ROUND_MS_MAX 2400       /* a kill comes 0..this after the fork */
#define CHILD_EXIT_READY_FAIL 3 /* the child could not create the app */
#define WIN_W 640
#define WIN_H 360

/* ---- helpers ------------------------------------------------------------ */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
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

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(4);
		buf += n;
		len -= (size_t)n;
	}
}

/* ---- the child: the kiosk and its crowd --------------------------------- */

static int report_fd = -1;

/* The commit hook: one line per event, each one write() (under PIPE_BUF,
 * so a kill never leaves half a line). */
static void on_commit(void *user, const struct store_commit_event *evs,
		      size_t n)
{
	(void)user;
	int64_t now = time_boot_ms();
	for (size_t i = 0; i < n; i++) {
		char line[256];
		int len = snprintf(line, sizeof line,
				   "C %s %s %s %d %" PRId64 " %" PRId64 " %"
				   PRId64 "\n", evs[i].kind, evs[i].table,
				   evs[i].uuid[0] ? evs[i].uuid : "-",
				   evs[i].update ? 1 : 0, evs[i].wall_ms,
				   evs[i].boot_ms, now);
		if (len > 0 && (size_t)len < sizeof line)
			write_all(report_fd, line, (size_t)len);
	}
}

static void crowd_key(struct app *app, SDL_Keycode sym)
{
	SDL_Event e = { 0 };
	e.type = SDL_KEYDOWN;
	e.key.keysym.sym = sym;
	SDL_PushEvent(&e);
	e.type = SDL_KEYUP;
	SDL_PushEvent(&e);
}

static void crowd_tap(struct app *app, int x, int y)
{
	int w, h;
	app_size(app, &w, &h);
	SDL_Event e = { 0 };
	e.type = SDL_FINGERDOWN;
	e.tfinger.fingerId = 3;
	e.tfinger.x = (float)x / (float)w;
	e.tfinger.y = (float)y / (float)h;
	SDL_PushEvent(&e);
	e.type = SDL_FINGERUP;
	SDL_PushEvent(&e);
}

/* One move of the crowd, chosen by what is on screen: through the
 * language picker to the home screen, into items and quizzes, answers,
 * back out; now and then a tap anywhere or a language change. */
static void crowd_act(struct app *app, uint64_t *seed)
{
	static const SDL_Keycode moves[] = {
		SDLK_LEFT, SDLK_RIGHT, SDLK_UP, SDLK_DOWN,
	};
	uint64_t r = splitmix(seed);
	const char *top = app_top(app)->ops->name;
	unsigned dice = (unsigned)(r % 100);
	SDL_Keycode move = moves[(r >> 8) % ARRAY_LEN(moves)];
	if (dice < 6) {
		crowd_tap(app, (int)((r >> 16) % WIN_W),
			  (int)((r >> 32) % WIN_H));
	} else if (strcmp(top, "attract") == 0) {
		crowd_key(app, SDLK_RETURN);
	} else if (strcmp(top, "home") == 0) {
		if (dice < 12)
			crowd_key(app, SDLK_ESCAPE);   /* back to the picker */
		else if (dice < 22)   /* the quiz button, wherever it is */
			app_push(app, scene_quizpick_create(app));
		else
			crowd_key(app, dice < 55 ? move : SDLK_RETURN);
	} else if (strcmp(top, "viewer") == 0) {
		if (dice < 25)
			crowd_key(app, SDLK_ESCAPE);
		else if (dice < 35)
			crowd_key(app, SDLK_PAGEDOWN);
	} else if (strcmp(top, "quiz") == 0 || strcmp(top, "quizpick") == 0 ||
		   strcmp(top, "langpick") == 0 || strcmp(top, "browse") == 0 ||
		   strcmp(top, "search") == 0) {
		if (dice < 10)
			crowd_key(app, SDLK_ESCAPE);
		else
			crowd_key(app, dice < 50 ? move : SDLK_RETURN);
	} else {
		crowd_key(app, SDLK_ESCAPE);
	}
}

/* In the child: its output to log_path, and the real app on data (the
 * demo library, a small window). Exits when the app cannot be made. */
static struct app *child_app(const char *data, const char *log_path,
			     int idle_timeout_s)
{
	int lfd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (lfd >= 0) {
		dup2(lfd, STDOUT_FILENO);
		dup2(lfd, STDERR_FILENO);
		close(lfd);
	}
	static struct kiosk_config cfg;   /* outlives the app */
	config_defaults(&cfg);
	char *demo = test_source_path("content");
	char *locales = test_source_path("locales");
	snprintf(cfg.content_dir, sizeof cfg.content_dir, "%s", demo);
	snprintf(cfg.locales_dir, sizeof cfg.locales_dir, "%s", locales);
	snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", data);
	free(demo);
	free(locales);
	cfg.fullscreen = false;
	cfg.window_w = WIN_W;
	cfg.window_h = WIN_H;
	if (idle_timeout_s)
		cfg.idle_timeout_s = idle_timeout_s;
	struct app_options opt = { .software_renderer = true };
	struct app *app = app_create(&cfg, &opt);
	if (!app)
		_exit(CHILD_EXIT_READY_FAIL);
	return app;
}

/* The kiosk and its crowd, reporting commits on fd, until killed. */
static _Noreturn void child_main(const char *data, const char *log_path,
				 int fd, uint64_t seed)
{
	report_fd = fd;
	struct app *app = child_app(data, log_path, 5);
	store_set_commit_hook(app_store(app), on_commit, NULL);
	write_all(fd, "R\n", 2);
	for (;;) {
		crowd_act(app, &seed);
		uint64_t r = splitmix(&seed);
		int64_t until = time_mono_ms() + 3 + (int64_t)(r % 10);
		while (time_mono_ms() < until)
			app_step(app, 2);
	}
}

/* The last start: the app comes up, runs a moment, quits cleanly. */
static _Noreturn void child_clean(const char *data, const char *log_path)
{
	struct app *app = child_app(data, log_path, 0);
	int64_t end = time_mono_ms() + 500;
	while (time_mono_ms() < end)
		app_step(app, 5);
	bool attract = strcmp(app_top(app)->ops->name, "attract") == 0;
	app_destroy(app);
	_exit(attract ? 0 : 5);
}

/* ---- the parent: what was reported, and the check ----------------------- */

struct reported {
	char kind[24], table[24], uuid[STORE_UUID_LEN];
	bool update;
	int64_t wall_ms, boot_ms, commit_ms;
};

struct tally {
	struct reported *ev;
	size_t n, cap;
	size_t by_kind[8];         /* views, view ends, sessions, answers,
				    * switches, attempts, other, checked */
	int64_t max_wait_ms;       /* longest logging-to-commit */
	int64_t sum_wait_ms;
	int64_t max_since_commit_ms; /* at a kill, since the last commit */
	int64_t last_commit_ms;
	int64_t ready_ms;          /* when the last child said it was up */
	int64_t sum_start_ms, max_start_ms; /* fork to up */
	int kinds_of_kill[3];      /* at start, near a commit, anywhere */
};

static void parse_line(struct tally *t, char *line, bool *ready)
{
	if (strcmp(line, "R") == 0) {
		*ready = true;
		t->ready_ms = time_boot_ms();
		return;
	}
	struct reported r = { 0 };
	int up = 0;
	if (sscanf(line, "C %23s %23s %36s %d %" SCNd64 " %" SCNd64 " %"
		   SCNd64, r.kind, r.table, r.uuid, &up, &r.wall_ms,
		   &r.boot_ms, &r.commit_ms) != 7)
		fail_msg("power_kill: a line the child wrote is garbled: %s",
			 line);
	r.update = up != 0;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->ev = xrealloc(t->ev, t->cap * sizeof *t->ev);
	}
	t->ev[t->n++] = r;
	int64_t wait = r.commit_ms - r.boot_ms;
	if (wait > t->max_wait_ms)
		t->max_wait_ms = wait;
	t->sum_wait_ms += wait;
	if (r.commit_ms > t->last_commit_ms)
		t->last_commit_ms = r.commit_ms;
}

/* Read whatever the child has written, until deadline_ms (boot clock) or
 * the pipe's end; once the child says it is up, the deadline becomes
 * after_ready_ms after that if after_ready_ms >= 0. Returns false at the
 * end of the pipe. */
static bool read_reports(int fd, char *buf, size_t *have, size_t size,
			 struct tally *t, bool *ready, int64_t deadline_ms,
			 int64_t after_ready_ms)
{
	for (;;) {
		if (*ready && after_ready_ms >= 0) {
			deadline_ms = t->ready_ms + after_ready_ms;
			after_ready_ms = -1;
		}
		int64_t left = deadline_ms - time_boot_ms();
		if (left <= 0)
			return true;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int rc = poll(&p, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		assert_true(rc >= 0);
		if (rc == 0)
			return true;
		ssize_t n = read(fd, buf + *have, size - 1 - *have);
		if (n < 0 && errno == EINTR)
			continue;
		assert_true(n >= 0);
		if (n == 0)
			return false;
		*have += (size_t)n;
		buf[*have] = '\0';
		char *start = buf, *nl;
		while ((nl = strchr(start, '\n'))) {
			*nl = '\0';
			parse_line(t, start, ready);
			start = nl + 1;
		}
		*have = (size_t)(buf + *have - start);
		memmove(buf, start, *have);
	}
}

static int64_t query_int(sqlite3 *db, const char *sql, const char *text)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (text)
		sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	int64_t v = -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The SQL that proves one reported event is in the log (NULL: an event
 * whose row is not its own, checked no further). */
static const char *check_sql(const struct reported *r, size_t *slot)
{
	static const struct {
		const char *kind, *sql;
		size_t slot;
	} checks[] = {
		{ "view-begin", "SELECT count(*) FROM views WHERE uuid = ?1", 0 },
		{ "view-end", "SELECT count(*) FROM views WHERE uuid = ?1 AND "
			      "updated_wall_ms >= ?2", 1 },
		{ "session-begin", "SELECT count(*) FROM sessions WHERE uuid = ?1", 2 },
		{ "session-end", "SELECT count(*) FROM sessions WHERE uuid = ?1 "
				 "AND ended_wall_ms IS NOT NULL", 2 },
		{ "quiz-answer", "SELECT count(*) FROM quiz_answers WHERE uuid = ?1", 3 },
		{ "lang-switch", "SELECT count(*) FROM lang_switches WHERE uuid = ?1", 4 },
		{ "quiz-begin", "SELECT count(*) FROM quiz_attempts WHERE uuid = ?1", 5 },
		{ "quiz-end", "SELECT count(*) FROM quiz_attempts WHERE uuid = ?1 "
			      "AND ended_wall_ms IS NOT NULL", 5 },
		{ "run-begin", "SELECT count(*) FROM runs WHERE uuid = ?1", 6 },
		{ "run-alive", "SELECT count(*) FROM runs WHERE uuid = ?1", 6 },
		{ "problem", "SELECT count(*) FROM problems WHERE uuid = ?1", 6 },
		{ "operator", "SELECT count(*) FROM operator_actions WHERE uuid = ?1", 6 },
	};
	for (size_t i = 0; i < ARRAY_LEN(checks); i++) {
		if (strcmp(checks[i].kind, r->kind) == 0) {
			*slot = checks[i].slot;
			return checks[i].sql;
		}
	}
	return NULL;
}

/* Check the log after a kill: integrity, and every event reported so far
 * (from index from on; earlier ones were checked after earlier kills and
 * are checked again at the end). Returns the number checked. */
static size_t check_log(const char *db_path, struct tally *t, size_t from,
			int round)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE,
					 NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
					    &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	const char *res = (const char *)sqlite3_column_text(s, 0);
	if (!res || strcmp(res, "ok") != 0)
		fail_msg("power_kill: round %d: integrity_check: %s", round,
			 res ? res : "(null)");
	sqlite3_finalize(s);

	size_t checked = 0;
	for (size_t i = from; i < t->n; i++) {
		const struct reported *r = &t->ev[i];
		size_t slot = 6;
		const char *sql = check_sql(r, &slot);
		if (!sql)
			continue;
		sqlite3_stmt *q = NULL;
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL),
				 SQLITE_OK);
		sqlite3_bind_text(q, 1, r->uuid, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(q) >= 2)
			sqlite3_bind_int64(q, 2, r->wall_ms);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		int64_t found = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		if (found != 1)
			fail_msg("power_kill: round %d: %s %s was reported "
				 "committed but is not in the log", round,
				 r->kind, r->uuid);
		checked++;
		if (round >= 0)
			t->by_kind[slot]++;
	}
	sqlite3_close(db);
	return checked;
}

static void test_power_kill(void **state)
{
	(void)state;
	ensure_media();
	int64_t rounds = env_int("KIOSK_POWER_KILLS", DEFAULT_KILLS);
	uint64_t seed = (uint64_t)env_int("KIOSK_POWER_SEED",
					  (int64_t)(time_wall_ms() & 0xffffffff));
	printf("power_kill: seed %" PRIu64 " (KIOSK_POWER_SEED=%" PRIu64
	       " replays it), %" PRId64 " kills\n", seed, seed, rounds);
	char *data = test_tmpdir();
	char *db_path = path_join(data, STORE_LOG_FILENAME);
	char *log_path = test_build_path("power_kill.log");
	unlink(log_path);

	struct tally t = { 0 };
	int started = 0, not_ready = 0;
	int64_t t0 = time_mono_ms();
	size_t buf_size = 1 << 16;
	char *buf = xmalloc(buf_size);
	for (int round = 0; round < rounds; round++) {
		int fds[2];
		assert_int_equal(pipe(fds), 0);
		uint64_t child_seed = splitmix(&seed);
		/* Where the kill lands: during the start (one round in ten),
		 * around the first commit, a second after the start (four in
		 * ten: commits are short and would rarely be hit), or
		 * anywhere in ROUND_MS_MAX. */
		uint64_t r = splitmix(&seed);
		int64_t delay, after_ready = -1;
		if (round % 10 == 0) {
			delay = (int64_t)(r % 60);
			t.kinds_of_kill[0]++;
		} else if (round % 10 < 5) {
			delay = 5000;
			after_ready = STORE_COMMIT_MS - 60 + (int64_t)(r % 120);
			t.kinds_of_kill[1]++;
		} else {
			delay = (int64_t)(r % ROUND_MS_MAX);
			t.kinds_of_kill[2]++;
		}
		fflush(stdout);
		fflush(stderr);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			child_main(data, log_path, fds[1], child_seed);
		}
		close(fds[1]);
		int64_t forked_at = time_boot_ms();
		int64_t kill_at = forked_at + delay;
		bool ready = false;
		size_t have = 0;
		size_t before = t.n;
		read_reports(fds[0], buf, &have, buf_size, &t, &ready, kill_at,
			     after_ready);
		kill(pid, SIGKILL);
		int64_t killed_at = time_boot_ms();
		/* What the child wrote before it died is still in the pipe. */
		while (read_reports(fds[0], buf, &have, buf_size, &t, &ready,
				    time_boot_ms() + 5000, -1))
			;
		close(fds[0]);
		int status = 0;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (WIFEXITED(status))
			fail_msg("power_kill: round %d: the kiosk exited by "
				 "itself with status %d (see %s)", round,
				 WEXITSTATUS(status), log_path);
		if (ready) {
			started++;
			int64_t start_ms = t.ready_ms - forked_at;
			t.sum_start_ms += start_ms;
			if (start_ms > t.max_start_ms)
				t.max_start_ms = start_ms;
			if (t.last_commit_ms &&
			    killed_at - t.last_commit_ms > t.max_since_commit_ms &&
			    t.n > before)
				t.max_since_commit_ms = killed_at - t.last_commit_ms;
		} else {
			not_ready++;
		}
		if (file_exists(db_path))
			check_log(db_path, &t, before, round);
	}
	free(buf);

	/* The kiosk starts once more and quits cleanly; every killed run that
	 * had begun is then marked a crash. */
	fflush(stdout);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child_clean(data, log_path);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("power_kill: the last start failed (status %d; see %s)",
			 status, log_path);
	size_t all = check_log(db_path, &t, 0, -1);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY,
					 NULL), SQLITE_OK);
	int64_t runs = query_int(db, "SELECT count(*) FROM runs", NULL);
	int64_t crashes = query_int(db, "SELECT count(*) FROM runs WHERE "
				    "ended = 'crash'", NULL);
	int64_t clean = query_int(db, "SELECT count(*) FROM runs WHERE "
				  "ended = 'clean'", NULL);
	int64_t views = query_int(db, "SELECT count(*) FROM views", NULL);
	int64_t answers = query_int(db, "SELECT count(*) FROM quiz_answers", NULL);
	int64_t switches = query_int(db, "SELECT count(*) FROM lang_switches", NULL);
	sqlite3_close(db);

	printf("power_kill: kills %" PRId64 " (%d aimed at the start, %d "
	       "around the first commit, %d anywhere in %d ms; %d after the "
	       "kiosk was up, %d during its start), integrity_check ok after "
	       "every one\n", rounds, t.kinds_of_kill[0], t.kinds_of_kill[1],
	       t.kinds_of_kill[2], ROUND_MS_MAX, started, not_ready);
	printf("power_kill: the kiosk was up %.0f ms after its start on "
	       "average, %" PRId64 " ms at most\n",
	       started ? (double)t.sum_start_ms / started : 0.0,
	       t.max_start_ms);
	printf("power_kill: events reported committed %zu, every one found "
	       "after its kill and again at the end (%zu checked): views %zu, "
	       "view ends %zu, sessions %zu, quiz answers %zu, language "
	       "switches %zu, quiz attempts %zu, other %zu; lost 0\n",
	       t.n, all, t.by_kind[0], t.by_kind[1], t.by_kind[2],
	       t.by_kind[3], t.by_kind[4], t.by_kind[5], t.by_kind[6]);
	printf("power_kill: in the log at the end: %" PRId64 " views, %"
	       PRId64 " quiz answers, %" PRId64 " language switches; runs %"
	       PRId64 ": %" PRId64 " marked crash, %" PRId64 " clean\n",
	       views, answers, switches, runs, crashes, clean);
	printf("power_kill: an event waits in memory before its commit: "
	       "%.0f ms on average, %" PRId64 " ms at most; at a kill, the "
	       "last commit was at most %" PRId64 " ms before\n",
	       t.n ? (double)t.sum_wait_ms / (double)t.n : 0.0, t.max_wait_ms,
	       t.max_since_commit_ms);
	printf("power_kill: total %.1f s\n",
	       (double)(time_mono_ms() - t0) / 1000.0);

	/* Every run that got as far as its run row was killed, except the
	 * last, clean one. */
	assert_int_equal(clean, 1);
	assert_int_equal(crashes, runs - 1);
	assert_true(t.n > 0);
	/* The crowd must have made every kind of event the test claims. */
	assert_true(t.by_kind[0] > 0);
	assert_true(t.by_kind[1] > 0);
	assert_true(t.by_kind[2] > 0);
	free(t.ev);
	free(log_path);
	free(db_path);
	test_rmtree(data);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_kill),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
