/*
 * test_catalog: loading items from folders (without probing media: that
 * is test_check's job), fallback to Vietnamese, featured windows, lookup,
 * bad items left out, and the load time of a large library.
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
#include "content/topics.h"
#include "i18n/lang.h"
#include "test_support.h"

struct fixture {
	char *dir;                     /* the library */
	struct lang_registry *langs;   /* the shipped languages.json */
	struct diag_list diags;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->dir = test_tmpdir();
	char *path = test_source_path("locales/languages.json");
	f->langs = lang_registry_load(path, NULL);
	free(path);
	assert_non_null(f->langs);
	diag_list_init(&f->diags);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	test_rmtree(f->dir);
	free(f->dir);
	lang_registry_destroy(f->langs);
	diag_list_finish(&f->diags);
	free(f);
	return 0;
}

/* Write folder/item.json and the (empty) files it names. */
static void put_item(const struct fixture *f, const char *folder,
		     const char *json, const char *const *files)
{
	char *rel = path_join(folder, "item.json");
	free(test_write_file(f->dir, rel, json));
	free(rel);
	for (; files && *files; files++) {
		rel = path_join(folder, *files);
		free(test_write_file(f->dir, rel, "not probed"));
		free(rel);
	}
}

static void dump_diags(const struct diag_list *diags)
{
	for (size_t i = 0; i < diags->len; i++) {
		char *s = diag_format(&diags->items[i]);
		print_message("%s\n", s);
		free(s);
	}
}

static const char full_item[] =
	"{\n"
	"  \"id\": \"udhr-art1\",\n"
	"  \"type\": \"video\",\n"
	"  \"title\": { \"en\": \"All human beings\", \"vi\": \" Mọi người \", \"rad\": \"Êđê title\" },\n"
	"  \"summary\": { \"vi\": \"Tóm tắt\", \"en\": \"Summary\" },\n"
	"  \"topics\": [ \"udhr\", \"crc\" ],\n"
	"  \"featured\": [ { \"from\": \"12-03\", \"to\": \"12-10\" },\n"
	"                { \"from\": \"2026-11-01\", \"to\": \"2026-11-30\" } ],\n"
	"  \"media\": { \"vi\": \"video.vi.mp4\", \"rad\": \"sub/video.rad.mp4\" },\n"
	"  \"thumbnail\": \"thumb.png\",\n"
	"  \"subtitles\": false,\n"
	"  \"source\": \"written for the tests\"\n"
	"}\n";

static void test_full_item(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = { "video.vi.mp4", "sub/video.rad.mp4",
					     "thumb.png", NULL };
	put_item(f, "art1", full_item, files);
	struct catalog *cat = catalog_load(f->dir, f->langs, 0, &f->diags);
	assert_non_null(cat);
	dump_diags(&f->diags);
	assert_int_equal(f->diags.len, 0);
	assert_int_equal(cat->n_items, 1);
	assert_string_equal(cat->root, f->dir);

	const struct item *it = catalog_find(cat, "udhr-art1");
	assert_non_null(it);
	assert_int_equal(it->type, ITEM_VIDEO);
	char *folder = path_join(f->dir, "art1");
	assert_string_equal(it->dir, folder);

	/* The default language comes first; strings are trimmed. */
	assert_int_equal(it->n_texts, 3);
	assert_string_equal(it->texts[0].lang, "vi");
	assert_string_equal(it->texts[0].title, "Mọi người");
	assert_string_equal(it->texts[0].summary, "Tóm tắt");
	assert_string_equal(it->texts[1].lang, "en");
	assert_string_equal(it->texts[1].summary, "Summary");
	assert_string_equal(it->texts[2].lang, "rad");
	assert_null(it->texts[2].summary);

	assert_int_equal(it->n_topics, 2);
	assert_true(item_has_topic(it, "udhr"));
	assert_true(item_has_topic(it, "crc"));
	assert_false(item_has_topic(it, "cat"));

	assert_int_equal(it->n_featured, 2);
	assert_true(it->featured[0].yearly);
	assert_int_equal(it->featured[0].from_md, 1203);
	assert_int_equal(it->featured[0].to_md, 1210);
	assert_false(it->featured[1].yearly);
	int64_t d;
	assert_true(date_parse_days("2026-11-01", &d));
	assert_int_equal(it->featured[1].from_day, d);

	assert_int_equal(it->n_media, 2);
	char *media = path_join(folder, "sub/video.rad.mp4");
	assert_string_equal(it->media[1].lang, "rad");
	assert_string_equal(it->media[1].path, media);
	char *thumb = path_join(folder, "thumb.png");
	assert_string_equal(it->thumbnail, thumb);
	assert_string_equal(it->source, "written for the tests");
	assert_true(it->subtitles_off);

	free(media);
	free(thumb);
	free(folder);
	catalog_destroy(cat);
}

static void test_fallback(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = { "video.vi.mp4", "sub/video.rad.mp4",
					     "thumb.png", NULL };
	put_item(f, "art1", full_item, files);
	struct catalog *cat = catalog_load(f->dir, f->langs, 0, &f->diags);
	const struct item *it = catalog_find(cat, "udhr-art1");
	assert_non_null(it);
	const char *chain[8];
	bool translated = false;

	/* Ê Đê: title and media in rad. */
	size_t n = lang_chain(f->langs, "rad", chain, 8);
	const struct item_text *t = item_text_for(it, chain, n, &translated);
	assert_string_equal(t->lang, "rad");
	assert_true(translated);
	const struct item_media *m = item_media_for(it, chain, n, &translated);
	assert_string_equal(m->lang, "rad");
	assert_true(translated);

	/* English: title in English, media only in Vietnamese. */
	n = lang_chain(f->langs, "en", chain, 8);
	t = item_text_for(it, chain, n, &translated);
	assert_string_equal(t->title, "All human beings");
	assert_true(translated);
	m = item_media_for(it, chain, n, &translated);
	assert_string_equal(m->lang, "vi");
	assert_false(translated);

	/* Tày: neither; Vietnamese with the "not yet translated" badge. */
	n = lang_chain(f->langs, "tyz", chain, 8);
	t = item_text_for(it, chain, n, &translated);
	assert_string_equal(t->lang, "vi");
	assert_false(translated);
	m = item_media_for(it, chain, n, &translated);
	assert_string_equal(m->lang, "vi");
	assert_false(translated);

	/* Vietnamese itself is translated. */
	n = lang_chain(f->langs, "vi", chain, 8);
	t = item_text_for(it, chain, n, &translated);
	assert_string_equal(t->lang, "vi");
	assert_true(translated);

	/* An empty chain still gives something. */
	assert_non_null(item_text_for(it, chain, 0, &translated));
	assert_false(translated);
	catalog_destroy(cat);
}

static int64_t day(const char *s)
{
	int64_t d = 0;
	assert_true(date_parse_days(s, &d));
	return d;
}

static void test_featured(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = { "p.png", NULL };
	put_item(f, "a",
		 "{ \"id\": \"wrap\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
		 "  \"topics\": [ \"hr-day\" ], \"media\": { \"vi\": \"p.png\" },\n"
		 "  \"featured\": [ { \"from\": \"12-20\", \"to\": \"01-05\" },\n"
		 "                { \"from\": \"02-29\", \"to\": \"02-29\" },\n"
		 "                { \"from\": \"2026-06-01\", \"to\": \"2026-06-03\" } ] }\n",
		 files);
	put_item(f, "b",
		 "{ \"id\": \"never\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
		 "  \"topics\": [ \"hr-day\" ], \"media\": { \"vi\": \"p.png\" } }\n",
		 files);
	struct catalog *cat = catalog_load(f->dir, f->langs, 0, &f->diags);
	dump_diags(&f->diags);
	assert_int_equal(f->diags.len, 0);
	const struct item *it = catalog_find(cat, "wrap");
	assert_non_null(it);
	/* Yearly, over New Year, in any year. */
	assert_true(item_featured_on(it, day("2025-12-20")));
	assert_true(item_featured_on(it, day("2025-12-31")));
	assert_true(item_featured_on(it, day("2031-01-01")));
	assert_true(item_featured_on(it, day("2026-01-05")));
	assert_false(item_featured_on(it, day("2026-01-06")));
	assert_false(item_featured_on(it, day("2026-12-19")));
	/* Leap day, only in leap years. */
	assert_true(item_featured_on(it, day("2028-02-29")));
	assert_false(item_featured_on(it, day("2027-03-01")));
	/* Dated, once. */
	assert_true(item_featured_on(it, day("2026-06-01")));
	assert_true(item_featured_on(it, day("2026-06-03")));
	assert_false(item_featured_on(it, day("2026-06-04")));
	assert_false(item_featured_on(it, day("2027-06-02")));
	assert_false(item_featured_on(catalog_find(cat, "never"),
				      day("2026-06-02")));
	catalog_destroy(cat);
}

static void test_find(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = { "p.png", NULL };
	/* Folder order differs from id order. */
	static const char *const ids[] = { "m-item", "a-item", "z-item", "b-item" };
	for (size_t i = 0; i < ARRAY_LEN(ids); i++) {
		char folder[16], json[256];
		snprintf(folder, sizeof folder, "f%zu", i);
		snprintf(json, sizeof json,
			 "{ \"id\": \"%s\", \"type\": \"poster\", \"title\": "
			 "{ \"vi\": \"T\" }, \"topics\": [ \"udhr\" ], "
			 "\"media\": { \"vi\": \"p.png\" } }", ids[i]);
		put_item(f, folder, json, files);
	}
	struct catalog *cat = catalog_load(f->dir, f->langs, 0, &f->diags);
	assert_int_equal(cat->n_items, 4);
	assert_string_equal(cat->items[0].id, "a-item");
	assert_string_equal(cat->items[3].id, "z-item");
	for (size_t i = 0; i < ARRAY_LEN(ids); i++)
		assert_string_equal(catalog_find(cat, ids[i])->id, ids[i]);
	assert_null(catalog_find(cat, "0-before"));
	assert_null(catalog_find(cat, "c-between"));
	assert_null(catalog_find(cat, "zz-after"));
	assert_null(catalog_find(cat, NULL));
	assert_null(catalog_find(NULL, "a-item"));
	catalog_destroy(cat);
	catalog_destroy(NULL);
}

/* Each bad item: its item.json, the files it has, and the one problem
 * expected (line, column, a piece of the message). */
static const struct {
	const char *folder;
	const char *json;
	int line, col;
	const char *msg;
} bad_items[] = {
	{ "absolute",
	  "{ \"id\": \"absolute\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
	  "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"/etc/passwd\" } }\n",
	  2, 42, "media path \"/etc/passwd\" must be relative" },
	{ "dotdot",
	  "{ \"id\": \"dotdot\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
	  "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"a/../../p.png\" } }\n",
	  2, 42, "leaves the item folder" },
	{ "empty-title",
	  "{ \"id\": \"empty-title\", \"type\": \"poster\", \"title\": { \"vi\": \"  \" },\n"
	  "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"p.png\" } }\n",
	  1, 59, "title in \"vi\" must be a non-empty string" },
	{ "feb30",
	  "{ \"id\": \"feb30\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
	  "  \"featured\": [ { \"from\": \"02-30\", \"to\": \"03-01\" } ],\n"
	  "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"p.png\" } }\n",
	  2, 27, "\"02-30\" is not a valid MM-DD date" },
	{ "mixed-dates",
	  "{ \"id\": \"mixed-dates\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
	  "  \"featured\": [ { \"from\": \"12-01\", \"to\": \"2026-12-31\" } ],\n"
	  "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"p.png\" } }\n",
	  2, 42, "both be MM-DD (every year) or both YYYY-MM-DD" },
	{ "no-media",
	  "{ \"id\": \"no-media\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
	  "  \"topics\": [ \"udhr\" ], \"media\": { } }\n",
	  2, 34, "at least one file" },
	{ "no-topics",
	  "{ \"id\": \"no-topics\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
	  "  \"topics\": [], \"media\": { \"vi\": \"p.png\" } }\n",
	  2, 13, "\"topics\" must be a non-empty array" },
	{ "no-type",
	  "{ \"id\": \"no-type\", \"title\": { \"vi\": \"T\" },\n"
	  "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"p.png\" } }\n",
	  1, 1, "missing required key \"type\"" },
	{ "not-object",
	  "[ \"id\", \"not-object\" ]\n", 1, 1, "must be an object" },
	{ "thumb-missing",
	  "{ \"id\": \"thumb-missing\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
	  "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"p.png\" }, \"thumbnail\": \"t.png\" }\n",
	  2, 66, "thumbnail file \"t.png\" not found" },
	{ "title-string",
	  "{ \"id\": \"title-string\", \"type\": \"poster\", \"title\": \"T\",\n"
	  "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"p.png\" } }\n",
	  1, 52, "\"title\" must be an object" },
	{ "window-key",
	  "{ \"id\": \"window-key\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
	  "  \"featured\": [ { \"from\": \"12-01\", \"to\": \"12-02\", \"every\": 1 } ],\n"
	  "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"p.png\" } }\n",
	  2, 51, "unknown key \"every\" in a featured window" },
	{ "media-lang",
	  "{ \"id\": \"media-lang\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
	  "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"p.png\", \"fr\": \"p.png\" } }\n",
	  2, 51, "unknown language \"fr\"" },
	{ "subtitles-word",
	  "{ \"id\": \"subtitles-word\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
	  "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"p.png\" }, \"subtitles\": \"off\" }\n",
	  2, 66, "\"subtitles\" must be true or false" },
	{ "escaped-key",
	  "{ \"id\": \"escaped-key\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
	  "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"p.png\" }, \"\\u0074ype2\": 1 }\n",
	  2, 53, "unknown key \"type2\" (did you mean \"type\"?)" },
};

static void test_bad_items_left_out(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = { "p.png", NULL };
	put_item(f, "good",
		 "{ \"id\": \"good\", \"type\": \"audio\", \"title\": { \"vi\": \"T\" },\n"
		 "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"p.png\" } }\n",
		 files);
	for (size_t i = 0; i < ARRAY_LEN(bad_items); i++)
		put_item(f, bad_items[i].folder, bad_items[i].json, files);
	struct catalog *cat = catalog_load(f->dir, f->langs, 0, &f->diags);
	assert_non_null(cat);
	assert_int_equal(cat->n_items, 1);
	assert_non_null(catalog_find(cat, "good"));

	for (size_t i = 0; i < ARRAY_LEN(bad_items); i++) {
		char *file = xasprintf("%s/%s/item.json", f->dir, bad_items[i].folder);
		size_t hits = 0;
		const struct diag *d = NULL;
		for (size_t j = 0; j < f->diags.len; j++) {
			if (strcmp(f->diags.items[j].file, file) == 0) {
				hits++;
				d = &f->diags.items[j];
			}
		}
		if (hits != 1 || d->line != bad_items[i].line ||
		    d->col != bad_items[i].col || d->severity != DIAG_ERROR ||
		    !strstr(d->message, bad_items[i].msg)) {
			dump_diags(&f->diags);
			fail_msg("%s: %zu diags; wanted one at %d:%d: %s",
				 bad_items[i].folder, hits, bad_items[i].line,
				 bad_items[i].col, bad_items[i].msg);
		}
		free(file);
	}
	assert_int_equal(f->diags.len, ARRAY_LEN(bad_items));
	catalog_destroy(cat);
}

static void test_symlink_out_of_folder(void **state)
{
	struct fixture *f = *state;
	char *other = test_tmpdir();
	char *outside = test_write_file(other, "secret.png", "x");
	put_item(f, "link",
		 "{ \"id\": \"link\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
		 "  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"p.png\" } }\n",
		 NULL);
	char *link = path_join(f->dir, "link/p.png");
	assert_int_equal(symlink(outside, link), 0);
	struct catalog *cat = catalog_load(f->dir, f->langs, 0, &f->diags);
	assert_int_equal(cat->n_items, 0);
	assert_int_equal(f->diags.len, 1);
	assert_non_null(strstr(f->diags.items[0].message,
			       "\"p.png\" leads out of the item folder"));
	catalog_destroy(cat);
	test_rmtree(other);
	free(other);
	free(outside);
	free(link);
}

static void test_warnings_keep_item(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = { "p.png", NULL };
	put_item(f, "warn",
		 "{ \"id\": \"warn\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
		 "  \"summary\": { \"en\": \"no English title\" },\n"
		 "  \"topics\": [ \"crc\", \"crc\" ], \"media\": { \"vi\": \"p.png\" } }\n",
		 files);
	free(test_write_file(f->dir, "empty/readme.txt", "no item here"));
	free(test_write_file(f->dir, ".hidden/item.json", "not even JSON"));
	free(test_write_file(f->dir, "README.md", "the library"));
	struct catalog *cat = catalog_load(f->dir, f->langs, 0, &f->diags);
	assert_int_equal(cat->n_items, 1);
	const struct item *it = catalog_find(cat, "warn");
	assert_int_equal(it->n_topics, 1);
	assert_int_equal(it->n_texts, 1);
	assert_int_equal(diag_count(&f->diags, DIAG_ERROR), 0);
	assert_int_equal(diag_count(&f->diags, DIAG_WARNING), 3);
	char *empty = path_join(f->dir, "empty");
	assert_string_equal(f->diags.items[0].file, empty);
	assert_non_null(strstr(f->diags.items[0].message, "no item.json"));
	assert_int_equal(f->diags.items[1].line, 2);
	assert_int_equal(f->diags.items[1].col, 16);
	assert_int_equal(f->diags.items[2].line, 3);
	assert_int_equal(f->diags.items[2].col, 22);
	assert_non_null(strstr(f->diags.items[2].message, "listed twice"));
	free(empty);
	catalog_destroy(cat);
}

static void test_duplicate_id_and_null_diags(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = { "p.png", NULL };
	const char *json =
		"{ \"id\": \"same\", \"type\": \"poster\", \"title\": { \"vi\": \"T\" },\n"
		"  \"topics\": [ \"udhr\" ], \"media\": { \"vi\": \"p.png\" } }\n";
	put_item(f, "one", json, files);
	put_item(f, "two", json, files);
	struct catalog *cat = catalog_load(f->dir, f->langs, 0, NULL);
	assert_int_equal(cat->n_items, 1);
	assert_string_equal(catalog_find(cat, "same")->dir + strlen(f->dir), "/one");
	catalog_destroy(cat);

	cat = catalog_load(f->dir, f->langs, 0, &f->diags);
	assert_int_equal(f->diags.len, 1);
	char *want = xasprintf("duplicate id \"same\" (already used by %s/one)",
			       f->dir);
	assert_string_equal(f->diags.items[0].message, want);
	assert_int_equal(f->diags.items[0].line, 1);
	assert_int_equal(f->diags.items[0].col, 9);
	free(want);
	catalog_destroy(cat);
}

static void test_missing_dir(void **state)
{
	struct fixture *f = *state;
	assert_null(catalog_load("/nonexistent/library", f->langs, 0, &f->diags));
	assert_int_equal(f->diags.len, 1);
	assert_string_equal(f->diags.items[0].file, "/nonexistent/library");
}

static void test_large_library(void **state)
{
	struct fixture *f = *state;
	enum { N = 1000 };
	for (int i = 0; i < N; i++) {
		char folder[32], json[1024];
		snprintf(folder, sizeof folder, "item-%04d", i);
		snprintf(json, sizeof json,
			 "{ \"id\": \"item-%04d\", \"type\": \"video\",\n"
			 "  \"title\": { \"vi\": \"Tiêu đề %d\", \"en\": \"Title %d\", \"rad\": \"Êđê %d\" },\n"
			 "  \"summary\": { \"vi\": \"Tóm tắt %d\", \"en\": \"Summary %d\" },\n"
			 "  \"topics\": [ \"udhr\", \"crc\", \"children\" ],\n"
			 "  \"featured\": [ { \"from\": \"12-03\", \"to\": \"12-10\" } ],\n"
			 "  \"media\": { \"vi\": \"v.vi.mp4\", \"rad\": \"v.rad.mp4\" },\n"
			 "  \"thumbnail\": \"t.png\" }\n",
			 i, i, i, i, i, i);
		static const char *const files[] = { "v.vi.mp4", "v.rad.mp4",
						     "t.png", NULL };
		put_item(f, folder, json, files);
	}
	int64_t t0 = time_mono_ms();
	struct catalog *cat = catalog_load(f->dir, f->langs, 0, &f->diags);
	int64_t elapsed_ms = time_mono_ms() - t0;
	assert_int_equal(cat->n_items, N);
	assert_int_equal(f->diags.len, 0);
	assert_non_null(catalog_find(cat, "item-0999"));
	print_message("loaded %d items in %lld ms\n", N, (long long)elapsed_ms);
#if defined(__SANITIZE_ADDRESS__)
	const int64_t budget_ms = 3000;   /* instrumented build */
#else
	const int64_t budget_ms = 300;
#endif
	/* (qemu and valgrind runs set KIOSK_TEST_SLOWDOWN) */
	assert_true(elapsed_ms < budget_ms * test_slowdown());
	catalog_destroy(cat);
}

/* The benchmark's generated library (tests/bench/make-library.sh) is in
 * the same format: it must load without a single problem. */
static void test_bench_library(void **state)
{
	struct fixture *f = *state;
	if (test_system("ffmpeg -version >/dev/null 2>&1") != 0)
		skip();
	char *script = test_source_path("tests/bench/make-library.sh");
	char *lib = path_join(f->dir, "bench");
	assert_int_equal(test_system("bash '%s' '%s' 200 >/dev/null", script, lib), 0);
	struct catalog *cat = catalog_load(lib, f->langs, 0, &f->diags);
	assert_non_null(cat);
	dump_diags(&f->diags);
	assert_int_equal(f->diags.len, 0);
	assert_int_equal(cat->n_items, 200);
	assert_non_null(catalog_find(cat, "bench-00001"));
	assert_non_null(catalog_find(cat, "bench-00200"));
	for (size_t i = 1; i < cat->n_items; i++)
		assert_true(strcmp(cat->items[i - 1].id, cat->items[i].id) < 0);
	catalog_destroy(cat);
	free(lib);
	free(script);
}

/* An item with several problems gets one message for each. */
static void test_every_problem_reported(void **state)
{
	struct fixture *f = *state;
	put_item(f, "many",
		 "{ \"id\": \"many\", \"type\": \"video\",\n"
		 "  \"title\": { \"vi\": \"A\", \"fr\": \"B\" },\n"
		 "  \"topics\": [ \"udhrr\" ],\n"
		 "  \"media\": { \"vi\": \"gone.mp4\" }, \"colour\": 1 }\n", NULL);
	struct catalog *cat = catalog_load(f->dir, f->langs, 0, &f->diags);
	assert_int_equal(cat->n_items, 0);
	static const struct { int line, col; const char *msg; } want[] = {
		{ 4, 34, "unknown key \"colour\"" },
		{ 2, 25, "unknown language \"fr\" (not in languages.json)" },
		{ 3, 15, "unknown topic \"udhrr\" (did you mean \"udhr\"?)" },
		{ 4, 20, "media file \"gone.mp4\" not found" },
	};
	if (f->diags.len != ARRAY_LEN(want))
		dump_diags(&f->diags);
	assert_int_equal(f->diags.len, ARRAY_LEN(want));
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		const struct diag *d = &f->diags.items[i];
		if (d->line != want[i].line || d->col != want[i].col ||
		    strcmp(d->message, want[i].msg) != 0) {
			dump_diags(&f->diags);
			fail_msg("diag %zu: wanted %d:%d %s", i, want[i].line,
				 want[i].col, want[i].msg);
		}
	}
	catalog_destroy(cat);
}

static void test_types_and_topics(void **state)
{
	(void)state;
	for (int t = 0; t < ITEM_TYPE_COUNT; t++)
		assert_int_equal(item_type_parse(item_type_name((enum item_type)t)), t);
	assert_int_equal(item_type_parse("film"), -1);
	assert_int_equal(item_type_parse(NULL), -1);

	size_t n;
	const struct topic *all = topics_all(&n);
	assert_int_equal(n, 16);
	static const char *const conventions[] = { "iccpr", "icescr", "cedaw",
						   "cerd", "crc", "crpd", "cat" };
	for (size_t i = 0; i < ARRAY_LEN(conventions); i++) {
		const struct topic *t = topic_find(conventions[i]);
		assert_non_null(t);
		/* The label names the convention's abbreviation. */
		char abbr[16];
		size_t k;
		for (k = 0; conventions[i][k]; k++)
			abbr[k] = (char)(conventions[i][k] - 'a' + 'A');
		abbr[k] = '\0';
		assert_non_null(strstr(t->label, abbr));
	}
	assert_string_equal(topic_find("crc")->label,
			    "Convention on the Rights of the Child (CRC)");
	assert_null(topic_find("crd"));
	assert_null(topic_find(NULL));
	for (size_t i = 0; i < n; i++)
		assert_ptr_equal(topic_find(all[i].id), &all[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_item, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_featured, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_items_left_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_out_of_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warnings_keep_item, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_id_and_null_diags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_library, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bench_library, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_problem_reported, setup, teardown),
		cmocka_unit_test(test_types_and_topics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
