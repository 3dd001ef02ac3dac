/*
 * test_pifit: the Raspberry Pi video rules, on made-up probe results at
 * their edges and on real files made with the ffmpeg tool (probe reads
 * the codec, pixel format and frame rate the rules need).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "media/pifit.h"
#include "media/probe.h"
#include "test_support.h"

static struct probe_result video(const char *codec, int w, int h,
				 const char *pix_fmt, double fps)
{
	struct probe_result pr = { .has_video = true, .width = w, .height = h,
				   .fps = fps };
	snprintf(pr.vcodec, sizeof pr.vcodec, "%s", codec);
	snprintf(pr.pix_fmt, sizeof pr.pix_fmt, "%s", pix_fmt);
	return pr;
}

static bool fits(struct probe_result pr, const char *want_in_why)
{
	char why[256] = "";
	bool ok = pifit_video(&pr, why, sizeof why);
	if (ok)
		assert_string_equal(why, "");
	else if (want_in_why && !strstr(why, want_in_why))
		fail_msg("why: '%s' lacks '%s'", why, want_in_why);
	return ok;
}

static void test_rules(void **state)
{
	(void)state;
	/* H.264 on the Pi 4's block: 1080p30 in 8-bit 4:2:0, portrait too,
	 * and 720p60; 1080p50 and 60 leave it no room */
	assert_true(fits(video("h264", 1920, 1080, "yuv420p", 30), NULL));
	assert_true(fits(video("h264", 1920, 1080, "yuv420p", 29.97), NULL));
	assert_true(fits(video("h264", 1280, 720, "yuv420p", 60), NULL));
	assert_false(fits(video("h264", 1920, 1080, "yuv420p", 60), "57"));
	assert_false(fits(video("h264", 1920, 1080, "yuv420p", 50), "25 or 30"));
	assert_true(fits(video("h264", 1920, 1088, "yuv420p", 30), NULL));
	assert_true(fits(video("h264", 1080, 1920, "yuvj420p", 30), NULL));
	assert_true(fits(video("h264", 1280, 720, "yuv420p", 0), NULL));
	assert_false(fits(video("h264", 2560, 1440, "yuv420p", 30), "2560x1440"));
	assert_false(fits(video("h264", 3840, 2160, "yuv420p", 25), "1920x1080"));
	assert_false(fits(video("h264", 1920, 1080, "yuv420p10le", 30), "8-bit"));
	assert_false(fits(video("h264", 1920, 1080, "yuv422p", 30), "yuv422p"));
	assert_false(fits(video("h264", 1280, 720, "yuv420p", 120), "pictures a second"));
	/* the rest in software: 720p30 at most */
	assert_true(fits(video("hevc", 1280, 720, "yuv420p", 30), NULL));
	assert_true(fits(video("vp9", 854, 480, "yuv420p", 25), NULL));
	assert_false(fits(video("hevc", 1920, 1080, "yuv420p", 30), "hevc"));
	assert_false(fits(video("vp9", 1280, 720, "yuv420p", 60), "software"));
	/* no video, a still: nothing to say */
	struct probe_result sound = { .has_audio = true };
	assert_true(fits(sound, NULL));
	struct probe_result still = video("png", 4000, 3000, "rgba", 0);
	still.is_image = true;
	assert_true(fits(still, NULL));
}

/* Files made here: probe reads what the rules look at. */
static void test_real_files(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	static const struct {
		const char *name, *args;
		bool fits;
		const char *codec, *pix_fmt;
		int w, h;
		double fps;
	} files[] = {
		{ "ok.mp4", "-f lavfi -i testsrc2=s=1280x720:r=30 -c:v libx264 "
		  "-pix_fmt yuv420p", true, "h264", "yuv420p", 1280, 720, 30 },
		{ "big.mp4", "-f lavfi -i testsrc2=s=2560x1440:r=25 -c:v libx264 "
		  "-preset ultrafast -pix_fmt yuv420p", false, "h264", "yuv420p",
		  2560, 1440, 25 },
		{ "deep.mkv", "-f lavfi -i testsrc2=s=640x360:r=25 -c:v libx264 "
		  "-pix_fmt yuv420p10le", false, "h264", "yuv420p10le", 640, 360, 25 },
		{ "mpeg4.mkv", "-f lavfi -i testsrc2=s=1920x1080:r=25 -c:v mpeg4",
		  false, "mpeg4", "yuv420p", 1920, 1080, 25 },
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *path = path_join(dir, files[i].name);
		assert_int_equal(test_system("ffmpeg -v error -y %s -t 0.4 '%s'",
					     files[i].args, path), 0);
		struct probe_result pr;
		char err[256];
		if (!probe_file(path, &pr, err, sizeof err))
			fail_msg("%s: %s", path, err);
		assert_string_equal(pr.vcodec, files[i].codec);
		assert_string_equal(pr.pix_fmt, files[i].pix_fmt);
		assert_int_equal(pr.width, files[i].w);
		assert_int_equal(pr.height, files[i].h);
		assert_true(pr.fps > files[i].fps - 0.5 && pr.fps < files[i].fps + 0.5);
		char why[256] = "";
		if (pifit_video(&pr, why, sizeof why) != files[i].fits)
			fail_msg("%s: fits should be %d (%s)", files[i].name,
				 files[i].fits, why);
		free(path);
	}
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_real_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
