/*
 * langfmt: dates and numbers per language (see langfmt.h).
 */
#include "i18n/langfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *date_format(const struct lang *lang)
{
	return lang && lang->date_format[0] ? lang->date_format : "dd/mm/yyyy";
}

static const char *digit_group(const struct lang *lang)
{
	return lang && lang->digit_group[0] ? lang->digit_group : ".";
}

static const char *decimal_mark(const struct lang *lang)
{
	return lang && lang->decimal_mark[0] ? lang->decimal_mark : ",";
}

/* Append s to out[*len..size), cutting at the end. */
static void append(char *out, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (*len + 1 >= size)
		return;
	if (n > size - 1 - *len)
		n = size - 1 - *len;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

char *langfmt_date(const struct lang *lang, int year, int month, int day,
		   char *out, size_t size)
{
	if (size == 0)
		return out;
	out[0] = '\0';
	size_t len = 0;
	const char *f = date_format(lang);
	char part[16];
	while (*f) {
		if (!strncmp(f, "yyyy", 4)) {
			snprintf(part, sizeof part, "%04d", year);
			f += 4;
		} else if (!strncmp(f, "mm", 2)) {
			snprintf(part, sizeof part, "%02d", month);
			f += 2;
		} else if (!strncmp(f, "dd", 2)) {
			snprintf(part, sizeof part, "%02d", day);
			f += 2;
		} else {
			part[0] = *f++;
			part[1] = '\0';
		}
		append(out, size, &len, part);
	}
	return out;
}

/* Civil date from days since 1970-01-01, after Howard Hinnant's
 * public-domain algorithm (the inverse of the one in util.c). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

char *langfmt_date_days(const struct lang *lang, int64_t days, char *out,
			size_t size)
{
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	return langfmt_date(lang, y, m, d, out, size);
}

/* The digits of v (without sign) grouped by threes. */
static void grouped(const struct lang *lang, unsigned long long v, char *out,
		    size_t size, size_t *len)
{
	char digits[32];
	int n = snprintf(digits, sizeof digits, "%llu", v);
	for (int i = 0; i < n; i++) {
		char one[2] = { digits[i], '\0' };
		append(out, size, len, one);
		int left = n - i - 1;
		if (left > 0 && left % 3 == 0)
			append(out, size, len, digit_group(lang));
	}
}

char *langfmt_int(const struct lang *lang, long long value, char *out,
		  size_t size)
{
	if (size == 0)
		return out;
	out[0] = '\0';
	size_t len = 0;
	unsigned long long mag = value < 0 ? 0ULL - (unsigned long long)value
					   : (unsigned long long)value;
	if (value < 0)
		append(out, size, &len, "-");
	grouped(lang, mag, out, size, &len);
	return out;
}

char *langfmt_decimal(const struct lang *lang, double value, int decimals,
		      char *out, size_t size)
{
	if (size == 0)
		return out;
	out[0] = '\0';
	if (!isfinite(value)) {
		snprintf(out, size, "%s", isnan(value) ? "?" : value < 0 ? "-∞" : "∞");
		return out;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	double scale = pow(10.0, decimals);
	double r = round(fabs(value) * scale);
	if (r > 9e18)
		r = 9e18;
	unsigned long long units = (unsigned long long)r;
	unsigned long long whole = units / (unsigned long long)scale;
	unsigned long long frac = units % (unsigned long long)scale;
	size_t len = 0;
	if (value < 0 && units != 0)
		append(out, size, &len, "-");
	grouped(lang, whole, out, size, &len);
	if (decimals > 0) {
		char f[24];
		snprintf(f, sizeof f, "%0*llu", decimals, frac);
		append(out, size, &len, decimal_mark(lang));
		append(out, size, &len, f);
	}
	return out;
}
