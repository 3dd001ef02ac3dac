/*
 * scene_viewer: shows one item. Posters and leaflet pages are decoded at
 * the size of the screen and fitted to it; videos and audio play through
 * the movie module with a play/pause control and a progress bar, and go
 * back to the grid when they end. Every opening is a view in the log:
 * begun when the viewer opens, closed with the seconds shown and whether
 * it was completed (a video or audio played to its end; a poster or
 * leaflet looked at for VIEW_COMPLETE_STILL_S seconds).
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "base/util.h"
#include "media/image.h"
#include "media/movie.h"
#include "media/subtitles.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "media/imgload.h"
#include "media/pdf.h"
#include "content/leaflet.h"
#include "ui/leaflet_view.h"
#include "ui/picview.h"

#define VIEW_COMPLETE_STILL_S 10.0
/* A file that cannot be shown: the message stays this long, then the
 * visitor is back on the grid. */
#define VIEWER_ERROR_BACK_MS 5000
#define ID_PLAY 1
#define ID_PROGRESS 2
#define ID_BACK10 3
#define ID_FWD10 4
#define ID_VOLDOWN 5
#define ID_VOLUP 6
#define ID_SUBS 7
#define ID_AUDIO 8
#define ID_PREV 9
#define ID_NEXT 10
/* PDF page strip: page i's button id is ID_PAGE + i. */
#define ID_PAGE 100
#define ID_TEXT_SIZE 11
/* The large-text setting of text leaflets. */
#define LARGE_TEXT_SCALE 1.4f
#define STRIP_MAX 9
/* A horizontal drag this share of the width turns a gallery's page. */
#define SWIPE_SHARE 0.15
#define VOLUME_STEP 0.1
#define SKIP_S 10.0
/* A PDF page is drawn on a thread; turning to it waits this long for it
 * (an ordinary page is ready well before), then the loop goes on and the
 * page appears when it is drawn: a page of millions of strokes never
 * freezes the screen. */
#define PAGE_WAIT_MS 120

/* Where one line of subtitles comes from: a file beside the media, or a
 * text subtitle stream inside it. */
struct sub_source {
	struct subtitles *file;      /* owned; NULL when from the stream */
	int stream;                  /* movie subtitle track; -1 none */
	const char *lang;            /* registry tag; NULL: no source */
};

/* One choice of the Sound button: a track of the file playing, or the
 * item's file in another language. */
struct sound_choice {
	const struct item_media *media;
	int track;                   /* audio track of media; -1: its default */
};

struct scene_viewer {
	struct scene base;
	const struct item *item;
	const struct item_media *media;
	bool media_translated;
	char view[STORE_UUID_LEN];
	int64_t opened_ms;
	double watched_s;            /* seconds actually played (not paused, seeks not counted) */
	int64_t watch_mark_ms;       /* app clock of the last update; 0 while paused */

	SDL_Texture *picture;        /* poster/leaflet, or audio cover */
	int pic_w, pic_h;
	struct picview *pv;          /* poster, leaflet page, gallery picture */
	size_t pic;                  /* gallery: the picture shown */
	size_t pics_seen;            /* gallery: how far the visitor went */
	struct imgload *preload;     /* gallery: the next picture, decoding */
	size_t preload_pic;
	SDL_Rect pic_box;            /* where pictures go (for preloading) */
	int swipe_x, swipe_y;        /* gallery: where a drag started */
	/* A PDF leaflet: its pages are the parts, like a gallery's pictures. */
	struct pdf_doc *pdf;
	struct pdf_page_src { struct pdf_doc *doc; int page; } page_src;
	struct picsource page_picsrc;
	struct page_job *page_preload; /* the page shown next or now, drawing */
	bool page_pending;           /* page pic is drawing: shown when done */
	struct page_job *strip_job;  /* a small page for the strip, drawing */
	struct page_job *old_jobs;   /* pages no longer wanted, still drawing */
	char part_error[256];        /* why the gallery picture or PDF page on
				      * screen cannot be shown ("" = it can) */
	/* A text leaflet: laid out for the width and text size, scrolled. */
	struct leaflet *doc;
	struct leaflet_view *lv;
	struct leaflet_layout *layout;
	int layout_w;                /* the width it was laid out for */
	bool large_text;
	int scroll_px, seen_px;      /* the top shown; the deepest bottom seen */
	bool scroll_down;            /* a finger or the mouse is scrolling */
	int scroll_last_y;
	double scroll_v;             /* fling, px per second */
	int64_t scroll_last_ms;
	SDL_Rect text_view;          /* where the leaflet is drawn */
	SDL_Texture **strip;         /* small pages for the strip, made lazily */
	int strip_h;                 /* their height */
	bool swipe_down;
	struct movie *movie;
	SDL_Texture *frame;          /* current video frame */
	bool ended;
	char error[256];             /* why the media cannot be shown ("" = fine) */
	int64_t error_ms;            /* app clock when error was set */

	struct ui_button buttons[12 + STRIP_MAX]; /* top bar, play, -10 s, +10 s, progress,
				       * sound language, subtitles, volume */
	struct sub_source subs[2];   /* [0] in the visitor's language (chain),
				      * [1] Vietnamese under it (subtitle_lines 2) */
	bool subs_on;                /* shown; on unless the item says off */
	struct sound_choice sounds[16]; /* what the Sound button steps through */
	int n_sounds, sound;         /* how many; the one playing */
	char shown_cue[512];         /* the text on screen, to redraw on change */
	SDL_Rect track;              /* the progress bar as drawn */
	bool dragging;               /* a finger or the mouse is on the bar */
	double drag_frac;            /* where, 0..1 */
	size_t n_buttons;
	int pressed;
};

/* The media cannot be shown: the visitor sees a short message in their
 * language (the log has the reason), then goes back to the grid. */
static void set_error(struct scene_viewer *sv, struct app *app, const char *why)
{
	if (sv->error[0])
		return;
	snprintf(sv->error, sizeof sv->error, "%s", why && *why ? why : "unknown error");
	sv->error_ms = app_now_ms(app);
	app_redraw(app);
}

/* Show the picture at path (a poster or leaflet page, or an audio item's
 * cover). A poster or leaflet that cannot be shown is an error for the
 * visitor; a cover that cannot is only logged, at debug level when
 * quiet (a file without embedded art is normal). Returns success. */
static bool load_picture(struct scene_viewer *sv, struct app *app, const char *path,
			 int max_w, int max_h, bool quiet)
{
	char err[256];
	int w, h;
	SDL_Texture *tex = draw_load_picture(app, path, max_w, max_h, &w, &h, err,
					     sizeof err);
	if (!tex) {
		if (quiet) {
			log_debug("item %s: no picture: %s", sv->item->id, err);
			return false;
		}
		log_warn("item %s cannot be shown: %s", sv->item->id, err);
		if (sv->item->type == ITEM_POSTER || sv->item->type == ITEM_LEAFLET)
			set_error(sv, app, err);
		return false;
	}
	if (sv->picture)
		SDL_DestroyTexture(sv->picture);
	sv->picture = tex;
	sv->pic_w = w;
	sv->pic_h = h;
	return true;
}

/* Does a stream tagged code ("vie", "rad", "") speak language l? */
static bool code_is_lang(const char *code, const struct lang *l)
{
	return code[0] && (strcasecmp(code, l->tag) == 0 ||
			   (l->iso639[0] && strcasecmp(code, l->iso639) == 0));
}

/* Find subtitles in language tag: a file beside the media first, else a
 * stream inside it. */
static bool sub_source_open(struct scene_viewer *sv, struct app *app,
			    const char *tag, struct sub_source *out)
{
	*out = (struct sub_source){ .stream = -1 };
	char *sp = subtitles_find(sv->media->path, tag);
	if (sp) {
		char serr[256];
		out->file = subtitles_load(sp, serr, sizeof serr);
		if (!out->file)
			log_warn("item %s: subtitles skipped: %s", sv->item->id, serr);
		free(sp);
	}
	const struct lang *l = lang_find(app_langs(app), tag);
	for (int i = 0; !out->file && l && i < movie_subtitle_tracks(sv->movie); i++) {
		if (code_is_lang(movie_subtitle_track_lang(sv->movie, i), l))
			out->stream = i;
	}
	if (out->file || out->stream >= 0)
		out->lang = l ? l->tag : tag;
	return out->lang != NULL;
}

/* The cue of src at t into buf; false when none. */
static bool sub_source_text(struct scene_viewer *sv, const struct sub_source *src,
			    double t, char *buf, size_t size)
{
	if (!src->lang)
		return false;
	if (src->file) {
		const char *c = subtitles_at(src->file, t);
		if (c)
			snprintf(buf, size, "%s", c);
		return c != NULL;
	}
	return src->stream >= 0 &&
	       movie_subtitle_text(sv->movie, src->stream, t, buf, size);
}

/* The subtitle text on screen now: the visitor's line, and the
 * Vietnamese line under it when there is one; "" when none. */
static void current_cue(struct scene_viewer *sv, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!sv->subs_on || !sv->movie || sv->error[0])
		return;
	double t = movie_position_s(sv->movie);
	char a[256] = "", b[256] = "";
	bool has_a = sub_source_text(sv, &sv->subs[0], t, a, sizeof a);
	bool has_b = sub_source_text(sv, &sv->subs[1], t, b, sizeof b);
	snprintf(buf, size, "%s%s%s", has_a ? a : "", has_a && has_b ? "\x1f" : "",
		 has_b ? b : "");
}

/* The audio tracks' language names for the sound button. */
static const char *track_name(struct app *app, const char *code)
{
	const struct lang_registry *reg = app_langs(app);
	for (size_t i = 0; i < reg->n_langs; i++)
		if (code_is_lang(code, &reg->langs[i]))
			return reg->langs[i].endonym;
	return code[0] ? code : "?";
}

/* A text leaflet: how much of it the visitor had on screen, in percent. */
static int percent_read(const struct scene_viewer *sv)
{
	int total = sv->layout ? leaflet_layout_height(sv->layout) : 0;
	if (total <= 0)
		return 0;
	int pct = (int)(100.0 * sv->seen_px / total);
	return pct > 100 ? 100 : pct;
}

/* Add the time played since the last mark. */
static void update_watched(struct scene_viewer *sv, struct app *app)
{
	int64_t now = app_now_ms(app);
	if (sv->watch_mark_ms > 0 && now > sv->watch_mark_ms)
		sv->watched_s += (double)(now - sv->watch_mark_ms) / 1000.0;
	sv->watch_mark_ms = sv->movie && movie_paused(sv->movie) ? 0 : now;
}

/* List what the Sound button offers, in the item's order of languages:
 * each file, and for the file playing its tracks when it has several. */
static void list_sounds(struct scene_viewer *sv)
{
	sv->n_sounds = 0;
	sv->sound = 0;
	int tracks = movie_audio_tracks(sv->movie);
	for (size_t i = 0; i < sv->item->n_media && sv->n_sounds < 16; i++) {
		const struct item_media *md = &sv->item->media[i];
		if (md != sv->media) {
			if (strcmp(md->path, sv->media->path) != 0)
				sv->sounds[sv->n_sounds++] = (struct sound_choice){ md, -1 };
			continue;
		}
		if (tracks < 2) {
			sv->sound = sv->n_sounds;
			sv->sounds[sv->n_sounds++] = (struct sound_choice){ md, -1 };
			continue;
		}
		for (int t = 0; t < tracks && sv->n_sounds < 16; t++) {
			if (t == movie_audio_track(sv->movie))
				sv->sound = sv->n_sounds;
			sv->sounds[sv->n_sounds++] = (struct sound_choice){ md, t };
		}
	}
}

/* Open media for playing (at start_s seconds), with its sound track
 * chosen by language prefer (may be NULL), then the visitor's, and
 * its subtitles; what was open before is closed. Returns false, with the
 * reason (naming the file) in err and what was playing left alone, when
 * the file cannot be played. */
static bool open_movie(struct scene_viewer *sv, struct app *app,
		       const struct item_media *media, double start_s,
		       const char *prefer, char *err, size_t err_size)
{
	size_t n_chain;
	const char *const *chain = app_lang_chain(app, &n_chain);
	const struct lang_registry *reg = app_langs(app);
	/* the sound track by tag and by the code media files use */
	const char *langs[2 * 9 + 1];
	size_t nl = 0;
	for (size_t i = prefer ? 0 : 1; i <= n_chain && i < 9; i++) {
		const char *tag = i == 0 ? prefer : chain[i - 1];
		const struct lang *l = lang_find(reg, tag);
		langs[nl++] = tag;
		if (l && l->iso639[0])
			langs[nl++] = l->iso639;
	}
	langs[nl] = NULL;
	struct movie_options mo = { .volume = app_volume(app), .langs = langs,
				    .hwdec = app_config(app)->hwdec ? MOVIE_HWDEC_AUTO
								    : MOVIE_HWDEC_OFF };
	app_stop_prompt(app);   /* the film speaks now */
	/* The file playing closes first: a sound device that opens once only
	 * (ALSA's hw: devices, SDL's dummy driver) would leave the new one
	 * silent. When the new one cannot be played, the old one is opened
	 * again where it was. */
	const struct item_media *was = sv->movie ? sv->media : NULL;
	double was_at = sv->movie ? movie_position_s(sv->movie) : 0;
	bool paused = sv->movie && movie_paused(sv->movie);
	movie_close(sv->movie);
	sv->movie = NULL;
	struct movie *m = movie_open(media->path, &mo, err, err_size);
	if (!m) {
		/* err names the file already */
		log_warn("item %s cannot be played: %s", sv->item->id, err);
		if (was && was != media) {
			char again[256];
			if (open_movie(sv, app, was, was_at, was->lang, again,
				       sizeof again)) {
				movie_set_paused(sv->movie, paused);
				sv->watch_mark_ms = paused ? 0 : app_now_ms(app);
			} else {
				log_warn("item %s: %s", sv->item->id, again);
			}
		}
		return false;
	}
	subtitles_destroy(sv->subs[0].file);
	subtitles_destroy(sv->subs[1].file);
	sv->movie = m;
	sv->media = media;
	if (start_s > 0)
		movie_seek(m, start_s);
	movie_set_paused(m, paused);
	sv->watch_mark_ms = paused ? 0 : app_now_ms(app);
	log_info("item %s: %s, video %s", sv->item->id, media->path,
		 movie_has_video(m) ? movie_video_decoder(m) : "none");
	if (sv->item->type == ITEM_VIDEO && !movie_has_video(m))
		log_warn("item %s: %s has no picture that can be shown, only sound",
			 sv->item->id, media->path);

	/* subtitles in the first language of the visitor's chain that has
	 * them; with two lines, Vietnamese (the default language) under a
	 * line in another one */
	sv->subs[0] = sv->subs[1] = (struct sub_source){ .stream = -1 };
	for (size_t i = 0; i < n_chain && !sv->subs[0].lang; i++)
		sub_source_open(sv, app, chain[i], &sv->subs[0]);
	if (app_config(app)->subtitle_lines >= 2 && sv->subs[0].lang &&
	    strcmp(sv->subs[0].lang, reg->default_tag) != 0)
		sub_source_open(sv, app, reg->default_tag, &sv->subs[1]);
	if (start_s <= 0)
		sv->subs_on = (sv->subs[0].lang || sv->subs[1].lang) &&
			      !sv->item->subtitles_off;
	list_sounds(sv);
	return true;
}

/* The Sound button: the next track, or the next language's file from the
 * same moment. */
static void next_sound(struct scene_viewer *sv, struct app *app)
{
	if (sv->n_sounds < 2)
		return;
	int next = (sv->sound + 1) % sv->n_sounds;
	const struct sound_choice *c = &sv->sounds[next];
	if (c->media == sv->media) {
		movie_set_audio_track(sv->movie, c->track);
		sv->sound = next;
		log_info("item %s: sound track %d (%s)", sv->item->id, c->track,
			 movie_audio_track_lang(sv->movie, c->track));
	} else {
		update_watched(sv, app);
		double pos = movie_position_s(sv->movie);
		log_info("item %s: sound in %s from %.1f s", sv->item->id,
			 c->media->lang, pos);
		char err[256];
		if (!open_movie(sv, app, c->media, pos, c->media->lang, err,
				sizeof err)) {
			/* that language's file is bad: play this one on (opened
			 * again where it was) and offer that one no more */
			if (!sv->movie)
				set_error(sv, app, err);
			memmove(&sv->sounds[next], &sv->sounds[next + 1],
				(size_t)(sv->n_sounds - next - 1) * sizeof *sv->sounds);
			sv->n_sounds--;
			if (sv->sound > next)
				sv->sound--;
		}
	}
	app_redraw(app);
}

/* The name of the sound playing, for the Sound button. */
static const char *sound_name(struct scene_viewer *sv, struct app *app)
{
	const struct sound_choice *c = &sv->sounds[sv->sound];
	if (c->track >= 0)
		return track_name(app, movie_audio_track_lang(sv->movie, c->track));
	const struct lang *l = lang_find(app_langs(app), c->media->lang);
	return l ? l->endonym : c->media->lang;
}

static void toggle_pause(struct scene_viewer *sv, struct app *app)
{
	update_watched(sv, app);
	movie_set_paused(sv->movie, !movie_paused(sv->movie));
	sv->watch_mark_ms = movie_paused(sv->movie) ? 0 : app_now_ms(app);
	app_redraw(app);
}

/* How many parts (gallery pictures, PDF pages) the item has; 0: none. */
static size_t parts_count(const struct scene_viewer *sv)
{
	if (sv->pdf)
		return (size_t)pdf_page_count(sv->pdf);
	return sv->item->type == ITEM_GALLERY ? sv->item->n_pictures : 0;
}

/* Seconds the visitor spent on the item: playing time for video and
 * audio (pauses and jumps not counted), time open for pictures. */
static double shown_seconds(struct scene_viewer *sv, struct app *app)
{
	if (sv->movie) {
		update_watched(sv, app);
		return sv->watched_s;
	}
	return (double)(app_now_ms(app) - sv->opened_ms) / 1000.0;
}

static bool completed(struct scene_viewer *sv, struct app *app)
{
	if (sv->item->type == ITEM_VIDEO || sv->item->type == ITEM_AUDIO) {
		if (sv->ended)
			return true;
		double d = sv->movie ? movie_duration_s(sv->movie) : 0;
		return d > 0 && movie_position_s(sv->movie) >= d * 0.95;
	}
	if (parts_count(sv) > 0)
		return sv->pics_seen == parts_count(sv);
	if (sv->doc)
		return sv->layout && sv->seen_px >= leaflet_layout_height(sv->layout) - 2;
	return !sv->error[0] && shown_seconds(sv, app) >= VIEW_COMPLETE_STILL_S;
}

/* Jump by delta seconds (clamped to the file). */
static void skip(struct scene_viewer *sv, struct app *app, double delta)
{
	double dur = movie_duration_s(sv->movie);
	double t = movie_position_s(sv->movie) + delta;
	if (t < 0)
		t = 0;
	if (dur > 0 && t > dur - 0.5)
		t = dur > 0.5 ? dur - 0.5 : 0; /* +10 s near the end: its last moment */
	movie_seek(sv->movie, t);
	app_redraw(app);
}

static void change_volume(struct scene_viewer *sv, struct app *app, double delta)
{
	app_set_volume(app, app_volume(app) + delta);
	movie_set_volume(sv->movie, app_volume(app));
}

static double track_frac(const struct scene_viewer *sv, int x)
{
	if (sv->track.w <= 0)
		return 0;
	double f = (double)(x - sv->track.x) / sv->track.w;
	return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* Tap or drag on the progress bar: the bar follows the finger, the film
 * jumps there when it lifts. Returns true when the event was the bar's. */
static bool handle_drag(struct scene_viewer *sv, struct app *app,
			const struct ui_event *ev)
{
	int u = app_unit(app);
	/* a generous strip around the thin bar, for fingers */
	SDL_Rect zone = { sv->track.x - u * 2, sv->track.y - u * 4,
			  sv->track.w + u * 4, sv->track.h + u * 8 };
	switch (ev->type) {
	case UI_POINTER_DOWN:
		if (sv->track.w <= 0 || movie_duration_s(sv->movie) <= 0 ||
		    !rect_contains(&zone, ev->x, ev->y))
			return false;
		sv->dragging = true;
		sv->drag_frac = track_frac(sv, ev->x);
		app_redraw(app);
		return true;
	case UI_POINTER_MOVE:
		if (!sv->dragging)
			return false;
		sv->drag_frac = track_frac(sv, ev->x);
		app_redraw(app);
		return true;
	case UI_POINTER_UP:
		if (!sv->dragging)
			return false;
		sv->dragging = false;
		sv->drag_frac = track_frac(sv, ev->x);
		movie_seek(sv->movie, sv->drag_frac * movie_duration_s(sv->movie));
		app_redraw(app);
		return true;
	default:
		return false;
	}
}

/* ------------------------------------------------------------------ */
/* Galleries                                                           */
/* ------------------------------------------------------------------ */

/* PDF pages drawn for picview: content units are points. */
static struct image *draw_page(void *userdata, double scale, int x, int y,
			       int w, int h, char *err, size_t err_size)
{
	const struct pdf_page_src *ps = userdata;
	return pdf_render(ps->doc, ps->page, scale, x, y, w, h, err, err_size);
}

/* A PDF page drawn fitted into w x h on a thread of its own (the page
 * shown or the next one, or a small page of the strip). Only the thread
 * touches the document: the main thread never waits on its lock. */
struct page_job {
	pthread_t thread;
	struct pdf_doc *doc;
	int page, w, h;
	atomic_bool done;
	/* written by the thread before done is set */
	struct image *img;
	double w_pt, h_pt;           /* the page's size; 0 when unknown */
	char err[256];
	struct page_job *next;       /* in old_jobs */
};

static void *page_thread(void *arg)
{
	struct page_job *j = arg;
	if (!pdf_page_size(j->doc, j->page, &j->w_pt, &j->h_pt))
		j->w_pt = j->h_pt = 0;
	j->img = pdf_render_fit(j->doc, j->page, j->w, j->h, j->err, sizeof j->err);
	atomic_store(&j->done, true);
	return NULL;
}

static bool page_job_done(const struct page_job *j)
{
	return j && atomic_load(&j->done);
}

/* Draw page of the viewer's PDF into w x h on a new thread; NULL when no
 * thread can be had. */
static struct page_job *page_job_start(struct scene_viewer *sv, int page, int w,
				       int h)
{
	struct page_job *j = xcalloc(1, sizeof *j);
	j->doc = sv->pdf;
	j->page = page;
	j->w = w;
	j->h = h;
	atomic_init(&j->done, false);
	if (pthread_create(&j->thread, NULL, page_thread, j) != 0) {
		free(j);
		return NULL;
	}
	return j;
}

/* Join j (at once when done), free it, hand over its image (may be
 * NULL); the sizes and reason go to the caller's when asked for. */
static struct image *page_job_finish(struct page_job *j, double *w_pt, double *h_pt,
				     char *err, size_t err_size)
{
	if (!j)
		return NULL;
	pthread_join(j->thread, NULL);
	struct image *img = j->img;
	if (w_pt)
		*w_pt = j->w_pt;
	if (h_pt)
		*h_pt = j->h_pt;
	if (err && err_size)
		snprintf(err, err_size, "%s", j->err);
	free(j);
	return img;
}

/* A job no longer wanted: freed now when done, else when it is (its
 * page may take long, and nobody waits for it). */
static void page_job_abandon(struct scene_viewer *sv, struct page_job *j)
{
	if (!j)
		return;
	if (page_job_done(j)) {
		image_destroy(page_job_finish(j, NULL, NULL, NULL, 0));
		return;
	}
	j->next = sv->old_jobs;
	sv->old_jobs = j;
}

/* Free the abandoned jobs that have ended. */
static void page_jobs_reap(struct scene_viewer *sv)
{
	for (struct page_job **pj = &sv->old_jobs; *pj;) {
		struct page_job *j = *pj;
		if (page_job_done(j)) {
			*pj = j->next;
			image_destroy(page_job_finish(j, NULL, NULL, NULL, 0));
		} else {
			pj = &j->next;
		}
	}
}

/* What a closed viewer leaves drawing: its jobs, and the document they
 * draw from, closed when they end. */
struct page_reaper {
	struct page_job *jobs;
	struct pdf_doc *pdf;
};

static void *reaper_thread(void *arg)
{
	struct page_reaper *r = arg;
	while (r->jobs) {
		struct page_job *j = r->jobs;
		r->jobs = j->next;
		image_destroy(page_job_finish(j, NULL, NULL, NULL, 0));
	}
	pdf_close(r->pdf);
	free(r);
	return NULL;
}

/* Close the viewer's PDF after every job drawing from it: now when they
 * are done, else on a thread of its own, so closing a viewer never waits
 * for a page that takes seconds to draw. */
static void pdf_close_after_jobs(struct scene_viewer *sv)
{
	struct page_job *all = sv->old_jobs;
	sv->old_jobs = NULL;
	struct page_job *mine[2] = { sv->page_preload, sv->strip_job };
	sv->page_preload = sv->strip_job = NULL;
	for (int k = 0; k < 2; k++) {
		if (mine[k]) {
			mine[k]->next = all;
			all = mine[k];
		}
	}
	bool busy = false;
	for (struct page_job *j = all; j; j = j->next)
		busy = busy || !page_job_done(j);
	if (busy && sv->pdf) {
		struct page_reaper *r = xcalloc(1, sizeof *r);
		r->jobs = all;
		r->pdf = sv->pdf;
		pthread_t t;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		bool started = pthread_create(&t, &attr, reaper_thread, r) == 0;
		pthread_attr_destroy(&attr);
		if (started) {
			sv->pdf = NULL;
			return;
		}
		free(r);        /* no thread: wait here after all */
	}
	while (all) {
		struct page_job *j = all;
		all = j->next;
		image_destroy(page_job_finish(j, NULL, NULL, NULL, 0));
	}
	pdf_close(sv->pdf);
	sv->pdf = NULL;
}

/* Start drawing page i of the PDF for the picture box (nothing when it
 * is being drawn already); a job for another page is abandoned. */
static void page_preload(struct scene_viewer *sv, size_t i)
{
	struct page_job *j = sv->page_preload;
	if (j && j->page == (int)i && j->w == sv->pic_box.w && j->h == sv->pic_box.h)
		return;
	page_job_abandon(sv, j);
	sv->page_preload = page_job_start(sv, (int)i, sv->pic_box.w, sv->pic_box.h);
}

/* Show PDF page i from its finished job. */
static struct picview *show_page(struct scene_viewer *sv, struct app *app,
				 size_t i, char *err, size_t err_size)
{
	double w_pt = 0, h_pt = 0;
	struct image *base = NULL;
	err[0] = '\0';
	if (sv->page_preload && sv->page_preload->page == (int)i) {
		base = page_job_finish(sv->page_preload, &w_pt, &h_pt, err, err_size);
		sv->page_preload = NULL;
	}
	/* the new page's source replaces the old one's: its picview goes
	 * first (it may be drawing from it) */
	picview_destroy(sv->pv);
	sv->pv = NULL;
	if (!base) {
		if (!err[0])
			snprintf(err, err_size, "%s: page %zu was not drawn",
				 sv->media->path, i + 1);
		return NULL;
	}
	sv->page_src = (struct pdf_page_src){ sv->pdf, (int)i };
	sv->page_picsrc = (struct picsource){
		.content_w = (int)ceil(w_pt), .content_h = (int)ceil(h_pt),
		.max_px_per_content = 8.0,      /* 576 dpi */
		.render = draw_page, .userdata = &sv->page_src,
	};
	if (w_pt <= 0 || h_pt <= 0) {
		image_destroy(base);
		snprintf(err, err_size, "%s: page %zu has no usable size (none, or "
			 "larger than a PDF page can be)", sv->media->path, i + 1);
		return NULL;
	}
	return picview_create_source(app_renderer(app), &sv->page_picsrc, base,
				     sv->pic_box, err, err_size);
}

/* Start decoding the picture after the one shown, so turning to it is
 * immediate. */
static void gallery_preload(struct scene_viewer *sv, struct app *app)
{
	size_t next = sv->pic + 1;
	if (next >= parts_count(sv) || sv->pic_box.w <= 0)
		return;
	if (sv->pdf) {
		page_preload(sv, next);
		return;
	}
	if (sv->preload && sv->preload_pic == next)
		return;
	image_destroy(imgload_finish(sv->preload, NULL, NULL, 0));
	int64_t limit = (int64_t)app_config(app)->max_picture_megapixels * 1000000;
	sv->preload = imgload_start(sv->item->pictures[next].path, sv->pic_box.w,
				    sv->pic_box.h, limit);
	sv->preload_pic = next;
}

/* The PDF page pic is drawn: show it (or why it cannot be), and start
 * drawing the next one. */
static void page_ready(struct scene_viewer *sv, struct app *app)
{
	char err[256] = "";
	sv->page_pending = false;
	sv->pv = show_page(sv, app, sv->pic, err, sizeof err);
	if (!sv->pv) {
		log_warn("item %s: page %zu cannot be shown: %s", sv->item->id,
			 sv->pic + 1, err);
		snprintf(sv->part_error, sizeof sv->part_error, "%s", err);
		if (pdf_page_count(sv->pdf) == 1)
			set_error(sv, app, err);
	}
	gallery_preload(sv, app);
	app_redraw(app);
}

/* Show gallery picture or PDF page i (prepared ahead when it was the
 * next one). A PDF page not drawn within PAGE_WAIT_MS shows when it is
 * (viewer_tick). */
static void gallery_show(struct scene_viewer *sv, struct app *app, size_t i)
{
	sv->part_error[0] = '\0';
	if (sv->pdf) {
		picview_destroy(sv->pv);
		sv->pv = NULL;
		sv->pic = i;
		if (i + 1 > sv->pics_seen)
			sv->pics_seen = i + 1;
		page_preload(sv, i);
		sv->page_pending = true;
		for (int64_t until = time_mono_ms() + PAGE_WAIT_MS;
		     sv->page_preload && !page_job_done(sv->page_preload) &&
		     time_mono_ms() < until;)
			SDL_Delay(1);
		if (!sv->page_preload || page_job_done(sv->page_preload))
			page_ready(sv, app);
		app_redraw(app);
		return;
	}
	const char *path = sv->item->pictures[i].path;
	int64_t limit = (int64_t)app_config(app)->max_picture_megapixels * 1000000;
	char err[256] = "";
	struct picview *pv = NULL;
	if (sv->preload && sv->preload_pic == i) {
		struct image_info info;
		int bw, bh;
		imgload_box(sv->preload, &bw, &bh);
		struct image *img = imgload_finish(sv->preload, &info, err, sizeof err);
		sv->preload = NULL;
		if (img && bw == sv->pic_box.w && bh == sv->pic_box.h)
			pv = picview_create_from(app_renderer(app), path, img, &info,
						 sv->pic_box, limit, err, sizeof err);
		else
			image_destroy(img);
	}
	if (!pv && !err[0])
		pv = picview_create(app_renderer(app), path, sv->pic_box, limit, err,
				    sizeof err);
	if (!pv) {
		/* one bad photo does not end the exhibition */
		log_warn("item %s: picture %zu cannot be shown: %s", sv->item->id,
			 i + 1, err);
		snprintf(sv->part_error, sizeof sv->part_error, "%s",
			 err[0] ? err : "cannot be shown");
	}
	picview_destroy(sv->pv);
	sv->pv = pv;
	sv->pic = i;
	if (i + 1 > sv->pics_seen)
		sv->pics_seen = i + 1;
	gallery_preload(sv, app);
	app_redraw(app);
}

/* Next (dir 1) or previous (-1) picture; nothing past either end. */
static void gallery_turn(struct scene_viewer *sv, struct app *app, int dir)
{
	if (parts_count(sv) == 0)
		return;
	if (dir > 0 && sv->pic + 1 < parts_count(sv))
		gallery_show(sv, app, sv->pic + 1);
	else if (dir < 0 && sv->pic > 0)
		gallery_show(sv, app, sv->pic - 1);
}

/* Swipes and page keys of a gallery. Returns true when ev was used. */
static bool gallery_event(struct scene_viewer *sv, struct app *app,
			  const struct ui_event *ev)
{
	bool fitted = !sv->pv || picview_zoom(sv->pv) <= 1.001;
	switch (ev->type) {
	case UI_PAGE_UP:
	case UI_PAGE_DOWN:
		gallery_turn(sv, app, ev->type == UI_PAGE_DOWN ? 1 : -1);
		return true;
	case UI_POINTER_DOWN:
		sv->swipe_down = true;
		sv->swipe_x = ev->x;
		sv->swipe_y = ev->y;
		return false;   /* the picture and the buttons see it too */
	case UI_POINTER_CANCEL:
		sv->swipe_down = false;
		return false;
	case UI_POINTER_UP: {
		bool was = sv->swipe_down;
		sv->swipe_down = false;
		int w, h;
		app_size(app, &w, &h);
		int dx = ev->x - sv->swipe_x, dy = ev->y - sv->swipe_y;
		if (!was || !fitted || abs(dx) < w * SWIPE_SHARE || abs(dx) < 2 * abs(dy))
			return false;
		/* a swipe to the left brings the next picture */
		gallery_turn(sv, app, dx < 0 ? 1 : -1);
		return true;
	}
	default:
		return false;
	}
}

/* ------------------------------------------------------------------ */
/* Text leaflets                                                       */
/* ------------------------------------------------------------------ */

static void text_scroll_to(struct scene_viewer *sv, struct app *app, int y)
{
	int max = sv->layout ? leaflet_layout_height(sv->layout) - sv->text_view.h : 0;
	if (y > max)
		y = max;
	if (y < 0)
		y = 0;
	if (y != sv->scroll_px)
		app_redraw(app);
	sv->scroll_px = y;
	if (y + sv->text_view.h > sv->seen_px)
		sv->seen_px = y + sv->text_view.h;
}

/* Scrolling a text leaflet: drag (with a fling), wheel, up/down keys,
 * page keys. Returns true when ev was used. */
static bool text_event(struct scene_viewer *sv, struct app *app,
		       const struct ui_event *ev)
{
	const SDL_Rect *v = &sv->text_view;
	int64_t now = app_now_ms(app);
	switch (ev->type) {
	case UI_POINTER_DOWN:
		if (ev->y < v->y || ev->y >= v->y + v->h)
			return false;
		sv->scroll_down = true;
		sv->scroll_last_y = ev->y;
		sv->scroll_last_ms = now;
		sv->scroll_v = 0;
		return true;
	case UI_POINTER_MOVE: {
		if (!sv->scroll_down)
			return false;
		int dy = ev->y - sv->scroll_last_y;
		double dt = (now - sv->scroll_last_ms) / 1000.0;
		if (dt > 0.001)
			sv->scroll_v = 0.6 * (-dy / dt) + 0.4 * sv->scroll_v;
		text_scroll_to(sv, app, sv->scroll_px - dy);
		sv->scroll_last_y = ev->y;
		sv->scroll_last_ms = now;
		return true;
	}
	case UI_POINTER_UP:
	case UI_POINTER_CANCEL:
		if (!sv->scroll_down)
			return false;
		sv->scroll_down = false;
		if (now - sv->scroll_last_ms > 80)
			sv->scroll_v = 0;       /* stopped before lifting */
		sv->scroll_last_ms = now;
		return true;
	case UI_WHEEL:
		text_scroll_to(sv, app, sv->scroll_px - ev->dy * v->h / 8);
		return true;
	case UI_NAV_UP:
	case UI_NAV_DOWN: {
		/* scroll while there is more that way; at an end the key
		 * moves the focus (to the buttons above or below) */
		int before = sv->scroll_px;
		text_scroll_to(sv, app, sv->scroll_px + (ev->type == UI_NAV_DOWN ? 1 : -1) *
						     v->h / 5);
		return sv->scroll_px != before;
	}
	case UI_PAGE_DOWN:
		if (sv->layout)
			text_scroll_to(sv, app, leaflet_layout_page_down(sv->layout,
									 sv->scroll_px, v->h));
		return true;
	case UI_PAGE_UP:
		text_scroll_to(sv, app, sv->scroll_px - v->h * 9 / 10);
		return true;
	default:
		return false;
	}
}

/* Lay the leaflet out again when the width or the text size changed;
 * keep the reading place (the same share of the leaflet). */
static void leaflet_relayout(struct scene_viewer *sv, struct app *app, int width)
{
	float scale = sv->large_text ? LARGE_TEXT_SCALE : 1.0f;
	if (sv->layout && sv->layout_w == width)
		return;
	double at = sv->layout && leaflet_layout_height(sv->layout) > 0
			    ? (double)sv->scroll_px / leaflet_layout_height(sv->layout)
			    : 0;
	leaflet_layout_destroy(sv->layout);
	int w, h;
	app_size(app, &w, &h);
	struct leaflet_layout_params p = {
		.width_px = width, .base_size_px = app_unit(app) * 4, .scale = scale,
		.max_picture_h_px = sv->text_view.h,
	};
	sv->layout = leaflet_layout_create(sv->lv, sv->doc, &p);
	sv->layout_w = width;
	if (sv->layout) {
		sv->scroll_px = (int)(at * leaflet_layout_height(sv->layout));
		text_scroll_to(sv, app, sv->scroll_px);
	}
}

static void draw_text_leaflet(struct scene_viewer *sv, struct app *app, SDL_Rect area)
{
	int u = app_unit(app);
	/* a reading column: at most about 45 body letters' worth of width */
	int col = area.w - u * 8;
	int max_col = u * 4 * (sv->large_text ? 14 : 10) * 45 / 20;
	if (col > max_col)
		col = max_col;
	sv->text_view = (SDL_Rect){ area.x + (area.w - col) / 2, area.y + u * 2, col,
				    area.h - u * 4 };
	leaflet_relayout(sv, app, col);
	if (!sv->layout)
		return;
	draw_fill(app_renderer(app), &area, COLOR_PAGE);
	leaflet_layout_draw(sv->layout, &sv->text_view, sv->scroll_px, COLOR_INK);
}

/* Register a control of this frame and draw it as a button. */
static void add_button(struct scene_viewer *sv, struct app *app, SDL_Rect r,
		       int id, const char *label, const char *sublabel)
{
	int idx = (int)sv->n_buttons;
	sv->buttons[sv->n_buttons++] = (struct ui_button){ r, id };
	draw_button(app, &r, label, sublabel, sv->base.focus == idx, sv->pressed == idx);
}

/* The band under a text leaflet: the text size switch. */
static void draw_text_band(struct scene_viewer *sv, struct app *app, SDL_Rect bar)
{
	int u = app_unit(app);
	draw_fill(app_renderer(app), &bar, COLOR_PANEL);
	SDL_Rect b = { bar.x + bar.w - u * 32, bar.y + u * 2, u * 30, bar.h - u * 4 };
	add_button(sv, app, b, ID_TEXT_SIZE,
		   app_tr(app, sv->large_text ? "Normal text" : "Larger text"), NULL);
	if (sv->layout) {
		int total = leaflet_layout_height(sv->layout);
		int pct = total > 0 ? (int)lround(100.0 * (sv->scroll_px + sv->text_view.h) /
						    total) : 100;
		char where[32];
		snprintf(where, sizeof where, "%d %%", pct > 100 ? 100 : pct);
		struct text_style ts = { .size_px = u * 3, .color = COLOR_TEXT_DIM,
					 .align = TEXT_LEFT };
		text_draw_line(app_text(app), where, u * 3,
			       bar.y + (bar.h - text_line_height(app_text(app), &ts)) / 2,
			       u * 20, &ts);
	}
}

static void viewer_event(struct scene *sc, struct app *app, const struct ui_event *ev)
{
	struct scene_viewer *sv = (struct scene_viewer *)sc;
	if (sv->movie && handle_drag(sv, app, ev))
		return;
	if (sv->doc && text_event(sv, app, ev))
		return;
	if (parts_count(sv) > 0 && gallery_event(sv, app, ev))
		return;
	if (sv->pv && picview_event(sv->pv, ev, app_now_ms(app))) {
		app_redraw(app);
		return;
	}
	if (sv->movie && (ev->type == UI_VOLUME_UP || ev->type == UI_VOLUME_DOWN)) {
		change_volume(sv, app, ev->type == UI_VOLUME_UP ? VOLUME_STEP : -VOLUME_STEP);
		return;
	}
	if (sv->movie && (ev->type == UI_PAGE_UP || ev->type == UI_PAGE_DOWN)) {
		skip(sv, app, ev->type == UI_PAGE_DOWN ? SKIP_S : -SKIP_S);
		return;
	}
	int r = ui_buttons_event(app, sv->buttons, sv->n_buttons, &sv->pressed,
				 &sc->focus, ev);
	if (r == UI_GO_BACK) {
		app_pop(app);
	} else if (r >= 0) {
		int id = sv->buttons[r].id;
		if (topbar_action(app, id))
			return;
		if (id == ID_PLAY && sv->movie)
			toggle_pause(sv, app);
		else if (id == ID_BACK10 && sv->movie)
			skip(sv, app, -SKIP_S);
		else if (id == ID_FWD10 && sv->movie)
			skip(sv, app, SKIP_S);
		else if (id == ID_AUDIO && sv->movie)
			next_sound(sv, app);
		else if (id == ID_TEXT_SIZE && sv->doc) {
			sv->large_text = !sv->large_text;
			sv->layout_w = 0;       /* lay out again */
			log_info("item %s: %s text", sv->item->id,
				 sv->large_text ? "large" : "normal");
			app_redraw(app);
		}
		else if (id == ID_PREV || id == ID_NEXT)
			gallery_turn(sv, app, id == ID_NEXT ? 1 : -1);
		else if (id >= ID_PAGE && (size_t)(id - ID_PAGE) < parts_count(sv) &&
			 (size_t)(id - ID_PAGE) != sv->pic)
			gallery_show(sv, app, (size_t)(id - ID_PAGE));
		else if (id == ID_SUBS && (sv->subs[0].lang || sv->subs[1].lang)) {
			sv->subs_on = !sv->subs_on;
			app_redraw(app);
		} else if (id == ID_VOLDOWN && sv->movie)
			change_volume(sv, app, -VOLUME_STEP);
		else if (id == ID_VOLUP && sv->movie)
			change_volume(sv, app, VOLUME_STEP);
		else if (id == ID_PROGRESS && sv->movie)
			/* Activate on the focused bar: keys move by SKIP_S */
			skip(sv, app, SKIP_S);
	} else if (r == UI_TAP_OUTSIDE && sv->movie && ev->y > app_unit(app) * 12) {
		/* a tap on the picture pauses or resumes */
		toggle_pause(sv, app);
	}
}

static void format_time(char *buf, size_t size, double s)
{
	if (!(s >= 0) || !isfinite(s))
		s = 0;
	int t = (int)s;
	snprintf(buf, size, "%d:%02d", t / 60, t % 60);
}

/* Make the strip's small pages, one at a time on a thread (so opening a
 * long leaflet is not held up). Returns true when one was made. */
static bool strip_make_one(struct scene_viewer *sv, struct app *app)
{
	size_t n = parts_count(sv);
	if (!sv->pdf || sv->strip_h <= 0)
		return false;
	if (!sv->strip)
		sv->strip = xcalloc(n, sizeof *sv->strip);
	/* one small page drawn at a time, on a thread, and not while the
	 * page to show is drawing */
	if (sv->strip_job) {
		if (!page_job_done(sv->strip_job))
			return false;
		int i = sv->strip_job->page;
		struct image *img = page_job_finish(sv->strip_job, NULL, NULL, NULL, 0);
		sv->strip_job = NULL;
		if (!img) {
			/* keep a blank: not tried again */
			img = image_create(sv->strip_h * 7 / 10, sv->strip_h);
		}
		if (img && !sv->strip[i]) {
			sv->strip[i] = SDL_CreateTexture(app_renderer(app),
							 SDL_PIXELFORMAT_RGBA32,
							 SDL_TEXTUREACCESS_STATIC,
							 img->w, img->h);
			if (sv->strip[i])
				SDL_UpdateTexture(sv->strip[i], NULL, img->pixels,
						  img->pitch);
		}
		image_destroy(img);
		return true;
	}
	if (sv->page_pending)
		return false;
	/* nearest the page shown first */
	for (size_t d = 0; d < n; d++) {
		for (int sgn = 1; sgn >= -1; sgn -= 2) {
			long i = (long)sv->pic + sgn * (long)d;
			if (i < 0 || (size_t)i >= n || sv->strip[i])
				continue;
			sv->strip_job = page_job_start(sv, (int)i, sv->strip_h, sv->strip_h);
			return false;
		}
	}
	return false;
}

/* The page strip: small pages around the one shown, which is framed;
 * tapping one turns to it. */
static void draw_page_strip(struct scene_viewer *sv, struct app *app, SDL_Rect box)
{
	SDL_Renderer *ren = app_renderer(app);
	int u = app_unit(app);
	sv->strip_h = box.h - u * 4;
	if (sv->strip_h <= 0 || !sv->strip)
		return;
	int cell = sv->strip_h * 8 / 10 + u * 2;
	int fit = box.w / cell;
	if (fit > STRIP_MAX)
		fit = STRIP_MAX;
	size_t n = parts_count(sv);
	long first = (long)sv->pic - fit / 2;
	if (first + fit > (long)n)
		first = (long)n - fit;
	if (first < 0)
		first = 0;
	int x = box.x + (box.w - fit * cell) / 2;
	for (long i = first; i < first + fit && (size_t)i < n; i++, x += cell) {
		SDL_Rect r = { x + u, box.y, cell - u * 2, sv->strip_h };
		int idx = (int)sv->n_buttons;
		sv->buttons[sv->n_buttons++] = (struct ui_button){ r, ID_PAGE + (int)i };
		if (sv->strip[i]) {
			int tw, th;
			SDL_QueryTexture(sv->strip[i], NULL, NULL, &tw, &th);
			SDL_Rect fitr = rect_fit(tw, th, &r);
			SDL_RenderCopy(ren, sv->strip[i], NULL, &fitr);
		} else {
			draw_fill(ren, &r, COLOR_PANEL_HI);
		}
		SDL_Rect f = { r.x - u / 2, r.y - u / 2, r.w + u, r.h + u };
		if ((size_t)i == sv->pic)      /* the page shown */
			draw_outline(ren, &f, u / 2 > 2 ? u / 2 : 2, COLOR_ACCENT);
		if (sv->base.focus == idx)
			draw_focus(app, &f);
	}
}

/* The band under a gallery picture: previous, the caption in the
 * visitor's language with "3 / 12", next. */
static void draw_gallery_band(struct scene_viewer *sv, struct app *app, SDL_Rect bar)
{
	SDL_Renderer *ren = app_renderer(app);
	struct text_engine *te = app_text(app);
	int u = app_unit(app);
	draw_fill(ren, &bar, COLOR_PANEL);
	SDL_Rect prev = { u * 2, bar.y + u * 3, u * 20, bar.h - u * 6 };
	SDL_Rect next = { bar.x + bar.w - u * 22, prev.y, u * 20, prev.h };
	struct { SDL_Rect r; int id; const char *label; bool on; } b[2] = {
		{ prev, ID_PREV, app_tr(app, "Previous"), sv->pic > 0 },
		{ next, ID_NEXT, app_tr(app, "Next"), sv->pic + 1 < parts_count(sv) },
	};
	for (int i = 0; i < 2; i++) {
		if (!b[i].on)
			continue;
		add_button(sv, app, b[i].r, b[i].id, b[i].label, NULL);
	}
	size_t n_chain;
	const char *const *chain = app_lang_chain(app, &n_chain);
	if (sv->pdf) {
		draw_page_strip(sv, app, (SDL_Rect){ prev.x + prev.w + u * 3, bar.y + u,
						     next.x - prev.x - prev.w - u * 6,
						     bar.h - u * 6 });
	}
	const char *cap = sv->pdf ? NULL
				  : item_picture_caption(&sv->item->pictures[sv->pic],
							 chain, n_chain, NULL);
	char count[32];
	snprintf(count, sizeof count, "%zu / %zu", sv->pic + 1, parts_count(sv));
	SDL_Rect box = { prev.x + prev.w + u * 3, bar.y + u, next.x - prev.x - prev.w - u * 6,
			 bar.h - u * 6 };
	struct text_style cs = { .size_px = u * 4, .color = COLOR_TEXT, .align = TEXT_CENTER };
	if (cap)
		text_draw_box(te, cap, &box, 3, &cs);
	struct text_style ns = { .size_px = u * 3, .color = COLOR_TEXT_DIM,
				 .align = TEXT_CENTER };
	text_draw_line(te, count, box.x, bar.y + bar.h - u * 5, box.w, &ns);
}

static void viewer_draw(struct scene *sc, struct app *app)
{
	struct scene_viewer *sv = (struct scene_viewer *)sc;
	SDL_Renderer *ren = app_renderer(app);
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	int top = u * 12;
	bool has_controls = sv->movie != NULL;
	bool gallery = parts_count(sv) > 0 && !sv->error[0];
	/* the progress row over a row of buttons */
	int progress_h = u * 7;
	bool text = sv->doc && !sv->error[0];
	int controls_h = has_controls ? progress_h + u * 14 : gallery ? u * 18
				       : text ? u * 14 : 0;
	SDL_Rect area = { 0, top, w, h - top - controls_h };
	draw_fill(ren, &area, COLOR_BLACK);

	size_t n_chain;
	const char *const *chain = app_lang_chain(app, &n_chain);
	bool title_tr;
	const struct item_text *t = item_text_for(sv->item, chain, n_chain, &title_tr);

	if (sv->error[0]) {
		struct text_style es = { .size_px = u * 5, .color = COLOR_TEXT,
					 .align = TEXT_CENTER };
		SDL_Rect box = { u * 5, top + area.h / 3, w - u * 10, area.h / 2 };
		text_draw_box(te, app_tr(app, "Sorry, this item cannot be shown right now."),
			      &box, 3, &es);
	} else if (sv->movie && movie_has_video(sv->movie) && sv->frame) {
		int vw, vh;
		movie_display_size(sv->movie, &vw, &vh);
		SDL_Rect r = rect_fit(vw, vh, &area);
		draw_rotated(ren, sv->frame, &r, movie_rotation(sv->movie));
	} else if (sv->pv) {
		picview_set_box(sv->pv, area);  /* the screen may have turned */
		sv->pic_box = area;
		picview_draw(sv->pv, ren);
	} else if (text) {
		draw_text_leaflet(sv, app, area);
	} else if (gallery && sv->page_pending) {
		/* a page that takes long to draw: it shows when it is drawn */
		struct text_style es = { .size_px = u * 6, .color = COLOR_TEXT_DIM,
					 .align = TEXT_CENTER };
		SDL_Rect box = { u * 5, top + area.h / 3, w - u * 10, area.h / 3 };
		text_draw_box(te, "\xE2\x80\xA6", &box, 1, &es);    /* … */
	} else if (gallery) {
		/* one photo of the exhibition cannot be shown (logged) */
		struct text_style es = { .size_px = u * 4, .color = COLOR_TEXT_DIM,
					 .align = TEXT_CENTER };
		SDL_Rect box = { u * 5, top + area.h / 3, w - u * 10, area.h / 3 };
		text_draw_box(te, app_tr(app, "This picture cannot be shown."), &box, 2, &es);
	} else if (sv->picture) {
		SDL_Rect box = area;
		if (sv->item->type == ITEM_AUDIO) {
			/* cover picture in the upper part, title under it */
			box.y += u * 3;
			box.h = area.h * 70 / 100;
		}
		SDL_Rect r = rect_fit(sv->pic_w, sv->pic_h, &box);
		SDL_RenderCopy(ren, sv->picture, NULL, &r);
	}
	/* sound without a picture (an audio item, or a video file that has
	 * only sound): its title, never an empty screen */
	bool sound_only = sv->item->type == ITEM_AUDIO ||
			  (sv->movie && !movie_has_video(sv->movie));
	if (sound_only && !sv->error[0]) {
		struct text_style ts = { .size_px = u * 5, .bold = true,
					 .color = COLOR_TEXT, .align = TEXT_CENTER };
		SDL_Rect box = { u * 4, area.y + area.h * 75 / 100, w - u * 8, area.h * 25 / 100 };
		text_draw_box(te, t->title, &box, 2, &ts);
	}

	/* the subtitle on screen now, over the lower part of the picture:
	 * the visitor's line, and the Vietnamese one under it */
	current_cue(sv, sv->shown_cue, sizeof sv->shown_cue);
	if (sv->shown_cue[0]) {
		char *second = strchr(sv->shown_cue, '\x1f');
		char first[512];
		snprintf(first, sizeof first, "%.*s",
			 second ? (int)(second - sv->shown_cue) : (int)strlen(sv->shown_cue),
			 sv->shown_cue);
		if (second)
			second++;
		struct text_style ss = { .size_px = u * 5, .color = COLOR_TEXT,
					 .align = TEXT_CENTER };
		struct text_style s2 = { .size_px = u * 4, .color = COLOR_TEXT_DIM,
					 .align = TEXT_CENTER };
		int lh = text_line_height(te, &ss), lh2 = text_line_height(te, &s2);
		struct text_line tl[3];
		int n = first[0] ? (int)text_layout(te, first, &ss, w - u * 16, 3, tl) : 0;
		int n2 = second ? (int)text_layout(te, second, &s2, w - u * 16, 2, tl) : 0;
		int text_h = n * lh + n2 * lh2;
		SDL_Rect box = { u * 6, area.y + area.h - u * 4 - text_h,
				 w - u * 12, text_h + u * 2 };
		draw_fill(ren, &box, (SDL_Color){ 0, 0, 0, 200 });
		SDL_Rect tb = { box.x + u * 2, box.y + u, box.w - u * 4, n * lh };
		if (n)
			text_draw_box(te, first, &tb, 3, &ss);
		SDL_Rect tb2 = { tb.x, tb.y + n * lh, tb.w, n2 * lh2 };
		if (n2)
			text_draw_box(te, second, &tb2, 2, &s2);
	}

	int focus_id = sc->focus >= 0 && (size_t)sc->focus < sv->n_buttons
		       ? sv->buttons[sc->focus].id : 0;
	draw_topbar(app, t->title, sv->buttons, focus_id);
	sv->n_buttons = 3;

	if (!sv->media_translated) {
		struct text_style bs = { .size_px = u * 3, .bold = true, .color = COLOR_BLACK };
		const char *label = app_tr(app, "Not yet translated");
		int bw, bh;
		text_measure(te, label, &bs, &bw, &bh);
		SDL_Rect badge = { w - bw - u * 4, top + u, bw + u * 2, bh + u };
		draw_fill(ren, &badge, COLOR_BADGE);
		text_draw_line(te, label, badge.x + u, badge.y + u / 2, 0, &bs);
	}

	if (gallery)
		draw_gallery_band(sv, app, (SDL_Rect){ 0, h - controls_h, w, controls_h });
	if (text)
		draw_text_band(sv, app, (SDL_Rect){ 0, h - controls_h, w, controls_h });
	if (has_controls) {
		SDL_Rect bar = { 0, h - controls_h, w, controls_h };
		draw_fill(ren, &bar, COLOR_PANEL);
		SDL_Rect play = { u * 2, bar.y + progress_h + u * 2, u * 22, u * 10 };
		SDL_Rect back10 = { play.x + play.w + u * 2, play.y, u * 17, play.h };
		SDL_Rect fwd10 = { back10.x + back10.w + u, play.y, u * 17, play.h };
		struct { SDL_Rect r; int id; const char *label; } ctl[3] = {
			{ play, ID_PLAY, movie_paused(sv->movie) ? app_tr(app, "Play")
								 : app_tr(app, "Pause") },
			{ back10, ID_BACK10, app_tr(app, "-10 s") },
			{ fwd10, ID_FWD10, app_tr(app, "+10 s") },
		};
		for (int c = 0; c < 3; c++) {
			add_button(sv, app, ctl[c].r, ctl[c].id, ctl[c].label, NULL);
		}
		play = fwd10; /* the track starts after the last button */
		double dur = movie_duration_s(sv->movie);
		double pos = sv->dragging ? sv->drag_frac * dur : movie_position_s(sv->movie);
		char tbuf[64], a[16], b[16];
		format_time(a, sizeof a, pos);
		format_time(b, sizeof b, dur);
		snprintf(tbuf, sizeof tbuf, "%s / %s", a, b);
		/* volume at the right end, the level under the words */
		SDL_Rect volup = { w - u * 2 - u * 21, play.y, u * 21, play.h };
		SDL_Rect voldown = { volup.x - u - u * 21, play.y, u * 21, play.h };
		char level[16];
		snprintf(level, sizeof level, "%d %%", (int)lround(app_volume(app) * 100));
		struct { SDL_Rect r; int id; const char *label; } vol[2] = {
			{ voldown, ID_VOLDOWN, app_tr(app, "Quieter") },
			{ volup, ID_VOLUP, app_tr(app, "Louder") },
		};
		for (int c = 0; c < 2; c++) {
			add_button(sv, app, vol[c].r, vol[c].id, vol[c].label, level);
		}
		int right_edge = voldown.x;
		if (sv->subs[0].lang || sv->subs[1].lang) {
			SDL_Rect sb = { right_edge - u - u * 21, play.y, u * 21, play.h };
			add_button(sv, app, sb, ID_SUBS, app_tr(app, "Subtitles"),
				   sv->subs_on ? app_tr(app, "on") : app_tr(app, "off"));
			right_edge = sb.x;
		}
		if (sv->n_sounds > 1) {
			SDL_Rect ab = { right_edge - u - u * 21, play.y, u * 21, play.h };
			add_button(sv, app, ab, ID_AUDIO, app_tr(app, "Sound"),
				   sound_name(sv, app));
			right_edge = ab.x;
		}
		(void)right_edge;
		/* the progress row: time at the left, the bar across */
		struct text_style ts = { .size_px = u * 4, .color = COLOR_TEXT,
					 .align = TEXT_LEFT };
		text_draw_line(te, tbuf, u * 2,
			       bar.y + u + (progress_h - text_line_height(te, &ts)) / 2,
			       u * 26, &ts);
		SDL_Rect track = { u * 30, bar.y + u + progress_h / 2 - u,
				   w - u * 34, u * 2 };
		sv->track = track;
		int pidx = (int)sv->n_buttons;
		SDL_Rect track_hit = { track.x, bar.y, track.w, progress_h + u };
		sv->buttons[sv->n_buttons++] = (struct ui_button){ track_hit, ID_PROGRESS };
		draw_fill(ren, &track, COLOR_PANEL_HI);
		if (dur > 0) {
			SDL_Rect done = track;
			double f = sv->dragging ? sv->drag_frac : pos / dur;
			done.w = (int)(track.w * (f < 0 ? 0 : f > 1 ? 1 : f));
			draw_fill(ren, &done, COLOR_ACCENT);
			/* a knob at the position, big enough to grab */
			SDL_Rect knob = { track.x + done.w - u * 2, track.y - u * 2, u * 4, u * 6 };
			draw_fill(ren, &knob, COLOR_TEXT);
		}
		if (sc->focus == pidx)
			draw_focus(app, &track_hit);
	}
}

static int viewer_tick(struct scene *sc, struct app *app, int64_t now)
{
	struct scene_viewer *sv = (struct scene_viewer *)sc;
	if (sv->error[0]) {
		int64_t left = sv->error_ms + VIEWER_ERROR_BACK_MS - now;
		if (left <= 0) {
			app_pop(app); /* back to the grid; frees sv */
			return 0;
		}
		return (int)left;
	}
	if (sv->doc) {
		/* a fling: slides on and slows down */
		if (sv->scroll_down || fabs(sv->scroll_v) < 20) {
			sv->scroll_v = 0;
			return -1;
		}
		double dt = (now - sv->scroll_last_ms) / 1000.0;
		if (dt > 0.1)
			dt = 0.1;
		sv->scroll_last_ms = now;
		int before = sv->scroll_px;
		text_scroll_to(sv, app, sv->scroll_px + (int)lround(sv->scroll_v * dt));
		sv->scroll_v *= pow(0.05, dt);
		if (sv->scroll_px == before && dt > 0)
			sv->scroll_v = 0;       /* at an end */
		return 16;
	}
	if (sv->pdf) {
		page_jobs_reap(sv);
		if (sv->page_pending && (!sv->page_preload || page_job_done(sv->page_preload)))
			page_ready(sv, app);
		if (sv->error[0])
			return 0;       /* the only page failed: the message's timer */
	}
	if (sv->pv || sv->pdf) {
		bool redraw = false;
		int next = sv->pv ? picview_tick(sv->pv, now, &redraw) : -1;
		if (strip_make_one(sv, app)) {
			redraw = true;
			next = 0;
		}
		if (redraw)
			app_redraw(app);
		/* look at the drawing threads now and then */
		if (sv->pdf && (sv->page_pending || sv->strip_job || sv->old_jobs) &&
		    (next < 0 || next > 16))
			next = 16;
		return next;
	}
	if (!sv->movie)
		return -1;
	char err[256];
	if (movie_failed(sv->movie, err, sizeof err) && !sv->error[0]) {
		log_warn("%s: playback stopped: %s", sv->media->path, err);
		set_error(sv, app, err);
	}
	if (movie_update_texture(sv->movie, app_renderer(app), &sv->frame)) {
		app_note_video(app, sv->media->path, movie_video_decoder(sv->movie));
		app_redraw(app);
	}
	if (movie_finished(sv->movie)) {
		sv->ended = true;
		app_pop(app); /* back to the grid */
		return 0;
	}
	if (movie_paused(sv->movie))
		return -1;
	int delay = movie_next_frame_delay_ms(sv->movie);
	/* the progress text changes once a second even for audio */
	int clock_ms = 1000 - (int)(fmod(movie_position_s(sv->movie), 1.0) * 1000);
	bool subs = sv->subs_on && (sv->subs[0].lang || sv->subs[1].lang);
	if (subs) {
		char cue[sizeof sv->shown_cue];
		current_cue(sv, cue, sizeof cue);
		if (strcmp(cue, sv->shown_cue) != 0)
			app_redraw(app);
	}
	if (!movie_has_video(sv->movie)) {
		app_redraw(app);
		return subs && clock_ms > 100 ? 100 : clock_ms;
	}
	return delay < 0 ? 20 : delay;
}

static bool viewer_busy(struct scene *sc, struct app *app)
{
	(void)app;
	struct scene_viewer *sv = (struct scene_viewer *)sc;
	return sv->movie && !movie_paused(sv->movie) && !sv->error[0];
}

static void viewer_sdl_event(struct scene *sc, struct app *app, const SDL_Event *ev)
{
	(void)sc;
	if (ev->type == movie_event_type())
		app_redraw(app); /* the tick uploads the new frame */
}

static void viewer_destroy(struct scene *sc, struct app *app)
{
	struct scene_viewer *sv = (struct scene_viewer *)sc;
	double secs = shown_seconds(sv, app);
	bool done = completed(sv, app);
	if (app_store(app) && sv->view[0])
		store_view_end_parts(app_store(app), sv->view, secs, done,
				     sv->doc ? percent_read(sv) : (int)sv->pics_seen,
				     sv->doc ? 100 : (int)parts_count(sv));
	log_info("view of %s (%s) ends after %.1f s%s", sv->item->id,
		 sv->media->lang, secs, done ? ", completed" : "");
	movie_close(sv->movie);
	subtitles_destroy(sv->subs[0].file);
	subtitles_destroy(sv->subs[1].file);
	if (sv->frame)
		SDL_DestroyTexture(sv->frame);
	if (sv->picture)
		SDL_DestroyTexture(sv->picture);
	picview_destroy(sv->pv);
	image_destroy(imgload_finish(sv->preload, NULL, NULL, 0));
	for (size_t i = 0; sv->strip && i < parts_count(sv); i++)
		if (sv->strip[i])
			SDL_DestroyTexture(sv->strip[i]);
	free(sv->strip);
	pdf_close_after_jobs(sv);       /* after everything that draws from it */
	leaflet_layout_destroy(sv->layout);
	leaflet_view_destroy(sv->lv);
	leaflet_destroy(sv->doc);
	free(sv);
}

/* Tests: why the item cannot be shown (the visitor sees a short message
 * instead, and is taken back to the grid), else why the gallery picture
 * or PDF page on screen cannot be ("This picture cannot be shown."; the
 * visitor may turn to the next), "" while it shows. */
static const char *viewer_page_message(struct scene *sc)
{
	const struct scene_viewer *sv = (const struct scene_viewer *)sc;
	return sv->error[0] ? sv->error : sv->part_error;
}

static const struct scene_ops viewer_ops = {
	.name = "viewer",
	.event = viewer_event,
	.draw = viewer_draw,
	.tick = viewer_tick,
	.busy = viewer_busy,
	.sdl_event = viewer_sdl_event,
	.destroy = viewer_destroy,
	.page_message = viewer_page_message,
};

struct scene *scene_viewer_create(struct app *app, const struct item *item)
{
	struct scene_viewer *sv = xcalloc(1, sizeof *sv);
	sv->base.ops = &viewer_ops;
	sv->base.focus = 0;
	sv->pressed = -1;
	sv->item = item;
	sv->opened_ms = app_now_ms(app);
	size_t n_chain;
	const char *const *chain = app_lang_chain(app, &n_chain);
	sv->media = item_media_for(item, chain, n_chain, &sv->media_translated);

	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	if (item->type == ITEM_GALLERY) {
		sv->pic_box = (SDL_Rect){ 0, u * 12, w, h - u * 12 - u * 18 };
		gallery_show(sv, app, 0);
		if (!sv->pv && item->n_pictures == 1)
			set_error(sv, app, "the only picture cannot be shown");
	} else if (item->type == ITEM_LEAFLET && path_has_ext(sv->media->path, "md")) {
		struct diag_list diags;
		diag_list_init(&diags);
		sv->doc = leaflet_load(sv->media->path, &diags);
		for (size_t i = 0; i < diags.len; i++) {
			char *d = diag_format(&diags.items[i]);
			log_warn("item %s: %s", item->id, d);
			free(d);
		}
		diag_list_finish(&diags);
		if (sv->doc && sv->doc->n_blocks == 0) {
			/* an empty page is no leaflet: the visitor is told */
			log_warn("item %s cannot be shown: %s: the text leaflet is empty",
				 item->id, sv->media->path);
			leaflet_destroy(sv->doc);
			sv->doc = NULL;
		}
		/* italics: the engine's faces slanted (no italic files) */
		if (sv->doc)
			sv->lv = leaflet_view_create(app_text(app), app_renderer(app), NULL);
		if (!sv->doc || !sv->lv) {
			leaflet_destroy(sv->doc);
			sv->doc = NULL;
			set_error(sv, app, "the text leaflet cannot be read");
		}
	} else if (item->type == ITEM_LEAFLET && path_has_ext(sv->media->path, "pdf")) {
		char err[256];
		sv->pdf = pdf_open(sv->media->path, err, sizeof err);
		sv->pic_box = (SDL_Rect){ 0, u * 12, w, h - u * 12 - u * 18 };
		if (!sv->pdf) {
			log_warn("item %s cannot be shown: %s", item->id, err);
			set_error(sv, app, err);
		} else {
			gallery_show(sv, app, 0);   /* "the only page" failing: an error */
		}
	} else if (item->type == ITEM_POSTER || item->type == ITEM_LEAFLET) {
		char err[256];
		SDL_Rect box = { 0, u * 12, w, h - u * 12 };
		int64_t limit = (int64_t)app_config(app)->max_picture_megapixels * 1000000;
		sv->pv = picview_create(app_renderer(app), sv->media->path, box, limit,
					err, sizeof err);
		if (!sv->pv) {
			log_warn("item %s cannot be shown: %s", item->id, err);
			set_error(sv, app, err);
		}
	} else {
		char err[256];
		if (open_movie(sv, app, sv->media, 0, NULL, err, sizeof err))
			sv->base.focus = 3; /* play/pause */
		else
			set_error(sv, app, err);
		if (item->type == ITEM_AUDIO && item->thumbnail)
			load_picture(sv, app, item->thumbnail, w, h, false);
		else if (item->type == ITEM_AUDIO && sv->movie)
			/* the file's embedded cover art, if it has one */
			load_picture(sv, app, sv->media->path, w, h, true);
	}
	if (app_store(app))
		store_view_begin(app_store(app), app_session_id(app), item->id,
				 sv->media->lang, sv->view);
	log_info("view of %s (%s, %s) begins", item->id, item_type_name(item->type),
		 sv->media->lang);
	return &sv->base;
}

bool scene_viewer_track(struct scene *sc, SDL_Rect *out)
{
	if (!sc || sc->ops != &viewer_ops)
		return false;
	const struct scene_viewer *sv = (const struct scene_viewer *)sc;
	if (sv->track.w <= 0)
		return false;
	*out = sv->track;
	return true;
}

struct movie *scene_viewer_movie(struct scene *sc)
{
	if (!sc || sc->ops != &viewer_ops)
		return NULL;
	return ((struct scene_viewer *)sc)->movie;
}

const char *scene_viewer_cue(struct scene *sc)
{
	if (!sc || sc->ops != &viewer_ops)
		return "";
	return ((struct scene_viewer *)sc)->shown_cue;
}

struct picview *scene_viewer_picview(struct scene *sc)
{
	if (!sc || sc->ops != &viewer_ops)
		return NULL;
	return ((struct scene_viewer *)sc)->pv;
}

size_t scene_viewer_picture(struct scene *sc)
{
	if (!sc || sc->ops != &viewer_ops)
		return 0;
	return ((struct scene_viewer *)sc)->pic;
}

bool scene_viewer_text_state(struct scene *sc, int *scroll_px, int *height_px,
			     bool *large)
{
	if (!sc || sc->ops != &viewer_ops)
		return false;
	const struct scene_viewer *sv = (const struct scene_viewer *)sc;
	if (!sv->doc || !sv->layout)
		return false;
	*scroll_px = sv->scroll_px;
	*height_px = leaflet_layout_height(sv->layout);
	*large = sv->large_text;
	return true;
}
