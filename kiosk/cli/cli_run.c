/*
 * cli_run: `kiosk run`, the kiosk itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/log.h"
#include "base/settings.h"
#include "base/util.h"
#include "base/watchdog.h"
#include "cli/cli.h"
#include "ui/app.h"

static void run_usage(FILE *out)
{
	fputs("Usage: kiosk run [OPTIONS]\n"
	      "  --content DIR    the content library (config: content_dir)\n"
	      "  --data DIR       where the view log is kept (config: data_dir)\n"
	      "  --window WxH     a window of this size instead of fullscreen\n"
	      "  --fullscreen     fullscreen (the default)\n"
	      "  --lang TAG       default language, e.g. vi, en, rad\n"
	      "  --site NAME      the current village or venue\n"
	      "                   (both win over what the operator menu saved)\n"
	      "  --print-config   print the settings in effect and exit\n"
	      "  --exit-after-first-frame  quit once the first frame is shown\n", out);
}

/* The program's own command line, from /proc/self/cmdline, as a
 * NULL-terminated array (one allocation, caller frees), or NULL. */
static char **own_command_line(void)
{
	size_t len;
	char *text = file_read_all("/proc/self/cmdline", &len);
	if (!text || len == 0) {
		free(text);
		return NULL;
	}
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += text[i] == '\0';
	char **argv = xmalloc((n + 1) * sizeof *argv + len);
	char *copy = (char *)(argv + n + 1);
	memcpy(copy, text, len);
	free(text);
	size_t k = 0;
	for (size_t i = 0; i < len && k < n; i += strlen(copy + i) + 1)
		argv[k++] = copy + i;
	argv[k] = NULL;
	return argv;
}

/* Start the program again in this process (same pid, so systemd keeps
 * watching it). Returns only when it cannot (logged). */
static void restart_self(void)
{
	char **argv = own_command_line();
	if (argv) {
		fflush(NULL);
		execv("/proc/self/exe", argv);
		log_error("kiosk: cannot restart itself: %s", strerror(errno));
		free(argv);
	} else {
		log_error("kiosk: cannot restart itself: /proc/self/cmdline "
			  "cannot be read");
	}
}

static bool parse_size(const char *s, int *w, int *h)
{
	char x;
	return sscanf(s, "%d%c%d", w, &x, h) == 3 && (x == 'x' || x == 'X') &&
	       *w >= 240 && *h >= 240 && *w <= 8192 && *h <= 8192;
}

int cli_run_main(struct kiosk_config *cfg, int argc, char **argv)
{
	struct app_options opt = { 0 };
	bool print_config = false, lang_given = false, site_given = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		struct diag_list diags;
		diag_list_init(&diags);
		bool ok = true;
		if (!strcmp(a, "--help")) {
			run_usage(stdout);
			return 0;
		} else if (!strcmp(a, "--content") && v) {
			ok = config_set(cfg, "content_dir", v, &diags); i++;
		} else if (!strcmp(a, "--data") && v) {
			ok = config_set(cfg, "data_dir", v, &diags); i++;
		} else if (!strcmp(a, "--lang") && v) {
			ok = config_set(cfg, "default_language", v, &diags); i++;
			lang_given = true;
		} else if (!strcmp(a, "--site") && v) {
			ok = config_set(cfg, "site", v, &diags); i++;
			site_given = true;
		} else if (!strcmp(a, "--window") && v) {
			if (!parse_size(v, &cfg->window_w, &cfg->window_h)) {
				fprintf(stderr, "kiosk run: --window %s: expected WIDTHxHEIGHT, e.g. 1280x720\n", v);
				return 2;
			}
			cfg->fullscreen = false;
			i++;
		} else if (!strcmp(a, "--fullscreen")) {
			cfg->fullscreen = true;
		} else if (!strcmp(a, "--print-config")) {
			print_config = true;
		} else if (!strcmp(a, "--exit-after-first-frame")) {
			opt.exit_after_first_frame = true;
		} else {
			fprintf(stderr, "kiosk run: unknown or incomplete option '%s'\n", a);
			run_usage(stderr);
			return 2;
		}
		if (!ok) {
			diag_print(&diags, stderr);
			diag_list_finish(&diags);
			return 2;
		}
		diag_list_finish(&diags);
	}
	/* what the operator menu saved (DATA_DIR/settings.conf) over the
	 * config file; --lang and --site win over both */
	struct kiosk_config given = *cfg;
	struct diag_list diags;
	diag_list_init(&diags);
	settings_load(cfg, &diags);
	for (size_t d = 0; d < diags.len; d++) {
		char *msg = diag_format(&diags.items[d]);
		log_warn("%s (ignored)", msg);
		free(msg);
	}
	diag_list_finish(&diags);
	if (lang_given)
		memcpy(cfg->default_lang, given.default_lang, sizeof cfg->default_lang);
	if (site_given)
		memcpy(cfg->site, given.site, sizeof cfg->site);
	if (print_config) {
		config_print(cfg, stdout);
		return 0;
	}
	log_capture_libraries();
	if (!mkdir_parents(cfg->data_dir))
		log_error("%s: cannot create the data directory: %s; the kiosk "
			  "runs without its log", cfg->data_dir, strerror(errno));
	char *logfile = path_join(cfg->data_dir, "kiosk.log");
	log_open_file(logfile);
	free(logfile);
	log_info("kiosk %s starting: content %s, data %s, id %s, site '%s'",
		 KIOSK_VERSION, cfg->content_dir, cfg->data_dir, cfg->kiosk_id,
		 cfg->site);
	struct app *app = app_create(cfg, &opt);
	if (!app) {
		log_close_file();
		return 1;
	}
	int rc = app_run(app);
	enum app_exit how = app_exit_kind(app);
	/* not on a restart: systemd would take the re-executed kiosk for one
	 * stopping and kill it */
	if (how != APP_EXIT_RESTART)
		watchdog_stopping();
	app_destroy(app);
	log_info("kiosk stopped");
	log_close_file();
	if (how == APP_EXIT_RESTART) {
		restart_self();
		/* could not: exit, and systemd (Restart=always) starts it */
	} else if (how == APP_EXIT_POWEROFF) {
		return KIOSK_EXIT_POWEROFF;
	}
	return rc;
}
