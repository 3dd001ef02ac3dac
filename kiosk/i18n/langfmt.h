/*
 * langfmt: dates and numbers written the way a language writes them.
 *
 * Each language says in languages.json how it writes dates ("date_format",
 * dd/mm/yyyy by default: the Vietnamese way) and numbers ("digit_group"
 * and "decimal_mark", "." and "," by default: 1.234,5). lang may be NULL
 * for those defaults. Every function writes a NUL-terminated string of at
 * most size bytes (cut if it does not fit) and returns out.
 */
#ifndef KIOSK_I18N_LANGFMT_H
#define KIOSK_I18N_LANGFMT_H

#include <stddef.h>
#include <stdint.h>

#include "i18n/lang.h"

/* A calendar date: "10/12/1948" for vi. Out-of-range months or days are
 * written as they are; the caller validated them. */
char *langfmt_date(const struct lang *lang, int year, int month, int day,
		   char *out, size_t size);

/* A date given as days since 1970-01-01 (as date_parse_days gives). */
char *langfmt_date_days(const struct lang *lang, int64_t days, char *out,
			size_t size);

/* A whole number with digit groups of three: "1.234.567" for vi,
 * "1,234,567" for en; "-1.234". Numbers under 10 000 are grouped too
 * ("1.234"), as Vietnamese print does. */
char *langfmt_int(const struct lang *lang, long long value, char *out,
		  size_t size);

/* A number rounded to decimals places (0..6) with the language's marks:
 * "12,5" for vi, "12.5" for en; the whole part grouped as langfmt_int. */
char *langfmt_decimal(const struct lang *lang, double value, int decimals,
		      char *out, size_t size);

#endif
