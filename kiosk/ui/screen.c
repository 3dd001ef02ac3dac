/*
 * screen: window, renderer and the turn of the picture (see screen.h).
 */
#include "ui/screen.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <SDL_opengl.h>

#include "base/log.h"
#include "base/util.h"

struct screen {
	SDL_Window *window;
	SDL_Renderer *renderer;
	int rotation;
	SDL_Texture *turn;          /* the scenes' target when turned */
	int turn_w, turn_h;         /* its size */
	bool turn_failed;           /* said once; drawn unturned since */
	bool fell_back;
	char failed[32];            /* the renderer that did not start, or "" */
	char gl[48];                /* GL_RENDERER behind a GL renderer, or "" */
	char cpu_gl[48];            /* GL_RENDERER of an OpenGL on the CPU that
				     * auto passed over, or "" */
	char desc[320];
};

int screen_renderer_order(const char *setting, const char *video_driver,
			  const char *out[SCREEN_MAX_RENDERERS])
{
	int n = 0;
	if (!setting || !*setting || !strcmp(setting, "auto")) {
		if (video_driver && !SDL_strcasecmp(video_driver, "kmsdrm"))
			out[n++] = "opengles2";
		out[n++] = "";
	} else if (strcmp(setting, "software") != 0) {
		out[n++] = setting;
	}
	out[n++] = "software";
	return n;
}

/* Index of the SDL render driver called name, or -1. */
static int driver_index(const char *name)
{
	int n = SDL_GetNumRenderDrivers();
	for (int i = 0; i < n; i++) {
		SDL_RendererInfo info;
		if (SDL_GetRenderDriverInfo(i, &info) == 0 && !strcmp(info.name, name))
			return i;
	}
	return -1;
}

static SDL_Renderer *create(SDL_Window *w, const char *name, char *why,
			    size_t why_size)
{
	SDL_Renderer *r;
	if (!strcmp(name, "software")) {
		r = SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE);
	} else if (!*name) {
		r = SDL_CreateRenderer(w, -1, SDL_RENDERER_ACCELERATED |
					      SDL_RENDERER_PRESENTVSYNC);
	} else {
		int idx = driver_index(name);
		if (idx < 0) {
			snprintf(why, why_size, "%s: not in this SDL", name);
			return NULL;
		}
		r = SDL_CreateRenderer(w, idx, SDL_RENDERER_ACCELERATED |
					       SDL_RENDERER_PRESENTVSYNC);
	}
	if (!r)
		snprintf(why, why_size, "%s: %s", *name ? name : "accelerated",
			 SDL_GetError());
	return r;
}

bool screen_gl_on_cpu(const char *gl_renderer)
{
	static const char *const cpu[] = { "llvmpipe", "softpipe", "swrast",
					   "software rasterizer" };
	char low[128];
	size_t n = 0;
	for (; gl_renderer && gl_renderer[n] && n + 1 < sizeof low; n++)
		low[n] = (char)tolower((unsigned char)gl_renderer[n]);
	low[n] = '\0';
	for (size_t i = 0; i < sizeof cpu / sizeof *cpu; i++)
		if (strstr(low, cpu[i]))
			return true;
	return false;
}

/* GL_RENDERER of r's OpenGL (ES) context into out ("" when r is not a GL
 * renderer or cannot tell). SDL leaves a new GL renderer's context
 * current on this thread. */
static void gl_name(SDL_Renderer *r, char *out, size_t size)
{
	out[0] = '\0';
	SDL_RendererInfo info;
	if (SDL_GetRendererInfo(r, &info) != 0 ||
	    strncmp(info.name, "opengl", 6) != 0 || !SDL_GL_GetCurrentContext())
		return;
	const GLubyte *(APIENTRY *get_string)(GLenum) =
		(const GLubyte *(APIENTRY *)(GLenum))SDL_GL_GetProcAddress("glGetString");
	const GLubyte *name = get_string ? get_string(GL_RENDERER) : NULL;
	if (name)
		snprintf(out, size, "%s", (const char *)name);
}

static void describe(struct screen *s)
{
	const char *drv = SDL_GetCurrentVideoDriver();
	SDL_RendererInfo info = { .name = "?" };
	SDL_GetRendererInfo(s->renderer, &info);
	const char *how = info.flags & SDL_RENDERER_SOFTWARE ? ""
			  : info.flags & SDL_RENDERER_PRESENTVSYNC
			  ? " (accelerated, vsync)" : " (accelerated)";
	char gl[64] = "", mode_s[48] = "", turn[24] = "", fail[96] = "";
	if (*s->gl)
		snprintf(gl, sizeof gl, " on %s", s->gl);
	int idx = SDL_GetWindowDisplayIndex(s->window);
	SDL_DisplayMode mode;
	if (idx >= 0 && SDL_GetCurrentDisplayMode(idx, &mode) == 0) {
		if (mode.refresh_rate > 0)
			snprintf(mode_s, sizeof mode_s, ", %dx%d at %d Hz", mode.w,
				 mode.h, mode.refresh_rate);
		else
			snprintf(mode_s, sizeof mode_s, ", %dx%d", mode.w, mode.h);
	}
	if (s->rotation)
		snprintf(turn, sizeof turn, ", turned %d°", s->rotation);
	if (*s->cpu_gl)
		snprintf(fail, sizeof fail, "; OpenGL is %s, on the CPU",
			 s->cpu_gl);
	else if (*s->failed)
		snprintf(fail, sizeof fail, "; %s failed", s->failed);
	snprintf(s->desc, sizeof s->desc, "%s, %s%s%s%s%s%s", drv ? drv : "?",
		 info.name, gl, how, mode_s, turn, fail);
}

/* Say what the display offers beside the mode in use (a screen whose
 * largest mode is not the one the kernel chose, e.g. a TV). */
static void log_modes(SDL_Window *w)
{
	int idx = SDL_GetWindowDisplayIndex(w);
	SDL_DisplayMode cur, top;
	if (idx < 0 || SDL_GetDesktopDisplayMode(idx, &cur) != 0)
		return;
	int n = SDL_GetNumDisplayModes(idx);
	if (n > 0 && SDL_GetDisplayMode(idx, 0, &top) == 0 &&
	    (long)top.w * top.h > (long)cur.w * cur.h)
		log_info("screen: display %d is at its own mode %dx%d at %d Hz; "
			 "it also offers up to %dx%d (%d modes)", idx, cur.w,
			 cur.h, cur.refresh_rate, top.w, top.h, n);
}

static int valid_rotation(int r)
{
	return r == 90 || r == 180 || r == 270 ? r : 0;
}

static SDL_Window *open_window(const struct screen_options *opt)
{
	Uint32 flags = SDL_WINDOW_SHOWN;
	if (opt->fullscreen)
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	else
		flags |= SDL_WINDOW_RESIZABLE;
	return SDL_CreateWindow("Kiosk", SDL_WINDOWPOS_CENTERED,
				SDL_WINDOWPOS_CENTERED, opt->window_w,
				opt->window_h, flags);
}

/* s's renderer draws with OpenGL on the CPU (no GPU driver), and SDL's
 * software renderer does the same work at half the cost: the renderer is
 * destroyed, its GL's name kept in s->cpu_gl. Where the video driver has
 * a framebuffer of its own the window is opened again without GL, and
 * without SDL's GL "window texture", so that the software renderer's
 * frames go out without GL and SDL lets Mesa go (10-16 MB here; libLLVM
 * stays mapped). SDL 2's KMSDRM has no such framebuffer: there the window
 * stays, and SDL hands the frames to OpenGL ES as one texture a frame.
 * false, logged, when the window cannot be opened again. */
static bool drop_cpu_gl(struct screen *s, const struct screen_options *opt,
			const char *drv)
{
	snprintf(s->cpu_gl, sizeof s->cpu_gl, "%s", s->gl);
	s->gl[0] = '\0';
	SDL_DestroyRenderer(s->renderer);
	s->renderer = NULL;
	if (drv && !SDL_strcasecmp(drv, "kmsdrm"))
		return true;
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	SDL_DestroyWindow(s->window);
	s->window = open_window(opt);
	if (!s->window)
		log_error("screen: cannot open the window again without "
			  "OpenGL: %s", SDL_GetError());
	return s->window != NULL;
}

struct screen *screen_open(const struct screen_options *opt)
{
	struct screen *s = xcalloc(1, sizeof *s);
	s->rotation = valid_rotation(opt->rotation);
	s->window = open_window(opt);
	if (!s->window) {
		log_error("screen: cannot open the window: %s", SDL_GetError());
		free(s);
		return NULL;
	}
	const char *drv = SDL_GetCurrentVideoDriver();
	const char *order[SCREEN_MAX_RENDERERS];
	int n = screen_renderer_order(opt->renderer, drv, order);
	char why[SCREEN_MAX_RENDERERS][200] = { { 0 } };
	bool chosen = opt->renderer && *opt->renderer &&
		      strcmp(opt->renderer, "auto") != 0;
	int used = -1;
	for (int i = 0; i < n && !s->renderer; i++) {
		s->renderer = create(s->window, order[i], why[i], sizeof why[i]);
		if (!s->renderer)
			continue;
		used = i;
		gl_name(s->renderer, s->gl, sizeof s->gl);
		if (chosen || !screen_gl_on_cpu(s->gl))
			continue;
		if (!drop_cpu_gl(s, opt, drv)) {
			free(s);
			return NULL;
		}
		i = n - 2;      /* on to "software", the last */
	}
	if (!s->renderer) {
		log_error("screen: no renderer can draw on %s (%s; %s)",
			  drv ? drv : "?", *s->cpu_gl ? s->cpu_gl : why[0],
			  why[n - 1]);
		SDL_DestroyWindow(s->window);
		free(s);
		return NULL;
	}
	const char *failed = NULL;
	if (*s->cpu_gl) {
		s->fell_back = true;
		log_warn("screen: OpenGL on %s is %s, drawn by the CPU (no GPU "
			 "driver); drawing with the software renderer, which "
			 "costs less there. Large videos may drop frames: check "
			 "the GPU driver (on a Pi, dtoverlay=vc4-kms-v3d)",
			 drv ? drv : "?", s->cpu_gl);
	} else if (used > 0) {
		/* the wanted one did not start: a warning, since videos and
		 * page turns are slower in software */
		failed = *order[0] ? order[0] : "accelerated";
		s->fell_back = !strcmp(order[used], "software");
		log_warn("screen: the %s renderer cannot start on %s (%s); "
			 "drawing with the %s renderer%s", failed,
			 drv ? drv : "?", why[0], *order[used] ? order[used]
			 : "accelerated", s->fell_back ? ", which is slower "
			 "(large videos may drop frames)" : "");
	}
	snprintf(s->failed, sizeof s->failed, "%s", failed ? failed : "");
	describe(s);
	log_info("screen: %s", s->desc);
	log_modes(s->window);
	return s;
}

void screen_close(struct screen *s)
{
	if (!s)
		return;
	if (s->turn)
		SDL_DestroyTexture(s->turn);
	if (s->renderer)
		SDL_DestroyRenderer(s->renderer);
	if (s->window)
		SDL_DestroyWindow(s->window);
	free(s);
}

SDL_Window *screen_window(const struct screen *s) { return s->window; }
SDL_Renderer *screen_renderer(const struct screen *s) { return s->renderer; }
bool screen_fell_back(const struct screen *s) { return s->fell_back; }
int screen_rotation(const struct screen *s) { return s->rotation; }
const char *screen_describe(const struct screen *s) { return s->desc; }

/* The renderer's output size, or the window's when it cannot tell. */
static void output_size(const struct screen *s, int *w, int *h)
{
	*w = *h = 0;
	if (SDL_GetRendererOutputSize(s->renderer, w, h) != 0 || *w <= 0 || *h <= 0)
		SDL_GetWindowSize(s->window, w, h);
}

/* Is the turn in effect (a turn asked for, and its texture possible)? */
static bool turned(const struct screen *s)
{
	return s->rotation && !s->turn_failed;
}

void screen_size(const struct screen *s, int *w, int *h)
{
	output_size(s, w, h);
	if (turned(s) && (s->rotation == 90 || s->rotation == 270)) {
		int t = *w;
		*w = *h;
		*h = t;
	}
}

void screen_begin(struct screen *s)
{
	if (!turned(s))
		return;
	int w, h;
	screen_size(s, &w, &h);
	if (s->turn && (s->turn_w != w || s->turn_h != h)) {
		SDL_DestroyTexture(s->turn);
		s->turn = NULL;
	}
	if (!s->turn) {
		s->turn = SDL_CreateTexture(s->renderer, SDL_PIXELFORMAT_ARGB8888,
					    SDL_TEXTUREACCESS_TARGET, w, h);
		if (!s->turn) {
			log_error("screen: cannot make the %dx%d picture to turn "
				  "by %d° (%s); drawing it unturned", w, h,
				  s->rotation, SDL_GetError());
			s->turn_failed = true;
			return;
		}
		s->turn_w = w;
		s->turn_h = h;
	}
	if (SDL_SetRenderTarget(s->renderer, s->turn) != 0) {
		log_error("screen: cannot draw into the picture to turn (%s); "
			  "drawing it unturned", SDL_GetError());
		SDL_DestroyTexture(s->turn);
		s->turn = NULL;
		s->turn_failed = true;
	}
}

void screen_finish(struct screen *s)
{
	if (!turned(s) || !s->turn || SDL_GetRenderTarget(s->renderer) != s->turn)
		return;
	SDL_SetRenderTarget(s->renderer, NULL);
	int ow, oh;
	output_size(s, &ow, &oh);
	SDL_SetRenderDrawColor(s->renderer, 0, 0, 0, 255);
	SDL_RenderClear(s->renderer);
	/* the picture centred on the screen, then turned about its centre:
	 * turned by 90 or 270 it covers the screen exactly */
	SDL_Rect dst = { (ow - s->turn_w) / 2, (oh - s->turn_h) / 2, s->turn_w,
			 s->turn_h };
	SDL_RenderCopyEx(s->renderer, s->turn, NULL, &dst, s->rotation, NULL,
			 SDL_FLIP_NONE);
}

void screen_present(struct screen *s)
{
	screen_finish(s);
	SDL_RenderPresent(s->renderer);
}

/* A point in output pixels to the scenes' coordinates: turned back
 * about the screen's centre. */
static void unturn(const struct screen *s, double ox, double oy, double *lx,
		   double *ly)
{
	if (!turned(s)) {
		*lx = ox;
		*ly = oy;
		return;
	}
	int ow, oh, w, h;
	output_size(s, &ow, &oh);
	screen_size(s, &w, &h);
	double dx = ox - ow / 2.0, dy = oy - oh / 2.0;
	/* the inverse of a clockwise turn by r on a y-down screen */
	switch (s->rotation) {
	case 90:
		*lx = w / 2.0 + dy;
		*ly = h / 2.0 - dx;
		break;
	case 180:
		*lx = w / 2.0 - dx;
		*ly = h / 2.0 - dy;
		break;
	default: /* 270 */
		*lx = w / 2.0 - dy;
		*ly = h / 2.0 + dx;
		break;
	}
}

void screen_to_logical(const struct screen *s, double x, double y, double *lx,
		       double *ly)
{
	int ww, wh, ow, oh;
	SDL_GetWindowSize(s->window, &ww, &wh);
	output_size(s, &ow, &oh);
	/* window coordinates to output pixels (they differ on a high-density
	 * screen under a desktop) */
	double ox = ww > 0 ? x * ow / ww : x, oy = wh > 0 ? y * oh / wh : y;
	unturn(s, ox, oy, lx, ly);
}

void screen_touch_to_logical(const struct screen *s, double fx, double fy,
			     double *lx, double *ly)
{
	int ow, oh;
	output_size(s, &ow, &oh);
	unturn(s, fx * ow, fy * oh, lx, ly);
}

void screen_set_rotation(struct screen *s, int rotation)
{
	rotation = valid_rotation(rotation);
	if (rotation == s->rotation)
		return;
	screen_reset(s);
	s->rotation = rotation;
	s->turn_failed = false;
	describe(s);
	log_info("screen: %s", s->desc);
}

void screen_reset(struct screen *s)
{
	if (s->turn) {
		SDL_DestroyTexture(s->turn);
		s->turn = NULL;
	}
}
