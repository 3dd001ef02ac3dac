/*
 * thumbcache: thumbnails made once and kept on disk under a name that
 * changes with the source file (see thumbcache.h).
 */
#include "media/thumbcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/hash.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "base/log.h"
#include "base/util.h"
#include "media/avguard.h"
#include "media/image.h"
#include "media/probe.h"

/* Bump when thumbnails made by this code would look different, so that
 * old ones are not served (it is part of every key). */
#define THUMBCACHE_FORMAT "kiosk-thumbcache 1"

/* SHA-256 in hex. */
#define KEY_HEX_LEN 64
/* Prefix of temporary files; final names are KEY_HEX_LEN hex digits and
 * ".png", which never start with a dot. */
#define TMP_PREFIX ".thumbcache-tmp-"
/* A video whose decoder takes this many packets in a row without giving
 * a frame is not decoding (every packet of a video stream makes one). */
#define MAX_PACKETS_WITHOUT_FRAME 100

/* The current key of one source asked for since create. */
struct keep_entry {
	char *source;                 /* "<kind>:<canonical path>"; owned */
	char hex[KEY_HEX_LEN + 1];    /* its current key */
};

struct thumbcache {
	char *dir;                    /* cache directory; owned */
	int box_w, box_h;             /* thumbnails fit inside this */
	atomic_bool cancelled;        /* thumbcache_cancel was called */

	pthread_mutex_t lock;         /* guards every field below */
	thumbcache_render_fn *render; /* document renderer, or NULL */
	void *render_data;
	struct keep_entry *keep;      /* sorted by source; for prune */
	size_t n_keep, cap_keep;
	struct thumbcache_stats stats;
};

/* A picture longer than this many times its width, or wider than this
 * many times its height, gets no thumbnail (picview.c refuses it too). */
#define THUMB_MAX_ASPECT 100

/* ------------------------------------------------------------------ */
/* Errors                                                              */
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

/* ------------------------------------------------------------------ */
/* Sizes and pixels                                                    */
/* ------------------------------------------------------------------ */

/* Fit src_w x src_h (display size, > 0) inside box_w x box_h keeping the
 * aspect ratio, never scaling up; at least 1 x 1. */
static void fit_box(double src_w, double src_h, int box_w, int box_h, int *w,
		    int *h)
{
	double s = fmin((double)box_w / src_w, (double)box_h / src_h);
	if (s > 1.0)
		s = 1.0;
	*w = (int)lrint(src_w * s);
	*h = (int)lrint(src_h * s);
	*w = *w < 1 ? 1 : *w > box_w ? box_w : *w;
	*h = *h < 1 ? 1 : *h > box_h ? box_h : *h;
}

/* Is tc cancelled? Sets err when it is. */
static bool check_cancelled(struct thumbcache *tc, const char *path,
			    char *err, size_t err_size)
{
	if (!atomic_load(&tc->cancelled))
		return false;
	set_err(err, err_size, path, "cancelled");
	return true;
}

/* Frames of stream index come out of dec; decoding stops at the frame on
 * screen at target (stream time base; AV_NOPTS_VALUE: the first frame),
 * the frame limit, the deadline or the end, and the frame decoded last is
 * left in *keep. Returns 0 with a frame in keep, or a negative libav
 * code. */
static int decode_until(struct thumbcache *tc, AVFormatContext *fmt,
			AVCodecContext *dec, int index, int64_t target,
			int64_t half_frame, struct avguard *guard,
			AVFrame *keep)
{
	AVPacket *pkt = av_packet_alloc();
	AVFrame *frame = av_frame_alloc();
	if (!pkt || !frame) {
		av_packet_free(&pkt);
		av_frame_free(&frame);
		return AVERROR(ENOMEM);
	}
	bool have = false, flushed = false, done = false;
	int frames = 0, dry = 0, r = 0, last_error = 0;
	while (!done) {
		if (atomic_load(&tc->cancelled)) {
			r = AVERROR_EXIT;
			break;
		}
		r = avcodec_receive_frame(dec, frame);
		if (r == 0) {
			av_frame_unref(keep);
			av_frame_move_ref(keep, frame);
			have = true;
			frames++;
			dry = 0;
			int64_t ts = keep->best_effort_timestamp;
			/* the frame starting nearest the target, rounding
			 * half a frame up */
			if (target == AV_NOPTS_VALUE || ts == AV_NOPTS_VALUE ||
			    ts >= target - half_frame ||
			    frames >= THUMBCACHE_VIDEO_MAX_FRAMES ||
			    time_mono_ms() > guard->deadline_ms)
				done = true;
			continue;
		}
		if (r != AVERROR(EAGAIN) && r != AVERROR_EOF)
			last_error = r; /* a broken frame: go on with the next packet */
		if (flushed || r == AVERROR_EOF)
			break;          /* drained, or draining failed */
		r = av_read_frame(fmt, pkt);
		if (r < 0) {
			/* the end, an I/O error or the deadline: drain */
			if (r != AVERROR_EOF)
				last_error = r;
			avcodec_send_packet(dec, NULL);
			flushed = true;
			continue;
		}
		if (pkt->stream_index == index) {
			r = avcodec_send_packet(dec, pkt);
			if (r < 0 && r != AVERROR(EAGAIN))
				last_error = r;
			/* not decoding: the frame before, if any, will do */
			if (++dry > MAX_PACKETS_WITHOUT_FRAME)
				done = true;
		}
		av_packet_unref(pkt);
	}
	av_packet_free(&pkt);
	av_frame_free(&frame);
	if (atomic_load(&tc->cancelled))
		return AVERROR_EXIT;
	if (have)
		return 0;
	return last_error < 0 ? last_error : AVERROR_EOF;
}

/* The thumbnail of a video: the frame at 10 % of the duration. */
static struct image *video_thumb(struct thumbcache *tc, const char *path,
				 char *err, size_t err_size)
{
	AVFormatContext *fmt = NULL;
	AVCodecContext *dec = NULL;
	AVFrame *frame = NULL;
	struct image *scaled = NULL, *img = NULL;
	struct avguard guard = { .abort = &tc->cancelled };

	int r = avguard_open_input(&fmt, path, true, &guard);
	if (r < 0) {
		if (!check_cancelled(tc, path, err, err_size))
			set_av_err(err, err_size, path, r);
		return NULL;
	}
	const AVCodec *codec = NULL;
	int index = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
	if (index < 0) {
		set_err(err, err_size, path,
			index == AVERROR_DECODER_NOT_FOUND
				? "no decoder for its video" : "no video in the file");
		goto out;
	}
	AVStream *st = fmt->streams[index];
	for (unsigned i = 0; i < fmt->nb_streams; i++)
		if ((int)i != index)
			fmt->streams[i]->discard = AVDISCARD_ALL;
	dec = avcodec_alloc_context3(codec);
	frame = av_frame_alloc();
	if (!dec || !frame) {
		set_err(err, err_size, path, "out of memory");
		goto out;
	}
	r = avcodec_parameters_to_context(dec, st->codecpar);
	if (r >= 0) {
		dec->pkt_timebase = st->time_base;
		dec->thread_count = 0;
		r = avguard_open_codec(dec, codec);
	}
	if (r < 0) {
		set_av_err(err, err_size, path, r);
		goto out;
	}

	/* Seek to the key frame at or before 10 %, then decode up to it. A
	 * file whose duration is unknown, or cover art, gives its first
	 * frame. When the seek fails decoding goes on from the start. */
	int64_t target = AV_NOPTS_VALUE;
	if (!(st->disposition & AV_DISPOSITION_ATTACHED_PIC) &&
	    fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0) {
		int64_t start = fmt->start_time != AV_NOPTS_VALUE ? fmt->start_time : 0;
		int64_t ts = start + fmt->duration / 10;
		target = av_rescale_q(ts, AV_TIME_BASE_Q, st->time_base);
		r = avformat_seek_file(fmt, -1, INT64_MIN, ts, ts, 0);
		if (r < 0)
			r = av_seek_frame(fmt, -1, ts, AVSEEK_FLAG_BACKWARD);
		if (r < 0)
			log_debug("%s: cannot seek for its thumbnail; decoding from the start",
				  path);
	}
	AVRational fr = av_guess_frame_rate(fmt, st, NULL);
	if (fr.num <= 0 || fr.den <= 0)
		fr = (AVRational){ 25, 1 };
	int64_t half_frame = av_rescale_q(1, av_inv_q(fr), st->time_base) / 2;

	guard.deadline_ms = time_mono_ms() + THUMBCACHE_VIDEO_TIMEOUT_MS;
	r = decode_until(tc, fmt, dec, index, target, half_frame, &guard, frame);
	guard.deadline_ms = 0;
	if (r < 0) {
		if (check_cancelled(tc, path, err, err_size))
			goto out;
		if (r == AVERROR_EOF)
			set_err(err, err_size, path, "no video frame decoded");
		else
			set_av_err(err, err_size, path, r);
		goto out;
	}
	if (frame->width <= 0 || frame->height <= 0) {
		set_err(err, err_size, path, "video frame has no size");
		goto out;
	}

	/* The display size: sample aspect ratio, then rotation. */
	AVRational sar = av_guess_sample_aspect_ratio(fmt, st, frame);
	double disp_w = frame->width, disp_h = frame->height;
	if (sar.num > 0 && sar.den > 0)
		disp_w *= av_q2d(sar);
	int rot = probe_stream_rotation(st);
	bool swap = rot == 90 || rot == 270;
	int w, h;
	if (swap)
		fit_box(disp_h, disp_w, tc->box_w, tc->box_h, &h, &w);
	else
		fit_box(disp_w, disp_h, tc->box_w, tc->box_h, &w, &h);
	scaled = image_from_frame(frame, w, h, path, err, err_size);
	if (!scaled)
		goto out;
	if (rot == 0) {
		img = scaled;
		scaled = NULL;
	} else if (!(img = image_turn(scaled, rot))) {
		set_err(err, err_size, path, "out of memory");
	}

out:
	image_destroy(scaled);
	av_frame_free(&frame);
	avcodec_free_context(&dec);
	avformat_close_input(&fmt);
	return img;
}

/* The thumbnail of a document, from the caller's renderer. */
static struct image *document_thumb(struct thumbcache *tc, const char *path,
				    char *err, size_t err_size)
{
	pthread_mutex_lock(&tc->lock);
	thumbcache_render_fn *fn = tc->render;
	void *data = tc->render_data;
	pthread_mutex_unlock(&tc->lock);
	if (!fn) {
		set_err(err, err_size, path,
			"no document renderer is set, cannot make a document thumbnail");
		return NULL;
	}
	char why[512] = "";
	struct image *img = fn(data, path, tc->box_w, tc->box_h, why, sizeof why);
	if (!img) {
		if (!why[0])
			snprintf(why, sizeof why, "the document renderer failed");
		if (strstr(why, path))
			snprintf(err, err_size, "%s", why);
		else
			set_err(err, err_size, path, why);
		return NULL;
	}
	if (img->w <= 0 || img->h <= 0 || !img->pixels || img->pitch < 4 * img->w) {
		image_destroy(img);
		set_err(err, err_size, path, "the document renderer returned no picture");
		return NULL;
	}
	if (img->w <= tc->box_w && img->h <= tc->box_h)
		return img;
	int w, h;
	fit_box(img->w, img->h, tc->box_w, tc->box_h, &w, &h);
	AVFrame *f = av_frame_alloc();
	struct image *small = NULL;
	if (f) {
		f->format = AV_PIX_FMT_RGBA;
		f->width = img->w;
		f->height = img->h;
		f->data[0] = img->pixels;
		f->linesize[0] = img->pitch;
		small = image_from_frame(f, w, h, path, err, err_size);
		av_frame_free(&f);
	}
	image_destroy(img);
	return small;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */


/* Write len bytes of data to fd, through short writes and signals.
 * Returns 0 or an errno value. */
static int write_all(int fd, const uint8_t *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return EIO;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Put data at final_path in tc's directory so that it appears whole or
 * not at all: a temporary file, fsync, rename, fsync of the directory.
 * Returns 0 or an errno value; nothing is left behind on failure. */
static int write_atomic(struct thumbcache *tc, const char *hex,
			const char *final_path, const uint8_t *data, size_t len)
{
	char *tmp = xasprintf("%s/" TMP_PREFIX "%s-XXXXXX", tc->dir, hex);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int e = errno;
		free(tmp);
		return e;
	}
	int e = write_all(fd, data, len);
	if (!e && fchmod(fd, 0644) != 0)
		e = errno;
	if (!e && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && !e)
		e = errno;
	if (!e && rename(tmp, final_path) != 0)
		e = errno;
	if (e) {
		unlink(tmp);
		free(tmp);
		return e;
	}
	free(tmp);
	/* the new name itself survives a power cut only once the directory
	 * is on disk; without it the thumbnail is just made again */
	int dfd = open(tc->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

/* Encode img and store it as final_path. Returns false with err set. */
static bool store_thumb(struct thumbcache *tc, const struct image *img,
			const char *hex, const char *final_path,
			const char *path, char *err, size_t err_size)
{
	AVPacket *pkt = av_packet_alloc();
	if (!pkt) {
		set_err(err, err_size, path, "out of memory");
		return false;
	}
	int r = image_encode_png(img, pkt);
	if (r < 0) {
		char buf[AV_ERROR_MAX_STRING_SIZE];
		av_strerror(r, buf, sizeof buf);
		char what[256];
		snprintf(what, sizeof what, "cannot encode its thumbnail: %s", buf);
		set_err(err, err_size, path, what);
		av_packet_free(&pkt);
		return false;
	}
	int e = write_atomic(tc, hex, final_path, pkt->data, (size_t)pkt->size);
	av_packet_free(&pkt);
	if (e) {
		if (err && err_size)
			snprintf(err, err_size, "%s: cannot write its thumbnail %s: %s",
				 path, final_path, strerror(e));
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */
/* ------------------------------------------------------------------ */

/* The key of canon (a canonical path) as kind with stat st, in hex.
 * Returns false when libavutil has no SHA-256 (or no memory). */
static bool make_key(const struct thumbcache *tc, const char *canon,
		     enum thumb_kind kind, const struct stat *st,
		     char hex[KEY_HEX_LEN + 1])
{
	struct AVHashContext *hash = NULL;
	if (av_hash_alloc(&hash, "SHA256") < 0)
		return false;
	/* the path comes last, so the fields cannot run into each other */
	char *text = xasprintf("%s\nkind=%d\nbox=%dx%d\nsize=%lld\n"
			       "mtime=%lld.%09ld\npath=%s",
			       THUMBCACHE_FORMAT, (int)kind, tc->box_w, tc->box_h,
			       (long long)st->st_size, (long long)st->st_mtim.tv_sec,
			       (long)st->st_mtim.tv_nsec, canon);
	av_hash_init(hash);
	av_hash_update(hash, (const uint8_t *)text, strlen(text));
	av_hash_final_hex(hash, (uint8_t *)hex, KEY_HEX_LEN + 1);
	av_hash_freep(&hash);
	free(text);
	return strlen(hex) == KEY_HEX_LEN;
}

/* Is name a thumbnail's final name (hex key and ".png")? */
static bool is_key_name(const char *name)
{
	size_t n = strlen(name);
	if (n != KEY_HEX_LEN + 4 || strcmp(name + KEY_HEX_LEN, ".png") != 0)
		return false;
	for (size_t i = 0; i < KEY_HEX_LEN; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		      (name[i] >= 'a' && name[i] <= 'f')))
			return false;
	return true;
}

/* Is name one of this module's temporary files? */
static bool is_tmp_name(const char *name)
{
	return strncmp(name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0;
}

/* Record hex as the current key of source (lock held). */
static void keep_set_locked(struct thumbcache *tc, const char *source,
			    const char *hex)
{
	size_t lo = 0, hi = tc->n_keep;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(tc->keep[mid].source, source);
		if (c == 0) {
			memcpy(tc->keep[mid].hex, hex, KEY_HEX_LEN + 1);
			return;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (tc->n_keep == tc->cap_keep) {
		tc->cap_keep = tc->cap_keep ? 2 * tc->cap_keep : 64;
		tc->keep = xrealloc(tc->keep, tc->cap_keep * sizeof *tc->keep);
	}
	memmove(tc->keep + lo + 1, tc->keep + lo,
		(tc->n_keep - lo) * sizeof *tc->keep);
	tc->keep[lo].source = xstrdup(source);
	memcpy(tc->keep[lo].hex, hex, KEY_HEX_LEN + 1);
	tc->n_keep++;
}

/* ------------------------------------------------------------------ */
/* Public                                                              */
/* ------------------------------------------------------------------ */

/* Remove the temporary files a crash left in dir. */
static void remove_stale_tmp(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_tmp_name(e->d_name))
			continue;
		char *p = path_join(dir, e->d_name);
		if (unlink(p) == 0)
			log_info("%s: removed an unfinished thumbnail", p);
		free(p);
	}
	closedir(d);
}

struct thumbcache *thumbcache_create(const char *dir, int w, int h)
{
	if (w < 1 || h < 1 || w > THUMBCACHE_MAX_SIDE || h > THUMBCACHE_MAX_SIDE) {
		log_error("thumbcache: thumbnail size %dx%d is out of range (1..%d)",
			  w, h, THUMBCACHE_MAX_SIDE);
		return NULL;
	}
	if (!dir || !*dir) {
		log_error("thumbcache: no cache directory");
		return NULL;
	}
	if (!mkdir_parents(dir)) {
		log_error("%s: cannot create the thumbnail directory: %s", dir,
			  strerror(errno));
		return NULL;
	}
	if (access(dir, W_OK | X_OK) != 0)
		log_warn("%s: thumbnail directory is not writable (%s): new thumbnails will fail",
			 dir, strerror(errno));
	remove_stale_tmp(dir);
	struct thumbcache *tc = xcalloc(1, sizeof *tc);
	tc->dir = xstrdup(dir);
	tc->box_w = w;
	tc->box_h = h;
	atomic_init(&tc->cancelled, false);
	pthread_mutex_init(&tc->lock, NULL);
	return tc;
}

void thumbcache_destroy(struct thumbcache *tc)
{
	if (!tc)
		return;
	for (size_t i = 0; i < tc->n_keep; i++)
		free(tc->keep[i].source);
	free(tc->keep);
	pthread_mutex_destroy(&tc->lock);
	free(tc->dir);
	free(tc);
}

void thumbcache_set_document_renderer(struct thumbcache *tc,
				      thumbcache_render_fn *fn, void *userdata)
{
	pthread_mutex_lock(&tc->lock);
	tc->render = fn;
	tc->render_data = fn ? userdata : NULL;
	pthread_mutex_unlock(&tc->lock);
}

/* Make the thumbnail picture of path as kind. */
static struct image *make_thumb(struct thumbcache *tc, const char *path,
				enum thumb_kind kind, char *err, size_t err_size)
{
	switch (kind) {
	case THUMB_PICTURE: {
		struct image *img = image_load(path, tc->box_w, tc->box_h, err, err_size);
		if (img && (img->w > img->h * THUMB_MAX_ASPECT ||
			    img->h > img->w * THUMB_MAX_ASPECT)) {
			/* a line of a pixel in the grid: the placeholder
			 * says more */
			char what[96];
			snprintf(what, sizeof what, "the picture is %dx%d pixels here, "
				 "too narrow to be seen", img->w, img->h);
			set_err(err, err_size, path, what);
			image_destroy(img);
			img = NULL;
		}
		return img;
	}
	case THUMB_VIDEO:
		return video_thumb(tc, path, err, err_size);
	case THUMB_DOCUMENT:
		return document_thumb(tc, path, err, err_size);
	}
	set_err(err, err_size, path, "unknown thumbnail kind");
	return NULL;
}

/* thumbcache_get when make, else thumbcache_lookup: the path of the
 * current thumbnail, made when missing if make. NULL with err set on
 * failure (or, without make, when there is none). */
static char *get_thumb(struct thumbcache *tc, const char *path,
		       enum thumb_kind kind, bool make, char *err,
		       size_t err_size)
{
	if (kind != THUMB_PICTURE && kind != THUMB_VIDEO && kind != THUMB_DOCUMENT) {
		set_err(err, err_size, path, "unknown thumbnail kind");
		return NULL;
	}
	if (make && check_cancelled(tc, path, err, err_size))
		return NULL;
	char canon[PATH_MAX];
	struct stat st;
	if (!realpath(path, canon) || stat(canon, &st) != 0) {
		set_err(err, err_size, path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		set_err(err, err_size, path, "not a regular file");
		return NULL;
	}
	char hex[KEY_HEX_LEN + 1];
	if (!make_key(tc, canon, kind, &st, hex)) {
		set_err(err, err_size, path, "libavutil has no SHA-256");
		return NULL;
	}
	char name[KEY_HEX_LEN + 8];
	snprintf(name, sizeof name, "%s.png", hex);
	char *final_path = path_join(tc->dir, name);

	/* Recorded before the file is looked at or written, so a prune
	 * running meanwhile keeps it. */
	char *source = xasprintf("%d:%s", (int)kind, canon);
	pthread_mutex_lock(&tc->lock);
	keep_set_locked(tc, source, hex);
	pthread_mutex_unlock(&tc->lock);
	free(source);

	struct stat cached;
	if (stat(final_path, &cached) == 0 && S_ISREG(cached.st_mode) &&
	    cached.st_size > 0) {
		pthread_mutex_lock(&tc->lock);
		tc->stats.hits++;
		pthread_mutex_unlock(&tc->lock);
		return final_path;
	}
	if (!make) {
		set_err(err, err_size, path, "no thumbnail made yet");
		free(final_path);
		return NULL;
	}

	int64_t t0 = time_mono_ms();
	struct image *img = make_thumb(tc, path, kind, err, err_size);
	if (!img) {
		free(final_path);
		return NULL;
	}
	/* A file rewritten while it was read would leave a thumbnail of a
	 * mix under the old version's name. */
	struct stat after;
	if (stat(canon, &after) != 0 || after.st_size != st.st_size ||
	    after.st_mtim.tv_sec != st.st_mtim.tv_sec ||
	    after.st_mtim.tv_nsec != st.st_mtim.tv_nsec) {
		set_err(err, err_size, path,
			"changed while its thumbnail was made; try again later");
		image_destroy(img);
		free(final_path);
		return NULL;
	}
	bool ok = !check_cancelled(tc, path, err, err_size) &&
		  store_thumb(tc, img, hex, final_path, path, err, err_size);
	int tw = img->w, th = img->h;
	image_destroy(img);
	if (!ok) {
		free(final_path);
		return NULL;
	}
	log_debug("%s: thumbnail %dx%d made in %lld ms", path, tw, th,
		  (long long)(time_mono_ms() - t0));
	pthread_mutex_lock(&tc->lock);
	tc->stats.generated++;
	pthread_mutex_unlock(&tc->lock);
	return final_path;
}

char *thumbcache_get(struct thumbcache *tc, const char *source_path,
		     enum thumb_kind kind, char *err, size_t err_size)
{
	if (err && err_size)
		err[0] = '\0';
	char *path = NULL;
	if (source_path && *source_path)
		path = get_thumb(tc, source_path, kind, true, err, err_size);
	else if (err && err_size)
		snprintf(err, err_size, "thumbcache: no source file");
	if (!path) {
		pthread_mutex_lock(&tc->lock);
		tc->stats.failed++;
		pthread_mutex_unlock(&tc->lock);
	}
	return path;
}

char *thumbcache_lookup(struct thumbcache *tc, const char *source_path,
			enum thumb_kind kind)
{
	if (!source_path || !*source_path)
		return NULL;
	return get_thumb(tc, source_path, kind, false, NULL, 0);
}

static int hex_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int thumbcache_prune(struct thumbcache *tc)
{
	/* The lock is held throughout, so no key can be recorded for a
	 * file about to be deleted. */
	pthread_mutex_lock(&tc->lock);
	DIR *d = opendir(tc->dir);
	if (!d) {
		log_error("%s: cannot read the thumbnail directory: %s", tc->dir,
			  strerror(errno));
		pthread_mutex_unlock(&tc->lock);
		return -1;
	}
	const char **keep = xcalloc(tc->n_keep, sizeof *keep);
	for (size_t i = 0; i < tc->n_keep; i++)
		keep[i] = tc->keep[i].hex;
	qsort(keep, tc->n_keep, sizeof *keep, hex_cmp);
	int deleted = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_key_name(e->d_name))
			continue;
		char hex[KEY_HEX_LEN + 1];
		memcpy(hex, e->d_name, KEY_HEX_LEN);
		hex[KEY_HEX_LEN] = '\0';
		const char *key = hex;
		if (bsearch(&key, keep, tc->n_keep, sizeof *keep, hex_cmp))
			continue;
		char *p = path_join(tc->dir, e->d_name);
		if (unlink(p) == 0)
			deleted++;
		else
			log_warn("%s: cannot delete an old thumbnail: %s", p,
				 strerror(errno));
		free(p);
	}
	closedir(d);
	free(keep);
	pthread_mutex_unlock(&tc->lock);
	if (deleted > 0)
		log_info("%s: %d old thumbnails deleted", tc->dir, deleted);
	return deleted;
}

void thumbcache_cancel(struct thumbcache *tc)
{
	atomic_store(&tc->cancelled, true);
}

void thumbcache_get_stats(struct thumbcache *tc, struct thumbcache_stats *out)
{
	pthread_mutex_lock(&tc->lock);
	*out = tc->stats;
	pthread_mutex_unlock(&tc->lock);
}
