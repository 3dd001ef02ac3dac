/*
 * scene_contest: the class contest's own screen, while a teacher runs
 * one. It shows the class, the ranking so far (read back from the log, so
 * it is what the report will say) and a large "Join" button; a student
 * types a first name on the on-screen keyboard (Telex for Vietnamese
 * letters, or a physical keyboard) and takes the quiz; the ranking comes
 * back after each turn. Once the teacher ends the contest from the
 * operator menu, the screen shows the final ranking until it is cleared.
 *
 * The contest stays on screen when a student walks away (the idle
 * timeout comes back here, not to the attract loop).
 */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "content/topics.h"
#include "i18n/langfmt.h"
#include "report/report_quiz.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/keyboard.h"
#include "ui/text.h"

enum { ID_LANG = TOPBAR_LANG, ID_JOIN = 1 };

/* Longest first name kept (bytes of UTF-8). */
#define CONTEST_NAME_MAX 60

struct scene_contest {
	struct scene base;
	bool typing;                     /* the name keyboard is up */
	struct keyboard *kb;
	struct report_quiz_rank *rows;   /* this contest's ranking */
	size_t n_rows;
	struct ui_button buttons[4];
	size_t n;
	int pressed;
	SDL_Rect kb_box;
	SDL_Rect cancel;                 /* the name entry's Cancel */
	char shown[4096];                /* the ranking as drawn (tests) */
};

static void load_ranking(struct scene_contest *sc, struct app *app)
{
	report_quiz_ranks_free(sc->rows, sc->n_rows);
	sc->rows = NULL;
	sc->n_rows = 0;
	const struct contest *c = app_contest(app);
	if (!c || !app_store(app))
		return;
	store_flush(app_store(app));
	struct report_quiz_filter f = { .contest = c->uuid,
					.from_day = INT64_MIN / 4,
					.to_day = INT64_MAX / 4 };
	const char *path = app_log_path(app);
	if (!report_quiz_ranking(&path, 1, &f, &sc->rows, &sc->n_rows))
		log_warn("%s: the class ranking cannot be read", path);
}

/* The typed name, trimmed, into out; false when it is empty. */
static bool typed_name(struct scene_contest *sc, char *out, size_t size)
{
	const char *t = keyboard_text(sc->kb);
	while (*t == ' ')
		t++;
	snprintf(out, size, "%s", t);
	size_t n = strlen(out);
	while (n > 0 && out[n - 1] == ' ')
		out[--n] = '\0';
	return n > 0;
}

static void join(struct scene_contest *sc, struct app *app)
{
	char name[CONTEST_NAME_MAX + 1];
	if (!typed_name(sc, name, sizeof name))
		return;
	sc->typing = false;
	keyboard_clear(sc->kb);
	/* each student is a visitor session of their own */
	app_end_session(app, "contest");
	app_begin_session(app);
	app_push(app, scene_quiz_create(app, NULL, name));
}

static void name_event(struct scene_contest *sc, struct app *app,
		       const struct ui_event *ev)
{
	enum keyboard_result r = KEYBOARD_NOTHING;
	bool pointer = ev->type == UI_POINTER_DOWN || ev->type == UI_POINTER_UP;
	if (ev->type == UI_TEXT)
		r = keyboard_type(sc->kb, ev->text);
	else if (ev->type == UI_ERASE)
		r = keyboard_erase(sc->kb);
	else if (ev->type == UI_BACK)
		sc->typing = false;
	else if (pointer && ev->y < sc->kb_box.y)
		sc->typing = !(ev->type == UI_POINTER_UP &&
			       rect_contains(&sc->cancel, ev->x, ev->y));
	else
		r = keyboard_event(sc->kb, app, ev, app_now_ms(app));
	/* a name, not an essay */
	if (r == KEYBOARD_CHANGED && strlen(keyboard_text(sc->kb)) > CONTEST_NAME_MAX)
		keyboard_erase(sc->kb);
	if (r == KEYBOARD_DONE)
		join(sc, app);
	app_redraw(app);
}

static void contest_event(struct scene *s, struct app *app, const struct ui_event *ev)
{
	struct scene_contest *sc = (struct scene_contest *)s;
	if (sc->typing) {
		name_event(sc, app, ev);
		return;
	}
	int r = ui_buttons_event(app, sc->buttons, sc->n, &sc->pressed, &s->focus, ev);
	if (r < 0)
		return;     /* Back does not leave a contest: the teacher does */
	int id = sc->buttons[r].id;
	if (id == ID_LANG) {
		app_push(app, scene_langpick_create(app));
	} else if (id == ID_JOIN && app_contest(app) && !app_contest(app)->ended) {
		sc->typing = true;
		keyboard_clear(sc->kb);
		app_redraw(app);
	}
}

static int contest_tick(struct scene *s, struct app *app, int64_t now)
{
	struct scene_contest *sc = (struct scene_contest *)s;
	return sc->typing ? keyboard_tick(sc->kb, app, now) : -1;
}

static bool contest_busy(struct scene *s, struct app *app)
{
	(void)app;
	/* the class's screen stays; a half-typed name is dropped */
	struct scene_contest *sc = (struct scene_contest *)s;
	return !sc->typing;
}

/* "Lớp 9A · Quyền trẻ em · 10 câu hỏi · 30 s" */
static void draw_header(struct scene_contest *sc, struct app *app,
			const struct contest *c, int *y)
{
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	/* the language button, top right */
	SDL_Rect lb = { w - u * 22, u * 2, u * 20, u * 9 };
	sc->buttons[sc->n++] = (struct ui_button){ lb, ID_LANG };
	draw_button(app, &lb, app_tr(app, "Language"), NULL, sc->base.focus == 0,
		    sc->pressed == 0);
	struct text_style ts = { .size_px = u * 7, .bold = true, .color = COLOR_TEXT };
	text_draw_line(te, c->class_name, u * 3, u * 2, w - u * 28, &ts);
	*y = u * 2 + text_line_height(te, &ts);
	const struct topic *t = c->topic[0] ? topic_find(c->topic) : NULL;
	char count[64], line[512];
	app_tr_count(app, "%d question", "%d questions", c->n_questions, count,
		     sizeof count);
	int o = snprintf(line, sizeof line, "%s · %s",
			 t ? app_tr(app, t->label) : app_tr(app, "Every topic"), count);
	if (c->seconds_per_question > 0 && o > 0 && (size_t)o < sizeof line) {
		long long secs = c->seconds_per_question;
		app_tr_numbers(app, " · %d s per question", &secs, 1, line + o,
			       sizeof line - (size_t)o);
	}
	struct text_style ss = { .size_px = u * 4, .color = COLOR_TEXT_DIM };
	text_draw_line(te, line, u * 3, *y, w - u * 6, &ss);
	*y += text_line_height(te, &ss) + u * 2;
}

static void draw_ranking(struct scene_contest *sc, struct app *app,
			 const struct contest *c, SDL_Rect box)
{
	struct text_engine *te = app_text(app);
	int u = app_unit(app);
	struct text_style hs = { .size_px = u * 5, .bold = true, .color = COLOR_FOCUS };
	text_draw_line(te, c->ended ? app_tr(app, "Final ranking")
				    : app_tr(app, "Class ranking"),
		       box.x, box.y, box.w, &hs);
	int y = box.y + text_line_height(te, &hs) + u;
	sc->shown[0] = '\0';
	struct text_style rs = { .size_px = u * 45 / 10, .color = COLOR_TEXT };
	int lh = text_line_height(te, &rs) + u / 2;
	if (sc->n_rows == 0) {
		struct text_style es = { .size_px = u * 4, .color = COLOR_TEXT_DIM };
		text_draw_line(te, app_tr(app, "Nobody has taken part yet."),
			       box.x, y, box.w, &es);
		return;
	}
	size_t fits = (size_t)((box.y + box.h - y) / lh);
	size_t o = 0;
	for (size_t i = 0; i < sc->n_rows && i < fits; i++) {
		const struct report_quiz_rank *r = &sc->rows[i];
		if (i % 2 == 0) {
			SDL_Rect band = { box.x - u, y, box.w + 2 * u, lh };
			draw_fill(app_renderer(app), &band, COLOR_PANEL);
		}
		char rank[16], score[32], secs[32];
		snprintf(rank, sizeof rank, "%d.", r->rank);
		snprintf(score, sizeof score, "%d / %d", r->score, r->n_questions);
		char num[24];
		langfmt_decimal(lang_find(app_langs(app), app_lang(app)),
				r->seconds, 0, num, sizeof num);
		snprintf(secs, sizeof secs, "%s s", num);
		rs.bold = r->rank == 1;
		text_draw_line(te, rank, box.x, y, u * 8, &rs);
		text_draw_line(te, r->player, box.x + u * 9, y, box.w / 2, &rs);
		struct text_style right = rs;
		right.align = TEXT_RIGHT;
		text_draw_line(te, score, box.x, y, box.w - u * 22, &right);
		text_draw_line(te, secs, box.x, y, box.w, &right);
		int w = snprintf(sc->shown + o, sizeof sc->shown - o, "%s %s %s\n",
				 rank, r->player, score);
		if (w > 0 && (size_t)w < sizeof sc->shown - o)
			o += (size_t)w;
		y += lh;
	}
	if (sc->n_rows > fits) {
		char more[128];
		app_tr_count(app, "and %d more", "and %d more",
			     (long long)(sc->n_rows - fits), more, sizeof more);
		struct text_style ms = { .size_px = u * 35 / 10, .color = COLOR_TEXT_DIM };
		text_draw_line(te, more, box.x, y, box.w, &ms);
	}
}

static void draw_name_entry(struct scene_contest *sc, struct app *app, int y)
{
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	struct text_style hs = { .size_px = u * 5, .color = COLOR_TEXT };
	sc->cancel = (SDL_Rect){ w - u * 25, y, u * 22, u * 9 };
	draw_button(app, &sc->cancel, app_tr(app, "Cancel"), NULL, false, false);
	text_draw_line(te, app_tr(app, "Type your first name, then OK"),
		       u * 3, y, w - u * 31, &hs);
	y += u * 10;
	SDL_Rect field = { u * 3, y, w - u * 6, u * 11 };
	draw_text_field(app, &field, keyboard_text(sc->kb), u * 6, true);
	int kb_h = app_portrait(app) ? h * 38 / 100 : h * 48 / 100;
	sc->kb_box = (SDL_Rect){ 0, h - kb_h, w, kb_h };
	keyboard_draw(sc->kb, app, sc->kb_box);
}

static void contest_draw(struct scene *s, struct app *app)
{
	struct scene_contest *sc = (struct scene_contest *)s;
	const struct contest *c = app_contest(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	sc->n = 0;
	if (!c)
		return;
	int y;
	draw_header(sc, app, c, &y);
	if (sc->typing) {
		draw_name_entry(sc, app, y);
		return;
	}
	bool portrait = app_portrait(app);
	SDL_Rect join = portrait ? (SDL_Rect){ u * 3, h - u * 20, w - u * 6, u * 16 }
				 : (SDL_Rect){ w * 62 / 100, y + u * 4,
					       w * 38 / 100 - u * 3, u * 30 };
	SDL_Rect box = portrait ? (SDL_Rect){ u * 4, y, w - u * 8, join.y - y - u * 2 }
				: (SDL_Rect){ u * 4, y, w * 62 / 100 - u * 8, h - y - u * 2 };
	draw_ranking(sc, app, c, box);
	if (c->ended)
		return;
	int idx = (int)sc->n;
	sc->buttons[sc->n++] = (struct ui_button){ join, ID_JOIN };
	if (s->focus < 0)
		s->focus = idx;
	draw_button(app, &join, app_tr(app, "Join the contest"),
		    app_tr(app, "One student at a time"), s->focus == idx,
		    sc->pressed == idx);
}

static void contest_resume(struct scene *s, struct app *app)
{
	struct scene_contest *sc = (struct scene_contest *)s;
	load_ranking(sc, app);
	app_redraw(app);
}

static void contest_destroy(struct scene *s, struct app *app)
{
	(void)app;
	struct scene_contest *sc = (struct scene_contest *)s;
	keyboard_destroy(sc->kb);
	report_quiz_ranks_free(sc->rows, sc->n_rows);
	free(sc);
}

static const struct scene_ops contest_ops = {
	.name = "contest",
	.wants_text = true,     /* the name; in the ranking, typing is ignored */
	.event = contest_event,
	.draw = contest_draw,
	.tick = contest_tick,
	.resume = contest_resume,
	.busy = contest_busy,
	.destroy = contest_destroy,
};

struct scene *scene_contest_create(struct app *app)
{
	struct scene_contest *sc = xcalloc(1, sizeof *sc);
	sc->base.ops = &contest_ops;
	sc->base.focus = -1;
	sc->pressed = -1;
	sc->kb = keyboard_create();
	load_ranking(sc, app);
	return &sc->base;
}

const char *scene_contest_shown(struct scene *s)
{
	if (!s || strcmp(s->ops->name, "contest") != 0)
		return NULL;
	return ((struct scene_contest *)s)->shown;
}

bool scene_contest_typing(struct scene *s)
{
	return s && !strcmp(s->ops->name, "contest") &&
	       ((struct scene_contest *)s)->typing;
}
