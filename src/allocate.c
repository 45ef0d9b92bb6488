/* allocate.c - the cost-sharing rules of allocate.h. */
#include "allocate.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"
#include "validate.h"

const char *invoice_line_text(const struct model *model, const struct invoice_line *line)
{
	if (line->project >= 0)
		return model->projects[line->project].name;
	return model->cfg.pools[line->pool].text;
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
		if (sum->fee_users > 0)	/* else its periods wait for the counts */
			sum->fee = mul_div_round(sum->annual, 1, sum->fee_users);
	}
}

/* One split of a period: a pool's part among the members billed in it,
 * or a project's among its billed participants. A per_user pool is a
 * split without shares: each member's charge comes from its own users. */
struct split {
	uint32_t pool;
	int32_t project;	/* index into model->projects, or -1 */
	money_t base;		/* the amount split; per_user: the annual fee */
	int64_t whole;		/* the weights' sum; per_user: the pool's periods */
	size_t n;
	uint32_t *members;	/* projects: the billed participants, in member order */
	money_t *shares;	/* each one's share: of members, or of the billed */
};

static struct split *add_split(struct period_lines *pl, size_t pi, long project, money_t base,
			       int64_t whole)
{
	pl->splits = xrealloc(pl->splits, (pl->nsplits + 1) * sizeof *pl->splits);
	struct split *s = &pl->splits[pl->nsplits++];
	*s = (struct split){.pool = (uint32_t)pi, .project = (int32_t)project, .base = base,
			    .whole = whole};
	pl->max_lines++;
	return s;
}

/* Step 2 for the k-th of pool pi's periods: billed[0..n-1] are the
 * members billed, weights scratch for n. */
static void split_pool(struct period_lines *pl, size_t pi, size_t k, const size_t *billed,
		       size_t n, int64_t *weights)
{
	const struct model *model = pl->model;
	const struct pool *pool = &model->cfg.pools[pi];
	const struct pool_summary *sum = &pl->a->pools[pi];

	if (pool->method == METHOD_EQUAL || pool->method == METHOD_KEY) {
		money_t amount = period_part(sum->annual, k, pool->nperiods);
		int64_t whole = 0;
		for (size_t i = 0; i < n; i++) {
			weights[i] = pool->method == METHOD_EQUAL ? 1 : model->members[billed[i]].weights[pi];
			whole += weights[i];
		}
		struct split *s = add_split(pl, pi, -1, amount, whole);
		s->n = n;
		s->shares = xmalloc((n + 1) * sizeof *s->shares);
		if (money_split(amount, weights, n, s->shares) < 0)
			BUG("pool '%s' split over zero weight", pool->name);
		return;
	}
	if (pool->method == METHOD_PER_USER) {
		add_split(pl, pi, -1, sum->fee, (int64_t)pool->nperiods)->n = n;
		return;
	}
	/* METHOD_PROJECTS: each project on its own, among its participants by population. */
	for (size_t j = 0; j < model->nprojects; j++) {
		const struct project *pr = &model->projects[j];
		if (pr->cost == 0)
			continue;
		money_t amount = period_part(pr->cost, k, pool->nperiods);
		uint32_t *who = xmalloc((n + 1) * sizeof *who);
		size_t np = 0;
		int64_t whole = 0;
		for (size_t i = 0; i < n; i++) {
			if (!project_has_member(pr, billed[i]))
				continue;
			who[np] = (uint32_t)billed[i];
			weights[np] = model->members[billed[i]].population;
			whole += weights[np++];
		}
		struct split *s = add_split(pl, pi, (long)j, amount, whole);
		s->n = np;
		s->members = xrealloc(who, (np + 1) * sizeof *who);
		s->shares = xmalloc((np + 1) * sizeof *s->shares);
		if (money_split(amount, weights, np, s->shares) < 0)
			BUG("project '%s' split over zero population", pr->id);
	}
}

/* The splits of period, in pool and project order: a member's lines come
 * in that order. */
static void prepare_period(const struct model *model, const struct allocation *a, size_t period,
			   struct period_lines *pl)
{
	const struct config *cfg = &model->cfg;
	size_t nm = model->nmembers;
	*pl = (struct period_lines){.model = model, .a = a, .period = period};
	pl->billed_at = xmalloc((nm + 1) * sizeof *pl->billed_at);
	size_t *billed = xmalloc((nm + 1) * sizeof *billed);
	int64_t *weights = xmalloc((nm + 1) * sizeof *weights);
	size_t n = 0;
	for (size_t m = 0; m < nm; m++) {
		int active = member_billed(model, m, period);
		pl->billed_at[m] = active ? (int32_t)n : -1;
		if (active)
			billed[n++] = m;
	}
	for (size_t pi = 0; pi < cfg->npools; pi++) {
		const struct pool *pool = &cfg->pools[pi];
		for (size_t k = 0; k < pool->nperiods; k++)
			if (pool->periods[k] == period)
				split_pool(pl, pi, k, billed, n, weights);
	}
	free(billed);
	free(weights);
}

/* Where member is among a project split's members, or -1. */
static long split_slot(const struct split *s, size_t member)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->members[mid] < member)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->members[lo] == member ? (long)lo : -1;
}

static money_t lines_net(const struct invoice_line *lines, size_t n)
{
	money_t net = 0;
	for (size_t i = 0; i < n; i++)
		net += lines[i].amount;
	return net;
}

size_t period_lines_of(const struct period_lines *pl, size_t member, struct invoice_line *out)
{
	const struct model *model = pl->model;
	const struct period *p = &model->cfg.periods[pl->period];
	const struct member *mem = &model->members[member];
	if (pl->billed_at[member] < 0)
		return 0;
	size_t at = (size_t)pl->billed_at[member], n = 0;
	for (size_t i = 0; i < pl->nsplits; i++) {
		const struct split *s = &pl->splits[i];
		const struct pool *pool = &model->cfg.pools[s->pool];
		struct invoice_line *l = &out[n];
		*l = (struct invoice_line){
			.pool = s->pool, .project = s->project,
			.basis = {.method = pool->method, .factor = 1, .base = s->base, .whole = s->whole},
		};
		switch (pool->method) {
		case METHOD_EQUAL:
		case METHOD_KEY:
			l->basis.part = pool->method == METHOD_EQUAL ? 1 : mem->weights[s->pool];
			l->amount = s->shares[at];
			break;
		case METHOD_PER_USER: {
			/* round(users x fee x factor / periods); the product fits in 128 bits */
			if (p->waits_for != DATE_NONE) {	/* no counts yet */
				l->basis.part = 0;
				l->amount = 0;
				break;
			}
			if (mem->joined != DATE_NONE && mem->joined > p->count_date) {
				/* joined after the count: its users go on the next invoice */
				l->basis.part = 0;
				l->basis.factor = 0;
				l->amount = 0;
				break;
			}
			l->basis.part = model_user_count(model, member, p->count_date);
			if (mem->joined != DATE_NONE && p->invoice_date < date_add_months(mem->joined, 12))
				l->basis.factor = pool->entry_factor;
			__int128 num = (__int128)l->basis.part * s->base * l->basis.factor;
			l->amount = (money_t)((num + s->whole / 2) / s->whole);
			break;
		}
		case METHOD_PROJECTS: {
			long slot = split_slot(s, member);
			if (slot < 0)
				continue;
			l->basis.part = mem->population;
			l->amount = s->shares[slot];
			break;
		}
		}
		n++;
	}
	if (pl->check && n) {
		const struct invoice *inv = allocation_find(pl->a, pl->period, member);
		if (!inv || inv->nlines != n || inv->net != lines_net(out, n))
			BUG("the lines of '%s' in period %zu differ from the allocation", mem->id,
			    pl->period);
	}
	return n;
}

int allocate(const struct model *model, struct allocation *a)
{
	const struct config *cfg = &model->cfg;
	size_t nm = model->nmembers;
	memset(a, 0, sizeof *a);
	a->npools = cfg->npools;
	a->nperiods = cfg->nperiods;
	a->pools = xcalloc(cfg->npools, sizeof *a->pools);
	a->member_pool = xcalloc(nm * cfg->npools + 1, sizeof *a->member_pool);
	compute_fees(model, a);

	int rc = 0;
	long own = cfg->issuer.member ? model_find_member(model, cfg->issuer.member) : -1;
	for (size_t period = 0; period < cfg->nperiods; period++) {
		struct period_lines pl;
		prepare_period(model, a, period, &pl);
		struct invoice_line *lines = period_lines_buffer(&pl);
		/* room for every member: a period adds at most one invoice each */
		a->invoices = xrealloc(a->invoices, (a->ninvoices + nm + 1) * sizeof *a->invoices);
		for (size_t m = 0; m < nm; m++) {
			size_t n = period_lines_of(&pl, m, lines);
			if (n == 0)
				continue;
			for (size_t l = 0; l < n; l++) {
				a->pools[lines[l].pool].billed[period] += lines[l].amount;
				a->member_pool[m * a->npools + lines[l].pool] += lines[l].amount;
			}
			struct invoice *inv = &a->invoices[a->ninvoices++];
			*inv = (struct invoice){
				.period = (uint32_t)period,
				.member = (uint32_t)m,
				.nlines = (uint32_t)n,
				.own = (long)m == own,
				.net = lines_net(lines, n),
				.due_date = date_add_days(cfg->periods[period].invoice_date, cfg->terms_days),
			};
			inv->vat = mul_div_round(inv->net, cfg->vat_rate, 100);
			inv->total = inv->net + inv->vat;
			inv->billable = !inv->own && inv->net > 0 && cfg->periods[period].waits_for == DATE_NONE;
			if (inv->net < 0) {
				char buf[MONEY_BUFSZ];
				error_at(model->members_file, model->members[m].line,
					 "the invoice to '%s' for period '%s' would be negative (%s): an invoice cannot be (to pay a member back, credit its invoice: samfakt credit)",
					 model->members[m].id, cfg->periods[period].name,
					 money_format(inv->net, buf));
				rc = -1;
			}
		}
		free(lines);
		period_lines_release(&pl);
	}
	a->invoices = xrealloc(a->invoices, (a->ninvoices + 1) * sizeof *a->invoices);
	return rc;
}

void allocation_lines(const struct model *model, const struct allocation *a, size_t period,
		      struct period_lines *out)
{
	prepare_period(model, a, period, out);
	out->check = 1;
}

struct invoice_line *period_lines_buffer(const struct period_lines *pl)
{
	return xmalloc((pl->max_lines + 1) * sizeof(struct invoice_line));
}

void period_lines_release(struct period_lines *pl)
{
	for (size_t i = 0; i < pl->nsplits; i++) {
		free(pl->splits[i].members);
		free(pl->splits[i].shares);
	}
	free(pl->splits);
	free(pl->billed_at);
	memset(pl, 0, sizeof *pl);
}

void allocation_release(struct allocation *a)
{
	free(a->invoices);
	for (size_t i = 0; i < a->npools; i++)
		free(a->pools[i].billed);
	free(a->pools);
	free(a->member_pool);
	memset(a, 0, sizeof *a);
}

/* The index of the first invoice at or after (period, member). */
static size_t lower_bound(const struct allocation *a, size_t period, size_t member)
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
	return lo;
}

const struct invoice *allocation_period(const struct allocation *a, size_t period, size_t *n)
{
	size_t from = lower_bound(a, period, 0);
	*n = lower_bound(a, period + 1, 0) - from;
	return a->invoices + from;
}

const struct invoice *allocation_find(const struct allocation *a, size_t period, size_t member)
{
	size_t lo = lower_bound(a, period, member);
	if (lo < a->ninvoices && a->invoices[lo].period == period && a->invoices[lo].member == member)
		return &a->invoices[lo];
	return NULL;
}

money_t allocation_member_pool(const struct allocation *a, size_t member, size_t pool)
{
	return a->member_pool[member * a->npools + pool];
}

money_t allocation_member_year(const struct allocation *a, size_t member)
{
	money_t sum = 0;
	for (size_t pi = 0; pi < a->npools; pi++)
		sum += a->member_pool[member * a->npools + pi];
	return sum;
}

/* Step 3: each invoice line of a pool broken down over the pool's budget
 * lines in proportion to their amounts; a project line is one row. Made
 * when asked for, not stored: a row a member and budget line would be the
 * largest thing in memory. */
/* Scratch for the budget lines of one pool. */
struct pool_items {
	int64_t *w;
	money_t *parts;
	const char **items;
};

/* The rows of one invoice line. */
static void line_rows(const struct model *model, struct alloc_row *row,
		      const struct invoice_line *line, struct pool_items *pi, row_fn fn, void *ctx)
{
	if (line->project >= 0) {
		row->item = model->projects[line->project].id;
		row->amount = line->amount;
		fn(ctx, row);
		return;
	}
	size_t n = 0;
	for (size_t b = 0; b < model->nbudget; b++) {
		if (model->budget[b].pool == line->pool) {
			pi->w[n] = model->budget[b].amount;
			pi->items[n++] = model->budget[b].item;
		}
	}
	if (money_split(line->amount, pi->w, n, pi->parts) < 0)
		BUG("budget lines of a pool with a share add up to zero");
	for (size_t k = 0; k < n; k++) {
		row->item = pi->items[k];
		row->amount = pi->parts[k];
		fn(ctx, row);
	}
}

void allocation_rows(const struct model *model, const struct allocation *a, row_fn fn, void *ctx)
{
	size_t nb = model->nbudget + 1;
	struct pool_items pi = {xmalloc(nb * sizeof *pi.w), xmalloc(nb * sizeof *pi.parts),
				xmalloc(nb * sizeof *pi.items)};
	for (size_t p = 0; p < a->nperiods; p++) {
		struct period_lines pl;
		allocation_lines(model, a, p, &pl);
		struct invoice_line *lines = period_lines_buffer(&pl);
		for (size_t m = 0; m < model->nmembers; m++) {
			size_t n = period_lines_of(&pl, m, lines);
			for (size_t l = 0; l < n; l++) {
				struct alloc_row row = {p, m, lines[l].pool, NULL, 0, lines[l].basis};
				line_rows(model, &row, &lines[l], &pi, fn, ctx);
			}
		}
		free(lines);
		period_lines_release(&pl);
	}
	free(pi.w);
	free(pi.parts);
	free(pi.items);
}
