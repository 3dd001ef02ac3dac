/*
 * test_leaflet_view: text leaflets laid out and drawn with the shaped text
 * on SDL's offscreen driver and software renderer.
 *
 * A Vietnamese leaflet using every element of the markup, with an Ê Đê
 * heading and the letters of its alphabet (facts only, no invented
 * translations), is drawn and compared by pixels with the reviewed golden
 * image tests/golden/leaflet.png (per-channel tolerance; set
 * KIOSK_UPDATE_GOLDEN=1 to rewrite it after a deliberate change, then
 * look at it). Then: hanging indents, widows, paging, scrolling and
 * clipping, and a 2,000-word leaflet laid out with its time printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <SDL.h>
#include <SDL_ttf.h>

#include "base/config.h"
#include "base/util.h"
#include "content/leaflet.h"
#include "media/image.h"
#include "test_support.h"
#include "ui/leaflet_view.h"
#include "ui/text.h"

#define W 480
#define H 1240
#define MARGIN 12
#define COL_W (W - 2 * MARGIN)
#define BODY_PX 17

static const SDL_Color bg = { 18, 27, 43, 255 };
static const SDL_Color fg = { 255, 255, 255, 255 };

struct fixture {
	SDL_Window *win;
	SDL_Renderer *ren;
	struct text_engine *te;
	struct leaflet_view *lv;
	struct kiosk_config cfg;
	char *dir;                 /* temporary: leaflet files and pictures */
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	config_defaults(&f->cfg);
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	assert_int_equal(SDL_Init(SDL_INIT_VIDEO), 0);
	f->win = SDL_CreateWindow("t", 0, 0, W, H, 0);
	assert_non_null(f->win);
	f->ren = SDL_CreateRenderer(f->win, -1, SDL_RENDERER_SOFTWARE);
	assert_non_null(f->ren);
	f->te = text_create(f->ren, f->cfg.font_path, f->cfg.font_bold_path);
	assert_non_null(f->te);
	/* italics slanted by SDL_ttf from the kiosk's own faces, as the
	 * app does while the config names no italic font */
	f->lv = leaflet_view_create(f->te, f->ren, NULL);
	assert_non_null(f->lv);
	f->dir = test_tmpdir();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	leaflet_view_destroy(f->lv);
	text_destroy(f->te);
	SDL_DestroyRenderer(f->ren);
	SDL_DestroyWindow(f->win);
	SDL_Quit();
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static struct leaflet *parse(struct fixture *f, const char *text)
{
	struct diag_list dl;
	diag_list_init(&dl);
	struct leaflet *doc = leaflet_parse(text, strlen(text), "t.md", f->dir, &dl);
	assert_non_null(doc);
	diag_print(&dl, stdout);
	diag_list_finish(&dl);
	return doc;
}

static struct leaflet_layout *lay(struct fixture *f, const struct leaflet *doc,
				  int width, int base, float scale, int max_pic_h)
{
	struct leaflet_layout_params p = {
		.width_px = width, .base_size_px = base, .scale = scale,
		.max_picture_h_px = max_pic_h,
	};
	struct leaflet_layout *lo = leaflet_layout_create(f->lv, doc, &p);
	assert_non_null(lo);
	return lo;
}

static struct image *read_back(struct fixture *f)
{
	struct image *img = image_create(W, H);
	assert_int_equal(SDL_RenderReadPixels(f->ren, NULL, SDL_PIXELFORMAT_RGBA32,
					      img->pixels, img->pitch), 0);
	return img;
}

static void clear(struct fixture *f)
{
	SDL_SetRenderDrawColor(f->ren, bg.r, bg.g, bg.b, 255);
	SDL_RenderClear(f->ren);
}

/* Pixels of bright ink in the top-left w x h of the screen. */
static size_t ink(struct fixture *f, int w, int h)
{
	struct image *img = read_back(f);
	size_t n = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			n += img->pixels[y * img->pitch + x * 4] > 128;
	image_destroy(img);
	return n;
}

/* Words of a string, appended to a growing list. */
struct words {
	char **w;
	size_t n, cap;
};

static void words_add(struct words *ws, const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		while (i < len && (s[i] == ' ' || s[i] == '\n'))
			i++;
		size_t j = i;
		while (j < len && s[j] != ' ' && s[j] != '\n')
			j++;
		if (j > i) {
			if (ws->n == ws->cap) {
				ws->cap = ws->cap ? ws->cap * 2 : 256;
				ws->w = xrealloc(ws->w, ws->cap * sizeof *ws->w);
			}
			ws->w[ws->n] = xmalloc(j - i + 1);
			memcpy(ws->w[ws->n], s + i, j - i);
			ws->w[ws->n][j - i] = '\0';
			ws->n++;
		}
		i = j;
	}
}

static void words_free(struct words *ws)
{
	for (size_t i = 0; i < ws->n; i++)
		free(ws->w[i]);
	free(ws->w);
}

/* Every word of the document is placed once, in order, and nothing is
 * wider than the column. */
static void check_layout(const struct leaflet *doc, const struct leaflet_layout *lo,
			 int width)
{
	struct words want = { 0 }, got = { 0 };
	for (size_t b = 0; b < doc->n_blocks; b++) {
		/* a block's words: runs joined (a word may span styles) */
		size_t len = 0;
		for (size_t r = 0; r < doc->blocks[b].n_runs; r++)
			len += strlen(doc->blocks[b].runs[r].text);
		char *s = xcalloc(1, len + 1);
		for (size_t r = 0; r < doc->blocks[b].n_runs; r++)
			strcat(s, doc->blocks[b].runs[r].text);
		words_add(&want, s);
		free(s);
	}
	int prev_bottom = 0;
	size_t n = leaflet_layout_line_count(lo);
	for (size_t i = 0; i < n; i++) {
		const struct leaflet_line *ln = leaflet_layout_line(lo, i);
		assert_true(ln->y >= prev_bottom);        /* no overlap, in order */
		prev_bottom = ln->y + ln->h;
		assert_true(ln->x >= 0);
		assert_true(ln->x + ln->w <= width);
		if (ln->kind != LEAFLET_LINE_TEXT)
			continue;
		size_t len = 0;
		for (size_t k = 0; k < ln->n_segs; k++) {
			const struct leaflet_seg *sg = &ln->segs[k];
			assert_true(sg->x >= 0 && sg->x + sg->w <= width);
			if (!sg->marker)
				len += strlen(sg->text);
		}
		char *s = xcalloc(1, len + 1);
		for (size_t k = 0; k < ln->n_segs; k++)
			if (!ln->segs[k].marker)
				strcat(s, ln->segs[k].text);
		words_add(&got, s);
		free(s);
	}
	assert_true(prev_bottom <= leaflet_layout_height(lo));
	assert_int_equal(got.n, want.n);
	for (size_t i = 0; i < want.n; i++)
		assert_string_equal(got.w[i], want.w[i]);
	words_free(&want);
	words_free(&got);
}

/* A test picture: sky, ground, a sun. */
static void write_picture(const char *path, int w, int h)
{
	struct image *img = image_create(w, h);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint8_t *p = img->pixels + y * img->pitch + x * 4;
			int dx = x - w * 3 / 4, dy = y - h / 4;
			if (dx * dx + dy * dy < (h / 7) * (h / 7)) {
				p[0] = 250; p[1] = 200; p[2] = 40;
			} else if (y > h * 2 / 3) {
				p[0] = 40; p[1] = (uint8_t)(120 + 60 * x / w); p[2] = 50;
			} else {
				p[0] = 90; p[1] = 150; p[2] = (uint8_t)(200 + 55 * y / h);
			}
			p[3] = 255;
		}
	assert_true(image_save_png(img, path));
	image_destroy(img);
}

/* ------------------------------------------------------------------ */
/* The golden leaflet                                                  */
/* ------------------------------------------------------------------ */

static const char golden_leaflet[] =
	"# Quyền trẻ em\n"
	"\n"
	"Công ước về quyền trẻ em được Liên Hợp Quốc thông qua năm **1989**. "
	"Việt Nam phê chuẩn năm *1990*, là nước đầu tiên ở châu Á.\n"
	"\n"
	"## Bốn nguyên tắc chung\n"
	"- Không trẻ em nào bị **phân biệt đối xử** (Điều 2).\n"
	"- Lợi ích tốt nhất của trẻ em được đặt lên hàng đầu (Điều 3).\n"
	"- Trẻ em có quyền ***sống***, tồn tại và phát triển (Điều 6).\n"
	"\n"
	"### Những năm đáng nhớ\n"
	"1. Năm 1948: *Tuyên ngôn thế giới về quyền con người*.\n"
	"2. Năm 1989: Công ước về quyền trẻ em.\n"
	"10. Ngày 10/12: Ngày Quyền con người.\n"
	"\n"
	"![Trẻ em đến *trường* (Điều 28)](truong.png)\n"
	"\n"
	"Gọi Tổng đài quốc gia bảo vệ trẻ em **111**,\\\n"
	"miễn phí.\n"
	"\n"
	"## Êđê\n"
	"ă â ĕ ê ĭ ô ơ ŏ ŭ ư ƀ đ\n"
	"\n"
	/* the same letters typed with combining marks (NFD) */
	"a\xCC\x86 a\xCC\x82 e\xCC\x86 e\xCC\x82 i\xCC\x86 o\xCC\x82 "
	"o\xCC\x9B o\xCC\x86 u\xCC\x86 u\xCC\x9B\n"
	"\n"
	"![Ảnh hỏng: chỉ có chú thích](hong.png)\n";

static void test_golden(void **state)
{
	struct fixture *f = *state;
	char *pic = path_join(f->dir, "truong.png");
	write_picture(pic, 320, 180);
	free(pic);
	free(test_write_file(f->dir, "hong.png", "not a picture"));

	struct leaflet *doc = parse(f, golden_leaflet);
	struct leaflet_layout *lo = lay(f, doc, COL_W, BODY_PX, 1.0f, 200);
	check_layout(doc, lo, COL_W);
	int height = leaflet_layout_height(lo);
	print_message("golden leaflet: %zu lines, %d px high\n",
		      leaflet_layout_line_count(lo), height);
	assert_true(height < H - 2 * MARGIN);

	/* what the lines say about the elements */
	size_t n = leaflet_layout_line_count(lo);
	int markers = 0, pictures = 0, missing = 0, captions = 0;
	int num_right = -1;
	for (size_t i = 0; i < n; i++) {
		const struct leaflet_line *ln = leaflet_layout_line(lo, i);
		const struct leaflet_block *blk = &doc->blocks[ln->block];
		if (ln->kind == LEAFLET_LINE_PICTURE) {
			pictures++;
			missing += ln->picture_missing;
			assert_true(ln->keep_with_next);  /* its caption follows */
			continue;
		}
		captions += ln->caption;
		if (blk->kind == LEAFLET_HEADING) {
			assert_true(ln->keep_with_next);
			assert_true(ln->size_px > BODY_PX);
			assert_true(ln->segs[0].style & LEAFLET_BOLD);
		}
		if (ln->segs[0].marker) {
			markers++;
			/* hanging indent: the text starts right of the marker */
			assert_true(ln->n_segs >= 2);
			assert_true(ln->segs[1].x > ln->segs[0].x + ln->segs[0].w);
			if (blk->kind == LEAFLET_NUMBERED) {
				/* numbers right-aligned: 1. 2. 10. end together */
				int r = ln->segs[0].x + ln->segs[0].w;
				if (num_right >= 0)
					assert_int_equal(r, num_right);
				num_right = r;
			} else {
				assert_string_equal(ln->segs[0].text, "\xE2\x80\xA2");
			}
		} else if (i > 0 && ln->block == leaflet_layout_line(lo, i - 1)->block &&
			   (blk->kind == LEAFLET_BULLET || blk->kind == LEAFLET_NUMBERED)) {
			/* a wrapped item line starts under the text, not the marker */
			const struct leaflet_line *first = ln;
			size_t k = i;
			while (k > 0 && leaflet_layout_line(lo, k - 1)->block == ln->block)
				first = leaflet_layout_line(lo, --k);
			assert_int_equal(ln->segs[0].x, first->segs[1].x);
		}
		/* bold and italic runs inside lines */
		for (size_t k = 0; k < ln->n_segs; k++) {
			if (strcmp(ln->segs[k].text, "1989") == 0)
				assert_int_equal(ln->segs[k].style, LEAFLET_BOLD);
			if (strcmp(ln->segs[k].text, "1990") == 0)
				assert_int_equal(ln->segs[k].style, LEAFLET_ITALIC);
			if (strcmp(ln->segs[k].text, "sống") == 0)
				assert_int_equal(ln->segs[k].style,
						 LEAFLET_BOLD | LEAFLET_ITALIC);
		}
	}
	assert_int_equal(markers, 6);
	assert_int_equal(pictures, 2);
	assert_int_equal(missing, 1);   /* hong.png: a grey box, not a failure */
	assert_true(captions >= 2);

	clear(f);
	SDL_Rect vp = { MARGIN, MARGIN, COL_W, H - 2 * MARGIN };
	int drawn = leaflet_layout_draw(lo, &vp, 0, fg);
	assert_int_equal(drawn, (int)n);
	struct image *img = read_back(f);

	test_golden_check(img, "leaflet.png", false);
	image_destroy(img);
	leaflet_layout_destroy(lo);
	leaflet_destroy(doc);
}

/* ------------------------------------------------------------------ */
/* Scrolling, clipping, paging                                         */
/* ------------------------------------------------------------------ */

static void test_scroll_and_clip(void **state)
{
	struct fixture *f = *state;
	struct leaflet *doc = parse(f, golden_leaflet);
	struct leaflet_layout *lo = lay(f, doc, COL_W, BODY_PX, 1.0f, 200);
	size_t n = leaflet_layout_line_count(lo);

	/* the whole leaflet, then scrolled by `s` in a viewport of the
	 * same top: rows move up by exactly s */
	const int s = 137, vh = 400;
	SDL_Rect vp = { MARGIN, MARGIN, COL_W, vh };
	clear(f);
	leaflet_layout_draw(lo, &(SDL_Rect){ MARGIN, MARGIN, COL_W, H - 2 * MARGIN },
			    0, fg);
	struct image *full = read_back(f);
	clear(f);
	int drawn = leaflet_layout_draw(lo, &vp, s, fg);
	struct image *part = read_back(f);
	/* only the lines in view were drawn */
	assert_true(drawn > 3 && (size_t)drawn < n);
	for (int y = 0; y < vh; y++) {
		/* SDL samples a scaled picture cut by the clip rectangle a
		 * little differently: compare text rows only */
		bool in_picture = false;
		for (size_t i = 0; i < n; i++) {
			const struct leaflet_line *ln = leaflet_layout_line(lo, i);
			in_picture |= ln->kind == LEAFLET_LINE_PICTURE &&
				      s + y >= ln->y && s + y < ln->y + ln->h;
		}
		if (in_picture)
			continue;
		assert_memory_equal(part->pixels + (MARGIN + y) * part->pitch,
				    full->pixels + (MARGIN + s + y) * full->pitch,
				    (size_t)W * 4);
	}
	/* nothing outside the viewport (clipped) */
	for (int y = MARGIN + vh; y < H; y++)
		for (int x = 0; x < W; x++) {
			const uint8_t *p = part->pixels + y * part->pitch + x * 4;
			assert_true(p[0] == bg.r && p[1] == bg.g && p[2] == bg.b);
		}
	image_destroy(full);
	image_destroy(part);

	/* redrawing the same view shapes nothing new */
	size_t e0, h0, m0, e1, h1, m1;
	text_cache_stats(f->te, &e0, &h0, &m0);
	leaflet_layout_draw(lo, &vp, s, fg);
	text_cache_stats(f->te, &e1, &h1, &m1);
	assert_int_equal(m1, m0);
	assert_true(h1 > h0);

	/* scrolled past the end: nothing drawn, no crash */
	assert_int_equal(leaflet_layout_draw(lo, &vp, leaflet_layout_height(lo) + 10,
					     fg), 0);
	leaflet_layout_destroy(lo);
	leaflet_destroy(doc);
}

static void test_page_down_keeps_headings(void **state)
{
	struct fixture *f = *state;
	struct leaflet *doc = parse(f, golden_leaflet);
	struct leaflet_layout *lo = lay(f, doc, COL_W, BODY_PX, 1.0f, 200);
	size_t n = leaflet_layout_line_count(lo);
	int height = leaflet_layout_height(lo);
	int tried = 0;
	for (size_t i = 1; i + 1 < n; i++) {
		const struct leaflet_line *h = leaflet_layout_line(lo, i);
		if (!h->keep_with_next || h->kind != LEAFLET_LINE_TEXT)
			continue;
		/* a page that ends just under this heading line: the heading
		 * would be the last line on screen */
		int top = leaflet_layout_line(lo, 0)->y;
		int vh = h->y + h->h - top + 1;
		const struct leaflet_line *next = leaflet_layout_line(lo, i + 1);
		if (next->y + next->h <= top + vh)
			continue;
		int nt = leaflet_layout_page_down(lo, top, vh);
		/* the next page starts at the heading's block's first line */
		size_t k = i;
		while (k > 0 && leaflet_layout_line(lo, k - 1)->keep_with_next &&
		       leaflet_layout_line(lo, k - 1)->y > top)
			k--;
		int want = leaflet_layout_line(lo, k)->y;
		if (want > height - vh)   /* never past the end */
			want = height - vh;
		assert_int_equal(nt, want);
		assert_true(nt > top && nt <= h->y);
		tried++;
	}
	assert_true(tried >= 3);
	/* paging always ends at the bottom */
	int top = 0, pages = 0;
	for (;;) {
		int nt = leaflet_layout_page_down(lo, top, 300);
		if (nt == top)
			break;
		assert_true(nt > top);
		top = nt;
		assert_true(++pages < 50);
	}
	assert_int_equal(top, height - 300);
	/* a viewport taller than the leaflet never scrolls */
	assert_int_equal(leaflet_layout_page_down(lo, 0, height + 100), 0);
	leaflet_layout_destroy(lo);
	leaflet_destroy(doc);
}

/* A paragraph's last word never stands alone on its line where the text
 * module's plain greedy breaking would leave it so. */
static void test_widows(void **state)
{
	struct fixture *f = *state;
	static const char para[] =
		"Mọi người sinh ra đều được tự do và bình đẳng về nhân phẩm và quyền.";
	struct leaflet *doc = parse(f, para);
	struct text_style st = { .size_px = BODY_PX };
	int fixed = 0;
	for (int w = 120; w <= 460; w += 2) {
		struct text_line tl[32];
		size_t tn = text_layout(f->te, para, &st, w, 32, tl);
		struct leaflet_layout *lo = lay(f, doc, w, BODY_PX, 1.0f, 0);
		check_layout(doc, lo, w);
		size_t n = leaflet_layout_line_count(lo);
		const struct leaflet_line *last = leaflet_layout_line(lo, n - 1);
		bool greedy_widow = tn >= 2 && !memchr(para + tl[tn - 1].start, ' ',
							tl[tn - 1].len);
		bool widow = n >= 2 && !strchr(last->segs[0].text, ' ');
		if (greedy_widow && !widow)
			fixed++;
		if (widow) {
			/* only when the line above could not spare a word */
			const struct leaflet_line *prev = leaflet_layout_line(lo, n - 2);
			int spaces = 0;
			for (const char *c = prev->segs[0].text; *c; c++)
				spaces += *c == ' ';
			assert_true(spaces <= 1);
		}
		leaflet_layout_destroy(lo);
	}
	print_message("widows avoided at %d of 171 widths\n", fixed);
	assert_true(fixed >= 3);
	leaflet_destroy(doc);
}

/* ------------------------------------------------------------------ */
/* 2,000 words                                                         */
/* ------------------------------------------------------------------ */

static const char *const sentences[] = {
	"Công ước về quyền trẻ em được Liên Hợp Quốc thông qua năm **1989**.",
	"Việt Nam phê chuẩn Công ước năm *1990*, là nước đầu tiên ở châu Á.",
	"Theo Luật Trẻ em năm 2016 của Việt Nam, trẻ em là người dưới 16 tuổi.",
	"Mọi trẻ em đều có quyền được học tập (Điều 28).",
	"Ngày 10/12/1948, Đại hội đồng Liên Hợp Quốc họp tại Paris đã thông qua "
	"Tuyên ngôn thế giới về quyền con người.",
	"Theo Luật Người cao tuổi năm 2009, người cao tuổi là công dân Việt Nam "
	"từ đủ 60 tuổi trở lên.",
	"Gọi Tổng đài quốc gia bảo vệ trẻ em ***111***, miễn phí.",
};

static size_t count_words(const char *s)
{
	size_t n = 0;
	bool in = false;
	for (; *s; s++) {
		bool sp = *s == ' ' || *s == '\n';
		n += !sp && !in;
		in = !sp;
	}
	return n;
}

static char *long_leaflet(size_t want_words, size_t *words_out)
{
	size_t cap = 64 * 1024, len = 0, words = 0, k = 0;
	char *s = xmalloc(cap);
	s[0] = '\0';
	while (words < want_words) {
		char chunk[2048];
		size_t section = k / 24;
		if (k % 24 == 0) {
			snprintf(chunk, sizeof chunk, "## Phần %zu\n\n", section + 1);
		} else if (k % 24 >= 18) {
			snprintf(chunk, sizeof chunk, "- %s\n%s", sentences[k % 7],
				 k % 24 == 23 ? "\n" : "");
		} else if (k % 6 == 5) {
			snprintf(chunk, sizeof chunk, "%s\n\n", sentences[k % 7]);
		} else {
			snprintf(chunk, sizeof chunk, "%s ", sentences[k % 7]);
		}
		k++;
		size_t cl = strlen(chunk);
		if (len + cl + 1 > cap) {
			cap *= 2;
			s = xrealloc(s, cap);
		}
		memcpy(s + len, chunk, cl + 1);
		len += cl;
		/* "##" and "-" are markup, not words */
		words += count_words(chunk) - (chunk[0] == '#' || chunk[0] == '-');
	}
	*words_out = words;
	return s;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void test_two_thousand_words(void **state)
{
	struct fixture *f = *state;
	size_t words;
	char *text = long_leaflet(2000, &words);
	struct leaflet *doc = parse(f, text);
	print_message("leaflet: %zu words, %zu bytes, %zu blocks\n", words,
		      strlen(text), doc->n_blocks);
	assert_true(words >= 2000);

	/* a fresh view: nothing measured before */
	struct leaflet_view *lv = leaflet_view_create(f->te, f->ren, NULL);
	assert_non_null(lv);
	struct leaflet_layout_params p = { .width_px = 1200, .base_size_px = 24,
					   .scale = 1.0f };
	double t0 = now_ms();
	struct leaflet_layout *lo = leaflet_layout_create(lv, doc, &p);
	double t1 = now_ms();
	assert_non_null(lo);
	struct leaflet_layout *again = leaflet_layout_create(lv, doc, &p);
	double t2 = now_ms();
	p.scale = 1.4f;
	struct leaflet_layout *large = leaflet_layout_create(lv, doc, &p);
	double t3 = now_ms();
	p.width_px = 700;
	p.scale = 1.0f;
	struct leaflet_layout *narrow = leaflet_layout_create(lv, doc, &p);
	double t4 = now_ms();
	print_message("layout of %zu words at 1200 px: first %.1f ms, again "
		      "%.1f ms; at scale 1.4: %.1f ms; at 700 px: %.1f ms\n",
		      words, t1 - t0, t2 - t1, t3 - t2, t4 - t3);
	print_message("lines: %zu at 1.0 (%d px), %zu at 1.4 (%d px)\n",
		      leaflet_layout_line_count(lo), leaflet_layout_height(lo),
		      leaflet_layout_line_count(large), leaflet_layout_height(large));

	check_layout(doc, lo, 1200);
	check_layout(doc, large, 1200);
	check_layout(doc, narrow, 700);
	assert_int_equal(leaflet_layout_height(again), leaflet_layout_height(lo));
	/* the large-text setting scales everything */
	assert_true(leaflet_layout_height(large) > leaflet_layout_height(lo) * 13 / 10);
	assert_true(leaflet_layout_line_count(large) > leaflet_layout_line_count(lo));
	assert_true(leaflet_layout_height(narrow) > leaflet_layout_height(lo));

	/* drawing one screen: only what is in view */
	SDL_Rect vp = { 0, 0, W, H };
	double d0 = now_ms();
	int drawn = leaflet_layout_draw(large, &vp, leaflet_layout_height(large) / 2, fg);
	double d1 = now_ms();
	leaflet_layout_draw(large, &vp, leaflet_layout_height(large) / 2, fg);
	double d2 = now_ms();
	print_message("draw of %d lines: first %.1f ms, again %.1f ms\n", drawn,
		      d1 - d0, d2 - d1);
	assert_true(drawn > 0 && (size_t)drawn < leaflet_layout_line_count(large) / 4);

	leaflet_layout_destroy(narrow);
	leaflet_layout_destroy(large);
	leaflet_layout_destroy(again);
	leaflet_layout_destroy(lo);
	leaflet_view_destroy(lv);
	leaflet_destroy(doc);
	free(text);
}

/* ------------------------------------------------------------------ */
/* Fonts and odd input                                                 */
/* ------------------------------------------------------------------ */

/* A real italic face, when the system has one beside the regular font:
 * the view hands it to the engine, whose italic runs then use it. */
static void test_italic_file(void **state)
{
	struct fixture *f = *state;
	const char *reg = f->cfg.font_path;
	const char *at = strstr(reg, "Regular");
	if (!at) {
		print_message("no \"Regular\" in %s; skipped\n", reg);
		return;
	}
	char *italic = xasprintf("%.*sItalic%s", (int)(at - reg), reg, at + 7);
	if (!file_exists(italic)) {
		print_message("%s missing; skipped\n", italic);
		free(italic);
		return;
	}
	struct leaflet *doc = parse(f, "*Tuyên ngôn thế giới về quyền con người* "
				       "***Êđê ĕ ŏ ƀ***");
	struct leaflet_layout_params p = { .width_px = 300, .base_size_px = 20 };
	/* first with the regular face slanted (the fixture's engine) */
	struct leaflet_layout *slanted = leaflet_layout_create(f->lv, doc, &p);
	assert_non_null(slanted);
	int slanted_w = leaflet_layout_line(slanted, 0)->w;
	leaflet_layout_destroy(slanted);

	struct leaflet_fonts fonts = { .italic = italic };
	struct leaflet_view *lv = leaflet_view_create(f->te, f->ren, &fonts);
	assert_non_null(lv);
	struct leaflet_layout *lo = leaflet_layout_create(lv, doc, &p);
	assert_non_null(lo);
	check_layout(doc, lo, 300);
	/* another face: the italic file's own widths */
	print_message("first italic line: %d px slanted, %d px from %s\n",
		      slanted_w, leaflet_layout_line(lo, 0)->w, italic);
	assert_int_not_equal(leaflet_layout_line(lo, 0)->w, slanted_w);
	clear(f);
	assert_true(leaflet_layout_draw(lo, &(SDL_Rect){ 0, 0, 300, 200 }, 0, fg) >= 2);
	assert_true(ink(f, 300, 200) > 500);
	leaflet_layout_destroy(lo);
	leaflet_view_destroy(lv);
	leaflet_destroy(doc);
	free(italic);
	/* the setting is the engine's and outlives the view: back to slanted
	 * faces for the tests that follow */
	assert_true(text_set_italic_fonts(f->te, NULL, NULL));
}

static void test_bad_fonts_and_params(void **state)
{
	struct fixture *f = *state;
	/* no italic file, or none at all: the engine's faces, slanted */
	struct leaflet_fonts empty = { 0 };
	struct leaflet_view *lv = leaflet_view_create(f->te, f->ren, &empty);
	assert_non_null(lv);
	leaflet_view_destroy(lv);
	lv = leaflet_view_create(f->te, f->ren, NULL);
	assert_non_null(lv);
	leaflet_view_destroy(lv);

	/* an italic file that does not open is logged (naming it) and the
	 * face slanted: the leaflet still lays out and draws its italics */
	struct leaflet_fonts bad = { .italic = "/nonexistent/font.ttf" };
	lv = leaflet_view_create(f->te, f->ren, &bad);
	assert_non_null(lv);
	struct leaflet *doc = parse(f, "*Êđê ĕ ŏ ƀ*");
	struct leaflet_layout_params lp = { .width_px = 300, .base_size_px = 20 };
	struct leaflet_layout *lo = leaflet_layout_create(lv, doc, &lp);
	assert_non_null(lo);
	assert_int_equal(leaflet_layout_line_count(lo), 1);
	assert_true(leaflet_layout_line(lo, 0)->w > 0);
	clear(f);
	assert_int_equal(leaflet_layout_draw(lo, &(SDL_Rect){ 0, 0, 300, 60 }, 0, fg), 1);
	assert_true(ink(f, 300, 60) > 50);
	leaflet_layout_destroy(lo);
	leaflet_destroy(doc);
	leaflet_view_destroy(lv);

	doc = parse(f, "# Êđê\n");
	struct leaflet_layout_params p = { .width_px = 0, .base_size_px = 20 };
	assert_null(leaflet_layout_create(f->lv, doc, &p));
	leaflet_destroy(doc);

	/* an empty leaflet lays out to nothing */
	doc = parse(f, "");
	lo = lay(f, doc, 300, 20, 1.0f, 0);
	assert_int_equal(leaflet_layout_line_count(lo), 0);
	assert_int_equal(leaflet_layout_height(lo), 0);
	assert_int_equal(leaflet_layout_draw(lo, &(SDL_Rect){ 0, 0, 300, 300 }, 0, fg), 0);
	assert_int_equal(leaflet_layout_page_down(lo, 0, 300), 0);
	leaflet_layout_destroy(lo);
	leaflet_destroy(doc);

	/* a word wider than the column is cut between letters, never
	 * between a letter and its marks */
	doc = parse(f, "Quye\xCC\x82\xCC\x80nconngu\xCC\x9Bo\xCC\x9B\xCC\x80iquye\xCC\x82\xCC\x80n "
		       "**ngắn**");
	lo = lay(f, doc, 60, 20, 1.0f, 0);
	size_t n = leaflet_layout_line_count(lo);
	assert_true(n >= 3);
	for (size_t i = 0; i < n; i++) {
		const struct leaflet_line *ln = leaflet_layout_line(lo, i);
		assert_true(ln->x + ln->w <= 60);
		const unsigned char *t = (const unsigned char *)ln->segs[0].text;
		/* no line starts with a combining mark (U+0300..U+036F) */
		assert_false(t[0] == 0xCC || (t[0] == 0xCD && t[1] <= 0xAF));
	}
	leaflet_layout_destroy(lo);
	leaflet_destroy(doc);

	/* a pasted "word" of 60,000 letters (o with horn and breve, typed
	 * with combining marks) is cut quickly */
	size_t letters = 60000;
	char *word = xmalloc(letters * 4 + 1);
	for (size_t i = 0; i < letters; i++)
		memcpy(word + i * 4, "\xC6\xA1\xCC\x86", 4);   /* ơ + U+0306 */
	word[letters * 4] = '\0';
	doc = parse(f, word);
	double t0 = now_ms();
	lo = lay(f, doc, 300, 20, 1.0f, 0);
	double t1 = now_ms();
	n = leaflet_layout_line_count(lo);
	print_message("a word of %zu letters: %zu lines in %.0f ms\n", letters, n,
		      t1 - t0);
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++) {
		const struct leaflet_line *ln = leaflet_layout_line(lo, i);
		assert_true(ln->x + ln->w <= 300);
		assert_int_equal(strlen(ln->segs[0].text) % 4, 0);
		bytes += strlen(ln->segs[0].text);
	}
	assert_int_equal(bytes, letters * 4);
	leaflet_layout_destroy(lo);
	leaflet_destroy(doc);
	free(word);
}

/* Every orthography the kiosk offers: the languages' own names (from
 * locales/languages.json) and every Vietnamese letter with every tone,
 * which the minority orthographies build on, have glyphs in the regular
 * and bold faces; letters typed with combining marks (NFD) lay out as
 * wide as the same letters precomposed (NFC). */
static void test_every_orthography(void **state)
{
	struct fixture *f = *state;
	static const char text[] =
		"# Tiếng Việt · Êđê · Jrai · Bahnar · Xơ Đăng · M'nông · Tày · "
		"Nùng · Hmoob Dawb\n"
		"a à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ e è é ẻ ẽ ẹ ê ề ế ể ễ ệ "
		"i ì í ỉ ĩ ị o ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ ơ ờ ớ ở ỡ ợ "
		"u ù ú ủ ũ ụ ư ừ ứ ử ữ ự y ỳ ý ỷ ỹ ỵ đ ĕ ĭ ŏ ŭ ƀ\n"
		"A À Á Ả Ã Ạ Ă Ằ Ắ Ẳ Ẵ Ặ Â Ầ Ấ Ẩ Ẫ Ậ E È É Ẻ Ẽ Ẹ Ê Ề Ế Ể Ễ Ệ "
		"I Ì Í Ỉ Ĩ Ị O Ò Ó Ỏ Õ Ọ Ô Ồ Ố Ổ Ỗ Ộ Ơ Ờ Ớ Ở Ỡ Ợ "
		"U Ù Ú Ủ Ũ Ụ Ư Ừ Ứ Ử Ữ Ự Y Ỳ Ý Ỷ Ỹ Ỵ Đ Ĕ Ĭ Ŏ Ŭ Ƀ\n";
	const char *faces[] = { f->cfg.font_path, f->cfg.font_bold_path };
	for (size_t k = 0; k < ARRAY_LEN(faces); k++) {
		if (!faces[k][0])
			continue;
		TTF_Font *font = TTF_OpenFont(faces[k], 20);
		assert_non_null(font);
		size_t len = strlen(text);
		for (size_t i = 0; i < len;) {
			uint32_t cp;
			i += (size_t)utf8_decode(text + i, len - i, &cp);
			if (cp > ' ' && !TTF_GlyphIsProvided32(font, cp))
				fail_msg("%s has no glyph for U+%04X", faces[k], cp);
		}
		TTF_CloseFont(font);
	}
	struct leaflet *doc = parse(f, text);
	struct leaflet_layout *lo = lay(f, doc, COL_W, BODY_PX, 1.4f, 0);
	check_layout(doc, lo, COL_W);
	leaflet_layout_destroy(lo);
	leaflet_destroy(doc);

	/* NFC and NFD, upright and italic */
	static const char *const pairs[][2] = {
		{ "ắ ồ ặ ĕ ŏ Êđê", "a\xCC\x86\xCC\x81 o\xCC\x82\xCC\x80 "
		  "a\xCC\x86\xCC\xA3 e\xCC\x86 o\xCC\x86 E\xCC\x82\xC4\x91" "e\xCC\x82" },
		{ "*ắ ồ ặ ĕ ŏ Êđê*", "*a\xCC\x86\xCC\x81 o\xCC\x82\xCC\x80 "
		  "a\xCC\x86\xCC\xA3 e\xCC\x86 o\xCC\x86 E\xCC\x82\xC4\x91" "e\xCC\x82*" },
	};
	for (size_t i = 0; i < ARRAY_LEN(pairs); i++) {
		int w[2];
		for (int k = 0; k < 2; k++) {
			struct leaflet *d = parse(f, pairs[i][k]);
			struct leaflet_layout *l = lay(f, d, COL_W, 32, 1.0f, 0);
			assert_int_equal(leaflet_layout_line_count(l), 1);
			w[k] = leaflet_layout_line(l, 0)->w;
			leaflet_layout_destroy(l);
			leaflet_destroy(d);
		}
		assert_true(abs(w[0] - w[1]) <= 2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_scroll_and_clip),
		cmocka_unit_test(test_page_down_keeps_headings),
		cmocka_unit_test(test_widows),
		cmocka_unit_test(test_two_thousand_words),
		cmocka_unit_test(test_every_orthography),
		cmocka_unit_test(test_italic_file),
		cmocka_unit_test(test_bad_fonts_and_params),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
