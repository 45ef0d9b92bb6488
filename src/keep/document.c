/* document.c - making an invoice document from the allocation. */
#include "keep/document.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/home.h"
#include "model/charge.h"
#include "model/format.h"

/* Every kind of document: one entry each. */
static const struct kind {
	const char *name;	/* the journal's and the record's word */
	const char *title;	/* on the page */
	const char *what;	/* in messages */
	const char *refers[2];	/* what it does to the one it refers to: on the page, in running text */
	int credit, amends;
} kinds[] = {
	[DOCUMENT_INVOICE] = {"faktura", "Faktura", "an invoice", {"Ersätter", "ersätter"}, 0, 0},
	[DOCUMENT_CREDIT_NOTE] = {"kreditfaktura", "Kreditfaktura", "a credit note", {"Krediterar", "krediterar"}, 1, 0},
	[DOCUMENT_STATEMENT] = {"avrakningsbesked", "Avräkningsbesked", "a settlement statement", {"Avser", "avser"}, 0, 0},
	[DOCUMENT_SUPPLEMENT] = {"tillaggsfaktura", "Tilläggsfaktura", "a supplementary invoice", {"Ändrar", "ändrar"}, 0, 1},
	[DOCUMENT_PARTIAL_CREDIT] = {"delkreditfaktura", "Kreditfaktura", "a credit note", {"Ändrar", "ändrar"}, 1, 1},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

int document_is_credit(enum document_kind kind)
{
	return kinds[kind].credit;
}

int document_amends(enum document_kind kind)
{
	return kinds[kind].amends;
}

const char *document_title(enum document_kind kind)
{
	return kinds[kind].title;
}

const char *document_what(enum document_kind kind)
{
	return kinds[kind].what;
}

const char *document_refers_verb(enum document_kind kind, int in_text)
{
	return kinds[kind].refers[in_text != 0];
}

const char *document_kind_name(enum document_kind kind)
{
	return kinds[kind].name;
}

int document_kind_parse(const char *name, enum document_kind *kind)
{
	for (size_t k = 0; k < NKINDS; k++)
		if (strcmp(name, kinds[k].name) == 0) {
			*kind = (enum document_kind)k;
			return 0;
		}
	return -1;
}

void document_init(struct document *doc)
{
	memset(doc, 0, sizeof *doc);
	doc->invoice_date = doc->due_date = doc->period_date = doc->refers_to_date = DATE_NONE;
	doc->period_start = doc->period_end = DATE_NONE;
}

const char *document_strdup(struct document *doc, const char *s)
{
	return s ? arena_strdup(&doc->texts, s) : NULL;
}

void document_add_line(struct document *doc, const char *text, const char *basis, money_t amount)
{
	doc->lines = xrealloc(doc->lines, (doc->nlines + 1) * sizeof *doc->lines);
	doc->lines[doc->nlines++] = (struct document_line){
		.text = document_strdup(doc, text),
		.basis = document_strdup(doc, basis),
		.amount = amount,
	};
}

static void copy_party(struct document *doc, struct party *to, const struct party *from)
{
	to->id = document_strdup(doc, from->id);
	to->name = document_strdup(doc, from->name);
	to->org_nr = document_strdup(doc, from->org_nr);
	to->vat_nr = document_strdup(doc, from->vat_nr);
	for (size_t i = 0; i < from->address.n; i++)
		text_list_add(&to->address, from->address.items[i]);
	to->reference = document_strdup(doc, from->reference);
	to->bankgiro = document_strdup(doc, from->bankgiro);
	to->email = document_strdup(doc, from->email);
	to->phone = document_strdup(doc, from->phone);
	to->peppol_id = document_strdup(doc, from->peppol_id);
}

/* The seller (the issuer) and the buyer (member m) of a new document. */
static void copy_parties(struct document *doc, const struct issuer *is, const struct member *m)
{
	const struct party seller = {
		.name = is->name, .org_nr = is->org_nr, .vat_nr = is->vat_nr, .address = is->address,
		.reference = is->reference, .bankgiro = is->bankgiro, .email = is->email, .phone = is->phone,
		.peppol_id = is->peppol_id,
	};
	const struct party buyer = {
		.id = m->id, .name = m->name, .org_nr = m->org_nr, .address = m->address,
		.reference = m->reference, .peppol_id = m->peppol_id,
	};
	copy_party(doc, &doc->seller, &seller);
	copy_party(doc, &doc->buyer, &buyer);
}

/* The VAT terms and the producer of a new document, from the configuration. */
static void copy_vat_and_producer(struct document *doc, const struct config *cfg)
{
	doc->vat_rate = cfg->vat_rate;
	doc->vat_note = document_strdup(doc, cfg->vat_note);
	doc->vat_category = document_strdup(doc, cfg->vat_category);
	char producer[64];
	snprintf(producer, sizeof producer, "samfakt %s with libharu", samfakt_version());
	doc->producer = document_strdup(doc, producer);
	doc->layout = DOCUMENT_LAYOUT;
	if (!cfg->einvoice.attach_pdf)
		doc->einvoice_pdf = document_strdup(doc, "no");
}

void document_from_invoice(struct document *doc, const struct model *model,
			   const struct invoice *inv, const struct invoice_line *lines,
			   const char *number, const char *ocr)
{
	const struct config *cfg = &model->cfg;
	const struct issuer *is = &cfg->issuer;
	const struct member *m = &model->members[inv->member];
	const struct period *p = &cfg->periods[inv->period];

	document_init(doc);
	doc->kind = inv->credit_note ? DOCUMENT_CREDIT_NOTE : DOCUMENT_INVOICE;
	doc->number = document_strdup(doc, number);
	doc->ocr = document_strdup(doc, ocr);
	doc->cooperation = document_strdup(doc, cfg->name);
	doc->year = cfg->year;
	doc->period = document_strdup(doc, p->name);
	doc->period_date = p->invoice_date;
	doc->period_text = document_strdup(doc, p->text);
	doc->period_start = p->start;
	doc->period_end = p->end;
	doc->invoice_date = p->invoice_date;
	doc->due_date = inv->credit_note ? p->invoice_date : inv->due_date;	/* nothing to pay */
	if (m->leaves != DATE_NONE) {	/* a member on its way out is told when it leaves */
		char d1[DATE_BUFSZ], d2[DATE_BUFSZ], note[64];
		if (m->notice != DATE_NONE)
			snprintf(note, sizeof note, "Uppsägning %s, utträde %s.", date_format(m->notice, d1),
				 date_format(m->leaves, d2));
		else
			snprintf(note, sizeof note, "Utträde %s.", date_format(m->leaves, d1));
		doc->note = document_strdup(doc, note);
	}

	copy_parties(doc, is, m);

	for (size_t i = 0; i < inv->nlines; i++) {
		char basis[FORMAT_BUFSZ];
		char *text = invoice_line_text(model, &lines[i]);
		document_add_line(doc, text, basis_swedish(&cfg->pools[lines[i].pool], &lines[i].basis,
							       lines[i].amount, basis),
				  lines[i].amount);
		free(text);
		doc->lines[i].pool = document_strdup(doc, cfg->pools[lines[i].pool].name);
		if (lines[i].basis.method == METHOD_SETTLEMENT)
			doc->lines[i].settles =
				document_strdup(doc, model->carries[lines[i].basis.joiner].statement);
	}
	copy_vat_and_producer(doc, cfg);
	doc->net = inv->net;
	doc->vat = inv->vat;
	doc->total = inv->total;
}

void document_settlement(struct document *doc, const struct model *model, size_t member,
			 const struct settlement_line *lines, size_t n, const char *number, const char *ocr,
			 date_t date, int statement)
{
	const struct config *cfg = &model->cfg;
	const struct issuer *is = &cfg->issuer;
	const struct member *m = &model->members[member];
	document_init(doc);
	money_t net = 0;
	for (size_t i = 0; i < n; i++)
		net += lines[i].amount;
	doc->kind = statement ? DOCUMENT_STATEMENT : net < 0 ? DOCUMENT_CREDIT_NOTE : DOCUMENT_INVOICE;
	doc->number = document_strdup(doc, number);
	doc->ocr = document_strdup(doc, ocr);
	doc->cooperation = document_strdup(doc, cfg->name);
	doc->year = cfg->year;
	doc->period = document_strdup(doc, SETTLEMENT_PERIOD);
	doc->period_date = date_from_ymd(cfg->year, 12, 31);
	char text[64];
	snprintf(text, sizeof text, "avräkning av %d enligt utfall", cfg->year);
	doc->period_text = document_strdup(doc, text);
	doc->period_start = date_from_ymd(cfg->year, 1, 1);
	doc->period_end = date_from_ymd(cfg->year, 12, 31);
	doc->invoice_date = date;
	/* a credit or a statement: nothing to pay */
	doc->due_date = net < 0 || statement ? date : date_add_days(date, cfg->terms_days);
	copy_parties(doc, is, m);
	char note[256];
	if (statement)
		snprintf(note, sizeof note, "Andel av årets faktiska kostnader mot fakturerat, enligt uppföljningen av %d. Regleras på er nästa faktura för %d.",
			 cfg->year, cfg->year + 1);
	else
		snprintf(note, sizeof note, "Andel av årets faktiska kostnader mot fakturerat, enligt uppföljningen av %d.",
			 cfg->year);
	doc->note = document_strdup(doc, note);
	for (size_t i = 0; i < n; i++) {
		const struct pool *pool = &cfg->pools[lines[i].pool];
		char line[FORMAT_BUFSZ], basis[FORMAT_BUFSZ], a[MONEY_BUFSZ], b[MONEY_BUFSZ];
		snprintf(line, sizeof line, "Avräkning %d: %s", cfg->year, pool->text);
		snprintf(basis, sizeof basis, "Andel av utfallet %s, fakturerat %s", money_format(lines[i].actual, a),
			 money_format(lines[i].billed, b));
		document_add_line(doc, line, basis, lines[i].amount);
		doc->lines[i].pool = document_strdup(doc, pool->name);
		if (statement) {	/* what the next year's invoice says of it */
			doc->lines[i].outcome = 1;
			doc->lines[i].actual = lines[i].actual;
			doc->lines[i].billed = lines[i].billed;
		}
	}
	copy_vat_and_producer(doc, cfg);
	doc->net = net;
	doc->vat = mul_div_round(net, cfg->vat_rate, 100);
	doc->total = doc->net + doc->vat;
}

void document_credit(struct document *note, const struct document *invoice, const char *number,
		     const char *ocr, date_t date, const char *reason)
{
	document_init(note);
	note->kind = DOCUMENT_CREDIT_NOTE;
	note->number = document_strdup(note, number);
	note->ocr = document_strdup(note, ocr);
	note->refers_to = document_strdup(note, invoice->number);
	note->refers_to_date = invoice->invoice_date;
	note->reason = document_strdup(note, reason);
	note->cooperation = document_strdup(note, invoice->cooperation);
	note->year = invoice->year;
	note->period = document_strdup(note, invoice->period);
	note->period_date = invoice->period_date;
	note->period_text = document_strdup(note, invoice->period_text);
	note->period_start = invoice->period_start;
	note->period_end = invoice->period_end;
	note->invoice_date = note->due_date = date;	/* nothing to pay: due at once */
	copy_party(note, &note->seller, &invoice->seller);
	copy_party(note, &note->buyer, &invoice->buyer);
	for (size_t i = 0; i < invoice->nlines; i++) {
		document_add_line(note, invoice->lines[i].text, invoice->lines[i].basis,
				  -invoice->lines[i].amount);
		note->lines[i].pool = document_strdup(note, invoice->lines[i].pool);
	}
	note->vat_rate = invoice->vat_rate;
	note->vat_note = document_strdup(note, invoice->vat_note);
	note->vat_category = document_strdup(note, invoice->vat_category);
	note->einvoice_pdf = document_strdup(note, invoice->einvoice_pdf);
	char producer[64];
	snprintf(producer, sizeof producer, "samfakt %s with libharu", samfakt_version());
	note->producer = document_strdup(note, producer);
	note->layout = DOCUMENT_LAYOUT;
	note->net = -invoice->net;
	note->vat = -invoice->vat;
	note->total = -invoice->total;
}

int document_has_einvoice_data(const struct document *doc)
{
	return doc->number && doc->seller.peppol_id && doc->buyer.peppol_id && doc->buyer.reference &&
	       doc->period_start != DATE_NONE && doc->period_end != DATE_NONE && doc->vat_category;
}

void document_release(struct document *doc)
{
	text_list_release(&doc->seller.address);
	text_list_release(&doc->buyer.address);
	free(doc->lines);
	arena_release(&doc->texts);
	memset(doc, 0, sizeof *doc);
}
