/*
 * text: shaped text on the screen, through SDL_ttf with HarfBuzz.
 *
 * One engine per renderer. Fonts are opened once per pixel size and face
 * (regular, bold, italic, bold italic); each rendered line becomes a
 * texture kept in a least-recently-used cache keyed by (text, size, face),
 * drawn white and tinted per use, so a static screen redraws without
 * shaping anything again. Italics come from italic font files when set
 * (text_set_italic_fonts), otherwise from the upright faces slanted by
 * SDL_ttf (TTF_STYLE_ITALIC).
 *
 * Layout breaks paragraphs at spaces (and inside words too long for a
 * line), honours explicit newlines, and ends a paragraph that does not fit
 * its line budget with an ellipsis "…".
 *
 * Main thread only.
 */
#ifndef KIOSK_UI_TEXT_H
#define KIOSK_UI_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

struct text_engine;

enum text_align { TEXT_LEFT = 0, TEXT_CENTER, TEXT_RIGHT };

struct text_style {
	int size_px;          /* font pixel size (point size at 72 dpi) */
	bool bold;
	bool italic;
	SDL_Color color;
	enum text_align align;
};

/* One laid-out line: bytes [start, start+len) of the source text, plus an
 * ellipsis when the paragraph was cut here. */
struct text_line {
	size_t start, len;
	bool ellipsis;
	int width_px;
};

/* Create an engine drawing on renderer with the regular font at font_path
 * and bold font at bold_path (NULL or "" = embolden the regular one).
 * Returns NULL with a logged error naming the file when the font cannot be
 * opened. */
struct text_engine *text_create(SDL_Renderer *renderer, const char *font_path,
				const char *bold_path);

/* Take italic and bold italic faces from these files (NULL or "" =
 * slant the regular or bold face with TTF_STYLE_ITALIC, the default).
 * Returns false with a logged error naming the file when one cannot be
 * opened; that face is then slanted. */
bool text_set_italic_fonts(struct text_engine *te, const char *italic_path,
			   const char *bold_italic_path);

/* Free every texture and font. Accepts NULL. */
void text_destroy(struct text_engine *te);

/* Drop every cached texture (after the renderer was reset). */
void text_clear_cache(struct text_engine *te);

/* Size of one line of text without wrapping. Returns false when the font
 * cannot shape it (logged). */
bool text_measure(struct text_engine *te, const char *utf8,
		  const struct text_style *style, int *w, int *h);

/* Height of one line (ascent + descent + gap) at this style. */
int text_line_height(struct text_engine *te, const struct text_style *style);

/* Break utf8 into at most max_lines lines of at most max_w pixels. Fills
 * lines[0..return) (at most max_lines). A paragraph that needs more lines
 * is cut with the last line marked ellipsis (its len shortened so that
 * the text plus "…" fits). */
size_t text_layout(struct text_engine *te, const char *utf8,
		   const struct text_style *style, int max_w, int max_lines,
		   struct text_line *lines);

/* Draw one line at (x, y) (top-left; the alignment moves it within max_w
 * when max_w > 0), cut with an ellipsis if wider than max_w. Returns the
 * width drawn. */
int text_draw_line(struct text_engine *te, const char *utf8, int x, int y,
		   int max_w, const struct text_style *style);

/* Lay out and draw utf8 inside box (top-aligned), at most max_lines lines
 * (0 = as many as fit in box->h). Returns the height used. */
int text_draw_box(struct text_engine *te, const char *utf8,
		  const SDL_Rect *box, int max_lines,
		  const struct text_style *style);

/* Cache statistics for tests: textures held, hits, misses. */
void text_cache_stats(const struct text_engine *te, size_t *entries,
		      size_t *hits, size_t *misses);

#endif
