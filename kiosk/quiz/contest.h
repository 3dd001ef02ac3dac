/*
 * contest: a class contest a teacher runs on the kiosk. Students join one
 * after another by typing a first name, each takes the same kind of quiz
 * (topic, number of questions, optional seconds per question), and the
 * class ranking stays on screen until the teacher exports or clears it.
 *
 * Everything about a contest is in the log (store.h), so a kiosk that
 * lost power comes back with the contest and its results: contest_find_open
 * reads the newest contest not cleared.
 */
#ifndef KIOSK_QUIZ_CONTEST_H
#define KIOSK_QUIZ_CONTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "base/config.h"
#include "store/store.h"

/* Limits the teacher's menu keeps to. */
#define CONTEST_MAX_QUESTIONS 50
#define CONTEST_MAX_SECONDS 300

struct contest {
	char uuid[STORE_UUID_LEN];
	char class_name[96];        /* as the teacher typed it */
	char topic[32];             /* topic id; "" every topic */
	int n_questions;            /* 1..CONTEST_MAX_QUESTIONS */
	int seconds_per_question;   /* 0: no time limit */
	bool ended;                 /* no more students join */
};

/* The newest contest in the log at log_path that was not cleared. Returns
 * false when there is none or the log cannot be read (logged). */
bool contest_find_open(const char *log_path, struct contest *out);

/* Where exported results go: the first writable folder on a removable
 * drive (a USB stick mounted under /media/USER/NAME, /media/NAME or
 * /run/media/USER/NAME; $KIOSK_MEDIA_ROOT replaces /media for tests),
 * else DATA_DIR/exports. Writes the folder into out; returns true when it
 * is a removable drive. */
bool contest_export_dir(const struct kiosk_config *cfg, char *out, size_t size);

#endif
