/*
 * movie: the player. Plays one audio/video file the way ffplay does, on
 * three threads of its own:
 *
 *   demux thread   reads packets into a bounded video and a bounded audio
 *                  packet queue (and decodes embedded text subtitles);
 *   video thread   decodes into a bounded queue of pictures (YUV420P or
 *                  NV12 as decoded; swscale only for other formats);
 *   audio thread   decodes and resamples into a bounded queue of
 *                  48 kHz stereo S16 chunks, which SDL's audio callback
 *                  plays and which set the clock.
 *
 * The audio clock is the master while there is sound; otherwise a wall
 * clock. The main thread shows pictures when the clock reaches them (see
 * movie_update_texture for the rule that drops late ones). Seeks and loops
 * bump a serial number, so nothing queued before them is used after.
 *
 * Threads: movie_open/movie_close/movie_update_texture and the setters on
 * the main thread only; queries may be called from any thread. When a new
 * picture is ready (or playback ends or fails) an SDL user event of type
 * movie_event_type() is pushed so a waiting main loop wakes up.
 */
#ifndef KIOSK_MEDIA_MOVIE_H
#define KIOSK_MEDIA_MOVIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

struct movie;

enum movie_hwdec {
	MOVIE_HWDEC_AUTO = 0, /* hardware decoder when the machine has one */
	MOVIE_HWDEC_OFF,      /* software decoding only */
};

struct movie_options {
	bool loop;          /* start again at the end (attract loop) */
	bool mute;          /* no audio device (attract loop, tests) */
	double volume;      /* 0..1 */
	bool unclocked;     /* benchmarks: no clock, every frame is due at once
			     * and none is dropped (use with mute) */
	/* Languages to choose the audio track by, best first (BCP 47 tags or
	 * ISO 639-2 codes, compared with the streams' "language" tags
	 * without regard to case); NULL-terminated, may be NULL. Without a
	 * match the file's default track plays. */
	const char *const *langs;
	enum movie_hwdec hwdec;
	/* Seconds without a new picture or sound, while playing, not at the
	 * end and with nothing decoded waiting, after which the file is
	 * declared stalled (movie_failed). 0: MOVIE_STALL_S. */
	double stall_s;
	/* Fault injection for tests: after this many pictures the video
	 * thread stops taking packets, as a decoder stuck inside libav
	 * would (but still answers movie_close). 0: off. */
	long test_stall_after_frames;
};

#define MOVIE_STALL_S 5.0

/* What playback has done so far (movie_stats). */
struct movie_stats {
	long frames_shown;      /* pictures uploaded by movie_update_texture */
	long frames_dropped;    /* decoded pictures skipped because late */
	double av_offset_s;     /* last picture shown: its time minus the
				 * clock when it was uploaded (> 0: early) */
	long audio_underruns;   /* audio callbacks that found too little */
};

/* Open path and start decoding. Returns NULL with a one-line reason in err
 * when the file cannot be opened or has neither decodable audio nor video.
 * Caller owns the result (movie_close). */
struct movie *movie_open(const char *path, const struct movie_options *opt,
			 char *err, size_t err_size);

/* Stop the threads, close the audio device, free everything. Accepts NULL. */
void movie_close(struct movie *m);

bool movie_has_video(const struct movie *m);
bool movie_has_audio(const struct movie *m);

/* Display size of the video: coded size corrected by the sample aspect
 * ratio (0x0 when there is no video). */
void movie_display_size(const struct movie *m, int *w, int *h);

/* Main thread, every frame: if the next decoded frame is due, upload it to
 * *tex (created or re-created as a streaming IYUV texture of the right
 * size on renderer) and return true. Returns false when nothing changed.
 */
bool movie_update_texture(struct movie *m, SDL_Renderer *renderer,
			  SDL_Texture **tex);

/* Milliseconds until the next frame is due (for the main loop's wait);
 * -1 when no frame is waiting. */
int movie_next_frame_delay_ms(struct movie *m);

double movie_position_s(struct movie *m);
double movie_duration_s(const struct movie *m);   /* 0 if unknown */
bool movie_finished(struct movie *m);             /* played to the end, not looping */
bool movie_failed(struct movie *m, char *err, size_t err_size); /* decode error */

void movie_set_paused(struct movie *m, bool paused);
bool movie_paused(const struct movie *m);

/* Volume 0..1 for sound decoded from now on (what is already queued,
 * at most about half a second, keeps its level). Any thread. */
void movie_set_volume(struct movie *m, double volume);
double movie_volume(const struct movie *m);

/* Jump to target_s seconds from the start of the file (clamped to the
 * file). What was queued is dropped; the first frame shown afterwards is
 * the one on screen at target_s (accurate to a frame: frames from the key
 * frame before it are decoded and dropped) and the sound starts at
 * target_s. Works after the end was reached too. Main thread. */
void movie_seek(struct movie *m, double target_s);

void movie_stats(struct movie *m, struct movie_stats *out);

/* How the video is decoded, for the log and the operator menu: for
 * example "h264 software, 2 threads", "h264_v4l2m2m hardware",
 * "h264 vaapi hardware"; "" without video. */
const char *movie_video_decoder(struct movie *m);

/* Degrees to turn the picture clockwise to show it upright (the file's
 * rotation metadata): 0, 90, 180 or 270. movie_display_size is already
 * the size after turning. */
int movie_rotation(const struct movie *m);

/* Audio tracks: the file's audio streams, in file order. */
int movie_audio_tracks(const struct movie *m);
/* The language tag of track i as the file has it ("vie", "eng", ...), ""
 * when untagged. */
const char *movie_audio_track_lang(const struct movie *m, int i);
int movie_audio_track(const struct movie *m);   /* playing now, -1 none */
/* Switch to track i while playing: the sound continues from the current
 * position in the other language. Main thread. */
void movie_set_audio_track(struct movie *m, int i);

/* Text subtitle streams inside the file, in file order. Their cues are
 * collected as the file is read (a little ahead of playback). */
int movie_subtitle_tracks(const struct movie *m);
const char *movie_subtitle_track_lang(const struct movie *m, int i);
/* Copy the cue of track i on screen at t seconds into buf; false when
 * there is none. Any thread. */
bool movie_subtitle_text(struct movie *m, int i, double t, char *buf,
			 size_t size);

/* The SDL event type the decode threads push to wake the main loop
 * (registered once with SDL_RegisterEvents). */
uint32_t movie_event_type(void);

#endif
