/*
 * test_fontset: clusters (a letter with its marks, joiners, variation
 * selectors), which font of an ordered list draws each one, and the split
 * of a text into runs of one font, with the fonts of a Debian 12 kiosk
 * (fonts-noto-core, fonts-dejavu-core).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <SDL_ttf.h>

#include "base/log.h"
#include "base/util.h"
#include "test_support.h"
#include "ui/fontset.h"

#define NOTO "/usr/share/fonts/truetype/noto/"
#define SANS NOTO "NotoSans-Regular.ttf"
#define SYMBOLS2 NOTO "NotoSansSymbols2-Regular.ttf"
#define SYMBOLS NOTO "NotoSansSymbols-Regular.ttf"
#define MATH NOTO "NotoSansMath-Regular.ttf"
#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

static int setup(void **state)
{
	(void)state;
	assert_int_equal(TTF_Init(), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	TTF_Quit();
	return 0;
}

static bool have_fonts(void)
{
	const char *all[] = { SANS, SYMBOLS2, SYMBOLS, MATH, DEJAVU };
	for (size_t i = 0; i < ARRAY_LEN(all); i++)
		if (!file_exists(all[i]))
			return false;
	return true;
}

/* A set of the named files at 20 px. */
static struct fontset *set_of(const char *const *paths, size_t n)
{
	struct fontset *fs = fontset_create(20);
	for (size_t i = 0; i < n; i++)
		fontset_add_file(fs, paths[i]);
	return fs;
}

/* ------------------------------------------------------------------ */
/* Clusters                                                            */
/* ------------------------------------------------------------------ */

/* Byte offsets where the clusters of s start, and its length last. */
static size_t boundaries(const char *s, size_t *out, size_t max)
{
	size_t n = 0, len = strlen(s);
	for (size_t i = 0; i < len; i = fontset_cluster_end(s, len, i))
		if (n < max)
			out[n++] = i;
	if (n < max)
		out[n++] = len;
	return n;
}

static void test_clusters(void **state)
{
	(void)state;
	/* e + circumflex + acute, then x */
	const char *nfd = "e\xCC\x82\xCC\x81x";
	assert_int_equal(fontset_cluster_end(nfd, strlen(nfd), 0), 5);
	assert_int_equal(fontset_cluster_end(nfd, strlen(nfd), 5), 6);
	/* Ê + combining breve is one cluster, the space another */
	const char *ede = "\xC3\x8A\xCC\x86 a";
	assert_int_equal(fontset_cluster_end(ede, strlen(ede), 0), 4);
	/* joined by ZWJ: a + ZWJ + b is one cluster; c is not */
	const char *zwj = "a\xE2\x80\x8D" "bc";
	assert_int_equal(fontset_cluster_end(zwj, strlen(zwj), 0), 5);
	/* check mark + VS16, thumbs up + skin tone */
	const char *vs = "\xE2\x9C\x93\xEF\xB8\x8F!";
	assert_int_equal(fontset_cluster_end(vs, strlen(vs), 0), 6);
	const char *tone = "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD";
	assert_int_equal(fontset_cluster_end(tone, strlen(tone), 0), 8);
	/* a stray byte is a cluster of its own */
	const char *bad = "\xFF\xCC\x81";
	assert_true(fontset_cluster_end(bad, strlen(bad), 0) >= 1);

	/* walking back finds the same boundaries as walking forward */
	const char *mixed = "Quye\xCC\x82\xCC\x80n \xC3\x8A\xCC\x86 a\xE2\x80\x8D" "b "
			    "\xE2\x9C\x93\xEF\xB8\x8F \xE1\xBB\xAF x";
	size_t b[64];
	size_t n = boundaries(mixed, b, 64);
	assert_true(n > 5);
	for (size_t k = n - 1; k > 0; k--)
		assert_int_equal(fontset_cluster_start(mixed, b[k]), b[k - 1]);
}

static void test_character_classes(void **state)
{
	(void)state;
	assert_true(fontset_extends_cluster(0x0301));
	assert_true(fontset_extends_cluster(0x0306));
	assert_true(fontset_extends_cluster(0x200D));
	assert_true(fontset_extends_cluster(0xFE0F));
	assert_true(fontset_extends_cluster(0x1F3FD));
	assert_false(fontset_extends_cluster('a'));
	assert_false(fontset_extends_cluster(0x2192));
	assert_false(fontset_extends_cluster(0x01B0));   /* ư is a letter */

	assert_true(fontset_needs_no_glyph('\n'));
	assert_true(fontset_needs_no_glyph('\t'));
	assert_true(fontset_needs_no_glyph(0x00AD));
	assert_true(fontset_needs_no_glyph(0x200D));
	assert_true(fontset_needs_no_glyph(0xFE0F));
	assert_true(fontset_needs_no_glyph(0xFEFF));
	assert_false(fontset_needs_no_glyph(' '));
	assert_false(fontset_needs_no_glyph('a'));
	assert_false(fontset_needs_no_glyph(0x0306));
	assert_false(fontset_needs_no_glyph(0xE000));
}

/* ------------------------------------------------------------------ */
/* Fonts                                                               */
/* ------------------------------------------------------------------ */

static void test_find(void **state)
{
	(void)state;
	if (!have_fonts())
		skip();
	const char *paths[] = { SANS, SYMBOLS2, SYMBOLS, MATH, DEJAVU };
	struct fontset *fs = set_of(paths, ARRAY_LEN(paths));
	assert_int_equal(fontset_count(fs), 5);
	assert_int_equal(fontset_size(fs), 20);
	assert_string_equal(fontset_path(fs, 2), SYMBOLS);
	assert_int_equal(fontset_find(fs, 'a'), 0);
	assert_int_equal(fontset_find(fs, 0x1EAA), 0);     /* Ẫ */
	assert_int_equal(fontset_find(fs, 0x2713), 1);     /* ✓ */
	assert_int_equal(fontset_find(fs, 0x2192), 2);     /* → */
	assert_int_equal(fontset_find(fs, 0xE000), -1);
	assert_int_equal(fontset_find(fs, 0x10000), -1);
	assert_non_null(fontset_font(fs, 4));
	assert_null(fontset_font(fs, 5));
	fontset_destroy(fs);
	fontset_destroy(NULL);
}

/* The first font with the whole cluster, else the first with its base. */
static void test_cluster_font(void **state)
{
	(void)state;
	if (!have_fonts())
		skip();
	/* NotoSansMath has E and U+0302 but not U+0306; DejaVu has all */
	const char *math_dejavu[] = { MATH, DEJAVU };
	struct fontset *fs = set_of(math_dejavu, 2);
	assert_int_equal(fontset_cluster_font(fs, "E\xCC\x82", 3), 0);
	assert_int_equal(fontset_cluster_font(fs, "E\xCC\x86", 3), 1);
	fontset_destroy(fs);
	/* nobody has E + U+0306 whole: the first with E */
	const char *symbols_math[] = { SYMBOLS, MATH };
	fs = set_of(symbols_math, 2);
	assert_int_equal(fontset_cluster_font(fs, "E\xCC\x86", 3), 0);
	assert_int_equal(fontset_cluster_font(fs, "E\xCC\x82", 3), 1);
	/* a joiner or a control needs no glyph: font 0 */
	assert_int_equal(fontset_cluster_font(fs, "\xE2\x80\x8D", 3), 0);
	fontset_destroy(fs);
	/* U+1AB0 only NotoSans has */
	const char *three[] = { MATH, DEJAVU, SANS };
	fs = set_of(three, 3);
	assert_int_equal(fontset_cluster_font(fs, "E\xE1\xAA\xB0", 4), 2);
	fontset_destroy(fs);
}

static void test_split_runs(void **state)
{
	(void)state;
	if (!have_fonts())
		skip();
	const char *paths[] = { SANS, SYMBOLS2, SYMBOLS, MATH, DEJAVU };
	struct fontset *fs = set_of(paths, ARRAY_LEN(paths));
	const char *t = "a \xE2\x86\x92 b \xE2\x9C\x93";   /* "a → b ✓" */
	struct fontset_run runs[8];
	size_t n = fontset_split(fs, t, strlen(t), runs, 8);
	assert_int_equal(n, 4);
	assert_int_equal(runs[0].start, 0);
	assert_int_equal(runs[0].len, 2);      /* "a " */
	assert_int_equal(runs[0].font, 0);
	assert_int_equal(runs[1].start, 2);
	assert_int_equal(runs[1].len, 3);      /* → */
	assert_int_equal(runs[1].font, 2);
	assert_int_equal(runs[2].len, 3);      /* " b " */
	assert_int_equal(runs[2].font, 0);
	assert_int_equal(runs[3].len, 3);      /* ✓ */
	assert_int_equal(runs[3].font, 1);
	/* too little room: the count still says how many are needed */
	assert_int_equal(fontset_split(fs, t, strlen(t), runs, 2), 4);
	assert_int_equal(runs[1].font, 2);

	/* Vietnamese in NFD is one run of the main font */
	const char *nfd = "Quye\xCC\x82\xCC\x80n gi\x75\xCC\x9B\xCC\x83";
	n = fontset_split(fs, nfd, strlen(nfd), runs, 8);
	assert_int_equal(n, 1);
	assert_int_equal(runs[0].font, 0);
	assert_int_equal(runs[0].len, strlen(nfd));

	/* a lone joiner stays with the run before it; nothing: no runs */
	const char *j = "\xE2\x86\x92\xE2\x80\x8B\xE2\x86\x90";   /* → ZWSP ← */
	n = fontset_split(fs, j, strlen(j), runs, 8);
	assert_int_equal(n, 1);
	assert_int_equal(runs[0].font, 2);
	assert_int_equal(fontset_split(fs, "", 0, runs, 8), 0);

	/* a character no font has goes to the main font (its .notdef) */
	n = fontset_split(fs, "a\xEE\x80\x80", 4, runs, 8);
	assert_int_equal(n, 1);
	assert_int_equal(runs[0].font, 0);
	fontset_destroy(fs);
}

/* A file that cannot be opened is logged once and skipped. */
static void test_bad_file(void **state)
{
	(void)state;
	if (!have_fonts())
		skip();
	char *dir = test_tmpdir();
	char *bogus = test_write_file(dir, "bogus.ttf", "not a font");
	const char *paths[] = { SANS, bogus, "/nonexistent/font.ttf", SYMBOLS };
	struct fontset *fs = set_of(paths, ARRAY_LEN(paths));
	unsigned warns = log_warn_count();
	assert_int_equal(fontset_find(fs, 0x2192), 3);
	assert_int_equal(log_warn_count(), warns + 2);
	assert_int_equal(fontset_find(fs, 0x2190), 3);
	assert_null(fontset_font(fs, 1));
	assert_int_equal(log_warn_count(), warns + 2);
	fontset_destroy(fs);

	/* a font given opened */
	fs = fontset_create(20);
	TTF_Font *f = TTF_OpenFont(SANS, 20);
	assert_non_null(f);
	fontset_add_font_take(fs, f);
	assert_ptr_equal(fontset_font(fs, 0), f);
	assert_null(fontset_path(fs, 0));
	fontset_destroy(fs);
	free(bogus);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clusters),
		cmocka_unit_test(test_character_classes),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_cluster_font),
		cmocka_unit_test(test_split_runs),
		cmocka_unit_test(test_bad_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
