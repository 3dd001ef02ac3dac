/*
 * settings: the operator menu's settings file in the data directory (see
 * settings.h). Values are checked by the config module (config_set), so
 * the limits live in one table.
 */
#include "base/settings.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"

/* The keys the menu sets, in the order they are written. */
static const char *const settings_keys[] = {
	"site", "default_language", "volume", "idle_timeout", "rotation",
};

static const char settings_header[] =
	"# Written by the kiosk's operator menu: the settings changed on the\n"
	"# kiosk itself, applied over the config file (/etc/kiosk/kiosk.conf)\n"
	"# at start. Only site, default_language, volume, idle_timeout and\n"
	"# rotation are read from here. The menu rewrites this file when it\n"
	"# saves.\n";

static bool key_allowed(const char *key)
{
	for (size_t i = 0; i < ARRAY_LEN(settings_keys); i++)
		if (!strcmp(key, settings_keys[i]))
			return true;
	return false;
}

/* settings_keys as "site, default_language, ..." (for messages). */
static void key_list(char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(settings_keys) && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%s%s", i ? ", " : "",
				      settings_keys[i]);
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* ---- loading ---------------------------------------------------------- */

/* s begins with '"': replace it in place by the text between the quotes,
 * unescaped. Returns NULL, or a static reason when the quote is not
 * closed or text other than a comment follows it. */
static const char *unquote(char *s)
{
	char *out = s;
	const char *p = s + 1;
	for (;;) {
		if (*p == '\0')
			return "the closing quote is missing";
		if (*p == '"') {
			p++;
			break;
		}
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		*out++ = *p++;
	}
	*out = '\0';    /* out < p: the rest of the line is still there */
	while (isspace((unsigned char)*p))
		p++;
	if (*p && *p != '#')
		return "text after the closing quote (a '#' starts a comment)";
	return NULL;
}

/* Set key to value in cfg through config_set, its problems reported at
 * path:line instead of "command line". */
static void apply(struct kiosk_config *cfg, const char *key, const char *value,
		  const char *path, int line, struct diag_list *diags)
{
	struct diag_list d;
	diag_list_init(&d);
	config_set(cfg, key, value, &d);
	for (size_t i = 0; i < d.len; i++)
		diag_add(diags, d.items[i].severity, path, line, 0, "%s",
			 d.items[i].message);
	diag_list_finish(&d);
}

bool settings_load(struct kiosk_config *cfg, struct diag_list *diags)
{
	char *path = path_join(cfg->data_dir, SETTINGS_FILENAME);
	size_t len;
	char *text = file_read_all(path, &len);
	if (!text) {
		bool missing = errno == ENOENT;
		if (!missing)
			diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read: %s",
				 strerror(errno));
		free(path);
		return missing;
	}
	int lineno = 0;
	char *p = text;
	while (p && *p) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		char *line = p;
		p = nl ? nl + 1 : NULL;
		if (lineno == 1 && (unsigned char)line[0] == 0xEF &&
		    (unsigned char)line[1] == 0xBB && (unsigned char)line[2] == 0xBF)
			line += 3; /* UTF-8 byte order mark from Windows editors */
		while (isspace((unsigned char)*line))
			line++;
		if (!*line || *line == '#')
			continue;
		char *eq = strchr(line, '=');
		if (!eq) {
			diag_add(diags, DIAG_ERROR, path, lineno, 0,
				 "expected 'key = value'");
			continue;
		}
		*eq = '\0';
		char *key = trim(line);
		char *value = eq + 1;
		while (isspace((unsigned char)*value))
			value++;
		if (*value == '"') {
			const char *why = unquote(value);
			if (why) {
				diag_add(diags, DIAG_ERROR, path, lineno, 0,
					 "%s: %s", key, why);
				continue;
			}
		} else {
			char *hash = strchr(value, '#');
			if (hash)
				*hash = '\0';
			value = trim(value);
		}
		if (!key_allowed(key)) {
			char keys[128];
			key_list(keys, sizeof keys);
			diag_add(diags, DIAG_ERROR, path, lineno, 0,
				 "%s: not one of the operator menu's settings "
				 "(%s); set it in the config file", key, keys);
			continue;
		}
		apply(cfg, key, value, path, lineno, diags);
	}
	free(text);
	free(path);
	return true;
}

/* ---- saving ----------------------------------------------------------- */

/* Copy src to dst (size bytes) without control characters: C0, DEL and
 * C1 (U+0080..U+009F, "\xC2\x80".."\xC2\x9F" in UTF-8). */
static void strip_controls(char *dst, size_t size, const char *src)
{
	size_t o = 0;
	for (const unsigned char *s = (const unsigned char *)src; *s; s++) {
		if (*s < 0x20 || *s == 0x7F)
			continue;
		if (s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F) {
			s++;
			continue;
		}
		if (o + 1 < size)
			dst[o++] = (char)*s;
	}
	dst[o] = '\0';
}

/* Append "key = value\n" to *out, value quoted when the config's reading
 * would change it (see settings.h). */
static void append_line(char **out, const char *key, const char *value)
{
	size_t n = strlen(value);
	bool quote = strchr(value, '#') || value[0] == '"' ||
		     (n && (isspace((unsigned char)value[0]) ||
			    isspace((unsigned char)value[n - 1])));
	char *line;
	if (!quote) {
		line = xasprintf("%s%s = %s\n", *out, key, value);
	} else {
		char *q = xmalloc(2 * n + 3), *w = q;
		*w++ = '"';
		for (const char *s = value; *s; s++) {
			if (*s == '"' || *s == '\\')
				*w++ = '\\';
			*w++ = *s;
		}
		*w++ = '"';
		*w = '\0';
		line = xasprintf("%s%s = %s\n", *out, key, q);
		free(q);
	}
	free(*out);
	*out = line;
}

bool settings_save(const struct kiosk_config *cfg, char **err)
{
	char *path = path_join(cfg->data_dir, SETTINGS_FILENAME);
	char site[sizeof cfg->site], lang[sizeof cfg->default_lang];
	strip_controls(site, sizeof site, cfg->site);
	strip_controls(lang, sizeof lang, cfg->default_lang);
	char volume[16], idle[16], rotation[16];
	snprintf(volume, sizeof volume, "%d", cfg->volume_percent);
	snprintf(idle, sizeof idle, "%d", cfg->idle_timeout_s);
	snprintf(rotation, sizeof rotation, "%d", cfg->rotation);
	const char *values[] = { site, lang, volume, idle, rotation };

	/* What the config would refuse is not written: checked on a copy. */
	struct kiosk_config *check = xmalloc(sizeof *check);
	*check = *cfg;
	struct diag_list d;
	diag_list_init(&d);
	for (size_t i = 0; i < ARRAY_LEN(settings_keys) && !d.len; i++)
		config_set(check, settings_keys[i], values[i], &d);
	free(check);
	if (d.len) {
		*err = xasprintf("%s: not saved: %s", path, d.items[0].message);
		diag_list_finish(&d);
		free(path);
		return false;
	}
	diag_list_finish(&d);

	char *text = xstrdup(settings_header);
	for (size_t i = 0; i < ARRAY_LEN(settings_keys); i++)
		append_line(&text, settings_keys[i], values[i]);
	bool ok = true;
	if (!mkdir_parents(cfg->data_dir)) {
		*err = xasprintf("%s: cannot create its folder: %s", path,
				 strerror(errno));
		ok = false;
	}
	ok = ok && file_replace(cfg->data_dir, path, text, 0644, err);
	free(text);
	free(path);
	return ok;
}

void settings_tidy_site(char *site)
{
	strip_controls(site, strlen(site) + 1, site);
	char *w = site;
	for (const char *r = site; *r; r++) {
		if (isspace((unsigned char)*r)) {
			if (w == site || w[-1] == ' ')
				continue;
			*w++ = ' ';
		} else {
			*w++ = *r;
		}
	}
	if (w > site && w[-1] == ' ')
		w--;
	*w = '\0';
}
