/*
 * report_csv: the yearly report's figures as CSV files for spreadsheets.
 *
 * Every file is UTF-8 with a byte order mark (so Excel reads the
 * diacritics), RFC 4180 with CRLF, cells neutralised against formulas
 * (csvout.h). Headers are fixed English identifiers, so a spreadsheet
 * built on the files keeps working year after year; the HTML report is
 * the one labelled for people. Days are written YYYY-MM-DD, seconds with
 * one decimal, shares as fractions with four decimals (0.1750 = 17.5 %).
 *
 *   report-totals.csv     figure,value: the period, logs, kiosks,
 *                         sessions, views, hours, completion, the target
 *   report-items.csv      item_id,title,kind,topics,views,seconds,
 *                         average_seconds,completed,completion_rate
 *   report-languages.csv  language,kind,sessions,views,share_of_views,
 *                         seconds,completed,products,share_of_products
 *   report-topics.csv     topic,items,views,share_of_views,seconds,
 *                         completed
 *   report-sites.csv      site,kiosks,first_day,last_day,days,sessions,
 *                         views,seconds
 *   report-months.csv     month,sessions,views,seconds,completed
 *   report-quiz.csv       topic,attempts,answers,right,share_right
 *   report-contests.csv   day,class,site,kiosk,questions,students,
 *                         average_score,best_score
 *   report-health.csv     kiosk,version,first_day,last_day,runs,clean,
 *                         crashes,power_cuts,uptime_hours,errors,warnings
 *   report-problems.csv   severity,message,count,kiosks,last_day
 */
#ifndef KIOSK_REPORT_REPORT_CSV_H
#define KIOSK_REPORT_REPORT_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "report/figures.h"

/* The files, in the order they are written. */
extern const char *const report_csv_names[];
extern const size_t report_csv_count;

/* Write every file into dir (which exists). Returns false after a message
 * on stderr naming the file that could not be written. */
bool report_csv_write(const struct report_figures *f, const char *dir);

#endif
