/*
 * test_videotex: YUV420P and NV12 pictures uploaded to streaming textures
 * come out of the renderer in the right colours (read back from the
 * offscreen window), the texture is re-made when the size or format
 * changes, and other formats are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <SDL.h>
#include <libavutil/frame.h>

#include "media/videotex.h"
#include "test_support.h"

static SDL_Window *win;
static SDL_Renderer *ren;

static int setup(void **state)
{
	(void)state;
	ren = test_sdl_open(SDL_INIT_VIDEO, 64, 64, &win);
	return ren ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	test_sdl_close(win, ren);
	return 0;
}

/* A w x h frame of one colour (limited-range BT.601 Y, U, V). */
static AVFrame *solid(enum AVPixelFormat fmt, int w, int h, int y, int u, int v)
{
	AVFrame *f = av_frame_alloc();
	f->format = fmt;
	f->width = w;
	f->height = h;
	f->colorspace = AVCOL_SPC_BT470BG;
	assert_int_equal(av_frame_get_buffer(f, 0), 0);
	for (int r = 0; r < h; r++)
		memset(f->data[0] + r * f->linesize[0], y, (size_t)w);
	for (int r = 0; r < h / 2; r++) {
		if (fmt == AV_PIX_FMT_NV12) {
			uint8_t *p = f->data[1] + r * f->linesize[1];
			for (int c = 0; c < w / 2; c++) {
				p[2 * c] = (uint8_t)u;
				p[2 * c + 1] = (uint8_t)v;
			}
		} else {
			memset(f->data[1] + r * f->linesize[1], u, (size_t)w / 2);
			memset(f->data[2] + r * f->linesize[2], v, (size_t)w / 2);
		}
	}
	return f;
}

/* Draw tex over the window and read back the middle pixel. */
static void centre_rgb(SDL_Texture *tex, int rgb[3])
{
	SDL_SetRenderDrawColor(ren, 0, 0, 0, 255);
	SDL_RenderClear(ren);
	assert_int_equal(SDL_RenderCopy(ren, tex, NULL, NULL), 0);
	uint32_t px = 0;
	SDL_Rect r = { 32, 32, 1, 1 };
	assert_int_equal(SDL_RenderReadPixels(ren, &r, SDL_PIXELFORMAT_RGB888,
					      &px, 4), 0);
	rgb[0] = (px >> 16) & 0xff;
	rgb[1] = (px >> 8) & 0xff;
	rgb[2] = px & 0xff;
}

static void check_red(enum AVPixelFormat fmt, Uint32 want_format)
{
	struct videotex vt = { 0 };
	SDL_Texture *tex = NULL;
	/* pure red in BT.601 limited range: Y 81, Cb 90, Cr 240 */
	AVFrame *f = solid(fmt, 32, 32, 81, 90, 240);
	assert_true(videotex_upload(&vt, ren, &tex, f));
	Uint32 format;
	int w, h;
	SDL_QueryTexture(tex, &format, NULL, &w, &h);
	assert_int_equal(format, want_format);
	assert_int_equal(w, 32);
	int rgb[3];
	centre_rgb(tex, rgb);
	if (rgb[0] < 220 || rgb[1] > 40 || rgb[2] > 40)
		fail_msg("red came out as %d,%d,%d", rgb[0], rgb[1], rgb[2]);

	/* mid grey, a new size: the texture is made again */
	av_frame_free(&f);
	f = solid(fmt, 48, 16, 126, 128, 128);
	assert_true(videotex_upload(&vt, ren, &tex, f));
	SDL_QueryTexture(tex, &format, NULL, &w, &h);
	assert_int_equal(w, 48);
	assert_int_equal(h, 16);
	centre_rgb(tex, rgb);
	for (int i = 0; i < 3; i++)
		if (rgb[i] < 115 || rgb[i] > 140)
			fail_msg("grey came out as %d,%d,%d", rgb[0], rgb[1], rgb[2]);
	av_frame_free(&f);
	SDL_DestroyTexture(tex);
}

static void test_yuv420p(void **state)
{
	(void)state;
	check_red(AV_PIX_FMT_YUV420P, SDL_PIXELFORMAT_IYUV);
}

static void test_nv12(void **state)
{
	(void)state;
	check_red(AV_PIX_FMT_NV12, SDL_PIXELFORMAT_NV12);
}

static void test_format_change_and_refusal(void **state)
{
	(void)state;
	struct videotex vt = { 0 };
	SDL_Texture *tex = NULL;
	AVFrame *a = solid(AV_PIX_FMT_YUV420P, 16, 16, 81, 90, 240);
	AVFrame *b = solid(AV_PIX_FMT_NV12, 16, 16, 81, 90, 240);
	assert_true(videotex_upload(&vt, ren, &tex, a));
	assert_true(videotex_upload(&vt, ren, &tex, b));
	Uint32 format;
	SDL_QueryTexture(tex, &format, NULL, NULL, NULL);
	assert_int_equal(format, SDL_PIXELFORMAT_NV12);

	AVFrame *rgb = av_frame_alloc();
	rgb->format = AV_PIX_FMT_RGB24;
	rgb->width = rgb->height = 16;
	assert_int_equal(av_frame_get_buffer(rgb, 0), 0);
	assert_false(videotex_upload(&vt, ren, &tex, rgb));
	assert_non_null(strstr(SDL_GetError(), "neither"));
	av_frame_free(&a);
	av_frame_free(&b);
	av_frame_free(&rgb);
	SDL_DestroyTexture(tex);
}

/* The same pictures through SDL's OpenGL ES renderer, which a Pi draws
 * with: its shaders turn YUV into RGB. Skipped where it cannot start. */
static int setup_gles(void **state)
{
	(void)state;
	ren = test_sdl_open_gles(64, 64, &win);
	return 0;
}

static void test_yuv420p_gles(void **state)
{
	(void)state;
	if (!ren)
		skip();
	check_red(AV_PIX_FMT_YUV420P, SDL_PIXELFORMAT_IYUV);
}

static void test_nv12_gles(void **state)
{
	(void)state;
	if (!ren)
		skip();
	check_red(AV_PIX_FMT_NV12, SDL_PIXELFORMAT_NV12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yuv420p),
		cmocka_unit_test(test_nv12),
		cmocka_unit_test(test_format_change_and_refusal),
	};
	const struct CMUnitTest gles[] = {
		cmocka_unit_test(test_yuv420p_gles),
		cmocka_unit_test(test_nv12_gles),
	};
	int failed = cmocka_run_group_tests(tests, setup, teardown);
	return failed + cmocka_run_group_tests(gles, setup_gles, teardown);
}
