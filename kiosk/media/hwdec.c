/*
 * hwdec: hardware decoding first, software as the fallback (see hwdec.h).
 */
#include "media/hwdec.h"

#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libavutil/hwcontext.h>

#include "base/log.h"
#include "media/avguard.h"

int hwdec_thread_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > 16 ? 16 : (int)n;
}

static bool have_v4l2_device(void)
{
	glob_t g;
	bool any = glob("/dev/video*", 0, NULL, &g) == 0 && g.gl_pathc > 0;
	globfree(&g);
	return any;
}

static AVCodecContext *alloc_ctx(const AVStream *st, const AVCodec *codec)
{
	AVCodecContext *dec = avcodec_alloc_context3(codec);
	if (!dec)
		return NULL;
	if (avcodec_parameters_to_context(dec, st->codecpar) < 0) {
		avcodec_free_context(&dec);
		return NULL;
	}
	dec->pkt_timebase = st->time_base;
	return dec;
}

static int try_v4l2m2m(const AVStream *st, struct hwdec_result *res,
		       char *why, size_t why_size)
{
	const char *base = avcodec_get_name(st->codecpar->codec_id);
	char name[64];
	snprintf(name, sizeof name, "%s_v4l2m2m", base);
	const AVCodec *codec = avcodec_find_decoder_by_name(name);
	if (!codec) {
		snprintf(why, why_size, "no V4L2 decoder for %s", base);
		return -1;
	}
	if (!have_v4l2_device()) {
		snprintf(why, why_size, "no V4L2 device");
		return -1;
	}
	AVCodecContext *dec = alloc_ctx(st, codec);
	int r = dec ? avguard_open_codec(dec, codec) : AVERROR(ENOMEM);
	if (r < 0) {
		char buf[AV_ERROR_MAX_STRING_SIZE];
		av_strerror(r, buf, sizeof buf);
		snprintf(why, why_size, "%.40s: %.40s", name, buf);
		avcodec_free_context(&dec);
		return -1;
	}
	res->dec = dec;
	res->hardware = true;
	snprintf(res->desc, sizeof res->desc, "%s hardware", name);
	return 0;
}

/* get_format for VAAPI: the hardware format when offered, else the
 * first software one (libav then decodes in software). */
static enum AVPixelFormat pick_vaapi(AVCodecContext *ctx,
				     const enum AVPixelFormat *fmts)
{
	(void)ctx;
	for (const enum AVPixelFormat *p = fmts; *p != AV_PIX_FMT_NONE; p++) {
		if (*p == AV_PIX_FMT_VAAPI)
			return *p;
	}
	return fmts[0];
}

static int try_vaapi(const AVStream *st, const AVCodec *codec,
		     struct hwdec_result *res, char *why, size_t why_size)
{
	bool supported = false;
	for (int i = 0;; i++) {
		const AVCodecHWConfig *cfg = avcodec_get_hw_config(codec, i);
		if (!cfg)
			break;
		if (cfg->device_type == AV_HWDEVICE_TYPE_VAAPI &&
		    (cfg->methods & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX))
			supported = true;
	}
	if (!supported) {
		snprintf(why, why_size, "no VAAPI for %s", codec->name);
		return -1;
	}
	if (access("/dev/dri", F_OK) != 0) {
		snprintf(why, why_size, "no VAAPI device (/dev/dri)");
		return -1;
	}
	AVBufferRef *device = NULL;
	char buf[AV_ERROR_MAX_STRING_SIZE];
	int r = av_hwdevice_ctx_create(&device, AV_HWDEVICE_TYPE_VAAPI, NULL,
				       NULL, 0);
	if (r < 0) {
		av_strerror(r, buf, sizeof buf);
		snprintf(why, why_size, "VAAPI: %s", buf);
		return -1;
	}
	AVCodecContext *dec = alloc_ctx(st, codec);
	if (dec) {
		dec->hw_device_ctx = av_buffer_ref(device);
		dec->get_format = pick_vaapi;
	}
	r = dec && dec->hw_device_ctx ? avguard_open_codec(dec, codec)
				      : AVERROR(ENOMEM);
	av_buffer_unref(&device);
	if (r < 0) {
		av_strerror(r, buf, sizeof buf);
		snprintf(why, why_size, "VAAPI %s: %s", codec->name, buf);
		avcodec_free_context(&dec);
		return -1;
	}
	res->dec = dec;
	res->hardware = true;
	snprintf(res->desc, sizeof res->desc, "%s vaapi hardware", codec->name);
	return 0;
}

int hwdec_open(const AVStream *st, bool try_hw, struct hwdec_result *res)
{
	memset(res, 0, sizeof *res);
	const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
	char why_v4l2[96] = "", why_vaapi[96] = "";
	if (try_hw && try_v4l2m2m(st, res, why_v4l2, sizeof why_v4l2) == 0)
		return 0;
	if (!codec) {
		snprintf(res->desc, sizeof res->desc,
			 "video codec %s is not supported",
			 avcodec_get_name(st->codecpar->codec_id));
		return AVERROR_DECODER_NOT_FOUND;
	}
	int64_t pixels = (int64_t)st->codecpar->width * st->codecpar->height;
	if (pixels > AVGUARD_MAX_PIXELS) {
		snprintf(res->desc, sizeof res->desc,
			 "picture %dx%d is over the limit of %lld megapixels",
			 st->codecpar->width, st->codecpar->height,
			 (long long)(AVGUARD_MAX_PIXELS / 1000000));
		return AVERROR(EINVAL);
	}
	if (try_hw && try_vaapi(st, codec, res, why_vaapi, sizeof why_vaapi) == 0)
		return 0;

	AVCodecContext *dec = alloc_ctx(st, codec);
	if (!dec) {
		snprintf(res->desc, sizeof res->desc, "out of memory");
		return AVERROR(ENOMEM);
	}
	int threads = hwdec_thread_count();
	dec->thread_count = threads;
	dec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
	int r = avguard_open_codec(dec, codec);
	if (r < 0) {
		char buf[AV_ERROR_MAX_STRING_SIZE];
		av_strerror(r, buf, sizeof buf);
		if (r == AVERROR_DECODER_NOT_FOUND)
			snprintf(res->desc, sizeof res->desc,
				 "video codec %s is not supported", codec->name);
		else
			snprintf(res->desc, sizeof res->desc,
				 "cannot open the %s decoder: %s", codec->name, buf);
		avcodec_free_context(&dec);
		return r;
	}
	res->dec = dec;
	if (try_hw)
		snprintf(res->desc, sizeof res->desc,
			 "%s software, %d threads (no hardware decoder: %s; %s)",
			 codec->name, threads, why_v4l2, why_vaapi);
	else
		snprintf(res->desc, sizeof res->desc,
			 "%s software, %d threads (hardware decoding off)",
			 codec->name, threads);
	return 0;
}

int hwdec_download(AVFrame *f, AVFrame *sw)
{
	if (!f->hw_frames_ctx)
		return 0;
	av_frame_unref(sw);
	int r = av_hwframe_transfer_data(sw, f, 0);
	if (r < 0)
		return r;
	r = av_frame_copy_props(sw, f);
	av_frame_unref(f);
	av_frame_move_ref(f, sw);
	return r;
}
