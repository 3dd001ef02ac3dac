/*
 * test_pdf_make: PDFs for the tests, written with MuPDF's own writer (a
 * file of its own so only the tests that make PDFs link MuPDF's writer).
 */
#include "test_support.h"

#include <stdbool.h>
#include <stdio.h>

#include <mupdf/fitz.h>

/* ------------------------------------------------------------------ */
/* PDFs                                                                */
/* ------------------------------------------------------------------ */

void test_pdf_square(int k, float *x0, float *y0, float *x1, float *y1)
{
	*x0 = 30.0f + 75.0f * (float)(k % 5);
	*y0 = 100.0f + 110.0f * (float)(k / 5);
	*x1 = *x0 + 40.0f;
	*y1 = *y0 + 40.0f;
}

static void quiet(void *user, const char *message)
{
	(void)user;
	(void)message;
}

/* Write the leaflet with MuPDF's PDF writer (options as the writer takes
 * them, or NULL). Returns false (message in why) on failure; never
 * longjmps through cmocka. */
bool test_write_pdf(const char *path, int pages, const char *options,
		    char *why, size_t why_size)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_UNLIMITED);
	if (!ctx) {
		snprintf(why, why_size, "fz_new_context failed");
		return false;
	}
	fz_set_warning_callback(ctx, quiet, NULL);
	fz_document_writer *wri = NULL;
	fz_font *font = NULL;
	fz_path *p = NULL;
	fz_text *text = NULL;
	bool ok = true;   /* set false only in fz_catch */
	fz_var(wri);
	fz_var(font);
	fz_var(p);
	fz_var(text);
	fz_try(ctx) {
		wri = fz_new_document_writer(ctx, path, "pdf", options);
		font = fz_new_base14_font(ctx, "Helvetica");
		const float black[3] = { 0, 0, 0 };
		const float blue[3] = { 0.1f, 0.2f, 0.6f };
		for (int n = 1; n <= pages; n++) {
			fz_device *dev = fz_begin_page(ctx, wri,
				fz_make_rect(0, 0, TEST_PDF_W, TEST_PDF_H));
			p = fz_new_path(ctx);
			for (int k = 0; k < n; k++) {
				float x0, y0, x1, y1;
				test_pdf_square(k, &x0, &y0, &x1, &y1);
				fz_rectto(ctx, p, x0, y0, x1, y1);
			}
			fz_fill_path(ctx, dev, p, 0, fz_identity,
				     fz_device_rgb(ctx), black, 1,
				     fz_default_color_params);
			fz_drop_path(ctx, p);
			p = NULL;

			char title[64];
			snprintf(title, sizeof title, "Leaflet page %d of %d", n, pages);
			text = fz_new_text(ctx);
			/* text matrix: 20 pt, baseline at y = 60, y down */
			fz_show_string(ctx, text, font,
				       fz_make_matrix(20, 0, 0, -20, 30, 60),
				       title, 0, 0, FZ_BIDI_LTR, FZ_LANG_UNSET);
			fz_fill_text(ctx, dev, text, fz_identity,
				     fz_device_rgb(ctx), blue, 1,
				     fz_default_color_params);
			fz_drop_text(ctx, text);
			text = NULL;
			fz_end_page(ctx, wri);
		}
		fz_close_document_writer(ctx, wri);
	}
	fz_always(ctx) {
		fz_drop_text(ctx, text);
		fz_drop_path(ctx, p);
		fz_drop_font(ctx, font);
		fz_drop_document_writer(ctx, wri);
	}
	fz_catch(ctx) {
		ok = false;
		snprintf(why, why_size, "%s", fz_caught_message(ctx));
	}
	fz_drop_context(ctx);
	return ok;
}
