/*
 * picview: a picture to look at closely (posters, photos). Shown fitted
 * to its box at first, decoded at the size the screen needs; zoomed by
 * pinch, mouse wheel, double tap, +/- keys; panned by a drag (with
 * inertia), two fingers or the arrow keys once zoomed in. When the zoom
 * asks for more pixels than were decoded, the picture is decoded again,
 * sharper, on a background thread, and swapped in when ready.
 *
 * Main thread only (the decoding thread is its own business).
 */
#ifndef KIOSK_UI_PICVIEW_H
#define KIOSK_UI_PICVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "media/image.h"
#include "ui/app.h"

struct picview;

/* Decode path to fit box (EXIF orientation applied, pictures declaring
 * more than max_pixels refused) and upload it. NULL with the reason
 * (naming the file) in err. */
struct picview *picview_create(SDL_Renderer *renderer, const char *path,
			       SDL_Rect box, int64_t max_pixels, char *err,
			       size_t err_size);
/* The same for a picture already decoded for box (by imgload: the next
 * photo of an exhibition), which it takes over. */
struct picview *picview_create_from(SDL_Renderer *renderer, const char *path,
				    struct image *img,
				    const struct image_info *info, SDL_Rect box,
				    int64_t max_pixels, char *err, size_t err_size);

/* A picture drawn rather than decoded (a PDF page): its size in content
 * units, how far it may be zoomed, and a function that draws any region
 * of it at any scale (callable from another thread than the one using
 * the picview). */
struct picsource {
	int content_w, content_h;
	double max_px_per_content;
	/* Region (x, y, w, h) in pixels of the picture drawn at scale pixels
	 * per content unit; a new image or NULL with err. */
	struct image *(*render)(void *userdata, double scale, int x, int y,
				int w, int h, char *err, size_t err_size);
	void *userdata;
};

/* A drawn picture: shown fitted to box from base (drawn for box by the
 * caller, or on a background thread ahead of time; taken over; NULL: drawn
 * now); when zoomed in, the visible region is drawn again at the zoom on
 * a background thread, so it stays sharp at any zoom. src must outlive
 * the picview. */
struct picview *picview_create_source(SDL_Renderer *renderer,
				      const struct picsource *src,
				      struct image *base, SDL_Rect box,
				      char *err, size_t err_size);

/* Waits for a decode in progress. Accepts NULL. */
void picview_destroy(struct picview *pv);

/* The box changed (screen resized or turned). */
void picview_set_box(struct picview *pv, SDL_Rect box);

/* Use ev if it is a zoom or pan gesture; returns false for what the
 * caller should handle (single taps, arrows when not zoomed in, buttons
 * outside the box). now_ms: the app clock. */
bool picview_event(struct picview *pv, const struct ui_event *ev, int64_t now_ms);

/* Advance a fling and take in a sharper picture when one is ready. Sets
 * *redraw when the picture moved or changed. Returns ms until it wants
 * the next tick, -1 when idle. */
int picview_tick(struct picview *pv, int64_t now_ms, bool *redraw);

void picview_draw(struct picview *pv, SDL_Renderer *renderer);

/* Zoom now (1: fitted), and the size decoded so far (for tests). */
double picview_zoom(const struct picview *pv);
void picview_decoded_size(const struct picview *pv, int *w, int *h);

/* The zoom state itself, for tests and benchmarks that drive it. */
struct zoomview *picview_zoomview(struct picview *pv);

#endif
