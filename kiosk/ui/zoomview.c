/*
 * zoomview: zoom and pan geometry (see zoomview.h).
 */
#include "ui/zoomview.h"

#include <math.h>

/* A fling loses this share of its speed per second, and stops below
 * FLING_STOP screen pixels per second. */
#define FLING_DECAY_PER_S 0.05
#define FLING_STOP 20.0
#define TAP_ZOOM 2.5

/* Screen pixels per content pixel at zoom 1. */
static double fit_scale(const struct zoomview *zv)
{
	if (zv->content_w <= 0 || zv->content_h <= 0 || zv->box.w <= 0 ||
	    zv->box.h <= 0)
		return 1;
	double sx = (double)zv->box.w / zv->content_w;
	double sy = (double)zv->box.h / zv->content_h;
	return sx < sy ? sx : sy;
}

double zoomview_scale(const struct zoomview *zv)
{
	return fit_scale(zv) * zv->zoom;
}

/* Keep the picture over the box: along an axis where it is bigger than
 * the box its edges may not come inside the box; where it is smaller it
 * is centred. */
static void clamp(struct zoomview *zv)
{
	if (zv->zoom < 1)
		zv->zoom = 1;
	if (zv->zoom > zv->max_zoom)
		zv->zoom = zv->max_zoom;
	double s = zoomview_scale(zv);
	double half_w = zv->box.w / 2.0 / s, half_h = zv->box.h / 2.0 / s;
	if (zv->content_w <= 2 * half_w) {
		zv->cx = zv->content_w / 2.0;
		zv->vx = 0;
	} else if (zv->cx < half_w) {
		zv->cx = half_w;
		zv->vx = 0;
	} else if (zv->cx > zv->content_w - half_w) {
		zv->cx = zv->content_w - half_w;
		zv->vx = 0;
	}
	if (zv->content_h <= 2 * half_h) {
		zv->cy = zv->content_h / 2.0;
		zv->vy = 0;
	} else if (zv->cy < half_h) {
		zv->cy = half_h;
		zv->vy = 0;
	} else if (zv->cy > zv->content_h - half_h) {
		zv->cy = zv->content_h - half_h;
		zv->vy = 0;
	}
}

void zoomview_init(struct zoomview *zv, int content_w, int content_h,
		   SDL_Rect box, double max_px_per_content)
{
	zv->content_w = content_w > 0 ? content_w : 1;
	zv->content_h = content_h > 0 ? content_h : 1;
	zv->box = box;
	zv->zoom = 1;
	zv->cx = zv->content_w / 2.0;
	zv->cy = zv->content_h / 2.0;
	zv->vx = zv->vy = 0;
	double fs = fit_scale(zv);
	zv->max_zoom = max_px_per_content / fs;
	if (zv->max_zoom < TAP_ZOOM)
		zv->max_zoom = TAP_ZOOM;
}

void zoomview_set_box(struct zoomview *zv, SDL_Rect box)
{
	double max_px = zv->max_zoom * fit_scale(zv);
	zv->box = box;
	zv->max_zoom = max_px / fit_scale(zv);
	if (zv->max_zoom < TAP_ZOOM)
		zv->max_zoom = TAP_ZOOM;
	clamp(zv);
}

SDL_FRect zoomview_dest(const struct zoomview *zv)
{
	double s = zoomview_scale(zv);
	SDL_FRect r;
	r.x = (float)(zv->box.x + zv->box.w / 2.0 - zv->cx * s);
	r.y = (float)(zv->box.y + zv->box.h / 2.0 - zv->cy * s);
	r.w = (float)(zv->content_w * s);
	r.h = (float)(zv->content_h * s);
	return r;
}

void zoomview_zoom_at(struct zoomview *zv, double factor, double sx, double sy)
{
	if (!(factor > 0))
		return;
	double s0 = zoomview_scale(zv);
	/* the content point under (sx, sy) */
	double px = zv->cx + (sx - (zv->box.x + zv->box.w / 2.0)) / s0;
	double py = zv->cy + (sy - (zv->box.y + zv->box.h / 2.0)) / s0;
	zv->zoom *= factor;
	if (zv->zoom < 1)
		zv->zoom = 1;
	if (zv->zoom > zv->max_zoom)
		zv->zoom = zv->max_zoom;
	double s1 = zoomview_scale(zv);
	/* put it back under (sx, sy) */
	zv->cx = px - (sx - (zv->box.x + zv->box.w / 2.0)) / s1;
	zv->cy = py - (sy - (zv->box.y + zv->box.h / 2.0)) / s1;
	clamp(zv);
}

void zoomview_pan(struct zoomview *zv, double dx, double dy)
{
	double s = zoomview_scale(zv);
	zv->cx -= dx / s;
	zv->cy -= dy / s;
	clamp(zv);
}

void zoomview_fling(struct zoomview *zv, double vx, double vy)
{
	zv->vx = vx;
	zv->vy = vy;
}

bool zoomview_step(struct zoomview *zv, double dt_s)
{
	if (dt_s <= 0 || (zv->vx == 0 && zv->vy == 0))
		return false;
	if (dt_s > 0.1)
		dt_s = 0.1;     /* a long gap is not a long slide */
	zoomview_pan(zv, zv->vx * dt_s, zv->vy * dt_s);
	double k = pow(FLING_DECAY_PER_S, dt_s);
	zv->vx *= k;
	zv->vy *= k;
	if (hypot(zv->vx, zv->vy) < FLING_STOP)
		zv->vx = zv->vy = 0;
	return zv->vx != 0 || zv->vy != 0;
}

void zoomview_toggle_at(struct zoomview *zv, double sx, double sy)
{
	zv->vx = zv->vy = 0;
	if (zv->zoom > 1.01) {
		zv->zoom = 1;
		clamp(zv);
		return;
	}
	double want = TAP_ZOOM < zv->max_zoom ? TAP_ZOOM : zv->max_zoom;
	zoomview_zoom_at(zv, want / zv->zoom, sx, sy);
}

SDL_FRect zoomview_visible(const struct zoomview *zv)
{
	double s = zoomview_scale(zv);
	double x0 = zv->cx - zv->box.w / 2.0 / s, y0 = zv->cy - zv->box.h / 2.0 / s;
	double x1 = zv->cx + zv->box.w / 2.0 / s, y1 = zv->cy + zv->box.h / 2.0 / s;
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > zv->content_w)
		x1 = zv->content_w;
	if (y1 > zv->content_h)
		y1 = zv->content_h;
	return (SDL_FRect){ (float)x0, (float)y0, (float)(x1 - x0), (float)(y1 - y0) };
}
