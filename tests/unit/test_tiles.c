/*
 * test_tiles: a picture split into tiles comes out of the renderer as the
 * picture (pixels read back across the seams), at 1:1 and zoomed with a
 * clip, and only the tiles in view are drawn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <SDL.h>

#include "media/image.h"
#include "ui/tiles.h"
#include "test_support.h"

static SDL_Window *win;
static SDL_Renderer *ren;

static int setup(void **state)
{
	(void)state;
	ren = test_sdl_open(SDL_INIT_VIDEO, 400, 300, &win);
	return ren ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	test_sdl_close(win, ren);
	return 0;
}

/* Colour of picture pixel (x, y): a pattern that changes every 10 px. */
static void pattern(int x, int y, uint8_t *p)
{
	p[0] = (uint8_t)(x / 10 * 20);
	p[1] = (uint8_t)(y / 10 * 20);
	p[2] = (uint8_t)((x / 10 + y / 10) % 2 ? 255 : 0);
	p[3] = 255;
}

static struct image *make_image(int w, int h)
{
	struct image *img = image_create(w, h);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			pattern(x, y, img->pixels + (size_t)y * img->pitch + (size_t)x * 4);
	return img;
}

static void read_rgb(int x, int y, uint8_t out[3])
{
	uint32_t px;
	SDL_Rect r = { x, y, 1, 1 };
	assert_int_equal(SDL_RenderReadPixels(ren, &r, SDL_PIXELFORMAT_RGB888, &px, 4), 0);
	out[0] = (uint8_t)(px >> 16);
	out[1] = (uint8_t)(px >> 8);
	out[2] = (uint8_t)px;
}

static void test_one_to_one_across_seams(void **state)
{
	(void)state;
	struct image *img = make_image(300, 200);
	struct tiles *t = tiles_create(ren, img, 128);
	assert_non_null(t);
	assert_int_equal(tiles_count(t), 3 * 2);
	SDL_RenderClear(ren);
	SDL_FRect dest = { 0, 0, 300, 200 };
	SDL_Rect clip = { 0, 0, 400, 300 };
	assert_int_equal(tiles_draw(t, ren, &dest, &clip), 6);
	/* points either side of the seams at x 128, 256 and y 128 */
	static const int pts[][2] = { { 5, 5 }, { 125, 5 }, { 131, 5 }, { 254, 125 },
				      { 258, 131 }, { 295, 195 }, { 131, 131 } };
	for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
		uint8_t want[4], got[3];
		pattern(pts[i][0], pts[i][1], want);
		read_rgb(pts[i][0], pts[i][1], got);
		for (int c = 0; c < 3; c++)
			if (abs(got[c] - want[c]) > 2)
				fail_msg("(%d,%d): %d,%d,%d want %d,%d,%d", pts[i][0], pts[i][1],
					 got[0], got[1], got[2], want[0], want[1], want[2]);
	}
	tiles_destroy(t);
	image_destroy(img);
}

static void test_zoomed_and_clipped(void **state)
{
	(void)state;
	struct image *img = make_image(300, 200);
	struct tiles *t = tiles_create(ren, img, 128);
	SDL_RenderClear(ren);
	/* 4x, placed so picture point (200, 150) lands at screen (200, 150) */
	SDL_FRect dest = { 200 - 200 * 4, 150 - 150 * 4, 1200, 800 };
	SDL_Rect clip = { 0, 0, 400, 300 };
	SDL_RenderSetClipRect(ren, &clip);
	int drawn = tiles_draw(t, ren, &dest, &clip);
	SDL_RenderSetClipRect(ren, NULL);
	/* visible picture part: x 150..250, y 112.5..187.5: tiles (1,0), (1,1), (0..)? */
	assert_true(drawn >= 1 && drawn < 6);
	/* points whose picture pixel lies inside a 10 px cell, away from
	 * the blur a linear filter gives at cell edges */
	static const int pts[][2] = { { 220, 170 }, { 20, 20 }, { 380, 280 }, { 100, 200 } };
	for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
		/* screen (sx, sy) shows picture (150 + sx/4, 112.5 + sy/4) */
		int px = 150 + pts[i][0] / 4, py = (int)(112.5 + pts[i][1] / 4.0);
		uint8_t want[4], got[3];
		pattern(px, py, want);
		read_rgb(pts[i][0], pts[i][1], got);
		for (int c = 0; c < 3; c++)
			if (abs(got[c] - want[c]) > 40)
				fail_msg("screen (%d,%d) picture (%d,%d): %d,%d,%d want %d,%d,%d",
					 pts[i][0], pts[i][1], px, py, got[0], got[1], got[2],
					 want[0], want[1], want[2]);
	}
	/* nothing in view: nothing drawn */
	SDL_FRect away = { 1000, 1000, 300, 200 };
	assert_int_equal(tiles_draw(t, ren, &away, &clip), 0);
	tiles_destroy(t);
	image_destroy(img);
}

static void test_renderer_limit(void **state)
{
	(void)state;
	struct image *img = make_image(40, 30);
	struct tiles *t = tiles_create(ren, img, 0);
	assert_int_equal(tiles_count(t), 1);
	int w, h;
	tiles_size(t, &w, &h);
	assert_int_equal(w, 40);
	assert_int_equal(h, 30);
	tiles_destroy(t);
	tiles_destroy(NULL);
	image_destroy(img);
}

/* Uploaded in steps: nothing to draw until done, then the same picture
 * as a one-go upload; the image is taken over and freed. */
static void test_upload_in_steps(void **state)
{
	(void)state;
	struct image *img = make_image(300, 200);
	struct tiles *t = tiles_begin(ren, img, 64);   /* 5 x 4 tiles */
	int steps = 0;
	while (!tiles_upload_some(t, 0)) {   /* one tile a step */
		assert_false(tiles_failed(t));
		steps++;
		assert_true(steps < 100);
	}
	assert_int_equal(steps, 19);
	assert_true(tiles_upload_some(t, 0));   /* done stays done */
	SDL_RenderClear(ren);
	SDL_FRect dest = { 0, 0, 300, 200 };
	SDL_Rect clip = { 0, 0, 400, 300 };
	assert_int_equal(tiles_draw(t, ren, &dest, &clip), 20);
	uint8_t want[4], got[3];
	pattern(255, 195, want);
	read_rgb(255, 195, got);
	assert_true(abs(got[0] - want[0]) <= 2 && abs(got[2] - want[2]) <= 2);
	tiles_destroy(t);
	/* destroyed half way: the image is freed too (LSan checks) */
	t = tiles_begin(ren, make_image(300, 200), 64);
	tiles_upload_some(t, 0);
	tiles_destroy(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_to_one_across_seams),
		cmocka_unit_test(test_zoomed_and_clipped),
		cmocka_unit_test(test_renderer_limit),
		cmocka_unit_test(test_upload_in_steps),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
