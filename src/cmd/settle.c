/* settle.c - samfakt settle YEAR: the year's outcome settled with each
 * member whose share of the outcome differs from what it was billed, pool
 * by pool. Rule own_document: a settlement invoice (it owes the host) or
 * credit note (the host owes it). Rule next_invoice: a settlement
 * statement, which the next year's first invoice of the member carries as
 * a line (cmd/issued.c, issued_carries); a member that has left by the
 * year's end gets a document of its own instead. Each is numbered from
 * the series, recorded and journaled like every document (filed under the
 * period SETTLEMENT_PERIOD). Only when
 * every period of the year is issued. An outcome changed after settling is
 * settled by a further document for the change alone: what a member was
 * billed includes the settlements before. build drafts what settle would
 * make. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/ident.h"
#include "base/util.h"
#include "cmd/issued.h"
#include "cmd/run.h"
#include "cmd/send.h"
#include "cmd/settle.h"
#include "keep/document.h"
#include "keep/journal.h"
#include "model/allocate.h"
#include "model/outcome.h"

void settlement_plan_release(struct settlement_plan *sp)
{
	free(sp->lines);
	free(sp->docs);
	memset(sp, 0, sizeof *sp);
}

/* Is member gone by the end of the year settled (so that no invoice of
 * the next year could carry its settlement)? */
static int member_left(const struct model *model, size_t m)
{
	date_t leaves = model->members[m].leaves;
	return leaves != DATE_NONE && leaves <= date_from_ymd(model->cfg.year + 1, 1, 1);
}

int settlement_plan(struct context *cx, struct settlement_plan *sp)
{
	const struct model *model = &cx->model;
	const size_t nm = model->nmembers, np = model->cfg.npools;
	memset(sp, 0, sizeof *sp);
	sp->lines = xcalloc(nm * np + 1, sizeof *sp->lines);
	sp->docs = xcalloc(2 * nm + 1, sizeof *sp->docs);
	struct outcome o;
	money_t *billed = xcalloc(nm * np + 1, sizeof *billed);
	int rc = outcome_compute(model, &o) < 0 || issued_pool_totals(cx, billed) < 0 ? -1 : 0;
	long own = model->cfg.issuer.member ? model_find_member(model, model->cfg.issuer.member) : -1;
	size_t nl = 0;
	for (size_t m = 0; rc == 0 && m < nm; m++) {
		if ((long)m == own)
			continue;
		int left = member_left(model, m);
		for (int statement = 0; statement <= 1; statement++) {
			struct settlement_doc d = {m, statement, nl, 0};
			money_t net = 0;
			for (size_t p = 0; p < np; p++) {
				enum settle_rule rule = model->cfg.pools[p].settlement;
				if (rule == SETTLE_NEXT_INVOICE && left)
					rule = SETTLE_OWN_DOCUMENT;	/* no next invoice to carry it */
				if (rule != (statement ? SETTLE_NEXT_INVOICE : SETTLE_OWN_DOCUMENT))
					continue;
				money_t actual = allocation_member_pool(&o.actual, m, p), b = billed[m * np + p];
				if (actual == b)
					continue;
				sp->lines[nl++] = (struct settlement_line){p, actual, b, actual - b};
				d.n++;
				net += actual - b;
			}
			if (net == 0)	/* differences that cancel out: no document of 0,00 kr */
				nl = d.first;
			else
				sp->docs[sp->documents++] = d;
			sp->statements += net != 0 && statement;
		}
	}
	free(billed);
	outcome_release(&o);
	return rc;
}

int settle_ready(struct context *cx, enum diag_level level)
{
	const struct config *cfg = &cx->model.cfg;
	if (!cfg->outcome_path) {
		diag(level, cfg->path, 0, "settling the year needs its outcome: [files] outcome");
		return 0;
	}
	int any = 0;
	for (size_t p = 0; p < cfg->npools; p++)
		any |= cfg->pools[p].settlement != SETTLE_NONE;
	if (!any) {
		diag(level, cfg->path, 0,
		     "no pool is settled: give [settlement] rule = own_document or next_invoice (or a pool's settlement =)");
		return 0;
	}
	for (size_t p = 0; p < cfg->nperiods; p++) {
		size_t n;
		const struct invoice *inv = allocation_period(&cx->alloc, p, &n);
		int billable = 0;
		for (size_t i = 0; i < n; i++)
			billable |= inv[i].billable;
		if (billable && !journal_has_period(&cx->journal, cfg->year, cfg->periods[p].name)) {
			diag(level, cfg->path, cfg->periods[p].line,
			     "period '%s' is not issued yet: %d is settled once all its periods are", cfg->periods[p].name,
			     cfg->year);
			return 0;
		}
	}
	return 1;
}

/* The settled year's earlier settlement documents: how many, the last. */
static const struct journal_row *earlier_settlement(const struct context *cx, size_t *count)
{
	const struct journal_row *last = NULL;
	*count = 0;
	for (size_t i = 0; i < cx->journal.n; i++) {
		const struct journal_row *r = &cx->journal.rows[i];
		if (issued_is_ours(cx, r) && strcmp(r->period, SETTLEMENT_PERIOD) == 0) {
			last = r;
			(*count)++;
		}
	}
	return last;
}

static enum exit_status run_settle(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	if (cx->opt->year != cfg->year) {
		error_at(cfg->path, 0, "this is %d's configuration: settle %d with its own (-c)", cfg->year,
			 cx->opt->year);
		return EXIT_INPUT;
	}
	/* every record of the year is read for the settlement: each held
	   against its row too */
	enum exit_status st = open_issued(cx, 1);
	if (st == EXIT_DONE)	/* what it writes beside: as issued */
		st = issued_check_period(cx, SETTLEMENT_PERIOD);
	if (st != EXIT_DONE)
		return st;
	if (!settle_ready(cx, DIAG_ERROR))
		return EXIT_INPUT;
	struct settlement_plan sp;
	if (settlement_plan(cx, &sp) < 0) {
		settlement_plan_release(&sp);
		return EXIT_INPUT;
	}
	size_t before;
	const struct journal_row *last = earlier_settlement(cx, &before);
	if (sp.documents == 0) {
		settlement_plan_release(&sp);
		if (before) {
			error_at(cx->journal.path, last->line,
				 "%d is settled (%zu document%s, the last %s) and nothing has changed since: an outcome changed after settling is settled by a further document for the change",
				 cfg->year, before, before == 1 ? "" : "s", last->number);
			return EXIT_INPUT;
		}
		summary(0, "settle: %d: every member was billed its share of the outcome; nothing to settle", cfg->year);
		return EXIT_DONE;
	}
	struct journal *j = &cx->journal;
	const size_t first = j->n;
	size_t invoices = 0, credits = 0, statements = 0;
	for (size_t i = 0; i < sp.documents && st == EXIT_DONE; i++) {
		const struct settlement_doc *d = &sp.docs[i];
		char *number = journal_number(j, 0);
		char ocr[OCR_BUFSZ];
		if (ocr_make(number, ocr) < 0)
			BUG("invoice number without digits: %s", number);
		struct document doc;
		document_settlement(&doc, &cx->model, d->member, &sp.lines[d->first], d->n, number, ocr,
				    cx->opt->today, d->statement);
		invoices += doc.kind == DOCUMENT_INVOICE;
		credits += doc.kind == DOCUMENT_CREDIT_NOTE;
		statements += doc.kind == DOCUMENT_STATEMENT;
		st = stage_row(cx, add_row(cx, &doc), &doc);
		document_release(&doc);
		free(number);
	}
	settlement_plan_release(&sp);
	st = commit_documents(cx, first, st);
	if (st == EXIT_DONE) {
		char carried[96] = "";
		if (statements)
			snprintf(carried, sizeof carried, ", %zu statement%s (%d's next invoices carry %s)",
				 statements, statements == 1 ? "" : "s", cfg->year + 1, statements == 1 ? "it" : "them");
		summary(1, "settle: %d: %zu settlement invoice%s and %zu credit note%s%s, %s to %s%s, journal %s",
		     cfg->year, invoices, invoices == 1 ? "" : "s", credits, credits == 1 ? "" : "s", carried,
		     j->rows[first].number, j->rows[j->n - 1].number,
		     before ? " (for what changed since the settlement before)" : "", j->path);
		summary_made(cx, first, "settle");
		st = send_pending(cx, 0);
	}
	return st;
}

enum exit_status cmd_settle(int argc, char **argv, const struct global_options *g)
{
	struct run_options opt = {.config = g->config, .today = g->today};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-')
			return misplaced_option(argv[0], a);
		if (opt.year)
			return usage_error("unexpected argument: '%s'", a);
		if (strlen(a) != 4 || strspn(a, "0123456789") != 4 || atoi(a) < 1900)
			return usage_error("settle takes a year, such as 'settle 2016', not '%s'", a);
		opt.year = atoi(a);
	}
	if (!opt.year)
		return usage_error("settle needs a year, such as 'settle 2016'");
	return run_command(&opt, run_settle);
}
