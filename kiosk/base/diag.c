/*
 * diag: located problem reports (see diag.h).
 */
#include "base/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void diag_list_init(struct diag_list *list)
{
	memset(list, 0, sizeof *list);
}

void diag_list_finish(struct diag_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->len; i++) {
		free(list->items[i].file);
		free(list->items[i].message);
	}
	free(list->items);
	memset(list, 0, sizeof *list);
}

void diag_add(struct diag_list *list, enum diag_severity sev, const char *file,
	      int line, int col, const char *fmt, ...)
{
	if (!list)
		return;
	if (list->len == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 8;
		list->items = xrealloc(list->items, list->cap * sizeof *list->items);
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	list->items[list->len++] = (struct diag){
		.severity = sev,
		.file = xstrdup(file ? file : "?"),
		.line = line,
		.col = col,
		.message = msg,
	};
}

size_t diag_count(const struct diag_list *list, enum diag_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < list->len; i++)
		n += list->items[i].severity == sev;
	return n;
}

char *diag_format(const struct diag *d)
{
	const char *sev = d->severity == DIAG_ERROR ? "error" : "warning";
	if (d->line > 0 && d->col > 0)
		return xasprintf("%s:%d:%d: %s: %s", d->file, d->line, d->col,
				 sev, d->message);
	if (d->line > 0)
		return xasprintf("%s:%d: %s: %s", d->file, d->line, sev,
				 d->message);
	return xasprintf("%s: %s: %s", d->file, sev, d->message);
}

void diag_print(const struct diag_list *list, FILE *out)
{
	for (size_t i = 0; i < list->len; i++) {
		char *s = diag_format(&list->items[i]);
		fprintf(out, "%s\n", s);
		free(s);
	}
}
