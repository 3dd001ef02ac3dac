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
 *   - a quiz following the visitor's language, question by question;
 *   - the operator menu's figures page (today and this month, counted
 *     from a log written beforehand plus a view just made, checked
 *     against the log with SQL; its charts drawn, at several screen sizes;
 *     an empty log) and the log export (onto a "USB stick", into the
 *     kiosk's own exports folder without one, and a failure).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#include <cmocka.h>
#include <SDL.h>
#include <sqlite3.h>

#include "base/util.h"
#include "media/image.h"
#include "quiz/quizrun.h"
#include "report/figures.h"
#include "store/store.h"
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

enum how { BY_TOUCH, BY_KEYS, BY_PAD };

/* Answer the question on screen after think_ms, then go on. */
static void answer(struct app *app, bool right, int think_ms, enum how how)
{
	assert_string_equal(top_name(app), "quiz");
	assert_string_equal(scene_quiz_phase(app_top(app)), "question");
	app_advance_clock(app, think_ms);
	size_t k = quiz_choice_place(app, right);
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
	pass_pinpad(app);
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
	open_operator_menu(app);
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
	pass_pinpad(app);
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
		size_t k_place = quiz_choice_place(app, right);
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

/* ---- the operator menu: figures and the log export ---- */

#define DAY_MS (24 * 3600 * 1000LL)

/* A log written before the kiosk starts, as an earlier run would have:
 * three sessions (vi, rad, en) and five views; the English session and
 * its view moved one day back (yesterday, or last month on the 1st). */
static void write_log(const struct kut *k)
{
	char *path = path_join(k->data, STORE_LOG_FILENAME);
	struct store_identity id = { .kiosk_id = k->cfg.kiosk_id, .site = "Buôn Đôn" };
	struct store *st = store_open(path, &id);
	assert_non_null(st);
	char s[STORE_UUID_LEN], v[STORE_UUID_LEN];
	store_session_begin(st, "vi", s);
	store_view_begin(st, s, "udhr-art1", "vi", v);
	store_view_end(st, v, 30, false);
	store_view_begin(st, s, "cedaw", "vi", v);
	store_view_end(st, v, 60, true);
	store_session_end(st, s, "idle");
	store_session_begin(st, "rad", s);
	store_view_begin(st, s, "udhr-art1", "rad", v);
	store_view_end(st, v, 45, true);
	store_view_begin(st, s, "crc", "rad", v);
	store_view_end(st, v, 15, false);
	store_session_end(st, s, "idle");
	store_session_begin(st, "en", s);
	store_view_begin(st, s, "udhr-art1", "en", v);
	store_view_end(st, v, 20, true);
	store_session_end(st, s, "idle");
	store_close(st);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *sql = xasprintf(
		"UPDATE views SET started_wall_ms = started_wall_ms - %lld, "
		"started_boot_ms = started_boot_ms - %lld, clock = 3 WHERE lang = 'en';"
		"UPDATE sessions SET started_wall_ms = started_wall_ms - %lld, "
		"ended_wall_ms = ended_wall_ms - %lld, started_boot_ms = "
		"started_boot_ms - %lld, ended_boot_ms = ended_boot_ms - %lld, "
		"clock = 3 WHERE lang = 'en';",
		DAY_MS, DAY_MS, DAY_MS, DAY_MS, DAY_MS, DAY_MS);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	sqlite3_close(db);
	free(path);
}

/* A count from the live log (read while the kiosk runs: WAL). */
static int64_t log_int(struct kut *k, const char *sql)
{
	char *path = path_join(k->data, STORE_LOG_FILENAME);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	int64_t v = q_int(db, sql);
	sqlite3_close(db);
	free(path);
	return v;
}

static double log_real(struct kut *k, const char *sql)
{
	char *path = path_join(k->data, STORE_LOG_FILENAME);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	double v = sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	free(path);
	return v;
}

/* Pixels within 12 per channel of (r, g, b) in rect of img. */
static size_t count_colour(const struct image *img, SDL_Rect rect, int r, int g, int b)
{
	size_t n = 0;
	for (int y = rect.y; y < rect.y + rect.h && y < img->h; y++)
		for (int x = rect.x; x < rect.x + rect.w && x < img->w; x++) {
			const uint8_t *p = img->pixels + (size_t)y * img->pitch + (size_t)x * 4;
			if (abs(p[0] - r) <= 12 && abs(p[1] - g) <= 12 && abs(p[2] - b) <= 12)
				n++;
		}
	return n;
}

static void open_menu(struct app *app)
{
	open_operator_menu(app);
}

/* Open the figures page and wait for the count. */
static void open_figures(struct app *app)
{
	tap_operator(app, "figures");
	for (int i = 0; i < 500 && scene_operator_working(app_top(app)); i++)
		run_for(app, 20);
	run_for(app, 30);
	assert_non_null(scene_operator_figures(app_top(app), false));
	assert_non_null(scene_operator_figures(app_top(app), true));
}

/* Where in the month today is: its day (1..31). */
static int month_day(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return tm.tm_mday;
}

#define TODAY "date(started_wall_ms / 1000, 'unixepoch', 'localtime') = " \
	"date('now', 'localtime')"
#define MONTH "strftime('%Y-%m', started_wall_ms / 1000, 'unixepoch', 'localtime') = " \
	"strftime('%Y-%m', 'now', 'localtime')"

/* The figures page after a day of visitors: what it shows equals what the
 * log holds, counted here with SQL; the charts have bars. */
static void test_operator_figures(void **state)
{
	(void)state;
	ensure_media();
	struct kut k;
	kut_start(&k, NULL, W, H);
	write_log(&k);
	struct app *app = kut_app(&k);
	run_for(app, 50);

	/* an empty month before? no: three sessions are there; now a visitor
	 * looks at a poster, and the menu opens right after (the view must be
	 * counted although the logging thread has not committed it yet) */
	const struct catalog *cat = app_catalog(app);
	const struct item *poster = NULL;
	for (size_t i = 0; i < cat->n_items && !poster; i++)
		if (cat->items[i].type == ITEM_POSTER)
			poster = &cat->items[i];
	assert_non_null(poster);
	app_begin_session(app);
	app_push(app, scene_viewer_create(app, poster));
	run_for(app, 50);
	app_advance_clock(app, 12000);
	run_for(app, 30);
	app_pop(app);
	open_menu(app);
	open_figures(app);
	save_screen(app, "operator-figures.png");

	const struct report_figures *day = scene_operator_figures(app_top(app), true);
	const struct report_figures *month = scene_operator_figures(app_top(app), false);
	/* what the log says, counted here */
	int64_t views_today = log_int(&k, "SELECT count(*) FROM views WHERE " TODAY);
	int64_t views_month = log_int(&k, "SELECT count(*) FROM views WHERE " MONTH);
	int64_t sessions_today = log_int(&k, "SELECT count(*) FROM sessions WHERE " TODAY);
	int64_t sessions_month = log_int(&k, "SELECT count(*) FROM sessions WHERE " MONTH);
	double seconds_today = log_real(&k, "SELECT total(seconds) FROM views WHERE " TODAY);
	double seconds_month = log_real(&k, "SELECT total(seconds) FROM views WHERE " MONTH);
	int64_t target_today = log_int(&k, "SELECT count(*) FROM views WHERE lang IN "
				       "('rad', 'en') AND " TODAY);
	int64_t target_month = log_int(&k, "SELECT count(*) FROM views WHERE lang IN "
				       "('rad', 'en') AND " MONTH);
	/* four views written before, the poster now; the English one of
	 * yesterday counts in the month unless today is the 1st */
	assert_int_equal(views_today, 5);
	assert_int_equal(sessions_today, 3);
	assert_int_equal(views_month, month_day() > 1 ? 6 : 5);
	assert_int_equal(day->v.views, views_today);
	assert_int_equal(month->v.views, views_month);
	assert_int_equal(day->sessions, sessions_today);
	assert_int_equal(month->sessions, sessions_month);
	assert_true(fabs(day->v.seconds - seconds_today) < 0.01);
	assert_true(fabs(month->v.seconds - seconds_month) < 0.01);
	assert_true(day->v.seconds >= 150 + 11);       /* the poster: 12 s */
	assert_true(fabs(day->share_views - (double)target_today / (double)views_today) < 1e-9);
	assert_true(fabs(month->share_views - (double)target_month / (double)views_month)
		    < 1e-9);
	/* today's column of the chart is the last day with views */
	assert_true(month->n_days >= 1);
	assert_int_equal(month->days[month->n_days - 1].day, date_today_days());
	assert_int_equal(month->days[month->n_days - 1].v.views, views_today);
	/* per language: Vietnamese 3 today (two and the poster), Êđê 2 */
	int64_t vi = -1, rad = -1;
	for (size_t i = 0; i < day->n_langs; i++) {
		if (!strcmp(day->langs[i].lang, "vi"))
			vi = day->langs[i].v.views;
		if (!strcmp(day->langs[i].lang, "rad"))
			rad = day->langs[i].v.views;
	}
	assert_int_equal(vi, 3);
	assert_int_equal(rad, 2);

	/* the charts have bars: today's column in yellow, yesterday's in
	 * orange, Vietnamese in blue, Êđê (and English) in green */
	SDL_Rect days, langs;
	assert_true(scene_operator_chart(app_top(app), "days", &days));
	assert_true(scene_operator_chart(app_top(app), "langs", &langs));
	assert_true(days.w > W / 2 && days.h > 40);
	assert_true(days.y + days.h <= H && langs.x + langs.w <= W);
	struct image *img = app_capture(app);
	assert_non_null(img);
	assert_true(count_colour(img, days, 0xff, 0xd2, 0x1f) > 50);     /* today */
	if (month_day() > 1)
		assert_true(count_colour(img, days, 0xf0, 0x8c, 0x00) > 50);
	assert_true(count_colour(img, langs, 0x5b, 0x8d, 0xd6) > 100);    /* vi */
	assert_true(count_colour(img, langs, 0x3c, 0xc8, 0x6e) > 100);    /* rad, en */
	image_destroy(img);

	/* Back (Escape) to the menu, and the menu closes */
	key(app, SDLK_ESCAPE);
	assert_string_equal(top_name(app), "operator");
	assert_null(scene_operator_figures(app_top(app), false));
	assert_true(scene_operator_button(app_top(app), "export-log", &days));
	kut_stop(&k);
}

/* The figures page at the smallest screen, in portrait, and with an empty
 * log. */
static void test_operator_figures_sizes(void **state)
{
	(void)state;
	ensure_media();
	static const int sizes[][2] = { { 800, 480 }, { 480, 800 }, { 3840, 2160 } };
	static const char *const names[] = { "operator-figures-800x480.png",
					     "operator-figures-portrait.png", NULL };
	for (size_t s = 0; s < 3; s++) {
		struct kut k;
		kut_start(&k, NULL, sizes[s][0], sizes[s][1]);
		write_log(&k);
		struct app *app = kut_app(&k);
		int w, h;
		app_size(app, &w, &h);
		open_menu(app);
		open_figures(app);
		if (names[s])
			save_screen(app, names[s]);
		SDL_Rect days, langs, back;
		assert_true(scene_operator_chart(app_top(app), "days", &days));
		assert_true(scene_operator_chart(app_top(app), "langs", &langs));
		assert_true(scene_operator_button(app_top(app), "back", &back));
		/* on screen, not over the Back button, big enough to read */
		assert_true(days.x >= 0 && days.x + days.w <= w && days.y + days.h <= back.y);
		assert_true(langs.x >= 0 && langs.x + langs.w <= w && langs.y + langs.h <= back.y);
		assert_true(days.h >= h / 8);
		assert_true(langs.h >= h / 12);
		struct image *img = app_capture(app);
		assert_true(count_colour(img, days, 0xff, 0xd2, 0x1f) > 20);
		assert_true(count_colour(img, langs, 0x5b, 0x8d, 0xd6) > 20);
		image_destroy(img);
		kut_stop(&k);
	}

	/* nothing logged: a sentence, no charts */
	struct kut k;
	kut_start(&k, NULL, W, H);
	struct app *app = kut_app(&k);
	app_set_lang(app, "en");
	open_menu(app);
	open_figures(app);
	save_screen(app, "operator-figures-empty.png");
	const struct report_figures *month = scene_operator_figures(app_top(app), false);
	assert_int_equal(month->v.views, 0);
	assert_int_equal(month->sessions, 0);
	SDL_Rect r;
	assert_false(scene_operator_chart(app_top(app), "days", &r));
	assert_false(scene_operator_chart(app_top(app), "langs", &r));
	kut_stop(&k);
}

/* Tap "Export the log" and wait until it is done. */
static const char *export_log(struct app *app)
{
	tap_operator(app, "export-log");
	for (int i = 0; i < 1000 && scene_operator_working(app_top(app)); i++)
		run_for(app, 20);
	assert_false(scene_operator_working(app_top(app)));
	run_for(app, 30);
	return scene_operator_message(app_top(app));
}

/* The one file matching pattern (a shell glob), or NULL. Caller frees. */
static char *find_one(const char *dir, const char *pattern)
{
	char *cmd = xasprintf("ls '%s'/%s", dir, pattern);
	FILE *p = popen(cmd, "r");
	free(cmd);
	assert_non_null(p);
	char line[2048] = "";
	char *found = NULL;
	int n = 0;
	while (fgets(line, sizeof line, p)) {
		line[strcspn(line, "\n")] = '\0';
		free(found);
		found = xstrdup(line);
		n++;
	}
	pclose(p);
	if (n != 1) {
		free(found);
		return NULL;
	}
	return found;
}

/* The log exported onto a stick: a SQLite file with every view; without
 * a stick into the kiosk's own exports folder; a failure says why. */
static void test_operator_export_log(void **state)
{
	(void)state;
	ensure_media();
	char *media = test_tmpdir();
	char *stick = path_join(media, "KIOSK-USB");
	assert_true(mkdir_parents(stick));
	setenv("KIOSK_MEDIA_ROOT", media, 1);
	struct kut k;
	kut_start(&k, NULL, W, H);
	snprintf(k.cfg.kiosk_id, sizeof k.cfg.kiosk_id, "kiosk-buon-don");
	write_log(&k);
	struct app *app = kut_app(&k);
	app_set_lang(app, "en");
	open_menu(app);

	/* onto the stick */
	const char *msg = export_log(app);
	assert_non_null(strstr(msg, "The log was exported."));
	assert_non_null(strstr(msg, stick));
	assert_non_null(strstr(msg, "On the USB stick:"));
	char *file = find_one(stick, "kiosk-log-kiosk-buon-don-*.sqlite");
	assert_non_null(file);
	const char *base = strrchr(file, '/') + 1;
	assert_non_null(strstr(msg, base));            /* the file name is said */
	assert_non_null(strstr(msg, " events"));
	save_screen(app, "operator-exported.png");
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	int64_t exported_views = q_int(db, "SELECT count(*) FROM views");
	assert_int_equal(q_int(db, "SELECT count(*) FROM sessions"), 3);
	sqlite3_close(db);
	assert_int_equal(exported_views, 5);
	assert_int_equal(exported_views, log_int(&k, "SELECT count(*) FROM views"));
	free(file);

	/* no stick: into data_dir/exports, and the message says so */
	char *empty = test_tmpdir();
	setenv("KIOSK_MEDIA_ROOT", empty, 1);
	msg = export_log(app);
	char *exports = path_join(k.data, "exports");
	assert_non_null(strstr(msg, "The log was exported."));
	assert_non_null(strstr(msg, "No USB stick was found"));
	assert_non_null(strstr(msg, exports));
	file = find_one(exports, "kiosk-log-kiosk-buon-don-*.sqlite");
	assert_non_null(file);
	assert_int_equal(sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(q_int(db, "SELECT count(*) FROM views"), 5);
	sqlite3_close(db);
	free(file);

	/* a folder that cannot be written: the reason is shown */
	test_rmtree(exports);
	free(test_write_file(k.data, "exports", "not a folder\n"));
	msg = export_log(app);
	assert_non_null(strstr(msg, "The log could not be exported:"));
	assert_true(strlen(msg) > strlen("The log could not be exported:") + 5);
	save_screen(app, "operator-export-failed.png");
	tap_operator(app, "close");
	assert_string_not_equal(top_name(app), "operator");
	kut_stop(&k);
	unsetenv("KIOSK_MEDIA_ROOT");
	test_rmtree(media);
	test_rmtree(empty);
	free(media);
	free(empty);
	free(stick);
	free(exports);
}

/* A big log (a year of a busy kiosk): the page says "Counting…" while the
 * figures are counted on a worker thread and the kiosk keeps drawing; the
 * export draws its progress bar; the figures and the copy hold every
 * view. */
static void test_operator_big_log(void **state)
{
	(void)state;
	ensure_media();
	char *media = test_tmpdir();
	char *stick = path_join(media, "STICK");
	assert_true(mkdir_parents(stick));
	setenv("KIOSK_MEDIA_ROOT", media, 1);
	struct kut k;
	kut_start(&k, NULL, W, H);
	write_log(&k);
	/* 400 000 more views, spread over the days of this month so far */
	char *path = path_join(k.data, STORE_LOG_FILENAME);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *sql = xasprintf(
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
		"WHERE i < 400000) "
		"INSERT INTO views(uuid, session_uuid, kiosk_id, site, item_id, lang, "
		"started_wall_ms, boot, started_boot_ms, seconds, completed, clock) "
		"SELECT printf('%%08x-0000-4000-8000-%%012x', i, i), v.session_uuid, "
		"v.kiosk_id, v.site, v.item_id, CASE i %% 3 WHEN 0 THEN 'rad' ELSE 'vi' END, "
		"v.started_wall_ms - (i %% %d) * %lld, v.boot, "
		"v.started_boot_ms - (i %% %d) * %lld, 10, 0, 3 "
		"FROM n, (SELECT * FROM views WHERE lang = 'vi' LIMIT 1) v",
		month_day(), DAY_MS, month_day(), DAY_MS);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	sqlite3_close(db);
	free(path);
	int64_t views_month = log_int(&k, "SELECT count(*) FROM views WHERE " MONTH);
	assert_true(views_month >= 400000);
	SDL_Rect r;

	struct app *app = kut_app(&k);
	open_menu(app);
	int64_t t0 = time_mono_ms();
	tap_operator(app, "figures");
	int64_t tap_ms = time_mono_ms() - t0;
	int frames = 0;
	int64_t longest_ms = 0;
	while (scene_operator_working(app_top(app))) {
		/* "Counting…" in the middle of the screen, no chart yet */
		assert_null(scene_operator_figures(app_top(app), false));
		assert_false(scene_operator_chart(app_top(app), "days", &r));
		struct image *img = app_capture(app);
		assert_true(count_colour(img, (SDL_Rect){ W / 4, H / 4, W / 2, H / 2 },
					 0xff, 0xff, 0xff) > 100);
		image_destroy(img);
		if (frames++ == 0)
			save_screen(app, "operator-counting.png");
		int64_t s0 = time_mono_ms();
		run_for(app, 20);
		int64_t step = time_mono_ms() - s0;
		longest_ms = step > longest_ms ? step : longest_ms;
		assert_true(time_mono_ms() - t0 < 120000);
	}
	int64_t count_ms = time_mono_ms() - t0;
	print_message("counting %lld views took %lld ms; the tap %lld ms, %d frames "
		      "meanwhile, the longest turn of the loop %lld ms\n",
		      (long long)views_month, (long long)count_ms, (long long)tap_ms,
		      frames, (long long)longest_ms);
	/* the tap waited a moment at most, then the loop went on while the
	 * worker counted */
	assert_true(tap_ms < 1000);
	if (count_ms > 1500)
		assert_true(frames > 0 && longest_ms < 500);
	run_for(app, 30);
	const struct report_figures *month = scene_operator_figures(app_top(app), false);
	assert_non_null(month);
	assert_int_equal(month->v.views, views_month);
	assert_true(scene_operator_chart(app_top(app), "days", &r));
	save_screen(app, "operator-figures-big.png");
	key(app, SDLK_ESCAPE);

	/* while it copies, Close waits and the button cancels: nothing is
	 * left on the stick (when the copy was not over before the tap) */
	tap_operator(app, "export-log");
	if (scene_operator_working(app_top(app))) {
		tap_operator(app, "close");
		assert_string_equal(top_name(app), "operator");
		tap_operator(app, "export-log");
		for (int i = 0; i < 3000 && scene_operator_working(app_top(app)); i++)
			run_for(app, 20);
		if (!strcmp(scene_operator_message(app_top(app)),
			    app_tr(app, "The export was cancelled.")))
			assert_int_equal(test_system("test -z \"$(ls -A '%s')\"", stick), 0);
		else
			print_message("the copy was done before the cancel\n");
	}
	test_rmtree(stick);
	assert_true(mkdir_parents(stick));

	/* the export: a progress bar while it copies */
	t0 = time_mono_ms();
	tap_operator(app, "export-log");
	frames = 0;
	size_t bar = 0;
	while (scene_operator_working(app_top(app))) {
		struct image *img = app_capture(app);
		bar += count_colour(img, (SDL_Rect){ 0, H / 2, W, H / 2 }, 0x3c, 0xc8, 0x6e);
		image_destroy(img);
		if (frames++ == 2)
			save_screen(app, "operator-exporting.png");
		run_for(app, 20);
		assert_true(time_mono_ms() - t0 < 120000);
	}
	int64_t export_ms = time_mono_ms() - t0;
	print_message("exporting took %lld ms, %d frames meanwhile\n",
		      (long long)export_ms, frames);
	/* the bar grew while it copied (frame 0 may come before the first
	 * page) */
	if (frames >= 3)
		assert_true(bar > 0);
	run_for(app, 30);
	assert_non_null(strstr(scene_operator_message(app_top(app)), stick));
	char *file = find_one(stick, "kiosk-log-*.sqlite");
	assert_non_null(file);
	assert_int_equal(sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(q_int(db, "SELECT count(*) FROM views"),
			 log_int(&k, "SELECT count(*) FROM views"));
	sqlite3_close(db);
	free(file);
	kut_stop(&k);
	unsetenv("KIOSK_MEDIA_ROOT");
	test_rmtree(media);
	free(media);
	free(stick);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_class_contest),
		cmocka_unit_test(test_solo_practice),
		cmocka_unit_test(test_time_runs_out),
		cmocka_unit_test(test_language),
		cmocka_unit_test(test_picture_question),
		cmocka_unit_test(test_operator_figures),
		cmocka_unit_test(test_operator_figures_sizes),
		cmocka_unit_test(test_operator_export_log),
		cmocka_unit_test(test_operator_big_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
