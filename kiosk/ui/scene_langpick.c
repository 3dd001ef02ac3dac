/*
 * scene_langpick: the language picker. One large button per language, in
 * the order of languages.json, each showing the language's own name
 * (endonym) with its Vietnamese name underneath, and a speaker mark when
 * the language has a recording of its name. Choosing one says its name
 * (for visitors who cannot read: they hear their language as the next
 * screen comes up in it) and sets the visitor's language; from the
 * attract loop it goes on to home, from the top bar it returns to where
 * the visitor was.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "ui/app.h"
#include "ui/draw.h"

struct scene_langpick {
	struct scene base;
	struct ui_button *buttons;   /* one per language, rebuilt each draw */
	size_t n;
	int pressed;                 /* button under a finger, -1 none */
	bool from_attract;           /* pushed straight from the attract loop */
	const struct lang_registry *langs; /* the app's, for find_button */
};

static void layout(struct scene_langpick *sl, struct app *app, int *title_h)
{
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	int n = (int)sl->n;
	int cols = app_portrait(app) ? 2 : (n > 8 ? 5 : 4);
	if (cols > n)
		cols = n > 0 ? n : 1;
	int rows = (n + cols - 1) / cols;
	/* under the heading and its English line, whatever their fonts' heights */
	struct text_engine *te = app_text(app);
	struct text_style ts = { .size_px = u * 6, .bold = true };
	struct text_style ss = { .size_px = u * 4 };
	int top = u * 3 + text_line_height(te, &ts) + text_line_height(te, &ss);
	int gap = u * 2;
	int bw = (w - gap * (cols + 1)) / cols;
	int bh = (h - top - gap * (rows + 1)) / (rows ? rows : 1);
	if (bh > u * 30)
		bh = u * 30;
	for (int i = 0; i < n; i++) {
		int r = i / cols, c = i % cols;
		sl->buttons[i].r = (SDL_Rect){ gap + c * (bw + gap),
					       top + gap + r * (bh + gap), bw, bh };
		sl->buttons[i].id = i;
	}
	*title_h = top;
}

/* A small loudspeaker in the top right corner of the button: this name
 * can be heard. Drawn with shapes, so no font needs the symbol. */
static void draw_speaker_mark(struct app *app, const SDL_Rect *b)
{
	SDL_Renderer *r = app_renderer(app);
	int u = app_unit(app);
	int s = u * 3;
	int x = b->x + b->w - s - u, y = b->y + u;
	SDL_Rect box = { x, y + s / 3, s / 3, s / 3 };
	draw_fill(r, &box, COLOR_TEXT_DIM);
	SDL_SetRenderDrawColor(r, COLOR_TEXT_DIM.r, COLOR_TEXT_DIM.g,
			       COLOR_TEXT_DIM.b, COLOR_TEXT_DIM.a);
	for (int k = 0; k < s / 3; k++)   /* the cone widens to the right */
		SDL_RenderDrawLine(r, x + s / 3 + k, y + s / 3 - k,
				   x + s / 3 + k, y + 2 * s / 3 + k);
	for (int k = 0; k < 2; k++) {     /* two short sound strokes */
		int sx = x + 3 * s / 4 + k * s / 6;
		SDL_RenderDrawLine(r, sx, y + s / 3 - k * s / 8,
				   sx, y + 2 * s / 3 + k * s / 8);
	}
}

static void choose(struct scene_langpick *sl, struct app *app, int i)
{
	const struct lang_registry *langs = app_langs(app);
	if (langs->langs[i].prompt)
		app_play_prompt(app, langs->langs[i].prompt);
	app_set_lang(app, langs->langs[i].tag);
	if (sl->from_attract)
		app_replace(app, scene_home_create(app)); /* frees sl */
	else
		app_pop(app); /* frees sl */
}

static void langpick_event(struct scene *sc, struct app *app, const struct ui_event *ev)
{
	struct scene_langpick *sl = (struct scene_langpick *)sc;
	int r = ui_buttons_event(app, sl->buttons, sl->n, &sl->pressed, &sc->focus, ev);
	if (r == UI_GO_BACK)
		app_pop(app);
	else if (r >= 0)
		choose(sl, app, r);
}

static void langpick_draw(struct scene *sc, struct app *app)
{
	struct scene_langpick *sl = (struct scene_langpick *)sc;
	const struct lang_registry *langs = app_langs(app);
	struct text_engine *te = app_text(app);
	int w, h, title_h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	layout(sl, app, &title_h);

	/* the heading in the current language and, below, in English so a
	 * foreign visitor finds their way */
	struct text_style ts = { .size_px = u * 6, .bold = true,
				 .color = COLOR_TEXT, .align = TEXT_CENTER };
	struct text_style ss = { .size_px = u * 4, .color = COLOR_TEXT_DIM,
				 .align = TEXT_CENTER };
	const char *head = app_tr(app, "Choose your language");
	const char *head_en = app_tr_lang(app, "en", "Choose your language");
	text_draw_line(te, head, u * 2, u * 2, w - u * 4, &ts);
	if (strcmp(head, head_en) != 0)
		text_draw_line(te, head_en, u * 2, u * 2 + text_line_height(te, &ts),
			       w - u * 4, &ss);

	for (size_t i = 0; i < sl->n; i++) {
		const struct lang *l = &langs->langs[i];
		bool current = !strcmp(l->tag, app_lang(app));
		const char *sub = strcmp(l->endonym, l->name_vi) ? l->name_vi : NULL;
		draw_button(app, &sl->buttons[i].r, l->endonym, sub,
			    sc->focus == (int)i, sl->pressed == (int)i);
		if (l->prompt)
			draw_speaker_mark(app, &sl->buttons[i].r);
		if (current && !sl->from_attract) {
			SDL_Rect mark = sl->buttons[i].r;
			mark.h = u;
			draw_fill(app_renderer(app), &mark, COLOR_ACCENT);
		}
	}
}

static void langpick_destroy(struct scene *sc, struct app *app)
{
	(void)app;
	struct scene_langpick *sl = (struct scene_langpick *)sc;
	free(sl->buttons);
	free(sl);
}

/* Tests: the button of the language tagged name, as last drawn. */
static bool langpick_find(struct scene *sc, const char *name, SDL_Rect *out)
{
	struct scene_langpick *sl = (struct scene_langpick *)sc;
	for (size_t i = 0; i < sl->n && i < sl->langs->n_langs; i++)
		if (!strcmp(sl->langs->langs[i].tag, name)) {
			*out = sl->buttons[i].r;
			return out->w > 0;
		}
	return false;
}

static const struct scene_ops langpick_ops = {
	.name = "langpick",
	.event = langpick_event,
	.draw = langpick_draw,
	.destroy = langpick_destroy,
	.find_button = langpick_find,
};

struct scene *scene_langpick_create(struct app *app)
{
	struct scene_langpick *sl = xcalloc(1, sizeof *sl);
	sl->base.ops = &langpick_ops;
	const struct lang_registry *langs = app_langs(app);
	sl->n = langs->n_langs;
	sl->langs = langs;
	sl->buttons = xcalloc(sl->n ? sl->n : 1, sizeof *sl->buttons);
	sl->pressed = -1;
	struct scene *top = app_top(app);
	sl->from_attract = top && !strcmp(top->ops->name, "attract");
	sl->base.focus = 0;
	for (size_t i = 0; i < sl->n; i++)
		if (!strcmp(langs->langs[i].tag, app_lang(app)))
			sl->base.focus = (int)i;
	int th;
	layout(sl, app, &th);
	return &sl->base;
}

bool scene_langpick_button(struct scene *sc, size_t i, SDL_Rect *out)
{
	if (!sc || strcmp(sc->ops->name, "langpick") != 0)
		return false;
	struct scene_langpick *sl = (struct scene_langpick *)sc;
	if (i >= sl->n)
		return false;
	*out = sl->buttons[i].r;
	return true;
}
