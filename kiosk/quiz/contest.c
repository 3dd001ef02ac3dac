/*
 * contest: a class contest, as the log keeps it (see contest.h).
 */
#include "quiz/contest.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/log.h"
#include "base/util.h"

static void copy_column(sqlite3_stmt *s, int col, char *out, size_t size)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	snprintf(out, size, "%s", t ? (const char *)t : "");
}

bool contest_find_open(const char *log_path, struct contest *out)
{
	memset(out, 0, sizeof *out);
	if (!file_exists(log_path))
		return false;
	char *uri = store_file_uri(log_path, "mode=ro");
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	bool found = false;
	int rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
				 NULL);
	free(uri);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
			"SELECT uuid, class_name, coalesce(topic, ''), n_questions, "
			"seconds_per_question, ended_wall_ms IS NOT NULL "
			"FROM contests WHERE cleared_wall_ms IS NULL "
			"ORDER BY started_wall_ms DESC, rowid DESC LIMIT 1",
			-1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			copy_column(s, 0, out->uuid, sizeof out->uuid);
			copy_column(s, 1, out->class_name, sizeof out->class_name);
			copy_column(s, 2, out->topic, sizeof out->topic);
			out->n_questions = sqlite3_column_int(s, 3);
			out->seconds_per_question = sqlite3_column_int(s, 4);
			out->ended = sqlite3_column_int(s, 5) != 0;
			found = true;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		log_error("%s: cannot read class contests: %s", log_path,
			  db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return found;
}

/* The first writable folder directly in dir (or, with depth 2, in its
 * sub-folders), mounted on another device than dir itself. */
static bool find_mounted(const char *dir, int depth, char *out, size_t size)
{
	struct stat parent;
	if (stat(dir, &parent) != 0)
		return false;
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool found = false;
	struct dirent *de;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *path = path_join(dir, de->d_name);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (st.st_dev != parent.st_dev && access(path, W_OK) == 0) {
				snprintf(out, size, "%s", path);
				found = true;
			} else if (depth > 1) {
				found = find_mounted(path, depth - 1, out, size);
			}
		}
		free(path);
	}
	closedir(d);
	return found;
}

bool contest_export_dir(const struct kiosk_config *cfg, char *out, size_t size)
{
	const char *root = getenv("KIOSK_MEDIA_ROOT");
	if (root && *root) {
		/* tests: any writable folder in it stands for a stick */
		DIR *d = opendir(root);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char *path = path_join(root, de->d_name);
			bool ok = dir_exists(path) && access(path, W_OK) == 0;
			if (ok)
				snprintf(out, size, "%s", path);
			free(path);
			if (ok) {
				closedir(d);
				return true;
			}
		}
		if (d)
			closedir(d);
	} else if (find_mounted("/media", 2, out, size) ||
		   find_mounted("/run/media", 2, out, size)) {
		return true;
	}
	char *fallback = path_join(cfg->data_dir, "exports");
	snprintf(out, size, "%s", fallback);
	free(fallback);
	return false;
}
