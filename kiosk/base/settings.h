/*
 * settings: the few settings the operator menu changes, kept in
 * DATA_DIR/settings.conf (the main config, /etc/kiosk/kiosk.conf, may sit
 * on a read-only root) and applied over the config at start.
 *
 * The keys are the config file's own: site, default_language, volume,
 * idle_timeout and rotation (struct kiosk_config's site, default_lang,
 * volume_percent, idle_timeout_s, rotation), checked with the config's
 * limits (config_set).
 *
 * File format: the config file format (base/config.h) plus quoting, so
 * that any site name round-trips:
 *  - a line whose first non-blank character is '#' is a comment;
 *  - `key = value`: as in the config, an unquoted value ends at the first
 *    '#' and is trimmed;
 *  - `key = "value"`: a value in double quotes is taken exactly as
 *    written between them, '#' and outer spaces included, with \" for a
 *    quote and \\ for a backslash; only blanks or a '#' comment may
 *    follow the closing quote.
 * settings_save quotes a value only when it needs it (a '#', a leading
 * quote, or spaces at either end), so a file without such names is also
 * a valid config file.
 *
 * Main thread only (they touch the caller's config).
 */
#ifndef KIOSK_BASE_SETTINGS_H
#define KIOSK_BASE_SETTINGS_H

#include <stdbool.h>

#include "base/config.h"
#include "base/diag.h"

#define SETTINGS_FILENAME "settings.conf"

/* Apply DATA_DIR/settings.conf (cfg->data_dir) over cfg. Only the keys the
 * menu sets are accepted: site, default_language, volume, idle_timeout,
 * rotation;
 * any other key, a bad value or a bad line goes to diags (may be NULL) as
 * `file:line: key: what is wrong` and is ignored (the value in cfg stays).
 * A missing file is not an error. Returns false only when the file exists
 * but cannot be read (the reason then in diags, cfg unchanged). */
bool settings_load(struct kiosk_config *cfg, struct diag_list *diags);

/* Write those four keys of cfg to DATA_DIR/settings.conf atomically
 * (temporary file, fsync, rename, fsync of the folder; the folder is
 * created when missing), under a header comment saying the operator menu
 * writes this file. Control characters (tabs and newlines included) are
 * left out of the strings written; everything else round-trips exactly
 * through settings_load. A value the config would refuse (a volume of
 * 150, say) is not written. Returns false with *err (caller frees)
 * naming the file and what is wrong; the old file then stays. */
bool settings_save(const struct kiosk_config *cfg, char **err);

/* Tidy a site name typed on the on-screen keyboard in place: control
 * characters removed, runs of spaces made one, spaces at either end
 * trimmed. The menu calls it before it stores a name in the config. */
void settings_tidy_site(char *site);

#endif
