/*
 * vnkey: Vietnamese typing on a keyboard without Vietnamese letters, by
 * the two methods people know: Telex (aa -> â, aw -> ă, ow -> ơ, uw -> ư,
 * dd -> đ; tones s f r x j, z to remove) and VNI (6 -> â ê ô, 7 -> ơ ư,
 * 8 -> ă, 9 -> đ; tones 1-5, 0 to remove).
 *
 * The on-screen keyboard keeps the keys typed for the word being written
 * and asks for the word they make after every key (so Backspace simply
 * drops the last key). The tone mark goes where the modern rules put it
 * (hoà, thuỷ), or the older ones (hòa, thủy) when asked: on the vowel
 * with a hat or horn (quyền, người, giữ); in "oa", "oe", "uy" on the
 * second vowel (modern) or the first (older); otherwise on the last vowel
 * before a final consonant (toán) and on the first of two open vowels
 * (mía, hài), the middle of three (ngoài). "qu" and "gi" before a vowel
 * are consonants. A key pressed twice takes its effect back and types
 * itself (aaa -> aa, ass -> as). Output is NFC UTF-8; capitals are kept.
 */
#ifndef KIOSK_I18N_VNKEY_H
#define KIOSK_I18N_VNKEY_H

#include <stdbool.h>
#include <stddef.h>

enum vnkey_method {
	VNKEY_TELEX,
	VNKEY_VNI,
};

enum vnkey_tones {
	VNKEY_TONES_MODERN,     /* hoà, thuỷ */
	VNKEY_TONES_OLD,        /* hòa, thủy */
};

/* The word the ASCII keys make (letters, digits for VNI), as NFC UTF-8
 * in out (at most out_size bytes, always terminated). Keys that are not
 * letters or method keys are copied as they are. Returns false when out
 * was too small. */
bool vnkey_word(enum vnkey_method method, enum vnkey_tones tones,
		const char *keys, char *out, size_t out_size);

/* A whole text typed key by key: words (runs of letters and digits) are
 * composed with vnkey_word, everything else copied. Same return. */
bool vnkey_text(enum vnkey_method method, enum vnkey_tones tones,
		const char *keys, char *out, size_t out_size);

/* s made comparable for searching: lower case, with the marks of
 * Vietnamese and of the minority orthographies taken off (ê, ế, ệ -> e;
 * đ -> d; ĕ -> e; ƀ -> b), composed or not (NFD marks dropped). Other
 * characters are kept. Returns false when out was too small. */
bool vnkey_fold(const char *s, char *out, size_t out_size);

#endif
