/* build.c - samfakt build: fordelning.csv, the reports, the drafts of the
 * periods not issued and of what correct would make for issued ones. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/hash.h"
#include "base/util.h"
#include "cmd/issued.h"
#include "cmd/run.h"
#include "cmd/settle.h"
#include "keep/document.h"
#include "keep/drafts.h"
#include "keep/journal.h"
#include "keep/output.h"
#include "keep/workers.h"
#include "model/allocate.h"
#include "model/outcome.h"
#include "render/budget.h"
#include "render/followup.h"
#include "render/invoice.h"
#include "render/plan.h"
#include "render/report.h"

struct draft_job {
	struct context *cx;
	size_t period;
	const size_t *items;
	const struct period_lines *lines;
	char (*sums)[HASH_HEXSZ];	/* each draft's SHA-256, for the manifest:
					   memory the worker processes share */
};

static int draft_job(void *ctx, size_t i, size_t *changed)
{
	struct draft_job *dj = ctx;
	const struct invoice *inv = &dj->cx->alloc.invoices[dj->items[i]];
	char *path = draft_name(dj->cx, dj->period, inv->member);
	char *pdf;
	size_t len;
	int did_change = 0, st = EXIT_DONE;
	if (issued_make_document(dj->cx, dj->lines, inv, NULL, NULL, path, &pdf, &len,
				 dj->sums ? dj->sums[i] : NULL, NULL) < 0) {
		st = EXIT_WRITE;
	} else {
		if (output_write_later(path, pdf, len, &did_change) < 0)
			st = EXIT_WRITE;
		free(pdf);
	}
	*changed += (size_t)did_change;
	free(path);
	return st;
}

/* A draft's PDF, written only if it changed; *changed counts it then. */
static int write_draft(const struct document *doc, const char *path, size_t *changed)
{
	char *pdf;
	size_t len;
	int did_change = 0;
	if (invoice_render(doc, path, &pdf, &len) < 0)
		return -1;
	int rc = output_write(path, pdf, len, &did_change);
	free(pdf);
	*changed += (size_t)did_change;
	return rc;
}

/* The drafts of what 'correct' would make for an issued period: a credit
 * note (utkast-kredit-NUMBER-MEMBER.pdf) and a new invoice
 * (utkast-PERIOD-MEMBER.pdf) for each member whose invoice the inputs
 * change; for an invoice amended by a difference before, what 'correct
 * --difference' would make (utkast-andring-NUMBER-MEMBER.pdf). Other PDFs
 * in dir are removed, and dir when none is left. */
static enum exit_status correction_drafts(struct context *cx, size_t period, const char *dir,
					  size_t *written, size_t *changed)
{
	const char *pname = cx->model.cfg.periods[period].name;
	struct period_lines pl;
	allocation_lines(&cx->model, &cx->alloc, period, &pl);
	struct invoice_line *lines = period_lines_buffer(&pl);
	struct correction *c;
	size_t nc = issued_corrections(cx, period, &c);
	char **made = xcalloc(2 * nc + 1, sizeof *made);
	size_t n = 0, differences = 0;
	enum exit_status st = EXIT_DONE;
	for (size_t ci = 0; ci < nc && st == EXIT_DONE; ci++) {
		const struct invoice *inv = c[ci].inv;
		const struct journal_row *r = c[ci].row == NO_ROW ? NULL : &cx->journal.rows[c[ci].row];
		if (uncorrectable(&cx->journal, r, DIAG_WARNING))
			continue;
		if (output_mkdirs(dir) < 0)
			st = EXIT_WRITE;
		money_t net, vat, total;
		size_t amended = 0;
		if (r)
			journal_billed(&cx->journal, r->year, r->period, r->member, &net, &vat, &total, &amended);
		if (amended && st == EXIT_DONE) {
			struct document doc;
			if (c[ci].member >= 0)
				period_lines_of(&pl, (size_t)c[ci].member, lines);
			int rc = make_difference(cx, r, inv, lines, NULL, NULL, &doc);
			if (rc < 0) {
				st = EXIT_INPUT;
				break;
			}
			char *path = xasprintf("%s/utkast-andring-%s-%s.pdf", dir, r->number, doc.buyer.id);
			if (rc == 0 && write_draft(&doc, path, changed) < 0)
				st = EXIT_WRITE;
			if (rc == 0)
				made[n++] = path;
			else
				free(path);
			differences += rc == 0;
			document_release(&doc);
			continue;
		}
		for (int k = 0; k < 2 && st == EXIT_DONE; k++) {
			struct document doc;
			if (k == 0 && !r)
				continue;
			if (k == 1 && !inv)
				break;
			if (k == 0 && make_credit(cx, r, 1, &doc) < 0) {
				st = EXIT_INPUT;
				break;
			}
			if (k == 1) {
				period_lines_of(&pl, (size_t)c[ci].member, lines);
				replacing_invoice(cx, &doc, inv, lines, NULL, NULL, r ? r->number : NULL,
						  r ? r->invoice_date : DATE_NONE);
			}
			char *path = k == 0 ? xasprintf("%s/utkast-kredit-%s-%s.pdf", dir, r->number, doc.buyer.id)
					    : draft_name(cx, period, (size_t)c[ci].member);
			if (write_draft(&doc, path, changed) < 0)
				st = EXIT_WRITE;
			made[n++] = path;
			document_release(&doc);
		}
	}
	*written += n;
	if (st == EXIT_DONE && settle_drafts(dir, made, n, NULL) < 0)
		st = EXIT_WRITE;
	if (st == EXIT_DONE) {
		if (n == 0)
			rmdir(dir);
		else
			note("build: period '%s' is issued and today's inputs change %zu of its documents: the drafts in %s show what 'samfakt correct %s%s' would make",
			     pname, n, dir, pname, differences ? " --difference" : "");
	}
	for (size_t i = 0; i < n; i++)
		free(made[i]);
	free(made);
	free(c);
	free(lines);
	period_lines_release(&pl);
	return st;
}

/* The drafts of what settle would make (utkast/avrakning/), once the year
 * can be settled: a settlement invoice or credit note a member. Drafts no
 * longer wanted are removed, as for the periods'. */
static enum exit_status settlement_drafts(struct context *cx, size_t *written, size_t *changed)
{
	char *dir = year_path(cx, "utkast", SETTLEMENT_PERIOD);
	struct settlement_plan sp = {0};
	size_t n = 0;
	char **made = NULL;
	enum exit_status st = EXIT_DONE;
	if (settle_ready(cx, DIAG_DEBUG)) {
		if (settlement_plan(cx, &sp) < 0)
			st = EXIT_INPUT;
		made = xcalloc(sp.documents + 1, sizeof *made);
		for (size_t i = 0; st == EXIT_DONE && i < sp.documents; i++) {
			const struct settlement_doc *d = &sp.docs[i];
			if (output_mkdirs(dir) < 0) {
				st = EXIT_WRITE;
				break;
			}
			struct document doc;
			document_settlement(&doc, &cx->model, d->member, &sp.lines[d->first], d->n, NULL, NULL,
					    cx->opt->today, d->statement);
			char *path = xasprintf("%s/utkast-%s-%s%s.pdf", dir, SETTLEMENT_PERIOD, doc.buyer.id,
					       d->statement ? "-besked" : "");
			if (write_draft(&doc, path, changed) < 0)
				st = EXIT_WRITE;
			made[n++] = path;
			document_release(&doc);
		}
	}
	*written += n;
	if (st == EXIT_DONE && access(dir, F_OK) == 0 && settle_drafts(dir, made, n, NULL) < 0)
		st = EXIT_WRITE;
	if (st == EXIT_DONE && n == 0)
		rmdir(dir);
	else if (st == EXIT_DONE)
		note("build: %d can be settled: the drafts in %s show what 'samfakt settle %d' would make", cx->model.cfg.year,
		     dir, cx->model.cfg.year);
	for (size_t i = 0; i < n; i++)
		free(made[i]);
	free(made);
	settlement_plan_release(&sp);
	free(dir);
	return st;
}

static enum exit_status build_drafts(struct context *cx, size_t period, size_t *written,
				     size_t *changed)
{
	const struct model *model = &cx->model;
	char *dir = year_path(cx, "utkast", model->cfg.periods[period].name);
	size_t *items = xcalloc(cx->alloc.ninvoices + 1, sizeof *items);
	char **made = NULL;
	size_t n = 0;
	enum exit_status st = EXIT_DONE;

	if (journal_has_period(&cx->journal, model->cfg.year, model->cfg.periods[period].name)) {
		/* Issued: drafts only of what a correction would make. */
		st = correction_drafts(cx, period, dir, written, changed);
		goto out;
	}
	if (model->cfg.periods[period].waits_for != DATE_NONE) {
		/* no drafts until its counts are there (note_waiting says so) */
		settle_drafts(dir, NULL, 0, NULL);
		rmdir(dir);
		goto out;
	}
	if (output_mkdirs(dir) < 0) {
		st = EXIT_WRITE;
		goto out;
	}
	output_clean_stale(dir);
	n = period_invoices(cx, period, items);
	struct period_lines pl;
	allocation_lines(model, &cx->alloc, period, &pl);
	size_t sums_size = (n ? n : 1) * HASH_HEXSZ;
	void *sums = mmap(NULL, sums_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct draft_job dj = {cx, period, items, &pl, sums == MAP_FAILED ? NULL : sums};
	st = (enum exit_status)workers_run(n, draft_job, &dj, changed);
	period_lines_release(&pl);
	*written += n;
	if (st == EXIT_DONE) {
		made = xcalloc(n + 1, sizeof *made);
		for (size_t i = 0; i < n; i++)
			made[i] = draft_name(cx, period, cx->alloc.invoices[items[i]].member);
		if (settle_drafts(dir, made, n, dj.sums) < 0)
			st = EXIT_WRITE;
		for (size_t i = 0; i < n; i++)
			free(made[i]);
		free(made);
	}
	if (dj.sums)
		munmap(dj.sums, sums_size);
out:
	free(items);
	free(dir);
	return st;
}

/* The reports of a build, each streamed to a staged file as it is saved
 * and put in place only when all are ready: a template error must leave
 * every earlier output as it was. */
struct report {
	char *path;
	struct output_stream *out;
};

static struct report *open_report(struct context *cx, struct report *r, const char *kind)
{
	char *name = strchr(kind, '.') ? xasprintf("%s", kind) : xasprintf("%s-%d.pdf", kind, cx->model.cfg.year);
	r->path = year_path(cx, name, NULL);
	free(name);
	r->out = output_stream_open(r->path);
	return r;
}

/* With an outcome: the follow-up report and the settlement's CSV. */
static enum exit_status followup_reports(struct context *cx, struct report *reports, size_t *n)
{
	struct outcome o;
	if (outcome_compute(&cx->model, &o) < 0) {
		outcome_release(&o);
		return EXIT_INPUT;
	}
	struct settlement s;
	issued_settlement(cx, &o, &s);
	enum exit_status st = EXIT_DONE;
	struct report *r = open_report(cx, &reports[(*n)++], "uppfoljning");
	if (followup_render(&cx->model, &cx->alloc, &o, &s, r->path, output_stream_writer, r->out) < 0 ||
	    output_stream_finish(r->out) < 0)
		st = EXIT_WRITE;
	char name[40];
	snprintf(name, sizeof name, "avrakning-%d.csv", cx->model.cfg.year);
	r = open_report(cx, &reports[(*n)++], name);
	if (st == EXIT_DONE && (followup_csv(&cx->model, &s, output_stream_writer, r->out) < 0 ||
				output_stream_finish(r->out) < 0))
		st = EXIT_WRITE;
	settlement_release(&s);
	outcome_release(&o);
	return st;
}

static enum exit_status render_reports(struct context *cx, const struct issued *issued,
				       struct report *reports, size_t *n)
{
	*n = 0;
	struct report *r = open_report(cx, &reports[(*n)++], "budget");
	if (budget_render(&cx->model, &cx->alloc, issued, r->path, output_stream_writer, r->out) < 0 ||
	    output_stream_finish(r->out) < 0)
		return EXIT_WRITE;
	enum exit_status st = EXIT_DONE;
	if (!cx->model.cfg.templates_dir) {
		debug("no [files] templates: no business plan");
	} else {
		r = open_report(cx, &reports[(*n)++], "verksamhetsplan");
		struct plan_pdf *plan = plan_make(&cx->model, &cx->alloc, r->path);
		if (!plan)
			return EXIT_INPUT;
		if (plan_write(plan, output_stream_writer, r->out) < 0 || output_stream_finish(r->out) < 0)
			st = EXIT_WRITE;
		plan_free(plan);
	}
	if (st == EXIT_DONE && cx->model.cfg.outcome_path)
		st = followup_reports(cx, reports, n);
	return st;
}

/* Put the reports in place (commit) or drop what was staged. */
static int release_reports(struct report *reports, size_t n, int commit, size_t *changed)
{
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		int did_change = 0;
		if (commit && rc == 0)
			rc = output_stream_commit(reports[i].out, &did_change);
		else
			output_stream_abort(reports[i].out);
		if (changed)
			*changed += (size_t)did_change;
		free(reports[i].path);
	}
	return rc;
}

static enum exit_status run_build(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	enum exit_status st = open_issued(cx, 1);
	if (st != EXIT_DONE)
		return st;
	size_t differences = 0;
	for (size_t p = 0; p < cfg->nperiods; p++)
		if (journal_has_period(&cx->journal, cfg->year, cfg->periods[p].name))
			differences += (size_t)issued_compare(cx, p, DIAG_WARNING);

	if (output_mkdirs(cx->year_dir) < 0)
		return EXIT_WRITE;
	output_clean_stale(cx->year_dir);
	struct report reports[4] = {0};
	size_t nreports;
	struct issued issued;
	issued_view(cx, &issued);
	st = render_reports(cx, &issued, reports, &nreports);
	if (st != EXIT_DONE) {
		release_reports(reports, nreports, 0, NULL);
		issued_release(&issued);
		return st;
	}
	char *path = year_path(cx, "fordelning.csv", NULL);
	struct output_stream *csv = output_stream_open(path);
	int csv_changed = 0;
	int rc = report_allocation_csv(&cx->model, &cx->alloc, &issued, output_stream_writer, csv);
	issued_release(&issued);
	if (rc == 0)
		rc = output_stream_close(csv, &csv_changed);
	else
		output_stream_abort(csv);
	free(path);
	size_t reports_changed = 0;
	if (release_reports(reports, nreports, rc == 0, &reports_changed) < 0 || rc < 0)
		return EXIT_WRITE;

	size_t written = 0, changed = 0;
	for (size_t p = 0; p < cfg->nperiods && st == EXIT_DONE; p++)
		st = build_drafts(cx, p, &written, &changed);
	if (st == EXIT_DONE)
		st = settlement_drafts(cx, &written, &changed);
	if (st != EXIT_DONE)
		return st;
	note_waiting(cx);
	summary(changed || reports_changed || csv_changed,
	     "build: %zu draft invoice%s (%zu changed), %zu report%s (%zu changed), fordelning.csv %s%s",
	     written, written == 1 ? "" : "s", changed, nreports, nreports == 1 ? "" : "s",
	     reports_changed, csv_changed ? "written" : "unchanged",
	     differences ? "; issued invoices differ from the inputs (see warnings)" : "");
	return EXIT_DONE;
}

enum exit_status cmd_build(int argc, char **argv, const struct global_options *g)
{
	if (argc > 1)
		return no_arguments(argc, argv);
	struct run_options opt = {.config = g->config, .today = g->today};
	return run_command(&opt, run_build);
}
