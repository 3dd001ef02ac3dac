/*
 * subtitles: timed text cues from SRT/WebVTT files (see subtitles.h).
 */
#include "media/subtitles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "base/log.h"
#include "base/util.h"
#include "media/avguard.h"

static void set_err(char *err, size_t size, const char *path, const char *why)
{
	if (err && size)
		snprintf(err, size, "%s: %s", path, why);
}

/* The Text field of an ASS dialogue line as libavcodec gives it
 * ("ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text"),
 * with override blocks {...} removed and \N / \n turned into newlines. */
static char *ass_to_plain(const char *ass)
{
	const char *p = ass;
	for (int commas = 0; *p && commas < 8; p++)
		if (*p == ',')
			commas++;
	size_t n = strlen(p);
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '{') {
			const char *close = strchr(p + i, '}');
			if (close) {
				i = (size_t)(close - p);
				continue;
			}
		}
		if (p[i] == '\\' && (p[i + 1] == 'N' || p[i + 1] == 'n')) {
			out[o++] = '\n';
			i++;
			continue;
		}
		if (p[i] == '\\' && p[i + 1] == 'h') {
			out[o++] = ' ';
			i++;
			continue;
		}
		out[o++] = p[i];
	}
	while (o > 0 && (out[o - 1] == '\n' || out[o - 1] == ' ' || out[o - 1] == '\r'))
		o--;
	out[o] = '\0';
	return out;
}

struct subtitles *subtitles_create(void)
{
	return xcalloc(1, sizeof(struct subtitles));
}

/* Insert one cue in start order; a cue already there (same start and
 * text: read again after a seek) is not added twice. Takes text. */
static void add_cue(struct subtitles *subs, double start_s, double end_s,
		    char *text)
{
	size_t lo = 0, hi = subs->n_cues;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (subs->cues[mid].start_s <= start_s)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i-- > 0 && subs->cues[i].start_s > start_s - 0.001;) {
		if (strcmp(subs->cues[i].text, text) == 0) {
			free(text);
			return;
		}
	}
	if (subs->n_cues >= SUBTITLES_MAX_CUES) {
		free(text);     /* no file needs more; memory stays bounded */
		return;
	}
	if (subs->n_cues == subs->cap) {
		subs->cap = subs->cap ? subs->cap * 2 : 32;
		subs->cues = xrealloc(subs->cues, subs->cap * sizeof *subs->cues);
	}
	memmove(subs->cues + lo + 1, subs->cues + lo,
		(subs->n_cues - lo) * sizeof *subs->cues);
	subs->cues[lo] = (struct subtitle_cue){
		.start_s = start_s, .end_s = end_s, .text = text,
	};
	subs->n_cues++;
}

/* Add sub's text rects as cues (see subtitles_add). Returns how many
 * were left out: not UTF-8, or ending before they begin. */
static size_t add_rects(struct subtitles *subs, const AVSubtitle *sub,
			double start_s, double dur_s)
{
	size_t bad = 0;
	if (sub->end_display_time > sub->start_display_time &&
	    sub->end_display_time != UINT32_MAX && dur_s <= 0)
		dur_s = (sub->end_display_time - sub->start_display_time) / 1000.0;
	start_s += sub->start_display_time / 1000.0;
	for (unsigned i = 0; i < sub->num_rects; i++) {
		const AVSubtitleRect *rect = sub->rects[i];
		char *text = NULL;
		if (rect->type == SUBTITLE_ASS && rect->ass)
			text = ass_to_plain(rect->ass);
		else if (rect->type == SUBTITLE_TEXT && rect->text)
			text = xstrdup(rect->text);
		if (text && *text && (!utf8_valid(text, strlen(text), NULL) ||
				      !(dur_s > 0)))
			bad++;
		if (!text || !*text || !utf8_valid(text, strlen(text), NULL)) {
			free(text);
			continue;
		}
		add_cue(subs, start_s, start_s + dur_s, text);
	}
	return bad;
}

void subtitles_add(struct subtitles *subs, const AVSubtitle *sub,
		   double start_s, double dur_s)
{
	add_rects(subs, sub, start_s, dur_s);
}

AVCodecContext *subtitles_decoder_open(const AVStream *st)
{
	const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
	const AVCodecDescriptor *desc = avcodec_descriptor_get(st->codecpar->codec_id);
	if (!codec || !desc || !(desc->props & AV_CODEC_PROP_TEXT_SUB))
		return NULL;
	AVCodecContext *dec = avcodec_alloc_context3(codec);
	if (!dec)
		return NULL;
	if (avcodec_parameters_to_context(dec, st->codecpar) < 0) {
		avcodec_free_context(&dec);
		return NULL;
	}
	dec->pkt_timebase = st->time_base;
	if (avguard_open_codec(dec, codec) < 0)
		avcodec_free_context(&dec);
	return dec;
}

/* subtitles_decode, telling whether the packet was a cue that cannot
 * be used (damaged, not UTF-8, ending before it begins). */
static bool decode_one(struct subtitles *subs, AVCodecContext *dec,
		       const AVStream *st, AVPacket *pkt, double start_offset_s)
{
	AVSubtitle sub;
	int got = 0;
	double start = pkt->pts != AV_NOPTS_VALUE ? pkt->pts * av_q2d(st->time_base) : 0;
	double dur = pkt->duration * av_q2d(st->time_base);
	if (avcodec_decode_subtitle2(dec, &sub, &got, pkt) < 0)
		return true;
	size_t bad = 0;
	if (got) {
		bad = add_rects(subs, &sub, start - start_offset_s, dur);
		avsubtitle_free(&sub);
	}
	return bad > 0;
}

void subtitles_decode(struct subtitles *subs, AVCodecContext *dec,
		      const AVStream *st, AVPacket *pkt, double start_offset_s)
{
	decode_one(subs, dec, st, pkt, start_offset_s);
}

struct subtitles *subtitles_load(const char *path, char *err, size_t err_size)
{
	AVFormatContext *fmt = NULL;
	struct avguard guard = { 0 };
	int r = avguard_open_input(&fmt, path, true, &guard);
	if (r < 0) {
		char buf[128];
		av_strerror(r, buf, sizeof buf);
		set_err(err, err_size, path, buf);
		return NULL;
	}
	struct subtitles *subs = NULL;
	AVCodecContext *dec = NULL;
	AVPacket *pkt = av_packet_alloc();
	int index = av_find_best_stream(fmt, AVMEDIA_TYPE_SUBTITLE, -1, -1, NULL, 0);
	if (index < 0 || !pkt) {
		set_err(err, err_size, path, "no subtitle stream");
		goto out;
	}
	AVStream *st = fmt->streams[index];
	dec = subtitles_decoder_open(st);
	if (!dec) {
		set_err(err, err_size, path, "no decoder for these subtitles");
		goto out;
	}
	subs = subtitles_create();
	size_t cues = 0, bad = 0;
	while (av_read_frame(fmt, pkt) >= 0) {
		if (pkt->stream_index == index) {
			cues++;
			bad += decode_one(subs, dec, st, pkt, 0);
		}
		av_packet_unref(pkt);
	}
	if (subs->n_cues == 0) {
		set_err(err, err_size, path, bad ? "no cue can be read (damaged, not "
					      "UTF-8, or with times that end before "
					      "they begin)"
					    : "no text cues");
		subtitles_destroy(subs);
		subs = NULL;
	} else if (bad) {
		/* the rest is shown; the file is named here, libav's own
		 * message about it does not */
		log_warn("%s: %zu of %zu subtitle cues left out: damaged, not UTF-8, "
			 "or ending before they begin", path, bad, cues);
	}
	if (subs && subs->n_cues >= SUBTITLES_MAX_CUES)
		log_warn("%s: only the first %d subtitle cues are kept", path,
			 SUBTITLES_MAX_CUES);
out:
	av_packet_free(&pkt);
	avcodec_free_context(&dec);
	avformat_close_input(&fmt);
	return subs;
}

void subtitles_destroy(struct subtitles *subs)
{
	if (!subs)
		return;
	for (size_t i = 0; i < subs->n_cues; i++)
		free(subs->cues[i].text);
	free(subs->cues);
	free(subs);
}

const char *subtitles_at(const struct subtitles *subs, double t)
{
	if (!subs)
		return NULL;
	/* the last cue starting at or before t that has not ended */
	size_t lo = 0, hi = subs->n_cues;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (subs->cues[mid].start_s <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i-- > 0;) {
		if (subs->cues[i].end_s > t)
			return subs->cues[i].text;
		if (t - subs->cues[i].start_s > 60)
			break; /* overlapping cues never last that long */
	}
	return NULL;
}

char *subtitles_find(const char *media_path, const char *lang)
{
	static const char *const exts[] = { "srt", "vtt" };
	const char *slash = strrchr(media_path, '/');
	const char *dot = strrchr(media_path, '.');
	if (!dot || (slash && dot < slash))
		dot = media_path + strlen(media_path);
	size_t stem = (size_t)(dot - media_path);
	/* video.vi.mp4: "video.vi" then, with the language swapped, "video" */
	char *base = xasprintf("%.*s", (int)stem, media_path);
	char *inner = strrchr(base, '.');
	if (inner && (!slash || inner > base + (slash - media_path)))
		*inner = '\0';
	for (size_t e = 0; e < ARRAY_LEN(exts); e++) {
		char *p = xasprintf("%s.%s.%s", base, lang, exts[e]);
		if (file_exists(p)) {
			free(base);
			return p;
		}
		free(p);
	}
	free(base);
	return NULL;
}
