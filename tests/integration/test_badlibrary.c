/*
 * test_badlibrary: the real kiosk over a library of broken media.
 *
 * tests/badmedia/make-corpus.sh makes the library in a temporary folder
 * (--size small; KIOSK_BADMEDIA_SIZE=full for the long run): one item per
 * broken file of every kind the kiosk takes (video, audio, pictures, PDF
 * and text leaflets, subtitles, gallery pictures, thumbnails), each with a
 * valid item.json, and good items beside them; its MANIFEST.tsv says which
 * file of each item is broken and how. Then one kiosk (test_kiosk.h:
 * headless, software renderer) goes through it the way visitors would:
 *
 *   1. the attract loop shows every item in turn (its clock pushed on, so
 *      a video is left after its first frames);
 *   2. the grid of all items is paged through and its thumbnails made;
 *   3. every item is opened in the viewer and watched until it plays
 *      (PLAY_ENOUGH_S of a video or sound), shows (a picture, a page, a
 *      text leaflet), or shows the visitor a message; a video or sound
 *      that plays is then tapped near the end of its progress bar and
 *      must end (or give a message) by itself; galleries and PDFs are
 *      paged through; then back to home (Escape, or by itself after a
 *      message).
 *
 * And `kiosk check` (the real program, from KIOSK_BUILD_DIR) runs over the
 * library.
 *
 * Asserted, for every file:
 *   - no crash (and, in the sanitizer build, no memory error or leak);
 *   - no hang: every turn of the main loop (app_step, and opening the
 *     viewer, which the app does inside a turn) ends within STALL_LIMIT_MS;
 *     a hang the loop cannot see is cut by an alarm naming the item;
 *   - the item plays, shows, or shows a message within ITEM_MAX_MS (the
 *     player's 5 s stall rule fits), and the screen is not uniform (the
 *     visitor never faces a blank screen);
 *   - a broken file the visitor sees a message for, or that ends at once,
 *     is named (its item folder and file name) in a warning or error of
 *     the kiosk's log (the log hook, on every thread); a broken thumbnail
 *     is named while the attract loop and the grid draw it;
 *   - every good item plays (its clock advances; a video's pictures are
 *     shown; a good subtitle is on screen) or is shown, and is not flagged
 *     by `kiosk check`;
 *   - `kiosk check` exits 1.
 * Broken files that play or show without a word in the log naming them
 * (damage a decoder conceals, a last byte cut off; marked '*' when libav
 * complained in a message that does not say which file) and broken files
 * `kiosk check` does not flag are listed, not failed: they are findings.
 * A line of figures sums it up, and badlibrary-results.tsv in the build
 * directory has one row per item.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <SDL.h>

#include "base/log.h"
#include "base/util.h"
#include "content/catalog.h"
#include "media/image.h"
#include "media/movie.h"
#include "store/store.h"
#include "test_kiosk.h"
#include "test_support.h"
#include "ui/app.h"

#define W 960
#define H 540

/* The sanitizers make everything slower; the limits grow with them, and
 * with KIOSK_TEST_SLOWDOWN (a factor: tests/valgrind.sh sets it). */
#if defined(__SANITIZE_ADDRESS__)
#define SLOW_BUILD 3
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLOW_BUILD 3
#endif
#endif
#ifndef SLOW_BUILD
#define SLOW_BUILD 1
#endif
#define SLOW (SLOW_BUILD * test_slowdown())

/* The longest a turn of the main loop may take. */
#define STALL_LIMIT_MS (3000 * SLOW)
/* From opening an item to it playing, showing or showing a message: the
 * player's stall rule (MOVIE_STALL_S) and room. */
#define ITEM_MAX_MS (8000 * SLOW)
/* Seconds of a file played before it counts as playing. */
#define PLAY_ENOUGH_S 0.5
/* A picture or leaflet on screen this long counts as shown. */
#define STILL_SHOW_MS 150
/* The alarm for a hang the loop cannot time (inside one call). */
#define ITEM_ALARM_S (40 * SLOW)
/* The viewer's message stays this long before it goes back by itself
 * (VIEWER_ERROR_BACK_MS in scene_viewer.c). */
#define VIEWER_ERROR_BACK_MS 5000
/* Real time per item of the attract loop. */
#define ATTRACT_TURN_MS 80
/* At most this many pages or pictures are turned in one item. */
#define MAX_TURNS 4

/* ------------------------------------------------------------------ */
/* The manifest                                                        */
/* ------------------------------------------------------------------ */

enum outcome {
	OUT_NONE,          /* not tried */
	OUT_MISSING,       /* not in the catalog */
	OUT_PLAYED,        /* a video or sound played PLAY_ENOUGH_S */
	OUT_ENDED,         /* the viewer closed by itself before that */
	OUT_SHOWN,         /* a picture, a page or a text leaflet on screen */
	OUT_PART_MESSAGE,  /* a gallery picture or PDF page: its message */
	OUT_MESSAGE,       /* the viewer's message: cannot be shown */
	OUT_TIMEOUT,       /* none of these in ITEM_MAX_MS */
};

static const char *const outcome_names[] = {
	"not tried", "missing", "played", "ended", "shown", "part message",
	"message", "timeout",
};

struct entry {
	char *id, *kind, *type, *file, *damage;
	bool broken;
	/* results */
	enum outcome out;
	bool named;                /* a warning or error named the file */
	unsigned logged;           /* warnings and errors while it was open */
	char first_line[200];      /* the first of them */
	bool flagged;              /* `kiosk check` gave an error for it */
	bool to_end;               /* played on from near its end, and ended */
	bool played_ok;            /* good: played or shown as it should */
	int64_t worst_ms;          /* its longest loop turn */
	int64_t took_ms;
};

struct manifest {
	struct entry *e;
	size_t n;
};

/* Split line at tabs into at most n fields (in place). */
static size_t split_tabs(char *line, char **f, size_t n)
{
	size_t k = 0;
	while (k < n) {
		f[k++] = line;
		char *t = strchr(line, '\t');
		if (!t)
			break;
		*t = '\0';
		line = t + 1;
	}
	return k;
}

static void manifest_load(struct manifest *m, const char *lib)
{
	char *path = path_join(lib, "MANIFEST.tsv");
	size_t len;
	char *text = file_read_all(path, &len);
	assert_non_null(text);
	*m = (struct manifest){ 0 };
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#' || !line[0])
			continue;
		char *f[6];
		assert_int_equal(split_tabs(line, f, 6), 6);
		m->e = xrealloc(m->e, (m->n + 1) * sizeof *m->e);
		m->e[m->n++] = (struct entry){
			.id = xstrdup(f[0]), .kind = xstrdup(f[1]), .type = xstrdup(f[2]),
			.file = xstrdup(f[3]), .damage = xstrdup(f[4]),
			.broken = strcmp(f[5], "broken") == 0,
		};
	}
	free(text);
	free(path);
	assert_true(m->n > 0);
}

static void manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->e[i].id);
		free(m->e[i].kind);
		free(m->e[i].type);
		free(m->e[i].file);
		free(m->e[i].damage);
	}
	free(m->e);
}

/* ------------------------------------------------------------------ */
/* Failures, collected so one run lists them all                       */
/* ------------------------------------------------------------------ */

static char *failures;
static size_t n_failures;

__attribute__((format(printf, 1, 2)))
static void failure(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	char *all = xasprintf("%s  %s\n", failures ? failures : "", msg);
	free(failures);
	free(msg);
	failures = all;
	n_failures++;
}

/* ------------------------------------------------------------------ */
/* The log: what names the file                                        */
/* ------------------------------------------------------------------ */

/* Guarded by cap_lock (the hook runs on any thread). */
static pthread_mutex_t cap_lock = PTHREAD_MUTEX_INITIALIZER;
static char cap_needle[512];       /* "<item folder>/<file>" */
static bool cap_named;
static unsigned cap_lines;
static char cap_first[200];
static struct store *cap_store;    /* the app's own hook's job, kept */
static char attract_item[128];     /* the item the attract loop shows */
/* Every warning and error while overview is on (the attract loop and the
 * grid, where thumbnails are made), for the thumbnails' names. */
static bool overview_on;
static char *overview;
static size_t overview_len;
#define OVERVIEW_MAX (16u << 20)

/* Every warning and error: counted, looked at for the file's name, and
 * passed on to the log's problems as the app's own hook would. */
static void capture(enum log_level level, const char *msg, void *data)
{
	(void)data;
	static const char attract[] = "attract loop: ";
	if (level == LOG_LEVEL_DEBUG && !strncmp(msg, attract, sizeof attract - 1)) {
		pthread_mutex_lock(&cap_lock);
		snprintf(attract_item, sizeof attract_item, "%s",
			 msg + sizeof attract - 1);
		pthread_mutex_unlock(&cap_lock);
	}
	if (level > LOG_LEVEL_WARN)
		return;
	pthread_mutex_lock(&cap_lock);
	size_t n = strlen(msg);
	if (overview_on && overview_len + n + 2 < OVERVIEW_MAX) {
		overview = xrealloc(overview, overview_len + n + 2);
		memcpy(overview + overview_len, msg, n);
		overview_len += n;
		overview[overview_len++] = '\n';
		overview[overview_len] = '\0';
	}
	if (cap_store)
		store_problem(cap_store, level == LOG_LEVEL_ERROR, msg);
	if (cap_needle[0]) {
		if (!cap_lines)
			snprintf(cap_first, sizeof cap_first, "%s", msg);
		cap_lines++;
		if (strstr(msg, cap_needle))
			cap_named = true;
	}
	pthread_mutex_unlock(&cap_lock);
}

static void cap_begin(const char *needle)
{
	pthread_mutex_lock(&cap_lock);
	snprintf(cap_needle, sizeof cap_needle, "%s", needle);
	cap_named = false;
	cap_lines = 0;
	cap_first[0] = '\0';
	pthread_mutex_unlock(&cap_lock);
}

static void cap_end(struct entry *e)
{
	pthread_mutex_lock(&cap_lock);
	e->named = cap_named;
	e->logged = cap_lines;
	snprintf(e->first_line, sizeof e->first_line, "%s", cap_first);
	cap_needle[0] = '\0';
	pthread_mutex_unlock(&cap_lock);
}

/* ------------------------------------------------------------------ */
/* The main loop, timed                                                */
/* ------------------------------------------------------------------ */

static int64_t worst_gap_ms;
static char worst_where[200];
static const char *phase = "start";
static const char *current = "";
static int64_t item_worst_ms;

/* What the alarm says: made before it is armed (the handler may only
 * write). */
static char alarm_msg[300];

static void on_alarm(int sig)
{
	(void)sig;
	ssize_t r = write(2, alarm_msg, strlen(alarm_msg));
	(void)r;
	abort();
}

static void arm(int seconds)
{
	snprintf(alarm_msg, sizeof alarm_msg,
		 "\nbadlibrary: HANG: no progress for %d s in %s, item %s\n",
		 seconds, phase, current);
	alarm((unsigned)seconds);
}

static void note_gap(int64_t ms, const char *what)
{
	if (ms > item_worst_ms)
		item_worst_ms = ms;
	if (ms > worst_gap_ms) {
		worst_gap_ms = ms;
		snprintf(worst_where, sizeof worst_where, "%s, %s%s%s", phase, current,
			 what ? ": " : "", what ? what : "");
	}
}

/* One turn of the loop. */
static void turn(struct app *app)
{
	int64_t t0 = time_mono_ms();
	app_step(app, 5);
	note_gap(time_mono_ms() - t0, NULL);
}

static void step_for(struct app *app, int ms)
{
	int64_t end = time_mono_ms() + ms;
	while (time_mono_ms() < end)
		turn(app);
}

static void press(struct app *app, SDL_Keycode sym)
{
	SDL_Event e = { 0 };
	e.type = SDL_KEYDOWN;
	e.key.keysym.sym = sym;
	push(&e);
	e.type = SDL_KEYUP;
	push(&e);
	step_for(app, 30);
}

/* Is r of a fresh frame one colour (every sampled pixel within 6 of the
 * first)? */
static bool uniform(struct app *app, SDL_Rect r)
{
	struct image *img = app_capture(app);
	assert_non_null(img);
	const uint8_t *p0 = img->pixels + (size_t)r.y * img->pitch + (size_t)r.x * 4;
	bool same = true;
	for (int y = r.y; same && y < r.y + r.h && y < img->h; y += 2)
		for (int x = r.x; same && x < r.x + r.w && x < img->w; x += 2) {
			const uint8_t *p = img->pixels + (size_t)y * img->pitch + (size_t)x * 4;
			same = abs(p[0] - p0[0]) <= 6 && abs(p[1] - p0[1]) <= 6 &&
			       abs(p[2] - p0[2]) <= 6;
		}
	image_destroy(img);
	return same;
}

/* ------------------------------------------------------------------ */
/* `kiosk check`                                                       */
/* ------------------------------------------------------------------ */

/* Run the real program over lib; mark the entries it flags with an error.
 * Returns its exit status. */
static int run_check(struct manifest *m, const char *lib, int64_t *ms)
{
	char *kiosk = test_program("kiosk/kiosk");
	char *cmd = xasprintf("'%s' check '%s' 2>/dev/null", kiosk, lib);
	int64_t t0 = time_mono_ms();
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char *out = NULL;
	size_t len = 0, cap = 0;
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + len, buf, n);
		len += n;
		out[len] = '\0';
	}
	int st = pclose(p);
	*ms = time_mono_ms() - t0;
	int rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	for (char *line = out ? strtok(out, "\n") : NULL; line; line = strtok(NULL, "\n")) {
		if (!strstr(line, ": error: "))
			continue;
		for (size_t i = 0; i < m->n; i++) {
			char *prefix = xasprintf("%s/%s/", lib, m->e[i].id);
			if (strncmp(line, prefix, strlen(prefix)) == 0)
				m->e[i].flagged = true;
			free(prefix);
		}
	}
	free(out);
	free(cmd);
	free(kiosk);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The viewer                                                          */
/* ------------------------------------------------------------------ */

static bool has_parts(const struct entry *e)
{
	return !strcmp(e->kind, "gallery") || !strcmp(e->kind, "pdf");
}

/* Watch the viewer on top until the item plays, shows, shows a message,
 * or ITEM_MAX_MS pass. */
static enum outcome watch(struct app *app, struct entry *e, bool *cue_seen,
			  long *frames)
{
	int64_t start = time_mono_ms();
	for (;;) {
		turn(app);
		int64_t t = time_mono_ms() - start;
		struct scene *top = app_top(app);
		if (strcmp(top->ops->name, "viewer") != 0)
			return OUT_ENDED;
		const char *msg = scene_page_message(top);
		if (msg && *msg)
			return OUT_MESSAGE;
		struct movie *mv = scene_viewer_movie(top);
		int sp, hp;
		bool large;
		if (mv) {
			if (*scene_viewer_cue(top))
				*cue_seen = true;
			if (movie_position_s(mv) >= PLAY_ENOUGH_S) {
				struct movie_stats ms;
				movie_stats(mv, &ms);
				*frames = ms.frames_shown;
				return OUT_PLAYED;
			}
		} else if (scene_viewer_picview(top) ||
			   scene_viewer_text_state(top, &sp, &hp, &large)) {
			if (t >= STILL_SHOW_MS)
				return OUT_SHOWN;
		}
		if (t > ITEM_MAX_MS)
			return OUT_TIMEOUT;
	}
}

/* Open e's item in the viewer over home, watch it, go back to home. */
static void try_item(struct app *app, struct entry *e)
{
	const struct item *it = catalog_find(app_catalog(app), e->id);
	if (!it) {
		e->out = OUT_MISSING;
		failure("%s: not in the catalog (its item.json should be valid)", e->id);
		return;
	}
	char *needle = xasprintf("%s/%s", e->id, e->file);
	current = e->id;
	item_worst_ms = 0;
	cap_begin(needle);
	arm(ITEM_ALARM_S);
	int64_t t0 = time_mono_ms();
	/* what a tap on the grid does, inside one turn of the loop */
	app_push(app, scene_viewer_create(app, it));
	note_gap(time_mono_ms() - t0, "opening");

	bool cue_seen = false;
	long frames = 0;
	e->out = watch(app, e, &cue_seen, &frames);
	bool gone_back = false;
	if (e->out == OUT_MESSAGE) {
		/* the item's message goes back to the grid by itself; a
		 * gallery picture's or PDF page's stays, the others can be
		 * turned to */
		step_for(app, 50);
		if (uniform(app, (SDL_Rect){ 0, app_unit(app) * 12, W,
					     H - app_unit(app) * 30 }))
			failure("%s: a blank screen (message)", e->id);
		app_advance_clock(app, VIEWER_ERROR_BACK_MS + 100);
		step_for(app, 60);
		gone_back = strcmp(top_name(app), "viewer") != 0;
		if (!gone_back && has_parts(e))
			e->out = OUT_PART_MESSAGE;
		else if (!gone_back)
			failure("%s: the message did not go back by itself", e->id);
	}
	int u = app_unit(app);
	/* where the item is drawn: under the top bar, over the controls
	 * (scene_viewer.c's layout) */
	int controls = scene_viewer_movie(app_top(app)) ? u * 21
		       : has_parts(e) ? u * 18 : !strcmp(e->kind, "text") ? u * 14 : 0;
	if (scene_page_message(app_top(app)) && *scene_page_message(app_top(app)))
		controls = 0;
	SDL_Rect area = { 0, u * 12, W, H - u * 12 - controls };
	if (e->out != OUT_ENDED && e->out != OUT_TIMEOUT && !gone_back &&
	    uniform(app, area))
		failure("%s: a blank screen (%s)", e->id, outcome_names[e->out]);
	if (e->out == OUT_TIMEOUT)
		failure("%s: neither played, shown nor a message after %d ms",
			e->id, ITEM_MAX_MS);

	/* turn the pages or pictures */
	if (has_parts(e) && e->out != OUT_MESSAGE && e->out != OUT_ENDED) {
		for (int k = 0; k < MAX_TURNS; k++) {
			press(app, SDLK_PAGEDOWN);
			step_for(app, 60);
		}
		if (!strcmp(top_name(app), "viewer") && uniform(app, area))
			failure("%s: a blank screen after turning pages", e->id);
	}

	/* a visitor's tap near the end of the progress bar (+10 s without
	 * one): the rest plays and the viewer goes back by itself (or says
	 * it cannot play) */
	if (e->out == OUT_PLAYED) {
		SDL_Rect bar;
		struct movie *mv = scene_viewer_movie(app_top(app));
		if (mv && movie_duration_s(mv) > 0 &&
		    scene_viewer_track(app_top(app), &bar)) {
			/* a tap on the progress bar, near its end */
			SDL_Event ev = { 0 };
			ev.type = SDL_FINGERDOWN;
			ev.tfinger.fingerId = 7;
			ev.tfinger.x = (bar.x + bar.w * 0.97f) / W;
			ev.tfinger.y = (bar.y + bar.h / 2.0f) / H;
			push(&ev);
			ev.type = SDL_FINGERUP;
			push(&ev);
			step_for(app, 30);
		} else {
			press(app, SDLK_PAGEDOWN);      /* +10 s */
		}
		int64_t t1 = time_mono_ms();
		while (!strcmp(top_name(app), "viewer") &&
		       !*scene_page_message(app_top(app)) &&
		       time_mono_ms() - t1 < ITEM_MAX_MS)
			turn(app);
		if (strcmp(top_name(app), "viewer") != 0)
			e->to_end = true;
		else if (*scene_page_message(app_top(app)))
			e->out = OUT_MESSAGE;
		else
			failure("%s: played from near its end, neither ended nor gave a "
				"message in %d ms", e->id, ITEM_MAX_MS);
	}

	/* back to home: Escape, when not back by itself */
	if (!strcmp(top_name(app), "viewer"))
		press(app, SDLK_ESCAPE);
	if (strcmp(top_name(app), "home") != 0)
		failure("%s: back on '%s', not home", e->id, top_name(app));
	step_for(app, 20);     /* late log lines of its threads */
	alarm(0);
	cap_end(e);
	e->took_ms = time_mono_ms() - t0;
	e->worst_ms = item_worst_ms;

	bool movie_kind = !strcmp(e->type, "video") || !strcmp(e->type, "audio");
	if (!e->broken) {
		e->played_ok = movie_kind ? e->out == OUT_PLAYED : e->out == OUT_SHOWN;
		if (e->played_ok && !strcmp(e->type, "video") && frames <= 0)
			e->played_ok = false;
		if (e->played_ok && !strcmp(e->kind, "subtitles") && !cue_seen)
			e->played_ok = false;
		if (!e->played_ok)
			failure("%s: a good item did not %s (%s, %ld pictures%s)", e->id,
				movie_kind ? "play" : "show", outcome_names[e->out], frames,
				!strcmp(e->kind, "subtitles") && !cue_seen ? ", no subtitle" : "");
	} else {
		if ((e->out == OUT_MESSAGE || e->out == OUT_PART_MESSAGE ||
		     e->out == OUT_ENDED) && !e->named)
			failure("%s: the visitor saw %s but the log never names %s "
				"(first: %s)", e->id, e->out == OUT_ENDED
				? "it end at once" : "a message", needle,
				e->first_line[0] ? e->first_line : "nothing logged");
		if (!strcmp(e->kind, "thumbnail"))
			e->logged = 0;  /* its file is not the viewer's */
	}
	free(needle);
}

/* ------------------------------------------------------------------ */
/* The test                                                            */
/* ------------------------------------------------------------------ */

static void test_bad_library(void **state)
{
	(void)state;
	ensure_media();
	signal(SIGALRM, on_alarm);
	const char *size = getenv("KIOSK_BADMEDIA_SIZE");
	if (!size || !*size)
		size = "small";
	char *dir = test_tmpdir();
	char *lib = path_join(dir, "lib");
	char *script = test_source_path("tests/badmedia/make-corpus.sh");
	int64_t t_start = time_mono_ms();
	assert_int_equal(test_system("bash '%s' '%s' --size '%s'", script, lib, size), 0);
	int64_t gen_ms = time_mono_ms() - t_start;
	struct manifest m;
	manifest_load(&m, lib);

	/* `kiosk check`, the real program */
	phase = "kiosk check";
	current = "(all)";
	arm(120 * SLOW);
	int64_t check_ms;
	int rc = run_check(&m, lib, &check_ms);
	alarm(0);
	if (rc != 1)
		failure("kiosk check %s: exit %d, expected 1", lib, rc);

	/* the kiosk */
	log_capture_libraries();
	struct kut k;
	kut_start(&k, lib, W, H);
	k.cfg.idle_timeout_s = 3600;        /* the run is longer than a visit */
	k.cfg.attract_interval_s = 2;
	struct app *app = kut_app(&k);
	pthread_mutex_lock(&cap_lock);
	cap_store = app_store(app);
	pthread_mutex_unlock(&cap_lock);
	log_set_hook(capture, NULL);
	const struct catalog *cat = app_catalog(app);
	size_t n_items = cat->n_items;

	/* 1. the attract loop, every item in turn */
	int64_t t_attract = time_mono_ms();
	phase = "attract loop";
	SDL_Rect above_band = { 0, 0, W, H * 66 / 100 };
	pthread_mutex_lock(&cap_lock);
	overview_on = true;
	pthread_mutex_unlock(&cap_lock);
	for (size_t i = 0; i < n_items; i++) {
		static char turn_name[200];
		snprintf(turn_name, sizeof turn_name, "turn %zu", i + 1);
		current = turn_name;
		arm(ITEM_ALARM_S);
		app_advance_clock(app, 120001);     /* past any item's time */
		turn(app);
		pthread_mutex_lock(&cap_lock);
		snprintf(turn_name, sizeof turn_name, "turn %zu (%s)", i + 1, attract_item);
		pthread_mutex_unlock(&cap_lock);
		step_for(app, ATTRACT_TURN_MS);
		if (strcmp(top_name(app), "attract") != 0)
			failure("attract loop, %s: '%s' on top", turn_name, top_name(app));
		else if (uniform(app, above_band))
			failure("attract loop, %s: a blank screen", turn_name);
	}
	alarm(0);
	int64_t attract_ms = time_mono_ms() - t_attract;

	/* into a visitor's session, in Vietnamese */
	press(app, SDLK_RETURN);
	press(app, SDLK_RETURN);
	assert_string_equal(top_name(app), "home");

	/* 2. the grid of everything, paged through */
	int64_t t_grid = time_mono_ms();
	phase = "grid";
	current = "(all items)";
	arm(ITEM_ALARM_S * 2);
	struct browse_filter all = { .type = -1, .topic = NULL };
	app_push(app, scene_browse_create(app, &all));
	for (size_t i = 0; i < n_items / 8 + 3; i++) {
		press(app, SDLK_PAGEDOWN);
		step_for(app, 200);
	}
	step_for(app, 1000);
	press(app, SDLK_ESCAPE);
	assert_string_equal(top_name(app), "home");
	alarm(0);
	int64_t grid_ms = time_mono_ms() - t_grid;
	pthread_mutex_lock(&cap_lock);
	overview_on = false;
	pthread_mutex_unlock(&cap_lock);
	/* thumbnails are seen there, not in the viewer */
	for (size_t i = 0; i < m.n; i++) {
		struct entry *e = &m.e[i];
		if (strcmp(e->kind, "thumbnail") != 0)
			continue;
		char *needle = xasprintf("%s/%s", e->id, e->file);
		e->named = overview && strstr(overview, needle);
		e->out = OUT_SHOWN;
		if (e->broken && !e->named)
			failure("%s: its thumbnail was drawn in the attract loop and the "
				"grid, and the log never names %s", e->id, needle);
		free(needle);
	}

	/* 3. every item in the viewer */
	int64_t t_view = time_mono_ms();
	phase = "viewer";
	for (size_t i = 0; i < m.n; i++) {
		bool thumb = !strcmp(m.e[i].kind, "thumbnail");
		bool named = m.e[i].named;
		try_item(app, &m.e[i]);
		if (thumb)      /* its thumbnail was looked at above */
			m.e[i].named = named;
	}
	int64_t view_ms = time_mono_ms() - t_view;

	log_set_hook(NULL, NULL);
	pthread_mutex_lock(&cap_lock);
	cap_store = NULL;
	pthread_mutex_unlock(&cap_lock);
	phase = "closing";
	current = "(the app)";
	arm(ITEM_ALARM_S);
	kut_stop(&k);
	alarm(0);

	if (worst_gap_ms > STALL_LIMIT_MS)
		failure("the main loop stalled %lld ms (limit %d) in %s",
			(long long)worst_gap_ms, STALL_LIMIT_MS, worst_where);

	/* figures */
	const char *kinds[] = { "video", "audio", "picture", "pdf", "text",
				"subtitles", "gallery", "thumbnail" };
	char by_kind[512] = "";
	size_t broken = 0, named = 0, good = 0, good_ok = 0, flagged = 0;
	size_t messages = 0;
	for (size_t k2 = 0; k2 < ARRAY_LEN(kinds); k2++) {
		size_t nb = 0, ng = 0;
		for (size_t i = 0; i < m.n; i++)
			if (!strcmp(m.e[i].kind, kinds[k2]))
				m.e[i].broken ? nb++ : ng++;
		size_t l = strlen(by_kind);
		snprintf(by_kind + l, sizeof by_kind - l, "%s%s %zu+%zu", l ? ", " : "",
			 kinds[k2], nb, ng);
	}
	for (size_t i = 0; i < m.n; i++) {
		const struct entry *e = &m.e[i];
		if (e->broken) {
			broken++;
			named += e->named;
			flagged += e->flagged;
			messages += e->out == OUT_MESSAGE || e->out == OUT_PART_MESSAGE;
		} else {
			good++;
			good_ok += e->played_ok;
			if (e->flagged)
				failure("%s: a good item flagged by kiosk check", e->id);
		}
	}

	/* the findings: broken and not named, broken and not flagged */
	size_t unattributed = 0;
	printf("badlibrary: broken files the log never names (played or shown as "
	       "if good; '*': libav complained without naming the file):\n");
	for (size_t i = 0; i < m.n; i++) {
		const struct entry *e = &m.e[i];
		if (e->broken && !e->named) {
			printf("  %-28s %-12s%s %s%s%s\n", e->id, outcome_names[e->out],
			       e->logged ? "*" : " ", e->damage, e->logged ? ": " : "",
			       e->logged ? e->first_line : "");
			unattributed += e->logged > 0;
		}
	}
	printf("badlibrary: broken files kiosk check does not flag:\n");
	for (size_t i = 0; i < m.n; i++) {
		const struct entry *e = &m.e[i];
		if (e->broken && !e->flagged)
			printf("  %-28s %-12s %s\n", e->id, outcome_names[e->out], e->damage);
	}
	char *tsv_path = test_build_path("badlibrary-results.tsv");
	FILE *tsv = fopen(tsv_path, "w");
	if (tsv) {
		fprintf(tsv, "#id\tkind\ttype\tfile\tdamage\texpect\toutcome\tnamed\t"
			"logged\tcheck\tworst_ms\ttook_ms\tfirst_log_line\n");
		for (size_t i = 0; i < m.n; i++) {
			const struct entry *e = &m.e[i];
			fprintf(tsv, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%u\t%s\t%lld\t%lld\t%s\n",
				e->id, e->kind, e->type, e->file, e->damage,
				e->broken ? "broken" : "good", outcome_names[e->out],
				e->named ? "named" : "-", e->logged,
				e->flagged ? "flagged" : "-", (long long)e->worst_ms,
				(long long)e->took_ms, e->first_line);
		}
		fclose(tsv);
	}
	free(tsv_path);
	size_t to_end = 0;
	for (size_t i = 0; i < m.n; i++)
		to_end += m.e[i].to_end;
	printf("badlibrary: %zu files tried (%s; broken+good), %zu of %zu broken "
	       "reported by name (%zu with a message to the visitor; %zu more with "
	       "only libav's unnamed complaints), %zu of %zu good items played, %zu "
	       "played on to their end, longest stall %lld ms (%s), kiosk check "
	       "flagged %zu of %zu\n", m.n, by_kind, named, broken, messages,
	       unattributed, good_ok, good, to_end, (long long)worst_gap_ms,
	       worst_where, flagged, broken);
	printf("badlibrary: %s corpus made in %.1f s, kiosk check %.1f s, attract "
	       "loop %.1f s, grid %.1f s, viewer %.1f s\n", size, gen_ms / 1000.0,
	       check_ms / 1000.0, attract_ms / 1000.0, grid_ms / 1000.0,
	       view_ms / 1000.0);
	fflush(stdout);

	free(overview);
	overview = NULL;
	manifest_free(&m);
	test_rmtree(dir);
	free(script);
	free(lib);
	free(dir);
	if (n_failures) {
		char *msg = failures;
		failures = NULL;
		printf("badlibrary: %zu failures:\n%s", n_failures, msg);
		fflush(stdout);
		free(msg);
		fail_msg("%zu failures (listed above)", n_failures);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_library),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
