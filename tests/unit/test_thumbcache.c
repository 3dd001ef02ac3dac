/*
 * test_thumbcache: thumbnails of pictures, videos (made by the ffmpeg tool
 * at test time) and documents (through a stub renderer); the cache key,
 * atomic writes and failures that leave nothing behind.
 */
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/util.h"
#include "media/image.h"
#include "media/thumbcache.h"
#include "test_support.h"

struct fixture {
	char *dir;      /* sources */
	char *cache;    /* the cache directory (dir/thumbs) */
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->dir = test_tmpdir();
	f->cache = path_join(f->dir, "thumbs");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	chmod(f->cache, 0700);
	test_rmtree(f->dir);
	free(f->cache);
	free(f->dir);
	free(f);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Make dir/name with ffmpeg from a lavfi source; returns the path. */
static char *make_picture(const char *dir, const char *name, const char *src)
{
	char *path = path_join(dir, name);
	int rc = test_system("ffmpeg -nostdin -v error -y -f lavfi -i '%s' "
			     "-frames:v 1 '%s'", src, path);
	assert_int_equal(rc, 0);
	return path;
}

/* Make dir/name, an H.264 MP4, from a lavfi filter graph and extra
 * output options; returns the path. */
static char *make_video(const char *dir, const char *name, const char *graph,
			const char *opts)
{
	char *path = path_join(dir, name);
	int rc = test_system("ffmpeg -nostdin -v error -y -filter_complex '%s' "
			     "-c:v libx264 -pix_fmt yuv420p %s '%s'",
			     graph, opts, path);
	assert_int_equal(rc, 0);
	return path;
}

/* Ten one-second segments of these colours, 320x240 at 25 fps. */
static const uint32_t segment_rgb[10] = {
	0xE02020, 0x20C020, 0x2040E0, 0xE0E020, 0x20E0E0,
	0xE020E0, 0x808080, 0xF08000, 0x0080F0, 0x804000,
};

static char *make_segments_video(const char *dir, const char *name,
				 const char *opts)
{
	char graph[2048] = "";
	size_t n = 0;
	for (int i = 0; i < 10; i++)
		n += (size_t)snprintf(graph + n, sizeof graph - n,
				      "color=c=0x%06X:s=320x240:r=25:d=1[s%d];",
				      (unsigned)segment_rgb[i], i);
	for (int i = 0; i < 10; i++)
		n += (size_t)snprintf(graph + n, sizeof graph - n, "[s%d]", i);
	snprintf(graph + n, sizeof graph - n, "concat=n=10:v=1:a=0");
	return make_video(dir, name, graph, opts);
}

static struct image *load(const char *path)
{
	char err[256];
	struct image *img = image_load(path, 0, 0, err, sizeof err);
	if (!img)
		fail_msg("cannot load %s: %s", path, err);
	return img;
}

static const uint8_t *pixel_at(const struct image *img, int x, int y)
{
	return img->pixels + (size_t)y * (size_t)img->pitch + (size_t)x * 4;
}

static bool pixel_near(const struct image *img, int x, int y, uint32_t rgb,
		       int tol)
{
	const uint8_t *p = pixel_at(img, x, y);
	int r = (int)(rgb >> 16) & 0xFF, g = (int)(rgb >> 8) & 0xFF, b = (int)rgb & 0xFF;
	return abs(p[0] - r) <= tol && abs(p[1] - g) <= tol && abs(p[2] - b) <= tol;
}

static void assert_pixel_near(const struct image *img, int x, int y,
			      uint32_t rgb, int tol)
{
	if (!pixel_near(img, x, y, rgb, tol)) {
		const uint8_t *p = pixel_at(img, x, y);
		fail_msg("pixel (%d,%d) is %02X%02X%02X; expected %06X +-%d", x, y,
			 p[0], p[1], p[2], (unsigned)rgb, tol);
	}
}

/* Entries in dir other than . and ..; *tmp counts temporary files. */
static int count_entries(const char *dir, int *tmp)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	if (tmp)
		*tmp = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n++;
		if (tmp && strncmp(e->d_name, ".thumbcache-tmp-", 16) == 0)
			(*tmp)++;
	}
	closedir(d);
	return n;
}

static void assert_no_tmp(const char *dir)
{
	int tmp;
	count_entries(dir, &tmp);
	assert_int_equal(tmp, 0);
}

/* A thumbnail path is cache/<64 hex>.png. */
static void assert_key_path(const char *cache, const char *path)
{
	size_t n = strlen(cache);
	assert_memory_equal(path, cache, n);
	assert_int_equal(path[n], '/');
	const char *name = path + n + 1;
	assert_int_equal(strlen(name), 64 + 4);
	assert_string_equal(name + 64, ".png");
	for (int i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", name[i]));
}

static struct thumbcache_stats stats(struct thumbcache *tc)
{
	struct thumbcache_stats s;
	thumbcache_get_stats(tc, &s);
	return s;
}

/* One thumbcache_get on a thread of its own. */
struct worker {
	struct thumbcache *tc;
	const char *src;
	enum thumb_kind kind;
	char *result;
	char err[256];
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	w->result = thumbcache_get(w->tc, w->src, w->kind, w->err, sizeof w->err);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* Pictures                                                            */
/* ------------------------------------------------------------------ */

static void test_create_bad_args(void **state)
{
	struct fixture *f = *state;
	assert_null(thumbcache_create(f->cache, 0, 100));
	assert_null(thumbcache_create(f->cache, 100, -1));
	assert_null(thumbcache_create(f->cache, THUMBCACHE_MAX_SIDE + 1, 100));
	assert_null(thumbcache_create("", 100, 100));
	thumbcache_destroy(NULL);

	/* The directory is made with its parents. */
	char *deep = path_join(f->dir, "a/b/thumbs");
	struct thumbcache *tc = thumbcache_create(deep, 100, 100);
	assert_non_null(tc);
	assert_true(dir_exists(deep));
	thumbcache_destroy(tc);
	free(deep);
}

static void test_picture_fits_box(void **state)
{
	struct fixture *f = *state;
	char *land = make_picture(f->dir, "land.png", "testsrc2=size=320x240");
	char *port = make_picture(f->dir, "port.jpg", "color=c=0x3080C0:size=200x400");
	char *tiny = make_picture(f->dir, "tiny.png", "color=c=0xC02040:size=40x30");
	struct thumbcache *tc = thumbcache_create(f->cache, 100, 100);
	assert_non_null(tc);
	char err[256];

	char *t = thumbcache_get(tc, land, THUMB_PICTURE, err, sizeof err);
	assert_non_null(t);
	assert_key_path(f->cache, t);
	struct image *img = load(t);
	assert_int_equal(img->w, 100);
	assert_int_equal(img->h, 75);
	image_destroy(img);
	free(t);

	t = thumbcache_get(tc, port, THUMB_PICTURE, err, sizeof err);
	assert_non_null(t);
	img = load(t);
	assert_int_equal(img->w, 50);
	assert_int_equal(img->h, 100);
	assert_pixel_near(img, 25, 50, 0x3080C0, 12);
	image_destroy(img);
	free(t);

	/* Never scaled up. */
	t = thumbcache_get(tc, tiny, THUMB_PICTURE, err, sizeof err);
	assert_non_null(t);
	img = load(t);
	assert_int_equal(img->w, 40);
	assert_int_equal(img->h, 30);
	assert_pixel_near(img, 20, 15, 0xC02040, 6);
	image_destroy(img);
	free(t);

	assert_int_equal(stats(tc).generated, 3);
	assert_int_equal(count_entries(f->cache, NULL), 3);
	thumbcache_destroy(tc);
	free(land);
	free(port);
	free(tiny);
}

static void test_second_call_is_cached(void **state)
{
	struct fixture *f = *state;
	char *src = make_picture(f->dir, "p.png", "testsrc2=size=320x240");
	struct thumbcache *tc = thumbcache_create(f->cache, 64, 64);
	char err[256];
	/* A lookup never makes one. */
	assert_null(thumbcache_lookup(tc, src, THUMB_PICTURE));
	assert_int_equal(count_entries(f->cache, NULL), 0);
	char *a = thumbcache_get(tc, src, THUMB_PICTURE, err, sizeof err);
	assert_non_null(a);
	char *found = thumbcache_lookup(tc, src, THUMB_PICTURE);
	assert_non_null(found);
	assert_string_equal(found, a);
	free(found);
	struct stat st1, st2;
	assert_int_equal(stat(a, &st1), 0);

	char *b = thumbcache_get(tc, src, THUMB_PICTURE, err, sizeof err);
	assert_non_null(b);
	assert_string_equal(a, b);
	assert_int_equal(stat(b, &st2), 0);
	assert_int_equal(st1.st_ino, st2.st_ino);
	assert_int_equal(st1.st_mtim.tv_sec, st2.st_mtim.tv_sec);
	assert_int_equal(st1.st_mtim.tv_nsec, st2.st_mtim.tv_nsec);
	struct thumbcache_stats s = stats(tc);
	assert_int_equal(s.generated, 1);
	assert_int_equal(s.hits, 2);
	assert_int_equal(s.failed, 0);
	thumbcache_destroy(tc);

	/* A new cache on the same directory (the next run) finds it too, as
	 * does a relative path to the same file. */
	tc = thumbcache_create(f->cache, 64, 64);
	char *cwd = getcwd(NULL, 0);
	assert_int_equal(chdir(f->dir), 0);
	char *c = thumbcache_get(tc, "./p.png", THUMB_PICTURE, err, sizeof err);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	assert_non_null(c);
	assert_string_equal(a, c);
	assert_int_equal(stats(tc).generated, 0);
	assert_int_equal(stats(tc).hits, 1);

	/* Another box size or kind is another thumbnail. */
	struct thumbcache *big = thumbcache_create(f->cache, 128, 128);
	char *d = thumbcache_get(big, src, THUMB_PICTURE, err, sizeof err);
	assert_non_null(d);
	assert_string_not_equal(a, d);
	char *e = thumbcache_get(tc, src, THUMB_VIDEO, err, sizeof err);
	assert_non_null(e);
	assert_string_not_equal(a, e);

	thumbcache_destroy(big);
	thumbcache_destroy(tc);
	free(a);
	free(b);
	free(c);
	free(d);
	free(e);
	free(src);
}

static void test_changed_source_new_path_and_prune(void **state)
{
	struct fixture *f = *state;
	char *src = make_picture(f->dir, "poster.png", "color=c=0xE02020:size=160x120");
	char *other = make_picture(f->dir, "other.png", "color=c=0x2040E0:size=160x120");
	struct thumbcache *tc = thumbcache_create(f->cache, 80, 80);
	char err[256];

	/* A thumbnail of a file from an earlier run, no longer asked for. */
	struct thumbcache *earlier = thumbcache_create(f->cache, 80, 80);
	char *gone = thumbcache_get(earlier, other, THUMB_PICTURE, err, sizeof err);
	assert_non_null(gone);
	thumbcache_destroy(earlier);

	char *v1 = thumbcache_get(tc, src, THUMB_PICTURE, err, sizeof err);
	assert_non_null(v1);

	/* Touched: only the mtime changes (by a nanosecond). */
	struct stat st;
	assert_int_equal(stat(src, &st), 0);
	struct timespec times[2] = { st.st_atim, st.st_mtim };
	times[1].tv_nsec = (times[1].tv_nsec + 1) % 1000000000;
	assert_int_equal(utimensat(AT_FDCWD, src, times, 0), 0);
	char *v2 = thumbcache_get(tc, src, THUMB_PICTURE, err, sizeof err);
	assert_non_null(v2);
	assert_string_not_equal(v1, v2);

	/* Rewritten with other content: new path, new picture. */
	char *again = make_picture(f->dir, "poster.png", "color=c=0x20C020:size=160x120");
	char *v3 = thumbcache_get(tc, src, THUMB_PICTURE, err, sizeof err);
	assert_non_null(v3);
	assert_string_not_equal(v2, v3);
	struct image *img = load(v3);
	assert_pixel_near(img, 40, 30, 0x20C020, 6);
	image_destroy(img);
	assert_int_equal(stats(tc).generated, 3);

	/* Old versions stay until pruned; prune keeps the current one and
	 * files that are not thumbnails. */
	assert_true(file_exists(v1));
	assert_true(file_exists(v2));
	char *notes = test_write_file(f->cache, "README", "not a thumbnail\n");
	char *upper = test_write_file(f->cache,
		"ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789.png",
		"not ours either\n");
	assert_int_equal(thumbcache_prune(tc), 3);
	assert_false(file_exists(v1));
	assert_false(file_exists(v2));
	assert_false(file_exists(gone));
	assert_true(file_exists(v3));
	assert_true(file_exists(notes));
	assert_true(file_exists(upper));
	assert_int_equal(thumbcache_prune(tc), 0);

	/* The pruned one is made again when asked for. */
	char *back = thumbcache_get(tc, other, THUMB_PICTURE, err, sizeof err);
	assert_non_null(back);
	assert_string_equal(back, gone);
	assert_true(file_exists(back));

	thumbcache_destroy(tc);
	free(back);
	free(upper);
	free(notes);
	free(again);
	free(v3);
	free(v2);
	free(v1);
	free(gone);
	free(other);
	free(src);
}

/* ------------------------------------------------------------------ */
/* Videos                                                              */
/* ------------------------------------------------------------------ */

static void test_video_frame_at_10_percent(void **state)
{
	struct fixture *f = *state;
	/* One key frame for the whole clip (x264's default GOP of 250, with
	 * B-frames), then a key frame every 12 frames, then VP9 in WebM. */
	char *clips[3] = {
		make_segments_video(f->dir, "long-gop.mp4", ""),
		make_segments_video(f->dir, "short-gop.mp4", "-g 12"),
		NULL,
	};
	char *webm = path_join(f->dir, "clip.webm");
	assert_int_equal(test_system("ffmpeg -nostdin -v error -y -i '%s' -c:v libvpx-vp9 "
				     "-deadline realtime -cpu-used 8 -b:v 200k '%s'",
				     clips[0], webm), 0);
	clips[2] = webm;

	struct thumbcache *tc = thumbcache_create(f->cache, 160, 160);
	for (int i = 0; i < 3; i++) {
		char err[256];
		char *t = thumbcache_get(tc, clips[i], THUMB_VIDEO, err, sizeof err);
		if (!t)
			fail_msg("%s", err);
		struct image *img = load(t);
		assert_int_equal(img->w, 160);
		assert_int_equal(img->h, 120);
		/* the frame at 1.0 s is the second segment's */
		assert_pixel_near(img, 80, 60, segment_rgb[1], 24);
		assert_pixel_near(img, 5, 5, segment_rgb[1], 24);
		image_destroy(img);
		free(t);
		free(clips[i]);
	}
	thumbcache_destroy(tc);
}

static void test_video_exact_frame(void **state)
{
	struct fixture *f = *state;
	/* Frame n is grey with luma 16 + 10 (n - 10) (clipped), losslessly
	 * coded with B-frames and one key frame: 10 % of 10 s is frame 25,
	 * and its neighbours are 10 luma steps away. */
	char *clip = make_video(f->dir, "frames.mp4",
		"color=c=black:s=64x48:r=25:d=10,format=yuv420p,"
		"geq=lum=clip(16+10*(N-10)\\,16\\,235):cb=128:cr=128",
		"-qp 0 -bf 3");
	struct thumbcache *tc = thumbcache_create(f->cache, 64, 64);
	char err[256];
	char *t = thumbcache_get(tc, clip, THUMB_VIDEO, err, sizeof err);
	if (!t)
		fail_msg("%s", err);
	struct image *img = load(t);
	int y = 16 + 10 * (25 - 10);
	int grey = (int)lrint((y - 16) * 255.0 / 219.0);
	uint32_t rgb = (uint32_t)(grey << 16 | grey << 8 | grey);
	assert_pixel_near(img, 32, 24, rgb, 4);
	image_destroy(img);
	free(t);
	thumbcache_destroy(tc);
	free(clip);
}

static void test_video_aspect_and_rotation(void **state)
{
	struct fixture *f = *state;
	struct thumbcache *tc = thumbcache_create(f->cache, 160, 160);
	char err[256];

	/* 320x240 pixels twice as wide as high: shown 640x240. */
	char *sar = make_video(f->dir, "sar.mp4", "testsrc2=s=320x240:d=2,setsar=2",
			       "");
	char *t = thumbcache_get(tc, sar, THUMB_VIDEO, err, sizeof err);
	if (!t)
		fail_msg("%s", err);
	struct image *img = load(t);
	assert_int_equal(img->w, 160);
	assert_int_equal(img->h, 60);
	image_destroy(img);
	free(t);

	/* Red over blue, with a display matrix: shown turned as ffmpeg's
	 * autorotate turns it (red on the left). */
	char *plain = make_video(f->dir, "tb.mp4",
		"color=c=red:s=320x120:d=2[a];color=c=blue:s=320x120:d=2[b];[a][b]vstack",
		"");
	char *rot = path_join(f->dir, "rot.mp4");
	assert_int_equal(test_system("ffmpeg -nostdin -v error -y -i '%s' -c copy "
				     "-metadata:s:v:0 rotate=90 '%s'", plain, rot), 0);
	char *ref = path_join(f->dir, "rot-ref.png");
	assert_int_equal(test_system("ffmpeg -nostdin -v error -y -i '%s' -frames:v 1 '%s'",
				     rot, ref), 0);
	struct image *want = load(ref);
	assert_int_equal(want->w, 240);
	assert_int_equal(want->h, 320);
	t = thumbcache_get(tc, rot, THUMB_VIDEO, err, sizeof err);
	if (!t)
		fail_msg("%s", err);
	img = load(t);
	assert_int_equal(img->w, 120);
	assert_int_equal(img->h, 160);
	const uint8_t *l = pixel_at(want, 30, 160), *r = pixel_at(want, 210, 160);
	uint32_t left = (uint32_t)(l[0] << 16 | l[1] << 8 | l[2]);
	uint32_t right = (uint32_t)(r[0] << 16 | r[1] << 8 | r[2]);
	assert_pixel_near(img, 15, 80, left, 24);
	assert_pixel_near(img, 105, 80, right, 24);
	assert_false(pixel_near(img, 15, 80, right, 24));
	image_destroy(img);
	image_destroy(want);
	free(t);

	thumbcache_destroy(tc);
	free(ref);
	free(rot);
	free(plain);
	free(sar);
}

static void test_audio_cover_art(void **state)
{
	struct fixture *f = *state;
	char *cover = make_picture(f->dir, "cover.png", "color=c=0x2060A0:size=200x200");
	char *song = path_join(f->dir, "song.mp3");
	assert_int_equal(test_system("ffmpeg -nostdin -v error -y -f lavfi -i sine=d=3 "
				     "-i '%s' -map 0 -map 1 -c:a libmp3lame -c:v png "
				     "-disposition:v attached_pic '%s'", cover, song), 0);
	struct thumbcache *tc = thumbcache_create(f->cache, 100, 100);
	char err[256];
	char *t = thumbcache_get(tc, song, THUMB_VIDEO, err, sizeof err);
	if (!t)
		fail_msg("%s", err);
	struct image *img = load(t);
	assert_int_equal(img->w, 100);
	assert_int_equal(img->h, 100);
	assert_pixel_near(img, 50, 50, 0x2060A0, 4);
	image_destroy(img);
	free(t);
	thumbcache_destroy(tc);
	free(song);
	free(cover);
}

static void write_random(const char *path, size_t len, unsigned seed)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	srand(seed);
	for (size_t i = 0; i < len; i++)
		fputc(rand() & 0xFF, fp);
	assert_int_equal(fclose(fp), 0);
}

static void test_bad_sources_fail_naming_the_file(void **state)
{
	struct fixture *f = *state;
	struct thumbcache *tc = thumbcache_create(f->cache, 100, 100);
	char err[256];

	char *noise = path_join(f->dir, "noise.mp4");
	write_random(noise, 64 * 1024, 7);
	char *cut = make_video(f->dir, "cut.mp4", "testsrc2=s=320x240:d=2", "");
	assert_int_equal(test_system("truncate -s 2000 '%s'", cut), 0);
	char *missing = path_join(f->dir, "missing.mp4");
	char *audio = path_join(f->dir, "audio.wav");
	assert_int_equal(test_system("ffmpeg -nostdin -v error -y -f lavfi -i "
				     "sine=d=1 '%s'", audio), 0);

	const char *bad[] = { noise, cut, missing, audio, f->dir };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		for (int kind = THUMB_PICTURE; kind <= THUMB_VIDEO; kind++) {
			snprintf(err, sizeof err, "unchanged");
			char *t = thumbcache_get(tc, bad[i], (enum thumb_kind)kind,
						 err, sizeof err);
			if (t)
				fail_msg("%s (kind %d) gave a thumbnail", bad[i], kind);
			if (!strstr(err, bad[i]) || strlen(err) < strlen(bad[i]) + 4)
				fail_msg("reason for %s: '%s'", bad[i], err);
		}
	}
	char *t = thumbcache_get(tc, missing, THUMB_VIDEO, err, sizeof err);
	assert_null(t);
	assert_non_null(strstr(err, "No such file"));
	t = thumbcache_get(tc, f->dir, THUMB_VIDEO, err, sizeof err);
	assert_null(t);
	assert_non_null(strstr(err, "not a regular file"));
	assert_null(thumbcache_get(tc, "", THUMB_VIDEO, err, sizeof err));
	assert_null(thumbcache_get(tc, NULL, THUMB_VIDEO, err, sizeof err));

	/* Nothing at all was written, and each failure was counted. */
	assert_int_equal(count_entries(f->cache, NULL), 0);
	struct thumbcache_stats s = stats(tc);
	assert_int_equal(s.failed, 2 * ARRAY_LEN(bad) + 4);
	assert_int_equal(s.generated, 0);

	thumbcache_destroy(tc);
	free(audio);
	free(missing);
	free(cut);
	free(noise);
}

static void test_video_1080p_timing(void **state)
{
	struct fixture *f = *state;
	/* 30 s of 1080p30 with a key frame every 10 s: 10 % is 3 s, so 90
	 * frames are decoded from the key frame at 0. */
	char *clip = path_join(f->dir, "hd.mp4");
	assert_int_equal(test_system("ffmpeg -nostdin -v error -y -f lavfi -i "
				     "testsrc2=s=1920x1080:r=30:d=30 -c:v libx264 "
				     "-preset superfast -g 300 -pix_fmt yuv420p '%s'",
				     clip), 0);
	struct thumbcache *tc = thumbcache_create(f->cache, 320, 180);
	char err[256];
	double t0 = now_s();
	char *t = thumbcache_get(tc, clip, THUMB_VIDEO, err, sizeof err);
	double made = now_s() - t0;
	if (!t)
		fail_msg("%s", err);
	t0 = now_s();
	char *again = thumbcache_get(tc, clip, THUMB_VIDEO, err, sizeof err);
	double hit = now_s() - t0;
	assert_non_null(again);
	struct stat st;
	assert_int_equal(stat(t, &st), 0);
	struct image *img = load(t);
	assert_int_equal(img->w, 320);
	assert_int_equal(img->h, 180);
	printf("thumbcache: 1080p H.264 video thumbnail (10 %% of 30 s, key frame "
	       "every 10 s) made in %.0f ms, %lld bytes; cached lookup %.2f ms\n",
	       made * 1e3, (long long)st.st_size, hit * 1e3);
	image_destroy(img);
	thumbcache_destroy(tc);
	free(again);
	free(t);
	free(clip);
}

/* ------------------------------------------------------------------ */
/* Documents                                                           */
/* ------------------------------------------------------------------ */

struct stub_renderer {
	int calls;
	int w, h;             /* size of the page it returns */
	bool fail;
	char last_path[512];
};

static struct image *stub_render(void *userdata, const char *path, int max_w,
				 int max_h, char *err, size_t err_size)
{
	struct stub_renderer *r = userdata;
	r->calls++;
	snprintf(r->last_path, sizeof r->last_path, "%s", path);
	assert_int_equal(max_w, 100);
	assert_int_equal(max_h, 100);
	if (r->fail) {
		snprintf(err, err_size, "page 1 cannot be rendered");
		return NULL;
	}
	struct image *img = image_create(r->w, r->h);
	for (int y = 0; y < img->h; y++)
		for (int x = 0; x < img->w; x++) {
			uint8_t *p = img->pixels + (size_t)y * img->pitch + (size_t)x * 4;
			p[0] = 0x20; p[1] = 0x60; p[2] = 0xA0; p[3] = 0xFF;
		}
	return img;
}

static void test_document_renderer(void **state)
{
	struct fixture *f = *state;
	char *doc = test_write_file(f->dir, "leaflet.pdf", "%PDF-1.4 stub\n");
	struct thumbcache *tc = thumbcache_create(f->cache, 100, 100);
	char err[256];

	/* Without a renderer: a clear error. */
	char *t = thumbcache_get(tc, doc, THUMB_DOCUMENT, err, sizeof err);
	assert_null(t);
	assert_non_null(strstr(err, doc));
	assert_non_null(strstr(err, "no document renderer"));

	/* A page larger than the box is scaled down. */
	struct stub_renderer r = { .w = 400, .h = 300 };
	thumbcache_set_document_renderer(tc, stub_render, &r);
	t = thumbcache_get(tc, doc, THUMB_DOCUMENT, err, sizeof err);
	if (!t)
		fail_msg("%s", err);
	assert_int_equal(r.calls, 1);
	assert_string_equal(r.last_path, doc);
	struct image *img = load(t);
	assert_int_equal(img->w, 100);
	assert_int_equal(img->h, 75);
	assert_pixel_near(img, 50, 37, 0x2060A0, 2);
	image_destroy(img);

	/* Cached: not rendered again. */
	char *t2 = thumbcache_get(tc, doc, THUMB_DOCUMENT, err, sizeof err);
	assert_non_null(t2);
	assert_string_equal(t, t2);
	assert_int_equal(r.calls, 1);
	free(t2);
	free(t);

	/* The renderer's failure, with the file named. */
	char *doc2 = test_write_file(f->dir, "broken.pdf", "not a pdf\n");
	r.fail = true;
	t = thumbcache_get(tc, doc2, THUMB_DOCUMENT, err, sizeof err);
	assert_null(t);
	assert_non_null(strstr(err, doc2));
	assert_non_null(strstr(err, "page 1 cannot be rendered"));
	assert_int_equal(count_entries(f->cache, NULL), 1);

	thumbcache_set_document_renderer(tc, NULL, NULL);
	t = thumbcache_get(tc, doc2, THUMB_DOCUMENT, err, sizeof err);
	assert_null(t);
	assert_non_null(strstr(err, "no document renderer"));

	thumbcache_destroy(tc);
	free(doc2);
	free(doc);
}

/* ------------------------------------------------------------------ */
/* Writing failures                                                    */
/* ------------------------------------------------------------------ */

static void test_unwritable_cache_dir(void **state)
{
	struct fixture *f = *state;
	if (geteuid() == 0) {
		/* root writes into a 0500 directory all the same */
		skip();
	}
	char *src = make_picture(f->dir, "p.png", "testsrc2=size=320x240");
	assert_true(mkdir_parents(f->cache));
	assert_int_equal(chmod(f->cache, 0500), 0);
	struct thumbcache *tc = thumbcache_create(f->cache, 100, 100);
	assert_non_null(tc);
	char err[256];
	char *t = thumbcache_get(tc, src, THUMB_PICTURE, err, sizeof err);
	assert_null(t);
	assert_non_null(strstr(err, src));
	assert_non_null(strstr(err, "Permission denied"));
	assert_int_equal(count_entries(f->cache, NULL), 0);
	thumbcache_destroy(tc);
	assert_int_equal(chmod(f->cache, 0700), 0);
	free(src);
}

static void test_cache_dir_removed(void **state)
{
	struct fixture *f = *state;
	char *src = make_picture(f->dir, "p.png", "testsrc2=size=320x240");
	struct thumbcache *tc = thumbcache_create(f->cache, 100, 100);
	assert_non_null(tc);
	/* a file where the directory was */
	assert_int_equal(rmdir(f->cache), 0);
	char *blocker = test_write_file(f->dir, "thumbs", "x");
	char err[256];
	char *t = thumbcache_get(tc, src, THUMB_PICTURE, err, sizeof err);
	assert_null(t);
	assert_non_null(strstr(err, src));
	assert_non_null(strstr(err, "cannot write its thumbnail"));
	assert_non_null(strstr(err, "Not a directory"));
	thumbcache_destroy(tc);
	free(blocker);
	free(src);
}

static void test_disk_full_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	/* A picture whose thumbnail is well over 1 KiB. */
	char *src = make_picture(f->dir, "p.png", "testsrc2=size=320x240");
	struct thumbcache *tc = thumbcache_create(f->cache, 200, 200);
	char err[256];

	/* The file size limit makes write(2) fail (EFBIG) part way, as a
	 * full disk would (ENOSPC). */
	void (*old)(int) = signal(SIGXFSZ, SIG_IGN);
	struct rlimit saved, lim;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	lim = saved;
	lim.rlim_cur = 1024;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	char *t = thumbcache_get(tc, src, THUMB_PICTURE, err, sizeof err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
	signal(SIGXFSZ, old);

	assert_null(t);
	assert_non_null(strstr(err, src));
	assert_non_null(strstr(err, "cannot write its thumbnail"));
	assert_non_null(strstr(err, "File too large"));
	assert_int_equal(count_entries(f->cache, NULL), 0);

	/* The next call tries again, and succeeds. */
	t = thumbcache_get(tc, src, THUMB_PICTURE, err, sizeof err);
	assert_non_null(t);
	struct image *img = load(t);
	assert_int_equal(img->w, 200);
	image_destroy(img);
	assert_int_equal(count_entries(f->cache, NULL), 1);
	struct thumbcache_stats s = stats(tc);
	assert_int_equal(s.failed, 1);
	assert_int_equal(s.generated, 1);
	thumbcache_destroy(tc);
	free(t);
	free(src);
}

static void test_stale_tmp_removed_at_create(void **state)
{
	struct fixture *f = *state;
	assert_true(mkdir_parents(f->cache));
	char *stale = test_write_file(f->cache, ".thumbcache-tmp-0123abcd-Xy12Z9",
				      "half a PNG");
	char *keep = test_write_file(f->cache, "notes.txt", "kept");
	char *foreign = test_write_file(f->cache, ".tmp-someone-else", "kept");
	struct thumbcache *tc = thumbcache_create(f->cache, 100, 100);
	assert_non_null(tc);
	assert_false(file_exists(stale));
	assert_true(file_exists(keep));
	assert_true(file_exists(foreign));
	assert_no_tmp(f->cache);
	thumbcache_destroy(tc);
	free(foreign);
	free(keep);
	free(stale);
}

/* A renderer that cancels its cache, then renders a page. */
static struct image *cancelling_render(void *userdata, const char *path,
				       int max_w, int max_h, char *err,
				       size_t err_size)
{
	thumbcache_cancel(userdata);
	return image_create(max_w, max_h);
}

static void test_cancel(void **state)
{
	struct fixture *f = *state;
	char *src = make_picture(f->dir, "p.png", "testsrc2=size=320x240");
	struct thumbcache *tc = thumbcache_create(f->cache, 100, 100);
	thumbcache_cancel(tc);
	char err[256];
	assert_null(thumbcache_get(tc, src, THUMB_PICTURE, err, sizeof err));
	assert_non_null(strstr(err, src));
	assert_non_null(strstr(err, "cancelled"));
	assert_int_equal(count_entries(f->cache, NULL), 0);
	thumbcache_destroy(tc);

	/* Cancelled while the thumbnail is being made (by the renderer
	 * itself, so the moment is known): nothing is written. */
	tc = thumbcache_create(f->cache, 100, 100);
	thumbcache_set_document_renderer(tc, cancelling_render, tc);
	assert_null(thumbcache_get(tc, src, THUMB_DOCUMENT, err, sizeof err));
	assert_non_null(strstr(err, src));
	assert_non_null(strstr(err, "cancelled"));
	assert_int_equal(count_entries(f->cache, NULL), 0);
	thumbcache_destroy(tc);

	/* Cancelled from another thread during a video thumbnail: it stops
	 * (or had finished), and leaves no temporary file. */
	char *vid = make_video(f->dir, "v.mp4", "testsrc2=s=1280x720:d=20", "-g 600");
	tc = thumbcache_create(f->cache, 100, 100);
	struct worker w = { .tc = tc, .src = vid, .kind = THUMB_VIDEO };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, worker_main, &w), 0);
	usleep(20 * 1000);
	thumbcache_cancel(tc);
	assert_int_equal(pthread_join(th, NULL), 0);
	if (w.result) {
		assert_true(file_exists(w.result));
		free(w.result);
	} else {
		assert_non_null(strstr(w.err, "cancelled"));
	}
	printf("thumbcache: video thumbnail %s when cancelled after 20 ms\n",
	       w.result ? "had finished" : "stopped");
	assert_no_tmp(f->cache);
	thumbcache_destroy(tc);
	free(vid);
	free(src);
}

/* ------------------------------------------------------------------ */
/* Threads                                                             */
/* ------------------------------------------------------------------ */

static void test_threads(void **state)
{
	struct fixture *f = *state;
	char *pic = make_picture(f->dir, "p.png", "testsrc2=size=320x240");
	char *vid = make_video(f->dir, "v.mp4", "testsrc2=s=320x240:d=2", "");
	struct thumbcache *tc = thumbcache_create(f->cache, 100, 100);
	struct worker w[6];
	pthread_t th[6];
	for (int i = 0; i < 6; i++) {
		w[i] = (struct worker){ .tc = tc, .src = i % 2 ? vid : pic,
					.kind = i % 2 ? THUMB_VIDEO : THUMB_PICTURE };
		assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	}
	for (int i = 0; i < 6; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < 6; i++) {
		if (!w[i].result)
			fail_msg("%s", w[i].err);
		assert_string_equal(w[i].result, w[i % 2].result);
	}
	/* Same thumbnail made at the same time by several threads: still
	 * one whole file each, no temporary left. */
	assert_int_equal(count_entries(f->cache, NULL), 2);
	for (int i = 0; i < 2; i++) {
		struct image *img = load(w[i].result);
		assert_int_equal(img->w, 100);
		image_destroy(img);
	}
	for (int i = 0; i < 6; i++)
		free(w[i].result);
	thumbcache_destroy(tc);
	free(vid);
	free(pic);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_bad_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_picture_fits_box, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_call_is_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_source_new_path_and_prune, setup, teardown),
		cmocka_unit_test_setup_teardown(test_video_frame_at_10_percent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_video_exact_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(test_video_aspect_and_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audio_cover_art, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_sources_fail_naming_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_document_renderer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_cache_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_dir_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disk_full_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_tmp_removed_at_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_video_1080p_timing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
