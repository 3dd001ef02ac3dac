/*
 * lang: the kiosk's languages, read from locales/languages.json.
 *
 * Languages are data, not code: each entry has a BCP 47 tag, its endonym
 * (its name in itself, shown in the picker), its Vietnamese name, and the
 * tag it falls back to. Vietnamese ("vi") is the default and the end of
 * every fallback chain.
 *
 * File format (documented in locales/README.md):
 *   { "default": "vi",
 *     "languages": [
 *       { "tag": "vi", "endonym": "Tiếng Việt", "name_vi": "Tiếng Việt",
 *         "kind": "national" },
 *       { "tag": "rad", "endonym": "Êđê", "name_vi": "Tiếng Ê Đê",
 *         "kind": "minority", "fallback": "vi" } ] }
 * "kind" is one of "national", "minority", "foreign". "iso639" (optional)
 * is the three-letter code media files use for the language ("vie" for
 * vi); a three-letter tag is its own code.
 *
 * Optional per language:
 *   "prompt"       a recording of the language's name spoken in it, played
 *                  when a visitor touches the language in the picker (for
 *                  visitors who cannot read). A path relative to the
 *                  folder of languages.json; a missing file is a warning
 *                  and the language simply has no prompt.
 *   "date_format"  how dates are written: "dd/mm/yyyy" (the default, the
 *                  Vietnamese way), or another order of dd, mm and yyyy
 *                  with one separator of / . - or space ("yyyy-mm-dd").
 *   "digit_group", "decimal_mark"
 *                  the thousands separator and the decimal mark of numbers:
 *                  "." and "," by default (1.234,5 the Vietnamese way).
 */
#ifndef KIOSK_I18N_LANG_H
#define KIOSK_I18N_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

enum lang_kind {
	LANG_NATIONAL = 0,
	LANG_MINORITY,
	LANG_FOREIGN,
};

struct lang {
	char *tag;        /* BCP 47, e.g. "vi", "en", "rad" */
	char *endonym;    /* name in the language itself */
	char *name_vi;    /* name in Vietnamese */
	char *fallback;   /* tag to fall back to; NULL only for the default */
	char *iso639;     /* ISO 639-2/3 code as media files tag their audio
			   * and subtitle streams ("vie"); "" when unknown */
	enum lang_kind kind;
	char *prompt;     /* full path of the spoken-name recording, or NULL */
	char date_format[16];  /* "dd/mm/yyyy" unless the file says otherwise */
	char digit_group[8];   /* "." */
	char decimal_mark[8];  /* "," */
};

struct lang_registry {
	struct lang *langs;   /* in file order: the picker's order */
	size_t n_langs;
	char *default_tag;    /* "vi" unless the file says otherwise */
};

/* Read languages.json at path. Problems go to diags (may be NULL) as
 * file:line:col messages. Returns NULL when the file cannot be used at all
 * (missing, unparsable, no languages, default not listed). Caller owns the
 * result and frees it with lang_registry_destroy. */
struct lang_registry *lang_registry_load(const char *path,
					 struct diag_list *diags);

/* A registry holding only Vietnamese and English, for when languages.json
 * is missing: the kiosk must still come up. */
struct lang_registry *lang_registry_builtin(void);

void lang_registry_destroy(struct lang_registry *reg);

/* "national", "minority" or "foreign", as languages.json spells them. */
const char *lang_kind_name(enum lang_kind kind);

/* The entry for tag, or NULL. */
const struct lang *lang_find(const struct lang_registry *reg, const char *tag);

/* Fill out[] with the fallback chain of tag: tag itself, its fallback, that
 * one's fallback ..., ending with the default; no tag twice, at most max
 * entries. An unknown tag yields just the default. Returns the count. The
 * strings belong to the registry. */
size_t lang_chain(const struct lang_registry *reg, const char *tag,
		  const char **out, size_t max);

#endif
