/*
 * cli_export: `kiosk export [--log FILE] DIR`, a consistent copy of the
 * kiosk's log written to a folder (a USB stick, say) while the kiosk keeps
 * running (see report/logexport.h).
 */
#include "cli/cli.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "report/logexport.h"
#include "store/store.h"

#define EXPORT_PREFIX "kiosk export: "

static void export_usage(FILE *f)
{
	fputs("usage: kiosk export [--log FILE] DIR\n"
	      "\n"
	      "Copy the kiosk's log into the folder DIR (a USB stick, say; "
	      "created if\n"
	      "missing) while the kiosk keeps running. The copy is one "
	      "consistent snapshot\n"
	      "in a single file, checked before it is given its name:\n"
	      "  kiosk-log-<kiosk id>-<YYYY-MM-DD>.sqlite  "
	      "(-2, -3 ... when that is taken)\n"
	      "The path written is printed on standard output; the count of "
	      "events and the\n"
	      "size on standard error.\n"
	      "\n"
	      "  --log FILE  the log to copy (default: " STORE_LOG_FILENAME
	      " in the data\n"
	      "              directory)\n"
	      "  --help      show this help\n", f);
}

/* Percent copied, on stderr, rewritten in place (stderr is a terminal). */
static bool show_progress(void *data, int64_t done, int64_t total)
{
	int *last = data;
	int percent = (int)(done * 100 / total);
	if (percent != *last) {
		fprintf(stderr, "\r" EXPORT_PREFIX "%3d%%", percent);
		fflush(stderr);
		*last = percent;
	}
	return true;
}

int cli_export_main(struct kiosk_config *cfg, int argc, char **argv)
{
	const char *log = NULL, *dir = NULL;
	bool options = true;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (options && strcmp(a, "--") == 0) {
			options = false;
		} else if (options && (strcmp(a, "--help") == 0 ||
				       strcmp(a, "-h") == 0)) {
			export_usage(stdout);
			return 0;
		} else if (options && (strcmp(a, "--log") == 0 ||
				       strncmp(a, "--log=", 6) == 0)) {
			log = a[5] == '=' ? a + 6 : i + 1 < argc ? argv[++i]
								  : NULL;
			if (!log || !*log) {
				fprintf(stderr, EXPORT_PREFIX "--log needs a "
					"file\n");
				return 2;
			}
		} else if (options && a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, EXPORT_PREFIX "unknown option '%s' "
				"(see kiosk export --help)\n", a);
			return 2;
		} else if (!dir) {
			dir = a;
		} else {
			fprintf(stderr, EXPORT_PREFIX "one folder only: '%s' "
				"and '%s' (see kiosk export --help)\n", dir, a);
			return 2;
		}
	}
	if (!dir || !*dir) {
		fprintf(stderr, EXPORT_PREFIX "name the folder to export to\n");
		export_usage(stderr);
		return 2;
	}

	char *live = log ? NULL : path_join(cfg->data_dir, STORE_LOG_FILENAME);
	bool tty = isatty(STDERR_FILENO);
	int last = -1;
	struct logexport_result res;
	char *err = NULL;
	bool ok = logexport_copy(log ? log : live, dir, cfg->kiosk_id,
				 tty ? show_progress : NULL, &last, &res, &err);
	if (tty && last >= 0)
		fputc('\n', stderr);
	free(live);
	if (!ok) {
		fprintf(stderr, EXPORT_PREFIX "%s\n", err);
		free(err);
		return 1;
	}
	printf("%s\n", res.path);
	fprintf(stderr, "%lld events, %lld bytes\n", (long long)res.events,
		(long long)res.bytes);
	free(res.path);
	return fflush(stdout) == 0 ? 0 : 1;
}
