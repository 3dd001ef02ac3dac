/*
 * fuzz_common: shared support of the fuzz targets (see fuzz_common.h),
 * and the sanitizers' defaults, so that a target behaves the same however
 * it is started (run.sh, meson test, by hand): undefined behaviour stops
 * the run like any crash, and libgettextpo's own leaks are not reported
 * (tests/lsan.supp has the same line for the unit tests): behind its
 * longjmp error path, a copy of the file name on every po_file_read, even
 * of a good file, and comments on some malformed ones (libgettextpo
 * 0.21). A leak on every read makes libFuzzer's per-input leak check run
 * after every input of fuzz-strings, so run.sh runs that target with
 * -detect_leaks=0 (leaks are still checked once at exit), and restarts it
 * every few minutes before the leaks reach its memory limit.
 */
#include "fuzz_common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavutil/log.h>

#include "base/log.h"
#include "base/util.h"
#include "content/topics.h"
#include "kiosk_build.h"

/* ---- sanitizer defaults ------------------------------------------------- */

const char *__ubsan_default_options(void);
const char *__asan_default_options(void);
const char *__lsan_default_suppressions(void);

const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

const char *__asan_default_options(void)
{
	return "detect_leaks=1";
}

const char *__lsan_default_suppressions(void)
{
	return "leak:libgettextpo\n";
}

/* ---- checks ------------------------------------------------------------- */

void fuzz_fail(const char *file, int line, const char *cond,
	       const char *fmt, ...)
{
	fprintf(stderr, "%s:%d: fuzz check failed: %s: ", file, line, cond);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void fuzz_check_utf8(const char *s, const char *what)
{
	FUZZ_CHECK(s != NULL, "%s is NULL", what);
	size_t bad = 0;
	FUZZ_CHECK(utf8_valid(s, strlen(s), &bad),
		   "%s is not valid UTF-8 at byte %zu", what, bad);
}

void fuzz_check_diags(const struct diag_list *dl)
{
	for (size_t i = 0; i < dl->len; i++) {
		const struct diag *d = &dl->items[i];
		FUZZ_CHECK(d->severity == DIAG_ERROR || d->severity == DIAG_WARNING,
			   "diagnostic %zu: severity %d", i, (int)d->severity);
		FUZZ_CHECK(d->file && d->message, "diagnostic %zu: no file or "
			   "message", i);
		FUZZ_CHECK(d->line >= 0 && d->col >= 0, "diagnostic %zu (%s): "
			   "line %d, column %d", i, d->message, d->line, d->col);
	}
}

size_t fuzz_line_count(const uint8_t *data, size_t size, bool lone_cr)
{
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		if (data[i] == '\n' || (lone_cr && data[i] == '\r' &&
					(i + 1 == size || data[i + 1] != '\n')))
			lines++;
	return lines;
}

void fuzz_check_diag_lines(const struct diag_list *dl, size_t lines)
{
	for (size_t i = 0; i < dl->len; i++)
		FUZZ_CHECK((size_t)dl->items[i].line <= lines, "diagnostic at "
			   "line %d of %zu: %s", dl->items[i].line, lines,
			   dl->items[i].message);
}

/* ---- the scratch folder ------------------------------------------------- */

static char *scratch;

static void scratch_remove(void)
{
	if (scratch)
		path_remove_tree(scratch);
	free(scratch);
	scratch = NULL;
}

void fuzz_init(void)
{
	log_set_level(LOG_LEVEL_ERROR);
	av_log_set_level(AV_LOG_QUIET);
	const char *base = getenv("FUZZ_TMPDIR");
	if (!base || !*base)
		base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	scratch = xasprintf("%s/kiosk-fuzz.XXXXXX", base);
	if (!mkdtemp(scratch)) {
		fprintf(stderr, "fuzz: cannot make a folder %s: %s\n", scratch,
			strerror(errno));
		abort();
	}
	atexit(scratch_remove);
}

const char *fuzz_dir(void)
{
	return scratch;
}

char *fuzz_path(const char *name)
{
	return path_join(scratch, name);
}

void fuzz_write(const char *path, const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "fuzz: cannot write %s: %s\n", path,
			strerror(errno));
		abort();
	}
	while (size > 0) {
		ssize_t n = write(fd, data, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "fuzz: cannot write %s: %s\n", path,
				strerror(errno));
			abort();
		}
		data += n;
		size -= (size_t)n;
	}
	close(fd);
}

char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

const struct lang_registry *fuzz_langs(void)
{
	static struct lang_registry *reg;
	if (!reg) {
		reg = lang_registry_load(KIOSK_SOURCE_DIR "/locales/languages.json",
					 NULL);
		if (!reg)
			reg = lang_registry_builtin();
	}
	return reg;
}

/* ---- quiz banks --------------------------------------------------------- */

static void check_question(const struct quiz_question *q,
			   const struct lang_registry *langs)
{
	FUZZ_CHECK(q->id && *q->id && q->lang && *q->lang && q->text && *q->text,
		   "question without id, language or text");
	fuzz_check_utf8(q->id, "question id");
	fuzz_check_utf8(q->lang, "question language");
	fuzz_check_utf8(q->text, "question text");
	FUZZ_CHECK(!langs || lang_find(langs, q->lang), "language %s", q->lang);
	FUZZ_CHECK(q->n_choices >= 2 && q->n_choices <= QUIZ_MAX_CHOICES,
		   "%zu choices", q->n_choices);
	for (size_t i = 0; i < QUIZ_MAX_CHOICES; i++) {
		if (i < q->n_choices) {
			FUZZ_CHECK(q->choices[i] && *q->choices[i], "choice %zu "
				   "empty", i);
			fuzz_check_utf8(q->choices[i], "choice");
			if (q->feedback[i])
				fuzz_check_utf8(q->feedback[i], "feedback");
		} else {
			FUZZ_CHECK(!q->choices[i] && !q->feedback[i],
				   "choice %zu past the %zu", i, q->n_choices);
		}
	}
	FUZZ_CHECK(q->correct != 0 && q->correct < (1u << q->n_choices),
		   "right choices 0x%x of %zu", q->correct, q->n_choices);
	if (q->true_false)
		FUZZ_CHECK(q->n_choices == 2 && !strcmp(q->choices[0], "True") &&
			   !strcmp(q->choices[1], "False"), "true/false choices");
	FUZZ_CHECK(!q->topic || topic_find(q->topic), "topic %s", q->topic);
	FUZZ_CHECK(q->difficulty >= 0 && q->difficulty <= 3, "difficulty %d",
		   q->difficulty);
	if (q->explanation)
		fuzz_check_utf8(q->explanation, "explanation");
	FUZZ_CHECK(!q->picture || file_exists(q->picture), "picture %s",
		   q->picture);
	FUZZ_CHECK(q->file && q->line >= 1, "question without its place");
}

void fuzz_check_bank(const struct quiz_bank *bank,
		     const struct lang_registry *langs)
{
	FUZZ_CHECK(bank->n <= bank->cap, "n %zu > cap %zu", bank->n, bank->cap);
	for (size_t i = 0; i < bank->n; i++) {
		const struct quiz_question *q = &bank->questions[i];
		check_question(q, langs);
		const struct quiz_question *first = NULL;
		for (size_t j = 0; j < i; j++) {
			const struct quiz_question *o = &bank->questions[j];
			if (strcmp(o->id, q->id) != 0)
				continue;
			FUZZ_CHECK(strcmp(o->lang, q->lang) != 0, "question %s "
				   "(%s) twice", q->id, q->lang);
			if (!first)
				first = o;
		}
		if (first)
			FUZZ_CHECK(first->n_choices == q->n_choices &&
				   first->correct == q->correct, "translations "
				   "of %s differ", q->id);
		const char *from = NULL;
		const char *chain[1] = { q->lang };
		FUZZ_CHECK(quiz_bank_find(bank, q->id, chain, 1, &from) == q,
			   "quiz_bank_find(%s, %s)", q->id, q->lang);
		FUZZ_CHECK(from && !strcmp(from, q->lang), "from_lang");
	}
	size_t n_ids = 0;
	const char **ids = quiz_bank_ids(bank, NULL, &n_ids);
	FUZZ_CHECK(n_ids <= bank->n && (bank->n == 0) == (n_ids == 0),
		   "%zu ids of %zu questions", n_ids, bank->n);
	for (size_t i = 0; i < n_ids; i++)
		FUZZ_CHECK(quiz_bank_find(bank, ids[i], NULL, 0, NULL), "id %s",
			   ids[i]);
	free(ids);
	FUZZ_CHECK(quiz_bank_count(bank, NULL) == n_ids, "quiz_bank_count");
	(void)quiz_bank_count(bank, "crc");
}
