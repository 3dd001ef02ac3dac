/*
 * tiles: a picture of any size as a grid of textures, each no larger than
 * the renderer allows (a 24-megapixel photo is wider than many GPUs'
 * 4096-pixel limit), drawn with only the tiles in view.
 */
#ifndef KIOSK_UI_TILES_H
#define KIOSK_UI_TILES_H

#include <stdbool.h>

#include <SDL.h>

#include "media/image.h"

struct tiles;

/* Upload img (RGBA) to renderer as tiles of at most max_tile pixels a
 * side (0: the renderer's maximum texture size, at most 4096). NULL with
 * SDL's error set when a texture cannot be made. The image may be freed
 * afterwards. */
struct tiles *tiles_create(SDL_Renderer *renderer, const struct image *img,
			   int max_tile);
void tiles_destroy(struct tiles *t);      /* accepts NULL */

/* The same in steps, so a big picture does not hold up a frame: begin
 * takes the image over (it is freed when the upload is done or the tiles
 * destroyed), and each tiles_upload_some uploads tiles for about budget_ms
 * (at least one). Returns true when every tile is up (then draw as
 * usual), false while some are left or when a texture could not be made
 * (tiles_failed). */
struct tiles *tiles_begin(SDL_Renderer *renderer, struct image *img, int max_tile);
bool tiles_upload_some(struct tiles *t, double budget_ms);
bool tiles_failed(const struct tiles *t);

/* Size of the picture the tiles hold. */
void tiles_size(const struct tiles *t, int *w, int *h);
int tiles_count(const struct tiles *t);

/* Draw the picture so that all of it would cover dest (which may reach
 * far outside the screen), showing only what falls inside clip. Returns
 * the number of tiles drawn. */
int tiles_draw(const struct tiles *t, SDL_Renderer *renderer,
	       const SDL_FRect *dest, const SDL_Rect *clip);

#endif
