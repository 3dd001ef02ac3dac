/*
 * main: parse the global options, load the config, hand over to a
 * subcommand (see cli/cli.h). Nothing else lives here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/diag.h"
#include "base/log.h"
#include "cli/cli.h"

static void usage(FILE *out)
{
	fputs("Usage: kiosk [--config FILE] COMMAND [OPTIONS]\n"
	      "\n"
	      "An offline multilingual media kiosk for human-rights education.\n"
	      "\n"
	      "Commands:\n"
	      "  run      show the kiosk (fullscreen, or --window WxH)\n"
	      "  check    validate a content library: kiosk check [DIR]\n"
	      "  report   the yearly report from logs and exports (HTML, CSV):\n"
	      "           kiosk report -o DIR [LOG ...]; `report quiz`: class\n"
	      "           rankings and per-question results\n"
	      "  export   copy the log to a folder (a USB stick): kiosk export DIR\n"
	      "  keygen   a key pair for signing content packs: kiosk keygen NAME\n"
	      "  pack     a content pack of a library: kiosk pack DIR -o FILE\n"
	      "           --version N\n"
	      "  sign     sign a pack: kiosk sign --key NAME.secret FILE\n"
	      "  verify   check a pack: kiosk verify --key NAME.public FILE\n"
	      "  import   install a signed pack on this kiosk: kiosk import FILE;\n"
	      "           --rollback, --status\n"
	      "  pin      set the operator menu's PIN: kiosk pin [--clear]\n"
	      "  bench    measurements: kiosk bench startup, report, ...\n"
	      "\n"
	      "Options:\n"
	      "  --config FILE  settings file (default: $KIOSK_CONFIG,\n"
	      "                 /etc/kiosk/kiosk.conf, ~/.config/kiosk/kiosk.conf)\n"
	      "  --help         this text; COMMAND --help for a command's options\n"
	      "  --version      print the version\n", out);
}

int main(int argc, char **argv)
{
	const char *config_path = NULL;
	bool config_named = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("kiosk %s\n", KIOSK_VERSION);
			return 0;
		} else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			config_path = argv[++i];
			config_named = true;
		} else {
			fprintf(stderr, "kiosk: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[i];

	struct kiosk_config cfg;
	config_defaults(&cfg);
	if (!config_path)
		config_path = config_default_path();
	struct diag_list diags;
	diag_list_init(&diags);
	if (!config_load(&cfg, config_path, &diags) && config_named) {
		fprintf(stderr, "kiosk: %s: cannot read the config file\n", config_path);
		diag_list_finish(&diags);
		return 2;
	}
	for (size_t d = 0; d < diags.len; d++) {
		char *s = diag_format(&diags.items[d]);
		log_warn("%s (the default is used)", s);
		free(s);
	}
	diag_list_finish(&diags);

	int sub_argc = argc - i;
	char **sub_argv = argv + i;
	if (!strcmp(cmd, "run"))
		return cli_run_main(&cfg, sub_argc, sub_argv);
	if (!strcmp(cmd, "check"))
		return cli_check_main(&cfg, sub_argc, sub_argv);
	if (!strcmp(cmd, "report"))
		return cli_report_main(&cfg, sub_argc, sub_argv);
	if (!strcmp(cmd, "export"))
		return cli_export_main(&cfg, sub_argc, sub_argv);
	if (!strcmp(cmd, "keygen"))
		return cli_keygen_main(&cfg, sub_argc, sub_argv);
	if (!strcmp(cmd, "pack"))
		return cli_pack_main(&cfg, sub_argc, sub_argv);
	if (!strcmp(cmd, "sign"))
		return cli_sign_main(&cfg, sub_argc, sub_argv);
	if (!strcmp(cmd, "verify"))
		return cli_verify_main(&cfg, sub_argc, sub_argv);
	if (!strcmp(cmd, "pin"))
		return cli_pin_main(&cfg, sub_argc, sub_argv);
	if (!strcmp(cmd, "import"))
		return cli_import_main(&cfg, sub_argc, sub_argv);
	if (!strcmp(cmd, "bench"))
		return cli_bench_main(&cfg, sub_argc, sub_argv);
	fprintf(stderr, "kiosk: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
