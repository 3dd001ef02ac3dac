/*
 * movie: the player (see movie.h for the threads and the clocks).
 *
 * Timestamps. Every time inside the player is "movie time": seconds from
 * the file's start time plus the lengths of the passes already played
 * (a looping attract video's timestamps run on across loops, so nothing
 * is flushed at a loop and the change is seamless). movie_position_s
 * takes the pass offset off again.
 *
 * The frame rule (movie_update_texture): the first queued picture is shown
 * once the master clock reaches its time; a picture is dropped unshown
 * when the picture after it is due as well, so a slow main loop skips
 * pictures instead of falling behind the sound. After a seek, pictures
 * and sound before the target are decoded and dropped in the decode
 * threads, so the first picture shown is the one on screen at the target.
 */
#define _GNU_SOURCE /* pthread_timedjoin_np */
#include "media/movie.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

#include "base/log.h"
#include "base/util.h"
#include "media/avguard.h"
#include "media/framequeue.h"
#include "media/hwdec.h"
#include "media/pktqueue.h"
#include "media/playclock.h"
#include "media/probe.h"
#include "media/subtitles.h"
#include "media/videotex.h"

/* Queue sizes, as in ffplay: pictures, sound chunks, and the packets read
 * ahead (the demux thread rests when each queue has MIN_PACKETS packets
 * and MIN_QUEUE_S seconds, or when all hold MAX_QUEUE_BYTES). */
#define PICTURE_QUEUE 3
#define SAMPLE_QUEUE 9
#define MIN_PACKETS 25
#define MIN_QUEUE_S 1.0
#define MAX_QUEUE_BYTES (15u << 20)
/* Decode errors in a row tolerated before playback stops with a failure
 * (decoders conceal damage; a file that never decodes is given up). */
#define MAX_DECODE_ERRORS 16
/* Damage the decoders conceal (or a packet cut short) is logged, naming
 * the file, the first time and then once every this many times: libav's
 * own messages about it do not say which file they are about. */
#define DAMAGE_LOG_EVERY 100
/* A file declaring more than this many times the seconds its bytes can
 * hold at its bit rate is logged as cut short or with a damaged header. */
#define DECLARED_SLACK 4.0
/* How long threads wait on a queue before looking at the stop flag. */
#define WAIT_MS 20
/* How long movie_close waits for a thread before leaving it behind. */
#define JOIN_TIMEOUT_S 3

#define OUT_RATE 48000
#define OUT_CHANNELS 2
#define OUT_BYTES_PER_FRAME (OUT_CHANNELS * 2)
#define OUT_BYTES_PER_S ((double)OUT_RATE * OUT_BYTES_PER_FRAME)

struct audio_track {
	int stream;             /* index in fmt->streams */
	char lang[16];          /* its "language" tag, "" when untagged */
};

struct sub_track {
	int stream;
	char lang[16];
	AVCodecContext *dec;    /* demux thread only */
	struct subtitles *cues; /* guarded by movie.lock */
};

struct movie {
	char *path;
	struct movie_options opt;

	/* Set by movie_open, read-only afterwards. */
	AVFormatContext *fmt;       /* the demux thread's once it runs */
	struct avguard guard;       /* libav's limits; points at abort_io */
	atomic_bool abort_io;       /* set by movie_close: cut blocking reads */
	int vidx;                   /* video stream, -1 none */
	AVRational vtb;
	double start_s;             /* the file's start time */
	double duration_s;          /* 0 when unknown */
	double frame_dur_s;         /* nominal picture duration */
	int disp_w, disp_h;         /* display size, aspect and rotation applied */
	int rotation;               /* degrees clockwise */
	struct hwdec_result vdec_open; /* opened by movie_open, taken by the
				     * video thread */
	struct audio_track *atracks;
	int n_atracks;
	struct sub_track *stracks;
	int n_stracks;
	bool audio_out;             /* sound decoded and played on dev */
	SDL_AudioDeviceID dev;
	bool audio_subsystem;       /* we initialised SDL audio ourselves */
	double dev_latency_s;       /* device buffers ahead of the callback's */

	struct pktqueue *vq, *aq;   /* both exist always; serials move together */
	struct framequeue *pictq, *sampq;
	struct playclock audclk;    /* set by the audio callback */
	struct playclock extclk;    /* wall clock; follows audclk while valid */

	pthread_t demux_thread, video_thread, audio_thread;
	bool demux_started, video_started, audio_started;
	atomic_bool stop;
	atomic_int volume_permille;
	atomic_bool wake_pending;   /* a wake-up event is in SDL's queue */
	atomic_llong progress_ms;   /* time_mono_ms of the last picture or sound */
	atomic_long damage_notes;   /* damaged pictures, sound and packets seen */

	pthread_mutex_t lock;       /* guards what follows */
	pthread_cond_t cond;        /* demux thread: a request, or stop */
	bool seek_req;              /* movie_seek asked the demux thread */
	double seek_to_s;           /* movie time to seek to */
	int astream_req;            /* audio stream to switch to, -1 none */
	int astream;                /* audio stream playing, -1 none */
	int atrack;                 /* its index in atracks */
	int eof_serial;             /* demux reached the end (END queued) */
	int vdone_serial;           /* video thread decoded its END */
	int adone_serial;           /* audio thread decoded its END */
	long frames_decoded;        /* pictures and sound chunks, all time */
	bool failed;
	char err[256];
	char last_decode_error[128];
	double prev_pass_s, cur_pass_s; /* loop offsets, for the position */
	char vdesc[192];            /* how the video is decoded */
	long underruns;

	/* Audio callback only (and movie_open before it runs). */
	int apos;                   /* bytes of the first sample chunk played */
	bool audio_playing;         /* had sound since the last seek */

	/* Main thread only. */
	bool paused;
	double last_shown_end_s;    /* movie time the last picture ends */
	double last_clock_s;        /* for the position while no clock runs */
	struct movie_stats stats;
	struct videotex vtex;
	bool upload_error_logged;
	bool end_logged;            /* the end was checked against the duration */
};

/* ------------------------------------------------------------------ */
/* Wake-up events and failures                                         */
/* ------------------------------------------------------------------ */

static pthread_once_t event_once = PTHREAD_ONCE_INIT;
static uint32_t event_type;

static void register_event(void)
{
	Uint32 t = SDL_RegisterEvents(1);
	event_type = t == (Uint32)-1 ? 0 : t;
	if (!event_type)
		log_warn("cannot register the movie wake-up event: %s",
			 SDL_GetError());
}

/* Returns 0 when SDL has no user event left to give. */
uint32_t movie_event_type(void)
{
	pthread_once(&event_once, register_event);
	return event_type;
}

/* Push one wake-up event unless one is already waiting. Any thread. */
static void wake_main(struct movie *m)
{
	if (atomic_exchange(&m->wake_pending, true))
		return;
	SDL_Event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = movie_event_type();
	if (ev.type == 0 || SDL_PushEvent(&ev) <= 0)
		atomic_store(&m->wake_pending, false);
}

static void set_err(char *err, size_t err_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t err_size, const char *fmt, ...)
{
	if (!err || !err_size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
}

static const char *av_err(int code, char *buf, size_t size)
{
	av_strerror(code, buf, size);
	return buf;
}

/* Stop playback with a reason ("<path>: <what>[: <libav error>]"); the
 * first reason wins. Any thread. Always returns -1. */
static int fail(struct movie *m, const char *what, int code)
{
	char buf[AV_ERROR_MAX_STRING_SIZE];
	pthread_mutex_lock(&m->lock);
	if (!m->failed) {
		m->failed = true;
		if (code)
			snprintf(m->err, sizeof m->err, "%s: %s: %s", m->path,
				 what, av_err(code, buf, sizeof buf));
		else
			snprintf(m->err, sizeof m->err, "%s: %s", m->path, what);
		log_error("%s", m->err);
	}
	pthread_mutex_unlock(&m->lock);
	wake_main(m);
	return -1;
}

/* Damaged data (what: "video", "audio", "packet") at movie time at_s was
 * concealed or cut short: logged with the file's name the first time and
 * every DAMAGE_LOG_EVERY times after. Any thread. */
static void note_damage(struct movie *m, const char *what, double at_s)
{
	long n = atomic_fetch_add(&m->damage_notes, 1) + 1;
	if (n == 1 || n % DAMAGE_LOG_EVERY == 0)
		log_warn("%s: damaged %s at %.1f s, played as far as it decodes "
			 "(%ld damaged so far)", m->path, what, at_s, n);
}

static void note_progress(struct movie *m)
{
	atomic_store(&m->progress_ms, (long long)time_mono_ms());
}

/* Movie time of timestamp ts in time base tb in the pass at offset_s. */
static double movie_time(const struct movie *m, int64_t ts, AVRational tb,
			 double offset_s)
{
	return (double)ts * av_q2d(tb) - m->start_s + offset_s;
}

/* ------------------------------------------------------------------ */
/* Decoding, shared by the video and audio threads                     */
/* ------------------------------------------------------------------ */

/* One decode thread's state. */
struct decoder {
	struct movie *m;
	struct pktqueue *q;
	AVCodecContext *dec;
	int stream;             /* stream index decoded */
	bool hardware;          /* video: a hardware decoder (may fall back) */
	int serial;             /* of the packets being decoded */
	double floor_s;         /* frames ending before this are dropped */
	double offset_s;        /* pass offset of the packets being decoded */
	double next_pts_s;      /* for frames without a timestamp */
	int errors;             /* decode errors in a row */
	long frames;            /* frames decoded under this decoder */
	long stall_after;       /* fault injection: stop after this many */
	AVFrame *frame, *tmp;
	/* video */
	struct SwsContext *sws;
	/* audio */
	SwrContext *swr;
	int swr_rate, swr_fmt;
	AVChannelLayout swr_layout;
};

/* What decode_error returns when a hardware decoder fails before its
 * first picture: the video thread then decodes in software instead. */
#define FALL_BACK (-2)

/* A decoder returned an error: tolerated while frames keep coming;
 * returns -1 once there have been too many in a row (FALL_BACK for a
 * hardware decoder that never gave a picture). */
static int decode_error(struct decoder *d, const char *kind, int code)
{
	char buf[AV_ERROR_MAX_STRING_SIZE];
	struct movie *m = d->m;
	d->errors++;
	pthread_mutex_lock(&m->lock);
	snprintf(m->last_decode_error, sizeof m->last_decode_error,
		 "%s decoding failed: %s", kind, av_err(code, buf, sizeof buf));
	pthread_mutex_unlock(&m->lock);
	if (d->errors <= 3)
		log_warn("%s: %s decoding failed: %s", m->path, kind, buf);
	if (d->hardware && d->frames == 0 && d->errors >= 2)
		return FALL_BACK;
	if (d->errors >= MAX_DECODE_ERRORS) {
		char what[160];
		snprintf(what, sizeof what, "%s decoding failed %d times in a row",
			 kind, d->errors);
		return fail(m, what, code);
	}
	return 0;
}

typedef int (*frame_fn)(struct decoder *d, AVFrame *f);

/* Take every frame the decoder has ready and hand it to fn. Returns 0,
 * AVERROR_EOF when the decoder is drained, or -1 (FALL_BACK) to stop. */
static int receive_frames(struct decoder *d, frame_fn fn, const char *kind)
{
	for (;;) {
		int r = avcodec_receive_frame(d->dec, d->frame);
		if (r == AVERROR(EAGAIN))
			return 0;
		if (r == AVERROR_EOF)
			return AVERROR_EOF;
		if (r < 0) {
			r = decode_error(d, kind, r);
			if (r < 0)
				return r;
			continue;
		}
		d->errors = 0;
		d->frames++;
		pthread_mutex_lock(&d->m->lock);
		d->m->frames_decoded++;
		pthread_mutex_unlock(&d->m->lock);
		if (d->frame->decode_error_flags ||
		    (d->frame->flags & AV_FRAME_FLAG_CORRUPT))
			note_damage(d->m, kind,
				    d->frame->best_effort_timestamp != AV_NOPTS_VALUE
					    ? d->frame->best_effort_timestamp *
						      av_q2d(d->m->fmt->streams[d->stream]->time_base)
					    : d->next_pts_s);
		r = fn(d, d->frame);
		av_frame_unref(d->frame);
		if (r < 0)
			return r;
	}
}

/* Send pkt (NULL: drain) and pass on what comes out. Returns 0, or -1
 * (FALL_BACK) to stop. */
static int decode_packet(struct decoder *d, AVPacket *pkt, frame_fn fn,
			 const char *kind)
{
	for (;;) {
		int r = avcodec_send_packet(d->dec, pkt);
		if (r == AVERROR(EAGAIN)) {
			/* full: take frames out, then send again */
			r = receive_frames(d, fn, kind);
			if (r < 0 && r != AVERROR_EOF)
				return r;
			continue;
		}
		if (r < 0 && r != AVERROR_EOF)
			return decode_error(d, kind, r);
		r = receive_frames(d, fn, kind);
		return r < 0 && r != AVERROR_EOF ? r : 0;
	}
}

/* The serial the decoder works for is no longer the queue's: a seek
 * happened and what it decodes now is not wanted. */
static bool stale(struct decoder *d)
{
	return pktqueue_serial(d->q) != d->serial || atomic_load(&d->m->stop);
}

/* Pass a frame's pts through the decoder's bookkeeping: movie time of f,
 * with its duration in *dur_s. */
static double frame_time(struct decoder *d, const AVFrame *f, double dur_s)
{
	AVRational tb = d->m->fmt->streams[d->stream]->time_base;
	double pts = f->best_effort_timestamp != AV_NOPTS_VALUE
			     ? movie_time(d->m, f->best_effort_timestamp, tb,
					  d->offset_s)
			     : d->next_pts_s;
	d->next_pts_s = pts + dur_s;
	return pts;
}

typedef int (*open_fn)(struct decoder *d);

/* The loop of a decode thread: take packets and markers from d->q until
 * stop (returns 0) or failure (-1, FALL_BACK). reopen is called on FLUSH
 * (the audio track may have changed). */
static int decode_loop(struct decoder *d, frame_fn fn, const char *kind,
		       open_fn reopen, int *done_serial)
{
	struct movie *m = d->m;
	AVPacket *null_pkt = NULL;
	while (!atomic_load(&m->stop)) {
		if (d->stall_after > 0 && d->frames >= d->stall_after) {
			/* a stuck decoder, for tests: takes nothing more */
			struct timespec ts = { 0, WAIT_MS * 1000000L };
			nanosleep(&ts, NULL);
			continue;
		}
		struct pktqueue_item it;
		int r = pktqueue_get(d->q, &it, WAIT_MS);
		if (r < 0)
			break;
		if (r == 0)
			continue;
		r = 0;
		switch (it.kind) {
		case PKTQUEUE_FLUSH:
			d->serial = it.serial;
			d->floor_s = it.floor_s;
			d->next_pts_s = it.floor_s;
			if (reopen && (r = reopen(d)) < 0)
				return r;
			if (d->dec)
				avcodec_flush_buffers(d->dec);
			break;
		case PKTQUEUE_DRAIN:
		case PKTQUEUE_END:
			if (d->dec && (r = decode_packet(d, null_pkt, fn, kind)) < 0)
				return r;
			if (d->dec)
				avcodec_flush_buffers(d->dec);
			if (it.kind == PKTQUEUE_DRAIN) {
				d->offset_s = it.offset_s;
				d->next_pts_s = it.offset_s;
			} else {
				pthread_mutex_lock(&m->lock);
				*done_serial = it.serial;
				pthread_mutex_unlock(&m->lock);
				wake_main(m);
			}
			break;
		case PKTQUEUE_PACKET:
			if (d->dec && it.serial == d->serial)
				r = decode_packet(d, it.pkt, fn, kind);
			av_packet_free(&it.pkt);
			if (r < 0)
				return r;
			break;
		}
	}
	return 0;
}

static void decoder_finish(struct decoder *d)
{
	avcodec_free_context(&d->dec);
	av_frame_free(&d->frame);
	av_frame_free(&d->tmp);
	sws_freeContext(d->sws);
	swr_free(&d->swr);
	av_channel_layout_uninit(&d->swr_layout);
}

/* ------------------------------------------------------------------ */
/* Video thread                                                        */
/* ------------------------------------------------------------------ */

/* Store f in slot: by reference when it is YUV420P (limited range) or
 * NV12, which SDL textures take as they are; otherwise converted to
 * YUV420P with swscale. Returns 0 or -1. */
static int store_picture(struct decoder *d, AVFrame *f, AVFrame *out)
{
	enum AVPixelFormat src = f->format;
	bool full = f->color_range == AVCOL_RANGE_JPEG;
	switch (src) {
	case AV_PIX_FMT_YUVJ420P: src = AV_PIX_FMT_YUV420P; full = true; break;
	case AV_PIX_FMT_YUVJ422P: src = AV_PIX_FMT_YUV422P; full = true; break;
	case AV_PIX_FMT_YUVJ444P: src = AV_PIX_FMT_YUV444P; full = true; break;
	case AV_PIX_FMT_YUVJ440P: src = AV_PIX_FMT_YUV440P; full = true; break;
	default: break;
	}
	/* SDL shows YUV as limited range: full-range pictures are
	 * converted, or blacks and whites would be washed out. */
	if ((src == AV_PIX_FMT_YUV420P || src == AV_PIX_FMT_NV12) && !full &&
	    f->linesize[0] > 0 && f->linesize[1] > 0 &&
	    (src == AV_PIX_FMT_NV12 || f->linesize[2] > 0))
		return av_frame_ref(out, f) < 0 ? -1 : 0;
	d->sws = sws_getCachedContext(d->sws, f->width, f->height, src,
				      f->width, f->height, AV_PIX_FMT_YUV420P,
				      SWS_BICUBIC, NULL, NULL, NULL);
	if (!d->sws) {
		const char *name = av_get_pix_fmt_name(f->format);
		char what[96];
		snprintf(what, sizeof what, "cannot convert pixel format %s",
			 name ? name : "unknown");
		return fail(d->m, what, 0);
	}
	const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(src);
	if (desc && !(desc->flags & AV_PIX_FMT_FLAG_RGB)) {
		const int *coef = sws_getCoefficients(
			f->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709
							 : SWS_CS_DEFAULT);
		sws_setColorspaceDetails(d->sws, coef, full ? 1 : 0, coef, 0, 0,
					 1 << 16, 1 << 16);
	}
	out->format = AV_PIX_FMT_YUV420P;
	out->width = f->width;
	out->height = f->height;
	int r = av_frame_get_buffer(out, 0);
	if (r < 0)
		return fail(d->m, "cannot allocate a video frame", r);
	av_frame_copy_props(out, f);
	out->color_range = AVCOL_RANGE_MPEG;
	sws_scale(d->sws, (const uint8_t *const *)f->data, f->linesize, 0,
		  f->height, out->data, out->linesize);
	return 0;
}

static int video_frame(struct decoder *d, AVFrame *f)
{
	struct movie *m = d->m;
	if (f->hw_frames_ctx) {
		int r = hwdec_download(f, d->tmp);
		if (r < 0)
			return decode_error(d, "video", r);
	}
	double dur = m->frame_dur_s;
	double pts = frame_time(d, f, dur);
	if (pts + dur <= d->floor_s + 1e-6)
		return 0;       /* on the way from a key frame to a seek target */
	for (;;) {
		if (stale(d))
			return 0;
		struct framequeue_slot *slot =
			framequeue_peek_writable(m->pictq, WAIT_MS);
		if (!slot)
			continue;
		if (store_picture(d, f, slot->frame) < 0)
			return -1;
		slot->pts_s = pts;
		slot->dur_s = dur;
		slot->serial = d->serial;
		framequeue_push(m->pictq);
		wake_main(m);
		return 0;
	}
}

/* A hardware decoder failed before its first picture: open the software
 * decoder instead and start again where playback is. Returns 0 or -1. */
static int video_fall_back(struct decoder *d)
{
	struct movie *m = d->m;
	struct hwdec_result res;
	log_warn("%s: hardware decoding failed (%s); decoding in software",
		 m->path, m->last_decode_error);
	avcodec_free_context(&d->dec);
	if (hwdec_open(m->fmt->streams[d->stream], false, &res) < 0)
		return fail(m, res.desc, 0);
	d->dec = res.dec;
	d->hardware = false;
	d->errors = 0;
	pthread_mutex_lock(&m->lock);
	snprintf(m->vdesc, sizeof m->vdesc, "%s (after hardware failed)",
		 res.desc);
	/* read the file again from the floor of the current seek */
	m->seek_req = true;
	m->seek_to_s = d->floor_s > 0 ? d->floor_s : 0;
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	log_info("%s: video: %s", m->path, m->vdesc);
	return 0;
}

static void *video_thread(void *arg)
{
	struct movie *m = arg;
	struct decoder d = { .m = m, .q = m->vq, .stream = m->vidx };
	struct hwdec_result res = m->vdec_open;
	m->vdec_open.dec = NULL;    /* the thread's now */
	d.frame = av_frame_alloc();
	d.tmp = av_frame_alloc();
	d.dec = res.dec;
	if (!d.frame || !d.tmp) {
		fail(m, "out of memory", 0);
		decoder_finish(&d);
		return NULL;
	}
	d.hardware = res.hardware;
	d.floor_s = -1e300;
	pthread_mutex_lock(&m->lock);
	snprintf(m->vdesc, sizeof m->vdesc, "%s", res.desc);
	pthread_mutex_unlock(&m->lock);
	log_info("%s: video: %s", m->path, res.desc);
	/* a hardware decoder that fails before its first picture gets
	 * replaced by the software one */
	if (m->opt.test_stall_after_frames > 0)
		d.stall_after = m->opt.test_stall_after_frames;
	while (decode_loop(&d, video_frame, "video", NULL, &m->vdone_serial) ==
		       FALL_BACK &&
	       video_fall_back(&d) == 0)
		;
	decoder_finish(&d);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Audio thread                                                        */
/* ------------------------------------------------------------------ */

/* (Re)configure the resampler for frames like f. */
static int audio_setup_swr(struct decoder *d, const AVFrame *f)
{
	AVChannelLayout in = { 0 };   /* av_channel_layout_copy frees it first */
	if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC ||
	    f->ch_layout.nb_channels <= 0) {
		av_channel_layout_default(&in, f->ch_layout.nb_channels > 0
						       ? f->ch_layout.nb_channels
						       : 2);
	} else if (av_channel_layout_copy(&in, &f->ch_layout) < 0) {
		return fail(d->m, "out of memory", 0);
	}
	if (d->swr && d->swr_rate == f->sample_rate && d->swr_fmt == f->format &&
	    av_channel_layout_compare(&d->swr_layout, &in) == 0) {
		av_channel_layout_uninit(&in);
		return 0;
	}
	swr_free(&d->swr);
	av_channel_layout_uninit(&d->swr_layout);
	AVChannelLayout out = AV_CHANNEL_LAYOUT_STEREO;
	int r = swr_alloc_set_opts2(&d->swr, &out, AV_SAMPLE_FMT_S16, OUT_RATE,
				    &in, f->format, f->sample_rate, 0, NULL);
	if (r >= 0)
		r = swr_init(d->swr);
	if (r < 0) {
		av_channel_layout_uninit(&in);
		swr_free(&d->swr);
		return fail(d->m, "cannot set up audio resampling", r);
	}
	d->swr_layout = in;
	d->swr_rate = f->sample_rate;
	d->swr_fmt = f->format;
	return 0;
}

/* Resample f into the sample queue as 48 kHz stereo S16, cutting what
 * lies before the seek floor. */
static int audio_frame(struct decoder *d, AVFrame *f)
{
	struct movie *m = d->m;
	if (f->sample_rate <= 0 || f->nb_samples <= 0)
		return 0;
	if (audio_setup_swr(d, f) < 0)
		return -1;
	double pts = frame_time(d, f, (double)f->nb_samples / f->sample_rate);
	int max_out = swr_get_out_samples(d->swr, f->nb_samples);
	if (max_out < 0)
		return fail(m, "audio resampling failed", max_out);
	struct framequeue_slot *slot = NULL;
	while (!slot) {
		if (stale(d))
			return 0;
		slot = framequeue_peek_writable(m->sampq, WAIT_MS);
	}
	AVFrame *out = slot->frame;
	av_frame_unref(out);
	out->format = AV_SAMPLE_FMT_S16;
	out->sample_rate = OUT_RATE;
	out->nb_samples = max_out;
	AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
	av_channel_layout_copy(&out->ch_layout, &stereo);
	int r = av_frame_get_buffer(out, 0);
	if (r < 0)
		return fail(m, "cannot allocate audio", r);
	int n = swr_convert(d->swr, out->data, max_out,
			    (const uint8_t **)f->extended_data, f->nb_samples);
	if (n < 0)
		return fail(m, "audio resampling failed", n);
	int skip = 0;
	if (pts < d->floor_s) {
		/* after a seek: the sound starts exactly at the target */
		skip = (int)((d->floor_s - pts) * OUT_RATE);
		if (skip >= n) {
			av_frame_unref(out);
			return 0;
		}
		memmove(out->data[0], out->data[0] + skip * OUT_BYTES_PER_FRAME,
			(size_t)(n - skip) * OUT_BYTES_PER_FRAME);
		pts = d->floor_s;
	}
	out->nb_samples = n - skip;
	if (out->nb_samples == 0) {
		av_frame_unref(out);
		return 0;
	}
	slot->pts_s = pts;
	slot->dur_s = (double)out->nb_samples / OUT_RATE;
	slot->serial = d->serial;
	framequeue_push(m->sampq);
	return 0;
}

/* On FLUSH: open the decoder of the audio stream now wanted (at the
 * start, or after movie_set_audio_track). */
static int audio_reopen(struct decoder *d)
{
	struct movie *m = d->m;
	pthread_mutex_lock(&m->lock);
	int want = m->astream;
	pthread_mutex_unlock(&m->lock);
	if (want == d->stream && d->dec)
		return 0;
	avcodec_free_context(&d->dec);
	d->stream = want;
	if (want < 0)
		return 0;
	AVStream *st = m->fmt->streams[want];
	const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
	AVCodecContext *dec = codec ? avcodec_alloc_context3(codec) : NULL;
	int r = dec ? avcodec_parameters_to_context(dec, st->codecpar)
		    : AVERROR_DECODER_NOT_FOUND;
	if (r >= 0) {
		dec->pkt_timebase = st->time_base;
		r = avguard_open_codec(dec, codec);
	}
	if (r < 0) {
		char buf[AV_ERROR_MAX_STRING_SIZE];
		log_warn("%s: cannot open the audio decoder of stream %d: %s",
			 m->path, want, av_err(r, buf, sizeof buf));
		avcodec_free_context(&dec);
		return 0;   /* no sound; the picture plays on */
	}
	d->dec = dec;
	swr_free(&d->swr);
	return 0;
}

static void *audio_thread(void *arg)
{
	struct movie *m = arg;
	struct decoder d = { .m = m, .q = m->aq, .stream = -1 };
	d.frame = av_frame_alloc();
	d.floor_s = -1e300;
	if (!d.frame)
		fail(m, "out of memory", 0);
	else
		decode_loop(&d, audio_frame, "audio", audio_reopen,
			    &m->adone_serial);
	decoder_finish(&d);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Audio output: SDL's callback                                        */
/* ------------------------------------------------------------------ */

/* Fill stream from the sample queue and set the audio clock to the time
 * of the sound heard now: the end of what was taken, minus what is left
 * of the current chunk, minus this buffer, minus the device's own
 * buffers (dev_latency_s). */
static void audio_callback(void *userdata, Uint8 *stream, int len)
{
	struct movie *m = userdata;
	double now = time_mono_s();
	int serial = pktqueue_serial(m->aq);
	int vol = atomic_load(&m->volume_permille);
	int filled = 0;
	double end_s = NAN;
	int left = 0;
	while (filled < len) {
		struct framequeue_slot *s = framequeue_peek(m->sampq);
		if (!s)
			break;
		if (s->serial != serial) {
			framequeue_next(m->sampq);
			m->apos = 0;
			continue;
		}
		int bytes = s->frame->nb_samples * OUT_BYTES_PER_FRAME;
		int n = bytes - m->apos;
		if (n > len - filled)
			n = len - filled;
		const int16_t *src = (const int16_t *)(s->frame->data[0] + m->apos);
		int16_t *dst = (int16_t *)(stream + filled);
		if (vol >= 1000) {
			memcpy(dst, src, (size_t)n);
		} else {
			int scale = vol * 65536 / 1000;
			for (int i = 0; i < n / 2; i++)
				dst[i] = (int16_t)((src[i] * scale) >> 16);
		}
		m->apos += n;
		filled += n;
		end_s = s->pts_s + s->dur_s;
		left = bytes - m->apos;
		if (m->apos >= bytes) {
			framequeue_next(m->sampq);
			m->apos = 0;
		}
	}
	if (filled < len)
		memset(stream + filled, 0, (size_t)(len - filled));
	if (filled > 0) {
		m->audio_playing = true;
		playclock_set(&m->audclk,
			      end_s - (left + filled) / OUT_BYTES_PER_S -
				      m->dev_latency_s,
			      serial, now);
		note_progress(m);
	}
	if (filled < len && m->audio_playing) {
		pthread_mutex_lock(&m->lock);
		bool ended = m->adone_serial == serial;
		if (!ended)
			m->underruns++;
		pthread_mutex_unlock(&m->lock);
		if (filled == 0) {
			/* nothing to play: the clock stands where the sound
			 * stopped */
			double c = playclock_get(&m->audclk, now, serial);
			if (!isnan(c))
				playclock_set(&m->audclk, c, serial, now);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Demux thread                                                        */
/* ------------------------------------------------------------------ */

/* Flush both packet queues (bumping their serial) so that decoding starts
 * afresh at movie time floor_s. */
static void flush_queues(struct movie *m, double floor_s)
{
	pktqueue_flush(m->vq, floor_s);
	pktqueue_flush(m->aq, floor_s);
}

/* Seek the file to movie time target_s (in the pass at offset_s). */
static int demux_seek(struct movie *m, double target_s, double offset_s)
{
	double file_s = target_s - offset_s + m->start_s;
	int64_t ts = (int64_t)(file_s * AV_TIME_BASE);
	/* the key frame at or before the target; the decode threads drop
	 * what lies before it */
	int r = avformat_seek_file(m->fmt, -1, INT64_MIN, ts, ts, 0);
	if (r < 0)
		r = av_seek_frame(m->fmt, -1, ts, AVSEEK_FLAG_BACKWARD);
	return r;
}

/* The demux thread's own bookkeeping. */
struct demux {
	double offset_s;        /* loop offset of the pass being read */
	double pass_end_s;      /* latest packet end in this pass, file time */
	long pass_packets;      /* packets queued in this pass */
	bool eof;
	bool cut_logged;        /* the file was logged as perhaps cut short */
};

/* Apply an audio track switch (lock held): discard the old stream. */
static void switch_audio_locked(struct movie *m)
{
	if (m->astream_req < 0)
		return;
	if (m->astream >= 0)
		m->fmt->streams[m->astream]->discard = AVDISCARD_ALL;
	m->astream = m->astream_req;
	m->fmt->streams[m->astream]->discard = AVDISCARD_DEFAULT;
	for (int i = 0; i < m->n_atracks; i++)
		if (m->atracks[i].stream == m->astream)
			m->atrack = i;
	m->astream_req = -1;
}

/* Handle a seek request. Returns 0 or -1. */
static int demux_do_seek(struct movie *m, struct demux *dm)
{
	pthread_mutex_lock(&m->lock);
	double target = m->seek_to_s;
	m->seek_req = false;
	switch_audio_locked(m);
	pthread_mutex_unlock(&m->lock);
	int r = demux_seek(m, target, dm->offset_s);
	if (r < 0) {
		char buf[AV_ERROR_MAX_STRING_SIZE];
		log_warn("%s: cannot seek to %.3f s: %s", m->path,
			 target - dm->offset_s, av_err(r, buf, sizeof buf));
	}
	flush_queues(m, target);
	dm->eof = false;
	return 0;
}

/* The end of one pass through a looping file: drain the decoders into
 * the next pass and read from the start again. */
static int demux_loop(struct movie *m, struct demux *dm)
{
	if (dm->pass_packets == 0) {
		char what[160];
		pthread_mutex_lock(&m->lock);
		snprintf(what, sizeof what, "%s",
			 m->last_decode_error[0] ? m->last_decode_error
						 : "nothing to play in the file");
		pthread_mutex_unlock(&m->lock);
		return fail(m, what, 0);
	}
	double pass_s = dm->pass_end_s - m->start_s;
	if (pass_s <= 0.001)
		pass_s = m->duration_s;
	if (pass_s <= 0.001)
		return fail(m, "cannot loop: the file has no timestamps", 0);
	int r = demux_seek(m, dm->offset_s, dm->offset_s);
	if (r < 0)
		return fail(m, "cannot seek back to the start", r);
	dm->offset_s += pass_s;
	pktqueue_put_drain(m->vq, dm->offset_s);
	pktqueue_put_drain(m->aq, dm->offset_s);
	pthread_mutex_lock(&m->lock);
	m->prev_pass_s = m->cur_pass_s;
	m->cur_pass_s = dm->offset_s;
	pthread_mutex_unlock(&m->lock);
	dm->pass_end_s = 0;
	dm->pass_packets = 0;
	return 0;
}

/* Route one packet. Takes pkt's reference. */
static void demux_route(struct movie *m, struct demux *dm, AVPacket *pkt)
{
	AVStream *st = m->fmt->streams[pkt->stream_index];
	double dur = pkt->duration > 0 ? pkt->duration * av_q2d(st->time_base) : 0;
	int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
	pthread_mutex_lock(&m->lock);
	int astream = m->astream;
	pthread_mutex_unlock(&m->lock);
	bool played = pkt->stream_index == m->vidx || pkt->stream_index == astream;
	if (played && (pkt->flags & AV_PKT_FLAG_CORRUPT))
		note_damage(m, "packet", ts != AV_NOPTS_VALUE ? ts * av_q2d(st->time_base) : 0);
	if (played && ts != AV_NOPTS_VALUE) {
		double end = ts * av_q2d(st->time_base) + dur;
		if (end > dm->pass_end_s)
			dm->pass_end_s = end;
	}
	if (pkt->stream_index == m->vidx) {
		dm->pass_packets++;
		pktqueue_put_move(m->vq, pkt, dur);
	} else if (pkt->stream_index == astream) {
		dm->pass_packets++;
		pktqueue_put_move(m->aq, pkt, dur);
	} else {
		for (int i = 0; i < m->n_stracks; i++) {
			struct sub_track *t = &m->stracks[i];
			if (t->stream != pkt->stream_index || !t->dec)
				continue;
			pthread_mutex_lock(&m->lock);
			subtitles_decode(t->cues, t->dec, st, pkt, m->start_s);
			pthread_mutex_unlock(&m->lock);
		}
	}
	av_packet_unref(pkt);
}

/* True when the packet queues hold enough to rest. */
static bool queues_full(struct movie *m)
{
	if (pktqueue_bytes(m->vq) + pktqueue_bytes(m->aq) > MAX_QUEUE_BYTES)
		return true;
	pthread_mutex_lock(&m->lock);
	bool audio = m->astream >= 0 && m->audio_out;
	pthread_mutex_unlock(&m->lock);
	return (m->vidx < 0 || pktqueue_has_enough(m->vq, MIN_PACKETS, MIN_QUEUE_S)) &&
	       (!audio || pktqueue_has_enough(m->aq, MIN_PACKETS, MIN_QUEUE_S));
}

static void demux_rest(struct movie *m)
{
	struct timespec ts = time_deadline_after_ms(10);
	pthread_mutex_lock(&m->lock);
	if (!m->seek_req && !atomic_load(&m->stop))
		pthread_cond_timedwait(&m->cond, &m->lock, &ts);
	pthread_mutex_unlock(&m->lock);
}

static void *demux_thread(void *arg)
{
	struct movie *m = arg;
	struct demux dm = { 0 };
	AVPacket *pkt = av_packet_alloc();
	if (!pkt) {
		fail(m, "out of memory", 0);
		return NULL;
	}
	flush_queues(m, -1e300);
	while (!atomic_load(&m->stop)) {
		pthread_mutex_lock(&m->lock);
		bool seek = m->seek_req;
		bool failed = m->failed;
		pthread_mutex_unlock(&m->lock);
		if (seek) {
			demux_do_seek(m, &dm);
			continue;
		}
		if (failed || dm.eof || queues_full(m)) {
			demux_rest(m);
			continue;
		}
		int r = av_read_frame(m->fmt, pkt);
		if (r == AVERROR(EAGAIN)) {
			demux_rest(m);
			continue;
		}
		if (r == AVERROR_EOF || (r < 0 && avio_feof(m->fmt->pb))) {
			if (r != AVERROR_EOF && !dm.cut_logged) {
				/* the end of the file came in the middle of
				 * something the demuxer was reading */
				char buf[AV_ERROR_MAX_STRING_SIZE];
				log_warn("%s: the file ends in the middle of its data (%s): "
					 "it may be cut short", m->path,
					 av_err(r, buf, sizeof buf));
				dm.cut_logged = true;
			}
			double data_end_s = dm.pass_end_s - m->start_s;
			if (!dm.cut_logged && !m->opt.loop && m->duration_s > 1 &&
			    dm.pass_packets > 0 &&
			    data_end_s < m->duration_s * 0.9 - 0.5) {
				/* said here, not only when playback ends: a
				 * visitor who jumps past the cut never sees it */
				log_warn("%s: its data ends at %.1f s of the %.1f s the "
					 "file declares: the file may be cut short",
					 m->path, data_end_s, m->duration_s);
				dm.cut_logged = true;
			}
			if (m->opt.loop) {
				if (demux_loop(m, &dm) < 0)
					dm.eof = true;
				continue;
			}
			pktqueue_put_end(m->vq);
			pktqueue_put_end(m->aq);
			pthread_mutex_lock(&m->lock);
			m->eof_serial = pktqueue_serial(m->vq);
			pthread_mutex_unlock(&m->lock);
			dm.eof = true;
			continue;
		}
		if (r < 0) {
			if (!atomic_load(&m->stop))
				fail(m, "read error", r);
			break;
		}
		demux_route(m, &dm, pkt);
	}
	av_packet_free(&pkt);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Opening and closing                                                 */
/* ------------------------------------------------------------------ */

/* Open the audio device; false (with a warning) when there is none. */
static bool open_audio_device(struct movie *m)
{
	if (!SDL_WasInit(SDL_INIT_AUDIO)) {
		if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
			log_warn("%s: no audio (%s); playing without sound",
				 m->path, SDL_GetError());
			return false;
		}
		m->audio_subsystem = true;
	}
	SDL_AudioSpec want, have;
	memset(&want, 0, sizeof want);
	want.freq = OUT_RATE;
	want.format = AUDIO_S16SYS;
	want.channels = OUT_CHANNELS;
	want.samples = 1024;
	want.callback = audio_callback;
	want.userdata = m;
	m->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
	if (m->dev == 0) {
		log_warn("%s: cannot open an audio device (%s); playing without sound",
			 m->path, SDL_GetError());
		return false;
	}
	/* SDL plays the buffer the callback fills right after the one
	 * playing now on real devices (ffplay counts two buffers in all);
	 * the disk and dummy drivers consume it at once. */
	const char *drv = SDL_GetCurrentAudioDriver();
	bool immediate = drv && (strcmp(drv, "disk") == 0 || strcmp(drv, "dummy") == 0);
	m->dev_latency_s = immediate || have.freq <= 0
				   ? 0
				   : (double)have.samples / have.freq;
	return true;
}

/* The language tag of stream st, "" when it has none. */
static void stream_lang(const AVStream *st, char *out, size_t size)
{
	const AVDictionaryEntry *e = av_dict_get(st->metadata, "language", NULL, 0);
	snprintf(out, size, "%s", e && strcmp(e->value, "und") != 0 ? e->value : "");
}

/* List the audio and text subtitle streams. */
static void list_tracks(struct movie *m)
{
	for (unsigned i = 0; i < m->fmt->nb_streams; i++) {
		AVStream *st = m->fmt->streams[i];
		enum AVMediaType type = st->codecpar->codec_type;
		const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
		if (type == AVMEDIA_TYPE_AUDIO &&
		    (!codec || !avguard_codec_allowed(codec->name))) {
			log_warn("%s: audio codec %s is not supported", m->path,
				 avcodec_get_name(st->codecpar->codec_id));
		} else if (type == AVMEDIA_TYPE_AUDIO) {
			m->atracks = xrealloc(m->atracks, (size_t)(m->n_atracks + 1) *
							  sizeof *m->atracks);
			struct audio_track *t = &m->atracks[m->n_atracks++];
			t->stream = (int)i;
			stream_lang(st, t->lang, sizeof t->lang);
		} else if (type == AVMEDIA_TYPE_SUBTITLE) {
			AVCodecContext *dec = subtitles_decoder_open(st);
			if (!dec)
				continue;
			m->stracks = xrealloc(m->stracks, (size_t)(m->n_stracks + 1) *
							  sizeof *m->stracks);
			struct sub_track *t = &m->stracks[m->n_stracks++];
			t->stream = (int)i;
			t->dec = dec;
			t->cues = subtitles_create();
			stream_lang(st, t->lang, sizeof t->lang);
		}
	}
}

/* The audio track to start with: the first whose language is in
 * opt.langs (best first), else the file's best audio stream. */
static int choose_audio_track(struct movie *m)
{
	for (const char *const *l = m->opt.langs; l && *l; l++) {
		for (int i = 0; i < m->n_atracks; i++)
			if (m->atracks[i].lang[0] &&
			    strcasecmp(m->atracks[i].lang, *l) == 0)
				return i;
	}
	int best = av_find_best_stream(m->fmt, AVMEDIA_TYPE_AUDIO, -1,
				       m->vidx, NULL, 0);
	for (int i = 0; i < m->n_atracks; i++)
		if (m->atracks[i].stream == best)
			return i;
	return m->n_atracks > 0 ? 0 : -1;
}

static void setup_video(struct movie *m, int vidx)
{
	AVStream *st = m->fmt->streams[vidx];
	m->vidx = vidx;
	m->vtb = st->time_base;
	AVRational fr = av_guess_frame_rate(m->fmt, st, NULL);
	m->frame_dur_s = fr.num > 0 && fr.den > 0 ? av_q2d(av_inv_q(fr)) : 0.04;
	if (m->frame_dur_s < 0.001 || m->frame_dur_s > 1.0)
		m->frame_dur_s = 0.04;
	AVRational sar = av_guess_sample_aspect_ratio(m->fmt, st, NULL);
	m->disp_w = st->codecpar->width;
	m->disp_h = st->codecpar->height;
	if (sar.num > 0 && sar.den > 0)
		m->disp_w = (int)lrint(m->disp_w * av_q2d(sar));
	m->rotation = probe_stream_rotation(st);
	if (m->rotation == 90 || m->rotation == 270) {
		int t = m->disp_w;
		m->disp_w = m->disp_h;
		m->disp_h = t;
	}
}

/* Stop a thread, waiting at most JOIN_TIMEOUT_S; false when it did not
 * end (a decoder stuck inside libav), in which case it is left behind. */
static bool join_thread(struct movie *m, pthread_t t, const char *name)
{
	struct timespec ts = time_deadline_after_ms(JOIN_TIMEOUT_S * 1000);
	if (pthread_timedjoin_np(t, NULL, &ts) == 0)
		return true;
	log_error("%s: the %s thread does not stop; leaving it behind",
		  m->path, name);
	pthread_detach(t);
	return false;
}

/* Free everything; the threads are not running. */
static void movie_free(struct movie *m)
{
	if (m->dev)
		SDL_CloseAudioDevice(m->dev);
	if (m->audio_subsystem)
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
	pktqueue_destroy(m->vq);
	pktqueue_destroy(m->aq);
	framequeue_destroy(m->pictq);
	framequeue_destroy(m->sampq);
	for (int i = 0; i < m->n_stracks; i++) {
		avcodec_free_context(&m->stracks[i].dec);
		subtitles_destroy(m->stracks[i].cues);
	}
	free(m->stracks);
	free(m->atracks);
	avcodec_free_context(&m->vdec_open.dec);
	avformat_close_input(&m->fmt);
	playclock_finish(&m->audclk);
	playclock_finish(&m->extclk);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
	free(m->path);
	free(m);
}

/* Stop the threads; true when all ended. */
static bool stop_threads(struct movie *m)
{
	atomic_store(&m->stop, true);
	atomic_store(&m->abort_io, true);
	pthread_mutex_lock(&m->lock);
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	if (m->dev)
		SDL_PauseAudioDevice(m->dev, 1);
	pktqueue_abort(m->vq);
	pktqueue_abort(m->aq);
	framequeue_abort(m->pictq);
	framequeue_abort(m->sampq);
	bool ok = true;
	if (m->demux_started)
		ok = join_thread(m, m->demux_thread, "demux") && ok;
	if (m->video_started)
		ok = join_thread(m, m->video_thread, "video decoding") && ok;
	if (m->audio_started)
		ok = join_thread(m, m->audio_thread, "audio decoding") && ok;
	return ok;
}

static bool start_thread(struct movie *m, pthread_t *t, void *(*fn)(void *),
			 char *err, size_t err_size)
{
	int r = pthread_create(t, NULL, fn, m);
	if (r != 0)
		set_err(err, err_size, "%s: cannot start a thread: %s", m->path,
			strerror(r));
	return r == 0;
}

struct movie *movie_open(const char *path, const struct movie_options *opt,
			 char *err, size_t err_size)
{
	char buf[AV_ERROR_MAX_STRING_SIZE];
	struct movie *m = xcalloc(1, sizeof *m);
	m->path = xstrdup(path);
	if (opt)
		m->opt = *opt;
	if (!(m->opt.volume >= 0))      /* also NaN */
		m->opt.volume = 0;
	if (m->opt.volume > 1)
		m->opt.volume = 1;
	if (!(m->opt.stall_s > 0))
		m->opt.stall_s = MOVIE_STALL_S;
	atomic_init(&m->volume_permille, (int)lround(m->opt.volume * 1000));
	atomic_init(&m->wake_pending, false);
	atomic_init(&m->abort_io, false);
	atomic_init(&m->stop, false);
	atomic_init(&m->progress_ms, (long long)time_mono_ms());
	atomic_init(&m->damage_notes, 0);
	m->vidx = m->astream = m->astream_req = m->atrack = -1;
	m->eof_serial = m->vdone_serial = m->adone_serial = -1;
	m->last_shown_end_s = -1e300;
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	playclock_init(&m->audclk);
	playclock_init(&m->extclk);
	m->guard.abort = &m->abort_io;
	m->vq = pktqueue_create();
	m->aq = pktqueue_create();
	m->pictq = framequeue_create(PICTURE_QUEUE);
	m->sampq = framequeue_create(SAMPLE_QUEUE);
	if (err && err_size)
		err[0] = '\0';
	if (!m->pictq || !m->sampq) {
		set_err(err, err_size, "%s: out of memory", path);
		goto fail;
	}

	int r = avguard_open_input(&m->fmt, path, true, &m->guard);
	if (r < 0) {
		set_err(err, err_size, "%s: %s", path, av_err(r, buf, sizeof buf));
		goto fail;
	}

	const char *demuxer = m->fmt->iformat->name;
	if (strcmp(demuxer, "image2") == 0 || strstr(demuxer, "_pipe"))
		/* it plays (its one picture, then the end), but a visitor
		 * who chose a video sees a flash: say which file */
		log_warn("%s: a still picture (%s), not a video or sound file: it "
			 "shows one picture and ends", path, demuxer);

	const AVCodec *vcodec = NULL;
	int vidx = av_find_best_stream(m->fmt, AVMEDIA_TYPE_VIDEO, -1, -1,
				       &vcodec, 0);
	if (vidx >= 0 && (m->fmt->streams[vidx]->disposition &
			  AV_DISPOSITION_ATTACHED_PIC))
		vidx = -1;          /* cover art of an audio file */
	char vwhy[160] = "";
	if (vidx >= 0) {
		/* the decoder is opened here so a file it cannot play is
		 * refused at once, with the reason */
		if (hwdec_open(m->fmt->streams[vidx],
			       m->opt.hwdec != MOVIE_HWDEC_OFF, &m->vdec_open) == 0)
			setup_video(m, vidx);
		else
			snprintf(vwhy, sizeof vwhy, "%s", m->vdec_open.desc);
	}
	list_tracks(m);
	int atrack = choose_audio_track(m);
	if (atrack >= 0 && !m->opt.mute && !m->opt.unclocked)
		m->audio_out = open_audio_device(m);
	if (m->vidx < 0 && !m->audio_out) {
		if (atrack >= 0 && (m->opt.mute || m->opt.unclocked))
			set_err(err, err_size, "%s: sound only, and muted", path);
		else if (atrack >= 0)
			set_err(err, err_size, "%s: sound only, and no audio device",
				path);
		else if (vwhy[0])
			set_err(err, err_size, "%s: %s", path, vwhy);
		else
			set_err(err, err_size, "%s: no decodable audio or video stream",
				path);
		goto fail;
	}
	if (m->audio_out) {
		m->atrack = atrack;
		m->astream = m->atracks[atrack].stream;
	}
	for (unsigned i = 0; i < m->fmt->nb_streams; i++) {
		bool sub = false;
		for (int k = 0; k < m->n_stracks; k++)
			sub = sub || m->stracks[k].stream == (int)i;
		if ((int)i != m->vidx && (int)i != m->astream && !sub)
			m->fmt->streams[i]->discard = AVDISCARD_ALL;
	}
	m->start_s = m->fmt->start_time != AV_NOPTS_VALUE
			     ? (double)m->fmt->start_time / AV_TIME_BASE
			     : 0;
	m->duration_s = m->fmt->duration != AV_NOPTS_VALUE && m->fmt->duration > 0
				? (double)m->fmt->duration / AV_TIME_BASE
				: 0;
	int64_t size = m->fmt->pb ? avio_size(m->fmt->pb) : -1;
	if (m->duration_s > 0 && m->fmt->bit_rate > 0 && size > 0) {
		/* a header that promises far more than the file holds (a
		 * WAV's data size of 4 GB, say): the visitor's progress bar
		 * would say so too */
		double holds_s = (double)size * 8 / (double)m->fmt->bit_rate;
		if (m->duration_s > holds_s * DECLARED_SLACK + 1)
			log_warn("%s: declares %.0f s, but its %lld bytes hold about "
				 "%.0f s: the file may be cut short or its header "
				 "damaged", path, m->duration_s, (long long)size, holds_s);
	}
	m->opt.langs = NULL;        /* the caller's; used only above */

	movie_event_type();
	if (!(m->demux_started = start_thread(m, &m->demux_thread, demux_thread,
					      err, err_size)))
		goto fail;
	if (m->vidx >= 0 &&
	    !(m->video_started = start_thread(m, &m->video_thread, video_thread,
					      err, err_size)))
		goto fail;
	if (m->audio_out &&
	    !(m->audio_started = start_thread(m, &m->audio_thread, audio_thread,
					      err, err_size)))
		goto fail;
	if (m->audio_out)
		SDL_PauseAudioDevice(m->dev, 0);
	return m;

fail:
	if (stop_threads(m))
		movie_free(m);
	return NULL;
}

void movie_close(struct movie *m)
{
	if (!m)
		return;
	if (stop_threads(m))
		movie_free(m);
	/* else a thread is stuck inside libav: what it uses stays
	 * allocated rather than freed under it */
}

/* ------------------------------------------------------------------ */
/* Main thread                                                         */
/* ------------------------------------------------------------------ */

bool movie_has_video(const struct movie *m)
{
	return m && m->vidx >= 0;
}

/* True when the sound is being played (an audio stream, not muted, and a
 * device that opened). */
bool movie_has_audio(const struct movie *m)
{
	return m && m->audio_out;
}

void movie_display_size(const struct movie *m, int *w, int *h)
{
	*w = m && m->vidx >= 0 ? m->disp_w : 0;
	*h = m && m->vidx >= 0 ? m->disp_h : 0;
}

int movie_rotation(const struct movie *m)
{
	return m && m->vidx >= 0 ? m->rotation : 0;
}

/* Has the sound run out for this serial (decoded to the end and played)? */
static bool audio_exhausted(struct movie *m, int serial)
{
	if (!m->audio_out)
		return true;
	pthread_mutex_lock(&m->lock);
	bool done = m->adone_serial == serial;
	pthread_mutex_unlock(&m->lock);
	return done && framequeue_count(m->sampq) == 0;
}

/* The master clock: the audio clock while there is sound, else the
 * external clock (which follows the audio clock while it runs, so the
 * picture carries on smoothly when the sound ends first). NAN when no
 * clock runs yet for this serial: the next picture then sets it. */
static double master_clock(struct movie *m, double now, int serial)
{
	if (m->opt.unclocked)
		return INFINITY;
	if (m->audio_out && !audio_exhausted(m, serial)) {
		double a = playclock_get(&m->audclk, now, serial);
		if (!isnan(a)) {
			playclock_set(&m->extclk, a, serial, now);
			return a;
		}
	}
	return playclock_get(&m->extclk, now, serial);
}

bool movie_update_texture(struct movie *m, SDL_Renderer *renderer,
			  SDL_Texture **tex)
{
	if (!m || m->vidx < 0)
		return false;
	atomic_store(&m->wake_pending, false);
	int serial = pktqueue_serial(m->vq);
	double now = time_mono_s();
	for (;;) {
		struct framequeue_slot *s = framequeue_peek(m->pictq);
		if (!s)
			return false;
		if (s->serial != serial) {
			framequeue_next(m->pictq);      /* from before a seek */
			continue;
		}
		double clock = master_clock(m, now, serial);
		if (isnan(clock)) {
			/* the first picture after opening or a seek starts
			 * the clock */
			clock = s->pts_s;
			playclock_set(&m->extclk, clock, serial, now);
			playclock_set_paused(&m->extclk, m->paused, now);
		}
		if (s->pts_s > clock)
			return false;   /* not due yet */
		struct framequeue_slot *next = framequeue_peek_next(m->pictq);
		if (next && next->serial == serial && next->pts_s <= clock &&
		    !m->opt.unclocked) {
			framequeue_next(m->pictq);      /* late: skip it */
			m->stats.frames_dropped++;
			continue;
		}
		bool ok = videotex_upload(&m->vtex, renderer, tex, s->frame);
		if (!ok && !m->upload_error_logged) {
			log_error("%s: cannot show the picture: %s", m->path,
				  SDL_GetError());
			m->upload_error_logged = true;
		}
		m->stats.av_offset_s = isinf(clock) ? 0 : s->pts_s - clock;
		m->last_shown_end_s = s->pts_s + s->dur_s;
		m->last_clock_s = s->pts_s;
		framequeue_next(m->pictq);
		if (ok) {
			m->stats.frames_shown++;
			note_progress(m);
		}
		return ok;
	}
}

int movie_next_frame_delay_ms(struct movie *m)
{
	if (!m || m->paused)
		return -1;
	struct framequeue_slot *s = framequeue_peek(m->pictq);
	if (!s)
		return -1;
	int serial = pktqueue_serial(m->vq);
	double clock = master_clock(m, time_mono_s(), serial);
	if (s->serial != serial || isnan(clock))
		return 0;
	double d = (s->pts_s - clock) * 1000.0;
	if (d < 0)
		d = 0;
	if (d > 60000)
		d = 60000;
	return (int)ceil(d);
}

/* Position within the file (the clock minus the passes already played). */
double movie_position_s(struct movie *m)
{
	if (!m)
		return 0;
	int serial = pktqueue_serial(m->vq);
	double c = master_clock(m, time_mono_s(), serial);
	if (isinf(c))
		c = m->last_clock_s;
	pthread_mutex_lock(&m->lock);
	if (isnan(c) || m->seek_req)
		c = m->seek_req ? m->seek_to_s : m->last_clock_s;
	else
		m->last_clock_s = c;
	double pos = c >= m->cur_pass_s ? c - m->cur_pass_s : c - m->prev_pass_s;
	pthread_mutex_unlock(&m->lock);
	if (pos < 0)
		pos = 0;
	if (m->duration_s > 0 && pos > m->duration_s)
		pos = m->duration_s;
	return pos;
}

double movie_duration_s(const struct movie *m)
{
	return m ? m->duration_s : 0;
}

bool movie_finished(struct movie *m)
{
	if (!m)
		return false;
	int serial = pktqueue_serial(m->vq);
	pthread_mutex_lock(&m->lock);
	bool fin = !m->failed && !m->seek_req && m->eof_serial == serial &&
		   (m->vidx < 0 || m->vdone_serial == serial) &&
		   (!m->audio_out || m->adone_serial == serial);
	pthread_mutex_unlock(&m->lock);
	if (!fin)
		return false;
	if (m->vidx >= 0 && framequeue_count(m->pictq) > 0)
		return false;
	if (!audio_exhausted(m, serial))
		return false;
	if (!m->opt.unclocked && m->vidx >= 0) {
		/* the last picture has had its time on screen */
		double c = master_clock(m, time_mono_s(), serial);
		if (!isnan(c) && c < m->last_shown_end_s)
			return false;
	}
	if (!m->end_logged) {
		m->end_logged = true;
		double pos = movie_position_s(m);
		if (m->duration_s > 1 && pos < m->duration_s * 0.9 - 0.5 && !m->opt.loop)
			log_warn("%s: playback ended at %.1f s of the %.1f s the file "
				 "declares: the file may be cut short", m->path, pos,
				 m->duration_s);
	}
	return true;
}

bool movie_failed(struct movie *m, char *err, size_t err_size)
{
	if (!m)
		return false;
	pthread_mutex_lock(&m->lock);
	bool failed = m->failed;
	bool nothing = !failed && m->frames_decoded == 0 &&
		       m->eof_serial == pktqueue_serial(m->vq) &&
		       (m->vidx < 0 || m->vdone_serial == m->eof_serial) &&
		       (!m->audio_out || m->adone_serial == m->eof_serial);
	char why[160];
	snprintf(why, sizeof why, "%s",
		 m->last_decode_error[0] ? m->last_decode_error
					 : "nothing could be decoded");
	pthread_mutex_unlock(&m->lock);
	if (nothing) {
		fail(m, why, 0);
		failed = true;
	}
	/* the stall rule: playing, not at the end, and no picture or sound
	 * for opt.stall_s */
	long long idle_ms = time_mono_ms() - atomic_load(&m->progress_ms);
	if (!failed && !m->paused && idle_ms > m->opt.stall_s * 1000 &&
	    framequeue_count(m->pictq) == 0 && framequeue_count(m->sampq) == 0 &&
	    !movie_finished(m)) {
		char what[128];
		snprintf(what, sizeof what,
			 "no picture or sound for %.0f s: the decoder stalled",
			 m->opt.stall_s);
		fail(m, what, 0);
		failed = true;
	}
	if (failed) {
		pthread_mutex_lock(&m->lock);
		set_err(err, err_size, "%s", m->err);
		pthread_mutex_unlock(&m->lock);
	}
	return failed;
}

void movie_set_paused(struct movie *m, bool paused)
{
	if (!m || m->paused == paused)
		return;
	double now = time_mono_s();
	m->paused = paused;
	playclock_set_paused(&m->audclk, paused, now);
	playclock_set_paused(&m->extclk, paused, now);
	if (m->audio_out)
		SDL_PauseAudioDevice(m->dev, paused ? 1 : 0);
	if (!paused)
		note_progress(m);
}

bool movie_paused(const struct movie *m)
{
	return m && m->paused;
}

void movie_set_volume(struct movie *m, double volume)
{
	if (!m)
		return;
	if (!(volume >= 0))
		volume = 0;
	if (volume > 1)
		volume = 1;
	atomic_store(&m->volume_permille, (int)lround(volume * 1000));
}

double movie_volume(const struct movie *m)
{
	return m ? atomic_load(&((struct movie *)m)->volume_permille) / 1000.0 : 0;
}

void movie_seek(struct movie *m, double target_s)
{
	if (!m)
		return;
	if (target_s < 0)
		target_s = 0;
	if (m->duration_s > 0 && target_s > m->duration_s)
		target_s = m->duration_s;
	pthread_mutex_lock(&m->lock);
	double t = target_s + m->cur_pass_s;    /* movie time of this pass */
	pthread_mutex_unlock(&m->lock);
	/* What is queued is stale from now on. This comes before the
	 * request: the demux thread flushes again once it has moved in the
	 * file, and that flush must be the last, or what it reads from the
	 * new place would be thrown away. */
	flush_queues(m, t);
	pthread_mutex_lock(&m->lock);
	m->seek_req = true;
	m->seek_to_s = t;
	m->last_clock_s = t;
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	m->last_shown_end_s = t;
	note_progress(m);
	wake_main(m);
}

void movie_stats(struct movie *m, struct movie_stats *out)
{
	memset(out, 0, sizeof *out);
	if (!m)
		return;
	*out = m->stats;
	pthread_mutex_lock(&m->lock);
	out->audio_underruns = m->underruns;
	pthread_mutex_unlock(&m->lock);
}

const char *movie_video_decoder(struct movie *m)
{
	if (!m || m->vidx < 0)
		return "";
	/* written once by the video thread before its first picture, and
	 * again only on a fall-back to software */
	pthread_mutex_lock(&m->lock);
	const char *d = m->vdesc;
	pthread_mutex_unlock(&m->lock);
	return d;
}

int movie_audio_tracks(const struct movie *m)
{
	return m ? m->n_atracks : 0;
}

const char *movie_audio_track_lang(const struct movie *m, int i)
{
	return m && i >= 0 && i < m->n_atracks ? m->atracks[i].lang : "";
}

int movie_audio_track(const struct movie *m)
{
	if (!m)
		return -1;
	pthread_mutex_lock((pthread_mutex_t *)&m->lock);
	int t = m->atrack;
	pthread_mutex_unlock((pthread_mutex_t *)&m->lock);
	return t;
}

void movie_set_audio_track(struct movie *m, int i)
{
	if (!m || !m->audio_out || i < 0 || i >= m->n_atracks)
		return;
	pthread_mutex_lock(&m->lock);
	bool same = m->atrack == i;
	if (!same) {
		m->astream_req = m->atracks[i].stream;
		m->atrack = i;
	}
	pthread_mutex_unlock(&m->lock);
	if (same)
		return;
	log_info("%s: audio track %d (%s)", m->path, i,
		 m->atracks[i].lang[0] ? m->atracks[i].lang : "untagged");
	/* read again from here, so the new language starts where the old
	 * one stops */
	movie_seek(m, movie_position_s(m));
}

int movie_subtitle_tracks(const struct movie *m)
{
	return m ? m->n_stracks : 0;
}

const char *movie_subtitle_track_lang(const struct movie *m, int i)
{
	return m && i >= 0 && i < m->n_stracks ? m->stracks[i].lang : "";
}

bool movie_subtitle_text(struct movie *m, int i, double t, char *buf,
			 size_t size)
{
	if (!m || i < 0 || i >= m->n_stracks || !size)
		return false;
	pthread_mutex_lock(&m->lock);
	const char *text = subtitles_at(m->stracks[i].cues, t);
	if (text)
		snprintf(buf, size, "%s", text);
	pthread_mutex_unlock(&m->lock);
	return text != NULL;
}
