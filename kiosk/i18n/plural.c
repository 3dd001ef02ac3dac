/*
 * plural: gettext Plural-Forms rules, parsed and evaluated (see plural.h).
 */
#include "i18n/plural.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* ------------------------------------------------------------------------
 * The expression tree
 * ---------------------------------------------------------------------- */

enum op {
	OP_VAR,         /* n */
	OP_NUM,         /* a constant */
	OP_NOT,
	OP_MUL, OP_DIV, OP_MOD,
	OP_ADD, OP_SUB,
	OP_LT, OP_GT, OP_LE, OP_GE,
	OP_EQ, OP_NE,
	OP_AND, OP_OR,
	OP_COND,        /* kid[0] ? kid[1] : kid[2] */
};

/* One node; children are indexes into the same array. */
struct node {
	enum op op;
	unsigned long num;   /* OP_NUM only */
	int kid[3];          /* as many as the operator takes */
	unsigned height;     /* 1 for a leaf: bounds eval's recursion */
};

struct plural {
	unsigned nplurals;
	struct node *nodes;  /* the whole tree, root at `root` */
	size_t n_nodes;
	int root;
};

/* ------------------------------------------------------------------------
 * Parsing
 * ---------------------------------------------------------------------- */

struct parser {
	const char *src;      /* the whole header value, for columns */
	const char *p;        /* next character to read */
	struct node *nodes;
	size_t n, cap;
	unsigned depth;       /* current nesting, see PLURAL_MAX_DEPTH */
	bool failed;          /* the first error is kept in err */
	char *err;
	size_t errlen;
};

/* Record the first error only: later ones are consequences of it. */
__attribute__((format(printf, 2, 3)))
static void fail(struct parser *ps, const char *fmt, ...)
{
	if (ps->failed)
		return;
	ps->failed = true;
	if (!ps->err || !ps->errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
}

static size_t column(const struct parser *ps, const char *at)
{
	return (size_t)(at - ps->src) + 1;
}

/* "'x'", "end of text" or "byte 0xNN" for the character at p. */
static const char *describe(const char *p, char buf[16])
{
	unsigned char c = (unsigned char)*p;
	if (!c)
		return "end of text";
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, 16, "'%c'", c);
	else
		snprintf(buf, 16, "byte 0x%02x", c);
	return buf;
}

static void fail_unexpected(struct parser *ps, const char *expected)
{
	char buf[16];
	if (expected)
		fail(ps, "expected %s at column %zu, found %s", expected,
		     column(ps, ps->p), describe(ps->p, buf));
	else
		fail(ps, "unexpected %s at column %zu", describe(ps->p, buf),
		     column(ps, ps->p));
}

static void skip_space(struct parser *ps)
{
	while (*ps->p && isspace((unsigned char)*ps->p))
		ps->p++;
}

/* Consume tok (after white space) when it comes next. */
static bool accept(struct parser *ps, const char *tok)
{
	skip_space(ps);
	size_t len = strlen(tok);
	if (strncmp(ps->p, tok, len) != 0)
		return false;
	ps->p += len;
	return true;
}

static bool is_ident_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Length of the identifier at p (0 when there is none). */
static size_t ident_len(const char *p)
{
	size_t len = 0;
	if (is_ident_start(p[0]))
		while (is_ident_char(p[len]))
			len++;
	return len;
}

/* An unsigned decimal number at ps->p (no white space skipped). */
static bool parse_number(struct parser *ps, unsigned long *out)
{
	const char *start = ps->p;
	if (!isdigit((unsigned char)*ps->p)) {
		fail_unexpected(ps, "a number");
		return false;
	}
	unsigned long v = 0;
	while (isdigit((unsigned char)*ps->p)) {
		unsigned d = (unsigned)(*ps->p - '0');
		if (v > (ULONG_MAX - d) / 10) {
			fail(ps, "number too large at column %zu",
			     column(ps, start));
			return false;
		}
		v = v * 10 + d;
		ps->p++;
	}
	if (is_ident_char(*ps->p)) {
		fail_unexpected(ps, NULL);
		return false;
	}
	*out = v;
	return true;
}

/* Sub-parsers return a node index, or FAILED after an error; -1 is "no
 * kid" to node_new. */
#define FAILED (-2)

/* Append a node; returns its index, or FAILED when a kid failed or the
 * tree would be deeper than PLURAL_MAX_DEPTH. */
static int node_new(struct parser *ps, enum op op, unsigned long num,
		    int a, int b, int c)
{
	int kids[3] = { a, b, c };
	unsigned height = 0;
	for (int i = 0; i < 3; i++) {
		if (kids[i] == -1)
			continue;
		if (kids[i] < -1)
			return FAILED;      /* a failed sub-expression */
		if (ps->nodes[kids[i]].height > height)
			height = ps->nodes[kids[i]].height;
	}
	if (++height > PLURAL_MAX_DEPTH) {
		fail(ps, "expression nested more than %d levels deep (column %zu)",
		     PLURAL_MAX_DEPTH, column(ps, ps->p));
		return FAILED;
	}
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 16;
		ps->nodes = xrealloc(ps->nodes, ps->cap * sizeof *ps->nodes);
	}
	ps->nodes[ps->n] = (struct node){ .op = op, .num = num,
					  .kid = { a, b, c }, .height = height };
	return (int)ps->n++;
}

static int parse_cond(struct parser *ps);

/* primary: n | number | ( cond ) */
static int parse_primary(struct parser *ps)
{
	skip_space(ps);
	if (*ps->p == '(') {
		ps->p++;
		int e = parse_cond(ps);
		if (e < 0)
			return FAILED;
		if (!accept(ps, ")")) {
			fail_unexpected(ps, "')'");
			return FAILED;
		}
		return e;
	}
	if (isdigit((unsigned char)*ps->p)) {
		unsigned long v;
		if (!parse_number(ps, &v))
			return FAILED;
		return node_new(ps, OP_NUM, v, -1, -1, -1);
	}
	size_t len = ident_len(ps->p);
	if (len == 1 && *ps->p == 'n') {
		ps->p++;
		return node_new(ps, OP_VAR, 0, -1, -1, -1);
	}
	if (len) {
		fail(ps, "unknown identifier '%.*s' at column %zu (only n is allowed)",
		     len > 32 ? 32 : (int)len, ps->p, column(ps, ps->p));
		return FAILED;
	}
	fail_unexpected(ps, NULL);
	return FAILED;
}

/* Enter one level of nesting; false (with the error set) past the limit. */
static bool nest(struct parser *ps)
{
	if (++ps->depth > PLURAL_MAX_DEPTH) {
		fail(ps, "expression nested more than %d levels deep (column %zu)",
		     PLURAL_MAX_DEPTH, column(ps, ps->p));
		return false;
	}
	return true;
}

/* unary: ! unary | primary */
static int parse_unary(struct parser *ps)
{
	skip_space(ps);
	if (ps->p[0] == '!' && ps->p[1] != '=') {
		ps->p++;
		if (!nest(ps))
			return FAILED;
		int e = parse_unary(ps);
		ps->depth--;
		return node_new(ps, OP_NOT, 0, e < 0 ? FAILED : e, -1, -1);
	}
	return parse_primary(ps);
}

/* The binary operators by precedence, loosest first; at each level the
 * longer tokens come first so "<=" is not read as "<". */
struct binop {
	const char *tok;
	enum op op;
};
static const struct binop levels[][4] = {
	{ { "||", OP_OR } },
	{ { "&&", OP_AND } },
	{ { "==", OP_EQ }, { "!=", OP_NE } },
	{ { "<=", OP_LE }, { ">=", OP_GE }, { "<", OP_LT }, { ">", OP_GT } },
	{ { "+", OP_ADD }, { "-", OP_SUB } },
	{ { "*", OP_MUL }, { "/", OP_DIV }, { "%", OP_MOD } },
};
#define N_LEVELS ((int)ARRAY_LEN(levels))

/* Left-associative binary operators of precedence level and tighter. */
static int parse_binary(struct parser *ps, int level)
{
	if (level == N_LEVELS)
		return parse_unary(ps);
	int left = parse_binary(ps, level + 1);
	while (left >= 0) {
		const struct binop *op = NULL;
		for (int i = 0; i < 4 && levels[level][i].tok; i++)
			if (accept(ps, levels[level][i].tok)) {
				op = &levels[level][i];
				break;
			}
		if (!op)
			break;
		int right = parse_binary(ps, level + 1);
		left = node_new(ps, op->op, 0, left, right < 0 ? FAILED : right, -1);
	}
	return left < 0 ? FAILED : left;
}

/* cond: or [ ? cond : cond ]  (right-associative, as in C) */
static int parse_cond(struct parser *ps)
{
	if (!nest(ps))
		return FAILED;
	int e = parse_binary(ps, 0);
	if (e >= 0 && accept(ps, "?")) {
		int a = parse_cond(ps);
		int b = FAILED;
		if (a >= 0) {
			if (accept(ps, ":"))
				b = parse_cond(ps);
			else
				fail_unexpected(ps, "':'");
		}
		e = node_new(ps, OP_COND, 0, e, a < 0 ? FAILED : a,
			     b < 0 ? FAILED : b);
	}
	ps->depth--;
	return e < 0 ? FAILED : e;
}

struct plural *plural_parse(const char *header_value, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	struct parser ps = { .src = header_value, .p = header_value,
			     .err = err, .errlen = errlen };
	if (!header_value) {
		fail(&ps, "no Plural-Forms value");
		return NULL;
	}
	unsigned long nplurals = 0;
	bool have_nplurals = false, have_plural = false;
	int root = FAILED;

	/* key=value pairs separated by ';' */
	while (!ps.failed) {
		skip_space(&ps);
		if (!*ps.p)
			break;
		const char *key = ps.p;
		size_t len = ident_len(key);
		bool is_n = len == 8 && !strncmp(key, "nplurals", 8);
		bool is_p = len == 6 && !strncmp(key, "plural", 6);
		if (!is_n && !is_p) {
			if (len)
				fail(&ps, "unknown key '%.*s' at column %zu (expected nplurals or plural)",
				     len > 32 ? 32 : (int)len, key, column(&ps, key));
			else
				fail_unexpected(&ps, "nplurals or plural");
			break;
		}
		if ((is_n && have_nplurals) || (is_p && have_plural)) {
			fail(&ps, "%.*s given twice (column %zu)", (int)len, key,
			     column(&ps, key));
			break;
		}
		ps.p += len;
		if (!accept(&ps, "=")) {
			fail_unexpected(&ps, "'='");
			break;
		}
		if (is_n) {
			skip_space(&ps);
			const char *at = ps.p;
			if (!parse_number(&ps, &nplurals))
				break;
			if (nplurals < 1 || nplurals > PLURAL_MAX_FORMS) {
				fail(&ps, "nplurals=%lu at column %zu is out of range (1 to %d)",
				     nplurals, column(&ps, at), PLURAL_MAX_FORMS);
				break;
			}
			have_nplurals = true;
		} else {
			root = parse_cond(&ps);
			if (root < 0)
				break;
			have_plural = true;
		}
		if (accept(&ps, ";"))
			continue;
		skip_space(&ps);
		if (*ps.p)
			fail_unexpected(&ps, "';'");
		break;
	}
	if (!ps.failed && !have_nplurals)
		fail(&ps, "nplurals is missing");
	if (!ps.failed && !have_plural)
		fail(&ps, "plural is missing");
	if (ps.failed) {
		free(ps.nodes);
		return NULL;
	}
	struct plural *p = xcalloc(1, sizeof *p);
	p->nplurals = (unsigned)nplurals;
	p->nodes = ps.nodes;
	p->n_nodes = ps.n;
	p->root = root;
	return p;
}

void plural_destroy(struct plural *p)
{
	if (!p)
		return;
	free(p->nodes);
	free(p);
}

unsigned plural_nplurals(const struct plural *p)
{
	return p->nplurals;
}

/* ------------------------------------------------------------------------
 * Evaluation: recursion depth is the tree's height, at most
 * PLURAL_MAX_DEPTH.
 * ---------------------------------------------------------------------- */

static unsigned long eval(const struct node *nodes, int i, unsigned long n)
{
	const struct node *e = &nodes[i];
	unsigned long a, b;
	switch (e->op) {
	case OP_VAR:  return n;
	case OP_NUM:  return e->num;
	case OP_NOT:  return !eval(nodes, e->kid[0], n);
	case OP_AND:  return eval(nodes, e->kid[0], n) && eval(nodes, e->kid[1], n);
	case OP_OR:   return eval(nodes, e->kid[0], n) || eval(nodes, e->kid[1], n);
	case OP_COND:
		return eval(nodes, e->kid[0], n) ? eval(nodes, e->kid[1], n)
						 : eval(nodes, e->kid[2], n);
	default:
		break;
	}
	a = eval(nodes, e->kid[0], n);
	b = eval(nodes, e->kid[1], n);
	switch (e->op) {
	case OP_MUL:  return a * b;
	case OP_DIV:  return b ? a / b : 0;
	case OP_MOD:  return b ? a % b : 0;
	case OP_ADD:  return a + b;
	case OP_SUB:  return a - b;
	case OP_LT:   return a < b;
	case OP_GT:   return a > b;
	case OP_LE:   return a <= b;
	case OP_GE:   return a >= b;
	case OP_EQ:   return a == b;
	case OP_NE:   return a != b;
	default:      return 0;   /* not reached: every operator is above */
	}
}

unsigned plural_index(const struct plural *p, unsigned long n)
{
	unsigned long v = eval(p->nodes, p->root, n);
	return v < p->nplurals ? (unsigned)v : 0;
}
