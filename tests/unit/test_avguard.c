/*
 * test_avguard: the limits on every libav open. A normal file opens; a
 * playlist or concat list that would pull in network or other files is
 * refused; a passed deadline or a set abort flag cuts the open; a picture
 * declaring more pixels than AVGUARD_MAX_PIXELS is refused before any
 * allocation; a "%d" in a file name is a literal, not a sequence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "base/util.h"
#include "media/avguard.h"
#include "media/image.h"
#include "media/probe.h"
#include "test_support.h"

struct fixture {
	char *dir;
	char *mp4;
	char *png;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->dir = test_tmpdir();
	f->mp4 = path_join(f->dir, "clip.mp4");
	f->png = path_join(f->dir, "small.png");
	assert_int_equal(test_system("ffmpeg -v error -y -f lavfi -i testsrc2=s=160x90:r=25 "
				     "-f lavfi -i sine -t 1 -c:v libx264 -pix_fmt yuv420p "
				     "-c:a aac -shortest '%s'", f->mp4), 0);
	assert_int_equal(test_system("ffmpeg -v error -y -f lavfi -i color=c=red:s=16x16 "
				     "-frames:v 1 '%s'", f->png), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	test_rmtree(f->dir);
	free(f->dir);
	free(f->mp4);
	free(f->png);
	free(f);
	return 0;
}

static void test_normal_file_opens(void **state)
{
	struct fixture *f = *state;
	struct avguard g = { 0 };
	AVFormatContext *fmt = NULL;
	assert_int_equal(avguard_open_input(&fmt, f->mp4, true, &g), 0);
	assert_non_null(fmt);
	assert_int_equal(fmt->nb_streams, 2);
	assert_int_equal(g.deadline_ms, 0); /* cleared after the open */
	avformat_close_input(&fmt);
	/* a name with a colon is a file, not a protocol */
	char *colon = path_join(f->dir, "http:clip.mp4");
	assert_int_equal(test_system("cp '%s' '%s'", f->mp4, colon), 0);
	assert_int_equal(avguard_open_input(&fmt, colon, true, &g), 0);
	avformat_close_input(&fmt);
	free(colon);
}

static void test_playlists_refused(void **state)
{
	struct fixture *f = *state;
	/* HLS naming a network segment: must not be followed */
	char *m3u8 = test_write_file(f->dir, "list.m3u8",
		"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n"
		"http://127.0.0.1:9/segment.ts\n#EXT-X-ENDLIST\n");
	struct avguard g = { 0 };
	AVFormatContext *fmt = NULL;
	assert_true(avguard_open_input(&fmt, m3u8, true, &g) < 0);
	assert_null(fmt);
	/* concat list pulling in another local file */
	char *body = xasprintf("ffconcat version 1.0\nfile '%s'\n", f->mp4);
	char *concat = test_write_file(f->dir, "list.ffconcat", body);
	assert_true(avguard_open_input(&fmt, concat, true, &g) < 0);
	assert_null(fmt);
	/* probe says why, and names no crash */
	struct probe_result pr;
	char err[256];
	assert_false(probe_file(m3u8, &pr, err, sizeof err));
	assert_true(err[0] != '\0');
	free(body);
	free(concat);
	free(m3u8);
}

/* A FIFO would block open(2) forever: refused at once, as is a
 * directory or a missing file. */
static void test_not_regular_files(void **state)
{
	struct fixture *f = *state;
	char *fifo = path_join(f->dir, "pipe.mp4");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	struct avguard g = { 0 };
	AVFormatContext *fmt = NULL;
	int64_t t0 = time_mono_ms();
	assert_int_equal(avguard_open_input(&fmt, fifo, true, &g), AVERROR(EINVAL));
	assert_true(time_mono_ms() - t0 < 1000);
	assert_int_equal(avguard_open_input(&fmt, f->dir, true, &g), AVERROR(EINVAL));
	char *missing = path_join(f->dir, "missing.mp4");
	assert_int_equal(avguard_open_input(&fmt, missing, true, &g), AVERROR(ENOENT));
	assert_null(fmt);
	/* the modules above say why, naming the file */
	char err[256];
	assert_null(image_load(fifo, 0, 0, err, sizeof err));
	assert_non_null(strstr(err, "pipe.mp4"));
	free(missing);
	free(fifo);
}

static void test_deadline_and_abort(void **state)
{
	struct fixture *f = *state;
	atomic_bool stop;
	atomic_init(&stop, true);
	struct avguard g = { .abort = &stop };
	AVFormatContext *fmt = NULL;
	assert_int_equal(avguard_open_input(&fmt, f->mp4, true, &g), AVERROR_EXIT);
	assert_null(fmt);
	atomic_store(&stop, false);
	assert_int_equal(avguard_open_input(&fmt, f->mp4, true, &g), 0);
	avformat_close_input(&fmt);
}

/* Rewrite the IHDR width and height of a PNG (CRC left stale: libavcodec
 * checks it only when asked to). */
static char *png_claiming(struct fixture *f, uint32_t w, uint32_t h)
{
	size_t len;
	char *data = file_read_all(f->png, &len);
	assert_non_null(data);
	assert_true(len > 24 && memcmp(data + 12, "IHDR", 4) == 0);
	unsigned char *p = (unsigned char *)data + 16;
	p[0] = (unsigned char)(w >> 24); p[1] = (unsigned char)(w >> 16);
	p[2] = (unsigned char)(w >> 8); p[3] = (unsigned char)w;
	p[4] = (unsigned char)(h >> 24); p[5] = (unsigned char)(h >> 16);
	p[6] = (unsigned char)(h >> 8); p[7] = (unsigned char)h;
	char *path = path_join(f->dir, "bomb.png");
	FILE *out = fopen(path, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(data, 1, len, out), len);
	fclose(out);
	free(data);
	return path;
}

static void test_pixel_limit(void **state)
{
	struct fixture *f = *state;
	char err[256];
	/* 30000 x 30000 = 900 megapixels: refused, no 3.6 GB allocation */
	char *bomb = png_claiming(f, 30000, 30000);
	struct image *img = image_load(bomb, 100, 100, err, sizeof err);
	assert_null(img);
	assert_non_null(strstr(err, "bomb.png"));
	free(bomb);
	/* the untouched picture still loads */
	img = image_load(f->png, 0, 0, err, sizeof err);
	assert_non_null(img);
	assert_int_equal(img->w, 16);
	image_destroy(img);
}

static void test_percent_d_is_literal(void **state)
{
	struct fixture *f = *state;
	char *odd = path_join(f->dir, "poster%d.png");
	assert_int_equal(test_system("cp '%s' '%s'", f->png, odd), 0);
	char err[256];
	struct image *img = image_load(odd, 0, 0, err, sizeof err);
	assert_non_null(img);
	image_destroy(img);
	free(odd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_file_opens),
		cmocka_unit_test(test_playlists_refused),
		cmocka_unit_test(test_not_regular_files),
		cmocka_unit_test(test_deadline_and_abort),
		cmocka_unit_test(test_pixel_limit),
		cmocka_unit_test(test_percent_d_is_literal),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
