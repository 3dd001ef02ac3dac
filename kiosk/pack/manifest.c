/*
 * manifest: a content pack's list of files, hashes and version, built
 * from a library folder and read back with every check (see manifest.h).
 */
#include "pack/manifest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "base/util.h"

/* Bytes read at a time while hashing. */
#define HASH_CHUNK_BYTES (64 * 1024)

void manifest_finish(struct manifest *m)
{
	for (size_t i = 0; i < m->n_files; i++)
		free(m->files[i].path);
	free(m->files);
	free(m->created);
	free(m->publisher);
	memset(m, 0, sizeof *m);
}

char *manifest_path_check(const char *path)
{
	size_t len = strlen(path);
	size_t bad;
	if (len == 0)
		return xstrdup("the path is empty");
	if (len > MANIFEST_MAX_PATH_BYTES)
		return xasprintf("the path is longer than %d bytes",
				 MANIFEST_MAX_PATH_BYTES);
	if (!utf8_valid(path, len, &bad))
		return xasprintf("the path is not UTF-8 (byte %zu)", bad);
	if (path[0] == '/')
		return xstrdup("the path is absolute (it must be relative to "
			       "the library)");
	for (const char *p = path; *p; p++) {
		if (*p == '\\')
			return xstrdup("the path has a backslash ('/' separates "
				       "folders)");
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return xstrdup("the path has a control character");
	}
	for (const char *c = path; c;) {
		const char *slash = strchr(c, '/');
		size_t n = slash ? (size_t)(slash - c) : strlen(c);
		if (n == 0)
			return xstrdup("the path has an empty component ('//' or "
				       "a trailing '/')");
		if (n == 1 && c[0] == '.')
			return xstrdup("the path has a '.' component");
		if (n == 2 && c[0] == '.' && c[1] == '.')
			return xstrdup("the path has a '..' component (it would "
				       "leave the library)");
		c = slash ? slash + 1 : NULL;
	}
	return NULL;
}

static int file_cmp(const void *a, const void *b)
{
	const struct manifest_file *x = a, *y = b;
	return strcmp(x->path, y->path);
}

const struct manifest_file *manifest_find(const struct manifest *m,
					  const char *path)
{
	struct manifest_file key = {.path = (char *)path};
	if (!m->n_files)
		return NULL;
	return bsearch(&key, m->files, m->n_files, sizeof *m->files, file_cmp);
}

/* ---- building ----------------------------------------------------------- */

struct walk {
	const char *root;               /* the library, for messages */
	struct manifest *m;
	size_t cap;
	size_t hidden;
	char *err;
};

static void add_file(struct walk *w, char *path, int64_t size,
		     const unsigned char sha[MANIFEST_SHA256_BYTES])
{
	if (w->m->n_files == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->m->files = xrealloc(w->m->files, w->cap * sizeof *w->m->files);
	}
	struct manifest_file *f = &w->m->files[w->m->n_files++];
	f->path = path;
	f->size = size;
	memcpy(f->sha256, sha, MANIFEST_SHA256_BYTES);
	w->m->total_bytes += size;
}

/* Hash the regular file name in dirfd (the path rel for messages). */
static bool hash_file(struct walk *w, int dirfd, const char *name,
		      const char *rel, int64_t *size,
		      unsigned char sha[MANIFEST_SHA256_BYTES])
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		w->err = xasprintf("%s/%s: cannot read: %s", w->root, rel,
				   strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		w->err = xasprintf("%s/%s: changed while being read", w->root, rel);
		close(fd);
		return false;
	}
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	unsigned char *buf = xmalloc(HASH_CHUNK_BYTES);
	int64_t total = 0;
	ssize_t n;
	bool ok = true;
	while ((n = read(fd, buf, HASH_CHUNK_BYTES)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			w->err = xasprintf("%s/%s: cannot read: %s", w->root, rel,
					   strerror(errno));
			ok = false;
			break;
		}
		crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
		total += n;
		if (total > PACK_MAX_FILE_BYTES) {
			w->err = xasprintf("%s/%s: larger than the limit of %" PRId64
					   " bytes a pack file may have", w->root,
					   rel, PACK_MAX_FILE_BYTES);
			ok = false;
			break;
		}
	}
	free(buf);
	close(fd);
	if (ok && total != st.st_size) {
		w->err = xasprintf("%s/%s: changed while being read (%" PRId64
				   " bytes read of %lld)", w->root, rel, total,
				   (long long)st.st_size);
		ok = false;
	}
	if (ok) {
		crypto_hash_sha256_final(&h, sha);
		*size = total;
	}
	return ok;
}

static const char *file_kind(mode_t mode)
{
	if (S_ISLNK(mode))
		return "a symbolic link";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device file";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/* Walk the folder rel (NULL: the root) opened as fd (taken). */
static bool walk_dir(struct walk *w, int fd, const char *rel)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		w->err = xasprintf("%s%s%s: cannot read the folder: %s", w->root,
				   rel ? "/" : "", rel ? rel : "", strerror(errno));
		close(fd);
		return false;
	}
	bool ok = true;
	struct dirent *de;
	errno = 0;
	while (ok && (de = readdir(d))) {
		const char *name = de->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (name[0] == '.') {
			w->hidden++;
			continue;
		}
		char *path = rel ? xasprintf("%s/%s", rel, name) : xstrdup(name);
		char *why = manifest_path_check(path);
		struct stat st;
		if (why) {
			w->err = xasprintf("%s/%s: %s", w->root, path, why);
			free(why);
			ok = false;
		} else if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			w->err = xasprintf("%s/%s: %s", w->root, path,
					   strerror(errno));
			ok = false;
		} else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY |
					 O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				w->err = xasprintf("%s/%s: cannot open the folder: "
						   "%s", w->root, path,
						   strerror(errno));
				ok = false;
			} else {
				ok = walk_dir(w, sub, path);
			}
		} else if (S_ISREG(st.st_mode)) {
			int64_t size;
			unsigned char sha[MANIFEST_SHA256_BYTES];
			if (hash_file(w, dirfd(d), name, path, &size, sha)) {
				add_file(w, path, size, sha);
				path = NULL;
			} else {
				ok = false;
			}
		} else {
			w->err = xasprintf("%s/%s: %s; a pack holds regular files "
					   "only (put the file itself there)",
					   w->root, path, file_kind(st.st_mode));
			ok = false;
		}
		free(path);
		errno = 0;
	}
	if (ok && errno != 0) {
		w->err = xasprintf("%s%s%s: cannot read the folder: %s", w->root,
				   rel ? "/" : "", rel ? rel : "", strerror(errno));
		ok = false;
	}
	closedir(d);
	return ok;
}

bool manifest_build(struct manifest *m, const char *dir, int64_t version,
		    const char *publisher, size_t *hidden, char **err)
{
	memset(m, 0, sizeof *m);
	if (version <= 0) {
		*err = xasprintf("version %" PRId64 ": a pack's version is a "
				 "positive whole number", version);
		return false;
	}
	if (sodium_init() < 0) {
		*err = xstrdup("libsodium cannot start");
		return false;
	}
	/* "content/" names its files "content/crc/..." in messages */
	char *root = xstrdup(dir);
	for (size_t n = strlen(root); n > 1 && root[n - 1] == '/'; n--)
		root[n - 1] = '\0';
	struct walk w = {.root = root, .m = m};
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		*err = xasprintf("%s: cannot open the library folder: %s", dir,
				 strerror(errno));
		free(root);
		return false;
	}
	bool walked = walk_dir(&w, fd, NULL);
	free(root);
	if (!walked) {
		*err = w.err;
		manifest_finish(m);
		return false;
	}
	if (m->n_files == 0) {
		*err = xasprintf("%s: no files to pack", dir);
		manifest_finish(m);
		return false;
	}
	if (m->n_files > MANIFEST_MAX_FILES) {
		*err = xasprintf("%s: %zu files, more than the %d a pack may "
				 "hold", dir, m->n_files, MANIFEST_MAX_FILES);
		manifest_finish(m);
		return false;
	}
	qsort(m->files, m->n_files, sizeof *m->files, file_cmp);
	m->version = version;
	m->publisher = xstrdup(publisher ? publisher : "");
	char created[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	m->created = xstrdup(created);
	if (hidden)
		*hidden = w.hidden;
	return true;
}

char *manifest_to_json(const struct manifest *m, size_t *len)
{
	json_t *root = json_object();
	json_object_set_new(root, "format", json_integer(MANIFEST_FORMAT));
	json_object_set_new(root, "version", json_integer(m->version));
	json_object_set_new(root, "created", json_string(m->created));
	json_object_set_new(root, "publisher", json_string(m->publisher));
	json_t *files = json_array();
	for (size_t i = 0; i < m->n_files; i++) {
		const struct manifest_file *f = &m->files[i];
		char hex[2 * MANIFEST_SHA256_BYTES + 1];
		sodium_bin2hex(hex, sizeof hex, f->sha256, sizeof f->sha256);
		json_t *o = json_object();
		json_object_set_new(o, "path", json_string(f->path));
		json_object_set_new(o, "size", json_integer(f->size));
		json_object_set_new(o, "sha256", json_string(hex));
		json_array_append_new(files, o);
	}
	json_object_set_new(root, "files", files);
	char *s = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s) {
		fprintf(stderr, "manifest: out of memory\n");
		abort();
	}
	char *out = xasprintf("%s\n", s);
	free(s);
	*len = strlen(out);
	return out;
}

/* ---- parsing ------------------------------------------------------------ */

/* Does any proper prefix folder of path exist as a file in m? */
static const char *folder_is_file(const struct manifest *m, const char *path)
{
	char buf[MANIFEST_MAX_PATH_BYTES + 1];
	for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
		size_t n = (size_t)(s - path);
		memcpy(buf, path, n);
		buf[n] = '\0';
		const struct manifest_file *f = manifest_find(m, buf);
		if (f)
			return f->path;
	}
	return NULL;
}

static char *parse_file(const json_t *o, size_t i, struct manifest_file *f,
			int64_t max_file_bytes)
{
	if (!json_is_object(o))
		return xasprintf("files[%zu] is not an object", i);
	const json_t *jp = json_object_get(o, "path");
	const json_t *js = json_object_get(o, "size");
	const json_t *jh = json_object_get(o, "sha256");
	if (!json_is_string(jp))
		return xasprintf("files[%zu]: \"path\" is missing or not a "
				 "string", i);
	const char *path = json_string_value(jp);
	char *why = manifest_path_check(path);
	if (why) {
		char *msg = xasprintf("files[%zu] '%s': %s", i, path, why);
		free(why);
		return msg;
	}
	if (!json_is_integer(js))
		return xasprintf("files[%zu] '%s': \"size\" is missing or not a "
				 "whole number", i, path);
	json_int_t size = json_integer_value(js);
	if (size < 0)
		return xasprintf("files[%zu] '%s': size %lld is negative", i,
				 path, (long long)size);
	if (size > max_file_bytes)
		return xasprintf("files[%zu] '%s': size %lld bytes is over the "
				 "limit of %" PRId64 " bytes", i, path,
				 (long long)size, max_file_bytes);
	const char *hex = json_is_string(jh) ? json_string_value(jh) : NULL;
	size_t got = 0;
	const char *end = NULL;
	if (!hex || strlen(hex) != 2 * MANIFEST_SHA256_BYTES ||
	    sodium_hex2bin(f->sha256, sizeof f->sha256, hex, strlen(hex), NULL,
			   &got, &end) != 0 ||
	    got != MANIFEST_SHA256_BYTES || *end != '\0')
		return xasprintf("files[%zu] '%s': \"sha256\" is missing or not "
				 "64 hex digits", i, path);
	f->path = xstrdup(path);
	f->size = size;
	return NULL;
}

bool manifest_parse(struct manifest *m, const char *json, size_t len,
		    int64_t max_file_bytes, char **err)
{
	memset(m, 0, sizeof *m);
	json_error_t jerr;
	/* jansson checks UTF-8 and refuses \u0000 in strings. */
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		*err = xasprintf("line %d, column %d: %s", jerr.line, jerr.column,
				 jerr.text);
		return false;
	}
	char *why = NULL;
	const json_t *jf = json_object_get(root, "format");
	const json_t *jv = json_object_get(root, "version");
	const json_t *jc = json_object_get(root, "created");
	const json_t *jpub = json_object_get(root, "publisher");
	const json_t *files = json_object_get(root, "files");
	if (!json_is_object(root))
		why = xstrdup("not a JSON object");
	else if (!json_is_integer(jf) || json_integer_value(jf) != MANIFEST_FORMAT)
		why = xasprintf("\"format\" is not %d (a pack made by a newer "
				"kiosk program?)", MANIFEST_FORMAT);
	else if (!json_is_integer(jv) || json_integer_value(jv) <= 0)
		why = xstrdup("\"version\" is missing or not a positive whole "
			      "number");
	else if (!json_is_string(jc))
		why = xstrdup("\"created\" is missing or not a string");
	else if (!json_is_string(jpub))
		why = xstrdup("\"publisher\" is missing or not a string");
	else if (!json_is_array(files))
		why = xstrdup("\"files\" is missing or not a list");
	else if (json_array_size(files) == 0)
		why = xstrdup("\"files\" is empty");
	else if (json_array_size(files) > MANIFEST_MAX_FILES)
		why = xasprintf("more than %d files", MANIFEST_MAX_FILES);
	if (why)
		goto fail;

	m->version = json_integer_value(jv);
	m->created = xstrdup(json_string_value(jc));
	m->publisher = xstrdup(json_string_value(jpub));
	size_t n = json_array_size(files);
	m->files = xcalloc(n, sizeof *m->files);
	for (size_t i = 0; i < n; i++) {
		why = parse_file(json_array_get(files, i), i, &m->files[i],
				 max_file_bytes);
		if (why)
			goto fail;
		m->n_files++;
		m->total_bytes += m->files[i].size;
		if (i > 0) {
			int c = strcmp(m->files[i - 1].path, m->files[i].path);
			if (c == 0) {
				why = xasprintf("files[%zu] '%s' is listed twice",
						i, m->files[i].path);
				goto fail;
			}
			if (c > 0) {
				why = xasprintf("files[%zu] '%s' is out of order "
						"(after '%s'; files are sorted "
						"by path)", i, m->files[i].path,
						m->files[i - 1].path);
				goto fail;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		const char *clash = folder_is_file(m, m->files[i].path);
		if (clash) {
			why = xasprintf("'%s' is a file and also a folder (of "
					"'%s')", clash, m->files[i].path);
			goto fail;
		}
	}
	json_decref(root);
	return true;
fail:
	json_decref(root);
	manifest_finish(m);
	*err = why;
	return false;
}
