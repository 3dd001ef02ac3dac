/*
 * thumbs: the grid's thumbnails. Each item's thumbnail is made once by
 * thumbcache (kiosk/media/thumbcache.h) and kept on disk; a cached one is
 * loaded at once, a missing one is made by a background thread while the
 * grid shows the item's placeholder, and an SDL event of type
 * thumbs_event_type() asks for a redraw when it is ready.
 *
 * Which picture: the item's own "thumbnail" file; else a poster's or a
 * gallery's first picture, a video's frame at 10 %, an audio file's cover
 * art, a PDF leaflet's first page.
 *
 * Main thread only (the worker is private).
 */
#ifndef KIOSK_UI_THUMBS_H
#define KIOSK_UI_THUMBS_H

#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "content/catalog.h"

struct thumbs;

/* Thumbnails for n_items items, cached in cache_dir (created if
 * missing). When the cache cannot be used (NULL, or a directory that
 * cannot be made) the grid shows its placeholders, with a warning in the
 * log. */
struct thumbs *thumbs_create(const char *cache_dir, size_t n_items);
/* Stops the worker (cancelling what it does) and frees all. Accepts NULL. */
void thumbs_destroy(struct thumbs *t);

/* The texture for item number index (its place in the catalog), or NULL
 * while it is being made or when it cannot be. */
SDL_Texture *thumbs_get(struct thumbs *t, SDL_Renderer *renderer,
			const struct item *item, size_t index);

/* Drop the textures (the renderer lost them); the files stay. */
void thumbs_clear(struct thumbs *t);

/* The event the worker pushes when a thumbnail is ready. */
uint32_t thumbs_event_type(void);

#endif
