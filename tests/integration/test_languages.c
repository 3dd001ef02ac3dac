/*
 * test_languages: the kiosk in every language, headless: the spoken name
 * of a language when it is touched in the picker, switching language at
 * run time (every string of the screen changes, none shows a raw id),
 * per-string fallback to Vietnamese, and typing on a physical keyboard
 * through Telex into Search.
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
#include "i18n/strings.h"
#include "media/image.h"
#include "test_kiosk.h"
#include "test_support.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/keyboard.h"

#define W 1280
#define H 720

/* A copy of the shipped locales folder in a temporary directory, where
 * the test may change languages.json; removed by the caller. */
static char *locales_copy(void)
{
	char *dir = test_tmpdir();
	char *src = test_source_path("locales");
	assert_int_equal(test_system("cp '%s'/*.po '%s'/languages.json '%s'/", src, src,
				     dir), 0);
	free(src);
	return dir;
}

/* Add "prompt": rel to the entry of tag in dir/languages.json. */
static void give_prompt(const char *dir, const char *tag, const char *rel)
{
	assert_int_equal(test_system("sed -i 's|\"tag\": \"%s\",|\"tag\": \"%s\", \"prompt\": \"%s\",|' "
				     "'%s/languages.json'", tag, tag, rel, dir), 0);
}

/* The index of tag in the registry (the picker's order). */
static size_t lang_index(struct app *app, const char *tag)
{
	const struct lang_registry *reg = app_langs(app);
	for (size_t i = 0; i < reg->n_langs; i++)
		if (!strcmp(reg->langs[i].tag, tag))
			return i;
	fail_msg("no language %s", tag);
	return 0;
}

/* From the attract loop to the picker. */
static void to_picker(struct app *app)
{
	run_for(app, 30);
	click(app, W / 2, H / 2);
	assert_string_equal(top_name(app), "langpick");
}

static void touch_language(struct app *app, const char *tag)
{
	SDL_Rect r;
	assert_true(scene_langpick_button(app_top(app), lang_index(app, tag), &r));
	click(app, r.x + r.w / 2, r.y + r.h / 2);
}

/* Pixels of r in img that are far from the button's own colour, i.e. ink. */
static size_t ink_in(const struct image *img, SDL_Rect r)
{
	const uint8_t *bg = img->pixels + (size_t)(r.y + r.h / 2) * img->pitch +
			    (size_t)(r.x + 2) * 4;
	size_t n = 0;
	for (int y = r.y; y < r.y + r.h; y++)
		for (int x = r.x; x < r.x + r.w; x++) {
			const uint8_t *p = img->pixels + (size_t)y * img->pitch + (size_t)x * 4;
			n += abs(p[0] - bg[0]) + abs(p[1] - bg[1]) + abs(p[2] - bg[2]) > 90;
		}
	return n;
}

/* Touching a language with a recording says its name, and keeps saying it
 * while home comes up in that language; a language whose recording is
 * not sound is chosen all the same, in silence; one without a recording
 * has no speaker mark. */
static void test_spoken_names(void **state)
{
	(void)state;
	char *loc = locales_copy();
	char *prompts = path_join(loc, "prompts");
	assert_true(mkdir_parents(prompts));
	/* a two-second tone stands in for a recorded name */
	assert_int_equal(test_system("ffmpeg -v error -y -f lavfi -i sine=frequency=440:duration=2 "
				     "-ac 1 -ar 48000 '%s/rad.wav'", prompts), 0);
	free(test_write_file(prompts, "jra.ogg", "this is not sound\n"));
	give_prompt(loc, "rad", "prompts/rad.wav");
	give_prompt(loc, "jra", "prompts/jra.ogg");

	struct kut k;
	kut_start(&k, NULL, W, H);
	snprintf(k.cfg.locales_dir, sizeof k.cfg.locales_dir, "%s", loc);
	struct app *app = kut_app(&k);
	to_picker(app);

	/* the speaker mark: on rad's and jra's buttons, not on bdq's */
	struct image *img = app_capture(app);
	assert_non_null(img);
	int u = app_unit(app);
	size_t marks[3];
	const char *tags[3] = { "rad", "jra", "bdq" };
	for (int i = 0; i < 3; i++) {
		SDL_Rect b;
		assert_true(scene_langpick_button(app_top(app), lang_index(app, tags[i]), &b));
		SDL_Rect corner = { b.x + b.w - 5 * u, b.y, 5 * u, 5 * u };
		marks[i] = ink_in(img, corner);
	}
	image_destroy(img);
	print_message("  ink in the corner: rad %zu, jra %zu, bdq %zu\n", marks[0],
		      marks[1], marks[2]);
	assert_true(marks[0] > 20);
	assert_true(marks[1] > 20);
	assert_int_equal(marks[2], 0);
	save_screen(app, "languages-picker-prompts.png");

	touch_language(app, "rad");
	assert_string_equal(app_lang(app), "rad");
	assert_string_equal(top_name(app), "home");
	double pos = 0;
	const char *playing = app_prompt_playing(app, &pos);
	assert_non_null(playing);
	assert_non_null(strstr(playing, "prompts/rad.wav"));
	run_for(app, 400);
	assert_non_null(app_prompt_playing(app, &pos));
	print_message("  rad's name: %.2f s heard over home\n", pos);
	assert_true(pos > 0.1);

	/* back to the picker through the top bar; a broken recording */
	assert_true(topbar_action(app, TOPBAR_LANG));
	run_for(app, 30);
	assert_string_equal(top_name(app), "langpick");
	touch_language(app, "jra");
	assert_string_equal(app_lang(app), "jra");
	assert_null(app_prompt_playing(app, NULL));   /* rad's stopped too */

	/* the end of the visitor's session silences a prompt */
	assert_true(topbar_action(app, TOPBAR_LANG));
	run_for(app, 30);
	touch_language(app, "rad");
	assert_non_null(app_prompt_playing(app, NULL));
	app_end_session(app, "test");
	assert_null(app_prompt_playing(app, NULL));
	kut_stop(&k);
	free(prompts);
	test_rmtree(loc);
	free(loc);
}

/* Switching language at run time changes every string on the screen at
 * once: the same home screen in vi, en and rad (which falls back to
 * Vietnamese string by string) and back, with no restart. */
static void test_switch_at_run_time(void **state)
{
	(void)state;
	struct kut k;
	kut_start(&k, NULL, W, H);
	struct app *app = kut_app(&k);
	to_picker(app);
	touch_language(app, "en");
	assert_string_equal(top_name(app), "home");
	assert_string_equal(app_tr(app, "Search"), "Search");
	struct image *en = app_capture(app);

	app_set_lang(app, "vi");
	app_redraw(app);
	assert_string_equal(app_tr(app, "Search"), "Tìm kiếm");
	struct image *vi = app_capture(app);

	app_set_lang(app, "rad");
	app_redraw(app);
	const char *from = NULL;
	const char *t = app_tr_from(app, "rad", "Search", &from);
	assert_string_equal(t, "Tìm kiếm");     /* untranslated: Vietnamese */
	assert_string_equal(from, "vi");
	struct image *rad = app_capture(app);

	/* the screens: en differs from vi; rad looks like vi, since all its
	 * strings and items fall back to Vietnamese */
	size_t en_vi = 0, rad_vi = 0;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			size_t o = (size_t)y * vi->pitch + (size_t)x * 4;
			en_vi += memcmp(en->pixels + o, vi->pixels + o, 3) != 0;
			rad_vi += memcmp(rad->pixels + o, vi->pixels + o, 3) != 0;
		}
	print_message("  pixels changed: en vs vi %zu, rad vs vi %zu\n", en_vi, rad_vi);
	assert_true(en_vi > 5000);
	assert_int_equal(rad_vi, 0);
	image_destroy(en);
	image_destroy(vi);
	image_destroy(rad);

	/* every UI string in every language: never a raw message id unless
	 * the id is what Vietnamese says too */
	const struct lang_registry *reg = app_langs(app);
	static const char *const ids[] = { "Search", "Back", "Home", "Language",
					   "Choose your language", "Delete" };
	for (size_t i = 0; i < reg->n_langs; i++)
		for (size_t j = 0; j < ARRAY_LEN(ids); j++) {
			const char *got_from = NULL;
			const char *s = app_tr_from(app, reg->langs[i].tag, ids[j], &got_from);
			if (strcmp(reg->langs[i].tag, "en") != 0)
				assert_string_not_equal(got_from, "en");
			assert_true(s && *s);
		}
	kut_stop(&k);
}

/* A physical keyboard types into Search through Telex, Backspace erases,
 * Enter goes to the first result. */
static void test_physical_keyboard(void **state)
{
	(void)state;
	struct kut k;
	kut_start(&k, NULL, W, H);
	struct app *app = kut_app(&k);
	run_for(app, 30);
	app_push(app, scene_search_create(app));
	run_for(app, 30);
	struct scene *sc = app_top(app);
	type_text(app, "quyeenf");
	assert_string_equal(scene_search_text(sc), "quyền");
	assert_true(scene_search_results(sc) >= 2);
	/* the count, with the plural form of the language */
	char want[64], got[64];
	snprintf(want, sizeof want, "%zu kết quả", scene_search_found(sc));
	assert_string_equal(app_tr_count(app, "%d result", "%d results",
					 (long long)scene_search_found(sc), got, sizeof got),
			    want);
	app_set_lang(app, "en");
	assert_string_equal(app_tr_count(app, "%d result", "%d results", 1, got, sizeof got),
			    "1 result");
	assert_string_equal(app_tr_count(app, "%d result", "%d results", 1234, got,
					 sizeof got), "1,234 results");
	app_set_lang(app, "rad");   /* untranslated: Vietnamese, Vietnamese numbers */
	assert_string_equal(app_tr_count(app, "%d result", "%d results", 1234, got,
					 sizeof got), "1.234 kết quả");
	app_set_lang(app, "vi");
	type_text(app, " ");
	type_text(app, "giuwx");
	assert_string_equal(scene_search_text(sc), "quyền giữ");
	/* Backspace erases (it does not leave the scene) */
	key(app, SDLK_BACKSPACE);
	assert_string_equal(top_name(app), "search");
	assert_string_equal(scene_search_text(sc), "quyền giư");
	/* within a word Backspace takes back a key (u w made ư): g i u w,
	 * then the space */
	for (int i = 0; i < 5; i++)
		key(app, SDLK_BACKSPACE);
	assert_string_equal(scene_search_text(sc), "quyền");
	/* Space and letter keys are not taken as "activate" */
	key(app, SDLK_SPACE);
	key(app, SDLK_q);
	assert_string_equal(scene_search_text(sc), "quyền");
	/* what an input method sends (already Vietnamese) is taken as it is */
	type_text(app, " Đê");
	assert_string_equal(scene_search_text(sc), "quyền Đê");
	for (int i = 0; i < 3; i++)
		key(app, SDLK_BACKSPACE);
	/* invalid UTF-8 from a broken driver is dropped */
	SDL_Event e = { 0 };
	e.type = SDL_TEXTINPUT;
	memcpy(e.text.text, "\xC3\x28", 3);
	push(&e);
	run_for(app, 30);
	assert_string_equal(scene_search_text(sc), "quyền");
	/* Enter: the first result opens */
	key(app, SDLK_RETURN);
	key(app, SDLK_RETURN);
	run_for(app, 100);
	assert_string_equal(top_name(app), "viewer");
	/* outside Search, letters do nothing and Backspace goes back */
	type_text(app, "x");
	key(app, SDLK_BACKSPACE);
	assert_string_equal(top_name(app), "search");
	kut_stop(&k);
}

/* The on-screen keyboard fits portrait and landscape screens: every key
 * on screen, none overlapping, each big enough for a finger. */
static void test_keyboard_layouts(void **state)
{
	(void)state;
	static const int sizes[][2] = { { 800, 480 }, { 1280, 720 }, { 480, 800 },
					{ 1080, 1920 } };
	static const char *const labels[] = {
		"1", "0", "q", "p", "a", "l", "z", "m", "SHIFT", "BACK", "Telex",
		"SPACE", "OK",
	};
	for (size_t s = 0; s < ARRAY_LEN(sizes); s++) {
		int w = sizes[s][0], h = sizes[s][1];
		struct kut k;
		kut_start(&k, NULL, w, h);
		struct app *app = kut_app(&k);
		run_for(app, 30);
		app_push(app, scene_search_create(app));
		run_for(app, 30);
		struct keyboard *kb = scene_search_keyboard(app_top(app));
		SDL_Rect r[ARRAY_LEN(labels)];
		int min_side = w < h ? w : h;
		for (size_t i = 0; i < ARRAY_LEN(labels); i++) {
			if (!keyboard_key_rect(kb, labels[i], &r[i]))
				fail_msg("%dx%d: no key %s", w, h, labels[i]);
			assert_true(r[i].x >= 0 && r[i].y >= 0);
			assert_true(r[i].x + r[i].w <= w && r[i].y + r[i].h <= h);
			/* a finger: at least 1/16 of the short side tall, 1/14
			 * of the width wide (7 mm on a 10" screen) */
			assert_true(r[i].h * 16 >= min_side);
			assert_true(r[i].w * 14 >= w);
			for (size_t j = 0; j < i; j++)
				assert_false(SDL_HasIntersection(&r[i], &r[j]));
		}
		print_message("  %dx%d: keys %dx%d px\n", w, h, r[2].w, r[2].h);
		char *name = xasprintf("languages-keyboard-%dx%d.png", w, h);
		save_screen(app, name);
		free(name);
		kut_stop(&k);
	}
}

/* Reviewed screenshots, compared by pixels: the picker (as a Vietnamese
 * and as an English visitor sees its heading) and the text leaflet on
 * how the languages are written, as a visitor of each minority language
 * sees it: Êđê, Jrai and Hmong Daw get their own letters; the others the
 * Vietnamese leaflet marked "not yet translated", in a Vietnamese frame. */
static void test_golden_screens(void **state)
{
	(void)state;
	struct kut k;
	kut_start(&k, NULL, 800, 480);
	struct app *app = kut_app(&k);
	to_picker(app);
	struct image *img = app_capture(app);
	test_golden_check(img, "picker-vi.png", true);
	image_destroy(img);
	touch_language(app, "en");
	assert_true(topbar_action(app, TOPBAR_LANG));
	run_for(app, 30);
	img = app_capture(app);
	test_golden_check(img, "picker-en.png", true);
	image_destroy(img);

	const struct item *leaflet = catalog_find(app_catalog(app), "writing-systems");
	assert_non_null(leaflet);
	const struct lang_registry *reg = app_langs(app);
	for (size_t i = 0; i < reg->n_langs; i++) {
		const struct lang *l = &reg->langs[i];
		if (l->kind != LANG_MINORITY)
			continue;
		app_pop_to_root(app);    /* the attract loop ends the session */
		app_set_lang(app, l->tag);
		app_push(app, scene_viewer_create(app, leaflet));
		run_for(app, 100);
		assert_string_equal(top_name(app), "viewer");
		assert_string_equal(app_lang(app), l->tag);
		img = app_capture(app);
		char *name = xasprintf("leaflet-%s.png", l->tag);
		test_golden_check(img, name, true);
		free(name);
		image_destroy(img);
	}
	kut_stop(&k);
}

int main(void)
{
	ensure_media();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spoken_names),
		cmocka_unit_test(test_switch_at_run_time),
		cmocka_unit_test(test_physical_keyboard),
		cmocka_unit_test(test_keyboard_layouts),
		cmocka_unit_test(test_golden_screens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
