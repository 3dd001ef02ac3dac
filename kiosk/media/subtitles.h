/*
 * subtitles: timed text cues read from a subtitle file (SRT or WebVTT)
 * through libavformat and libavcodec (no hand-written subtitle parser),
 * reduced to plain UTF-8 lines for the kiosk's shaped text.
 */
#ifndef KIOSK_MEDIA_SUBTITLES_H
#define KIOSK_MEDIA_SUBTITLES_H

#include <stdbool.h>
#include <stddef.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

/* Cues kept per track at most (a feature film has about 1,500). */
#define SUBTITLES_MAX_CUES 20000

struct subtitle_cue {
	double start_s, end_s;
	char *text;          /* plain UTF-8, lines separated by '\n' */
};

struct subtitles {
	struct subtitle_cue *cues;   /* sorted by start */
	size_t n_cues;
	size_t cap;
};

/* Read every cue of the subtitle file at path (opened under avguard).
 * Returns NULL with a one-line reason in err when the file cannot be
 * read or holds no text subtitles. Caller frees with subtitles_destroy. */
struct subtitles *subtitles_load(const char *path, char *err, size_t err_size);

/* An empty set of cues, to fill with subtitles_decode (text subtitle
 * streams inside a media file). */
struct subtitles *subtitles_create(void);

void subtitles_destroy(struct subtitles *subs);

/* A decoder for the text subtitle stream st (SubRip, WebVTT, mov_text,
 * ASS), or NULL when st is not text subtitles or cannot be decoded. */
AVCodecContext *subtitles_decoder_open(const AVStream *st);

/* Decode pkt of stream st and add its cues, with times made relative to
 * start_offset_s (the file's start time). A cue already present is not
 * added again, so packets read twice (after a seek) are harmless. */
void subtitles_decode(struct subtitles *subs, AVCodecContext *dec,
		      const AVStream *st, AVPacket *pkt, double start_offset_s);

/* Add the text rects of a decoded subtitle starting at start_s. */
void subtitles_add(struct subtitles *subs, const AVSubtitle *sub,
		   double start_s, double dur_s);

/* The text on screen at t seconds, or NULL. */
const char *subtitles_at(const struct subtitles *subs, double t);

/* The subtitle file for a media file and a language, by the convention
 * "<name>.<lang>.srt" (or .vtt) beside it, where <name> is the media file
 * name without its extension and without a language part: for
 * video.vi.mp4 and "en", video.en.srt; for clip.mp4 and "vi",
 * clip.vi.srt. Returns a new path (caller frees) or NULL. */
char *subtitles_find(const char *media_path, const char *lang);

#endif
