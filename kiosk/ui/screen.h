/*
 * screen: the kiosk's window, its renderer, and the turn of the picture.
 *
 * - The window: fullscreen at the display's own mode (SDL's desktop mode;
 *   on the console of a Pi, under SDL's KMSDRM driver, the mode the kernel
 *   set at boot, which is the screen's preferred, native one), or a
 *   window of a given size.
 * - The renderer: tried in the order screen_renderer_order gives for the
 *   `renderer` setting and the video driver (OpenGL ES first on KMSDRM);
 *   when the wanted one cannot start, the software renderer, with a
 *   warning in the log and in screen_describe. With "auto", an OpenGL
 *   (ES) renderer whose GL is drawn by the CPU (Mesa's llvmpipe: no GPU
 *   driver) is passed over for the software renderer too, which does the
 *   same work for less; a renderer named in the setting is kept.
 * - The turn: with a rotation of 90, 180 or 270 degrees (clockwise) the
 *   scenes draw into a texture of the turned size, and screen_present
 *   copies it turned onto the screen. Pointer and touch positions are
 *   turned back with screen_to_logical and screen_touch_to_logical. With
 *   rotation 0 the scenes draw straight onto the screen.
 *
 * Everything here runs on the main thread (SDL's video rules).
 */
#ifndef KIOSK_UI_SCREEN_H
#define KIOSK_UI_SCREEN_H

#include <stdbool.h>

#include <SDL.h>

struct screen_options {
	bool fullscreen;            /* else a resizable window_w x window_h */
	int window_w, window_h;
	int rotation;               /* 0, 90, 180 or 270 degrees clockwise */
	const char *renderer;       /* "auto", "opengles2", "opengl",
				     * "software"; NULL = "auto" */
};

/* Most names screen_renderer_order gives. */
#define SCREEN_MAX_RENDERERS 4

/* The renderers to try, best first, for the `renderer` setting and the
 * SDL video driver in use (SDL_GetCurrentVideoDriver): SDL render driver
 * names, "" for SDL's own choice of an accelerated one, and always
 * "software" last. On "kmsdrm" (a console without a display server)
 * "auto" means "opengles2" first. Fills out[0..SCREEN_MAX_RENDERERS) and
 * returns the count. */
int screen_renderer_order(const char *setting, const char *video_driver,
			  const char *out[SCREEN_MAX_RENDERERS]);

/* gl_renderer (OpenGL's GL_RENDERER string) names a GL that draws on the
 * CPU: Mesa's llvmpipe, softpipe or swrast. */
bool screen_gl_on_cpu(const char *gl_renderer);

/* Open the window and its renderer (SDL's video must be initialised).
 * Logs what was chosen, and why a fallback was taken. NULL, logged, when
 * no window or no renderer at all can be made. */
struct screen *screen_open(const struct screen_options *opt);

/* Accepts NULL. Destroys the renderer and the window. */
void screen_close(struct screen *s);

SDL_Window *screen_window(const struct screen *s);
SDL_Renderer *screen_renderer(const struct screen *s);

/* The wanted renderer could not start, or was OpenGL drawn by the CPU,
 * and the software one draws. */
bool screen_fell_back(const struct screen *s);

/* Degrees the picture is turned clockwise: 0, 90, 180 or 270. */
int screen_rotation(const struct screen *s);
/* Turn the picture by rotation (0, 90, 180, 270; anything else is 0)
 * from the next frame on (the operator menu's setting). The size the
 * scenes draw at changes with it (screen_size). */
void screen_set_rotation(struct screen *s, int rotation);

/* The size the scenes draw at, in pixels: the renderer's output size,
 * width and height swapped when turned by 90 or 270. */
void screen_size(const struct screen *s, int *w, int *h);

/* Start a frame: makes the turning texture the drawing target (made, or
 * made again at a new size, as needed). Without a turn, or when that
 * texture cannot be made (logged once; the picture is then drawn
 * unturned), the target is the screen. */
void screen_begin(struct screen *s);

/* End a frame without showing it: the turned picture is copied onto the
 * screen's back buffer, which is then the target (what SDL_RenderReadPixels
 * reads is the screen as the visitor sees it). */
void screen_finish(struct screen *s);

/* screen_finish, then show the frame. */
void screen_present(struct screen *s);

/* A position in window coordinates (mouse events) to the scenes'
 * coordinates. */
void screen_to_logical(const struct screen *s, double x, double y,
		       double *lx, double *ly);

/* A touch position (0..1 across the window, touch events) to the scenes'
 * coordinates. */
void screen_touch_to_logical(const struct screen *s, double fx, double fy,
			     double *lx, double *ly);

/* The render device was reset or its targets were lost: the turning
 * texture is made again at the next screen_begin. */
void screen_reset(struct screen *s);

/* One line for the log and the operator menu, for example
 * "KMSDRM, opengles2 on V3D 4.2 (accelerated, vsync), 1920x1080 at 60 Hz,
 * turned 90°" (the GL's own name after "on"), "KMSDRM, software,
 * 1920x1080 at 60 Hz; opengles2 failed" or "x11, software, ...; OpenGL
 * is llvmpipe (...), on the CPU". */
const char *screen_describe(const struct screen *s);

#endif
