/* fuzz_journal.c - libFuzzer harness for the files samfakt keeps beside
 * its outputs and reads back: the invoice journal (its chain, numbers,
 * columns, a journal of samfakt 1.0), the export log of export sie and
 * the number series beside the configuration. Any bytes are refused or
 * read whole; an export log or a number series read is written again and
 * reads back the same. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/util.h"
#include "keep/journal.h"
#include "keep/output.h"
#include "keep/series.h"
#include "keep/sielog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void put(const char *name, const uint8_t *data, size_t size)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (!f || fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag_set_verbosity(-2);
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/fuzz-journal-%d", (int)getpid());
		if (output_mkdirs(dir) < 0)
			abort();
	}
	put("fakturajournal.csv", data, size);
	char *jpath = xasprintf("%s/fakturajournal.csv", dir);
	struct journal j;
	if (journal_load(&j, jpath, "2016-", 1, 0) == 0 && j.n) {
		/* every row it holds is numbered in order */
		for (size_t i = 1; i < j.n; i++)
			if (!j.rows[i].other_series && !j.rows[i - 1].other_series &&
			    strcmp(j.rows[i].number, j.rows[i - 1].number) <= 0)
				__builtin_trap();
	}
	journal_release(&j);

	/* the same bytes as the export log: read, written, read again */
	put("fakturajournal-sie.csv", data, size);
	struct sie_log log, again;
	if (sie_log_load(&log, jpath) == 0 && log.exists) {
		if (sie_log_write(&log) < 0 || sie_log_load(&again, jpath) < 0 || again.n != log.n)
			__builtin_trap();
		for (size_t i = 0; i < log.n; i++)
			if (again.rows[i].voucher != log.rows[i].voucher ||
			    strcmp(again.rows[i].number, log.rows[i].number) != 0 ||
			    again.rows[i].date != log.rows[i].date || again.rows[i].part != log.rows[i].part)
				__builtin_trap();
		sie_log_release(&again);
	}
	sie_log_release(&log);

	/* and as the number series */
	put("nummerserier.csv", data, size);
	char *cpath = xasprintf("%s/samverkan.ini", dir);
	struct series s;
	if (series_load(&s, cpath) == 0)
		for (size_t i = 0; i < s.n; i++)
			if (s.rows[i].last < 0 || !s.rows[i].journal[0])
				__builtin_trap();
	series_release(&s);
	free(cpath);
	free(jpath);
	diag_reset();
	return 0;
}
