/* document.h - an invoice as one value: everything it says, nothing to
 * compute.
 *
 * A document is made once, from the allocation (a draft, or an invoice
 * being issued) or from its frozen record (record.h: an invoice already
 * issued), and every renderer (the PDF today) takes only this type: it
 * places and formats the fields, it never reads the model or computes an
 * amount. So a document issued in January is drawn in December exactly as
 * it was, whatever the configuration and inputs say by then.
 *
 * Strings live in the document's arena; document_release frees them all. */
#ifndef SAMFAKT_DOCUMENT_H
#define SAMFAKT_DOCUMENT_H

#include <stddef.h>

#include "base/date.h"
#include "base/money.h"
#include "base/util.h"
#include "model/allocate.h"
#include "model/model.h"

enum document_kind {
	DOCUMENT_INVOICE,	/* faktura */
	DOCUMENT_CREDIT_NOTE,	/* kreditfaktura */
	DOCUMENT_STATEMENT,	/* avräkningsbesked: a settlement netted on the next
				   year's first invoice (rule next_invoice); nothing
				   to pay, no e-invoice, booked by that invoice */
	DOCUMENT_SUPPLEMENT,	/* tilläggsfaktura: what an issued invoice is short of
				   (correct --difference); refers to it */
	DOCUMENT_PARTIAL_CREDIT,	/* kreditfaktura for part of an issued invoice
					   (correct --difference); refers to it */
};

/* Is a document of kind a credit (a credit note, whole or part)? */
int document_is_credit(enum document_kind kind);
/* Does it amend the invoice it refers to (correct --difference), rather
 * than credit or replace it? */
int document_amends(enum document_kind kind);

/* The journal's and the record's word for a kind ("faktura"), and back. */
const char *document_kind_name(enum document_kind kind);
int document_kind_parse(const char *name, enum document_kind *kind);
/* Its title on the page: "Faktura", "Kreditfaktura", "Avräkningsbesked". */
const char *document_title(enum document_kind kind);
/* What it is, in a message: "a credit note". */
const char *document_what(enum document_kind kind);
/* What it does to the document it refers to: "Ersätter" (an invoice
 * replacing one), "Krediterar", "Ändrar" (amending); in_text: "ersätter". */
const char *document_refers_verb(enum document_kind kind, int in_text);

struct party {
	const char *id;		/* buyer: the member id; seller: NULL */
	const char *name;
	const char *org_nr;
	const char *vat_nr;	/* optional */
	struct text_list address;
	const char *reference;	/* "Vår referens" / "Er referens", optional */
	const char *bankgiro;	/* seller only */
	const char *email;	/* seller only, optional */
	const char *phone;	/* seller only, optional */
	const char *peppol_id;	/* "0007:2120002742": where its e-invoices go */
};

struct document_line {
	const char *text;	/* "Grundbelopp 2016", a project's name */
	const char *basis;	/* why: "Lika delar: 1/13 av 921 700,00 kr" */
	money_t amount;
	const char *pool;	/* the cost pool it is a share of ("grundbelopp"): where
				   the ledger books it; NULL in a record from before */
	const char *settles;	/* a settlement of last year carried onto this invoice:
				   the statement's number (its money is that year's,
				   not this one's); NULL for every other line */
	int outcome;		/* a statement's line: what follows is said */
	money_t actual, billed;	/* the member's share of the outcome, what it was billed */
};

/* The layout of what is issued now (see struct document). */
#define DOCUMENT_LAYOUT 5

struct document {
	enum document_kind kind;
	const char *number;	/* NULL: a draft */
	const char *ocr;	/* NULL: a draft */
	const char *refers_to;	/* the number this one credits or replaces, or NULL */
	date_t refers_to_date;	/* that document's invoice date, or DATE_NONE */
	const char *reason;	/* why it was credited or replaced, or NULL */
	const char *note;	/* what else the buyer must know ("Uppsägning 2010-03-15,
				   utträde 2011-03-15."), or NULL */

	const char *cooperation;	/* the cooperation's name */
	int year;
	const char *period;	/* its name: "H1" */
	date_t period_date;	/* the period's invoice date in the configuration */
	const char *period_text;	/* "januari–juni 2016", optional */
	date_t period_start, period_end;	/* the service period's days */

	date_t invoice_date, due_date;
	struct party seller, buyer;

	size_t nlines;
	struct document_line *lines;

	int vat_rate;		/* per cent */
	const char *vat_note;	/* printed when vat_rate is 0, optional */
	const char *vat_category;	/* the e-invoice's: "S", "E" or "O" */
	money_t net, vat, total;

	int layout;		/* how it is drawn: 5 as 4, but its e-invoice is
				   written without indentation (a sixth smaller);
				   4 as 3, but VAT category O
				   states its reason in place of "Moms 0 %"; 3 as 2
				   in slim fonts, each
				   program compressed once a run (pdf.c); 2 keeps
				   every text in its column (invoice.c); 0 or 1: as
				   before samfakt 1.0.0 */
	const char *producer;	/* the samfakt that drew it, in its PDF: "samfakt 1.0.0
				   with libharu"; NULL: one from before versions
				   ("samfakt with libharu") */
	const char *einvoice_pdf;	/* "no": its e-invoice carries no PDF ([einvoice]
					   attach_pdf = no); NULL: it does */

	struct arena texts;
};


/* The document of inv (a billable invoice of the allocation) with its
 * lines (from period_lines_of). number and ocr are NULL for a draft. */
void document_from_invoice(struct document *doc, const struct model *model,
			   const struct invoice *inv, const struct invoice_line *lines,
			   const char *number, const char *ocr);

/* The credit note of invoice (an issued document, from its record): every
 * line and amount with the opposite sign, the same parties and VAT rate,
 * referring to it; number, ocr, date and reason its own. */
void document_credit(struct document *note, const struct document *invoice, const char *number,
		     const char *ocr, date_t date, const char *reason);

/* A line of a settlement: what a member's share of a pool's outcome is
 * (actual), what it was billed in the pool for the year (billed: invoices
 * less credit notes, earlier settlements included), and the difference. */
struct settlement_line {
	size_t pool;
	money_t actual, billed, amount;
};

/* The settlement document of member for the year: an invoice when its
 * lines add up to more than nothing, a credit note when to less, or with
 * statement a settlement statement (rule next_invoice: the next year's
 * first invoice carries it); filed under the period SETTLEMENT_PERIOD,
 * dated date, a line a pool. */
void document_settlement(struct document *doc, const struct model *model, size_t member,
			 const struct settlement_line *lines, size_t n, const char *number, const char *ocr,
			 date_t date, int statement);

/* Does doc say all a Peppol e-invoice needs (parties' Peppol ids, the
 * buyer's reference, the service period, the VAT category)? A document
 * issued by a samfakt before e-invoices does not. */
int document_has_einvoice_data(const struct document *doc);

/* An empty document whose strings go to its arena (record_parse fills it). */
void document_init(struct document *doc);
const char *document_strdup(struct document *doc, const char *s);
void document_add_line(struct document *doc, const char *text, const char *basis, money_t amount);
void document_release(struct document *doc);

#endif
