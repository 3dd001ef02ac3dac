/*
 * test_support: helpers shared by the cmocka tests: a temporary directory
 * per test, paths into the source tree, writing small files.
 */
#ifndef KIOSK_TEST_SUPPORT_H
#define KIOSK_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

/* A new empty directory under $TMPDIR (or /tmp); caller frees the string
 * and removes the tree with test_rmtree. Fails the test on error. */
char *test_tmpdir(void);

/* Remove a directory tree; accepts NULL. */
void test_rmtree(const char *path);

/* Path of a file in the source tree ($KIOSK_SOURCE_DIR / rel, falling
 * back to the compiled-in source dir). Caller frees. */
char *test_source_path(const char *rel);

/* Path in the build tree ($KIOSK_BUILD_DIR / rel). Caller frees. */
char *test_build_path(const char *rel);

/* How many times slower than a plain build this test runs, for its time
 * limits: KIOSK_TEST_SLOWDOWN (valgrind and qemu runs set it; 1..1000,
 * default 1). */
int test_slowdown(void);

/* Where the pixel (lx, ly) of the scenes' picture lands on a W x H
 * screen turned clockwise by rot (0, 90, 180, 270): the turn written out
 * apart from ui/screen.c, for the tests of it. */
void test_turned_pos(int rot, int W, int H, int lx, int ly, int *px, int *py);

/* The tests run under an emulator (a cross build's: meson's
 * MESON_EXE_WRAPPER is set, e.g. to qemu-aarch64). */
bool test_emulated(void);

/* A program built in the build tree, to run from a test (exec, popen,
 * test_system): test_build_path(rel), or, in a cross build whose tests
 * run under an emulator (meson's MESON_EXE_WRAPPER, e.g. qemu-aarch64),
 * a small shell script beside it that runs it through the emulator.
 * Caller frees. */
char *test_program(const char *rel);

/* Write text to dir/rel, creating parent directories. Fails the test on
 * error. Returns the full path; caller frees. */
char *test_write_file(const char *dir, const char *rel, const char *text);

/* A command's main function (cli.h). */
struct kiosk_config;
typedef int test_cli_fn(struct kiosk_config *cfg, int argc, char **argv);

/* Run fn(cfg, argc, argv), argv being the strings after err up to a NULL
 * (at most 23), with stdout and stderr captured through files in dir into
 * *out and *err (caller frees both). Returns what fn returned. */
int test_run_cli(test_cli_fn *fn, struct kiosk_config *cfg, const char *dir,
		 char **out, char **err, ...);

/* Run a shell command; returns its exit status (or -1). */
int test_system(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* SDL started with init_flags, a hidden w x h window and the software
 * renderer (pixels can be read back), with no GL window surface (Mesa's
 * EGL leaks where LSan cannot name it). NULL on failure; *win is set
 * either way. test_sdl_close undoes it all (accepts NULLs). */
struct SDL_Window;
struct SDL_Renderer;
struct SDL_Renderer *test_sdl_open(unsigned init_flags, int w, int h,
				   struct SDL_Window **win);
void test_sdl_close(struct SDL_Window *win, struct SDL_Renderer *ren);
/* The same with SDL's OpenGL ES renderer, the one a Pi draws with (here
 * Mesa's software GL behind the offscreen driver's EGL). NULL when it
 * cannot start, or under an emulator (MESON_EXE_WRAPPER), where Mesa's
 * JIT would take minutes: the caller skips. */
struct SDL_Renderer *test_sdl_open_gles(int w, int h, struct SDL_Window **win);
/* Keep the GL libraries SDL loaded (Mesa's EGL, its driver, LLVM) in
 * memory after SDL_Quit, so that their own leaks are still named by
 * module at exit and tests/lsan.supp passes over them (an unloaded
 * library's frames are only "<unknown module>"). Call once a GL renderer
 * is up. */
void test_pin_gl_libraries(void);

/* Golden images: rendered pixels compared with a reviewed reference
 * picture tests/golden/<name> (a PNG). Each pixel may differ by
 * TEST_GOLDEN_TOLERANCE per channel (anti-aliasing drift between library
 * versions); the test fails when more than TEST_GOLDEN_MAX_BAD_PPM pixels
 * per million differ by more, or the sizes differ. The image is also
 * written to the build directory as <name less .png>.actual.png to look
 * at. When the golden does not exist yet, or KIOSK_UPDATE_GOLDEN=1 is
 * set, img becomes the golden (a message says so: look at it before
 * committing it). gray: compare and store luma only (8-bit grey PNG,
 * about a third of the size) for pictures that are grey anyway, such as
 * white text on the kiosk's dark panels. */
#define TEST_GOLDEN_TOLERANCE 24
#define TEST_GOLDEN_MAX_BAD_PPM 2000
struct image;
void test_golden_check(const struct image *img, const char *name, bool gray);

/* A PDF leaflet written with MuPDF's own PDF writer: A5 portrait,
 * TEST_PDF_W x TEST_PDF_H points; page n (1-based) has n black 40-point
 * squares, square k at test_pdf_square(k), and a blue title line
 * "Leaflet page n of N". options: as MuPDF's PDF writer takes them (for
 * example encryption), or NULL. Returns false with the reason in why. */
#define TEST_PDF_W 420.0f
#define TEST_PDF_H 595.0f
bool test_write_pdf(const char *path, int pages, const char *options,
		    char *why, size_t why_size);
void test_pdf_square(int k, float *x0, float *y0, float *x1, float *y1);

#endif
