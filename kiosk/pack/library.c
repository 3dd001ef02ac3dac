/*
 * library: the live content library, content pack imports and rollback.
 */
#include "pack/library.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "pack/packfile.h"

#define STATE_NAME "state.json"
#define PACKS_FOLDER "packs"
#define STAGING_FOLDER "staging"
#define PACK_COPY_NAME "pack"           /* the copy off the stick */
#define TREE_NAME "tree"                /* the pack's folder being made */
#define PACK_INFO_NAME "pack.json"
#define CONTENT_FOLDER "content"
#define COPY_CHUNK_BYTES (1024 * 1024)

struct library {
	char *root;                     /* DATA_DIR/library */
	char *factory_dir;
	struct library_pack current;
	struct library_pack previous;   /* name NULL: none */
	bool importing;                 /* library_import under way */
};

/* ------------------------------------------------------------------------
 * Packs and the state
 * ------------------------------------------------------------------------ */

static void pack_finish(struct library_pack *p)
{
	free(p->name);
	free(p->content_dir);
	free(p->publisher);
	free(p->created);
	free(p->installed);
	memset(p, 0, sizeof *p);
}

static void pack_factory(const struct library *lib, struct library_pack *p)
{
	memset(p, 0, sizeof *p);
	p->name = xstrdup(LIBRARY_FACTORY);
	p->content_dir = xstrdup(lib->factory_dir);
	p->publisher = xstrdup("");
	p->created = xstrdup("");
	p->installed = xstrdup("");
}

/* A pack folder's name as the state may hold it. */
static bool name_ok(const char *name)
{
	return name && *name && name[0] != '.' && !strchr(name, '/') &&
	       strlen(name) < 200;
}

static const char *json_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* Fill p from packs/name; false (logged) when it is not a whole pack. */
static bool pack_load(const struct library *lib, const char *name,
		      struct library_pack *p)
{
	memset(p, 0, sizeof *p);
	if (!strcmp(name, LIBRARY_FACTORY)) {
		pack_factory(lib, p);
		return true;
	}
	if (!name_ok(name)) {
		log_error("%s/" STATE_NAME ": '%s' is not a pack's name", lib->root,
			  name);
		return false;
	}
	char *dir = xasprintf("%s/" PACKS_FOLDER "/%s", lib->root, name);
	char *info = path_join(dir, PACK_INFO_NAME);
	char *content = path_join(dir, CONTENT_FOLDER);
	json_error_t jerr;
	json_t *o = json_load_file(info, JSON_REJECT_DUPLICATES, &jerr);
	bool ok = false;
	if (!o) {
		log_error("%s: the installed pack cannot be read: %s (line %d)",
			  info, jerr.text, jerr.line);
	} else if (!json_is_integer(json_object_get(o, "version")) ||
		   json_integer_value(json_object_get(o, "version")) <= 0) {
		log_error("%s: the installed pack has no version", info);
	} else if (!dir_exists(content)) {
		log_error("%s: the installed pack has no content folder", dir);
	} else {
		p->name = xstrdup(name);
		p->content_dir = content;
		content = NULL;
		p->version = json_integer_value(json_object_get(o, "version"));
		p->publisher = xstrdup(json_str(o, "publisher"));
		p->created = xstrdup(json_str(o, "created"));
		p->installed = xstrdup(json_str(o, "installed"));
		snprintf(p->key_id, sizeof p->key_id, "%s", json_str(o, "key_id"));
		p->files = json_integer_value(json_object_get(o, "files"));
		p->bytes = json_integer_value(json_object_get(o, "bytes"));
		ok = true;
	}
	json_decref(o);
	free(content);
	free(info);
	free(dir);
	return ok;
}

/* Write the state naming current and previous (NULL: none) with
 * file_replace: its rename is the moment the live library changes. */
static bool state_write(const struct library *lib, const char *current,
			const char *previous, char **err)
{
	json_t *o = json_object();
	json_object_set_new(o, "current", json_string(current));
	if (previous)
		json_object_set_new(o, "previous", json_string(previous));
	char *text = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(o);
	char *path = path_join(lib->root, STATE_NAME);
	bool ok = file_replace(lib->root, path, text, 0644, err);
	free(text);
	free(path);
	return ok;
}

/* Remove packs/NAME folders the state does not name. */
static void remove_unnamed(const struct library *lib)
{
	char *packs = path_join(lib->root, PACKS_FOLDER);
	DIR *d = opendir(packs);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if ((lib->current.name && !strcmp(de->d_name, lib->current.name)) ||
		    (lib->previous.name && !strcmp(de->d_name, lib->previous.name)))
			continue;
		char *path = path_join(packs, de->d_name);
		log_info("%s: removing a content pack no longer in use", path);
		if (!path_remove_tree(path))
			log_warn("%s: cannot remove: %s", path, strerror(errno));
		free(path);
	}
	if (d)
		closedir(d);
	free(packs);
}

/* Remove the staging folder; leftover: it is what an interrupted import
 * left (said in the log). */
static void clear_staging(const struct library *lib, bool leftover)
{
	char *staging = path_join(lib->root, STAGING_FOLDER);
	struct stat st;
	if (lstat(staging, &st) == 0) {
		if (leftover)
			log_info("%s: clearing what an interrupted import left",
				 staging);
		if (!path_remove_tree(staging))
			log_warn("%s: cannot remove: %s", staging, strerror(errno));
		dir_fsync(lib->root);
	}
	free(staging);
}

/* Remove what an interrupted file_replace of the state left
 * (state.json.tmp-XXXXXX). */
static void remove_state_temps(const struct library *lib)
{
	DIR *d = opendir(lib->root);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, STATE_NAME ".tmp", strlen(STATE_NAME ".tmp")))
			continue;
		char *path = path_join(lib->root, de->d_name);
		unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
}

struct library *library_open(const char *data_dir, const char *factory_dir)
{
	struct library *lib = xcalloc(1, sizeof *lib);
	lib->root = path_join(data_dir, LIBRARY_FOLDER);
	lib->factory_dir = xstrdup(factory_dir);
	char *packs = path_join(lib->root, PACKS_FOLDER);
	if (!mkdir_parents(packs))
		log_warn("%s: cannot create: %s", packs, strerror(errno));
	free(packs);
	clear_staging(lib, true);
	remove_state_temps(lib);

	char *state = path_join(lib->root, STATE_NAME);
	json_error_t jerr;
	json_t *o = NULL;
	bool trusted = true;            /* the state was read: clean up */
	struct stat st;
	bool missing = lstat(state, &st) != 0 && errno == ENOENT;
	if (!missing && (lstat(state, &st) != 0 || !S_ISREG(st.st_mode))) {
		log_error("%s: the library state cannot be read (%s); showing the "
			  "factory library", state, strerror(errno ? errno : EINVAL));
		trusted = false;
	} else if (!missing) {
		o = json_load_file(state, JSON_REJECT_DUPLICATES, &jerr);
		if (!o || !json_is_string(json_object_get(o, "current"))) {
			log_error("%s: the library state cannot be read (%s); "
				  "showing the factory library", state,
				  o ? "no current library" : jerr.text);
			trusted = false;
		}
	}
	const char *cur = o ? json_string_value(json_object_get(o, "current")) : NULL;
	const char *prev = o ? json_string_value(json_object_get(o, "previous")) : NULL;
	if (cur && !pack_load(lib, cur, &lib->current)) {
		trusted = false;
		log_error("%s: the live library '%s' is damaged; showing the %s",
			  state, cur, prev ? "previous one" : "factory library");
		if (prev && pack_load(lib, prev, &lib->current))
			prev = NULL;
	}
	if (!lib->current.name)
		pack_factory(lib, &lib->current);
	if (prev && strcmp(prev, lib->current.name) &&
	    !pack_load(lib, prev, &lib->previous))
		trusted = false;
	if (trusted)
		remove_unnamed(lib);
	json_decref(o);
	free(state);
	log_info("library: %s (version %" PRId64 ")%s%s", lib->current.content_dir,
		 lib->current.version, lib->previous.name ? "; previous: " : "",
		 lib->previous.name ? lib->previous.name : "");
	return lib;
}

void library_destroy(struct library *lib)
{
	if (!lib)
		return;
	pack_finish(&lib->current);
	pack_finish(&lib->previous);
	free(lib->root);
	free(lib->factory_dir);
	free(lib);
}

const struct library_pack *library_current(const struct library *lib)
{
	return &lib->current;
}

const struct library_pack *library_previous(const struct library *lib)
{
	return lib->previous.name ? &lib->previous : NULL;
}

size_t library_load_keys(const char *list, struct packkey_public *keys,
			 size_t max)
{
	size_t n_paths, n = 0;
	const char **paths = config_split_paths(list, &n_paths);
	for (size_t i = 0; i < n_paths && n < max; i++) {
		char *err = NULL;
		if (packkey_load_public(paths[i], &keys[n], &err)) {
			n++;
		} else {
			log_error("pack_keys: %s", err);
			free(err);
		}
	}
	free(paths);
	return n;
}

/* ------------------------------------------------------------------------
 * Import
 * ------------------------------------------------------------------------ */

struct import {
	struct library *lib;
	const struct library_import_opts *opts;
	char *staging, *copy, *tree;
	char *err;
	bool cancelled;
};

static bool import_fail(struct import *im, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool import_fail(struct import *im, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *why = xvasprintf(fmt, ap);
	va_end(ap);
	free(im->err);
	im->err = why;
	return false;
}

static bool progress(struct import *im, enum library_stage stage, int64_t done,
		     int64_t total)
{
	if (im->opts->progress &&
	    !im->opts->progress(im->opts->progress_user, stage, done, total)) {
		im->cancelled = true;
		return false;
	}
	return true;
}

/* Free bytes for an unprivileged writer on the data partition. */
static int64_t free_bytes(const char *path)
{
	struct statvfs vfs;
	if (statvfs(path, &vfs) != 0)
		return INT64_MAX;
	return (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize;
}

static const char *mb(int64_t bytes, char *buf, size_t size)
{
	snprintf(buf, size, "%.1f MB", (double)bytes / 1e6);
	return buf;
}

/* Copy the pack off the stick into staging, so that no byte can change
 * after it is checked. */
static bool copy_in(struct import *im, const char *pack_path)
{
	int in = open(pack_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (in < 0)
		return import_fail(im, "%s: cannot open: %s", pack_path,
				   errno == ELOOP ? "it is a symbolic link"
						  : strerror(errno));
	struct stat st;
	if (fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(in);
		return import_fail(im, "%s: not a regular file", pack_path);
	}
	fcntl(in, F_SETFL, fcntl(in, F_GETFL) & ~O_NONBLOCK);
	int64_t size = st.st_size;
	int64_t room = free_bytes(im->lib->root) - LIBRARY_RESERVE_BYTES;
	char a[32], b[32];
	if (size > room) {
		close(in);
		return import_fail(im, "%s: the pack is %s, larger than the free "
				   "space on the kiosk (%s)", pack_path,
				   mb(size, a, sizeof a),
				   mb(room > 0 ? room : 0, b, sizeof b));
	}
	int out = open(im->copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		       O_NOFOLLOW, 0600);
	if (out < 0) {
		close(in);
		return import_fail(im, "%s: cannot copy it onto the kiosk (%s): %s",
				   pack_path, im->copy, strerror(errno));
	}
	unsigned char *buf = xmalloc(COPY_CHUNK_BYTES);
	int64_t done = 0;
	bool ok = progress(im, LIBRARY_COPYING, 0, size);
	while (ok && done < size) {
		ssize_t n = read(in, buf, COPY_CHUNK_BYTES);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ok = import_fail(im, "%s: cannot read from the USB stick "
					 "(was it pulled out?): %s", pack_path,
					 strerror(errno));
			break;
		}
		if (n == 0) {
			ok = import_fail(im, "%s: the file ended after %" PRId64
					 " of its %" PRId64 " bytes (was the USB "
					 "stick pulled out?)", pack_path, done, size);
			break;
		}
		for (ssize_t off = 0; ok && off < n;) {
			ssize_t k = write(out, buf + off, (size_t)(n - off));
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				ok = import_fail(im, "%s: cannot copy it onto "
						 "the kiosk (%s)%s: %s", pack_path,
						 im->copy, errno == ENOSPC ?
						 ", the kiosk's disk is full" : "",
						 strerror(errno));
			else
				off += k;
		}
		done += n;
		if (ok)
			ok = progress(im, LIBRARY_COPYING, done, size);
	}
	bool synced = ok && fsync(out) == 0;
	bool closed = close(out) == 0;
	if (ok && !(synced && closed))
		ok = import_fail(im, "%s: cannot copy it onto the kiosk (%s): %s",
				 pack_path, im->copy, strerror(errno));
	close(in);
	free(buf);
	return ok;
}

static bool verify_progress(void *user, int64_t done, int64_t total)
{
	return progress(user, LIBRARY_CHECKING, done, total);
}

/* fsync each folder of the tree (nftw has no user data: the first error
 * goes here). */
static _Thread_local int sync_errno;

static int sync_entry(const char *path, const struct stat *sb, int flag,
		      struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP && !dir_fsync(path) && !sync_errno)
		sync_errno = errno;
	return 0;
}

static bool sync_tree(const char *path)
{
	sync_errno = 0;
	if (nftw(path, sync_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return false;
	errno = sync_errno;
	return sync_errno == 0;
}

static void utc_now(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Write tree/pack.json from what the signed manifest said. */
static bool write_info(struct import *im, const struct pack_info *info,
		       const char *pack_path)
{
	char now[32];
	utc_now(now, sizeof now);
	const char *slash = strrchr(pack_path, '/');
	json_t *o = json_pack("{sI ss ss ss ss sI sI ss}",
			      "version", (json_int_t)info->version,
			      "publisher", info->publisher ? info->publisher : "",
			      "created", info->created ? info->created : "",
			      "installed", now,
			      "key_id", info->key_id,
			      "files", (json_int_t)info->files,
			      "bytes", (json_int_t)info->bytes,
			      "source", slash ? slash + 1 : pack_path);
	char *path = path_join(im->tree, PACK_INFO_NAME);
	char *text = o ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	bool ok = false;
	int fd = text ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644) : -1;
	if (fd >= 0) {
		size_t len = strlen(text);
		ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
		if (close(fd) != 0)
			ok = false;
	}
	if (!ok)
		import_fail(im, "%s: cannot write: %s", path,
			    text ? strerror(errno) : "not UTF-8");
	free(text);
	free(path);
	return ok;
}

/* A new folder name in packs/ for version v. */
static char *new_pack_name(const struct library *lib, int64_t v)
{
	for (int i = 1;; i++) {
		char *name = i == 1 ? xasprintf("v%" PRId64, v)
				    : xasprintf("v%" PRId64 "-%d", v, i);
		char *path = xasprintf("%s/" PACKS_FOLDER "/%s", lib->root, name);
		struct stat st;
		bool taken = lstat(path, &st) == 0;
		free(path);
		if (!taken)
			return name;
		free(name);
	}
}

static enum library_result do_import(struct import *im, const char *pack_path)
{
	struct library *lib = im->lib;
	const struct library_import_opts *opts = im->opts;
	if (opts->n_keys == 0) {
		import_fail(im, "%s: this kiosk trusts no publisher's key, so it "
			    "imports no pack (set pack_keys in the config)",
			    pack_path);
		return LIBRARY_REFUSED;
	}
	if (mkdir(im->staging, 0755) != 0 || mkdir(im->tree, 0755) != 0) {
		import_fail(im, "%s: cannot create: %s", im->staging, strerror(errno));
		return LIBRARY_REFUSED;
	}
	char *content = path_join(im->tree, CONTENT_FOLDER);
	bool made = mkdir(content, 0755) == 0;
	free(content);
	if (!made) {
		import_fail(im, "%s: cannot create: %s", im->tree, strerror(errno));
		return LIBRARY_REFUSED;
	}
	if (!copy_in(im, pack_path))
		return im->cancelled ? LIBRARY_CANCELLED : LIBRARY_REFUSED;

	/* Check it, writing its files into staging. */
	int64_t live = lib->current.version, seen = 0;
	int64_t room = free_bytes(lib->root) - LIBRARY_RESERVE_BYTES;
	content = path_join(im->tree, CONTENT_FOLDER);
	struct pack_verify_opts vo = {
		.keys = opts->keys,
		.n_keys = opts->n_keys,
		.max_file_bytes = opts->max_file_bytes,
		.max_total_bytes = room > 0 ? room : 1,
		.extract_to = content,
		.min_version = opts->allow_older ? 0 : live + 1,
		.version_seen = &seen,
		.progress = verify_progress,
		.progress_user = im,
	};
	struct pack_info info = {0};
	char *verr = NULL;
	bool ok = pack_verify(im->copy, &vo, &info, &verr);
	free(content);
	if (!ok) {
		enum library_result r = LIBRARY_REFUSED;
		if (im->cancelled) {
			r = LIBRARY_CANCELLED;
		} else if (seen > 0 && seen < vo.min_version) {
			r = seen == live ? LIBRARY_SAME : LIBRARY_OLDER;
			import_fail(im, "%s: version %" PRId64 " is %s the library "
				    "the kiosk shows (version %" PRId64 ")",
				    pack_path, seen, seen == live ? "the same as"
				    : "older than", live);
		} else {
			/* pack_verify names the copy: name the stick's file */
			const char *why = verr;
			size_t n = strlen(im->copy);
			if (!strncmp(why, im->copy, n) && why[n] == ':')
				why += n + 1 + (why[n + 1] == ' ');
			import_fail(im, "%s: %s", pack_path, why);
		}
		free(verr);
		return r;
	}
	if (unlink(im->copy) != 0)
		log_warn("%s: cannot remove: %s", im->copy, strerror(errno));

	/* Make it live. */
	ok = progress(im, LIBRARY_SWITCHING, 0, 1) && write_info(im, &info, pack_path);
	if (ok && !sync_tree(im->tree))
		ok = import_fail(im, "%s: cannot sync: %s", im->tree, strerror(errno));
	char *name = ok ? new_pack_name(lib, info.version) : NULL;
	char *dest = name ? xasprintf("%s/" PACKS_FOLDER "/%s", lib->root, name) : NULL;
	char *packs = path_join(lib->root, PACKS_FOLDER);
	if (ok && rename(im->tree, dest) != 0)
		ok = import_fail(im, "%s: cannot move into place: %s", dest,
				 strerror(errno));
	if (ok && !dir_fsync(packs))
		ok = import_fail(im, "%s: cannot sync the folder: %s", packs,
				 strerror(errno));
	struct library_pack fresh = {0};
	if (ok && !pack_load(lib, name, &fresh))
		ok = import_fail(im, "%s: the installed pack cannot be read back",
				 dest);
	/* the switch */
	if (ok && !state_write(lib, name, lib->current.name, &im->err))
		ok = false;
	if (!ok) {
		pack_finish(&fresh);
		if (dest)
			path_remove_tree(dest);  /* not live: leave no trace */
	}
	if (ok) {
		pack_finish(&lib->previous);
		lib->previous = lib->current;
		lib->current = fresh;
		remove_unnamed(lib);
		progress(im, LIBRARY_SWITCHING, 1, 1);
		log_info("library: imported %s: version %" PRId64 " from %s, %zu "
			 "files, %" PRId64 " bytes, signed by key %s", pack_path,
			 info.version, info.publisher && *info.publisher
			 ? info.publisher : "(no publisher)", info.files,
			 info.bytes, info.key_id);
	}
	pack_info_finish(&info);
	free(packs);
	free(dest);
	free(name);
	return ok ? LIBRARY_DONE : im->cancelled ? LIBRARY_CANCELLED
					      : LIBRARY_REFUSED;
}

enum library_result library_import(struct library *lib, const char *pack_path,
				   const struct library_import_opts *opts,
				   char **err)
{
	struct import im = {
		.lib = lib,
		.opts = opts,
		.staging = path_join(lib->root, STAGING_FOLDER),
	};
	im.copy = path_join(im.staging, PACK_COPY_NAME);
	im.tree = path_join(im.staging, TREE_NAME);
	if (lib->importing) {
		*err = xasprintf("%s: another import is under way", pack_path);
		free(im.staging);
		free(im.copy);
		free(im.tree);
		return LIBRARY_REFUSED;
	}
	lib->importing = true;
	clear_staging(lib, true);
	enum library_result r = do_import(&im, pack_path);
	clear_staging(lib, false);
	if (r == LIBRARY_CANCELLED)
		import_fail(&im, "%s: the import was cancelled", pack_path);
	else if (r != LIBRARY_DONE && !im.err)
		import_fail(&im, "%s: the import failed", pack_path);
	else if (r == LIBRARY_REFUSED && strstr(im.err, strerror(ENOSPC)) &&
		 !strstr(im.err, "disk is full")) {
		/* the disk filled up under the import (the log, another
		 * writer): say so first, naming the pack, then the detail
		 * (which may name a file in staging) */
		char *detail = im.err;
		size_t n = strlen(pack_path);
		const char *d = detail;
		if (!strncmp(d, pack_path, n) && d[n] == ':')
			d += n + 1 + (d[n + 1] == ' ');
		im.err = NULL;
		import_fail(&im, "%s: not imported: the kiosk's disk is full "
			    "(%s)", pack_path, d);
		free(detail);
	}
	lib->importing = false;
	if (r != LIBRARY_DONE) {
		log_warn("library: import refused: %s", im.err ? im.err : "?");
		*err = im.err;
		im.err = NULL;
	}
	free(im.err);
	free(im.staging);
	free(im.copy);
	free(im.tree);
	return r;
}

bool library_rollback(struct library *lib, char **err)
{
	if (!lib->previous.name) {
		*err = xstrdup("there is no previous library to go back to");
		return false;
	}
	if (!state_write(lib, lib->previous.name, lib->current.name, err))
		return false;
	struct library_pack was = lib->current;
	lib->current = lib->previous;
	lib->previous = was;
	log_info("library: rolled back to %s (version %" PRId64 "); %s (version %"
		 PRId64 ") is now the previous one", lib->current.name,
		 lib->current.version, lib->previous.name, lib->previous.version);
	return true;
}
