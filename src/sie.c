/* sie.c - an SIE 4I file: the header, then one #VER per document. */
#include "sie.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "home.h"

/* A string field: quoted, with " and \ escaped (SIE 4B, 5.7). */
static void quoted(struct strbuf *sb, const char *s)
{
	sb_adds(sb, "\"");
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_adds(sb, "\\");
		if ((unsigned char)*s < 0x20)
			sb_adds(sb, " ");	/* no control characters in a field */
		else
			sb_add(sb, s, 1);
	}
	sb_adds(sb, "\"");
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

/* UTF-8 to CP437; a letter CP437 lacks becomes its nearest (– to -). */
static int to_cp437(const struct strbuf *in, struct strbuf *out)
{
	iconv_t cd = iconv_open("CP437//TRANSLIT", "UTF-8");
	if (cd == (iconv_t)-1)
		BUG("iconv cannot convert to CP437: %s", strerror(errno));
	char *src = in->buf;
	size_t left = in->len, cap = in->len * 2 + 16;
	char *dst0 = xmalloc(cap), *dst = dst0;
	size_t room = cap;
	int rc = iconv(cd, &src, &left, &dst, &room) == (size_t)-1 ? -1 : 0;
	iconv_close(cd);
	/* lines end in CR LF, as DOS-era SIE readers expect */
	for (const char *p = dst0; rc == 0 && p < dst; p++)
		sb_adds(out, *p == '\n' ? "\r\n" : (char[]){*p, '\0'});
	free(dst0);
	return rc;
}

int sie_render(const struct config *cfg, const struct document *docs, const char *const *paths,
	       size_t n, struct strbuf *out)
{
	int rc = 0;
	date_t gen = DATE_NONE;
	for (size_t d = 0; d < n; d++) {
		if (gen == DATE_NONE || docs[d].invoice_date > gen)
			gen = docs[d].invoice_date;
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
	if (rc < 0)
		return -1;

	struct strbuf sb = {0};
	const struct party *seller = &docs[0].seller;
	sb_adds(&sb, "#FLAGGA 0\n#PROGRAM \"samfakt\" ");
	quoted(&sb, samfakt_version());
	sb_adds(&sb, "\n#FORMAT PC8\n#GEN ");
	sie_date(&sb, gen);
	sb_adds(&sb, "\n#SIETYP 4\n#ORGNR ");
	sb_adds(&sb, seller->org_nr);
	sb_adds(&sb, "\n#FNAMN ");
	quoted(&sb, seller->name);
	sb_addf(&sb, "\n#RAR 0 %04d0101 %04d1231\n", docs[0].year, docs[0].year);
	/* the cost centres used, declared before the vouchers */
	int dim = 0;
	for (size_t i = 0; i < cfg->npools; i++) {
		const struct pool *p = &cfg->pools[i];
		if (!p->cost_centre)
			continue;
		if (!dim++)
			sb_adds(&sb, "#DIM 1 \"Kostnadsställe\"\n");
		sb_adds(&sb, "#OBJEKT 1 ");
		quoted(&sb, p->cost_centre);
		sb_adds(&sb, " ");
		quoted(&sb, p->text);
		sb_adds(&sb, "\n");
	}
	for (size_t d = 0; d < n; d++) {
		const struct document *doc = &docs[d];
		struct strbuf text = {0};
		sb_addf(&text, "%s %s %s", doc->kind == DOCUMENT_CREDIT_NOTE ? "Kreditfaktura" : "Faktura",
			doc->number, doc->buyer.name);
		if (doc->refers_to)
			sb_addf(&text, " (%s %s)", doc->kind == DOCUMENT_CREDIT_NOTE ? "krediterar" : "ersätter",
				doc->refers_to);
		/* an empty number: the importing system numbers the vouchers */
		sb_adds(&sb, "#VER ");
		quoted(&sb, cfg->ledger.series);
		sb_adds(&sb, " \"\" ");
		sie_date(&sb, doc->invoice_date);
		sb_adds(&sb, " ");
		quoted(&sb, text.buf);
		sb_adds(&sb, "\n{\n");
		sb_release(&text);
		trans(&sb, cfg->ledger.receivable, NULL, doc->total);
		for (size_t i = 0; i < doc->nlines; i++) {
			const struct pool *p = pool_named(cfg, doc->lines[i].pool);
			if (doc->lines[i].amount)
				trans(&sb, p->account, p->cost_centre, -doc->lines[i].amount);
		}
		if (doc->vat)
			trans(&sb, cfg->ledger.vat, NULL, -doc->vat);
		sb_adds(&sb, "}\n");
	}
	rc = to_cp437(&sb, out);
	if (rc < 0)
		error_at(cfg->path, 0, "cannot write the SIE file in CP437: %s", strerror(errno));
	sb_release(&sb);
	return rc;
}
