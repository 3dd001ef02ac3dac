/*
 * pifit: the Raspberry Pi's video limits (see pifit.h).
 */
#include "media/pifit.h"

#include <stdio.h>
#include <string.h>

/* The Pi 4's H.264 block: 1920x1080 (either way round; level 4.x allows
 * 8192 macroblocks a picture, and the driver was seen corrupting
 * 1920x1200), 8-bit 4:2:0. Its published rate is 1080p60, but through
 * FFmpeg it was measured at 57 pictures a second: the rule keeps it to
 * the macroblocks a second of 1080p30 (720p60 fits too). */
#define HW_MAX_LONG 1920
#define HW_MAX_SHORT 1088   /* 1080 coded as 68 macroblock rows */
#define HW_MAX_MB_PER_S (120.0 * 68 * 30.5)
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
		double mbs = (double)((pr->width + 15) / 16) *
			     ((pr->height + 15) / 16) * pr->fps;
		if (mbs > HW_MAX_MB_PER_S) {
			snprintf(why, why_size, "H.264 at %dx%d, %.0f pictures a "
				 "second: a Pi 4's decoder was measured at 57 "
				 "pictures a second at 1080p, no room left; use 25 "
				 "or 30 pictures a second at this size", pr->width,
				 pr->height, pr->fps);
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
