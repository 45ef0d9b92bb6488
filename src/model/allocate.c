/* allocate.c - the cost-sharing rules of allocate.h. */
#include "model/allocate.h"

#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/util.h"
#include "model/charge.h"

char *invoice_line_text(const struct model *model, const struct invoice_line *line)
{
	const struct charge_kind *kind = charge_kind(line->basis.method);
	if (kind->line_text)
		return kind->line_text(model, line);
	if (line->project >= 0)
		return xstrdup(model->projects[line->project].name);
	return xstrdup(model->cfg.pools[line->pool].text);
}

static money_t pool_annual(const struct model *model, size_t pi)
{
	money_t total = 0;
	if (pool_has(&model->cfg, pi, CHARGE_PROJECTS)) {
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

void allocate_prepare_equal(const struct model *model, struct allocation *a, size_t pi)
{
	const struct pool *pool = &model->cfg.pools[pi];
	struct pool_summary *sum = &a->pools[pi];
	if (pool->nperiods == 0)
		return;
	date_t first = model->cfg.periods[pool->periods[0]].invoice_date;
	for (size_t m = 0; m < model->nmembers; m++)
		sum->members += (size_t)member_active(&model->members[m], first);
	if (sum->members)
		sum->per_member = mul_div_round(sum->annual, 1, (int64_t)sum->members);
}

void allocate_prepare_per_user(const struct model *model, struct allocation *a, size_t pi)
{
	const struct pool *pool = &model->cfg.pools[pi];
	struct pool_summary *sum = &a->pools[pi];
	if (pool->annual_fee >= 0) {
		sum->fee = pool->annual_fee;
		return;
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

/* Each pool's annual amount, and what its method works out once. */
static void prepare_pools(const struct model *model, struct allocation *a)
{
	const struct config *cfg = &model->cfg;
	for (size_t pi = 0; pi < cfg->npools; pi++) {
		a->pools[pi].annual = pool_annual(model, pi);
		a->pools[pi].billed = xcalloc(cfg->nperiods, sizeof *a->pools[pi].billed);
		const struct charge_kind *kind = charge_kind(cfg->pools[pi].method);
		if (kind->prepare)
			kind->prepare(model, a, pi);
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
 * members billed, weights scratch for n. equal and key: the period's part
 * among them by weight (1 each, or the key). */
void allocate_split_weighted(struct period_lines *pl, size_t pi, size_t k, const size_t *billed,
			     size_t n, int64_t *weights)
{
	const struct model *model = pl->model;
	const struct pool *pool = &model->cfg.pools[pi];
	int keyed = pool_has(&model->cfg, pi, CHARGE_KEY);
	money_t amount = period_part(pl->a->pools[pi].annual, k, pool->nperiods);
	int64_t whole = 0;
	for (size_t i = 0; i < n; i++) {
		weights[i] = keyed ? model->members[billed[i]].weights[pi] : 1;
		whole += weights[i];
	}
	struct split *s = add_split(pl, pi, -1, amount, whole);
	s->n = n;
	s->shares = xmalloc((n + 1) * sizeof *s->shares);
	if (money_split(amount, weights, n, s->shares) < 0)
		BUG("pool '%s' split over zero weight", pool->name);
}

/* per_user: no shares; each member's charge comes from its own users. */
void allocate_split_per_user(struct period_lines *pl, size_t pi, size_t k, const size_t *billed,
			     size_t n, int64_t *weights)
{
	(void)k, (void)billed, (void)weights;
	add_split(pl, pi, -1, pl->a->pools[pi].fee, (int64_t)pl->model->cfg.pools[pi].nperiods)->n = n;
}

/* projects: each project on its own, among its participants by population. */
void allocate_split_projects(struct period_lines *pl, size_t pi, size_t k, const size_t *billed,
			     size_t n, int64_t *weights)
{
	const struct model *model = pl->model;
	const struct pool *pool = &model->cfg.pools[pi];
	for (size_t j = 0; j < model->nprojects; j++) {
		const struct project *pr = &model->projects[j];
		if (pr->cost == 0)
			continue;
		money_t amount = period_part(pr->cost, k, pool->nperiods);
		uint32_t *who = xmalloc((n + 1) * sizeof *who);
		size_t np = 0;
		int64_t whole = 0;
		for (size_t i = 0; i < n; i++) {
			if (!project_takes_part(model, pr, billed[i], pl->period))
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

/* ---- buy-ins (step 2b) ------------------------------------------------------ */

struct ledger_state {		/* one project's costs billed so far, and who paid them */
	money_t billed;		/* C */
	money_t *paid;		/* per slot of the project's participants */
	unsigned char *counted;	/* per slot: among the participants before a joiner */
};

static void add_move(struct allocation *a, size_t *cap, size_t period, size_t member, size_t project,
		     struct basis basis, money_t amount)
{
	GROW(a->moves, *cap, a->nmoves + 1);
	a->moves[a->nmoves++] = (struct project_move){
		.period = (uint32_t)period, .member = (uint32_t)member, .project = (int32_t)project,
		.basis = basis, .amount = amount,
	};
}

/* Member in slot js of project j joins in period: its buy-in and the
 * credits to the participants before it. */
static void buy_in(const struct model *model, struct allocation *a, size_t *cap, size_t j,
		   size_t js, size_t period, struct ledger_state *st)
{
	const struct project *pr = &model->projects[j];
	size_t n = pr->nparticipants, k = 0;
	int64_t *w = xmalloc((n + 1) * sizeof *w);
	money_t *target = xmalloc((n + 1) * sizeof *target), *credit = xmalloc((n + 1) * sizeof *credit);
	size_t *slot = xmalloc((n + 1) * sizeof *slot);
	int64_t before = 0;
	for (size_t s = 0; s < n; s++) {
		/* the participants before it: those who have paid and still
		   take part (one that left gets nothing back) */
		if (s != js && (!st->counted[s] || !project_takes_part(model, pr, pr->participants[s], period)))
			continue;
		slot[k] = s;
		w[k++] = model->members[pr->participants[s]].population;
		if (s != js)
			before += model->members[pr->participants[s]].population;
	}
	if (st->billed > 0 && before > 0 && k > 1 && money_split(st->billed, w, k, target) == 0) {
		size_t at = 0;
		for (size_t i = 0; i < k; i++)
			if (slot[i] == js)
				at = i;
		money_t price = target[at];
		/* what each earlier one has paid beyond its new share, in proportion */
		int64_t over = 0;
		for (size_t i = 0; i < k; i++) {
			int64_t o = slot[i] == js ? 0 : st->paid[slot[i]] - target[i];
			over += w[i] = o > 0 ? o : 0;
		}
		if (over == 0)	/* nobody has paid beyond its share: by population */
			for (size_t i = 0; i < k; i++)
				w[i] = slot[i] == js ? 0 : model->members[pr->participants[slot[i]]].population;
		if (price > 0 && money_split(price, w, k, credit) == 0) {
			date_t joined = pr->stints[js].joined;
			add_move(a, cap, period, pr->participants[js], j,
				 (struct basis){.method = METHOD_BUYIN, .factor = 1, .base = st->billed,
						.part = model->members[pr->participants[js]].population,
						.whole = before + model->members[pr->participants[js]].population,
						.joined = joined, .joiner = -1},
				 price);
			st->paid[js] += price;
			for (size_t i = 0; i < k; i++) {
				if (slot[i] == js || credit[i] == 0)
					continue;
				add_move(a, cap, period, pr->participants[slot[i]], j,
					 (struct basis){.method = METHOD_CREDIT, .factor = 1, .base = price,
							.part = model->members[pr->participants[slot[i]]].population,
							.whole = before, .joined = joined,
							.joiner = (int32_t)pr->participants[js]},
					 -credit[i]);
				st->paid[slot[i]] -= credit[i];
			}
		}
	}
	st->counted[js] = 1;
	free(w);
	free(target);
	free(credit);
	free(slot);
}

int move_credits(const struct project_move *move, const struct project_move *buy_in)
{
	return move->basis.method == METHOD_CREDIT && move->project == buy_in->project &&
	       move->period == buy_in->period && move->basis.joiner == (int32_t)buy_in->member;
}

static int compare_moves(const void *x, const void *y)
{
	const struct project_move *a = x, *b = y;
	if (a->period != b->period)
		return a->period < b->period ? -1 : 1;
	if (a->member != b->member)
		return a->member < b->member ? -1 : 1;
	int as = a->basis.method == METHOD_SETTLEMENT, bs = b->basis.method == METHOD_SETTLEMENT;
	if (as || bs)	/* settlements last, in the order carried */
		return as != bs ? as - bs : (a->basis.joiner > b->basis.joiner) - (a->basis.joiner < b->basis.joiner);
	if (a->project != b->project)
		return a->project < b->project ? -1 : 1;
	if (a->basis.method != b->basis.method)	/* a buy-in before credits */
		return a->basis.method == METHOD_BUYIN ? -1 : 1;
	if (a->basis.joined != b->basis.joined)
		return a->basis.joined < b->basis.joined ? -1 : 1;
	return (a->basis.joiner > b->basis.joiner) - (a->basis.joiner < b->basis.joiner);
}

/* Which member buys in next in period: the earliest joined of those who
 * take part in it for the first time and buy in; -1 when none is left. */
static long next_joiner(const struct model *model, const struct project *pr, size_t period,
			const unsigned char *counted)
{
	long best = -1;
	for (size_t s = 0; s < pr->nparticipants; s++) {
		if (counted[s] || !project_buys_in(model, pr, s) ||
		    !project_takes_part(model, pr, pr->participants[s], period))
			continue;
		if (best < 0 || pr->stints[s].joined < pr->stints[best].joined)
			best = (long)s;
	}
	return best;
}

/* Every buy-in and credit of the year, going through the projects pool's
 * periods in date order the way its invoices do. */
static void schedule_buy_ins(const struct model *model, struct allocation *a)
{
	const struct config *cfg = &model->cfg;
	long pi = pool_with(cfg, CHARGE_PROJECTS);
	if (pi < 0)
		return;
	const struct pool *pool = &cfg->pools[pi];
	size_t cap = 0;
	for (size_t j = 0; j < model->nprojects; j++) {
		const struct project *pr = &model->projects[j];
		size_t n = pr->nparticipants, joiners = 0;
		for (size_t s = 0; s < n; s++)
			joiners += (size_t)project_buys_in(model, pr, s);
		if (joiners == 0 || pool->nperiods == 0)
			continue;
		struct ledger_state st = {pr->previous_cost, xcalloc(n + 1, sizeof *st.paid),
					  xcalloc(n + 1, 1)};
		int64_t *w = xmalloc((n + 1) * sizeof *w);
		money_t *share = xmalloc((n + 1) * sizeof *share);
		size_t *slot = xmalloc((n + 1) * sizeof *slot);
		/* previous_cost: paid by those in it when the year begins, by population */
		size_t k = 0, first = pool->periods[0];
		for (size_t s = 0; s < n; s++) {
			if (project_buys_in(model, pr, s) || !project_takes_part(model, pr, pr->participants[s], first))
				continue;
			slot[k] = s;
			w[k++] = model->members[pr->participants[s]].population;
		}
		if (money_split(pr->previous_cost, w, k, share) == 0)
			for (size_t i = 0; i < k; i++) {
				st.paid[slot[i]] = share[i];
				st.counted[slot[i]] = 1;
			}
		for (size_t pk = 0; pk < pool->nperiods; pk++) {
			size_t period = pool->periods[pk];
			for (long js; (js = next_joiner(model, pr, period, st.counted)) >= 0;)
				buy_in(model, a, &cap, j, (size_t)js, period, &st);
			/* the period's part, shared as allocate_split_projects shares it */
			money_t part = period_part(pr->cost, pk, pool->nperiods);
			k = 0;
			for (size_t s = 0; s < n; s++) {
				if (!project_takes_part(model, pr, pr->participants[s], period))
					continue;
				slot[k] = s;
				w[k++] = model->members[pr->participants[s]].population;
				st.counted[s] = 1;
			}
			if (part > 0 && money_split(part, w, k, share) == 0) {
				for (size_t i = 0; i < k; i++)
					st.paid[slot[i]] += share[i];
				st.billed += part;
			}
		}
		free(st.paid);
		free(st.counted);
		free(w);
		free(share);
		free(slot);
	}
	if (a->nmoves)
		qsort(a->moves, a->nmoves, sizeof *a->moves, compare_moves);
}

/* The moves of member in period: *n of them, from the returned one. */
static const struct project_move *member_moves(const struct allocation *a, size_t period,
					       size_t member, size_t *n)
{
	*n = 0;
	if (a->nmoves == 0)	/* no moves: a->moves is NULL, not to be offset */
		return NULL;
	size_t lo = 0, hi = a->nmoves;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct project_move *m = &a->moves[mid];
		if (m->period < period || (m->period == period && m->member < member))
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < a->nmoves && a->moves[end].period == period && a->moves[end].member == member)
		end++;
	*n = end - lo;
	return a->moves + lo;
}

/* The splits of period, in pool and project order: a member's lines come
 * in that order. */
static void prepare_period(const struct model *model, const struct allocation *a, size_t period,
			   struct period_lines *pl)
{
	const struct config *cfg = &model->cfg;
	size_t nm = model->nmembers;
	*pl = (struct period_lines){.model = model, .a = a, .period = period};
	long projects = pool_with(cfg, CHARGE_PROJECTS);
	pl->projects_pool = projects < 0 ? 0 : (uint32_t)projects;
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
				charge_kind(pool->method)->split(pl, pi, k, billed, n, weights);
	}
	size_t most = 0;	/* the most buy-ins and credits a member has in the period */
	for (size_t i = 0, run = 0; i < a->nmoves; i++) {
		const struct project_move *mv = &a->moves[i];
		run = i > 0 && mv->period == mv[-1].period && mv->member == mv[-1].member ? run + 1 : 1;
		if (mv->period == period && run > most)
			most = run;
	}
	pl->max_lines += most;
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

static int has_credit(const struct invoice_line *lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lines[i].basis.method == METHOD_CREDIT)
			return 1;
	return 0;
}

static money_t lines_net(const struct invoice_line *lines, size_t n)
{
	money_t net = 0;
	for (size_t i = 0; i < n; i++)
		net += lines[i].amount;
	return net;
}

/* equal and key: the member's share of the split, by its weight. */
int allocate_line_weighted(const struct period_lines *pl, const struct split *s, size_t member,
			   struct invoice_line *l)
{
	int keyed = pool_has(&pl->model->cfg, s->pool, CHARGE_KEY);
	l->basis.part = keyed ? pl->model->members[member].weights[s->pool] : 1;
	l->amount = s->shares[pl->billed_at[member]];
	return 1;
}

/* per_user: round(users x fee x factor / periods); the product fits in 128 bits. */
int allocate_line_per_user(const struct period_lines *pl, const struct split *s, size_t member,
			   struct invoice_line *l)
{
	const struct model *model = pl->model;
	const struct period *p = &model->cfg.periods[pl->period];
	const struct member *mem = &model->members[member];
	const struct pool *pool = &model->cfg.pools[s->pool];
	if (p->waits_for != DATE_NONE) {	/* no counts yet */
		l->basis.part = 0;
		l->amount = 0;
		return 1;
	}
	if (mem->joined != DATE_NONE && mem->joined > p->count_date) {
		/* joined after the count: its users go on the next invoice */
		l->basis.part = 0;
		l->basis.factor = 0;
		l->amount = 0;
		return 1;
	}
	l->basis.part = model_user_count(model, member, p->count_date);
	l->basis.joined = p->count_date;	/* where the users come from */
	if (mem->joined != DATE_NONE && p->invoice_date < date_add_months(mem->joined, 12))
		l->basis.factor = pool->entry_factor;
	__int128 num = (__int128)l->basis.part * s->base * l->basis.factor;
	l->amount = (money_t)((num + s->whole / 2) / s->whole);
	return 1;
}

/* projects: the participant's share of its project's split; none for
 * a member that is not taking part. */
int allocate_line_project(const struct period_lines *pl, const struct split *s, size_t member,
			  struct invoice_line *l)
{
	long slot = split_slot(s, member);
	if (slot < 0)
		return 0;
	l->basis.part = pl->model->members[member].population;
	l->amount = s->shares[slot];
	return 1;
}

size_t period_lines_of(const struct period_lines *pl, size_t member, struct invoice_line *out)
{
	const struct model *model = pl->model;
	if (pl->billed_at[member] < 0)
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < pl->nsplits; i++) {
		const struct split *s = &pl->splits[i];
		const struct pool *pool = &model->cfg.pools[s->pool];
		struct invoice_line *l = &out[n];
		*l = (struct invoice_line){
			.pool = s->pool, .project = s->project,
			.basis = {.method = pool->method, .factor = 1, .base = s->base, .whole = s->whole,
				  .joiner = -1},
		};
		n += (size_t)charge_kind(pool->method)->line(pl, s, member, l);
	}
	size_t nmoves;
	const struct project_move *mv = member_moves(pl->a, pl->period, member, &nmoves);
	for (size_t i = 0; i < nmoves; i++)
		out[n++] = (struct invoice_line){
			.pool = mv[i].basis.method == METHOD_SETTLEMENT ? mv[i].pool : pl->projects_pool,
			.project = mv[i].project, .basis = mv[i].basis, .amount = mv[i].amount};
	if (pl->check && n) {
		const struct invoice *inv = allocation_find(pl->a, pl->period, member);
		if (!inv || inv->nlines != n || inv->net != lines_net(out, n))
			BUG("the lines of '%s' in period %zu differ from the allocation",
			    model->members[member].id, pl->period);
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
	prepare_pools(model, a);
	schedule_buy_ins(model, a);

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
			/* credits of buy-ins beyond the invoice: a credit note */
			inv->credit_note = inv->net < 0;
			inv->billable = !inv->own && inv->net != 0 && cfg->periods[period].waits_for == DATE_NONE;
			if (inv->net < 0 && !has_credit(lines, n)) {
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

int allocation_carry(const struct model *model, struct allocation *a)
{
	const struct config *cfg = &model->cfg;
	int rc = 0;
	if (model->ncarries == 0)
		return 0;
	a->moves = xrealloc(a->moves, (a->nmoves + model->ncarries) * sizeof *a->moves);
	for (size_t i = 0; i < model->ncarries; i++) {
		const struct carry *c = &model->carries[i];
		struct invoice *inv = (struct invoice *)allocation_find(a, c->period, c->member);
		char buf[MONEY_BUFSZ];
		if (!inv || inv->own) {
			error_at(cfg->path, cfg->periods[c->period].line,
				 "%d's settlement with '%s' (statement %s) goes on its invoice for period '%s', but it has none: settle it by hand",
				 c->year, model->members[c->member].id, c->statement, cfg->periods[c->period].name);
			rc = -1;
			continue;
		}
		a->moves[a->nmoves++] = (struct project_move){
			.period = (uint32_t)c->period, .member = (uint32_t)c->member, .project = -1,
			.pool = (uint32_t)c->pool,
			.basis = {.method = METHOD_SETTLEMENT, .factor = c->year, .base = c->actual,
				  .part = c->billed, .whole = 0, .joiner = (int32_t)i},
			.amount = c->amount,
		};
		inv->nlines++;
		inv->net += c->amount;
		inv->vat = mul_div_round(inv->net, cfg->vat_rate, 100);
		inv->total = inv->net + inv->vat;
		inv->billable = inv->net != 0 && cfg->periods[c->period].waits_for == DATE_NONE;
		if (inv->net < 0) {
			error_at(cfg->path, cfg->periods[c->period].line,
				 "%d's settlement with '%s' (statement %s: %s) would make its invoice for period '%s' negative (%s): settle it by hand, or bring the outcome's statement onto a later invoice",
				 c->year, model->members[c->member].id, c->statement, money_format(c->amount, buf),
				 cfg->periods[c->period].name, money_format(inv->net, buf));
			rc = -1;
		}
	}
	qsort(a->moves, a->nmoves, sizeof *a->moves, compare_moves);
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
	free(a->moves);
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
	if (line->basis.method == METHOD_SETTLEMENT) {	/* last year's: no budget line of this */
		row->item = model->carries[line->basis.joiner].statement;
		row->amount = line->amount;
		fn(ctx, row);
		return;
	}
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
				struct alloc_row row = {p, m, lines[l].pool, NULL, 0, lines[l].basis, lines[l].amount};
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
