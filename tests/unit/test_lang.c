/*
 * test_lang: the language registry: the shipped languages.json, fallback
 * chains, and located reports for bad files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/diag.h"
#include "base/util.h"
#include "i18n/lang.h"
#include "test_support.h"

static void test_shipped_registry(void **state)
{
	(void)state;
	char *path = test_source_path("locales/languages.json");
	struct diag_list diags;
	diag_list_init(&diags);
	struct lang_registry *reg = lang_registry_load(path, &diags);
	assert_non_null(reg);
	assert_int_equal(diags.len, 0);
	assert_string_equal(reg->default_tag, "vi");

	static const char *const tags[] = { "vi", "en", "rad", "jra", "bdq",
					    "sed", "cmo", "tyz", "nut", "mww" };
	assert_int_equal(reg->n_langs, ARRAY_LEN(tags));
	for (size_t i = 0; i < ARRAY_LEN(tags); i++)
		assert_string_equal(reg->langs[i].tag, tags[i]);

	const struct lang *vi = lang_find(reg, "vi");
	assert_string_equal(vi->endonym, "Tiếng Việt");
	assert_int_equal(vi->kind, LANG_NATIONAL);
	assert_null(vi->fallback);
	const struct lang *en = lang_find(reg, "en");
	assert_int_equal(en->kind, LANG_FOREIGN);
	assert_string_equal(en->fallback, "vi");
	const struct lang *rad = lang_find(reg, "rad");
	assert_string_equal(rad->endonym, "Êđê");
	assert_string_equal(rad->name_vi, "Tiếng Ê Đê");
	assert_int_equal(rad->kind, LANG_MINORITY);
	assert_string_equal(rad->fallback, "vi");
	assert_string_equal(lang_find(reg, "mww")->endonym, "Hmoob Dawb");
	/* the codes media files tag streams with */
	assert_string_equal(vi->iso639, "vie");
	assert_string_equal(en->iso639, "eng");
	assert_string_equal(rad->iso639, "rad");  /* its own tag */
	assert_null(lang_find(reg, "xx"));
	assert_null(lang_find(reg, NULL));

	lang_registry_destroy(reg);
	diag_list_finish(&diags);
	free(path);
}

static struct lang_registry *load_text(const char *text, struct diag_list *diags,
				       char **path_out)
{
	char *dir = test_tmpdir();
	char *path = test_write_file(dir, "languages.json", text);
	struct lang_registry *reg = lang_registry_load(path, diags);
	test_rmtree(dir);
	free(dir);
	*path_out = path;
	return reg;
}

static void test_chains(void **state)
{
	(void)state;
	struct diag_list diags;
	diag_list_init(&diags);
	char *path;
	/* ab falls back to cd, cd to ab (a loop), ef to the default. */
	struct lang_registry *reg = load_text(
		"{ \"default\": \"vi\", \"languages\": [\n"
		"  { \"tag\": \"vi\", \"endonym\": \"V\", \"name_vi\": \"V\", \"kind\": \"national\" },\n"
		"  { \"tag\": \"ab\", \"endonym\": \"A\", \"name_vi\": \"A\", \"kind\": \"minority\", \"fallback\": \"cd\" },\n"
		"  { \"tag\": \"cd\", \"endonym\": \"C\", \"name_vi\": \"C\", \"kind\": \"minority\", \"fallback\": \"ab\" },\n"
		"  { \"tag\": \"ef\", \"endonym\": \"E\", \"name_vi\": \"E\", \"kind\": \"foreign\" } ] }\n",
		&diags, &path);
	assert_non_null(reg);
	assert_int_equal(diags.len, 0);

	const char *chain[8];
	size_t n = lang_chain(reg, "ab", chain, 8);
	assert_int_equal(n, 3);
	assert_string_equal(chain[0], "ab");
	assert_string_equal(chain[1], "cd");
	assert_string_equal(chain[2], "vi");

	n = lang_chain(reg, "ef", chain, 8);
	assert_int_equal(n, 2);
	assert_string_equal(chain[0], "ef");
	assert_string_equal(chain[1], "vi");

	n = lang_chain(reg, "vi", chain, 8);
	assert_int_equal(n, 1);
	assert_string_equal(chain[0], "vi");

	/* Unknown tag: just the default. */
	n = lang_chain(reg, "zz", chain, 8);
	assert_int_equal(n, 1);
	assert_string_equal(chain[0], "vi");

	/* Too short for the whole chain: the default still ends it. */
	n = lang_chain(reg, "ab", chain, 2);
	assert_int_equal(n, 2);
	assert_string_equal(chain[0], "ab");
	assert_string_equal(chain[1], "vi");
	assert_int_equal(lang_chain(reg, "ab", chain, 0), 0);

	lang_registry_destroy(reg);
	diag_list_finish(&diags);
	free(path);
}

static void test_builtin(void **state)
{
	(void)state;
	struct lang_registry *reg = lang_registry_builtin();
	assert_int_equal(reg->n_langs, 2);
	assert_string_equal(reg->default_tag, "vi");
	const char *chain[4];
	assert_int_equal(lang_chain(reg, "en", chain, 4), 2);
	assert_string_equal(chain[1], "vi");
	lang_registry_destroy(reg);
	lang_registry_destroy(NULL);
}

/* Expect exactly one diagnostic at line:col containing text. */
static void expect_one(const struct diag_list *diags, const char *path,
		       int line, int col, const char *text)
{
	if (diags->len != 1 || diags->items[0].line != line ||
	    diags->items[0].col != col || !strstr(diags->items[0].message, text) ||
	    strcmp(diags->items[0].file, path) != 0) {
		char *s = diags->len ? diag_format(&diags->items[0]) : xstrdup("(none)");
		fail_msg("got %zu diags, first: %s; wanted %d:%d %s", diags->len,
			 s, line, col, text);
	}
}

static void test_bad_files(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool usable;      /* a registry still comes back */
		int line, col;
		const char *msg;
	} cases[] = {
		{ "{ \"languages\": [\n  { \"tag\": \"vi\" \"endonym\": \"V\" } ] }\n",
		  false, 2, 25, "invalid JSON" },
		{ "{ \"languages\": [\n  { \"tag\": \"vi\", \"endonym\": \"V\", \"name_vi\": \"V\", \"kind\": \"national\", \"colour\": 1 } ] }\n",
		  true, 2, 70, "unknown key \"colour\"" },
		{ "{ \"languages\": [\n"
		  "  { \"tag\": \"vi\", \"endonym\": \"V\", \"name_vi\": \"V\", \"kind\": \"national\" },\n"
		  "  { \"tag\": \"en\", \"endonym\": \"E\", \"name_vi\": \"E\", \"kind\": \"foreign\", \"fallback\": \"fr\" } ] }\n",
		  true, 3, 81, "fallback \"fr\" is not another listed language" },
		{ "{ \"languages\": [\n"
		  "  { \"tag\": \"vi\", \"endonym\": \"V\", \"name_vi\": \"V\", \"kind\": \"national\" },\n"
		  "  { \"tag\": \"EN!\", \"endonym\": \"E\", \"name_vi\": \"E\", \"kind\": \"foreign\" } ] }\n",
		  true, 3, 12, "\"EN!\" is not a language tag" },
		{ "{ \"languages\": [\n"
		  "  { \"tag\": \"vi\", \"endonym\": \"V\", \"name_vi\": \"V\", \"kind\": \"national\" },\n"
		  "  { \"tag\": \"en\", \"name_vi\": \"E\", \"kind\": \"foreign\" } ] }\n",
		  true, 3, 3, "language entry has no \"endonym\"" },
		{ "{ \"languages\": [\n"
		  "  { \"tag\": \"vi\", \"endonym\": \"V\", \"name_vi\": \"V\", \"kind\": \"national\" },\n"
		  "  { \"tag\": \"vi\", \"endonym\": \" \", \"name_vi\": \"V\", \"kind\": \"national\" } ] }\n",
		  true, 3, 29, "\"endonym\" must be a non-empty string" },
		{ "{ \"default\": \"rad\", \"languages\": [\n"
		  "  { \"tag\": \"vi\", \"endonym\": \"V\", \"name_vi\": \"V\", \"kind\": \"national\" } ] }\n",
		  false, 1, 14, "the default language \"rad\" is not listed" },
		{ "{ \"languages\": [\n"
		  "  { \"tag\": \"vi\", \"endonym\": \"V\", \"name_vi\": \"V\", \"kind\": \"national\" },\n"
		  "  { \"tag\": \"en\", \"endonym\": \"E\", \"name_vi\": \"E\", \"kind\": \"foreign\", \"iso639\": \"en\" } ] }\n",
		  true, 3, 79, "\"en\" is not an ISO 639-2/3 code" },
		{ "{ \"languages\": [] }\n", false, 1, 16, "non-empty array" },
		{ "[ 1 ]\n", false, 1, 1, "top level must be an object" },
		{ "{ \"languages\": [ { \"tag\": \"v\xC3\" } ] }\n", false, 1, 29,
		  "invalid UTF-8 (byte 0xC3)" },
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct diag_list diags;
		diag_list_init(&diags);
		char *path;
		struct lang_registry *reg = load_text(cases[i].text, &diags, &path);
		if (cases[i].usable != (reg != NULL))
			fail_msg("case %zu: registry %s", i, reg ? "loaded" : "NULL");
		expect_one(&diags, path, cases[i].line, cases[i].col, cases[i].msg);
		assert_int_equal(diags.items[0].severity, DIAG_ERROR);
		lang_registry_destroy(reg);
		diag_list_finish(&diags);
		free(path);
	}
}

static void test_bad_entry_left_out(void **state)
{
	(void)state;
	struct diag_list diags;
	diag_list_init(&diags);
	char *path;
	struct lang_registry *reg = load_text(
		"{ \"languages\": [\n"
		"  { \"tag\": \"vi\", \"endonym\": \"V\", \"name_vi\": \"V\", \"kind\": \"national\" },\n"
		"  { \"tag\": \"en\", \"endonym\": \"E\", \"name_vi\": \"E\", \"kind\": \"martian\" },\n"
		"  { \"tag\": \"rad\", \"endonym\": \"Êđê\", \"name_vi\": \"Ê Đê\", \"kind\": \"minority\" },\n"
		"  { \"tag\": \"rad\", \"endonym\": \"R\", \"name_vi\": \"R\", \"kind\": \"minority\" } ] }\n",
		&diags, &path);
	assert_non_null(reg);
	assert_int_equal(reg->n_langs, 2);
	assert_null(lang_find(reg, "en"));
	assert_string_equal(lang_find(reg, "rad")->endonym, "Êđê");
	assert_string_equal(lang_find(reg, "rad")->fallback, "vi");
	assert_int_equal(diags.len, 2);
	assert_int_equal(diags.items[0].line, 3);
	assert_non_null(strstr(diags.items[0].message, "unknown kind \"martian\""));
	assert_int_equal(diags.items[1].line, 5);
	assert_int_equal(diags.items[1].col, 12);
	assert_non_null(strstr(diags.items[1].message, "listed twice"));
	lang_registry_destroy(reg);
	diag_list_finish(&diags);
	free(path);
}

static void test_missing_file(void **state)
{
	(void)state;
	struct diag_list diags;
	diag_list_init(&diags);
	assert_null(lang_registry_load("/nonexistent/languages.json", &diags));
	assert_int_equal(diags.len, 1);
	assert_non_null(strstr(diags.items[0].message, "cannot read"));
	/* diags may be NULL. */
	assert_null(lang_registry_load("/nonexistent/languages.json", NULL));
	diag_list_finish(&diags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_registry),
		cmocka_unit_test(test_chains),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_entry_left_out),
		cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
