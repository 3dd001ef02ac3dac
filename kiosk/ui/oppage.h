/*
 * oppage: what the operator's pages share (the menu, the PIN pad, the
 * settings and the content page): a title bar, buttons with names the
 * tests can find, a progress bar, a message box, and the timeout after
 * which an unattended page closes.
 */
#ifndef KIOSK_UI_OPPAGE_H
#define KIOSK_UI_OPPAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#include "ui/app.h"
#include "ui/draw.h"

/* An operator page left alone this long closes (never while it works). */
#define OPPAGE_IDLE_MS 120000
#define OPPAGE_MAX_BUTTONS 40

/* The buttons drawn this frame. */
struct oppage {
	struct ui_button buttons[OPPAGE_MAX_BUTTONS];
	const char *names[OPPAGE_MAX_BUTTONS];  /* for tests: "import-0", "ok" */
	size_t n;
	int pressed;                 /* index pressed, -1 none */
};

/* Start a frame: forget last frame's buttons. */
void oppage_begin(struct oppage *pg);

/* Draw the title bar; returns the y where the page's content starts. */
int oppage_title(struct app *app, const char *title);

/* Add and draw a button (focus: the scene's focus index, set to it when
 * none is focused yet). Returns its index. */
int oppage_button(struct oppage *pg, struct app *app, int *focus, SDL_Rect r,
		  int id, const char *name, const char *label, const char *sub);

/* The rectangle of the button named name, drawn last frame. */
bool oppage_find(const struct oppage *pg, const char *name, SDL_Rect *out);

/* The id of the button at index i. */
int oppage_id(const struct oppage *pg, int i);

/* A line of text then a bar filled to fraction f (0..1) from y across w;
 * returns the y below it. */
int oppage_progress(struct app *app, int x, int y, int w, const char *label,
		    double f);

/* text wrapped in the box from (x, y) to the bottom of the screen, in
 * the colour of messages. */
void oppage_message(struct app *app, int x, int y, int w, const char *text);

#endif
