/*
 * scene_search: find an item by typing part of its title or summary, in
 * any language, with the on-screen keyboard (Telex/VNI) or a physical
 * one; accents do not matter ("quyen" finds "Quyền"). Results are shown
 * as buttons with the title in the visitor's language; one opens it.
 */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "i18n/vnkey.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/keyboard.h"
#include "ui/text.h"

#define MAX_RESULTS 8
#define ID_RESULT0 100

struct scene_search {
	struct scene base;
	struct keyboard *kb;
	const struct item *results[MAX_RESULTS];
	size_t n_results;           /* shown: the first MAX_RESULTS found */
	size_t n_found;             /* every item that matches */
	struct ui_button buttons[3 + MAX_RESULTS];
	size_t n;
	int pressed;
	SDL_Rect kb_box;
};

/* Does item mention the folded query in a title or summary? */
static bool matches(const struct item *it, const char *query)
{
	char folded[1024];
	for (size_t i = 0; i < it->n_texts; i++) {
		const char *fields[2] = { it->texts[i].title, it->texts[i].summary };
		for (int f = 0; f < 2; f++) {
			if (fields[f] && vnkey_fold(fields[f], folded, sizeof folded) &&
			    strstr(folded, query))
				return true;
		}
	}
	return false;
}

static void search(struct scene_search *ss, struct app *app)
{
	ss->n_results = 0;
	ss->n_found = 0;
	char query[512];
	const char *typed = keyboard_text(ss->kb);
	/* leading and trailing spaces do not count */
	while (*typed == ' ')
		typed++;
	if (!vnkey_fold(typed, query, sizeof query))
		return;
	size_t n = strlen(query);
	while (n > 0 && query[n - 1] == ' ')
		query[--n] = '\0';
	if (n < 2)
		return;     /* one letter matches everything */
	const struct catalog *cat = app_catalog(app);
	for (size_t i = 0; cat && i < cat->n_items; i++) {
		if (!matches(&cat->items[i], query))
			continue;
		if (ss->n_results < MAX_RESULTS)
			ss->results[ss->n_results++] = &cat->items[i];
		ss->n_found++;
	}
}

static void search_event(struct scene *sc, struct app *app, const struct ui_event *ev)
{
	struct scene_search *ss = (struct scene_search *)sc;
	if (ev->type == UI_TEXT || ev->type == UI_ERASE) {
		/* a physical keyboard: the keys take it, wherever the focus is */
		enum keyboard_result r = ev->type == UI_TEXT
						 ? keyboard_type(ss->kb, ev->text)
						 : keyboard_erase(ss->kb);
		if (r == KEYBOARD_CHANGED)
			search(ss, app);
		sc->focus = -1;
		app_redraw(app);
		return;
	}
	bool on_keys = ev->type == UI_POINTER_DOWN || ev->type == UI_POINTER_UP
			       ? ev->y >= ss->kb_box.y
			       : sc->focus < 0;
	if (on_keys || ev->type == UI_POINTER_CANCEL) {
		enum keyboard_result r = keyboard_event(ss->kb, app, ev, app_now_ms(app));
		if (r == KEYBOARD_CHANGED)
			search(ss, app);
		if (r == KEYBOARD_DONE && ss->n_results > 0)
			sc->focus = 3;      /* to the first result */
		if (r == KEYBOARD_LEAVE_UP)
			sc->focus = (int)ss->n - 1; /* the last result, or the top bar */
		app_redraw(app);
		if (ev->type != UI_BACK)
			return;
	}
	if (sc->focus < 0 && ev->type == UI_BACK) {
		app_pop(app);
		return;
	}
	int r = ui_buttons_event(app, ss->buttons, ss->n, &ss->pressed, &sc->focus, ev);
	if (r == UI_GO_BACK) {
		app_pop(app);
	} else if (r >= 0) {
		int id = ss->buttons[r].id;
		if (topbar_action(app, id))
			return;
		if (id >= ID_RESULT0 && (size_t)(id - ID_RESULT0) < ss->n_results)
			app_push(app, scene_viewer_create(app, ss->results[id - ID_RESULT0]));
	} else if (ev->type == UI_NAV_DOWN && sc->focus == (int)ss->n - 1) {
		sc->focus = -1;     /* below the last result: the keys */
	}
}

static int search_tick(struct scene *sc, struct app *app, int64_t now)
{
	struct scene_search *ss = (struct scene_search *)sc;
	return keyboard_tick(ss->kb, app, now);
}

static void search_draw(struct scene *sc, struct app *app)
{
	struct scene_search *ss = (struct scene_search *)sc;
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	int focus_id = sc->focus >= 0 && (size_t)sc->focus < ss->n
		       ? ss->buttons[sc->focus].id : -1;
	int top = draw_topbar(app, app_tr(app, "Search"), ss->buttons, focus_id);
	ss->n = 3;
	/* the typed text in a field */
	SDL_Rect field = { u * 3, top + u * 2, w - u * 6, u * 10 };
	draw_text_field(app, &field, keyboard_text(ss->kb), u * 5, true);
	/* the keyboard: the lower part of the screen */
	int kb_h = app_portrait(app) ? h * 35 / 100 : h * 42 / 100;
	ss->kb_box = (SDL_Rect){ 0, h - kb_h, w, kb_h };
	/* results between */
	int y = field.y + field.h + u * 2;
	int avail = ss->kb_box.y - y - u;
	size_t n_chain;
	const char *const *chain = app_lang_chain(app, &n_chain);
	if (ss->n_results == 0) {
		struct text_style hs = { .size_px = u * 4, .color = COLOR_TEXT_DIM };
		const char *hint = strlen(keyboard_text(ss->kb)) >= 2
					   ? app_tr(app, "Nothing found.")
					   : app_tr(app, "Type a word from a title.");
		text_draw_line(te, hint, u * 3, y + u, w - u * 6, &hs);
	} else {
		/* how many were found, in the visitor's language and plural */
		struct text_style cs = { .size_px = u * 3, .color = COLOR_TEXT_DIM,
					 .align = TEXT_RIGHT };
		char count[128];
		app_tr_count(app, "%d result", "%d results", (long long)ss->n_found,
			     count, sizeof count);
		text_draw_line(te, count, u * 3, field.y + field.h + u / 2, w - u * 6, &cs);
		y += text_line_height(te, &cs);
		avail -= text_line_height(te, &cs);
	}
	int cols = app_portrait(app) ? 1 : 2;
	int rows = ((int)ss->n_results + cols - 1) / cols;
	int bh = rows ? avail / rows - u : 0;
	if (bh > u * 12)
		bh = u * 12;
	int bw = (w - u * 3 * (cols + 1)) / cols;
	for (size_t i = 0; i < ss->n_results; i++) {
		SDL_Rect r = { u * 3 + (int)(i % (size_t)cols) * (bw + u * 3),
			       y + (int)(i / (size_t)cols) * (bh + u), bw, bh };
		bool tr;
		const struct item_text *t = item_text_for(ss->results[i], chain, n_chain, &tr);
		int idx = (int)ss->n;
		ss->buttons[ss->n++] = (struct ui_button){ r, ID_RESULT0 + (int)i };
		draw_button(app, &r, t->title, NULL, sc->focus == idx, ss->pressed == idx);
	}
	keyboard_draw(ss->kb, app, ss->kb_box);
}

static void search_destroy(struct scene *sc, struct app *app)
{
	(void)app;
	struct scene_search *ss = (struct scene_search *)sc;
	keyboard_destroy(ss->kb);
	free(ss);
}

static const struct scene_ops search_ops = {
	.name = "search",
	.wants_text = true,
	.event = search_event,
	.draw = search_draw,
	.tick = search_tick,
	.destroy = search_destroy,
};

struct scene *scene_search_create(struct app *app)
{
	(void)app;
	struct scene_search *ss = xcalloc(1, sizeof *ss);
	ss->base.ops = &search_ops;
	ss->base.focus = -1;        /* arrows start on the keys */
	ss->pressed = -1;
	ss->kb = keyboard_create();
	return &ss->base;
}

const char *scene_search_text(struct scene *sc)
{
	if (!sc || sc->ops != &search_ops)
		return NULL;
	return keyboard_text(((struct scene_search *)sc)->kb);
}

size_t scene_search_found(struct scene *sc)
{
	if (!sc || sc->ops != &search_ops)
		return 0;
	return ((struct scene_search *)sc)->n_found;
}

size_t scene_search_results(struct scene *sc)
{
	if (!sc || sc->ops != &search_ops)
		return 0;
	return ((struct scene_search *)sc)->n_results;
}

struct keyboard *scene_search_keyboard(struct scene *sc)
{
	if (!sc || sc->ops != &search_ops)
		return NULL;
	return ((struct scene_search *)sc)->kb;
}
