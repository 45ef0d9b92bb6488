/* test_record.c - a frozen record gives back, field for field, the
 * document it was made from, and the same text again; a damaged record
 * is refused, never half read. */
#include "harness.h"

#include "base/diag.h"
#include "base/util.h"
#include "keep/record.h"

static const struct record_files files = {
	"935d7942ac2a1575eead0b1cb9610864d926f040e898ae85d410f80df9140c21",
	"0c2f9b2b71e5a2a7f0f1f3e83a7b8c3b5f3fba0a3df3b1b51e12f27dcf4a6d11",
};

/* A document with every kind of field, and text that must survive. */
static void sample(struct document *doc)
{
	document_init(doc);
	doc->kind = DOCUMENT_INVOICE;
	doc->number = document_strdup(doc, "2016-0003");
	doc->ocr = document_strdup(doc, "2016000305");
	doc->cooperation = document_strdup(doc, "Norrbottens e-nämnd");
	doc->year = 2016;
	doc->period = document_strdup(doc, "H1");
	date_parse("2016-01-01", &doc->period_date);
	doc->period_text = document_strdup(doc, "januari–juni\\2016\nrad två\tflik");
	date_parse("2016-01-02", &doc->invoice_date);
	date_parse("2016-02-01", &doc->due_date);
	doc->seller.name = document_strdup(doc, "Luleå kommun");
	doc->seller.org_nr = document_strdup(doc, "212000-2742");
	doc->seller.vat_nr = document_strdup(doc, "SE212000274201");
	text_list_add(&doc->seller.address, "Stadshuset");
	text_list_add(&doc->seller.address, "971 85 Luleå");
	doc->seller.bankgiro = document_strdup(doc, "5050-1055");
	doc->buyer.id = document_strdup(doc, "boden");
	doc->buyer.name = document_strdup(doc, "Bodens kommun");
	doc->buyer.org_nr = document_strdup(doc, "212000-2718");
	text_list_add(&doc->buyer.address, "line Box 1");
	doc->buyer.reference = document_strdup(doc, "IT-chef");
	doc->seller.peppol_id = document_strdup(doc, "0007:2120002742");
	doc->buyer.peppol_id = document_strdup(doc, "0088:7300010000001");
	date_parse("2016-01-01", &doc->period_start);
	date_parse("2016-06-30", &doc->period_end);
	doc->vat_rate = 25;
	doc->vat_category = document_strdup(doc, "S");
	document_add_line(doc, "Grundbelopp 2016", "Lika delar: 1/13 av 921 700,00 kr", 7090000);
	doc->lines[0].pool = document_strdup(doc, "grundbelopp");
	document_add_line(doc, "amount 5", "basis", -90000);
	doc->net = 7000000;
	doc->vat = 1750000;
	doc->total = 8750000;
}

static void round_trip(void **state)
{
	(void)state;
	struct document doc, back;
	struct strbuf a = {0}, b = {0};
	struct record_files sha;
	sample(&doc);
	record_format(&doc, &files, &a);
	assert_int_equal(record_parse(&back, &sha, "r.txt", a.buf, a.len), 0);
	assert_string_equal(sha.pdf, files.pdf);
	assert_string_equal(sha.xml, files.xml);
	assert_string_equal(back.buyer.peppol_id, "0088:7300010000001");
	assert_string_equal(back.vat_category, "S");
	assert_int_equal(back.period_end, doc.period_end);
	assert_true(document_has_einvoice_data(&back));
	assert_string_equal(back.period_text, doc.period_text);
	assert_string_equal(back.seller.address.items[1], "971 85 Luleå");
	assert_int_equal(back.buyer.address.n, 1);
	assert_string_equal(back.buyer.address.items[0], "line Box 1");
	assert_null(back.refers_to);
	assert_null(back.vat_note);
	assert_int_equal(back.nlines, 2);
	assert_string_equal(back.lines[1].text, "amount 5");
	assert_int_equal(back.lines[1].amount, -90000);
	assert_string_equal(back.lines[0].pool, "grundbelopp");
	assert_null(back.lines[1].pool);
	assert_int_equal(back.total, 8750000);
	assert_int_equal(back.due_date, doc.due_date);
	record_format(&back, &sha, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.buf, b.buf, a.len);
	sb_release(&a);
	sb_release(&b);
	document_release(&doc);
	document_release(&back);
}

/* Each damage to a good record, as (what is replaced, by what). */
static const struct {
	const char *from, *to;
} damage[] = {
	{"samfakt-record 2\n", "samfakt-record 3\n"},
	{"buyer.peppol_id 0088:7300010000001\n", ""},	/* an e-invoice without all it says */
	{"period_end 2016-06-30\n", ""},
	{"xml_sha256 ", "xml_sha256 0"},
	{"xml_sha256 ", "pdf_sha256 "},
	{"number 2016-0003\n", ""},			/* a required field */
	{"total 87500.00\n", "total 87500.01\n"},	/* does not add up */
	{"amount -900.00\n", "amount -800.00\n"},	/* nor this */
	{"year 2016\n", "year 2016\nyear 2017\n"},	/* repeated */
	{"kind faktura\n", "kind kvitto\n"},
	{"due_date 2016-02-01\n", "due_date 2016-02-30\n"},
	{"vat_rate 25\n", "vat_rate 25\ncolour red\n"},	/* unknown */
	{"basis basis\n", ""},				/* a line cut short */
	{"pool grundbelopp\n", "pool grundbelopp\npool x\n"},	/* a second pool */
	{"januari–juni\\\\2016", "januari–juni\\q2016"},	/* a stray escape */
	{"pdf_sha256 ", "pdf_sha256 x"},
	{"Luleå kommun", "Lule\xe5 kommun"},		/* not UTF-8 */
};

static void damaged_records_are_refused(void **state)
{
	(void)state;
	struct document doc, back;
	struct strbuf good = {0};
	struct record_files sha;
	sample(&doc);
	record_format(&doc, &files, &good);
	diag_set_verbosity(-2);
	for (size_t i = 0; i < COUNT(damage); i++) {
		char *at = strstr(good.buf, damage[i].from);
		assert_non_null(at);
		struct strbuf bad = {0};
		sb_add(&bad, good.buf, (size_t)(at - good.buf));
		sb_adds(&bad, damage[i].to);
		sb_adds(&bad, at + strlen(damage[i].from));
		diag_reset();
		if (record_parse(&back, &sha, "r.txt", bad.buf, bad.len) == 0)
			fail_msg("damage %zu was not found: %s", i, damage[i].to);
		assert_true(diag_errors() > 0);
		sb_release(&bad);
	}
	/* cut anywhere, the record is refused */
	for (size_t len = 0; len < good.len - 1; len += 7)
		assert_int_equal(record_parse(&back, &sha, "r.txt", good.buf, len), -1);
	sb_release(&good);
	document_release(&doc);
}

/* A credit note is the invoice with every amount negated, referring to it,
 * and reads back as one. */
static void credit_note(void **state)
{
	(void)state;
	struct document doc, note, back;
	struct strbuf a = {0};
	struct record_files sha;
	sample(&doc);
	date_t d;
	date_parse("2016-03-01", &d);
	document_credit(&note, &doc, "2016-0020", "2016002004", d, NULL);
	assert_int_equal(note.kind, DOCUMENT_CREDIT_NOTE);
	assert_string_equal(note.refers_to, "2016-0003");
	assert_int_equal(note.refers_to_date, doc.invoice_date);
	assert_null(note.reason);
	assert_int_equal(note.total, -doc.total);
	assert_int_equal(note.vat, -doc.vat);
	for (size_t i = 0; i < doc.nlines; i++)
		assert_int_equal(note.lines[i].amount, -doc.lines[i].amount);
	assert_string_equal(note.seller.address.items[1], doc.seller.address.items[1]);
	assert_string_equal(note.buyer.peppol_id, doc.buyer.peppol_id);
	assert_int_equal(note.period_start, doc.period_start);
	assert_true(document_has_einvoice_data(&note));
	record_format(&note, &files, &a);
	assert_int_equal(record_parse(&back, &sha, "r.txt", a.buf, a.len), 0);
	assert_int_equal(back.kind, DOCUMENT_CREDIT_NOTE);
	assert_int_equal(back.refers_to_date, doc.invoice_date);
	assert_int_equal(back.total, -doc.total);
	sb_release(&a);
	document_release(&doc);
	document_release(&note);
	document_release(&back);
}

/* A record an earlier samfakt wrote (version 1: before e-invoices) reads
 * as a document without an e-invoice. */
static void record_before_einvoices(void **state)
{
	(void)state;
	struct document doc, back;
	struct strbuf a = {0}, v1 = {0};
	struct record_files none = {{0}, {0}}, sha;
	sample(&doc);
	memcpy(none.pdf, files.pdf, sizeof none.pdf);
	record_format(&doc, &none, &a);
	/* version 1 had none of the e-invoice's fields */
	static const char *const v2_only[] = {"period_start ", "period_end ", "seller.peppol_id ",
					      "buyer.peppol_id ", "vat_category "};
	for (char *l = a.buf, *next; *l; l = next) {
		next = strchr(l, '\n') + 1;
		int keep = 1;
		for (size_t k = 0; k < COUNT(v2_only); k++)
			keep &= strncmp(l, v2_only[k], strlen(v2_only[k])) != 0;
		if (strncmp(l, "samfakt-record 2", 16) == 0)
			sb_adds(&v1, "samfakt-record 1\n");
		else if (keep)
			sb_add(&v1, l, (size_t)(next - l));
	}
	assert_int_equal(record_parse(&back, &sha, "r.txt", v1.buf, v1.len), 0);
	assert_string_equal(sha.pdf, files.pdf);
	assert_string_equal(sha.xml, "");
	assert_false(document_has_einvoice_data(&back));
	assert_int_equal(back.total, doc.total);
	sb_release(&a);
	sb_release(&v1);
	document_release(&doc);
	document_release(&back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(damaged_records_are_refused),
		cmocka_unit_test(credit_note),
		cmocka_unit_test(record_before_einvoices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
