/* check.c - samfakt check: validate, print the allocation, report what is
 * issued and what build would stop on; write nothing. */
#include "cmd/cmd.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/util.h"
#include "cmd/issued.h"
#include "cmd/run.h"
#include "cmd/settle.h"
#include "keep/journal.h"
#include "keep/output.h"
#include "model/csvfile.h"
#include "model/outcome.h"
#include "render/plan.h"
#include "render/report.h"


static enum exit_status run_check(struct context *cx)
{
	report_print(stdout, &cx->model, &cx->alloc);
	report_print_routing(stdout, &cx->model, &cx->alloc);
	/* What build would stop on: the plan's template, expanded and laid
	 * out, the PDF not written; before the journal is read, so that the
	 * two are never held at once. */
	if (cx->model.cfg.templates_dir) {
		struct plan_pdf *plan = plan_make(&cx->model, &cx->alloc, "verksamhetsplan");
		if (!plan)
			return EXIT_INPUT;
		plan_free(plan);
		malloc_trim(0);	/* its pages back (glibc would keep them) */
	}
	enum exit_status st = issued_load(cx, 0);
	if (st != EXIT_DONE)
		return st;
	if (issued_unrecorded(cx)) {
		if (issued_unrecorded_can_be_made(cx) < 0)
			return EXIT_INPUT;
		warning_at(cx->journal.path, 0,
			   "the journal was written by an older samfakt: 'samfakt upgrade-journal' makes the records of the %zu invoices it issued from today's inputs and chains it; build and issue refuse it until then",
			   issued_unrecorded(cx));
	}
	st = issued_check_files(cx, 0);
	if (st != EXIT_DONE)
		return st;
	for (size_t p = 0; p < cx->model.cfg.nperiods; p++) {
		const char *name = cx->model.cfg.periods[p].name;
		if (!journal_has_period(&cx->journal, cx->model.cfg.year, name))
			continue;
		if (issued_compare(cx, p, DIAG_WARNING) == 0) {
			note("period '%s' is issued and matches the inputs", name);
			continue;
		}
		size_t credits = 0, invoices = 0;
		struct correction *c;
		size_t nc = issued_corrections(cx, p, &c);
		for (size_t k = 0; k < nc; k++) {
			const struct journal_row *r = c[k].row == NO_ROW ? NULL : &cx->journal.rows[c[k].row];
			if (uncorrectable(&cx->journal, r, DIAG_WARNING))
				continue;
			credits += r != NULL;
			invoices += c[k].inv != NULL;
		}
		free(c);
		if (credits + invoices)
			note("period '%s': 'samfakt correct %s' would make %zu credit note%s and %zu new invoice%s (build drafts them)",
			     name, name, credits, credits == 1 ? "" : "s", invoices, invoices == 1 ? "" : "s");
	}
	if (cx->model.cfg.outcome_path) {
		struct outcome o;
		struct settlement s;
		if (outcome_compute(&cx->model, &o) < 0) {
			outcome_release(&o);
			return EXIT_INPUT;
		}
		issued_settlement(cx, &o, &s);
		report_print_settlement(stdout, &cx->model, &o, &s);
		settlement_release(&s);
		outcome_release(&o);
		struct settlement_plan sp = {0};
		if (settle_ready(cx, DIAG_DEBUG) && settlement_plan(cx, &sp) == 0 && sp.documents)
			note("%d can be settled: 'samfakt settle %d' would make %zu document%s (build drafts them)",
			     cx->model.cfg.year, cx->model.cfg.year, sp.documents, sp.documents == 1 ? "" : "s");
		settlement_plan_release(&sp);
	}
	note_waiting(cx);
	summary(0, "check: %zu members, %zu periods, %zu invoices: input is valid",
	     cx->model.nmembers, cx->model.cfg.nperiods, cx->alloc.ninvoices);
	return EXIT_DONE;
}

enum exit_status cmd_check(int argc, char **argv, const struct global_options *g)
{
	if (argc > 1)
		return no_arguments(argc, argv);
	struct run_options opt = {.config = g->config, .today = g->today};
	return run_command(&opt, run_check);
}
