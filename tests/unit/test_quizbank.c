/*
 * test_quizbank: the checks every bank format shares (quiz_bank_add),
 * lookup by id with the language fallback, ids per topic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "quiz/bank.h"
#include "test_support.h"

/* A question with n choices, choice i reading "<prefix><i>". */
static struct quiz_question make(const char *id, const char *lang,
				 const char *topic, size_t n, unsigned correct)
{
	struct quiz_question q = { 0 };
	q.id = xstrdup(id);
	q.lang = xstrdup(lang);
	q.topic = topic ? xstrdup(topic) : NULL;
	q.text = xasprintf("%s in %s?", id, lang);
	q.n_choices = n;
	for (size_t i = 0; i < n; i++)
		q.choices[i] = xasprintf("%s choice %zu", lang, i);
	q.correct = correct;
	q.file = xstrdup("bank.csv");
	q.line = 7;
	return q;
}

static bool add(struct quiz_bank *b, struct quiz_question q,
		struct diag_list *d)
{
	return quiz_bank_add(b, &q, NULL, d);
}

static const char *first_message(const struct diag_list *d)
{
	return d->len ? d->items[0].message : "";
}

static void test_good_and_lookup(void **state)
{
	(void)state;
	struct quiz_bank *b = quiz_bank_create();
	struct diag_list d;
	diag_list_init(&d);
	assert_true(add(b, make("q1", "vi", "crc", 4, 2), &d));
	assert_true(add(b, make("q1", "en", "crc", 4, 2), &d));
	assert_true(add(b, make("q2", "vi", "cat", 3, 1), &d));
	assert_int_equal(d.len, 0);
	assert_int_equal(b->n, 3);

	const char *chain_rad[] = { "rad", "vi" };
	const char *from;
	const struct quiz_question *q = quiz_bank_find(b, "q1", chain_rad, 2, &from);
	assert_string_equal(from, "vi");
	assert_string_equal(q->choices[1], "vi choice 1");
	const char *chain_en[] = { "en", "vi" };
	q = quiz_bank_find(b, "q1", chain_en, 2, &from);
	assert_string_equal(from, "en");
	/* q2 has no English: the Vietnamese one */
	q = quiz_bank_find(b, "q2", chain_en, 2, &from);
	assert_string_equal(from, "vi");
	/* a chain without any of its languages: any language */
	const char *chain_fr[] = { "fr" };
	q = quiz_bank_find(b, "q2", chain_fr, 1, &from);
	assert_non_null(q);
	assert_null(quiz_bank_find(b, "nope", chain_en, 2, &from));
	assert_null(from);

	size_t n;
	const char **ids = quiz_bank_ids(b, NULL, &n);
	assert_int_equal(n, 2);
	assert_string_equal(ids[0], "q1");
	assert_string_equal(ids[1], "q2");
	free(ids);
	assert_int_equal(quiz_bank_count(b, "crc"), 1);
	assert_int_equal(quiz_bank_count(b, "cat"), 1);
	assert_int_equal(quiz_bank_count(b, "cedaw"), 0);
	diag_list_finish(&d);
	quiz_bank_destroy(b);
}

static void test_refusals(void **state)
{
	(void)state;
	struct quiz_bank *b = quiz_bank_create();
	struct diag_list d;
	diag_list_init(&d);

	struct quiz_question q = make("one", "vi", NULL, 1, 1);
	assert_false(quiz_bank_add(b, &q, NULL, &d));
	assert_null(q.id);      /* taken and freed */
	assert_non_null(strstr(first_message(&d), "has 1 choice"));
	assert_int_equal(d.items[0].line, 7);
	assert_string_equal(d.items[0].file, "bank.csv");
	diag_list_finish(&d);

	diag_list_init(&d);
	assert_false(add(b, make("none-right", "vi", NULL, 3, 0), &d));
	assert_non_null(strstr(first_message(&d), "no right choice"));
	diag_list_finish(&d);

	/* a right choice beyond the last one does not count */
	diag_list_init(&d);
	assert_false(add(b, make("beyond", "vi", NULL, 2, 1u << 5), &d));
	assert_non_null(strstr(first_message(&d), "no right choice"));
	diag_list_finish(&d);

	diag_list_init(&d);
	q = make("empty-choice", "vi", NULL, 3, 1);
	free(q.choices[1]);
	q.choices[1] = xstrdup("");
	assert_false(quiz_bank_add(b, &q, NULL, &d));
	assert_non_null(strstr(first_message(&d), "no choice B"));
	diag_list_finish(&d);

	diag_list_init(&d);
	q = make("bad-utf8", "vi", NULL, 2, 1);
	free(q.text);
	q.text = xstrdup("Quy\xe1\xbb");
	assert_false(quiz_bank_add(b, &q, NULL, &d));
	assert_non_null(strstr(first_message(&d), "not valid UTF-8"));
	diag_list_finish(&d);

	diag_list_init(&d);
	q = make("no-text", "vi", NULL, 2, 1);
	free(q.text);
	q.text = NULL;
	assert_false(quiz_bank_add(b, &q, NULL, &d));
	assert_non_null(strstr(first_message(&d), "no question text"));
	diag_list_finish(&d);

	/* an unknown language, when the registry is given */
	diag_list_init(&d);
	struct lang_registry *langs = lang_registry_builtin();
	q = make("klingon", "tlh", NULL, 2, 1);
	assert_false(quiz_bank_add(b, &q, langs, &d));
	assert_non_null(strstr(first_message(&d), "'tlh' is not one of"));
	q = make("english", "en", NULL, 2, 1);
	assert_true(quiz_bank_add(b, &q, langs, &d));
	lang_registry_destroy(langs);
	diag_list_finish(&d);

	/* an unknown topic: loaded, without the topic, with a warning */
	diag_list_init(&d);
	assert_true(add(b, make("topicless", "vi", "quyen-tre-em", 2, 1), &d));
	assert_int_equal(d.items[0].severity, DIAG_WARNING);
	assert_null(b->questions[b->n - 1].topic);
	diag_list_finish(&d);

	assert_int_equal(b->n, 2);
	quiz_bank_destroy(b);
}

static void test_duplicates_and_translations(void **state)
{
	(void)state;
	struct quiz_bank *b = quiz_bank_create();
	struct diag_list d;
	diag_list_init(&d);
	assert_true(add(b, make("q", "vi", "crc", 4, 2), &d));
	/* the same question from the other format: dropped quietly */
	struct quiz_question same = make("q", "vi", "crc", 4, 2);
	free(same.file);
	same.file = xstrdup("moodle/bank.vi.gift");
	assert_false(quiz_bank_add(b, &same, NULL, &d));
	assert_int_equal(d.len, 0);
	/* a different one with the same id and language: refused, named */
	struct quiz_question other = make("q", "vi", "crc", 4, 4);
	free(other.file);
	other.file = xstrdup("other.csv");
	other.line = 3;
	assert_false(quiz_bank_add(b, &other, NULL, &d));
	assert_int_equal(d.len, 1);
	assert_string_equal(d.items[0].file, "other.csv");
	assert_int_equal(d.items[0].line, 3);
	assert_non_null(strstr(d.items[0].message, "already in bank.csv:7"));
	/* a translation with other choices or answers: refused */
	assert_false(add(b, make("q", "en", "crc", 3, 2), &d));
	assert_non_null(strstr(d.items[1].message, "has 3 choices, right: B"));
	assert_non_null(strstr(d.items[1].message, "vi version in bank.csv:7 has 4"));
	assert_false(add(b, make("q", "en", "crc", 4, 1), &d));
	assert_non_null(strstr(d.items[2].message, "right: A"));
	assert_true(add(b, make("q", "en", "crc", 4, 2), &d));
	assert_int_equal(b->n, 2);
	assert_int_equal(quiz_bank_count(b, NULL), 1);
	diag_list_finish(&d);
	quiz_bank_destroy(b);
}

/* A topic given on one translation only still counts for the id. */
static void test_topic_from_any_translation(void **state)
{
	(void)state;
	struct quiz_bank *b = quiz_bank_create();
	assert_true(add(b, make("q", "vi", NULL, 2, 1), NULL));
	assert_true(add(b, make("q", "en", "cedaw", 2, 1), NULL));
	assert_int_equal(quiz_bank_count(b, "cedaw"), 1);
	quiz_bank_destroy(b);
}

/* The demo bank exists as a spreadsheet and as a Moodle export: both
 * load without a problem and say exactly the same thing. */
static void test_demo_bank_formats_agree(void **state)
{
	(void)state;
	char *csv = test_source_path("content/quiz/human-rights.csv");
	char *vi = test_source_path("content/quiz/moodle/human-rights.vi.gift");
	char *en = test_source_path("content/quiz/moodle/human-rights.en.gift");
	char *langs_path = test_source_path("locales/languages.json");
	struct lang_registry *langs = lang_registry_load(langs_path, NULL);
	assert_non_null(langs);
	struct diag_list d;
	diag_list_init(&d);
	struct quiz_bank *a = quiz_bank_create(), *b = quiz_bank_create();
	assert_true(quiz_bank_load_csv(a, csv, langs, &d));
	assert_true(quiz_bank_load_gift(b, vi, NULL, langs, &d));
	assert_true(quiz_bank_load_gift(b, en, NULL, langs, &d));
	assert_int_equal(d.len, 0);
	assert_true(quiz_bank_count(a, NULL) >= 30);
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct quiz_question *x = &a->questions[i];
		const char *chain[] = { x->lang };
		const char *from;
		const struct quiz_question *y = quiz_bank_find(b, x->id, chain, 1, &from);
		assert_non_null(y);
		assert_string_equal(from, x->lang);
		assert_string_equal(y->text, x->text);
		assert_string_equal(y->explanation, x->explanation);
		assert_int_equal(y->correct, x->correct);
		assert_int_equal(y->n_choices, x->n_choices);
		for (size_t k = 0; k < x->n_choices; k++)
			assert_string_equal(y->choices[k], x->choices[k]);
		assert_non_null(x->topic);
		assert_string_equal(y->topic, x->topic);
	}
	/* both in one folder: the copies are recognised, nothing reported */
	char *dir = test_source_path("content/quiz");
	struct quiz_bank *all = quiz_bank_load_dir(dir, langs, &d);
	assert_int_equal(d.len, 0);
	assert_int_equal(all->n, a->n);
	/* every question in Vietnamese and English */
	size_t n_ids;
	const char **ids = quiz_bank_ids(all, NULL, &n_ids);
	for (size_t i = 0; i < n_ids; i++) {
		const char *vi_chain[] = { "vi" }, *en_chain[] = { "en" };
		const char *from;
		quiz_bank_find(all, ids[i], vi_chain, 1, &from);
		assert_string_equal(from, "vi");
		quiz_bank_find(all, ids[i], en_chain, 1, &from);
		assert_string_equal(from, "en");
	}
	free(ids);
	quiz_bank_destroy(all);
	quiz_bank_destroy(a);
	quiz_bank_destroy(b);
	diag_list_finish(&d);
	lang_registry_destroy(langs);
	free(dir);
	free(csv);
	free(vi);
	free(en);
	free(langs_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_and_lookup),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_duplicates_and_translations),
		cmocka_unit_test(test_topic_from_any_translation),
		cmocka_unit_test(test_demo_bank_formats_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
