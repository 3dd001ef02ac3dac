/*
 * fuzz_subtitles: subtitle files (media/subtitles.c). The input is a
 * subtitle file's bytes (SubRip or WebVTT; anything else the kiosk's
 * avguard lets libavformat open, since the file name decides nothing),
 * written to a scratch file and read with subtitles_load; the same bytes
 * are then given to subtitles_add as the ASS text and as the plain text
 * of a decoded subtitle, so the kiosk's own reduction of ASS lines to
 * plain text (ass_to_plain) sees any text, not only what the decoders
 * make.
 *
 * Beyond not crashing, the target asserts: a NULL result comes with a
 * reason; cues are at most SUBTITLES_MAX_CUES, sorted by start, their
 * texts non-empty UTF-8; ASS text reduced to plain text does not end in
 * white space; subtitles_at gives a cue's text or NULL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "fuzz_common.h"
#include "media/subtitles.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *sub_path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	sub_path = fuzz_path("fuzz.srt");
	return 0;
}

static void check_subs(const struct subtitles *subs, bool from_ass)
{
	FUZZ_CHECK(subs->n_cues <= SUBTITLES_MAX_CUES && subs->n_cues <= subs->cap,
		   "%zu cues, cap %zu", subs->n_cues, subs->cap);
	for (size_t i = 0; i < subs->n_cues; i++) {
		const struct subtitle_cue *c = &subs->cues[i];
		FUZZ_CHECK(c->text && *c->text, "cue %zu without text", i);
		fuzz_check_utf8(c->text, "cue");
		if (i > 0)
			FUZZ_CHECK(subs->cues[i - 1].start_s <= c->start_s,
				   "cues %zu and %zu out of order", i - 1, i);
		if (from_ass) {
			char last = c->text[strlen(c->text) - 1];
			FUZZ_CHECK(last != '\n' && last != ' ' && last != '\r',
				   "cue text ends in white space");
		}
	}
	static const double at[] = { -1, 0, 0.5, 1, 2.5, 10, 3600, 1e9 };
	for (size_t k = 0; k < ARRAY_LEN(at); k++) {
		const char *t = subtitles_at(subs, at[k]);
		if (!t)
			continue;
		bool found = false;
		for (size_t i = 0; i < subs->n_cues && !found; i++)
			found = subs->cues[i].text == t;
		FUZZ_CHECK(found, "subtitles_at gave a text that is no cue's");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_write(sub_path, data, size);
	char err[256] = "";
	struct subtitles *subs = subtitles_load(sub_path, err, sizeof err);
	if (subs) {
		FUZZ_CHECK(subs->n_cues > 0, "a file with no cue loaded");
		check_subs(subs, false);
		subtitles_destroy(subs);
	} else {
		FUZZ_CHECK(err[0], "NULL without a reason");
	}

	/* The bytes as a decoded subtitle's ASS line, then as plain text,
	 * each added twice (a packet read again after a seek). */
	char *text = fuzz_strndup(data, size);
	struct subtitles *direct = subtitles_create();
	for (int type = 0; type < 2; type++) {
		AVSubtitleRect rect = { .type = type ? SUBTITLE_TEXT : SUBTITLE_ASS };
		if (type)
			rect.text = text;
		else
			rect.ass = text;
		AVSubtitleRect *rects[1] = { &rect };
		AVSubtitle sub = {
			.start_display_time = (uint32_t)(size % 3) * 500,
			.end_display_time = (uint32_t)(size % 7) * 1000,
			.num_rects = 1, .rects = rects,
		};
		subtitles_add(direct, &sub, 1.0 * type, 0);
		subtitles_add(direct, &sub, 1.0 * type, 0);
		if (type == 0)
			check_subs(direct, true);
	}
	check_subs(direct, false);
	subtitles_destroy(direct);
	free(text);
	return 0;
}
