/*
 * keyboard: on-screen keyboard with Telex/VNI (see keyboard.h).
 */
#include "ui/keyboard.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "i18n/vnkey.h"
#include "ui/draw.h"
#include "ui/text.h"

#define LONG_PRESS_MS 500
#define MAX_KEYS 48
#define MAX_ALTS 8
#define TEXT_MAX 256
#define WORD_MAX 32

enum key_kind { KEY_CHAR, KEY_SHIFT, KEY_BACK, KEY_SPACE, KEY_METHOD, KEY_DONE };

struct key {
	enum key_kind kind;
	char ch;                /* KEY_CHAR: the ASCII key */
	SDL_Rect r;
};

/* Letters offered on a long press: the Vietnamese ones built on the key
 * and those of the Central Highlands orthographies (Ê Đê, Jrai, Bahnar,
 * M'nông ...: ƀ č ñ and the short vowels with a breve, also over ê ô ơ
 * ư, written with U+0306). Facts of the alphabets, not words. Capitals
 * when Shift is on. */
static const struct {
	char base;
	const char *lower[MAX_ALTS];
	const char *upper[MAX_ALTS];
} alternates[] = {
	{ 'a', { "â", "ă", "á", "à", NULL }, { "Â", "Ă", "Á", "À", NULL } },
	{ 'b', { "ƀ", NULL }, { "Ƀ", NULL } },
	{ 'c', { "č", NULL }, { "Č", NULL } },
	{ 'd', { "đ", NULL }, { "Đ", NULL } },
	{ 'e', { "ê", "ĕ", "ê\u0306", "é", "è", NULL },
	       { "Ê", "Ĕ", "Ê\u0306", "É", "È", NULL } },
	{ 'i', { "ĭ", "í", "ì", NULL }, { "Ĭ", "Í", "Ì", NULL } },
	{ 'n', { "ñ", NULL }, { "Ñ", NULL } },
	{ 'o', { "ô", "ơ", "ŏ", "ô\u0306", "ơ\u0306", "ó", "ò", NULL },
	       { "Ô", "Ơ", "Ŏ", "Ô\u0306", "Ơ\u0306", "Ó", "Ò", NULL } },
	{ 'u', { "ư", "ŭ", "ư\u0306", "ú", "ù", NULL },
	       { "Ư", "Ŭ", "Ư\u0306", "Ú", "Ù", NULL } },
	{ 'y', { "ý", "ỳ", NULL }, { "Ý", "Ỳ", NULL } },
};

/* Digits on top: VNI types with them (6 -> â, 1-5 tones). */
static const char *const rows[4] = { "1234567890", "qwertyuiop", "asdfghjkl",
				     "zxcvbnm" };

struct keyboard {
	char text[TEXT_MAX];    /* committed text */
	char keys[WORD_MAX + 1]; /* raw keys of the word being typed */
	char shown[TEXT_MAX + WORD_MAX * 4];
	enum vnkey_method method;
	bool telex_on;          /* false: letters as they are */
	bool shift;
	struct key keys_at[MAX_KEYS];
	int n_keys;
	int pressed;            /* key index under the finger, -1 */
	int64_t pressed_ms;
	/* a long press open: its letters and where they are */
	bool alts_open;
	bool alts_fresh;        /* the finger that opened them is still down */
	const char *const *alts;
	SDL_Rect alt_r[MAX_ALTS];
	int n_alts;
	int focus;              /* key index for arrows, -1 */
};

static void refresh(struct keyboard *kb)
{
	char word[WORD_MAX * 4 + 1] = "";
	if (kb->telex_on)
		vnkey_word(kb->method, VNKEY_TONES_MODERN, kb->keys, word, sizeof word);
	else
		snprintf(word, sizeof word, "%s", kb->keys);
	snprintf(kb->shown, sizeof kb->shown, "%s%s", kb->text, word);
}

struct keyboard *keyboard_create(void)
{
	struct keyboard *kb = xcalloc(1, sizeof *kb);
	kb->method = VNKEY_TELEX;
	kb->telex_on = true;
	kb->pressed = -1;
	kb->focus = 0;
	refresh(kb);
	return kb;
}

void keyboard_destroy(struct keyboard *kb)
{
	free(kb);
}

const char *keyboard_text(struct keyboard *kb)
{
	return kb->shown;
}

void keyboard_clear(struct keyboard *kb)
{
	kb->text[0] = '\0';
	kb->keys[0] = '\0';
	refresh(kb);
}

/* The word being typed becomes committed text. */
static void commit_word(struct keyboard *kb)
{
	char word[WORD_MAX * 4 + 1] = "";
	if (kb->telex_on)
		vnkey_word(kb->method, VNKEY_TONES_MODERN, kb->keys, word, sizeof word);
	else
		snprintf(word, sizeof word, "%s", kb->keys);
	size_t n = strlen(kb->text);
	snprintf(kb->text + n, sizeof kb->text - n, "%s", word);
	kb->keys[0] = '\0';
}

static void append_text(struct keyboard *kb, const char *s)
{
	commit_word(kb);
	size_t n = strlen(kb->text);
	if (n + strlen(s) < sizeof kb->text)
		memcpy(kb->text + n, s, strlen(s) + 1);
}

/* Remove the last UTF-8 character of the committed text. */
static void drop_last_char(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && ((unsigned char)s[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		n--;
	s[n] = '\0';
}

/* One more key of the word being typed; false when there is no room. */
static bool add_char(struct keyboard *kb, char c)
{
	size_t n = strlen(kb->keys);
	if (n + 1 >= sizeof kb->keys || strlen(kb->shown) + 8 >= TEXT_MAX)
		return false;
	kb->keys[n] = c;
	kb->keys[n + 1] = '\0';
	return true;
}

static enum keyboard_result press(struct keyboard *kb, const struct key *k)
{
	size_t n = strlen(kb->keys);
	switch (k->kind) {
	case KEY_CHAR:
		add_char(kb, kb->shift ? (char)toupper((unsigned char)k->ch) : k->ch);
		kb->shift = false;
		break;
	case KEY_SHIFT:
		kb->shift = !kb->shift;
		return KEYBOARD_NOTHING;
	case KEY_BACK:
		if (n > 0)
			kb->keys[n - 1] = '\0';     /* undoes the last key */
		else
			drop_last_char(kb->text);
		break;
	case KEY_SPACE:
		append_text(kb, " ");
		break;
	case KEY_METHOD:
		commit_word(kb);
		/* Telex -> VNI -> plain letters -> Telex */
		if (!kb->telex_on) {
			kb->telex_on = true;
			kb->method = VNKEY_TELEX;
		} else if (kb->method == VNKEY_TELEX) {
			kb->method = VNKEY_VNI;
		} else {
			kb->telex_on = false;
		}
		return KEYBOARD_NOTHING;
	case KEY_DONE:
		commit_word(kb);
		refresh(kb);
		return KEYBOARD_DONE;
	}
	refresh(kb);
	return KEYBOARD_CHANGED;
}

/* The index of the OK key as last laid out, or -1. */
static int done_key(const struct keyboard *kb)
{
	for (int i = 0; i < kb->n_keys; i++)
		if (kb->keys_at[i].kind == KEY_DONE)
			return i;
	return -1;
}

enum keyboard_result keyboard_type(struct keyboard *kb, const char *utf8)
{
	bool changed = false;
	size_t len = strlen(utf8);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int n = utf8_decode(utf8 + i, len - i, &cp);
		if (cp < 0x80 && isalnum((int)cp)) {
			changed |= add_char(kb, (char)cp);
		} else if (cp >= 0x20 && cp != 0x7F && cp != 0xFFFD) {
			char one[5];
			memcpy(one, utf8 + i, (size_t)n);
			one[n] = '\0';
			if (strlen(kb->shown) + (size_t)n + 1 < TEXT_MAX) {
				append_text(kb, one);
				changed = true;
			}
		}
		i += (size_t)n;
	}
	kb->alts_open = false;
	int ok = done_key(kb);
	if (ok >= 0)
		kb->focus = ok;
	if (!changed)
		return KEYBOARD_NOTHING;
	refresh(kb);
	return KEYBOARD_CHANGED;
}

enum keyboard_result keyboard_erase(struct keyboard *kb)
{
	struct key back = { .kind = KEY_BACK };
	return press(kb, &back);
}

static int key_at(const struct keyboard *kb, int x, int y)
{
	for (int i = 0; i < kb->n_keys; i++) {
		const SDL_Rect *r = &kb->keys_at[i].r;
		if (x >= r->x && y >= r->y && x < r->x + r->w && y < r->y + r->h)
			return i;
	}
	return -1;
}

static const char *const *alts_for(char c, bool shift)
{
	for (size_t i = 0; i < sizeof alternates / sizeof alternates[0]; i++)
		if (alternates[i].base == c)
			return shift ? alternates[i].upper : alternates[i].lower;
	return NULL;
}

enum keyboard_result keyboard_event(struct keyboard *kb, struct app *app,
				    const struct ui_event *ev, int64_t now_ms)
{
	(void)app;
	switch (ev->type) {
	case UI_POINTER_DOWN:
		if (kb->alts_open)
			return KEYBOARD_NOTHING;
		kb->pressed = key_at(kb, ev->x, ev->y);
		kb->pressed_ms = now_ms;
		return KEYBOARD_NOTHING;
	case UI_POINTER_UP: {
		if (kb->alts_open) {
			for (int i = 0; i < kb->n_alts; i++) {
				const SDL_Rect *r = &kb->alt_r[i];
				if (ev->x >= r->x && ev->y >= r->y && ev->x < r->x + r->w &&
				    ev->y < r->y + r->h) {
					kb->alts_open = false;
					kb->shift = false;
					append_text(kb, kb->alts[i]);
					refresh(kb);
					return KEYBOARD_CHANGED;
				}
			}
			if (kb->alts_fresh)
				kb->alts_fresh = false; /* the long press let go */
			else
				kb->alts_open = false;  /* tapped outside: closed */
			return KEYBOARD_NOTHING;
		}
		int k = key_at(kb, ev->x, ev->y);
		int was = kb->pressed;
		kb->pressed = -1;
		if (k < 0 || k != was)
			return KEYBOARD_NOTHING;
		return press(kb, &kb->keys_at[k]);
	}
	case UI_POINTER_CANCEL:
		kb->pressed = -1;
		return KEYBOARD_NOTHING;
	case UI_NAV_LEFT:
	case UI_NAV_RIGHT:
	case UI_NAV_UP:
	case UI_NAV_DOWN: {
		struct ui_button b[MAX_KEYS];
		for (int i = 0; i < kb->n_keys; i++)
			b[i] = (struct ui_button){ kb->keys_at[i].r, i };
		int was = kb->focus;
		kb->focus = ui_focus_move(b, (size_t)kb->n_keys, kb->focus, ev->type);
		return ev->type == UI_NAV_UP && kb->focus == was ? KEYBOARD_LEAVE_UP
								 : KEYBOARD_NOTHING;
	}
	case UI_ACTIVATE:
		if (kb->focus >= 0 && kb->focus < kb->n_keys)
			return press(kb, &kb->keys_at[kb->focus]);
		return KEYBOARD_NOTHING;
	default:
		return KEYBOARD_NOTHING;
	}
}

int keyboard_tick(struct keyboard *kb, struct app *app, int64_t now_ms)
{
	if (kb->pressed < 0 || kb->alts_open)
		return -1;
	const struct key *k = &kb->keys_at[kb->pressed];
	const char *const *alts = k->kind == KEY_CHAR ? alts_for(k->ch, kb->shift) : NULL;
	if (!alts)
		return -1;
	int64_t left = kb->pressed_ms + LONG_PRESS_MS - now_ms;
	if (left > 0)
		return (int)left;
	kb->alts_open = true;
	kb->alts_fresh = true;
	kb->alts = alts;
	kb->pressed = -1;
	app_redraw(app);
	return -1;
}

static void add_key(struct keyboard *kb, enum key_kind kind, char ch, SDL_Rect r)
{
	if (kb->n_keys < MAX_KEYS)
		kb->keys_at[kb->n_keys++] = (struct key){ kind, ch, r };
}

/* The label drawn on key k (app NULL: the names keyboard_key_rect
 * knows: "SHIFT", "BACK", "SPACE"). */
static void key_label(const struct keyboard *kb, struct app *app,
		      const struct key *k, char *out, size_t size)
{
	switch (k->kind) {
	case KEY_CHAR:
		snprintf(out, size, "%c", kb->shift ? toupper((unsigned char)k->ch) : k->ch);
		break;
	case KEY_SHIFT:
		snprintf(out, size, "%s", !app ? "SHIFT" : kb->shift ? "abc" : "ABC");
		break;
	case KEY_BACK:
		snprintf(out, size, "%s", app ? app_tr(app, "Delete") : "BACK");
		break;
	case KEY_SPACE: snprintf(out, size, "%s", app ? " " : "SPACE"); break;
	case KEY_METHOD:
		snprintf(out, size, "%s", !kb->telex_on ? "abc"
					  : kb->method == VNKEY_TELEX ? "Telex" : "VNI");
		break;
	case KEY_DONE: snprintf(out, size, "OK"); break;
	}
}

void keyboard_draw(struct keyboard *kb, struct app *app, SDL_Rect box)
{
	SDL_Renderer *ren = app_renderer(app);
	int gap = box.w / 120 > 2 ? box.w / 120 : 2;
	int kw = (box.w - gap * 11) / 10;       /* ten keys across */
	int kh = (box.h - gap * 6) / 5;
	kb->n_keys = 0;
	draw_fill(ren, &box, COLOR_BG);
	for (int row = 0; row < 4; row++) {
		bool last = row == 3;
		int n = (int)strlen(rows[row]) + (last ? 2 : 0);
		int x = box.x + (box.w - n * kw - (n - 1) * gap) / 2;
		int y = box.y + gap + row * (kh + gap);
		if (last) {
			add_key(kb, KEY_SHIFT, 0, (SDL_Rect){ x, y, kw, kh });
			x += kw + gap;
		}
		for (const char *c = rows[row]; *c; c++, x += kw + gap)
			add_key(kb, KEY_CHAR, *c, (SDL_Rect){ x, y, kw, kh });
		if (last)
			add_key(kb, KEY_BACK, 0, (SDL_Rect){ x, y, kw, kh });
	}
	int y = box.y + gap + 4 * (kh + gap);
	int x = box.x + gap;
	add_key(kb, KEY_METHOD, 0, (SDL_Rect){ x, y, kw * 2 + gap, kh });
	x += kw * 2 + gap * 2;
	int space_w = box.w - (kw * 2 + gap) * 2 - gap * 4;
	add_key(kb, KEY_SPACE, 0, (SDL_Rect){ x, y, space_w, kh });
	x += space_w + gap;
	add_key(kb, KEY_DONE, 0, (SDL_Rect){ x, y, kw * 2 + gap, kh });

	for (int i = 0; i < kb->n_keys; i++) {
		char label[64];
		key_label(kb, app, &kb->keys_at[i], label, sizeof label);
		bool on = kb->keys_at[i].kind == KEY_SHIFT && kb->shift;
		draw_button(app, &kb->keys_at[i].r, label, NULL,
			    app_focus_visible(app) && kb->focus == i,
			    kb->pressed == i || on);
	}
	if (kb->alts_open) {
		/* the letters of a long press, in a row over the keyboard */
		kb->n_alts = 0;
		while (kb->n_alts < MAX_ALTS && kb->alts[kb->n_alts])
			kb->n_alts++;
		int aw = kw + gap * 2;
		int ax = box.x + (box.w - kb->n_alts * aw) / 2;
		SDL_Rect band = { ax - gap, box.y + box.h / 2 - kh, kb->n_alts * aw + gap,
				  kh * 2 };
		draw_fill(ren, &band, COLOR_BG);
		for (int i = 0; i < kb->n_alts; i++) {
			kb->alt_r[i] = (SDL_Rect){ ax + i * aw, band.y + kh / 2, kw + gap, kh };
			draw_button(app, &kb->alt_r[i], kb->alts[i], NULL, false, false);
		}
	}
}

bool keyboard_key_rect(const struct keyboard *kb, const char *label, SDL_Rect *out)
{
	for (int i = 0; i < kb->n_keys; i++) {
		char l[64];
		key_label(kb, NULL, &kb->keys_at[i], l, sizeof l);
		if (strcmp(l, label) == 0) {
			*out = kb->keys_at[i].r;
			return true;
		}
	}
	if (kb->alts_open) {
		for (int i = 0; i < kb->n_alts; i++)
			if (strcmp(kb->alts[i], label) == 0) {
				*out = kb->alt_r[i];
				return true;
			}
	}
	return false;
}

enum keyboard_result keyboard_field_event(struct keyboard *kb, struct app *app,
					  const struct ui_event *ev,
					  const SDL_Rect *box)
{
	if (ev->type == UI_TEXT)
		return keyboard_type(kb, ev->text);
	if (ev->type == UI_ERASE)
		return keyboard_erase(kb);
	if (ev->type == UI_BACK || (ev->type == UI_POINTER_UP && ev->y < box->y))
		return KEYBOARD_DONE;
	if (ev->type != UI_POINTER_DOWN || ev->y >= box->y)
		return keyboard_event(kb, app, ev, app_now_ms(app));
	return KEYBOARD_NOTHING;
}
