/* run.h - what the commands that read the inputs share: the pipeline
 * config -> load -> validate -> allocate (run_prepare), opening what was
 * issued (open_issued), the names of the year's files, and the staging
 * and committing of issued documents. */
#ifndef SAMFAKT_RUN_H
#define SAMFAKT_RUN_H

#include <stddef.h>

#include "base/diag.h"
#include "base/hash.h"
#include "cmd/context.h"
#include "keep/document.h"
#include "keep/journal.h"

/* Run fn on a context made by run_prepare from opt, and release it. */
enum exit_status run_command(const struct run_options *opt, enum exit_status (*fn)(struct context *cx));
/* The configuration, the inputs, their validation and the allocation. */
enum exit_status run_prepare(struct context *cx);
void run_finish(struct context *cx);

/* What every command that may write does first: the locks, the journal
 * read and checked, what a killed run left completed or cleaned up, and
 * issued files put back from their records. whole_year: every record of
 * the year read and held against its row (build, export); else only
 * those whose PDF is missing, and the command checks the period it
 * writes in (issued_check_period): its cost does not grow with the
 * periods issued before. */
enum exit_status open_issued(struct context *cx, int whole_year);

/* OUTPUT/YEAR/a[/b], and a draft's path (malloc'd). */
char *year_path(const struct context *cx, const char *a, const char *b);
char *draft_name(const struct context *cx, size_t period, size_t member);
/* The period named on the command line, or -1 after a message. */
long named_period(const struct config *cfg, const char *name);
/* Say which periods wait for which counts (check and build). */
void note_waiting(const struct context *cx);
/* The billable invoices of a period, as indices into the allocation. */
size_t period_invoices(const struct context *cx, size_t period, size_t *items);

/* The invoice of a correction, dated the day it is issued, naming the
 * invoice it replaces (or none) and why. number NULL: a draft. */
void replacing_invoice(struct context *cx, struct document *doc, const struct invoice *inv,
		       const struct invoice_line *lines, const char *number, const char *ocr,
		       const char *replaced, date_t replaced_date);
/* The credit note of issued invoice r, numbered next (a draft: no number). */
int make_credit(struct context *cx, const struct journal_row *r, int draft, struct document *note);
/* correct --difference: the one document that brings what the member of
 * standing invoice r was billed for its period (every document of it,
 * from their records) to inv (NULL: nothing now). A line for each line
 * (by pool and text) whose amount changes, by how much; net, VAT and
 * total the differences of the sums; a supplementary invoice when it
 * adds, a partial credit note when it takes away, amending r, dated
 * today. number NULL: a draft. Returns 0, 1 when no amount changes (doc
 * made all the same), or -1 after a message. */
int make_difference(struct context *cx, const struct journal_row *r, const struct invoice *inv,
		    const struct invoice_line *lines, const char *number, const char *ocr, struct document *doc);

/* Is row r a standing credit note of buy-in credits, which samfakt cannot
 * correct? Says so at level. */
int uncorrectable(const struct journal *j, const struct journal_row *r, enum diag_level level);

/* Issuing: add doc's journal row (returns its index), stage its files,
 * then commit the journal with the rows from first on (the commit point)
 * and put their files in place, or drop what was staged. */
size_t add_row(struct context *cx, const struct document *doc);
/* Render doc, the document of journal row `row`, and stage its record,
 * PDF, e-invoice and envelope beside their final names; record_sha gets
 * the record's fingerprint. 0; -2 after a message when its e-invoice is
 * larger than [einvoice] max_size_kb; -1 after one when it cannot be
 * written. */
int stage_document(const struct context *cx, const struct journal_row *row, const struct document *doc,
		   char record_sha[HASH_HEXSZ]);
enum exit_status stage_row(struct context *cx, size_t i, const struct document *doc);
enum exit_status commit_documents(struct context *cx, size_t first, enum exit_status st);
/* The summary line of what rows from first on made ("credit: made
 * output/…/kreditfaktura-….pdf (to send: …)"): each file when few, their
 * folder when many, so that a person knows what to send. */
void summary_made(struct context *cx, size_t first, const char *what);

#endif
