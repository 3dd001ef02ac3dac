/*
 * pifit: whether a Raspberry Pi plays a video smoothly, from what probe
 * found in the file: the rules behind the README's "Encoding for a Pi".
 *
 * - A Pi 4 decodes H.264 in hardware (V4L2, hwdec.c) up to 1920x1080,
 *   8-bit 4:2:0 only (Baseline, Main and High profiles), with room at 30
 *   pictures a second (1080p60 is its very limit). A Pi 5 has no H.264
 *   hardware and decodes it in software, which its four Cortex-A76 cores
 *   do at 1080p in well under one core.
 * - Everything else (HEVC, VP9, AV1, MPEG-4 Part 2...) is decoded in
 *   software on both. The kiosk does not use the Pis' HEVC block: it is a
 *   stateless V4L2 decoder that Debian's FFmpeg cannot drive (Raspberry
 *   Pi OS's own FFmpeg reaches it through a DRM hwaccel). A Pi 4's four
 *   Cortex-A72 cores keep up with such video at 1280x720 and 30 pictures
 *   a second, not above.
 *
 * `kiosk check` turns a "no" into a warning naming the file; the kiosk
 * plays the file all the same.
 */
#ifndef KIOSK_MEDIA_PIFIT_H
#define KIOSK_MEDIA_PIFIT_H

#include <stdbool.h>
#include <stddef.h>

#include "media/probe.h"

/* True when a Pi 4 and a Pi 5 play the video in pr without dropping
 * pictures by the rules above; otherwise false with why (one line,
 * starting with what is wrong: "H.264 at 3840x2160: ..."). Files without
 * video always fit. */
bool pifit_video(const struct probe_result *pr, char *why, size_t why_size);

#endif
