/* allocate.c - the cost-sharing rules of allocate.h. */
#include "allocate.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"
#include "validate.h"

struct builder {
	const struct model *model;
	const struct allocation *a;	/* the fees and annual amounts */
	struct allocation *sums;	/* the allocation being made, whose totals the lines
					   add to; NULL when lines are made again */
	size_t period;
	/* scratch, one slot per member */
	size_t *billed;
	int64_t *weights;
	money_t *shares;
	/* Lines are made in two passes over the same rules: the first counts
	 * each member's lines (lines is NULL), the second puts them in place,
	 * next[m] being where member m's next line goes. */
	size_t *next;
	struct invoice_line *lines;
};

static void add_line(struct builder *b, size_t member, size_t pool, long project,
		     money_t amount, const struct basis *basis)
{
	if (!b->lines) {
		b->next[member]++;
		return;
	}
	struct invoice_line *l = &b->lines[b->next[member]++];
	l->pool = (uint32_t)pool;
	l->project = (int32_t)project;
	l->amount = amount;
	l->basis = *basis;
	if (b->sums) {
		b->sums->pools[pool].billed[b->period] += amount;
		b->sums->member_pool[member * b->sums->npools + pool] += amount;
	}
}

const char *invoice_line_text(const struct model *model, const struct invoice_line *line)
{
	if (line->project >= 0)
		return model->projects[line->project].name;
	return model->cfg.pools[line->pool].text;
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
	const struct pool_summary *sum = &b->a->pools[pi];
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
			add_line(b, b->billed[i], pi, -1, b->shares[i], &basis);
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
			add_line(b, b->billed[i], pi, -1, charge, &basis);
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
			add_line(b, who[i], pi, (long)j, b->shares[i], &basis);
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

/* Make the lines of period into pl (see struct builder). */
static void build_period(struct builder *b, size_t period, struct period_lines *pl)
{
	const struct config *cfg = &b->model->cfg;
	size_t nm = b->model->nmembers;
	b->period = period;
	pl->period = period;
	pl->first = xcalloc(nm + 1, sizeof *pl->first);
	b->lines = NULL;
	for (int pass = 0; pass < 2; pass++) {
		memcpy(b->next, pl->first, nm * sizeof *b->next);
		for (size_t pi = 0; pi < cfg->npools; pi++) {
			const struct pool *pool = &cfg->pools[pi];
			for (size_t k = 0; k < pool->nperiods; k++)
				if (pool->periods[k] == period)
					split_pool(b, period, pi, k);
		}
		if (pass == 0) {
			/* counts to offsets: first[m] = lines of the members before m */
			size_t total = 0;
			for (size_t m = 0; m < nm; m++) {
				size_t count = b->next[m];
				pl->first[m] = total;
				total += count;
			}
			pl->first[nm] = total;
			pl->lines = xmalloc((total + 1) * sizeof *pl->lines);
			b->lines = pl->lines;
		}
	}
}

static void builder_init(struct builder *b, const struct model *model, const struct allocation *a)
{
	size_t nm = model->nmembers;
	*b = (struct builder){
		.model = model,
		.a = a,
		.billed = xcalloc(nm + 1, sizeof *b->billed),
		.weights = xcalloc(nm + 1, sizeof *b->weights),
		.shares = xcalloc(nm + 1, sizeof *b->shares),
		.next = xcalloc(nm + 1, sizeof *b->next),
	};
}

static void builder_release(struct builder *b)
{
	free(b->billed);
	free(b->weights);
	free(b->shares);
	free(b->next);
}

static money_t lines_net(const struct invoice_line *lines, size_t n)
{
	money_t net = 0;
	for (size_t i = 0; i < n; i++)
		net += lines[i].amount;
	return net;
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

	struct builder b;
	builder_init(&b, model, a);
	b.sums = a;
	int rc = 0;
	long own = cfg->issuer.member ? model_find_member(model, cfg->issuer.member) : -1;

	for (size_t period = 0; period < cfg->nperiods; period++) {
		struct period_lines pl;
		build_period(&b, period, &pl);
		/* room for every member: a period adds at most one invoice each */
		a->invoices = xrealloc(a->invoices, (a->ninvoices + nm + 1) * sizeof *a->invoices);
		for (size_t m = 0; m < nm; m++) {
			size_t n;
			const struct invoice_line *lines = period_lines_of(&pl, m, &n);
			if (n == 0)
				continue;
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
			inv->billable = !inv->own && inv->net > 0;
			if (inv->net < 0) {
				char buf[MONEY_BUFSZ];
				error_at(model->members_file, model->members[m].line,
					 "the invoice to '%s' for period '%s' would be negative (%s): credit notes are not supported",
					 model->members[m].id, cfg->periods[period].name,
					 money_format(inv->net, buf));
				rc = -1;
			}
		}
		period_lines_release(&pl);
	}
	a->invoices = xrealloc(a->invoices, (a->ninvoices + 1) * sizeof *a->invoices);
	builder_release(&b);
	return rc;
}

void allocation_lines(const struct model *model, const struct allocation *a, size_t period,
		      struct period_lines *out)
{
	struct builder b;
	builder_init(&b, model, a);
	build_period(&b, period, out);
	builder_release(&b);
	for (size_t m = 0; m < model->nmembers; m++) {
		size_t n;
		const struct invoice_line *lines = period_lines_of(out, m, &n);
		const struct invoice *inv = n ? allocation_find(a, period, m) : NULL;
		if (n && (!inv || inv->nlines != n || inv->net != lines_net(lines, n)))
			BUG("the lines of '%s' in period %zu differ from the allocation",
			    model->members[m].id, period);
	}
}

void period_lines_release(struct period_lines *pl)
{
	free(pl->first);
	free(pl->lines);
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
void allocation_rows(const struct model *model, const struct allocation *a, row_fn fn, void *ctx)
{
	size_t nbudget = model->nbudget;
	int64_t *w = xmalloc((nbudget + 1) * sizeof *w);
	money_t *parts = xmalloc((nbudget + 1) * sizeof *parts);
	const char **items = xmalloc((nbudget + 1) * sizeof *items);
	for (size_t p = 0; p < a->nperiods; p++) {
		struct period_lines pl;
		allocation_lines(model, a, p, &pl);
		size_t m = 0;
		for (size_t l = 0; l < pl.first[model->nmembers]; l++) {
			while (pl.first[m + 1] <= l)	/* the member whose lines these are */
				m++;
			const struct invoice_line *line = &pl.lines[l];
			struct alloc_row row = {p, m, line->pool, NULL, 0, line->basis};
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
		period_lines_release(&pl);
	}
	free(w);
	free(parts);
	free(items);
}
