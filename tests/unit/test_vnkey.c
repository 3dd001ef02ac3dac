/*
 * test_vnkey: Telex and VNI typing, word by word and in running text,
 * with the tone where the modern (and the older) rules put it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "i18n/vnkey.h"

static void check(enum vnkey_method m, enum vnkey_tones t, const char *keys,
		  const char *want)
{
	char out[256];
	assert_true(vnkey_text(m, t, keys, out, sizeof out));
	if (strcmp(out, want) != 0)
		fail_msg("%s \"%s\": \"%s\", want \"%s\"", m == VNKEY_TELEX ? "Telex" : "VNI",
			 keys, out, want);
}

static void telex(const char *keys, const char *want)
{
	check(VNKEY_TELEX, VNKEY_TONES_MODERN, keys, want);
}

static void vni(const char *keys, const char *want)
{
	check(VNKEY_VNI, VNKEY_TONES_MODERN, keys, want);
}

static void test_telex_letters(void **state)
{
	(void)state;
	telex("aa", "â");
	telex("ee", "ê");
	telex("oo", "ô");
	telex("aw", "ă");
	telex("ow", "ơ");
	telex("uw", "ư");
	telex("w", "ư");
	telex("dd", "đ");
	telex("DD", "Đ");
	telex("Dd", "Đ");
	telex("AA", "Â");
	/* pressed once more: the letters themselves */
	telex("aaa", "aa");
	telex("ass", "as");
}

static void test_telex_words(void **state)
{
	(void)state;
	telex("quyeenf", "quyền");          /* qu is a consonant; hat first */
	telex("giuwx", "giữ");              /* gi is a consonant */
	telex("gif", "gì");                 /* gi alone: i is the vowel */
	telex("dduwowngf", "đường");
	telex("nguwowif", "người");
	telex("tieengs", "tiếng");
	telex("Vieetj Nam", "Việt Nam");
	telex("mias", "mía");               /* two open vowels: the first */
	telex("hair", "hải");
	telex("toans", "toán");             /* closed: the last vowel */
	telex("hoangf", "hoàng");
	telex("ngoaif", "ngoài");           /* three vowels: the middle */
	telex("quar", "quả");
	telex("tuwj do", "tự do");
	telex("Quyeenf con nguwowif", "Quyền con người");
	telex("binhf ddawngr", "bình đẳng");
	telex("hoaz", "hoaz");              /* z with no tone: a letter */
	telex("hoafz", "hoa");              /* z takes the tone off */
}

static void test_tone_placement_modern_and_old(void **state)
{
	(void)state;
	telex("hoaf", "hoà");
	check(VNKEY_TELEX, VNKEY_TONES_OLD, "hoaf", "hòa");
	telex("thuyr", "thuỷ");
	check(VNKEY_TELEX, VNKEY_TONES_OLD, "thuyr", "thủy");
	telex("khoer", "khoẻ");
	check(VNKEY_TELEX, VNKEY_TONES_OLD, "khoer", "khỏe");
	/* closed syllables are the same in both */
	check(VNKEY_TELEX, VNKEY_TONES_OLD, "hoanf", "hoàn");
	/* the tone key may come anywhere after the vowel */
	telex("hofa", "hoà");
	telex("quyeefn", "quyền");
}

static void test_vni(void **state)
{
	(void)state;
	vni("a6", "â");
	vni("a8", "ă");
	vni("o7", "ơ");
	vni("u7", "ư");
	vni("d9", "đ");
	vni("hoa2", "hoà");
	check(VNKEY_VNI, VNKEY_TONES_OLD, "hoa2", "hòa");
	vni("quye6n2", "quyền");
	vni("giu74", "giữ");
	vni("d9u7o7ng2", "đường");
	vni("duo79ng2", "đường");
	vni("Vie65t Nam", "Việt Nam");
	vni("nguoi72", "người");
	vni("hoa20", "hoa");
}

static void test_text_and_limits(void **state)
{
	(void)state;
	telex("Xin chaof, ddaay laf Tieengs Vieetj!", "Xin chào, đây là Tiếng Việt!");
	char small[4];
	assert_false(vnkey_text(VNKEY_TELEX, VNKEY_TONES_MODERN, "nguwowif", small,
				sizeof small));
	char out[64];
	assert_true(vnkey_word(VNKEY_TELEX, VNKEY_TONES_MODERN, "", out, sizeof out));
	assert_string_equal(out, "");
}

static void test_fold(void **state)
{
	(void)state;
	char out[128];
	assert_true(vnkey_fold("Quyền Con NGƯỜI, Đẳng", out, sizeof out));
	assert_string_equal(out, "quyen con nguoi, dang");
	/* NFD: e + circumflex + grave */
	assert_true(vnkey_fold("Quye\xcc\x82\xcc\x80n", out, sizeof out));
	assert_string_equal(out, "quyen");
	assert_true(vnkey_fold("Êđê ĕ ĭ ŏ ŭ ƀ Ƀ", out, sizeof out));
	assert_string_equal(out, "ede e i o u b b");
	assert_true(vnkey_fold("Hmoob Dawb", out, sizeof out));
	assert_string_equal(out, "hmoob dawb");
	char small[4];
	assert_false(vnkey_fold("người", small, sizeof small));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_telex_letters),
		cmocka_unit_test(test_telex_words),
		cmocka_unit_test(test_tone_placement_modern_and_old),
		cmocka_unit_test(test_vni),
		cmocka_unit_test(test_text_and_limits),
		cmocka_unit_test(test_fold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
