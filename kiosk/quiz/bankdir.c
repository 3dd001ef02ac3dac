/*
 * bankdir: every bank in the library's quiz/ folder (quiz_bank_load_dir in
 * bank.h), each read by the parser of its format.
 */
#include "quiz/bank.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/log.h"
#include "base/util.h"

struct path_list {
	char **paths;
	size_t n, cap;
};

static void path_list_add(struct path_list *l, char *path)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->paths = xrealloc(l->paths, l->cap * sizeof *l->paths);
	}
	l->paths[l->n++] = path;
}

/* Collect the banks under dir (depth levels of sub-folders). */
static void collect(const char *dir, int depth, struct path_list *out,
		    struct diag_list *diags)
{
	DIR *d = opendir(dir);
	if (!d) {
		if (errno != ENOENT)
			diag_add(diags, DIAG_ERROR, dir, 0, 0,
				 "cannot read the quiz folder: %s",
				 strerror(errno));
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *path = path_join(dir, de->d_name);
		struct stat st;
		if (stat(path, &st) != 0) {
			free(path);
			continue;
		}
		if (S_ISDIR(st.st_mode) && depth > 0) {
			collect(path, depth - 1, out, diags);
			free(path);
		} else if (S_ISREG(st.st_mode) &&
			   (path_has_ext(path, "csv") ||
			    path_has_ext(path, "gift"))) {
			path_list_add(out, path);
		} else {
			free(path);
		}
	}
	closedir(d);
}

static int cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct quiz_bank *quiz_bank_load_dir(const char *dir,
				     const struct lang_registry *langs,
				     struct diag_list *diags)
{
	struct quiz_bank *bank = quiz_bank_create();
	struct path_list files = { 0 };
	collect(dir, 4, &files, diags);
	if (files.n)
		qsort(files.paths, files.n, sizeof *files.paths, cmp_paths);
	for (size_t i = 0; i < files.n; i++) {
		if (path_has_ext(files.paths[i], "csv"))
			quiz_bank_load_csv(bank, files.paths[i], langs, diags);
		else
			quiz_bank_load_gift(bank, files.paths[i], NULL, langs,
					    diags);
		free(files.paths[i]);
	}
	free(files.paths);
	if (bank->n)
		log_info("%s: %zu quiz questions (%zu distinct)", dir, bank->n,
			 quiz_bank_count(bank, NULL));
	return bank;
}

