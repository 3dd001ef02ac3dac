/*
 * pifit: the Raspberry Pi's video limits (see pifit.h).
 */
#include "media/pifit.h"

#include <stdio.h>
#include <string.h>

/* The Pi 4's H.264 block: 1920x1080 (either way round) at 60 pictures a
 * second, 8-bit 4:2:0. */
#define HW_MAX_LONG 1920
#define HW_MAX_SHORT 1088   /* 1080 coded as 68 macroblock rows */
#define HW_MAX_FPS 60.5
/* Software decoding on a Pi 4 keeps up to 1280x720 at 30. */
#define SW_MAX_PIXELS (1280 * 720)
#define SW_MAX_FPS 30.5

static bool is_420_8bit(const char *pix_fmt)
{
	return !strcmp(pix_fmt, "yuv420p") || !strcmp(pix_fmt, "yuvj420p") ||
	       !strcmp(pix_fmt, "nv12");
}

bool pifit_video(const struct probe_result *pr, char *why, size_t why_size)
{
	if (!pr->has_video || pr->is_image)
		return true;
	int lng = pr->width > pr->height ? pr->width : pr->height;
	int shrt = pr->width > pr->height ? pr->height : pr->width;
	if (!strcmp(pr->vcodec, "h264")) {
		if (lng > HW_MAX_LONG || shrt > HW_MAX_SHORT) {
			snprintf(why, why_size, "H.264 at %dx%d: a Pi 4's H.264 "
				 "decoder stops at 1920x1080, and software "
				 "decoding of this size drops pictures; make it "
				 "1920x1080 or smaller", pr->width, pr->height);
			return false;
		}
		if (pr->pix_fmt[0] && !is_420_8bit(pr->pix_fmt)) {
			snprintf(why, why_size, "H.264 in %s: a Pi 4's H.264 "
				 "decoder takes only 8-bit 4:2:0 (High profile, "
				 "yuv420p); this is decoded in software and may "
				 "drop pictures", pr->pix_fmt);
			return false;
		}
		if (pr->fps > HW_MAX_FPS) {
			snprintf(why, why_size, "H.264 at %.0f pictures a second: "
				 "a Pi 4's decoder stops at 60", pr->fps);
			return false;
		}
		return true;
	}
	if ((long)pr->width * pr->height > SW_MAX_PIXELS || pr->fps > SW_MAX_FPS) {
		snprintf(why, why_size, "%s at %dx%d, %.0f pictures a second: a Pi "
			 "decodes %s in software, which keeps up to 1280x720 at "
			 "30 pictures a second; use H.264 (High profile, "
			 "yuv420p) for anything larger", pr->vcodec[0]
			 ? pr->vcodec : "video", pr->width, pr->height, pr->fps,
			 pr->vcodec[0] ? pr->vcodec : "it");
		return false;
	}
	return true;
}
