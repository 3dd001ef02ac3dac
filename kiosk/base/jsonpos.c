/*
 * jsonpos: where a value of a parsed JSON text came from (see jsonpos.h).
 */
#include "base/jsonpos.h"

#include <string.h>

#include <jansson.h>

static const char *js_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* p at an opening quote; returns just past the closing one. */
static const char *js_skip_string(const char *p, const char *end)
{
	for (p++; p < end && *p != '"'; p++) {
		if (*p == '\\')
			p++;
	}
	return p < end ? p + 1 : end;
}

static const char *js_skip_value(const char *p, const char *end)
{
	if (p >= end)
		return end;
	if (*p == '"')
		return js_skip_string(p, end);
	if (*p == '{' || *p == '[') {
		int depth = 0;
		while (p < end) {
			if (*p == '"') {
				p = js_skip_string(p, end);
				continue;
			}
			if (*p == '{' || *p == '[')
				depth++;
			else if ((*p == '}' || *p == ']') && --depth == 0)
				return p + 1;
			p++;
		}
		return end;
	}
	while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' &&
	       *p != '\t' && *p != '\n' && *p != '\r')
		p++;
	return p;
}

/* Is the quoted string q..qend (quotes included) equal to key? */
static bool js_key_equals(const char *q, const char *qend, const char *key)
{
	size_t n = (size_t)(qend - q) - 2;
	if (!memchr(q + 1, '\\', n))
		return strlen(key) == n && memcmp(q + 1, key, n) == 0;
	json_t *s = json_loadb(q, (size_t)(qend - q), JSON_DECODE_ANY, NULL);
	bool eq = json_is_string(s) && strcmp(json_string_value(s), key) == 0;
	json_decref(s);
	return eq;
}

void json_line_col(const char *text, const char *pos, int *line, int *col)
{
	int l = 1, c = 1;
	for (const char *p = text; p < pos; p++) {
		if (*p == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)*p & 0xC0) != 0x80) {
			c++;   /* count code points, as jansson does */
		}
	}
	*line = l;
	*col = c;
}

/* Find path in text and give the line and column of the value there, or
 * of its key (the element, for an index) when at_key. When the path
 * cannot be followed to the end, the deepest point reached is used. */
void json_locate(const char *text, size_t len, const struct jstep *path,
		 size_t n, bool at_key, int *line, int *col)
{
	const char *end = text + len;
	const char *p = js_ws(text, end);
	const char *key_pos = p;
	size_t i;
	for (i = 0; i < n; i++) {
		const char *start = p;
		bool found = false;
		if (path[i].key) {
			if (p >= end || *p != '{')
				break;
			p = js_ws(p + 1, end);
			while (p < end && *p == '"') {
				const char *k = p;
				p = js_skip_string(p, end);
				bool match = js_key_equals(k, p, path[i].key);
				p = js_ws(p, end);
				if (p >= end || *p != ':')
					break;
				p = js_ws(p + 1, end);
				if (match) {
					key_pos = k;
					found = true;
					break;
				}
				p = js_ws(js_skip_value(p, end), end);
				if (p >= end || *p != ',')
					break;
				p = js_ws(p + 1, end);
			}
		} else {
			if (p >= end || *p != '[')
				break;
			p = js_ws(p + 1, end);
			size_t j = 0;
			for (; j < path[i].index && p < end && *p != ']'; j++) {
				p = js_ws(js_skip_value(p, end), end);
				if (p >= end || *p != ',')
					break;
				p = js_ws(p + 1, end);
			}
			found = j == path[i].index && p < end && *p != ']';
			key_pos = p;
		}
		if (!found) {
			p = start;
			key_pos = start;
			break;
		}
	}
	json_line_col(text, at_key && i == n ? key_pos : p, line, col);
}
