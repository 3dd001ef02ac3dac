/*
 * glyphcheck: can the configured fonts draw a text? For `kiosk check`, so
 * a character no font has (a private-use code point pasted from an old
 * document, a rare symbol) is found before a visitor sees a .notdef box.
 *
 * The fonts are the ones the text module draws with: the primary font and
 * the fallbacks, in order (ui/fontset.h). A character is drawable when
 * some font provides a glyph for it; characters drawn without a glyph of
 * their own (controls, joiners, variation selectors, the byte order
 * mark) always are. A letter with combining marks is fine when one font
 * provides the whole cluster, or else when each of its characters is
 * provided by some font.
 *
 * Problems are warnings: "FILE:LINE: character U+XXXX 'c' cannot be drawn
 * by any configured font (fonts: A.ttf, B.ttf)", one per character per
 * line (a character repeated on a line is named once).
 *
 * Starts its own SDL_ttf reference (no video needed). Main thread only.
 */
#ifndef KIOSK_CONTENT_GLYPHCHECK_H
#define KIOSK_CONTENT_GLYPHCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

struct glyphcheck;

/* A checker over the font files paths[0..n), in drawing order (primary
 * first). A file that cannot be opened is reported to diags (may be NULL)
 * as a warning naming it and left out. Never NULL; check
 * glyphcheck_font_count before trusting the answers (with no font at all
 * nothing is drawable). Caller frees with glyphcheck_destroy. */
struct glyphcheck *glyphcheck_create(const char *const *paths, size_t n,
				     struct diag_list *diags);

/* Accepts NULL. */
void glyphcheck_destroy(struct glyphcheck *gc);

/* Number of fonts that opened. */
size_t glyphcheck_font_count(const struct glyphcheck *gc);

/* Their file names without folders, ", "-separated, as the warnings show
 * them. Belongs to gc. */
const char *glyphcheck_font_names(const struct glyphcheck *gc);

/* Can cp be drawn (on its own)? */
bool glyphcheck_drawable(struct glyphcheck *gc, uint32_t cp);

/* The characters of s[0..len) (UTF-8) that cannot be drawn, each once, in
 * order of first appearance: fills bad[0..max) and returns how many there
 * are (possibly more than max). Invalid UTF-8 bytes are not this check's
 * business and are passed over. */
size_t glyphcheck_text(struct glyphcheck *gc, const char *s, size_t len,
		       uint32_t *bad, size_t max);

/* Add one warning to diags at file:line for each character of s[0..len)
 * that cannot be drawn. Returns how many were added. */
size_t glyphcheck_report(struct glyphcheck *gc, const char *s, size_t len,
			 const char *file, int line, struct diag_list *diags);

/* Check a whole UTF-8 text file line by line (text leaflets, subtitles,
 * quiz banks): warnings at path:line. Returns false when the file cannot
 * be read (nothing is reported then: the caller knows what the file is
 * for). */
bool glyphcheck_file(struct glyphcheck *gc, const char *path,
		     struct diag_list *diags);

/* Check the translations of a gettext PO file: every msgstr line (and
 * its continuation lines) of entries that are neither fuzzy, obsolete nor
 * the header, at the line where the text is. Returns false when the file
 * cannot be read. */
bool glyphcheck_po_file(struct glyphcheck *gc, const char *path,
			struct diag_list *diags);

#endif
