/*
 * oppage: drawing and finding the operator pages' controls.
 */
#include "ui/oppage.h"

#include <string.h>

#include "ui/text.h"

/* The progress bar's colour: the figures page's green. */
static const SDL_Color COLOR_PROGRESS = { 0x3c, 0xc8, 0x6e, 255 };

void oppage_begin(struct oppage *pg)
{
	pg->n = 0;
}

int oppage_title(struct app *app, const char *title)
{
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	SDL_Rect bar = { 0, 0, w, u * 11 };
	draw_fill(app_renderer(app), &bar, COLOR_BADGE);
	struct text_style ts = { .size_px = u * 5, .bold = true, .color = COLOR_BLACK };
	text_draw_line(te, title, u * 3, (bar.h - text_line_height(te, &ts)) / 2,
		       w - u * 6, &ts);
	return bar.h + u * 2;
}

int oppage_button(struct oppage *pg, struct app *app, int *focus, SDL_Rect r,
		  int id, const char *name, const char *label, const char *sub)
{
	if (pg->n >= OPPAGE_MAX_BUTTONS)
		return -1;
	int idx = (int)pg->n++;
	pg->buttons[idx] = (struct ui_button){ r, id };
	pg->names[idx] = name;
	if (*focus < 0)
		*focus = idx;
	draw_button(app, &r, label, sub, *focus == idx, pg->pressed == idx);
	return idx;
}

bool oppage_find(const struct oppage *pg, const char *name, SDL_Rect *out)
{
	for (size_t i = 0; i < pg->n; i++)
		if (pg->names[i] && !strcmp(pg->names[i], name)) {
			*out = pg->buttons[i].r;
			return true;
		}
	return false;
}

int oppage_id(const struct oppage *pg, int i)
{
	return i >= 0 && (size_t)i < pg->n ? pg->buttons[i].id : -1;
}

int oppage_progress(struct app *app, int x, int y, int w, const char *label,
		    double f)
{
	struct text_engine *te = app_text(app);
	int u = app_unit(app);
	struct text_style ps = { .size_px = u * 35 / 10, .color = COLOR_TEXT };
	text_draw_line(te, label, x, y, w, &ps);
	y += text_line_height(te, &ps) + u;
	SDL_Rect track = { x, y, w, u * 4 };
	draw_fill(app_renderer(app), &track, COLOR_PANEL);
	SDL_Rect fill = track;
	fill.w = (int)(track.w * (f < 0 ? 0 : f > 1 ? 1 : f));
	draw_fill(app_renderer(app), &fill, COLOR_PROGRESS);
	return y + track.h + u * 2;
}

void oppage_message(struct app *app, int x, int y, int w, const char *text)
{
	int sw, sh;
	app_size(app, &sw, &sh);
	int u = app_unit(app);
	struct text_style ms = { .size_px = u * 35 / 10, .color = COLOR_FOCUS };
	SDL_Rect box = { x, y, w, sh - y - u };
	if (box.h > 0)
		text_draw_box(app_text(app), text, &box, 0, &ms);
}
