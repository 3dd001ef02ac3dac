/*
 * framequeue: fixed ring of decoded frames (see framequeue.h).
 */
#include "media/framequeue.h"

#include <pthread.h>
#include <stdlib.h>

#include "base/util.h"

struct framequeue {
	pthread_mutex_t lock;
	pthread_cond_t cond;        /* a slot was freed or filled, or abort */
	int capacity;
	/* Guarded by lock (the slots' contents belong to whoever holds
	 * them: free slots to the producer, filled ones to the consumer). */
	struct framequeue_slot slots[FRAMEQUEUE_MAX];
	int rindex, windex, count;
	bool aborted;
};

struct framequeue *framequeue_create(int capacity)
{
	if (capacity < 1)
		capacity = 1;
	if (capacity > FRAMEQUEUE_MAX)
		capacity = FRAMEQUEUE_MAX;
	struct framequeue *q = xcalloc(1, sizeof *q);
	q->capacity = capacity;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cond, NULL);
	for (int i = 0; i < capacity; i++) {
		q->slots[i].frame = av_frame_alloc();
		if (!q->slots[i].frame) {
			framequeue_destroy(q);
			return NULL;
		}
	}
	return q;
}

void framequeue_destroy(struct framequeue *q)
{
	if (!q)
		return;
	for (int i = 0; i < FRAMEQUEUE_MAX; i++)
		av_frame_free(&q->slots[i].frame);
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

struct framequeue_slot *framequeue_peek_writable(struct framequeue *q,
						 int timeout_ms)
{
	struct timespec deadline = time_deadline_after_ms(timeout_ms);
	pthread_mutex_lock(&q->lock);
	while (!q->aborted && q->count >= q->capacity) {
		if (pthread_cond_timedwait(&q->cond, &q->lock, &deadline) != 0)
			break;
	}
	struct framequeue_slot *s = NULL;
	if (!q->aborted && q->count < q->capacity)
		s = &q->slots[q->windex];
	pthread_mutex_unlock(&q->lock);
	return s;
}

void framequeue_push(struct framequeue *q)
{
	pthread_mutex_lock(&q->lock);
	q->windex = (q->windex + 1) % q->capacity;
	q->count++;
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
}

struct framequeue_slot *framequeue_peek(struct framequeue *q)
{
	pthread_mutex_lock(&q->lock);
	struct framequeue_slot *s = q->count > 0 ? &q->slots[q->rindex] : NULL;
	pthread_mutex_unlock(&q->lock);
	return s;
}

struct framequeue_slot *framequeue_peek_next(struct framequeue *q)
{
	pthread_mutex_lock(&q->lock);
	struct framequeue_slot *s =
		q->count > 1 ? &q->slots[(q->rindex + 1) % q->capacity] : NULL;
	pthread_mutex_unlock(&q->lock);
	return s;
}

void framequeue_next(struct framequeue *q)
{
	pthread_mutex_lock(&q->lock);
	if (q->count > 0) {
		av_frame_unref(q->slots[q->rindex].frame);
		q->rindex = (q->rindex + 1) % q->capacity;
		q->count--;
		pthread_cond_signal(&q->cond);
	}
	pthread_mutex_unlock(&q->lock);
}

int framequeue_count(struct framequeue *q)
{
	pthread_mutex_lock(&q->lock);
	int n = q->count;
	pthread_mutex_unlock(&q->lock);
	return n;
}

void framequeue_abort(struct framequeue *q)
{
	pthread_mutex_lock(&q->lock);
	q->aborted = true;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->lock);
}
