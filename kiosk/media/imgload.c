/*
 * imgload: a picture decoded on its own thread (see imgload.h).
 */
#include "media/imgload.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"

struct imgload {
	pthread_t thread;
	char *path;
	int max_w, max_h;
	int64_t max_pixels;
	atomic_bool done;
	/* Written by the thread before done is set, read after. */
	struct image *img;
	struct image_info info;
	char err[256];
};

static void *run(void *arg)
{
	struct imgload *l = arg;
	l->img = image_load_limited(l->path, l->max_w, l->max_h, l->max_pixels,
				    &l->info, l->err, sizeof l->err);
	atomic_store(&l->done, true);
	return NULL;
}

struct imgload *imgload_start(const char *path, int max_w, int max_h,
			      int64_t max_pixels)
{
	struct imgload *l = xcalloc(1, sizeof *l);
	l->path = xstrdup(path);
	l->max_w = max_w;
	l->max_h = max_h;
	l->max_pixels = max_pixels;
	atomic_init(&l->done, false);
	if (pthread_create(&l->thread, NULL, run, l) != 0) {
		free(l->path);
		free(l);
		return NULL;
	}
	return l;
}

bool imgload_done(struct imgload *l)
{
	return l && atomic_load(&l->done);
}

struct image *imgload_finish(struct imgload *l, struct image_info *info,
			     char *err, size_t err_size)
{
	if (!l)
		return NULL;
	pthread_join(l->thread, NULL);
	struct image *img = l->img;
	if (img && info)
		*info = l->info;
	if (!img && err && err_size)
		snprintf(err, err_size, "%s", l->err);
	free(l->path);
	free(l);
	return img;
}

const char *imgload_path(const struct imgload *l)
{
	return l->path;
}

void imgload_box(const struct imgload *l, int *max_w, int *max_h)
{
	*max_w = l->max_w;
	*max_h = l->max_h;
}
