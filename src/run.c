/* run.c - check, build and issue: the stages in order, and the rules that
 * keep repeated runs, crashes and issued invoices safe. */
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allocate.h"
#include "budget.h"
#include "config.h"
#include "diag.h"
#include "ident.h"
#include "invoice.h"
#include "journal.h"
#include "load.h"
#include "model.h"
#include "output.h"
#include "plan.h"
#include "report.h"
#include "util.h"
#include "validate.h"
#include "workers.h"

struct context {
	const struct run_options *opt;
	struct model model;
	struct allocation alloc;
	struct journal journal;
	char *year_dir;		/* OUTPUT/YEAR */
};

static char *year_path(const struct context *cx, const char *a, const char *b)
{
	if (b)
		return xasprintf("%s/%s/%s", cx->year_dir, a, b);
	return xasprintf("%s/%s", cx->year_dir, a);
}

static char *draft_name(const struct context *cx, size_t period, size_t member)
{
	const char *p = cx->model.cfg.periods[period].name;
	return xasprintf("%s/utkast/%s/utkast-%s-%s.pdf", cx->year_dir, p, p,
			 cx->model.members[member].id);
}

static char *final_name(const struct context *cx, size_t period, const char *number,
			const char *member)
{
	return xasprintf("%s/fakturor/%s/faktura-%s-%s.pdf", cx->year_dir,
			 cx->model.cfg.periods[period].name, number, member);
}

/* ---- issued invoices against today's inputs ---------------------------- */

/* Report every way the inputs now disagree with what the journal says was
 * issued for period, at the given level. Returns the number found. */
static int compare_issued(struct context *cx, size_t period, enum diag_level level)
{
	const struct model *model = &cx->model;
	const char *pname = model->cfg.periods[period].name;
	const char *jpath = cx->journal.path;
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ], d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	int found = 0;

	for (size_t i = 0; i < cx->alloc.ninvoices; i++) {
		const struct invoice *inv = &cx->alloc.invoices[i];
		if (inv->period != period || !inv->billable)
			continue;
		const struct member *m = &model->members[inv->member];
		const struct journal_row *r = journal_find(&cx->journal, pname, m->id);
		if (!r) {
			diag(level, jpath, 0, "period '%s' is issued, but '%s' would now get an invoice of %s",
			     pname, m->id, money_format(inv->total, a));
			found++;
			continue;
		}
		if (r->total != inv->total || r->net != inv->net || r->vat != inv->vat) {
			diag(level, jpath, r->line,
			     "period '%s', member '%s': invoice %s was issued for %s, the inputs now give %s",
			     pname, m->id, r->number, money_format(r->total, a), money_format(inv->total, b));
			found++;
		}
		if (strcmp(r->org_nr, m->org_nr) != 0) {
			diag(level, jpath, r->line,
			     "period '%s', member '%s': invoice %s was issued to org.nr %s, the inputs now say %s",
			     pname, m->id, r->number, r->org_nr, m->org_nr);
			found++;
		}
		if (r->invoice_date != model->cfg.periods[period].invoice_date || r->due_date != inv->due_date) {
			diag(level, jpath, r->line,
			     "period '%s', member '%s': invoice %s was dated %s, due %s; the configuration now gives %s, due %s",
			     pname, m->id, r->number, date_format(r->invoice_date, d1),
			     date_format(r->due_date, d2), date_format(model->cfg.periods[period].invoice_date, a),
			     date_format(inv->due_date, b));
			found++;
		}
	}
	for (size_t i = 0; i < cx->journal.n; i++) {
		const struct journal_row *r = &cx->journal.rows[i];
		if (r->other_series || strcmp(r->period, pname) != 0)
			continue;
		long m = model_find_member(model, r->member);
		const struct invoice *inv = m < 0 ? NULL : allocation_find(&cx->alloc, period, (size_t)m);
		if (!inv || !inv->billable) {
			diag(level, jpath, r->line,
			     "period '%s': invoice %s was issued to '%s', who the inputs no longer bill",
			     pname, r->number, r->member);
			found++;
		}
	}
	return found;
}

/* ---- the pipeline up to the allocation ----------------------------------- */

static enum exit_status prepare(struct context *cx)
{
	struct model *model = &cx->model;
	if (config_load(&model->cfg, cx->opt->config) < 0)
		return EXIT_INPUT;
	if (load_inputs(model) < 0 || validate_model(model) < 0)
		return EXIT_INPUT;
	if (allocate(model, &cx->alloc) < 0)
		return EXIT_INPUT;
	cx->year_dir = xasprintf("%s/%d", model->cfg.output_dir, model->cfg.year);
	return EXIT_DONE;
}

static enum exit_status load_journal(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	if (journal_load(&cx->journal, cfg->journal_path, cfg->number_prefix, cfg->first_number) < 0)
		return EXIT_INPUT;
	return EXIT_DONE;
}

/* ---- check ----------------------------------------------------------------- */

static enum exit_status run_check(struct context *cx)
{
	report_print(stdout, &cx->model, &cx->alloc);
	enum exit_status st = load_journal(cx);
	if (st != EXIT_DONE)
		return st;
	for (size_t p = 0; p < cx->model.cfg.nperiods; p++) {
		const char *name = cx->model.cfg.periods[p].name;
		if (!journal_has_period(&cx->journal, name))
			continue;
		if (compare_issued(cx, p, DIAG_WARNING) == 0)
			note("period '%s' is issued and matches the inputs", name);
	}
	note("check: %zu members, %zu periods, %zu invoices: input is valid",
	     cx->model.nmembers, cx->model.cfg.nperiods, cx->alloc.ninvoices);
	return EXIT_DONE;
}

/* ---- build ----------------------------------------------------------------- */

/* Remove the PDFs in dir that are not in keep[0..n). */
static void remove_other_pdfs(const char *dir, char **keep, size_t n)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".pdf") != 0)
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		int wanted = 0;
		for (size_t i = 0; i < n && !wanted; i++)
			wanted = strcmp(keep[i], path) == 0;
		if (!wanted && unlink(path) == 0)
			debug("removed %s", path);
		free(path);
	}
	closedir(d);
}

/* The billable invoices of a period, as indices into the allocation. */
static size_t period_invoices(const struct context *cx, size_t period, size_t *items)
{
	size_t count, n = 0;
	const struct invoice *inv = allocation_period(&cx->alloc, period, &count);
	for (size_t i = 0; i < count; i++)
		if (inv[i].billable)
			items[n++] = (size_t)(inv + i - cx->alloc.invoices);
	return n;
}

/* Render inv of the period whose lines are pl. */
static int render(const struct context *cx, const struct period_lines *pl,
		  const struct invoice *inv, const char *number, const char *ocr, const char *path,
		  char **pdf, size_t *len)
{
	struct invoice_line *lines = period_lines_buffer(pl);
	period_lines_of(pl, inv->member, lines);
	int rc = invoice_render(&cx->model, inv, lines, number, ocr, path, pdf, len);
	free(lines);
	return rc;
}

struct draft_job {
	struct context *cx;
	size_t period;
	const size_t *items;
	const struct period_lines *lines;
};

static int draft_job(void *ctx, size_t i, size_t *changed)
{
	struct draft_job *dj = ctx;
	const struct invoice *inv = &dj->cx->alloc.invoices[dj->items[i]];
	char *path = draft_name(dj->cx, dj->period, inv->member);
	char *pdf;
	size_t len;
	int did_change = 0, st = EXIT_DONE;
	if (render(dj->cx, dj->lines, inv, NULL, NULL, path, &pdf, &len) < 0) {
		st = EXIT_WRITE;
	} else {
		if (output_write(path, pdf, len, &did_change) < 0)
			st = EXIT_WRITE;
		free(pdf);
	}
	*changed += (size_t)did_change;
	free(path);
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

	if (journal_has_period(&cx->journal, model->cfg.periods[period].name)) {
		/* Issued: its drafts would only mislead. */
		remove_other_pdfs(dir, NULL, 0);
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
	struct draft_job dj = {cx, period, items, &pl};
	st = (enum exit_status)workers_run(n, draft_job, &dj, changed);
	period_lines_release(&pl);
	*written += n;
	if (st == EXIT_DONE) {
		made = xcalloc(n + 1, sizeof *made);
		for (size_t i = 0; i < n; i++)
			made[i] = draft_name(cx, period, cx->alloc.invoices[items[i]].member);
		remove_other_pdfs(dir, made, n);
		for (size_t i = 0; i < n; i++)
			free(made[i]);
		free(made);
	}
out:
	free(items);
	free(dir);
	return st;
}

static int stream_write(void *ctx, const void *buf, size_t len)
{
	return output_stream_write(ctx, buf, len);
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
	char *name = xasprintf("%s-%d.pdf", kind, cx->model.cfg.year);
	r->path = year_path(cx, name, NULL);
	free(name);
	r->out = output_stream_open(r->path);
	return r;
}

static enum exit_status render_reports(struct context *cx, struct report *reports, size_t *n)
{
	*n = 0;
	struct report *r = open_report(cx, &reports[(*n)++], "budget");
	if (budget_render(&cx->model, &cx->alloc, r->path, stream_write, r->out) < 0 ||
	    output_stream_finish(r->out) < 0)
		return EXIT_WRITE;
	if (!cx->model.cfg.templates_dir) {
		debug("no [files] templates: no business plan");
		return EXIT_DONE;
	}
	r = open_report(cx, &reports[(*n)++], "verksamhetsplan");
	int rc = plan_render(&cx->model, &cx->alloc, r->path, stream_write, r->out);
	if (rc == PLAN_TEMPLATE_ERROR)
		return EXIT_INPUT;
	if (rc < 0 || output_stream_finish(r->out) < 0)
		return EXIT_WRITE;
	return EXIT_DONE;
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
	if (output_lock(cfg->output_dir) < 0)
		return EXIT_WRITE;
	enum exit_status st = load_journal(cx);
	if (st != EXIT_DONE)
		return st;
	size_t differences = 0;
	for (size_t p = 0; p < cfg->nperiods; p++)
		if (journal_has_period(&cx->journal, cfg->periods[p].name))
			differences += (size_t)compare_issued(cx, p, DIAG_WARNING);

	if (output_mkdirs(cx->year_dir) < 0)
		return EXIT_WRITE;
	output_clean_stale(cx->year_dir);
	struct report reports[2] = {0};
	size_t nreports;
	st = render_reports(cx, reports, &nreports);
	if (st != EXIT_DONE) {
		release_reports(reports, nreports, 0, NULL);
		return st;
	}
	char *path = year_path(cx, "fordelning.csv", NULL);
	struct output_stream *csv = output_stream_open(path);
	int csv_changed = 0;
	int rc = report_allocation_csv(&cx->model, &cx->alloc, stream_write, csv);
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
	if (st != EXIT_DONE)
		return st;
	note("build: %zu draft invoice%s (%zu changed), %zu report%s (%zu changed), fordelning.csv %s%s",
	     written, written == 1 ? "" : "s", changed, nreports, nreports == 1 ? "" : "s",
	     reports_changed, csv_changed ? "written" : "unchanged",
	     differences ? "; issued invoices differ from the inputs (see warnings)" : "");
	return EXIT_DONE;
}

/* ---- issue ----------------------------------------------------------------- */

/* Put back the PDF of every journal row of period whose file is missing
 * (a run killed after the journal was written). */
static enum exit_status restore_issued(struct context *cx, size_t period, size_t *restored)
{
	const struct model *model = &cx->model;
	const char *pname = model->cfg.periods[period].name;
	struct period_lines pl = {0};
	enum exit_status st = EXIT_DONE;
	for (size_t i = 0; i < cx->journal.n && st == EXIT_DONE; i++) {
		const struct journal_row *r = &cx->journal.rows[i];
		if (r->other_series || strcmp(r->period, pname) != 0)
			continue;
		char *path = final_name(cx, period, r->number, r->member);
		if (access(path, F_OK) == 0) {
			free(path);
			continue;
		}
		if (!pl.model)
			allocation_lines(model, &cx->alloc, period, &pl);
		const struct invoice *inv = allocation_find(&cx->alloc, period,
							    (size_t)model_find_member(model, r->member));
		char *pdf;
		size_t len;
		int rc = render(cx, &pl, inv, r->number, r->ocr, path, &pdf, &len);
		if (rc == 0) {
			rc = output_write(path, pdf, len, NULL);
			free(pdf);
		}
		free(path);
		if (rc < 0)
			st = EXIT_WRITE;
		else
			(*restored)++;
	}
	period_lines_release(&pl);
	return st;
}

struct issue_job {
	struct context *cx;
	size_t period;
	const size_t *items;
	size_t first_row;	/* the journal row of items[0] */
	const struct period_lines *lines;
};

static char *issued_name(const struct issue_job *ij, size_t i)
{
	const struct journal_row *row = &ij->cx->journal.rows[ij->first_row + i];
	return final_name(ij->cx, ij->period, row->number, row->member);
}

/* Render invoice i and stage it beside its final name. */
static int issue_job(void *ctx, size_t i, size_t *count)
{
	struct issue_job *ij = ctx;
	const struct invoice *inv = &ij->cx->alloc.invoices[ij->items[i]];
	const struct journal_row *row = &ij->cx->journal.rows[ij->first_row + i];
	char *path = issued_name(ij, i);
	char *pdf, *staged;
	size_t len;
	int st = EXIT_DONE;
	if (render(ij->cx, ij->lines, inv, row->number, row->ocr, path, &pdf, &len) < 0) {
		st = EXIT_WRITE;
	} else {
		if (output_stage(path, pdf, len, &staged) < 0)
			st = EXIT_WRITE;
		else
			free(staged);
		free(pdf);
	}
	(*count)++;
	free(path);
	return st;
}

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
	struct issue_job ij = {cx, period, items, j->n, &pl};
	enum exit_status st = EXIT_DONE;

	if (n == 0) {
		warning_at(model->cfg.path, p->line, "period '%s' has nothing to bill", p->name);
		goto out;
	}
	if (output_mkdirs(dir) < 0) {
		st = EXIT_WRITE;
		goto out;
	}
	/* Numbers in member order; each row added moves the next number on. */
	for (size_t i = 0; i < n; i++) {
		const struct invoice *inv = &cx->alloc.invoices[items[i]];
		const struct member *m = &model->members[inv->member];
		char *number = journal_number(j, 0);
		char ocr[OCR_BUFSZ];
		if (ocr_make(number, ocr) < 0)
			BUG("invoice number without digits: %s", number);
		struct journal_row row = {
			.number = number, .period = p->name, .member = m->id, .org_nr = m->org_nr,
			.invoice_date = p->invoice_date, .due_date = inv->due_date,
			.net = inv->net, .vat = inv->vat, .total = inv->total, .ocr = ocr,
		};
		journal_add(j, &row);
		free(number);
	}
	/* Render and stage every PDF, on every core. */
	size_t staged_count = 0;
	st = (enum exit_status)workers_run(n, issue_job, &ij, &staged_count);
	if (st != EXIT_DONE)
		goto discard;

	/* The journal is the commit point: once it names the numbers, the
	 * period is issued, and a killed run is completed by the next one. */
	char *jdir = xstrdup(j->path);
	char *slash = strrchr(jdir, '/');
	if (slash)
		*slash = '\0';
	int rc = output_mkdirs(slash ? jdir : ".");
	free(jdir);
	if (rc == 0) {
		struct output_stream *js = output_stream_open(j->path);
		rc = journal_write(j, stream_write, js);
		if (rc == 0)
			rc = output_stream_close(js, NULL);
		else
			output_stream_abort(js);
	}
	if (rc < 0) {
		st = EXIT_WRITE;
		goto discard;
	}
	for (size_t i = 0; i < n; i++) {
		char *path = issued_name(&ij, i);
		char *name = output_staged_name(path);
		if (output_commit(name, path) < 0)
			st = EXIT_WRITE;
		free(name);
		free(path);
	}
	if (st == EXIT_DONE) {
		char *drafts = year_path(cx, "utkast", p->name);
		remove_other_pdfs(drafts, NULL, 0);
		rmdir(drafts);
		free(drafts);
		note("issue: period '%s': %zu invoices, %s to %s, journal %s", p->name, n,
		     j->rows[ij.first_row].number, j->rows[j->n - 1].number, j->path);
	}
	goto out;
discard:
	for (size_t i = 0; i < n; i++) {
		char *path = issued_name(&ij, i);
		char *name = output_staged_name(path);
		output_discard(name);
		free(name);
		free(path);
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
	long period = config_find_period(cfg, cx->opt->period);
	if (period < 0) {
		struct strbuf names = {0};
		for (size_t i = 0; i < cfg->nperiods; i++)
			sb_addf(&names, "%s%s", i ? ", " : "", cfg->periods[i].name);
		error_at(cfg->path, 0, "no such period: '%s' (periods: %s)", cx->opt->period, names.buf);
		sb_release(&names);
		return EXIT_USAGE;
	}
	const struct period *p = &cfg->periods[period];
	if (output_lock(cfg->output_dir) < 0)
		return EXIT_WRITE;
	char *dir = year_path(cx, "fakturor", p->name);
	output_clean_stale(dir);
	free(dir);
	char *jdir = xstrdup(cfg->journal_path);
	char *slash = strrchr(jdir, '/');
	if (slash) {
		*slash = '\0';
		output_clean_stale(jdir);
	}
	free(jdir);

	enum exit_status st = load_journal(cx);
	if (st != EXIT_DONE)
		return st;

	if (journal_has_period(&cx->journal, p->name)) {
		if (compare_issued(cx, (size_t)period, DIAG_ERROR) > 0) {
			error_at(cfg->path, p->line,
				 "period '%s' is already issued and the inputs now give other invoices; nothing was changed (corrections need credit notes)",
				 p->name);
			return EXIT_INPUT;
		}
		size_t restored = 0;
		st = restore_issued(cx, (size_t)period, &restored);
		if (st != EXIT_DONE)
			return st;
		if (restored)
			note("issue: period '%s' was already issued; %zu missing invoice PDFs put back",
			     p->name, restored);
		else
			note("issue: period '%s' is already issued; nothing changed", p->name);
		return EXIT_DONE;
	}
	char d[DATE_BUFSZ];
	if (cx->opt->today != DATE_NONE && cx->opt->today > date_add_days(p->invoice_date, cfg->terms_days))
		warning_at(cfg->path, p->line, "period '%s' is issued after its due date %s", p->name,
			   date_format(date_add_days(p->invoice_date, cfg->terms_days), d));
	return issue_new(cx, (size_t)period);
}

enum exit_status run(const struct run_options *opt)
{
	struct context cx = {.opt = opt};
	enum exit_status st = prepare(&cx);
	if (st == EXIT_DONE) {
		switch (opt->command) {
		case CMD_CHECK:
			st = run_check(&cx);
			break;
		case CMD_BUILD:
			st = run_build(&cx);
			break;
		case CMD_ISSUE:
			st = run_issue(&cx);
			break;
		}
	}
	output_unlock();
	journal_release(&cx.journal);
	allocation_release(&cx.alloc);
	model_release(&cx.model);
	free(cx.year_dir);
	return st;
}
