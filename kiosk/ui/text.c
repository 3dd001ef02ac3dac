/*
 * text: shaped text through SDL_ttf + HarfBuzz (see text.h).
 */
#include "ui/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_ttf.h>

#include "base/log.h"
#include "base/util.h"

#define TEXT_CACHE_MAX 512    /* textures kept; each is one line of text */
#define TEXT_MAX_FONTS 24     /* distinct (size, face) pairs open at once */

static const char ellipsis_utf8[] = "\xE2\x80\xA6"; /* U+2026 */

struct font_slot {
	int size_px;
	bool bold, italic;
	TTF_Font *font;
};

struct cache_entry {
	char *text;
	int size_px;
	bool bold, italic;
	SDL_Texture *tex;      /* white text on transparent */
	int w, h;
	uint64_t last_used;    /* engine tick of last use, for LRU */
};

struct text_engine {
	SDL_Renderer *renderer;
	char *font_path;
	char *bold_path;                 /* NULL: embolden font_path */
	char *italic_path;               /* NULL: slant the regular face */
	char *bold_italic_path;          /* NULL: slant the bold face */
	struct font_slot fonts[TEXT_MAX_FONTS];
	size_t n_fonts;
	struct cache_entry *cache;       /* unordered; linear probe is fine at 512 */
	size_t n_cache;
	uint64_t tick;
	size_t hits, misses;
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

struct text_engine *text_create(SDL_Renderer *renderer, const char *font_path,
				const char *bold_path)
{
	if (!ttf_ref())
		return NULL;
	/* Open the regular face once up front so a bad font path is reported
	 * at start, naming the file. */
	TTF_Font *probe = TTF_OpenFont(font_path, 16);
	if (!probe) {
		log_error("%s: cannot open font: %s", font_path, TTF_GetError());
		TTF_Quit();
		return NULL;
	}
	TTF_CloseFont(probe);
	struct text_engine *te = xcalloc(1, sizeof *te);
	te->renderer = renderer;
	te->font_path = xstrdup(font_path);
	if (bold_path && *bold_path) {
		TTF_Font *b = TTF_OpenFont(bold_path, 16);
		if (b) {
			TTF_CloseFont(b);
			te->bold_path = xstrdup(bold_path);
		} else {
			log_warn("%s: cannot open bold font (%s); emboldening %s",
				 bold_path, TTF_GetError(), font_path);
		}
	}
	te->cache = xcalloc(TEXT_CACHE_MAX, sizeof *te->cache);
	return te;
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

/* Close the open italic fonts and drop their textures, so the next use
 * opens the faces now configured. */
static void forget_italics(struct text_engine *te)
{
	size_t k = 0;
	for (size_t i = 0; i < te->n_fonts; i++) {
		if (te->fonts[i].italic)
			TTF_CloseFont(te->fonts[i].font);
		else
			te->fonts[k++] = te->fonts[i];
	}
	te->n_fonts = k;
	k = 0;
	for (size_t i = 0; i < te->n_cache; i++) {
		if (te->cache[i].italic) {
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
	forget_italics(te);
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
		TTF_CloseFont(te->fonts[i].font);
	free(te->font_path);
	free(te->bold_path);
	free(te->italic_path);
	free(te->bold_italic_path);
	free(te);
	/* TTF_Quit is reference-counted; balance our TTF_Init. */
	TTF_Quit();
}

/* The font for (size, bold, italic), opened on first use. */
static TTF_Font *font_get(struct text_engine *te, int size_px, bool bold,
			  bool italic)
{
	if (size_px < 4)
		size_px = 4;
	for (size_t i = 0; i < te->n_fonts; i++)
		if (te->fonts[i].size_px == size_px && te->fonts[i].bold == bold &&
		    te->fonts[i].italic == italic)
			return te->fonts[i].font;
	const char *ital = !italic ? NULL
			   : bold ? te->bold_italic_path : te->italic_path;
	const char *path = ital ? ital
			   : bold && te->bold_path ? te->bold_path : te->font_path;
	TTF_Font *f = TTF_OpenFont(path, size_px);
	if (!f) {
		log_error("%s: cannot open font at %d px: %s", path, size_px,
			  TTF_GetError());
		return NULL;
	}
	int style = TTF_STYLE_NORMAL;
	if (bold && !te->bold_path && !ital)
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
	if (te->n_fonts == TEXT_MAX_FONTS) {
		/* Evict the oldest opened size; cached textures stay valid. */
		TTF_CloseFont(te->fonts[0].font);
		memmove(&te->fonts[0], &te->fonts[1],
			(TEXT_MAX_FONTS - 1) * sizeof te->fonts[0]);
		te->n_fonts--;
	}
	te->fonts[te->n_fonts++] = (struct font_slot){ size_px, bold, italic, f };
	return f;
}

bool text_measure(struct text_engine *te, const char *utf8,
		  const struct text_style *style, int *w, int *h)
{
	TTF_Font *f = font_get(te, style->size_px, style->bold, style->italic);
	if (!f)
		return false;
	int tw = 0, th = 0;
	if (*utf8 && TTF_SizeUTF8(f, utf8, &tw, &th) != 0) {
		log_warn("cannot measure text: %s", TTF_GetError());
		return false;
	}
	if (!*utf8)
		th = TTF_FontHeight(f);
	if (w)
		*w = tw;
	if (h)
		*h = th;
	return true;
}

int text_line_height(struct text_engine *te, const struct text_style *style)
{
	TTF_Font *f = font_get(te, style->size_px, style->bold, style->italic);
	if (!f)
		return style->size_px;
	int skip = TTF_FontLineSkip(f);
	int h = TTF_FontHeight(f);
	return skip > h ? skip : h;
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

/* Byte length of the code point before offset i (i > 0). Combining marks
 * are not split from their base by callers because they back off whole
 * words first and only split inside words too long for a line. */
static size_t prev_cp_len(const char *s, size_t i)
{
	size_t j = i - 1;
	while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
		j--;
	return i - j;
}

static bool is_combining(uint32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
	       (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
	       (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* Shorten [s, s+*len) until it plus "…" fits max_w; never splits a base
 * letter from its combining marks. */
static void cut_to_fit(struct text_engine *te, const char *s, size_t *len,
		       const struct text_style *style, int max_w)
{
	while (*len > 0 && measure_span(te, s, *len, style, ellipsis_utf8) > max_w) {
		size_t l = *len;
		/* drop one grapheme: trailing combining marks, then the base */
		for (;;) {
			size_t c = prev_cp_len(s, l);
			uint32_t cp;
			utf8_decode(s + l - c, c, &cp);
			l -= c;
			if (!is_combining(cp) || l == 0)
				break;
		}
		*len = l;
	}
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
			/* a single word wider than the line: split it by
			 * code points (keeping marks with their base) */
			size_t l = pos;
			while (l < para_end) {
				uint32_t cp;
				size_t step = (size_t)utf8_decode(utf8 + l, total - l, &cp);
				size_t next = l + step;
				/* take following combining marks too */
				while (next < para_end) {
					uint32_t cp2;
					int s2 = utf8_decode(utf8 + next, total - next, &cp2);
					if (!is_combining(cp2))
						break;
					next += (size_t)s2;
				}
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

/* The cached white texture for text at (size, bold); NULL on failure or
 * empty text. */
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
	TTF_Font *f = font_get(te, style->size_px, style->bold, style->italic);
	if (!f || !*text)
		return NULL;
	SDL_Color white = { 255, 255, 255, 255 };
	SDL_Surface *surf = TTF_RenderUTF8_Blended(f, text, white);
	if (!surf) {
		log_warn("cannot render text \"%.40s\": %s", text, TTF_GetError());
		return NULL;
	}
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
		.w = w, .h = h,
		.last_used = te->tick,
	};
	return slot;
}

static void blit(struct text_engine *te, struct cache_entry *e, int x, int y,
		 const SDL_Color *c)
{
	SDL_SetTextureColorMod(e->tex, c->r, c->g, c->b);
	SDL_SetTextureAlphaMod(e->tex, c->a);
	SDL_Rect dst = { x, y, e->w, e->h };
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
		blit(te, e, dx, y, &style->color);
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
