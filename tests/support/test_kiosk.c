/*
 * test_kiosk: the real app under test (see test_kiosk.h).
 */
#include "test_kiosk.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "quiz/quizrun.h"
#include "test_support.h"

void ensure_media(void)
{
	char *probe = test_source_path("content/udhr-art1/thumb.png");
	if (!file_exists(probe)) {
		char *script = test_source_path("content/generate-media.sh");
		assert_int_equal(test_system("bash '%s' >/dev/null", script), 0);
		free(script);
	}
	free(probe);
}

void kut_start(struct kut *k, const char *content, int w, int h)
{
	config_defaults(&k->cfg);
	k->data = test_tmpdir();
	char *demo = test_source_path("content");
	char *locales = test_source_path("locales");
	snprintf(k->cfg.content_dir, sizeof k->cfg.content_dir, "%s", content ? content : demo);
	snprintf(k->cfg.locales_dir, sizeof k->cfg.locales_dir, "%s", locales);
	snprintf(k->cfg.data_dir, sizeof k->cfg.data_dir, "%s", k->data);
	k->cfg.fullscreen = false;
	k->cfg.window_w = w;
	k->cfg.window_h = h;
	free(demo);
	free(locales);
}

struct app *kut_app(struct kut *k)
{
	struct app_options opt = { .software_renderer = true };
	k->app = app_create(&k->cfg, &opt);
	assert_non_null(k->app);
	return k->app;
}

void kut_stop(struct kut *k)
{
	app_destroy(k->app);
	test_rmtree(k->data);
	free(k->data);
}

sqlite3 *kut_stop_open_log(struct kut *k)
{
	app_destroy(k->app);
	char *path = path_join(k->data, "kiosk-log.sqlite");
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	free(path);
	return db;
}

void kut_close_log(struct kut *k, sqlite3 *db)
{
	sqlite3_close(db);
	test_rmtree(k->data);
	free(k->data);
}

void run_for(struct app *app, int ms)
{
	int64_t end = time_mono_ms() + ms;
	while (time_mono_ms() < end)
		app_step(app, 5);
}

const char *top_name(struct app *app)
{
	return app_top(app)->ops->name;
}

void push(SDL_Event *e)
{
	assert_int_equal(SDL_PushEvent(e), 1);
}

void key(struct app *app, SDL_Keycode sym)
{
	SDL_Event e = { 0 };
	e.type = SDL_KEYDOWN;
	e.key.keysym.sym = sym;
	push(&e);
	e.type = SDL_KEYUP;
	push(&e);
	run_for(app, 30);
}

void pad(struct app *app, int button)
{
	SDL_Event e = { 0 };
	e.type = SDL_CONTROLLERBUTTONDOWN;
	e.cbutton.button = (Uint8)button;
	push(&e);
	e.type = SDL_CONTROLLERBUTTONUP;
	push(&e);
	run_for(app, 30);
}

void tap_touch(struct app *app, int x, int y)
{
	/* (x, y) is where the scenes drew it; the finger lands where the
	 * screen shows it, turned when a rotation is set */
	int w = 0, h = 0;
	SDL_GetRendererOutputSize(app_renderer(app), &w, &h);
	int px, py;
	test_turned_pos(app_config(app)->rotation, w, h, x, y, &px, &py);
	SDL_Event e = { 0 };
	e.type = SDL_FINGERDOWN;
	e.tfinger.fingerId = 7;
	e.tfinger.x = ((float)px + 0.5f) / (float)w;
	e.tfinger.y = ((float)py + 0.5f) / (float)h;
	push(&e);
	e.type = SDL_FINGERUP;
	push(&e);
	run_for(app, 30);
}

void click(struct app *app, int x, int y)
{
	SDL_Event e = { 0 };
	e.type = SDL_MOUSEBUTTONDOWN;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.x = x;
	e.button.y = y;
	push(&e);
	e.type = SDL_MOUSEBUTTONUP;
	push(&e);
	run_for(app, 30);
}

void type_text(struct app *app, const char *utf8)
{
	SDL_Event e = { 0 };
	e.type = SDL_TEXTINPUT;
	snprintf(e.text.text, sizeof e.text.text, "%s", utf8);
	push(&e);
	run_for(app, 30);
}

void save_screen(struct app *app, const char *name)
{
	char *path = test_build_path(name);
	assert_true(app_screenshot(app, path));
	assert_true(file_exists(path));
	free(path);
}

void tap_button(struct app *app, const char *name)
{
	SDL_Rect r;
	run_for(app, 20);
	if (!scene_button(app_top(app), name, &r))
		fail_msg("scene '%s' has no button '%s'", top_name(app), name);
	tap_touch(app, r.x + r.w / 2, r.y + r.h / 2);
}

void enter_pin(struct app *app, const char *pin)
{
	assert_string_equal(top_name(app), "pinpad");
	type_text(app, pin);
	tap_button(app, "ok");
}

void pass_pinpad(struct app *app)
{
	run_for(app, 20);
	enter_pin(app, KUT_PIN);
	if (!strcmp(top_name(app), "pinpad"))      /* a new PIN: again */
		enter_pin(app, KUT_PIN);
	assert_string_equal(top_name(app), "operator");
	run_for(app, 20);               /* the menu drawn: its buttons known */
}

void open_operator_menu(struct app *app)
{
	SDL_Event e = { 0 };
	e.type = SDL_KEYDOWN;
	e.key.keysym.sym = SDLK_o;
	e.key.keysym.mod = KMOD_LCTRL | KMOD_LALT;
	push(&e);
	run_for(app, 30);
	pass_pinpad(app);
}

void tap_operator(struct app *app, const char *action)
{
	SDL_Rect r;
	run_for(app, 20);
	assert_string_equal(top_name(app), "operator");
	if (!scene_operator_button(app_top(app), action, &r))
		fail_msg("the operator menu has no button '%s'", action);
	tap_touch(app, r.x + r.w / 2, r.y + r.h / 2);
}

void swipe_left(struct app *app, int w, int h)
{
	SDL_Event e = { 0 };
	e.type = SDL_MOUSEBUTTONDOWN;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.x = w * 3 / 4;
	e.button.y = h / 2;
	push(&e);
	SDL_Event m = { 0 };
	m.type = SDL_MOUSEMOTION;
	m.motion.x = w / 4;
	m.motion.y = h / 2;
	push(&m);
	e.type = SDL_MOUSEBUTTONUP;
	e.button.x = w / 4;
	push(&e);
	run_for(app, 30);
}

size_t quiz_choice_place(struct app *app, bool right)
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
