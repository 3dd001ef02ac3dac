/*
 * report_html: the yearly report as one HTML page (see report_html.h).
 *
 * Charts are inline SVG drawn in a fixed coordinate space (800 units
 * wide) and scaled to the column's width by the browser; every bar has
 * its number written next to it as SVG text, and the same numbers are in
 * the table that follows, so nothing is known only from a bar's length.
 */
#include "report/report_html.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "content/topics.h"
#include "i18n/langfmt.h"
#include "report/htmlout.h"

/* ------------------------------------------------------------------------
 * Labels
 * ------------------------------------------------------------------------ */

struct labels {
	const char *lang;                /* the html lang attribute */
	const struct lang *fmt;          /* digit group and decimal mark */
	const char *pct;                 /* after a percentage: " %" or "%" */
	const char *dash;                /* a figure that cannot be given */
	bool dmy;                        /* dates as dd/mm/yyyy */
	const char *seconds_unit;        /* after a number of seconds */

	/* Title */
	const char *title, *period, *all_dates, *from, *to, *until, *on_day;
	const char *data_span, *n_kiosks, *n_logs, *no_data;

	/* Totals */
	const char *sec_totals, *sessions, *views, *hours, *completion;
	const char *undated;

	/* Target */
	const char *sec_target, *target_note, *target_band;
	const char *share_products, *share_views;
	const char *products_word, *views_word, *minority_langs,
		   *foreign_langs;
	const char *below, *within, *above, *unknown;

	/* Languages */
	const char *sec_langs, *language, *kind, *products, *share,
		   *kind_names[4], *langs_chart, *no_langs;

	/* Topics */
	const char *sec_topics, *topic, *conventions, *other_topics, *no_topic,
		   *items_viewed, *topics_note, *topics_chart, *no_topics;

	/* Items */
	const char *sec_items, *item, *avg_time, *no_items;

	/* Sites */
	const char *sec_sites, *site, *kiosks, *active, *days, *unnamed_site,
		   *no_sites;

	/* Months */
	const char *sec_months, *month, *months_chart, *no_months;

	/* Quizzes */
	const char *sec_quiz, *attempts, *solo, *in_contests, *completed,
		   *answers, *share_right, *contests, *quiz_topics,
		   *all_topics, *contest_list, *date, *klass, *kiosk,
		   *questions, *students, *avg_score, *best_score,
		   *no_contests, *no_quiz;

	/* Health */
	const char *sec_health, *version, *runs, *uptime, *clean, *crashes,
		   *cuts, *errors, *warnings, *problems, *message, *severity,
		   *error_word, *warning_word, *times, *on_kiosks, *last_seen,
		   *no_health, *no_problems;
};

/* Numbers the Vietnamese way (1.234,5) and the English way (1,234.5):
 * only the fields langfmt reads are set. */
static const struct lang fmt_vi = {
	.date_format = "dd/mm/yyyy", .digit_group = ".", .decimal_mark = ",",
};
static const struct lang fmt_en = {
	.date_format = "yyyy-mm-dd", .digit_group = ",", .decimal_mark = ".",
};

static const struct labels labels_vi = {
	.lang = "vi", .fmt = &fmt_vi, .pct = " %", .dash = "—", .dmy = true,
	.seconds_unit = " giây",

	.title = "Báo cáo hoạt động ki-ốt thông tin về quyền con người",
	.period = "Kỳ báo cáo", .all_dates = "toàn bộ dữ liệu",
	.from = "từ ngày", .to = "đến ngày", .until = "đến ngày",
	.on_day = "ngày",
	.data_span = "Có dữ liệu", .n_kiosks = "Số ki-ốt",
	.n_logs = "Số tệp nhật ký đã gộp",
	.no_data = "Không có dữ liệu nào trong kỳ báo cáo.",

	.sec_totals = "Tổng quan", .sessions = "Lượt truy cập",
	.views = "Lượt xem", .hours = "Số giờ xem",
	.completion = "Tỉ lệ xem hết",
	.undated = "Lượt xem không xác định được ngày (ghi khi đồng hồ chưa được đặt; chỉ tính khi báo cáo toàn bộ thời gian, không tính vào tháng nào)",

	.sec_target = "Mục tiêu 15–20 % sản phẩm bằng tiếng dân tộc thiểu số "
		      "và tiếng nước ngoài",
	.target_note = "Kế hoạch quốc gia đặt mục tiêu 15–20 % sản phẩm "
		       "thông tin bằng tiếng dân tộc thiểu số và tiếng nước "
		       "ngoài. Một sản phẩm là một nội dung có trên ki-ốt "
		       "bằng một ngôn ngữ.",
	.target_band = "Mục tiêu 15–20 %",
	.share_products = "Tỉ lệ sản phẩm", .share_views = "Tỉ lệ lượt xem",
	.products_word = "sản phẩm", .views_word = "lượt xem",
	.minority_langs = "tiếng dân tộc thiểu số",
	.foreign_langs = "tiếng nước ngoài",
	.below = "CHƯA ĐẠT mục tiêu (dưới 15 %)",
	.within = "ĐẠT mục tiêu (trong khoảng 15–20 %)",
	.above = "ĐẠT và VƯỢT mục tiêu (trên 20 %)",
	.unknown = "Chưa có dữ liệu để đánh giá",

	.sec_langs = "Theo ngôn ngữ", .language = "Ngôn ngữ", .kind = "Loại",
	.products = "Sản phẩm", .share = "Tỉ lệ lượt xem",
	.kind_names = { "Quốc gia", "Dân tộc thiểu số", "Nước ngoài",
			"Không rõ" },
	.langs_chart = "Lượt xem theo ngôn ngữ",
	.no_langs = "Không có lượt xem nào theo ngôn ngữ trong kỳ báo cáo.",

	.sec_topics = "Theo chủ đề", .topic = "Chủ đề",
	.conventions = "Bảy công ước quốc tế cốt lõi về quyền con người",
	.other_topics = "Các chủ đề khác",
	.no_topic = "(không có chủ đề)",
	.items_viewed = "Số sản phẩm được xem",
	.topics_note = "Một sản phẩm có thể thuộc nhiều chủ đề, nên tổng các "
		       "dòng có thể lớn hơn tổng số lượt xem.",
	.topics_chart = "Lượt xem theo chủ đề",
	.no_topics = "Không có lượt xem nào theo chủ đề trong kỳ báo cáo.",

	.sec_items = "Theo sản phẩm", .item = "Sản phẩm",
	.avg_time = "Thời gian xem trung bình",
	.no_items = "Không có sản phẩm nào được xem trong kỳ báo cáo.",

	.sec_sites = "Theo địa điểm", .site = "Địa điểm (thôn, bản)",
	.kiosks = "Ki-ốt", .active = "Thời gian hoạt động",
	.days = "Số ngày hoạt động", .unnamed_site = "(chưa đặt tên)",
	.no_sites = "Không có lượt truy cập nào theo địa điểm trong kỳ báo "
		    "cáo.",

	.sec_months = "Theo tháng", .month = "Tháng",
	.months_chart = "Lượt xem theo tháng",
	.no_months = "Không có dữ liệu theo tháng trong kỳ báo cáo.",

	.sec_quiz = "Trắc nghiệm", .attempts = "Lượt làm bài",
	.solo = "Tự luyện tập", .in_contests = "Trong cuộc thi của lớp",
	.completed = "Làm hết bài", .answers = "Câu trả lời",
	.share_right = "Tỉ lệ trả lời đúng", .contests = "Cuộc thi",
	.quiz_topics = "Theo chủ đề", .all_topics = "(mọi chủ đề)",
	.contest_list = "Các cuộc thi của lớp", .date = "Ngày",
	.klass = "Lớp", .kiosk = "Ki-ốt", .questions = "Số câu hỏi",
	.students = "Số học sinh", .avg_score = "Điểm trung bình",
	.best_score = "Điểm cao nhất",
	.no_contests = "Không có cuộc thi nào của lớp trong kỳ báo cáo.",
	.no_quiz = "Không có lượt làm bài trắc nghiệm nào trong kỳ báo cáo.",

	.sec_health = "Tình trạng ki-ốt", .version = "Phiên bản",
	.runs = "Số lần khởi động", .uptime = "Số giờ hoạt động",
	.clean = "Tắt bình thường", .crashes = "Lỗi, đã tự khởi động lại",
	.cuts = "Mất điện hoặc khởi động lại máy", .errors = "Lỗi",
	.warnings = "Cảnh báo", .problems = "Các sự cố thường gặp nhất",
	.message = "Nội dung", .severity = "Mức độ", .error_word = "lỗi",
	.warning_word = "cảnh báo", .times = "Số lần",
	.on_kiosks = "Số ki-ốt", .last_seen = "Lần cuối",
	.no_health = "Không có dữ liệu về tình trạng ki-ốt trong kỳ báo cáo.",
	.no_problems = "Không có lỗi hay cảnh báo nào được ghi lại.",
};

static const struct labels labels_en = {
	.lang = "en", .fmt = &fmt_en, .pct = "%", .dash = "—", .dmy = false,
	.seconds_unit = " s",

	.title = "Human rights information kiosks: activity report",
	.period = "Period", .all_dates = "all data",
	.from = "from", .to = "to", .until = "until", .on_day = "",
	.data_span = "Data", .n_kiosks = "Kiosks",
	.n_logs = "Log files merged",
	.no_data = "No data in this period.",

	.sec_totals = "Totals", .sessions = "Sessions", .views = "Views",
	.hours = "Hours watched", .completion = "Completion rate",
	.undated = "Views that could not be dated (logged before the clock was set; counted over all dates only, in no month)",

	.sec_target = "Target: 15–20% of products in minority and foreign "
		      "languages",
	.target_note = "The national plan sets a target of 15–20% of "
		       "information products in minority and foreign "
		       "languages. A product is one item on the kiosk in one "
		       "language.",
	.target_band = "Target 15–20%",
	.share_products = "Share of products", .share_views = "Share of views",
	.products_word = "products", .views_word = "views",
	.minority_langs = "minority languages",
	.foreign_langs = "foreign languages",
	.below = "NOT REACHED (below 15%)",
	.within = "REACHED (within 15–20%)",
	.above = "REACHED and EXCEEDED (above 20%)",
	.unknown = "No data to judge",

	.sec_langs = "By language", .language = "Language", .kind = "Kind",
	.products = "Products", .share = "Share of views",
	.kind_names = { "National", "Minority", "Foreign", "Unknown" },
	.langs_chart = "Views by language",
	.no_langs = "No views by language in this period.",

	.sec_topics = "By topic", .topic = "Topic",
	.conventions = "The seven core UN human rights conventions",
	.other_topics = "Other topics",
	.no_topic = "(no topic)",
	.items_viewed = "Items viewed",
	.topics_note = "An item may carry several topics, so the rows may add "
		       "up to more than the total views.",
	.topics_chart = "Views by topic",
	.no_topics = "No views by topic in this period.",

	.sec_items = "By item", .item = "Item", .avg_time = "Average time",
	.no_items = "No items were viewed in this period.",

	.sec_sites = "By site", .site = "Site (village)", .kiosks = "Kiosks",
	.active = "Active", .days = "Days active", .unnamed_site = "(not set)",
	.no_sites = "No sessions by site in this period.",

	.sec_months = "By month", .month = "Month",
	.months_chart = "Views per month",
	.no_months = "No data by month in this period.",

	.sec_quiz = "Quizzes", .attempts = "Attempts", .solo = "Solo practice",
	.in_contests = "In class contests", .completed = "Completed",
	.answers = "Answers", .share_right = "Share right",
	.contests = "Contests", .quiz_topics = "By topic",
	.all_topics = "(all topics)", .contest_list = "Class contests",
	.date = "Date", .klass = "Class", .kiosk = "Kiosk",
	.questions = "Questions", .students = "Students",
	.avg_score = "Average score", .best_score = "Best score",
	.no_contests = "No class contests in this period.",
	.no_quiz = "No quiz attempts in this period.",

	.sec_health = "Kiosk health", .version = "Version", .runs = "Starts",
	.uptime = "Hours up", .clean = "Clean ends",
	.crashes = "Crashes recovered", .cuts = "Power cuts or resets",
	.errors = "Errors", .warnings = "Warnings",
	.problems = "Most frequent problems", .message = "Message",
	.severity = "Severity", .error_word = "error",
	.warning_word = "warning", .times = "Times", .on_kiosks = "Kiosks",
	.last_seen = "Last seen",
	.no_health = "No kiosk health data in this period.",
	.no_problems = "No errors or warnings were logged.",
};

/* Vietnamese names of the topics (topics.h has the English ones), and
 * short names for the charts. The conventions use their standard
 * Vietnamese titles. */
struct topic_names {
	const char *id;
	bool convention;        /* one of the seven core conventions */
	const char *vi, *vi_short, *en_short;
};

static const struct topic_names topic_names[] = {
	{ "udhr", false,
	  "Tuyên ngôn toàn thế giới về nhân quyền (UDHR)",
	  "UDHR · Tuyên ngôn nhân quyền", "UDHR · Universal Declaration" },
	{ "cerd", true,
	  "Công ước quốc tế về xóa bỏ mọi hình thức phân biệt chủng tộc "
	  "(CERD)",
	  "CERD · Xóa bỏ phân biệt chủng tộc", "CERD · Racial discrimination" },
	{ "iccpr", true,
	  "Công ước quốc tế về các quyền dân sự và chính trị (ICCPR)",
	  "ICCPR · Quyền dân sự, chính trị",
	  "ICCPR · Civil and political rights" },
	{ "icescr", true,
	  "Công ước quốc tế về các quyền kinh tế, xã hội và văn hóa (ICESCR)",
	  "ICESCR · Kinh tế, xã hội, văn hóa",
	  "ICESCR · Economic, social, cultural" },
	{ "cedaw", true,
	  "Công ước về xóa bỏ mọi hình thức phân biệt đối xử với phụ nữ "
	  "(CEDAW)",
	  "CEDAW · Quyền của phụ nữ", "CEDAW · Discrimination against women" },
	{ "cat", true,
	  "Công ước chống tra tấn và các hình thức đối xử hoặc trừng phạt tàn "
	  "bạo, vô nhân đạo hoặc hạ nhục con người (CAT)",
	  "CAT · Chống tra tấn", "CAT · Against torture" },
	{ "crc", true, "Công ước về quyền trẻ em (CRC)",
	  "CRC · Quyền trẻ em", "CRC · Rights of the child" },
	{ "crpd", true, "Công ước về quyền của người khuyết tật (CRPD)",
	  "CRPD · Quyền của người khuyết tật",
	  "CRPD · Persons with disabilities" },
	{ "vn-law", false, "Hiến pháp và pháp luật Việt Nam",
	  "Hiến pháp và pháp luật", "Constitution and laws" },
	{ "women", false, "Phụ nữ", "Phụ nữ", "Women" },
	{ "children", false, "Trẻ em", "Trẻ em", "Children" },
	{ "poverty", false, "Người nghèo", "Người nghèo",
	  "People living in poverty" },
	{ "elderly", false, "Người cao tuổi", "Người cao tuổi",
	  "Older people" },
	{ "disability", false, "Người khuyết tật", "Người khuyết tật",
	  "People with disabilities" },
	{ "ethnic-minorities", false, "Đồng bào dân tộc thiểu số",
	  "Dân tộc thiểu số", "Ethnic minorities" },
	{ "hr-day", false, "Ngày Quốc tế Nhân quyền (10/12)",
	  "Ngày Nhân quyền (10/12)", "Human Rights Day" },
};

static const struct topic_names *topic_names_find(const char *id)
{
	for (size_t i = 0; i < ARRAY_LEN(topic_names); i++)
		if (strcmp(topic_names[i].id, id) == 0)
			return &topic_names[i];
	return NULL;
}

static bool topic_is_convention(const char *id)
{
	const struct topic_names *t = topic_names_find(id);
	return t && t->convention;
}

/* The full name of a topic id in the report's language; the id itself
 * when unknown, empty_label for "". */
static const char *topic_label(const struct labels *L, const char *id,
			       const char *empty_label)
{
	if (!id || !*id)
		return empty_label;
	const struct topic_names *t = topic_names_find(id);
	if (L == &labels_vi)
		return t ? t->vi : id;
	const struct topic *tp = topic_find(id);
	return tp ? tp->label : id;
}

static const char *topic_short(const struct labels *L, const char *id,
			       const char *empty_label)
{
	if (!id || !*id)
		return empty_label;
	const struct topic_names *t = topic_names_find(id);
	if (!t)
		return id;
	return L == &labels_vi ? t->vi_short : t->en_short;
}

/* ------------------------------------------------------------------------
 * Numbers
 * ------------------------------------------------------------------------ */

#define NUM_SIZE 64

static char *num_int(const struct labels *L, int64_t v, char *buf)
{
	return langfmt_int(L->fmt, (long long)v, buf, NUM_SIZE);
}

static char *num_dec(const struct labels *L, double v, int decimals,
		     char *buf)
{
	return langfmt_decimal(L->fmt, v, decimals, buf, NUM_SIZE);
}

/* A fraction as a percentage with one decimal: "17,5 %". */
static char *num_pct(const struct labels *L, double fraction, char *buf)
{
	langfmt_decimal(L->fmt, fraction * 100.0, 1, buf, NUM_SIZE - 8);
	strcat(buf, L->pct);
	return buf;
}

/* num / den as a percentage; the dash when den <= 0. */
static char *num_share(const struct labels *L, int64_t num, int64_t den,
		       char *buf)
{
	if (den <= 0) {
		snprintf(buf, NUM_SIZE, "%s", L->dash);
		return buf;
	}
	return num_pct(L, (double)num / (double)den, buf);
}

static char *num_hours(const struct labels *L, double seconds, char *buf)
{
	return num_dec(L, seconds > 0 ? seconds / 3600.0 : 0, 1, buf);
}

/* Average seconds per view: "83,4 giây"; the dash without views. */
static char *num_avg_seconds(const struct labels *L,
			     const struct figures_views *v, char *buf)
{
	if (v->views <= 0) {
		snprintf(buf, NUM_SIZE, "%s", L->dash);
		return buf;
	}
	num_dec(L, v->seconds / (double)v->views, 1, buf);
	strcat(buf, L->seconds_unit);
	return buf;
}

/* ------------------------------------------------------------------------
 * Tables
 * ------------------------------------------------------------------------ */

/* A table and its header row; kinds has one letter per column: 't' text,
 * 'n' a number (right-aligned). */
static void table_begin(FILE *out, const char *kinds,
			const char *const *heads)
{
	fputs("<div class=\"wide\"><table>\n<thead><tr>", out);
	for (size_t i = 0; kinds[i]; i++) {
		fputs(kinds[i] == 'n' ? "<th class=\"num\">" : "<th>", out);
		htmlout_text(out, heads[i]);
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
}

static void table_end(FILE *out)
{
	fputs("</tbody>\n</table></div>\n", out);
}

static void td_text(FILE *out, const char *s)
{
	fputs("<td>", out);
	htmlout_text(out, s);
	fputs("</td>", out);
}

static void td_num(FILE *out, const char *s)
{
	fputs("<td class=\"num\">", out);
	htmlout_text(out, s);
	fputs("</td>", out);
}

/* An identifier (a kiosk id): kept on one line. */
static void td_id(FILE *out, const char *s)
{
	fputs("<td class=\"id\">", out);
	htmlout_text(out, s);
	fputs("</td>", out);
}

static void td_int(FILE *out, const struct labels *L, int64_t v)
{
	char b[NUM_SIZE];
	td_num(out, num_int(L, v, b));
}

/* "01/03/2026 – 31/03/2026", one date when both are the same day, the
 * dash when unknown (negative). */
static void td_days(FILE *out, const struct labels *L, int64_t first,
		    int64_t last)
{
	fputs("<td class=\"num\">", out);
	if (first < 0 || last < 0) {
		fputs(L->dash, out);
	} else {
		htmlout_day(out, first, L->dmy);
		if (last != first) {
			fputs(" – ", out);
			htmlout_day(out, last, L->dmy);
		}
	}
	fputs("</td>", out);
}

static void section_begin(FILE *out, const char *id, const char *heading)
{
	fprintf(out, "<section id=\"%s\">\n<h2>", id);
	htmlout_text(out, heading);
	fputs("</h2>\n", out);
}

static void section_end(FILE *out)
{
	fputs("</section>\n", out);
}

static void note(FILE *out, const char *cls, const char *text)
{
	fprintf(out, "<p class=\"%s\">", cls);
	htmlout_text(out, text);
	fputs("</p>\n", out);
}

/* ------------------------------------------------------------------------
 * Charts
 * ------------------------------------------------------------------------ */

#define CHART_W 800

static const char *const kind_colors[4] = {
	"#1d5a8a", "#1e8449", "#c77c0e", "#8a8a8a",
};
#define COLOR_CONVENTION "#1d5a8a"
#define COLOR_OTHER "#5d8aa8"
#define COLOR_MONTH "#1d5a8a"
#define COLOR_BAD "#c0392b"
#define COLOR_GOOD "#1e8449"

/* One bar of a horizontal bar chart. */
struct bar {
	const char *label;       /* not owned */
	const char *label2;      /* appended after a space, e.g. "(rad)";
				  * may be NULL */
	const char *label_lang;  /* lang attribute of the label, or NULL */
	double value;
	char text[2 * NUM_SIZE]; /* the numbers written after the bar */
	const char *color;
};

#define BAR_LABEL_X 262
#define BAR_X 270
#define BAR_MAX_W 400
#define BAR_ROW_H 26

static void figure_begin(FILE *out, const char *caption, int h)
{
	fputs("<figure class=\"chart\">\n<svg viewBox=\"0 0 ", out);
	fprintf(out, "%d %d\" role=\"img\" aria-label=\"", CHART_W, h);
	htmlout_text(out, caption);
	fputs("\" font-size=\"13\">\n", out);
}

static void figure_end(FILE *out, const char *caption)
{
	fputs("</svg>\n<figcaption>", out);
	htmlout_text(out, caption);
	fputs("</figcaption>\n</figure>\n", out);
}

/* Horizontal bars, one per row, the longest for the largest value, each
 * labelled on the left and followed by its numbers. */
static void chart_bars(FILE *out, const struct bar *bars, size_t n,
		       const char *caption)
{
	double max = 0;
	for (size_t i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	int h = (int)n * BAR_ROW_H + 8;
	figure_begin(out, caption, h);
	for (size_t i = 0; i < n; i++) {
		const struct bar *b = &bars[i];
		int y = 4 + (int)i * BAR_ROW_H;
		double w = max > 0 && b->value > 0 ? BAR_MAX_W * b->value / max
						   : 0;
		if (b->value > 0 && w < 1)
			w = 1;
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\"",
			BAR_LABEL_X, y + 17);
		if (b->label_lang) {
			fputs(" lang=\"", out);
			htmlout_text(out, b->label_lang);
			fputs("\"", out);
		}
		fputs(">", out);
		htmlout_text_cut(out, b->label, b->label2 ? 28 : 36);
		if (b->label2) {
			fputs(" ", out);
			htmlout_text_cut(out, b->label2, 12);
		}
		fprintf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" "
			"height=\"18\" fill=\"%s\"/><text x=\"%.1f\" y=\"%d\">",
			BAR_X, y + 3, w, b->color, BAR_X + w + 6, y + 17);
		htmlout_text(out, b->text);
		fputs("</text>\n", out);
	}
	figure_end(out, caption);
}

/* A small square of a colour, for legends. */
static void swatch(FILE *out, const char *color)
{
	fprintf(out, "<svg class=\"sw\" viewBox=\"0 0 10 10\" width=\"10\" "
		"height=\"10\" aria-hidden=\"true\"><rect width=\"10\" "
		"height=\"10\" fill=\"%s\"/></svg>", color);
}

/* The share of a target as a gauge: a scale from 0 to at least 40 %, the
 * target band 15-20 % shaded, the share as a bar with its value. */
static void chart_gauge(FILE *out, const struct labels *L, double share,
			const char *caption)
{
	if (!(share >= 0))
		share = 0;
	if (share > 1)
		share = 1;
	double max = 0.40;
	if (share > 0.35)
		max = fmin(1.0, ceil((share + 0.05) * 10 - 1e-9) / 10);
	double step = max <= 0.40 + 1e-9 ? 0.05 : 0.10;
	const double x0 = 30, span = 740;
#define GX(s) (x0 + span * (s) / max)
	char b[NUM_SIZE];
	bool reached = llround(share * 1000) >= llround(FIGURES_TARGET_LOW *
							1000);
	figure_begin(out, caption, 112);
	/* the track, the band, the share */
	fprintf(out, "<rect x=\"%.1f\" y=\"38\" width=\"%.1f\" height=\"32\" "
		"fill=\"#ececec\"/>\n", x0, span);
	fprintf(out, "<rect x=\"%.1f\" y=\"30\" width=\"%.1f\" height=\"48\" "
		"fill=\"#1e8449\" fill-opacity=\"0.22\" stroke=\"#1e8449\" "
		"stroke-width=\"1.5\"/>\n", GX(FIGURES_TARGET_LOW),
		GX(FIGURES_TARGET_HIGH) - GX(FIGURES_TARGET_LOW));
	fprintf(out, "<text x=\"%.1f\" y=\"22\" text-anchor=\"middle\" "
		"font-weight=\"600\">",
		(GX(FIGURES_TARGET_LOW) + GX(FIGURES_TARGET_HIGH)) / 2);
	htmlout_text(out, L->target_band);
	fputs("</text>\n", out);
	fprintf(out, "<rect x=\"%.1f\" y=\"44\" width=\"%.1f\" height=\"20\" "
		"fill=\"%s\"/>\n", x0, GX(share) - x0,
		reached ? COLOR_GOOD : COLOR_BAD);
	/* the share's value, right of the bar, or left inside it when the
	 * bar reaches the end of the scale */
	bool inside = GX(share) > x0 + span - 80;
	fprintf(out, "<text x=\"%.1f\" y=\"59\" font-weight=\"700\"%s>",
		inside ? GX(share) - 6 : GX(share) + 6,
		inside ? " text-anchor=\"end\" fill=\"#fff\"" : "");
	htmlout_text(out, num_pct(L, share, b));
	fputs("</text>\n", out);
	/* the scale */
	for (int i = 0; i * step <= max + 1e-9; i++) {
		double s = i * step;
		fprintf(out, "<line x1=\"%.1f\" y1=\"78\" x2=\"%.1f\" y2=\"84\" "
			"stroke=\"#555\"/><text x=\"%.1f\" y=\"100\" "
			"text-anchor=\"middle\" font-size=\"12\">", GX(s), GX(s),
			GX(s));
		htmlout_text(out, num_dec(L, s * 100, 0, b));
		htmlout_text(out, L->pct);
		fputs("</text>\n", out);
	}
#undef GX
	figure_end(out, caption);
}

/* Columns, one per month, with the value above each and the month below;
 * labels turn upright when the columns are narrow. */
static void chart_months(FILE *out, const struct labels *L,
			 const struct report_figures *f)
{
	size_t n = f->n_months;
	int64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (f->months[i].v.views > max)
			max = f->months[i].v.views;
	const double left = 20, plot_w = CHART_W - 40;
	double colw = plot_w / (double)n;
	bool upright = colw < 56;
	double top = upright ? 70 : 24, plot_h = 180;
	double base = top + plot_h;
	int h = (int)(base + (upright ? 64 : 26));
	double fs = upright ? fmin(12, fmax(7, colw * 0.55)) : 12;
	char b[NUM_SIZE];
	figure_begin(out, L->months_chart, h);
	fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"#555\"/>\n", left, base, left + plot_w, base);
	for (size_t i = 0; i < n; i++) {
		const struct figures_month *m = &f->months[i];
		double ch = max > 0 ? plot_h * (double)m->v.views / (double)max
				    : 0;
		double cx = left + colw * ((double)i + 0.5);
		double w = fmin(colw * 0.7, 56);
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"%.1f\" fill=\"%s\"/>", cx - w / 2, base - ch,
			w, ch, COLOR_MONTH);
		num_int(L, m->v.views, b);
		if (upright)
			fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" "
				"transform=\"rotate(-90 %.1f %.1f)\">%s</text>",
				cx + fs / 3, base - ch - 4, fs, cx + fs / 3,
				base - ch - 4, b);
		else
			fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" "
				"text-anchor=\"middle\">%s</text>", cx,
				base - ch - 5, fs, b);
		if (L->dmy)
			snprintf(b, sizeof b, "%02d/%04d", m->month, m->year);
		else
			snprintf(b, sizeof b, "%04d-%02d", m->year, m->month);
		if (upright)
			fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" "
				"text-anchor=\"end\" transform=\"rotate(-90 %.1f "
				"%.1f)\">%s</text>\n", cx + fs / 3, base + 6, fs,
				cx + fs / 3, base + 6, b);
		else
			fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" "
				"text-anchor=\"middle\">%s</text>\n", cx,
				base + 18, fs, b);
	}
	figure_end(out, L->months_chart);
}

/* ------------------------------------------------------------------------
 * Sections
 * ------------------------------------------------------------------------ */

static bool has_any_data(const struct report_figures *f)
{
	return f->sessions > 0 || f->v.views > 0 || f->n_items ||
	       f->n_langs || f->n_sites || f->quiz.attempts > 0 ||
	       f->n_kiosk_health || f->n_problems;
}

static void write_header(FILE *out, const struct labels *L,
			 const struct report_figures *f)
{
	char b[NUM_SIZE];
	fputs("<header>\n<h1>", out);
	htmlout_text(out, L->title);
	fputs("</h1>\n", out);
	htmlout_period(out, f->from_day, f->to_day, L->dmy,
		       &(struct htmlout_period_words){ L->period,
			L->all_dates, L->on_day, L->from, L->until, L->to });
	fputs("<p class=\"meta\">", out);
	if (has_any_data(f) && f->first_day >= 0 &&
	    f->last_day >= f->first_day) {
		fprintf(out, "%s: %s ", L->data_span, L->from);
		htmlout_day(out, f->first_day, L->dmy);
		fprintf(out, " %s ", L->to);
		htmlout_day(out, f->last_day, L->dmy);
		fputs(" · ", out);
	}
	fprintf(out, "%s: <b>%s</b>", L->n_kiosks, num_int(L, f->kiosks, b));
	fprintf(out, " · %s: <b>%s</b></p>\n", L->n_logs, num_int(L, f->logs, b));
	if (!has_any_data(f))
		note(out, "verdict none", L->no_data);
	fputs("</header>\n", out);
}

static void card(FILE *out, const char *value, const char *what)
{
	fputs("<div class=\"card\"><span class=\"big\">", out);
	htmlout_text(out, value);
	fputs("</span><span class=\"what\">", out);
	htmlout_text(out, what);
	fputs("</span></div>\n", out);
}

static void write_totals(FILE *out, const struct labels *L,
			 const struct report_figures *f)
{
	char b[NUM_SIZE];
	section_begin(out, "totals", L->sec_totals);
	fputs("<div class=\"cards\">\n", out);
	card(out, num_int(L, f->sessions, b), L->sessions);
	card(out, num_int(L, f->v.views, b), L->views);
	card(out, num_hours(L, f->v.seconds, b), L->hours);
	card(out, num_share(L, f->v.completed, f->v.views, b), L->completion);
	fputs("</div>\n", out);
	if (f->undated > 0) {
		fputs("<p class=\"note\">", out);
		htmlout_text(out, L->undated);
		fprintf(out, ": %s</p>\n", num_int(L, f->undated, b));
	}
	section_end(out);
}

/* One of the two shares against the target: the counts, the verdict in
 * words, the gauge. */
static void write_share(FILE *out, const struct labels *L, const char *what,
			double share, int64_t minority, int64_t foreign,
			int64_t total, const char *unit)
{
	char b[NUM_SIZE];
	fputs("<div class=\"target\">\n<h3>", out);
	htmlout_text(out, what);
	fputs("</h3>\n", out);
	if (total <= 0) {
		fputs("<p class=\"verdict none\">", out);
		htmlout_text(out, what);
		fputs(": ", out);
		htmlout_text(out, L->unknown);
		fputs("</p>\n</div>\n", out);
		return;
	}
	fprintf(out, "<p class=\"meta\"><b>%s</b> / ",
		num_int(L, minority + foreign, b));
	fprintf(out, "%s %s · ", num_int(L, total, b), unit);
	fprintf(out, "%s: %s · ", L->minority_langs, num_int(L, minority, b));
	fprintf(out, "%s: %s</p>\n", L->foreign_langs, num_int(L, foreign, b));
	long long permille = llround(fmax(share, 0) * 1000);
	const char *verdict, *cls;
	if (permille < llround(FIGURES_TARGET_LOW * 1000)) {
		verdict = L->below;
		cls = "no";
	} else if (permille <= llround(FIGURES_TARGET_HIGH * 1000)) {
		verdict = L->within;
		cls = "yes";
	} else {
		verdict = L->above;
		cls = "yes";
	}
	fprintf(out, "<p class=\"verdict %s\">", cls);
	htmlout_text(out, what);
	fprintf(out, ": %s — ", num_pct(L, share, b));
	htmlout_text(out, verdict);
	fputs("</p>\n", out);
	chart_gauge(out, L, share, what);
	fputs("</div>\n", out);
}

static void write_target(FILE *out, const struct labels *L,
			 const struct report_figures *f)
{
	section_begin(out, "target", L->sec_target);
	note(out, "note", L->target_note);
	write_share(out, L, L->share_products, f->share_products,
		    f->products_minority, f->products_foreign, f->products,
		    L->products_word);
	write_share(out, L, L->share_views, f->share_views, f->views_minority,
		    f->views_foreign, f->v.views, L->views_word);
	section_end(out);
}

static int kind_index(enum figures_lang_kind k)
{
	return k >= FIGURES_LANG_NATIONAL && k <= FIGURES_LANG_UNKNOWN
	       ? (int)k : FIGURES_LANG_UNKNOWN;
}

static void write_langs(FILE *out, const struct labels *L,
			const struct report_figures *f,
			const struct lang_registry *reg)
{
	char b[NUM_SIZE], b2[NUM_SIZE];
	section_begin(out, "languages", L->sec_langs);
	if (!f->n_langs) {
		note(out, "note", L->no_langs);
		section_end(out);
		return;
	}
	/* bars labelled "Êđê (rad)", or the tag alone when the registry
	 * does not know it; texts "1.234 · 17,5 %" */
	struct bar *bars = xcalloc(f->n_langs, sizeof *bars);
	char (*tags)[NUM_SIZE] = xcalloc(f->n_langs, sizeof *tags);
	for (size_t i = 0; i < f->n_langs; i++) {
		const struct figures_lang *g = &f->langs[i];
		const struct lang *known = reg && g->lang
					   ? lang_find(reg, g->lang) : NULL;
		struct bar *r = &bars[i];
		r->label = g->lang;
		if (known && known->endonym) {
			r->label = known->endonym;
			snprintf(tags[i], sizeof tags[i], "(%s)",
				 g->lang);
			r->label2 = tags[i];
		}
		r->label_lang = g->lang && *g->lang ? g->lang : NULL;
		r->value = (double)g->v.views;
		r->color = kind_colors[kind_index(g->kind)];
		snprintf(r->text, sizeof r->text, "%s · %s",
			 num_int(L, g->v.views, b),
			 num_share(L, g->v.views, f->v.views, b2));
	}
	chart_bars(out, bars, f->n_langs, L->langs_chart);
	fputs("<p class=\"legend\">", out);
	for (int k = 0; k < 4; k++) {
		bool used = false;
		for (size_t i = 0; i < f->n_langs; i++)
			used = used || kind_index(f->langs[i].kind) == k;
		if (!used)
			continue;
		swatch(out, kind_colors[k]);
		fprintf(out, " %s ", L->kind_names[k]);
	}
	fputs("</p>\n", out);
	free(tags);
	free(bars);

	const char *heads[] = { L->language, L->kind, L->products, L->sessions,
				L->views, L->share, L->hours, L->completion };
	table_begin(out, "ttnnnnnn", heads);
	for (size_t i = 0; i < f->n_langs; i++) {
		const struct figures_lang *g = &f->langs[i];
		const struct lang *known = reg && g->lang
					   ? lang_find(reg, g->lang) : NULL;
		fputs("<tr><td>", out);
		if (known && known->endonym) {
			fputs("<span lang=\"", out);
			htmlout_text(out, g->lang);
			fputs("\">", out);
			htmlout_text(out, known->endonym);
			fputs("</span>", out);
			if (known->name_vi &&
			    strcmp(known->name_vi, known->endonym) != 0) {
				fputs(" · ", out);
				htmlout_text(out, known->name_vi);
			}
			fputs(" <span class=\"muted\">(", out);
			htmlout_text(out, g->lang);
			fputs(")</span>", out);
		} else {
			htmlout_text(out, g->lang);
		}
		fputs("</td>", out);
		td_text(out, L->kind_names[kind_index(g->kind)]);
		td_int(out, L, g->products);
		td_int(out, L, g->sessions);
		td_int(out, L, g->v.views);
		td_num(out, num_share(L, g->v.views, f->v.views, b));
		td_num(out, num_hours(L, g->v.seconds, b));
		td_num(out, num_share(L, g->v.completed, g->v.views, b));
		fputs("</tr>\n", out);
	}
	table_end(out);
	section_end(out);
}

static void topic_row(FILE *out, const struct labels *L,
		      const struct report_figures *f,
		      const struct figures_topic *t)
{
	char b[NUM_SIZE];
	fputs("<tr>", out);
	td_text(out, topic_label(L, t->topic, L->no_topic));
	td_int(out, L, t->items);
	td_int(out, L, t->v.views);
	td_num(out, num_share(L, t->v.views, f->v.views, b));
	td_num(out, num_hours(L, t->v.seconds, b));
	td_num(out, num_share(L, t->v.completed, t->v.views, b));
	fputs("</tr>\n", out);
}

static void write_topics(FILE *out, const struct labels *L,
			 const struct report_figures *f)
{
	char b[NUM_SIZE], b2[NUM_SIZE];
	section_begin(out, "topics", L->sec_topics);
	if (!f->n_topics) {
		note(out, "note", L->no_topics);
		section_end(out);
		return;
	}
	/* the conventions first, then the rest, each in figures' order */
	size_t *order = xcalloc(f->n_topics, sizeof *order);
	size_t n_conv = 0, k = 0;
	for (size_t i = 0; i < f->n_topics; i++)
		if (topic_is_convention(f->topics[i].topic))
			order[k++] = i;
	n_conv = k;
	for (size_t i = 0; i < f->n_topics; i++)
		if (!topic_is_convention(f->topics[i].topic))
			order[k++] = i;

	struct bar *bars = xcalloc(f->n_topics, sizeof *bars);
	for (size_t j = 0; j < f->n_topics; j++) {
		const struct figures_topic *t = &f->topics[order[j]];
		bars[j].label = topic_short(L, t->topic, L->no_topic);
		bars[j].value = (double)t->v.views;
		bars[j].color = j < n_conv ? COLOR_CONVENTION : COLOR_OTHER;
		snprintf(bars[j].text, sizeof bars[j].text, "%s · %s",
			 num_int(L, t->v.views, b),
			 num_share(L, t->v.views, f->v.views, b2));
	}
	chart_bars(out, bars, f->n_topics, L->topics_chart);
	free(bars);
	fputs("<p class=\"legend\">", out);
	if (n_conv) {
		swatch(out, COLOR_CONVENTION);
		fprintf(out, " %s ", L->conventions);
	}
	if (n_conv < f->n_topics) {
		swatch(out, COLOR_OTHER);
		fprintf(out, " %s", L->other_topics);
	}
	fputs("</p>\n", out);
	note(out, "note", L->topics_note);

	const char *heads[] = { L->topic, L->items_viewed, L->views,
				L->share, L->hours, L->completion };
	table_begin(out, "tnnnnn", heads);
	for (size_t j = 0; j < f->n_topics; j++) {
		if (j == 0 && n_conv) {
			fputs("<tr class=\"group\"><th colspan=\"6\">", out);
			htmlout_text(out, L->conventions);
			fputs("</th></tr>\n", out);
		}
		if (j == n_conv && n_conv < f->n_topics) {
			fputs("<tr class=\"group\"><th colspan=\"6\">", out);
			htmlout_text(out, L->other_topics);
			fputs("</th></tr>\n", out);
		}
		topic_row(out, L, f, &f->topics[order[j]]);
	}
	table_end(out);
	free(order);
	section_end(out);
}

static void write_items(FILE *out, const struct labels *L,
			const struct report_figures *f)
{
	char b[NUM_SIZE];
	section_begin(out, "items", L->sec_items);
	if (!f->n_items) {
		note(out, "note", L->no_items);
		section_end(out);
		return;
	}
	const char *heads[] = { "#", L->item, L->views, L->avg_time,
				L->completion };
	table_begin(out, "ntnnn", heads);
	for (size_t i = 0; i < f->n_items; i++) {
		const struct figures_item *it = &f->items[i];
		fprintf(out, "<tr><td class=\"num\">%zu</td><td>", i + 1);
		htmlout_text(out, it->title && *it->title ? it->title
							  : it->item_id);
		fputs("<br><span class=\"muted\">", out);
		htmlout_text(out, it->item_id);
		if (it->kind && *it->kind) {
			fputs(" · ", out);
			htmlout_text(out, it->kind);
		}
		if (it->topics && *it->topics) {
			fputs(" · ", out);
			htmlout_text(out, it->topics);
		}
		fputs("</span></td>", out);
		td_int(out, L, it->v.views);
		td_num(out, num_avg_seconds(L, &it->v, b));
		td_num(out, num_share(L, it->v.completed, it->v.views, b));
		fputs("</tr>\n", out);
	}
	table_end(out);
	section_end(out);
}

static void write_sites(FILE *out, const struct labels *L,
			const struct report_figures *f)
{
	char b[NUM_SIZE];
	section_begin(out, "sites", L->sec_sites);
	if (!f->n_sites) {
		note(out, "note", L->no_sites);
		section_end(out);
		return;
	}
	const char *heads[] = { L->site, L->kiosks, L->active, L->days,
				L->sessions, L->views, L->hours };
	table_begin(out, "ttnnnnn", heads);
	for (size_t i = 0; i < f->n_sites; i++) {
		const struct figures_site *s = &f->sites[i];
		fputs("<tr>", out);
		if (s->site && *s->site)
			td_text(out, s->site);
		else
			fprintf(out, "<td><i>%s</i></td>", L->unnamed_site);
		td_text(out, s->kiosks);
		td_days(out, L, s->first_day, s->last_day);
		td_int(out, L, s->days);
		td_int(out, L, s->sessions);
		td_int(out, L, s->v.views);
		td_num(out, num_hours(L, s->v.seconds, b));
		fputs("</tr>\n", out);
	}
	table_end(out);
	section_end(out);
}

static void write_months(FILE *out, const struct labels *L,
			 const struct report_figures *f)
{
	char b[NUM_SIZE];
	section_begin(out, "months", L->sec_months);
	if (!f->n_months) {
		note(out, "note", L->no_months);
		section_end(out);
		return;
	}
	chart_months(out, L, f);
	const char *heads[] = { L->month, L->sessions, L->views, L->hours,
				L->completion };
	table_begin(out, "nnnnn", heads);
	for (size_t i = 0; i < f->n_months; i++) {
		const struct figures_month *m = &f->months[i];
		if (L->dmy)
			snprintf(b, sizeof b, "%02d/%04d", m->month, m->year);
		else
			snprintf(b, sizeof b, "%04d-%02d", m->year, m->month);
		fputs("<tr>", out);
		td_num(out, b);
		td_int(out, L, m->sessions);
		td_int(out, L, m->v.views);
		td_num(out, num_hours(L, m->v.seconds, b));
		td_num(out, num_share(L, m->v.completed, m->v.views, b));
		fputs("</tr>\n", out);
	}
	table_end(out);
	section_end(out);
}

static void write_quiz(FILE *out, const struct labels *L,
		       const struct report_figures *f)
{
	const struct figures_quiz *q = &f->quiz;
	char b[NUM_SIZE], b2[NUM_SIZE];
	section_begin(out, "quiz", L->sec_quiz);
	if (q->attempts <= 0 && !q->n_contests && !q->n_topics) {
		note(out, "note", L->no_quiz);
		section_end(out);
		return;
	}
	fputs("<div class=\"cards\">\n", out);
	card(out, num_int(L, q->attempts, b), L->attempts);
	card(out, num_int(L, q->solo, b), L->solo);
	card(out, num_int(L, q->in_contests, b), L->in_contests);
	card(out, num_int(L, q->completed, b), L->completed);
	card(out, num_int(L, q->answers, b), L->answers);
	card(out, num_share(L, q->right, q->answers, b), L->share_right);
	card(out, num_int(L, q->contests, b), L->contests);
	fputs("</div>\n", out);

	if (q->n_topics) {
		fputs("<h3>", out);
		htmlout_text(out, L->quiz_topics);
		fputs("</h3>\n", out);
		const char *heads[] = { L->topic, L->attempts, L->answers,
					L->share_right };
		table_begin(out, "tnnn", heads);
		for (size_t i = 0; i < q->n_topics; i++) {
			const struct figures_quiz_topic *t = &q->topics[i];
			fputs("<tr>", out);
			td_text(out, topic_label(L, t->topic, L->all_topics));
			td_int(out, L, t->attempts);
			td_int(out, L, t->answers);
			td_num(out, num_share(L, t->right, t->answers, b));
			fputs("</tr>\n", out);
		}
		table_end(out);
	}

	fputs("<h3>", out);
	htmlout_text(out, L->contest_list);
	fputs("</h3>\n", out);
	if (!q->n_contests) {
		note(out, "note", L->no_contests);
	} else {
		const char *heads[] = { L->date, L->klass, L->site, L->kiosk,
					L->questions, L->students,
					L->avg_score, L->best_score };
		table_begin(out, "ntttnnnn", heads);
		for (size_t i = 0; i < q->n_contests; i++) {
			const struct figures_contest *c = &q->contest_list[i];
			fputs("<tr>", out);
			td_days(out, L, c->day, c->day);
			td_text(out, c->class_name);
			td_text(out, c->site);
			td_id(out, c->kiosk_id);
			td_int(out, L, c->n_questions);
			td_int(out, L, c->students);
			snprintf(b2, sizeof b2, "%s / %d",
				 num_dec(L, c->average_score, 1, b),
				 c->n_questions);
			td_num(out, b2);
			snprintf(b2, sizeof b2, "%d / %d", c->best_score,
				 c->n_questions);
			td_num(out, b2);
			fputs("</tr>\n", out);
		}
		table_end(out);
	}
	section_end(out);
}

static void write_health(FILE *out, const struct labels *L,
			 const struct report_figures *f)
{
	char b[NUM_SIZE];
	section_begin(out, "health", L->sec_health);
	if (!f->n_kiosk_health) {
		note(out, "note", L->no_health);
	} else {
		const char *heads[] = { L->kiosk, L->version, L->active,
					L->runs, L->uptime, L->clean,
					L->crashes, L->cuts, L->errors,
					L->warnings };
		table_begin(out, "ttnnnnnnnn", heads);
		for (size_t i = 0; i < f->n_kiosk_health; i++) {
			const struct figures_kiosk *k = &f->kiosk_health[i];
			fputs("<tr>", out);
			td_id(out, k->kiosk_id);
			td_id(out, k->version);
			td_days(out, L, k->first_day, k->last_day);
			td_int(out, L, k->runs);
			td_num(out, num_dec(L, k->uptime_hours, 1, b));
			td_int(out, L, k->clean);
			td_int(out, L, k->crashes);
			td_int(out, L, k->cuts);
			td_int(out, L, k->errors);
			td_int(out, L, k->warnings);
			fputs("</tr>\n", out);
		}
		table_end(out);
	}

	fputs("<h3>", out);
	htmlout_text(out, L->problems);
	fputs("</h3>\n", out);
	if (!f->n_problems) {
		note(out, "note", L->no_problems);
	} else {
		const char *heads[] = { L->message, L->severity, L->times,
					L->on_kiosks, L->last_seen };
		table_begin(out, "ttnnn", heads);
		for (size_t i = 0; i < f->n_problems; i++) {
			const struct figures_problem *p = &f->problems[i];
			bool error = p->severity &&
				     strcmp(p->severity, "error") == 0;
			fputs("<tr><td class=\"msg\">", out);
			htmlout_text(out, p->message);
			fputs("</td>", out);
			fprintf(out, "<td class=\"%s\">%s</td>",
				error ? "sev-error" : "sev-warning",
				error ? L->error_word : L->warning_word);
			td_int(out, L, p->count);
			td_int(out, L, p->kiosks);
			td_days(out, L, p->last_day, p->last_day);
			fputs("</tr>\n", out);
		}
		table_end(out);
	}
	section_end(out);
}

/* ------------------------------------------------------------------------
 * The page
 * ------------------------------------------------------------------------ */

static const char report_style[] =
	".cards { display: grid; grid-template-columns: "
	"repeat(auto-fit, minmax(9.5em, 1fr)); gap: 0.6em; margin: 0.6em 0; }\n"
	".card { border: 1px solid #c8c8c8; border-radius: 4px; "
	"padding: 0.5em 0.7em; break-inside: avoid; page-break-inside: avoid; }\n"
	".card .big { display: block; font-size: 18pt; font-weight: 700; "
	"white-space: nowrap; }\n"
	".card .what { display: block; color: #444; font-size: 10pt; }\n"
	".verdict { font-weight: 700; padding: 0.35em 0.7em; margin: 0.4em 0; "
	"border-left: 6px solid #888; background: #f2f2f2; }\n"
	".verdict.yes { border-color: #1e8449; background: #eaf5ee; }\n"
	".verdict.no { border-color: #c0392b; background: #fbeceb; }\n"
	".target { break-inside: avoid; page-break-inside: avoid; }\n"
	"figure.chart { margin: 0.5em 0 0.6em; break-inside: avoid; "
	"page-break-inside: avoid; }\n"
	"figure.chart svg { display: block; width: 100%; height: auto; "
	"max-width: 100%; }\n"
	"figure.chart text { fill: #1a1a1a; }\n"
	"figcaption { font-size: 10pt; color: #444; text-align: center; }\n"
	".legend { font-size: 10pt; margin: 0 0 0.6em; }\n"
	".legend svg.sw { vertical-align: -0.05em; margin-left: 0.6em; }\n"
	"tr.group th { background: #d5e3ef; }\n"
	"th.num { white-space: normal; }\n"
	"td.id { white-space: nowrap; }\n"
	".sev-error { color: #a93226; font-weight: 600; }\n"
	"td.msg { word-break: break-word; }\n"
	".wide { overflow-x: auto; }\n"
	"section { break-before: auto; }\n"
	"@media print { .wide { overflow: visible; } "
	"table { font-size: 9pt; } th, td { padding: 0.2em 0.35em; } "
	"figure.chart text, figcaption, .card .what, .sev-error { "
	"fill: #000; color: #000; } "
	"h2 { break-before: auto; } }\n";

bool report_html_write(const struct report_figures *f,
		       const struct lang_registry *langs, const char *ui_lang,
		       FILE *out)
{
	const struct labels *L;
	if (!ui_lang || strcmp(ui_lang, "vi") == 0) {
		L = &labels_vi;
	} else if (strcmp(ui_lang, "en") == 0) {
		L = &labels_en;
	} else {
		fprintf(stderr, "kiosk report: report language '%s': only vi "
			"and en are known\n", ui_lang);
		return false;
	}
	if (!f || !out)
		return false;
	htmlout_begin(out, L->lang, L->title, report_style);
	write_header(out, L, f);
	fputs("<main>\n", out);
	write_totals(out, L, f);
	write_target(out, L, f);
	write_langs(out, L, f, langs);
	write_topics(out, L, f);
	write_items(out, L, f);
	write_sites(out, L, f);
	write_months(out, L, f);
	write_quiz(out, L, f);
	write_health(out, L, f);
	fputs("</main>\n", out);
	htmlout_end(out);
	return fflush(out) == 0 && !ferror(out);
}
