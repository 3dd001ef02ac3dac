/*
 * test_shaping: each language's special letters and stacked diacritics,
 * drawn the way the kiosk draws them, compared by pixels with reviewed
 * golden images, and the guarantees behind them checked by pixels:
 *
 * - golden: per language, at 22 and 44 px, a bold title, a button (panel
 *   and centred bold label of up to two lines, as draw_button lays it out)
 *   and a wrapped paragraph (text_draw_box), stored as a grey PNG
 *   tests/golden/shaping-<tag>.png (test_golden_check; a missing golden
 *   is written: look at it before committing it);
 * - capitals with two stacked marks are not clipped: drawn into a target
 *   exactly text_line_height tall, their ink keeps a blank row above and
 *   below;
 * - NFC and NFD text render pixel for pixel the same;
 * - a character the primary font lacks ("→") is drawn by a fallback font,
 *   on the primary font's baseline, and differently without fallbacks.
 *
 * The letters are those of the orthographies (no sentences in minority
 * languages). Combining marks are written as escapes: U+0306 combining
 * breve is "\xCC\x86".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <SDL.h>
#include <SDL_ttf.h>

#include "base/config.h"
#include "base/util.h"
#include "media/image.h"
#include "test_support.h"
#include "ui/draw.h"
#include "ui/text.h"

#define W 640               /* golden width */
#define CANVAS_H 1600       /* window height; goldens are cropped */
#define MARGIN 12
#define GAP 10

/* Breve over circumflex and horn: no precomposed form, U+0306 stacked. */
#define E_CIRC_BREVE "\xC3\x8A\xCC\x86"     /* Ê̆ */
#define e_circ_breve "\xC3\xAA\xCC\x86"     /* ê̆ */
#define O_CIRC_BREVE "\xC3\x94\xCC\x86"     /* Ô̆ */
#define o_circ_breve "\xC3\xB4\xCC\x86"     /* ô̆ */
#define O_HORN_BREVE "\xC6\xA0\xCC\x86"     /* Ơ̆ */
#define o_horn_breve "\xC6\xA1\xCC\x86"     /* ơ̆ */
#define U_HORN_BREVE "\xC6\xAF\xCC\x86"     /* Ư̆ */
#define u_horn_breve "\xC6\xB0\xCC\x86"     /* ư̆ */
#define STACKED_BREVES E_CIRC_BREVE " " e_circ_breve " " O_CIRC_BREVE " " \
	o_circ_breve " " O_HORN_BREVE " " o_horn_breve " " U_HORN_BREVE " " \
	u_horn_breve

#define EDE_JRAI "Ă Â Ĕ Ê Ĭ Ŏ Ô Ơ Ŭ Ư ă â ĕ ê ĭ ŏ ô ơ ŭ ư Ƀ ƀ Č č Đ đ Ñ ñ " \
	STACKED_BREVES
#define BAHNAR_SEDANG "Ă Â Ĕ Ê Ĭ Ŏ Ô Ơ Ŭ Ư ă â ĕ ê ĭ ŏ ô ơ ŭ ư " STACKED_BREVES
#define MNONG "Ƀ ƀ Č č Ĕ ĕ Ĭ ĭ Ŏ ŏ Ŭ ŭ Ñ ñ " O_HORN_BREVE " " o_horn_breve " " \
	U_HORN_BREVE " " u_horn_breve
#define TAY_NUNG "Ặ ặ Ẫ ẫ Ợ ợ Ự ự Ỹ ỹ Đ đ"

/* The capitals with two stacked marks every line box must hold. */
#define STACKED_COMMON "Ẫ Ặ Ễ Ỗ Ợ Ữ " E_CIRC_BREVE

struct sample {
	const char *tag;
	const char *letters;   /* the golden's text */
	const char *stacked;   /* this language's tallest and deepest letters */
};

static const struct sample samples[] = {
	{ "vi", "Quyền con người — Ấ Ầ Ẩ Ẫ Ậ Ắ Ằ Ẳ Ẵ Ặ Ế Ề Ể Ễ Ệ Ố Ồ Ổ Ỗ Ộ "
		"Ớ Ờ Ở Ỡ Ợ Ứ Ừ Ử Ữ Ự ỹ ữ đ Đ",
	  "Ấ Ầ Ẩ Ẫ Ậ Ắ Ẳ Ẵ Ặ Ễ Ệ Ỗ Ộ Ỡ Ợ Ữ Ự ỹ" },
	{ "rad", EDE_JRAI, STACKED_BREVES " Ƀ ƀ Č Ñ" },
	{ "jra", EDE_JRAI, STACKED_BREVES " Ƀ ƀ Č Ñ" },
	{ "bdq", BAHNAR_SEDANG, STACKED_BREVES " Ĕ Ŭ" },
	{ "sed", BAHNAR_SEDANG, STACKED_BREVES " Ĕ Ŭ" },
	{ "cmo", MNONG, O_HORN_BREVE " " U_HORN_BREVE " Ƀ Č Ñ Ĕ Ŭ" },
	{ "tyz", TAY_NUNG, TAY_NUNG },
	{ "nut", TAY_NUNG, TAY_NUNG },
	{ "mww", "Hmoob Dawb ntawv b j v s g m d", "Hmoob Dawb ntawv b j v s g m d" },
	{ "en", "Human rights — fi fl ff ‘’ “” → ← ✓", "Human rights ‘’ “” → ← ✓" },
};

static const int sizes[] = { 22, 44 };

struct fixture {
	SDL_Window *win;
	SDL_Renderer *ren;
	struct text_engine *te;     /* with the configured fallback fonts */
	struct text_engine *plain;  /* without */
	struct kiosk_config cfg;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	config_defaults(&f->cfg);
	f->ren = test_sdl_open(SDL_INIT_VIDEO, W, CANVAS_H, &f->win);
	assert_non_null(f->ren);
	f->te = text_create(f->ren, f->cfg.font_path, f->cfg.font_bold_path);
	f->plain = text_create(f->ren, f->cfg.font_path, f->cfg.font_bold_path);
	assert_non_null(f->te);
	assert_non_null(f->plain);
	size_t n;
	const char **fallback = config_split_paths(f->cfg.font_fallback, &n);
	assert_true(n > 0);
	assert_true(text_set_fallback_fonts(f->te, fallback, n));
	free(fallback);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	text_destroy(f->te);
	text_destroy(f->plain);
	test_sdl_close(f->win, f->ren);
	free(f);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Pixels                                                              */
/* ------------------------------------------------------------------ */

/* The pixels of r in the current render target (NULL: all of it, w x h). */
static struct image *read_pixels(SDL_Renderer *ren, const SDL_Rect *r, int w,
				 int h)
{
	struct image *img = image_create(r ? r->w : w, r ? r->h : h);
	assert_non_null(img);
	assert_int_equal(SDL_RenderReadPixels(ren, r, SDL_PIXELFORMAT_RGBA32,
					      img->pixels, img->pitch), 0);
	return img;
}

/* Draw one line of text white on black into a fresh target texture of
 * w x h (text at x, top 0) and read it back. */
static struct image *render_line(struct fixture *f, struct text_engine *te,
				 const char *text, const struct text_style *st,
				 int x, int w, int h)
{
	SDL_Texture *t = SDL_CreateTexture(f->ren, SDL_PIXELFORMAT_RGBA32,
					   SDL_TEXTUREACCESS_TARGET, w, h);
	assert_non_null(t);
	assert_int_equal(SDL_SetRenderTarget(f->ren, t), 0);
	SDL_SetRenderDrawColor(f->ren, 0, 0, 0, 255);
	SDL_RenderClear(f->ren);
	text_draw_line(te, text, x, 0, 0, st);
	struct image *img = read_pixels(f->ren, NULL, w, h);
	SDL_SetRenderTarget(f->ren, NULL);
	SDL_DestroyTexture(t);
	return img;
}

static bool is_ink(const struct image *img, int x, int y)
{
	const uint8_t *p = img->pixels + (size_t)y * (size_t)img->pitch + 4 * (size_t)x;
	return p[0] || p[1] || p[2];
}

/* Topmost and bottommost rows with ink in columns [x0, x1), or -1. */
static void ink_rows(const struct image *img, int x0, int x1, int *top,
		     int *bottom)
{
	*top = *bottom = -1;
	for (int y = 0; y < img->h; y++)
		for (int x = x0; x < x1; x++)
			if (is_ink(img, x, y)) {
				if (*top < 0)
					*top = y;
				*bottom = y;
				break;
			}
}

static size_t ink_count(const struct image *img, int x0, int x1)
{
	size_t n = 0;
	for (int y = 0; y < img->h; y++)
		for (int x = x0; x < x1; x++)
			n += is_ink(img, x, y);
	return n;
}

static int width_of(struct text_engine *te, const char *text,
		    const struct text_style *st)
{
	int w = 0;
	assert_true(text_measure(te, text, st, &w, NULL));
	return w;
}

/* ------------------------------------------------------------------ */
/* Goldens                                                             */
/* ------------------------------------------------------------------ */

/* A button as draw_button draws one: the panel, and the label bold,
 * centred, on up to two lines. Returns its height. */
static int draw_label_button(struct fixture *f, const char *label, int size,
			     int y)
{
	struct text_style big = { .size_px = size, .bold = true,
				  .color = COLOR_TEXT, .align = TEXT_CENTER };
	int lh = text_line_height(f->te, &big);
	int pad = size / 2;
	SDL_Rect r = { MARGIN, y, W - 2 * MARGIN, 2 * lh + 2 * pad };
	draw_fill(f->ren, &r, COLOR_PANEL);
	SDL_Rect box = { r.x + pad, r.y + pad, r.w - 2 * pad, 2 * lh };
	assert_true(text_draw_box(f->te, label, &box, 2, &big) > 0);
	return r.h;
}

/* Draw s at both sizes on the kiosk's background; returns the height
 * used. */
static int draw_sample(struct fixture *f, const struct sample *s)
{
	SDL_SetRenderTarget(f->ren, NULL);
	SDL_Rect all = { 0, 0, W, CANVAS_H };
	draw_fill(f->ren, &all, COLOR_BG);
	int y = MARGIN;
	for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
		struct text_style title = { .size_px = sizes[i], .bold = true,
					    .color = COLOR_TEXT };
		assert_true(text_draw_line(f->te, s->letters, MARGIN, y,
					   W - 2 * MARGIN, &title) > 0);
		y += text_line_height(f->te, &title) + GAP;
		y += draw_label_button(f, s->letters, sizes[i], y) + GAP;
		struct text_style body = { .size_px = sizes[i], .color = COLOR_TEXT };
		SDL_Rect box = { MARGIN, y, W - 2 * MARGIN, CANVAS_H - y };
		int used = text_draw_box(f->te, s->letters, &box, 0, &body);
		assert_true(used > 0);
		/* the whole paragraph fits: nothing cut */
		struct text_line lines[16];
		size_t n = text_layout(f->te, s->letters, &body, box.w, 16, lines);
		assert_false(lines[n - 1].ellipsis);
		y += used + GAP;
	}
	return y - GAP + MARGIN;
}

static void check_golden(void **state, const struct sample *s)
{
	struct fixture *f = *state;
	int h = draw_sample(f, s);
	assert_true(h < CANVAS_H);
	SDL_Rect r = { 0, 0, W, h };
	struct image *img = read_pixels(f->ren, &r, 0, 0);
	char name[64];
	snprintf(name, sizeof name, "shaping-%s.png", s->tag);
	test_golden_check(img, name, true);
	image_destroy(img);
}

/* ------------------------------------------------------------------ */
/* Stacked marks stay inside the line box                              */
/* ------------------------------------------------------------------ */

static void check_unclipped(struct fixture *f, const char *text, int size,
			    bool bold)
{
	struct text_style st = { .size_px = size, .bold = bold,
				 .color = { 255, 255, 255, 255 } };
	int lh = text_line_height(f->te, &st);
	int w = width_of(f->te, text, &st) + 8;
	struct image *img = render_line(f, f->te, text, &st, 4, w, lh);
	int top, bottom;
	ink_rows(img, 0, w, &top, &bottom);
	if (top <= 0 || bottom >= lh - 1)
		fail_msg("\"%s\" at %d px%s: ink in rows %d..%d of a line box "
			 "of %d rows (the first and last must stay blank)",
			 text, size, bold ? " bold" : "", top, bottom, lh);
	image_destroy(img);
}

static void check_stacked(void **state, const struct sample *s)
{
	struct fixture *f = *state;
	for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
		for (int bold = 0; bold < 2; bold++) {
			check_unclipped(f, STACKED_COMMON, sizes[i], bold);
			check_unclipped(f, s->stacked, sizes[i], bold);
		}
}

#define LANGUAGE_TESTS(id, index)                                        \
	static void test_golden_##id(void **state)                       \
	{                                                                \
		check_golden(state, &samples[index]);                    \
	}                                                                \
	static void test_stacked_##id(void **state)                      \
	{                                                                \
		check_stacked(state, &samples[index]);                   \
	}

LANGUAGE_TESTS(vi, 0)
LANGUAGE_TESTS(rad, 1)
LANGUAGE_TESTS(jra, 2)
LANGUAGE_TESTS(bdq, 3)
LANGUAGE_TESTS(sed, 4)
LANGUAGE_TESTS(cmo, 5)
LANGUAGE_TESTS(tyz, 6)
LANGUAGE_TESTS(nut, 7)
LANGUAGE_TESTS(mww, 8)
LANGUAGE_TESTS(en, 9)

/* ------------------------------------------------------------------ */
/* NFC and NFD                                                         */
/* ------------------------------------------------------------------ */

static void test_nfc_nfd_identical(void **state)
{
	struct fixture *f = *state;
	static const char nfc[] = "Quyền, hoà, giữ, " E_CIRC_BREVE;
	/* e + circumflex + grave, a + grave, u + horn + tilde,
	 * E + circumflex + breve */
	static const char nfd[] = "Quye\xCC\x82\xCC\x80n, hoa\xCC\x80, "
				  "giu\xCC\x9B\xCC\x83, E\xCC\x82\xCC\x86";
	assert_string_not_equal(nfc, nfd);
	struct text_engine *engines[2] = { f->te, f->plain };
	for (size_t e = 0; e < 2; e++)
		for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
			for (int bold = 0; bold < 2; bold++) {
				struct text_style st = {
					.size_px = sizes[i], .bold = bold,
					.color = { 255, 255, 255, 255 } };
				int w = width_of(engines[e], nfc, &st);
				assert_int_equal(width_of(engines[e], nfd, &st), w);
				int h = text_line_height(engines[e], &st);
				struct image *a = render_line(f, engines[e], nfc, &st, 0, w, h);
				struct image *b = render_line(f, engines[e], nfd, &st, 0, w, h);
				assert_true(ink_count(a, 0, w) > 100);
				for (int y = 0; y < h; y++)
					if (memcmp(a->pixels + (size_t)y * (size_t)a->pitch,
						   b->pixels + (size_t)y * (size_t)b->pitch,
						   4 * (size_t)w) != 0)
						fail_msg("NFC and NFD differ in row %d at "
							 "%d px%s", y, sizes[i],
							 bold ? " bold" : "");
				image_destroy(a);
				image_destroy(b);
			}
}

/* ------------------------------------------------------------------ */
/* Fallback fonts                                                      */
/* ------------------------------------------------------------------ */

static void test_fallback_draws_arrow(void **state)
{
	struct fixture *f = *state;
	/* the primary font really lacks it: the test means something */
	TTF_Font *primary = TTF_OpenFont(f->cfg.font_path, 20);
	assert_non_null(primary);
	assert_false(TTF_GlyphIsProvided32(primary, 0x2192));
	TTF_CloseFont(primary);

	static const char text[] = "Quyền → quyền";
	static const char before[] = "Quyền ";
	static const char upto[] = "Quyền →";
	struct text_style st = { .size_px = 44, .color = { 255, 255, 255, 255 } };
	int h = text_line_height(f->te, &st);
	int w_fb = width_of(f->te, text, &st);
	int w_plain = width_of(f->plain, text, &st);
	int w = (w_fb > w_plain ? w_fb : w_plain) + 4;
	struct image *with = render_line(f, f->te, text, &st, 0, w, h);
	struct image *without = render_line(f, f->plain, text, &st, 0, w, h);

	/* where the arrow is, by each engine's own measure */
	int x0 = width_of(f->te, before, &st), x1 = width_of(f->te, upto, &st);
	assert_true(x1 - x0 > st.size_px / 3);
	size_t arrow = ink_count(with, x0, x1);
	if (arrow < 40)
		fail_msg("no ink for the arrow in columns %d..%d (%zu pixels)",
			 x0, x1, arrow);
	/* an arrow: its ink is a wide band, not a box outline filling the
	 * height */
	int top, bottom;
	ink_rows(with, x0, x1, &top, &bottom);
	assert_true(bottom - top < st.size_px / 2);

	/* without fallbacks the primary font's .notdef is drawn (or
	 * nothing): the pixels differ */
	int p0 = width_of(f->plain, before, &st), p1 = width_of(f->plain, upto, &st);
	bool differ = x0 != p0 || x1 != p1;
	for (int y = 0; y < h && !differ; y++)
		for (int x = x0; x < x1 && !differ; x++)
			differ = memcmp(with->pixels + (size_t)y * (size_t)with->pitch + 4 * (size_t)x,
					without->pixels + (size_t)y * (size_t)without->pitch + 4 * (size_t)x,
					4) != 0;
	assert_true(differ);
	image_destroy(with);
	image_destroy(without);
}

/* Runs of different fonts share the baseline: "E" looks the same alone
 * and next to an arrow from NotoSansSymbols (a much taller font), and the
 * arrow sits within the capital's height. */
static void test_fallback_baseline(void **state)
{
	struct fixture *f = *state;
	for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
		struct text_style st = { .size_px = sizes[i],
					 .color = { 255, 255, 255, 255 } };
		int h = text_line_height(f->te, &st);
		int we = width_of(f->te, "E", &st);
		int w = width_of(f->te, "E→✓", &st) + 4;
		struct image *alone = render_line(f, f->te, "E", &st, 0, w, h);
		struct image *mixed = render_line(f, f->te, "E→✓", &st, 0, w, h);
		for (int y = 0; y < h; y++)
			assert_memory_equal(alone->pixels + (size_t)y * (size_t)alone->pitch,
					    mixed->pixels + (size_t)y * (size_t)mixed->pitch,
					    4 * (size_t)(we - 1));
		int etop, ebottom, atop, abottom;
		ink_rows(alone, 0, we, &etop, &ebottom);
		ink_rows(mixed, we, w, &atop, &abottom);
		assert_true(etop > 0 && atop > 0);
		assert_true(atop >= etop - 2);
		assert_true(abottom <= ebottom + 2);
		image_destroy(alone);
		image_destroy(mixed);
	}
}

#define LANGUAGE_ROWS(id) cmocka_unit_test(test_golden_##id), \
	cmocka_unit_test(test_stacked_##id)

int main(void)
{
	const struct CMUnitTest tests[] = {
		LANGUAGE_ROWS(vi),
		LANGUAGE_ROWS(rad),
		LANGUAGE_ROWS(jra),
		LANGUAGE_ROWS(bdq),
		LANGUAGE_ROWS(sed),
		LANGUAGE_ROWS(cmo),
		LANGUAGE_ROWS(tyz),
		LANGUAGE_ROWS(nut),
		LANGUAGE_ROWS(mww),
		LANGUAGE_ROWS(en),
		cmocka_unit_test(test_nfc_nfd_identical),
		cmocka_unit_test(test_fallback_draws_arrow),
		cmocka_unit_test(test_fallback_baseline),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
