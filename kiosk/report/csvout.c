/*
 * csvout: writing CSV cells and rows for the reports (see csvout.h).
 */
#include "report/csvout.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "base/util.h"

void csvout_bom(FILE *out)
{
	fputs(CSVOUT_BOM, out);
}

void csvout_text(FILE *out, const char *s)
{
	if (!s)
		return;
	size_t len = strlen(s);
	bool quote = false;
	for (size_t i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = true;
	if (quote)
		fputc('"', out);
	if (len && strchr("=+-@\t\r", s[0]))
		fputc('\'', out);
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		int n = utf8_decode(s + i, len - i, &cp);
		size_t bad;
		if (cp == 0xFFFD && !utf8_valid(s + i, (size_t)n, &bad))
			fputs("\xEF\xBF\xBD", out);
		else if (s[i] == '"')
			fputs("\"\"", out);
		else
			fwrite(s + i, 1, (size_t)n, out);
		i += (size_t)n;
	}
	if (quote)
		fputc('"', out);
}

void csvout_seconds(FILE *out, double seconds)
{
	/* NaN and negatives as 0; beyond any real duration, clamped. */
	double t = seconds > 0 ? (seconds < 1e15 ? seconds * 10 : 1e16) : 0;
	long long tenths = (long long)llround(t);
	fprintf(out, "%lld.%lld", tenths / 10, tenths % 10);
}

void csvout_fraction(FILE *out, int64_t num, int64_t den)
{
	int64_t share = den > 0 && num > 0 ? (num * 10000 + den / 2) / den : 0;
	fprintf(out, "%lld.%04lld", (long long)(share / 10000),
		(long long)(share % 10000));
}

void csvout_day(FILE *out, int64_t day)
{
	if (day < 0)
		return;
	int y, m, d;
	date_from_days(day, &y, &m, &d); /* clamped to 100 000 000 days */
	fprintf(out, "%04d-%02d-%02d", y, m, d);
}

void csvout_int(FILE *out, int64_t v)
{
	fprintf(out, "%lld", (long long)v);
}

void csvout_sep(FILE *out)
{
	fputc(',', out);
}

void csvout_eol(FILE *out)
{
	fputs("\r\n", out);
}

void csvout_row(FILE *out, const char *const *cells, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			csvout_sep(out);
		csvout_text(out, cells[i]);
	}
	csvout_eol(out);
}
