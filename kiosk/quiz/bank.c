/*
 * bank: the questions of every bank, and the checks every format shares
 * (see bank.h). The parsers live in bank_csv.c and bank_gift.c.
 */
#include "quiz/bank.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "content/topics.h"

struct quiz_bank *quiz_bank_create(void)
{
	return xcalloc(1, sizeof(struct quiz_bank));
}

void quiz_question_finish(struct quiz_question *q)
{
	free(q->id);
	free(q->lang);
	free(q->topic);
	free(q->text);
	for (size_t i = 0; i < QUIZ_MAX_CHOICES; i++) {
		free(q->choices[i]);
		free(q->feedback[i]);
	}
	free(q->explanation);
	free(q->picture);
	free(q->file);
	memset(q, 0, sizeof *q);
}

void quiz_bank_destroy(struct quiz_bank *bank)
{
	if (!bank)
		return;
	for (size_t i = 0; i < bank->n; i++)
		quiz_question_finish(&bank->questions[i]);
	free(bank->questions);
	free(bank);
}

/* ------------------------------------------------------------------------
 * Checks
 * ------------------------------------------------------------------------ */

/* Whether s is a present, valid UTF-8 text; reports what is wrong with
 * field otherwise. */
static bool check_text(const struct quiz_question *q, const char *field,
		       const char *s, bool required, struct diag_list *diags)
{
	if (!s || !*s) {
		if (required)
			diag_add(diags, DIAG_ERROR, q->file, q->line, 0,
				 "question %s%s%s has no %s; left out",
				 q->id ? "'" : "", q->id ? q->id : "",
				 q->id ? "'" : "", field);
		return !required;
	}
	size_t bad;
	if (!utf8_valid(s, strlen(s), &bad)) {
		diag_add(diags, DIAG_ERROR, q->file, q->line, 0,
			 "the %s of question '%s' is not valid UTF-8 (byte "
			 "%zu); save the bank as UTF-8; left out", field,
			 q->id && utf8_valid(q->id, strlen(q->id), NULL)
				 ? q->id : "?", bad + 1);
		return false;
	}
	return true;
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Whether two questions say exactly the same thing. */
static bool same_question(const struct quiz_question *a,
			  const struct quiz_question *b)
{
	if (a->n_choices != b->n_choices || a->correct != b->correct ||
	    a->true_false != b->true_false || !same_text(a->text, b->text) ||
	    !same_text(a->explanation, b->explanation))
		return false;
	for (size_t i = 0; i < a->n_choices; i++)
		if (!same_text(a->choices[i], b->choices[i]))
			return false;
	return true;
}

/* Letters of the right choices ("B", "A, C") into out. */
static const char *correct_letters(unsigned mask, char *out, size_t size)
{
	size_t o = 0;
	for (unsigned i = 0; i < QUIZ_MAX_CHOICES && o + 3 < size; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (o)
			out[o++] = ',';
		out[o++] = (char)('A' + i);
	}
	out[o] = '\0';
	return out;
}

/* The checks of quiz_bank_add that do not look at other questions. */
static bool check_alone(struct quiz_question *q,
			const struct lang_registry *langs,
			struct diag_list *diags)
{
	if (!check_text(q, "id", q->id, true, diags) ||
	    !check_text(q, "language", q->lang, true, diags) ||
	    !check_text(q, "question text", q->text, true, diags) ||
	    !check_text(q, "explanation", q->explanation, false, diags))
		return false;
	if (langs && !lang_find(langs, q->lang)) {
		diag_add(diags, DIAG_ERROR, q->file, q->line, 0,
			 "question '%s': language '%s' is not one of the "
			 "kiosk's languages (locales/languages.json); left out",
			 q->id, q->lang);
		return false;
	}
	if (q->n_choices < 2 || q->n_choices > QUIZ_MAX_CHOICES) {
		diag_add(diags, DIAG_ERROR, q->file, q->line, 0,
			 "question '%s' has %zu choice%s; a quiz question "
			 "needs 2 to %d; left out", q->id, q->n_choices,
			 q->n_choices == 1 ? "" : "s", QUIZ_MAX_CHOICES);
		return false;
	}
	for (size_t i = 0; i < q->n_choices; i++) {
		char field[32];
		snprintf(field, sizeof field, "choice %c", (char)('A' + i));
		if (!check_text(q, field, q->choices[i], true, diags) ||
		    !check_text(q, "feedback", q->feedback[i], false, diags))
			return false;
	}
	q->correct &= (1u << q->n_choices) - 1;
	if (!q->correct) {
		diag_add(diags, DIAG_ERROR, q->file, q->line, 0,
			 "question '%s' has no right choice; left out", q->id);
		return false;
	}
	if (q->topic && !topic_find(q->topic)) {
		diag_add(diags, DIAG_WARNING, q->file, q->line, 0,
			 "question '%s': '%s' is not a topic id (see "
			 "content/QUIZ-BANKS.md); it is asked under every "
			 "topic only", q->id, q->topic);
		free(q->topic);
		q->topic = NULL;
	}
	if (q->difficulty < 0 || q->difficulty > 3)
		q->difficulty = 0;
	return true;
}

/* The checks against questions already loaded. */
static bool check_against(const struct quiz_bank *bank,
			  const struct quiz_question *q,
			  struct diag_list *diags)
{
	const struct quiz_question *first = NULL;
	for (size_t i = 0; i < bank->n; i++) {
		const struct quiz_question *o = &bank->questions[i];
		if (strcmp(o->id, q->id) != 0)
			continue;
		if (strcmp(o->lang, q->lang) == 0) {
			if (same_question(o, q))
				return false;   /* the same bank twice */
			diag_add(diags, DIAG_ERROR, q->file, q->line, 0,
				 "question '%s' (%s) is already in %s:%d with "
				 "a different text, choices or answer; the "
				 "first one is kept", q->id, q->lang, o->file,
				 o->line);
			return false;
		}
		if (!first)
			first = o;
	}
	if (first && (first->n_choices != q->n_choices ||
		      first->correct != q->correct)) {
		char a[32], b[32];
		diag_add(diags, DIAG_ERROR, q->file, q->line, 0,
			 "question '%s' (%s) has %zu choices, right: %s, but "
			 "its %s version in %s:%d has %zu, right: %s; "
			 "translations must list the same choices in the same "
			 "order; left out", q->id, q->lang, q->n_choices,
			 correct_letters(q->correct, a, sizeof a), first->lang,
			 first->file, first->line, first->n_choices,
			 correct_letters(first->correct, b, sizeof b));
		return false;
	}
	return true;
}

bool quiz_bank_add(struct quiz_bank *bank, struct quiz_question *q,
		   const struct lang_registry *langs, struct diag_list *diags)
{
	if (!q->file)
		q->file = xstrdup("?");
	if (!check_alone(q, langs, diags) || !check_against(bank, q, diags)) {
		quiz_question_finish(q);
		return false;
	}
	if (bank->n == bank->cap) {
		bank->cap = bank->cap ? bank->cap * 2 : 64;
		bank->questions = xrealloc(bank->questions,
					   bank->cap * sizeof *bank->questions);
	}
	bank->questions[bank->n++] = *q;
	memset(q, 0, sizeof *q);
	return true;
}

/* ------------------------------------------------------------------------
 * Looking up
 * ------------------------------------------------------------------------ */

const struct quiz_question *quiz_bank_find(const struct quiz_bank *bank,
					   const char *id,
					   const char *const *chain, size_t n,
					   const char **from_lang)
{
	const struct quiz_question *any = NULL;
	for (size_t c = 0; c <= n; c++) {
		for (size_t i = 0; i < bank->n; i++) {
			const struct quiz_question *q = &bank->questions[i];
			if (strcmp(q->id, id) != 0)
				continue;
			if (c == n || strcmp(q->lang, chain[c]) == 0) {
				any = q;
				break;
			}
		}
		if (any)
			break;
	}
	if (from_lang)
		*from_lang = any ? any->lang : NULL;
	return any;
}

/* Whether questions[i] is the first of its id. */
static bool first_of_id(const struct quiz_bank *bank, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (strcmp(bank->questions[j].id, bank->questions[i].id) == 0)
			return false;
	return true;
}

/* Whether any translation of questions[i]'s id has topic. */
static bool id_has_topic(const struct quiz_bank *bank, size_t i,
			 const char *topic)
{
	const char *id = bank->questions[i].id;
	for (size_t j = 0; j < bank->n; j++) {
		const struct quiz_question *q = &bank->questions[j];
		if (q->topic && strcmp(q->id, id) == 0 &&
		    strcmp(q->topic, topic) == 0)
			return true;
	}
	return false;
}

const char **quiz_bank_ids(const struct quiz_bank *bank, const char *topic,
			   size_t *n_out)
{
	const char **ids = xcalloc(bank->n + 1, sizeof *ids);
	size_t n = 0;
	for (size_t i = 0; i < bank->n; i++) {
		if (!first_of_id(bank, i))
			continue;
		if (topic && !id_has_topic(bank, i, topic))
			continue;
		ids[n++] = bank->questions[i].id;
	}
	*n_out = n;
	return ids;
}

size_t quiz_bank_count(const struct quiz_bank *bank, const char *topic)
{
	size_t n;
	free(quiz_bank_ids(bank, topic, &n));
	return n;
}
