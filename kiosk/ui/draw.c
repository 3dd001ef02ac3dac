/*
 * draw: the kiosk's look and shared geometry (see draw.h).
 */
#include "ui/draw.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"
#include "media/image.h"
#include "ui/text.h"

const SDL_Color COLOR_BG = { 0x12, 0x1b, 0x2b, 255 };
const SDL_Color COLOR_PANEL = { 0x22, 0x33, 0x4d, 255 };
const SDL_Color COLOR_PANEL_HI = { 0x2f, 0x4a, 0x70, 255 };
const SDL_Color COLOR_TEXT = { 0xff, 0xff, 0xff, 255 };
const SDL_Color COLOR_TEXT_DIM = { 0xb8, 0xc4, 0xd6, 255 };
const SDL_Color COLOR_ACCENT = { 0xe8, 0x3a, 0x3a, 255 };
const SDL_Color COLOR_FOCUS = { 0xff, 0xd2, 0x1f, 255 };
const SDL_Color COLOR_BADGE = { 0xf0, 0x8c, 0x00, 255 };
const SDL_Color COLOR_BLACK = { 0, 0, 0, 255 };
const SDL_Color COLOR_PAGE = { 0xfb, 0xf8, 0xf1, 255 };
const SDL_Color COLOR_INK = { 0x1a, 0x1a, 0x1a, 255 };

void draw_fill(SDL_Renderer *ren, const SDL_Rect *r, SDL_Color c)
{
	SDL_SetRenderDrawBlendMode(ren, c.a == 255 ? SDL_BLENDMODE_NONE
						   : SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(ren, c.r, c.g, c.b, c.a);
	SDL_RenderFillRect(ren, r);
}

void draw_outline(SDL_Renderer *ren, const SDL_Rect *r, int t, SDL_Color c)
{
	SDL_Rect sides[4] = {
		{ r->x - t, r->y - t, r->w + 2 * t, t },
		{ r->x - t, r->y + r->h, r->w + 2 * t, t },
		{ r->x - t, r->y, t, r->h },
		{ r->x + r->w, r->y, t, r->h },
	};
	SDL_SetRenderDrawBlendMode(ren, SDL_BLENDMODE_NONE);
	SDL_SetRenderDrawColor(ren, c.r, c.g, c.b, c.a);
	SDL_RenderFillRects(ren, sides, 4);
}

SDL_Rect rect_fit(int src_w, int src_h, const SDL_Rect *box)
{
	if (src_w <= 0 || src_h <= 0)
		return *box;
	int w = box->w, h = (int)((int64_t)box->w * src_h / src_w);
	if (h > box->h) {
		h = box->h;
		w = (int)((int64_t)box->h * src_w / src_h);
	}
	return (SDL_Rect){ box->x + (box->w - w) / 2, box->y + (box->h - h) / 2, w, h };
}

SDL_Rect rect_cover(int src_w, int src_h, const SDL_Rect *box)
{
	if (src_w <= 0 || src_h <= 0)
		return *box;
	int w = box->w, h = (int)((int64_t)box->w * src_h / src_w);
	if (h < box->h) {
		h = box->h;
		w = (int)((int64_t)box->h * src_w / src_h);
	}
	return (SDL_Rect){ box->x + (box->w - w) / 2, box->y + (box->h - h) / 2, w, h };
}

bool rect_contains(const SDL_Rect *r, int x, int y)
{
	return x >= r->x && y >= r->y && x < r->x + r->w && y < r->y + r->h;
}

int ui_hit(const struct ui_button *b, size_t n, int x, int y)
{
	for (size_t i = 0; i < n; i++)
		if (rect_contains(&b[i].r, x, y))
			return (int)i;
	return -1;
}

int ui_focus_move(const struct ui_button *b, size_t n, int cur,
		  enum ui_event_type dir)
{
	if (n == 0)
		return -1;
	if (cur < 0 || (size_t)cur >= n)
		return 0;
	int cx = b[cur].r.x + b[cur].r.w / 2, cy = b[cur].r.y + b[cur].r.h / 2;
	int best = cur;
	int64_t best_score = INT64_MAX;
	for (size_t i = 0; i < n; i++) {
		if ((int)i == cur)
			continue;
		int x = b[i].r.x + b[i].r.w / 2, y = b[i].r.y + b[i].r.h / 2;
		int along, across;
		switch (dir) {
		case UI_NAV_UP: along = cy - y; across = x - cx; break;
		case UI_NAV_DOWN: along = y - cy; across = x - cx; break;
		case UI_NAV_LEFT: along = cx - x; across = y - cy; break;
		case UI_NAV_RIGHT: along = x - cx; across = y - cy; break;
		default: return cur;
		}
		if (along <= 0)
			continue;
		/* in-line neighbours first: sideways distance weighs more */
		int64_t score = (int64_t)along + 3 * (int64_t)abs(across);
		if (score < best_score) {
			best_score = score;
			best = (int)i;
		}
	}
	return best;
}

int ui_buttons_event(struct app *app, const struct ui_button *b, size_t n,
		     int *pressed, int *focus, const struct ui_event *ev)
{
	int hit;
	switch (ev->type) {
	case UI_POINTER_DOWN:
		*pressed = ui_hit(b, n, ev->x, ev->y);
		app_redraw(app);
		return UI_NOTHING;
	case UI_POINTER_CANCEL:
		*pressed = -1;
		app_redraw(app);
		return UI_NOTHING;
	case UI_POINTER_MOVE:
		if (*pressed >= 0 && ui_hit(b, n, ev->x, ev->y) != *pressed) {
			*pressed = -1;
			app_redraw(app);
		}
		return UI_NOTHING;
	case UI_POINTER_UP: {
		hit = ui_hit(b, n, ev->x, ev->y);
		int was = *pressed;
		*pressed = -1;
		app_redraw(app);
		if (hit >= 0 && hit == was)
			return hit;
		return hit < 0 && was < 0 ? UI_TAP_OUTSIDE : UI_NOTHING;
	}
	case UI_NAV_UP: case UI_NAV_DOWN: case UI_NAV_LEFT: case UI_NAV_RIGHT:
		*focus = ui_focus_move(b, n, *focus, ev->type);
		app_redraw(app);
		return UI_NOTHING;
	case UI_ACTIVATE:
		return *focus >= 0 && (size_t)*focus < n ? *focus : UI_NOTHING;
	case UI_BACK:
		return UI_GO_BACK;
	default:
		return UI_NOTHING;
	}
}

void draw_focus(struct app *app, const SDL_Rect *r)
{
	if (!app_focus_visible(app))
		return;
	int t = app_unit(app) * 6 / 10;
	if (t < 3)
		t = 3;
	draw_outline(app_renderer(app), r, t, COLOR_FOCUS);
}

void draw_text_field(struct app *app, const SDL_Rect *field, const char *text,
		     int size_px, bool cursor)
{
	struct text_engine *te = app_text(app);
	int u = app_unit(app);
	draw_fill(app_renderer(app), field, COLOR_PAGE);
	struct text_style fs = { .size_px = size_px, .color = COLOR_INK };
	char *shown = xasprintf("%s%s", text, cursor ? "|" : "");
	text_draw_line(te, shown, field->x + u * 2,
		       field->y + (field->h - text_line_height(te, &fs)) / 2,
		       field->w - u * 4, &fs);
	free(shown);
}

void draw_button(struct app *app, const SDL_Rect *r, const char *label,
		 const char *sublabel, bool focused, bool pressed)
{
	SDL_Renderer *ren = app_renderer(app);
	struct text_engine *te = app_text(app);
	int u = app_unit(app);
	draw_fill(ren, r, pressed ? COLOR_ACCENT
		  : (focused && app_focus_visible(app)) ? COLOR_PANEL_HI : COLOR_PANEL);
	int pad = u;
	struct text_style big = { .size_px = u * 5, .bold = true,
				  .color = COLOR_TEXT, .align = TEXT_CENTER };
	struct text_style small = { .size_px = u * 3, .color = COLOR_TEXT_DIM,
				    .align = TEXT_CENTER };
	if (big.size_px * 2 > r->h) {
		big.size_px = r->h * 4 / 10;
		small.size_px = r->h * 25 / 100;
	}
	/* a label too wide for the button: a smaller size, then two lines */
	int avail = r->w - 2 * pad;
	int lw = 0;
	text_measure(te, label, &big, &lw, NULL);
	/* too wide: a little smaller; then two lines if the button is tall
	 * enough; else smaller still (down to 60 %), then an ellipsis */
	int start_px = big.size_px;
	int sh = sublabel ? text_line_height(te, &small) : 0;
	int lines = 1;
	while (lw > avail && big.size_px * 9 / 10 >= start_px * 6 / 10) {
		if (big.size_px <= start_px * 8 / 10 &&
		    2 * text_line_height(te, &big) + sh <= r->h - u) {
			lines = 2;
			break;
		}
		big.size_px = big.size_px * 9 / 10;
		text_measure(te, label, &big, &lw, NULL);
	}
	int lh = text_line_height(te, &big);
	int top = r->y + (r->h - lines * lh - sh) / 2;
	SDL_Rect box = { r->x + pad, top, avail, lines * lh };
	text_draw_box(te, label, &box, lines, &big);
	if (sublabel)
		text_draw_line(te, sublabel, r->x + pad, top + lines * lh, avail,
			       &small);
	if (focused)
		draw_focus(app, r);
}

int draw_topbar(struct app *app, const char *title, struct ui_button bar[3],
		int focus_id)
{
	SDL_Renderer *ren = app_renderer(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	int bh = u * 12;
	SDL_Rect strip = { 0, 0, w, bh };
	draw_fill(ren, &strip, COLOR_PANEL);
	int bw = app_portrait(app) ? w / 4 : u * 30;
	int gap = u;
	bar[0] = (struct ui_button){ { gap, gap, bw, bh - 2 * gap }, TOPBAR_BACK };
	bar[1] = (struct ui_button){ { 2 * gap + bw, gap, bw, bh - 2 * gap }, TOPBAR_HOME };
	bar[2] = (struct ui_button){ { w - gap - bw, gap, bw, bh - 2 * gap }, TOPBAR_LANG };
	const char *labels[3] = {
		app_tr(app, "Back"), app_tr(app, "Home"), app_tr(app, "Language"),
	};
	for (int i = 0; i < 3; i++)
		draw_button(app, &bar[i].r, labels[i], NULL, bar[i].id == focus_id,
			    false);
	if (title) {
		struct text_style ts = { .size_px = u * 5, .bold = true,
					 .color = COLOR_TEXT, .align = TEXT_CENTER };
		int tx = bar[1].r.x + bw + gap;
		int tw = bar[2].r.x - gap - tx;
		if (tw > u * 25)
			text_draw_line(app_text(app), title, tx,
				       (bh - text_line_height(app_text(app), &ts)) / 2,
				       tw, &ts);
	}
	return bh;
}

SDL_Rect draw_notice_bar(struct app *app, const char *const *lines, size_t n)
{
	SDL_Rect bar = { 0, 0, 0, 0 };
	if (n == 0)
		return bar;
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	struct text_engine *te = app_text(app);
	struct text_style ts = { .size_px = u * 3 > 12 ? u * 3 : 12,
				 .color = COLOR_FOCUS, .align = TEXT_CENTER };
	int lh = text_line_height(te, &ts);
	int pad = u / 2 > 2 ? u / 2 : 2;
	int bh = (int)n * lh + 2 * pad;
	bar = (SDL_Rect){ 0, h - bh, w, bh };
	SDL_Color band = COLOR_BLACK;
	band.a = 215;
	draw_fill(app_renderer(app), &bar, band);
	/* a line of the focus colour on top: seen even without a font */
	SDL_Rect edge = { 0, bar.y, w, pad / 2 > 1 ? pad / 2 : 1 };
	draw_fill(app_renderer(app), &edge, COLOR_FOCUS);
	for (size_t i = 0; i < n; i++)
		text_draw_line(te, lines[i], u, bar.y + pad + (int)i * lh, w - 2 * u,
			       &ts);
	return bar;
}

bool topbar_action(struct app *app, int id)
{
	switch (id) {
	case TOPBAR_BACK:
		app_pop(app);
		return true;
	case TOPBAR_HOME:
		/* down to home: attract, picker, home are the bottom three */
		while (app_top(app) && app_top(app)->ops->name &&
		       SDL_strcmp(app_top(app)->ops->name, "home") != 0 &&
		       SDL_strcmp(app_top(app)->ops->name, "attract") != 0)
			app_pop(app);
		return true;
	case TOPBAR_LANG:
		app_push(app, scene_langpick_create(app));
		return true;
	default:
		return false;
	}
}

SDL_Texture *draw_load_picture(struct app *app, const char *path, int max_w,
			       int max_h, int *w, int *h, char *err,
			       size_t err_size)
{
	struct image *img = image_load(path, max_w, max_h, err, err_size);
	if (!img)
		return NULL;
	SDL_Texture *tex = SDL_CreateTexture(app_renderer(app), SDL_PIXELFORMAT_RGBA32,
					     SDL_TEXTUREACCESS_STATIC, img->w, img->h);
	if (tex) {
		SDL_UpdateTexture(tex, NULL, img->pixels, img->pitch);
		SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
		*w = img->w;
		*h = img->h;
	} else if (err && err_size) {
		snprintf(err, err_size, "%s: cannot make a texture: %s", path,
			 SDL_GetError());
	}
	image_destroy(img);
	return tex;
}

void draw_item_picture(struct app *app, const struct item *item,
		       const SDL_Rect *r)
{
	SDL_Renderer *ren = app_renderer(app);
	SDL_Texture *tex = app_thumbnail(app, item);
	if (tex) {
		int tw, th;
		SDL_QueryTexture(tex, NULL, NULL, &tw, &th);
		SDL_Rect src = { 0, 0, tw, th };
		/* crop the source to r's aspect (cover) */
		if ((int64_t)tw * r->h > (int64_t)th * r->w) {
			src.w = (int)((int64_t)th * r->w / r->h);
			src.x = (tw - src.w) / 2;
		} else {
			src.h = (int)((int64_t)tw * r->h / r->w);
			src.y = (th - src.h) / 2;
		}
		SDL_RenderCopy(ren, tex, &src, r);
		return;
	}
	static const SDL_Color type_colors[ITEM_TYPE_COUNT] = {
		{ 0x8e, 0x24, 0x2b, 255 }, { 0x1f, 0x6f, 0x5c, 255 },
		{ 0x3b, 0x4f, 0x9a, 255 }, { 0x7a, 0x5a, 0x16, 255 },
		{ 0x5a, 0x3b, 0x7a, 255 },
	};
	draw_fill(ren, r, type_colors[item->type]);
	struct text_style ts = { .size_px = r->h / 4, .bold = true,
				 .color = COLOR_TEXT, .align = TEXT_CENTER };
	const char *names[ITEM_TYPE_COUNT] = { "Video", "Audio", "Poster", "Leaflet",
					       "Photos" };
	text_draw_line(app_text(app), app_tr(app, names[item->type]), r->x,
		       r->y + (r->h - text_line_height(app_text(app), &ts)) / 2,
		       r->w, &ts);
}

void draw_rotated(SDL_Renderer *ren, SDL_Texture *tex, const SDL_Rect *dst,
		  int degrees)
{
	if (degrees == 0) {
		SDL_RenderCopy(ren, tex, NULL, dst);
		return;
	}
	SDL_Rect r = *dst;
	if (degrees == 90 || degrees == 270) {
		/* SDL turns about the centre of the unturned box */
		r.w = dst->h;
		r.h = dst->w;
		r.x = dst->x + (dst->w - r.w) / 2;
		r.y = dst->y + (dst->h - r.h) / 2;
	}
	SDL_RenderCopyEx(ren, tex, NULL, &r, degrees, NULL, SDL_FLIP_NONE);
}
