/*
 * scene_browse: a grid of items of one category or topic, each with its
 * picture and its title in the visitor's language. An item without a title
 * in that language shows the Vietnamese one under a "not yet translated"
 * badge: never hidden, never blank. The grid scrolls by dragging, the
 * mouse wheel, page keys, or by moving the focus past the edge.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "content/topics.h"
#include "ui/app.h"
#include "ui/draw.h"

#define DRAG_THRESHOLD_UNITS 3   /* movement that turns a tap into a drag */

struct scene_browse {
	struct scene base;
	struct browse_filter filter;
	char title_msgid[128];
	const struct item **items;
	size_t n_items;
	struct ui_button *buttons;   /* top bar (3) + one per visible card */
	size_t n_buttons;
	int pressed;                 /* index into buttons, -1 none */
	int scroll_y;                /* pixels the grid is scrolled up */
	int content_h;               /* full height of the grid */
	int view_top, view_h;        /* grid viewport */
	int card_w, card_h, cols, gap;
	int drag_start_y, drag_start_scroll;
	bool dragging, pointer_down;
};

static void grid_metrics(struct scene_browse *sb, struct app *app)
{
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	sb->gap = u * 2;
	sb->cols = app_portrait(app) ? 2 : (w >= h * 16 / 10 ? 4 : 3);
	sb->card_w = (w - sb->gap * (sb->cols + 1)) / sb->cols;
	int pic_h = sb->card_w * 9 / 16;
	sb->card_h = pic_h + u * 13;
	int rows = ((int)sb->n_items + sb->cols - 1) / sb->cols;
	sb->content_h = rows * (sb->card_h + sb->gap) + sb->gap;
	sb->view_top = u * 12;
	sb->view_h = h - sb->view_top;
}

static void clamp_scroll(struct scene_browse *sb)
{
	int max = sb->content_h - sb->view_h;
	if (max < 0)
		max = 0;
	if (sb->scroll_y > max)
		sb->scroll_y = max;
	if (sb->scroll_y < 0)
		sb->scroll_y = 0;
}

static SDL_Rect card_rect(const struct scene_browse *sb, size_t i)
{
	int c = (int)(i % (size_t)sb->cols), r = (int)(i / (size_t)sb->cols);
	return (SDL_Rect){ sb->gap + c * (sb->card_w + sb->gap),
			   sb->view_top + sb->gap + r * (sb->card_h + sb->gap) - sb->scroll_y,
			   sb->card_w, sb->card_h };
}

/* Scroll so card i is wholly visible. */
static void reveal(struct scene_browse *sb, size_t i)
{
	SDL_Rect r = card_rect(sb, i);
	if (r.y < sb->view_top)
		sb->scroll_y -= sb->view_top - r.y + sb->gap;
	else if (r.y + r.h > sb->view_top + sb->view_h)
		sb->scroll_y += r.y + r.h - (sb->view_top + sb->view_h) + sb->gap;
	clamp_scroll(sb);
}

static void open_item(struct scene_browse *sb, struct app *app, int id)
{
	if (topbar_action(app, id))
		return;
	if (id >= 0 && (size_t)id < sb->n_items)
		app_push(app, scene_viewer_create(app, sb->items[id]));
}

/* Focus moves over all cards, not just the visible ones: index arithmetic
 * on the grid, and the top bar above the first row. */
static void move_focus(struct scene_browse *sb, struct app *app, enum ui_event_type dir)
{
	struct scene *sc = &sb->base;
	int f = sc->focus;     /* card index >= 0, or top bar id (< 0) */
	int n = (int)sb->n_items;
	if (f <= TOPBAR_BACK) {
		/* in the top bar */
		if (dir == UI_NAV_DOWN && n > 0)
			f = 0;
		else if (dir == UI_NAV_RIGHT)
			f = f == TOPBAR_BACK ? TOPBAR_HOME : TOPBAR_LANG;
		else if (dir == UI_NAV_LEFT)
			f = f == TOPBAR_LANG ? TOPBAR_HOME : TOPBAR_BACK;
	} else {
		switch (dir) {
		case UI_NAV_LEFT: if (f % sb->cols > 0) f--; break;
		case UI_NAV_RIGHT: if (f % sb->cols < sb->cols - 1 && f + 1 < n) f++; break;
		case UI_NAV_UP: f = f - sb->cols >= 0 ? f - sb->cols : TOPBAR_BACK; break;
		case UI_NAV_DOWN:
			if (f + sb->cols < n)
				f += sb->cols;
			else if (f / sb->cols < (n - 1) / sb->cols)
				f = n - 1;
			break;
		default: break;
		}
		if (f >= 0)
			reveal(sb, (size_t)f);
	}
	sc->focus = f;
	app_redraw(app);
}

static void browse_event(struct scene *sc, struct app *app, const struct ui_event *ev)
{
	struct scene_browse *sb = (struct scene_browse *)sc;
	int u = app_unit(app);
	int hit;
	switch (ev->type) {
	case UI_POINTER_DOWN:
		sb->pointer_down = true;
		sb->dragging = false;
		sb->drag_start_y = ev->y;
		sb->drag_start_scroll = sb->scroll_y;
		sb->pressed = ui_hit(sb->buttons, sb->n_buttons, ev->x, ev->y);
		app_redraw(app);
		break;
	case UI_POINTER_MOVE:
		if (!sb->pointer_down)
			break;
		if (!sb->dragging && abs(ev->y - sb->drag_start_y) > u * DRAG_THRESHOLD_UNITS &&
		    sb->drag_start_y > sb->view_top) {
			sb->dragging = true;
			sb->pressed = -1;
		}
		if (sb->dragging) {
			sb->scroll_y = sb->drag_start_scroll - (ev->y - sb->drag_start_y);
			clamp_scroll(sb);
			app_redraw(app);
		}
		break;
	case UI_POINTER_UP:
		sb->pointer_down = false;
		hit = ui_hit(sb->buttons, sb->n_buttons, ev->x, ev->y);
		if (!sb->dragging && hit >= 0 && hit == sb->pressed) {
			sb->pressed = -1;
			open_item(sb, app, sb->buttons[hit].id);
			return;
		}
		sb->pressed = -1;
		sb->dragging = false;
		app_redraw(app);
		break;
	case UI_WHEEL:
		sb->scroll_y -= ev->dy * sb->card_h / 2;
		clamp_scroll(sb);
		app_redraw(app);
		break;
	case UI_PAGE_UP:
	case UI_PAGE_DOWN:
		sb->scroll_y += (ev->type == UI_PAGE_DOWN ? 1 : -1) * (sb->view_h - sb->gap);
		clamp_scroll(sb);
		app_redraw(app);
		break;
	case UI_NAV_UP: case UI_NAV_DOWN: case UI_NAV_LEFT: case UI_NAV_RIGHT:
		move_focus(sb, app, ev->type);
		break;
	case UI_ACTIVATE:
		open_item(sb, app, sc->focus);
		break;
	case UI_BACK:
		app_pop(app);
		break;
	default:
		break;
	}
}

static void draw_card(struct scene_browse *sb, struct app *app, size_t i,
		      const SDL_Rect *r, bool focused, bool pressed)
{
	SDL_Renderer *ren = app_renderer(app);
	struct text_engine *te = app_text(app);
	int u = app_unit(app);
	const struct item *item = sb->items[i];
	draw_fill(ren, r, pressed ? COLOR_ACCENT : COLOR_PANEL);
	SDL_Rect pic = { r->x, r->y, r->w, r->w * 9 / 16 };
	draw_item_picture(app, item, &pic);

	size_t n_chain;
	const char *const *chain = app_lang_chain(app, &n_chain);
	bool translated;
	const struct item_text *t = item_text_for(item, chain, n_chain, &translated);
	struct text_style ts = { .size_px = u * 7 / 2, .bold = true, .color = COLOR_TEXT };
	SDL_Rect box = { r->x + u * 2, pic.y + pic.h + u, r->w - u * 4, r->h - pic.h - u };
	text_draw_box(te, t->title, &box, 2, &ts);

	if (!translated) {
		struct text_style bs = { .size_px = u * 3, .bold = true, .color = COLOR_BLACK };
		const char *label = app_tr(app, "Not yet translated");
		int bw, bh;
		text_measure(te, label, &bs, &bw, &bh);
		if (bw > r->w - u * 2)
			bw = r->w - u * 2;
		SDL_Rect badge = { r->x + u, pic.y + u, bw + u * 2, bh + u };
		draw_fill(ren, &badge, COLOR_BADGE);
		text_draw_line(te, label, badge.x + u, badge.y + u / 2, bw, &bs);
	}
	if (focused)
		draw_focus(app, r);
}

static void browse_draw(struct scene *sc, struct app *app)
{
	struct scene_browse *sb = (struct scene_browse *)sc;
	int w, h;
	app_size(app, &w, &h);
	grid_metrics(sb, app);
	clamp_scroll(sb);

	sb->n_buttons = 3;
	SDL_Rect clip = { 0, sb->view_top, w, sb->view_h };
	SDL_RenderSetClipRect(app_renderer(app), &clip);
	for (size_t i = 0; i < sb->n_items; i++) {
		SDL_Rect r = card_rect(sb, i);
		if (r.y + r.h < sb->view_top || r.y > h)
			continue;   /* off screen: not drawn, thumbnails not loaded */
		int idx = (int)sb->n_buttons;
		SDL_Rect hit = r;
		/* only the visible part of a card takes taps */
		if (hit.y < sb->view_top) {
			hit.h -= sb->view_top - hit.y;
			hit.y = sb->view_top;
		}
		sb->buttons[sb->n_buttons++] = (struct ui_button){ hit, (int)i };
		draw_card(sb, app, i, &r, sc->focus == (int)i, sb->pressed == idx);
	}
	SDL_RenderSetClipRect(app_renderer(app), NULL);
	if (sb->n_items == 0) {
		struct text_style ts = { .size_px = app_unit(app) * 5, .color = COLOR_TEXT_DIM,
					 .align = TEXT_CENTER };
		text_draw_line(app_text(app), app_tr(app, "Nothing here yet"), 0,
			       h / 2, w, &ts);
	}
	/* the top bar last, over any card scrolled under it */
	struct ui_button bar[3];
	draw_topbar(app, app_tr(app, sb->title_msgid), bar, sc->focus);
	memcpy(sb->buttons, bar, sizeof bar);
}

static void browse_resume(struct scene *sc, struct app *app)
{
	(void)sc;
	app_redraw(app);
}

static void browse_destroy(struct scene *sc, struct app *app)
{
	(void)app;
	struct scene_browse *sb = (struct scene_browse *)sc;
	free(sb->items);
	free(sb->buttons);
	free(sb);
}

static const struct scene_ops browse_ops = {
	.name = "browse",
	.event = browse_event,
	.draw = browse_draw,
	.resume = browse_resume,
	.destroy = browse_destroy,
};

struct scene *scene_browse_create(struct app *app, const struct browse_filter *f)
{
	static const char *const type_titles[ITEM_TYPE_COUNT] = {
		"Videos", "Radio and audio", "Posters and photos", "Leaflets",
		"Photo exhibitions",
	};
	struct scene_browse *sb = xcalloc(1, sizeof *sb);
	sb->base.ops = &browse_ops;
	sb->base.focus = 0;
	sb->pressed = -1;
	sb->filter = *f;
	const struct catalog *cat = app_catalog(app);
	size_t n = cat ? cat->n_items : 0;
	sb->items = xcalloc(n ? n : 1, sizeof *sb->items);
	for (size_t i = 0; i < n; i++) {
		const struct item *it = &cat->items[i];
		if (f->type >= 0 && (int)it->type != f->type)
			continue;
		if (f->topic && !item_has_topic(it, f->topic))
			continue;
		sb->items[sb->n_items++] = it;
	}
	sb->buttons = xcalloc(sb->n_items + 3, sizeof *sb->buttons);
	const char *title = "Everything";
	if (f->type >= 0 && f->type < ITEM_TYPE_COUNT)
		title = type_titles[f->type];
	else if (f->topic && topic_find(f->topic))
		title = topic_find(f->topic)->label;
	snprintf(sb->title_msgid, sizeof sb->title_msgid, "%s", title);
	if (sb->n_items == 0)
		sb->base.focus = TOPBAR_BACK;
	return &sb->base;
}
