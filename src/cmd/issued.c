/* issued.c - the journal held against the configuration, its records and
 * the files on disk; issued PDFs made again from their records. */
#include "cmd/issued.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "base/hash.h"
#include "base/ident.h"
#include "base/util.h"
#include "keep/output.h"
#include "keep/record.h"
#include "keep/series.h"
#include "render/invoice.h"
#include "render/sbd.h"
#include "render/ubl.h"

int issued_record(const struct context *cx, const struct journal_row *r, struct document *doc,
		  struct record_files *files)
{
	char *path = issued_path(cx, r, ISSUED_RECORD);
	/* After a run killed past its commit, check (which puts nothing in
	 * place) finds the record still staged (journal_load saw which). */
	char *staged = r->staged ? output_staged_name(path) : NULL;
	char want[HASH_HEXSZ];
	int rc = record_load_expect(doc, files, staged ? staged : path, journal_record_hex(r, want),
				    cx->journal.path, r->line, r->number);
	free(staged);
	free(path);
	return rc;
}

char *issued_path(const struct context *cx, const struct journal_row *r, enum issued_file f)
{
	if (f == ISSUED_RECORD)
		return record_path(cx->journal.records, r->number);
	return xasprintf("%s/%d/fakturor/%s/%s-%s-%s.%s", cx->model.cfg.output_dir, r->year,
			 r->period, document_kind_name(r->type), r->number, r->member,
			 f == ISSUED_SBD ? "sbd.xml" : f == ISSUED_XML ? "xml" : "pdf");
}

int issued_render(const struct document *doc, const char *pdf_path, int einvoice, struct rendered *out)
{
	memset(out, 0, sizeof *out);
	if (invoice_render(doc, pdf_path, &out->pdf, &out->pdf_len) < 0)
		return -1;
	hash_bytes(out->pdf, out->pdf_len, out->sha.pdf);
	if (!einvoice)
		return 0;
	const char *name = strrchr(pdf_path, '/') ? strrchr(pdf_path, '/') + 1 : pdf_path;
	if (ubl_render(doc, name, out->pdf, out->pdf_len, pdf_path, &out->xml, &out->xml_len) < 0) {
		rendered_release(out);
		return -1;
	}
	hash_bytes(out->xml, out->xml_len, out->sha.xml);
	if (sbd_render(doc, out->xml, out->xml_len, pdf_path, &out->sbd, &out->sbd_len) < 0) {
		rendered_release(out);
		return -1;
	}
	return 0;
}

void rendered_release(struct rendered *r)
{
	free(r->pdf);
	free(r->xml);
	free(r->sbd);
	memset(r, 0, sizeof *r);
}

/* Is r a document of this configuration's cooperation and year? */
int issued_is_ours(const struct context *cx, const struct journal_row *r)
{
	return !r->other_series && r->year == cx->model.cfg.year;
}

/* Does row r say what its record doc says? Names each field that differs. */
int issued_row_agrees(const struct journal *j, const struct journal_row *r, const struct document *doc)
{
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
	int ok = 1;
#define DIFFERS(field, have, want)                                                                       \
	do {                                                                                             \
		error_at(j->path, r->line,                                                               \
			 "row %s says %s '%s', its record says '%s': the journal was edited (and its hashes made good again?); restore it from the backup", \
			 r->number, field, have, want);                                                  \
		ok = 0;                                                                                  \
	} while (0)
	if (r->type != doc->kind)
		DIFFERS("type", document_kind_name(r->type), document_kind_name(doc->kind));
	if (strcmp(r->member, doc->buyer.id) != 0)
		DIFFERS("member", r->member, doc->buyer.id);
	if (strcmp(r->org_nr, doc->buyer.org_nr) != 0)
		DIFFERS("org_nr", r->org_nr, doc->buyer.org_nr);
	if (strcmp(r->ocr, doc->ocr) != 0)
		DIFFERS("ocr", r->ocr, doc->ocr);
	if (strcmp(r->period, doc->period) != 0)
		DIFFERS("period", r->period, doc->period);
	if (r->invoice_date != doc->invoice_date)
		DIFFERS("invoice_date", date_format(r->invoice_date, a), date_format(doc->invoice_date, b));
	if (r->due_date != doc->due_date)
		DIFFERS("due_date", date_format(r->due_date, a), date_format(doc->due_date, b));
	if (r->net != doc->net)
		DIFFERS("net", money_format_csv(r->net, a), money_format_csv(doc->net, b));
	if (r->vat != doc->vat)
		DIFFERS("vat", money_format_csv(r->vat, a), money_format_csv(doc->vat, b));
	if (r->total != doc->total)
		DIFFERS("total", money_format_csv(r->total, a), money_format_csv(doc->total, b));
#undef DIFFERS
	return ok;
}

/* ---- issued invoices against today's inputs ---------------------------- */

const struct journal_row *issued_last_credit(const struct context *cx, size_t period, const char *member)
{
	const char *pname = cx->model.cfg.periods[period].name;
	const struct journal_row *last = NULL;
	for (size_t i = 0; i < cx->journal.n; i++) {
		const struct journal_row *r = &cx->journal.rows[i];
		if (issued_is_ours(cx, r) && r->type == DOCUMENT_CREDIT_NOTE && *r->refers_to &&
		    strcmp(r->period, pname) == 0 && strcmp(r->member, member) == 0)
			last = r;
	}
	return last;
}

/* Report every way the inputs now disagree with what the journal says was
 * issued for period, at the given level. Returns the number found. */
int issued_compare(struct context *cx, size_t period, enum diag_level level)
{
	const struct model *model = &cx->model;
	const int year = model->cfg.year;
	const char *pname = model->cfg.periods[period].name;
	const char *jpath = cx->journal.path;
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
	int found = 0;

	for (size_t i = 0; i < cx->alloc.ninvoices; i++) {
		const struct invoice *inv = &cx->alloc.invoices[i];
		if (inv->period != period || !inv->billable)
			continue;
		const struct member *m = &model->members[inv->member];
		const struct journal_row *r = journal_find(&cx->journal, year, pname, m->id);
		if (!r) {
			const struct journal_row *note = issued_last_credit(cx, period, m->id);
			if (note)
				diag(level, jpath, note->line,
				     "period '%s' is issued, but '%s' would now get an invoice of %s: its invoice %s was credited by %s, and the inputs still bill it, so 'samfakt correct %s' invoices it again (to forgive a charge, make the inputs bill the member nothing for the period: see the README's year)",
				     pname, m->id, money_format(inv->total, a), note->refers_to, note->number, pname);
			else
				diag(level, jpath, 0, "period '%s' is issued, but '%s' would now get an invoice of %s",
				     pname, m->id, money_format(inv->total, a));
			found++;
			continue;
		}
		money_t net, vat, total;
		size_t amended;
		journal_billed(&cx->journal, year, pname, m->id, &net, &vat, &total, &amended);
		if (total != inv->total || net != inv->net || vat != inv->vat) {
			diag(level, jpath, r->line,
			     "period '%s', member '%s': invoice %s was issued for %s%s, the inputs now give %s",
			     pname, m->id, r->number, money_format(total, a),
			     amended ? " (as amended)" : "", money_format(inv->total, b));
			found++;
		}
		if (strcmp(r->org_nr, m->org_nr) != 0) {
			diag(level, jpath, r->line,
			     "period '%s', member '%s': invoice %s was issued to org.nr %s, the inputs now say %s",
			     pname, m->id, r->number, r->org_nr, m->org_nr);
			found++;
		}
	}
	for (size_t i = 0; i < cx->journal.n; i++) {
		const struct journal_row *r = &cx->journal.rows[i];
		if (!issued_is_ours(cx, r) || strcmp(r->period, pname) != 0)
			continue;
		long m = model_find_member(model, r->member);
		const struct invoice *inv = m < 0 ? NULL : allocation_find(&cx->alloc, period, (size_t)m);
		if (!journal_row_standing(r))
			continue;
		money_t net, vat, total;
		journal_billed(&cx->journal, year, pname, r->member, &net, &vat, &total, NULL);
		if ((!inv || !inv->billable) && total != 0) {
			diag(level, jpath, r->line,
			     "period '%s': invoice %s was issued to '%s', who the inputs no longer bill",
			     pname, r->number, r->member);
			found++;
		}
	}
	return found;
}


size_t issued_corrections(struct context *cx, size_t period, struct correction **out)
{
	const struct config *cfg = &cx->model.cfg;
	struct journal *j = &cx->journal;
	const char *pname = cfg->periods[period].name;
	size_t n = 0, cap = 0;
	*out = NULL;
	for (size_t m = 0; m < cx->model.nmembers; m++) {
		const struct invoice *inv = allocation_find(&cx->alloc, period, m);
		if (inv && !inv->billable)
			inv = NULL;
		const char *id = cx->model.members[m].id;
		const struct journal_row *r = journal_find(j, cfg->year, pname, id);
		money_t net, vat, total;
		journal_billed(j, cfg->year, pname, id, &net, &vat, &total, NULL);
		if (inv ? net == inv->net && vat == inv->vat && total == inv->total
			: !r || (net == 0 && vat == 0 && total == 0))
			continue;
		GROW(*out, cap, n + 1);
		(*out)[n++] = (struct correction){(long)m, r ? (size_t)(r - j->rows) : NO_ROW, inv};
	}
	for (size_t i = 0; i < j->n; i++) {
		const struct journal_row *r = &j->rows[i];
		money_t net = 0, vat = 0, total = 0;
		if (issued_is_ours(cx, r) && journal_row_standing(r) && strcmp(r->period, pname) == 0 &&
		    model_find_member(&cx->model, r->member) < 0)
			journal_billed(j, cfg->year, pname, r->member, &net, &vat, &total, NULL);
		if (net != 0 || total != 0) {
			GROW(*out, cap, n + 1);
			(*out)[n++] = (struct correction){-1, i, NULL};
		}
	}
	return n;
}

/* ---- the journal and what it says was issued ---------------------------- */

/* path made absolute, its longest existing folder resolved (links, "..",
 * "."), for comparing names of files that may not exist yet. */
static char *canonical(const char *path)
{
	char *head = xstrdup(path);
	struct strbuf rest = {0};
	char *real;
	while (!(real = realpath(*head ? head : ".", NULL))) {
		char *slash = strrchr(head, '/');
		char *tail = xasprintf("/%s%s", slash ? slash + 1 : head, rest.buf ? rest.buf : "");
		sb_release(&rest);
		sb_adds(&rest, tail);
		free(tail);
		if (!slash) {
			*head = '\0';
		} else {
			*slash = '\0';
			if (slash == head)	/* "/x": the root */
				head[0] = '/', head[1] = '\0';
		}
	}
	char *out = xasprintf("%s%s", strcmp(real, "/") ? real : "", rest.buf ? rest.buf : "");
	free(real);
	free(head);
	sb_release(&rest);
	return out;
}

/* The journal must be a file of its own: not one samfakt reads as input
 * or writes for another purpose (a build would overwrite it). */
static int journal_path_clashes(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	char *journal = canonical(cfg->journal_path);
	char *budget = xasprintf("%s/budget-%d.pdf", cx->year_dir, cfg->year);
	char *plan = xasprintf("%s/verksamhetsplan-%d.pdf", cx->year_dir, cfg->year);
	char *csv = xasprintf("%s/fordelning.csv", cx->year_dir);
	char *lock = xasprintf("%s/.samfakt.lock", cfg->output_dir);
	const struct {
		const char *path, *what;
	} files[] = {
		{cfg->path, "the configuration"}, {cfg->members_path, "[files] members"},
		{cfg->users_path, "[files] users"}, {cfg->budget_path, "[files] budget"},
		{cfg->projects_path, "[files] projects"},
		{cfg->participations_path, "[files] participations"}, {cfg->previous_budget_path, "[files] previous_budget"},
		{cfg->meetings_path, "[files] meetings"}, {cfg->revisions_path, "[files] revisions"},
		{csv, "the allocation (fordelning.csv)"}, {budget, "the budget summary"},
		{plan, "the business plan"}, {lock, "the run lock"},
	};
	int clashes = 0;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (!files[i].path)
			continue;
		char *other = canonical(files[i].path);
		if (strcmp(journal, other) == 0) {
			error_at(cfg->path, 0,
				 "[files] journal is '%s', which samfakt also uses as %s: give the journal a file of its own",
				 cfg->journal_path, files[i].what);
			clashes++;
		}
		free(other);
	}
	char *year = canonical(cx->year_dir);
	const char *inside[] = {"fakturor/", "utkast/"};
	for (size_t i = 0; i < 2; i++) {
		char *dir = xasprintf("%s/%s", year, inside[i]);
		if (strncmp(journal, dir, strlen(dir)) == 0) {
			error_at(cfg->path, 0,
				 "[files] journal is '%s', inside a folder samfakt writes invoices to: give the journal a place of its own",
				 cfg->journal_path);
			clashes++;
		}
		free(dir);
	}
	free(year);
	free(journal);
	free(budget);
	free(plan);
	free(csv);
	free(lock);
	return clashes;
}

/* Digits a number's OCR reference is made of (ident.h: ocr_make), without
 * the length and check digits. */
static void ocr_digits(const char *number, char out[OCR_BUFSZ])
{
	size_t n = 0;
	for (const char *p = number; *p && n < OCR_BUFSZ - 1; p++)
		if (*p >= '0' && *p <= '9')
			out[n++] = *p;
	out[n] = '\0';
}

/* Could a number of this series (prefix, then first_number on, four digits
 * at least) get the OCR reference of number, from another series? */
static int ocr_could_collide(const struct config *cfg, const char *number)
{
	char ours[OCR_BUFSZ], theirs[OCR_BUFSZ];
	ocr_digits(cfg->number_prefix ? cfg->number_prefix : "", ours);
	ocr_digits(number, theirs);
	size_t n = strlen(ours);
	if (strncmp(theirs, ours, n) != 0)
		return 0;
	const char *rest = theirs + n;
	size_t len = strlen(rest);
	if (len < 4 || (len > 4 && rest[0] == '0'))
		return 0;	/* we write at least four digits, with no more leading zeros */
	char *end;
	long k = strtol(rest, &end, 10);
	return !*end && k >= cfg->first_number;
}

/* What the journal holds must fit this configuration: its series is its
 * cooperation's alone, an issued period keeps its name, and no OCR
 * reference of another series can also be one of ours. Returns the number
 * of problems reported. */
static int check_series(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	const struct journal *j = &cx->journal;
	int problems = 0, other_cooperation = 0, ocr_clash = 0, other_prefix = 0;
	const char *reported = NULL;	/* the last period name reported */
	char d[DATE_BUFSZ];
	for (size_t i = 0; i < j->n; i++) {
		const struct journal_row *r = &j->rows[i];
		if (r->other_series && !other_prefix && r->year == cfg->year &&
		    strcmp(r->cooperation, cfg->name) == 0) {
			error_at(j->path, r->line,
				 "invoice %s of %s %d was issued under another number series; number_prefix is now '%s': put it back as it was (a year's invoices keep their series, or its periods would be issued again)",
				 r->number, cfg->name, cfg->year, cfg->number_prefix ? cfg->number_prefix : "");
			other_prefix = 1;
			problems++;
		}
		if (r->other_series) {
			if (!ocr_clash && ocr_could_collide(cfg, r->number)) {
				error_at(j->path, r->line,
					 "invoice %s of another series has OCR reference %s, which an invoice of series '%s' would get too: give number_prefix digits of its own (such as '%s1-') so that every OCR reference is unique",
					 r->number, r->ocr, cfg->number_prefix ? cfg->number_prefix : "",
					 cfg->number_prefix ? cfg->number_prefix : "");
				ocr_clash = 1;
				problems++;
			}
			continue;
		}
		if (*r->cooperation && strcmp(r->cooperation, cfg->name) != 0) {
			if (!other_cooperation)
				error_at(j->path, r->line,
					 "invoice %s of series '%s' was issued by another cooperation, '%s': give each cooperation a number_prefix of its own (or, if the cooperation was renamed, put its old name back)",
					 r->number, cfg->number_prefix ? cfg->number_prefix : "", r->cooperation);
			other_cooperation = 1;
			problems++;
			continue;
		}
		if (r->year != cfg->year || config_find_period(cfg, r->period) >= 0 ||
		    strcmp(r->period, SETTLEMENT_PERIOD) == 0)
			continue;
		if (reported && strcmp(reported, r->period) == 0)
			continue;
		reported = r->period;
		problems++;
		const struct period *same_date = NULL;
		for (size_t p = 0; p < cfg->nperiods; p++)
			if (cfg->periods[p].invoice_date == r->period_date)
				same_date = &cfg->periods[p];
		if (same_date)
			error_at(cfg->path, same_date->line,
				 "period '%s' has the invoice date %s of period '%s', which was issued (%s:%d, invoice %s): an issued period keeps its name; call it [period %s] again",
				 same_date->name, date_format(r->period_date, d), r->period, j->path, r->line,
				 r->number, r->period);
		else
			error_at(cfg->path, 0,
				 "period '%s' (%s) was issued (%s:%d, invoice %s), but the configuration has no such period now: put [period %s] back",
				 r->period, date_format(r->period_date, d), j->path, r->line, r->number, r->period);
	}
	return problems;
}

/* Issued invoice PDFs under this year's output, journal or not. */
char *issued_journal_abs(const struct context *cx)
{
	const char *path = cx->journal.target ? cx->journal.target : cx->model.cfg.journal_path;
	char *dir = output_folder(path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *real = realpath(dir, NULL);
	char *abs;
	if (real)
		abs = xasprintf("%s/%s", real, base);
	else if (path[0] == '/')
		abs = xstrdup(path);
	else {
		char *cwd = getcwd(NULL, 0);
		abs = xasprintf("%s/%s", cwd ? cwd : ".", path);
		free(cwd);
	}
	free(real);
	free(dir);
	return abs;
}

/* Call fn for every file in the year's fakturor/PERIOD/ folders (hidden
 * ones, a killed run's staging, aside). */
static void each_issued_file(const struct context *cx, void (*fn)(void *ctx, const char *dir, const char *name),
			     void *ctx)
{
	char *top = xasprintf("%s/fakturor", cx->year_dir);
	DIR *d = opendir(top);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char *sub = xasprintf("%s/%s", top, e->d_name);
		DIR *p = opendir(sub);
		for (struct dirent *f; p && (f = readdir(p));)
			if (f->d_name[0] != '.')
				fn(ctx, sub, f->d_name);
		if (p)
			closedir(p);
		free(sub);
	}
	if (d)
		closedir(d);
	free(top);
}

static void count_pdf(void *ctx, const char *dir, const char *name)
{
	(void)dir;
	size_t len = strlen(name);
	*(size_t *)ctx += len > 4 && strcmp(name + len - 4, ".pdf") == 0;
}

static size_t issued_pdfs_on_disk(const struct context *cx)
{
	size_t n = 0;
	each_issued_file(cx, count_pdf, &n);
	return n;
}

struct orphans {
	struct context *cx;
	size_t n;
	char *first;		/* the first by path, for a message that is the same every time */
	char *first_number;
};

/* A file of this series' number that the journal does not hold. */
static void find_orphan(void *ctx, const char *dir, const char *name)
{
	struct orphans *o = ctx;
	struct journal *j = &o->cx->journal;
	const char *p = NULL;
	for (int k = DOCUMENT_INVOICE; k <= DOCUMENT_PARTIAL_CREDIT && !p; k++) {
		const char *kind = document_kind_name((enum document_kind)k);
		size_t kl = strlen(kind);
		if (strncmp(name, kind, kl) == 0 && name[kl] == '-')
			p = name + kl + 1;
	}
	size_t pl = strlen(j->prefix), digits;
	if (!p || strncmp(p, j->prefix, pl) != 0 || (digits = strspn(p + pl, "0123456789")) == 0 ||
	    p[pl + digits] != '-')
		return;
	char *number = xstrndup(p, pl + digits);
	if (journal_find_number(j, number)) {
		free(number);
		return;
	}
	char *path = xasprintf("%s/%s", dir, name);
	if (!o->first || strcmp(path, o->first) < 0) {
		free(o->first);
		free(o->first_number);
		o->first = path;
		o->first_number = number;
	} else {
		free(path);
		free(number);
	}
	o->n++;
}

/* Issued files that no journal row accounts for: the journal (and the
 * records) were cut, or put back from an older backup. Numbering on would
 * give their numbers a second document. */
static int orphan_files(struct context *cx)
{
	struct orphans o = {.cx = cx};
	each_issued_file(cx, find_orphan, &o);
	if (o.n) {
		char more[64] = "";
		if (o.n > 1)
			snprintf(more, sizeof more, " (nor %zu more file%s like it)", o.n - 1, o.n == 2 ? "" : "s");
		error_at(o.first, 0,
			 "this file was issued as %s, but the journal holds no such number%s: the journal and its records were cut, or put back from an older backup. Put back the newest journal and records (fakturajournal-arkiv/) from the backup; samfakt numbers nothing until every issued file has its row",
			 o.first_number, more);
	}
	free(o.first);
	free(o.first_number);
	return o.n ? -1 : 0;
}

/* Does the record of row r have a line that carries statement number? */
static int carries_statement(const struct context *cx, const struct journal_row *r, const char *number)
{
	struct document doc;
	struct record_files files;
	int found = 0;
	if (issued_record(cx, r, &doc, &files) == 0) {
		for (size_t l = 0; l < doc.nlines && !found; l++)
			found = doc.lines[l].settles && strcmp(doc.lines[l].settles, number) == 0;
		document_release(&doc);
	}
	return found;
}

/* The period whose invoice to member m carries the statement of row si:
 * that of the invoice issued after it that carries it (credited or not),
 * or else the first period not issued yet in which m has an invoice; -1
 * when every such period is issued. */
static long carrier_period(struct context *cx, size_t si, size_t m)
{
	const struct config *cfg = &cx->model.cfg;
	struct journal *j = &cx->journal;
	const struct journal_row *s = &j->rows[si];
	/* the member's invoices of this year, period by period, issued after it */
	for (size_t p = 0; p < cfg->nperiods; p++) {
		size_t n;
		const struct journal_row *const *rows = journal_rows_of(j, cfg->year, cfg->periods[p].name, s->member, &n);
		for (size_t k = 0; k < n; k++)
			if (rows[k] > s && rows[k]->type == DOCUMENT_INVOICE && carries_statement(cx, rows[k], s->number))
				return (long)p;
	}
	for (size_t p = 0; p < cfg->nperiods; p++) {
		const struct invoice *inv = allocation_find(&cx->alloc, p, m);
		if (inv && !inv->own && !journal_has_period(j, cfg->year, cfg->periods[p].name))
			return (long)p;
	}
	return -1;
}

/* Last year's settlement statements of this cooperation (rule
 * next_invoice), read from their records: model->carries, each line on
 * the invoice of its period (allocation_carry). -1 after a message. */
static int issued_carries(struct context *cx)
{
	struct model *model = &cx->model;
	const struct config *cfg = &model->cfg;
	const struct journal *j = &cx->journal;
	int rc = 0;
	size_t cap = 0;
	for (size_t i = 0; i < j->n; i++) {
		const struct journal_row *s = &j->rows[i];
		if (s->type != DOCUMENT_STATEMENT || s->year != cfg->year - 1 ||
		    strcmp(s->cooperation, cfg->name) != 0)
			continue;
		long m = model_find_member(model, s->member);
		long period = m < 0 ? -1 : carrier_period(cx, i, (size_t)m);
		if (m < 0 || period < 0) {	/* said every run, and nothing else stops */
			warning_at(j->path, s->line,
				   "%d's settlement statement %s to '%s' goes on its first invoice of %d, but %s: settle it by hand (a credit note or invoice of its own)",
				   s->year, s->number, s->member, cfg->year,
				   m < 0 ? "members.csv no longer lists it" : "every period with an invoice to it is issued");
			continue;
		}
		char *path = issued_path(cx, s, ISSUED_RECORD);
		struct document doc;
		struct record_files files;
		if (issued_record(cx, s, &doc, &files) < 0) {
			free(path);
			rc = -1;
			continue;
		}
		for (size_t l = 0; l < doc.nlines; l++) {
			const struct document_line *dl = &doc.lines[l];
			long p = dl->pool ? config_find_pool(cfg, dl->pool) : -1;
			if (p < 0 || dl->outcome != 2) {
				error_at(path, 0,
					 "statement %s settles pool '%s', which %s: its line cannot be carried (give the pool back to the configuration, or settle it by hand)",
					 s->number, dl->pool ? dl->pool : "", p < 0 ? "this year's configuration does not have" : "its record does not say the outcome of");
				rc = -1;
				continue;
			}
			const char *what = strchr(dl->text, ':');
			GROW(model->carries, cap, model->ncarries + 1);
			model->carries[model->ncarries++] = (struct carry){
				.member = (size_t)m, .pool = (size_t)p, .period = (size_t)period, .year = s->year,
				.statement = xstrdup(s->number), .what = xstrdup(what ? what + 2 : dl->text),
				.amount = dl->amount, .actual = dl->actual, .billed = dl->billed,
			};
		}
		document_release(&doc);
		free(path);
	}
	if (rc == 0 && allocation_carry(model, &cx->alloc) < 0)
		rc = -1;
	return rc;
}

enum exit_status issued_load(struct context *cx, int repair)
{
	const struct config *cfg = &cx->model.cfg;
	if (journal_path_clashes(cx) > 0)
		return EXIT_INPUT;
	if (output_lock_journal(cfg->journal_path, repair) < 0)
		return EXIT_WRITE;
	if (journal_load(&cx->journal, cfg->journal_path, cfg->number_prefix, cfg->first_number, repair) < 0)
		return EXIT_INPUT;
	if (check_series(cx) > 0)
		return EXIT_INPUT;
	size_t left = cx->journal.exists ? 0 : issued_pdfs_on_disk(cx);
	if (left) {
		error_at(cx->journal.path, 0,
			 "there is no journal here, but %zu issued invoice PDF%s in %s/fakturor: the journal and its records were moved or deleted; restore them from a backup, or point [files] journal at them",
			 left, left == 1 ? " is" : "s are", cx->year_dir);
		return EXIT_INPUT;
	}
	if (cx->journal.exists && orphan_files(cx) < 0)
		return EXIT_INPUT;
	struct series reg;
	char *abs = issued_journal_abs(cx);
	const struct journal *j = &cx->journal;
	int bad = series_load(&reg, cfg->path) < 0 ||
		  series_check(&reg, cfg, abs, j->exists, j->n_series ? j->first_number + (long)j->n_series - 1 : 0,
			       cx->opt->new_journal) < 0;
	series_release(&reg);
	free(abs);
	/* last year's settlement onto this year's invoices (verify reads no
	   inputs and allocates nothing: nothing to carry onto) */
	if (!bad && cx->alloc.nperiods && issued_carries(cx) < 0)
		bad = 1;
	return bad ? EXIT_INPUT : EXIT_DONE;
}

/* The document of inv, with number and ocr (NULL for a draft), rendered:
 * the PDF in *pdf, and for an issued one its record in *record. Such a
 * record (of an invoice an older samfakt issued) has no e-invoice: that
 * invoice went out as a PDF. */
int issued_make_document(const struct context *cx, const struct period_lines *pl,
			 const struct invoice *inv, const char *number, const char *ocr,
			 const char *path, char **pdf, size_t *len, char *sha,
			 struct strbuf *record)
{
	struct invoice_line *lines = period_lines_buffer(pl);
	size_t nlines = period_lines_of(pl, inv->member, lines);
	if (record)	/* samfakt 1.0 did not name the users' count date */
		for (size_t l = 0; l < nlines; l++)
			if (lines[l].basis.method == METHOD_PER_USER)
				lines[l].basis.joined = DATE_NONE;
	struct document doc;
	document_from_invoice(&doc, &cx->model, inv, lines, number, ocr);
	free(lines);
	if (record) {	/* drawn as the older samfakt drew it */
		doc.producer = NULL;
		doc.layout = 1;
	}
	struct rendered out;
	int rc = issued_render(&doc, path, 0, &out);
	if (rc == 0) {
		if (record)
			record_format(&doc, &out.sha, record);
		*pdf = out.pdf;
		*len = out.pdf_len;
		if (sha)
			memcpy(sha, out.sha.pdf, HASH_HEXSZ);
	}
	document_release(&doc);
	return rc;
}

static const char *const file_what[] = {
	[ISSUED_PDF] = "issued invoice",
	[ISSUED_XML] = "e-invoice",
	[ISSUED_SBD] = "envelope",
};

/* The files of issued row r (its record read into doc and files), made
 * again from the record alone: each must be byte for byte the one first
 * issued. */
static int remake_issued(const struct context *cx, const struct journal_row *r,
			 const struct document *doc, const struct record_files *files,
			 struct rendered *out)
{
	char *path = issued_path(cx, r, ISSUED_PDF);
	int rc = issued_render(doc, path, files->xml[0] != '\0', out);
	if (rc == 0 && (strcmp(out->sha.pdf, files->pdf) != 0 || strcmp(out->sha.xml, files->xml) != 0)) {
		char *rpath = issued_path(cx, r, ISSUED_RECORD);
		error_at(path, 0,
			 "%s %s cannot be made again byte for byte from its record %s (journal line %d): the record says something other than what was issued (edited, its journal row's hash made good again?), or this samfakt draws it differently from the one that issued it; restore the record and the journal from the backup",
			 strcmp(out->sha.pdf, files->pdf) != 0 ? "invoice" : "the e-invoice of", r->number, rpath, r->line);
		free(rpath);
		rendered_release(out);
		rc = -1;
	}
	free(path);
	return rc;
}

/* Which issued files a run checks (each a file in a listing of its
 * folder, unless compared): */
enum check_scope {
	CHECK_YEAR,	/* every row of the year, its record read and held against the row */
	CHECK_PERIOD,	/* the rows of one period: also the PDF and e-invoice compared */
	CHECK_MISSING,	/* the rows of the year whose PDF is not there: only their records read */
};

/* The issued files of row r: a missing one counted (per kind), and with
 * restore (no row before it failed) put back from its record. there: the
 * listing of its folder, in which they are looked up; NULL when they are
 * to be read and compared with the record (a period a command is about to
 * write into), a changed one an error. -1 when one was changed or could
 * not be put back. */
static int check_row_files(struct context *cx, const struct journal_row *r, enum check_scope scope,
			   const struct listing *there, int restore, size_t missing[3], size_t restored[3])
{
	const struct journal *j = &cx->journal;
	int rc = 0;
	char *paths[3] = {issued_path(cx, r, ISSUED_PDF), NULL, NULL};
	struct document doc;
	struct record_files files;
	int loaded = 0;
	if (there && scope == CHECK_MISSING && listing_has(there, strrchr(paths[ISSUED_PDF], '/') + 1))
		goto next;	/* its PDF there: the record is not read */
	paths[ISSUED_XML] = issued_path(cx, r, ISSUED_XML);
	paths[ISSUED_SBD] = issued_path(cx, r, ISSUED_SBD);
	if (issued_record(cx, r, &doc, &files) < 0) {
		rc = -1;
		goto next;
	}
	loaded = 1;
	if (!issued_row_agrees(j, r, &doc)) {
		rc = -1;
		goto next;
	}
	int absent[3] = {0, 0, 0};
	for (int f = ISSUED_PDF; f <= ISSUED_SBD; f++) {
		const char *want = f == ISSUED_PDF ? files.pdf : files.xml;
		char have[HASH_HEXSZ];
		if (!want[0])
			continue;
		if (there) {
			absent[f] = !listing_has(there, strrchr(paths[f], '/') + 1);
		} else if (f == ISSUED_SBD) {
			absent[f] = access(paths[f], F_OK) != 0;
		} else if (hash_file(paths[f], have) < 0) {
			absent[f] = 1;
		} else if (strcmp(have, want) != 0) {
			char *rpath = issued_path(cx, r, ISSUED_RECORD);
			error_at(paths[f], 0,
				 "%s %s was changed after it was issued (it no longer matches its record %s): delete it and run 'samfakt build' to put the issued one back",
				 file_what[f], r->number, rpath);
			free(rpath);
			rc = -1;
		}
		missing[f] += absent[f];
	}
	struct rendered out;
	if (restore && rc == 0 && (absent[0] || absent[1] || absent[2])) {
		char *dir = output_folder(paths[0]);
		if (output_mkdirs(dir) < 0 || remake_issued(cx, r, &doc, &files, &out) < 0) {
			rc = -1;
		} else {
			for (int f = ISSUED_PDF; f <= ISSUED_SBD && rc == 0; f++) {
				if (!absent[f])
					continue;
				const char *buf = f == ISSUED_PDF ? out.pdf : f == ISSUED_XML ? out.xml : out.sbd;
				size_t len = f == ISSUED_PDF ? out.pdf_len : f == ISSUED_XML ? out.xml_len : out.sbd_len;
				if (output_write(paths[f], buf, len, NULL) < 0)
					rc = -1;
				else
					restored[f]++;
			}
			rendered_release(&out);
		}
		free(dir);
	}
next:
	if (loaded)
		document_release(&doc);
	free(paths[0]);
	free(paths[1]);
	free(paths[2]);
	return rc;
}

/* The issued files of the rows in scope (check_row_files). The files of a
 * period a command is about to write into are read and compared with
 * their records; the others are looked up in their folder's listing, one
 * folder at a time: a run's cost does not grow with the files issued
 * before it (samfakt verify compares them all), nor does its memory with
 * the periods issued. Returns -1 when any was changed or could not be put
 * back. */
static int check_issued_files(struct context *cx, enum check_scope scope, const char *period, int restore,
			      size_t missing[3], size_t restored[3])
{
	const struct journal *j = &cx->journal;
	int rc = 0;
	if (scope == CHECK_PERIOD) {
		for (size_t i = 0; i < j->n; i++) {
			const struct journal_row *r = &j->rows[i];
			if (issued_is_ours(cx, r) && r->recorded && strcmp(r->period, period) == 0 &&
			    check_row_files(cx, r, scope, NULL, restore && rc == 0, missing, restored) < 0)
				rc = -1;
		}
		return rc;
	}
	/* the periods, in the order their rows first come; then each period's
	   rows against the listing of its folder, read once */
	const char **periods = NULL;
	size_t np = 0, cap = 0;
	for (size_t i = 0; i < j->n; i++) {
		const struct journal_row *r = &j->rows[i];
		if (!issued_is_ours(cx, r) || !r->recorded)
			continue;
		size_t k = 0;
		while (k < np && strcmp(periods[k], r->period) != 0)
			k++;
		if (k == np) {
			GROW(periods, cap, np + 1);
			periods[np++] = r->period;
		}
	}
	for (size_t k = 0; k < np; k++) {
		char *dir = xasprintf("%s/fakturor/%s", cx->year_dir, periods[k]);
		struct listing there;
		listing_read(&there, dir);
		free(dir);
		for (size_t i = 0; i < j->n; i++) {
			const struct journal_row *r = &j->rows[i];
			if (issued_is_ours(cx, r) && r->recorded && strcmp(r->period, periods[k]) == 0 &&
			    check_row_files(cx, r, scope, &there, restore && rc == 0, missing, restored) < 0)
				rc = -1;
		}
		listing_release(&there);
	}
	free(periods);
	return rc;
}

/* "3 issued invoice PDFs, 1 e-invoice and 2 envelopes" */
static void count_files(struct strbuf *sb, const size_t n[3])
{
	static const char *const what[3] = {"issued invoice PDF", "e-invoice", "envelope"};
	size_t kinds = (n[0] != 0) + (n[1] != 0) + (n[2] != 0), k = 0;
	for (int f = 0; f < 3; f++) {
		if (!n[f])
			continue;
		k++;
		sb_addf(sb, "%s%zu %s%s", k == 1 ? "" : k == kinds ? " and " : ", ", n[f], what[f], n[f] == 1 ? "" : "s");
	}
}

/* Check the issued files in scope, and (restore) put back the missing
 * ones, only when none was changed: a failed run writes nothing. */
static enum exit_status check_files(struct context *cx, enum check_scope scope, const char *period, int restore)
{
	size_t missing[3] = {0, 0, 0}, restored[3] = {0, 0, 0};
	if (check_issued_files(cx, scope, period, 0, missing, restored) < 0)
		return EXIT_INPUT;
	size_t nmissing = missing[0] + missing[1] + missing[2];
	if (nmissing && !restore) {
		struct strbuf sb = {0};
		count_files(&sb, missing);
		warning_at(cx->journal.path, 0, "%s %s missing: 'samfakt build' puts %s back from the records",
			   sb.buf, nmissing == 1 ? "is" : "are", nmissing == 1 ? "it" : "them");
		sb_release(&sb);
		return EXIT_DONE;
	}
	missing[0] = missing[1] = missing[2] = 0;
	if (nmissing && check_issued_files(cx, scope, period, 1, missing, restored) < 0)
		return EXIT_WRITE;
	size_t nrestored = restored[0] + restored[1] + restored[2];
	if (nrestored) {
		struct strbuf sb = {0};
		count_files(&sb, restored);
		note("put back from the records: %s that %s missing", sb.buf, nrestored == 1 ? "was" : "were");
		sb_release(&sb);
	}
	return EXIT_DONE;
}

enum exit_status issued_check_files(struct context *cx, int restore)
{
	return check_files(cx, CHECK_YEAR, NULL, restore);
}

enum exit_status issued_check_missing(struct context *cx)
{
	return check_files(cx, CHECK_MISSING, NULL, 1);
}

enum exit_status issued_check_period(struct context *cx, const char *period)
{
	return check_files(cx, CHECK_PERIOD, period, 1);
}

/* Put the journal in place: the commit point of issuing. */
int issued_write_journal(struct journal *j)
{
	char *dir = output_folder(j->target);
	int rc = output_mkdirs(dir);
	free(dir);
	if (rc < 0)
		return -1;
	struct output_stream *js = output_stream_open(j->target);
	/* the rows read stay the bytes they were: only the new ones are
	   written (and the whole file still staged, synced and renamed) */
	size_t from = j->kept && output_stream_keep(js, &j->kept_id, j->kept_bytes) == 0 ? j->kept : 0;
	char last[HASH_HEXSZ];
	rc = journal_write(j, from, output_stream_writer, js, last);
	if (rc == 0)
		rc = output_stream_close(js, NULL);
	else
		output_stream_abort(js);
	struct file_id id;
	if (rc == 0 && file_id_of(j->target, &id) == 0)
		journal_keep(j, &id, last);	/* what is kept now */
	else
		j->kept = 0;
	return rc;
}

/* Rows without a record (a journal from an older samfakt): make their
 * records while today's inputs still give exactly what was issued, and
 * write the journal chained. */
/* Can the records of rows without one be made from today's inputs (they
 * give exactly what was issued)? Returns -1 after saying which period not. */
int issued_unrecorded_can_be_made(struct context *cx)
{
	const struct journal *j = &cx->journal;
	const struct config *cfg = &cx->model.cfg;
	for (size_t p = 0; p < cfg->nperiods; p++) {
		int unrecorded = 0;
		for (size_t i = 0; i < j->n && !unrecorded; i++)
			unrecorded = issued_is_ours(cx, &j->rows[i]) && !j->rows[i].recorded &&
				     strcmp(j->rows[i].period, cfg->periods[p].name) == 0;
		if (unrecorded && issued_compare(cx, p, DIAG_ERROR) > 0) {
			error_at(j->path, 0,
				 "the journal is from an older samfakt and holds no record of what period '%s' issued; today's inputs no longer give those invoices, so their records cannot be made: put the inputs back as they were when it was issued, and run upgrade-journal",
				 cfg->periods[p].name);
			return -1;
		}
	}
	return 0;
}

enum exit_status issued_record_unrecorded(struct context *cx)
{
	struct journal *j = &cx->journal;
	const struct config *cfg = &cx->model.cfg;
	size_t made = 0;
	if (issued_unrecorded_can_be_made(cx) < 0)
		return EXIT_INPUT;
	for (size_t i = 0; i < j->n; i++) {
		struct journal_row *r = &j->rows[i];
		if (!issued_is_ours(cx, r) || r->recorded)
			continue;
		if (output_mkdirs(j->records) < 0)
			return EXIT_WRITE;
		size_t period = (size_t)config_find_period(cfg, r->period);
		const struct invoice *inv = allocation_find(&cx->alloc, period,
							    (size_t)model_find_member(&cx->model, r->member));
		/* what an older samfakt's row did not say, now that it is known */
		journal_changed(j, i);
		r->cooperation = arena_strdup(&j->texts, cfg->name);
		r->period_date = cfg->periods[period].invoice_date;
		struct period_lines pl;
		allocation_lines(&cx->model, &cx->alloc, period, &pl);
		char *pdf, *path = issued_path(cx, r, ISSUED_RECORD);
		size_t len;
		struct strbuf rec = {0};
		int rc = issued_make_document(cx, &pl, inv, r->number, r->ocr, path, &pdf, &len, NULL, &rec);
		if (rc == 0) {
			free(pdf);
			rc = output_write(path, rec.buf, rec.len, NULL);
			char sha[HASH_HEXSZ];
			journal_set_record(r, hash_bytes(rec.buf, rec.len, sha));
		}
		sb_release(&rec);
		period_lines_release(&pl);
		free(path);
		if (rc < 0)
			return EXIT_WRITE;
		made++;
	}
	if (!made && !j->legacy)
		return EXIT_DONE;
	if (issued_write_journal(j) < 0)
		return EXIT_WRITE;
	j->legacy = 0;
	note("the journal was made by an older samfakt: %zu issued invoice%s recorded, and its rows chained",
	     made, made == 1 ? "" : "s");
	return EXIT_DONE;
}

/* How many of this year's issued invoices have no record yet. */
size_t issued_unrecorded(const struct context *cx)
{
	size_t n = 0;
	for (size_t i = 0; i < cx->journal.n; i++)
		n += issued_is_ours(cx, &cx->journal.rows[i]) && !cx->journal.rows[i].recorded;
	return n;
}

/* What the journal says was issued this year, per period and member, for
 * the reports. */
void issued_view(struct context *cx, struct issued *is)
{
	const struct model *model = &cx->model;
	size_t np = model->cfg.nperiods, nm = model->nmembers;
	is->nperiods = np;
	is->nmembers = nm;
	is->period_issued = xcalloc(np + 1, 1);
	is->total = xmalloc((np * nm + 1) * sizeof *is->total);
	is->net = xmalloc((np * nm + 1) * sizeof *is->net);
	is->number = xcalloc(np * nm + 1, sizeof *is->number);
	is->invoiced = xcalloc(np * nm + 1, sizeof *is->invoiced);
	is->credited = xcalloc(np * nm + 1, sizeof *is->credited);
	for (size_t i = 0; i < np * nm; i++)
		is->total[i] = is->net[i] = ISSUED_NONE;
	for (size_t i = 0; i < cx->journal.n; i++) {
		const struct journal_row *r = &cx->journal.rows[i];
		if (!issued_is_ours(cx, r))
			continue;
		long p = config_find_period(&model->cfg, r->period);
		long m = model_find_member(model, r->member);
		if (p < 0)
			continue;
		is->period_issued[p] = 1;
		if (m >= 0)
			(r->total >= 0 ? is->invoiced : is->credited)[(size_t)p * nm + (size_t)m] += r->total;
		if (m >= 0 && journal_row_standing(r)) {
			is->total[(size_t)p * nm + (size_t)m] = r->total;
			is->net[(size_t)p * nm + (size_t)m] = r->net;
			is->number[(size_t)p * nm + (size_t)m] = r->number;
		} else if (m >= 0 && document_amends(r->type) && is->total[(size_t)p * nm + (size_t)m] != ISSUED_NONE) {
			is->total[(size_t)p * nm + (size_t)m] += r->total;	/* the invoice as amended */
			is->net[(size_t)p * nm + (size_t)m] += r->net;
		}
	}
}
void issued_settlement(struct context *cx, const struct outcome *o, struct settlement *s)
{
	const struct model *model = &cx->model;
	money_t *invoiced = xcalloc(model->nmembers + 1, sizeof *invoiced);
	unsigned char *billed = xcalloc(model->nmembers + 1, 1);
	money_t *fees = xcalloc(model->cfg.nperiods + 1, sizeof *fees);
	for (size_t i = 0; i < cx->journal.n; i++) {
		const struct journal_row *r = &cx->journal.rows[i];
		if (!issued_is_ours(cx, r))
			continue;
		long m = model_find_member(model, r->member);
		long p = config_find_period(&model->cfg, r->period);
		if (m < 0) {
			warning_at(cx->journal.path, r->line,
				   "%s was issued to '%s', who is no longer in %s: it is left out of the settlement",
				   r->number, r->member, model->members_file);
			continue;
		}
		invoiced[m] += r->net;
		billed[m] = 1;
		if (p >= 0)
			fees[p] += r->net;
	}
	settlement_make(model, o, invoiced, billed, fees, s);
	free(invoiced);
	free(billed);
	free(fees);
}

int issued_pool_totals(struct context *cx, money_t *by)
{
	const struct model *model = &cx->model;
	const size_t np = model->cfg.npools;
	int rc = 0;
	for (size_t i = 0; i < cx->journal.n; i++) {
		const struct journal_row *r = &cx->journal.rows[i];
		long m = issued_is_ours(cx, r) ? model_find_member(model, r->member) : -1;
		if (m < 0)
			continue;
		char *path = issued_path(cx, r, ISSUED_RECORD);
		struct document doc;
		struct record_files files;
		if (issued_record(cx, r, &doc, &files) < 0) {
			free(path);
			rc = -1;
			continue;
		}
		for (size_t l = 0; l < doc.nlines; l++) {
			if (doc.lines[l].settles)
				continue;	/* last year's money, carried */
			long p = doc.lines[l].pool ? config_find_pool(&model->cfg, doc.lines[l].pool) : -1;
			if (p < 0) {
				error_at(path, 0, "%s %s has a line of no pool of today's configuration ('%s'): it cannot be settled by pool",
					 document_kind_name(doc.kind), doc.number, doc.lines[l].pool ? doc.lines[l].pool : "");
				rc = -1;
				break;
			}
			by[(size_t)m * np + (size_t)p] += doc.lines[l].amount;
		}
		document_release(&doc);
		free(path);
	}
	return rc;
}
