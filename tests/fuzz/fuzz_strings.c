/*
 * fuzz_strings: the UI strings' PO files (i18n/strings.c, through GNU
 * libgettextpo, and the Plural-Forms rule of i18n/plural.c). The input is
 * a PO file's bytes, written as vi.po in a scratch locales folder (en.po
 * is missing, so English falls back to it) and read with strings_load
 * for the built-in languages vi and en; then every msgid the file seems
 * to have (lines `msgid "..."`, taken as written) is looked up, singular
 * and plural for several counts.
 *
 * Beyond not crashing, the target asserts: strings_load never returns
 * NULL; what a look-up returns is the argument itself or a translation
 * that is valid UTF-8 (msgstr_copy's promise); the counts agree
 * (translated and fuzzy never more than the total; vi's own file is read
 * or unreadable, en's missing).
 *
 * Not checked: leaks of memory libgettextpo allocates. Its own leaks are
 * suppressed by library (fuzz_common.c), and the fast stack unwinding of
 * a fuzzing run cannot tell them from a copy it hands over that
 * strings.c forgets to free (the PO header was one; tests/valgrind.sh
 * found it). Telling them apart needs ASAN_OPTIONS=fast_unwind_on_malloc=0
 * and a suppression of po_file_read_v3 alone, about seven times slower.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "fuzz_common.h"
#include "i18n/strings.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *po_path;
static struct lang_registry *langs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	po_path = fuzz_path("vi.po");
	langs = lang_registry_builtin();
	return 0;
}

/* The look-ups of one msgid: each result is the argument or UTF-8. */
static void look_up(const struct strings *s, const char *msgid)
{
	static const char *const tags[] = { "vi", "en", "rad" };
	static const unsigned long counts[] = { 0, 1, 2, 3, 5, 11, 21, 101,
						1000000, (unsigned long)-1 };
	const char *plural = "plural form";
	for (size_t t = 0; t < ARRAY_LEN(tags); t++) {
		const char *from = NULL;
		const char *r = strings_get_from(s, tags[t], msgid, &from);
		FUZZ_CHECK(r && from, "strings_get_from");
		if (r != msgid)
			fuzz_check_utf8(r, "translation");
		for (size_t c = 0; c < ARRAY_LEN(counts); c++) {
			r = strings_getn(s, tags[t], msgid, plural, counts[c]);
			FUZZ_CHECK(r, "strings_getn");
			if (r != msgid && r != plural)
				fuzz_check_utf8(r, "plural translation");
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_write(po_path, data, size);
	struct diag_list diags;
	diag_list_init(&diags);
	struct strings *s = strings_load(fuzz_dir(), langs, &diags);
	FUZZ_CHECK(s != NULL, "strings_load returned NULL");
	fuzz_check_diags(&diags);

	char *text = fuzz_strndup(data, size);
	size_t looked = 0;
	for (char *line = text; line && looked < 32;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "msgid \"", 7)) {
			char *id = line + 7, *q = strrchr(id, '"');
			if (q) {
				*q = '\0';
				look_up(s, id);
				looked++;
			}
		}
		line = next;
	}
	look_up(s, "");
	look_up(s, "Back");
	free(text);

	struct strings_stats st;
	strings_stats(s, "vi", &st);
	FUZZ_CHECK(st.file == STRINGS_FILE_OK || st.file == STRINGS_FILE_UNREADABLE,
		   "vi.po: state %d", (int)st.file);
	FUZZ_CHECK(st.translated + st.fuzzy <= st.total, "vi: %zu translated, "
		   "%zu fuzzy of %zu", st.translated, st.fuzzy, st.total);
	FUZZ_CHECK(strings_count(s, "vi") >= st.translated, "strings_count");
	strings_stats(s, "en", &st);
	FUZZ_CHECK(st.file == STRINGS_FILE_MISSING && st.translated == 0,
		   "en.po: state %d", (int)st.file);
	strings_destroy(s);
	diag_list_finish(&diags);
	return 0;
}
