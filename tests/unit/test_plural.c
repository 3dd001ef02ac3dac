/*
 * test_plural: Plural-Forms rules parsed and evaluated: the real headers
 * of languages with 1 to 6 forms against their tables, C's precedence and
 * associativity, division by zero, clamping, and malformed headers
 * rejected with a message.
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

#include "i18n/plural.h"

/* ------------------------------------------------------------------------
 * Real languages: each header as gettext's documentation and the PO files
 * of big projects carry it, and the same rule compiled by the C compiler
 * as the reference.
 * ---------------------------------------------------------------------- */

static unsigned ref_vi(unsigned long n) { (void)n; return 0; }
static unsigned ref_en(unsigned long n) { return n != 1; }
static unsigned ref_fr(unsigned long n) { return n > 1; }
static unsigned ref_ru(unsigned long n)
{
	return n % 10 == 1 && n % 100 != 11 ? 0
	     : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 10 || n % 100 >= 20) ? 1
	     : 2;
}
static unsigned ref_pl(unsigned long n)
{
	return n == 1 ? 0
	     : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 10 || n % 100 >= 20) ? 1
	     : 2;
}
static unsigned ref_ar(unsigned long n)
{
	return n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2
	     : n % 100 >= 3 && n % 100 <= 10 ? 3 : n % 100 >= 11 ? 4 : 5;
}
static unsigned ref_sl(unsigned long n)
{
	return n % 100 == 1 ? 0 : n % 100 == 2 ? 1
	     : n % 100 == 3 || n % 100 == 4 ? 2 : 3;
}

struct language {
	const char *name;
	const char *header;
	unsigned nplurals;
	unsigned (*ref)(unsigned long n);
};

static const struct language languages[] = {
	{ "vi", "nplurals=1; plural=0;", 1, ref_vi },
	{ "en", "nplurals=2; plural=(n != 1);", 2, ref_en },
	{ "fr", "nplurals=2; plural=(n > 1);", 2, ref_fr },
	{ "ru", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
		"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);", 3, ref_ru },
	{ "pl", "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && "
		"(n%100<10 || n%100>=20) ? 1 : 2);", 3, ref_pl },
	{ "ar", "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
		"n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);", 6, ref_ar },
	{ "sl", "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : "
		"n%100==3 || n%100==4 ? 2 : 3);", 4, ref_sl },
};

/* Parse header or fail the test showing the error. */
static struct plural *must_parse(const char *header)
{
	char err[200];
	struct plural *p = plural_parse(header, err, sizeof err);
	if (!p)
		fail_msg("\"%s\": %s", header, err);
	return p;
}

static void test_real_languages(void **state)
{
	(void)state;
	static const unsigned long big[] = {
		1000, 1001, 1002, 1011, 1012, 1021, 1022, 1025, 1101, 1111,
		100000, 1000001, 4294967295UL, 4294967296UL, 4294967297UL,
		ULONG_MAX - 1, ULONG_MAX,
	};
	for (size_t l = 0; l < sizeof languages / sizeof languages[0]; l++) {
		const struct language *lg = &languages[l];
		struct plural *p = must_parse(lg->header);
		assert_int_equal(plural_nplurals(p), lg->nplurals);
		for (unsigned long n = 0; n <= 200; n++)
			if (plural_index(p, n) != lg->ref(n))
				fail_msg("%s: n=%lu gives %u, want %u", lg->name,
					 n, plural_index(p, n), lg->ref(n));
		for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
			if (plural_index(p, big[i]) != lg->ref(big[i]))
				fail_msg("%s: n=%lu gives %u, want %u", lg->name,
					 big[i], plural_index(p, big[i]),
					 lg->ref(big[i]));
		plural_destroy(p);
	}
}

/* The tables as grammars list them, independent of the C reference. */
static void test_known_tables(void **state)
{
	(void)state;
	static const struct {
		size_t lang;             /* index in languages[] */
		unsigned long n;
		unsigned form;
	} table[] = {
		{ 0, 0, 0 }, { 0, 1, 0 }, { 0, 21, 0 },
		{ 1, 0, 1 }, { 1, 1, 0 }, { 1, 2, 1 }, { 1, 101, 1 },
		{ 2, 0, 0 }, { 2, 1, 0 }, { 2, 2, 1 },
		/* ru: 1 21 101 | 2-4 22-24 | 0 5-20 25-30 111-114 */
		{ 3, 1, 0 }, { 3, 21, 0 }, { 3, 101, 0 }, { 3, 11, 2 },
		{ 3, 2, 1 }, { 3, 4, 1 }, { 3, 22, 1 }, { 3, 104, 1 },
		{ 3, 0, 2 }, { 3, 5, 2 }, { 3, 12, 2 }, { 3, 14, 2 },
		{ 3, 111, 2 }, { 3, 112, 2 }, { 3, 25, 2 },
		/* pl: only 1 | 2-4 22-24 | 0 5-21 */
		{ 4, 1, 0 }, { 4, 21, 2 }, { 4, 22, 1 }, { 4, 12, 2 },
		{ 4, 0, 2 }, { 4, 102, 1 }, { 4, 112, 2 },
		/* ar: 0 | 1 | 2 | 3-10 103 | 11-99 111 | 100-102 */
		{ 5, 0, 0 }, { 5, 1, 1 }, { 5, 2, 2 }, { 5, 3, 3 }, { 5, 10, 3 },
		{ 5, 103, 3 }, { 5, 11, 4 }, { 5, 99, 4 }, { 5, 111, 4 },
		{ 5, 100, 5 }, { 5, 101, 5 }, { 5, 102, 5 },
		/* sl: 1 101 | 2 102 | 3 4 103 | 0 5-100 */
		{ 6, 1, 0 }, { 6, 101, 0 }, { 6, 2, 1 }, { 6, 102, 1 },
		{ 6, 3, 2 }, { 6, 4, 2 }, { 6, 104, 2 }, { 6, 0, 3 },
		{ 6, 5, 3 }, { 6, 11, 3 }, { 6, 100, 3 },
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct plural *p = must_parse(languages[table[i].lang].header);
		if (plural_index(p, table[i].n) != table[i].form)
			fail_msg("%s: n=%lu gives %u, want form %u",
				 languages[table[i].lang].name, table[i].n,
				 plural_index(p, table[i].n), table[i].form);
		plural_destroy(p);
	}
}

/* ------------------------------------------------------------------------
 * The expression language
 * ---------------------------------------------------------------------- */

/* plural=expr with 16 forms, evaluated at n. */
static unsigned eval_at(const char *expr, unsigned long n)
{
	char header[512];
	snprintf(header, sizeof header, "nplurals=16; plural=%s;", expr);
	struct plural *p = must_parse(header);
	unsigned r = plural_index(p, n);
	plural_destroy(p);
	return r;
}

static void test_precedence(void **state)
{
	(void)state;
	static const struct {
		const char *expr;
		unsigned long n;
		unsigned want;
	} cases[] = {
		{ "2+3*4", 0, 14 },            /* * over + */
		{ "(2+3)*2", 0, 10 },
		{ "10-4-3", 0, 3 },            /* left-associative: not 9 */
		{ "6-2+1", 0, 5 },             /* not 3 */
		{ "100/10/5", 0, 2 },          /* not 50 */
		{ "17%10%4", 0, 3 },           /* not 1 */
		{ "2*3%4", 0, 2 },             /* same level, left to right: not 6 */
		{ "2+3<6", 0, 1 },             /* + over < */
		{ "2==1<3", 0, 0 },            /* < over ==: not 1 */
		{ "n==1 || n==2 && n==3", 1, 1 },  /* && over || */
		{ "n==3 && n==3 || n==1", 1, 1 },
		{ "!n+1", 0, 2 },              /* ! over +: not 0 */
		{ "!!n", 7, 1 },
		{ "!(n-7)", 7, 1 },
		{ "1 ? 2 : 0 ? 4 : 5", 0, 2 }, /* right-associative: not 4 */
		{ "0 ? 2 : 1 ? 4 : 5", 0, 4 },
		{ "0 ? 2 : 0 ? 4 : 5", 0, 5 },
		{ "1 ? 0 ? 7 : 8 : 9", 0, 8 }, /* ?: in the middle */
		{ "n>1 || n==0 ? 3 : 4", 0, 3 }, /* || over ?: */
		{ "n - 1 > 5", 0, 1 },         /* unsigned: 0 - 1 wraps */
		{ "n*2 <= 7", 3, 1 },
		{ "n >= 4 != n < 4", 4, 1 },
		{ " \t( n\n%\r10 )\t", 123, 3 }, /* white space anywhere */
		{ "007", 0, 7 },               /* decimal, not octal */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned got = eval_at(cases[i].expr, cases[i].n);
		if (got != cases[i].want)
			fail_msg("%s at n=%lu gives %u, want %u", cases[i].expr,
				 cases[i].n, got, cases[i].want);
	}
}

static void test_division_by_zero(void **state)
{
	(void)state;
	assert_int_equal(eval_at("n / 0", 5), 0);
	assert_int_equal(eval_at("n % 0", 5), 0);
	assert_int_equal(eval_at("5 / (n - n)", 3), 0);
	assert_int_equal(eval_at("(n % (n - 3)) + 3", 3), 3);
	assert_int_equal(eval_at("n % (n - 3)", 5), 1);   /* still divides */
}

static void test_clamp_and_layout(void **state)
{
	(void)state;
	/* A result not below nplurals is form 0. */
	struct plural *p = must_parse("nplurals=2; plural=n;");
	assert_int_equal(plural_index(p, 0), 0);
	assert_int_equal(plural_index(p, 1), 1);
	assert_int_equal(plural_index(p, 2), 0);
	assert_int_equal(plural_index(p, ULONG_MAX), 0);
	plural_destroy(p);
	/* Either order, no final ';', spaces around '=' */
	p = must_parse("  plural = n != 1 ;nplurals = 2");
	assert_int_equal(plural_nplurals(p), 2);
	assert_int_equal(plural_index(p, 1), 0);
	assert_int_equal(plural_index(p, 5), 1);
	plural_destroy(p);
	p = must_parse("nplurals=16; plural=15;");
	assert_int_equal(plural_index(p, 0), 15);
	plural_destroy(p);
	plural_destroy(NULL);
}

/* ------------------------------------------------------------------------
 * Rejected headers
 * ---------------------------------------------------------------------- */

/* header must be rejected with an error containing each of the NULL-ended
 * fragments. */
static void expect_error(const char *header, ...)
{
	char err[200];
	memset(err, 'x', sizeof err);
	struct plural *p = plural_parse(header, err, sizeof err);
	if (p) {
		plural_destroy(p);
		fail_msg("\"%s\" was accepted", header);
	}
	assert_non_null(memchr(err, '\0', sizeof err));
	va_list ap;
	va_start(ap, header);
	for (const char *frag; (frag = va_arg(ap, const char *)) != NULL; )
		if (!strstr(err, frag))
			fail_msg("\"%s\": error \"%s\" does not say \"%s\"",
				 header, err, frag);
	va_end(ap);
}

/* A string of count copies of s, then tail. Caller frees. */
static char *repeat(const char *head, const char *s, int count, const char *tail)
{
	size_t len = strlen(head) + strlen(s) * (size_t)count + strlen(tail) + 1;
	char *out = malloc(len);
	assert_non_null(out);
	strcpy(out, head);
	for (int i = 0; i < count; i++)
		strcat(out, s);
	strcat(out, tail);
	return out;
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("", "nplurals is missing", NULL);
	expect_error("plural=(n != 1);", "nplurals is missing", NULL);
	expect_error("nplurals=2;", "plural is missing", NULL);
	expect_error("nplurals=0; plural=0;", "nplurals=0", "out of range", NULL);
	expect_error("nplurals=17; plural=0;", "nplurals=17", "out of range", NULL);
	expect_error("nplurals=two; plural=0;", "expected a number", "column 10", NULL);
	expect_error("nplurals=2; nplurals=2; plural=0;", "twice", NULL);
	expect_error("nplurals=2; plural=n != 1; extra=3;", "unknown key 'extra'",
		     "column 28", NULL);
	expect_error("nplurals=2 plural=n;", "expected ';'", "column 12", NULL);
	expect_error("nplurals=2; plural=(n != 1;", "expected ')'", NULL);
	expect_error("nplurals=2; plural=n != 1 junk;", "expected ';'",
		     "found 'j'", NULL);
	expect_error("nplurals=2; plural=x != 1;", "unknown identifier 'x'",
		     "column 20", NULL);
	expect_error("nplurals=2; plural=n1;", "unknown identifier 'n1'", NULL);
	expect_error("nplurals=2; plural=count;", "unknown identifier 'count'", NULL);
	expect_error("nplurals=2; plural=-n;", "unexpected '-'", NULL);
	expect_error("nplurals=2; plural=n = 1;", "found '='", NULL);
	expect_error("nplurals=2; plural=n & 1;", "found '&'", NULL);
	expect_error("nplurals=2; plural=n ? 1;", "expected ':'", NULL);
	expect_error("nplurals=2; plural=n ? 1 : ;", "unexpected ';'", NULL);
	expect_error("nplurals=2; plural=;", "unexpected ';'", NULL);
	expect_error("nplurals=2; plural=0x1;", "unexpected 'x'", NULL);
	expect_error("nplurals=2; plural=n != 1;;", "expected nplurals or plural", NULL);
	expect_error("nplurals=2; plural=n != 1; \x01", "byte 0x01", NULL);
	expect_error("nplurals=2; plural=99999999999999999999999;",
		     "number too large", NULL);
	expect_error("nplurals=2; plural", "expected '='", "end of text", NULL);

	/* nesting: parentheses, !, and a tree too tall from a long chain */
	char *ok = repeat("nplurals=2; plural=", "(", 60, "n");
	char *ok_full = repeat(ok, ")", 60, ";");
	struct plural *p = must_parse(ok_full);
	assert_int_equal(plural_index(p, 1), 1);
	plural_destroy(p);
	free(ok);
	free(ok_full);
	char *deep = repeat("nplurals=2; plural=", "(", 65, "n");
	char *deep_full = repeat(deep, ")", 65, ";");
	expect_error(deep_full, "nested more than 64", NULL);
	free(deep);
	free(deep_full);
	char *nots = repeat("nplurals=2; plural=", "!", 70, "n;");
	expect_error(nots, "nested more than 64", NULL);
	free(nots);
	char *chain = repeat("nplurals=2; plural=n", "+n", 70, ";");
	expect_error(chain, "nested more than 64", NULL);
	free(chain);
	char *ternaries = repeat("nplurals=2; plural=", "n ? 1 : ", 70, "0;");
	expect_error(ternaries, "nested more than 64", NULL);
	free(ternaries);

	/* no message buffer, or a small one */
	assert_null(plural_parse("nplurals=2; plural=y;", NULL, 0));
	assert_null(plural_parse(NULL, NULL, 0));
	char small[8];
	assert_null(plural_parse("nplurals=2; plural=y;", small, sizeof small));
	assert_int_equal(strlen(small), sizeof small - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_languages),
		cmocka_unit_test(test_known_tables),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_division_by_zero),
		cmocka_unit_test(test_clamp_and_layout),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
