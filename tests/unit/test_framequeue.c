/*
 * test_framequeue: a bounded ring: the producer waits when it is full
 * (and times out), the consumer peeks the first and second frames and
 * releases them in order, abort wakes a waiting producer, and frames
 * cross threads in order.
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
#include "media/framequeue.h"
#include "test_support.h"

/* Fill the next slot with a tagged frame; false when none came free. */
static bool push(struct framequeue *q, double pts, int timeout_ms)
{
	struct framequeue_slot *s = framequeue_peek_writable(q, timeout_ms);
	if (!s)
		return false;
	s->frame->format = AV_PIX_FMT_GRAY8;
	s->frame->width = 4;
	s->frame->height = 4;
	assert_int_equal(av_frame_get_buffer(s->frame, 0), 0);
	s->pts_s = pts;
	s->dur_s = 0.04;
	s->serial = 3;
	framequeue_push(q);
	return true;
}

static void test_bounded(void **state)
{
	(void)state;
	struct framequeue *q = framequeue_create(3);
	assert_null(framequeue_peek(q));
	for (int i = 0; i < 3; i++)
		assert_true(push(q, i * 0.04, 0));
	assert_int_equal(framequeue_count(q), 3);
	/* full: the producer waits and times out */
	int64_t t0 = time_mono_ms();
	assert_false(push(q, 9, 50));
	assert_true(time_mono_ms() - t0 >= 40);

	assert_true(framequeue_peek(q)->pts_s == 0);
	assert_true(framequeue_peek_next(q)->pts_s == 0.04);
	framequeue_next(q);
	assert_true(framequeue_peek(q)->pts_s == 0.04);
	assert_int_equal(framequeue_count(q), 2);
	/* a slot came free */
	assert_true(push(q, 0.12, 0));
	framequeue_next(q);
	framequeue_next(q);
	assert_true(framequeue_peek(q)->pts_s == 0.12);
	assert_null(framequeue_peek_next(q));
	framequeue_next(q);
	assert_null(framequeue_peek(q));
	framequeue_next(q);         /* on an empty queue: nothing happens */
	assert_int_equal(framequeue_count(q), 0);
	framequeue_destroy(q);
}

static void test_capacity_clamped(void **state)
{
	(void)state;
	struct framequeue *q = framequeue_create(1000);
	int n = 0;
	while (push(q, n, 0))
		n++;
	assert_int_equal(n, FRAMEQUEUE_MAX);
	framequeue_destroy(q);
}

struct producer {
	struct framequeue *q;
	int pushed;
	bool refused;
};

static void *produce(void *arg)
{
	struct producer *p = arg;
	for (int i = 0; i < 500; i++) {
		if (!push(p->q, i, 60000)) {
			p->refused = true;
			break;
		}
		p->pushed++;
	}
	return NULL;
}

static void test_threads_in_order(void **state)
{
	(void)state;
	struct producer p = { .q = framequeue_create(3) };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, produce, &p), 0);
	int seen = 0;
	int64_t deadline = time_mono_ms() + 20000;
	while (seen < 500 && time_mono_ms() < deadline) {
		struct framequeue_slot *s = framequeue_peek(p.q);
		if (!s)
			continue;
		assert_true(s->pts_s == seen);
		assert_non_null(s->frame->data[0]);
		framequeue_next(p.q);
		seen++;
	}
	pthread_join(t, NULL);
	assert_int_equal(seen, 500);
	framequeue_destroy(p.q);
}

static void test_abort_wakes_producer(void **state)
{
	(void)state;
	struct producer p = { .q = framequeue_create(2) };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, produce, &p), 0);
	struct timespec ts = { 0, 100 * 1000000L };
	nanosleep(&ts, NULL);
	assert_int_equal(framequeue_count(p.q), 2);  /* producer now waits */
	framequeue_abort(p.q);
	pthread_join(t, NULL);
	assert_true(p.refused);
	assert_int_equal(p.pushed, 2);
	framequeue_destroy(p.q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_capacity_clamped),
		cmocka_unit_test(test_threads_in_order),
		cmocka_unit_test(test_abort_wakes_producer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
