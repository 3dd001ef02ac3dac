/*
 * test_text: shaped text rendering and layout. Renders Vietnamese and
 * Ê Đê text with stacked diacritics to pixels on the offscreen driver and
 * compares with the reviewed golden image tests/golden/text_shaping.png
 * (test_golden_check: per-channel tolerance). Set KIOSK_UPDATE_GOLDEN=1 to
 * rewrite it after a deliberate change, then look at it before committing.
 * Font fallback, line geometry and per-language goldens are in
 * test_shaping.c.
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
#include "ui/text.h"

#define W 640
#define H 300

struct fixture {
	SDL_Window *win;
	SDL_Renderer *ren;
	struct text_engine *te;
	struct kiosk_config cfg;
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
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	text_destroy(f->te);
	SDL_DestroyRenderer(f->ren);
	SDL_DestroyWindow(f->win);
	SDL_Quit();
	free(f);
	return 0;
}

static struct image *read_back(struct fixture *f)
{
	struct image *img = image_create(W, H);
	assert_int_equal(SDL_RenderReadPixels(f->ren, NULL, SDL_PIXELFORMAT_RGBA32,
					      img->pixels, img->pitch), 0);
	return img;
}

static const char *const samples[] = {
	"Công ước về Quyền Trẻ em",
	"Klei bhiăn",
	/* Ê Đê letters with breves, and tone marks stacked on top of
	 * breve and circumflex: ă ĕ ĭ ŏ ŭ ơ ư ƀ, ắ ặ ấ ồ */
	"ă ĕ ĭ ŏ ŭ ơ ư ƀ Đ · ắ ặ ấ ồ ễ ữ",
	/* the same with combining marks (NFD): e + breve + acute */
	"e\xCC\x86\xCC\x81 o\xCC\x86\xCC\x80 u\xCC\x86 a\xCC\x86\xCC\xA3",
};

static void test_golden_render(void **state)
{
	struct fixture *f = *state;
	/* every code point has a glyph: nothing falls to .notdef boxes */
	TTF_Font *font = TTF_OpenFont(f->cfg.font_path, 20);
	assert_non_null(font);
	for (size_t s = 0; s < ARRAY_LEN(samples); s++) {
		const char *p = samples[s];
		size_t len = strlen(p);
		for (size_t i = 0; i < len;) {
			uint32_t cp;
			i += (size_t)utf8_decode(p + i, len - i, &cp);
			if (cp != ' ')
				assert_true(TTF_GlyphIsProvided32(font, cp));
		}
	}
	TTF_CloseFont(font);

	SDL_SetRenderDrawColor(f->ren, 18, 27, 43, 255);
	SDL_RenderClear(f->ren);
	struct text_style st = { .size_px = 40, .color = { 255, 255, 255, 255 } };
	int y = 10;
	for (size_t s = 0; s < ARRAY_LEN(samples); s++) {
		st.bold = s == 1;
		int drawn = text_draw_line(f->te, samples[s], 10, y, 0, &st);
		assert_true(drawn > 50);
		y += text_line_height(f->te, &st) + 8;
	}
	struct image *img = read_back(f);

	/* ink where text is, background elsewhere */
	size_t ink = 0;
	for (int yy = 0; yy < H; yy++)
		for (int xx = 0; xx < W; xx++)
			ink += img->pixels[yy * img->pitch + xx * 4] > 128;
	assert_true(ink > 2000);

	test_golden_check(img, "text_shaping.png", false);
	image_destroy(img);
}

/* NFC and NFD of the same word must not render as missing boxes or
 * overlapping marks: the widths agree closely. */
static void test_nfc_nfd_width(void **state)
{
	struct fixture *f = *state;
	struct text_style st = { .size_px = 32 };
	int w1, w2, h;
	assert_true(text_measure(f->te, "ắ ồ ặ", &st, &w1, &h));
	assert_true(text_measure(f->te, "a\xCC\x86\xCC\x81 o\xCC\x82\xCC\x80 a\xCC\x86\xCC\xA3",
				 &st, &w2, &h));
	assert_true(abs(w1 - w2) <= 2);
}

static void test_layout_wraps(void **state)
{
	struct fixture *f = *state;
	struct text_style st = { .size_px = 24 };
	const char *text = "Mọi người sinh ra đều được tự do và bình đẳng về nhân phẩm và quyền.";
	struct text_line lines[8];
	size_t n = text_layout(f->te, text, &st, 300, 8, lines);
	assert_true(n >= 2);
	size_t covered = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(lines[i].width_px <= 300);
		assert_false(lines[i].ellipsis);
		/* no line starts or ends with a space */
		assert_true(text[lines[i].start] != ' ');
		assert_true(text[lines[i].start + lines[i].len - 1] != ' ');
		covered += lines[i].len;
	}
	/* every character is on some line (spaces at breaks excepted) */
	assert_true(covered + n - 1 == strlen(text));
	/* breaks fall on spaces, never inside a word */
	for (size_t i = 0; i + 1 < n; i++)
		assert_int_equal(text[lines[i].start + lines[i].len], ' ');
}

static void test_layout_ellipsis(void **state)
{
	struct fixture *f = *state;
	struct text_style st = { .size_px = 24 };
	const char *text = "Công ước về Quyền Trẻ em được Đại hội đồng Liên Hợp Quốc thông qua năm 1989 và Việt Nam phê chuẩn năm 1990.";
	struct text_line lines[2];
	size_t n = text_layout(f->te, text, &st, 260, 2, lines);
	assert_int_equal(n, 2);
	assert_false(lines[0].ellipsis);
	assert_true(lines[1].ellipsis);
	assert_true(lines[1].width_px <= 260);
	/* the cut never leaves a dangling space before "…" */
	assert_true(text[lines[1].start + lines[1].len - 1] != ' ');
}

static void test_layout_long_word_and_newlines(void **state)
{
	struct fixture *f = *state;
	struct text_style st = { .size_px = 24 };
	const char *word = "Quyềnconngườiquyềnconngườiquyềnconngười";
	struct text_line lines[8];
	size_t n = text_layout(f->te, word, &st, 120, 8, lines);
	assert_true(n >= 3);
	size_t covered = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(lines[i].width_px <= 120);
		/* never split inside a UTF-8 sequence */
		assert_true(((unsigned char)word[lines[i].start] & 0xC0) != 0x80);
		covered += lines[i].len;
	}
	assert_int_equal(covered, strlen(word));

	n = text_layout(f->te, "Một\nHai\n\nBốn", &st, 400, 8, lines);
	assert_int_equal(n, 4);
	assert_int_equal(lines[2].len, 0);
	assert_int_equal(lines[3].len, strlen("Bốn"));
}

static void test_single_line_ellipsis_and_cache(void **state)
{
	struct fixture *f = *state;
	struct text_style st = { .size_px = 24, .color = { 255, 255, 255, 255 } };
	const char *t = "Tuyên ngôn Quốc tế Nhân quyền năm 1948";
	int full;
	text_measure(f->te, t, &st, &full, NULL);
	int drawn = text_draw_line(f->te, t, 0, 0, full / 2, &st);
	assert_true(drawn <= full / 2);
	assert_true(drawn > full / 4);
	size_t entries, hits, misses;
	text_cache_stats(f->te, &entries, &hits, &misses);
	size_t misses_before = misses;
	/* drawing the same again costs no new rendering */
	text_draw_line(f->te, t, 0, 0, full / 2, &st);
	text_cache_stats(f->te, &entries, &hits, &misses);
	assert_int_equal(misses, misses_before);
	assert_true(hits >= 1);
	/* empty text draws nothing and does not crash */
	assert_int_equal(text_draw_line(f->te, "", 0, 0, 100, &st), 0);
}

/* Fallback fonts: a missing file is skipped; a character the primary font
 * lacks is measured in the fallback that has it, a mixed line as its runs
 * side by side; an empty list goes back to the primary alone. */
static void test_fallback_fonts(void **state)
{
	struct fixture *f = *state;
	static const char symbols[] =
		"/usr/share/fonts/truetype/noto/NotoSansSymbols-Regular.ttf";
	if (!file_exists(symbols))
		skip();
	struct text_style st = { .size_px = 32 };
	TTF_Font *primary = TTF_OpenFont(f->cfg.font_path, 32);
	TTF_Font *sym = TTF_OpenFont(symbols, 32);
	assert_non_null(primary);
	assert_non_null(sym);
	TTF_SetFontHinting(primary, TTF_HINTING_LIGHT);
	TTF_SetFontHinting(sym, TTF_HINTING_LIGHT);
	int notdef, arrow, a;
	assert_int_equal(TTF_SizeUTF8(primary, "→", &notdef, NULL), 0);
	assert_int_equal(TTF_SizeUTF8(sym, "→", &arrow, NULL), 0);
	assert_int_equal(TTF_SizeUTF8(primary, "a", &a, NULL), 0);

	int w;
	assert_true(text_measure(f->te, "→", &st, &w, NULL));
	assert_int_equal(w, notdef);
	const char *paths[] = { "/nonexistent/font.ttf", symbols };
	assert_false(text_set_fallback_fonts(f->te, paths, 2));
	assert_true(text_measure(f->te, "→", &st, &w, NULL));
	assert_int_equal(w, arrow);
	assert_true(text_measure(f->te, "a→", &st, &w, NULL));
	assert_int_equal(w, a + arrow);
	/* drawing it works and is cached like any line */
	st.color = (SDL_Color){ 255, 255, 255, 255 };
	assert_int_equal(text_draw_line(f->te, "a→", 0, 0, 0, &st), a + arrow);

	assert_true(text_set_fallback_fonts(f->te, NULL, 0));
	assert_true(text_measure(f->te, "→", &st, &w, NULL));
	assert_int_equal(w, notdef);
	TTF_CloseFont(primary);
	TTF_CloseFont(sym);
}

/* The line box holds the tallest stacked marks, and lines of different
 * faces and fonts share one baseline per size. */
static void test_line_height(void **state)
{
	struct fixture *f = *state;
	for (int size = 12; size <= 64; size += 4) {
		struct text_style st = { .size_px = size };
		TTF_Font *font = TTF_OpenFont(f->cfg.font_path, size);
		assert_non_null(font);
		int lh = text_line_height(f->te, &st);
		/* never tighter than the font's own line, nor much looser */
		assert_true(lh >= TTF_FontLineSkip(font));
		assert_true(lh <= TTF_FontLineSkip(font) * 5 / 4 + 2);
		st.bold = true;
		assert_int_equal(text_line_height(f->te, &st), lh);
		TTF_CloseFont(font);
	}
}

static void test_bad_font(void **state)
{
	struct fixture *f = *state;
	assert_null(text_create(f->ren, "/nonexistent/font.ttf", NULL));
	char *dir = test_tmpdir();
	char *bogus = test_write_file(dir, "bogus.ttf", "not a font");
	assert_null(text_create(f->ren, bogus, NULL));
	free(bogus);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_render),
		cmocka_unit_test(test_nfc_nfd_width),
		cmocka_unit_test(test_layout_wraps),
		cmocka_unit_test(test_layout_ellipsis),
		cmocka_unit_test(test_layout_long_word_and_newlines),
		cmocka_unit_test(test_single_line_ellipsis_and_cache),
		cmocka_unit_test(test_fallback_fonts),
		cmocka_unit_test(test_line_height),
		cmocka_unit_test(test_bad_font),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
