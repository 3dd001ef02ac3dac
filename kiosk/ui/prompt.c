/*
 * prompt: one short sound at a time, through the player (see prompt.h).
 */
#include "ui/prompt.h"

#include <stdlib.h>

#include "base/log.h"
#include "base/util.h"
#include "media/movie.h"

struct prompt {
	struct movie *movie;   /* NULL when silent */
	char *path;
};

struct prompt *prompt_create(void)
{
	return xcalloc(1, sizeof(struct prompt));
}

void prompt_stop(struct prompt *p)
{
	if (!p)
		return;
	movie_close(p->movie);
	p->movie = NULL;
	free(p->path);
	p->path = NULL;
}

void prompt_destroy(struct prompt *p)
{
	prompt_stop(p);
	free(p);
}

bool prompt_play(struct prompt *p, const char *path, double volume)
{
	prompt_stop(p);
	struct movie_options opt = { .volume = volume };
	char err[256];
	struct movie *m = movie_open(path, &opt, err, sizeof err);
	if (!m) {
		log_warn("%s: cannot play the spoken prompt: %s", path, err);
		return false;
	}
	if (!movie_has_audio(m)) {
		log_warn("%s: the spoken prompt has no sound stream", path);
		movie_close(m);
		return false;
	}
	p->movie = m;
	p->path = xstrdup(path);
	return true;
}

const char *prompt_playing(struct prompt *p)
{
	if (!p || !p->movie)
		return NULL;
	char err[256];
	if (movie_failed(p->movie, err, sizeof err)) {
		log_warn("%s: the spoken prompt failed: %s", p->path, err);
		prompt_stop(p);
	} else if (movie_finished(p->movie)) {
		prompt_stop(p);
	}
	return p->path;
}

double prompt_position_s(struct prompt *p)
{
	return p && p->movie ? movie_position_s(p->movie) : 0.0;
}
