/*
 * avguard: limits on every libav open (see avguard.h).
 */
#include "media/avguard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libavutil/opt.h>

#include "base/util.h"

/* Demuxers of the formats the kiosk supports (libavformat matches any
 * element of a demuxer's comma-separated name). */
static const char format_whitelist[] =
	"mov,mp4,m4a,matroska,webm,mp3,aac,ogg,wav,flac,"
	"image2,png_pipe,jpeg_pipe,webp_pipe,bmp_pipe,"
	"srt,webvtt";

/* Decoders for those formats (decoder names, not codec ids). */
static const char codec_whitelist[] =
	"h264,hevc,vp8,vp9,av1,libdav1d,libaom-av1,mpeg4,"
	"h264_v4l2m2m,hevc_v4l2m2m,vp8_v4l2m2m,vp9_v4l2m2m,mpeg4_v4l2m2m,"
	"aac,aac_fixed,mp3,mp3float,opus,libopus,vorbis,libvorbis,flac,"
	"pcm_s16le,pcm_s24le,pcm_s32le,pcm_f32le,pcm_u8,"
	"png,apng,mjpeg,webp,bmp,"
	"subrip,srt,webvtt,mov_text,ass,ssa";

static int interrupt_cb(void *opaque)
{
	const struct avguard *g = opaque;
	if (g->abort && atomic_load(g->abort))
		return 1;
	return g->deadline_ms > 0 && time_mono_ms() > g->deadline_ms;
}

int avguard_open_input(AVFormatContext **out, const char *path,
		       bool find_streams, struct avguard *g)
{
	*out = NULL;
	/* Only regular files: opening a FIFO or a device would block in
	 * open(2) itself, where no interrupt callback can reach. */
	struct stat st;
	if (stat(path, &st) != 0)
		return AVERROR(errno);
	if (!S_ISREG(st.st_mode))
		return AVERROR(EINVAL);
	AVFormatContext *fmt = avformat_alloc_context();
	if (!fmt)
		return AVERROR(ENOMEM);
	g->deadline_ms = time_mono_ms() + AVGUARD_OPEN_TIMEOUT_MS;
	fmt->interrupt_callback.callback = interrupt_cb;
	fmt->interrupt_callback.opaque = g;
	fmt->probesize = AVGUARD_PROBESIZE;
	fmt->max_analyze_duration = AVGUARD_ANALYZEDURATION_US;

	AVDictionary *opts = NULL;
	av_dict_set(&opts, "protocol_whitelist", "file", 0);
	av_dict_set(&opts, "format_whitelist", format_whitelist, 0);
	av_dict_set(&opts, "codec_whitelist", codec_whitelist, 0);
	/* image2 would read a numbered sequence for a name with "%d" */
	av_dict_set(&opts, "pattern_type", "none", 0);
	/* "file:" so a name with a colon is never taken for another protocol */
	char *url = xasprintf("file:%s", path);
	int r = avformat_open_input(&fmt, url, NULL, &opts);
	free(url);
	av_dict_free(&opts);
	if (r < 0) {
		g->deadline_ms = 0;
		return r; /* fmt was freed by avformat_open_input */
	}
	r = find_streams ? avformat_find_stream_info(fmt, NULL) : 0;
	g->deadline_ms = 0;
	if (r < 0) {
		avformat_close_input(&fmt);
		return r;
	}
	*out = fmt;
	return 0;
}

bool avguard_codec_allowed(const char *name)
{
	size_t n = strlen(name);
	for (const char *p = codec_whitelist; (p = strstr(p, name)); p += n) {
		bool starts = p == codec_whitelist || p[-1] == ',';
		bool ends = p[n] == ',' || p[n] == '\0';
		if (starts && ends)
			return true;
	}
	return false;
}

int avguard_open_codec(AVCodecContext *dec, const AVCodec *codec)
{
	AVDictionary *opts = NULL;
	int r = avguard_open_codec_opts(dec, codec, &opts);
	av_dict_free(&opts);
	return r;
}

int avguard_open_codec_opts(AVCodecContext *dec, const AVCodec *codec,
			    AVDictionary **opts)
{
	if (!avguard_codec_allowed(codec->name))
		return AVERROR_DECODER_NOT_FOUND;
	/* the caller may lower max_pixels, never raise it */
	const AVDictionaryEntry *e = av_dict_get(*opts, "max_pixels", NULL, 0);
	if (!e || strtoll(e->value, NULL, 10) > AVGUARD_MAX_PIXELS ||
	    strtoll(e->value, NULL, 10) <= 0)
		av_dict_set_int(opts, "max_pixels", AVGUARD_MAX_PIXELS, 0);
	av_dict_set(opts, "codec_whitelist", codec_whitelist, 0);
	return avcodec_open2(dec, codec, opts);
}
