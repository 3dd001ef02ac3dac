/*
 * report_quiz: class rankings and per-question analysis of the quizzes in
 * one or more kiosk logs, as CSV for spreadsheets and one printable HTML
 * page. The kiosk's own screens read a contest's class ranking back from
 * the log with report_quiz_ranking, so the teacher sees on the screen what
 * the report prints.
 *
 * Logs are merged as `kiosk report` merges them: each file is read
 * read-only and every row is keyed by its event uuid, so a row found in
 * several files (two exports of the same kiosk, a file named twice) counts
 * once. Logs older than schema version 3 have no quizzes and add nothing.
 *
 * Thread use: any thread; the functions share no state.
 */
#ifndef KIOSK_REPORT_REPORT_QUIZ_H
#define KIOSK_REPORT_REPORT_QUIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The files report_quiz_write writes into its directory. */
#define REPORT_QUIZ_RANKING_CSV "quiz-ranking.csv"
#define REPORT_QUIZ_QUESTIONS_CSV "quiz-questions.csv"
#define REPORT_QUIZ_HTML "quiz-report.html"

struct report_quiz_filter {
	const char *contest;     /* a contest uuid, or NULL: every contest */
	int64_t from_day;        /* local dates, days since 1970-01-01, */
	int64_t to_day;          /* inclusive (see struct report_period);
				  * INT64_MIN / INT64_MAX for all */
};

/* One student's attempt in a contest. */
struct report_quiz_rank {
	char *contest;           /* the contest's uuid */
	char *class_name;        /* as the teacher typed it; "" when the
				  * contest row is missing from the logs */
	char *site;              /* where the contest was held */
	int64_t started_ms;      /* the contest's start, wall ms (placed as
				  * described in report_quiz.c when logged
				  * before the clock was set) */
	int rank;                /* 1-based within its contest; ties share a
				  * rank (1, 1, 3) */
	char *player;            /* first name as typed; "" when none */
	int score;               /* right answers */
	int n_questions;         /* questions in the attempt */
	int answered;            /* questions answered */
	double seconds;          /* time the attempt took */
	bool completed;          /* every question answered */
};

/* Ranking of every contest attempt matching f (NULL: everything) in the
 * logs paths[0..n), merged: contests by start time (then uuid), then
 * within a contest by score (descending), seconds (ascending, compared in
 * tenths: attempts whose times round to the same 0.1 s and that have the
 * same score share a rank), then player name (byte order), then attempt
 * uuid. A contest's period is the local date of its start.
 *
 * An attempt the kiosk never ended (power cut, or a turn still under way)
 * is ranked on the answers it logged: score = right answers, answered =
 * answers that did not time out, seconds = the sum of the answers' times,
 * not completed.
 *
 * On success *rows is a new array of *n_rows rows (NULL when none) that
 * the caller frees with report_quiz_ranks_free. Returns false with a
 * message on stderr naming the file when a log cannot be read (*rows is
 * then NULL). */
bool report_quiz_ranking(const char *const *paths, int n,
			 const struct report_quiz_filter *f,
			 struct report_quiz_rank **rows, size_t *n_rows);

/* Free rows[0..n) and the array. Accepts NULL. */
void report_quiz_ranks_free(struct report_quiz_rank *rows, size_t n);

/* Write REPORT_QUIZ_RANKING_CSV, REPORT_QUIZ_QUESTIONS_CSV and
 * REPORT_QUIZ_HTML into dir (created with its parents if missing; existing
 * files replaced whole), for the attempts matching f (NULL: everything),
 * labels in lang: "vi" (also when NULL) or "en". The per-question analysis
 * counts every answer in the filter, solo practice included. Columns and
 * formats are described at the top of report_quiz.c. progress (may be
 * NULL) gets short lines as work proceeds. Returns false with a message on
 * stderr when a log cannot be read or a file cannot be written. */
bool report_quiz_write(const char *const *paths, int n,
		       const struct report_quiz_filter *f, const char *lang,
		       const char *dir, FILE *progress);

#endif
