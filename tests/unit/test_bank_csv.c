/*
 * test_bank_csv: quiz banks saved as CSV (quiz_bank_load_csv), read from
 * fixtures written byte for byte the way Excel and LibreOffice Calc save
 * them (tests/fixtures/quiz/csv/README), and from broken files: each
 * problem reported at its line, the good rows around it still loaded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/diag.h"
#include "base/util.h"
#include "i18n/lang.h"
#include "quiz/bank.h"
#include "test_support.h"

/* What one load gave. */
struct loaded {
	struct lang_registry *langs;
	struct quiz_bank *bank;
	struct diag_list diags;
	char *path;     /* the fixture's full path */
	char *dir;      /* its folder */
	bool ok;        /* quiz_bank_load_csv's answer */
};

/* Load the fixture tests/fixtures/quiz/csv/name with the built-in
 * languages (vi, en). */
static void load(struct loaded *l, const char *name)
{
	memset(l, 0, sizeof *l);
	l->langs = lang_registry_builtin();
	l->bank = quiz_bank_create();
	diag_list_init(&l->diags);
	l->dir = test_source_path("tests/fixtures/quiz/csv");
	l->path = path_join(l->dir, name);
	l->ok = quiz_bank_load_csv(l->bank, l->path, l->langs, &l->diags);
}

/* Load text written to a temporary file (named name) instead. */
static void load_text(struct loaded *l, const char *name, const char *text)
{
	memset(l, 0, sizeof *l);
	l->langs = lang_registry_builtin();
	l->bank = quiz_bank_create();
	diag_list_init(&l->diags);
	l->dir = test_tmpdir();
	l->path = test_write_file(l->dir, name, text);
	l->ok = quiz_bank_load_csv(l->bank, l->path, l->langs, &l->diags);
}

static void unload(struct loaded *l, bool tmp)
{
	quiz_bank_destroy(l->bank);
	lang_registry_destroy(l->langs);
	diag_list_finish(&l->diags);
	if (tmp)
		test_rmtree(l->dir);
	free(l->path);
	free(l->dir);
}

/* Print every diagnostic (to see what a failing test got). */
static void dump(const struct loaded *l)
{
	for (size_t i = 0; i < l->diags.len; i++) {
		char *s = diag_format(&l->diags.items[i]);
		print_message("  diag: %s\n", s);
		free(s);
	}
}

/* The question id in lang; fails the test when it is not there. */
static const struct quiz_question *get(const struct loaded *l,
				       const char *id, const char *lang)
{
	for (size_t i = 0; i < l->bank->n; i++) {
		const struct quiz_question *q = &l->bank->questions[i];
		if (strcmp(q->id, id) == 0 && strcmp(q->lang, lang) == 0)
			return q;
	}
	dump(l);
	fail_msg("question %s (%s) was not loaded", id, lang);
	return NULL;
}

static bool has(const struct loaded *l, const char *id)
{
	for (size_t i = 0; i < l->bank->n; i++)
		if (strcmp(l->bank->questions[i].id, id) == 0)
			return true;
	return false;
}

/* There is a diagnostic of this severity at this line of the fixture whose
 * message is exactly text (or, with a trailing '*', starts with it). */
static void expect(const struct loaded *l, enum diag_severity sev, int line,
		   const char *text)
{
	size_t n = strlen(text);
	bool prefix = n && text[n - 1] == '*';
	for (size_t i = 0; i < l->diags.len; i++) {
		const struct diag *d = &l->diags.items[i];
		if (d->severity != sev || d->line != line ||
		    strcmp(d->file, l->path) != 0)
			continue;
		if (prefix ? strncmp(d->message, text, n - 1) == 0
			   : strcmp(d->message, text) == 0)
			return;
	}
	dump(l);
	fail_msg("no %s at line %d: %s", sev == DIAG_ERROR ? "error" :
		 "warning", line, text);
}

static void expect_counts(const struct loaded *l, size_t errors,
			  size_t warnings)
{
	if (diag_count(&l->diags, DIAG_ERROR) != errors ||
	    diag_count(&l->diags, DIAG_WARNING) != warnings) {
		dump(l);
		fail_msg("wanted %zu errors and %zu warnings", errors,
			 warnings);
	}
}

/* Choices of q are exactly the given ones. */
static void expect_choices(const struct quiz_question *q, size_t n, ...)
{
	va_list ap;
	va_start(ap, n);
	assert_int_equal(q->n_choices, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(q->choices[i], va_arg(ap, const char *));
	va_end(ap);
	for (size_t i = n; i < QUIZ_MAX_CHOICES; i++)
		assert_null(q->choices[i]);
}

/* ------------------------------------------------------------------------
 * Files as the spreadsheets write them
 * ------------------------------------------------------------------------ */

/* Excel, Vietnamese list separator: BOM, CRLF, semicolons, Vietnamese
 * header names in capitals, a row of separators, quoted cells with a line
 * break, doubled quotes and a semicolon, "=1+1" as text, words for the
 * difficulty, a picture path with a backslash. */
static void test_excel_vi(void **state)
{
	(void)state;
	struct loaded l;
	load(&l, "excel-vi.csv");
	assert_true(l.ok);
	expect_counts(&l, 0, 0);
	assert_int_equal(l.bank->n, 5);

	const struct quiz_question *q = get(&l, "crc-age", "vi");
	assert_int_equal(q->line, 2);
	assert_string_equal(q->topic, "crc");
	assert_int_equal(q->difficulty, 1);
	assert_string_equal(q->text, "Theo Công ước, trẻ em là người dưới "
			    "bao nhiêu tuổi?");
	expect_choices(q, 4, "16", "18", "15", "21");
	assert_int_equal(q->correct, 1u << 1);
	assert_string_equal(q->explanation, "Điều 1 của Công ước: dưới 18 tuổi.");
	assert_null(q->picture);
	assert_false(q->true_false);
	assert_string_equal(q->file, l.path);

	/* the same question in English: both languages load */
	q = get(&l, "crc-age", "en");
	assert_int_equal(q->line, 3);
	assert_string_equal(q->text, "Under the Convention, a child is anyone "
			    "under what age?");
	assert_int_equal(q->correct, 1u << 1);
	const char *chain[] = { "en", "vi" };
	const char *from = NULL;
	assert_ptr_equal(quiz_bank_find(l.bank, "crc-age", chain, 2, &from), q);
	assert_string_equal(from, "en");
	assert_int_equal(quiz_bank_count(l.bank, NULL), 4);

	/* a row that spans two lines, after a row of only separators */
	q = get(&l, "udhr-art1", "vi");
	assert_int_equal(q->line, 5);
	assert_int_equal(q->difficulty, 1);
	assert_string_equal(q->text, "Điều 1 của Tuyên ngôn viết:\n"
			    "\"Mọi người sinh ra đều được tự do\"");
	expect_choices(q, 4, "tự do và bình đẳng", "giàu có",
		       "có quyền; có nghĩa vụ", "=1+1");
	assert_int_equal(q->correct, (1u << 0) | (1u << 2));
	char *pic = path_join(l.dir, "hinh/tuyen-ngon.png");
	assert_string_equal(q->picture, pic);
	free(pic);

	/* the line count goes on right after the two-line row */
	q = get(&l, "cedaw-year", "vi");
	assert_int_equal(q->line, 7);
	assert_int_equal(q->difficulty, 2);
	expect_choices(q, 3, "1980", "1982", "1990");
	assert_null(q->explanation);
	q = get(&l, "cat-year", "vi");
	assert_int_equal(q->line, 8);
	assert_int_equal(q->difficulty, 3);
	assert_int_equal(q->correct, 1u << 1);
	unload(&l, false);
}

/* LibreOffice Calc's defaults: no BOM, LF, commas, quotes only where
 * needed; English header names in another order and case. */
static void test_libreoffice(void **state)
{
	(void)state;
	struct loaded l;
	load(&l, "libreoffice-en.csv");
	assert_true(l.ok);
	expect_counts(&l, 0, 0);
	assert_int_equal(l.bank->n, 4);

	const struct quiz_question *q = get(&l, "crc-rights", "en");
	assert_int_equal(q->line, 2);
	assert_string_equal(q->topic, "crc");
	assert_int_equal(q->difficulty, 1);
	expect_choices(q, 3, "Civil", "Economic", "Social, cultural");
	assert_int_equal(q->correct, 7);
	assert_string_equal(q->explanation, "All of them: civil, political, "
			    "economic, social and cultural.");

	q = get(&l, "un-quote", "en");
	assert_int_equal(q->line, 4);
	assert_int_equal(q->difficulty, 3);
	assert_string_equal(q->text, "He said \"hello\"\nand left.\nThree lines.");
	expect_choices(q, 2, "yes", "no");
	assert_int_equal(q->correct, 2);
	assert_null(q->topic);

	/* spaces around cells, quoted or not, are trimmed */
	q = get(&l, "padded", "en");
	assert_int_equal(q->line, 7);
	assert_int_equal(q->difficulty, 2);
	assert_string_equal(q->text, "Padded question?");
	expect_choices(q, 2, "first", "second");
	assert_int_equal(q->correct, 3);

	/* "EN" is the registry's "en"; "A;B" names two choices */
	q = get(&l, "pic-en", "en");
	assert_int_equal(q->line, 8);
	assert_int_equal(q->correct, 3);
	assert_int_equal(q->difficulty, 0);
	char *pic = path_join(l.dir, "hinh/tuyen-ngon.png");
	assert_string_equal(q->picture, pic);
	free(pic);
	unload(&l, false);
}

/* LibreOffice's "Quote all text cells": numbers bare, the rest quoted. */
static void test_libreoffice_quoted(void **state)
{
	(void)state;
	struct loaded l;
	load(&l, "libreoffice-quoted.csv");
	expect_counts(&l, 0, 0);
	assert_int_equal(l.bank->n, 2);
	const struct quiz_question *vi = get(&l, "vn-const-2013", "vi");
	const struct quiz_question *en = get(&l, "vn-const-2013", "en");
	assert_int_equal(vi->line, 2);
	assert_int_equal(en->line, 3);
	assert_string_equal(vi->topic, "vn-law");
	expect_choices(vi, 4, "1992", "2001", "2013", "2015");
	expect_choices(en, 4, "1992", "2001", "2013", "2015");
	assert_int_equal(vi->correct, 1u << 2);
	assert_string_equal(en->text, "In which year was Viet Nam's current "
			    "Constitution adopted?");
	assert_string_equal(vi->explanation,
			    "Hiến pháp 2013, thông qua ngày 28/11/2013.");
	unload(&l, false);
}

/* Tabs, no line break at the end, a quote inside an unquoted cell. */
static void test_tabs(void **state)
{
	(void)state;
	struct loaded l;
	load(&l, "tab.csv");
	expect_counts(&l, 0, 0);
	assert_int_equal(l.bank->n, 1);
	const struct quiz_question *q = get(&l, "tab-1", "vi");
	assert_int_equal(q->line, 2);
	assert_string_equal(q->text, "Câu hỏi có dấu phẩy, chấm phẩy; và "
			    "\"ngoặc\"?");
	expect_choices(q, 2, "Có", "Không");
	unload(&l, false);
}

/* Excel's "sep=|" first line chooses the separator. */
static void test_sep_line(void **state)
{
	(void)state;
	struct loaded l;
	load(&l, "sep-line.csv");
	expect_counts(&l, 0, 0);
	assert_int_equal(l.bank->n, 1);
	const struct quiz_question *q = get(&l, "sep-1", "en");
	assert_int_equal(q->line, 3);
	assert_string_equal(q->text, "Pipe?");
	unload(&l, false);
}

/* Old Mac line breaks (CR alone), also inside a quoted cell. */
static void test_cr_only(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "mac.csv",
		  "id,language,question,A,B,correct\r"
		  "\r"
		  "mac-1,en,\"One\rTwo\",a,b,B\r"
		  "mac-2,en,Three,a,b,A");
	expect_counts(&l, 0, 0);
	assert_int_equal(l.bank->n, 2);
	const struct quiz_question *q = get(&l, "mac-1", "en");
	assert_int_equal(q->line, 3);
	assert_string_equal(q->text, "One\nTwo");
	assert_int_equal(get(&l, "mac-2", "en")->line, 5);
	unload(&l, true);
}

/* A CRLF inside a quoted cell becomes "\n"; line numbers count it. */
static void test_crlf_in_cell(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "crlf.csv",
		  "id;language;question;A;B;correct\r\n"
		  "c-1;en;\"Line one\r\nLine two\r\n\";\"x\r\ny\";b;A\r\n"
		  "c-2;en;After;a;b;B\r\n");
	expect_counts(&l, 0, 0);
	const struct quiz_question *q = get(&l, "c-1", "en");
	assert_int_equal(q->line, 2);
	assert_string_equal(q->text, "Line one\nLine two");
	assert_string_equal(q->choices[0], "x\ny");
	assert_int_equal(get(&l, "c-2", "en")->line, 6);
	unload(&l, true);
}

/* Without a registry the language is kept, in lower case; the picture is
 * looked for beside the CSV file. */
static void test_no_registry(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *path = test_write_file(dir, "sub/bank.csv",
		"id,language,question,A,B,correct,picture\n"
		"nr-1,RAD,Klei?,a,b,A,pics/p.JPG\n");
	free(test_write_file(dir, "sub/pics/p.JPG", "not really a jpeg"));
	struct quiz_bank *bank = quiz_bank_create();
	struct diag_list diags;
	diag_list_init(&diags);
	assert_true(quiz_bank_load_csv(bank, path, NULL, &diags));
	assert_int_equal(diags.len, 0);
	assert_int_equal(bank->n, 1);
	assert_string_equal(bank->questions[0].lang, "rad");
	char *pic = path_join(dir, "sub/pics/p.JPG");
	assert_string_equal(bank->questions[0].picture, pic);
	free(pic);
	quiz_bank_destroy(bank);
	diag_list_finish(&diags);
	free(path);
	test_rmtree(dir);
	free(dir);
}

/* ------------------------------------------------------------------------
 * Broken files
 * ------------------------------------------------------------------------ */

/* Lines 3 and 6 are not UTF-8 (Windows-1258 bytes pasted in): the rows on
 * them are left out, with a message at each line; the rest loads. */
static void test_invalid_utf8_lines(void **state)
{
	(void)state;
	struct loaded l;
	load(&l, "invalid-utf8.csv");
	assert_true(l.ok);
	expect_counts(&l, 2, 0);
	const char *msg = "this line is not valid UTF-8 text, so the question "
		"on it is left out; save the file as \"CSV UTF-8\" (Excel) or "
		"as \"Text CSV\" with \"Unicode (UTF-8)\" (LibreOffice Calc)";
	expect(&l, DIAG_ERROR, 3, msg);
	expect(&l, DIAG_ERROR, 6, msg);
	assert_int_equal(l.bank->n, 3);
	assert_int_equal(get(&l, "utf-1", "vi")->line, 2);
	assert_int_equal(get(&l, "utf-3", "vi")->line, 4);
	assert_int_equal(get(&l, "utf-5", "en")->line, 7);
	assert_false(has(&l, "utf-2"));
	assert_false(has(&l, "utf-4"));
	unload(&l, false);
}

/* A whole file in Windows-1258 (Excel's plain "CSV"): one message, at the
 * first line with letters that cannot be read, and nothing loaded. */
static void test_windows_1258(void **state)
{
	(void)state;
	struct loaded l;
	load(&l, "windows-1258.csv");
	assert_true(l.ok);
	expect_counts(&l, 1, 0);
	expect(&l, DIAG_ERROR, 3, "this file is not UTF-8 text: it was saved "
	       "in an older encoding such as Windows-1258 *");
	assert_non_null(strstr(l.diags.items[0].message,
			       "\"CSV UTF-8 (Comma delimited)\""));
	assert_int_equal(l.bank->n, 0);
	unload(&l, false);
}

/* Excel's "Unicode Text" (UTF-16LE with BOM FF FE). */
static void test_utf16(void **state)
{
	(void)state;
	struct loaded l;
	load(&l, "utf16.csv");
	assert_true(l.ok);
	expect_counts(&l, 1, 0);
	expect(&l, DIAG_ERROR, 0, "this file is UTF-16 text (what Excel saves "
	       "as \"Unicode Text\"), not UTF-8, so it cannot be read: save it "
	       "again in Excel as \"CSV UTF-8 (Comma delimited)\", or in "
	       "LibreOffice Calc as \"Text CSV\" with the character set "
	       "\"Unicode (UTF-8)\"");
	assert_int_equal(l.bank->n, 0);
	unload(&l, false);

	/* UTF-16 without a BOM is recognised by its NUL bytes */
	char *dir = test_tmpdir();
	char *path = path_join(dir, "nobom.csv");
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	const char *text = "id,language,question,A,B,correct\n";
	for (const char *p = text; *p; p++) {
		fputc(*p, f);
		fputc(0, f);
	}
	fclose(f);
	struct quiz_bank *bank = quiz_bank_create();
	struct diag_list diags;
	diag_list_init(&diags);
	assert_true(quiz_bank_load_csv(bank, path, NULL, &diags));
	assert_int_equal(diags.len, 1);
	assert_non_null(strstr(diags.items[0].message, "UTF-16"));
	quiz_bank_destroy(bank);
	diag_list_finish(&diags);
	free(path);
	test_rmtree(dir);
	free(dir);
}

/* No 'question' column: reported, nothing loaded; an unknown column is a
 * warning. */
static void test_missing_column(void **state)
{
	(void)state;
	struct loaded l;
	load(&l, "missing-column.csv");
	assert_true(l.ok);
	expect_counts(&l, 1, 1);
	expect(&l, DIAG_ERROR, 1, "no 'question' column in the header row "
	       "(or 'câu hỏi'); no question in this file can be read");
	expect(&l, DIAG_WARNING, 1, "unknown column 'Ghi chú' (column H) in "
	       "the header row; it is ignored");
	assert_int_equal(l.bank->n, 0);
	unload(&l, false);
}

/* One problem per row; good rows around them load. */
static void test_row_problems(void **state)
{
	(void)state;
	struct loaded l;
	load(&l, "row-problems.csv");
	assert_true(l.ok);
	expect(&l, DIAG_ERROR, 3, "question 'gap-1': choice D is filled in but "
	       "C is empty; left out");
	expect(&l, DIAG_ERROR, 4, "question 'bad-letter': the 'correct' cell "
	       "holds 'X', which is not a choice letter A to H (several right "
	       "choices are written 'A, C'); left out");
	expect(&l, DIAG_ERROR, 5, "question 'empty-choice': the 'correct' cell "
	       "names choice C, but choice C is empty; left out");
	expect(&l, DIAG_ERROR, 6, "question 'no-correct': the 'correct' cell is "
	       "empty: write the letter of the right choice, e.g. B; left out");
	expect(&l, DIAG_WARNING, 7, "question 'hardish': the 'difficulty' cell "
	       "says 'very hard'; write 1, 2 or 3 (or easy, medium, hard; dễ, "
	       "trung bình, khó); the question is loaded without a difficulty");
	char *looked = path_join(l.dir, "hinh/khong-co.png");
	char *msg = xasprintf("question 'pic-missing': picture "
			      "'hinh/khong-co.png' not found (looked for %s); "
			      "left out", looked);
	expect(&l, DIAG_ERROR, 8, msg);
	free(msg);
	free(looked);
	expect(&l, DIAG_ERROR, 9, "question 'pic-gif': picture "
	       "'hinh/tuyen-ngon.gif' is not a JPEG, PNG or WebP file (.jpg, "
	       ".jpeg, .png, .webp); left out");
	expect(&l, DIAG_WARNING, 10, "question 'extra': this row has more cells "
	       "than the header row (text in column K); the extra cells are "
	       "ignored");
	expect(&l, DIAG_ERROR, 11, "question 'lang-name': the 'language' cell "
	       "says 'English', a language name: write its tag 'en' instead; "
	       "left out");
	expect_counts(&l, 7, 2);

	assert_int_equal(l.bank->n, 4);
	assert_int_equal(get(&l, "good-1", "en")->line, 2);
	const struct quiz_question *q = get(&l, "hardish", "en");
	assert_int_equal(q->line, 7);
	assert_int_equal(q->difficulty, 0);
	assert_int_equal(get(&l, "extra", "en")->line, 10);
	q = get(&l, "good-2", "vi");
	assert_int_equal(q->line, 12);
	assert_int_equal(q->difficulty, 3);
	expect_choices(q, 2, "có", "không");
	unload(&l, false);
}

/* Quotes out of place: text after a closing quote, a quote never closed
 * (in the middle, and at the end of the file); a quote inside an unquoted
 * cell is kept. */
static void test_quotes(void **state)
{
	(void)state;
	struct loaded l;
	load(&l, "quotes.csv");
	assert_true(l.ok);
	expect(&l, DIAG_ERROR, 3, "text after the closing quote of a quoted "
	       "cell; the row is left out (a quote inside a quoted cell is "
	       "written twice: \"\")");
	expect(&l, DIAG_ERROR, 5, "the quoted cell that starts on this line "
	       "runs on to line 6, where text follows a quote: a closing quote "
	       "is probably missing; the row is left out");
	expect(&l, DIAG_ERROR, 8, "a quoted cell starts on this line but its "
	       "closing quote is missing; the row is left out");
	expect_counts(&l, 3, 0);
	assert_int_equal(l.bank->n, 4);
	assert_int_equal(get(&l, "ok-1", "en")->line, 2);
	assert_int_equal(get(&l, "ok-2", "en")->line, 4);
	const struct quiz_question *q = get(&l, "ok-3", "en");
	assert_int_equal(q->line, 6);
	assert_string_equal(q->text, "Third, quoted");
	q = get(&l, "5-inch", "en");
	assert_int_equal(q->line, 7);
	assert_string_equal(q->text, "A 5\" screen?");
	assert_false(has(&l, "after-quote"));
	assert_false(has(&l, "unclosed"));
	assert_false(has(&l, "tail"));
	unload(&l, false);
}

/* An unclosed quote on the last line, with no line break after it. */
static void test_unclosed_at_end(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "end.csv",
		  "id,language,question,A,B,correct\n"
		  "e-1,en,Fine,a,b,A\n"
		  "e-2,en,Fine too,\"a,b,A");
	expect_counts(&l, 1, 0);
	expect(&l, DIAG_ERROR, 3, "a quoted cell starts on this line but its "
	       "closing quote is missing; the row is left out");
	assert_int_equal(l.bank->n, 1);
	assert_int_equal(get(&l, "e-1", "en")->line, 2);
	unload(&l, true);
}

/* A quote not doubled inside a quoted cell that spans lines: that row is
 * left out (read to its end), the next one loads. */
static void test_quote_not_doubled(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "nd.csv",
		  "id,language,question,A,B,correct\n"
		  "m-1,en,\"line one\nhas a \"bad\" quote\nand more\",a,b,A\n"
		  "m-2,en,After,a,b,B\n");
	expect_counts(&l, 1, 0);
	expect(&l, DIAG_ERROR, 2, "a quote inside the quoted cell that starts on "
	       "this line is not doubled (on line 3); the row is left out (a "
	       "quote inside a quoted cell is written twice: \"\")");
	assert_int_equal(l.bank->n, 1);
	assert_int_equal(get(&l, "m-2", "en")->line, 5);
	unload(&l, true);
}

static void test_empty_and_header_only(void **state)
{
	(void)state;
	struct loaded l;
	load(&l, "empty.csv");
	assert_true(l.ok);
	expect_counts(&l, 0, 1);
	expect(&l, DIAG_WARNING, 0, "the file is empty: no header row and no "
	       "questions");
	assert_int_equal(l.bank->n, 0);
	unload(&l, false);

	load(&l, "header-only.csv");
	assert_true(l.ok);
	expect_counts(&l, 0, 1);
	expect(&l, DIAG_WARNING, 1, "the file has a header row but no "
	       "questions");
	unload(&l, false);

	/* blank lines and rows of separators only are still empty */
	load_text(&l, "blank.csv", "\xEF\xBB\xBF\r\n  \r\n;;;;\r\n");
	expect_counts(&l, 0, 1);
	expect(&l, DIAG_WARNING, 0, "the file is empty: no header row and no "
	       "questions");
	unload(&l, true);
}

static void test_unreadable(void **state)
{
	(void)state;
	struct quiz_bank *bank = quiz_bank_create();
	struct diag_list diags;
	diag_list_init(&diags);
	assert_false(quiz_bank_load_csv(bank, "/nonexistent/bank.csv", NULL,
					&diags));
	assert_int_equal(diags.len, 1);
	assert_int_equal(diags.items[0].severity, DIAG_ERROR);
	assert_int_equal(diags.items[0].line, 0);
	assert_string_equal(diags.items[0].file, "/nonexistent/bank.csv");
	assert_string_equal(diags.items[0].message,
			    "cannot read the file: No such file or directory");
	assert_int_equal(bank->n, 0);
	quiz_bank_destroy(bank);
	diag_list_finish(&diags);
}

/* A duplicated column, a column with no name that has text under it, a
 * header with a single column. */
static void test_header_oddities(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "dup.csv",
		  "id,language,question,A,B,correct,Question,\n"
		  "d-1,en,First text,a,b,A,Second text,note\n");
	expect(&l, DIAG_WARNING, 1, "the header row names the column 'Question' "
	       "twice (columns C and G); the second one is ignored");
	expect(&l, DIAG_WARNING, 2, "question 'd-1': text in column H, which has "
	       "no name in the header row; it is ignored");
	expect_counts(&l, 0, 2);
	assert_string_equal(get(&l, "d-1", "en")->text, "First text");
	unload(&l, true);

	load_text(&l, "one.csv", "id|language|question|A|B|correct\nx|en|q|a|b|A\n");
	expect_counts(&l, 1, 0);
	expect(&l, DIAG_ERROR, 1, "the header row has only one column; separate "
	       "the columns with commas, semicolons or tabs (save the sheet as "
	       "CSV)");
	assert_int_equal(l.bank->n, 0);
	unload(&l, true);

	/* a quoting error in the header row: the next row does not become
	 * the header */
	load_text(&l, "hq.csv", "\"id\"x,language,question,A,B,correct\n"
		  "h-1,en,q,a,b,A\n");
	expect_counts(&l, 1, 0);
	expect(&l, DIAG_ERROR, 1, "text after the closing quote of a quoted*");
	assert_int_equal(l.bank->n, 0);
	unload(&l, true);
}

/* The checks quiz_bank_add shares with every format still run: here a
 * translation whose right answer differs from the first one. */
static void test_shared_checks(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "tr.csv",
		  "id,language,question,A,B,correct\n"
		  "t-1,vi,Một?,a,b,A\n"
		  "t-1,en,One?,a,b,B\n"
		  "t-2,xx,Unknown language,a,b,A\n");
	assert_int_equal(l.bank->n, 1);
	expect_counts(&l, 2, 0);
	expect(&l, DIAG_ERROR, 3, "question 't-1' (en) has 2 choices*");
	expect(&l, DIAG_ERROR, 4, "question 't-2': language 'xx' is not one*");
	unload(&l, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_excel_vi),
		cmocka_unit_test(test_libreoffice),
		cmocka_unit_test(test_libreoffice_quoted),
		cmocka_unit_test(test_tabs),
		cmocka_unit_test(test_sep_line),
		cmocka_unit_test(test_cr_only),
		cmocka_unit_test(test_crlf_in_cell),
		cmocka_unit_test(test_no_registry),
		cmocka_unit_test(test_invalid_utf8_lines),
		cmocka_unit_test(test_windows_1258),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_missing_column),
		cmocka_unit_test(test_row_problems),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_unclosed_at_end),
		cmocka_unit_test(test_quote_not_doubled),
		cmocka_unit_test(test_empty_and_header_only),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_header_oddities),
		cmocka_unit_test(test_shared_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
