/*
 * fuzz_main: a main() for the fuzz targets where libFuzzer is not there
 * (gcc, or clang without its runtime): it runs the target once over each
 * input given, a file or every file of a folder, so the regression inputs
 * and seeds are still checked by `meson test --suite fuzz`. Options
 * (arguments starting with '-') are ignored, as libFuzzer's would be.
 * Exits 0 when every input ran; a failing input aborts, as under libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t n_inputs;

static void run_file(const char *path)
{
	size_t len = 0;
	char *data = file_read_all(path, &len);
	if (!data) {
		fprintf(stderr, "fuzz: cannot read %s\n", path);
		exit(1);
	}
	fprintf(stderr, "fuzz: running %s\n", path);
	/* a copy of exactly len bytes, so reads past the end are caught */
	uint8_t *copy = xmalloc(len ? len : 1);
	memcpy(copy, data, len);
	free(data);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	n_inputs++;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "fuzz: cannot read the folder %s\n", dir);
		exit(1);
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = path_join(dir, de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			run_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (argv[i][0] == '-')
			continue;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			run_dir(argv[i]);
		else
			run_file(argv[i]);
	}
	fprintf(stderr, "fuzz: %zu inputs ran\n", n_inputs);
	return 0;
}
