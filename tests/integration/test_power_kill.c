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
 * The rounds are spread over KIOSK_POWER_LANES kiosks at once (default
 * DEFAULT_LANES), each on its own data directory with its own pipe and
 * its own reported events: each lane is the test above, the parent waits
 * for their kills at the same time instead of one after the other. A lane
 * that is free takes the next round (its kill kind, its moment and its
 * crowd's seed are drawn in round order, as with one kiosk), so the mix
 * of kills is the same whatever the number of lanes. The parent's own
 * work that takes time (a fork, the checks after a kill) waits while
 * another lane's kill is due within about as long as that work takes, so
 * no kill comes late for it; the test prints how late the kills came. A
 * child says when it is up by the boot clock, so a kill timed from that
 * moment does not depend on when the parent read it. A kiosk that dies
 * by itself (its pipe ends before its kill, or it dies of another
 * signal: a sanitizer's abort) fails the test.
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
 * (default from the clock; printed). KIOSK_POWER_LANES: kiosks at once
 * (1 runs the rounds one after the other). The children's log goes to
 * power_kill-N.log (N: the lane) in the build directory.
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
#include <sys/prctl.h>
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
#define DEFAULT_LANES 3         /* kiosks killed and restarted at once */
#define MAX_LANES 8
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
	/* up: when (the boot clock), so that a parent busy with another
	 * lane times the kill from the child's start, not from its read */
	char line[64];
	int len = snprintf(line, sizeof line, "R %" PRId64 "\n", time_boot_ms());
	write_all(fd, line, (size_t)len);
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

static struct lane *all_lanes;
static int n_lanes;
static void kill_lanes(void);

/* A failure: the kiosks still running are killed first (each also has
 * PR_SET_PDEATHSIG, for the assertions that fail without this). */
#define lane_fail(...) do { kill_lanes(); fail_msg(__VA_ARGS__); } while (0)

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
};

static void parse_line(struct tally *t, char *line, bool *ready)
{
	if (line[0] == 'R') {
		if (sscanf(line, "R %" SCNd64, &t->ready_ms) != 1)
			lane_fail("power_kill: a line the child wrote is "
				  "garbled: %s", line);
		*ready = true;
		return;
	}
	struct reported r = { 0 };
	int up = 0;
	if (sscanf(line, "C %23s %23s %36s %d %" SCNd64 " %" SCNd64 " %"
		   SCNd64, r.kind, r.table, r.uuid, &up, &r.wall_ms,
		   &r.boot_ms, &r.commit_ms) != 7)
		lane_fail("power_kill: a line the child wrote is garbled: %s",
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
		lane_fail("power_kill: round %d: integrity_check: %s", round,
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
			lane_fail("power_kill: round %d: %s %s was reported "
				  "committed but is not in the log", round,
				  r->kind, r->uuid);
		checked++;
		if (round >= 0)
			t->by_kind[slot]++;
	}
	sqlite3_close(db);
	return checked;
}

/* ---- the lanes: kiosks killed and restarted at once --------------------- */

#define READ_BUF_SIZE (1 << 16)

/* One kiosk's data directory, the rounds it ran and what it reported. */
struct lane {
	int no;                    /* 1-based, for messages */
	char *data, *db_path, *log_path;
	struct tally t;
	char *buf;                 /* what the child wrote, not yet a line */
	size_t have;
	/* The round under way: */
	pid_t pid;                 /* 0: none */
	int fd;                    /* its pipe's read end */
	int round;
	int64_t forked_at, kill_at, after_ready, killed_at;
	bool ready, killed, ended; /* ended: its pipe is closed, the child
				    * reaped, the checks still to do */
	size_t before;             /* t.n when it began */
	int rounds;
};

/* The whole run's figures. */
struct totals {
	int kinds_of_kill[3];      /* at start, near a commit, anywhere */
	int started, not_ready;
	int64_t late_sum_ms, late_max_ms; /* a kill after its moment */
	int64_t fork_max_ms, check_max_ms; /* the parent's slow steps */
	int64_t fork_est_ms, check_est_ms; /* what they may take: the
					    * longest lately (an outlier
					    * fades) */
};

/* A slow step took took ms: the longest so far, the estimate. */
static void note_step(int64_t took, int64_t *max, int64_t *est)
{
	if (took > *max)
		*max = took;
	*est = took > *est ? took : *est - *est / 8;
}

/* Kill and reap the kiosks of the rounds under way. */
static void kill_lanes(void)
{
	for (int i = 0; i < n_lanes; i++) {
		struct lane *l = &all_lanes[i];
		if (l->pid > 0 && !l->ended) {
			kill(l->pid, SIGKILL);
			waitpid(l->pid, NULL, 0);
		}
		l->pid = 0;
	}
}

/* The moment the round's kiosk is to be killed (boot clock). */
static int64_t lane_deadline(const struct lane *l)
{
	if (l->ready && l->after_ready >= 0)
		return l->t.ready_ms + l->after_ready;
	return l->kill_at;
}

/* How long the parent may be busy now without any kill coming late: the
 * time to the nearest kill due (INT64_MAX: none). */
static int64_t slack_ms(int64_t now)
{
	int64_t slack = INT64_MAX;
	for (int i = 0; i < n_lanes; i++) {
		const struct lane *l = &all_lanes[i];
		if (l->pid > 0 && !l->killed && lane_deadline(l) - now < slack)
			slack = lane_deadline(l) - now;
	}
	return slack;
}

/* A slow step of the parent (a fork, a check) may start when no kill is
 * due within what the slowest one took lately, and a margin. */
static bool may_block(int64_t longest)
{
	return slack_ms(time_boot_ms()) > longest + longest / 2 + 10;
}

/* Start round on lane l: the kill's kind and moment, then the child. */
static void lane_start(struct lane *l, int round, uint64_t *seed,
		       struct totals *tot)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	uint64_t child_seed = splitmix(seed);
	/* Where the kill lands: during the start (one round in ten),
	 * around the first commit, a second after the start (four in
	 * ten: commits are short and would rarely be hit), or
	 * anywhere in ROUND_MS_MAX. */
	uint64_t r = splitmix(seed);
	int64_t delay, after_ready = -1;
	if (round % 10 == 0) {
		delay = (int64_t)(r % 60);
		tot->kinds_of_kill[0]++;
	} else if (round % 10 < 5) {
		delay = 5000;
		after_ready = STORE_COMMIT_MS - 60 + (int64_t)(r % 120);
		tot->kinds_of_kill[1]++;
	} else {
		delay = (int64_t)(r % ROUND_MS_MAX);
		tot->kinds_of_kill[2]++;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t parent = getpid();
	int64_t t0 = time_boot_ms();
	pid_t pid = fork();
	if (pid < 0)
		lane_fail("power_kill: fork: %s", strerror(errno));
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		close(fds[0]);
		for (int i = 0; i < n_lanes; i++)
			if (all_lanes[i].pid > 0 && !all_lanes[i].ended)
				close(all_lanes[i].fd);
		child_main(l->data, l->log_path, fds[1], child_seed);
	}
	close(fds[1]);
	l->forked_at = time_boot_ms();
	note_step(l->forked_at - t0, &tot->fork_max_ms, &tot->fork_est_ms);
	l->pid = pid;
	l->fd = fds[0];
	l->round = round;
	l->kill_at = l->forked_at + delay;
	l->after_ready = after_ready;
	l->ready = l->killed = l->ended = false;
	l->have = 0;
	l->before = l->t.n;
	l->rounds++;
}

/* Read what the round's child wrote; false at the end of its pipe. */
static bool lane_read(struct lane *l)
{
	ssize_t n = read(l->fd, l->buf + l->have, READ_BUF_SIZE - 1 - l->have);
	if (n < 0 && errno == EINTR)
		return true;
	if (n < 0)
		lane_fail("power_kill: lane %d: read: %s", l->no,
			  strerror(errno));
	if (n == 0)
		return false;
	l->have += (size_t)n;
	l->buf[l->have] = '\0';
	char *start = l->buf, *nl;
	while ((nl = strchr(start, '\n'))) {
		*nl = '\0';
		parse_line(&l->t, start, &l->ready);
		start = nl + 1;
	}
	l->have = (size_t)(l->buf + l->have - start);
	memmove(l->buf, start, l->have);
	return true;
}

/* The round's child is gone (its pipe ended): reap it, its figures. */
static void lane_reap(struct lane *l, struct totals *tot)
{
	close(l->fd);
	l->fd = -1;
	int status = 0;
	if (waitpid(l->pid, &status, 0) != l->pid)
		lane_fail("power_kill: waitpid: %s", strerror(errno));
	l->ended = true;
	/* Its pipe ends only when it dies: before the kill, or of anything
	 * but SIGKILL (an abort: a sanitizer's report), it died by itself. */
	if (WIFEXITED(status))
		lane_fail("power_kill: round %d: the kiosk exited by itself "
			  "with status %d (see %s)", l->round,
			  WEXITSTATUS(status), l->log_path);
	if (!l->killed || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGKILL)
		lane_fail("power_kill: round %d: the kiosk died by itself "
			  "(signal %d; see %s)", l->round,
			  WIFSIGNALED(status) ? WTERMSIG(status) : -1,
			  l->log_path);
	struct tally *t = &l->t;
	if (l->ready) {
		tot->started++;
		int64_t start_ms = t->ready_ms - l->forked_at;
		t->sum_start_ms += start_ms;
		if (start_ms > t->max_start_ms)
			t->max_start_ms = start_ms;
		if (t->last_commit_ms &&
		    l->killed_at - t->last_commit_ms > t->max_since_commit_ms &&
		    t->n > l->before)
			t->max_since_commit_ms = l->killed_at - t->last_commit_ms;
	} else {
		tot->not_ready++;
	}
}

/* The checks after the kill; then the lane is free. */
static void lane_check(struct lane *l, struct totals *tot)
{
	int64_t t0 = time_boot_ms();
	if (file_exists(l->db_path))
		check_log(l->db_path, &l->t, l->before, l->round);
	note_step(time_boot_ms() - t0, &tot->check_max_ms, &tot->check_est_ms);
	l->pid = 0;
	l->ended = false;
}

static void run_lanes(int64_t rounds, uint64_t *seed, struct totals *tot)
{
	int next = 0;
	for (;;) {
		int64_t now = time_boot_ms();
		/* Kills due. */
		for (int i = 0; i < n_lanes; i++) {
			struct lane *l = &all_lanes[i];
			if (l->pid > 0 && !l->killed &&
			    lane_deadline(l) <= now) {
				int64_t due = lane_deadline(l);
				kill(l->pid, SIGKILL);
				l->killed = true;
				l->killed_at = time_boot_ms();
				int64_t late = l->killed_at - due;
				tot->late_sum_ms += late;
				if (late > tot->late_max_ms)
					tot->late_max_ms = late;
			}
		}
		/* The parent's slow steps, when no kill is near: the checks
		 * of a lane whose child is gone, then new rounds. */
		bool busy = false;
		for (int i = 0; i < n_lanes; i++) {
			struct lane *l = &all_lanes[i];
			if (l->pid > 0 && l->ended &&
			    may_block(tot->check_est_ms)) {
				lane_check(l, tot);
				busy = true;
			}
		}
		for (int i = 0; i < n_lanes && next < rounds; i++) {
			struct lane *l = &all_lanes[i];
			if (l->pid == 0 && may_block(tot->fork_est_ms)) {
				lane_start(l, next++, seed, tot);
				busy = true;
			}
		}
		if (busy)
			continue;   /* time passed: kills first */

		struct pollfd p[MAX_LANES];
		struct lane *pl[MAX_LANES];
		int np = 0, waiting = 0;
		for (int i = 0; i < n_lanes; i++) {
			struct lane *l = &all_lanes[i];
			if (l->pid == 0)
				continue;
			waiting++;
			if (!l->ended) {
				p[np] = (struct pollfd){ .fd = l->fd,
							 .events = POLLIN };
				pl[np++] = l;
			}
		}
		if (!waiting && next >= rounds)
			break;
		/* Wake at the next kill or when a child writes. A slow step
		 * that may not run now may not until that kill: the time to
		 * it only shrinks. */
		int64_t wait = slack_ms(time_boot_ms());
		int timeout = wait == INT64_MAX ? -1 :
			      wait > 60000 ? 60000 : (int)(wait < 0 ? 0 : wait);
		int rc = poll(p, (nfds_t)np, timeout);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			lane_fail("power_kill: poll: %s", strerror(errno));
		for (int k = 0; k < np && rc > 0; k++) {
			if (!p[k].revents)
				continue;
			if (!lane_read(pl[k]))
				lane_reap(pl[k], tot);
		}
	}
}

static void test_power_kill(void **state)
{
	(void)state;
	ensure_media();
	int64_t rounds = env_int("KIOSK_POWER_KILLS", DEFAULT_KILLS);
	uint64_t seed = (uint64_t)env_int("KIOSK_POWER_SEED",
					  (int64_t)(time_wall_ms() & 0xffffffff));
	int64_t lanes = env_int("KIOSK_POWER_LANES", DEFAULT_LANES);
	if (lanes < 1 || lanes > MAX_LANES)
		fail_msg("KIOSK_POWER_LANES=%" PRId64 ": 1 to %d", lanes,
			 MAX_LANES);
	if (lanes > rounds && rounds > 0)
		lanes = rounds;
	printf("power_kill: seed %" PRIu64 " (KIOSK_POWER_SEED=%" PRIu64
	       " replays it), %" PRId64 " kills, %" PRId64 " kiosks at once "
	       "(KIOSK_POWER_LANES)\n", seed, seed, rounds, lanes);

	n_lanes = (int)lanes;
	all_lanes = xcalloc((size_t)n_lanes, sizeof *all_lanes);
	for (int i = 0; i < n_lanes; i++) {
		struct lane *l = &all_lanes[i];
		l->no = i + 1;
		l->data = test_tmpdir();
		l->db_path = path_join(l->data, STORE_LOG_FILENAME);
		char name[32];
		snprintf(name, sizeof name, "power_kill-%d.log", l->no);
		l->log_path = test_build_path(name);
		unlink(l->log_path);
		l->buf = xmalloc(READ_BUF_SIZE);
		l->fd = -1;
	}

	struct totals tot = { 0 };
	int64_t t0 = time_mono_ms();
	run_lanes(rounds, &seed, &tot);

	/* Each kiosk starts once more and quits cleanly; every killed run
	 * that had begun is then marked a crash. */
	fflush(stdout);
	fflush(stderr);
	for (int i = 0; i < n_lanes; i++) {
		struct lane *l = &all_lanes[i];
		l->pid = fork();
		if (l->pid < 0)
			lane_fail("power_kill: fork: %s", strerror(errno));
		if (l->pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			child_clean(l->data, l->log_path);
		}
	}
	for (int i = 0; i < n_lanes; i++) {
		struct lane *l = &all_lanes[i];
		int status = 0;
		pid_t pid = waitpid(l->pid, &status, 0);
		l->ended = true;
		if (pid != l->pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			lane_fail("power_kill: lane %d: the last start failed "
				  "(status %d; see %s)", l->no, status,
				  l->log_path);
	}

	struct tally sum = { 0 };
	size_t all = 0;
	int64_t runs = 0, crashes = 0, clean = 0, views = 0, answers = 0,
		switches = 0;
	for (int i = 0; i < n_lanes; i++) {
		struct lane *l = &all_lanes[i];
		all += check_log(l->db_path, &l->t, 0, -1);
		sqlite3 *db = NULL;
		assert_int_equal(sqlite3_open_v2(l->db_path, &db,
						 SQLITE_OPEN_READONLY, NULL),
				 SQLITE_OK);
		int64_t l_runs = query_int(db, "SELECT count(*) FROM runs", NULL);
		int64_t l_crashes = query_int(db, "SELECT count(*) FROM runs "
					      "WHERE ended = 'crash'", NULL);
		int64_t l_clean = query_int(db, "SELECT count(*) FROM runs "
					    "WHERE ended = 'clean'", NULL);
		views += query_int(db, "SELECT count(*) FROM views", NULL);
		answers += query_int(db, "SELECT count(*) FROM quiz_answers",
				     NULL);
		switches += query_int(db, "SELECT count(*) FROM lang_switches",
				      NULL);
		sqlite3_close(db);
		/* Every run of this kiosk that got as far as its run row was
		 * killed, except the last, clean one. */
		if (l_clean != 1 || l_crashes != l_runs - 1)
			fail_msg("power_kill: lane %d: runs %" PRId64 ": %"
				 PRId64 " marked crash, %" PRId64 " clean; "
				 "every run but the last, clean one must be "
				 "marked crash", l->no, l_runs, l_crashes,
				 l_clean);
		runs += l_runs;
		crashes += l_crashes;
		clean += l_clean;
		const struct tally *t = &l->t;
		sum.n += t->n;
		for (size_t k = 0; k < ARRAY_LEN(sum.by_kind); k++)
			sum.by_kind[k] += t->by_kind[k];
		if (t->max_wait_ms > sum.max_wait_ms)
			sum.max_wait_ms = t->max_wait_ms;
		sum.sum_wait_ms += t->sum_wait_ms;
		if (t->max_since_commit_ms > sum.max_since_commit_ms)
			sum.max_since_commit_ms = t->max_since_commit_ms;
		sum.sum_start_ms += t->sum_start_ms;
		if (t->max_start_ms > sum.max_start_ms)
			sum.max_start_ms = t->max_start_ms;
	}

	printf("power_kill: kills %" PRId64 " (%d aimed at the start, %d "
	       "around the first commit, %d anywhere in %d ms; %d after the "
	       "kiosk was up, %d during its start), integrity_check ok after "
	       "every one\n", rounds, tot.kinds_of_kill[0], tot.kinds_of_kill[1],
	       tot.kinds_of_kill[2], ROUND_MS_MAX, tot.started, tot.not_ready);
	printf("power_kill: %d kiosks at once, each on its own data directory "
	       "(rounds", n_lanes);
	for (int i = 0; i < n_lanes; i++)
		printf("%s%d", i ? ", " : " ", all_lanes[i].rounds);
	printf("); a kill came %.1f ms after its moment on average, %" PRId64
	       " ms at most (a fork took up to %" PRId64 " ms, the checks "
	       "after a kill up to %" PRId64 " ms)\n",
	       rounds ? (double)tot.late_sum_ms / (double)rounds : 0.0,
	       tot.late_max_ms, tot.fork_max_ms, tot.check_max_ms);
	printf("power_kill: the kiosk was up %.0f ms after its start on "
	       "average, %" PRId64 " ms at most\n",
	       tot.started ? (double)sum.sum_start_ms / tot.started : 0.0,
	       sum.max_start_ms);
	printf("power_kill: events reported committed %zu, every one found "
	       "after its kill and again at the end (%zu checked): views %zu, "
	       "view ends %zu, sessions %zu, quiz answers %zu, language "
	       "switches %zu, quiz attempts %zu, other %zu; lost 0\n",
	       sum.n, all, sum.by_kind[0], sum.by_kind[1], sum.by_kind[2],
	       sum.by_kind[3], sum.by_kind[4], sum.by_kind[5], sum.by_kind[6]);
	printf("power_kill: in the log at the end: %" PRId64 " views, %"
	       PRId64 " quiz answers, %" PRId64 " language switches; runs %"
	       PRId64 ": %" PRId64 " marked crash, %" PRId64 " clean\n",
	       views, answers, switches, runs, crashes, clean);
	printf("power_kill: an event waits in memory before its commit: "
	       "%.0f ms on average, %" PRId64 " ms at most; at a kill, the "
	       "last commit was at most %" PRId64 " ms before\n",
	       sum.n ? (double)sum.sum_wait_ms / (double)sum.n : 0.0,
	       sum.max_wait_ms, sum.max_since_commit_ms);
	printf("power_kill: total %.1f s\n",
	       (double)(time_mono_ms() - t0) / 1000.0);

	assert_int_equal(clean, n_lanes);
	assert_int_equal(crashes, runs - n_lanes);
	assert_true(sum.n > 0);
	/* The crowd must have made every kind of event the test claims. */
	assert_true(sum.by_kind[0] > 0);
	assert_true(sum.by_kind[1] > 0);
	assert_true(sum.by_kind[2] > 0);
	for (int i = 0; i < n_lanes; i++) {
		struct lane *l = &all_lanes[i];
		free(l->t.ev);
		free(l->buf);
		free(l->log_path);
		free(l->db_path);
		test_rmtree(l->data);
		free(l->data);
	}
	free(all_lanes);
	all_lanes = NULL;
	n_lanes = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_kill),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
