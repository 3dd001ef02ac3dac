/*
 * figures: every figure of the yearly report, for one period, read from
 * kiosk logs merged by logmerge (so a row found in several logs counts
 * once).
 *
 * The figures are plain data: the CSV writer (report_csv), the HTML writer
 * (report_html) and the operator menu read them; nothing here formats
 * text for people.
 *
 * Dates are local dates (TZ) as day numbers (days since 1970-01-01, as
 * date_parse_days gives); a row counts in the period when the local date
 * of its start is in [from_day, to_day]. Rows logged before the clock was
 * set are placed by logmerge (see logmerge.h); those it cannot place are
 * counted apart (undated).
 *
 * Languages. A language is national, minority or foreign: from the
 * registry given to figures_read, else from the kind the kiosk logged with
 * its library, else unknown. The target of the national plan is that 15 to
 * 20 % of products are in minority and foreign languages; the figures give
 * both the share of views and the share of products (an item offered in a
 * language is one product; items on offer come from the library the kiosks
 * logged, or, for logs without one, from the items viewed).
 */
#ifndef KIOSK_REPORT_FIGURES_H
#define KIOSK_REPORT_FIGURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "i18n/lang.h"

struct logmerge;

/* The national plan's target for the share of products in minority and
 * foreign languages. */
#define FIGURES_TARGET_LOW 0.15
#define FIGURES_TARGET_HIGH 0.20

enum figures_lang_kind {
	FIGURES_LANG_NATIONAL = 0,
	FIGURES_LANG_MINORITY,
	FIGURES_LANG_FOREIGN,
	FIGURES_LANG_UNKNOWN,
};

/* Views of something: an item, a language, a topic, a site, a month. */
struct figures_views {
	int64_t views;
	double seconds;          /* watched, listened or looked at */
	int64_t completed;       /* views that reached the end */
};

struct figures_item {
	char *item_id;
	char *title;             /* in the default language, as logged; the
				  * item id when no title was logged */
	char *kind;              /* "video", "audio", ...; "" when unknown */
	char *topics;            /* topic ids separated by spaces; "" none */
	struct figures_views v;
};

struct figures_lang {
	char *lang;              /* tag */
	enum figures_lang_kind kind;
	int64_t sessions;        /* sessions that began in this language */
	int64_t products;        /* items on offer in this language */
	struct figures_views v;
};

struct figures_topic {
	char *topic;             /* topic id; "" for items with no topic */
	int64_t items;           /* items with this topic that were viewed */
	struct figures_views v;
};

struct figures_site {
	char *site;              /* as the crew set it; "" when not set */
	char *kiosks;            /* kiosk ids seen there, separated by ", " */
	int64_t first_day, last_day;  /* first and last day with a session */
	int64_t days;            /* days with at least one session */
	int64_t sessions;
	struct figures_views v;
};

struct figures_month {
	int year, month;         /* 1..12 */
	int64_t sessions;
	struct figures_views v;
};

struct figures_day {
	int64_t day;
	int64_t sessions;
	struct figures_views v;
};

struct figures_contest {
	char *class_name;
	char *site;
	char *kiosk_id;
	int64_t day;             /* local date it started */
	int n_questions;
	int64_t students;        /* attempts with at least one answer */
	double average_score;    /* right answers per student */
	int best_score;
};

struct figures_quiz_topic {
	char *topic;             /* "" for quizzes over every topic */
	int64_t attempts;
	int64_t answers, right;
};

struct figures_quiz {
	int64_t attempts;        /* quizzes begun (solo and contest) */
	int64_t solo, in_contests;
	int64_t completed;       /* every question answered */
	int64_t answers, right;  /* questions answered, answered right */
	int64_t contests;
	struct figures_quiz_topic *topics;
	size_t n_topics;
	struct figures_contest *contest_list;   /* by day, then class */
	size_t n_contests;
};

struct figures_kiosk {
	char *kiosk_id;
	char *version;           /* of its latest run */
	int64_t runs;            /* program starts */
	int64_t clean;           /* runs that ended normally */
	int64_t crashes;         /* runs that died with the system up; the
				  * kiosk was restarted */
	int64_t cuts;            /* runs that ended with the system going
				  * down: a power cut or a reset */
	double uptime_hours;     /* from start to last sign of life */
	int64_t errors, warnings;
	int64_t first_day, last_day;
};

struct figures_problem {
	char *message;           /* the latest of its kind: messages that
				  * differ only in their numbers are one */
	char *severity;          /* "error" or "warning" */
	int64_t count;           /* times logged in the period, all kiosks,
				  * this kind */
	int64_t kiosks;          /* on how many kiosks */
	int64_t last_day;
};

struct report_figures {
	int64_t from_day, to_day;       /* the period asked for */
	int64_t first_day, last_day;    /* first and last day with a dated
					 * session or view; -1 when none */
	int64_t logs;                   /* files merged */
	int64_t kiosks;                 /* distinct kiosk ids */

	/* Totals */
	int64_t sessions;
	struct figures_views v;
	int64_t undated;                /* views in all the logs merged that
					 * could not be dated (logged before
					 * the clock was set, with nothing
					 * later in the same boot to place
					 * them): in the figures over all
					 * dates (from_day <= 1970-01-01 and
					 * to_day >= 9999-12-31), in no other
					 * period, never in days and months */

	/* The target: shares of views and of products in minority and
	 * foreign languages (fractions, 0.175 = 17.5 %). */
	int64_t products, products_minority, products_foreign;
	int64_t views_minority, views_foreign;
	double share_views, share_products;

	struct figures_item *items;     /* most viewed first */
	size_t n_items;
	struct figures_lang *langs;     /* most viewed first */
	size_t n_langs;
	struct figures_topic *topics;   /* topics.h order, "" last */
	size_t n_topics;
	struct figures_site *sites;     /* most sessions first */
	size_t n_sites;
	struct figures_month *months;   /* in order; every month of the
					 * period's data, none missing */
	size_t n_months;
	struct figures_day *days;       /* in order, every day from
					 * first_day to last_day */
	size_t n_days;
	struct figures_quiz quiz;
	struct figures_kiosk *kiosk_health;  /* by kiosk id */
	size_t n_kiosk_health;
	struct figures_problem *problems;    /* most frequent first, at most
					      * FIGURES_MAX_PROBLEMS */
	size_t n_problems;
};

#define FIGURES_MAX_PROBLEMS 20

/* Read every figure for [from_day, to_day] from the merged logs. langs
 * (may be NULL) gives the kind of each language. Returns false after a
 * message on stderr ("kiosk report: ...") when a query fails; out is then
 * empty (figures_free is still safe). */
bool figures_read(struct logmerge *m, int64_t from_day, int64_t to_day,
		  const struct lang_registry *langs,
		  struct report_figures *out);

void figures_free(struct report_figures *f);

/* "national", "minority", "foreign", "unknown". */
const char *figures_lang_kind_name(enum figures_lang_kind kind);

#endif
