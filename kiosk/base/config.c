/*
 * config: the kiosk's settings (see config.h).
 *
 * Keys live in one table sorted by name and are found with bsearch; each
 * entry knows its type, where it goes in struct kiosk_config, its limits
 * and its documentation line.
 */
#include "base/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "kiosk_build.h"

enum config_type {
	CONFIG_STRING,
	CONFIG_INT,
	CONFIG_BOOL,
	CONFIG_PATHS,        /* a string: paths separated by ':' */
	CONFIG_CHOICE,       /* a string: one of the key's choices */
};

struct config_key {
	const char *name;
	enum config_type type;
	size_t offset;       /* of the field in struct kiosk_config */
	size_t size;         /* of a string field, bytes */
	int min, max;        /* limits of an int */
	int step;            /* an int must be a multiple of it; 0: any */
	const char *const *choices; /* CONFIG_CHOICE: the values, NULL-ended */
	const char *doc;     /* one line for --print-config and the README */
};

#define STR(field) CONFIG_STRING, offsetof(struct kiosk_config, field), \
	sizeof(((struct kiosk_config *)0)->field), 0, 0, 0, NULL
#define INT(field, lo, hi) CONFIG_INT, offsetof(struct kiosk_config, field), 0, \
	lo, hi, 0, NULL
#define INT_STEP(field, lo, hi, step) CONFIG_INT, \
	offsetof(struct kiosk_config, field), 0, lo, hi, step, NULL
#define BOOL(field) CONFIG_BOOL, offsetof(struct kiosk_config, field), 0, 0, 1, \
	0, NULL
#define PATHS(field, most) CONFIG_PATHS, offsetof(struct kiosk_config, field), \
	sizeof(((struct kiosk_config *)0)->field), 0, most, 0, NULL
#define CHOICE(field, list) CONFIG_CHOICE, offsetof(struct kiosk_config, field), \
	sizeof(((struct kiosk_config *)0)->field), 0, 0, 0, list

static const char *const renderers[] = { "auto", "opengles2", "opengl",
					 "software", NULL };

/* Sorted by name (bsearch). */
static const struct config_key config_keys[] = {
	{ "attract_interval", INT(attract_interval_s, 2, 600),
	  "seconds each featured item stays on the attract loop" },
	{ "content_dir", STR(content_dir), "the content library" },
	{ "data_dir", STR(data_dir), "where the view log and kiosk state are kept (internal storage)" },
	{ "default_language", STR(default_lang), "language after an idle timeout (a tag from languages.json)" },
	{ "font", STR(font_path), "primary font file (TrueType/OpenType)" },
	{ "font_bold", STR(font_bold_path), "bold font file; empty = embolden the primary font" },
	{ "font_fallback", PATHS(font_fallback, CONFIG_MAX_FONTS),
	  "font files for characters the primary font lacks (arrows, symbols), tried in order, separated by ':' like PATH (at most 8; drawn at regular weight); empty = none" },
	{ "fullscreen", BOOL(fullscreen), "true for fullscreen, false for a window" },
	{ "hwdec", BOOL(hwdec), "true to use the machine's hardware video decoder when it has one (software is the fallback)" },
	{ "idle_timeout", INT(idle_timeout_s, 5, 3600), "seconds without a touch before the visitor's session ends" },
	{ "kiosk_id", STR(kiosk_id), "this kiosk's name in reports" },
	{ "locales_dir", STR(locales_dir), "languages.json and the PO files" },
	{ "max_picture_megapixels", INT(max_picture_megapixels, 1, 50), "a picture declaring more pixels is refused before it is decoded (decompression bombs)" },
	{ "pack_keys", PATHS(pack_keys, CONFIG_MAX_PACK_KEYS),
	  "public key files (kiosk keygen) of the publishers whose content packs this kiosk imports, separated by ':'; empty = import nothing" },
	{ "renderer", CHOICE(renderer, renderers),
	  "how the screen is drawn: auto (OpenGL ES on the console of a Pi, the system's choice under a desktop), opengles2, opengl or software; the software renderer is the fallback either way" },
	{ "rotation", INT_STEP(rotation, 0, 270, 90),
	  "degrees the picture is turned clockwise (0, 90, 180, 270): 90 for a landscape screen hung in portrait with its top edge on the left, 270 with it on the right; touches are turned with it" },
	{ "site", STR(site), "the current village or venue, stamped on every log row" },
	{ "subtitle_lines", INT(subtitle_lines, 1, 2), "2: a visitor reading another language also sees the Vietnamese subtitle under theirs" },
	{ "volume", INT(volume_percent, 0, 100), "sound volume (percent) at the start of each visitor's session" },
	{ "window_height", INT(window_h, 240, 8192), "window height when not fullscreen" },
	{ "window_width", INT(window_w, 240, 8192), "window width when not fullscreen" },
};

static int key_cmp(const void *name, const void *entry)
{
	return strcmp(name, ((const struct config_key *)entry)->name);
}

static const struct config_key *key_find(const char *name)
{
	return bsearch(name, config_keys, ARRAY_LEN(config_keys),
		       sizeof config_keys[0], key_cmp);
}

static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/* Is the running program inside a source checkout (build dir in the tree)?
 * Then defaults point at the tree, so `build/kiosk/kiosk run` just works. */
static bool running_from_tree(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	size_t srclen = strlen(KIOSK_SOURCE_DIR);
	return strncmp(exe, KIOSK_SOURCE_DIR, srclen) == 0 && exe[srclen] == '/';
}

static const char *first_existing(const char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (file_exists(paths[i]))
			return paths[i];
	return paths[0];
}

void config_defaults(struct kiosk_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	char host[64] = "";
	if (gethostname(host, sizeof host - 1) != 0 || !host[0])
		copy_str(host, sizeof host, "unnamed");
	snprintf(cfg->kiosk_id, sizeof cfg->kiosk_id, "kiosk-%s", host);
	copy_str(cfg->default_lang, sizeof cfg->default_lang, "vi");
	cfg->idle_timeout_s = 90;
	cfg->attract_interval_s = 8;
	cfg->volume_percent = 80;
	cfg->hwdec = true;
	cfg->max_picture_megapixels = 50;
	cfg->subtitle_lines = 2;
	cfg->fullscreen = true;
	copy_str(cfg->renderer, sizeof cfg->renderer, "auto");
	cfg->window_w = 1280;
	cfg->window_h = 720;

	static const char *const fonts[] = {
		"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
		"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	};
	static const char *const bold[] = {
		"/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
		"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
	};
	copy_str(cfg->font_path, sizeof cfg->font_path, first_existing(fonts, 2));
	copy_str(cfg->font_bold_path, sizeof cfg->font_bold_path,
		 first_existing(bold, 2));
	/* symbols, arrows, check marks and maths, from fonts-noto-core and
	 * fonts-dejavu-core: those installed */
	static const char *const fallback[] = {
		"/usr/share/fonts/truetype/noto/NotoSansSymbols2-Regular.ttf",
		"/usr/share/fonts/truetype/noto/NotoSansSymbols-Regular.ttf",
		"/usr/share/fonts/truetype/noto/NotoSansMath-Regular.ttf",
		"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	};
	for (size_t i = 0; i < ARRAY_LEN(fallback); i++) {
		if (!file_exists(fallback[i]))
			continue;
		size_t used = strlen(cfg->font_fallback);
		snprintf(cfg->font_fallback + used, sizeof cfg->font_fallback - used,
			 "%s%s", used ? ":" : "", fallback[i]);
	}

	if (running_from_tree()) {
		snprintf(cfg->content_dir, sizeof cfg->content_dir, "%s/content",
			 KIOSK_SOURCE_DIR);
		snprintf(cfg->locales_dir, sizeof cfg->locales_dir, "%s/locales",
			 KIOSK_SOURCE_DIR);
		const char *xdg = getenv("XDG_DATA_HOME");
		const char *home = getenv("HOME");
		if (xdg && *xdg)
			snprintf(cfg->data_dir, sizeof cfg->data_dir, "%s/kiosk", xdg);
		else
			snprintf(cfg->data_dir, sizeof cfg->data_dir,
				 "%s/.local/share/kiosk", home && *home ? home : "/tmp");
	} else {
		/* Installed appliance (Raspberry Pi): content on the data
		 * partition, log on internal storage. */
		copy_str(cfg->content_dir, sizeof cfg->content_dir, "/srv/kiosk/content");
		copy_str(cfg->data_dir, sizeof cfg->data_dir, "/var/lib/kiosk");
		snprintf(cfg->locales_dir, sizeof cfg->locales_dir, "%s/locales",
			 KIOSK_DATADIR);
	}
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

static bool set_value(struct kiosk_config *cfg, const struct config_key *k,
		      const char *value, const char *file, int line,
		      struct diag_list *diags)
{
	char *base = (char *)cfg + k->offset;
	if (k->type == CONFIG_PATHS) {
		size_t n = 0;
		free(config_split_paths(value, &n));
		if (n > (size_t)k->max) {
			diag_add(diags, DIAG_ERROR, file, line, 0,
				 "%s: %zu paths, at most %d allowed", k->name, n,
				 k->max);
			return false;
		}
	}
	switch (k->type) {
	case CONFIG_STRING:
	case CONFIG_PATHS:   /* kept as written; split when used */
		if (strlen(value) >= k->size) {
			diag_add(diags, DIAG_ERROR, file, line, 0,
				 "%s: value longer than %zu bytes", k->name,
				 k->size - 1);
			return false;
		}
		if (!utf8_valid(value, strlen(value), NULL)) {
			diag_add(diags, DIAG_ERROR, file, line, 0,
				 "%s: value is not valid UTF-8", k->name);
			return false;
		}
		copy_str(base, k->size, value);
		return true;
	case CONFIG_INT: {
		char *end;
		errno = 0;
		long v = strtol(value, &end, 10);
		if (errno || end == value || *end) {
			diag_add(diags, DIAG_ERROR, file, line, 0,
				 "%s: '%s' is not a whole number", k->name, value);
			return false;
		}
		if (v < k->min || v > k->max) {
			diag_add(diags, DIAG_ERROR, file, line, 0,
				 "%s: %ld is outside %d..%d", k->name, v, k->min,
				 k->max);
			return false;
		}
		if (k->step && v % k->step) {
			diag_add(diags, DIAG_ERROR, file, line, 0,
				 "%s: %ld is not a multiple of %d", k->name, v,
				 k->step);
			return false;
		}
		*(int *)base = (int)v;
		return true;
	}
	case CONFIG_CHOICE: {
		size_t len = 0;
		char list[256] = "";
		for (const char *const *c = k->choices; *c; c++) {
			if (!strcmp(value, *c)) {
				copy_str(base, k->size, value);
				return true;
			}
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
						len ? ", " : "", *c);
			if (len >= sizeof list)
				len = sizeof list - 1;
		}
		diag_add(diags, DIAG_ERROR, file, line, 0,
			 "%s: '%s' is not one of %s", k->name, value, list);
		return false;
	}
	case CONFIG_BOOL:
		if (!strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "1")) {
			*(bool *)base = true;
			return true;
		}
		if (!strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "0")) {
			*(bool *)base = false;
			return true;
		}
		diag_add(diags, DIAG_ERROR, file, line, 0,
			 "%s: '%s' is not true or false", k->name, value);
		return false;
	}
	return false;
}

bool config_set(struct kiosk_config *cfg, const char *key, const char *value,
		struct diag_list *diags)
{
	const struct config_key *k = key_find(key);
	if (!k) {
		diag_add(diags, DIAG_ERROR, "command line", 0, 0,
			 "%s: unknown setting", key);
		return false;
	}
	return set_value(cfg, k, value, "command line", 0, diags);
}

bool config_load(struct kiosk_config *cfg, const char *path,
		 struct diag_list *diags)
{
	size_t len;
	char *text = file_read_all(path, &len);
	if (!text)
		return false;
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
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		line = trim(line);
		if (!*line)
			continue;
		char *eq = strchr(line, '=');
		if (!eq) {
			diag_add(diags, DIAG_ERROR, path, lineno, 0,
				 "expected 'key = value'");
			continue;
		}
		*eq = '\0';
		char *key = trim(line);
		char *value = trim(eq + 1);
		const struct config_key *k = key_find(key);
		if (!k) {
			diag_add(diags, DIAG_ERROR, path, lineno, 0,
				 "%s: unknown setting", key);
			continue;
		}
		set_value(cfg, k, value, path, lineno, diags);
	}
	free(text);
	return true;
}

const char **config_split_paths(const char *list, size_t *n)
{
	size_t len = strlen(list);
	size_t parts = 1;
	for (size_t i = 0; i < len; i++)
		parts += list[i] == ':';
	/* the pointers, then a copy of the text they point into */
	size_t ptr_bytes = (parts + 1) * sizeof(char *);
	char *block = xmalloc(ptr_bytes + len + 1);
	const char **v = (const char **)(void *)block;
	char *text = block + ptr_bytes;
	memcpy(text, list, len + 1);
	size_t k = 0;
	for (char *p = text, *colon; p; p = colon ? colon + 1 : NULL) {
		colon = strchr(p, ':');
		if (colon)
			*colon = '\0';
		char *t = trim(p);
		if (*t)
			v[k++] = t;
	}
	v[k] = NULL;
	*n = k;
	return v;
}

const char *config_default_path(void)
{
	static char buf[1024];
	const char *env = getenv("KIOSK_CONFIG");
	if (env && *env) {
		copy_str(buf, sizeof buf, env);
		return buf;
	}
	if (file_exists("/etc/kiosk/kiosk.conf")) {
		copy_str(buf, sizeof buf, "/etc/kiosk/kiosk.conf");
		return buf;
	}
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(buf, sizeof buf, "%s/kiosk/kiosk.conf", xdg);
	else
		snprintf(buf, sizeof buf, "%s/.config/kiosk/kiosk.conf",
			 home && *home ? home : "");
	return buf;
}

void config_print(const struct kiosk_config *cfg, FILE *out)
{
	for (size_t i = 0; i < ARRAY_LEN(config_keys); i++) {
		const struct config_key *k = &config_keys[i];
		const char *base = (const char *)cfg + k->offset;
		fprintf(out, "# %s\n", k->doc);
		switch (k->type) {
		case CONFIG_STRING:
		case CONFIG_PATHS:
		case CONFIG_CHOICE:
			fprintf(out, "%s = %s\n", k->name, base);
			break;
		case CONFIG_INT:
			fprintf(out, "%s = %d\n", k->name, *(const int *)base);
			break;
		case CONFIG_BOOL:
			fprintf(out, "%s = %s\n", k->name,
				*(const bool *)base ? "true" : "false");
			break;
		}
	}
}
