/*
 * probe: open a media file with libavformat and tell what it holds,
 * without decoding it whole. Used by `kiosk check` and the catalog.
 */
#ifndef KIOSK_MEDIA_PROBE_H
#define KIOSK_MEDIA_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include <libavformat/avformat.h>

struct probe_result {
	bool has_video;        /* a video stream whose decoder exists */
	bool has_audio;        /* an audio stream whose decoder exists */
	bool is_image;         /* a single still picture (png, jpeg, webp...) */
	int width, height;     /* of the best video stream, 0 if none */
	char vcodec[32];       /* its codec ("h264", "hevc", "vp9"), or "" */
	char pix_fmt[32];      /* its pixel format ("yuv420p", "yuv420p10le") */
	double fps;            /* its average frame rate, 0 when unknown */
	int64_t bit_rate;      /* the whole file's, bits/s, 0 when unknown */
	double duration_s;     /* 0 when unknown or a still */
	char format[32];       /* libavformat's short name */
};

/* Probe path. Returns true with *out filled when the file opens and at
 * least one stream has a decoder and decodes one frame; otherwise false
 * with a one-line reason in err (e.g. "Invalid data found when processing
 * input", "no decodable audio or video stream"). */
/* Degrees to turn a video stream's pictures clockwise to show them
 * upright (its display matrix): 0, 90, 180 or 270. */
int probe_stream_rotation(const AVStream *st);

bool probe_file(const char *path, struct probe_result *out, char *err,
		size_t err_size);

#endif
