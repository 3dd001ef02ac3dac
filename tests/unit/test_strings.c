/*
 * test_strings: UI strings from PO files: fallback along the chain per
 * string, fuzzy entries ignored, contexts, broken files reported, plural
 * strings by each file's own Plural-Forms (falling back per string and per
 * count), and the real locales/ files complete for vi and en and valid for
 * msgfmt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/log.h"
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

/* A PO header without Plural-Forms, and one with the given rule (the
 * header's Plural-Forms line is line 4). */
#define PO_HEADER_NO_PLURAL \
	"msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
#define PO_HEADER_PLURAL(rule) \
	PO_HEADER_NO_PLURAL "\"Plural-Forms: " rule "\\n\"\n\n"
#define PO_HEADER PO_HEADER_PLURAL("nplurals=1; plural=0;")

/* A temporary locales folder, its languages and strings as loaded. */
struct fixture {
	char *dir;
	struct diag_list d;          /* from both loaders */
	struct lang_registry *reg;
	struct strings *s;
};

/* Write languages.json (json) and the files given as name, text pairs
 * ending with NULL into a new temporary folder, then load both. */
static void fixture_load(struct fixture *f, const char *json, ...)
{
	f->dir = test_tmpdir();
	free(test_write_file(f->dir, "languages.json", json));
	va_list ap;
	va_start(ap, json);
	for (const char *name; (name = va_arg(ap, const char *)) != NULL; )
		free(test_write_file(f->dir, name, va_arg(ap, const char *)));
	va_end(ap);
	char *lp = path_join(f->dir, "languages.json");
	diag_list_init(&f->d);
	f->reg = lang_registry_load(lp, &f->d);
	free(lp);
	assert_non_null(f->reg);
	f->s = strings_load(f->dir, f->reg, &f->d);
}

static void fixture_finish(struct fixture *f)
{
	strings_destroy(f->s);
	lang_registry_destroy(f->reg);
	diag_list_finish(&f->d);
	test_rmtree(f->dir);
	free(f->dir);
}

/* The first problem whose file ends in file and whose message has text
 * (NULL: any), or NULL. */
static const struct diag *find_diag(const struct diag_list *d, const char *file,
				    const char *text)
{
	size_t flen = strlen(file);
	for (size_t i = 0; i < d->len; i++) {
		const struct diag *g = &d->items[i];
		size_t len = strlen(g->file);
		if (len >= flen && !strcmp(g->file + len - flen, file) &&
		    (!text || strstr(g->message, text)))
			return g;
	}
	return NULL;
}

static void test_fallback_per_string(void **state)
{
	(void)state;
	struct fixture f;
	/* en.po missing on purpose: a warning, and English falls back */
	fixture_load(&f, langs_json,
		"vi.po", PO_HEADER
		"msgid \"Back\"\nmsgstr \"Quay lại\"\n\n"
		"msgid \"Home\"\nmsgstr \"Trang chủ\"\n\n"
		"msgctxt \"button\"\nmsgid \"Play\"\nmsgstr \"Phát\"\n\n",
		"rad.po", PO_HEADER
		"msgid \"Back\"\nmsgstr \"\"\n\n"                 /* empty: falls back */
		"#, fuzzy\nmsgid \"Home\"\nmsgstr \"guessed\"\n\n", /* fuzzy: ignored */
		NULL);
	struct strings *s = f.s;
	assert_int_equal(diag_count(&f.d, DIAG_ERROR), 0);
	assert_int_equal(diag_count(&f.d, DIAG_WARNING), 1);
	assert_non_null(find_diag(&f.d, "/en.po", NULL));

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
	fixture_finish(&f);
}

static void test_broken_po(void **state)
{
	(void)state;
	struct fixture f;
	fixture_load(&f, langs_json,
		"vi.po", PO_HEADER "msgid \"Back\"\nmsgstr \"Quay lại\"\n\n",
		"en.po", PO_HEADER
		"msgid \"Back\"\nmsgstr \"Back\n\n"        /* unterminated string */
		"msgid \"Home\"\nmsgstr \"Home\"\n\n",
		"rad.po", PO_HEADER,
		NULL);
	assert_true(diag_count(&f.d, DIAG_ERROR) >= 1);
	bool named = false;
	for (size_t i = 0; i < f.d.len; i++)
		if (strstr(f.d.items[i].file, "en.po") && f.d.items[i].line >= 7 &&
		    f.d.items[i].line <= 8)
			named = true;
	if (!named)
		diag_print(&f.d, stderr);
	assert_true(named);
	/* the broken file is skipped whole: English falls back to vi */
	assert_string_equal(strings_get(f.s, "en", "Back"), "Quay lại");
	fixture_finish(&f);
}

/* What libgettextpo cannot place ((size_t)-1, its "not known") has line
 * or column 0, a diag's "not known" (found by tests/fuzz: the file of
 * regress/strings/unknown-column.po). */
static void test_unknown_position(void **state)
{
	(void)state;
	struct fixture f;
	fixture_load(&f, langs_json, "vi.po", "B(", NULL);
	assert_true(diag_count(&f.d, DIAG_ERROR) >= 1);
	for (size_t i = 0; i < f.d.len; i++) {
		assert_true(f.d.items[i].line >= 0);
		assert_true(f.d.items[i].col >= 0);
	}
	/* the broken file is skipped whole */
	assert_string_equal(strings_get(f.s, "vi", "Back"), "Back");
	fixture_finish(&f);
}

/* Plural strings: vi (1 form) <- en (n != 1) <- pl (3 forms, Polish) and
 * rad (1 form) <- vi. */
static const char plural_langs_json[] =
	"{ \"default\": \"vi\", \"languages\": [\n"
	"  { \"tag\": \"vi\", \"endonym\": \"Tiếng Việt\", \"name_vi\": \"Tiếng Việt\", \"kind\": \"national\" },\n"
	"  { \"tag\": \"en\", \"endonym\": \"English\", \"name_vi\": \"Tiếng Anh\", \"kind\": \"foreign\", \"fallback\": \"vi\" },\n"
	"  { \"tag\": \"pl\", \"endonym\": \"Polski\", \"name_vi\": \"Tiếng Ba Lan\", \"kind\": \"foreign\", \"fallback\": \"en\" },\n"
	"  { \"tag\": \"rad\", \"endonym\": \"Êđê\", \"name_vi\": \"Tiếng Ê Đê\", \"kind\": \"minority\", \"fallback\": \"vi\" }\n"
	"] }\n";

#define PL_RULE "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && " \
		"(n%100<10 || n%100>=20) ? 1 : 2);"

/* Warnings logged that mention the text in *data. */
static unsigned n_logged;
static void count_logged(enum log_level level, const char *msg, void *data)
{
	if (level == LOG_LEVEL_WARN && strstr(msg, (const char *)data))
		n_logged++;
}

static void test_plural_fallback(void **state)
{
	(void)state;
	struct fixture f;
	fixture_load(&f, plural_langs_json,
		"vi.po", PO_HEADER
		"msgid \"Back\"\nmsgstr \"Quay lại\"\n\n"
		"msgid \"%d item\"\nmsgid_plural \"%d items\"\nmsgstr[0] \"%d mục\"\n\n"
		"msgid \"%d result\"\nmsgid_plural \"%d results\"\nmsgstr[0] \"%d kết quả\"\n\n"
		"msgid \"%d photo\"\nmsgid_plural \"%d photos\"\nmsgstr[0] \"%d ảnh\"\n\n",
		"en.po", PO_HEADER_PLURAL("nplurals=2; plural=(n != 1);")
		"msgid \"Back\"\nmsgstr \"Back\"\n\n"
		"msgid \"%d item\"\nmsgid_plural \"%d items\"\n"
		"msgstr[0] \"EN %d item\"\nmsgstr[1] \"EN %d items\"\n\n"
		"msgid \"%d result\"\nmsgid_plural \"%d results\"\n"
		"msgstr[0] \"EN %d result\"\nmsgstr[1] \"EN %d results\"\n\n"
		"msgid \"%d photo\"\nmsgid_plural \"%d photos\"\n"
		"msgstr[0] \"EN %d photo\"\nmsgstr[1] \"\"\n\n",
		"pl.po", PO_HEADER_PLURAL(PL_RULE)
		"msgid \"Back\"\nmsgstr \"Wstecz\"\n\n"
		"#, fuzzy\nmsgid \"%d item\"\nmsgid_plural \"%d items\"\n"
		"msgstr[0] \"PL %d x\"\nmsgstr[1] \"PL %d y\"\nmsgstr[2] \"PL %d z\"\n\n"
		"msgid \"%d result\"\nmsgid_plural \"%d results\"\n"
		"msgstr[0] \"PL %d wynik\"\nmsgstr[1] \"\"\nmsgstr[2] \"PL %d wyników\"\n\n"
		"msgid \"%d photo\"\nmsgid_plural \"%d photos\"\n"
		"msgstr[0] \"PL %d zdjęcie\"\nmsgstr[1] \"\"\nmsgstr[2] \"PL %d zdjęć\"\n\n",
		"rad.po", PO_HEADER
		"msgid \"%d item\"\nmsgid_plural \"%d items\"\nmsgstr[0] \"\"\n\n",
		NULL);
	if (f.d.len)
		diag_print(&f.d, stderr);
	assert_int_equal(f.d.len, 0);
	struct strings *s = f.s;

	static const struct {
		const char *lang, *msgid, *msgid_plural;
		unsigned long n;
		const char *want;
	} cases[] = {
		/* fuzzy in pl: English, by English's rule, for every n */
		{ "pl", "%d item", "%d items", 1, "EN %d item" },
		{ "pl", "%d item", "%d items", 2, "EN %d items" },
		{ "pl", "%d item", "%d items", 5, "EN %d items" },
		{ "pl", "%d item", "%d items", 0, "EN %d items" },
		/* pl's msgstr[1] empty: only 2-4, 22-24 ... fall back */
		{ "pl", "%d result", "%d results", 1, "PL %d wynik" },
		{ "pl", "%d result", "%d results", 2, "EN %d results" },
		{ "pl", "%d result", "%d results", 4, "EN %d results" },
		{ "pl", "%d result", "%d results", 22, "EN %d results" },
		{ "pl", "%d result", "%d results", 102, "EN %d results" },
		{ "pl", "%d result", "%d results", 0, "PL %d wyników" },
		{ "pl", "%d result", "%d results", 5, "PL %d wyników" },
		{ "pl", "%d result", "%d results", 12, "PL %d wyników" },
		{ "pl", "%d result", "%d results", 21, "PL %d wyników" },
		{ "pl", "%d result", "%d results", 112, "PL %d wyników" },
		/* empty in pl and then in en for the same n: on to vi */
		{ "pl", "%d photo", "%d photos", 1, "PL %d zdjęcie" },
		{ "pl", "%d photo", "%d photos", 3, "%d ảnh" },
		{ "pl", "%d photo", "%d photos", 7, "PL %d zdjęć" },
		{ "en", "%d photo", "%d photos", 1, "EN %d photo" },
		{ "en", "%d photo", "%d photos", 3, "%d ảnh" },
		/* vi has one form for every n; rad's form is empty */
		{ "vi", "%d item", "%d items", 1, "%d mục" },
		{ "vi", "%d item", "%d items", 1000000, "%d mục" },
		{ "rad", "%d item", "%d items", 2, "%d mục" },
		{ "en", "%d item", "%d items", 1, "EN %d item" },
		{ "en", "%d item", "%d items", 0, "EN %d items" },
		/* nobody has it: the English rule on the msgids */
		{ "pl", "%d page", "%d pages", 1, "%d page" },
		{ "pl", "%d page", "%d pages", 0, "%d pages" },
		{ "pl", "%d page", "%d pages", 2, "%d pages" },
		{ "vi", "%d page", "%d pages", 21, "%d pages" },
		/* a plain (singular) entry is not a plural string */
		{ "en", "Back", "Backs", 1, "Back" },
		{ "en", "Back", "Backs", 2, "Backs" },
	};
	n_logged = 0;
	log_set_hook(count_logged, "%d page");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = strings_getn(s, cases[i].lang, cases[i].msgid,
					       cases[i].msgid_plural, cases[i].n);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s \"%s\" n=%lu: \"%s\", want \"%s\"",
				 cases[i].lang, cases[i].msgid, cases[i].n, got,
				 cases[i].want);
	}
	log_set_hook(NULL, NULL);
	assert_int_equal(n_logged, 1);     /* logged once for all its n */

	/* strings_get takes a plural string's form for n = 1 */
	assert_string_equal(strings_get(s, "pl", "%d result"), "PL %d wynik");
	assert_string_equal(strings_get(s, "pl", "%d item"), "EN %d item");
	assert_string_equal(strings_get(s, "pl", "Back"), "Wstecz");

	/* a plural string counts once, as translated only with every form */
	assert_int_equal(strings_count(s, "vi"), 4);
	assert_int_equal(strings_count(s, "en"), 3);
	assert_int_equal(strings_count(s, "pl"), 1);
	assert_int_equal(strings_count(s, "rad"), 0);
	struct strings_stats st;
	strings_stats(s, "pl", &st);
	assert_int_equal(st.total, 4);
	assert_int_equal(st.translated, 1);
	assert_int_equal(st.fuzzy, 1);
	strings_stats(s, "vi", &st);
	assert_int_equal(st.translated, 4);
	fixture_finish(&f);
}

/* A missing or broken Plural-Forms: a warning with file and line, the
 * file's plural strings unused, its other strings used. */
static void test_plural_header_problems(void **state)
{
	(void)state;
	struct fixture f;
	fixture_load(&f, plural_langs_json,
		"vi.po", PO_HEADER
		"msgid \"Back\"\nmsgstr \"Quay lại\"\n\n"
		"msgid \"%d item\"\nmsgid_plural \"%d items\"\nmsgstr[0] \"%d mục\"\n\n"
		/* 2 forms where the header says 1: a warning, form 0 used */
		"msgid \"%d file\"\nmsgid_plural \"%d files\"\n"
		"msgstr[0] \"%d tệp\"\nmsgstr[1] \"%d tệp\"\n\n",
		"en.po", PO_HEADER_PLURAL("nplurals=2; plural=n !! 1;")
		"msgid \"Back\"\nmsgstr \"Back\"\n\n"
		"msgid \"%d item\"\nmsgid_plural \"%d items\"\n"
		"msgstr[0] \"EN %d item\"\nmsgstr[1] \"EN %d items\"\n\n",
		"rad.po", "# no Plural-Forms\n" PO_HEADER_NO_PLURAL "\n"
		"msgid \"Back\"\nmsgstr \"RAD back\"\n\n"
		"msgid \"%d item\"\nmsgid_plural \"%d items\"\nmsgstr[0] \"RAD %d\"\n\n",
		/* no Plural-Forms and no plural strings: nothing to say */
		"pl.po", PO_HEADER_NO_PLURAL "\n"
		"msgid \"Back\"\nmsgstr \"Wstecz\"\n\n",
		NULL);
	struct strings *s = f.s;
	assert_int_equal(diag_count(&f.d, DIAG_ERROR), 0);
	assert_int_equal(diag_count(&f.d, DIAG_WARNING), 3);
	const struct diag *g = find_diag(&f.d, "/en.po", "Plural-Forms");
	assert_non_null(g);
	assert_int_equal(g->severity, DIAG_WARNING);
	assert_int_equal(g->line, 4);
	assert_non_null(strstr(g->message, "found '!'"));
	g = find_diag(&f.d, "/rad.po", "no Plural-Forms");
	assert_non_null(g);
	assert_int_equal(g->line, 2);        /* the header's msgid "" */
	g = find_diag(&f.d, "/vi.po", "2 plural forms");
	assert_non_null(g);
	assert_null(find_diag(&f.d, "/pl.po", NULL));

	assert_string_equal(strings_get(s, "en", "Back"), "Back");
	assert_string_equal(strings_get(s, "rad", "Back"), "RAD back");
	assert_string_equal(strings_getn(s, "en", "%d item", "%d items", 2), "%d mục");
	assert_string_equal(strings_getn(s, "rad", "%d item", "%d items", 1), "%d mục");
	assert_string_equal(strings_getn(s, "vi", "%d file", "%d files", 3), "%d tệp");
	assert_string_equal(strings_getn(s, "pl", "%d item", "%d items", 3), "%d mục");
	assert_int_equal(strings_count(s, "en"), 1);
	assert_int_equal(strings_count(s, "rad"), 1);
	fixture_finish(&f);
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
	/* the shipped plural strings, by each file's own rule */
	assert_string_equal(strings_getn(s, "vi", "%d item", "%d items", 5), "%d mục");
	assert_string_equal(strings_getn(s, "en", "%d item", "%d items", 1), "%d item");
	assert_string_equal(strings_getn(s, "en", "%d result", "%d results", 0),
			    "%d results");
	assert_string_equal(strings_getn(s, "rad", "%d result", "%d results", 2),
			    "%d kết quả");
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
		cmocka_unit_test(test_unknown_position),
		cmocka_unit_test(test_plural_fallback),
		cmocka_unit_test(test_plural_header_problems),
		cmocka_unit_test(test_shipped_locales),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
