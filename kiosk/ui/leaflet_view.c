/*
 * leaflet_view: layout and drawing of text leaflets (see leaflet_view.h).
 */
#include "ui/leaflet_view.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "media/image.h"

#define WIDTHS_MAX 65536        /* cached word widths before a reset */
/* Longer words (in bytes) are cut into lines without being measured
 * whole first: wider than any screen, and slow to shape. */
#define ADD_WORD_WHOLE_MAX 4096

static const char bullet_utf8[] = "\xE2\x80\xA2"; /* U+2022 */

/* ------------------------------------------------------------------ */
/* The view: a word-width cache over the text module                   */
/* ------------------------------------------------------------------ */

/* How wide a piece of text is: w from its first pen position to the end
 * of its ink (what fits in a column); adv to where the next text starts.
 * They differ for italics, whose last letter leans out past its advance
 * (by some 4 px at 17 px when SDL_ttf slants an upright face). */
struct extent {
	int w, adv;
};

/* A measured extent, keyed by (style, size, text). */
struct width_entry {
	uint32_t hash;
	uint32_t key_off;          /* text in widths_keys */
	uint32_t key_len;
	uint16_t size_px;
	uint8_t style;
	uint8_t used;
	struct extent ext;
};

struct leaflet_view {
	struct text_engine *te;    /* borrowed */
	SDL_Renderer *renderer;    /* borrowed */

	struct width_entry *widths;    /* open addressing, power-of-two size */
	size_t widths_cap, widths_len;
	char *widths_keys;
	size_t keys_len, keys_cap;

	char *tmp;                 /* NUL-terminated copies for measuring */
	size_t tmp_cap;
};

struct leaflet_view *leaflet_view_create(struct text_engine *te,
					 SDL_Renderer *renderer,
					 const struct leaflet_fonts *fonts)
{
	/* a bad file is logged by the text module, naming it, and that face
	 * is slanted from the upright one: the leaflet stays readable */
	if (fonts && ((fonts->italic && *fonts->italic) ||
		      (fonts->bold_italic && *fonts->bold_italic)))
		text_set_italic_fonts(te, fonts->italic, fonts->bold_italic);
	struct leaflet_view *lv = xcalloc(1, sizeof *lv);
	lv->te = te;
	lv->renderer = renderer;
	return lv;
}

void leaflet_view_destroy(struct leaflet_view *lv)
{
	if (!lv)
		return;
	free(lv->widths);
	free(lv->widths_keys);
	free(lv->tmp);
	free(lv);
}

/* The text module's style for a leaflet style at size. */
static struct text_style text_style_of(unsigned style, int size_px, SDL_Color c)
{
	return (struct text_style){ .size_px = size_px,
				    .bold = style & LEAFLET_BOLD,
				    .italic = style & LEAFLET_ITALIC,
				    .color = c };
}

/* Extent of s[0..len) in style at size, shaped now. */
static struct extent measure_now(struct leaflet_view *lv, unsigned style,
				 int size_px, const char *s, size_t len)
{
	if (len + 2 > lv->tmp_cap) {
		lv->tmp_cap = (len + 2) * 2;
		lv->tmp = xrealloc(lv->tmp, lv->tmp_cap);
	}
	memcpy(lv->tmp, s, len);
	lv->tmp[len] = '\0';
	struct text_style ts = text_style_of(style, size_px, (SDL_Color){ 0 });
	struct extent e = { 0, 0 };
	if (!text_measure(lv->te, lv->tmp, &ts, &e.w, NULL))
		return e;
	e.adv = e.w;
	if (style & LEAFLET_ITALIC) {
		/* text_measure gives the ink extent; the advance is where the
		 * text ends with a space after it, since a space has no ink */
		int with_space = 0, space = 0;
		lv->tmp[len] = ' ';
		lv->tmp[len + 1] = '\0';
		if (text_measure(lv->te, lv->tmp, &ts, &with_space, NULL) &&
		    text_measure(lv->te, " ", &ts, &space, NULL))
			e.adv = with_space - space;
		if (e.adv > e.w || e.adv <= 0)
			e.adv = e.w;
	}
	return e;
}

static uint32_t width_hash(unsigned style, int size_px, const char *s, size_t len)
{
	uint32_t h = 2166136261u ^ (uint32_t)(style * 131 + (unsigned)size_px * 7);
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static void widths_reset(struct leaflet_view *lv, size_t cap)
{
	free(lv->widths);
	lv->widths = xcalloc(cap, sizeof *lv->widths);
	lv->widths_cap = cap;
	lv->widths_len = 0;
	lv->keys_len = 0;
}

static void widths_grow(struct leaflet_view *lv)
{
	struct width_entry *old = lv->widths;
	size_t old_cap = lv->widths_cap;
	lv->widths_cap = old_cap ? old_cap * 2 : 1024;
	lv->widths = xcalloc(lv->widths_cap, sizeof *lv->widths);
	size_t mask = lv->widths_cap - 1;
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i].used)
			continue;
		size_t j = old[i].hash & mask;
		while (lv->widths[j].used)
			j = (j + 1) & mask;
		lv->widths[j] = old[i];
	}
	free(old);
}

/* Extent of s[0..len) in style at size, from the cache when measured
 * before. */
static struct extent cached_extent(struct leaflet_view *lv, unsigned style,
				   int size_px, const char *s, size_t len)
{
	if (len > 4096 || len > UINT32_MAX - lv->keys_len)
		return measure_now(lv, style, size_px, s, len);
	if (lv->widths_len >= WIDTHS_MAX)
		widths_reset(lv, lv->widths_cap);
	if ((lv->widths_len + 1) * 10 > lv->widths_cap * 7)
		widths_grow(lv);
	uint32_t h = width_hash(style, size_px, s, len);
	size_t mask = lv->widths_cap - 1;
	size_t j = h & mask;
	for (; lv->widths[j].used; j = (j + 1) & mask) {
		struct width_entry *e = &lv->widths[j];
		if (e->hash == h && e->key_len == len && e->style == style &&
		    e->size_px == size_px &&
		    memcmp(lv->widths_keys + e->key_off, s, len) == 0)
			return e->ext;
	}
	struct extent w = measure_now(lv, style, size_px, s, len);
	if (lv->keys_len + len > lv->keys_cap) {
		lv->keys_cap = (lv->keys_len + len) * 2 + 4096;
		lv->widths_keys = xrealloc(lv->widths_keys, lv->keys_cap);
	}
	memcpy(lv->widths_keys + lv->keys_len, s, len);
	lv->widths[j] = (struct width_entry){
		.hash = h, .key_off = (uint32_t)lv->keys_len,
		.key_len = (uint32_t)len, .size_px = (uint16_t)size_px,
		.style = (uint8_t)style, .used = 1, .ext = w,
	};
	lv->keys_len += len;
	lv->widths_len++;
	return w;
}

static int cached_width(struct leaflet_view *lv, unsigned style, int size_px,
			const char *s, size_t len)
{
	return cached_extent(lv, style, size_px, s, len).w;
}

/* ------------------------------------------------------------------ */
/* The layout                                                          */
/* ------------------------------------------------------------------ */

/* Per-line data the caller does not see. */
struct line_priv {
	size_t seg0;               /* first segment in segs */
	SDL_Texture *picture;      /* picture line: owned; NULL = grey box */
};

struct leaflet_layout {
	struct leaflet_view *lv;
	struct leaflet_line *lines;
	struct line_priv *priv;
	size_t n_lines, lines_cap;
	struct leaflet_seg *segs;
	size_t *seg_text;          /* offset of each segment's text in arena */
	size_t n_segs, segs_cap;
	char *arena;
	size_t arena_len, arena_cap;
	int width_px;
	int height;
};

/* One word of a block: bytes [s, e) of the flattened text. */
struct word {
	size_t s, e;
	int w;
	bool glue;                 /* no space before (a piece of a long word) */
	bool break_after;          /* a kept line break follows */
};

/* A line being built: words [a, b). */
struct span {
	size_t a, b;
};

/* Scratch buffers reused from block to block. */
struct builder {
	struct leaflet_layout *lo;
	struct leaflet_view *lv;
	char *flat;                /* the block's text, runs joined */
	unsigned char *fst;        /* style of each byte */
	size_t flat_len, flat_cap;
	struct word *words;
	size_t n_words, words_cap;
	struct span *spans;
	size_t n_spans, spans_cap;
	int y;                     /* top of the next line */
};

static bool is_combining(uint32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
	       (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
	       (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* Where the piece flat[i, j) of one style, measured as ext, sends the
 * next piece of the same line: its advance, plus half of its lean when it
 * is italic and a letter follows directly (a small italic correction:
 * "*1990*," keeps the comma clear of the leaning 0 without a gap); the
 * last piece of a line ends at its ink. */
static int piece_step(const struct builder *b, size_t j, size_t e,
		      unsigned style, struct extent ext)
{
	if (j >= e)
		return ext.w;
	if ((style & LEAFLET_ITALIC) && b->flat[j] != ' ')
		return ext.adv + (ext.w - ext.adv) / 2;
	return ext.adv;
}

/* Width of flat[s, e) measured in pieces of one style each. */
static int span_width(struct builder *b, size_t s, size_t e, int size_px)
{
	int w = 0;
	for (size_t i = s; i < e;) {
		size_t j = i;
		while (j < e && b->fst[j] == b->fst[i])
			j++;
		struct extent ext = cached_extent(b->lv, b->fst[i], size_px,
						  b->flat + i, j - i);
		w += piece_step(b, j, e, b->fst[i], ext);
		i = j;
	}
	return w;
}

static void push_word(struct builder *b, struct word w)
{
	if (b->n_words == b->words_cap) {
		b->words_cap = b->words_cap ? b->words_cap * 2 : 256;
		b->words = xrealloc(b->words, b->words_cap * sizeof *b->words);
	}
	b->words[b->n_words++] = w;
}

/* Byte offset just past the letter at k (with its combining marks). */
static size_t next_letter(const struct builder *b, size_t k, size_t e)
{
	uint32_t cp;
	size_t next = k + (size_t)utf8_decode(b->flat + k, e - k, &cp);
	while (next < e) {
		int n = utf8_decode(b->flat + next, e - next, &cp);
		if (!is_combining(cp))
			break;
		next += (size_t)n;
	}
	return next;
}

/* Add the word flat[s, e), cut into pieces at letter boundaries (a letter
 * keeps its combining marks) when it alone is wider than avail. Each
 * piece is found by doubling then halving the number of letters, so a
 * pasted word of any length costs a few measurements per piece. */
static void add_word(struct builder *b, size_t s, size_t e, int size_px, int avail)
{
	/* a word of thousands of letters never fits a line: it is not
	 * shaped whole (a pasted 900 kB "word" took most of a second) */
	if (e - s <= ADD_WORD_WHOLE_MAX) {
		int w = span_width(b, s, e, size_px);
		if (w <= avail) {
			push_word(b, (struct word){ s, e, w, false, false });
			return;
		}
	}
	/* letter boundaries: ends[i] is the end of letter i of the word */
	size_t n = 0, cap = 64;
	size_t *ends = xmalloc(cap * sizeof *ends);
	for (size_t k = s; k < e; k = ends[n - 1]) {
		if (n == cap) {
			cap *= 2;
			ends = xrealloc(ends, cap * sizeof *ends);
		}
		ends[n++] = next_letter(b, k, e);
	}
	bool first = true;
	for (size_t at = 0; at < n;) {
		size_t ps = at == 0 ? s : ends[at - 1];
		/* fit[i]: do letters at..at+i fit? grow, then bisect */
		size_t good = 0, bad = 0;   /* letters: good fit, bad do not */
		size_t try_n = 1;
		while (at + try_n <= n &&
		       span_width(b, ps, ends[at + try_n - 1], size_px) <= avail) {
			good = try_n;
			try_n *= 2;
		}
		bad = at + try_n <= n ? try_n : n - at + 1;
		while (bad - good > 1) {
			size_t mid = good + (bad - good) / 2;
			if (span_width(b, ps, ends[at + mid - 1], size_px) <= avail)
				good = mid;
			else
				bad = mid;
		}
		if (good == 0)
			good = 1;      /* one letter wider than the line: alone */
		size_t pe = ends[at + good - 1];
		push_word(b, (struct word){ ps, pe, span_width(b, ps, pe, size_px),
					    !first, false });
		first = false;
		at += good;
	}
	free(ends);
}

/* Bytes of arena text for a segment; returns its offset. */
static size_t arena_put(struct leaflet_layout *lo, const char *s, size_t len)
{
	if (lo->arena_len + len + 1 > lo->arena_cap) {
		lo->arena_cap = (lo->arena_len + len + 1) * 2 + 1024;
		lo->arena = xrealloc(lo->arena, lo->arena_cap);
	}
	size_t off = lo->arena_len;
	memcpy(lo->arena + off, s, len);
	lo->arena[off + len] = '\0';
	lo->arena_len += len + 1;
	return off;
}

static struct leaflet_seg *push_seg(struct leaflet_layout *lo, const char *s,
				    size_t len, int x, int w, unsigned style,
				    bool marker)
{
	if (lo->n_segs == lo->segs_cap) {
		lo->segs_cap = lo->segs_cap ? lo->segs_cap * 2 : 512;
		lo->segs = xrealloc(lo->segs, lo->segs_cap * sizeof *lo->segs);
		lo->seg_text = xrealloc(lo->seg_text, lo->segs_cap * sizeof *lo->seg_text);
	}
	lo->seg_text[lo->n_segs] = arena_put(lo, s, len);
	struct leaflet_seg *sg = &lo->segs[lo->n_segs++];
	*sg = (struct leaflet_seg){ NULL, x, w, style, marker };
	return sg;
}

static struct leaflet_line *push_line(struct leaflet_layout *lo)
{
	if (lo->n_lines == lo->lines_cap) {
		lo->lines_cap = lo->lines_cap ? lo->lines_cap * 2 : 128;
		lo->lines = xrealloc(lo->lines, lo->lines_cap * sizeof *lo->lines);
		lo->priv = xrealloc(lo->priv, lo->lines_cap * sizeof *lo->priv);
	}
	size_t i = lo->n_lines++;
	memset(&lo->lines[i], 0, sizeof lo->lines[i]);
	lo->priv[i] = (struct line_priv){ lo->n_segs, NULL };
	return &lo->lines[i];
}

/* Exact width of the line made of words [a, b): each same-style stretch
 * (spaces included) is shaped as the draw will shape it. */
static int line_width(struct builder *b, size_t a, size_t e_word, int size_px)
{
	return span_width(b, b->words[a].s, b->words[e_word - 1].e, size_px);
}

/* Approximate width of adding word j to a line (its space, then it). */
static int word_advance(struct builder *b, size_t j, int size_px)
{
	const struct word *w = &b->words[j];
	int sp = 0;
	if (!w->glue && w->s > 0)
		sp = cached_width(b->lv, b->fst[w->s - 1], size_px, " ", 1);
	return sp + w->w;
}

static void push_span(struct builder *b, size_t a, size_t e)
{
	if (b->n_spans == b->spans_cap) {
		b->spans_cap = b->spans_cap ? b->spans_cap * 2 : 64;
		b->spans = xrealloc(b->spans, b->spans_cap * sizeof *b->spans);
	}
	b->spans[b->n_spans++] = (struct span){ a, e };
}

enum text_place { PLACE_LEFT, PLACE_CENTER };

/* Lay out the runs of one block as text lines at size_px, base_style
 * added to every run, starting at x = indent, and an optional marker
 * right-aligned to end at marker_right on the first line. Advances b->y.
 * Returns the number of lines. */
static size_t layout_text(struct builder *b, const struct leaflet_block *blk,
			  size_t block_index, int size_px, unsigned base_style,
			  int indent, const char *marker, int marker_right,
			  enum text_place place, bool keep_with_next, bool caption)
{
	struct leaflet_layout *lo = b->lo;
	int avail = lo->width_px - indent;
	if (avail < 1)
		avail = 1;

	/* flatten the runs */
	b->flat_len = 0;
	for (size_t r = 0; r < blk->n_runs; r++) {
		size_t n = strlen(blk->runs[r].text);
		if (b->flat_len + n > b->flat_cap) {
			b->flat_cap = (b->flat_len + n) * 2 + 256;
			b->flat = xrealloc(b->flat, b->flat_cap);
			b->fst = xrealloc(b->fst, b->flat_cap);
		}
		memcpy(b->flat + b->flat_len, blk->runs[r].text, n);
		memset(b->fst + b->flat_len,
		       (int)((blk->runs[r].style | base_style) & 3u), n);
		b->flat_len += n;
	}

	/* words */
	b->n_words = 0;
	for (size_t i = 0; i < b->flat_len;) {
		char c = b->flat[i];
		if (c == ' ') {
			i++;
			continue;
		}
		if (c == '\n') {
			if (b->n_words > 0)
				b->words[b->n_words - 1].break_after = true;
			i++;
			continue;
		}
		size_t j = i;
		while (j < b->flat_len && b->flat[j] != ' ' && b->flat[j] != '\n')
			j++;
		add_word(b, i, j, size_px, avail);
		i = j;
	}
	if (b->n_words == 0)
		return 0;

	/* greedy lines, each checked by shaping it whole */
	b->n_spans = 0;
	for (size_t i = 0; i < b->n_words;) {
		size_t j = i + 1;
		int w = b->words[i].w;
		while (j < b->n_words && !b->words[j - 1].break_after) {
			int add = word_advance(b, j, size_px);
			if (w + add > avail)
				break;
			w += add;
			j++;
		}
		while (j > i + 1 && line_width(b, i, j, size_px) > avail)
			j--;
		push_span(b, i, j);
		i = j;
	}

	/* a paragraph's last word alone on its line takes one more word
	 * from the line above, when that line keeps two or more */
	if (b->n_spans >= 2) {
		struct span *last = &b->spans[b->n_spans - 1];
		struct span *prev = &b->spans[b->n_spans - 2];
		if (last->b - last->a == 1 && prev->b - prev->a >= 3 &&
		    !b->words[last->a].glue && !b->words[prev->b - 1].glue &&
		    !b->words[prev->b - 1].break_after &&
		    line_width(b, last->a - 1, last->b, size_px) <= avail) {
			prev->b--;
			last->a--;
		}
	}

	/* emit */
	int lh = text_line_height(b->lv->te, &(struct text_style){
		.size_px = size_px, .bold = base_style & LEAFLET_BOLD });
	for (size_t k = 0; k < b->n_spans; k++) {
		const struct span *sp = &b->spans[k];
		size_t s = b->words[sp->a].s, e = b->words[sp->b - 1].e;
		int lw = span_width(b, s, e, size_px);
		int x0 = indent;
		if (place == PLACE_CENTER)
			x0 = indent + (avail - lw) / 2;
		struct leaflet_line *ln = push_line(lo);
		ln->kind = LEAFLET_LINE_TEXT;
		ln->y = b->y;
		ln->h = lh;
		ln->size_px = size_px;
		ln->block = block_index;
		ln->keep_with_next = keep_with_next;
		ln->caption = caption;
		int left = x0;
		if (k == 0 && marker) {
			size_t ml = strlen(marker);
			int mw = cached_width(b->lv, 0, size_px, marker, ml);
			push_seg(lo, marker, ml, marker_right - mw, mw, 0, true);
			left = marker_right - mw;
		}
		int x = x0;
		for (size_t i = s; i < e;) {
			size_t j = i;
			while (j < e && b->fst[j] == b->fst[i])
				j++;
			struct extent ext = cached_extent(b->lv, b->fst[i], size_px,
							  b->flat + i, j - i);
			push_seg(lo, b->flat + i, j - i, x, ext.w, b->fst[i], false);
			x += piece_step(b, j, e, b->fst[i], ext);
			i = j;
		}
		ln->x = left;
		ln->w = x - left;
		ln->n_segs = lo->n_segs - lo->priv[lo->n_lines - 1].seg0;
		b->y += lh;
	}
	return b->n_spans;
}

/* A picture scaled to the width (at most max_h high) and its caption. */
static void layout_picture(struct builder *b, const struct leaflet_block *blk,
			   size_t block_index, int max_h, int caption_px,
			   int caption_gap)
{
	struct leaflet_layout *lo = b->lo;
	int W = lo->width_px;
	SDL_Texture *tex = NULL;
	int sw = W, sh = W * 9 / 16;
	if (blk->picture_path) {
		char err[512];
		struct image *img = image_load(blk->picture_path, W,
					       max_h > 0 ? max_h : W * 4,
					       err, sizeof err);
		if (!img) {
			log_warn("leaflet picture: %s", err);
		} else {
			tex = SDL_CreateTexture(b->lv->renderer, SDL_PIXELFORMAT_RGBA32,
						SDL_TEXTUREACCESS_STATIC, img->w, img->h);
			if (!tex) {
				log_warn("%s: cannot make texture: %s",
					 blk->picture_path, SDL_GetError());
			} else {
				SDL_UpdateTexture(tex, NULL, img->pixels, img->pitch);
				SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
				SDL_SetTextureScaleMode(tex, SDL_ScaleModeLinear);
				sw = W;
				sh = (int)((int64_t)img->h * W / img->w);
			}
			image_destroy(img);
		}
	}
	if (max_h > 0 && sh > max_h) {
		sw = tex ? (int)((int64_t)sw * max_h / sh) : sw;
		sh = max_h;
	}
	if (sh < 1)
		sh = 1;
	struct leaflet_line *ln = push_line(lo);
	ln->kind = LEAFLET_LINE_PICTURE;
	ln->x = (W - sw) / 2;
	ln->y = b->y;
	ln->w = sw;
	ln->h = sh;
	ln->block = block_index;
	ln->keep_with_next = blk->n_runs > 0;
	ln->picture_missing = tex == NULL;
	lo->priv[lo->n_lines - 1].picture = tex;
	b->y += sh;
	if (blk->n_runs > 0) {
		b->y += caption_gap;
		layout_text(b, blk, block_index, caption_px, 0, 0, NULL, 0,
			    PLACE_CENTER, false, true);
	}
}

static bool is_item(const struct leaflet_block *blk)
{
	return blk->kind == LEAFLET_BULLET || blk->kind == LEAFLET_NUMBERED;
}

static void marker_text(const struct leaflet_block *blk, char *buf, size_t n)
{
	if (blk->kind == LEAFLET_BULLET)
		snprintf(buf, n, "%s", bullet_utf8);
	else
		snprintf(buf, n, "%ld.", blk->number);
}

struct leaflet_layout *leaflet_layout_create(struct leaflet_view *lv,
					     const struct leaflet *doc,
					     const struct leaflet_layout_params *p)
{
	float scale = p->scale > 0 ? p->scale : 1.0f;
	int body = (int)lroundf((float)p->base_size_px * scale);
	if (p->width_px <= 0 || body <= 0 || body > 1000) {
		log_error("leaflet layout: width %d px, text %d px: cannot lay out",
			  p->width_px, body);
		return NULL;
	}
	struct leaflet_layout *lo = xcalloc(1, sizeof *lo);
	lo->lv = lv;
	lo->width_px = p->width_px;
	struct builder b = { .lo = lo, .lv = lv };

	static const float heading_scale[4] = { 1.0f, 1.6f, 1.35f, 1.15f };
	int caption_px = (int)lroundf((float)body * 0.85f);
	int para_gap = (int)lroundf((float)body * 0.6f);
	int item_gap = (int)lroundf((float)body * 0.25f);
	int gutter = 0, marker_right = 0;
	int after = 0;     /* space the previous block wants below it */

	for (size_t i = 0; i < doc->n_blocks; i++) {
		const struct leaflet_block *blk = &doc->blocks[i];
		const struct leaflet_block *next = i + 1 < doc->n_blocks
						   ? &doc->blocks[i + 1] : NULL;
		int before = 0;
		switch (blk->kind) {
		case LEAFLET_HEADING:
			before = (int)lroundf((float)body * (1.2f - 0.2f * (float)blk->level));
			break;
		case LEAFLET_PICTURE:
			before = para_gap;
			break;
		default:
			break;
		}
		if (i > 0)
			b.y += before > after ? before : after;

		switch (blk->kind) {
		case LEAFLET_HEADING: {
			int lvl = blk->level < 1 ? 1 : blk->level > 3 ? 3 : blk->level;
			int size = (int)lroundf((float)body * heading_scale[lvl]);
			layout_text(&b, blk, i, size, LEAFLET_BOLD, 0, NULL, 0,
				    PLACE_LEFT, true, false);
			after = (int)lroundf((float)body * 0.35f);
			break;
		}
		case LEAFLET_PARAGRAPH:
			layout_text(&b, blk, i, body, 0, 0, NULL, 0, PLACE_LEFT,
				    false, false);
			after = para_gap;
			break;
		case LEAFLET_BULLET:
		case LEAFLET_NUMBERED: {
			if (i == 0 || doc->blocks[i - 1].kind != blk->kind) {
				/* a new list: its gutter fits its widest marker */
				int widest = 0;
				for (size_t k = i; k < doc->n_blocks &&
				     doc->blocks[k].kind == blk->kind; k++) {
					char m[32];
					marker_text(&doc->blocks[k], m, sizeof m);
					int mw = cached_width(lv, 0, body, m, strlen(m));
					if (mw > widest)
						widest = mw;
				}
				marker_right = body / 2 + widest;
				gutter = marker_right + body / 2;
			}
			char m[32];
			marker_text(blk, m, sizeof m);
			layout_text(&b, blk, i, body, 0, gutter, m, marker_right,
				    PLACE_LEFT, false, false);
			after = next && is_item(next) && next->kind == blk->kind
				? item_gap : para_gap;
			break;
		}
		case LEAFLET_PICTURE:
			layout_picture(&b, blk, i, p->max_picture_h_px, caption_px,
				       item_gap);
			after = para_gap;
			break;
		}
	}
	lo->height = b.y;

	/* the arrays are final: point segments at their text, lines at
	 * their segments */
	for (size_t i = 0; i < lo->n_segs; i++)
		lo->segs[i].text = lo->arena + lo->seg_text[i];
	for (size_t i = 0; i < lo->n_lines; i++)
		lo->lines[i].segs = lo->lines[i].n_segs ? &lo->segs[lo->priv[i].seg0]
					      : NULL;
	free(b.flat);
	free(b.fst);
	free(b.words);
	free(b.spans);
	return lo;
}

void leaflet_layout_destroy(struct leaflet_layout *lo)
{
	if (!lo)
		return;
	for (size_t i = 0; i < lo->n_lines; i++)
		if (lo->priv[i].picture)
			SDL_DestroyTexture(lo->priv[i].picture);
	free(lo->lines);
	free(lo->priv);
	free(lo->segs);
	free(lo->seg_text);
	free(lo->arena);
	free(lo);
}

int leaflet_layout_height(const struct leaflet_layout *lo)
{
	return lo->height;
}

size_t leaflet_layout_line_count(const struct leaflet_layout *lo)
{
	return lo->n_lines;
}

const struct leaflet_line *leaflet_layout_line(const struct leaflet_layout *lo,
					       size_t i)
{
	return i < lo->n_lines ? &lo->lines[i] : NULL;
}

/* ------------------------------------------------------------------ */
/* Scrolling and drawing                                               */
/* ------------------------------------------------------------------ */

/* Index of the first line whose bottom is below y. */
static size_t first_below(const struct leaflet_layout *lo, int y)
{
	size_t lo_i = 0, hi = lo->n_lines;
	while (lo_i < hi) {
		size_t mid = (lo_i + hi) / 2;
		const struct leaflet_line *ln = &lo->lines[mid];
		if (ln->y + ln->h <= y)
			lo_i = mid + 1;
		else
			hi = mid;
	}
	return lo_i;
}

int leaflet_layout_page_down(const struct leaflet_layout *lo, int top_px,
			     int view_h)
{
	int max_top = lo->height - view_h;
	if (max_top < 0)
		max_top = 0;
	if (view_h <= 0)
		return top_px < max_top ? top_px : max_top;
	size_t i = first_below(lo, top_px + view_h);
	int next = top_px + view_h;
	if (i < lo->n_lines) {
		while (i > 0 && lo->lines[i - 1].keep_with_next &&
		       lo->lines[i - 1].y > top_px)
			i--;
		if (lo->lines[i].y > top_px)
			next = lo->lines[i].y;
	}
	if (next > max_top)
		next = max_top;
	if (next < top_px)
		next = top_px;
	return next;
}

int leaflet_layout_draw(struct leaflet_layout *lo, const SDL_Rect *viewport,
			int scroll_px, SDL_Color color)
{
	struct leaflet_view *lv = lo->lv;
	SDL_Renderer *ren = lv->renderer;
	SDL_Rect old_clip;
	bool had_clip = SDL_RenderIsClipEnabled(ren);
	SDL_RenderGetClipRect(ren, &old_clip);
	SDL_RenderSetClipRect(ren, viewport);
	Uint8 dr, dg, db, da;
	SDL_GetRenderDrawColor(ren, &dr, &dg, &db, &da);

	int drawn = 0;
	for (size_t i = first_below(lo, scroll_px); i < lo->n_lines; i++) {
		const struct leaflet_line *ln = &lo->lines[i];
		if (ln->y >= scroll_px + viewport->h)
			break;
		int oy = viewport->y + ln->y - scroll_px;
		int ox = viewport->x;
		drawn++;
		if (ln->kind == LEAFLET_LINE_PICTURE) {
			SDL_Rect r = { ox + ln->x, oy, ln->w, ln->h };
			if (lo->priv[i].picture) {
				SDL_RenderCopy(ren, lo->priv[i].picture, NULL, &r);
			} else {
				SDL_SetRenderDrawColor(ren, 128, 128, 128, 255);
				SDL_RenderFillRect(ren, &r);
				SDL_SetRenderDrawColor(ren, 96, 96, 96, 255);
				SDL_RenderDrawRect(ren, &r);
			}
			continue;
		}
		SDL_Color c = color;
		if (ln->caption)
			c.a = (Uint8)(c.a * 4 / 5);
		for (size_t k = 0; k < ln->n_segs; k++) {
			const struct leaflet_seg *sg = &ln->segs[k];
			struct text_style ts = text_style_of(sg->style, ln->size_px, c);
			text_draw_line(lv->te, sg->text, ox + sg->x, oy, 0, &ts);
		}
	}

	SDL_SetRenderDrawColor(ren, dr, dg, db, da);
	SDL_RenderSetClipRect(ren, had_clip ? &old_clip : NULL);
	return drawn;
}
