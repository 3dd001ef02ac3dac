/*
 * vnkey: Telex and VNI typing (see vnkey.h).
 */
#include "i18n/vnkey.h"

#include "base/util.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

enum mark { MARK_NONE, MARK_CIRC, MARK_BREVE, MARK_HORN };

/* One letter of the word being composed. */
struct letter {
	char base;          /* lowercase ASCII: a..z */
	bool upper;
	enum mark mark;     /* â ê ô (CIRC), ă (BREVE), ơ ư (HORN) */
	bool bar;           /* đ */
};

#define MAX_LETTERS 32

/* The vowels with their marks, and each with the five tones: the letters
 * of Vietnamese, lower and upper case (tone order: none, sắc, huyền, hỏi,
 * ngã, nặng). */
static const char *const vowel_rows[12][2] = {
	{ "aáàảãạ", "AÁÀẢÃẠ" }, { "ăắằẳẵặ", "ĂẮẰẲẴẶ" }, { "âấầẩẫậ", "ÂẤẦẨẪẬ" },
	{ "eéèẻẽẹ", "EÉÈẺẼẸ" }, { "êếềểễệ", "ÊẾỀỂỄỆ" }, { "iíìỉĩị", "IÍÌỈĨỊ" },
	{ "oóòỏõọ", "OÓÒỎÕỌ" }, { "ôốồổỗộ", "ÔỐỒỔỖỘ" }, { "ơớờởỡợ", "ƠỚỜỞỠỢ" },
	{ "uúùủũụ", "UÚÙỦŨỤ" }, { "ưứừửữự", "ƯỨỪỬỮỰ" }, { "yýỳỷỹỵ", "YÝỲỶỸỴ" },
};

static bool is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* The row of vowel_rows for a vowel with a mark, -1 if none. */
static int vowel_row(char base, enum mark m)
{
	switch (base) {
	case 'a': return m == MARK_BREVE ? 1 : m == MARK_CIRC ? 2 : 0;
	case 'e': return m == MARK_CIRC ? 4 : 3;
	case 'i': return 5;
	case 'o': return m == MARK_CIRC ? 7 : m == MARK_HORN ? 8 : 6;
	case 'u': return m == MARK_HORN ? 10 : 9;
	case 'y': return 11;
	default: return -1;
	}
}

/* Append the n-th UTF-8 character of s to out. */
static bool put_nth(const char *s, int n, char *out, size_t size, size_t *len)
{
	const char *p = s;
	for (;;) {
		uint32_t cp;
		size_t cl = (size_t)utf8_decode(p, strlen(p), &cp);
		if (n-- == 0) {
			if (*len + cl >= size)
				return false;
			memcpy(out + *len, p, cl);
			*len += cl;
			return true;
		}
		p += cl;
	}
}

struct word {
	struct letter l[MAX_LETTERS];
	int n;
	int tone;               /* 0 none, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng */
};

static void add_letter(struct word *w, char c)
{
	if (w->n == MAX_LETTERS)
		return;
	w->l[w->n++] = (struct letter){ .base = (char)tolower((unsigned char)c),
					.upper = isupper((unsigned char)c) != 0 };
}

static bool has_vowel(const struct word *w)
{
	for (int i = 0; i < w->n; i++)
		if (is_vowel(w->l[i].base))
			return true;
	return false;
}

/* The last letter with this base among the vowels, -1 if none. */
static int last_of(const struct word *w, char base)
{
	for (int i = w->n - 1; i >= 0; i--)
		if (w->l[i].base == base)
			return i;
	return -1;
}

/* A hat (circumflex) on the last a, e or o equal to base: 'aa', 'a6'.
 * Returns false when there is none to put it on (the key is a letter). */
static bool apply_circ(struct word *w, char base, bool telex_undo, char key)
{
	int i = last_of(w, base);
	if (i < 0)
		return false;
	if (w->l[i].mark == MARK_CIRC) {
		if (!telex_undo)
			return false;
		w->l[i].mark = MARK_NONE;   /* aaa -> aa */
		add_letter(w, key);
		return true;
	}
	w->l[i].mark = MARK_CIRC;
	return true;
}

/* A horn or a breve ('w', '7', '8'): on "uo" both get a horn (ươ); else
 * the last o or u gets a horn, or the last a a breve. */
static bool apply_hook(struct word *w, bool horn_ok, bool breve_ok)
{
	int u = last_of(w, 'u'), o = last_of(w, 'o'), a = last_of(w, 'a');
	if (horn_ok && u >= 0 && o == u + 1) {
		if (w->l[u].mark == MARK_HORN && w->l[o].mark == MARK_HORN)
			return false;
		w->l[u].mark = MARK_HORN;
		w->l[o].mark = MARK_HORN;
		return true;
	}
	int best = -1;
	if (horn_ok) {
		if (o > best && w->l[o].mark != MARK_HORN)
			best = o;
		if (u > best && w->l[u].mark != MARK_HORN &&
		    !(u == 1 && w->l[0].base == 'q'))
			best = u;
	}
	if (breve_ok && a > best && w->l[a].mark != MARK_BREVE)
		best = a;
	if (best < 0)
		return false;
	w->l[best].mark = w->l[best].base == 'a' ? MARK_BREVE : MARK_HORN;
	return true;
}

static bool apply_bar(struct word *w)
{
	if (w->n == 0 || w->l[0].base != 'd' || w->l[0].bar)
		return false;
	w->l[0].bar = true;
	return true;
}

/* Where the tone goes: the index of a letter, -1 when no vowel. */
static int tone_place(const struct word *w, enum vnkey_tones tones)
{
	int start = 0;
	while (start < w->n && !is_vowel(w->l[start].base))
		start++;
	if (start >= w->n)
		return -1;
	/* "qu" and "gi" before another vowel are consonants */
	if (start == 1 && w->l[0].base == 'q' && w->l[1].base == 'u' &&
	    start + 1 < w->n && is_vowel(w->l[start + 1].base))
		start++;
	else if (start == 1 && w->l[0].base == 'g' && w->l[1].base == 'i' &&
		 start + 1 < w->n && is_vowel(w->l[start + 1].base))
		start++;
	int end = start;
	while (end < w->n && is_vowel(w->l[end].base))
		end++;
	int len = end - start;
	bool closed = end < w->n;
	int marked = -1;
	for (int i = start; i < end; i++)
		if (w->l[i].mark != MARK_NONE)
			marked = i;         /* the last: ươ -> ơ */
	if (marked >= 0)
		return marked;
	if (len == 1)
		return start;
	if (closed)
		return end - 1;
	char a = w->l[start].base, b = w->l[start + 1].base;
	bool pair_new = len == 2 && ((a == 'o' && (b == 'a' || b == 'e')) ||
				     (a == 'u' && b == 'y'));
	if (pair_new)
		return tones == VNKEY_TONES_MODERN ? start + 1 : start;
	if (len >= 3)
		return start + 1;
	return start;
}

static bool render(const struct word *w, enum vnkey_tones tones, char *out,
		   size_t size)
{
	int at = w->tone ? tone_place(w, tones) : -1;
	size_t len = 0;
	for (int i = 0; i < w->n; i++) {
		const struct letter *l = &w->l[i];
		int row = vowel_row(l->base, l->mark);
		if (row >= 0) {
			if (!put_nth(vowel_rows[row][l->upper], i == at ? w->tone : 0,
				     out, size, &len))
				return false;
		} else if (l->bar) {
			if (!put_nth(l->upper ? "Đ" : "đ", 0, out, size, &len))
				return false;
		} else {
			if (len + 1 >= size)
				return false;
			out[len++] = l->upper ? (char)toupper((unsigned char)l->base) : l->base;
		}
	}
	out[len] = '\0';
	return true;
}

/* The tone a key gives, 0 for "remove", -1 when the key is no tone key. */
static int tone_of(enum vnkey_method m, char c)
{
	c = (char)tolower((unsigned char)c);
	if (m == VNKEY_TELEX) {
		const char *t = strchr("zsfrxj", c);
		return c && t ? (int)(t - "zsfrxj") : -1;
	}
	return c >= '0' && c <= '5' ? c - '0' : -1;
}

bool vnkey_word(enum vnkey_method method, enum vnkey_tones tones,
		const char *keys, char *out, size_t out_size)
{
	struct word w = { .n = 0 };
	int last_tone_key = 0;
	for (const char *k = keys; *k; k++) {
		char c = *k, lc = (char)tolower((unsigned char)c);
		bool done = false;
		int tone = tone_of(method, c);
		if (tone >= 0 && has_vowel(&w) && !(tone == 0 && w.tone == 0)) {
			if (tone != 0 && tone == w.tone && last_tone_key == tone) {
				w.tone = 0;             /* ass -> as */
				add_letter(&w, c);
			} else {
				w.tone = tone;
			}
			last_tone_key = tone;
			continue;
		}
		last_tone_key = 0;
		if (method == VNKEY_TELEX) {
			if ((lc == 'a' || lc == 'e' || lc == 'o') && w.n > 0 &&
			    last_of(&w, lc) >= 0 && last_of(&w, lc) >= w.n - 2)
				done = apply_circ(&w, lc, true, c);
			else if (lc == 'w') {
				done = apply_hook(&w, true, true);
				if (!done && w.n < MAX_LETTERS) {
					/* w on its own: ư */
					add_letter(&w, isupper((unsigned char)c) ? 'U' : 'u');
					w.l[w.n - 1].mark = MARK_HORN;
					done = true;
				}
			}
			else if (lc == 'd' && w.n == 1 && w.l[0].base == 'd')
				done = apply_bar(&w);
		} else {
			if (c == '6') {
				/* the last of a, e, o gets the hat */
				char best = 0;
				int at = -1;
				for (const char *v = "aeo"; *v; v++)
					if (last_of(&w, *v) > at) {
						at = last_of(&w, *v);
						best = *v;
					}
				done = best && apply_circ(&w, best, false, c);
			}
			else if (c == '7')
				done = apply_hook(&w, true, false);
			else if (c == '8')
				done = apply_hook(&w, false, true);
			else if (c == '9')
				done = apply_bar(&w);
		}
		if (!done)
			add_letter(&w, c);
	}
	return render(&w, tones, out, out_size);
}

bool vnkey_text(enum vnkey_method method, enum vnkey_tones tones,
		const char *keys, char *out, size_t out_size)
{
	size_t len = 0;
	const char *p = keys;
	if (out_size == 0)
		return false;
	out[0] = '\0';
	while (*p) {
		if (isalnum((unsigned char)*p)) {
			char word[MAX_LETTERS + 1], made[MAX_LETTERS * 4 + 1];
			size_t n = 0;
			while (isalnum((unsigned char)*p) && n < MAX_LETTERS)
				word[n++] = *p++;
			word[n] = '\0';
			if (!vnkey_word(method, tones, word, made, sizeof made) ||
			    len + strlen(made) >= out_size)
				return false;
			memcpy(out + len, made, strlen(made) + 1);
			len += strlen(made);
		} else {
			if (len + 1 >= out_size)
				return false;
			out[len++] = *p++;
			out[len] = '\0';
		}
	}
	return true;
}

/* The ASCII letter a Vietnamese or minority letter is built on, or 0. */
static char base_of(uint32_t cp)
{
	static const char bases[12] = { 'a', 'a', 'a', 'e', 'e', 'i', 'o', 'o', 'o',
					'u', 'u', 'y' };
	for (int r = 0; r < 12; r++) {
		for (int c = 0; c < 2; c++) {
			const char *p = vowel_rows[r][c];
			while (*p) {
				uint32_t v;
				p += utf8_decode(p, strlen(p), &v);
				if (v == cp)
					return bases[r];
			}
		}
	}
	switch (cp) {
	case 0x0111: case 0x0110: return 'd';              /* đ Đ */
	case 0x0115: case 0x0114: return 'e';              /* ĕ Ĕ */
	case 0x012D: case 0x012C: return 'i';              /* ĭ Ĭ */
	case 0x014F: case 0x014E: return 'o';              /* ŏ Ŏ */
	case 0x016D: case 0x016C: return 'u';              /* ŭ Ŭ */
	case 0x0180: case 0x0243: return 'b';              /* ƀ Ƀ */
	default: return 0;
	}
}

bool vnkey_fold(const char *s, char *out, size_t out_size)
{
	size_t len = 0;
	const char *p = s;
	if (out_size == 0)
		return false;
	while (*p) {
		uint32_t cp;
		int n = utf8_decode(p, strlen(p), &cp);
		if (cp >= 0x0300 && cp <= 0x036F) {
			p += n;                 /* a combining mark (NFD) */
			continue;
		}
		char b = cp < 0x80 ? (char)tolower((int)cp) : base_of(cp);
		if (b) {
			if (len + 1 >= out_size)
				return false;
			out[len++] = b;
		} else {
			if (len + (size_t)n >= out_size)
				return false;
			memcpy(out + len, p, (size_t)n);
			len += (size_t)n;
		}
		p += n;
	}
	out[len] = '\0';
	return true;
}
