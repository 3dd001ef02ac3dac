/*
 * test_strings: UI strings from PO files: fallback along the chain per
 * string, fuzzy entries ignored, contexts, broken files reported, and the
 * real locales/ files complete for vi and en and valid for msgfmt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "i18n/lang.h"
#include "i18n/strings.h"
#include "test_support.h"

static const char langs_json[] =
	"{ \"default\": \"vi\", \"languages\": [\n"
	"  { \"tag\": \"vi\", \"endonym\": \"Tiếng Việt\", \"name_vi\": \"Tiếng Việt\", \"kind\": \"national\" },\n"
	"  { \"tag\": \"en\", \"endonym\": \"English\", \"name_vi\": \"Tiếng Anh\", \"kind\": \"foreign\", \"fallback\": \"vi\" },\n"
	"  { \"tag\": \"rad\", \"endonym\": \"Êđê\", \"name_vi\": \"Tiếng Ê Đê\", \"kind\": \"minority\", \"fallback\": \"vi\" }\n"
	"] }\n";

#define PO_HEADER \
	"msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n" \
	"\"Plural-Forms: nplurals=1; plural=0;\\n\"\n\n"

static void test_fallback_per_string(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	free(test_write_file(dir, "languages.json", langs_json));
	free(test_write_file(dir, "vi.po", PO_HEADER
		"msgid \"Back\"\nmsgstr \"Quay lại\"\n\n"
		"msgid \"Home\"\nmsgstr \"Trang chủ\"\n\n"
		"msgctxt \"button\"\nmsgid \"Play\"\nmsgstr \"Phát\"\n\n"));
	free(test_write_file(dir, "rad.po", PO_HEADER
		"msgid \"Back\"\nmsgstr \"\"\n\n"                 /* empty: falls back */
		"#, fuzzy\nmsgid \"Home\"\nmsgstr \"guessed\"\n\n" /* fuzzy: ignored */));
	/* en.po missing on purpose: a warning, and English falls back */
	char *lp = path_join(dir, "languages.json");
	struct diag_list d;
	diag_list_init(&d);
	struct lang_registry *reg = lang_registry_load(lp, &d);
	assert_non_null(reg);
	struct strings *s = strings_load(dir, reg, &d);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
	assert_int_equal(diag_count(&d, DIAG_WARNING), 1);
	assert_non_null(strstr(d.items[0].file, "en.po"));

	const char *from;
	assert_string_equal(strings_get_from(s, "rad", "Back", &from), "Quay lại");
	assert_string_equal(from, "vi");
	assert_string_equal(strings_get(s, "rad", "Home"), "Trang chủ");
	assert_string_equal(strings_get(s, "en", "Back"), "Quay lại");
	assert_string_equal(strings_get(s, "vi", "button\004Play"), "Phát");
	/* not anywhere: the msgid, reported as from "en" */
	assert_string_equal(strings_get_from(s, "vi", "Quit", &from), "Quit");
	assert_string_equal(from, "en");
	assert_int_equal(strings_count(s, "vi"), 3);
	assert_int_equal(strings_count(s, "rad"), 0);
	strings_destroy(s);
	lang_registry_destroy(reg);
	diag_list_finish(&d);
	free(lp);
	test_rmtree(dir);
	free(dir);
}

static void test_broken_po(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	free(test_write_file(dir, "languages.json", langs_json));
	free(test_write_file(dir, "vi.po", PO_HEADER
		"msgid \"Back\"\nmsgstr \"Quay lại\"\n\n"));
	free(test_write_file(dir, "en.po", PO_HEADER
		"msgid \"Back\"\nmsgstr \"Back\n\n"        /* unterminated string */
		"msgid \"Home\"\nmsgstr \"Home\"\n\n"));
	free(test_write_file(dir, "rad.po", PO_HEADER));
	char *lp = path_join(dir, "languages.json");
	struct diag_list d;
	diag_list_init(&d);
	struct lang_registry *reg = lang_registry_load(lp, &d);
	struct strings *s = strings_load(dir, reg, &d);
	assert_true(diag_count(&d, DIAG_ERROR) >= 1);
	bool named = false;
	for (size_t i = 0; i < d.len; i++)
		if (strstr(d.items[i].file, "en.po") && d.items[i].line >= 7 &&
		    d.items[i].line <= 8)
			named = true;
	if (!named)
		diag_print(&d, stderr);
	assert_true(named);
	/* the broken file is skipped whole: English falls back to vi */
	assert_string_equal(strings_get(s, "en", "Back"), "Quay lại");
	strings_destroy(s);
	lang_registry_destroy(reg);
	diag_list_finish(&d);
	free(lp);
	test_rmtree(dir);
	free(dir);
}

/* The shipped PO files: msgfmt --check passes, vi and en are complete. */
static void test_shipped_locales(void **state)
{
	(void)state;
	char *loc = test_source_path("locales");
	char *lp = path_join(loc, "languages.json");
	struct diag_list d;
	diag_list_init(&d);
	struct lang_registry *reg = lang_registry_load(lp, &d);
	assert_non_null(reg);
	struct strings *s = strings_load(loc, reg, &d);
	diag_print(&d, stderr);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
	for (size_t i = 0; i < reg->n_langs; i++) {
		char *po = xasprintf("%s/%s.po", loc, reg->langs[i].tag);
		assert_int_equal(test_system("msgfmt --check -o /dev/null '%s'", po), 0);
		free(po);
	}
	size_t nvi = strings_count(s, "vi");
	assert_true(nvi >= 30);
	assert_int_equal(strings_count(s, "en"), nvi);
	/* a minority language with no translations shows Vietnamese */
	assert_string_equal(strings_get(s, "rad", "Back"), "Quay lại");
	strings_destroy(s);
	lang_registry_destroy(reg);
	diag_list_finish(&d);
	free(lp);
	free(loc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fallback_per_string),
		cmocka_unit_test(test_broken_po),
		cmocka_unit_test(test_shipped_locales),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
