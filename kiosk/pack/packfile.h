/*
 * packfile: content packs, the signed archives a publisher makes of a
 * content library and a kiosk imports from a USB stick.
 *
 * A pack is a POSIX tar file (pax, written and read with libarchive,
 * uncompressed) holding, in this order:
 *   MANIFEST.json   the manifest (manifest.h): version, files, hashes
 *   MANIFEST.sig    "ed25519 <key id> <base64 signature>\n", the Ed25519
 *                   signature of MANIFEST.json's exact bytes (once signed)
 *   content/<path>  each file of the manifest, as a regular file entry
 * Nothing else: no folder entries, links, devices; no other names.
 *
 * The kiosk trusts the public keys it is given and nothing else, so
 * pack_verify checks the signature before it reads the manifest, and every
 * entry against the manifest while reading it once, entry by entry, never
 * holding a whole file in memory. With an extract_to folder it writes the
 * files there as it checks them (the kiosk's import into a staging
 * folder).
 */
#ifndef KIOSK_PACK_PACKFILE_H
#define KIOSK_PACK_PACKFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pack/manifest.h"
#include "pack/packkey.h"

#define PACK_MANIFEST_NAME "MANIFEST.json"
#define PACK_SIGNATURE_NAME "MANIFEST.sig"
#define PACK_CONTENT_PREFIX "content/"
/* The largest MANIFEST.json read (about 60 000 files). */
#define PACK_MAX_MANIFEST_BYTES (16 * 1024 * 1024)

/* What a pack holds, after it was made or verified. */
struct pack_info {
	int64_t version;                 /* the manifest's version */
	char *publisher;                 /* the manifest's; caller frees */
	char *created;                   /* the manifest's; caller frees */
	size_t files;                    /* files in the manifest */
	int64_t bytes;                   /* their total size */
	char key_id[PACKKEY_ID_LEN + 1]; /* the signing key ("" unsigned) */
};

/* Free the strings in info (accepts NULL); zeroes it. */
void pack_info_finish(struct pack_info *info);

/* Make an unsigned pack of the library dir at out_path: the manifest is
 * built (manifest_build: its refusals apply), then the files are copied
 * in and hashed again (a file changed in between is refused). Written to
 * a temporary file beside out_path, fsynced and renamed, so a failure
 * leaves no pack behind; an existing out_path is replaced. out_path may
 * not be inside dir. *hidden (may be NULL): hidden names left out.
 * Returns false with *err set (caller frees), naming the file. */
bool pack_create(const char *dir, const char *out_path, int64_t version,
		 const char *publisher, struct pack_info *info, size_t *hidden,
		 char **err);

/* Sign the pack at pack_path with sk: the pack is read and checked as
 * pack_verify does (without a signature), and written again with a new
 * MANIFEST.sig (replacing any earlier one; its key id in *old_key_id when
 * not NULL, "" when there was none), atomically as pack_create. */
bool pack_sign(const char *pack_path, const struct packkey_secret *sk,
	       struct pack_info *info, char old_key_id[PACKKEY_ID_LEN + 1],
	       char **err);

struct pack_verify_opts {
	const struct packkey_public *keys;  /* the trusted keys */
	size_t n_keys;
	/* A file larger than this is refused; 0: PACK_MAX_FILE_BYTES. */
	int64_t max_file_bytes;
	/* The files' total may not be larger (the free space where they
	 * go); 0: no limit. Checked before any file is read. */
	int64_t max_total_bytes;
	/* NULL: only check. Else an existing empty folder the files are
	 * written into (at their manifest paths, mode 0644, fsynced) while
	 * they are checked; nothing is followed out of it (openat,
	 * O_NOFOLLOW). When the pack is refused the folder holds what was
	 * written so far: the caller removes it. */
	const char *extract_to;
	/* A signed manifest whose version is below this is refused before
	 * any file is read; 0: any version. */
	int64_t min_version;
	/* NULL, or set to the manifest's version as soon as its signature is
	 * checked (left alone before that), so a caller can tell a refusal of
	 * a trusted pack's version from the rest. */
	int64_t *version_seen;
	/* NULL, or called on the calling thread after each chunk of content
	 * with the bytes checked so far and the manifest's total; returning
	 * false stops the check, refused as "cancelled". */
	bool (*progress)(void *user, int64_t done_bytes, int64_t total_bytes);
	void *progress_user;
};

/* Check the pack at pack_path: opts->keys must hold the key that signed
 * it. Refused, with *err saying why (caller frees; it begins with
 * pack_path and names the entry): not a tar file; MANIFEST.json missing,
 * not first, or too large; no signature; a malformed signature; a key not
 * trusted; a signature that does not match (the manifest changed after
 * signing); a bad manifest (manifest_parse); files larger than
 * max_total_bytes; any entry that is not a regular file (symbolic and
 * hard links, devices, FIFOs, folders); a name that is absolute or has a
 * '..'; a name outside content/ or not in the manifest or twice; a size
 * or SHA-256 that differs from the manifest's; a file of the manifest
 * missing. On success fills *info (may be NULL) and returns true. */
bool pack_verify(const char *pack_path, const struct pack_verify_opts *opts,
		 struct pack_info *info, char **err);

#endif
