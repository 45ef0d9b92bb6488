/* journal.c - reading, checking and writing the invoice journal. */
#include "journal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvfile.h"
#include "diag.h"
#include "ident.h"
#include "util.h"

static const char *const columns[] = {
	"number", "period", "member", "org_nr", "invoice_date",
	"due_date", "net", "vat", "total", "ocr",
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

char *journal_number(const struct journal *j, size_t k)
{
	return xasprintf("%s%04ld", j->prefix, j->first_number + (long)(j->n_series + k));
}

/* Is number prefix followed by digits only? */
static int in_series(const struct journal *j, const char *number)
{
	size_t n = strlen(j->prefix);
	if (strncmp(number, j->prefix, n) != 0 || !number[n])
		return 0;
	for (const char *p = number + n; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

static int parse_row(struct journal *j, const struct csv_table *t, const struct csv_row *r,
		     const int *col, struct journal_row *out)
{
	const char *f[NCOLUMNS];
	for (size_t c = 0; c < NCOLUMNS; c++) {
		f[c] = csv_field(r, col[c]);
		if (!*f[c]) {
			error_at(t->path, r->line, "journal row has an empty '%s'", columns[c]);
			return -1;
		}
	}
	memset(out, 0, sizeof *out);
	out->other_series = !in_series(j, f[0]);
	char *expected = journal_number(j, 0);
	int wrong = !out->other_series && strcmp(f[0], expected) != 0;
	if (wrong)
		error_at(t->path, r->line,
			 "journal is damaged: expected invoice number '%s', found '%s' (numbers must run without gaps or repeats)",
			 expected, f[0]);
	free(expected);
	if (wrong)
		return -1;
	char ocr[OCR_BUFSZ];
	if (ocr_make(f[0], ocr) < 0 || strcmp(ocr, f[9]) != 0) {
		error_at(t->path, r->line, "journal is damaged: OCR '%s' does not belong to invoice '%s'",
			 f[9], f[0]);
		return -1;
	}
	if (date_parse(f[4], &out->invoice_date) < 0 || date_parse(f[5], &out->due_date) < 0 ||
	    money_parse(f[6], &out->net) != NUMBER_OK || money_parse(f[7], &out->vat) != NUMBER_OK ||
	    money_parse(f[8], &out->total) != NUMBER_OK) {
		error_at(t->path, r->line, "journal is damaged: malformed date or amount in row '%s'", f[0]);
		return -1;
	}
	/* the row's fields, until the next row is read: journal_add copies them */
	out->number = f[0];
	out->period = f[1];
	out->member = f[2];
	out->org_nr = f[3];
	out->ocr = f[9];
	out->line = r->line;
	return 0;
}

int journal_load(struct journal *j, const char *path, const char *prefix, long first_number)
{
	memset(j, 0, sizeof *j);
	j->path = xstrdup(path);
	j->prefix = xstrdup(prefix ? prefix : "");
	j->first_number = first_number;
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0;

	struct csv_table t;
	if (csv_table_load(&t, path) < 0)
		return -1;
	int col[NCOLUMNS];
	int rc = 0;
	for (size_t c = 0; c < NCOLUMNS; c++) {
		col[c] = csv_table_column(&t, columns[c]);
		if (col[c] < 0) {
			error_at(path, 1, "journal is damaged: missing column '%s'", columns[c]);
			rc = -1;
		}
	}
	j->cap = t.nrows;
	j->rows = xcalloc(j->cap + 1, sizeof *j->rows);
	for (const struct csv_row *r; rc == 0 && (r = csv_next_row(&t));) {
		struct journal_row row;
		if (parse_row(j, &t, r, col, &row) < 0)
			rc = -1;
		else
			journal_add(j, &row);
	}
	csv_table_release(&t);
	return rc;
}

void journal_release(struct journal *j)
{
	arena_release(&j->texts);
	free(j->rows);
	free(j->by_key);
	free(j->path);
	free(j->prefix);
	memset(j, 0, sizeof *j);
}

int journal_has_period(const struct journal *j, const char *period)
{
	for (size_t i = 0; i < j->n; i++)
		if (!j->rows[i].other_series && strcmp(j->rows[i].period, period) == 0)
			return 1;
	return 0;
}

static int key_compare(const struct journal_row *r, const char *period, const char *member)
{
	int c = strcmp(r->period, period);
	return c ? c : strcmp(r->member, member);
}

static int by_key(const void *x, const void *y)
{
	const struct journal_row *a = *(const struct journal_row *const *)x;
	const struct journal_row *b = *(const struct journal_row *const *)y;
	int c = key_compare(a, b->period, b->member);
	return c ? c : (a > b) - (a < b);	/* a repeated key: the first row */
}

/* A binary search over the rows by period and member, the index remade
 * after rows were added (a scan was a pass over the whole journal for
 * every invoice checked). */
const struct journal_row *journal_find(struct journal *j, const char *period, const char *member)
{
	if (j->nkeyed != j->n || !j->by_key) {
		free(j->by_key);
		j->by_key = xmalloc((j->n + 1) * sizeof *j->by_key);
		j->nkeys = 0;
		for (size_t i = 0; i < j->n; i++)
			if (!j->rows[i].other_series)
				j->by_key[j->nkeys++] = &j->rows[i];
		qsort(j->by_key, j->nkeys, sizeof *j->by_key, by_key);
		j->nkeyed = j->n;
	}
	size_t lo = 0, hi = j->nkeys;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key_compare(j->by_key[mid], period, member) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < j->nkeys && key_compare(j->by_key[lo], period, member) == 0)
		return j->by_key[lo];
	return NULL;
}

void journal_add(struct journal *j, const struct journal_row *row)
{
	GROW(j->rows, j->cap, j->n + 1);
	struct journal_row *r = &j->rows[j->n++];
	*r = *row;
	r->number = arena_strdup(&j->texts, row->number);
	r->period = arena_strdup(&j->texts, row->period);
	r->member = arena_strdup(&j->texts, row->member);
	r->org_nr = arena_strdup(&j->texts, row->org_nr);
	r->ocr = arena_strdup(&j->texts, row->ocr);
	if (!r->other_series)
		j->n_series++;
}

int journal_write(const struct journal *j, write_fn out, void *ctx)
{
	struct strbuf sb = {0};
	sb_adds(&sb, CSV_OUT_BOM);
	for (size_t c = 0; c < NCOLUMNS; c++)
		csv_append_cell(&sb, columns[c], 0, c == 0);
	sb_adds(&sb, "\n");
	for (size_t i = 0; i < j->n; i++) {
		const struct journal_row *r = &j->rows[i];
		char d1[DATE_BUFSZ], d2[DATE_BUFSZ], net[MONEY_BUFSZ], vat[MONEY_BUFSZ], tot[MONEY_BUFSZ];
		csv_append_cell(&sb, r->number, 0, 1);
		csv_append_cell(&sb, r->period, 0, 0);
		csv_append_cell(&sb, r->member, 0, 0);
		csv_append_cell(&sb, r->org_nr, 1, 0);
		csv_append_cell(&sb, date_format(r->invoice_date, d1), 1, 0);
		csv_append_cell(&sb, date_format(r->due_date, d2), 1, 0);
		csv_append_cell(&sb, money_format_csv(r->net, net), 1, 0);
		csv_append_cell(&sb, money_format_csv(r->vat, vat), 1, 0);
		csv_append_cell(&sb, money_format_csv(r->total, tot), 1, 0);
		csv_append_cell(&sb, r->ocr, 1, 0);
		sb_adds(&sb, "\n");
		if (sb.len >= 65536) {
			if (out(ctx, sb.buf, sb.len) < 0) {
				sb_release(&sb);
				return -1;
			}
			sb.len = 0;
		}
	}
	int rc = out(ctx, sb.buf, sb.len);
	sb_release(&sb);
	return rc;
}
