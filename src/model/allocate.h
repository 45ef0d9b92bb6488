/* allocate.h - the allocation: who pays what, computed once.
 *
 * This is the single source of money for every output. Renderers read
 * these structs and only format and place the numbers; none of them
 * computes an amount.
 *
 * The rules, for a pool's annual amount A billed over its k periods:
 *   1. A is split evenly over the k periods (money_split: largest
 *      remainder, earlier periods first on ties).
 *   2. A period's amount is split among the members billed in it: those
 *      who are members on its invoice date, in members.csv order (ties go
 *      to the member listed first):
 *        equal     - equal weights;
 *        key       - the member's value in the key column;
 *        projects  - each project on its own, its participants weighted by
 *                    population.
 *      per_user is not a split: a member pays
 *        round(users on the count date x annual fee x entry factor / k),
 *      the fee being round(budget / users on fee_date) or annual_fee.
 *   2b. A member that joins a dated project (participations.csv) after its
 *      start, in this year, buys in on the first invoice on which it takes
 *      part: with C the project's costs billed before (previous_cost and
 *      the project's parts of the earlier periods), W the population of
 *      the participants before it and w its own, it pays its share of C
 *      split among all of them by population (C x w / (W + w), largest
 *      remainder). The same amount is credited to the earlier
 *      participants: each the difference between what it has paid towards
 *      C and its share of C in the same split (so each ends at
 *      C x w_i / (W + w) within an öre), largest remainder again; the
 *      buy-in and its credits add up to each other exactly.
 *   3. A member's pool share is broken down over the pool's budget lines
 *      in proportion to their amounts (money_split again), so the rows of
 *      fordelning.csv add up to each invoice line exactly.
 *   4. VAT is round(net x rate / 100) per invoice, halves away from zero. */
#ifndef SAMFAKT_ALLOCATE_H
#define SAMFAKT_ALLOCATE_H

#include "model/model.h"

/* Why a member pays what it pays. */
struct basis {
	enum pool_method method;
	int factor;		/* per_user entry factor */
	money_t base;		/* the amount split in the period; per_user: the annual fee;
				   buyin: the project's costs before it; credit: the buy-in */
	int64_t part, whole;	/* equal: 1 / n; key: weight / sum (10^-6); projects:
				   population / sum; per_user: users / periods;
				   buyin: population / with the earlier participants';
				   credit: population / the earlier participants' */
	date_t joined;		/* buyin and credit: the day the member joined */
	int32_t joiner;		/* credit: the member buying in (index), else -1 */
};

struct alloc_row {		/* one row of fordelning.csv */
	size_t period, member, pool;
	const char *item;	/* budget line, or project id */
	money_t amount;
	struct basis basis;
	money_t line_amount;	/* the invoice line's, of which amount is a part */
};

struct invoice_line {	/* kept small: there is one a member, period and project */
	uint32_t pool;
	int32_t project;	/* index into model->projects, or -1 */
	struct basis basis;
	money_t amount;
};

/* The text of an invoice line: the pool's text, the project's name, or
 * what a buy-in or credit is ("Inköp i projekt …"). Malloc'd. */
char *invoice_line_text(const struct model *model, const struct invoice_line *line);

/* A buy-in, or one of its credits: a line of its own on the invoice of
 * the period in which the member joining first takes part; or last
 * year's settlement carried (METHOD_SETTLEMENT: model->carries[basis.joiner],
 * in its own pool, after every other line). */
struct project_move {
	uint32_t period, member;
	int32_t project;	/* -1 for a settlement */
	uint32_t pool;		/* a settlement's pool (buy-ins: the projects pool) */
	struct basis basis;	/* METHOD_BUYIN, METHOD_CREDIT or METHOD_SETTLEMENT */
	money_t amount;		/* buy-in > 0; credit < 0 */
};

/* Is move a credit of buy_in (same project and period, paid for by its member)? */
int move_credits(const struct project_move *move, const struct project_move *buy_in);

/* An invoice without its lines: there is one a member and period, so this
 * is what the allocation keeps for the whole year. The lines are made one
 * period at a time by allocation_lines. */
struct invoice {		/* 40 bytes */
	uint32_t period, member;
	uint32_t nlines : 29;
	uint32_t own : 1;	/* the issuer's own share: allocated, never invoiced */
	uint32_t billable : 1;	/* not own and net not 0: gets a PDF and a number */
	uint32_t credit_note : 1;	/* net < 0 (credits of buy-ins): a credit note */
	date_t due_date;	/* invoice date + terms_days */
	money_t net, vat, total;
};

struct pool_summary {
	money_t annual;		/* budget total, or the projects' costs */
	money_t fee;		/* per_user: the annual fee per user */
	int64_t fee_users;	/* per_user: users on fee_date (0 with annual_fee) */
	money_t *billed;	/* per period (config order): sum of member shares */
	size_t members;		/* equal: members billed in the pool's first period */
	money_t per_member;	/* equal: annual / members, rounded */
};

struct allocation {
	size_t nperiods;
	size_t ninvoices;
	struct invoice *invoices;	/* by period, then member order */
	size_t npools;
	struct pool_summary *pools;	/* one per config pool */
	money_t *member_pool;		/* nmembers x npools: a member's year in a pool (net) */
	size_t nmoves;
	struct project_move *moves;	/* buy-ins and credits, by period, member, project */
};

/* Compute the allocation of a validated model. Returns 0, or -1 after
 * reporting an invoice that would be negative. Memory: the invoices
 * without their lines, and one period's splits while it is computed. */
int allocate(const struct model *model, struct allocation *out);
void allocation_release(struct allocation *a);

/* The invoice lines of one period, made by the code that made the
 * allocation: the period's splits (each pool's and project's shares among
 * the members billed) are kept, and a member's lines are made from them
 * when asked for. Each member's lines are checked against its invoice. */
struct split;
struct period_lines {
	const struct model *model;
	const struct allocation *a;
	size_t period;
	int check;		/* compare each member's lines with its invoice */
	int32_t *billed_at;	/* per member: where it is among the billed, or -1 */
	size_t nsplits;
	struct split *splits;
	size_t max_lines;	/* the most lines a member can have */
	uint32_t projects_pool;	/* the pool of buy-ins and credits */
};
void allocation_lines(const struct model *model, const struct allocation *a, size_t period,
		      struct period_lines *out);
void period_lines_release(struct period_lines *pl);

/* Room for any member's lines (malloc'd). */
struct invoice_line *period_lines_buffer(const struct period_lines *pl);

/* Member's lines, in pool and project order, into out (from
 * period_lines_buffer); returns how many. pl is only read: threads may
 * share it, each with a buffer of its own. */
size_t period_lines_of(const struct period_lines *pl, size_t member, struct invoice_line *out);

/* Every row of fordelning.csv, in invoice order (period, member, line),
 * each budget line of a pool's share in budget.csv's order. */
typedef void (*row_fn)(void *ctx, const struct alloc_row *row);
void allocation_rows(const struct model *model, const struct allocation *a, row_fn fn, void *ctx);

/* Put last year's settlements (model->carries) on the invoices of their
 * periods: a line each, the invoice's net, VAT and total with it (VAT as
 * in rule 4). Not part of member_pool or a pool's billed: the money is the
 * settled year's. Returns 0, or -1 after reporting an invoice it would
 * make negative, or a member with no invoice in the period. */
int allocation_carry(const struct model *model, struct allocation *a);

/* What member pays towards pool over the year (net), and in all pools. */
money_t allocation_member_pool(const struct allocation *a, size_t member, size_t pool);
money_t allocation_member_year(const struct allocation *a, size_t member);

/* The invoices of period (*n of them, in member order). */
const struct invoice *allocation_period(const struct allocation *a, size_t period, size_t *n);

/* The invoice of member in period, or NULL when it has none (a binary
 * search: invoices are in period, then member order). */
const struct invoice *allocation_find(const struct allocation *a, size_t period, size_t member);

#endif
