/*
 * quizrun: one quiz being taken. Which questions (N drawn at random from a
 * topic, no id twice), in what order, the choices of each in a shuffled
 * order, what was answered, how long it took, the score.
 *
 * A run knows questions by id and choices by their position in the bank,
 * never by text, so the visitor may switch language in the middle: the
 * screen looks each question up in the language wanted (quiz_bank_find)
 * and shows choice quiz_run_choice(run, i, k) at place k.
 *
 * Plain data, no I/O; main thread.
 */
#ifndef KIOSK_QUIZ_QUIZRUN_H
#define KIOSK_QUIZ_QUIZRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quiz/bank.h"

struct quiz_run;

/* Draw min(n, available) questions of topic (NULL: any topic) from bank,
 * with the random generator seeded by seed (tests pass a fixed one; the
 * kiosk passes quiz_run_seed()). The ids are borrowed from bank, which
 * must outlive the run. Returns NULL when the topic has no question. */
struct quiz_run *quiz_run_create(const struct quiz_bank *bank,
				 const char *topic, size_t n, uint64_t seed);
void quiz_run_destroy(struct quiz_run *run);     /* accepts NULL */

/* A seed from the kernel's random source (the clock if there is none). */
uint64_t quiz_run_seed(void);

/* How many questions the run has. */
size_t quiz_run_length(const struct quiz_run *run);
/* The question being asked (0-based); quiz_run_length when finished. */
size_t quiz_run_position(const struct quiz_run *run);
bool quiz_run_finished(const struct quiz_run *run);

/* Question i's id, number of choices, and the bank position of the
 * choice shown at place k (0-based) of question i. */
const char *quiz_run_id(const struct quiz_run *run, size_t i);
size_t quiz_run_n_choices(const struct quiz_run *run, size_t i);
size_t quiz_run_choice(const struct quiz_run *run, size_t i, size_t k);
/* The right choices of question i (bit b: bank position b) and whether
 * more than one is right (the screen then lets the visitor pick several
 * and confirm). */
unsigned quiz_run_correct_mask(const struct quiz_run *run, size_t i);
bool quiz_run_multi(const struct quiz_run *run, size_t i);

/* Answer the current question with the choices in chosen (bits: bank
 * positions; 0 when its time ran out, timed_out true), ms after it was
 * shown. Right only when chosen is exactly the right set. Returns whether
 * it was right; does nothing (false) when it is already answered or the
 * run is finished. */
bool quiz_run_answer(struct quiz_run *run, unsigned chosen, int64_t ms,
		     bool timed_out);
/* Whether the current question has been answered (waiting for Next). */
bool quiz_run_answered(const struct quiz_run *run);
/* On to the next question (after an answer). */
void quiz_run_next(struct quiz_run *run);

/* What was answered for question i. */
unsigned quiz_run_chosen(const struct quiz_run *run, size_t i);
bool quiz_run_was_right(const struct quiz_run *run, size_t i);
bool quiz_run_timed_out(const struct quiz_run *run, size_t i);
int64_t quiz_run_ms(const struct quiz_run *run, size_t i);

/* Right answers so far, questions answered, and the time they took. */
int quiz_run_score(const struct quiz_run *run);
int quiz_run_answered_count(const struct quiz_run *run);
int64_t quiz_run_total_ms(const struct quiz_run *run);

/* "2" or "1,3": the bank positions in mask as 1-based numbers, as the
 * log keeps them. Returns out. */
char *quiz_choice_numbers(unsigned mask, char *out, size_t size);

#endif
