/*
 * bench: what the benchmark commands (cli_bench.c, bench_poster.c,
 * bench_report.c) share.
 */
#ifndef KIOSK_CLI_BENCH_H
#define KIOSK_CLI_BENCH_H

#include <stdbool.h>

/* What a child process used (run_child). */
struct child_usage {
	double wall_s;
	double cpu_s;        /* user + system, all threads */
	double peak_rss_mb;  /* ru_maxrss of the child */
};

/* Run argv (looked up on PATH) with stdin on /dev/null and wait for it.
 * When err_out is not NULL its stdout and stderr are collected there (NUL
 * terminated, caller frees); otherwise its stdout goes to /dev/null and
 * its stderr is ours. Fills *use.
 *
 * The child is forked, then exec'd, not started with posix_spawn:
 * posix_spawn shares this process's memory until the exec (vfork), and
 * Linux then carries this process's high-water RSS into the child's
 * ru_maxrss. A forked child's count starts from its own copy (what this
 * process holds at the fork, not its peak).
 *
 * Returns the exit status, or -1 when it could not start (said on
 * stderr) or was killed. */
int run_child(char *const *argv, char **err_out, struct child_usage *use);

/* run_child with the child's stdout and stderr written to the file
 * out_path (created or truncated). *missing says whether the program was
 * not found on PATH (a name without '/'); that is not said on stderr. */
int run_child_into(char *const *argv, const char *out_path, struct child_usage *use,
		   bool *missing);

/* A temporary directory for a file to measure, from tmpl (a mkdtemp
 * template, changed in place). False with the reason on stderr. */
bool bench_tmpdir(char *tmpl);

/* Remove a measured file made in tmpl, and tmpl, and free path. Accepts
 * NULL. */
void bench_file_remove(char *tmpl, char *path);

/* kiosk bench poster [FILE]: a poster from tap to screen, and frame
 * times while zooming and panning it. */
int bench_poster(const char *file);

/* kiosk bench leaflet [FILE]: a PDF leaflet's first page and page turns. */
int bench_leaflet(const char *file);

/* kiosk bench text [FILE]: a text leaflet's layout and scrolling. */
int bench_text(const char *file);

/* kiosk bench report [--kiosks N] [--events N] [--days N] [--seed N]
 * [--dir DIR] [--keep]: a year of generated logs through `kiosk report
 * -o`, beside the sqlite3 tool (bench_report.c). argv[0] is "report".
 * Returns the exit status. */
int bench_report(int argc, char **argv);

#endif
