/* correct.c - samfakt credit NUMBER and samfakt correct PERIOD: a credit
 * note for one invoice, or an issued period made to match today's inputs. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/ident.h"
#include "base/util.h"
#include "cmd/issued.h"
#include "cmd/run.h"
#include "cmd/send.h"
#include "keep/document.h"
#include "keep/journal.h"
#include "keep/output.h"
#include "model/allocate.h"
#include "model/config.h"
#include "model/csvfile.h"
#include "model/model.h"

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

/* The configuration of year beside cfg's (the same cooperation, "year =
 * YEAR" in it), as a path to give -c, or NULL. */
static char *config_of_year(const struct config *cfg, int year)
{
	size_t n;
	char **inis = ini_files(cfg->dir, &n);
	char *found = NULL, want[32];
	snprintf(want, sizeof want, "%d", year);
	for (size_t i = 0; i < n && !found; i++) {
		size_t len;
		char *text = read_file(inis[i], 1 << 20, &len, NULL);
		int year_ok = 0, name_ok = 0;
		for (char *line = text; line && *line;) {
			char *end = strchr(line, '\n');
			char key[16] = "", value[256] = "";
			if (sscanf(line, " %15[a-z_] = %255[^;\n]", key, value) == 2) {
				for (size_t k = strlen(value); k && value[k - 1] == ' '; k--)
					value[k - 1] = '\0';
				year_ok |= strcmp(key, "year") == 0 && strcmp(value, want) == 0;
				name_ok |= strcmp(key, "name") == 0 && strcmp(value, cfg->name) == 0;
			}
			line = end ? end + 1 : line + strlen(line);
		}
		free(text);
		if (year_ok && name_ok)
			found = xstrdup(inis[i]);
	}
	files_release(inis, n);
	return found;
}

/* Was invoice r amended by a difference (correct --difference)? Then a
 * credit note of it alone, or its replacement, would leave the amending
 * documents standing: say so at level. */
static int amended_by(struct context *cx, const struct journal_row *r, enum diag_level level)
{
	money_t net, vat, total;
	size_t amended;
	if (!r || r->type != DOCUMENT_INVOICE)
		return 0;
	journal_billed(&cx->journal, r->year, r->period, r->member, &net, &vat, &total, &amended);
	if (!amended)
		return 0;
	char a[MONEY_BUFSZ];
	diag(level, cx->journal.path, r->line,
	     "invoice %s to '%s' was amended by %zu document%s of a difference (it comes to %s as amended): correct period '%s' with --difference again, which amends it further",
	     r->number, r->member, amended, amended == 1 ? "" : "s", money_format(total, a), r->period);
	return 1;
}

/* correct --difference: for each member whose invoice the inputs
 * change, one document for the change, amending its invoice (a member
 * without a standing invoice: a new invoice). */
static enum exit_status correct_by_difference(struct context *cx, size_t period, struct correction *c, size_t nc,
					      size_t counts[3])
{
	struct journal *j = &cx->journal;
	struct period_lines pl;
	allocation_lines(&cx->model, &cx->alloc, period, &pl);
	struct invoice_line *lines = period_lines_buffer(&pl);
	enum exit_status staged = EXIT_DONE;
	for (size_t ci = 0; ci < nc && staged == EXIT_DONE; ci++) {
		const struct journal_row *r = c[ci].row == NO_ROW ? NULL : &j->rows[c[ci].row];
		char *number = journal_number(j, 0);
		char ocr[OCR_BUFSZ];
		if (ocr_make(number, ocr) < 0)
			BUG("invoice number without digits: %s", number);
		if (c[ci].member >= 0)
			period_lines_of(&pl, (size_t)c[ci].member, lines);
		struct document doc;
		int rc = 0;
		if (r)
			rc = make_difference(cx, r, c[ci].inv, lines, number, ocr, &doc);
		else
			replacing_invoice(cx, &doc, c[ci].inv, lines, number, ocr, NULL, DATE_NONE);
		if (rc < 0) {
			staged = EXIT_INPUT;
		} else if (rc == 0) {
			counts[doc.kind == DOCUMENT_SUPPLEMENT ? 0 : doc.kind == DOCUMENT_PARTIAL_CREDIT ? 1 : 2]++;
			staged = stage_row(cx, add_row(cx, &doc), &doc);
		}
		if (rc >= 0)
			document_release(&doc);
		free(number);
	}
	free(lines);
	period_lines_release(&pl);
	return staged;
}

static enum exit_status run_credit(struct context *cx)
{
	struct journal *j = &cx->journal;
	enum exit_status st = open_issued(cx, 0);
	if (st != EXIT_DONE)
		return st;
	const struct journal_row *r = journal_find_number(j, cx->opt->number);
	const struct config *cfg = &cx->model.cfg;
	if (r && (r->other_series || r->year != cfg->year) && strcmp(r->cooperation, cfg->name) == 0) {
		char *other = config_of_year(cfg, r->year);
		error_at(j->path, r->line, "%s is %d's (its series is another than %d's): credit it with %d's configuration%s%s",
			 r->number, r->year, cfg->year, r->year, other ? ", -c " : "", other ? other : "");
		free(other);
		return EXIT_INPUT;
	}
	if (!r || r->other_series || r->year != cfg->year) {
		const char *first = NULL, *last = NULL;
		for (size_t i = 0; i < j->n; i++)
			if (!j->rows[i].other_series && j->rows[i].year == cfg->year) {
				first = first ? first : j->rows[i].number;
				last = j->rows[i].number;
			}
		if (r)
			error_at(j->path, r->line, "%s is another cooperation's (%s), not %s's", r->number,
				 r->cooperation, cfg->name);
		else if (first)
			error_at(j->path, 0, "no invoice %s in the journal: %s %d's numbers run from %s to %s",
				 cx->opt->number, cfg->name, cfg->year, first, last);
		else
			error_at(j->path, 0, "no invoice %s in the journal: %s has issued nothing in %d", cx->opt->number,
				 cfg->name, cfg->year);
		return EXIT_INPUT;
	}
	if (r->type != DOCUMENT_INVOICE) {
		error_at(j->path, r->line, "%s is %s%s: only an invoice can be credited", r->number, document_what(r->type),
			 r->type == DOCUMENT_SUPPLEMENT ? " (correct --difference amends it further)" : "");
		return EXIT_INPUT;
	}
	if (r->credited) {
		const struct journal_row *by = NULL;
		for (size_t i = 0; i < j->n && !by; i++)
			if (j->rows[i].type == DOCUMENT_CREDIT_NOTE && strcmp(j->rows[i].refers_to, r->number) == 0)
				by = &j->rows[i];
		error_at(j->path, r->line, "invoice %s is already credited, by credit note %s of %s: an invoice is credited once",
			 r->number, by ? by->number : "?", by ? date_format(by->invoice_date, (char[DATE_BUFSZ]){0}) : "?");
		return EXIT_INPUT;
	}
	if (amended_by(cx, r, DIAG_ERROR))
		return EXIT_INPUT;
	st = issued_check_period(cx, r->period);	/* what it writes beside: as issued */
	if (st != EXIT_DONE)
		return st;
	struct document note;
	if (make_credit(cx, r, 0, &note) < 0)
		return EXIT_INPUT;
	size_t first = add_row(cx, &note);	/* r is not to be used from here: rows may move */
	st = commit_documents(cx, first, stage_row(cx, first, &note));
	if (st == EXIT_DONE) {
		char amount[MONEY_BUFSZ];
		summary(1, "credit: credit note %s credits invoice %s (%s, %s), journal %s", note.number,
		     note.refers_to, note.buyer.id, money_format(note.total, amount), j->path);
		credit_still_billed(cx, &note);
		summary_made(cx, first, "credit");
		st = send_pending(cx, 0);
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
	enum exit_status st = open_issued(cx, 0);
	if (st == EXIT_DONE)	/* what it writes beside and from: as issued */
		st = issued_check_period(cx, p->name);
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
	for (size_t ci = 0; ci < nc; ci++) {
		const struct journal_row *r = c[ci].row == NO_ROW ? NULL : &j->rows[c[ci].row];
		stuck += (size_t)uncorrectable(j, r, DIAG_ERROR);
		if (!cx->opt->difference)
			stuck += (size_t)amended_by(cx, r, DIAG_ERROR);
	}
	if (stuck) {
		free(c);
		return EXIT_INPUT;
	}
	if (cx->opt->difference) {
		size_t counts[3] = {0, 0, 0};
		enum exit_status made = correct_by_difference(cx, (size_t)period, c, nc, counts);
		free(c);
		if (made == EXIT_DONE && j->n == first) {
			summary(0, "correct: period '%s' matches the inputs; nothing to correct", p->name);
			return EXIT_DONE;
		}
		st = commit_documents(cx, first, made);
		if (st == EXIT_DONE) {
			summary(1, "correct: period '%s' by difference: %zu supplementary invoice%s, %zu credit note%s, %zu new invoice%s, %s to %s, journal %s",
			     p->name, counts[0], counts[0] == 1 ? "" : "s", counts[1], counts[1] == 1 ? "" : "s", counts[2],
			     counts[2] == 1 ? "" : "s", j->rows[first].number, j->rows[j->n - 1].number, j->path);
			summary_made(cx, first, "correct");
			st = send_pending(cx, 0);
		}
		return st;
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
		summary(0, "correct: period '%s' matches the inputs; nothing to correct", p->name);
		return EXIT_DONE;
	}
	st = commit_documents(cx, first, staged);
	if (st == EXIT_DONE) {
		summary(1, "correct: period '%s': %zu credit note%s, %zu new invoice%s, %s to %s, journal %s", p->name,
		     credits, credits == 1 ? "" : "s", invoices, invoices == 1 ? "" : "s",
		     j->rows[first].number, j->rows[j->n - 1].number, j->path);
		summary_made(cx, first, "correct");
		st = send_pending(cx, 0);
	}
	return st;
}

/* credit NUMBER and correct PERIOD: one argument and --reason TEXT. */
static enum exit_status parse(int argc, char **argv, const struct global_options *g, struct run_options *opt,
			      const char **what, const char *example)
{
	*opt = (struct run_options){.config = g->config, .today = g->today};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--difference") == 0 && strcmp(argv[0], "correct") == 0) {
			opt->difference = 1;
		} else if (strcmp(argv[i], "--reason") == 0) {
			if (++i == argc || !*argv[i])
				return usage_error("--reason needs a text");
			opt->reason = argv[i];
		} else if (argv[i][0] == '-') {
			return misplaced_option(argv[0], argv[i]);
		} else if (*what) {
			return usage_error("unexpected argument: '%s'", argv[i]);
		} else {
			*what = argv[i];
		}
	}
	if (!*what)
		return usage_error("%s needs %s", argv[0], example);
	if (opt->reason && strlen(opt->reason) > 300)
		return usage_error("--reason is longer than 300 characters");
	size_t at;
	long ctl = opt->reason ? text_control_char(opt->reason, &at) : -1;
	if (ctl >= 0)
		return usage_error("--reason holds control character U+%04lX at character %zu: it would be printed on the documents; remove it",
				   (unsigned long)ctl, at);
	return EXIT_DONE;
}

enum exit_status cmd_credit(int argc, char **argv, const struct global_options *g)
{
	struct run_options opt;
	enum exit_status st = parse(argc, argv, g, &opt, &opt.number, "an invoice number, such as 'credit 2016-0003'");
	return st != EXIT_DONE ? st : run_command(&opt, run_credit);
}

enum exit_status cmd_correct(int argc, char **argv, const struct global_options *g)
{
	struct run_options opt;
	enum exit_status st = parse(argc, argv, g, &opt, &opt.period, "a period, such as 'correct H1'");
	return st != EXIT_DONE ? st : run_command(&opt, run_correct);
}
