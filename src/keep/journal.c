/* journal.c - reading, checking and writing the invoice journal. */
#include "keep/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/ident.h"
#include "base/util.h"
#include "keep/output.h"
#include "keep/record.h"
#include "model/csvfile.h"

enum column {
	COL_NUMBER, COL_TYPE, COL_REFERS_TO, COL_COOPERATION, COL_YEAR, COL_PERIOD,
	COL_PERIOD_DATE, COL_MEMBER, COL_ORG_NR, COL_INVOICE_DATE, COL_DUE_DATE,
	COL_NET, COL_VAT, COL_TOTAL, COL_OCR, COL_RECORD, COL_HASH, NCOLUMNS
};

static const struct {
	const char *name;
	int old;		/* in an older samfakt's journal too */
	int may_be_empty;
} columns[NCOLUMNS] = {
	[COL_NUMBER] = {"number", 1, 0},
	[COL_TYPE] = {"type", 0, 0},
	[COL_REFERS_TO] = {"refers_to", 0, 1},
	[COL_COOPERATION] = {"cooperation", 0, 1},	/* empty: an older samfakt's row */
	[COL_YEAR] = {"year", 0, 0},
	[COL_PERIOD] = {"period", 1, 0},
	[COL_PERIOD_DATE] = {"period_date", 0, 0},
	[COL_MEMBER] = {"member", 1, 0},
	[COL_ORG_NR] = {"org_nr", 1, 0},
	[COL_INVOICE_DATE] = {"invoice_date", 1, 0},
	[COL_DUE_DATE] = {"due_date", 1, 0},
	[COL_NET] = {"net", 1, 0},
	[COL_VAT] = {"vat", 1, 0},
	[COL_TOTAL] = {"total", 1, 0},
	[COL_OCR] = {"ocr", 1, 0},
	[COL_RECORD] = {"record", 0, 1},	/* empty: not recorded yet */
	[COL_HASH] = {"hash", 0, 0},
};

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

/* A row's own cells, as written (all but the hash): what its hash covers. */
static void row_cells(struct strbuf *sb, const struct journal_row *r)
{
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ], d3[DATE_BUFSZ], year[16];
	char net[MONEY_BUFSZ], vat[MONEY_BUFSZ], tot[MONEY_BUFSZ];
	snprintf(year, sizeof year, "%d", r->year);
	csv_append_cell(sb, r->number, 0, 1);
	csv_append_cell(sb, document_kind_name(r->type), 0, 0);
	csv_append_cell(sb, r->refers_to, 0, 0);
	csv_append_cell(sb, r->cooperation, 0, 0);
	csv_append_cell(sb, year, 1, 0);
	csv_append_cell(sb, r->period, 0, 0);
	csv_append_cell(sb, date_format(r->period_date, d3), 1, 0);
	csv_append_cell(sb, r->member, 0, 0);
	csv_append_cell(sb, r->org_nr, 1, 0);
	csv_append_cell(sb, date_format(r->invoice_date, d1), 1, 0);
	csv_append_cell(sb, date_format(r->due_date, d2), 1, 0);
	csv_append_cell(sb, money_format_csv(r->net, net), 1, 0);
	csv_append_cell(sb, money_format_csv(r->vat, vat), 1, 0);
	csv_append_cell(sb, money_format_csv(r->total, tot), 1, 0);
	csv_append_cell(sb, r->ocr, 1, 0);
	char rec[HASH_HEXSZ];
	csv_append_cell(sb, journal_record_hex(r, rec), 1, 0);
}

/* The hash of row r after the row whose hash is prev ("" for the first). */
/* (sb: a buffer the caller keeps from row to row: a journal has thousands) */
static char *chain_hash(const char *prev, const struct journal_row *r, char out[HASH_HEXSZ], struct strbuf *sb)
{
	sb->len = 0;
	sb_adds(sb, prev);
	sb_adds(sb, "\n");
	row_cells(sb, r);
	hash_bytes(sb->buf, sb->len, out);
	return out;
}

struct load_state {
	const struct csv_table *t;
	const struct csv_row *r;
	int col[NCOLUMNS];
	int *extra_col;
	char prev_hash[HASH_HEXSZ];
	struct strbuf scratch;	/* for chain_hash */
};

static int damaged(const struct load_state *ls, const char *what, const char *number)
{
	error_at(ls->t->path, ls->r->line, "journal is damaged: %s in row '%s'", what, number);
	return -1;
}

/* Parse row ls->r into out (its strings the CSV row's, until the next is
 * read: journal_add copies them) and check it against the rows before it. */
static int parse_row(struct journal *j, struct load_state *ls, struct journal_row *out,
		     const char **extra)
{
	const char *f[NCOLUMNS];
	for (size_t c = 0; c < NCOLUMNS; c++) {
		f[c] = csv_field(ls->r, ls->col[c]);
		if (!*f[c] && !columns[c].may_be_empty && (columns[c].old || !j->legacy)) {
			error_at(ls->t->path, ls->r->line, "journal row has an empty '%s'", columns[c].name);
			return -1;
		}
	}
	const char *number = f[COL_NUMBER];
	memset(out, 0, sizeof *out);
	out->other_series = !in_series(j, number);
	char *expected = journal_number(j, 0);
	int wrong = !out->other_series && strcmp(number, expected) != 0;
	free(expected);
	if (wrong)
		return -2;	/* journal_load says why */
	char ocr[OCR_BUFSZ];
	if (ocr_make(number, ocr) < 0 || strcmp(ocr, f[COL_OCR]) != 0) {
		error_at(ls->t->path, ls->r->line, "journal is damaged: OCR '%s' does not belong to invoice '%s'",
			 f[COL_OCR], number);
		return -1;
	}
	if (date_parse(f[COL_INVOICE_DATE], &out->invoice_date) < 0 ||
	    date_parse(f[COL_DUE_DATE], &out->due_date) < 0 ||
	    money_parse(f[COL_NET], &out->net) != NUMBER_OK ||
	    money_parse(f[COL_VAT], &out->vat) != NUMBER_OK ||
	    money_parse(f[COL_TOTAL], &out->total) != NUMBER_OK)
		return damaged(ls, "malformed date or amount", number);
	out->number = number;
	out->period = f[COL_PERIOD];
	out->member = f[COL_MEMBER];
	out->org_nr = f[COL_ORG_NR];
	out->ocr = f[COL_OCR];
	out->line = ls->r->line;
	out->extra = extra;
	for (size_t k = 0; k < j->nextra; k++)
		extra[k] = csv_field(ls->r, ls->extra_col[k]);

	if (j->legacy) {	/* an older samfakt's row: what it did not say */
		out->type = DOCUMENT_INVOICE;
		out->refers_to = "";
		out->cooperation = "";
		int m, d;
		date_to_ymd(out->invoice_date, &out->year, &m, &d);
		out->period_date = out->invoice_date;
		return 0;
	}
	char *end;
	long year = strtol(f[COL_YEAR], &end, 10);
	enum document_kind type;
	if (*end || year < 1900 || year > 9999 || date_parse(f[COL_PERIOD_DATE], &out->period_date) < 0 ||
	    document_kind_parse(f[COL_TYPE], &type) < 0)
		return damaged(ls, "malformed type, year or period date", number);
	out->type = (unsigned char)type;
	out->year = (int)year;
	out->refers_to = f[COL_REFERS_TO];
	out->cooperation = f[COL_COOPERATION];
	if ((*f[COL_RECORD] && !hash_is_hex(f[COL_RECORD])) || !hash_is_hex(f[COL_HASH]))
		return damaged(ls, "malformed record or hash", number);
	journal_set_record(out, f[COL_RECORD]);
	char want[HASH_HEXSZ];
	if (strcmp(chain_hash(ls->prev_hash, out, want, &ls->scratch), f[COL_HASH]) != 0) {
		error_at(ls->t->path, ls->r->line,
			 "journal is damaged: row '%s' does not follow from the row before it (its hash); it was edited, or rows before it were removed, added or moved: restore the journal from a backup",
			 number);
		return -1;
	}
	memcpy(ls->prev_hash, want, HASH_HEXSZ);
	return 0;
}

/* The record of row r: in the folder's listing, or staged by a run killed
 * after it wrote the journal (then put in place when repairing). Its
 * content is checked against the row whenever it is read
 * (record_load_expect), so that a run reads each record once, and only
 * the ones it needs. */
static int check_record(const struct journal *j, struct journal_row *r, const struct listing *l, int repair)
{
	char name[256];
	snprintf(name, sizeof name, "%s.txt", r->number);
	if (listing_has(l, name))
		return 0;
	char *path = record_path(j->records, r->number);
	char *staged = output_staged_name(path);
	char have[HASH_HEXSZ], want[HASH_HEXSZ];
	int rc = 0;
	if (hash_file(staged, have) == 0 && strcmp(have, journal_record_hex(r, want)) == 0) {
		if (repair && output_commit(staged, path) < 0)
			rc = -1;
		r->staged = !repair;
	} else {
		error_at(path, 0, "the record of invoice %s is missing (%s:%d names it); restore the folder %s from a backup",
			 r->number, j->path, r->line, j->records);
		rc = -1;
	}
	free(staged);
	free(path);
	return rc;
}

/* Every record in the folder must have its row: one without is a row cut
 * from the journal. Staged records of rows the journal does not hold are
 * a run killed before its commit: removed when repairing. */
static int check_records_dir(struct journal *j, const struct listing *l, int repair)
{
	int rc = 0;
	size_t orphans = 0;
	const char *stage_suffix = ".txt.samfakt-tmp";
	for (size_t i = 0; i < l->n; i++) {
		const char *name = l->names[i];
		size_t len = strlen(name);
		int staged = name[0] == '.' && len > strlen(stage_suffix) + 1 &&
			     strcmp(name + len - strlen(stage_suffix), stage_suffix) == 0;
		if (!staged && (name[0] == '.' || len < 5 || strcmp(name + len - 4, ".txt") != 0))
			continue;
		char *number = staged ? xstrndup(name + 1, len - 1 - strlen(stage_suffix))
				      : xstrndup(name, len - 4);
		int has_row = journal_find_number(j, number) != NULL;
		if (!has_row && staged && repair) {
			char *p = xasprintf("%s/%s", j->records, name);
			unlink(p);
			free(p);
		} else if (!has_row && !staged) {
			if (!j->exists)
				orphans++;
			else if (orphans++ < 10)
				error_at(j->path, 0,
					 "the journal has no row for invoice %s, which was issued (its record is %s/%s): rows were removed from the journal or it was replaced by an older copy; restore it from a backup",
					 number, j->records, name);
			rc = -1;
		}
		free(number);
	}
	if (!j->exists && orphans)
		error_at(j->path, 0,
			 "the journal is missing, but %zu issued invoice%s recorded in %s: restore the journal from a backup, or point [files] journal at it if it was moved (samfakt never starts numbering again over issued invoices)",
			 orphans, orphans == 1 ? " is" : "s are", j->records);
	else if (orphans > 10)
		error_at(j->path, 0, "and %zu more issued invoices without a journal row", orphans - 10);
	return rc;
}

/* The file the journal really is: where a symbolic link points (it may
 * not be there yet: the link of a journal not yet started). */
static char *journal_target(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return xstrdup(path);
	char *real = realpath(path, NULL);
	if (real)
		return real;
	char link[PATH_MAX];
	ssize_t n = readlink(path, link, sizeof link - 1);
	if (errno != ENOENT || n <= 0) {
		error_at(path, 0, "the journal is a symbolic link that cannot be followed: %s", strerror(errno));
		return NULL;
	}
	link[n] = '\0';
	const char *slash = strrchr(path, '/');
	if (link[0] == '/' || !slash)
		return xstrdup(link);
	return xasprintf("%.*s/%s", (int)(slash - path), path, link);
}

static int compare_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* The row at ls->r holds number where the series' next number belongs:
 * say why. The rest of the journal is read for it: all numbers there in
 * another order (a journal sorted in a spreadsheet), the series begun at
 * another first_number, or a gap or a repeat. */
static void wrong_number(struct journal *j, struct load_state *ls, const char *row_number)
{
	char *expected = journal_number(j, 0);
	char *number = xstrdup(row_number);	/* the row's cells go with the next row read */
	int line = ls->r->line;
	size_t n = 0, cap = j->n_series + 16;
	long *seen = xmalloc(cap * sizeof *seen);
	size_t plen = strlen(j->prefix);
	for (size_t i = 0; i < j->n; i++)
		if (!j->rows[i].other_series)
			seen[n++] = atol(j->rows[i].number + plen);
	for (const struct csv_row *r = ls->r; r; r = csv_next_row((struct csv_table *)ls->t)) {
		const char *num = csv_field(r, ls->col[COL_NUMBER]);
		if (!in_series(j, num))
			continue;
		GROW(seen, cap, n + 1);
		seen[n++] = atol(num + plen);
	}
	qsort(seen, n, sizeof *seen, compare_long);
	int permuted = n > 1;
	for (size_t i = 0; i < n && permuted; i++)
		permuted = seen[i] == j->first_number + (long)i;
	if (permuted)
		error_at(ls->t->path, line,
			 "journal is damaged: its rows are out of order (sorted in a spreadsheet?): %s stands where %s belongs; the journal lists documents in the order they were issued: put its rows back in order of number, or restore it from the backup",
			 number, expected);
	else if (j->n_series == 0)
		/* the series' first row: it began at another first_number */
		error_at(ls->t->path, line,
			 "the series '%s' begins at %s in the journal, but [invoice] first_number now says %s: first_number cannot change once a series has begun (set it back, or start a new series with a new number_prefix)",
			 j->prefix, number, expected);
	else
		error_at(ls->t->path, line,
			 "journal is damaged: expected invoice number '%s', found '%s' (numbers must run without gaps or repeats)",
			 expected, number);
	free(seen);
	free(expected);
	free(number);
}

static void keep_rows(struct journal *j, const char *last_hash);

int journal_load(struct journal *j, const char *path, const char *prefix, long first_number,
		 int repair)
{
	memset(j, 0, sizeof *j);
	j->path = xstrdup(path);
	j->prefix = xstrdup(prefix ? prefix : "");
	j->first_number = first_number;
	j->target = journal_target(path);
	if (!j->target)
		return -1;
	j->records = record_dir(j->target);
	struct listing records;
	listing_read(&records, j->records);
	if (access(j->target, F_OK) < 0 && errno == ENOENT) {
		int rc = check_records_dir(j, &records, repair);
		listing_release(&records);
		return rc;
	}
	j->exists = 1;

	struct csv_table t;
	if (csv_table_load(&t, j->target) < 0) {
		listing_release(&records);
		return -1;
	}
	struct load_state ls = {.t = &t};
	int rc = 0;
	j->legacy = csv_table_column(&t, columns[COL_HASH].name) < 0;
	/* samfakt 1.0's journal had only the old columns: one with this
	 * samfakt's columns but no hash had its hash column removed */
	for (size_t c = 0; c < NCOLUMNS && j->legacy && rc == 0; c++) {
		if (!columns[c].old && c != COL_HASH && csv_table_column(&t, columns[c].name) >= 0) {
			error_at(path, 1,
				 "journal is damaged: missing column 'hash', though it has this samfakt's column '%s' (samfakt 1.0's journal had neither): restore it from the backup",
				 columns[c].name);
			rc = -1;
		}
	}
	for (size_t c = 0; c < NCOLUMNS; c++) {
		ls.col[c] = csv_table_column(&t, columns[c].name);
		if (ls.col[c] < 0 && (columns[c].old || !j->legacy)) {
			error_at(path, 1, "journal is damaged: missing column '%s'", columns[c].name);
			rc = -1;
		}
	}
	/* the columns staff added: kept as they are */
	ls.extra_col = xcalloc(t.ncols + 1, sizeof *ls.extra_col);
	j->extra_names = xcalloc(t.ncols + 1, sizeof *j->extra_names);
	for (size_t c = 0; c < t.ncols; c++) {
		int known = 0;
		for (size_t k = 0; k < NCOLUMNS && !known; k++)
			known = ls.col[k] == (int)c;
		if (!known) {
			ls.extra_col[j->nextra] = (int)c;
			j->extra_names[j->nextra++] = xstrdup(t.header[c]);
		}
	}
	j->cap = t.nrows;
	j->rows = xcalloc(j->cap + 1, sizeof *j->rows);
	const char **extra = xcalloc(j->nextra + 1, sizeof *extra);
	while (rc == 0 && (ls.r = csv_next_row(&t))) {
		struct journal_row row;
		int parsed = parse_row(j, &ls, &row, extra);
		if (parsed == -2)
			wrong_number(j, &ls, csv_field(ls.r, ls.col[COL_NUMBER]));
		if (parsed < 0)
			rc = -1;
		else
			journal_add(j, &row);
	}
	free(extra);
	free(ls.extra_col);
	sb_release(&ls.scratch);
	csv_table_release(&t);
	if (rc == 0 && !j->legacy)
		keep_rows(j, ls.prev_hash);
	for (size_t i = 0; rc == 0 && i < j->n; i++)
		if (j->rows[i].recorded && check_record(j, &j->rows[i], &records, repair) < 0)
			rc = -1;
	if (rc == 0 && check_records_dir(j, &records, repair) < 0)
		rc = -1;
	listing_release(&records);
	return rc;
}

void journal_release(struct journal *j)
{
	arena_release(&j->texts);
	free(j->rows);
	free(j->by_key);
	free(j->by_number);
	for (size_t k = 0; k < j->nextra; k++)
		free(j->extra_names[k]);
	free(j->extra_names);
	free(j->path);
	free(j->target);
	free(j->records);
	free(j->prefix);
	memset(j, 0, sizeof *j);
}

int journal_has_period(const struct journal *j, int year, const char *period)
{
	for (size_t i = 0; i < j->n; i++)
		if (!j->rows[i].other_series && j->rows[i].year == year &&
		    strcmp(j->rows[i].period, period) == 0)
			return 1;
	return 0;
}

static int key_compare(const struct journal_row *r, int year, const char *period, const char *member)
{
	if (r->year != year)
		return r->year < year ? -1 : 1;
	int c = strcmp(r->period, period);
	return c ? c : strcmp(r->member, member);
}

static int by_key(const void *x, const void *y)
{
	const struct journal_row *a = *(const struct journal_row *const *)x;
	const struct journal_row *b = *(const struct journal_row *const *)y;
	int c = key_compare(a, b->year, b->period, b->member);
	return c ? c : (a > b) - (a < b);	/* a repeated key: the first row */
}

/* The rows of year, period and member: a binary search over the rows by
 * key, the index remade after rows were added (a scan was a pass over the
 * whole journal for every invoice checked); rows of one key stand in
 * journal order. Returns the first's place in by_key, *end one past the
 * last. */
static size_t key_range(struct journal *j, int year, const char *period, const char *member, size_t *end)
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
		if (key_compare(j->by_key[mid], year, period, member) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*end = lo;
	while (*end < j->nkeys && key_compare(j->by_key[*end], year, period, member) == 0)
		(*end)++;
	return lo;
}

const struct journal_row *journal_find(struct journal *j, int year, const char *period,
				       const char *member)
{
	size_t end, lo = key_range(j, year, period, member, &end);
	const struct journal_row *standing = NULL;
	for (; lo < end; lo++)
		if (journal_row_standing(j->by_key[lo]))
			standing = j->by_key[lo];
	return standing;
}

const struct journal_row *const *journal_rows_of(struct journal *j, int year, const char *period,
						  const char *member, size_t *n)
{
	size_t end, lo = key_range(j, year, period, member, &end);
	*n = end - lo;
	return j->by_key + lo;
}

void journal_billed(struct journal *j, int year, const char *period, const char *member, money_t *net,
		    money_t *vat, money_t *total, size_t *amended)
{
	size_t n;
	const struct journal_row *const *rows = journal_rows_of(j, year, period, member, &n);
	*net = *vat = *total = 0;
	if (amended)
		*amended = 0;
	for (size_t k = 0; k < n; k++) {
		const struct journal_row *r = rows[k];
		*net += r->net;
		*vat += r->vat;
		*total += r->total;
		if (amended && document_amends(r->type))
			(*amended)++;
	}
}

int journal_row_standing(const struct journal_row *r)
{
	return !r->credited && (r->type == DOCUMENT_INVOICE || (r->type == DOCUMENT_CREDIT_NOTE && !*r->refers_to));
}

static int row_by_number(const void *x, const void *y)
{
	return strcmp((*(const struct journal_row *const *)x)->number,
		      (*(const struct journal_row *const *)y)->number);
}

const struct journal_row *journal_find_number(struct journal *j, const char *number)
{
	if (j->nnumbered != j->n || !j->by_number) {
		free(j->by_number);
		j->by_number = xmalloc((j->n + 1) * sizeof *j->by_number);
		for (size_t i = 0; i < j->n; i++)
			j->by_number[i] = &j->rows[i];
		qsort(j->by_number, j->n, sizeof *j->by_number, row_by_number);
		j->nnumbered = j->n;
	}
	struct journal_row key = {.number = number};
	const struct journal_row *kp = &key;
	const struct journal_row **found = bsearch(&kp, j->by_number, j->n, sizeof *j->by_number,
						   row_by_number);
	return found ? *found : NULL;
}

void journal_reserve(struct journal *j, size_t n)
{
	RESERVE(j->rows, j->cap, j->n + n);
}

char *journal_record_hex(const struct journal_row *r, char out[HASH_HEXSZ])
{
	if (!r->recorded) {
		out[0] = '\0';
		return out;
	}
	return hash_to_hex(r->record, out);
}

void journal_set_record(struct journal_row *r, const char *hex)
{
	r->recorded = hex[0] != '\0';
	if (r->recorded)
		hash_from_hex(hex, r->record);
}

/* text, copied into the arena, or the row before's copy when it is the
 * same (a period's rows share their cooperation, period and empty
 * refers_to: a year's rows hold a fifth less). */
static const char *same_text(struct journal *j, const char *before, const char *text)
{
	return before && strcmp(before, text) == 0 ? before : arena_strdup(&j->texts, text);
}

void journal_add(struct journal *j, const struct journal_row *row)
{
	GROW(j->rows, j->cap, j->n + 1);
	const struct journal_row *prev = j->n ? &j->rows[j->n - 1] : NULL;
	struct journal_row *r = &j->rows[j->n++];
	*r = *row;
	r->number = arena_strdup(&j->texts, row->number);
	r->refers_to = same_text(j, prev ? prev->refers_to : NULL, row->refers_to ? row->refers_to : "");
	r->cooperation = same_text(j, prev ? prev->cooperation : NULL, row->cooperation);
	r->period = same_text(j, prev ? prev->period : NULL, row->period);
	r->member = arena_strdup(&j->texts, row->member);
	r->org_nr = arena_strdup(&j->texts, row->org_nr);
	r->ocr = arena_strdup(&j->texts, row->ocr);
	r->extra = NULL;
	if (row->extra && j->nextra) {
		r->extra = arena_alloc(&j->texts, j->nextra * sizeof *r->extra);
		for (size_t k = 0; k < j->nextra; k++)
			r->extra[k] = arena_strdup(&j->texts, row->extra[k]);
	}
	if (!r->other_series)
		j->n_series++;
	if (r->type == DOCUMENT_CREDIT_NOTE && *r->refers_to) {
		const struct journal_row *target = journal_find_number(j, r->refers_to);
		if (target)
			j->rows[target - j->rows].credited = 1;
	}
}

static long extra_column(const struct journal *j, const char *name)
{
	for (size_t k = 0; k < j->nextra; k++)
		if (strcmp(j->extra_names[k], name) == 0)
			return (long)k;
	return -1;
}

const char *journal_extra(const struct journal *j, const struct journal_row *r, const char *name)
{
	long k = extra_column(j, name);
	return k >= 0 && r->extra ? r->extra[k] : "";
}

void journal_set_extra(struct journal *j, size_t i, const char *name, const char *value)
{
	long k = extra_column(j, name);
	if (k < 0) {	/* a column more: every row's cells one longer */
		j->extra_names = xrealloc(j->extra_names, (j->nextra + 1) * sizeof *j->extra_names);
		j->extra_names[j->nextra] = xstrdup(name);
		for (size_t r = 0; r < j->n; r++) {
			const char **cells = arena_alloc(&j->texts, (j->nextra + 1) * sizeof *cells);
			for (size_t c = 0; c < j->nextra; c++)
				cells[c] = j->rows[r].extra ? j->rows[r].extra[c] : "";
			cells[j->nextra] = "";
			j->rows[r].extra = cells;
		}
		k = (long)j->nextra++;
		j->kept = 0;	/* the header changes */
	}
	journal_changed(j, i);
	struct journal_row *r = &j->rows[i];
	if (!r->extra) {
		r->extra = arena_alloc(&j->texts, j->nextra * sizeof *r->extra);
		for (size_t c = 0; c < j->nextra; c++)
			r->extra[c] = "";
	}
	r->extra[k] = arena_strdup(&j->texts, value);
}

/* The header line as journal_write writes it. */
static void journal_header(const struct journal *j, struct strbuf *sb)
{
	sb_adds(sb, CSV_OUT_BOM);
	for (size_t c = 0; c < NCOLUMNS; c++)
		csv_append_cell(sb, columns[c].name, 0, c == 0);
	for (size_t k = 0; k < j->nextra; k++)
		csv_append_cell(sb, j->extra_names[k], 0, 0);
	sb_adds(sb, "\n");
}

int journal_write(const struct journal *j, size_t from, write_fn out, void *ctx, char last[HASH_HEXSZ])
{
	if (from && from != j->kept)
		BUG("journal written from row %zu, but %zu are kept", from, j->kept);
	struct strbuf sb = {0}, scratch = {0};
	char hash[HASH_HEXSZ] = "";
	if (from)
		memcpy(hash, j->kept_hash, HASH_HEXSZ);
	else
		journal_header(j, &sb);
	for (size_t i = from; i < j->n; i++) {
		const struct journal_row *r = &j->rows[i];
		chain_hash(hash, r, hash, &scratch);
		row_cells(&sb, r);
		csv_append_cell(&sb, hash, 1, 0);
		for (size_t k = 0; k < j->nextra; k++)
			csv_append_cell(&sb, r->extra ? r->extra[k] : "", 0, 0);
		sb_adds(&sb, "\n");
		if (sb.len >= 65536) {
			if (out(ctx, sb.buf, sb.len) < 0) {
				sb_release(&sb);
				sb_release(&scratch);
				return -1;
			}
			sb.len = 0;
		}
	}
	int rc = sb.len ? out(ctx, sb.buf, sb.len) : 0;
	sb_release(&sb);
	sb_release(&scratch);
	memcpy(last, hash, HASH_HEXSZ);
	return rc;
}

/* After a load: may the rows read be kept as the file's bytes? Only when
 * the file begins with the header this samfakt writes (the same columns
 * in the same order, so that rows added after them line up) and ends
 * with a whole line. */
static void keep_rows(struct journal *j, const char *last_hash)
{
	struct strbuf head = {0};
	journal_header(j, &head);
	int fd = open(j->target, O_RDONLY);
	char *buf = xmalloc(head.len + 1);
	char end = 0;
	struct file_id id;
	if (fd >= 0 && file_id_of_fd(fd, &id) == 0 && id.size > (long long)head.len &&
	    pread(fd, buf, head.len, 0) == (ssize_t)head.len && memcmp(buf, head.buf, head.len) == 0 &&
	    pread(fd, &end, 1, (off_t)(id.size - 1)) == 1 && end == '\n')
		journal_keep(j, &id, last_hash);
	if (fd >= 0)
		close(fd);
	free(buf);
	sb_release(&head);
}

void journal_keep(struct journal *j, const struct file_id *id, const char last_hash[HASH_HEXSZ])
{
	j->kept = j->n;
	j->kept_bytes = id->size;
	j->kept_id = *id;
	memcpy(j->kept_hash, last_hash, HASH_HEXSZ);
}

void journal_changed(struct journal *j, size_t i)
{
	if (i < j->kept)
		j->kept = 0;
}

void issued_release(struct issued *is)
{
	free(is->period_issued);
	free(is->total);
	free(is->net);
	free(is->number);
	free(is->invoiced);
	free(is->credited);
	memset(is, 0, sizeof *is);
}
