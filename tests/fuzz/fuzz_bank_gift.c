/*
 * fuzz_bank_gift: Moodle GIFT quiz banks (quiz/bank_gift.c). The input is
 * a GIFT file's bytes, written to a scratch file and read with
 * quiz_bank_load_gift and the repository's languages. The language of
 * the questions comes from the file's name, which the input's length
 * chooses: "bank.gift" (the default), "bank.en.gift", "bank.EN.gift" or
 * "bank.xx-Latn.gift" (not a kiosk language: skipped). The scratch folder
 * has pictures an <img> may name ("pic.png", "hinh anh.png").
 *
 * Beyond not crashing (and not looping: libFuzzer's -timeout), the target
 * asserts that the file is always read, that every question loaded keeps
 * the promises of quiz_bank_add (fuzz_check_bank: UTF-8 texts after the
 * HTML and entities are made plain, 2..8 choices with a right one, known
 * language and topic, no duplicate), that every question is in the
 * language the name gives, and that diagnostics name a line of the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "fuzz_common.h"
#include "quiz/bank.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The file names, and the language each gives (NULL: the default). */
static const struct {
	const char *name, *lang;
} names[] = {
	{ "bank.gift", NULL }, { "bank.en.gift", "en" },
	{ "bank.xx-Latn.gift", "" }, { "bank.EN.gift", "en" },
};
static char *bank_paths[4];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		bank_paths[i] = fuzz_path(names[i].name);
	char *pic = fuzz_path("pic.png");
	char *pic2 = fuzz_path("hinh anh.png");
	fuzz_write(pic, (const uint8_t *)"x", 1);
	fuzz_write(pic2, (const uint8_t *)"x", 1);
	free(pic);
	free(pic2);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct lang_registry *langs = fuzz_langs();
	size_t which = size % ARRAY_LEN(names);
	const char *path = bank_paths[which];
	const char *lang = names[which].lang ? names[which].lang
					     : langs->default_tag;
	fuzz_write(path, data, size);
	struct quiz_bank *bank = quiz_bank_create();
	struct diag_list diags;
	diag_list_init(&diags);
	FUZZ_CHECK(quiz_bank_load_gift(bank, path, NULL, langs, &diags),
		   "an existing file was not read");
	fuzz_check_diags(&diags);
	size_t lines = fuzz_line_count(data, size, true);
	fuzz_check_diag_lines(&diags, lines);
	for (size_t i = 0; i < bank->n; i++) {
		const struct quiz_question *q = &bank->questions[i];
		FUZZ_CHECK((size_t)q->line <= lines, "question at line %d of %zu",
			   q->line, lines);
		FUZZ_CHECK(!strcmp(q->lang, lang), "question in %s, the file "
			   "name says %s", q->lang, lang);
	}
	if (!*lang)     /* a language the kiosk does not have: skipped */
		FUZZ_CHECK(bank->n == 0, "questions in an unknown language");
	fuzz_check_bank(bank, langs);
	quiz_bank_destroy(bank);
	diag_list_finish(&diags);
	return 0;
}
