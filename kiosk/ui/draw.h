/*
 * draw: the kiosk's look (colours, buttons, the focus ring, the top bar)
 * and the geometry shared by the scenes (fitting, hit tests, moving the
 * focus between buttons with arrow keys or a gamepad).
 */
#ifndef KIOSK_UI_DRAW_H
#define KIOSK_UI_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#include "ui/app.h"

/* Colours (high contrast, readable in a bright hall). */
extern const SDL_Color COLOR_BG, COLOR_PANEL, COLOR_PANEL_HI, COLOR_TEXT,
	COLOR_TEXT_DIM, COLOR_ACCENT, COLOR_FOCUS, COLOR_BADGE, COLOR_BLACK,
	COLOR_PAGE, COLOR_INK;   /* a printed page: paper and ink */

/* A tappable, focusable control: its rectangle and what it means to the
 * scene (an index or an action code). */
struct ui_button {
	SDL_Rect r;
	int id;
};

void draw_fill(SDL_Renderer *ren, const SDL_Rect *r, SDL_Color c);
void draw_outline(SDL_Renderer *ren, const SDL_Rect *r, int thickness,
		  SDL_Color c);

/* The largest rectangle of aspect src_w:src_h centred in box. */
SDL_Rect rect_fit(int src_w, int src_h, const SDL_Rect *box);

/* Draw tex turned clockwise by degrees (0, 90, 180, 270) so that it fills
 * dst, the box of the turned picture. */
void draw_rotated(SDL_Renderer *ren, SDL_Texture *tex, const SDL_Rect *dst,
		  int degrees);
/* The smallest rectangle of that aspect covering box (for cropping). */
SDL_Rect rect_cover(int src_w, int src_h, const SDL_Rect *box);

bool rect_contains(const SDL_Rect *r, int x, int y);

/* Index of the button under (x, y), or -1. */
int ui_hit(const struct ui_button *b, size_t n, int x, int y);

/* The button to focus after moving from cur in direction dir
 * (UI_NAV_UP/DOWN/LEFT/RIGHT): the nearest one whose centre lies that way,
 * preferring ones in line. cur -1 picks the first. Returns cur when there
 * is nothing that way. */
int ui_focus_move(const struct ui_button *b, size_t n, int cur,
		  enum ui_event_type dir);

/* What ui_buttons_event asks the scene to do, besides activating a
 * button (a result >= 0 is that button's index). */
enum {
	UI_NOTHING = -1,      /* handled (or ignored); nothing to do */
	UI_GO_BACK = -2,      /* Back was pressed */
	UI_TAP_OUTSIDE = -3,  /* a tap that began and ended off every button */
};

/* The event handling every screen of buttons shares: a press marks a
 * button (*pressed), leaving it cancels, releasing over the same button
 * activates it; arrows, stick and D-pad move *focus between buttons;
 * Activate takes the focused one. Asks for a redraw when anything shown
 * changes. Returns the index to activate or one of the codes above. */
int ui_buttons_event(struct app *app, const struct ui_button *b, size_t n,
		     int *pressed, int *focus, const struct ui_event *ev);

/* A labelled button: panel, optional second line, focus ring when focused
 * and the focus is visible. */
void draw_button(struct app *app, const SDL_Rect *r, const char *label,
		 const char *sublabel, bool focused, bool pressed);

/* A text field: a paper-coloured box with text (in ink, size_px, one
 * line, cut with an ellipsis) and, when cursor, a "|" after it. */
void draw_text_field(struct app *app, const SDL_Rect *field, const char *text,
		     int size_px, bool cursor);

/* The focus ring around r (only when app_focus_visible). */
void draw_focus(struct app *app, const SDL_Rect *r);

/* Common top bar: Back, Home and Language buttons plus a title. Fills
 * bar[0..3) with the three buttons (ids TOPBAR_BACK, TOPBAR_HOME,
 * TOPBAR_LANG) and returns the bar's height. focus_id is the id of the
 * focused control or -1. */
enum { TOPBAR_BACK = -100, TOPBAR_HOME = -101, TOPBAR_LANG = -102 };
int draw_topbar(struct app *app, const char *title, struct ui_button bar[3],
		int focus_id);

/* A strip across the bottom of the screen, over whatever is drawn, with
 * lines[0..n) one under the other in the focus colour on a dark band:
 * what the kiosk cannot do (a full disk, no sound). Small, so the
 * controls under it stay visible and take taps as before (the strip
 * takes no input). Returns the strip's rectangle (empty when n is 0). */
SDL_Rect draw_notice_bar(struct app *app, const char *const *lines, size_t n);

/* Handle a top-bar action id; returns true when it was one. */
bool topbar_action(struct app *app, int id);

/* Decode the picture at path scaled to fit max_w x max_h (never up) and
 * make a texture of it, blending on; *w and *h get its size. Returns NULL
 * with a reason naming the file in err. The caller owns the texture. */
SDL_Texture *draw_load_picture(struct app *app, const char *path, int max_w,
			       int max_h, int *w, int *h, char *err,
			       size_t err_size);

/* Texture of an item's thumbnail (or its poster when it has no thumbnail),
 * loaded on first use and cached by the app; NULL when there is none or it
 * cannot be read (logged once). */
SDL_Texture *app_thumbnail(struct app *app, const struct item *item);

/* Draw an item's picture fitted and cropped into r, or a coloured panel
 * with the type's symbol when it has none. */
void draw_item_picture(struct app *app, const struct item *item,
		       const SDL_Rect *r);

#endif
