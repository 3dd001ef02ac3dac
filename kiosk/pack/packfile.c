/*
 * packfile: make, sign and verify content packs (see packfile.h). The tar
 * format is libarchive's, the hashes and signatures libsodium's, the
 * manifest jansson's (manifest.c).
 */
#include "pack/packfile.h"

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <sodium.h>

#include "base/util.h"

/* Bytes copied at a time. */
#define CHUNK_BYTES (64 * 1024)
/* The longest MANIFEST.sig read: "ed25519 " id, base64 of 64 bytes. */
#define SIG_MAX_BYTES 512
#define SIG_ALGORITHM "ed25519"

void pack_info_finish(struct pack_info *info)
{
	if (!info)
		return;
	free(info->publisher);
	free(info->created);
	memset(info, 0, sizeof *info);
}

static void info_fill(struct pack_info *info, const struct manifest *m,
		      const char *key_id)
{
	if (!info)
		return;
	memset(info, 0, sizeof *info);
	info->version = m->version;
	info->publisher = xstrdup(m->publisher);
	info->created = xstrdup(m->created);
	info->files = m->n_files;
	info->bytes = m->total_bytes;
	snprintf(info->key_id, sizeof info->key_id, "%s", key_id ? key_id : "");
}

/* ---- names in UTF-8 whatever the locale -------------------------------- */

/* libarchive converts entry names between UTF-8 (pax headers) and the
 * locale's character set; in the C locale (the kiosk never calls
 * setlocale) that fails on any non-ASCII name. So every pack operation
 * runs its thread in a C.UTF-8 character-type locale (uselocale: this
 * thread only, restored after), where the conversion is the identity. */
static locale_t utf8_loc;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_init(void)
{
	static const char *const names[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8"};
	for (size_t i = 0; i < ARRAY_LEN(names) && !utf8_loc; i++)
		utf8_loc = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
}

/* Enter the UTF-8 locale; returns what to give utf8_leave. Without one
 * (no C.UTF-8 installed) ASCII names still work and others are refused
 * as not UTF-8. */
static locale_t utf8_enter(void)
{
	pthread_once(&utf8_once, utf8_init);
	return utf8_loc ? uselocale(utf8_loc) : (locale_t)0;
}

static void utf8_leave(locale_t old)
{
	if (old)
		uselocale(old);
}

/* ---- writing: a temporary file renamed into place ----------------------- */

struct writer {
	const char *path;               /* the pack's final name */
	char *tmp;                      /* the temporary file beside it */
	int fd;
	struct archive *a;
	time_t mtime;                   /* of every entry */
};

static bool writer_open(struct writer *w, const char *path, char **err)
{
	memset(w, 0, sizeof *w);
	w->path = path;
	w->fd = -1;
	w->mtime = time(NULL);
	char *copy1 = xstrdup(path), *copy2 = xstrdup(path);
	w->tmp = xasprintf("%s/.%s.XXXXXX", dirname(copy1), basename(copy2));
	free(copy1);
	free(copy2);
	w->fd = mkstemp(w->tmp);
	if (w->fd < 0) {
		*err = xasprintf("%s: cannot create a temporary file beside it: "
				 "%s", path, strerror(errno));
		free(w->tmp);
		w->tmp = NULL;
		return false;
	}
	fchmod(w->fd, 0644);
	w->a = archive_write_new();
	if (archive_write_set_format_pax_restricted(w->a) != ARCHIVE_OK ||
	    archive_write_open_fd(w->a, w->fd) != ARCHIVE_OK) {
		*err = xasprintf("%s: cannot start the archive: %s", path,
				 archive_error_string(w->a));
		return false;
	}
	return true;
}

/* Abandon the pack: nothing is left behind. */
static void writer_abort(struct writer *w)
{
	if (w->a)
		archive_write_free(w->a);
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp) {
		unlink(w->tmp);
		free(w->tmp);
	}
	memset(w, 0, sizeof *w);
	w->fd = -1;
}

static bool writer_header(struct writer *w, const char *name, int64_t size,
			  char **err)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname_utf8(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, size);
	archive_entry_set_mtime(e, w->mtime, 0);
	int r = archive_write_header(w->a, e);
	archive_entry_free(e);
	if (r != ARCHIVE_OK) {
		*err = xasprintf("%s: cannot write the entry '%s': %s", w->path,
				 name, archive_error_string(w->a));
		return false;
	}
	return true;
}

static bool writer_data(struct writer *w, const void *buf, size_t n,
			char **err)
{
	if (n && archive_write_data(w->a, buf, n) != (la_ssize_t)n) {
		*err = xasprintf("%s: cannot write: %s", w->path,
				 archive_error_string(w->a));
		return false;
	}
	return true;
}

static bool writer_small(struct writer *w, const char *name, const void *buf,
			 size_t n, char **err)
{
	return writer_header(w, name, (int64_t)n, err) &&
	       writer_data(w, buf, n, err);
}

/* Finish the archive, fsync, rename into place. Aborts on failure. */
static bool writer_commit(struct writer *w, char **err)
{
	int r = archive_write_close(w->a);
	if (r != ARCHIVE_OK) {
		*err = xasprintf("%s: cannot write: %s", w->path,
				 archive_error_string(w->a));
		writer_abort(w);
		return false;
	}
	archive_write_free(w->a);
	w->a = NULL;
	if (fsync(w->fd) != 0 || close(w->fd) != 0) {
		*err = xasprintf("%s: cannot write: %s", w->path, strerror(errno));
		w->fd = -1;
		writer_abort(w);
		return false;
	}
	w->fd = -1;
	if (rename(w->tmp, w->path) != 0) {
		*err = xasprintf("%s: cannot rename %s to it: %s", w->path, w->tmp,
				 strerror(errno));
		writer_abort(w);
		return false;
	}
	free(w->tmp);
	w->tmp = NULL;
	return true;
}

/* ---- creating ----------------------------------------------------------- */

/* Is out_path inside the folder dir (so it would be packed next time)? */
static bool inside(const char *dir, const char *out_path)
{
	char *copy = xstrdup(out_path);
	char *rd = realpath(dir, NULL), *ro = realpath(dirname(copy), NULL);
	free(copy);
	bool in = false;
	if (rd && ro) {
		size_t n = strlen(rd);
		in = strncmp(rd, ro, n) == 0 &&
		     (ro[n] == '\0' || ro[n] == '/' || (n == 1 && rd[0] == '/'));
	}
	free(rd);
	free(ro);
	return in;
}

/* Copy the file f of dir into the pack, hashing it again. */
static bool copy_in(struct writer *w, const char *dir,
		    const struct manifest_file *f, unsigned char *buf,
		    char **err)
{
	char *src = path_join(dir, f->path);
	char *name = xasprintf(PACK_CONTENT_PREFIX "%s", f->path);
	int fd = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	bool ok = false;
	if (fd < 0) {
		*err = xasprintf("%s: cannot read: %s", src, strerror(errno));
		goto out;
	}
	if (!writer_header(w, name, f->size, err))
		goto out;
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	int64_t total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, CHUNK_BYTES);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*err = xasprintf("%s: cannot read: %s", src,
					 strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		total += n;
		if (total > f->size)
			break;
		crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
		if (!writer_data(w, buf, (size_t)n, err))
			goto out;
	}
	unsigned char sha[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, sha);
	if (total != f->size || sodium_memcmp(sha, f->sha256, sizeof sha) != 0) {
		*err = xasprintf("%s: changed while the pack was made (pack it "
				 "again when nobody is editing the library)",
				 src);
		goto out;
	}
	ok = true;
out:
	if (fd >= 0)
		close(fd);
	free(name);
	free(src);
	return ok;
}

/* pack_create's work, in the UTF-8 locale (utf8_enter). */
static bool create_pack(const char *dir, const char *out_path,
			int64_t version, const char *publisher,
			struct pack_info *info, size_t *hidden, char **err)
{
	if (inside(dir, out_path)) {
		*err = xasprintf("%s: the pack may not be written inside the "
				 "library %s (it would be packed next time)",
				 out_path, dir);
		return false;
	}
	struct manifest m;
	if (!manifest_build(&m, dir, version, publisher, hidden, err))
		return false;
	size_t len;
	char *json = manifest_to_json(&m, &len);
	if (len > PACK_MAX_MANIFEST_BYTES) {
		*err = xasprintf("%s: too many files: the manifest would be %zu "
				 "bytes, over the %d a kiosk reads", dir, len,
				 PACK_MAX_MANIFEST_BYTES);
		free(json);
		manifest_finish(&m);
		return false;
	}
	struct writer w;
	unsigned char *buf = xmalloc(CHUNK_BYTES);
	bool ok = writer_open(&w, out_path, err) &&
		  writer_small(&w, PACK_MANIFEST_NAME, json, len, err);
	for (size_t i = 0; ok && i < m.n_files; i++)
		ok = copy_in(&w, dir, &m.files[i], buf, err);
	if (ok)
		ok = writer_commit(&w, err);
	else
		writer_abort(&w);
	if (ok)
		info_fill(info, &m, NULL);
	free(buf);
	free(json);
	manifest_finish(&m);
	return ok;
}

bool pack_create(const char *dir, const char *out_path, int64_t version,
		 const char *publisher, struct pack_info *info, size_t *hidden,
		 char **err)
{
	locale_t old = utf8_enter();
	bool ok = create_pack(dir, out_path, version, publisher, info, hidden,
			      err);
	utf8_leave(old);
	return ok;
}

/* ---- reading ------------------------------------------------------------ */

struct reader {
	const char *path;               /* the pack, for messages */
	struct archive *a;
	struct archive_entry *e;        /* the current entry */
	bool pending;                   /* e is read but not yet handled */
	char *manifest;                 /* MANIFEST.json's bytes */
	size_t manifest_len;
	char *sig;                      /* MANIFEST.sig's text, NULL: none */
	struct manifest m;
	bool *seen;                     /* per manifest file */
	unsigned char *buf;             /* CHUNK_BYTES */
	char *err;
};

static bool fail(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *why = xvasprintf(fmt, ap);
	va_end(ap);
	free(r->err);
	r->err = xasprintf("%s: %s", r->path, why);
	free(why);
	return false;
}

static bool reader_open(struct reader *r, const char *path)
{
	memset(r, 0, sizeof *r);
	r->path = path;
	r->buf = xmalloc(CHUNK_BYTES);
	r->a = archive_read_new();
	/* tar only (ustar, pax, GNU); no compression filters. */
	archive_read_support_format_tar(r->a);
	struct stat st;
	if (stat(path, &st) != 0)
		return fail(r, "cannot open: %s", strerror(errno));
	if (archive_read_open_filename(r->a, path, CHUNK_BYTES) != ARCHIVE_OK)
		return fail(r, "not a readable content pack (tar): %s",
			    archive_error_string(r->a));
	return true;
}

static void reader_close(struct reader *r)
{
	if (r->a)
		archive_read_free(r->a);
	free(r->manifest);
	free(r->sig);
	free(r->seen);
	free(r->buf);
	manifest_finish(&r->m);
	free(r->err);
}

/* The next entry into r->e; *eof at the end. */
static bool reader_next(struct reader *r, bool *eof)
{
	*eof = false;
	int rc = archive_read_next_header(r->a, &r->e);
	if (rc == ARCHIVE_EOF) {
		*eof = true;
		return true;
	}
	if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
		return fail(r, "not a readable content pack (tar): %s",
			    archive_error_string(r->a));
	return true;
}

/* The current entry's name, if it is an acceptable regular file entry. */
static const char *entry_checked(struct reader *r)
{
	struct archive_entry *e = r->e;
	const char *name = archive_entry_pathname_utf8(e);
	if (!name) {
		fail(r, "an entry's name is not UTF-8");
		return NULL;
	}
	const char *target;
	if ((target = archive_entry_hardlink_utf8(e))) {
		fail(r, "entry '%s' is a hard link (to '%s'); a pack holds "
		     "regular files only", name, target);
		return NULL;
	}
	switch (archive_entry_filetype(e)) {
	case AE_IFREG:
		break;
	case AE_IFLNK:
		target = archive_entry_symlink_utf8(e);
		fail(r, "entry '%s' is a symbolic link (to '%s'); a pack holds "
		     "regular files only", name, target ? target : "?");
		return NULL;
	case AE_IFCHR:
	case AE_IFBLK:
		fail(r, "entry '%s' is a device file; a pack holds regular files "
		     "only", name);
		return NULL;
	case AE_IFIFO:
		fail(r, "entry '%s' is a FIFO; a pack holds regular files only",
		     name);
		return NULL;
	case AE_IFDIR:
		fail(r, "entry '%s' is a folder entry; a pack holds regular "
		     "files only", name);
		return NULL;
	default:
		fail(r, "entry '%s' is not a regular file; a pack holds regular "
		     "files only", name);
		return NULL;
	}
	char *why = manifest_path_check(name);
	if (why) {
		fail(r, "entry '%s': %s", name, why);
		free(why);
		return NULL;
	}
	if (!archive_entry_size_is_set(e) || archive_entry_size(e) < 0) {
		fail(r, "entry '%s' has no size", name);
		return NULL;
	}
	return name;
}

/* Read the current (small) entry whole into *out (NUL-terminated). */
static bool read_small(struct reader *r, const char *name, size_t max,
		       char **out, size_t *len)
{
	int64_t size = archive_entry_size(r->e);
	if (size > (int64_t)max)
		return fail(r, "%s is %" PRId64 " bytes, more than the %zu "
			    "allowed", name, size, max);
	char *s = xmalloc((size_t)size + 1);
	size_t got = 0;
	while (got < (size_t)size) {
		la_ssize_t n = archive_read_data(r->a, s + got,
						 (size_t)size - got);
		if (n <= 0) {
			free(s);
			return fail(r, "%s: cannot read: %s", name,
				    n < 0 ? archive_error_string(r->a)
					  : "the pack ends early");
		}
		got += (size_t)n;
	}
	s[got] = '\0';
	*out = s;
	*len = got;
	return true;
}

/* Read MANIFEST.json and MANIFEST.sig (when there is one); leaves the
 * next entry pending. */
static bool read_head(struct reader *r)
{
	bool eof;
	if (!reader_next(r, &eof))
		return false;
	if (eof)
		return fail(r, "empty archive: not a content pack");
	const char *name = entry_checked(r);
	if (!name)
		return false;
	if (strcmp(name, PACK_MANIFEST_NAME) != 0)
		return fail(r, "the first entry is '%s', not " PACK_MANIFEST_NAME
			    " (not a content pack?)", name);
	if (!read_small(r, PACK_MANIFEST_NAME, PACK_MAX_MANIFEST_BYTES,
			&r->manifest, &r->manifest_len))
		return false;
	if (!reader_next(r, &eof))
		return false;
	if (eof)
		return true;
	name = archive_entry_pathname_utf8(r->e);
	if (name && strcmp(name, PACK_SIGNATURE_NAME) == 0) {
		size_t len;
		if (!entry_checked(r) ||
		    !read_small(r, PACK_SIGNATURE_NAME, SIG_MAX_BYTES, &r->sig,
				&len))
			return false;
		if (!reader_next(r, &eof))
			return false;
		if (eof)
			return true;
	}
	r->pending = true;
	return true;
}

/* Check MANIFEST.sig against the trusted keys; *key_id: the signer's. */
static bool check_signature(struct reader *r, const struct packkey_public *keys,
			    size_t n_keys, char key_id[PACKKEY_ID_LEN + 1])
{
	if (!r->sig)
		return fail(r, "not signed (no " PACK_SIGNATURE_NAME "); sign it "
			    "with kiosk sign --key NAME.secret");
	/* "ed25519 <key id> <base64>\n", exactly. */
	char alg[16], id[PACKKEY_ID_LEN + 2], b64[SIG_MAX_BYTES];
	unsigned char sig[PACKKEY_SIG_BYTES];
	size_t len = strlen(r->sig);
	char *copy = NULL;
	if (len == 0 || r->sig[len - 1] != '\n' || strchr(r->sig, '\n') !=
	    r->sig + len - 1 ||
	    sscanf(r->sig, "%15s %17s %511s", alg, id, b64) != 3 ||
	    strcmp(alg, SIG_ALGORITHM) != 0 ||
	    strlen(id) != PACKKEY_ID_LEN ||
	    strcmp(r->sig, (copy = xasprintf("%s %s %s\n", alg, id, b64))) != 0 ||
	    !packkey_unbase64(b64, sig, sizeof sig)) {
		free(copy);
		return fail(r, PACK_SIGNATURE_NAME " is malformed (expected "
			    "\"" SIG_ALGORITHM " <key id> <base64 signature>\")");
	}
	free(copy);
	snprintf(key_id, PACKKEY_ID_LEN + 1, "%s", id);
	const struct packkey_public *key = NULL;
	for (size_t i = 0; i < n_keys && !key; i++)
		if (strcmp(keys[i].id, id) == 0)
			key = &keys[i];
	if (!key) {
		char *list = xstrdup("");
		for (size_t i = 0; i < n_keys; i++) {
			char *l = xasprintf("%s%s%s", list, i ? ", " : "",
					    keys[i].id);
			free(list);
			list = l;
		}
		fail(r, "signed by key %s, which is not trusted (trusted: %s)",
		     id, n_keys ? list : "none");
		free(list);
		return false;
	}
	if (!packkey_verify(key, r->manifest, r->manifest_len, sig))
		return fail(r, "the signature by key %s does not match "
			    PACK_MANIFEST_NAME " (changed after signing, or "
			    "damaged)", id);
	return true;
}

static bool parse_manifest(struct reader *r, int64_t max_file_bytes)
{
	char *why = NULL;
	if (!manifest_parse(&r->m, r->manifest, r->manifest_len, max_file_bytes,
			    &why)) {
		fail(r, PACK_MANIFEST_NAME ": %s", why);
		free(why);
		return false;
	}
	r->seen = xcalloc(r->m.n_files, sizeof *r->seen);
	return true;
}

/* Where the files go while they are read: nowhere, a staging folder, or
 * another pack (pack_sign). */
struct sink {
	int stage_fd;                   /* -1: none */
	const char *stage_path;         /* for messages */
	struct writer *w;               /* NULL: none */
	/* pack_verify_opts' progress and its user data; progress may be NULL */
	bool (*progress)(void *user, int64_t done_bytes, int64_t total_bytes);
	void *progress_user;
	int64_t done_bytes;             /* content bytes read so far */
};

/* Open stage/rel for writing, making its folders, following nothing. */
static int stage_open(struct reader *r, const struct sink *s, const char *rel)
{
	int dfd = dup(s->stage_fd);
	char *copy = xstrdup(rel);
	char *comp = copy, *slash;
	int fd = -1;
	while (dfd >= 0 && (slash = strchr(comp, '/'))) {
		*slash = '\0';
		if (mkdirat(dfd, comp, 0755) != 0 && errno != EEXIST) {
			fail(r, "%s/%s: cannot create the folder: %s",
			     s->stage_path, rel, strerror(errno));
			goto out;
		}
		int sub = openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				 O_CLOEXEC);
		if (sub < 0) {
			fail(r, "%s/%s: cannot open the folder '%s': %s",
			     s->stage_path, rel, comp, strerror(errno));
			goto out;
		}
		close(dfd);
		dfd = sub;
		comp = slash + 1;
	}
	if (dfd < 0) {
		fail(r, "%s: %s", s->stage_path, strerror(errno));
		goto out;
	}
	fd = openat(dfd, comp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0644);
	if (fd < 0)
		fail(r, "%s/%s: cannot create: %s", s->stage_path, rel,
		     strerror(errno));
out:
	if (dfd >= 0)
		close(dfd);
	free(copy);
	return fd;
}

static bool write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

/* Check the pending content entry against the manifest, streaming its
 * bytes into the sink. */
static bool read_file(struct reader *r, struct sink *s)
{
	const char *name = entry_checked(r);
	if (!name)
		return false;
	if (!strcmp(name, PACK_MANIFEST_NAME) || !strcmp(name, PACK_SIGNATURE_NAME))
		return fail(r, "entry '%s' is out of place (it must come first)",
			    name);
	size_t plen = strlen(PACK_CONTENT_PREFIX);
	if (strncmp(name, PACK_CONTENT_PREFIX, plen) != 0)
		return fail(r, "entry '%s' is not under " PACK_CONTENT_PREFIX
			    " (a pack holds " PACK_MANIFEST_NAME ", "
			    PACK_SIGNATURE_NAME " and " PACK_CONTENT_PREFIX
			    " only)", name);
	const char *rel = name + plen;
	const struct manifest_file *f = manifest_find(&r->m, rel);
	if (!f)
		return fail(r, "entry '%s' is not in the manifest (a file added "
			    "after the pack was made)", name);
	size_t idx = (size_t)(f - r->m.files);
	if (r->seen[idx])
		return fail(r, "entry '%s' appears twice", name);
	r->seen[idx] = true;
	int64_t size = archive_entry_size(r->e);
	if (size != f->size)
		return fail(r, "entry '%s' is %" PRId64 " bytes, the manifest "
			    "says %" PRId64 " (the file was changed)", name, size,
			    f->size);

	char *ename = xstrdup(name);  /* name lives in the entry */
	int fd = -1;
	bool ok = false;
	if (s->stage_fd >= 0 && (fd = stage_open(r, s, rel)) < 0)
		goto out;
	if (s->w && !writer_header(s->w, ename, f->size, &r->err))
		goto out;
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	int64_t total = 0;
	for (;;) {
		la_ssize_t n = archive_read_data(r->a, r->buf, CHUNK_BYTES);
		if (n < 0) {
			fail(r, "entry '%s': cannot read: %s", ename,
			     archive_error_string(r->a));
			goto out;
		}
		if (n == 0)
			break;
		total += n;
		if (total > f->size) {
			fail(r, "entry '%s' holds more than its %" PRId64 " bytes",
			     ename, f->size);
			goto out;
		}
		crypto_hash_sha256_update(&h, r->buf, (unsigned long long)n);
		if (fd >= 0 && !write_all(fd, r->buf, (size_t)n)) {
			fail(r, "%s/%s: cannot write: %s", s->stage_path, rel,
			     strerror(errno));
			goto out;
		}
		if (s->w && !writer_data(s->w, r->buf, (size_t)n, &r->err))
			goto out;
		s->done_bytes += n;
		if (s->progress && !s->progress(s->progress_user, s->done_bytes,
						r->m.total_bytes)) {
			fail(r, "cancelled while checking entry '%s'", ename);
			goto out;
		}
	}
	unsigned char sha[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, sha);
	if (total != f->size) {
		fail(r, "entry '%s' ends after %" PRId64 " of its %" PRId64
		     " bytes (a damaged pack)", ename, total, f->size);
		goto out;
	}
	if (sodium_memcmp(sha, f->sha256, sizeof sha) != 0) {
		fail(r, "entry '%s': its SHA-256 differs from the manifest's (the "
		     "file was changed)", ename);
		goto out;
	}
	if (fd >= 0 && fsync(fd) != 0) {
		fail(r, "%s/%s: cannot write: %s", s->stage_path, rel,
		     strerror(errno));
		goto out;
	}
	ok = true;
out:
	if (fd >= 0 && close(fd) != 0 && ok) {
		ok = fail(r, "%s/%s: cannot write: %s", s->stage_path, rel,
			  strerror(errno));
	}
	free(ename);
	return ok;
}

/* Read every content entry, then check that none is missing. */
static bool read_files(struct reader *r, struct sink *s)
{
	bool eof = !r->pending;
	while (!eof) {
		if (!read_file(r, s) || !reader_next(r, &eof))
			return false;
	}
	size_t missing = 0, first = 0;
	for (size_t i = 0; i < r->m.n_files; i++)
		if (!r->seen[i] && missing++ == 0)
			first = i;
	if (missing)
		return fail(r, PACK_CONTENT_PREFIX "%s is in the manifest but not "
			    "in the pack (%zu file%s missing)",
			    r->m.files[first].path, missing,
			    missing == 1 ? "" : "s");
	return true;
}

/* Open extract_to as an empty folder. */
static int stage_dir(struct reader *r, const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		fail(r, "%s: cannot open the staging folder: %s", path,
		     strerror(errno));
		return -1;
	}
	int dup_fd = dup(fd);
	DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!d) {
		fail(r, "%s: cannot read the staging folder: %s", path,
		     strerror(errno));
		if (dup_fd >= 0)
			close(dup_fd);
		close(fd);
		return -1;
	}
	struct dirent *de;
	bool empty = true;
	while (empty && (de = readdir(d)))
		empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
	closedir(d);
	if (!empty) {
		fail(r, "%s: the staging folder is not empty", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* pack_verify's work, in the UTF-8 locale (utf8_enter). */
static bool verify_pack(const char *pack_path,
			const struct pack_verify_opts *opts,
			struct pack_info *info, char **err)
{
	struct reader r;
	struct sink s = {.stage_fd = -1, .stage_path = opts->extract_to,
			 .progress = opts->progress,
			 .progress_user = opts->progress_user};
	char key_id[PACKKEY_ID_LEN + 1] = "";
	int64_t max_file = opts->max_file_bytes > 0 ? opts->max_file_bytes
						    : PACK_MAX_FILE_BYTES;
	bool ok = packkey_init(err);
	if (!ok)
		return false;
	ok = reader_open(&r, pack_path) && read_head(&r) &&
	     check_signature(&r, opts->keys, opts->n_keys, key_id) &&
	     parse_manifest(&r, max_file);
	if (ok && opts->version_seen)
		*opts->version_seen = r.m.version;
	if (ok && r.m.version < opts->min_version)
		ok = fail(&r, "its version %" PRId64 " is older than the %" PRId64
			  " needed", r.m.version, opts->min_version);
	if (ok && opts->max_total_bytes > 0 &&
	    r.m.total_bytes > opts->max_total_bytes)
		ok = fail(&r, "its files need %" PRId64 " bytes, more than the "
			  "%" PRId64 " there is room for", r.m.total_bytes,
			  opts->max_total_bytes);
	if (ok && opts->extract_to && (s.stage_fd = stage_dir(&r,
						 opts->extract_to)) < 0)
		ok = false;
	if (ok)
		ok = read_files(&r, &s);
	if (s.stage_fd >= 0)
		close(s.stage_fd);
	if (ok)
		info_fill(info, &r.m, key_id);
	else {
		*err = r.err;
		r.err = NULL;
	}
	reader_close(&r);
	return ok;
}

bool pack_verify(const char *pack_path, const struct pack_verify_opts *opts,
		 struct pack_info *info, char **err)
{
	locale_t old = utf8_enter();
	bool ok = verify_pack(pack_path, opts, info, err);
	utf8_leave(old);
	return ok;
}

/* pack_sign's work, in the UTF-8 locale (utf8_enter). */
static bool sign_pack(const char *pack_path, const struct packkey_secret *sk,
		      struct pack_info *info, char old_key_id[PACKKEY_ID_LEN + 1],
		      char **err)
{
	struct reader r;
	struct writer w = {.fd = -1};
	bool ok = packkey_init(err);
	if (!ok)
		return false;
	ok = reader_open(&r, pack_path) && read_head(&r) &&
	     parse_manifest(&r, PACK_MAX_FILE_BYTES);
	if (ok && old_key_id) {
		old_key_id[0] = '\0';
		if (r.sig)
			sscanf(r.sig, "%*s %16s", old_key_id);
	}
	if (ok) {
		unsigned char sig[PACKKEY_SIG_BYTES];
		packkey_sign(sk, r.manifest, r.manifest_len, sig);
		char *b64 = packkey_base64(sig, sizeof sig);
		char *line = xasprintf(SIG_ALGORITHM " %s %s\n", sk->pub.id, b64);
		free(b64);
		ok = writer_open(&w, pack_path, &r.err) &&
		     writer_small(&w, PACK_MANIFEST_NAME, r.manifest,
				  r.manifest_len, &r.err) &&
		     writer_small(&w, PACK_SIGNATURE_NAME, line, strlen(line),
				  &r.err);
		free(line);
	}
	if (ok) {
		struct sink s = {.stage_fd = -1, .w = &w};
		ok = read_files(&r, &s) && writer_commit(&w, &r.err);
	}
	if (!ok)
		writer_abort(&w);
	if (ok)
		info_fill(info, &r.m, sk->pub.id);
	else {
		*err = r.err;
		r.err = NULL;
	}
	reader_close(&r);
	return ok;
}

bool pack_sign(const char *pack_path, const struct packkey_secret *sk,
	       struct pack_info *info, char old_key_id[PACKKEY_ID_LEN + 1],
	       char **err)
{
	locale_t old = utf8_enter();
	bool ok = sign_pack(pack_path, sk, info, old_key_id, err);
	utf8_leave(old);
	return ok;
}
