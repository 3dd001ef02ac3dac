/*
 * prompt: one short spoken sound at a time, such as a language's name
 * said in that language when a visitor touches it in the picker (for
 * visitors who cannot read). Playing a new prompt stops the one before;
 * a prompt outlives the scene that started it, so the name is still heard
 * while the next screen comes up.
 *
 * Main thread only.
 */
#ifndef KIOSK_UI_PROMPT_H
#define KIOSK_UI_PROMPT_H

#include <stdbool.h>

struct prompt;

struct prompt *prompt_create(void);
void prompt_destroy(struct prompt *p);    /* stops it; accepts NULL */

/* Stop what is playing and play the sound file at path at volume (0..1).
 * Returns false, with a log line naming the file and what is wrong, when
 * it cannot be played (missing, not sound, no audio device); nothing
 * plays then. */
bool prompt_play(struct prompt *p, const char *path, double volume);

/* Stop at once (a video is about to speak, the visitor left). */
void prompt_stop(struct prompt *p);

/* The file playing now, or NULL once it ended, failed or was stopped
 * (an ended prompt is closed here). */
const char *prompt_playing(struct prompt *p);

/* Seconds played of the current prompt (0 when none), for tests. */
double prompt_position_s(struct prompt *p);

#endif
