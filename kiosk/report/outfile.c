/*
 * outfile: writing one report file whole or not at all (see outfile.h).
 */
#include "report/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

bool outfile_write(const char *dir, const char *name, outfile_fill_fn *fill,
		   const void *data, const char *prefix)
{
	char *path = path_join(dir, name);
	char *tmp = xasprintf("%s.tmp", path);
	bool ok = false;
	FILE *out = fopen(tmp, "wb");
	if (!out) {
		fprintf(stderr, "%s%s: cannot write: %s\n", prefix, tmp,
			strerror(errno));
		goto done;
	}
	fill(out, data);
	ok = !ferror(out);
	int err = errno;
	if (fclose(out) != 0) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		fprintf(stderr, "%s%s: cannot write: %s\n", prefix, tmp,
			strerror(err ? err : EIO));
	} else if (rename(tmp, path) != 0) {
		fprintf(stderr, "%s%s: cannot rename to %s: %s\n", prefix,
			tmp, path, strerror(errno));
		ok = false;
	}
	if (!ok)
		unlink(tmp);
done:
	free(tmp);
	free(path);
	return ok;
}

bool outfile_mkdir(const char *dir, const char *prefix)
{
	if (mkdir_parents(dir))
		return true;
	fprintf(stderr, "%s%s: cannot create the directory: %s\n", prefix,
		dir, errno == EEXIST ? "a file of that name is in the way"
				     : strerror(errno));
	return false;
}
