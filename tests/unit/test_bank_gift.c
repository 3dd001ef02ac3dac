/*
 * test_bank_gift: the Moodle GIFT loader: multiple choice (weights,
 * feedback, general feedback), true/false with its two feedbacks, missing
 * words, escapes, multi-line texts, the four text formats and HTML,
 * categories as topics, languages from file names, ids, pictures; every
 * unsupported type reported at its line and skipped; broken questions,
 * invalid UTF-8, empty and unreadable files; a Moodle 4 export; CRLF, CR
 * and byte-order-mark variants reading the same as LF.
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

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* One file loaded into a fresh bank. */
struct loaded {
	struct quiz_bank *bank;
	struct diag_list dl;
	struct lang_registry *langs;
	char *path;
	bool ok;
};

/* Load path (taken) with the built-in registry (vi, en). */
static void load_path(struct loaded *l, char *path, const char *lang)
{
	l->path = path;
	l->bank = quiz_bank_create();
	l->langs = lang_registry_builtin();
	diag_list_init(&l->dl);
	l->ok = quiz_bank_load_gift(l->bank, l->path, lang, l->langs, &l->dl);
	diag_print(&l->dl, stdout);
}

/* Load tests/fixtures/quiz/gift/name. */
static void load_fixture(struct loaded *l, const char *name, const char *lang)
{
	char *rel = xasprintf("tests/fixtures/quiz/gift/%s", name);
	load_path(l, test_source_path(rel), lang);
	free(rel);
	assert_true(l->ok);
}

static void loaded_finish(struct loaded *l)
{
	quiz_bank_destroy(l->bank);
	diag_list_finish(&l->dl);
	lang_registry_destroy(l->langs);
	free(l->path);
}

/* The question with this id; fails when there is none. */
static const struct quiz_question *get(const struct loaded *l, const char *id)
{
	for (size_t i = 0; i < l->bank->n; i++)
		if (strcmp(l->bank->questions[i].id, id) == 0)
			return &l->bank->questions[i];
	fail_msg("no question '%s'", id);
	return NULL;
}

static bool has(const struct loaded *l, const char *id)
{
	for (size_t i = 0; i < l->bank->n; i++)
		if (strcmp(l->bank->questions[i].id, id) == 0)
			return true;
	return false;
}

/* q has exactly these n choices. */
static void assert_choices(const struct quiz_question *q, size_t n, ...)
{
	assert_int_equal(q->n_choices, n);
	va_list ap;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(q->choices[i], va_arg(ap, const char *));
	va_end(ap);
	for (size_t i = n; i < QUIZ_MAX_CHOICES; i++) {
		assert_null(q->choices[i]);
		assert_null(q->feedback[i]);
	}
}

/* Strings equal, or both NULL. */
static void assert_str(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else
		assert_string_equal(got, want);
}

/* q's fields that every question of a fixture shares. */
static void assert_common(const struct loaded *l, const struct quiz_question *q,
			  int line, const char *lang, const char *topic)
{
	assert_int_equal(q->line, line);
	assert_string_equal(q->lang, lang);
	assert_str(q->topic, topic);
	assert_string_equal(q->file, l->path);
	assert_int_equal(q->difficulty, 0);
}

/* A problem at line of severity sev whose message says part. */
static const struct diag *find_diag(const struct diag_list *dl, int line,
				    enum diag_severity sev, const char *part)
{
	for (size_t i = 0; i < dl->len; i++) {
		const struct diag *d = &dl->items[i];
		if (d->line == line && d->severity == sev &&
		    strstr(d->message, part))
			return d;
	}
	return NULL;
}

static void assert_diag(const struct diag_list *dl, int line,
			enum diag_severity sev, const char *part)
{
	if (!find_diag(dl, line, sev, part))
		fail_msg("no %s at line %d saying \"%s\"",
			 sev == DIAG_ERROR ? "error" : "warning", line, part);
}

static void assert_no_diag_at(const struct diag_list *dl, int line)
{
	for (size_t i = 0; i < dl->len; i++)
		if (dl->items[i].line == line)
			fail_msg("unexpected problem at line %d: %s", line,
				 dl->items[i].message);
}

/* Write len bytes to dir/name; returns the path (caller frees). */
static char *write_bytes(const char *dir, const char *name, const char *data,
			 size_t len)
{
	char *path = path_join(dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* ------------------------------------------------------------------ */
/* Multiple choice                                                     */
/* ------------------------------------------------------------------ */

static void test_choices(void **state)
{
	(void)state;
	struct loaded l;
	load_fixture(&l, "choices.en.gift", NULL);

	const struct quiz_question *q = get(&l, "crc-age");
	assert_common(&l, q, 4, "en", NULL);
	assert_string_equal(q->text, "Under the Convention, a child is anyone "
			    "under what age?");
	assert_choices(q, 3, "16", "18", "21");
	assert_int_equal(q->correct, 0x2);
	assert_false(q->true_false);
	assert_string_equal(q->feedback[0], "Too young: the Convention says 18.");
	assert_string_equal(q->feedback[1], "Right: Article 1.");
	assert_null(q->feedback[2]);
	assert_string_equal(q->explanation, "Article 1 of the Convention on "
			    "the Rights of the Child.");
	assert_null(q->picture);

	q = get(&l, "crc-principles");
	assert_common(&l, q, 11, "en", NULL);
	assert_string_equal(q->text, "Which are general principles of the "
			    "Convention?");
	assert_choices(q, 4, "Non-discrimination",
		       "The best interests of the child", "Children must work",
		       "Voting at 16");
	assert_int_equal(q->correct, 0x3);
	assert_string_equal(q->feedback[0], "Yes, Article 2.");
	assert_null(q->feedback[1]);
	assert_string_equal(q->feedback[2], "No.");
	assert_null(q->feedback[3]);
	assert_null(q->explanation);

	/* "\:" in a name; a comment line before the question. */
	q = get(&l, "Q: weights");
	assert_common(&l, q, 19, "en", NULL);
	assert_choices(q, 4, "CRC", "CEDAW", "CERD", "UNESCO");
	assert_int_equal(q->correct, 0x7);

	q = get(&l, "one-line");
	assert_common(&l, q, 21, "en", NULL);
	assert_string_equal(q->text, "Which day is Human Rights Day?");
	assert_choices(q, 3, "10 December", "1 June", "8 March");
	assert_int_equal(q->correct, 0x1);

	/* No name: the file's stem and the question's position. */
	q = get(&l, "choices#5");
	assert_common(&l, q, 23, "en", NULL);
	assert_string_equal(q->text, "Who wrote the Universal Declaration?");
	assert_diag(&l.dl, 23, DIAG_WARNING, "no name");
	assert_diag(&l.dl, 23, DIAG_WARNING, "'choices#5'");

	q = get(&l, "lead-text");
	assert_choices(q, 3, "wrong one", "wrong two", "right");
	assert_int_equal(q->correct, 0x4);
	assert_diag(&l.dl, 25, DIAG_WARNING, "'wrong one' has no '~' or '='");

	q = get(&l, "eight");
	assert_choices(q, 8, "A", "B", "C", "D", "E", "F", "G", "H");
	assert_int_equal(q->correct, 0x1);

	/* The ninth answer is on line 30, column 1. */
	assert_false(has(&l, "nine"));
	assert_diag(&l.dl, 30, DIAG_ERROR, "at most 8");
	assert_int_equal(find_diag(&l.dl, 30, DIAG_ERROR, "at most")->col, 1);

	q = get(&l, "spaced name");
	assert_string_equal(q->text, "Spaces in a name are collapsed.");

	assert_int_equal(l.bank->n, 8);
	assert_int_equal(diag_count(&l.dl, DIAG_ERROR), 1);
	assert_int_equal(diag_count(&l.dl, DIAG_WARNING), 2);
	loaded_finish(&l);
}

/* ------------------------------------------------------------------ */
/* True/false                                                          */
/* ------------------------------------------------------------------ */

static void assert_truefalse(const struct quiz_question *q, bool answer)
{
	assert_true(q->true_false);
	assert_choices(q, 2, "True", "False");
	assert_int_equal(q->correct, answer ? 0x1 : 0x2);
}

static void test_truefalse(void **state)
{
	(void)state;
	struct loaded l;
	load_fixture(&l, "truefalse.en.gift", NULL);
	assert_int_equal(l.dl.len, 0);
	assert_int_equal(l.bank->n, 6);

	const struct quiz_question *q = get(&l, "tf-t");
	assert_common(&l, q, 3, "en", NULL);
	assert_string_equal(q->text, "The Universal Declaration was adopted "
			    "in 1948.");
	assert_truefalse(q, true);
	assert_null(q->feedback[0]);
	assert_null(q->feedback[1]);
	assert_null(q->explanation);

	/* {TRUE#shown when wrong#shown when right}: picking True is right. */
	q = get(&l, "tf-true");
	assert_truefalse(q, true);
	assert_string_equal(q->feedback[0], "Yes: in February 1990.");
	assert_string_equal(q->feedback[1], "No: it was one of the first "
			    "countries, in 1990.");

	q = get(&l, "tf-f");
	assert_truefalse(q, false);
	assert_null(q->feedback[0]);

	/* {FALSE#...#...}: picking True is wrong; the answers on the next
	 * line; general feedback after "####". */
	q = get(&l, "tf-false");
	assert_common(&l, q, 9, "en", NULL);
	assert_string_equal(q->text, "Children may be sentenced to death under "
			    "the Convention.");
	assert_truefalse(q, false);
	assert_string_equal(q->feedback[0], "Wrong: Article 37 forbids it.");
	assert_string_equal(q->feedback[1], "Right: Article 37 forbids it.");
	assert_string_equal(q->explanation, "Article 37(a) of the Convention.");

	q = get(&l, "tf-right-only");
	assert_truefalse(q, true);
	assert_string_equal(q->feedback[0], "Yes.");
	assert_null(q->feedback[1]);

	assert_truefalse(get(&l, "tf-lower"), false);
	loaded_finish(&l);
}

/* ------------------------------------------------------------------ */
/* Texts                                                               */
/* ------------------------------------------------------------------ */

static void test_texts(void **state)
{
	(void)state;
	struct loaded l;
	load_fixture(&l, "text.en.gift", NULL);
	assert_int_equal(l.dl.len, 0);

	const struct quiz_question *q = get(&l, "missing-word");
	assert_common(&l, q, 3, "en", NULL);
	assert_string_equal(q->text, "The Convention on the Rights of the "
			    "Child was adopted in _____ by the UN General "
			    "Assembly.");
	assert_choices(q, 3, "1979", "1989", "1999");
	assert_int_equal(q->correct, 0x2);

	q = get(&l, "escapes");
	assert_string_equal(q->text, "Write { and } for braces, ~ = # : and \\ "
			    "too.\nA new line.");
	assert_choices(q, 3, "Yes = right", "No ~ wrong # not feedback",
		       "C:\\folder");
	assert_null(q->feedback[1]);

	/* [moodle] text (the default) keeps its line breaks, as Moodle
	 * shows them. */
	q = get(&l, "multi-line");
	assert_common(&l, q, 7, "en", NULL);
	assert_string_equal(q->text, "Article 1 says:\nall human beings are "
			    "born free\nand equal in dignity and rights.\n"
			    "Which document says it?");
	assert_choices(q, 2, "The Universal Declaration\nof Human Rights",
		       "The Convention against Torture");

	/* [html]: tags out, paragraphs as lines, entities decoded; answers
	 * default to the question's format, each may have its own. */
	q = get(&l, "html");
	assert_string_equal(q->text, "The Convention on the Rights of Persons "
			    "with Disabilities & its Optional Protocol\nwere "
			    "adopted in which year?");
	assert_choices(q, 3, "2006", "<b>not bold</b> &amp; kept", "1989");
	assert_string_equal(q->feedback[2],
			    "No\xC2\xA0\xE2\x80\x94 that is the CRC.");

	q = get(&l, "html-lines");
	assert_string_equal(q->text, "Line one line two\nline three\n\nafter a "
			    "blank line");

	q = get(&l, "markdown");
	assert_string_equal(q->text, "Soft break, then\nnew paragraph.");

	q = get(&l, "entities");
	assert_string_equal(q->text, "Quyền trẻ em <18> \"'éôđ\xEF\xBF\xBD"
			    "&unknown; 5 < 6 & 7");

	/* In [moodle] text a line end next to a tag is a space (Moodle's
	 * text_to_html); elsewhere a line break. */
	q = get(&l, "moodle-html");
	assert_string_equal(q->text, "Paragraph one\nParagraph two\nwith a "
			    "line\nend");

	q = get(&l, "plain");
	assert_string_equal(q->text, "Keep <i>tags</i> &amp;  spaces\nand "
			    "lines");

	q = get(&l, "format-per-answer");
	assert_string_equal(q->text, "Formats of answers and feedback:");
	assert_choices(q, 2, "bold", "plain *stars*");
	assert_string_equal(q->feedback[0], "why");
	assert_string_equal(q->feedback[1], "<i>kept</i>");
	assert_string_equal(q->explanation, "General\nfeedback");

	q = get(&l, "no-space-after-name");
	assert_string_equal(q->text, "Text");

	assert_int_equal(l.bank->n, 11);
	loaded_finish(&l);
}

/* ------------------------------------------------------------------ */
/* Categories                                                          */
/* ------------------------------------------------------------------ */

static void test_categories(void **state)
{
	(void)state;
	struct loaded l;
	load_fixture(&l, "categories.en.gift", NULL);

	assert_common(&l, get(&l, "no-category"), 3, "en", NULL);
	assert_common(&l, get(&l, "by-label-short"), 7, "en", "crc");
	assert_common(&l, get(&l, "by-label"), 11, "en", "crc");
	assert_common(&l, get(&l, "by-id"), 15, "en", "cedaw");
	/* The question under its category line, in the same block. */
	assert_common(&l, get(&l, "right-under"), 18, "en", NULL);
	assert_common(&l, get(&l, "second-unknown"), 20, "en", NULL);
	assert_common(&l, get(&l, "root"), 24, "en", NULL);
	assert_common(&l, get(&l, "folded"), 28, "en", "ethnic-minorities");
	assert_common(&l, get(&l, "slash-in-name"), 34, "en", NULL);
	assert_common(&l, get(&l, "under-children"), 38, "en", "children");
	const struct quiz_question *q = get(&l, "under-women");
	assert_common(&l, q, 40, "en", "women");
	assert_string_equal(q->text, "A category line needs no blank line "
			    "around it.");
	assert_string_equal(get(&l, "under-children")->text, "A question.");
	assert_int_equal(l.bank->n, 11);

	/* One warning per unknown category that has questions, at its
	 * line; none for Moodle's root or a category with no questions. */
	assert_diag(&l.dl, 17, DIAG_WARNING, "'Default for Lớp 9A'");
	assert_diag(&l.dl, 32, DIAG_WARNING, "'Law/Vietnam'");
	assert_no_diag_at(&l.dl, 22);
	assert_no_diag_at(&l.dl, 30);
	assert_no_diag_at(&l.dl, 36);
	assert_int_equal(l.dl.len, 2);
	loaded_finish(&l);
}

/* ------------------------------------------------------------------ */
/* Unsupported types                                                   */
/* ------------------------------------------------------------------ */

static void test_unsupported(void **state)
{
	(void)state;
	struct loaded l;
	load_fixture(&l, "unsupported.en.gift", NULL);

	assert_common(&l, get(&l, "good-1"), 3, "en", NULL);
	assert_common(&l, get(&l, "good-2"), 14, "en", NULL);
	assert_common(&l, get(&l, "good-3"), 29, "en", NULL);
	assert_common(&l, get(&l, "good-4"), 35, "en", NULL);
	assert_int_equal(l.bank->n, 4);

	assert_diag(&l.dl, 5, DIAG_WARNING, "short-answer");
	assert_diag(&l.dl, 7, DIAG_WARNING, "short-answer");
	assert_diag(&l.dl, 9, DIAG_WARNING, "short-answer");
	assert_diag(&l.dl, 17, DIAG_WARNING, "numerical");
	assert_diag(&l.dl, 19, DIAG_WARNING, "numerical");
	assert_diag(&l.dl, 21, DIAG_WARNING, "matching");
	assert_diag(&l.dl, 27, DIAG_WARNING, "essay");
	assert_diag(&l.dl, 31, DIAG_WARNING, "description");
	assert_diag(&l.dl, 33, DIAG_WARNING, "description");
	for (size_t i = 0; i < l.dl.len; i++) {
		assert_int_equal(l.dl.items[i].severity, DIAG_WARNING);
		assert_non_null(strstr(l.dl.items[i].message, "skipped"));
	}
	assert_int_equal(l.dl.len, 9);
	loaded_finish(&l);
}

/* ------------------------------------------------------------------ */
/* Broken questions                                                    */
/* ------------------------------------------------------------------ */

/* The column where part starts in text (1-based, in characters). */
static int col_of(const char *text, const char *part)
{
	const char *p = strstr(text, part);
	assert_non_null(p);
	int col = 1;
	for (const char *c = text; c < p; c++)
		col += ((unsigned char)*c & 0xC0) != 0x80;
	return col;
}

static void assert_error_col(const struct diag_list *dl, int line,
			     const char *part, int col)
{
	const struct diag *d = find_diag(dl, line, DIAG_ERROR, part);
	if (!d)
		fail_msg("no error at line %d saying \"%s\"", line, part);
	assert_int_equal(d->col, col);
}

static void test_broken(void **state)
{
	(void)state;
	struct loaded l;
	load_fixture(&l, "broken.en.gift", NULL);

	assert_common(&l, get(&l, "good-1"), 7, "en", NULL);
	assert_common(&l, get(&l, "good-2"), 17, "en", NULL);
	assert_common(&l, get(&l, "good-3"), 31, "en", NULL);
	assert_int_equal(l.bank->n, 3);

	assert_error_col(&l.dl, 3, "unclosed '{'",
			 col_of("::unclosed:: The answers never end. {", "{"));
	assert_error_col(&l.dl, 9, "'}' with no '{'",
			 col_of("::stray:: A closing brace } with", "}"));
	assert_error_col(&l.dl, 11, "second set of answers",
			 col_of("::two-sets:: First {=a ~b} and second {",
				"second {") + 7);
	assert_error_col(&l.dl, 13, "'{' inside the answers",
			 col_of("::nested:: A brace {=a {~b}", "{~b"));
	assert_error_col(&l.dl, 15, "never closed with '::'", 1);
	/* The checks every format shares (bank.c) at the question's line. */
	assert_diag(&l.dl, 19, DIAG_ERROR, "1 choice");
	assert_diag(&l.dl, 21, DIAG_ERROR, "no right choice");
	assert_diag(&l.dl, 23, DIAG_ERROR, "choice B");
	assert_diag(&l.dl, 25, DIAG_ERROR,
		    "picture '@@PLUGINFILE@@/missing.png' not found");
	assert_diag(&l.dl, 27, DIAG_ERROR,
		    "picture 'https://example.org/map.png' is not a file");
	assert_diag(&l.dl, 29, DIAG_ERROR, "question text");
	assert_int_equal(diag_count(&l.dl, DIAG_ERROR), 11);
	assert_int_equal(diag_count(&l.dl, DIAG_WARNING), 0);
	loaded_finish(&l);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	static const char text[] =
		"::good-1:: ok {=a ~b}\n"                       /* 1 */
		"\n"                                            /* 2 */
		"::bad:: caf\xE9 {=a ~b}\n"                     /* 3 */
		"\n"                                            /* 4 */
		"// a comment may hold anything: \xFF\n"        /* 5 */
		"::good-2:: ok {=a ~b}\n"                       /* 6 */
		"\n"                                            /* 7 */
		"$CATEGORY: crc\xC3\n"                          /* 8 */
		"\n"                                            /* 9 */
		"::good-3:: ok {=a ~b}\n"                       /* 10 */
		"\n"                                            /* 11 */
		"::nul:: a\0b {=a ~b}\n"                        /* 12 */
		"\n"                                            /* 13 */
		"Unnamed after them. {=a ~b}\n";                /* 14 */
	struct loaded l;
	load_path(&l, write_bytes(dir, "bad-utf8.en.gift", text,
				  sizeof text - 1), NULL);
	assert_true(l.ok);
	assert_error_col(&l.dl, 3, "not valid UTF-8", 12);
	assert_error_col(&l.dl, 8, "not valid UTF-8", 15);
	assert_error_col(&l.dl, 12, "not valid UTF-8", 10);
	assert_int_equal(l.dl.len, 4);
	assert_diag(&l.dl, 14, DIAG_WARNING, "'bad-utf8#6'");

	assert_common(&l, get(&l, "good-1"), 1, "en", NULL);
	assert_common(&l, get(&l, "good-2"), 6, "en", NULL);
	assert_common(&l, get(&l, "good-3"), 10, "en", NULL);
	assert_common(&l, get(&l, "bad-utf8#6"), 14, "en", NULL);
	assert_int_equal(l.bank->n, 4);
	loaded_finish(&l);
	test_rmtree(dir);
	free(dir);
}

static void test_empty_and_unreadable(void **state)
{
	(void)state;
	struct loaded l;
	load_fixture(&l, "empty.gift", NULL);
	assert_int_equal(l.bank->n, 0);
	assert_int_equal(l.dl.len, 1);
	assert_diag(&l.dl, 0, DIAG_WARNING, "no questions");
	loaded_finish(&l);

	load_fixture(&l, "only-comments.en.gift", NULL);
	assert_int_equal(l.bank->n, 0);
	assert_int_equal(l.dl.len, 1);
	assert_diag(&l.dl, 0, DIAG_WARNING, "no questions");
	loaded_finish(&l);

	/* A file that cannot be read at all: false, at line 0. */
	char *dir = test_tmpdir();
	load_path(&l, path_join(dir, "missing.en.gift"), NULL);
	assert_false(l.ok);
	assert_int_equal(l.dl.len, 1);
	assert_diag(&l.dl, 0, DIAG_ERROR, "cannot read");
	assert_int_equal(l.bank->n, 0);
	loaded_finish(&l);

	load_path(&l, xstrdup(dir), NULL);
	assert_false(l.ok);
	assert_diag(&l.dl, 0, DIAG_ERROR, "cannot read");
	loaded_finish(&l);

	/* Saved as UTF-16 by Notepad: said so, nothing read. */
	static const char utf16[] = "\xFF\xFE:\0:\0q\0:\0:\0";
	load_path(&l, write_bytes(dir, "utf16.gift", utf16, sizeof utf16 - 1),
		  NULL);
	assert_true(l.ok);
	assert_int_equal(l.dl.len, 1);
	assert_diag(&l.dl, 0, DIAG_ERROR, "UTF-16");
	assert_int_equal(l.bank->n, 0);
	loaded_finish(&l);
	test_rmtree(dir);
	free(dir);
}

/* ------------------------------------------------------------------ */
/* A Moodle 4 export                                                   */
/* ------------------------------------------------------------------ */

static void test_moodle_export(void **state)
{
	(void)state;
	struct loaded l;
	load_fixture(&l, "moodle-export.vi.gift", NULL);

	const struct quiz_question *q = get(&l, "crc-age");
	assert_common(&l, q, 11, "vi", "crc");
	assert_string_equal(q->text, "Theo Công ước, trẻ em là người dưới bao "
			    "nhiêu tuổi?");
	assert_choices(q, 4, "16", "18", "15", "21");
	assert_int_equal(q->correct, 0x2);
	assert_null(q->feedback[0]);
	assert_string_equal(q->feedback[1], "Đúng: Điều 1.");
	assert_string_equal(q->explanation, "Điều 1 của Công ước: dưới 18 tuổi.");

	q = get(&l, "crc-principles");
	assert_common(&l, q, 20, "vi", "crc");
	assert_string_equal(q->text, "Những điều nào là nguyên tắc chung của "
			    "Công ước?");
	assert_choices(q, 4, "Không phân biệt đối xử",
		       "Lợi ích tốt nhất của trẻ em", "Trẻ em phải đi làm",
		       "Chỉ người lớn được nói & được nghe");
	assert_int_equal(q->correct, 0x3);
	assert_string_equal(q->feedback[2], "Sai.");

	q = get(&l, "crc-map");
	assert_common(&l, q, 28, "vi", "crc");
	assert_string_equal(q->text, "Bản đồ này cho thấy nước nào?");
	char *pic = test_source_path("tests/fixtures/quiz/gift/hinh anh.png");
	assert_string_equal(q->picture, pic);
	free(pic);
	assert_choices(q, 2, "Việt Nam", "Lào");

	q = get(&l, "crc-1990");
	assert_common(&l, q, 34, "vi", "crc");
	assert_string_equal(q->text, "Việt Nam phê chuẩn Công ước năm 1995.");
	assert_truefalse(q, false);
	assert_string_equal(q->feedback[0],
			    "Chưa đúng: Việt Nam phê chuẩn năm 1990.");
	assert_string_equal(q->feedback[1], "Đúng, năm 1990.");
	assert_string_equal(q->explanation, "Việt Nam là nước đầu tiên ở châu "
			    "Á phê chuẩn Công ước.");

	/* A missing word as Moodle exports it: the gap is in the text. */
	q = get(&l, "cedaw-year");
	assert_common(&l, q, 52, "vi", NULL);
	assert_string_equal(q->text, "Công ước CEDAW được Đại hội đồng Liên "
			    "Hợp Quốc thông qua năm _____.");
	assert_choices(q, 3, "1979", "1989", "2006");
	assert_int_equal(l.bank->n, 5);

	assert_diag(&l.dl, 37, DIAG_WARNING, "description");
	assert_diag(&l.dl, 40, DIAG_WARNING, "short-answer");
	assert_diag(&l.dl, 45, DIAG_WARNING, "essay");
	assert_diag(&l.dl, 48, DIAG_WARNING, "'Phụ nữ'");
	assert_int_equal(l.dl.len, 4);
	loaded_finish(&l);
}

/* ------------------------------------------------------------------ */
/* Line ends and byte order marks                                      */
/* ------------------------------------------------------------------ */

static void assert_same_question(const struct quiz_question *a,
				 const struct quiz_question *b)
{
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->lang, b->lang);
	assert_str(a->topic, b->topic);
	assert_string_equal(a->text, b->text);
	assert_int_equal(a->n_choices, b->n_choices);
	for (size_t i = 0; i < QUIZ_MAX_CHOICES; i++) {
		assert_str(a->choices[i], b->choices[i]);
		assert_str(a->feedback[i], b->feedback[i]);
	}
	assert_int_equal(a->correct, b->correct);
	assert_int_equal(a->true_false, b->true_false);
	assert_str(a->explanation, b->explanation);
	assert_int_equal(a->line, b->line);
}

/* data with every "\n" made eol, after prefix; new string, *len_out set. */
static char *convert(const char *data, const char *prefix, const char *eol,
		     size_t *len_out)
{
	char *out = xmalloc(strlen(prefix) + strlen(data) * strlen(eol) + 1);
	size_t n = strlen(prefix);
	memcpy(out, prefix, n);
	for (const char *p = data; *p; p++) {
		if (*p == '\n') {
			memcpy(out + n, eol, strlen(eol));
			n += strlen(eol);
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	*len_out = n;
	return out;
}

/* s with every from replaced by to; new string. */
static char *replace(const char *s, const char *from, const char *to)
{
	char *out = xstrdup("");
	const char *p;
	while ((p = strstr(s, from))) {
		char *n = xasprintf("%s%.*s%s", out, (int)(p - s), s, to);
		free(out);
		out = n;
		s = p + strlen(from);
	}
	char *n = xasprintf("%s%s", out, s);
	free(out);
	return n;
}

/* The fixture read with other line ends and a byte order mark reads the
 * same: the same questions at the same lines, the same problems. */
static void check_variant(const char *name, const char *bom, const char *eol)
{
	struct loaded lf;
	load_fixture(&lf, name, NULL);
	size_t len;
	char *data = file_read_all(lf.path, &len);
	assert_non_null(data);
	size_t vlen;
	char *variant = convert(data, bom, eol, &vlen);
	char *dir = test_tmpdir();
	char *fixtures = test_source_path("tests/fixtures/quiz/gift");
	struct loaded v;
	load_path(&v, write_bytes(dir, name, variant, vlen), NULL);
	assert_true(v.ok);

	assert_int_equal(v.bank->n, lf.bank->n);
	for (size_t i = 0; i < lf.bank->n; i++)
		assert_same_question(&v.bank->questions[i], &lf.bank->questions[i]);
	assert_int_equal(v.dl.len, lf.dl.len);
	for (size_t i = 0; i < lf.dl.len; i++) {
		assert_int_equal(v.dl.items[i].severity, lf.dl.items[i].severity);
		assert_int_equal(v.dl.items[i].line, lf.dl.items[i].line);
		assert_int_equal(v.dl.items[i].col, lf.dl.items[i].col);
		/* a message may name a file beside the bank */
		char *want = replace(lf.dl.items[i].message, fixtures, dir);
		assert_string_equal(v.dl.items[i].message, want);
		free(want);
	}
	free(fixtures);
	loaded_finish(&v);
	loaded_finish(&lf);
	test_rmtree(dir);
	free(dir);
	free(variant);
	free(data);
}

static void test_line_ends_and_bom(void **state)
{
	(void)state;
	static const char *const names[] = {
		"choices.en.gift", "truefalse.en.gift", "text.en.gift",
		"categories.en.gift", "unsupported.en.gift", "broken.en.gift",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		check_variant(names[i], "\xEF\xBB\xBF", "\r\n");
		check_variant(names[i], "", "\r\n");
		check_variant(names[i], "\xEF\xBB\xBF", "\n");
		check_variant(names[i], "", "\r");
	}
}

/* ------------------------------------------------------------------ */
/* Languages                                                           */
/* ------------------------------------------------------------------ */

/* The language a one-question file named name gets. */
static char *lang_of(const char *dir, const char *name, const char *lang,
		     const struct lang_registry *langs, struct diag_list *dl)
{
	char *path = test_write_file(dir, name, "::q:: Q? {=a ~b}\n");
	struct quiz_bank *bank = quiz_bank_create();
	assert_true(quiz_bank_load_gift(bank, path, lang, langs, dl));
	char *got = bank->n == 1 ? xstrdup(bank->questions[0].lang) : NULL;
	quiz_bank_destroy(bank);
	free(path);
	return got;
}

static void assert_lang(const char *dir, const char *name, const char *lang,
			const struct lang_registry *langs, const char *want)
{
	struct diag_list dl;
	diag_list_init(&dl);
	char *got = lang_of(dir, name, lang, langs, &dl);
	diag_print(&dl, stdout);
	assert_int_equal(dl.len, 0);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	diag_list_finish(&dl);
}

static void test_languages(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	struct lang_registry *reg = lang_registry_builtin();

	assert_lang(dir, "bank.gift", NULL, reg, "vi");
	assert_lang(dir, "bank.en.gift", NULL, reg, "en");
	assert_lang(dir, "bank.EN.gift", NULL, reg, "en");
	assert_lang(dir, "a.b/bank.gift", NULL, reg, "vi");
	assert_lang(dir, "bank.v2.gift", NULL, reg, "vi");
	assert_lang(dir, "bank.en.gift", "vi", reg, "vi");
	assert_lang(dir, "bank.gift", NULL, NULL, "vi");
	assert_lang(dir, "bank.rad.gift", NULL, NULL, "rad");

	free(reg->default_tag);
	reg->default_tag = xstrdup("en");
	assert_lang(dir, "bank.gift", NULL, reg, "en");

	/* A language the kiosk does not have: the file is left out. */
	struct diag_list dl;
	diag_list_init(&dl);
	assert_null(lang_of(dir, "bank.fr.gift", NULL, reg, &dl));
	assert_int_equal(dl.len, 1);
	assert_diag(&dl, 0, DIAG_ERROR, "'fr'");
	diag_list_finish(&dl);

	lang_registry_destroy(reg);
	test_rmtree(dir);
	free(dir);
}

/* ------------------------------------------------------------------ */
/* Pictures                                                            */
/* ------------------------------------------------------------------ */

static void test_pictures(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	free(test_write_file(dir, "pics/a b.png", "not decoded here"));
	free(test_write_file(dir, "pics/x&y.png", "not decoded here"));
	free(test_write_file(dir, "second.png", "not decoded here"));
	static const char text[] =
		"::pct::[html]<img src=\"pics/a%20b.png\"> A? {=a ~b}\n"  /* 1 */
		"\n"
		"::amp::[html]<p><IMG ALT='x' SRC='pics/x&amp;y.png?time=1'>"
		"B?</p> {=a ~b}\n"                                      /* 3 */
		"\n"
		"::two::<img src=\"pics/a b.png\">C?<img src=\"second.png\">"
		"{=a ~b}\n"                                             /* 5 */
		"\n"
		"::in-answer::[html]D? {=<img src\\=\"second.png\">yes ~no "
		"####<img src=\"second.png\">}\n"                       /* 7 */
		"\n"
		"::plain::[plain]<img src=\"missing.png\">E? {=a ~b}\n"  /* 9 */
		"\n"
		"::empty-src::[html]<img alt=\"no src\">F? {=a ~b}\n";    /* 11 */
	char *path = test_write_file(dir, "pictures.en.gift", text);
	struct loaded l;
	load_path(&l, path, NULL);
	assert_true(l.ok);

	char *ab = path_join(dir, "pics/a b.png");
	char *xy = path_join(dir, "pics/x&y.png");
	const struct quiz_question *q = get(&l, "pct");
	assert_string_equal(q->picture, ab);
	assert_string_equal(q->text, "A?");

	q = get(&l, "amp");
	assert_string_equal(q->picture, xy);
	assert_string_equal(q->text, "B?");

	/* [moodle] text (the default) reads pictures too; one is shown. */
	q = get(&l, "two");
	assert_string_equal(q->picture, ab);
	assert_string_equal(q->text, "C?");
	assert_diag(&l.dl, 5, DIAG_WARNING, "one picture");

	/* Pictures in answers and feedback are left out. */
	q = get(&l, "in-answer");
	assert_null(q->picture);
	assert_choices(q, 2, "yes", "no");
	assert_null(q->explanation);
	assert_diag(&l.dl, 7, DIAG_WARNING, "answers or feedback");

	/* [plain] shows tags as they are. */
	q = get(&l, "plain");
	assert_null(q->picture);
	assert_string_equal(q->text, "<img src=\"missing.png\">E?");

	assert_false(has(&l, "empty-src"));
	assert_diag(&l.dl, 11, DIAG_ERROR, "picture '' is not a file");
	assert_int_equal(l.dl.len, 3);
	assert_int_equal(l.bank->n, 5);

	free(ab);
	free(xy);
	loaded_finish(&l);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choices),
		cmocka_unit_test(test_truefalse),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_empty_and_unreadable),
		cmocka_unit_test(test_moodle_export),
		cmocka_unit_test(test_line_ends_and_bom),
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_pictures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
