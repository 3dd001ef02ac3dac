/*
 * cli_check: `kiosk check [--coverage] [DIR]`, validate a content library
 * (items and quiz banks)
 * and the language registry, printing every problem as file:line:col; with
 * --coverage, then a table of how far each language reaches.
 */
#include "cli/cli.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/log.h>

#include "base/diag.h"
#include "base/jsonpos.h"
#include "base/log.h"
#include "base/util.h"
#include "content/catalog.h"
#include "content/coverage.h"
#include "content/glyphcheck.h"
#include "quiz/bank.h"
#include "i18n/lang.h"

static void usage(FILE *out)
{
	fputs("usage: kiosk check [DIR]\n"
	      "       kiosk check --coverage [DIR]\n"
	      "\n"
	      "Validate the content library in DIR (default: content_dir from\n"
	      "the config) and the languages.json in locales_dir: JSON syntax,\n"
	      "unknown keys, languages and topics, ids, dates, that every\n"
	      "media file and thumbnail exists and decodes, and that the fonts\n"
	      "(font and font_fallback) can draw every character of the PO\n"
	      "files' translations, the items' titles, summaries and captions,\n"
	      "the text leaflets, the subtitle files and the quiz questions.\n"
	      "The quiz banks in DIR/quiz (spreadsheets saved as CSV, Moodle\n"
	      "GIFT files; see content/QUIZ-BANKS.md) are read as the kiosk\n"
	      "reads them: every question left out is named by file and line.\n"
	      "Prints one line per problem as file:line:col: severity: message,\n"
	      "then a summary. Exits 0 when there are no errors, 1 when there\n"
	      "are, 2 on a usage error.\n"
	      "\n"
	      "  --coverage  then print, per language, the UI strings translated\n"
	      "              (of the default language's PO file), the items with\n"
	      "              media in it (a gallery: every picture captioned) and\n"
	      "              with a title in it, and the share of items in a\n"
	      "              minority or foreign language against the 15-20 %\n"
	      "              target. The exit status stays that of the check.\n",
	      out);
}

/* -------------------------------------------------------------- characters */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files in dir ending in "." ext1 or "." ext2, as full paths, sorted
 * by name; *n gets their number. Caller frees each and the array. */
static char **files_with_ext(const char *dir, const char *ext1,
			     const char *ext2, size_t *n)
{
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	size_t cap = 0;
	char **names = NULL;
	for (struct dirent *de; (de = readdir(d));) {
		if (de->d_name[0] == '.' ||
		    !(path_has_ext(de->d_name, ext1) ||
		      (ext2 && path_has_ext(de->d_name, ext2))))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof *names, cmp_names);
	for (size_t i = 0; i < *n; i++) {
		char *full = path_join(dir, names[i]);
		free(names[i]);
		names[i] = full;
	}
	return names;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The texts of item.json a visitor sees (titles, summaries, captions),
 * each at the line of its value. */
static void check_item_texts(struct glyphcheck *gc, const struct item *it,
			     struct diag_list *diags)
{
	char *file = path_join(it->dir, "item.json");
	size_t len = 0;
	char *json = file_read_all(file, &len);
	int line = 0, col = 0;
	for (size_t i = 0; i < it->n_texts; i++) {
		const struct item_text *t = &it->texts[i];
		if (json)
			json_locate(json, len, (const struct jstep[]){
				JK("title"), JK(t->lang) }, 2, false, &line, &col);
		glyphcheck_report(gc, t->title, strlen(t->title), file, line, diags);
		if (!t->summary)
			continue;
		if (json)
			json_locate(json, len, (const struct jstep[]){
				JK("summary"), JK(t->lang) }, 2, false, &line, &col);
		glyphcheck_report(gc, t->summary, strlen(t->summary), file, line,
				  diags);
	}
	for (size_t p = 0; p < it->n_pictures; p++)
		for (size_t c = 0; c < it->pictures[p].n_captions; c++) {
			const struct item_caption *cap = &it->pictures[p].captions[c];
			if (json)
				json_locate(json, len, (const struct jstep[]){
					JK("pictures"), JI(p), JK("caption"),
					JK(cap->lang) }, 4, false, &line, &col);
			glyphcheck_report(gc, cap->text, strlen(cap->text), file,
					  line, diags);
		}
	free(json);
	free(file);
}

/* An item's text leaflets (media in .md) and its subtitle files (.srt and
 * .vtt in its folder), line by line. */
static void check_item_files(struct glyphcheck *gc, const struct item *it,
			     struct diag_list *diags)
{
	for (size_t i = 0; i < it->n_media; i++) {
		const char *path = it->media[i].path;
		bool again = false;
		for (size_t k = 0; k < i && !again; k++)
			again = strcmp(it->media[k].path, path) == 0;
		if (!again && path_has_ext(path, "md"))
			glyphcheck_file(gc, path, diags);
	}
	size_t n;
	char **subs = files_with_ext(it->dir, "srt", "vtt", &n);
	for (size_t i = 0; i < n; i++)
		glyphcheck_file(gc, subs[i], diags);
	free_names(subs, n);
}

/* The texts of a quiz question, at the line where it starts. */
static void check_question_texts(struct glyphcheck *gc,
				 const struct quiz_question *q,
				 struct diag_list *diags)
{
	const char *texts[2 + 2 * QUIZ_MAX_CHOICES];
	size_t n = 0;
	texts[n++] = q->text;
	texts[n++] = q->explanation;
	for (size_t i = 0; i < q->n_choices; i++) {
		if (!q->true_false)
			texts[n++] = q->choices[i];
		texts[n++] = q->feedback[i];
	}
	for (size_t i = 0; i < n; i++)
		if (texts[i])
			glyphcheck_report(gc, texts[i], strlen(texts[i]), q->file,
					  q->line, diags);
}

/* Warn about every character the configured fonts cannot draw: in the
 * translations of the PO files in locales_dir, item by item, then in the
 * quiz questions. Skipped when no font is configured. */
static void check_characters(const struct kiosk_config *cfg,
			     const struct catalog *cat,
			     const struct quiz_bank *bank,
			     struct diag_list *diags)
{
	size_t n_fallback = 0;
	const char **fallback = config_split_paths(cfg->font_fallback, &n_fallback);
	const char **paths = xcalloc(n_fallback + 1, sizeof *paths);
	size_t n = 0;
	if (cfg->font_path[0])
		paths[n++] = cfg->font_path;
	for (size_t i = 0; i < n_fallback; i++)
		paths[n++] = fallback[i];
	struct glyphcheck *gc = n ? glyphcheck_create(paths, n, diags) : NULL;
	free(paths);
	free(fallback);
	if (!gc || glyphcheck_font_count(gc) == 0) {
		glyphcheck_destroy(gc);
		return;
	}
	size_t n_po;
	char **po = files_with_ext(cfg->locales_dir, "po", NULL, &n_po);
	for (size_t i = 0; i < n_po; i++)
		glyphcheck_po_file(gc, po[i], diags);
	free_names(po, n_po);
	for (size_t i = 0; cat && i < cat->n_items; i++) {
		check_item_texts(gc, &cat->items[i], diags);
		check_item_files(gc, &cat->items[i], diags);
	}
	for (size_t i = 0; i < bank->n; i++)
		check_question_texts(gc, &bank->questions[i], diags);
	glyphcheck_destroy(gc);
}

/* ---------------------------------------------------------- coverage table */

/* Columns on screen of a UTF-8 string: code points, less combining
 * diacritics (U+0300..U+036F, as decomposed Vietnamese has them). Enough
 * for the endonyms of languages.json; no East Asian wide characters. */
static size_t text_width(const char *s)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		if ((p[0] == 0xCC && (p[1] & 0xC0) == 0x80) ||
		    (p[0] == 0xCD && p[1] >= 0x80 && p[1] <= 0xAF))
			continue;
		w++;
	}
	return w;
}

static const char *kind_name(enum lang_kind kind)
{
	switch (kind) {
	case LANG_NATIONAL: return "national";
	case LANG_MINORITY: return "minority";
	case LANG_FOREIGN:  return "foreign";
	}
	return "?";
}

/* "  3/4   75.0 %": part right-aligned to the digits of whole. */
static char *ratio_cell(size_t part, size_t whole)
{
	int digits = snprintf(NULL, 0, "%zu", whole);
	return xasprintf("%*zu/%zu %5.1f %%", digits, part, whole,
			 coverage_percent(part, whole));
}

enum { COV_COLS = 7 };

/* Print the table of cov, columns padded to the widest cell; numbers are
 * right-aligned, text left-aligned; no trailing blanks. */
static void print_coverage(const struct coverage *cov, const char *default_tag)
{
	static const char *const head[COV_COLS] = {
		"tag", "endonym", "kind", "UI strings", "fuzzy", "items",
		"titles",
	};
	static const bool right[COV_COLS] = {
		false, false, false, false, true, false, false,
	};
	size_t rows = cov->n_langs + 1;
	char **cell = xcalloc(rows * COV_COLS, sizeof *cell);
	for (int c = 0; c < COV_COLS; c++)
		cell[c] = xstrdup(head[c]);
	for (size_t r = 1; r < rows; r++) {
		const struct coverage_lang *cl = &cov->langs[r - 1];
		char **row = cell + r * COV_COLS;
		row[0] = xstrdup(cl->lang->tag);
		row[1] = xstrdup(cl->lang->endonym);
		row[2] = xstrdup(kind_name(cl->lang->kind));
		row[3] = cl->po == COVERAGE_PO_MISSING ? xstrdup("no PO file")
			 : cl->po == COVERAGE_PO_UNREADABLE ? xstrdup("PO unreadable")
			 : ratio_cell(cl->strings_translated, cov->strings_total);
		row[4] = xasprintf("%zu", cl->strings_fuzzy);
		row[5] = ratio_cell(cl->items_media, cov->items_total);
		row[6] = ratio_cell(cl->items_titled, cov->items_total);
	}
	size_t width[COV_COLS] = { 0 };
	for (size_t r = 0; r < rows; r++)
		for (int c = 0; c < COV_COLS; c++) {
			size_t w = text_width(cell[r * COV_COLS + c]);
			if (w > width[c])
				width[c] = w;
		}

	printf("\ncoverage: %zu items, %zu UI strings in %s.po\n",
	       cov->items_total, cov->strings_total, default_tag);
	for (size_t r = 0; r < rows; r++) {
		for (int c = 0; c < COV_COLS; c++) {
			const char *s = cell[r * COV_COLS + c];
			int pad = (int)(width[c] - text_width(s));
			bool last = c == COV_COLS - 1;
			if (right[c])
				printf("%*s%s", pad, "", s);
			else if (last)
				fputs(s, stdout);
			else
				printf("%s%*s", s, pad, "");
			fputs(last ? "\n" : "  ", stdout);
		}
	}
	for (size_t i = 0; i < rows * COV_COLS; i++)
		free(cell[i]);
	free(cell);

	printf("items in minority or foreign languages: %zu of %zu (%.1f %%) "
	       "\u2014 target %d-%d %%: ", cov->items_minority_foreign,
	       cov->items_total,
	       coverage_percent(cov->items_minority_foreign, cov->items_total),
	       COVERAGE_TARGET_MIN_PERCENT, COVERAGE_TARGET_MAX_PERCENT);
	if (cov->items_total == 0)
		puts("no items");
	else if (coverage_target_met(cov))
		puts("met");
	else
		printf("not met, %zu more items needed\n",
		       coverage_items_missing(cov));
}

int cli_check_main(struct kiosk_config *cfg, int argc, char **argv)
{
	const char *dir = NULL;
	bool coverage = false;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(arg, "--coverage") == 0) {
			coverage = true;
			continue;
		}
		if (strcmp(arg, "--") == 0 && i + 1 < argc && !dir) {
			dir = argv[++i];
			continue;
		}
		if (arg[0] == '-' || dir) {
			fprintf(stderr, "kiosk check: %s '%s'\n",
				arg[0] == '-' ? "unknown option" : "unexpected argument",
				arg);
			usage(stderr);
			return 2;
		}
		dir = arg;
	}
	if (!dir)
		dir = cfg->content_dir;

	struct diag_list diags;
	diag_list_init(&diags);

	/* The problems are the output; the loaders' log lines and libav's
	 * own complaints about broken files would only repeat them. */
	enum log_level level = log_get_level();
	int av_level = av_log_get_level();
	if (level < LOG_LEVEL_DEBUG) {
		log_set_level(LOG_LEVEL_ERROR);
		av_log_set_level(AV_LOG_QUIET);
	}

	char *langs_path = path_join(cfg->locales_dir, "languages.json");
	struct lang_registry *langs = lang_registry_load(langs_path, &diags);
	if (!langs)
		langs = lang_registry_builtin();
	struct catalog *cat = catalog_load(dir, langs, CATALOG_PROBE_MEDIA,
					   &diags);
	char *quiz_dir = path_join(dir, CATALOG_QUIZ_FOLDER);
	struct quiz_bank *bank = quiz_bank_load_dir(quiz_dir, langs, &diags);
	free(quiz_dir);
	check_characters(cfg, cat, bank, &diags);
	av_log_set_level(av_level);
	log_set_level(level);

	diag_print(&diags, stdout);
	size_t errors = diag_count(&diags, DIAG_ERROR);
	size_t warnings = diag_count(&diags, DIAG_WARNING);
	if (bank->n)
		printf("%zu quiz questions (%zu with their translations)\n",
		       quiz_bank_count(bank, NULL), bank->n);
	printf("%zu items, %zu errors, %zu warnings\n", cat ? cat->n_items : 0,
	       errors, warnings);
	if (coverage) {
		struct coverage cov;
		coverage_compute(cat, langs, cfg->locales_dir, &cov);
		print_coverage(&cov, langs->default_tag);
		coverage_finish(&cov);
	}
	fflush(stdout);

	catalog_destroy(cat);
	quiz_bank_destroy(bank);
	lang_registry_destroy(langs);
	free(langs_path);
	diag_list_finish(&diags);
	return errors ? 1 : 0;
}
