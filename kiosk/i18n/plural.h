/*
 * plural: the plural rule of a gettext PO file, read from its header's
 * "Plural-Forms:" value and evaluated for a count.
 *
 * GNU libintl has an evaluator, but it is internal, and its ngettext wants
 * an installed system locale, which the minority languages do not have.
 * So this is a small recursive-descent parser for exactly the C subset
 * gettext allows, nothing more:
 *
 *   nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 &&
 *                       (n%100<10 || n%100>=20) ? 1 : 2);
 *
 * The value is `nplurals=N;` and `plural=EXPR;`, each once, in either
 * order, the last ';' optional, white space anywhere between tokens.
 * nplurals is 1 to 16. EXPR uses the variable n, unsigned decimal
 * numbers, parentheses, unary !, binary * / % + - < > <= >= == != && ||
 * and ?: (right-associative), with C's precedence. Arithmetic is on
 * unsigned long as in gettext (so n-1 wraps for n = 0); comparisons and
 * logical operators give 0 or 1; && and || short-circuit. Division or
 * modulo by zero gives 0 instead of crashing. Anything else (other
 * identifiers, unary minus, trailing text, a number too large, nesting
 * deeper than PLURAL_MAX_DEPTH) is rejected with a message.
 *
 * A parsed rule is immutable: any thread may evaluate it.
 */
#ifndef KIOSK_I18N_PLURAL_H
#define KIOSK_I18N_PLURAL_H

#include <stddef.h>

/* Most forms a language may declare (Arabic, the most, has 6). */
#define PLURAL_MAX_FORMS 16

/* Deepest nesting accepted, counting parentheses, operators inside
 * operators and ternary branches; real rules need fewer than 10. It keeps
 * the parser's and the evaluator's recursion bounded whatever the input. */
#define PLURAL_MAX_DEPTH 64

struct plural;

/* Parse a Plural-Forms header value (the text after "Plural-Forms:", as
 * po_header_field returns it). Returns a new rule that the caller frees
 * with plural_destroy, or NULL with the reason (and the 1-based column in
 * header_value where it was found, when there is one) written to err, a
 * buffer of errlen bytes, always terminated; err may be NULL when errlen
 * is 0. */
struct plural *plural_parse(const char *header_value, char *err, size_t errlen);

/* Accepts NULL. */
void plural_destroy(struct plural *p);

/* The number of forms the header declared (1..PLURAL_MAX_FORMS). */
unsigned plural_nplurals(const struct plural *p);

/* Which form (the i of msgstr[i]) to use for a count of n. A result the
 * expression gives that is not below nplurals is clamped to 0, as GNU
 * gettext does, so the return is always < plural_nplurals(p). */
unsigned plural_index(const struct plural *p, unsigned long n);

#endif
