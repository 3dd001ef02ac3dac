/*
 * test_tpack: a content pack as a list of tar entries, read, tampered
 * with and written again, for the tests of refusals (test_pack,
 * test_library).
 */
#ifndef KIOSK_TEST_TPACK_H
#define KIOSK_TEST_TPACK_H

#include <stdbool.h>
#include <stddef.h>

#include <archive_entry.h>

#include "pack/packkey.h"

/* The most entries a tpack holds. */
#define TPACK_MAX_ENTRIES 32

struct tentry {
	char *name;
	int type;                       /* AE_IFREG, AE_IFLNK, AE_IFCHR ... */
	char *data;
	size_t len;
	char *link;                     /* symlink or hard link target */
	bool hard;
};

struct tpack {
	struct tentry e[TPACK_MAX_ENTRIES];
	size_t n;
};

/* Read the pack at path into t (zeroed first). Fails the test on error. */
void tpack_read(struct tpack *t, const char *path);
/* Write t as a pax tar at path. */
void tpack_write(const struct tpack *t, const char *path);
/* Free t's entries; t is zeroed. */
void tpack_free(struct tpack *t);
/* The entry named name; fails the test when there is none. */
struct tentry *tpack_find(struct tpack *t, const char *name);
/* Append an entry: type AE_IFREG with data, or a link (hard or symbolic)
 * to link, or another type. */
void tpack_add(struct tpack *t, const char *name, int type, const char *data,
	       const char *link, bool hard);
/* Remove the entry named name. */
void tpack_remove(struct tpack *t, const char *name);
/* Append MANIFEST.json holding json and MANIFEST.sig signing it with sk. */
void tpack_add_manifest(struct tpack *t, const char *json,
			const struct packkey_secret *sk);

#endif
