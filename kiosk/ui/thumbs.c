/*
 * thumbs: grid thumbnails through the disk cache (see thumbs.h).
 */
#define _GNU_SOURCE /* gettid for the worker's priority */
#include "ui/thumbs.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "media/image.h"
#include "media/pdf.h"
#include "media/thumbcache.h"

/* The box every thumbnail is made for: a grid cell on a 4K screen. The
 * size is part of the cache key, so it does not follow the window. */
#define THUMB_W 512
#define THUMB_H 512

struct job {
	size_t index;
	char *path;
	enum thumb_kind kind;
	char *item_id;
	struct job *next;
};

/* QUEUED items are not looked up in the cache (a file system call per
 * frame) until the worker says they are done. */
enum state { NOT_TRIED = 0, QUEUED, MADE, FAILED };

struct done {
	size_t index;
	bool ok;
};

struct thumbs {
	struct thumbcache *tc;
	size_t n;
	SDL_Texture **tex;
	enum state *state;

	pthread_t worker;
	bool worker_started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	/* Guarded by lock. */
	struct job *first, *last;
	bool stop;
	struct done *done;      /* what the worker finished, for the main thread */
	size_t n_done, cap_done;
};

static pthread_once_t event_once = PTHREAD_ONCE_INIT;
static uint32_t event_type;

static void register_event(void)
{
	Uint32 t = SDL_RegisterEvents(1);
	event_type = t == (Uint32)-1 ? 0 : t;
}

uint32_t thumbs_event_type(void)
{
	pthread_once(&event_once, register_event);
	return event_type;
}

/* A PDF leaflet's first page, for thumbcache. */
static struct image *first_page(void *userdata, const char *path, int max_w,
				int max_h, char *err, size_t err_size)
{
	(void)userdata;
	struct pdf_doc *d = pdf_open(path, err, err_size);
	if (!d)
		return NULL;
	struct image *img = pdf_render_fit(d, 0, max_w, max_h, err, err_size);
	pdf_close(d);
	return img;
}

static void free_job(struct job *j)
{
	free(j->path);
	free(j->item_id);
	free(j);
}

static void *worker(void *arg)
{
	struct thumbs *t = arg;
	/* below the player and the screen: a grid filling in can wait */
	setpriority(PRIO_PROCESS, (id_t)gettid(), 10);
	for (;;) {
		pthread_mutex_lock(&t->lock);
		while (!t->stop && !t->first)
			pthread_cond_wait(&t->cond, &t->lock);
		if (t->stop) {
			pthread_mutex_unlock(&t->lock);
			break;
		}
		struct job *j = t->first;
		t->first = j->next;
		if (!t->first)
			t->last = NULL;
		pthread_mutex_unlock(&t->lock);

		char err[256];
		char *png = thumbcache_get(t->tc, j->path, j->kind, err, sizeof err);
		if (!png)
			log_warn("thumbnail of item %s cannot be made: %s", j->item_id, err);
		pthread_mutex_lock(&t->lock);
		if (t->n_done == t->cap_done) {
			t->cap_done = t->cap_done ? t->cap_done * 2 : 16;
			t->done = xrealloc(t->done, t->cap_done * sizeof *t->done);
		}
		t->done[t->n_done++] = (struct done){ j->index, png != NULL };
		pthread_mutex_unlock(&t->lock);
		free(png);
		free_job(j);
		SDL_Event ev;
		memset(&ev, 0, sizeof ev);
		ev.type = thumbs_event_type();
		if (ev.type)
			SDL_PushEvent(&ev);
	}
	return NULL;
}

struct thumbs *thumbs_create(const char *cache_dir, size_t n_items)
{
	struct thumbs *t = xcalloc(1, sizeof *t);
	t->n = n_items;
	t->tex = xcalloc(n_items ? n_items : 1, sizeof *t->tex);
	t->state = xcalloc(n_items ? n_items : 1, sizeof *t->state);
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->cond, NULL);
	t->tc = cache_dir ? thumbcache_create(cache_dir, THUMB_W, THUMB_H) : NULL;
	if (!t->tc)
		log_warn("thumbnail cache %s cannot be used; the grid shows "
			 "placeholders", cache_dir ? cache_dir : "(none)");
	else
		thumbcache_set_document_renderer(t->tc, first_page, NULL);
	thumbs_event_type();
	return t;
}

void thumbs_clear(struct thumbs *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		if (t->tex[i])
			SDL_DestroyTexture(t->tex[i]);
		t->tex[i] = NULL;
	}
}

void thumbs_destroy(struct thumbs *t)
{
	if (!t)
		return;
	if (t->worker_started) {
		thumbcache_cancel(t->tc);
		pthread_mutex_lock(&t->lock);
		t->stop = true;
		pthread_cond_broadcast(&t->cond);
		pthread_mutex_unlock(&t->lock);
		pthread_join(t->worker, NULL);
	}
	while (t->first) {
		struct job *j = t->first;
		t->first = j->next;
		free_job(j);
	}
	thumbs_clear(t);
	thumbcache_destroy(t->tc);
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->lock);
	free(t->done);
	free(t->tex);
	free(t->state);
	free(t);
}

/* What picture item's thumbnail comes from; false when none (a text
 * leaflet without a thumbnail: there is no picture to make one from, and
 * trying would only log a warning at every start). */
static bool source_of(const struct item *item, const char **path,
		      enum thumb_kind *kind)
{
	if (item->thumbnail) {
		*path = item->thumbnail;
		*kind = THUMB_PICTURE;
		return true;
	}
	if (item->n_media == 0)
		return false;
	*path = item->media[0].path;
	switch (item->type) {
	case ITEM_VIDEO:
	case ITEM_AUDIO:        /* its cover art, when it has one */
		*kind = THUMB_VIDEO;
		return true;
	case ITEM_LEAFLET:
		if (path_has_ext(*path, "md"))
			return false;
		*kind = path_has_ext(*path, "pdf") ? THUMB_DOCUMENT : THUMB_PICTURE;
		return true;
	default:
		*kind = THUMB_PICTURE;
		return true;
	}
}

/* Take in what the worker finished. */
static void collect_done(struct thumbs *t)
{
	pthread_mutex_lock(&t->lock);
	for (size_t i = 0; i < t->n_done; i++)
		if (t->done[i].index < t->n)
			t->state[t->done[i].index] = t->done[i].ok ? MADE : FAILED;
	t->n_done = 0;
	pthread_mutex_unlock(&t->lock);
}

static void enqueue(struct thumbs *t, size_t index, const char *path,
		    enum thumb_kind kind, const char *item_id)
{
	if (!t->worker_started) {
		if (pthread_create(&t->worker, NULL, worker, t) != 0) {
			t->state[index] = FAILED;
			return;
		}
		t->worker_started = true;
	}
	struct job *j = xcalloc(1, sizeof *j);
	j->index = index;
	j->path = xstrdup(path);
	j->kind = kind;
	j->item_id = xstrdup(item_id);
	pthread_mutex_lock(&t->lock);
	if (t->last)
		t->last->next = j;
	else
		t->first = j;
	t->last = j;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
	t->state[index] = QUEUED;
}

SDL_Texture *thumbs_get(struct thumbs *t, SDL_Renderer *renderer,
			const struct item *item, size_t index)
{
	if (!t || index >= t->n)
		return NULL;
	if (t->tex[index])
		return t->tex[index];
	collect_done(t);
	if (t->state[index] == FAILED || t->state[index] == QUEUED || !t->tc)
		return NULL;
	const char *path;
	enum thumb_kind kind;
	if (!source_of(item, &path, &kind)) {
		t->state[index] = FAILED;
		return NULL;
	}
	char *png = thumbcache_lookup(t->tc, path, kind);
	if (!png) {
		if (t->state[index] == NOT_TRIED)
			enqueue(t, index, path, kind, item->id);
		else
			t->state[index] = FAILED;   /* made, yet gone: not again */
		return NULL;
	}
	char err[256];
	struct image *img = image_load(png, 0, 0, err, sizeof err);
	free(png);
	SDL_Texture *tex = NULL;
	if (img) {
		tex = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_RGBA32,
					SDL_TEXTUREACCESS_STATIC, img->w, img->h);
		if (tex) {
			SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
			SDL_UpdateTexture(tex, NULL, img->pixels, img->pitch);
		}
		image_destroy(img);
	}
	if (!tex) {
		log_warn("thumbnail of item %s cannot be shown: %s", item->id,
			 img ? SDL_GetError() : err);
		t->state[index] = FAILED;
	}
	t->tex[index] = tex;
	return tex;
}
