/*
 * pktqueue: a bounded queue of compressed packets between the demux thread
 * and one decode thread, in the manner of ffplay's PacketQueue.
 *
 * Besides packets the queue carries markers: FLUSH (a seek happened: drop
 * what the decoder holds; frames ending before floor_s are not wanted),
 * DRAIN (the end of one pass through the file: decode what is left, then
 * carry on with the next pass, whose timestamps are offset by offset_s)
 * and END (the end of the file). Every FLUSH bumps the queue's serial;
 * each entry carries the serial it was queued under, so a consumer can
 * tell what was queued before a seek.
 *
 * The queue never blocks its producer: the demux thread asks
 * pktqueue_has_enough / pktqueue_bytes before reading more. Consumers
 * wait in pktqueue_get with a timeout. All functions are thread-safe.
 */
#ifndef KIOSK_MEDIA_PKTQUEUE_H
#define KIOSK_MEDIA_PKTQUEUE_H

#include <stdbool.h>
#include <stddef.h>

#include <libavcodec/packet.h>

enum pktqueue_kind {
	PKTQUEUE_PACKET = 0,
	PKTQUEUE_FLUSH,
	PKTQUEUE_DRAIN,
	PKTQUEUE_END,
};

/* What pktqueue_get hands out. */
struct pktqueue_item {
	enum pktqueue_kind kind;
	AVPacket *pkt;        /* PACKET: owned by the receiver (av_packet_free) */
	int serial;           /* the queue's serial when it was queued */
	double floor_s;       /* FLUSH: frames ending before this are unwanted */
	double offset_s;      /* DRAIN: timestamp offset of the next pass */
};

struct pktqueue;

struct pktqueue *pktqueue_create(void);
/* Frees what is queued. Accepts NULL. */
void pktqueue_destroy(struct pktqueue *q);

/* Queue pkt, taking its reference (pkt is left blank), with its duration
 * in seconds (for pktqueue_has_enough; 0 if unknown). Returns false, and
 * leaves pkt alone, after pktqueue_abort. */
bool pktqueue_put_move(struct pktqueue *q, AVPacket *pkt, double dur_s);

/* Drop everything queued, bump the serial and queue a FLUSH marker.
 * Returns the new serial. */
int pktqueue_flush(struct pktqueue *q, double floor_s);
void pktqueue_put_drain(struct pktqueue *q, double next_offset_s);
void pktqueue_put_end(struct pktqueue *q);

/* Take the first entry, waiting up to timeout_ms for one. Returns 1 with
 * *out filled, 0 when the wait ran out, -1 after pktqueue_abort. */
int pktqueue_get(struct pktqueue *q, struct pktqueue_item *out, int timeout_ms);

/* Wake every waiter and make get and put fail from now on. */
void pktqueue_abort(struct pktqueue *q);

int pktqueue_serial(struct pktqueue *q);
size_t pktqueue_bytes(struct pktqueue *q);
int pktqueue_count(struct pktqueue *q);       /* packets and markers */

/* True when the queue holds at least min_packets packets and min_s
 * seconds of them (or packets without durations): the demux thread may
 * rest. Also true after pktqueue_abort. */
bool pktqueue_has_enough(struct pktqueue *q, int min_packets, double min_s);

#endif
