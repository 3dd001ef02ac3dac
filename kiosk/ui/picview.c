/*
 * picview: a zoomable, pannable picture (see picview.h).
 */
#include "ui/picview.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/log.h"
#include "base/util.h"
#include "media/image.h"
#include "media/imgload.h"
#include "ui/tiles.h"
#include "ui/zoomview.h"

/* Zoom steps for the wheel and the +/- keys. */
#define ZOOM_STEP 1.25
/* A finger that moves less than this is a tap. */
#define TAP_SLOP_PX 12
/* Two taps within this time and distance are a double tap. */
#define DOUBLE_TAP_MS 350
#define DOUBLE_TAP_PX 60
/* Decode again when the screen shows the picture this much bigger than
 * it was decoded. */
#define REFINE_RATIO 1.3
/* Sharper pictures are uploaded in tiles of this side, for about this
 * long a frame. */
#define UPLOAD_TILE 512
#define UPLOAD_BUDGET_MS 4.0
/* At most this many screen pixels per picture pixel. */
#define MAX_PX_PER_PIXEL 2.0
/* A picture longer than this many times its width (or wider than this
 * many times its height) is refused: a panorama is some 10:1. */
#define PICVIEW_MAX_ASPECT 100

struct picview {
	SDL_Renderer *renderer;
	char *path;
	int64_t max_pixels;
	struct zoomview zv;
	struct tiles *tiles;
	struct tiles *next_tiles; /* a sharper picture being uploaded */
	int dec_w, dec_h;       /* size decoded */
	int full_w, full_h;     /* the picture's own size (upright) */
	struct imgload *refine; /* a sharper decode under way */
	bool refine_failed;     /* do not try again at this size */

	/* A drawn picture (picview_create_source). */
	const struct picsource *src;
	struct region_job *job; /* the visible region being drawn sharper */
	struct tiles *overlay;  /* the last sharp region, over the base */
	SDL_FRect overlay_at;   /* where, in content units */
	double overlay_scale;   /* the scale it was drawn at */

	/* the pointer gesture */
	bool down, dragging;
	int down_x, down_y, last_x, last_y;
	int64_t last_move_ms;
	double vx, vy;          /* drag velocity, px per second */
	int64_t last_tap_ms;
	int last_tap_x, last_tap_y;
	int64_t last_tick_ms;
};

/* ------------------------------------------------------------------ */
/* Drawn pictures: the visible region drawn again at the zoom          */
/* ------------------------------------------------------------------ */

struct region_job {
	pthread_t thread;
	const struct picsource *src;
	double scale;
	SDL_FRect at;           /* the region, content units */
	int x, y, w, h;         /* the same in pixels at scale */
	atomic_bool done;
	struct image *img;      /* written before done */
	char err[256];
};

static void *region_thread(void *arg)
{
	struct region_job *j = arg;
	j->img = j->src->render(j->src->userdata, j->scale, j->x, j->y, j->w, j->h,
				j->err, sizeof j->err);
	atomic_store(&j->done, true);
	return NULL;
}

/* Wait for the job, free it, hand over its image (may be NULL). */
static struct image *region_finish(struct region_job *j)
{
	if (!j)
		return NULL;
	pthread_join(j->thread, NULL);
	struct image *img = j->img;
	if (!img && j->err[0])
		log_warn("cannot draw the region sharper: %s", j->err);
	free(j);
	return img;
}

/* Draw the visible region at the current zoom when what is on screen
 * (the base, or an overlay from another zoom or place) is blurred. */
static void maybe_region(struct picview *pv)
{
	if (!pv->src || pv->job)
		return;
	double scale = zoomview_scale(&pv->zv);
	double base_scale = (double)pv->dec_w / pv->full_w;
	if (scale <= base_scale * 1.05)
		return;     /* the base is sharp enough */
	SDL_FRect vis = zoomview_visible(&pv->zv);
	const SDL_FRect *o = &pv->overlay_at;
	if (pv->overlay && fabs(pv->overlay_scale - scale) < scale * 0.02 &&
	    vis.x >= o->x - 0.5f && vis.y >= o->y - 0.5f &&
	    vis.x + vis.w <= o->x + o->w + 0.5f && vis.y + vis.h <= o->y + o->h + 0.5f)
		return;     /* already drawn */
	struct region_job *j = xcalloc(1, sizeof *j);
	j->src = pv->src;
	j->scale = scale;
	j->at = vis;
	j->x = (int)floor(vis.x * scale);
	j->y = (int)floor(vis.y * scale);
	j->w = (int)ceil((vis.x + vis.w) * scale) - j->x;
	j->h = (int)ceil((vis.y + vis.h) * scale) - j->y;
	j->at = (SDL_FRect){ (float)(j->x / scale), (float)(j->y / scale),
			     (float)(j->w / scale), (float)(j->h / scale) };
	atomic_init(&j->done, false);
	if (j->w <= 0 || j->h <= 0 || pthread_create(&j->thread, NULL, region_thread, j) != 0) {
		free(j);
		return;
	}
	pv->job = j;
}

/* Take in a finished region. */
static bool region_collect(struct picview *pv)
{
	if (!pv->job || !atomic_load(&pv->job->done))
		return false;
	SDL_FRect at = pv->job->at;
	double scale = pv->job->scale;
	struct image *img = region_finish(pv->job);
	pv->job = NULL;
	bool changed = false;
	if (img) {
		struct tiles *t = tiles_create(pv->renderer, img, 0);
		if (t) {
			tiles_destroy(pv->overlay);
			pv->overlay = t;
			pv->overlay_at = at;
			pv->overlay_scale = scale;
			changed = true;
		}
		image_destroy(img);
	}
	maybe_region(pv);       /* moved on meanwhile */
	return changed;
}

static bool set_image(struct picview *pv, const struct image *img)
{
	struct tiles *t = tiles_create(pv->renderer, img, 0);
	if (!t) {
		log_error("%s: cannot upload a %dx%d picture: %s", pv->path, img->w,
			  img->h, SDL_GetError());
		return false;
	}
	tiles_destroy(pv->tiles);
	pv->tiles = t;
	pv->dec_w = img->w;
	pv->dec_h = img->h;
	return true;
}

struct picview *picview_create_source(SDL_Renderer *renderer,
				      const struct picsource *src,
				      struct image *base, SDL_Rect box,
				      char *err, size_t err_size)
{
	struct zoomview fit;
	zoomview_init(&fit, src->content_w, src->content_h, box, 1);
	double s = zoomview_scale(&fit);
	if (!base) {
		int w = (int)lround(src->content_w * s), h = (int)lround(src->content_h * s);
		base = src->render(src->userdata, s, 0, 0, w > 0 ? w : 1, h > 0 ? h : 1,
				   err, err_size);
		if (!base)
			return NULL;
	}
	struct picview *pv = xcalloc(1, sizeof *pv);
	pv->renderer = renderer;
	pv->path = xstrdup("(drawn)");
	pv->src = src;
	pv->full_w = src->content_w;
	pv->full_h = src->content_h;
	pv->refine_failed = true;       /* no file to decode again */
	bool ok = set_image(pv, base);
	image_destroy(base);
	if (!ok) {
		snprintf(err, err_size, "cannot show the page: %s", SDL_GetError());
		picview_destroy(pv);
		return NULL;
	}
	zoomview_init(&pv->zv, pv->full_w, pv->full_h, box, src->max_px_per_content);
	return pv;
}

struct picview *picview_create(SDL_Renderer *renderer, const char *path,
			       SDL_Rect box, int64_t max_pixels, char *err,
			       size_t err_size)
{
	struct image_info info;
	struct image *img = image_load_limited(path, box.w, box.h, max_pixels,
					       &info, err, err_size);
	if (!img)
		return NULL;
	return picview_create_from(renderer, path, img, &info, box, max_pixels,
				   err, err_size);
}

struct picview *picview_create_from(SDL_Renderer *renderer, const char *path,
				    struct image *img,
				    const struct image_info *info, SDL_Rect box,
				    int64_t max_pixels, char *err, size_t err_size)
{
	if ((int64_t)info->full_w > (int64_t)info->full_h * PICVIEW_MAX_ASPECT ||
	    (int64_t)info->full_h > (int64_t)info->full_w * PICVIEW_MAX_ASPECT) {
		/* fitted, it would be a line of a pixel or less: the visitor
		 * would face a blank screen */
		snprintf(err, err_size, "%s: the picture is %dx%d pixels, too narrow "
			 "to be seen", path, info->full_w, info->full_h);
		image_destroy(img);
		return NULL;
	}
	struct picview *pv = xcalloc(1, sizeof *pv);
	pv->renderer = renderer;
	pv->path = xstrdup(path);
	pv->max_pixels = max_pixels;
	pv->full_w = info->full_w;
	pv->full_h = info->full_h;
	bool ok = set_image(pv, img);
	image_destroy(img);
	if (!ok) {
		snprintf(err, err_size, "%s: cannot show the picture: %s", path,
			 SDL_GetError());
		picview_destroy(pv);
		return NULL;
	}
	zoomview_init(&pv->zv, pv->full_w, pv->full_h, box, MAX_PX_PER_PIXEL);
	return pv;
}

void picview_destroy(struct picview *pv)
{
	if (!pv)
		return;
	image_destroy(imgload_finish(pv->refine, NULL, NULL, 0));
	image_destroy(region_finish(pv->job));
	tiles_destroy(pv->overlay);
	tiles_destroy(pv->next_tiles);
	tiles_destroy(pv->tiles);
	free(pv->path);
	free(pv);
}

void picview_set_box(struct picview *pv, SDL_Rect box)
{
	zoomview_set_box(&pv->zv, box);
}

double picview_zoom(const struct picview *pv)
{
	return pv->zv.zoom;
}

void picview_decoded_size(const struct picview *pv, int *w, int *h)
{
	*w = pv->dec_w;
	*h = pv->dec_h;
}

struct zoomview *picview_zoomview(struct picview *pv)
{
	return &pv->zv;
}

/* Start decoding a sharper picture when the zoom shows the current one
 * blown up and the file has more to give. */
static void maybe_refine(struct picview *pv)
{
	if (pv->refine || pv->refine_failed || pv->next_tiles)
		return;
	double shown_w = pv->full_w * zoomview_scale(&pv->zv);
	if (shown_w <= pv->dec_w * REFINE_RATIO || pv->dec_w >= pv->full_w)
		return;
	double want = shown_w < pv->full_w ? shown_w : pv->full_w;
	double k = want / pv->full_w;
	pv->refine = imgload_start(pv->path, (int)ceil(pv->full_w * k),
				   (int)ceil(pv->full_h * k), pv->max_pixels);
	if (!pv->refine)
		pv->refine_failed = true;
}

static bool in_box(const struct picview *pv, int x, int y)
{
	const SDL_Rect *b = &pv->zv.box;
	return x >= b->x && y >= b->y && x < b->x + b->w && y < b->y + b->h;
}

bool picview_event(struct picview *pv, const struct ui_event *ev, int64_t now_ms)
{
	struct zoomview *zv = &pv->zv;
	switch (ev->type) {
	case UI_POINTER_DOWN:
		if (!in_box(pv, ev->x, ev->y))
			return false;
		pv->down = true;
		pv->dragging = false;
		pv->down_x = pv->last_x = ev->x;
		pv->down_y = pv->last_y = ev->y;
		pv->last_move_ms = now_ms;
		pv->vx = pv->vy = 0;
		zoomview_fling(zv, 0, 0);
		return true;
	case UI_POINTER_MOVE: {
		if (!pv->down)
			return false;
		if (!pv->dragging && abs(ev->x - pv->down_x) + abs(ev->y - pv->down_y) <
					     TAP_SLOP_PX)
			return true;
		pv->dragging = true;
		int dx = ev->x - pv->last_x, dy = ev->y - pv->last_y;
		zoomview_pan(zv, dx, dy);
		double dt = (now_ms - pv->last_move_ms) / 1000.0;
		if (dt > 0.001) {
			/* smoothed, so one jittery sample does not fling */
			pv->vx = 0.6 * dx / dt + 0.4 * pv->vx;
			pv->vy = 0.6 * dy / dt + 0.4 * pv->vy;
		}
		pv->last_x = ev->x;
		pv->last_y = ev->y;
		pv->last_move_ms = now_ms;
		return true;
	}
	case UI_POINTER_UP:
		if (!pv->down)
			return false;
		pv->down = false;
		if (pv->dragging) {
			/* a finger that stopped before lifting does not fling */
			if (now_ms - pv->last_move_ms < 80)
				zoomview_fling(zv, pv->vx, pv->vy);
			pv->last_tick_ms = now_ms;
			return true;
		}
		if (now_ms - pv->last_tap_ms < DOUBLE_TAP_MS &&
		    abs(ev->x - pv->last_tap_x) + abs(ev->y - pv->last_tap_y) < DOUBLE_TAP_PX) {
			zoomview_toggle_at(zv, ev->x, ev->y);
			pv->last_tap_ms = 0;
			maybe_refine(pv);
			maybe_region(pv);
			return true;
		}
		pv->last_tap_ms = now_ms;
		pv->last_tap_x = ev->x;
		pv->last_tap_y = ev->y;
		return false;   /* a single tap is the caller's */
	case UI_POINTER_CANCEL:
		pv->down = pv->dragging = false;
		return true;
	case UI_PINCH:
		zoomview_zoom_at(zv, ev->scale, ev->x, ev->y);
		zoomview_pan(zv, ev->dx, ev->dy);
		maybe_refine(pv);
		maybe_region(pv);
		return true;
	case UI_WHEEL:
		if (!in_box(pv, ev->x, ev->y) || ev->dy == 0)
			return false;
		zoomview_zoom_at(zv, pow(ZOOM_STEP, ev->dy), ev->x, ev->y);
		maybe_refine(pv);
		maybe_region(pv);
		return true;
	case UI_VOLUME_UP:
	case UI_VOLUME_DOWN: {
		const SDL_Rect *b = &zv->box;
		zoomview_zoom_at(zv, ev->type == UI_VOLUME_UP ? ZOOM_STEP : 1 / ZOOM_STEP,
				 b->x + b->w / 2.0, b->y + b->h / 2.0);
		maybe_refine(pv);
		maybe_region(pv);
		return true;
	}
	case UI_NAV_UP: case UI_NAV_DOWN: case UI_NAV_LEFT: case UI_NAV_RIGHT: {
		if (zv->zoom <= 1.001)
			return false;
		double step_x = zv->box.w / 5.0, step_y = zv->box.h / 5.0;
		zoomview_pan(zv, ev->type == UI_NAV_LEFT ? step_x
				 : ev->type == UI_NAV_RIGHT ? -step_x : 0,
			     ev->type == UI_NAV_UP ? step_y
				 : ev->type == UI_NAV_DOWN ? -step_y : 0);
		return true;
	}
	default:
		return false;
	}
}

int picview_tick(struct picview *pv, int64_t now_ms, bool *redraw)
{
	int next = -1;
	if (pv->src) {
		/* after a pan or a fling has settled, the new place gets drawn */
		if (!pv->down && pv->zv.vx == 0 && pv->zv.vy == 0)
			maybe_region(pv);
		if (region_collect(pv))
			*redraw = true;
		if (pv->job)
			next = 30;
	}
	double dt = pv->last_tick_ms ? (now_ms - pv->last_tick_ms) / 1000.0 : 0;
	pv->last_tick_ms = now_ms;
	if (pv->zv.vx != 0 || pv->zv.vy != 0) {
		zoomview_step(&pv->zv, dt > 0 ? dt : 1.0 / 60);
		*redraw = true;
		next = 16;
	}
	if (pv->next_tiles) {
		/* a few tiles a frame, so the upload never holds one up */
		if (tiles_upload_some(pv->next_tiles, UPLOAD_BUDGET_MS)) {
			tiles_destroy(pv->tiles);
			pv->tiles = pv->next_tiles;
			pv->next_tiles = NULL;
			tiles_size(pv->tiles, &pv->dec_w, &pv->dec_h);
			*redraw = true;
			maybe_refine(pv);   /* zoomed further meanwhile */
		} else if (tiles_failed(pv->next_tiles)) {
			log_error("%s: cannot upload the sharper picture: %s", pv->path,
				  SDL_GetError());
			tiles_destroy(pv->next_tiles);
			pv->next_tiles = NULL;
			pv->refine_failed = true;
		}
		if (pv->next_tiles)
			next = next < 0 || next > 16 ? 16 : next;
	}
	if (pv->refine) {
		if (imgload_done(pv->refine)) {
			char err[256];
			struct image *img = imgload_finish(pv->refine, NULL, err, sizeof err);
			pv->refine = NULL;
			if (!img)
				log_warn("cannot decode a sharper picture: %s", err);
			if (img && img->w > pv->dec_w) {
				pv->next_tiles = tiles_begin(pv->renderer, img, UPLOAD_TILE);
				next = 0;
			} else {
				image_destroy(img);
				pv->refine_failed = true;
			}
		}
		if (pv->refine)
			next = next < 0 || next > 50 ? 50 : next;
	}
	return next;
}

void picview_draw(struct picview *pv, SDL_Renderer *renderer)
{
	SDL_FRect dest = zoomview_dest(&pv->zv);
	SDL_Rect clip = pv->zv.box;
	SDL_RenderSetClipRect(renderer, &clip);
	tiles_draw(pv->tiles, renderer, &dest, &clip);
	if (pv->overlay) {
		/* the sharp region over the base, wherever it is now */
		double s = zoomview_scale(&pv->zv);
		const SDL_FRect *o = &pv->overlay_at;
		SDL_FRect od = { (float)(dest.x + o->x * s), (float)(dest.y + o->y * s),
				 (float)(o->w * s), (float)(o->h * s) };
		tiles_draw(pv->overlay, renderer, &od, &clip);
	}
	SDL_RenderSetClipRect(renderer, NULL);
}
