/* outcome.c - the outcome allocated as the budget was (outcome.h). */
#include "model/outcome.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

int outcome_compute(const struct model *model, struct outcome *out)
{
	const struct config *cfg = &model->cfg;
	memset(out, 0, sizeof *out);
	out->line = xcalloc(model->nbudget + 1, sizeof *out->line);
	out->project = xcalloc(model->nprojects + 1, sizeof *out->project);
	out->pool = xcalloc(cfg->npools + 1, sizeof *out->pool);
	out->borne = xcalloc(model->nmembers + 1, sizeof *out->borne);
	for (size_t k = 0; k < model->noutcome; k++) {
		const struct outcome_line *o = &model->outcome[k];
		if (o->project >= 0) {
			out->project[o->project] += o->amount;
		} else {
			for (size_t b = 0; b < model->nbudget; b++)
				if (model->budget[b].pool == o->pool && strcmp(model->budget[b].item, o->item) == 0)
					out->line[b] += o->amount;
		}
		out->pool[o->pool] += o->amount;
		out->total += o->amount;
		if (o->bearer >= 0)
			out->borne[o->bearer] += o->amount;
		else
			out->host_borne += o->amount;
	}
	/* the same model, with the outcome in place of the budget */
	out->model = *model;
	struct budget_line *budget = xcalloc(model->nbudget + 1, sizeof *budget);
	for (size_t b = 0; b < model->nbudget; b++) {
		budget[b] = model->budget[b];
		budget[b].amount = out->line[b];
	}
	struct project *projects = xcalloc(model->nprojects + 1, sizeof *projects);
	for (size_t j = 0; j < model->nprojects; j++) {
		projects[j] = model->projects[j];
		projects[j].cost = out->project[j];
	}
	out->model.budget = budget;
	out->model.projects = projects;
	return allocate(&out->model, &out->actual);
}

void outcome_release(struct outcome *o)
{
	allocation_release(&o->actual);
	free(o->model.budget);
	free(o->model.projects);
	free(o->line);
	free(o->project);
	free(o->pool);
	free(o->borne);
	memset(o, 0, sizeof *o);
}

void settlement_make(const struct model *model, const struct outcome *o, const money_t *invoiced,
		     const unsigned char *billed, const money_t *fees_in, struct settlement *s)
{
	const struct config *cfg = &model->cfg;
	memset(s, 0, sizeof *s);
	long own = cfg->issuer.member ? model_find_member(model, cfg->issuer.member) : -1;
	s->rows = xcalloc(model->nmembers + 1, sizeof *s->rows);
	for (size_t m = 0; m < model->nmembers; m++) {
		money_t actual = allocation_member_year(&o->actual, m);
		if ((long)m == own) {
			s->own_actual = actual;
			continue;
		}
		if (!billed[m] && actual == 0)
			continue;
		struct settlement_row *r = &s->rows[s->n++];
		*r = (struct settlement_row){m, invoiced[m], actual, actual - invoiced[m]};
		s->invoiced += r->invoiced;
		s->actual += r->actual;
		s->difference += r->difference;
	}
	s->nperiods = cfg->nperiods;
	s->fees_in = xcalloc(cfg->nperiods + 1, sizeof *s->fees_in);
	s->costs_out = xcalloc(cfg->nperiods + 1, sizeof *s->costs_out);
	memcpy(s->fees_in, fees_in, cfg->nperiods * sizeof *fees_in);
	for (size_t pi = 0; pi < cfg->npools; pi++) {
		const struct pool *pool = &cfg->pools[pi];
		if (!pool->nperiods)
			continue;
		int64_t *ones = xmalloc(pool->nperiods * sizeof *ones);
		money_t *parts = xmalloc(pool->nperiods * sizeof *parts);
		for (size_t k = 0; k < pool->nperiods; k++)
			ones[k] = 1;
		money_split(o->pool[pi], ones, pool->nperiods, parts);
		for (size_t k = 0; k < pool->nperiods; k++)
			s->costs_out[pool->periods[k]] += parts[k];
		free(ones);
		free(parts);
	}
}

void settlement_release(struct settlement *s)
{
	free(s->rows);
	free(s->fees_in);
	free(s->costs_out);
	memset(s, 0, sizeof *s);
}
