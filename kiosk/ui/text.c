/*
 * text: shaped text through SDL_ttf + HarfBuzz, with font fallback by runs
 * (see text.h).
 */
#include "ui/text.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_ttf.h>

#include "base/log.h"
#include "base/util.h"
#include "ui/fontset.h"

#define TEXT_CACHE_MAX 512    /* textures kept; each is one line of text */
#define TEXT_MAX_FONTS 24     /* distinct (size, face) pairs open at once */
#define TEXT_MAX_SIZES 24     /* line geometries remembered */

static const char ellipsis_utf8[] = "\xE2\x80\xA6"; /* U+2026 */

/* Letters that reach highest above the baseline: Vietnamese capitals with
 * two stacked marks, and the Ê Đê / Jrai / Bahnar / M'nông capitals with
 * a breve over a circumflex or horn (no precomposed form: the breve is
 * U+0306 stacked by the font's mark positioning). No descenders, so the
 * bottom of the rendering is the font's own. */
#define PROBE_ABOVE \
	"\xE1\xBA\xAA\xE1\xBA\xAE\xE1\xBA\xB4\xE1\xBA\xA6\xE1\xBB\x84"   /* ẪẮẴẦỄ */ \
	"\xE1\xBB\x96\xE1\xBB\xA0\xE1\xBB\xAE\xC7\xBA"                   /* ỖỠỮǺ */ \
	"\xC3\x8A\xCC\x86\xC3\x94\xCC\x86\xC6\xA0\xCC\x86\xC6\xAF\xCC\x86"  /* Ê̆Ô̆Ơ̆Ư̆ */
/* Letters that reach lowest: descenders, some with a dot below; none
 * reaches as high as those above. */
#define PROBE_BELOW \
	"gjpqy\xE1\xBB\xB5\xE1\xBB\xB4\xE1\xBA\xA1\xE1\xBB\x8D\xE1\xBB\xA5" /* ỵỴạọụ */ \
	"\xE1\xBA\xB7\xC6\x80\xC3\xA7"                                    /* ặƀç */

struct font_slot {
	int size_px;
	bool bold, italic;
	struct fontset *fonts;   /* [face, regular file when the face is
				  * another one, fallbacks...] */
};

/* The line box of one pixel size (the same for every face, so runs of
 * bold and regular text on one line share the baseline). */
struct line_geometry {
	int size_px;
	int baseline;          /* rows from the top of the box to the baseline */
	int height;            /* text_line_height */
};

struct cache_entry {
	char *text;
	int size_px;
	bool bold, italic;
	SDL_Texture *tex;      /* white text on transparent */
	int w, h;
	int baseline;          /* rows from the texture's top to the baseline */
	uint64_t last_used;    /* engine tick of last use, for LRU */
};

/* A font file read whole into memory at start, so that the kiosk goes on
 * drawing text at every size if the file goes away (fonts removed, a
 * disk unmounted) while it runs. */
struct font_bytes {
	char *data;
	size_t len;
};

struct text_engine {
	SDL_Renderer *renderer;
	bool fontless;                   /* no font at all: draws no text */
	char *font_path;
	char *bold_path;                 /* NULL: embolden font_path */
	struct font_bytes regular;       /* font_path's bytes */
	struct font_bytes bold;          /* bold_path's bytes */
	char *italic_path;               /* NULL: slant the regular face */
	char *bold_italic_path;          /* NULL: slant the bold face */
	char **fallback_paths;           /* text_set_fallback_fonts, checked */
	size_t n_fallback;
	struct font_slot fonts[TEXT_MAX_FONTS];
	size_t n_fonts;
	struct line_geometry geom[TEXT_MAX_SIZES];
	size_t n_geom;
	struct cache_entry *cache;       /* unordered; linear probe is fine at 512 */
	size_t n_cache;
	uint64_t tick;
	size_t hits, misses;
	bool ttf_ref;                    /* holds an SDL_ttf reference */
	bool face_failed_logged;         /* a face that would not open at
					  * some size was logged */
	struct fontset_run *runs;        /* scratch for splitting a line */
	size_t runs_cap;
	char *scratch;                   /* scratch for one run's text */
	size_t scratch_cap;
};

/* One SDL_ttf reference per engine (TTF_Init is reference-counted since
 * SDL_ttf 2.0.18), dropped by text_destroy or a failed text_create. */
static bool ttf_ref(void)
{
	if (TTF_Init() != 0) {
		log_error("cannot start SDL_ttf: %s", TTF_GetError());
		return false;
	}
	return true;
}

/* The font in fb at size_px, or NULL (TTF_GetError says why). */
static TTF_Font *open_bytes(const struct font_bytes *fb, int size_px)
{
	SDL_RWops *rw = SDL_RWFromConstMem(fb->data, (int)fb->len);
	if (!rw)
		return NULL;
	return TTF_OpenFontRW(rw, 1, size_px);   /* closes rw, even on failure */
}

/* Read the font file at path into fb and check that it opens. Returns
 * false with the reason in why (fb empty). */
static bool load_bytes(const char *path, struct font_bytes *fb, char *why,
		       size_t why_size)
{
	fb->data = file_read_all(path, &fb->len);
	if (!fb->data) {
		snprintf(why, why_size, "%s", strerror(errno));
		return false;
	}
	if (fb->len == 0 || fb->len > INT32_MAX) {
		snprintf(why, why_size, "not a font file (%zu bytes)", fb->len);
	} else {
		TTF_Font *probe = open_bytes(fb, 16);
		if (probe) {
			TTF_CloseFont(probe);
			return true;
		}
		snprintf(why, why_size, "%s", TTF_GetError());
	}
	free(fb->data);
	fb->data = NULL;
	fb->len = 0;
	return false;
}

struct text_engine *text_create(SDL_Renderer *renderer, const char *font_path,
				const char *bold_path)
{
	if (!ttf_ref())
		return NULL;
	/* Read the regular face up front so a bad font path is reported at
	 * start, naming the file. */
	char why[256];
	struct font_bytes regular = { 0 };
	if (!font_path || !load_bytes(font_path, &regular, why, sizeof why)) {
		log_error("%s: cannot open font: %s", font_path ? font_path : "(none)",
			  font_path ? why : "no file given");
		TTF_Quit();
		return NULL;
	}
	struct text_engine *te = xcalloc(1, sizeof *te);
	te->renderer = renderer;
	te->ttf_ref = true;
	te->font_path = xstrdup(font_path);
	te->regular = regular;
	if (bold_path && *bold_path) {
		if (load_bytes(bold_path, &te->bold, why, sizeof why))
			te->bold_path = xstrdup(bold_path);
		else
			log_warn("%s: cannot open bold font (%s); emboldening %s",
				 bold_path, why, font_path);
	}
	te->cache = xcalloc(TEXT_CACHE_MAX, sizeof *te->cache);
	return te;
}

struct text_engine *text_create_fontless(SDL_Renderer *renderer)
{
	bool ttf = ttf_ref();
	struct text_engine *te = xcalloc(1, sizeof *te);
	te->renderer = renderer;
	te->fontless = true;
	te->ttf_ref = ttf;
	te->cache = xcalloc(TEXT_CACHE_MAX, sizeof *te->cache);
	return te;
}

bool text_has_font(const struct text_engine *te)
{
	return te && !te->fontless;
}

const char *text_font_path(const struct text_engine *te)
{
	return te && !te->fontless ? te->font_path : NULL;
}

/* Check that path opens as a font; log and return false when not. */
static bool font_file_ok(const char *path, const char *what)
{
	TTF_Font *f = TTF_OpenFont(path, 16);
	if (!f) {
		log_error("%s: cannot open %s font: %s", path, what, TTF_GetError());
		return false;
	}
	TTF_CloseFont(f);
	return true;
}

/* Close the open fonts (only the italic ones when italic_only) and drop
 * their textures, so the next use opens the faces now configured. */
static void forget_fonts(struct text_engine *te, bool italic_only)
{
	size_t k = 0;
	for (size_t i = 0; i < te->n_fonts; i++) {
		if (!italic_only || te->fonts[i].italic)
			fontset_destroy(te->fonts[i].fonts);
		else
			te->fonts[k++] = te->fonts[i];
	}
	te->n_fonts = k;
	k = 0;
	for (size_t i = 0; i < te->n_cache; i++) {
		if (!italic_only || te->cache[i].italic) {
			free(te->cache[i].text);
			SDL_DestroyTexture(te->cache[i].tex);
		} else {
			te->cache[k++] = te->cache[i];
		}
	}
	te->n_cache = k;
}

bool text_set_italic_fonts(struct text_engine *te, const char *italic_path,
			   const char *bold_italic_path)
{
	bool ok = true;
	free(te->italic_path);
	free(te->bold_italic_path);
	te->italic_path = te->bold_italic_path = NULL;
	if (italic_path && *italic_path) {
		if (font_file_ok(italic_path, "italic"))
			te->italic_path = xstrdup(italic_path);
		else
			ok = false;
	}
	if (bold_italic_path && *bold_italic_path) {
		if (font_file_ok(bold_italic_path, "bold italic"))
			te->bold_italic_path = xstrdup(bold_italic_path);
		else
			ok = false;
	}
	forget_fonts(te, true);
	return ok;
}

static void free_fallbacks(struct text_engine *te)
{
	for (size_t i = 0; i < te->n_fallback; i++)
		free(te->fallback_paths[i]);
	free(te->fallback_paths);
	te->fallback_paths = NULL;
	te->n_fallback = 0;
}

bool text_set_fallback_fonts(struct text_engine *te, const char *const *paths,
			     size_t n)
{
	bool ok = true;
	free_fallbacks(te);
	if (te->fontless)
		n = 0;          /* nothing to fall back from */
	te->fallback_paths = n ? xcalloc(n, sizeof *te->fallback_paths) : NULL;
	for (size_t i = 0; i < n; i++) {
		if (!paths[i] || !*paths[i])
			continue;
		TTF_Font *f = TTF_OpenFont(paths[i], 16);
		if (!f) {
			log_warn("%s: cannot open fallback font (%s); skipped",
				 paths[i], TTF_GetError());
			ok = false;
			continue;
		}
		TTF_CloseFont(f);
		te->fallback_paths[te->n_fallback++] = xstrdup(paths[i]);
	}
	/* every font set and texture was made with the old list */
	forget_fonts(te, false);
	return ok;
}

void text_clear_cache(struct text_engine *te)
{
	for (size_t i = 0; i < te->n_cache; i++) {
		free(te->cache[i].text);
		if (te->cache[i].tex)
			SDL_DestroyTexture(te->cache[i].tex);
	}
	te->n_cache = 0;
}

void text_destroy(struct text_engine *te)
{
	if (!te)
		return;
	text_clear_cache(te);
	free(te->cache);
	for (size_t i = 0; i < te->n_fonts; i++)
		fontset_destroy(te->fonts[i].fonts);
	free_fallbacks(te);
	free(te->font_path);
	free(te->bold_path);
	free(te->italic_path);
	free(te->bold_italic_path);
	/* after every font made from them is closed */
	free(te->regular.data);
	free(te->bold.data);
	free(te->runs);
	free(te->scratch);
	bool ttf = te->ttf_ref;
	free(te);
	/* TTF_Quit is reference-counted; balance our TTF_Init. */
	if (ttf)
		TTF_Quit();
}

/* ------------------------------------------------------------------ */
/* Fonts                                                               */
/* ------------------------------------------------------------------ */

static int clamp_size(int size_px)
{
	return size_px < 4 ? 4 : size_px;
}

/* A face that would not open: logged once per engine as an error, then
 * at debug level (a font file removed while the kiosk runs would
 * otherwise be reported on every frame). */
static void face_failed(struct text_engine *te, const char *path, int size_px,
			const char *instead)
{
	if (te->face_failed_logged) {
		log_debug("%s: cannot open font at %d px: %s", path, size_px,
			  TTF_GetError());
		return;
	}
	te->face_failed_logged = true;
	log_error("%s: cannot open font at %d px: %s%s%s", path, size_px,
		  TTF_GetError(), instead ? "; using " : "", instead ? instead : "");
}

/* The fonts for (size, bold, italic), opened on first use: the face
 * first, then what draws what it lacks. NULL when the engine has no font
 * (text_create_fontless). The set stays valid until the next call (which
 * may close the oldest set to make room). */
static struct fontset *fonts_get(struct text_engine *te, int size_px,
				 bool bold, bool italic)
{
	if (te->fontless)
		return NULL;
	size_px = clamp_size(size_px);
	for (size_t i = 0; i < te->n_fonts; i++)
		if (te->fonts[i].size_px == size_px && te->fonts[i].bold == bold &&
		    te->fonts[i].italic == italic)
			return te->fonts[i].fonts;
	const char *ital = !italic ? NULL
			   : bold ? te->bold_italic_path : te->italic_path;
	bool own_bold = bold && te->bold_path && !ital;
	TTF_Font *f = NULL;
	if (ital) {
		/* italic faces are opened from their files, by size */
		f = TTF_OpenFont(ital, size_px);
		if (!f) {
			face_failed(te, ital, size_px, "the upright face, slanted");
			ital = NULL;
			own_bold = bold && te->bold_path;
		}
	}
	if (!f && own_bold)
		f = open_bytes(&te->bold, size_px);
	if (!f && own_bold) {
		face_failed(te, te->bold_path, size_px, "the regular face, emboldened");
		own_bold = false;
	}
	if (!f)
		f = open_bytes(&te->regular, size_px);
	if (!f) {
		face_failed(te, te->font_path, size_px, NULL);
		return NULL;
	}
	int style = TTF_STYLE_NORMAL;
	if (bold && !own_bold && !ital)
		style |= TTF_STYLE_BOLD;
	if (italic && !ital)
		style |= TTF_STYLE_ITALIC;
	TTF_SetFontStyle(f, style);
	/* Latin script, left to right: the kiosk's languages all use it.
	 * Per-font setters (the global ones are deprecated). */
	TTF_SetFontDirection(f, TTF_DIRECTION_LTR);
	TTF_SetFontScriptName(f, "Latn");
	TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
	TTF_SetFontKerning(f, 1);
	struct fontset *fs = fontset_create(size_px);
	fontset_add_font_take(fs, f);
	/* a bold or italic file may cover less than the regular one;
	 * fallbacks are drawn at regular weight */
	if (ital || own_bold) {
		TTF_Font *r = open_bytes(&te->regular, size_px);
		if (r) {
			TTF_SetFontDirection(r, TTF_DIRECTION_LTR);
			TTF_SetFontScriptName(r, "Latn");
			TTF_SetFontHinting(r, TTF_HINTING_LIGHT);
			TTF_SetFontKerning(r, 1);
			fontset_add_font_take(fs, r);
		}
	}
	for (size_t i = 0; i < te->n_fallback; i++)
		fontset_add_file(fs, te->fallback_paths[i]);
	if (te->n_fonts == TEXT_MAX_FONTS) {
		/* Evict the oldest opened size; cached textures stay valid. */
		fontset_destroy(te->fonts[0].fonts);
		memmove(&te->fonts[0], &te->fonts[1],
			(TEXT_MAX_FONTS - 1) * sizeof te->fonts[0]);
		te->n_fonts--;
	}
	te->fonts[te->n_fonts++] = (struct font_slot){ size_px, bold, italic, fs };
	return fs;
}

/* ------------------------------------------------------------------ */
/* Runs                                                                */
/* ------------------------------------------------------------------ */

/* Split s[0..len) into runs (in te->runs); returns their number. */
static size_t split_runs(struct text_engine *te, struct fontset *fs,
			 const char *s, size_t len)
{
	size_t n = fontset_split(fs, s, len, te->runs, te->runs_cap);
	if (n > te->runs_cap) {
		te->runs_cap = n + 8;
		te->runs = xrealloc(te->runs, te->runs_cap * sizeof *te->runs);
		n = fontset_split(fs, s, len, te->runs, te->runs_cap);
	}
	return n;
}

/* The text of a run as a C string (in te->scratch, valid until the next
 * call). */
static const char *run_text(struct text_engine *te, const char *s,
			    const struct fontset_run *r)
{
	if (r->len + 1 > te->scratch_cap) {
		te->scratch_cap = r->len + 64;
		te->scratch = xrealloc(te->scratch, te->scratch_cap);
	}
	memcpy(te->scratch, s + r->start, r->len);
	te->scratch[r->len] = '\0';
	return te->scratch;
}

/* The font of a run: its own, or the face when that one failed. */
static TTF_Font *run_font(struct fontset *fs, const struct fontset_run *r)
{
	TTF_Font *f = fontset_font(fs, r->font);
	return f ? f : fontset_font(fs, 0);
}

static bool row_has_ink(const SDL_Surface *s, int y)
{
	const Uint8 *row = (const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch;
	Uint32 amask = s->format->Amask;
	for (int x = 0; x < s->w; x++) {
		Uint32 px;
		memcpy(&px, row + 4 * x, 4);
		if (px & amask)
			return true;
	}
	return false;
}

/* How far SDL_ttf moved the text down in surface s, rendered by f, to
 * make room for ink above the font's ascent. SDL_ttf grows its surface
 * (ascent + descent tall) upwards for ink above the ascent and downwards
 * for ink below the descent, without saying which: when the last row is
 * blank only the top grew; when the first row is blank only the bottom
 * did. Both inked (marks far above and below at once) is taken as the
 * top having grown. s must be a 32-bit surface with alpha. */
static int surface_shift(TTF_Font *f, const SDL_Surface *s)
{
	int height = TTF_FontHeight(f);
	if (s->h <= height)
		return 0;
	if (!row_has_ink(s, s->h - 1))
		return s->h - height;
	if (!row_has_ink(s, 0))
		return 0;
	return s->h - height;
}

/* Rows of ink in s above the baseline row b (counting from the topmost
 * inked row) and at or below it; 0 when s has none. */
static void ink_extent(const SDL_Surface *s, int b, int *above, int *below)
{
	int top = -1, bottom = -1;
	for (int y = 0; y < s->h; y++)
		if (row_has_ink(s, y)) {
			if (top < 0)
				top = y;
			bottom = y;
		}
	if (above)
		*above = top >= 0 && top < b ? b - top : 0;
	if (below)
		*below = bottom >= b ? bottom - b + 1 : 0;
}

/* ------------------------------------------------------------------ */
/* Line geometry                                                       */
/* ------------------------------------------------------------------ */

/* Ink of the probe letters rendered by f, as rows above and below the
 * baseline. One rendering of both probes; how far SDL_ttf moved it down
 * is that of the letters above alone (measured, not rendered), since the
 * letters below do not reach as high. */
static void probe_ink(TTF_Font *f, int *above, int *below)
{
	*above = *below = 0;
	int w, h;
	if (TTF_SizeUTF8(f, PROBE_ABOVE, &w, &h) != 0)
		return;
	int shift = h > TTF_FontHeight(f) ? h - TTF_FontHeight(f) : 0;
	SDL_Color white = { 255, 255, 255, 255 };
	SDL_Surface *s = TTF_RenderUTF8_Blended(f, PROBE_ABOVE PROBE_BELOW, white);
	if (!s)
		return;
	if (SDL_MUSTLOCK(s))
		SDL_LockSurface(s);
	ink_extent(s, shift + TTF_FontAscent(f), above, below);
	if (SDL_MUSTLOCK(s))
		SDL_UnlockSurface(s);
	SDL_FreeSurface(s);
}

/* The line box at size_px, measured on first use with the regular and
 * bold faces: the baseline as deep as the ascent, or deeper so the
 * tallest stacked marks keep a blank row above them; the height the
 * font's line skip below that, or more so the lowest marks keep a blank
 * row below them. */
static const struct line_geometry *geometry_get(struct text_engine *te,
						int size_px)
{
	size_px = clamp_size(size_px);
	for (size_t i = 0; i < te->n_geom; i++)
		if (te->geom[i].size_px == size_px)
			return &te->geom[i];
	int ascent = 0, skip = 0, above = 0, below = 0;
	for (int bold = 0; bold < 2; bold++) {
		struct fontset *fs = fonts_get(te, size_px, bold, false);
		TTF_Font *f = fs ? fontset_font(fs, 0) : NULL;
		if (!f)
			continue;
		int a, b;
		if (TTF_FontAscent(f) > ascent)
			ascent = TTF_FontAscent(f);
		int h = TTF_FontLineSkip(f) > TTF_FontHeight(f) ? TTF_FontLineSkip(f)
								  : TTF_FontHeight(f);
		if (h > skip)
			skip = h;
		probe_ink(f, &a, &b);
		if (a > above)
			above = a;
		if (b > below)
			below = b;
	}
	struct line_geometry g = { .size_px = size_px };
	if (skip == 0) {
		/* no font at all: a box of the nominal size */
		g.baseline = size_px * 4 / 5;
		g.height = size_px;
	} else {
		g.baseline = above + 1 > ascent ? above + 1 : ascent;
		g.height = skip + (g.baseline - ascent);
		if (g.baseline + below + 1 > g.height)
			g.height = g.baseline + below + 1;
	}
	if (te->n_geom == TEXT_MAX_SIZES) {
		memmove(&te->geom[0], &te->geom[1],
			(TEXT_MAX_SIZES - 1) * sizeof te->geom[0]);
		te->n_geom--;
	}
	te->geom[te->n_geom] = g;
	return &te->geom[te->n_geom++];
}

int text_line_height(struct text_engine *te, const struct text_style *style)
{
	return geometry_get(te, style->size_px)->height;
}

/* ------------------------------------------------------------------ */
/* Measuring                                                           */
/* ------------------------------------------------------------------ */

bool text_measure(struct text_engine *te, const char *utf8,
		  const struct text_style *style, int *w, int *h)
{
	struct fontset *fs = fonts_get(te, style->size_px, style->bold,
				       style->italic);
	TTF_Font *face = fs ? fontset_font(fs, 0) : NULL;
	if (!face)
		return false;
	int tw = 0, th = 0;
	size_t len = strlen(utf8);
	size_t n = len ? split_runs(te, fs, utf8, len) : 0;
	if (n == 0) {
		th = TTF_FontHeight(face);
	} else if (n == 1) {
		if (TTF_SizeUTF8(run_font(fs, &te->runs[0]), utf8, &tw, &th) != 0) {
			log_warn("cannot measure text: %s", TTF_GetError());
			return false;
		}
	} else {
		/* runs side by side, baselines lined up; how far SDL_ttf
		 * would move each down is guessed from its size alone */
		int up = 0, down = 0;
		for (size_t i = 0; i < n; i++) {
			TTF_Font *f = run_font(fs, &te->runs[i]);
			int rw = 0, rh = 0;
			if (TTF_SizeUTF8(f, run_text(te, utf8, &te->runs[i]), &rw,
					 &rh) != 0) {
				log_warn("cannot measure text: %s", TTF_GetError());
				return false;
			}
			int shift = rh > TTF_FontHeight(f) ? rh - TTF_FontHeight(f) : 0;
			int b = shift + TTF_FontAscent(f);
			tw += rw;
			if (b > up)
				up = b;
			if (rh - b > down)
				down = rh - b;
		}
		th = up + down;
	}
	if (w)
		*w = tw;
	/* the box text_draw_line fills: the line height, which leaves room
	 * for stacked marks, unless this text reaches further */
	int lh = text_line_height(te, style);
	if (h)
		*h = th > lh ? th : lh;
	return true;
}

/* Width of bytes [s, s+len) (copied to terminate it). */
static int measure_span(struct text_engine *te, const char *s, size_t len,
			const struct text_style *style, const char *suffix)
{
	size_t sl = suffix ? strlen(suffix) : 0;
	char stackbuf[512];
	char *buf = len + sl + 1 <= sizeof stackbuf ? stackbuf : xmalloc(len + sl + 1);
	memcpy(buf, s, len);
	if (sl)
		memcpy(buf + len, suffix, sl);
	buf[len + sl] = '\0';
	int w = 0;
	text_measure(te, buf, style, &w, NULL);
	if (buf != stackbuf)
		free(buf);
	return w;
}

/* ------------------------------------------------------------------ */
/* Layout                                                              */
/* ------------------------------------------------------------------ */

/* Shorten [s, s+*len) until it plus "…" fits max_w, a whole cluster at a
 * time, so a base letter never loses its marks. */
static void cut_to_fit(struct text_engine *te, const char *s, size_t *len,
		       const struct text_style *style, int max_w)
{
	while (*len > 0 && measure_span(te, s, *len, style, ellipsis_utf8) > max_w)
		*len = fontset_cluster_start(s, *len);
	/* no trailing space before the ellipsis */
	while (*len > 0 && s[*len - 1] == ' ')
		(*len)--;
}

size_t text_layout(struct text_engine *te, const char *utf8,
		   const struct text_style *style, int max_w, int max_lines,
		   struct text_line *lines)
{
	size_t n = 0;
	size_t total = strlen(utf8);
	size_t pos = 0;
	if (max_lines <= 0 || max_w <= 0)
		return 0;
	while (pos <= total && n < (size_t)max_lines) {
		/* skip leading spaces of a wrapped line */
		while (pos < total && utf8[pos] == ' ')
			pos++;
		size_t para_end = pos;
		while (para_end < total && utf8[para_end] != '\n')
			para_end++;
		/* greedy: extend by words while the line fits */
		size_t line_end = pos;     /* best break found so far */
		size_t scan = pos;
		while (scan < para_end) {
			size_t word_end = scan;
			while (word_end < para_end && utf8[word_end] == ' ')
				word_end++;
			while (word_end < para_end && utf8[word_end] != ' ')
				word_end++;
			if (measure_span(te, utf8 + pos, word_end - pos, style, NULL) > max_w)
				break;
			line_end = word_end;
			scan = word_end;
		}
		if (line_end == pos && pos < para_end) {
			/* a single word wider than the line: split it between
			 * clusters (a letter keeps its marks) */
			size_t l = pos;
			while (l < para_end) {
				size_t next = fontset_cluster_end(utf8, para_end, l);
				if (l > pos && measure_span(te, utf8 + pos, next - pos, style, NULL) > max_w)
					break;
				l = next;
			}
			line_end = l;
		}
		struct text_line *ln = &lines[n++];
		ln->start = pos;
		ln->len = line_end - pos;
		while (ln->len > 0 && utf8[ln->start + ln->len - 1] == ' ')
			ln->len--;
		ln->ellipsis = false;
		pos = line_end;
		bool more = false;
		if (pos < para_end) {
			more = true;
		} else if (para_end < total) {
			pos = para_end + 1; /* past the newline */
			more = true;
		} else {
			pos = total + 1;
		}
		if (more && n == (size_t)max_lines) {
			/* out of lines: cut this one with an ellipsis */
			size_t len = ln->len;
			cut_to_fit(te, utf8 + ln->start, &len, style, max_w);
			ln->len = len;
			ln->ellipsis = true;
		}
		ln->width_px = measure_span(te, utf8 + ln->start, ln->len, style,
					    ln->ellipsis ? ellipsis_utf8 : NULL);
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

/* One run rendered, before compositing. */
struct piece {
	SDL_Surface *surf;
	int baseline;          /* rows from its top to the baseline */
};

/* Render text (one line) white on transparent, run by run, into one
 * surface; *baseline is its baseline row. NULL when nothing could be
 * rendered (logged). */
static SDL_Surface *render_line(struct text_engine *te, struct fontset *fs,
				const char *text, int *baseline)
{
	SDL_Color white = { 255, 255, 255, 255 };
	size_t len = strlen(text);
	size_t n = split_runs(te, fs, text, len);
	struct piece stack_pieces[8];
	struct piece *pieces = n <= 8 ? stack_pieces : xcalloc(n, sizeof *pieces);
	size_t np = 0;
	int up = 0, down = 0, width = 0;
	for (size_t i = 0; i < n; i++) {
		TTF_Font *f = run_font(fs, &te->runs[i]);
		const char *t = n == 1 ? text : run_text(te, text, &te->runs[i]);
		SDL_Surface *s = TTF_RenderUTF8_Blended(f, t, white);
		if (!s) {
			/* a run of nothing drawable (a lone joiner) has
			 * zero width and no surface: not a failure */
			char why[160];
			snprintf(why, sizeof why, "%s", TTF_GetError());
			int zw = 0;
			if (TTF_SizeUTF8(f, t, &zw, NULL) != 0 || zw > 0)
				log_warn("cannot render text \"%.40s\": %s", t, why);
			continue;
		}
		if (SDL_MUSTLOCK(s))
			SDL_LockSurface(s);
		int b = surface_shift(f, s) + TTF_FontAscent(f);
		if (SDL_MUSTLOCK(s))
			SDL_UnlockSurface(s);
		pieces[np++] = (struct piece){ s, b };
		width += s->w;
		if (b > up)
			up = b;
		if (s->h - b > down)
			down = s->h - b;
	}
	SDL_Surface *out = NULL;
	if (np == 1) {
		out = pieces[0].surf;
		*baseline = pieces[0].baseline;
		np = 0;
	} else if (np > 1) {
		out = SDL_CreateRGBSurfaceWithFormat(0, width, up + down, 32,
						     SDL_PIXELFORMAT_ARGB8888);
		if (!out)
			log_warn("cannot make a text surface: %s", SDL_GetError());
		int x = 0;
		for (size_t i = 0; out && i < np; i++) {
			SDL_Surface *s = pieces[i].surf;
			SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_NONE);
			SDL_Rect dst = { x, up - pieces[i].baseline, s->w, s->h };
			SDL_BlitSurface(s, NULL, out, &dst);
			x += s->w;
		}
		*baseline = up;
	}
	for (size_t i = 0; i < np; i++)
		SDL_FreeSurface(pieces[i].surf);
	if (pieces != stack_pieces)
		free(pieces);
	return out;
}

/* The cached white texture for text at (size, bold, italic); NULL on
 * failure or empty text. */
static struct cache_entry *cache_get(struct text_engine *te, const char *text,
				     const struct text_style *style)
{
	te->tick++;
	for (size_t i = 0; i < te->n_cache; i++) {
		struct cache_entry *e = &te->cache[i];
		if (e->size_px == style->size_px && e->bold == style->bold &&
		    e->italic == style->italic && strcmp(e->text, text) == 0) {
			e->last_used = te->tick;
			te->hits++;
			return e;
		}
	}
	te->misses++;
	struct fontset *fs = fonts_get(te, style->size_px, style->bold,
				       style->italic);
	if (!fs || !fontset_font(fs, 0) || !*text)
		return NULL;
	int baseline = 0;
	SDL_Surface *surf = render_line(te, fs, text, &baseline);
	if (!surf)
		return NULL;
	SDL_Texture *tex = SDL_CreateTextureFromSurface(te->renderer, surf);
	int w = surf->w, h = surf->h;
	SDL_FreeSurface(surf);
	if (!tex) {
		log_warn("cannot make text texture: %s", SDL_GetError());
		return NULL;
	}
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	struct cache_entry *slot;
	if (te->n_cache < TEXT_CACHE_MAX) {
		slot = &te->cache[te->n_cache++];
	} else {
		slot = &te->cache[0];
		for (size_t i = 1; i < te->n_cache; i++)
			if (te->cache[i].last_used < slot->last_used)
				slot = &te->cache[i];
		free(slot->text);
		SDL_DestroyTexture(slot->tex);
	}
	*slot = (struct cache_entry){
		.text = xstrdup(text), .size_px = style->size_px,
		.bold = style->bold, .italic = style->italic, .tex = tex,
		.w = w, .h = h, .baseline = baseline,
		.last_used = te->tick,
	};
	return slot;
}

/* Draw e in the line box whose top is y: its baseline on the box's. */
static void blit(struct text_engine *te, struct cache_entry *e, int x, int y,
		 const struct text_style *style)
{
	const SDL_Color *c = &style->color;
	int base = geometry_get(te, style->size_px)->baseline;
	SDL_SetTextureColorMod(e->tex, c->r, c->g, c->b);
	SDL_SetTextureAlphaMod(e->tex, c->a);
	SDL_Rect dst = { x, y + base - e->baseline, e->w, e->h };
	SDL_RenderCopy(te->renderer, e->tex, NULL, &dst);
}

static int draw_span(struct text_engine *te, const char *s, size_t len,
		     bool ellipsis, int x, int y, int max_w,
		     const struct text_style *style)
{
	char stackbuf[512];
	size_t need = len + sizeof ellipsis_utf8;
	char *buf = need <= sizeof stackbuf ? stackbuf : xmalloc(need);
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (ellipsis)
		strcat(buf, ellipsis_utf8);
	int drawn = 0;
	struct cache_entry *e = cache_get(te, buf, style);
	if (e) {
		int dx = x;
		if (max_w > 0 && style->align == TEXT_CENTER)
			dx = x + (max_w - e->w) / 2;
		else if (max_w > 0 && style->align == TEXT_RIGHT)
			dx = x + max_w - e->w;
		blit(te, e, dx, y, style);
		drawn = e->w;
	}
	if (buf != stackbuf)
		free(buf);
	return drawn;
}

int text_draw_line(struct text_engine *te, const char *utf8, int x, int y,
		   int max_w, const struct text_style *style)
{
	size_t len = strlen(utf8);
	/* stop at the first newline: this draws one line */
	const char *nl = memchr(utf8, '\n', len);
	bool cut = false;
	if (nl) {
		len = (size_t)(nl - utf8);
		cut = true;
	}
	if (max_w > 0 && measure_span(te, utf8, len, style, cut ? ellipsis_utf8 : NULL) > max_w) {
		cut_to_fit(te, utf8, &len, style, max_w);
		cut = true;
	}
	return draw_span(te, utf8, len, cut, x, y, max_w, style);
}

int text_draw_box(struct text_engine *te, const char *utf8,
		  const SDL_Rect *box, int max_lines,
		  const struct text_style *style)
{
	int lh = text_line_height(te, style);
	int fit = lh > 0 ? box->h / lh : 1;
	if (fit < 1)
		fit = 1;
	if (max_lines <= 0 || max_lines > fit)
		max_lines = fit;
	struct text_line stack_lines[32];
	struct text_line *lines = max_lines <= 32 ? stack_lines
				  : xmalloc((size_t)max_lines * sizeof *lines);
	size_t n = text_layout(te, utf8, style, box->w, max_lines, lines);
	for (size_t i = 0; i < n; i++)
		draw_span(te, utf8 + lines[i].start, lines[i].len,
			  lines[i].ellipsis, box->x, box->y + (int)i * lh,
			  box->w, style);
	if (lines != stack_lines)
		free(lines);
	return (int)n * lh;
}

void text_cache_stats(const struct text_engine *te, size_t *entries,
		      size_t *hits, size_t *misses)
{
	if (entries)
		*entries = te->n_cache;
	if (hits)
		*hits = te->hits;
	if (misses)
		*misses = te->misses;
}
