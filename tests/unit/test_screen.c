/*
 * test_screen: the renderer order for each setting and video driver; the
 * fall-back to the software renderer, with a warning, when the wanted one
 * cannot start (SDL's dummy driver has no OpenGL); the turned picture read
 * back from the offscreen window for 90, 180 and 270 degrees; pointer and
 * touch positions turned back to the scenes' coordinates; "auto" passing
 * over OpenGL drawn by the CPU for the software renderer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>


#include <SDL.h>

#include "base/log.h"
#include "ui/screen.h"
#include "test_support.h"

static void test_renderer_order(void **state)
{
	(void)state;
	const char *o[SCREEN_MAX_RENDERERS];
	/* the console of a Pi: OpenGL ES, then SDL's choice, then software */
	assert_int_equal(screen_renderer_order("auto", "KMSDRM", o), 3);
	assert_string_equal(o[0], "opengles2");
	assert_string_equal(o[1], "");
	assert_string_equal(o[2], "software");
	assert_int_equal(screen_renderer_order(NULL, "kmsdrm", o), 3);
	assert_string_equal(o[0], "opengles2");
	/* under a desktop: SDL's own choice first */
	assert_int_equal(screen_renderer_order("auto", "x11", o), 2);
	assert_string_equal(o[0], "");
	assert_string_equal(o[1], "software");
	/* a named one, then software; software alone */
	assert_int_equal(screen_renderer_order("opengl", "wayland", o), 2);
	assert_string_equal(o[0], "opengl");
	assert_string_equal(o[1], "software");
	assert_int_equal(screen_renderer_order("software", "kmsdrm", o), 1);
	assert_string_equal(o[0], "software");
}

static char warned[1024];

static void keep_warning(enum log_level level, const char *msg, void *data)
{
	(void)data;
	if (level == LOG_LEVEL_WARN && !warned[0])
		snprintf(warned, sizeof warned, "%s", msg);
}

static struct screen *open_on(const char *driver, const char *renderer,
			      int rotation, int w, int h)
{
	setenv("SDL_VIDEODRIVER", driver, 1);
	/* no GL behind the window surface (as the app's tests): Mesa's EGL
	 * leaks what the sanitizer cannot attribute */
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	assert_int_equal(SDL_Init(SDL_INIT_VIDEO), 0);
	struct screen_options o = { .fullscreen = false, .window_w = w,
				    .window_h = h, .rotation = rotation,
				    .renderer = renderer };
	struct screen *s = screen_open(&o);
	assert_non_null(s);
	return s;
}

/* open_on, unturned at 320x240, with the first warning it logs kept in
 * warned. */
static struct screen *open_heard(const char *driver, const char *renderer)
{
	warned[0] = '\0';
	log_set_hook(keep_warning, NULL);
	struct screen *s = open_on(driver, renderer, 0, 320, 240);
	log_set_hook(NULL, NULL);
	return s;
}

static void close_screen(struct screen *s)
{
	screen_close(s);
	SDL_Quit();
	setenv("SDL_VIDEODRIVER", "offscreen", 1);
}

static void read_px(SDL_Renderer *r, int x, int y, uint8_t px[4])
{
	SDL_Rect one = { x, y, 1, 1 };
	assert_int_equal(SDL_RenderReadPixels(r, &one, SDL_PIXELFORMAT_RGBA32, px, 4), 0);
}

/* s's renderer draws: a clear in (r, g, b) read back. */
static void assert_draws(struct screen *s, uint8_t r, uint8_t g, uint8_t b)
{
	SDL_Renderer *ren = screen_renderer(s);
	screen_begin(s);
	SDL_SetRenderDrawColor(ren, r, g, b, 255);
	SDL_RenderClear(ren);
	screen_finish(s);
	uint8_t px[4];
	read_px(ren, 5, 5, px);
	assert_int_equal(px[0], r);
	assert_int_equal(px[1], g);
	assert_int_equal(px[2], b);
	SDL_RenderPresent(ren);
}

/* OpenGL ES asked for where there is none: the software renderer draws,
 * a warning names what failed, and the description says so. */
static void test_fallback_to_software(void **state)
{
	(void)state;
	struct screen *s = open_heard("dummy", "opengles2");
	assert_true(screen_fell_back(s));
	SDL_RendererInfo info;
	assert_int_equal(SDL_GetRendererInfo(screen_renderer(s), &info), 0);
	assert_string_equal(info.name, "software");
	if (!strstr(warned, "opengles2") || !strstr(warned, "software renderer"))
		fail_msg("warning: '%s'", warned);
	const char *d = screen_describe(s);
	if (!strstr(d, "dummy, software,") || !strstr(d, "opengles2 failed"))
		fail_msg("description: '%s'", d);
	assert_draws(s, 10, 200, 30);
	close_screen(s);

	/* asked for software: no warning */
	s = open_heard("dummy", "software");
	assert_false(screen_fell_back(s));
	assert_string_equal(warned, "");
	close_screen(s);
}

/* A landscape 320x200 screen turned by 90 or 270 is a 200x320 portrait
 * picture: marks drawn in its corners come out where the turn puts them,
 * and pointer and touch positions there turn back to the marks. */
static void turns_with(const char *renderer)
{
	const int W = 320, H = 200;
	static const int rotations[] = { 0, 90, 180, 270 };
	for (size_t i = 0; i < sizeof rotations / sizeof rotations[0]; i++) {
		int rot = rotations[i];
		struct screen *s = open_on("offscreen", renderer, rot, W, H);
		if (screen_fell_back(s)) {
			/* no OpenGL ES on this machine (Mesa's EGL missing) */
			close_screen(s);
			print_message("  %s cannot start here: skipped\n", renderer);
			skip();
		}
		SDL_RendererInfo info;
		assert_int_equal(SDL_GetRendererInfo(screen_renderer(s), &info), 0);
		assert_string_equal(info.name, renderer);
		if (strcmp(renderer, "software") != 0)
			test_pin_gl_libraries();
		assert_int_equal(screen_rotation(s), rot);
		int w, h;
		screen_size(s, &w, &h);
		assert_int_equal(w, rot % 180 ? H : W);
		assert_int_equal(h, rot % 180 ? W : H);
		if (rot)
			assert_non_null(strstr(screen_describe(s), "turned"));

		/* marks: red at the top-left, green at the top-right, blue at
		 * the bottom-left of the scenes' picture, on grey */
		SDL_Renderer *r = screen_renderer(s);
		screen_begin(s);
		SDL_SetRenderDrawColor(r, 90, 90, 90, 255);
		SDL_RenderClear(r);
		struct { int x, y; uint8_t c[3]; } marks[] = {
			{ 0, 0, { 255, 0, 0 } },
			{ w - 10, 0, { 0, 255, 0 } },
			{ 0, h - 10, { 0, 0, 255 } },
		};
		for (int m = 0; m < 3; m++) {
			SDL_SetRenderDrawColor(r, marks[m].c[0], marks[m].c[1],
					       marks[m].c[2], 255);
			SDL_Rect box = { marks[m].x, marks[m].y, 10, 10 };
			SDL_RenderFillRect(r, &box);
		}
		screen_finish(s);
		int ow, oh;
		SDL_GetRendererOutputSize(r, &ow, &oh);
		assert_int_equal(ow, W);
		assert_int_equal(oh, H);
		for (int m = 0; m < 3; m++) {
			/* the centre of each mark, on the screen */
			int lx = marks[m].x + 5, ly = marks[m].y + 5, px, py;
			test_turned_pos(rot, W, H, lx, ly, &px, &py);
			uint8_t got[4];
			read_px(r, px, py, got);
			if (got[0] != marks[m].c[0] || got[1] != marks[m].c[1] ||
			    got[2] != marks[m].c[2])
				fail_msg("turned %d: mark %d at (%d,%d) should be at "
					 "(%d,%d); it is %d,%d,%d there", rot, m, lx,
					 ly, px, py, got[0], got[1], got[2]);
			/* a click or a touch there lands on the mark */
			double bx, by;
			screen_to_logical(s, px + 0.5, py + 0.5, &bx, &by);
			if (bx < marks[m].x || bx >= marks[m].x + 10 ||
			    by < marks[m].y || by >= marks[m].y + 10)
				fail_msg("turned %d: a click at (%d,%d) lands at "
					 "(%.1f,%.1f), not on mark %d", rot, px, py,
					 bx, by, m);
			screen_touch_to_logical(s, (px + 0.5) / W, (py + 0.5) / H,
						&bx, &by);
			if (bx < marks[m].x || bx >= marks[m].x + 10 ||
			    by < marks[m].y || by >= marks[m].y + 10)
				fail_msg("turned %d: a touch at (%d,%d) lands at "
					 "(%.1f,%.1f), not on mark %d", rot, px, py,
					 bx, by, m);
		}
		SDL_RenderPresent(r);
		close_screen(s);
	}
}

static void test_turns(void **state)
{
	(void)state;
	turns_with("software");
}

/* The same through SDL's OpenGL ES renderer, the one a Pi draws with:
 * here Mesa's software GL behind the offscreen driver's EGL (skipped
 * under an emulator, where Mesa's JIT would take minutes). */
static void test_turns_gles(void **state)
{
	(void)state;
	if (test_emulated()) {
		print_message("  under an emulator: skipped\n");
		skip();
	}
	turns_with("opengles2");
}

/* The GL names that mean OpenGL drawn by the CPU. */
static void test_gl_on_cpu(void **state)
{
	(void)state;
	assert_true(screen_gl_on_cpu("llvmpipe (LLVM 15.0.6, 256 bits)"));
	assert_true(screen_gl_on_cpu("softpipe"));
	assert_true(screen_gl_on_cpu("Software Rasterizer"));
	assert_true(screen_gl_on_cpu("Mesa DRI swrast"));
	assert_false(screen_gl_on_cpu("V3D 4.2"));
	assert_false(screen_gl_on_cpu("VC4 V3D 2.1"));
	assert_false(screen_gl_on_cpu("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
	assert_false(screen_gl_on_cpu(""));
	assert_false(screen_gl_on_cpu(NULL));
}

/* text names one of Mesa's GLs on the CPU (the test's own list) */
static bool names_cpu_gl(const char *text)
{
	return strstr(text, "llvmpipe") || strstr(text, "softpipe") ||
	       strstr(text, "swrast");
}

/* "auto" passes over OpenGL drawn by the CPU (Mesa's llvmpipe behind the
 * offscreen driver here: no GPU) for the software renderer, with a
 * warning and a note in the description, and that renderer draws; a
 * renderer named in the setting is kept, its GL named. */
static void test_auto_passes_over_cpu_gl(void **state)
{
	(void)state;
	if (test_emulated()) {
		print_message("  under an emulator: skipped (Mesa's JIT)\n");
		skip();
	}
	struct screen *s = open_heard("offscreen", "auto");
	test_pin_gl_libraries();
	SDL_RendererInfo info;
	assert_int_equal(SDL_GetRendererInfo(screen_renderer(s), &info), 0);
	const char *d = screen_describe(s);
	print_message("  auto: %s\n", d);
	if (strcmp(info.name, "software") != 0) {
		/* a GPU's GL: kept */
		if (!strstr(d, " on ") || names_cpu_gl(d))
			fail_msg("auto kept a GL on the CPU: '%s'", d);
		close_screen(s);
		return;
	}
	if (!strstr(d, "on the CPU")) {
		/* no OpenGL at all here: the plain fall-back */
		close_screen(s);
		print_message("  no OpenGL here: skipped\n");
		skip();
	}
	assert_true(screen_fell_back(s));
	if (!strstr(warned, "drawn by the CPU") || !strstr(warned, "software renderer"))
		fail_msg("warning: '%s'", warned);
	if (strncmp(d, "offscreen, software, ", 21) != 0 || !strstr(d, "; OpenGL is "))
		fail_msg("description: '%s'", d);
	assert_draws(s, 200, 30, 10);
	close_screen(s);

	/* named: kept, and its GL named */
	s = open_heard("offscreen", "opengl");
	test_pin_gl_libraries();
	assert_int_equal(SDL_GetRendererInfo(screen_renderer(s), &info), 0);
	assert_string_equal(info.name, "opengl");
	assert_false(screen_fell_back(s));
	assert_string_equal(warned, "");
	d = screen_describe(s);
	if (!strstr(d, "opengl on ") || !names_cpu_gl(d))
		fail_msg("description: '%s'", d);
	close_screen(s);
}

/* After a device reset the turning picture is made again, at the new
 * size when the window changed. */
static void test_reset_and_resize(void **state)
{
	(void)state;
	struct screen *s = open_on("offscreen", "software", 90, 320, 200);
	SDL_Renderer *r = screen_renderer(s);
	screen_begin(s);
	assert_non_null(SDL_GetRenderTarget(r));
	screen_present(s);
	assert_null(SDL_GetRenderTarget(r));
	screen_reset(s);
	SDL_SetWindowSize(screen_window(s), 400, 240);
	SDL_PumpEvents();
	int w, h;
	screen_size(s, &w, &h);
	assert_int_equal(w, 240);
	assert_int_equal(h, 400);
	screen_begin(s);
	SDL_Texture *t = SDL_GetRenderTarget(r);
	assert_non_null(t);
	int tw, th;
	assert_int_equal(SDL_QueryTexture(t, NULL, NULL, &tw, &th), 0);
	assert_int_equal(tw, 240);
	assert_int_equal(th, 400);
	screen_present(s);
	close_screen(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_renderer_order),
		cmocka_unit_test(test_fallback_to_software),
		cmocka_unit_test(test_turns),
		cmocka_unit_test(test_turns_gles),
		cmocka_unit_test(test_gl_on_cpu),
		cmocka_unit_test(test_auto_passes_over_cpu_gl),
		cmocka_unit_test(test_reset_and_resize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
