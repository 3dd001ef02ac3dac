/*
 * csvread: a whole CSV file (or text) read into memory as rows of cells,
 * for programs and tests that read back what the reports or other tools
 * wrote. Question banks have their own, stricter reader (quiz/bank_csv.c).
 *
 * The cells are split by libcsv, not strict: RFC 4180 as spreadsheets and
 * the sqlite3 tool write it, read the way they read it.
 *   - Cells are separated by commas; a UTF-8 byte order mark at the start
 *     is skipped.
 *   - Rows end at LF, CRLF or a lone CR; a final line break is optional.
 *   - A quoted cell may hold commas, line breaks (kept as written) and
 *     quotes written twice (""), read as one.
 *   - Spaces around a cell are kept.
 *   - A blank line is a row of no cells, so that text holding several
 *     tables one after another can tell where each ends.
 *   - Nothing is refused: a quote out of place is kept as text, and a
 *     quoted cell never closed runs to the end of the text.
 *   - A cell holding a NUL byte ends there as C sees it.
 *
 * Ownership: a table, its rows, their cells and their text belong to the
 * table; csvread_free frees them all. Tables are plain data: any thread
 * may read one, and nothing here keeps state between calls.
 */
#ifndef KIOSK_REPORT_CSVREAD_H
#define KIOSK_REPORT_CSVREAD_H

#include <stddef.h>

/* One row of a table. */
struct csvread_row {
	char **cells;           /* n_cells NUL-terminated cells */
	size_t n_cells;         /* 0 for a blank line */
	int line;               /* 1-based line of the text the row starts on
				 * (the byte order mark is not a line) */
	const char *text;       /* the row as written (text_len bytes, not
				 * NUL-terminated, its line break left out) */
	size_t text_len;
};

/* A whole CSV text. */
struct csvread_table {
	struct csvread_row *rows;       /* in the order of the text */
	size_t n_rows;
	char *data;                     /* the text the rows' text points
					 * into (a copy, after any byte
					 * order mark) */
	size_t data_len;
};

/* Read the CSV file at path. Returns a table the caller frees with
 * csvread_free, or NULL when the file cannot be read; then, when error is
 * not NULL, *error is set to a message naming the file ("PATH: reason",
 * no line break; caller frees). An empty file is a table of no rows. */
struct csvread_table *csvread_file(const char *path, char **error);

/* Read len bytes of CSV text (NUL bytes allowed), copied. name stands for
 * the text in messages. Returns a table the caller frees with
 * csvread_free, or NULL, with *error set as csvread_file sets it, only
 * when libcsv fails (out of memory). */
struct csvread_table *csvread_string(const char *data, size_t len, const char *name,
				     char **error);

/* Free t and everything in it. Accepts NULL. */
void csvread_free(struct csvread_table *t);

/* The index of the first cell of row (usually a table's header row, which
 * may be NULL) that is exactly name (no case folding, no trimming), or
 * -1. */
int csvread_column(const struct csvread_row *row, const char *name);

/* Cell col of row, or NULL when row is NULL or has no such cell (col
 * negative or past its end). */
const char *csvread_cell(const struct csvread_row *row, int col);

#endif
