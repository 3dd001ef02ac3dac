/*
 * test_csvread: CSV read into rows of cells: with and without a byte
 * order mark, LF, CRLF and lone CR line breaks, quoted cells holding
 * commas, doubled quotes and line breaks, empty cells and blank lines,
 * each row's line and text as written, finding a column by its header
 * name, a missing file and a directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "report/csvread.h"
#include "test_support.h"

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

/* A table of the NUL-terminated text s; fails the test when there is
 * none. */
static struct csvread_table *parse(const char *s)
{
	char *err = NULL;
	struct csvread_table *t = csvread_string(s, strlen(s), "test.csv", &err);
	if (!t)
		fail_msg("no table: %s", err ? err : "(no message)");
	assert_null(err);
	return t;
}

/* Row r of t has exactly the n cells given. */
static void assert_row(const struct csvread_table *t, size_t r, size_t n, ...)
{
	if (r >= t->n_rows)
		fail_msg("row %zu asked for, the table has %zu", r, t->n_rows);
	const struct csvread_row *row = &t->rows[r];
	if (row->n_cells != n)
		fail_msg("row %zu has %zu cells, not %zu", r, row->n_cells, n);
	va_list ap;
	va_start(ap, n);
	for (size_t c = 0; c < n; c++) {
		const char *want = va_arg(ap, const char *);
		if (strcmp(row->cells[c], want) != 0) {
			va_end(ap);
			fail_msg("row %zu cell %zu is \"%s\", not \"%s\"", r, c,
				 row->cells[c], want);
		}
	}
	va_end(ap);
}

/* Row r's text as written is want. */
static void assert_row_text(const struct csvread_table *t, size_t r, const char *want)
{
	assert_true(r < t->n_rows);
	const struct csvread_row *row = &t->rows[r];
	if (row->text_len != strlen(want) || memcmp(row->text, want, row->text_len) != 0)
		fail_msg("row %zu's text is \"%.*s\", not \"%s\"", r, (int)row->text_len,
			 row->text, want);
}

/* The same table whatever the line breaks and byte order mark. */
static void check_plain(const char *text)
{
	struct csvread_table *t = parse(text);
	assert_int_equal(t->n_rows, 3);
	assert_row(t, 0, 3, "item_id", "title", "views");
	assert_row(t, 1, 3, "a-1", "Quyền trẻ em", "12");
	assert_row(t, 2, 3, "b-2", "Điều 12", "7");
	assert_int_equal(t->rows[0].line, 1);
	assert_int_equal(t->rows[2].line, 3);
	assert_row_text(t, 0, "item_id,title,views");
	assert_row_text(t, 2, "b-2,Điều 12,7");
	csvread_free(t);
}

/* ------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------ */

static void test_line_breaks_and_bom(void **state)
{
	(void)state;
	check_plain("item_id,title,views\na-1,Quyền trẻ em,12\nb-2,Điều 12,7\n");
	check_plain("item_id,title,views\r\na-1,Quyền trẻ em,12\r\nb-2,Điều 12,7\r\n");
	check_plain("\xEF\xBB\xBFitem_id,title,views\r\na-1,Quyền trẻ em,12\r\n"
		    "b-2,Điều 12,7\r\n");
	check_plain("\xEF\xBB\xBFitem_id,title,views\na-1,Quyền trẻ em,12\nb-2,Điều 12,7");
	check_plain("item_id,title,views\ra-1,Quyền trẻ em,12\rb-2,Điều 12,7\r");
	/* no final line break, CRLF */
	check_plain("item_id,title,views\r\na-1,Quyền trẻ em,12\r\nb-2,Điều 12,7");

	/* a BOM only at the very start is one */
	struct csvread_table *t = parse("a\n\xEF\xBB\xBF" "b\n");
	assert_row(t, 1, 1, "\xEF\xBB\xBF" "b");
	csvread_free(t);
}

static void test_quoted(void **state)
{
	(void)state;
	struct csvread_table *t = parse(
		"id,title,note\r\n"
		"1,\"Hello, world\",\"say \"\"hi\"\"\"\r\n"
		"2,\"two\r\nlines\",\"and\nthree\nlines\"\r\n"
		"3,\"\",\"\"\"\"\r\n"
		"4,\"=SUM(1,2) <b>\",5\" screen\r\n");
	assert_int_equal(t->n_rows, 5);
	assert_row(t, 1, 3, "1", "Hello, world", "say \"hi\"");
	/* line breaks inside quotes kept as written */
	assert_row(t, 2, 3, "2", "two\r\nlines", "and\nthree\nlines");
	assert_row(t, 3, 3, "3", "", "\"");
	/* a quote inside an unquoted cell is text */
	assert_row(t, 4, 3, "4", "=SUM(1,2) <b>", "5\" screen");
	/* lines count the line breaks inside quoted cells */
	assert_int_equal(t->rows[2].line, 3);
	assert_int_equal(t->rows[3].line, 7);
	assert_int_equal(t->rows[4].line, 8);
	assert_row_text(t, 2, "2,\"two\r\nlines\",\"and\nthree\nlines\"");
	csvread_free(t);

	/* a quoted cell never closed runs to the end */
	t = parse("a,\"b\nc,d\n");
	assert_int_equal(t->n_rows, 1);
	assert_row(t, 0, 2, "a", "b\nc,d\n");
	csvread_free(t);
}

static void test_empty_cells_and_blank_lines(void **state)
{
	(void)state;
	struct csvread_table *t = parse(",a,,\r\n\r\n  x , y \r\n,\r\n\n\"\"\n");
	assert_int_equal(t->n_rows, 6);
	assert_row(t, 0, 4, "", "a", "", "");
	assert_row(t, 1, 0);                    /* blank line (CRLF) */
	assert_int_equal(t->rows[1].line, 2);
	assert_int_equal(t->rows[1].text_len, 0);
	assert_row(t, 2, 2, "  x ", " y ");     /* spaces kept */
	assert_row(t, 3, 2, "", "");
	assert_row(t, 4, 0);                    /* blank line (LF) */
	assert_row(t, 5, 1, "");                /* one empty quoted cell */
	assert_int_equal(t->rows[5].line, 6);
	csvread_free(t);

	/* nothing, or a lone line break */
	t = parse("");
	assert_int_equal(t->n_rows, 0);
	csvread_free(t);
	t = parse("\xEF\xBB\xBF");
	assert_int_equal(t->n_rows, 0);
	csvread_free(t);
	t = parse("\r\n");
	assert_int_equal(t->n_rows, 1);
	assert_row(t, 0, 0);
	csvread_free(t);

	/* a NUL byte inside a cell: the text is read to its end */
	char err_text[] = "a,b\0c\nd,e\n";
	char *err = NULL;
	t = csvread_string(err_text, sizeof err_text - 1, "nul.csv", &err);
	assert_non_null(t);
	assert_int_equal(t->n_rows, 2);
	assert_row(t, 0, 2, "a", "b");
	assert_row(t, 1, 2, "d", "e");
	csvread_free(t);
}

static void test_columns(void **state)
{
	(void)state;
	struct csvread_table *t = parse("title,item_id,views,item_id\n"
					"T,i-1,3\n");
	assert_int_equal(csvread_column(&t->rows[0], "item_id"), 1);
	assert_int_equal(csvread_column(&t->rows[0], "views"), 2);
	assert_int_equal(csvread_column(&t->rows[0], "title"), 0);
	assert_int_equal(csvread_column(&t->rows[0], "Views"), -1);
	assert_int_equal(csvread_column(&t->rows[0], "item"), -1);
	assert_int_equal(csvread_column(NULL, "item_id"), -1);
	assert_string_equal(csvread_cell(&t->rows[1], 1), "i-1");
	assert_null(csvread_cell(&t->rows[1], 3));      /* a short row */
	assert_null(csvread_cell(&t->rows[1], -1));
	assert_null(csvread_cell(NULL, 0));
	csvread_free(t);
}

static void test_files(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *path = test_write_file(dir, "items.csv",
				     "\xEF\xBB\xBFitem_id,views\r\n\"a,1\",3\r\nb,4\r\n");
	char *err = NULL;
	struct csvread_table *t = csvread_file(path, &err);
	assert_non_null(t);
	assert_null(err);
	assert_int_equal(t->n_rows, 3);
	assert_row(t, 1, 2, "a,1", "3");
	assert_row(t, 2, 2, "b", "4");
	csvread_free(t);

	/* a missing file: NULL and a message naming it */
	char *missing = path_join(dir, "missing.csv");
	t = csvread_file(missing, &err);
	assert_null(t);
	assert_non_null(err);
	char *want = xasprintf("%s: No such file or directory", missing);
	assert_string_equal(err, want);
	free(want);
	free(err);
	err = NULL;
	/* no message asked for */
	assert_null(csvread_file(missing, NULL));

	/* a directory */
	t = csvread_file(dir, &err);
	assert_null(t);
	assert_non_null(err);
	if (strncmp(err, dir, strlen(dir)) != 0)
		fail_msg("the message \"%s\" does not name %s", err, dir);
	free(err);

	csvread_free(NULL);
	free(missing);
	free(path);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_breaks_and_bom),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_empty_cells_and_blank_lines),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
