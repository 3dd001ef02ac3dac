/*
 * cli_report: `kiosk report`, views per item and language as CSV, and
 * `kiosk report quiz`, quiz rankings and per-question analysis as CSV and
 * HTML files.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/report.h"
#include "report/report_quiz.h"
#include "store/store.h"

static void report_usage(FILE *f)
{
	fputs("usage: kiosk report [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
	      "[LOG.sqlite ...]\n"
	      "\n"
	      "Views per item and language, then per language, as CSV on "
	      "standard output,\n"
	      "from one or more kiosk logs (a view found in several logs is "
	      "counted once).\n"
	      "With no files, reads the live log in the data directory.\n"
	      "\n"
	      "  --from DATE   first day counted (local date; default: all)\n"
	      "  --to DATE     last day counted, inclusive (default: all)\n"
	      "  --help        show this help\n"
	      "\n"
	      "kiosk report quiz [OPTIONS] [LOG.sqlite ...]: class rankings "
	      "and per-question\n"
	      "results of quizzes as CSV and HTML files (see kiosk report "
	      "quiz --help).\n", f);
}

static void quiz_usage(FILE *f)
{
	fputs("usage: kiosk report quiz [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
	      "[--contest UUID]\n"
	      "                         [--lang vi|en] [-o DIR] "
	      "[LOG.sqlite ...]\n"
	      "\n"
	      "Class contest rankings and per-question results (hardest "
	      "first) from one or\n"
	      "more kiosk logs (a row found in several logs is counted once), "
	      "written to DIR:\n"
	      "  " REPORT_QUIZ_RANKING_CSV "    one row per student and "
	      "contest\n"
	      "  " REPORT_QUIZ_QUESTIONS_CSV "  one row per question\n"
	      "  " REPORT_QUIZ_HTML "   both, printable on A4\n"
	      "The CSV files are UTF-8 with a byte order mark, for "
	      "spreadsheets. The written\n"
	      "paths are printed on standard output, progress on standard "
	      "error.\n"
	      "With no files, reads the live log in the data directory.\n"
	      "\n"
	      "  --from DATE     first day counted (local date; default: all)\n"
	      "  --to DATE       last day counted, inclusive (default: all)\n"
	      "  --contest UUID  only this contest\n"
	      "  --lang LANG     labels in vi (Vietnamese, the default) or en\n"
	      "  -o, --output DIR  where to write (created if missing; "
	      "default: .)\n"
	      "  --help          show this help\n", f);
}

/* Parse the value of option name into *day; message and false when bad. */
static bool parse_day(const char *name, const char *value, int64_t *day)
{
	if (!value) {
		fprintf(stderr, "kiosk report: %s needs a date (YYYY-MM-DD)\n",
			name);
		return false;
	}
	if (!date_parse_days(value, day)) {
		fprintf(stderr, "kiosk report: %s: '%s' is not a date in the "
			"form YYYY-MM-DD (1970-01-01 to 9999-12-31)\n", name,
			value);
		return false;
	}
	return true;
}

/* Whether arg is option name, alone (*value = NULL) or as name=VALUE. */
static bool match_option(const char *arg, const char *name, const char **value)
{
	size_t n = strlen(name);
	if (strncmp(arg, name, n) != 0 || (arg[n] != '\0' && arg[n] != '='))
		return false;
	*value = arg[n] == '=' ? arg + n + 1 : NULL;
	return true;
}

/* The value of an option given as "--name VALUE" or "--name=VALUE";
 * NULL with a message when missing or empty. */
static const char *option_value(const char *name, const char *value,
				int argc, char **argv, int *i, const char *what)
{
	if (!value)
		value = *i + 1 < argc ? argv[++*i] : NULL;
	if (!value || !*value) {
		fprintf(stderr, "kiosk report quiz: %s needs %s\n", name, what);
		return NULL;
	}
	return value;
}

/* The period given with --from and --to, all days by default. */
struct period_opts {
	int64_t from_day, to_day;          /* inclusive, as parse_day gives */
	const char *from_text, *to_text;   /* as given, for messages */
};

static void period_init(struct period_opts *p)
{
	date_parse_days("1970-01-01", &p->from_day);
	date_parse_days("9999-12-31", &p->to_day);
	p->from_text = "1970-01-01";
	p->to_text = "9999-12-31";
}

/* When argv[*i] is --from or --to, alone (the date is the next argument,
 * *i moves past it) or as name=DATE, read the date into p and return true,
 * with *status set to 2 after a message when the date is missing or bad.
 * Returns false, changing nothing, for any other argument. */
static bool period_option(struct period_opts *p, int argc, char **argv,
			  int *i, int *status)
{
	const char *a = argv[*i];
	const char *value = NULL;
	if (!match_option(a, "--from", &value) &&
	    !match_option(a, "--to", &value))
		return false;
	bool from = a[2] == 'f';
	if (!value)
		value = *i + 1 < argc ? argv[++*i] : NULL;
	if (!parse_day(from ? "--from" : "--to", value,
		       from ? &p->from_day : &p->to_day))
		*status = 2;
	else if (from)
		p->from_text = value;
	else
		p->to_text = value;
	return true;
}

/* 2 after a message beginning with "<cmd>: " when the period ends before
 * it starts, else 0. */
static int period_check(const struct period_opts *p, const char *cmd)
{
	if (p->from_day > p->to_day) {
		fprintf(stderr, "%s: --from %s is after --to %s\n", cmd,
			p->from_text, p->to_text);
		return 2;
	}
	return 0;
}

/* kiosk report quiz ...: argv[0] is "quiz". */
static int report_quiz_main(struct kiosk_config *cfg, int argc, char **argv)
{
	struct report_quiz_filter filter = { .contest = NULL };
	struct period_opts period;
	period_init(&period);
	const char *lang = "vi", *dir = ".";
	const char **files = xcalloc((size_t)(argc > 0 ? argc : 1),
				     sizeof *files);
	int nfiles = 0;
	int status = 0;
	bool options = true;

	for (int i = 1; i < argc && !status; i++) {
		const char *a = argv[i];
		const char *value = NULL;
		if (options && strcmp(a, "--") == 0) {
			options = false;
		} else if (options && (strcmp(a, "--help") == 0 ||
				       strcmp(a, "-h") == 0)) {
			quiz_usage(stdout);
			free(files);
			return 0;
		} else if (options &&
			   period_option(&period, argc, argv, &i, &status)) {
			/* read into period */
		} else if (options && match_option(a, "--contest", &value)) {
			filter.contest = option_value("--contest", value, argc,
						      argv, &i, "a contest id");
			if (!filter.contest)
				status = 2;
		} else if (options && match_option(a, "--lang", &value)) {
			lang = option_value("--lang", value, argc, argv, &i,
					    "a language (vi or en)");
			if (!lang) {
				status = 2;
			} else if (strcmp(lang, "vi") != 0 &&
				   strcmp(lang, "en") != 0) {
				fprintf(stderr, "kiosk report quiz: --lang: '%s' "
					"is not vi or en\n", lang);
				status = 2;
			}
		} else if (options && (strcmp(a, "-o") == 0 ||
				       match_option(a, "--output", &value))) {
			dir = option_value(a[1] == 'o' ? "-o" : "--output",
					   value, argc, argv, &i, "a directory");
			if (!dir)
				status = 2;
		} else if (options && a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "kiosk report quiz: unknown option '%s' "
				"(see kiosk report quiz --help)\n", a);
			status = 2;
		} else {
			files[nfiles++] = a;
		}
	}
	if (!status)
		status = period_check(&period, "kiosk report quiz");
	if (status) {
		free(files);
		return status;
	}
	filter.from_day = period.from_day;
	filter.to_day = period.to_day;

	char *live = NULL;
	if (nfiles == 0) {
		live = path_join(cfg->data_dir, STORE_LOG_FILENAME);
		files[nfiles++] = live;
	}
	/* report_quiz_write names a missing or unreadable file itself. */
	if (report_quiz_write(files, nfiles, &filter, lang, dir, stderr)) {
		static const char *const names[] = {
			REPORT_QUIZ_RANKING_CSV, REPORT_QUIZ_QUESTIONS_CSV,
			REPORT_QUIZ_HTML,
		};
		for (size_t k = 0; k < ARRAY_LEN(names); k++) {
			char *path = path_join(dir, names[k]);
			printf("%s\n", path);
			free(path);
		}
		if (fflush(stdout) != 0)
			status = 1;
	} else {
		status = 1;
	}
	free(live);
	free(files);
	return status;
}

int cli_report_main(struct kiosk_config *cfg, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "quiz") == 0)
		return report_quiz_main(cfg, argc - 1, argv + 1);

	struct period_opts period;
	period_init(&period);
	const char **files = xcalloc((size_t)(argc > 0 ? argc : 1),
				     sizeof *files);
	int nfiles = 0;
	int status = 0;
	bool options = true;

	for (int i = 1; i < argc && !status; i++) {
		const char *a = argv[i];
		if (options && strcmp(a, "--") == 0) {
			options = false;
		} else if (options && (strcmp(a, "--help") == 0 ||
				       strcmp(a, "-h") == 0)) {
			report_usage(stdout);
			free(files);
			return 0;
		} else if (options &&
			   period_option(&period, argc, argv, &i, &status)) {
			/* read into period */
		} else if (options && a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "kiosk report: unknown option '%s' "
				"(see kiosk report --help)\n", a);
			status = 2;
		} else {
			files[nfiles++] = a;
		}
	}
	if (!status)
		status = period_check(&period, "kiosk report");
	if (status) {
		free(files);
		return status;
	}

	char *live = NULL;
	if (nfiles == 0) {
		live = path_join(cfg->data_dir, STORE_LOG_FILENAME);
		files[nfiles++] = live;
	}
	/* report_views_csv names a missing or unreadable file itself. */
	struct report_period days = { period.from_day, period.to_day };
	if (!status && !report_views_csv(files, nfiles, &days, stdout))
		status = 1;
	free(live);
	free(files);
	return status;
}
