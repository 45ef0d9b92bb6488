/* journal.h - the invoice journal (fakturajournal.csv): the record of
 * every invoice number issued.
 *
 * One row per issued invoice:
 *   number,period,member,org_nr,invoice_date,due_date,net,vat,total,ocr
 * Numbers are the configured prefix and a running number from first_number
 * (four digits at least): never reused, never skipped. Rows of another
 * prefix (another year's series sharing the file) are kept as they are and
 * play no part. The journal is only
 * ever replaced whole and atomically, and samfakt refuses to go on when it
 * finds it damaged (a gap or a repeat in the numbers, a malformed row). */
#ifndef SAMFAKT_JOURNAL_H
#define SAMFAKT_JOURNAL_H

#include <stddef.h>

#include "date.h"
#include "money.h"
#include "util.h"

struct journal_row {		/* strings in the journal's arena */
	const char *number;
	const char *period;
	const char *member;
	const char *org_nr;
	date_t invoice_date;
	date_t due_date;
	money_t net, vat, total;
	const char *ocr;
	int line;
	int other_series;	/* numbered under another prefix */
};

struct journal {
	char *path;
	char *prefix;
	long first_number;
	size_t n;		/* all rows */
	size_t n_series;	/* rows under this prefix */
	struct journal_row *rows;
	size_t cap;
	struct arena texts;	/* the rows' strings */
	const struct journal_row **by_key;	/* rows under this prefix, by period and member */
	size_t nkeys;
	size_t nkeyed;		/* rows by_key was made for; remade when n differs */
};

/* Read the journal at path; a missing file is an empty journal. Returns -1
 * after reporting a damaged one. */
int journal_load(struct journal *j, const char *path, const char *prefix, long first_number);
void journal_release(struct journal *j);

/* The invoice number the k-th next invoice gets (k from 0). */
char *journal_number(const struct journal *j, size_t k);

/* Is any row of the journal for period? */
int journal_has_period(const struct journal *j, const char *period);
const struct journal_row *journal_find(struct journal *j, const char *period,
				       const char *member);

/* Add a row (copies its strings). */
void journal_add(struct journal *j, const struct journal_row *row);

/* The whole journal as CSV text, handed to out in pieces of about 64 KB.
 * Returns 0, or -1 when out failed. */
int journal_write(const struct journal *j, write_fn out, void *ctx);

#endif
