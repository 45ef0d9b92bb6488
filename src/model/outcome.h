/* outcome.h - the year's actual costs shared as its budget was: what
 * each member's share of the outcome is.
 *
 * The outcome ([files] outcome) replaces the budget: each budget line's
 * amount by the outcome on it, each project's cost by its outcome, and
 * the allocation is made again by the very same code (allocate.c), so
 * the outcome is shared by the same rules and bases as the invoices:
 * equal shares among the same members, the same key, projects by the
 * same populations among the same participants on the same dates
 * (buy-ins included), the per-user fee by the same counts. Each member's
 * share of the outcome is therefore exact by the splitting rule, and the
 * shares add up to the outcome exactly. */
#ifndef SAMFAKT_OUTCOME_H
#define SAMFAKT_OUTCOME_H

#include "model/allocate.h"
#include "model/model.h"

struct outcome {
	struct model model;		/* the model with the outcome in place of the
					   budget (budget and projects of its own;
					   everything else shared with the model) */
	struct allocation actual;	/* its allocation: what each member's share is */
	money_t *line;			/* per budget line (model->budget): its outcome */
	money_t *project;		/* per project: its outcome */
	money_t *pool;			/* per pool: its outcome */
	money_t *borne;			/* per member: the costs it bore (bearer) */
	money_t host_borne;		/* the costs the host bore */
	money_t total;
};

/* The settlement of a year with each member billed in it: what it was
 * invoiced (net, from the journal: invoices less credit notes), its share
 * of the outcome, and the difference (positive: it owes the host). The
 * host's own share is never invoiced and is not settled. The differences
 * add up to the outcome less the host's own share, less what was
 * invoiced, exactly. */
struct settlement_row {
	size_t member;
	money_t invoiced, actual, difference;
};
struct settlement {
	size_t n;
	struct settlement_row *rows;	/* in member order */
	money_t invoiced, actual, difference;	/* their sums */
	money_t own_actual;		/* the host's own share of the outcome */
	size_t nperiods;
	money_t *fees_in;		/* per period: what was invoiced for it, net */
	money_t *costs_out;		/* per period: the outcome of its pools, each pool's
					   split evenly over its periods */
};

/* The outcome of a model that has one (model->outcome). 0, or -1 after a
 * message. */
int outcome_compute(const struct model *model, struct outcome *out);
void outcome_release(struct outcome *o);

/* The settlement of o: invoiced[m] is what member m was invoiced for the
 * year (net), billed[m] whether it was billed in it at all; fees_in[p]
 * what period p invoiced (net). */
void settlement_make(const struct model *model, const struct outcome *o, const money_t *invoiced,
		     const unsigned char *billed, const money_t *fees_in, struct settlement *s);
void settlement_release(struct settlement *s);

#endif
