/*
 * movie: simple playback of one audio/video file. One decode thread reads
 * packets, decodes audio straight into an SDL audio queue and video into a
 * small frame ring that the main thread drains at the right time.
 *
 * The clock: while audio is queued on the device, the position of the
 * sound being heard (end of the queued audio minus what is still queued
 * minus the device buffer); otherwise wall time running on from the last
 * value. It never goes backwards and stops while paused. Timestamps run on
 * across loops: each pass through the file is offset by the length of the
 * passes before it.
 */
#include "media/movie.h"
#include "media/avguard.h"

#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

#include "base/log.h"
#include "base/util.h"

/* Decoded video frames waiting for the main thread. */
#define RING_FRAMES 3
/* Audio queued on the device ahead of what is heard, at most. */
#define AUDIO_AHEAD_S 0.5
/* Without any output to pace it, read no further ahead of the clock. */
#define READ_AHEAD_S 0.5
/* Compressed video kept ahead of the decoder while the ring is full, so
 * audio interleaved after it can still be reached. The audio queue may
 * then grow past AUDIO_AHEAD_S; reading for video stops at twice that
 * unless the video decoder has no packet at all. */
#define VIDEO_PKT_MIN 8
#define VIDEO_PKT_AHEAD_S 0.5
#define VIDEO_PKT_MAX_BYTES (32u << 20)
/* Decode errors tolerated before playback stops with a failure. */
#define MAX_DECODE_ERRORS 8
/* How long the decode thread sleeps when it has nothing to do. */
#define IDLE_WAIT_MS 10

#define OUT_RATE 48000
#define OUT_CHANNELS 2
#define OUT_BYTES_PER_SAMPLE (OUT_CHANNELS * 2)
#define OUT_BYTES_PER_S ((double)OUT_RATE * OUT_BYTES_PER_SAMPLE)

/* One decoded picture in the ring. */
struct vframe {
	AVFrame *frame;     /* YUV420P, limited range */
	double pts_s;       /* movie time it is due */
	double dur_s;
};

/* Compressed video packets in decode order (decode thread only). */
struct pktq {
	AVPacket **items;
	int cap, head, count;
	size_t bytes;
};

struct movie {
	char *path;
	struct movie_options opt;

	/* Set by movie_open, read-only afterwards. */
	int vidx, aidx;             /* stream indexes, -1 when not used */
	AVRational vtb, atb;        /* stream time bases */
	double start_s;             /* the file's start time */
	double duration_s;          /* 0 when unknown */
	double frame_dur_s;         /* nominal video frame duration */
	int disp_w, disp_h;         /* display size (sample aspect applied) */
	bool audio_out;             /* audio decoded and queued on dev */
	SDL_AudioDeviceID dev;
	bool audio_subsystem;       /* we initialised SDL audio ourselves */
	double dev_latency_s;       /* one device buffer */

	/* Decode thread only (and movie_open/movie_close around it). */
	AVFormatContext *fmt;
	struct avguard guard;       /* libav's limits; points at abort_io */
	atomic_bool abort_io;       /* set by movie_close: cut blocking reads */
	atomic_int volume_permille; /* 0..1000, set by movie_set_volume */
	AVCodecContext *vdec, *adec;
	AVPacket *pkt;
	AVFrame *vtmp, *atmp, *conv;
	struct SwsContext *sws;
	SwrContext *swr;
	int swr_in_rate, swr_in_fmt;
	AVChannelLayout swr_in_layout;
	uint8_t *abuf;
	int abuf_samples;
	struct pktq vq;
	double loop_offset_s;       /* added to this pass's timestamps */
	double pass_end_s;          /* latest packet end in this pass, file time */
	long pass_items;            /* frames or packets used in this pass */
	bool read_eof, vflush_sent, video_eof;
	double next_vpts_s;         /* for frames without a timestamp */
	double seek_floor_s;        /* after a seek: drop what ends before this */
	double read_vpos_s;         /* movie time of the last video packet read */
	double read_pos_s;          /* movie time of the last packet read */
	int decode_errors;
	long total_frames;          /* video frames + audio frames decoded */
	char last_error[128];

	pthread_t thread;
	bool thread_started;
	pthread_mutex_t lock;
	pthread_cond_t cond;        /* ring space freed, stop */

	/* Guarded by lock. */
	struct vframe ring[RING_FRAMES];
	int ring_head, ring_count;
	bool stop;                  /* movie_close asks the thread to end */
	bool seek_req;              /* movie_seek asks the thread to seek */
	double seek_to_s;           /* movie time to seek to */
	bool done;                  /* thread ended: everything decoded */
	bool failed;
	char err[256];
	double end_s;               /* movie time playback ends (when done) */
	double audio_end_s;         /* movie time of the end of queued audio */
	bool audio_started;
	double prev_pass_s, cur_pass_s; /* loop offsets, for the position */
	bool paused;                /* written by the main thread only */
	double paused_clock_s;
	double base_s;              /* clock value at base_ms */
	int64_t base_ms;
	double last_clock_s;
	double last_video_end_s;    /* end of the last frame queued */

	atomic_bool wake_pending;   /* a wake-up event is in SDL's queue */

	/* Main thread only. */
	AVFrame *spare;             /* swapped with the ring's head to show it */
	bool upload_error_logged;
};

/* ------------------------------------------------------------------ */
/* Wake-up events                                                      */
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

/* ------------------------------------------------------------------ */
/* Clock                                                               */
/* ------------------------------------------------------------------ */

/* The playback clock in movie seconds. Lock held; any thread. */
static double clock_locked(struct movie *m)
{
	if (m->opt.unclocked)
		return 1e12; /* everything is due: as fast as decoding goes */
	if (m->paused)
		return m->paused_clock_s;
	int64_t now = time_mono_ms();
	Uint32 queued = 0;
	if (m->audio_out && m->audio_started)
		queued = SDL_GetQueuedAudioSize(m->dev);
	double c;
	if (queued > 0)
		c = m->audio_end_s - queued / OUT_BYTES_PER_S - m->dev_latency_s;
	else
		c = m->base_s + (double)(now - m->base_ms) / 1000.0;
	if (c < m->last_clock_s)
		c = m->last_clock_s;
	m->last_clock_s = c;
	m->base_s = c;
	m->base_ms = now;
	return c;
}

/* ------------------------------------------------------------------ */
/* Packet queue                                                        */
/* ------------------------------------------------------------------ */

static void pktq_push(struct pktq *q, AVPacket *p)
{
	if (q->count == q->cap) {
		int cap = q->cap ? q->cap * 2 : 16;
		AVPacket **items = xcalloc((size_t)cap, sizeof *items);
		for (int i = 0; i < q->count; i++)
			items[i] = q->items[(q->head + i) % q->cap];
		free(q->items);
		q->items = items;
		q->cap = cap;
		q->head = 0;
	}
	q->items[(q->head + q->count) % q->cap] = p;
	q->count++;
	q->bytes += (size_t)p->size;
}

static void pktq_drop_front(struct pktq *q)
{
	AVPacket *p = q->items[q->head];
	q->bytes -= (size_t)p->size;
	av_packet_free(&p);
	q->head = (q->head + 1) % q->cap;
	q->count--;
}

static void pktq_clear(struct pktq *q)
{
	while (q->count > 0)
		pktq_drop_front(q);
}

/* ------------------------------------------------------------------ */
/* Decode thread                                                       */
/* ------------------------------------------------------------------ */

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

/* Stop playback with a reason (decode thread). Always returns -1. */
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
	return -1;
}

/* A decoder returned an error. Tolerated a few times (the decoder
 * conceals damage); returns -1 once there have been too many. */
static int decode_error(struct movie *m, const char *kind, int code)
{
	char buf[AV_ERROR_MAX_STRING_SIZE];
	m->decode_errors++;
	snprintf(m->last_error, sizeof m->last_error, "%s decoding failed: %s",
		 kind, av_err(code, buf, sizeof buf));
	if (m->decode_errors <= 3)
		log_warn("%s: %s", m->path, m->last_error);
	if (m->decode_errors >= MAX_DECODE_ERRORS)
		return fail(m, m->last_error, 0);
	return 1;
}

/* Movie time of a timestamp in time base tb. */
static double movie_time(const struct movie *m, int64_t ts, AVRational tb)
{
	return (double)ts * av_q2d(tb) - m->start_s + m->loop_offset_s;
}

/* Convert f to limited-range YUV420P in m->conv when it is not already.
 * Returns the frame to keep, or NULL on failure. */
static AVFrame *video_to_yuv420p(struct movie *m, AVFrame *f)
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
	/* SDL shows IYUV as limited range: full-range pictures are
	 * converted too, or blacks and whites would be washed out. */
	if (src == AV_PIX_FMT_YUV420P && !full && f->linesize[0] > 0 &&
	    f->linesize[1] > 0 && f->linesize[2] > 0)
		return f;
	m->sws = sws_getCachedContext(m->sws, f->width, f->height, src,
				      f->width, f->height, AV_PIX_FMT_YUV420P,
				      SWS_BICUBIC, NULL, NULL, NULL);
	if (!m->sws) {
		const char *name = av_get_pix_fmt_name(f->format);
		char what[96];
		snprintf(what, sizeof what, "cannot convert pixel format %s",
			 name ? name : "unknown");
		fail(m, what, 0);
		return NULL;
	}
	const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(src);
	if (desc && !(desc->flags & AV_PIX_FMT_FLAG_RGB)) {
		const int *coef = sws_getCoefficients(
			f->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709
							 : SWS_CS_DEFAULT);
		sws_setColorspaceDetails(m->sws, coef, full ? 1 : 0, coef, 0, 0,
					 1 << 16, 1 << 16);
	}
	av_frame_unref(m->conv);
	m->conv->format = AV_PIX_FMT_YUV420P;
	m->conv->width = f->width;
	m->conv->height = f->height;
	int r = av_frame_get_buffer(m->conv, 0);
	if (r < 0) {
		fail(m, "cannot allocate a video frame", r);
		return NULL;
	}
	sws_scale(m->sws, (const uint8_t *const *)f->data, f->linesize, 0,
		  f->height, m->conv->data, m->conv->linesize);
	return m->conv;
}

/* Put a decoded video frame into the ring (which has room). */
static int push_video_frame(struct movie *m, AVFrame *f)
{
	double pts = f->best_effort_timestamp != AV_NOPTS_VALUE
			     ? movie_time(m, f->best_effort_timestamp, m->vtb)
			     : m->next_vpts_s;
	double dur = m->frame_dur_s;
	m->next_vpts_s = pts + dur;
	if (pts + dur <= m->seek_floor_s + 1e-6) {
		/* decoded on the way from the key frame to a seek target */
		av_frame_unref(f);
		return 1;
	}
	AVFrame *keep = video_to_yuv420p(m, f);
	if (!keep) {
		av_frame_unref(f);
		return -1;
	}
	pthread_mutex_lock(&m->lock);
	if (m->seek_req) {
		/* from before a seek the thread has not done yet */
		pthread_mutex_unlock(&m->lock);
		av_frame_unref(keep);
		av_frame_unref(f);
		return 1;
	}
	struct vframe *slot = &m->ring[(m->ring_head + m->ring_count) % RING_FRAMES];
	av_frame_unref(slot->frame);
	av_frame_move_ref(slot->frame, keep);
	slot->pts_s = pts;
	slot->dur_s = dur;
	m->ring_count++;
	if (pts + dur > m->last_video_end_s)
		m->last_video_end_s = pts + dur;
	pthread_mutex_unlock(&m->lock);
	av_frame_unref(f);
	m->pass_items++;
	m->total_frames++;
	wake_main(m);
	return 1;
}

/* One step of video decoding: receive a frame into the ring or feed the
 * decoder one packet. Returns 1 when something happened, 0 when it needs
 * packets that are not read yet, -1 on failure. Call only with ring room. */
static int video_step(struct movie *m)
{
	int r = avcodec_receive_frame(m->vdec, m->vtmp);
	if (r == 0)
		return push_video_frame(m, m->vtmp);
	if (r == AVERROR_EOF) {
		m->video_eof = true;
		return 1;
	}
	if (r != AVERROR(EAGAIN))
		return decode_error(m, "video", r);
	if (m->vq.count > 0) {
		r = avcodec_send_packet(m->vdec, m->vq.items[m->vq.head]);
		if (r == AVERROR(EAGAIN))
			return 0;
		pktq_drop_front(&m->vq);
		if (r < 0)
			return decode_error(m, "video", r);
		return 1;
	}
	if (m->read_eof && !m->vflush_sent) {
		avcodec_send_packet(m->vdec, NULL);
		m->vflush_sent = true;
		return 1;
	}
	return 0;
}

/* (Re)configure the resampler for frames like f. */
static int audio_setup_swr(struct movie *m, const AVFrame *f)
{
	AVChannelLayout in;
	if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC ||
	    f->ch_layout.nb_channels <= 0) {
		av_channel_layout_default(&in, f->ch_layout.nb_channels > 0
						       ? f->ch_layout.nb_channels
						       : 2);
	} else if (av_channel_layout_copy(&in, &f->ch_layout) < 0) {
		return fail(m, "out of memory", 0);
	}
	if (m->swr && m->swr_in_rate == f->sample_rate &&
	    m->swr_in_fmt == f->format &&
	    av_channel_layout_compare(&m->swr_in_layout, &in) == 0) {
		av_channel_layout_uninit(&in);
		return 0;
	}
	swr_free(&m->swr);
	av_channel_layout_uninit(&m->swr_in_layout);
	AVChannelLayout out = AV_CHANNEL_LAYOUT_STEREO;
	int r = swr_alloc_set_opts2(&m->swr, &out, AV_SAMPLE_FMT_S16, OUT_RATE,
				    &in, f->format, f->sample_rate, 0, NULL);
	if (r >= 0)
		r = swr_init(m->swr);
	if (r < 0) {
		av_channel_layout_uninit(&in);
		swr_free(&m->swr);
		return fail(m, "cannot set up audio resampling", r);
	}
	m->swr_in_layout = in;
	m->swr_in_rate = f->sample_rate;
	m->swr_in_fmt = f->format;
	return 0;
}

/* Resample one decoded audio frame and queue it on the device. */
static int queue_audio_frame(struct movie *m, AVFrame *f)
{
	if (f->sample_rate <= 0 || f->nb_samples <= 0)
		return 0;
	if (audio_setup_swr(m, f) < 0)
		return -1;
	int max_out = swr_get_out_samples(m->swr, f->nb_samples);
	if (max_out < 0)
		return fail(m, "audio resampling failed", max_out);
	if (max_out > m->abuf_samples) {
		free(m->abuf);
		m->abuf = xmalloc((size_t)max_out * OUT_BYTES_PER_SAMPLE);
		m->abuf_samples = max_out;
	}
	int n = swr_convert(m->swr, &m->abuf, max_out,
			    (const uint8_t **)f->extended_data, f->nb_samples);
	if (n < 0)
		return fail(m, "audio resampling failed", n);
	double vol = atomic_load(&m->volume_permille) / 1000.0;
	if (vol < 0.999) {
		int16_t *s = (int16_t *)m->abuf;
		int scale = (int)(vol * 65536.0);
		for (int i = 0; i < n * OUT_CHANNELS; i++)
			s[i] = (int16_t)((s[i] * scale) >> 16);
	}
	int64_t ts = f->best_effort_timestamp;
	pthread_mutex_lock(&m->lock);
	double pts = ts != AV_NOPTS_VALUE ? movie_time(m, ts, m->atb)
					  : m->audio_end_s;
	const uint8_t *data = m->abuf;
	if (m->seek_req) {
		n = 0; /* from before a seek the thread has not done yet */
	} else if (pts < m->seek_floor_s) {
		/* after a seek: start the sound exactly at the target */
		int skip = (int)((m->seek_floor_s - pts) * OUT_RATE);
		if (skip >= n) {
			n = 0;
		} else {
			data += (size_t)skip * OUT_BYTES_PER_SAMPLE;
			n -= skip;
			pts = m->seek_floor_s;
		}
	}
	int r = n > 0 ? SDL_QueueAudio(m->dev, data,
				       (Uint32)n * OUT_BYTES_PER_SAMPLE)
		      : 0;
	if (r == 0 && n > 0) {
		m->audio_end_s = pts + (double)n / OUT_RATE;
		m->audio_started = true;
	}
	pthread_mutex_unlock(&m->lock);
	if (r != 0) {
		char what[160];
		snprintf(what, sizeof what, "cannot queue audio: %s",
			 SDL_GetError());
		return fail(m, what, 0);
	}
	m->pass_items++;
	m->total_frames++;
	return 1;
}

/* Feed pkt (NULL to flush at the end) to the audio decoder and queue what
 * comes out. Returns -1 on failure. */
static int audio_decode(struct movie *m, const AVPacket *pkt)
{
	int r = avcodec_send_packet(m->adec, pkt);
	if (r < 0 && r != AVERROR_EOF && r != AVERROR(EAGAIN))
		return decode_error(m, "audio", r) < 0 ? -1 : 0;
	for (;;) {
		r = avcodec_receive_frame(m->adec, m->atmp);
		if (r == AVERROR(EAGAIN) || r == AVERROR_EOF)
			return 0;
		if (r < 0)
			return decode_error(m, "audio", r) < 0 ? -1 : 0;
		r = queue_audio_frame(m, m->atmp);
		av_frame_unref(m->atmp);
		if (r < 0)
			return -1;
	}
}

/* Should the thread read another packet now? */
static bool want_read(struct movie *m, double clock_s)
{
	if (m->vq.bytes >= VIDEO_PKT_MAX_BYTES)
		return false;
	double queued_s = m->audio_out ? SDL_GetQueuedAudioSize(m->dev) /
					     OUT_BYTES_PER_S
				       : 0;
	if (m->audio_out && queued_s < AUDIO_AHEAD_S)
		return true;
	if (m->vdec) {
		/* A starved video decoder always gets its packet; otherwise
		 * read ahead for it while the audio queue stays bounded. */
		if (m->vq.count == 0)
			return true;
		if (queued_s >= 2 * AUDIO_AHEAD_S)
			return false;
		return m->vq.count < VIDEO_PKT_MIN ||
		       m->read_vpos_s < clock_s + VIDEO_PKT_AHEAD_S;
	}
	if (!m->audio_out)
		return m->read_pos_s < clock_s + READ_AHEAD_S;
	return false;
}

/* Read one packet and send it where it goes. Returns 1, or -1 on
 * failure. */
static int read_step(struct movie *m)
{
	int r = av_read_frame(m->fmt, m->pkt);
	if (r == AVERROR(EAGAIN))
		return 0;
	if (r == AVERROR_EOF) {
		m->read_eof = true;
		if (m->audio_out && audio_decode(m, NULL) < 0)
			return -1;
		return 1;
	}
	if (r < 0)
		return fail(m, "read error", r);

	AVPacket *pkt = m->pkt;
	AVStream *st = m->fmt->streams[pkt->stream_index];
	int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
	if (ts != AV_NOPTS_VALUE &&
	    (pkt->stream_index == m->vidx || pkt->stream_index == m->aidx)) {
		double t = movie_time(m, ts, st->time_base);
		double end = t + (double)pkt->duration * av_q2d(st->time_base);
		if (end - m->loop_offset_s > m->pass_end_s)
			m->pass_end_s = end - m->loop_offset_s;
		if (t > m->read_pos_s)
			m->read_pos_s = t;
		if (pkt->stream_index == m->vidx && t > m->read_vpos_s)
			m->read_vpos_s = t;
	}
	if (pkt->stream_index == m->vidx && m->vdec) {
		AVPacket *copy = av_packet_alloc();
		if (!copy) {
			av_packet_unref(pkt);
			return fail(m, "out of memory", 0);
		}
		av_packet_move_ref(copy, pkt);
		pktq_push(&m->vq, copy);
		return 1;
	}
	if (pkt->stream_index == m->aidx) {
		if (m->audio_out) {
			r = audio_decode(m, pkt);
			av_packet_unref(pkt);
			return r < 0 ? -1 : 1;
		}
		if (!m->vdec)
			m->pass_items++;    /* timing only, nothing to hear */
	}
	av_packet_unref(pkt);
	return 1;
}

/* The end of one pass through the file: seek back to the start for the
 * next. Returns 1, or -1 on failure. */
static int restart(struct movie *m)
{
	if (m->pass_items == 0)
		return fail(m, m->decode_errors ? m->last_error
						: "nothing to play in the file", 0);
	double pass_s = m->pass_end_s > 0 ? m->pass_end_s : m->duration_s;
	if (pass_s <= 0) {
		pthread_mutex_lock(&m->lock);
		pass_s = m->last_video_end_s > m->audio_end_s ? m->last_video_end_s
							      : m->audio_end_s;
		pthread_mutex_unlock(&m->lock);
		pass_s -= m->loop_offset_s;
	}
	if (pass_s <= 0.001)
		return fail(m, "cannot loop: the file has no timestamps", 0);

	int64_t ts = m->fmt->start_time != AV_NOPTS_VALUE ? m->fmt->start_time : 0;
	int r = avformat_seek_file(m->fmt, -1, INT64_MIN, ts, ts, 0);
	if (r < 0)
		r = av_seek_frame(m->fmt, -1, ts, AVSEEK_FLAG_BACKWARD);
	if (r < 0)
		return fail(m, "cannot seek back to the start", r);
	if (m->vdec)
		avcodec_flush_buffers(m->vdec);
	if (m->adec)
		avcodec_flush_buffers(m->adec);
	pktq_clear(&m->vq);

	m->loop_offset_s += pass_s;
	pthread_mutex_lock(&m->lock);
	m->prev_pass_s = m->cur_pass_s;
	m->cur_pass_s = m->loop_offset_s;
	pthread_mutex_unlock(&m->lock);
	m->next_vpts_s = m->loop_offset_s;
	m->pass_end_s = 0;
	m->pass_items = 0;
	m->read_eof = false;
	m->vflush_sent = false;
	m->video_eof = false;
	return 1;
}

/* Everything is decoded and the file is not looped: note where playback
 * ends. */
static void finish(struct movie *m)
{
	pthread_mutex_lock(&m->lock);
	if (m->total_frames == 0 && m->decode_errors > 0) {
		pthread_mutex_unlock(&m->lock);
		fail(m, m->last_error, 0);
		return;
	}
	double end = m->loop_offset_s + m->pass_end_s;
	if (m->last_video_end_s > end)
		end = m->last_video_end_s;
	if (m->audio_out && m->audio_end_s > end)
		end = m->audio_end_s;
	m->end_s = end;
	m->done = true;
	pthread_mutex_unlock(&m->lock);
}

/* Do a seek movie_seek asked for (lock not held). Returns 1, or -1. */
static int do_seek(struct movie *m)
{
	pthread_mutex_lock(&m->lock);
	double target = m->seek_to_s;
	m->seek_req = false;
	m->ring_count = 0;
	if (m->audio_out)
		SDL_ClearQueuedAudio(m->dev);
	m->audio_end_s = target;
	m->audio_started = false;
	m->last_video_end_s = target;
	pthread_mutex_unlock(&m->lock);

	double file_s = target - m->loop_offset_s + m->start_s;
	int64_t ts = (int64_t)(file_s * AV_TIME_BASE);
	/* the key frame at or before the target; frames from there to the
	 * target are decoded and dropped (push_video_frame) */
	int r = avformat_seek_file(m->fmt, -1, INT64_MIN, ts, ts, 0);
	if (r < 0)
		r = av_seek_frame(m->fmt, -1, ts, AVSEEK_FLAG_BACKWARD);
	if (r < 0)
		return fail(m, "cannot seek", r);
	if (m->vdec)
		avcodec_flush_buffers(m->vdec);
	if (m->adec)
		avcodec_flush_buffers(m->adec);
	if (m->swr)
		swr_init(m->swr); /* drop samples buffered in the resampler */
	pktq_clear(&m->vq);
	m->seek_floor_s = target;
	m->next_vpts_s = target;
	m->read_pos_s = target;
	m->read_vpos_s = target;
	m->read_eof = false;
	m->vflush_sent = false;
	m->video_eof = false;
	return 1;
}

static void *movie_thread(void *arg)
{
	struct movie *m = arg;
	for (;;) {
		pthread_mutex_lock(&m->lock);
		if (m->stop) {
			pthread_mutex_unlock(&m->lock);
			break;
		}
		if (m->seek_req) {
			pthread_mutex_unlock(&m->lock);
			if (do_seek(m) < 0)
				break;
			continue;
		}
		bool ring_room = m->ring_count < RING_FRAMES;
		double clock_s = clock_locked(m);
		pthread_mutex_unlock(&m->lock);

		bool worked = false;
		int r = 0;
		if (m->vdec && !m->video_eof && ring_room) {
			r = video_step(m);
			worked = r > 0;
		}
		if (r >= 0 && !m->read_eof && want_read(m, clock_s)) {
			r = read_step(m);
			worked = worked || r > 0;
		}
		if (r >= 0 && m->read_eof && (!m->vdec || m->video_eof)) {
			if (!m->opt.loop) {
				finish(m);
				break;
			}
			r = restart(m);
			worked = true;
		}
		if (r < 0)
			break;
		if (worked)
			continue;

		pthread_mutex_lock(&m->lock);
		if (!m->stop) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += IDLE_WAIT_MS * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&m->cond, &m->lock, &ts);
		}
		pthread_mutex_unlock(&m->lock);
	}
	wake_main(m);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Opening and closing                                                 */
/* ------------------------------------------------------------------ */

/* Open a decoder for stream index, or return NULL with a warning. */
static AVCodecContext *open_decoder(struct movie *m, int index,
				    const AVCodec *codec)
{
	char buf[AV_ERROR_MAX_STRING_SIZE];
	AVStream *st = m->fmt->streams[index];
	AVCodecContext *dec = avcodec_alloc_context3(codec);
	if (!dec)
		return NULL;
	int r = avcodec_parameters_to_context(dec, st->codecpar);
	if (r >= 0) {
		dec->thread_count = 0;
		dec->pkt_timebase = st->time_base;
		r = avguard_open_codec(dec, codec);
	}
	if (r < 0) {
		log_warn("%s: cannot open the %s decoder: %s", m->path,
			 codec->name, av_err(r, buf, sizeof buf));
		avcodec_free_context(&dec);
	}
	return dec;
}

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
	m->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
	if (m->dev == 0) {
		log_warn("%s: cannot open an audio device (%s); playing without sound",
			 m->path, SDL_GetError());
		return false;
	}
	m->dev_latency_s = have.freq > 0 ? (double)have.samples / have.freq : 0;
	return true;
}

/* Free everything but the thread (not started, or joined). */
static void movie_free(struct movie *m)
{
	if (m->dev)
		SDL_CloseAudioDevice(m->dev);
	if (m->audio_subsystem)
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
	for (int i = 0; i < RING_FRAMES; i++)
		av_frame_free(&m->ring[i].frame);
	pktq_clear(&m->vq);
	free(m->vq.items);
	av_frame_free(&m->spare);
	av_frame_free(&m->vtmp);
	av_frame_free(&m->atmp);
	av_frame_free(&m->conv);
	av_packet_free(&m->pkt);
	sws_freeContext(m->sws);
	swr_free(&m->swr);
	av_channel_layout_uninit(&m->swr_in_layout);
	free(m->abuf);
	avcodec_free_context(&m->vdec);
	avcodec_free_context(&m->adec);
	avformat_close_input(&m->fmt);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
	free(m->path);
	free(m);
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
	atomic_init(&m->volume_permille, (int)lround(m->opt.volume * 1000));
	m->vidx = m->aidx = -1;
	m->seek_floor_s = -1e300;
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	atomic_init(&m->wake_pending, false);
	atomic_init(&m->abort_io, false);
	m->guard.abort = &m->abort_io;
	if (err && err_size)
		err[0] = '\0';

	int r = avguard_open_input(&m->fmt, path, true, &m->guard);
	if (r < 0) {
		set_err(err, err_size, "%s: %s", path, av_err(r, buf, sizeof buf));
		goto fail;
	}

	const AVCodec *vcodec = NULL, *acodec = NULL;
	int vidx = av_find_best_stream(m->fmt, AVMEDIA_TYPE_VIDEO, -1, -1,
				       &vcodec, 0);
	if (vidx >= 0 && (m->fmt->streams[vidx]->disposition &
			  AV_DISPOSITION_ATTACHED_PIC))
		vidx = -1;          /* cover art of an audio file */
	int aidx = av_find_best_stream(m->fmt, AVMEDIA_TYPE_AUDIO, -1,
				       vidx >= 0 ? vidx : -1, &acodec, 0);
	if (vidx >= 0 && (m->vdec = open_decoder(m, vidx, vcodec)))
		m->vidx = vidx;
	if (aidx >= 0 && (m->adec = open_decoder(m, aidx, acodec)))
		m->aidx = aidx;
	if (!m->vdec && !m->adec) {
		set_err(err, err_size, "%s: no decodable audio or video stream",
			path);
		goto fail;
	}

	if (m->vdec) {
		AVStream *st = m->fmt->streams[m->vidx];
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
	}
	if (m->adec) {
		m->atb = m->fmt->streams[m->aidx]->time_base;
		if (!m->opt.mute)
			m->audio_out = open_audio_device(m);
		if (!m->audio_out && m->vdec) {
			/* Nothing to hear and a picture to pace playback. */
			avcodec_free_context(&m->adec);
			m->aidx = -1;
		}
	}
	for (unsigned i = 0; i < m->fmt->nb_streams; i++) {
		if ((int)i != m->vidx && (int)i != m->aidx)
			m->fmt->streams[i]->discard = AVDISCARD_ALL;
	}
	if (!m->audio_out && m->adec)
		avcodec_free_context(&m->adec);  /* packets read for timing only */

	m->start_s = m->fmt->start_time != AV_NOPTS_VALUE
			     ? (double)m->fmt->start_time / AV_TIME_BASE
			     : 0;
	m->duration_s = m->fmt->duration != AV_NOPTS_VALUE && m->fmt->duration > 0
				? (double)m->fmt->duration / AV_TIME_BASE
				: 0;

	m->pkt = av_packet_alloc();
	m->vtmp = av_frame_alloc();
	m->atmp = av_frame_alloc();
	m->conv = av_frame_alloc();
	m->spare = av_frame_alloc();
	bool frames_ok = m->pkt && m->vtmp && m->atmp && m->conv && m->spare;
	for (int i = 0; i < RING_FRAMES; i++) {
		m->ring[i].frame = av_frame_alloc();
		frames_ok = frames_ok && m->ring[i].frame;
	}
	if (!frames_ok) {
		set_err(err, err_size, "%s: out of memory", path);
		goto fail;
	}

	movie_event_type();
	m->base_ms = time_mono_ms();
	r = pthread_create(&m->thread, NULL, movie_thread, m);
	if (r != 0) {
		set_err(err, err_size, "%s: cannot start the decode thread: %s",
			path, strerror(r));
		goto fail;
	}
	m->thread_started = true;
	if (m->audio_out)
		SDL_PauseAudioDevice(m->dev, 0);
	return m;

fail:
	movie_free(m);
	return NULL;
}

void movie_close(struct movie *m)
{
	if (!m)
		return;
	if (m->thread_started) {
		atomic_store(&m->abort_io, true);
		pthread_mutex_lock(&m->lock);
		m->stop = true;
		pthread_cond_broadcast(&m->cond);
		pthread_mutex_unlock(&m->lock);
		pthread_join(m->thread, NULL);
	}
	movie_free(m);
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

/* Make *tex an IYUV streaming texture of f's size and copy f into it. */
static bool upload_frame(struct movie *m, SDL_Renderer *renderer,
			 SDL_Texture **tex, const AVFrame *f)
{
	if (*tex) {
		Uint32 format;
		int tw, th;
		if (SDL_QueryTexture(*tex, &format, NULL, &tw, &th) != 0 ||
		    format != SDL_PIXELFORMAT_IYUV || tw != f->width ||
		    th != f->height) {
			SDL_DestroyTexture(*tex);
			*tex = NULL;
		}
	}
	if (!*tex) {
		*tex = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_IYUV,
					 SDL_TEXTUREACCESS_STREAMING, f->width,
					 f->height);
		if (!*tex) {
			if (!m->upload_error_logged)
				log_error("%s: cannot create a %dx%d video texture: %s",
					  m->path, f->width, f->height,
					  SDL_GetError());
			m->upload_error_logged = true;
			return false;
		}
	}
	if (SDL_UpdateYUVTexture(*tex, NULL, f->data[0], f->linesize[0],
				 f->data[1], f->linesize[1], f->data[2],
				 f->linesize[2]) != 0) {
		if (!m->upload_error_logged)
			log_error("%s: cannot update the video texture: %s",
				  m->path, SDL_GetError());
		m->upload_error_logged = true;
		return false;
	}
	return true;
}

/* The frame rule: the ring's first frame is shown once the clock reaches
 * its time. A frame that is late by more than its own duration is dropped,
 * unshown, when the one after it is due as well, so a slow main
 * loop skips pictures instead of falling behind the sound. */
bool movie_update_texture(struct movie *m, SDL_Renderer *renderer,
			  SDL_Texture **tex)
{
	if (!m)
		return false;
	atomic_store(&m->wake_pending, false);
	pthread_mutex_lock(&m->lock);
	double clock_s = clock_locked(m);
	while (m->ring_count >= 2 && !m->opt.unclocked) {
		struct vframe *a = &m->ring[m->ring_head];
		struct vframe *b = &m->ring[(m->ring_head + 1) % RING_FRAMES];
		if (!(b->pts_s <= clock_s && a->pts_s + a->dur_s < clock_s))
			break;
		av_frame_unref(a->frame);
		m->ring_head = (m->ring_head + 1) % RING_FRAMES;
		m->ring_count--;
	}
	bool take = m->ring_count > 0 && m->ring[m->ring_head].pts_s <= clock_s;
	if (take) {
		struct vframe *a = &m->ring[m->ring_head];
		AVFrame *f = a->frame;
		a->frame = m->spare;
		m->spare = f;
		m->ring_head = (m->ring_head + 1) % RING_FRAMES;
		m->ring_count--;
	}
	if (take || m->ring_count < RING_FRAMES)
		pthread_cond_signal(&m->cond);
	pthread_mutex_unlock(&m->lock);
	if (!take)
		return false;
	bool ok = upload_frame(m, renderer, tex, m->spare);
	av_frame_unref(m->spare);
	return ok;
}

int movie_next_frame_delay_ms(struct movie *m)
{
	if (!m)
		return -1;
	int delay = -1;
	pthread_mutex_lock(&m->lock);
	if (m->ring_count > 0 && !m->paused) {
		double d = (m->ring[m->ring_head].pts_s - clock_locked(m)) * 1000.0;
		if (d < 0)
			d = 0;
		if (d > 60000)
			d = 60000;
		delay = (int)ceil(d);
	}
	pthread_mutex_unlock(&m->lock);
	return delay;
}

/* Position within the file (the clock minus the passes already played). */
double movie_position_s(struct movie *m)
{
	if (!m)
		return 0;
	pthread_mutex_lock(&m->lock);
	double c = clock_locked(m);
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
	pthread_mutex_lock(&m->lock);
	bool fin = m->done && !m->failed && m->ring_count == 0 &&
		   (!m->audio_out || SDL_GetQueuedAudioSize(m->dev) == 0) &&
		   clock_locked(m) >= m->end_s;
	pthread_mutex_unlock(&m->lock);
	return fin;
}

bool movie_failed(struct movie *m, char *err, size_t err_size)
{
	if (!m)
		return false;
	pthread_mutex_lock(&m->lock);
	bool failed = m->failed;
	if (failed)
		set_err(err, err_size, "%s", m->err);
	pthread_mutex_unlock(&m->lock);
	return failed;
}

void movie_set_paused(struct movie *m, bool paused)
{
	if (!m || m->paused == paused)
		return;
	pthread_mutex_lock(&m->lock);
	if (paused) {
		m->paused_clock_s = clock_locked(m);
		m->paused = true;
	} else {
		m->paused = false;
		m->base_s = m->paused_clock_s;
		m->base_ms = time_mono_ms();
	}
	pthread_mutex_unlock(&m->lock);
	if (m->audio_out)
		SDL_PauseAudioDevice(m->dev, paused ? 1 : 0);
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
	bool restart_thread = m->done && !m->failed && m->thread_started;
	/* movie time of this pass */
	double t = target_s + m->cur_pass_s;
	m->seek_req = true;
	m->seek_to_s = t;
	m->ring_count = 0;
	if (m->audio_out)
		SDL_ClearQueuedAudio(m->dev);
	m->audio_end_s = t;
	m->audio_started = false;
	m->base_s = t;
	m->base_ms = time_mono_ms();
	m->last_clock_s = t;
	m->paused_clock_s = t;
	m->last_video_end_s = t;
	m->done = false;
	m->end_s = 0;
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	if (restart_thread) {
		/* the thread ended at the end of the file: start it again */
		pthread_join(m->thread, NULL);
		m->thread_started = false;
		if (pthread_create(&m->thread, NULL, movie_thread, m) == 0)
			m->thread_started = true;
		else
			fail(m, "cannot restart the decode thread", 0);
	}
}

bool movie_paused(const struct movie *m)
{
	return m && m->paused;
}
