/*
 * test_operator: the operator menu of the real kiosk, driven by taps:
 *   - the PIN pad: a first PIN chosen twice, the menu behind the right
 *     PIN only, wrong PINs locking the pad for a growing delay that a
 *     restart does not shorten; the hash on disk is Argon2id and the PIN
 *     itself is in no file of the data folder (the log included);
 *   - the settings page: volume, idle timeout, default language and the
 *     site typed on the on-screen keyboard, applied, saved in
 *     settings.conf and stamped on later log rows;
 *   - keys that would leave the kiosk (Alt+F4, Ctrl+Q, closing the
 *     window) ignored in fullscreen unless the menu allows them;
 *   - the content page: a signed pack on a USB stick imported end to end
 *     (the kiosk restarts and shows it), a refused pack with its reason,
 *     an older pack installed on purpose, and rollback;
 *   - restart and shut down;
 *   - every one of these in the log's operator_actions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/pinlock.h"
#include "base/util.h"
#include "content/catalog.h"
#include "pack/library.h"
#include "pack/packfile.h"
#include "pack/packkey.h"
#include "test_kiosk.h"
#include "test_support.h"

static void alt_key(struct app *app, SDL_Keycode sym, SDL_Keymod mod)
{
	SDL_Event e = { 0 };
	e.type = SDL_KEYDOWN;
	e.key.keysym.sym = sym;
	e.key.keysym.mod = mod;
	push(&e);
	e.type = SDL_KEYUP;
	push(&e);
	run_for(app, 30);
}

static void open_menu(struct app *app)
{
	alt_key(app, SDLK_o, KMOD_LCTRL | KMOD_LALT);
	assert_string_equal(top_name(app), "pinpad");
}

static int count_actions(sqlite3 *db, const char *action)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM "
			 "operator_actions WHERE action = ?1", -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(s, 1, action, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* grep -r for text in every file under dir (binary files included). */
static bool found_in(const char *dir, const char *text)
{
	return test_system("grep -r -a -q -F '%s' '%s'", text, dir) == 0;
}

/* ---- the PIN pad ---------------------------------------------------------- */

static void test_pin(void **state)
{
	(void)state;
	struct kut k;
	kut_start(&k, NULL, 800, 480);
	struct app *app = kut_app(&k);
	run_for(app, 50);

	/* no PIN yet: choose one, twice; two that differ start again */
	open_menu(app);
	enter_pin(app, "12");
	assert_non_null(strstr(scene_page_message(app_top(app)), "4"));
	enter_pin(app, "73915046");
	enter_pin(app, "73915047");
	assert_string_equal(top_name(app), "pinpad");
	assert_non_null(strstr(scene_page_message(app_top(app)), app_tr(app, "The two PINs differ. Choose the new PIN again.")));
	enter_pin(app, "73915046");
	enter_pin(app, "73915046");
	assert_string_equal(top_name(app), "operator");
	save_screen(app, "operator-menu.png");
	SDL_Rect r;
	assert_true(scene_operator_button(app_top(app), "close", &r));
	tap_touch(app, r.x + r.w / 2, r.y + r.h / 2);
	assert_string_equal(top_name(app), "attract");

	/* the right PIN opens the menu; Cancel goes back */
	open_menu(app);
	save_screen(app, "operator-pinpad.png");
	tap_button(app, "cancel");
	assert_string_equal(top_name(app), "attract");
	open_menu(app);
	/* the digits tapped on the pad */
	tap_button(app, "7");
	tap_button(app, "3");
	tap_button(app, "9");
	tap_button(app, "1");
	tap_button(app, "5");
	tap_button(app, "0");
	tap_button(app, "4");
	tap_button(app, "6");
	tap_button(app, "ok");
	assert_string_equal(top_name(app), "operator");
	key(app, SDLK_ESCAPE);
	assert_string_equal(top_name(app), "attract");

	/* three wrong PINs are free; the fourth locks the pad */
	open_menu(app);
	for (int i = 0; i < PINLOCK_FREE_TRIES; i++) {
		enter_pin(app, "0000");
		assert_non_null(strstr(scene_page_message(app_top(app)), app_tr(app, "Wrong PIN.")));
	}
	enter_pin(app, "0000");
	assert_non_null(strstr(scene_page_message(app_top(app)), app_tr(app, "Too many wrong PINs. Try again in")));
	/* locked: even the right PIN is not looked at */
	enter_pin(app, "73915046");
	assert_string_equal(top_name(app), "pinpad");
	app_advance_clock(app, PINLOCK_FIRST_LOCK_MS + 1000);
	run_for(app, 30);
	enter_pin(app, "0000");         /* the fifth: twice as long */
	app_advance_clock(app, PINLOCK_FIRST_LOCK_MS + 1000);
	run_for(app, 30);
	enter_pin(app, "73915046");
	assert_string_equal(top_name(app), "pinpad");
	app_advance_clock(app, PINLOCK_FIRST_LOCK_MS);
	run_for(app, 30);
	enter_pin(app, "73915046");
	assert_string_equal(top_name(app), "operator");
	key(app, SDLK_ESCAPE);

	/* the hash is Argon2id; the PIN is in no file, the logs included */
	char *pin_file = path_join(k.data, PINLOCK_PIN_FILENAME);
	char *hash = file_read_all(pin_file, NULL);
	assert_non_null(hash);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	free(hash);
	free(pin_file);
	sqlite3 *db = kut_stop_open_log(&k);
	assert_false(found_in(k.data, "73915046"));
	assert_int_equal(count_actions(db, "pin-set"), 1);
	assert_int_equal(count_actions(db, "pin-ok"), 2);
	assert_int_equal(count_actions(db, "pin-wrong"), 5);
	kut_close_log(&k, db);
}

/* ---- settings and keys ------------------------------------------------------ */

static void test_settings(void **state)
{
	(void)state;
	struct kut k;
	kut_start(&k, NULL, 800, 480);
	k.cfg.fullscreen = true;        /* the kiosk's keys are the point */
	k.cfg.volume_percent = 80;
	k.cfg.idle_timeout_s = 90;
	struct app *app = kut_app(&k);
	run_for(app, 50);

	/* Alt+F4, Ctrl+Q and closing the window do nothing in fullscreen */
	alt_key(app, SDLK_F4, KMOD_LALT);
	alt_key(app, SDLK_q, KMOD_LCTRL);
	SDL_Event e = { 0 };
	e.type = SDL_WINDOWEVENT;
	e.window.event = SDL_WINDOWEVENT_CLOSE;
	push(&e);
	assert_true(app_step(app, 20));
	assert_true(app_step(app, 20));

	open_menu(app);
	pass_pinpad(app);
	SDL_Rect r;
	assert_true(scene_operator_button(app_top(app), "settings", &r));
	tap_touch(app, r.x + r.w / 2, r.y + r.h / 2);
	assert_string_equal(top_name(app), "settings");
	tap_button(app, "volume+");
	tap_button(app, "volume-");
	tap_button(app, "volume-");
	assert_int_equal(app_config(app)->volume_percent, 70);
	tap_button(app, "idle+");
	assert_int_equal(app_config(app)->idle_timeout_s, 120);
	tap_button(app, "lang+");
	assert_string_not_equal(app_config(app)->default_lang, "vi");
	tap_button(app, "lang-");
	assert_string_equal(app_config(app)->default_lang, "vi");
	/* the site, typed */
	tap_button(app, "site");
	type_text(app, "Nhà văn hoá xã Ea Tiêu");
	key(app, SDLK_ESCAPE);          /* done typing */
	assert_string_equal(app_config(app)->site, "Nhà văn hoá xã Ea Tiêu");
	save_screen(app, "operator-settings.png");
	/* keys that leave: allowed now */
	tap_button(app, "keys");
	assert_true(app_leave_keys(app));
	tap_button(app, "back");
	assert_string_equal(top_name(app), "operator");

	/* saved for the next start */
	char *conf = path_join(k.data, "settings.conf");
	char *text = file_read_all(conf, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "Nhà văn hoá xã Ea Tiêu"));
	assert_non_null(strstr(text, "70"));
	assert_non_null(strstr(text, "120"));
	free(text);
	free(conf);

	/* Ctrl+Q quits now */
	key(app, SDLK_ESCAPE);
	alt_key(app, SDLK_q, KMOD_LCTRL);
	assert_false(app_step(app, 10));
	assert_int_equal(app_exit_kind(app), APP_EXIT_QUIT);

	sqlite3 *db = kut_stop_open_log(&k);
	assert_int_equal(count_actions(db, "set-volume"), 3);
	assert_int_equal(count_actions(db, "set-idle-timeout"), 1);
	assert_int_equal(count_actions(db, "set-default-language"), 2);
	assert_int_equal(count_actions(db, "set-site"), 1);
	assert_int_equal(count_actions(db, "leave-keys"), 1);
	assert_int_equal(count_actions(db, "settings"), 1);
	/* rows after the change carry the new site */
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT site FROM operator_actions "
			 "WHERE action = 'leave-keys'", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0),
			    "Nhà văn hoá xã Ea Tiêu");
	sqlite3_finalize(s);
	kut_close_log(&k, db);
}

/* ---- content packs ---------------------------------------------------------- */

struct packs {
	char *tmp, *stick, *pub;
	struct packkey_secret key;
};

/* A pack of the demo library's item udhr-art1 plus one marker item,
 * version v, signed unless sk is NULL, at stick/name. */
static void make_pack(struct packs *p, const char *name, int64_t v,
		      const struct packkey_secret *sk)
{
	char *lib = xasprintf("%s/lib-%lld", p->tmp, (long long)v);
	char *demo = test_source_path("content/udhr-art1");
	assert_int_equal(test_system("mkdir -p '%s' && cp -r '%s' '%s/'", lib,
				     demo, lib), 0);
	char *out = path_join(p->stick, name);
	char *err = NULL;
	if (!pack_create(lib, out, v, "Sở Văn hoá", NULL, NULL, &err))
		fail_msg("%s", err);
	if (sk && !pack_sign(out, sk, NULL, NULL, &err))
		fail_msg("%s", err);
	free(out);
	free(demo);
	free(lib);
}

static void import_wait(struct app *app)
{
	for (int i = 0; i < 200 && !strstr(scene_page_message(app_top(app)), "."); i++)
		run_for(app, 20);
}

static void test_content(void **state)
{
	(void)state;
	ensure_media();
	struct packs p = {0};
	p.tmp = test_tmpdir();
	p.stick = path_join(p.tmp, "media/KIOSK-PACKS");
	assert_true(mkdir_parents(p.stick));
	char *media = path_join(p.tmp, "media");
	setenv("KIOSK_MEDIA_ROOT", media, 1);
	char *err = NULL;
	assert_true(packkey_generate(&p.key, &err));
	char *base = path_join(p.tmp, "province");
	assert_true(packkey_write_pair(&p.key, base, &err));
	p.pub = xasprintf("%s.public", base);

	struct kut k;
	kut_start(&k, NULL, 800, 480);
	snprintf(k.cfg.pack_keys, sizeof k.cfg.pack_keys, "%s", p.pub);
	struct app *app = kut_app(&k);
	run_for(app, 50);
	size_t demo_items = app_catalog(app)->n_items;
	assert_true(demo_items > 1);

	/* an unsigned pack on the stick: refused, with the reason */
	make_pack(&p, "unsigned.pack", 3, NULL);
	open_menu(app);
	pass_pinpad(app);
	SDL_Rect r;
	assert_true(scene_operator_button(app_top(app), "content", &r));
	tap_touch(app, r.x + r.w / 2, r.y + r.h / 2);
	assert_string_equal(top_name(app), "import");
	save_screen(app, "operator-content.png");
	tap_button(app, "pack-0");
	import_wait(app);
	const char *msg = scene_page_message(app_top(app));
	assert_non_null(strstr(msg, app_tr(app, "The pack was refused. The library is unchanged.")));
	assert_non_null(strstr(msg, "not signed"));
	assert_string_equal(library_current(app_library(app))->name, LIBRARY_FACTORY);

	/* a signed one: imported; the kiosk restarts to show it */
	char *unsigned_path = path_join(p.stick, "unsigned.pack");
	unlink(unsigned_path);
	free(unsigned_path);
	make_pack(&p, "v3.pack", 3, &p.key);
	run_for(app, 2100);             /* the stick is looked at again */
	tap_button(app, "pack-0");
	import_wait(app);
	assert_non_null(strstr(scene_page_message(app_top(app)), app_tr(app, "The new library is installed.")));
	save_screen(app, "operator-imported.png");
	assert_int_equal(library_current(app_library(app))->version, 3);
	app_advance_clock(app, 3100);
	bool running = true;
	for (int i = 0; i < 20 && running; i++)
		running = app_step(app, 10);
	assert_false(running);
	assert_int_equal(app_exit_kind(app), APP_EXIT_RESTART);
	app_destroy(app);

	/* after the restart: the pack's library is shown */
	app = k.app = kut_app(&k);
	run_for(app, 50);
	assert_int_equal(library_current(app_library(app))->version, 3);
	assert_int_equal(app_catalog(app)->n_items, 1);

	/* an older one: refused, then installed on purpose */
	make_pack(&p, "v2.pack", 2, &p.key);
	open_menu(app);
	pass_pinpad(app);
	assert_true(scene_operator_button(app_top(app), "content", &r));
	tap_touch(app, r.x + r.w / 2, r.y + r.h / 2);
	tap_button(app, "pack-0");      /* v2.pack sorts first */
	import_wait(app);
	assert_non_null(strstr(scene_page_message(app_top(app)), app_tr(app, "This pack is older than the library the kiosk shows.")));
	assert_int_equal(library_current(app_library(app))->version, 3);
	tap_button(app, "older");
	import_wait(app);
	assert_non_null(strstr(scene_page_message(app_top(app)), app_tr(app, "The new library is installed.")));
	assert_int_equal(library_current(app_library(app))->version, 2);
	tap_button(app, "restart");
	assert_false(app_step(app, 10));
	app_destroy(app);

	/* rollback: two taps; back to version 3 */
	app = k.app = kut_app(&k);
	run_for(app, 50);
	open_menu(app);
	pass_pinpad(app);
	assert_true(scene_operator_button(app_top(app), "content", &r));
	tap_touch(app, r.x + r.w / 2, r.y + r.h / 2);
	tap_button(app, "rollback");
	assert_int_equal(library_current(app_library(app))->version, 2);
	tap_button(app, "rollback");
	assert_non_null(strstr(scene_page_message(app_top(app)), app_tr(app, "The previous library is back.")));
	assert_int_equal(library_current(app_library(app))->version, 3);
	tap_button(app, "restart");
	assert_false(app_step(app, 10));
	app_destroy(app);

	/* restart and shut down from the menu take two taps */
	app = k.app = kut_app(&k);
	run_for(app, 50);
	assert_int_equal(library_current(app_library(app))->version, 3);
	open_menu(app);
	pass_pinpad(app);
	assert_true(scene_operator_button(app_top(app), "poweroff", &r));
	tap_touch(app, r.x + r.w / 2, r.y + r.h / 2);
	assert_true(app_step(app, 10));
	assert_true(scene_operator_button(app_top(app), "poweroff", &r));
	tap_touch(app, r.x + r.w / 2, r.y + r.h / 2);
	assert_int_equal(app_exit_kind(app), APP_EXIT_POWEROFF);

	sqlite3 *db = kut_stop_open_log(&k);
	assert_int_equal(count_actions(db, "import"), 3);
	assert_int_equal(count_actions(db, "import-older"), 1);
	assert_int_equal(count_actions(db, "import-refused"), 2);
	assert_int_equal(count_actions(db, "import-done"), 2);
	assert_int_equal(count_actions(db, "rollback"), 1);
	assert_int_equal(count_actions(db, "restart"), 3);
	assert_int_equal(count_actions(db, "poweroff"), 1);
	kut_close_log(&k, db);
	unsetenv("KIOSK_MEDIA_ROOT");
	packkey_secret_wipe(&p.key);
	test_rmtree(p.tmp);
	free(p.tmp);
	free(p.stick);
	free(p.pub);
	free(media);
	free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_content),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
