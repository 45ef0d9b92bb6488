/* followup.c - the follow-up report and the settlement's CSV (followup.h). */
#include "render/followup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "model/charge.h"
#include "model/csvfile.h"
#include "model/format.h"
#include "render/grid.h"
#include "render/layout.h"

static const enum align money_cols[] = {ALIGN_LEFT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT};

/* "Förbrukat": the outcome as a share of the budget, or "–". */
static void add_used(struct grid *g, money_t budget, money_t outcome)
{
	char buf[FORMAT_BUFSZ];
	grid_add(g, budget > 0 ? format_percent(outcome, budget, buf) : "–");
}

/* A row: text, budget, outcome, their difference, the share used. */
static void add_row(struct grid *g, const char *text, money_t budget, money_t outcome)
{
	grid_add(g, text);
	grid_addf_money(g, budget);
	grid_addf_money(g, outcome);
	grid_addf_money(g, outcome - budget);
	add_used(g, budget, outcome);
}

static const char *const row_head[] = {"", "Budget", "Utfall", "Avvikelse", "Förbrukat"};

static void pools_section(struct layout *lo, const struct model *model, const struct allocation *a,
			  const struct outcome *o)
{
	const struct config *cfg = &model->cfg;
	const char *head[] = {"Kostnadspool", row_head[1], row_head[2], row_head[3], row_head[4]};
	struct grid g;
	grid_init(&g, 5, head, money_cols);
	money_t tb = 0, to = 0;
	for (size_t pi = 0; pi < cfg->npools; pi++) {
		add_row(&g, cfg->pools[pi].text, a->pools[pi].annual, o->pool[pi]);
		tb += a->pools[pi].annual;
		to += o->pool[pi];
	}
	add_row(&g, "Summa", tb, to);
	grid_draw(lo, &g, 1);
}

static void lines_section(struct layout *lo, const struct model *model, const struct outcome *o)
{
	const struct config *cfg = &model->cfg;
	for (size_t pi = 0; pi < cfg->npools; pi++) {
		if (pool_has(cfg, pi, CHARGE_PROJECTS))
			continue;
		layout_heading(lo, 2, cfg->pools[pi].text, 1);
		const char *head[] = {"Budgetpost", row_head[1], row_head[2], row_head[3], row_head[4]};
		struct grid g;
		grid_init(&g, 5, head, money_cols);
		money_t tb = 0, to = 0;
		for (size_t b = 0; b < model->nbudget; b++) {
			if (model->budget[b].pool != pi)
				continue;
			add_row(&g, model->budget[b].item, model->budget[b].amount, o->line[b]);
			tb += model->budget[b].amount;
			to += o->line[b];
		}
		add_row(&g, "Summa", tb, to);
		grid_draw(lo, &g, 1);
	}
}

/* What each member pays towards each project, by the budget and by the
 * outcome: summed from the allocations' rows. */
struct project_shares {
	const struct model *model;
	money_t *share;		/* nmembers x nprojects */
};

static void add_project_share(void *ctx, const struct alloc_row *r)
{
	struct project_shares *ps = ctx;
	for (size_t j = 0; r->item && j < ps->model->nprojects; j++)
		if (strcmp(ps->model->projects[j].id, r->item) == 0 &&
		    pool_has(&ps->model->cfg, r->pool, CHARGE_PROJECTS))
			ps->share[r->member * ps->model->nprojects + j] += r->amount;
}

static void projects_section(struct layout *lo, const struct model *model, const struct allocation *a,
			     const struct outcome *o)
{
	size_t nm = model->nmembers, np = model->nprojects;
	const char *head[] = {"Projekt", row_head[1], row_head[2], row_head[3], row_head[4]};
	struct grid g;
	grid_init(&g, 5, head, money_cols);
	money_t tb = 0, to = 0;
	for (size_t j = 0; j < np; j++) {
		if (model->projects[j].cost == 0 && o->project[j] == 0)
			continue;
		add_row(&g, model->projects[j].name, model->projects[j].cost, o->project[j]);
		tb += model->projects[j].cost;
		to += o->project[j];
	}
	add_row(&g, "Summa", tb, to);
	grid_draw(lo, &g, 1);

	struct project_shares budget = {model, xcalloc(nm * np + 1, sizeof(money_t))};
	struct project_shares actual = {&o->model, xcalloc(nm * np + 1, sizeof(money_t))};
	allocation_rows(model, a, add_project_share, &budget);
	allocation_rows(&o->model, &o->actual, add_project_share, &actual);
	const char *phead[] = {"Projekt och deltagare", "Budget", "Utfall", "Avvikelse", "Förbrukat"};
	for (size_t j = 0; j < np; j++) {
		int any = 0;
		for (size_t m = 0; m < nm && !any; m++)
			any = budget.share[m * np + j] || actual.share[m * np + j];
		if (!any)
			continue;
		layout_heading(lo, 2, model->projects[j].name, 1);
		grid_init(&g, 5, phead, money_cols);
		for (size_t m = 0; m < nm; m++) {
			money_t b = budget.share[m * np + j], u = actual.share[m * np + j];
			if (b || u)
				add_row(&g, model->members[m].name, b, u);
		}
		grid_draw(lo, &g, 0);
	}
	free(budget.share);
	free(actual.share);
}

static void settlement_section(struct layout *lo, const struct model *model, const struct settlement *s)
{
	static const enum align align[] = {ALIGN_LEFT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT};
	static const char *const head[] = {"Medlem", "Fakturerat", "Andel av utfallet", "Skillnad"};
	struct grid g;
	grid_init(&g, 4, head, align);
	for (size_t i = 0; i < s->n; i++) {
		grid_add(&g, model->members[s->rows[i].member].name);
		grid_addf_money(&g, s->rows[i].invoiced);
		grid_addf_money(&g, s->rows[i].actual);
		grid_addf_money(&g, s->rows[i].difference);
	}
	grid_add(&g, "Summa");
	grid_addf_money(&g, s->invoiced);
	grid_addf_money(&g, s->actual);
	grid_addf_money(&g, s->difference);
	grid_draw(lo, &g, 1);
	char m1[MONEY_BUFSZ];
	char *text = xasprintf("Belopp exklusive moms. Fakturerat är årets fakturor med avdrag för kreditfakturor, ur fakturajournalen. Andel av utfallet är medlemmens andel av årets faktiska kostnader, fördelade efter samma regler och underlag som fakturorna. En positiv skillnad är vad medlemmen ska betala till värdkommunen, en negativ vad den ska få tillbaka. Värdkommunens egen andel av utfallet, %s, faktureras inte.",
			       money_format(s->own_actual, m1));
	para(lo, text);
	free(text);
}

static void bearers_section(struct layout *lo, const struct model *model, const struct outcome *o)
{
	static const enum align align[] = {ALIGN_LEFT, ALIGN_RIGHT};
	static const char *const head[] = {"Burit kostnader", "Värdkommunen är skyldig"};
	struct grid g;
	grid_init(&g, 2, head, align);
	money_t sum = 0;
	for (size_t m = 0; m < model->nmembers; m++) {
		if (!o->borne[m])
			continue;
		grid_add(&g, model->members[m].name);
		grid_addf_money(&g, o->borne[m]);
		sum += o->borne[m];
	}
	grid_add(&g, "Summa");
	grid_addf_money(&g, sum);
	grid_draw(lo, &g, 1);
	char m1[MONEY_BUFSZ];
	char *text = xasprintf("Medlemmar som burit kostnader fakturerar värdkommunen i efterskott. Värdkommunen har själv burit %s.",
			       money_format(o->host_borne, m1));
	para(lo, text);
	free(text);
}

/* The host's money through the year: a table, and bars of what came in and
 * went out each period with the balance after it. */
static void money_section(struct layout *lo, struct pdf *pdf, const struct model *model,
			  const struct settlement *s)
{
	const struct config *cfg = &model->cfg;
	static const enum align align[] = {ALIGN_LEFT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT};
	static const char *const head[] = {"Period", "Avgifter in", "Kostnader ut", "Saldo"};
	struct grid g;
	grid_init(&g, 4, head, align);
	money_t balance = 0, max = 1;
	for (size_t p = 0; p < s->nperiods; p++) {
		balance += s->fees_in[p] - s->costs_out[p];
		grid_add(&g, cfg->periods[p].name);
		grid_addf_money(&g, s->fees_in[p]);
		grid_addf_money(&g, s->costs_out[p]);
		grid_addf_money(&g, balance);
		if (s->fees_in[p] > max)
			max = s->fees_in[p];
		if (s->costs_out[p] > max)
			max = s->costs_out[p];
	}
	grid_draw(lo, &g, 0);
	para(lo, "Avgifter in är periodens fakturor med avdrag för kreditfakturor, exklusive moms; kostnader ut är utfallet av periodens kostnadspooler, varje pool jämnt fördelad över sina perioder. Saldot bär värdkommunens egen andel av kostnaderna, som aldrig faktureras.");
	double left = layout_left(lo), width = layout_width(lo);
	double label_w = 24, amount_w = 32, row = 5.5;
	double bar_x = left + label_w, bar_w = width - label_w - amount_w;
	const struct pdf_color in = {0.25, 0.45, 0.70}, out = PDF_GRAY(0.6);
	char m[MONEY_BUFSZ];
	balance = 0;
	/* The chart stays on one page when it fits on one (twelve months do);
	 * else each period's bars stay together. */
	const double whole = 3 * row * (double)s->nperiods, caption = 7;
	double next = 0;
	if (whole <= 200) {	/* its caption with it, should it begin a page */
		next = layout_block(lo, caption + whole);
		pdf_text(pdf, PDF_BOLD, 9, left, next + 4, "Avgifter in och kostnader ut per period");
		next += caption;
	}
	for (size_t p = 0; p < s->nperiods; p++) {
		balance += s->fees_in[p] - s->costs_out[p];
		double top = whole <= 200 ? next : layout_block(lo, 3 * row);
		next = top + 3 * row;
		for (int k = 0; k < 2; k++, top += row) {
			money_t v = k ? s->costs_out[p] : s->fees_in[p];
			char label[64];
			snprintf(label, sizeof label, "%s %s", cfg->periods[p].name, k ? "ut" : "in");
			pdf_text(pdf, PDF_REGULAR, 8, left, top + 4, label);
			double len = v > 0 ? bar_w * (double)v / (double)max : 0;
			pdf_fill_rect(pdf, bar_x, top + 1, len, row - 2, k ? out : in);
			pdf_text_right(pdf, PDF_REGULAR, 8, left + width, top + 4, money_format(v, m));
		}
		char label[128];
		snprintf(label, sizeof label, "Saldo efter %s: %s", cfg->periods[p].name, money_format(balance, m));
		pdf_text(pdf, PDF_BOLD, 8, bar_x, top + 4, label);
	}
	layout_space(lo, 3);
}

int followup_render(const struct model *model, const struct allocation *budget, const struct outcome *o,
		    const struct settlement *s, const char *what, write_fn out, void *ctx)
{
	const struct config *cfg = &model->cfg;
	struct pdf *pdf = pdf_new_report();
	char *title = xasprintf("Uppföljning %d – %s", cfg->year, cfg->name);
	pdf_set_info(pdf, title, cfg->issuer.name, "Utfall mot budget och avräkning per medlem",
		     cfg->periods[cfg->nperiods - 1].invoice_date);
	struct layout *lo = layout_new(pdf, title);
	layout_heading(lo, 1, title, 0);
	char *sub = xasprintf("Årets faktiska kostnader mot budgeten, och vad varje medlem fakturerats mot sin andel av utfallet. Utfärdare: %s, org.nr %s.",
			      cfg->issuer.name, cfg->issuer.org_nr);
	para(lo, sub);
	free(sub);
	layout_heading(lo, 1, "Budget och utfall per kostnadspool", 1);
	pools_section(lo, model, budget, o);
	layout_heading(lo, 1, "Budgetposter", 1);
	lines_section(lo, model, o);
	if (pool_with(cfg, CHARGE_PROJECTS) >= 0) {
		layout_heading(lo, 1, "Projekt", 1);
		projects_section(lo, model, budget, o);
	}
	layout_heading(lo, 1, "Avräkning per medlem", 1);
	settlement_section(lo, model, s);
	layout_heading(lo, 1, "Kostnader som medlemmar burit", 1);
	bearers_section(lo, model, o);
	layout_heading(lo, 1, "Värdkommunens pengar under året", 1);
	money_section(lo, pdf, model, s);
	layout_finish(lo);
	layout_free(lo);
	int rc = pdf_finish_to(pdf, what, out, ctx);
	pdf_free(pdf);
	free(title);
	return rc;
}

int followup_csv(const struct model *model, const struct settlement *s, write_fn out, void *ctx)
{
	struct strbuf sb = {0};
	const struct csv_dialect *d = model->cfg.csv_plain ? &CSV_PLAIN : &CSV_EXCEL;
	sb_adds(&sb, CSV_OUT_BOM);
	csv_cell(&sb, d, d->swedish ? "medlem" : "member", 0, 1);
	csv_cell(&sb, d, d->swedish ? "fakturerat" : "invoiced", 0, 0);
	csv_cell(&sb, d, d->swedish ? "andel av utfallet" : "actual", 0, 0);
	csv_cell(&sb, d, d->swedish ? "differens" : "difference", 0, 0);
	sb_adds(&sb, "\n");
	for (size_t i = 0; i <= s->n; i++) {
		const struct settlement_row sum = {0, s->invoiced, s->actual, s->difference};
		const struct settlement_row *r = i < s->n ? &s->rows[i] : &sum;
		csv_cell(&sb, d, i < s->n ? model->members[r->member].id : d->swedish ? "summa" : "sum", 0, 1);
		csv_money(&sb, d, r->invoiced, 0);
		csv_money(&sb, d, r->actual, 0);
		csv_money(&sb, d, r->difference, 0);
		sb_adds(&sb, "\n");
	}
	int rc = out(ctx, sb.buf, sb.len);
	sb_release(&sb);
	return rc;
}
