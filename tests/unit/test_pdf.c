/*
 * test_pdf: PDF leaflets made at test time with MuPDF's own writer (and a
 * few written by hand), opened and rendered through media/pdf: page count
 * and sizes, fitted and zoomed renders checked pixel by pixel, damaged
 * and hostile files, the pixel limit, two threads on one document, and
 * timings printed for the benchmark.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

#include <mupdf/fitz.h>

#include "base/log.h"
#include "base/util.h"
#include "media/avguard.h"
#include "media/pdf.h"
#include "test_support.h"

/* The leaflet: test_write_pdf's (tests/support), A5 portrait in points;
 * page n (1-based) has n black squares, square k at square_rect(k). */
#define LEAF_W TEST_PDF_W
#define LEAF_H TEST_PDF_H
#define LEAF_PAGES 20

struct fixture {
	char *dir;
	char *leaflet;   /* dir/leaflet.pdf, LEAF_PAGES pages */
};


static fz_rect square_rect(int k)
{
	float x0, y0, x1, y1;
	test_pdf_square(k, &x0, &y0, &x1, &y1);
	return fz_make_rect(x0, y0, x1, y1);
}

static bool write_leaflet_opts(const char *path, int pages,
			       const char *options, char *why, size_t why_size)
{
	return test_write_pdf(path, pages, options, why, why_size);
}

static bool write_leaflet(const char *path, int pages, char *why,
			  size_t why_size)
{
	return test_write_pdf(path, pages, NULL, why, why_size);
}

/* One object of a hand-written PDF: its body, len bytes (may hold NULs). */
struct raw_obj {
	const char *data;
	size_t len;
};

/* Write a PDF of n objects (numbered 1..n, 1 is the catalog) with a
 * correct xref table, so that only what the test damages on purpose is
 * damaged. */
static char *write_raw_pdf(const char *dir, const char *name,
			   const struct raw_obj *objs, int n)
{
	char *path = path_join(dir, name);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	long offsets[16];
	assert_true(n < 16);
	fputs("%PDF-1.4\n", fp);
	for (int i = 0; i < n; i++) {
		offsets[i] = ftell(fp);
		fprintf(fp, "%d 0 obj\n", i + 1);
		fwrite(objs[i].data, 1, objs[i].len, fp);
		fputs("\nendobj\n", fp);
	}
	long xref = ftell(fp);
	fprintf(fp, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
	for (int i = 0; i < n; i++)
		fprintf(fp, "%010ld 00000 n \n", offsets[i]);
	fprintf(fp, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n",
		n + 1, xref);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static struct raw_obj text_obj(const char *s)
{
	return (struct raw_obj){ s, strlen(s) };
}

/* A stream object around data; *buf receives the memory to free. */
static struct raw_obj stream_obj(const char *dict_extra, const void *data,
				 size_t len, char **buf)
{
	char *head = xasprintf("<< /Length %zu %s >>\nstream\n", len, dict_extra);
	size_t hl = strlen(head);
	*buf = xmalloc(hl + len + 11);
	memcpy(*buf, head, hl);
	memcpy(*buf + hl, data, len);
	memcpy(*buf + hl + len, "\nendstream", 10);
	free(head);
	return (struct raw_obj){ *buf, hl + len + 10 };
}

/* A one-page PDF with the given page dictionary extras and content. */
static char *write_one_page(const char *dir, const char *name,
			    const char *page_extra, const char *filter,
			    const void *content, size_t len)
{
	char *page = xasprintf("<< /Type /Page /Parent 2 0 R /Contents 4 0 R %s >>",
			       page_extra);
	char *buf;
	struct raw_obj objs[] = {
		text_obj("<< /Type /Catalog /Pages 2 0 R >>"),
		text_obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
		text_obj(page),
		stream_obj(filter, content, len, &buf),
	};
	char *path = write_raw_pdf(dir, name, objs, (int)ARRAY_LEN(objs));
	free(buf);
	free(page);
	return path;
}

static void write_bytes(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	if (len)
		assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* ------------------------------------------------------------------ */
/* Fixture and helpers                                                 */
/* ------------------------------------------------------------------ */

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->dir = test_tmpdir();
	f->leaflet = path_join(f->dir, "leaflet.pdf");
	char why[256] = "";
	if (!write_leaflet(f->leaflet, LEAF_PAGES, why, sizeof why)) {
		print_error("cannot write %s: %s\n", f->leaflet, why);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	log_set_hook(NULL, NULL);
	test_rmtree(f->dir);
	free(f->leaflet);
	free(f->dir);
	free(f);
	return 0;
}

static const uint8_t *pixel_at(const struct image *img, int x, int y)
{
	return img->pixels + (size_t)y * (size_t)img->pitch + (size_t)x * 4;
}

static int grey_at(const struct image *img, int x, int y)
{
	const uint8_t *p = pixel_at(img, x, y);
	return (p[0] + p[1] + p[2]) / 3;
}

static void assert_pixel(const struct image *img, int x, int y, int grey,
			 int tol)
{
	assert_true(x >= 0 && y >= 0 && x < img->w && y < img->h);
	const uint8_t *p = pixel_at(img, x, y);
	if (abs(p[0] - grey) > tol || abs(p[1] - grey) > tol ||
	    abs(p[2] - grey) > tol || p[3] != 255)
		fail_msg("pixel (%d,%d) is %d,%d,%d,%d; expected grey %d +-%d, opaque",
			 x, y, p[0], p[1], p[2], p[3], grey, tol);
}

/* The square's centre, in pixels of a render at scale. */
static void square_centre(int k, double scale, int *x, int *y)
{
	fz_rect r = square_rect(k);
	*x = (int)((r.x0 + r.x1) / 2 * scale);
	*y = (int)((r.y0 + r.y1) / 2 * scale);
}

/* Check a fitted render of page (0-based) of the leaflet: its squares are
 * black, the next square's place, the margins and gaps white. Returns
 * false instead of failing so threads can use it. */
static bool leaflet_page_ok(const struct image *img, int page, double scale)
{
	int x, y;
	for (int k = 0; k < LEAF_PAGES; k++) {
		square_centre(k, scale, &x, &y);
		int g = grey_at(img, x, y);
		if (k <= page ? g > 8 : g < 247)
			return false;
	}
	/* margin, gap between squares 0 and 1 */
	if (grey_at(img, 2, img->h - 3) < 247 ||
	    grey_at(img, (int)(72.5 * scale), (int)(120 * scale)) < 247)
		return false;
	return pixel_at(img, 0, 0)[3] == 255;
}

static double fit_scale(int max_w, int max_h)
{
	double sx = max_w / (double)LEAF_W, sy = max_h / (double)LEAF_H;
	return sx < sy ? sx : sy;
}

/* Messages seen by the log hook (called under the log's lock). */
struct seen {
	int warnings;
	char last_warning[512];
	char needle[256];
	int needle_hits;      /* warnings containing needle */
};

static void seen_hook(enum log_level level, const char *msg, void *data)
{
	struct seen *s = data;
	if (level != LOG_LEVEL_WARN)
		return;
	s->warnings++;
	snprintf(s->last_warning, sizeof s->last_warning, "%s", msg);
	if (s->needle[0] && strstr(msg, s->needle))
		s->needle_hits++;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void test_count_and_sizes(void **state)
{
	struct fixture *f = *state;
	char err[256] = "unchanged";
	struct pdf_doc *d = pdf_open(f->leaflet, err, sizeof err);
	if (!d)
		fail_msg("%s", err);
	assert_int_equal(pdf_page_count(d), LEAF_PAGES);
	for (int i = 0; i < LEAF_PAGES; i++) {
		double w = 0, h = 0;
		assert_true(pdf_page_size(d, i, &w, &h));
		assert_true(fabs(w - LEAF_W) < 0.01);
		assert_true(fabs(h - LEAF_H) < 0.01);
	}
	double w = -1, h = -1;
	assert_false(pdf_page_size(d, -1, &w, &h));
	assert_false(pdf_page_size(d, LEAF_PAGES, &w, &h));
	assert_true(w == -1 && h == -1);
	pdf_close(d);
	pdf_close(NULL);
	assert_int_equal(pdf_page_count(NULL), 0);
}

static void test_rotated_page_size(void **state)
{
	struct fixture *f = *state;
	const char content[] = "0 0 0 rg 10 10 50 30 re f\n";
	char *path = write_one_page(f->dir, "rotated.pdf",
				    "/MediaBox [0 0 200 100] /Rotate 90", "",
				    content, strlen(content));
	char err[256];
	struct pdf_doc *d = pdf_open(path, err, sizeof err);
	if (!d)
		fail_msg("%s", err);
	double w, h;
	assert_true(pdf_page_size(d, 0, &w, &h));
	assert_true(fabs(w - 100) < 0.01);
	assert_true(fabs(h - 200) < 0.01);
	struct image *img = pdf_render_fit(d, 0, 100, 400, err, sizeof err);
	assert_non_null(img);
	assert_int_equal(img->w, 100);
	assert_int_equal(img->h, 200);
	image_destroy(img);
	pdf_close(d);
	free(path);
}

static void test_render_fit(void **state)
{
	struct fixture *f = *state;
	char err[256];
	struct pdf_doc *d = pdf_open(f->leaflet, err, sizeof err);
	if (!d)
		fail_msg("%s", err);
	double s = fit_scale(300, 400);
	for (int page = 0; page < LEAF_PAGES; page++) {
		struct image *img = pdf_render_fit(d, page, 300, 400, err, sizeof err);
		if (!img)
			fail_msg("page %d: %s", page + 1, err);
		/* A5 is taller than 3:4, so the height fills the box */
		assert_int_equal(img->h, 400);
		assert_int_equal(img->w, 282);
		assert_true(img->pitch >= 4 * img->w);
		if (!leaflet_page_ok(img, page, s))
			fail_msg("page %d renders wrong", page + 1);
		image_destroy(img);
	}
	/* Page 5 in detail: square 4 black, square 5's place white, margins
	 * white, the title's ink somewhere in its line. */
	struct image *img = pdf_render_fit(d, 4, 300, 400, err, sizeof err);
	assert_non_null(img);
	int x, y;
	square_centre(4, s, &x, &y);
	assert_pixel(img, x, y, 0, 8);
	square_centre(5, s, &x, &y);
	assert_pixel(img, x, y, 255, 8);
	assert_pixel(img, 3, 3, 255, 0);
	assert_pixel(img, img->w - 2, img->h - 2, 255, 0);
	int ink = 0;
	for (int tx = 0; tx < img->w; tx++)
		for (int ty = (int)(42 * s); ty < (int)(62 * s); ty++)
			ink += grey_at(img, tx, ty) < 128;
	assert_true(ink > 20);
	image_destroy(img);

	/* A wide box: the height limits; a tall one: the width does. */
	img = pdf_render_fit(d, 0, 1000, 100, err, sizeof err);
	assert_non_null(img);
	assert_int_equal(img->h, 100);
	assert_int_equal(img->w, 71);
	image_destroy(img);
	img = pdf_render_fit(d, 0, 210, 10000, err, sizeof err);
	assert_non_null(img);
	assert_int_equal(img->w, 210);
	assert_int_equal(img->h, 298);
	image_destroy(img);
	pdf_close(d);
}

static void test_render_zoomed_region_is_sharp(void **state)
{
	struct fixture *f = *state;
	char err[256];
	struct pdf_doc *d = pdf_open(f->leaflet, err, sizeof err);
	if (!d)
		fail_msg("%s", err);
	/* Square 0 spans 30..70 x 100..140 pt: at scale 4 its top-left
	 * corner is pixel (120, 400). A 200x200 region from (20, 300) has
	 * that corner at (100, 100). */
	struct image *img = pdf_render(d, 0, 4.0, 20, 300, 200, 200, err, sizeof err);
	if (!img)
		fail_msg("%s", err);
	assert_int_equal(img->w, 200);
	assert_int_equal(img->h, 200);
	assert_pixel(img, 150, 150, 0, 0);     /* inside */
	assert_pixel(img, 50, 50, 255, 0);     /* outside */
	assert_pixel(img, 50, 150, 255, 0);
	assert_pixel(img, 150, 50, 255, 0);
	/* The edges fall on pixel boundaries at this scale: a render at this
	 * scale steps from white to black in one pixel; an upscaled smaller
	 * render would ramp over several. */
	for (int y = 110; y < 200; y += 7) {
		assert_pixel(img, 99, y, 255, 2);
		assert_pixel(img, 100, y, 0, 2);
	}
	for (int x = 110; x < 200; x += 7) {
		assert_pixel(img, x, 99, 255, 2);
		assert_pixel(img, x, 100, 0, 2);
	}
	image_destroy(img);

	/* At a scale that puts the edge mid-pixel, only that one pixel is
	 * grey (antialiasing), its neighbours pure. */
	img = pdf_render(d, 0, 4.05, 20, 300, 200, 200, err, sizeof err);
	assert_non_null(img);
	/* edge at 30 * 4.05 - 20 = 101.5 */
	int greys = 0;
	for (int x = 95; x < 108; x++) {
		int g = grey_at(img, x, 170);
		greys += g > 5 && g < 250;
	}
	assert_true(greys <= 1);
	assert_pixel(img, 100, 170, 255, 2);
	assert_pixel(img, 102, 170, 0, 2);
	int mid = grey_at(img, 101, 170);
	assert_true(mid > 80 && mid < 175);
	image_destroy(img);

	/* Regions partly or wholly off the page are white there. */
	img = pdf_render(d, 0, 1.0, -50, -50, 100, 100, err, sizeof err);
	assert_non_null(img);
	assert_pixel(img, 10, 10, 255, 0);
	image_destroy(img);
	img = pdf_render(d, 0, 1.0, 5000, 5000, 64, 64, err, sizeof err);
	assert_non_null(img);
	assert_pixel(img, 32, 32, 255, 0);
	image_destroy(img);
	pdf_close(d);
}

static void test_bad_arguments(void **state)
{
	struct fixture *f = *state;
	char err[256];
	struct pdf_doc *d = pdf_open(f->leaflet, err, sizeof err);
	assert_non_null(d);
	struct {
		int page;
		double scale;
		int w, h;
	} bad[] = {
		{ -1, 1, 10, 10 }, { LEAF_PAGES, 1, 10, 10 }, { 0, 0, 10, 10 },
		{ 0, -2, 10, 10 }, { 0, NAN, 10, 10 }, { 0, INFINITY, 10, 10 },
		{ 0, PDF_MAX_SCALE * 2, 10, 10 }, { 0, 1, 0, 10 }, { 0, 1, 10, -1 },
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		err[0] = '\0';
		struct image *img = pdf_render(d, bad[i].page, bad[i].scale, 0, 0,
					       bad[i].w, bad[i].h, err, sizeof err);
		assert_null(img);
		assert_non_null(strstr(err, f->leaflet));
	}
	assert_null(pdf_render_fit(d, 0, 0, 100, err, sizeof err));
	assert_null(pdf_render_fit(d, 99, 100, 100, err, sizeof err));
	assert_non_null(strstr(err, f->leaflet));
	assert_null(pdf_render(NULL, 0, 1, 0, 0, 1, 1, err, sizeof err));
	pdf_close(d);
}

static void test_pixel_limit(void **state)
{
	struct fixture *f = *state;
	char err[256];
	struct pdf_doc *d = pdf_open(f->leaflet, err, sizeof err);
	assert_non_null(d);
	/* 8000 x 8000 = 64 megapixels */
	assert_true(8000LL * 8000 > AVGUARD_MAX_PIXELS);
	struct image *img = pdf_render(d, 0, 20.0, 0, 0, 8000, 8000, err, sizeof err);
	assert_null(img);
	assert_non_null(strstr(err, f->leaflet));
	assert_non_null(strstr(err, "limit"));
	/* a fit into a huge box: 7059 x 10000 */
	img = pdf_render_fit(d, 0, 10000, 10000, err, sizeof err);
	assert_null(img);
	assert_non_null(strstr(err, "limit"));
	/* and just under the limit is not refused for size (not drawn here:
	 * 50 MB; a thin strip with the same scale is) */
	img = pdf_render(d, 0, 20.0, 0, 0, 8000, 16, err, sizeof err);
	assert_non_null(img);
	image_destroy(img);
	pdf_close(d);
}

static void test_truncated(void **state)
{
	struct fixture *f = *state;
	size_t len = 0;
	char *data = file_read_all(f->leaflet, &len);
	assert_non_null(data);
	int pcts[] = { 60, 30, 90, 99 };
	for (size_t i = 0; i < ARRAY_LEN(pcts); i++) {
		char name[64];
		snprintf(name, sizeof name, "cut%d.pdf", pcts[i]);
		char *path = path_join(f->dir, name);
		write_bytes(path, data, len * (size_t)pcts[i] / 100);

		struct seen seen = { 0 };
		snprintf(seen.needle, sizeof seen.needle, "%s: damaged PDF repaired", path);
		log_set_hook(seen_hook, &seen);
		char err[256] = "";
		struct pdf_doc *d = pdf_open(path, err, sizeof err);
		log_set_hook(NULL, NULL);
		if (!d) {
			print_message("cut at %d %%: refused: %s\n", pcts[i], err);
			assert_non_null(strstr(err, path));
			assert_true(strlen(err) > strlen(path) + 2);
		} else {
			int n = pdf_page_count(d);
			int drawn = 0;
			char first_err[256] = "";
			assert_true(n >= 1 && n <= LEAF_PAGES);
			assert_int_equal(seen.needle_hits, 1);
			for (int p = 0; p < n; p++) {
				struct image *img = pdf_render_fit(d, p, 105, 150,
								   err, sizeof err);
				if (img) {
					drawn++;
					image_destroy(img);
				} else {
					assert_non_null(strstr(err, path));
					if (!first_err[0])
						snprintf(first_err, sizeof first_err,
							 "%s", err);
				}
			}
			print_message("cut at %d %%: opened with repair, %d pages, %d drawn%s%s\n",
				      pcts[i], n, drawn, first_err[0] ? "; first refusal: " : "",
				      first_err);
			pdf_close(d);
		}
		free(path);
	}
	free(data);
}

static void test_hostile_files(void **state)
{
	struct fixture *f = *state;
	char err[256];

	/* random bytes named .pdf, and random bytes after a PDF header */
	uint8_t noise[8192];
	srand(7);
	for (size_t i = 0; i < sizeof noise; i++)
		noise[i] = (uint8_t)(rand() & 0xFF);
	char *path = path_join(f->dir, "noise.pdf");
	write_bytes(path, noise, sizeof noise);
	err[0] = '\0';
	assert_null(pdf_open(path, err, sizeof err));
	print_message("noise: %s\n", err);
	assert_non_null(strstr(err, path));
	assert_true(strlen(err) > strlen(path) + 2);
	memcpy(noise, "%PDF-1.7\n", 9);
	write_bytes(path, noise, sizeof noise);
	err[0] = '\0';
	assert_null(pdf_open(path, err, sizeof err));
	print_message("header + noise: %s\n", err);
	assert_non_null(strstr(err, path));
	free(path);

	/* zero length */
	path = path_join(f->dir, "empty.pdf");
	write_bytes(path, "", 0);
	assert_null(pdf_open(path, err, sizeof err));
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "empty"));
	free(path);

	/* a directory */
	path = path_join(f->dir, "folder.pdf");
	assert_true(mkdir_parents(path));
	assert_null(pdf_open(path, err, sizeof err));
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "directory"));
	free(path);

	/* a missing file */
	path = path_join(f->dir, "nothing-here.pdf");
	assert_null(pdf_open(path, err, sizeof err));
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "No such file"));
	free(path);

	/* a FIFO: refused at once, not blocking in open(2) */
	path = path_join(f->dir, "fifo.pdf");
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_null(pdf_open(path, err, sizeof err));
	assert_non_null(strstr(err, "not a regular file"));
	free(path);

	/* a sparse file over the size limit */
	path = path_join(f->dir, "huge.pdf");
	assert_int_equal(test_system("truncate -s %lld '%s'",
				     (long long)PDF_MAX_FILE_BYTES + 1, path), 0);
	assert_null(pdf_open(path, err, sizeof err));
	assert_non_null(strstr(err, "limit"));
	free(path);

	/* a valid PDF with no pages */
	struct raw_obj none[] = {
		text_obj("<< /Type /Catalog /Pages 2 0 R >>"),
		text_obj("<< /Type /Pages /Kids [] /Count 0 >>"),
	};
	path = write_raw_pdf(f->dir, "nopages.pdf", none, 2);
	assert_null(pdf_open(path, err, sizeof err));
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "no pages"));
	free(path);
}

static void test_too_many_pages(void **state)
{
	struct fixture *f = *state;
	char *path = path_join(f->dir, "thick.pdf");
	char why[256] = "";
	assert_true(write_leaflet(path, PDF_MAX_PAGES + 1, why, sizeof why));
	char err[256];
	assert_null(pdf_open(path, err, sizeof err));
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "the limit is"));
	free(path);
}

static void test_password(void **state)
{
	struct fixture *f = *state;
	char *path = path_join(f->dir, "locked.pdf");
	char why[256] = "";
	if (!write_leaflet_opts(path, 2, "encrypt=aes-128,user-password=secret,"
				"owner-password=secret", why, sizeof why))
		fail_msg("%s", why);
	char err[256];
	assert_null(pdf_open(path, err, sizeof err));
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "password"));
	free(path);

	/* An owner password only (empty user password) opens. */
	path = path_join(f->dir, "owner.pdf");
	if (!write_leaflet_opts(path, 2, "encrypt=aes-128,owner-password=secret",
				why, sizeof why))
		fail_msg("%s", why);
	struct pdf_doc *d = pdf_open(path, err, sizeof err);
	if (!d)
		fail_msg("%s", err);
	struct image *img = pdf_render_fit(d, 1, 150, 210, err, sizeof err);
	assert_non_null(img);
	assert_true(leaflet_page_ok(img, 1, fit_scale(150, 210)));
	image_destroy(img);
	pdf_close(d);
	free(path);
}

static void test_damaged_content(void **state)
{
	struct fixture *f = *state;
	char err[256];

	/* A Flate content stream cut half-way: the first square is drawn,
	 * the second (in the lost half) is not. */
	char plain[16384];
	size_t n = (size_t)snprintf(plain, sizeof plain, "0 0 0 rg 20 20 60 60 re f\n");
	/* padding in the middle that deflates poorly */
	srand(3);
	for (int i = 0; i < 400; i++)
		n += (size_t)snprintf(plain + n, sizeof plain - n, "%% %08x\n",
				      (unsigned)rand());
	n += (size_t)snprintf(plain + n, sizeof plain - n, "0 0 0 rg 120 20 60 60 re f\n");
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_UNLIMITED);
	assert_non_null(ctx);
	size_t zlen = 0;
	unsigned char *z = fz_new_deflated_data(ctx, &zlen, (unsigned char *)plain,
						n, FZ_DEFLATE_DEFAULT);
	char *path = write_one_page(f->dir, "cutstream.pdf",
				    "/MediaBox [0 0 200 100]", "/Filter /FlateDecode",
				    z, zlen / 2);
	fz_free(ctx, z);
	fz_drop_context(ctx);

	struct seen seen = { 0 };
	snprintf(seen.needle, sizeof seen.needle, "%s", path);
	log_set_hook(seen_hook, &seen);
	struct pdf_doc *d = pdf_open(path, err, sizeof err);
	if (!d)
		fail_msg("%s", err);
	struct image *img = pdf_render(d, 0, 1.0, 0, 0, 200, 100, err, sizeof err);
	log_set_hook(NULL, NULL);
	if (!img)
		fail_msg("%s", err);
	/* y up in PDF: the squares are at rows 20..80 from the bottom */
	assert_pixel(img, 50, 50, 0, 8);
	assert_pixel(img, 150, 50, 255, 0);
	assert_true(seen.needle_hits >= 1);
	print_message("cut stream: %d warnings, last: %s\n", seen.warnings,
		      seen.last_warning);
	image_destroy(img);
	pdf_close(d);
	free(path);

	/* Garbage in the middle of a plain content stream: MuPDF skips what
	 * it cannot parse; both squares are drawn. */
	const char junk[] = "0 0 0 rg 20 20 60 60 re f\n"
			    "] } >> <<< /( 1 2 3 Tj BT ET ET q Q Q Q ) 9 9 foo bar\n"
			    "0 0 0 rg 120 20 60 60 re f\n";
	path = write_one_page(f->dir, "junk.pdf", "/MediaBox [0 0 200 100]", "",
			      junk, strlen(junk));
	memset(&seen, 0, sizeof seen);
	snprintf(seen.needle, sizeof seen.needle, "%s", path);
	log_set_hook(seen_hook, &seen);
	d = pdf_open(path, err, sizeof err);
	assert_non_null(d);
	img = pdf_render(d, 0, 1.0, 0, 0, 200, 100, err, sizeof err);
	log_set_hook(NULL, NULL);
	if (!img)
		fail_msg("%s", err);
	assert_pixel(img, 50, 50, 0, 8);
	print_message("junk stream: square 2 grey %d; %d warnings, last: %s\n",
		      grey_at(img, 150, 50), seen.warnings, seen.last_warning);
	image_destroy(img);
	pdf_close(d);
	free(path);

	/* A content stream that is all noise under FlateDecode: nothing can
	 * be drawn, so the render fails with a reason naming the file. */
	uint8_t noise[512];
	for (size_t i = 0; i < sizeof noise; i++)
		noise[i] = (uint8_t)(rand() & 0xFF);
	path = write_one_page(f->dir, "noisestream.pdf", "/MediaBox [0 0 200 100]",
			      "/Filter /FlateDecode", noise, sizeof noise);
	d = pdf_open(path, err, sizeof err);
	assert_non_null(d);
	err[0] = '\0';
	img = pdf_render(d, 0, 1.0, 0, 0, 200, 100, err, sizeof err);
	print_message("noise stream: %s\n", img ? "(drawn)" : err);
	assert_null(img);
	assert_non_null(strstr(err, path));
	/* the page's size is still known */
	double w, h;
	assert_true(pdf_page_size(d, 0, &w, &h));
	pdf_close(d);
	free(path);

	/* An empty page is not an error: it is white. */
	path = write_one_page(f->dir, "blank.pdf", "/MediaBox [0 0 200 100]", "",
			      "", 0);
	d = pdf_open(path, err, sizeof err);
	assert_non_null(d);
	img = pdf_render_fit(d, 0, 100, 100, err, sizeof err);
	if (!img)
		fail_msg("%s", err);
	assert_pixel(img, 50, 25, 255, 0);
	image_destroy(img);
	pdf_close(d);
	free(path);
}

/* ------------------------------------------------------------------ */
/* Threads                                                             */
/* ------------------------------------------------------------------ */

#define THREAD_RENDERS 100

struct worker {
	struct pdf_doc *d;       /* shared document, or NULL to open own */
	const char *path;
	int first;               /* first page; steps by 2 */
	int failures;
	char why[256];
};

static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	char err[256];
	struct pdf_doc *own = NULL;
	struct pdf_doc *d = wk->d;
	if (!d) {
		own = d = pdf_open(wk->path, err, sizeof err);
		if (!d) {
			wk->failures++;
			snprintf(wk->why, sizeof wk->why, "%s", err);
			return NULL;
		}
	}
	double s = fit_scale(150, 210);
	for (int i = 0; i < THREAD_RENDERS; i++) {
		int page = (wk->first + 2 * i) % LEAF_PAGES;
		struct image *img;
		if (i % 5 == 4) {
			/* a zoomed region around square 0's corner */
			img = pdf_render(d, page, 3.0, 60, 270, 64, 64, err, sizeof err);
			if (img && (grey_at(img, 60, 60) > 8 || grey_at(img, 10, 10) < 247))
				snprintf(err, sizeof err, "page %d: zoom wrong", page + 1);
			else if (img)
				err[0] = '\0';
		} else {
			img = pdf_render_fit(d, page, 150, 210, err, sizeof err);
			if (img && !leaflet_page_ok(img, page, s))
				snprintf(err, sizeof err, "page %d: fit wrong", page + 1);
			else if (img)
				err[0] = '\0';
		}
		double w, h;
		if (!img || err[0] || !pdf_page_size(d, (page + 7) % LEAF_PAGES, &w, &h)) {
			wk->failures++;
			snprintf(wk->why, sizeof wk->why, "%s", err[0] ? err : "page size failed");
		}
		image_destroy(img);
	}
	pdf_close(own);
	return NULL;
}

static void test_two_threads_one_document(void **state)
{
	struct fixture *f = *state;
	char err[256];
	struct pdf_doc *d = pdf_open(f->leaflet, err, sizeof err);
	assert_non_null(d);
	struct worker wk[3] = {
		{ .d = d, .first = 0 },
		{ .d = d, .first = 1 },
		{ .d = NULL, .path = f->leaflet, .first = 5 }, /* own document */
	};
	pthread_t th[3];
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker_main, &wk[i]), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < 3; i++)
		if (wk[i].failures)
			fail_msg("thread %d: %d failures, last: %s", i,
				 wk[i].failures, wk[i].why);
	pdf_close(d);
}

/* ------------------------------------------------------------------ */
/* Timings (printed, not asserted)                                     */
/* ------------------------------------------------------------------ */

static void test_timings(void **state)
{
	struct fixture *f = *state;
	char err[256];
	double t0 = now_ms();
	struct pdf_doc *d = pdf_open(f->leaflet, err, sizeof err);
	assert_non_null(d);
	double t1 = now_ms();
	struct image *p1 = pdf_render_fit(d, 0, 1080, 1920, err, sizeof err);
	assert_non_null(p1);
	double t2 = now_ms();
	struct image *p2 = pdf_render_fit(d, 1, 1080, 1920, err, sizeof err);
	assert_non_null(p2);
	double t3 = now_ms();
	struct image *again = pdf_render_fit(d, 0, 1080, 1920, err, sizeof err);
	assert_non_null(again);
	double t4 = now_ms();
	struct image *zoom = pdf_render(d, 19, 6.0, 600, 1200, 1080, 1920, err,
					sizeof err);
	assert_non_null(zoom);
	double t5 = now_ms();
	print_message("timing: 20-page A5 PDF fitted to 1080x1920 (%dx%d):\n"
		      "timing:   open                    %7.2f ms\n"
		      "timing:   render page 1           %7.2f ms\n"
		      "timing:   open + render page 1    %7.2f ms\n"
		      "timing:   render page 2           %7.2f ms\n"
		      "timing:   render page 1 again     %7.2f ms (cached page)\n"
		      "timing:   page 20 at scale 6, 1080x1920 region %7.2f ms\n",
		      p1->w, p1->h, t1 - t0, t2 - t1, t2 - t0, t3 - t2, t4 - t3,
		      t5 - t4);
	image_destroy(p1);
	image_destroy(p2);
	image_destroy(again);
	image_destroy(zoom);
	pdf_close(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_count_and_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotated_page_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_fit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_zoomed_region_is_sharp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pixel_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_threads_one_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timings, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
