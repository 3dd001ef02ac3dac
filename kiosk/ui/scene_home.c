/*
 * scene_home: the visitor's home. Large buttons for the categories that
 * have items (video, audio, posters, leaflets, and everything), with how
 * many items each holds, and a row of topic buttons (the conventions and
 * the other themes) for the topics that have items.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "content/topics.h"
#include "ui/app.h"
#include "ui/draw.h"

#define HOME_MAX_BUTTONS 64
#define ID_ALL 1000              /* button id for "everything" */
#define ID_TOPIC0 2000           /* topic i has id ID_TOPIC0 + i */
#define ID_SEARCH 1001           /* button id for search */
#define ID_QUIZ 1002             /* button id for the quiz */

struct scene_home {
	struct scene base;
	struct ui_button buttons[HOME_MAX_BUTTONS];  /* top bar first */
	size_t n;
	int pressed;
	int type_count[ITEM_TYPE_COUNT];
	const struct topic *topics[HOME_MAX_BUTTONS];
	size_t n_topics;
};

static const char *const type_labels[ITEM_TYPE_COUNT] = {
	"Videos", "Radio and audio", "Posters and photos", "Leaflets",
	"Photo exhibitions",
};

static void count_items(struct scene_home *sh, struct app *app)
{
	const struct catalog *cat = app_catalog(app);
	size_t n_all;
	const struct topic *all = topics_all(&n_all);
	for (size_t t = 0; t < n_all && sh->n_topics < 24; t++) {
		bool used = false;
		for (size_t i = 0; cat && i < cat->n_items && !used; i++)
			used = item_has_topic(&cat->items[i], all[t].id);
		if (used)
			sh->topics[sh->n_topics++] = &all[t];
	}
	for (size_t i = 0; cat && i < cat->n_items; i++)
		sh->type_count[cat->items[i].type]++;
}

static void open_button(struct scene_home *sh, struct app *app, int idx)
{
	int id = sh->buttons[idx].id;
	if (topbar_action(app, id))
		return;
	struct browse_filter f = { .type = -1, .topic = NULL };
	if (id == ID_QUIZ) {
		app_push(app, scene_quizpick_create(app));
		return;
	}
	if (id == ID_SEARCH) {
		app_push(app, scene_search_create(app));
		return;
	}
	if (id >= 0 && id < ITEM_TYPE_COUNT)
		f.type = id;
	else if (id >= ID_TOPIC0)
		f.topic = sh->topics[id - ID_TOPIC0]->id;
	app_push(app, scene_browse_create(app, &f));
}

static void home_event(struct scene *sc, struct app *app, const struct ui_event *ev)
{
	struct scene_home *sh = (struct scene_home *)sc;
	int r = ui_buttons_event(app, sh->buttons, sh->n, &sh->pressed, &sc->focus, ev);
	if (r == UI_GO_BACK)
		app_pop(app);
	else if (r >= 0)
		open_button(sh, app, r);
}

static void home_draw(struct scene *sc, struct app *app)
{
	struct scene_home *sh = (struct scene_home *)sc;
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	int focus_id = sc->focus >= 0 && (size_t)sc->focus < sh->n
		       ? sh->buttons[sc->focus].id : -1;
	int top = draw_topbar(app, app_tr(app, "Human rights for everyone"),
			      sh->buttons, focus_id);
	sh->n = 3;

	/* categories */
	int ids[ITEM_TYPE_COUNT + 3];
	int n_cat = 0;
	for (int t = 0; t < ITEM_TYPE_COUNT; t++)
		if (sh->type_count[t] > 0)
			ids[n_cat++] = t;
	size_t n_questions = quiz_bank_count(app_quiz_bank(app), NULL);
	if (n_questions)
		ids[n_cat++] = ID_QUIZ;
	ids[n_cat++] = ID_ALL;
	ids[n_cat++] = ID_SEARCH;
	int cols = app_portrait(app) ? 2 : n_cat;
	int rows = (n_cat + cols - 1) / cols;
	int gap = u * 2;
	int area_h = (h - top) * (sh->n_topics ? 42 : 90) / 100;
	int bw = (w - gap * (cols + 1)) / cols;
	int bh = (area_h - gap * (rows + 1)) / rows;
	for (int i = 0; i < n_cat; i++) {
		SDL_Rect r = { gap + (i % cols) * (bw + gap),
			       top + gap + (i / cols) * (bh + gap), bw, bh };
		int id = ids[i];
		const char *label = id == ID_ALL ? app_tr(app, "Everything")
				    : id == ID_SEARCH ? app_tr(app, "Search")
				    : id == ID_QUIZ ? app_tr(app, "Quiz")
						    : app_tr(app, type_labels[id]);
		int count = 0;
		if (id == ID_ALL)
			for (int t = 0; t < ITEM_TYPE_COUNT; t++)
				count += sh->type_count[t];
		else if (id >= 0 && id < ITEM_TYPE_COUNT)
			count = sh->type_count[id];
		char sub[64];
		snprintf(sub, sizeof sub, "%d", count);
		if (id == ID_SEARCH)
			sub[0] = '\0';
		if (id == ID_QUIZ)
			app_tr_count(app, "%d question", "%d questions",
				     (long long)n_questions, sub, sizeof sub);
		int idx = (int)sh->n;
		sh->buttons[sh->n++] = (struct ui_button){ r, id };
		draw_button(app, &r, label, sub[0] ? sub : NULL, sc->focus == idx,
			    sh->pressed == idx);
	}

	/* topics: a flow of buttons */
	if (sh->n_topics) {
		int y = top + area_h + gap;
		struct text_style hs = { .size_px = u * 4, .bold = true,
					 .color = COLOR_TEXT_DIM };
		text_draw_line(te, app_tr(app, "Topics"), gap, y, w - 2 * gap, &hs);
		y += text_line_height(te, &hs) + u;
		int tcols = app_portrait(app) ? 2 : 4;
		int tw = (w - gap * (tcols + 1)) / tcols;
		int trows = ((int)sh->n_topics + tcols - 1) / tcols;
		int th = (h - y - u * trows) / (trows ? trows : 1);
		if (th > u * 14)
			th = u * 14;
		if (th < u * 7)
			th = u * 7;
		for (size_t i = 0; i < sh->n_topics && sh->n < HOME_MAX_BUTTONS; i++) {
			SDL_Rect r = { gap + (int)(i % (size_t)tcols) * (tw + gap),
				       y + (int)(i / (size_t)tcols) * (th + u), tw, th };
			if (r.y + r.h > h)
				break;
			int idx = (int)sh->n;
			sh->buttons[sh->n++] = (struct ui_button){ r, ID_TOPIC0 + (int)i };
			SDL_Renderer *ren = app_renderer(app);
			bool f = sc->focus == idx;
			draw_fill(ren, &r, sh->pressed == idx ? COLOR_ACCENT
					   : f && app_focus_visible(app) ? COLOR_PANEL_HI
					   : COLOR_PANEL);
			struct text_style ts = { .size_px = u * 27 / 10, .color = COLOR_TEXT,
						 .align = TEXT_CENTER };
			SDL_Rect box = { r.x + u, r.y, r.w - 2 * u, r.h };
			int lh = text_line_height(te, &ts);
			int lines = box.h / lh >= 2 ? 2 : 1;
			const char *label = app_tr(app, sh->topics[i]->label);
			struct text_line tl[2];
			int used = (int)text_layout(te, label, &ts, box.w, lines, tl);
			box.y = r.y + (r.h - used * lh) / 2;
			box.h = used * lh;
			text_draw_box(te, label, &box, lines, &ts);
			if (f)
				draw_focus(app, &r);
		}
	}
}

static void home_resume(struct scene *sc, struct app *app)
{
	(void)sc;
	app_redraw(app);
}

static void home_destroy(struct scene *sc, struct app *app)
{
	(void)app;
	free(sc);
}

static const struct scene_ops home_ops = {
	.name = "home",
	.event = home_event,
	.draw = home_draw,
	.resume = home_resume,
	.destroy = home_destroy,
};

struct scene *scene_home_create(struct app *app)
{
	struct scene_home *sh = xcalloc(1, sizeof *sh);
	sh->base.ops = &home_ops;
	sh->base.focus = 3; /* the first category */
	sh->pressed = -1;
	count_items(sh, app);
	return &sh->base;
}
