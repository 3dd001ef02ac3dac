/*
 * strings: the user-interface strings, read from the gettext PO files in
 * locales/ (one `<tag>.po` per language) with GNU gettext's own libgettextpo,
 * so translators keep using Poedit, Weblate or a text editor.
 *
 * The msgid is the English source text. A lookup walks the language's
 * fallback chain (e.g. rad -> vi): the first language whose PO file has a
 * non-empty, non-fuzzy msgstr wins. A raw msgid is returned only when no
 * language of the chain has the string, and that is logged once.
 *
 * Plural strings (msgid_plural, msgstr[i]) are chosen by each file's own
 * "Plural-Forms:" header (see i18n/plural.h), so Vietnamese has one form,
 * English two, and a language may fall back for one count but not another.
 * A file whose Plural-Forms is missing or broken gets a warning with its
 * file and line (a missing one only when the file has plural strings), and
 * its plural strings are not used; its other strings are.
 */
#ifndef KIOSK_I18N_STRINGS_H
#define KIOSK_I18N_STRINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "i18n/lang.h"

struct strings;

/* Read locales_dir/<tag>.po for every language in langs (which must outlive
 * the result). A missing PO file is a warning (that language falls back
 * whole); a PO syntax error is reported with file:line:col and that file is
 * skipped. Never returns NULL. */
struct strings *strings_load(const char *locales_dir,
			     const struct lang_registry *langs,
			     struct diag_list *diags);

void strings_destroy(struct strings *s);

/* The text of msgid for a visitor speaking lang. The result belongs to s
 * (or is msgid itself) and stays valid until strings_destroy. */
const char *strings_get(const struct strings *s, const char *lang,
			const char *msgid);

/* Like strings_get, and tells which language the text came from ("en" for
 * a raw msgid). */
const char *strings_get_from(const struct strings *s, const char *lang,
			     const char *msgid, const char **from_lang);

/* The text of a plural string (msgid, msgid_plural) for a count of n, in
 * lang: along the fallback chain, the first language whose entry for msgid
 * has a msgid_plural, is not fuzzy, and has a non-empty msgstr[i] for the
 * i that language's own rule gives for n. Only plural entries count here;
 * a plain entry with the same msgid does not (strings_get, on the other
 * hand, takes a plural entry's form for n = 1). When no language has it:
 * msgid for n == 1, else msgid_plural (the English rule), logged once per
 * msgid. The result belongs to s (or is one of the arguments) and stays
 * valid until strings_destroy. The caller formats the count into it. */
const char *strings_getn(const struct strings *s, const char *lang,
			 const char *msgid, const char *msgid_plural,
			 unsigned long n);

/* Number of translated strings in lang's own file: non-fuzzy and
 * non-empty; a plural string counts once, when every form its file's
 * Plural-Forms declares is non-empty. */
size_t strings_count(const struct strings *s, const char *lang);

/* The state of a language's PO file. */
enum strings_file {
	STRINGS_FILE_OK = 0,
	STRINGS_FILE_MISSING,      /* no <tag>.po in the locales folder */
	STRINGS_FILE_UNREADABLE,   /* a syntax error: none of it is used */
};

/* How far lang's own file goes (for coverage reports): total is the
 * msgids of the default language's file (the header and obsolete entries
 * aside); translated and fuzzy count those lang's file has translated, or
 * only fuzzy. Fallbacks do not count. */
struct strings_stats {
	enum strings_file file;
	size_t total, translated, fuzzy;
};
void strings_stats(const struct strings *s, const char *lang,
		   struct strings_stats *out);

#endif
