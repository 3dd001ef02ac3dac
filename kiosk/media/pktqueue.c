/*
 * pktqueue: bounded packet queue with serials and markers (see pktqueue.h).
 */
#include "media/pktqueue.h"

#include <pthread.h>
#include <stdlib.h>

#include "base/util.h"

struct entry {
	struct pktqueue_item item;
	double dur_s;
	struct entry *next;
};

struct pktqueue {
	pthread_mutex_t lock;
	pthread_cond_t cond;        /* something was queued, or abort */
	/* Guarded by lock. */
	struct entry *first, *last;
	int count;                  /* entries, markers included */
	int packets;
	size_t bytes;
	double dur_s;               /* sum of the packets' durations */
	int serial;
	bool aborted;
};

struct pktqueue *pktqueue_create(void)
{
	struct pktqueue *q = xcalloc(1, sizeof *q);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cond, NULL);
	return q;
}

static void free_entry(struct entry *e)
{
	av_packet_free(&e->item.pkt);
	free(e);
}

/* Lock held. */
static void clear_locked(struct pktqueue *q)
{
	struct entry *e = q->first;
	while (e) {
		struct entry *next = e->next;
		free_entry(e);
		e = next;
	}
	q->first = q->last = NULL;
	q->count = q->packets = 0;
	q->bytes = 0;
	q->dur_s = 0;
}

void pktqueue_destroy(struct pktqueue *q)
{
	if (!q)
		return;
	clear_locked(q);
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

/* Append e (lock held). */
static void append_locked(struct pktqueue *q, struct entry *e)
{
	e->item.serial = q->serial;
	if (q->last)
		q->last->next = e;
	else
		q->first = e;
	q->last = e;
	q->count++;
	if (e->item.kind == PKTQUEUE_PACKET) {
		q->packets++;
		q->bytes += (size_t)e->item.pkt->size + sizeof *e;
		q->dur_s += e->dur_s;
	}
	pthread_cond_signal(&q->cond);
}

bool pktqueue_put_move(struct pktqueue *q, AVPacket *pkt, double dur_s)
{
	AVPacket *copy = av_packet_alloc();
	if (!copy)
		return false;
	struct entry *e = xcalloc(1, sizeof *e);
	e->item.kind = PKTQUEUE_PACKET;
	e->item.pkt = copy;
	e->dur_s = dur_s > 0 ? dur_s : 0;
	pthread_mutex_lock(&q->lock);
	if (q->aborted) {
		pthread_mutex_unlock(&q->lock);
		free_entry(e);
		return false;
	}
	av_packet_move_ref(copy, pkt);
	append_locked(q, e);
	pthread_mutex_unlock(&q->lock);
	return true;
}

static void put_marker(struct pktqueue *q, enum pktqueue_kind kind,
		       double offset_s)
{
	struct entry *e = xcalloc(1, sizeof *e);
	e->item.kind = kind;
	e->item.offset_s = offset_s;
	pthread_mutex_lock(&q->lock);
	append_locked(q, e);
	pthread_mutex_unlock(&q->lock);
}

int pktqueue_flush(struct pktqueue *q, double floor_s)
{
	struct entry *e = xcalloc(1, sizeof *e);
	e->item.kind = PKTQUEUE_FLUSH;
	e->item.floor_s = floor_s;
	pthread_mutex_lock(&q->lock);
	clear_locked(q);
	q->serial++;
	int serial = q->serial;
	append_locked(q, e);
	pthread_mutex_unlock(&q->lock);
	return serial;
}

void pktqueue_put_drain(struct pktqueue *q, double next_offset_s)
{
	put_marker(q, PKTQUEUE_DRAIN, next_offset_s);
}

void pktqueue_put_end(struct pktqueue *q)
{
	put_marker(q, PKTQUEUE_END, 0);
}

int pktqueue_get(struct pktqueue *q, struct pktqueue_item *out, int timeout_ms)
{
	struct timespec deadline = time_deadline_after_ms(timeout_ms);
	pthread_mutex_lock(&q->lock);
	while (!q->aborted && !q->first) {
		if (pthread_cond_timedwait(&q->cond, &q->lock, &deadline) != 0)
			break;
	}
	int r;
	if (q->aborted) {
		r = -1;
	} else if (!q->first) {
		r = 0;
	} else {
		struct entry *e = q->first;
		q->first = e->next;
		if (!q->first)
			q->last = NULL;
		q->count--;
		if (e->item.kind == PKTQUEUE_PACKET) {
			q->packets--;
			q->bytes -= (size_t)e->item.pkt->size + sizeof *e;
			q->dur_s -= e->dur_s;
		}
		*out = e->item;
		free(e);
		r = 1;
	}
	pthread_mutex_unlock(&q->lock);
	return r;
}

void pktqueue_abort(struct pktqueue *q)
{
	pthread_mutex_lock(&q->lock);
	q->aborted = true;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->lock);
}

int pktqueue_serial(struct pktqueue *q)
{
	pthread_mutex_lock(&q->lock);
	int s = q->serial;
	pthread_mutex_unlock(&q->lock);
	return s;
}

size_t pktqueue_bytes(struct pktqueue *q)
{
	pthread_mutex_lock(&q->lock);
	size_t b = q->bytes;
	pthread_mutex_unlock(&q->lock);
	return b;
}

int pktqueue_count(struct pktqueue *q)
{
	pthread_mutex_lock(&q->lock);
	int n = q->count;
	pthread_mutex_unlock(&q->lock);
	return n;
}

bool pktqueue_has_enough(struct pktqueue *q, int min_packets, double min_s)
{
	pthread_mutex_lock(&q->lock);
	bool enough = q->aborted ||
		      (q->packets >= min_packets &&
		       (q->dur_s <= 0 || q->dur_s >= min_s));
	pthread_mutex_unlock(&q->lock);
	return enough;
}
