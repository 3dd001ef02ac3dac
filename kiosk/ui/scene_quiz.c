/*
 * scene_quiz: one quiz, for a visitor practising alone or for a student
 * in the class contest. A question (with its picture, if any) and its
 * choices as large buttons; after an answer, right and wrong in colour
 * with the explanation; at the end the score, and in practice a new try.
 *
 * Each question is looked up in the visitor's language when drawn, so a
 * language switch in the middle shows the rest in the new language;
 * a question not translated is shown in Vietnamese (the fallback chain).
 * Every answer is logged as it is given (store_quiz_answer), the
 * attempt's end when the quiz ends or the visitor leaves it.
 */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "quiz/quizrun.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/text.h"

/* Questions in solo practice. */
#define QUIZ_SOLO_QUESTIONS 10

enum quiz_phase { PHASE_QUESTION, PHASE_FEEDBACK, PHASE_RESULT };

/* Button ids besides the top bar's (negative) and choices (0..7). */
enum { ID_CHECK = 100, ID_NEXT, ID_RETRY, ID_DONE };

static const SDL_Color COLOR_RIGHT = { 0x1f, 0x8f, 0x4e, 255 };
static const SDL_Color COLOR_WRONG = { 0xc0, 0x39, 0x2b, 255 };

struct scene_quiz {
	struct scene base;
	char topic[32];             /* "" every topic */
	char player[96];            /* "" solo practice */
	char contest[STORE_UUID_LEN];
	int seconds_per_question;   /* 0 none */
	struct quiz_run *run;       /* NULL: the topic has no question */
	char attempt[STORE_UUID_LEN];
	bool attempt_ended;
	enum quiz_phase phase;
	int64_t shown_ms;           /* app clock when this question came up */
	unsigned picked;            /* several right: the ones ticked so far */
	struct ui_button buttons[3 + QUIZ_MAX_CHOICES + 2];
	size_t n;
	int choice_button[QUIZ_MAX_CHOICES];  /* place k's button index */
	int pressed;
	SDL_Texture *pic;           /* the question's picture ... */
	char pic_path[1024];        /* ... loaded from here */
	int pic_w, pic_h;
};

static bool contest_mode(const struct scene_quiz *sq)
{
	return sq->player[0] != '\0';
}

static int question_count(struct app *app, const struct scene_quiz *sq)
{
	const struct contest *c = app_contest(app);
	return contest_mode(sq) && c ? c->n_questions : QUIZ_SOLO_QUESTIONS;
}

/* The current question in the visitor's language (or its fallback). */
static const struct quiz_question *current(struct scene_quiz *sq,
					   struct app *app, size_t i)
{
	size_t n_chain;
	const char *const *chain = app_lang_chain(app, &n_chain);
	return quiz_bank_find(app_quiz_bank(app), quiz_run_id(sq->run, i),
			      chain, n_chain, NULL);
}

/* What choice b of q says in the visitor's language. */
static const char *choice_text(struct app *app, const struct quiz_question *q,
			       size_t b)
{
	return q->true_false ? app_tr(app, q->choices[b]) : q->choices[b];
}

static void begin_attempt(struct scene_quiz *sq, struct app *app)
{
	quiz_run_destroy(sq->run);
	sq->run = quiz_run_create(app_quiz_bank(app),
				  sq->topic[0] ? sq->topic : NULL,
				  (size_t)question_count(app, sq), quiz_run_seed());
	sq->phase = PHASE_QUESTION;
	sq->picked = 0;
	sq->attempt_ended = false;
	sq->shown_ms = app_now_ms(app);
	sq->base.focus = -1;
	if (!sq->run)
		return;
	struct store_quiz q = {
		.contest = contest_mode(sq) ? sq->contest : NULL,
		.player = contest_mode(sq) ? sq->player : NULL,
		.topic = sq->topic[0] ? sq->topic : NULL,
		.lang = app_lang(app),
		.n_questions = (int)quiz_run_length(sq->run),
	};
	store_quiz_begin(app_store(app), app_session_id(app), &q, sq->attempt);
}

static void end_attempt(struct scene_quiz *sq, struct app *app)
{
	if (!sq->run || sq->attempt_ended)
		return;
	sq->attempt_ended = true;
	double seconds = (double)quiz_run_total_ms(sq->run) / 1000.0;
	store_quiz_end(app_store(app), sq->attempt, quiz_run_score(sq->run),
		       quiz_run_answered_count(sq->run), seconds,
		       quiz_run_finished(sq->run));
	store_flush(app_store(app));
	log_info("quiz %s: %d of %zu right%s%s", sq->attempt,
		 quiz_run_score(sq->run), quiz_run_length(sq->run),
		 contest_mode(sq) ? " by " : "", sq->player);
}

/* Answer the current question with chosen (bank positions). */
static void answer(struct scene_quiz *sq, struct app *app, unsigned chosen,
		   bool timed_out)
{
	size_t i = quiz_run_position(sq->run);
	int64_t ms = app_now_ms(app) - sq->shown_ms;
	if (timed_out && sq->seconds_per_question > 0)
		ms = (int64_t)sq->seconds_per_question * 1000;
	bool right = quiz_run_answer(sq->run, chosen, ms, timed_out);
	const char *lang = NULL;
	size_t n_chain;
	const char *const *chain = app_lang_chain(app, &n_chain);
	const struct quiz_question *q = quiz_bank_find(app_quiz_bank(app),
		quiz_run_id(sq->run, i), chain, n_chain, &lang);
	char numbers[32], texts[2048] = "";
	quiz_choice_numbers(quiz_run_chosen(sq->run, i), numbers, sizeof numbers);
	size_t o = 0;
	for (size_t b = 0; b < q->n_choices && o < sizeof texts; b++) {
		if (!(quiz_run_chosen(sq->run, i) & (1u << b)))
			continue;
		int w = snprintf(texts + o, sizeof texts - o, "%s%s",
				 o ? " | " : "", choice_text(app, q, b));
		o += w > 0 ? (size_t)w : 0;
	}
	struct store_quiz_answer a = {
		.position = (int)i + 1,
		.question_id = q->id,
		.question_lang = lang,
		.question_text = q->text,
		.chosen = numbers,
		.chosen_text = texts[0] ? texts : NULL,
		.correct = right,
		.timed_out = timed_out,
		.ms = ms,
	};
	store_quiz_answer(app_store(app), sq->attempt, &a);
	sq->phase = PHASE_FEEDBACK;
	sq->base.focus = -1;            /* set to Next when drawn */
	app_redraw(app);
}

static void next_question(struct scene_quiz *sq, struct app *app)
{
	quiz_run_next(sq->run);
	sq->picked = 0;
	sq->base.focus = -1;
	if (quiz_run_finished(sq->run)) {
		sq->phase = PHASE_RESULT;
		end_attempt(sq, app);
	} else {
		sq->phase = PHASE_QUESTION;
		sq->shown_ms = app_now_ms(app);
	}
	app_redraw(app);
}

/* Leave the quiz: back to the contest screen, or where practice began. */
static void leave(struct scene_quiz *sq, struct app *app, int topbar_id)
{
	end_attempt(sq, app);
	if (contest_mode(sq))
		app_pop_to(app, "contest");
	else if (!topbar_action(app, topbar_id))
		app_pop(app);
}

static void press(struct scene_quiz *sq, struct app *app, int id)
{
	if (id == TOPBAR_LANG) {
		topbar_action(app, id);
	} else if (id < 0) {
		leave(sq, app, id);
	} else if (id < QUIZ_MAX_CHOICES && sq->phase == PHASE_QUESTION) {
		size_t i = quiz_run_position(sq->run);
		unsigned bit = 1u << quiz_run_choice(sq->run, i, (size_t)id);
		if (quiz_run_multi(sq->run, i)) {
			sq->picked ^= bit;
			app_redraw(app);
		} else {
			answer(sq, app, bit, false);
		}
	} else if (id == ID_CHECK && sq->picked) {
		answer(sq, app, sq->picked, false);
	} else if (id == ID_NEXT) {
		next_question(sq, app);
	} else if (id == ID_RETRY) {
		begin_attempt(sq, app);
		app_redraw(app);
	} else if (id == ID_DONE) {
		leave(sq, app, TOPBAR_BACK);
	}
}

static void quiz_event(struct scene *sc, struct app *app, const struct ui_event *ev)
{
	struct scene_quiz *sq = (struct scene_quiz *)sc;
	int r = ui_buttons_event(app, sq->buttons, sq->n, &sq->pressed,
				 &sc->focus, ev);
	if (r == UI_GO_BACK)
		leave(sq, app, TOPBAR_BACK);
	else if (r >= 0)
		press(sq, app, sq->buttons[r].id);
}

static int quiz_tick(struct scene *sc, struct app *app, int64_t now)
{
	struct scene_quiz *sq = (struct scene_quiz *)sc;
	if (!sq->run || sq->phase != PHASE_QUESTION || sq->seconds_per_question <= 0)
		return -1;
	int64_t deadline = sq->shown_ms + (int64_t)sq->seconds_per_question * 1000;
	if (now >= deadline) {
		answer(sq, app, 0, true);
		return -1;
	}
	app_redraw(app);                /* the time bar shrinks */
	int64_t left = deadline - now;
	return (int)(left < 250 ? left : 250);
}

static bool quiz_busy(struct scene *sc, struct app *app)
{
	(void)app;
	struct scene_quiz *sq = (struct scene_quiz *)sc;
	/* a question against the clock: the clock moves it on */
	return sq->run && sq->phase == PHASE_QUESTION && sq->seconds_per_question > 0;
}

/* ---- drawing ---- */

static int add_button(struct scene_quiz *sq, SDL_Rect r, int id)
{
	int idx = (int)sq->n;
	sq->buttons[sq->n++] = (struct ui_button){ r, id };
	return idx;
}

/* The picture of q fitted into box; returns false when it has none. */
static bool draw_picture(struct scene_quiz *sq, struct app *app,
			 const struct quiz_question *q, const SDL_Rect *box)
{
	if (!q->picture || box->w <= 0 || box->h <= 0)
		return false;
	if (strcmp(sq->pic_path, q->picture) != 0) {
		if (sq->pic)
			SDL_DestroyTexture(sq->pic);
		char err[512];
		snprintf(sq->pic_path, sizeof sq->pic_path, "%s", q->picture);
		sq->pic = draw_load_picture(app, q->picture, box->w, box->h,
					    &sq->pic_w, &sq->pic_h, err, sizeof err);
		if (!sq->pic)
			log_warn("quiz picture: %s", err);
	}
	if (!sq->pic)
		return false;
	SDL_Rect r = rect_fit(sq->pic_w, sq->pic_h, box);
	SDL_RenderCopy(app_renderer(app), sq->pic, NULL, &r);
	return true;
}

/* The colour of choice b's button. */
static SDL_Color choice_color(const struct scene_quiz *sq, size_t i, size_t b,
			      bool focused, struct app *app)
{
	unsigned bit = 1u << b;
	if (sq->phase == PHASE_FEEDBACK) {
		if (quiz_run_correct_mask(sq->run, i) & bit)
			return COLOR_RIGHT;
		if (quiz_run_chosen(sq->run, i) & bit)
			return COLOR_WRONG;
		return COLOR_BG;
	}
	if (sq->picked & bit)
		return COLOR_ACCENT;
	return focused && app_focus_visible(app) ? COLOR_PANEL_HI : COLOR_PANEL;
}

static void draw_choice(struct scene_quiz *sq, struct app *app,
			const struct quiz_question *q, size_t i, size_t k,
			SDL_Rect r)
{
	struct text_engine *te = app_text(app);
	int u = app_unit(app);
	size_t b = quiz_run_choice(sq->run, i, k);
	int idx = add_button(sq, r, (int)k);
	sq->choice_button[k] = idx;
	bool focused = sq->base.focus == idx;
	SDL_Color bg = choice_color(sq, i, b, focused, app);
	draw_fill(app_renderer(app), &r, sq->pressed == idx ? COLOR_ACCENT : bg);
	if (sq->phase == PHASE_FEEDBACK &&
	    !(quiz_run_correct_mask(sq->run, i) & (1u << b)) &&
	    !(quiz_run_chosen(sq->run, i) & (1u << b)))
		draw_outline(app_renderer(app), &r, u / 3 + 1, COLOR_PANEL);
	/* a letter, then the text */
	char letter[8];
	const char *mark = "";
	if (sq->phase == PHASE_FEEDBACK)
		mark = quiz_run_correct_mask(sq->run, i) & (1u << b) ? " ✓"
		       : quiz_run_chosen(sq->run, i) & (1u << b) ? " ✗" : "";
	else if (quiz_run_multi(sq->run, i))
		mark = sq->picked & (1u << b) ? " ☑" : " ☐";
	snprintf(letter, sizeof letter, "%c", (char)('A' + k));
	struct text_style ls = { .size_px = u * 5, .bold = true, .color = COLOR_FOCUS };
	int lw = text_draw_line(te, letter, r.x + u * 2,
				r.y + (r.h - text_line_height(te, &ls)) / 2, 0, &ls);
	char label[1024];
	snprintf(label, sizeof label, "%s%s", choice_text(app, q, b), mark);
	struct text_style ts = { .size_px = u * 4, .color = COLOR_TEXT };
	int lh = text_line_height(te, &ts);
	int lines = r.h / lh >= 3 ? 3 : r.h / lh >= 2 ? 2 : 1;
	SDL_Rect box = { r.x + u * 3 + lw, r.y, r.w - u * 4 - lw, r.h };
	struct text_line tl[3];
	int used = (int)text_layout(te, label, &ts, box.w, lines, tl);
	box.y = r.y + (r.h - used * lh) / 2;
	box.h = used * lh;
	text_draw_box(te, label, &box, lines, &ts);
	if (focused)
		draw_focus(app, &r);
}

/* The time left as a bar under the top bar. */
static void draw_timer(struct scene_quiz *sq, struct app *app, int y)
{
	if (sq->seconds_per_question <= 0 || sq->phase != PHASE_QUESTION)
		return;
	int w, h;
	app_size(app, &w, &h);
	int64_t total = (int64_t)sq->seconds_per_question * 1000;
	int64_t left = sq->shown_ms + total - app_now_ms(app);
	if (left < 0)
		left = 0;
	SDL_Rect bar = { 0, y, (int)((int64_t)w * left / total), app_unit(app) };
	draw_fill(app_renderer(app), &bar, left * 4 < total ? COLOR_WRONG : COLOR_FOCUS);
}

/* The explanation after an answer (and the picked choice's feedback). */
static int draw_feedback(struct scene_quiz *sq, struct app *app,
			 const struct quiz_question *q, size_t i, SDL_Rect box)
{
	struct text_engine *te = app_text(app);
	int u = app_unit(app);
	bool right = quiz_run_was_right(sq->run, i);
	const char *verdict = quiz_run_timed_out(sq->run, i) ? app_tr(app, "Time is up.")
			      : right ? app_tr(app, "Right!") : app_tr(app, "Not quite.");
	struct text_style vs = { .size_px = u * 6, .bold = true,
				 .color = right ? (SDL_Color){ 0x6f, 0xe0, 0x9a, 255 }
						: (SDL_Color){ 0xff, 0x8a, 0x7a, 255 } };
	text_draw_line(te, verdict, box.x, box.y, box.w, &vs);
	int y = box.y + text_line_height(te, &vs);
	char text[4096] = "";
	unsigned chosen = quiz_run_chosen(sq->run, i);
	for (size_t b = 0; b < q->n_choices; b++)
		if ((chosen & (1u << b)) && q->feedback[b])
			snprintf(text + strlen(text), sizeof text - strlen(text), "%s\n",
				 q->feedback[b]);
	if (q->explanation)
		snprintf(text + strlen(text), sizeof text - strlen(text), "%s",
			 q->explanation);
	struct text_style es = { .size_px = u * 4, .color = COLOR_TEXT };
	SDL_Rect eb = { box.x, y, box.w, box.y + box.h - y };
	if (text[0] && eb.h > 0)
		y += text_draw_box(te, text, &eb, 0, &es);
	return y;
}

static void draw_question(struct scene_quiz *sq, struct app *app, int top)
{
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	size_t i = quiz_run_position(sq->run);
	const struct quiz_question *q = current(sq, app, i);
	/* "Question 3 of 10" */
	char progress[128];
	long long nums[2] = { (long long)i + 1, (long long)quiz_run_length(sq->run) };
	app_tr_numbers(app, "Question %d of %d", nums, 2, progress, sizeof progress);
	struct text_style ps = { .size_px = u * 3, .color = COLOR_TEXT_DIM };
	int y = top + u * 2;
	text_draw_line(te, progress, u * 3, y, w / 2, &ps);
	if (contest_mode(sq)) {
		struct text_style ns = ps;
		ns.align = TEXT_RIGHT;
		text_draw_line(te, sq->player, w / 2, y, w / 2 - u * 3, &ns);
	}
	y += text_line_height(te, &ps) + u;

	/* the lower part: choices, or the feedback beside them */
	size_t n = quiz_run_n_choices(sq->run, i);
	bool portrait = app_portrait(app);
	int cols = portrait || n > 4 || q->true_false ? 1 : 2;
	if (q->true_false && !portrait)
		cols = 2;
	int rows = ((int)n + cols - 1) / cols;
	int bottom_bar = u * 12;        /* Next / Check */
	/* room for two lines of a choice: conventions have long names */
	struct text_style cs = { .size_px = u * 4 };
	int choice_h = 2 * text_line_height(te, &cs) + u * 2;
	if (choice_h < u * 12)
		choice_h = u * 12;
	int choices_h = rows * (choice_h + u);
	int text_h = h - y - choices_h - bottom_bar - u * 2;
	/* the question: text, with the picture beside (landscape) or
	 * under it (portrait) */
	SDL_Rect qbox = { u * 3, y, w - u * 6, text_h };
	if (q->picture) {
		SDL_Rect pbox;
		if (portrait) {
			pbox = (SDL_Rect){ qbox.x, y + text_h / 2, qbox.w, text_h / 2 };
			qbox.h = text_h / 2 - u;
		} else {
			pbox = (SDL_Rect){ w * 6 / 10, y, w * 4 / 10 - u * 3, text_h };
			qbox.w = w * 6 / 10 - u * 5;
		}
		draw_picture(sq, app, q, &pbox);
	}
	struct text_style qs = { .size_px = u * 5, .bold = true, .color = COLOR_TEXT };
	if (sq->phase == PHASE_FEEDBACK) {
		/* the question smaller, the explanation under it */
		qs.size_px = u * 4;
		int used = text_draw_box(te, q->text, &qbox, 3, &qs);
		SDL_Rect fb = { qbox.x, qbox.y + used + u, qbox.w, qbox.h - used - u };
		draw_feedback(sq, app, q, i, fb);
	} else {
		text_draw_box(te, q->text, &qbox, 0, &qs);
	}
	draw_timer(sq, app, top);

	int cy = y + text_h + u;
	int cw = (w - u * 3 * (cols + 1)) / cols;
	for (size_t k = 0; k < n; k++) {
		SDL_Rect r = { u * 3 + (int)(k % (size_t)cols) * (cw + u * 3),
			       cy + (int)(k / (size_t)cols) * (choice_h + u), cw,
			       choice_h };
		draw_choice(sq, app, q, i, k, r);
	}
	/* Check (several right) or Next */
	SDL_Rect nb = { w - u * 3 - w / 3, h - bottom_bar, w / 3, bottom_bar - u * 2 };
	int id = -1;
	const char *label = NULL;
	if (sq->phase == PHASE_FEEDBACK) {
		id = ID_NEXT;
		label = i + 1 < quiz_run_length(sq->run) ? app_tr(app, "Next question")
							  : app_tr(app, "See my score");
	} else if (quiz_run_multi(sq->run, i)) {
		id = ID_CHECK;
		label = app_tr(app, "Check my answer");
		struct text_style hs = { .size_px = u * 3, .color = COLOR_TEXT_DIM };
		text_draw_line(te, app_tr(app, "More than one answer is right: "
					 "pick them all, then check."),
			       u * 3, nb.y + (nb.h - text_line_height(te, &hs)) / 2,
			       w - nb.w - u * 9, &hs);
	}
	if (id >= 0) {
		int idx = add_button(sq, nb, id);
		if (sq->base.focus < 0 && sq->phase == PHASE_FEEDBACK)
			sq->base.focus = idx;
		draw_button(app, &nb, label, NULL, sq->base.focus == idx,
			    sq->pressed == idx);
	}
	if (sq->base.focus < 0 && sq->phase == PHASE_QUESTION && n)
		sq->base.focus = sq->choice_button[0];
}

static void draw_result(struct scene_quiz *sq, struct app *app, int top)
{
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	int score = quiz_run_score(sq->run);
	int total = (int)quiz_run_length(sq->run);
	struct text_style ts = { .size_px = u * 5, .color = COLOR_TEXT_DIM,
				 .align = TEXT_CENTER };
	int y = top + u * 6;
	const char *title = contest_mode(sq) ? sq->player : app_tr(app, "Your score");
	text_draw_line(te, title, 0, y, w, &ts);
	y += text_line_height(te, &ts) + u;
	char big[64];
	snprintf(big, sizeof big, "%d / %d", score, total);
	struct text_style bs = { .size_px = u * 18, .bold = true, .color = COLOR_TEXT,
				 .align = TEXT_CENTER };
	text_draw_line(te, big, 0, y, w, &bs);
	y += text_line_height(te, &bs);
	const char *praise = score * 10 >= total * 8 ? app_tr(app, "Excellent!")
			     : score * 2 >= total ? app_tr(app, "Well done!")
						  : app_tr(app, "Keep learning!");
	text_draw_line(te, praise, 0, y, w, &ts);

	int bw = app_portrait(app) ? w - u * 6 : w / 3;
	SDL_Rect rb = { (w - bw) / 2, h - u * 16, bw, u * 12 };
	int id = contest_mode(sq) ? ID_DONE : ID_RETRY;
	int idx = add_button(sq, rb, id);
	if (sq->base.focus < 0)
		sq->base.focus = idx;
	draw_button(app, &rb, contest_mode(sq) ? app_tr(app, "Done")
					       : app_tr(app, "Try again"),
		    NULL, sq->base.focus == idx, sq->pressed == idx);
}

static void quiz_draw(struct scene *sc, struct app *app)
{
	struct scene_quiz *sq = (struct scene_quiz *)sc;
	int focus_id = sc->focus >= 0 && (size_t)sc->focus < sq->n
		       ? sq->buttons[sc->focus].id : -1;
	const char *title = contest_mode(sq) && app_contest(app)
				    ? app_contest(app)->class_name
				    : app_tr(app, "Quiz");
	int top = draw_topbar(app, title, sq->buttons, focus_id);
	sq->n = 3;
	if (!sq->run) {
		struct text_style ts = { .size_px = app_unit(app) * 5,
					 .color = COLOR_TEXT_DIM,
					 .align = TEXT_CENTER };
		int w, h;
		app_size(app, &w, &h);
		text_draw_line(app_text(app), app_tr(app, "There are no questions "
						     "on this topic yet."),
			       0, top + app_unit(app) * 10, w, &ts);
		return;
	}
	if (sq->phase == PHASE_RESULT)
		draw_result(sq, app, top);
	else
		draw_question(sq, app, top);
}

static void quiz_resume(struct scene *sc, struct app *app)
{
	(void)sc;
	app_redraw(app);                /* the language may have changed */
}

static void quiz_destroy(struct scene *sc, struct app *app)
{
	struct scene_quiz *sq = (struct scene_quiz *)sc;
	end_attempt(sq, app);
	quiz_run_destroy(sq->run);
	if (sq->pic)
		SDL_DestroyTexture(sq->pic);
	free(sq);
}

static const struct scene_ops quiz_ops = {
	.name = "quiz",
	.event = quiz_event,
	.draw = quiz_draw,
	.tick = quiz_tick,
	.resume = quiz_resume,
	.busy = quiz_busy,
	.destroy = quiz_destroy,
};

struct scene *scene_quiz_create(struct app *app, const char *topic,
				const char *player)
{
	struct scene_quiz *sq = xcalloc(1, sizeof *sq);
	sq->base.ops = &quiz_ops;
	sq->pressed = -1;
	snprintf(sq->topic, sizeof sq->topic, "%s", topic ? topic : "");
	const struct contest *c = app_contest(app);
	if (player && c) {
		snprintf(sq->player, sizeof sq->player, "%s", player);
		snprintf(sq->contest, sizeof sq->contest, "%s", c->uuid);
		snprintf(sq->topic, sizeof sq->topic, "%s", c->topic);
		sq->seconds_per_question = c->seconds_per_question;
	}
	begin_attempt(sq, app);
	return &sq->base;
}

struct quiz_run *scene_quiz_run(struct scene *sc)
{
	if (!sc || strcmp(sc->ops->name, "quiz") != 0)
		return NULL;
	return ((struct scene_quiz *)sc)->run;
}

const char *scene_quiz_phase(struct scene *sc)
{
	if (!sc || strcmp(sc->ops->name, "quiz") != 0)
		return NULL;
	static const char *const names[] = { "question", "feedback", "result" };
	return names[((struct scene_quiz *)sc)->phase];
}

bool scene_quiz_choice_rect(struct scene *sc, size_t k, SDL_Rect *out)
{
	if (!scene_quiz_run(sc) || k >= QUIZ_MAX_CHOICES)
		return false;
	struct scene_quiz *sq = (struct scene_quiz *)sc;
	size_t i = quiz_run_position(sq->run);
	if (k >= quiz_run_n_choices(sq->run, i))
		return false;
	int idx = sq->choice_button[k];
	if (idx < 3 || (size_t)idx >= sq->n)
		return false;
	*out = sq->buttons[idx].r;
	return true;
}
