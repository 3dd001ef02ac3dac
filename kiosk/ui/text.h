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
 * SDL_ttf 2.20 has no glyph fallback, so the engine keeps, per size and
 * face, an ordered set of fonts (ui/fontset.h): the face, then the regular
 * font when the face is another file, then the fallback fonts
 * (text_set_fallback_fonts, at regular weight whatever the face). Each
 * line is split into runs of one font, a base letter never parted from
 * its combining marks; measuring, layout and drawing all go through the
 * runs. A line of several runs is rendered run by run (each shaped by its
 * own font) and composited into one texture with the baselines lined up
 * (each run's baseline is its font's ascent below the top of what it
 * drew); the runs are worked out once, when the line's texture is made.
 *
 * Line geometry is fixed per pixel size: a line box of text_line_height
 * pixels with the baseline at the same depth for every face, deep enough
 * that capitals with two stacked marks (Ẫ, Ặ, Ê̆, in bold too) stay inside
 * the box, and tall enough for marks below descenders (ỵ). It is measured
 * once per size by rendering such letters with the regular and bold
 * faces.
 *
 * Layout breaks paragraphs at spaces (and inside words too long for a
 * line, between clusters), honours explicit newlines, and ends a
 * paragraph that does not fit its line budget with an ellipsis "…".
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
 * Both files are read into memory now, so text keeps drawing at every
 * size if they are removed while the kiosk runs. Returns NULL with a
 * logged error naming the file when the font cannot be opened (a bold
 * font that cannot be is logged, and the regular one emboldened). */
struct text_engine *text_create(SDL_Renderer *renderer, const char *font_path,
				const char *bold_path);

/* An engine without any font, for a kiosk none of whose font files opens
 * (the caller logs which): text measures 0 pixels wide and draws nothing,
 * quietly, so pictures, videos and buttons still show. Fallback fonts
 * are ignored. Never NULL. */
struct text_engine *text_create_fontless(SDL_Renderer *renderer);

/* Does the engine draw text (false: text_create_fontless)? */
bool text_has_font(const struct text_engine *te);
/* The regular font's file (NULL for a fontless engine). */
const char *text_font_path(const struct text_engine *te);

/* Take italic and bold italic faces from these files (NULL or "" =
 * slant the regular or bold face with TTF_STYLE_ITALIC, the default).
 * Returns false with a logged error naming the file when one cannot be
 * opened; that face is then slanted. */
bool text_set_italic_fonts(struct text_engine *te, const char *italic_path,
			   const char *bold_italic_path);

/* Draw characters the faces lack with the fonts in paths[0..n), tried in
 * this order, at regular weight. Replaces any earlier list (n = 0: no
 * fallback). A file that cannot be opened is logged, naming it, and
 * skipped; returns false when one was. Drops every cached texture. */
bool text_set_fallback_fonts(struct text_engine *te, const char *const *paths,
			     size_t n);

/* Free every texture and font. Accepts NULL. */
void text_destroy(struct text_engine *te);

/* Drop every cached texture (after the renderer was reset). */
void text_clear_cache(struct text_engine *te);

/* Size of one line of text without wrapping: the width of its ink box
 * (all runs side by side) and the height of the box text_draw_line draws
 * it in (text_line_height, which leaves room for stacked marks, or more
 * if this text reaches further). Returns false when the font cannot
 * shape it (logged). */
bool text_measure(struct text_engine *te, const char *utf8,
		  const struct text_style *style, int *w, int *h);

/* Height of the line box at this style's size: the font's line height,
 * grown where needed so stacked marks above capitals and marks below
 * descenders fit with a pixel to spare. Lines are stacked this far apart;
 * text_draw_line keeps the ink of the kiosk's letters (of the main fonts;
 * a tall fallback symbol may reach further) inside [y, y + this). */
int text_line_height(struct text_engine *te, const struct text_style *style);

/* Break utf8 into at most max_lines lines of at most max_w pixels. Fills
 * lines[0..return) (at most max_lines). A paragraph that needs more lines
 * is cut with the last line marked ellipsis (its len shortened so that
 * the text plus "…" fits). */
size_t text_layout(struct text_engine *te, const char *utf8,
		   const struct text_style *style, int max_w, int max_lines,
		   struct text_line *lines);

/* Draw one line in the line box whose top-left is (x, y) (the alignment
 * moves it within max_w when max_w > 0), cut with an ellipsis if wider
 * than max_w. Returns the width drawn. */
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
