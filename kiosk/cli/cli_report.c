/*
 * cli_report: `kiosk report`, the yearly report (HTML and CSV files);
 * `kiosk report views`, views per item and language as CSV; and
 * `kiosk report quiz`, quiz rankings and per-question analysis as CSV and
 * HTML files.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "i18n/lang.h"
#include "report/figures.h"
#include "report/logmerge.h"
#include "report/logsrc.h"
#include "report/outfile.h"
#include "report/report.h"
#include "report/report_csv.h"
#include "report/report_html.h"
#include "report/report_quiz.h"
#include "store/store.h"

static void report_usage(FILE *f)
{
	fputs("usage: kiosk report [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
	      "[--lang vi|en] [-o DIR]\n"
	      "                    [LOG.sqlite ...]\n"
	      "\n"
	      "The yearly report from one or more kiosk logs (live logs or "
	      "exports from\n"
	      "`kiosk export`), merged so that an event found in several "
	      "logs counts once.\n"
	      "With no files, reads the live log in the data directory. "
	      "Written to DIR:\n"
	      "  " REPORT_HTML_FILENAME "           the report for people: "
	      "charts, prints on A4\n"
	      "  report-*.csv          the figures for spreadsheets (UTF-8 "
	      "with a byte order\n"
	      "                        mark): totals, items, languages, "
	      "topics, sites, months,\n"
	      "                        quiz, contests, health, problems\n"
	      "The written paths are printed on standard output, progress on "
	      "standard error.\n"
	      "\n"
	      "  --from DATE       first day counted (local date; default: "
	      "all)\n"
	      "  --to DATE         last day counted, inclusive (default: "
	      "all)\n"
	      "  --lang LANG       labels of the HTML report in vi "
	      "(Vietnamese, the default)\n"
	      "                    or en\n"
	      "  -o, --output DIR  where to write (created if missing; "
	      "default: .)\n"
	      "  --help            show this help\n"
	      "\n"
	      "kiosk report views [--from D] [--to D] [LOG.sqlite ...]: views "
	      "per item and\n"
	      "language as CSV on standard output.\n"
	      "kiosk report quiz [OPTIONS] [LOG.sqlite ...]: class rankings "
	      "and per-question\n"
	      "results of quizzes as CSV and HTML files (see kiosk report "
	      "quiz --help).\n", f);
}

static void views_usage(FILE *f)
{
	fputs("usage: kiosk report views [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
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
	      "  --help        show this help\n", f);
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
static const char *option_value(const char *cmd, const char *name,
				const char *value, int argc, char **argv, int *i,
				const char *what)
{
	if (!value)
		value = *i + 1 < argc ? argv[++*i] : NULL;
	if (!value || !*value) {
		fprintf(stderr, "%s: %s needs %s\n", cmd, name, what);
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

/* What a sub-command accepts besides --from, --to and files. */
enum {
	OPT_LANG = 1 << 0,      /* --lang vi|en */
	OPT_OUTPUT = 1 << 1,    /* -o, --output DIR */
	OPT_CONTEST = 1 << 2,   /* --contest UUID */
};

struct report_args {
	const char *cmd;                 /* "kiosk report ...", for messages */
	struct period_opts period;
	const char *lang, *dir, *contest;
	const char **files;              /* argv strings, or live */
	int nfiles;
	char *live;                      /* the live log when none named */
};

/* Parse argv[1..argc) for cmd (options allowed: the OPT_ mask) into a.
 * Returns 0 to go on, 2 after a message on a usage error, or -1 after
 * printing usage for --help. */
static int parse_args(struct kiosk_config *cfg, const char *cmd,
		      unsigned allowed, void (*usage)(FILE *), int argc,
		      char **argv, struct report_args *a)
{
	memset(a, 0, sizeof *a);
	a->cmd = cmd;
	period_init(&a->period);
	a->lang = "vi";
	a->dir = ".";
	a->files = xcalloc((size_t)(argc > 0 ? argc : 1) + 1, sizeof *a->files);
	int status = 0;
	bool options = true;
	for (int i = 1; i < argc && !status; i++) {
		const char *arg = argv[i];
		const char *value = NULL;
		if (options && strcmp(arg, "--") == 0) {
			options = false;
		} else if (options && (strcmp(arg, "--help") == 0 ||
				       strcmp(arg, "-h") == 0)) {
			usage(stdout);
			return -1;
		} else if (options &&
			   period_option(&a->period, argc, argv, &i, &status)) {
			/* read into period */
		} else if (options && (allowed & OPT_CONTEST) &&
			   match_option(arg, "--contest", &value)) {
			a->contest = option_value(cmd, "--contest", value, argc,
						  argv, &i, "a contest id");
			status = a->contest ? 0 : 2;
		} else if (options && (allowed & OPT_LANG) &&
			   match_option(arg, "--lang", &value)) {
			a->lang = option_value(cmd, "--lang", value, argc, argv,
					       &i, "a language (vi or en)");
			if (!a->lang) {
				status = 2;
			} else if (strcmp(a->lang, "vi") != 0 &&
				   strcmp(a->lang, "en") != 0) {
				fprintf(stderr, "%s: --lang: '%s' is not vi or "
					"en\n", cmd, a->lang);
				status = 2;
			}
		} else if (options && (allowed & OPT_OUTPUT) &&
			   (strcmp(arg, "-o") == 0 ||
			    match_option(arg, "--output", &value))) {
			a->dir = option_value(cmd, arg[1] == 'o' ? "-o" :
					      "--output", value, argc, argv, &i,
					      "a directory");
			status = a->dir ? 0 : 2;
		} else if (options && arg[0] == '-' && arg[1] != '\0') {
			fprintf(stderr, "%s: unknown option '%s' (see %s "
				"--help)\n", cmd, arg, cmd);
			status = 2;
		} else {
			a->files[a->nfiles++] = arg;
		}
	}
	if (!status)
		status = period_check(&a->period, cmd);
	if (!status && a->nfiles == 0) {
		a->live = path_join(cfg->data_dir, STORE_LOG_FILENAME);
		a->files[a->nfiles++] = a->live;
	}
	return status;
}

static void args_free(struct report_args *a)
{
	free(a->live);
	free(a->files);
}

/* Print the paths of the written files, one per line. */
static int print_written(const char *dir, const char *const *names, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		char *path = path_join(dir, names[k]);
		printf("%s\n", path);
		free(path);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

/* kiosk report quiz ...: argv[0] is "quiz". */
static int report_quiz_main(struct kiosk_config *cfg, int argc, char **argv)
{
	struct report_args a;
	int status = parse_args(cfg, "kiosk report quiz",
				OPT_LANG | OPT_OUTPUT | OPT_CONTEST, quiz_usage,
				argc, argv, &a);
	if (status == 0) {
		struct report_quiz_filter filter = {
			.from_day = a.period.from_day,
			.to_day = a.period.to_day,
			.contest = a.contest,
		};
		static const char *const names[] = {
			REPORT_QUIZ_RANKING_CSV, REPORT_QUIZ_QUESTIONS_CSV,
			REPORT_QUIZ_HTML,
		};
		/* report_quiz_write names a missing or unreadable file */
		status = report_quiz_write(a.files, a.nfiles, &filter, a.lang,
					   a.dir, stderr)
			 ? print_written(a.dir, names, ARRAY_LEN(names)) : 1;
	}
	args_free(&a);
	return status < 0 ? 0 : status;
}

/* kiosk report views ...: argv[0] is "views". */
static int report_views_main(struct kiosk_config *cfg, int argc, char **argv)
{
	struct report_args a;
	int status = parse_args(cfg, "kiosk report views", 0, views_usage,
				argc, argv, &a);
	if (status == 0) {
		struct report_period days = { a.period.from_day,
					      a.period.to_day };
		/* report_views_csv names a missing or unreadable file */
		if (!report_views_csv(a.files, a.nfiles, &days, stdout))
			status = 1;
	}
	args_free(&a);
	return status < 0 ? 0 : status;
}

/* Progress of the merge on stderr: one line per file, or one line
 * rewritten in place on a terminal. */
static void merge_progress(void *data, int index, int n_files,
			   const char *path, int64_t events)
{
	bool tty = *(const bool *)data;
	fprintf(stderr, "%skiosk report: merged %d of %d logs (%d%%, %lld "
		"events): %s%s", tty ? "\r\033[K" : "", index + 1, n_files,
		(index + 1) * 100 / n_files, (long long)events, path,
		tty ? "" : "\n");
	if (tty && index + 1 == n_files)
		fputc('\n', stderr);
}

static void write_html_file(FILE *out, const void *data)
{
	const void *const *parts = data;
	/* false only when writing failed, which leaves out's error flag set
	 * for outfile_write to see */
	(void)report_html_write(parts[0], parts[1], parts[2], out);
}

/* The languages for names and kinds: languages.json of this kiosk, else
 * the built-in vi and en. */
static struct lang_registry *report_langs(const struct kiosk_config *cfg)
{
	char *path = path_join(cfg->locales_dir, "languages.json");
	struct lang_registry *reg = lang_registry_load(path, NULL);
	if (!reg) {
		fprintf(stderr, "kiosk report: %s cannot be read; languages "
			"other than vi and en are of unknown kind unless the "
			"logs say\n", path);
		reg = lang_registry_builtin();
	}
	free(path);
	return reg;
}

/* kiosk report ...: the full yearly report. */
static int report_full_main(struct kiosk_config *cfg, int argc, char **argv)
{
	struct report_args a;
	int status = parse_args(cfg, "kiosk report", OPT_LANG | OPT_OUTPUT,
				report_usage, argc, argv, &a);
	if (status != 0) {
		args_free(&a);
		return status < 0 ? 0 : status;
	}
	struct lang_registry *langs = NULL;
	struct report_figures f;
	bool have_figures = false;
	struct logmerge *m = NULL;
	status = 1;
	bool tty = isatty(STDERR_FILENO);
	if (!outfile_mkdir(a.dir, LOGSRC_PREFIX))
		goto done;
	m = logmerge_new();
	/* logmerge names a missing or unreadable file */
	if (!m || !logmerge_add_all(m, a.files, a.nfiles, merge_progress, &tty))
		goto done;
	fprintf(stderr, "kiosk report: %lld distinct sessions, views, "
		"contests, quiz attempts, runs and problems; computing the "
		"figures\n", (long long)logmerge_events(m));
	langs = report_langs(cfg);
	if (!figures_read(m, a.period.from_day, a.period.to_day, langs, &f))
		goto done;
	have_figures = true;
	if (f.undated)
		fprintf(stderr, "kiosk report: note: %lld views were logged "
			"before the clock was set, with no later time in the "
			"same boot to date them; they count over all dates only, "
			"in no month and no shorter period\n",
			(long long)f.undated);
	fprintf(stderr, "kiosk report: writing %zu files into %s\n",
		report_csv_count + 1, a.dir);
	const void *html_parts[] = { &f, langs, a.lang };
	if (!report_csv_write(&f, a.dir) ||
	    !outfile_write(a.dir, REPORT_HTML_FILENAME, write_html_file,
			   html_parts, LOGSRC_PREFIX))
		goto done;
	const char *html_name[] = { REPORT_HTML_FILENAME };
	status = print_written(a.dir, html_name, 1) |
		 print_written(a.dir, report_csv_names, report_csv_count);
	fprintf(stderr, "kiosk report: %lld logs, %lld kiosks, %lld sessions, "
		"%lld views\n", (long long)f.logs, (long long)f.kiosks,
		(long long)f.sessions, (long long)f.v.views);
done:
	if (have_figures)
		figures_free(&f);
	logmerge_free(m);
	lang_registry_destroy(langs);
	args_free(&a);
	return status;
}

int cli_report_main(struct kiosk_config *cfg, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "quiz") == 0)
		return report_quiz_main(cfg, argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "views") == 0)
		return report_views_main(cfg, argc - 1, argv + 1);
	return report_full_main(cfg, argc, argv);
}
