/* ubl.c - the Peppol BIS Billing 3.0 e-invoice of a document, element by
 * element in the order the UBL 2.1 schema requires. */
#include "render/ubl.h"

#include <libxml/xmlwriter.h>
#include <nettle/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/ident.h"
#include "base/util.h"

#define NS_INVOICE "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
#define NS_CREDIT_NOTE "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
#define NS_CAC "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
#define NS_CBC "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
#define CUSTOMIZATION "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
#define PROFILE "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

struct ubl {
	xmlTextWriterPtr w;
	const struct document *doc;
	int sign;		/* 1; -1 for a credit note, whose UBL amounts are positive */
	int failed;
};

static void check(struct ubl *u, int rc)
{
	if (rc < 0)
		u->failed = 1;
}

static void start(struct ubl *u, const char *name)
{
	check(u, xmlTextWriterStartElement(u->w, BAD_CAST name));
}

static void end(struct ubl *u)
{
	check(u, xmlTextWriterEndElement(u->w));
}

static void attr(struct ubl *u, const char *name, const char *value)
{
	check(u, xmlTextWriterWriteAttribute(u->w, BAD_CAST name, BAD_CAST value));
}

/* <name>text</name>, or nothing when text is NULL. */
static void elem(struct ubl *u, const char *name, const char *text)
{
	if (!text)
		return;
	start(u, name);
	check(u, xmlTextWriterWriteString(u->w, BAD_CAST text));
	end(u);
}

static void elem_attr(struct ubl *u, const char *name, const char *aname, const char *avalue,
		      const char *text)
{
	start(u, name);
	attr(u, aname, avalue);
	check(u, xmlTextWriterWriteString(u->w, BAD_CAST text));
	end(u);
}

static void elem_date(struct ubl *u, const char *name, date_t d)
{
	char buf[DATE_BUFSZ];
	elem(u, name, date_format(d, buf));
}

/* An amount in kronor, as UBL writes it: "70900.00" with currencyID. */
static void amount(struct ubl *u, const char *name, money_t v)
{
	char buf[MONEY_BUFSZ];
	elem_attr(u, name, "currencyID", "SEK", money_format_csv(v, buf));
}

/* A Peppol id "0007:2120002742" as <name schemeID="0007">2120002742</name>. */
static void scheme_id(struct ubl *u, const char *name, const char *peppol_id)
{
	char scheme[5];
	snprintf(scheme, sizeof scheme, "%.4s", peppol_id);
	elem_attr(u, name, "schemeID", scheme, peppol_id + 5);
}

/* An org.nr "212000-2742" as the legal entity's ten digits, scheme 0007. */
static void company_id(struct ubl *u, const char *orgnr)
{
	char id[PEPPOL_ID_BUFSZ];
	peppol_id_of_orgnr(orgnr, id);
	scheme_id(u, "cbc:CompanyID", id);
}

/* The address lines: those before the postal line are the street, the
 * postal line ("971 85 Luleå") gives city and postcode. */
static void postal_address(struct ubl *u, const struct text_list *a)
{
	char zone[POSTCODE_BUFSZ];
	size_t n = a->n;
	const char *city = n ? postal_line_parse(a->items[n - 1], zone) : NULL;
	if (city)
		n--;
	start(u, "cac:PostalAddress");
	elem(u, "cbc:StreetName", n > 0 ? a->items[0] : NULL);
	elem(u, "cbc:AdditionalStreetName", n > 1 ? a->items[1] : NULL);
	elem(u, "cbc:CityName", city);
	elem(u, "cbc:PostalZone", city ? zone : NULL);
	if (n > 2) {
		struct strbuf rest = {0};
		for (size_t i = 2; i < n; i++)
			sb_addf(&rest, "%s%s", i > 2 ? ", " : "", a->items[i]);
		start(u, "cac:AddressLine");
		elem(u, "cbc:Line", rest.buf);
		end(u);
		sb_release(&rest);
	}
	start(u, "cac:Country");
	elem(u, "cbc:IdentificationCode", "SE");
	end(u);
	end(u);
}

/* VAT category O (outside the scope of VAT) states no VAT number. */
static int states_vat_number(const struct document *doc)
{
	return strcmp(doc->vat_category, "O") != 0;
}

static void party(struct ubl *u, const struct party *p, int seller)
{
	start(u, "cac:Party");
	scheme_id(u, "cbc:EndpointID", p->peppol_id);
	start(u, "cac:PartyName");
	elem(u, "cbc:Name", p->name);
	end(u);
	postal_address(u, &p->address);
	if (p->vat_nr && states_vat_number(u->doc)) {
		start(u, "cac:PartyTaxScheme");
		elem(u, "cbc:CompanyID", p->vat_nr);
		start(u, "cac:TaxScheme");
		elem(u, "cbc:ID", "VAT");
		end(u);
		end(u);
	}
	start(u, "cac:PartyLegalEntity");
	elem(u, "cbc:RegistrationName", p->name);
	company_id(u, p->org_nr);
	end(u);
	if (seller && (p->reference || p->phone || p->email)) {
		start(u, "cac:Contact");
		elem(u, "cbc:Name", p->reference);
		elem(u, "cbc:Telephone", p->phone);
		elem(u, "cbc:ElectronicMail", p->email);
		end(u);
	}
	end(u);
}

/* The VAT category of the document and its lines: S with the rate; E
 * with rate 0 and the reason; O with the reason and its code, no rate. */
static void tax_category(struct ubl *u, const char *element, int with_reason)
{
	const struct document *doc = u->doc;
	char rate[8];
	snprintf(rate, sizeof rate, "%d", doc->vat_rate);
	start(u, element);
	elem(u, "cbc:ID", doc->vat_category);
	if (strcmp(doc->vat_category, "O") != 0)
		elem(u, "cbc:Percent", rate);
	if (with_reason && strcmp(doc->vat_category, "S") != 0) {
		if (strcmp(doc->vat_category, "O") == 0)
			elem(u, "cbc:TaxExemptionReasonCode", "VATEX-EU-O");
		elem(u, "cbc:TaxExemptionReason", doc->vat_note);
	}
	start(u, "cac:TaxScheme");
	elem(u, "cbc:ID", "VAT");
	end(u);
	end(u);
}

static void line(struct ubl *u, size_t i)
{
	const struct document_line *l = &u->doc->lines[i];
	int credit = document_is_credit(u->doc->kind);
	money_t v = u->sign * l->amount;
	char id[24];
	snprintf(id, sizeof id, "%zu", i + 1);
	/* A price is never negative (BR-27): a negative line is -1 of it. */
	start(u, credit ? "cac:CreditNoteLine" : "cac:InvoiceLine");
	elem(u, "cbc:ID", id);
	elem_attr(u, credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity", "unitCode", "C62",
		  v < 0 ? "-1" : "1");
	amount(u, "cbc:LineExtensionAmount", v);
	start(u, "cac:Item");
	elem(u, "cbc:Description", l->basis && *l->basis ? l->basis : NULL);
	elem(u, "cbc:Name", l->text);
	tax_category(u, "cac:ClassifiedTaxCategory", 0);
	end(u);
	start(u, "cac:Price");
	amount(u, "cbc:PriceAmount", v < 0 ? -v : v);
	end(u);
	end(u);
}

/* The PDF in base64, in lines of 76 characters. (libxml2's own base64
 * writer ends its lines with CR LF.) Base64 needs no escaping. */
static void embed(struct ubl *u, const char *pdf, size_t len)
{
	size_t n = BASE64_ENCODE_RAW_LENGTH(len);
	char *b64 = xmalloc(n + n / 76 + 2);
	base64_encode_raw(b64, len, (const uint8_t *)pdf);
	struct strbuf sb = {0};
	for (size_t i = 0; i < n; i += 76) {
		sb_add(&sb, b64 + i, n - i < 76 ? n - i : 76);
		if (i + 76 < n)
			sb_adds(&sb, "\n");
	}
	check(u, xmlTextWriterWriteRaw(u->w, BAD_CAST (sb.buf ? sb.buf : "")));
	sb_release(&sb);
	free(b64);
}

/* The free text: what the document is for, and for a credit note or a
 * replacing invoice which one it refers to and why. */
static void free_text(struct ubl *u)
{
	const struct document *doc = u->doc;
	struct strbuf sb = {0};
	char d[DATE_BUFSZ];
	sb_addf(&sb, "%s, %s", doc->cooperation, doc->period_text ? doc->period_text : doc->period);
	if (doc->refers_to) {
		sb_addf(&sb, ". %s faktura %s", document_refers_verb(doc->kind, 0), doc->refers_to);
		if (doc->refers_to_date != DATE_NONE)
			sb_addf(&sb, " av %s", date_format(doc->refers_to_date, d));
	}
	if (doc->reason)
		sb_addf(&sb, ". Orsak: %s", doc->reason);
	if (doc->note)
		sb_addf(&sb, ". %s", doc->note);
	elem(u, "cbc:Note", sb.buf);
	sb_release(&sb);
}

/* One piece: the elements in the order the UBL schema requires them (the
 * validator refuses any other), so the function reads as the document. */
static void write_document(struct ubl *u, const char *pdf_name, const char *pdf, size_t len)
{
	const struct document *doc = u->doc;
	int credit = document_is_credit(doc->kind);
	char d[DATE_BUFSZ];

	check(u, xmlTextWriterStartDocument(u->w, NULL, "UTF-8", NULL));
	start(u, credit ? "CreditNote" : "Invoice");
	attr(u, "xmlns", credit ? NS_CREDIT_NOTE : NS_INVOICE);
	attr(u, "xmlns:cac", NS_CAC);
	attr(u, "xmlns:cbc", NS_CBC);
	elem(u, "cbc:CustomizationID", CUSTOMIZATION);
	elem(u, "cbc:ProfileID", PROFILE);
	elem(u, "cbc:ID", doc->number);
	elem_date(u, "cbc:IssueDate", doc->invoice_date);
	if (!credit)
		elem_date(u, "cbc:DueDate", doc->due_date);
	elem(u, credit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode", credit ? "381" : "380");
	free_text(u);
	elem(u, "cbc:DocumentCurrencyCode", "SEK");
	elem(u, "cbc:BuyerReference", doc->buyer.reference);
	start(u, "cac:InvoicePeriod");
	elem_date(u, "cbc:StartDate", doc->period_start);
	elem_date(u, "cbc:EndDate", doc->period_end);
	end(u);
	if (doc->refers_to) {
		start(u, "cac:BillingReference");
		start(u, "cac:InvoiceDocumentReference");
		elem(u, "cbc:ID", doc->refers_to);
		if (doc->refers_to_date != DATE_NONE)
			elem(u, "cbc:IssueDate", date_format(doc->refers_to_date, d));
		end(u);
		end(u);
	}
	if (!doc->einvoice_pdf || strcmp(doc->einvoice_pdf, "no") != 0) {
		start(u, "cac:AdditionalDocumentReference");
		elem(u, "cbc:ID", doc->number);
		elem(u, "cbc:DocumentDescription", credit ? "Kreditfakturan som PDF" : "Fakturan som PDF");
		start(u, "cac:Attachment");
		start(u, "cbc:EmbeddedDocumentBinaryObject");
		attr(u, "mimeCode", "application/pdf");
		attr(u, "filename", pdf_name);
		embed(u, pdf, len);
		end(u);
		end(u);
		end(u);
	}

	start(u, "cac:AccountingSupplierParty");
	party(u, &doc->seller, 1);
	end(u);
	start(u, "cac:AccountingCustomerParty");
	party(u, &doc->buyer, 0);
	end(u);

	if (!credit) {
		char bankgiro[16];
		size_t n = 0;
		for (const char *p = doc->seller.bankgiro; *p && n + 1 < sizeof bankgiro; p++)
			if (*p >= '0' && *p <= '9')
				bankgiro[n++] = *p;
		bankgiro[n] = '\0';
		start(u, "cac:PaymentMeans");
		elem_attr(u, "cbc:PaymentMeansCode", "name", "Bankgiro", "30");
		elem(u, "cbc:PaymentID", doc->ocr);
		start(u, "cac:PayeeFinancialAccount");
		elem(u, "cbc:ID", bankgiro);
		elem(u, "cbc:Name", doc->seller.name);
		start(u, "cac:FinancialInstitutionBranch");
		elem(u, "cbc:ID", "SE:BANKGIRO");
		end(u);
		end(u);
		end(u);
		struct strbuf terms = {0};
		sb_addf(&terms, "Betalas senast %s till bankgiro %s. Ange OCR-nummer %s vid betalning.",
			date_format(doc->due_date, d), doc->seller.bankgiro, doc->ocr);
		start(u, "cac:PaymentTerms");
		elem(u, "cbc:Note", terms.buf);
		end(u);
		sb_release(&terms);
	}

	start(u, "cac:TaxTotal");
	amount(u, "cbc:TaxAmount", u->sign * doc->vat);
	start(u, "cac:TaxSubtotal");
	amount(u, "cbc:TaxableAmount", u->sign * doc->net);
	amount(u, "cbc:TaxAmount", u->sign * doc->vat);
	tax_category(u, "cac:TaxCategory", 1);
	end(u);
	end(u);

	start(u, "cac:LegalMonetaryTotal");
	amount(u, "cbc:LineExtensionAmount", u->sign * doc->net);
	amount(u, "cbc:TaxExclusiveAmount", u->sign * doc->net);
	amount(u, "cbc:TaxInclusiveAmount", u->sign * doc->total);
	amount(u, "cbc:PayableAmount", u->sign * doc->total);
	end(u);

	for (size_t i = 0; i < doc->nlines; i++)
		line(u, i);
	end(u);
	check(u, xmlTextWriterEndDocument(u->w));
}

int ubl_render(const struct document *doc, const char *pdf_name, const char *pdf, size_t len,
	       const char *what, char **out, size_t *out_len)
{
	if (!document_has_einvoice_data(doc))
		BUG("an e-invoice of a document without what it needs: %s", what);
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	if (!w) {
		xmlBufferFree(buf);
		error_at(what, 0, "cannot make the e-invoice: out of memory");
		return -1;
	}
	struct ubl u = {w, doc, document_is_credit(doc->kind) ? -1 : 1, 0};
	if (doc->layout < 5) {	/* indented for a reader; a machine does not need it */
		check(&u, xmlTextWriterSetIndent(w, 1));
		check(&u, xmlTextWriterSetIndentString(w, BAD_CAST "  "));
	}
	write_document(&u, pdf_name, pdf, len);
	xmlFreeTextWriter(w);	/* flushes into buf */
	if (u.failed) {
		xmlBufferFree(buf);
		error_at(what, 0, "cannot make the e-invoice");
		return -1;
	}
	*out_len = (size_t)xmlBufferLength(buf);
	*out = xmalloc(*out_len + 1);
	memcpy(*out, xmlBufferContent(buf), *out_len);
	(*out)[*out_len] = '\0';
	xmlBufferFree(buf);
	return 0;
}
