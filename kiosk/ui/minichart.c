/*
 * minichart: small bar charts for the operator menu (see minichart.h).
 */
#include "ui/minichart.h"

#include "i18n/langfmt.h"
#include "ui/draw.h"
#include "ui/text.h"

static int64_t largest(const struct minichart_bar *bars, size_t n)
{
	int64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	return max;
}

static int text_width(struct text_engine *te, const char *s,
		      const struct text_style *st)
{
	int w = 0, h = 0;
	if (!s || !*s || !text_measure(te, s, st, &w, &h))
		return 0;
	return w;
}

/* The length in pixels of value on a scale where max is full_px; a value
 * above zero gets at least one pixel so it never looks like nothing. */
static int scaled(int64_t value, int64_t max, int full_px)
{
	if (value <= 0 || max <= 0 || full_px <= 0)
		return 0;
	int px = (int)((double)value * full_px / (double)max + 0.5);
	return px < 1 ? 1 : px > full_px ? full_px : px;
}

void minichart_columns(struct app *app, const SDL_Rect *box,
		       const struct minichart_bar *bars, size_t n,
		       const struct lang *lang, int text_px)
{
	if (n == 0 || box->w <= 0 || box->h <= 0)
		return;
	SDL_Renderer *ren = app_renderer(app);
	struct text_engine *te = app_text(app);
	struct text_style ns = { .size_px = text_px, .color = COLOR_TEXT };
	struct text_style ls = { .size_px = text_px, .color = COLOR_TEXT_DIM };
	int lh = text_line_height(te, &ns);
	int line_px = text_px / 8 < 1 ? 1 : text_px / 8;
	int64_t max = largest(bars, n);
	char num[32];
	langfmt_int(lang, max, num, sizeof num);
	int gutter = text_width(te, num, &ls) + text_px / 2;
	int x0 = box->x + gutter, x1 = box->x + box->w;
	int top = box->y + lh, base = box->y + box->h - lh;
	int plot_h = base - top;
	if (x1 - x0 < (int)n || plot_h < 2)
		return;
	/* the scale: a faint line at the largest value, written beside it,
	 * and the baseline */
	SDL_Rect grid = { x0, top, x1 - x0, line_px };
	draw_fill(ren, &grid, COLOR_PANEL);
	if (max > 0)
		text_draw_line(te, num, box->x, top - lh / 2, gutter - text_px / 4,
			       &(struct text_style){ .size_px = text_px,
						     .color = COLOR_TEXT_DIM,
						     .align = TEXT_RIGHT });
	double slot = (double)(x1 - x0) / (double)n;
	int col_w = (int)(slot * 0.7);
	if (col_w < 1)
		col_w = 1;
	int last_label_end = INT32_MIN;
	for (size_t i = 0; i < n; i++) {
		int sx = x0 + (int)(slot * (double)i);
		int cx = sx + (int)(slot / 2);
		int hpx = scaled(bars[i].value, max, plot_h);
		SDL_Rect col = { cx - col_w / 2, base - hpx, col_w, hpx };
		if (hpx > 0)
			draw_fill(ren, &col, bars[i].color);
		if (bars[i].value > 0) {
			langfmt_int(lang, bars[i].value, num, sizeof num);
			int tw = text_width(te, num, &ns);
			if (tw > 0 && tw + 2 <= (int)slot)
				text_draw_line(te, num, cx - tw / 2, col.y - lh, 0, &ns);
		}
		const char *label = bars[i].label;
		if (label && *label) {
			int tw = text_width(te, label, &ls);
			int lx = cx - tw / 2;
			if (lx >= last_label_end + text_px / 2 && lx + tw <= x1 + text_px) {
				text_draw_line(te, label, lx, base + line_px, 0, &ls);
				last_label_end = lx + tw;
			}
		}
	}
	SDL_Rect axis = { x0, base, x1 - x0, line_px };
	draw_fill(ren, &axis, COLOR_TEXT_DIM);
}

size_t minichart_bars(struct app *app, const SDL_Rect *box,
		      const struct minichart_bar *bars, size_t n,
		      const struct lang *lang, int text_px)
{
	if (n == 0 || box->w <= 0 || box->h <= 0)
		return 0;
	SDL_Renderer *ren = app_renderer(app);
	struct text_engine *te = app_text(app);
	struct text_style ls = { .size_px = text_px, .color = COLOR_TEXT };
	struct text_style vs = { .size_px = text_px, .color = COLOR_TEXT_DIM };
	int lh = text_line_height(te, &ls);
	int row_h = box->h / (int)n;
	if (row_h > lh * 16 / 10)
		row_h = lh * 16 / 10;
	if (row_h < lh)
		row_h = lh;
	size_t rows = (size_t)(box->h / row_h);
	if (rows > n)
		rows = n;
	if (rows == 0)
		return 0;
	int64_t max = largest(bars, rows);
	int label_w = 0, value_w = 0;
	char num[32];
	for (size_t i = 0; i < rows; i++) {
		int w = text_width(te, bars[i].label, &ls);
		label_w = w > label_w ? w : label_w;
		langfmt_int(lang, bars[i].value, num, sizeof num);
		w = text_width(te, num, &vs);
		value_w = w > value_w ? w : value_w;
	}
	if (label_w > box->w * 35 / 100)
		label_w = box->w * 35 / 100;
	int gap = text_px / 2;
	int bar_x = box->x + label_w + gap;
	int bar_full = box->x + box->w - bar_x - gap - value_w;
	if (bar_full < 2)
		return 0;
	int bar_h = row_h * 7 / 10;
	for (size_t i = 0; i < rows; i++) {
		int y = box->y + (int)i * row_h;
		if (bars[i].label)
			text_draw_line(te, bars[i].label, box->x, y + (row_h - lh) / 2,
				       label_w, &ls);
		int len = scaled(bars[i].value, max, bar_full);
		SDL_Rect bar = { bar_x, y + (row_h - bar_h) / 2, len, bar_h };
		if (len > 0)
			draw_fill(ren, &bar, bars[i].color);
		langfmt_int(lang, bars[i].value, num, sizeof num);
		text_draw_line(te, num, bar_x + len + gap, y + (row_h - lh) / 2, 0, &vs);
	}
	return rows;
}
