/*
 * test_report_html: the yearly report's HTML page written from figures
 * built here by hand: tags balanced, text from logs escaped (a title
 * beginning with '=' and holding <script>), nothing referenced outside the
 * file, labels and number formats in Vietnamese and English, the verdict
 * on the 15-20 % target below, inside and above the band (and at its
 * rounding edges), charts carrying their numbers as text, empty sections
 * stated in words, an empty set of figures, an unknown language and a
 * failed write.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "i18n/lang.h"
#include "report/figures.h"
#include "report/htmlout.h"
#include "report/report_html.h"
#include "test_support.h"

#define EVIL_TITLE "=SUM(A1)<script>alert('x')</script> & \"co\""
#define EVIL_TITLE_ESCAPED \
	"=SUM(A1)&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; " \
	"&quot;co&quot;"
#define VN_TITLE "Quyền trẻ em — Điều 12"

/* ------------------------------------------------------------------------
 * Figures built by hand
 * ------------------------------------------------------------------------ */

static int64_t day(const char *date)
{
	int64_t d;
	assert_true(date_parse_days(date, &d));
	return d;
}

static struct figures_item items[] = {
	{ .item_id = "crc-12", .title = VN_TITLE, .kind = "video",
	  .topics = "crc children", .v = { 900, 54000.0, 600 } },
	{ .item_id = "evil", .title = EVIL_TITLE, .kind = "leaflet",
	  .topics = "", .v = { 300, 9000.0, 100 } },
	{ .item_id = "cedaw-1", .title = "Bình đẳng giới trong gia đình",
	  .kind = "audio", .topics = "cedaw women", .v = { 150, 4500.0, 75 } },
	{ .item_id = "no-title", .title = "", .kind = "",
	  .topics = "", .v = { 0, 0, 0 } },
};

/* Two of each kind, and a tag no registry knows that needs escaping. */
static struct figures_lang langs[] = {
	{ .lang = "vi", .kind = FIGURES_LANG_NATIONAL, .sessions = 9000,
	  .products = 80, .v = { 10000, 360000.0, 6000 } },
	{ .lang = "rad", .kind = FIGURES_LANG_MINORITY, .sessions = 1200,
	  .products = 10, .v = { 1500, 45000.0, 900 } },
	{ .lang = "jra", .kind = FIGURES_LANG_MINORITY, .sessions = 800,
	  .products = 4, .v = { 700, 21000.0, 300 } },
	{ .lang = "en", .kind = FIGURES_LANG_FOREIGN, .sessions = 300,
	  .products = 6, .v = { 250, 7000.0, 100 } },
	{ .lang = "fr", .kind = FIGURES_LANG_FOREIGN, .sessions = 40,
	  .products = 0, .v = { 50, 900.0, 10 } },
	{ .lang = "x<y", .kind = FIGURES_LANG_UNKNOWN, .sessions = 5,
	  .products = 0, .v = { 5, 60.0, 1 } },
};

static struct figures_topic topics[] = {
	{ .topic = "udhr", .items = 2, .v = { 400, 12000.0, 200 } },
	{ .topic = "cedaw", .items = 3, .v = { 150, 4500.0, 75 } },
	{ .topic = "crc", .items = 5, .v = { 900, 54000.0, 600 } },
	{ .topic = "crpd", .items = 1, .v = { 77, 2000.0, 30 } },
	{ .topic = "women", .items = 3, .v = { 150, 4500.0, 75 } },
	{ .topic = "children", .items = 4, .v = { 900, 54000.0, 600 } },
	{ .topic = "made-up", .items = 1, .v = { 3, 30.0, 0 } },
	{ .topic = "", .items = 6, .v = { 300, 9000.0, 100 } },
};

static struct figures_site sites[] = {
	{ .site = "Làng Kon Klor", .kiosks = "kiosk-01, kiosk-02",
	  .sessions = 8000, .days = 200, .v = { 9000, 300000.0, 5000 } },
	{ .site = "Buôn Đôn & <bản>", .kiosks = "kiosk-03",
	  .sessions = 3000, .days = 90, .v = { 3000, 120000.0, 2000 } },
	{ .site = "", .kiosks = "kiosk-04", .sessions = 345, .days = 3,
	  .v = { 505, 13960.0, 311 } },
};

static struct figures_month months[] = {
	{ 2025, 1, 900, { 1000, 36000.0, 500 } },
	{ 2025, 2, 1000, { 1111, 40000.0, 600 } },
	{ 2025, 3, 1100, { 1234, 44000.0, 700 } },
	{ 2025, 4, 0, { 0, 0, 0 } },
	{ 2025, 5, 1300, { 1500, 50000.0, 800 } },
	{ 2025, 6, 1400, { 1600, 52000.0, 900 } },
	{ 2025, 7, 1500, { 1700, 54000.0, 1000 } },
	{ 2025, 8, 1600, { 1800, 56000.0, 1100 } },
	{ 2025, 9, 1700, { 1900, 58000.0, 1200 } },
	{ 2025, 10, 1000, { 1000, 30000.0, 500 } },
	{ 2025, 11, 500, { 555, 20000.0, 300 } },
	{ 2025, 12, 345, { 1105, 35960.0, 711 } },
};

static struct figures_quiz_topic quiz_topics[] = {
	{ .topic = "crc", .attempts = 40, .answers = 400, .right = 300 },
	{ .topic = "", .attempts = 20, .answers = 200, .right = 120 },
};

static struct figures_contest contests[] = {
	{ .class_name = "Lớp 8A", .site = "Làng Kon Klor",
	  .kiosk_id = "kiosk-01", .n_questions = 10, .students = 25,
	  .average_score = 7.25, .best_score = 10 },
	{ .class_name = "<b>9B</b>", .site = "Buôn Đôn",
	  .kiosk_id = "kiosk-03", .n_questions = 8, .students = 18,
	  .average_score = 5.5, .best_score = 8 },
};

static struct figures_kiosk health[] = {
	{ .kiosk_id = "kiosk-01", .version = "1.4.0", .runs = 210,
	  .clean = 190, .crashes = 3, .cuts = 17, .uptime_hours = 1876.5,
	  .errors = 12, .warnings = 40 },
	{ .kiosk_id = "kiosk-03", .version = "1.3.9", .runs = 95, .clean = 95,
	  .crashes = 0, .cuts = 0, .uptime_hours = 700.25, .errors = 0,
	  .warnings = 2 },
};

static struct figures_problem problems[] = {
	{ .message = "audio: device <hw:0> lost", .severity = "error",
	  .count = 12, .kiosks = 1 },
	{ .message = "thumbnail slow", .severity = "warning", .count = 42,
	  .kiosks = 2 },
};

/* A year of data from three kiosks; the target shares at 17,5 %. */
static void fill(struct report_figures *f)
{
	memset(f, 0, sizeof *f);
	f->from_day = day("2025-01-01");
	f->to_day = day("2025-12-31");
	f->first_day = day("2025-01-03");
	f->last_day = day("2025-12-30");
	f->logs = 5;
	f->kiosks = 3;
	f->sessions = 12345;
	f->v = (struct figures_views){ 12505, 433960.0, 7311 };
	f->undated = 7;
	f->products = 100;
	f->products_minority = 14;
	f->products_foreign = 6;
	f->share_products = 0.20;
	f->views_minority = 2200;
	f->views_foreign = 300;
	f->share_views = 0.175;
	for (size_t i = 0; i < ARRAY_LEN(sites); i++) {
		sites[i].first_day = day("2025-01-03") + (int64_t)i;
		sites[i].last_day = day("2025-12-30") - (int64_t)i;
	}
	for (size_t i = 0; i < ARRAY_LEN(contests); i++)
		contests[i].day = day("2025-11-20") + (int64_t)i;
	for (size_t i = 0; i < ARRAY_LEN(health); i++) {
		health[i].first_day = day("2025-01-03");
		health[i].last_day = day("2025-12-30");
	}
	for (size_t i = 0; i < ARRAY_LEN(problems); i++)
		problems[i].last_day = day("2025-12-01");
	f->items = items;
	f->n_items = ARRAY_LEN(items);
	f->langs = langs;
	f->n_langs = ARRAY_LEN(langs);
	f->topics = topics;
	f->n_topics = ARRAY_LEN(topics);
	f->sites = sites;
	f->n_sites = ARRAY_LEN(sites);
	f->months = months;
	f->n_months = ARRAY_LEN(months);
	f->quiz = (struct figures_quiz){
		.attempts = 60, .solo = 17, .in_contests = 43, .completed = 50,
		.answers = 600, .right = 420, .contests = 2,
		.topics = quiz_topics, .n_topics = ARRAY_LEN(quiz_topics),
		.contest_list = contests, .n_contests = ARRAY_LEN(contests),
	};
	f->kiosk_health = health;
	f->n_kiosk_health = ARRAY_LEN(health);
	f->problems = problems;
	f->n_problems = ARRAY_LEN(problems);
}

static struct lang_registry *registry(void)
{
	char *path = test_source_path("locales/languages.json");
	struct lang_registry *reg = lang_registry_load(path, NULL);
	free(path);
	assert_non_null(reg);
	return reg;
}

/* The page for f in ui_lang, as a string; caller frees. */
static char *page(const struct report_figures *f,
		  const struct lang_registry *reg, const char *ui_lang)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_true(report_html_write(f, reg, ui_lang, out));
	assert_int_equal(fclose(out), 0);
	assert_non_null(buf);
	assert_int_equal(strlen(buf), len);
	return buf;
}

/* Keep a copy of the page in the build directory to look at. */
static void save_page(const char *html, const char *name)
{
	char *path = test_build_path(name);
	FILE *out = fopen(path, "wb");
	if (out) {
		fputs(html, out);
		fclose(out);
	}
	free(path);
}

/* ------------------------------------------------------------------------
 * Checks
 * ------------------------------------------------------------------------ */

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, k = strlen(needle);
	for (const char *p = strstr(hay, needle); p; p = strstr(p + k, needle))
		n++;
	return n;
}

#define assert_has(hay, needle) \
	do { \
		if (!strstr((hay), (needle))) \
			fail_msg("missing from the page: %s", (needle)); \
	} while (0)
#define assert_lacks(hay, needle) \
	do { \
		if (strstr((hay), (needle))) \
			fail_msg("should not be in the page: %s", (needle)); \
	} while (0)

static bool is_void(const char *name)
{
	static const char *const voids[] = {
		"meta", "br", "rect", "line", "img", "link", "hr", "input",
	};
	for (size_t i = 0; i < ARRAY_LEN(voids); i++)
		if (strcmp(name, voids[i]) == 0)
			return true;
	return false;
}

/* Every tag opened is closed, in order (void elements and "/>" aside);
 * the text between tags holds no raw '>' and attribute values no raw '<'.
 * Returns the number of elements seen. */
static size_t check_balanced(const char *html)
{
	char stack[64][16];
	size_t depth = 0, elements = 0;
	const char *p = html;
	while ((p = strchr(p, '<'))) {
		if (p[1] == '!') {
			p = strchr(p, '>');
			assert_non_null(p);
			continue;
		}
		bool closing = p[1] == '/';
		const char *n = p + 1 + closing;
		char name[16];
		size_t k = 0;
		while (isalnum((unsigned char)n[k]) && k < sizeof name - 1) {
			name[k] = (char)tolower((unsigned char)n[k]);
			k++;
		}
		name[k] = '\0';
		if (!k)
			fail_msg("a '<' that opens no tag: %.40s", p);
		const char *end = strchr(n, '>');
		assert_non_null(end);
		const char *lt = strchr(n, '<');
		if (lt && lt < end)
			fail_msg("a '<' inside a tag: %.60s", p);
		/* no event handlers (onload= and the like) */
		for (const char *q = n; q + 3 < end; q++)
			if (isspace((unsigned char)q[0]) &&
			    tolower((unsigned char)q[1]) == 'o' &&
			    tolower((unsigned char)q[2]) == 'n' &&
			    isalpha((unsigned char)q[3])) {
				const char *a = q + 3;
				while (isalpha((unsigned char)*a))
					a++;
				if (*a == '=')
					fail_msg("an event handler: %.60s", q);
			}
		if (closing) {
			if (!depth || strcmp(stack[depth - 1], name) != 0)
				fail_msg("</%s> closes <%s>", name,
					 depth ? stack[depth - 1] : "nothing");
			depth--;
		} else if (end[-1] != '/' && !is_void(name)) {
			assert_true(depth < ARRAY_LEN(stack));
			strcpy(stack[depth++], name);
			elements++;
			if (strcmp(name, "style") == 0) {
				/* CSS: skip to its end */
				p = strstr(end, "</style>");
				assert_non_null(p);
				continue;
			}
		}
		p = end + 1;
		/* the text up to the next tag: no raw '>' */
		const char *next = strchr(p, '<');
		const char *gt = strchr(p, '>');
		if (gt && (!next || gt < next))
			fail_msg("a raw '>' in the text: %.40s", p);
	}
	if (depth)
		fail_msg("<%s> never closed", stack[depth - 1]);
	return elements;
}

/* What every page must be: a whole, balanced HTML5 document, with
 * nothing to load from elsewhere. */
static void check_page(const char *html, const char *lang)
{
	char head[64];
	snprintf(head, sizeof head, "<!DOCTYPE html>\n<html lang=\"%s\">", lang);
	assert_int_equal(strncmp(html, head, strlen(head)), 0);
	assert_has(html, "<meta charset=\"utf-8\">");
	size_t len = strlen(html);
	assert_true(len > 20);
	assert_string_equal(html + len - strlen("</html>\n"), "</html>\n");
	size_t bad;
	assert_true(utf8_valid(html, len, &bad));
	assert_true(check_balanced(html) > 10);
	assert_int_equal(count(html, "<table"), count(html, "</table>"));
	assert_int_equal(count(html, "<svg"), count(html, "</svg>"));
	assert_int_equal(count(html, "<section"), count(html, "</section>"));
	/* self-contained, no scripts */
	assert_lacks(html, "http://");
	assert_lacks(html, "https://");
	assert_lacks(html, "src=");
	assert_lacks(html, "href=");
	assert_lacks(html, "url(");
	assert_lacks(html, "@import");
	assert_lacks(html, "<script");
	assert_lacks(html, "<img");
	assert_lacks(html, "<link");
	assert_lacks(html, "<iframe");
	assert_lacks(html, "<object");
	/* printing */
	assert_has(html, "@page { size: A4;");
	assert_has(html, "break-inside: avoid");
}

/* The contents of the <figure> whose caption is caption; caller frees. */
static char *figure_of(const char *html, const char *caption)
{
	char *key = xasprintf("aria-label=\"%s\"", caption);
	const char *start = strstr(html, key);
	free(key);
	if (!start)
		fail_msg("no chart captioned %s", caption);
	const char *end = strstr(start, "</figure>");
	assert_non_null(end);
	char *s = xmalloc((size_t)(end - start) + 1);
	memcpy(s, start, (size_t)(end - start));
	s[end - start] = '\0';
	return s;
}

/* ------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------ */

static void test_vietnamese(void **state)
{
	(void)state;
	struct report_figures f;
	fill(&f);
	struct lang_registry *reg = registry();
	char *html = page(&f, reg, NULL);
	save_page(html, "report-html-sample-vi.html");
	check_page(html, "vi");

	/* title, period, kiosks and logs */
	assert_has(html, "<h1>Báo cáo hoạt động ki-ốt thông tin về quyền con "
		   "người</h1>");
	assert_has(html, "Kỳ báo cáo: từ ngày 01/01/2025 đến ngày 31/12/2025");
	assert_has(html, "Có dữ liệu: từ ngày 03/01/2025 đến ngày 30/12/2025");
	assert_has(html, "Số ki-ốt: <b>3</b>");
	assert_has(html, "Số tệp nhật ký đã gộp: <b>5</b>");

	/* totals, the Vietnamese way */
	assert_has(html, "<span class=\"big\">12.345</span><span class=\"what\">"
		   "Lượt truy cập</span>");
	assert_has(html, "<span class=\"big\">12.505</span><span class=\"what\">"
		   "Lượt xem</span>");
	/* 433 960 s = 120,54 h */
	assert_has(html, "<span class=\"big\">120,5</span><span class=\"what\">"
		   "Số giờ xem</span>");
	/* 7 311 / 12 505 = 58,46 % */
	assert_has(html, "<span class=\"big\">58,5 %</span><span class=\"what\">"
		   "Tỉ lệ xem hết</span>");
	assert_has(html, "Lượt xem không xác định được ngày (ghi khi đồng hồ chưa được đặt; chỉ tính khi báo cáo toàn bộ thời gian, không tính vào tháng nào): 7");

	/* the target: products at 20,0 % (inside), views at 17,5 % */
	assert_has(html, "Tỉ lệ sản phẩm: 20,0 % — ĐẠT mục tiêu (trong khoảng "
		   "15–20 %)");
	assert_has(html, "Tỉ lệ lượt xem: 17,5 % — ĐẠT mục tiêu (trong khoảng "
		   "15–20 %)");
	assert_has(html, "<b>20</b> / 100 sản phẩm · tiếng dân tộc thiểu số: "
		   "14 · tiếng nước ngoài: 6");
	assert_has(html, "<b>2.500</b> / 12.505 lượt xem");
	char *g = figure_of(html, "Tỉ lệ lượt xem");
	assert_has(g, ">Mục tiêu 15–20 %</text>");
	assert_has(g, ">17,5 %</text>");
	assert_has(g, ">15 %</text>");
	assert_has(g, ">20 %</text>");
	free(g);

	/* languages: names from the registry, kinds, numbers in the chart */
	assert_has(html, "<span lang=\"rad\">Êđê</span> · Tiếng Ê Đê "
		   "<span class=\"muted\">(rad)</span>");
	assert_has(html, "<td>Dân tộc thiểu số</td>");
	assert_has(html, "<td>Nước ngoài</td>");
	assert_has(html, "<td>Quốc gia</td>");
	assert_has(html, "<td>Không rõ</td>");
	assert_has(html, "<td>x&lt;y</td>");
	g = figure_of(html, "Lượt xem theo ngôn ngữ");
	assert_has(g, "lang=\"rad\">Êđê (rad)</text>");
	assert_has(g, ">10.000 · 80,0 %</text>");
	assert_has(g, ">1.500 · 12,0 %</text>");
	assert_has(g, ">x&lt;y</text>");
	assert_lacks(g, "x<y");
	free(g);

	/* topics: Vietnamese names, the conventions first */
	const char *conv = strstr(html, "<th colspan=\"6\">Bảy công ước quốc "
				  "tế cốt lõi về quyền con người</th>");
	const char *other = strstr(html, "<th colspan=\"6\">Các chủ đề "
				   "khác</th>");
	assert_non_null(conv);
	assert_non_null(other);
	assert_true(conv < other);
	const char *crc = strstr(html, "<td>Công ước về quyền trẻ em (CRC)</td>");
	const char *udhr = strstr(html, "<td>Tuyên ngôn toàn thế giới về nhân "
				  "quyền (UDHR)</td>");
	assert_non_null(crc);
	assert_non_null(udhr);
	assert_true(conv < crc && crc < other && other < udhr);
	assert_has(html, "<td>Công ước về xóa bỏ mọi hình thức phân biệt đối xử "
		   "với phụ nữ (CEDAW)</td>");
	assert_has(html, "<td>Công ước về quyền của người khuyết tật (CRPD)</td>");
	assert_has(html, "<td>made-up</td>");
	assert_has(html, "<td>(không có chủ đề)</td>");
	g = figure_of(html, "Lượt xem theo chủ đề");
	assert_has(g, ">CRC · Quyền trẻ em</text>");
	assert_has(g, ">900 · 7,2 %</text>");
	free(g);

	/* items: escaped, diacritics kept, average time and completion */
	assert_has(html, VN_TITLE);
	assert_has(html, EVIL_TITLE_ESCAPED);
	assert_lacks(html, "<script");
	assert_lacks(html, "alert('x')");
	assert_has(html, "<td class=\"num\">60,0 giây</td>");
	assert_has(html, "<td class=\"num\">66,7 %</td>");
	assert_has(html, "no-title<br>");   /* no title: the id */
	assert_has(html, "<td class=\"num\">—</td>");   /* no views */

	/* sites */
	assert_has(html, "<td>Làng Kon Klor</td><td>kiosk-01, kiosk-02</td>"
		   "<td class=\"num\">03/01/2025 – 30/12/2025</td>");
	assert_has(html, "<td>Buôn Đôn &amp; &lt;bản&gt;</td>");
	assert_has(html, "<td><i>(chưa đặt tên)</i></td>");

	/* months: columns carrying their numbers, and the table */
	g = figure_of(html, "Lượt xem theo tháng");
	assert_has(g, ">1.234</text>");
	assert_has(g, ">03/2025</text>");
	assert_has(g, ">12/2025</text>");
	assert_int_equal(count(g, "<rect"), ARRAY_LEN(months));
	free(g);
	assert_has(html, "<tr><td class=\"num\">03/2025</td><td class=\"num\">"
		   "1.100</td><td class=\"num\">1.234</td>");

	/* quizzes */
	assert_has(html, "<span class=\"big\">70,0 %</span><span class=\"what\">"
		   "Tỉ lệ trả lời đúng</span>");
	assert_has(html, "<td>(mọi chủ đề)</td>");
	assert_has(html, "<td class=\"num\">20/11/2025</td><td>Lớp 8A</td>");
	assert_has(html, "<td class=\"num\">7,3 / 10</td>");
	assert_has(html, "<td>&lt;b&gt;9B&lt;/b&gt;</td>");

	/* health */
	assert_has(html, "<td class=\"id\">kiosk-01</td><td class=\"id\">"
		   "1.4.0</td>");
	assert_has(html, "<td class=\"num\">1.876,5</td>");
	assert_has(html, "audio: device &lt;hw:0&gt; lost");
	assert_has(html, ">lỗi</td>");
	assert_has(html, ">cảnh báo</td>");

	/* nothing said to be empty */
	assert_lacks(html, "Không có");
	assert_lacks(html, "Tổng quan</h2>\n<p class=\"note\">");
	free(html);
	lang_registry_destroy(reg);
}

static void test_english(void **state)
{
	(void)state;
	struct report_figures f;
	fill(&f);
	f.share_products = 0.25;
	f.share_views = 0.1;
	struct lang_registry *reg = registry();
	char *html = page(&f, reg, "en");
	save_page(html, "report-html-sample-en.html");
	check_page(html, "en");
	assert_has(html, "<h1>Human rights information kiosks: activity "
		   "report</h1>");
	assert_has(html, "Period: from 2025-01-01 to 2025-12-31");
	assert_has(html, "<h2>Totals</h2>");
	assert_has(html, "<h2>By language</h2>");
	assert_has(html, "<h2>Kiosk health</h2>");
	assert_has(html, "<span class=\"big\">12,345</span>");
	assert_has(html, "<span class=\"big\">58.5%</span>");
	assert_has(html, "Share of products: 25.0% — REACHED and EXCEEDED "
		   "(above 20%)");
	assert_has(html, "Share of views: 10.0% — NOT REACHED (below 15%)");
	assert_has(html, "<td>Convention on the Rights of the Child (CRC)</td>");
	assert_has(html, "<td>Minority</td>");
	assert_has(html, "<td class=\"num\">1,876.5</td>");
	assert_has(html, "<td class=\"num\">60.0 s</td>");
	assert_has(html, ">2025-03</text>");
	assert_has(html, EVIL_TITLE_ESCAPED);
	assert_has(html, VN_TITLE);
	/* endonyms stay in their language */
	assert_has(html, "<span lang=\"rad\">Êđê</span>");
	/* no Vietnamese labels */
	assert_lacks(html, "Tổng quan");
	assert_lacks(html, "Lượt xem");
	assert_lacks(html, "ĐẠT");
	free(html);
	lang_registry_destroy(reg);
}

/* The page with both shares at share; returns it. */
static char *with_share(double share, const char *ui_lang)
{
	struct report_figures f;
	fill(&f);
	f.share_products = share;
	f.share_views = share;
	return page(&f, NULL, ui_lang);
}

static void test_target_verdict(void **state)
{
	(void)state;
	static const struct {
		double share;
		const char *shown;
		int verdict;           /* 0 below, 1 inside, 2 above */
	} cases[] = {
		{ 0.0, "0,0 %", 0 },
		{ 0.10, "10,0 %", 0 },
		{ 0.1494, "14,9 %", 0 },
		{ 0.1496, "15,0 %", 1 },   /* as shown */
		{ 0.15, "15,0 %", 1 },
		{ 0.175, "17,5 %", 1 },
		{ 0.20, "20,0 %", 1 },
		{ 0.2004, "20,0 %", 1 },
		{ 0.2006, "20,1 %", 2 },
		{ 0.35, "35,0 %", 2 },
		{ 0.80, "80,0 %", 2 },
		{ 1.0, "100,0 %", 2 },
	};
	static const char *const verdicts[3] = {
		"CHƯA ĐẠT mục tiêu (dưới 15 %)",
		"ĐẠT mục tiêu (trong khoảng 15–20 %)",
		"ĐẠT và VƯỢT mục tiêu (trên 20 %)",
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *html = with_share(cases[i].share, "vi");
		check_page(html, "vi");
		for (int v = 0; v < 3; v++) {
			size_t want = v == cases[i].verdict ? 2 : 0;
			if (count(html, verdicts[v]) != want)
				fail_msg("share %.4f: \"%s\" %zu times, want %zu",
					 cases[i].share, verdicts[v],
					 count(html, verdicts[v]), want);
		}
		char *line = xasprintf("Tỉ lệ sản phẩm: %s — %s", cases[i].shown,
				       verdicts[cases[i].verdict]);
		assert_has(html, line);
		free(line);
		/* the gauge shows the value, the band, and the verdict's
		 * colour */
		char *g = figure_of(html, "Tỉ lệ sản phẩm");
		line = xasprintf(">%s</text>", cases[i].shown);
		assert_has(g, line);
		free(line);
		assert_has(g, ">Mục tiêu 15–20 %</text>");
		assert_has(g, cases[i].verdict ? "fill=\"#1e8449\"/>"
					       : "fill=\"#c0392b\"/>");
		free(g);
		free(html);
	}
	/* English */
	char *html = with_share(0.12, "en");
	assert_int_equal(count(html, "NOT REACHED (below 15%)"), 2);
	free(html);
	html = with_share(0.16, "en");
	assert_int_equal(count(html, "— REACHED (within 15–20%)"), 2);
	free(html);
	html = with_share(0.21, "en");
	assert_int_equal(count(html, "REACHED and EXCEEDED (above 20%)"), 2);
	free(html);

	/* no products, no views: nothing to judge */
	struct report_figures f;
	fill(&f);
	f.products = f.products_minority = f.products_foreign = 0;
	f.share_products = 0;
	html = page(&f, NULL, "vi");
	assert_has(html, "Tỉ lệ sản phẩm: Chưa có dữ liệu để đánh giá");
	assert_lacks(html, "aria-label=\"Tỉ lệ sản phẩm\"");
	assert_int_equal(count(html, "ĐẠT mục tiêu (trong khoảng"), 1);
	free(html);
}

/* Nothing at all: a valid page that says so, section by section. */
static void test_empty(void **state)
{
	(void)state;
	struct report_figures f;
	memset(&f, 0, sizeof f);
	f.from_day = day("2026-03-01");
	f.to_day = day("2026-03-31");
	f.first_day = f.last_day = -1;
	for (int en = 0; en < 2; en++) {
		char *html = page(&f, NULL, en ? "en" : "vi");
		check_page(html, en ? "en" : "vi");
		assert_int_equal(count(html, "<table"), 0);
		assert_int_equal(count(html, "<tr"), 0);
		if (en) {
			assert_has(html, "No data in this period.");
			assert_has(html, "No views by language in this period.");
			assert_has(html, "No views by topic in this period.");
			assert_has(html, "No items were viewed in this period.");
			assert_has(html, "No sessions by site in this period.");
			assert_has(html, "No data by month in this period.");
			assert_has(html, "No quiz attempts in this period.");
			assert_has(html, "No kiosk health data in this period.");
			assert_has(html, "No errors or warnings were logged.");
			assert_has(html, "Share of products: No data to judge");
			assert_has(html, "Share of views: No data to judge");
			assert_has(html, "<span class=\"big\">—</span><span "
				   "class=\"what\">Completion rate</span>");
		} else {
			assert_has(html, "Không có dữ liệu nào trong kỳ báo cáo.");
			assert_has(html, "Không có lượt xem nào theo ngôn ngữ");
			assert_has(html, "Không có lượt xem nào theo chủ đề");
			assert_has(html, "Không có sản phẩm nào được xem");
			assert_has(html, "Không có lượt truy cập nào theo địa "
				   "điểm");
			assert_has(html, "Không có dữ liệu theo tháng");
			assert_has(html, "Không có lượt làm bài trắc nghiệm nào");
			assert_has(html, "Không có dữ liệu về tình trạng ki-ốt");
			assert_has(html, "Không có lỗi hay cảnh báo nào");
			assert_has(html, "Kỳ báo cáo: từ ngày 01/03/2026 đến "
				   "ngày 31/03/2026");
			assert_lacks(html, "Có dữ liệu");
		}
		free(html);
	}

	/* a zeroed struct as it is (no period, day 0) and the whole range */
	memset(&f, 0, sizeof f);
	char *html = page(&f, NULL, "vi");
	check_page(html, "vi");
	assert_lacks(html, "Có dữ liệu");
	free(html);
	f.from_day = day("1970-01-01");
	f.to_day = day("9999-12-31");
	html = page(&f, NULL, "vi");
	assert_has(html, "Kỳ báo cáo: toàn bộ dữ liệu");
	free(html);

	/* some sections empty, others not: a quiz-free year */
	fill(&f);
	memset(&f.quiz, 0, sizeof f.quiz);
	f.n_problems = 0;
	html = page(&f, NULL, "vi");
	check_page(html, "vi");
	assert_has(html, "Không có lượt làm bài trắc nghiệm nào");
	assert_has(html, "Không có lỗi hay cảnh báo nào");
	assert_lacks(html, "Không có lượt xem nào");
	free(html);
	/* quizzes but no class contest */
	fill(&f);
	f.quiz.n_contests = 0;
	f.quiz.contest_list = NULL;
	html = page(&f, NULL, "vi");
	assert_has(html, "Không có cuộc thi nào của lớp");
	free(html);
}

/* Many months: the labels turn upright and every number is still there. */
static void test_many_months(void **state)
{
	(void)state;
	struct figures_month many[30];
	for (int i = 0; i < 30; i++)
		many[i] = (struct figures_month){
			.year = 2024 + i / 12, .month = i % 12 + 1,
			.sessions = 100 + i, .v = { 1000 + i * 37, 3600.0 * i,
						    500 + i },
		};
	struct report_figures f;
	fill(&f);
	f.months = many;
	f.n_months = 30;
	char *html = page(&f, NULL, "vi");
	check_page(html, "vi");
	char *g = figure_of(html, "Lượt xem theo tháng");
	assert_int_equal(count(g, "<rect"), 30);
	assert_true(count(g, "rotate(-90") >= 60);
	for (int i = 0; i < 30; i++) {
		char want[32], n[16];
		snprintf(want, sizeof want, ">%02d/%04d</text>", i % 12 + 1,
			 2024 + i / 12);
		assert_has(g, want);
		int v = 1000 + i * 37;
		snprintf(n, sizeof n, "%d.%03d", v / 1000, v % 1000);
		snprintf(want, sizeof want, ">%s</text>", n);
		assert_has(g, want);
	}
	free(g);
	free(html);
}

static void test_bad_lang_and_write_error(void **state)
{
	(void)state;
	struct report_figures f;
	fill(&f);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_false(report_html_write(&f, NULL, "fr", out));
	fclose(out);
	assert_int_equal(len, 0);
	free(buf);

	/* a stream that cannot be written (opened for reading): the write
	 * fails, and says so */
	char *dir = test_tmpdir();
	char *path = test_write_file(dir, "ro.html", "");
	out = fopen(path, "r");
	assert_non_null(out);
	assert_false(report_html_write(&f, NULL, "vi", out));
	fclose(out);
	test_rmtree(dir);
	free(dir);
	free(path);
}

/* htmlout's escaping and cutting. */
static void test_htmlout(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	htmlout_text(out, "a<b>&\"'\x01\xff" "ế");
	fputs("|", out);
	htmlout_text_cut(out, "Công ước", 4);
	fputs("|", out);
	htmlout_text_cut(out, "abc", 3);
	fputs("|", out);
	htmlout_text_cut(out, "<<<<", 2);
	fputs("|", out);
	htmlout_text(out, NULL);
	htmlout_day(out, day("2026-02-28"), true);
	fputs("|", out);
	htmlout_day(out, day("2026-02-28"), false);
	fclose(out);
	assert_string_equal(buf, "a&lt;b&gt;&amp;&quot;&#39;\xEF\xBF\xBD"
			    "\xEF\xBF\xBD" "ế|Côn…|abc|&lt;…|"
			    "28/02/2026|2026-02-28");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vietnamese),
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_target_verdict),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_many_months),
		cmocka_unit_test(test_bad_lang_and_write_error),
		cmocka_unit_test(test_htmlout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
