/*
 * playclock: one playback clock, in the manner of ffplay's Clock: a time
 * in movie seconds set now and then (by the audio callback, or when a
 * picture is shown) and running on with the wall clock in between. A
 * value belongs to a serial: once the packet queue it follows has moved
 * on (a seek), it reads NAN until it is set again.
 *
 * Every function takes the wall time now_s (time_mono_s()) so that tests
 * can drive it. Thread-safe.
 */
#ifndef KIOSK_MEDIA_PLAYCLOCK_H
#define KIOSK_MEDIA_PLAYCLOCK_H

#include <pthread.h>
#include <stdbool.h>

struct playclock {
	pthread_mutex_t lock;
	/* Guarded by lock. */
	double pts_s;           /* movie time at updated_s; NAN when unset */
	double updated_s;       /* wall time of the last set */
	int serial;             /* serial of the value */
	bool paused;
};

void playclock_init(struct playclock *c);
void playclock_finish(struct playclock *c);

/* Movie time now, or NAN when unset or set for another serial than the
 * one the caller's queue has now. A paused clock stands still. */
double playclock_get(struct playclock *c, double now_s, int serial);

/* The clock reads pts_s at wall time now_s, for serial. */
void playclock_set(struct playclock *c, double pts_s, int serial, double now_s);

/* Stop or restart the clock where it stands. */
void playclock_set_paused(struct playclock *c, bool paused, double now_s);

/* Seconds of the monotonic clock, with sub-millisecond resolution. */
double time_mono_s(void);

#endif
