/*
 * probe: tell what a media file holds by opening it with libavformat and
 * decoding one frame of its best video and audio streams (see probe.h).
 */
#include "media/probe.h"
#include "media/avguard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
#include <libavutil/avutil.h>

#include "base/log.h"
#include "base/util.h"

/* How many packets to read while waiting for the first decoded frames
 * before deciding a stream does not decode. */
#define PROBE_MAX_PACKETS 50

/* Demuxers that only ever hold one still picture. */
static const char *const image_formats[] = {
	"image2", "png_pipe", "jpeg_pipe", "jpegls_pipe", "webp_pipe",
	"bmp_pipe", "tiff_pipe", "gif_pipe", "qoi_pipe", "pgm_pipe",
	"ppm_pipe", "pam_pipe", "svg_pipe", "j2k_pipe", "dpx_pipe",
};

/* Codecs of a still picture stored as a one-frame video stream. */
static const enum AVCodecID image_codecs[] = {
	AV_CODEC_ID_PNG, AV_CODEC_ID_MJPEG, AV_CODEC_ID_WEBP, AV_CODEC_ID_BMP,
	AV_CODEC_ID_TIFF, AV_CODEC_ID_GIF,
};

/* One stream being test-decoded. */
struct probe_stream {
	int index;                /* stream index, -1 when there is none */
	AVCodecContext *ctx;
	bool decoded;             /* a frame came out */
	int error;                /* last libav error, 0 if none */
};

static void set_err(char *err, size_t err_size, const char *msg)
{
	if (err && err_size)
		snprintf(err, err_size, "%s", msg);
}

static void set_av_err(char *err, size_t err_size, int code)
{
	char buf[AV_ERROR_MAX_STRING_SIZE];
	av_strerror(code, buf, sizeof buf);
	set_err(err, err_size, buf);
}

static bool name_is_image_format(const char *name)
{
	for (size_t i = 0; i < sizeof image_formats / sizeof *image_formats; i++) {
		if (strcmp(name, image_formats[i]) == 0)
			return true;
	}
	return false;
}

static bool codec_is_image(enum AVCodecID id)
{
	for (size_t i = 0; i < sizeof image_codecs / sizeof *image_codecs; i++) {
		if (image_codecs[i] == id)
			return true;
	}
	return false;
}

/* The best stream of this media type with a decoder, or -1. Cover art
 * attached to an audio file is not video. */
static int best_stream(AVFormatContext *fmt, enum AVMediaType type)
{
	int idx = av_find_best_stream(fmt, type, -1, -1, NULL, 0);
	if (idx >= 0 && type == AVMEDIA_TYPE_VIDEO &&
	    (fmt->streams[idx]->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
		idx = -1;
		for (unsigned i = 0; i < fmt->nb_streams; i++) {
			AVStream *st = fmt->streams[i];
			if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
			    !(st->disposition & AV_DISPOSITION_ATTACHED_PIC) &&
			    avcodec_find_decoder(st->codecpar->codec_id)) {
				idx = (int)i;
				break;
			}
		}
	}
	if (idx < 0 || !avcodec_find_decoder(fmt->streams[idx]->codecpar->codec_id))
		return -1;
	return idx;
}

static bool stream_open(AVFormatContext *fmt, struct probe_stream *ps)
{
	if (ps->index < 0)
		return false;
	AVCodecParameters *par = fmt->streams[ps->index]->codecpar;
	const AVCodec *codec = avcodec_find_decoder(par->codec_id);
	ps->ctx = avcodec_alloc_context3(codec);
	if (!ps->ctx) {
		ps->error = AVERROR(ENOMEM);
		return false;
	}
	int rc = avcodec_parameters_to_context(ps->ctx, par);
	if (rc >= 0)
		rc = avguard_open_codec(ps->ctx, codec);
	if (rc < 0) {
		ps->error = rc;
		avcodec_free_context(&ps->ctx);
		return false;
	}
	return true;
}

/* Feed one packet (NULL to drain) and note whether a frame came out. */
static void stream_feed(struct probe_stream *ps, const AVPacket *pkt,
			AVFrame *frame)
{
	if (!ps->ctx || ps->decoded)
		return;
	int rc = avcodec_send_packet(ps->ctx, pkt);
	if (rc < 0 && rc != AVERROR(EAGAIN) && rc != AVERROR_EOF) {
		ps->error = rc;
		return;
	}
	rc = avcodec_receive_frame(ps->ctx, frame);
	if (rc >= 0) {
		ps->decoded = true;
		av_frame_unref(frame);
	} else if (rc != AVERROR(EAGAIN) && rc != AVERROR_EOF) {
		ps->error = rc;
	}
}

static bool stream_waiting(const struct probe_stream *ps)
{
	return ps->ctx && !ps->decoded;
}

/* Read packets until both streams have produced a frame, the file ends,
 * or PROBE_MAX_PACKETS of them have been fed without result. */
static void decode_first_frames(AVFormatContext *fmt, struct probe_stream *v,
				struct probe_stream *a)
{
	AVPacket *pkt = av_packet_alloc();
	AVFrame *frame = av_frame_alloc();
	if (!pkt || !frame) {
		av_packet_free(&pkt);
		av_frame_free(&frame);
		return;
	}
	int fed_v = 0, fed_a = 0;
	while (stream_waiting(v) || stream_waiting(a)) {
		if ((!stream_waiting(v) || fed_v >= PROBE_MAX_PACKETS) &&
		    (!stream_waiting(a) || fed_a >= PROBE_MAX_PACKETS))
			break;
		int rc = av_read_frame(fmt, pkt);
		if (rc < 0) {
			/* End of file (or a read error): drain what is
			 * buffered in the decoders. */
			stream_feed(v, NULL, frame);
			stream_feed(a, NULL, frame);
			if (rc != AVERROR_EOF) {
				if (stream_waiting(v))
					v->error = rc;
				if (stream_waiting(a))
					a->error = rc;
			}
			break;
		}
		if (pkt->stream_index == v->index) {
			stream_feed(v, pkt, frame);
			fed_v++;
		} else if (pkt->stream_index == a->index) {
			stream_feed(a, pkt, frame);
			fed_a++;
		}
		av_packet_unref(pkt);
	}
	av_packet_free(&pkt);
	av_frame_free(&frame);
}

bool probe_file(const char *path, struct probe_result *out, char *err,
		size_t err_size)
{
	memset(out, 0, sizeof *out);
	set_err(err, err_size, "");

	AVFormatContext *fmt = NULL;
	struct avguard guard = { 0 };
	int rc = avguard_open_input(&fmt, path, true, &guard);
	if (rc < 0) {
		set_av_err(err, err_size, rc);
		return false;
	}
	snprintf(out->format, sizeof out->format, "%s", fmt->iformat->name);

	struct probe_stream v = { .index = best_stream(fmt, AVMEDIA_TYPE_VIDEO) };
	struct probe_stream a = { .index = best_stream(fmt, AVMEDIA_TYPE_AUDIO) };
	/* Only the streams being decoded are read. */
	for (unsigned i = 0; i < fmt->nb_streams; i++) {
		if ((int)i != v.index && (int)i != a.index)
			fmt->streams[i]->discard = AVDISCARD_ALL;
	}
	stream_open(fmt, &v);
	stream_open(fmt, &a);
	if (!v.ctx && !a.ctx) {
		if (v.error || a.error)
			set_av_err(err, err_size, v.error ? v.error : a.error);
		else
			set_err(err, err_size,
				"no decodable audio or video stream");
		avformat_close_input(&fmt);
		return false;
	}
	decode_first_frames(fmt, &v, &a);

	out->has_video = v.decoded;
	out->has_audio = a.decoded;
	if (v.decoded) {
		AVStream *st = fmt->streams[v.index];
		out->width = st->codecpar->width;
		out->height = st->codecpar->height;
		snprintf(out->vcodec, sizeof out->vcodec, "%s",
			 avcodec_get_name(st->codecpar->codec_id));
		const char *pf = av_get_pix_fmt_name(st->codecpar->format);
		snprintf(out->pix_fmt, sizeof out->pix_fmt, "%s", pf ? pf : "");
		if (st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0)
			out->fps = av_q2d(st->avg_frame_rate);
		bool one_picture = st->nb_frames == 1;
		out->is_image = !a.decoded &&
			(name_is_image_format(fmt->iformat->name) ||
			 (fmt->nb_streams == 1 && one_picture &&
			  codec_is_image(st->codecpar->codec_id)));
	}
	if (fmt->bit_rate > 0)
		out->bit_rate = fmt->bit_rate;
	if (!out->is_image && fmt->duration != AV_NOPTS_VALUE &&
	    fmt->duration > 0)
		out->duration_s = (double)fmt->duration / AV_TIME_BASE;

	bool ok = v.decoded || a.decoded;
	if (!ok) {
		int e = v.error ? v.error : a.error;
		if (e)
			set_av_err(err, err_size, e);
		else
			set_err(err, err_size,
				"no frame could be decoded");
	}
	avcodec_free_context(&v.ctx);
	avcodec_free_context(&a.ctx);
	avformat_close_input(&fmt);
	if (!ok)
		log_debug("probe %s: %s", path, err ? err : "");
	return ok;
}

int probe_stream_rotation(const AVStream *st)
{
	size_t size = 0;
	const uint8_t *matrix =
		av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
	if (!matrix || size < 9 * sizeof(int32_t))
		return 0;
	double theta = -av_display_rotation_get((const int32_t *)matrix);
	if (isnan(theta))
		return 0;
	int deg = (int)lround(theta / 90.0) * 90;
	deg %= 360;
	if (deg < 0)
		deg += 360;
	return deg;
}
