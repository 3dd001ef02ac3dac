/*
 * avguard: the limits every libav open in the kiosk runs under, so that no
 * file can make it read anything but local files, pick a demuxer or
 * decoder the kiosk does not support, allocate without bound or block
 * forever:
 *   - protocol_whitelist "file" (no network, no pipes, no playlists that
 *     pull other files in: hls, concat, ... are not whitelisted formats);
 *   - format_whitelist and codec_whitelist of the supported formats;
 *   - a bounded probesize and analyzeduration;
 *   - max_pixels on every decoder (AVGUARD_MAX_PIXELS);
 *   - an interrupt callback with a deadline and an abort flag;
 *   - regular files only (a FIFO or device would block in open(2)).
 */
#ifndef KIOSK_MEDIA_AVGUARD_H
#define KIOSK_MEDIA_AVGUARD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

/* Largest picture any decoder may allocate: a 50-megapixel poster. */
#define AVGUARD_MAX_PIXELS (50LL * 1000 * 1000)
/* How long opening and probing one file may take. */
#define AVGUARD_OPEN_TIMEOUT_MS 10000
/* At most this much of a file is read to find its streams. */
#define AVGUARD_PROBESIZE (8 * 1024 * 1024)
#define AVGUARD_ANALYZEDURATION_US (5 * 1000 * 1000)

/* The guard of one open file; embedded in its owner, which must outlive
 * the AVFormatContext (libav calls back into it). */
struct avguard {
	int64_t deadline_ms;      /* time_mono_ms() after which I/O is cut; 0 none */
	atomic_bool *abort;       /* when set (by another thread), I/O is cut; may be NULL */
};

/* Open path under the guards (a path that is not a regular file gives
 * AVERROR(EINVAL), a missing one AVERROR(ENOENT)), with the deadline set to now +
 * AVGUARD_OPEN_TIMEOUT_MS, and when find_streams also read enough to know
 * its streams (avformat_find_stream_info; still pictures skip it, it
 * would decode them once more). g->abort may be set by
 * the caller first. On success *out is open and 0 is returned (the
 * deadline is then cleared: reads of an open local file are not timed).
 * On failure returns a negative AVERROR (AVERROR_EXIT when the deadline or
 * abort cut it) and *out is NULL. */
int avguard_open_input(AVFormatContext **out, const char *path,
		       bool find_streams, struct avguard *g);

/* Is the decoder called name (AVCodec.name) one the kiosk supports? */
bool avguard_codec_allowed(const char *name);

/* Open dec with codec under the guards (max_pixels, codec whitelist).
 * Returns avcodec_open2's result, or AVERROR_DECODER_NOT_FOUND for a
 * decoder that is not on the whitelist. */
int avguard_open_codec(AVCodecContext *dec, const AVCodec *codec);

/* As avguard_open_codec with the caller's options *opts (libav's
 * avcodec_open2 rules: what was used is removed). A "max_pixels" in them
 * may lower the limit, never raise it. */
int avguard_open_codec_opts(AVCodecContext *dec, const AVCodec *codec,
			    AVDictionary **opts);

#endif
