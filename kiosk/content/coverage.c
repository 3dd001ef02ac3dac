/*
 * coverage: per-language figures of UI strings and items (see coverage.h).
 */
#include "content/coverage.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <gettext-po.h>

#include "base/log.h"
#include "base/util.h"

/* ---------------------------------------------------------------- PO files */

/* One msgid of a PO file and whether this file translates it. */
struct po_key {
	char *key;        /* "ctxt\004msgid" when the message has a context */
	bool translated;  /* non-empty, non-fuzzy msgstr */
	bool fuzzy;
};

struct po_keys {
	struct po_key *keys;  /* sorted by key */
	size_t n;
};

/* libgettextpo reports problems through callbacks and a fatal one must not
 * return, so the reader longjmps back. Main thread only (see coverage.h).
 * The problems themselves are not reported here: the strings module does
 * that when the kiosk starts; a file with an error simply counts nothing,
 * as the kiosk uses nothing of it. */
static jmp_buf po_jmp;
static size_t po_errors;

static void po_error(int severity, po_message_t message, const char *filename,
		     size_t lineno, size_t column, int multiline_p,
		     const char *message_text)
{
	(void)message; (void)filename; (void)lineno; (void)column;
	(void)multiline_p; (void)message_text;
	if (severity != PO_SEVERITY_WARNING)
		po_errors++;
	if (severity == PO_SEVERITY_FATAL_ERROR)
		longjmp(po_jmp, 1);
}

static void po_error2(int severity, po_message_t message1, const char *filename1,
		      size_t lineno1, size_t column1, int multiline_p1,
		      const char *message_text1, po_message_t message2,
		      const char *filename2, size_t lineno2, size_t column2,
		      int multiline_p2, const char *message_text2)
{
	(void)message1; (void)filename1; (void)lineno1; (void)column1;
	(void)multiline_p1; (void)message_text1; (void)message2;
	(void)filename2; (void)lineno2; (void)column2; (void)multiline_p2;
	(void)message_text2;
	if (severity != PO_SEVERITY_WARNING)
		po_errors++;
	if (severity == PO_SEVERITY_FATAL_ERROR)
		longjmp(po_jmp, 1);
}

static int po_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct po_key *)a)->key,
		      ((const struct po_key *)b)->key);
}

static void po_keys_finish(struct po_keys *pk)
{
	for (size_t i = 0; i < pk->n; i++)
		free(pk->keys[i].key);
	free(pk->keys);
	pk->keys = NULL;
	pk->n = 0;
}

/* Read every msgid of the PO file at path into pk (sorted). */
static enum coverage_po po_keys_read(const char *path, struct po_keys *pk)
{
	memset(pk, 0, sizeof *pk);
	if (!file_exists(path))
		return COVERAGE_PO_MISSING;
	struct po_xerror_handler handler = { po_error, po_error2 };
	po_file_t volatile file = NULL;
	po_errors = 0;
	if (setjmp(po_jmp) != 0) {
		if (file)
			po_file_free(file);
		return COVERAGE_PO_UNREADABLE;
	}
	file = po_file_read(path, &handler);
	if (!file || po_errors > 0) {
		if (file)
			po_file_free(file);
		log_warn("%s: cannot be read; its strings count as untranslated",
			 path);
		return COVERAGE_PO_UNREADABLE;
	}

	size_t cap = 64;
	pk->keys = xmalloc(cap * sizeof *pk->keys);
	po_message_iterator_t it = po_message_iterator(file, NULL);
	po_message_t msg;
	while ((msg = po_next_message(it)) != NULL) {
		const char *id = po_message_msgid(msg);
		if (!id || !*id || po_message_is_obsolete(msg))
			continue;    /* the header, or no longer used */
		const char *str = po_message_msgid_plural(msg)
				  ? po_message_msgstr_plural(msg, 0)
				  : po_message_msgstr(msg);
		bool fuzzy = po_message_is_fuzzy(msg);
		const char *ctxt = po_message_msgctxt(msg);
		if (pk->n == cap) {
			cap *= 2;
			pk->keys = xrealloc(pk->keys, cap * sizeof *pk->keys);
		}
		pk->keys[pk->n++] = (struct po_key){
			.key = ctxt ? xasprintf("%s\004%s", ctxt, id) : xstrdup(id),
			.translated = !fuzzy && str && *str,
			.fuzzy = fuzzy,
		};
	}
	po_message_iterator_free(it);
	po_file_free(file);
	qsort(pk->keys, pk->n, sizeof *pk->keys, po_key_cmp);
	return COVERAGE_PO_OK;
}

static enum coverage_po po_keys_load(const char *locales_dir, const char *tag,
				     struct po_keys *pk)
{
	char *name = xasprintf("%s.po", tag);
	char *path = path_join(locales_dir, name);
	enum coverage_po st = po_keys_read(path, pk);
	free(path);
	free(name);
	return st;
}

/* Count the default file's msgids that pk translates or has fuzzy. */
static void count_strings(const struct po_keys *def, const struct po_keys *pk,
			  struct coverage_lang *cl)
{
	for (size_t i = 0; i < def->n; i++) {
		const struct po_key *k = pk->n
			? bsearch(&def->keys[i], pk->keys, pk->n,
				  sizeof *pk->keys, po_key_cmp)
			: NULL;
		if (k && k->translated)
			cl->strings_translated++;
		else if (k && k->fuzzy)
			cl->strings_fuzzy++;
	}
}

/* ------------------------------------------------------------------- items */

static bool item_has_media(const struct item *item, const char *tag)
{
	if (item->type == ITEM_GALLERY) {
		/* Its "media" is only the first picture standing in for
		 * thumbnails: the captions are what is translated. */
		if (item->n_pictures == 0)
			return false;
		for (size_t p = 0; p < item->n_pictures; p++) {
			const struct item_picture *pic = &item->pictures[p];
			bool found = false;
			for (size_t c = 0; c < pic->n_captions && !found; c++)
				found = strcmp(pic->captions[c].lang, tag) == 0;
			if (!found)
				return false;
		}
		return true;
	}
	for (size_t m = 0; m < item->n_media; m++)
		if (strcmp(item->media[m].lang, tag) == 0)
			return true;
	return false;
}

static bool item_has_title(const struct item *item, const char *tag)
{
	for (size_t t = 0; t < item->n_texts; t++)
		if (strcmp(item->texts[t].lang, tag) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ public */

bool coverage_compute(const struct catalog *cat,
		      const struct lang_registry *langs,
		      const char *locales_dir, struct coverage *out)
{
	memset(out, 0, sizeof *out);
	out->n_langs = langs->n_langs;
	out->langs = xcalloc(out->n_langs ? out->n_langs : 1, sizeof *out->langs);
	out->items_total = cat ? cat->n_items : 0;

	struct po_keys def;
	enum coverage_po def_st = po_keys_load(locales_dir, langs->default_tag,
					       &def);
	out->strings_total = def.n;

	for (size_t i = 0; i < langs->n_langs; i++) {
		struct coverage_lang *cl = &out->langs[i];
		cl->lang = &langs->langs[i];
		struct po_keys pk;
		cl->po = po_keys_load(locales_dir, cl->lang->tag, &pk);
		count_strings(&def, &pk, cl);
		po_keys_finish(&pk);
		for (size_t j = 0; j < out->items_total; j++) {
			cl->items_media += item_has_media(&cat->items[j], cl->lang->tag);
			cl->items_titled += item_has_title(&cat->items[j], cl->lang->tag);
		}
	}
	po_keys_finish(&def);

	for (size_t j = 0; j < out->items_total; j++) {
		for (size_t i = 0; i < langs->n_langs; i++) {
			const struct lang *l = &langs->langs[i];
			if (l->kind != LANG_NATIONAL &&
			    item_has_media(&cat->items[j], l->tag)) {
				out->items_minority_foreign++;
				break;
			}
		}
	}
	return def_st == COVERAGE_PO_OK;
}

void coverage_finish(struct coverage *cov)
{
	if (!cov)
		return;
	free(cov->langs);
	memset(cov, 0, sizeof *cov);
}

double coverage_percent(size_t part, size_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

size_t coverage_items_missing(const struct coverage *cov)
{
	/* The smallest k with k / total >= MIN %, in whole numbers. */
	size_t need = (cov->items_total * COVERAGE_TARGET_MIN_PERCENT + 99) / 100;
	return cov->items_minority_foreign >= need
		       ? 0 : need - cov->items_minority_foreign;
}

bool coverage_target_met(const struct coverage *cov)
{
	return cov->items_total > 0 && coverage_items_missing(cov) == 0;
}
