/*
 * outfile: writing one report file whole or not at all.
 *
 * The file is written to "<path>.tmp" and renamed into place once written
 * and closed without error, so a reader (or a spreadsheet opened on it)
 * never sees half a report, and a failed write leaves the previous file.
 */
#ifndef KIOSK_REPORT_OUTFILE_H
#define KIOSK_REPORT_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

/* Fills the open file; errors are left in its error flag. */
typedef void outfile_fill_fn(FILE *out, const void *data);

/* Write dir/name with fill(out, data). Returns true when written; false
 * after a message on stderr beginning with prefix and naming the file. */
bool outfile_write(const char *dir, const char *name, outfile_fill_fn *fill,
		   const void *data, const char *prefix);

/* Create dir and its parents; false after a message beginning with prefix
 * naming dir. */
bool outfile_mkdir(const char *dir, const char *prefix);

#endif
