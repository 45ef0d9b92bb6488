/* report.c - fordelning.csv and the check summary. */
#include "render/report.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "model/charge.h"
#include "model/csvfile.h"
#include "model/format.h"

#define CSV_CHUNK 65536

struct csv_rows {
	const struct csv_dialect *d;
	const struct model *model;
	const struct allocation *a;
	const struct issued *issued;
	struct strbuf sb;
	write_fn out;
	void *ctx;
	int failed;
};

static void flush_rows(struct csv_rows *cr)
{
	if (!cr->failed && cr->sb.len && cr->out(cr->ctx, cr->sb.buf, cr->sb.len) < 0)
		cr->failed = 1;
	cr->sb.len = 0;
}

/* A row's status, as fordelning.csv says it: plain, then Swedish. */
static const char *const statuses[][2] = {
	{"draft", "utkast"}, {"own share", "egen andel"}, {"waiting", "väntar på användarantal"},
	{"not issued", "inte utfärdad"}, {"issued", "utfärdad"}, {"changed", "ändrad"},
};
enum { ST_DRAFT, ST_OWN, ST_WAITING, ST_NOT_ISSUED, ST_ISSUED, ST_CHANGED };

static void add_csv_row(void *ctx, const struct alloc_row *r)
{
	struct csv_rows *cr = ctx;
	const struct csv_dialect *d = cr->d;
	const struct config *cfg = &cr->model->cfg;
	const struct pool *pool = &cfg->pools[r->pool];
	char basis[FORMAT_BUFSZ];
	csv_cell(&cr->sb, d, cfg->periods[r->period].name, 0, 1);
	csv_cell(&cr->sb, d, cr->model->members[r->member].id, 0, 0);
	csv_cell(&cr->sb, d, pool->name, 0, 0);
	csv_cell(&cr->sb, d, r->item, 0, 0);
	csv_cell(&cr->sb, d,
		 d->swedish ? basis_swedish(pool, &r->basis, r->line_amount, basis)
			    : basis_plain(pool, &r->basis, r->line_amount, basis),
		 0, 0);
	csv_money(&cr->sb, d, r->amount, 0);
	const struct issued *is = cr->issued;
	const char *number = "";
	int status = ST_DRAFT;
	const struct invoice *inv = allocation_find(cr->a, r->period, r->member);
	if (inv && inv->own) {
		status = ST_OWN;
	} else if (cfg->periods[r->period].waits_for != DATE_NONE && !(is && is->period_issued[r->period])) {
		status = ST_WAITING;	/* for its user counts */
	} else if (is && is->period_issued[r->period]) {
		size_t cell = r->period * is->nmembers + r->member;
		if (is->total[cell] == ISSUED_NONE) {
			status = ST_NOT_ISSUED;
		} else {
			number = is->number[cell];
			status = inv && inv->billable && inv->total == is->total[cell] ? ST_ISSUED : ST_CHANGED;
		}
	}
	csv_cell(&cr->sb, d, number, 0, 0);
	csv_cell(&cr->sb, d, statuses[status][d->swedish], 0, 0);
	if (is && is->period_issued[r->period]) {
		size_t cell = r->period * is->nmembers + r->member;
		csv_money(&cr->sb, d, is->invoiced[cell], 0);
		csv_money(&cr->sb, d, is->credited[cell], 0);
		csv_money(&cr->sb, d, is->invoiced[cell] + is->credited[cell], 0);
	} else {
		for (int k = 0; k < 3; k++)
			csv_cell(&cr->sb, d, "", 1, 0);
	}
	sb_adds(&cr->sb, "\n");
	if (cr->sb.len >= CSV_CHUNK)
		flush_rows(cr);
}

int report_allocation_csv(const struct model *model, const struct allocation *a,
			  const struct issued *issued, write_fn out, void *ctx)
{
	const struct csv_dialect *d = model->cfg.csv_plain ? &CSV_PLAIN : &CSV_EXCEL;
	static const char *const head[][2] = {
		{"period", "period"}, {"member", "medlem"}, {"pool", "kostnadspool"}, {"item", "post"},
		{"basis", "grund"}, {"amount", "belopp"}, {"invoice", "faktura"}, {"status", "status"},
		{"invoiced", "fakturerat"}, {"credited", "krediterat"}, {"due", "att betala"},
	};
	struct csv_rows cr = {.d = d, .model = model, .a = a, .issued = issued, .out = out, .ctx = ctx};
	sb_adds(&cr.sb, CSV_OUT_BOM);
	for (size_t c = 0; c < sizeof head / sizeof head[0]; c++)
		csv_cell(&cr.sb, d, head[c][d->swedish], 0, c == 0);
	sb_adds(&cr.sb, "\n");
	allocation_rows(model, a, add_csv_row, &cr);
	flush_rows(&cr);
	sb_release(&cr.sb);
	return cr.failed ? -1 : 0;
}

/* per_user: the fee it works out. */
void report_per_user(FILE *out, const struct model *model, const struct allocation *a, size_t pi)
{
	(void)model;
	const struct pool_summary *s = &a->pools[pi];
	char m[MONEY_BUFSZ], n[FORMAT_BUFSZ];
	if (s->fee_users)
		fprintf(out, "  %-14s fee per user and year %s (%s users on fee date)\n", "",
			money_format(s->fee, m), format_count(s->fee_users, n));
	else
		fprintf(out, "  %-14s fee per user and year %s (fixed)\n", "", money_format(s->fee, m));
}

static void print_pools(FILE *out, const struct model *model, const struct allocation *a)
{
	const struct config *cfg = &model->cfg;
	char m[MONEY_BUFSZ];
	fprintf(out, "%s %d\n\nPools\n", cfg->name, cfg->year);
	for (size_t pi = 0; pi < cfg->npools; pi++) {
		const struct pool *pool = &cfg->pools[pi];
		const struct pool_summary *s = &a->pools[pi];
		fprintf(out, "  %-14s %-9s %18s  periods:", pool->name, method_name(pool->method),
			money_format(s->annual, m));
		for (size_t k = 0; k < pool->nperiods; k++)
			fprintf(out, " %s", cfg->periods[pool->periods[k]].name);
		fputc('\n', out);
		const struct charge_kind *kind = charge_kind(pool->method);
		if (kind->report)
			kind->report(out, model, a, pi);
	}
}

void report_print(FILE *out, const struct model *model, const struct allocation *a)
{
	const struct config *cfg = &model->cfg;
	char m[MONEY_BUFSZ], m2[MONEY_BUFSZ], d[DATE_BUFSZ];
	print_pools(out, model, a);

	for (size_t p = 0; p < cfg->nperiods; p++) {
		fprintf(out, "\nPeriod %s, invoice date %s\n", cfg->periods[p].name,
			date_format(cfg->periods[p].invoice_date, d));
		fprintf(out, "  %-16s", "member");
		for (size_t pi = 0; pi < cfg->npools; pi++)
			fprintf(out, " %14.14s", cfg->pools[pi].name);
		fprintf(out, " %14s %14s\n", "net", "total");
		money_t sum_net = 0, sum_total = 0;
		struct period_lines pl;
		allocation_lines(model, a, p, &pl);
		struct invoice_line *lines = period_lines_buffer(&pl);
		size_t ninv;
		const struct invoice *invoices = allocation_period(a, p, &ninv);
		for (size_t i = 0; i < ninv; i++) {
			const struct invoice *inv = &invoices[i];
			size_t nlines = period_lines_of(&pl, inv->member, lines);
			fprintf(out, "  %-16.16s", model->members[inv->member].id);
			for (size_t pi = 0; pi < cfg->npools; pi++) {
				money_t share = 0;
				for (size_t l = 0; l < nlines; l++)
					if (lines[l].pool == pi)
						share += lines[l].amount;
				fprintf(out, " %14s", money_format_bare(share, m));
			}
			fprintf(out, " %14s", money_format_bare(inv->net, m));
			fprintf(out, " %14s%s\n", money_format_bare(inv->total, m),
				inv->own ? "  (own share, no invoice)"
				: cfg->periods[p].waits_for != DATE_NONE ? "  (waits for user counts)"
				: inv->credit_note ? "  (a credit note: buy-in credits)"
				: inv->billable ? "" : "  (nothing to bill)");
			sum_net += inv->net;
			sum_total += inv->total;
		}
		free(lines);
		period_lines_release(&pl);
		fprintf(out, "  %-16s", "sum");
		for (size_t pi = 0; pi < cfg->npools; pi++)
			fprintf(out, " %14s", money_format_bare(a->pools[pi].billed[p], m));
		fprintf(out, " %14s", money_format_bare(sum_net, m));
		fprintf(out, " %14s\n", money_format_bare(sum_total, m));
	}
	/* the buy-ins, each followed by its credits */
	for (size_t i = 0; i < a->nmoves; i++) {
		const struct project_move *mv = &a->moves[i];
		if (mv->basis.method != METHOD_BUYIN)
			continue;
		fprintf(out, "\nBuy-in: %s joins project %s on %s, period %s: %s (%lld/%lld of %s)\n",
			model->members[mv->member].id, model->projects[mv->project].id,
			date_format(mv->basis.joined, d), cfg->periods[mv->period].name,
			money_format_bare(mv->amount, m), (long long)mv->basis.part,
			(long long)mv->basis.whole, money_format_bare(mv->basis.base, m2));
		for (size_t k = 0; k < a->nmoves; k++) {
			const struct project_move *cr = &a->moves[k];
			if (move_credits(cr, mv))
				fprintf(out, "  credit %-16s %14s\n", model->members[cr->member].id,
					money_format_bare(cr->amount, m));
		}
	}
}

void report_print_routing(FILE *out, const struct model *model, const struct allocation *a)
{
	const struct config *cfg = &model->cfg;
	fprintf(out, "\nE-invoices go to (Peppol id, buyer reference), from %s\n",
		cfg->issuer.peppol_id ? cfg->issuer.peppol_id : "-");
	for (size_t m = 0; m < model->nmembers; m++) {
		int billed = 0;
		for (size_t i = 0; i < a->ninvoices && !billed; i++)
			billed = a->invoices[i].member == m && a->invoices[i].billable;
		if (!billed)
			continue;
		const struct member *mb = &model->members[m];
		fprintf(out, "  %-16.16s %-20s %s\n", mb->id, mb->peppol_id ? mb->peppol_id : "-",
			mb->reference ? mb->reference : "-");
	}
}

void report_print_settlement(FILE *out, const struct model *model, const struct outcome *o,
			     const struct settlement *s)
{
	const struct config *cfg = &model->cfg;
	char m1[MONEY_BUFSZ], m2[MONEY_BUFSZ], m3[MONEY_BUFSZ];
	fprintf(out, "\nOutcome (%s)\n", model->outcome_file);
	for (size_t pi = 0; pi < cfg->npools; pi++)
		fprintf(out, "  %-14.14s %14s\n", cfg->pools[pi].name, money_format_bare(o->pool[pi], m1));
	fprintf(out, "  %-14s %14s\n", "sum", money_format_bare(o->total, m1));
	fprintf(out, "\nSettlement (net)\n  %-16s %14s %14s %14s\n", "member", "invoiced", "actual", "difference");
	for (size_t i = 0; i <= s->n; i++) {
		const struct settlement_row sum = {0, s->invoiced, s->actual, s->difference};
		const struct settlement_row *r = i < s->n ? &s->rows[i] : &sum;
		fprintf(out, "  %-16.16s %14s %14s %14s\n", i < s->n ? model->members[r->member].id : "sum",
			money_format_bare(r->invoiced, m1), money_format_bare(r->actual, m2),
			money_format_bare(r->difference, m3));
	}
	fprintf(out, "  the host's own share of the outcome, not invoiced: %s\n", money_format_bare(s->own_actual, m1));
}
