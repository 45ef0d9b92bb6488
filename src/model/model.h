/* model.h - what samfakt knows about one cooperation and one year.
 *
 * The configuration (config.c) and the input files (load.c) fill these
 * structs; validate.c checks how they fit together; allocate.c reads them
 * and computes the allocation. Nothing here is changed after validation.
 *
 * Swedish terms used in the code:
 *   samverkan      - the cooperation of several municipalities
 *   värdkommun     - the host municipality: pays the costs, bills the others
 *   grundbelopp    - base amount, shared equally
 *   fördelning     - the allocation of costs to members
 *   utkast         - a draft invoice (no number taken)
 *   fakturajournal - the invoice journal, the record of numbers issued */
#ifndef SAMFAKT_MODEL_H
#define SAMFAKT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/money.h"
#include "base/util.h"

/* Key weights and shares are read with this many decimals. */
#define WEIGHT_DECIMALS 6

struct text_list {
	size_t n;
	char **items;
};

struct issuer {
	char *name;
	char *org_nr;		/* canonical "NNNNNN-NNNN" */
	char *vat_nr;		/* optional */
	struct text_list address;
	char *bankgiro;		/* canonical "NNNN-NNNN" */
	char *reference;	/* "Vår referens" */
	char *email;
	char *phone;
	char *peppol_id;	/* "0007:2120002742": set, or made from org_nr */
	char *member;		/* the issuer's own member id: billed to nobody */
	int member_line;
};

struct period {
	char *name;		/* "H1": a slug, used in folder names */
	date_t invoice_date;
	date_t count_date;	/* DATE_NONE unless set */
	char *text;		/* the service period printed, optional */
	date_t start, end;	/* the service period's first and last day (set,
				   or the year cut at the invoice dates) */
	date_t waits_for;	/* a count date of which users.csv has no counts yet:
				   the period waits (no drafts, not issued); or
				   DATE_NONE (model_mark_waiting) */
	int line;		/* of the section header */
};

enum pool_method {
	METHOD_EQUAL,		/* equal shares among members billed */
	METHOD_KEY,		/* by a numeric column of members.csv */
	METHOD_PER_USER,	/* annual fee per registered user */
	METHOD_PROJECTS,	/* each project by population among participants */
	/* kinds of charge that are no pool's method: */
	METHOD_BUYIN,		/* a member joining a project pays its share of the past */
	METHOD_CREDIT,		/* what the earlier participants get back of a buy-in */
	METHOD_SETTLEMENT,	/* last year's settlement carried onto an invoice */
};

/* How a year's outcome is settled with the members ([settlement] rule, or
 * a pool's settlement): not at all (the follow-up report only), or with a
 * settlement invoice or credit note of its own for each member. */
enum settle_rule {
	SETTLE_NONE,
	SETTLE_OWN_DOCUMENT,
	SETTLE_NEXT_INVOICE,	/* a statement now, a line of the next year's first
				   invoice; a member that has left: own document */
};
/* The period name of settlement documents in the journal and the output. */
#define SETTLEMENT_PERIOD "avrakning"

struct pool {
	char *name;		/* a slug, the budget.csv "pool" value */
	char *text;		/* invoice line text */
	enum pool_method method;
	size_t nperiods;
	size_t *periods;	/* indices into config.periods, in date order */
	char *periods_text;	/* as written; resolved by config_load */
	int periods_line;
	char *key;		/* METHOD_KEY: the members.csv column */
	int key_line;
	date_t fee_date;	/* METHOD_PER_USER */
	money_t annual_fee;	/* METHOD_PER_USER, or -1 for budget / users */
	int entry_factor;	/* METHOD_PER_USER, first 12 months; default 1 */
	char *account;		/* [ledger]: the income account of its shares */
	char *cost_centre;	/* [ledger]: a cost centre (SIE dimension 1), optional */
	char *settlement_text;	/* settlement = …, as written, or NULL */
	enum settle_rule settlement;	/* the pool's rule: its own, or [settlement]'s */
	int line;
	int method_set;
};

/* [ledger]: how issued documents are booked (samfakt export sie). */
struct ledger {
	int present;
	char *receivable;	/* the receivable account, "1510" */
	char *vat;		/* output VAT, "2611" */
	char *series;		/* the voucher series, default "A" */
	char *prepaid;		/* prepaid income (förutbetalda intäkter), default "2970":
				   an invoice issued before its period's year is booked
				   there and released to income on 1 January */
};

/* How e-invoices are made ([einvoice]) and handed to the host's Peppol
 * access point ([sending]). */
struct einvoice {
	char *attach_pdf_text;	/* as written */
	int attach_pdf;		/* the PDF inside the e-invoice: 1 unless "no" */
	int max_kb;		/* the largest e-invoice issue makes, default 5 MB */
};
struct sending {
	char *outbox;		/* the access point's drop folder, or NULL */
	date_t since;		/* the first invoice date handed over */
};

struct config {
	char *path;		/* as given */
	char *dir;		/* its folder: relative paths start here */

	char *name;
	int year;
	int notice_months;	/* notice a member must give; 0: not checked */
	char *leaving_period;	/* as written: "billed" or "not_billed" */
	int leaving_billed;	/* a member leaving within a period is billed for it
				   (leaving_period = billed, the default) or not */

	struct issuer issuer;

	int terms_days;
	char *number_prefix;
	long first_number;
	int vat_rate;		/* per cent */
	char *vat_note;
	char *vat_category;	/* the e-invoice's VAT category: "S", "E" or "O" */
	struct ledger ledger;
	struct einvoice einvoice;
	struct sending sending;
	char *csv_text;		/* [output] csv, as written */
	int csv_plain;		/* the CSVs for people as plain CSV, not Swedish Excel's */
	char *settlement_text;	/* [settlement] rule, as written, or NULL */
	enum settle_rule settlement;	/* SETTLE_NONE unless given */

	char *members_path;
	char *users_path;
	char *budget_path;
	char *projects_path;
	char *participations_path;	/* optional: who takes part in a project, from when */
	char *output_dir;
	char *journal_path;
	char *previous_budget_path;	/* optional: last year's budget.csv */
	char *templates_dir;		/* optional: Markdown templates of the plan */
	char *meetings_path;		/* optional: meeting dates for the plan */
	char *revisions_path;		/* optional: the plan's revision history */
	char *outcome_path;		/* optional: the year's actual costs (utfall) */

	size_t nperiods;
	struct period *periods;
	size_t npools;
	struct pool *pools;
};

struct member {
	char *id;
	char *name;
	char *org_nr;
	int64_t population;
	struct text_list address;
	char *reference;	/* "Er referens", the e-invoice's buyer reference */
	char *peppol_id;	/* "0007:2120002759": its own, or made from org_nr */
	date_t joined;		/* DATE_NONE: a member from the start */
	date_t leaves;		/* DATE_NONE: not leaving; else the first day outside */
	date_t notice;		/* when notice was given, or DATE_NONE */
	int leaves_by_notice;	/* leaves is notice + notice_months: 'leaves' was empty */
	int64_t *weights;	/* one per key pool, scaled by 10^WEIGHT_DECIMALS */
	int line;
};

struct user_count {		/* 16 bytes: there may be one a member and period */
	date_t date;
	uint32_t member;
	int32_t users;		/* at most USERS_MAX */
	int line;
};

struct budget_line {
	size_t pool;
	char *item;
	money_t amount;
	int line;
};

/* A member's time in a project: it takes part in the periods whose
 * invoice date is on or after `joined` and before `left`. */
struct stint {
	date_t joined;		/* DATE_NONE: from the project's start */
	date_t left;		/* DATE_NONE: still in it; else the first day out */
	int line;		/* of participations.csv, or 0 */
};

struct project {
	char *id;
	char *name;
	char *status;
	char *start;		/* as written ("2015" or "2015-05-01"), for the plan */
	char *end;
	date_t start_date;	/* a bare year: 1 January; DATE_NONE when empty */
	date_t end_date;	/* a bare year: 31 December; DATE_NONE when empty */
	money_t cost;
	money_t previous_cost;	/* paid by its participants in earlier years */
	int all_members;	/* participants "*": the members on its start date */
	int listed;		/* its participants cell in projects.csv is not empty */
	int dated;		/* its participants come from participations.csv */
	size_t nparticipants;
	size_t *participants;	/* member indices, in member order (after loading) */
	struct stint *stints;	/* parallel to participants */
	char *comment;
	int line;
};

/* A row of the year's actual costs (the outcome): a pool's budget line, or
 * a project of the projects pool, and who bore it. */
struct outcome_line {
	size_t pool;
	const char *item;	/* a budget item of the pool, or a project's id */
	long project;		/* the projects pool: the project's index, else -1 */
	money_t amount;
	long bearer;		/* the member that bore it and invoices the host in
				   arrears, or -1: the host */
	int line;
};

struct previous_line {		/* a row of last year's budget */
	char *pool;
	char *item;
	money_t amount;
	int line;
};

struct meeting {
	date_t date;
	char *body;
	char *note;
	int line;
};

struct revision {
	char *version;
	date_t date;
	char *comment;
	int line;
};

/* Everything read for one run. */
/* Last year's settlement carried onto this year's invoices (rule
 * next_invoice): a line of a settlement statement, read from its frozen
 * record (cmd/issued.c, issued_carries), never from today's inputs. */
struct carry {
	size_t member, pool;	/* this year's member and pool */
	size_t period;		/* the period whose invoice carries it */
	int year;		/* the year settled */
	char *statement;	/* the statement's number */
	char *what;		/* what it settles: "Grundbelopp 2016" */
	money_t amount, actual, billed;	/* the difference; the share of the outcome, what was billed */
};

struct model {
	struct config cfg;
	char *members_file, *users_file, *budget_file, *projects_file, *participations_file;
	size_t nmembers;
	struct member *members;
	struct arena member_texts;	/* every string, address and weights of members */
	size_t *members_by_id;	/* member indices sorted by id, for lookups */
	size_t nusers;
	struct user_count *users;	/* sorted by member, then date */
	size_t nbudget;
	struct budget_line *budget;
	size_t nprojects;
	struct project *projects;
	char *previous_file, *meetings_file, *revisions_file, *outcome_file;
	size_t noutcome;
	struct outcome_line *outcome;	/* with [files] outcome */
	size_t nprevious;
	struct previous_line *previous;
	size_t nmeetings;
	struct meeting *meetings;
	size_t nrevisions;
	struct revision *revisions;
	size_t ncarries;
	struct carry *carries;	/* with the journal: last year's settlement to carry */
};

/* Is member m a member on day d? (joined <= d < leaves) */
int member_active(const struct member *m, date_t d);

/* Is member m billed in period: a member on its invoice date, and, with
 * leaving_period = not_billed, not leaving before it ends? */
int member_billed(const struct model *model, size_t m, size_t period);

/* Index of the member with this id, or -1 (a binary search). */
long model_find_member(const struct model *model, const char *id);
size_t model_member_slot(const struct model *model, const char *id, int *found);
long config_find_period(const struct config *cfg, const char *name);
long config_find_pool(const struct config *cfg, const char *name);

void text_list_add(struct text_list *l, const char *s);
void text_list_release(struct text_list *l);

/* A pool's method by name: "equal" (format.c, from the table of kinds). */
const char *method_name(enum pool_method m);

/* Free everything a model holds (load_inputs and config_load filled it);
 * config_release only what config_load filled. */
void model_release(struct model *model);
void config_release(struct config *cfg);
/* Free a project's strings and arrays. */
void project_release(struct project *p);

/* The count for member on date, or -1 when there is none. */
int64_t model_user_count(const struct model *model, size_t member, date_t date);

/* Is member a participant of project pr? */
int project_has_member(const struct project *pr, size_t member);

/* Does member take part in project pr in period: a participant, its
 * stint covering the period's invoice date, and billed in the period? */
int project_takes_part(const struct model *model, const struct project *pr, size_t member,
		       size_t period);
/* Did the participant in slot of pr join after the project's start (not
 * from the start)? */
int project_joined_late(const struct project *pr, size_t slot);

/* Does the participant in slot of pr buy in this year: it joined after
 * the project's start, and after last year's last invoice of the
 * projects pool (the same day a year before this year's last)? One that
 * joined earlier bought in then: previous_cost holds it. */
int project_buys_in(const struct model *model, const struct project *pr, size_t slot);

/* Where member is among pr's participants in member order, or -1 when
 * it is not one of them. */
long project_slot(const struct project *pr, size_t member);

#endif
