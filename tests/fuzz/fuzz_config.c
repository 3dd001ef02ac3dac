/*
 * fuzz_config: the kiosk's config file (base/config.c). The input is a
 * config file's bytes, written to a scratch file and read with
 * config_load over the built-in defaults.
 *
 * Beyond not crashing, the target asserts: an existing file is always
 * read; every string setting stays NUL-terminated in its field and valid
 * UTF-8, every number within the limits of config.c's table, the path
 * lists within their counts (config_split_paths); and the config survives
 * a round trip: what config_print writes, read again over the defaults,
 * prints the same.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/util.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *conf_path;
static struct kiosk_config defaults;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	conf_path = fuzz_path("kiosk.conf");
	config_defaults(&defaults);
	return 0;
}

/* The field holds a NUL-terminated UTF-8 string. */
#define CHECK_STR(cfg, field) \
	do { \
		FUZZ_CHECK(memchr((cfg)->field, '\0', sizeof (cfg)->field), \
			   #field " is not terminated"); \
		fuzz_check_utf8((cfg)->field, #field); \
	} while (0)

#define CHECK_INT(cfg, field, lo, hi) \
	FUZZ_CHECK((cfg)->field >= (lo) && (cfg)->field <= (hi), \
		   #field " = %d", (cfg)->field)

static void check_config(const struct kiosk_config *cfg)
{
	CHECK_STR(cfg, kiosk_id);
	CHECK_STR(cfg, site);
	CHECK_STR(cfg, default_lang);
	CHECK_STR(cfg, content_dir);
	CHECK_STR(cfg, data_dir);
	CHECK_STR(cfg, locales_dir);
	CHECK_STR(cfg, font_path);
	CHECK_STR(cfg, font_bold_path);
	CHECK_STR(cfg, font_fallback);
	CHECK_STR(cfg, pack_keys);
	CHECK_INT(cfg, idle_timeout_s, 5, 3600);
	CHECK_INT(cfg, volume_percent, 0, 100);
	CHECK_INT(cfg, max_picture_megapixels, 1, 50);
	CHECK_INT(cfg, subtitle_lines, 1, 2);
	CHECK_INT(cfg, attract_interval_s, 2, 600);
	CHECK_INT(cfg, window_w, 240, 8192);
	CHECK_INT(cfg, window_h, 240, 8192);
	CHECK_INT(cfg, rotation, 0, 270);
	FUZZ_CHECK(cfg->rotation % 90 == 0, "rotation = %d", cfg->rotation);
	CHECK_STR(cfg, renderer);
	static const char *const renderers[] = { "auto", "opengles2", "opengl",
						 "software" };
	bool known = false;
	for (size_t i = 0; i < sizeof renderers / sizeof *renderers; i++)
		known = known || !strcmp(cfg->renderer, renderers[i]);
	FUZZ_CHECK(known, "renderer = \"%s\"", cfg->renderer);
	size_t n;
	free(config_split_paths(cfg->font_fallback, &n));
	FUZZ_CHECK(n <= CONFIG_MAX_FONTS, "%zu fallback fonts", n);
	const char **keys = config_split_paths(cfg->pack_keys, &n);
	FUZZ_CHECK(n <= CONFIG_MAX_PACK_KEYS, "%zu pack keys", n);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(keys[i] && *keys[i], "empty path from config_split_paths");
	FUZZ_CHECK(keys[n] == NULL, "path list not NULL-terminated");
	free(keys);
}

/* config_print's text of cfg (caller frees). */
static char *print(const struct kiosk_config *cfg, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	FUZZ_CHECK(f, "open_memstream");
	config_print(cfg, f);
	fclose(f);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_write(conf_path, data, size);
	struct kiosk_config cfg = defaults;
	struct diag_list diags;
	diag_list_init(&diags);
	FUZZ_CHECK(config_load(&cfg, conf_path, &diags), "an existing file was "
		   "not read");
	fuzz_check_diags(&diags);
	check_config(&cfg);

	size_t len;
	char *text = print(&cfg, &len);
	fuzz_write(conf_path, (const uint8_t *)text, len);
	struct kiosk_config again = defaults;
	diag_list_finish(&diags);
	diag_list_init(&diags);
	FUZZ_CHECK(config_load(&again, conf_path, &diags), "cannot read back");
	FUZZ_CHECK(diags.len == 0, "config_print's text has a problem: %s",
		   diags.items[0].message);
	size_t len2;
	char *text2 = print(&again, &len2);
	FUZZ_CHECK(len == len2 && !memcmp(text, text2, len), "the config does "
		   "not survive config_print and config_load:\n%s\n----\n%s",
		   text, text2);
	free(text);
	free(text2);
	diag_list_finish(&diags);
	return 0;
}
