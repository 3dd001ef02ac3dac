/*
 * test_glyphcheck: which characters the configured fonts (the defaults of
 * a Debian 12 kiosk) cannot draw, and the warnings `kiosk check` prints
 * for them in texts, whole files and PO files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/config.h"
#include "base/util.h"
#include "content/glyphcheck.h"
#include "test_support.h"

struct fixture {
	struct kiosk_config cfg;
	struct glyphcheck *gc;
	char *names;                 /* the default fonts' file names */
	char *dir;                   /* scratch */
};

/* The default fonts: primary first, then the fallbacks. */
static const char **default_fonts(const struct kiosk_config *cfg, size_t *n)
{
	size_t nf;
	const char **fb = config_split_paths(cfg->font_fallback, &nf);
	const char **paths = xcalloc(nf + 1, sizeof *paths);
	paths[0] = xstrdup(cfg->font_path);
	for (size_t i = 0; i < nf; i++)
		paths[i + 1] = xstrdup(fb[i]);
	free(fb);
	*n = nf + 1;
	return paths;
}

static void free_fonts(const char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)paths[i]);
	free(paths);
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	config_defaults(&f->cfg);
	size_t n;
	const char **paths = default_fonts(&f->cfg, &n);
	struct diag_list d;
	diag_list_init(&d);
	f->gc = glyphcheck_create(paths, n, &d);
	assert_int_equal(d.len, 0);
	assert_int_equal(glyphcheck_font_count(f->gc), n);
	diag_list_finish(&d);
	f->names = xstrdup("");
	for (size_t i = 0; i < n; i++) {
		const char *slash = strrchr(paths[i], '/');
		char *s = xasprintf("%s%s%s", f->names, i ? ", " : "",
				    slash ? slash + 1 : paths[i]);
		free(f->names);
		f->names = s;
	}
	free_fonts(paths, n);
	f->dir = test_tmpdir();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	glyphcheck_destroy(f->gc);
	free(f->names);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void test_drawable(void **state)
{
	struct fixture *f = *state;
	assert_true(glyphcheck_drawable(f->gc, 'a'));
	assert_true(glyphcheck_drawable(f->gc, 0x1EAA));    /* Ẫ */
	assert_true(glyphcheck_drawable(f->gc, 0x0180));    /* ƀ */
	assert_true(glyphcheck_drawable(f->gc, 0x2192));    /* → (fallback) */
	assert_true(glyphcheck_drawable(f->gc, 0x2713));    /* ✓ (fallback) */
	assert_true(glyphcheck_drawable(f->gc, '\t'));
	assert_true(glyphcheck_drawable(f->gc, 0x200D));
	assert_true(glyphcheck_drawable(f->gc, 0xFE0F));
	assert_true(glyphcheck_drawable(f->gc, 0xFEFF));
	assert_false(glyphcheck_drawable(f->gc, 0xE000));   /* private use */
	assert_false(glyphcheck_drawable(f->gc, 0x10000));  /* Linear B */
}

static void test_text(void **state)
{
	struct fixture *f = *state;
	uint32_t bad[4];
	/* everything a kiosk writes, NFC and NFD, symbols from fallbacks */
	const char *good = "Quyền con người — Ê\xCC\x86 Ư\xCC\x86 e\xCC\x82\xCC\x81 "
			   "Ƀ Č Ñ → ← ✓ ‘’ “” fi";
	assert_int_equal(glyphcheck_text(f->gc, good, strlen(good), bad, 4), 0);
	/* each bad character once, in order of first appearance */
	const char *t = "a\xEE\x80\x80 b \xF0\x90\x80\x80 \xEE\x80\x80 c";
	assert_int_equal(glyphcheck_text(f->gc, t, strlen(t), bad, 4), 2);
	assert_int_equal(bad[0], 0xE000);
	assert_int_equal(bad[1], 0x10000);
	/* no room: still counted */
	assert_int_equal(glyphcheck_text(f->gc, t, strlen(t), bad, 1), 2);
	assert_int_equal(bad[0], 0xE000);
	/* invalid UTF-8 is another check's business */
	assert_int_equal(glyphcheck_text(f->gc, "a\xFF\xC3", 3, bad, 4), 0);
	/* U+FFFD written out is a character like any other */
	assert_int_equal(glyphcheck_text(f->gc, "\xEF\xBF\xBD", 3, bad, 4), 0);
	/* a mark no font has, on a letter */
	const char *mark = "a\xCD\xA3";   /* a + U+0363 combining small a */
	size_t n = glyphcheck_text(f->gc, mark, strlen(mark), bad, 4);
	if (n)
		assert_int_equal(bad[0], 0x0363);
}

static void test_report(void **state)
{
	struct fixture *f = *state;
	struct diag_list d;
	diag_list_init(&d);
	const char *t = "Ký hiệu \xEE\x80\x80 \xEE\x80\x80";
	assert_int_equal(glyphcheck_report(f->gc, t, strlen(t), "x.json", 4, &d), 1);
	assert_int_equal(d.len, 1);
	char *msg = diag_format(&d.items[0]);
	char *want = xasprintf("x.json:4: warning: character U+E000 '\xEE\x80\x80' "
			       "cannot be drawn by any configured font (fonts: %s)",
			       f->names);
	assert_string_equal(msg, want);
	assert_int_equal(glyphcheck_report(f->gc, "ok", 2, "x.json", 5, &d), 0);
	free(msg);
	free(want);
	diag_list_finish(&d);
}

/* Messages of d as "file:line: U+XXXX" lines, for compact comparison. */
static char *summary(const struct diag_list *d)
{
	char *s = xstrdup("");
	for (size_t i = 0; i < d->len; i++) {
		const char *u = strstr(d->items[i].message, "U+");
		assert_non_null(u);
		const char *slash = strrchr(d->items[i].file, '/');
		char *t = xasprintf("%s%s:%d: %.*s\n", s,
				    slash ? slash + 1 : d->items[i].file,
				    d->items[i].line, (int)strcspn(u, " "), u);
		free(s);
		s = t;
	}
	return s;
}

static void test_file(void **state)
{
	struct fixture *f = *state;
	/* CRLF, CR and LF line ends, a byte order mark, no final newline */
	char *path = test_write_file(f->dir, "leaflet.vi.md",
		"\xEF\xBB\xBF# Tiêu đề\r\n"
		"Một dòng có \xEE\x80\x81 ở giữa.\r\n"
		"\r"
		"→ ✓ được\n"
		"\n"
		"cuối \xF0\x90\x80\x81");
	struct diag_list d;
	diag_list_init(&d);
	assert_true(glyphcheck_file(f->gc, path, &d));
	char *s = summary(&d);
	assert_string_equal(s, "leaflet.vi.md:2: U+E001\n"
			       "leaflet.vi.md:6: U+10001\n");
	free(s);
	assert_false(glyphcheck_file(f->gc, "/nonexistent/file.srt", &d));
	assert_int_equal(d.len, 2);
	diag_list_finish(&d);
	free(path);
}

static void test_po_file(void **state)
{
	struct fixture *f = *state;
	char *path = test_write_file(f->dir, "rad.po",
		"# Ê Đê translation \xEE\x80\x80\n"                 /* 1 comment */
		"msgid \"\"\n"
		"msgstr \"\"\n"
		"\"Last-Translator: Y \xEE\x80\x80\\n\"\n"          /* 4 header */
		"\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
		"\n"
		"#, fuzzy\n"
		"msgid \"Back\"\n"
		"msgstr \"Wĭt \xEE\x80\x80\"\n"                    /* 9 fuzzy */
		"\n"
		"msgid \"Home \xEE\x80\x80\"\n"                    /* 11 msgid */
		"msgstr \"Sang \xEE\x80\x82\"\n"                    /* 12 */
		"\n"
		"#: kiosk/ui/scene_home.c:10\n"
		"msgid \"\"\n"
		"\"Watch\"\n"
		"msgstr \"\"\n"
		"\"Dlăng \"\n"
		"\"\xF0\x90\x80\x82 ngă\"\n"                        /* 19 */
		"\n"
		"msgid \"one item\"\n"
		"msgid_plural \"%d items\"\n"
		"msgstr[0] \"%d mta \xEE\x80\x83\"\n"               /* 23 */
		"msgctxt \"next entry without a blank line\"\n"
		"msgid \"Search\"\n"
		"msgstr \"Duah\"\n"
		"\n"
		"#~ msgid \"Old\"\n"
		"#~ msgstr \"Đưm \xEE\x80\x80\"\n");                /* obsolete */
	struct diag_list d;
	diag_list_init(&d);
	assert_true(glyphcheck_po_file(f->gc, path, &d));
	char *s = summary(&d);
	assert_string_equal(s, "rad.po:12: U+E002\n"
			       "rad.po:19: U+10002\n"
			       "rad.po:23: U+E003\n");
	free(s);
	assert_false(glyphcheck_po_file(f->gc, "/nonexistent/vi.po", &d));
	diag_list_finish(&d);
	free(path);
}

/* Fonts that cannot be opened are reported and left out. */
static void test_fonts(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(glyphcheck_font_names(f->gc), f->names);
	char *bogus = test_write_file(f->dir, "bogus.ttf", "not a font");
	const char *paths[] = { "/nonexistent/font.ttf", f->cfg.font_path, bogus, "" };
	struct diag_list d;
	diag_list_init(&d);
	struct glyphcheck *gc = glyphcheck_create(paths, ARRAY_LEN(paths), &d);
	assert_int_equal(glyphcheck_font_count(gc), 1);
	assert_int_equal(d.len, 2);
	assert_string_equal(d.items[0].file, "/nonexistent/font.ttf");
	assert_int_equal(d.items[0].severity, DIAG_WARNING);
	assert_string_equal(d.items[1].file, bogus);
	const char *slash = strrchr(f->cfg.font_path, '/');
	assert_string_equal(glyphcheck_font_names(gc), slash + 1);
	/* the primary alone has no arrow */
	assert_false(glyphcheck_drawable(gc, 0x2192));
	glyphcheck_destroy(gc);

	/* no fonts: nothing is drawable, and the caller can tell */
	gc = glyphcheck_create(NULL, 0, NULL);
	assert_int_equal(glyphcheck_font_count(gc), 0);
	assert_string_equal(glyphcheck_font_names(gc), "");
	assert_false(glyphcheck_drawable(gc, 'a'));
	glyphcheck_destroy(gc);
	glyphcheck_destroy(NULL);
	diag_list_finish(&d);
	free(bogus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drawable),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_po_file),
		cmocka_unit_test(test_fonts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
