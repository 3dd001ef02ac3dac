/*
 * leaflet: text leaflets written in a small Markdown-like markup, one file
 * per language, parsed into a document model that ui/leaflet_view lays out
 * with the kiosk's shaped text.
 *
 * The markup (content/LEAFLET-MARKUP.md is the translator's page):
 *
 *   # Heading            a heading; "## " and "### " are smaller ones.
 *                        Leading spaces on any line are ignored.
 *   text lines           a paragraph: lines next to each other are joined
 *                        with a space; a blank line ends the paragraph.
 *                        A line ending in a backslash "\" keeps its line
 *                        break (addresses, short verses).
 *   - item               an item of a bulleted list ("* item" too). Lines
 *                        right under it, without a blank line, continue it.
 *   12. item             an item of a numbered list; the number written is
 *                        the number shown (up to nine digits).
 *   **bold** *italic*    inside any text; ***both*** at once. A "*" that
 *                        has a space on both sides is a plain star.
 *   ![Caption](pic.jpg)  on a line of its own: a picture, its file named
 *                        relative to the leaflet's folder, with the
 *                        caption (which may use bold and italic) under it.
 *   \*  \#  \-  \\  ...  a backslash before any ASCII punctuation shows
 *                        that character as it is ("1989\. " at the start
 *                        of a line is not a list number).
 *
 * Anything else is text. Headings, list items and pictures may follow one
 * another without blank lines; each item or heading starts a new block.
 *
 * Files are UTF-8 (a byte order mark is allowed and skipped; line ends
 * LF, CRLF or CR). Text need not be in NFC: the text module shapes
 * precomposed letters and letters with combining marks alike, and line
 * breaks fall only on spaces. Tabs count as spaces; runs of spaces become
 * one space.
 *
 * Problems go to a diag_list as `file:line:col: message` (col counts
 * characters, not bytes). Errors, which stop the leaflet from loading:
 * invalid UTF-8, a NUL byte, a file over LEAFLET_MAX_BYTES, a file that
 * cannot be read. Warnings, after which the leaflet still loads: an
 * unclosed "**" or "*" (shown as it is), a picture line that is not
 * `![caption](file)` (shown as text), a picture path that is absolute or
 * leaves the folder, a picture file that does not exist, an empty heading,
 * a control character (dropped), an empty leaflet.
 *
 * Any thread; no global state.
 */
#ifndef KIOSK_CONTENT_LEAFLET_H
#define KIOSK_CONTENT_LEAFLET_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

/* Larger files are refused: a long leaflet is some 50 KB. */
#define LEAFLET_MAX_BYTES (1024 * 1024)

/* Style flags of a run. */
#define LEAFLET_BOLD 1u
#define LEAFLET_ITALIC 2u

enum leaflet_block_kind {
	LEAFLET_HEADING = 0,   /* level 1..3 */
	LEAFLET_PARAGRAPH,
	LEAFLET_BULLET,        /* one item of a bulleted list */
	LEAFLET_NUMBERED,      /* one item of a numbered list */
	LEAFLET_PICTURE,       /* a picture with its caption in runs */
};

/* A stretch of text in one style. Spaces are collapsed to one and never
 * lead or trail the block's text; "\n" inside text is a kept line break
 * (never next to a space). Never empty. */
struct leaflet_run {
	char *text;            /* UTF-8, NUL-terminated, owned */
	unsigned style;        /* LEAFLET_BOLD | LEAFLET_ITALIC */
};

struct leaflet_block {
	enum leaflet_block_kind kind;
	int line;              /* 1-based source line where the block starts */
	int level;             /* heading: 1..3; otherwise 0 */
	long number;           /* numbered item: the number written; else 0 */
	struct leaflet_run *runs;  /* the text (picture: the caption); owned */
	size_t n_runs;             /* 0 only for a picture without caption */
	char *picture_src;     /* picture: the path as written; else NULL */
	char *picture_path;    /* picture: joined with the leaflet's folder;
				* NULL when the path was refused (absolute or
				* leaving the folder) */
	bool picture_found;    /* picture: the file existed at parse time */
};

struct leaflet {
	char *file;            /* name used in diagnostics; owned */
	struct leaflet_block *blocks;  /* in reading order; owned */
	size_t n_blocks;
};

/* Read and parse the leaflet at path; pictures are looked up relative to
 * the folder holding it. Problems are added to diags (may be NULL).
 * Returns the document (caller owns; leaflet_destroy), or NULL when an
 * error stops it from loading (the reason is in diags). */
struct leaflet *leaflet_load(const char *path, struct diag_list *diags);

/* Parse len bytes of markup from memory. file names the text in
 * diagnostics; base_dir is the folder pictures are relative to (NULL or
 * "" = the current directory). Same ownership and errors as
 * leaflet_load (text over LEAFLET_MAX_BYTES is refused). */
struct leaflet *leaflet_parse(const char *text, size_t len, const char *file,
			      const char *base_dir, struct diag_list *diags);

/* Free a document. Accepts NULL. */
void leaflet_destroy(struct leaflet *doc);

#endif
