/*
 * keyboard: an on-screen keyboard for names and search. Letters are typed
 * through Telex or VNI (kiosk/i18n/vnkey.h: aa -> â, dd -> đ, s f r x j
 * tones), so a visitor can write Vietnamese without a Vietnamese
 * keyboard; a long press on a letter offers the letters of the minority
 * orthographies built on it (ĕ ĭ ŏ ŭ ƀ č ñ ê̆ ...; capitals with Shift).
 * Five rows (digits for VNI, three of letters, then the method, space
 * and OK) sized to the box it is given, so it fits portrait and
 * landscape screens. A physical keyboard types through it too
 * (keyboard_type).
 * Touch, mouse, and arrows + Enter (keyboard, gamepad) all type.
 *
 * Main thread only.
 */
#ifndef KIOSK_UI_KEYBOARD_H
#define KIOSK_UI_KEYBOARD_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "ui/app.h"

struct keyboard;

enum keyboard_result {
	KEYBOARD_NOTHING = 0,
	KEYBOARD_CHANGED,       /* the text changed */
	KEYBOARD_DONE,          /* the OK key */
	KEYBOARD_LEAVE_UP,      /* an Up arrow on the top row: to what is above */
};

struct keyboard *keyboard_create(void);
void keyboard_destroy(struct keyboard *kb);     /* accepts NULL */

/* The text typed so far (NFC UTF-8, the word being typed included). */
const char *keyboard_text(struct keyboard *kb);
void keyboard_clear(struct keyboard *kb);

/* Handle ev (pointer events inside the keys, arrows and Enter).
 * now_ms: the app clock, for long presses. */
enum keyboard_result keyboard_event(struct keyboard *kb, struct app *app,
				    const struct ui_event *ev, int64_t now_ms);

/* Text from a physical keyboard: ASCII letters (and VNI's digits) go
 * through Telex/VNI as if tapped, so "quyeenf" typed on any keyboard
 * makes "quyền"; a space ends the word; other characters (from a
 * Vietnamese input method, punctuation) are taken as they are. The
 * arrow focus moves to OK, so Enter then finishes. Returns
 * KEYBOARD_CHANGED, or KEYBOARD_NOTHING when nothing could be taken. */
enum keyboard_result keyboard_type(struct keyboard *kb, const char *utf8);

/* Backspace on a physical keyboard: as the on-screen BACK key. */
enum keyboard_result keyboard_erase(struct keyboard *kb);

/* A field typed on the keyboard drawn in box (the operator's pages): text
 * and Backspace from a physical keyboard, the keys in box; Back or a tap
 * above box finishes the typing as OK does (KEYBOARD_DONE). */
enum keyboard_result keyboard_field_event(struct keyboard *kb, struct app *app,
					  const struct ui_event *ev,
					  const SDL_Rect *box);

/* Long presses: ms until the keyboard needs a tick, -1 none. */
int keyboard_tick(struct keyboard *kb, struct app *app, int64_t now_ms);

/* Lay the keys out in box and draw them. */
void keyboard_draw(struct keyboard *kb, struct app *app, SDL_Rect box);

/* For tests: the rectangle of the key labelled label as last drawn: a
 * letter ("a"), "SHIFT", "BACK", "SPACE", "Telex"/"VNI"/"abc", "OK", or
 * a letter of an open long press ("ĕ"); false if none. */
bool keyboard_key_rect(const struct keyboard *kb, const char *label, SDL_Rect *out);

#endif
