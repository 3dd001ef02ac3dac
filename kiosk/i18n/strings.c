/*
 * strings: UI strings from gettext PO files (see strings.h).
 */
#include "i18n/strings.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <gettext-po.h>

#include "base/log.h"
#include "base/util.h"

struct entry {
	char *msgid;    /* with "ctxt\004" prefix when the message has a context */
	char *msgstr;   /* NULL: untranslated, fuzzy or not valid UTF-8 */
	bool fuzzy;
};

struct catalog_po {
	char *tag;
	enum strings_file file;
	struct entry *entries;  /* every message but the header and obsolete
				 * ones, sorted by msgid */
	size_t n;
};

struct strings {
	const struct lang_registry *langs;
	struct catalog_po *cats;    /* one per registry language, same order */
	size_t n_cats;
	/* msgids already reported as missing everywhere (log once). */
	char **missing;
	size_t n_missing;
};

/* libgettextpo reports problems through callbacks; a fatal one must not
 * return, so the reader longjmps back. Reading happens on the main thread
 * at start-up only, so this file-level state is safe. */
static jmp_buf po_jmp;
static struct diag_list *po_diags;
static const char *po_path;

static void po_error(int severity, po_message_t message, const char *filename,
		     size_t lineno, size_t column, int multiline_p,
		     const char *message_text)
{
	(void)message; (void)multiline_p;
	diag_add(po_diags,
		 severity == PO_SEVERITY_WARNING ? DIAG_WARNING : DIAG_ERROR,
		 filename ? filename : po_path, (int)lineno, (int)column, "%s",
		 message_text);
	if (severity == PO_SEVERITY_FATAL_ERROR)
		longjmp(po_jmp, 1);
}

static void po_error2(int severity, po_message_t message1, const char *filename1,
		      size_t lineno1, size_t column1, int multiline_p1,
		      const char *message_text1, po_message_t message2,
		      const char *filename2, size_t lineno2, size_t column2,
		      int multiline_p2, const char *message_text2)
{
	(void)message2; (void)filename2; (void)lineno2; (void)column2;
	(void)multiline_p2;
	diag_add(po_diags, DIAG_ERROR, filename1 ? filename1 : po_path,
		 (int)lineno1, (int)column1, "%s (%s)", message_text1,
		 message_text2);
	(void)message1; (void)multiline_p1;
	if (severity == PO_SEVERITY_FATAL_ERROR)
		longjmp(po_jmp, 1);
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->msgid,
		      ((const struct entry *)b)->msgid);
}

/* Read one PO file into cat. Returns false when the file is unusable. */
static bool read_po(struct catalog_po *cat, const char *path,
		    struct diag_list *diags)
{
	struct po_xerror_handler handler = { po_error, po_error2 };
	po_diags = diags;
	po_path = path;
	size_t errors_before = diags ? diag_count(diags, DIAG_ERROR) : 0;
	po_file_t file = NULL;
	if (setjmp(po_jmp) != 0) {
		if (file)
			po_file_free(file);
		return false;
	}
	file = po_file_read(path, &handler);
	if (!file)
		return false;
	if (diags && diag_count(diags, DIAG_ERROR) > errors_before) {
		po_file_free(file);
		return false;
	}

	size_t cap = 64;
	cat->entries = xmalloc(cap * sizeof *cat->entries);
	po_message_iterator_t it = po_message_iterator(file, NULL);
	po_message_t msg;
	while ((msg = po_next_message(it)) != NULL) {
		const char *id = po_message_msgid(msg);
		if (!id || !*id || po_message_is_obsolete(msg))
			continue;       /* the header, or no longer used */
		/* Plural forms: the singular form for now; the count-aware
		 * lookup comes with plural UI strings. */
		const char *str = po_message_msgid_plural(msg)
					  ? po_message_msgstr_plural(msg, 0)
					  : po_message_msgstr(msg);
		bool fuzzy = po_message_is_fuzzy(msg);
		if (fuzzy || (str && !*str))
			str = NULL;
		if (str && !utf8_valid(str, strlen(str), NULL)) {
			diag_add(diags, DIAG_ERROR, path, 0, 0,
				 "translation of \"%s\" is not valid UTF-8", id);
			str = NULL;
		}
		const char *ctxt = po_message_msgctxt(msg);
		if (cat->n == cap) {
			cap *= 2;
			cat->entries = xrealloc(cat->entries, cap * sizeof *cat->entries);
		}
		cat->entries[cat->n].msgid = ctxt ? xasprintf("%s\004%s", ctxt, id)
						  : xstrdup(id);
		cat->entries[cat->n].msgstr = str ? xstrdup(str) : NULL;
		cat->entries[cat->n].fuzzy = fuzzy;
		cat->n++;
	}
	po_message_iterator_free(it);
	po_file_free(file);
	qsort(cat->entries, cat->n, sizeof *cat->entries, entry_cmp);
	return true;
}

struct strings *strings_load(const char *locales_dir,
			     const struct lang_registry *langs,
			     struct diag_list *diags)
{
	struct strings *s = xcalloc(1, sizeof *s);
	s->langs = langs;
	s->n_cats = langs->n_langs;
	s->cats = xcalloc(s->n_cats ? s->n_cats : 1, sizeof *s->cats);
	for (size_t i = 0; i < s->n_cats; i++) {
		struct catalog_po *cat = &s->cats[i];
		cat->tag = xstrdup(langs->langs[i].tag);
		char *name = xasprintf("%s.po", cat->tag);
		char *path = path_join(locales_dir, name);
		free(name);
		cat->file = STRINGS_FILE_OK;
		if (!file_exists(path)) {
			cat->file = STRINGS_FILE_MISSING;
			diag_add(diags, DIAG_WARNING, path, 0, 0,
				 "no PO file for language '%s'; its interface falls back to %s",
				 cat->tag, langs->langs[i].fallback
					 ? langs->langs[i].fallback : "English");
		} else if (!read_po(cat, path, diags)) {
			cat->file = STRINGS_FILE_UNREADABLE;
			log_warn("%s: cannot be read; language '%s' falls back",
				 path, cat->tag);
		}
		free(path);
	}
	return s;
}

void strings_destroy(struct strings *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_cats; i++) {
		for (size_t j = 0; j < s->cats[i].n; j++) {
			free(s->cats[i].entries[j].msgid);
			free(s->cats[i].entries[j].msgstr);
		}
		free(s->cats[i].entries);
		free(s->cats[i].tag);
	}
	free(s->cats);
	for (size_t i = 0; i < s->n_missing; i++)
		free(s->missing[i]);
	free(s->missing);
	free(s);
}

static const struct catalog_po *cat_find(const struct strings *s, const char *tag)
{
	for (size_t i = 0; i < s->n_cats; i++)
		if (!strcmp(s->cats[i].tag, tag))
			return &s->cats[i];
	return NULL;
}

static const char *cat_lookup(const struct catalog_po *cat, const char *msgid)
{
	if (!cat || !cat->n)
		return NULL;
	struct entry key = { .msgid = (char *)msgid };
	const struct entry *e = bsearch(&key, cat->entries, cat->n,
					sizeof *cat->entries, entry_cmp);
	return e ? e->msgstr : NULL;   /* NULL too when not translated */
}

const char *strings_get_from(const struct strings *s, const char *lang,
			     const char *msgid, const char **from_lang)
{
	const char *chain[16];
	size_t n = lang_chain(s->langs, lang, chain, ARRAY_LEN(chain));
	for (size_t i = 0; i < n; i++) {
		const char *t = cat_lookup(cat_find(s, chain[i]), msgid);
		if (t) {
			if (from_lang)
				*from_lang = chain[i];
			return t;
		}
	}
	if (from_lang)
		*from_lang = "en";
	/* Log each missing msgid once; s is logically const to callers. */
	struct strings *ms = (struct strings *)s;
	for (size_t i = 0; i < ms->n_missing; i++)
		if (!strcmp(ms->missing[i], msgid))
			return msgid;
	ms->missing = xrealloc(ms->missing, (ms->n_missing + 1) * sizeof *ms->missing);
	ms->missing[ms->n_missing++] = xstrdup(msgid);
	log_warn("UI string \"%s\" has no translation in %s or its fallbacks",
		 msgid, lang);
	return msgid;
}

const char *strings_get(const struct strings *s, const char *lang,
			const char *msgid)
{
	return strings_get_from(s, lang, msgid, NULL);
}

size_t strings_count(const struct strings *s, const char *lang)
{
	const struct catalog_po *cat = cat_find(s, lang);
	size_t n = 0;
	for (size_t i = 0; cat && i < cat->n; i++)
		n += cat->entries[i].msgstr != NULL;
	return n;
}

void strings_stats(const struct strings *s, const char *lang,
		   struct strings_stats *out)
{
	memset(out, 0, sizeof *out);
	const struct catalog_po *cat = cat_find(s, lang);
	const struct catalog_po *def = cat_find(s, s->langs->default_tag);
	out->file = cat ? cat->file : STRINGS_FILE_MISSING;
	for (size_t i = 0; def && i < def->n; i++) {
		out->total++;
		struct entry key = { .msgid = def->entries[i].msgid };
		const struct entry *e = cat && cat->n
			? bsearch(&key, cat->entries, cat->n, sizeof *cat->entries,
				  entry_cmp)
			: NULL;
		if (e && e->msgstr)
			out->translated++;
		else if (e && e->fuzzy)
			out->fuzzy++;
	}
}
