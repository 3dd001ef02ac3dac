/*
 * config: the kiosk's settings, read once at start from a small text file
 * and passed down as const.
 *
 * File format: one `key = value` per line; `#` starts a comment; blank
 * lines are ignored; values are taken verbatim after trimming (no quotes
 * needed). Unknown keys and bad values are reported as
 * `file:line: key: what is wrong` and the default is kept.
 *
 * Keys, types, limits and defaults are in the table in config.c and in
 * README.md ("Configuration").
 */
#ifndef KIOSK_BASE_CONFIG_H
#define KIOSK_BASE_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "base/diag.h"

/* Most fallback fonts font_fallback may list. */
#define CONFIG_MAX_FONTS 8
/* Most trusted publisher keys pack_keys may list. */
#define CONFIG_MAX_PACK_KEYS 8

struct kiosk_config {
	char kiosk_id[64];          /* "kiosk-" + hostname by default */
	char site[128];             /* current village or venue; "" = unset */
	char default_lang[16];      /* "vi" */
	int idle_timeout_s;         /* 90; 5..3600 */
	int volume_percent;         /* sound volume at the start of a session; 80 */
	int max_picture_megapixels; /* refuse pictures declaring more; 50; 1..50 */
	bool hwdec;                 /* hardware video decoding when there is one; true */
	int subtitle_lines;         /* 2: the visitor's subtitle above the Vietnamese one; 2 */
	int attract_interval_s;     /* seconds per featured item in the attract loop; 8 */
	char content_dir[1024];     /* the library */
	char data_dir[1024];        /* log database and kiosk state */
	char locales_dir[1024];     /* languages.json and PO files */
	char font_path[1024];       /* primary font */
	char font_bold_path[1024];  /* bold face; "" = synthesise from font_path */
	/* Fonts for characters the primary font lacks, tried in order: paths
	 * separated by ':' like PATH (config_split_paths splits it); at most
	 * CONFIG_MAX_FONTS; "" = none. */
	char font_fallback[2048];
	/* The publishers' public key files (kiosk keygen) whose content packs
	 * the kiosk imports, separated by ':'; at most CONFIG_MAX_PACK_KEYS;
	 * "" = none, so no pack is imported. */
	char pack_keys[2048];
	bool fullscreen;            /* true; `--window WxH` turns it off */
	/* "auto", "opengles2", "opengl" or "software" (screen.h) */
	char renderer[16];
	int rotation;               /* degrees clockwise: 0, 90, 180, 270; 0 */
	int window_w, window_h;     /* size when not fullscreen */
};

/* Fill cfg with the built-in defaults. Paths depend on where the program
 * runs: from a source checkout (the build directory sits in the tree) they
 * point into the tree and ~/.local/share/kiosk; installed on a Pi they are
 * /srv/kiosk/content and /var/lib/kiosk. */
void config_defaults(struct kiosk_config *cfg);

/* Read path over the current values of cfg. Problems go to diags. Returns
 * false when the file cannot be read (cfg unchanged); a file with bad lines
 * still returns true with the good lines applied. */
bool config_load(struct kiosk_config *cfg, const char *path,
		 struct diag_list *diags);

/* The config file used when none is named: $KIOSK_CONFIG, else
 * /etc/kiosk/kiosk.conf when it exists, else
 * $XDG_CONFIG_HOME/kiosk/kiosk.conf (~/.config/...). Never NULL; the file
 * may not exist. Returns a static buffer. */
const char *config_default_path(void);

/* Set one key from a string, as a config line would (used by command-line
 * options). Returns false with a reason in diags when the key is unknown or
 * the value bad. */
bool config_set(struct kiosk_config *cfg, const char *key, const char *value,
		struct diag_list *diags);

/* Split a ':'-separated list of paths (as font_fallback holds) into
 * *n strings, empty entries left out. Returns one allocation holding the
 * NULL-terminated array and the strings (the caller frees it with free()),
 * never NULL. */
const char **config_split_paths(const char *list, size_t *n);

/* Write every key with its current value to out, in the file format
 * (`kiosk run --print-config`). */
void config_print(const struct kiosk_config *cfg, FILE *out);

#endif
