/*
 * fuzz_settings: the operator menu's settings file (base/settings.c). The
 * input is a settings.conf's bytes, written into a scratch data folder
 * and applied with settings_load over the built-in config.
 *
 * Beyond not crashing, the target asserts: an existing file is always
 * read; the five settings keep the config's limits (site and language
 * NUL-terminated UTF-8, volume 0..100, idle timeout 5..3600, rotation 0,
 * 90, 180 or 270) and nothing else changes; settings_save then writes them (they passed config_set,
 * so the config cannot refuse them) and settings_load reads back exactly
 * what was saved, control characters left out (settings.h's round-trip
 * promise); settings_tidy_site leaves UTF-8 without control characters,
 * with single spaces and none at either end.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/settings.h"
#include "base/util.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *settings_path;
static struct kiosk_config defaults;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	config_defaults(&defaults);
	snprintf(defaults.data_dir, sizeof defaults.data_dir, "%s", fuzz_dir());
	settings_path = fuzz_path(SETTINGS_FILENAME);
	return 0;
}

/* s without control characters (C0, DEL, C1), as settings_save writes it. */
static void strip(char *out, const char *s)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7F)
			continue;
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			p++;
			continue;
		}
		out[o++] = (char)*p;
	}
	out[o] = '\0';
}

static void check_settings(const struct kiosk_config *cfg)
{
	FUZZ_CHECK(memchr(cfg->site, '\0', sizeof cfg->site) &&
		   memchr(cfg->default_lang, '\0', sizeof cfg->default_lang),
		   "a string is not terminated");
	fuzz_check_utf8(cfg->site, "site");
	fuzz_check_utf8(cfg->default_lang, "default_lang");
	FUZZ_CHECK(cfg->volume_percent >= 0 && cfg->volume_percent <= 100,
		   "volume %d", cfg->volume_percent);
	FUZZ_CHECK(cfg->idle_timeout_s >= 5 && cfg->idle_timeout_s <= 3600,
		   "idle timeout %d", cfg->idle_timeout_s);
	FUZZ_CHECK(cfg->rotation >= 0 && cfg->rotation <= 270 &&
		   cfg->rotation % 90 == 0, "rotation %d", cfg->rotation);
	/* nothing but the five settings changes */
	struct kiosk_config other = *cfg;
	memcpy(other.site, defaults.site, sizeof other.site);
	memcpy(other.default_lang, defaults.default_lang, sizeof other.default_lang);
	other.volume_percent = defaults.volume_percent;
	other.idle_timeout_s = defaults.idle_timeout_s;
	other.rotation = defaults.rotation;
	FUZZ_CHECK(!memcmp(&other, &defaults, sizeof other), "settings_load "
		   "changed a setting it does not own");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_write(settings_path, data, size);
	struct kiosk_config cfg = defaults;
	struct diag_list diags;
	diag_list_init(&diags);
	FUZZ_CHECK(settings_load(&cfg, &diags), "an existing file was not read");
	fuzz_check_diags(&diags);
	check_settings(&cfg);

	/* save, and read back what was saved */
	char *err = NULL;
	if (!settings_save(&cfg, &err))
		FUZZ_CHECK(false, "settings the config accepted are not saved: %s",
			   err);
	struct kiosk_config back = defaults;
	diag_list_finish(&diags);
	diag_list_init(&diags);
	FUZZ_CHECK(settings_load(&back, &diags), "cannot read back");
	FUZZ_CHECK(diags.len == 0, "the saved file has a problem: %s",
		   diags.items[0].message);
	char site[sizeof cfg.site], lang[sizeof cfg.default_lang];
	strip(site, cfg.site);
	strip(lang, cfg.default_lang);
	FUZZ_CHECK(!strcmp(back.site, site), "site \"%s\" saved, \"%s\" read "
		   "back", site, back.site);
	FUZZ_CHECK(!strcmp(back.default_lang, lang), "language \"%s\" saved, "
		   "\"%s\" read back", lang, back.default_lang);
	FUZZ_CHECK(back.volume_percent == cfg.volume_percent &&
		   back.idle_timeout_s == cfg.idle_timeout_s &&
		   back.rotation == cfg.rotation, "numbers differ "
		   "after a round trip");

	/* the on-screen keyboard's tidying of a site name */
	char tidy[sizeof cfg.site];
	memcpy(tidy, cfg.site, sizeof tidy);
	settings_tidy_site(tidy);
	fuzz_check_utf8(tidy, "tidied site");
	size_t n = strlen(tidy);
	FUZZ_CHECK(n == 0 || (tidy[0] != ' ' && tidy[n - 1] != ' '),
		   "tidied site \"%s\" has a space at an end", tidy);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tidy[i];
		FUZZ_CHECK(c >= 0x20 && c != 0x7F && !(c != ' ' && isspace(c)) &&
			   !(c == ' ' && tidy[i + 1] == ' '), "tidied site \"%s\"",
			   tidy);
	}
	diag_list_finish(&diags);
	return 0;
}
