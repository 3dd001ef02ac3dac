/*
 * usbmount: finding mounted USB sticks and the content packs on them.
 */
#include "base/usbmount.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

struct list {
	char **v;
	size_t n, cap;
};

static void list_add(struct list *l, char *s)
{
	if (l->n + 2 > l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **list_done(struct list *l, size_t *n)
{
	if (!l->v)
		l->v = xcalloc(1, sizeof *l->v);
	qsort(l->v, l->n, sizeof *l->v, cmp_str);
	if (n)
		*n = l->n;
	return l->v;
}

void usbmount_free(char **list)
{
	if (!list)
		return;
	for (char **p = list; *p; p++)
		free(*p);
	free(list);
}

/* Folders in dir that are mount points (with depth 2, also in its
 * sub-folders); every folder when any_folder (the test root). */
static void scan(const char *dir, int depth, bool any_folder,
		 bool writable_only, struct list *out)
{
	struct stat parent;
	if (stat(dir, &parent) != 0)
		return;
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		/* raspi-config's overlay file system mounts the real root
		 * at /media/root-ro and its RAM layer at /media/root-rw */
		if (de->d_name[0] == '.' || (!any_folder &&
		    (!strcmp(de->d_name, "root-ro") || !strcmp(de->d_name, "root-rw"))))
			continue;
		char *path = path_join(dir, de->d_name);
		struct stat st;
		if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			free(path);
			continue;
		}
		if (any_folder || st.st_dev != parent.st_dev) {
			if (!writable_only || access(path, W_OK) == 0) {
				list_add(out, path);
				path = NULL;
			}
		} else if (depth > 1) {
			scan(path, depth - 1, false, writable_only, out);
		}
		free(path);
	}
	closedir(d);
}

char **usbmount_list(bool writable_only, size_t *n)
{
	struct list l = {0};
	const char *root = getenv("KIOSK_MEDIA_ROOT");
	if (root && *root) {
		scan(root, 1, true, writable_only, &l);
	} else {
		scan("/media", 2, false, writable_only, &l);
		scan("/run/media", 2, false, writable_only, &l);
	}
	return list_done(&l, n);
}

static bool is_pack_name(const char *name)
{
	size_t len = strlen(name), ext = strlen(USBMOUNT_PACK_EXT);
	return name[0] != '.' && len > ext &&
	       strcasecmp(name + len - ext, USBMOUNT_PACK_EXT) == 0;
}

static void find_packs(const char *dir, int depth, struct list *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *path = path_join(dir, de->d_name);
		struct stat st;
		if (lstat(path, &st) == 0) {
			if (S_ISREG(st.st_mode) && is_pack_name(de->d_name)) {
				list_add(out, path);
				path = NULL;
			} else if (S_ISDIR(st.st_mode) && depth > 1) {
				find_packs(path, depth - 1, out);
			}
		}
		free(path);
	}
	closedir(d);
}

char **usbmount_find_packs(const char *root, size_t *n)
{
	struct list l = {0};
	find_packs(root, 2, &l);
	return list_done(&l, n);
}
