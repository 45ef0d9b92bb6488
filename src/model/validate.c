/* validate.c - cross-file checks, each naming the file and line to fix. */
#include "model/validate.h"

#include <stdlib.h>

#include "base/diag.h"
#include "model/charge.h"
#include "model/csvfile.h"

/* Does users.csv hold any count on date? */
static int counts_on(const struct model *model, date_t date)
{
	for (size_t i = 0; i < model->nusers; i++)
		if (model->users[i].date == date)
			return 1;
	return 0;
}

void model_mark_waiting(struct model *model)
{
	struct config *cfg = &model->cfg;
	for (size_t pi = 0; pi < cfg->npools; pi++) {
		const struct pool *pool = &cfg->pools[pi];
		if (!pool_has(cfg, pi, CHARGE_USERS))
			continue;
		int no_fee = pool->annual_fee < 0 && pool->fee_date != DATE_NONE && !counts_on(model, pool->fee_date);
		for (size_t k = 0; k < pool->nperiods; k++) {
			struct period *p = &cfg->periods[pool->periods[k]];
			if (p->waits_for != DATE_NONE)
				continue;
			if (no_fee)
				p->waits_for = pool->fee_date;
			else if (p->count_date != DATE_NONE && !counts_on(model, p->count_date))
				p->waits_for = p->count_date;
		}
	}
}

void validate_check_per_user(const struct model *model, size_t pi)
{
	const struct config *cfg = &model->cfg;
	const struct pool *pool = &cfg->pools[pi];
	char d[DATE_BUFSZ];

	/* The fee's count: every member on fee_date must have one (when
	 * there is none at all yet, the pool's periods wait). */
	if (pool->annual_fee < 0 && !counts_on(model, pool->fee_date))
		return;
	int64_t total = 0;
	for (size_t m = 0; m < model->nmembers; m++) {
		if (!member_active(&model->members[m], pool->fee_date))
			continue;
		int64_t n = model_user_count(model, m, pool->fee_date);
		if (n < 0 && pool->annual_fee < 0)
			error_at(model->users_file, 0,
				 "no user count for '%s' on %s (the fee date of pool '%s')",
				 model->members[m].id, date_format(pool->fee_date, d), pool->name);
		else if (n > 0)
			total += n;
	}
	if (total == 0 && pool->annual_fee < 0)
		error_at(model->users_file, 0,
			 "no users on %s: the fee of pool '%s' would be a division by zero",
			 date_format(pool->fee_date, d), pool->name);

	for (size_t k = 0; k < pool->nperiods; k++) {
		const struct period *p = &cfg->periods[pool->periods[k]];
		if (p->waits_for != DATE_NONE)
			continue;
		for (size_t m = 0; m < model->nmembers; m++) {
			const struct member *mem = &model->members[m];
			if (!member_billed(model, m, pool->periods[k]))
				continue;
			if (mem->joined != DATE_NONE && mem->joined > p->count_date)
				continue;	/* counted from the next count on */
			if (model_user_count(model, m, p->count_date) < 0)
				error_at(model->users_file, 0,
					 "no user count for '%s' on %s (count date of period '%s')",
					 model->members[m].id, date_format(p->count_date, d), p->name);
		}
	}
}

static void check_pool_members(const struct model *model, size_t pi)
{
	const struct config *cfg = &model->cfg;
	const struct pool *pool = &cfg->pools[pi];
	for (size_t k = 0; k < pool->nperiods; k++) {
		const struct period *p = &cfg->periods[pool->periods[k]];
		size_t billed = 0;
		for (size_t m = 0; m < model->nmembers; m++)
			billed += (size_t)member_billed(model, m, pool->periods[k]);
		char d[DATE_BUFSZ];
		if (billed == 0)
			error_at(cfg->path, pool->line, "pool '%s' has no members on %s (period '%s')",
				 pool->name, date_format(p->invoice_date, d), p->name);
	}
}

/* key: some member billed in each period has a weight. */
void validate_check_key(const struct model *model, size_t pi)
{
	const struct config *cfg = &model->cfg;
	const struct pool *pool = &cfg->pools[pi];
	for (size_t k = 0; k < pool->nperiods; k++) {
		const struct period *p = &cfg->periods[pool->periods[k]];
		size_t billed = 0, weighted = 0;
		for (size_t m = 0; m < model->nmembers; m++) {
			if (!member_billed(model, m, pool->periods[k]))
				continue;
			billed++;
			weighted += model->members[m].weights[pi] > 0;
		}
		char d[DATE_BUFSZ];
		if (billed > 0 && weighted == 0)
			error_at(model->members_file, 1,
				 "key '%s' of pool '%s' is zero for every member on %s (period '%s')",
				 pool->key, pool->name, date_format(p->invoice_date, d), p->name);
	}
}

void validate_check_projects(const struct model *model, size_t pi)
{
	const struct config *cfg = &model->cfg;
	const struct pool *pool = &cfg->pools[pi];
	size_t costed = 0;
	for (size_t j = 0; j < model->nprojects; j++) {
		const struct project *pr = &model->projects[j];
		if (pr->cost == 0)
			continue;
		costed++;
		for (size_t k = 0; k < pool->nperiods; k++) {
			const struct period *p = &cfg->periods[pool->periods[k]];
			int64_t population = 0;
			size_t active = 0;
			for (size_t m = 0; m < model->nmembers; m++) {
				if (!project_takes_part(model, pr, m, pool->periods[k]))
					continue;
				active++;
				population += model->members[m].population;
			}
			if (active == 0)
				error_at(model->projects_file, pr->line,
					 "project '%s' has a cost but no participant %s in period '%s'",
					 pr->id, pr->dated ? "takes part" : "is a member", p->name);
			else if (population == 0)
				error_at(model->projects_file, pr->line,
					 "project '%s': its participants' population adds up to zero", pr->id);
		}
	}
	if (costed == 0)
		warning_at(model->projects_file, 0, "no project has a cost: pool '%s' bills nothing",
			   pool->name);
	/* a participant "from the start" that was no member then: it buys
	   in only with its joined date */
	for (size_t j = 0; j < model->nprojects; j++) {
		const struct project *pr = &model->projects[j];
		if (pr->all_members || pr->start_date == DATE_NONE)
			continue;
		for (size_t s = 0; s < pr->nparticipants; s++) {
			const struct member *mem = &model->members[pr->participants[s]];
			const struct stint *st = &pr->stints[s];
			if (project_joined_late(pr, s) || mem->joined == DATE_NONE || mem->joined <= pr->start_date)
				continue;
			char d1[DATE_BUFSZ], d2[DATE_BUFSZ];
			if (pr->dated)
				warning_at(model->participations_file, st->line,
					   "'%s' takes part in project '%s' from its start (%s), but joined the cooperation on %s: give its 'joined' date here for it to buy in",
					   mem->id, pr->id, date_format(pr->start_date, d1), date_format(mem->joined, d2));
			else
				warning_at(model->projects_file, pr->line,
					   "'%s' takes part in project '%s' from its start (%s), but joined the cooperation on %s: list the project's participants in [files] participations, with its 'joined' date, for it to buy in",
					   mem->id, pr->id, date_format(pr->start_date, d1), date_format(mem->joined, d2));
		}
	}
	/* a member joining after the year's last invoice buys in next year */
	for (size_t j = 0; j < model->nprojects; j++) {
		const struct project *pr = &model->projects[j];
		for (size_t s = 0; s < pr->nparticipants; s++) {
			if (!project_buys_in(model, pr, s))
				continue;
			int takes_part = 0;
			for (size_t k = 0; k < pool->nperiods && !takes_part; k++)
				takes_part = project_takes_part(model, pr, pr->participants[s], pool->periods[k]);
			char d[DATE_BUFSZ];
			if (!takes_part)
				diag(DIAG_NOTE, model->participations_file, pr->stints[s].line,
				     "'%s' joins project '%s' on %s, after the last invoice of %d: it buys in on its first invoice of %d",
				     model->members[pr->participants[s]].id, pr->id, date_format(pr->stints[s].joined, d),
				     cfg->year, cfg->year + 1);
		}
	}
}

/* Every text that reaches a PDF must fit its fonts' encoding. */
static void check_printable(const char *file, int line, const char *what, const char *text, size_t max)
{
	char bad[5];
	size_t at, chars = text ? utf8_chars(text) : 0;
	long c = text ? text_control_char(text, &at) : -1;
	if (chars > max)
		error_at(file, line, "%s is %zu characters long, more than the %zu it may have (see the README's input files)",
			 what, chars, max);
	else if (c >= 0)
		error_at(file, line, "%s: control character U+%04lX at character %zu: '%s' (no document may hold one: remove it)",
			 what, (unsigned long)c, at, text);
	else if (text && !cp1252_printable(text, bad))
		error_at(file, line, "%s: character '%s' cannot be printed in the PDF documents: '%s'",
			 what, bad, text);
}

static void check_texts(const struct model *model)
{
	/* The configuration's texts are checked as they are read (config.c). */
	for (size_t i = 0; i < model->nmembers; i++) {
		const struct member *m = &model->members[i];
		check_printable(model->members_file, m->line, "name", m->name, 200);
		check_printable(model->members_file, m->line, "reference", m->reference, 200);
		for (size_t k = 0; k < m->address.n; k++)
			check_printable(model->members_file, m->line, "address", m->address.items[k], 200);
	}
	for (size_t i = 0; i < model->nbudget; i++)
		check_printable(model->budget_file, model->budget[i].line, "item", model->budget[i].item, 200);
	for (size_t i = 0; i < model->nprojects; i++) {
		const struct project *p = &model->projects[i];
		check_printable(model->projects_file, p->line, "name", p->name, 500);
		check_printable(model->projects_file, p->line, "status", p->status, 100);
		check_printable(model->projects_file, p->line, "start", p->start, 10);
		check_printable(model->projects_file, p->line, "end", p->end, 10);
		check_printable(model->projects_file, p->line, "comment", p->comment, 1000);
	}
	for (size_t i = 0; i < model->nmeetings; i++) {
		check_printable(model->meetings_file, model->meetings[i].line, "body", model->meetings[i].body, 200);
		check_printable(model->meetings_file, model->meetings[i].line, "note", model->meetings[i].note, 500);
	}
	for (size_t i = 0; i < model->nrevisions; i++) {
		check_printable(model->revisions_file, model->revisions[i].line, "version",
				model->revisions[i].version, 50);
		check_printable(model->revisions_file, model->revisions[i].line, "comment",
				model->revisions[i].comment, 500);
	}
}

/* With an outcome: every pool has one, and every project with a cost
 * (a pool or project whose outcome was nothing has a row of 0); no pool's
 * outcome adds up to less than nothing. */
static void check_outcome(const struct model *model)
{
	const struct config *cfg = &model->cfg;
	for (size_t pi = 0; pi < cfg->npools; pi++) {
		int projects = pool_has(cfg, pi, CHARGE_PROJECTS);
		__int128 total = 0;
		size_t rows = 0;
		for (size_t k = 0; k < model->noutcome; k++)
			if (model->outcome[k].pool == pi) {
				total += model->outcome[k].amount;
				rows++;
			}
		if (total > MONEY_MAX)
			error_at(model->outcome_file, 0, "the outcome of pool '%s' adds up to more than %lld kronor",
				 cfg->pools[pi].name, (long long)(MONEY_MAX / 100));
		if (!projects && rows == 0)
			error_at(model->outcome_file, 0,
				 "pool '%s' has no outcome: give it a row (pool,item,amount; 0 when it cost nothing)",
				 cfg->pools[pi].name);
		if (total < 0)
			error_at(model->outcome_file, 0, "the outcome of pool '%s' adds up to less than nothing",
				 cfg->pools[pi].name);
		for (size_t j = 0; projects && j < model->nprojects; j++) {
			int has = 0;
			for (size_t k = 0; k < model->noutcome && !has; k++)
				has = model->outcome[k].project == (long)j;
			if (!has && model->projects[j].cost != 0)
				error_at(model->outcome_file, 0,
					 "project '%s' (%s:%d) has a cost but no outcome: give it a row (%s,%s,amount; 0 when it cost nothing)",
					 model->projects[j].id, model->projects_file, model->projects[j].line,
					 cfg->pools[pi].name, model->projects[j].id);
		}
	}
}

int validate_model(const struct model *model)
{
	const struct config *cfg = &model->cfg;
	int before = diag_errors();

	check_texts(model);
	if (model->outcome_file)
		check_outcome(model);

	/* A member leaving within a period: say what it is billed. */
	for (size_t m = 0; m < model->nmembers; m++) {
		const struct member *mem = &model->members[m];
		if (mem->leaves_by_notice) {
			char d1[DATE_BUFSZ], d2[DATE_BUFSZ];
			diag(DIAG_NOTE, model->members_file, mem->line,
			     "member '%s' gave notice on %s and has no 'leaves' date: it leaves when its %d months' notice has run out (uppsägning %s, utträde %s); a later 'leaves' keeps it longer",
			     mem->id, date_format(mem->notice, d1), cfg->notice_months, d1,
			     date_format(mem->leaves, d2));
		}
		for (size_t p = 0; mem->leaves != DATE_NONE && p < cfg->nperiods; p++) {
			const struct period *per = &cfg->periods[p];
			if (per->start == DATE_NONE || mem->leaves <= per->start || mem->leaves > per->end ||
			    !member_active(mem, per->invoice_date))
				continue;
			char d1[DATE_BUFSZ], d2[DATE_BUFSZ], d3[DATE_BUFSZ];
			warning_at(model->members_file, mem->line,
				   "member '%s' leaves on %s, within period '%s' (%s to %s): %s",
				   mem->id, date_format(mem->leaves, d1), per->name, date_format(per->start, d2),
				   date_format(per->end, d3),
				   cfg->leaving_billed
					   ? "it is billed for the whole period (leaving_period = billed; not_billed would bill it nothing for it)"
					   : "it is not billed for the period (leaving_period = not_billed)");
		}
	}

	if (cfg->issuer.member && model_find_member(model, cfg->issuer.member) < 0)
		error_at(cfg->path, cfg->issuer.member_line,
			 "[issuer] member is not in %s: '%s'", model->members_file, cfg->issuer.member);

	for (size_t pi = 0; pi < cfg->npools; pi++) {
		const struct pool *pool = &cfg->pools[pi];
		if (!pool_has(cfg, pi, CHARGE_PROJECTS)) {
			__int128 total = 0;
			size_t lines = 0;
			for (size_t b = 0; b < model->nbudget; b++) {
				if (model->budget[b].pool == pi) {
					total += model->budget[b].amount;
					lines++;
				}
			}
			if (lines == 0)
				error_at(model->budget_file, 0, "pool '%s' has no budget lines", pool->name);
			else if (total > MONEY_MAX || total < -MONEY_MAX)
				error_at(model->budget_file, 0, "pool '%s' adds up to more than %lld kronor",
					 pool->name, (long long)(MONEY_MAX / 100));
			else if (total < 0)
				error_at(model->budget_file, 0,
					 "pool '%s' adds up to a negative amount: a pool's costs cannot be negative (to pay a member back, credit its invoice: samfakt credit)",
					 pool->name);
		}
		check_pool_members(model, pi);
		const struct charge_kind *kind = charge_kind(pool->method);
		if (kind->check)
			kind->check(model, pi);
	}
	return diag_errors() == before ? 0 : -1;
}
