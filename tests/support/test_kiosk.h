/*
 * test_kiosk: the real app under test, headless, driven by synthetic
 * events (for the integration tests).
 */
#ifndef KIOSK_TEST_KIOSK_H
#define KIOSK_TEST_KIOSK_H

#include <SDL.h>
#include <sqlite3.h>

#include "base/config.h"
#include "ui/app.h"

/* A kiosk under test: its own data directory, a library (NULL: the demo
 * library), a w x h window, software rendering so pixels can be read. */
struct kut {
	struct kiosk_config cfg;   /* outlives app, as app_create requires */
	char *data;
	struct app *app;
};

/* Generate the demo library's media if a fresh clone lacks them. */
void ensure_media(void);

/* Fill k->cfg for a w x h window on content (NULL: the demo library) with
 * the source tree's locales; k->cfg may be changed before kut_app. */
void kut_start(struct kut *k, const char *content, int w, int h);
struct app *kut_app(struct kut *k);
void kut_stop(struct kut *k);
/* Stop the kiosk and open its view log (read by the test, then closed
 * with kut_close_log, which also removes the data directory). */
sqlite3 *kut_stop_open_log(struct kut *k);
void kut_close_log(struct kut *k, sqlite3 *db);

/* Turn the loop for ms milliseconds of real time. */
void run_for(struct app *app, int ms);
/* The name of the scene on top. */
const char *top_name(struct app *app);
void push(SDL_Event *e);
/* A key, a gamepad button, a finger tap, a mouse click, each followed by
 * 30 ms of the loop. */
void key(struct app *app, SDL_Keycode sym);
void pad(struct app *app, int button);
void tap_touch(struct app *app, int x, int y);
void click(struct app *app, int x, int y);
/* Save what is on screen as name (a PNG) in the build directory. */
void save_screen(struct app *app, const char *name);
/* Text typed on a physical keyboard (an SDL_TEXTINPUT event). */
void type_text(struct app *app, const char *utf8);
/* Tap the control named name of the scene on top (scene_button). */
void tap_button(struct app *app, const char *name);
/* On the PIN pad: type pin and tap OK. */
void enter_pin(struct app *app, const char *pin);
/* Through the PIN pad on top to the operator menu, with KUT_PIN (set as
 * the new PIN, twice, when none is set yet). */
#define KUT_PIN "1234"
void pass_pinpad(struct app *app);
/* A swipe to the left with the mouse, from 3/4 to 1/4 of a w x h
 * screen's width at half its height, then 30 ms of the loop. */
void swipe_left(struct app *app, int w, int h);
/* In the quiz on top: the place (0-based) of a right (or a wrong) choice
 * of the question now; fails the test when there is none. */
size_t quiz_choice_place(struct app *app, bool right);

/* Ctrl+Alt+O, then through the PIN pad: the operator menu is on top. */
void open_operator_menu(struct app *app);
/* Tap the operator menu's button for action (scene_operator_button);
 * fails the test when there is none. */
void tap_operator(struct app *app, const char *action);

#endif
