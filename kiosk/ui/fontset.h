/*
 * fontset: an ordered list of fonts at one pixel size that together draw
 * a text, because SDL_ttf 2.20 has no glyph fallback of its own.
 *
 * The first font is the main one; each later one is asked only for what
 * the ones before it lack ("which font draws this character"). A text is
 * split into clusters, a base character with the combining marks,
 * variation selectors and zero-width joiners that follow it (and the
 * character a joiner joins), and each cluster goes whole to one font: the
 * first that provides every character of the cluster needing a glyph,
 * else the first that provides its base, else the first font (its
 * .notdef box). A base is never split from its marks, so HarfBuzz still
 * sees "e" + U+0302 + U+0301 together and composes "ế" when the font has
 * it, and text in NFC and NFD draws the same. Neighbouring clusters of one
 * font form a run; each run is shaped and drawn by its font.
 *
 * Fonts given as files are opened on first use, so a fallback costs
 * nothing until a text needs it. Fonts the set opens itself are set up
 * like the text module's: left to right, Latin script, light hinting,
 * kerning.
 *
 * SDL_ttf must be initialised (TTF_Init) while a set is in use. Main
 * thread only, like SDL_ttf.
 */
#ifndef KIOSK_UI_FONTSET_H
#define KIOSK_UI_FONTSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL_ttf.h>

struct fontset;

/* A stretch of text drawn with one font: bytes [start, start+len) of the
 * text given to fontset_split, by font number font of the set. */
struct fontset_run {
	size_t start, len;
	size_t font;
};

/* An empty set of fonts at size_px pixels. Never NULL. */
struct fontset *fontset_create(int size_px);

/* Close every font the set owns. Accepts NULL. */
void fontset_destroy(struct fontset *fs);

/* Append font, already opened and set up by the caller; the set takes
 * ownership and closes it. */
void fontset_add_font_take(struct fontset *fs, TTF_Font *font);

/* Append the font file at path (copied), opened at the set's size on
 * first use. A file that then cannot be opened is skipped from then on,
 * and logged, naming it, the first time it fails in the process (later
 * failures of the same file, in other sets, at debug level). */
void fontset_add_file(struct fontset *fs, const char *path);

/* Number of fonts in the set (including any that failed to open). */
size_t fontset_count(const struct fontset *fs);

/* Font number i, opened now if it was added as a file; NULL when it
 * cannot be opened or i is out of range. The set keeps ownership. */
TTF_Font *fontset_font(struct fontset *fs, size_t i);

/* The file font i was added from, or NULL for a font added opened. */
const char *fontset_path(const struct fontset *fs, size_t i);

/* The pixel size the set opens its files at. */
int fontset_size(const struct fontset *fs);

/* Number of the first font that provides a glyph for cp
 * (TTF_GlyphIsProvided32), or -1 when none does. */
int fontset_find(struct fontset *fs, uint32_t cp);

/* Number of the font that draws the cluster s[0..len) (by the rule in the
 * file comment). A cluster without any character needing a glyph goes to
 * font 0. */
size_t fontset_cluster_font(struct fontset *fs, const char *s, size_t len);

/* Split s[0..len) into runs of one font each, in order, covering every
 * byte. A cluster with nothing to draw (a lone joiner, a control
 * character) stays in the run before it. Fills runs[0..max) and returns
 * the number of runs the text needs, which may be more than max (call
 * again with room for that many). An empty text has no runs. */
size_t fontset_split(struct fontset *fs, const char *s, size_t len,
		     struct fontset_run *runs, size_t max);

/* ---- clusters (pure functions, no fonts needed) ---- */

/* Byte offset where the cluster starting at byte i of s[0..len) ends
 * (i < len). Invalid UTF-8 bytes are clusters of their own. */
size_t fontset_cluster_end(const char *s, size_t len, size_t i);

/* Byte offset where the cluster ending at byte i of s starts (i > 0; i
 * must be a cluster boundary). */
size_t fontset_cluster_start(const char *s, size_t i);

/* Does cp belong to the character before it: a combining mark, a
 * variation selector, an emoji modifier, or a zero-width (non-)joiner? */
bool fontset_extends_cluster(uint32_t cp);

/* Is cp drawn without a glyph of its own: a control character or a
 * default-ignorable code point (joiners, variation selectors, soft
 * hyphen, byte order mark, bidi controls)? Such characters never make a
 * font unsuitable. */
bool fontset_needs_no_glyph(uint32_t cp);

#endif
