/*
 * framequeue: a fixed ring of decoded frames between one decode thread
 * (the producer) and one consumer (the main thread for pictures, SDL's
 * audio callback for sound), in the manner of ffplay's FrameQueue.
 *
 * The producer waits for a free slot (framequeue_peek_writable), fills it
 * and publishes it (framequeue_push). The consumer looks at the first and
 * second frames without waiting and releases the first with
 * framequeue_next. All functions are thread-safe; a slot handed out stays
 * the caller's until it is pushed or released.
 */
#ifndef KIOSK_MEDIA_FRAMEQUEUE_H
#define KIOSK_MEDIA_FRAMEQUEUE_H

#include <stdbool.h>

#include <libavutil/frame.h>

#define FRAMEQUEUE_MAX 16

struct framequeue_slot {
	AVFrame *frame;     /* owned by the queue; unreferenced when released */
	double pts_s;       /* movie time the frame starts */
	double dur_s;
	int serial;         /* packet queue serial it was decoded under */
};

struct framequeue;

/* A queue of capacity frames (1..FRAMEQUEUE_MAX). NULL when out of
 * memory. */
struct framequeue *framequeue_create(int capacity);
void framequeue_destroy(struct framequeue *q);   /* accepts NULL */

/* Producer: the next free slot, waiting up to timeout_ms for one; NULL
 * when none came free in time or after framequeue_abort. */
struct framequeue_slot *framequeue_peek_writable(struct framequeue *q,
						 int timeout_ms);
/* Producer: publish the slot last returned by framequeue_peek_writable. */
void framequeue_push(struct framequeue *q);

/* Consumer: the first frame, or NULL when the queue is empty. */
struct framequeue_slot *framequeue_peek(struct framequeue *q);
/* Consumer: the frame after the first, or NULL. */
struct framequeue_slot *framequeue_peek_next(struct framequeue *q);
/* Consumer: release the first frame. */
void framequeue_next(struct framequeue *q);

int framequeue_count(struct framequeue *q);
void framequeue_abort(struct framequeue *q);

#endif
