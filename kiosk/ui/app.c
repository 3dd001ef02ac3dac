/*
 * app: the kiosk's screen program (see app.h).
 */
#include "ui/app.h"

#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "base/log.h"
#include "base/pinlock.h"
#include "base/settings.h"
#include "base/util.h"
#include "base/watchdog.h"
#include "i18n/langfmt.h"
#include "media/image.h"
#include "media/movie.h"
#include "pack/library.h"
#include "quiz/bank.h"
#include "ui/draw.h"
#include "ui/prompt.h"
#include "ui/screen.h"
#include "ui/thumbs.h"

#define APP_MAX_SCENES 16
#define APP_MAX_CHAIN 8
/* How long a press in the top-left corner opens the operator menu. */
#define APP_OPERATOR_PRESS_MS 5000
/* Longest sleep when the video driver cannot block in SDL_WaitEvent
 * (KMSDRM, offscreen, or a joystick attached): input latency bound. */
#define APP_POLL_SLICE_MS 10
/* The mouse cursor hides after this long without moving. */
#define APP_CURSOR_HIDE_MS 3000
/* While the log cannot be written, how often the app looks whether it
 * can again (only then: a healthy kiosk sets no timer for it). */
#define APP_HEALTH_MS 1000
/* Less free space than this on the data partition is a full disk. */
#define APP_DISK_LOW_BYTES (INT64_C(1024) * 1024)
/* Most notices on screen at once. */
#define APP_MAX_NOTICES 2

/* The notices the kiosk shows over every screen while it cannot do
 * something (msgids, in every locales/ file). */
#define NOTICE_DISK_FULL \
	"The kiosk's disk is full: visits are kept in memory until there is room."
#define NOTICE_READ_ONLY \
	"The kiosk's data folder is read-only: visits are not being recorded."
#define NOTICE_LOG_FAILS \
	"The kiosk's log cannot be written: visits are not being recorded."
#define NOTICE_NO_SOUND \
	"No sound: this kiosk has no working audio device."

struct app {
	const struct kiosk_config *cfg;  /* &own_cfg */
	struct kiosk_config own_cfg;     /* a copy: the operator menu changes it */
	struct app_options opt;
	struct screen *screen;           /* window, renderer, the turn */
	SDL_Window *window;              /* screen's */
	SDL_Renderer *renderer;          /* screen's */
	char video_decoder[192];         /* app_note_video: the last film's */
	char video_name[128];            /* decoder and file name */
	char video_desc[336];            /* app_video_desc's "decoder (name)" */
	int w, h;                        /* size the scenes draw at, pixels
					  * (the output size, turned) */
	struct text_engine *text;
	struct lang_registry *langs;
	struct strings *strings;
	struct catalog *catalog;
	struct library *library;         /* which library is live; imports */
	struct pinlock *pin;             /* the operator menu's PIN */
	struct store *store;             /* NULL when the log cannot be opened */
	char *log_path;                  /* the log's file */
	struct quiz_bank *quiz;          /* every question; never NULL */
	struct contest contest;          /* the class contest ... */
	bool contest_open;               /* ... when there is one */
	int64_t corner_down_ms;          /* a press held in the operator
					  * corner since then; -1 none */

	char lang[16];                   /* the visitor's language */
	const char *chain[APP_MAX_CHAIN];
	size_t n_chain;

	char session[STORE_UUID_LEN];    /* "" when no visitor */
	double volume;                   /* the visitor's, 0..1 */

	struct scene *stack[APP_MAX_SCENES];
	int depth;

	struct thumbs *thumbs;           /* the grid's, per catalog item */
	struct prompt *prompt;           /* a spoken language name */

	int64_t clock_offset_ms;         /* tests move the clock */
	int64_t last_input_ms;
	bool focus_visible;              /* last input was keys or gamepad */
	bool driver_blocks;              /* SDL_WaitEvent blocks in the kernel (x11, wayland) */
	bool dirty;
	bool quit;
	enum app_exit exit_kind;         /* what quitting means */
	bool leave_keys;                 /* the operator lets Alt+F4, Ctrl+Q quit */
	bool cursor_shown;               /* the mouse moved lately */
	int64_t cursor_moved_ms;
	bool presented_once;

	/* What the kiosk cannot do now, told once in the log and shown as a
	 * notice over every screen (main thread, unless said otherwise). */
	atomic_bool log_error_seen;      /* the log hook saw an error about
					  * the log file (any thread) */
	atomic_llong log_error_count;    /* store_committed_count then */
	bool log_failing;                /* commits fail: events wait queued */
	long long log_fail_count;        /* committed count when they began to */
	int64_t health_due_ms;           /* next look while log_failing */
	const char *log_notice;          /* NOTICE_*, or NULL */
	char audio_error[256];           /* why SDL audio would not start */
	bool audio_checked;              /* the sound device was probed */
	const char *audio_notice;        /* NOTICE_NO_SOUND or NULL */
	SDL_Rect notice_bar;             /* where the notices were last drawn */

	SDL_FingerID finger;             /* the finger driving the pointer */
	bool finger_down, mouse_down;
	/* Two fingers: a pinch. Positions in renderer pixels. */
	SDL_FingerID finger2;
	bool pinching;                   /* until both fingers are up */
	int fingers;                     /* how many are down */
	double f1x, f1y, f2x, f2y;
	int stick_dir;                   /* last gamepad stick direction */
};

/* ------------------------------------------------------------------ */
/* accessors                                                           */

SDL_Renderer *app_renderer(struct app *app) { return app->renderer; }
struct text_engine *app_text(struct app *app) { return app->text; }
const struct kiosk_config *app_config(struct app *app) { return app->cfg; }
const struct catalog *app_catalog(struct app *app) { return app->catalog; }
const struct lang_registry *app_langs(struct app *app) { return app->langs; }
struct store *app_store(struct app *app) { return app->store; }
const char *app_session_id(struct app *app) { return app->session; }
const char *app_lang(struct app *app) { return app->lang; }
bool app_focus_visible(struct app *app) { return app->focus_visible; }
void app_redraw(struct app *app) { app->dirty = true; }
void app_quit(struct app *app) { app->quit = true; }
struct library *app_library(struct app *app) { return app->library; }
struct pinlock *app_pin(struct app *app) { return app->pin; }
enum app_exit app_exit_kind(struct app *app) { return app->exit_kind; }
bool app_leave_keys(struct app *app) { return app->leave_keys; }

void app_set_leave_keys(struct app *app, bool allowed)
{
	app->leave_keys = allowed;
}

void app_request_exit(struct app *app, enum app_exit how)
{
	static const char *const what[] = { "quit", "restart", "power off" };
	log_info("kiosk: %s requested", what[how]);
	app->exit_kind = how;
	app->quit = true;
}

static void update_size(struct app *app);

bool app_apply_settings(struct app *app, const struct kiosk_config *changed,
			char **err)
{
	struct kiosk_config *c = &app->own_cfg;
	struct kiosk_config was = *c;
	memcpy(c->site, changed->site, sizeof c->site);
	memcpy(c->default_lang, changed->default_lang, sizeof c->default_lang);
	c->volume_percent = changed->volume_percent;
	c->idle_timeout_s = changed->idle_timeout_s;
	c->rotation = changed->rotation;
	if (!settings_save(c, err)) {
		*c = was;
		return false;
	}
	if (was.rotation != c->rotation) {
		screen_set_rotation(app->screen, c->rotation);
		update_size(app);
	}
	if (strcmp(was.site, c->site) != 0)
		store_set_site(app->store, c->site);
	if (!app->session[0])
		app->volume = c->volume_percent / 100.0;
	app->dirty = true;
	return true;
}
double app_volume(struct app *app) { return app->volume; }

void app_set_volume(struct app *app, double volume)
{
	app->volume = volume < 0 ? 0 : volume > 1 ? 1 : volume;
	app->dirty = true;
}

void app_size(struct app *app, int *w, int *h)
{
	*w = app->w;
	*h = app->h;
}

int app_unit(struct app *app)
{
	int s = app->w < app->h ? app->w : app->h;
	int u = s / 100;
	return u < 2 ? 2 : u;
}

bool app_portrait(struct app *app) { return app->h > app->w; }

int64_t app_now_ms(struct app *app)
{
	return time_mono_ms() + app->clock_offset_ms;
}

void app_advance_clock(struct app *app, int64_t ms)
{
	app->clock_offset_ms += ms;
}

const char *const *app_lang_chain(struct app *app, size_t *n)
{
	*n = app->n_chain;
	return app->chain;
}

const char *app_tr(struct app *app, const char *msgid)
{
	return strings_get(app->strings, app->lang, msgid);
}

const char *app_tr_lang(struct app *app, const char *lang, const char *msgid)
{
	return strings_get(app->strings, lang, msgid);
}

char *app_tr_count(struct app *app, const char *msgid, const char *msgid_plural,
		   long long n, char *out, size_t size)
{
	const char *form = strings_getn(app->strings, app->lang, msgid, msgid_plural,
					n < 0 ? 0UL : (unsigned long)n);
	char num[32];
	langfmt_int(lang_find(app->langs, app->lang), n, num, sizeof num);
	const char *at = strstr(form, "%d");
	if (at)
		snprintf(out, size, "%.*s%s%s", (int)(at - form), form, num, at + 2);
	else
		snprintf(out, size, "%s", form);  /* a form without the number */
	return out;
}

char *app_tr_numbers(struct app *app, const char *msgid, const long long *values,
		     size_t n, char *out, size_t size)
{
	const char *form = app_tr(app, msgid);
	const struct lang *lang = lang_find(app->langs, app->lang);
	size_t o = 0, used = 0;
	out[0] = '\0';
	while (*form && o + 1 < size) {
		const char *at = strstr(form, "%d");
		size_t len = at ? (size_t)(at - form) : strlen(form);
		int w = snprintf(out + o, size - o, "%.*s", (int)len, form);
		o += w > 0 ? (size_t)w : 0;
		if (!at || o + 1 >= size)
			break;
		char num[32] = "";
		if (used < n)
			langfmt_int(lang, values[used++], num, sizeof num);
		w = snprintf(out + o, size - o, "%s", num);
		o += w > 0 ? (size_t)w : 0;
		form = at + 2;
	}
	if (o >= size)
		out[size - 1] = '\0';
	return out;
}

const char *app_tr_from(struct app *app, const char *lang, const char *msgid,
			const char **from_lang)
{
	return strings_get_from(app->strings, lang, msgid, from_lang);
}

static void set_lang_silent(struct app *app, const char *tag)
{
	if (!lang_find(app->langs, tag)) {
		log_warn("unknown language '%s'; using %s", tag,
			 app->langs->default_tag);
		tag = app->langs->default_tag;
	}
	snprintf(app->lang, sizeof app->lang, "%s", tag);
	app->n_chain = lang_chain(app->langs, app->lang, app->chain, APP_MAX_CHAIN);
	app->dirty = true;
}

void app_set_lang(struct app *app, const char *tag)
{
	char old[sizeof app->lang];
	snprintf(old, sizeof old, "%s", app->lang);
	set_lang_silent(app, tag);
	if (strcmp(old, app->lang) != 0 && app->session[0] && app->store)
		store_lang_switch(app->store, app->session, old, app->lang);
}

void app_begin_session(struct app *app)
{
	if (app->session[0])
		return;
	if (app->store)
		store_session_begin(app->store, app->lang, app->session);
	else
		store_new_uuid(app->session);
	log_info("visitor session %s begins (%s)", app->session, app->lang);
}

void app_end_session(struct app *app, const char *reason)
{
	if (!app->session[0])
		return;
	if (app->store)
		store_session_end(app->store, app->session, reason);
	log_info("visitor session %s ends (%s)", app->session, reason);
	app->session[0] = '\0';
	prompt_stop(app->prompt);
}

void app_play_prompt(struct app *app, const char *path)
{
	if (!app->prompt)
		app->prompt = prompt_create();
	prompt_play(app->prompt, path, app->volume);
}

void app_stop_prompt(struct app *app)
{
	prompt_stop(app->prompt);
}

const char *app_prompt_playing(struct app *app, double *position_s)
{
	if (position_s)
		*position_s = prompt_position_s(app->prompt);
	return prompt_playing(app->prompt);
}

/* ------------------------------------------------------------------ */
/* scene stack                                                         */

struct scene *app_top(struct app *app)
{
	return app->depth ? app->stack[app->depth - 1] : NULL;
}

void app_push(struct app *app, struct scene *sc)
{
	if (!sc)
		return;
	if (app->depth == APP_MAX_SCENES) {
		log_error("scene stack full; dropping %s", sc->ops->name);
		sc->ops->destroy(sc, app);
		return;
	}
	app->stack[app->depth++] = sc;
	log_debug("scene: push %s (depth %d)", sc->ops->name, app->depth);
	app->dirty = true;
}

void app_pop(struct app *app)
{
	if (app->depth <= 1)
		return; /* the attract loop stays */
	struct scene *sc = app->stack[--app->depth];
	log_debug("scene: pop %s (depth %d)", sc->ops->name, app->depth);
	sc->ops->destroy(sc, app);
	if (app->depth == 1 && app->session[0]) {
		/* back on the attract loop: the visitor has left */
		app_end_session(app, "back");
		set_lang_silent(app, app->cfg->default_lang);
		app->volume = app->cfg->volume_percent / 100.0;
	}
	struct scene *top = app_top(app);
	if (top && top->ops->resume)
		top->ops->resume(top, app);
	app->dirty = true;
}

void app_replace(struct app *app, struct scene *sc)
{
	if (!sc)
		return;
	if (app->depth <= 1) {
		app_push(app, sc);
		return;
	}
	struct scene *old = app->stack[app->depth - 1];
	app->stack[app->depth - 1] = sc;
	log_debug("scene: replace %s with %s", old->ops->name, sc->ops->name);
	old->ops->destroy(old, app);
	app->dirty = true;
}

void app_pop_to_root(struct app *app)
{
	while (app->depth > 1)
		app_pop(app);
}

void app_pop_to(struct app *app, const char *name)
{
	bool below = false;
	for (int i = 0; i < app->depth && !below; i++)
		below = !strcmp(app->stack[i]->ops->name, name);
	if (!below) {
		app_pop_to_root(app);
		return;
	}
	while (app->depth > 1 && strcmp(app_top(app)->ops->name, name) != 0)
		app_pop(app);
}

/* ------------------------------------------------------------------ */
/* quizzes and class contests                                          */

const struct quiz_bank *app_quiz_bank(struct app *app) { return app->quiz; }
const char *app_log_path(struct app *app) { return app->log_path; }

const struct contest *app_contest(struct app *app)
{
	return app->contest_open ? &app->contest : NULL;
}

void app_contest_start(struct app *app, const struct contest *c)
{
	if (app->contest_open && !app->contest.ended)
		app_contest_end(app);
	app->contest = *c;
	app->contest.ended = false;
	struct store_contest sc = {
		.class_name = c->class_name,
		.topic = c->topic[0] ? c->topic : NULL,
		.n_questions = c->n_questions,
		.seconds_per_question = c->seconds_per_question,
	};
	store_contest_begin(app->store, &sc, app->contest.uuid);
	store_flush(app->store);
	app->contest_open = true;
	log_info("class contest '%s' begins (%s, %d questions, %d s each)",
		 c->class_name, c->topic[0] ? c->topic : "every topic",
		 c->n_questions, c->seconds_per_question);
	app_end_session(app, "contest");
	app_pop_to_root(app);
	app_push(app, scene_contest_create(app));
}

void app_contest_end(struct app *app)
{
	if (!app->contest_open || app->contest.ended)
		return;
	app->contest.ended = true;
	store_contest_mark(app->store, app->contest.uuid, STORE_CONTEST_ENDED);
	store_flush(app->store);
	log_info("class contest '%s' ended", app->contest.class_name);
	app->dirty = true;
}

void app_contest_clear(struct app *app)
{
	if (!app->contest_open)
		return;
	store_contest_mark(app->store, app->contest.uuid, STORE_CONTEST_CLEARED);
	store_flush(app->store);
	log_info("class contest '%s' cleared from the screen",
		 app->contest.class_name);
	app->contest_open = false;
	app_end_session(app, "contest");
	app_pop_to_root(app);
}

void app_contest_exported(struct app *app)
{
	if (!app->contest_open)
		return;
	store_contest_mark(app->store, app->contest.uuid, STORE_CONTEST_EXPORTED);
	store_flush(app->store);
}

void app_open_operator(struct app *app)
{
	/* never a second menu over one of its own pages */
	static const char *const pages[] = { "pinpad", "operator", "settings",
					     "import" };
	for (int i = 0; i < app->depth; i++)
		for (size_t p = 0; p < sizeof pages / sizeof pages[0]; p++)
			if (!strcmp(app->stack[i]->ops->name, pages[p]))
				return;
	log_info("operator menu asked for: the PIN pad");
	app_push(app, scene_pinpad_create(app));
}

bool scene_button(struct scene *sc, const char *name, SDL_Rect *out)
{
	return sc && sc->ops->find_button && sc->ops->find_button(sc, name, out);
}

const char *scene_page_message(struct scene *sc)
{
	return sc && sc->ops->page_message ? sc->ops->page_message(sc) : NULL;
}

void app_operator_action(struct app *app, const char *action,
			 const char *detail)
{
	log_info("operator: %s%s%s", action, detail ? ": " : "",
		 detail ? detail : "");
	store_operator_action(app->store, action, detail);
}

/* ------------------------------------------------------------------ */
/* what the machine uses                                               */

const char *app_screen_desc(struct app *app)
{
	return screen_describe(app->screen);
}

void app_note_video(struct app *app, const char *path, const char *decoder)
{
	/* called for every new picture: only compared, formatted when the
	 * operator menu asks */
	if (!decoder || !*decoder)
		return;
	const char *name = path ? strrchr(path, '/') : NULL;
	name = name ? name + 1 : path ? path : "?";
	if (strcmp(decoder, app->video_decoder) != 0)
		snprintf(app->video_decoder, sizeof app->video_decoder, "%s", decoder);
	if (strcmp(name, app->video_name) != 0)
		snprintf(app->video_name, sizeof app->video_name, "%s", name);
}

const char *app_video_desc(struct app *app)
{
	if (!app->video_decoder[0])
		return "";
	snprintf(app->video_desc, sizeof app->video_desc, "%s (%s)",
		 app->video_decoder, app->video_name);
	return app->video_desc;
}

/* ------------------------------------------------------------------ */
/* thumbnails                                                          */

SDL_Texture *app_thumbnail(struct app *app, const struct item *item)
{
	const struct catalog *cat = app->catalog;
	if (!cat || item < cat->items || item >= cat->items + cat->n_items)
		return NULL;
	return thumbs_get(app->thumbs, app->renderer, item,
			  (size_t)(item - cat->items));
}

/* ------------------------------------------------------------------ */
/* create / destroy                                                    */

static void update_size(struct app *app)
{
	int w = 0, h = 0;
	screen_size(app->screen, &w, &h);
	if (w != app->w || h != app->h) {
		app->w = w;
		app->h = h;
		/* sizes of everything change: drop size-bound caches (the
		 * thumbnails are made for a fixed box) */
		text_clear_cache(app->text);
		log_info("screen %dx%d (%s)", w, h, w >= h ? "landscape" : "portrait");
	}
	app->dirty = true;
}

/* Look at the screen again after a display came, went or changed: the
 * mode of the window's display (logged) and the renderer's size, which
 * lays everything out again when it changed. Drawing goes on while no
 * display is connected, so the picture is right when one comes back. */
static void refit_screen(struct app *app)
{
	int idx = SDL_GetWindowDisplayIndex(app->window);
	SDL_DisplayMode mode;
	if (idx >= 0 && SDL_GetCurrentDisplayMode(idx, &mode) == 0)
		log_info("screen: display %d shows %dx%d at %d Hz", idx, mode.w,
			 mode.h, mode.refresh_rate);
	else
		log_warn("screen: no display mode (%s); the kiosk goes on and "
			 "draws at %dx%d", SDL_GetError(), app->w, app->h);
	update_size(app);
}

/* A display was connected, disconnected or turned. */
static void display_event(struct app *app, const SDL_DisplayEvent *d)
{
	const char *what = d->event == SDL_DISPLAYEVENT_CONNECTED ? "connected"
			   : d->event == SDL_DISPLAYEVENT_DISCONNECTED ? "disconnected"
			   : d->event == SDL_DISPLAYEVENT_ORIENTATION ? "turned"
			   : NULL;
	if (!what)
		return;
	int n = SDL_GetNumVideoDisplays();
	if (d->event == SDL_DISPLAYEVENT_DISCONNECTED && n <= 0)
		log_warn("screen: display %u disconnected: no screen left; the "
			 "kiosk goes on (logging, sound) and draws again when one "
			 "is connected", d->display);
	else
		log_info("screen: display %u %s (%d display%s now)", d->display,
			 what, n, n == 1 ? "" : "s");
	refit_screen(app);
}

/* Scenes that keep textures of their own (pictures, video frames) and
 * cannot make them again after a device reset: they are closed, as if
 * the visitor had gone back. The attract loop remakes its own when it is
 * resumed. */
static bool keeps_textures(const struct scene *sc)
{
	static const char *const names[] = { "viewer", "quiz" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(sc->ops->name, names[i]))
			return true;
	return false;
}

/* The render device was reset (the screen unplugged and plugged back,
 * a GPU reset): every texture's content is gone. The app's caches are
 * emptied (text and thumbnails are made again as they are drawn), scenes
 * holding pictures of their own are closed, and the attract loop loads
 * its picture again when on top. */
static void device_reset(struct app *app)
{
	screen_reset(app->screen);
	text_clear_cache(app->text);
	thumbs_clear(app->thumbs);
	int keep = app->depth;
	for (int i = 1; i < app->depth; i++)
		if (keeps_textures(app->stack[i])) {
			keep = i;
			break;
		}
	log_warn("screen: the render device was reset: text and thumbnails are "
		 "made again%s%s", keep < app->depth ? "; closing " : "",
		 keep < app->depth ? app->stack[keep]->ops->name : "");
	bool popped = app->depth > keep;
	while (app->depth > keep && app->depth > 1)
		app_pop(app);        /* resumes the scene it uncovers */
	struct scene *top = app_top(app);
	if (!popped && app->depth == 1 && top && top->ops->resume)
		top->ops->resume(top, app);
	update_size(app);
}

/* Log hook (any thread, the log's lock held): errors and warnings go into
 * the log's problems, for the health figures of the yearly report; an
 * error about the log file itself (a commit that failed) is noted for the
 * main thread, which tells the operator (check_log_health). */
static void keep_problem(enum log_level level, const char *msg, void *data)
{
	struct app *app = data;
	size_t n = strlen(app->log_path);
	if (level == LOG_LEVEL_ERROR && !strncmp(msg, app->log_path, n) &&
	    msg[n] == ':') {
		atomic_store(&app->log_error_count,
			     (long long)store_committed_count(app->store));
		atomic_store(&app->log_error_seen, true);
	}
	if (level <= LOG_LEVEL_WARN)
		store_problem(app->store, level == LOG_LEVEL_ERROR, msg);
}

/* What is wrong with the data folder dir, for a log that cannot be
 * written: a notice (NOTICE_*) and, in why, the reason in words for the
 * kiosk's log. */
static const char *data_dir_trouble(const char *dir, char *why, size_t size)
{
	struct statvfs vfs;
	if (statvfs(dir, &vfs) != 0) {
		snprintf(why, size, "the data folder %s cannot be reached: %s",
			 dir, strerror(errno));
		return NOTICE_LOG_FAILS;
	}
	if (vfs.f_flag & ST_RDONLY) {
		snprintf(why, size, "the data folder %s is on a read-only file "
			 "system", dir);
		return NOTICE_READ_ONLY;
	}
	if (access(dir, W_OK) != 0) {
		snprintf(why, size, "the data folder %s is not writable: %s", dir,
			 strerror(errno));
		return NOTICE_READ_ONLY;
	}
	int64_t free_bytes = (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize;
	if (free_bytes < APP_DISK_LOW_BYTES) {
		snprintf(why, size, "disk full: no space left in %s (%lld KB free)",
			 dir, (long long)(free_bytes / 1024));
		return NOTICE_DISK_FULL;
	}
	snprintf(why, size, "%s has room (%lld MB free) and is writable; see "
		 "the errors above", dir, (long long)(free_bytes >> 20));
	return NOTICE_LOG_FAILS;
}

/* Has the log begun or stopped failing to commit? Logged once each way,
 * with the reason (looked at again, and logged if it changed, each time
 * the store reports a failure: its first, then one a minute), and the
 * notice shown meanwhile. Returns ms until it should look again (-1:
 * only when the log hook sees an error). */
static int check_log_health(struct app *app, int64_t now)
{
	if (!app->store)
		return -1;
	if (atomic_exchange(&app->log_error_seen, false)) {
		app->log_fail_count = atomic_load(&app->log_error_count);
		char why[512];
		const char *notice = data_dir_trouble(app->cfg->data_dir, why,
						      sizeof why);
		if (!app->log_failing)
			log_error("%s: the view log cannot be saved: %s; what the "
				  "kiosk logs stays in memory and is saved once it "
				  "can be (the kiosk goes on showing its content)",
				  app->log_path, why);
		else if (notice != app->log_notice)
			log_warn("%s: the view log still cannot be saved: %s",
				 app->log_path, why);
		app->log_failing = true;
		app->log_notice = notice;
		app->health_due_ms = now + APP_HEALTH_MS;
		app->dirty = true;
	}
	if (!app->log_failing)
		return -1;
	if (now < app->health_due_ms)
		return (int)(app->health_due_ms - now);
	app->health_due_ms = now + APP_HEALTH_MS;
	if ((long long)store_committed_count(app->store) <= app->log_fail_count)
		return APP_HEALTH_MS;
	log_info("%s: the view log is saved again: what was kept in memory "
		 "meanwhile is committed", app->log_path);
	app->log_failing = false;
	app->log_notice = NULL;
	app->dirty = true;
	return -1;
}

/* Is there a sound device? Asked once, after the first frame (opening a
 * device costs time the start should not wait for): SDL's audio must
 * have started and its default device open. Without one the log says so
 * once, and a notice tells visitors why videos are silent. */
static void check_audio(struct app *app)
{
	app->audio_checked = true;
	char why[300] = "";
	const char *drv = SDL_GetCurrentAudioDriver();
	if (!SDL_WasInit(SDL_INIT_AUDIO)) {
		snprintf(why, sizeof why, "%s", app->audio_error[0]
			 ? app->audio_error : "SDL audio is not started");
	} else {
		SDL_AudioSpec want = { .freq = 48000, .format = AUDIO_S16SYS,
				       .channels = 2, .samples = 1024 };
		SDL_AudioSpec have;
		SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &want, &have,
							    SDL_AUDIO_ALLOW_ANY_CHANGE);
		if (dev)
			SDL_CloseAudioDevice(dev);
		else
			snprintf(why, sizeof why, "the default device of driver "
				 "'%s' cannot be opened: %s", drv ? drv : "?",
				 SDL_GetError());
	}
	if (!why[0])
		return;
	const char *want_drv = SDL_getenv("SDL_AUDIODRIVER");
	log_warn("audio: no sound device (%s%s%s): videos play without sound "
		 "and radio pieces cannot be played", why,
		 want_drv ? "; SDL_AUDIODRIVER=" : "", want_drv ? want_drv : "");
	app->audio_notice = NOTICE_NO_SOUND;
	app->dirty = true;
}

size_t app_notices(struct app *app, const char **out, size_t max, SDL_Rect *bar)
{
	size_t n = 0;
	if (app->log_notice && n < max)
		out[n++] = app->log_notice;
	if (app->audio_notice && n < max)
		out[n++] = app->audio_notice;
	if (bar)
		*bar = app->notice_bar;
	return n;
}

/* Draw the notices, if any, over the scene. */
static void draw_notices(struct app *app)
{
	const char *ids[APP_MAX_NOTICES];
	size_t n = app_notices(app, ids, APP_MAX_NOTICES, NULL);
	const char *lines[APP_MAX_NOTICES];
	for (size_t i = 0; i < n; i++)
		lines[i] = app_tr(app, ids[i]);
	app->notice_bar = draw_notice_bar(app, lines, n);
}

/* Does the list hold tag already? */
static bool tag_listed(const char *const *tags, size_t n, const char *tag)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(tags[i], tag) == 0)
			return true;
	return false;
}

/* The languages an item is offered in: those it has media in (a gallery:
 * captions), each once, or fallback when none. The strings belong to the
 * item; the caller frees the array. */
static const char **item_languages(const struct item *it, const char *fallback,
				   size_t *n_out)
{
	size_t cap = it->n_media + 1;
	for (size_t p = 0; p < it->n_pictures; p++)
		cap += it->pictures[p].n_captions;
	const char **tags = xcalloc(cap, sizeof *tags);
	size_t n = 0;
	for (size_t m = 0; m < it->n_media; m++)
		if (!tag_listed(tags, n, it->media[m].lang))
			tags[n++] = it->media[m].lang;
	for (size_t p = 0; p < it->n_pictures; p++)
		for (size_t c = 0; c < it->pictures[p].n_captions; c++) {
			const char *t = it->pictures[p].captions[c].lang;
			if (!tag_listed(tags, n, t))
				tags[n++] = t;
		}
	if (n == 0)
		tags[n++] = fallback;
	*n_out = n;
	return tags;
}

/* The item's topic ids separated by spaces ("" for none); caller frees. */
static char *item_topic_list(const struct item *it)
{
	size_t len = 1;
	for (size_t t = 0; t < it->n_topics; t++)
		len += strlen(it->topics[t]) + 1;
	char *list = xcalloc(len, 1);
	for (size_t t = 0; t < it->n_topics; t++) {
		if (t)
			strcat(list, " ");
		strcat(list, it->topics[t]);
	}
	return list;
}

/* Tell the log what the library offers, each item in each language it is
 * offered in, for the report's share of products in minority and foreign
 * languages. */
static void log_library(struct app *app)
{
	const struct catalog *cat = app->catalog;
	const char *chain[1] = { app->langs->default_tag };
	for (size_t i = 0; cat && i < cat->n_items; i++) {
		const struct item *it = &cat->items[i];
		size_t n;
		const char **tags = item_languages(it, app->langs->default_tag, &n);
		char *topics = item_topic_list(it);
		const struct item_text *title = item_text_for(it, chain, 1, NULL);
		for (size_t k = 0; k < n; k++) {
			const struct lang *l = lang_find(app->langs, tags[k]);
			struct store_library_item e = {
				.item_id = it->id,
				.lang = tags[k],
				.item_kind = item_type_name(it->type),
				/* a language the registry does not know:
				 * its kind is unknown, not guessed */
				.lang_kind = l ? lang_kind_name(l->kind) : NULL,
				.topics = topics,
				.title = title ? title->title : NULL,
			};
			store_library_item(app->store, &e);
		}
		free(topics);
		free(tags);
	}
}

static void load_library(struct app *app)
{
	const struct kiosk_config *cfg = app->cfg;
	struct diag_list diags;
	diag_list_init(&diags);

	char *lang_path = path_join(cfg->locales_dir, "languages.json");
	app->langs = lang_registry_load(lang_path, &diags);
	if (!app->langs) {
		log_error("%s: languages cannot be loaded; only Vietnamese and English are offered",
			  lang_path);
		app->langs = lang_registry_builtin();
	}
	free(lang_path);
	app->strings = strings_load(cfg->locales_dir, app->langs, &diags);
	app->library = library_open(cfg->data_dir, cfg->content_dir);
	const char *content = library_current(app->library)->content_dir;
	app->catalog = catalog_load(content, app->langs, 0, &diags);
	if (!app->catalog) {
		log_error("%s: the content library cannot be read; showing an empty library",
			  content);
	}
	for (size_t i = 0; i < diags.len; i++) {
		char *s = diag_format(&diags.items[i]);
		if (diags.items[i].severity == DIAG_ERROR)
			log_warn("%s", s);
		else
			log_info("%s", s);
		free(s);
	}
	diag_list_finish(&diags);
	diag_list_init(&diags);
	char *quiz_dir = path_join(content, CATALOG_QUIZ_FOLDER);
	app->quiz = quiz_bank_load_dir(quiz_dir, app->langs, &diags);
	free(quiz_dir);
	for (size_t i = 0; i < diags.len; i++) {
		char *s = diag_format(&diags.items[i]);
		log_warn("%s", s);
		free(s);
	}
	diag_list_finish(&diags);
	size_t n = app->catalog ? app->catalog->n_items : 0;
	char *thumb_dir = path_join(cfg->data_dir, "thumbs");
	app->thumbs = thumbs_create(thumb_dir, n);
	free(thumb_dir);
	log_info("library %s: %zu items", content, n);
}

/* Text fonts tried, in order, after the configured ones, when the font
 * the config names cannot be opened (Debian's fonts-noto-core,
 * fonts-dejavu-core, fonts-liberation2 and fonts-freefont-ttf). */
static const char *const system_fonts[] = {
	"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
	"/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
	"/usr/share/fonts/truetype/freefont/FreeSans.ttf",
};

/* The text engine on cfg's fonts. When the font the config names cannot
 * be opened (text_create logs it, naming the file), the first that opens
 * of the bold font, the system's text fonts and the fallback fonts draws
 * the text instead, said in the log; when none does, the kiosk goes on
 * without text (its pictures, videos and buttons), said in the log with
 * every file tried. Never NULL. */
static struct text_engine *open_fonts(SDL_Renderer *ren,
				      const struct kiosk_config *cfg)
{
	size_t n_fallback;
	const char **fallback = config_split_paths(cfg->font_fallback, &n_fallback);
	struct text_engine *te = text_create(ren, cfg->font_path, cfg->font_bold_path);
	size_t n_sys = sizeof system_fonts / sizeof system_fonts[0];
	for (size_t i = 0; !te && i < 1 + n_sys + n_fallback; i++) {
		const char *c = i == 0 ? cfg->font_bold_path
				: i <= n_sys ? system_fonts[i - 1]
				: fallback[i - 1 - n_sys];
		if (!c || !*c || !strcmp(c, cfg->font_path) || access(c, R_OK) != 0)
			continue;
		te = text_create(ren, c, cfg->font_bold_path);
		if (te)
			log_warn("%s: the font cannot be opened; drawing text with "
				 "%s instead (set 'font' in the config)",
				 cfg->font_path, c);
	}
	if (!te) {
		log_error("no font can be opened: not the config's font '%s', "
			  "its bold font '%s', its fallback fonts '%s', nor the "
			  "system's (%s, %s, ...): the kiosk shows its pictures and "
			  "videos without any text; install fonts-noto-core or set "
			  "'font' in the config", cfg->font_path, cfg->font_bold_path,
			  cfg->font_fallback, system_fonts[0], system_fonts[1]);
		te = text_create_fontless(ren);
	}
	text_set_fallback_fonts(te, fallback, n_fallback);
	free(fallback);
	return te;
}

struct app *app_create(const struct kiosk_config *cfg,
		       const struct app_options *opt)
{
	struct app *app = xcalloc(1, sizeof *app);
	app->own_cfg = *cfg;
	app->cfg = cfg = &app->own_cfg;
	if (opt)
		app->opt = *opt;

	SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
	SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
	SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "0");
	/* SDL_QUIT then comes only from SIGTERM and SIGINT (systemd stopping
	 * the kiosk); closing the window (Alt+F4 under a window manager) is
	 * SDL_WINDOWEVENT_CLOSE, which the kiosk may refuse */
	SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
	if (app->opt.software_renderer) {
		/* no GL for the window surface either: tests read pixels back,
		 * and Mesa's EGL (loaded otherwise by the offscreen driver)
		 * leaks what the sanitizer cannot attribute */
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	}
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		log_error("cannot start SDL video: %s", SDL_GetError());
		free(app);
		return NULL;
	}
	if (SDL_InitSubSystem(SDL_INIT_GAMECONTROLLER) != 0)
		log_warn("no gamepad support: %s", SDL_GetError());
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		/* said once, with the device probe, after the first frame */
		const char *e = SDL_GetError();
		snprintf(app->audio_error, sizeof app->audio_error,
			 "SDL audio cannot start: %s", *e ? e
			 : "no audio driver could be started");
		log_debug("%s", app->audio_error);
	}

	struct screen_options so = {
		.fullscreen = cfg->fullscreen,
		.window_w = cfg->window_w,
		.window_h = cfg->window_h,
		.rotation = cfg->rotation,
		.renderer = app->opt.software_renderer ? "software" : cfg->renderer,
	};
	app->screen = screen_open(&so);
	if (!app->screen)
		goto fail;
	app->window = screen_window(app->screen);
	app->renderer = screen_renderer(app->screen);
	/* hidden until the mouse moves (a touch screen never shows it) */
	SDL_ShowCursor(SDL_DISABLE);
	/* letters from a physical keyboard, for the scenes that take typing */
	SDL_StartTextInput();
	const char *drv = SDL_GetCurrentVideoDriver();
	app->driver_blocks = drv && (!strcmp(drv, "x11") || !strcmp(drv, "wayland"));

	app->text = open_fonts(app->renderer, cfg);
	update_size(app);

	load_library(app);
	set_lang_silent(app, cfg->default_lang);
	app->volume = cfg->volume_percent / 100.0;

	app->log_path = path_join(cfg->data_dir, STORE_LOG_FILENAME);
	struct store_identity id = { .kiosk_id = cfg->kiosk_id, .site = cfg->site };
	app->store = store_open(app->log_path, &id);
	if (!app->store) {
		char why[512];
		app->log_notice = data_dir_trouble(cfg->data_dir, why, sizeof why);
		log_error("%s: the view log cannot be opened (%s); views are NOT "
			  "being recorded (the kiosk shows its content all the same)",
			  app->log_path, why);
	}
	if (app->store) {
		store_run_begin(app->store, KIOSK_VERSION);
		log_library(app);
		log_set_hook(keep_problem, app);
	}
	app->contest_open = app->store &&
			    contest_find_open(app->log_path, &app->contest);
	app->corner_down_ms = -1;
	app->pin = pinlock_open(cfg->data_dir, app_now_ms(app));

	for (int i = 0; i < SDL_NumJoysticks(); i++)
		if (SDL_IsGameController(i))
			SDL_GameControllerOpen(i);

	app->last_input_ms = app_now_ms(app);
	app_push(app, scene_attract_create(app));
	if (app->contest_open) {
		/* back after a restart: the contest and its ranking */
		log_info("class contest '%s' (%s) is still open",
			 app->contest.class_name, app->contest.uuid);
		app_push(app, scene_contest_create(app));
	}
	return app;
fail:
	app_destroy(app);
	return NULL;
}

void app_destroy(struct app *app)
{
	if (!app)
		return;
	while (app->depth > 0) {
		struct scene *sc = app->stack[--app->depth];
		sc->ops->destroy(sc, app);
	}
	app_end_session(app, "exit");
	prompt_destroy(app->prompt);
	if (app->store)
		log_set_hook(NULL, NULL);
	store_close(app->store);
	free(app->log_path);
	quiz_bank_destroy(app->quiz);
	if (app->thumbs) {
		thumbs_destroy(app->thumbs);
		app->thumbs = NULL;
	}
	catalog_destroy(app->catalog);
	library_destroy(app->library);
	pinlock_destroy(app->pin);
	strings_destroy(app->strings);
	lang_registry_destroy(app->langs);
	text_destroy(app->text);
	screen_close(app->screen);
	SDL_Quit();
	free(app);
}

/* ------------------------------------------------------------------ */
/* input                                                               */

static void dispatch(struct app *app, const struct ui_event *ev)
{
	struct scene *sc = app_top(app);
	app->last_input_ms = app_now_ms(app);
	if (sc)
		sc->ops->event(sc, app, ev);
}

static void nav(struct app *app, enum ui_event_type t)
{
	app->focus_visible = true;
	app->dirty = true;
	struct ui_event ev = { .type = t };
	dispatch(app, &ev);
}

/* Whether (x, y) is in the corner a long press opens the operator menu
 * in: the top-left square of 8 layout units. */
static bool in_operator_corner(struct app *app, int x, int y)
{
	int side = app_unit(app) * 8;
	return x >= 0 && y >= 0 && x < side && y < side;
}

static void pointer(struct app *app, enum ui_event_type t, int x, int y)
{
	if (t == UI_POINTER_DOWN && in_operator_corner(app, x, y))
		app->corner_down_ms = app_now_ms(app);
	else if (t != UI_POINTER_MOVE || !in_operator_corner(app, x, y))
		app->corner_down_ms = -1;
	if (app->focus_visible) {
		app->focus_visible = false;
		app->dirty = true;
	}
	struct ui_event ev = { .type = t, .x = x, .y = y };
	dispatch(app, &ev);
}

/* The mouse, in window coordinates: turned back to the scenes' own. */
static void mouse_pointer(struct app *app, enum ui_event_type t, int x, int y)
{
	double lx, ly;
	screen_to_logical(app->screen, x, y, &lx, &ly);
	pointer(app, t, (int)lx, (int)ly);
}

/* Touch: one finger is the pointer; a second one turns the gesture into
 * a pinch (UI_POINTER_CANCEL, then UI_PINCH as either moves) until both
 * are up. A third finger is ignored. */
static void handle_finger(struct app *app, const SDL_TouchFingerEvent *f)
{
	double x, y;
	screen_touch_to_logical(app->screen, f->x, f->y, &x, &y);
	bool first = app->fingers > 0 && f->fingerId == app->finger;
	bool second = app->fingers > 1 && f->fingerId == app->finger2;
	if (f->type == SDL_FINGERDOWN) {
		if (app->fingers == 0) {
			app->fingers = 1;
			app->finger = f->fingerId;
			app->f1x = x;
			app->f1y = y;
			app->pinching = false;
			app->finger_down = true;
			pointer(app, UI_POINTER_DOWN, (int)x, (int)y);
		} else if (app->fingers == 1) {
			app->fingers = 2;
			app->finger2 = f->fingerId;
			app->f2x = x;
			app->f2y = y;
			if (!app->pinching) {
				app->pinching = true;
				app->finger_down = false;
				struct ui_event ev = { .type = UI_POINTER_CANCEL };
				dispatch(app, &ev);
			}
		}
		return;
	}
	if (f->type == SDL_FINGERMOTION) {
		if (!first && !second)
			return;
		if (!app->pinching) {
			app->f1x = x;
			app->f1y = y;
			pointer(app, UI_POINTER_MOVE, (int)x, (int)y);
			return;
		}
		if (app->fingers < 2)
			return;
		double d0 = hypot(app->f2x - app->f1x, app->f2y - app->f1y);
		double c0x = (app->f1x + app->f2x) / 2, c0y = (app->f1y + app->f2y) / 2;
		if (first) {
			app->f1x = x;
			app->f1y = y;
		} else {
			app->f2x = x;
			app->f2y = y;
		}
		double d1 = hypot(app->f2x - app->f1x, app->f2y - app->f1y);
		double c1x = (app->f1x + app->f2x) / 2, c1y = (app->f1y + app->f2y) / 2;
		struct ui_event ev = { .type = UI_PINCH, .x = (int)c1x, .y = (int)c1y,
				       .dx = (int)lround(c1x - c0x),
				       .dy = (int)lround(c1y - c0y),
				       .scale = d0 > 1 && d1 > 1 ? d1 / d0 : 1.0 };
		dispatch(app, &ev);
		return;
	}
	/* up */
	if (!first && !second)
		return;
	if (!app->pinching) {
		app->fingers = 0;
		app->finger_down = false;
		pointer(app, UI_POINTER_UP, (int)x, (int)y);
		return;
	}
	if (first && app->fingers == 2) {
		/* the second finger carries on as the first, still pinching */
		app->finger = app->finger2;
		app->f1x = app->f2x;
		app->f1y = app->f2y;
	}
	app->fingers--;
	if (app->fingers == 0)
		app->pinching = false;
}

static bool top_wants_text(struct app *app)
{
	struct scene *top = app_top(app);
	return top && top->ops->wants_text;
}

/* Text from a physical keyboard, for a scene that takes typing. */
static void handle_text(struct app *app, const char *utf8)
{
	app->last_input_ms = app_now_ms(app);
	size_t bad;
	if (!top_wants_text(app) || !utf8_valid(utf8, strlen(utf8), &bad))
		return;
	app->focus_visible = true;
	app->dirty = true;
	struct ui_event ev = { .type = UI_TEXT, .text = utf8 };
	dispatch(app, &ev);
}

/* Alt+F4 and Ctrl+Q: leave the kiosk only when the operator allows it,
 * or in a window (a developer's desk). */
static bool leave_key(struct app *app, const SDL_KeyboardEvent *k)
{
	bool alt_f4 = k->keysym.sym == SDLK_F4 && (k->keysym.mod & KMOD_ALT);
	bool ctrl_q = k->keysym.sym == SDLK_q && (k->keysym.mod & KMOD_CTRL);
	if (!alt_f4 && !ctrl_q)
		return false;
	if (app->leave_keys || !app->cfg->fullscreen) {
		log_info("kiosk: %s pressed: quitting", alt_f4 ? "Alt+F4" : "Ctrl+Q");
		app_request_exit(app, APP_EXIT_QUIT);
	} else {
		log_info("kiosk: %s ignored (the operator menu can allow it)",
			 alt_f4 ? "Alt+F4" : "Ctrl+Q");
	}
	return true;
}

static void handle_key(struct app *app, const SDL_KeyboardEvent *k)
{
	if (leave_key(app, k))
		return;
	if (k->keysym.sym == SDLK_o && (k->keysym.mod & KMOD_CTRL) &&
	    (k->keysym.mod & KMOD_ALT)) {
		app_open_operator(app);
		return;
	}
	if (top_wants_text(app)) {
		SDL_Keycode sym = k->keysym.sym;
		if (sym == SDLK_BACKSPACE) {
			nav(app, UI_ERASE);
			return;
		}
		/* Space and letters arrive as SDL_TEXTINPUT */
		if (sym == SDLK_SPACE || (sym >= SDLK_a && sym <= SDLK_z) ||
		    (sym >= SDLK_0 && sym <= SDLK_9) || sym == SDLK_EQUALS ||
		    sym == SDLK_MINUS) {
			app->last_input_ms = app_now_ms(app);
			return;
		}
	}
	switch (k->keysym.sym) {
	case SDLK_UP: nav(app, UI_NAV_UP); break;
	case SDLK_DOWN: nav(app, UI_NAV_DOWN); break;
	case SDLK_LEFT: nav(app, UI_NAV_LEFT); break;
	case SDLK_RIGHT: nav(app, UI_NAV_RIGHT); break;
	case SDLK_TAB:
		nav(app, (k->keysym.mod & KMOD_SHIFT) ? UI_NAV_LEFT : UI_NAV_RIGHT);
		break;
	case SDLK_RETURN: case SDLK_KP_ENTER: case SDLK_SPACE: case SDLK_SELECT:
		nav(app, UI_ACTIVATE);
		break;
	case SDLK_ESCAPE: case SDLK_BACKSPACE: case SDLK_AC_BACK:
		nav(app, UI_BACK);
		break;
	case SDLK_PAGEUP: nav(app, UI_PAGE_UP); break;
	case SDLK_PAGEDOWN: nav(app, UI_PAGE_DOWN); break;
	case SDLK_PLUS: case SDLK_EQUALS: case SDLK_KP_PLUS: case SDLK_VOLUMEUP:
		nav(app, UI_VOLUME_UP);
		break;
	case SDLK_MINUS: case SDLK_KP_MINUS: case SDLK_VOLUMEDOWN:
		nav(app, UI_VOLUME_DOWN);
		break;
	default:
		/* any other key still counts as presence */
		app->last_input_ms = app_now_ms(app);
		break;
	}
}

static void handle_pad_button(struct app *app, int button)
{
	switch (button) {
	case SDL_CONTROLLER_BUTTON_DPAD_UP: nav(app, UI_NAV_UP); break;
	case SDL_CONTROLLER_BUTTON_DPAD_DOWN: nav(app, UI_NAV_DOWN); break;
	case SDL_CONTROLLER_BUTTON_DPAD_LEFT: nav(app, UI_NAV_LEFT); break;
	case SDL_CONTROLLER_BUTTON_DPAD_RIGHT: nav(app, UI_NAV_RIGHT); break;
	case SDL_CONTROLLER_BUTTON_A: case SDL_CONTROLLER_BUTTON_START:
		nav(app, UI_ACTIVATE);
		break;
	case SDL_CONTROLLER_BUTTON_B: case SDL_CONTROLLER_BUTTON_BACK:
		nav(app, UI_BACK);
		break;
	case SDL_CONTROLLER_BUTTON_LEFTSHOULDER: nav(app, UI_PAGE_UP); break;
	case SDL_CONTROLLER_BUTTON_RIGHTSHOULDER: nav(app, UI_PAGE_DOWN); break;
	/* Y / X: louder / quieter in a video, zoom in / out on a picture */
	case SDL_CONTROLLER_BUTTON_Y: nav(app, UI_VOLUME_UP); break;
	case SDL_CONTROLLER_BUTTON_X: nav(app, UI_VOLUME_DOWN); break;
	default:
		app->last_input_ms = app_now_ms(app);
		break;
	}
}

static void handle_pad_axis(struct app *app, const SDL_ControllerAxisEvent *a)
{
	const int threshold = 20000;
	int dir = 0;
	if (a->axis == SDL_CONTROLLER_AXIS_LEFTX)
		dir = a->value < -threshold ? UI_NAV_LEFT : a->value > threshold ? UI_NAV_RIGHT : 0;
	else if (a->axis == SDL_CONTROLLER_AXIS_LEFTY)
		dir = a->value < -threshold ? UI_NAV_UP : a->value > threshold ? UI_NAV_DOWN : 0;
	else
		return;
	/* one move per push of the stick */
	if (dir && dir != app->stick_dir)
		nav(app, (enum ui_event_type)dir);
	if (!dir && (a->axis == SDL_CONTROLLER_AXIS_LEFTX ||
		     a->axis == SDL_CONTROLLER_AXIS_LEFTY))
		app->stick_dir = 0;
	else
		app->stick_dir = dir;
}

/* Arcade buttons and pads SDL has no mapping for arrive as plain joystick
 * events: hat = arrows, button 0 = activate, button 1 = back. */
static void handle_joystick(struct app *app, const SDL_Event *e)
{
	SDL_JoystickID which = e->type == SDL_JOYHATMOTION ? e->jhat.which
							   : e->jbutton.which;
	if (SDL_GameControllerFromInstanceID(which))
		return; /* handled as a game controller */
	if (e->type == SDL_JOYHATMOTION) {
		switch (e->jhat.value) {
		case SDL_HAT_UP: nav(app, UI_NAV_UP); break;
		case SDL_HAT_DOWN: nav(app, UI_NAV_DOWN); break;
		case SDL_HAT_LEFT: nav(app, UI_NAV_LEFT); break;
		case SDL_HAT_RIGHT: nav(app, UI_NAV_RIGHT); break;
		default: break;
		}
	} else if (e->type == SDL_JOYBUTTONDOWN) {
		if (e->jbutton.button == 0)
			nav(app, UI_ACTIVATE);
		else if (e->jbutton.button == 1)
			nav(app, UI_BACK);
		else
			app->last_input_ms = app_now_ms(app);
	}
}

/* The mouse moved: show the cursor until it rests APP_CURSOR_HIDE_MS. */
static void show_cursor(struct app *app)
{
	app->cursor_moved_ms = app_now_ms(app);
	if (!app->cursor_shown) {
		app->cursor_shown = true;
		SDL_ShowCursor(SDL_ENABLE);
	}
}

/* Hide the cursor once it has rested; ms until then (-1: hidden). */
static int check_cursor(struct app *app, int64_t now)
{
	if (!app->cursor_shown)
		return -1;
	int64_t left = app->cursor_moved_ms + APP_CURSOR_HIDE_MS - now;
	if (left > 0)
		return (int)left;
	app->cursor_shown = false;
	SDL_ShowCursor(SDL_DISABLE);
	return -1;
}

static void handle_event(struct app *app, const SDL_Event *e)
{
	switch (e->type) {
	case SDL_QUIT:
		app->quit = true;
		break;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_CLOSE) {
			if (app->leave_keys || !app->cfg->fullscreen)
				app_request_exit(app, APP_EXIT_QUIT);
			else
				log_info("kiosk: closing the window ignored (the "
					 "operator menu can allow it)");
		} else if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
		    e->window.event == SDL_WINDOWEVENT_RESIZED) {
			update_size(app);
		} else if (e->window.event == SDL_WINDOWEVENT_DISPLAY_CHANGED) {
			log_info("screen: the window is now on display %d",
				 e->window.data1);
			refit_screen(app);
		} else if (e->window.event == SDL_WINDOWEVENT_EXPOSED ||
			   e->window.event == SDL_WINDOWEVENT_SHOWN) {
			app->dirty = true;
		}
		break;
	case SDL_DISPLAYEVENT:
		display_event(app, &e->display);
		break;
	case SDL_RENDER_TARGETS_RESET:
		/* the kiosk draws into no texture of its own: only the screen
		 * is to be drawn again */
		log_info("screen: the renderer's targets were reset; drawing again");
		update_size(app);
		break;
	case SDL_RENDER_DEVICE_RESET:
		device_reset(app);
		break;
	case SDL_FINGERDOWN:
	case SDL_FINGERMOTION:
	case SDL_FINGERUP:
		handle_finger(app, &e->tfinger);
		break;
	case SDL_MOUSEBUTTONDOWN:
		if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT)
			break;
		app->mouse_down = true;
		mouse_pointer(app, UI_POINTER_DOWN, e->button.x, e->button.y);
		break;
	case SDL_MOUSEMOTION:
		if (e->motion.which == SDL_TOUCH_MOUSEID)
			break;
		show_cursor(app);
		if (app->mouse_down)
			mouse_pointer(app, UI_POINTER_MOVE, e->motion.x, e->motion.y);
		break;
	case SDL_MOUSEBUTTONUP:
		if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT)
			break;
		if (app->mouse_down) {
			app->mouse_down = false;
			mouse_pointer(app, UI_POINTER_UP, e->button.x, e->button.y);
		}
		break;
	case SDL_MOUSEWHEEL: {
		struct ui_event ev = { .type = UI_WHEEL, .dy = e->wheel.y };
		int mx, my;
		double lx, ly;
		SDL_GetMouseState(&mx, &my);
		screen_to_logical(app->screen, mx, my, &lx, &ly);
		ev.x = (int)lx;
		ev.y = (int)ly;
		dispatch(app, &ev);
		break;
	}
	case SDL_KEYDOWN:
		handle_key(app, &e->key);
		break;
	case SDL_TEXTINPUT:
		handle_text(app, e->text.text);
		break;
	case SDL_CONTROLLERDEVICEADDED:
		if (SDL_GameControllerOpen(e->cdevice.which))
			log_info("gamepad connected: %s",
				 SDL_GameControllerNameForIndex(e->cdevice.which));
		break;
	case SDL_CONTROLLERDEVICEREMOVED: {
		SDL_GameController *gc = SDL_GameControllerFromInstanceID(e->cdevice.which);
		if (gc)
			SDL_GameControllerClose(gc);
		break;
	}
	case SDL_CONTROLLERBUTTONDOWN:
		handle_pad_button(app, e->cbutton.button);
		break;
	case SDL_CONTROLLERAXISMOTION:
		handle_pad_axis(app, &e->caxis);
		break;
	case SDL_JOYDEVICEADDED:
		if (!SDL_IsGameController(e->jdevice.which))
			SDL_JoystickOpen(e->jdevice.which);
		break;
	case SDL_JOYHATMOTION:
	case SDL_JOYBUTTONDOWN:
		handle_joystick(app, e);
		break;
	default: {
		if (e->type == thumbs_event_type() && e->type != 0) {
			app->dirty = true;      /* a thumbnail is ready */
			break;
		}
		struct scene *sc = app_top(app);
		if (sc && sc->ops->sdl_event)
			sc->ops->sdl_event(sc, app, e);
		break;
	}
	}
}

/* ------------------------------------------------------------------ */
/* the loop                                                            */

static void render(struct app *app)
{
	screen_begin(app->screen);
	SDL_SetRenderDrawColor(app->renderer, COLOR_BG.r, COLOR_BG.g, COLOR_BG.b, 255);
	SDL_RenderClear(app->renderer);
	struct scene *sc = app_top(app);
	if (sc)
		sc->ops->draw(sc, app);
	draw_notices(app);
}

static void present(struct app *app)
{
	screen_present(app->screen);
	app->dirty = false;
	if (!app->presented_once) {
		app->presented_once = true;
		watchdog_ready("showing the kiosk");
		if (app->opt.exit_after_first_frame) {
			/* `kiosk bench startup` reads this line. */
			printf("first-frame\n");
			fflush(stdout);
			app->quit = true;
		}
	}
}

/* Idle timeout: the visitor walked away. Returns ms until it would fire
 * (-1 when it cannot: already on the attract loop or media playing). */
static int check_idle(struct app *app, int64_t now)
{
	if (app->depth <= 1 && !app->session[0])
		return -1;
	struct scene *sc = app_top(app);
	if (sc && sc->ops->busy && sc->ops->busy(sc, app)) {
		app->last_input_ms = now; /* watching counts as presence */
		return -1;
	}
	int64_t deadline = app->last_input_ms + (int64_t)app->cfg->idle_timeout_s * 1000;
	if (now < deadline)
		return (int)(deadline - now);
	log_info("idle for %d s: back to the attract loop", app->cfg->idle_timeout_s);
	app_end_session(app, "idle"); /* before popping, which would say "back" */
	app->volume = app->cfg->volume_percent / 100.0;
	if (app->contest_open)
		app_pop_to(app, "contest");   /* the class goes on */
	else
		app_pop_to_root(app);
	set_lang_silent(app, app->cfg->default_lang);
	struct scene *root = app_top(app);
	if (root && root->ops->resume)
		root->ops->resume(root, app);
	app->dirty = true;
	return -1;
}

/* The long press in the operator corner: opens the menu once held for
 * APP_OPERATOR_PRESS_MS. Returns ms until it would (-1: no press). */
static int check_operator_corner(struct app *app, int64_t now)
{
	if (app->corner_down_ms < 0)
		return -1;
	int64_t left = app->corner_down_ms + APP_OPERATOR_PRESS_MS - now;
	if (left > 0)
		return (int)left;
	app->corner_down_ms = -1;
	/* the scene under the finger must not take the press as a tap */
	struct ui_event ev = { .type = UI_POINTER_CANCEL };
	dispatch(app, &ev);
	app->finger_down = app->mouse_down = false;
	app->fingers = 0;
	app_open_operator(app);
	return -1;
}

static int min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* Wait for the first event up to timeout_ms (-1 forever). Blocks in the
 * kernel where SDL can (X11, Wayland); elsewhere sleeps in short slices. */
static bool wait_event(struct app *app, SDL_Event *ev, int timeout_ms)
{
	/* with a joystick attached SDL polls inside SDL_WaitEvent anyway */
	bool can_block = app->driver_blocks && SDL_NumJoysticks() == 0;
	if (timeout_ms == 0)
		return SDL_PollEvent(ev);
	if (can_block)
		return SDL_WaitEventTimeout(ev, timeout_ms);
	int64_t end = timeout_ms < 0 ? INT64_MAX : time_mono_ms() + timeout_ms;
	for (;;) {
		if (SDL_PollEvent(ev))
			return true;
		int64_t left = end - time_mono_ms();
		if (left <= 0)
			return false;
		SDL_Delay((Uint32)(left < APP_POLL_SLICE_MS ? left : APP_POLL_SLICE_MS));
	}
}

bool app_step(struct app *app, int max_wait_ms)
{
	int64_t now = app_now_ms(app);
	int timeout = -1;
	for (int i = 0; i < app->depth; i++) {
		/* only the top scene animates */
		if (i != app->depth - 1)
			continue;
		struct scene *sc = app->stack[i];
		if (sc->ops->tick)
			timeout = min_timeout(timeout, sc->ops->tick(sc, app, now));
	}
	timeout = min_timeout(timeout, check_idle(app, now));
	timeout = min_timeout(timeout, check_operator_corner(app, now));
	timeout = min_timeout(timeout, check_cursor(app, now));
	timeout = min_timeout(timeout, check_log_health(app, now));
	int64_t mono = time_mono_ms();
	watchdog_kick(mono);
	timeout = min_timeout(timeout, watchdog_wait_ms(mono));
	prompt_playing(app->prompt);    /* an ended prompt frees its device */
	if (app->dirty) {
		render(app);
		present(app);
	}
	if (app->quit)
		return false;
	if (app->presented_once && !app->audio_checked)
		check_audio(app);
	if (max_wait_ms >= 0)
		timeout = min_timeout(timeout, max_wait_ms);
	SDL_Event ev;
	if (wait_event(app, &ev, timeout)) {
		handle_event(app, &ev);
		while (!app->quit && SDL_PollEvent(&ev))
			handle_event(app, &ev);
	}
	return !app->quit;
}

int app_run(struct app *app)
{
	while (app_step(app, -1))
		;
	return 0;
}

/* ------------------------------------------------------------------ */
/* read-back                                                           */

/* The renderer's current target, w x h, as RGBA; NULL logged. */
static struct image *read_back(struct app *app, int w, int h)
{
	struct image *img = w > 0 && h > 0 ? image_create(w, h) : NULL;
	if (!img || SDL_RenderReadPixels(app->renderer, NULL, SDL_PIXELFORMAT_RGBA32,
					 img->pixels, img->pitch) != 0) {
		log_error("cannot read the screen back: %s", SDL_GetError());
		image_destroy(img);
		img = NULL;
	}
	return img;
}

struct image *app_capture(struct app *app)
{
	render(app);
	struct image *img = read_back(app, app->w, app->h);
	present(app);
	return img;
}

struct image *app_capture_screen(struct app *app)
{
	render(app);
	screen_finish(app->screen);
	int w = 0, h = 0;
	SDL_GetRendererOutputSize(app->renderer, &w, &h);
	struct image *img = read_back(app, w, h);
	present(app);
	return img;
}

bool app_screenshot(struct app *app, const char *path)
{
	struct image *img = app_capture(app);
	if (!img)
		return false;
	bool ok = image_save_png(img, path);
	image_destroy(img);
	return ok;
}
