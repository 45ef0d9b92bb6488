/* fuzz_sie.c - libFuzzer harness: any text (a buyer's name, the seller's,
 * a pool's, a cost centre's) in an SIE file reads back as the text it
 * was, through a reader of the format's quoting of its own here: every
 * line is labels and fields, every quoted field ends on its line, no
 * control character, and each #VER balances. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/util.h"
#include "keep/document.h"
#include "model/model.h"
#include "render/sie.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read one line's fields: 0 when every quoted field ends, and nothing but
 * printable bytes (CP437) is between them. */
static int read_line(const char *p, const char *end, int *nfields)
{
	*nfields = 0;
	while (p < end) {
		if (*p == ' ') {
			p++;
			continue;
		}
		(*nfields)++;
		if (*p == '"') {
			for (p++;; p++) {
				if (p >= end)
					return -1;	/* the field does not end on its line */
				if (*p == '\\' && p + 1 < end) {
					p++;
					continue;
				}
				if (*p == '"')
					break;
			}
			p++;
			if (p < end && *p != ' ')
				return -1;	/* a field runs on after its closing quote */
			continue;
		}
		if (*p == '{') {
			while (p < end && *p != '}') {
				if (*p == '"')
					for (p++; p < end && !(*p == '"' && p[-1] != '\\'); p++)
						;
				p++;
			}
			if (p >= end)
				return -1;
			p++;
			continue;
		}
		while (p < end && *p != ' ')
			p++;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag_set_verbosity(-2);
	char *text = xstrndup((const char *)data, size);
	struct pool pool = {.name = "a", .text = text, .account = "3510", .cost_centre = "K1"};
	struct config cfg = {.path = "fuzz.ini", .npools = 1, .pools = &pool,
			     .ledger = {.present = 1, .receivable = "1510", .vat = "2611", .series = "F", .prepaid = "2970"}};
	struct document doc;
	document_init(&doc);
	doc.kind = DOCUMENT_INVOICE;
	doc.number = document_strdup(&doc, "2016-0001");
	doc.year = 2016;
	doc.invoice_date = date_from_ymd(2015, 12, 20);
	doc.seller.name = document_strdup(&doc, text);
	doc.seller.org_nr = "212000-2742";
	doc.buyer.name = document_strdup(&doc, text);
	document_add_line(&doc, "x", "y", 10000);
	doc.lines[0].pool = "a";
	doc.net = 10000;
	doc.vat = 2500;
	doc.total = 12500;
	struct sie_voucher *v;
	size_t nv = sie_vouchers(&doc, 1, &v);
	for (size_t i = 0; i < nv; i++)
		v[i].number = (long)i + 1;
	struct strbuf out = {0};
	if (nv != 2 || sie_render(&cfg, 2015, &doc, v, 1, &out) < 0)
		__builtin_trap();
	size_t lines = 0;
	for (const char *p = out.buf, *e; p < out.buf + out.len; p = e + 2) {
		e = strstr(p, "\r\n");
		if (!e)
			__builtin_trap();	/* every line ends in CR LF */
		for (const char *q = p; q < e; q++)
			if ((unsigned char)*q < 0x20)
				__builtin_trap();
		int n;
		if (e - p == 1 && (*p == '{' || *p == '}')) {	/* a voucher's brackets */
			lines++;
			continue;
		}
		if (read_line(p, e, &n) < 0)
			__builtin_trap();
		if (strncmp(p, "#VER ", 5) == 0 && n != 5)
			__builtin_trap();	/* series, number, date, text */
		lines++;
	}
	if (lines < 12)
		__builtin_trap();
	sb_release(&out);
	free(v);
	document_release(&doc);
	free(text);
	return 0;
}
