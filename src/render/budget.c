/* budget.c - the budget summary, laid out with layout.c. */
#include "render/budget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "model/charge.h"
#include "model/format.h"
#include "render/grid.h"
#include "render/layout.h"

static char *periods_text(const struct config *cfg, const struct pool *pool)
{
	struct strbuf sb = {0};
	for (size_t k = 0; k < pool->nperiods; k++)
		sb_addf(&sb, "%s%s", k ? ", " : "", cfg->periods[pool->periods[k]].name);
	return sb.buf;
}

static void summary(struct layout *lo, const struct model *model, const struct allocation *a)
{
	const struct config *cfg = &model->cfg;
	static const char *const head[] = {"Kostnadspool", "Fördelning", "Perioder", "Belopp"};
	static const enum align align[] = {ALIGN_LEFT, ALIGN_LEFT, ALIGN_LEFT, ALIGN_RIGHT};
	struct grid g;
	grid_init(&g, 4, head, align);
	money_t total = 0;
	for (size_t pi = 0; pi < cfg->npools; pi++) {
		const struct pool *pool = &cfg->pools[pi];
		grid_add(&g, pool->text);
		grid_add(&g, method_swedish(pool->method));
		char *p = periods_text(cfg, pool);
		grid_add(&g, p);
		free(p);
		grid_addf_money(&g, a->pools[pi].annual);
		total += a->pools[pi].annual;
	}
	grid_add(&g, "Summa");
	grid_add(&g, "");
	grid_add(&g, "");
	grid_addf_money(&g, total);
	grid_draw(lo, &g, 1);
}

static void budget_lines(struct layout *lo, const struct model *model, size_t pi)
{
	static const char *const head[] = {"Budgetpost", "Belopp"};
	static const enum align align[] = {ALIGN_LEFT, ALIGN_RIGHT};
	struct grid g;
	grid_init(&g, 2, head, align);
	money_t total = 0;
	for (size_t b = 0; b < model->nbudget; b++) {
		if (model->budget[b].pool != pi)
			continue;
		grid_add(&g, model->budget[b].item);
		grid_addf_money(&g, model->budget[b].amount);
		total += model->budget[b].amount;
	}
	grid_add(&g, "Summa");
	grid_addf_money(&g, total);
	grid_draw(lo, &g, 1);
}

void budget_summary_equal(struct layout *lo, const struct model *model, const struct allocation *a,
			  size_t pi)
{
	const struct pool_summary *s = &a->pools[pi];
	char buf[512], n[MONEY_BUFSZ];
	(void)model;
	snprintf(buf, sizeof buf, "Belopp per medlem: %s för %zu medlemmar.", money_format(s->per_member, n),
		 s->members);
	para(lo, buf);
}

void budget_summary_key(struct layout *lo, const struct model *model, const struct allocation *a,
			size_t pi)
{
	char buf[512];
	snprintf(buf, sizeof buf, "Fördelningsnyckel %s: varje medlems tal av summan av talen.", model->cfg.pools[pi].key);
	para(lo, buf);
	static const char *const head[] = {"Medlem", "Nyckel", "Andel", "Belopp för året"};
	static const enum align align[] = {ALIGN_LEFT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT};
	struct grid g;
	grid_init(&g, 4, head, align);
	int64_t weights = 0;
	money_t total = 0;
	for (size_t m = 0; m < model->nmembers; m++) {
		weights += model->members[m].weights[pi];
		total += allocation_member_pool(a, m, pi);
	}
	for (size_t m = 0; m < model->nmembers; m++) {
		char w[FORMAT_BUFSZ];
		int64_t weight = model->members[m].weights[pi];
		grid_add(&g, model->members[m].name);
		grid_add(&g, format_weight(weight, ',', w));
		/* the share it pays, from the allocation: a member who is not
		 * billed all year pays less than its key's share of the keys */
		grid_add(&g, format_percent(allocation_member_pool(a, m, pi), a->pools[pi].annual, w));
		grid_addf_money(&g, allocation_member_pool(a, m, pi));
	}
	char w[FORMAT_BUFSZ], pct[FORMAT_BUFSZ];
	grid_add(&g, "Summa");
	grid_add(&g, format_weight(weights, ',', w));
	grid_add(&g, format_percent(total, a->pools[pi].annual, pct));
	grid_addf_money(&g, total);
	grid_draw(lo, &g, 1);
}

void budget_summary_per_user(struct layout *lo, const struct model *model,
			     const struct allocation *a, size_t pi)
{
	const struct config *cfg = &model->cfg;
	const struct pool *pool = &cfg->pools[pi];
	const struct pool_summary *s = &a->pools[pi];
	char buf[512], m1[MONEY_BUFSZ], m2[MONEY_BUFSZ], d[DATE_BUFSZ], n[FORMAT_BUFSZ];
	if (s->fee_users)
		snprintf(buf, sizeof buf, "Årsavgift per användare: %s (budgeten %s delad med %s användare den %s).",
			 money_format(s->fee, m1), money_format(s->annual, m2), format_count(s->fee_users, n),
			 date_format(pool->fee_date, d));
	else
		snprintf(buf, sizeof buf, "Årsavgift per användare: %s (fast avgift).", money_format(s->fee, m1));
	para(lo, buf);
	if (pool->entry_factor != 1) {
		snprintf(buf, sizeof buf, "En ny medlem betalar %d gånger avgiften under sina första 12 månader.",
			 pool->entry_factor);
		para(lo, buf);
	}

	const char *head[16] = {"Medlem"};
	enum align align[16] = {ALIGN_LEFT};
	size_t nc = 1;
	char *labels[16] = {0};
	size_t shown = pool->nperiods < 14 ? pool->nperiods : 14;	/* count columns */
	for (size_t k = 0; k < shown; k++, nc++) {
		const struct period *p = &cfg->periods[pool->periods[k]];
		labels[nc] = xasprintf("Användare %s", date_format(p->count_date, d));
		head[nc] = labels[nc];
		align[nc] = ALIGN_RIGHT;
	}
	head[nc] = "Belopp för året";
	align[nc++] = ALIGN_RIGHT;
	struct grid g;
	grid_init(&g, nc, head, align);
	money_t income = 0;
	for (size_t m = 0; m < model->nmembers; m++) {
		grid_add(&g, model->members[m].name);
		for (size_t k = 0; k < shown; k++) {
			const struct period *p = &cfg->periods[pool->periods[k]];
			int64_t u = member_active(&model->members[m], p->invoice_date)
					    ? model_user_count(model, m, p->count_date) : -1;
			grid_add(&g, u < 0 ? "–" : format_count(u, n));
		}
		money_t year = allocation_member_pool(a, m, pi);
		income += year;
		grid_addf_money(&g, year);
	}
	grid_draw(lo, &g, 0);
	for (size_t c = 1; c < 16; c++)
		free(labels[c]);
	/* Periods still waiting for their counts are not in the year yet. */
	struct strbuf waiting = {0};
	for (size_t k = 0; k < pool->nperiods; k++) {
		const struct period *p = &cfg->periods[pool->periods[k]];
		if (p->waits_for != DATE_NONE)
			sb_addf(&waiting, "%s%s (antalet användare %s)", waiting.len ? ", " : "", p->name,
				date_format(p->waits_for, d));
	}
	if (waiting.len) {
		snprintf(buf, sizeof buf, "Intäkter hittills %s av budgeten %s: %s väntar på räkningen och ingår inte ännu.",
			 money_format(income, m1), money_format(s->annual, m2), waiting.buf);
	} else {
		snprintf(buf, sizeof buf, "Förväntade intäkter %s mot budgeten %s: %s %s. Antalet användare ändras mellan räknedagarna.",
			 money_format(income, m1), money_format(s->annual, m2),
			 income >= s->annual ? "överskott" : "underskott",
			 money_format(income >= s->annual ? income - s->annual : s->annual - income, n));
	}
	sb_release(&waiting);
	para(lo, buf);
}

/* What each participant pays over the year towards each project (buy-ins
 * and credits included), and its population share in the last period it
 * shares the project's costs (the basis the allocation used), from one
 * pass over each period's lines; by project_slot. */
struct project_year {
	money_t *amount;
	int64_t *part, *whole;	/* whole 0: it shares none of this year's costs */
};

static struct project_year *projects_year(const struct model *model, const struct allocation *a)
{
	struct project_year *year = xcalloc(model->nprojects + 1, sizeof *year);
	for (size_t j = 0; j < model->nprojects; j++) {
		size_t n = model->projects[j].nparticipants + 1;
		year[j] = (struct project_year){xcalloc(n, sizeof(money_t)), xcalloc(n, sizeof(int64_t)),
						xcalloc(n, sizeof(int64_t))};
	}
	for (size_t p = 0; p < a->nperiods; p++) {
		struct period_lines pl;
		allocation_lines(model, a, p, &pl);
		struct invoice_line *lines = period_lines_buffer(&pl);
		for (size_t m = 0; m < model->nmembers; m++) {
			size_t n = period_lines_of(&pl, m, lines);
			for (size_t l = 0; l < n; l++) {
				if (lines[l].project < 0)
					continue;
				struct project_year *y = &year[lines[l].project];
				long slot = project_slot(&model->projects[lines[l].project], m);
				y->amount[slot] += lines[l].amount;
				if (lines[l].basis.method == METHOD_PROJECTS) {	/* the latest */
					y->part[slot] = lines[l].basis.part;
					y->whole[slot] = lines[l].basis.whole;
				}
			}
		}
		free(lines);
		period_lines_release(&pl);
	}
	return year;
}

static void projects_year_release(struct project_year *year, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		free(year[j].amount);
		free(year[j].part);
		free(year[j].whole);
	}
	free(year);
}

/* When a participant takes part: "2026-03-01 – 2026-09-01", "från
 * 2026-03-01", "till 2026-09-01", or "från start". */
static void stint_text(const struct stint *st, char *buf, size_t size)
{
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	if (st->joined != DATE_NONE && st->left != DATE_NONE)
		snprintf(buf, size, "%s – %s", date_format(st->joined, d1), date_format(st->left, d2));
	else if (st->joined != DATE_NONE)
		snprintf(buf, size, "från %s", date_format(st->joined, d1));
	else if (st->left != DATE_NONE)
		snprintf(buf, size, "till %s", date_format(st->left, d2));
	else
		snprintf(buf, size, "från start");
}

/* One table of participants of pr: population, share, and what they pay
 * over the year towards the projects selected by `in` (buy-ins and
 * credits included); a project from participations.csv also says when
 * each takes part. */
static void participants_table(struct layout *lo, const struct model *model,
			       const struct project *pr, const struct project_year *year, const char *in)
{
	static const char *const head[] = {"Deltagare", "Deltar", "Invånare", "Andel", "Belopp för året"};
	static const enum align align[] = {ALIGN_LEFT, ALIGN_LEFT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT};
	int dated = pr->dated;
	size_t first = (size_t)(pr - model->projects);	/* the project whose shares are shown */
	int64_t population = 0;
	money_t total = 0;
	struct grid g;
	grid_init(&g, dated ? 5 : 4, dated ? head : (const char *const[]){head[0], head[2], head[3], head[4]},
		  dated ? align : (const enum align[]){align[0], align[2], align[3], align[4]});
	for (size_t mi = 0; mi < model->nmembers; mi++) {
		long slot = project_slot(pr, mi);
		if (slot < 0)
			continue;
		char n[FORMAT_BUFSZ], share[FORMAT_BUFSZ], when[64];
		money_t sum = 0;
		for (size_t j = 0; j < model->nprojects; j++) {
			long at = in[j] ? project_slot(&model->projects[j], mi) : -1;
			if (at >= 0)
				sum += year[j].amount[at];
		}
		grid_add(&g, model->members[mi].name);
		if (dated) {
			stint_text(&pr->stints[slot], when, sizeof when);
			grid_add(&g, when);
		}
		grid_add(&g, format_count(model->members[mi].population, n));
		grid_add(&g, format_percent(year[first].part[slot], year[first].whole[slot], share));
		grid_addf_money(&g, sum);
		population += model->members[mi].population;
		total += sum;
	}
	char n[FORMAT_BUFSZ];
	grid_add(&g, "Summa");
	if (dated)
		grid_add(&g, "");
	grid_add(&g, format_count(population, n));
	grid_add(&g, "");
	grid_addf_money(&g, total);
	grid_draw(lo, &g, 1);
}

/* The buy-ins of project j this year, each with its credits, from the
 * allocation: a paragraph each. */
static void buy_ins_text(struct layout *lo, const struct model *model, const struct allocation *a,
			 size_t j)
{
	const struct config *cfg = &model->cfg;
	for (size_t i = 0; i < a->nmoves; i++) {
		const struct project_move *b = &a->moves[i];
		if (b->project != (int32_t)j || b->basis.method != METHOD_BUYIN)
			continue;
		struct strbuf sb = {0};
		char m[MONEY_BUFSZ], c[MONEY_BUFSZ], x[FORMAT_BUFSZ], y[FORMAT_BUFSZ], d[DATE_BUFSZ];
		sb_addf(&sb, "%s går med %s och köper in sig på fakturan för %s: %s (invånare %s av %s × %s, projektets kostnader före inträdet%s). Återbetalas:",
			model->members[b->member].name, date_format(b->basis.joined, d),
			cfg->periods[b->period].name, money_format(b->amount, m),
			format_count(b->basis.part, x), format_count(b->basis.whole, y),
			money_format(b->basis.base, c),
			basis_gives(&b->basis, b->amount) ? "" : "; avrundat till öre enligt största rest");
		size_t n = 0;
		for (size_t k = 0; k < a->nmoves; k++) {
			const struct project_move *cr = &a->moves[k];
			if (!move_credits(cr, b))
				continue;
			sb_addf(&sb, "%s %s %s", n++ ? "," : "", model->members[cr->member].name,
				money_format(-cr->amount, m));
		}
		sb_adds(&sb, ".");
		para(lo, sb.buf);
		sb_release(&sb);
	}
}

/* The members table, a row a member: its cells are made as the layout
 * asks for them, from the allocation, not kept (10 cells a member). */
struct member_rows {
	const struct model *model;
	const struct allocation *a;
	size_t first_period_col;	/* columns: name, pools, year, then the periods */
	const struct issued *issued;	/* may be NULL */
	money_t *col;			/* the totals row */
	char *name;			/* the last name made, when it was made */
	char buf[MONEY_BUFSZ];
	struct run run;
	struct table_cell cell;
};

/* The amount in column c (c >= 1) of member mi's row; *none (may be NULL)
 * tells that the member has no invoice for that column's period. An
 * issued period shows what was issued; the host's own share is no invoice. */
static money_t member_value(const struct member_rows *mr, size_t mi, size_t c, int *none)
{
	if (none)
		*none = 0;
	if (c + 1 < mr->first_period_col)
		return allocation_member_pool(mr->a, mi, c - 1);
	if (c + 1 == mr->first_period_col)
		return allocation_member_year(mr->a, mi);
	size_t p = c - mr->first_period_col;
	if (mr->issued && mr->issued->period_issued[p]) {	/* net, as the other columns */
		money_t v = mr->issued->net[p * mr->issued->nmembers + mi];
		if (v == ISSUED_NONE && none)
			*none = 1;
		return v == ISSUED_NONE ? 0 : v;
	}
	const struct invoice *inv = allocation_find(mr->a, p, mi);
	if ((!inv || !inv->billable) && none)
		*none = 1;
	return inv && inv->billable ? inv->net : 0;
}

static const struct table_cell *member_cell(void *ctx, size_t r, size_t c)
{
	struct member_rows *mr = ctx;
	const struct config *cfg = &mr->model->cfg;
	const char *text;
	int none;
	if (r == mr->model->nmembers) {
		text = c == 0 ? "Summa" : money_format_bare(mr->col[c], mr->buf);
	} else if (c == 0) {
		const struct member *mem = &mr->model->members[r];
		free(mr->name);
		mr->name = cfg->issuer.member && strcmp(cfg->issuer.member, mem->id) == 0
				   ? xasprintf("%s (egen andel)", mem->name) : NULL;
		text = mr->name ? mr->name : mem->name;
	} else {
		money_t v = member_value(mr, r, c, &none);
		text = none ? "–" : money_format_bare(v, mr->buf);
	}
	mr->run = (struct run){text, PDF_REGULAR};
	mr->cell = (struct table_cell){1, &mr->run};
	return &mr->cell;
}

/* Projects open to all members share one table of members (their shares
 * are the same); each other project lists its own participants. */
void budget_summary_projects(struct layout *lo, const struct model *model,
			     const struct allocation *a, size_t pi)
{
	(void)pi;
	char *in = xcalloc(model->nprojects + 1, 1);
	char buf[512], m[MONEY_BUFSZ];
	struct project_year *year = projects_year(model, a);

	/* the projects open to all with the first one's participants ('*'
	   is the members on each project's start date) share one table */
	size_t common = 0;
	const struct project *all = NULL;
	for (size_t j = 0; j < model->nprojects; j++) {
		const struct project *pr = &model->projects[j];
		if (pr->cost == 0 || !pr->all_members)
			continue;
		if (!all)
			all = pr;
		common += in[j] = pr->nparticipants == all->nparticipants &&
				  memcmp(pr->participants, all->participants, pr->nparticipants * sizeof *pr->participants) == 0;
	}
	if (common > 0) {
		para(lo, all->nparticipants == model->nmembers
				 ? "Projekt där alla medlemmar deltar, fördelade efter invånarantal:"
				 : "Projekt där alla som var medlemmar när projektet startade deltar, fördelade efter invånarantal:");
		static const char *const head[] = {"Projekt", "Kostnad"};
		static const enum align align[] = {ALIGN_LEFT, ALIGN_RIGHT};
		struct grid g;
		grid_init(&g, 2, head, align);
		money_t total = 0;
		for (size_t j = 0; j < model->nprojects; j++) {
			if (!in[j])
				continue;
			grid_add(&g, model->projects[j].name);
			grid_addf_money(&g, model->projects[j].cost);
			total += model->projects[j].cost;
		}
		grid_add(&g, "Summa");
		grid_addf_money(&g, total);
		grid_draw(lo, &g, 1);
		participants_table(lo, model, all, year, in);
	}
	char *common_in = xmalloc(model->nprojects + 1);
	memcpy(common_in, in, model->nprojects + 1);
	for (size_t j = 0; j < model->nprojects; j++) {
		const struct project *pr = &model->projects[j];
		int moves = 0;
		for (size_t i = 0; i < a->nmoves && !moves; i++)
			moves = a->moves[i].project == (int32_t)j;
		if ((pr->cost == 0 && !moves) || common_in[j])
			continue;
		char p[MONEY_BUFSZ];
		if (pr->previous_cost > 0)
			snprintf(buf, sizeof buf, "%s: %s, fördelat efter invånarantal (tidigare år: %s).",
				 pr->name, money_format(pr->cost, m), money_format(pr->previous_cost, p));
		else
			snprintf(buf, sizeof buf, "%s: %s, fördelat efter invånarantal.", pr->name,
				 money_format(pr->cost, m));
		struct run r = {buf, PDF_BOLD};
		layout_paragraph(lo, &r, 1);
		memset(in, 0, model->nprojects);
		in[j] = 1;
		participants_table(lo, model, pr, year, in);
		buy_ins_text(lo, model, a, j);
	}
	free(common_in);
	projects_year_release(year, model->nprojects);
	free(in);
}

static void pools_section(struct layout *lo, const struct model *model, const struct allocation *a)
{
	const struct config *cfg = &model->cfg;
	for (size_t pi = 0; pi < cfg->npools; pi++) {
		const struct pool *pool = &cfg->pools[pi];
		const struct pool_summary *s = &a->pools[pi];
		layout_heading(lo, 2, pool->text, 1);
		char buf[512], m[MONEY_BUFSZ];
		char *periods = periods_text(cfg, pool);
		snprintf(buf, sizeof buf, "%s, %s, faktureras %s.", method_swedish(pool->method),
			 money_format(s->annual, m), periods);
		free(periods);
		para(lo, buf);
		if (!pool_has(cfg, pi, CHARGE_PROJECTS))
			budget_lines(lo, model, pi);
		charge_kind(pool->method)->summary(lo, model, a, pi);
	}
}

/* Below the members table: which invoice columns are issued, the host's
 * own share, and where today's inputs would give other invoices. */
static void members_notes(struct layout *lo, const struct model *model, const struct allocation *a,
			  const struct issued *issued)
{
	const struct config *cfg = &model->cfg;
	struct strbuf sb = {0};
	char m1[MONEY_BUFSZ], m2[MONEY_BUFSZ];
	size_t nissued = 0;
	for (size_t p = 0; issued && p < cfg->nperiods; p++)
		if (issued->period_issued[p])
			sb_addf(&sb, "%s%s", nissued++ ? ", " : "", cfg->periods[p].name);
	if (nissued) {
		char *text = xasprintf("Fakturorna för %s är utfärdade: kolumn%s visar de utfärdade beloppen ur fakturajournalen.",
				       sb.buf, nissued == 1 ? "en" : "erna");
		para(lo, text);
		free(text);
	}
	sb.len = 0;
	/* what the journal says of each member credited in an issued period:
	   invoiced, credited, due, with VAT as the documents are (a table of
	   its own: never summed with the net columns above) */
	size_t ncredited = 0;
	for (size_t p = 0; issued && p < cfg->nperiods; p++)
		for (size_t mi = 0; issued->period_issued[p] && mi < model->nmembers; mi++)
			ncredited += issued->credited[p * issued->nmembers + mi] != 0;
	if (ncredited) {
		para(lo, "Krediterat enligt fakturajournalen, med belopp som på fakturorna:");
		static const char *const head[] = {"Medlem", "Period", "Fakturerat", "Krediterat", "Att betala"};
		static const enum align align[] = {ALIGN_LEFT, ALIGN_LEFT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT};
		struct grid g;
		grid_init(&g, 5, head, align);
		money_t inv = 0, cred = 0;
		for (size_t p = 0; p < cfg->nperiods; p++) {
			for (size_t mi = 0; issued->period_issued[p] && mi < model->nmembers; mi++) {
				size_t cell = p * issued->nmembers + mi;
				if (!issued->credited[cell])
					continue;
				grid_add(&g, model->members[mi].name);
				grid_add(&g, cfg->periods[p].name);
				grid_addf_money(&g, issued->invoiced[cell]);
				grid_addf_money(&g, issued->credited[cell]);
				grid_addf_money(&g, issued->invoiced[cell] + issued->credited[cell]);
				inv += issued->invoiced[cell];
				cred += issued->credited[cell];
			}
		}
		grid_add(&g, "Summa");
		grid_add(&g, "");
		grid_addf_money(&g, inv);
		grid_addf_money(&g, cred);
		grid_addf_money(&g, inv + cred);
		grid_draw(lo, &g, 1);
	}
	long own = cfg->issuer.member ? model_find_member(model, cfg->issuer.member) : -1;
	if (own >= 0) {
		char *text = xasprintf("Egen andel för %s, som inte faktureras: %s för året, exklusive moms.",
				       model->members[own].name, money_format(allocation_member_year(a, (size_t)own), m1));
		para(lo, text);
		free(text);
	}
	size_t differ = 0;
	for (size_t p = 0; issued && p < cfg->nperiods; p++) {
		if (!issued->period_issued[p])
			continue;
		for (size_t mi = 0; mi < model->nmembers; mi++) {
			money_t was = issued->total[p * issued->nmembers + mi];
			const struct invoice *inv = allocation_find(a, p, mi);
			money_t now = inv && inv->billable ? inv->total : ISSUED_NONE;
			if (was == now)
				continue;
			if (differ++ < 20)
				sb_addf(&sb, "%s%s %s (%s: utfärdad %s, underlaget ger nu %s)", differ > 1 ? "; " : "",
					cfg->periods[p].name, model->members[mi].name,
					issued->number[p * issued->nmembers + mi] ? issued->number[p * issued->nmembers + mi] : "ingen faktura",
					was == ISSUED_NONE ? "ingen faktura" : money_format(was, m1),
					now == ISSUED_NONE ? "ingen faktura" : money_format(now, m2));
		}
	}
	if (differ) {
		if (differ > 20)
			sb_addf(&sb, "; och %zu till", differ - 20);
		char *text = xasprintf("Dagens underlag ger andra belopp än de utfärdade fakturorna: %s. Utfärdade fakturor ändras bara genom kreditfakturor.", sb.buf);
		para(lo, text);
		free(text);
	}
	sb_release(&sb);
}

static void members_section(struct layout *lo, const struct model *model, const struct allocation *a,
			    const struct issued *issued)
{
	const struct config *cfg = &model->cfg;
	const char *head[16];
	enum align align[16];
	size_t nc = 0;
	head[nc] = "Medlem";
	align[nc++] = ALIGN_LEFT;
	for (size_t pi = 0; pi < cfg->npools && nc < 12; pi++) {
		head[nc] = cfg->pools[pi].text;
		align[nc++] = ALIGN_RIGHT;
	}
	head[nc] = "Summa år";
	align[nc++] = ALIGN_RIGHT;
	char *labels[16] = {0};
	size_t first_period_col = nc;
	for (size_t p = 0; p < cfg->nperiods && nc < 16; p++) {
		labels[nc] = cfg->periods[p].waits_for != DATE_NONE
				     ? xasprintf("Faktura %s (väntar)", cfg->periods[p].name)
				     : xasprintf("Faktura %s", cfg->periods[p].name);
		head[nc] = labels[nc];
		align[nc++] = ALIGN_RIGHT;
	}
	struct grid g;
	grid_init(&g, nc, head, align);
	struct member_rows mr = {.model = model, .a = a, .issued = issued, .first_period_col = first_period_col,
				 .col = xcalloc(nc, sizeof *mr.col)};
	for (size_t mi = 0; mi < model->nmembers; mi++)
		for (size_t c = 1; c < nc; c++)
			mr.col[c] += member_value(&mr, mi, c, NULL);
	grid_draw_rows(lo, &g, model->nmembers + 1, member_cell, &mr, 1);
	free(mr.col);
	free(mr.name);
	for (size_t c = 0; c < 16; c++)
		free(labels[c]);
	char note[512];
	int len = snprintf(note, sizeof note,
			   cfg->vat_rate ? "Belopp i kronor, alla exklusive moms (fakturorna lägger till moms %d %%)."
					 : "Belopp i kronor, utan moms (%d %%).",
			   cfg->vat_rate);
	if (model->ncarries) {	/* last year's settlement rides on this year's invoices */
		money_t carried = 0;
		for (size_t i = 0; i < model->ncarries; i++)
			carried += model->carries[i].amount;
		char m[MONEY_BUFSZ];
		snprintf(note + len, sizeof note - (size_t)len,
			 " Fakturorna tar också upp avräkningen av %d enligt utfall (raderna \"Avräkning %d enligt utfall\", netto %s i alla), som inte ingår i årsbeloppen.",
			 model->carries[0].year, model->carries[0].year, money_format(carried, m));
	}
	para(lo, note);
	members_notes(lo, model, a, issued);
}

/* Horizontal bars of each member's year total, drawn with rectangles and
 * lines; one bar a row, so a long chart breaks across pages like text. */
/* A chart of up to CHART_ALL members has a bar each, in the members'
 * order; of more (a bar a member would be a hundred pages at 5 000), the
 * CHART_TOP largest, and a line on the rest. */
#define CHART_ALL 60
#define CHART_TOP 40

static const struct allocation *by_year_alloc;
static int by_year_desc(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	money_t ya = allocation_member_year(by_year_alloc, a), yb = allocation_member_year(by_year_alloc, b);
	return ya != yb ? (ya < yb) - (ya > yb) : (a > b) - (a < b);
}

static void chart(struct layout *lo, struct pdf *pdf, const struct model *model,
		  const struct allocation *a)
{
	size_t n = model->nmembers, shown = n;
	size_t *order = xmalloc((n + 1) * sizeof *order);
	for (size_t m = 0; m < n; m++)
		order[m] = m;
	if (n > CHART_ALL) {
		by_year_alloc = a;
		qsort(order, n, sizeof *order, by_year_desc);
		shown = CHART_TOP;
		char buf[160];
		snprintf(buf, sizeof buf, "De %d medlemmar med störst årsbelopp, av %zu:", CHART_TOP, n);
		struct run r = {buf, PDF_REGULAR};
		layout_paragraph(lo, &r, 1);
	}
	money_t max = 1;
	for (size_t m = 0; m < n; m++) {
		money_t y = allocation_member_year(a, m);
		if (y > max)
			max = y;
	}
	double left = layout_left(lo), width = layout_width(lo);
	double label_w = 48, amount_w = 30, row = 5.5;
	double bar_x = left + label_w, bar_w = width - label_w - amount_w;
	char m[MONEY_BUFSZ];
	for (size_t k = 0; k < shown; k++) {
		size_t mi = order[k];
		money_t y = allocation_member_year(a, mi);
		double top = layout_block(lo, row);
		double len = y > 0 ? bar_w * (double)y / (double)max : 0;
		char *name = fit_text(pdf, PDF_REGULAR, 8, model->members[mi].name, label_w - 2);
		pdf_text(pdf, PDF_REGULAR, 8, left, top + 4, name);
		free(name);
		pdf_fill_rect(pdf, bar_x, top + 1, len, row - 2, (struct pdf_color){0.25, 0.45, 0.70});
		pdf_text_right(pdf, PDF_REGULAR, 8, left + width, top + 4, money_format(y, m));
	}
	if (shown < n) {
		money_t rest = 0, lo_y = allocation_member_year(a, order[n - 1]);
		money_t hi_y = allocation_member_year(a, order[shown]);
		for (size_t k = shown; k < n; k++)
			rest += allocation_member_year(a, order[k]);
		char l[MONEY_BUFSZ], h[MONEY_BUFSZ], r[MONEY_BUFSZ], buf[320];
		snprintf(buf, sizeof buf,
			 "Övriga %zu medlemmar: %s till %s var, sammanlagt %s. Varje medlems årsbelopp står under Fördelning per medlem.",
			 n - shown, money_format(lo_y, l), money_format(hi_y, h), money_format(rest, r));
		layout_space(lo, 2);
		struct run run = {buf, PDF_REGULAR};
		layout_paragraph(lo, &run, 1);
	}
	free(order);
	layout_space(lo, 3);
}

static void previous_section(struct layout *lo, const struct model *model, const struct allocation *a)
{
	const struct config *cfg = &model->cfg;
	char last_year[16], this_year[16];
	snprintf(last_year, sizeof last_year, "%d", cfg->year - 1);
	snprintf(this_year, sizeof this_year, "%d", cfg->year);
	const char *head[] = {"Kostnadspool", last_year, this_year, "Förändring", "Procent"};
	static const enum align align[] = {ALIGN_LEFT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT};
	struct grid g;
	grid_init(&g, 5, head, align);
	money_t total_prev = 0, total_now = 0;
	char m[MONEY_BUFSZ];
	/* This year's pools, then pools only last year had. */
	for (size_t pi = 0; pi < cfg->npools; pi++) {
		money_t prev = 0;
		for (size_t i = 0; i < model->nprevious; i++)
			if (strcmp(model->previous[i].pool, cfg->pools[pi].name) == 0)
				prev += model->previous[i].amount;
		money_t now = a->pools[pi].annual;
		total_prev += prev;
		total_now += now;
		grid_add(&g, cfg->pools[pi].text);
		grid_add(&g, money_format_bare(prev, m));
		grid_add(&g, money_format_bare(now, m));
		grid_add(&g, money_format_bare(now - prev, m));
		char pct[FORMAT_BUFSZ];
		grid_add(&g, format_percent(now - prev, prev, pct));
	}
	for (size_t i = 0; i < model->nprevious; i++) {
		const char *name = model->previous[i].pool;
		int seen = config_find_pool(cfg, name) >= 0;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(model->previous[k].pool, name) == 0;
		if (seen)
			continue;
		money_t prev = 0;
		for (size_t k = i; k < model->nprevious; k++)
			if (strcmp(model->previous[k].pool, name) == 0)
				prev += model->previous[k].amount;
		total_prev += prev;
		char *label = xasprintf("%s (sista året %d)", name, cfg->year - 1);
		grid_add(&g, label);
		free(label);
		grid_add(&g, money_format_bare(prev, m));
		grid_add(&g, money_format_bare(0, m));
		grid_add(&g, money_format_bare(-prev, m));
		char pct[FORMAT_BUFSZ];
		grid_add(&g, format_percent(-prev, prev, pct));
	}
	grid_add(&g, "Summa");
	grid_add(&g, money_format_bare(total_prev, m));
	grid_add(&g, money_format_bare(total_now, m));
	grid_add(&g, money_format_bare(total_now - total_prev, m));
	char pct[FORMAT_BUFSZ];
	grid_add(&g, format_percent(total_now - total_prev, total_prev, pct));
	grid_draw(lo, &g, 1);
}

int budget_render(const struct model *model, const struct allocation *a,
		  const struct issued *issued, const char *what, write_fn out, void *ctx)
{
	const struct config *cfg = &model->cfg;
	struct pdf *pdf = pdf_new_report();
	char *title = xasprintf("Budget %d – %s", cfg->year, cfg->name);
	pdf_set_info(pdf, title, cfg->issuer.name, "Budgetunderlag och fördelning per medlem",
		     cfg->periods[0].invoice_date);
	struct layout *lo = layout_new(pdf, title);

	layout_heading(lo, 1, title, 0);
	char *sub = xasprintf("Underlag för beslut om budget och fördelning. Utfärdare: %s, org.nr %s.",
			      cfg->issuer.name, cfg->issuer.org_nr);
	para(lo, sub);
	free(sub);

	layout_heading(lo, 1, "Sammanfattning", 1);
	summary(lo, model, a);
	layout_heading(lo, 1, "Kostnadspooler", 1);
	pools_section(lo, model, a);
	layout_heading(lo, 1, "Fördelning per medlem", 1);
	members_section(lo, model, a, issued);
	layout_heading(lo, 1, "Årsbelopp per medlem", 1);
	chart(lo, pdf, model, a);
	if (cfg->previous_budget_path) {
		layout_heading(lo, 1, "Jämförelse med föregående år", 1);
		previous_section(lo, model, a);
	}
	layout_finish(lo);
	layout_free(lo);
	int rc = pdf_finish_to(pdf, what, out, ctx);
	pdf_free(pdf);
	free(title);
	return rc;
}
