/*
 * playclock: a playback clock (see playclock.h).
 */
#include "media/playclock.h"

#include <math.h>
#include <time.h>

double time_mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void playclock_init(struct playclock *c)
{
	pthread_mutex_init(&c->lock, NULL);
	c->pts_s = NAN;
	c->updated_s = 0;
	c->serial = -1;
	c->paused = false;
}

void playclock_finish(struct playclock *c)
{
	pthread_mutex_destroy(&c->lock);
}

double playclock_get(struct playclock *c, double now_s, int serial)
{
	pthread_mutex_lock(&c->lock);
	double v;
	if (c->serial != serial || isnan(c->pts_s))
		v = NAN;
	else if (c->paused)
		v = c->pts_s;
	else
		v = c->pts_s + (now_s - c->updated_s);
	pthread_mutex_unlock(&c->lock);
	return v;
}

void playclock_set(struct playclock *c, double pts_s, int serial, double now_s)
{
	pthread_mutex_lock(&c->lock);
	c->pts_s = pts_s;
	c->updated_s = now_s;
	c->serial = serial;
	pthread_mutex_unlock(&c->lock);
}

void playclock_set_paused(struct playclock *c, bool paused, double now_s)
{
	pthread_mutex_lock(&c->lock);
	if (paused != c->paused && !isnan(c->pts_s)) {
		if (paused)
			c->pts_s += now_s - c->updated_s;
		c->updated_s = now_s;
	}
	c->paused = paused;
	pthread_mutex_unlock(&c->lock);
}
