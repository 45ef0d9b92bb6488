/* model.c - small queries on the model shared by every stage. */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

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
