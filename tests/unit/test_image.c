/*
 * test_image: decoding pictures made by the ffmpeg tool at test time,
 * scaling to fit, bad files, and the PNG writer's round trip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "media/image.h"
#include "test_support.h"

struct fixture {
	char *dir;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->dir = test_tmpdir();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Make dir/name with ffmpeg from a lavfi source; returns the path. */
static char *make_picture(const char *dir, const char *name, const char *src)
{
	char *path = path_join(dir, name);
	int rc = test_system("ffmpeg -nostdin -v error -y -f lavfi -i '%s' "
			     "-frames:v 1 '%s'", src, path);
	assert_int_equal(rc, 0);
	return path;
}

static const uint8_t *pixel_at(const struct image *img, int x, int y)
{
	return img->pixels + (size_t)y * (size_t)img->pitch + (size_t)x * 4;
}

static void assert_pixel_near(const struct image *img, int x, int y, int r,
			      int g, int b, int tol)
{
	const uint8_t *p = pixel_at(img, x, y);
	if (abs(p[0] - r) > tol || abs(p[1] - g) > tol || abs(p[2] - b) > tol ||
	    p[3] != 255) {
		fail_msg("pixel (%d,%d) is %d,%d,%d,%d; expected %d,%d,%d,255 +-%d",
			 x, y, p[0], p[1], p[2], p[3], r, g, b, tol);
	}
}

static void test_png_solid_colour(void **state)
{
	struct fixture *f = *state;
	char *path = make_picture(f->dir, "solid.png",
				  "color=c=0x3080C0:size=64x48");
	char err[256];
	struct image *img = image_load(path, 0, 0, err, sizeof err);
	assert_non_null(img);
	assert_int_equal(img->w, 64);
	assert_int_equal(img->h, 48);
	assert_true(img->pitch >= 4 * img->w);
	assert_pixel_near(img, 0, 0, 0x30, 0x80, 0xC0, 6);
	assert_pixel_near(img, 63, 47, 0x30, 0x80, 0xC0, 6);
	assert_pixel_near(img, 31, 20, 0x30, 0x80, 0xC0, 6);
	image_destroy(img);
	free(path);
}

static void test_jpeg_solid_colour(void **state)
{
	struct fixture *f = *state;
	char *path = make_picture(f->dir, "solid.jpg",
				  "color=c=0xC02040:size=96x64");
	char err[256];
	struct image *img = image_load(path, 0, 0, err, sizeof err);
	assert_non_null(img);
	assert_int_equal(img->w, 96);
	assert_int_equal(img->h, 64);
	assert_pixel_near(img, 48, 32, 0xC0, 0x20, 0x40, 12);
	assert_pixel_near(img, 2, 2, 0xC0, 0x20, 0x40, 12);
	image_destroy(img);
	free(path);
}

static void test_downscale_keeps_aspect(void **state)
{
	struct fixture *f = *state;
	char *path = make_picture(f->dir, "test.png",
				  "testsrc2=size=320x240");
	char err[256];

	struct image *img = image_load(path, 100, 100, err, sizeof err);
	assert_non_null(img);
	assert_int_equal(img->w, 100);
	assert_int_equal(img->h, 75);
	image_destroy(img);

	img = image_load(path, 1000, 40, err, sizeof err);
	assert_non_null(img);
	assert_int_equal(img->w, 53);
	assert_int_equal(img->h, 40);
	image_destroy(img);

	/* Never scaled up. */
	img = image_load(path, 2000, 2000, err, sizeof err);
	assert_non_null(img);
	assert_int_equal(img->w, 320);
	assert_int_equal(img->h, 240);
	image_destroy(img);

	/* One side limited only. */
	img = image_load(path, 160, 0, err, sizeof err);
	assert_non_null(img);
	assert_int_equal(img->w, 160);
	assert_int_equal(img->h, 120);
	image_destroy(img);
	free(path);
}

static void test_big_jpeg_reduced_decode(void **state)
{
	struct fixture *f = *state;
	char *path = make_picture(f->dir, "big.jpg",
				  "color=c=0x20C020:size=1600x1200");
	char err[256];
	/* 1/8 of the source: decoded at reduced size, same colour. */
	struct image *img = image_load(path, 200, 200, err, sizeof err);
	assert_non_null(img);
	assert_int_equal(img->w, 200);
	assert_int_equal(img->h, 150);
	assert_pixel_near(img, 100, 75, 0x20, 0xC0, 0x20, 12);
	image_destroy(img);

	/* Between two reduced sizes. */
	img = image_load(path, 300, 300, err, sizeof err);
	assert_non_null(img);
	assert_int_equal(img->w, 300);
	assert_int_equal(img->h, 225);
	assert_pixel_near(img, 150, 100, 0x20, 0xC0, 0x20, 12);
	image_destroy(img);

	img = image_load(path, 0, 0, err, sizeof err);
	assert_non_null(img);
	assert_int_equal(img->w, 1600);
	assert_int_equal(img->h, 1200);
	image_destroy(img);
	free(path);
}

static void test_testsrc_pattern_downscaled(void **state)
{
	struct fixture *f = *state;
	/* testsrc2's left part holds distinct colour bars; the downscaled
	 * picture must keep them at the same relative place. */
	char *path = make_picture(f->dir, "pattern.png", "testsrc2=size=320x240");
	char err[256];
	struct image *full = image_load(path, 0, 0, err, sizeof err);
	struct image *half = image_load(path, 160, 120, err, sizeof err);
	assert_non_null(full);
	assert_non_null(half);
	const uint8_t *a = pixel_at(full, 20, 60);
	const uint8_t *b = pixel_at(half, 10, 30);
	for (int c = 0; c < 3; c++)
		assert_true(abs(a[c] - b[c]) <= 24);
	image_destroy(full);
	image_destroy(half);
	free(path);
}

static void test_missing_file(void **state)
{
	struct fixture *f = *state;
	char *path = path_join(f->dir, "nothing-here.png");
	char err[256] = "unchanged";
	struct image *img = image_load(path, 0, 0, err, sizeof err);
	assert_null(img);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "No such file"));
	free(path);
}

static void write_random(const char *path, size_t len, unsigned seed)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	srand(seed);
	for (size_t i = 0; i < len; i++)
		fputc(rand() & 0xFF, fp);
	assert_int_equal(fclose(fp), 0);
}

static void test_corrupt_files(void **state)
{
	struct fixture *f = *state;
	const char *names[] = { "noise.png", "noise.jpg", "noise.webp", "noise" };
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		char *path = path_join(f->dir, names[i]);
		write_random(path, 4096, (unsigned)i + 1);
		char err[256] = "";
		struct image *img = image_load(path, 100, 100, err, sizeof err);
		assert_null(img);
		assert_non_null(strstr(err, path));
		assert_true(strlen(err) > strlen(path) + 2);
		free(path);
	}

	/* A real PNG cut short after its header. */
	char *good = make_picture(f->dir, "cut.png", "testsrc2=size=320x240");
	assert_int_equal(test_system("truncate -s 120 '%s'", good), 0);
	char err[256] = "";
	struct image *img = image_load(good, 0, 0, err, sizeof err);
	assert_null(img);
	assert_non_null(strstr(err, good));
	free(good);
}

static void test_save_png_round_trip(void **state)
{
	struct fixture *f = *state;
	struct image *img = image_create(7, 5);
	assert_non_null(img);
	for (int y = 0; y < img->h; y++) {
		for (int x = 0; x < img->w; x++) {
			uint8_t *p = img->pixels + (size_t)y * img->pitch + x * 4;
			p[0] = (uint8_t)(x * 36);
			p[1] = (uint8_t)(y * 60);
			p[2] = (uint8_t)(x * y * 7 + 3);
			p[3] = (uint8_t)(255 - x * 20 - y);
		}
	}
	char *path = path_join(f->dir, "out.png");
	assert_true(image_save_png(img, path));
	char err[256];
	struct image *back = image_load(path, 0, 0, err, sizeof err);
	assert_non_null(back);
	assert_int_equal(back->w, 7);
	assert_int_equal(back->h, 5);
	for (int y = 0; y < img->h; y++) {
		assert_memory_equal(img->pixels + (size_t)y * img->pitch,
				    back->pixels + (size_t)y * back->pitch,
				    (size_t)img->w * 4);
	}
	image_destroy(back);
	image_destroy(img);
	free(path);
}

static void test_create_and_bad_save(void **state)
{
	struct fixture *f = *state;
	struct image *img = image_create(3, 2);
	assert_non_null(img);
	for (int y = 0; y < 2; y++)
		for (int x = 0; x < 12; x++)
			assert_int_equal(img->pixels[y * img->pitch + x], 0);
	assert_null(image_create(0, 5));
	assert_null(image_create(5, -1));

	char *path = path_join(f->dir, "no-such-dir/out.png");
	assert_false(image_save_png(img, path));
	image_destroy(img);
	image_destroy(NULL);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_png_solid_colour, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jpeg_solid_colour, setup, teardown),
		cmocka_unit_test_setup_teardown(test_downscale_keeps_aspect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_jpeg_reduced_decode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_testsrc_pattern_downscaled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_png_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_and_bad_save, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
