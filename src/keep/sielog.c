/* sielog.c - the export log: reading, looking up, writing. */
#include "keep/sielog.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "keep/output.h"
#include "model/csvfile.h"

static const char *const columns[] = {"year", "series", "voucher", "date", "number", "part", "file"};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

const char *sie_part_name(enum sie_part part)
{
	return part == SIE_RELEASE ? "release" : "document";
}

int sie_part_parse(const char *name, enum sie_part *part)
{
	if (strcmp(name, "document") == 0)
		*part = SIE_DOCUMENT;
	else if (strcmp(name, "release") == 0)
		*part = SIE_RELEASE;
	else
		return -1;
	return 0;
}

char *sie_log_path(const char *journal_path)
{
	size_t n = strlen(journal_path);
	if (n > 4 && strcmp(journal_path + n - 4, ".csv") == 0)
		n -= 4;
	return xasprintf("%.*s-sie.csv", (int)n, journal_path);
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int sie_log_load(struct sie_log *log, const char *journal_path)
{
	memset(log, 0, sizeof *log);
	log->path = sie_log_path(journal_path);
	if (access(log->path, F_OK) != 0)
		return 0;
	log->exists = 1;
	struct csv_table t;
	if (csv_table_load(&t, log->path) < 0)
		return -1;
	int before = diag_errors();
	int col[NCOLUMNS];
	for (size_t c = 0; c < NCOLUMNS; c++) {
		col[c] = csv_table_column(&t, columns[c]);
		if (col[c] < 0)
			error_at(log->path, 1, "the export log has no '%s' column", columns[c]);
	}
	for (const struct csv_row *r; diag_errors() == before && (r = csv_next_row(&t));) {
		struct sie_logged row = {.line = r->line};
		long year, voucher;
		const char *f[NCOLUMNS];
		for (size_t c = 0; c < NCOLUMNS; c++)
			f[c] = csv_field(r, col[c]);
		if (parse_long(f[0], 1900, 9999, &year) < 0 || !*f[1] ||
		    parse_long(f[2], 1, 999999999, &voucher) < 0 || date_parse(f[3], &row.date) < 0 || !*f[4] ||
		    sie_part_parse(f[5], &row.part) < 0 || !*f[6]) {
			error_at(log->path, r->line,
				 "not a row of the export log (year,series,voucher,date,number,part,file): was it edited by hand? Put back the one export sie wrote");
			break;
		}
		row.year = (int)year;
		row.voucher = voucher;
		row.series = f[1];
		row.number = f[4];
		row.file = f[6];
		for (size_t i = 0; i < log->n; i++) {
			const struct sie_logged *o = &log->rows[i];
			if (o->year == row.year && strcmp(o->series, row.series) == 0 && o->voucher == row.voucher)
				error_at(log->path, r->line, "voucher %s %ld of %d is in the export log twice (first on line %d)",
					 row.series, row.voucher, row.year, o->line);
			else if (strcmp(o->number, row.number) == 0 && o->part == row.part)
				error_at(log->path, r->line, "%s (%s) is in the export log twice (first on line %d)",
					 row.number, f[5], o->line);
		}
		sie_log_add(log, &row);
	}
	csv_table_release(&t);
	return diag_errors() == before ? 0 : -1;
}

void sie_log_release(struct sie_log *log)
{
	free(log->path);
	free(log->rows);
	arena_release(&log->texts);
	memset(log, 0, sizeof *log);
}

const struct sie_logged *sie_log_find(const struct sie_log *log, const char *number, enum sie_part part)
{
	for (size_t i = 0; i < log->n; i++)
		if (log->rows[i].part == part && strcmp(log->rows[i].number, number) == 0)
			return &log->rows[i];
	return NULL;
}

long sie_log_last(const struct sie_log *log, int year, const char *series)
{
	long last = 0;
	for (size_t i = 0; i < log->n; i++)
		if (log->rows[i].year == year && strcmp(log->rows[i].series, series) == 0 &&
		    log->rows[i].voucher > last)
			last = log->rows[i].voucher;
	return last;
}

void sie_log_add(struct sie_log *log, const struct sie_logged *row)
{
	GROW(log->rows, log->cap, log->n + 1);
	struct sie_logged *to = &log->rows[log->n++];
	*to = *row;
	to->series = arena_strdup(&log->texts, row->series);
	to->number = arena_strdup(&log->texts, row->number);
	to->file = arena_strdup(&log->texts, row->file);
}

int sie_log_write(const struct sie_log *log)
{
	struct strbuf sb = {0};
	sb_adds(&sb, CSV_OUT_BOM);
	for (size_t c = 0; c < NCOLUMNS; c++)
		csv_append_cell(&sb, columns[c], 1, c == 0);
	sb_adds(&sb, "\n");
	for (size_t i = 0; i < log->n; i++) {
		const struct sie_logged *r = &log->rows[i];
		char y[16], v[32], d[DATE_BUFSZ];
		snprintf(y, sizeof y, "%d", r->year);
		snprintf(v, sizeof v, "%ld", r->voucher);
		csv_append_cell(&sb, y, 1, 1);
		csv_append_cell(&sb, r->series, 1, 0);	/* a slug */
		csv_append_cell(&sb, v, 1, 0);
		csv_append_cell(&sb, date_format(r->date, d), 1, 0);
		csv_append_cell(&sb, r->number, 1, 0);	/* read back as it was written: a prefix may begin with '-' */
		csv_append_cell(&sb, sie_part_name(r->part), 0, 0);
		csv_append_cell(&sb, r->file, 0, 0);
		sb_adds(&sb, "\n");
	}
	int rc = output_write(log->path, sb.buf, sb.len, NULL);
	sb_release(&sb);
	return rc;
}
