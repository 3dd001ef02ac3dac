/*
 * catalog: load and validate the content library, one folder per item
 * (see catalog.h for the item.json format).
 */
#include "content/catalog.h"
#include "content/leaflet.h"
#include "media/pdf.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "base/jsonpos.h"
#include "base/log.h"
#include "base/util.h"
#include "content/topics.h"
#include "media/pifit.h"
#include "media/probe.h"

/* ------------------------------------------------------------------ */
/* Positions in the raw JSON text                                      */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* Reporting                                                           */
/* ------------------------------------------------------------------ */

/* A path into item.json as an array and its length, for report(). */
#define P(...) (const struct jstep[]){ __VA_ARGS__ }, \
	ARRAY_LEN(((const struct jstep[]){ __VA_ARGS__ }))

enum { AT_VALUE = 0, AT_KEY = 1 };

/* What loading one item is working on. */
struct item_load {
	const char *file;          /* path of item.json, as reported */
	const char *folder;        /* path of the item folder */
	char *folder_real;         /* realpath of folder, made when needed */
	const char *text;          /* raw item.json, NULL before it is read */
	size_t len;
	unsigned flags;            /* enum catalog_flags */
	const struct lang_registry *langs;
	struct diag_list *diags;
	unsigned errors, warnings;
	char first_error[256];     /* for the log line when the item is left out */
};

static void report(struct item_load *ld, enum diag_severity sev, bool at_key,
		   const struct jstep *path, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void report(struct item_load *ld, enum diag_severity sev, bool at_key,
		   const struct jstep *path, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	int line = 0, col = 0;
	if (ld->text)
		json_locate(ld->text, ld->len, path, n, at_key, &line, &col);
	diag_add(ld->diags, sev, ld->file, line, col, "%s", msg);
	if (sev == DIAG_ERROR) {
		if (ld->errors++ == 0)
			snprintf(ld->first_error, sizeof ld->first_error,
				 "%d:%d: %.200s", line, col, msg);
	} else {
		ld->warnings++;
	}
}

/* ------------------------------------------------------------------ */
/* Small checks                                                        */
/* ------------------------------------------------------------------ */

#define ID_MAX_LEN 64

static const char *const type_names[ITEM_TYPE_COUNT] = {
	[ITEM_VIDEO] = "video",
	[ITEM_AUDIO] = "audio",
	[ITEM_POSTER] = "poster",
	[ITEM_LEAFLET] = "leaflet",
	[ITEM_GALLERY] = "gallery",
};

/* The keys item.json may have; anything else is a typo. */
static const char *const item_keys[] = {
	"id", "type", "title", "summary", "topics", "featured", "media",
	"thumbnail", "source", "subtitles", "pictures",
};

static bool id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > ID_MAX_LEN || id[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = id[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '-'))
			return false;
	}
	return true;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* A copy of s without leading and trailing white space; NULL when nothing
 * is left. */
static char *trim_dup(const char *s)
{
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Edit distance of two short strings (Levenshtein), capped at 9. */
static int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 31 || lb > 31)
		return 9;
	int row[32];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j];
			int best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb] < 9 ? row[lb] : 9;
}

/* The candidate closest to word when it is a likely typo, else NULL. */
static const char *suggest(const char *word, const char *const *cands,
			   size_t n_cands, size_t stride)
{
	const char *best = NULL;
	int best_d = 3;
	for (size_t i = 0; i < n_cands; i++) {
		const char *cand = *(const char *const *)((const char *)cands + i * stride);
		int d = edit_distance(word, cand);
		if (d < best_d) {
			best_d = d;
			best = cand;
		}
	}
	return best;
}

/* Parse "MM-DD" into month*100+day; 02-29 is allowed. */
static bool month_day_parse(const char *s, int *md_out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (strlen(s) != 5 || s[2] != '-')
		return false;
	for (int i = 0; i < 5; i++) {
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return false;
	}
	int m = (s[0] - '0') * 10 + (s[1] - '0');
	int d = (s[3] - '0') * 10 + (s[4] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	*md_out = m * 100 + d;
	return true;
}

/* Month and day of a day count since 1970-01-01, after Howard Hinnant's
 * public-domain civil_from_days. */
static int month_day_of(int64_t days)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	return (int)(m * 100 + d);
}

/* ------------------------------------------------------------------ */
/* Fields                                                              */
/* ------------------------------------------------------------------ */

static void item_finish(struct item *it)
{
	free(it->id);
	free(it->dir);
	for (size_t i = 0; i < it->n_texts; i++) {
		free(it->texts[i].lang);
		free(it->texts[i].title);
		free(it->texts[i].summary);
	}
	free(it->texts);
	for (size_t i = 0; i < it->n_media; i++) {
		free(it->media[i].lang);
		free(it->media[i].path);
	}
	free(it->media);
	for (size_t i = 0; i < it->n_topics; i++)
		free(it->topics[i]);
	free(it->topics);
	free(it->featured);
	free(it->thumbnail);
	free(it->source);
	for (size_t i = 0; i < it->n_pictures; i++) {
		struct item_picture *p = &it->pictures[i];
		free(p->path);
		for (size_t c = 0; c < p->n_captions; c++) {
			free(p->captions[c].lang);
			free(p->captions[c].text);
		}
		free(p->captions);
	}
	free(it->pictures);
	memset(it, 0, sizeof *it);
}

static void check_keys(struct item_load *ld, json_t *root)
{
	const char *key;
	json_t *val;
	json_object_foreach(root, key, val) {
		bool known = false;
		for (size_t i = 0; i < ARRAY_LEN(item_keys); i++)
			known |= strcmp(key, item_keys[i]) == 0;
		if (known)
			continue;
		const char *near = suggest(key, item_keys, ARRAY_LEN(item_keys),
					   sizeof item_keys[0]);
		if (near)
			report(ld, DIAG_ERROR, AT_KEY, P(JK(key)),
			       "unknown key \"%s\" (did you mean \"%s\"?)", key,
			       near);
		else
			report(ld, DIAG_ERROR, AT_KEY, P(JK(key)),
			       "unknown key \"%s\"", key);
	}
}

/* The language keys of title or summary, each checked against the
 * registry and with a non-blank string value. */
static void parse_texts(struct item_load *ld, json_t *root, const char *field,
			struct item *it)
{
	json_t *obj = json_object_get(root, field);
	bool is_title = strcmp(field, "title") == 0;
	if (!obj) {
		if (is_title)
			report(ld, DIAG_ERROR, AT_VALUE, NULL, 0,
			       "missing required key \"title\"");
		return;
	}
	if (!json_is_object(obj)) {
		report(ld, DIAG_ERROR, AT_VALUE, P(JK(field)),
		       "\"%s\" must be an object of language tag: text", field);
		return;
	}
	const char *def = ld->langs->default_tag;
	const char *lang;
	json_t *val;
	json_object_foreach(obj, lang, val) {
		if (!lang_find(ld->langs, lang)) {
			report(ld, DIAG_ERROR, AT_KEY, P(JK(field), JK(lang)),
			       "unknown language \"%s\" (not in languages.json)",
			       lang);
			continue;
		}
		char *text = json_is_string(val) ? trim_dup(json_string_value(val))
						 : NULL;
		if (!text) {
			report(ld, DIAG_ERROR, AT_VALUE, P(JK(field), JK(lang)),
			       "%s in \"%s\" must be a non-empty string", field,
			       lang);
			continue;
		}
		if (is_title) {
			/* The default language goes first: it is what
			 * every chain falls back to. */
			it->texts = xrealloc(it->texts,
					     (it->n_texts + 1) * sizeof *it->texts);
			size_t at = it->n_texts;
			if (strcmp(lang, def) == 0) {
				memmove(&it->texts[1], &it->texts[0],
					it->n_texts * sizeof *it->texts);
				at = 0;
			}
			it->texts[at] = (struct item_text){
				.lang = xstrdup(lang), .title = text,
			};
			it->n_texts++;
			continue;
		}
		struct item_text *t = NULL;
		for (size_t i = 0; i < it->n_texts; i++) {
			if (strcmp(it->texts[i].lang, lang) == 0)
				t = &it->texts[i];
		}
		if (!t) {
			report(ld, DIAG_WARNING, AT_KEY, P(JK(field), JK(lang)),
			       "summary in \"%s\" has no title in \"%s\"; it is "
			       "not shown", lang, lang);
			free(text);
			continue;
		}
		t->summary = text;
	}
	if (is_title && (it->n_texts == 0 || strcmp(it->texts[0].lang, def) != 0) &&
	    !json_object_get(obj, def))
		report(ld, DIAG_ERROR, AT_KEY, P(JK("title")),
		       "title has no \"%s\" entry (the default language is "
		       "required)", def);
}

static void parse_topics(struct item_load *ld, json_t *root, struct item *it)
{
	json_t *arr = json_object_get(root, "topics");
	if (!arr) {
		report(ld, DIAG_ERROR, AT_VALUE, NULL, 0,
		       "missing required key \"topics\"");
		return;
	}
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		report(ld, DIAG_ERROR, AT_VALUE, P(JK("topics")),
		       "\"topics\" must be a non-empty array of topic ids");
		return;
	}
	size_t n_all;
	const struct topic *all = topics_all(&n_all);
	it->topics = xcalloc(json_array_size(arr), sizeof *it->topics);
	size_t i;
	json_t *val;
	json_array_foreach(arr, i, val) {
		if (!json_is_string(val)) {
			report(ld, DIAG_ERROR, AT_VALUE, P(JK("topics"), JI(i)),
			       "a topic must be a string");
			continue;
		}
		const char *id = json_string_value(val);
		if (!topic_find(id)) {
			const char *near = suggest(id, &all[0].id, n_all,
						   sizeof all[0]);
			if (near)
				report(ld, DIAG_ERROR, AT_VALUE,
				       P(JK("topics"), JI(i)),
				       "unknown topic \"%s\" (did you mean \"%s\"?)",
				       id, near);
			else
				report(ld, DIAG_ERROR, AT_VALUE,
				       P(JK("topics"), JI(i)),
				       "unknown topic \"%s\"", id);
			continue;
		}
		if (item_has_topic(it, id)) {
			report(ld, DIAG_WARNING, AT_VALUE, P(JK("topics"), JI(i)),
			       "topic \"%s\" is listed twice", id);
			continue;
		}
		it->topics[it->n_topics++] = xstrdup(id);
	}
}

static void parse_featured(struct item_load *ld, json_t *root, struct item *it)
{
	json_t *arr = json_object_get(root, "featured");
	if (!arr)
		return;
	if (!json_is_array(arr)) {
		report(ld, DIAG_ERROR, AT_VALUE, P(JK("featured")),
		       "\"featured\" must be an array of {\"from\", \"to\"} "
		       "windows");
		return;
	}
	it->featured = xcalloc(json_array_size(arr), sizeof *it->featured);
	size_t i;
	json_t *win;
	json_array_foreach(arr, i, win) {
		if (!json_is_object(win)) {
			report(ld, DIAG_ERROR, AT_VALUE, P(JK("featured"), JI(i)),
			       "a featured window must be an object with "
			       "\"from\" and \"to\"");
			continue;
		}
		unsigned errors_before = ld->errors;
		const char *key;
		json_t *val;
		json_object_foreach(win, key, val) {
			if (strcmp(key, "from") != 0 && strcmp(key, "to") != 0)
				report(ld, DIAG_ERROR, AT_KEY,
				       P(JK("featured"), JI(i), JK(key)),
				       "unknown key \"%s\" in a featured window",
				       key);
		}
		const char *from = json_string_value(json_object_get(win, "from"));
		const char *to = json_string_value(json_object_get(win, "to"));
		if (!from || !to) {
			report(ld, DIAG_ERROR, AT_VALUE,
			       P(JK("featured"), JI(i), JK(from ? "to" : "from")),
			       "a featured window needs \"from\" and \"to\" "
			       "dates as strings");
			continue;
		}
		struct item_window w = { .yearly = strlen(from) == 5 };
		bool from_ok = w.yearly ? month_day_parse(from, &w.from_md)
					: date_parse_days(from, &w.from_day);
		bool to_ok = w.yearly ? month_day_parse(to, &w.to_md)
				      : date_parse_days(to, &w.to_day);
		if (!from_ok || !to_ok) {
			const char *bad = !from_ok ? "from" : "to";
			report(ld, DIAG_ERROR, AT_VALUE,
			       P(JK("featured"), JI(i), JK(bad)),
			       "\"%s\" is not a valid %s; \"from\" and \"to\" must "
			       "both be MM-DD (every year) or both YYYY-MM-DD",
			       !from_ok ? from : to,
			       w.yearly ? "MM-DD date" : "YYYY-MM-DD date");
			continue;
		}
		if (!w.yearly && w.from_day > w.to_day) {
			report(ld, DIAG_ERROR, AT_VALUE,
			       P(JK("featured"), JI(i), JK("to")),
			       "featured window ends (%s) before it starts (%s)",
			       to, from);
			continue;
		}
		if (ld->errors == errors_before)
			it->featured[it->n_featured++] = w;
	}
}

/* Check a file named in item.json (path points at its value) and return
 * its full path, or NULL after reporting. */
static char *item_file(struct item_load *ld, const char *rel,
		       const struct jstep *path, size_t n, const char *what)
{
	if (rel[0] == '/') {
		report(ld, DIAG_ERROR, AT_VALUE, path, n,
		       "%s path \"%s\" must be relative to the item folder",
		       what, rel);
		return NULL;
	}
	for (const char *s = rel; *s;) {
		size_t seg = strcspn(s, "/");
		if (seg == 2 && s[0] == '.' && s[1] == '.') {
			report(ld, DIAG_ERROR, AT_VALUE, path, n,
			       "%s path \"%s\" leaves the item folder", what, rel);
			return NULL;
		}
		s += seg;
		while (*s == '/')
			s++;
	}
	char *full = path_join(ld->folder, rel);
	struct stat st;
	if (stat(full, &st) != 0) {
		report(ld, DIAG_ERROR, AT_VALUE, path, n, "%s file \"%s\" %s",
		       what, rel, errno == ENOENT ? "not found" : strerror(errno));
		free(full);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		report(ld, DIAG_ERROR, AT_VALUE, path, n,
		       "%s \"%s\" is not a regular file", what, rel);
		free(full);
		return NULL;
	}
	/* A symbolic link may still lead out of the folder. */
	if (!ld->folder_real)
		ld->folder_real = realpath(ld->folder, NULL);
	char *real = realpath(full, NULL);
	size_t fl = ld->folder_real ? strlen(ld->folder_real) : 0;
	if (!real || !ld->folder_real || strncmp(real, ld->folder_real, fl) != 0 ||
	    real[fl] != '/') {
		report(ld, DIAG_ERROR, AT_VALUE, path, n,
		       "%s \"%s\" leads out of the item folder", what, rel);
		free(real);
		free(full);
		return NULL;
	}
	free(real);
	return full;
}

/* With CATALOG_PROBE_MEDIA: does the file hold what the type needs? */
static bool probe_kind(struct item_load *ld, const char *full, const char *rel,
		       enum item_type type, bool thumbnail,
		       const struct jstep *path, size_t n)
{
	if (!(ld->flags & CATALOG_PROBE_MEDIA))
		return true;
	const char *what = thumbnail ? "thumbnail" : "media file";
	struct probe_result pr;
	char why[256];
	if (!thumbnail && type == ITEM_LEAFLET && path_has_ext(full, "md")) {
		/* a text leaflet: its own problems come as file:line:col */
		struct leaflet *doc = leaflet_load(full, ld->diags);
		if (!doc) {
			report(ld, DIAG_ERROR, AT_VALUE, path, n,
			       "%s \"%s\" cannot be read as a text leaflet", what, rel);
			return false;
		}
		leaflet_destroy(doc);
		return true;
	}
	if (!thumbnail && type == ITEM_LEAFLET && path_has_ext(full, "pdf")) {
		/* a PDF leaflet: MuPDF must open it and see pages */
		struct pdf_doc *d = pdf_open(full, why, sizeof why);
		if (!d) {
			/* the reason starts with the path, named here already */
			size_t n_full = strlen(full);
			const char *reason = strncmp(why, full, n_full) == 0 &&
						     why[n_full] == ':'
					     ? why + n_full + 2 : why;
			report(ld, DIAG_ERROR, AT_VALUE, path, n,
			       "%s \"%s\" cannot be opened: %s", what, rel, reason);
			return false;
		}
		pdf_close(d);
		return true;
	}
	if (!probe_file(full, &pr, why, sizeof why)) {
		report(ld, DIAG_ERROR, AT_VALUE, path, n,
		       "%s \"%s\" cannot be decoded: %s", what, rel, why);
		return false;
	}
	if (thumbnail || type == ITEM_POSTER || type == ITEM_LEAFLET ||
	    type == ITEM_GALLERY) {
		if (!pr.is_image) {
			report(ld, DIAG_ERROR, AT_VALUE, path, n,
			       "%s \"%s\" is not a still image (%s)", what, rel,
			       pr.format);
			return false;
		}
	} else if (type == ITEM_VIDEO && !pr.has_video) {
		report(ld, DIAG_ERROR, AT_VALUE, path, n,
		       "%s \"%s\" has no decodable video stream (%s)", what, rel,
		       pr.format);
		return false;
	} else if (type == ITEM_VIDEO && !pifit_video(&pr, why, sizeof why)) {
		/* plays, but a Pi drops pictures (README: Encoding for a Pi) */
		report(ld, DIAG_WARNING, AT_VALUE, path, n,
		       "%s \"%s\": too heavy for a Raspberry Pi: %s", what, rel,
		       why);
	} else if (type == ITEM_AUDIO && !pr.has_audio) {
		report(ld, DIAG_ERROR, AT_VALUE, path, n,
		       "%s \"%s\" has no decodable audio stream (%s)", what, rel,
		       pr.format);
		return false;
	}
	return true;
}

static void parse_media(struct item_load *ld, json_t *root, struct item *it,
			bool type_known)
{
	json_t *obj = json_object_get(root, "media");
	if (!obj) {
		report(ld, DIAG_ERROR, AT_VALUE, NULL, 0,
		       "missing required key \"media\"");
		return;
	}
	if (!json_is_object(obj) || json_object_size(obj) == 0) {
		report(ld, DIAG_ERROR, AT_VALUE, P(JK("media")),
		       "\"media\" must be an object of language tag: file, with "
		       "at least one file");
		return;
	}
	it->media = xcalloc(json_object_size(obj), sizeof *it->media);
	const char *lang;
	json_t *val;
	json_object_foreach(obj, lang, val) {
		if (!lang_find(ld->langs, lang)) {
			report(ld, DIAG_ERROR, AT_KEY, P(JK("media"), JK(lang)),
			       "unknown language \"%s\" (not in languages.json)",
			       lang);
			continue;
		}
		char *rel = json_is_string(val) ? trim_dup(json_string_value(val))
						: NULL;
		if (!rel) {
			report(ld, DIAG_ERROR, AT_VALUE, P(JK("media"), JK(lang)),
			       "media in \"%s\" must be a non-empty file name",
			       lang);
			continue;
		}
		char *full = item_file(ld, rel, P(JK("media"), JK(lang)), "media");
		if (full && type_known &&
		    !probe_kind(ld, full, rel, it->type, false,
				P(JK("media"), JK(lang)))) {
			free(full);
			full = NULL;
		}
		free(rel);
		if (!full)
			continue;
		it->media[it->n_media++] = (struct item_media){
			.lang = xstrdup(lang), .path = full,
		};
	}
}

/* One caption object of a gallery picture: language tag -> text. */
static void parse_caption(struct item_load *ld, json_t *obj, size_t index,
			  struct item_picture *pic)
{
	if (!json_is_object(obj)) {
		report(ld, DIAG_ERROR, AT_VALUE,
		       P(JK("pictures"), JI(index), JK("caption")),
		       "\"caption\" must be an object of language tag: text");
		return;
	}
	pic->captions = xcalloc(json_object_size(obj) + 1, sizeof *pic->captions);
	const char *lang;
	json_t *val;
	json_object_foreach(obj, lang, val) {
		if (!lang_find(ld->langs, lang)) {
			report(ld, DIAG_ERROR, AT_KEY,
			       P(JK("pictures"), JI(index), JK("caption"), JK(lang)),
			       "unknown language \"%s\" (not in languages.json)", lang);
			continue;
		}
		char *text = json_is_string(val) ? trim_dup(json_string_value(val)) : NULL;
		if (!text) {
			report(ld, DIAG_ERROR, AT_VALUE,
			       P(JK("pictures"), JI(index), JK("caption"), JK(lang)),
			       "caption in \"%s\" must be a non-empty string", lang);
			continue;
		}
		pic->captions[pic->n_captions++] = (struct item_caption){
			.lang = xstrdup(lang), .text = text,
		};
	}
}

/* A gallery's "pictures": [ { "file": ..., "caption": { ... } } ]. The
 * first picture also stands as the item's media (thumbnails, the attract
 * loop). */
static void parse_pictures(struct item_load *ld, json_t *root, struct item *it)
{
	json_t *arr = json_object_get(root, "pictures");
	if (!arr) {
		report(ld, DIAG_ERROR, AT_VALUE, NULL, 0,
		       "a gallery needs \"pictures\"");
		return;
	}
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		report(ld, DIAG_ERROR, AT_VALUE, P(JK("pictures")),
		       "\"pictures\" must be a non-empty array of "
		       "{ \"file\": ..., \"caption\": { ... } }");
		return;
	}
	if (json_object_get(root, "media"))
		report(ld, DIAG_WARNING, AT_KEY, P(JK("media")),
		       "a gallery's files are its \"pictures\"; \"media\" is ignored");
	it->pictures = xcalloc(json_array_size(arr), sizeof *it->pictures);
	size_t i;
	json_t *entry;
	json_array_foreach(arr, i, entry) {
		if (!json_is_object(entry)) {
			report(ld, DIAG_ERROR, AT_VALUE, P(JK("pictures"), JI(i)),
			       "a picture must be { \"file\": ..., \"caption\": { ... } }");
			continue;
		}
		json_t *file = json_object_get(entry, "file");
		char *rel = file && json_is_string(file)
				    ? trim_dup(json_string_value(file)) : NULL;
		if (!rel) {
			report(ld, DIAG_ERROR, AT_VALUE, P(JK("pictures"), JI(i)),
			       "a picture needs \"file\", a non-empty file name");
			continue;
		}
		char *full = item_file(ld, rel, P(JK("pictures"), JI(i), JK("file")),
				       "picture");
		if (full && !probe_kind(ld, full, rel, ITEM_GALLERY, false,
					P(JK("pictures"), JI(i), JK("file")))) {
			free(full);
			full = NULL;
		}
		free(rel);
		if (!full)
			continue;
		struct item_picture *pic = &it->pictures[it->n_pictures++];
		pic->path = full;
		json_t *cap = json_object_get(entry, "caption");
		if (cap)
			parse_caption(ld, cap, i, pic);
	}
	if (it->n_pictures > 0) {
		it->media = xcalloc(1, sizeof *it->media);
		it->media[0] = (struct item_media){
			.lang = xstrdup(ld->langs->default_tag),
			.path = xstrdup(it->pictures[0].path),
		};
		it->n_media = 1;
	}
}

/* An optional non-blank string; NULL when absent or after reporting. */
static char *optional_string(struct item_load *ld, json_t *root,
			     const char *key)
{
	json_t *v = json_object_get(root, key);
	if (!v)
		return NULL;
	char *s = json_is_string(v) ? trim_dup(json_string_value(v)) : NULL;
	if (!s)
		report(ld, DIAG_ERROR, AT_VALUE, P(JK(key)),
		       "\"%s\" must be a non-empty string", key);
	return s;
}

/* ------------------------------------------------------------------ */
/* Ids seen so far                                                     */
/* ------------------------------------------------------------------ */

/* Open-addressing set of ids, each with the folder that claimed it. */
struct id_set {
	char **ids;
	char **folders;
	size_t cap;   /* power of two */
};

static void id_set_init(struct id_set *set, size_t n)
{
	set->cap = 16;
	while (set->cap < 2 * n + 1)
		set->cap *= 2;
	set->ids = xcalloc(set->cap, sizeof *set->ids);
	set->folders = xcalloc(set->cap, sizeof *set->folders);
}

static void id_set_finish(struct id_set *set)
{
	for (size_t i = 0; i < set->cap; i++) {
		free(set->ids[i]);
		free(set->folders[i]);
	}
	free(set->ids);
	free(set->folders);
}

/* Claim id for folder. Returns NULL when it was free, else the folder that
 * has it. The set never fills: it has room for twice the folder count. */
static const char *id_set_claim(struct id_set *set, const char *id,
				const char *folder)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *s = id; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	for (size_t i = (size_t)h & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
		if (!set->ids[i]) {
			set->ids[i] = xstrdup(id);
			set->folders[i] = xstrdup(folder);
			return NULL;
		}
		if (strcmp(set->ids[i], id) == 0)
			return set->folders[i];
	}
}

/* ------------------------------------------------------------------ */
/* Items                                                               */
/* ------------------------------------------------------------------ */

static void parse_item(struct item_load *ld, json_t *root, struct id_set *ids,
		       struct item *it)
{
	check_keys(ld, root);

	json_t *id = json_object_get(root, "id");
	if (!id) {
		report(ld, DIAG_ERROR, AT_VALUE, NULL, 0,
		       "missing required key \"id\"");
	} else if (!json_is_string(id) || !id_valid(json_string_value(id))) {
		report(ld, DIAG_ERROR, AT_VALUE, P(JK("id")),
		       "id must be 1-%d characters of a-z, 0-9 and '-', not "
		       "starting with '-'", ID_MAX_LEN);
	} else {
		const char *other = id_set_claim(ids, json_string_value(id),
						 ld->folder);
		if (other)
			report(ld, DIAG_ERROR, AT_VALUE, P(JK("id")),
			       "duplicate id \"%s\" (already used by %s)",
			       json_string_value(id), other);
		it->id = xstrdup(json_string_value(id));
	}

	json_t *type = json_object_get(root, "type");
	int t = json_is_string(type) ? item_type_parse(json_string_value(type))
				     : -1;
	if (!type)
		report(ld, DIAG_ERROR, AT_VALUE, NULL, 0,
		       "missing required key \"type\"");
	else if (t < 0)
		report(ld, DIAG_ERROR, AT_VALUE, P(JK("type")),
		       "type must be one of \"video\", \"audio\", \"poster\", "
		       "\"leaflet\", \"gallery\"");
	else
		it->type = (enum item_type)t;

	parse_texts(ld, root, "title", it);
	parse_texts(ld, root, "summary", it);
	parse_topics(ld, root, it);
	parse_featured(ld, root, it);
	if (t == ITEM_GALLERY)
		parse_pictures(ld, root, it);
	else
		parse_media(ld, root, it, t >= 0);

	json_t *subs = json_object_get(root, "subtitles");
	if (subs && !json_is_boolean(subs))
		report(ld, DIAG_ERROR, AT_VALUE, P(JK("subtitles")),
		       "\"subtitles\" must be true or false");
	it->subtitles_off = subs && json_is_false(subs);

	char *thumb = optional_string(ld, root, "thumbnail");
	if (thumb) {
		it->thumbnail = item_file(ld, thumb, P(JK("thumbnail")),
					  "thumbnail");
		if (it->thumbnail &&
		    !probe_kind(ld, it->thumbnail, thumb, it->type, true,
				P(JK("thumbnail")))) {
			free(it->thumbnail);
			it->thumbnail = NULL;
		}
		free(thumb);
	}
	it->source = optional_string(ld, root, "source");
}

/* Load folder/item.json into *it. Returns false (with every problem
 * reported) when the item has errors; *it is then empty. */
static bool load_item(struct item_load *ld, struct id_set *ids, struct item *it)
{
	memset(it, 0, sizeof *it);
	struct stat st;
	if (stat(ld->file, &st) == 0 && !S_ISREG(st.st_mode)) {
		report(ld, DIAG_ERROR, AT_VALUE, NULL, 0,
		       "item.json is not a regular file");
		return false;
	}
	size_t len = 0;
	char *text = file_read_all(ld->file, &len);
	if (!text) {
		report(ld, DIAG_ERROR, AT_VALUE, NULL, 0, "cannot read: %s",
		       strerror(errno));
		return false;
	}
	size_t bad;
	if (!utf8_valid(text, len, &bad)) {
		int line, col;
		json_line_col(text, text + bad, &line, &col);
		diag_add(ld->diags, DIAG_ERROR, ld->file, line, col,
			 "invalid UTF-8 (byte 0x%02X)", (unsigned char)text[bad]);
		snprintf(ld->first_error, sizeof ld->first_error,
			 "%d:%d: invalid UTF-8", line, col);
		ld->errors++;
		free(text);
		return false;
	}
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		diag_add(ld->diags, DIAG_ERROR, ld->file, jerr.line, jerr.column,
			 "invalid JSON: %s", jerr.text);
		snprintf(ld->first_error, sizeof ld->first_error,
			 "%d:%d: invalid JSON: %.160s", jerr.line, jerr.column,
			 jerr.text);
		ld->errors++;
		free(text);
		return false;
	}
	ld->text = text;
	ld->len = len;
	it->dir = xstrdup(ld->folder);
	if (!json_is_object(root))
		report(ld, DIAG_ERROR, AT_VALUE, NULL, 0,
		       "the top level of item.json must be an object");
	else
		parse_item(ld, root, ids, it);
	json_decref(root);
	ld->text = NULL;
	free(text);
	free(ld->folder_real);
	ld->folder_real = NULL;
	if (ld->errors) {
		item_finish(it);
		return false;
	}
	return true;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_items(const void *a, const void *b)
{
	return strcmp(((const struct item *)a)->id, ((const struct item *)b)->id);
}

/* The names of the sub-directories of dir worth looking at, sorted. */
static char **list_folders(const char *dir, size_t *n_out)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	size_t n = 0, cap = 64;
	char **names = xmalloc(cap * sizeof *names);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, CATALOG_QUIZ_FOLDER))
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN &&
		    de->d_type != DT_LNK)
			continue;
		if (n == cap) {
			cap *= 2;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	*n_out = n;
	return names;
}

struct catalog *catalog_load(const char *dir, const struct lang_registry *langs,
			     unsigned flags, struct diag_list *diags)
{
	size_t n_names = 0;
	char **names = list_folders(dir, &n_names);
	if (!names) {
		diag_add(diags, DIAG_ERROR, dir, 0, 0,
			 "cannot read the library folder: %s", strerror(errno));
		log_error("%s: cannot read the library folder: %s", dir,
			  strerror(errno));
		return NULL;
	}
	struct catalog *cat = xcalloc(1, sizeof *cat);
	cat->root = xstrdup(dir);
	cat->items = xcalloc(n_names, sizeof *cat->items);
	struct id_set ids;
	id_set_init(&ids, n_names);
	size_t skipped = 0;
	for (size_t i = 0; i < n_names; i++) {
		char *folder = path_join(dir, names[i]);
		char *file = path_join(folder, "item.json");
		free(names[i]);
		if (!dir_exists(folder)) {
			free(folder);
			free(file);
			continue;
		}
		struct stat st;
		if (stat(file, &st) != 0 && errno == ENOENT) {
			diag_add(diags, DIAG_WARNING, folder, 0, 0,
				 "no item.json; folder ignored");
			log_warn("%s: no item.json; folder ignored", folder);
			free(folder);
			free(file);
			continue;
		}
		struct item_load ld = {
			.file = file, .folder = folder, .flags = flags,
			.langs = langs, .diags = diags,
		};
		if (load_item(&ld, &ids, &cat->items[cat->n_items]))
			cat->n_items++;
		else {
			skipped++;
			log_warn("%s: item left out (%u error%s, first at %s)",
				 file, ld.errors, ld.errors == 1 ? "" : "s",
				 ld.first_error);
		}
		free(folder);
		free(file);
	}
	free(names);
	id_set_finish(&ids);
	qsort(cat->items, cat->n_items, sizeof *cat->items, cmp_items);
	log_info("%s: %zu items loaded, %zu left out", dir, cat->n_items,
		 skipped);
	return cat;
}

void catalog_destroy(struct catalog *cat)
{
	if (!cat)
		return;
	for (size_t i = 0; i < cat->n_items; i++)
		item_finish(&cat->items[i]);
	free(cat->items);
	free(cat->root);
	free(cat);
}

const struct item *catalog_find(const struct catalog *cat, const char *id)
{
	if (!cat || !id || cat->n_items == 0)
		return NULL;
	struct item key = { .id = (char *)id };
	return bsearch(&key, cat->items, cat->n_items, sizeof *cat->items,
		       cmp_items);
}

const struct item_text *item_text_for(const struct item *item,
				      const char *const *chain, size_t n,
				      bool *translated)
{
	for (size_t c = 0; c < n; c++) {
		for (size_t i = 0; i < item->n_texts; i++) {
			if (strcmp(item->texts[i].lang, chain[c]) == 0) {
				if (translated)
					*translated = c == 0;
				return &item->texts[i];
			}
		}
	}
	/* texts[0] is the default language. */
	if (translated)
		*translated = false;
	return item->n_texts ? &item->texts[0] : NULL;
}

const struct item_media *item_media_for(const struct item *item,
					const char *const *chain, size_t n,
					bool *translated)
{
	for (size_t c = 0; c < n; c++) {
		for (size_t i = 0; i < item->n_media; i++) {
			if (strcmp(item->media[i].lang, chain[c]) == 0) {
				if (translated)
					*translated = c == 0;
				return &item->media[i];
			}
		}
	}
	/* No media in any language of the chain (not even the default):
	 * something is better than nothing. */
	if (translated)
		*translated = false;
	return item->n_media ? &item->media[0] : NULL;
}

const char *item_picture_caption(const struct item_picture *pic,
				 const char *const *chain, size_t n,
				 bool *translated)
{
	for (size_t c = 0; c < n; c++) {
		for (size_t i = 0; i < pic->n_captions; i++) {
			if (strcmp(pic->captions[i].lang, chain[c]) == 0) {
				if (translated)
					*translated = c == 0;
				return pic->captions[i].text;
			}
		}
	}
	if (translated)
		*translated = false;
	return NULL;
}

bool item_has_topic(const struct item *item, const char *topic_id)
{
	for (size_t i = 0; i < item->n_topics; i++) {
		if (strcmp(item->topics[i], topic_id) == 0)
			return true;
	}
	return false;
}

bool item_featured_on(const struct item *item, int64_t day)
{
	int md = month_day_of(day);
	for (size_t i = 0; i < item->n_featured; i++) {
		const struct item_window *w = &item->featured[i];
		if (w->yearly) {
			bool in = w->from_md <= w->to_md
					  ? md >= w->from_md && md <= w->to_md
					  : md >= w->from_md || md <= w->to_md;
			if (in)
				return true;
		} else if (day >= w->from_day && day <= w->to_day) {
			return true;
		}
	}
	return false;
}

const char *item_type_name(enum item_type type)
{
	if ((unsigned)type >= ITEM_TYPE_COUNT)
		return "unknown";
	return type_names[type];
}

int item_type_parse(const char *name)
{
	for (int i = 0; name && i < ITEM_TYPE_COUNT; i++) {
		if (strcmp(name, type_names[i]) == 0)
			return i;
	}
	return -1;
}
