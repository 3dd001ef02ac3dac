/*
 * cli_import: the kiosk's side of content packs from a terminal (ssh, or
 * the install steps): `kiosk import PACK`, `kiosk import --rollback`,
 * `kiosk import --status`. The same work as the operator menu's Import
 * content page (pack/library.h), with the keys of the config's pack_keys.
 */
#include "cli/cli.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/util.h"
#include "pack/library.h"

static void usage(FILE *f)
{
	fputs("usage: kiosk import [--allow-older] PACK\n"
	      "       kiosk import --rollback\n"
	      "       kiosk import --status\n"
	      "\n"
	      "Import a signed content pack into this kiosk's library: the pack\n"
	      "is copied, its signature checked against the keys of the config's\n"
	      "pack_keys and every file against its manifest, then it becomes\n"
	      "the live library in one step; the library before it is kept.\n"
	      "Stop a running kiosk first (systemctl stop kiosk) and run this as\n"
	      "the kiosk's user (sudo -u kiosk).\n"
	      "\n"
	      "  --allow-older  install a pack older than the live library on\n"
	      "                 purpose (otherwise refused: no replay of old packs)\n"
	      "  --rollback     make the previous library live again\n"
	      "  --status       print the live and the previous library\n"
	      "\n"
	      "Exit status: 0 done, 1 refused or failed, 2 usage.\n", f);
}

static const char *stage_name(enum library_stage s)
{
	switch (s) {
	case LIBRARY_COPYING: return "copying";
	case LIBRARY_CHECKING: return "checking";
	case LIBRARY_SWITCHING: return "switching";
	}
	return "?";
}

struct progress {
	bool tty;
	enum library_stage stage;
	int percent;                   /* last printed; -1 none */
};

static bool print_progress(void *user, enum library_stage stage, int64_t done,
			   int64_t total)
{
	struct progress *p = user;
	int percent = total > 0 ? (int)(done * 100 / total) : 100;
	if (stage == p->stage && (percent == p->percent ||
				  (!p->tty && percent % 25 != 0)))
		return true;
	p->stage = stage;
	p->percent = percent;
	fprintf(stderr, "%s%s %3d %%%s", p->tty ? "\r\033[K" : "",
		stage_name(stage), percent, p->tty ? "" : "\n");
	return true;
}

static void print_pack(const char *what, const struct library_pack *p)
{
	if (!strcmp(p->name, LIBRARY_FACTORY)) {
		printf("%s: the factory library, %s\n", what, p->content_dir);
		return;
	}
	printf("%s: version %" PRId64 " from %s (made %s), signed by key %s, "
	       "%" PRId64 " files, %" PRId64 " bytes, imported %s\n  %s\n", what,
	       p->version, *p->publisher ? p->publisher : "(no publisher)",
	       p->created, p->key_id, p->files, p->bytes, p->installed,
	       p->content_dir);
}

int cli_import_main(struct kiosk_config *cfg, int argc, char **argv)
{
	bool allow_older = false, rollback = false, status = false;
	const char *pack = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--allow-older")) {
			allow_older = true;
		} else if (!strcmp(a, "--rollback")) {
			rollback = true;
		} else if (!strcmp(a, "--status")) {
			status = true;
		} else if (a[0] != '-' && !pack) {
			pack = a;
		} else {
			fprintf(stderr, "kiosk import: unexpected '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	if ((pack != NULL) + rollback + status != 1) {
		usage(stderr);
		return 2;
	}

	struct library *lib = library_open(cfg->data_dir, cfg->content_dir);
	int rc = 0;
	if (status) {
		print_pack("live", library_current(lib));
		const struct library_pack *prev = library_previous(lib);
		if (prev)
			print_pack("previous", prev);
		else
			printf("previous: none\n");
	} else if (rollback) {
		char *err = NULL;
		if (library_rollback(lib, &err)) {
			print_pack("live", library_current(lib));
		} else {
			fprintf(stderr, "kiosk import: cannot roll back: %s\n", err);
			rc = 1;
		}
		free(err);
	} else {
		struct packkey_public keys[CONFIG_MAX_PACK_KEYS];
		struct progress p = {.tty = isatty(STDERR_FILENO), .percent = -1};
		struct library_import_opts opts = {
			.keys = keys,
			.n_keys = library_load_keys(cfg->pack_keys, keys,
						    CONFIG_MAX_PACK_KEYS),
			.allow_older = allow_older,
			.progress = print_progress,
			.progress_user = &p,
		};
		char *err = NULL;
		enum library_result r = library_import(lib, pack, &opts, &err);
		if (p.tty)
			fputs("\n", stderr);
		if (r == LIBRARY_DONE) {
			print_pack("live", library_current(lib));
		} else {
			fprintf(stderr, "kiosk import: refused: %s\n", err);
			if (r == LIBRARY_OLDER || r == LIBRARY_SAME)
				fprintf(stderr, "kiosk import: to install it on "
					"purpose, add --allow-older\n");
			rc = 1;
		}
		free(err);
	}
	library_destroy(lib);
	return rc;
}
