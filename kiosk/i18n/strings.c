/*
 * strings: UI strings from gettext PO files (see strings.h).
 */
#include "i18n/strings.h"

#include <limits.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <gettext-po.h>

#include "base/log.h"
#include "base/util.h"
#include "i18n/plural.h"

struct entry {
	char *msgid;    /* with "ctxt\004" prefix when the message has a context */
	char *msgstr;   /* singular entries: NULL when untranslated, fuzzy or
			 * not valid UTF-8; always NULL for plural entries */
	char **forms;   /* plural entries: msgstr[0..n_forms), each NULL when
			 * empty or not valid UTF-8; NULL when fuzzy or when the
			 * file has no usable Plural-Forms */
	unsigned n_forms;
	bool plural;    /* has a msgid_plural */
	bool fuzzy;
	bool translated;  /* counts for strings_count and strings_stats */
};

struct catalog_po {
	char *tag;
	enum strings_file file;
	struct entry *entries;  /* every message but the header and obsolete
				 * ones, sorted by msgid */
	size_t n;
	struct plural *rule;    /* the header's Plural-Forms; NULL when it is
				 * missing or broken (plural entries unused) */
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

/* A line or column from libgettextpo as a diag's: (size_t)(-1), its
 * "not known", is 0 (a diag's), as is anything past INT_MAX. */
static int po_pos(size_t n)
{
	return n <= INT_MAX ? (int)n : 0;
}

static void po_error(int severity, po_message_t message, const char *filename,
		     size_t lineno, size_t column, int multiline_p,
		     const char *message_text)
{
	(void)message; (void)multiline_p;
	/* gettext-po.h: an unknown line means the column is unknown too */
	int line = po_pos(lineno), col = line ? po_pos(column) : 0;
	diag_add(po_diags,
		 severity == PO_SEVERITY_WARNING ? DIAG_WARNING : DIAG_ERROR,
		 filename ? filename : po_path, line, col, "%s", message_text);
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
	int line = po_pos(lineno1), col = line ? po_pos(column1) : 0;
	diag_add(po_diags, DIAG_ERROR, filename1 ? filename1 : po_path,
		 line, col, "%s (%s)", message_text1, message_text2);
	(void)message1; (void)multiline_p1;
	if (severity == PO_SEVERITY_FATAL_ERROR)
		longjmp(po_jmp, 1);
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->msgid,
		      ((const struct entry *)b)->msgid);
}

/* The 1-based line of path where the header sets field ("Plural-Forms"),
 * else the line of the header's msgid "", else 0: libgettextpo does not
 * tell where a header field is, and a translator needs the line. */
static int header_line(const char *path, const char *field)
{
	char *text = file_read_all(path, NULL);
	if (!text)
		return 0;
	char *quoted = xasprintf("\"%s:", field);
	int line = 0, header = 0, found = 0;
	for (char *l = text; l && !found; ) {
		char *next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		line++;
		if (*l != '#') {
			if (!header && !strncmp(l, "msgid \"\"", 8))
				header = line;
			if (header && strstr(l, quoted))
				found = line;
		}
		l = next;
	}
	free(quoted);
	free(text);
	return found ? found : header;
}

/* cat->rule from the file's header. A broken Plural-Forms is a warning
 * now; a missing one only matters once there is a plural entry (the
 * caller warns then). Returns whether the header has the field. */
static bool read_plural_rule(struct catalog_po *cat, po_file_t file,
			     const char *path, struct diag_list *diags)
{
	/* libgettextpo hands back a copy of the header (xstrdup), its
	 * const notwithstanding: ours to free. */
	char *header = (char *)po_file_domain_header(file, NULL);
	char *value = header ? po_header_field(header, "Plural-Forms") : NULL;
	free(header);
	if (!value)
		return false;
	char err[160];
	cat->rule = plural_parse(value, err, sizeof err);
	if (!cat->rule)
		diag_add(diags, DIAG_WARNING, path,
			 header_line(path, "Plural-Forms"), 0,
			 "bad Plural-Forms \"%s\": %s; the plural strings of this file are not used",
			 value, err);
	free(value);
	return true;
}

/* A copy of a translation, or NULL when it is empty or not valid UTF-8
 * (that is reported). */
static char *msgstr_copy(const char *str, const char *msgid, const char *path,
			 struct diag_list *diags)
{
	if (!str || !*str)
		return NULL;
	if (!utf8_valid(str, strlen(str), NULL)) {
		diag_add(diags, DIAG_ERROR, path, 0, 0,
			 "translation of \"%s\" is not valid UTF-8", msgid);
		return NULL;
	}
	return xstrdup(str);
}

/* Fill e's forms from a message with a msgid_plural, by cat's rule. */
static void read_forms(struct entry *e, po_message_t msg,
		       const struct catalog_po *cat, const char *path,
		       struct diag_list *diags)
{
	e->plural = true;
	if (e->fuzzy || !cat->rule)
		return;
	unsigned want = plural_nplurals(cat->rule), have = 0;
	while (po_message_msgstr_plural(msg, (int)have))
		have++;
	if (have != want)
		diag_add(diags, DIAG_WARNING, path, 0, 0,
			 "\"%s\" has %u plural forms; the file's Plural-Forms says %u",
			 po_message_msgid(msg), have, want);
	if (!have)
		return;
	e->forms = xcalloc(have, sizeof *e->forms);
	e->n_forms = have;
	e->translated = have >= want;
	for (unsigned i = 0; i < have; i++) {
		e->forms[i] = msgstr_copy(po_message_msgstr_plural(msg, (int)i),
					  po_message_msgid(msg), path, diags);
		if (i < want && !e->forms[i])
			e->translated = false;
	}
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

	bool has_rule = read_plural_rule(cat, file, path, diags);
	size_t cap = 64, n_plural = 0;
	cat->entries = xmalloc(cap * sizeof *cat->entries);
	po_message_iterator_t it = po_message_iterator(file, NULL);
	po_message_t msg;
	while ((msg = po_next_message(it)) != NULL) {
		const char *id = po_message_msgid(msg);
		if (!id || !*id || po_message_is_obsolete(msg))
			continue;       /* the header, or no longer used */
		if (cat->n == cap) {
			cap *= 2;
			cat->entries = xrealloc(cat->entries, cap * sizeof *cat->entries);
		}
		struct entry *e = &cat->entries[cat->n++];
		const char *ctxt = po_message_msgctxt(msg);
		*e = (struct entry){
			.msgid = ctxt ? xasprintf("%s\004%s", ctxt, id) : xstrdup(id),
			.fuzzy = po_message_is_fuzzy(msg),
		};
		if (po_message_msgid_plural(msg)) {
			read_forms(e, msg, cat, path, diags);
			n_plural++;
		} else if (!e->fuzzy) {
			e->msgstr = msgstr_copy(po_message_msgstr(msg), id, path,
						diags);
			e->translated = e->msgstr != NULL;
		}
	}
	po_message_iterator_free(it);
	if (n_plural && !has_rule)
		diag_add(diags, DIAG_WARNING, path, header_line(path, "Plural-Forms"),
			 0, "no Plural-Forms in the header; the %zu plural strings of this file are not used",
			 n_plural);
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
		struct catalog_po *cat = &s->cats[i];
		for (size_t j = 0; j < cat->n; j++) {
			struct entry *e = &cat->entries[j];
			free(e->msgid);
			free(e->msgstr);
			for (unsigned k = 0; k < e->n_forms; k++)
				free(e->forms[k]);
			free(e->forms);
		}
		free(cat->entries);
		free(cat->tag);
		plural_destroy(cat->rule);
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

static const struct entry *cat_entry(const struct catalog_po *cat,
				     const char *msgid)
{
	if (!cat || !cat->n)
		return NULL;
	struct entry key = { .msgid = (char *)msgid };
	return bsearch(&key, cat->entries, cat->n, sizeof *cat->entries,
		       entry_cmp);
}

/* What cat itself has for msgid, or NULL. A plural lookup (strings_getn)
 * takes only plural entries, the form cat's own rule picks for n; a
 * singular lookup takes a singular entry, or a plural entry's form for
 * n = 1. */
static const char *cat_text(const struct catalog_po *cat, const char *msgid,
			    bool plural, unsigned long n)
{
	const struct entry *e = cat_entry(cat, msgid);
	if (!e || e->fuzzy)
		return NULL;
	if (!e->plural)
		return plural ? NULL : e->msgstr;
	if (!cat->rule || !e->forms)
		return NULL;
	unsigned i = plural_index(cat->rule, plural ? n : 1);
	return i < e->n_forms ? e->forms[i] : NULL;
}

/* Walk lang's fallback chain; NULL when no language has the text. */
static const char *chain_text(const struct strings *s, const char *lang,
			      const char *msgid, bool plural, unsigned long n,
			      const char **from_lang)
{
	const char *chain[16];
	size_t len = lang_chain(s->langs, lang, chain, ARRAY_LEN(chain));
	for (size_t i = 0; i < len; i++) {
		const char *t = cat_text(cat_find(s, chain[i]), msgid, plural, n);
		if (t) {
			if (from_lang)
				*from_lang = chain[i];
			return t;
		}
	}
	if (from_lang)
		*from_lang = "en";
	return NULL;
}

/* Log once per msgid that nobody translates it (for a plural lookup, the
 * first count that misses is named). */
static void note_missing(const struct strings *s, const char *lang,
			 const char *msgid, bool plural, unsigned long n)
{
	/* s is logically const to callers */
	struct strings *ms = (struct strings *)s;
	for (size_t i = 0; i < ms->n_missing; i++)
		if (!strcmp(ms->missing[i], msgid))
			return;
	ms->missing = xrealloc(ms->missing, (ms->n_missing + 1) * sizeof *ms->missing);
	ms->missing[ms->n_missing++] = xstrdup(msgid);
	if (plural)
		log_warn("UI string \"%s\" (plural, n = %lu) has no translation in %s or its fallbacks",
			 msgid, n, lang);
	else
		log_warn("UI string \"%s\" has no translation in %s or its fallbacks",
			 msgid, lang);
}

const char *strings_get_from(const struct strings *s, const char *lang,
			     const char *msgid, const char **from_lang)
{
	const char *t = chain_text(s, lang, msgid, false, 1, from_lang);
	if (t)
		return t;
	note_missing(s, lang, msgid, false, 1);
	return msgid;
}

const char *strings_get(const struct strings *s, const char *lang,
			const char *msgid)
{
	return strings_get_from(s, lang, msgid, NULL);
}

const char *strings_getn(const struct strings *s, const char *lang,
			 const char *msgid, const char *msgid_plural,
			 unsigned long n)
{
	const char *t = chain_text(s, lang, msgid, true, n, NULL);
	if (t)
		return t;
	note_missing(s, lang, msgid, true, n);
	return n == 1 ? msgid : msgid_plural;
}

size_t strings_count(const struct strings *s, const char *lang)
{
	const struct catalog_po *cat = cat_find(s, lang);
	size_t n = 0;
	for (size_t i = 0; cat && i < cat->n; i++)
		n += cat->entries[i].translated;
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
		const struct entry *e = cat_entry(cat, def->entries[i].msgid);
		if (e && e->translated)
			out->translated++;
		else if (e && e->fuzzy)
			out->fuzzy++;
	}
}
