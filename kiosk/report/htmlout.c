/*
 * htmlout: escaped text, dates and the page frame of the reports' HTML
 * pages (see htmlout.h).
 */
#include "report/htmlout.h"

#include <string.h>

#include "base/util.h"

const char htmlout_style[] =
	"@page { size: A4; margin: 15mm 12mm 15mm 12mm; }\n"
	"* { box-sizing: border-box; }\n"
	"html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
	"body { font-family: \"Noto Sans\", \"DejaVu Sans\", \"Segoe UI\", "
	"Arial, sans-serif; font-size: 11pt; line-height: 1.4; color: #1a1a1a; "
	"background: #fff; margin: 0 auto; padding: 1.5em; max-width: 60em; }\n"
	"h1 { font-size: 20pt; margin: 0 0 0.2em; }\n"
	"h2 { font-size: 15pt; margin: 1.6em 0 0.4em; padding-bottom: 0.2em; "
	"border-bottom: 2px solid #1d5a8a; break-after: avoid; "
	"page-break-after: avoid; }\n"
	"h3 { font-size: 12.5pt; margin: 1.2em 0 0.2em; break-after: avoid; "
	"page-break-after: avoid; }\n"
	".period, .meta, .note { margin: 0.1em 0; color: #444; }\n"
	".meta, .note { font-size: 10pt; break-after: avoid; "
	"page-break-after: avoid; }\n"
	"table { border-collapse: collapse; width: 100%; margin: 0.4em 0 0.8em; }\n"
	"thead { display: table-header-group; }\n"
	"tr, td, th { break-inside: avoid; page-break-inside: avoid; }\n"
	"th, td { border: 1px solid #c8c8c8; padding: 0.25em 0.5em; "
	"text-align: left; vertical-align: top; }\n"
	"th { background: #e8eff5; font-weight: 600; }\n"
	"tbody tr:nth-child(even) td { background: #f7f7f7; }\n"
	"td.num, th.num { text-align: right; white-space: nowrap; }\n"
	".muted { color: #666; font-size: 9pt; }\n"
	"@media print { body { padding: 0; max-width: none; font-size: 10pt; "
	"color: #000; } h2 { font-size: 14pt; } "
	".period, .meta, .note, .muted { color: #000; } }\n";

void htmlout_text_cut(FILE *out, const char *s, size_t max_chars)
{
	if (!s)
		return;
	size_t len = strlen(s), i = 0, shown = 0;
	while (i < len) {
		uint32_t cp;
		int n = utf8_decode(s + i, len - i, &cp);
		size_t bad;
		unsigned char c = (unsigned char)s[i];
		if (shown + 1 == max_chars && i + (size_t)n < len) {
			fputs("…", out);
			return;
		}
		if (shown == max_chars)
			return;
		shown++;
		if (cp == 0xFFFD && !utf8_valid(s + i, (size_t)n, &bad))
			fputs("\xEF\xBF\xBD", out);
		else if (c == '&')
			fputs("&amp;", out);
		else if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c == '"')
			fputs("&quot;", out);
		else if (c == '\'')
			fputs("&#39;", out);
		else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			 c == 0x7f)
			fputs("\xEF\xBF\xBD", out);
		else
			fwrite(s + i, 1, (size_t)n, out);
		i += (size_t)n;
	}
}

void htmlout_text(FILE *out, const char *s)
{
	htmlout_text_cut(out, s, SIZE_MAX);
}

void htmlout_day(FILE *out, int64_t day, bool dmy)
{
	int y, m, d;
	date_from_days(day, &y, &m, &d); /* clamped to +-100 000 000 days */
	if (dmy)
		fprintf(out, "%02d/%02d/%04d", d, m, y);
	else
		fprintf(out, "%04d-%02d-%02d", y, m, d);
}

void htmlout_begin(FILE *out, const char *lang, const char *title,
		   const char *extra_style)
{
	fputs("<!DOCTYPE html>\n<html lang=\"", out);
	htmlout_text(out, lang);
	fputs("\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n<title>", out);
	htmlout_text(out, title);
	fputs("</title>\n<style>\n", out);
	fputs(htmlout_style, out);
	if (extra_style)
		fputs(extra_style, out);
	fputs("</style>\n</head>\n<body>\n", out);
}

void htmlout_end(FILE *out)
{
	fputs("</body>\n</html>\n", out);
}

void htmlout_period(FILE *out, int64_t from_day, int64_t to_day, bool dmy,
		    const struct htmlout_period_words *w)
{
	int64_t last = 0;
	date_parse_days("9999-12-31", &last);
	bool open_from = from_day <= 0, open_to = to_day >= last;
	fputs("<p class=\"period\">", out);
	htmlout_text(out, w->period);
	fputs(": ", out);
	if (open_from && open_to) {
		htmlout_text(out, w->all_dates);
	} else if (from_day == to_day) {
		if (*w->on_day) {
			htmlout_text(out, w->on_day);
			fputc(' ', out);
		}
		htmlout_day(out, from_day, dmy);
	} else if (open_to) {
		htmlout_text(out, w->from);
		fputc(' ', out);
		htmlout_day(out, from_day, dmy);
	} else if (open_from) {
		htmlout_text(out, w->until);
		fputc(' ', out);
		htmlout_day(out, to_day, dmy);
	} else {
		htmlout_text(out, w->from);
		fputc(' ', out);
		htmlout_day(out, from_day, dmy);
		fputc(' ', out);
		htmlout_text(out, w->to);
		fputc(' ', out);
		htmlout_day(out, to_day, dmy);
	}
	fputs("</p>\n", out);
}
