/*
 * test_coverage: the per-language figures of content/coverage on a small
 * library made in the test's temporary folder (vi, en, rad; four UI
 * strings; posters and a gallery), both through coverage_compute and as
 * the real program prints them with `kiosk check --coverage`; then the
 * table of the shipped demo library, printed without an exact check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/diag.h"
#include "base/util.h"
#include "content/catalog.h"
#include "content/coverage.h"
#include "i18n/lang.h"
#include "test_support.h"

struct fixture {
	char *dir;       /* the temporary folder */
	char *locales;   /* dir/locales */
	char *lib;       /* dir/lib */
};

static const char po_header[] =
	"msgid \"\"\n"
	"msgstr \"\"\n"
	"\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	"\n";

static void write_po(const char *dir, const char *tag, const char *body)
{
	char *rel = xasprintf("locales/%s.po", tag);
	char *text = xasprintf("%s%s", po_header, body);
	free(test_write_file(dir, rel, text));
	free(text);
	free(rel);
}

/* The fixture:
 *   languages: vi (national), en (foreign), rad (minority)
 *   UI strings: 4 in vi.po; en translates 3 and has 1 fuzzy; rad
 *   translates 1 (and has an obsolete entry and one vi.po lacks, which do
 *   not count)
 *   items: poster-a  media vi en    titles vi en
 *          poster-b  media vi rad   titles vi rad
 *          poster-c  media vi       titles vi en
 *          show-d    gallery: picture 1 captioned vi rad, picture 2 vi
 *                    (so available in vi only)     titles vi
 */
static bool have_ffmpeg(void)
{
	return test_system("ffmpeg -version >/dev/null 2>&1") == 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->dir = test_tmpdir();
	f->locales = path_join(f->dir, "locales");
	f->lib = path_join(f->dir, "lib");
	free(test_write_file(f->dir, "locales/languages.json",
		"{ \"default\": \"vi\",\n"
		"  \"languages\": [\n"
		"    { \"tag\": \"vi\", \"endonym\": \"Tiếng Việt\", \"name_vi\": \"Tiếng Việt\", \"kind\": \"national\" },\n"
		"    { \"tag\": \"en\", \"endonym\": \"English\", \"name_vi\": \"Tiếng Anh\", \"kind\": \"foreign\", \"fallback\": \"vi\" },\n"
		"    { \"tag\": \"rad\", \"endonym\": \"Êđê\", \"name_vi\": \"Tiếng Ê Đê\", \"kind\": \"minority\", \"fallback\": \"vi\" } ] }\n"));
	write_po(f->dir, "vi",
		"msgid \"Back\"\nmsgstr \"Quay lại\"\n\n"
		"msgid \"Home\"\nmsgstr \"Trang chủ\"\n\n"
		"msgid \"Language\"\nmsgstr \"Ngôn ngữ\"\n\n"
		"msgctxt \"menu\"\nmsgid \"Play\"\nmsgstr \"Phát\"\n");
	write_po(f->dir, "en",
		"msgid \"Back\"\nmsgstr \"Back\"\n\n"
		"msgid \"Home\"\nmsgstr \"Home\"\n\n"
		"#, fuzzy\nmsgid \"Language\"\nmsgstr \"Tongue\"\n\n"
		"msgctxt \"menu\"\nmsgid \"Play\"\nmsgstr \"Play\"\n");
	write_po(f->dir, "rad",
		"msgid \"Back\"\nmsgstr \"Wĭt\"\n\n"
		"msgid \"Home\"\nmsgstr \"\"\n\n"
		"msgid \"Language\"\nmsgstr \"\"\n\n"
		"msgid \"Play\"\nmsgstr \"not the menu one\"\n\n"
		"msgid \"Gone\"\nmsgstr \"not in vi.po\"\n\n"
		"#~ msgid \"Old\"\n#~ msgstr \"obsolete\"\n");

	assert_true(mkdir_parents(f->lib));
	/* The tests that need the pictures skip without ffmpeg. */
	if (have_ffmpeg())
		assert_int_equal(test_system(
			"cd '%s' && mkdir -p poster-a poster-b poster-c show-d && "
			"ffmpeg -v error -y -f lavfi -i color=c=red:s=16x16 -frames:v 1 poster-a/p.png && "
			"cp poster-a/p.png poster-b/p.png && cp poster-a/p.png poster-c/p.png && "
			"cp poster-a/p.png show-d/1.png && cp poster-a/p.png show-d/2.png",
			f->lib), 0);
	free(test_write_file(f->lib, "poster-a/item.json",
		"{ \"id\": \"poster-a\", \"type\": \"poster\",\n"
		"  \"title\": { \"vi\": \"A\", \"en\": \"A\" },\n"
		"  \"topics\": [ \"udhr\" ],\n"
		"  \"media\": { \"vi\": \"p.png\", \"en\": \"p.png\" } }\n"));
	free(test_write_file(f->lib, "poster-b/item.json",
		"{ \"id\": \"poster-b\", \"type\": \"poster\",\n"
		"  \"title\": { \"vi\": \"B\", \"rad\": \"B\" },\n"
		"  \"topics\": [ \"udhr\" ],\n"
		"  \"media\": { \"vi\": \"p.png\", \"rad\": \"p.png\" } }\n"));
	free(test_write_file(f->lib, "poster-c/item.json",
		"{ \"id\": \"poster-c\", \"type\": \"poster\",\n"
		"  \"title\": { \"vi\": \"C\", \"en\": \"C\" },\n"
		"  \"topics\": [ \"udhr\" ],\n"
		"  \"media\": { \"vi\": \"p.png\" } }\n"));
	free(test_write_file(f->lib, "show-d/item.json",
		"{ \"id\": \"show-d\", \"type\": \"gallery\",\n"
		"  \"title\": { \"vi\": \"D\" },\n"
		"  \"topics\": [ \"udhr\" ],\n"
		"  \"pictures\": [\n"
		"    { \"file\": \"1.png\", \"caption\": { \"vi\": \"một\", \"rad\": \"sa\" } },\n"
		"    { \"file\": \"2.png\", \"caption\": { \"vi\": \"hai\" } } ] }\n"));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	test_rmtree(f->dir);
	free(f->dir);
	free(f->locales);
	free(f->lib);
	free(f);
	return 0;
}

/* Load the fixture's registry and library without a single problem. */
static void load(const struct fixture *f, struct lang_registry **langs,
		 struct catalog **cat)
{
	struct diag_list diags;
	diag_list_init(&diags);
	char *path = path_join(f->locales, "languages.json");
	*langs = lang_registry_load(path, &diags);
	free(path);
	assert_non_null(*langs);
	*cat = catalog_load(f->lib, *langs, 0, &diags);
	assert_non_null(*cat);
	for (size_t i = 0; i < diags.len; i++) {
		char *s = diag_format(&diags.items[i]);
		print_message("%s\n", s);
		free(s);
	}
	assert_int_equal(diags.len, 0);
	diag_list_finish(&diags);
}

static void test_figures(void **state)
{
	struct fixture *f = *state;
	if (!have_ffmpeg())
		skip();
	struct lang_registry *langs;
	struct catalog *cat;
	load(f, &langs, &cat);
	assert_int_equal(cat->n_items, 4);

	struct coverage cov;
	assert_true(coverage_compute(cat, langs, f->locales, &cov));
	assert_int_equal(cov.n_langs, 3);
	assert_int_equal(cov.strings_total, 4);
	assert_int_equal(cov.items_total, 4);
	static const struct {
		const char *tag;
		size_t translated, fuzzy, media, titled;
	} want[] = {
		{ "vi",  4, 0, 4, 4 },
		{ "en",  3, 1, 1, 2 },
		{ "rad", 1, 0, 1, 1 },
	};
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		const struct coverage_lang *cl = &cov.langs[i];
		assert_string_equal(cl->lang->tag, want[i].tag);
		assert_int_equal(cl->po, COVERAGE_PO_OK);
		assert_int_equal(cl->strings_translated, want[i].translated);
		assert_int_equal(cl->strings_fuzzy, want[i].fuzzy);
		assert_int_equal(cl->items_media, want[i].media);
		assert_int_equal(cl->items_titled, want[i].titled);
	}
	/* poster-a (en) and poster-b (rad); the gallery is not whole in rad. */
	assert_int_equal(cov.items_minority_foreign, 2);
	assert_true(coverage_target_met(&cov));
	assert_int_equal(coverage_items_missing(&cov), 0);
	coverage_finish(&cov);

	/* Without rad.po: that language counts nothing, the rest the same. */
	char *rad = path_join(f->locales, "rad.po");
	char *moved = path_join(f->dir, "rad.po");
	assert_int_equal(rename(rad, moved), 0);
	assert_true(coverage_compute(cat, langs, f->locales, &cov));
	assert_int_equal(rename(moved, rad), 0);
	assert_int_equal(cov.langs[2].po, COVERAGE_PO_MISSING);
	assert_int_equal(cov.langs[2].strings_translated, 0);
	assert_int_equal(cov.langs[1].strings_translated, 3);
	assert_int_equal(cov.langs[2].items_media, 1);
	coverage_finish(&cov);

	/* A broken default PO file: no total, and a false return. */
	char *vi = path_join(f->locales, "vi.po");
	char *saved = file_read_all(vi, NULL);
	assert_non_null(saved);
	free(test_write_file(f->locales, "vi.po", "msgid \"x\nmsgstr\n"));
	assert_false(coverage_compute(cat, langs, f->locales, &cov));
	free(test_write_file(f->locales, "vi.po", saved));
	assert_int_equal(cov.strings_total, 0);
	assert_int_equal(cov.langs[0].po, COVERAGE_PO_UNREADABLE);
	assert_int_equal(cov.items_minority_foreign, 2);
	coverage_finish(&cov);

	free(saved);
	free(vi);
	free(rad);
	free(moved);
	catalog_destroy(cat);
	lang_registry_destroy(langs);
}

/* The target's arithmetic: the lower bound is met from 15 %, rounding the
 * number of items needed up; an empty library never meets it. */
static void test_target(void **state)
{
	(void)state;
	struct coverage cov = { .items_total = 16, .items_minority_foreign = 2 };
	assert_false(coverage_target_met(&cov));        /* 12.5 % */
	assert_int_equal(coverage_items_missing(&cov), 1);   /* 3 = 18.75 % */
	cov.items_minority_foreign = 3;
	assert_true(coverage_target_met(&cov));
	cov = (struct coverage){ .items_total = 20, .items_minority_foreign = 3 };
	assert_true(coverage_target_met(&cov));         /* exactly 15 % */
	cov.items_minority_foreign = 0;
	assert_int_equal(coverage_items_missing(&cov), 3);
	cov = (struct coverage){ 0 };
	assert_false(coverage_target_met(&cov));
	assert_true(coverage_percent(1, 0) == 0.0);
	assert_true(coverage_percent(1, 8) == 12.5);
}

/* Run the real program: `kiosk --config CONF check ARGS`; returns its exit
 * status and what it printed on stdout (caller frees). */
static int run_kiosk(const char *dir, const char *locales, const char *args,
		     char **out)
{
	char *kiosk = test_program("kiosk/kiosk");
	char *conf = xasprintf("locales_dir = %s\n", locales);
	char *conf_path = test_write_file(dir, "kiosk.conf", conf);
	char *out_path = path_join(dir, "stdout.txt");
	int rc = test_system("'%s' --config '%s' check %s > '%s'", kiosk,
			     conf_path, args, out_path);
	*out = file_read_all(out_path, NULL);
	assert_non_null(*out);
	unlink(out_path);
	free(out_path);
	free(conf_path);
	free(conf);
	free(kiosk);
	return rc;
}

static void test_check_prints_table(void **state)
{
	struct fixture *f = *state;
	if (!have_ffmpeg())
		skip();
	char *args = xasprintf("--coverage '%s'", f->lib);
	char *out = NULL;
	int rc = run_kiosk(f->dir, f->locales, args, &out);
	static const char want[] =
		"4 items, 0 errors, 0 warnings\n"
		"\n"
		"coverage: 4 items, 4 UI strings in vi.po\n"
		"tag  endonym     kind      UI strings   fuzzy  items        titles\n"
		"vi   Tiếng Việt  national  4/4 100.0 %      0  4/4 100.0 %  4/4 100.0 %\n"
		"en   English     foreign   3/4  75.0 %      1  1/4  25.0 %  2/4  50.0 %\n"
		"rad  Êđê         minority  1/4  25.0 %      0  1/4  25.0 %  1/4  25.0 %\n"
		"items in minority or foreign languages: 2 of 4 (50.0 %) "
		"\xe2\x80\x94 target 15-20 %: met\n";
	if (strcmp(out, want) != 0)
		fail_msg("got:\n%s\nwanted:\n%s", out, want);
	assert_int_equal(rc, 0);
	free(out);

	/* Without the flag: exactly as before. */
	free(args);
	args = xasprintf("'%s'", f->lib);
	rc = run_kiosk(f->dir, f->locales, args, &out);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "4 items, 0 errors, 0 warnings\n");
	free(out);

	/* An error in the library still fails the check, table or not; the
	 * broken item is left out of the figures. */
	free(test_write_file(f->lib, "poster-c/item.json",
		"{ \"id\": \"poster-c\", \"type\": \"poster\",\n"
		"  \"title\": { \"vi\": \"C\" },\n"
		"  \"topics\": [ \"udhr\" ],\n"
		"  \"media\": { \"vi\": \"gone.png\" } }\n"));
	free(args);
	args = xasprintf("--coverage '%s'", f->lib);
	rc = run_kiosk(f->dir, f->locales, args, &out);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, "3 items, 1 errors, 0 warnings\n"));
	assert_non_null(strstr(out,
		"\nvi   Tiếng Việt  national  4/4 100.0 %      0  3/3 100.0 %  3/3 100.0 %\n"));
	assert_non_null(strstr(out,
		"items in minority or foreign languages: 2 of 3 (66.7 %)"));
	free(out);
	free(args);
}

/* The shipped library and locales: printed for the reader, not checked
 * line by line (the content changes); it must pass and end with the
 * target line. */
static void test_demo_library(void **state)
{
	struct fixture *f = *state;
	char *content = test_source_path("content");
	char *locales = test_source_path("locales");
	char *args = xasprintf("--coverage '%s'", content);
	char *out = NULL;
	int rc = run_kiosk(f->dir, locales, args, &out);
	print_message("%s", out);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "\ncoverage: "));
	assert_non_null(strstr(out, "\nitems in minority or foreign languages: "));
	free(out);
	free(args);
	free(locales);
	free(content);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_figures, setup, teardown),
		cmocka_unit_test(test_target),
		cmocka_unit_test_setup_teardown(test_check_prints_table, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_demo_library, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
