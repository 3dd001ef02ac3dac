/*
 * diag: a list of problems found in input files, each with the file, line
 * and column where it was found, printed as `file:line:col: message` (the
 * form compilers use, so editors can jump to it).
 */
#ifndef KIOSK_BASE_DIAG_H
#define KIOSK_BASE_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum diag_severity {
	DIAG_ERROR = 0,   /* the thing is unusable; `kiosk check` fails */
	DIAG_WARNING,     /* usable, but something is off */
};

struct diag {
	enum diag_severity severity;
	char *file;       /* path as given to the loader; never NULL */
	int line;         /* 1-based; 0 when not known */
	int col;          /* 1-based; 0 when not known */
	char *message;    /* what is wrong, without the location prefix */
};

struct diag_list {
	struct diag *items;
	size_t len, cap;
};

/* init/finish for an embedded list; finish frees every entry. */
void diag_list_init(struct diag_list *list);
void diag_list_finish(struct diag_list *list);

/* Append one problem. list may be NULL (the problem is then dropped). */
void diag_add(struct diag_list *list, enum diag_severity sev, const char *file,
	      int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

size_t diag_count(const struct diag_list *list, enum diag_severity sev);

/* Format one entry as "file:line:col: severity: message" into a new string
 * (caller frees). line/col are left out when 0. */
char *diag_format(const struct diag *d);

/* Print every entry, one per line, to out. */
void diag_print(const struct diag_list *list, FILE *out);

#endif
