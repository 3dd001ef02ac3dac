/*
 * image: still pictures (PNG, JPEG, WebP, BMP...) decoded with libavcodec
 * into RGBA pixels, and RGBA pixels written out as PNG.
 */
#ifndef KIOSK_MEDIA_IMAGE_H
#define KIOSK_MEDIA_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>

/* Pixels in memory order R, G, B, A (SDL_PIXELFORMAT_RGBA32). */
struct image {
	int w, h;
	int pitch;          /* bytes per row, >= 4*w */
	uint8_t *pixels;    /* owned */
};

/* Decode the first picture of the file at path, upright (EXIF
 * orientation applied). When max_w and max_h are
 * > 0 the result is scaled down (never up) to fit inside max_w x max_h,
 * keeping the aspect ratio; a big JPEG is decoded at a reduced size
 * (libavcodec's lowres) when that is enough. Returns NULL with a one-line reason in err on
 * any failure (missing file, not a picture, corrupt data). Caller owns the
 * result (image_destroy). */
struct image *image_load(const char *path, int max_w, int max_h, char *err,
			 size_t err_size);

/* What image_load_limited found out about the picture. */
struct image_info {
	int full_w, full_h;     /* the whole picture's size, upright */
	int orientation;        /* the EXIF orientation applied, 1..8 */
};

/* As image_load, and: a picture whose header declares more than
 * max_pixels pixels (0 or more than AVGUARD_MAX_PIXELS: that limit) is
 * refused before anything is decoded, with a message saying so (JPEG,
 * PNG and WebP headers are read first; other formats are stopped by the
 * decoder's own max_pixels). The EXIF orientation is applied, so the
 * result is upright and max_w x max_h is the box for the upright
 * picture. info (may be NULL) is filled on success. */
struct image *image_load_limited(const char *path, int max_w, int max_h,
				 int64_t max_pixels, struct image_info *info,
				 char *err, size_t err_size);

/* A new w x h image, all pixels transparent black. */
struct image *image_create(int w, int h);

void image_destroy(struct image *img);

/* A new w x h RGBA image from a decoded frame of any pixel format
 * (swscale; area averaging when shrinking, the frame's YUV matrix and
 * range). NULL with "<path>: <why>" in err. */
struct image *image_from_frame(const AVFrame *frame, int w, int h,
			       const char *path, char *err, size_t err_size);

/* A new image: src turned clockwise by degrees (90, 180, 270; anything
 * else: a copy). NULL when out of memory. */
struct image *image_turn(const struct image *src, int degrees);

/* img as PNG in pkt (libavcodec's encoder). 0 or a negative AVERROR. */
int image_encode_png(const struct image *img, AVPacket *pkt);

/* Write img as an RGBA PNG at path (libavcodec's PNG encoder). Returns
 * false with a logged error on failure. */
bool image_save_png(const struct image *img, const char *path);

#endif
