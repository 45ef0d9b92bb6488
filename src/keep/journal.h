/* journal.h - the invoice journal (fakturajournal.csv): the record of
 * every number issued, and the chain that keeps it honest.
 *
 * One row per issued document:
 *   number,type,refers_to,cooperation,year,period,period_date,member,
 *   org_nr,invoice_date,due_date,net,vat,total,ocr,record,hash
 * Numbers are the configured prefix and a running number from first_number
 * (four digits at least): never reused, never skipped. Rows of another
 * prefix (another series sharing the file) are kept as they are and only
 * take part in the chain and the OCR check.
 *
 * What makes a row a fact:
 *   record - the SHA-256 of the document's frozen record (record.h), kept
 *            in the journal's record folder as NUMBER.txt;
 *   hash   - the SHA-256 of the row before's hash and this row's cells, so
 *            an edited, removed or reordered row breaks the chain at the
 *            row that follows it;
 * and every record on disk must have its row, so a row cut from the end of
 * the journal, or a journal deleted, is found from the records left. Any
 * of these is an error naming file and line, for every command; samfakt
 * never starts a journal afresh over issued documents.
 *
 * Columns samfakt does not know (a note staff added) are kept, after its
 * own, and are not part of the chain. A journal from an older samfakt (no
 * hash column) is read as it is: its rows have no records until
 * journal_upgrade's caller makes them.
 *
 * The journal is only ever replaced whole and atomically, through a
 * symbolic link when it is one, and only by a run holding its lock
 * (output_lock_journal). */
#ifndef SAMFAKT_JOURNAL_H
#define SAMFAKT_JOURNAL_H

#include <stddef.h>

#include "base/date.h"
#include "base/file.h"
#include "base/hash.h"
#include "base/money.h"
#include "base/util.h"
#include "keep/document.h"

struct journal_row {		/* strings in the journal's arena; a year's rows are
				   held at once, so ordered to leave no holes */
	const char *number;
	const char *refers_to;	/* "" when none */
	const char *cooperation;	/* "" in an older journal */
	const char *period;
	const char *member;
	const char *org_nr;
	const char *ocr;
	const char **extra;	/* the unknown columns' cells */
	money_t net, vat, total;
	int year;
	date_t period_date;	/* the period's invoice date in the configuration */
	date_t invoice_date;
	date_t due_date;
	int line;		/* 0 for a row added by this run */
	unsigned char record[HASH_SIZE];	/* its record's fingerprint, when recorded */
	unsigned char recorded;	/* 0 in an older journal, until recorded */
	unsigned char type;	/* enum document_kind */
	unsigned char other_series;	/* numbered under another prefix */
	unsigned char credited;	/* an invoice a later credit note of the journal credits */
	unsigned char staged;	/* its record still under its staging name (a run killed
				   after its commit, seen by a run that repairs nothing) */
};

/* Does r stand for its period and member: an invoice not credited, or a
 * credit note of its own (buy-in credits beyond the invoice, refers to
 * nothing)? */
int journal_row_standing(const struct journal_row *r);

struct journal {
	char *path;		/* as configured, for messages */
	char *target;		/* the file written: path, or where its symlink points */
	char *records;		/* the record folder */
	char *prefix;
	long first_number;
	int exists;		/* the file was there */
	int legacy;		/* read from an older samfakt's journal: no chain */
	size_t nextra;
	char **extra_names;
	size_t n;		/* all rows */
	size_t n_series;	/* rows under this prefix */
	struct journal_row *rows;
	size_t cap;
	struct arena texts;	/* the rows' strings */
	const struct journal_row **by_key;	/* rows under this prefix, by year, period and member */
	size_t nkeys;
	size_t nkeyed;		/* rows by_key was made for; remade when n differs */
	const struct journal_row **by_number;	/* every row, by number */
	size_t nnumbered;	/* rows by_number was made for */
	/* rows [0, kept) are the first kept_bytes bytes of the file as read
	   (kept_id), chained up to kept_hash: a write copies those bytes and
	   formats only the rows after them, so that it costs what the new
	   rows do, not the years before; 0 when it must be written whole */
	size_t kept;
	long long kept_bytes;
	struct file_id kept_id;
	char kept_hash[HASH_HEXSZ];
};

/* Read the journal at path and check it against itself and its records.
 * A missing file is an empty journal, unless records are left in its
 * record folder. With repair, a run killed after it wrote the journal is
 * completed: records it staged for rows the journal holds are put in
 * place, and ones for rows it does not are removed (only under the lock).
 * Returns -1 after reporting every problem. */
int journal_load(struct journal *j, const char *path, const char *prefix, long first_number,
		 int repair);
void journal_release(struct journal *j);

/* The invoice number the k-th next document gets (k from 0). */
char *journal_number(const struct journal *j, size_t k);

/* Is any row of this series for period of year? */
int journal_has_period(const struct journal *j, int year, const char *period);
/* The invoice of member in period of year that stands: the last one
 * issued that no credit note credits; NULL when there is none. */
const struct journal_row *journal_find(struct journal *j, int year, const char *period,
				       const char *member);

/* The rows of this series for member in period of year, in journal order
 * (*n of them; valid until a row is added). */
const struct journal_row *const *journal_rows_of(struct journal *j, int year, const char *period,
						  const char *member, size_t *n);

/* What member was billed for period of year, all told: the sum of every
 * row of this series for them (invoices, credit notes, and the documents
 * that amend an invoice by a difference; *amended counts those, unless
 * amended is NULL). */
void journal_billed(struct journal *j, int year, const char *period, const char *member, money_t *net,
		    money_t *vat, money_t *total, size_t *amended);

/* The row of number (any series), or NULL. */
const struct journal_row *journal_find_number(struct journal *j, const char *number);

/* r's record fingerprint as text ("" when it has none), and set from text. */
char *journal_record_hex(const struct journal_row *r, char out[HASH_HEXSZ]);
void journal_set_record(struct journal_row *r, const char *hex);

/* Add a row (copies its strings; no extra cells). A credit note marks the
 * invoice it refers to as credited. */
void journal_add(struct journal *j, const struct journal_row *row);

/* Room for n rows more, exactly: a run that knows how many it adds (issue:
 * a period's invoices) holds no more than it needs, and never the rows
 * twice while they move. */
void journal_reserve(struct journal *j, size_t n);

/* A column of the journal that is not part of its chain (after samfakt's
 * own; staff's notes, and what samfakt adds that may change later, such
 * as when a document was handed over): row r's cell of column name, ""
 * when the column or the cell is not there; and setting one (the column
 * added when it is new). */
const char *journal_extra(const struct journal *j, const struct journal_row *r, const char *name);
void journal_set_extra(struct journal *j, size_t i, const char *name, const char *value);
/* Row i was changed in place: the next write formats it and the rows
 * after it anew. */
void journal_changed(struct journal *j, size_t i);
/* Every row is now the file id names, chained up to last_hash: what a
 * load or a write leaves kept. */
void journal_keep(struct journal *j, const struct file_id *id, const char last_hash[HASH_HEXSZ]);

/* The journal as CSV text, each row's hash made anew from the chain,
 * handed to out in pieces of about 64 KB: whole (from 0), or only the
 * rows after the kept ones (from j->kept, out having taken the kept bytes
 * as they are). The last row's hash in last. Returns 0, or -1 when out
 * failed. */
int journal_write(const struct journal *j, size_t from, write_fn out, void *ctx, char last[HASH_HEXSZ]);

/* What was issued in a year, as the reports show it: for each period and
 * member the total of its invoice and its number. cmd/issued.c (issued_view) makes it
 * from the journal; reports read it and compute nothing. */
#define ISSUED_NONE INT64_MIN
struct issued {
	size_t nperiods, nmembers;
	unsigned char *period_issued;	/* per period (config order) */
	money_t *total;			/* [period * nmembers + member]: the standing invoice's
					   total (as amended), or ISSUED_NONE */
	money_t *net;			/* the same cells: its net */
	const char **number;		/* the same cells: its number, or NULL */
	money_t *invoiced, *credited;	/* the same cells: all invoices, all credit notes
					   (credited is negative); their sum is what is due */
};
void issued_release(struct issued *is);

#endif
