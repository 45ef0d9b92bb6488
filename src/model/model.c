/* model.c - the model's queries every stage shares (members, periods,
 * pools, projects and their participants, user counts), and its release. */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "model/charge.h"

int member_billed(const struct model *model, size_t m, size_t period)
{
	const struct member *mem = &model->members[m];
	const struct period *p = &model->cfg.periods[period];
	if (!member_active(mem, p->invoice_date))
		return 0;
	/* leaving within the period: billed for it, or not (leaving_period) */
	return model->cfg.leaving_billed || mem->leaves == DATE_NONE || p->end == DATE_NONE ||
	       mem->leaves > p->end;
}

int member_active(const struct member *m, date_t d)
{
	if (m->joined != DATE_NONE && d < m->joined)
		return 0;
	if (m->leaves != DATE_NONE && d >= m->leaves)
		return 0;
	return 1;
}

/* Where id is, or would be inserted, in members_by_id. */
size_t model_member_slot(const struct model *model, const char *id, int *found)
{
	size_t lo = 0, hi = model->nmembers;
	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(model->members[model->members_by_id[mid]].id, id);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long model_find_member(const struct model *model, const char *id)
{
	int found;
	if (!model->members_by_id)
		return -1;
	size_t slot = model_member_slot(model, id, &found);
	return found ? (long)model->members_by_id[slot] : -1;
}

long config_find_period(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nperiods; i++)
		if (strcmp(cfg->periods[i].name, name) == 0)
			return (long)i;
	return -1;
}

long config_find_pool(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->npools; i++)
		if (strcmp(cfg->pools[i].name, name) == 0)
			return (long)i;
	return -1;
}

void text_list_add(struct text_list *l, const char *s)
{
	l->items = xrealloc(l->items, (l->n + 1) * sizeof *l->items);
	l->items[l->n++] = xstrdup(s);
}

void text_list_release(struct text_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

int64_t model_user_count(const struct model *model, size_t member, date_t date)
{
	size_t lo = 0, hi = model->nusers;	/* users are sorted by member, date */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct user_count *u = &model->users[mid];
		if (u->member < member || (u->member == member && u->date < date))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < model->nusers && model->users[lo].member == member && model->users[lo].date == date)
		return model->users[lo].users;
	return -1;
}

int project_has_member(const struct project *pr, size_t member)
{
	return project_slot(pr, member) >= 0;
}

long project_slot(const struct project *pr, size_t member)
{
	size_t lo = 0, hi = pr->nparticipants;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pr->participants[mid] < member)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < pr->nparticipants && pr->participants[lo] == member ? (long)lo : -1;
}

int project_takes_part(const struct model *model, const struct project *pr, size_t member,
		       size_t period)
{
	long slot = project_slot(pr, member);
	if (slot < 0 || !member_billed(model, member, period))
		return 0;
	const struct stint *st = &pr->stints[slot];
	date_t d = model->cfg.periods[period].invoice_date;
	return (st->joined == DATE_NONE || st->joined <= d) && (st->left == DATE_NONE || d < st->left);
}

int project_joined_late(const struct project *pr, size_t slot)
{
	date_t joined = pr->stints[slot].joined;
	return joined != DATE_NONE && pr->start_date != DATE_NONE && joined > pr->start_date;
}

int project_buys_in(const struct model *model, const struct project *pr, size_t slot)
{
	const struct config *cfg = &model->cfg;
	date_t joined = pr->stints[slot].joined;
	if (!pr->dated || !project_joined_late(pr, slot))
		return 0;
	/* its first invoice after joining is this year's when it joined after
	   last year's last invoice (the same periods, a year before) */
	long pi = pool_with(cfg, CHARGE_PROJECTS);
	if (pi < 0 || cfg->pools[pi].nperiods == 0)
		return 0;
	const struct pool *pool = &cfg->pools[pi];
	date_t last = cfg->periods[pool->periods[pool->nperiods - 1]].invoice_date;
	return joined > date_add_months(last, -12);
}

void model_release(struct model *model)
{
	arena_release(&model->member_texts);
	free(model->members);
	free(model->members_by_id);
	free(model->users);
	for (size_t i = 0; i < model->nbudget; i++)
		free(model->budget[i].item);
	free(model->budget);
	for (size_t i = 0; i < model->nprojects; i++)
		project_release(&model->projects[i]);
	free(model->projects);
	free(model->participations_file);
	free(model->members_file);
	free(model->users_file);
	free(model->budget_file);
	free(model->projects_file);
	for (size_t i = 0; i < model->nprevious; i++) {
		free(model->previous[i].pool);
		free(model->previous[i].item);
	}
	free(model->previous);
	for (size_t i = 0; i < model->nmeetings; i++) {
		free(model->meetings[i].body);
		free(model->meetings[i].note);
	}
	free(model->meetings);
	for (size_t i = 0; i < model->nrevisions; i++) {
		free(model->revisions[i].version);
		free(model->revisions[i].comment);
	}
	free(model->revisions);
	free(model->previous_file);
	free(model->meetings_file);
	free(model->revisions_file);
	free(model->outcome_file);
	for (size_t i = 0; i < model->noutcome; i++)
		free((char *)model->outcome[i].item);
	free(model->outcome);
	for (size_t i = 0; i < model->ncarries; i++) {
		free(model->carries[i].statement);
		free(model->carries[i].what);
	}
	free(model->carries);
	config_release(&model->cfg);
	memset(model, 0, sizeof *model);
}

void project_release(struct project *p)
{
	free(p->id);
	free(p->name);
	free(p->status);
	free(p->start);
	free(p->end);
	free(p->comment);
	free(p->participants);
	free(p->stints);
}

void config_release(struct config *cfg)
{
	free(cfg->path);
	free(cfg->dir);
	free(cfg->name);
	struct issuer *is = &cfg->issuer;
	free(is->name);
	free(is->org_nr);
	free(is->vat_nr);
	text_list_release(&is->address);
	free(is->bankgiro);
	free(is->reference);
	free(is->email);
	free(is->phone);
	free(is->peppol_id);
	free(is->member);
	free(cfg->number_prefix);
	free(cfg->vat_note);
	free(cfg->vat_category);
	free(cfg->leaving_period);
	free(cfg->ledger.receivable);
	free(cfg->ledger.vat);
	free(cfg->ledger.series);
	free(cfg->ledger.prepaid);
	free(cfg->settlement_text);
	free(cfg->einvoice.attach_pdf_text);
	free(cfg->sending.outbox);
	free(cfg->csv_text);
	free(cfg->members_path);
	free(cfg->users_path);
	free(cfg->budget_path);
	free(cfg->projects_path);
	free(cfg->participations_path);
	free(cfg->output_dir);
	free(cfg->journal_path);
	free(cfg->previous_budget_path);
	free(cfg->templates_dir);
	free(cfg->meetings_path);
	free(cfg->revisions_path);
	free(cfg->outcome_path);
	for (size_t i = 0; i < cfg->nperiods; i++) {
		free(cfg->periods[i].name);
		free(cfg->periods[i].text);
	}
	free(cfg->periods);
	for (size_t i = 0; i < cfg->npools; i++) {
		struct pool *p = &cfg->pools[i];
		free(p->name);
		free(p->text);
		free(p->periods);
		free(p->account);
		free(p->cost_centre);
		free(p->settlement_text);
		free(p->periods_text);
		free(p->key);
	}
	free(cfg->pools);
	memset(cfg, 0, sizeof *cfg);
}
