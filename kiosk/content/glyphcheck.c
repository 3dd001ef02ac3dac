/*
 * glyphcheck: which characters of a text no configured font can draw
 * (see glyphcheck.h).
 */
#include "content/glyphcheck.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_ttf.h>

#include "base/log.h"
#include "base/util.h"
#include "ui/fontset.h"

/* Fonts are only asked which characters they have; any size will do. */
#define GLYPHCHECK_SIZE_PX 16

/* Undrawable characters named per line at most (the rest of a line of
 * garbage adds nothing). */
#define GLYPHCHECK_MAX_PER_LINE 16

struct glyphcheck {
	struct fontset *fonts;
	char *names;          /* "NotoSans-Regular.ttf, DejaVuSans.ttf" */
	bool ttf;             /* holds an SDL_ttf reference */
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

struct glyphcheck *glyphcheck_create(const char *const *paths, size_t n,
				     struct diag_list *diags)
{
	struct glyphcheck *gc = xcalloc(1, sizeof *gc);
	gc->fonts = fontset_create(GLYPHCHECK_SIZE_PX);
	gc->names = xstrdup("");
	if (TTF_Init() != 0) {
		log_error("cannot start SDL_ttf: %s", TTF_GetError());
		return gc;
	}
	gc->ttf = true;
	for (size_t i = 0; i < n; i++) {
		if (!paths[i] || !*paths[i])
			continue;
		TTF_Font *f = TTF_OpenFont(paths[i], GLYPHCHECK_SIZE_PX);
		if (!f) {
			diag_add(diags, DIAG_WARNING, paths[i], 0, 0,
				 "cannot open font (%s); characters are checked "
				 "against the other fonts", TTF_GetError());
			continue;
		}
		fontset_add_font_take(gc->fonts, f);
		char *names = *gc->names ? xasprintf("%s, %s", gc->names,
						     base_name(paths[i]))
					 : xstrdup(base_name(paths[i]));
		free(gc->names);
		gc->names = names;
	}
	return gc;
}

void glyphcheck_destroy(struct glyphcheck *gc)
{
	if (!gc)
		return;
	fontset_destroy(gc->fonts);
	free(gc->names);
	if (gc->ttf)
		TTF_Quit();
	free(gc);
}

size_t glyphcheck_font_count(const struct glyphcheck *gc)
{
	return fontset_count(gc->fonts);
}

const char *glyphcheck_font_names(const struct glyphcheck *gc)
{
	return gc->names;
}

bool glyphcheck_drawable(struct glyphcheck *gc, uint32_t cp)
{
	return fontset_needs_no_glyph(cp) || fontset_find(gc->fonts, cp) >= 0;
}

/* Does one font provide every character of the cluster s[0..len) that
 * needs a glyph? */
static bool one_font_has_all(struct glyphcheck *gc, const char *s, size_t len)
{
	for (size_t f = 0; f < fontset_count(gc->fonts); f++) {
		TTF_Font *font = fontset_font(gc->fonts, f);
		bool all = true;
		for (size_t i = 0; i < len && all;) {
			uint32_t cp;
			i += (size_t)utf8_decode(s + i, len - i, &cp);
			all = fontset_needs_no_glyph(cp) ||
			      TTF_GlyphIsProvided32(font, cp);
		}
		if (all)
			return true;
	}
	return false;
}

size_t glyphcheck_text(struct glyphcheck *gc, const char *s, size_t len,
		       uint32_t *bad, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		size_t end = fontset_cluster_end(s, len, i);
		if (one_font_has_all(gc, s + i, end - i)) {
			i = end;
			continue;
		}
		while (i < end) {
			uint32_t cp;
			int step = utf8_decode(s + i, end - i, &cp);
			bool invalid = cp == 0xFFFD &&
				       !(step == 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0);
			i += (size_t)step;
			if (invalid || glyphcheck_drawable(gc, cp))
				continue;
			bool seen = false;
			for (size_t k = 0; k < n && k < max && !seen; k++)
				seen = bad[k] == cp;
			if (seen)
				continue;
			if (n < max)
				bad[n] = cp;
			n++;
		}
	}
	return n;
}

size_t glyphcheck_report(struct glyphcheck *gc, const char *s, size_t len,
			 const char *file, int line, struct diag_list *diags)
{
	uint32_t bad[GLYPHCHECK_MAX_PER_LINE];
	size_t n = glyphcheck_text(gc, s, len, bad, ARRAY_LEN(bad));
	if (n > ARRAY_LEN(bad))
		n = ARRAY_LEN(bad);
	for (size_t k = 0; k < n; k++) {
		/* the character itself, as UTF-8 */
		char c[5] = { 0 };
		uint32_t cp = bad[k];
		if (cp < 0x80) {
			c[0] = (char)cp;
		} else if (cp < 0x800) {
			c[0] = (char)(0xC0 | (cp >> 6));
			c[1] = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			c[0] = (char)(0xE0 | (cp >> 12));
			c[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			c[2] = (char)(0x80 | (cp & 0x3F));
		} else {
			c[0] = (char)(0xF0 | (cp >> 18));
			c[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
			c[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
			c[3] = (char)(0x80 | (cp & 0x3F));
		}
		diag_add(diags, DIAG_WARNING, file, line, 0,
			 "character U+%04X '%s' cannot be drawn by any "
			 "configured font (fonts: %s)", (unsigned)cp, c,
			 gc->names);
	}
	return n;
}

/* Call fn for each line of text[0..len) (without its line end: LF, CRLF
 * or CR), numbered from 1. */
static void for_each_line(const char *text, size_t len,
			  void (*fn)(void *ctx, const char *line, size_t n,
				     int lineno),
			  void *ctx)
{
	int lineno = 0;
	size_t i = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && text[e] != '\n' && text[e] != '\r')
			e++;
		fn(ctx, text + i, e - i, ++lineno);
		if (e < len && text[e] == '\r' && e + 1 < len && text[e + 1] == '\n')
			e++;
		i = e + 1;
	}
}

struct file_check {
	struct glyphcheck *gc;
	const char *path;
	struct diag_list *diags;
};

static void check_line(void *ctx, const char *line, size_t n, int lineno)
{
	struct file_check *fc = ctx;
	glyphcheck_report(fc->gc, line, n, fc->path, lineno, fc->diags);
}

bool glyphcheck_file(struct glyphcheck *gc, const char *path,
		     struct diag_list *diags)
{
	size_t len;
	char *text = file_read_all(path, &len);
	if (!text)
		return false;
	struct file_check fc = { gc, path, diags };
	for_each_line(text, len, check_line, &fc);
	free(text);
	return true;
}

/* ------------------------------------------------------------------ */
/* PO files                                                            */
/* ------------------------------------------------------------------ */

/* Where the PO reader is within an entry. */
enum po_part { PO_NONE = 0, PO_MSGID, PO_MSGSTR, PO_OTHER };

struct po_check {
	struct file_check fc;
	enum po_part part;     /* what a "..." continuation line belongs to */
	bool fuzzy;            /* "#, fuzzy" seen for this entry */
	bool msgid_text;       /* the msgid is not empty (not the header) */
};

static bool starts_with(const char *s, size_t n, const char *prefix)
{
	size_t p = strlen(prefix);
	return n >= p && memcmp(s, prefix, p) == 0;
}

/* The quoted part of a PO line: from after the first '"' to before the
 * last one. */
static void quoted(const char *s, size_t n, const char **q, size_t *qn)
{
	const char *open = memchr(s, '"', n);
	const char *close = s + n;
	while (close > s && close[-1] != '"')
		close--;
	if (!open || close <= open + 1) {
		*q = s;
		*qn = 0;
		return;
	}
	*q = open + 1;
	*qn = (size_t)(close - 1 - *q);
}

/* Does s[0..n) contain word? */
static bool contains(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);
	for (size_t i = 0; i + w <= n; i++)
		if (memcmp(s + i, word, w) == 0)
			return true;
	return false;
}

static void check_po_line(void *ctx, const char *line, size_t n, int lineno)
{
	struct po_check *pc = ctx;
	while (n > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	const char *q;
	size_t qn;
	bool starts_entry = n > 0 && (line[0] == '#' ||
				      starts_with(line, n, "msgctxt") ||
				      (starts_with(line, n, "msgid") &&
				       !starts_with(line, n, "msgid_plural")));
	if (starts_entry && pc->part == PO_MSGSTR) {
		/* the next entry, without a blank line before it */
		pc->fuzzy = false;
		pc->msgid_text = false;
	}
	if (n == 0) {
		/* a blank line ends the entry */
		pc->part = PO_NONE;
		pc->fuzzy = false;
		pc->msgid_text = false;
	} else if (line[0] == '#') {
		if (starts_with(line, n, "#,") && contains(line, n, "fuzzy"))
			pc->fuzzy = true;
		pc->part = PO_OTHER;  /* includes "#~" obsolete entries */
	} else if (starts_with(line, n, "msgid_plural")) {
		pc->part = PO_OTHER;
	} else if (starts_with(line, n, "msgid")) {
		quoted(line, n, &q, &qn);
		pc->msgid_text = qn > 0;
		pc->part = PO_MSGID;
	} else if (starts_with(line, n, "msgstr")) {
		pc->part = PO_MSGSTR;
		quoted(line, n, &q, &qn);
		if (!pc->fuzzy && pc->msgid_text)
			glyphcheck_report(pc->fc.gc, q, qn, pc->fc.path, lineno,
					  pc->fc.diags);
	} else if (line[0] == '"') {
		quoted(line, n, &q, &qn);
		if (pc->part == PO_MSGID && qn > 0)
			pc->msgid_text = true;
		else if (pc->part == PO_MSGSTR && !pc->fuzzy && pc->msgid_text)
			glyphcheck_report(pc->fc.gc, q, qn, pc->fc.path, lineno,
					  pc->fc.diags);
	} else {
		pc->part = PO_OTHER;   /* msgctxt */
	}
}

bool glyphcheck_po_file(struct glyphcheck *gc, const char *path,
			struct diag_list *diags)
{
	size_t len;
	char *text = file_read_all(path, &len);
	if (!text)
		return false;
	struct po_check pc = { .fc = { gc, path, diags } };
	for_each_line(text, len, check_po_line, &pc);
	free(text);
	return true;
}
