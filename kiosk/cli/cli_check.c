/*
 * cli_check: `kiosk check [DIR]`, validate a content library and the
 * language registry, printing every problem as file:line:col.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/log.h>

#include "base/diag.h"
#include "base/log.h"
#include "base/util.h"
#include "content/catalog.h"
#include "i18n/lang.h"

static void usage(FILE *out)
{
	fputs("usage: kiosk check [DIR]\n"
	      "\n"
	      "Validate the content library in DIR (default: content_dir from\n"
	      "the config) and the languages.json in locales_dir: JSON syntax,\n"
	      "unknown keys, languages and topics, ids, dates, and that every\n"
	      "media file and thumbnail exists and decodes.\n"
	      "Prints one line per problem as file:line:col: severity: message,\n"
	      "then a summary. Exits 0 when there are no errors, 1 when there\n"
	      "are, 2 on a usage error.\n",
	      out);
}

int cli_check_main(struct kiosk_config *cfg, int argc, char **argv)
{
	const char *dir = NULL;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(arg, "--") == 0 && i + 1 < argc && !dir) {
			dir = argv[++i];
			continue;
		}
		if (arg[0] == '-' || dir) {
			fprintf(stderr, "kiosk check: %s '%s'\n",
				arg[0] == '-' ? "unknown option" : "unexpected argument",
				arg);
			usage(stderr);
			return 2;
		}
		dir = arg;
	}
	if (!dir)
		dir = cfg->content_dir;

	struct diag_list diags;
	diag_list_init(&diags);

	/* The problems are the output; the loaders' log lines and libav's
	 * own complaints about broken files would only repeat them. */
	enum log_level level = log_get_level();
	int av_level = av_log_get_level();
	if (level < LOG_LEVEL_DEBUG) {
		log_set_level(LOG_LEVEL_ERROR);
		av_log_set_level(AV_LOG_QUIET);
	}

	char *langs_path = path_join(cfg->locales_dir, "languages.json");
	struct lang_registry *langs = lang_registry_load(langs_path, &diags);
	if (!langs)
		langs = lang_registry_builtin();
	struct catalog *cat = catalog_load(dir, langs, CATALOG_PROBE_MEDIA,
					   &diags);
	av_log_set_level(av_level);
	log_set_level(level);

	diag_print(&diags, stdout);
	size_t errors = diag_count(&diags, DIAG_ERROR);
	size_t warnings = diag_count(&diags, DIAG_WARNING);
	printf("%zu items, %zu errors, %zu warnings\n", cat ? cat->n_items : 0,
	       errors, warnings);
	fflush(stdout);

	catalog_destroy(cat);
	lang_registry_destroy(langs);
	free(langs_path);
	diag_list_finish(&diags);
	return errors ? 1 : 0;
}
