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

/* Write a copy of the JPEG at src to dst with an EXIF APP1 segment whose
 * Orientation tag is o (big-endian TIFF, one IFD entry). */
static void write_exif_jpeg(const char *src, const char *dst, int o)
{
	FILE *in = fopen(src, "rb");
	assert_non_null(in);
	uint8_t buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf, in);
	fclose(in);
	assert_true(n > 2 && n < sizeof buf);
	static const uint8_t head[] = {
		0xFF, 0xE1, 0x00, 0x22,                 /* APP1, length 34 */
		'E', 'x', 'i', 'f', 0, 0,
		'M', 'M', 0x00, 0x2A, 0, 0, 0, 8,       /* TIFF, IFD at 8 */
		0x00, 0x01,                             /* one entry */
		0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1,     /* Orientation, SHORT, 1 */
	};
	uint8_t tail[] = { 0x00, (uint8_t)o, 0, 0, 0, 0, 0, 0 }; /* value, next IFD */
	FILE *out = fopen(dst, "wb");
	assert_non_null(out);
	fwrite(buf, 1, 2, out);
	fwrite(head, 1, sizeof head, out);
	fwrite(tail, 1, sizeof tail, out);
	fwrite(buf + 2, 1, n - 2, out);
	fclose(out);
}

/* Every EXIF orientation comes out upright: a 64x32 red picture with a
 * blue square at its top-left corner as stored, for each orientation
 * 1..8, must show the square where the orientation puts it. */
static void test_exif_orientation(void **state)
{
	struct fixture *f = *state;
	char *plain = make_picture(f->dir, "plain.jpg",
		"color=c=red:size=64x32,drawbox=x=0:y=0:w=16:h=16:c=blue:t=fill");
	/* where the stored top-left corner lands: 0 left/top, 1 right/bottom */
	static const struct { int right, bottom; } corner[9] = {
		{ 0, 0 }, { 0, 0 }, { 1, 0 }, { 1, 1 }, { 0, 1 },
		{ 0, 0 }, { 1, 0 }, { 1, 1 }, { 0, 1 },
	};
	for (int o = 1; o <= 8; o++) {
		char name[32];
		snprintf(name, sizeof name, "o%d.jpg", o);
		char *path = path_join(f->dir, name);
		write_exif_jpeg(plain, path, o);
		char err[256] = "";
		struct image_info info;
		struct image *img = image_load_limited(path, 0, 0, 0, &info, err,
						       sizeof err);
		if (!img)
			fail_msg("orientation %d: %s", o, err);
		bool turned = o >= 5;
		assert_int_equal(img->w, turned ? 32 : 64);
		assert_int_equal(img->h, turned ? 64 : 32);
		assert_int_equal(info.orientation, o);
		assert_int_equal(info.full_w, img->w);
		int x = corner[o].right ? img->w - 4 : 3;
		int y = corner[o].bottom ? img->h - 4 : 3;
		assert_pixel_near(img, x, y, 0, 0, 255, 60);
		/* the opposite corner is red */
		assert_pixel_near(img, img->w - 1 - x, img->h - 1 - y, 255, 0, 0, 60);
		image_destroy(img);
		/* a box for the upright picture: 16x32 fits a turned one */
		img = image_load(path, 16, 32, err, sizeof err);
		assert_non_null(img);
		assert_int_equal(img->w, 16);
		assert_int_equal(img->h, turned ? 32 : 8);
		image_destroy(img);
		free(path);
	}
	free(plain);
}

/* A picture declaring more pixels than the limit is refused before it is
 * decoded, with a message that says so: a PNG header declaring
 * 100000x100000 (a decompression bomb), and a real JPEG and WebP over a
 * lowered limit. */
static void test_pixel_limit(void **state)
{
	struct fixture *f = *state;
	char *bomb = path_join(f->dir, "bomb.png");
	static const uint8_t png[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n',
		0, 0, 0, 13, 'I', 'H', 'D', 'R',
		0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, /* 100000 x 100000 */
		8, 6, 0, 0, 0, 0x12, 0x34, 0x56, 0x78,
		0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82,
	};
	FILE *out = fopen(bomb, "wb");
	fwrite(png, 1, sizeof png, out);
	fclose(out);
	char err[256] = "";
	assert_null(image_load(bomb, 800, 600, err, sizeof err));
	assert_non_null(strstr(err, bomb));
	assert_non_null(strstr(err, "100000x100000"));
	assert_non_null(strstr(err, "limit"));

	char *jpg = make_picture(f->dir, "big.jpg", "testsrc2=size=2000x1500");
	char *webp = make_picture(f->dir, "big.webp", "testsrc2=size=2000x1500");
	const char *paths[] = { jpg, webp };
	for (int i = 0; i < 2; i++) {
		err[0] = '\0';
		assert_null(image_load_limited(paths[i], 0, 0, 2000000, NULL, err,
					       sizeof err));
		assert_non_null(strstr(err, "2000x1500"));
		struct image *img = image_load_limited(paths[i], 400, 300, 4000000,
						       NULL, err, sizeof err);
		if (!img)
			fail_msg("%s", err);
		assert_int_equal(img->w, 400);
		image_destroy(img);
	}
	free(bomb);
	free(jpg);
	free(webp);
}

/* Truncated JPEG and PNG files: a message naming the file or a picture
 * with what could be decoded, never a crash. */
static void test_truncated(void **state)
{
	struct fixture *f = *state;
	char *jpg = make_picture(f->dir, "t.jpg", "testsrc2=size=640x480");
	char *png = make_picture(f->dir, "t.png", "testsrc2=size=640x480");
	const char *paths[] = { jpg, png };
	for (int i = 0; i < 2; i++) {
		FILE *fp = fopen(paths[i], "rb");
		fseek(fp, 0, SEEK_END);
		long size = ftell(fp);
		fclose(fp);
		/* largest cut first: each truncation works on the original */
		for (int pct = 90; pct >= 10; pct -= 40) {
			assert_int_equal(test_system("truncate -s %ld '%s'",
						     size * pct / 100, paths[i]), 0);
			char err[256] = "";
			struct image *img = image_load(paths[i], 320, 240, err, sizeof err);
			print_message("  %s cut to %d %%: %s\n", paths[i], pct,
				      img ? "partly decoded" : err);
			if (!img)
				assert_non_null(strstr(err, paths[i]));
			image_destroy(img);
		}
	}
	free(jpg);
	free(png);
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
		cmocka_unit_test_setup_teardown(test_exif_orientation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pixel_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_and_bad_save, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
