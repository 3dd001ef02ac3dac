/*
 * app: the kiosk's screen program. Owns the window, the renderer, the
 * loaded library, languages and strings, the log, the visitor's session and
 * a stack of scenes (attract -> language picker -> home -> browse ->
 * viewer). The main thread runs app_run(); nothing else touches the app.
 *
 * Input from touch, mouse, keyboard and gamepad is turned into one small
 * set of ui_events (pointer down/move/up, focus moves, activate, back) so
 * every scene works with every device. The loop sleeps until an event or
 * the next timer (scene animation, movie frame, idle timeout): a static
 * screen costs no CPU.
 */
#ifndef KIOSK_UI_APP_H
#define KIOSK_UI_APP_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "base/config.h"
#include "content/catalog.h"
#include "i18n/lang.h"
#include "i18n/strings.h"
#include "media/image.h"
#include "quiz/bank.h"
#include "quiz/contest.h"
#include "store/store.h"
#include "ui/text.h"

struct app;
struct scene;

enum ui_event_type {
	UI_POINTER_DOWN,   /* x, y: a finger or the mouse went down */
	UI_POINTER_MOVE,   /* x, y: while down */
	UI_POINTER_UP,     /* x, y */
	UI_POINTER_CANCEL, /* the pointer gesture became a pinch: forget it */
	UI_PINCH,          /* two fingers: x, y their centre, scale the change
			    * of their distance since the last UI_PINCH, dx,
			    * dy the move of the centre */
	UI_WHEEL,          /* dy: scroll (mouse wheel); x, y: the mouse */
	UI_NAV_UP,
	UI_NAV_DOWN,
	UI_NAV_LEFT,
	UI_NAV_RIGHT,
	UI_ACTIVATE,       /* Enter, Space, gamepad A */
	UI_BACK,           /* Escape, Backspace, gamepad B, browser Back */
	UI_PAGE_UP,        /* Page Up, shoulder buttons */
	UI_PAGE_DOWN,
	UI_VOLUME_UP,      /* +, volume keys */
	UI_VOLUME_DOWN,    /* -, volume keys */
	UI_TEXT,           /* text: typed on a physical keyboard (only to a
			    * scene with wants_text; Space and letters come
			    * as this instead of UI_ACTIVATE) */
	UI_ERASE,          /* Backspace, to a scene with wants_text */
};

struct ui_event {
	enum ui_event_type type;
	int x, y;          /* renderer pixels, for pointer events */
	int dx, dy;        /* UI_WHEEL: dy + is up; UI_PINCH: centre moved */
	double scale;      /* UI_PINCH */
	const char *text;  /* UI_TEXT: UTF-8, valid during the call */
};

struct scene_ops {
	const char *name;
	/* Typing goes here: a physical keyboard's letters arrive as UI_TEXT
	 * and Backspace as UI_ERASE (not UI_BACK). */
	bool wants_text;
	/* Handle one input event. */
	void (*event)(struct scene *sc, struct app *app, const struct ui_event *ev);
	/* Draw the whole screen. */
	void (*draw)(struct scene *sc, struct app *app);
	/* Advance timers; now_ms on the app clock. Returns the delay in ms
	 * until this scene next needs a tick (-1: only on input). May call
	 * app_redraw. Optional. */
	int (*tick)(struct scene *sc, struct app *app, int64_t now_ms);
	/* The scene is on top again after the one above it was popped. */
	void (*resume)(struct scene *sc, struct app *app);
	/* Does this scene keep the visitor's session alive without input
	 * (a video playing)? Optional. */
	bool (*busy)(struct scene *sc, struct app *app);
	/* An SDL event the app does not handle itself (movie wake-ups). */
	void (*sdl_event)(struct scene *sc, struct app *app, const SDL_Event *ev);
	/* Free the scene. */
	void (*destroy)(struct scene *sc, struct app *app);
	/* Tests: the rectangle of the control named name, as last drawn.
	 * Optional. */
	bool (*find_button)(struct scene *sc, const char *name, SDL_Rect *out);
	/* Tests: the message the scene shows now ("" none). Optional. */
	const char *(*page_message)(struct scene *sc);
};

struct scene {
	const struct scene_ops *ops;
	int focus;          /* index of the focused control, -1 none */
};

/* What the visitor is browsing: a type or a topic. */
struct browse_filter {
	int type;           /* enum item_type, or -1 for any */
	const char *topic;  /* topic id, or NULL for any */
};

struct app_options {
	bool software_renderer;  /* tests: read-back-friendly renderer */
	bool exit_after_first_frame; /* `kiosk bench startup` */
};

/* Create the window and load everything cfg names. A bad item or a missing
 * PO file is logged and skipped; a font that cannot be opened is replaced
 * by another (the bold one, the system's, the fallbacks), or, when none
 * opens, the kiosk runs without text; a log that cannot be opened leaves
 * the kiosk running without one (both logged, naming the files, and the
 * log shown in a notice, app_notices). Only a window or renderer that
 * cannot be made makes this return NULL (logged). cfg must outlive the
 * app. */
struct app *app_create(const struct kiosk_config *cfg,
		       const struct app_options *opt);

/* Close the session, flush the log, free everything. Accepts NULL. */
void app_destroy(struct app *app);

/* Run until quit. Returns the exit status. */
int app_run(struct app *app);

/* One turn of the loop: wait at most max_wait_ms (0 = don't wait) for input
 * or a timer, handle what arrived, redraw if needed. Returns false once the
 * app wants to quit. Tests drive the app with this. */
bool app_step(struct app *app, int max_wait_ms);

/* ---- used by the scenes ---- */

SDL_Renderer *app_renderer(struct app *app);
struct text_engine *app_text(struct app *app);
const struct kiosk_config *app_config(struct app *app);
const struct catalog *app_catalog(struct app *app);
const struct lang_registry *app_langs(struct app *app);
void app_size(struct app *app, int *w, int *h);

/* The layout unit: 1/100 of the shorter side of the screen, so every size
 * scales from 800x480 to 3840x2160, landscape or portrait. */
int app_unit(struct app *app);
bool app_portrait(struct app *app);

/* Current clock (ms, monotonic, plus the test offset). */
int64_t app_now_ms(struct app *app);
/* Tests: move the app clock forward. */
void app_advance_clock(struct app *app, int64_t ms);

/* The visitor's language and its fallback chain. */
const char *app_lang(struct app *app);
const char *const *app_lang_chain(struct app *app, size_t *n);
/* Switch language (logged as a language switch in the session). */
void app_set_lang(struct app *app, const char *tag);

/* The UI string msgid in the visitor's language (or for lang, if given). */
const char *app_tr(struct app *app, const char *msgid);
const char *app_tr_lang(struct app *app, const char *lang, const char *msgid);
/* A count in the visitor's language: the plural form of msgid /
 * msgid_plural (gettext's "%d item" / "%d items") that the language's
 * Plural-Forms gives for n, with its "%d" replaced by n written the
 * language's way ("1.234 mục"). Returns out. */
char *app_tr_count(struct app *app, const char *msgid, const char *msgid_plural,
		   long long n, char *out, size_t size);
/* msgid in the visitor's language with each "%d" in it replaced, in
 * order, by values[0..n) written the language's way ("Câu 3 / 10").
 * A translation never reaches printf. Returns out. */
char *app_tr_numbers(struct app *app, const char *msgid, const long long *values,
		     size_t n, char *out, size_t size);
/* As app_tr_lang, and tells which language the text came from. */
const char *app_tr_from(struct app *app, const char *lang, const char *msgid,
			const char **from_lang);

/* Scene stack. push takes ownership of sc. */
void app_push(struct app *app, struct scene *sc);
void app_pop(struct app *app);
/* Replace the top scene (not the attract loop) with sc. */
void app_replace(struct app *app, struct scene *sc);
/* Pop down to the bottom (attract) scene. */
void app_pop_to_root(struct app *app);
/* Pop down to the scene named name (its ops->name); to the bottom when
 * there is none. */
void app_pop_to(struct app *app, const char *name);
struct scene *app_top(struct app *app);

/* Ask for a redraw at the next turn of the loop. */
void app_redraw(struct app *app);

/* Was the last input from keys or gamepad (show the focus ring)? */
bool app_focus_visible(struct app *app);

/* Visitor session and view log. */
void app_begin_session(struct app *app);
void app_end_session(struct app *app, const char *reason);
struct store *app_store(struct app *app);
const char *app_session_id(struct app *app);

/* The visitor's sound volume, 0..1 (config `volume` at the start of each
 * session). */
double app_volume(struct app *app);
void app_set_volume(struct app *app, double volume);

/* Say a short sound (a language's spoken name) at the visitor's volume,
 * stopping the one before; it goes on over scene changes and stops with
 * the session. A file that cannot be played is logged and stays silent. */
void app_play_prompt(struct app *app, const char *path);
void app_stop_prompt(struct app *app);   /* before a video speaks */
/* The prompt playing now (NULL: none) and how far it is, for tests. */
const char *app_prompt_playing(struct app *app, double *position_s);

/* ---- what the machine uses, for the operator menu ---- */

/* The screen: video driver, renderer, mode and turn (screen_describe). */
const char *app_screen_desc(struct app *app);
/* A scene showing a film's pictures says how they are decoded
 * (movie_video_decoder; "" is ignored) and from which file. */
void app_note_video(struct app *app, const char *path, const char *decoder);
/* "h264_v4l2m2m hardware (udhr-art1.vi.mp4)" for the last film shown, or
 * "" before any. */
const char *app_video_desc(struct app *app);

/* ---- quizzes and class contests ---- */

/* Every question of the library's quiz/ folder (never NULL; empty when
 * there is none). */
const struct quiz_bank *app_quiz_bank(struct app *app);
/* The log's file, for reading figures back (report_quiz.h). */
const char *app_log_path(struct app *app);

/* The class contest on this kiosk, or NULL. It survives a restart (read
 * back from the log) until the teacher clears it. */
const struct contest *app_contest(struct app *app);
/* Start contest c (its uuid is filled in; a contest still running is
 * ended first): logged, and the contest screen replaces everything. */
void app_contest_start(struct app *app, const struct contest *c);
/* No more students join; the final ranking stays on screen. */
void app_contest_end(struct app *app);
/* Mark the contest's results exported (logged). */
void app_contest_exported(struct app *app);
/* Take the contest off the screen (its rows stay in the log). */
void app_contest_clear(struct app *app);

/* The operator menu (a long press in the top-left corner, or
 * Ctrl+Alt+O). */
void app_open_operator(struct app *app);

/* Quit the loop. */
void app_quit(struct app *app);

/* What quitting means, for the program around the app (cli_run): */
enum app_exit {
	APP_EXIT_QUIT,       /* end the program */
	APP_EXIT_RESTART,    /* start it again (a new library, the menu) */
	APP_EXIT_POWEROFF,   /* shut the machine down (exit status 100) */
};
/* Quit the loop, meaning how (logged). */
void app_request_exit(struct app *app, enum app_exit how);
enum app_exit app_exit_kind(struct app *app);

/* May Alt+F4, Ctrl+Q and closing the window quit the fullscreen kiosk?
 * Off at start; the operator menu turns it on until the next start. In a
 * window (not fullscreen) they always may. */
void app_set_leave_keys(struct app *app, bool allowed);
bool app_leave_keys(struct app *app);

/* ---- the operator menu ---- */

/* Which library is live, for imports and rollback (pack/library.h). The
 * library on screen is the one that was live at start: a new one shows
 * after a restart. */
struct library *app_library(struct app *app);
/* The operator PIN and its lockout (base/pinlock.h). */
struct pinlock *app_pin(struct app *app);
/* Log an operator action: the text log and the log database
 * (store_operator_action). detail may be NULL. */
void app_operator_action(struct app *app, const char *action,
			 const char *detail);
/* Apply the settings the operator menu changes (site, default_lang,
 * volume_percent, idle_timeout_s, rotation: the screen turns at the next
 * frame, taken from changed) and save them in
 * DATA_DIR/settings.conf (base/settings.h). Returns false with *err
 * (caller frees) when they cannot be saved; nothing changes then. */
bool app_apply_settings(struct app *app, const struct kiosk_config *changed,
			char **err);

/* ---- what the kiosk cannot do ---- */

/* The notices shown over every screen while the kiosk cannot do
 * something: its log cannot be saved (a full disk, a read-only data
 * folder) or it has no sound device. Each is logged once when it begins
 * (and the log's once when it ends), naming the file or device and the
 * reason. Writes the notices' msgids, in the order shown, to
 * out[0..return) (at most max), and *bar, when not NULL, the strip they
 * were last drawn in (empty when none). The log's state is looked at
 * after the log hook sees an error about the log file, then every second
 * until a commit succeeds; the sound device once, after the first
 * frame. */
size_t app_notices(struct app *app, const char **out, size_t max, SDL_Rect *bar);

/* Save what is on screen now as a PNG (renders a frame first). Returns
 * false on failure (logged). */
bool app_screenshot(struct app *app, const char *path);

/* Render a frame and return its pixels (caller frees with image_destroy),
 * or NULL on failure (logged). */
struct image *app_capture(struct app *app);
/* Draw a frame and read back the screen as the visitor sees it: turned
 * when a rotation is set (app_capture reads the picture before its turn).
 * Caller frees with image_destroy; NULL on failure (logged). */
struct image *app_capture_screen(struct app *app);

/* Scene constructors. */
struct scene *scene_attract_create(struct app *app);
struct scene *scene_langpick_create(struct app *app);
/* For tests: the button of language i as last drawn; false if none. */
bool scene_langpick_button(struct scene *sc, size_t i, SDL_Rect *out);
struct scene *scene_home_create(struct app *app);
struct scene *scene_browse_create(struct app *app, const struct browse_filter *f);
struct scene *scene_viewer_create(struct app *app, const struct item *item);
/* Search by typing (on-screen keyboard with Telex/VNI). */
struct scene *scene_search_create(struct app *app);
/* For tests: what was typed, how many results, the keyboard. */
const char *scene_search_text(struct scene *sc);
size_t scene_search_results(struct scene *sc);   /* shown */
size_t scene_search_found(struct scene *sc);     /* all that match */
struct keyboard *scene_search_keyboard(struct scene *sc);
/* Quizzes: the topics with questions (solo practice), one quiz (player
 * NULL: solo practice; else a student's turn in the class contest), the
 * class contest's screen (join, ranking), and the operator menu. */
struct scene *scene_quizpick_create(struct app *app);
struct scene *scene_quiz_create(struct app *app, const char *topic,
				const char *player);
struct scene *scene_contest_create(struct app *app);
struct scene *scene_operator_create(struct app *app);
/* Tests: the rectangle of sc's control named name (a scene with a
 * find_button op: the PIN pad, settings and content pages). */
bool scene_button(struct scene *sc, const char *name, SDL_Rect *out);
/* Tests: the PIN pad's and the content page's last message. */
const char *scene_page_message(struct scene *sc);
/* The PIN pad in front of the operator menu: on the right PIN it replaces
 * itself with the menu; with no PIN set it asks for a new one first. */
struct scene *scene_pinpad_create(struct app *app);
/* The PIN pad asking for a new PIN (twice), from the settings page; it
 * pops itself when done or cancelled. */
struct scene *scene_pinpad_change_create(struct app *app);
/* The operator's settings page: site, default language, volume, idle
 * timeout, the PIN, keys that may leave the kiosk. */
struct scene *scene_settings_create(struct app *app);
/* The content page: packs on USB sticks, import with progress, rollback. */
struct scene *scene_import_create(struct app *app);
/* For tests: the quiz's run (NULL when sc is not a quiz), its phase
 * ("question", "feedback", "result"), and the rectangle of the choice at
 * place k as last drawn (false when none). */
struct quiz_run *scene_quiz_run(struct scene *sc);
const char *scene_quiz_phase(struct scene *sc);
bool scene_quiz_choice_rect(struct scene *sc, size_t k, SDL_Rect *out);

/* For tests: the contest screen's ranking as last drawn, one line per
 * student ("1. An 3 / 3\n"), and whether the name keyboard is up. */
const char *scene_contest_shown(struct scene *sc);
bool scene_contest_typing(struct scene *sc);

/* For tests: the operator menu's control for action ("start", "end",
 * "export", "clear", "figures", "export-log", "close"; on the figures
 * page "back"; in the contest set-up "class", "topic-",
 * "topic+", "count-", "count+", "time-", "time+", "go", "back") as last
 * drawn (false when not shown), and the last action's message. */
bool scene_operator_button(struct scene *sc, const char *action, SDL_Rect *out);
const char *scene_operator_message(struct scene *sc);
/* For tests: the operator menu's figures page. The figures it shows for
 * today or for this month (NULL when the page is not up or the count is
 * not done or failed; owned by the scene), the rectangle of its chart
 * "days" (views per day) or "langs" (views per language) as last drawn
 * (false when not drawn), and whether the menu is counting or exporting
 * on a worker thread. The menu's "figures" and "export-log" buttons open
 * the page and export the log (scene_operator_button). */
struct report_figures;
const struct report_figures *scene_operator_figures(struct scene *sc, bool today);
bool scene_operator_chart(struct scene *sc, const char *which, SDL_Rect *out);
bool scene_operator_working(struct scene *sc);

/* Where the viewer's progress bar was last drawn (tests tap on it);
 * false when sc is not a viewer or has no bar. */
bool scene_viewer_track(struct scene *sc, SDL_Rect *out);
/* For tests: the viewer's player (NULL for pictures or another scene) and
 * the subtitle text last drawn (its lines joined by "\x1f"; "" none). */
struct movie *scene_viewer_movie(struct scene *sc);
/* For tests: the viewer's zoomable picture (posters), or NULL. */
struct picview *scene_viewer_picview(struct scene *sc);
/* For tests: the gallery picture shown (0-based). */
size_t scene_viewer_picture(struct scene *sc);
/* For tests: a text leaflet's scroll, laid-out height and text size;
 * false for anything else. */
bool scene_viewer_text_state(struct scene *sc, int *scroll_px, int *height_px,
			     bool *large);
const char *scene_viewer_cue(struct scene *sc);

#endif
