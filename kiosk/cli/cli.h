/*
 * cli: the kiosk program's subcommands. main() parses the global options
 * (--config FILE, --help, --version), loads the config and calls one of
 * these with the remaining arguments (argv[0] is the subcommand's name).
 * Each returns the process exit status.
 */
#ifndef KIOSK_CLI_CLI_H
#define KIOSK_CLI_CLI_H

#include "base/config.h"

/* kiosk run [--content DIR] [--data DIR] [--window WxH] [--lang TAG] */
int cli_run_main(struct kiosk_config *cfg, int argc, char **argv);

/* kiosk check DIR: validate a content library; exit 1 on any error. */
int cli_check_main(struct kiosk_config *cfg, int argc, char **argv);

/* kiosk report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [LOG.sqlite ...]:
 * views per item and per language as CSV on stdout; with no files, the
 * live log in cfg->data_dir. */
int cli_report_main(struct kiosk_config *cfg, int argc, char **argv);

/* kiosk bench startup [--items N] [--runs R] | play [FILE] |
 * realtime [FILE]: the benchmarks (see cli_bench.c). */
int cli_bench_main(struct kiosk_config *cfg, int argc, char **argv);

#endif
