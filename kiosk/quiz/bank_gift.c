/*
 * bank_gift: the Moodle GIFT loader: multiple-choice and true/false
 * questions from a GIFT file into a quiz bank (see bank.h; the subset
 * teachers may use is documented in content/QUIZ-BANKS.md).
 *
 * A file is read the way Moodle's own importer (question/format/gift)
 * reads it, so that a bank means on the kiosk what it means in Moodle:
 *   - lines are trimmed; a blank line ends a question whatever braces are
 *     open; a line starting with // is a comment; a UTF-8 byte order mark
 *     is skipped; lines may end in LF, CR LF or CR;
 *   - "$CATEGORY: a/b/c" sets the category of the questions after it;
 *   - "::name::" starts a question; the first unescaped '{' and the next
 *     '}' hold the answers; text after the '}' makes it a missing-word
 *     question ("_____" stands for the gap);
 *   - the last "####" in the answers starts the general feedback;
 *   - the type is decided in Moodle's order: {} essay, {#...} numerical,
 *     any '~' multiple choice, '=' with "->" matching, T/TRUE/F/FALSE
 *     true/false, anything else short answer; no braces: a description;
 *   - each text may start with [moodle], [html], [plain] or [markdown];
 *     answers and feedback default to the question text's format.
 * The texts are then made into what a visitor sees. Moodle shows [moodle]
 * and [plain] text with its line breaks (newlines become <br>) and lets
 * the browser re-flow [html] and [markdown] text; we keep or join lines
 * the same way. Tags are removed, <br> and paragraphs become line breaks,
 * entities are decoded, and the first <img> of a question's text becomes
 * its picture.
 *
 * Where we part from Moodle, it is to read what the teacher meant rather
 * than fail quietly: {true} and {false} in any case are true/false (Moodle
 * makes them short answers); a weight after '=' counts ("=%50%" is half
 * right, Moodle keeps "%50%" as text); a "$CATEGORY:" line needs no blank
 * line before it; an unclosed "::name" or a second "{...}" is an error
 * instead of text. An unnamed question's id counts every question of the
 * file, skipped ones too, so fixing one does not renumber the others.
 *
 * Each question is parsed over its own text (its non-comment lines joined
 * with '\n'), with a table mapping offsets back to lines and columns of
 * the file, so problems are reported where they are.
 */
#include "quiz/bank.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "content/topics.h"
#include "i18n/vnkey.h"

/* ------------------------------------------------------------------ */
/* Growing strings and string lists                                    */
/* ------------------------------------------------------------------ */

struct sbuf {
	char *s;
	size_t len, cap;
};

/* Append n bytes; the buffer stays NUL-terminated. */
static void sbuf_putn(struct sbuf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (b->len + n + 1 > cap)
			cap *= 2;
		b->s = xrealloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sbuf_putc(struct sbuf *b, char c)
{
	sbuf_putn(b, &c, 1);
}

/* Append the code point cp (a Unicode scalar value) as UTF-8. */
static void sbuf_put_cp(struct sbuf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sbuf_putn(b, u, n);
}

/* Hand over the string built ("" when nothing was added). */
static char *sbuf_take(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	memset(b, 0, sizeof *b);
	return s;
}

struct strlist {
	char **v;
	size_t n;
};

/* Append s, taking it. */
static void strlist_push(struct strlist *l, char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = s;
}

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------------ */
/* Small text helpers                                                  */
/* ------------------------------------------------------------------ */

/* The white space Moodle trims from lines and texts. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Narrow s[*a..*b) to leave out white space at both ends. */
static void span_trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && is_space(s[*a]))
		(*a)++;
	while (*b > *a && is_space(s[*b - 1]))
		(*b)--;
}

static bool is_nbsp(const char *s)
{
	return (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0;
}

/* Trim s in place: white space and no-break spaces at both ends. */
static void str_trim(char *s)
{
	size_t a = 0, b = strlen(s);
	for (;;) {
		if (a < b && is_space(s[a]))
			a++;
		else if (b - a >= 2 && is_nbsp(s + a))
			a += 2;
		else
			break;
	}
	for (;;) {
		if (b > a && is_space(s[b - 1]))
			b--;
		else if (b - a >= 2 && is_nbsp(s + b - 2))
			b -= 2;
		else
			break;
	}
	memmove(s, s + a, b - a);
	s[b - a] = '\0';
}

/* Replace every run of white space in s by one space, and trim it. */
static void str_collapse(char *s)
{
	size_t w = 0;
	bool gap = false;
	for (size_t r = 0; s[r]; r++) {
		if (is_space(s[r])) {
			gap = w > 0;
			continue;
		}
		if (gap)
			s[w++] = ' ';
		gap = false;
		s[w++] = s[r];
	}
	s[w] = '\0';
}

/* Does s[a..b) hold the text word, ASCII case ignored? */
static bool span_is(const char *s, size_t a, size_t b, const char *word)
{
	size_t n = strlen(word);
	return b - a == n && strncasecmp(s + a, word, n) == 0;
}

/* ------------------------------------------------------------------ */
/* A question's text and where its bytes are in the file               */
/* ------------------------------------------------------------------ */

/* One line of a question, as it sits in the question's text. */
struct src_line {
	size_t start;      /* offset in the question's text */
	int line;          /* 1-based line in the file */
	const char *raw;   /* the whole line in the file buffer */
	size_t lead;       /* bytes of white space trimmed from its start */
};

/* A question (or category) block: its non-comment lines, trimmed and
 * joined with '\n'. */
struct gift_src {
	struct sbuf text;
	struct src_line *lines;
	size_t n_lines, cap;
	int bad_line, bad_col;   /* the first byte that is not UTF-8, or 0 */
};

/* The 1-based column (in characters) of byte off of a line. */
static int column_of(const char *raw, size_t off)
{
	int col = 1;
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)raw[i] & 0xC0) != 0x80)
			col++;
	return col;
}

/* Add the line raw[lead..lead+len), checking that it is UTF-8. */
static void src_add(struct gift_src *src, const char *raw, size_t lead,
		    size_t len, int line)
{
	if (src->n_lines == src->cap) {
		src->cap = src->cap ? src->cap * 2 : 16;
		src->lines = xrealloc(src->lines, src->cap * sizeof *src->lines);
	}
	if (src->n_lines > 0)
		sbuf_putc(&src->text, '\n');
	src->lines[src->n_lines++] = (struct src_line){
		.start = src->text.len, .line = line, .raw = raw, .lead = lead,
	};
	sbuf_putn(&src->text, raw + lead, len);

	size_t bad = len;
	const char *nul = memchr(raw + lead, '\0', len);
	if (!utf8_valid(raw + lead, len, &bad) || nul) {
		if (nul && (size_t)(nul - raw - lead) < bad)
			bad = (size_t)(nul - raw - lead);
		if (!src->bad_line) {
			src->bad_line = line;
			src->bad_col = column_of(raw, lead + bad);
		}
	}
}

/* Empty src for the next block, keeping its memory. */
static void src_clear(struct gift_src *src)
{
	src->text.len = 0;
	if (src->text.s)
		src->text.s[0] = '\0';
	src->n_lines = 0;
	src->bad_line = src->bad_col = 0;
}

static void src_free(struct gift_src *src)
{
	free(src->text.s);
	free(src->lines);
	memset(src, 0, sizeof *src);
}

/* The file line and column of offset off of the question's text. */
static void src_locate(const struct gift_src *src, size_t off, int *line,
		       int *col)
{
	size_t k = 0;
	while (k + 1 < src->n_lines && src->lines[k + 1].start <= off)
		k++;
	const struct src_line *l = &src->lines[k];
	*line = l->line;
	*col = column_of(l->raw, l->lead + (off - l->start));
}

/* ------------------------------------------------------------------ */
/* GIFT escapes                                                        */
/* ------------------------------------------------------------------ */

/* Characters a backslash escapes; "\n" stands for a line break. */
static bool gift_escapable(char c)
{
	return c != '\0' && strchr("~=#{}:\\n", c) != NULL;
}

/* Offset of the first unescaped occurrence of seq in s[a..b), else b. */
static size_t find_seq(const char *s, size_t a, size_t b, const char *seq)
{
	size_t n = strlen(seq);
	for (size_t i = a; i < b; i++) {
		if (s[i] == '\\' && i + 1 < b && gift_escapable(s[i + 1])) {
			i++;
			continue;
		}
		if (b - i >= n && memcmp(s + i, seq, n) == 0)
			return i;
	}
	return b;
}

/* Offset of the last unescaped occurrence of seq in s[a..b), else b. */
static size_t find_last_seq(const char *s, size_t a, size_t b,
			    const char *seq)
{
	size_t last = b;
	for (size_t p = find_seq(s, a, b, seq); p < b;
	     p = find_seq(s, p + 1, b, seq))
		last = p;
	return last;
}

/* Offset of the first unescaped character of set in s[a..b), else b. */
static size_t find_any(const char *s, size_t a, size_t b, const char *set)
{
	for (size_t i = a; i < b; i++) {
		if (s[i] == '\\' && i + 1 < b && gift_escapable(s[i + 1])) {
			i++;
			continue;
		}
		if (strchr(set, s[i]))
			return i;
	}
	return b;
}

/* s[a..b) with its escapes replaced ("\~" -> "~", "\n" -> line break).
 * A backslash before any other character is kept, as Moodle does. */
static char *unescape(const char *s, size_t a, size_t b)
{
	struct sbuf out = { 0 };
	for (size_t i = a; i < b; i++) {
		if (s[i] == '\\' && i + 1 < b && gift_escapable(s[i + 1])) {
			i++;
			sbuf_putc(&out, s[i] == 'n' ? '\n' : s[i]);
		} else {
			sbuf_putc(&out, s[i]);
		}
	}
	return sbuf_take(&out);
}

/* ------------------------------------------------------------------ */
/* Text formats                                                        */
/* ------------------------------------------------------------------ */

enum gift_format {
	GIFT_MOODLE,      /* HTML allowed; line ends are line breaks */
	GIFT_HTML,        /* HTML; line ends are spaces */
	GIFT_PLAIN,       /* shown as written, tags and all */
	GIFT_MARKDOWN,    /* a line end is a space, a blank line a break */
};

/* Read a "[html]"-style prefix at s[*a] and step over it. Returns its
 * format, or dflt when there is none (an unknown word in brackets is
 * text, as in Moodle). */
static enum gift_format take_format(const char *s, size_t *a, size_t b,
				    enum gift_format dflt)
{
	static const struct {
		const char *name;
		enum gift_format format;
	} names[] = {
		{ "moodle", GIFT_MOODLE }, { "html", GIFT_HTML },
		{ "plain", GIFT_PLAIN }, { "markdown", GIFT_MARKDOWN },
	};
	if (*a >= b || s[*a] != '[')
		return dflt;
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		size_t n = strlen(names[i].name);
		if (b - *a >= n + 2 && s[*a + 1 + n] == ']' &&
		    strncasecmp(s + *a + 1, names[i].name, n) == 0) {
			*a += n + 2;
			return names[i].format;
		}
	}
	return dflt;
}

/* ------------------------------------------------------------------ */
/* HTML entities                                                       */
/* ------------------------------------------------------------------ */

/* The names of U+00A0..U+00FF, in order (HTML 4's Latin-1 set, which
 * covers the Vietnamese vowels older editors wrote as entities). */
static const char *const latin1_names[96] = {
	"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
	"uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
	"deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
	"cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
	"Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil",
	"Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
	"ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times",
	"Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
	"agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
	"egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
	"eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide",
	"oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
};

/* Other named entities editors write. */
static const struct {
	const char *name;
	uint32_t cp;
} html_names[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "ndash", 0x2013 }, { "mdash", 0x2014 },
	{ "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "sbquo", 0x201A },
	{ "ldquo", 0x201C }, { "rdquo", 0x201D }, { "bdquo", 0x201E },
	{ "hellip", 0x2026 }, { "bull", 0x2022 }, { "euro", 0x20AC },
	{ "trade", 0x2122 }, { "minus", 0x2212 }, { "lsaquo", 0x2039 },
	{ "rsaquo", 0x203A }, { "larr", 0x2190 }, { "rarr", 0x2192 },
	{ "ensp", 0x2002 }, { "emsp", 0x2003 }, { "thinsp", 0x2009 },
	{ "OElig", 0x0152 }, { "oelig", 0x0153 }, { "Abreve", 0x0102 },
	{ "abreve", 0x0103 }, { "Dstrok", 0x0110 }, { "dstrok", 0x0111 },
	{ "Itilde", 0x0128 }, { "itilde", 0x0129 }, { "Utilde", 0x0168 },
	{ "utilde", 0x0169 },
};

/* The code point of the entity name s[0..n), or 0 when unknown. */
static uint32_t entity_by_name(const char *s, size_t n)
{
	for (size_t i = 0; i < ARRAY_LEN(latin1_names); i++)
		if (strlen(latin1_names[i]) == n &&
		    memcmp(latin1_names[i], s, n) == 0)
			return 0xA0 + (uint32_t)i;
	for (size_t i = 0; i < ARRAY_LEN(html_names); i++)
		if (strlen(html_names[i].name) == n &&
		    memcmp(html_names[i].name, s, n) == 0)
			return html_names[i].cp;
	return 0;
}

/* The length of the entity at s[i] == '&' ("&amp;", "&#7921;",
 * "&#x1EF1;"), with its code point in *cp; 0 when it is not one (the '&'
 * is then text, as browsers show it). */
static size_t html_entity(const char *s, size_t i, size_t n, uint32_t *cp)
{
	size_t p = i + 1;
	if (p < n && s[p] == '#') {
		unsigned base = 10;
		if (++p < n && (s[p] == 'x' || s[p] == 'X')) {
			base = 16;
			p++;
		}
		size_t first = p;
		uint32_t v = 0;
		for (; p < n; p++) {
			int c = (unsigned char)s[p];
			unsigned d;
			if (isdigit(c))
				d = (unsigned)(c - '0');
			else if (base == 16 && isxdigit(c))
				d = (unsigned)(tolower(c) - 'a' + 10);
			else
				break;
			if (v <= 0x10FFFF)
				v = v * base + d;
		}
		if (p == first || p >= n || s[p] != ';')
			return 0;
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			v = 0xFFFD;
		*cp = v;
		return p + 1 - i;
	}
	size_t first = p;
	while (p < n && p - first < 12 && isalnum((unsigned char)s[p]))
		p++;
	if (p == first || p >= n || s[p] != ';')
		return 0;
	*cp = entity_by_name(s + first, p - first);
	return *cp ? p + 1 - i : 0;
}

/* s[0..n) with its entities decoded (an attribute's value). */
static char *decode_entities(const char *s, size_t n)
{
	struct sbuf out = { 0 };
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = s[i] == '&' ? html_entity(s, i, n, &cp) : 0;
		if (len) {
			sbuf_put_cp(&out, cp);
			i += len;
		} else {
			sbuf_putc(&out, s[i++]);
		}
	}
	return sbuf_take(&out);
}

/* ------------------------------------------------------------------ */
/* HTML tags                                                           */
/* ------------------------------------------------------------------ */

/* The length of the tag at s[i] == '<' up to its '>', or 0 when the '<'
 * is text ("5 < 6", or a tag never closed). */
static size_t html_tag_len(const char *s, size_t i, size_t n)
{
	if (i + 1 >= n)
		return 0;
	char c = s[i + 1];
	if (!isalpha((unsigned char)c) && c != '/' && c != '!' && c != '?')
		return 0;
	if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
		for (size_t j = i + 4; j + 3 <= n; j++)
			if (memcmp(s + j, "-->", 3) == 0)
				return j + 3 - i;
		return 0;
	}
	char quote = 0;
	for (size_t j = i + 1; j < n; j++) {
		if (quote) {
			if (s[j] == quote)
				quote = 0;
		} else if (s[j] == '"' || s[j] == '\'') {
			quote = s[j];
		} else if (s[j] == '>') {
			return j + 1 - i;
		}
	}
	return 0;
}

/* The lower-case name of the tag tag[0..len) into name (size 16), and
 * whether it is a closing tag. */
static bool html_tag_name(const char *tag, size_t len, char name[16])
{
	size_t p = 1, k = 0;
	bool closing = p < len && tag[p] == '/';
	if (closing)
		p++;
	while (p < len && isalnum((unsigned char)tag[p]) && k < 15)
		name[k++] = (char)tolower((unsigned char)tag[p++]);
	name[k] = '\0';
	return closing;
}

/* The decoded value of attribute want of the tag tag[0..len), or NULL. */
static char *html_attr(const char *tag, size_t len, const char *want)
{
	size_t p = 1;
	while (p < len && (isalnum((unsigned char)tag[p]) || tag[p] == '/'))
		p++;
	while (p < len) {
		while (p < len && (is_space(tag[p]) || tag[p] == '/'))
			p++;
		size_t na = p;
		while (p < len && !is_space(tag[p]) && tag[p] != '=' &&
		       tag[p] != '>' && tag[p] != '/')
			p++;
		size_t nb = p;
		if (na == nb) {
			p++;
			continue;
		}
		while (p < len && is_space(tag[p]))
			p++;
		size_t va = p, vb = p;
		if (p < len && tag[p] == '=') {
			p++;
			while (p < len && is_space(tag[p]))
				p++;
			if (p < len && (tag[p] == '"' || tag[p] == '\'')) {
				char q = tag[p++];
				va = p;
				while (p < len && tag[p] != q)
					p++;
				vb = p;
				if (p < len)
					p++;
			} else {
				va = p;
				while (p < len && !is_space(tag[p]) && tag[p] != '>')
					p++;
				vb = p;
			}
		}
		if (span_is(tag, na, nb, want))
			return decode_entities(tag + va, vb - va);
	}
	return NULL;
}

/* Tags that start or end a paragraph-like block: a line break. */
static bool html_is_block(const char *name)
{
	static const char *const blocks[] = {
		"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
		"h6", "tr", "table", "blockquote", "pre", "hr", "dl", "dt",
		"dd", "section", "article", "header", "footer", "figure",
		"figcaption", "address", "center", "main", "nav", "aside",
	};
	for (size_t i = 0; i < ARRAY_LEN(blocks); i++)
		if (strcmp(blocks[i], name) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Texts as the visitor sees them                                      */
/* ------------------------------------------------------------------ */

/* Text being written out, with the white space still owed before the
 * next visible character. */
struct textout {
	struct sbuf b;
	bool space;    /* a space is owed */
	bool block;    /* a line break is owed (a block began or ended) */
};

/* Pay what is owed before a visible character. */
static void out_settle(struct textout *o)
{
	if (o->b.len > 0) {
		char last = o->b.s[o->b.len - 1];
		if (o->block) {
			if (last != '\n')
				sbuf_putc(&o->b, '\n');
		} else if (o->space && last != '\n') {
			sbuf_putc(&o->b, ' ');
		}
	}
	o->space = o->block = false;
}

/* A hard line break (<br>, or a line end in [moodle] text). Breaks at the
 * start are dropped, and at most one line is left blank. */
static void out_break(struct textout *o)
{
	bool block = o->block;
	o->space = o->block = false;
	size_t n = o->b.len;
	if (n == 0)
		return;
	if (block && o->b.s[n - 1] != '\n')
		sbuf_putc(&o->b, '\n');
	n = o->b.len;
	if (!(n >= 2 && o->b.s[n - 1] == '\n' && o->b.s[n - 2] == '\n'))
		sbuf_putc(&o->b, '\n');
}

/* A character decoded from an entity: white space is owed like spaces in
 * the text, other control characters are dropped. */
static void out_cp(struct textout *o, uint32_t cp)
{
	if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f') {
		o->space = true;
	} else if (cp >= 0x20 && cp != 0x7F) {
		out_settle(o);
		sbuf_put_cp(&o->b, cp);
	}
}

/* Act on the tag s[i..i+len): line breaks, blocks, pictures (their src
 * go to pics). Returns how many bytes to step over: more than len for
 * <script> and <style>, whose content is not text. */
static size_t html_tag(struct textout *o, const char *s, size_t i, size_t n,
		       size_t len, struct strlist *pics)
{
	char name[16];
	if (s[i + 1] == '!' || s[i + 1] == '?')
		return len;
	bool closing = html_tag_name(s + i, len, name);
	if (strcmp(name, "br") == 0) {
		out_break(o);
	} else if (html_is_block(name)) {
		o->block = true;
	} else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
		o->space = true;
	} else if (!closing && strcmp(name, "img") == 0) {
		char *src = html_attr(s + i, len, "src");
		strlist_push(pics, src ? src : xstrdup(""));
	} else if (!closing && (strcmp(name, "script") == 0 ||
				strcmp(name, "style") == 0)) {
		size_t k = strlen(name);
		for (size_t j = i + len; j + k + 2 <= n; j++)
			if (s[j] == '<' && s[j + 1] == '/' &&
			    strncasecmp(s + j + 2, name, k) == 0)
				return j - i;
		return n - i;
	}
	return len;
}

/* A line end in the text, at s[i]: a line break in [moodle] text (but a
 * space next to a tag, as Moodle's text_to_html has it), a space in
 * [html], a space or (for a blank line) a break in [markdown]. Returns
 * the offset after it. */
static size_t text_line_end(struct textout *o, const char *s, size_t i,
			    size_t n, enum gift_format format)
{
	if (format == GIFT_MOODLE) {
		if ((i + 1 < n && s[i + 1] == '<') || (i > 0 && s[i - 1] == '>'))
			o->space = true;
		else
			out_break(o);
		return i + 1;
	}
	if (format == GIFT_MARKDOWN) {
		int ends = 0;
		size_t j = i;
		for (; j < n && is_space(s[j]); j++)
			ends += s[j] == '\n';
		if (ends >= 2)
			o->block = true;
		else
			o->space = true;
		return j;
	}
	o->space = true;
	return i + 1;
}

/* The text s (escapes already replaced) in format as plain UTF-8: tags
 * removed, entities decoded, white space as the format has it, trimmed.
 * The src of every <img> is added to pics. */
static char *text_render(const char *s, enum gift_format format,
			 struct strlist *pics)
{
	size_t n = strlen(s);
	if (format == GIFT_PLAIN) {
		char *t = xstrdup(s);
		for (char *p = t; *p; p++)
			if (*p == '\t')
				*p = ' ';
		str_trim(t);
		return t;
	}
	struct textout o = { 0 };
	for (size_t i = 0; i < n;) {
		char c = s[i];
		size_t len;
		uint32_t cp;
		if (c == '<' && (len = html_tag_len(s, i, n)) > 0) {
			i += html_tag(&o, s, i, n, len, pics);
		} else if (c == '&' && (len = html_entity(s, i, n, &cp)) > 0) {
			out_cp(&o, cp);
			i += len;
		} else if (c == '\n') {
			i = text_line_end(&o, s, i, n, format);
		} else if (is_space(c)) {
			o.space = true;
			i++;
		} else {
			out_settle(&o);
			sbuf_putc(&o.b, c);
			i++;
		}
	}
	char *t = sbuf_take(&o.b);
	str_trim(t);
	return t;
}

/* ------------------------------------------------------------------ */
/* The loader's state                                                  */
/* ------------------------------------------------------------------ */

struct gift_loader {
	struct quiz_bank *bank;
	const struct lang_registry *langs;
	struct diag_list *diags;
	const char *path;
	char *dir;           /* the file's folder, for pictures */
	char *stem;          /* file name without extensions, for ids */
	char *lang;          /* every question's language */
	int position;        /* question blocks seen so far */

	/* the current $CATEGORY */
	char *topic;         /* its topic id, or NULL */
	char *cat_name;      /* the unknown category still to be warned */
	int cat_line;
};

/* ------------------------------------------------------------------ */
/* Categories                                                          */
/* ------------------------------------------------------------------ */

/* The last part of a category path ("$course$/top/Trẻ em" -> "Trẻ em");
 * "//" in a name stands for "/", as Moodle writes it. New string. */
static char *category_leaf(const char *path)
{
	size_t n = strlen(path), start = 0;
	for (size_t i = 0; i < n; i++) {
		if (path[i] != '/')
			continue;
		if (i + 1 < n && path[i + 1] == '/')
			i++;
		else
			start = i + 1;
	}
	struct sbuf out = { 0 };
	for (size_t i = start; i < n; i++) {
		sbuf_putc(&out, path[i]);
		if (path[i] == '/' && i + 1 < n && path[i + 1] == '/')
			i++;
	}
	char *leaf = sbuf_take(&out);
	str_collapse(leaf);
	return leaf;
}

/* s folded for matching names: lower case, no Vietnamese marks, '-' and
 * '_' as spaces, one space between words. False when too long. */
static bool fold_name(const char *s, size_t n, char *out, size_t size)
{
	char *tmp = xasprintf("%.*s", (int)n, s);
	bool ok = vnkey_fold(tmp, out, size);
	free(tmp);
	if (!ok)
		return false;
	for (char *p = out; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	str_collapse(out);
	return true;
}

/* Does topic t go by the name key (folded)? Its id, its English label,
 * or the label without its "(CRC)" ending. */
static bool topic_named(const struct topic *t, const char *key)
{
	char f[512];
	if (fold_name(t->id, strlen(t->id), f, sizeof f) && strcmp(f, key) == 0)
		return true;
	size_t n = strlen(t->label);
	if (fold_name(t->label, n, f, sizeof f) && strcmp(f, key) == 0)
		return true;
	const char *paren = strstr(t->label, " (");
	return paren &&
	       fold_name(t->label, (size_t)(paren - t->label), f, sizeof f) &&
	       strcmp(f, key) == 0;
}

/* The id of the topic a category name names, or NULL. */
static const char *topic_for(const char *name)
{
	char key[512];
	if (!fold_name(name, strlen(name), key, sizeof key))
		return NULL;
	size_t n;
	const struct topic *all = topics_all(&n);
	for (size_t i = 0; i < n; i++)
		if (topic_named(&all[i], key))
			return all[i].id;
	return NULL;
}

/* Forget the current category. */
static void category_clear(struct gift_loader *ld)
{
	free(ld->topic);
	free(ld->cat_name);
	ld->topic = ld->cat_name = NULL;
}

/* "$CATEGORY: path" at line: the questions after it get the topic its
 * last part names. Moodle's root ("top", "$course$") means no topic; any
 * other unknown name is warned about once, at the first question under
 * it (Moodle exports parent categories with no questions of their own). */
static void category_set(struct gift_loader *ld, const char *path, int line)
{
	category_clear(ld);
	char *leaf = category_leaf(path);
	size_t n = strlen(leaf);
	if (n == 0 || strcasecmp(leaf, "top") == 0 ||
	    (leaf[0] == '$' && leaf[n - 1] == '$')) {
		free(leaf);
		return;
	}
	const char *id = topic_for(leaf);
	if (id) {
		ld->topic = xstrdup(id);
		free(leaf);
	} else {
		ld->cat_name = leaf;
		ld->cat_line = line;
	}
}

/* Give the unknown category's warning if it is still owed. */
static void category_warn(struct gift_loader *ld)
{
	if (!ld->cat_name)
		return;
	diag_add(ld->diags, DIAG_WARNING, ld->path, ld->cat_line, 0,
		 "category '%s' is not one of the kiosk's topics (write a topic "
		 "id such as 'crc', or a topic's English name); its questions "
		 "get no topic", ld->cat_name);
	free(ld->cat_name);
	ld->cat_name = NULL;
}

/* ------------------------------------------------------------------ */
/* One question                                                        */
/* ------------------------------------------------------------------ */

/* The question being read. */
struct gift_q {
	struct gift_loader *ld;
	const struct gift_src *src;
	const char *s;              /* src->text.s */
	int line;                   /* where the question starts */
	enum gift_format format;    /* its text's; answers default to it */
	struct strlist pics;        /* pictures in the question's text */
	size_t stray_pics;          /* pictures in answers and feedback */
	struct quiz_question q;
};

enum gift_kind {
	KIND_CHOICE,
	KIND_TRUEFALSE,
	KIND_ESSAY,
	KIND_NUMERICAL,
	KIND_MATCHING,
	KIND_SHORT,
};

/* Report a problem with the question at its first line. */
static void __attribute__((format(printf, 3, 4)))
q_report(struct gift_q *g, enum diag_severity sev, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(g->ld->diags, sev, g->ld->path, g->line, 0, "%s", msg);
	free(msg);
}

/* Report a problem at offset off of the question's text. */
static void __attribute__((format(printf, 4, 5)))
q_report_at(struct gift_q *g, enum diag_severity sev, size_t off,
	    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	int line, col;
	src_locate(g->src, off, &line, &col);
	diag_add(g->ld->diags, sev, g->ld->path, line, col, "%s", msg);
	free(msg);
}

/* s[a..b) as the visitor sees it: trimmed, its [format] prefix (else
 * dflt) applied, escapes replaced, HTML made plain. main: this is the
 * question's text, whose pictures are kept; pictures elsewhere are only
 * counted. The format used goes to *format_out when not NULL. */
static char *q_text(struct gift_q *g, const char *s, size_t a, size_t b,
		    enum gift_format dflt, bool main,
		    enum gift_format *format_out)
{
	span_trim(s, &a, &b);
	enum gift_format format = take_format(s, &a, b, dflt);
	if (format_out)
		*format_out = format;
	char *raw = unescape(s, a, b);
	struct strlist stray = { 0 };
	char *text = text_render(raw, format, main ? &g->pics : &stray);
	g->stray_pics += stray.n;
	strlist_free(&stray);
	free(raw);
	return text;
}

/* Like q_text for a feedback: NULL when empty. */
static char *q_feedback(struct gift_q *g, size_t a, size_t b)
{
	char *t = q_text(g, g->s, a, b, g->format, false, NULL);
	if (*t)
		return t;
	free(t);
	return NULL;
}

/* The answers s[a..b) (without general feedback, trimmed) by Moodle's
 * rules for telling question types apart. */
static enum gift_kind answers_kind(const char *s, size_t a, size_t b)
{
	if (a == b)
		return KIND_ESSAY;
	if (s[a] == '#')
		return KIND_NUMERICAL;
	if (find_any(s, a, b, "~") < b)
		return KIND_CHOICE;
	if (find_any(s, a, b, "=") < b) {
		for (size_t i = a; i + 1 < b; i++)
			if (s[i] == '-' && s[i + 1] == '>')
				return KIND_MATCHING;
	}
	size_t kb = find_any(s, a, b, "#");
	span_trim(s, &a, &kb);
	if (span_is(s, a, kb, "T") || span_is(s, a, kb, "TRUE") ||
	    span_is(s, a, kb, "F") || span_is(s, a, kb, "FALSE"))
		return KIND_TRUEFALSE;
	return KIND_SHORT;
}

/* Report a question type the kiosk cannot ask. */
static void q_unsupported(struct gift_q *g, enum gift_kind kind)
{
	static const char *const why[] = {
		[KIND_ESSAY] = "essay questions ('{}': the visitor writes an "
			       "answer)",
		[KIND_NUMERICAL] = "numerical questions ('{#...}': the visitor "
				   "types a number)",
		[KIND_MATCHING] = "matching questions ('->')",
		[KIND_SHORT] = "short-answer questions (answers with '=' and no "
			       "'~': the visitor types the answer)",
	};
	q_report(g, DIAG_WARNING, "%s cannot be asked on the kiosk; skipped",
		 why[kind]);
}

/* The weight "%50%", "%-100%", "%33.3%" at s[a..b): its length, with the
 * weight in *w; 0 when there is none. */
static size_t weight_len(const char *s, size_t a, size_t b, double *w)
{
	size_t p = a;
	if (p >= b || s[p] != '%')
		return 0;
	p++;
	bool minus = false;
	while (p < b && s[p] == '-') {
		minus = true;
		p++;
	}
	size_t digits = p;
	while (p < b && (isdigit((unsigned char)s[p]) || s[p] == '.'))
		p++;
	if (p == digits || !isdigit((unsigned char)s[digits]) || p >= b ||
	    s[p] != '%')
		return 0;
	char num[32];
	size_t n = p - digits < sizeof num - 1 ? p - digits : sizeof num - 1;
	memcpy(num, s + digits, n);
	num[n] = '\0';
	*w = strtod(num, NULL) * (minus ? -1 : 1);
	return p + 1 - a;
}

/* One choice: s[a..b) is what follows its '~' or '=' (right says which).
 * A weight makes it right when positive; '#' starts its feedback. */
static bool q_add_choice(struct gift_q *g, size_t a, size_t b, bool right)
{
	const char *s = g->s;
	if (g->q.n_choices == QUIZ_MAX_CHOICES) {
		q_report_at(g, DIAG_ERROR, a - 1, "more than %d answers: the "
			    "kiosk shows at most %d choices (A to H)",
			    QUIZ_MAX_CHOICES, QUIZ_MAX_CHOICES);
		return false;
	}
	while (a < b && is_space(s[a]))
		a++;
	double w;
	size_t wl = weight_len(s, a, b, &w);
	if (wl) {
		right = w > 0;
		a += wl;
	}
	size_t hash = find_any(s, a, b, "#");
	size_t i = g->q.n_choices++;
	g->q.choices[i] = q_text(g, s, a, hash, g->format, false, NULL);
	if (hash < b)
		g->q.feedback[i] = q_feedback(g, hash + 1, b);
	if (right)
		g->q.correct |= 1u << i;
	return true;
}

/* The choices of a multiple-choice question, s[a..b): each starts at an
 * unescaped '~' (wrong unless weighted) or '=' (right). */
static bool q_read_choices(struct gift_q *g, size_t a, size_t b)
{
	const char *s = g->s;
	size_t m = find_any(s, a, b, "~=");
	size_t la = a, lb = m;
	span_trim(s, &la, &lb);
	if (la < lb) {
		q_report_at(g, DIAG_WARNING, la, "'%.*s' has no '~' or '=' in "
			    "front; it is read as a wrong answer, as Moodle "
			    "does", (int)(lb - la), s + la);
		if (!q_add_choice(g, la, lb, false))
			return false;
	}
	while (m < b) {
		size_t next = find_any(s, m + 1, b, "~=");
		if (!q_add_choice(g, m + 1, next, s[m] == '='))
			return false;
		m = next;
	}
	return true;
}

/* A true/false question: s[a..b) is "T", "TRUE", "F" or "FALSE", then
 * optionally "#feedback when wrong#feedback when right" (Moodle's
 * order). The feedback goes with the choice that earns it. */
static void q_read_truefalse(struct gift_q *g, size_t a, size_t b)
{
	const char *s = g->s;
	size_t h1 = find_any(s, a, b, "#");
	size_t ka = a, kb = h1;
	span_trim(s, &ka, &kb);
	bool is_true = span_is(s, ka, kb, "T") || span_is(s, ka, kb, "TRUE");
	char *wrong = NULL, *right = NULL;
	if (h1 < b) {
		size_t h2 = find_any(s, h1 + 1, b, "#");
		wrong = q_feedback(g, h1 + 1, h2);
		if (h2 < b)
			right = q_feedback(g, h2 + 1, b);
	}
	g->q.true_false = true;
	g->q.n_choices = 2;
	g->q.choices[0] = xstrdup("True");
	g->q.choices[1] = xstrdup("False");
	g->q.correct = is_true ? 1u : 2u;
	g->q.feedback[0] = is_true ? right : wrong;
	g->q.feedback[1] = is_true ? wrong : right;
}

/* "::name::" at s[*a]: the question's id (escapes replaced, white space
 * collapsed). False when the name is never closed (reported). */
static bool q_read_name(struct gift_q *g, size_t *a, size_t b)
{
	const char *s = g->s;
	if (b - *a < 2 || s[*a] != ':' || s[*a + 1] != ':')
		return true;
	size_t end = find_seq(s, *a + 2, b, "::");
	if (end == b) {
		q_report_at(g, DIAG_ERROR, *a, "the question's name after '::' "
			    "is never closed with '::'");
		return false;
	}
	char *name = unescape(s, *a + 2, end);
	str_collapse(name);
	if (*name)
		g->q.id = name;
	else
		free(name);
	*a = end + 2;
	return true;
}

/* Find the answers: s[*open] is the '{', s[*close] its '}'. False when
 * there are none, or the braces do not pair up (reported). */
static bool q_find_answers(struct gift_q *g, size_t a, size_t b,
			   size_t *open, size_t *close)
{
	const char *s = g->s;
	*open = find_any(s, a, b, "{}");
	if (*open == b) {
		q_report(g, DIAG_WARNING, "descriptions (text with no answers "
			 "in braces) cannot be asked on the kiosk; skipped");
		return false;
	}
	if (s[*open] == '}') {
		q_report_at(g, DIAG_ERROR, *open, "'}' with no '{' before it "
			    "(write \\} for a brace in a text)");
		return false;
	}
	*close = find_any(s, *open + 1, b, "{}");
	if (*close == b) {
		q_report_at(g, DIAG_ERROR, *open, "unclosed '{': the answers of "
			    "this question never end (a '}' is missing, or a "
			    "blank line cuts the question in two)");
		return false;
	}
	if (s[*close] == '{') {
		q_report_at(g, DIAG_ERROR, *close, "'{' inside the answers: the "
			    "'{' before it is not closed (write \\{ for a "
			    "brace in a text)");
		return false;
	}
	size_t more = find_any(s, *close + 1, b, "{}");
	if (more < b) {
		q_report_at(g, DIAG_ERROR, more, "%s", s[more] == '{' ?
			    "a second set of answers: a question has one "
			    "'{...}' (is a blank line missing between two "
			    "questions?)" :
			    "'}' with no '{' before it (write \\} for a "
			    "brace in a text)");
		return false;
	}
	return true;
}

/* The question's text: s[a..open) and, for a missing-word question, the
 * gap and the text after the answers, s[after..b). */
static void q_read_text(struct gift_q *g, size_t a, size_t open,
			size_t after, size_t b)
{
	const char *s = g->s;
	size_t ta = after, tb = b;
	span_trim(s, &ta, &tb);
	if (ta == tb) {
		g->q.text = q_text(g, s, a, open, GIFT_MOODLE, true, &g->format);
		return;
	}
	char *joined = xasprintf("%.*s_____%.*s", (int)(open - a), s + a,
				 (int)(b - after), s + after);
	g->q.text = q_text(g, joined, 0, strlen(joined), GIFT_MOODLE, true,
			   &g->format);
	free(joined);
}

/* The file a picture's src names, resolved against the bank's folder:
 * Moodle's "@@PLUGINFILE@@/" dropped, "%20"-style escapes decoded, any
 * "?query" left out. NULL for a web address or embedded data. */
static char *picture_path(const char *dir, const char *src)
{
	const char *p = src;
	while (is_space(*p))
		p++;
	if (strncmp(p, "@@PLUGINFILE@@", 14) == 0) {
		p += 14;
		while (*p == '/')
			p++;
	}
	size_t k = 0;
	while (isalnum((unsigned char)p[k]) || p[k] == '+' || p[k] == '-' ||
	       p[k] == '.')
		k++;
	if (k > 0 && p[k] == ':')
		return NULL;
	struct sbuf out = { 0 };
	for (; *p && *p != '?' && *p != '#'; p++) {
		if (p[0] == '%' && isxdigit((unsigned char)p[1]) &&
		    isxdigit((unsigned char)p[2])) {
			char hex[3] = { p[1], p[2], '\0' };
			sbuf_putc(&out, (char)strtol(hex, NULL, 16));
			p += 2;
		} else {
			sbuf_putc(&out, *p);
		}
	}
	char *rel = sbuf_take(&out);
	str_trim(rel);
	char *path = *rel ? path_join(dir, rel) : NULL;
	free(rel);
	return path;
}

/* The question's picture: the first <img> of its text, which must be a
 * file beside the bank. False when it is not there (reported). */
static bool q_picture(struct gift_q *g)
{
	if (g->stray_pics > 0)
		q_report(g, DIAG_WARNING, "pictures in answers or feedback "
			 "cannot be shown on the kiosk; left out");
	if (g->pics.n == 0)
		return true;
	const char *src = g->pics.v[0];
	char *path = picture_path(g->ld->dir, src);
	if (!path) {
		q_report(g, DIAG_ERROR, "picture '%s' is not a file: the kiosk "
			 "is offline, so save the picture beside the GIFT file "
			 "and give its file name in src", src);
		return false;
	}
	if (!file_exists(path)) {
		q_report(g, DIAG_ERROR, "picture '%s' not found: it should be "
			 "the file %s", src, path);
		free(path);
		return false;
	}
	g->q.picture = path;
	if (g->pics.n > 1)
		q_report(g, DIAG_WARNING, "the kiosk shows one picture per "
			 "question; %zu more left out", g->pics.n - 1);
	return true;
}

/* Read the question starting at offset a of its text into g->q. False
 * when it cannot be asked (reported). */
static bool q_read(struct gift_q *g, size_t a)
{
	const char *s = g->s;
	size_t b = g->src->text.len, open, close;
	if (!q_read_name(g, &a, b) || !q_find_answers(g, a, b, &open, &close))
		return false;

	size_t aa = open + 1, ab = close, fa = close;
	size_t gf = find_last_seq(s, aa, ab, "####");
	if (gf < ab) {
		fa = gf + 4;
		ab = gf;
	}
	span_trim(s, &aa, &ab);
	enum gift_kind kind = answers_kind(s, aa, ab);
	if (kind != KIND_CHOICE && kind != KIND_TRUEFALSE) {
		q_unsupported(g, kind);
		return false;
	}

	q_read_text(g, a, open, close + 1, b);
	if (fa < close)
		g->q.explanation = q_feedback(g, fa, close);
	if (kind == KIND_TRUEFALSE)
		q_read_truefalse(g, aa, ab);
	else if (!q_read_choices(g, aa, ab))
		return false;
	return q_picture(g);
}

/* Fill in what every question of the file shares; a question with no
 * name gets "<file>#<position>" and a warning. */
static void q_complete(struct gift_q *g)
{
	struct gift_loader *ld = g->ld;
	if (!g->q.id) {
		g->q.id = xasprintf("%s#%d", ld->stem, ld->position);
		q_report(g, DIAG_WARNING, "this question has no name (write "
			 "::name:: before it), so it gets the id '%s' and cannot "
			 "be matched with its translations", g->q.id);
	}
	g->q.lang = xstrdup(ld->lang);
	g->q.topic = ld->topic ? xstrdup(ld->topic) : NULL;
	g->q.file = xstrdup(ld->path);
	g->q.line = g->line;
}

/* Read the question at offset start of src and add it to the bank. */
static void question_load(struct gift_loader *ld, const struct gift_src *src,
			  size_t start)
{
	struct gift_q g = { .ld = ld, .src = src, .s = src->text.s };
	int col;
	src_locate(src, start, &g.line, &col);
	ld->position++;
	category_warn(ld);
	if (q_read(&g, start)) {
		q_complete(&g);
		quiz_bank_add(ld->bank, &g.q, ld->langs, ld->diags);
	}
	quiz_question_finish(&g.q);
	strlist_free(&g.pics);
}

/* ------------------------------------------------------------------ */
/* The file                                                            */
/* ------------------------------------------------------------------ */

/* Does the block start with "$CATEGORY:" (case ignored)? */
static bool block_is_category(const struct gift_src *src)
{
	return src->text.len >= 10 &&
	       strncasecmp(src->text.s, "$CATEGORY:", 10) == 0;
}

/* A whole block read: a category, a question, or a category line with a
 * question right under it. */
static void block_load(struct gift_loader *ld, struct gift_src *src)
{
	if (src->n_lines == 0)
		return;
	bool category = block_is_category(src);
	if (src->bad_line) {
		if (category)
			category_clear(ld);
		else
			ld->position++;
		diag_add(ld->diags, DIAG_ERROR, ld->path, src->bad_line,
			 src->bad_col, "this %s is not valid UTF-8 text (save "
			 "the file with the UTF-8 encoding); skipped",
			 category ? "category" : "question");
		return;
	}
	size_t start = 0;
	if (category) {
		size_t end = src->n_lines > 1 ? src->lines[1].start - 1 :
						src->text.len;
		char *name = unescape(src->text.s, 10, end);
		category_set(ld, name, src->lines[0].line);
		free(name);
		if (src->n_lines == 1)
			return;
		start = src->lines[1].start;
	}
	question_load(ld, src, start);
}

/* Read every block of data[0..len): blank lines end blocks, comment lines
 * are left out. A "$CATEGORY:" line starts a block of its own even with no
 * blank line before it (Moodle would read it as text of the question
 * above, which no teacher means). */
static void gift_read(struct gift_loader *ld, const char *data, size_t len)
{
	struct gift_src src = { 0 };
	size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	int line = 0;
	while (i < len) {
		const char *raw = data + i;
		while (i < len && data[i] != '\n' && data[i] != '\r')
			i++;
		size_t a = 0, b = (size_t)(data + i - raw);
		if (i < len)
			i += data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'
			     ? 2 : 1;
		line++;
		span_trim(raw, &a, &b);
		if (a == b) {
			block_load(ld, &src);
			src_clear(&src);
		} else if (!(b - a >= 2 && raw[a] == '/' && raw[a + 1] == '/')) {
			if (src.n_lines > 0 && b - a >= 10 &&
			    strncasecmp(raw + a, "$CATEGORY:", 10) == 0) {
				block_load(ld, &src);
				src_clear(&src);
			}
			src_add(&src, raw, a, b - a, line);
		}
	}
	block_load(ld, &src);
	src_free(&src);
}

/* Is s[0..n) shaped like a language tag ("vi", "rad", "pt-BR")? */
static bool looks_like_tag(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && isalpha((unsigned char)s[i]))
		i++;
	if (i < 2 || i > 3)
		return false;
	while (i < n) {
		if (s[i++] != '-')
			return false;
		size_t k = i;
		while (i < n && isalnum((unsigned char)s[i]))
			i++;
		if (i == k || i - k > 8)
			return false;
	}
	return true;
}

/* The language of the file's questions: lang when given, else the file
 * name's second extension ("bank.en.gift"), else the registry's default.
 * NULL when the name gives a language the registry does not have
 * (reported). */
static char *file_lang(const char *path, const char *lang,
		       const struct lang_registry *langs,
		       struct diag_list *diags)
{
	if (lang)
		return xstrdup(lang);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *last = strrchr(base, '.');
	const char *prev = last;
	while (prev && prev > base && *--prev != '.')
		;
	if (last && prev > base && *prev == '.' &&
	    looks_like_tag(prev + 1, (size_t)(last - prev - 1))) {
		char *tag = xasprintf("%.*s", (int)(last - prev - 1), prev + 1);
		if (!langs)
			return tag;
		for (size_t i = 0; i < langs->n_langs; i++) {
			if (strcasecmp(langs->langs[i].tag, tag) == 0) {
				free(tag);
				return xstrdup(langs->langs[i].tag);
			}
		}
		diag_add(diags, DIAG_ERROR, path, 0, 0, "the file name says its "
			 "questions are in '%s', which is not one of the kiosk's "
			 "languages (locales/languages.json); file skipped", tag);
		free(tag);
		return NULL;
	}
	return xstrdup(langs && langs->default_tag ? langs->default_tag : "vi");
}

/* The folder of path ("." when it has none). */
static char *file_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

/* The file name without its extensions ("a/bank.en.gift" -> "bank"). */
static char *file_stem(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = base[0] ? strchr(base + 1, '.') : NULL;
	size_t n = dot ? (size_t)(dot - base) : strlen(base);
	return xasprintf("%.*s", (int)n, base);
}

bool quiz_bank_load_gift(struct quiz_bank *bank, const char *path,
			 const char *lang, const struct lang_registry *langs,
			 struct diag_list *diags)
{
	size_t len;
	char *data = file_read_all(path, &len);
	if (!data) {
		int err = errno;
		diag_add(diags, DIAG_ERROR, path, 0, 0,
			 "cannot read this file: %s",
			 dir_exists(path) ? "it is a folder" : strerror(err));
		return false;
	}
	struct gift_loader ld = {
		.bank = bank, .langs = langs, .diags = diags, .path = path,
	};
	ld.lang = file_lang(path, lang, langs, diags);
	if (!ld.lang) {
		free(data);
		return true;
	}
	if (len >= 2 && ((unsigned char)data[0] == 0xFF ||
			 (unsigned char)data[0] == 0xFE) &&
	    ((unsigned char)data[1] ^ (unsigned char)data[0]) == 0x01) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "this file is saved as "
			 "UTF-16 (\"Unicode\"); save it with the UTF-8 "
			 "encoding");
		free(ld.lang);
		free(data);
		return true;
	}
	ld.dir = file_dir(path);
	ld.stem = file_stem(path);
	gift_read(&ld, data, len);
	if (ld.position == 0)
		diag_add(diags, DIAG_WARNING, path, 0, 0,
			 "this file has no questions");
	category_clear(&ld);
	free(ld.dir);
	free(ld.stem);
	free(ld.lang);
	free(data);
	return true;
}
