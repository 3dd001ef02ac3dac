/*
 * scene_settings: the operator's settings page: the site (the village or
 * venue, typed on the on-screen keyboard), the default language, the
 * volume at the start of a session, the idle timeout, whether Alt+F4 and
 * Ctrl+Q may leave the kiosk (until the next start), and changing the
 * PIN. Each change applies at once, is saved in DATA_DIR/settings.conf
 * (app_apply_settings) and is logged as an operator action.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/settings.h"
#include "base/util.h"
#include "i18n/lang.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/keyboard.h"
#include "ui/oppage.h"
#include "ui/text.h"

enum {
	ID_SITE = 1, ID_LANG_DOWN, ID_LANG_UP, ID_VOL_DOWN, ID_VOL_UP,
	ID_IDLE_DOWN, ID_IDLE_UP, ID_TURN_DOWN, ID_TURN_UP, ID_KEYS, ID_PIN,
	ID_BACK,
};

/* The idle timeouts offered, in seconds. */
static const int idle_steps[] = { 30, 45, 60, 90, 120, 180, 300, 600, 900 };
#define VOLUME_STEP 10

struct scene_settings {
	struct scene base;
	struct oppage page;
	bool typing;                  /* the site on the keyboard */
	struct keyboard *kb;
	SDL_Rect kb_box;
	char message[768];
	int64_t last_input_ms;
};

/* Apply cfg's four settings, log the action, say how it went. */
static void apply(struct scene_settings *ss, struct app *app,
		  const struct kiosk_config *cfg, const char *action,
		  const char *value)
{
	char *err = NULL;
	if (app_apply_settings(app, cfg, &err)) {
		app_operator_action(app, action, value);
		ss->message[0] = '\0';
	} else {
		app_operator_action(app, "settings-not-saved", err);
		snprintf(ss->message, sizeof ss->message, "%s\n%s",
			 app_tr(app, "The setting could not be saved:"), err);
		free(err);
	}
	app_redraw(app);
}

static size_t idle_index(int seconds)
{
	size_t n = sizeof idle_steps / sizeof idle_steps[0], best = 0;
	for (size_t i = 0; i < n; i++)
		if (idle_steps[i] <= seconds)
			best = i;
	return best;
}

static void press(struct scene_settings *ss, struct app *app, int id)
{
	struct kiosk_config cfg = *app_config(app);
	const struct lang_registry *langs = app_langs(app);
	char value[160];
	switch (id) {
	case ID_SITE:
		ss->typing = true;
		keyboard_clear(ss->kb);
		keyboard_type(ss->kb, cfg.site);
		break;
	case ID_LANG_DOWN:
	case ID_LANG_UP: {
		size_t n = langs->n_langs, cur = 0;
		for (size_t i = 0; i < n; i++)
			if (!strcmp(langs->langs[i].tag, cfg.default_lang))
				cur = i;
		cur = id == ID_LANG_UP ? (cur + 1) % n : (cur + n - 1) % n;
		snprintf(cfg.default_lang, sizeof cfg.default_lang, "%s",
			 langs->langs[cur].tag);
		apply(ss, app, &cfg, "set-default-language", cfg.default_lang);
		break;
	}
	case ID_VOL_DOWN:
	case ID_VOL_UP:
		cfg.volume_percent += id == ID_VOL_UP ? VOLUME_STEP : -VOLUME_STEP;
		cfg.volume_percent = cfg.volume_percent < 0 ? 0
				     : cfg.volume_percent > 100 ? 100 : cfg.volume_percent;
		snprintf(value, sizeof value, "%d %%", cfg.volume_percent);
		apply(ss, app, &cfg, "set-volume", value);
		break;
	case ID_IDLE_DOWN:
	case ID_IDLE_UP: {
		size_t n = sizeof idle_steps / sizeof idle_steps[0];
		size_t i = idle_index(cfg.idle_timeout_s);
		if (id == ID_IDLE_UP && i + 1 < n)
			i++;
		else if (id == ID_IDLE_DOWN && i > 0 &&
			 idle_steps[i] >= cfg.idle_timeout_s)
			i--;
		cfg.idle_timeout_s = idle_steps[i];
		snprintf(value, sizeof value, "%d s", cfg.idle_timeout_s);
		apply(ss, app, &cfg, "set-idle-timeout", value);
		break;
	}
	case ID_TURN_DOWN:
	case ID_TURN_UP:
		/* a quarter turn either way; touches turn with the picture, so
		 * the same button is under the finger after a full round */
		cfg.rotation = (cfg.rotation + (id == ID_TURN_UP ? 90 : 270)) % 360;
		snprintf(value, sizeof value, "%d°", cfg.rotation);
		apply(ss, app, &cfg, "set-rotation", value);
		break;
	case ID_KEYS:
		app_set_leave_keys(app, !app_leave_keys(app));
		app_operator_action(app, "leave-keys", app_leave_keys(app)
				    ? "allowed until the next start" : "ignored");
		break;
	case ID_PIN:
		app_push(app, scene_pinpad_change_create(app));
		return;
	case ID_BACK:
		app_pop(app);
		return;
	}
	app_redraw(app);
}

/* The site typed: tidy it and apply it. */
static void site_done(struct scene_settings *ss, struct app *app)
{
	struct kiosk_config cfg = *app_config(app);
	snprintf(cfg.site, sizeof cfg.site, "%s", keyboard_text(ss->kb));
	settings_tidy_site(cfg.site);
	ss->typing = false;
	if (strcmp(cfg.site, app_config(app)->site) != 0)
		apply(ss, app, &cfg, "set-site", cfg.site);
	app_redraw(app);
}

static void settings_event(struct scene *sc, struct app *app, const struct ui_event *ev)
{
	struct scene_settings *ss = (struct scene_settings *)sc;
	ss->last_input_ms = app_now_ms(app);
	if (ss->typing) {
		if (keyboard_field_event(ss->kb, app, ev, &ss->kb_box) ==
		    KEYBOARD_DONE)
			site_done(ss, app);
		app_redraw(app);
		return;
	}
	int r = ui_buttons_event(app, ss->page.buttons, ss->page.n,
				 &ss->page.pressed, &sc->focus, ev);
	if (r == UI_GO_BACK)
		press(ss, app, ID_BACK);
	else if (r >= 0)
		press(ss, app, oppage_id(&ss->page, r));
}

static int settings_tick(struct scene *sc, struct app *app, int64_t now)
{
	struct scene_settings *ss = (struct scene_settings *)sc;
	int64_t left = ss->last_input_ms + OPPAGE_IDLE_MS - now;
	if (left <= 0) {
		log_info("operator: settings closed after %d s without input",
			 OPPAGE_IDLE_MS / 1000);
		app_pop(app);
		return -1;
	}
	int kb = ss->typing ? keyboard_tick(ss->kb, app, now) : -1;
	return kb >= 0 && kb < left ? kb : (int)left;
}

static bool settings_busy(struct scene *sc, struct app *app)
{
	(void)sc;
	(void)app;
	return true;
}

/* One setting: a label, its value, and [−] [+]. */
static int row(struct scene_settings *ss, struct app *app, int y,
	       const char *label, const char *value, int id_down, int id_up,
	       const char *name_down, const char *name_up)
{
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	struct text_style ls = { .size_px = u * 4, .color = COLOR_TEXT_DIM };
	int rh = u * 11;
	text_draw_line(te, label, u * 3, y + (rh - text_line_height(te, &ls)) / 2,
		       w * 3 / 10, &ls);
	SDL_Rect down = { w * 33 / 100, y, u * 11, rh };
	SDL_Rect up = { w - u * 14, y, u * 11, rh };
	oppage_button(&ss->page, app, &ss->base.focus, down, id_down, name_down,
		      "−", NULL);
	struct text_style vs = { .size_px = u * 45 / 10, .bold = true,
				 .color = COLOR_TEXT, .align = TEXT_CENTER };
	text_draw_line(te, value, down.x + down.w + u,
		       y + (rh - text_line_height(te, &vs)) / 2,
		       up.x - down.x - down.w - u * 2, &vs);
	oppage_button(&ss->page, app, &ss->base.focus, up, id_up, name_up, "+",
		      NULL);
	return y + rh + u * 2;
}

static void settings_draw(struct scene *sc, struct app *app)
{
	struct scene_settings *ss = (struct scene_settings *)sc;
	struct text_engine *te = app_text(app);
	const struct kiosk_config *cfg = app_config(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	oppage_begin(&ss->page);
	int y = oppage_title(app, app_tr(app, "Settings"));
	struct text_style ls = { .size_px = u * 4, .color = COLOR_TEXT_DIM };
	int rh = u * 11;
	text_draw_line(te, app_tr(app, "Site"), u * 3,
		       y + (rh - text_line_height(te, &ls)) / 2, w * 3 / 10, &ls);
	SDL_Rect field = { w * 33 / 100, y, w - w * 33 / 100 - u * 3, rh };
	int idx = (int)ss->page.n;
	ss->page.buttons[ss->page.n] = (struct ui_button){ field, ID_SITE };
	ss->page.names[ss->page.n++] = "site";
	draw_text_field(app, &field, ss->typing ? keyboard_text(ss->kb) : cfg->site,
			u * 5, ss->typing);
	if (sc->focus == idx)
		draw_focus(app, &field);
	y += rh + u * 2;
	if (ss->typing) {
		ss->kb_box = (SDL_Rect){ 0, y, w, h - y - u };
		keyboard_draw(ss->kb, app, ss->kb_box);
		return;
	}
	const struct lang *l = lang_find(app_langs(app), cfg->default_lang);
	y = row(ss, app, y, app_tr(app, "Default language"),
		l && l->endonym ? l->endonym : cfg->default_lang,
		ID_LANG_DOWN, ID_LANG_UP, "lang-", "lang+");
	char value[64];
	snprintf(value, sizeof value, "%d %%", cfg->volume_percent);
	y = row(ss, app, y, app_tr(app, "Volume"), value, ID_VOL_DOWN, ID_VOL_UP,
		"volume-", "volume+");
	app_tr_count(app, "%d second", "%d seconds", cfg->idle_timeout_s, value,
		     sizeof value);
	y = row(ss, app, y, app_tr(app, "Idle timeout"), value, ID_IDLE_DOWN,
		ID_IDLE_UP, "idle-", "idle+");
	snprintf(value, sizeof value, "%d°", cfg->rotation);
	y = row(ss, app, y, app_tr(app, "Screen turn"), value, ID_TURN_DOWN,
		ID_TURN_UP, "turn-", "turn+");
	int cols = app_portrait(app) ? 1 : 2;
	int bw = (w - u * 3 * (cols + 1)) / cols, bh = u * 12;
	SDL_Rect keys = { u * 3, y, bw, bh };
	oppage_button(&ss->page, app, &sc->focus, keys, ID_KEYS, "keys",
		      app_leave_keys(app) ? app_tr(app, "Alt+F4 and Ctrl+Q: allowed")
					  : app_tr(app, "Alt+F4 and Ctrl+Q: ignored"),
		      app_tr(app, "keys that leave the kiosk, until it restarts"));
	SDL_Rect pin = cols == 2 ? (SDL_Rect){ u * 6 + bw, y, bw, bh }
				 : (SDL_Rect){ u * 3, y + bh + u * 2, bw, bh };
	oppage_button(&ss->page, app, &sc->focus, pin, ID_PIN, "pin",
		      app_tr(app, "Change the PIN"), NULL);
	y = pin.y + bh + u * 2;
	SDL_Rect back = { u * 3, y, bw, bh };
	oppage_button(&ss->page, app, &sc->focus, back, ID_BACK, "back",
		      app_tr(app, "Back"), NULL);
	y += bh + u * 2;
	if (ss->message[0])
		oppage_message(app, u * 3, y, w - u * 6, ss->message);
}

static void settings_resume(struct scene *sc, struct app *app)
{
	struct scene_settings *ss = (struct scene_settings *)sc;
	ss->last_input_ms = app_now_ms(app);
	app_redraw(app);
}

static void settings_destroy(struct scene *sc, struct app *app)
{
	(void)app;
	struct scene_settings *ss = (struct scene_settings *)sc;
	keyboard_destroy(ss->kb);
	free(ss);
}

static bool settings_find(struct scene *sc, const char *name, SDL_Rect *out)
{
	return oppage_find(&((struct scene_settings *)sc)->page, name, out);
}

static const char *settings_message(struct scene *sc)
{
	return ((struct scene_settings *)sc)->message;
}

static const struct scene_ops settings_ops = {
	.name = "settings",
	.wants_text = true,
	.event = settings_event,
	.draw = settings_draw,
	.tick = settings_tick,
	.resume = settings_resume,
	.busy = settings_busy,
	.destroy = settings_destroy,
	.find_button = settings_find,
	.page_message = settings_message,
};

struct scene *scene_settings_create(struct app *app)
{
	struct scene_settings *ss = xcalloc(1, sizeof *ss);
	ss->base.ops = &settings_ops;
	ss->base.focus = -1;
	ss->page.pressed = -1;
	ss->kb = keyboard_create();
	ss->last_input_ms = app_now_ms(app);
	return &ss->base;
}
