/*
 * image: still pictures decoded with libavformat/libavcodec and converted
 * to RGBA with libswscale; RGBA written out with libavcodec's PNG encoder.
 */
#include "media/image.h"
#include "media/avguard.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "base/log.h"
#include "base/util.h"

/* Rows start on this many bytes so swscale's SIMD paths stay aligned. */
#define IMAGE_ROW_ALIGN 64

/* ------------------------------------------------------------------ */
/* Allocation                                                          */
/* ------------------------------------------------------------------ */

/* A w x h image with zeroed pixels and aligned rows, or NULL when the size
 * is not sane or memory cannot be had. */
static struct image *image_alloc(int w, int h)
{
	if (w <= 0 || h <= 0 || av_image_check_size((unsigned)w, (unsigned)h, 0, NULL) < 0)
		return NULL;
	size_t pitch = ((size_t)w * 4 + IMAGE_ROW_ALIGN - 1) / IMAGE_ROW_ALIGN *
		       IMAGE_ROW_ALIGN;
	size_t size = pitch * (size_t)h;
	uint8_t *pixels = aligned_alloc(IMAGE_ROW_ALIGN, size);
	if (!pixels)
		return NULL;
	memset(pixels, 0, size);
	struct image *img = xcalloc(1, sizeof *img);
	img->w = w;
	img->h = h;
	img->pitch = (int)pitch;
	img->pixels = pixels;
	return img;
}

struct image *image_create(int w, int h)
{
	struct image *img = image_alloc(w, h);
	if (!img)
		log_error("image_create: cannot allocate a %dx%d image", w, h);
	return img;
}

void image_destroy(struct image *img)
{
	if (!img)
		return;
	free(img->pixels);
	free(img);
}

/* ------------------------------------------------------------------ */
/* Decoding                                                            */
/* ------------------------------------------------------------------ */

static void set_err(char *err, size_t err_size, const char *path,
		    const char *what)
{
	if (err && err_size)
		snprintf(err, err_size, "%s: %s", path, what);
}

static void set_av_err(char *err, size_t err_size, const char *path, int code)
{
	char buf[AV_ERROR_MAX_STRING_SIZE];
	av_strerror(code, buf, sizeof buf);
	set_err(err, err_size, path, buf);
}

/* Read the frame size from a JPEG's start-of-frame marker, so the decoder
 * can be told to decode at a reduced size before it has seen the data.
 * Returns false when no SOF marker is found. */
static bool jpeg_size(const uint8_t *p, int len, int *w, int *h)
{
	int i = 2;
	if (len < 4 || p[0] != 0xFF || p[1] != 0xD8)
		return false;
	while (i + 4 <= len) {
		if (p[i] != 0xFF) {
			i++;
			continue;
		}
		uint8_t marker = p[i + 1];
		if (marker == 0xFF) {
			i++;
			continue;
		}
		if (marker == 0xD8 || marker == 0x01 ||
		    (marker >= 0xD0 && marker <= 0xD7)) {
			i += 2;
			continue;
		}
		int seg_len = (p[i + 2] << 8) | p[i + 3];
		bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 &&
			   marker != 0xC8 && marker != 0xCC;
		if (sof) {
			if (i + 9 > len)
				return false;
			*h = (p[i + 5] << 8) | p[i + 6];
			*w = (p[i + 7] << 8) | p[i + 8];
			return *w > 0 && *h > 0;
		}
		if (marker == 0xDA || seg_len < 2)
			return false;
		i += 2 + seg_len;
	}
	return false;
}

/* The size a PNG declares in its IHDR chunk. */
static bool png_size(const uint8_t *p, int len, int *w, int *h)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	if (len < 24 || memcmp(p, sig, 8) != 0 || memcmp(p + 12, "IHDR", 4) != 0)
		return false;
	uint32_t pw = (uint32_t)p[16] << 24 | p[17] << 16 | p[18] << 8 | p[19];
	uint32_t ph = (uint32_t)p[20] << 24 | p[21] << 16 | p[22] << 8 | p[23];
	if (pw == 0 || ph == 0 || pw > INT32_MAX || ph > INT32_MAX)
		return false;
	*w = (int)pw;
	*h = (int)ph;
	return true;
}

/* The canvas size a WebP declares (VP8X, VP8L or VP8 header). */
static bool webp_size(const uint8_t *p, int len, int *w, int *h)
{
	if (len < 30 || memcmp(p, "RIFF", 4) != 0 || memcmp(p + 8, "WEBP", 4) != 0)
		return false;
	const uint8_t *c = p + 12;
	if (memcmp(c, "VP8X", 4) == 0) {
		*w = 1 + (c[12] | c[13] << 8 | c[14] << 16);
		*h = 1 + (c[15] | c[16] << 8 | c[17] << 16);
		return true;
	}
	if (memcmp(c, "VP8L", 4) == 0 && c[8] == 0x2F) {
		uint32_t b = (uint32_t)c[9] | c[10] << 8 | c[11] << 16 | (uint32_t)c[12] << 24;
		*w = 1 + (int)(b & 0x3FFF);
		*h = 1 + (int)((b >> 14) & 0x3FFF);
		return true;
	}
	if (memcmp(c, "VP8 ", 4) == 0 && c[11] == 0x9D && c[12] == 0x01 && c[13] == 0x2A) {
		*w = (c[14] | c[15] << 8) & 0x3FFF;
		*h = (c[16] | c[17] << 8) & 0x3FFF;
		return *w > 0 && *h > 0;
	}
	return false;
}

/* The size the picture in the first packet declares, read from its
 * header before anything is decoded; false when the format is not one
 * whose header is known here (the decoder's max_pixels still applies). */
static bool declared_size(enum AVCodecID id, const AVPacket *pkt, int *w, int *h)
{
	switch (id) {
	case AV_CODEC_ID_MJPEG: return jpeg_size(pkt->data, pkt->size, w, h);
	case AV_CODEC_ID_PNG:
	case AV_CODEC_ID_APNG: return png_size(pkt->data, pkt->size, w, h);
	case AV_CODEC_ID_WEBP: return webp_size(pkt->data, pkt->size, w, h);
	default: return false;
	}
}

/* Does the picture in pkt end where its format says a picture ends (a
 * JPEG's end-of-image marker, a PNG's IEND chunk)? A file cut short
 * often still decodes, grey or transparent at the bottom. true when the
 * format has no such end, or it is there. */
static bool ends_whole(enum AVCodecID id, const AVPacket *pkt)
{
	/* a camera may put data after the end; the end is looked for in
	 * the last part only, where a cut file has scan data */
	int from = pkt->size > (1 << 20) ? pkt->size - (1 << 20) : 0;
	const uint8_t *p = pkt->data;
	switch (id) {
	case AV_CODEC_ID_MJPEG:
		/* FF D9: never inside scan data (an FF there is followed by 00
		 * or a restart marker) */
		for (int i = pkt->size - 2; i >= from; i--)
			if (p[i] == 0xFF && p[i + 1] == 0xD9)
				return true;
		return false;
	case AV_CODEC_ID_PNG:
		/* the IEND chunk: length 0, type, and its 4-byte CRC */
		for (int i = pkt->size - 12; i >= from && i >= 8; i--)
			if (memcmp(p + i, "\0\0\0\0IEND", 8) == 0)
				return true;
		return false;
	default:
		return true;
	}
}

/* Open a decoder of codec for st (par: its parameters) with the caller's
 * lowres and max_pixels. strict: errors are not concealed (any damage
 * fails the picture) and PNG checksums are checked; otherwise libavcodec
 * shows what it can. Returns 0 with *out open, or a negative libav code
 * with *out NULL. */
static int open_decoder(AVCodecContext **out, const AVCodec *codec,
			const AVCodecParameters *par, int lowres,
			int64_t max_pixels, bool strict)
{
	*out = NULL;
	AVCodecContext *dec = avcodec_alloc_context3(codec);
	if (!dec)
		return AVERROR(ENOMEM);
	int r = avcodec_parameters_to_context(dec, par);
	if (r < 0) {
		avcodec_free_context(&dec);
		return r;
	}
	dec->lowres = lowres;
	dec->thread_count = 0;
	if (strict)
		dec->err_recognition |= AV_EF_CRCCHECK | AV_EF_BITSTREAM |
					AV_EF_BUFFER | AV_EF_EXPLODE;
	AVDictionary *opts = NULL;
	av_dict_set_int(&opts, "max_pixels", max_pixels, 0);
	r = avguard_open_codec_opts(dec, codec, &opts);
	av_dict_free(&opts);
	if (r < 0) {
		avcodec_free_context(&dec);
		return r;
	}
	*out = dec;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Orientation                                                         */
/* ------------------------------------------------------------------ */

/* The EXIF orientation (1..8) libavcodec found in the picture, 1 when
 * none. */
static int frame_orientation(const AVFrame *f)
{
	const AVDictionaryEntry *e = av_dict_get(f->metadata, "Orientation", NULL, 0);
	if (!e)
		return 1;
	int o = atoi(e->value);
	return o >= 1 && o <= 8 ? o : 1;
}

static bool orientation_swaps(int o)
{
	return o >= 5;
}

/* A new image: src turned upright by EXIF orientation o (2..8), per the
 * EXIF table: 2 mirrored, 3 turned 180, 4 flipped, 5 transposed, 6 turned
 * 90 clockwise, 7 transversed, 8 turned 270 clockwise. NULL when out of
 * memory. */
static struct image *orient(const struct image *src, int o)
{
	int W = src->w, H = src->h;
	bool swap = orientation_swaps(o);
	struct image *dst = image_alloc(swap ? H : W, swap ? W : H);
	if (!dst)
		return NULL;
	for (int y = 0; y < dst->h; y++) {
		uint32_t *out = (uint32_t *)(dst->pixels + (size_t)y * dst->pitch);
		for (int x = 0; x < dst->w; x++) {
			int sx, sy;
			switch (o) {
			case 2: sx = W - 1 - x; sy = y; break;
			case 3: sx = W - 1 - x; sy = H - 1 - y; break;
			case 4: sx = x; sy = H - 1 - y; break;
			case 5: sx = y; sy = x; break;
			case 6: sx = y; sy = H - 1 - x; break;
			case 7: sx = W - 1 - y; sy = H - 1 - x; break;
			case 8: sx = W - 1 - y; sy = x; break;
			default: sx = x; sy = y; break;
			}
			out[x] = ((const uint32_t *)(src->pixels + (size_t)sy * src->pitch))[sx];
		}
	}
	return dst;
}

struct image *image_turn(const struct image *src, int degrees)
{
	int o = degrees == 90 ? 6 : degrees == 180 ? 3 : degrees == 270 ? 8 : 1;
	return orient(src, o);
}

/* Fit src_w x src_h inside max_w x max_h keeping the aspect ratio, never
 * scaling up. A max of 0 or less means no limit on that side. */
static void fit_size(int src_w, int src_h, int max_w, int max_h, int *w,
		     int *h)
{
	*w = src_w;
	*h = src_h;
	if (max_w <= 0 && max_h <= 0)
		return;
	double sx = max_w > 0 ? (double)max_w / src_w : 1e9;
	double sy = max_h > 0 ? (double)max_h / src_h : 1e9;
	double s = sx < sy ? sx : sy;
	if (s >= 1.0)
		return;
	*w = (int)(src_w * s + 0.5);
	*h = (int)(src_h * s + 0.5);
	if (*w < 1)
		*w = 1;
	if (*h < 1)
		*h = 1;
	if (max_w > 0 && *w > max_w)
		*w = max_w;
	if (max_h > 0 && *h > max_h)
		*h = max_h;
}

/* The largest mjpeg "lowres" level (0..3) whose reduced decode is still at
 * least as big as the wanted size. */
static int pick_lowres(int src_w, int src_h, int want_w, int want_h,
		       int max_lowres)
{
	int level = 0;
	while (level < max_lowres && level < 3) {
		int next = level + 1;
		int rw = (src_w + (1 << next) - 1) >> next;   /* rounded up */
		int rh = (src_h + (1 << next) - 1) >> next;
		if (rw < want_w || rh < want_h)
			break;
		level = next;
	}
	return level;
}

/* The pixel format swscale should be told for fmt, without the deprecated
 * full-range "J" variants; *full_range is set when fmt was one. */
static enum AVPixelFormat unjay(enum AVPixelFormat fmt, bool *full_range)
{
	*full_range = true;
	switch (fmt) {
	case AV_PIX_FMT_YUVJ420P: return AV_PIX_FMT_YUV420P;
	case AV_PIX_FMT_YUVJ422P: return AV_PIX_FMT_YUV422P;
	case AV_PIX_FMT_YUVJ444P: return AV_PIX_FMT_YUV444P;
	case AV_PIX_FMT_YUVJ440P: return AV_PIX_FMT_YUV440P;
	case AV_PIX_FMT_YUVJ411P: return AV_PIX_FMT_YUV411P;
	default:
		*full_range = false;
		return fmt;
	}
}

struct image *image_from_frame(const AVFrame *frame, int w, int h,
			       const char *path, char *err, size_t err_size)
{
	bool full_range;
	enum AVPixelFormat src_fmt = unjay(frame->format, &full_range);
	if (frame->color_range == AVCOL_RANGE_JPEG)
		full_range = true;
	bool scaling = w != frame->width || h != frame->height;
	int flags = (scaling ? SWS_AREA : SWS_BICUBIC) | SWS_ACCURATE_RND |
		    SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP;
	struct SwsContext *sws = sws_getContext(frame->width, frame->height,
						src_fmt, w, h, AV_PIX_FMT_RGBA,
						flags, NULL, NULL, NULL);
	if (!sws) {
		const char *name = av_get_pix_fmt_name(frame->format);
		char what[128];
		snprintf(what, sizeof what, "cannot convert pixel format %s",
			 name ? name : "unknown");
		set_err(err, err_size, path, what);
		return NULL;
	}
	const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(src_fmt);
	if (desc && !(desc->flags & AV_PIX_FMT_FLAG_RGB) && desc->nb_components >= 3) {
		int cs = frame->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709
							      : SWS_CS_DEFAULT;
		const int *coef = sws_getCoefficients(cs);
		sws_setColorspaceDetails(sws, coef, full_range ? 1 : 0,
					 sws_getCoefficients(SWS_CS_DEFAULT), 1,
					 0, 1 << 16, 1 << 16);
	}
	struct image *img = image_alloc(w, h);
	if (!img) {
		sws_freeContext(sws);
		set_err(err, err_size, path, "out of memory");
		return NULL;
	}
	uint8_t *dst[4] = { img->pixels, NULL, NULL, NULL };
	int dst_stride[4] = { img->pitch, 0, 0, 0 };
	int rows = sws_scale(sws, (const uint8_t *const *)frame->data,
			     frame->linesize, 0, frame->height, dst, dst_stride);
	sws_freeContext(sws);
	if (rows != h) {
		image_destroy(img);
		set_err(err, err_size, path, "pixel conversion failed");
		return NULL;
	}
	return img;
}

/* Receive one frame from dec into frame, feeding it packets of stream
 * index from fmt. Returns 0 or a negative libav code. */
static int decode_first_frame(AVFormatContext *fmt, AVCodecContext *dec,
			      int index, AVPacket *pkt, AVFrame *frame,
			      bool have_pkt)
{
	bool flushed = false;
	for (;;) {
		int r = avcodec_receive_frame(dec, frame);
		if (r == 0)
			return 0;
		if (r != AVERROR(EAGAIN))
			return r;
		if (flushed)
			return AVERROR_EOF;
		if (!have_pkt) {
			r = av_read_frame(fmt, pkt);
			if (r == AVERROR_EOF) {
				avcodec_send_packet(dec, NULL);
				flushed = true;
				continue;
			}
			if (r < 0)
				return r;
			if (pkt->stream_index != index) {
				av_packet_unref(pkt);
				continue;
			}
		}
		have_pkt = false;
		r = avcodec_send_packet(dec, pkt);
		av_packet_unref(pkt);
		if (r < 0 && r != AVERROR(EAGAIN))
			return r;
	}
}

struct image *image_load(const char *path, int max_w, int max_h, char *err,
			 size_t err_size)
{
	return image_load_limited(path, max_w, max_h, AVGUARD_MAX_PIXELS, NULL,
				  err, err_size);
}

struct image *image_load_limited(const char *path, int max_w, int max_h,
				 int64_t max_pixels, struct image_info *info,
				 char *err, size_t err_size)
{
	if (max_pixels <= 0 || max_pixels > AVGUARD_MAX_PIXELS)
		max_pixels = AVGUARD_MAX_PIXELS;
	AVFormatContext *fmt = NULL;
	AVCodecContext *dec = NULL;
	AVPacket *pkt = NULL;
	AVFrame *frame = NULL;
	struct image *img = NULL;
	if (err && err_size)
		err[0] = '\0';

	struct avguard guard = { 0 };
	int r = avguard_open_input(&fmt, path, false, &guard);
	if (r < 0) {
		set_av_err(err, err_size, path, r);
		return NULL;
	}
	const AVCodec *codec = NULL;
	int index = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
	if (index < 0) {
		set_err(err, err_size, path,
			index == AVERROR_DECODER_NOT_FOUND
				? "no decoder for this picture format"
				: "not a picture");
		goto out;
	}
	AVStream *st = fmt->streams[index];
	pkt = av_packet_alloc();
	frame = av_frame_alloc();
	if (!pkt || !frame) {
		set_err(err, err_size, path, "out of memory");
		goto out;
	}

	/* Read the first packet now: for JPEG its header says how big the
	 * picture is, and a big one decodes much faster at reduced size. */
	bool have_pkt = false;
	for (;;) {
		r = av_read_frame(fmt, pkt);
		if (r < 0)
			break;
		if (pkt->stream_index == index) {
			have_pkt = true;
			break;
		}
		av_packet_unref(pkt);
	}
	if (!have_pkt) {
		if (r == AVERROR_EOF)
			set_err(err, err_size, path, "no picture in the file");
		else
			set_av_err(err, err_size, path, r);
		goto out;
	}
	int src_w = 0, src_h = 0;
	bool known = declared_size(codec->id, pkt, &src_w, &src_h);
	if (known && (int64_t)src_w * src_h > max_pixels) {
		/* a decompression bomb, or just too big: refused before a
		 * single pixel is decoded */
		char what[160];
		snprintf(what, sizeof what,
			 "the picture declares %dx%d pixels, more than the limit of "
			 "%.1f megapixels", src_w, src_h, (double)max_pixels / 1e6);
		set_err(err, err_size, path, what);
		av_packet_unref(pkt);
		goto out;
	}
	int lowres = 0;
	if (codec->id == AV_CODEC_ID_MJPEG && codec->max_lowres > 0 &&
	    (max_w > 0 || max_h > 0) && known) {
		/* big enough for the box whichever way EXIF turns it */
		int want_w, want_h, want_w2, want_h2;
		fit_size(src_w, src_h, max_w, max_h, &want_w, &want_h);
		fit_size(src_w, src_h, max_h, max_w, &want_w2, &want_h2);
		lowres = pick_lowres(src_w, src_h,
				     want_w > want_w2 ? want_w : want_w2,
				     want_h > want_h2 ? want_h : want_h2,
				     codec->max_lowres);
	}
	bool whole = ends_whole(codec->id, pkt);
	/* Decode strictly first: a damaged picture fails, and is then
	 * decoded again concealing what can be, with a warning naming the
	 * file (libav's own messages about it do not). */
	AVPacket *again = av_packet_clone(pkt);
	r = open_decoder(&dec, codec, st->codecpar, lowres, max_pixels, true);
	if (r < 0) {
		av_packet_unref(pkt);
		av_packet_free(&again);
		set_av_err(err, err_size, path, r);
		goto out;
	}
	r = decode_first_frame(fmt, dec, index, pkt, frame, true);
	if (r < 0 && r != AVERROR(ENOMEM) && again) {
		char why[AV_ERROR_MAX_STRING_SIZE];
		av_strerror(r, why, sizeof why);
		avcodec_free_context(&dec);
		av_frame_unref(frame);
		int r2 = open_decoder(&dec, codec, st->codecpar, lowres, max_pixels,
				      false);
		if (r2 >= 0)
			r2 = decode_first_frame(fmt, dec, index, again, frame, true);
		if (r2 >= 0 && frame->width > 0 && frame->height > 0) {
			log_warn("%s: the picture is damaged (%s); shown as far as it "
				 "decodes", path, why);
			r = 0;
			whole = true;   /* said once is enough */
		} else {
			r = r2 < 0 ? r2 : r;
		}
	} else if (r >= 0 && (frame->decode_error_flags ||
			      (frame->flags & AV_FRAME_FLAG_CORRUPT))) {
		log_warn("%s: the picture is damaged; shown as far as it decodes", path);
		whole = true;
	}
	av_packet_free(&again);
	if (r >= 0 && !whole)
		log_warn("%s: the picture ends early (no end marker): the file may be "
			 "cut short; shown as far as it decodes", path);
	if (r < 0) {
		if (r == AVERROR_EOF)
			set_err(err, err_size, path,
				"no picture decoded (the file may be cut short or damaged)");
		else
			set_av_err(err, err_size, path, r);
		goto out;
	}
	if (frame->width <= 0 || frame->height <= 0) {
		set_err(err, err_size, path, "picture has no size");
		goto out;
	}
	/* Fit against the original size: a lowres decode is smaller than the
	 * picture, but its aspect ratio is the same. The box is turned with
	 * the picture when EXIF turns it a quarter. */
	int o = frame_orientation(frame);
	int bw = orientation_swaps(o) ? max_h : max_w;
	int bh = orientation_swaps(o) ? max_w : max_h;
	int full_w = dec->lowres > 0 ? src_w : frame->width;
	int full_h = dec->lowres > 0 ? src_h : frame->height;
	int w, h;
	fit_size(full_w, full_h, bw, bh, &w, &h);
	if (w > frame->width || h > frame->height)
		fit_size(frame->width, frame->height, w, h, &w, &h);
	img = image_from_frame(frame, w, h, path, err, err_size);
	if (img && o != 1) {
		struct image *turned = orient(img, o);
		image_destroy(img);
		img = turned;
		if (!img)
			set_err(err, err_size, path, "out of memory");
	}
	if (img && info) {
		info->full_w = orientation_swaps(o) ? full_h : full_w;
		info->full_h = orientation_swaps(o) ? full_w : full_h;
		info->orientation = o;
	}

out:
	av_frame_free(&frame);
	av_packet_free(&pkt);
	avcodec_free_context(&dec);
	avformat_close_input(&fmt);
	return img;
}

/* ------------------------------------------------------------------ */
/* PNG output                                                          */
/* ------------------------------------------------------------------ */

/* Write the whole buffer to path. Logs and returns false on failure. */
static bool write_file(const char *path, const uint8_t *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		log_error("%s: %s", path, strerror(errno));
		return false;
	}
	bool ok = fwrite(data, 1, len, f) == len;
	int saved = errno;
	if (fclose(f) != 0 && ok) {
		saved = errno;
		ok = false;
	}
	if (!ok) {
		log_error("%s: write failed: %s", path, strerror(saved));
		remove(path);
	}
	return ok;
}

int image_encode_png(const struct image *img, AVPacket *pkt)
{
	if (!img || img->w <= 0 || img->h <= 0 || !img->pixels)
		return AVERROR(EINVAL);
	const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
	if (!codec)
		return AVERROR_ENCODER_NOT_FOUND;
	AVCodecContext *enc = avcodec_alloc_context3(codec);
	AVFrame *frame = av_frame_alloc();
	int r = AVERROR(ENOMEM);
	if (!enc || !frame)
		goto out;
	enc->width = img->w;
	enc->height = img->h;
	enc->pix_fmt = AV_PIX_FMT_RGBA;
	enc->time_base = (AVRational){ 1, 1 };
	/* a filter chosen per row: 10-20 % smaller for photographs and video
	 * frames (flat artwork can come out a little bigger) */
	av_opt_set(enc->priv_data, "pred", "mixed", 0);
	r = avcodec_open2(enc, codec, NULL);
	if (r < 0)
		goto out;
	frame->format = AV_PIX_FMT_RGBA;
	frame->width = img->w;
	frame->height = img->h;
	frame->data[0] = img->pixels;
	frame->linesize[0] = img->pitch;
	frame->pts = 0;
	r = avcodec_send_frame(enc, frame);
	if (r >= 0)
		r = avcodec_send_frame(enc, NULL);
	if (r >= 0)
		r = avcodec_receive_packet(enc, pkt);
out:
	av_frame_free(&frame);
	avcodec_free_context(&enc);
	return r;
}

bool image_save_png(const struct image *img, const char *path)
{
	char buf[AV_ERROR_MAX_STRING_SIZE];
	if (!img || img->w <= 0 || img->h <= 0 || !img->pixels) {
		log_error("%s: no image to save", path);
		return false;
	}
	AVPacket *pkt = av_packet_alloc();
	if (!pkt) {
		log_error("%s: out of memory", path);
		return false;
	}
	int r = image_encode_png(img, pkt);
	bool ok = false;
	if (r < 0) {
		av_strerror(r, buf, sizeof buf);
		log_error("%s: PNG encoding failed: %s", path, buf);
	} else {
		ok = write_file(path, pkt->data, (size_t)pkt->size);
	}
	av_packet_free(&pkt);
	return ok;
}
