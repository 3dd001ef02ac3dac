/*
 * test_catalog: item.json parsing and the library: every field of a good
 * item, Vietnamese fallback with the "translated" flag, featured windows
 * (yearly, wrapping New Year, dated), lookup by id, bad items left out
 * while good ones load, the language registry and its chains, and a
 * 1,000-item library.
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
#include "content/catalog.h"
#include "content/topics.h"
#include "i18n/lang.h"
#include "test_support.h"

static const char langs_json[] =
	"{ \"default\": \"vi\", \"languages\": [\n"
	"  { \"tag\": \"vi\", \"endonym\": \"Tiếng Việt\", \"name_vi\": \"Tiếng Việt\", \"kind\": \"national\" },\n"
	"  { \"tag\": \"en\", \"endonym\": \"English\", \"name_vi\": \"Tiếng Anh\", \"kind\": \"foreign\", \"fallback\": \"vi\" },\n"
	"  { \"tag\": \"rad\", \"endonym\": \"Êđê\", \"name_vi\": \"Tiếng Ê Đê\", \"kind\": \"minority\", \"fallback\": \"vi\" }\n"
	"] }\n";

static const char good_item[] =
	"{\n"
	"  \"id\": \"crc-poster\",\n"
	"  \"type\": \"poster\",\n"
	"  \"title\": { \"vi\": \"Công ước về Quyền Trẻ em\", \"en\": \"Convention on the Rights of the Child\" },\n"
	"  \"summary\": { \"vi\": \"Thông qua năm 1989.\" },\n"
	"  \"topics\": [ \"crc\", \"children\" ],\n"
	"  \"featured\": [ { \"from\": \"12-28\", \"to\": \"01-03\" },\n"
	"                { \"from\": \"2026-06-01\", \"to\": \"2026-06-07\" } ],\n"
	"  \"media\": { \"vi\": \"poster.vi.png\", \"rad\": \"poster.rad.png\" },\n"
	"  \"thumbnail\": \"thumb.png\",\n"
	"  \"source\": \"Facts: UN OHCHR, CRC, 1989\"\n"
	"}\n";

struct fixture {
	char *dir;          /* tmp root */
	char *lib;          /* the library */
	struct lang_registry *langs;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->dir = test_tmpdir();
	f->lib = path_join(f->dir, "lib");
	free(test_write_file(f->dir, "languages.json", langs_json));
	char *lp = path_join(f->dir, "languages.json");
	f->langs = lang_registry_load(lp, NULL);
	free(lp);
	assert_non_null(f->langs);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	lang_registry_destroy(f->langs);
	test_rmtree(f->dir);
	free(f->dir);
	free(f->lib);
	free(f);
	return 0;
}

static void add_item(struct fixture *f, const char *folder, const char *json,
		     const char *const *files)
{
	char *rel = xasprintf("%s/item.json", folder);
	free(test_write_file(f->lib, rel, json));
	free(rel);
	for (size_t i = 0; files && files[i]; i++) {
		rel = xasprintf("%s/%s", folder, files[i]);
		free(test_write_file(f->lib, rel, "x")); /* existence only: no probe */
		free(rel);
	}
}

static void test_languages(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(f->langs->n_langs, 3);
	assert_string_equal(f->langs->default_tag, "vi");
	const struct lang *rad = lang_find(f->langs, "rad");
	assert_non_null(rad);
	assert_string_equal(rad->endonym, "Êđê");
	assert_int_equal(rad->kind, LANG_MINORITY);
	const char *chain[8];
	size_t n = lang_chain(f->langs, "rad", chain, 8);
	assert_int_equal(n, 2);
	assert_string_equal(chain[0], "rad");
	assert_string_equal(chain[1], "vi");
	n = lang_chain(f->langs, "vi", chain, 8);
	assert_int_equal(n, 1);
	n = lang_chain(f->langs, "xx", chain, 8);
	assert_int_equal(n, 1);
	assert_string_equal(chain[0], "vi");
	assert_null(lang_find(f->langs, "xx"));

	/* the shipped file: vi first, every language falls back to vi */
	char *shipped = test_source_path("locales/languages.json");
	struct diag_list d;
	diag_list_init(&d);
	struct lang_registry *reg = lang_registry_load(shipped, &d);
	assert_non_null(reg);
	assert_int_equal(d.len, 0);
	assert_true(reg->n_langs >= 10);
	assert_string_equal(reg->langs[0].tag, "vi");
	for (size_t i = 0; i < reg->n_langs; i++) {
		n = lang_chain(reg, reg->langs[i].tag, chain, 8);
		assert_string_equal(chain[n - 1], "vi");
		assert_true(utf8_valid(reg->langs[i].endonym,
				       strlen(reg->langs[i].endonym), NULL));
	}
	lang_registry_destroy(reg);
	diag_list_finish(&d);
	free(shipped);

	/* a broken file: reported with its position, NULL result */
	free(test_write_file(f->dir, "bad.json", "{ \"default\": \"vi\",\n  \"languages\": [ }\n"));
	char *bad = path_join(f->dir, "bad.json");
	diag_list_init(&d);
	assert_null(lang_registry_load(bad, &d));
	assert_true(d.len >= 1);
	assert_int_equal(d.items[0].line, 2);
	diag_list_finish(&d);
	free(bad);
}

static void test_good_item(void **state)
{
	struct fixture *f = *state;
	const char *files[] = { "poster.vi.png", "poster.rad.png", "thumb.png", NULL };
	add_item(f, "crc-poster", good_item, files);
	struct diag_list d;
	diag_list_init(&d);
	struct catalog *cat = catalog_load(f->lib, f->langs, 0, &d);
	assert_non_null(cat);
	diag_print(&d, stderr);
	assert_int_equal(d.len, 0);
	assert_int_equal(cat->n_items, 1);
	const struct item *it = catalog_find(cat, "crc-poster");
	assert_non_null(it);
	assert_int_equal(it->type, ITEM_POSTER);
	assert_int_equal(it->n_texts, 2);
	assert_int_equal(it->n_media, 2);
	assert_int_equal(it->n_topics, 2);
	assert_true(item_has_topic(it, "crc"));
	assert_true(item_has_topic(it, "children"));
	assert_false(item_has_topic(it, "cat"));
	assert_non_null(it->thumbnail);
	assert_non_null(strstr(it->thumbnail, "crc-poster/thumb.png"));
	assert_string_equal(it->source, "Facts: UN OHCHR, CRC, 1989");
	assert_null(catalog_find(cat, "nope"));

	/* English visitor: English title, Vietnamese media (none in en) */
	const char *en[] = { "en", "vi" };
	bool tr;
	const struct item_text *t = item_text_for(it, en, 2, &tr);
	assert_string_equal(t->title, "Convention on the Rights of the Child");
	assert_true(tr);
	assert_null(t->summary);
	const struct item_media *m = item_media_for(it, en, 2, &tr);
	assert_string_equal(m->lang, "vi");
	assert_false(tr);
	/* Ê Đê visitor: Vietnamese title with the badge, Ê Đê media */
	const char *rad[] = { "rad", "vi" };
	t = item_text_for(it, rad, 2, &tr);
	assert_string_equal(t->title, "Công ước về Quyền Trẻ em");
	assert_false(tr);
	assert_string_equal(t->summary, "Thông qua năm 1989.");
	m = item_media_for(it, rad, 2, &tr);
	assert_string_equal(m->lang, "rad");
	assert_true(tr);
	assert_non_null(strstr(m->path, "poster.rad.png"));

	/* featured: yearly 28/12..3/1 wraps New Year; dated 1..7 June 2026 */
	int64_t day;
	assert_true(date_parse_days("2026-12-30", &day));
	assert_true(item_featured_on(it, day));
	assert_true(date_parse_days("2027-01-02", &day));
	assert_true(item_featured_on(it, day));
	assert_true(date_parse_days("2027-01-04", &day));
	assert_false(item_featured_on(it, day));
	assert_true(date_parse_days("2026-06-03", &day));
	assert_true(item_featured_on(it, day));
	assert_true(date_parse_days("2027-06-03", &day));
	assert_false(item_featured_on(it, day));

	assert_string_equal(item_type_name(ITEM_LEAFLET), "leaflet");
	assert_int_equal(item_type_parse("audio"), ITEM_AUDIO);
	assert_int_equal(item_type_parse("film"), -1);
	catalog_destroy(cat);
	diag_list_finish(&d);
}

static void test_bad_items_left_out(void **state)
{
	struct fixture *f = *state;
	const char *files[] = { "poster.vi.png", "poster.rad.png", "thumb.png", NULL };
	add_item(f, "crc-poster", good_item, files);
	/* missing media */
	add_item(f, "b-missing",
		 "{ \"id\": \"b-missing\", \"type\": \"video\", \"title\": { \"vi\": \"A\" },\n"
		 "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"gone.mp4\" } }\n", NULL);
	/* unknown language and topic */
	const char *v[] = { "v.mp4", NULL };
	add_item(f, "c-unknown",
		 "{ \"id\": \"c-unknown\", \"type\": \"video\", \"title\": { \"vi\": \"A\", \"fr\": \"B\" },\n"
		 "  \"topics\": [ \"udhrr\" ], \"media\": { \"vi\": \"v.mp4\" } }\n", v);
	/* duplicate id of the good item */
	add_item(f, "d-dup",
		 "{ \"id\": \"crc-poster\", \"type\": \"video\", \"title\": { \"vi\": \"A\" },\n"
		 "  \"topics\": [ \"crc\" ], \"media\": { \"vi\": \"v.mp4\" } }\n", v);
	/* invalid UTF-8 in a title */
	add_item(f, "e-utf8",
		 "{ \"id\": \"e-utf8\", \"type\": \"video\", \"title\": { \"vi\": \"Quy\xE1\xBB\" },\n"
		 "  \"topics\": [ \"crc\" ], \"media\": { \"vi\": \"v.mp4\" } }\n", v);
	struct diag_list d;
	diag_list_init(&d);
	struct catalog *cat = catalog_load(f->lib, f->langs, 0, &d);
	assert_non_null(cat);
	assert_int_equal(cat->n_items, 1);
	assert_non_null(catalog_find(cat, "crc-poster"));
	/* every problem is located: file, line and column */
	size_t errors = diag_count(&d, DIAG_ERROR);
	assert_true(errors >= 5);
	bool saw_missing = false, saw_lang = false, saw_topic = false,
	     saw_dup = false, saw_utf8 = false;
	for (size_t i = 0; i < d.len; i++) {
		const struct diag *x = &d.items[i];
		assert_true(x->line > 0);
		saw_missing |= strstr(x->file, "b-missing") && strstr(x->message, "gone.mp4");
		saw_lang |= strstr(x->file, "c-unknown") && strstr(x->message, "\"fr\"");
		saw_topic |= strstr(x->file, "c-unknown") && strstr(x->message, "udhrr");
		saw_dup |= strstr(x->file, "d-dup") && strstr(x->message, "duplicate");
		saw_utf8 |= strstr(x->file, "e-utf8") && strstr(x->message, "UTF-8") &&
			    x->line == 1;
	}
	assert_true(saw_missing && saw_lang && saw_topic && saw_dup && saw_utf8);
	catalog_destroy(cat);
	diag_list_finish(&d);

	/* a library that is not there: NULL, with a message */
	diag_list_init(&d);
	char *nowhere = path_join(f->dir, "nowhere");
	assert_null(catalog_load(nowhere, f->langs, 0, &d));
	free(nowhere);
	diag_list_finish(&d);
}

static void test_topics_list(void **state)
{
	(void)state;
	size_t n;
	const struct topic *all = topics_all(&n);
	assert_true(n >= 16);
	static const char *const conventions[] = {
		"iccpr", "icescr", "cedaw", "cerd", "crc", "crpd", "cat", "udhr", "hr-day",
	};
	for (size_t i = 0; i < ARRAY_LEN(conventions); i++)
		assert_non_null(topic_find(conventions[i]));
	assert_null(topic_find("crd"));
	for (size_t i = 0; i < n; i++)
		assert_ptr_equal(topic_find(all[i].id), &all[i]);
}

static void test_thousand_items(void **state)
{
	struct fixture *f = *state;
	char *script = test_source_path("tests/bench/make-library.sh");
	assert_int_equal(test_system("bash '%s' '%s' 1000 >/dev/null", script, f->lib), 0);
	free(script);
	struct diag_list d;
	diag_list_init(&d);
	int64_t t0 = time_mono_ms();
	struct catalog *cat = catalog_load(f->lib, f->langs, 0, &d);
	int64_t ms = time_mono_ms() - t0;
	print_message("1000 items loaded in %lld ms\n", (long long)ms);
	assert_non_null(cat);
	diag_print(&d, stderr);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
	assert_int_equal(cat->n_items, 1000);
	assert_non_null(catalog_find(cat, "bench-00001"));
	assert_non_null(catalog_find(cat, "bench-01000"));
	for (size_t i = 1; i < cat->n_items; i++)
		assert_true(strcmp(cat->items[i - 1].id, cat->items[i].id) < 0);
	catalog_destroy(cat);
	diag_list_finish(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_languages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_item, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_items_left_out, setup, teardown),
		cmocka_unit_test(test_topics_list),
		cmocka_unit_test_setup_teardown(test_thousand_items, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
