/*
 * fuzz_leaflet: the text-leaflet markup (content/leaflet.h). The input is
 * a leaflet's bytes, parsed from memory with leaflet_parse, pictures
 * relative to a scratch folder holding one picture ("pic.png").
 *
 * Beyond not crashing, the target asserts what leaflet.h promises of a
 * document: NULL only with an error diagnostic (and never for a file
 * without NUL bytes and invalid UTF-8); headings of level 1..3 and no
 * other block with a level; list numbers of at most nine digits; runs
 * never empty, UTF-8, without control characters other than a kept line
 * break, styles only bold and italic and never the same style twice in a
 * row; a block's text with no space at either end, no two spaces in a
 * row, no space beside a line break; pictures with their source, and a
 * joined path only inside the folder; lines within the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "content/leaflet.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	char *pic = fuzz_path("pic.png");
	fuzz_write(pic, (const uint8_t *)"x", 1);
	free(pic);
	return 0;
}

/* Does the path have a ".." component? */
static bool has_dotdot(const char *path)
{
	for (const char *c = path;;) {
		size_t n = strcspn(c, "/");
		if (n == 2 && c[0] == '.' && c[1] == '.')
			return true;
		if (!c[n])
			return false;
		c += n + 1;
	}
}

static void check_block(const struct leaflet_block *b, size_t lines)
{
	FUZZ_CHECK(b->line >= 1 && (size_t)b->line <= lines, "block line %d "
		   "of %zu", b->line, lines);
	switch (b->kind) {
	case LEAFLET_HEADING:
		FUZZ_CHECK(b->level >= 1 && b->level <= 3, "heading level %d",
			   b->level);
		break;
	case LEAFLET_NUMBERED:
		FUZZ_CHECK(b->number >= 0 && b->number <= 999999999L,
			   "number %ld", b->number);
		/* fall through */
	case LEAFLET_PARAGRAPH:
	case LEAFLET_BULLET:
	case LEAFLET_PICTURE:
		FUZZ_CHECK(b->level == 0, "level %d outside a heading", b->level);
		break;
	default:
		FUZZ_CHECK(false, "block kind %d", (int)b->kind);
	}
	if (b->kind != LEAFLET_NUMBERED)
		FUZZ_CHECK(b->number == 0, "number %ld outside a numbered item",
			   b->number);
	if (b->kind == LEAFLET_PICTURE) {
		FUZZ_CHECK(b->picture_src && *b->picture_src, "picture without "
			   "its source");
		fuzz_check_utf8(b->picture_src, "picture source");
		if (b->picture_path) {
			FUZZ_CHECK(b->picture_src[0] != '/' &&
				   !has_dotdot(b->picture_src),
				   "picture path %s leaves the folder",
				   b->picture_path);
			FUZZ_CHECK(b->picture_found ==
				   file_exists(b->picture_path), "picture_found");
		} else {
			FUZZ_CHECK(!b->picture_found, "found without a path");
		}
	} else {
		FUZZ_CHECK(!b->picture_src && !b->picture_path &&
			   !b->picture_found, "picture fields on a text block");
		FUZZ_CHECK(b->n_runs > 0, "a text block without text");
	}

	/* the block's text, run by run */
	char prev = 0;          /* the last character of the text so far */
	size_t total = 0;
	for (size_t r = 0; r < b->n_runs; r++) {
		const struct leaflet_run *run = &b->runs[r];
		FUZZ_CHECK(run->text && *run->text, "empty run %zu", r);
		FUZZ_CHECK((run->style & ~(LEAFLET_BOLD | LEAFLET_ITALIC)) == 0,
			   "style %u", run->style);
		if (r > 0)
			FUZZ_CHECK(run->style != b->runs[r - 1].style,
				   "runs %zu and %zu have the same style", r - 1, r);
		fuzz_check_utf8(run->text, "run");
		for (const char *p = run->text; *p; p++, total++) {
			unsigned char c = (unsigned char)*p;
			FUZZ_CHECK(c == '\n' || (c >= 0x20 && c != 0x7F),
				   "control character 0x%02X in a run", c);
			FUZZ_CHECK(c != 0xC2 || (unsigned char)p[1] < 0x80 ||
				   (unsigned char)p[1] > 0x9F,
				   "a C1 control character in a run");
			if (total == 0)
				FUZZ_CHECK(c != ' ' && c != '\n', "text begins "
					   "with white space");
			if (c == ' ')
				FUZZ_CHECK(prev != ' ' && prev != '\n',
					   "a space after '%c' (\"%s\")", prev,
					   run->text);
			if (c == '\n')
				FUZZ_CHECK(prev != ' ', "a space before a line "
					   "break (\"%s\")", run->text);
			prev = (char)c;
		}
	}
	if (total > 0)
		FUZZ_CHECK(prev != ' ' && prev != '\n', "text ends with white "
			   "space");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct leaflet *doc = leaflet_parse((const char *)data, size, "fuzz.md",
					    fuzz_dir(), &diags);
	fuzz_check_diags(&diags);
	size_t lines = fuzz_line_count(data, size, true);
	fuzz_check_diag_lines(&diags, lines);
	bool loadable = !memchr(data, '\0', size) &&
			utf8_valid((const char *)data, size, NULL);
	if (!doc) {
		FUZZ_CHECK(diag_count(&diags, DIAG_ERROR) > 0, "NULL without "
			   "an error");
		FUZZ_CHECK(!loadable, "a UTF-8 leaflet without NUL was refused");
	} else {
		FUZZ_CHECK(diag_count(&diags, DIAG_ERROR) == 0, "a document "
			   "with an error");
		FUZZ_CHECK(doc->file && strcmp(doc->file, "fuzz.md") == 0, "file");
		for (size_t i = 0; i < doc->n_blocks; i++)
			check_block(&doc->blocks[i], lines);
	}
	leaflet_destroy(doc);
	diag_list_finish(&diags);
	return 0;
}
