/*
 * test_rotation: the whole kiosk on a turned screen, as on a landscape
 * screen hung in portrait (`rotation = 90` or `270`) or upside down
 * (`180`): what the visitor sees is the unturned kiosk's picture, turned
 * (compared pixel by pixel); a touch or a click where a button is seen
 * presses that button. The operator menu's description of the screen and
 * of the last film's decoder is filled in.
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

#include "base/util.h"
#include "media/image.h"
#include "test_kiosk.h"
#include "test_support.h"
#include "ui/app.h"

/* The language picker of a kiosk on a w x h screen turned by rot, read
 * back as the screen shows it. */
static struct image *langpick_screen(int w, int h, int rot, struct kut *k,
				     struct app **app_out)
{
	kut_start(k, NULL, w, h);
	k->cfg.rotation = rot;
	struct app *app = kut_app(k);
	run_for(app, 50);
	key(app, SDLK_RETURN);
	assert_string_equal(top_name(app), "langpick");
	run_for(app, 50);
	struct image *img = app_capture_screen(app);
	assert_non_null(img);
	*app_out = app;
	return img;
}

static const uint8_t *px_at(const struct image *img, int x, int y)
{
	return img->pixels + (size_t)y * (size_t)img->pitch + (size_t)x * 4;
}

static void test_turned_picture(void **state)
{
	(void)state;
	/* the same kiosk, unturned, on a portrait and a landscape screen */
	struct kut k;
	struct app *app;
	struct image *portrait = langpick_screen(480, 800, 0, &k, &app);
	kut_stop(&k);
	struct image *landscape = langpick_screen(800, 480, 0, &k, &app);
	kut_stop(&k);

	static const int rotations[] = { 90, 180, 270 };
	for (size_t i = 0; i < 3; i++) {
		int rot = rotations[i];
		struct image *want = rot == 180 ? landscape : portrait;
		struct image *got = langpick_screen(800, 480, rot, &k, &app);
		int w, h;
		app_size(app, &w, &h);
		assert_int_equal(w, want->w);
		assert_int_equal(h, want->h);
		assert_true(app_portrait(app) == (rot != 180));
		assert_int_equal(got->w, 800);
		assert_int_equal(got->h, 480);
		char name[64];
		snprintf(name, sizeof name, "rotation-%d.png", rot);
		char *p = test_build_path(name);
		assert_true(image_save_png(got, p));
		free(p);
		size_t differ = 0, lit = 0;
		for (int y = 0; y < want->h; y++)
			for (int x = 0; x < want->w; x++) {
				int sx, sy;
				test_turned_pos(rot, 800, 480, x, y, &sx, &sy);
				const uint8_t *a = px_at(want, x, y), *b = px_at(got, sx, sy);
				if (abs(a[0] - b[0]) > 8 || abs(a[1] - b[1]) > 8 ||
				    abs(a[2] - b[2]) > 8)
					differ++;
				if (a[0] + a[1] + a[2] > 3 * 128)
					lit++;
			}
		size_t all = (size_t)want->w * (size_t)want->h;
		print_message("  turned %d: %zu of %zu pixels differ from the "
			      "unturned picture turned (%zu light pixels)\n", rot,
			      differ, all, lit);
		/* text and buttons are there, and where the turn puts them */
		assert_true(lit > all / 200);
		assert_true(differ <= all / 1000);
		image_destroy(got);
		kut_stop(&k);
	}
	image_destroy(portrait);
	image_destroy(landscape);
}

/* A finger or the mouse where the visitor sees the first language's
 * button, on the turned screen, picks that language. */
static void test_turned_touch(void **state)
{
	(void)state;
	static const int rotations[] = { 90, 180, 270 };
	for (size_t i = 0; i < 3; i++) {
		for (int use_mouse = 0; use_mouse <= 1; use_mouse++) {
			int rot = rotations[i];
			struct kut k;
			struct app *app;
			image_destroy(langpick_screen(800, 480, rot, &k, &app));
			SDL_Rect r;
			assert_true(scene_button(app_top(app), "vi", &r));
			int px, py;
			test_turned_pos(rot, 800, 480, r.x + r.w / 2, r.y + r.h / 2, &px, &py);
			if (use_mouse) {
				click(app, px, py);       /* window coordinates */
			} else {
				SDL_Event e = { 0 };
				e.type = SDL_FINGERDOWN;
				e.tfinger.fingerId = 3;
				e.tfinger.x = (px + 0.5f) / 800.0f;
				e.tfinger.y = (py + 0.5f) / 480.0f;
				push(&e);
				e.type = SDL_FINGERUP;
				push(&e);
			}
			run_for(app, 60);
			if (strcmp(top_name(app), "home") != 0)
				fail_msg("turned %d: a %s at (%d,%d) on the screen did "
					 "not press the button seen there (scene '%s')",
					 rot, use_mouse ? "click" : "touch", px, py,
					 top_name(app));
			kut_stop(&k);
		}
	}
}

/* The operator menu's lines: the screen (driver, renderer, turn) and the
 * decoder of the last film shown, here the attract loop's. */
static void test_operator_lines(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *content = path_join(dir, "lib");
	free(test_write_file(content, "film/item.json",
			     "{ \"id\": \"film\", \"type\": \"video\", \"title\": "
			     "{ \"vi\": \"Phim\" }, \"topics\": [ \"udhr\" ], "
			     "\"media\": { \"vi\": \"v.mp4\" } }\n"));
	assert_int_equal(test_system("ffmpeg -v error -y -f lavfi -i testsrc2=s=320x180:r=25 "
				     "-t 4 -c:v libx264 -pix_fmt yuv420p '%s/film/v.mp4'",
				     content), 0);
	struct kut k;
	kut_start(&k, content, 800, 480);
	k.cfg.rotation = 270;
	struct app *app = kut_app(&k);
	assert_string_equal(app_video_desc(app), "");
	for (int i = 0; i < 100 && !*app_video_desc(app); i++)
		run_for(app, 50);
	const char *v = app_video_desc(app);
	print_message("  screen: %s\n  video: %s\n", app_screen_desc(app), v);
	if (!strstr(v, "h264") || !strstr(v, "(film)"))
		fail_msg("video decoding: '%s'", v);
	const char *s = app_screen_desc(app);
	if (!strstr(s, "software") || !strstr(s, "turned 270°"))
		fail_msg("screen: '%s'", s);
	kut_stop(&k);
	test_rmtree(dir);
	free(dir);
	free(content);
}

/* The operator turns the screen from the settings page: the layout turns
 * at once, the buttons are still pressed where they are seen, and the
 * turn is saved for the next start. */
static void test_turn_from_settings(void **state)
{
	(void)state;
	struct kut k;
	kut_start(&k, NULL, 800, 480);
	struct app *app = kut_app(&k);
	run_for(app, 50);
	open_operator_menu(app);
	tap_operator(app, "settings");
	assert_string_equal(top_name(app), "settings");
	int w, h;
	tap_button(app, "turn+");
	assert_int_equal(app_config(app)->rotation, 90);
	app_size(app, &w, &h);
	assert_int_equal(w, 480);
	assert_int_equal(h, 800);
	save_screen(app, "rotation-settings-90.png");
	/* pressed again where it is now seen: a half turn */
	tap_button(app, "turn+");
	assert_int_equal(app_config(app)->rotation, 180);
	app_size(app, &w, &h);
	assert_int_equal(w, 800);
	char *conf = path_join(k.data, "settings.conf");
	char *text = file_read_all(conf, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "rotation = 180\n"));
	free(text);
	/* and back */
	tap_button(app, "turn-");
	tap_button(app, "turn-");
	assert_int_equal(app_config(app)->rotation, 0);
	text = file_read_all(conf, NULL);
	assert_non_null(strstr(text, "rotation = 0\n"));
	free(text);
	free(conf);
	assert_true(strstr(app_screen_desc(app), "turned") == NULL);
	kut_stop(&k);
}

int main(void)
{
	ensure_media();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_turned_picture),
		cmocka_unit_test(test_turned_touch),
		cmocka_unit_test(test_operator_lines),
		cmocka_unit_test(test_turn_from_settings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
