/*
 * test_tpack: content packs as lists of entries, for tampering in tests.
 */
#include "test_tpack.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <cmocka.h>
#include <archive.h>

#include "base/util.h"
#include "pack/packfile.h"

void tpack_read(struct tpack *t, const char *path)
{
	locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t old = loc ? uselocale(loc) : (locale_t)0;
	memset(t, 0, sizeof *t);
	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_filename(a, path, 10240), ARCHIVE_OK);
	struct archive_entry *ae;
	while (archive_read_next_header(a, &ae) == ARCHIVE_OK) {
		struct tentry *e = &t->e[t->n++];
		e->name = xstrdup(archive_entry_pathname_utf8(ae));
		e->type = AE_IFREG;
		e->len = (size_t)archive_entry_size(ae);
		e->data = xmalloc(e->len + 1);
		assert_int_equal(archive_read_data(a, e->data, e->len),
				 (la_ssize_t)e->len);
		e->data[e->len] = '\0';
	}
	archive_read_free(a);
	if (old)
		uselocale(old);
	if (loc)
		freelocale(loc);
}

void tpack_write(const struct tpack *t, const char *path)
{
	locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t old = loc ? uselocale(loc) : (locale_t)0;
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < t->n; i++) {
		const struct tentry *e = &t->e[i];
		struct archive_entry *ae = archive_entry_new();
		archive_entry_set_pathname_utf8(ae, e->name);
		archive_entry_set_filetype(ae, (unsigned)e->type);
		archive_entry_set_perm(ae, 0644);
		if (e->link && e->hard)
			archive_entry_set_hardlink(ae, e->link);
		else if (e->link)
			archive_entry_set_symlink(ae, e->link);
		if (e->type == AE_IFCHR)
			archive_entry_set_rdev(ae, makedev(1, 3));
		archive_entry_set_size(ae, e->type == AE_IFREG && !e->hard
				       ? (la_int64_t)e->len : 0);
		assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
		if (e->type == AE_IFREG && !e->hard && e->len)
			assert_int_equal(archive_write_data(a, e->data, e->len),
					 (la_ssize_t)e->len);
		archive_entry_free(ae);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	if (old)
		uselocale(old);
	if (loc)
		freelocale(loc);
}

void tpack_free(struct tpack *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->e[i].name);
		free(t->e[i].data);
		free(t->e[i].link);
	}
	memset(t, 0, sizeof *t);
}

struct tentry *tpack_find(struct tpack *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->e[i].name, name))
			return &t->e[i];
	fail_msg("no entry '%s'", name);
	return NULL;
}

void tpack_add(struct tpack *t, const char *name, int type,
		      const char *data, const char *link, bool hard)
{
	struct tentry *e = &t->e[t->n++];
	memset(e, 0, sizeof *e);
	e->name = xstrdup(name);
	e->type = type;
	e->data = xstrdup(data ? data : "");
	e->len = strlen(e->data);
	e->link = link ? xstrdup(link) : NULL;
	e->hard = hard;
}

void tpack_remove(struct tpack *t, const char *name)
{
	struct tentry *e = tpack_find(t, name);
	free(e->name);
	free(e->data);
	free(e->link);
	size_t i = (size_t)(e - t->e);
	memmove(e, e + 1, (t->n - i - 1) * sizeof *e);
	t->n--;
}

void tpack_add_manifest(struct tpack *t, const char *json,
			const struct packkey_secret *sk)
{
	unsigned char sig[PACKKEY_SIG_BYTES];
	packkey_sign(sk, json, strlen(json), sig);
	char *b64 = packkey_base64(sig, sizeof sig);
	char *line = xasprintf("ed25519 %s %s\n", sk->pub.id, b64);
	tpack_add(t, PACK_MANIFEST_NAME, AE_IFREG, json, NULL, false);
	tpack_add(t, PACK_SIGNATURE_NAME, AE_IFREG, line, NULL, false);
	free(b64);
	free(line);
}
