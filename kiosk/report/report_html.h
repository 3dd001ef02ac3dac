/*
 * report_html: the yearly report as one HTML page (report.html), written
 * from the figures (figures.h).
 *
 * One self-contained UTF-8 file: inline CSS and SVG charts, no scripts,
 * no reference to anything outside the file (no fonts, no pictures, no
 * links to load). It reads on a screen (a column of at most 60em) and
 * prints on A4: table rows and charts are not split across pages,
 * headings stay with what follows them, charts scale to the page width,
 * text is black. Every chart carries its numbers as text as well, so a
 * PDF printed from the page holds them.
 *
 * Sections, in order: the title with the period and the number of kiosks
 * and logs; the totals (sessions, views, hours watched, completion rate);
 * the national plan's target of 15 to 20 % of products in minority and
 * foreign languages (share of products and share of views, each on a
 * gauge against the band, with the verdict in words); by language (table
 * and bars, coloured by kind); by topic (the seven core conventions, then
 * the other topics; table and bars); by item; by site; by month (columns
 * and table); quizzes (totals, by topic, class contests); kiosk health
 * (per kiosk, then the most frequent problems). A section without data
 * says so in a sentence instead of an empty table.
 *
 * Labels are in Vietnamese ("vi", the default) or English ("en"), kept in
 * report_html.c like report_quiz's: the report is read by the province's
 * officers, not shown to visitors. Numbers are written the language's way:
 * 1.234,5 and 17,5 % in Vietnamese, 1,234.5 and 17.5% in English; dates
 * dd/mm/yyyy in Vietnamese, yyyy-mm-dd in English.
 *
 * The verdict on the target compares the share as shown, rounded to one
 * decimal of a percent: 14,96 % is shown as 15,0 % and counts as reached.
 * Below 15 % is "not reached"; 15 % to 20 % "reached"; above 20 %
 * "reached and exceeded".
 */
#ifndef KIOSK_REPORT_REPORT_HTML_H
#define KIOSK_REPORT_REPORT_HTML_H

#include <stdbool.h>
#include <stdio.h>

#include "i18n/lang.h"
#include "report/figures.h"

/* The file name report_html_write's output goes to in the report's
 * directory. */
#define REPORT_HTML_FILENAME "report.html"

/* Write the page for f to out. langs (may be NULL) names the languages:
 * endonym and Vietnamese name, else the tag alone. ui_lang: "vi" (or
 * NULL) or "en". Returns false when ui_lang is neither (with a message on
 * stderr, "kiosk report: ...") or when writing failed (out's error flag
 * set); the caller opens and closes out, and checks fclose. Reads f only;
 * any thread. */
bool report_html_write(const struct report_figures *f,
		       const struct lang_registry *langs, const char *ui_lang,
		       FILE *out);

#endif
