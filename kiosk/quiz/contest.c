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
#include "base/usbmount.h"
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

bool contest_export_dir(const struct kiosk_config *cfg, char *out, size_t size)
{
	char **sticks = usbmount_list(true, NULL);
	bool usb = sticks[0] != NULL;
	if (usb) {
		snprintf(out, size, "%s", sticks[0]);
	} else {
		char *fallback = path_join(cfg->data_dir, "exports");
		snprintf(out, size, "%s", fallback);
		free(fallback);
	}
	usbmount_free(sticks);
	return usb;
}
