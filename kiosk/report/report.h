/*
 * report: figures from one or more kiosk logs.
 */
#ifndef KIOSK_REPORT_REPORT_H
#define KIOSK_REPORT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct report_period {
	int64_t from_day;   /* inclusive, days since 1970-01-01 (local date) */
	int64_t to_day;     /* inclusive */
};

/* Write views per item and language in the period as CSV to out:
 *   item,language,views,seconds,completed
 * followed by a blank line and per-language totals:
 *   language,views,seconds,share_of_views
 * reading every database in paths[0..n). Rows present in several files
 * (same event uuid) are counted once. Returns false with a message on
 * stderr when a file cannot be read. */
bool report_views_csv(const char *const *paths, int n,
		      const struct report_period *period, FILE *out);

#endif
