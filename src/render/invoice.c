/* invoice.c - layout of the invoice page. */
#include "render/invoice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "render/pdf.h"

#define LEFT 20.0
#define RIGHT 190.0
#define LABEL_X 118.0
#define VALUE_X 150.0
#define TABLE_BOTTOM 222.0	/* lines below this go on the next page */

struct page_state {
	struct pdf *pdf;
	const struct document *doc;
	const char *number;
	int draft;
	int page;
	double y;
	/* Layout 2 (documents issued from samfakt 1.0.0) keeps every text in
	 * its column: wrapped, or shortened with "…" where a column is one
	 * line; a multi-page document says "Sida N (M)" and names the buyer on
	 * every page. Layout 1 draws a document issued before exactly as it
	 * was issued. */
	int v2;
	int pages;		/* v2: the document's page count, once known (else 0) */
};

static double wrapped(struct pdf *pdf, enum pdf_font font, double size, double x, double y,
		      double width, const char *prefix, const char *text, int max_lines);

/* The distance of wrapped lines, mm: 4.2 up to 9 pt, more for larger text. */
static double leading(double size)
{
	return size > 9.4 ? size * 0.45 : 4.2;
}
static int wrap_lines(struct pdf *pdf, enum pdf_font font, double size, double width,
		      const char *text, int max_lines);

/* Text on one line of a column width mm wide (layout 2: shortened with
 * "…" when it does not fit; layout 1: as it is). */
static void text_in(struct page_state *ps, enum pdf_font font, double size, double x, double y,
		    double width, const char *text)
{
	if (ps->v2)
		wrapped(ps->pdf, font, size, x, y, width, "", text, 1);
	else
		pdf_text(ps->pdf, font, size, x, y, text);
}

static void draft_mark(struct page_state *ps)
{
	if (ps->draft)
		pdf_text_rotated(ps->pdf, PDF_BOLD, 96, 45, 215, 50, PDF_GRAY(0.88), "UTKAST");
}

static void footer(struct page_state *ps)
{
	const struct party *is = &ps->doc->seller;
	struct pdf *pdf = ps->pdf;
	struct strbuf a = {0}, b = {0};
	sb_adds(&a, is->name);
	for (size_t i = 0; i < is->address.n; i++)
		sb_addf(&a, ", %s", is->address.items[i]);
	sb_addf(&b, "Org.nr %s", is->org_nr);
	if (is->vat_nr)
		sb_addf(&b, "   Momsreg.nr %s", is->vat_nr);
	sb_addf(&b, "   Bankgiro %s", is->bankgiro);
	if (is->email)
		sb_addf(&b, "   %s", is->email);
	if (is->phone)
		sb_addf(&b, "   Tel %s", is->phone);
	pdf_line(pdf, LEFT, 276, RIGHT, 276, 0.5);
	text_in(ps, PDF_REGULAR, 7.5, LEFT, 281, RIGHT - LEFT, a.buf);
	text_in(ps, PDF_REGULAR, 7.5, LEFT, 285, RIGHT - LEFT, b.buf);
	if (ps->v2 && ps->pages > 1) {
		char page[32];
		snprintf(page, sizeof page, "Sida %d (%d)", ps->page, ps->pages);
		pdf_text_right(pdf, PDF_REGULAR, 7.5, RIGHT, 289, page);
	}
	sb_release(&a);
	sb_release(&b);
}

static void table_header(struct page_state *ps)
{
	pdf_text(ps->pdf, PDF_BOLD, 9, LEFT, ps->y, "Beskrivning");
	pdf_text_right(ps->pdf, PDF_BOLD, 9, RIGHT, ps->y, "Belopp");
	pdf_line(ps->pdf, LEFT, ps->y + 2, RIGHT, ps->y + 2, 0.6);
	ps->y += 8;
}

/* A continuation page for invoices with more lines than fit on one. */
static void next_page(struct page_state *ps)
{
	/* More than one page, and "Sida N (M)" needs M: the rest of this
	 * pass only counts the pages, and render draws them all again. */
	if (ps->v2 && ps->pages == 0)
		pdf_measure_only(ps->pdf);
	footer(ps);
	pdf_add_page(ps->pdf);
	ps->page++;
	draft_mark(ps);
	char head[120];
	snprintf(head, sizeof head, "%s %s, forts. (sida %d)",
		 document_title(ps->doc->kind), ps->number ? ps->number : "UTKAST", ps->page);
	if (ps->v2) {
		/* the buyer on every page */
		char *who = xasprintf("%s %s till %s", document_title(ps->doc->kind),
				      ps->number ? ps->number : "UTKAST", ps->doc->buyer.name);
		double end = wrapped(ps->pdf, PDF_BOLD, 11, LEFT, 25, RIGHT - LEFT, "", who, 2);
		free(who);
		ps->y = end + 15;
	} else {
		pdf_text(ps->pdf, PDF_BOLD, 11, LEFT, 25, head);
		ps->y = 40;
	}
	table_header(ps);
}

static void info_row(struct page_state *ps, double y, const char *label, const char *value, int bold)
{
	pdf_text(ps->pdf, PDF_REGULAR, 9, LABEL_X, y, label);
	text_in(ps, bold ? PDF_BOLD : PDF_REGULAR, 9, VALUE_X, y, RIGHT - VALUE_X, value);
}

/* prefix and text set in lines of at most width mm, broken at spaces (a
 * word too long for a line is cut), at most max_lines lines, the last
 * ending in "…" when text did not fit. Returns the last baseline. */
static double wrap(struct pdf *pdf, enum pdf_font font, double size, double x, double y, double width,
		   const char *prefix, const char *text, int max_lines, int draw, int *nlines);

static double wrapped(struct pdf *pdf, enum pdf_font font, double size, double x, double y,
		      double width, const char *prefix, const char *text, int max_lines)
{
	int n;
	return wrap(pdf, font, size, x, y, width, prefix, text, max_lines, 1, &n);
}

/* How many lines wrapped() would take. */
static int wrap_lines(struct pdf *pdf, enum pdf_font font, double size, double width,
		      const char *text, int max_lines)
{
	int n;
	wrap(pdf, font, size, 0, 0, width, "", text, max_lines, 0, &n);
	return n > 0 ? n : 1;
}

static double wrap(struct pdf *pdf, enum pdf_font font, double size, double x, double y, double width,
		   const char *prefix, const char *text, int max_lines, int draw, int *nlines)
{
	struct strbuf all = {0};
	sb_adds(&all, prefix);
	sb_adds(&all, text);
	const char *p = all.buf;
	double last = y;
	*nlines = 0;
	/* On one line, every character of it measured before (most texts):
	 * what the loop below would do, without measuring again. */
	unsigned long units;
	while (*p == ' ')
		p++;
	if (*p && max_lines > 0 && pdf_known_units(pdf, font, p, &units) && pdf_units_mm(units, size) <= width) {
		if (draw)
			pdf_text(pdf, font, size, x, y, p);
		*nlines = 1;
		sb_release(&all);
		return y;
	}
	for (int n = 0; *p && n < max_lines; n++) {
		while (*p == ' ')
			p++;
		/* Widths in thousandths of the size, added up character by
		 * character (the same sums, and the same characters measured,
		 * as measuring each longer prefix whole, at a fraction of the
		 * cost). */
		size_t len = strlen(p), fit = 0, space = 0;
		unsigned long sum = 0;
		char *line = xstrdup(p);
		for (size_t i = 0; i < len;) {
			int clen;
			sum += pdf_char_units(pdf, font, p + i, &clen);
			if (pdf_units_mm(sum, size) > width)
				break;
			i += (size_t)clen;
			fit = i;
			if (p[i] == ' ')
				space = i;
		}
		size_t take = fit == len ? len : space ? space : fit;
		int more = n == max_lines - 1 && take < len;
		if (more) {	/* room for the mark */
			int clen;
			unsigned long mark = pdf_char_units(pdf, font, "…", &clen);
			for (;;) {
				while (take > 0 && (line[take] & 0xC0) == 0x80)
					take--;	/* whole characters */
				line[take] = '\0';
				if (take == 0 || pdf_units_mm(pdf_text_units(pdf, font, line), size) + pdf_units_mm(mark, size) <= width)
					break;
				take--;
			}
		}
		line[take] = '\0';
		char *shown = more ? xasprintf("%s…", line) : xstrdup(line);
		last = y + leading(size) * n;
		if (draw)
			pdf_text(pdf, font, size, x, last, shown);
		*nlines = n + 1;
		free(shown);
		free(line);
		p += take ? take : len;
	}
	sb_release(&all);
	return last;
}

static void header(struct page_state *ps)
{
	const struct document *doc = ps->doc;
	const struct party *is = &doc->seller;
	const struct party *m = &doc->buyer;
	struct pdf *pdf = ps->pdf;
	char d[DATE_BUFSZ];

	/* Issuer, top left; document type, top right. */
	int credit = document_is_credit(doc->kind);
	const char *kind = document_title(doc->kind);
	text_in(ps, PDF_BOLD, 15, LEFT, 24, RIGHT - LEFT - pdf_text_width(pdf, PDF_BOLD, 22, kind) - 4, is->name);
	text_in(ps, PDF_REGULAR, 9, LEFT, 30, LABEL_X - LEFT - 4, doc->cooperation);
	pdf_text_right(pdf, PDF_BOLD, 22, RIGHT, 24, kind);
	if (ps->draft)
		pdf_text_right(pdf, PDF_BOLD, 11, RIGHT, 31, "UTKAST – inte för betalning");

	/* Invoice facts. */
	double y = 42;
	int statement = doc->kind == DOCUMENT_STATEMENT;
	info_row(ps, y, statement ? "Nummer" : "Fakturanummer", ps->number ? ps->number : "–", 1);
	if (doc->refers_to && !credit)
		info_row(ps, y += 5, document_amends(doc->kind) ? "Ändrar faktura" : "Ersätter faktura", doc->refers_to, 0);
	info_row(ps, y += 5, statement ? "Datum" : "Fakturadatum", date_format(doc->invoice_date, d), 0);
	if (!credit && !statement) {	/* a credit note or statement asks for no payment */
		info_row(ps, y += 5, "Förfallodatum", date_format(doc->due_date, d), 1);
		info_row(ps, y += 5, "OCR-nummer", doc->ocr ? doc->ocr : "–", 1);
	}
	if (is->reference)
		info_row(ps, y += 5, "Vår referens", is->reference, 0);
	if (m->reference)
		info_row(ps, y += 5, "Er referens", m->reference, 0);

	/* The buyer, where a window envelope shows it: left of the facts. */
	const double buyer_w = LABEL_X - LEFT - 4;
	y = 50;
	pdf_text(pdf, PDF_REGULAR, 8, LEFT, y - 6, statement ? "Till" : "Faktureras");
	if (ps->v2)
		y = wrapped(pdf, PDF_BOLD, 11, LEFT, y, buyer_w, "", m->name, 2);
	else
		pdf_text(pdf, PDF_BOLD, 11, LEFT, y, m->name);
	for (size_t i = 0; i < m->address.n; i++)
		text_in(ps, PDF_REGULAR, 10, LEFT, y += 5, buyer_w, m->address.items[i]);
	char org[64];
	snprintf(org, sizeof org, "Org.nr %s", m->org_nr);
	pdf_text(pdf, PDF_REGULAR, 9, LEFT, y += 6, org);
	/* layout 2: what follows starts below the buyer and the facts */
	double top = 95;
	if (ps->v2 && y + 10 > top)
		top = y + 10;

	/* What the invoice is for. */
	char what[256];
	if (strcmp(doc->period, SETTLEMENT_PERIOD) == 0)	/* a settlement: its period is the year */
		snprintf(what, sizeof what, "Avser: %s, %s", doc->cooperation, doc->period_text);
	else if (doc->period_text)
		snprintf(what, sizeof what, "Avser: %s, %s (period %s)", doc->cooperation,
			 doc->period_text, doc->period);
	else
		snprintf(what, sizeof what, "Avser: %s %d (period %s)", doc->cooperation, doc->year,
			 doc->period);
	double shift = 0;	/* layout 2: the lines "Avser" wraps onto, and the buyer's room */
	if (ps->v2)
		shift = top - 95 + leading(10) * (wrapped(pdf, PDF_BOLD, 10, LEFT, top, RIGHT - LEFT, "", what, 2) > top);
	else
		pdf_text(pdf, PDF_BOLD, 10, LEFT, 95, what);
	ps->y = 106 + shift;
	if (doc->refers_to) {
		char ref[160];
		snprintf(ref, sizeof ref, "%s faktura %s av %s.", document_refers_verb(doc->kind, 0),
			 doc->refers_to, date_format(doc->refers_to_date, d));
		pdf_text(pdf, PDF_BOLD, 9, LEFT, 101 + shift, ref);
		ps->y = 107 + shift;
		if (doc->reason)
			ps->y = wrapped(pdf, PDF_REGULAR, 9, LEFT, 105.5 + shift, RIGHT - LEFT, "Orsak: ", doc->reason, 3) + 6;
	}
	if (doc->note)	/* under the reference, or in its place */
		ps->y = wrapped(pdf, PDF_REGULAR, 9, LEFT, doc->refers_to ? ps->y - 1.5 : 101 + shift, RIGHT - LEFT,
				"", doc->note, 2) + 6;
	table_header(ps);
}

static void invoice_lines(struct page_state *ps)
{
	/* Each line takes 11 mm at least: when they cannot all fit on this
	 * page, a next page is sure to come, and with it a second pass that
	 * draws everything; this one only counts the pages from here. */
	size_t n = ps->doc->nlines;
	if (ps->v2 && ps->pages == 0 && n > 1 && ps->y + 11.0 * (double)(n - 1) > TABLE_BOTTOM)
		pdf_measure_only(ps->pdf);
	for (size_t i = 0; i < ps->doc->nlines; i++) {
		const struct document_line *l = &ps->doc->lines[i];
		char amount[MONEY_BUFSZ];
		money_format(l->amount, amount);
		if (!ps->v2) {
			if (ps->y > TABLE_BOTTOM)
				next_page(ps);
			pdf_text(ps->pdf, PDF_REGULAR, 10, LEFT, ps->y, l->text);
			pdf_text_right(ps->pdf, PDF_REGULAR, 10, RIGHT, ps->y, amount);
			pdf_text(ps->pdf, PDF_REGULAR, 8, LEFT + 3, ps->y + 4.2, l->basis);
			ps->y += 11;
			continue;
		}
		/* the text left of its amount, the basis under both: each wraps */
		double text_w = RIGHT - LEFT - pdf_text_width(ps->pdf, PDF_REGULAR, 10, amount) - 4;
		int tl = wrap_lines(ps->pdf, PDF_REGULAR, 10, text_w, l->text, 3);
		int bl = wrap_lines(ps->pdf, PDF_REGULAR, 8, RIGHT - LEFT - 3, l->basis, 3);
		double extra = leading(10) * (tl - 1) + 4.2 * (bl - 1);
		if (ps->y + extra > TABLE_BOTTOM)
			next_page(ps);
		wrapped(ps->pdf, PDF_REGULAR, 10, LEFT, ps->y, text_w, "", l->text, 3);
		pdf_text_right(ps->pdf, PDF_REGULAR, 10, RIGHT, ps->y, amount);
		wrapped(ps->pdf, PDF_REGULAR, 8, LEFT + 3, ps->y + leading(10) * (tl - 1) + 4.2, RIGHT - LEFT - 3,
			"", l->basis, 3);
		ps->y += 11 + extra;
	}
}

static void totals(struct page_state *ps)
{
	const struct document *inv = ps->doc;
	struct pdf *pdf = ps->pdf;
	char buf[MONEY_BUFSZ], label[64];
	int note_lines = inv->vat_rate == 0 && inv->vat_note && ps->v2
				 ? wrap_lines(pdf, PDF_REGULAR, 8, RIGHT - LEFT, inv->vat_note, 3) : 1;
	if (ps->y + 4.2 * (note_lines - 1) > TABLE_BOTTOM + 4)	/* the totals end 16 mm lower, above the payment */
		next_page(ps);
	double y = ps->y - 4;
	pdf_line(pdf, LABEL_X, y, RIGHT, y, 0.5);
	pdf_text(pdf, PDF_REGULAR, 10, LABEL_X, y += 6, "Summa exkl. moms");
	pdf_text_right(pdf, PDF_REGULAR, 10, RIGHT, y, money_format(inv->net, buf));
	/* outside the scope of VAT (layout 4): no VAT row, the reason instead */
	int outside = inv->layout >= 4 && inv->vat_rate == 0 && inv->vat_category &&
		      strcmp(inv->vat_category, "O") == 0;
	if (outside) {
		pdf_text(pdf, PDF_REGULAR, 10, LABEL_X, y += 6, "Ingen moms (utanför momsen)");
	} else {
		snprintf(label, sizeof label, "Moms %d %%", inv->vat_rate);
		pdf_text(pdf, PDF_REGULAR, 10, LABEL_X, y += 6, label);
		pdf_text_right(pdf, PDF_REGULAR, 10, RIGHT, y, money_format(inv->vat, buf));
	}
	pdf_fill_rect(pdf, LABEL_X - 2, y + 3, RIGHT - LABEL_X + 4, 9, PDF_GRAY(0.9));
	pdf_text(pdf, PDF_BOLD, 12, LABEL_X, y += 9.5,
		 document_is_credit(inv->kind) ? "Krediteras"
		 : inv->kind == DOCUMENT_STATEMENT ? (inv->total < 0 ? "Tillgodo" : "Tillkommer")
						   : "Att betala");
	pdf_text_right(pdf, PDF_BOLD, 12, RIGHT, y, money_format(inv->total, buf));
	if (inv->vat_rate == 0 && inv->vat_note) {
		if (ps->v2)
			wrapped(pdf, PDF_REGULAR, 8, LEFT, y + 8, RIGHT - LEFT, "", inv->vat_note, 3);
		else
			pdf_text(pdf, PDF_REGULAR, 8, LEFT, y + 8, inv->vat_note);
	}
	ps->y = y + 14 + 4.2 * (note_lines - 1);
}

static void payment(struct page_state *ps)
{
	const struct document *inv = ps->doc;
	const struct party *is = &inv->seller;
	struct pdf *pdf = ps->pdf;
	char amount[MONEY_BUFSZ], d[DATE_BUFSZ], line[256];
	double y = 252;
	pdf_line(pdf, LEFT, y - 6, RIGHT, y - 6, 0.5);
	if (document_is_credit(inv->kind)) {
		pdf_text(pdf, PDF_BOLD, 10, LEFT, y, "Kreditering");
		snprintf(line, sizeof line, "Ni krediteras %s. Beloppet dras av från er nästa betalning till oss, eller betalas tillbaka.",
			 money_format(-inv->total, amount));
		pdf_text(pdf, PDF_REGULAR, 9, LEFT, y + 6, line);
		if (inv->refers_to)
			snprintf(line, sizeof line, "Betala inte: detta är en kreditfaktura till faktura %s.",
				 inv->refers_to);
		else
			snprintf(line, sizeof line, "Betala inte: detta är en kreditfaktura.");
		pdf_text(pdf, PDF_REGULAR, 9, LEFT, y + 11, line);
		return;
	}
	if (inv->kind == DOCUMENT_STATEMENT) {
		int next = inv->year + 1;
		pdf_text(pdf, PDF_BOLD, 10, LEFT, y, "Avräkning på nästa faktura");
		snprintf(line, sizeof line, "%s %s tas upp på er nästa faktura för %d (\"Avräkning %d enligt utfall\").",
			 inv->total < 0 ? "Ert tillgodohavande" : "Beloppet", money_format(inv->total < 0 ? -inv->total : inv->total, amount),
			 next, inv->year);
		pdf_text(pdf, PDF_REGULAR, 9, LEFT, y + 6, line);
		pdf_text(pdf, PDF_REGULAR, 9, LEFT, y + 11,
			 "Betala inte: detta är ett avräkningsbesked, ingen faktura.");
		return;
	}
	pdf_text(pdf, PDF_BOLD, 10, LEFT, y, "Betalning");
	if (ps->draft) {
		pdf_text(pdf, PDF_REGULAR, 9, LEFT, y + 6,
			 "Detta är ett utkast. Betala inte: fakturanummer och OCR-nummer sätts när fakturan utfärdas.");
		return;
	}
	snprintf(line, sizeof line, "Betala %s till bankgiro %s senast %s.",
		 money_format(inv->total, amount), is->bankgiro, date_format(inv->due_date, d));
	pdf_text(pdf, PDF_REGULAR, 9, LEFT, y + 6, line);
	snprintf(line, sizeof line, "Ange OCR-nummer %s som referens vid betalningen.", inv->ocr);
	pdf_text(pdf, PDF_REGULAR, 9, LEFT, y + 11, line);
}

/* Render doc; pages is its page count when known (layout 2), else 0. */
static int render(const struct document *doc, const char *what, char **out, size_t *len, int pages)
{
	struct pdf *pdf = doc->layout >= 3 ? pdf_new() : pdf_new_classic();
	char title[256];
	if (doc->number)
		snprintf(title, sizeof title, "%s %s", document_title(doc->kind), doc->number);
	else
		snprintf(title, sizeof title, "Utkast till faktura, %s %s", doc->period, doc->buyer.id);
	char subject[256];
	snprintf(subject, sizeof subject, "%s: %s", doc->cooperation, doc->buyer.name);
	pdf_set_producer(pdf, doc->producer ? doc->producer : "samfakt with libharu");
	pdf_set_info(pdf, title, doc->seller.name, subject, doc->invoice_date);

	struct page_state ps = {.pdf = pdf, .doc = doc, .number = doc->number, .draft = !doc->number,
				.page = 1, .v2 = doc->layout >= 2, .pages = pages};
	pdf_add_page(pdf);
	draft_mark(&ps);
	header(&ps);
	invoice_lines(&ps);
	totals(&ps);
	payment(&ps);
	footer(&ps);
	if (ps.v2 && pages == 0 && ps.page > 1) {
		/* "Sida N (M)": now that M is known, once more */
		pdf_free(pdf);
		return render(doc, what, out, len, ps.page);
	}
	int rc = pdf_finish(pdf, what, out, len);
	pdf_free(pdf);
	return rc;
}

int invoice_render(const struct document *doc, const char *what, char **out, size_t *len)
{
	return render(doc, what, out, len, 0);
}
