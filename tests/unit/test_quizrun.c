/*
 * test_quizrun: drawing questions, shuffling choices, scoring.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "quiz/quizrun.h"

static struct quiz_bank *bank_of(size_t n_ids, const char *topic_every_third)
{
	struct quiz_bank *b = quiz_bank_create();
	for (size_t i = 0; i < n_ids; i++) {
		struct quiz_question q = { 0 };
		q.id = xasprintf("q%02zu", i);
		q.lang = xstrdup("vi");
		q.topic = i % 3 == 0 && topic_every_third ? xstrdup(topic_every_third)
							  : NULL;
		q.text = xasprintf("Question %zu", i);
		q.n_choices = 4;
		for (int k = 0; k < 4; k++)
			q.choices[k] = xasprintf("choice %d", k);
		q.correct = i == 5 ? 0x5 : 1u << (i % 4);
		q.file = xstrdup("t.csv");
		q.line = (int)i + 2;
		assert_true(quiz_bank_add(b, &q, NULL, NULL));
	}
	return b;
}

static void test_draw(void **state)
{
	(void)state;
	struct quiz_bank *b = bank_of(12, "crc");
	struct quiz_run *r = quiz_run_create(b, NULL, 10, 42);
	assert_int_equal(quiz_run_length(r), 10);
	/* no id twice */
	for (size_t i = 0; i < 10; i++)
		for (size_t j = i + 1; j < 10; j++)
			assert_string_not_equal(quiz_run_id(r, i), quiz_run_id(r, j));
	/* each question's places show every choice once */
	for (size_t i = 0; i < 10; i++) {
		unsigned seen = 0;
		for (size_t k = 0; k < quiz_run_n_choices(r, i); k++)
			seen |= 1u << quiz_run_choice(r, i, k);
		assert_int_equal(seen, 0xf);
	}
	quiz_run_destroy(r);

	/* more than the topic has: all of them */
	r = quiz_run_create(b, "crc", 10, 1);
	assert_int_equal(quiz_run_length(r), 4);
	for (size_t i = 0; i < 4; i++) {
		int n = atoi(quiz_run_id(r, i) + 1);
		assert_int_equal(n % 3, 0);
	}
	quiz_run_destroy(r);
	assert_null(quiz_run_create(b, "cat", 10, 1));

	/* the same seed draws the same; seeds differ in what they draw
	 * (over 20 seeds, the first question varies and the choice order
	 * is not always the bank's) */
	struct quiz_run *a = quiz_run_create(b, NULL, 5, 7);
	struct quiz_run *c = quiz_run_create(b, NULL, 5, 7);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(quiz_run_id(a, i), quiz_run_id(c, i));
		for (size_t k = 0; k < 4; k++)
			assert_int_equal(quiz_run_choice(a, i, k), quiz_run_choice(c, i, k));
	}
	quiz_run_destroy(a);
	quiz_run_destroy(c);
	unsigned firsts = 0;
	int shuffled = 0;
	for (uint64_t seed = 0; seed < 20; seed++) {
		r = quiz_run_create(b, NULL, 12, seed);
		firsts |= 1u << atoi(quiz_run_id(r, 0) + 1);
		for (size_t k = 0; k < 4; k++)
			if (quiz_run_choice(r, 0, k) != k) {
				shuffled++;
				break;
			}
		quiz_run_destroy(r);
	}
	assert_true(__builtin_popcount(firsts) >= 6);
	assert_true(shuffled >= 12);
	quiz_bank_destroy(b);
}

static void test_answers_and_score(void **state)
{
	(void)state;
	struct quiz_bank *b = bank_of(6, NULL);
	struct quiz_run *r = quiz_run_create(b, NULL, 6, 3);
	int expect_score = 0;
	int64_t expect_ms = 0;
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(quiz_run_position(r), i);
		assert_false(quiz_run_answered(r));
		quiz_run_next(r);          /* not answered: stays */
		assert_int_equal(quiz_run_position(r), i);
		unsigned right = quiz_run_correct_mask(r, i);
		bool multi = strcmp(quiz_run_id(r, i), "q05") == 0;
		assert_int_equal(quiz_run_multi(r, i), multi);
		bool ok;
		if (i % 3 == 0) {
			ok = quiz_run_answer(r, right, 1000 * (int64_t)i, false);
			assert_true(ok);
			expect_score++;
		} else if (i % 3 == 1) {
			ok = quiz_run_answer(r, right ^ 0x2, 500, false);
			assert_false(ok);
		} else {
			ok = quiz_run_answer(r, right, 20000, true);
			assert_false(ok);
			assert_true(quiz_run_timed_out(r, i));
			assert_int_equal(quiz_run_chosen(r, i), 0);
		}
		expect_ms += i % 3 == 0 ? 1000 * (int64_t)i : i % 3 == 1 ? 500 : 20000;
		/* a second answer changes nothing */
		assert_false(quiz_run_answer(r, right, 1, false));
		assert_true(quiz_run_answered(r));
		quiz_run_next(r);
	}
	assert_true(quiz_run_finished(r));
	assert_false(quiz_run_answer(r, 1, 1, false));
	assert_int_equal(quiz_run_score(r), expect_score);
	assert_int_equal(quiz_run_answered_count(r), 6);
	assert_int_equal(quiz_run_total_ms(r), expect_ms);
	quiz_run_destroy(r);
	quiz_bank_destroy(b);
}

static void test_true_false_not_shuffled(void **state)
{
	(void)state;
	struct quiz_bank *b = quiz_bank_create();
	struct quiz_question q = { 0 };
	q.id = xstrdup("tf");
	q.lang = xstrdup("vi");
	q.text = xstrdup("Trẻ em có quyền vui chơi.");
	q.n_choices = 2;
	q.choices[0] = xstrdup("True");
	q.choices[1] = xstrdup("False");
	q.true_false = true;
	q.correct = 1;
	q.file = xstrdup("t.gift");
	assert_true(quiz_bank_add(b, &q, NULL, NULL));
	for (uint64_t seed = 0; seed < 10; seed++) {
		struct quiz_run *r = quiz_run_create(b, NULL, 1, seed);
		assert_int_equal(quiz_run_choice(r, 0, 0), 0);
		assert_int_equal(quiz_run_choice(r, 0, 1), 1);
		quiz_run_destroy(r);
	}
	quiz_bank_destroy(b);
}

static void test_choice_numbers(void **state)
{
	(void)state;
	char buf[32];
	assert_string_equal(quiz_choice_numbers(0x2, buf, sizeof buf), "2");
	assert_string_equal(quiz_choice_numbers(0x5, buf, sizeof buf), "1,3");
	assert_string_equal(quiz_choice_numbers(0, buf, sizeof buf), "");
	assert_string_equal(quiz_choice_numbers(0xff, buf, sizeof buf),
			    "1,2,3,4,5,6,7,8");
	assert_string_equal(quiz_choice_numbers(0xff, buf, 6), "1,2,3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draw),
		cmocka_unit_test(test_answers_and_score),
		cmocka_unit_test(test_true_false_not_shuffled),
		cmocka_unit_test(test_choice_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
