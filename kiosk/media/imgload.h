/*
 * imgload: one picture decoded on a thread of its own (image_load_limited
 * off the main thread), for pictures prepared ahead: the next photo of an
 * exhibition, a sharper decode of a zoomed poster.
 */
#ifndef KIOSK_MEDIA_IMGLOAD_H
#define KIOSK_MEDIA_IMGLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/image.h"

struct imgload;

/* Start decoding path to fit max_w x max_h (see image_load_limited).
 * NULL when no thread can be started. */
struct imgload *imgload_start(const char *path, int max_w, int max_h,
			      int64_t max_pixels);

/* Has the decode finished? Never waits. */
bool imgload_done(struct imgload *l);

/* Wait for the decode, free l and hand over the result: the image (caller
 * owns it) with info (may be NULL), or NULL with the reason in err.
 * Accepts NULL (returns NULL). */
struct image *imgload_finish(struct imgload *l, struct image_info *info,
			     char *err, size_t err_size);

/* The path and box l was started with. */
const char *imgload_path(const struct imgload *l);
void imgload_box(const struct imgload *l, int *max_w, int *max_h);

#endif
