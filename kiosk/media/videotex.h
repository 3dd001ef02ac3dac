/*
 * videotex: decoded pictures into SDL streaming textures. YUV420P goes
 * in with SDL_UpdateYUVTexture and NV12 with SDL_UpdateNVTexture, so the
 * colour conversion is the renderer's work (a shader on a GPU); the
 * colour matrix (BT.601 or BT.709) follows the frame.
 */
#ifndef KIOSK_MEDIA_VIDEOTEX_H
#define KIOSK_MEDIA_VIDEOTEX_H

#include <stdbool.h>

#include <SDL.h>
#include <libavutil/frame.h>

/* What the texture was made for (embedded in its owner; zero it). */
struct videotex {
	SDL_YUV_CONVERSION_MODE mode;
};

/* Copy f, a limited-range YUV420P or NV12 frame, into *tex, first
 * (re)creating *tex on renderer as a streaming IYUV or NV12 texture of
 * f's size when it is missing or does not fit. Returns false (SDL's
 * error string says why) when the texture cannot be made or filled, or
 * f has another format. Main thread. */
bool videotex_upload(struct videotex *vt, SDL_Renderer *renderer,
		     SDL_Texture **tex, const AVFrame *f);

#endif
