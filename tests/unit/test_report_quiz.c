/*
 * test_report_quiz: `kiosk report quiz` on logs written through the store:
 * ranking order and shared ranks, attempts never ended, the ranking read
 * back from a live log (the kiosk's screens), per-question figures checked
 * against numbers computed here from the answers logged, merging a log
 * twice and overlapping exports, the contest and period filters, the bytes
 * of the CSV files, the HTML page (escaping, self-contained, languages),
 * rows logged before the clock was set, bad files, and the command line.
 */
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/config.h"
#include "base/util.h"
#include "cli/cli.h"
#include "report/report_quiz.h"
#include "store/store.h"
#include "test_support.h"

#define BOM "\xEF\xBB\xBF"

static char *tmp;

static const struct report_quiz_filter no_filter = {
	.contest = NULL, .from_day = INT64_MIN, .to_day = INT64_MAX,
};

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
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

/* ms since the epoch of a UTC date and time. */
static int64_t at_ms(const char *date, int h, int m)
{
	int64_t days;
	assert_true(date_parse_days(date, &days));
	return ((days * 24 + h) * 60 + m) * 60000;
}

static int64_t day(const char *date)
{
	int64_t days;
	assert_true(date_parse_days(date, &days));
	return days;
}

/* Today's local date as YYYY-MM-DD. */
static void today_text(char out[16])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

static void db_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
}

/* Run one UPDATE with ?1 a time and ?2 a uuid. */
static void db_set_time(const char *path, const char *sql, int64_t ms,
			const char *uuid)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, ms);
	sqlite3_bind_text(s, 2, uuid, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	assert_int_equal(sqlite3_changes(db), 1);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void copy_file(const char *from, const char *to)
{
	size_t len = 0;
	char *data = file_read_all(from, &len);
	assert_non_null(data);
	FILE *f = fopen(to, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(data);
}

static char *read_text(const char *dir, const char *name)
{
	char *path = path_join(dir, name);
	char *text = file_read_all(path, NULL);
	if (!text)
		fail_msg("cannot read %s", path);
	free(path);
	return text;
}

static struct store *open_log(const char *path, const char *site)
{
	struct store_identity id = { .kiosk_id = "kiosk-07", .site = site };
	struct store *st = store_open(path, &id);
	assert_non_null(st);
	return st;
}

/* ------------------------------------------------------------------------
 * Attempts
 * ------------------------------------------------------------------------ */

/* One answer as the quiz logs it. */
struct ans {
	const char *qid, *lang, *text, *chosen, *chosen_text;
	bool correct, timed_out;
	int64_t ms;
};

/* Log an attempt's answers, then (when end) its end with the score and
 * the answered count taken from the answers. */
static void log_attempt(struct store *st, const char *session,
			const char *contest, const char *player,
			const struct ans *a, int n, int n_questions,
			double seconds, bool end, char out[STORE_UUID_LEN])
{
	struct store_quiz q = {
		.contest = contest, .player = player, .lang = "vi",
		.n_questions = n_questions,
	};
	store_quiz_begin(st, session, &q, out);
	int score = 0, answered = 0;
	for (int i = 0; i < n; i++) {
		struct store_quiz_answer x = {
			.position = i + 1, .question_id = a[i].qid,
			.question_lang = a[i].lang,
			.question_text = a[i].text, .chosen = a[i].chosen,
			.chosen_text = a[i].chosen_text,
			.correct = a[i].correct, .timed_out = a[i].timed_out,
			.ms = a[i].ms,
		};
		store_quiz_answer(st, out, &x);
		score += a[i].correct;
		answered += !a[i].timed_out;
	}
	if (end)
		store_quiz_end(st, out, score, answered, seconds,
			       answered == n_questions);
}

/* A contest turn of n questions: the first score right, the others wrong
 * (choice 2), ended after seconds. */
static void play(struct store *st, const char *session, const char *contest,
		 const char *player, int score, int n, double seconds)
{
	struct ans a[20];
	char ids[20][8];
	assert_true(n <= 20);
	for (int i = 0; i < n; i++) {
		snprintf(ids[i], sizeof ids[i], "q%02d", i + 1);
		a[i] = (struct ans){
			.qid = ids[i], .lang = "vi", .text = ids[i],
			.chosen = i < score ? "1" : "2",
			.chosen_text = i < score ? "Đúng" : "Sai",
			.correct = i < score, .ms = 1000,
		};
	}
	char attempt[STORE_UUID_LEN];
	log_attempt(st, session, contest, player, a, n, n, seconds, true,
		    attempt);
}

/* A student in a test's expectations. */
struct expect {
	const char *player;
	int score;
	double seconds;
};

/* The rank the rules give e[i] among e[0..n): one more than the number of
 * students strictly better (higher score, or the same score in fewer
 * tenths of a second). */
static int reference_rank(const struct expect *e, int n, int i)
{
	long long ti = llround(e[i].seconds * 10);
	int r = 1;
	for (int j = 0; j < n; j++) {
		long long tj = llround(e[j].seconds * 10);
		if (e[j].score > e[i].score ||
		    (e[j].score == e[i].score && tj < ti))
			r++;
	}
	return r;
}

static const struct expect *find_expect(const struct expect *e, int n,
					const char *player)
{
	for (int i = 0; i < n; i++)
		if (strcmp(e[i].player, player) == 0)
			return &e[i];
	fail_msg("unexpected player %s", player);
	return NULL;
}

/* ------------------------------------------------------------------------
 * Ranking
 * ------------------------------------------------------------------------ */

static void test_ranking(void **state)
{
	(void)state;
	char *path = path_join(tmp, "r.sqlite");
	int64_t before = time_wall_ms();
	struct store *st = open_log(path, "Buôn Đôn");
	char s[STORE_UUID_LEN], A[STORE_UUID_LEN], B[STORE_UUID_LEN];
	store_session_begin(st, "vi", s);

	/* Contest A: a three-way tie (the same score, times equal to 0.1 s),
	 * a better time breaking a tie of scores, a time just past the
	 * tie. Cleared from the screens at the end: still reported. */
	static const struct expect ea[] = {
		{ "An", 8, 40.0 }, { "Bình", 8, 40.04 }, { "Chi", 9, 50.0 },
		{ "Dũng", 8, 39.0 }, { "Em", 5, 10.0 }, { "Giang", 8, 40.16 },
		{ "Ánh", 8, 39.96 },
	};
	struct store_contest ca = { .class_name = "8A", .n_questions = 10,
				    .seconds_per_question = 30 };
	store_contest_begin(st, &ca, A);
	for (size_t i = 0; i < ARRAY_LEN(ea); i++)
		play(st, s, A, ea[i].player, ea[i].score, 10, ea[i].seconds);
	store_contest_mark(st, A, STORE_CONTEST_ENDED);
	store_contest_mark(st, A, STORE_CONTEST_CLEARED);
	assert_true(store_flush(st));
	usleep(5000);

	/* Contest B: a tie for first; Minh's turn never ended (power cut):
	 * two right, one timed out, of ten. */
	struct store_contest cb = { .class_name = "9B", .n_questions = 10 };
	store_contest_begin(st, &cb, B);
	play(st, s, B, "Nam", 6, 10, 30.0);
	play(st, s, B, "Lan", 6, 10, 30.0);
	static const struct ans minh[] = {
		{ "q01", "vi", "q01", "1", "Đúng", true, false, 2000 },
		{ "q02", "vi", "q02", "1", "Đúng", true, false, 2500 },
		{ "q03", "vi", "q03", "", NULL, false, true, 30000 },
	};
	char attempt[STORE_UUID_LEN];
	log_attempt(st, s, B, "Minh", minh, 3, 10, 0, false, attempt);
	/* Solo practice is not ranked. */
	log_attempt(st, s, NULL, NULL, minh, 2, 2, 4.5, true, attempt);
	store_close(st);
	int64_t after = time_wall_ms();

	const char *paths[] = { path };
	struct report_quiz_rank *rows = NULL;
	size_t n = 0;
	assert_true(report_quiz_ranking(paths, 1, &no_filter, &rows, &n));
	assert_int_equal(n, ARRAY_LEN(ea) + 3);

	/* Contest A, by the rules, and as worked out by hand. */
	static const char *const order_a[] = {
		"Chi", "Dũng", "An", "Bình", "Ánh", "Giang", "Em",
	};
	static const int ranks_a[] = { 1, 2, 3, 3, 3, 6, 7 };
	for (size_t i = 0; i < ARRAY_LEN(ea); i++) {
		const struct report_quiz_rank *r = &rows[i];
		assert_string_equal(r->player, order_a[i]);
		assert_int_equal(r->rank, ranks_a[i]);
		const struct expect *e = find_expect(ea, ARRAY_LEN(ea),
						     r->player);
		assert_int_equal(r->rank, reference_rank(ea, ARRAY_LEN(ea),
				 (int)(e - ea)));
		assert_int_equal(r->score, e->score);
		assert_true(fabs(r->seconds - e->seconds) < 1e-9);
		assert_string_equal(r->contest, A);
		assert_string_equal(r->class_name, "8A");
		assert_string_equal(r->site, "Buôn Đôn");
		assert_int_equal(r->n_questions, 10);
		assert_int_equal(r->answered, 10);
		assert_true(r->completed);
		assert_true(r->started_ms >= before && r->started_ms <= after);
	}
	/* Contest B comes after A (started later). */
	const struct report_quiz_rank *b = &rows[ARRAY_LEN(ea)];
	assert_true(b[0].started_ms > rows[0].started_ms);
	assert_string_equal(b[0].player, "Lan");
	assert_int_equal(b[0].rank, 1);
	assert_string_equal(b[1].player, "Nam");
	assert_int_equal(b[1].rank, 1);
	assert_string_equal(b[2].player, "Minh");
	assert_int_equal(b[2].rank, 3);
	assert_int_equal(b[2].score, 2);
	assert_int_equal(b[2].answered, 2);
	assert_int_equal(b[2].n_questions, 10);
	assert_true(fabs(b[2].seconds - 34.5) < 1e-9);
	assert_false(b[2].completed);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(b[i].class_name, "9B");
		assert_string_equal(b[i].contest, B);
	}
	report_quiz_ranks_free(rows, n);

	/* One contest only, as the kiosk's screen asks for it. */
	struct report_quiz_filter fb = no_filter;
	fb.contest = B;
	assert_true(report_quiz_ranking(paths, 1, &fb, &rows, &n));
	assert_int_equal(n, 3);
	assert_string_equal(rows[2].player, "Minh");
	report_quiz_ranks_free(rows, n);
	fb.contest = "no-such-contest";
	assert_true(report_quiz_ranking(paths, 1, &fb, &rows, &n));
	assert_int_equal(n, 0);
	assert_null(rows);
	/* NULL filter: everything. */
	assert_true(report_quiz_ranking(paths, 1, NULL, &rows, &n));
	assert_int_equal(n, ARRAY_LEN(ea) + 3);
	report_quiz_ranks_free(rows, n);
	report_quiz_ranks_free(NULL, 0);
	free(path);
}

/* The kiosk's screen reads the class ranking back from its own live log
 * while the contest goes on. */
static void test_live_contest(void **state)
{
	(void)state;
	char *path = path_join(tmp, "live/kiosk-log.sqlite");
	struct store *st = open_log(path, "Nhà văn hoá xã");
	char s[STORE_UUID_LEN], C[STORE_UUID_LEN], other[STORE_UUID_LEN];
	store_session_begin(st, "vi", s);
	struct store_contest cc = { .class_name = "7C", .n_questions = 5 };
	store_contest_begin(st, &cc, other);
	play(st, s, other, "Khác", 5, 5, 1.0);
	store_contest_begin(st, &cc, C);
	play(st, s, C, "Hoa", 4, 5, 20.0);
	play(st, s, C, "Hùng", 5, 5, 25.0);
	assert_true(store_flush(st));

	const char *paths[] = { path };
	struct report_quiz_filter f = no_filter;
	f.contest = C;
	struct report_quiz_rank *rows;
	size_t n;
	assert_true(report_quiz_ranking(paths, 1, &f, &rows, &n));
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].player, "Hùng");
	assert_string_equal(rows[1].player, "Hoa");
	report_quiz_ranks_free(rows, n);

	/* The store keeps working; the next turn shows up. */
	play(st, s, C, "Huy", 5, 5, 22.5);
	assert_true(store_flush(st));
	assert_true(report_quiz_ranking(paths, 1, &f, &rows, &n));
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].player, "Huy");
	assert_int_equal(rows[0].rank, 1);
	assert_string_equal(rows[1].player, "Hùng");
	assert_int_equal(rows[1].rank, 2);
	assert_int_equal(rows[2].rank, 3);
	report_quiz_ranks_free(rows, n);
	store_close(st);
	free(path);
}

/* ------------------------------------------------------------------------
 * Per-question analysis
 * ------------------------------------------------------------------------ */

/* An answer as logged, with the attempt it belongs to. */
struct logged {
	int contest;            /* index into the test's contests, -1 solo */
	struct ans a;
};

/* Append a CSV text cell the simple way: quoted when it holds a comma or
 * a quote. Enough for the texts of these tests. */
static void cell(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"")) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
}

/* quiz-questions.csv (vi) as it should read for the answers l[0..n) with
 * keep[contest + 1] set, worked out from the answers themselves. */
static char *expected_questions(const struct logged *l, int n,
				const bool *keep)
{
	const char *ids[16];
	int nq = 0;
	for (int i = 0; i < n; i++) {
		if (!keep[l[i].contest + 1])
			continue;
		int k = 0;
		while (k < nq && strcmp(ids[k], l[i].a.qid) != 0)
			k++;
		if (k == nq)
			ids[nq++] = l[i].a.qid;
	}
	struct fig {
		const char *id, *text;
		bool text_vi;
		int answers, correct, timed_out;
		double ms;
		const char *wrong, *wrong_text;
		int wrong_n;
		double share;
	} f[16];
	memset(f, 0, sizeof f);
	for (int k = 0; k < nq; k++) {
		f[k].id = ids[k];
		for (int i = 0; i < n; i++) {
			const struct ans *a = &l[i].a;
			if (!keep[l[i].contest + 1] || strcmp(a->qid, ids[k]))
				continue;
			f[k].answers++;
			f[k].correct += a->correct;
			f[k].timed_out += a->timed_out;
			f[k].ms += (double)a->ms;
			bool vi = strcmp(a->lang, "vi") == 0;
			if (!f[k].text || (vi && !f[k].text_vi)) {
				f[k].text = a->text;
				f[k].text_vi = vi;
			}
			if (a->correct || !*a->chosen)
				continue;
			/* How often this wrong choice was made, and its text. */
			int count = 0;
			const char *text = NULL;
			bool text_vi = false;
			for (int j = 0; j < n; j++) {
				const struct ans *b = &l[j].a;
				if (!keep[l[j].contest + 1] ||
				    strcmp(b->qid, ids[k]) || b->correct ||
				    strcmp(b->chosen, a->chosen))
					continue;
				count++;
				bool bvi = strcmp(b->lang, "vi") == 0;
				if (!text || (bvi && !text_vi)) {
					text = b->chosen_text;
					text_vi = bvi;
				}
			}
			/* Ties: the smaller first choice number (enough for
			 * these lists). */
			if (count > f[k].wrong_n ||
			    (count == f[k].wrong_n &&
			     atoi(a->chosen) < atoi(f[k].wrong))) {
				f[k].wrong = a->chosen;
				f[k].wrong_text = text;
				f[k].wrong_n = count;
			}
		}
		f[k].share = (double)f[k].correct / f[k].answers;
	}
	/* Hardest first, then by id. */
	for (int i = 0; i < nq; i++)
		for (int j = i + 1; j < nq; j++)
			if (f[j].share < f[i].share ||
			    (f[j].share == f[i].share &&
			     strcmp(f[j].id, f[i].id) < 0)) {
				struct fig t = f[i];
				f[i] = f[j];
				f[j] = t;
			}
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	fputs(BOM "Mã câu hỏi,Câu hỏi,Số lượt trả lời,Số lượt trả lời đúng,"
	      "Tỉ lệ trả lời đúng,Số lượt hết giờ,"
	      "Thời gian trả lời trung bình (giây),"
	      "Đáp án sai được chọn nhiều nhất,Số lượt chọn đáp án sai đó\r\n",
	      out);
	for (int k = 0; k < nq; k++) {
		cell(out, f[k].id);
		fputc(',', out);
		cell(out, f[k].text);
		fprintf(out, ",%d,%d,%.4f,%d,%.1f,", f[k].answers, f[k].correct,
			f[k].share, f[k].timed_out,
			f[k].ms / f[k].answers / 1000.0);
		if (f[k].wrong) {
			cell(out, f[k].wrong_text);
			fprintf(out, ",%d", f[k].wrong_n);
		} else {
			fputc(',', out);
		}
		fputs("\r\n", out);
	}
	fclose(out);
	return buf;
}

/* The answers of test_questions: contest K (index 0) and solo practice. */
#define Q1V "Theo Công ước, trẻ em có quyền gì?"
#define Q1E "Under the Convention, what rights do children have?"
#define Q2V "Những quyền nào được bảo vệ?"
#define Q2E "Which rights are protected?"
#define Q3V "CEDAW bảo vệ ai?"
#define Q3E "Whom does CEDAW protect?"
#define Q4E "Is torture ever allowed?"
static const struct logged answers_q[] = {
	/* attempt 1: contest K, An */
	{ 0, { "crc-01", "vi", Q1V, "1", "Quyền được học tập", true, false, 3000 } },
	{ 0, { "crc-02", "vi", Q2V, "1,3", "Quyền sống | Quyền riêng tư", false, false, 5000 } },
	{ 0, { "cedaw-03", "vi", Q3V, "2", "Phụ nữ", true, false, 4000 } },
	/* attempt 2: contest K, Bình */
	{ 0, { "crc-01", "vi", Q1V, "3", "Quyền được đi bầu", false, false, 6000 } },
	{ 0, { "crc-02", "vi", Q2V, "3", "Quyền riêng tư", false, false, 7000 } },
	{ 0, { "cedaw-03", "vi", Q3V, "", NULL, false, true, 20000 } },
	/* attempt 3: solo, in English */
	{ -1, { "crc-01", "en", Q1E, "3", "The right to vote", false, false, 2500 } },
	{ -1, { "crc-02", "en", Q2E, "1,3", "Right to life | Right to privacy", false, false, 4500 } },
	{ -1, { "cat-04", "en", Q4E, "2", "Sometimes", false, false, 8000 } },
	/* attempt 4: solo, in English */
	{ -1, { "crc-02", "en", Q2E, "3", "Right to privacy", false, false, 3000 } },
	{ -1, { "cat-04", "en", Q4E, "1", "Never", true, false, 2000 } },
	{ -1, { "cedaw-03", "en", Q3E, "2", "Women", true, false, 1500 } },
	/* attempt 5: contest K, Chi */
	{ 0, { "crc-01", "vi", Q1V, "1", "Quyền được học tập", true, false, 2000 } },
	{ 0, { "crc-02", "vi", Q2V, "2", "Quyền học tập", true, false, 3000 } },
	{ 0, { "cedaw-03", "vi", Q3V, "1", "Nam giới", false, false, 6000 } },
};
static const int attempt_q[] = { 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5 };

/* Log answers_q into path; writes the contest's uuid. */
static void make_questions_log(const char *path, char K[STORE_UUID_LEN])
{
	struct store *st = open_log(path, "Kon Tum");
	char s[STORE_UUID_LEN], att[STORE_UUID_LEN];
	store_session_begin(st, "vi", s);
	struct store_contest c = { .class_name = "6A", .n_questions = 3 };
	store_contest_begin(st, &c, K);
	static const char *const players[] = { NULL, "An", "Bình", NULL,
					       NULL, "Chi" };
	size_t i = 0;
	while (i < ARRAY_LEN(answers_q)) {
		size_t j = i;
		struct ans a[3];
		while (j < ARRAY_LEN(answers_q) && attempt_q[j] == attempt_q[i]) {
			a[j - i] = answers_q[j].a;
			j++;
		}
		bool solo = answers_q[i].contest < 0;
		log_attempt(st, s, solo ? NULL : K, players[attempt_q[i]], a,
			    (int)(j - i), 3, 30.0, true, att);
		i = j;
	}
	/* Another contest the filter must leave out. */
	char other[STORE_UUID_LEN];
	store_contest_begin(st, &c, other);
	play(st, s, other, "Xuân", 1, 3, 10.0);
	store_close(st);
}

static void test_questions(void **state)
{
	(void)state;
	char *path = path_join(tmp, "q.sqlite");
	char K[STORE_UUID_LEN];
	make_questions_log(path, K);
	char *out = path_join(tmp, "out");
	const char *paths[] = { path };

	/* The answers of contest K and of solo practice; the other contest
	 * (q01..q03 only) is kept out of the expectation by hand below. */
	struct report_quiz_filter f = no_filter;
	assert_true(report_quiz_write(paths, 1, &f, "vi", out, NULL));
	char *csv = read_text(out, "quiz-questions.csv");
	bool keep_all[] = { true, true };
	char *want = expected_questions(answers_q, ARRAY_LEN(answers_q),
					keep_all);
	/* Xuân's turn adds q01 (right), q02 and q03 (wrong, choice 2). */
	assert_non_null(strstr(csv, "\r\nq01,q01,1,1,1.0000,0,1.0,,\r\n"));
	assert_non_null(strstr(csv, "\r\nq02,q02,1,0,0.0000,0,1.0,Sai,1\r\n"));
	assert_non_null(strstr(csv, "\r\nq03,q03,1,0,0.0000,0,1.0,Sai,1\r\n"));
	/* Without Xuân's rows the file is what the answers give. */
	char *mine = xstrdup(csv);
	char *p;
	while ((p = strstr(mine, "\r\nq0"))) {
		char *eol = strstr(p + 2, "\r\n");
		memmove(p, eol, strlen(eol) + 1);
	}
	assert_string_equal(mine, want);
	/* And as worked out by hand: crc-02 is the hardest; its wrong
	 * choices 1,3 and 3 were both made twice, 1,3 wins, in Vietnamese. */
	assert_non_null(strstr(csv, BOM "Mã câu hỏi,"));
	assert_non_null(strstr(mine, "\r\ncrc-02,Những quyền nào được bảo vệ?,"
			       "5,1,0.2000,0,4.5,Quyền sống | Quyền riêng tư,"
			       "2\r\ncat-04,Is torture ever allowed?,2,1,"
			       "0.5000,0,5.0,Sometimes,1\r\ncedaw-03,"));
	assert_non_null(strstr(mine, "\r\ncrc-01,\"Theo Công ước, trẻ em có "
			       "quyền gì?\",4,2,0.5000,0,3.4,Quyền được đi "
			       "bầu,2\r\n"));
	assert_non_null(strstr(mine, "\r\ncedaw-03,CEDAW bảo vệ ai?,4,2,"
			       "0.5000,1,7.9,Nam giới,1\r\n"));
	free(mine);
	free(want);
	free(csv);

	/* Contest K alone: no solo practice. */
	f.contest = K;
	char *out_k = path_join(tmp, "out-k");
	assert_true(report_quiz_write(paths, 1, &f, NULL, out_k, NULL));
	csv = read_text(out_k, "quiz-questions.csv");
	bool keep_k[] = { false, true };
	want = expected_questions(answers_q, ARRAY_LEN(answers_q), keep_k);
	assert_string_equal(csv, want);
	assert_null(strstr(csv, "cat-04"));
	free(want);
	free(csv);
	csv = read_text(out_k, "quiz-ranking.csv");
	assert_non_null(strstr(csv, ",An,"));
	assert_null(strstr(csv, "Xuân"));
	free(csv);
	free(out_k);
	free(out);
	free(path);
}

/* ------------------------------------------------------------------------
 * Merging
 * ------------------------------------------------------------------------ */

/* All three files of a report on paths, concatenated, and the ranking as
 * text. Caller frees. */
static char *report_all(const char *const *paths, int n, const char *name)
{
	char *dir = path_join(tmp, name);
	assert_true(report_quiz_write(paths, n, &no_filter, "vi", dir, NULL));
	char *a = read_text(dir, REPORT_QUIZ_RANKING_CSV);
	char *b = read_text(dir, REPORT_QUIZ_QUESTIONS_CSV);
	char *c = read_text(dir, REPORT_QUIZ_HTML);
	struct report_quiz_rank *rows;
	size_t nr;
	assert_true(report_quiz_ranking(paths, n, &no_filter, &rows, &nr));
	char *r = xstrdup("");
	for (size_t i = 0; i < nr; i++) {
		char *t = xasprintf("%s%s|%s|%s|%lld|%d|%s|%d|%d|%d|%.3f|%d\n",
				    r, rows[i].contest, rows[i].class_name,
				    rows[i].site, (long long)rows[i].started_ms,
				    rows[i].rank, rows[i].player, rows[i].score,
				    rows[i].n_questions, rows[i].answered,
				    rows[i].seconds, rows[i].completed);
		free(r);
		r = t;
	}
	report_quiz_ranks_free(rows, nr);
	char *all = xasprintf("%s\n--\n%s\n--\n%s\n--\n%s", a, b, c, r);
	free(a);
	free(b);
	free(c);
	free(r);
	free(dir);
	return all;
}

static void test_merge(void **state)
{
	(void)state;
	char *path = path_join(tmp, "m.sqlite");
	char *early = path_join(tmp, "early.sqlite");
	char *late = path_join(tmp, "late.sqlite");
	char *again = path_join(tmp, "again.sqlite");

	struct store *st = open_log(path, "Đắk Lắk");
	char s[STORE_UUID_LEN], C[STORE_UUID_LEN], turn[STORE_UUID_LEN];
	store_session_begin(st, "vi", s);
	struct store_contest c = { .class_name = "8B", .n_questions = 3 };
	store_contest_begin(st, &c, C);
	play(st, s, C, "Hải", 2, 3, 20.0);
	static const struct ans two[] = {
		{ "q01", "vi", "q01", "1", "Đúng", true, false, 3000 },
		{ "q02", "vi", "q02", "2", "Sai", false, false, 3000 },
	};
	/* Phương's turn is under way when the first export is taken. */
	log_attempt(st, s, C, "Phương", two, 2, 3, 0, false, turn);
	store_close(st);
	copy_file(path, early);

	st = open_log(path, "Đắk Lắk");
	static const struct ans last = { "q03", "vi", "q03", "1", "Đúng", true,
					 false, 4000 };
	struct store_quiz_answer x = {
		.position = 3, .question_id = last.qid,
		.question_lang = last.lang, .question_text = last.text,
		.chosen = last.chosen, .chosen_text = last.chosen_text,
		.correct = true, .ms = last.ms,
	};
	store_quiz_answer(st, turn, &x);
	store_quiz_end(st, turn, 2, 3, 12.0, true);
	play(st, s, C, "Quân", 3, 3, 25.0);
	store_contest_mark(st, C, STORE_CONTEST_EXPORTED);
	store_close(st);
	copy_file(path, late);
	copy_file(path, again);

	const char *one[] = { path };
	const char *twice[] = { path, path };
	const char *copies[] = { path, again };
	const char *overlap[] = { early, late };
	const char *overlap_rev[] = { late, early };
	char *r1 = report_all(one, 1, "r1");
	char *r2 = report_all(twice, 2, "r2");
	char *r3 = report_all(copies, 2, "r3");
	char *r4 = report_all(overlap, 2, "r4");
	char *r5 = report_all(overlap_rev, 2, "r5");
	assert_string_equal(r1, r2);
	assert_string_equal(r1, r3);
	assert_string_equal(r1, r4);
	assert_string_equal(r1, r5);
	/* Phương ended 2 of 3 in 12.0 s, tied with Hải on score, faster. */
	assert_non_null(strstr(r1, "|1|Quân|3|3|3|25.000|1\n"));
	assert_non_null(strstr(r1, "|2|Phương|2|3|3|12.000|1\n"));
	assert_non_null(strstr(r1, "|3|Hải|2|3|3|20.000|1\n"));
	assert_non_null(strstr(r1, "\r\nq03,q03,3,2,0.6667,0,"));

	/* The early export alone: Phương counted from her two answers. */
	const char *only_early[] = { early };
	char *r6 = report_all(only_early, 1, "r6");
	assert_non_null(strstr(r6, "|1|Hải|2|3|3|20.000|1\n"));
	assert_non_null(strstr(r6, "|2|Phương|1|3|2|6.000|0\n"));
	free(r6);
	free(r1);
	free(r2);
	free(r3);
	free(r4);
	free(r5);
	free(again);
	free(late);
	free(early);
	free(path);
}

/* ------------------------------------------------------------------------
 * Period
 * ------------------------------------------------------------------------ */

static void test_period(void **state)
{
	(void)state;
	char *path = path_join(tmp, "p.sqlite");
	struct store *st = open_log(path, "Sa Pa");
	char s[STORE_UUID_LEN], P1[STORE_UUID_LEN], P2[STORE_UUID_LEN];
	char solo[STORE_UUID_LEN];
	store_session_begin(st, "vi", s);
	struct store_contest c1 = { .class_name = "6A", .n_questions = 2 };
	struct store_contest c2 = { .class_name = "7B", .n_questions = 2 };
	store_contest_begin(st, &c1, P1);
	play(st, s, P1, "Mai", 2, 2, 8.0);
	store_contest_begin(st, &c2, P2);
	play(st, s, P2, "Đào", 1, 2, 9.0);
	static const struct ans sa[] = {
		{ "solo-1", "vi", "Câu tự luyện", "2", "Sai", false, false, 1000 },
	};
	log_attempt(st, s, NULL, NULL, sa, 1, 1, 1.0, true, solo);
	store_close(st);
	/* Move the contests' starts (only theirs: their attempts and answers
	 * follow the contest) and the solo attempt's. */
	const char *set_contest =
		"UPDATE contests SET started_wall_ms = ?1 WHERE uuid = ?2";
	db_set_time(path, set_contest, at_ms("2026-03-10", 20, 0), P1);
	db_set_time(path, set_contest, at_ms("2026-04-20", 10, 0), P2);
	db_set_time(path, "UPDATE quiz_attempts SET started_wall_ms = ?1 "
		    "WHERE uuid = ?2", at_ms("2026-03-11", 8, 0), solo);

	const char *paths[] = { path };
	struct report_quiz_filter f = { NULL, day("2026-03-01"),
					day("2026-03-31") };
	char *out = path_join(tmp, "march");
	assert_true(report_quiz_write(paths, 1, &f, "en", out, NULL));
	char *csv = read_text(out, REPORT_QUIZ_RANKING_CSV);
	assert_string_equal(csv, BOM "Class,Date,Site,Rank,Name,Score,"
			    "Questions,Answered,Seconds,"
			    "Completed (1 = yes / 0 = no)\r\n"
			    "6A,2026-03-10,Sa Pa,1,Mai,2,2,2,8.0,1\r\n");
	free(csv);
	csv = read_text(out, REPORT_QUIZ_QUESTIONS_CSV);
	assert_string_equal(csv, BOM "Question ID,Question,Answers,Correct,"
			    "Share correct,Timed out,Average seconds,"
			    "Most chosen wrong answer,Times chosen\r\n"
			    "solo-1,Câu tự luyện,1,0,0.0000,0,1.0,Sai,1\r\n"
			    "q01,q01,1,1,1.0000,0,1.0,,\r\n"
			    "q02,q02,1,1,1.0000,0,1.0,,\r\n");
	free(csv);
	char *html = read_text(out, REPORT_QUIZ_HTML);
	assert_non_null(strstr(html, "Period: from 2026-03-01 to 2026-03-31"));
	assert_non_null(strstr(html, "<h3><span class=\"label\">Class</span> "
			       "6A</h3>"));
	assert_non_null(strstr(html, "Class contests and solo practice"));
	free(html);

	struct report_quiz_rank *rows;
	size_t n;
	f.from_day = f.to_day = day("2026-04-20");
	assert_true(report_quiz_ranking(paths, 1, &f, &rows, &n));
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].player, "Đào");
	assert_int_equal(rows[0].started_ms, at_ms("2026-04-20", 10, 0));
	report_quiz_ranks_free(rows, n);
	f.from_day = f.to_day = date_today_days();
	assert_true(report_quiz_ranking(paths, 1, &f, &rows, &n));
	assert_int_equal(n, 0);
	/* Contests before P2, by start: P1 first although logged first
	 * anyway; move P1 after P2 and the order follows. */
	db_set_time(path, set_contest, at_ms("2026-05-01", 7, 0), P1);
	assert_true(report_quiz_ranking(paths, 1, NULL, &rows, &n));
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].player, "Đào");
	assert_string_equal(rows[1].player, "Mai");
	report_quiz_ranks_free(rows, n);
	db_set_time(path, set_contest, at_ms("2026-03-10", 20, 0), P1);

	/* Local dates: at UTC+7, 20:00 UTC on the 10th is the 11th. */
	setenv("TZ", "ICT-7", 1);
	tzset();
	f.from_day = f.to_day = day("2026-03-11");
	char *out_ict = path_join(tmp, "ict");
	assert_true(report_quiz_write(paths, 1, &f, "vi", out_ict, NULL));
	csv = read_text(out_ict, REPORT_QUIZ_RANKING_CSV);
	assert_non_null(strstr(csv, "\r\n6A,2026-03-11,Sa Pa,1,Mai,"));
	free(csv);
	html = read_text(out_ict, REPORT_QUIZ_HTML);
	assert_non_null(strstr(html, "Thời gian: ngày 11/03/2026"));
	assert_non_null(strstr(html, "Ngày: 11/03/2026"));
	free(html);
	setenv("TZ", "UTC", 1);
	tzset();
	f.from_day = f.to_day = day("2026-03-11");
	assert_true(report_quiz_ranking(paths, 1, &f, &rows, &n));
	assert_int_equal(n, 0);
	free(out_ict);
	free(out);
	free(path);
}

/* A contest logged before the clock was set is placed by a later, trusted
 * reading of the clock in the same boot. */
static void test_unset_clock(void **state)
{
	(void)state;
	char *path = path_join(tmp, "u.sqlite");
	struct store *st = open_log(path, "Mường Tè");
	char s[STORE_UUID_LEN], C[STORE_UUID_LEN];
	store_session_begin(st, "vi", s);
	struct store_contest c = { .class_name = "5A", .n_questions = 1 };
	store_contest_begin(st, &c, C);
	play(st, s, C, "Lò", 1, 1, 3.0);
	store_close(st);
	/* The contest said 1970 with the clock unset; staff confirmed the
	 * clock when the session began. */
	db_exec(path, "UPDATE quiz_attempts SET clock = 0, started_wall_ms = 7000;"
		"UPDATE quiz_answers SET clock = 0, wall_ms = 8000;"
		"UPDATE sessions SET clock = 3;");
	db_set_time(path, "UPDATE contests SET clock = 0, started_wall_ms = ?1 "
		    "WHERE uuid = ?2", 5000, C);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT c.started_boot_ms + s.started_wall_ms - s.started_boot_ms"
		" FROM contests c, sessions s", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t placed = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);

	const char *paths[] = { path };
	struct report_quiz_rank *rows;
	size_t n;
	assert_true(report_quiz_ranking(paths, 1, NULL, &rows, &n));
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].started_ms, placed);
	assert_true(rows[0].started_ms > at_ms("2026-01-01", 0, 0));
	report_quiz_ranks_free(rows, n);
	struct report_quiz_filter f = { NULL, date_today_days(),
					date_today_days() };
	char *out = path_join(tmp, "out");
	assert_true(report_quiz_write(paths, 1, &f, "vi", out, NULL));
	char *csv = read_text(out, REPORT_QUIZ_QUESTIONS_CSV);
	assert_non_null(strstr(csv, "\r\nq01,q01,1,1,1.0000,0,1.0,,\r\n"));
	free(csv);
	free(out);
	free(path);
}

/* ------------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------------ */

static void test_csv_bytes(void **state)
{
	(void)state;
	char *path = path_join(tmp, "c.sqlite");
	struct store *st = open_log(path, "Buôn Đôn");
	char s[STORE_UUID_LEN], C[STORE_UUID_LEN];
	store_session_begin(st, "vi", s);
	struct store_contest c = { .class_name = "Lớp 8A, chiều",
				   .n_questions = 3 };
	store_contest_begin(st, &c, C);
	play(st, s, C, "Nguyễn Ánh", 2, 3, 12.3);
	play(st, s, C, "=1+1", 3, 3, 10.0);
	play(st, s, C, "Lan \"Bé\"", 2, 3, 12.34);
	play(st, s, C, "@SUM(A1)", 0, 3, 5.0);
	store_close(st);

	const char *paths[] = { path };
	char *out = path_join(tmp, "out");
	assert_true(report_quiz_write(paths, 1, NULL, "vi", out, NULL));
	char *csv = read_text(out, REPORT_QUIZ_RANKING_CSV);
	char today[16];
	today_text(today);
	char *want = xasprintf(
		BOM "Lớp,Ngày,Địa điểm,Hạng,Tên,Điểm,Số câu hỏi,"
		"Số câu đã trả lời,Thời gian (giây),"
		"Hoàn thành (1 = có / 0 = không)\r\n"
		"\"Lớp 8A, chiều\",%s,Buôn Đôn,1,'=1+1,3,3,3,10.0,1\r\n"
		"\"Lớp 8A, chiều\",%s,Buôn Đôn,2,\"Lan \"\"Bé\"\"\",2,3,3,"
		"12.3,1\r\n"
		"\"Lớp 8A, chiều\",%s,Buôn Đôn,2,Nguyễn Ánh,2,3,3,12.3,1\r\n"
		"\"Lớp 8A, chiều\",%s,Buôn Đôn,4,'@SUM(A1),0,3,3,5.0,1\r\n",
		today, today, today, today);
	assert_string_equal(csv, want);
	free(want);
	/* Every line ends in CRLF. */
	for (const char *p = csv; (p = strchr(p, '\n')); p++)
		assert_true(p > csv && p[-1] == '\r');
	free(csv);
	csv = read_text(out, REPORT_QUIZ_QUESTIONS_CSV);
	assert_memory_equal(csv, BOM, 3);
	for (const char *p = csv; (p = strchr(p, '\n')); p++)
		assert_true(p > csv && p[-1] == '\r');
	free(csv);

	/* A second run replaces the files whole. */
	assert_true(report_quiz_write(paths, 1, NULL, "en", out, NULL));
	csv = read_text(out, REPORT_QUIZ_RANKING_CSV);
	assert_non_null(strstr(csv, BOM "Class,Date,Site,Rank,Name,"));
	assert_null(strstr(csv, "Lớp,Ngày"));
	free(csv);
	char *leftover = path_join(out, REPORT_QUIZ_HTML ".tmp");
	assert_false(file_exists(leftover));
	free(leftover);
	free(out);
	free(path);
}

static void test_html(void **state)
{
	(void)state;
	char *path = path_join(tmp, "h.sqlite");
	struct store *st = open_log(path, "Trường THCS <Kim Đồng>");
	char s[STORE_UUID_LEN], C[STORE_UUID_LEN], att[STORE_UUID_LEN];
	store_session_begin(st, "vi", s);
	struct store_contest c = { .class_name = "Lớp 9A", .n_questions = 2 };
	store_contest_begin(st, &c, C);
	play(st, s, C, "Thảo", 2, 2, 14.0);
	play(st, s, C, "<b>Bold</b>", 2, 2, 15.0);
	play(st, s, C, "O'Neil & \"Co\"", 1, 2, 9.0);
	static const struct ans tricky[] = {
		{ "x-1", "vi", "<script>alert(1)</script> là gì?", "2",
		  "<i>Không</i>", false, false, 2000 },
	};
	log_attempt(st, s, C, "Vy", tricky, 1, 2, 2.0, true, att);
	store_close(st);

	const char *paths[] = { path };
	char *out = path_join(tmp, "out");
	assert_true(report_quiz_write(paths, 1, NULL, NULL, out, NULL));
	char *html = read_text(out, REPORT_QUIZ_HTML);
	assert_non_null(strstr(html, "<!DOCTYPE html>"));
	assert_non_null(strstr(html, "<html lang=\"vi\">"));
	assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(html, "<title>Kết quả thi</title>"));
	assert_non_null(strstr(html, "<h3>Lớp 9A</h3>"));
	assert_non_null(strstr(html, "Trường THCS &lt;Kim Đồng&gt;"));
	/* Names in rank order, escaped. */
	const char *names[] = { "Thảo", "&lt;b&gt;Bold&lt;/b&gt;",
				"O&#39;Neil &amp; &quot;Co&quot;", "Vy" };
	const char *prev = html;
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		const char *p = strstr(html, names[i]);
		if (!p || p < prev)
			fail_msg("%s missing or out of order", names[i]);
		prev = p;
	}
	assert_non_null(strstr(html, "Vy <span class=\"muted\">(chưa làm xong)"
			       "</span>"));
	assert_null(strstr(html, "<b>Bold"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<i>Không"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; "
			       "là gì?"));
	assert_non_null(strstr(html, "&lt;i&gt;Không&lt;/i&gt;"));
	/* Self-contained and printable. */
	assert_null(strstr(html, "http"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href="));
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "@import"));
	assert_non_null(strstr(html, "@page { size: A4;"));
	assert_non_null(strstr(html, "break-inside: avoid"));
	assert_non_null(strstr(html, "<svg"));
	/* Vietnamese labels. */
	static const char *const vi[] = {
		"Xếp hạng", "Tên", "Điểm", "Thời gian", "Câu hỏi",
		"Tỉ lệ trả lời đúng", "Đáp án sai được chọn nhiều nhất",
		"Thời gian: tất cả các ngày", "14,0 giây", "66,7%",
	};
	for (size_t i = 0; i < ARRAY_LEN(vi); i++)
		if (!strstr(html, vi[i]))
			fail_msg("no '%s' in the Vietnamese report", vi[i]);
	free(html);

	assert_true(report_quiz_write(paths, 1, NULL, "en", out, NULL));
	html = read_text(out, REPORT_QUIZ_HTML);
	assert_non_null(strstr(html, "<html lang=\"en\">"));
	assert_non_null(strstr(html, "<title>Quiz results</title>"));
	assert_non_null(strstr(html, "Most chosen wrong answer"));
	assert_non_null(strstr(html, "14.0 s"));
	assert_null(strstr(html, "Xếp hạng"));
	free(html);

	/* An empty log still gives a whole page. */
	char *empty = path_join(tmp, "empty.sqlite");
	store_close(open_log(empty, ""));
	const char *ep[] = { empty };
	assert_true(report_quiz_write(ep, 1, NULL, "vi", out, NULL));
	html = read_text(out, REPORT_QUIZ_HTML);
	assert_non_null(strstr(html, "Không có cuộc thi nào"));
	assert_non_null(strstr(html, "</html>\n"));
	free(html);
	char *csv = read_text(out, REPORT_QUIZ_RANKING_CSV);
	assert_int_equal(strlen(csv), strlen(BOM) + strlen("Lớp,Ngày,Địa điểm,"
		"Hạng,Tên,Điểm,Số câu hỏi,Số câu đã trả lời,Thời gian (giây),"
		"Hoàn thành (1 = có / 0 = không)\r\n"));
	free(csv);
	free(empty);
	free(out);
	free(path);
}

static void test_bad_files(void **state)
{
	(void)state;
	struct report_quiz_rank *rows = (void *)1;
	size_t n = 7;
	char *missing = path_join(tmp, "missing.sqlite");
	const char *p1[] = { missing };
	assert_false(report_quiz_ranking(p1, 1, NULL, &rows, &n));
	assert_null(rows);
	assert_int_equal(n, 0);
	char *out = path_join(tmp, "out");
	assert_false(report_quiz_write(p1, 1, NULL, "vi", out, NULL));

	char *text = test_write_file(tmp, "notes.sqlite", "not a database, "
				     "just some notes long enough.........\n");
	const char *p2[] = { text };
	assert_false(report_quiz_ranking(p2, 1, NULL, &rows, &n));
	const char *p3[] = { tmp };
	assert_false(report_quiz_ranking(p3, 1, NULL, &rows, &n));

	/* A log from before quizzes (schema 2) has none, and is no error. */
	char *old = path_join(tmp, "old.sqlite");
	store_close(open_log(old, "x"));
	db_exec(old, "DROP TABLE contests; DROP TABLE quiz_attempts;"
		"DROP TABLE quiz_answers; PRAGMA user_version = 2;");
	char *good = path_join(tmp, "good.sqlite");
	struct store *st = open_log(good, "y");
	char s[STORE_UUID_LEN], C[STORE_UUID_LEN];
	store_session_begin(st, "vi", s);
	struct store_contest c = { .class_name = "4A", .n_questions = 1 };
	store_contest_begin(st, &c, C);
	play(st, s, C, "Bảo", 1, 1, 1.0);
	store_close(st);
	const char *p4[] = { old, good };
	assert_true(report_quiz_ranking(p4, 2, NULL, &rows, &n));
	assert_int_equal(n, 1);
	report_quiz_ranks_free(rows, n);
	assert_true(report_quiz_write(p4, 2, NULL, "en", out, NULL));

	/* A good log and a bad one: fails. */
	const char *p5[] = { good, missing };
	assert_false(report_quiz_ranking(p5, 2, NULL, &rows, &n));
	/* An unknown language; an output directory that is a file. */
	assert_false(report_quiz_write(p4, 2, NULL, "fr", out, NULL));
	assert_false(report_quiz_write(p4, 2, NULL, "vi", text, NULL));
	free(good);
	free(old);
	free(out);
	free(text);
	free(missing);
}

/* ------------------------------------------------------------------------
 * kiosk report quiz
 * ------------------------------------------------------------------------ */

/* Run cli_report_main with stdout and stderr captured; caller frees both. */
#define run_cli(cfg, out, err, ...) \
	test_run_cli(cli_report_main, (cfg), tmp, (out), (err), __VA_ARGS__)

static void test_cli(void **state)
{
	(void)state;
	struct kiosk_config cfg;
	memset(&cfg, 0, sizeof cfg);
	snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s/data", tmp);
	char *live = path_join(cfg.data_dir, STORE_LOG_FILENAME);
	struct store *st = open_log(live, "Điện Biên");
	char s[STORE_UUID_LEN], C[STORE_UUID_LEN], view[STORE_UUID_LEN];
	store_session_begin(st, "vi", s);
	store_view_begin(st, s, "poster-crc", "vi", view);
	struct store_contest c = { .class_name = "3C", .n_questions = 2 };
	store_contest_begin(st, &c, C);
	play(st, s, C, "Sơn", 2, 2, 7.0);
	play(st, s, C, "Tú", 1, 2, 6.0);
	store_close(st);
	char *other = path_join(tmp, "other.sqlite");
	copy_file(live, other);
	char *dir = path_join(tmp, "reports/2026");
	char *out, *err;

	assert_int_equal(run_cli(&cfg, &out, &err, "report", "quiz", "-o", dir,
				 other, NULL), 0);
	char *want = xasprintf("%s/quiz-ranking.csv\n%s/quiz-questions.csv\n"
			       "%s/quiz-report.html\n", dir, dir, dir);
	assert_string_equal(out, want);
	free(want);
	assert_non_null(strstr(err, "reading"));
	assert_non_null(strstr(err, other));
	free(out);
	free(err);
	char *csv = read_text(dir, REPORT_QUIZ_RANKING_CSV);
	assert_non_null(strstr(csv, "\r\n3C,"));
	assert_non_null(strstr(csv, ",1,Sơn,2,2,2,7.0,1\r\n"));
	free(csv);

	/* No files: the live log; the current directory by default. */
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(tmp), 0);
	int rc = run_cli(&cfg, &out, &err, "report", "quiz", "--lang=en", NULL);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "./quiz-ranking.csv\n./quiz-questions.csv\n"
			    "./quiz-report.html\n");
	assert_non_null(strstr(err, live));
	free(out);
	free(err);
	char *html = read_text(tmp, REPORT_QUIZ_HTML);
	assert_non_null(strstr(html, "<html lang=\"en\">"));
	assert_non_null(strstr(html, "Sơn"));
	free(html);

	/* Every option, both spellings. */
	char *dir2 = path_join(tmp, "r2");
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "quiz", "--from",
				 "2026-01-01", "--to=2099-12-31", "--contest", C,
				 "--lang", "vi", "--output", dir2, live, other,
				 NULL), 0);
	free(out);
	free(err);
	html = read_text(dir2, REPORT_QUIZ_HTML);
	assert_non_null(strstr(html, "<html lang=\"vi\">"));
	assert_non_null(strstr(html, "Tú"));
	assert_non_null(strstr(html, C));
	free(html);
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "quiz",
				 "--contest=nothing", "-o", dir2, live, NULL), 0);
	free(out);
	free(err);
	html = read_text(dir2, REPORT_QUIZ_HTML);
	assert_null(strstr(html, "Sơn"));
	free(html);

	/* Usage errors: exit 2, nothing on stdout. */
	static const char *const bad[][3] = {
		{ "--lang", "fr", "fr" },
		{ "--from", "2026-02-30", "2026-02-30" },
		{ "--bogus", NULL, "--bogus" },
		{ "--contest", NULL, "--contest" },
		{ "-o", NULL, "-o" },
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		assert_int_equal(run_cli(&cfg, &out, &err, "report", "quiz",
					 bad[i][0], bad[i][1], NULL), 2);
		assert_string_equal(out, "");
		if (!strstr(err, bad[i][2]))
			fail_msg("'%s' not named in: %s", bad[i][2], err);
		free(out);
		free(err);
	}
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "quiz", "--from",
				 "2026-05-01", "--to", "2026-04-01", NULL), 2);
	assert_non_null(strstr(err, "after"));
	free(out);
	free(err);

	/* A missing log: exit 1, named. */
	char *missing = path_join(tmp, "nope.sqlite");
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "quiz", "-o", dir,
				 live, missing, NULL), 1);
	assert_string_equal(out, "");
	assert_non_null(strstr(err, missing));
	free(out);
	free(err);

	/* Help. */
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "quiz", "--help",
				 NULL), 0);
	assert_non_null(strstr(out, "--contest"));
	assert_non_null(strstr(out, "quiz-report.html"));
	free(out);
	free(err);
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "--help", NULL), 0);
	assert_non_null(strstr(out, "report quiz"));
	free(out);
	free(err);

	/* `kiosk report views` still reads the same logs. */
	assert_int_equal(run_cli(&cfg, &out, &err, "report", "views", live,
				 NULL), 0);
	assert_non_null(strstr(out, "item,language,views,seconds,completed\r\n"
			       "poster-crc,vi,1,"));
	free(out);
	free(err);

	free(missing);
	free(dir2);
	free(dir);
	free(other);
	free(live);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ranking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_live_contest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_questions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_period, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unset_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
