/*
 * bank: quiz questions, read from the question banks teachers already
 * write: spreadsheets saved as CSV (bank_csv.c) and Moodle GIFT exports
 * (bank_gift.c), found in the library's quiz/ folder. The formats are
 * documented in content/QUIZ-BANKS.md.
 *
 * One question may exist in several languages: its translations share an
 * id. Translations must list their choices in the same order with the same
 * right ones, so that an answer means the same whatever language it was
 * given in (the per-question report counts choices by position).
 *
 * A bad question is reported as `file:line: what is wrong` in the diag
 * list and left out; the good ones load. Main thread (no shared state).
 */
#ifndef KIOSK_QUIZ_BANK_H
#define KIOSK_QUIZ_BANK_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "i18n/lang.h"

/* Most choices a question may have (A..H). */
#define QUIZ_MAX_CHOICES 8

struct quiz_question {
	char *id;          /* shared by the translations of one question */
	char *lang;        /* BCP 47 tag, e.g. "vi" */
	char *topic;       /* topic id (content/topics.h), or NULL: none */
	int difficulty;    /* 1 easy .. 3 hard; 0 when the bank does not say */
	char *text;        /* the question: plain UTF-8; may hold '\n' */
	size_t n_choices;  /* 2..QUIZ_MAX_CHOICES */
	char *choices[QUIZ_MAX_CHOICES];   /* plain UTF-8 */
	char *feedback[QUIZ_MAX_CHOICES];  /* shown when that choice is
					    * picked (GIFT "#..."), or NULL */
	unsigned correct;  /* bit i set: choices[i] is right; never 0 */
	bool true_false;   /* a true/false question: choices are "True" and
			    * "False", UI strings the screen translates */
	char *explanation; /* shown after any answer, or NULL */
	char *picture;     /* path of a picture file (resolved against the
			    * bank's folder; it existed at load), or NULL */
	char *file;        /* the bank it came from, as given to the loader */
	int line;          /* 1-based line where the question starts */
};

struct quiz_bank {
	struct quiz_question *questions;   /* in load order */
	size_t n, cap;
};

struct quiz_bank *quiz_bank_create(void);
/* Frees every question. Accepts NULL. */
void quiz_bank_destroy(struct quiz_bank *bank);

/* Free the strings of q and zero it (q itself is not freed). */
void quiz_question_finish(struct quiz_question *q);

/* Add q, taking its strings (q is zeroed whether or not it was added).
 * Checks what every format shares and reports at q->file:q->line:
 *   - id, lang and text are present, valid UTF-8 (errors);
 *   - lang is in langs, when langs is not NULL (error);
 *   - 2..QUIZ_MAX_CHOICES choices, none empty, at least one right (error);
 *   - the topic is a known topic id (warning; the topic is dropped);
 *   - the same id and lang already loaded: an identical copy (the same
 *     bank in both formats) is dropped quietly; a different one is an
 *     error naming where the first is, and the first is kept;
 *   - a translation whose number of choices or right ones differs from
 *     the first-loaded language of its id (error; left out).
 * Returns true when q was added. */
bool quiz_bank_add(struct quiz_bank *bank, struct quiz_question *q,
		   const struct lang_registry *langs, struct diag_list *diags);

/* Read a spreadsheet saved as CSV (see bank_csv.c) and add its questions.
 * Returns false when the file cannot be read at all (reported). */
bool quiz_bank_load_csv(struct quiz_bank *bank, const char *path,
			const struct lang_registry *langs,
			struct diag_list *diags);

/* Read a Moodle GIFT file (see bank_gift.c) and add its multiple-choice
 * and true/false questions; other question types are reported (warning)
 * and skipped. lang is the language of every question in the file: the
 * file name's second extension ("bank.en.gift") when the caller passes
 * NULL, else the registry's default (or "vi"). Returns false when the file
 * cannot be read at all (reported). */
bool quiz_bank_load_gift(struct quiz_bank *bank, const char *path,
			 const char *lang, const struct lang_registry *langs,
			 struct diag_list *diags);

/* Load every *.csv and *.gift file in dir and its sub-folders (sorted by
 * path, so the result does not depend on the file system). A missing dir
 * gives an empty bank and no problem. Never NULL. */
struct quiz_bank *quiz_bank_load_dir(const char *dir,
				     const struct lang_registry *langs,
				     struct diag_list *diags);

/* The question with this id in the first language of chain[0..n) that has
 * it, else in any language; NULL when no question has the id. *from_lang
 * (if not NULL) gets the language it came from. */
const struct quiz_question *quiz_bank_find(const struct quiz_bank *bank,
					   const char *id,
					   const char *const *chain, size_t n,
					   const char **from_lang);

/* The distinct ids of the questions with this topic (NULL: every topic),
 * in load order, into a new array (*n_out entries; caller frees the array,
 * the strings belong to the bank). */
const char **quiz_bank_ids(const struct quiz_bank *bank, const char *topic,
			   size_t *n_out);

/* How many distinct ids have this topic (NULL: all). */
size_t quiz_bank_count(const struct quiz_bank *bank, const char *topic);

#endif
