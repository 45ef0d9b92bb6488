/* issued.h - what has been issued, as a fact samfakt holds: the journal
 * checked against the configuration, its records and the files on disk,
 * issued PDFs put back from their records, and what today's inputs would
 * change. Shared by the commands (cmd/), whose state is struct context
 * (cmd/context.h). */
#ifndef SAMFAKT_ISSUED_H
#define SAMFAKT_ISSUED_H

#include <stddef.h>

#include "base/diag.h"
#include "cmd/context.h"
#include "keep/document.h"
#include "keep/journal.h"
#include "keep/record.h"
#include "model/allocate.h"
#include "model/model.h"
#include "model/outcome.h"

/* The files of one issued document: its PDF under the year it belongs to,
 * its Peppol e-invoice beside it (the same name, .xml), and its record
 * beside the journal. Named in one place, so that staging, committing,
 * restoring and cleaning up treat them as one set. */
/* An issued document's files: its PDF, its e-invoice, the e-invoice in
 * its Peppol envelope (what an access point takes: NAME.sbd.xml), its
 * record. */
enum issued_file { ISSUED_PDF, ISSUED_XML, ISSUED_SBD, ISSUED_RECORD };
char *issued_path(const struct context *cx, const struct journal_row *r, enum issued_file f);
/* The record of row r (or, after a run killed past its commit, its staged
 * copy), read once and checked against the row's fingerprint: 0, or -1
 * after a message. */
int issued_record(const struct context *cx, const struct journal_row *r, struct document *doc,
		  struct record_files *files);

/* An issued document's files as rendered: its PDF, its e-invoice (NULL
 * when it has none) and their fingerprints. */
struct rendered {
	char *pdf, *xml, *sbd;	/* sbd: the e-invoice's envelope (not recorded: made from it) */
	size_t pdf_len, xml_len, sbd_len;
	struct record_files sha;
};
/* Render doc, whose PDF is to be pdf_path: the PDF, and with einvoice the
 * e-invoice holding it. Returns 0 or -1 after a message. */
int issued_render(const struct document *doc, const char *pdf_path, int einvoice, struct rendered *out);
void rendered_release(struct rendered *r);

/* Does journal row r say what its record doc says (type, member, org.nr,
 * OCR, period, dates, amounts)? Names each field that differs; 1 or 0. */
int issued_row_agrees(const struct journal *j, const struct journal_row *r, const struct document *doc);

/* The journal's path, absolute (for the number series). malloc'd. */
char *issued_journal_abs(const struct context *cx);

/* Is r a document of this configuration's series and year? */
int issued_is_ours(const struct context *cx, const struct journal_row *r);

/* Take the journal's lock and read it (repair: complete a killed run),
 * then check it against the configuration: the journal is a file of its
 * own, the series is this cooperation's and this year's, an issued period
 * keeps its name, no OCR reference can be another series', and issued
 * PDFs are not left without a journal. Every problem is reported. */
enum exit_status issued_load(struct context *cx, int repair);

/* Every issued PDF, e-invoice and envelope of the year there, each
 * record read and held against its row: a missing file a warning, or
 * with restore made again from its record, byte for byte. No issued file
 * is read (verify compares every one). */
enum exit_status issued_check_files(struct context *cx, int restore);
/* Only the year's issued documents whose PDF is not there: made again
 * from their records. What a command that writes one period does for
 * the others: no record of them is read when nothing is missing. */
enum exit_status issued_check_missing(struct context *cx);
/* The issued files of period, which a command is about to write beside or
 * from, against their records: a changed one is an error (EXIT_INPUT,
 * nothing written); a missing one is put back. */
enum exit_status issued_check_period(struct context *cx, const char *period);

/* The last credit note of an invoice to member in period (the row), or NULL. */
const struct journal_row *issued_last_credit(const struct context *cx, size_t period, const char *member);

/* Report, at level, every way today's inputs disagree with what stands
 * issued for period. Returns how many. */
int issued_compare(struct context *cx, size_t period, enum diag_level level);

/* What 'correct' would do for an issued period: one entry a member whose
 * standing invoice (journal row `row`, or NO_ROW) today's inputs change,
 * or who they bill with none (`inv`, or NULL when they no longer bill the
 * member; `member` is -1 for one gone from members.csv). Returns how many
 * entries *out (malloc'd) holds. */
#define NO_ROW ((size_t)-1)
struct correction {
	long member;
	size_t row;
	const struct invoice *inv;
};
size_t issued_corrections(struct context *cx, size_t period, struct correction **out);

/* The document of inv, with number and ocr (NULL for a draft), rendered:
 * the PDF in *pdf (malloc'd) and its SHA-256 in sha (unless NULL), and
 * unless record is NULL its record appended to record. Returns 0 or -1. */
int issued_make_document(const struct context *cx, const struct period_lines *pl,
			 const struct invoice *inv, const char *number, const char *ocr,
			 const char *path, char **pdf, size_t *len, char *sha,
			 struct strbuf *record);

/* Put the journal in place through its streamed writer: the commit point. */
int issued_write_journal(struct journal *j);

/* Rows of this year without a record (a journal from an older samfakt):
 * how many; whether today's inputs still give them (-1 after saying which
 * period not); and making their records and chaining the journal. */
size_t issued_unrecorded(const struct context *cx);
int issued_unrecorded_can_be_made(struct context *cx);
enum exit_status issued_record_unrecorded(struct context *cx);

/* What stands issued this year, per period and member, for the reports
 * (issued_release frees it). */
void issued_view(struct context *cx, struct issued *is);

/* The settlement of the year's outcome o with each member billed: what
 * the journal says it was invoiced (net), against its share of o. */
void issued_settlement(struct context *cx, const struct outcome *o, struct settlement *s);

/* What each member was billed in each pool over the year, net, from the
 * records of every document of this series and year (settlements
 * included), added to by[member * npools + pool]. 0, or -1 after naming
 * a record that cannot say it. */
int issued_pool_totals(struct context *cx, money_t *by);

#endif
