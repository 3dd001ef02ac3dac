/*
 * tiles: a big picture as a grid of textures (see tiles.h).
 */
#include "ui/tiles.h"

#include <stdlib.h>

#include "base/util.h"

struct tiles {
	SDL_Renderer *renderer;
	struct image *pending;  /* tiles_begin: what is still to upload, owned */
	int next;               /* the next tile to upload */
	bool failed;
	int w, h;           /* picture size */
	int tile;           /* tile side */
	int nx, ny;
	SDL_Texture **tex;  /* nx * ny, row by row */
};

/* The tile side for renderer: max_tile, or the renderer's limit. */
static int tile_side(SDL_Renderer *renderer, int max_tile)
{
	if (max_tile > 0)
		return max_tile;
	SDL_RendererInfo info;
	max_tile = 4096;
	if (SDL_GetRendererInfo(renderer, &info) == 0) {
		if (info.max_texture_width > 0 && info.max_texture_width < max_tile)
			max_tile = info.max_texture_width;
		if (info.max_texture_height > 0 && info.max_texture_height < max_tile)
			max_tile = info.max_texture_height;
	}
	return max_tile;
}

static struct tiles *tiles_new(SDL_Renderer *renderer, const struct image *img,
			       int max_tile)
{
	struct tiles *t = xcalloc(1, sizeof *t);
	t->renderer = renderer;
	t->w = img->w;
	t->h = img->h;
	t->tile = tile_side(renderer, max_tile);
	t->nx = (img->w + t->tile - 1) / t->tile;
	t->ny = (img->h + t->tile - 1) / t->tile;
	t->tex = xcalloc((size_t)(t->nx * t->ny), sizeof *t->tex);
	return t;
}

/* Upload tile i of img. False when the texture cannot be made. */
static bool upload_tile(struct tiles *t, const struct image *img, int i)
{
	int tx = i % t->nx, ty = i / t->nx;
	int x = tx * t->tile, y = ty * t->tile;
	int w = img->w - x < t->tile ? img->w - x : t->tile;
	int h = img->h - y < t->tile ? img->h - y : t->tile;
	SDL_Texture *tex = SDL_CreateTexture(t->renderer, SDL_PIXELFORMAT_RGBA32,
					     SDL_TEXTUREACCESS_STATIC, w, h);
	if (!tex)
		return false;
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	SDL_SetTextureScaleMode(tex, SDL_ScaleModeLinear);
	SDL_Rect r = { 0, 0, w, h };
	SDL_UpdateTexture(tex, &r, img->pixels + (size_t)y * img->pitch + (size_t)x * 4,
			  img->pitch);
	t->tex[i] = tex;
	return true;
}

struct tiles *tiles_create(SDL_Renderer *renderer, const struct image *img,
			   int max_tile)
{
	struct tiles *t = tiles_new(renderer, img, max_tile);
	for (int i = 0; i < t->nx * t->ny; i++) {
		if (!upload_tile(t, img, i)) {
			tiles_destroy(t);
			return NULL;
		}
	}
	return t;
}

struct tiles *tiles_begin(SDL_Renderer *renderer, struct image *img, int max_tile)
{
	struct tiles *t = tiles_new(renderer, img, max_tile);
	t->pending = img;
	return t;
}

bool tiles_upload_some(struct tiles *t, double budget_ms)
{
	if (!t->pending)
		return !t->failed;
	Uint64 t0 = SDL_GetPerformanceCounter();
	double freq = (double)SDL_GetPerformanceFrequency();
	while (t->next < t->nx * t->ny) {
		if (!upload_tile(t, t->pending, t->next)) {
			t->failed = true;
			break;
		}
		t->next++;
		if ((SDL_GetPerformanceCounter() - t0) * 1000.0 / freq >= budget_ms)
			break;
	}
	if (t->failed || t->next == t->nx * t->ny) {
		image_destroy(t->pending);
		t->pending = NULL;
	}
	return !t->pending && !t->failed;
}

bool tiles_failed(const struct tiles *t)
{
	return t->failed;
}

void tiles_destroy(struct tiles *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nx * t->ny; i++)
		if (t->tex[i])
			SDL_DestroyTexture(t->tex[i]);
	image_destroy(t->pending);
	free(t->tex);
	free(t);
}

void tiles_size(const struct tiles *t, int *w, int *h)
{
	*w = t ? t->w : 0;
	*h = t ? t->h : 0;
}

int tiles_count(const struct tiles *t)
{
	return t ? t->nx * t->ny : 0;
}

int tiles_draw(const struct tiles *t, SDL_Renderer *renderer,
	       const SDL_FRect *dest, const SDL_Rect *clip)
{
	if (!t || dest->w <= 0 || dest->h <= 0)
		return 0;
	double sx = dest->w / t->w, sy = dest->h / t->h;
	int drawn = 0;
	for (int ty = 0; ty < t->ny; ty++) {
		for (int tx = 0; tx < t->nx; tx++) {
			int x = tx * t->tile, y = ty * t->tile;
			int w = t->w - x < t->tile ? t->w - x : t->tile;
			int h = t->h - y < t->tile ? t->h - y : t->tile;
			/* this tile on screen */
			double dx0 = dest->x + x * sx, dy0 = dest->y + y * sy;
			double dx1 = dx0 + w * sx, dy1 = dy0 + h * sy;
			/* cut to the clip, and cut the source the same way, so
			 * a renderer never scales more than is seen */
			double cx0 = dx0 > clip->x ? dx0 : clip->x;
			double cy0 = dy0 > clip->y ? dy0 : clip->y;
			double cx1 = dx1 < clip->x + clip->w ? dx1 : clip->x + clip->w;
			double cy1 = dy1 < clip->y + clip->h ? dy1 : clip->y + clip->h;
			if (cx1 <= cx0 || cy1 <= cy0)
				continue;
			double u0 = (cx0 - dx0) / sx, v0 = (cy0 - dy0) / sy;
			double u1 = (cx1 - dx0) / sx, v1 = (cy1 - dy0) / sy;
			/* whole source pixels; the destination follows them */
			int su0 = (int)u0, sv0 = (int)v0;
			int su1 = (int)(u1 + 0.999), sv1 = (int)(v1 + 0.999);
			if (su1 > w)
				su1 = w;
			if (sv1 > h)
				sv1 = h;
			SDL_Rect src = { su0, sv0, su1 - su0, sv1 - sv0 };
			SDL_FRect dst = { (float)(dx0 + su0 * sx), (float)(dy0 + sv0 * sy),
					  (float)((su1 - su0) * sx), (float)((sv1 - sv0) * sy) };
			if (src.w <= 0 || src.h <= 0)
				continue;
			SDL_RenderCopyF(renderer, t->tex[ty * t->nx + tx], &src, &dst);
			drawn++;
		}
	}
	return drawn;
}
