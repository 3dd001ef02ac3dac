/*
 * test_playclock: the clock runs on with the wall clock between sets,
 * stands still while paused, and reads NAN for another serial (after a
 * seek) until it is set again.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "media/playclock.h"

static void assert_near(double a, double b)
{
	if (fabs(a - b) > 1e-9)
		fail_msg("%.9f != %.9f", a, b);
}

static void test_runs_with_wall_time(void **state)
{
	(void)state;
	struct playclock c;
	playclock_init(&c);
	assert_true(isnan(playclock_get(&c, 100.0, 0)));   /* never set */
	playclock_set(&c, 5.0, 0, 100.0);
	assert_near(playclock_get(&c, 100.0, 0), 5.0);
	assert_near(playclock_get(&c, 101.5, 0), 6.5);
	playclock_set(&c, 6.4, 0, 101.5);                   /* corrected */
	assert_near(playclock_get(&c, 102.0, 0), 6.9);
	playclock_finish(&c);
}

static void test_pause(void **state)
{
	(void)state;
	struct playclock c;
	playclock_init(&c);
	playclock_set(&c, 10.0, 2, 50.0);
	playclock_set_paused(&c, true, 51.0);               /* at 11.0 */
	assert_near(playclock_get(&c, 51.0, 2), 11.0);
	assert_near(playclock_get(&c, 80.0, 2), 11.0);      /* stands still */
	playclock_set_paused(&c, false, 90.0);
	assert_near(playclock_get(&c, 90.0, 2), 11.0);
	assert_near(playclock_get(&c, 90.25, 2), 11.25);
	playclock_set_paused(&c, false, 91.0);              /* no change */
	assert_near(playclock_get(&c, 91.0, 2), 12.0);
	playclock_finish(&c);
}

static void test_serial(void **state)
{
	(void)state;
	struct playclock c;
	playclock_init(&c);
	playclock_set(&c, 3.0, 1, 10.0);
	assert_near(playclock_get(&c, 11.0, 1), 4.0);
	/* the queue moved on to serial 2 (a seek): not valid any more */
	assert_true(isnan(playclock_get(&c, 11.0, 2)));
	playclock_set(&c, 42.0, 2, 12.0);
	assert_near(playclock_get(&c, 12.5, 2), 42.5);
	assert_true(isnan(playclock_get(&c, 12.5, 1)));
	playclock_finish(&c);
}

static void test_mono_time(void **state)
{
	(void)state;
	double a = time_mono_s();
	double b = time_mono_s();
	assert_true(b >= a);
	assert_true(a > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_with_wall_time),
		cmocka_unit_test(test_pause),
		cmocka_unit_test(test_serial),
		cmocka_unit_test(test_mono_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
