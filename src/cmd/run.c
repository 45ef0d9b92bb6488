/* run.c - what the commands share: the pipeline up to the allocation
 * (config -> load -> validate -> allocate), opening what was issued, the
 * names of the year's files, and the staging and committing of issued
 * documents (issue, credit and correct). */
#include "cmd/run.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/hash.h"
#include "base/ident.h"
#include "base/util.h"
#include "cmd/issued.h"
#include "keep/document.h"
#include "keep/journal.h"
#include "keep/output.h"
#include "keep/record.h"
#include "keep/series.h"
#include "model/allocate.h"
#include "model/config.h"
#include "model/format.h"
#include "model/load.h"
#include "model/model.h"
#include "model/validate.h"

char *year_path(const struct context *cx, const char *a, const char *b)
{
	if (b)
		return xasprintf("%s/%s/%s", cx->year_dir, a, b);
	return xasprintf("%s/%s", cx->year_dir, a);
}

char *draft_name(const struct context *cx, size_t period, size_t member)
{
	const char *p = cx->model.cfg.periods[period].name;
	return xasprintf("%s/utkast/%s/utkast-%s-%s.pdf", cx->year_dir, p, p,
			 cx->model.members[member].id);
}

/* ---- the pipeline up to the allocation ----------------------------------- */

/* The configurations to be seen from here: *.ini in ./config, in ., and
 * in the config folder of each folder here (a cooperation's folder). */
static void suggest_configs(const char *missing)
{
	/* the folders to look in: config, ., then the config of each folder here */
	size_t nf = 2, cap = 2;
	char **folders = xcalloc(cap, sizeof *folders);
	folders[0] = xstrdup("config");
	folders[1] = xstrdup(".");
	DIR *top = opendir(".");
	for (struct dirent *t; top && (t = readdir(top));) {
		if (t->d_name[0] == '.' || strcmp(t->d_name, "config") == 0)
			continue;
		GROW(folders, cap, nf + 1);
		folders[nf++] = xasprintf("%s/config", t->d_name);
	}
	if (top)
		closedir(top);
	struct strbuf sb = {0};
	size_t n = 0;
	for (size_t f = 0; f < nf && n < 6; f++) {
		size_t ni;
		char **inis = ini_files(folders[f], &ni);
		for (size_t i = 0; i < ni && n < 6; i++, n++)
			sb_addf(&sb, "%s-c %s", n ? ", " : "", inis[i]);
		files_release(inis, ni);
	}
	files_release(folders, nf);
	if (n)
		note("%s is not here: run samfakt in the cooperation's folder, or name its configuration: %s", missing,
		     sb.buf);
	else
		note("%s is not here: run samfakt in the cooperation's folder (the one holding config/), or name its configuration with -c; 'samfakt init DIR' starts a new one",
		     missing);
	sb_release(&sb);
}

enum exit_status run_prepare(struct context *cx)
{
	struct model *model = &cx->model;
	/* Every problem of every file in one run: a configuration with
	 * errors still names its input files, which are read and checked
	 * too (but nothing is allocated from them). */
	int bad_config = config_load(&model->cfg, cx->opt->config) < 0;
	if (bad_config && access(cx->opt->config, F_OK) != 0) {
		suggest_configs(cx->opt->config);
		return EXIT_INPUT;
	}
	if (bad_config && (!model->cfg.members_path || !model->cfg.budget_path || !model->cfg.output_dir))
		return EXIT_INPUT;
	if (load_inputs(model) < 0 || bad_config)
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
void replacing_invoice(struct context *cx, struct document *doc, const struct invoice *inv,
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

/* A line of what was billed, summed over a member's documents for a
 * period: by pool and text. */
struct billed_line {
	const char *pool, *text;	/* in the records' document, kept open */
	money_t amount;
	int matched;
};

/* Every line of every document of row's year, period and member, summed
 * by pool and text into *out (*docs: the records read, to be released). */
static int billed_lines(struct context *cx, const struct journal_row *row, struct billed_line **out, size_t *n,
			struct document **docs, size_t *ndocs)
{
	size_t cap = 0, nrows;
	const struct journal_row *const *rows = journal_rows_of(&cx->journal, row->year, row->period, row->member, &nrows);
	*out = NULL;
	*n = *ndocs = 0;
	*docs = xcalloc(nrows + 1, sizeof **docs);
	for (size_t i = 0; i < nrows; i++) {
		const struct journal_row *r = rows[i];
		struct document *d = &(*docs)[*ndocs];
		struct record_files files;
		int rc = issued_record(cx, r, d, &files);
		if (rc < 0)
			return -1;
		(*ndocs)++;
		for (size_t l = 0; l < d->nlines; l++) {
			const struct document_line *dl = &d->lines[l];
			const char *pool = dl->pool ? dl->pool : "";
			size_t k = 0;
			while (k < *n && (strcmp((*out)[k].pool, pool) != 0 || strcmp((*out)[k].text, dl->text) != 0))
				k++;
			if (k == *n) {
				GROW(*out, cap, *n + 1);
				(*out)[(*n)++] = (struct billed_line){pool, dl->text, 0, 0};
			}
			(*out)[k].amount += dl->amount;
		}
	}
	return 0;
}

int make_difference(struct context *cx, const struct journal_row *r, const struct invoice *inv,
		    const struct invoice_line *lines, const char *number, const char *ocr, struct document *doc)
{
	struct billed_line *old;
	struct document *docs;
	size_t nold, ndocs;
	int rc = billed_lines(cx, r, &old, &nold, &docs, &ndocs);
	money_t net, vat, total;
	journal_billed(&cx->journal, r->year, r->period, r->member, &net, &vat, &total, NULL);
	struct document skeleton;
	if (rc == 0 && inv)
		replacing_invoice(cx, &skeleton, inv, lines, number, ocr, r->number, r->invoice_date);
	else if (rc == 0)	/* billed nothing now: the parties as the invoice has them */
		document_credit(&skeleton, &docs[0], number, ocr,
				cx->opt->today != DATE_NONE ? cx->opt->today : docs[0].invoice_date, cx->opt->reason);
	if (rc < 0) {
		for (size_t i = 0; i < ndocs; i++)
			document_release(&docs[i]);
		free(docs);
		free(old);
		return -1;
	}
	*doc = skeleton;
	struct document_line *now = doc->lines;
	size_t nnow = inv ? doc->nlines : 0;
	doc->lines = NULL;
	doc->nlines = 0;
	char basis[FORMAT_BUFSZ + 2 * MONEY_BUFSZ + 64], a[MONEY_BUFSZ], b[MONEY_BUFSZ];
	for (size_t i = 0; i < nnow; i++) {
		money_t was = 0;
		for (size_t k = 0; k < nold; k++)
			if (!old[k].matched && strcmp(old[k].pool, now[i].pool ? now[i].pool : "") == 0 &&
			    strcmp(old[k].text, now[i].text) == 0) {
				was = old[k].amount;
				old[k].matched = 1;
				break;
			}
		if (now[i].amount == was)
			continue;
		snprintf(basis, sizeof basis, "Nu %s, fakturerat %s: %s", money_format(now[i].amount, a),
			 money_format(was, b), now[i].basis);
		document_add_line(doc, now[i].text, basis, now[i].amount - was);
		doc->lines[doc->nlines - 1].pool = now[i].pool;
		doc->lines[doc->nlines - 1].settles = now[i].settles;
	}
	for (size_t k = 0; k < nold; k++) {
		if (old[k].matched || old[k].amount == 0)
			continue;
		snprintf(basis, sizeof basis, "Nu 0,00 kr, fakturerat %s", money_format(old[k].amount, b));
		document_add_line(doc, old[k].text, basis, -old[k].amount);
		doc->lines[doc->nlines - 1].pool = *old[k].pool ? document_strdup(doc, old[k].pool) : NULL;
	}
	free(now);
	doc->net = (inv ? inv->net : 0) - net;
	doc->vat = (inv ? inv->vat : 0) - vat;
	doc->total = (inv ? inv->total : 0) - total;
	doc->kind = doc->net < 0 || (doc->net == 0 && doc->total < 0) ? DOCUMENT_PARTIAL_CREDIT : DOCUMENT_SUPPLEMENT;
	doc->refers_to = document_strdup(doc, r->number);
	doc->refers_to_date = r->invoice_date;
	if (doc->kind == DOCUMENT_PARTIAL_CREDIT)
		doc->due_date = doc->invoice_date;	/* nothing to pay */
	for (size_t i = 0; i < ndocs; i++)
		document_release(&docs[i]);
	free(docs);
	free(old);
	return doc->net == 0 && doc->vat == 0 && doc->total == 0 ? 1 : 0;
}

/* Is row (of a correction, or NULL) a standing credit note, made of buy-in
 * credits beyond an invoice? samfakt cannot correct one: says so at level
 * (check and build warn, correct refuses). */
int uncorrectable(const struct journal *j, const struct journal_row *r, enum diag_level level)
{
	if (!r || r->type != DOCUMENT_CREDIT_NOTE)
		return 0;
	diag(level, j->path, r->line,
	     "period '%s': credit note %s to '%s' (credits of a buy-in) differs from what today's inputs give; samfakt cannot correct a credit note: put the inputs back as they were when it was issued, or settle the difference by hand",
	     r->period, r->number, r->member);
	return 1;
}

/* Say which periods wait for which counts (check and build). */
void note_waiting(const struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	char d[DATE_BUFSZ];
	for (size_t p = 0; p < cfg->nperiods; p++)
		if (cfg->periods[p].waits_for != DATE_NONE)
			note("period '%s' waits for the user counts of %s (%s): no drafts, and it cannot be issued, until they are there",
			     cfg->periods[p].name, date_format(cfg->periods[p].waits_for, d),
			     cx->model.users_file);
}

/* The billable invoices of a period, as indices into the allocation. */
size_t period_invoices(const struct context *cx, size_t period, size_t *items)
{
	size_t count, n = 0;
	const struct invoice *inv = allocation_period(&cx->alloc, period, &count);
	for (size_t i = 0; i < count; i++)
		if (inv[i].billable)
			items[n++] = (size_t)(inv + i - cx->alloc.invoices);
	return n;
}

/* What every command that may write does first: the locks, the journal
 * checked and completed, older rows recorded, the issued files checked
 * (whole_year: with every record) and the missing ones put back. */
enum exit_status open_issued(struct context *cx, int whole_year)
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
	if ((unrecorded || cx->journal.legacy) && !cx->opt->upgrade_journal) {
		error_at(cx->journal.path, 0,
			 "the journal was written by an older samfakt (no hash column, %zu invoice%s without a record): 'samfakt upgrade-journal' makes %s records from today's inputs (which must still give exactly what was issued) and chains its rows; nothing else is done with it until then",
			 unrecorded, unrecorded == 1 ? "" : "s", unrecorded == 1 ? "its" : "their");
		return EXIT_INPUT;
	}
	if (cx->opt->upgrade_journal && !unrecorded && !cx->journal.legacy) {
		note("upgrade-journal: %s is this samfakt's already: nothing to do", cx->journal.path);
		return EXIT_DONE;
	}
	st = issued_record_unrecorded(cx);
	if (st == EXIT_DONE)
		st = whole_year ? issued_check_files(cx, 1) : issued_check_missing(cx);
	return st;
}

void summary_made(struct context *cx, size_t first, const char *what)
{
	const struct journal *j = &cx->journal;
	size_t n = j->n - first, xml = 0;
	if (n == 0)
		return;
	struct strbuf sb = {0};
	char *dir = NULL;
	int one_folder = 1;
	for (size_t i = first; i < j->n; i++) {
		char *pdf = issued_path(cx, &j->rows[i], ISSUED_PDF), *x = issued_path(cx, &j->rows[i], ISSUED_XML);
		char *folder = output_folder(pdf);
		xml += access(x, F_OK) == 0;
		if (!dir)
			dir = xstrdup(folder);
		else if (strcmp(dir, folder) != 0)
			one_folder = 0;
		if (n <= 4)
			sb_addf(&sb, "%s%s", i > first ? ", " : "", pdf);
		free(folder);
		free(x);
		free(pdf);
	}
	const char *how = cx->model.cfg.sending.outbox ? "" : "; 'samfakt send --list' names the envelopes to upload";
	if (n <= 4)
		summary(1, "%s: made %s%s%s", what, sb.buf,
			xml == n ? (n == 1 ? ", with its e-invoice (.xml, in its envelope .sbd.xml)"
					   : ", each with its e-invoice (.xml, in its envelope .sbd.xml)") : "",
			xml ? how : "");
	else
		summary(1, "%s: made %zu PDFs in %s%s, %zu with an e-invoice (.xml, in its envelope .sbd.xml)%s", what, n,
			dir, one_folder ? "" : " and other folders", xml, xml ? how : "");
	free(dir);
	sb_release(&sb);
}

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
			else if ((f == ISSUED_XML || f == ISSUED_SBD) && access(name, F_OK) != 0)
				;	/* a document without an e-invoice */
			else if (output_commit_later(name, path) < 0)
				rc = -1;
			free(name);
			free(path);
		}
	output_sync_folders();
	return rc;
}

/* The journal row for doc, added (its number the next, its record's
 * fingerprint still to come): the row's index. */
size_t add_row(struct context *cx, const struct document *doc)
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
 * PDF, e-invoice and envelope beside their final names; record_sha gets
 * the record's fingerprint. A document with all an e-invoice needs gets
 * one (a credit note of an invoice issued before e-invoices does not).
 * Returns 0; -2 when its e-invoice is larger than [einvoice] max_size_kb
 * (bad input: nothing may be issued); -1 when it cannot be written. */
int stage_document(const struct context *cx, const struct journal_row *row,
		   const struct document *doc, char record_sha[HASH_HEXSZ])
{
	char *path = issued_path(cx, row, ISSUED_PDF);
	char *xpath = issued_path(cx, row, ISSUED_XML);
	char *rpath = issued_path(cx, row, ISSUED_RECORD);
	char *spath = issued_path(cx, row, ISSUED_SBD);
	char *dir = output_folder(path);
	char *staged;
	struct rendered out;
	struct strbuf rec = {0};
	int rc = -1;
	int einvoice = document_has_einvoice_data(doc);
	if (doc->kind == DOCUMENT_STATEMENT)
		einvoice = 0;	/* a statement asks for nothing: no e-invoice */
	else if (!einvoice)
		note("%s %s gets no e-invoice: it credits invoice %s, which was issued before samfakt wrote e-invoices (a PDF only)",
		     document_is_credit(doc->kind) ? "credit note" : "invoice", doc->number,
		     doc->refers_to ? doc->refers_to : "?");
	const size_t max = (size_t)cx->model.cfg.einvoice.max_kb * 1024;
	int rendered = output_mkdirs(dir) == 0 && output_mkdirs(cx->journal.records) == 0 &&
		       issued_render(doc, path, einvoice, &out) == 0;
	if (rendered && out.xml_len > max) {
		error_at(cx->model.cfg.path, 0,
			 "the e-invoice of %s %s to '%s' would be %zu KB, over the %zu KB an access point takes ([einvoice] max_size_kb): nothing is issued; with [einvoice] attach_pdf = no it leaves its PDF out",
			 document_is_credit(doc->kind) ? "credit note" : "invoice", doc->number, doc->buyer.id, (out.xml_len + 1023) / 1024, max / 1024);
		rendered_release(&out);
		rc = -2;
	} else if (rendered) {
		record_format(doc, &out.sha, &rec);
		hash_bytes(rec.buf, rec.len, record_sha);
		rc = 0;
		const struct {
			const char *path, *buf;
			size_t len;
		} files[] = {{rpath, rec.buf, rec.len}, {path, out.pdf, out.pdf_len}, {xpath, out.xml, out.xml_len},
			     {spath, out.sbd, out.sbd_len}};
		for (size_t f = 0; f < 4 && rc == 0; f++) {
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
	free(spath);
	free(rpath);
	free(xpath);
	free(path);
	return rc;
}

/* Put the journal with the rows from first on in place, then their files;
 * or, when what staged them did not end in EXIT_DONE, drop what was staged. */
enum exit_status commit_documents(struct context *cx, size_t first, enum exit_status st)
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
enum exit_status stage_row(struct context *cx, size_t i, const struct document *doc)
{
	char sha[HASH_HEXSZ] = "";
	int rc = stage_document(cx, &cx->journal.rows[i], doc, sha);
	if (rc == 0)
		journal_set_record(&cx->journal.rows[i], sha);
	return rc == -2 ? EXIT_INPUT : rc < 0 ? EXIT_WRITE : EXIT_DONE;
}

/* The period named on the command line, or -1 after a message. */
long named_period(const struct config *cfg, const char *name)
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

/* The credit note of issued invoice r, numbered next (a draft: none),
 * dated today. */
int make_credit(struct context *cx, const struct journal_row *r, int draft,
		       struct document *note)
{
	struct document invoice;
	struct record_files files;
	char *rpath = issued_path(cx, r, ISSUED_RECORD);
	int rc = issued_record(cx, r, &invoice, &files);
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

void run_finish(struct context *cx)
{
	output_unlock();
	journal_release(&cx->journal);
	allocation_release(&cx->alloc);
	model_release(&cx->model);
	free(cx->year_dir);
}

enum exit_status run_command(const struct run_options *opt, enum exit_status (*fn)(struct context *cx))
{
	struct context cx = {.opt = opt};
	enum exit_status st = run_prepare(&cx);
	if (st == EXIT_DONE)
		st = fn(&cx);
	run_finish(&cx);
	return st;
}
