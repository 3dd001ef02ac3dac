/*
 * pdf: PDF leaflets rasterised with MuPDF (see pdf.h).
 *
 * How MuPDF is used here. One base fz_context per process, made with a
 * set of pthread mutexes (fz_locks_context) so that contexts cloned from
 * it may run on different threads at once; it lives while at least one
 * document is open. Each document has its own clone and a mutex that
 * serialises every use of that clone and of the document (MuPDF
 * documents are not thread-safe). A page is interpreted once into a
 * display list, kept in a small per-document cache; rasterising a list
 * is done on the calling thread with a context cloned for that render,
 * outside the document's lock, which is how MuPDF's own multi-threaded
 * example divides the work.
 */
#include "media/pdf.h"
#include "media/avguard.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "base/log.h"
#include "base/util.h"

/* Bytes of decoded images, fonts and such MuPDF may keep cached, shared by
 * every open document: modest, for a Raspberry Pi. */
#define PDF_STORE_BYTES (64u << 20)
/* Pages whose display lists a document keeps (current, next, previous). */
#define PDF_LIST_CACHE 3
/* At most this many MuPDF messages per level per document are logged in
 * each window; the rest are counted and reported when the window ends. */
#define PDF_LOG_BURST 10
#define PDF_LOG_WINDOW_MS 10000

/* The largest page side accepted, in points: PDF's 14400 units (200
 * inches) times a UserUnit of about 5, well past any real poster. */
#define PDF_PAGE_MAX_PT 75000

/* ------------------------------------------------------------------ */
/* Logging MuPDF's messages                                            */
/* ------------------------------------------------------------------ */

/* Rate limit of one source of MuPDF messages. */
struct pdf_log_limit {
	pthread_mutex_t lock;
	int64_t window_start_ms;   /* guarded by lock */
	/* per kind (warning, error), in the current window; guarded by lock */
	int count[2];              /* messages logged */
	int dropped[2];            /* messages not logged */
};

enum { PDF_MSG_WARNING, PDF_MSG_ERROR };

/* One displayed page's interpreted contents. */
struct pdf_list_entry {
	int page;                  /* -1 when the slot is free */
	fz_display_list *list;     /* owned reference */
	fz_rect bounds;            /* page bounds the list was made with */
	unsigned last_used;        /* pdf_doc.tick when last used */
};

/* What the document's own context reported while one call ran. */
struct pdf_warnings {
	int count;
	char first[200];
};

struct pdf_doc {
	char *path;                /* owned; for messages */
	int pages;                 /* fixed at open */
	FILE *file;                /* what MuPDF reads; closed after doc is dropped */
	pthread_mutex_t lock;      /* serialises every use of ctx and doc */
	fz_context *ctx;           /* clone of the base context; guarded by lock */
	fz_document *doc;          /* guarded by lock */
	fz_rect *sizes;            /* [pages] page bounds, guarded by lock */
	bool *size_known;          /* [pages] guarded by lock */
	struct pdf_list_entry cache[PDF_LIST_CACHE]; /* guarded by lock */
	unsigned tick;             /* guarded by lock */
	bool repair_logged;        /* guarded by lock */
	struct pdf_warnings warn;  /* from ctx's callback; guarded by lock */
	struct pdf_log_limit limit;
};

/* Messages of the base context (while it starts and stops: no document). */
static struct pdf_log_limit base_limit = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Whether a message of kind may be logged now under limit l. When a new
 * window starts with messages dropped in the last one, *dropped_out says
 * how many (the caller logs that); otherwise it is 0. */
static bool limit_allow(struct pdf_log_limit *l, int kind, int *dropped_out)
{
	int64_t now = time_mono_ms();
	bool ok;
	pthread_mutex_lock(&l->lock);
	*dropped_out = 0;
	if (l->window_start_ms == 0 || now - l->window_start_ms >= PDF_LOG_WINDOW_MS) {
		*dropped_out = l->dropped[0] + l->dropped[1];
		l->window_start_ms = now;
		l->count[0] = l->count[1] = 0;
		l->dropped[0] = l->dropped[1] = 0;
	}
	ok = l->count[kind] < PDF_LOG_BURST;
	if (ok)
		l->count[kind]++;
	else
		l->dropped[kind]++;
	pthread_mutex_unlock(&l->lock);
	return ok;
}

/* Route one MuPDF message: warnings at log_warn, errors at log_debug (an
 * error MuPDF throws comes back to the caller as the reason in err; the
 * caller logs it once). d is NULL for the base context. */
static void route_message(struct pdf_doc *d, int kind, const char *message)
{
	struct pdf_log_limit *l = d ? &d->limit : &base_limit;
	const char *who = d ? d->path : "mupdf";
	int dropped;
	bool ok = limit_allow(l, kind, &dropped);
	if (dropped > 0)
		log_warn("%s: %d more MuPDF messages not logged", who, dropped);
	if (!ok)
		return;
	if (kind == PDF_MSG_WARNING)
		log_warn("%s: mupdf: %s", who, message);
	else
		log_debug("%s: mupdf error: %s", who, message);
}

/* Callbacks of the base context and of render clones: user is the
 * document or NULL. */
static void on_warning(void *user, const char *message)
{
	route_message(user, PDF_MSG_WARNING, message);
}

/* Every context's error callback (MuPDF calls it on each throw). */
static void on_error(void *user, const char *message)
{
	route_message(user, PDF_MSG_ERROR, message);
}

/* Callback of a document's own context, which only runs under d->lock
 * (or in pdf_close, alone): also remembers what was said, so a call can
 * tell that the page it interpreted was damaged. */
static void on_doc_warning(void *user, const char *message)
{
	struct pdf_doc *d = user;
	if (d->warn.count++ == 0)
		snprintf(d->warn.first, sizeof d->warn.first, "%s", message);
	route_message(d, PDF_MSG_WARNING, message);
}

/* Route ctx's messages to d's log (d NULL: the base's); own when ctx is
 * d's own context, whose warnings are also remembered in d->warn. */
static void set_callbacks(fz_context *ctx, struct pdf_doc *d, bool own)
{
	fz_set_warning_callback(ctx, own ? on_doc_warning : on_warning, d);
	fz_set_error_callback(ctx, on_error, d);
}

/* ------------------------------------------------------------------ */
/* The shared base context                                             */
/* ------------------------------------------------------------------ */

_Static_assert(FZ_LOCK_MAX == 3, "MuPDF's lock count changed");
static pthread_mutex_t mupdf_mutexes[FZ_LOCK_MAX] = {
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
	PTHREAD_MUTEX_INITIALIZER,
};

/* MuPDF's lock and unlock callbacks: one process-wide mutex per lock
 * number, shared by every context cloned from the base. */
static void mupdf_lock_cb(void *user, int lock)
{
	(void)user;
	pthread_mutex_lock(&mupdf_mutexes[lock]);
}

static void mupdf_unlock_cb(void *user, int lock)
{
	(void)user;
	pthread_mutex_unlock(&mupdf_mutexes[lock]);
}

static const fz_locks_context pdf_locks = { NULL, mupdf_lock_cb, mupdf_unlock_cb };

static pthread_mutex_t base_lock = PTHREAD_MUTEX_INITIALIZER;
static fz_context *base_ctx;   /* guarded by base_lock */
static int base_users;         /* open documents; guarded by base_lock */

/* A new context for document d, cloned from the base context (made on
 * first use), with d's callbacks. NULL when MuPDF cannot start (out of
 * memory). Pair with base_release. */
static fz_context *base_acquire(struct pdf_doc *d)
{
	fz_context *ctx = NULL;
	pthread_mutex_lock(&base_lock);
	if (!base_ctx) {
		base_ctx = fz_new_context(NULL, &pdf_locks, PDF_STORE_BYTES);
		if (base_ctx) {
			set_callbacks(base_ctx, NULL, false);
			fz_set_aa_level(base_ctx, 8);
		}
	}
	if (base_ctx)
		ctx = fz_clone_context(base_ctx);
	if (ctx) {
		base_users++;
		set_callbacks(ctx, d, true);
	} else if (base_users == 0) {
		fz_drop_context(base_ctx);
		base_ctx = NULL;
	}
	pthread_mutex_unlock(&base_lock);
	return ctx;
}

/* Drop a document's context; the base goes with the last one, so nothing
 * of MuPDF stays allocated while no document is open. */
static void base_release(fz_context *ctx)
{
	fz_drop_context(ctx);
	pthread_mutex_lock(&base_lock);
	if (--base_users == 0) {
		fz_drop_context(base_ctx);
		base_ctx = NULL;
	}
	pthread_mutex_unlock(&base_lock);
}

/* ------------------------------------------------------------------ */
/* Opening and closing                                                 */
/* ------------------------------------------------------------------ */

__attribute__((format(printf, 4, 5)))
static void set_err(char *err, size_t err_size, const char *path,
		    const char *fmt, ...)
{
	if (!err || !err_size)
		return;
	int n = snprintf(err, err_size, "%s: ", path);
	if (n < 0 || (size_t)n >= err_size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + n, err_size - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Log, once per document, that MuPDF had to repair it. Under d->lock. */
static void note_repair(struct pdf_doc *d)
{
	if (d->repair_logged)
		return;
	pdf_document *pdoc = pdf_specifics(d->ctx, d->doc);
	if (pdoc && pdf_was_repaired(d->ctx, pdoc)) {
		d->repair_logged = true;
		log_warn("%s: damaged PDF repaired by MuPDF; parts may be missing",
			 d->path);
	}
}

/* Open fd-backed file of d as a PDF and count its pages. Returns false
 * with the reason in err. */
static bool open_document(struct pdf_doc *d, char *err, size_t err_size)
{
	fz_context *ctx = d->ctx;
	fz_stream *stm = NULL;
	pdf_document *pdoc = NULL;
	fz_page *first = NULL;
	const char *what = NULL;
	bool ok = true;   /* set false only in fz_catch */
	fz_var(stm);
	fz_var(pdoc);
	fz_var(first);
	fz_var(what);
	fz_try(ctx) {
		what = "not a PDF, or damaged beyond repair";
		stm = fz_open_file_ptr_no_close(ctx, d->file);
		pdoc = pdf_open_document_with_stream(ctx, stm);
		d->doc = (fz_document *)pdoc;
		if (pdf_needs_password(ctx, pdoc)) {
			what = NULL;
			fz_throw(ctx, FZ_ERROR_GENERIC, "password protected");
		}
		what = "cannot read the page tree";
		d->pages = fz_count_pages(ctx, d->doc);
		if (d->pages > 0 && d->pages <= PDF_MAX_PAGES) {
			/* A leaflet whose first page cannot even be loaded
			 * is of no use: say so now. */
			what = "cannot load page 1";
			first = fz_load_page(ctx, d->doc, 0);
			d->sizes[0] = fz_bound_page(ctx, first);
			d->size_known[0] = true;
		}
		what = NULL;
	}
	fz_always(ctx) {
		fz_drop_page(ctx, first);
		fz_drop_stream(ctx, stm);   /* the document keeps its own */
	}
	fz_catch(ctx) {
		ok = false;
		if (what)
			set_err(err, err_size, d->path, "%s (%s)", what,
				fz_caught_message(ctx));
		else
			set_err(err, err_size, d->path, "%s",
				fz_caught_message(ctx));
	}
	if (!ok)
		return false;
	note_repair(d);
	if (d->pages <= 0) {
		set_err(err, err_size, d->path, "the PDF has no pages");
		return false;
	}
	if (d->pages > PDF_MAX_PAGES) {
		set_err(err, err_size, d->path, "%d pages; the limit is %d",
			d->pages, PDF_MAX_PAGES);
		return false;
	}
	return true;
}

struct pdf_doc *pdf_open(const char *path, char *err, size_t err_size)
{
	if (err && err_size)
		err[0] = '\0';
	/* Open first, then look at what was opened: no window between the
	 * check and the use, and O_NONBLOCK keeps a FIFO from blocking in
	 * open(2) itself. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		set_err(err, err_size, path, "%s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		set_err(err, err_size, path, "%s", strerror(errno));
		close(fd);
		return NULL;
	}
	const char *bad = NULL;
	if (S_ISDIR(st.st_mode))
		bad = "is a directory, not a PDF file";
	else if (!S_ISREG(st.st_mode))
		bad = "not a regular file";
	else if (st.st_size == 0)
		bad = "empty file";
	if (bad) {
		set_err(err, err_size, path, "%s", bad);
		close(fd);
		return NULL;
	}
	if (st.st_size > PDF_MAX_FILE_BYTES) {
		set_err(err, err_size, path,
			"file is %lld bytes; the limit is %lld",
			(long long)st.st_size, (long long)PDF_MAX_FILE_BYTES);
		close(fd);
		return NULL;
	}
	FILE *fp = fdopen(fd, "rb");
	if (!fp) {
		set_err(err, err_size, path, "%s", strerror(errno));
		close(fd);
		return NULL;
	}

	struct pdf_doc *d = xcalloc(1, sizeof *d);
	d->path = xstrdup(path);
	d->file = fp;
	pthread_mutex_init(&d->lock, NULL);
	pthread_mutex_init(&d->limit.lock, NULL);
	for (int i = 0; i < PDF_LIST_CACHE; i++)
		d->cache[i].page = -1;
	/* Sized for the limit, so open_document can note page 1's size
	 * before the count is known to be sane. */
	d->sizes = xcalloc(PDF_MAX_PAGES, sizeof *d->sizes);
	d->size_known = xcalloc(PDF_MAX_PAGES, sizeof *d->size_known);
	d->ctx = base_acquire(d);
	if (!d->ctx) {
		set_err(err, err_size, path, "cannot start MuPDF (out of memory)");
		pdf_close(d);
		return NULL;
	}
	if (!open_document(d, err, err_size)) {
		pdf_close(d);
		return NULL;
	}
	return d;
}

void pdf_close(struct pdf_doc *d)
{
	if (!d)
		return;
	if (d->ctx) {
		for (int i = 0; i < PDF_LIST_CACHE; i++)
			fz_drop_display_list(d->ctx, d->cache[i].list);
		fz_drop_document(d->ctx, d->doc);
		/* flushes buffered warnings into on_doc_warning: d still lives */
		base_release(d->ctx);
	}
	if (d->file)
		fclose(d->file);
	pthread_mutex_lock(&d->limit.lock);
	int dropped = d->limit.dropped[0] + d->limit.dropped[1];
	pthread_mutex_unlock(&d->limit.lock);
	if (dropped > 0)
		log_warn("%s: %d more MuPDF messages not logged", d->path, dropped);
	pthread_mutex_destroy(&d->limit.lock);
	pthread_mutex_destroy(&d->lock);
	free(d->sizes);
	free(d->size_known);
	free(d->path);
	free(d);
}

int pdf_page_count(const struct pdf_doc *d)
{
	return d ? d->pages : 0;
}

/* ------------------------------------------------------------------ */
/* Pages                                                               */
/* ------------------------------------------------------------------ */

/* Bounds of page into *out, loading it when not known yet. Under
 * d->lock. Returns false with the reason in err. */
static bool page_bounds_locked(struct pdf_doc *d, int page, fz_rect *out,
			       char *err, size_t err_size)
{
	if (!d->size_known[page]) {
		fz_context *ctx = d->ctx;
		fz_page *pg = NULL;
		bool ok = true;   /* set false only in fz_catch */
		fz_var(ok);
		fz_var(pg);
		fz_try(ctx) {
			pg = fz_load_page(ctx, d->doc, page);
			d->sizes[page] = fz_bound_page(ctx, pg);
			d->size_known[page] = true;
		}
		fz_always(ctx)
			fz_drop_page(ctx, pg);
		fz_catch(ctx) {
			ok = false;
			set_err(err, err_size, d->path, "page %d: %s", page + 1,
				fz_caught_message(ctx));
		}
		note_repair(d);
		if (!ok)
			return false;
	}
	*out = d->sizes[page];
	if (out->x1 - out->x0 > PDF_PAGE_MAX_PT || out->y1 - out->y0 > PDF_PAGE_MAX_PT) {
		/* drawn to fit, what is on it would be a speck on white */
		set_err(err, err_size, d->path,
			"page %d is %.0f x %.0f points, larger than a PDF page can be "
			"(%d)", page + 1, out->x1 - out->x0, out->y1 - out->y0,
			PDF_PAGE_MAX_PT);
		return false;
	}
	return true;
}

bool pdf_page_size(struct pdf_doc *d, int page, double *w_pt, double *h_pt)
{
	if (!d || page < 0 || page >= d->pages)
		return false;
	fz_rect r;
	char err[256];
	pthread_mutex_lock(&d->lock);
	bool ok = page_bounds_locked(d, page, &r, err, sizeof err);
	pthread_mutex_unlock(&d->lock);
	if (!ok) {
		log_debug("%s", err);
		return false;
	}
	*w_pt = r.x1 - r.x0;
	*h_pt = r.y1 - r.y0;
	return true;
}

/* Whether running list marks anything at all (a page that failed before
 * drawing anything records only state changes). Errors count as "yes":
 * the render will tell. */
static bool list_marks_page(fz_context *ctx, fz_display_list *list)
{
	fz_rect marks = fz_empty_rect;
	fz_device *dev = NULL;
	bool unsure = false;
	fz_var(dev);
	fz_try(ctx) {
		dev = fz_new_bbox_device(ctx, &marks);
		fz_run_display_list(ctx, list, dev, fz_identity, fz_infinite_rect,
				    NULL);
		fz_close_device(ctx, dev);
	}
	fz_always(ctx)
		fz_drop_device(ctx, dev);
	fz_catch(ctx)
		unsure = true;
	return unsure || !fz_is_empty_rect(marks);
}

/* Interpret page into a new display list. Under d->lock. Returns the list
 * (caller owns the reference) with its bounds in *bounds, or NULL with the
 * reason in err. A page that fails part-way keeps what was recorded and a
 * warning is logged; one that records nothing and was not clean is an
 * error. */
static fz_display_list *make_list_locked(struct pdf_doc *d, int page,
					 fz_rect *bounds, char *err,
					 size_t err_size)
{
	fz_context *ctx = d->ctx;
	fz_page *pg = NULL;
	fz_display_list *list = NULL;
	fz_device *dev = NULL;
	char broke[200] = "";
	fz_cookie cookie = { 0 };
	fz_var(pg);
	fz_var(list);
	fz_var(dev);
	d->warn.count = 0;
	d->warn.first[0] = '\0';
	fz_try(ctx) {
		pg = fz_load_page(ctx, d->doc, page);
		*bounds = fz_bound_page(ctx, pg);
		d->sizes[page] = *bounds;
		d->size_known[page] = true;
		list = fz_new_display_list(ctx, *bounds);
		dev = fz_new_list_device(ctx, list);
		/* Inner try: what was recorded before a failure is kept. */
		fz_try(ctx)
			fz_run_page(ctx, pg, dev, fz_identity, &cookie);
		fz_catch(ctx) {
			if (fz_caught(ctx) == FZ_ERROR_MEMORY)
				fz_rethrow(ctx);
			snprintf(broke, sizeof broke, "%s", fz_caught_message(ctx));
		}
		fz_close_device(ctx, dev);
	}
	fz_always(ctx) {
		fz_drop_device(ctx, dev);
		fz_drop_page(ctx, pg);
	}
	fz_catch(ctx) {
		fz_drop_display_list(ctx, list);
		set_err(err, err_size, d->path, "page %d: %s", page + 1,
			fz_caught_message(ctx));
		note_repair(d);
		return NULL;
	}
	note_repair(d);
	bool damaged = broke[0] || cookie.errors > 0;
	const char *why = broke[0] ? broke
		: d->warn.count > 0 ? d->warn.first
		: damaged ? "errors in its contents"
		: "the file was repaired and the page draws nothing";
	/* a blank page in a file MuPDF had to repair is what is left of a
	 * page, not a blank page */
	if ((damaged || d->warn.count > 0 || d->repair_logged) &&
	    !list_marks_page(ctx, list)) {
		fz_drop_display_list(ctx, list);
		set_err(err, err_size, d->path,
			"page %d is damaged, nothing could be drawn (%s)",
			page + 1, why);
		return NULL;
	}
	if (damaged)
		log_warn("%s: page %d is damaged, showing what could be drawn (%s)",
			 d->path, page + 1, why);
	return list;
}

/* The display list of page, from the cache or made now. Under d->lock.
 * Returns a new reference with the bounds in *bounds, or NULL with the
 * reason in err. */
static fz_display_list *get_list_locked(struct pdf_doc *d, int page,
					fz_rect *bounds, char *err,
					size_t err_size)
{
	struct pdf_list_entry *slot = &d->cache[0];
	d->tick++;
	for (int i = 0; i < PDF_LIST_CACHE; i++) {
		struct pdf_list_entry *e = &d->cache[i];
		if (e->page == page) {
			e->last_used = d->tick;
			*bounds = e->bounds;
			return fz_keep_display_list(d->ctx, e->list);
		}
		if (e->page < 0 || (slot->page >= 0 && e->last_used < slot->last_used))
			slot = e;
	}
	fz_display_list *list = make_list_locked(d, page, bounds, err, err_size);
	if (!list)
		return NULL;
	fz_drop_display_list(d->ctx, slot->list);
	slot->page = page;
	slot->list = fz_keep_display_list(d->ctx, list);
	slot->bounds = *bounds;
	slot->last_used = d->tick;
	return list;
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

/* Rasterise list into img (w x h, already allocated) on ctx, a context
 * this thread alone uses. Returns false with the reason in err. */
static bool draw_list(fz_context *ctx, struct pdf_doc *d, int page,
		      fz_display_list *list, fz_rect bounds, double scale,
		      int x, int y, struct image *img, char *err,
		      size_t err_size)
{
	fz_pixmap *pix = NULL;
	fz_device *dev = NULL;
	fz_cookie cookie = { 0 };
	bool ok = true;   /* set false only in fz_catch */
	fz_var(ok);
	fz_var(pix);
	fz_var(dev);
	fz_try(ctx) {
		/* MuPDF draws straight into the image's rows: RGB plus
		 * alpha is R, G, B, A in memory. */
		pix = fz_new_pixmap_with_data(ctx, fz_device_rgb(ctx), img->w,
					      img->h, NULL, 1, img->pitch,
					      img->pixels);
		fz_clear_pixmap_with_value(ctx, pix, 0xFF);
		/* page origin to (0, 0), points to pixels, region to (0, 0) */
		fz_matrix ctm = fz_translate(-bounds.x0, -bounds.y0);
		ctm = fz_concat(ctm, fz_scale((float)scale, (float)scale));
		ctm = fz_concat(ctm, fz_translate((float)-x, (float)-y));
		dev = fz_new_draw_device(ctx, fz_identity, pix);
		fz_run_display_list(ctx, list, dev, ctm,
				    fz_make_rect(0, 0, (float)img->w, (float)img->h),
				    &cookie);
		fz_close_device(ctx, dev);
	}
	fz_always(ctx) {
		fz_drop_device(ctx, dev);
		fz_drop_pixmap(ctx, pix);
	}
	fz_catch(ctx) {
		ok = false;
		set_err(err, err_size, d->path, "page %d: drawing failed: %s",
			page + 1, fz_caught_message(ctx));
	}
	if (ok && cookie.errors > 0)
		log_warn("%s: page %d: %d errors while drawing; "
			 "showing what could be drawn", d->path, page + 1,
			 cookie.errors);
	return ok;
}

/* Is there a document with this page? Clears err, or sets it and says
 * why not. */
static bool page_ok(const struct pdf_doc *d, int page, char *err,
		    size_t err_size)
{
	if (err && err_size)
		err[0] = '\0';
	if (!d) {
		set_err(err, err_size, "pdf", "no document");
		return false;
	}
	if (page < 0 || page >= d->pages) {
		set_err(err, err_size, d->path, "no page %d (the PDF has %d)",
			page + 1, d->pages);
		return false;
	}
	return true;
}

struct image *pdf_render(struct pdf_doc *d, int page, double scale, int x,
			 int y, int w, int h, char *err, size_t err_size)
{
	if (!page_ok(d, page, err, err_size))
		return NULL;
	if (!isfinite(scale) || scale <= 0 || scale > PDF_MAX_SCALE) {
		set_err(err, err_size, d->path, "page %d: scale %g is outside (0, %g]",
			page + 1, scale, PDF_MAX_SCALE);
		return NULL;
	}
	if (w <= 0 || h <= 0) {
		set_err(err, err_size, d->path, "page %d: empty region %dx%d",
			page + 1, w, h);
		return NULL;
	}
	if ((long long)w * h > AVGUARD_MAX_PIXELS) {
		set_err(err, err_size, d->path,
			"page %d: a %dx%d render is over the limit of %lld pixels",
			page + 1, w, h, (long long)AVGUARD_MAX_PIXELS);
		return NULL;
	}

	fz_rect bounds;
	pthread_mutex_lock(&d->lock);
	fz_display_list *list = get_list_locked(d, page, &bounds, err, err_size);
	fz_context *ctx = list ? fz_clone_context(d->ctx) : NULL;
	if (list && !ctx)
		fz_drop_display_list(d->ctx, list);
	pthread_mutex_unlock(&d->lock);
	if (!list)
		return NULL;
	if (!ctx) {
		set_err(err, err_size, d->path, "page %d: out of memory", page + 1);
		return NULL;
	}
	set_callbacks(ctx, d, false);

	struct image *img = image_create(w, h);
	if (!img)
		set_err(err, err_size, d->path, "page %d: no memory for a %dx%d image",
			page + 1, w, h);
	else if (!draw_list(ctx, d, page, list, bounds, scale, x, y, img, err,
			    err_size)) {
		image_destroy(img);
		img = NULL;
	}
	fz_drop_display_list(ctx, list);
	fz_drop_context(ctx);
	return img;
}

struct image *pdf_render_fit(struct pdf_doc *d, int page, int max_w,
			     int max_h, char *err, size_t err_size)
{
	if (!page_ok(d, page, err, err_size))
		return NULL;
	if (max_w <= 0 || max_h <= 0) {
		set_err(err, err_size, d->path, "page %d: empty box %dx%d",
			page + 1, max_w, max_h);
		return NULL;
	}
	fz_rect r;
	pthread_mutex_lock(&d->lock);
	bool ok = page_bounds_locked(d, page, &r, err, err_size);
	pthread_mutex_unlock(&d->lock);
	if (!ok)
		return NULL;
	double pw = r.x1 - r.x0, ph = r.y1 - r.y0;
	if (!(pw > 0 && ph > 0)) {
		set_err(err, err_size, d->path, "page %d has no area", page + 1);
		return NULL;
	}
	double sx = max_w / pw, sy = max_h / ph;
	double scale = sx < sy ? sx : sy;
	/* The limiting side fills the box exactly; the other is rounded. */
	int w = sx < sy ? max_w : (int)lround(pw * scale);
	int h = sx < sy ? (int)lround(ph * scale) : max_h;
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	if (w > max_w)
		w = max_w;
	if (h > max_h)
		h = max_h;
	if (scale > PDF_MAX_SCALE)
		scale = PDF_MAX_SCALE;
	return pdf_render(d, page, scale, 0, 0, w, h, err, err_size);
}
