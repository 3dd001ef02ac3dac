/*
 * htmlout: what the reports' HTML pages share: escaped text, dates, and the
 * page frame with a common stylesheet.
 *
 * The pages are self-contained (inline CSS and SVG, no scripts, nothing
 * loaded from elsewhere), UTF-8, readable on a screen and printable on A4
 * (@page A4 with margins, table rows and headings kept from splitting
 * badly). Errors are left in the FILE's error flag for the caller to check
 * once at the end.
 */
#ifndef KIOSK_REPORT_HTMLOUT_H
#define KIOSK_REPORT_HTMLOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The stylesheet every report page starts from: A4 page, body, headings,
 * tables (td.num / th.num right-aligned), .period, .meta, .note, .muted,
 * and print rules. A page adds its own rules after it (htmlout_begin). */
extern const char htmlout_style[];

/* Write text (from a log, or a label) escaped for HTML text and attribute
 * values, and for SVG text inside HTML: & < > " ' as references, invalid
 * UTF-8 and control characters (other than tab and line breaks) as
 * U+FFFD. NULL writes nothing. */
void htmlout_text(FILE *out, const char *s);

/* The same, cut to at most max_chars code points: a longer text ends with
 * "…" in place of its last shown character (for chart labels). */
void htmlout_text_cut(FILE *out, const char *s, size_t max_chars);

/* A date given as days since 1970-01-01 (as date_parse_days gives):
 * dd/mm/yyyy when dmy (the Vietnamese way), else yyyy-mm-dd. Days beyond
 * +-100 000 000 are written as that bound. */
void htmlout_day(FILE *out, int64_t day, bool dmy);

/* The words of a report's period line, in the page's language. */
struct htmlout_period_words {
	const char *period;      /* "Period" */
	const char *all_dates;   /* "all dates" */
	const char *on_day;      /* before a single day; "" for none */
	const char *from;        /* "from" */
	const char *until;       /* "until" */
	const char *to;          /* "to" */
};

/* The paragraph <p class="period"> saying which days [from_day, to_day]
 * cover; from_day <= 0 and to_day at 9999-12-31 are open ends. Dates as
 * htmlout_day with dmy. */
void htmlout_period(FILE *out, int64_t from_day, int64_t to_day, bool dmy,
		    const struct htmlout_period_words *w);

/* The start of a page, up to and including <body>: doctype, <html
 * lang="lang">, charset, viewport, the escaped title, htmlout_style then
 * extra_style (NULL: none). */
void htmlout_begin(FILE *out, const char *lang, const char *title,
		   const char *extra_style);

/* The end of a page: </body></html>. */
void htmlout_end(FILE *out);

#endif
