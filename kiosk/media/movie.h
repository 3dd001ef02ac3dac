/*
 * movie: simple playback of one audio/video file (the full player with
 * seeking and A/V sync is a later module). A decode thread reads and
 * decodes; video frames wait in a small ring for the main thread, audio is
 * resampled to 48 kHz stereo S16 and queued to an SDL audio device.
 *
 * Threads: movie_open/movie_close/movie_update_texture and the queries on
 * the main thread only. The decode thread never touches SDL video; when a
 * new frame is ready it pushes an SDL user event of type movie_event_type()
 * so a waiting main loop wakes up.
 */
#ifndef KIOSK_MEDIA_MOVIE_H
#define KIOSK_MEDIA_MOVIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

struct movie;

struct movie_options {
	bool loop;          /* start again at the end (attract loop) */
	bool mute;          /* no audio device (attract loop, tests) */
	double volume;      /* 0..1 */
	bool unclocked;     /* benchmarks: no clock, every frame is due at once
			     * and none is dropped (use with mute) */
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

/* The SDL event type the decode threads push to wake the main loop
 * (registered once with SDL_RegisterEvents). */
uint32_t movie_event_type(void);

#endif
