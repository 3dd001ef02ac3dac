/*
 * test_pktqueue: packets and markers in order, serials bumped by flushes,
 * the "enough" rule, waits that time out, abort waking a waiting
 * consumer, and a producer/consumer pair across threads.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/util.h"
#include "media/pktqueue.h"
#include "test_support.h"

/* A packet of size bytes whose first byte is tag. */
static AVPacket *make_packet(int size, uint8_t tag)
{
	AVPacket *p = av_packet_alloc();
	assert_non_null(p);
	assert_int_equal(av_new_packet(p, size), 0);
	memset(p->data, 0, (size_t)size);
	p->data[0] = tag;
	return p;
}

static void put(struct pktqueue *q, int size, uint8_t tag, double dur_s)
{
	AVPacket *p = make_packet(size, tag);
	assert_true(pktqueue_put_move(q, p, dur_s));
	assert_null(p->data);       /* the reference moved into the queue */
	av_packet_free(&p);
}

static void test_order_and_markers(void **state)
{
	(void)state;
	struct pktqueue *q = pktqueue_create();
	assert_int_equal(pktqueue_serial(q), 0);
	put(q, 100, 1, 0.04);
	put(q, 200, 2, 0.04);
	pktqueue_put_drain(q, 12.5);
	put(q, 50, 3, 0.04);
	pktqueue_put_end(q);
	assert_int_equal(pktqueue_count(q), 5);
	assert_true(pktqueue_bytes(q) >= 350);

	struct pktqueue_item it;
	uint8_t want[] = { 1, 2 };
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pktqueue_get(q, &it, 0), 1);
		assert_int_equal(it.kind, PKTQUEUE_PACKET);
		assert_int_equal(it.pkt->data[0], want[i]);
		assert_int_equal(it.serial, 0);
		av_packet_free(&it.pkt);
	}
	assert_int_equal(pktqueue_get(q, &it, 0), 1);
	assert_int_equal(it.kind, PKTQUEUE_DRAIN);
	assert_true(it.offset_s == 12.5);
	assert_int_equal(pktqueue_get(q, &it, 0), 1);
	assert_int_equal(it.pkt->data[0], 3);
	av_packet_free(&it.pkt);
	assert_int_equal(pktqueue_get(q, &it, 0), 1);
	assert_int_equal(it.kind, PKTQUEUE_END);
	assert_int_equal(pktqueue_count(q), 0);
	assert_int_equal(pktqueue_bytes(q), 0);
	pktqueue_destroy(q);
}

static void test_flush_bumps_serial(void **state)
{
	(void)state;
	struct pktqueue *q = pktqueue_create();
	put(q, 1000, 1, 0.5);
	put(q, 1000, 2, 0.5);
	int serial = pktqueue_flush(q, 7.25);
	assert_int_equal(serial, 1);
	assert_int_equal(pktqueue_serial(q), 1);
	put(q, 10, 9, 0.04);
	/* what was queued before is gone; the FLUSH marker comes first */
	struct pktqueue_item it;
	assert_int_equal(pktqueue_get(q, &it, 0), 1);
	assert_int_equal(it.kind, PKTQUEUE_FLUSH);
	assert_int_equal(it.serial, 1);
	assert_true(it.floor_s == 7.25);
	assert_int_equal(pktqueue_get(q, &it, 0), 1);
	assert_int_equal(it.kind, PKTQUEUE_PACKET);
	assert_int_equal(it.pkt->data[0], 9);
	assert_int_equal(it.serial, 1);
	av_packet_free(&it.pkt);
	assert_int_equal(pktqueue_flush(q, 0), 2);
	pktqueue_destroy(q);    /* frees the FLUSH marker still queued */
}

static void test_enough(void **state)
{
	(void)state;
	struct pktqueue *q = pktqueue_create();
	for (int i = 0; i < 10; i++)
		put(q, 10, (uint8_t)i, 0.04);
	assert_false(pktqueue_has_enough(q, 10, 1.0)); /* 10 packets, 0.4 s */
	assert_true(pktqueue_has_enough(q, 10, 0.3));
	assert_false(pktqueue_has_enough(q, 11, 0.3));
	pktqueue_flush(q, 0);
	/* packets without durations: the count decides */
	for (int i = 0; i < 5; i++)
		put(q, 10, (uint8_t)i, 0);
	assert_true(pktqueue_has_enough(q, 5, 1.0));
	pktqueue_destroy(q);
}

static void test_get_times_out(void **state)
{
	(void)state;
	struct pktqueue *q = pktqueue_create();
	struct pktqueue_item it;
	int64_t t0 = time_mono_ms();
	assert_int_equal(pktqueue_get(q, &it, 60), 0);
	int64_t waited = time_mono_ms() - t0;
	assert_true(waited >= 50);
	assert_true(waited < 2000);
	pktqueue_destroy(q);
}

struct waiter {
	struct pktqueue *q;
	int result;
	int got;
};

static void *wait_forever(void *arg)
{
	struct waiter *w = arg;
	struct pktqueue_item it;
	w->result = pktqueue_get(w->q, &it, 60000);
	return NULL;
}

static void test_abort_wakes_waiter(void **state)
{
	(void)state;
	struct waiter w = { .q = pktqueue_create() };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, wait_forever, &w), 0);
	struct timespec ts = { 0, 50 * 1000000L };
	nanosleep(&ts, NULL);
	int64_t t0 = time_mono_ms();
	pktqueue_abort(w.q);
	pthread_join(t, NULL);
	assert_true(time_mono_ms() - t0 < 1000);
	assert_int_equal(w.result, -1);
	/* after abort, put refuses and leaves the packet with the caller */
	AVPacket *p = make_packet(10, 1);
	assert_false(pktqueue_put_move(w.q, p, 0));
	assert_non_null(p->data);
	av_packet_free(&p);
	pktqueue_destroy(w.q);
}

static void *consume(void *arg)
{
	struct waiter *w = arg;
	int expect = 0;
	for (;;) {
		struct pktqueue_item it;
		int r = pktqueue_get(w->q, &it, 5000);
		if (r <= 0 || it.kind == PKTQUEUE_END)
			break;
		if (it.pkt->data[0] == (uint8_t)expect)
			w->got++;
		expect = (expect + 1) & 0xff;
		av_packet_free(&it.pkt);
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	struct waiter w = { .q = pktqueue_create() };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, consume, &w), 0);
	for (int i = 0; i < 5000; i++)
		put(w.q, 64, (uint8_t)(i & 0xff), 0.001);
	pktqueue_put_end(w.q);
	pthread_join(t, NULL);
	assert_int_equal(w.got, 5000);
	pktqueue_destroy(w.q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_markers),
		cmocka_unit_test(test_flush_bumps_serial),
		cmocka_unit_test(test_enough),
		cmocka_unit_test(test_get_times_out),
		cmocka_unit_test(test_abort_wakes_waiter),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
