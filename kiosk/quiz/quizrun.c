/*
 * quizrun: one quiz being taken (see quizrun.h).
 *
 * Random draws use splitmix64: small, good enough for picking questions,
 * and reproducible from a seed in tests.
 */
#include "quiz/quizrun.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/util.h"

struct quiz_step {
	const char *id;                       /* borrowed from the bank */
	size_t n_choices;
	unsigned char order[QUIZ_MAX_CHOICES];/* place k shows bank choice order[k] */
	unsigned correct;                     /* bank positions */
	unsigned chosen;
	bool answered, right, timed_out;
	int64_t ms;
};

struct quiz_run {
	struct quiz_step *steps;
	size_t n;
	size_t pos;
	uint64_t rng;
};

static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* A number in [0, n) without modulo bias. */
static size_t random_below(uint64_t *state, size_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t r;
	do
		r = next_random(state);
	while (r >= limit);
	return (size_t)(r % n);
}

uint64_t quiz_run_seed(void)
{
	uint64_t seed;
	if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) == (ssize_t)sizeof seed)
		return seed;
	return (uint64_t)time_wall_ms() ^ ((uint64_t)time_boot_ms() << 32);
}

struct quiz_run *quiz_run_create(const struct quiz_bank *bank,
				 const char *topic, size_t n, uint64_t seed)
{
	size_t n_ids;
	const char **ids = quiz_bank_ids(bank, topic, &n_ids);
	if (n_ids == 0 || n == 0) {
		free(ids);
		return NULL;
	}
	struct quiz_run *run = xcalloc(1, sizeof *run);
	run->rng = seed;
	/* a partial Fisher-Yates shuffle draws the first n */
	if (n > n_ids)
		n = n_ids;
	for (size_t i = 0; i < n; i++) {
		size_t j = i + random_below(&run->rng, n_ids - i);
		const char *t = ids[i];
		ids[i] = ids[j];
		ids[j] = t;
	}
	run->steps = xcalloc(n, sizeof *run->steps);
	run->n = n;
	for (size_t i = 0; i < n; i++) {
		struct quiz_step *s = &run->steps[i];
		const struct quiz_question *q = quiz_bank_find(bank, ids[i], NULL,
							       0, NULL);
		s->id = q->id;
		s->n_choices = q->n_choices;
		s->correct = q->correct;
		for (size_t k = 0; k < s->n_choices; k++)
			s->order[k] = (unsigned char)k;
		if (q->true_false)
			continue;       /* True before False, always */
		for (size_t k = s->n_choices - 1; k > 0; k--) {
			size_t j = random_below(&run->rng, k + 1);
			unsigned char t = s->order[k];
			s->order[k] = s->order[j];
			s->order[j] = t;
		}
	}
	free(ids);
	return run;
}

void quiz_run_destroy(struct quiz_run *run)
{
	if (!run)
		return;
	free(run->steps);
	free(run);
}

size_t quiz_run_length(const struct quiz_run *run) { return run->n; }
size_t quiz_run_position(const struct quiz_run *run) { return run->pos; }
bool quiz_run_finished(const struct quiz_run *run) { return run->pos >= run->n; }

/* Question i, or NULL when i is out of range. */
static const struct quiz_step *step(const struct quiz_run *run, size_t i)
{
	return i < run->n ? &run->steps[i] : NULL;
}

const char *quiz_run_id(const struct quiz_run *run, size_t i)
{
	const struct quiz_step *s = step(run, i);
	return s ? s->id : NULL;
}

size_t quiz_run_n_choices(const struct quiz_run *run, size_t i)
{
	const struct quiz_step *s = step(run, i);
	return s ? s->n_choices : 0;
}

size_t quiz_run_choice(const struct quiz_run *run, size_t i, size_t k)
{
	const struct quiz_step *s = step(run, i);
	return s && k < s->n_choices ? s->order[k] : 0;
}

unsigned quiz_run_correct_mask(const struct quiz_run *run, size_t i)
{
	const struct quiz_step *s = step(run, i);
	return s ? s->correct : 0;
}

bool quiz_run_multi(const struct quiz_run *run, size_t i)
{
	unsigned m = quiz_run_correct_mask(run, i);
	return m & (m - 1);
}

bool quiz_run_answer(struct quiz_run *run, unsigned chosen, int64_t ms,
		     bool timed_out)
{
	if (run->pos >= run->n)
		return false;
	struct quiz_step *s = &run->steps[run->pos];
	if (s->answered)
		return false;
	s->answered = true;
	s->timed_out = timed_out;
	s->chosen = timed_out ? 0 : chosen & ((1u << s->n_choices) - 1);
	s->right = !timed_out && s->chosen == s->correct;
	s->ms = ms >= 0 ? ms : 0;
	return s->right;
}

bool quiz_run_answered(const struct quiz_run *run)
{
	return run->pos < run->n && run->steps[run->pos].answered;
}

void quiz_run_next(struct quiz_run *run)
{
	if (quiz_run_answered(run))
		run->pos++;
}

unsigned quiz_run_chosen(const struct quiz_run *run, size_t i)
{
	const struct quiz_step *s = step(run, i);
	return s ? s->chosen : 0;
}

bool quiz_run_was_right(const struct quiz_run *run, size_t i)
{
	const struct quiz_step *s = step(run, i);
	return s && s->right;
}

bool quiz_run_timed_out(const struct quiz_run *run, size_t i)
{
	const struct quiz_step *s = step(run, i);
	return s && s->timed_out;
}

int64_t quiz_run_ms(const struct quiz_run *run, size_t i)
{
	const struct quiz_step *s = step(run, i);
	return s ? s->ms : 0;
}

int quiz_run_score(const struct quiz_run *run)
{
	int n = 0;
	for (size_t i = 0; i < run->n; i++)
		n += run->steps[i].right;
	return n;
}

int quiz_run_answered_count(const struct quiz_run *run)
{
	int n = 0;
	for (size_t i = 0; i < run->n; i++)
		n += run->steps[i].answered;
	return n;
}

int64_t quiz_run_total_ms(const struct quiz_run *run)
{
	int64_t ms = 0;
	for (size_t i = 0; i < run->n; i++)
		ms += run->steps[i].ms;
	return ms;
}

char *quiz_choice_numbers(unsigned mask, char *out, size_t size)
{
	size_t o = 0;
	out[0] = '\0';
	for (unsigned b = 0; b < QUIZ_MAX_CHOICES; b++) {
		if (!(mask & (1u << b)))
			continue;
		int w = snprintf(out + o, size - o, "%s%u", o ? "," : "", b + 1);
		if (w < 0 || (size_t)w >= size - o)
			break;
		o += (size_t)w;
	}
	return out;
}
