/*
 * csvread: a whole CSV file (or text) read into memory as rows of cells
 * (csvread.h says what is read how).
 *
 * libcsv is fed one physical line at a time (a line ends at LF, CRLF or a
 * lone CR, quoted or not), with CSV_REPALL_NL so that it reports every
 * line break outside a quoted cell, blank lines included. A row therefore
 * always ends with the line being fed, which gives each row its first
 * line and its text as written. The LF of a CRLF is reported as a row of
 * its own after the CR's: it is passed over.
 */
#include "report/csvread.h"

#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define UTF8_BOM "\xEF\xBB\xBF"

/* The parse under way. */
struct reader {
	struct csvread_table *t;
	size_t cap_rows;
	char **cells;           /* cells of the row being read, owned */
	size_t n_cells, cap_cells;
	size_t row_start;       /* offset in t->data where that row starts */
	int row_line;           /* and its line */
	int line;               /* 1-based line being fed */
	size_t line_end;        /* end of that line's text (its line break
				 * left out) */
	size_t next_start;      /* start of the line after it */
	bool cr_ended_row;      /* a CR of the line being fed ended a row:
				 * an LF after it is the same line break */
};

/* libcsv's cell callback: append a copy of the cell to the row. */
static void on_cell(void *s, size_t len, void *data)
{
	struct reader *r = data;
	if (r->n_cells == r->cap_cells) {
		r->cap_cells = r->cap_cells ? r->cap_cells * 2 : 16;
		r->cells = xrealloc(r->cells, r->cap_cells * sizeof *r->cells);
	}
	char *cell = xmalloc(len + 1);
	if (len)
		memcpy(cell, s, len);
	cell[len] = '\0';
	r->cells[r->n_cells++] = cell;
}

/* libcsv's row callback (c: the line break that ended it, -1 at the end
 * of the text): the row becomes the table's, up to the end of the line
 * being fed. */
static void on_row(int c, void *data)
{
	struct reader *r = data;
	if (c == '\n' && r->cr_ended_row && r->n_cells == 0) {
		r->cr_ended_row = false;
		return;
	}
	r->cr_ended_row = c == '\r';
	struct csvread_table *t = r->t;
	if (t->n_rows == r->cap_rows) {
		r->cap_rows = r->cap_rows ? r->cap_rows * 2 : 64;
		t->rows = xrealloc(t->rows, r->cap_rows * sizeof *t->rows);
	}
	struct csvread_row *row = &t->rows[t->n_rows++];
	row->n_cells = r->n_cells;
	row->cells = xmalloc((r->n_cells ? r->n_cells : 1) * sizeof *row->cells);
	if (r->n_cells)
		memcpy(row->cells, r->cells, r->n_cells * sizeof *row->cells);
	row->line = r->row_line;
	row->text = t->data + r->row_start;
	row->text_len = r->line_end - r->row_start;
	r->n_cells = 0;
	r->row_start = r->next_start;
	r->row_line = r->line + 1;
}

/* libcsv's test for spaces to trim around unquoted cells: none are. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* Parse t->data into t's rows. False with *error set (when error is not
 * NULL) if libcsv fails. */
static bool parse(struct csvread_table *t, const char *name, char **error)
{
	struct csv_parser p;
	if (csv_init(&p, CSV_APPEND_NULL | CSV_REPALL_NL) != 0) {
		if (error)
			*error = xasprintf("%s: cannot read the CSV: out of memory", name);
		return false;
	}
	csv_set_space_func(&p, no_space);
	struct reader r = { .t = t, .row_line = 1 };
	const char *d = t->data;
	size_t len = t->data_len;
	bool ok = true;
	for (size_t pos = 0; pos < len && ok;) {
		size_t end = pos;
		while (end < len && d[end] != '\n' && d[end] != '\r')
			end++;
		size_t next = end;
		if (next < len)
			next += (d[next] == '\r' && next + 1 < len && d[next + 1] == '\n') ? 2 : 1;
		r.line++;
		r.line_end = end;
		r.next_start = next;
		r.cr_ended_row = false;
		ok = csv_parse(&p, d + pos, next - pos, on_cell, on_row, &r) == next - pos;
		pos = next;
	}
	if (ok) {
		/* a last row with no line break ends with the text */
		r.line_end = r.next_start = len;
		ok = csv_fini(&p, on_cell, on_row, &r) == 0;
	}
	if (!ok && error)
		*error = xasprintf("%s: cannot read the CSV: %s", name,
				   csv_strerror(csv_error(&p)));
	csv_free(&p);
	for (size_t i = 0; i < r.n_cells; i++)
		free(r.cells[i]);
	free(r.cells);
	return ok;
}

/* A table of buf (len bytes, NUL-terminated), which it takes. */
static struct csvread_table *table_take(char *buf, size_t len, const char *name,
					char **error)
{
	if (len >= 3 && memcmp(buf, UTF8_BOM, 3) == 0) {
		memmove(buf, buf + 3, len - 3 + 1);
		len -= 3;
	}
	struct csvread_table *t = xcalloc(1, sizeof *t);
	t->data = buf;
	t->data_len = len;
	if (!parse(t, name, error)) {
		csvread_free(t);
		return NULL;
	}
	return t;
}

struct csvread_table *csvread_file(const char *path, char **error)
{
	size_t len = 0;
	char *buf = file_read_all(path, &len);
	if (!buf) {
		if (error)
			*error = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	return table_take(buf, len, path, error);
}

struct csvread_table *csvread_string(const char *data, size_t len, const char *name,
				     char **error)
{
	char *buf = xmalloc(len + 1);
	if (len)
		memcpy(buf, data, len);
	buf[len] = '\0';
	return table_take(buf, len, name, error);
}

void csvread_free(struct csvread_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_rows; i++) {
		for (size_t c = 0; c < t->rows[i].n_cells; c++)
			free(t->rows[i].cells[c]);
		free(t->rows[i].cells);
	}
	free(t->rows);
	free(t->data);
	free(t);
}

int csvread_column(const struct csvread_row *row, const char *name)
{
	if (!row)
		return -1;
	for (size_t i = 0; i < row->n_cells; i++)
		if (strcmp(row->cells[i], name) == 0)
			return (int)i;
	return -1;
}

const char *csvread_cell(const struct csvread_row *row, int col)
{
	if (!row || col < 0 || (size_t)col >= row->n_cells)
		return NULL;
	return row->cells[col];
}
