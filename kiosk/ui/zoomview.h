/*
 * zoomview: the geometry of a zoomable, pannable picture shown in a box
 * on screen (posters, photos, PDF pages). Pure arithmetic, no drawing:
 * the scene feeds it gestures and asks where the picture lands.
 *
 * Content coordinates are the picture's own pixels at full size; screen
 * coordinates are renderer pixels. Zoom 1 fits the whole picture in the
 * box; zooming is anchored (the content point under the fingers or the
 * mouse stays under them); panning never leaves empty space beside a
 * picture bigger than the box, and a smaller one stays centred. A fling
 * carries on panning with a velocity that decays (inertia).
 */
#ifndef KIOSK_UI_ZOOMVIEW_H
#define KIOSK_UI_ZOOMVIEW_H

#include <stdbool.h>

#include <SDL.h>

struct zoomview {
	int content_w, content_h;   /* the picture at full size */
	SDL_Rect box;               /* where it is shown */
	double zoom;                /* 1: fitted; 1..max_zoom */
	double max_zoom;
	double cx, cy;              /* content point at the box's centre */
	double vx, vy;              /* fling velocity, screen px per second */
};

/* Fit a content_w x content_h picture into box. max_zoom is the zoom at
 * which one content pixel covers max_px_per_content screen pixels, but at
 * least a double tap's 2.5, so any picture can be looked at closer. */
void zoomview_init(struct zoomview *zv, int content_w, int content_h,
		   SDL_Rect box, double max_px_per_content);

/* The box changed (screen resized): keep the zoom and the centre. */
void zoomview_set_box(struct zoomview *zv, SDL_Rect box);

/* Screen pixels per content pixel now. */
double zoomview_scale(const struct zoomview *zv);

/* Where the whole picture lands on screen (it may reach beyond the box). */
SDL_FRect zoomview_dest(const struct zoomview *zv);

/* Multiply the zoom by factor (clamped to 1..max_zoom), keeping the
 * content point under screen point (sx, sy) where it is. */
void zoomview_zoom_at(struct zoomview *zv, double factor, double sx, double sy);

/* Move the picture by (dx, dy) screen pixels (a drag). */
void zoomview_pan(struct zoomview *zv, double dx, double dy);

/* Start or stop a fling at (vx, vy) screen pixels per second. */
void zoomview_fling(struct zoomview *zv, double vx, double vy);

/* Advance a fling by dt_s seconds. Returns true while still moving. */
bool zoomview_step(struct zoomview *zv, double dt_s);

/* Double tap: zoom in to 2.5 (or max) at (sx, sy), or back to fit when
 * zoomed in. */
void zoomview_toggle_at(struct zoomview *zv, double sx, double sy);

/* The part of the picture visible in the box, in content pixels. */
SDL_FRect zoomview_visible(const struct zoomview *zv);

#endif
