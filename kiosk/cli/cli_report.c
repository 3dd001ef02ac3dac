/*
 * cli_report: `kiosk report`, views per item and language as CSV.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/report.h"
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
	      "  --help        show this help\n", f);
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

int cli_report_main(struct kiosk_config *cfg, int argc, char **argv)
{
	struct report_period period;
	date_parse_days("1970-01-01", &period.from_day);
	date_parse_days("9999-12-31", &period.to_day);
	const char **files = xcalloc((size_t)(argc > 0 ? argc : 1),
				     sizeof *files);
	int nfiles = 0;
	int status = 0;
	bool options = true;
	const char *from_text = "1970-01-01", *to_text = "9999-12-31";

	for (int i = 1; i < argc && !status; i++) {
		const char *a = argv[i];
		const char *value = NULL;
		if (options && strcmp(a, "--") == 0) {
			options = false;
		} else if (options && (strcmp(a, "--help") == 0 ||
				       strcmp(a, "-h") == 0)) {
			report_usage(stdout);
			free(files);
			return 0;
		} else if (options && (match_option(a, "--from", &value) ||
				       match_option(a, "--to", &value))) {
			bool from = a[2] == 'f';
			if (!value)
				value = i + 1 < argc ? argv[++i] : NULL;
			if (!parse_day(from ? "--from" : "--to", value,
				       from ? &period.from_day : &period.to_day))
				status = 2;
			else if (from)
				from_text = value;
			else
				to_text = value;
		} else if (options && a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "kiosk report: unknown option '%s' "
				"(see kiosk report --help)\n", a);
			status = 2;
		} else {
			files[nfiles++] = a;
		}
	}
	if (!status && period.from_day > period.to_day) {
		fprintf(stderr, "kiosk report: --from %s is after --to %s\n",
			from_text, to_text);
		status = 2;
	}
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
	if (!status && !report_views_csv(files, nfiles, &period, stdout))
		status = 1;
	free(live);
	free(files);
	return status;
}
