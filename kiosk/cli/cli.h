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
/* The exit status of `kiosk run` when the operator chose to shut the
 * machine down: the systemd unit powers off on it (and does not restart
 * the kiosk). */
#define KIOSK_EXIT_POWEROFF 100

/* kiosk check DIR: validate a content library; exit 1 on any error. */
int cli_check_main(struct kiosk_config *cfg, int argc, char **argv);

/* kiosk report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [LOG.sqlite ...]:
 * views per item and per language as CSV on stdout; with no files, the
 * live log in cfg->data_dir.
 * kiosk report quiz [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--contest UUID]
 * [--lang vi|en] [-o DIR] [LOG.sqlite ...]: class rankings and
 * per-question results written to DIR (default ".") as quiz-ranking.csv,
 * quiz-questions.csv and quiz-report.html (see report/report_quiz.h); the
 * written paths on stdout, progress on stderr; exit 2 on a usage error, 1
 * when a log cannot be read or a file cannot be written. */
int cli_report_main(struct kiosk_config *cfg, int argc, char **argv);

/* kiosk export [--log FILE] DIR: a consistent copy of the live log (or
 * FILE) written to DIR as kiosk-log-<kiosk id>-<date>.sqlite (see
 * report/logexport.h); the path on stdout, events and bytes on stderr;
 * exit 2 on a usage error, 1 when the copy fails. */
int cli_export_main(struct kiosk_config *cfg, int argc, char **argv);

/* Content packs, the publisher's side (see pack/packfile.h); each exits
 * 0 on success, 1 on failure (verify: the pack refused) with the reason
 * on stderr, 2 on a usage error.
 * kiosk keygen NAME: a new key pair as NAME.secret and NAME.public.
 * kiosk pack DIR -o FILE --version N [--publisher NAME]: an unsigned pack.
 * kiosk sign --key NAME.secret FILE: sign a pack.
 * kiosk verify --key NAME.public [--key ...] FILE: check a pack. */
int cli_keygen_main(struct kiosk_config *cfg, int argc, char **argv);
int cli_pack_main(struct kiosk_config *cfg, int argc, char **argv);
int cli_sign_main(struct kiosk_config *cfg, int argc, char **argv);
int cli_verify_main(struct kiosk_config *cfg, int argc, char **argv);

/* kiosk import PACK | --rollback | --status: the kiosk's side of content
 * packs (pack/library.h), with the keys of the config's pack_keys. */
int cli_import_main(struct kiosk_config *cfg, int argc, char **argv);

/* kiosk pin [--clear]: set the operator menu's PIN in cfg->data_dir (see
 * base/pinlock.h), asked twice without echo on a terminal, else one line
 * of standard input; --clear removes it. Exit 0, 1 on failure (reason on
 * stderr), 2 on a usage error. */
int cli_pin_main(struct kiosk_config *cfg, int argc, char **argv);

/* kiosk bench startup [--items N] [--runs R] | play [FILE] |
 * realtime [FILE]: the benchmarks (see cli_bench.c). */
int cli_bench_main(struct kiosk_config *cfg, int argc, char **argv);

#endif
