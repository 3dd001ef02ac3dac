/*
 * fuzz_catalog: item metadata. The input is an item's item.json, loaded
 * by catalog_load (content/catalog.h) from a scratch library holding
 * that one item, whose folder also has a few media files, a sub-folder
 * and a symbolic link leading out of it, so that file checks pass or
 * fail by what the JSON names. Media are not probed (no
 * CATALOG_PROBE_MEDIA: the decoders are not this parser).
 *
 * Beyond not crashing, the target asserts: the catalog is never NULL;
 * every diagnostic has a sane place (json_locate of base/jsonpos.c
 * computes them); and an item that loads is what catalog.h promises: a
 * valid id, a known type, a title in the default language first, titles
 * and summaries trimmed and UTF-8, media paths inside the item folder,
 * known topics each once, featured windows with real dates in order,
 * gallery pictures (and only for galleries), and lookups that find it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "content/catalog.h"
#include "content/topics.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *lib_dir;     /* the library */
static char *item_dir;    /* its one item folder */
static char *item_json;   /* that folder's item.json */
static char *twin_dir;    /* a link to item_dir, there for odd lengths */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	lib_dir = fuzz_path("lib");
	item_dir = path_join(lib_dir, "item");
	item_json = path_join(item_dir, "item.json");
	twin_dir = path_join(lib_dir, "twin");
	char *sub = path_join(item_dir, "sub");
	if (!mkdir_parents(sub))
		abort();
	static const char *const files[] = {
		"video.vi.mp4", "video.en.mp4", "audio.vi.m4a", "thumb.png",
		"poster.png", "poster.vi.png", "1.jpg", "2.jpg", "leaflet.md",
		"leaflet.pdf", "sub/a.png",
	};
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		char *p = path_join(item_dir, files[i]);
		fuzz_write(p, (const uint8_t *)"x", 1);
		free(p);
	}
	/* a link out of the item folder, and one inside it */
	char *out = path_join(item_dir, "out.png");
	char *in = path_join(item_dir, "in.png");
	if (symlink("/etc/hostname", out) != 0 || symlink("thumb.png", in) != 0)
		abort();
	free(out);
	free(in);
	free(sub);
	return 0;
}

static bool id_ok(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > 64 || id[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
			return false;
	return true;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A non-empty, trimmed UTF-8 string. */
static void check_text(const char *s, const char *what)
{
	fuzz_check_utf8(s, what);
	size_t n = strlen(s);
	FUZZ_CHECK(n > 0 && !is_ws(s[0]) && !is_ws(s[n - 1]),
		   "%s \"%s\" is empty or not trimmed", what, s);
}

/* A file path inside the item folder. */
static void check_inside(const char *path, const char *what)
{
	size_t n = strlen(item_dir);
	FUZZ_CHECK(path && strncmp(path, item_dir, n) == 0 && path[n] == '/',
		   "%s path %s is not in the item folder", what,
		   path ? path : "(null)");
	FUZZ_CHECK(file_exists(path), "%s %s does not exist", what, path);
}

static bool md_ok(int md)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int m = md / 100, d = md % 100;
	return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1];
}

static void check_item(const struct catalog *cat, const struct item *it,
		       const struct lang_registry *langs)
{
	FUZZ_CHECK(it->id && id_ok(it->id), "bad id");
	FUZZ_CHECK((unsigned)it->type < ITEM_TYPE_COUNT, "type %d", (int)it->type);
	FUZZ_CHECK(it->dir && strcmp(it->dir, item_dir) == 0, "dir");
	FUZZ_CHECK(catalog_find(cat, it->id) == it, "catalog_find(%s)", it->id);

	FUZZ_CHECK(it->n_texts >= 1 && it->texts, "no title");
	FUZZ_CHECK(strcmp(it->texts[0].lang, langs->default_tag) == 0,
		   "first title in %s, not the default %s", it->texts[0].lang,
		   langs->default_tag);
	for (size_t i = 0; i < it->n_texts; i++) {
		const struct item_text *t = &it->texts[i];
		FUZZ_CHECK(lang_find(langs, t->lang), "title language %s", t->lang);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(it->texts[j].lang, t->lang) != 0,
				   "two titles in %s", t->lang);
		check_text(t->title, "title");
		if (t->summary)
			check_text(t->summary, "summary");
	}

	FUZZ_CHECK(it->n_media >= 1 && it->media, "no media");
	for (size_t i = 0; i < it->n_media; i++) {
		FUZZ_CHECK(lang_find(langs, it->media[i].lang), "media language");
		check_inside(it->media[i].path, "media");
	}

	FUZZ_CHECK(it->n_topics >= 1, "no topic");
	for (size_t i = 0; i < it->n_topics; i++) {
		FUZZ_CHECK(topic_find(it->topics[i]), "topic %s", it->topics[i]);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(it->topics[i], it->topics[j]) != 0,
				   "topic %s twice", it->topics[i]);
		FUZZ_CHECK(item_has_topic(it, it->topics[i]), "item_has_topic");
	}

	for (size_t i = 0; i < it->n_featured; i++) {
		const struct item_window *w = &it->featured[i];
		if (w->yearly)
			FUZZ_CHECK(md_ok(w->from_md) && md_ok(w->to_md),
				   "window %d..%d", w->from_md, w->to_md);
		else
			FUZZ_CHECK(w->from_day <= w->to_day, "window ends before "
				   "it starts");
	}
	static const int64_t days[] = { -800000, -1, 0, 20000, 20454, 2932896 };
	for (size_t i = 0; i < ARRAY_LEN(days); i++)
		(void)item_featured_on(it, days[i]);

	if (it->type == ITEM_GALLERY) {
		FUZZ_CHECK(it->n_pictures >= 1 && it->n_media == 1,
			   "gallery: %zu pictures, %zu media", it->n_pictures,
			   it->n_media);
		FUZZ_CHECK(strcmp(it->media[0].path, it->pictures[0].path) == 0,
			   "gallery media is not its first picture");
		for (size_t i = 0; i < it->n_pictures; i++) {
			const struct item_picture *p = &it->pictures[i];
			check_inside(p->path, "picture");
			for (size_t c = 0; c < p->n_captions; c++) {
				FUZZ_CHECK(lang_find(langs, p->captions[c].lang),
					   "caption language");
				check_text(p->captions[c].text, "caption");
			}
		}
	} else {
		FUZZ_CHECK(it->n_pictures == 0, "pictures in a non-gallery");
	}
	if (it->thumbnail)
		check_inside(it->thumbnail, "thumbnail");
	if (it->source)
		check_text(it->source, "source");

	/* the lookups the screens make, along every language's chain */
	for (size_t l = 0; l < langs->n_langs; l++) {
		const char *chain[8];
		size_t n = lang_chain(langs, langs->langs[l].tag, chain, 8);
		bool tr;
		FUZZ_CHECK(item_text_for(it, chain, n, &tr), "item_text_for");
		FUZZ_CHECK(item_media_for(it, chain, n, &tr), "item_media_for");
		for (size_t i = 0; i < it->n_pictures; i++)
			(void)item_picture_caption(&it->pictures[i], chain, n, &tr);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct lang_registry *langs = fuzz_langs();
	fuzz_write(item_json, data, size);
	bool twin = size % 2 == 1;
	unlink(twin_dir);
	if (twin && symlink("item", twin_dir) != 0)
		abort();
	struct diag_list diags;
	diag_list_init(&diags);
	struct catalog *cat = catalog_load(lib_dir, langs, 0, &diags);
	FUZZ_CHECK(cat != NULL, "catalog_load returned NULL");
	/* the twin is the same item: its id is taken */
	FUZZ_CHECK(cat->n_items <= 1, "%zu items from one item.json",
		   cat->n_items);
	fuzz_check_diags(&diags);
	/* a line past the end of the file would be a wrong position */
	fuzz_check_diag_lines(&diags, fuzz_line_count(data, size, false));
	if (cat->n_items == 1) {
		check_item(cat, &cat->items[0], langs);
		for (size_t i = 0; i < diags.len; i++)
			FUZZ_CHECK(diags.items[i].severity != DIAG_ERROR ||
				   strcmp(diags.items[i].file, item_json) != 0,
				   "an item loaded with an error: %s",
				   diags.items[i].message);
	}
	catalog_destroy(cat);
	diag_list_finish(&diags);
	return 0;
}
