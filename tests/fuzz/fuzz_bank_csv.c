/*
 * fuzz_bank_csv: quiz banks saved as CSV (quiz/bank_csv.c). The input is
 * a spreadsheet's bytes, written to a scratch file and read with
 * quiz_bank_load_csv into a bank, with the repository's languages; the
 * scratch folder has pictures the rows may name ("pic.png",
 * "hinh/a.jpg").
 *
 * Beyond not crashing (and not looping: libFuzzer's -timeout), the target
 * asserts that the file is always read (it exists), that every question
 * loaded keeps the promises of quiz_bank_add (fuzz_check_bank: UTF-8
 * texts, 2..8 choices with a right one, known language and topic, no
 * duplicate, consistent translations), and that diagnostics name a line
 * of the file.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/util.h"
#include "fuzz_common.h"
#include "quiz/bank.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *bank_path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	bank_path = fuzz_path("bank.csv");
	char *hinh = fuzz_path("hinh");
	char *pic = fuzz_path("pic.png");
	char *jpg = fuzz_path("hinh/a.jpg");
	if (!mkdir_parents(hinh))
		abort();
	fuzz_write(pic, (const uint8_t *)"x", 1);
	fuzz_write(jpg, (const uint8_t *)"x", 1);
	free(hinh);
	free(pic);
	free(jpg);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct lang_registry *langs = fuzz_langs();
	fuzz_write(bank_path, data, size);
	struct quiz_bank *bank = quiz_bank_create();
	struct diag_list diags;
	diag_list_init(&diags);
	FUZZ_CHECK(quiz_bank_load_csv(bank, bank_path, langs, &diags),
		   "an existing file was not read");
	fuzz_check_diags(&diags);
	size_t lines = fuzz_line_count(data, size, true);
	fuzz_check_diag_lines(&diags, lines);
	for (size_t i = 0; i < bank->n; i++)
		FUZZ_CHECK((size_t)bank->questions[i].line <= lines,
			   "question at line %d of %zu",
			   bank->questions[i].line, lines);
	fuzz_check_bank(bank, langs);
	quiz_bank_destroy(bank);
	diag_list_finish(&diags);
	return 0;
}
