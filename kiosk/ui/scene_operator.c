/*
 * scene_operator: the operator menu, opened by a five-second press in the
 * top-left corner or Ctrl+Alt+O. For now it runs class contests: start one
 * (class name typed on the on-screen keyboard, topic, number of questions,
 * seconds per question), end it, export its results (CSV and HTML, onto a
 * USB stick when one is mounted) and clear it from the screen. Every
 * action is logged. The menu closes by itself after two minutes without
 * a touch.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "content/topics.h"
#include "report/report_quiz.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/keyboard.h"
#include "ui/text.h"

#define OPERATOR_IDLE_MS 120000
#define OPERATOR_MAX_TOPICS 32

enum op_mode { MODE_MENU, MODE_SETUP, MODE_TYPING };

enum {
	ID_START = 1, ID_END, ID_EXPORT, ID_CLEAR, ID_CLOSE,
	ID_CLASS, ID_TOPIC_DOWN, ID_TOPIC_UP, ID_COUNT_DOWN, ID_COUNT_UP,
	ID_TIME_DOWN, ID_TIME_UP, ID_GO, ID_SETUP_BACK,
};

/* The choices for seconds per question (0: no limit). */
static const int time_steps[] = { 0, 15, 20, 30, 45, 60, 90, 120 };

struct scene_operator {
	struct scene base;
	enum op_mode mode;
	int64_t last_input_ms;
	char message[1200];              /* the last action's outcome */
	bool clear_armed;                /* Clear was tapped once */
	/* the contest being set up */
	struct keyboard *kb;
	const char *topics[OPERATOR_MAX_TOPICS];  /* ids with questions; [0] NULL = every */
	size_t n_topics, topic;
	int n_questions;
	size_t time_step;
	struct ui_button buttons[16];
	size_t n;
	int pressed;
	SDL_Rect kb_box;
};

static void say(struct scene_operator *so, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct scene_operator *so, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(so->message, sizeof so->message, fmt, ap);
	va_end(ap);
	log_info("operator: %s", so->message);
}

/* ---- actions ---- */

static void start_contest(struct scene_operator *so, struct app *app)
{
	struct contest c = { 0 };
	const char *name = keyboard_text(so->kb);
	while (*name == ' ')
		name++;
	if (!*name) {
		so->mode = MODE_TYPING;
		say(so, "%s", app_tr(app, "Type the class name first."));
		return;
	}
	snprintf(c.class_name, sizeof c.class_name, "%s", name);
	snprintf(c.topic, sizeof c.topic, "%s",
		 so->topics[so->topic] ? so->topics[so->topic] : "");
	c.n_questions = so->n_questions;
	c.seconds_per_question = time_steps[so->time_step];
	log_info("operator: start class contest '%s'", c.class_name);
	app_contest_start(app, &c);     /* pops this menu too */
}

/* A file-name-safe form of s: letters (Vietnamese ones too) and digits;
 * any other run of ASCII characters becomes one '-'. */
static void safe_name(const char *s, char *out, size_t size)
{
	size_t o = 0;
	for (; *s && o + 1 < size; s++) {
		unsigned char ch = (unsigned char)*s;
		bool keep = ch >= 0x80 || (ch >= '0' && ch <= '9') ||
			    (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
		if (keep)
			out[o++] = (char)ch;
		else if (o && out[o - 1] != '-')
			out[o++] = '-';
	}
	out[o] = '\0';
}

static void export_results(struct scene_operator *so, struct app *app)
{
	const struct contest *c = app_contest(app);
	if (!c)
		return;
	store_flush(app_store(app));
	char base[1024], cls[96], day[16];
	bool usb = contest_export_dir(app_config(app), base, sizeof base);
	safe_name(c->class_name, cls, sizeof cls);
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	char *dir = xasprintf("%s/kiosk-contest-%s-%s-%.8s", base, cls[0] ? cls : "class",
			      day, c->uuid);
	struct report_quiz_filter f = { .contest = c->uuid,
					.from_day = INT64_MIN / 4,
					.to_day = INT64_MAX / 4 };
	const char *log_path = app_log_path(app);
	if (report_quiz_write(&log_path, 1, &f, app_lang(app), dir, NULL)) {
		app_contest_exported(app);
		say(so, "%s %s%s", app_tr(app, "Results written to"), dir,
		    usb ? "" : app_tr(app, " (no USB stick found)"));
	} else {
		say(so, "%s %s", app_tr(app, "The results could not be written to"),
		    dir);
	}
	free(dir);
}

static void menu_press(struct scene_operator *so, struct app *app, int id)
{
	if (id != ID_CLEAR)
		so->clear_armed = false;
	switch (id) {
	case ID_START:
		so->mode = MODE_SETUP;
		so->base.focus = -1;
		so->message[0] = '\0';
		break;
	case ID_END:
		log_info("operator: end class contest");
		app_contest_end(app);
		say(so, "%s", app_tr(app, "The contest has ended; the final ranking "
				     "stays on screen."));
		break;
	case ID_EXPORT:
		export_results(so, app);
		break;
	case ID_CLEAR:
		if (!so->clear_armed) {
			so->clear_armed = true;
			return;
		}
		log_info("operator: clear class contest");
		app_contest_clear(app);     /* pops this menu too */
		return;
	case ID_CLOSE:
		log_info("operator menu closed");
		app_pop(app);
		return;
	}
	app_redraw(app);
}

static void setup_press(struct scene_operator *so, struct app *app, int id)
{
	size_t n_times = sizeof time_steps / sizeof time_steps[0];
	switch (id) {
	case ID_CLASS: so->mode = MODE_TYPING; break;
	case ID_TOPIC_DOWN: so->topic = (so->topic + so->n_topics - 1) % so->n_topics; break;
	case ID_TOPIC_UP: so->topic = (so->topic + 1) % so->n_topics; break;
	case ID_COUNT_DOWN: if (so->n_questions > 1) so->n_questions--; break;
	case ID_COUNT_UP:
		if (so->n_questions < CONTEST_MAX_QUESTIONS)
			so->n_questions++;
		break;
	case ID_TIME_DOWN: if (so->time_step > 0) so->time_step--; break;
	case ID_TIME_UP: if (so->time_step + 1 < n_times) so->time_step++; break;
	case ID_GO: start_contest(so, app); return;
	case ID_SETUP_BACK: so->mode = MODE_MENU; so->base.focus = -1; break;
	}
	app_redraw(app);
}

static void operator_event(struct scene *sc, struct app *app, const struct ui_event *ev)
{
	struct scene_operator *so = (struct scene_operator *)sc;
	so->last_input_ms = app_now_ms(app);
	if (so->mode == MODE_TYPING) {
		enum keyboard_result r = KEYBOARD_NOTHING;
		if (ev->type == UI_TEXT)
			r = keyboard_type(so->kb, ev->text);
		else if (ev->type == UI_ERASE)
			r = keyboard_erase(so->kb);
		else if (ev->type == UI_BACK ||
			 (ev->type == UI_POINTER_UP && ev->y < so->kb_box.y))
			so->mode = MODE_SETUP;
		else if (ev->type != UI_POINTER_DOWN || ev->y >= so->kb_box.y)
			r = keyboard_event(so->kb, app, ev, app_now_ms(app));
		if (r == KEYBOARD_DONE)
			so->mode = MODE_SETUP;
		app_redraw(app);
		return;
	}
	int r = ui_buttons_event(app, so->buttons, so->n, &so->pressed, &sc->focus, ev);
	if (r == UI_GO_BACK) {
		if (so->mode == MODE_SETUP)
			setup_press(so, app, ID_SETUP_BACK);
		else
			menu_press(so, app, ID_CLOSE);
	} else if (r >= 0) {
		if (so->mode == MODE_SETUP)
			setup_press(so, app, so->buttons[r].id);
		else
			menu_press(so, app, so->buttons[r].id);
	}
}

static int operator_tick(struct scene *sc, struct app *app, int64_t now)
{
	struct scene_operator *so = (struct scene_operator *)sc;
	int64_t left = so->last_input_ms + OPERATOR_IDLE_MS - now;
	if (left <= 0) {
		log_info("operator menu closed after %d s without input",
			 OPERATOR_IDLE_MS / 1000);
		app_pop(app);
		return -1;
	}
	int kb = so->mode == MODE_TYPING ? keyboard_tick(so->kb, app, now) : -1;
	return kb >= 0 && kb < left ? kb : (int)left;
}

static bool operator_busy(struct scene *sc, struct app *app)
{
	(void)sc;
	(void)app;
	return true;    /* the menu has its own timeout */
}

/* ---- drawing ---- */

static int add(struct scene_operator *so, SDL_Rect r, int id, const char *label,
	       const char *sub, struct app *app)
{
	int idx = (int)so->n;
	so->buttons[so->n++] = (struct ui_button){ r, id };
	if (so->base.focus < 0)
		so->base.focus = idx;
	draw_button(app, &r, label, sub, so->base.focus == idx, so->pressed == idx);
	return idx;
}

static int draw_title(struct app *app, const char *title)
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

static void draw_menu(struct scene_operator *so, struct app *app)
{
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	int y = draw_title(app, app_tr(app, "Operator menu"));
	const struct contest *c = app_contest(app);
	struct text_engine *te = app_text(app);
	struct text_style ss = { .size_px = u * 4, .color = COLOR_TEXT };
	char status[512];
	if (c)
		snprintf(status, sizeof status, "%s: %s (%s)", app_tr(app, "Class contest"),
			 c->class_name, c->ended ? app_tr(app, "ended")
						 : app_tr(app, "running"));
	else
		snprintf(status, sizeof status, "%s", app_tr(app, "No class contest."));
	text_draw_line(te, status, u * 3, y, w - u * 6, &ss);
	y += text_line_height(te, &ss) + u * 2;
	int cols = app_portrait(app) ? 1 : 2;
	int bw = (w - u * 3 * (cols + 1)) / cols, bh = u * 13;
	int i = 0;
#define NEXT_RECT() ((SDL_Rect){ u * 3 + (i % cols) * (bw + u * 3), \
				 y + (i / cols) * (bh + u * 2), bw, bh })
	add(so, NEXT_RECT(), ID_START, app_tr(app, "Start a class contest"), NULL, app);
	i++;
	if (c && !c->ended) {
		add(so, NEXT_RECT(), ID_END, app_tr(app, "End the contest"), NULL, app);
		i++;
	}
	if (c) {
		add(so, NEXT_RECT(), ID_EXPORT, app_tr(app, "Export the results"),
		    app_tr(app, "CSV and HTML, onto a USB stick"), app);
		i++;
		add(so, NEXT_RECT(), ID_CLEAR,
		    so->clear_armed ? app_tr(app, "Tap again to clear")
				    : app_tr(app, "Clear the results"),
		    app_tr(app, "from the screen; the log keeps them"), app);
		i++;
	}
	add(so, NEXT_RECT(), ID_CLOSE, app_tr(app, "Close"), NULL, app);
	i++;
#undef NEXT_RECT
	y += ((i + cols - 1) / cols) * (bh + u * 2);
	if (so->message[0]) {
		struct text_style ms = { .size_px = u * 35 / 10, .color = COLOR_FOCUS };
		SDL_Rect box = { u * 3, y, w - u * 6, h - y - u };
		text_draw_box(te, so->message, &box, 0, &ms);
	}
}

/* One setting: a label, its value, and [−] [+]. */
static void draw_setting(struct scene_operator *so, struct app *app, int y,
			 const char *label, const char *value, int id_down, int id_up)
{
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	struct text_style ls = { .size_px = u * 4, .color = COLOR_TEXT_DIM };
	int rh = u * 11;
	text_draw_line(te, label, u * 3, y + (rh - text_line_height(te, &ls)) / 2,
		       w * 3 / 10, &ls);
	SDL_Rect down = { w * 33 / 100, y, u * 11, rh };
	SDL_Rect up = { w - u * 14, y, u * 11, rh };
	add(so, down, id_down, "−", NULL, app);
	struct text_style vs = { .size_px = u * 45 / 10, .bold = true,
				 .color = COLOR_TEXT, .align = TEXT_CENTER };
	text_draw_line(te, value, down.x + down.w + u,
		       y + (rh - text_line_height(te, &vs)) / 2,
		       up.x - down.x - down.w - u * 2, &vs);
	add(so, up, id_up, "+", NULL, app);
}

static void draw_setup(struct scene_operator *so, struct app *app)
{
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	int y = draw_title(app, app_tr(app, "Start a class contest"));
	/* the class name: a field to tap */
	struct text_style ls = { .size_px = u * 4, .color = COLOR_TEXT_DIM };
	int rh = u * 11;
	text_draw_line(te, app_tr(app, "Class"), u * 3,
		       y + (rh - text_line_height(te, &ls)) / 2, w * 3 / 10, &ls);
	SDL_Rect field = { w * 33 / 100, y, w - w * 33 / 100 - u * 3, rh };
	int idx = (int)so->n;
	so->buttons[so->n++] = (struct ui_button){ field, ID_CLASS };
	draw_text_field(app, &field, keyboard_text(so->kb), u * 5,
			so->mode == MODE_TYPING);
	if (so->base.focus == idx)
		draw_focus(app, &field);
	y += rh + u * 2;
	if (so->mode == MODE_TYPING) {
		int kb_h = h - y - u;
		so->kb_box = (SDL_Rect){ 0, y, w, kb_h };
		keyboard_draw(so->kb, app, so->kb_box);
		return;
	}
	const struct topic *t = so->topics[so->topic] ? topic_find(so->topics[so->topic])
						      : NULL;
	draw_setting(so, app, y, app_tr(app, "Topic"),
		     t ? app_tr(app, t->label) : app_tr(app, "Every topic"),
		     ID_TOPIC_DOWN, ID_TOPIC_UP);
	y += rh + u * 2;
	char count[32];
	snprintf(count, sizeof count, "%d", so->n_questions);
	draw_setting(so, app, y, app_tr(app, "Questions"), count, ID_COUNT_DOWN,
		     ID_COUNT_UP);
	y += rh + u * 2;
	char secs[64];
	int s = time_steps[so->time_step];
	if (s)
		snprintf(secs, sizeof secs, "%d s", s);
	else
		snprintf(secs, sizeof secs, "%s", app_tr(app, "No time limit"));
	draw_setting(so, app, y, app_tr(app, "Time per question"), secs,
		     ID_TIME_DOWN, ID_TIME_UP);
	y += rh + u * 3;
	int bw = (w - u * 9) / 2;
	add(so, (SDL_Rect){ u * 3, y, bw, u * 12 }, ID_SETUP_BACK,
	    app_tr(app, "Back"), NULL, app);
	add(so, (SDL_Rect){ u * 6 + bw, y, bw, u * 12 }, ID_GO,
	    app_tr(app, "Start the contest"), NULL, app);
	if (so->message[0]) {
		struct text_style ms = { .size_px = u * 35 / 10, .color = COLOR_FOCUS };
		text_draw_line(te, so->message, u * 3, y + u * 13, w - u * 6, &ms);
	}
}

static void operator_draw(struct scene *sc, struct app *app)
{
	struct scene_operator *so = (struct scene_operator *)sc;
	so->n = 0;
	if (so->mode == MODE_MENU)
		draw_menu(so, app);
	else
		draw_setup(so, app);
}

static void operator_resume(struct scene *sc, struct app *app)
{
	(void)sc;
	app_redraw(app);
}

static void operator_destroy(struct scene *sc, struct app *app)
{
	(void)app;
	struct scene_operator *so = (struct scene_operator *)sc;
	keyboard_destroy(so->kb);
	free(so);
}

static const struct scene_ops operator_ops = {
	.name = "operator",
	.wants_text = true,
	.event = operator_event,
	.draw = operator_draw,
	.tick = operator_tick,
	.resume = operator_resume,
	.busy = operator_busy,
	.destroy = operator_destroy,
};

struct scene *scene_operator_create(struct app *app)
{
	struct scene_operator *so = xcalloc(1, sizeof *so);
	so->base.ops = &operator_ops;
	so->base.focus = -1;
	so->pressed = -1;
	so->last_input_ms = app_now_ms(app);
	so->kb = keyboard_create();
	so->n_questions = 10;
	so->time_step = 0;
	so->topics[so->n_topics++] = NULL;
	size_t n;
	const struct topic *all = topics_all(&n);
	for (size_t i = 0; i < n && so->n_topics < OPERATOR_MAX_TOPICS; i++)
		if (quiz_bank_count(app_quiz_bank(app), all[i].id))
			so->topics[so->n_topics++] = all[i].id;
	return &so->base;
}

bool scene_operator_button(struct scene *sc, const char *action, SDL_Rect *out)
{
	static const struct { const char *name; int id; } actions[] = {
		{ "start", ID_START }, { "end", ID_END }, { "export", ID_EXPORT },
		{ "clear", ID_CLEAR }, { "close", ID_CLOSE }, { "class", ID_CLASS },
		{ "topic-", ID_TOPIC_DOWN }, { "topic+", ID_TOPIC_UP },
		{ "count-", ID_COUNT_DOWN }, { "count+", ID_COUNT_UP },
		{ "time-", ID_TIME_DOWN }, { "time+", ID_TIME_UP },
		{ "go", ID_GO }, { "back", ID_SETUP_BACK },
	};
	if (!sc || strcmp(sc->ops->name, "operator") != 0)
		return false;
	struct scene_operator *so = (struct scene_operator *)sc;
	for (size_t a = 0; a < sizeof actions / sizeof actions[0]; a++) {
		if (strcmp(actions[a].name, action) != 0)
			continue;
		for (size_t i = 0; i < so->n; i++)
			if (so->buttons[i].id == actions[a].id) {
				*out = so->buttons[i].r;
				return true;
			}
	}
	return false;
}

const char *scene_operator_message(struct scene *sc)
{
	if (!sc || strcmp(sc->ops->name, "operator") != 0)
		return NULL;
	return ((struct scene_operator *)sc)->message;
}
