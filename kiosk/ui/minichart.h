/*
 * minichart: small bar charts drawn with filled rectangles and the text
 * engine, for the operator menu's figures (views per day, views per
 * language). Numbers are written the way the given language writes them.
 *
 * Main thread only (it draws).
 */
#ifndef KIOSK_UI_MINICHART_H
#define KIOSK_UI_MINICHART_H

#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "i18n/lang.h"
#include "ui/app.h"

/* One bar: its label (under a column, or left of a horizontal bar; NULL
 * or "" for none), its value (>= 0) and its colour. */
struct minichart_bar {
	const char *label;
	int64_t value;
	SDL_Color color;
};

/* Columns side by side in box, from a baseline near its bottom up to a
 * height proportional to the value (the largest reaches the top). Labels
 * go under the baseline, skipping any that would touch the one before;
 * the value is written above each column that is wide enough for it, and
 * the largest value beside the top of the scale. text_px is the size of
 * that text; lang (may be NULL) writes the numbers. */
void minichart_columns(struct app *app, const SDL_Rect *box,
		       const struct minichart_bar *bars, size_t n,
		       const struct lang *lang, int text_px);

/* Horizontal bars stacked in box, one row each: the label on the left,
 * the bar, and its value after the bar. Rows are at most 1.6 lines of
 * text_px tall and at least one line; the rows that do not fit are left
 * out (the caller passes the largest first). Returns the rows drawn. */
size_t minichart_bars(struct app *app, const SDL_Rect *box,
		      const struct minichart_bar *bars, size_t n,
		      const struct lang *lang, int text_px);

#endif
