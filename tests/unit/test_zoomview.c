/*
 * test_zoomview: zoom stays anchored under the fingers, panning never
 * shows empty space beside a big picture, a small one stays centred, a
 * fling slows down and stops, double tap zooms in at the point and back.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ui/zoomview.h"

/* The content point under screen point (sx, sy) (dest is in floats:
 * good to a hundredth of a pixel). */
static void content_at(const struct zoomview *zv, double sx, double sy,
		       double *px, double *py)
{
	SDL_FRect d = zoomview_dest(zv);
	double s = zoomview_scale(zv);
	*px = (sx - d.x) / s;
	*py = (sy - d.y) / s;
}

static void test_fit_and_anchor(void **state)
{
	(void)state;
	struct zoomview zv;
	/* a 6000x4000 poster in a 1920x1000 box at (0, 80) */
	zoomview_init(&zv, 6000, 4000, (SDL_Rect){ 0, 80, 1920, 1000 }, 2.0);
	assert_true(fabs(zoomview_scale(&zv) - 0.25) < 1e-9);
	SDL_FRect d = zoomview_dest(&zv);
	assert_true(fabs(d.w - 1500) < 0.01 && fabs(d.h - 1000) < 0.01);
	assert_true(fabs(d.x - 210) < 0.01 && fabs(d.y - 80) < 0.01);  /* pillarbox */

	/* pinch at a point: that content point stays under it */
	double px0, py0, px1, py1;
	content_at(&zv, 700, 400, &px0, &py0);
	zoomview_zoom_at(&zv, 3.0, 700, 400);
	content_at(&zv, 700, 400, &px1, &py1);
	assert_true(fabs(px0 - px1) < 0.01 && fabs(py0 - py1) < 0.01);
	assert_true(fabs(zv.zoom - 3.0) < 1e-9);
	/* many small steps, as a pinch gives them */
	for (int i = 0; i < 20; i++)
		zoomview_zoom_at(&zv, 1.05, 900, 600);
	/* zooming out at the box's centre (away from the edges, where
	 * keeping the picture over the box may move it) */
	double qx, qy;
	content_at(&zv, 960, 580, &qx, &qy);
	zoomview_zoom_at(&zv, 0.8, 960, 580);
	content_at(&zv, 960, 580, &px1, &py1);
	assert_true(fabs(qx - px1) < 0.01 && fabs(qy - py1) < 0.01);
	/* limits: 2 screen px per content px at most, fit at least */
	zoomview_zoom_at(&zv, 1000, 900, 600);
	assert_true(fabs(zoomview_scale(&zv) - 2.0) < 1e-9);
	zoomview_zoom_at(&zv, 1e-6, 900, 600);
	assert_true(fabs(zv.zoom - 1.0) < 1e-9);
	d = zoomview_dest(&zv);
	assert_true(fabs(d.x - 210) < 0.01);       /* centred again */
}

static void test_pan_bounds(void **state)
{
	(void)state;
	struct zoomview zv;
	zoomview_init(&zv, 6000, 4000, (SDL_Rect){ 0, 0, 1920, 1080 }, 2.0);
	zoomview_zoom_at(&zv, 4.0, 960, 540);
	/* drag far to the right: the picture's left edge stops at the box's */
	zoomview_pan(&zv, 100000, 0);
	SDL_FRect d = zoomview_dest(&zv);
	assert_true(fabs(d.x - 0) < 0.01);
	zoomview_pan(&zv, -100000, -100000);
	d = zoomview_dest(&zv);
	assert_true(fabs(d.x + d.w - 1920) < 0.01);
	assert_true(fabs(d.y + d.h - 1080) < 0.01);
	SDL_FRect vis = zoomview_visible(&zv);
	assert_true(fabs(vis.x + vis.w - 6000) < 0.01);
	assert_true(vis.w > 0 && vis.w < 6000);
	/* at fit, panning does nothing: nothing to see beyond */
	zoomview_zoom_at(&zv, 0.01, 0, 0);
	SDL_FRect before = zoomview_dest(&zv);
	zoomview_pan(&zv, 300, 200);
	d = zoomview_dest(&zv);
	assert_true(fabs(d.x - before.x) < 0.01 && fabs(d.y - before.y) < 0.01);
}

static void test_fling(void **state)
{
	(void)state;
	struct zoomview zv;
	zoomview_init(&zv, 6000, 4000, (SDL_Rect){ 0, 0, 1920, 1080 }, 2.0);
	zoomview_zoom_at(&zv, 3.0, 960, 540);
	double x0 = zv.cx;
	zoomview_fling(&zv, -2000, 0);  /* finger moved left: picture slides left */
	int steps = 0;
	double last_speed = 1e9;
	while (zoomview_step(&zv, 1.0 / 60) && steps < 1000) {
		double speed = fabs(zv.vx);
		assert_true(speed < last_speed);
		last_speed = speed;
		steps++;
	}
	assert_true(steps > 10 && steps < 1000);     /* slides, then stops */
	assert_true(zv.cx > x0);                      /* content moved under */
	assert_false(zoomview_step(&zv, 1.0 / 60));
	/* a fling into the edge stops there */
	zoomview_fling(&zv, 1e6, 0);
	while (zoomview_step(&zv, 1.0 / 60))
		;
	assert_true(fabs(zoomview_dest(&zv).x) < 0.01);
}

static void test_double_tap_and_resize(void **state)
{
	(void)state;
	struct zoomview zv;
	zoomview_init(&zv, 800, 600, (SDL_Rect){ 0, 0, 1600, 900 }, 3.0);
	assert_true(fabs(zoomview_scale(&zv) - 1.5) < 1e-9);
	double px0, py0, px1, py1;
	content_at(&zv, 500, 300, &px0, &py0);
	zoomview_toggle_at(&zv, 500, 300);
	assert_true(fabs(zv.zoom - 2.5) < 1e-9);     /* a double tap's zoom */
	content_at(&zv, 500, 300, &px1, &py1);
	assert_true(fabs(px0 - px1) < 0.01 && fabs(py0 - py1) < 0.01);
	zoomview_toggle_at(&zv, 500, 300);
	assert_true(fabs(zv.zoom - 1.0) < 1e-9);
	/* a small picture: zoom can still reach 2.5 */
	zoomview_init(&zv, 100, 100, (SDL_Rect){ 0, 0, 1000, 1000 }, 1.0);
	zoomview_toggle_at(&zv, 500, 500);
	assert_true(zv.zoom >= 2.5 - 1e-9);
	/* the screen turns: zoom kept, picture still covers the box */
	zoomview_init(&zv, 6000, 4000, (SDL_Rect){ 0, 0, 1920, 1080 }, 2.0);
	zoomview_zoom_at(&zv, 4.0, 1900, 1000);
	zoomview_set_box(&zv, (SDL_Rect){ 0, 0, 1080, 1920 });
	SDL_FRect d = zoomview_dest(&zv);
	assert_true(d.x <= 0.01 && d.x + d.w >= 1080 - 0.01);
	assert_true(d.y <= 0.01 && d.y + d.h >= 1920 - 0.01);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit_and_anchor),
		cmocka_unit_test(test_pan_bounds),
		cmocka_unit_test(test_fling),
		cmocka_unit_test(test_double_tap_and_resize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
