/* charge.h - each method of sharing and each kind of charge: one entry
 * in one table (charge.c).
 *
 * An entry says everything about its kind: its name in the configuration
 * and its Swedish name, which keys and files it needs (flags), how it
 * checks the inputs across files, how its annual amount is prepared and a
 * period's part split, how a member's line of that split is made and how
 * its basis reads, and what the budget summary, the business plan and the
 * check report show of its pools. The hooks live beside the code of their
 * stage (allocate.c, validate.c, budget.c, template.c, report.c); adding a
 * method is adding an entry and its hooks, and no stage asks which method
 * a pool has.
 *
 * A buy-in and its credits (allocate.h, step 2b) are kinds of charge too:
 * entries that are no pool's method, whose lines the allocation makes
 * when members join projects. */
#ifndef SAMFAKT_CHARGE_H
#define SAMFAKT_CHARGE_H

#include <stddef.h>
#include <stdio.h>

#include "model/allocate.h"
#include "model/model.h"

struct layout;
struct expander;
struct split;

enum charge_flag {
	CHARGE_POOL = 1 << 0,		/* can be a pool's `method =` */
	CHARGE_KEY = 1 << 1,		/* weights from a members.csv column: `key =` */
	CHARGE_USERS = 1 << 2,		/* a fee per user: users.csv, count dates, `fee_date`,
					   `annual_fee`, `entry_factor` */
	CHARGE_PROJECTS = 1 << 3,	/* its costs from projects.csv, not budget.csv; by
					   population; one pool at most */
	CHARGE_PER_MEMBER = 1 << 4,	/* an amount per member: {{pool.NAME.per_member}} */
};

struct charge_kind {
	const char *name;	/* "equal"; a kind that is no method: "buyin" */
	unsigned flags;		/* enum charge_flag */
	const char *swedish;	/* "Lika delar": the budget summary's and the plan's */

	/* an invoice line's text when it is not its pool's or project's
	   ("Inköp i projekt …"; malloc'd), or NULL */
	char *(*line_text)(const struct model *model, const struct invoice_line *line);
	/* how its basis reads: on documents, and in fordelning.csv */
	void (*swedish_basis)(const struct pool *pool, const struct basis *b, char *buf);
	void (*plain_basis)(const struct pool *pool, const struct basis *b, char *buf);

	/* validate.c: its checks across the files, for pool pi (or NULL) */
	void (*check)(const struct model *model, size_t pi);

	/* allocate.c: what it works out once for the year (or NULL); the
	   split of the k-th of its periods among the n members billed; a
	   member's line of such a split: 0 when it has none */
	void (*prepare)(const struct model *model, struct allocation *a, size_t pi);
	void (*split)(struct period_lines *pl, size_t pi, size_t k, const size_t *billed, size_t n,
		      int64_t *weights);
	int (*line)(const struct period_lines *pl, const struct split *s, size_t member,
		    struct invoice_line *l);

	/* what its pools show: the budget summary (budget.c), the plan's
	   {{table.pool.NAME}} (template.c), the check report (report.c, or NULL) */
	void (*summary)(struct layout *lo, const struct model *model, const struct allocation *a,
			size_t pi);
	void (*plan_table)(struct expander *ex, size_t pi);
	void (*report)(FILE *out, const struct model *model, const struct allocation *a, size_t pi);
};

const struct charge_kind *charge_kind(enum pool_method m);
/* Does pool pi's method have flag? */
int pool_has(const struct config *cfg, size_t pi, enum charge_flag flag);
/* The pool whose method has flag (CHARGE_PROJECTS: the projects pool), or -1. */
long pool_with(const struct config *cfg, enum charge_flag flag);

/* A pool's method by its name in the configuration: 0, or -1. */
int charge_parse_method(const char *name, enum pool_method *out);
/* "equal, key, per_user or projects" (malloc'd). */
char *charge_methods_text(void);
/* "Lika delar" */
const char *method_swedish(enum pool_method m);

/* "Lika delar: 1/13 av 921 700,00 kr", for invoices and reports; "1/13 of
 * 921700.00", for fordelning.csv: the basis of a line of amount. When the
 * basis multiplied out and rounded to the öre is not the amount (a split
 * by largest remainder), it says so: "… (avrundat till öre enligt största
 * rest)". buf has room for FORMAT_BUFSZ. */
char *basis_swedish(const struct pool *pool, const struct basis *b, money_t amount, char *buf);
/* Does b, multiplied out and rounded to the öre, give amount? */
int basis_gives(const struct basis *b, money_t amount);
char *basis_plain(const struct pool *pool, const struct basis *b, money_t amount, char *buf);

/* The hooks, by stage. */
void allocate_prepare_equal(const struct model *model, struct allocation *a, size_t pi);
void allocate_prepare_per_user(const struct model *model, struct allocation *a, size_t pi);
void allocate_split_weighted(struct period_lines *pl, size_t pi, size_t k, const size_t *billed,
			     size_t n, int64_t *weights);
void allocate_split_per_user(struct period_lines *pl, size_t pi, size_t k, const size_t *billed,
			     size_t n, int64_t *weights);
void allocate_split_projects(struct period_lines *pl, size_t pi, size_t k, const size_t *billed,
			     size_t n, int64_t *weights);
int allocate_line_weighted(const struct period_lines *pl, const struct split *s, size_t member,
			   struct invoice_line *l);
int allocate_line_per_user(const struct period_lines *pl, const struct split *s, size_t member,
			   struct invoice_line *l);
int allocate_line_project(const struct period_lines *pl, const struct split *s, size_t member,
			  struct invoice_line *l);

void validate_check_key(const struct model *model, size_t pi);
void validate_check_per_user(const struct model *model, size_t pi);
void validate_check_projects(const struct model *model, size_t pi);

void budget_summary_equal(struct layout *lo, const struct model *model, const struct allocation *a,
			  size_t pi);
void budget_summary_key(struct layout *lo, const struct model *model, const struct allocation *a,
			size_t pi);
void budget_summary_per_user(struct layout *lo, const struct model *model,
			     const struct allocation *a, size_t pi);
void budget_summary_projects(struct layout *lo, const struct model *model,
			     const struct allocation *a, size_t pi);

void template_table_members(struct expander *ex, size_t pi);
void template_table_key(struct expander *ex, size_t pi);
void template_table_projects(struct expander *ex, size_t pi);

void report_per_user(FILE *out, const struct model *model, const struct allocation *a, size_t pi);

#endif
