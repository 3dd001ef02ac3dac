/*
 * videotex: pictures into streaming textures (see videotex.h).
 */
#include "media/videotex.h"

#include <libavutil/pixfmt.h>

/* The colour matrix for f: what it says, else BT.709 for HD sizes. */
static SDL_YUV_CONVERSION_MODE frame_mode(const AVFrame *f)
{
	if (f->colorspace == AVCOL_SPC_BT709)
		return SDL_YUV_CONVERSION_BT709;
	if (f->colorspace == AVCOL_SPC_UNSPECIFIED && f->height > 576)
		return SDL_YUV_CONVERSION_BT709;
	return SDL_YUV_CONVERSION_BT601;
}

static bool ensure_texture(struct videotex *vt, SDL_Renderer *renderer,
			   SDL_Texture **tex, const AVFrame *f, Uint32 format)
{
	SDL_YUV_CONVERSION_MODE mode = frame_mode(f);
	if (*tex) {
		Uint32 have;
		int tw, th;
		if (SDL_QueryTexture(*tex, &have, NULL, &tw, &th) != 0 ||
		    have != format || tw != f->width || th != f->height ||
		    mode != vt->mode) {
			SDL_DestroyTexture(*tex);
			*tex = NULL;
		}
	}
	if (*tex)
		return true;
	/* SDL takes the matrix when the texture is made */
	SDL_SetYUVConversionMode(mode);
	vt->mode = mode;
	*tex = SDL_CreateTexture(renderer, format, SDL_TEXTUREACCESS_STREAMING,
				 f->width, f->height);
	return *tex != NULL;
}

bool videotex_upload(struct videotex *vt, SDL_Renderer *renderer,
		     SDL_Texture **tex, const AVFrame *f)
{
	bool nv12 = f->format == AV_PIX_FMT_NV12;
	if (!nv12 && f->format != AV_PIX_FMT_YUV420P) {
		SDL_SetError("picture format %d is neither YUV420P nor NV12",
			     f->format);
		return false;
	}
	if (!ensure_texture(vt, renderer, tex, f,
			    nv12 ? SDL_PIXELFORMAT_NV12 : SDL_PIXELFORMAT_IYUV))
		return false;
	int r = nv12 ? SDL_UpdateNVTexture(*tex, NULL, f->data[0], f->linesize[0],
					   f->data[1], f->linesize[1])
		     : SDL_UpdateYUVTexture(*tex, NULL, f->data[0], f->linesize[0],
					    f->data[1], f->linesize[1],
					    f->data[2], f->linesize[2]);
	return r == 0;
}
