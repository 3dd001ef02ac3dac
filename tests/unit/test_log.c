/*
 * test_log: the log file is kept under its limit: past it, it becomes
 * kiosk.log.1 (replacing the one before) and a new file begins with a
 * line saying where the rest is; no line is lost or cut across the two.
 * When the old name cannot be taken, writing goes on in the same file.
 * libav's messages about a file name the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <libavformat/avformat.h>

#include "base/log.h"
#include "base/util.h"
#include "test_support.h"

static long size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* How many of the lines "line N of the test" are in text, and the
 * highest N. */
static int count_lines(const char *text, int *last)
{
	int n = 0;
	*last = -1;
	for (const char *p = text; (p = strstr(p, "line ")) != NULL; p++) {
		int k;
		if (sscanf(p, "line %d of the test", &k) == 1) {
			n++;
			if (k > *last)
				*last = k;
		}
	}
	return n;
}

static void test_rotation(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *path = path_join(dir, "kiosk.log");
	char *old = xasprintf("%s.1", path);
	log_set_file_limit(4096);
	assert_true(log_open_file(path));
	for (int i = 0; i < 200; i++)
		log_info("line %d of the test, with some words to make it longer", i);
	log_close_file();
	long now = size_of(path), before = size_of(old);
	print_message("  log: %ld bytes now, %ld in the one before\n", now, before);
	/* both under the limit and a line */
	assert_true(now > 0 && now <= 4096 + 200);
	assert_true(before > 4096 && before <= 4096 + 200);
	char *a = file_read_all(old, NULL), *b = file_read_all(path, NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(strstr(b, "the log before this line is in"));
	assert_non_null(strstr(b, old));
	/* the newest lines: the last one is here, and the two files hold an
	 * unbroken run of lines up to it */
	int last_a, last_b;
	int na = count_lines(a, &last_a), nb = count_lines(b, &last_b);
	assert_int_equal(last_b, 199);
	assert_int_equal(last_a + nb, 199);
	assert_true(na > 10);
	/* every line whole: each ends with the text it began with */
	for (const char *p = a; *p;) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		assert_true(nl - p > 20);
		p = nl + 1;
	}
	free(a);
	free(b);

	/* the old name taken by a folder: the file grows on, nothing lost */
	unlink(old);
	assert_int_equal(mkdir(old, 0755), 0);
	unlink(path);
	assert_true(log_open_file(path));
	for (int i = 0; i < 200; i++)
		log_info("line %d of the test, with some words to make it longer", i);
	log_close_file();
	b = file_read_all(path, NULL);
	assert_int_equal(count_lines(b, &last_b), 200);
	assert_true(size_of(path) > 8192);
	free(b);
	log_set_file_limit(0);
	rmdir(old);
	test_rmtree(dir);
	free(old);
	free(path);
	free(dir);
}

static char heard[1024];

static void hear_error(enum log_level level, const char *msg, void *data)
{
	(void)data;
	if (level == LOG_LEVEL_ERROR && !heard[0])
		snprintf(heard, sizeof heard, "%s", msg);
}

/* A demuxer's complaint about a file ("moov atom not found" from the MP4
 * demuxer, for a file that is not one) names the file. */
static void test_libav_names_the_file(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *path = test_write_file(dir, "Phim hỏng.mp4", "not a video at all");
	log_capture_libraries();
	heard[0] = '\0';
	log_set_hook(hear_error, NULL);
	AVFormatContext *fc = NULL;
	int r = avformat_open_input(&fc, path, av_find_input_format("mp4"), NULL);
	log_set_hook(NULL, NULL);
	assert_true(r < 0);
	print_message("  heard: %s\n", heard);
	if (!strstr(heard, path) || !strstr(heard, "moov atom not found"))
		fail_msg("the message does not name %s: '%s'", path, heard);
	free(path);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_libav_names_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
