/*
 * test_support: helpers shared by the tests (see test_support.h).
 */
#include "test_support.h"

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

#include "base/util.h"
#include "kiosk_build.h"

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

void test_sdl_close(SDL_Window *win, SDL_Renderer *ren)
{
	if (ren)
		SDL_DestroyRenderer(ren);
	if (win)
		SDL_DestroyWindow(win);
	SDL_Quit();
}
