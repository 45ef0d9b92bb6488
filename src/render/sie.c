/* sie.c - an SIE 4I file: the header, then one #VER per document. */
#include "render/sie.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/home.h"

/* UTF-8 to CP437; a letter CP437 lacks becomes its nearest (– to -, ” to
 * "). Appended to out; -1 when a character has no such letter. */
static int to_cp437(const char *s, size_t len, struct strbuf *out)
{
	static iconv_t cd = (iconv_t)-1;
	if (cd == (iconv_t)-1 && (cd = iconv_open("CP437//TRANSLIT", "UTF-8")) == (iconv_t)-1)
		BUG("iconv cannot convert to CP437: %s", strerror(errno));
	iconv(cd, NULL, NULL, NULL, NULL);
	char *src = (char *)s;
	size_t left = len, cap = len * 4 + 16, room = cap;
	char *dst0 = xmalloc(cap), *dst = dst0;
	int rc = iconv(cd, &src, &left, &dst, &room) == (size_t)-1 ? -1 : 0;
	if (rc == 0)
		sb_add(out, dst0, (size_t)(dst - dst0));
	free(dst0);
	return rc;
}

/* A string field, in CP437: quoted, with " and \ escaped (SIE 4B, 5.7)
 * after the conversion, which may turn a curly quote into a straight one. */
static void quoted(struct strbuf *sb, const char *s)
{
	struct strbuf cp = {0};
	if (s && to_cp437(s, strlen(s), &cp) < 0)
		sb_adds(&cp, "?");
	sb_adds(sb, "\"");
	for (size_t i = 0; i < cp.len; i++) {
		char c = cp.buf[i];
		if (c == '"' || c == '\\')
			sb_adds(sb, "\\");
		if ((unsigned char)c < 0x20 || c == 0x7F)
			sb_adds(sb, " ");	/* no control characters in a field */
		else
			sb_add(sb, &c, 1);
	}
	sb_adds(sb, "\"");
	sb_release(&cp);
}

static void sie_date(struct strbuf *sb, date_t d)
{
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	sb_addf(sb, "%04d%02d%02d", y, m, day);
}

static const struct pool *pool_named(const struct config *cfg, const char *name)
{
	long i = name ? config_find_pool(cfg, name) : -1;
	return i < 0 ? NULL : &cfg->pools[i];
}

static void trans(struct strbuf *sb, const char *account, const char *cost_centre, money_t amount)
{
	char buf[MONEY_BUFSZ];
	sb_addf(sb, "#TRANS %s {", account);
	if (cost_centre) {
		sb_adds(sb, "1 ");
		quoted(sb, cost_centre);
	}
	sb_addf(sb, "} %s\n", money_format_csv(amount, buf));
}

/* The file as written: lines end in CR LF, as DOS-era SIE readers expect. */
static void crlf(const struct strbuf *in, struct strbuf *out)
{
	for (size_t i = 0; i < in->len; i++)
		sb_adds(out, in->buf[i] == '\n' ? "\r\n" : (char[]){in->buf[i], '\0'});
}

/* Is doc issued before the year of its period: booked to prepaid income? */
static int prepaid(const struct document *doc)
{
	int y, m, d;
	date_to_ymd(doc->invoice_date, &y, &m, &d);
	return y < doc->year;
}

static int by_date(const void *a, const void *b)
{
	const struct sie_voucher *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->doc != y->doc)
		return x->doc < y->doc ? -1 : 1;
	return (int)x->part - (int)y->part;
}

size_t sie_vouchers(const struct document *docs, size_t n, struct sie_voucher **out)
{
	struct sie_voucher *v = xcalloc(2 * n + 1, sizeof *v);
	size_t nv = 0;
	for (size_t d = 0; d < n; d++) {
		v[nv++] = (struct sie_voucher){.doc = d, .part = SIE_DOCUMENT, .date = docs[d].invoice_date};
		if (prepaid(&docs[d]))
			v[nv++] = (struct sie_voucher){.doc = d, .part = SIE_RELEASE,
						       .date = date_from_ymd(docs[d].year, 1, 1)};
	}
	qsort(v, nv, sizeof *v, by_date);
	*out = v;
	return nv;
}

int sie_check(const struct config *cfg, const struct document *docs, const char *const *paths, size_t n)
{
	int rc = 0;
	for (size_t d = 0; d < n; d++) {
		for (size_t i = 0; i < docs[d].nlines; i++) {
			const struct pool *p = pool_named(cfg, docs[d].lines[i].pool);
			if (!docs[d].lines[i].pool) {
				error_at(paths[d], 0,
					 "%s %s was issued before samfakt recorded each line's pool: it cannot be booked from its record (book it by hand, and export the periods after it)",
					 document_kind_name(docs[d].kind), docs[d].number);
				rc = -1;
				break;
			}
			if (!p || !p->account) {
				error_at(cfg->path, 0, "%s %s has a line of pool '%s', which has no account here: give [pool %s] an account",
					 document_kind_name(docs[d].kind), docs[d].number, docs[d].lines[i].pool,
					 docs[d].lines[i].pool);
				rc = -1;
			}
		}
		if (docs[d].vat && !cfg->ledger.vat) {
			error_at(cfg->path, 0, "%s %s charges VAT: [ledger] needs 'vat'",
				 document_kind_name(docs[d].kind), docs[d].number);
			rc = -1;
		}
	}
	return rc;
}

/* The voucher's #TRANS rows. */
static void transactions(struct strbuf *sb, const struct config *cfg, const struct document *doc,
			 enum sie_part part)
{
	int income = part == SIE_RELEASE || !prepaid(doc);
	if (part == SIE_DOCUMENT)
		trans(sb, cfg->ledger.receivable, NULL, doc->total);
	else
		trans(sb, cfg->ledger.prepaid, NULL, doc->net);
	if (income) {
		for (size_t i = 0; i < doc->nlines; i++) {
			const struct pool *p = pool_named(cfg, doc->lines[i].pool);
			if (doc->lines[i].amount)
				trans(sb, p->account, p->cost_centre, -doc->lines[i].amount);
		}
	} else {
		trans(sb, cfg->ledger.prepaid, NULL, -doc->net);
	}
	if (part == SIE_DOCUMENT && doc->vat)
		trans(sb, cfg->ledger.vat, NULL, -doc->vat);
}

int sie_render(const struct config *cfg, int year, const struct document *docs,
	       const struct sie_voucher *v, size_t nv, struct strbuf *out)
{
	date_t gen = date_from_ymd(year, 1, 1);
	for (size_t i = 0; i < nv; i++)
		if (v[i].date > gen)
			gen = v[i].date;

	struct strbuf sb = {0};
	const struct party *seller = &docs[v[0].doc].seller;
	sb_adds(&sb, "#FLAGGA 0\n#PROGRAM \"samfakt\" ");
	quoted(&sb, samfakt_version());
	sb_adds(&sb, "\n#FORMAT PC8\n#GEN ");
	sie_date(&sb, gen);
	sb_adds(&sb, "\n#SIETYP 4\n#ORGNR ");
	sb_adds(&sb, seller->org_nr);
	sb_adds(&sb, "\n#FNAMN ");
	quoted(&sb, seller->name);
	sb_addf(&sb, "\n#RAR 0 %04d0101 %04d1231\n", year, year);
	/* the cost centres used, declared before the vouchers */
	int dim = 0;
	for (size_t i = 0; i < cfg->npools; i++) {
		const struct pool *p = &cfg->pools[i];
		if (!p->cost_centre)
			continue;
		if (!dim++) {
			sb_adds(&sb, "#DIM 1 ");
			quoted(&sb, "Kostnadsställe");
			sb_adds(&sb, "\n");
		}
		sb_adds(&sb, "#OBJEKT 1 ");
		quoted(&sb, p->cost_centre);
		sb_adds(&sb, " ");
		quoted(&sb, p->text);
		sb_adds(&sb, "\n");
	}
	for (size_t i = 0; i < nv; i++) {
		const struct document *doc = &docs[v[i].doc];
		struct strbuf text = {0};
		if (v[i].part == SIE_RELEASE)
			sb_addf(&text, "Förutbetald intäkt %d: ", doc->year);
		sb_addf(&text, "%s %s %s", document_title(doc->kind), doc->number, doc->buyer.name);
		if (doc->refers_to)
			sb_addf(&text, " (%s %s)", document_refers_verb(doc->kind, 1), doc->refers_to);
		sb_adds(&sb, "#VER ");
		quoted(&sb, cfg->ledger.series);
		sb_addf(&sb, " \"%ld\" ", v[i].number);
		sie_date(&sb, v[i].date);
		sb_adds(&sb, " ");
		quoted(&sb, text.buf);
		sb_adds(&sb, "\n{\n");
		sb_release(&text);
		transactions(&sb, cfg, doc, v[i].part);
		sb_adds(&sb, "}\n");
	}
	crlf(&sb, out);
	sb_release(&sb);
	return 0;
}
