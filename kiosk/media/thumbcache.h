/*
 * thumbcache: one thumbnail per item, made once and kept on disk as a PNG,
 * named after the version of the source file so that a changed file gets
 * a new thumbnail.
 *
 * What a thumbnail shows, by kind:
 *   THUMB_PICTURE   the picture itself (a poster; for a gallery the caller
 *                   passes its first picture), scaled to fit the box;
 *   THUMB_VIDEO     the frame on screen at 10 % of the duration (the
 *                   first frame when the duration is unknown), with the
 *                   sample aspect ratio and the display rotation applied;
 *   THUMB_DOCUMENT  what the caller's document renderer returns (the
 *                   first page of a PDF), scaled down to fit if needed.
 * Pictures and videos are never scaled up; a document is as big as its
 * renderer draws it, at most the box.
 *
 * The key. The file name is the SHA-256 (libavutil's av_hash) in hex, plus
 * ".png", of: a format version, the kind, the box size, the source's
 * canonical absolute path (realpath), its size in bytes and its mtime in
 * nanoseconds. Rewriting or touching the source, or asking for another box
 * size, gives another name; the old file stays until thumbcache_prune.
 *
 * Writing. A thumbnail is encoded in memory, written to a temporary file
 * in the cache directory (".thumbcache-tmp-<hex>-XXXXXX"), fsync'ed,
 * renamed over its final name and the directory fsync'ed: after a power
 * cut a final name holds a whole PNG or does not exist. Temporary files
 * left by a crash are removed by thumbcache_create. Failures are not
 * remembered: a later call tries again (once per call; nothing retries
 * in a loop).
 *
 * Threads: every function but create/destroy may be called from any
 * thread, also at the same time; no SDL calls are made. One thumbcache per
 * cache directory in a process (create cleans up the directory). The
 * libav decoder threads a video thumbnail starts inherit the calling
 * thread's nice value, so a background caller can lower its own priority
 * to keep playback smooth.
 */
#ifndef KIOSK_MEDIA_THUMBCACHE_H
#define KIOSK_MEDIA_THUMBCACHE_H

#include <stdbool.h>
#include <stddef.h>

struct image;
struct thumbcache;

enum thumb_kind {
	THUMB_PICTURE = 0,
	THUMB_VIDEO,
	THUMB_DOCUMENT,
};

/* Largest thumbnail box side accepted by thumbcache_create. */
#define THUMBCACHE_MAX_SIDE 4096
/* A video thumbnail gives up reading after this long (the frame decoded
 * last is used when there is one). */
#define THUMBCACHE_VIDEO_TIMEOUT_MS 20000
/* At most this many frames are decoded from the key frame before the
 * target; after them the frame decoded last is used (a far key frame on a
 * slow machine gives a frame near 10 % instead of none). */
#define THUMBCACHE_VIDEO_MAX_FRAMES 600

/* Renders a document's first page as RGBA scaled to fit max_w x max_h
 * (larger results are scaled down by the cache). Returns a new image
 * (ownership passes to the cache) or NULL with a one-line reason in err.
 * Called on the thread that called thumbcache_get, possibly on several
 * threads at once. */
typedef struct image *thumbcache_render_fn(void *userdata, const char *path,
					   int max_w, int max_h, char *err,
					   size_t err_size);

/* Counters since create; for tests and the health figures. */
struct thumbcache_stats {
	unsigned hits;        /* get or lookup answered from the disk */
	unsigned generated;   /* thumbnails made and written */
	unsigned failed;      /* thumbcache_get calls that returned NULL */
};

/* A cache in dir (created with its parents when missing) of thumbnails
 * that fit inside w x h (1..THUMBCACHE_MAX_SIDE). Removes temporary files
 * a crash left in dir. Returns NULL, with the reason logged, when dir
 * cannot be created or the size is out of range. A dir that exists but
 * cannot be written is accepted with a warning: thumbnails already there
 * are served, new ones fail. */
struct thumbcache *thumbcache_create(const char *dir, int w, int h);

/* Destroy tc; accepts NULL. No thumbcache_get may be running on it (call
 * thumbcache_cancel and join the threads that use it first). Files on
 * disk stay. */
void thumbcache_destroy(struct thumbcache *tc);

/* Let THUMB_DOCUMENT thumbnails be made by fn(userdata, ...). fn NULL
 * removes it. userdata must outlive its use. */
void thumbcache_set_document_renderer(struct thumbcache *tc,
				      thumbcache_render_fn *fn,
				      void *userdata);

/* The path of the PNG thumbnail of source_path as kind, made now when the
 * cache holds none for the file's current size and mtime. Returns a new
 * string (caller frees), or NULL with a one-line reason naming
 * source_path in err (missing or unreadable file, not decodable, no
 * document renderer, cache not writable, disk full, cancelled); nothing
 * is left behind in the cache directory then. Failures are not logged
 * here: the caller knows whether it is worth a warning. Blocking: making
 * a video thumbnail decodes from the key frame before 10 % (0.2-0.5 s
 * for a 1080p H.264 file on a two-core x86 machine; more on a Pi),
 * bounded by THUMBCACHE_VIDEO_TIMEOUT_MS and THUMBCACHE_VIDEO_MAX_FRAMES:
 * call it from a background thread. */
char *thumbcache_get(struct thumbcache *tc, const char *source_path,
		     enum thumb_kind kind, char *err, size_t err_size);

/* The path of source_path's current thumbnail as kind when the cache
 * already holds it, else NULL; never makes one. Cheap (a realpath, two
 * stats and a hash of a short string), so the main thread can show
 * cached thumbnails at once and hand the misses to a background thread
 * that calls thumbcache_get. Caller frees. Counted as a hit when found. */
char *thumbcache_lookup(struct thumbcache *tc, const char *source_path,
			enum thumb_kind kind);

/* Delete the thumbnails in the cache directory that are not the current
 * ones of a get or lookup made on tc since it was created (older versions
 * of a changed file, files no longer in the catalog, other box sizes).
 * Only names this module writes are touched. Call it after a pass that
 * asked for every item's thumbnail, or the others are deleted and made
 * again later. Returns the number of files deleted, or -1 (logged) when
 * the directory cannot be read. */
int thumbcache_prune(struct thumbcache *tc);

/* Make the thumbcache_get calls running on tc stop soon (at their next
 * read or decoded frame) and every later one fail at once with
 * "cancelled". For shutdown; any thread. Picture decoding and the
 * document renderer run to their end. */
void thumbcache_cancel(struct thumbcache *tc);

/* Copy tc's counters into *out. */
void thumbcache_get_stats(struct thumbcache *tc, struct thumbcache_stats *out);

#endif
