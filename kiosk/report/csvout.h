/*
 * csvout: writing CSV cells and rows for the reports, the one place that
 * knows how a cell is quoted and neutralised.
 *
 * RFC 4180: cells separated by commas, rows ended by CRLF; a cell holding
 * a comma, a double quote, CR or LF is quoted, with quotes doubled. Text is
 * written as UTF-8 with invalid bytes replaced by U+FFFD. A text cell that
 * begins with = + - @ tab or CR gets a leading apostrophe, so that a
 * spreadsheet shows it instead of running it as a formula (a student may
 * type "=HYPERLINK(...)" as a name). Numbers never take the locale's
 * decimal comma: one decimal for seconds, four for fractions.
 *
 * The caller writes the separators (csvout_sep) and row ends (csvout_eol)
 * around cells, or whole text rows with csvout_row. Errors are left in the
 * FILE's error flag for the caller to check once at the end.
 */
#ifndef KIOSK_REPORT_CSVOUT_H
#define KIOSK_REPORT_CSVOUT_H

#include <stdint.h>
#include <stdio.h>

/* The UTF-8 byte order mark. Spreadsheets (Excel) read a CSV file as UTF-8
 * only when it starts with one; write it first when the file is meant to
 * be opened there. */
#define CSVOUT_BOM "\xEF\xBB\xBF"

/* Write the byte order mark. */
void csvout_bom(FILE *out);

/* Write one text cell, quoted and neutralised as described above. NULL
 * writes an empty cell. */
void csvout_text(FILE *out, const char *s);

/* Write seconds (negative counts as 0) with one decimal: "12.5". */
void csvout_seconds(FILE *out, double seconds);

/* Write num / den rounded to four decimals: "0.1750"; 0 when den <= 0.
 * num and den are counts (non-negative, below 2^49). */
void csvout_fraction(FILE *out, int64_t num, int64_t den);

/* Write a day number (days since 1970-01-01) as YYYY-MM-DD; an empty cell
 * when day < 0. */
void csvout_day(FILE *out, int64_t day);

/* Write an integer cell. */
void csvout_int(FILE *out, int64_t v);

/* The separator between two cells of a row. */
void csvout_sep(FILE *out);

/* The end of a row (CRLF). */
void csvout_eol(FILE *out);

/* A whole row of n text cells (for headers), ended by CRLF. */
void csvout_row(FILE *out, const char *const *cells, int n);

#endif
