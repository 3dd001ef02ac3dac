/*
 * jsonpos: where a value of a parsed JSON text came from.
 *
 * jansson reports the line and column of syntax errors but does not keep
 * where a parsed value came from, so problems found after parsing (an
 * unknown key, a missing file) are located by walking the raw text along
 * a path of object keys and array indexes. The text must be valid JSON
 * (it has been parsed already).
 */
#ifndef KIOSK_BASE_JSONPOS_H
#define KIOSK_BASE_JSONPOS_H

#include <stdbool.h>
#include <stddef.h>

/* One step of a path: an object member (key) or an array element. */
struct jstep {
	const char *key;   /* object member, or NULL for an array index */
	size_t index;
};

#define JK(k) ((struct jstep){ .key = (k) })
#define JI(i) ((struct jstep){ .key = NULL, .index = (i) })

/* Find path[0..n) in text[0..len) and give the 1-based line and column
 * (in code points, as jansson counts) of the value there, or of its key
 * (the element, for an index) when at_key. When the path cannot be
 * followed to the end, the deepest point reached is used. */
void json_locate(const char *text, size_t len, const struct jstep *path,
		 size_t n, bool at_key, int *line, int *col);

/* Line and column of byte pos in text. */
void json_line_col(const char *text, const char *pos, int *line, int *col);

#endif
