/*
 * test_support: helpers shared by the tests (see test_support.h).
 */
#define _GNU_SOURCE         /* dl_iterate_phdr, RTLD_NODELETE */
#include "test_support.h"

#include <dlfcn.h>
#include <link.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>
#include <libavcodec/avcodec.h>

#include "base/util.h"
#include "kiosk_build.h"
#include "media/image.h"

char *test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/kiosk-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpl)) {
		fail_msg("mkdtemp %s failed", tmpl);
	}
	return tmpl;
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
		    struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

void test_rmtree(const char *path)
{
	if (path)
		nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *test_source_path(const char *rel)
{
	const char *src = getenv("KIOSK_SOURCE_DIR");
	return path_join(src && *src ? src : KIOSK_SOURCE_DIR, rel);
}

char *test_build_path(const char *rel)
{
	const char *b = getenv("KIOSK_BUILD_DIR");
	return path_join(b && *b ? b : ".", rel);
}

void test_turned_pos(int rot, int W, int H, int lx, int ly, int *px, int *py)
{
	switch (rot) {
	case 0:   *px = lx;         *py = ly;         break;
	case 90:  *px = W - 1 - ly; *py = lx;         break;
	case 180: *px = W - 1 - lx; *py = H - 1 - ly; break;
	default:  *px = ly;         *py = H - 1 - lx; break;
	}
}

int test_slowdown(void)
{
	const char *v = getenv("KIOSK_TEST_SLOWDOWN");
	int n = v ? atoi(v) : 1;
	return n >= 1 && n <= 1000 ? n : 1;
}

bool test_emulated(void)
{
	const char *wrapper = getenv("MESON_EXE_WRAPPER");
	return wrapper && *wrapper;
}

char *test_program(const char *rel)
{
	char *path = test_build_path(rel);
	const char *wrapper = getenv("MESON_EXE_WRAPPER");
	if (!wrapper || !*wrapper)
		return path;
	/* written by every test that asks, through a rename so that tests
	 * running at once never see half a script (meson quotes the
	 * wrapper's words for the shell) */
	char *script = xasprintf("%s.wrapped", path);
	char *text = xasprintf("#!/bin/sh\nexec %s '%s' \"$@\"\n", wrapper, path);
	char *dir = xstrdup(script);
	*strrchr(dir, '/') = '\0';
	char *err = NULL;
	if (!file_replace(dir, script, text, 0755, &err))
		fail_msg("%s", err);
	free(dir);
	free(text);
	free(path);
	return script;
}

char *test_write_file(const char *dir, const char *rel, const char *text)
{
	char *path = path_join(dir, rel);
	char *slash = strrchr(path, '/');
	if (slash) {
		*slash = '\0';
		assert_true(mkdir_parents(path));
		*slash = '/';
	}
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

int test_system(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char cmd[4096];
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	if (rc == -1 || !WIFEXITED(rc))
		return -1;
	return WEXITSTATUS(rc);
}

SDL_Renderer *test_sdl_open(unsigned init_flags, int w, int h, SDL_Window **win)
{
	*win = NULL;
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	if (SDL_Init(init_flags) != 0)
		return NULL;
	*win = SDL_CreateWindow("test", 0, 0, w, h, SDL_WINDOW_HIDDEN);
	return *win ? SDL_CreateRenderer(*win, -1, SDL_RENDERER_SOFTWARE) : NULL;
}

SDL_Renderer *test_sdl_open_gles(int w, int h, SDL_Window **win)
{
	*win = NULL;
	if (test_emulated() || SDL_Init(SDL_INIT_VIDEO) != 0)
		return NULL;
	*win = SDL_CreateWindow("test", 0, 0, w, h, SDL_WINDOW_HIDDEN);
	int idx = -1;
	for (int i = 0; i < SDL_GetNumRenderDrivers(); i++) {
		SDL_RendererInfo info;
		if (SDL_GetRenderDriverInfo(i, &info) == 0 &&
		    !strcmp(info.name, "opengles2"))
			idx = i;
	}
	SDL_Renderer *r = *win && idx >= 0
		? SDL_CreateRenderer(*win, idx, SDL_RENDERER_ACCELERATED) : NULL;
	if (r)
		test_pin_gl_libraries();
	return r;
}

static int pin_one(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	static const char *const names[] = { "mesa", "dri", "LLVM", "glapi",
					     "gallium", "libEGL", "libGLES" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (info->dlpi_name && strstr(info->dlpi_name, names[i])) {
			void *h = dlopen(info->dlpi_name, RTLD_NOW | RTLD_NOLOAD |
					 RTLD_NODELETE);
			if (h)
				dlclose(h);
			break;
		}
	return 0;
}

void test_pin_gl_libraries(void)
{
	dl_iterate_phdr(pin_one, NULL);
}

void test_sdl_close(SDL_Window *win, SDL_Renderer *ren)
{
	if (ren)
		SDL_DestroyRenderer(ren);
	if (win)
		SDL_DestroyWindow(win);
	SDL_Quit();
}

/* ------------------------------------------------------------------ */
/* Golden images                                                       */
/* ------------------------------------------------------------------ */

/* Luma of an RGBA pixel (BT.601 weights, as grey conversions do). */
static int luma(const uint8_t *px)
{
	return (77 * px[0] + 150 * px[1] + 29 * px[2] + 128) >> 8;
}

/* img as an 8-bit grey PNG at path (libavcodec's encoder). */
static bool save_png_gray(const struct image *img, const char *path)
{
	const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
	AVCodecContext *enc = codec ? avcodec_alloc_context3(codec) : NULL;
	AVFrame *frame = av_frame_alloc();
	AVPacket *pkt = av_packet_alloc();
	uint8_t *gray = xmalloc((size_t)img->w * (size_t)img->h);
	bool ok = false;
	for (int y = 0; y < img->h; y++)
		for (int x = 0; x < img->w; x++)
			gray[(size_t)y * (size_t)img->w + (size_t)x] =
				(uint8_t)luma(img->pixels + (size_t)y * (size_t)img->pitch + 4 * (size_t)x);
	if (!enc || !frame || !pkt)
		goto out;
	enc->width = img->w;
	enc->height = img->h;
	enc->pix_fmt = AV_PIX_FMT_GRAY8;
	enc->time_base = (AVRational){ 1, 1 };
	enc->compression_level = 9;
	if (avcodec_open2(enc, codec, NULL) < 0)
		goto out;
	frame->format = AV_PIX_FMT_GRAY8;
	frame->width = img->w;
	frame->height = img->h;
	frame->data[0] = gray;
	frame->linesize[0] = img->w;
	frame->pts = 0;
	if (avcodec_send_frame(enc, frame) < 0 || avcodec_send_frame(enc, NULL) < 0 ||
	    avcodec_receive_packet(enc, pkt) < 0)
		goto out;
	FILE *f = fopen(path, "wb");
	if (!f)
		goto out;
	ok = fwrite(pkt->data, 1, (size_t)pkt->size, f) == (size_t)pkt->size;
	ok = fclose(f) == 0 && ok;
out:
	free(gray);
	av_packet_free(&pkt);
	av_frame_free(&frame);
	avcodec_free_context(&enc);
	return ok;
}

static bool save_png(const struct image *img, const char *path, bool gray)
{
	return gray ? save_png_gray(img, path) : image_save_png(img, path);
}

void test_golden_check(const struct image *img, const char *name, bool gray)
{
	char *stem = xstrdup(name);
	char *dot = strrchr(stem, '.');
	if (dot)
		*dot = '\0';
	char *actual_name = xasprintf("%s.actual.png", stem);
	char *actual = test_build_path(actual_name);
	char *rel = xasprintf("tests/golden/%s", name);
	char *golden = test_source_path(rel);
	struct image *ref = NULL;
	/* a failure is reported after everything is freed (fail_msg does
	 * not return) */
	char why[1024] = "";
	if (!save_png(img, actual, gray)) {
		snprintf(why, sizeof why, "cannot write %s", actual);
		goto done;
	}
	const char *update = getenv("KIOSK_UPDATE_GOLDEN");
	if ((update && *update == '1') || !file_exists(golden)) {
		if (!save_png(img, golden, gray)) {
			snprintf(why, sizeof why, "cannot write %s", golden);
			goto done;
		}
		print_message("golden image %s: %s (review it by eye!)\n",
			      update && *update == '1' ? "rewritten" : "written",
			      golden);
	}
	char err[256];
	ref = image_load(golden, 0, 0, err, sizeof err);
	if (!ref) {
		snprintf(why, sizeof why, "golden %s: %s (actual saved at %s)",
			 golden, err, actual);
		goto done;
	}
	if (ref->w != img->w || ref->h != img->h) {
		snprintf(why, sizeof why, "%s is %dx%d, the rendering %dx%d; see %s",
			 golden, ref->w, ref->h, img->w, img->h, actual);
		goto done;
	}
	size_t bad = 0;
	for (int y = 0; y < img->h; y++)
		for (int x = 0; x < img->w; x++) {
			const uint8_t *a = img->pixels + (size_t)y * (size_t)img->pitch + 4 * (size_t)x;
			const uint8_t *b = ref->pixels + (size_t)y * (size_t)ref->pitch + 4 * (size_t)x;
			if (gray) {
				bad += abs(luma(a) - b[0]) > TEST_GOLDEN_TOLERANCE;
				continue;
			}
			for (int c = 0; c < 3; c++)
				if (abs(a[c] - b[c]) > TEST_GOLDEN_TOLERANCE) {
					bad++;
					break;
				}
		}
	if (bad * 1000000 / ((size_t)img->w * (size_t)img->h) > TEST_GOLDEN_MAX_BAD_PPM)
		snprintf(why, sizeof why, "%zu pixels differ from %s; see %s", bad,
			 golden, actual);
done:
	image_destroy(ref);
	free(golden);
	free(rel);
	free(actual);
	free(actual_name);
	free(stem);
	if (why[0])
		fail_msg("%s", why);
}

int test_run_cli(test_cli_fn *fn, struct kiosk_config *cfg, const char *dir,
		 char **out, char **err, ...)
{
	char *argv[24];
	int argc = 0;
	va_list ap;
	va_start(ap, err);
	const char *a;
	while ((a = va_arg(ap, const char *)) && argc < 23)
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;

	char *out_path = path_join(dir, "cli.out");
	char *err_path = path_join(dir, "cli.err");
	fflush(stdout);
	fflush(stderr);
	int saved_out = dup(1), saved_err = dup(2);
	int fo = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fo >= 0 && fe >= 0);
	dup2(fo, 1);
	dup2(fe, 2);
	int rc = fn(cfg, argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	close(fo);
	close(fe);
	*out = file_read_all(out_path, NULL);
	*err = file_read_all(err_path, NULL);
	assert_non_null(*out);
	assert_non_null(*err);
	free(out_path);
	free(err_path);
	return rc;
}
