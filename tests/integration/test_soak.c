/*
 * test_soak: a kiosk's day, compressed. The real app (headless, in this
 * process) runs its attract loop and scripted visitor sessions over a small
 * library made with ffmpeg at test time, while its resident memory and
 * open file descriptors are sampled; after a warm-up neither may grow
 * (RSS by less than 5 MB, descriptors not at all).
 *
 * What a day is. A kiosk in a cultural centre runs 24 hours a day:
 *   - 48 visitor sessions (a busy day: one visitor every half hour on
 *     average, each staying about five minutes);
 *   - the attract loop the rest of the time, about 20 hours: with the
 *     default attract_interval of 8 s and the demo library's 10 s videos an
 *     item changes about every 9 s, so 20 h = 8,000 item changes.
 * One soak cycle is half an hour of that day: SOAK_ATTRACT_PER_CYCLE (167)
 * attract item changes, then one visitor session; a day is
 * SOAK_CYCLES_PER_DAY (48) cycles (48 x 167 = 8,016 changes).
 *
 * The visitor session of cycle s: a touch on the attract loop; a language
 * touched in the picker (vi, en, rad, jra, mww in turn; vi, en and rad say
 * their name, a short recording); SOAK_ITEMS_PER_SESSION (4) items opened
 * from home through a category and the grid by keys, the 8 items of the
 * library in turn (every item every second session); per item what a
 * visitor does: a video or audio played to its end with the volume
 * changed, a skip back and, every third session, the fourth control of
 * its bar (Subtitles off or, for a film with sound in two languages, the
 * other sound track, which opens the film again); a poster
 * zoomed in by keys and the wheel, panned, zoomed out; a gallery paged
 * (Page Down, a swipe) and zoomed; a PDF leaflet paged through and zoomed (its regions
 * drawn again); a text leaflet paged, in larger text and back. After the
 * second item the visitor switches language through the top bar. Odd
 * sessions then take a solo quiz (10 questions, answered by touch, right
 * and wrong), even sessions search by typing. Back on home the sample is
 * taken; then nobody touches and the idle timeout ends the session.
 *
 * Speed-up, and where it is honest:
 *   - the media are short: videos of 1 and 2 s (320x180, H.264 + AAC, with
 *     subtitles), 1.5 s of audio with cover art, small pictures, a
 *     6-page PDF, text leaflets, the demo quiz bank;
 *   - the app's clock is moved forward (app_advance_clock) instead of
 *     waiting out the attract interval or the idle timeout (config: the
 *     shortest, 5 s): the same code runs, only the waiting is skipped;
 *   - in the attract loop, the first lap of each cycle plays its videos to
 *     their end in real time (the next one opened ahead and taken over);
 *     on the other laps the clock is moved past the loop's 120 s cap for a
 *     video once it has started, so the loop opens, starts (taking the one
 *     opened ahead) and closes it as for a long video or a touch, without
 *     waiting for it to end;
 *   - in visitor sessions videos and audio play to their end in real time.
 *
 * Measuring: at the end of each cycle, on the visitor's home screen (no
 * player open), after malloc_trim(0): glibc keeps freed memory in its
 * arenas and may not give it back to the system, which would look like
 * growth in RSS though nothing leaks. RSS is /proc/self/statm's resident
 * pages (and RssAnon, RssFile of /proc/self/status), descriptors are
 * counted in /proc/self/fd, the peak is VmHWM; "malloc'd" is what the
 * program holds from malloc (mallinfo2: every arena and mmapped block),
 * the measure of a leak that does not depend on the allocator. The first
 * SOAK_WARMUP_CYCLES cycles are the warm-up: every item, type and
 * language of the script met, thumbnails made, and the text engine's
 * cache of rendered lines full (512 lines, reached in the fourth cycle).
 * Then, to the end: no new descriptor, RSS and malloc'd memory each grow
 * less than 5 MB. The samples go to soak-samples.csv in the build
 * directory.
 *
 * The allocator: glibc gives each thread that allocates an arena of its
 * own (up to 8 per core); the player's threads come and go all day and
 * the freed memory left in their arenas is fragmented and kept. With
 * glibc's default the kiosk's RSS climbs about 20 MB over a day and levels
 * off near 150 MB while what it holds from malloc stays flat near 40 MB;
 * with 2 arenas RSS stays flat near 90 MB. The soak runs with 2 arenas
 * (mallopt M_ARENA_MAX before any thread, as GLIBC_TUNABLES=
 * glibc.malloc.arena_max=2 would for the appliance) so that RSS follows
 * what the program holds; KIOSK_SOAK_ARENAS=N sets another limit, 0 keeps
 * glibc's default, and then only malloc'd memory is checked.
 *
 * When the descriptors differ (or KIOSK_SOAK_SHOW_FDS is set) both lists
 * are printed, each descriptor with what it is.
 *
 * Length: KIOSK_SOAK_CYCLES, or KIOSK_SOAK_HOURS (2 cycles an hour);
 * default SOAK_DEFAULT_CYCLES (4 hours of the day, about 2 minutes on two
 * shared cores); a whole day (48 cycles) takes about 12 minutes. Under
 * AddressSanitizer or valgrind the memory figures mean little
 * (quarantine, the tool's own allocator): they are printed, and only
 * descriptors are checked.
 */
#include <dirent.h>
#include <malloc.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <SDL.h>
#include <sqlite3.h>

#include "base/log.h"
#include "base/util.h"
#include "content/catalog.h"
#include "quiz/quizrun.h"
#include "test_kiosk.h"
#include "test_support.h"
#include "ui/app.h"
#include "ui/draw.h"

#define W 1280
#define H 720

#define SOAK_CYCLES_PER_DAY 48
#define SOAK_ATTRACT_PER_CYCLE 167
#define SOAK_ITEMS_PER_SESSION 4
#define SOAK_WARMUP_CYCLES 4
#define SOAK_DEFAULT_CYCLES 8
#define SOAK_MAX_GROWTH_KB (5 * 1024)
/* The attract loop's cap on a video (scene_attract.c), plus a second. */
#define SOAK_VIDEO_CAP_MS 121000

/* ---- the library ------------------------------------------------------ */

/* Run the shell commands cmd in the folder lib/item (made first). */
static void sh(const char *lib, const char *item, const char *cmd)
{
	assert_int_equal(test_system("mkdir -p '%s/%s' && cd '%s/%s' && %s", lib, item,
				     lib, item, cmd), 0);
}

/* A small library in lib: two videos with subtitles, an audio piece with
 * cover art, a poster, a gallery, a PDF, a picture and a text leaflet, and
 * the demo quiz bank. Items without a thumbnail get theirs from the
 * kiosk's thumbnail cache. */
static void make_library(const char *lib)
{
	free(test_write_file(lib, "v-one/item.json",
		"{ \"id\": \"v-one\", \"type\": \"video\",\n"
		"  \"title\": { \"vi\": \"Phim một\", \"en\": \"Film one\" },\n"
		"  \"summary\": { \"vi\": \"Một giây.\", \"en\": \"One second.\" },\n"
		"  \"topics\": [ \"udhr\" ],\n"
		"  \"media\": { \"vi\": \"clip.mp4\", \"en\": \"clip.en.mp4\" } }\n"));
	sh(lib, "v-one",
	   "ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=s=320x180:r=25:d=1 "
	   "-f lavfi -i sine=frequency=440:duration=1 -c:v libx264 -pix_fmt yuv420p "
	   "-c:a aac -shortest clip.mp4 && "
	   "ffmpeg -nostdin -v error -y -f lavfi -i smptebars=s=320x180:r=25:d=1 "
	   "-f lavfi -i sine=frequency=660:duration=1 -c:v libx264 -pix_fmt yuv420p "
	   "-c:a aac -shortest clip.en.mp4");
	free(test_write_file(lib, "v-one/clip.vi.srt",
		"1\n00:00:00,000 --> 00:00:00,600\nMọi người sinh ra đều được tự do\n\n"
		"2\n00:00:00,600 --> 00:00:01,000\nvà bình đẳng về nhân phẩm và quyền.\n"));
	free(test_write_file(lib, "v-one/clip.en.srt",
		"1\n00:00:00,000 --> 00:00:01,000\nAll human beings are born free and equal.\n"));

	free(test_write_file(lib, "v-two/item.json",
		"{ \"id\": \"v-two\", \"type\": \"video\",\n"
		"  \"title\": { \"vi\": \"Phim hai\", \"rad\": \"Phim hai (Êđê)\" },\n"
		"  \"topics\": [ \"crc\", \"children\" ],\n"
		"  \"media\": { \"vi\": \"v.mp4\", \"rad\": \"v.rad.mp4\" } }\n"));
	sh(lib, "v-two",
	   "ffmpeg -nostdin -v error -y -f lavfi -i testsrc=s=320x180:r=25:d=2 "
	   "-f lavfi -i sine=frequency=330:duration=2 -c:v libx264 -pix_fmt yuv420p "
	   "-c:a aac -shortest v.mp4 && cp v.mp4 v.rad.mp4");
	free(test_write_file(lib, "v-two/v.vi.srt",
		"1\n00:00:00,000 --> 00:00:02,000\nQuyền trẻ em\n"));

	free(test_write_file(lib, "a-radio/item.json",
		"{ \"id\": \"a-radio\", \"type\": \"audio\",\n"
		"  \"title\": { \"vi\": \"Bản tin\", \"en\": \"Radio\" },\n"
		"  \"topics\": [ \"icescr\" ], \"media\": { \"vi\": \"radio.m4a\" } }\n"));
	sh(lib, "a-radio", "ffmpeg -nostdin -v error -y -f lavfi "
	   "-i sine=frequency=220:duration=1.5 -f lavfi -i color=c=0x00a000:s=96x96 "
	   "-map 0:a -map 1:v -frames:v 1 -c:a aac -c:v png "
	   "-disposition:v attached_pic -t 1.5 radio.m4a");
	free(test_write_file(lib, "a-radio/radio.vi.srt",
		"1\n00:00:00,000 --> 00:00:01,500\nBản tin phát thanh\n"));

	free(test_write_file(lib, "p-poster/item.json",
		"{ \"id\": \"p-poster\", \"type\": \"poster\",\n"
		"  \"title\": { \"vi\": \"Áp phích\", \"en\": \"Poster\" },\n"
		"  \"topics\": [ \"cerd\" ],\n"
		"  \"media\": { \"vi\": \"p.vi.jpg\", \"en\": \"p.en.png\" } }\n"));
	sh(lib, "p-poster",
	   "ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=s=1200x1700 -frames:v 1 p.vi.jpg && "
	   "ffmpeg -nostdin -v error -y -f lavfi -i rgbtestsrc=s=1200x1700 -frames:v 1 p.en.png");

	free(test_write_file(lib, "g-gallery/item.json",
		"{ \"id\": \"g-gallery\", \"type\": \"gallery\",\n"
		"  \"title\": { \"vi\": \"Triển lãm ảnh\", \"en\": \"Photo exhibition\" },\n"
		"  \"topics\": [ \"ethnic-minorities\" ], \"pictures\": [\n"
		"    { \"file\": \"1.jpg\", \"caption\": { \"vi\": \"Một\", \"en\": \"One\" } },\n"
		"    { \"file\": \"2.png\", \"caption\": { \"vi\": \"Hai\" } },\n"
		"    { \"file\": \"3.jpg\", \"caption\": { \"rad\": \"Tlâo\" } },\n"
		"    { \"file\": \"4.jpg\" } ] }\n"));
	sh(lib, "g-gallery",
	   "ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=s=800x600 -frames:v 1 1.jpg && "
	   "ffmpeg -nostdin -v error -y -f lavfi -i testsrc=s=600x800 -frames:v 1 2.png && "
	   "ffmpeg -nostdin -v error -y -f lavfi -i smptebars=s=1024x768 -frames:v 1 3.jpg && "
	   "ffmpeg -nostdin -v error -y -f lavfi -i mandelbrot=s=640x480 -frames:v 1 4.jpg");

	free(test_write_file(lib, "l-pdf/item.json",
		"{ \"id\": \"l-pdf\", \"type\": \"leaflet\",\n"
		"  \"title\": { \"vi\": \"Tờ rơi PDF\" },\n"
		"  \"topics\": [ \"cedaw\", \"women\" ], \"media\": { \"vi\": \"l.pdf\" } }\n"));
	char *pdf = path_join(lib, "l-pdf/l.pdf");
	char why[256];
	assert_true(test_write_pdf(pdf, 6, NULL, why, sizeof why));
	free(pdf);

	free(test_write_file(lib, "l-page/item.json",
		"{ \"id\": \"l-page\", \"type\": \"leaflet\",\n"
		"  \"title\": { \"vi\": \"Tờ rơi\", \"en\": \"Leaflet\" },\n"
		"  \"topics\": [ \"elderly\" ], \"media\": { \"vi\": \"page.png\" },\n"
		"  \"thumbnail\": \"thumb.png\" }\n"));
	sh(lib, "l-page",
	   "ffmpeg -nostdin -v error -y -f lavfi -i color=c=0xf7f3ea:s=1080x1526 "
	   "-vf drawbox=x=80:y=80:w=900:h=200:color=0x853a64:t=fill -frames:v 1 page.png && "
	   "ffmpeg -nostdin -v error -y -f lavfi -i color=c=0x853a64:s=480x270 "
	   "-frames:v 1 thumb.png");

	free(test_write_file(lib, "l-text/item.json",
		"{ \"id\": \"l-text\", \"type\": \"leaflet\",\n"
		"  \"title\": { \"vi\": \"Tờ rơi chữ\", \"en\": \"Text leaflet\" },\n"
		"  \"topics\": [ \"udhr\" ],\n"
		"  \"media\": { \"vi\": \"to-roi.vi.md\", \"en\": \"leaflet.en.md\" } }\n"));
	sh(lib, "l-text", "ffmpeg -nostdin -v error -y -f lavfi "
	   "-i testsrc2=s=640x360 -frames:v 1 pic.jpg");
	char *body = xstrdup("# Quyền con người\n\n## Êđê\n\nChữ cái: ă â ĕ ê ĭ ô ơ ŏ ŭ ư ƀ đ\n\n"
			     "![Một bức ảnh](pic.jpg)\n\n");
	for (int i = 1; i <= 30; i++) {
		char *more = xasprintf("%s%d. Mọi người sinh ra đều được **tự do** và "
				       "*bình đẳng* về nhân phẩm và quyền.\n", body, i);
		free(body);
		body = more;
	}
	free(test_write_file(lib, "l-text/to-roi.vi.md", body));
	free(body);
	body = xstrdup("# Human rights\n\n- free\n- equal\n\n");
	for (int i = 1; i <= 30; i++) {
		char *more = xasprintf("%sAll human beings are born **free** and *equal* "
				       "in dignity and rights (%d).\n\n", body, i);
		free(body);
		body = more;
	}
	free(test_write_file(lib, "l-text/leaflet.en.md", body));
	free(body);

	char *bank = test_source_path("content/quiz/human-rights.csv");
	char *quiz = path_join(lib, "quiz");
	assert_true(mkdir_parents(quiz));
	assert_int_equal(test_system("cp '%s' '%s/'", bank, quiz), 0);
	free(quiz);
	free(bank);
}

/* A copy of the shipped locales in dir with a spoken name (a short tone)
 * for vi, en and rad. */
static void make_locales(const char *dir)
{
	char *src = test_source_path("locales");
	assert_int_equal(test_system("mkdir -p '%s/prompts' && cp '%s'/*.po "
				     "'%s'/languages.json '%s'/", dir, src, src, dir), 0);
	free(src);
	static const char *const tags[] = { "vi", "en", "rad" };
	for (size_t i = 0; i < ARRAY_LEN(tags); i++) {
		assert_int_equal(test_system(
			"ffmpeg -nostdin -v error -y -f lavfi "
			"-i sine=frequency=%d:duration=0.5 -ac 1 -ar 48000 "
			"'%s/prompts/%s.wav' && sed -i 's|\"tag\": \"%s\",|\"tag\": \"%s\", "
			"\"prompt\": \"prompts/%s.wav\",|' '%s/languages.json'",
			500 + 100 * (int)i, dir, tags[i], tags[i], tags[i], tags[i], dir), 0);
	}
}

/* ---- measuring -------------------------------------------------------- */

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, resident = 0;
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%ld %ld", &size, &resident), 2);
	fclose(f);
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* A line "key:   N kB" of /proc/self/status, in kB (0 when missing). */
static long status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = 0;
	size_t n = strlen(key);
	assert_non_null(f);
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

static int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;   /* the directory's own descriptor */
}

/* The open descriptors and what each is ("3 /tmp/x/kiosk-log.sqlite\n"...),
 * to say which one is new when the count grows. Caller frees. */
static char *fd_list(void)
{
	DIR *d = opendir("/proc/self/fd");
	char *list = xstrdup("");
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		char link[64], target[512];
		snprintf(link, sizeof link, "/proc/self/fd/%.32s", e->d_name);
		ssize_t n = readlink(link, target, sizeof target - 1);
		target[n > 0 ? n : 0] = '\0';
		char *more = xasprintf("%s  %s %s\n", list, e->d_name, target);
		free(list);
		list = more;
	}
	closedir(d);
	return list;
}

/* Are RSS and mallinfo2 meaningful here (no ASan quarantine, no
 * valgrind)? */
static bool memory_meaningful(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return false;
#endif
#endif
	const char *pre = getenv("LD_PRELOAD");
	return !(pre && strstr(pre, "vgpreload"));
}

/* Bytes the program holds from malloc (all arenas and mmapped blocks):
 * when RSS grows but this does not, the growth is the allocator's (freed
 * memory it keeps, fragmentation), not ours. */
static long heap_kb(void)
{
	struct mallinfo2 mi = mallinfo2();
	return (long)((mi.uordblks + mi.hblkhd) / 1024);
}

struct sample {
	int cycle;
	double wall_s;
	long rss_kb;
	long anon_kb;            /* RssAnon: the heap, stacks, the allocator's */
	long file_kb;            /* RssFile: libraries, fonts, mapped files */
	long heap_kb;
	size_t text_lines;       /* lines in the text engine's texture cache */
	int fds;
};

static struct sample take_sample(struct app *app, int cycle, double wall_s)
{
	size_t entries = 0, hits, misses;
	text_cache_stats(app_text(app), &entries, &hits, &misses);
	malloc_trim(0);
	return (struct sample){ .cycle = cycle, .wall_s = wall_s, .rss_kb = rss_kb(),
				.anon_kb = status_kb("RssAnon"),
				.file_kb = status_kb("RssFile"), .heap_kb = heap_kb(),
				.text_lines = entries, .fds = fd_count() };
}

/* ---- the script ------------------------------------------------------- */

struct soak {
	struct app *app;
	const struct catalog *cat;
	size_t attract_pos;          /* the attract loop's item (catalog order) */
	long attract_changes;
	long natural_video_ends;     /* attract videos played to their end */
	long sessions, items_opened, quizzes, searches;
	long lang_switches;          /* changes of language (logged as such) */
	long videos_to_end;          /* visitor videos and audio that ended */
	int home_focus;              /* category index focused on home */
};

static int64_t now_ms(void)
{
	return time_mono_ms();
}

/* Milliseconds a video or audio item lasts (the first media). */
static int item_ms(const struct item *it)
{
	return strstr(it->id, "v-two") ? 2000 : strstr(it->id, "a-radio") ? 1500 : 1000;
}

/* One attract item change. natural: a video plays to its end in real
 * time; otherwise the clock is moved past the loop's cap for it. */
static void attract_change(struct soak *s, bool natural)
{
	const struct item *it = &s->cat->items[s->attract_pos];
	if (it->type == ITEM_VIDEO && natural) {
		run_for(s->app, item_ms(it) + 700);
		s->natural_video_ends++;
	} else if (it->type == ITEM_VIDEO) {
		run_for(s->app, 20);   /* started; the next one opened ahead */
		app_advance_clock(s->app, SOAK_VIDEO_CAP_MS);
		run_for(s->app, 2);
	} else {
		app_advance_clock(s->app, (int64_t)app_config(s->app)->attract_interval_s * 1000);
		run_for(s->app, 2);    /* one turn of the loop: the change, drawn */
	}
	s->attract_pos = (s->attract_pos + 1) % s->cat->n_items;
	s->attract_changes++;
}

static void attract_phase(struct soak *s)
{
	assert_string_equal(top_name(s->app), "attract");
	run_for(s->app, 20);     /* the current item shown again */
	for (int i = 0; i < SOAK_ATTRACT_PER_CYCLE; i++)
		attract_change(s, (size_t)i < s->cat->n_items);
}

/* The index on home of the category of type t (present types first, in
 * order, then Quiz, Everything, Search). */
static int home_index_of_type(struct soak *s, int t)
{
	bool present[ITEM_TYPE_COUNT] = { false };
	for (size_t i = 0; i < s->cat->n_items; i++)
		present[s->cat->items[i].type] = true;
	int idx = 0;
	for (int k = 0; k < ITEM_TYPE_COUNT; k++) {
		if (k == t)
			return idx;
		idx += present[k];
	}
	return idx;     /* t == ITEM_TYPE_COUNT: Quiz */
}

/* Move home's focus to category index and activate it. */
static void home_open(struct soak *s, int index)
{
	assert_string_equal(top_name(s->app), "home");
	while (s->home_focus < index) {
		key(s->app, SDLK_RIGHT);
		s->home_focus++;
	}
	while (s->home_focus > index) {
		key(s->app, SDLK_LEFT);
		s->home_focus--;
	}
	key(s->app, SDLK_RETURN);
}

static void touch_language(struct app *app, const char *tag)
{
	const struct lang_registry *reg = app_langs(app);
	run_for(app, 20);
	assert_string_equal(top_name(app), "langpick");
	for (size_t i = 0; i < reg->n_langs; i++) {
		if (strcmp(reg->langs[i].tag, tag) != 0)
			continue;
		SDL_Rect r;
		assert_true(scene_langpick_button(app_top(app), i, &r));
		tap_touch(app, r.x + r.w / 2, r.y + r.h / 2);
		assert_string_equal(app_lang(app), tag);
		return;
	}
	fail_msg("no language %s", tag);
}

static void wheel(struct app *app, int x, int y, int dy)
{
	SDL_Event m = { 0 };
	m.type = SDL_MOUSEMOTION;
	m.motion.x = x;
	m.motion.y = y;
	push(&m);
	SDL_Event e = { 0 };
	e.type = SDL_MOUSEWHEEL;
	e.wheel.y = dy;
	push(&e);
	run_for(app, 30);
}

/* A key to the player, while it is still on screen (a short film may
 * have ended, and a key would then act on the grid). */
static void player_key(struct app *app, SDL_Keycode sym)
{
	if (!strcmp(top_name(app), "viewer"))
		key(app, sym);
}

/* Wait for a video or audio to end by itself (the viewer then goes back to
 * the grid); Escape if it has not after a generous time. */
static void play_to_end(struct soak *s, const struct item *it)
{
	int64_t until = now_ms() + item_ms(it) * 4 + 4000;
	while (!strcmp(top_name(s->app), "viewer") && now_ms() < until)
		run_for(s->app, 50);
	if (!strcmp(top_name(s->app), "viewer"))
		key(s->app, SDLK_ESCAPE);
	else
		s->videos_to_end++;
}

/* What a visitor does with the item in the viewer, then back to the grid. */
static void use_item(struct soak *s, const struct item *it, long session)
{
	struct app *app = s->app;
	struct scene *sc = app_top(app);
	int u = app_unit(app);
	switch (it->type) {
	case ITEM_VIDEO:
	case ITEM_AUDIO:
		run_for(app, 200);
		player_key(app, SDLK_EQUALS);   /* louder */
		player_key(app, SDLK_MINUS);    /* quieter */
		if (session % 3 == 0 && it->type == ITEM_VIDEO) {
			/* play, -10 s, +10 s, then Subtitles (off) or, when
			 * the film has sound in two languages, the sound
			 * track button */
			for (int i = 0; i < 3; i++)
				player_key(app, SDLK_RIGHT);
			player_key(app, SDLK_RETURN);
		}
		player_key(app, SDLK_PAGEUP);   /* -10 s: from the start again */
		play_to_end(s, it);
		break;
	case ITEM_GALLERY:
		run_for(app, 100);
		for (int i = 0; i < 2; i++) {
			key(app, SDLK_PAGEDOWN);
			run_for(app, 60);
		}
		swipe_left(app, W, H);
		run_for(app, 60);
		assert_int_equal(scene_viewer_picture(sc), 3);
		key(app, SDLK_PLUS);
		run_for(app, 100);
		key(app, SDLK_MINUS);
		key(app, SDLK_PAGEUP);
		run_for(app, 60);
		key(app, SDLK_ESCAPE);
		break;
	case ITEM_POSTER:
	case ITEM_LEAFLET: {
		int scroll, height;
		bool large;
		run_for(app, 150);
		if (scene_viewer_text_state(sc, &scroll, &height, &large)) {
			key(app, SDLK_PAGEDOWN);
			key(app, SDLK_PAGEDOWN);
			click(app, W - 17 * u, H - 7 * u);      /* Larger text */
			run_for(app, 50);
			assert_true(scene_viewer_text_state(sc, &scroll, &height, &large));
			assert_true(large);
			key(app, SDLK_PAGEDOWN);
			click(app, W - 17 * u, H - 7 * u);      /* Normal text */
			run_for(app, 50);
		} else if (strstr(it->media[0].path, ".pdf")) {
			for (int i = 0; i < 5; i++) {
				key(app, SDLK_PAGEDOWN);
				run_for(app, 60);
			}
			assert_int_equal(scene_viewer_picture(sc), 5);
			key(app, SDLK_PLUS);
			key(app, SDLK_PLUS);
			run_for(app, 300);      /* the region drawn again, sharp */
			key(app, SDLK_PAGEUP);
			run_for(app, 60);
		} else {
			assert_non_null(scene_viewer_picview(sc));
			for (int i = 0; i < 3; i++)
				key(app, SDLK_PLUS);
			run_for(app, 200);      /* sharper decodes taken in */
			key(app, SDLK_RIGHT);
			key(app, SDLK_DOWN);
			wheel(app, W / 2, H / 2, 2);
			run_for(app, 100);
			wheel(app, W / 2, H / 2, -2);
			for (int i = 0; i < 3; i++)
				key(app, SDLK_MINUS);
		}
		key(app, SDLK_ESCAPE);
		break;
	}
	default:
		fail_msg("item %s: no script for its type", it->id);
	}
	assert_string_equal(top_name(app), "browse");
}

/* From home: the item's category, the item in the grid, use it, back. */
static void open_item(struct soak *s, size_t index, long session)
{
	const struct item *it = &s->cat->items[index];
	size_t pos = 0;
	for (size_t i = 0; i < index; i++)
		pos += s->cat->items[i].type == it->type;
	home_open(s, home_index_of_type(s, (int)it->type));
	assert_string_equal(top_name(s->app), "browse");
	run_for(s->app, 50);             /* the grid and its thumbnails */
	for (size_t i = 0; i < pos; i++)
		key(s->app, SDLK_RIGHT);
	key(s->app, SDLK_RETURN);
	assert_string_equal(top_name(s->app), "viewer");
	s->items_opened++;
	use_item(s, it, session);
	key(s->app, SDLK_ESCAPE);       /* the grid: back to home */
	assert_string_equal(top_name(s->app), "home");
}

static void take_quiz(struct soak *s, long session)
{
	struct app *app = s->app;
	home_open(s, home_index_of_type(s, ITEM_TYPE_COUNT));
	assert_string_equal(top_name(app), "quizpick");
	run_for(app, 30);
	key(app, SDLK_RETURN);          /* every topic */
	assert_string_equal(top_name(app), "quiz");
	size_t n = quiz_run_length(scene_quiz_run(app_top(app)));
	assert_true(n >= 3);
	for (size_t i = 0; i < n; i++) {
		SDL_Rect r;
		size_t k = quiz_choice_place(app, (i + (size_t)session) % 3 != 0);
		assert_true(scene_quiz_choice_rect(app_top(app), k, &r));
		tap_touch(app, r.x + r.w / 2, r.y + r.h / 2);
		assert_string_equal(scene_quiz_phase(app_top(app)), "feedback");
		key(app, SDLK_RETURN);          /* Next */
	}
	assert_string_equal(scene_quiz_phase(app_top(app)), "result");
	key(app, SDLK_ESCAPE);
	assert_string_equal(top_name(app), "quizpick");
	key(app, SDLK_ESCAPE);
	assert_string_equal(top_name(app), "home");
	s->quizzes++;
}

static void search(struct soak *s)
{
	struct app *app = s->app;
	home_open(s, home_index_of_type(s, ITEM_TYPE_COUNT) + 2);
	assert_string_equal(top_name(app), "search");
	run_for(app, 30);
	type_text(app, "quyeenf");      /* Telex: quyền */
	run_for(app, 50);
	type_text(app, " phim");
	run_for(app, 50);
	key(app, SDLK_ESCAPE);
	assert_string_equal(top_name(app), "home");
	s->searches++;
}

static const char *const first_lang[] = { "vi", "en", "rad", "jra", "mww" };
static const char *const second_lang[] = { "en", "vi", "en", "vi", "rad" };

/* One visitor, from the touch on the attract loop to home at the end (the
 * caller samples there, then lets the idle timeout end the session). */
static void visitor_session(struct soak *s, long session)
{
	struct app *app = s->app;
	int u = app_unit(app);
	tap_touch(app, W / 2, H / 3);
	touch_language(app, first_lang[session % 5]);
	assert_string_equal(top_name(app), "home");
	s->lang_switches += strcmp(first_lang[session % 5], "vi") != 0;
	s->home_focus = 0;
	s->sessions++;
	for (int j = 0; j < SOAK_ITEMS_PER_SESSION; j++) {
		size_t index = (size_t)(SOAK_ITEMS_PER_SESSION * session + j) % s->cat->n_items;
		open_item(s, index, session);
		if (j == 1) {
			/* the top bar's Language button, by touch */
			tap_touch(app, W - u - 15 * u, 6 * u);
			touch_language(app, second_lang[session % 5]);
			assert_string_equal(top_name(app), "home");
			s->lang_switches += strcmp(first_lang[session % 5],
						   second_lang[session % 5]) != 0;
		}
	}
	if (session % 2)
		take_quiz(s, session);
	else
		search(s);
}

static void end_by_idle(struct soak *s)
{
	struct app *app = s->app;
	app_advance_clock(app, (int64_t)app_config(app)->idle_timeout_s * 1000 + 1000);
	run_for(app, 50);
	assert_string_equal(top_name(app), "attract");
	assert_string_equal(app_session_id(app), "");
}

/* ---- the test --------------------------------------------------------- */

static int soak_cycles(void)
{
	const char *c = getenv("KIOSK_SOAK_CYCLES");
	const char *h = getenv("KIOSK_SOAK_HOURS");
	if (c && *c)
		return atoi(c) > 0 ? atoi(c) : 1;
	if (h && *h) {
		double hours = atof(h);
		int n = (int)ceil(hours * SOAK_CYCLES_PER_DAY / 24.0);
		return n > 0 ? n : 1;
	}
	return SOAK_DEFAULT_CYCLES;
}

static int64_t q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static double mb(long kb)
{
	return kb / 1024.0;
}

/* The limit on glibc's arenas set in main (0: glibc's default). */
static int arenas;

static void test_soak(void **state)
{
	(void)state;
	int cycles = soak_cycles();
	double hours = cycles * 24.0 / SOAK_CYCLES_PER_DAY;
	int warmup = cycles > SOAK_WARMUP_CYCLES ? SOAK_WARMUP_CYCLES : cycles / 2;
	bool check_mem = memory_meaningful();
	/* under qemu-user (a cross build's tests) RSS is the emulator's as
	 * well: its translated code grows with every path run */
	bool check_rss = check_mem && arenas > 0 && !test_emulated();
	print_message("soak: a kiosk day = %d visitor sessions (%d items each, a language "
		      "switch, a quiz or a search) + %d attract item changes; "
		      "one cycle = 1 session + %d changes = %.1f h; running %d cycles "
		      "(= %.1f h), warm-up %d\n",
		      SOAK_CYCLES_PER_DAY, SOAK_ITEMS_PER_SESSION,
		      SOAK_CYCLES_PER_DAY * SOAK_ATTRACT_PER_CYCLE, SOAK_ATTRACT_PER_CYCLE,
		      24.0 / SOAK_CYCLES_PER_DAY, cycles, hours, warmup);
	int64_t t0 = now_ms();
	char *dir = test_tmpdir();
	char *lib = path_join(dir, "lib");
	char *loc = path_join(dir, "locales");
	make_library(lib);
	make_locales(loc);
	print_message("soak: library made in %.1f s\n", (now_ms() - t0) / 1000.0);

	enum log_level level = log_get_level();
	log_set_level(LOG_LEVEL_WARN);
	unsigned errors0 = log_error_count(), warns0 = log_warn_count();

	struct kut k;
	kut_start(&k, lib, W, H);
	snprintf(k.cfg.locales_dir, sizeof k.cfg.locales_dir, "%s", loc);
	k.cfg.idle_timeout_s = 5;
	k.cfg.attract_interval_s = 8;
	struct soak s = { 0 };
	s.app = kut_app(&k);
	s.cat = app_catalog(s.app);
	assert_int_equal(s.cat->n_items, 8);
	assert_true(quiz_bank_count(app_quiz_bank(s.app), NULL) >= 10);
	run_for(s.app, 100);

	struct sample *samples = xcalloc((size_t)cycles + 1, sizeof *samples);
	int64_t start = now_ms();
	samples[0] = take_sample(s.app, 0, 0);
	char *fds_warm = warmup == 0 ? fd_list() : NULL, *fds_end = NULL;
	double attract_s = 0, session_s = 0;
	for (int c = 1; c <= cycles; c++) {
		int64_t a = now_ms();
		attract_phase(&s);
		int64_t b = now_ms();
		visitor_session(&s, c - 1);
		attract_s += (b - a) / 1000.0;
		session_s += (now_ms() - b) / 1000.0;
		samples[c] = take_sample(s.app, c, (now_ms() - start) / 1000.0);
		print_message("soak: cycle %d/%d (%.1f h): RSS %.1f MB (anon %.1f, file %.1f; "
			      "malloc'd %.1f; %zu text lines), %d fds, %.0f s (attract loop "
			      "%.1f s, session %.1f s)\n",
			      c, cycles, c * 24.0 / SOAK_CYCLES_PER_DAY,
			      mb(samples[c].rss_kb), mb(samples[c].anon_kb),
			      mb(samples[c].file_kb), mb(samples[c].heap_kb),
			      samples[c].text_lines, samples[c].fds, samples[c].wall_s,
			      (b - a) / 1000.0, (now_ms() - b) / 1000.0);
		if (c == warmup)
			fds_warm = fd_list();
		if (c == cycles)
			fds_end = fd_list();
		end_by_idle(&s);
	}
	double wall = (now_ms() - start) / 1000.0;
	long peak = status_kb("VmHWM");
	unsigned errors = log_error_count() - errors0, warns = log_warn_count() - warns0;

	/* the samples, for a curve */
	char *csv = test_build_path("soak-samples.csv");
	FILE *f = fopen(csv, "w");
	assert_non_null(f);
	fprintf(f, "cycle,hours,wall_s,rss_kb,rss_anon_kb,rss_file_kb,malloc_kb,"
		   "text_lines,fds\n");
	for (int c = 0; c <= cycles; c++)
		fprintf(f, "%d,%.2f,%.1f,%ld,%ld,%ld,%ld,%zu,%d\n", samples[c].cycle,
			samples[c].cycle * 24.0 / SOAK_CYCLES_PER_DAY, samples[c].wall_s,
			samples[c].rss_kb, samples[c].anon_kb, samples[c].file_kb,
			samples[c].heap_kb, samples[c].text_lines, samples[c].fds);
	assert_int_equal(fclose(f), 0);

	long after_warmup = samples[warmup].rss_kb, end = samples[cycles].rss_kb;
	long max_after = after_warmup;
	for (int c = warmup; c <= cycles; c++)
		if (samples[c].rss_kb > max_after)
			max_after = samples[c].rss_kb;
	long growth = end - after_warmup;
	long heap_growth = samples[cycles].heap_kb - samples[warmup].heap_kb;
	print_message("soak: did %ld attract changes (%ld videos to their end), %ld sessions, "
		      "%ld items opened (%ld played to their end), %ld language switches, "
		      "%ld quizzes, %ld searches; %u warnings, %u errors logged\n",
		      s.attract_changes, s.natural_video_ends, s.sessions, s.items_opened,
		      s.videos_to_end, s.lang_switches, s.quizzes, s.searches, warns, errors);
	char alloc[64];
	if (arenas > 0)
		snprintf(alloc, sizeof alloc, "at most %d arenas (M_ARENA_MAX)", arenas);
	else
		snprintf(alloc, sizeof alloc, "glibc's default arenas");
	print_message("soak: time: attract loop %.0f s, visitor sessions %.0f s; allocator: "
		      "%s; malloc'd after warm-up/end %.1f/%.1f MB (growth %.2f MB)%s\n",
		      attract_s, session_s, alloc,
		      mb(samples[warmup].heap_kb), mb(samples[cycles].heap_kb), mb(heap_growth),
		      check_mem ? "" : " (not checked: sanitizer or valgrind)");
	print_message("soak: %d cycles (= %.1f hours of a kiosk day), RSS start/after "
		      "warm-up/end/max %.1f/%.1f/%.1f/%.1f MB (largest sample after the "
		      "warm-up %.1f MB), growth %.2f MB, fds start/end %d/%d, wall time "
		      "%.0f s%s\n",
		      cycles, hours, mb(samples[0].rss_kb), mb(after_warmup), mb(end),
		      mb(peak), mb(max_after), mb(growth), samples[0].fds,
		      samples[cycles].fds, wall,
		      check_rss ? "" : !check_mem ? " (RSS not checked: sanitizer or valgrind)"
		      : test_emulated() ? " (RSS not checked: under an emulator, whose own "
				   "memory it counts)"
		      : " (RSS not checked: glibc's default arenas)");
	print_message("soak: samples in %s\n", csv);
	free(csv);

	/* the log holds what the script did */
	sqlite3 *db = kut_stop_open_log(&k);
	assert_int_equal(q_int(db, "SELECT count(*) FROM sessions"), cycles);
	assert_int_equal(q_int(db, "SELECT count(*) FROM sessions WHERE end_reason = 'idle'"),
			 cycles);
	assert_int_equal(q_int(db, "SELECT count(*) FROM views"),
			 (int64_t)cycles * SOAK_ITEMS_PER_SESSION);
	assert_int_equal(q_int(db, "SELECT count(*) FROM lang_switches"), s.lang_switches);
	assert_int_equal(q_int(db, "SELECT count(*) FROM quiz_attempts WHERE completed = 1"),
			 s.quizzes);
	kut_close_log(&k, db);
	log_set_level(level);

	/* after the warm-up: no more descriptors (one held for a moment at
	 * the end of the warm-up, a thumbnail being written, may be gone
	 * later), memory within the bound. A run without two cycles after
	 * a warm-up of two checks only the script and the log. */
	if (samples[cycles].fds != samples[warmup].fds || getenv("KIOSK_SOAK_SHOW_FDS"))
		print_message("soak: descriptors after the warm-up:\n%s"
			      "soak: at the end:\n%s", fds_warm, fds_end);
	free(fds_warm);
	free(fds_end);
	if (warmup < 2 || cycles - warmup < 2) {
		print_message("soak: too short to check growth (%d cycles, warm-up %d)\n",
			      cycles, warmup);
	} else {
		for (int c = warmup; c <= cycles; c++)
			assert_true(samples[c].fds <= samples[warmup].fds);
		if (check_mem)
			assert_true(heap_growth < SOAK_MAX_GROWTH_KB);
		if (check_rss)
			assert_true(growth < SOAK_MAX_GROWTH_KB);
	}
	free(samples);
	test_rmtree(dir);
	free(loc);
	free(lib);
	free(dir);
}

int main(void)
{
	/* before any thread has allocated (see the file's header) */
	const char *a = getenv("KIOSK_SOAK_ARENAS");
	arenas = a && *a ? atoi(a) : 2;
	if (arenas > 0)
		mallopt(M_ARENA_MAX, arenas);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_soak),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
