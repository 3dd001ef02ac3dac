/*
 * lang: the language registry read from locales/languages.json (see
 * lang.h for the format).
 */
#include "i18n/lang.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/jsonpos.h"
#include "base/log.h"
#include "base/util.h"

/* ------------------------------------------------------------------ */
/* Positions in the raw JSON text                                      */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

/* What one load is working on, for reporting. */
struct lang_load {
	const char *path;
	const char *text;
	size_t len;
	struct diag_list *diags;
	unsigned errors;
};

static void vreport(struct lang_load *ld, enum diag_severity sev, bool at_key,
		    const struct jstep *path, size_t n, const char *fmt,
		    va_list ap) __attribute__((format(printf, 6, 0)));
static void vreport(struct lang_load *ld, enum diag_severity sev, bool at_key,
		    const struct jstep *path, size_t n, const char *fmt,
		    va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	int line = 0, col = 0;
	if (ld->text)
		json_locate(ld->text, ld->len, path, n, at_key, &line, &col);
	diag_add(ld->diags, sev, ld->path, line, col, "%s", msg);
	if (sev == DIAG_ERROR)
		ld->errors++;
	else
		log_warn("%s:%d:%d: %s", ld->path, line, col, msg);
}

/* An error: the entry (or the file) cannot be used as written. */
static void report(struct lang_load *ld, bool at_key, const struct jstep *path,
		   size_t n, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report(struct lang_load *ld, bool at_key, const struct jstep *path,
		   size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(ld, DIAG_ERROR, at_key, path, n, fmt, ap);
	va_end(ap);
}

/* A warning: the language works, without what is named. */
static void warn(struct lang_load *ld, const struct jstep *path, size_t n,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void warn(struct lang_load *ld, const struct jstep *path, size_t n,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(ld, DIAG_WARNING, false, path, n, fmt, ap);
	va_end(ap);
}

static const char *const kind_names[] = {
	[LANG_NATIONAL] = "national",
	[LANG_MINORITY] = "minority",
	[LANG_FOREIGN] = "foreign",
};

const char *lang_kind_name(enum lang_kind kind)
{
	return (size_t)kind < ARRAY_LEN(kind_names) ? kind_names[kind]
						     : "minority";
}

/* A simplified BCP 47 tag: a 2-3 letter lowercase primary subtag, then
 * optional "-" subtags of 1-8 letters or digits ("vi", "rad", "zh-Hant"). */
static bool tag_valid(const char *tag)
{
	size_t i = 0;
	while (tag[i] >= 'a' && tag[i] <= 'z')
		i++;
	if (i < 2 || i > 3)
		return false;
	while (tag[i] == '-') {
		size_t start = ++i;
		while ((tag[i] >= 'a' && tag[i] <= 'z') ||
		       (tag[i] >= 'A' && tag[i] <= 'Z') ||
		       (tag[i] >= '0' && tag[i] <= '9'))
			i++;
		if (i == start || i - start > 8)
			return false;
	}
	return tag[i] == '\0';
}

/* Is s empty or only spaces? */
static bool blank(const char *s)
{
	for (; *s; s++) {
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	}
	return true;
}

static void lang_free(struct lang *l)
{
	free(l->tag);
	free(l->endonym);
	free(l->name_vi);
	free(l->fallback);
	free(l->iso639);
	free(l->prompt);
}

/* A required non-blank string member of entry i; NULL after reporting. */
static const char *entry_string(struct lang_load *ld, json_t *entry, size_t i,
				const char *key, bool required)
{
	json_t *v = json_object_get(entry, key);
	if (!v) {
		if (required)
			report(ld, false, (struct jstep[]){ JK("languages"), JI(i) },
			       2, "language entry has no \"%s\"", key);
		return NULL;
	}
	if (!json_is_string(v) || blank(json_string_value(v))) {
		report(ld, false,
		       (struct jstep[]){ JK("languages"), JI(i), JK(key) }, 3,
		       "\"%s\" must be a non-empty string", key);
		return NULL;
	}
	return json_string_value(v);
}

/* dd, mm and yyyy once each, joined by one and the same separator. */
static bool date_format_valid(const char *f)
{
	if (strlen(f) != 10)
		return false;
	char sep = 0;
	bool seen[3] = { false, false, false };
	static const char *const parts[] = { "dd", "mm", "yyyy" };
	const char *p = f;
	for (int k = 0; k < 3; k++) {
		int which = -1;
		for (int j = 0; j < 3; j++)
			if (!seen[j] && !strncmp(p, parts[j], strlen(parts[j])))
				which = j;
		if (which < 0)
			return false;
		seen[which] = true;
		p += strlen(parts[which]);
		if (k < 2) {
			if (!strchr("/.- ", *p) || !*p || (sep && *p != sep))
				return false;
			sep = *p++;
		}
	}
	return *p == '\0';
}

/* A digit-group or decimal mark: one character, not a digit. Reported and
 * NULL when it is something else. */
static const char *number_mark(struct lang_load *ld, json_t *entry, size_t i,
			       const char *key)
{
	json_t *v = json_object_get(entry, key);
	if (!v)
		return NULL;
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	size_t len = s ? strlen(s) : 0;
	uint32_t cp = 0;
	if (!s || len == 0 || len >= 8 || (size_t)utf8_decode(s, len, &cp) != len ||
	    (cp >= '0' && cp <= '9')) {
		report(ld, false,
		       (struct jstep[]){ JK("languages"), JI(i), JK(key) }, 3,
		       "\"%s\" must be one character that is not a digit "
		       "(e.g. \".\", \",\" or a space)", key);
		return NULL;
	}
	return s;
}

/* The full path of a prompt file named relative to languages.json;
 * NULL (warned) when there is no such file. */
static char *prompt_path(struct lang_load *ld, const char *rel, size_t i)
{
	const char *slash = strrchr(ld->path, '/');
	char *dir = slash ? xasprintf("%.*s", (int)(slash - ld->path), ld->path)
			  : xstrdup(".");
	char *full = rel[0] == '/' ? xstrdup(rel) : path_join(dir, rel);
	free(dir);
	if (!file_exists(full)) {
		warn(ld, (struct jstep[]){ JK("languages"), JI(i), JK("prompt") },
		     3, "prompt %s: no such file; the language has no spoken "
		     "name", full);
		free(full);
		return NULL;
	}
	return full;
}

/* Parse entry i into *out. Returns false (after reporting) when the entry
 * cannot be used. */
static bool parse_entry(struct lang_load *ld, json_t *entry, size_t i,
			struct lang *out)
{
	if (!json_is_object(entry)) {
		report(ld, false, (struct jstep[]){ JK("languages"), JI(i) }, 2,
		       "a language entry must be an object");
		return false;
	}
	/* An unknown key is reported but does not cost the language. */
	static const char *const known[] = { "tag", "endonym", "name_vi",
					     "kind", "fallback", "iso639",
					     "prompt", "date_format",
					     "digit_group", "decimal_mark" };
	const char *key;
	json_t *val;
	json_object_foreach(entry, key, val) {
		bool ok = false;
		for (size_t k = 0; k < ARRAY_LEN(known); k++)
			ok |= strcmp(key, known[k]) == 0;
		if (!ok)
			report(ld, true,
			       (struct jstep[]){ JK("languages"), JI(i), JK(key) },
			       3, "unknown key \"%s\"", key);
	}
	unsigned errors_before = ld->errors;
	const char *tag = entry_string(ld, entry, i, "tag", true);
	const char *endonym = entry_string(ld, entry, i, "endonym", true);
	const char *name_vi = entry_string(ld, entry, i, "name_vi", true);
	const char *kind = entry_string(ld, entry, i, "kind", true);
	const char *fallback = entry_string(ld, entry, i, "fallback", false);
	const char *iso = entry_string(ld, entry, i, "iso639", false);
	if (iso && (strlen(iso) != 3 || strspn(iso, "abcdefghijklmnopqrstuvwxyz") != 3))
		report(ld, false,
		       (struct jstep[]){ JK("languages"), JI(i), JK("iso639") }, 3,
		       "\"%s\" is not an ISO 639-2/3 code (three small letters, "
		       "e.g. \"vie\")", iso);
	if (tag && !tag_valid(tag))
		report(ld, false,
		       (struct jstep[]){ JK("languages"), JI(i), JK("tag") }, 3,
		       "\"%s\" is not a language tag (expected e.g. \"vi\", "
		       "\"rad\", \"zh-Hant\")", tag);
	int kind_val = -1;
	for (size_t k = 0; kind && k < ARRAY_LEN(kind_names); k++) {
		if (strcmp(kind, kind_names[k]) == 0)
			kind_val = (int)k;
	}
	if (kind && kind_val < 0)
		report(ld, false,
		       (struct jstep[]){ JK("languages"), JI(i), JK("kind") }, 3,
		       "unknown kind \"%s\" (expected national, minority or "
		       "foreign)", kind);
	const char *prompt = entry_string(ld, entry, i, "prompt", false);
	const char *date_format = entry_string(ld, entry, i, "date_format", false);
	if (date_format && !date_format_valid(date_format))
		report(ld, false,
		       (struct jstep[]){ JK("languages"), JI(i), JK("date_format") },
		       3, "\"%s\" is not a date format (dd, mm and yyyy once each, "
		       "with one separator of / . - or space, e.g. \"dd/mm/yyyy\")",
		       date_format);
	const char *group = number_mark(ld, entry, i, "digit_group");
	const char *decimal = number_mark(ld, entry, i, "decimal_mark");
	if (ld->errors != errors_before)
		return false;
	*out = (struct lang){
		.tag = xstrdup(tag),
		.endonym = xstrdup(endonym),
		.name_vi = xstrdup(name_vi),
		.fallback = xstrdup(fallback),
		.kind = (enum lang_kind)kind_val,
		/* a three-letter tag is its own ISO 639-3 code */
		.iso639 = xstrdup(iso ? iso : strlen(tag) == 3 ? tag : ""),
	};
	snprintf(out->date_format, sizeof out->date_format, "%s",
		 date_format ? date_format : "dd/mm/yyyy");
	snprintf(out->digit_group, sizeof out->digit_group, "%s",
		 group ? group : ".");
	snprintf(out->decimal_mark, sizeof out->decimal_mark, "%s",
		 decimal ? decimal : ",");
	if (prompt)
		out->prompt = prompt_path(ld, prompt, i);
	return true;
}

static bool parse_registry(struct lang_load *ld, json_t *root,
			   struct lang_registry *reg)
{
	const char *key;
	json_t *val;
	json_object_foreach(root, key, val) {
		if (strcmp(key, "default") != 0 && strcmp(key, "languages") != 0)
			report(ld, true, (struct jstep[]){ JK(key) }, 1,
			       "unknown key \"%s\"", key);
	}
	json_t *def = json_object_get(root, "default");
	if (def && (!json_is_string(def) || !tag_valid(json_string_value(def)))) {
		report(ld, false, (struct jstep[]){ JK("default") }, 1,
		       "\"default\" must be a language tag");
		return false;
	}
	reg->default_tag = xstrdup(def ? json_string_value(def) : "vi");

	json_t *arr = json_object_get(root, "languages");
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		report(ld, false, (struct jstep[]){ JK("languages") }, arr ? 1 : 0,
		       "\"languages\" must be a non-empty array of languages");
		return false;
	}
	reg->langs = xcalloc(json_array_size(arr), sizeof *reg->langs);
	/* Where each kept entry is in the file, for reporting. */
	size_t *src = xcalloc(json_array_size(arr), sizeof *src);
	size_t i;
	json_array_foreach(arr, i, val) {
		struct lang l;
		if (!parse_entry(ld, val, i, &l))
			continue;
		if (lang_find(reg, l.tag)) {
			report(ld, false,
			       (struct jstep[]){ JK("languages"), JI(i), JK("tag") },
			       3, "language \"%s\" is listed twice", l.tag);
			lang_free(&l);
			continue;
		}
		src[reg->n_langs] = i;
		reg->langs[reg->n_langs++] = l;
	}

	/* Fallbacks may point forward, so they are checked once all
	 * entries are in. */
	for (size_t k = 0; k < reg->n_langs; k++) {
		struct lang *l = &reg->langs[k];
		if (strcmp(l->tag, reg->default_tag) == 0) {
			free(l->fallback);
			l->fallback = NULL;
		} else if (!l->fallback) {
			l->fallback = xstrdup(reg->default_tag);
		} else if (!lang_find(reg, l->fallback) ||
			   strcmp(l->fallback, l->tag) == 0) {
			report(ld, false,
			       (struct jstep[]){ JK("languages"), JI(src[k]),
						 JK("fallback") },
			       3, "fallback \"%s\" is not another listed language",
			       l->fallback);
			free(l->fallback);
			l->fallback = xstrdup(reg->default_tag);
		}
	}
	free(src);
	if (!lang_find(reg, reg->default_tag)) {
		report(ld, false,
		       (struct jstep[]){ JK(def ? "default" : "languages") }, 1,
		       "the default language \"%s\" is not listed (or its entry "
		       "has errors)", reg->default_tag);
		return false;
	}
	return true;
}

struct lang_registry *lang_registry_load(const char *path,
					 struct diag_list *diags)
{
	struct lang_load ld = { .path = path, .diags = diags };
	size_t len = 0;
	char *text = file_read_all(path, &len);
	if (!text) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read: %s",
			 strerror(errno));
		log_error("%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	size_t bad;
	if (!utf8_valid(text, len, &bad)) {
		int line, col;
		json_line_col(text, text + bad, &line, &col);
		diag_add(diags, DIAG_ERROR, path, line, col,
			 "invalid UTF-8 (byte 0x%02X)", (unsigned char)text[bad]);
		log_error("%s:%d:%d: invalid UTF-8", path, line, col);
		free(text);
		return NULL;
	}
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		diag_add(diags, DIAG_ERROR, path, jerr.line, jerr.column,
			 "invalid JSON: %s", jerr.text);
		log_error("%s:%d:%d: invalid JSON: %s", path, jerr.line,
			  jerr.column, jerr.text);
		free(text);
		return NULL;
	}
	ld.text = text;
	ld.len = len;
	struct lang_registry *reg = xcalloc(1, sizeof *reg);
	bool ok;
	if (!json_is_object(root)) {
		report(&ld, false, NULL, 0,
		       "the top level must be an object with \"languages\"");
		ok = false;
	} else {
		ok = parse_registry(&ld, root, reg);
	}
	json_decref(root);
	free(text);
	if (!ok) {
		log_error("%s: language registry unusable", path);
		lang_registry_destroy(reg);
		return NULL;
	}
	if (ld.errors)
		log_warn("%s: %u problems in the language registry", path,
			 ld.errors);
	return reg;
}

struct lang_registry *lang_registry_builtin(void)
{
	struct lang_registry *reg = xcalloc(1, sizeof *reg);
	reg->langs = xcalloc(2, sizeof *reg->langs);
	reg->langs[0] = (struct lang){
		.tag = xstrdup("vi"),
		.endonym = xstrdup("Tiếng Việt"),
		.name_vi = xstrdup("Tiếng Việt"),
		.fallback = NULL,
		.iso639 = xstrdup("vie"),
		.kind = LANG_NATIONAL,
	};
	reg->langs[1] = (struct lang){
		.tag = xstrdup("en"),
		.endonym = xstrdup("English"),
		.name_vi = xstrdup("Tiếng Anh"),
		.fallback = xstrdup("vi"),
		.iso639 = xstrdup("eng"),
		.kind = LANG_FOREIGN,
	};
	reg->n_langs = 2;
	for (size_t i = 0; i < 2; i++) {
		struct lang *l = &reg->langs[i];
		snprintf(l->date_format, sizeof l->date_format, "dd/mm/yyyy");
		snprintf(l->digit_group, sizeof l->digit_group, i ? "," : ".");
		snprintf(l->decimal_mark, sizeof l->decimal_mark, i ? "." : ",");
	}
	reg->default_tag = xstrdup("vi");
	return reg;
}

void lang_registry_destroy(struct lang_registry *reg)
{
	if (!reg)
		return;
	for (size_t i = 0; i < reg->n_langs; i++)
		lang_free(&reg->langs[i]);
	free(reg->langs);
	free(reg->default_tag);
	free(reg);
}

const struct lang *lang_find(const struct lang_registry *reg, const char *tag)
{
	if (!reg || !tag)
		return NULL;
	for (size_t i = 0; i < reg->n_langs; i++) {
		if (strcmp(reg->langs[i].tag, tag) == 0)
			return &reg->langs[i];
	}
	return NULL;
}

static bool chain_has(const char **out, size_t n, const char *tag)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(out[i], tag) == 0)
			return true;
	}
	return false;
}

size_t lang_chain(const struct lang_registry *reg, const char *tag,
		  const char **out, size_t max)
{
	if (!reg || max == 0)
		return 0;
	const struct lang *def = lang_find(reg, reg->default_tag);
	const char *def_tag = def ? def->tag : reg->default_tag;
	size_t n = 0;
	const struct lang *l = lang_find(reg, tag);
	while (l && n < max && !chain_has(out, n, l->tag)) {
		out[n++] = l->tag;
		l = lang_find(reg, l->fallback);
	}
	if (!chain_has(out, n, def_tag)) {
		if (n == max)
			n--;   /* the default always ends the chain */
		out[n++] = def_tag;
	}
	return n;
}
