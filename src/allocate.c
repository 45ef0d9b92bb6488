/* allocate.c - the cost-sharing rules of allocate.h. */
#include "allocate.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"
#include "validate.h"

struct builder {
	const struct model *model;
	struct allocation *a;
	/* scratch, one slot per member */
	size_t *billed;
	int64_t *weights;
	money_t *shares;
	/* the invoice lines of the period being built, per member */
	struct invoice *pending;
	size_t *lines_cap;	/* capacity of pending[m].lines, kept across periods */
};

static void add_line(struct builder *b, size_t member, size_t pool, long project,
		     const char *text, money_t amount, const struct basis *basis)
{
	struct invoice *inv = &b->pending[member];
	GROW(inv->lines, b->lines_cap[member], inv->nlines + 1);
	struct invoice_line *l = &inv->lines[inv->nlines++];
	l->pool = (uint32_t)pool;
	l->project = (int32_t)project;
	l->text = text;
	l->amount = amount;
	l->basis = *basis;
	inv->net += amount;
}

/* The members billed in a period: members on its invoice date. */
static size_t billed_members(struct builder *b, date_t day)
{
	size_t n = 0;
	for (size_t m = 0; m < b->model->nmembers; m++)
		if (member_active(&b->model->members[m], day))
			b->billed[n++] = m;
	return n;
}

static money_t pool_annual(const struct model *model, size_t pi)
{
	money_t total = 0;
	if (model->cfg.pools[pi].method == METHOD_PROJECTS) {
		for (size_t j = 0; j < model->nprojects; j++)
			total += model->projects[j].cost;
		return total;
	}
	for (size_t i = 0; i < model->nbudget; i++)
		if (model->budget[i].pool == pi)
			total += model->budget[i].amount;
	return total;
}

/* Step 1: the part of `annual` that falls on the k-th of a pool's n periods. */
static money_t period_part(money_t annual, size_t k, size_t n)
{
	int64_t *ones = xmalloc(n * sizeof *ones);
	money_t *parts = xmalloc(n * sizeof *parts);
	for (size_t i = 0; i < n; i++)
		ones[i] = 1;
	money_split(annual, ones, n, parts);
	money_t part = parts[k];
	free(ones);
	free(parts);
	return part;
}

static void split_pool(struct builder *b, size_t period, size_t pi, size_t k)
{
	const struct model *model = b->model;
	const struct pool *pool = &model->cfg.pools[pi];
	const struct period *p = &model->cfg.periods[period];
	struct pool_summary *sum = &b->a->pools[pi];
	size_t n = billed_members(b, p->invoice_date);

	if (pool->method == METHOD_EQUAL || pool->method == METHOD_KEY) {
		money_t amount = period_part(sum->annual, k, pool->nperiods);
		int64_t whole = 0;
		for (size_t i = 0; i < n; i++) {
			b->weights[i] = pool->method == METHOD_EQUAL ? 1 : model->members[b->billed[i]].weights[pi];
			whole += b->weights[i];
		}
		if (money_split(amount, b->weights, n, b->shares) < 0)
			BUG("pool '%s' split over zero weight", pool->name);
		for (size_t i = 0; i < n; i++) {
			struct basis basis = {.method = pool->method, .factor = 1, .base = amount,
					      .part = b->weights[i], .whole = whole};
			add_line(b, b->billed[i], pi, -1, pool->text, b->shares[i], &basis);
			sum->billed[period] += b->shares[i];
		}
		return;
	}

	if (pool->method == METHOD_PER_USER) {
		for (size_t i = 0; i < n; i++) {
			const struct member *m = &model->members[b->billed[i]];
			int64_t users = model_user_count(model, b->billed[i], p->count_date);
			int factor = 1;
			if (m->joined != DATE_NONE && p->invoice_date < date_add_months(m->joined, 12))
				factor = pool->entry_factor;
			/* users x fee x factor fits in 128 bits, and the result in money_t */
			__int128 num = (__int128)users * sum->fee * factor;
			int64_t den = (int64_t)pool->nperiods;
			money_t charge = (money_t)((num + den / 2) / den);
			struct basis basis = {.method = pool->method, .factor = factor, .base = sum->fee,
					      .part = users, .whole = den};
			add_line(b, b->billed[i], pi, -1, pool->text, charge, &basis);
			sum->billed[period] += charge;
		}
		return;
	}

	/* METHOD_PROJECTS: each project among its participants by population. */
	for (size_t j = 0; j < model->nprojects; j++) {
		const struct project *pr = &model->projects[j];
		if (pr->cost == 0)
			continue;
		money_t amount = period_part(pr->cost, k, pool->nperiods);
		size_t np = 0;
		int64_t whole = 0;
		size_t *who = xmalloc(n * sizeof *who);
		for (size_t i = 0; i < n; i++) {
			if (!project_has_member(pr, b->billed[i]))
				continue;
			who[np] = b->billed[i];
			b->weights[np] = model->members[b->billed[i]].population;
			whole += b->weights[np++];
		}
		if (money_split(amount, b->weights, np, b->shares) < 0)
			BUG("project '%s' split over zero population", pr->id);
		for (size_t i = 0; i < np; i++) {
			struct basis basis = {.method = pool->method, .factor = 1, .base = amount,
					      .part = b->weights[i], .whole = whole};
			add_line(b, who[i], pi, (long)j, pr->name, b->shares[i], &basis);
			sum->billed[period] += b->shares[i];
		}
		free(who);
	}
}

static void compute_fees(const struct model *model, struct allocation *a)
{
	const struct config *cfg = &model->cfg;
	for (size_t pi = 0; pi < cfg->npools; pi++) {
		const struct pool *pool = &cfg->pools[pi];
		struct pool_summary *sum = &a->pools[pi];
		sum->annual = pool_annual(model, pi);
		sum->billed = xcalloc(cfg->nperiods, sizeof *sum->billed);
		if (pool->method == METHOD_EQUAL && pool->nperiods > 0) {
			date_t first = cfg->periods[pool->periods[0]].invoice_date;
			for (size_t m = 0; m < model->nmembers; m++)
				sum->members += (size_t)member_active(&model->members[m], first);
			if (sum->members)
				sum->per_member = mul_div_round(sum->annual, 1, (int64_t)sum->members);
		}
		if (pool->method != METHOD_PER_USER)
			continue;
		if (pool->annual_fee >= 0) {
			sum->fee = pool->annual_fee;
			continue;
		}
		for (size_t m = 0; m < model->nmembers; m++) {
			if (!member_active(&model->members[m], pool->fee_date))
				continue;
			int64_t n = model_user_count(model, m, pool->fee_date);
			if (n > 0)
				sum->fee_users += n;
		}
		sum->fee = mul_div_round(sum->annual, 1, sum->fee_users);
	}
}

int allocate(const struct model *model, struct allocation *a)
{
	const struct config *cfg = &model->cfg;
	memset(a, 0, sizeof *a);
	a->npools = cfg->npools;
	a->nperiods = cfg->nperiods;
	a->pools = xcalloc(cfg->npools, sizeof *a->pools);
	compute_fees(model, a);

	size_t nm = model->nmembers;
	struct builder b = {
		.model = model,
		.a = a,
		.billed = xcalloc(nm, sizeof *b.billed),
		.weights = xcalloc(nm, sizeof *b.weights),
		.shares = xcalloc(nm, sizeof *b.shares),
		.pending = xcalloc(nm, sizeof *b.pending),
		.lines_cap = xcalloc(nm, sizeof *b.lines_cap),
	};
	a->invoices = xcalloc(cfg->nperiods * nm, sizeof *a->invoices);
	int rc = 0;
	long own = cfg->issuer.member ? model_find_member(model, cfg->issuer.member) : -1;

	for (size_t period = 0; period < cfg->nperiods; period++) {
		for (size_t pi = 0; pi < cfg->npools; pi++) {
			const struct pool *pool = &cfg->pools[pi];
			for (size_t k = 0; k < pool->nperiods; k++)
				if (pool->periods[k] == period)
					split_pool(&b, period, pi, k);
		}
		for (size_t m = 0; m < nm; m++) {
			struct invoice *inv = &b.pending[m];
			if (inv->nlines == 0)
				continue;
			inv->period = period;
			inv->member = m;
			inv->own = (long)m == own;
			inv->vat = mul_div_round(inv->net, cfg->vat_rate, 100);
			inv->total = inv->net + inv->vat;
			inv->billable = !inv->own && inv->net > 0;
			inv->due_date = date_add_days(cfg->periods[period].invoice_date, cfg->terms_days);
			if (inv->net < 0) {
				char buf[MONEY_BUFSZ];
				error_at(model->members_file, model->members[m].line,
					 "the invoice to '%s' for period '%s' would be negative (%s): credit notes are not supported",
					 model->members[m].id, cfg->periods[period].name,
					 money_format(inv->net, buf));
				rc = -1;
			}
			/* The invoice gets its lines exactly; the scratch keeps its room. */
			struct invoice *out = &a->invoices[a->ninvoices++];
			*out = *inv;
			out->lines = xmalloc(inv->nlines * sizeof *out->lines);
			memcpy(out->lines, inv->lines, inv->nlines * sizeof *out->lines);
			struct invoice_line *keep = inv->lines;
			memset(inv, 0, sizeof *inv);
			inv->lines = keep;
		}
	}
	for (size_t m = 0; m < nm; m++)
		free(b.pending[m].lines);
	free(b.billed);
	free(b.weights);
	free(b.shares);
	free(b.pending);
	free(b.lines_cap);
	return rc;
}

void allocation_release(struct allocation *a)
{
	for (size_t i = 0; i < a->ninvoices; i++)
		free(a->invoices[i].lines);
	free(a->invoices);
	for (size_t i = 0; i < a->npools; i++)
		free(a->pools[i].billed);
	free(a->pools);
	memset(a, 0, sizeof *a);
}

const struct invoice *allocation_find(const struct allocation *a, size_t period, size_t member)
{
	size_t lo = 0, hi = a->ninvoices;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct invoice *inv = &a->invoices[mid];
		if (inv->period < period || (inv->period == period && inv->member < member))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < a->ninvoices && a->invoices[lo].period == period && a->invoices[lo].member == member)
		return &a->invoices[lo];
	return NULL;
}

money_t allocation_member_pool(const struct allocation *a, size_t member, size_t pool)
{
	money_t sum = 0;
	for (size_t p = 0; p < a->nperiods; p++) {
		const struct invoice *inv = allocation_find(a, p, member);
		for (size_t l = 0; inv && l < inv->nlines; l++)
			if (inv->lines[l].pool == pool)
				sum += inv->lines[l].amount;
	}
	return sum;
}

money_t allocation_member_year(const struct allocation *a, size_t member)
{
	money_t sum = 0;
	for (size_t p = 0; p < a->nperiods; p++) {
		const struct invoice *inv = allocation_find(a, p, member);
		if (inv)
			sum += inv->net;
	}
	return sum;
}

/* Step 3: each invoice line of a pool broken down over the pool's budget
 * lines in proportion to their amounts; a project line is one row. Made
 * when asked for, not stored: a row a member and budget line would be the
 * largest thing in memory. */
void allocation_rows(const struct model *model, const struct allocation *a, row_fn fn, void *ctx)
{
	size_t nbudget = model->nbudget;
	int64_t *w = xmalloc((nbudget + 1) * sizeof *w);
	money_t *parts = xmalloc((nbudget + 1) * sizeof *parts);
	const char **items = xmalloc((nbudget + 1) * sizeof *items);
	for (size_t i = 0; i < a->ninvoices; i++) {
		const struct invoice *inv = &a->invoices[i];
		for (size_t l = 0; l < inv->nlines; l++) {
			const struct invoice_line *line = &inv->lines[l];
			struct alloc_row row = {inv->period, inv->member, line->pool, NULL, 0, line->basis};
			if (line->project >= 0) {
				row.item = model->projects[line->project].id;
				row.amount = line->amount;
				fn(ctx, &row);
				continue;
			}
			size_t n = 0;
			for (size_t b = 0; b < nbudget; b++) {
				if (model->budget[b].pool == line->pool) {
					w[n] = model->budget[b].amount;
					items[n++] = model->budget[b].item;
				}
			}
			if (money_split(line->amount, w, n, parts) < 0)
				BUG("budget lines of a pool with a share add up to zero");
			for (size_t k = 0; k < n; k++) {
				row.item = items[k];
				row.amount = parts[k];
				fn(ctx, &row);
			}
		}
	}
	free(w);
	free(parts);
	free(items);
}
