/*
 * library: which content library the kiosk shows, and importing content
 * packs into it with a rollback to the one before.
 *
 * The kiosk ships with a factory library (cfg->content_dir, perhaps on a
 * read-only root). Imported packs live on the data partition:
 *
 *   DATA_DIR/library/state.json    {"current": NAME, "previous": NAME}
 *   DATA_DIR/library/packs/NAME/   an installed pack: content/ (its files)
 *                                  and pack.json (what its manifest said)
 *   DATA_DIR/library/staging/      the import under way
 *
 * NAME is a folder in packs/ or LIBRARY_FACTORY. The live library
 * switches in one atomic rename of state.json (written to a temporary
 * file, fsynced, renamed, the folder fsynced), and a pack is complete and
 * synced, files and folders, before a state names it. So a power cut or a
 * kill at any moment leaves the old library live or the new one, whole;
 * library_open clears what an interrupted import left behind.
 *
 * An import copies the pack off the USB stick into staging first (so the
 * stick cannot change a byte after the check), then checks its signature
 * against the trusted keys and every file against the signed manifest
 * while writing the files into staging (pack_verify), and refuses a pack
 * older than the live one unless the operator allows it on purpose.
 *
 * Not thread-safe: one thread at a time may use a library (the operator
 * menu runs an import on a worker thread and does not touch the library
 * until it is joined).
 */
#ifndef KIOSK_PACK_LIBRARY_H
#define KIOSK_PACK_LIBRARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pack/packkey.h"

#define LIBRARY_FACTORY "factory"
#define LIBRARY_FOLDER "library"
/* Free space an import leaves on the data partition, for the log. */
#define LIBRARY_RESERVE_BYTES (INT64_C(64) * 1024 * 1024)

/* One library: the factory one or an installed pack. */
struct library_pack {
	char *name;          /* LIBRARY_FACTORY or the pack's folder; NULL: none */
	char *content_dir;   /* the folder holding its files */
	int64_t version;     /* the pack's version; 0: the factory library */
	char *publisher;     /* "" for the factory library */
	char *created;       /* when the publisher made it; "" for the factory */
	char *installed;     /* when this kiosk imported it (UTC); "" factory */
	char key_id[PACKKEY_ID_LEN + 1];   /* who signed it; "" factory */
	int64_t files, bytes;              /* 0 for the factory library */
};

struct library;

/* Open the library state under data_dir, with factory_dir as the factory
 * library. Clears what an interrupted import left (the staging folder, a
 * half-written state, packs the state does not name). A state that
 * cannot be read, or names a pack that is gone, is logged and the factory
 * library (or the previous pack) is shown instead; nothing is removed
 * then. Never NULL. */
struct library *library_open(const char *data_dir, const char *factory_dir);

/* Accepts NULL. */
void library_destroy(struct library *lib);

/* The live library (never NULL) and the one a rollback returns to (NULL:
 * none). Valid until the next import, rollback or destroy. */
const struct library_pack *library_current(const struct library *lib);
const struct library_pack *library_previous(const struct library *lib);

/* Read the public key files listed in list (':'-separated, as the config's
 * pack_keys) into keys[0..max). A key that cannot be read is logged,
 * naming the file, and left out. Returns how many were read. */
size_t library_load_keys(const char *list, struct packkey_public *keys,
			 size_t max);

enum library_stage {
	LIBRARY_COPYING,     /* the pack is copied off the stick */
	LIBRARY_CHECKING,    /* signature, hashes, files written to staging */
	LIBRARY_SWITCHING,   /* making the new library live */
};

struct library_import_opts {
	const struct packkey_public *keys;   /* the trusted keys */
	size_t n_keys;
	/* The operator installs a pack older than (or as old as) the live
	 * one on purpose. */
	bool allow_older;
	/* A file larger than this is refused; 0: PACK_MAX_FILE_BYTES. */
	int64_t max_file_bytes;
	/* NULL, or called on the importing thread as the work goes on (bytes
	 * done of total in this stage); returning false cancels. */
	bool (*progress)(void *user, enum library_stage stage, int64_t done,
			 int64_t total);
	void *progress_user;
};

enum library_result {
	LIBRARY_DONE,        /* the pack is the live library */
	LIBRARY_OLDER,       /* a trusted pack older than the live one */
	LIBRARY_SAME,        /* a trusted pack of the live one's version */
	LIBRARY_REFUSED,     /* anything else: *err says why */
	LIBRARY_CANCELLED,   /* progress returned false */
};

/* Import the pack at pack_path (a file on a USB stick) and make it the
 * live library; the live one becomes the previous, and the pack that was
 * previous is removed. Refused, with *err saying why and naming the file
 * (caller frees; set for every result but LIBRARY_DONE): no trusted key;
 * a pack that is not a regular file; not enough room (the pack's copy and
 * its files, plus LIBRARY_RESERVE_BYTES, on the data partition); a stick
 * that cannot be read to the end (pulled out); a full disk; and every
 * refusal of pack_verify (unsigned, wrongly signed, changed files, bad
 * paths, links, devices, files over the limit). On any failure the live
 * library is unchanged and staging is cleared. */
enum library_result library_import(struct library *lib, const char *pack_path,
				   const struct library_import_opts *opts,
				   char **err);

/* Make the previous library live again and the live one the previous (so
 * a second rollback undoes the first). Returns false with *err when there
 * is no previous library or the state cannot be written (then nothing
 * changed). */
bool library_rollback(struct library *lib, char **err);

#endif
