/*
 * manifest: the list of a content pack's files with their sizes and
 * SHA-256 hashes, as JSON (jansson). The publisher signs its exact bytes;
 * the kiosk checks every file of the pack against it.
 *
 *   {"format": 1, "version": 7, "created": "2025-11-03T09:12:00Z",
 *    "publisher": "Trung tâm Văn hoá tỉnh",
 *    "files": [{"path": "crc/item.json", "size": 123, "sha256": "<hex>"},
 *              ...]}
 *
 * Paths are relative, '/'-separated, UTF-8, sorted by strcmp, each once;
 * see manifest_path_check for what a path may not be.
 */
#ifndef KIOSK_PACK_MANIFEST_H
#define KIOSK_PACK_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MANIFEST_FORMAT 1
/* The largest file a pack may hold. */
#define PACK_MAX_FILE_BYTES (INT64_C(4) << 30)
/* The longest path, in bytes (a file name on ext4 is at most 255). */
#define MANIFEST_MAX_PATH_BYTES 1024
/* The most files a pack may hold (the JSON would be over 100 MB). */
#define MANIFEST_MAX_FILES 1000000
#define MANIFEST_SHA256_BYTES 32

struct manifest_file {
	char *path;                     /* relative to the library */
	int64_t size;                   /* bytes */
	unsigned char sha256[MANIFEST_SHA256_BYTES];
};

struct manifest {
	int64_t version;                /* the pack's version, > 0 */
	char *created;                  /* ISO 8601 UTC, "2025-11-03T09:12:00Z" */
	char *publisher;                /* free text, may be "" */
	struct manifest_file *files;    /* sorted by path */
	size_t n_files;
	int64_t total_bytes;            /* sum of the sizes */
};

/* Free what m holds (accepts a zeroed m); m is zeroed after. */
void manifest_finish(struct manifest *m);

/* Is path acceptable as a file's path in a pack? Returns NULL when it is,
 * else a new message (caller frees) saying why not: empty, absolute, a
 * '..', '.' or empty component, a backslash, a control character, not
 * UTF-8, longer than MANIFEST_MAX_PATH_BYTES. */
char *manifest_path_check(const char *path);

/* Walk the library dir and fill m (zeroed by the call) with every regular
 * file under it, hashed. Names beginning with '.' (hidden files and
 * folders such as .git) are left out and counted in *hidden (may be
 * NULL). Refuses, naming the path: symbolic links, device files, FIFOs,
 * sockets, a path manifest_path_check refuses, a file over
 * PACK_MAX_FILE_BYTES, an unreadable file or folder, no files at all.
 * version must be > 0; publisher may be NULL (""). created is now.
 * Returns false with *err set (caller frees); m is then empty. */
bool manifest_build(struct manifest *m, const char *dir, int64_t version,
		    const char *publisher, size_t *hidden, char **err);

/* The JSON text of m (UTF-8, indented, ends in a newline): a new string,
 * caller frees; *len its length. */
char *manifest_to_json(const struct manifest *m, size_t *len);

/* Parse and check a manifest's bytes into m (zeroed by the call). Refuses
 * invalid JSON or UTF-8, a format other than MANIFEST_FORMAT, a version
 * that is not a positive integer, missing or mistyped fields, bad paths
 * (manifest_path_check), paths out of order or twice, a path that is both
 * a file and a folder ("a" and "a/b"), a size below 0 or over
 * max_file_bytes, a sha256 that is not 64 hex digits. Returns false with
 * *err set (caller frees, no file name: the caller adds it). */
bool manifest_parse(struct manifest *m, const char *json, size_t len,
		    int64_t max_file_bytes, char **err);

/* The entry for path, or NULL (binary search). */
const struct manifest_file *manifest_find(const struct manifest *m,
					  const char *path);

#endif
