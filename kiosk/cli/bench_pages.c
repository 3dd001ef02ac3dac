/*
 * bench_pages: the benchmarks of things looked at page by page.
 *
 * `kiosk bench leaflet [FILE]`: a PDF leaflet (by default a generated
 * 20-page one, made with `mutool create`): from tap to the first page on
 * a 1920x1080 screen, and a page turn when the next page was prepared on
 * a background thread (and when it was not), each the median of five,
 * beside `mutool draw` drawing the first page.
 *
 * `kiosk bench text [FILE]`: a text leaflet (by default a generated one
 * of 2,000 Vietnamese words): layout for a 1920x1080 screen, fresh and
 * at the large-text setting, median of five; then frame times while
 * scrolling it from top to bottom with the software renderer.
 *
 * `kiosk bench poster [FILE]`. A JPEG poster (by default a
 * generated 24-megapixel one) from "tap" to fully on a 1920x1080 screen:
 * decoded for the screen, uploaded, drawn and presented, median of five
 * runs, beside the ffmpeg tool decoding the same file (and djpeg when
 * installed). Then a scripted zoom and pan over it, as fingers would do
 * it, with SDL's software renderer: frame time p50/p99 of drawing and
 * presenting, which includes taking in the sharper decodes.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>

#include "base/util.h"
#include "cli/bench.h"
#include "media/avguard.h"
#include "media/pdf.h"
#include "base/config.h"
#include "content/leaflet.h"
#include "ui/leaflet_view.h"
#include "ui/text.h"
#include "ui/picview.h"
#include "ui/zoomview.h"

#define SCREEN_W 1920
#define SCREEN_H 1080
#define RUNS 5

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The q-quantile of n sorted values. */
static double quantile(const double *v, int n, double q)
{
	int i = (int)ceil(q * n) - 1;
	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* The screen these benchmarks draw on: SDL (offscreen unless a video
 * driver is set) with a hidden 1920x1080 window and the software
 * renderer, no GL surface. NULL with the reason on stderr; *w is set
 * either way (NULL or the window, for bench_screen_close). */
static SDL_Renderer *bench_screen(SDL_Window **w)
{
	*w = NULL;
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "kiosk bench: SDL: %s\n", SDL_GetError());
		return NULL;
	}
	*w = SDL_CreateWindow("bench", 0, 0, SCREEN_W, SCREEN_H, SDL_WINDOW_HIDDEN);
	SDL_Renderer *r = *w ? SDL_CreateRenderer(*w, -1, SDL_RENDERER_SOFTWARE) : NULL;
	if (!r)
		fprintf(stderr, "kiosk bench: no renderer: %s\n", SDL_GetError());
	return r;
}

static void bench_screen_close(SDL_Window *w, SDL_Renderer *r)
{
	if (r)
		SDL_DestroyRenderer(r);
	if (w)
		SDL_DestroyWindow(w);
	SDL_Quit();
}

/* Time for one tap-to-screen of path, in ms; -1 on failure. */
static double tap_to_screen_ms(SDL_Renderer *r, const char *path)
{
	char err[256];
	int64_t t0 = time_mono_ms();
	SDL_Rect box = { 0, 0, SCREEN_W, SCREEN_H };
	struct picview *pv = picview_create(r, path, box, AVGUARD_MAX_PIXELS, err,
					    sizeof err);
	if (!pv) {
		fprintf(stderr, "kiosk bench: %s\n", err);
		return -1;
	}
	SDL_RenderClear(r);
	picview_draw(pv, r);
	SDL_RenderPresent(r);
	double ms = (double)(time_mono_ms() - t0);
	picview_destroy(pv);
	return ms;
}

/* Median wall time of a tool decoding path, in ms; -1 if it cannot run. */
static double tool_ms(char *const *argv)
{
	double t[RUNS];
	for (int i = 0; i < RUNS; i++) {
		struct child_usage use;
		if (run_child(argv, NULL, &use) != 0)
			return -1;
		t[i] = use.wall_s * 1000;
	}
	qsort(t, RUNS, sizeof *t, cmp_double);
	return t[RUNS / 2];
}

/* Zoom in to 8x at a point over 120 frames, pan across over 120, zoom
 * out over 120; frame times (draw + present + ticks) into ms[]. */
static int zoom_pan(SDL_Renderer *r, const char *path, double *ms, int max)
{
	char err[256];
	SDL_Rect box = { 0, 0, SCREEN_W, SCREEN_H };
	struct picview *pv = picview_create(r, path, box, AVGUARD_MAX_PIXELS, err,
					    sizeof err);
	if (!pv) {
		fprintf(stderr, "kiosk bench: %s\n", err);
		return 0;
	}
	int n = 0;
	int64_t start = time_mono_ms();
	for (int f = 0; f < 360 && n < max; f++) {
		struct ui_event ev = { .type = UI_PINCH, .x = 1300, .y = 400, .scale = 1.0 };
		if (f < 120)
			ev.scale = pow(8.0, 1.0 / 120);        /* pinch out */
		else if (f < 240)
			ev.dx = -12;                           /* two fingers pan */
		else
			ev.scale = pow(1.0 / 8.0, 1.0 / 120);  /* pinch in */
		int64_t t0 = time_mono_ms();
		double t0_us = (double)SDL_GetPerformanceCounter();
		picview_event(pv, &ev, t0 - start);
		bool redraw = false;
		picview_tick(pv, t0 - start, &redraw);
		SDL_RenderClear(r);
		picview_draw(pv, r);
		SDL_RenderPresent(r);
		ms[n++] = ((double)SDL_GetPerformanceCounter() - t0_us) * 1000.0 /
			  (double)SDL_GetPerformanceFrequency();
		/* a 60 Hz screen: the next gesture step comes a frame later */
		int64_t spent = time_mono_ms() - t0;
		if (spent < 16)
			SDL_Delay((Uint32)(16 - spent));
	}
	int w, h;
	picview_decoded_size(pv, &w, &h);
	printf("  largest decode used: %dx%d\n", w, h);
	picview_destroy(pv);
	return n;
}

int bench_poster(const char *file)
{
	char tmpl[] = "/tmp/kiosk-bench-XXXXXX";
	char *made = NULL;
	if (!getenv("SDL_VIDEODRIVER"))
		setenv("SDL_VIDEODRIVER", "offscreen", 1);
	if (!file) {
		if (!bench_tmpdir(tmpl))
			return 1;
		made = path_join(tmpl, "poster-24mp.jpg");
		printf("generating a 6000x4000 (24-megapixel) JPEG poster ...\n");
		fflush(stdout);
		char *cmd = xasprintf("ffmpeg -nostdin -v error -y -f lavfi "
				      "-i testsrc2=s=6000x4000 -frames:v 1 -q:v 3 '%s'", made);
		int rc = system(cmd);
		free(cmd);
		if (rc != 0) {
			fprintf(stderr, "kiosk bench: ffmpeg could not make the poster\n");
			free(made);
			rmdir(tmpl);
			return 1;
		}
		file = made;
	}
	int status = 1;
	SDL_Window *w;
	SDL_Renderer *r = bench_screen(&w);
	if (!r)
		goto quit;
	double t[RUNS];
	for (int i = 0; i < RUNS; i++) {
		t[i] = tap_to_screen_ms(r, file);
		if (t[i] < 0)
			goto quit;
	}
	qsort(t, RUNS, sizeof *t, cmp_double);
	char *ff[] = { "ffmpeg", "-nostdin", "-v", "error", "-i", (char *)file,
		       "-f", "null", "-", NULL };
	char *dj[] = { "djpeg", "-outfile", "/dev/null", (char *)file, NULL };
	double ff_ms = tool_ms(ff), dj_ms = tool_ms(dj);
	printf("poster %s on a %dx%d screen (software renderer)\n", file, SCREEN_W,
	       SCREEN_H);
	printf("  tap to fully on screen: %.0f ms (median of %d; target <= 250 ms)\n",
	       t[RUNS / 2], RUNS);
	if (ff_ms > 0)
		printf("  ffmpeg decoding it to null: %.0f ms (ratio %.2f)\n", ff_ms,
		       t[RUNS / 2] / ff_ms);
	if (dj_ms > 0)
		printf("  djpeg decoding it: %.0f ms (ratio %.2f)\n", dj_ms,
		       t[RUNS / 2] / dj_ms);
	else
		printf("  djpeg: not installed (libjpeg-turbo-progs)\n");

	double ms[400];
	int n = zoom_pan(r, file, ms, 400);
	if (n == 0)
		goto quit;
	qsort(ms, (size_t)n, sizeof *ms, cmp_double);
	printf("  zoom to 8x, pan, zoom out (%d frames): frame time p50 %.1f ms, "
	       "p99 %.1f ms, max %.1f ms (target p99 <= 16.7 ms)\n", n,
	       quantile(ms, n, 0.5), quantile(ms, n, 0.99), ms[n - 1]);
	status = 0;
quit:
	bench_screen_close(w, r);
	bench_file_remove(tmpl, made);
	return status;
}

/* ------------------------------------------------------------------ */
/* Leaflets                                                            */
/* ------------------------------------------------------------------ */

struct bench_page {
	struct pdf_doc *doc;
	int page;
};

static struct image *bench_draw_page(void *userdata, double scale, int x, int y,
				     int w, int h, char *err, size_t err_size)
{
	const struct bench_page *bp = userdata;
	return pdf_render(bp->doc, bp->page, scale, x, y, w, h, err, err_size);
}

/* Show page of doc (base: drawn ahead, taken over; NULL: draw now) and
 * present it; ms taken, -1 on failure. */
static double show_page_ms(SDL_Renderer *r, struct pdf_doc *doc, int page,
			   struct image *base)
{
	double t0 = (double)SDL_GetPerformanceCounter();
	double w_pt, h_pt;
	if (!pdf_page_size(doc, page, &w_pt, &h_pt)) {
		image_destroy(base);
		return -1;
	}
	struct bench_page bp = { doc, page };
	struct picsource src = { .content_w = (int)ceil(w_pt), .content_h = (int)ceil(h_pt),
				 .max_px_per_content = 8, .render = bench_draw_page,
				 .userdata = &bp };
	char err[256];
	SDL_Rect box = { 0, 0, SCREEN_W, SCREEN_H };
	struct picview *pv = picview_create_source(r, &src, base, box, err, sizeof err);
	if (!pv) {
		fprintf(stderr, "kiosk bench: %s\n", err);
		return -1;
	}
	SDL_RenderClear(r);
	picview_draw(pv, r);
	SDL_RenderPresent(r);
	double ms = ((double)SDL_GetPerformanceCounter() - t0) * 1000.0 /
		    (double)SDL_GetPerformanceFrequency();
	picview_destroy(pv);
	return ms;
}

/* A 20-page leaflet of text lines and a bar, made with mutool create in
 * dir. Returns its path (caller frees) or NULL. */
static char *make_leaflet(const char *dir)
{
	char *pdf = path_join(dir, "leaflet-20.pdf");
	char *cmd = xasprintf(
		"cd '%s' && for i in $(seq 1 20); do { "
		"echo '%%%%MediaBox 0 0 420 595'; echo '%%%%Font F1 Helvetica'; "
		"echo \"BT /F1 18 Tf 30 540 Td (Page $i) Tj ET\"; "
		"for k in $(seq 1 40); do echo \"BT /F1 9 Tf 30 $((520 - k * 12)) Td "
		"(Line $k of a leaflet page, text about human rights to draw.) Tj ET\"; done; "
		"echo \"0 0 0 rg 30 30 $((i * 15)) 20 re f\"; } > p$i.txt; done && "
		"mutool create -o leaflet-20.pdf $(ls p*.txt | sort -V) 2>/dev/null && rm -f p*.txt",
		dir);
	int rc = system(cmd);
	free(cmd);
	if (rc != 0) {
		fprintf(stderr, "kiosk bench: mutool could not make the leaflet "
			"(apt-get install mupdf-tools)\n");
		free(pdf);
		return NULL;
	}
	return pdf;
}

int bench_leaflet(const char *file)
{
	char tmpl[] = "/tmp/kiosk-bench-XXXXXX";
	char *made = NULL;
	if (!getenv("SDL_VIDEODRIVER"))
		setenv("SDL_VIDEODRIVER", "offscreen", 1);
	if (!file) {
		if (!bench_tmpdir(tmpl))
			return 1;
		printf("generating a 20-page PDF leaflet ...\n");
		made = make_leaflet(tmpl);
		if (!made) {
			rmdir(tmpl);
			return 1;
		}
		file = made;
	}
	int status = 1;
	SDL_Window *w;
	SDL_Renderer *r = bench_screen(&w);
	if (!r)
		goto quit;
	double first[RUNS], turn[RUNS], cold[RUNS];
	char err[256];
	for (int i = 0; i < RUNS; i++) {
		/* tap: open the file, draw page 1 fitted, present */
		double t0 = (double)SDL_GetPerformanceCounter();
		struct pdf_doc *doc = pdf_open(file, err, sizeof err);
		if (!doc) {
			fprintf(stderr, "kiosk bench: %s\n", err);
			goto quit;
		}
		double shown = show_page_ms(r, doc, 0, NULL);
		first[i] = ((double)SDL_GetPerformanceCounter() - t0) * 1000.0 /
			   (double)SDL_GetPerformanceFrequency();
		/* page 2 prepared ahead (as the viewer does while page 1 is
		 * read), then the turn */
		struct image *ahead = pdf_render_fit(doc, 1 % pdf_page_count(doc),
						     SCREEN_W, SCREEN_H, err, sizeof err);
		turn[i] = show_page_ms(r, doc, 1 % pdf_page_count(doc), ahead);
		/* and a turn to a page nobody prepared */
		cold[i] = show_page_ms(r, doc, pdf_page_count(doc) - 1, NULL);
		pdf_close(doc);
		if (shown < 0 || turn[i] < 0 || cold[i] < 0)
			goto quit;
	}
	qsort(first, RUNS, sizeof *first, cmp_double);
	qsort(turn, RUNS, sizeof *turn, cmp_double);
	qsort(cold, RUNS, sizeof *cold, cmp_double);
	char *md[] = { "mutool", "draw", "-q", "-o", "/dev/null", "-F", "png",
		       "-w", "1920", "-h", "1080", (char *)file, "1", NULL };
	double mutool_ms = tool_ms(md);
	printf("leaflet %s on a %dx%d screen (software renderer)\n", file, SCREEN_W,
	       SCREEN_H);
	printf("  tap to first page on screen: %.1f ms (median of %d; target <= 300 ms)\n",
	       first[RUNS / 2], RUNS);
	printf("  page turn, next page prepared: %.1f ms (target <= 100 ms)\n",
	       turn[RUNS / 2]);
	printf("  page turn, page not prepared: %.1f ms\n", cold[RUNS / 2]);
	if (mutool_ms > 0)
		printf("  mutool draw, page 1 to PNG at 1920x1080 (a process of its "
		       "own): %.1f ms\n", mutool_ms);
	else
		printf("  mutool: not installed (mupdf-tools)\n");
	status = 0;
quit:
	bench_screen_close(w, r);
	bench_file_remove(tmpl, made);
	return status;
}

/* ------------------------------------------------------------------ */
/* Text leaflets                                                       */
/* ------------------------------------------------------------------ */

/* About 2,000 words of Vietnamese markup: our own sentences, repeated. */
static char *make_text(void)
{
	static const char *const sentences[] = {
		"Mọi người sinh ra đều được tự do và bình đẳng về nhân phẩm và quyền.",
		"Trẻ em có quyền được học tập, vui chơi và được bảo vệ khỏi bạo lực.",
		"Phụ nữ và nam giới bình đẳng trong gia đình, nơi làm việc và đời sống chính trị.",
		"Người khuyết tật có quyền tiếp cận thông tin, giáo dục và việc làm như mọi người.",
		"Đồng bào các dân tộc thiểu số có quyền dùng tiếng nói và chữ viết của mình.",
	};
	char *out = xstrdup("# Quyền con người trong đời sống hằng ngày\n\n");
	int words = 0;
	for (int para = 0; words < 2000; para++) {
		char *head = para % 6 == 0 ? xasprintf("## Phần %d\n\n", para / 6 + 1) : xstrdup("");
		char *p = xasprintf("%s%s", out, head);
		free(out);
		free(head);
		out = p;
		for (int k = 0; k < 4; k++) {
			const char *snt = sentences[(para + k) % 5];
			p = xasprintf("%s%s%s", out, k == 1 ? "**" : "", snt);
			free(out);
			out = p;
			if (k == 1) {
				p = xasprintf("%s** ", out);
				free(out);
				out = p;
			} else {
				p = xasprintf("%s ", out);
				free(out);
				out = p;
			}
			for (const char *c = snt; *c; c++)
				words += *c == ' ';
			words++;
		}
		p = xasprintf("%s\n\n", out);
		free(out);
		out = p;
	}
	return out;
}

int bench_text(const char *file)
{
	if (!getenv("SDL_VIDEODRIVER"))
		setenv("SDL_VIDEODRIVER", "offscreen", 1);
	struct kiosk_config cfg;
	config_defaults(&cfg);
	struct diag_list diags;
	diag_list_init(&diags);
	struct leaflet *doc = NULL;
	if (file) {
		doc = leaflet_load(file, &diags);
	} else {
		char *text = make_text();
		doc = leaflet_parse(text, strlen(text), "(generated)", ".", &diags);
		free(text);
	}
	diag_list_finish(&diags);
	if (!doc) {
		fprintf(stderr, "kiosk bench: the leaflet cannot be read\n");
		return 1;
	}
	long words = 0;
	for (size_t b = 0; b < doc->n_blocks; b++)
		for (size_t r = 0; r < doc->blocks[b].n_runs; r++)
			for (const char *c = doc->blocks[b].runs[r].text; *c; c++)
				words += *c == ' ';
	int status = 1;
	struct text_engine *te = NULL;
	struct leaflet_view *lv = NULL;
	struct leaflet_layout *lo = NULL;
	SDL_Window *w;
	SDL_Renderer *r = bench_screen(&w);
	if (r)
		te = text_create(r, cfg.font_path, cfg.font_bold_path);
	if (te) {
		size_t n_fallback;
		const char **fallback = config_split_paths(cfg.font_fallback, &n_fallback);
		text_set_fallback_fonts(te, fallback, n_fallback);
		free(fallback);
	}
	if (!te) {
		fprintf(stderr, "kiosk bench: no renderer or fonts: %s\n", SDL_GetError());
		goto out;
	}
	int unit = SCREEN_H / 100;
	struct leaflet_layout_params p = { .width_px = unit * 4 * 10 * 45 / 20,
					   .base_size_px = unit * 4, .scale = 1.0f,
					   .max_picture_h_px = SCREEN_H };
	double fresh[RUNS], large[RUNS];
	for (int i = 0; i < RUNS; i++) {
		/* a new view each time: nothing measured or drawn yet */
		leaflet_view_destroy(lv);
		text_clear_cache(te);
		lv = leaflet_view_create(te, r, NULL);
		if (!lv)
			goto out;
		double t0 = (double)SDL_GetPerformanceCounter();
		leaflet_layout_destroy(lo);
		lo = leaflet_layout_create(lv, doc, &p);
		fresh[i] = ((double)SDL_GetPerformanceCounter() - t0) * 1000.0 /
			   (double)SDL_GetPerformanceFrequency();
		struct leaflet_layout_params pl = p;
		pl.scale = 1.4f;
		t0 = (double)SDL_GetPerformanceCounter();
		struct leaflet_layout *lo2 = leaflet_layout_create(lv, doc, &pl);
		large[i] = ((double)SDL_GetPerformanceCounter() - t0) * 1000.0 /
			   (double)SDL_GetPerformanceFrequency();
		leaflet_layout_destroy(lo2);
		if (!lo)
			goto out;
	}
	qsort(fresh, RUNS, sizeof *fresh, cmp_double);
	qsort(large, RUNS, sizeof *large, cmp_double);
	/* scroll it all, 24 px a frame, as a finger would */
	SDL_Rect view = { (SCREEN_W - p.width_px) / 2, unit * 12, p.width_px,
			  SCREEN_H - unit * 26 };
	int height = leaflet_layout_height(lo);
	static double ms[2000];
	int n = 0;
	for (int y = 0; y + view.h < height && n < 2000; y += 24) {
		double t0 = (double)SDL_GetPerformanceCounter();
		SDL_SetRenderDrawColor(r, 0xfb, 0xf8, 0xf1, 255);
		SDL_RenderClear(r);
		leaflet_layout_draw(lo, &view, y, (SDL_Color){ 0x1a, 0x1a, 0x1a, 255 });
		SDL_RenderPresent(r);
		ms[n++] = ((double)SDL_GetPerformanceCounter() - t0) * 1000.0 /
			  (double)SDL_GetPerformanceFrequency();
	}
	qsort(ms, (size_t)n, sizeof *ms, cmp_double);
	printf("text leaflet %s: %ld words, %zu blocks, %d px high (software renderer)\n",
	       file ? file : "(generated Vietnamese)", words + (long)doc->n_blocks,
	       doc->n_blocks, height);
	printf("  layout for a %d px column: %.1f ms (median of %d, each on a fresh "
	       "view; target <= 20 ms)\n", p.width_px, fresh[RUNS / 2], RUNS);
	printf("  layout with larger text (x1.4): %.1f ms\n", large[RUNS / 2]);
	if (n > 0)
		printf("  scrolling it, %d frames at %dx%d: frame time p50 %.1f ms, p99 %.1f ms, "
		       "max %.1f ms (target p99 <= 16.7 ms)\n", n, SCREEN_W, SCREEN_H,
		       quantile(ms, n, 0.5), quantile(ms, n, 0.99), ms[n - 1]);
	status = 0;
out:
	leaflet_layout_destroy(lo);
	leaflet_view_destroy(lv);
	text_destroy(te);
	bench_screen_close(w, r);
	leaflet_destroy(doc);
	return status;
}
