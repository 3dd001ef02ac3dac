/*
 * test_shell: the real app, headless (offscreen video, dummy audio), driven
 * by synthetic touch, mouse, keyboard and gamepad events through
 * attract -> language picker -> home -> browse -> a poster -> back ->
 * a video -> back -> idle timeout. Screenshots are saved in the build
 * directory (shell-*.png), pixels are checked, and then the rows in the
 * view log.
 */
#include <math.h>
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

#include "base/config.h"
#include "base/util.h"
#include "report/report.h"
#include "content/catalog.h"
#include "media/movie.h"
#include "ui/keyboard.h"
#include "ui/picview.h"
#include "ui/zoomview.h"
#include "test_support.h"
#include "test_kiosk.h"
#include "ui/app.h"
#include "ui/draw.h"

#define W 1280
#define H 720

struct fixture {
	struct kiosk_config cfg;
	char *data;
	struct app *app;
};

static void shot(struct app *app, const char *name)
{
	char *file = xasprintf("shell-%s.png", name);
	save_screen(app, file);
	free(file);
}

/* Share of pixels in r (of a fresh frame) whose colour is within tol of c. */
static double share_of_colour(struct app *app, SDL_Rect r, SDL_Color c, int tol)
{
	struct image *img = app_capture(app);
	assert_non_null(img);
	int n = 0, hit = 0;
	for (int y = r.y; y < r.y + r.h && y < img->h; y += 2)
		for (int x = r.x; x < r.x + r.w && x < img->w; x += 2) {
			const uint8_t *p = img->pixels + (size_t)y * img->pitch + (size_t)x * 4;
			n++;
			hit += abs(p[0] - c.r) <= tol && abs(p[1] - c.g) <= tol &&
			       abs(p[2] - c.b) <= tol;
		}
	image_destroy(img);
	return n ? (double)hit / n : 0;
}

/* Pixels in r that differ between a frame now and one ms later; the later
 * frame is saved as save_as in the build directory when given. */
static size_t pixels_changed(struct app *app, SDL_Rect r, int ms, const char *save_as)
{
	struct image *a = app_capture(app);
	run_for(app, ms);
	struct image *b = app_capture(app);
	assert_non_null(a);
	assert_non_null(b);
	size_t n = 0;
	for (int y = r.y; y < r.y + r.h && y < a->h; y++)
		for (int x = r.x; x < r.x + r.w && x < a->w; x++)
			n += memcmp(a->pixels + (size_t)y * a->pitch + (size_t)x * 4,
				    b->pixels + (size_t)y * b->pitch + (size_t)x * 4, 3) != 0;
	if (save_as) {
		char *p = test_build_path(save_as);
		assert_true(image_save_png(b, p));
		free(p);
	}
	image_destroy(a);
	image_destroy(b);
	return n;
}

static bool any_pixel_of(struct app *app, SDL_Rect r, SDL_Color c, int tol)
{
	return share_of_colour(app, r, c, tol) > 0;
}

static int setup(void **state)
{
	ensure_media();
	struct fixture *f = xcalloc(1, sizeof *f);
	config_defaults(&f->cfg);
	f->data = test_tmpdir();
	char *content = test_source_path("content");
	char *locales = test_source_path("locales");
	snprintf(f->cfg.content_dir, sizeof f->cfg.content_dir, "%s", content);
	snprintf(f->cfg.locales_dir, sizeof f->cfg.locales_dir, "%s", locales);
	snprintf(f->cfg.data_dir, sizeof f->cfg.data_dir, "%s", f->data);
	snprintf(f->cfg.kiosk_id, sizeof f->cfg.kiosk_id, "test-kiosk");
	snprintf(f->cfg.site, sizeof f->cfg.site, "Buôn Ma Thuột");
	f->cfg.fullscreen = false;
	f->cfg.window_w = W;
	f->cfg.window_h = H;
	f->cfg.idle_timeout_s = 30;
	free(content);
	free(locales);
	struct app_options opt = { .software_renderer = true };
	f->app = app_create(&f->cfg, &opt);
	assert_non_null(f->app);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	app_destroy(f->app);
	test_rmtree(f->data);
	free(f->data);
	free(f);
	return 0;
}

static int64_t count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void test_walkthrough(void **state)
{
	struct fixture *f = *state;
	struct app *app = f->app;
	run_for(app, 100);

	/* 1. attract loop: a picture and the prompt band */
	assert_string_equal(top_name(app), "attract");
	shot(app, "1-attract");
	SDL_Rect band = { 0, H - H * 30 / 100, W, H * 30 / 100 };
	assert_true(any_pixel_of(app, band, COLOR_TEXT, 10));       /* prompt text */
	assert_true(share_of_colour(app, (SDL_Rect){ 0, 0, W, H / 2 }, COLOR_BG, 3) < 0.9);

	/* 2. a touch starts a session on the language picker */
	tap_touch(app, W / 2, H / 2);
	assert_string_equal(top_name(app), "langpick");
	assert_string_equal(app_lang(app), "vi");
	/* keyboard: right arrow to English, shown with the focus ring */
	key(app, SDLK_RIGHT);
	shot(app, "2-langpick");
	assert_true(any_pixel_of(app, (SDL_Rect){ 0, 0, W, H }, COLOR_FOCUS, 2));
	key(app, SDLK_RETURN);
	assert_string_equal(app_lang(app), "en");
	assert_string_equal(top_name(app), "home");
	shot(app, "3-home");

	/* 3. gamepad: from Videos, right twice to Posters, A opens browse */
	pad(app, SDL_CONTROLLER_BUTTON_DPAD_RIGHT);
	pad(app, SDL_CONTROLLER_BUTTON_DPAD_RIGHT);
	pad(app, SDL_CONTROLLER_BUTTON_A);
	assert_string_equal(top_name(app), "browse");
	run_for(app, 50);
	shot(app, "4-browse-posters");
	/* the first card has a picture (not the panel colour everywhere) */
	SDL_Rect card = { 20, 100, 280, 150 };
	assert_true(share_of_colour(app, card, COLOR_PANEL, 3) < 0.8);

	/* 4. a mouse click on the first card opens the poster, fitted */
	click(app, 160, 180);
	assert_string_equal(top_name(app), "viewer");
	shot(app, "5-poster");
	SDL_Rect mid = { W / 2 - 100, H / 2 - 50, 200, 100 };
	assert_true(share_of_colour(app, mid, COLOR_BLACK, 2) < 0.5);

	/* 5. back (Escape) to the grid, back again to home */
	key(app, SDLK_ESCAPE);
	assert_string_equal(top_name(app), "browse");
	key(app, SDLK_ESCAPE);
	assert_string_equal(top_name(app), "home");

	/* 6. a video: home's Videos button (focus moved left) and its first card */
	key(app, SDLK_LEFT);
	key(app, SDLK_LEFT);
	key(app, SDLK_RETURN);
	assert_string_equal(top_name(app), "browse");
	key(app, SDLK_RETURN);
	assert_string_equal(top_name(app), "viewer");
	run_for(app, 1500);
	shot(app, "6-video");
	/* frames arrive: the video area is not all black */
	SDL_Rect video = { W / 4, H / 4, W / 2, H / 3 };
	assert_true(share_of_colour(app, video, COLOR_BLACK, 2) < 0.5);
	/* louder with the + key, quieter with the button under the finger */
	assert_true(fabs(app_volume(app) - 0.8) < 1e-9);
	key(app, SDLK_EQUALS);
	assert_true(fabs(app_volume(app) - 0.9) < 1e-9);
	key(app, SDLK_MINUS);
	key(app, SDLK_MINUS);
	assert_true(fabs(app_volume(app) - 0.7) < 1e-9);
	/* playing keeps the visitor's session alive past the idle time */
	app_advance_clock(app, 31 * 1000);
	run_for(app, 50);
	assert_string_equal(top_name(app), "viewer");
	/* a tap near the end of the progress bar jumps there; the film
	 * ends and the viewer goes back to the grid by itself */
	SDL_Rect bar;
	assert_true(scene_viewer_track(app_top(app), &bar));
	tap_touch(app, bar.x + bar.w * 97 / 100, bar.y + bar.h / 2);
	int64_t until = time_mono_ms() + 3000;
	while (strcmp(top_name(app), "viewer") == 0 && time_mono_ms() < until)
		run_for(app, 50);
	assert_string_equal(top_name(app), "browse");

	/* 7. nobody touches: back to the attract loop in Vietnamese */
	app_advance_clock(app, 29 * 1000);
	run_for(app, 50);
	assert_string_equal(top_name(app), "browse");
	app_advance_clock(app, 2 * 1000);
	run_for(app, 50);
	assert_string_equal(top_name(app), "attract");
	assert_string_equal(app_lang(app), "vi");
	assert_string_equal(app_session_id(app), "");
	/* the next visitor starts at the configured volume */
	assert_true(fabs(app_volume(app) - 0.8) < 1e-9);
	shot(app, "7-after-idle");

	/* 8. the log: one session ended by idle, two views, one switch */
	assert_true(store_flush(app_store(app)));
	char *dbpath = path_join(f->data, "kiosk-log.sqlite");
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(count(db, "SELECT count(*) FROM sessions"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM sessions WHERE end_reason = 'idle'"
			       " AND kiosk_id = 'test-kiosk' AND site = 'Buôn Ma Thuột'"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM views"), 2);
	assert_int_equal(count(db, "SELECT count(*) FROM views v JOIN sessions s"
			       " ON v.session_uuid = s.uuid"), 2);
	assert_int_equal(count(db, "SELECT count(*) FROM views WHERE seconds > 0"), 2);
	/* the video was played to its end after the jump: completed */
	assert_int_equal(count(db, "SELECT count(*) FROM views WHERE seconds > 0.8"
			       " AND completed = 1"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM views WHERE completed = 0"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM lang_switches"
			       " WHERE from_lang = 'vi' AND to_lang = 'en'"), 1);
	assert_int_equal(count(db, "SELECT count(DISTINCT item_id) FROM views"), 2);
	/* for the yearly report: this run, still going, and the library on
	 * offer: every item in each language it has media in */
	assert_int_equal(count(db, "SELECT count(*) FROM runs WHERE ended IS NULL"
			       " AND kiosk_id = 'test-kiosk'"), 1);
	const struct catalog *cat = app_catalog(app);
	int64_t offered = 0;
	for (size_t i = 0; i < cat->n_items; i++) {
		const struct item *it = &cat->items[i];
		for (size_t m = 0; m < it->n_media; m++) {
			bool again = false;
			for (size_t k = 0; k < m; k++)
				again |= !strcmp(it->media[k].lang,
						 it->media[m].lang);
			offered += !again;
		}
	}
	assert_true(offered > 0);
	assert_int_equal(count(db, "SELECT count(*) FROM library"
			       " WHERE item_kind <> 'gallery'"), offered);
	assert_int_equal(count(db, "SELECT count(*) FROM library WHERE lang = 'vi'"
			       " AND lang_kind = 'national' AND title <> ''"),
			 count(db, "SELECT count(DISTINCT item_id) FROM library"
			       " WHERE lang = 'vi'"));
	sqlite3_close(db);

	/* 9. `kiosk report`'s CSV counts both views, by item and language */
	char *csvpath = path_join(f->data, "report.csv");
	FILE *csv = fopen(csvpath, "w+");
	assert_non_null(csv);
	const char *paths[1] = { dbpath };
	struct report_period all = { 0, 2932896 }; /* 1970-01-01 .. 9999-12-31 */
	assert_true(report_views_csv(paths, 1, &all, csv));
	fflush(csv);
	fclose(csv);
	char *text = file_read_all(csvpath, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "item,language,views,seconds,completed"));
	assert_non_null(strstr(text, ",en,1,"));
	free(text);
	free(csvpath);
	free(dbpath);
}

/* Every supported screen size, landscape and portrait, from 800x480 to
 * 3840x2160: the home screen draws with its focus ring on screen. */
static void test_screen_sizes(void **state)
{
	(void)state;
	static const int sizes[][2] = { { 800, 480 }, { 3840, 2160 }, { 1080, 1920 } };
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		struct kut k;
		kut_start(&k, NULL, sizes[s][0], sizes[s][1]);
		struct app *app = kut_app(&k);
		run_for(app, 30);
		key(app, SDLK_RETURN);   /* attract -> picker */
		key(app, SDLK_RETURN);   /* Vietnamese -> home */
		assert_string_equal(top_name(app), "home");
		SDL_Rect all = { 0, 0, sizes[s][0], sizes[s][1] };
		assert_true(any_pixel_of(app, all, COLOR_FOCUS, 2));
		char *name = xasprintf("shell-size-%dx%d.png", sizes[s][0], sizes[s][1]);
		save_screen(app, name);
		free(name);
		kut_stop(&k);
	}
}

/* Portrait and the smallest screen: every scene still draws and the
 * picker's buttons stay on screen. */
static void test_small_portrait(void **state)
{
	(void)state;
	struct kut k;
	kut_start(&k, NULL, 480, 800);
	struct app *app = kut_app(&k);
	int w, h;
	app_size(app, &w, &h);
	assert_int_equal(w, 480);
	assert_int_equal(h, 800);
	assert_true(app_portrait(app));
	run_for(app, 50);
	key(app, SDLK_RETURN);
	assert_string_equal(top_name(app), "langpick");
	char *p = test_build_path("shell-portrait-langpick.png");
	assert_true(app_screenshot(app, p));
	free(p);
	/* the last language button is inside the screen: focus it and look
	 * for the ring near the bottom */
	for (int i = 0; i < 10; i++)
		key(app, SDLK_DOWN);
	SDL_Rect lower = { 0, h / 2, w, h / 2 };
	bool ring = any_pixel_of(app, lower, COLOR_FOCUS, 2);
	assert_true(ring);
	key(app, SDLK_RETURN);
	assert_string_equal(top_name(app), "home");
	p = test_build_path("shell-portrait-home.png");
	assert_true(app_screenshot(app, p));
	free(p);
	kut_stop(&k);
}

/* Bad media never crash, hang or leave a blank screen: a zero-length and a
 * truncated video show a short message, then the visitor is back where
 * they were; the view is logged as not completed. An audio item without a
 * cover picture shows the file's embedded art. */
static void test_bad_media_and_cover_art(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *lib = path_join(dir, "lib");
	char *good = path_join(dir, "good.mp4");
	assert_int_equal(test_system("ffmpeg -v error -y -f lavfi -i testsrc2=s=320x180:r=25 "
				     "-t 3 -c:v libx264 -pix_fmt yuv420p '%s'", good), 0);
	static const char item_fmt[] =
		"{ \"id\": \"%s\", \"type\": \"%s\", \"title\": { \"vi\": \"%s\" },\n"
		"  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"%s\" } }\n";
	char *json = xasprintf(item_fmt, "a-empty", "video", "Tệp rỗng", "empty.mp4");
	free(test_write_file(lib, "a-empty/item.json", json));
	free(json);
	free(test_write_file(lib, "a-empty/empty.mp4", ""));
	json = xasprintf(item_fmt, "b-truncated", "video", "Tệp cụt", "cut.mp4");
	free(test_write_file(lib, "b-truncated/item.json", json));
	free(json);
	assert_int_equal(test_system("head -c 3000 '%s' > '%s/b-truncated/cut.mp4'", good, lib), 0);
	json = xasprintf(item_fmt, "c-radio", "audio", "Bản tin", "radio.m4a");
	free(test_write_file(lib, "c-radio/item.json", json));
	free(json);
	assert_int_equal(test_system("ffmpeg -v error -y -f lavfi -i sine -f lavfi -i color=c=0x00ff00:s=64x64 "
				     "-t 2 -map 0:a -map 1:v -frames:v 1 -c:a aac -c:v png "
				     "-disposition:v attached_pic '%s/c-radio/radio.m4a'", lib), 0);

	struct kut k;
	kut_start(&k, lib, W, H);
	struct app *app = kut_app(&k);
	run_for(app, 30);
	key(app, SDLK_RETURN);          /* picker */
	key(app, SDLK_RETURN);          /* Vietnamese: home */
	assert_string_equal(top_name(app), "home");
	const struct catalog *cat = app_catalog(app);
	assert_int_equal(cat->n_items, 3);

	static const char *const broken[] = { "a-empty", "b-truncated" };
	for (size_t i = 0; i < 2; i++) {
		app_push(app, scene_viewer_create(app, catalog_find(cat, broken[i])));
		run_for(app, 300);
		assert_string_equal(top_name(app), "viewer");
		/* a message, not a blank screen */
		SDL_Rect mid = { 0, H / 3, W, H / 3 };
		assert_true(any_pixel_of(app, mid, COLOR_TEXT, 10));
		char *name = xasprintf("shell-bad-media-%zu.png", i);
		char *p = test_build_path(name);
		assert_true(app_screenshot(app, p));
		free(p);
		free(name);
		/* a few seconds later the visitor is back on home */
		app_advance_clock(app, 5100);
		run_for(app, 50);
		assert_string_equal(top_name(app), "home");
	}

	/* the radio item: the embedded green cover fills part of the screen */
	app_push(app, scene_viewer_create(app, catalog_find(cat, "c-radio")));
	run_for(app, 200);
	assert_string_equal(top_name(app), "viewer");
	SDL_Rect centre = { W / 2 - 40, H / 3, 80, 80 };
	assert_true(share_of_colour(app, centre, (SDL_Color){ 0, 255, 0, 255 }, 30) > 0.5);
	key(app, SDLK_ESCAPE);
	assert_string_equal(top_name(app), "home");

	assert_true(store_flush(app_store(app)));
	char *dbpath = path_join(k.data, "kiosk-log.sqlite");
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(count(db, "SELECT count(*) FROM views WHERE completed = 0"
			       " AND item_id IN ('a-empty', 'b-truncated')"), 2);
	sqlite3_close(db);
	free(dbpath);
	kut_stop(&k);
	free(good);
	free(lib);
	test_rmtree(dir);
	free(dir);
}

/* The attract loop plays a video item (muted) full screen: two captures
 * half a second apart differ above the prompt band; on a poster they do
 * not (the loop is still, and costs nothing, between changes). */
static void test_attract_plays_video(void **state)
{
	(void)state;
	/* a library of its own: a poster, then a video that moves */
	char *dir = test_tmpdir();
	char *content = path_join(dir, "lib");
	static const char item_fmt[] =
		"{ \"id\": \"%s\", \"type\": \"%s\", \"title\": { \"vi\": \"%s\" },\n"
		"  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"%s\" } }\n";
	char *json = xasprintf(item_fmt, "a-poster", "poster", "Áp phích", "p.png");
	free(test_write_file(content, "a-poster/item.json", json));
	free(json);
	json = xasprintf(item_fmt, "b-video", "video", "Phim", "v.mp4");
	free(test_write_file(content, "b-video/item.json", json));
	free(json);
	assert_int_equal(test_system("ffmpeg -v error -y -f lavfi -i color=c=blue:s=320x480 "
				     "-frames:v 1 '%s/a-poster/p.png'", content), 0);
	assert_int_equal(test_system("ffmpeg -v error -y -f lavfi -i testsrc2=s=320x180:r=25 "
				     "-t 6 -c:v libx264 -pix_fmt yuv420p '%s/b-video/v.mp4'",
				     content), 0);
	struct kut k;
	kut_start(&k, content, 640, 360);
	k.cfg.attract_interval_s = 2;
	struct app *app = kut_app(&k);
	SDL_Rect upper = { 0, 0, 640, 200 };
	run_for(app, 300);
	size_t still_diff = pixels_changed(app, upper, 500, NULL);
	/* the second item is a video: after the interval it plays */
	run_for(app, 2000);
	size_t video_diff = pixels_changed(app, upper, 500, "shell-attract-video.png");
	print_message("  attract: %zu pixels changed on a still, %zu on a video\n",
		      still_diff, video_diff);
	assert_int_equal(still_diff, 0);
	assert_true(video_diff > 200);
	/* a touch stops the loop's video and starts a session */
	key(app, SDLK_RETURN);
	assert_string_equal(top_name(app), "langpick");
	kut_stop(&k);
	test_rmtree(dir);
	free(dir);
	free(content);
}

/* Subtitles beside a video in the visitor's language are shown over the
 * bottom of the picture, on by default, and the Subtitles button (reached
 * with the arrow keys) turns them off. */
static void test_subtitles_shown(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *lib = path_join(dir, "lib");
	free(test_write_file(lib, "subs/item.json",
		"{ \"id\": \"subs\", \"type\": \"video\", \"title\": { \"vi\": \"Phụ đề\" },\n"
		"  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"v.mp4\" } }\n"));
	assert_int_equal(test_system("ffmpeg -v error -y -f lavfi -i color=c=blue:s=320x180:r=25 "
				     "-t 8 -c:v libx264 -pix_fmt yuv420p '%s/subs/v.mp4'", lib), 0);
	free(test_write_file(lib, "subs/v.vi.srt",
		"1\n00:00:00,000 --> 00:00:08,000\nMọi người sinh ra đều được tự do và bình đẳng\n"));
	struct kut k;
	kut_start(&k, lib, W, H);
	struct app *app = kut_app(&k);
	run_for(app, 30);
	key(app, SDLK_RETURN);
	key(app, SDLK_RETURN);
	app_push(app, scene_viewer_create(app, catalog_find(app_catalog(app), "subs")));
	run_for(app, 600);
	assert_string_equal(top_name(app), "viewer");
	/* white text where the subtitle box sits, above the control bar */
	SDL_Rect band = { W / 6, H - H * 21 / 100 - H / 8, W * 2 / 3, H / 8 };
	char *p = test_build_path("shell-subtitles.png");
	assert_true(app_screenshot(app, p));
	free(p);
	assert_true(share_of_colour(app, band, COLOR_TEXT, 30) > 0.01);
	/* off with the Subtitles button: play, -10 s, +10 s, Subtitles (the
	 * progress bar is the row above) */
	for (int i = 0; i < 3; i++)
		key(app, SDLK_RIGHT);
	key(app, SDLK_RETURN);
	run_for(app, 100);
	assert_true(share_of_colour(app, band, COLOR_TEXT, 30) < 0.001);
	kut_stop(&k);
	free(lib);
	test_rmtree(dir);
	free(dir);
}

/* One file with a sound track and subtitles per language: a visitor who
 * chose Ê Đê hears the Ê Đê track and reads the Ê Đê subtitle above the
 * Vietnamese one (subtitle_lines 2); the Sound button switches the track
 * while playing. */
static void test_languages_in_one_file(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *lib = path_join(dir, "lib");
	free(test_write_file(lib, "multi/item.json",
		"{ \"id\": \"multi\", \"type\": \"video\", \"title\": { \"vi\": \"Nhiều tiếng\" },\n"
		"  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"v.mkv\" } }\n"));
	char *vi = test_write_file(dir, "vi.srt",
		"1\n00:00:00,000 --> 00:00:09,000\nQuyền được học tập\n");
	char *rad = test_write_file(dir, "rad.srt",
		"1\n00:00:00,000 --> 00:00:09,000\nÊđê\n");
	assert_int_equal(test_system(
		"ffmpeg -nostdin -v error -y -f lavfi -i color=c=blue:s=320x180:r=25:d=8 "
		"-f lavfi -i anullsrc=r=48000:cl=stereo:d=8 "
		"-f lavfi -i sine=frequency=1000:sample_rate=48000:duration=8 "
		"-i '%s' -i '%s' -map 0:v -map 1:a -map 2:a -map 3 -map 4 "
		"-c:v libx264 -pix_fmt yuv420p -c:a aac -c:s srt "
		"-metadata:s:a:0 language=vie -metadata:s:a:1 language=rad "
		"-metadata:s:s:0 language=vie -metadata:s:s:1 language=rad "
		"'%s/multi/v.mkv'", vi, rad, lib), 0);
	free(vi);
	free(rad);
	struct kut k;
	kut_start(&k, lib, W, H);
	struct app *app = kut_app(&k);
	run_for(app, 30);
	app_set_lang(app, "rad");
	app_push(app, scene_viewer_create(app, catalog_find(app_catalog(app), "multi")));
	run_for(app, 800);
	assert_string_equal(top_name(app), "viewer");
	struct movie *m = scene_viewer_movie(app_top(app));
	assert_non_null(m);
	assert_string_equal(movie_audio_track_lang(m, movie_audio_track(m)), "rad");
	const char *cue = scene_viewer_cue(app_top(app));
	print_message("  cue: %s\n", cue);
	assert_string_equal(cue, "Êđê\x1fQuyền được học tập");
	char *p = test_build_path("shell-two-subtitle-lines.png");
	assert_true(app_screenshot(app, p));
	free(p);
	/* the Sound button: play, -10 s, +10 s, Sound */
	for (int i = 0; i < 3; i++)
		key(app, SDLK_RIGHT);
	key(app, SDLK_RETURN);
	run_for(app, 300);
	assert_string_equal(movie_audio_track_lang(m, movie_audio_track(m)), "vie");
	assert_false(movie_failed(m, NULL, 0));
	kut_stop(&k);
	free(lib);
	test_rmtree(dir);
	free(dir);
}

/* The Vietnamese file of test_language_files is blue, the Ê Đê one green:
 * which one plays is seen in the middle of the screen. */
static const SDL_Color BLUE = { 0, 0, 255, 255 }, GREEN = { 0, 128, 0, 255 };

static bool playing_colour(struct app *app, SDL_Color c)
{
	double share = share_of_colour(app, (SDL_Rect){ W / 2 - 40, H / 2 - 40, 80, 80 },
				       c, 40);
	print_message("  middle of the screen: %.0f %% (%d,%d,%d)\n", share * 100,
		      c.r, c.g, c.b);
	return share > 0.5;
}

/* One file per language: the visitor's language plays; the Sound button
 * goes on in the other language's file from the same moment; a file that
 * cannot be played is not offered again and the current one plays on. */
static void test_language_files(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *lib = path_join(dir, "lib");
	free(test_write_file(lib, "two/item.json",
		"{ \"id\": \"two\", \"type\": \"video\", \"title\": { \"vi\": \"Hai tiếng\" },\n"
		"  \"topics\": [ \"udhr\" ],\n"
		"  \"media\": { \"vi\": \"v.vi.mp4\", \"rad\": \"v.rad.mp4\", \"en\": \"v.en.mp4\" } }\n"));
	for (int i = 0; i < 2; i++)
		assert_int_equal(test_system(
			"ffmpeg -nostdin -v error -y -f lavfi -i color=c=%s:s=320x180:r=25:d=8 "
			"-f lavfi -i sine=frequency=%d:duration=8 -c:v libx264 -pix_fmt yuv420p "
			"-c:a aac '%s/two/v.%s.mp4'", i ? "green" : "blue", i ? 880 : 440,
			lib, i ? "rad" : "vi"), 0);
	/* the English file is broken */
	free(test_write_file(lib, "two/v.en.mp4", "not a video"));
	struct kut k;
	kut_start(&k, lib, W, H);
	struct app *app = kut_app(&k);
	run_for(app, 30);
	app_set_lang(app, "rad");
	app_push(app, scene_viewer_create(app, catalog_find(app_catalog(app), "two")));
	run_for(app, 1500);
	struct movie *m = scene_viewer_movie(app_top(app));
	assert_non_null(m);
	assert_true(movie_has_audio(m));
	assert_true(playing_colour(app, GREEN));
	/* Sound steps through the item's languages in its order (vi, rad,
	 * en): from Ê Đê to English, whose file cannot be played: Ê Đê
	 * plays on, opened again where it was (with sound), and English is
	 * offered no more */
	for (int i = 0; i < 3; i++)
		key(app, SDLK_RIGHT);
	double at = movie_position_s(m);
	key(app, SDLK_RETURN);
	run_for(app, 300);
	m = scene_viewer_movie(app_top(app));
	assert_non_null(m);
	assert_string_equal(top_name(app), "viewer");
	assert_false(movie_failed(m, NULL, 0));
	assert_true(movie_has_audio(m));
	double back_at = movie_position_s(m);
	print_message("  English refused at %.2f s, Ê Đê on at %.2f s\n", at, back_at);
	assert_true(back_at > at - 0.3 && back_at < at + 1.5);
	assert_true(playing_colour(app, GREEN));
	/* then Vietnamese, from the same moment */
	double before = movie_position_s(m);
	key(app, SDLK_RETURN);
	run_for(app, 300);
	struct movie *m2 = scene_viewer_movie(app_top(app));
	assert_non_null(m2);
	assert_true(playing_colour(app, BLUE));
	double after = movie_position_s(m2);
	print_message("  switched files at %.2f s, playing on at %.2f s\n", before, after);
	assert_true(after > before - 0.3 && after < before + 1.5);
	assert_false(movie_failed(m2, NULL, 0));
	/* with sound: SDL's dummy audio driver opens once only, like ALSA's
	 * hw: devices, so the old file must let the device go first */
	assert_true(movie_has_audio(m2));
	/* and once more back to Ê Đê */
	key(app, SDLK_RETURN);
	run_for(app, 300);
	assert_true(playing_colour(app, GREEN));
	assert_false(movie_failed(scene_viewer_movie(app_top(app)), NULL, 0));
	assert_true(movie_has_audio(scene_viewer_movie(app_top(app))));
	kut_stop(&k);
	free(lib);
	test_rmtree(dir);
	free(dir);
}

static void finger(Uint32 type, SDL_FingerID id, int x, int y)
{
	SDL_Event e = { 0 };
	e.type = type;
	e.tfinger.fingerId = id;
	e.tfinger.x = (float)x / W;
	e.tfinger.y = (float)y / H;
	push(&e);
}

/* A big poster opens decoded at the screen's size, zooms with a double
 * tap, a pinch and the + key, is decoded sharper in the background when
 * zoomed, pans with a drag and the arrow keys, and a picture declaring
 * too many pixels shows the visitor a message. */
static void test_poster_zoom(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *lib = path_join(dir, "lib");
	static const char item_fmt[] =
		"{ \"id\": \"%s\", \"type\": \"poster\", \"title\": { \"vi\": \"Áp phích\" },\n"
		"  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"%s\" } }\n";
	char *json = xasprintf(item_fmt, "big", "p.jpg");
	free(test_write_file(lib, "big/item.json", json));
	free(json);
	assert_int_equal(test_system("ffmpeg -nostdin -v error -y -f lavfi "
				     "-i testsrc2=s=4000x3000 -frames:v 1 -q:v 3 '%s/big/p.jpg'",
				     lib), 0);
	struct kut k;
	kut_start(&k, lib, W, H);
	struct app *app = kut_app(&k);
	run_for(app, 30);
	app_push(app, scene_viewer_create(app, catalog_find(app_catalog(app), "big")));
	run_for(app, 100);
	struct picview *pv = scene_viewer_picview(app_top(app));
	assert_non_null(pv);
	int dw, dh;
	picview_decoded_size(pv, &dw, &dh);
	print_message("  poster 4000x3000 decoded at %dx%d for a %dx%d screen\n", dw, dh, W, H);
	assert_true(dw <= W && dh <= H);
	assert_true(picview_zoom(pv) == 1.0);

	/* double tap in the middle */
	tap_touch(app, W / 2, H / 2);
	tap_touch(app, W / 2, H / 2);
	assert_true(fabs(picview_zoom(pv) - 2.5) < 1e-6);
	run_for(app, 2000);
	int dw2, dh2;
	picview_decoded_size(pv, &dw2, &dh2);
	print_message("  zoomed 2.5x: decoded again at %dx%d\n", dw2, dh2);
	assert_true(dw2 > dw * 2);
	shot(app, "poster-zoomed");

	/* a drag moves the picture under the finger */
	struct zoomview *zv = picview_zoomview(pv);
	double cx = zv->cx;
	SDL_Event e = { 0 };
	e.type = SDL_MOUSEBUTTONDOWN;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.x = W / 2;
	e.button.y = H / 2;
	push(&e);
	for (int i = 1; i <= 5; i++) {
		SDL_Event m = { 0 };
		m.type = SDL_MOUSEMOTION;
		m.motion.x = W / 2 + i * 20;
		m.motion.y = H / 2;
		push(&m);
		run_for(app, 10);
	}
	e.type = SDL_MOUSEBUTTONUP;
	e.button.x = W / 2 + 100;
	push(&e);
	run_for(app, 30);
	print_message("  drag 100 px right: centre %.0f -> %.0f\n", cx, zv->cx);
	assert_true(zv->cx < cx - 100 / zoomview_scale(zv) + 1);
	run_for(app, 1000);     /* the fling runs out */

	/* zoom back to fit with the - key, then pinch out: fingers 100 px
	 * apart move to 200 px apart */
	for (int i = 0; i < 10; i++)
		key(app, SDLK_MINUS);
	assert_true(fabs(picview_zoom(pv) - 1.0) < 1e-6);
	finger(SDL_FINGERDOWN, 1, W / 2 - 50, H / 2);
	finger(SDL_FINGERDOWN, 2, W / 2 + 50, H / 2);
	run_for(app, 20);
	for (int i = 1; i <= 10; i++) {
		finger(SDL_FINGERMOTION, 2, W / 2 + 50 + i * 10, H / 2);
		run_for(app, 10);
	}
	finger(SDL_FINGERUP, 2, W / 2 + 150, H / 2);
	finger(SDL_FINGERUP, 1, W / 2 - 50, H / 2);
	run_for(app, 30);
	print_message("  pinch 100 -> 200 px: zoom %.2f\n", picview_zoom(pv));
	assert_true(fabs(picview_zoom(pv) - 2.0) < 0.05);
	assert_string_equal(top_name(app), "viewer");   /* no tap went through */

	/* a gamepad's Y zooms in and X out */
	double zb = picview_zoom(pv);
	pad(app, SDL_CONTROLLER_BUTTON_Y);
	assert_true(picview_zoom(pv) > zb * 1.2);
	pad(app, SDL_CONTROLLER_BUTTON_X);
	assert_true(fabs(picview_zoom(pv) - zb) < 0.01);
	/* + zooms in, arrows pan once zoomed */
	key(app, SDLK_PLUS);
	assert_true(fabs(picview_zoom(pv) - 2.5) < 0.07);
	double before = zv->cx;
	key(app, SDLK_RIGHT);
	assert_true(zv->cx > before);
	kut_stop(&k);

	/* a picture declaring 100000x100000 pixels: refused with a message */
	static const uint8_t bomb[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
		0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 8, 6, 0, 0, 0, 1, 2, 3, 4,
	};
	json = xasprintf(item_fmt, "bomb", "b.png");
	free(test_write_file(lib, "bomb/item.json", json));
	free(json);
	char *bp = path_join(lib, "bomb/b.png");
	FILE *fp = fopen(bp, "wb");
	fwrite(bomb, 1, sizeof bomb, fp);
	fclose(fp);
	free(bp);
	kut_start(&k, lib, W, H);
	app = kut_app(&k);
	run_for(app, 30);
	const struct item *it = catalog_find(app_catalog(app), "bomb");
	if (it) {   /* kiosk check may leave the broken item out of the library */
		app_push(app, scene_viewer_create(app, it));
		run_for(app, 100);
		assert_null(scene_viewer_picview(app_top(app)));
		shot(app, "poster-refused");
	}
	kut_stop(&k);
	free(lib);
	test_rmtree(dir);
	free(dir);
}

/* A photo exhibition: the caption in the visitor's language (English,
 * falling back to Vietnamese where a picture has no English caption),
 * Page Down and a swipe bring the next picture, Page Up the previous,
 * nothing past either end, a broken photo does not end the exhibition,
 * and the log records how far the visitor went. */
static void test_gallery(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *lib = path_join(dir, "lib");
	free(test_write_file(lib, "g/item.json",
		"{ \"id\": \"g\", \"type\": \"gallery\", \"title\": { \"vi\": \"Triển lãm\" },\n"
		"  \"topics\": [ \"udhr\" ], \"pictures\": [\n"
		"    { \"file\": \"1.jpg\", \"caption\": { \"vi\": \"Một\", \"en\": \"One\" } },\n"
		"    { \"file\": \"2.png\", \"caption\": { \"vi\": \"Hai\" } },\n"
		"    { \"file\": \"3.jpg\" },\n"
		"    { \"file\": \"4.jpg\", \"caption\": { \"en\": \"Four\" } } ] }\n"));
	assert_int_equal(test_system(
		"cd '%s/g' && ffmpeg -nostdin -v error -y -f lavfi -i color=c=red:s=800x600 "
		"-frames:v 1 1.jpg && ffmpeg -nostdin -v error -y -f lavfi "
		"-i color=c=green:s=600x800 -frames:v 1 2.png && "
		"ffmpeg -nostdin -v error -y -f lavfi -i color=c=blue:s=800x600 "
		"-frames:v 1 4.jpg && echo not a picture > 3.jpg", lib), 0);
	struct kut k;
	kut_start(&k, lib, W, H);
	struct app *app = kut_app(&k);
	run_for(app, 30);
	const struct item *it = catalog_find(app_catalog(app), "g");
	assert_non_null(it);
	assert_int_equal(it->type, ITEM_GALLERY);
	assert_int_equal(it->n_pictures, 4);
	app_set_lang(app, "en");
	app_push(app, scene_viewer_create(app, it));
	run_for(app, 200);
	struct scene *sc = app_top(app);
	assert_int_equal(scene_viewer_picture(sc), 0);
	SDL_Rect pic = { W / 2 - 50, H / 3, 100, H / 5 };  /* inside any of them */
	assert_true(share_of_colour(app, pic, (SDL_Color){ 255, 0, 0, 255 }, 40) > 0.9);
	shot(app, "gallery-1");
	key(app, SDLK_PAGEUP);          /* nothing before the first */
	assert_int_equal(scene_viewer_picture(sc), 0);
	key(app, SDLK_PAGEDOWN);
	run_for(app, 100);
	assert_int_equal(scene_viewer_picture(sc), 1);
	assert_true(share_of_colour(app, pic, (SDL_Color){ 0, 128, 0, 255 }, 40) > 0.9);
	shot(app, "gallery-2");
	/* a swipe to the left: the next picture (a broken one: the
	 * exhibition goes on) */
	swipe_left(app, W, H);
	run_for(app, 70);
	assert_int_equal(scene_viewer_picture(sc), 2);
	assert_null(scene_viewer_picview(sc));
	assert_string_equal(top_name(app), "viewer");
	key(app, SDLK_PAGEDOWN);
	run_for(app, 100);
	assert_int_equal(scene_viewer_picture(sc), 3);
	key(app, SDLK_PAGEDOWN);        /* nothing after the last */
	assert_int_equal(scene_viewer_picture(sc), 3);
	shot(app, "gallery-4");
	key(app, SDLK_ESCAPE);
	run_for(app, 50);
	sqlite3 *db = kut_stop_open_log(&k);
	assert_int_equal(count(db, "SELECT parts_seen FROM views WHERE item_id = 'g'"), 4);
	assert_int_equal(count(db, "SELECT parts_total FROM views WHERE item_id = 'g'"), 4);
	assert_int_equal(count(db, "SELECT completed FROM views WHERE item_id = 'g'"), 1);
	kut_close_log(&k, db);
	free(lib);
	test_rmtree(dir);
	free(dir);
}

/* Grey levels (0..255) of a row of pixels on screen. */
static void read_row(struct app *app, int x, int y, int n, int *grey)
{
	uint32_t px[64];
	SDL_Rect r = { x, y, n, 1 };
	assert_true(n <= 64);
	assert_int_equal(SDL_RenderReadPixels(app_renderer(app), &r,
					      SDL_PIXELFORMAT_RGB888, px, n * 4), 0);
	for (int i = 0; i < n; i++)
		grey[i] = (int)(((px[i] >> 16) & 0xff) + ((px[i] >> 8) & 0xff) +
				(px[i] & 0xff)) / 3;
}

/* A PDF leaflet: the first page fitted, Page Down turns (the next page
 * was drawn ahead), zooming in draws the visible region again so edges
 * stay sharp, a damaged PDF shows a message, and the log has the pages
 * seen. */
static void test_pdf_leaflet(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *lib = path_join(dir, "lib");
	static const char item_fmt[] =
		"{ \"id\": \"%s\", \"type\": \"leaflet\", \"title\": { \"vi\": \"Tờ rơi\" },\n"
		"  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"%s\" } }\n";
	char *json = xasprintf(item_fmt, "pdf", "leaflet.pdf");
	free(test_write_file(lib, "pdf/item.json", json));
	free(json);
	char *pdfp = path_join(lib, "pdf/leaflet.pdf");
	char why[256];
	assert_true(test_write_pdf(pdfp, 20, NULL, why, sizeof why));
	json = xasprintf(item_fmt, "bad", "bad.pdf");
	free(test_write_file(lib, "bad/item.json", json));
	free(json);
	free(test_write_file(lib, "bad/bad.pdf", "%PDF-1.4\nnot really\n"));
	struct kut k;
	kut_start(&k, lib, W, H);
	struct app *app = kut_app(&k);
	run_for(app, 30);
	int64_t t0 = time_mono_ms();
	app_push(app, scene_viewer_create(app, catalog_find(app_catalog(app), "pdf")));
	run_for(app, 10);
	print_message("  PDF leaflet: first page on screen in %lld ms\n",
		      (long long)(time_mono_ms() - t0));
	struct scene *sc = app_top(app);
	assert_non_null(scene_viewer_picview(sc));
	assert_int_equal(scene_viewer_picture(sc), 0);
	shot(app, "pdf-page-1");
	run_for(app, 300);              /* page 2 is drawn ahead meanwhile */
	shot(app, "pdf-strip");
	/* the page strip: the small page right of the framed first one is
	 * page 2 (cells are 0.8 x (18 - 10) units + 2 units wide) */
	int u = app_unit(app);
	int cell = (18 * u - 10 * u) * 8 / 10 + 2 * u;
	int strip_w = (W - 2 * (22 * u) - 3 * u - 3 * u) / cell;
	if (strip_w > 9)
		strip_w = 9;
	int left = W / 2 - strip_w * cell / 2;
	click(app, left + cell + cell / 2, H - 18 * u + u + 4 * u);
	run_for(app, 50);
	assert_int_equal(scene_viewer_picture(sc), 1);
	key(app, SDLK_PAGEUP);
	assert_int_equal(scene_viewer_picture(sc), 0);
	run_for(app, 300);
	t0 = time_mono_ms();
	key(app, SDLK_PAGEDOWN);
	print_message("  page turn in %lld ms (with 30 ms of the test's own wait)\n",
		      (long long)(time_mono_ms() - t0));
	assert_int_equal(scene_viewer_picture(sc), 1);

	/* zoom in on the first square (30..70 x 100..140 pt) */
	struct picview *pv = scene_viewer_picview(sc);
	struct zoomview *zv = picview_zoomview(pv);
	SDL_FRect d = zoomview_dest(zv);
	double s0 = zoomview_scale(zv);
	zoomview_zoom_at(zv, 6.0, d.x + 50 * s0, d.y + 120 * s0);
	key(app, SDLK_PLUS);            /* and one step by key: draws the region */
	run_for(app, 600);
	d = zoomview_dest(zv);
	double s = zoomview_scale(zv);
	int ex = (int)lround(d.x + 30 * s), ey = (int)lround(d.y + 120 * s);
	print_message("  zoom %.1f (%.1f px per pt): left edge of the square at %d,%d\n",
		      zv->zoom, s, ex, ey);
	assert_true(ex > 10 && ex < W - 10 && ey > 100 && ey < H - 150);
	int grey[24];
	read_row(app, ex - 12, ey, 24, grey);
	int blur = 0;
	for (int i = 0; i < 24; i++)
		blur += grey[i] > 40 && grey[i] < 215;
	print_message("  grey pixels across the edge: %d\n", blur);
	assert_true(grey[0] > 215 && grey[23] < 40);    /* white outside, black in */
	assert_true(blur <= 2);                          /* sharp, not blown up */
	shot(app, "pdf-zoomed");
	key(app, SDLK_ESCAPE);
	run_for(app, 30);

	/* the damaged one: a message for the visitor, the kiosk goes on */
	const struct item *bad = catalog_find(app_catalog(app), "bad");
	if (bad) {
		app_push(app, scene_viewer_create(app, bad));
		run_for(app, 50);
		assert_null(scene_viewer_picview(app_top(app)));
		assert_string_equal(top_name(app), "viewer");
	}
	sqlite3 *db = kut_stop_open_log(&k);
	assert_int_equal(count(db, "SELECT parts_seen FROM views WHERE item_id = 'pdf'"), 2);
	assert_int_equal(count(db, "SELECT parts_total FROM views WHERE item_id = 'pdf'"), 20);
	kut_close_log(&k, db);
	free(pdfp);
	free(lib);
	test_rmtree(dir);
	free(dir);
}

/* Grid thumbnails come from the disk cache, made in the background: a
 * video's frame at 10 %, shown once ready, and still there (from the
 * cache, without a new one made) for the next kiosk run. */
static void test_thumbnail_cache(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *lib = path_join(dir, "lib");
	free(test_write_file(lib, "v/item.json",
		"{ \"id\": \"v\", \"type\": \"video\", \"title\": { \"vi\": \"Phim\" },\n"
		"  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"v.mp4\" } }\n"));
	assert_int_equal(test_system("ffmpeg -nostdin -v error -y -f lavfi "
				     "-i color=c=yellow:s=320x180:r=25:d=4 -c:v libx264 "
				     "-pix_fmt yuv420p '%s/v/v.mp4'", lib), 0);
	struct kut k;
	kut_start(&k, lib, W, H);
	struct app *app = kut_app(&k);
	const struct item *it = catalog_find(app_catalog(app), "v");
	assert_non_null(it);
	SDL_Texture *tex = app_thumbnail(app, it);
	int64_t end = time_mono_ms() + 10000;
	while (!tex && time_mono_ms() < end) {
		run_for(app, 50);
		tex = app_thumbnail(app, it);
	}
	assert_non_null(tex);
	int tw, th;
	SDL_QueryTexture(tex, NULL, NULL, &tw, &th);
	assert_int_equal(tw, 320);      /* the video's size: never scaled up */
	assert_int_equal(th, 180);
	app_destroy(k.app);
	/* the next run finds it at once */
	k.app = NULL;
	app = kut_app(&k);
	it = catalog_find(app_catalog(app), "v");
	assert_non_null(app_thumbnail(app, it));
	kut_stop(&k);
	free(lib);
	test_rmtree(dir);
	free(dir);
}

/* A text leaflet: laid out in the kiosk's shaped text, scrolled with
 * Page Down and a drag, the "Larger text" setting lays it out bigger at
 * the same place, and the log has how much of it was on screen. */
static void test_text_leaflet(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *lib = path_join(dir, "lib");
	free(test_write_file(lib, "t/item.json",
		"{ \"id\": \"t\", \"type\": \"leaflet\", \"title\": { \"vi\": \"Tờ rơi chữ\" },\n"
		"  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"to-roi.vi.md\" } }\n"));
	char *body = xstrdup("# Quyền con người\n\n## Êđê\n\nChữ cái: ă â ĕ ê ĭ ô ơ ŏ ŭ ư ƀ đ\n\n");
	for (int i = 1; i <= 40; i++) {
		char *more = xasprintf("%s%d. Mọi người sinh ra đều được **tự do** và "
				       "*bình đẳng* về nhân phẩm và quyền.\n", body, i);
		free(body);
		body = more;
	}
	free(test_write_file(lib, "t/to-roi.vi.md", body));
	free(body);
	struct kut k;
	kut_start(&k, lib, W, H);
	struct app *app = kut_app(&k);
	run_for(app, 30);
	app_push(app, scene_viewer_create(app, catalog_find(app_catalog(app), "t")));
	run_for(app, 100);
	struct scene *sc = app_top(app);
	int scroll, height;
	bool large;
	assert_true(scene_viewer_text_state(sc, &scroll, &height, &large));
	assert_int_equal(scroll, 0);
	assert_false(large);
	assert_true(height > H);
	shot(app, "text-leaflet");
	key(app, SDLK_PAGEDOWN);
	int s1;
	scene_viewer_text_state(sc, &s1, &height, &large);
	assert_true(s1 > H / 3);
	/* drag up by 100 px: 100 px further */
	SDL_Event e = { 0 };
	e.type = SDL_MOUSEBUTTONDOWN;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.x = W / 2;
	e.button.y = H / 2;
	push(&e);
	run_for(app, 200);
	SDL_Event m = { 0 };
	m.type = SDL_MOUSEMOTION;
	m.motion.x = W / 2;
	m.motion.y = H / 2 - 100;
	push(&m);
	run_for(app, 200);
	e.type = SDL_MOUSEBUTTONUP;
	e.button.y = H / 2 - 100;
	push(&e);
	run_for(app, 50);
	int s2;
	scene_viewer_text_state(sc, &s2, &height, &large);
	assert_int_equal(s2, s1 + 100);
	/* Larger text, the band's button at the right */
	int h1 = height;
	int u = app_unit(app);
	click(app, W - 17 * u, H - 7 * u);
	run_for(app, 50);
	scene_viewer_text_state(sc, &s2, &height, &large);
	print_message("  text leaflet %d px high, %d px with larger text\n", h1, height);
	assert_true(large);
	assert_true(height > h1 * 12 / 10);
	shot(app, "text-leaflet-large");
	key(app, SDLK_ESCAPE);
	run_for(app, 30);
	sqlite3 *db = kut_stop_open_log(&k);
	int64_t pct = count(db, "SELECT parts_seen FROM views WHERE item_id = 't'");
	print_message("  read %lld %% of it\n", (long long)pct);
	assert_true(pct > 10 && pct < 100);
	assert_int_equal(count(db, "SELECT parts_total FROM views WHERE item_id = 't'"), 100);
	kut_close_log(&k, db);
	free(lib);
	test_rmtree(dir);
	free(dir);
}

/* Tap the on-screen key labelled label. */
static void tap_key(struct app *app, const char *label)
{
	SDL_Rect r;
	if (!keyboard_key_rect(scene_search_keyboard(app_top(app)), label, &r))
		fail_msg("no key \"%s\"", label);
	click(app, r.x + r.w / 2, r.y + r.h / 2);
}

/* Search with the on-screen keyboard: Telex on the keys ("quyeenf"
 * makes "quyền"), accents do not matter in matching, Backspace undoes a
 * key, a long press offers the minority letters, a result opens. */
static void test_search_keyboard(void **state)
{
	(void)state;
	struct kut k;
	kut_start(&k, NULL, W, H);
	struct app *app = kut_app(&k);
	run_for(app, 30);
	app_push(app, scene_search_create(app));
	run_for(app, 50);
	struct scene *sc = app_top(app);
	const char *keys[] = { "q", "u", "y", "e", "e", "n", "f" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		tap_key(app, keys[i]);
	assert_string_equal(scene_search_text(sc), "quyền");
	size_t found = scene_search_results(sc);
	print_message("  \"quyền\": %zu items\n", found);
	assert_true(found >= 2);
	shot(app, "search");
	tap_key(app, "BACK");           /* the tone key undone */
	assert_string_equal(scene_search_text(sc), "quyên");
	tap_key(app, "Telex");          /* to VNI */
	tap_key(app, "SPACE");
	assert_string_equal(scene_search_text(sc), "quyên ");
	/* a long press on e: the letters built on it */
	SDL_Rect r;
	assert_true(keyboard_key_rect(scene_search_keyboard(sc), "e", &r));
	SDL_Event e = { 0 };
	e.type = SDL_MOUSEBUTTONDOWN;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.x = r.x + r.w / 2;
	e.button.y = r.y + r.h / 2;
	push(&e);
	run_for(app, 700);
	e.type = SDL_MOUSEBUTTONUP;
	push(&e);
	run_for(app, 30);
	shot(app, "search-long-press");
	tap_key(app, "ĕ");
	assert_string_equal(scene_search_text(sc), "quyên ĕ");
	/* back to a word that finds items; OK goes to the first result */
	for (int i = 0; i < 3; i++)
		tap_key(app, "BACK");
	assert_string_equal(scene_search_text(sc), "quyê");
	assert_true(scene_search_results(sc) >= 1);
	tap_key(app, "OK");
	key(app, SDLK_RETURN);
	run_for(app, 100);
	assert_string_equal(top_name(app), "viewer");
	kut_stop(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_walkthrough, setup, teardown),
		cmocka_unit_test(test_small_portrait),
		cmocka_unit_test(test_screen_sizes),
		cmocka_unit_test(test_bad_media_and_cover_art),
		cmocka_unit_test(test_attract_plays_video),
		cmocka_unit_test(test_subtitles_shown),
		cmocka_unit_test(test_languages_in_one_file),
		cmocka_unit_test(test_language_files),
		cmocka_unit_test(test_poster_zoom),
		cmocka_unit_test(test_gallery),
		cmocka_unit_test(test_pdf_leaflet),
		cmocka_unit_test(test_thumbnail_cache),
		cmocka_unit_test(test_text_leaflet),
		cmocka_unit_test(test_search_keyboard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
