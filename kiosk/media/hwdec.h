/*
 * hwdec: opens the video decoder for a stream, hardware first where the
 * machine has one, software otherwise:
 *
 *   1. a V4L2 memory-to-memory decoder ("h264_v4l2m2m": the Raspberry Pi
 *      4's H.264 block), when the machine has a /dev/video* device;
 *   2. the software decoder with VAAPI acceleration (a PC's GPU), when a
 *      VAAPI device opens;
 *   3. the software decoder, threaded to the machine's cores (frame and
 *      slice threads).
 *
 * Any failure on the way falls through to the next. The description says
 * which path was taken and, for software, why the hardware was not used.
 */
#ifndef KIOSK_MEDIA_HWDEC_H
#define KIOSK_MEDIA_HWDEC_H

#include <stdbool.h>
#include <stddef.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

struct hwdec_result {
	AVCodecContext *dec;    /* open decoder, or NULL */
	bool hardware;          /* frames may be hardware frames (see
				 * hwdec_download) or come from a V4L2 block */
	char desc[160];         /* "h264 software, 2 threads (no hardware
				 * decoder: ...)", "h264_v4l2m2m hardware",
				 * "h264 vaapi hardware" */
};

/* Open a decoder for st. try_hw false skips steps 1 and 2. On failure
 * res->dec is NULL and desc says why; returns 0 or a negative AVERROR.
 * The caller owns res->dec (avcodec_free_context). */
int hwdec_open(const AVStream *st, bool try_hw, struct hwdec_result *res);

/* f is a frame in GPU memory (f->hw_frames_ctx set): copy it into sw
 * (NV12 or what the driver gives) and move it back into f. Frames in
 * ordinary memory are left alone. Returns 0 or a negative AVERROR. */
int hwdec_download(AVFrame *f, AVFrame *sw);

/* Number of decoding threads for this machine: its cores, at most 16. */
int hwdec_thread_count(void);

#endif
