/*
 * test_hwdec: the decoder choice. This machine has no V4L2 decoder
 * device and no VAAPI device, so asking for hardware must fall back to a
 * threaded software decoder that works, and say why; with hardware off
 * the software decoder is used directly; codecs off the whitelist and
 * pictures over the pixel limit are refused with a plain reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "media/avguard.h"
#include "media/hwdec.h"
#include "test_support.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = test_tmpdir();
	return test_system("cd '%s' && "
			   "ffmpeg -loglevel error -f lavfi -i testsrc2=s=320x240:r=25:d=1 "
			   "-c:v libx264 -pix_fmt yuv420p h264.mp4 && "
			   "ffmpeg -loglevel error -f lavfi -i testsrc2=s=64x64:r=25:d=1 "
			   "-c:v ffv1 ffv1.mkv", dir) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	test_rmtree(dir);
	free(dir);
	return 0;
}

/* Open name in dir and its video stream's decoder with try_hw; decode
 * the whole stream when it opens. Returns the frames decoded, or -1 when
 * hwdec_open refused (res->desc says why). */
static int open_and_decode(const char *name, bool try_hw, struct hwdec_result *res)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	AVFormatContext *fmt = NULL;
	assert_int_equal(avformat_open_input(&fmt, path, NULL, NULL), 0);
	assert_true(avformat_find_stream_info(fmt, NULL) >= 0);
	int v = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
	assert_true(v >= 0);
	int frames = -1;
	if (hwdec_open(fmt->streams[v], try_hw, res) == 0) {
		frames = 0;
		AVPacket *pkt = av_packet_alloc();
		AVFrame *f = av_frame_alloc();
		while (av_read_frame(fmt, pkt) >= 0) {
			if (pkt->stream_index == v)
				avcodec_send_packet(res->dec, pkt);
			av_packet_unref(pkt);
			while (avcodec_receive_frame(res->dec, f) == 0)
				frames++;
		}
		avcodec_send_packet(res->dec, NULL);
		while (avcodec_receive_frame(res->dec, f) == 0)
			frames++;
		av_packet_free(&pkt);
		av_frame_free(&f);
		avcodec_free_context(&res->dec);
	}
	avformat_close_input(&fmt);
	return frames;
}

static void test_falls_back_to_software(void **state)
{
	(void)state;
	struct hwdec_result res;
	assert_int_equal(open_and_decode("h264.mp4", true, &res), 25);
	printf("  %s\n", res.desc);
	assert_false(res.hardware);
	assert_non_null(strstr(res.desc, "h264 software"));
	/* why the hardware was not used is said */
	assert_non_null(strstr(res.desc, "no hardware decoder"));
	assert_non_null(strstr(res.desc, "V4L2"));
	assert_non_null(strstr(res.desc, "VAAPI"));
}

static void test_software_when_off(void **state)
{
	(void)state;
	struct hwdec_result res;
	assert_int_equal(open_and_decode("h264.mp4", false, &res), 25);
	assert_false(res.hardware);
	char want[64];
	snprintf(want, sizeof want, "%d threads", hwdec_thread_count());
	assert_non_null(strstr(res.desc, want));
	assert_non_null(strstr(res.desc, "hardware decoding off"));
	assert_true(hwdec_thread_count() >= 1);
}

static void test_refusals(void **state)
{
	(void)state;
	struct hwdec_result res;
	assert_int_equal(open_and_decode("ffv1.mkv", true, &res), -1);
	assert_null(res.dec);
	assert_string_equal(res.desc, "video codec ffv1 is not supported");

	/* a stream declaring more pixels than the limit */
	AVStream st = { 0 };
	AVCodecParameters *par = avcodec_parameters_alloc();
	par->codec_type = AVMEDIA_TYPE_VIDEO;
	par->codec_id = AV_CODEC_ID_H264;
	par->width = 10000;
	par->height = 8000;
	st.codecpar = par;
	st.time_base = (AVRational){ 1, 25 };
	assert_true(hwdec_open(&st, false, &res) < 0);
	assert_null(res.dec);
	assert_non_null(strstr(res.desc, "10000x8000 is over the limit"));
	avcodec_parameters_free(&par);
}

static void test_whitelist_lookup(void **state)
{
	(void)state;
	assert_true(avguard_codec_allowed("h264"));
	assert_true(avguard_codec_allowed("h264_v4l2m2m"));
	assert_true(avguard_codec_allowed("pcm_s16le"));
	assert_false(avguard_codec_allowed("h26"));
	assert_false(avguard_codec_allowed("ffv1"));
	assert_false(avguard_codec_allowed("pcm_s16"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_falls_back_to_software),
		cmocka_unit_test(test_software_when_off),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_whitelist_lookup),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
