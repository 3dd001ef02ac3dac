/*
 * coverage: per-language figures of UI strings and items (see coverage.h).
 */
#include "content/coverage.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "i18n/strings.h"

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

	/* the kiosk's own reading of the PO files; its problems are the
	 * strings module's to report when the kiosk starts */
	struct diag_list diags;
	diag_list_init(&diags);
	struct strings *strs = strings_load(locales_dir, langs, &diags);
	diag_list_finish(&diags);
	static const enum coverage_po po_of[] = {
		[STRINGS_FILE_OK] = COVERAGE_PO_OK,
		[STRINGS_FILE_MISSING] = COVERAGE_PO_MISSING,
		[STRINGS_FILE_UNREADABLE] = COVERAGE_PO_UNREADABLE,
	};
	enum coverage_po def_st = COVERAGE_PO_MISSING;
	for (size_t i = 0; i < langs->n_langs; i++) {
		struct coverage_lang *cl = &out->langs[i];
		cl->lang = &langs->langs[i];
		struct strings_stats st;
		strings_stats(strs, cl->lang->tag, &st);
		cl->po = po_of[st.file];
		cl->strings_translated = st.translated;
		cl->strings_fuzzy = st.fuzzy;
		out->strings_total = st.total;
		if (strcmp(cl->lang->tag, langs->default_tag) == 0)
			def_st = cl->po;
		for (size_t j = 0; j < out->items_total; j++) {
			cl->items_media += item_has_media(&cat->items[j], cl->lang->tag);
			cl->items_titled += item_has_title(&cat->items[j], cl->lang->tag);
		}
	}
	strings_destroy(strs);

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
