/*
 * fontset: which font of an ordered list draws each cluster of a text
 * (see fontset.h).
 */
#include "ui/fontset.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"

struct fontset_entry {
	char *path;            /* file to open on first use; NULL if given open */
	TTF_Font *font;        /* NULL until opened */
	bool failed;           /* the file would not open (logged once) */
};

struct fontset {
	int size_px;
	struct fontset_entry *fonts;
	size_t n, cap;
};

/* ------------------------------------------------------------------ */
/* Character classes                                                   */
/* ------------------------------------------------------------------ */

struct cp_range {
	uint32_t lo, hi;
};

static bool in_ranges(uint32_t cp, const struct cp_range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	return false;
}

/* Combining marks of the scripts the kiosk writes (Latin with its
 * Vietnamese and minority-language diacritics; Greek and Cyrillic
 * marks for good measure), variation selectors, emoji modifiers, tag
 * characters and the zero-width (non-)joiners. */
static const struct cp_range extenders[] = {
	{ 0x0300, 0x036F },    /* combining diacritical marks */
	{ 0x0483, 0x0489 },    /* Cyrillic combining marks */
	{ 0x1AB0, 0x1AFF },    /* combining diacritical marks extended */
	{ 0x1DC0, 0x1DFF },    /* combining diacritical marks supplement */
	{ 0x200C, 0x200D },    /* ZWNJ, ZWJ */
	{ 0x20D0, 0x20FF },    /* combining marks for symbols */
	{ 0xFE00, 0xFE0F },    /* variation selectors */
	{ 0xFE20, 0xFE2F },    /* combining half marks */
	{ 0x1F3FB, 0x1F3FF },  /* emoji skin tone modifiers */
	{ 0xE0020, 0xE007F },  /* tag characters */
	{ 0xE0100, 0xE01EF },  /* variation selectors supplement */
};

/* Default-ignorable code points (Unicode's DerivedCoreProperties) and
 * controls: HarfBuzz draws nothing for them whether a font has them or
 * not. */
static const struct cp_range glyphless[] = {
	{ 0x0000, 0x001F }, { 0x007F, 0x009F }, { 0x00AD, 0x00AD },
	{ 0x034F, 0x034F }, { 0x061C, 0x061C }, { 0x115F, 0x1160 },
	{ 0x17B4, 0x17B5 }, { 0x180B, 0x180F }, { 0x200B, 0x200F },
	{ 0x202A, 0x202E }, { 0x2060, 0x206F }, { 0x3164, 0x3164 },
	{ 0xFE00, 0xFE0F }, { 0xFEFF, 0xFEFF }, { 0xFFA0, 0xFFA0 },
	{ 0xFFF0, 0xFFF8 }, { 0x1BCA0, 0x1BCA3 }, { 0x1D173, 0x1D17A },
	{ 0xE0000, 0xE0FFF },
};

bool fontset_extends_cluster(uint32_t cp)
{
	if (cp < 0x0300)
		return false;
	return in_ranges(cp, extenders, ARRAY_LEN(extenders));
}

bool fontset_needs_no_glyph(uint32_t cp)
{
	if (cp >= 0x20 && cp < 0x7F)
		return false;
	return in_ranges(cp, glyphless, ARRAY_LEN(glyphless));
}

size_t fontset_cluster_end(const char *s, size_t len, size_t i)
{
	uint32_t cp;
	size_t j = i + (size_t)utf8_decode(s + i, len - i, &cp);
	bool joined = false;   /* the last character taken was a ZWJ */
	while (j < len) {
		uint32_t next;
		int n = utf8_decode(s + j, len - j, &next);
		if (!fontset_extends_cluster(next) && !(joined && next > 0x20))
			break;
		joined = next == 0x200D;
		j += (size_t)n;
	}
	return j;
}

/* Byte length of the code point ending at offset i (i > 0). */
static size_t prev_cp_len(const char *s, size_t i)
{
	size_t j = i - 1;
	while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80)
		j--;
	return i - j;
}

static uint32_t cp_before(const char *s, size_t i, size_t *len)
{
	size_t c = prev_cp_len(s, i);
	uint32_t cp;
	utf8_decode(s + i - c, c, &cp);
	if (len)
		*len = c;
	return cp;
}

size_t fontset_cluster_start(const char *s, size_t i)
{
	size_t j = i;
	for (;;) {
		size_t c;
		uint32_t cp = cp_before(s, j, &c);
		j -= c;
		if (j == 0)
			return 0;
		if (fontset_extends_cluster(cp))
			continue;
		/* a base: is it joined to what comes before by a ZWJ? */
		if (cp > 0x20 && cp_before(s, j, NULL) == 0x200D)
			continue;
		return j;
	}
}

/* ------------------------------------------------------------------ */
/* The set                                                             */
/* ------------------------------------------------------------------ */

/* Files that failed to open, by a hash of their path, so that a font
 * removed while the kiosk runs is reported once, not once per size and
 * face (main thread only, like the sets). */
#define FONTSET_FAILED_MAX 64
static uint64_t failed_paths[FONTSET_FAILED_MAX];
static size_t n_failed_paths;

/* Is this the first failure of the file at path (remembered from now)? */
static bool first_failure(const char *path)
{
	uint64_t h = UINT64_C(1469598103934665603);      /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * UINT64_C(1099511628211);
	for (size_t i = 0; i < n_failed_paths; i++)
		if (failed_paths[i] == h)
			return false;
	if (n_failed_paths < FONTSET_FAILED_MAX)
		failed_paths[n_failed_paths++] = h;
	return true;
}

struct fontset *fontset_create(int size_px)
{
	struct fontset *fs = xcalloc(1, sizeof *fs);
	fs->size_px = size_px < 1 ? 1 : size_px;
	return fs;
}

void fontset_destroy(struct fontset *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->n; i++) {
		if (fs->fonts[i].font)
			TTF_CloseFont(fs->fonts[i].font);
		free(fs->fonts[i].path);
	}
	free(fs->fonts);
	free(fs);
}

static struct fontset_entry *append(struct fontset *fs)
{
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 4;
		fs->fonts = xrealloc(fs->fonts, fs->cap * sizeof *fs->fonts);
	}
	struct fontset_entry *e = &fs->fonts[fs->n++];
	memset(e, 0, sizeof *e);
	return e;
}

void fontset_add_font_take(struct fontset *fs, TTF_Font *font)
{
	append(fs)->font = font;
}

void fontset_add_file(struct fontset *fs, const char *path)
{
	append(fs)->path = xstrdup(path);
}

size_t fontset_count(const struct fontset *fs)
{
	return fs->n;
}

int fontset_size(const struct fontset *fs)
{
	return fs->size_px;
}

const char *fontset_path(const struct fontset *fs, size_t i)
{
	return i < fs->n ? fs->fonts[i].path : NULL;
}

TTF_Font *fontset_font(struct fontset *fs, size_t i)
{
	if (i >= fs->n)
		return NULL;
	struct fontset_entry *e = &fs->fonts[i];
	if (e->font || e->failed || !e->path)
		return e->font;
	e->font = TTF_OpenFont(e->path, fs->size_px);
	if (!e->font) {
		if (first_failure(e->path))
			log_warn("%s: cannot open fallback font at %d px: %s",
				 e->path, fs->size_px, TTF_GetError());
		else
			log_debug("%s: cannot open fallback font at %d px: %s",
				  e->path, fs->size_px, TTF_GetError());
		e->failed = true;
		return NULL;
	}
	/* as the text module sets up its own fonts */
	TTF_SetFontDirection(e->font, TTF_DIRECTION_LTR);
	TTF_SetFontScriptName(e->font, "Latn");
	TTF_SetFontHinting(e->font, TTF_HINTING_LIGHT);
	TTF_SetFontKerning(e->font, 1);
	return e->font;
}

int fontset_find(struct fontset *fs, uint32_t cp)
{
	for (size_t i = 0; i < fs->n; i++) {
		TTF_Font *f = fontset_font(fs, i);
		if (f && TTF_GlyphIsProvided32(f, cp))
			return (int)i;
	}
	return -1;
}

/* Does font f provide every character of s[0..len) that needs a glyph?
 * *needs is set when at least one does. */
static bool provides_all(TTF_Font *f, const char *s, size_t len, bool *needs)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += (size_t)utf8_decode(s + i, len - i, &cp);
		if (fontset_needs_no_glyph(cp))
			continue;
		*needs = true;
		if (!TTF_GlyphIsProvided32(f, cp))
			return false;
	}
	return true;
}

size_t fontset_cluster_font(struct fontset *fs, const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < fs->n; i++) {
		TTF_Font *f = fontset_font(fs, i);
		if (!f)
			continue;
		bool needs = false;
		if (provides_all(f, s, len, &needs))
			return needs ? i : 0;
	}
	/* no font has it all: the base decides */
	uint32_t base;
	utf8_decode(s, len, &base);
	int k = fontset_needs_no_glyph(base) ? -1 : fontset_find(fs, base);
	return k >= 0 ? (size_t)k : 0;
}

/* Does s[0..len) hold a character that needs a glyph? */
static bool needs_glyph(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += (size_t)utf8_decode(s + i, len - i, &cp);
		if (!fontset_needs_no_glyph(cp))
			return true;
	}
	return false;
}

size_t fontset_split(struct fontset *fs, const char *s, size_t len,
		     struct fontset_run *runs, size_t max)
{
	if (fs->n <= 1) {
		/* nothing to choose from: one run */
		if (len && max)
			runs[0] = (struct fontset_run){ 0, len, 0 };
		return len ? 1 : 0;
	}
	size_t n = 0;
	struct fontset_run cur = { 0, 0, 0 };
	for (size_t i = 0; i < len;) {
		size_t e = fontset_cluster_end(s, len, i);
		size_t font;
		if (needs_glyph(s + i, e - i))
			font = fontset_cluster_font(fs, s + i, e - i);
		else
			font = n ? cur.font : 0;  /* a lone joiner or control */
		if (n && font == cur.font) {
			cur.len += e - i;
		} else {
			cur = (struct fontset_run){ i, e - i, font };
			n++;
		}
		if (n - 1 < max)
			runs[n - 1] = cur;
		i = e;
	}
	return n;
}
