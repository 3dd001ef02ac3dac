/*
 * pdf: leaflets (PDF files) opened and rasterised with MuPDF into RGBA
 * images, a whole page fitted into a box or any region of a page at any
 * zoom, so the viewer can re-render just what is visible and stay crisp.
 *
 * Limits. A file is opened only when it is a regular file (a FIFO or a
 * device is refused without blocking), is not empty, is at most
 * PDF_MAX_FILE_BYTES long, is a PDF (no other format MuPDF knows), needs
 * no password and has 1..PDF_MAX_PAGES pages. No render may be larger
 * than AVGUARD_MAX_PIXELS (media/avguard.h) or use a scale outside
 * (0, PDF_MAX_SCALE]. A damaged file that MuPDF can repair opens, with a
 * warning in the log naming the file; MuPDF's own errors and warnings go
 * to the kiosk's log (warnings rate-limited per document), never to
 * stderr.
 *
 * Errors. Functions that can fail take err/err_size and put a one-line
 * reason there that starts with the file's path ("path: page 3: ...");
 * they do not log it themselves, the caller decides.
 *
 * Ownership. pdf_open returns a document the caller owns (pdf_close).
 * Rendered images are new and owned by the caller (image_destroy); they
 * do not refer to the document, which may be closed first. No set-up
 * call is needed: MuPDF's shared state (its cache of fonts and decoded
 * images, at most 64 MB) is made by the first open document and freed
 * with the last one closed.
 *
 * Threads. Any thread may call any function. Calls on one document may
 * come from several threads at once (the viewer renders the next page on
 * a background thread while the main thread shows, sizes or zooms the
 * current one): the document's own lock serialises loading and
 * interpreting pages, and the rasterising itself, the longer part of a
 * render, runs outside that lock, so two renders of one document overlap.
 * Several documents may be used on several threads at once. The one rule:
 * pdf_close must not be called while another call on the same document
 * is still running (join or stop the background thread first).
 */
#ifndef KIOSK_MEDIA_PDF_H
#define KIOSK_MEDIA_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include "media/image.h"

/* Largest file pdf_open accepts. */
#define PDF_MAX_FILE_BYTES (200LL * 1024 * 1024)
/* Most pages a document may have. */
#define PDF_MAX_PAGES 500
/* Largest scale (pixels per point) a render may use: 7200 dpi. */
#define PDF_MAX_SCALE 100.0

struct pdf_doc;

/* Open the PDF at path under the limits above. Returns NULL with a
 * one-line reason naming the file in err when the file is missing, not a
 * regular file, empty, too large, not a PDF, damaged beyond repair,
 * password protected, has no pages or too many. A repaired file opens
 * and a warning is logged. Caller owns the result (pdf_close). */
struct pdf_doc *pdf_open(const char *path, char *err, size_t err_size);

/* Close d and free everything it holds. Accepts NULL. No other call on d
 * may be running. */
void pdf_close(struct pdf_doc *d);

/* Number of pages, 1..PDF_MAX_PAGES, fixed once opened (0 for NULL). */
int pdf_page_count(const struct pdf_doc *d);

/* Size of page (0-based) in points (1/72 inch) as it is displayed, after
 * the page's /Rotate. Returns false (and leaves *w_pt, *h_pt alone) when
 * page is out of range or cannot be loaded. Sizes are cached: asking
 * again is cheap. */
bool pdf_page_size(struct pdf_doc *d, int page, double *w_pt, double *h_pt);

/* Render the region (x, y, w, h), in pixels, of page (0-based) drawn at
 * scale pixels per point, its top-left corner at pixel (0, 0), into a new
 * w x h RGBA image (SDL_PIXELFORMAT_RGBA32; every alpha 255): white
 * paper, antialiased. Parts of the region outside the page stay white.
 * Zooming in means a larger scale and a region around what is visible;
 * the page is drawn at that scale, never upscaled from a smaller render.
 * Returns NULL with a reason in err for a bad page number, a bad scale or
 * region, a region over AVGUARD_MAX_PIXELS, a page that cannot be loaded
 * or draws nothing because it is damaged. A page damaged part-way renders
 * what could be drawn and a warning is logged. The page's interpreted
 * contents are cached (a few pages per document) so re-rendering another
 * region of a recent page skips the PDF parsing. Caller owns the result. */
struct image *pdf_render(struct pdf_doc *d, int page, double scale, int x,
			 int y, int w, int h, char *err, size_t err_size);

/* Render the whole of page fitted into max_w x max_h keeping its aspect
 * ratio (scaled up or down: the page is vector art), so one side equals
 * the box's and the other is at most the box's (the scale used is
 * min(max_w / w_pt, max_h / h_pt) with pdf_page_size's w_pt, h_pt).
 * Otherwise as pdf_render. */
struct image *pdf_render_fit(struct pdf_doc *d, int page, int max_w,
			     int max_h, char *err, size_t err_size);

#endif
