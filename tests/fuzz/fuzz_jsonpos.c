/*
 * fuzz_jsonpos: where a value of a JSON text sits (base/jsonpos.c), which
 * item.json's diagnostics rely on. The input is any bytes; when jansson
 * parses them (as catalog.c does: an object or array, no duplicate keys),
 * the target walks the parsed tree and asks json_locate for the place of
 * each value (and each key) by its path, then for paths that do not exist
 * (a missing key, an index past the end, a key into an array).
 *
 * Beyond not crashing, the target asserts that json_locate is right, not
 * only in range: the line and column it gives, turned back into a byte
 * offset, point at the first character of that very value ('{' of an
 * object, '[' of an array, the quote of a string, the number, true,
 * false, null), or at the opening quote of its key; a path that cannot be
 * followed still gives a place inside the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/jsonpos.h"
#include "base/util.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

#define MAX_DEPTH 12
#define MAX_LOCATES 400

struct walk {
	const char *text;
	size_t len;
	struct jstep path[MAX_DEPTH];
	size_t locates;          /* json_locate calls so far */
};

/* The byte offset of 1-based line and column (columns count code points,
 * the text is UTF-8), or len when it is past the text. */
static size_t offset_of(const struct walk *w, int line, int col)
{
	size_t p = 0;
	for (int l = 1; l < line; l++) {
		const char *nl = memchr(w->text + p, '\n', w->len - p);
		if (!nl)
			return w->len;
		p = (size_t)(nl - w->text) + 1;
	}
	for (int c = 1; c < col; c++) {
		if (p >= w->len)
			return w->len;
		p++;
		while (p < w->len && ((unsigned char)w->text[p] & 0xC0) == 0x80)
			p++;
	}
	return p;
}

/* The byte at the place json_locate gives for path[0..n). */
static char locate(struct walk *w, size_t n, bool at_key, size_t *off)
{
	int line = 0, col = 0;
	json_locate(w->text, w->len, w->path, n, at_key, &line, &col);
	w->locates++;
	FUZZ_CHECK(line >= 1 && col >= 1, "line %d, column %d", line, col);
	*off = offset_of(w, line, col);
	FUZZ_CHECK(*off < w->len, "line %d, column %d is past the text",
		   line, col);
	return w->text[*off];
}

static void check_value_at(struct walk *w, size_t n, const json_t *v)
{
	size_t off;
	char c = locate(w, n, false, &off);
	char want = 0;
	switch (json_typeof(v)) {
	case JSON_OBJECT: want = '{'; break;
	case JSON_ARRAY: want = '['; break;
	case JSON_STRING: want = '"'; break;
	case JSON_TRUE: want = 't'; break;
	case JSON_FALSE: want = 'f'; break;
	case JSON_NULL: want = 'n'; break;
	case JSON_INTEGER:
	case JSON_REAL:
		FUZZ_CHECK(c == '-' || (c >= '0' && c <= '9'), "a number located "
			   "at '%c' (offset %zu, depth %zu)", c, off, n);
		return;
	}
	FUZZ_CHECK(c == want, "'%c' located at '%c' (offset %zu, depth %zu)",
		   want, c, off, n);
	if (json_is_string(v) && n > 0) {
		/* the text there is that string */
		const char *q = w->text + off;
		size_t k = 1;
		while (off + k < w->len && q[k] != '"')
			k += q[k] == '\\' ? 2 : 1;
		json_t *s = json_loadb(q, k + 1, JSON_DECODE_ANY, NULL);
		FUZZ_CHECK(json_is_string(s) && json_string_length(s) ==
			   json_string_length(v) && !memcmp(json_string_value(s),
			   json_string_value(v), json_string_length(v)),
			   "another string located (offset %zu)", off);
		json_decref(s);
	}
}

static void walk(struct walk *w, size_t n, const json_t *v)
{
	if (w->locates >= MAX_LOCATES)
		return;
	check_value_at(w, n, v);
	if (n == MAX_DEPTH)
		return;
	if (json_is_object(v)) {
		const char *key;
		json_t *child;
		json_object_foreach((json_t *)v, key, child) {
			w->path[n] = JK(key);
			size_t off;
			char c = locate(w, n + 1, true, &off);
			FUZZ_CHECK(c == '"', "key \"%s\" located at '%c'", key, c);
			walk(w, n + 1, child);
		}
		/* a key it does not have: the object itself */
		w->path[n] = JK("\xff");
		size_t off;
		FUZZ_CHECK(locate(w, n + 1, false, &off) == '{', "a missing key "
			   "is not located at its object");
		w->path[n] = JI(0);
		(void)locate(w, n + 1, true, &off);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *child;
		json_array_foreach((json_t *)v, i, child) {
			w->path[n] = JI(i);
			walk(w, n + 1, child);
			if (w->locates >= MAX_LOCATES)
				return;
		}
		w->path[n] = JI(json_array_size(v));
		size_t off;
		FUZZ_CHECK(locate(w, n + 1, false, &off) == '[', "an index past "
			   "the end is not located at its array");
		w->path[n] = JK("key");
		(void)locate(w, n + 1, true, &off);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *root = json_loadb((const char *)data, size,
				  JSON_REJECT_DUPLICATES, NULL);
	if (!root)
		return 0;
	struct walk w = { .text = (const char *)data, .len = size };
	walk(&w, 0, root);
	json_decref(root);
	return 0;
}
