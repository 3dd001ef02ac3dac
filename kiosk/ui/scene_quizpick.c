/*
 * scene_quizpick: solo practice begins here. Every topic that has
 * questions, as a large button with how many, and "every topic" first;
 * one starts a quiz of that topic.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "content/topics.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/text.h"

#define PICK_MAX 32
#define ID_EVERY 1000

struct scene_quizpick {
	struct scene base;
	const struct topic *topics[PICK_MAX];   /* with questions */
	size_t counts[PICK_MAX];
	size_t n_topics;
	size_t n_all;
	struct ui_button buttons[3 + 1 + PICK_MAX];
	size_t n;
	int pressed;
};

static void pick_event(struct scene *sc, struct app *app, const struct ui_event *ev)
{
	struct scene_quizpick *sp = (struct scene_quizpick *)sc;
	int r = ui_buttons_event(app, sp->buttons, sp->n, &sp->pressed, &sc->focus, ev);
	if (r == UI_GO_BACK) {
		app_pop(app);
	} else if (r >= 0) {
		int id = sp->buttons[r].id;
		if (topbar_action(app, id))
			return;
		const char *topic = id >= 0 && (size_t)id < sp->n_topics
					    ? sp->topics[id]->id : NULL;
		app_push(app, scene_quiz_create(app, topic, NULL));
	}
}

static void pick_draw(struct scene *sc, struct app *app)
{
	struct scene_quizpick *sp = (struct scene_quizpick *)sc;
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	int focus_id = sc->focus >= 0 && (size_t)sc->focus < sp->n
		       ? sp->buttons[sc->focus].id : -1;
	int top = draw_topbar(app, app_tr(app, "Quiz"), sp->buttons, focus_id);
	sp->n = 3;
	struct text_style hs = { .size_px = u * 4, .color = COLOR_TEXT_DIM };
	int y = top + u * 2;
	if (sp->n_all == 0) {
		text_draw_line(te, app_tr(app, "There are no questions on this "
					  "topic yet."), u * 3, y, w - u * 6, &hs);
		return;
	}
	text_draw_line(te, app_tr(app, "Choose a topic"), u * 3, y, w - u * 6, &hs);
	y += text_line_height(te, &hs) + u;
	size_t n = sp->n_topics + 1;
	int cols = app_portrait(app) ? 1 : n > 6 ? 3 : 2;
	int rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
	int gap = u * 2;
	int bw = (w - gap * (cols + 1)) / cols;
	int bh = (h - y - gap * (rows + 1)) / rows;
	if (bh > u * 16)
		bh = u * 16;
	for (size_t i = 0; i < n; i++) {
		SDL_Rect r = { gap + (int)(i % (size_t)cols) * (bw + gap),
			       y + gap + (int)(i / (size_t)cols) * (bh + gap), bw, bh };
		int id = i == 0 ? ID_EVERY : (int)i - 1;
		const char *label = i == 0 ? app_tr(app, "Every topic")
					   : app_tr(app, sp->topics[i - 1]->label);
		char count[64];
		app_tr_count(app, "%d question", "%d questions",
			     (long long)(i == 0 ? sp->n_all : sp->counts[i - 1]),
			     count, sizeof count);
		int idx = (int)sp->n;
		sp->buttons[sp->n++] = (struct ui_button){ r, id };
		if (sc->focus < 0)
			sc->focus = idx;
		draw_button(app, &r, label, count, sc->focus == idx, sp->pressed == idx);
	}
}

static void pick_resume(struct scene *sc, struct app *app)
{
	(void)sc;
	app_redraw(app);
}

static void pick_destroy(struct scene *sc, struct app *app)
{
	(void)app;
	free(sc);
}

static const struct scene_ops pick_ops = {
	.name = "quizpick",
	.event = pick_event,
	.draw = pick_draw,
	.resume = pick_resume,
	.destroy = pick_destroy,
};

struct scene *scene_quizpick_create(struct app *app)
{
	struct scene_quizpick *sp = xcalloc(1, sizeof *sp);
	sp->base.ops = &pick_ops;
	sp->base.focus = -1;
	sp->pressed = -1;
	const struct quiz_bank *bank = app_quiz_bank(app);
	sp->n_all = quiz_bank_count(bank, NULL);
	size_t n_topics;
	const struct topic *all = topics_all(&n_topics);
	for (size_t i = 0; i < n_topics && sp->n_topics < PICK_MAX; i++) {
		size_t c = quiz_bank_count(bank, all[i].id);
		if (!c)
			continue;
		sp->topics[sp->n_topics] = &all[i];
		sp->counts[sp->n_topics++] = c;
	}
	return &sp->base;
}
