/*
 * scene_operator: the operator menu, opened by a five-second press in the
 * top-left corner or Ctrl+Alt+O. It runs class contests: start one (class
 * name typed on the on-screen keyboard, topic, number of questions,
 * seconds per question), end it, export its results (CSV and HTML, onto a
 * USB stick when one is mounted) and clear it from the screen. It shows
 * today's and this month's figures with two small charts (counted from the
 * log on a worker thread when the page opens), and exports the log onto a
 * USB stick for the yearly report (copied on a worker thread, with a
 * progress bar, while the kiosk keeps drawing). Every action is logged.
 * The menu closes by itself after two minutes without a touch (never while
 * it is counting or exporting).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "content/topics.h"
#include "i18n/langfmt.h"
#include "report/figures.h"
#include "report/logexport.h"
#include "report/logmerge.h"
#include "report/report_quiz.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/keyboard.h"
#include "ui/minichart.h"
#include "ui/oppage.h"
#include "ui/text.h"

#define OPERATOR_IDLE_MS 120000
#define OPERATOR_MAX_TOPICS 32
/* How long opening the figures page may wait for the count before it
 * shows "Counting…" instead. */
#define OPERATOR_FIGURES_WAIT_MS 200
/* How often the screen follows a job on a worker thread. */
#define OPERATOR_JOB_TICK_MS 40

enum op_mode { MODE_MENU, MODE_SETUP, MODE_TYPING, MODE_FIGURES };

enum {
	ID_START = 1, ID_END, ID_EXPORT, ID_CLEAR, ID_CLOSE,
	ID_CLASS, ID_TOPIC_DOWN, ID_TOPIC_UP, ID_COUNT_DOWN, ID_COUNT_UP,
	ID_TIME_DOWN, ID_TIME_UP, ID_GO, ID_SETUP_BACK,
	ID_FIGURES, ID_EXPORT_LOG, ID_SETTINGS, ID_CONTENT, ID_RESTART,
	ID_POWEROFF,
};

/* The choices for seconds per question (0: no limit). */
static const int time_steps[] = { 0, 15, 20, 30, 45, 60, 90, 120 };

/* Colours of the figures page: languages of the national plan's target
 * (minority and foreign) in green, Vietnamese in blue. */
static const SDL_Color COLOR_TARGET = { 0x3c, 0xc8, 0x6e, 255 };
static const SDL_Color COLOR_NATIONAL = { 0x5b, 0x8d, 0xd6, 255 };

/* Today's and this month's figures, counted on a worker thread. The main
 * thread sets the inputs before the thread starts and reads the outputs
 * only after joining it; done tells it when to join. */
struct fig_job {
	SDL_Thread *thread;              /* NULL once joined */
	char *log_path;
	const struct lang_registry *langs;  /* the app's; only read */
	int64_t today, month_from, month_to;  /* local day numbers */
	bool ok;                         /* out: both periods were read */
	struct report_figures month, day;   /* out */
	SDL_atomic_t done;               /* set by the worker as it ends */
};

/* The log copied onto a stick on a worker thread. Inputs are set before
 * the thread starts; ok, result and err are the worker's until joined. */
struct export_job {
	SDL_Thread *thread;              /* NULL once joined */
	char *log_path, *dir, *kiosk_id;
	bool usb;                        /* dir is on a removable drive */
	SDL_mutex *lock;                 /* guards pages_done, pages_total */
	int64_t pages_done, pages_total;
	SDL_atomic_t cancel;             /* set by the main thread */
	SDL_atomic_t done;               /* set by the worker as it ends */
	bool ok;                         /* out */
	struct logexport_result result;  /* out, when ok */
	char *err;                       /* out, when not ok */
};

struct scene_operator {
	struct scene base;
	enum op_mode mode;
	int64_t last_input_ms;
	char message[1200];              /* the last action's outcome */
	bool clear_armed;                /* Clear was tapped once */
	int armed;                       /* Restart or Shut down tapped once; 0 none */
	/* the contest being set up */
	struct keyboard *kb;
	const char *topics[OPERATOR_MAX_TOPICS];  /* ids with questions; [0] NULL = every */
	size_t n_topics, topic;
	int n_questions;
	size_t time_step;
	struct ui_button buttons[24];
	size_t n;
	int pressed;
	SDL_Rect kb_box;
	/* the figures page */
	struct fig_job *fig;         /* the last count (running or done) */
	SDL_Rect day_chart, lang_chart;  /* as last drawn; w 0 when not */
	/* the log export */
	struct export_job *exp;          /* running, or NULL */
};

static void say(struct scene_operator *so, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct scene_operator *so, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(so->message, sizeof so->message, fmt, ap);
	va_end(ap);
	log_info("operator: %s", so->message);
}

/* ---- actions ---- */

static void start_contest(struct scene_operator *so, struct app *app)
{
	struct contest c = { 0 };
	const char *name = keyboard_text(so->kb);
	while (*name == ' ')
		name++;
	if (!*name) {
		so->mode = MODE_TYPING;
		say(so, "%s", app_tr(app, "Type the class name first."));
		return;
	}
	snprintf(c.class_name, sizeof c.class_name, "%s", name);
	snprintf(c.topic, sizeof c.topic, "%s",
		 so->topics[so->topic] ? so->topics[so->topic] : "");
	c.n_questions = so->n_questions;
	c.seconds_per_question = time_steps[so->time_step];
	log_info("operator: start class contest '%s'", c.class_name);
	app_contest_start(app, &c);     /* pops this menu too */
}

/* A file-name-safe form of s: letters (Vietnamese ones too) and digits;
 * any other run of ASCII characters becomes one '-'. */
static void safe_name(const char *s, char *out, size_t size)
{
	size_t o = 0;
	for (; *s && o + 1 < size; s++) {
		unsigned char ch = (unsigned char)*s;
		bool keep = ch >= 0x80 || (ch >= '0' && ch <= '9') ||
			    (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
		if (keep)
			out[o++] = (char)ch;
		else if (o && out[o - 1] != '-')
			out[o++] = '-';
	}
	out[o] = '\0';
}

static void export_results(struct scene_operator *so, struct app *app)
{
	const struct contest *c = app_contest(app);
	if (!c)
		return;
	store_flush(app_store(app));
	char base[1024], cls[96], day[16];
	bool usb = contest_export_dir(app_config(app), base, sizeof base);
	safe_name(c->class_name, cls, sizeof cls);
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	char *dir = xasprintf("%s/kiosk-contest-%s-%s-%.8s", base, cls[0] ? cls : "class",
			      day, c->uuid);
	struct report_quiz_filter f = { .contest = c->uuid,
					.from_day = INT64_MIN / 4,
					.to_day = INT64_MAX / 4 };
	const char *log_path = app_log_path(app);
	if (report_quiz_write(&log_path, 1, &f, app_lang(app), dir, NULL)) {
		app_contest_exported(app);
		say(so, "%s %s%s", app_tr(app, "Results written to"), dir,
		    usb ? "" : app_tr(app, " (no USB stick found)"));
	} else {
		say(so, "%s %s", app_tr(app, "The results could not be written to"),
		    dir);
	}
	free(dir);
}

/* ---- the figures: counted on a worker thread ---- */

static int fig_worker(void *data)
{
	struct fig_job *j = data;
	struct logmerge *m = logmerge_new();
	j->ok = m && logmerge_add(m, j->log_path) &&
		figures_read(m, j->month_from, j->month_to, j->langs, &j->month) &&
		figures_read(m, j->today, j->today, j->langs, &j->day);
	logmerge_free(m);
	SDL_AtomicSet(&j->done, 1);
	return 0;
}

/* Wait for the worker (if still there) and free the job. Accepts NULL. */
static void fig_job_free(struct fig_job *j)
{
	if (!j)
		return;
	if (j->thread)
		SDL_WaitThread(j->thread, NULL);
	figures_free(&j->month);
	figures_free(&j->day);
	free(j->log_path);
	free(j);
}

/* The count is there: join the worker. */
static void fig_finish(struct scene_operator *so, struct app *app)
{
	struct fig_job *j = so->fig;
	SDL_WaitThread(j->thread, NULL);
	j->thread = NULL;
	if (!j->ok)
		log_warn("operator: the figures could not be read from %s", j->log_path);
	app_redraw(app);
}

static bool fig_counting(const struct scene_operator *so)
{
	return so->fig && so->fig->thread;
}

/* Days in month (1..12) of year. */
static int month_days(int year, int month)
{
	/* day 0 of the next month is the last of this one: the C library
	 * normalises it (timegm: UTC, no time zone involved) */
	struct tm t = { .tm_year = year - 1900, .tm_mon = month, .tm_mday = 0 };
	timegm(&t);
	return t.tm_mday;
}

/* Open the figures page: count today and this month (local dates) from the
 * log, with what was just logged committed first. A small log is counted
 * before the page is drawn; a big one shows "Counting…" until the worker
 * is done. */
static void open_figures(struct scene_operator *so, struct app *app)
{
	so->mode = MODE_FIGURES;
	so->base.focus = -1;
	so->message[0] = '\0';
	if (fig_counting(so))
		return;                 /* the count under way goes on */
	fig_job_free(so->fig);
	struct fig_job *j = so->fig = xcalloc(1, sizeof *j);
	store_flush(app_store(app));
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	j->today = date_today_days();
	j->month_from = j->today - (tm.tm_mday - 1);
	j->month_to = j->month_from + month_days(tm.tm_year + 1900, tm.tm_mon + 1) - 1;
	j->langs = app_langs(app);
	j->log_path = xstrdup(app_log_path(app) ? app_log_path(app) : "");
	SDL_AtomicSet(&j->done, 0);
	j->thread = SDL_CreateThread(fig_worker, "figures", j);
	if (!j->thread) {
		log_warn("operator: no thread for the figures (%s); counting here",
			 SDL_GetError());
		fig_worker(j);
		return;
	}
	int64_t until = time_mono_ms() + OPERATOR_FIGURES_WAIT_MS;
	while (!SDL_AtomicGet(&j->done) && time_mono_ms() < until)
		SDL_Delay(2);
	if (SDL_AtomicGet(&j->done))
		fig_finish(so, app);
}

/* ---- the log export: copied on a worker thread ---- */

static bool export_progress(void *data, int64_t done, int64_t total)
{
	struct export_job *j = data;
	SDL_LockMutex(j->lock);
	j->pages_done = done;
	j->pages_total = total;
	SDL_UnlockMutex(j->lock);
	return !SDL_AtomicGet(&j->cancel);
}

static int export_worker(void *data)
{
	struct export_job *j = data;
	j->ok = logexport_copy(j->log_path, j->dir, j->kiosk_id, export_progress, j,
			       &j->result, &j->err);
	SDL_AtomicSet(&j->done, 1);
	return 0;
}

/* Cancel the export if it still runs, wait for it and free the job.
 * Accepts NULL. */
static void export_job_free(struct export_job *j)
{
	if (!j)
		return;
	if (j->thread) {
		SDL_AtomicSet(&j->cancel, 1);
		SDL_WaitThread(j->thread, NULL);
		log_info("operator: log export cancelled as the menu closed");
	}
	if (j->lock)
		SDL_DestroyMutex(j->lock);
	free(j->result.path);
	free(j->err);
	free(j->log_path);
	free(j->dir);
	free(j->kiosk_id);
	free(j);
}

/* How far the export is, 0..1. */
static double export_fraction(struct export_job *j)
{
	SDL_LockMutex(j->lock);
	double f = j->pages_total > 0 ? (double)j->pages_done / (double)j->pages_total : 0;
	SDL_UnlockMutex(j->lock);
	return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* Start copying the log onto the first USB stick (else into the kiosk's
 * own exports folder). */
static void start_export(struct scene_operator *so, struct app *app)
{
	if (so->exp)
		return;
	const struct kiosk_config *cfg = app_config(app);
	char dir[1024];
	struct export_job *j = xcalloc(1, sizeof *j);
	j->usb = contest_export_dir(cfg, dir, sizeof dir);
	j->dir = xstrdup(dir);
	j->log_path = xstrdup(app_log_path(app) ? app_log_path(app) : "");
	j->kiosk_id = xstrdup(cfg->kiosk_id);
	j->lock = SDL_CreateMutex();
	SDL_AtomicSet(&j->cancel, 0);
	SDL_AtomicSet(&j->done, 0);
	store_flush(app_store(app));
	log_info("operator: exporting the log to %s%s", j->dir,
		 j->usb ? "" : " (no USB stick found)");
	j->thread = j->lock ? SDL_CreateThread(export_worker, "logexport", j) : NULL;
	if (!j->thread) {
		log_error("operator: cannot start the log export: %s", SDL_GetError());
		snprintf(so->message, sizeof so->message, "%s\n%s",
			 app_tr(app, "The log could not be exported:"), SDL_GetError());
		export_job_free(j);
		return;
	}
	so->exp = j;
	so->message[0] = '\0';
}

/* The export ended: join the worker, say how it went, log it. */
static void export_finish(struct scene_operator *so, struct app *app)
{
	struct export_job *j = so->exp;
	SDL_WaitThread(j->thread, NULL);
	j->thread = NULL;
	so->exp = NULL;
	if (j->ok) {
		const char *slash = strrchr(j->result.path, '/');
		char events[128];
		app_tr_count(app, "%d event", "%d events", (long long)j->result.events,
			     events, sizeof events);
		snprintf(so->message, sizeof so->message, "%s\n%s · %s\n%s %s",
			 app_tr(app, "The log was exported."),
			 slash ? slash + 1 : j->result.path, events,
			 j->usb ? app_tr(app, "On the USB stick:")
				: app_tr(app, "No USB stick was found. The copy is in "
					 "the kiosk's own exports folder:"),
			 j->dir);
		log_info("operator: log exported to %s (%lld events, %lld bytes)%s",
			 j->result.path, (long long)j->result.events,
			 (long long)j->result.bytes,
			 j->usb ? "" : "; no USB stick found, so into the kiosk's "
				       "own exports folder");
	} else if (SDL_AtomicGet(&j->cancel)) {
		snprintf(so->message, sizeof so->message, "%s",
			 app_tr(app, "The export was cancelled."));
		log_info("operator: log export cancelled");
	} else {
		snprintf(so->message, sizeof so->message, "%s\n%s",
			 app_tr(app, "The log could not be exported:"),
			 j->err ? j->err : "?");
		log_warn("operator: log export to %s failed: %s", j->dir,
			 j->err ? j->err : "?");
	}
	export_job_free(j);
	app_redraw(app);
}

/* The operator action each menu button is logged as. */
static const char *action_name(int id)
{
	switch (id) {
	case ID_START: return "contest-setup";
	case ID_END: return "contest-end";
	case ID_EXPORT: return "contest-export";
	case ID_CLEAR: return "contest-clear";
	case ID_FIGURES: return "figures";
	case ID_EXPORT_LOG: return "export-log";
	case ID_SETTINGS: return "settings";
	case ID_CONTENT: return "content";
	case ID_CLOSE: return "close";
	}
	return NULL;
}

/* Restart and Shut down take a second tap. */
static bool confirm(struct scene_operator *so, int id)
{
	if (so->armed == id)
		return true;
	so->armed = id;
	return false;
}

static void menu_press(struct scene_operator *so, struct app *app, int id)
{
	if (id != ID_CLEAR)
		so->clear_armed = false;
	if (id != ID_RESTART && id != ID_POWEROFF)
		so->armed = 0;
	if (action_name(id))
		app_operator_action(app, action_name(id), NULL);
	switch (id) {
	case ID_SETTINGS:
		app_push(app, scene_settings_create(app));
		return;
	case ID_CONTENT:
		app_push(app, scene_import_create(app));
		return;
	case ID_RESTART:
		if (confirm(so, id)) {
			app_operator_action(app, "restart", NULL);
			app_request_exit(app, APP_EXIT_RESTART);
		}
		break;
	case ID_POWEROFF:
		if (confirm(so, id)) {
			app_operator_action(app, "poweroff", NULL);
			app_request_exit(app, APP_EXIT_POWEROFF);
		}
		break;
	case ID_START:
		so->mode = MODE_SETUP;
		so->base.focus = -1;
		so->message[0] = '\0';
		break;
	case ID_END:
		log_info("operator: end class contest");
		app_contest_end(app);
		say(so, "%s", app_tr(app, "The contest has ended; the final ranking "
				     "stays on screen."));
		break;
	case ID_EXPORT:
		export_results(so, app);
		break;
	case ID_CLEAR:
		if (!so->clear_armed) {
			so->clear_armed = true;
			return;
		}
		log_info("operator: clear class contest");
		app_contest_clear(app);     /* pops this menu too */
		return;
	case ID_FIGURES:
		open_figures(so, app);
		break;
	case ID_EXPORT_LOG:
		if (!so->exp) {
			start_export(so, app);
		} else if (!SDL_AtomicGet(&so->exp->cancel)) {
			SDL_AtomicSet(&so->exp->cancel, 1);
			log_info("operator: cancelling the log export");
		}
		break;
	case ID_CLOSE:
		if (so->exp) {
			snprintf(so->message, sizeof so->message, "%s",
				 app_tr(app, "Wait until the log is exported, or "
					"cancel the export."));
			break;
		}
		log_info("operator menu closed");
		app_pop(app);
		return;
	}
	app_redraw(app);
}

static void figures_press(struct scene_operator *so, struct app *app, int id)
{
	if (id == ID_SETUP_BACK) {
		so->mode = MODE_MENU;
		so->base.focus = -1;
	}
	app_redraw(app);
}

static void setup_press(struct scene_operator *so, struct app *app, int id)
{
	size_t n_times = sizeof time_steps / sizeof time_steps[0];
	switch (id) {
	case ID_CLASS: so->mode = MODE_TYPING; break;
	case ID_TOPIC_DOWN: so->topic = (so->topic + so->n_topics - 1) % so->n_topics; break;
	case ID_TOPIC_UP: so->topic = (so->topic + 1) % so->n_topics; break;
	case ID_COUNT_DOWN: if (so->n_questions > 1) so->n_questions--; break;
	case ID_COUNT_UP:
		if (so->n_questions < CONTEST_MAX_QUESTIONS)
			so->n_questions++;
		break;
	case ID_TIME_DOWN: if (so->time_step > 0) so->time_step--; break;
	case ID_TIME_UP: if (so->time_step + 1 < n_times) so->time_step++; break;
	case ID_GO: start_contest(so, app); return;
	case ID_SETUP_BACK: so->mode = MODE_MENU; so->base.focus = -1; break;
	}
	app_redraw(app);
}

static void operator_event(struct scene *sc, struct app *app, const struct ui_event *ev)
{
	struct scene_operator *so = (struct scene_operator *)sc;
	so->last_input_ms = app_now_ms(app);
	if (so->mode == MODE_TYPING) {
		if (keyboard_field_event(so->kb, app, ev, &so->kb_box) ==
		    KEYBOARD_DONE)
			so->mode = MODE_SETUP;
		app_redraw(app);
		return;
	}
	int r = ui_buttons_event(app, so->buttons, so->n, &so->pressed, &sc->focus, ev);
	if (r == UI_GO_BACK) {
		if (so->mode == MODE_SETUP)
			setup_press(so, app, ID_SETUP_BACK);
		else if (so->mode == MODE_FIGURES)
			figures_press(so, app, ID_SETUP_BACK);
		else
			menu_press(so, app, ID_CLOSE);
	} else if (r >= 0) {
		if (so->mode == MODE_SETUP)
			setup_press(so, app, so->buttons[r].id);
		else if (so->mode == MODE_FIGURES)
			figures_press(so, app, so->buttons[r].id);
		else
			menu_press(so, app, so->buttons[r].id);
	}
}

static int operator_tick(struct scene *sc, struct app *app, int64_t now)
{
	struct scene_operator *so = (struct scene_operator *)sc;
	int job_ms = -1;
	if (fig_counting(so)) {
		if (SDL_AtomicGet(&so->fig->done))
			fig_finish(so, app);
		else
			job_ms = OPERATOR_JOB_TICK_MS;
	}
	if (so->exp) {
		if (SDL_AtomicGet(&so->exp->done))
			export_finish(so, app);
		else
			job_ms = OPERATOR_JOB_TICK_MS;
		app_redraw(app);        /* the progress bar */
	}
	if (job_ms >= 0) {
		/* a job under way keeps the menu open */
		so->last_input_ms = now;
		return job_ms;
	}
	int64_t left = so->last_input_ms + OPERATOR_IDLE_MS - now;
	if (left <= 0) {
		log_info("operator menu closed after %d s without input",
			 OPERATOR_IDLE_MS / 1000);
		app_pop(app);
		return -1;
	}
	int kb = so->mode == MODE_TYPING ? keyboard_tick(so->kb, app, now) : -1;
	return kb >= 0 && kb < left ? kb : (int)left;
}

static bool operator_busy(struct scene *sc, struct app *app)
{
	(void)sc;
	(void)app;
	return true;    /* the menu has its own timeout */
}

/* ---- drawing ---- */

static int add(struct scene_operator *so, SDL_Rect r, int id, const char *label,
	       const char *sub, struct app *app)
{
	int idx = (int)so->n;
	so->buttons[so->n++] = (struct ui_button){ r, id };
	if (so->base.focus < 0)
		so->base.focus = idx;
	draw_button(app, &r, label, sub, so->base.focus == idx, so->pressed == idx);
	return idx;
}

static void draw_menu(struct scene_operator *so, struct app *app)
{
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	int y = oppage_title(app, app_tr(app, "Operator menu"));
	const struct contest *c = app_contest(app);
	struct text_engine *te = app_text(app);
	struct text_style ss = { .size_px = u * 4, .color = COLOR_TEXT };
	char status[512];
	if (c)
		snprintf(status, sizeof status, "%s: %s (%s)", app_tr(app, "Class contest"),
			 c->class_name, c->ended ? app_tr(app, "ended")
						 : app_tr(app, "running"));
	else
		snprintf(status, sizeof status, "%s", app_tr(app, "No class contest."));
	text_draw_line(te, status, u * 3, y, w - u * 6, &ss);
	y += text_line_height(te, &ss) + u;
	/* what the machine draws and decodes with (a Pi's KMSDRM and GLES,
	 * its V4L2 decoder, or the software fallbacks) */
	struct text_style ds = { .size_px = u * 3, .color = COLOR_TEXT_DIM };
	const char *video = app_video_desc(app);
	char about[512];
	snprintf(about, sizeof about, "%s: %s", app_tr(app, "Screen"),
		 app_screen_desc(app));
	text_draw_line(te, about, u * 3, y, w - u * 6, &ds);
	y += text_line_height(te, &ds);
	snprintf(about, sizeof about, "%s: %s", app_tr(app, "Video decoding"),
		 *video ? video : app_tr(app, "no film shown yet"));
	text_draw_line(te, about, u * 3, y, w - u * 6, &ds);
	y += text_line_height(te, &ds) + u * 2;
	int cols = app_portrait(app) ? 1 : 2;
	int bw = (w - u * 3 * (cols + 1)) / cols, bh = u * 13;
	/* buttons lower when there are many, leaving room for the progress
	 * and four lines of message */
	int n_buttons = 8 + (c ? 2 : 0) + (c && !c->ended ? 1 : 0);
	int rows = (n_buttons + cols - 1) / cols;
	int room = (h - y - u * 30) / rows - u * 2;
	if (room < bh)
		bh = room < u * 9 ? u * 9 : room;
	int i = 0;
#define NEXT_RECT() ((SDL_Rect){ u * 3 + (i % cols) * (bw + u * 3), \
				 y + (i / cols) * (bh + u * 2), bw, bh })
	add(so, NEXT_RECT(), ID_START, app_tr(app, "Start a class contest"), NULL, app);
	i++;
	if (c && !c->ended) {
		add(so, NEXT_RECT(), ID_END, app_tr(app, "End the contest"), NULL, app);
		i++;
	}
	if (c) {
		add(so, NEXT_RECT(), ID_EXPORT, app_tr(app, "Export the results"),
		    app_tr(app, "CSV and HTML, onto a USB stick"), app);
		i++;
		add(so, NEXT_RECT(), ID_CLEAR,
		    so->clear_armed ? app_tr(app, "Tap again to clear")
				    : app_tr(app, "Clear the results"),
		    app_tr(app, "from the screen; the log keeps them"), app);
		i++;
	}
	add(so, NEXT_RECT(), ID_FIGURES, app_tr(app, "Figures"),
	    app_tr(app, "Today and this month"), app);
	i++;
	if (so->exp)
		add(so, NEXT_RECT(), ID_EXPORT_LOG, app_tr(app, "Cancel the export"),
		    app_tr(app, "Exporting the log…"), app);
	else
		add(so, NEXT_RECT(), ID_EXPORT_LOG, app_tr(app, "Export log"),
		    app_tr(app, "onto a USB stick, for the yearly report"), app);
	i++;
	add(so, NEXT_RECT(), ID_SETTINGS, app_tr(app, "Settings"),
	    app_tr(app, "site, language, volume, idle time, screen turn, PIN"), app);
	i++;
	add(so, NEXT_RECT(), ID_CONTENT, app_tr(app, "Content"),
	    app_tr(app, "import a pack from a USB stick, roll back"), app);
	i++;
	add(so, NEXT_RECT(), ID_RESTART, so->armed == ID_RESTART
	    ? app_tr(app, "Tap again to restart") : app_tr(app, "Restart"),
	    app_tr(app, "the kiosk program"), app);
	i++;
	add(so, NEXT_RECT(), ID_POWEROFF, so->armed == ID_POWEROFF
	    ? app_tr(app, "Tap again to shut down") : app_tr(app, "Shut down"),
	    app_tr(app, "wait for the screen to go dark before unplugging"), app);
	i++;
	add(so, NEXT_RECT(), ID_CLOSE, app_tr(app, "Close"), NULL, app);
	i++;
#undef NEXT_RECT
	y += ((i + cols - 1) / cols) * (bh + u * 2);
	if (so->exp) {
		/* the export's progress: a bar and how far it is */
		double f = export_fraction(so->exp);
		char pct[32], line[160];
		langfmt_int(lang_find(app_langs(app), app_lang(app)), (long long)(f * 100),
			    pct, sizeof pct);
		snprintf(line, sizeof line, "%s %s %%", app_tr(app, "Exporting the log…"), pct);
		y = oppage_progress(app, u * 3, y, w - u * 6, line, f);
	}
	if (so->message[0]) {
		struct text_style ms = { .size_px = u * 35 / 10, .color = COLOR_FOCUS };
		SDL_Rect box = { u * 3, y, w - u * 6, h - y - u };
		text_draw_box(te, so->message, &box, 0, &ms);
	}
}

/* One setting: a label, its value, and [−] [+]. */
static void draw_setting(struct scene_operator *so, struct app *app, int y,
			 const char *label, const char *value, int id_down, int id_up)
{
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	struct text_style ls = { .size_px = u * 4, .color = COLOR_TEXT_DIM };
	int rh = u * 11;
	text_draw_line(te, label, u * 3, y + (rh - text_line_height(te, &ls)) / 2,
		       w * 3 / 10, &ls);
	SDL_Rect down = { w * 33 / 100, y, u * 11, rh };
	SDL_Rect up = { w - u * 14, y, u * 11, rh };
	add(so, down, id_down, "−", NULL, app);
	struct text_style vs = { .size_px = u * 45 / 10, .bold = true,
				 .color = COLOR_TEXT, .align = TEXT_CENTER };
	text_draw_line(te, value, down.x + down.w + u,
		       y + (rh - text_line_height(te, &vs)) / 2,
		       up.x - down.x - down.w - u * 2, &vs);
	add(so, up, id_up, "+", NULL, app);
}

static void draw_setup(struct scene_operator *so, struct app *app)
{
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	int y = oppage_title(app, app_tr(app, "Start a class contest"));
	/* the class name: a field to tap */
	struct text_style ls = { .size_px = u * 4, .color = COLOR_TEXT_DIM };
	int rh = u * 11;
	text_draw_line(te, app_tr(app, "Class"), u * 3,
		       y + (rh - text_line_height(te, &ls)) / 2, w * 3 / 10, &ls);
	SDL_Rect field = { w * 33 / 100, y, w - w * 33 / 100 - u * 3, rh };
	int idx = (int)so->n;
	so->buttons[so->n++] = (struct ui_button){ field, ID_CLASS };
	draw_text_field(app, &field, keyboard_text(so->kb), u * 5,
			so->mode == MODE_TYPING);
	if (so->base.focus == idx)
		draw_focus(app, &field);
	y += rh + u * 2;
	if (so->mode == MODE_TYPING) {
		int kb_h = h - y - u;
		so->kb_box = (SDL_Rect){ 0, y, w, kb_h };
		keyboard_draw(so->kb, app, so->kb_box);
		return;
	}
	const struct topic *t = so->topics[so->topic] ? topic_find(so->topics[so->topic])
						      : NULL;
	draw_setting(so, app, y, app_tr(app, "Topic"),
		     t ? app_tr(app, t->label) : app_tr(app, "Every topic"),
		     ID_TOPIC_DOWN, ID_TOPIC_UP);
	y += rh + u * 2;
	char count[32];
	snprintf(count, sizeof count, "%d", so->n_questions);
	draw_setting(so, app, y, app_tr(app, "Questions"), count, ID_COUNT_DOWN,
		     ID_COUNT_UP);
	y += rh + u * 2;
	char secs[64];
	int s = time_steps[so->time_step];
	if (s)
		snprintf(secs, sizeof secs, "%d s", s);
	else
		snprintf(secs, sizeof secs, "%s", app_tr(app, "No time limit"));
	draw_setting(so, app, y, app_tr(app, "Time per question"), secs,
		     ID_TIME_DOWN, ID_TIME_UP);
	y += rh + u * 3;
	int bw = (w - u * 9) / 2;
	add(so, (SDL_Rect){ u * 3, y, bw, u * 12 }, ID_SETUP_BACK,
	    app_tr(app, "Back"), NULL, app);
	add(so, (SDL_Rect){ u * 6 + bw, y, bw, u * 12 }, ID_GO,
	    app_tr(app, "Start the contest"), NULL, app);
	if (so->message[0]) {
		struct text_style ms = { .size_px = u * 35 / 10, .color = COLOR_FOCUS };
		text_draw_line(te, so->message, u * 3, y + u * 13, w - u * 6, &ms);
	}
}

/* ---- the figures page ---- */

/* A share (0..1) as "17,5 %" in the visitor's language. */
static void format_share(const struct lang *lang, double share, char *out, size_t size)
{
	char num[32];
	langfmt_decimal(lang, share * 100.0, 1, num, sizeof num);
	snprintf(out, size, "%s %%", num);
}

/* A duration as hours and minutes, "1.234:05" (hours grouped the
 * language's way). */
static void format_hours(const struct lang *lang, double seconds, char *out,
			 size_t size)
{
	long long minutes = (long long)(seconds / 60.0 + 0.5);
	char hours[32];
	langfmt_int(lang, minutes / 60, hours, sizeof hours);
	snprintf(out, size, "%s:%02lld", hours, minutes % 60);
}

/* One row of the table at y: a label (on two lines when it needs them)
 * and the figure for today and for the month. Draws only when draw;
 * returns the row's height. */
static int table_row(struct app *app, const SDL_Rect *box, int y, bool draw,
		     const char *label, const char *today, const char *month,
		     SDL_Color today_color, SDL_Color month_color, bool bold)
{
	struct text_engine *te = app_text(app);
	int u = app_unit(app);
	struct text_style ls = { .size_px = u * 35 / 10, .bold = bold,
				 .color = bold ? COLOR_TEXT : COLOR_TEXT_DIM };
	int lh = text_line_height(te, &ls);
	int label_w = box->w * 56 / 100, col_w = (box->w - label_w) / 2;
	struct text_line lines[2];
	int n_lines = label[0] ? (int)text_layout(te, label, &ls, label_w - u, 2, lines) : 1;
	if (n_lines < 1)
		n_lines = 1;
	int row_h = lh * n_lines + lh / 5;
	if (!draw)
		return row_h;
	SDL_Rect lbox = { box->x, y + lh / 10, label_w - u, lh * n_lines };
	text_draw_box(te, label, &lbox, 2, &ls);
	int vy = y + (row_h - lh) / 2;
	struct text_style vs = { .size_px = u * 35 / 10, .bold = true,
				 .align = TEXT_RIGHT, .color = today_color };
	text_draw_line(te, today, box->x + label_w, vy, col_w - u, &vs);
	vs.color = month_color;
	text_draw_line(te, month, box->x + label_w + col_w, vy, col_w - u, &vs);
	return row_h;
}

/* The table of figures in box (its height is ignored): today's and the
 * month's. Draws only when draw; returns the height it takes. */
static int draw_table(struct app *app, const SDL_Rect *box, bool draw,
		      const struct report_figures *day,
		      const struct report_figures *month)
{
	const struct lang *lang = lang_find(app_langs(app), app_lang(app));
	int u = app_unit(app);
	int y = box->y;
	y += table_row(app, box, y, draw, "", app_tr(app, "Today"),
		       app_tr(app, "This month"), COLOR_TEXT, COLOR_TEXT, true);
	SDL_Rect line = { box->x, y, box->w, u / 3 > 0 ? u / 3 : 1 };
	if (draw)
		draw_fill(app_renderer(app), &line, COLOR_PANEL_HI);
	y += u;
	char a[64], b[64];
	langfmt_int(lang, day->sessions, a, sizeof a);
	langfmt_int(lang, month->sessions, b, sizeof b);
	y += table_row(app, box, y, draw, app_tr(app, "Visitor sessions"), a, b,
		       COLOR_TEXT, COLOR_TEXT, false);
	langfmt_int(lang, day->v.views, a, sizeof a);
	langfmt_int(lang, month->v.views, b, sizeof b);
	y += table_row(app, box, y, draw, app_tr(app, "Views"), a, b, COLOR_TEXT,
		       COLOR_TEXT, false);
	format_hours(lang, day->v.seconds, a, sizeof a);
	format_hours(lang, month->v.seconds, b, sizeof b);
	y += table_row(app, box, y, draw, app_tr(app, "Time watched (hours:minutes)"),
		       a, b, COLOR_TEXT, COLOR_TEXT, false);
	/* the share against the target: green once it reaches it */
	SDL_Color ca = COLOR_TEXT_DIM, cb = COLOR_TEXT_DIM;
	snprintf(a, sizeof a, "–");
	snprintf(b, sizeof b, "–");
	if (day->v.views > 0) {
		format_share(lang, day->share_views, a, sizeof a);
		ca = day->share_views >= FIGURES_TARGET_LOW ? COLOR_TARGET : COLOR_BADGE;
	}
	if (month->v.views > 0) {
		format_share(lang, month->share_views, b, sizeof b);
		cb = month->share_views >= FIGURES_TARGET_LOW ? COLOR_TARGET : COLOR_BADGE;
	}
	y += table_row(app, box, y, draw,
		       app_tr(app, "Views in minority and foreign languages"), a, b,
		       ca, cb, false);
	char lo[16], hi[16], target[64];
	langfmt_int(lang, (long long)(FIGURES_TARGET_LOW * 100 + 0.5), lo, sizeof lo);
	langfmt_int(lang, (long long)(FIGURES_TARGET_HIGH * 100 + 0.5), hi, sizeof hi);
	snprintf(target, sizeof target, "%s–%s %%", lo, hi);
	y += table_row(app, box, y, draw, app_tr(app, "Target of the national plan"),
		       "", target, COLOR_TEXT_DIM, COLOR_TEXT_DIM, false);
	return y - box->y;
}

/* A chart's caption above it; returns its height. */
static int draw_caption(struct app *app, int x, int y, int w, const char *text)
{
	struct text_engine *te = app_text(app);
	struct text_style cs = { .size_px = app_unit(app) * 3, .bold = true,
				 .color = COLOR_TEXT_DIM };
	text_draw_line(te, text, x, y, w, &cs);
	return text_line_height(te, &cs) + app_unit(app);
}

/* Views per day of this month: a column per day, today's in the focus
 * colour. */
static void draw_day_chart(struct scene_operator *so, struct app *app,
			   const SDL_Rect *box)
{
	const struct fig_job *j = so->fig;
	const struct lang *lang = lang_find(app_langs(app), app_lang(app));
	int y = box->y + draw_caption(app, box->x, box->y, box->w,
				      app_tr(app, "Views per day this month"));
	size_t n = (size_t)(j->month_to - j->month_from + 1);
	struct minichart_bar bars[31];
	char labels[31][8];
	for (size_t i = 0; i < n && i < 31; i++) {
		int64_t day = j->month_from + (int64_t)i;
		langfmt_int(lang, (long long)i + 1, labels[i], sizeof labels[i]);
		bars[i] = (struct minichart_bar){ labels[i], 0,
			day == j->today ? COLOR_FOCUS : COLOR_BADGE };
		for (size_t d = 0; d < j->month.n_days; d++)
			if (j->month.days[d].day == day)
				bars[i].value = j->month.days[d].v.views;
	}
	so->day_chart = (SDL_Rect){ box->x, y, box->w, box->y + box->h - y };
	minichart_columns(app, &so->day_chart, bars, n < 31 ? n : 31, lang,
			  app_unit(app) * 28 / 10);
}

/* Views per language this month, by endonym, the languages of the target
 * in green. */
static void draw_lang_chart(struct scene_operator *so, struct app *app,
			    const SDL_Rect *box)
{
	const struct report_figures *f = &so->fig->month;
	const struct lang *lang = lang_find(app_langs(app), app_lang(app));
	int y = box->y + draw_caption(app, box->x, box->y, box->w,
				      app_tr(app, "Views per language this month"));
	struct minichart_bar *bars = xcalloc(f->n_langs + 1, sizeof *bars);
	size_t n = 0;
	for (size_t i = 0; i < f->n_langs; i++) {
		if (f->langs[i].v.views <= 0)
			continue;
		const struct lang *l = lang_find(app_langs(app), f->langs[i].lang);
		enum figures_lang_kind k = f->langs[i].kind;
		bars[n++] = (struct minichart_bar){
			l ? l->endonym : f->langs[i].lang, f->langs[i].v.views,
			k == FIGURES_LANG_NATIONAL ? COLOR_NATIONAL
			: k == FIGURES_LANG_UNKNOWN ? COLOR_TEXT_DIM : COLOR_TARGET };
	}
	so->lang_chart = (SDL_Rect){ box->x, y, box->w, box->y + box->h - y };
	minichart_bars(app, &so->lang_chart, bars, n, lang, app_unit(app) * 32 / 10);
	free(bars);
}

static void draw_figures(struct scene_operator *so, struct app *app)
{
	struct text_engine *te = app_text(app);
	const struct lang *lang = lang_find(app_langs(app), app_lang(app));
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	char title[256], date[32];
	langfmt_date_days(lang, so->fig ? so->fig->today : date_today_days(), date,
			  sizeof date);
	snprintf(title, sizeof title, "%s · %s", app_tr(app, "Figures"), date);
	int top = oppage_title(app, title);
	int bh = u * 10;
	int bottom = h - bh - u * 2;     /* the content ends here */
	SDL_Rect back = { u * 3, bottom + u, app_portrait(app) ? w - u * 6 : w / 3, bh };
	add(so, back, ID_SETUP_BACK, app_tr(app, "Back"), NULL, app);

	struct text_style ms = { .size_px = u * 5, .color = COLOR_TEXT,
				 .align = TEXT_CENTER };
	const char *note = NULL;
	const struct fig_job *j = so->fig;
	if (!j || j->thread)
		note = app_tr(app, "Counting…");
	else if (!j->ok)
		note = app_tr(app, "The figures could not be read from the log.");
	else if (j->month.sessions == 0 && j->month.v.views == 0)
		note = app_tr(app, "Nothing logged yet this month.");
	if (note) {
		SDL_Rect box = { u * 3, top + (bottom - top) / 3, w - u * 6,
				 (bottom - top) * 2 / 3 };
		text_draw_box(te, note, &box, 0, &ms);
		return;
	}
	int table_w = app_portrait(app) ? w - u * 6 : (w - u * 9) * 55 / 100;
	SDL_Rect table = { u * 3, top, table_w, 0 };
	table.h = draw_table(app, &table, false, &j->day, &j->month);
	draw_table(app, &table, true, &j->day, &j->month);
	if (app_portrait(app)) {
		/* the table, the languages, then the days */
		int y = top + table.h + u * 3;
		int rest = bottom - y;
		struct text_style ls = { .size_px = u * 32 / 10 };
		int lang_h = text_line_height(te, &ls) * 16 / 10 *
			     (int)(j->month.n_langs > 0 ? j->month.n_langs : 1) + u * 6;
		SDL_Rect langs = { u * 3, y, w - u * 6,
				   lang_h < rest * 4 / 10 ? lang_h : rest * 4 / 10 };
		draw_lang_chart(so, app, &langs);
		SDL_Rect days = { u * 3, y + langs.h + u * 3, w - u * 6,
				  rest - langs.h - u * 3 };
		draw_day_chart(so, app, &days);
	} else {
		/* the table and the languages side by side, the days under */
		SDL_Rect langs = { u * 6 + table_w, top, w - u * 9 - table_w, table.h };
		draw_lang_chart(so, app, &langs);
		SDL_Rect days = { u * 3, top + table.h + u * 2, w - u * 6,
				  bottom - top - table.h - u * 2 };
		draw_day_chart(so, app, &days);
	}
}

static void operator_draw(struct scene *sc, struct app *app)
{
	struct scene_operator *so = (struct scene_operator *)sc;
	so->n = 0;
	so->day_chart = so->lang_chart = (SDL_Rect){ 0, 0, 0, 0 };
	if (so->mode == MODE_MENU)
		draw_menu(so, app);
	else if (so->mode == MODE_FIGURES)
		draw_figures(so, app);
	else
		draw_setup(so, app);
}

static void operator_resume(struct scene *sc, struct app *app)
{
	(void)sc;
	app_redraw(app);
}

static void operator_destroy(struct scene *sc, struct app *app)
{
	(void)app;
	struct scene_operator *so = (struct scene_operator *)sc;
	export_job_free(so->exp);
	fig_job_free(so->fig);
	keyboard_destroy(so->kb);
	free(so);
}

static const struct scene_ops operator_ops = {
	.name = "operator",
	.wants_text = true,
	.event = operator_event,
	.draw = operator_draw,
	.tick = operator_tick,
	.resume = operator_resume,
	.busy = operator_busy,
	.destroy = operator_destroy,
};

struct scene *scene_operator_create(struct app *app)
{
	struct scene_operator *so = xcalloc(1, sizeof *so);
	so->base.ops = &operator_ops;
	so->base.focus = -1;
	so->pressed = -1;
	so->last_input_ms = app_now_ms(app);
	so->kb = keyboard_create();
	so->n_questions = 10;
	so->time_step = 0;
	so->topics[so->n_topics++] = NULL;
	size_t n;
	const struct topic *all = topics_all(&n);
	for (size_t i = 0; i < n && so->n_topics < OPERATOR_MAX_TOPICS; i++)
		if (quiz_bank_count(app_quiz_bank(app), all[i].id))
			so->topics[so->n_topics++] = all[i].id;
	return &so->base;
}

bool scene_operator_button(struct scene *sc, const char *action, SDL_Rect *out)
{
	static const struct { const char *name; int id; } actions[] = {
		{ "start", ID_START }, { "end", ID_END }, { "export", ID_EXPORT },
		{ "clear", ID_CLEAR }, { "close", ID_CLOSE }, { "class", ID_CLASS },
		{ "topic-", ID_TOPIC_DOWN }, { "topic+", ID_TOPIC_UP },
		{ "count-", ID_COUNT_DOWN }, { "count+", ID_COUNT_UP },
		{ "time-", ID_TIME_DOWN }, { "time+", ID_TIME_UP },
		{ "go", ID_GO }, { "back", ID_SETUP_BACK },
		{ "figures", ID_FIGURES }, { "export-log", ID_EXPORT_LOG },
		{ "settings", ID_SETTINGS }, { "content", ID_CONTENT },
		{ "restart", ID_RESTART }, { "poweroff", ID_POWEROFF },
	};
	if (!sc || strcmp(sc->ops->name, "operator") != 0)
		return false;
	struct scene_operator *so = (struct scene_operator *)sc;
	for (size_t a = 0; a < sizeof actions / sizeof actions[0]; a++) {
		if (strcmp(actions[a].name, action) != 0)
			continue;
		for (size_t i = 0; i < so->n; i++)
			if (so->buttons[i].id == actions[a].id) {
				*out = so->buttons[i].r;
				return true;
			}
	}
	return false;
}

const char *scene_operator_message(struct scene *sc)
{
	if (!sc || strcmp(sc->ops->name, "operator") != 0)
		return NULL;
	return ((struct scene_operator *)sc)->message;
}

const struct report_figures *scene_operator_figures(struct scene *sc, bool today)
{
	if (!sc || strcmp(sc->ops->name, "operator") != 0)
		return NULL;
	struct scene_operator *so = (struct scene_operator *)sc;
	if (so->mode != MODE_FIGURES || !so->fig || so->fig->thread || !so->fig->ok)
		return NULL;
	return today ? &so->fig->day : &so->fig->month;
}

bool scene_operator_chart(struct scene *sc, const char *which, SDL_Rect *out)
{
	if (!sc || strcmp(sc->ops->name, "operator") != 0)
		return false;
	struct scene_operator *so = (struct scene_operator *)sc;
	const SDL_Rect *r = !strcmp(which, "days") ? &so->day_chart
			    : !strcmp(which, "langs") ? &so->lang_chart : NULL;
	if (!r || r->w <= 0 || r->h <= 0)
		return false;
	*out = *r;
	return true;
}

bool scene_operator_working(struct scene *sc)
{
	if (!sc || strcmp(sc->ops->name, "operator") != 0)
		return false;
	struct scene_operator *so = (struct scene_operator *)sc;
	return so->exp || fig_counting(so);
}
