/*
 * leaflet: the leaflet markup parser (see leaflet.h for the markup).
 *
 * One pass over the lines builds blocks; the text of a paragraph or list
 * item is gathered with, for every byte, its offset in the file, so that
 * the inline pass (bold, italic, escapes) can name the line and column of
 * an unclosed "**" even when it sits on the paragraph's third line.
 */
#include "content/leaflet.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"

/* ------------------------------------------------------------------ */
/* Growing buffers                                                     */
/* ------------------------------------------------------------------ */

/* Text being gathered, with each byte's offset in the source file. */
struct srctext {
	char *s;
	size_t *src;
	size_t len, cap;
};

static void srctext_push(struct srctext *t, char c, size_t src)
{
	if (t->len == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->s = xrealloc(t->s, t->cap);
		t->src = xrealloc(t->src, t->cap * sizeof *t->src);
	}
	t->s[t->len] = c;
	t->src[t->len] = src;
	t->len++;
}

static void srctext_free(struct srctext *t)
{
	free(t->s);
	free(t->src);
	memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------ */
/* Parser state                                                        */
/* ------------------------------------------------------------------ */

struct parser {
	const char *text;          /* the whole file */
	size_t len;
	const char *file;
	const char *base_dir;
	struct diag_list *diags;
	size_t *line_starts;       /* byte offset of each line's first byte */
	size_t n_lines;
	struct leaflet *doc;
	size_t blocks_cap;

	/* the paragraph or list item being gathered */
	bool open;
	enum leaflet_block_kind kind;
	int block_line;
	long number;
	struct srctext acc;
	bool pending_break;        /* last line ended in "\": keep the break */
};

/* 1-based line and column (in characters) of byte offset off. */
static void locate(const struct parser *p, size_t off, int *line, int *col)
{
	size_t lo = 0, hi = p->n_lines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (p->line_starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	int c = 1;
	for (size_t i = p->line_starts[lo]; i < off && i < p->len; i++)
		if (((unsigned char)p->text[i] & 0xC0) != 0x80)
			c++;
	*line = (int)lo + 1;
	*col = c;
}

__attribute__((format(printf, 3, 4)))
static void warn_at(struct parser *p, size_t off, const char *fmt, ...)
{
	int line, col;
	locate(p, off, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(p->diags, DIAG_WARNING, p->file, line, col, "%s", msg);
	free(msg);
}

static struct leaflet_block *new_block(struct parser *p,
				       enum leaflet_block_kind kind, int line)
{
	struct leaflet *d = p->doc;
	if (d->n_blocks == p->blocks_cap) {
		p->blocks_cap = p->blocks_cap ? p->blocks_cap * 2 : 16;
		d->blocks = xrealloc(d->blocks, p->blocks_cap * sizeof *d->blocks);
	}
	struct leaflet_block *b = &d->blocks[d->n_blocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->line = line;
	return b;
}

/* ------------------------------------------------------------------ */
/* Inline markup: **bold**, *italic*, \escapes, kept line breaks       */
/* ------------------------------------------------------------------ */

struct delim {
	size_t at;        /* index in the gathered text */
	int n;            /* 1 = "*", 2 = "**" */
	bool can_open, can_close;
	bool active;      /* matched: a style change, not a literal star */
};

static bool is_ascii_punct(char c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
	       (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\n';
}

/* Output of the inline pass: bytes with their style. */
struct styled {
	char *s;
	unsigned char *style;
	size_t len, cap;
};

static void styled_push(struct styled *o, char c, unsigned style)
{
	if (c == ' ') {
		if (o->len == 0 || is_blank(o->s[o->len - 1]))
			return;
	} else if (c == '\n') {
		while (o->len > 0 && o->s[o->len - 1] == ' ')
			o->len--;
		if (o->len == 0 || o->s[o->len - 1] == '\n')
			return;
	}
	if (o->len == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 128;
		o->s = xrealloc(o->s, o->cap);
		o->style = xrealloc(o->style, o->cap);
	}
	o->s[o->len] = c;
	o->style[o->len] = (unsigned char)style;
	o->len++;
}

/* Turn gathered text into runs on block b. Unclosed stars are warned
 * about at their place and kept as literal text. */
static void parse_inline(struct parser *p, const char *s, const size_t *src,
			 size_t len, struct leaflet_block *b)
{
	struct delim *ds = NULL;
	size_t nd = 0, dcap = 0;
	for (size_t i = 0; i < len;) {
		if (s[i] == '\\' && i + 1 < len && is_ascii_punct(s[i + 1])) {
			i += 2;
			continue;
		}
		if (s[i] != '*') {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && s[j] == '*')
			j++;
		bool can_open = j < len && !is_blank(s[j]);
		bool can_close = i > 0 && !is_blank(s[i - 1]);
		for (size_t k = i; k < j;) {
			int n = j - k >= 2 ? 2 : 1;
			if (nd == dcap) {
				dcap = dcap ? dcap * 2 : 16;
				ds = xrealloc(ds, dcap * sizeof *ds);
			}
			ds[nd++] = (struct delim){ k, n, can_open, can_close, false };
			k += (size_t)n;
		}
		i = j;
	}

	/* match openers with closers of the same length */
	long open[3] = { -1, -1, -1 };
	for (size_t i = 0; i < nd; i++) {
		int n = ds[i].n;
		if (open[n] >= 0 && ds[i].can_close) {
			ds[open[n]].active = true;
			ds[i].active = true;
			open[n] = -1;
		} else if (ds[i].can_open) {
			if (open[n] >= 0)
				warn_at(p, src[ds[open[n]].at],
					"\"%s\" is not closed; it is shown as it is",
					n == 2 ? "**" : "*");
			open[n] = (long)i;
		}
	}
	/* what is still open was never closed: report in reading order */
	int first = open[1] >= 0 && (open[2] < 0 || open[1] < open[2]) ? 1 : 2;
	for (int k = 0; k < 2; k++) {
		int n = k == 0 ? first : 3 - first;
		if (open[n] >= 0)
			warn_at(p, src[ds[open[n]].at],
				"\"%s\" is not closed; it is shown as it is",
				n == 2 ? "**" : "*");
	}

	/* emit styled bytes */
	struct styled o = { 0 };
	unsigned style = 0;
	size_t di = 0;
	for (size_t i = 0; i < len;) {
		if (s[i] == '\\' && i + 1 < len && is_ascii_punct(s[i + 1])) {
			styled_push(&o, s[i + 1], style);
			i += 2;
			continue;
		}
		if (di < nd && ds[di].at == i) {
			if (ds[di].active)
				style ^= ds[di].n == 2 ? LEAFLET_BOLD : LEAFLET_ITALIC;
			else
				for (int k = 0; k < ds[di].n; k++)
					styled_push(&o, '*', style);
			i += (size_t)ds[di].n;
			di++;
			continue;
		}
		styled_push(&o, s[i], style);
		i++;
	}
	while (o.len > 0 && is_blank(o.s[o.len - 1]))
		o.len--;

	/* split into runs of one style */
	for (size_t i = 0; i < o.len;) {
		size_t j = i;
		while (j < o.len && o.style[j] == o.style[i])
			j++;
		b->runs = xrealloc(b->runs, (b->n_runs + 1) * sizeof *b->runs);
		char *t = xmalloc(j - i + 1);
		memcpy(t, o.s + i, j - i);
		t[j - i] = '\0';
		b->runs[b->n_runs++] = (struct leaflet_run){ t, o.style[i] };
		i = j;
	}
	free(o.s);
	free(o.style);
	free(ds);
}

/* ------------------------------------------------------------------ */
/* Blocks                                                              */
/* ------------------------------------------------------------------ */

/* End the paragraph or list item being gathered. */
static void flush(struct parser *p)
{
	if (!p->open)
		return;
	p->open = false;
	p->pending_break = false;
	struct leaflet_block b = { .kind = p->kind, .line = p->block_line,
				   .number = p->number };
	parse_inline(p, p->acc.s, p->acc.src, p->acc.len, &b);
	p->acc.len = 0;
	if (b.n_runs == 0)
		return;
	*new_block(p, b.kind, b.line) = b;
}

/* Start gathering a paragraph or list item. */
static void begin(struct parser *p, enum leaflet_block_kind kind, int line,
		  long number)
{
	flush(p);
	p->open = true;
	p->kind = kind;
	p->block_line = line;
	p->number = number;
	p->acc.len = 0;
	p->pending_break = false;
}

/* Add one cleaned line's text (s[0..len), src offsets) to the open block. */
static void gather(struct parser *p, const char *s, const size_t *src, size_t len)
{
	if (len == 0)
		return;
	if (p->acc.len > 0)
		srctext_push(&p->acc, p->pending_break ? '\n' : ' ', src[0]);
	for (size_t i = 0; i < len; i++)
		srctext_push(&p->acc, s[i], src[i]);
	p->pending_break = false;
}

/* True when path (as written) stays inside the leaflet's folder. */
static bool path_is_inside(const char *path)
{
	if (path[0] == '/')
		return false;
	for (const char *c = path; *c;) {
		const char *e = strchr(c, '/');
		size_t n = e ? (size_t)(e - c) : strlen(c);
		if (n == 2 && c[0] == '.' && c[1] == '.')
			return false;
		if (!e)
			break;
		c = e + 1;
	}
	return true;
}

/* A line "![caption](file)"; returns false (nothing added) when it is not
 * written that way. */
static bool parse_picture(struct parser *p, const char *s, const size_t *src,
			  size_t len, int line)
{
	if (len < 5 || s[len - 1] != ')')
		return false;
	size_t k = len;   /* the last "](" */
	for (size_t i = len - 1; i-- > 2;)
		if (s[i] == ']' && s[i + 1] == '(') {
			k = i;
			break;
		}
	if (k == len)
		return false;
	size_t ps = k + 2, pe = len - 1;
	while (ps < pe && s[ps] == ' ')
		ps++;
	while (pe > ps && s[pe - 1] == ' ')
		pe--;
	if (ps == pe)
		return false;

	flush(p);
	struct leaflet_block b = { .kind = LEAFLET_PICTURE, .line = line };
	parse_inline(p, s + 2, src + 2, k - 2, &b);
	b.picture_src = xmalloc(pe - ps + 1);
	memcpy(b.picture_src, s + ps, pe - ps);
	b.picture_src[pe - ps] = '\0';
	if (!path_is_inside(b.picture_src)) {
		warn_at(p, src[ps], "%s: a picture must be in the leaflet's folder "
			"(no \"/\" at the start, no \"..\")", b.picture_src);
	} else {
		b.picture_path = p->base_dir && *p->base_dir
				 ? path_join(p->base_dir, b.picture_src)
				 : xstrdup(b.picture_src);
		b.picture_found = file_exists(b.picture_path);
		if (!b.picture_found)
			warn_at(p, src[ps], "%s: picture file not found",
				b.picture_src);
	}
	*new_block(p, LEAFLET_PICTURE, line) = b;
	return true;
}

/* One cleaned, trimmed, non-blank line. */
static void parse_line(struct parser *p, const char *s, const size_t *src,
		       size_t len, int line)
{
	/* a line ending in an odd number of backslashes keeps its break */
	size_t nbs = 0;
	while (nbs < len && s[len - 1 - nbs] == '\\')
		nbs++;
	bool hard_break = nbs % 2 == 1;
	if (hard_break) {
		len--;
		while (len > 0 && s[len - 1] == ' ')
			len--;
	}

	size_t h = 0;
	while (h < len && s[h] == '#')
		h++;
	if (h >= 1 && h <= 3 && (h == len || s[h] == ' ')) {
		flush(p);
		size_t t = h;
		while (t < len && s[t] == ' ')
			t++;
		if (t == len) {
			warn_at(p, src[0], "%s", "empty heading; left out");
			return;
		}
		struct leaflet_block b = { .kind = LEAFLET_HEADING, .line = line,
					   .level = (int)h };
		parse_inline(p, s + t, src + t, len - t, &b);
		if (b.n_runs > 0)
			*new_block(p, LEAFLET_HEADING, line) = b;
		return;
	}

	if (len >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ') {
		begin(p, LEAFLET_BULLET, line, 0);
		size_t t = 2;
		while (t < len && s[t] == ' ')
			t++;
		gather(p, s + t, src + t, len - t);
		p->pending_break = hard_break;
		return;
	}

	size_t d = 0;
	while (d < len && d < 10 && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d >= 1 && d <= 9 && d + 1 < len && s[d] == '.' && s[d + 1] == ' ') {
		long n = strtol(s, NULL, 10);
		begin(p, LEAFLET_NUMBERED, line, n);
		size_t t = d + 2;
		while (t < len && s[t] == ' ')
			t++;
		gather(p, s + t, src + t, len - t);
		p->pending_break = hard_break;
		return;
	}

	if (len >= 2 && s[0] == '!' && s[1] == '[') {
		if (parse_picture(p, s, src, len, line))
			return;
		warn_at(p, src[0], "%s", "a picture is written ![caption](file) "
			"on a line of its own; shown as text");
	}

	if (!p->open)
		begin(p, LEAFLET_PARAGRAPH, line, 0);
	gather(p, s, src, len);
	p->pending_break = hard_break;
}

/* ------------------------------------------------------------------ */
/* Whole files                                                         */
/* ------------------------------------------------------------------ */

static void block_free(struct leaflet_block *b)
{
	for (size_t i = 0; i < b->n_runs; i++)
		free(b->runs[i].text);
	free(b->runs);
	free(b->picture_src);
	free(b->picture_path);
}

void leaflet_destroy(struct leaflet *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->n_blocks; i++)
		block_free(&doc->blocks[i]);
	free(doc->blocks);
	free(doc->file);
	free(doc);
}

static void index_lines(struct parser *p)
{
	size_t cap = 64;
	p->line_starts = xmalloc(cap * sizeof *p->line_starts);
	p->n_lines = 0;
	/* a UTF-8 byte order mark is not part of line 1 */
	bool bom = p->len >= 3 && memcmp(p->text, "\xEF\xBB\xBF", 3) == 0;
	p->line_starts[p->n_lines++] = bom ? 3 : 0;
	for (size_t i = 0; i < p->len; i++) {
		char c = p->text[i];
		if (c != '\n' && c != '\r')
			continue;
		if (c == '\r' && i + 1 < p->len && p->text[i + 1] == '\n')
			i++;
		if (p->n_lines == cap) {
			cap *= 2;
			p->line_starts = xrealloc(p->line_starts,
						  cap * sizeof *p->line_starts);
		}
		p->line_starts[p->n_lines++] = i + 1;
	}
}

/* Checks that stop the file from loading. */
static bool check_bytes(struct parser *p)
{
	int line, col;
	const char *nul = memchr(p->text, '\0', p->len);
	if (nul) {
		locate(p, (size_t)(nul - p->text), &line, &col);
		diag_add(p->diags, DIAG_ERROR, p->file, line, col,
			 "the file contains a NUL byte; is it UTF-16? Save it as UTF-8");
		return false;
	}
	size_t bad;
	if (!utf8_valid(p->text, p->len, &bad)) {
		locate(p, bad, &line, &col);
		diag_add(p->diags, DIAG_ERROR, p->file, line, col,
			 "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
			 (unsigned char)p->text[bad]);
		return false;
	}
	return true;
}

struct leaflet *leaflet_parse(const char *text, size_t len, const char *file,
			      const char *base_dir, struct diag_list *diags)
{
	if (!file)
		file = "leaflet";
	if (len > LEAFLET_MAX_BYTES) {
		diag_add(diags, DIAG_ERROR, file, 0, 0,
			 "%zu bytes; a leaflet may have at most %d bytes",
			 len, LEAFLET_MAX_BYTES);
		return NULL;
	}
	struct parser p = {
		.text = text, .len = len, .file = file, .base_dir = base_dir,
		.diags = diags,
	};
	index_lines(&p);
	if (!check_bytes(&p)) {
		free(p.line_starts);
		return NULL;
	}
	p.doc = xcalloc(1, sizeof *p.doc);
	p.doc->file = xstrdup(file);

	struct srctext ln = { 0 };
	for (size_t li = 0; li < p.n_lines; li++) {
		size_t a = p.line_starts[li];
		size_t e = a;
		while (e < len && text[e] != '\n' && text[e] != '\r')
			e++;
		/* clean: tabs are spaces, other control characters go */
		ln.len = 0;
		bool warned = false;
		for (size_t i = a; i < e; i++) {
			unsigned char c = (unsigned char)text[i];
			bool c1 = c == 0xC2 && i + 1 < e &&
				  (unsigned char)text[i + 1] >= 0x80 &&
				  (unsigned char)text[i + 1] <= 0x9F;
			if (c == '\t') {
				srctext_push(&ln, ' ', i);
			} else if (c < 0x20 || c == 0x7F || c1) {
				if (!warned)
					warn_at(&p, i, "%s", "control character left out");
				warned = true;
				i += c1;
			} else {
				srctext_push(&ln, (char)c, i);
			}
		}
		size_t s = 0, n = ln.len;
		while (s < n && ln.s[s] == ' ')
			s++;
		while (n > s && ln.s[n - 1] == ' ')
			n--;
		if (s == n)
			flush(&p);
		else
			parse_line(&p, ln.s + s, ln.src + s, n - s, (int)li + 1);
	}
	flush(&p);
	srctext_free(&ln);
	srctext_free(&p.acc);
	free(p.line_starts);
	if (p.doc->n_blocks == 0)
		diag_add(diags, DIAG_WARNING, file, 0, 0, "the leaflet has no text");
	return p.doc;
}

struct leaflet *leaflet_load(const char *path, struct diag_list *diags)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read: %s",
			 strerror(errno));
		return NULL;
	}
	if (st.st_size > LEAFLET_MAX_BYTES) {
		diag_add(diags, DIAG_ERROR, path, 0, 0,
			 "%lld bytes; a leaflet may have at most %d bytes",
			 (long long)st.st_size, LEAFLET_MAX_BYTES);
		return NULL;
	}
	size_t len;
	char *text = file_read_all(path, &len);
	if (!text) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read: %s",
			 strerror(errno));
		return NULL;
	}
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir ? 1 : 0] = '\0';
	else
		dir[0] = '\0';
	struct leaflet *doc = leaflet_parse(text, len, path, dir, diags);
	free(dir);
	free(text);
	return doc;
}
