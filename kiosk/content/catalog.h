/*
 * catalog: the content library, one folder per item.
 *
 * A library is a directory; each sub-directory holding an `item.json` is an
 * item. The format is documented in content/README.md. Loading validates
 * every field; problems are reported as file:line:col diagnostics and a bad
 * item is left out, so the kiosk shows the rest.
 *
 * item.json:
 *   {
 *     "id": "udhr-art1",                      stable, [a-z0-9-], unique
 *     "type": "video" | "audio" | "poster" | "leaflet" | "gallery",
 *     "title":   { "vi": "...", "en": "...", ... },   vi required
 *     "summary": { "vi": "...", "en": "...", ... },   optional per language
 *     "topics":  [ "udhr", "crc" ],            ids from topics.h
 *     "featured": [ { "from": "12-03", "to": "12-10" },          yearly
 *                   { "from": "2026-11-01", "to": "2026-11-30" } ],  once
 *     "media":   { "vi": "video.vi.mp4", "rad": "video.rad.mp4" },
 *     "thumbnail": "thumb.png",                optional
 *     "pictures": [ { "file": "1.jpg", "caption": { "vi": "...", ... } } ],
 *                                              gallery only, then required
 *                                              (and "media" is not)
 *     "subtitles": false,                      optional: subtitles start
 *                                              off (they are on by default)
 *     "source": "where the facts came from"    optional
 *   }
 * Language keys must be tags in the language registry; media and thumbnail
 * paths are relative to the item folder and may not leave it.
 */
#ifndef KIOSK_CONTENT_CATALOG_H
#define KIOSK_CONTENT_CATALOG_H

/* The library's folder of quiz question banks (quiz/bank.h), not an item. */
#define CATALOG_QUIZ_FOLDER "quiz"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "i18n/lang.h"

enum item_type {
	ITEM_VIDEO = 0,
	ITEM_AUDIO,
	ITEM_POSTER,
	ITEM_LEAFLET,
	ITEM_GALLERY,            /* a photo exhibition: pictures with captions */
	ITEM_TYPE_COUNT
};

struct item_text {
	char *lang;      /* tag */
	char *title;     /* NFC not enforced; never NULL */
	char *summary;   /* NULL when the item has no summary in lang */
};

struct item_media {
	char *lang;      /* tag */
	char *path;      /* full path: library dir / item folder / file */
};

/* A caption in one language. */
struct item_caption {
	char *lang;      /* tag */
	char *text;
};

/* One picture of a gallery, in the exhibition's order. */
struct item_picture {
	char *path;                  /* full path */
	struct item_caption *captions;
	size_t n_captions;
};

/* A featured window. Yearly windows repeat every year (month-day pairs,
 * may wrap over New Year); dated windows are absolute days. */
struct item_window {
	bool yearly;
	int from_md, to_md;          /* month*100+day, when yearly */
	int64_t from_day, to_day;    /* days since 1970-01-01, when not */
};

struct item {
	char *id;
	enum item_type type;
	char *dir;                   /* full path of the item folder */
	struct item_text *texts;     /* at least the default language */
	size_t n_texts;
	struct item_media *media;    /* at least one */
	size_t n_media;
	char **topics;               /* topic ids, validated */
	size_t n_topics;
	struct item_window *featured;
	size_t n_featured;
	char *thumbnail;             /* full path, or NULL */
	struct item_picture *pictures; /* gallery: at least one; else none */
	size_t n_pictures;
	bool subtitles_off;          /* "subtitles": false: start with them off */
	char *source;                /* or NULL */
};

struct catalog {
	char *root;                  /* the library directory */
	struct item *items;          /* sorted by id */
	size_t n_items;
};

enum catalog_flags {
	/* Open every media file and thumbnail with libavformat and check it
	 * has a decodable stream of the right kind. Slow; `kiosk check` sets
	 * it, `kiosk run` only checks that the files exist. */
	CATALOG_PROBE_MEDIA = 1 << 0,
};

/* Load the library in dir. Every problem goes to diags (may be NULL);
 * items with errors are left out. Returns NULL only when dir itself cannot
 * be read. Caller owns the result (catalog_destroy). */
struct catalog *catalog_load(const char *dir, const struct lang_registry *langs,
			     unsigned flags, struct diag_list *diags);

void catalog_destroy(struct catalog *cat);

/* The item with this id, or NULL (binary search). */
const struct item *catalog_find(const struct catalog *cat, const char *id);

/* The text to show for a visitor whose fallback chain is chain[0..n):
 * the first language of the chain the item has a title in. *translated is
 * set to whether that is chain[0]. Never NULL for a loaded item. */
const struct item_text *item_text_for(const struct item *item,
				      const char *const *chain, size_t n,
				      bool *translated);

/* The media to play for the chain, as item_text_for. Never NULL. */
const struct item_media *item_media_for(const struct item *item,
					const char *const *chain, size_t n,
					bool *translated);

/* The caption of a gallery picture for the chain, as item_text_for; NULL
 * when the picture has none in any language of the chain. */
const char *item_picture_caption(const struct item_picture *pic,
				 const char *const *chain, size_t n,
				 bool *translated);

bool item_has_topic(const struct item *item, const char *topic_id);

/* Is the item featured on this day (days since 1970-01-01, local date)? */
bool item_featured_on(const struct item *item, int64_t day);

/* "video", "audio", "poster", "leaflet"; and the reverse (-1 if unknown). */
const char *item_type_name(enum item_type type);
int item_type_parse(const char *name);

#endif
