/*
 * test_quiz: quizzes through the real program, headless.
 *
 *   - a class contest: the operator menu opened by a long press in the
 *     corner, a contest set up (class name typed with Telex, 3 questions),
 *     three students join by typing their names and answer (by touch, by
 *     keys and by gamepad), the ranking on screen, the contest ended and
 *     exported onto a "USB stick", the rows in the log, and the contest
 *     back after a restart until it is cleared;
 *   - solo practice: a topic, right and wrong answers with the
 *     explanation, the score, a retry;
 *   - a question against the clock running out;
 *   - a quiz following the visitor's language, question by question.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <SDL.h>
#include <sqlite3.h>

#include "base/util.h"
#include "media/image.h"
#include "quiz/quizrun.h"
#include "test_kiosk.h"
#include "test_support.h"
#include "ui/app.h"

#define W 1280
#define H 720

static void centre(SDL_Rect r, int *x, int *y)
{
	*x = r.x + r.w / 2;
	*y = r.y + r.h / 2;
}

static void tap_rect(struct app *app, SDL_Rect r)
{
	int x, y;
	centre(r, &x, &y);
	tap_touch(app, x, y);
}

static void tap_operator(struct app *app, const char *action)
{
	SDL_Rect r;
	run_for(app, 20);
	assert_string_equal(top_name(app), "operator");
	assert_true(scene_operator_button(app_top(app), action, &r));
	tap_rect(app, r);
}

/* Hold a finger in the top-left corner for five seconds (of the app's
 * clock). */
static void long_press_corner(struct app *app)
{
	int w, h;
	app_size(app, &w, &h);
	SDL_Event e = { 0 };
	e.type = SDL_FINGERDOWN;
	e.tfinger.fingerId = 3;
	e.tfinger.x = 8.0f / (float)w;
	e.tfinger.y = 8.0f / (float)h;
	push(&e);
	run_for(app, 30);
	app_advance_clock(app, 2500);
	run_for(app, 30);
	assert_string_not_equal(top_name(app), "operator");    /* not yet */
	app_advance_clock(app, 2600);
	run_for(app, 50);
	e.type = SDL_FINGERUP;
	push(&e);
	run_for(app, 30);
}

/* The place (0-based) of a right or a wrong choice in the question now. */
static size_t place_of(struct app *app, bool right)
{
	struct quiz_run *run = scene_quiz_run(app_top(app));
	assert_non_null(run);
	size_t i = quiz_run_position(run);
	unsigned ok = quiz_run_correct_mask(run, i);
	for (size_t k = 0; k < quiz_run_n_choices(run, i); k++) {
		bool is_right = ok & (1u << quiz_run_choice(run, i, k));
		if (is_right == right)
			return k;
	}
	fail_msg("no %s choice", right ? "right" : "wrong");
	return 0;
}

enum how { BY_TOUCH, BY_KEYS, BY_PAD };

/* Answer the question on screen after think_ms, then go on. */
static void answer(struct app *app, bool right, int think_ms, enum how how)
{
	assert_string_equal(top_name(app), "quiz");
	assert_string_equal(scene_quiz_phase(app_top(app)), "question");
	app_advance_clock(app, think_ms);
	size_t k = place_of(app, right);
	if (how == BY_TOUCH) {
		SDL_Rect r;
		assert_true(scene_quiz_choice_rect(app_top(app), k, &r));
		tap_rect(app, r);
	} else {
		/* the focus starts on the first choice; choices are laid out
		 * two by two in landscape: right, down */
		SDL_Keycode moves[3] = { SDLK_RIGHT, SDLK_DOWN, SDLK_RIGHT };
		int buttons[3] = { SDL_CONTROLLER_BUTTON_DPAD_RIGHT,
				   SDL_CONTROLLER_BUTTON_DPAD_DOWN,
				   SDL_CONTROLLER_BUTTON_DPAD_RIGHT };
		/* the focus is on choice A; B is right of it, C under it,
		 * D down-right */
		size_t steps[4][3] = { { 0 }, { 1 }, { 2 }, { 1, 2 } };
		for (size_t s = 0; s < 3 && steps[k][s]; s++) {
			size_t m = steps[k][s] == 1 ? 0 : 1;
			if (how == BY_KEYS)
				key(app, moves[m]);
			else
				pad(app, buttons[m]);
		}
		if (how == BY_KEYS)
			key(app, SDLK_RETURN);
		else
			pad(app, SDL_CONTROLLER_BUTTON_A);
	}
	assert_string_equal(scene_quiz_phase(app_top(app)), "feedback");
	assert_int_equal(quiz_run_was_right(scene_quiz_run(app_top(app)),
					    quiz_run_position(scene_quiz_run(app_top(app)))),
			 right);
	key(app, SDLK_RETURN);          /* Next (focused after an answer) */
}

/* A student joins, types a name (Telex on a physical keyboard), answers. */
static void student(struct app *app, const char *typed, const bool *right,
		    int think_ms, enum how how)
{
	assert_string_equal(top_name(app), "contest");
	key(app, SDLK_RETURN);          /* Join is focused */
	assert_true(scene_contest_typing(app_top(app)));
	type_text(app, typed);
	key(app, SDLK_RETURN);          /* OK */
	assert_string_equal(top_name(app), "quiz");
	for (int i = 0; i < 3; i++)
		answer(app, right[i], think_ms, how);
	assert_string_equal(scene_quiz_phase(app_top(app)), "result");
	save_screen(app, "quiz-result.png");
	key(app, SDLK_RETURN);          /* Done */
	assert_string_equal(top_name(app), "contest");
}

static int64_t q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static char *q_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	const unsigned char *t = sqlite3_column_text(s, 0);
	char *copy = xstrdup(t ? (const char *)t : "");
	sqlite3_finalize(s);
	return copy;
}

static void test_class_contest(void **state)
{
	(void)state;
	ensure_media();
	struct kut k;
	kut_start(&k, NULL, W, H);
	char *media = test_tmpdir();
	char *stick = path_join(media, "USB-DISK");
	assert_true(mkdir_parents(stick));
	setenv("KIOSK_MEDIA_ROOT", media, 1);
	struct app *app = kut_app(&k);
	run_for(app, 50);

	/* the teacher: the corner, then the set-up */
	long_press_corner(app);
	assert_string_equal(top_name(app), "operator");
	tap_operator(app, "start");
	tap_operator(app, "class");
	type_text(app, "Lowps 9A");     /* Telex: Lớp 9A */
	key(app, SDLK_RETURN);
	for (int i = 0; i < 7; i++)
		tap_operator(app, "count-");    /* 10 -> 3 questions */
	save_screen(app, "quiz-setup.png");
	tap_operator(app, "go");
	assert_string_equal(top_name(app), "contest");
	const struct contest *c = app_contest(app);
	assert_non_null(c);
	assert_string_equal(c->class_name, "Lớp 9A");
	assert_int_equal(c->n_questions, 3);
	assert_string_equal(scene_contest_shown(app_top(app)), "");

	/* three students, by touch, keys and gamepad */
	static const bool an[3] = { true, true, true };
	static const bool binh[3] = { true, false, true };
	static const bool cuong[3] = { false, true, true };
	student(app, "An", an, 4000, BY_TOUCH);
	student(app, "Binhf", binh, 20000, BY_KEYS);       /* Bình, slow */
	student(app, "Cuwowngf", cuong, 5000, BY_PAD);     /* Cường, quick */
	run_for(app, 50);
	save_screen(app, "quiz-ranking.png");
	/* the ranking as drawn: score, then time */
	assert_string_equal(scene_contest_shown(app_top(app)),
			    "1. An 3 / 3\n2. Cường 2 / 3\n3. Bình 2 / 3\n");

	/* a student who walks away mid-quiz: back to the class screen */
	key(app, SDLK_RETURN);
	type_text(app, "Dung");
	key(app, SDLK_RETURN);
	assert_string_equal(top_name(app), "quiz");
	app_advance_clock(app, (int64_t)k.cfg.idle_timeout_s * 1000 + 1000);
	run_for(app, 50);
	assert_string_equal(top_name(app), "contest");

	/* the teacher ends it (Ctrl+Alt+O this time) and exports */
	SDL_Event e = { 0 };
	e.type = SDL_KEYDOWN;
	e.key.keysym.sym = SDLK_o;
	e.key.keysym.mod = KMOD_LCTRL | KMOD_LALT;
	push(&e);
	run_for(app, 30);
	tap_operator(app, "end");
	tap_operator(app, "export");
	const char *msg = scene_operator_message(app_top(app));
	assert_non_null(strstr(msg, stick));
	tap_operator(app, "close");
	assert_string_equal(top_name(app), "contest");
	assert_true(app_contest(app)->ended);
	run_for(app, 50);
	save_screen(app, "quiz-final.png");

	/* the export on the stick: the ranking with the names */
	char *find = xasprintf("ls -d '%s'/kiosk-contest-Lớp-9A-* >/dev/null", stick);
	assert_int_equal(test_system("%s", find), 0);
	free(find);
	char *grep = xasprintf("grep -q 'Cường' '%s'/kiosk-contest-*/quiz-ranking.csv && "
			       "grep -q 'Bình' '%s'/kiosk-contest-*/quiz-report.html",
			       stick, stick);
	assert_int_equal(test_system("%s", grep), 0);
	free(grep);

	/* a restart: the contest and its ranking come back */
	app_destroy(app);
	app = k.app = kut_app(&k);
	run_for(app, 50);
	assert_string_equal(top_name(app), "contest");
	assert_string_equal(scene_contest_shown(app_top(app)),
			    "1. An 3 / 3\n2. Cường 2 / 3\n3. Bình 2 / 3\n");

	/* cleared: off the screen, and not back after a restart */
	long_press_corner(app);
	tap_operator(app, "clear");
	tap_operator(app, "clear");     /* the second tap confirms */
	assert_null(app_contest(app));
	assert_string_equal(top_name(app), "attract");
	app_destroy(app);
	app = k.app = kut_app(&k);
	run_for(app, 50);
	assert_string_equal(top_name(app), "attract");
	assert_null(app_contest(app));

	/* the log */
	sqlite3 *db = kut_stop_open_log(&k);
	assert_int_equal(q_int(db, "SELECT count(*) FROM contests"), 1);
	char *cls = q_text(db, "SELECT class_name FROM contests");
	assert_string_equal(cls, "Lớp 9A");
	free(cls);
	assert_int_equal(q_int(db, "SELECT n_questions = 3 AND ended_wall_ms IS NOT NULL "
			       "AND exported_wall_ms IS NOT NULL AND cleared_wall_ms "
			       "IS NOT NULL FROM contests"), 1);
	assert_int_equal(q_int(db, "SELECT count(*) FROM quiz_attempts WHERE "
			       "contest_uuid = (SELECT uuid FROM contests)"), 4);
	char *scores = q_text(db, "SELECT group_concat(player || ':' || score || ':' || "
			      "answered || ':' || completed, ' ') FROM (SELECT * FROM "
			      "quiz_attempts ORDER BY started_wall_ms, rowid)");
	assert_string_equal(scores, "An:3:3:1 Bình:2:3:1 Cường:2:3:1 Dung:0:0:0");
	free(scores);
	/* nine answers, right as given, with the thinking time */
	assert_int_equal(q_int(db, "SELECT count(*) FROM quiz_answers"), 9);
	assert_int_equal(q_int(db, "SELECT sum(correct) FROM quiz_answers"), 7);
	assert_int_equal(q_int(db, "SELECT min(a.ms) >= 20000 FROM quiz_answers a JOIN "
			       "quiz_attempts t ON a.attempt_uuid = t.uuid WHERE "
			       "t.player = 'Bình'"), 1);
	assert_int_equal(q_int(db, "SELECT max(a.ms) < 20000 FROM quiz_answers a JOIN "
			       "quiz_attempts t ON a.attempt_uuid = t.uuid WHERE "
			       "t.player = 'An'"), 1);
	assert_int_equal(q_int(db, "SELECT count(*) FROM quiz_answers WHERE "
			       "correct = 0 AND chosen = ''"), 0);
	assert_int_equal(q_int(db, "SELECT count(DISTINCT question_id) > 0 AND "
			       "min(length(question_text)) > 10 FROM quiz_answers"), 1);
	/* each student is a visitor session of their own */
	assert_int_equal(q_int(db, "SELECT count(DISTINCT session_uuid) FROM "
			       "quiz_attempts"), 4);
	kut_close_log(&k, db);
	unsetenv("KIOSK_MEDIA_ROOT");
	test_rmtree(media);
	free(media);
	free(stick);
}

/* From home to a topic, wrong then right, the explanation, the score,
 * then a new try. */
static void test_solo_practice(void **state)
{
	(void)state;
	ensure_media();
	struct kut k;
	kut_start(&k, NULL, W, H);
	struct app *app = kut_app(&k);
	app_push(app, scene_home_create(app));
	run_for(app, 30);
	app_push(app, scene_quizpick_create(app));
	run_for(app, 30);
	key(app, SDLK_DOWN);
	key(app, SDLK_RIGHT);           /* the second button: the first topic */
	key(app, SDLK_RETURN);
	assert_string_equal(top_name(app), "quiz");
	struct quiz_run *run = scene_quiz_run(app_top(app));
	assert_non_null(run);
	size_t n = quiz_run_length(run);
	assert_true(n >= 3);
	for (size_t i = 0; i < n; i++) {
		bool right = i % 2 == 1;
		size_t k_place = place_of(app, right);
		SDL_Rect r;
		assert_true(scene_quiz_choice_rect(app_top(app), k_place, &r));
		tap_rect(app, r);
		assert_string_equal(scene_quiz_phase(app_top(app)), "feedback");
		if (i == 0)
			save_screen(app, "quiz-feedback.png");
		key(app, SDLK_RETURN);
	}
	assert_string_equal(scene_quiz_phase(app_top(app)), "result");
	assert_int_equal(quiz_run_score(scene_quiz_run(app_top(app))), (int)(n / 2));
	key(app, SDLK_RETURN);          /* Try again */
	assert_string_equal(scene_quiz_phase(app_top(app)), "question");
	assert_int_equal(quiz_run_answered_count(scene_quiz_run(app_top(app))), 0);
	key(app, SDLK_ESCAPE);          /* leave: back to the topics */
	assert_string_equal(top_name(app), "quizpick");

	sqlite3 *db = kut_stop_open_log(&k);
	/* two attempts, solo, the first complete */
	assert_int_equal(q_int(db, "SELECT count(*) FROM quiz_attempts WHERE "
			       "contest_uuid IS NULL AND player IS NULL"), 2);
	char *first = q_text(db, "SELECT score || '/' || answered || '/' || completed "
			     "FROM quiz_attempts ORDER BY started_wall_ms, rowid LIMIT 1");
	char *expect = xasprintf("%zu/%zu/1", n / 2, n);
	assert_string_equal(first, expect);
	free(first);
	free(expect);
	assert_true(q_int(db, "SELECT count(*) FROM quiz_answers") == (int64_t)n);
	kut_close_log(&k, db);
}

/* A question against the clock: the time runs out, it counts as wrong. */
static void test_time_runs_out(void **state)
{
	(void)state;
	ensure_media();
	struct kut k;
	kut_start(&k, NULL, W, H);
	struct app *app = kut_app(&k);
	struct contest c = { .n_questions = 2, .seconds_per_question = 15 };
	snprintf(c.class_name, sizeof c.class_name, "6B");
	app_contest_start(app, &c);
	assert_string_equal(top_name(app), "contest");
	key(app, SDLK_RETURN);
	type_text(app, "Mai");
	key(app, SDLK_RETURN);
	assert_string_equal(top_name(app), "quiz");
	app_advance_clock(app, 16000);
	run_for(app, 50);
	assert_string_equal(scene_quiz_phase(app_top(app)), "feedback");
	struct quiz_run *run = scene_quiz_run(app_top(app));
	assert_true(quiz_run_timed_out(run, 0));
	assert_false(quiz_run_was_right(run, 0));
	sqlite3 *db = kut_stop_open_log(&k);
	assert_int_equal(q_int(db, "SELECT timed_out * 100000 + ms FROM quiz_answers"),
			 100000 + 15000);
	kut_close_log(&k, db);
}

/* The quiz follows the visitor's language: English where the bank has it,
 * Vietnamese for a language it has not (Êđê). */
static void test_language(void **state)
{
	(void)state;
	ensure_media();
	struct kut k;
	kut_start(&k, NULL, W, H);
	struct app *app = kut_app(&k);
	app_set_lang(app, "en");
	app_push(app, scene_quiz_create(app, NULL, NULL));
	run_for(app, 30);
	struct quiz_run *run = scene_quiz_run(app_top(app));
	const char *from = NULL;
	size_t n_chain;
	const char *const *chain = app_lang_chain(app, &n_chain);
	assert_non_null(quiz_bank_find(app_quiz_bank(app), quiz_run_id(run, 0),
				       chain, n_chain, &from));
	assert_string_equal(from, "en");
	struct image *en = app_capture(app);
	app_set_lang(app, "rad");
	chain = app_lang_chain(app, &n_chain);
	assert_non_null(quiz_bank_find(app_quiz_bank(app), quiz_run_id(run, 0),
				       chain, n_chain, &from));
	assert_string_equal(from, "vi");
	struct image *rad = app_capture(app);
	/* the screen changed with the language */
	size_t diff = 0;
	for (int y = 0; y < en->h; y++)
		diff += memcmp(en->pixels + (size_t)y * en->pitch,
			       rad->pixels + (size_t)y * rad->pitch,
			       (size_t)en->w * 4) != 0;
	assert_true(diff > 40);
	image_destroy(en);
	image_destroy(rad);
	kut_stop(&k);
}

/* A picture question from a spreadsheet: the picture is on screen beside
 * the question; a row whose picture is missing is left out, the others
 * are asked. */
static void test_picture_question(void **state)
{
	(void)state;
	char *lib = test_tmpdir();
	char *quiz = path_join(lib, "quiz");
	assert_true(mkdir_parents(quiz));
	struct image *pic = image_create(160, 120);
	for (int y = 0; y < pic->h; y++)
		for (int x = 0; x < pic->w; x++) {
			uint8_t *p = pic->pixels + (size_t)y * pic->pitch + (size_t)x * 4;
			p[0] = 230, p[1] = 20, p[2] = 20, p[3] = 255;
		}
	char *png = path_join(quiz, "flag.png");
	assert_true(image_save_png(pic, png));
	image_destroy(pic);
	free(png);
	free(test_write_file(quiz, "pictures.csv",
		"id;language;question;A;B;correct;picture\r\n"
		"red;vi;Bức tranh này màu gì?;Đỏ;Xanh;A;flag.png\r\n"
		"gone;vi;Còn bức này?;Đỏ;Xanh;B;missing.png\r\n"));
	struct kut k;
	kut_start(&k, lib, W, H);
	struct app *app = kut_app(&k);
	assert_int_equal(quiz_bank_count(app_quiz_bank(app), NULL), 1);
	app_push(app, scene_quiz_create(app, NULL, NULL));
	run_for(app, 30);
	save_screen(app, "quiz-picture.png");
	struct image *img = app_capture(app);
	size_t red_right = 0, red_left = 0;
	for (int y = 0; y < img->h; y += 2)
		for (int x = 0; x < img->w; x += 2) {
			const uint8_t *p = img->pixels + (size_t)y * img->pitch + (size_t)x * 4;
			if (p[0] > 200 && p[1] < 60 && p[2] < 60) {
				if (x >= W * 6 / 10)
					red_right++;
				else
					red_left++;
			}
		}
	image_destroy(img);
	/* the picture, scaled up into the right part of the screen */
	assert_true(red_right > 2000);
	assert_true(red_left < red_right / 10);
	kut_stop(&k);
	test_rmtree(lib);
	free(lib);
	free(quiz);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_class_contest),
		cmocka_unit_test(test_solo_practice),
		cmocka_unit_test(test_time_runs_out),
		cmocka_unit_test(test_language),
		cmocka_unit_test(test_picture_question),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
