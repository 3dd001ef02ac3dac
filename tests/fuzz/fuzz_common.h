/*
 * fuzz_common: what the libFuzzer targets of tests/fuzz share: a
 * per-process scratch folder for parsers that only read files, the
 * languages of the repository, and checks that abort (a crash to
 * libFuzzer) with a message when an invariant of a parser's output
 * does not hold.
 *
 * A target calls fuzz_init() from LLVMFuzzerInitialize, before anything
 * else. Every target is single-threaded.
 */
#ifndef KIOSK_FUZZ_COMMON_H
#define KIOSK_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "i18n/lang.h"
#include "quiz/bank.h"

/* Abort with file:line and the condition when cond is false: libFuzzer
 * saves the input as a crash. For facts about a parser's output, never
 * about the input. */
#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

__attribute__((noreturn, format(printf, 4, 5)))
void fuzz_fail(const char *file, int line, const char *cond,
	       const char *fmt, ...);

/* Quiet logs (kiosk, libav), make the scratch folder. Call once. */
void fuzz_init(void);

/* The scratch folder of this process: under $FUZZ_TMPDIR, else $TMPDIR,
 * else /tmp; removed at a normal exit. */
const char *fuzz_dir(void);

/* fuzz_dir()/name, built once per name by the caller (a new string that
 * the caller keeps for the life of the process). */
char *fuzz_path(const char *name);

/* Write data[0..size) to path, replacing it. Aborts when it cannot. */
void fuzz_write(const char *path, const uint8_t *data, size_t size);

/* data[0..size) as a new NUL-terminated string (NUL bytes inside stay:
 * the C string ends at the first). Caller frees. */
char *fuzz_strndup(const uint8_t *data, size_t size);

/* The registry of the repository's locales/languages.json (the builtin
 * vi+en one when it cannot be read). Loaded once; never NULL. */
const struct lang_registry *fuzz_langs(void);

/* Abort unless s is valid UTF-8; what names the string in the message. */
void fuzz_check_utf8(const char *s, const char *what);

/* Check what every diagnostic must be: a file, line and column >= 0, a
 * message. */
void fuzz_check_diags(const struct diag_list *dl);

/* Lines in data[0..size): one more than its line ends, "\n" and
 * "\r\n", and a lone "\r" too when lone_cr (text read line by line, not
 * JSON). */
size_t fuzz_line_count(const uint8_t *data, size_t size, bool lone_cr);

/* Abort when a diagnostic names a line past lines (a wrong position). */
void fuzz_check_diag_lines(const struct diag_list *dl, size_t lines);

/* Check what quiz_bank_add promises of every question in bank (bank.h):
 * id, language and text present and UTF-8, the language known, 2..8
 * non-empty choices and nothing past them, a right one among them,
 * a known topic or none, difficulty 0..3, no id and language twice,
 * translations with the same choices right; and the look-ups. */
void fuzz_check_bank(const struct quiz_bank *bank,
		     const struct lang_registry *langs);

#endif
