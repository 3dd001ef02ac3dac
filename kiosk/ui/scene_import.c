/*
 * scene_import: the operator's content page. It shows the live library
 * and the previous one, lists the content packs on the USB sticks that are
 * mounted (looked for again every two seconds, by name only: nothing on a
 * stick is opened before its import begins), imports one on a worker
 * thread with a progress bar for copying and checking and a Cancel
 * button, offers to install an older pack on purpose when the kiosk
 * refuses one, and rolls back to the previous library. After a change the
 * kiosk restarts to show the library that is now live. Every action is
 * logged.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/config.h"
#include "base/log.h"
#include "base/usbmount.h"
#include "base/util.h"
#include "pack/library.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/oppage.h"
#include "ui/text.h"

#define SCAN_EVERY_MS 2000
#define JOB_TICK_MS 40
/* How long "the kiosk restarts" stays on screen before it does. */
#define RESTART_AFTER_MS 3000
#define MAX_PACKS 8

enum { ID_PACK = 0, ID_OLDER = 100, ID_ROLLBACK, ID_CANCEL, ID_BACK,
       ID_RESTART };

/* An import on a worker thread. Inputs are set before it starts; the
 * result is the worker's until joined. */
struct import_job {
	SDL_Thread *thread;           /* NULL once joined */
	struct library *lib;          /* the app's; only the worker uses it */
	char *pack;
	struct packkey_public keys[CONFIG_MAX_PACK_KEYS];
	size_t n_keys;
	bool allow_older;
	SDL_mutex *lock;              /* guards stage, done, total */
	enum library_stage stage;
	int64_t done, total;
	SDL_atomic_t cancel;          /* set by the main thread */
	SDL_atomic_t finished;        /* set by the worker as it ends */
	enum library_result result;   /* out */
	char *err;                    /* out */
};

struct scene_import {
	struct scene base;
	struct oppage page;
	char *packs[MAX_PACKS];       /* on the sticks now */
	int64_t pack_bytes[MAX_PACKS];  /* their sizes at the scan; -1 unknown */
	size_t n_packs;
	int64_t scanned_ms;
	struct import_job *job;       /* running, or NULL */
	char *older;                  /* a refused older pack, to offer */
	bool rollback_armed;          /* Roll back was tapped once */
	int64_t restart_at_ms;        /* 0: none */
	char message[1200];
	int64_t last_input_ms;
};

/* ---- the packs on the sticks ---- */

static void packs_free(struct scene_import *si)
{
	for (size_t i = 0; i < si->n_packs; i++)
		free(si->packs[i]);
	si->n_packs = 0;
}

static void scan(struct scene_import *si, struct app *app)
{
	packs_free(si);
	char **sticks = usbmount_list(false, NULL);
	for (char **s = sticks; *s && si->n_packs < MAX_PACKS; s++) {
		char **packs = usbmount_find_packs(*s, NULL);
		for (char **p = packs; *p && si->n_packs < MAX_PACKS; p++) {
			struct stat st;
			si->pack_bytes[si->n_packs] = stat(*p, &st) == 0 ? st.st_size : -1;
			si->packs[si->n_packs++] = xstrdup(*p);
		}
		usbmount_free(packs);
	}
	usbmount_free(sticks);
	si->scanned_ms = app_now_ms(app);
}

/* ---- the import, on a worker thread ---- */

static bool job_progress(void *user, enum library_stage stage, int64_t done,
			 int64_t total)
{
	struct import_job *j = user;
	SDL_LockMutex(j->lock);
	j->stage = stage;
	j->done = done;
	j->total = total;
	SDL_UnlockMutex(j->lock);
	return !SDL_AtomicGet(&j->cancel);
}

static int job_worker(void *data)
{
	struct import_job *j = data;
	struct library_import_opts opts = {
		.keys = j->keys,
		.n_keys = j->n_keys,
		.allow_older = j->allow_older,
		.progress = job_progress,
		.progress_user = j,
	};
	j->result = library_import(j->lib, j->pack, &opts, &j->err);
	SDL_AtomicSet(&j->finished, 1);
	return 0;
}

/* Cancel the import if it runs, wait for it, free the job (NULL ok). */
static void job_free(struct import_job *j)
{
	if (!j)
		return;
	if (j->thread) {
		SDL_AtomicSet(&j->cancel, 1);
		SDL_WaitThread(j->thread, NULL);
	}
	if (j->lock)
		SDL_DestroyMutex(j->lock);
	free(j->pack);
	free(j->err);
	free(j);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void start_import(struct scene_import *si, struct app *app,
			 const char *pack, bool allow_older)
{
	if (si->job)
		return;
	struct import_job *j = xcalloc(1, sizeof *j);
	j->lib = app_library(app);
	j->pack = xstrdup(pack);
	j->allow_older = allow_older;
	j->n_keys = library_load_keys(app_config(app)->pack_keys, j->keys,
				      CONFIG_MAX_PACK_KEYS);
	j->lock = SDL_CreateMutex();
	SDL_AtomicSet(&j->cancel, 0);
	SDL_AtomicSet(&j->finished, 0);
	app_operator_action(app, allow_older ? "import-older" : "import", pack);
	j->thread = j->lock ? SDL_CreateThread(job_worker, "import", j) : NULL;
	if (!j->thread) {
		log_error("operator: cannot start the import: %s", SDL_GetError());
		snprintf(si->message, sizeof si->message, "%s\n%s",
			 app_tr(app, "The pack could not be imported:"), SDL_GetError());
		job_free(j);
		return;
	}
	si->job = j;
	free(si->older);
	si->older = NULL;
	si->message[0] = '\0';
}

static void restart_soon(struct scene_import *si, struct app *app)
{
	si->restart_at_ms = app_now_ms(app) + RESTART_AFTER_MS;
}

static void finish_import(struct scene_import *si, struct app *app)
{
	struct import_job *j = si->job;
	SDL_WaitThread(j->thread, NULL);
	j->thread = NULL;
	si->job = NULL;
	const struct library_pack *cur = library_current(app_library(app));
	char detail[1400];
	switch (j->result) {
	case LIBRARY_DONE:
		snprintf(detail, sizeof detail, "%s: version %" PRId64,
			 base_name(j->pack), cur->version);
		app_operator_action(app, "import-done", detail);
		snprintf(si->message, sizeof si->message, "%s\n%s",
			 app_tr(app, "The new library is installed."),
			 app_tr(app, "The kiosk restarts to show it."));
		restart_soon(si, app);
		break;
	case LIBRARY_OLDER:
	case LIBRARY_SAME:
		app_operator_action(app, "import-refused", j->err);
		snprintf(si->message, sizeof si->message, "%s\n%s",
			 j->result == LIBRARY_OLDER
			 ? app_tr(app, "This pack is older than the library the "
				  "kiosk shows.")
			 : app_tr(app, "This pack is the library the kiosk "
				  "shows already."), j->err);
		si->older = xstrdup(j->pack);
		break;
	case LIBRARY_CANCELLED:
		app_operator_action(app, "import-cancelled", j->pack);
		snprintf(si->message, sizeof si->message, "%s",
			 app_tr(app, "The import was cancelled. The library is "
				"unchanged."));
		break;
	case LIBRARY_REFUSED:
		app_operator_action(app, "import-refused", j->err);
		snprintf(si->message, sizeof si->message, "%s\n%s\n%s",
			 app_tr(app, "The pack was refused. The library is "
				"unchanged."), app_tr(app, "Why:"), j->err);
		break;
	}
	job_free(j);
	app_redraw(app);
}

static void rollback(struct scene_import *si, struct app *app)
{
	char *err = NULL;
	if (library_rollback(app_library(app), &err)) {
		const struct library_pack *cur = library_current(app_library(app));
		char detail[64];
		snprintf(detail, sizeof detail, "to version %" PRId64, cur->version);
		app_operator_action(app, "rollback", detail);
		snprintf(si->message, sizeof si->message, "%s\n%s",
			 app_tr(app, "The previous library is back."),
			 app_tr(app, "The kiosk restarts to show it."));
		restart_soon(si, app);
	} else {
		app_operator_action(app, "rollback-failed", err);
		snprintf(si->message, sizeof si->message, "%s\n%s",
			 app_tr(app, "The library could not be rolled back:"), err);
		free(err);
	}
}

/* ---- input ---- */

static void press(struct scene_import *si, struct app *app, int id)
{
	if (si->job && id != ID_CANCEL)
		return;
	if (id != ID_ROLLBACK)
		si->rollback_armed = false;
	if (si->restart_at_ms && id != ID_RESTART)
		return;
	if (id >= ID_PACK && id < ID_PACK + (int)si->n_packs) {
		start_import(si, app, si->packs[id - ID_PACK], false);
	} else if (id == ID_OLDER && si->older) {
		char *p = xstrdup(si->older);
		start_import(si, app, p, true);
		free(p);
	} else if (id == ID_ROLLBACK) {
		if (!si->rollback_armed) {
			si->rollback_armed = true;
		} else {
			si->rollback_armed = false;
			rollback(si, app);
		}
	} else if (id == ID_CANCEL && si->job) {
		SDL_AtomicSet(&si->job->cancel, 1);
	} else if (id == ID_RESTART) {
		app_operator_action(app, "restart", "a new library");
		app_request_exit(app, APP_EXIT_RESTART);
	} else if (id == ID_BACK && !si->job) {
		app_pop(app);
		return;
	}
	app_redraw(app);
}

static void import_event(struct scene *sc, struct app *app, const struct ui_event *ev)
{
	struct scene_import *si = (struct scene_import *)sc;
	si->last_input_ms = app_now_ms(app);
	int r = ui_buttons_event(app, si->page.buttons, si->page.n,
				 &si->page.pressed, &sc->focus, ev);
	if (r == UI_GO_BACK)
		press(si, app, si->job ? ID_CANCEL : ID_BACK);
	else if (r >= 0)
		press(si, app, oppage_id(&si->page, r));
}

static int import_tick(struct scene *sc, struct app *app, int64_t now)
{
	struct scene_import *si = (struct scene_import *)sc;
	if (si->job) {
		if (SDL_AtomicGet(&si->job->finished))
			finish_import(si, app);
		app_redraw(app);         /* the progress bar */
		si->last_input_ms = now;
		return JOB_TICK_MS;
	}
	if (si->restart_at_ms) {
		if (now >= si->restart_at_ms) {
			app_operator_action(app, "restart", "a new library");
			app_request_exit(app, APP_EXIT_RESTART);
			return -1;
		}
		return (int)(si->restart_at_ms - now);
	}
	int64_t left = si->last_input_ms + OPPAGE_IDLE_MS - now;
	if (left <= 0) {
		log_info("operator: content page closed after %d s without input",
			 OPPAGE_IDLE_MS / 1000);
		app_pop(app);
		return -1;
	}
	if (now - si->scanned_ms >= SCAN_EVERY_MS) {
		size_t before = si->n_packs;
		scan(si, app);
		if (si->n_packs != before)
			app_redraw(app);
	}
	int64_t next = si->scanned_ms + SCAN_EVERY_MS - now;
	return (int)(next < left ? next : left);
}

static bool import_busy(struct scene *sc, struct app *app)
{
	(void)sc;
	(void)app;
	return true;
}

/* ---- drawing ---- */

static void describe(struct app *app, const struct library_pack *p, char *out,
		     size_t size)
{
	if (!strcmp(p->name, LIBRARY_FACTORY)) {
		snprintf(out, size, "%s", app_tr(app, "the library the kiosk came with"));
		return;
	}
	snprintf(out, size, "%s %" PRId64 " · %s · %s %.10s", app_tr(app, "version"),
		 p->version, *p->publisher ? p->publisher : "—",
		 app_tr(app, "installed"), p->installed);
}

static const char *stage_label(struct app *app, enum library_stage s)
{
	switch (s) {
	case LIBRARY_COPYING: return app_tr(app, "Copying the pack off the USB stick…");
	case LIBRARY_CHECKING: return app_tr(app, "Checking the signature and every file…");
	case LIBRARY_SWITCHING: return app_tr(app, "Switching to the new library…");
	}
	return "";
}

static void import_draw(struct scene *sc, struct app *app)
{
	struct scene_import *si = (struct scene_import *)sc;
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	oppage_begin(&si->page);
	int y = oppage_title(app, app_tr(app, "Content"));
	struct text_style ls = { .size_px = u * 4, .color = COLOR_TEXT };
	struct text_style ds = { .size_px = u * 35 / 10, .color = COLOR_TEXT_DIM };
	int bw = w - u * 6, bh = u * 11;
	if (si->job) {
		/* the worker owns the library until it is joined: only the job */
		SDL_LockMutex(si->job->lock);
		enum library_stage st = si->job->stage;
		double f = si->job->total > 0
			   ? (double)si->job->done / (double)si->job->total : 0;
		SDL_UnlockMutex(si->job->lock);
		char label[300];
		snprintf(label, sizeof label, "%s %s %d %%", base_name(si->job->pack),
			 stage_label(app, st), (int)(f * 100));
		y = oppage_progress(app, u * 3, y, bw, label, f);
		SDL_Rect cancel = { u * 3, y, bw / 2, bh };
		oppage_button(&si->page, app, &sc->focus, cancel, ID_CANCEL, "cancel",
			      app_tr(app, "Cancel"), NULL);
		return;
	}
	const struct library *lib = app_library(app);
	char line[600], about[400];
	describe(app, library_current(lib), about, sizeof about);
	snprintf(line, sizeof line, "%s: %s", app_tr(app, "Live library"), about);
	text_draw_line(te, line, u * 3, y, w - u * 6, &ls);
	y += text_line_height(te, &ls) + u;
	const struct library_pack *prev = library_previous(lib);
	if (prev) {
		describe(app, prev, about, sizeof about);
		snprintf(line, sizeof line, "%s: %s", app_tr(app, "Previous library"),
			 about);
		text_draw_line(te, line, u * 3, y, w - u * 6, &ds);
		y += text_line_height(te, &ds) + u;
	}
	y += u * 2;
	if (si->restart_at_ms) {
		SDL_Rect r = { u * 3, y, bw / 2, bh };
		oppage_button(&si->page, app, &sc->focus, r, ID_RESTART, "restart",
			      app_tr(app, "Restart now"), NULL);
		oppage_message(app, u * 3, y + bh + u * 2, bw, si->message);
		return;
	}
	if (si->n_packs == 0) {
		text_draw_line(te, app_tr(app, "No content pack on a USB stick. Put "
					  "in a stick with a .pack file from the "
					  "publisher."), u * 3, y, bw, &ds);
		y += text_line_height(te, &ds) + u * 2;
	}
	for (size_t i = 0; i < si->n_packs; i++) {
		static const char *const names[MAX_PACKS] = { "pack-0", "pack-1",
			"pack-2", "pack-3", "pack-4", "pack-5", "pack-6", "pack-7" };
		char sub[200] = "";
		if (si->pack_bytes[i] >= 0)
			snprintf(sub, sizeof sub, "%s · %.1f MB", app_tr(app, "Import"),
				 (double)si->pack_bytes[i] / 1e6);
		SDL_Rect r = { u * 3, y, bw, bh };
		oppage_button(&si->page, app, &sc->focus, r, ID_PACK + (int)i,
			      names[i], base_name(si->packs[i]), sub);
		y += bh + u * 2;
	}
	int half = (bw - u * 3) / 2;
	if (si->older) {
		SDL_Rect r = { u * 3, y, bw, bh };
		oppage_button(&si->page, app, &sc->focus, r, ID_OLDER, "older",
			      app_tr(app, "Install it anyway"),
			      app_tr(app, "only when the publisher says so"));
		y += bh + u * 2;
	}
	if (prev) {
		SDL_Rect r = { u * 3, y, half, bh };
		oppage_button(&si->page, app, &sc->focus, r, ID_ROLLBACK, "rollback",
			      si->rollback_armed ? app_tr(app, "Tap again to roll back")
						 : app_tr(app, "Roll back"),
			      app_tr(app, "to the previous library"));
	}
	SDL_Rect back = { u * 6 + half, y, half, bh };
	oppage_button(&si->page, app, &sc->focus, back, ID_BACK, "back",
		      app_tr(app, "Back"), NULL);
	y += bh + u * 2;
	if (si->message[0])
		oppage_message(app, u * 3, y, bw, si->message);
}

static void import_resume(struct scene *sc, struct app *app)
{
	(void)sc;
	app_redraw(app);
}

static void import_destroy(struct scene *sc, struct app *app)
{
	(void)app;
	struct scene_import *si = (struct scene_import *)sc;
	if (si->job)
		log_info("operator: cancelling the import as the page closes");
	job_free(si->job);
	packs_free(si);
	free(si->older);
	free(si);
}

static bool import_find(struct scene *sc, const char *name, SDL_Rect *out)
{
	return oppage_find(&((struct scene_import *)sc)->page, name, out);
}

static const char *import_message(struct scene *sc)
{
	return ((struct scene_import *)sc)->message;
}

static const struct scene_ops import_ops = {
	.name = "import",
	.event = import_event,
	.draw = import_draw,
	.tick = import_tick,
	.resume = import_resume,
	.busy = import_busy,
	.destroy = import_destroy,
	.find_button = import_find,
	.page_message = import_message,
};

struct scene *scene_import_create(struct app *app)
{
	struct scene_import *si = xcalloc(1, sizeof *si);
	si->base.ops = &import_ops;
	si->base.focus = -1;
	si->page.pressed = -1;
	si->last_input_ms = app_now_ms(app);
	scan(si, app);
	return &si->base;
}
