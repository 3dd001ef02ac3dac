/*
 * leaflet_view: lays out a parsed text leaflet (content/leaflet.h) with
 * the kiosk's shaped text and draws it, scrolled, into a renderer.
 *
 * A view is the drawing context (the text engine and a cache of word
 * widths); a layout is one leaflet at one width and text
 * scale: a list of positioned lines, each made of segments of one style,
 * plus the pictures as textures. Build a new layout when the width or the
 * large-text scale changes; drawing a layout shapes nothing new once its
 * lines' textures are in the text module's cache, and touches only the
 * lines in view, so scrolling is cheap.
 *
 * Layout: body text at base_size_px x scale; headings bold at 1.6x, 1.35x
 * and 1.15x the body size; lists with a hanging indent (markers right-
 * aligned in a gutter as wide as the list's widest marker); pictures
 * scaled to the width (up or down, at most max_picture_h_px high,
 * centred) with the caption centred under them in smaller text. A picture
 * that cannot be loaded is a grey box of the same place (16:9) with its
 * caption; the leaflet never fails for it (the reason is logged).
 * Lines break at spaces only (inside a word only when the word alone is
 * wider than the line, and never between a letter and its combining
 * marks); no justification.
 *
 * Widows: (1) when a paragraph's last line would hold one word alone, the
 * last word of the line before moves down to keep it company (when that
 * line keeps two words or more); (2) heading lines and picture lines are
 * marked keep_with_next, and leaflet_layout_page_down never ends a page
 * after such a line, so a heading is never the last line on screen before
 * the picture or text it introduces, and a caption stays with its picture.
 *
 * Italic: every run, italic or not, is measured and drawn by the text
 * module (struct text_style .italic), so its lines share the module's
 * fonts and texture cache. The faces are the engine's: its italic files
 * when set (text_set_italic_fonts), otherwise its regular and bold faces
 * slanted by SDL_ttf. The view measures one thing itself: an italic
 * run's advance (text_measure gives its ink, which leans past the
 * advance), so that text after it (a comma after "*1990*") starts at the
 * advance plus half the lean, neither under the leaning letter nor a gap
 * away.
 *
 * Who sets the italic files: the one who owns the engine, normally the
 * app, once after text_create. leaflet_view_create also passes
 * leaflet_fonts' italic files to the engine when it names any, for
 * callers that have them only here; that applies to the whole engine,
 * every screen drawing with it, and stays after the view is destroyed.
 *
 * Main thread only (it owns the renderer).
 */
#ifndef KIOSK_UI_LEAFLET_VIEW_H
#define KIOSK_UI_LEAFLET_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#include "content/leaflet.h"
#include "ui/text.h"

struct leaflet_view;
struct leaflet_layout;

/* Font files for the italic faces. Any may be NULL or "". */
struct leaflet_fonts {
	const char *italic;       /* a real italic face, for the engine */
	const char *bold_italic;  /* a real bold italic face, for the engine */
};

/* Create a view drawing with te (borrowed; it must outlive the view) on
 * renderer (the one te draws on). When fonts (may be NULL) names an
 * italic or bold italic file, both are given to te with
 * text_set_italic_fonts (see "Who sets the italic files" above); a file
 * that does not open is logged by the text module, naming it, and that
 * face is slanted instead, which is not a failure. Never returns NULL. */
struct leaflet_view *leaflet_view_create(struct text_engine *te,
					 SDL_Renderer *renderer,
					 const struct leaflet_fonts *fonts);

/* Free the view and its width cache (the engine and its italic setting
 * are left as they are). Every layout made with it must be destroyed
 * first. Accepts NULL. */
void leaflet_view_destroy(struct leaflet_view *lv);

struct leaflet_layout_params {
	int width_px;             /* width of the text column; > 0 */
	int base_size_px;         /* body text size at scale 1.0 */
	float scale;              /* the large-text setting: 1.0, 1.4...
				   * (<= 0 means 1.0) */
	int max_picture_h_px;     /* a picture's height limit; 0 = none (use
				   * the screen height so a picture fits) */
};

enum leaflet_line_kind {
	LEAFLET_LINE_TEXT = 0,
	LEAFLET_LINE_PICTURE,
};

/* A piece of one line in one style. */
struct leaflet_seg {
	const char *text;         /* UTF-8, NUL-terminated; owned by the layout */
	int x, w;                 /* left edge from the column's left, width */
	unsigned style;           /* LEAFLET_BOLD | LEAFLET_ITALIC */
	bool marker;              /* a list's bullet or number, not the text */
};

struct leaflet_line {
	enum leaflet_line_kind kind;
	int x, y, w, h;           /* box from the leaflet's top-left: text
				   * lines span their ink advance and line
				   * height; pictures their drawn rectangle */
	int size_px;              /* text size of the line */
	size_t block;             /* index of the block in the document */
	const struct leaflet_seg *segs;  /* text: left to right; marker first */
	size_t n_segs;
	bool keep_with_next;      /* no page break after this line */
	bool caption;             /* a picture's caption line */
	bool picture_missing;     /* picture: drawn as a grey box */
};

/* Lay out doc (borrowed only during the call) in view lv. Pictures are
 * decoded here and kept as textures. Returns NULL only when p is unusable
 * (width <= 0, or body text not in 1..1000 px; logged). Caller owns the result
 * (leaflet_layout_destroy). */
struct leaflet_layout *leaflet_layout_create(struct leaflet_view *lv,
					     const struct leaflet *doc,
					     const struct leaflet_layout_params *p);

/* Free a layout and its picture textures. Accepts NULL. */
void leaflet_layout_destroy(struct leaflet_layout *lo);

/* Total height in pixels, from the top of the first line to the bottom of
 * the last. */
int leaflet_layout_height(const struct leaflet_layout *lo);

/* The laid-out lines, top to bottom (y never decreases). */
size_t leaflet_layout_line_count(const struct leaflet_layout *lo);
const struct leaflet_line *leaflet_layout_line(const struct leaflet_layout *lo,
					       size_t i);

/* The scroll offset for the next page of a view_h-high viewport whose top
 * is at top_px: the top of the first line that does not fit completely,
 * moved back over lines marked keep_with_next (a heading goes to the next
 * page with what follows it), clamped to [0, height - view_h]. Always
 * moves forward unless already at the end. */
int leaflet_layout_page_down(const struct leaflet_layout *lo, int top_px,
			     int view_h);

/* Draw the part of the leaflet scrolled to scroll_px (the leaflet's y
 * that shows at the top of viewport) into viewport, clipped to it, with
 * text in color (captions slightly faded). Only lines that overlap the
 * viewport are drawn. Returns how many lines were drawn. */
int leaflet_layout_draw(struct leaflet_layout *lo, const SDL_Rect *viewport,
			int scroll_px, SDL_Color color);

#endif
