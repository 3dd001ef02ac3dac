/*
 * scene_attract: the attract loop shown while nobody touches the kiosk.
 * Featured items (those whose featured window covers today, else every
 * item) cycle full screen; a "touch to start" prompt cycles through every
 * language that has its own translation of it, and the endonyms of all
 * languages run along the bottom. Any touch, click, key or button starts a
 * visitor session on the language picker.
 */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "media/image.h"
#include "media/movie.h"
#include "ui/app.h"
#include "ui/draw.h"

#define PROMPT_INTERVAL_MS 3000
/* A featured video plays to its end, but not longer than this. */
#define ATTRACT_VIDEO_MAX_MS 120000
/* The next video is opened (paused, its first frames decoded) this long
 * before the current one ends, so the change is seamless. */
#define ATTRACT_PRELOAD_S 2.0
/* A picture longer than this many times its width (or the other way) is
 * not shown full screen (picview.c refuses it too). */
#define ATTRACT_MAX_ASPECT 100

struct scene_attract {
	struct scene base;
	const struct item **items;   /* the cycle */
	size_t n_items;
	size_t current;
	int64_t next_item_ms;
	const char **prompt_langs;   /* languages with their own prompt */
	size_t n_prompt_langs;
	size_t prompt;
	int64_t next_prompt_ms;
	char *endonyms;              /* "Tiếng Việt · English · Êđê ...", built once */
	SDL_Texture *pic;            /* current item's picture at screen size */
	const struct item *pic_item; /* which item pic shows */
	int pic_w, pic_h;
	bool pic_failed;
	struct movie *movie;         /* the current item, when it is a video */
	SDL_Texture *frame;          /* its latest picture */
	bool have_frame;
	struct movie *next_movie;    /* the next video, opened ahead, paused */
	const struct item *next_movie_item;
};

/* Is path a picture file (not a PDF or a text leaflet)? */
static bool is_picture_file(const char *path)
{
	return !path_has_ext(path, "md") && !path_has_ext(path, "pdf");
}

/* Decode the current item's picture for the whole screen: the poster,
 * leaflet page or first gallery picture itself, else the thumbnail (a
 * text or PDF leaflet is not a picture: its thumbnail, or the grid's
 * picture of it, which draws a PDF's first page). */
static void ensure_picture(struct scene_attract *sa, struct app *app,
			   const struct item *item)
{
	if (sa->pic_item == item)
		return;
	if (sa->pic)
		SDL_DestroyTexture(sa->pic);
	sa->pic = NULL;
	sa->pic_item = item;
	sa->pic_failed = false;
	const char *path = item->thumbnail;
	if (item->type == ITEM_POSTER || item->type == ITEM_LEAFLET ||
	    item->type == ITEM_GALLERY) {
		const char *chain[1] = { app_langs(app)->default_tag };
		bool tr;
		const struct item_media *md = item_media_for(item, chain, 1, &tr);
		if (md && is_picture_file(md->path))
			path = md->path;
	}
	if (!path) {
		sa->pic_failed = true;
		return;
	}
	int w, h;
	app_size(app, &w, &h);
	char err[256];
	sa->pic = draw_load_picture(app, path, w, h, &sa->pic_w, &sa->pic_h, err,
				    sizeof err);
	if (!sa->pic) {
		log_warn("attract picture of %s: %s", item->id, err);
		sa->pic_failed = true;
	} else if (sa->pic_w > sa->pic_h * ATTRACT_MAX_ASPECT ||
		   sa->pic_h > sa->pic_w * ATTRACT_MAX_ASPECT) {
		/* a line across a black screen: the item's card instead */
		log_warn("attract picture of %s: %s is %dx%d pixels, too narrow to be "
			 "seen", item->id, path, sa->pic_w, sa->pic_h);
		SDL_DestroyTexture(sa->pic);
		sa->pic = NULL;
		sa->pic_failed = true;
	}
}

/* The cycle: items featured today take every other turn, the rest of
 * the library the turns between, so a week's featured item is seen most
 * but the loop never shows one picture for a month. With nothing
 * featured, every item in turn. */
static void build_cycle(struct scene_attract *sa, struct app *app)
{
	const struct catalog *cat = app_catalog(app);
	free(sa->items);
	sa->items = NULL;
	sa->n_items = 0;
	if (!cat || !cat->n_items)
		return;
	int64_t today = date_today_days();
	const struct item **featured = xcalloc(cat->n_items, sizeof *featured);
	const struct item **others = xcalloc(cat->n_items, sizeof *others);
	size_t nf = 0, no = 0;
	for (size_t i = 0; i < cat->n_items; i++) {
		if (item_featured_on(&cat->items[i], today))
			featured[nf++] = &cat->items[i];
		else
			others[no++] = &cat->items[i];
	}
	sa->items = xcalloc(2 * cat->n_items, sizeof *sa->items);
	if (nf == 0 || no == 0) {
		for (size_t i = 0; i < nf; i++)
			sa->items[sa->n_items++] = featured[i];
		for (size_t i = 0; i < no; i++)
			sa->items[sa->n_items++] = others[i];
	} else {
		size_t rounds = no > nf ? no : nf;
		for (size_t i = 0; i < rounds; i++) {
			sa->items[sa->n_items++] = featured[i % nf];
			if (i < no)
				sa->items[sa->n_items++] = others[i];
		}
	}
	free(featured);
	free(others);
	sa->current = 0;
}

static void build_prompts(struct scene_attract *sa, struct app *app)
{
	const struct lang_registry *langs = app_langs(app);
	sa->prompt_langs = xcalloc(langs->n_langs + 1, sizeof *sa->prompt_langs);
	/* the default language first, then every language that has its own
	 * words for the prompt (a fallback would only repeat Vietnamese) */
	sa->prompt_langs[sa->n_prompt_langs++] = langs->default_tag;
	for (size_t i = 0; i < langs->n_langs; i++) {
		const char *tag = langs->langs[i].tag;
		if (!strcmp(tag, langs->default_tag))
			continue;
		const char *from = NULL;
		app_tr_from(app, tag, "Touch the screen to start", &from);
		if (from && !strcmp(from, tag))
			sa->prompt_langs[sa->n_prompt_langs++] = tag;
	}
}

/* Open item's video for the attract loop: muted, in the default
 * language, paused when opened ahead. NULL when it is not a video or
 * cannot be played (logged; the loop shows its picture instead). */
static struct movie *open_attract_movie(struct app *app, const struct item *item,
					bool paused)
{
	if (item->type != ITEM_VIDEO)
		return NULL;
	const char *chain[1] = { app_langs(app)->default_tag };
	bool tr;
	const char *path = item_media_for(item, chain, 1, &tr)->path;
	struct movie_options mo = { .loop = false, .mute = true, .volume = 0,
				    .hwdec = app_config(app)->hwdec ? MOVIE_HWDEC_AUTO
								    : MOVIE_HWDEC_OFF };
	char err[256];
	struct movie *m = movie_open(path, &mo, err, sizeof err);
	if (!m) {
		log_warn("attract loop: item %s: %s", item->id, err);
		return NULL;
	}
	if (paused)
		movie_set_paused(m, true);
	return m;
}

static void close_movies(struct scene_attract *sa)
{
	movie_close(sa->movie);
	sa->movie = NULL;
	movie_close(sa->next_movie);
	sa->next_movie = NULL;
	sa->next_movie_item = NULL;
	sa->have_frame = false;
}

/* Show item `current` from now: take the video opened ahead if it is
 * this one, else open it. */
static void start_current(struct scene_attract *sa, struct app *app, int64_t now)
{
	movie_close(sa->movie);
	sa->movie = NULL;
	sa->have_frame = false;
	const struct item *item = sa->n_items ? sa->items[sa->current] : NULL;
	int64_t interval = (int64_t)app_config(app)->attract_interval_s * 1000;
	sa->next_item_ms = now + interval;
	if (!item)
		return;
	log_debug("attract loop: %s", item->id);
	if (sa->next_movie && sa->next_movie_item == item) {
		sa->movie = sa->next_movie;
		sa->next_movie = NULL;
		sa->next_movie_item = NULL;
		movie_set_paused(sa->movie, false);
	} else {
		movie_close(sa->next_movie);
		sa->next_movie = NULL;
		sa->next_movie_item = NULL;
		sa->movie = open_attract_movie(app, item, false);
	}
	if (sa->movie)
		sa->next_item_ms = now + ATTRACT_VIDEO_MAX_MS;
	app_redraw(app);
}

static void build_endonyms(struct scene_attract *sa, struct app *app)
{
	const struct lang_registry *langs = app_langs(app);
	size_t len = 1;
	for (size_t i = 0; i < langs->n_langs; i++)
		len += strlen(langs->langs[i].endonym) + 8;
	sa->endonyms = xcalloc(len, 1);
	for (size_t i = 0; i < langs->n_langs; i++) {
		if (i)
			strcat(sa->endonyms, "  ·  ");
		strcat(sa->endonyms, langs->langs[i].endonym);
	}
}

static void attract_event(struct scene *sc, struct app *app, const struct ui_event *ev)
{
	struct scene_attract *sa = (struct scene_attract *)sc;
	if (ev->type == UI_POINTER_DOWN || ev->type == UI_ACTIVATE ||
	    ev->type == UI_NAV_DOWN || ev->type == UI_NAV_UP ||
	    ev->type == UI_NAV_LEFT || ev->type == UI_NAV_RIGHT) {
		close_movies(sa); /* nobody watches the loop now */
		app_begin_session(app);
		app_push(app, scene_langpick_create(app));
	}
}

static void attract_draw(struct scene *sc, struct app *app)
{
	struct scene_attract *sa = (struct scene_attract *)sc;
	SDL_Renderer *ren = app_renderer(app);
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	SDL_Rect full = { 0, 0, w, h };

	const struct item *item = sa->n_items ? sa->items[sa->current] : NULL;
	if (item && sa->movie && sa->have_frame && sa->frame) {
		int vw, vh;
		movie_display_size(sa->movie, &vw, &vh);
		SDL_Rect r = rect_fit(vw, vh, &full);
		draw_rotated(ren, sa->frame, &r, movie_rotation(sa->movie));
	} else if (item) {
		ensure_picture(sa, app, item);
		if (sa->pic && (item->type == ITEM_POSTER || item->type == ITEM_LEAFLET)) {
			SDL_Rect r = rect_fit(sa->pic_w, sa->pic_h, &full);
			SDL_RenderCopy(ren, sa->pic, NULL, &r);
		} else if (sa->pic) {
			SDL_Rect r = rect_cover(sa->pic_w, sa->pic_h, &full);
			SDL_RenderCopy(ren, sa->pic, NULL, &r);
		} else {
			draw_item_picture(app, item, &full);
		}
	}

	/* band with the title and the prompt */
	int band_h = h * 32 / 100;
	SDL_Rect band = { 0, h - band_h, w, band_h };
	draw_fill(ren, &band, (SDL_Color){ 0, 0, 0, 190 });
	const char *deflang = app_langs(app)->default_tag;
	if (item) {
		const char *chain[1] = { deflang };
		bool tr;
		const struct item_text *t = item_text_for(item, chain, 1, &tr);
		struct text_style ts = { .size_px = u * 5, .bold = false,
					 .color = COLOR_TEXT_DIM, .align = TEXT_CENTER };
		text_draw_line(te, t->title, u * 4, band.y + u * 2, w - u * 8, &ts);
	}
	const char *plang = sa->n_prompt_langs ? sa->prompt_langs[sa->prompt] : deflang;
	struct text_style ps = { .size_px = u * 9, .bold = true,
				 .color = COLOR_TEXT, .align = TEXT_CENTER };
	text_draw_line(te, app_tr_lang(app, plang, "Touch the screen to start"),
		       u * 2, band.y + u * 9, w - u * 4, &ps);

	/* every language by its own name */
	struct text_style ls = { .size_px = u * 4, .color = COLOR_FOCUS,
				 .align = TEXT_CENTER };
	SDL_Rect box = { u * 3, band.y + u * 21, w - u * 6, band_h - u * 22 };
	text_draw_box(te, sa->endonyms, &box, 2, &ls);
}

static int attract_tick(struct scene *sc, struct app *app, int64_t now)
{
	struct scene_attract *sa = (struct scene_attract *)sc;
	if (!sa->next_item_ms)
		start_current(sa, app, now);
	if (!sa->next_prompt_ms)
		sa->next_prompt_ms = now + PROMPT_INTERVAL_MS;
	int wait_movie = -1;
	if (sa->movie) {
		if (movie_update_texture(sa->movie, app_renderer(app), &sa->frame)) {
			sa->have_frame = true;
			app_note_video(app, sa->items[sa->current]->id,
				       movie_video_decoder(sa->movie));
			app_redraw(app);
		}
		char err[256];
		bool failed = movie_failed(sa->movie, err, sizeof err);
		if (failed)
			log_warn("attract loop: %s", err);
		if (failed || movie_finished(sa->movie)) {
			sa->next_item_ms = now; /* on to the next item */
		} else {
			double dur = movie_duration_s(sa->movie);
			size_t nexti = sa->n_items ? (sa->current + 1) % sa->n_items : 0;
			const struct item *next = sa->n_items ? sa->items[nexti] : NULL;
			if (next && next != sa->items[sa->current] && !sa->next_movie &&
			    next->type == ITEM_VIDEO && dur > 0 &&
			    movie_position_s(sa->movie) > dur - ATTRACT_PRELOAD_S) {
				sa->next_movie = open_attract_movie(app, next, true);
				sa->next_movie_item = sa->next_movie ? next : NULL;
			}
			wait_movie = movie_next_frame_delay_ms(sa->movie);
			if (wait_movie < 0 || wait_movie > 50)
				wait_movie = 50; /* look for the end now and then */
		}
	}
	if (now >= sa->next_item_ms) {
		if (sa->n_items)
			sa->current = (sa->current + 1) % sa->n_items;
		start_current(sa, app, now);
		if (sa->movie)
			wait_movie = 0;
	}
	if (now >= sa->next_prompt_ms) {
		if (sa->n_prompt_langs)
			sa->prompt = (sa->prompt + 1) % sa->n_prompt_langs;
		sa->next_prompt_ms = now + PROMPT_INTERVAL_MS;
		app_redraw(app);
	}
	int64_t next = sa->next_item_ms < sa->next_prompt_ms ? sa->next_item_ms
							      : sa->next_prompt_ms;
	int wait = (int)(next - now);
	if (wait_movie >= 0 && wait_movie < wait)
		wait = wait_movie;
	return wait;
}

static void attract_sdl_event(struct scene *sc, struct app *app, const SDL_Event *ev)
{
	(void)sc;
	if (ev->type == movie_event_type())
		app_redraw(app); /* the tick takes the new frame */
}

static void attract_resume(struct scene *sc, struct app *app)
{
	struct scene_attract *sa = (struct scene_attract *)sc;
	close_movies(sa);
	sa->next_item_ms = 0;  /* the tick starts the current item again */
	sa->next_prompt_ms = 0;
	sa->prompt = 0;
	app_redraw(app);
}

static void attract_destroy(struct scene *sc, struct app *app)
{
	(void)app;
	struct scene_attract *sa = (struct scene_attract *)sc;
	close_movies(sa);
	if (sa->frame)
		SDL_DestroyTexture(sa->frame);
	if (sa->pic)
		SDL_DestroyTexture(sa->pic);
	free(sa->items);
	free(sa->prompt_langs);
	free(sa->endonyms);
	free(sa);
}

static const struct scene_ops attract_ops = {
	.name = "attract",
	.event = attract_event,
	.draw = attract_draw,
	.tick = attract_tick,
	.resume = attract_resume,
	.sdl_event = attract_sdl_event,
	.destroy = attract_destroy,
};

struct scene *scene_attract_create(struct app *app)
{
	struct scene_attract *sa = xcalloc(1, sizeof *sa);
	sa->base.ops = &attract_ops;
	sa->base.focus = -1;
	build_cycle(sa, app);
	build_prompts(sa, app);
	build_endonyms(sa, app);
	return &sa->base;
}
