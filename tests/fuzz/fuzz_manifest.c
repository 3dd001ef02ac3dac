/*
 * fuzz_manifest: content-pack manifests (pack/manifest.c). The input is a
 * MANIFEST.json's bytes, parsed with manifest_parse under the largest file
 * size a pack may have (PACK_MAX_FILE_BYTES, what pack_verify uses) or,
 * when the input's length is odd, a small one (a kiosk's free space).
 *
 * Beyond not crashing, the target asserts: a refusal comes with a reason
 * and an empty manifest; an accepted manifest has a positive version,
 * UTF-8 texts, 1..MANIFEST_MAX_FILES files whose paths manifest_path_check
 * accepts, strictly sorted, none a folder of another, sizes within the
 * limit that add up to total_bytes, each found by manifest_find; and it
 * survives a round trip: manifest_to_json then manifest_parse gives the
 * same manifest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "fuzz_common.h"
#include "pack/manifest.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

static void check_manifest(const struct manifest *m, int64_t max_file)
{
	FUZZ_CHECK(m->version > 0, "version %lld", (long long)m->version);
	fuzz_check_utf8(m->created, "created");
	fuzz_check_utf8(m->publisher, "publisher");
	FUZZ_CHECK(m->n_files >= 1 && m->n_files <= MANIFEST_MAX_FILES,
		   "%zu files", m->n_files);
	int64_t total = 0;
	for (size_t i = 0; i < m->n_files; i++) {
		const struct manifest_file *f = &m->files[i];
		char *why = manifest_path_check(f->path);
		FUZZ_CHECK(!why, "path %s: %s", f->path, why);
		FUZZ_CHECK(f->size >= 0 && f->size <= max_file, "size %lld",
			   (long long)f->size);
		total += f->size;
		if (i > 0)
			FUZZ_CHECK(strcmp(m->files[i - 1].path, f->path) < 0,
				   "%s and %s out of order", m->files[i - 1].path,
				   f->path);
		FUZZ_CHECK(manifest_find(m, f->path) == f, "manifest_find(%s)",
			   f->path);
		/* no folder of this path is a file */
		size_t n = strlen(f->path);
		char *prefix = xstrdup(f->path);
		for (size_t k = 0; k < n; k++) {
			if (prefix[k] != '/')
				continue;
			prefix[k] = '\0';
			FUZZ_CHECK(!manifest_find(m, prefix), "%s is a file and a "
				   "folder", prefix);
			prefix[k] = '/';
		}
		free(prefix);
	}
	FUZZ_CHECK(total == m->total_bytes, "total %lld, files add up to %lld",
		   (long long)m->total_bytes, (long long)total);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t max_file = size % 2 ? 1000000 : PACK_MAX_FILE_BYTES;
	struct manifest m;
	char *err = NULL;
	if (!manifest_parse(&m, (const char *)data, size, max_file, &err)) {
		FUZZ_CHECK(err && *err, "refused without a reason");
		FUZZ_CHECK(m.n_files == 0 && !m.files && !m.created, "a refused "
			   "manifest is not empty");
		free(err);
		return 0;
	}
	FUZZ_CHECK(!err, "accepted with a reason");
	check_manifest(&m, max_file);

	size_t len = 0;
	char *json = manifest_to_json(&m, &len);
	FUZZ_CHECK(json && len == strlen(json) && len > 0 && json[len - 1] == '\n',
		   "manifest_to_json");
	struct manifest back;
	if (!manifest_parse(&back, json, len, max_file, &err))
		FUZZ_CHECK(false, "its own JSON is refused: %s", err);
	FUZZ_CHECK(back.version == m.version && back.n_files == m.n_files &&
		   back.total_bytes == m.total_bytes &&
		   !strcmp(back.created, m.created) &&
		   !strcmp(back.publisher, m.publisher), "round trip");
	for (size_t i = 0; i < m.n_files; i++)
		FUZZ_CHECK(!strcmp(back.files[i].path, m.files[i].path) &&
			   back.files[i].size == m.files[i].size &&
			   !memcmp(back.files[i].sha256, m.files[i].sha256,
				   MANIFEST_SHA256_BYTES), "round trip of file %zu", i);
	manifest_finish(&back);
	free(json);
	manifest_finish(&m);
	return 0;
}
