/* test_output.c - a file written in pieces (output_stream) ends up exactly
 * as if written whole, whatever was in its place before; a file that
 * would not change is not touched, and no staged file is ever left. */
#include "harness.h"

#include <sys/stat.h>

#include "base/diag.h"
#include "base/util.h"
#include "keep/output.h"

#define BIG (300 * 1000 + 17)	/* several of report.c's 64 KB pieces, and a ragged end */

static char dir[64];
static char path[96];
static char staged[96];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/samfakt-output-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/fordelning.csv", dir);
	snprintf(staged, sizeof staged, "%s/.fordelning.csv.%ld.samfakt-tmp", dir, (long)getpid());
	diag_set_verbosity(-2);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	unlink(staged);
	rmdir(dir);
	return 0;
}

static char *content(size_t len, unsigned seed)
{
	char *buf = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + (i * 7 + seed) % 26);
	return buf;
}

static void put_file(const char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

/* Stream buf in pieces of `piece` bytes; return what close said changed. */
static int stream(const char *buf, size_t len, size_t piece)
{
	struct output_stream *s = output_stream_open(path);
	assert_non_null(s);
	for (size_t at = 0; at < len; at += piece)
		assert_int_equal(output_stream_write(s, buf + at, len - at < piece ? len - at : piece), 0);
	int changed = -1;
	assert_int_equal(output_stream_close(s, &changed), 0);
	return changed;
}

static void assert_file(const char *buf, size_t len)
{
	size_t got;
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *have = xmalloc(len + 2);
	got = fread(have, 1, len + 1, f);
	fclose(f);
	assert_int_equal(got, len);
	assert_memory_equal(have, buf, len);
	free(have);
	assert_int_equal(access(staged, F_OK), -1);
}

/* path holds buf (BIG bytes), whatever is staged beside it */
static void assert_file_is(const char *buf)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *have = xmalloc(BIG + 2);
	assert_int_equal(fread(have, 1, BIG + 1, f), BIG);
	fclose(f);
	assert_memory_equal(have, buf, BIG);
	free(have);
}

static void new_file_is_written(void **state)
{
	(void)state;
	char *want = content(BIG, 1);
	unlink(path);
	assert_int_equal(stream(want, BIG, 65536), 1);
	assert_file(want, BIG);
	free(want);
}

static void same_content_leaves_the_file_alone(void **state)
{
	(void)state;
	char *want = content(BIG, 2);
	put_file(want, BIG);
	struct stat before, after;
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(stream(want, BIG, 65536), 0);
	assert_int_equal(stream(want, BIG, 1000), 0);	/* pieces of any size */
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);	/* not replaced */
	assert_file(want, BIG);
	free(want);
}

/* The old file differs: one byte in a later piece, longer, shorter, empty. */
static void any_difference_rewrites(void **state)
{
	(void)state;
	char *want = content(BIG, 3);
	char *old = content(BIG + 100, 3);
	size_t positions[] = {0, 65535, 65536, 200000, BIG - 1};
	for (size_t i = 0; i < COUNT(positions); i++) {
		memcpy(old, want, BIG);
		old[positions[i]] ^= 1;
		put_file(old, BIG);
		assert_int_equal(stream(want, BIG, 65536), 1);
		assert_file(want, BIG);
	}
	memcpy(old, want, BIG);
	put_file(old, BIG + 100);	/* the new content is a prefix of the old */
	assert_int_equal(stream(want, BIG, 65536), 1);
	assert_file(want, BIG);
	put_file(want, BIG - 5);	/* the old content is a prefix of the new */
	assert_int_equal(stream(want, BIG, 65536), 1);
	assert_file(want, BIG);
	put_file("", 0);
	assert_int_equal(stream(want, BIG, 65536), 1);
	assert_file(want, BIG);
	free(want);
	free(old);
}

static void abort_keeps_the_old_file(void **state)
{
	(void)state;
	char *old = content(BIG, 4);
	char *other = content(BIG, 5);
	put_file(old, BIG);
	struct output_stream *s = output_stream_open(path);
	assert_int_equal(output_stream_write(s, other, 70000), 0);	/* differs: staged */
	output_stream_abort(s);
	assert_file(old, BIG);
	free(old);
	free(other);
}

/* A file finished but not committed is not in place yet: the old one stays
 * until commit, and abort after finish drops the staged file. */
static void finish_waits_for_commit(void **state)
{
	(void)state;
	char *old = content(BIG, 6);
	char *want = content(BIG, 7);
	put_file(old, BIG);
	struct output_stream *s = output_stream_open(path);
	assert_int_equal(output_stream_write(s, want, BIG), 0);
	assert_int_equal(output_stream_finish(s), 0);
	assert_int_equal(access(staged, F_OK), 0);
	output_stream_abort(s);
	assert_file(old, BIG);

	s = output_stream_open(path);
	assert_int_equal(output_stream_write(s, want, BIG), 0);
	assert_int_equal(output_stream_finish(s), 0);
	assert_file_is(old);
	int changed = -1;
	assert_int_equal(output_stream_commit(s, &changed), 0);
	assert_int_equal(changed, 1);
	assert_file(want, BIG);

	struct stat before, after;
	assert_int_equal(stat(path, &before), 0);
	s = output_stream_open(path);
	assert_int_equal(output_stream_write(s, want, BIG), 0);
	assert_int_equal(output_stream_finish(s), 0);
	assert_int_equal(output_stream_commit(s, &changed), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	free(old);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(new_file_is_written, setup, teardown),
		cmocka_unit_test_setup_teardown(same_content_leaves_the_file_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(any_difference_rewrites, setup, teardown),
		cmocka_unit_test_setup_teardown(abort_keeps_the_old_file, setup, teardown),
		cmocka_unit_test_setup_teardown(finish_waits_for_commit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
