/*
 * test_report_render: the yearly report through the real program, then
 * through the programs people open it with.
 *
 * A log is written with the store (a year's worth of sessions and views
 * in four languages, forty items, one titled in Vietnamese and one
 * beginning with '=' and holding <script>, a class contest, problems),
 * then `kiosk report -o DIR LOG` writes report.html and the CSV files.
 *
 *   - Headless Chromium renders report.html to a PNG (checked not blank)
 *     and prints it to PDF: A4, at least two pages and not absurdly many,
 *     no page blank (each rasterised with pdftoppm and loaded with the
 *     kiosk's image loader), and pdftotext finds the totals written the
 *     Vietnamese way (1.213 sessions, 2.437 views), Vietnamese text with
 *     its diacritics, and with --lang en the English heading and numbers.
 *   - LibreOffice opens report-items.csv (UTF-8, formulas evaluated: the
 *     hostile setting), saves it as ODS, then exports the ODS back to
 *     CSV: the Vietnamese title comes back byte for byte and the title
 *     beginning with '=' comes back as the text written, not a formula's
 *     result. A control file with a bare formula, converted the same way,
 *     shows that formulas were indeed evaluated.
 *
 * The files are left in the build directory to look at:
 * report-render-vi/ (report.html, the CSV files, report.png, report.pdf)
 * and report-render-en/.
 *
 * chromium, pdfinfo, pdftotext, pdftoppm and LibreOffice (soffice) must be
 * installed: `./setup.sh test` installs them. A missing one fails the
 * test, saying so.
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
#include "media/image.h"
#include "report/csvread.h"
#include "store/store.h"
#include "test_support.h"

#define N_ITEMS 40
#define N_SESSIONS 1213
#define N_VIEWS 2437
#define SESSIONS_VI "1.213"
#define VIEWS_VI "2.437"
#define SESSIONS_EN "1,213"
#define VIEWS_EN "2,437"

#define VN_TITLE "Quyền trẻ em — Điều 12"
#define EVIL_TITLE "=SUM(1,2) <script>alert(1)</script>"

/* How long an outside program may take (seconds). */
#define TOOL_TIMEOUT 180

static char *tmp;

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tmp = test_tmpdir();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_rmtree(tmp);
	free(tmp);
	tmp = NULL;
	return 0;
}

/* ------------------------------------------------------------------------
 * The log
 * ------------------------------------------------------------------------ */

static const char *const view_langs[] = {
	"vi", "vi", "vi", "rad", "vi", "jra", "vi", "en", "vi", "rad",
};

static void item_id(int i, char out[16])
{
	snprintf(out, 16, "item-%02d", i);
}

static char *item_title(int i)
{
	if (i == 0)
		return xstrdup(VN_TITLE);
	if (i == 1)
		return xstrdup(EVIL_TITLE);
	return xasprintf("Bài %d: Quyền bình đẳng của đồng bào", i);
}

/* What the kiosk would log in a busy period: N_SESSIONS sessions with
 * N_VIEWS views between them, in two villages. */
static char *write_log(void)
{
	char *path = path_join(tmp, "kiosk-01.sqlite");
	struct store_identity id = { .kiosk_id = "kiosk-01",
				     .site = "Làng Kon Klor" };
	struct store *st = store_open(path, &id);
	assert_non_null(st);
	store_run_begin(st, "test");

	/* the library: every item in Vietnamese, some in minority languages
	 * and in English */
	static const char *const topics[] = {
		"crc children", "cedaw women", "crpd disability", "iccpr",
		"udhr", "ethnic-minorities", "cat", "",
	};
	for (int i = 0; i < N_ITEMS; i++) {
		char iid[16];
		item_id(i, iid);
		char *title = item_title(i);
		struct store_library_item li = {
			.item_id = iid, .lang = "vi", .item_kind = "video",
			.lang_kind = "national", .topics = topics[i % 8],
			.title = title,
		};
		store_library_item(st, &li);
		if (i < 6) {
			li.lang = "rad";
			li.lang_kind = "minority";
			store_library_item(st, &li);
		}
		if (i < 2) {
			li.lang = "jra";
			store_library_item(st, &li);
			li.lang = "en";
			li.lang_kind = "foreign";
			store_library_item(st, &li);
		}
		free(title);
	}

	int views = 0;
	char session[STORE_UUID_LEN], view[STORE_UUID_LEN];
	for (int s = 0; s < N_SESSIONS; s++) {
		if (s == N_SESSIONS / 2)
			store_set_site(st, "Buôn Đôn");
		const char *lang = view_langs[s % 10];
		store_session_begin(st, lang, session);
		int n = 2 + (s < N_VIEWS - 2 * N_SESSIONS);
		for (int k = 0; k < n; k++, views++) {
			char iid[16];
			int item = (views * 7) % N_ITEMS;
			/* the minority items are watched in their language */
			item_id(item, iid);
			const char *vl = item < 6 ? lang : "vi";
			if (item >= 2 && (!strcmp(vl, "jra") ||
					  !strcmp(vl, "en")))
				vl = "vi";
			store_view_begin(st, session, iid, vl, view);
			store_view_end(st, view, 10.0 + views % 50,
				       views % 3 == 0);
		}
		store_session_end(st, session, "idle");
	}
	assert_int_equal(views, N_VIEWS);

	/* a class contest of three students, and a solo practice */
	struct store_contest c = { .class_name = "Lớp 8A", .topic = "crc",
				   .n_questions = 2,
				   .seconds_per_question = 30 };
	char contest[STORE_UUID_LEN], attempt[STORE_UUID_LEN];
	store_contest_begin(st, &c, contest);
	static const char *const players[] = { "Hùng", "Lan", "Hoa", NULL };
	for (int p = 0; p < 4; p++) {
		struct store_quiz q = {
			.contest = players[p] ? contest : NULL,
			.player = players[p], .topic = "crc", .lang = "vi",
			.n_questions = 2,
		};
		store_quiz_begin(st, session, &q, attempt);
		int score = 0;
		for (int k = 1; k <= 2; k++) {
			bool right = (p + k) % 2 == 0;
			struct store_quiz_answer a = {
				.position = k, .question_id = k == 1 ? "q1" : "q2",
				.question_lang = "vi",
				.question_text = "Trẻ em có quyền gì?",
				.chosen = right ? "1" : "2",
				.chosen_text = right ? "Được học" : "Không",
				.correct = right, .ms = 4000 + 100 * k,
			};
			store_quiz_answer(st, attempt, &a);
			score += right;
		}
		store_quiz_end(st, attempt, score, 2, 8.3, true);
	}
	store_contest_mark(st, contest, STORE_CONTEST_ENDED);

	store_problem(st, true, "audio: device lost");
	store_problem(st, false, "thumbnail: slow <decode>");
	assert_true(store_flush(st));
	store_close(st);
	return path;
}

/* ------------------------------------------------------------------------
 * Tools
 * ------------------------------------------------------------------------ */

static bool have(const char *program)
{
	return test_system("command -v '%s' >/dev/null 2>&1", program) == 0;
}

/* The first of names that is installed; fails the test when none is. */
static const char *need(const char *const *names, const char *package)
{
	for (int i = 0; names[i]; i++)
		if (have(names[i]))
			return names[i];
	fail_msg("%s is not installed (Debian package %s): run ./setup.sh "
		 "test, which installs the test tools", names[0], package);
	return NULL;
}

static const char *chromium(void)
{
	static const char *const names[] = { "chromium", "chromium-browser",
					     NULL };
	return need(names, "chromium");
}

static const char *soffice(void)
{
	static const char *const names[] = { "soffice", "libreoffice", NULL };
	return need(names, "libreoffice-calc-nogui");
}

static void need_poppler(void)
{
	static const char *const pdfinfo[] = { "pdfinfo", NULL };
	static const char *const pdftotext[] = { "pdftotext", NULL };
	static const char *const pdftoppm[] = { "pdftoppm", NULL };
	need(pdfinfo, "poppler-utils");
	need(pdftotext, "poppler-utils");
	need(pdftoppm, "poppler-utils");
}

/* Run a command; on failure print its log and fail. */
static void run(const char *what, const char *log, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void run(const char *what, const char *log, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = xvasprintf(fmt, ap);
	va_end(ap);
	int rc = test_system("%s", cmd);
	if (rc != 0) {
		char *text = log ? file_read_all(log, NULL) : NULL;
		print_message("%s\n%s\n", cmd, text ? text : "");
		free(text);
		free(cmd);
		fail_msg("%s failed (exit %d)", what, rc);
	}
	free(cmd);
}

static char *read_text(const char *path)
{
	char *s = file_read_all(path, NULL);
	if (!s)
		fail_msg("%s was not written", path);
	return s;
}

/* ------------------------------------------------------------------------
 * The report through the real program
 * ------------------------------------------------------------------------ */

/* A fresh directory in the build tree for lang's report; caller frees. */
static char *out_dir(const char *lang)
{
	char *name = xasprintf("report-render-%s", lang);
	char *dir = test_build_path(name);
	free(name);
	test_rmtree(dir);
	return dir;
}

/* `kiosk report -o dir [--lang en] log`; checks it names report.html. */
static void kiosk_report(const char *log, const char *dir, const char *lang)
{
	char *kiosk = test_program("kiosk/kiosk");
	char *src = test_source_path("locales");
	char *conf_text = xasprintf("locales_dir = %s\ndata_dir = %s/data\n"
				    "kiosk_id = kiosk-01\n", src, tmp);
	char *conf = test_write_file(tmp, "kiosk.conf", conf_text);
	char *out = path_join(tmp, "report.out");
	char *err = path_join(tmp, "report.err");
	run("kiosk report", err, "'%s' --config '%s' report -o '%s' %s%s '%s' "
	    "> '%s' 2> '%s'", kiosk, conf, dir, lang ? "--lang " : "",
	    lang ? lang : "", log, out, err);
	char *text = read_text(out);
	char *want = path_join(dir, "report.html\n");
	if (!strstr(text, want))
		fail_msg("kiosk report did not name %s; it printed:\n%s", want,
			 text);
	assert_non_null(strstr(text, "report-items.csv\n"));
	free(want);
	free(text);
	free(err);
	free(out);
	free(conf);
	free(conf_text);
	free(src);
	free(kiosk);
}

/* ------------------------------------------------------------------------
 * Chromium and the PDF
 * ------------------------------------------------------------------------ */

static void chromium_run(const char *html, const char *what_flag,
			 const char *what)
{
	char *profile = path_join(tmp, "chromium-profile");
	char *log = path_join(tmp, "chromium.log");
	run(what, log, "HOME='%s' timeout %d '%s' --headless --no-sandbox "
	    "--disable-gpu --hide-scrollbars --no-first-run "
	    "--no-default-browser-check --user-data-dir='%s' "
	    "--no-pdf-header-footer --print-to-pdf-no-header %s "
	    "'file://%s' > '%s' 2>&1", tmp, TOOL_TIMEOUT, chromium(), profile,
	    what_flag, html, log);
	free(log);
	free(profile);
}

/* Whether a picture holds something: at least 0.2 % of its pixels differ
 * clearly from its top-left pixel (the page's background). */
static void check_not_blank(const char *png, const char *what)
{
	char err[256];
	struct image *img = image_load(png, 0, 0, err, sizeof err);
	if (!img)
		fail_msg("%s: %s", what, err);
	const uint8_t *bg = img->pixels;
	long differ = 0, total = (long)img->w * img->h;
	for (int y = 0; y < img->h; y++) {
		const uint8_t *row = img->pixels + (size_t)y * img->pitch;
		for (int x = 0; x < img->w; x++) {
			const uint8_t *p = row + (size_t)x * 4;
			if (abs(p[0] - bg[0]) > 40 || abs(p[1] - bg[1]) > 40 ||
			    abs(p[2] - bg[2]) > 40)
				differ++;
		}
	}
	if (differ * 1000 < total * 2)
		fail_msg("%s (%s, %dx%d) is blank: %ld of %ld pixels differ "
			 "from the background", what, png, img->w, img->h,
			 differ, total);
	image_destroy(img);
}

/* The number of pages pdfinfo counts; checks the page size is A4. */
static int pdf_pages(const char *pdf)
{
	char *info = path_join(tmp, "pdfinfo.txt");
	run("pdfinfo", info, "pdfinfo '%s' > '%s' 2>&1", pdf, info);
	char *text = read_text(info);
	const char *p = strstr(text, "\nPages:");
	assert_non_null(p);
	int pages = atoi(p + strlen("\nPages:"));
	const char *size = strstr(text, "\nPage size:");
	assert_non_null(size);
	const char *eol = strchr(size + 1, '\n');
	if (!strstr(size, "(A4)") || (eol && strstr(size, "(A4)") > eol))
		fail_msg("%s is not A4:\n%s", pdf, text);
	free(text);
	free(info);
	return pages;
}

static char *pdf_text(const char *pdf)
{
	char *txt = path_join(tmp, "report.txt");
	char *log = path_join(tmp, "pdftotext.log");
	run("pdftotext", log, "pdftotext -enc UTF-8 '%s' '%s' > '%s' 2>&1", pdf,
	    txt, log);
	char *text = read_text(txt);
	/* lines and pages break where the layout did: one space for any
	 * run of white space */
	char *w = text;
	for (const char *r = text; *r; r++) {
		bool space = *r == ' ' || *r == '\n' || *r == '\f' ||
			     *r == '\r' || *r == '\t';
		if (!space)
			*w++ = *r;
		else if (w > text && w[-1] != ' ')
			*w++ = ' ';
	}
	*w = '\0';
	free(log);
	free(txt);
	return text;
}

#define assert_text_has(text, needle, what) \
	do { \
		if (!strstr((text), (needle))) \
			fail_msg("%s lacks \"%s\"", (what), (needle)); \
	} while (0)

/* Render dir/report.html to report.png and report.pdf beside it; check
 * the picture and every page; return the PDF's text with white space
 * runs made single spaces (caller frees). */
static char *render(const char *dir, bool screenshot)
{
	need_poppler();
	char *html = path_join(dir, "report.html");
	char *pdf = path_join(dir, "report.pdf");
	if (screenshot) {
		char *png = path_join(dir, "report.png");
		char *flag = xasprintf("--window-size=1280,2000 "
				       "--screenshot='%s'", png);
		chromium_run(html, flag, "chromium --screenshot");
		check_not_blank(png, "the screenshot");
		print_message("report rendered: %s\n", png);
		free(flag);
		free(png);
	}
	char *flag = xasprintf("--print-to-pdf='%s'", pdf);
	chromium_run(html, flag, "chromium --print-to-pdf");
	free(flag);

	int pages = pdf_pages(pdf);
	if (pages < 2 || pages > 30)
		fail_msg("%s has %d pages: want 2 to 30", pdf, pages);
	for (int i = 1; i <= pages; i++) {
		char *prefix = xasprintf("%s/page-%d", tmp, i);
		char *png = xasprintf("%s.png", prefix);
		char *log = path_join(tmp, "pdftoppm.log");
		run("pdftoppm", log, "pdftoppm -r 30 -png -f %d -l %d -singlefile "
		    "'%s' '%s' > '%s' 2>&1", i, i, pdf, prefix, log);
		char *what = xasprintf("page %d of %d", i, pages);
		check_not_blank(png, what);
		free(what);
		free(log);
		free(png);
		free(prefix);
	}
	char *text = pdf_text(pdf);
	free(pdf);
	free(html);
	return text;
}

static void test_render(void **state)
{
	(void)state;
	/* the tools first: a missing one says what to run */
	chromium();
	need_poppler();
	char *log = write_log();

	char *dir = out_dir("vi");
	kiosk_report(log, dir, NULL);
	char *text = render(dir, true);
	assert_text_has(text, "Báo cáo hoạt động ki-ốt thông tin về quyền con "
			"người", "the PDF");
	assert_text_has(text, "Tổng quan", "the PDF");
	assert_text_has(text, SESSIONS_VI, "the PDF");
	assert_text_has(text, VIEWS_VI, "the PDF");
	assert_text_has(text, "Lượt truy cập", "the PDF");
	assert_text_has(text, VN_TITLE, "the PDF");
	assert_text_has(text, "Làng Kon Klor", "the PDF");
	assert_text_has(text, "Buôn Đôn", "the PDF");
	assert_text_has(text, "Mục tiêu 15–20 %", "the PDF");
	assert_text_has(text, "=SUM(1,2) <script>alert(1)</script>",
			"the PDF");
	free(text);
	free(dir);

	dir = out_dir("en");
	kiosk_report(log, dir, "en");
	text = render(dir, false);
	assert_text_has(text, "Human rights information kiosks: activity "
			"report", "the English PDF");
	assert_text_has(text, "Totals", "the English PDF");
	assert_text_has(text, SESSIONS_EN, "the English PDF");
	assert_text_has(text, VIEWS_EN, "the English PDF");
	assert_text_has(text, VN_TITLE, "the English PDF");
	if (strstr(text, "Tổng quan"))
		fail_msg("the English PDF has the Vietnamese heading");
	free(text);
	free(dir);
	free(log);
}

/* ------------------------------------------------------------------------
 * LibreOffice
 * ------------------------------------------------------------------------ */

/* The CSV file at path read into a table (csvread: a BOM at the start
 * skipped); fails the test when it cannot be read. Caller frees with
 * csvread_free. */
static struct csvread_table *read_csv(const char *path)
{
	char *err = NULL;
	struct csvread_table *t = csvread_file(path, &err);
	if (!t)
		fail_msg("%s was not written (%s)", path, err);
	return t;
}

/* The header row of t, or NULL when it has no rows. */
static const struct csvread_row *header(const struct csvread_table *t)
{
	return t->n_rows ? &t->rows[0] : NULL;
}

/* The row under the header whose column col is value, or NULL. */
static const struct csvread_row *row_with(const struct csvread_table *t, int col,
					  const char *value)
{
	for (size_t r = 1; r < t->n_rows; r++) {
		const char *c = csvread_cell(&t->rows[r], col);
		if (c && !strcmp(c, value))
			return &t->rows[r];
	}
	return NULL;
}

/* Cell col of row; fails the test when the row is that short. */
static const char *cell(const struct csvread_row *row, int col)
{
	const char *c = csvread_cell(row, col);
	if (!c)
		fail_msg("row \"%.*s\" has no cell %d", (int)row->text_len, row->text,
			 col);
	return c;
}

/* LibreOffice with a profile and HOME of its own (it must not touch the
 * real ones, and runs as root in CI). */
static void soffice_run(const char *what, const char *args)
{
	char *home = path_join(tmp, "lo-home");
	char *profile = path_join(tmp, "lo-profile");
	char *log = path_join(tmp, "soffice.log");
	assert_true(mkdir_parents(home));
	run(what, log, "cd '%s' && HOME='%s' timeout %d '%s' "
	    "-env:UserInstallation='file://%s' --headless --norestore "
	    "--nolockcheck %s > '%s' 2>&1", tmp, home, TOOL_TIMEOUT, soffice(),
	    profile, args, log);
	free(log);
	free(profile);
	free(home);
}

/* The CSV import of a person who names the file's charset (UTF-8, 76)
 * and, the hostile case, has formulas evaluated: separator ',', text
 * delimiter '"', UTF-8, from line 1, standard cell formats, system
 * language, quoted fields not forced to text, special numbers detected,
 * (export options), evaluate formulas. LibreOffice's command line does not
 * read the byte order mark: without the charset it reads the file as its
 * legacy 8-bit charset. */
#define LO_CSV_IN "Text - txt - csv (StarCalc):44,34,76,1,,0,false,true," \
		  "false,false,false,-1,true"
#define LO_CSV_OUT "csv:Text - txt - csv (StarCalc):44,34,76"

static void test_libreoffice(void **state)
{
	(void)state;
	soffice();
	char *log = write_log();
	char *dir = out_dir("lo");
	kiosk_report(log, dir, NULL);

	/* the file as the kiosk wrote it: the titles' cells */
	char *items = path_join(dir, "report-items.csv");
	char *written = read_text(items);
	struct csvread_table *orig = read_csv(items);
	int c_id = csvread_column(header(orig), "item_id");
	int c_title = csvread_column(header(orig), "title");
	assert_true(c_id >= 0 && c_title >= 0);
	const struct csvread_row *vn = row_with(orig, c_id, "item-00");
	const struct csvread_row *evil = row_with(orig, c_id, "item-01");
	assert_non_null(vn);
	assert_non_null(evil);
	assert_string_equal(cell(vn, c_title), VN_TITLE);
	/* neutralised as csvout.h says */
	assert_string_equal(cell(evil, c_title), "'" EVIL_TITLE);

	/* round trip: CSV -> ODS -> CSV, and a control file with a bare
	 * formula */
	char *in = path_join(tmp, "in");
	assert_true(mkdir_parents(in));
	char *copy = path_join(in, "report-items.csv");
	FILE *f = fopen(copy, "wb");
	assert_non_null(f);
	fputs(written, f);
	assert_int_equal(fclose(f), 0);
	free(test_write_file(in, "control.csv",
			     "\xEF\xBB\xBFid,value\r\nformula,=1+2\r\n"));
	char *args = xasprintf("--infilter='" LO_CSV_IN "' --convert-to ods "
			       "--outdir '%s/ods' '%s/report-items.csv' "
			       "'%s/control.csv'", tmp, in, in);
	soffice_run("libreoffice --convert-to ods", args);
	free(args);
	args = xasprintf("--convert-to '" LO_CSV_OUT "' --outdir '%s/back' "
			 "'%s/ods/report-items.ods' '%s/ods/control.ods'", tmp,
			 tmp, tmp);
	soffice_run("libreoffice --convert-to csv", args);
	free(args);

	char *back_path = xasprintf("%s/back/control.csv", tmp);
	struct csvread_table *control = read_csv(back_path);
	const struct csvread_row *fr = row_with(control, 0, "formula");
	assert_non_null(fr);
	if (strcmp(cell(fr, 1), "3") != 0)
		fail_msg("the control formula =1+2 came back as \"%s\", not 3: "
			 "the import did not evaluate formulas, so the test "
			 "below proves nothing", cell(fr, 1));
	csvread_free(control);
	free(back_path);

	back_path = xasprintf("%s/back/report-items.csv", tmp);
	struct csvread_table *rows = read_csv(back_path);
	if (!rows->n_rows)
		fail_msg("%s came back empty", back_path);
	if (csvread_column(header(rows), "item_id") != c_id ||
	    csvread_column(header(rows), "title") != c_title)
		fail_msg("the header came back as \"%.*s\"", (int)rows->rows[0].text_len,
			 rows->rows[0].text);
	const struct csvread_row *vn2 = row_with(rows, c_id, "item-00");
	const struct csvread_row *evil2 = row_with(rows, c_id, "item-01");
	assert_non_null(vn2);
	assert_non_null(evil2);
	if (strcmp(cell(vn2, c_title), VN_TITLE) != 0)
		fail_msg("the Vietnamese title came back as \"%s\"",
			 cell(vn2, c_title));
	if (strcmp(cell(evil2, c_title), cell(evil, c_title)) != 0)
		fail_msg("the title beginning with '=' came back as \"%s\", "
			 "not the text \"%s\"", cell(evil2, c_title),
			 cell(evil, c_title));
	/* and every other title as well */
	for (size_t r = 1; r < orig->n_rows; r++) {
		const struct csvread_row *b = row_with(rows, c_id, cell(&orig->rows[r], c_id));
		assert_non_null(b);
		assert_string_equal(cell(b, c_title), cell(&orig->rows[r], c_title));
	}
	csvread_free(rows);
	free(back_path);

	csvread_free(orig);
	free(copy);
	free(in);
	free(written);
	free(items);
	free(dir);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_render, setup, teardown),
		cmocka_unit_test_setup_teardown(test_libreoffice, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
