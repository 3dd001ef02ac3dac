/*
 * test_langfmt: dates and numbers the way each language writes them, and
 * the languages.json fields behind that ("date_format", "digit_group",
 * "decimal_mark") plus the spoken-name "prompt".
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/diag.h"
#include "base/util.h"
#include "i18n/lang.h"
#include "i18n/langfmt.h"
#include "test_support.h"

static struct lang_registry *shipped(void)
{
	char *path = test_source_path("locales/languages.json");
	struct lang_registry *reg = lang_registry_load(path, NULL);
	assert_non_null(reg);
	free(path);
	return reg;
}

static void test_dates_shipped(void **state)
{
	(void)state;
	struct lang_registry *reg = shipped();
	char b[32];
	/* the Vietnamese way for every shipped language */
	for (size_t i = 0; i < reg->n_langs; i++)
		assert_string_equal(langfmt_date(&reg->langs[i], 1948, 12, 10, b,
						 sizeof b), "10/12/1948");
	assert_string_equal(langfmt_date(NULL, 2024, 2, 29, b, sizeof b), "29/02/2024");
	assert_string_equal(langfmt_date(lang_find(reg, "rad"), 5, 1, 2, b, sizeof b),
			    "02/01/0005");
	lang_registry_destroy(reg);
}

static void test_days_round_trip(void **state)
{
	(void)state;
	char b[32], iso[32];
	struct lang iso_lang = { .date_format = "yyyy-mm-dd" };
	/* every day from 1970 to 2101 comes back as the date it was parsed from */
	int64_t first, last;
	assert_true(date_parse_days("1970-01-01", &first));
	assert_true(date_parse_days("2101-12-31", &last));
	for (int64_t d = first; d <= last; d++) {
		langfmt_date_days(&iso_lang, d, iso, sizeof iso);
		int64_t back;
		if (!date_parse_days(iso, &back) || back != d)
			fail_msg("day %lld written as %s", (long long)d, iso);
	}
	assert_string_equal(langfmt_date_days(NULL, 0, b, sizeof b), "01/01/1970");
	assert_string_equal(langfmt_date_days(NULL, -1, b, sizeof b), "31/12/1969");
	int64_t leap;
	assert_true(date_parse_days("2000-02-29", &leap));
	assert_string_equal(langfmt_date_days(NULL, leap, b, sizeof b), "29/02/2000");
}

static void test_numbers(void **state)
{
	(void)state;
	struct lang_registry *reg = shipped();
	const struct lang *vi = lang_find(reg, "vi");
	const struct lang *en = lang_find(reg, "en");
	const struct lang *rad = lang_find(reg, "rad");
	char b[64];
	assert_string_equal(langfmt_int(vi, 0, b, sizeof b), "0");
	assert_string_equal(langfmt_int(vi, 999, b, sizeof b), "999");
	assert_string_equal(langfmt_int(vi, 1000, b, sizeof b), "1.000");
	assert_string_equal(langfmt_int(vi, 1234567, b, sizeof b), "1.234.567");
	assert_string_equal(langfmt_int(vi, -1234, b, sizeof b), "-1.234");
	assert_string_equal(langfmt_int(en, 1234567, b, sizeof b), "1,234,567");
	assert_string_equal(langfmt_int(rad, 20000, b, sizeof b), "20.000");  /* falls to vi's way */
	assert_string_equal(langfmt_int(NULL, LLONG_MIN, b, sizeof b),
			    "-9.223.372.036.854.775.808");
	assert_string_equal(langfmt_decimal(vi, 12.5, 1, b, sizeof b), "12,5");
	assert_string_equal(langfmt_decimal(en, 12.5, 1, b, sizeof b), "12.5");
	assert_string_equal(langfmt_decimal(vi, 1234.567, 2, b, sizeof b), "1.234,57");
	assert_string_equal(langfmt_decimal(en, 0.999, 2, b, sizeof b), "1.00");
	assert_string_equal(langfmt_decimal(vi, -0.004, 2, b, sizeof b), "0,00");
	assert_string_equal(langfmt_decimal(vi, -2.5, 0, b, sizeof b), "-3");
	assert_string_equal(langfmt_decimal(vi, 17.25, 9, b, sizeof b), "17,250000");
	/* a short buffer is cut, never overrun */
	char s[5];
	assert_string_equal(langfmt_int(vi, 1234567, s, sizeof s), "1.23");
	assert_string_equal(langfmt_date(vi, 1948, 12, 10, s, sizeof s), "10/1");
	lang_registry_destroy(reg);
}

/* A registry written for the test, with its own ways of writing. */
static const char custom_json[] =
	"{ \"languages\": [\n"
	"  { \"tag\": \"vi\", \"endonym\": \"Tiếng Việt\", \"name_vi\": \"Tiếng Việt\", \"kind\": \"national\",\n"
	"    \"prompt\": \"prompts/vi.ogg\" },\n"
	"  { \"tag\": \"xa\", \"endonym\": \"A\", \"name_vi\": \"A\", \"kind\": \"foreign\",\n"
	"    \"date_format\": \"yyyy-mm-dd\", \"digit_group\": \" \", \"decimal_mark\": \".\",\n"
	"    \"prompt\": \"prompts/missing.ogg\" },\n"
	"  { \"tag\": \"xb\", \"endonym\": \"B\", \"name_vi\": \"B\", \"kind\": \"foreign\",\n"
	"    \"date_format\": \"mm.dd.yyyy\", \"digit_group\": \"’\" },\n"
	"  { \"tag\": \"xc\", \"endonym\": \"C\", \"name_vi\": \"C\", \"kind\": \"foreign\",\n"
	"    \"date_format\": \"dd/mm/yy\" },\n"
	"  { \"tag\": \"xd\", \"endonym\": \"D\", \"name_vi\": \"D\", \"kind\": \"foreign\",\n"
	"    \"digit_group\": \"5\" },\n"
	"  { \"tag\": \"xe\", \"endonym\": \"E\", \"name_vi\": \"E\", \"kind\": \"foreign\",\n"
	"    \"date_format\": \"dd/mm-yyyy\" }\n"
	"] }\n";

static void test_registry_fields(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *path = test_write_file(dir, "languages.json", custom_json);
	free(test_write_file(dir, "prompts/vi.ogg", "not really sound"));
	struct diag_list diags;
	diag_list_init(&diags);
	struct lang_registry *reg = lang_registry_load(path, &diags);
	assert_non_null(reg);
	char b[32];

	const struct lang *vi = lang_find(reg, "vi");
	char *want = path_join(dir, "prompts/vi.ogg");
	assert_string_equal(vi->prompt, want);   /* relative to languages.json */
	free(want);

	const struct lang *xa = lang_find(reg, "xa");
	assert_non_null(xa);
	assert_null(xa->prompt);                 /* missing: a warning only */
	assert_string_equal(langfmt_date(xa, 1948, 12, 10, b, sizeof b), "1948-12-10");
	assert_string_equal(langfmt_int(xa, 1234567, b, sizeof b), "1 234 567");
	assert_string_equal(langfmt_decimal(xa, 3.25, 2, b, sizeof b), "3.25");

	const struct lang *xb = lang_find(reg, "xb");
	assert_string_equal(langfmt_date(xb, 1948, 12, 10, b, sizeof b), "12.10.1948");
	assert_string_equal(langfmt_int(xb, 1234, b, sizeof b), "1’234");

	/* bad formats cost the entry, with the place named */
	assert_null(lang_find(reg, "xc"));
	assert_null(lang_find(reg, "xd"));
	assert_null(lang_find(reg, "xe"));
	size_t errors = 0, warnings = 0;
	for (size_t i = 0; i < diags.len; i++) {
		const struct diag *d = &diags.items[i];
		print_message("  %s:%d:%d: %s\n", d->file, d->line, d->col, d->message);
		if (d->severity == DIAG_ERROR)
			errors++;
		else
			warnings++;
	}
	assert_int_equal(errors, 3);
	assert_int_equal(warnings, 1);
	bool saw_missing = false, saw_date = false, saw_mark = false;
	for (size_t i = 0; i < diags.len; i++) {
		const struct diag *d = &diags.items[i];
		if (strstr(d->message, "missing.ogg") && strstr(d->message, "no such file")) {
			saw_missing = true;
			assert_int_equal(d->line, 6);
		}
		if (strstr(d->message, "\"dd/mm/yy\" is not a date format")) {
			saw_date = true;
			assert_int_equal(d->line, 10);
		}
		if (strstr(d->message, "\"digit_group\" must be one character")) {
			saw_mark = true;
			assert_int_equal(d->line, 12);
		}
	}
	assert_true(saw_missing && saw_date && saw_mark);
	lang_registry_destroy(reg);
	diag_list_finish(&diags);
	free(path);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates_shipped),
		cmocka_unit_test(test_days_round_trip),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_registry_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
