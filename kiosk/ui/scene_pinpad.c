/*
 * scene_pinpad: the PIN pad in front of the operator menu. Digits are
 * tapped on the pad or typed; only dots are shown. The right PIN opens the
 * menu (this scene replaces itself with it); wrong ones are counted and,
 * past the free tries, lock the pad for a growing delay shown as a
 * countdown (base/pinlock.h keeps the count on disk, so pulling the plug
 * does not reset it). With no PIN set yet it asks for a new one, twice,
 * before opening the menu; the settings page uses the same pad to change
 * the PIN. Every outcome is an operator action in the log. The pad closes
 * by itself after a minute alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/log.h"
#include "base/pinlock.h"
#include "base/util.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/oppage.h"
#include "ui/text.h"

#define PINPAD_IDLE_MS 60000

enum pad_mode {
	PAD_ENTER,          /* the PIN opens the menu */
	PAD_NEW,            /* choose a new PIN */
	PAD_REPEAT,         /* the new PIN again */
	PAD_DAMAGED,        /* the PIN file is damaged: only `kiosk pin` helps */
};

enum { ID_DIGIT0 = 0, ID_ERASE = 10, ID_OK, ID_CANCEL };

struct scene_pinpad {
	struct scene base;
	struct oppage page;
	enum pad_mode mode;
	bool change;                   /* from the settings page: pop when done */
	char digits[PINLOCK_MAX_DIGITS + 1];
	char first[PINLOCK_MAX_DIGITS + 1];   /* the new PIN's first entry */
	char message[512];
	int64_t last_input_ms;
};

static void wipe(struct scene_pinpad *sp)
{
	sodium_memzero(sp->digits, sizeof sp->digits);
}

static void say(struct scene_pinpad *sp, const char *text)
{
	snprintf(sp->message, sizeof sp->message, "%s", text);
}

/* Leave the pad: to the menu when opened, else back where it came from. */
static void done(struct scene_pinpad *sp, struct app *app)
{
	wipe(sp);
	sodium_memzero(sp->first, sizeof sp->first);
	if (sp->change)
		app_pop(app);
	else
		app_replace(app, scene_operator_create(app));
}

static void lock_message(struct scene_pinpad *sp, struct app *app)
{
	int64_t ms = pinlock_locked_ms(app_pin(app), app_now_ms(app));
	if (ms <= 0)
		return;
	char count[64];
	app_tr_count(app, "%d second", "%d seconds", (long long)((ms + 999) / 1000),
		     count, sizeof count);
	snprintf(sp->message, sizeof sp->message, "%s %s",
		 app_tr(app, "Too many wrong PINs. Try again in"), count);
}

static void check(struct scene_pinpad *sp, struct app *app)
{
	struct pinlock *pin = app_pin(app);
	int64_t now = app_now_ms(app);
	switch (sp->mode) {
	case PAD_ENTER: {
		enum pinlock_result r = pinlock_check(pin, sp->digits, now);
		wipe(sp);
		if (r == PINLOCK_OK) {
			app_operator_action(app, "pin-ok", NULL);
			log_info("operator menu opened");
			done(sp, app);
			return;
		}
		if (r == PINLOCK_WRONG) {
			char detail[64];
			snprintf(detail, sizeof detail, "%d in a row",
				 pinlock_wrong_in_a_row(pin));
			app_operator_action(app, "pin-wrong", detail);
			say(sp, app_tr(app, "Wrong PIN."));
			lock_message(sp, app);
		} else if (r == PINLOCK_LOCKED) {
			lock_message(sp, app);
		} else if (r == PINLOCK_NOT_SET) {
			sp->mode = PAD_NEW;
		} else {
			say(sp, app_tr(app, "The PIN cannot be checked. See the "
				       "kiosk's log."));
		}
		break;
	}
	case PAD_NEW: {
		const char *problem = pinlock_pin_problem(sp->digits);
		if (problem) {
			say(sp, app_tr(app, "A PIN has 4 to 12 digits."));
			wipe(sp);
			break;
		}
		memcpy(sp->first, sp->digits, sizeof sp->first);
		wipe(sp);
		sp->mode = PAD_REPEAT;
		sp->message[0] = '\0';
		break;
	}
	case PAD_REPEAT: {
		bool same = sodium_memcmp(sp->first, sp->digits, sizeof sp->first) == 0;
		wipe(sp);
		if (!same) {
			sodium_memzero(sp->first, sizeof sp->first);
			sp->mode = PAD_NEW;
			say(sp, app_tr(app, "The two PINs differ. Choose the new PIN "
				       "again."));
			break;
		}
		char *err = NULL;
		bool ok = pinlock_set(pin, sp->first, &err);
		sodium_memzero(sp->first, sizeof sp->first);
		if (!ok) {
			app_operator_action(app, "pin-set-failed", err);
			snprintf(sp->message, sizeof sp->message, "%s\n%s",
				 app_tr(app, "The PIN could not be saved:"), err);
			free(err);
			sp->mode = PAD_NEW;
			break;
		}
		app_operator_action(app, sp->change ? "pin-changed" : "pin-set", NULL);
		done(sp, app);
		return;
	}
	case PAD_DAMAGED:
		break;
	}
	app_redraw(app);
}

static void press(struct scene_pinpad *sp, struct app *app, int id)
{
	size_t len = strlen(sp->digits);
	if (id >= ID_DIGIT0 && id <= ID_DIGIT0 + 9) {
		if (pinlock_locked_ms(app_pin(app), app_now_ms(app)) > 0 &&
		    sp->mode == PAD_ENTER)
			return;
		if (len < PINLOCK_MAX_DIGITS) {
			sp->digits[len] = (char)('0' + id - ID_DIGIT0);
			sp->digits[len + 1] = '\0';
		}
	} else if (id == ID_ERASE) {
		if (len)
			sp->digits[len - 1] = '\0';
	} else if (id == ID_OK) {
		if (sp->mode == PAD_DAMAGED || len == 0)
			return;
		check(sp, app);
		return;
	} else if (id == ID_CANCEL) {
		wipe(sp);
		sodium_memzero(sp->first, sizeof sp->first);
		if (!sp->change)
			log_info("operator: PIN pad closed");
		app_pop(app);
		return;
	}
	app_redraw(app);
}

static void pinpad_event(struct scene *sc, struct app *app, const struct ui_event *ev)
{
	struct scene_pinpad *sp = (struct scene_pinpad *)sc;
	sp->last_input_ms = app_now_ms(app);
	if (ev->type == UI_TEXT) {
		for (const char *c = ev->text; *c; c++)
			if (*c >= '0' && *c <= '9')
				press(sp, app, ID_DIGIT0 + (*c - '0'));
		return;
	}
	if (ev->type == UI_ERASE) {
		press(sp, app, ID_ERASE);
		return;
	}
	int r = ui_buttons_event(app, sp->page.buttons, sp->page.n,
				 &sp->page.pressed, &sc->focus, ev);
	if (r == UI_GO_BACK)
		press(sp, app, ID_CANCEL);
	else if (r >= 0)
		press(sp, app, oppage_id(&sp->page, r));
}

static int pinpad_tick(struct scene *sc, struct app *app, int64_t now)
{
	struct scene_pinpad *sp = (struct scene_pinpad *)sc;
	int64_t left = sp->last_input_ms + PINPAD_IDLE_MS - now;
	if (left <= 0) {
		log_info("operator: PIN pad closed after %d s without input",
			 PINPAD_IDLE_MS / 1000);
		wipe(sp);
		app_pop(app);
		return -1;
	}
	int64_t locked = pinlock_locked_ms(app_pin(app), now);
	if (locked > 0 && sp->mode == PAD_ENTER) {
		/* the countdown, once a second */
		lock_message(sp, app);
		app_redraw(app);
		return (int)((locked - 1) % 1000 + 1);
	}
	return (int)left;
}

static bool pinpad_busy(struct scene *sc, struct app *app)
{
	(void)sc;
	(void)app;
	return true;    /* its own timeout */
}

static void pinpad_draw(struct scene *sc, struct app *app)
{
	struct scene_pinpad *sp = (struct scene_pinpad *)sc;
	struct text_engine *te = app_text(app);
	int w, h;
	app_size(app, &w, &h);
	int u = app_unit(app);
	oppage_begin(&sp->page);
	SDL_SetRenderDrawColor(app_renderer(app), COLOR_BG.r, COLOR_BG.g, COLOR_BG.b, 255);
	SDL_RenderClear(app_renderer(app));
	int y = oppage_title(app, sp->change ? app_tr(app, "Change the PIN")
					     : app_tr(app, "Operator menu"));
	const char *prompt =
		sp->mode == PAD_ENTER ? app_tr(app, "Enter the operator PIN.")
		: sp->mode == PAD_NEW ? app_tr(app, "Choose a new operator PIN "
					       "(4 to 12 digits).")
		: sp->mode == PAD_REPEAT ? app_tr(app, "Enter the new PIN again.")
		: app_tr(app, "The PIN file is damaged. Set a new PIN at the "
			 "kiosk's terminal: kiosk pin");
	struct text_style ps = { .size_px = u * 4, .color = COLOR_TEXT };
	text_draw_line(te, prompt, u * 3, y, w - u * 6, &ps);
	y += text_line_height(te, &ps) + u * 2;

	/* the dots */
	char dots[3 * PINLOCK_MAX_DIGITS + 1] = "";
	for (size_t i = 0; i < strlen(sp->digits); i++)
		strcat(dots, "●");
	int pad_w = u * 70 < w - u * 6 ? u * 70 : w - u * 6;
	int x0 = (w - pad_w) / 2;
	SDL_Rect field = { x0, y, pad_w, u * 10 };
	draw_text_field(app, &field, dots, u * 5, false);
	y += field.h + u * 2;

	if (sp->mode != PAD_DAMAGED) {
		/* 1 2 3 / 4 5 6 / 7 8 9 / ⌫ 0 OK */
		static const int keys[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9,
					      ID_ERASE, 0, ID_OK };
		static const char *const names[12] = { "1", "2", "3", "4", "5",
			"6", "7", "8", "9", "erase", "0", "ok" };
		int room = h - y - u * 22;
		int kh = room / 4 - u * 2;
		if (kh > u * 14)
			kh = u * 14;
		if (kh < u * 8)
			kh = u * 8;
		int kw = (pad_w - u * 4) / 3;
		for (int i = 0; i < 12; i++) {
			SDL_Rect r = { x0 + (i % 3) * (kw + u * 2),
				       y + (i / 3) * (kh + u * 2), kw, kh };
			char label[8];
			if (keys[i] == ID_ERASE)
				snprintf(label, sizeof label, "⌫");
			else if (keys[i] == ID_OK)
				snprintf(label, sizeof label, "OK");
			else
				snprintf(label, sizeof label, "%d", keys[i]);
			oppage_button(&sp->page, app, &sc->focus, r,
				      keys[i] == ID_ERASE || keys[i] == ID_OK
				      ? keys[i] : ID_DIGIT0 + keys[i],
				      names[i], label, NULL);
		}
		y += 4 * (kh + u * 2);
	}
	SDL_Rect cancel = { x0, y, pad_w, u * 10 };
	oppage_button(&sp->page, app, &sc->focus, cancel, ID_CANCEL, "cancel",
		      app_tr(app, "Cancel"), NULL);
	y += cancel.h + u * 2;
	if (sp->message[0])
		oppage_message(app, x0, y, pad_w, sp->message);
}

static void pinpad_resume(struct scene *sc, struct app *app)
{
	(void)sc;
	app_redraw(app);
}

static void pinpad_destroy(struct scene *sc, struct app *app)
{
	(void)app;
	struct scene_pinpad *sp = (struct scene_pinpad *)sc;
	sodium_memzero(sp, sizeof *sp);
	free(sp);
}

static bool pinpad_find(struct scene *sc, const char *name, SDL_Rect *out)
{
	return oppage_find(&((struct scene_pinpad *)sc)->page, name, out);
}

static const char *pinpad_message(struct scene *sc)
{
	return ((struct scene_pinpad *)sc)->message;
}

static const struct scene_ops pinpad_ops = {
	.name = "pinpad",
	.wants_text = true,
	.event = pinpad_event,
	.draw = pinpad_draw,
	.tick = pinpad_tick,
	.resume = pinpad_resume,
	.busy = pinpad_busy,
	.destroy = pinpad_destroy,
	.find_button = pinpad_find,
	.page_message = pinpad_message,
};

static struct scene *create(struct app *app, bool change)
{
	struct scene_pinpad *sp = xcalloc(1, sizeof *sp);
	sp->base.ops = &pinpad_ops;
	sp->base.focus = -1;
	sp->page.pressed = -1;
	sp->change = change;
	sp->last_input_ms = app_now_ms(app);
	struct pinlock *pin = app_pin(app);
	pinlock_reload(pin, app_now_ms(app));
	if (change)
		sp->mode = PAD_NEW;
	else if (pinlock_is_damaged(pin))
		sp->mode = PAD_DAMAGED;
	else if (!pinlock_is_set(pin))
		sp->mode = PAD_NEW;
	else
		sp->mode = PAD_ENTER;
	if (sp->mode == PAD_ENTER)
		lock_message(sp, app);
	return &sp->base;
}

struct scene *scene_pinpad_create(struct app *app)
{
	return create(app, false);
}

struct scene *scene_pinpad_change_create(struct app *app)
{
	return create(app, true);
}
