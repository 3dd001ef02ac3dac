/*
 * bank_csv: question banks kept as a spreadsheet and saved as CSV from
 * LibreOffice Calc or Excel (content/QUIZ-BANKS.md, "Spreadsheet (CSV)"):
 * one question per row under a header row naming the columns.
 *
 * The cells are split by libcsv. It is fed one physical line at a time
 * (a line ends at LF, CRLF or a lone CR), so that every question knows the
 * line its row starts on even when a quoted cell holds line breaks.
 *
 * libcsv runs strict, so that it stops where a quote is out of place, but
 * we only refuse what a spreadsheet would misread too:
 *   - a quote inside a cell that does not start with one (5" screen) is
 *     kept as it is, as Calc and Excel read it;
 *   - text after the closing quote of a quoted cell ("a"b), a quote
 *     never closed and a quote not doubled inside a quoted cell are
 *     reported, and that row is left out. After a quote never closed,
 *     reading goes on from the line after the one where it opened, so it
 *     costs one question, not the rest of the file (feed_line tells it
 *     from a quote not doubled by whether that next line looks like a
 *     row).
 *
 * Encodings: UTF-8 with or without a byte-order mark. UTF-16 (Excel's
 * "Unicode Text") and files in an older code page (Windows-1258, Excel's
 * plain "CSV") are refused with advice on how to save them; a few lines
 * that are not UTF-8 in an otherwise good file are reported and the
 * questions on them left out.
 */
#include "quiz/bank.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "i18n/vnkey.h"

/* How to save a file the loader can read, for the encoding messages. */
#define SAVE_ADVICE \
	"save it again in Excel as \"CSV UTF-8 (Comma delimited)\", or in " \
	"LibreOffice Calc as \"Text CSV\" with the character set " \
	"\"Unicode (UTF-8)\""

/* libcsv options: strict while reading (see the file comment), and a
 * quoted cell still open at the end of the file is an error. */
#define PARSE_STRICT (CSV_STRICT | CSV_STRICT_FINI)
#define PARSE_LENIENT 0

/* ------------------------------------------------------------------------
 * Columns
 * ------------------------------------------------------------------------ */

enum column {
	COL_ID,
	COL_LANG,
	COL_TOPIC,
	COL_DIFFICULTY,
	COL_QUESTION,
	COL_A,                                  /* COL_A + i: choice i */
	COL_CORRECT = COL_A + QUIZ_MAX_CHOICES,
	COL_EXPLANATION,
	COL_PICTURE,
	COL_COUNT,
};

/* Header names as fold_name leaves them (lower case, no accents, single
 * spaces), English and Vietnamese. */
static const struct {
	const char *name;
	int col;
} header_names[] = {
	{ "id", COL_ID },             { "ma", COL_ID },
	{ "language", COL_LANG },     { "ngon ngu", COL_LANG },
	{ "topic", COL_TOPIC },       { "chu de", COL_TOPIC },
	{ "difficulty", COL_DIFFICULTY }, { "do kho", COL_DIFFICULTY },
	{ "question", COL_QUESTION }, { "cau hoi", COL_QUESTION },
	{ "a", COL_A + 0 }, { "b", COL_A + 1 }, { "c", COL_A + 2 },
	{ "d", COL_A + 3 }, { "e", COL_A + 4 }, { "f", COL_A + 5 },
	{ "g", COL_A + 6 }, { "h", COL_A + 7 },
	{ "correct", COL_CORRECT },   { "dap an", COL_CORRECT },
	{ "explanation", COL_EXPLANATION }, { "giai thich", COL_EXPLANATION },
	{ "picture", COL_PICTURE },   { "hinh", COL_PICTURE },
	{ "hinh anh", COL_PICTURE },
};

/* The documented names of the required columns, for messages. */
static const struct {
	int col;
	const char *name, *name_vi;
} required_columns[] = {
	{ COL_ID, "id", "mã" },
	{ COL_LANG, "language", "ngôn ngữ" },
	{ COL_QUESTION, "question", "câu hỏi" },
	{ COL_A + 0, "A", NULL },
	{ COL_A + 1, "B", NULL },
	{ COL_CORRECT, "correct", "đáp án" },
};

/* ------------------------------------------------------------------------
 * Loader state
 * ------------------------------------------------------------------------ */

/* One physical line of the file. */
struct line_span {
	size_t off;     /* from the start of the data */
	size_t len;     /* with its line break */
};

/* Whether a line is UTF-8 (bad_lines entries). */
enum {
	LINE_OK = 0,
	LINE_BAD,       /* not UTF-8, not reported yet */
	LINE_REPORTED,  /* not UTF-8, reported (or covered by another
			 * message) */
};

struct cell_list {
	char **v;       /* trimmed cells, owned */
	size_t n, cap;
};

struct csv_load {
	struct quiz_bank *bank;
	const char *path;
	char *dir;                      /* the file's folder ("" for none) */
	const struct lang_registry *langs;
	struct diag_list *diags;

	const char *data;               /* the file, after any BOM */
	struct line_span *lines;
	size_t n_lines;
	unsigned char *bad_lines;       /* [1..n_lines], see LINE_* */
	unsigned char delim;

	int line;               /* 1-based line being fed to libcsv */
	bool in_record;         /* a row has begun and not ended */
	int record_line;        /* where the current row starts */
	int field_line;         /* where the cell being read starts */
	struct cell_list row;   /* cells of the current row so far */
	struct csv_parser *parser;
	bool skip_row;          /* the current row is read leniently to its
				 * end, then dropped (a quote not doubled) */
	int skip_line;          /* where that quote is */
	bool stop;              /* give up (libcsv ran out of memory) */

	bool have_header;       /* the header row has been read */
	bool header_ok;         /* ... and has every required column */
	struct cell_list header;
	int header_line;
	int col_of[COL_COUNT];  /* header index of each column, or -1 */
	bool *named;            /* header.v[i] has text */
	size_t n_rows;          /* non-empty rows under the header */
};

/* Append s to l, which takes it. */
static void cells_push(struct cell_list *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = s;
}

/* Free the cells of l and empty it (its array is kept). */
static void cells_clear(struct cell_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

/* Free everything l holds. */
static void cells_finish(struct cell_list *l)
{
	cells_clear(l);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------ */

/* Space, tab or a line break. */
static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A new copy of the cell s[0..len): spaces (and no-break spaces) around
 * it trimmed, CRLF and lone CR inside turned into "\n". */
static char *cell_dup(const char *s, size_t len)
{
	for (;;) {
		if (len && is_blank((unsigned char)s[0])) {
			s++, len--;
		} else if (len >= 2 && (unsigned char)s[0] == 0xC2 &&
			   (unsigned char)s[1] == 0xA0) {
			s += 2, len -= 2;
		} else {
			break;
		}
	}
	for (;;) {
		if (len && is_blank((unsigned char)s[len - 1]))
			len--;
		else if (len >= 2 && (unsigned char)s[len - 2] == 0xC2 &&
			 (unsigned char)s[len - 1] == 0xA0)
			len -= 2;
		else
			break;
	}
	char *out = xmalloc(len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r') {
			out[o++] = '\n';
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* A copy of s, or NULL when s is empty. */
static char *dup_or_null(const char *s)
{
	return *s ? xstrdup(s) : NULL;
}

/* ASCII letters of s to lower case, in place. */
static void ascii_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* s folded for comparing names (vnkey_fold: lower case, no accents), with
 * runs of spaces or '_' made one space and none at the ends. False when
 * it does not fit in out. */
static bool fold_name(const char *s, char *out, size_t size)
{
	char tmp[256];
	if (!vnkey_fold(s, tmp, sizeof tmp))
		return false;
	size_t o = 0;
	bool space = false;
	for (const char *p = tmp; *p; p++) {
		if (is_blank((unsigned char)*p) || *p == '_') {
			space = o > 0;
			continue;
		}
		if (o + 3 > size)
			return false;
		if (space)
			out[o++] = ' ';
		space = false;
		out[o++] = *p;
	}
	out[o] = '\0';
	return true;
}

/* The spreadsheet's name of column index i: A..Z, AA, AB ... */
static const char *column_letters(size_t i, char out[8])
{
	char tmp[8];
	size_t n = 0;
	i++;
	while (i && n < 7) {
		i--;
		tmp[n++] = (char)('A' + i % 26);
		i /= 26;
	}
	for (size_t k = 0; k < n; k++)
		out[k] = tmp[n - 1 - k];
	out[n] = '\0';
	return out;
}

/* ------------------------------------------------------------------------
 * Encoding
 * ------------------------------------------------------------------------ */

/* Whether d[0..len) is UTF-16 text (a BOM, or NUL bytes in every other
 * place); reported when it is. */
static bool refuse_utf16(const char *path, const unsigned char *d, size_t len,
			 struct diag_list *diags)
{
	if (len >= 2 && d[0] == 0xFF && d[1] == 0xFE) {
		diag_add(diags, DIAG_ERROR, path, 0, 0,
			 "this file is UTF-16 text (what Excel saves as "
			 "\"Unicode Text\"), not UTF-8, so it cannot be read: "
			 SAVE_ADVICE);
		return true;
	}
	size_t nul = 0;
	for (size_t i = 0; i < len; i++)
		nul += d[i] == 0;
	if ((len >= 2 && d[0] == 0xFE && d[1] == 0xFF) ||
	    (nul > 0 && nul * 4 >= len)) {
		diag_add(diags, DIAG_ERROR, path, 0, 0,
			 "this file is UTF-16 text, not UTF-8, so it cannot "
			 "be read: " SAVE_ADVICE);
		return true;
	}
	return false;
}

/* Split the data into physical lines and mark the ones that are not
 * UTF-8 (or hold a NUL byte). When no line with letters beyond ASCII is
 * good UTF-8 and some are not, the whole file is in another encoding:
 * reported, and false returned. */
static bool split_lines(struct csv_load *st, size_t len)
{
	const char *d = st->data;
	size_t cap = 64;
	st->lines = xmalloc(cap * sizeof *st->lines);
	for (size_t pos = 0; pos < len;) {
		size_t end = pos;
		while (end < len && d[end] != '\n' && d[end] != '\r')
			end++;
		size_t next = end;
		if (next < len)
			next += (d[next] == '\r' && next + 1 < len &&
				 d[next + 1] == '\n') ? 2 : 1;
		if (st->n_lines == cap) {
			cap *= 2;
			st->lines = xrealloc(st->lines, cap * sizeof *st->lines);
		}
		st->lines[st->n_lines++] = (struct line_span){ pos, next - pos };
		pos = next;
	}

	st->bad_lines = xcalloc(st->n_lines + 1, 1);
	size_t n_bad = 0, n_good_wide = 0;
	int first_bad = 0;      /* first line that is not UTF-8 */
	for (size_t i = 0; i < st->n_lines; i++) {
		const char *s = d + st->lines[i].off;
		size_t n = st->lines[i].len;
		while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
			n--;
		if (memchr(s, '\0', n)) {
			st->bad_lines[i + 1] = LINE_BAD;
			continue;
		}
		if (!utf8_valid(s, n, NULL)) {
			st->bad_lines[i + 1] = LINE_BAD;
			if (!n_bad++)
				first_bad = (int)i + 1;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			if ((unsigned char)s[k] >= 0x80) {
				n_good_wide++;
				break;
			}
		}
	}
	if (n_bad && !n_good_wide) {
		diag_add(st->diags, DIAG_ERROR, st->path, first_bad, 0,
			 "this file is not UTF-8 text: it was saved in an older "
			 "encoding such as Windows-1258 (what Excel writes for "
			 "plain \"CSV (Comma delimited)\"), so its letters "
			 "cannot be read (this line is the first with such "
			 "letters); nothing in it is loaded: " SAVE_ADVICE);
		return false;
	}
	return true;
}

/* Whether lines from..to hold one that is not UTF-8; the ones not yet
 * reported are reported, as the header row when header is set. */
static bool rows_lines_bad(struct csv_load *st, int from, int to, bool header)
{
	bool bad = false;
	for (int l = from; l <= to && l <= (int)st->n_lines; l++) {
		if (st->bad_lines[l] == LINE_OK)
			continue;
		bad = true;
		if (st->bad_lines[l] == LINE_REPORTED)
			continue;
		st->bad_lines[l] = LINE_REPORTED;
		if (header)
			diag_add(st->diags, DIAG_ERROR, st->path, l, 0,
				 "the header row is not valid UTF-8 text, so "
				 "nothing in this file can be read; save the "
				 "file as \"CSV UTF-8\" (Excel) or as \"Text "
				 "CSV\" with \"Unicode (UTF-8)\" (LibreOffice "
				 "Calc)");
		else
			diag_add(st->diags, DIAG_ERROR, st->path, l, 0,
				 "this line is not valid UTF-8 text, so the "
				 "question on it is left out; save the file as "
				 "\"CSV UTF-8\" (Excel) or as \"Text CSV\" with "
				 "\"Unicode (UTF-8)\" (LibreOffice Calc)");
	}
	return bad;
}

/* Mark every bad line as reported (nothing more will be said of them). */
static void silence_bad_lines(struct csv_load *st)
{
	for (size_t l = 1; l <= st->n_lines; l++)
		if (st->bad_lines[l] == LINE_BAD)
			st->bad_lines[l] = LINE_REPORTED;
}

/* ------------------------------------------------------------------------
 * The separator
 * ------------------------------------------------------------------------ */

/* Whether line i holds anything libcsv starts a row with. */
static bool line_has_content(const struct csv_load *st, size_t i)
{
	const char *s = st->data + st->lines[i].off;
	for (size_t k = 0; k < st->lines[i].len; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c == st->delim || !is_blank(c))
			return true;
	}
	return false;
}

/* Choose the separator: Excel's "sep=;" first line when there is one
 * (skipped), else the one of comma, semicolon and tab found most often
 * outside quotes in the first line with text (the header row). Returns
 * the index of the first line to read. */
static size_t choose_delim(struct csv_load *st)
{
	st->delim = CSV_COMMA;
	if (st->n_lines == 0)
		return 0;
	const char *s = st->data + st->lines[0].off;
	size_t n = st->lines[0].len;
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (n == 5 && strncasecmp(s, "sep=", 4) == 0) {
		st->delim = (unsigned char)s[4];
		return 1;
	}
	st->delim = 0;          /* only blanks count as empty here */
	for (size_t i = 0; i < st->n_lines; i++) {
		if (!line_has_content(st, i))
			continue;
		s = st->data + st->lines[i].off;
		size_t counts[3] = { 0, 0, 0 };
		bool quoted = false;
		for (size_t k = 0; k < st->lines[i].len; k++) {
			if (s[k] == '"')
				quoted = !quoted;
			else if (!quoted && s[k] == ',')
				counts[0]++;
			else if (!quoted && s[k] == ';')
				counts[1]++;
			else if (!quoted && s[k] == '\t')
				counts[2]++;
		}
		if (counts[1] > counts[0] && counts[1] >= counts[2])
			st->delim = ';';
		else if (counts[2] > counts[0] && counts[2] > counts[1])
			st->delim = CSV_TAB;
		break;
	}
	if (!st->delim)
		st->delim = CSV_COMMA;
	return 0;
}

/* ------------------------------------------------------------------------
 * The header row
 * ------------------------------------------------------------------------ */

/* Read the header row from st->row (taking its cells). */
static void take_header(struct csv_load *st)
{
	st->have_header = true;
	st->header_line = st->record_line;
	st->header = st->row;
	memset(&st->row, 0, sizeof st->row);
	for (int c = 0; c < COL_COUNT; c++)
		st->col_of[c] = -1;
	st->named = xcalloc(st->header.n + 1, sizeof *st->named);
	st->header_ok = false;
	if (st->header.n == 1) {
		/* "id|language|..." or a sheet saved as something else */
		diag_add(st->diags, DIAG_ERROR, st->path, st->header_line, 0,
			 "the header row has only one column; separate the "
			 "columns with commas, semicolons or tabs (save the "
			 "sheet as CSV)");
		return;
	}

	for (size_t i = 0; i < st->header.n; i++) {
		const char *text = st->header.v[i];
		if (!*text)
			continue;
		st->named[i] = true;
		char folded[64], letters[8];
		int col = -1;
		if (fold_name(text, folded, sizeof folded))
			for (size_t k = 0; k < ARRAY_LEN(header_names); k++)
				if (strcmp(folded, header_names[k].name) == 0)
					col = header_names[k].col;
		if (col < 0) {
			diag_add(st->diags, DIAG_WARNING, st->path,
				 st->header_line, 0,
				 "unknown column '%s' (column %s) in the header "
				 "row; it is ignored", text,
				 column_letters(i, letters));
		} else if (st->col_of[col] >= 0) {
			char first[8];
			diag_add(st->diags, DIAG_WARNING, st->path,
				 st->header_line, 0,
				 "the header row names the column '%s' twice "
				 "(columns %s and %s); the second one is ignored",
				 text,
				 column_letters((size_t)st->col_of[col], first),
				 column_letters(i, letters));
		} else {
			st->col_of[col] = (int)i;
		}
	}

	st->header_ok = true;
	for (size_t k = 0; k < ARRAY_LEN(required_columns); k++) {
		if (st->col_of[required_columns[k].col] >= 0)
			continue;
		st->header_ok = false;
		if (required_columns[k].name_vi)
			diag_add(st->diags, DIAG_ERROR, st->path,
				 st->header_line, 0,
				 "no '%s' column in the header row (or '%s'); "
				 "no question in this file can be read",
				 required_columns[k].name,
				 required_columns[k].name_vi);
		else
			diag_add(st->diags, DIAG_ERROR, st->path,
				 st->header_line, 0,
				 "no '%s' column in the header row; no question "
				 "in this file can be read",
				 required_columns[k].name);
	}
}

/* ------------------------------------------------------------------------
 * A question row
 * ------------------------------------------------------------------------ */

/* The cell of column col in the current row, "" when empty or absent. */
static const char *cell(const struct csv_load *st, int col)
{
	int i = st->col_of[col];
	return i >= 0 && (size_t)i < st->row.n ? st->row.v[i] : "";
}

/* The column's name as the header row writes it (the column must be
 * there). */
static const char *column_title(const struct csv_load *st, int col)
{
	return st->header.v[st->col_of[col]];
}

/* Report a problem of the current row, prefixed with its question's id
 * when it has one. */
static void row_problem(const struct csv_load *st, enum diag_severity sev,
			const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void row_problem(const struct csv_load *st, enum diag_severity sev,
			const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	const char *id = cell(st, COL_ID);
	if (*id)
		diag_add(st->diags, sev, st->path, st->record_line, 0,
			 "question '%s': %s", id, msg);
	else
		diag_add(st->diags, sev, st->path, st->record_line, 0, "%s",
			 msg);
	free(msg);
}

/* Warn about text in cells no header names (more cells than the header
 * row, or under an empty header cell). Once per row. */
static void check_extra_cells(const struct csv_load *st)
{
	for (size_t i = 0; i < st->row.n; i++) {
		if (!*st->row.v[i] || (i < st->header.n && st->named[i]))
			continue;
		char letters[8];
		if (i >= st->header.n)
			row_problem(st, DIAG_WARNING,
				    "this row has more cells than the header "
				    "row (text in column %s); the extra cells "
				    "are ignored", column_letters(i, letters));
		else
			row_problem(st, DIAG_WARNING,
				    "text in column %s, which has no name in "
				    "the header row; it is ignored",
				    column_letters(i, letters));
		return;
	}
}

/* The language tag of the row: the registry's spelling when it knows the
 * tag in any case, else the cell in lower case; NULL when empty. A
 * language name written instead of its tag is reported (*bad set). */
static char *row_lang(const struct csv_load *st, bool *bad)
{
	const char *s = cell(st, COL_LANG);
	if (!*s)
		return NULL;
	if (st->langs) {
		char want[128], have[128];
		bool fits = fold_name(s, want, sizeof want);
		for (size_t i = 0; i < st->langs->n_langs; i++) {
			const struct lang *l = &st->langs->langs[i];
			if (strcasecmp(l->tag, s) == 0)
				return xstrdup(l->tag);
		}
		for (size_t i = 0; fits && i < st->langs->n_langs; i++) {
			const struct lang *l = &st->langs->langs[i];
			if ((l->endonym && fold_name(l->endonym, have,
						     sizeof have) &&
			     strcmp(have, want) == 0) ||
			    (l->name_vi && fold_name(l->name_vi, have,
						     sizeof have) &&
			     strcmp(have, want) == 0)) {
				row_problem(st, DIAG_ERROR,
					    "the '%s' cell says '%s', a "
					    "language name: write its tag '%s' "
					    "instead; left out",
					    column_title(st, COL_LANG), s,
					    l->tag);
				*bad = true;
				return NULL;
			}
		}
	}
	char *tag = xstrdup(s);
	ascii_lower(tag);
	return tag;
}

/* The choices of the row into q; a filled choice after an empty one is
 * reported (*bad set). */
static void row_choices(const struct csv_load *st, struct quiz_question *q,
			bool *bad)
{
	size_t n = 0;
	for (size_t i = 0; i < QUIZ_MAX_CHOICES; i++)
		if (*cell(st, COL_A + (int)i))
			n = i + 1;
	for (size_t i = 0; i < n; i++) {
		if (*cell(st, COL_A + (int)i))
			continue;
		size_t k = i + 1;
		while (!*cell(st, COL_A + (int)k))
			k++;
		row_problem(st, DIAG_ERROR,
			    "choice %c is filled in but %c is empty; left out",
			    (char)('A' + k), (char)('A' + i));
		*bad = true;
		return;
	}
	q->n_choices = n;
	for (size_t i = 0; i < n; i++)
		q->choices[i] = xstrdup(cell(st, COL_A + (int)i));
}

/* The right choices: letters separated by commas, semicolons or spaces,
 * in any case. Problems are reported (*bad set). */
static unsigned row_correct(const struct csv_load *st, size_t n_choices,
			    bool *bad)
{
	const char *s = cell(st, COL_CORRECT);
	const char *title = column_title(st, COL_CORRECT);
	if (!*s) {
		row_problem(st, DIAG_ERROR,
			    "the '%s' cell is empty: write the letter of the "
			    "right choice, e.g. B; left out", title);
		*bad = true;
		return 0;
	}
	unsigned mask = 0;
	while (*s) {
		s += strspn(s, ",; \t\n");
		size_t n = strcspn(s, ",; \t\n");
		if (!n)
			break;
		char c = n == 1 ? s[0] : 0;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c < 'A' || c >= 'A' + QUIZ_MAX_CHOICES) {
			row_problem(st, DIAG_ERROR,
				    "the '%s' cell holds '%.*s', which is not "
				    "a choice letter A to %c (several right "
				    "choices are written 'A, C'); left out",
				    title, (int)n, s,
				    'A' + QUIZ_MAX_CHOICES - 1);
			*bad = true;
			return 0;
		}
		size_t i = (size_t)(c - 'A');
		if (i >= n_choices) {
			row_problem(st, DIAG_ERROR,
				    "the '%s' cell names choice %c, but choice "
				    "%c is empty; left out", title, c, c);
			*bad = true;
			return 0;
		}
		mask |= 1u << i;
		s += n;
	}
	return mask;
}

/* The difficulty: 1..3 or a word; 0 when empty or not understood
 * (reported as a warning). */
static int row_difficulty(const struct csv_load *st)
{
	const char *s = cell(st, COL_DIFFICULTY);
	if (!*s)
		return 0;
	static const struct {
		const char *word;       /* as fold_name leaves it */
		int level;
	} words[] = {
		{ "1", 1 }, { "2", 2 }, { "3", 3 },
		{ "easy", 1 }, { "medium", 2 }, { "hard", 3 },
		{ "de", 1 }, { "trung binh", 2 }, { "kho", 3 },
	};
	char folded[64];
	if (fold_name(s, folded, sizeof folded))
		for (size_t i = 0; i < ARRAY_LEN(words); i++)
			if (strcmp(folded, words[i].word) == 0)
				return words[i].level;
	row_problem(st, DIAG_WARNING,
		    "the '%s' cell says '%s'; write 1, 2 or 3 (or easy, "
		    "medium, hard; dễ, trung bình, khó); the question is "
		    "loaded without a difficulty",
		    column_title(st, COL_DIFFICULTY), s);
	return 0;
}

/* The picture's path, joined to the file's folder; it must be a JPEG,
 * PNG or WebP file that exists. NULL when there is none or it is bad
 * (reported, *bad set). Caller frees. */
static char *row_picture(const struct csv_load *st, bool *bad)
{
	const char *s = cell(st, COL_PICTURE);
	if (!*s)
		return NULL;
	char *rel = xstrdup(s);
	for (char *p = rel; *p; p++)
		if (*p == '\\')
			*p = '/';       /* written on Windows */
	if (!path_has_ext(rel, "jpg") && !path_has_ext(rel, "jpeg") &&
	    !path_has_ext(rel, "png") && !path_has_ext(rel, "webp")) {
		row_problem(st, DIAG_ERROR,
			    "picture '%s' is not a JPEG, PNG or WebP file "
			    "(.jpg, .jpeg, .png, .webp); left out", s);
		free(rel);
		*bad = true;
		return NULL;
	}
	char *full = path_join(st->dir, rel);
	free(rel);
	if (!file_exists(full)) {
		row_problem(st, DIAG_ERROR,
			    "picture '%s' not found (looked for %s); left out",
			    s, full);
		free(full);
		*bad = true;
		return NULL;
	}
	return full;
}

/* Turn the current row into a question and hand it to the bank. Every
 * problem of the row is reported before it is left out. */
static void take_question(struct csv_load *st)
{
	check_extra_cells(st);
	bool bad = false;
	struct quiz_question q = { 0 };
	q.file = xstrdup(st->path);
	q.line = st->record_line;
	q.lang = row_lang(st, &bad);
	row_choices(st, &q, &bad);
	if (!bad)
		q.correct = row_correct(st, q.n_choices, &bad);
	q.difficulty = row_difficulty(st);
	q.picture = row_picture(st, &bad);
	if (bad) {
		quiz_question_finish(&q);
		return;
	}
	q.id = dup_or_null(cell(st, COL_ID));
	q.text = dup_or_null(cell(st, COL_QUESTION));
	q.explanation = dup_or_null(cell(st, COL_EXPLANATION));
	q.topic = dup_or_null(cell(st, COL_TOPIC));
	if (q.topic)
		ascii_lower(q.topic);
	quiz_bank_add(st->bank, &q, st->langs, st->diags);
}

/* ------------------------------------------------------------------------
 * Feeding libcsv
 * ------------------------------------------------------------------------ */

/* libcsv: one cell read. */
static void on_cell(void *s, size_t len, void *data)
{
	struct csv_load *st = data;
	cells_push(&st->row, cell_dup(s ? s : "", s ? len : 0));
	st->field_line = st->line;  /* the next cell starts on this line */
}

static void drop_row(struct csv_load *st);

/* libcsv: the row ended (c is its line break, or -1 at the end). */
static void on_row(int c, void *data)
{
	(void)c;
	struct csv_load *st = data;
	st->in_record = false;
	if (st->skip_row) {
		drop_row(st);
		csv_set_opts(st->parser, PARSE_STRICT);
		return;
	}
	bool empty = true;
	for (size_t i = 0; i < st->row.n && empty; i++)
		empty = !*st->row.v[i];
	if (empty || (st->have_header && !st->header_ok)) {
		cells_clear(&st->row);
		return;
	}
	if (rows_lines_bad(st, st->record_line, st->line, !st->have_header)) {
		if (st->have_header) {
			st->n_rows++;
		} else {
			st->have_header = true;  /* header_ok stays false */
			st->header_line = st->record_line;
			silence_bad_lines(st);
		}
		cells_clear(&st->row);
		return;
	}
	if (!st->have_header) {
		take_header(st);
		if (!st->header_ok)
			silence_bad_lines(st);
		return;
	}
	st->n_rows++;
	take_question(st);
	cells_clear(&st->row);
}

/* Leave out the row being read (after a quoting error). When it is the
 * header row, nothing in the file is read. */
static void drop_row(struct csv_load *st)
{
	if (!st->have_header) {
		st->have_header = true;         /* header_ok stays false */
		st->header_line = st->record_line;
		silence_bad_lines(st);
	} else {
		st->n_rows++;
	}
	cells_clear(&st->row);
	st->in_record = false;
	st->skip_row = false;
}

/* Whether line i looks like the start of a question row: as many
 * separators outside quotes as a row needs to reach its last required
 * column (6 required columns). */
static bool looks_like_row(const struct csv_load *st, size_t i)
{
	if (i >= st->n_lines)
		return false;
	const char *s = st->data + st->lines[i].off;
	size_t seps = 0;
	bool quoted = false;
	for (size_t k = 0; k < st->lines[i].len; k++) {
		if (s[k] == '"')
			quoted = !quoted;
		else if (!quoted && (unsigned char)s[k] == st->delim)
			seps++;
	}
	return seps + 1 >= ARRAY_LEN(required_columns);
}

/* Feed line i to libcsv. Returns 0, or the 1-based line to start again
 * from after a quoting error (reported; the row is dropped). */
static int feed_line(struct csv_load *st, struct csv_parser *p, size_t i)
{
	const char *s = st->data + st->lines[i].off;
	size_t len = st->lines[i].len;
	st->line = (int)i + 1;
	if (!st->in_record && line_has_content(st, i)) {
		st->in_record = true;
		st->record_line = st->field_line = st->line;
	}
	size_t done = 0;
	while (done < len) {
		done += csv_parse(p, s + done, len - done, on_cell, on_row, st);
		if (done == len)
			break;
		if (csv_error(p) != CSV_EPARSE) {
			diag_add(st->diags, DIAG_ERROR, st->path, st->line, 0,
				 "cannot read the file: %s",
				 csv_strerror(csv_error(p)));
			st->stop = true;
			return 0;
		}
		if (s[done] == '"') {
			/* A quote inside a cell that does not start with
			 * one: kept as it is, as the spreadsheets read it. */
			csv_set_opts(p, PARSE_LENIENT);
			size_t n = csv_parse(p, s + done, 1, on_cell, on_row,
					     st);
			csv_set_opts(p, PARSE_STRICT);
			if (n != 1) {
				st->stop = true;
				return 0;
			}
			done++;
			continue;
		}
		/* Text after the closing quote of a quoted cell. */
		if (st->field_line == st->line) {
			diag_add(st->diags, DIAG_ERROR, st->path, st->line, 0,
				 "text after the closing quote of a quoted "
				 "cell; the row is left out (a quote inside a "
				 "quoted cell is written twice: \"\")");
			drop_row(st);
			return st->line + 1;
		}
		/* The cell began on an earlier line: either its opening
		 * quote was never closed and the quote here opens a cell of
		 * a later row (read again from the line after the opening
		 * quote), or a quote inside it is not doubled (read on to
		 * the end of its row, which is dropped). */
		if (looks_like_row(st, (size_t)st->field_line)) {
			diag_add(st->diags, DIAG_ERROR, st->path,
				 st->field_line, 0,
				 "the quoted cell that starts on this line "
				 "runs on to line %d, where text follows a "
				 "quote: a closing quote is probably missing; "
				 "the row is left out", st->line);
			drop_row(st);
			return st->field_line + 1;
		}
		diag_add(st->diags, DIAG_ERROR, st->path, st->field_line, 0,
			 "a quote inside the quoted cell that starts on this "
			 "line is not doubled (on line %d); the row is left "
			 "out (a quote inside a quoted cell is written twice: "
			 "\"\")", st->line);
		st->skip_row = true;
		st->skip_line = st->line;
		csv_set_opts(p, PARSE_LENIENT);
	}
	return 0;
}

/* Read the lines from index first on, starting again after each quoting
 * error. */
static void read_rows(struct csv_load *st, size_t first)
{
	size_t i = first;
	while (!st->stop) {
		struct csv_parser p;
		csv_init(&p, PARSE_STRICT);
		csv_set_delim(&p, st->delim);
		st->parser = &p;
		st->in_record = false;
		st->skip_row = false;
		cells_clear(&st->row);
		int again = 0;
		while (i < st->n_lines && !again && !st->stop)
			again = feed_line(st, &p, i++);
		csv_set_opts(&p, PARSE_STRICT);
		if (!again && !st->stop &&
		    csv_fini(&p, on_cell, on_row, st) != 0) {
			if (st->skip_row) {
				/* read leniently to the end of the file
				 * inside a quoted cell: read again after the
				 * quote that was not doubled (reported) */
				again = st->skip_line + 1;
			} else {
				diag_add(st->diags, DIAG_ERROR, st->path,
					 st->field_line, 0,
					 "a quoted cell starts on this line but "
					 "its closing quote is missing; the row "
					 "is left out");
				again = st->field_line + 1;
			}
			drop_row(st);
		}
		csv_free(&p);
		st->parser = NULL;
		cells_clear(&st->row);
		if (!again || (size_t)again > st->n_lines)
			break;
		i = (size_t)again - 1;
	}
}

/* ------------------------------------------------------------------------
 * Entry point
 * ------------------------------------------------------------------------ */

bool quiz_bank_load_csv(struct quiz_bank *bank, const char *path,
			const struct lang_registry *langs,
			struct diag_list *diags)
{
	size_t len;
	char *data = file_read_all(path, &len);
	if (!data) {
		diag_add(diags, DIAG_ERROR, path, 0, 0,
			 "cannot read the file: %s", strerror(errno));
		return false;
	}
	struct csv_load st = {
		.bank = bank, .path = path, .langs = langs, .diags = diags,
		.data = data,
	};
	const char *slash = strrchr(path, '/');
	st.dir = slash ? xasprintf("%.*s", slash == path ? 1
				   : (int)(slash - path), path)
		       : xstrdup("");

	if (refuse_utf16(path, (const unsigned char *)data, len, diags))
		goto out;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		st.data += 3;
		len -= 3;
	}
	if (!split_lines(&st, len))
		goto out;

	read_rows(&st, choose_delim(&st));

	if (!st.have_header)
		diag_add(diags, DIAG_WARNING, path, 0, 0,
			 "the file is empty: no header row and no questions");
	else if (st.header_ok && st.n_rows == 0)
		diag_add(diags, DIAG_WARNING, path, st.header_line, 0,
			 "the file has a header row but no questions");
	/* Bad lines no row covered (skipped after a quoting error). */
	for (size_t l = 1; l <= st.n_lines; l++)
		if (st.bad_lines[l] == LINE_BAD)
			rows_lines_bad(&st, (int)l, (int)l, false);
out:
	cells_finish(&st.row);
	cells_finish(&st.header);
	free(st.named);
	free(st.bad_lines);
	free(st.lines);
	free(st.dir);
	free(data);
	return true;
}
