/*
 * coverage: how far each language reaches, for `kiosk check --coverage`
 * and, later, the operator menu: the share of UI strings translated and
 * the share of library items available and titled in the language, and the
 * share of items available in a minority or foreign language against the
 * yearly plans' 15-20 % target.
 *
 * Counting rules:
 * - UI strings: the msgids of the default language's PO file are the total
 *   (the header and obsolete entries do not count). A msgid is translated
 *   in a language when that language's own PO file has a non-empty,
 *   non-fuzzy msgstr for it (first plural form for plural messages), the
 *   rule the kiosk itself uses; fallbacks do not count. Entries of a PO file
 *   whose msgid the default file lacks are ignored.
 * - Items are those the catalog loaded (items with errors are left out).
 *   An item is available in a language when its "media" has that language
 *   key; a gallery (whose "media" is ignored) is available when every one
 *   of its pictures has a caption in that language: the exhibition can be
 *   followed whole in it. A title counts when "title" has the key.
 */
#ifndef KIOSK_CONTENT_COVERAGE_H
#define KIOSK_CONTENT_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "content/catalog.h"
#include "i18n/lang.h"

/* The state of one language's PO file. */
enum coverage_po {
	COVERAGE_PO_OK = 0,
	COVERAGE_PO_MISSING,       /* no <tag>.po in the locales folder */
	COVERAGE_PO_UNREADABLE,    /* a syntax error: none of it is used */
};

/* The figures of one language. */
struct coverage_lang {
	const struct lang *lang;   /* belongs to the registry */
	enum coverage_po po;
	size_t strings_translated; /* msgids of the default PO translated here */
	size_t strings_fuzzy;      /* msgids whose only msgstr here is fuzzy */
	size_t items_media;        /* items available in the language */
	size_t items_titled;       /* items with a title in the language */
};

struct coverage {
	struct coverage_lang *langs; /* one per registry language, file order */
	size_t n_langs;
	size_t strings_total;      /* msgids of the default language's PO */
	size_t items_total;        /* items of the catalog */
	/* Items available in at least one language whose kind is minority or
	 * foreign. */
	size_t items_minority_foreign;
};

/* The target of the yearly plans: 15-20 % of the products in minority and
 * foreign languages. Reaching the lower bound meets it. */
#define COVERAGE_TARGET_MIN_PERCENT 15
#define COVERAGE_TARGET_MAX_PERCENT 20

/* Count the figures for every language of langs over cat (may be NULL: no
 * items), reading locales_dir/<tag>.po. out is initialised here and must be
 * released with coverage_finish, also after a false return. Returns false
 * only when the default language's PO file cannot be read (strings_total
 * is then 0); everything else is still counted. Not thread-safe (the PO
 * reader reports through file-level state): call it on the main thread. */
bool coverage_compute(const struct catalog *cat,
		      const struct lang_registry *langs,
		      const char *locales_dir, struct coverage *out);

/* Free what coverage_compute allocated; accepts a zeroed struct. */
void coverage_finish(struct coverage *cov);

/* part as a percentage of whole; 0 when whole is 0. */
double coverage_percent(size_t part, size_t whole);

/* Is the minority-or-foreign share at least the target's lower bound? */
bool coverage_target_met(const struct coverage *cov);

/* How many more items must become available in a minority or foreign
 * language to reach the lower bound (0 when met). */
size_t coverage_items_missing(const struct coverage *cov);

#endif
