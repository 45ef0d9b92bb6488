/* run.c - check, build, issue, credit and correct: the stages in order, and
 * the rules that keep repeated runs, crashes and issued documents safe. */
#include "cmd/run.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "model/allocate.h"
#include "render/budget.h"
#include "model/config.h"
#include "model/csvfile.h"
#include "base/diag.h"
#include "keep/document.h"
#include "base/hash.h"
#include "base/ident.h"
#include "render/invoice.h"
#include "keep/issued.h"
#include "keep/journal.h"
#include "model/load.h"
#include "model/model.h"
#include "keep/output.h"
#include "render/plan.h"
#include "keep/record.h"
#include "render/report.h"
#include "render/sie.h"
#include "keep/series.h"
#include "keep/sielog.h"
#include "base/util.h"
#include "model/validate.h"
#include "keep/workers.h"

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


/* ---- the pipeline up to the allocation ----------------------------------- */

static enum exit_status prepare(struct context *cx)
{
	struct model *model = &cx->model;
	if (config_load(&model->cfg, cx->opt->config) < 0)
		return EXIT_INPUT;
	if (load_inputs(model) < 0)
		return EXIT_INPUT;
	model_mark_waiting(model);
	if (validate_model(model) < 0)
		return EXIT_INPUT;
	if (allocate(model, &cx->alloc) < 0)
		return EXIT_INPUT;
	cx->year_dir = xasprintf("%s/%d", model->cfg.output_dir, model->cfg.year);
	return EXIT_DONE;
}


/* The invoice of a correction: today's, dated the day it is issued, naming
 * the invoice it replaces (or none) and why. number NULL: a draft. */
static void replacing_invoice(struct context *cx, struct document *doc, const struct invoice *inv,
			      const struct invoice_line *lines, const char *number, const char *ocr,
			      const char *replaced, date_t replaced_date)
{
	document_from_invoice(doc, &cx->model, inv, lines, number, ocr);
	if (cx->opt->today != DATE_NONE) {
		doc->invoice_date = cx->opt->today;
		doc->due_date = date_add_days(cx->opt->today, cx->model.cfg.terms_days);
	}
	doc->refers_to = document_strdup(doc, replaced);
	doc->refers_to_date = replaced_date;
	doc->reason = document_strdup(doc, cx->opt->reason);
}

static int make_credit(struct context *cx, const struct journal_row *r, int draft,
		       struct document *note);

/* Is row (of a correction, or NULL) a standing credit note, made of buy-in
 * credits beyond an invoice? samfakt cannot correct one: says so at level
 * (check and build warn, correct refuses). */
static int uncorrectable(const struct journal *j, const struct journal_row *r, enum diag_level level)
{
	if (!r || r->type != DOCUMENT_CREDIT_NOTE)
		return 0;
	diag(level, j->path, r->line,
	     "period '%s': credit note %s to '%s' (credits of a buy-in) differs from what today's inputs give; samfakt cannot correct a credit note: put the inputs back as they were when it was issued, or settle the difference by hand",
	     r->period, r->number, r->member);
	return 1;
}

/* ---- check ----------------------------------------------------------------- */

/* Say which periods wait for which counts (check and build). */
static void note_waiting(const struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	char d[DATE_BUFSZ];
	for (size_t p = 0; p < cfg->nperiods; p++)
		if (cfg->periods[p].waits_for != DATE_NONE)
			note("period '%s' waits for the user counts of %s (%s): no drafts, and it cannot be issued, until they are there",
			     cfg->periods[p].name, date_format(cfg->periods[p].waits_for, d),
			     cx->model.users_file);
}

static int discard(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return 0;
}

static enum exit_status run_check(struct context *cx)
{
	report_print(stdout, &cx->model, &cx->alloc);
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
	/* What build would stop on: the plan's template, expanded and laid
	 * out, the PDF thrown away. */
	if (cx->model.cfg.templates_dir) {
		int rc = plan_render(&cx->model, &cx->alloc, "verksamhetsplan", discard, NULL);
		if (rc == PLAN_TEMPLATE_ERROR)
			return EXIT_INPUT;
		if (rc < 0)
			return EXIT_WRITE;
	}
	note_waiting(cx);
	note("check: %zu members, %zu periods, %zu invoices: input is valid",
	     cx->model.nmembers, cx->model.cfg.nperiods, cx->alloc.ninvoices);
	return EXIT_DONE;
}

/* ---- build ----------------------------------------------------------------- */

/* The drafts build wrote in a folder are listed in the folder's manifest,
 * each with its SHA-256, so that build removes only what it wrote itself
 * and nobody changed since: a reviewer's annotated copy saved beside the
 * drafts, or a draft edited in place, stays. */
#define DRAFT_MANIFEST ".samfakt-utkast"

/* The manifest's entries: "SHA256  NAME" lines; n set, NULL when none. */
static char **read_manifest(const char *dir, size_t *n)
{
	char *path = xasprintf("%s/" DRAFT_MANIFEST, dir);
	size_t len;
	char *text = read_file(path, 1u << 24, &len);
	free(path);
	*n = 0;
	if (!text)
		return NULL;
	char **lines = xcalloc(len / (HASH_HEXSZ + 2) + 2, sizeof *lines);
	for (char *l = text, *next; *l; l = next) {
		next = strchr(l, '\n');
		if (!next)
			break;
		*next++ = '\0';
		if (strlen(l) > HASH_HEXSZ && l[HASH_HEXSZ - 1] == ' ' && !strchr(l + HASH_HEXSZ, '/'))
			lines[(*n)++] = xstrdup(l);
	}
	free(text);
	return lines;
}

/* Remove the drafts in dir that build wrote before and does not want now
 * (keep[0..n), full paths), unless they were changed since; then list
 * what it keeps in the manifest, with their SHA-256 (sums[k], or read
 * from the file when sums is NULL). Returns -1 when the manifest cannot
 * be written. */
static int settle_drafts(const char *dir, char **keep, size_t n, char (*sums)[HASH_HEXSZ])
{
	size_t nold;
	char **old = read_manifest(dir, &nold);
	for (size_t i = 0; i < nold; i++) {
		const char *name = old[i] + HASH_HEXSZ;
		char *path = xasprintf("%s/%s", dir, name);
		int wanted = 0;
		for (size_t k = 0; k < n && !wanted; k++)
			wanted = strcmp(keep[k], path) == 0;
		char have[HASH_HEXSZ];
		if (!wanted && hash_file(path, have) == 0) {
			if (strncmp(have, old[i], HASH_HEXSZ - 1) == 0) {
				if (unlink(path) == 0)
					debug("removed %s", path);
			} else {
				warning_at(path, 0, "kept: changed since build wrote it, and no longer a draft of today's inputs");
			}
		}
		free(path);
		free(old[i]);
	}
	free(old);
	char *mpath = xasprintf("%s/" DRAFT_MANIFEST, dir);
	int rc = 0;
	if (n == 0) {
		unlink(mpath);
	} else {
		struct strbuf sb = {0};
		for (size_t k = 0; k < n; k++) {
			char sha[HASH_HEXSZ];
			if (sums)
				memcpy(sha, sums[k], HASH_HEXSZ);
			else if (hash_file(keep[k], sha) < 0)
				continue;
			const char *name = strrchr(keep[k], '/') ? strrchr(keep[k], '/') + 1 : keep[k];
			sb_addf(&sb, "%s %s\n", sha, name);
		}
		rc = output_write(mpath, sb.buf ? sb.buf : "", sb.len, NULL);
		sb_release(&sb);
	}
	free(mpath);
	return rc;
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

/* The drafts of what 'correct' would make for an issued period: a credit
 * note (utkast-kredit-NUMBER-MEMBER.pdf) and a new invoice
 * (utkast-PERIOD-MEMBER.pdf) for each member whose invoice the inputs
 * change. Other PDFs in dir are removed, and dir when none is left. */
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
	size_t n = 0;
	enum exit_status st = EXIT_DONE;
	for (size_t ci = 0; ci < nc && st == EXIT_DONE; ci++) {
		const struct invoice *inv = c[ci].inv;
		const struct journal_row *r = c[ci].row == NO_ROW ? NULL : &cx->journal.rows[c[ci].row];
		if (uncorrectable(&cx->journal, r, DIAG_WARNING))
			continue;
		if (output_mkdirs(dir) < 0)
			st = EXIT_WRITE;
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
			char *pdf;
			size_t len;
			int did_change = 0;
			if (invoice_render(&doc, path, &pdf, &len) < 0) {
				st = EXIT_WRITE;
			} else {
				if (output_write(path, pdf, len, &did_change) < 0)
					st = EXIT_WRITE;
				free(pdf);
			}
			*changed += (size_t)did_change;
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
			note("build: period '%s' is issued and today's inputs change %zu of its documents: the drafts in %s show what 'samfakt correct %s' would make",
			     pname, n, dir, pname);
	}
	for (size_t i = 0; i < n; i++)
		free(made[i]);
	free(made);
	free(c);
	free(lines);
	period_lines_release(&pl);
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
	char *name = xasprintf("%s-%d.pdf", kind, cx->model.cfg.year);
	r->path = year_path(cx, name, NULL);
	free(name);
	r->out = output_stream_open(r->path);
	return r;
}

static enum exit_status render_reports(struct context *cx, const struct issued *issued,
				       struct report *reports, size_t *n)
{
	*n = 0;
	struct report *r = open_report(cx, &reports[(*n)++], "budget");
	if (budget_render(&cx->model, &cx->alloc, issued, r->path, output_stream_writer, r->out) < 0 ||
	    output_stream_finish(r->out) < 0)
		return EXIT_WRITE;
	if (!cx->model.cfg.templates_dir) {
		debug("no [files] templates: no business plan");
		return EXIT_DONE;
	}
	r = open_report(cx, &reports[(*n)++], "verksamhetsplan");
	int rc = plan_render(&cx->model, &cx->alloc, r->path, output_stream_writer, r->out);
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

/* What every command that may write does first: the locks, the journal
 * checked and completed, older rows recorded, every issued PDF checked
 * against its record and the missing ones put back. */
static enum exit_status open_issued(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	if (output_lock(cfg->output_dir) < 0)
		return EXIT_WRITE;
	enum exit_status st = issued_load(cx, 1);
	if (st != EXIT_DONE)
		return st;
	/* What a killed run staged and did not commit: the journal's staged
	 * copy, and PDFs (those of committed rows are made again below). */
	char *jdir = output_folder(cx->journal.target);
	output_clean_stale(jdir);
	free(jdir);
	for (size_t p = 0; p < cfg->nperiods; p++) {
		char *dir = year_path(cx, "fakturor", cfg->periods[p].name);
		output_clean_stale(dir);
		free(dir);
	}
	/* A journal of samfakt 1.0 (no chain, no records) is made this
	 * samfakt's only when a person asks: its records are made from
	 * today's inputs, which must still give what was issued. */
	size_t unrecorded = issued_unrecorded(cx);
	if ((unrecorded || cx->journal.legacy) && cx->opt->command != CMD_UPGRADE_JOURNAL) {
		error_at(cx->journal.path, 0,
			 "the journal was written by an older samfakt (no hash column, %zu invoice%s without a record): 'samfakt upgrade-journal' makes %s records from today's inputs (which must still give exactly what was issued) and chains its rows; nothing else is done with it until then",
			 unrecorded, unrecorded == 1 ? "" : "s", unrecorded == 1 ? "its" : "their");
		return EXIT_INPUT;
	}
	if (cx->opt->command == CMD_UPGRADE_JOURNAL && !unrecorded && !cx->journal.legacy) {
		note("upgrade-journal: %s is this samfakt's already: nothing to do", cx->journal.path);
		return EXIT_DONE;
	}
	st = issued_record_unrecorded(cx);
	if (st == EXIT_DONE)
		st = issued_check_files(cx, 1);
	return st;
}

static enum exit_status run_build(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	enum exit_status st = open_issued(cx);
	if (st != EXIT_DONE)
		return st;
	size_t differences = 0;
	for (size_t p = 0; p < cfg->nperiods; p++)
		if (journal_has_period(&cx->journal, cfg->year, cfg->periods[p].name))
			differences += (size_t)issued_compare(cx, p, DIAG_WARNING);

	if (output_mkdirs(cx->year_dir) < 0)
		return EXIT_WRITE;
	output_clean_stale(cx->year_dir);
	struct report reports[2] = {0};
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
	if (st != EXIT_DONE)
		return st;
	note_waiting(cx);
	note("build: %zu draft invoice%s (%zu changed), %zu report%s (%zu changed), fordelning.csv %s%s",
	     written, written == 1 ? "" : "s", changed, nreports, nreports == 1 ? "" : "s",
	     reports_changed, csv_changed ? "written" : "unchanged",
	     differences ? "; issued invoices differ from the inputs (see warnings)" : "");
	return EXIT_DONE;
}

/* ---- issue ----------------------------------------------------------------- */

/* How many days before its invoice date a period may be issued. */
#define ISSUE_DAYS_EARLY 30

/* Commit (or discard) the staged files of the rows from first on. Records
 * go first: a PDF never stands without the record it is checked against. */
static int settle_staged(struct context *cx, size_t first, int commit)
{
	int rc = 0;
	for (int f = ISSUED_RECORD; f >= ISSUED_PDF; f--)
		for (size_t i = first; i < cx->journal.n; i++) {
			char *path = issued_path(cx, &cx->journal.rows[i], (enum issued_file)f);
			char *name = output_staged_name(path);
			if (!commit)
				output_discard(name);
			else if (f == ISSUED_XML && access(name, F_OK) != 0)
				;	/* a document without an e-invoice */
			else if (output_commit(name, path) < 0)
				rc = -1;
			free(name);
			free(path);
		}
	return rc;
}

/* The journal row for doc, added (its number the next, its record's
 * fingerprint still to come): the row's index. */
static size_t add_row(struct context *cx, const struct document *doc)
{
	struct journal_row row = {
		.number = doc->number, .type = doc->kind, .refers_to = doc->refers_to,
		.cooperation = doc->cooperation, .year = doc->year, .period = doc->period,
		.period_date = doc->period_date, .member = doc->buyer.id, .org_nr = doc->buyer.org_nr,
		.invoice_date = doc->invoice_date, .due_date = doc->due_date,
		.net = doc->net, .vat = doc->vat, .total = doc->total, .ocr = doc->ocr,
	};
	journal_add(&cx->journal, &row);
	return cx->journal.n - 1;
}

/* Render doc, the document of journal row `row`, and stage its record,
 * PDF and e-invoice beside their final names; record_sha gets the
 * record's fingerprint. A document with all an e-invoice needs gets one
 * (a credit note of an invoice issued before e-invoices does not).
 * Returns 0 or -1. */
static int stage_document(const struct context *cx, const struct journal_row *row,
			  const struct document *doc, char record_sha[HASH_HEXSZ])
{
	char *path = issued_path(cx, row, ISSUED_PDF);
	char *xpath = issued_path(cx, row, ISSUED_XML);
	char *rpath = issued_path(cx, row, ISSUED_RECORD);
	char *dir = output_folder(path);
	char *staged;
	struct rendered out;
	struct strbuf rec = {0};
	int rc = -1;
	int einvoice = document_has_einvoice_data(doc);
	if (!einvoice)
		note("%s %s gets no e-invoice: it credits invoice %s, which was issued before samfakt wrote e-invoices (a PDF only)",
		     doc->kind == DOCUMENT_CREDIT_NOTE ? "credit note" : "invoice", doc->number,
		     doc->refers_to ? doc->refers_to : "?");
	if (output_mkdirs(dir) == 0 && output_mkdirs(cx->journal.records) == 0 &&
	    issued_render(doc, path, einvoice, &out) == 0) {
		record_format(doc, &out.sha, &rec);
		hash_bytes(rec.buf, rec.len, record_sha);
		rc = 0;
		const struct {
			const char *path, *buf;
			size_t len;
		} files[] = {{rpath, rec.buf, rec.len}, {path, out.pdf, out.pdf_len}, {xpath, out.xml, out.xml_len}};
		for (size_t f = 0; f < 3 && rc == 0; f++) {
			if (!files[f].buf)
				continue;
			rc = output_stage(files[f].path, files[f].buf, files[f].len, &staged);
			if (rc == 0)
				free(staged);
		}
		rendered_release(&out);
	}
	sb_release(&rec);
	free(dir);
	free(rpath);
	free(xpath);
	free(path);
	return rc;
}

/* Put the journal with the rows from first on in place, then their files;
 * or, when what staged them did not end in EXIT_DONE, drop what was staged. */
static enum exit_status commit_documents(struct context *cx, size_t first, enum exit_status st)
{
	if (st == EXIT_DONE && issued_write_journal(&cx->journal) < 0)
		st = EXIT_WRITE;
	if (st != EXIT_DONE)
		settle_staged(cx, first, 0);
	else if (settle_staged(cx, first, 1) < 0)
		st = EXIT_WRITE;
	/* committed: the series' memory beside the configuration follows */
	const struct journal *j = &cx->journal;
	if (st == EXIT_DONE && j->n_series) {
		char *abs = issued_journal_abs(cx);
		if (series_record(&cx->model.cfg, abs, j->first_number + (long)j->n_series - 1) < 0)
			warning_at(cx->model.cfg.path, 0,
				   "the invoices are issued, but the number series beside the configuration could not be updated (the next issue does it)");
		free(abs);
	}
	return st;
}

/* Stage the document of the newly added row i, which takes its record's
 * fingerprint. */
static enum exit_status stage_row(struct context *cx, size_t i, const struct document *doc)
{
	return stage_document(cx, &cx->journal.rows[i], doc, cx->journal.rows[i].record) < 0
		       ? EXIT_WRITE : EXIT_DONE;
}

struct issue_job {
	struct context *cx;
	const size_t *items;
	size_t first_row;	/* the journal row of items[0] */
	const struct period_lines *lines;
};

/* Make invoice i's document, and stage its files beside their final names.
 * A worker is another process: the record's fingerprint it gets here is
 * lost, and issue_new reads it back from the staged record. */
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
	int st = stage_document(ij->cx, row, &doc, sha) < 0 ? EXIT_WRITE : EXIT_DONE;
	document_release(&doc);
	(*count)++;
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
	struct issue_job ij = {cx, items, j->n, &pl};
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
	st = (enum exit_status)workers_run(n, issue_job, &ij, &staged_count);
	for (size_t i = ij.first_row; st == EXIT_DONE && i < j->n; i++) {
		char *path = issued_path(cx, &j->rows[i], ISSUED_RECORD);
		char *name = output_staged_name(path);
		if (hash_file(name, j->rows[i].record) < 0) {
			error_at(name, 0, "cannot read what was just written: %s", strerror(errno));
			st = EXIT_WRITE;
		}
		free(name);
		free(path);
	}
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
		note("issue: period '%s': %zu invoice%s%s, %s to %s, journal %s", p->name, n - notes,
		     n - notes == 1 ? "" : "s", also, j->rows[ij.first_row].number, j->rows[j->n - 1].number,
		     j->path);
	}
out:
	period_lines_release(&pl);
	free(items);
	free(dir);
	return st;
}

/* The period named on the command line, or -1 after a message. */
static long named_period(const struct config *cfg, const char *name)
{
	long period = config_find_period(cfg, name);
	if (period < 0) {
		struct strbuf names = {0};
		for (size_t i = 0; i < cfg->nperiods; i++)
			sb_addf(&names, "%s%s", i ? ", " : "", cfg->periods[i].name);
		error_at(cfg->path, 0, "no such period: '%s' (periods: %s)", name, names.buf);
		sb_release(&names);
	}
	return period;
}

static enum exit_status run_issue(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	long period = named_period(cfg, cx->opt->period);
	if (period < 0)
		return EXIT_USAGE;
	const struct period *p = &cfg->periods[period];
	enum exit_status st = open_issued(cx);
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
		note("issue: period '%s' is already issued; nothing changed", p->name);
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

/* ---- credit and correct ------------------------------------------------------ */

/* The credit note of issued invoice r, numbered next (a draft: none),
 * dated today. */
static int make_credit(struct context *cx, const struct journal_row *r, int draft,
		       struct document *note)
{
	struct document invoice;
	struct record_files files;
	char *rpath = issued_path(cx, r, ISSUED_RECORD);
	int rc = record_load(&invoice, &files, rpath);
	free(rpath);
	if (rc < 0)
		return -1;
	char *number = draft ? NULL : journal_number(&cx->journal, 0);
	char ocr[OCR_BUFSZ];
	if (number && ocr_make(number, ocr) < 0)
		BUG("invoice number without digits: %s", number);
	date_t today = cx->opt->today != DATE_NONE ? cx->opt->today : invoice.invoice_date;
	document_credit(note, &invoice, number, number ? ocr : NULL, today, cx->opt->reason);
	document_release(&invoice);
	free(number);
	return 0;
}

/* A credit note forgives nothing while the inputs still bill the member
 * for its period: say so at once, not when correct invoices it again. */
static void credit_still_billed(struct context *cx, const struct document *credit)
{
	const struct model *model = &cx->model;
	long period = config_find_period(&model->cfg, credit->period);
	long m = model_find_member(model, credit->buyer.id);
	const struct invoice *inv = period < 0 || m < 0 ? NULL : allocation_find(&cx->alloc, (size_t)period, (size_t)m);
	if (!inv || !inv->billable)
		return;
	char amount[MONEY_BUFSZ];
	warning_at(cx->journal.path, 0,
		   "the inputs still bill '%s' %s for period '%s': 'samfakt correct %s' will invoice it again unless they change; build drafts that invoice and check lists it. To forgive the charge, make the inputs bill the member nothing for the period (see the README's year)",
		   credit->buyer.id, money_format(inv->total, amount), credit->period, credit->period);
}

static enum exit_status run_credit(struct context *cx)
{
	struct journal *j = &cx->journal;
	enum exit_status st = open_issued(cx);
	if (st != EXIT_DONE)
		return st;
	const struct journal_row *r = journal_find_number(j, cx->opt->number);
	if (!r || r->other_series || r->year != cx->model.cfg.year) {
		error_at(j->path, 0, "no invoice %s of %s %d in the journal", cx->opt->number,
			 cx->model.cfg.name, cx->model.cfg.year);
		return EXIT_INPUT;
	}
	if (r->type != DOCUMENT_INVOICE) {
		error_at(j->path, r->line, "%s is a credit note: only an invoice can be credited", r->number);
		return EXIT_INPUT;
	}
	if (r->credited) {
		error_at(j->path, r->line, "invoice %s is already credited: an invoice is credited once", r->number);
		return EXIT_INPUT;
	}
	struct document note;
	if (make_credit(cx, r, 0, &note) < 0)
		return EXIT_INPUT;
	size_t first = add_row(cx, &note);	/* r is not to be used from here: rows may move */
	st = commit_documents(cx, first, stage_row(cx, first, &note));
	if (st == EXIT_DONE) {
		char amount[MONEY_BUFSZ];
		note("credit: credit note %s credits invoice %s (%s, %s), journal %s", note.number,
		     note.refers_to, note.buyer.id, money_format(note.total, amount), j->path);
		credit_still_billed(cx, &note);
	}
	document_release(&note);
	return st;
}

/* Make an issued period match today's inputs: for each member whose
 * standing invoice the inputs change, a credit note for it and (when the
 * inputs still bill the member) a new invoice that replaces it; a member
 * the inputs now bill for the first time gets an invoice. */
static enum exit_status run_correct(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	struct journal *j = &cx->journal;
	long period = named_period(cfg, cx->opt->period);
	if (period < 0)
		return EXIT_USAGE;
	const struct period *p = &cfg->periods[period];
	enum exit_status st = open_issued(cx);
	if (st != EXIT_DONE)
		return st;
	if (!journal_has_period(j, cfg->year, p->name)) {
		error_at(cfg->path, p->line, "period '%s' is not issued: there is nothing to correct ('samfakt issue %s' issues it)",
			 p->name, p->name);
		return EXIT_INPUT;
	}
	size_t first = j->n, credits = 0, invoices = 0;
	enum exit_status staged = EXIT_DONE;
	struct correction *c;
	size_t nc = issued_corrections(cx, (size_t)period, &c);
	size_t stuck = 0;
	for (size_t ci = 0; ci < nc; ci++)
		stuck += (size_t)uncorrectable(j, c[ci].row == NO_ROW ? NULL : &j->rows[c[ci].row], DIAG_ERROR);
	if (stuck) {
		free(c);
		return EXIT_INPUT;
	}
	struct period_lines pl;
	allocation_lines(&cx->model, &cx->alloc, (size_t)period, &pl);
	struct invoice_line *lines = period_lines_buffer(&pl);
	for (size_t ci = 0; ci < nc && staged == EXIT_DONE; ci++) {
		const struct invoice *inv = c[ci].inv;
		/* by index: the rows move as rows are added */
		const struct journal_row *r = c[ci].row == NO_ROW ? NULL : &j->rows[c[ci].row];
		const char *replaced = NULL;
		date_t replaced_date = DATE_NONE;
		if (r) {
			struct document note;
			replaced = r->number;	/* in the journal's arena: stays put */
			replaced_date = r->invoice_date;
			if (make_credit(cx, r, 0, &note) < 0) {
				staged = EXIT_WRITE;
				break;
			}
			staged = stage_row(cx, add_row(cx, &note), &note);
			document_release(&note);
			credits++;
		}
		if (inv && staged == EXIT_DONE) {
			struct document doc;
			char *number = journal_number(j, 0);
			char ocr[OCR_BUFSZ];
			if (ocr_make(number, ocr) < 0)
				BUG("invoice number without digits: %s", number);
			period_lines_of(&pl, (size_t)c[ci].member, lines);
			replacing_invoice(cx, &doc, inv, lines, number, ocr, replaced, replaced_date);
			staged = stage_row(cx, add_row(cx, &doc), &doc);
			document_release(&doc);
			free(number);
			invoices++;
		}
	}
	free(c);
	free(lines);
	period_lines_release(&pl);
	if (staged == EXIT_DONE && j->n == first) {
		note("correct: period '%s' matches the inputs; nothing to correct", p->name);
		return EXIT_DONE;
	}
	st = commit_documents(cx, first, staged);
	if (st == EXIT_DONE)
		note("correct: period '%s': %zu credit note%s, %zu new invoice%s, %s to %s, journal %s", p->name,
		     credits, credits == 1 ? "" : "s", invoices, invoices == 1 ? "" : "s",
		     j->rows[first].number, j->rows[j->n - 1].number, j->path);
	return st;
}

/* ---- export ------------------------------------------------------------------ */

/* Is r a document of this cooperation (any year's series) with a record? */
static int exportable(const struct context *cx, const struct journal_row *r)
{
	if (!r->record[0])
		return 0;
	return issued_is_ours(cx, r) || strcmp(r->cooperation, cx->model.cfg.name) == 0;
}

/* The export files of year already in its folder, when the log is gone:
 * vouchers were handed over, and numbering them again would give new
 * numbers to vouchers the ledger holds. */
static int orphan_exports(const struct context *cx, int year, const char *log_path)
{
	char *dir = xasprintf("%s/%d", cx->model.cfg.output_dir, year);
	char *prefix = xasprintf("bokforing-%d-", year);
	DIR *d = opendir(dir);
	char *first = NULL;	/* the first by name, so that the message is the same every time */
	for (struct dirent *e; d && (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && n > 3 && strcmp(e->d_name + n - 3, ".si") == 0 &&
		    (!first || strcmp(e->d_name, first) < 0)) {
			free(first);
			first = xstrdup(e->d_name);
		}
	}
	if (d)
		closedir(d);
	if (first)
		error_at(log_path, 0,
			 "the export log is missing, but %s/%s was exported: restore the log from your backup (the vouchers it records keep their numbers; samfakt will not number them again)",
			 dir, first);
	int found = first != NULL;
	free(first);
	free(dir);
	free(prefix);
	return found;
}

/* The sequence number of the next incremental file of year: one more than
 * the highest of bokforing-YEAR-NNN.si in the log. */
static int next_export_file(const struct sie_log *log, int year)
{
	int last = 0;
	char want[32];
	int len = snprintf(want, sizeof want, "bokforing-%d-", year);
	for (size_t i = 0; i < log->n; i++) {
		const char *f = log->rows[i].file;
		if (log->rows[i].year == year && strncmp(f, want, (size_t)len) == 0) {
			int k = atoi(f + len);
			if (k > last)
				last = k;
		}
	}
	return last + 1;
}

/* The vouchers dated in a fiscal year, from the records of every document
 * of this cooperation, as an SIE 4 file: OUTPUT/YEAR/bokforing-YEAR-NNN.si
 * with the vouchers not exported before (numbered on, and recorded in the
 * export log), or with --all OUTPUT/YEAR/bokforing-YEAR.si with all of
 * them, each with the number it was first exported with. */
static enum exit_status run_export_sie(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	const int year = cx->opt->year ? cx->opt->year : cfg->year;
	if (!cfg->ledger.present) {
		error_at(cfg->path, 0,
			 "export sie needs a [ledger] section: the receivable and VAT accounts, and an account for each pool (see the README)");
		return EXIT_INPUT;
	}
	enum exit_status st = open_issued(cx);
	if (st != EXIT_DONE)
		return st;
	const struct journal *j = &cx->journal;
	struct document *docs = xcalloc(j->n + 1, sizeof *docs);
	char **paths = xcalloc(j->n + 1, sizeof *paths);
	size_t n = 0;
	for (size_t i = 0; i < j->n && st == EXIT_DONE; i++) {
		const struct journal_row *r = &j->rows[i];
		if (!exportable(cx, r))
			continue;
		struct record_files files;
		paths[n] = issued_path(cx, r, ISSUED_RECORD);
		if (record_load(&docs[n], &files, paths[n]) < 0)
			st = EXIT_INPUT;
		n++;
	}
	struct sie_log log;
	if (sie_log_load(&log, j->path) < 0 || (!log.exists && orphan_exports(cx, year, log.path)))
		st = EXIT_INPUT;
	struct sie_voucher *v = NULL;
	size_t nv = st == EXIT_DONE ? sie_vouchers(docs, n, &v) : 0;

	/* Every voucher the log holds is still what it was. */
	for (size_t i = 0; i < log.n && st == EXIT_DONE; i++) {
		const struct sie_logged *l = &log.rows[i];
		size_t k = 0;
		while (k < nv && !(v[k].part == l->part && strcmp(docs[v[k].doc].number, l->number) == 0))
			k++;
		if (k == nv || v[k].date != l->date) {
			error_at(log.path, l->line, "voucher %s %ld of %d (%s, %s) was exported, but the journal %s",
				 l->series, l->voucher, l->year, l->number, sie_part_name(l->part),
				 k == nv ? "no longer holds that document" : "dates it otherwise now");
			st = EXIT_INPUT;
		}
	}
	/* This year's: numbered as exported, the new ones numbered on. */
	size_t keep = 0, fresh = 0;
	long next = sie_log_last(&log, year, cfg->ledger.series);
	int file_no = next_export_file(&log, year);
	char *name = cx->opt->all ? xasprintf("bokforing-%d.si", year)
				  : xasprintf("bokforing-%d-%03d.si", year, file_no);
	for (size_t i = 0; i < nv && st == EXIT_DONE; i++) {
		int y, m, d;
		date_to_ymd(v[i].date, &y, &m, &d);
		if (y != year)
			continue;
		const struct sie_logged *l = sie_log_find(&log, docs[v[i].doc].number, v[i].part);
		if (l && strcmp(l->series, cfg->ledger.series) != 0) {
			error_at(log.path, l->line,
				 "%s was exported in voucher series %s, but [ledger] series is now %s: put the series back (its vouchers keep their numbers)",
				 l->number, l->series, cfg->ledger.series);
			st = EXIT_INPUT;
			break;
		}
		if (l && !cx->opt->all)
			continue;
		v[i].number = l ? l->voucher : ++next;
		if (!l) {
			struct sie_logged row = {.year = year, .series = cfg->ledger.series, .voucher = v[i].number,
						 .date = v[i].date, .number = docs[v[i].doc].number,
						 .part = v[i].part, .file = name};
			sie_log_add(&log, &row);
			fresh++;
		}
		v[keep++] = v[i];
	}
	if (st == EXIT_DONE && keep && sie_check(cfg, docs, (const char *const *)paths, n) < 0)
		st = EXIT_INPUT;
	if (st == EXIT_DONE && keep == 0) {
		size_t before = 0;
		for (size_t i = 0; i < log.n; i++)
			before += log.rows[i].year == year;
		if (before)
			note("export: nothing new to book in %d: its %zu voucher%s %s exported before (the log: %s); 'export sie %d --all' writes them all again",
			     year, before, before == 1 ? "" : "s", before == 1 ? "was" : "were", log.path, year);
		else
			note("export: nothing issued is dated in %d", year);
	} else if (st == EXIT_DONE) {
		/* sorted by number: the ones exported before, then the new */
		for (size_t a = 1; a < keep; a++)
			for (size_t b = a; b > 0 && v[b - 1].number > v[b].number; b--) {
				struct sie_voucher t = v[b];
				v[b] = v[b - 1];
				v[b - 1] = t;
			}
		struct strbuf sie = {0};
		char *dir = xasprintf("%s/%d", cfg->output_dir, year);
		char *path = xasprintf("%s/%s", dir, name);
		if (sie_render(cfg, year, docs, v, keep, &sie) < 0)
			st = EXIT_INPUT;
		/* the file, then the log: killed between them, the next run
		 * writes the same file with the same numbers */
		else if (output_mkdirs(dir) < 0 || output_write(path, sie.buf, sie.len, NULL) < 0 ||
			 (fresh && sie_log_write(&log) < 0))
			st = EXIT_WRITE;
		else
			note("export: %s: %zu voucher%s of %d (%zu new, numbered %s %ld–%ld)%s", path, keep,
			     keep == 1 ? "" : "s", year, fresh, cfg->ledger.series, fresh ? next - (long)fresh + 1 : 0,
			     fresh ? next : 0, cx->opt->all ? "; the whole year, for a ledger that holds none of it" : "");
		free(dir);
		free(path);
		sb_release(&sie);
	}
	free(name);
	free(v);
	sie_log_release(&log);
	for (size_t i = 0; i < n; i++) {
		document_release(&docs[i]);
		free(paths[i]);
	}
	free(docs);
	free(paths);
	return st;
}

/* ---- verify ------------------------------------------------------------------ */

/* For the host's auditor and the nightly job: the journal's chain, every
 * record against its row, every issued PDF and e-invoice against its
 * record, and the export log against the journal, whatever today's
 * inputs say (only the configuration is read). Reads, never writes. */
static enum exit_status run_verify(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	cx->year_dir = xasprintf("%s/%d", cfg->output_dir, cfg->year);
	enum exit_status st = issued_load(cx, 0);
	if (st != EXIT_DONE)
		return st;
	const struct journal *j = &cx->journal;
	int before = diag_errors();
	size_t records = 0, files[2] = {0, 0}, unrecorded = 0;
	for (size_t i = 0; i < j->n; i++) {
		const struct journal_row *r = &j->rows[i];
		if (!r->record[0]) {
			unrecorded++;
			continue;
		}
		char *rpath = issued_path(cx, r, ISSUED_RECORD);
		struct document doc;
		struct record_files sha;
		if (record_load(&doc, &sha, rpath) < 0) {
			free(rpath);
			continue;
		}
		records += issued_row_agrees(j, r, &doc);
		for (int f = ISSUED_PDF; f <= ISSUED_XML; f++) {
			const char *want = f == ISSUED_PDF ? sha.pdf : sha.xml;
			if (!want[0])
				continue;
			char have[HASH_HEXSZ];
			char *path = issued_path(cx, r, (enum issued_file)f);
			if (hash_file(path, have) < 0)
				error_at(path, 0, "the %s of %s is missing ('samfakt build' puts it back from its record %s)",
					 f == ISSUED_PDF ? "PDF" : "e-invoice", r->number, rpath);
			else if (strcmp(have, want) != 0)
				error_at(path, 0, "the %s of %s was changed after it was issued: it does not match its record %s",
					 f == ISSUED_PDF ? "PDF" : "e-invoice", r->number, rpath);
			else
				files[f]++;
			free(path);
		}
		document_release(&doc);
		free(rpath);
	}
	struct sie_log log;
	size_t vouchers = 0;
	if (sie_log_load(&log, j->path) == 0) {
		for (size_t i = 0; i < log.n; i++) {
			const struct journal_row *r = journal_find_number(&cx->journal, log.rows[i].number);
			if (!r)
				error_at(log.path, log.rows[i].line, "voucher %s %ld of %d books %s, which the journal does not hold",
					 log.rows[i].series, log.rows[i].voucher, log.rows[i].year, log.rows[i].number);
			else
				vouchers++;
		}
	}
	int bad = diag_errors() - before;
	note("verify: %s: %zu row%s, each following from the one before; %zu record%s agreeing with %s row%s%s; %zu PDF%s and %zu e-invoice%s as issued; export log %s: %zu voucher%s, each of a document in the journal%s",
	     j->path, j->n, j->n == 1 ? "" : "s", records, records == 1 ? "" : "s",
	     records == 1 ? "its" : "their", records == 1 ? "" : "s",
	     unrecorded ? " (and rows of an older samfakt without records)" : "", files[0],
	     files[0] == 1 ? "" : "s", files[1], files[1] == 1 ? "" : "s", log.path, vouchers,
	     vouchers == 1 ? "" : "s", log.exists ? "" : " (none yet)");
	sie_log_release(&log);
	if (bad) {
		error_at(j->path, 0, "verify found %d difference%s", bad, bad == 1 ? "" : "s");
		return EXIT_INPUT;
	}
	return EXIT_DONE;
}

enum exit_status run(const struct run_options *opt)
{
	if (opt->command == CMD_VERIFY) {
		struct context cx = {.opt = opt};
		enum exit_status st = config_load(&cx.model.cfg, opt->config) < 0 ? EXIT_INPUT : run_verify(&cx);
		output_unlock();
		journal_release(&cx.journal);
		model_release(&cx.model);
		free(cx.year_dir);
		return st;
	}

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
		case CMD_CREDIT:
			st = run_credit(&cx);
			break;
		case CMD_CORRECT:
			st = run_correct(&cx);
			break;
		case CMD_EXPORT_SIE:
			st = run_export_sie(&cx);
			break;
		case CMD_VERIFY:	/* handled above: it reads no inputs */
			break;
		case CMD_UPGRADE_JOURNAL:
			st = open_issued(&cx);
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
