/*
 * test_leaflet: the leaflet markup parser: every element in Vietnamese,
 * warnings at the right line and column (the leaflet still loads),
 * invalid UTF-8 and NUL bytes refused with their place, empty files, the
 * size limit, line endings, byte order marks, NFD text kept as written.
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
#include "content/leaflet.h"
#include "test_support.h"

/* The block's text with styles marked: <b>..</b>, <i>..</i>, <bi>..</bi>. */
static char *block_str(const struct leaflet_block *b)
{
	static const char *const open[4] = { "", "<b>", "<i>", "<bi>" };
	static const char *const close[4] = { "", "</b>", "</i>", "</bi>" };
	char *s = xstrdup("");
	for (size_t i = 0; i < b->n_runs; i++) {
		unsigned st = b->runs[i].style & 3u;
		char *n = xasprintf("%s%s%s%s", s, open[st], b->runs[i].text,
				    close[st]);
		free(s);
		s = n;
	}
	return s;
}

static void assert_block(const struct leaflet_block *b,
			 enum leaflet_block_kind kind, int line,
			 const char *text)
{
	assert_int_equal(b->kind, kind);
	assert_int_equal(b->line, line);
	char *s = block_str(b);
	assert_string_equal(s, text);
	free(s);
}

/* The first diagnostic at line; fails when there is none. */
static const struct diag *diag_at(const struct diag_list *dl, int line)
{
	for (size_t i = 0; i < dl->len; i++)
		if (dl->items[i].line == line)
			return &dl->items[i];
	fail_msg("no diagnostic at line %d", line);
	return NULL;
}

static void assert_diag(const struct diag_list *dl, int line, int col,
			enum diag_severity sev, const char *part)
{
	const struct diag *d = diag_at(dl, line);
	assert_int_equal(d->col, col);
	assert_int_equal(d->severity, sev);
	if (!strstr(d->message, part))
		fail_msg("line %d: \"%s\" does not say \"%s\"", line, d->message, part);
}

static const char every_element[] =
	"# Quyền trẻ em\n"                                               /* 1 */
	"\n"                                                              /* 2 */
	"Công ước về quyền trẻ em được Liên Hợp Quốc\n"                  /* 3 */
	"thông qua năm **1989**; Việt Nam phê chuẩn năm *1990*.\n"       /* 4 */
	"\n"                                                              /* 5 */
	"## Bốn nguyên tắc chung\n"                                      /* 6 */
	"- Không trẻ em nào bị **phân biệt đối xử**\n"                   /* 7 */
	"  (Điều 2).\n"                                                   /* 8 */
	"* Trẻ em có quyền ***sống***.\n"                                 /* 9 */
	"### Gọi điện\n"                                                  /* 10 */
	"1. Tổng đài quốc gia bảo vệ trẻ em: **111**\\\n"                /* 11 */
	"miễn phí.\n"                                                     /* 12 */
	"10. Ngày 1 tháng 6\n"                                            /* 13 */
	"![Trẻ em đến *trường*](pics/truong.png)\n"                       /* 14 */
	"\\# không phải tiêu đề, 5 * 3 = 15, a\\*b\n"                     /* 15 */
	"1989\\. Năm thông qua; a*b*c\n";                                 /* 16 */

static void test_every_element(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	free(test_write_file(dir, "pics/truong.png", "not checked here"));
	struct diag_list dl;
	diag_list_init(&dl);
	struct leaflet *doc = leaflet_parse(every_element, strlen(every_element),
					    "vi.md", dir, &dl);
	assert_non_null(doc);
	diag_print(&dl, stdout);
	assert_int_equal(dl.len, 0);
	assert_string_equal(doc->file, "vi.md");
	assert_int_equal(doc->n_blocks, 10);
	const struct leaflet_block *b = doc->blocks;

	assert_block(&b[0], LEAFLET_HEADING, 1, "Quyền trẻ em");
	assert_int_equal(b[0].level, 1);
	assert_block(&b[1], LEAFLET_PARAGRAPH, 3,
		     "Công ước về quyền trẻ em được Liên Hợp Quốc thông qua năm "
		     "<b>1989</b>; Việt Nam phê chuẩn năm <i>1990</i>.");
	assert_block(&b[2], LEAFLET_HEADING, 6, "Bốn nguyên tắc chung");
	assert_int_equal(b[2].level, 2);
	assert_block(&b[3], LEAFLET_BULLET, 7,
		     "Không trẻ em nào bị <b>phân biệt đối xử</b> (Điều 2).");
	assert_block(&b[4], LEAFLET_BULLET, 9, "Trẻ em có quyền <bi>sống</bi>.");
	assert_block(&b[5], LEAFLET_HEADING, 10, "Gọi điện");
	assert_int_equal(b[5].level, 3);
	assert_block(&b[6], LEAFLET_NUMBERED, 11,
		     "Tổng đài quốc gia bảo vệ trẻ em: <b>111</b>\nmiễn phí.");
	assert_int_equal(b[6].number, 1);
	assert_block(&b[7], LEAFLET_NUMBERED, 13, "Ngày 1 tháng 6");
	assert_int_equal(b[7].number, 10);
	assert_block(&b[8], LEAFLET_PICTURE, 14, "Trẻ em đến <i>trường</i>");
	assert_string_equal(b[8].picture_src, "pics/truong.png");
	char *want = path_join(dir, "pics/truong.png");
	assert_string_equal(b[8].picture_path, want);
	free(want);
	assert_true(b[8].picture_found);
	/* escapes, plain stars, and a year that is not a list number */
	assert_block(&b[9], LEAFLET_PARAGRAPH, 15,
		     "# không phải tiêu đề, 5 * 3 = 15, a*b 1989. Năm thông qua; "
		     "a<i>b</i>c");
	for (size_t i = 0; i < doc->n_blocks; i++)
		if (b[i].kind != LEAFLET_PICTURE)
			assert_null(b[i].picture_src);

	leaflet_destroy(doc);
	diag_list_finish(&dl);
	test_rmtree(dir);
	free(dir);
}

static const char with_problems[] =
	"# Tiêu đề\n"                                    /* 1 */
	"Đây là **chữ đậm chưa đóng\n"                   /* 2 */
	"và *nghiêng cũng vậy.\n"                        /* 3 */
	"\n"                                             /* 4 */
	"![Ảnh không có](khong-co.jpg)\n"                /* 5 */
	"![Ảnh ngoài](../ngoai.jpg)\n"                   /* 6 */
	"![Chú thích thiếu tệp]\n"                       /* 7 */
	"#\n"                                            /* 8 */
	"Chữ\x01 điều khiển\n"                           /* 9 */
	"- mục **một** và **hai\n";                      /* 10 */

static void test_warnings_with_lines(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	struct diag_list dl;
	diag_list_init(&dl);
	struct leaflet *doc = leaflet_parse(with_problems, strlen(with_problems),
					    "rad.md", dir, &dl);
	assert_non_null(doc);  /* warnings never stop a leaflet */
	diag_print(&dl, stdout);
	assert_int_equal(diag_count(&dl, DIAG_ERROR), 0);
	assert_int_equal(diag_count(&dl, DIAG_WARNING), 8);

	/* columns count characters: "Đây là " is 7 */
	assert_diag(&dl, 2, 8, DIAG_WARNING, "\"**\" is not closed");
	assert_diag(&dl, 3, 4, DIAG_WARNING, "\"*\" is not closed");
	assert_diag(&dl, 5, 17, DIAG_WARNING, "khong-co.jpg: picture file not found");
	assert_diag(&dl, 6, 14, DIAG_WARNING, "../ngoai.jpg: a picture must be in");
	assert_diag(&dl, 7, 1, DIAG_WARNING, "![caption](file)");
	assert_diag(&dl, 8, 1, DIAG_WARNING, "empty heading");
	assert_diag(&dl, 9, 4, DIAG_WARNING, "control character");
	assert_diag(&dl, 10, 18, DIAG_WARNING, "\"**\" is not closed");
	char *s = diag_format(diag_at(&dl, 2));
	assert_string_equal(s, "rad.md:2:8: warning: \"**\" is not closed; it is shown as it is");
	free(s);

	const struct leaflet_block *b = doc->blocks;
	assert_int_equal(doc->n_blocks, 7);
	assert_block(&b[0], LEAFLET_HEADING, 1, "Tiêu đề");
	/* unclosed stars are shown as they are */
	assert_block(&b[1], LEAFLET_PARAGRAPH, 2,
		     "Đây là **chữ đậm chưa đóng và *nghiêng cũng vậy.");
	assert_block(&b[2], LEAFLET_PICTURE, 5, "Ảnh không có");
	assert_false(b[2].picture_found);
	assert_non_null(b[2].picture_path);
	assert_block(&b[3], LEAFLET_PICTURE, 6, "Ảnh ngoài");
	assert_null(b[3].picture_path);
	assert_false(b[3].picture_found);
	assert_block(&b[4], LEAFLET_PARAGRAPH, 7, "![Chú thích thiếu tệp]");
	assert_block(&b[5], LEAFLET_PARAGRAPH, 9, "Chữ điều khiển");
	assert_block(&b[6], LEAFLET_BULLET, 10, "mục <b>một</b> và **hai");

	leaflet_destroy(doc);
	diag_list_finish(&dl);
	test_rmtree(dir);
	free(dir);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t len;
		int line, col;
	} bad[] = {
		/* a lone lead byte: "Dòng hai " is 9 characters */
		{ "Dòng một\nDòng hai \xC3\x28 sai\n", 0, 2, 10 },
		/* overlong "/" */
		{ "# Êđê\n\n\xC0\xAF\n", 0, 3, 1 },
		/* a UTF-16 surrogate */
		{ "ă â ĕ \xED\xA0\x80", 0, 1, 7 },
		/* Latin-1 "é" after CRLF lines */
		{ "a\r\nb\r\nc\xE9", 0, 3, 2 },
		/* UTF-16LE: NUL bytes */
		{ "\xFF\xFE#\0 \0", 6, 1, 1 },
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct diag_list dl;
		diag_list_init(&dl);
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);
		struct leaflet *doc = leaflet_parse(bad[i].text, len, "x.md", NULL, &dl);
		assert_null(doc);
		diag_print(&dl, stdout);
		assert_int_equal(dl.len, 1);
		assert_int_equal(dl.items[0].severity, DIAG_ERROR);
		if (i == 4) {
			assert_non_null(strstr(dl.items[0].message, "NUL"));
			assert_int_equal(dl.items[0].line, 1);
		} else {
			assert_non_null(strstr(dl.items[0].message, "invalid UTF-8"));
			assert_int_equal(dl.items[0].line, bad[i].line);
			assert_int_equal(dl.items[0].col, bad[i].col);
		}
		diag_list_finish(&dl);
	}

	/* the same through a file, with the path in the message */
	char *dir = test_tmpdir();
	char *path = test_write_file(dir, "vi.md", "# Tiêu đề\nchữ \xFF\n");
	struct diag_list dl;
	diag_list_init(&dl);
	assert_null(leaflet_load(path, &dl));
	assert_int_equal(dl.len, 1);
	char *s = diag_format(&dl.items[0]);
	char *want = xasprintf("%s:2:5: error: invalid UTF-8 (byte 0xFF); "
			       "save the file as UTF-8", path);
	assert_string_equal(s, want);
	free(want);
	free(s);
	diag_list_finish(&dl);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void test_empty(void **state)
{
	(void)state;
	static const char *const empties[] = {
		"", "\n\n", "\xEF\xBB\xBF", "  \t \r\n\r\n   \n", "#\n",
	};
	for (size_t i = 0; i < ARRAY_LEN(empties); i++) {
		struct diag_list dl;
		diag_list_init(&dl);
		struct leaflet *doc = leaflet_parse(empties[i], strlen(empties[i]),
						    "e.md", NULL, &dl);
		assert_non_null(doc);
		assert_int_equal(doc->n_blocks, 0);
		assert_int_equal(diag_count(&dl, DIAG_ERROR), 0);
		assert_true(diag_count(&dl, DIAG_WARNING) >= 1);
		assert_non_null(strstr(dl.items[dl.len - 1].message, "no text"));
		leaflet_destroy(doc);
		diag_list_finish(&dl);
	}
	/* an empty file on disk */
	char *dir = test_tmpdir();
	char *path = test_write_file(dir, "empty.md", "");
	struct diag_list dl;
	diag_list_init(&dl);
	struct leaflet *doc = leaflet_load(path, &dl);
	assert_non_null(doc);
	assert_int_equal(doc->n_blocks, 0);
	leaflet_destroy(doc);
	diag_list_finish(&dl);
	/* a missing file is an error */
	diag_list_init(&dl);
	char *missing = path_join(dir, "missing.md");
	assert_null(leaflet_load(missing, &dl));
	assert_int_equal(diag_count(&dl, DIAG_ERROR), 1);
	diag_list_finish(&dl);
	free(missing);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void test_size_limit(void **state)
{
	(void)state;
	/* a leaflet right at the limit loads (and quickly) */
	static const char para[] =
		"Mọi người sinh ra đều được **tự do** và *bình đẳng* về nhân phẩm và quyền.\n\n";
	size_t plen = strlen(para);
	size_t n = LEAFLET_MAX_BYTES / plen;
	char *big = xmalloc(LEAFLET_MAX_BYTES + 2);
	for (size_t i = 0; i < n; i++)
		memcpy(big + i * plen, para, plen);
	size_t len = n * plen;
	memset(big + len, 'a', LEAFLET_MAX_BYTES - len);
	len = LEAFLET_MAX_BYTES;
	big[len] = '\0';

	char *dir = test_tmpdir();
	char *path = test_write_file(dir, "big.md", big);
	struct diag_list dl;
	diag_list_init(&dl);
	int64_t t0 = time_mono_ms();
	struct leaflet *doc = leaflet_load(path, &dl);
	int64_t t1 = time_mono_ms();
	assert_non_null(doc);
	print_message("parsed %zu bytes, %zu blocks in %lld ms\n", len,
		      doc->n_blocks, (long long)(t1 - t0));
	/* the "aaa" filling up to the limit is one more paragraph */
	assert_int_equal(doc->n_blocks, n + (LEAFLET_MAX_BYTES % plen != 0));
	assert_int_equal(dl.len, 0);
	leaflet_destroy(doc);
	diag_list_finish(&dl);
	free(path);

	/* one byte more is refused, from a file and from memory */
	big[len] = 'a';
	big[len + 1] = '\0';
	path = test_write_file(dir, "too-big.md", big);
	diag_list_init(&dl);
	assert_null(leaflet_load(path, &dl));
	assert_int_equal(dl.len, 1);
	assert_int_equal(dl.items[0].severity, DIAG_ERROR);
	assert_non_null(strstr(dl.items[0].message, "at most"));
	diag_list_finish(&dl);
	diag_list_init(&dl);
	assert_null(leaflet_parse(big, len + 1, "mem", NULL, &dl));
	assert_int_equal(diag_count(&dl, DIAG_ERROR), 1);
	diag_list_finish(&dl);
	free(path);
	free(big);
	test_rmtree(dir);
	free(dir);
}

/* Windows files: a byte order mark, CRLF (and old-Mac CR) line ends,
 * tabs; columns on line 1 do not count the mark. */
static void test_line_ends_bom_tabs(void **state)
{
	(void)state;
	static const char text[] =
		"\xEF\xBB\xBF# Tiêu\tđề **x\r\n"
		"\r\n"
		"Đoạn   một\r\n"
		"dòng hai\r"
		"dòng ba\\\r\n"
		"dòng bốn\r\n";
	struct diag_list dl;
	diag_list_init(&dl);
	struct leaflet *doc = leaflet_parse(text, strlen(text), "w.md", NULL, &dl);
	assert_non_null(doc);
	assert_int_equal(doc->n_blocks, 2);
	assert_block(&doc->blocks[0], LEAFLET_HEADING, 1, "Tiêu đề **x");
	assert_block(&doc->blocks[1], LEAFLET_PARAGRAPH, 3,
		     "Đoạn một dòng hai dòng ba\ndòng bốn");
	assert_int_equal(dl.len, 1);
	assert_diag(&dl, 1, 11, DIAG_WARNING, "\"**\" is not closed");
	leaflet_destroy(doc);
	diag_list_finish(&dl);
}

/* Letters with combining marks are kept as written (the text module
 * shapes NFD as it shapes NFC), and marks never lose their letter. */
static void test_nfd_kept(void **state)
{
	(void)state;
	static const char text[] =
		"## \xC3\x8A\xC4\x91\xC3\xAA\n"                 /* Êđê, NFC */
		"E\xCC\x82\xC4\x91\x65\xCC\x82 "                /* Êđê, NFD */
		"**a\xCC\x86\xCC\x81** *o\xCC\x86\xCC\x80*\n";  /* ắ, ŏ + grave */
	struct diag_list dl;
	diag_list_init(&dl);
	struct leaflet *doc = leaflet_parse(text, strlen(text), "n.md", NULL, &dl);
	assert_non_null(doc);
	assert_int_equal(dl.len, 0);
	assert_int_equal(doc->n_blocks, 2);
	assert_block(&doc->blocks[0], LEAFLET_HEADING, 1, "Êđê");
	assert_block(&doc->blocks[1], LEAFLET_PARAGRAPH, 2,
		     "E\xCC\x82\xC4\x91\x65\xCC\x82 <b>a\xCC\x86\xCC\x81</b> "
		     "<i>o\xCC\x86\xCC\x80</i>");
	leaflet_destroy(doc);
	diag_list_finish(&dl);
}

/* Pictures are found next to the leaflet file, wherever it is read from. */
static void test_load_relative_pictures(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	free(test_write_file(dir, "vi/anh.png", "x"));
	char *path = test_write_file(dir, "vi/leaflet.md",
				     "![Ảnh](anh.png)\n![](none.png)\n");
	struct diag_list dl;
	diag_list_init(&dl);
	struct leaflet *doc = leaflet_load(path, &dl);
	assert_non_null(doc);
	assert_int_equal(doc->n_blocks, 2);
	char *want = path_join(dir, "vi/anh.png");
	assert_string_equal(doc->blocks[0].picture_path, want);
	assert_true(doc->blocks[0].picture_found);
	/* a picture without a caption is allowed */
	assert_int_equal(doc->blocks[1].n_runs, 0);
	assert_false(doc->blocks[1].picture_found);
	assert_int_equal(dl.len, 1);
	assert_diag(&dl, 2, 5, DIAG_WARNING, "none.png: picture file not found");
	assert_string_equal(dl.items[0].file, path);
	free(want);
	leaflet_destroy(doc);
	diag_list_finish(&dl);
	free(path);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_element),
		cmocka_unit_test(test_warnings_with_lines),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_line_ends_bom_tabs),
		cmocka_unit_test(test_nfd_kept),
		cmocka_unit_test(test_load_relative_pictures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
