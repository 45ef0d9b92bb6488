/* issue.c - samfakt issue PERIOD: the final invoices of a period,
 * numbered, recorded and journaled, with the crash safety of staging. */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/date.h"
#include "base/diag.h"
#include "base/ident.h"
#include "base/util.h"
#include "cmd/issued.h"
#include "cmd/run.h"
#include "cmd/send.h"
#include "keep/document.h"
#include "keep/drafts.h"
#include "keep/journal.h"
#include "keep/output.h"
#include "keep/workers.h"
#include "model/allocate.h"
#include "model/config.h"

/* How many days before its invoice date a period may be issued. */
#define ISSUE_DAYS_EARLY 30

struct issue_job {
	struct context *cx;
	const size_t *items;
	size_t first_row;	/* the journal row of items[0] */
	const struct period_lines *lines;
	char (*sha)[HASH_HEXSZ];	/* each record's fingerprint, in memory the
					   workers share with this process (or NULL) */
};

/* Make invoice i's document, and stage its files beside their final names.
 * A worker is another process: the record's fingerprint it gets here goes
 * to memory shared with issue_new (without it, issue_new reads it back
 * from the staged record). */
static int issue_job(void *ctx, size_t i, size_t *count)
{
	struct issue_job *ij = ctx;
	const struct invoice *inv = &ij->cx->alloc.invoices[ij->items[i]];
	const struct journal_row *row = &ij->cx->journal.rows[ij->first_row + i];
	struct invoice_line *lines = period_lines_buffer(ij->lines);
	period_lines_of(ij->lines, inv->member, lines);
	struct document doc;
	document_from_invoice(&doc, &ij->cx->model, inv, lines, row->number, row->ocr);
	doc.invoice_date = row->invoice_date;	/* the day it is issued */
	doc.due_date = row->due_date;
	free(lines);
	char sha[HASH_HEXSZ];
	int rc = stage_document(ij->cx, row, &doc, sha);
	if (rc == 0 && ij->sha)
		memcpy(ij->sha[i], sha, HASH_HEXSZ);
	int st = rc == -2 ? EXIT_INPUT : rc < 0 ? EXIT_WRITE : EXIT_DONE;
	document_release(&doc);
	(*count)++;
	return st;
}

/* One piece: the issue transaction in its order (rows added, documents
 * staged, the journal committed, the files put in place, the drafts
 * removed): the crash safety is this order, read in one place. */
static enum exit_status issue_new(struct context *cx, size_t period)
{
	const struct model *model = &cx->model;
	const struct period *p = &model->cfg.periods[period];
	struct journal *j = &cx->journal;
	char *dir = year_path(cx, "fakturor", p->name);
	size_t *items = xcalloc(cx->alloc.ninvoices + 1, sizeof *items);
	size_t n = period_invoices(cx, period, items);
	struct period_lines pl;
	allocation_lines(model, &cx->alloc, period, &pl);
	struct issue_job ij = {cx, items, j->n, &pl, NULL};
	enum exit_status st = EXIT_DONE;

	if (n == 0) {
		warning_at(model->cfg.path, p->line, "period '%s' has nothing to bill", p->name);
		goto out;
	}
	if (output_mkdirs(dir) < 0 || output_mkdirs(j->records) < 0) {
		st = EXIT_WRITE;
		goto out;
	}
	/* Numbers in member order; each row added moves the next number on. */
	journal_reserve(j, n);
	for (size_t i = 0; i < n; i++) {
		const struct invoice *inv = &cx->alloc.invoices[items[i]];
		const struct member *m = &model->members[inv->member];
		char *number = journal_number(j, 0);
		char ocr[OCR_BUFSZ];
		if (ocr_make(number, ocr) < 0)
			BUG("invoice number without digits: %s", number);
		struct journal_row row = {
			.number = number, .type = inv->credit_note ? DOCUMENT_CREDIT_NOTE : DOCUMENT_INVOICE,
			.cooperation = model->cfg.name,
			.year = model->cfg.year, .period = p->name, .period_date = p->invoice_date,
			.member = m->id, .org_nr = m->org_nr,
			.invoice_date = cx->opt->today,
			.due_date = inv->credit_note ? cx->opt->today
						     : date_add_days(cx->opt->today, model->cfg.terms_days),
			.net = inv->net, .vat = inv->vat, .total = inv->total, .ocr = ocr,
		};
		journal_add(j, &row);
		free(number);
	}
	/* Make and stage every document's files, on every core; then each
	 * row takes its record's fingerprint. */
	size_t staged_count = 0;
	void *shared = mmap(NULL, n * HASH_HEXSZ, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ij.sha = shared == MAP_FAILED ? NULL : shared;	/* zero-filled */
	st = (enum exit_status)workers_run(n, issue_job, &ij, &staged_count);
	for (size_t i = ij.first_row; st == EXIT_DONE && i < j->n; i++) {
		if (ij.sha && ij.sha[i - ij.first_row][0]) {
			journal_set_record(&j->rows[i], ij.sha[i - ij.first_row]);
			continue;
		}
		char *path = issued_path(cx, &j->rows[i], ISSUED_RECORD);
		char *name = output_staged_name(path);
		char sha[HASH_HEXSZ];
		if (hash_file(name, sha) < 0) {
			error_at(name, 0, "cannot read what was just written: %s", strerror(errno));
			st = EXIT_WRITE;
		} else {
			journal_set_record(&j->rows[i], sha);
		}
		free(name);
		free(path);
	}
	if (ij.sha)
		munmap(shared, n * HASH_HEXSZ);
	/* The journal is the commit point: once it names the numbers, the
	 * period is issued, and a killed run is completed by the next one
	 * (journal_load puts the staged records in place, open_issued makes
	 * the PDFs again from them). */
	st = commit_documents(cx, ij.first_row, st);
	if (st == EXIT_DONE) {
		char *drafts = year_path(cx, "utkast", p->name);
		settle_drafts(drafts, NULL, 0, NULL);
		rmdir(drafts);
		free(drafts);
		size_t notes = 0;
		for (size_t i = ij.first_row; i < j->n; i++)
			notes += j->rows[i].type == DOCUMENT_CREDIT_NOTE;
		char also[64] = "";
		if (notes)	/* credits of buy-ins beyond a member's invoice */
			snprintf(also, sizeof also, " and %zu credit note%s", notes, notes == 1 ? "" : "s");
		summary(1, "issue: period '%s': %zu invoice%s%s, %s to %s, journal %s", p->name, n - notes,
		     n - notes == 1 ? "" : "s", also, j->rows[ij.first_row].number, j->rows[j->n - 1].number,
		     j->path);
		summary_made(cx, ij.first_row, "issue");
		st = send_pending(cx, 0);
	}
out:
	period_lines_release(&pl);
	free(items);
	free(dir);
	return st;
}

static enum exit_status run_issue(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	long period = named_period(cfg, cx->opt->period);
	if (period < 0)
		return EXIT_USAGE;
	const struct period *p = &cfg->periods[period];
	enum exit_status st = open_issued(cx, 0);
	if (st == EXIT_DONE)	/* what it writes beside: as issued */
		st = issued_check_period(cx, p->name);
	if (st == EXIT_DONE && !cx->journal.exists && !cx->opt->new_journal) {
		/* A journal that is not there may be one that was lost or left
		 * behind: only the host knows, so it must say so. */
		error_at(cx->journal.path, 0,
			 "there is no journal here: if invoices of series '%s' were issued before, the journal was moved or deleted: point [files] journal at it or restore it from a backup; if this is the series' first issue, run 'samfakt issue %s --new-journal'",
			 cfg->number_prefix ? cfg->number_prefix : "", p->name);
		return EXIT_INPUT;
	}
	if (st == EXIT_DONE && cx->journal.exists && cx->opt->new_journal) {
		error_at(cx->journal.path, 0, "--new-journal, but the journal is already there: leave --new-journal out");
		return EXIT_USAGE;
	}
	if (st != EXIT_DONE)
		return st;

	if (p->waits_for != DATE_NONE && !journal_has_period(&cx->journal, cfg->year, p->name)) {
		char d[DATE_BUFSZ];
		error_at(cx->model.users_file, 0,
			 "period '%s' cannot be issued yet: it waits for the user counts of %s (its count date)",
			 p->name, date_format(p->waits_for, d));
		return EXIT_INPUT;
	}
	if (journal_has_period(&cx->journal, cfg->year, p->name)) {
		if (issued_compare(cx, (size_t)period, DIAG_ERROR) > 0) {
			error_at(cfg->path, p->line,
				 "period '%s' is already issued and the inputs now give other invoices; nothing was changed ('samfakt correct %s --reason TEXT' credits the invoices they change and issues new ones)",
				 p->name, p->name);
			return EXIT_INPUT;
		}
		summary(0, "issue: period '%s' is already issued; nothing changed", p->name);
		return EXIT_DONE;
	}
	/* An invoice is dated the day it is issued (the law asks for that
	 * date): not a month and more before the period's invoice date, and
	 * periods in their order, so that numbers follow time. */
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ], d3[DATE_BUFSZ];
	const date_t today = cx->opt->today;
	if (today < date_add_days(p->invoice_date, -ISSUE_DAYS_EARLY)) {
		error_at(cfg->path, p->line,
			 "period '%s' is billed on %s: it can be issued from %s (at most %d days before), not on %s",
			 p->name, date_format(p->invoice_date, d1),
			 date_format(date_add_days(p->invoice_date, -ISSUE_DAYS_EARLY), d2), ISSUE_DAYS_EARLY,
			 date_format(today, d3));
		return EXIT_INPUT;
	}
	for (long e = 0; e < period; e++) {
		const struct period *ep = &cfg->periods[e];
		size_t count, billable = 0;
		const struct invoice *inv = allocation_period(&cx->alloc, (size_t)e, &count);
		for (size_t i = 0; i < count; i++)
			billable += inv[i].billable;
		if (billable && !journal_has_period(&cx->journal, cfg->year, ep->name)) {
			error_at(cfg->path, p->line,
				 "period '%s' comes before '%s' and is not issued: issue it first ('samfakt issue %s'), so that invoice numbers follow the periods",
				 ep->name, p->name, ep->name);
			return EXIT_INPUT;
		}
	}
	if (today > date_add_days(p->invoice_date, cfg->terms_days))
		warning_at(cfg->path, p->line, "period '%s' is issued on %s, %d days after its invoice date %s",
			   p->name, date_format(today, d1), today - p->invoice_date, date_format(p->invoice_date, d2));
	return issue_new(cx, (size_t)period);
}

enum exit_status cmd_issue(int argc, char **argv, const struct global_options *g)
{
	struct run_options opt = {.config = g->config, .today = g->today};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--new-journal") == 0)
			opt.new_journal = 1;
		else if (argv[i][0] == '-')
			return misplaced_option(argv[0], argv[i]);
		else if (opt.period)
			return usage_error("unexpected argument: '%s'", argv[i]);
		else
			opt.period = argv[i];
	}
	if (!opt.period)
		return usage_error("issue needs a period, such as 'issue H1'");
	return run_command(&opt, run_issue);
}
