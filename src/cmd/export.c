/* export.c - samfakt export sie [YEAR]: the vouchers of a fiscal year not
 * exported before, as an SIE 4 file, and the export log. */
#include "cmd/cmd.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/util.h"
#include "cmd/issued.h"
#include "cmd/run.h"
#include "keep/document.h"
#include "keep/journal.h"
#include "keep/output.h"
#include "keep/record.h"
#include "keep/sielog.h"
#include "render/sie.h"

/* Is r a document of this cooperation (any year's series) with a record,
 * that moves money? (A settlement statement does not: the invoice that
 * carries it books it.) */
static int exportable(const struct context *cx, const struct journal_row *r)
{
	if (!r->recorded || r->type == DOCUMENT_STATEMENT)
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

/* One export: every document of the cooperation (from its record), the
 * vouchers they make, the export log, and what goes into this file. */
struct export {
	struct context *cx;
	int year;
	struct document *docs;
	char **paths;		/* each document's record, for messages */
	size_t n;
	struct sie_voucher *v;	/* the vouchers; this file's first (keep of them) */
	size_t nv, keep, fresh;	/* fresh: numbered now */
	long last;		/* the series' last number in the year, after this file's */
	struct sie_log log;
	char *name;		/* this file's name in OUTPUT/YEAR */
};

/* The records of every document of this cooperation: 0 or -1. */
static int load_documents(struct export *e)
{
	const struct journal *j = &e->cx->journal;
	e->docs = xcalloc(j->n + 1, sizeof *e->docs);
	e->paths = xcalloc(j->n + 1, sizeof *e->paths);
	int rc = 0;
	for (size_t i = 0; i < j->n && rc == 0; i++) {
		const struct journal_row *r = &j->rows[i];
		if (!exportable(e->cx, r))
			continue;
		struct record_files files;
		e->paths[e->n] = issued_path(e->cx, r, ISSUED_RECORD);
		if (issued_record(e->cx, r, &e->docs[e->n], &files) < 0)
			rc = -1;
		e->n++;
	}
	return rc;
}

/* Every voucher the log holds is still what it was: 0, or -1 naming each. */
static int log_agrees(struct export *e)
{
	int rc = 0;
	for (size_t i = 0; i < e->log.n; i++) {
		const struct sie_logged *l = &e->log.rows[i];
		size_t k = 0;
		while (k < e->nv && !(e->v[k].part == l->part && strcmp(e->docs[e->v[k].doc].number, l->number) == 0))
			k++;
		if (k == e->nv || e->v[k].date != l->date) {
			error_at(e->log.path, l->line, "voucher %s %ld of %d (%s, %s) was exported, but the journal %s",
				 l->series, l->voucher, l->year, l->number, sie_part_name(l->part),
				 k == e->nv ? "no longer holds that document" : "dates it otherwise now");
			rc = -1;
		}
	}
	return rc;
}

/* The year's vouchers for this file, first in e->v: with --all every one,
 * with the number it was exported with, else only the new; the new ones
 * numbered on and added to the log. Sorted by number. 0 or -1. */
static int number_vouchers(struct export *e)
{
	const struct config *cfg = &e->cx->model.cfg;
	e->last = sie_log_last(&e->log, e->year, cfg->ledger.series);
	for (size_t i = 0; i < e->nv; i++) {
		struct sie_voucher *v = &e->v[i];
		int y, m, d;
		date_to_ymd(v->date, &y, &m, &d);
		if (y != e->year)
			continue;
		const struct sie_logged *l = sie_log_find(&e->log, e->docs[v->doc].number, v->part);
		if (l && strcmp(l->series, cfg->ledger.series) != 0) {
			error_at(e->log.path, l->line,
				 "%s was exported in voucher series %s, but [ledger] series is now %s: put the series back (its vouchers keep their numbers)",
				 l->number, l->series, cfg->ledger.series);
			return -1;
		}
		if (l && !e->cx->opt->all)
			continue;
		v->number = l ? l->voucher : ++e->last;
		if (!l) {
			struct sie_logged row = {.year = e->year, .series = cfg->ledger.series, .voucher = v->number,
						 .date = v->date, .number = e->docs[v->doc].number,
						 .part = v->part, .file = e->name};
			sie_log_add(&e->log, &row);
			e->fresh++;
		}
		e->v[e->keep++] = *v;
	}
	/* the ones exported before, then the new */
	for (size_t a = 1; a < e->keep; a++)
		for (size_t b = a; b > 0 && e->v[b - 1].number > e->v[b].number; b--) {
			struct sie_voucher t = e->v[b];
			e->v[b] = e->v[b - 1];
			e->v[b - 1] = t;
		}
	return 0;
}

/* The file, then the log: killed between them, the next run writes the
 * same file with the same numbers. */
static enum exit_status write_export(struct export *e)
{
	const struct config *cfg = &e->cx->model.cfg;
	struct strbuf sie = {0};
	char *dir = xasprintf("%s/%d", cfg->output_dir, e->year);
	char *path = xasprintf("%s/%s", dir, e->name);
	enum exit_status st = EXIT_DONE;
	if (sie_render(cfg, e->year, e->docs, e->v, e->keep, &sie) < 0)
		st = EXIT_INPUT;
	else if (output_mkdirs(dir) < 0 || output_write(path, sie.buf, sie.len, NULL) < 0 ||
		 (e->fresh && sie_log_write(&e->log) < 0))
		st = EXIT_WRITE;
	else
		summary(1, "export: %s: %zu voucher%s of %d (%zu new, numbered %s %ld–%ld)%s", path, e->keep,
		     e->keep == 1 ? "" : "s", e->year, e->fresh, cfg->ledger.series,
		     e->fresh ? e->last - (long)e->fresh + 1 : 0, e->fresh ? e->last : 0,
		     e->cx->opt->all ? "; the whole year, for a ledger that holds none of it" : "");
	free(dir);
	free(path);
	sb_release(&sie);
	return st;
}

static void export_release(struct export *e)
{
	free(e->name);
	free(e->v);
	sie_log_release(&e->log);
	for (size_t i = 0; i < e->n; i++) {
		document_release(&e->docs[i]);
		free(e->paths[i]);
	}
	free(e->docs);
	free(e->paths);
}

/* The vouchers dated in a fiscal year, from the records of every document
 * of this cooperation, as an SIE 4 file: OUTPUT/YEAR/bokforing-YEAR-NNN.si
 * with the vouchers not exported before (numbered on, and recorded in the
 * export log), or with --all OUTPUT/YEAR/bokforing-YEAR.si with all of
 * them, each with the number it was first exported with. */
static enum exit_status run_export_sie(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	if (!cfg->ledger.present) {
		error_at(cfg->path, 0,
			 "export sie needs a [ledger] section: the receivable and VAT accounts, and an account for each pool (see the README)");
		return EXIT_INPUT;
	}
	enum exit_status st = open_issued(cx, 1);
	if (st != EXIT_DONE)
		return st;
	struct export e = {.cx = cx, .year = cx->opt->year ? cx->opt->year : cfg->year};
	if (load_documents(&e) < 0 || sie_log_load(&e.log, cx->journal.path) < 0 ||
	    (!e.log.exists && orphan_exports(cx, e.year, e.log.path))) {
		export_release(&e);
		return EXIT_INPUT;
	}
	e.nv = sie_vouchers(e.docs, e.n, &e.v);
	e.name = cx->opt->all ? xasprintf("bokforing-%d.si", e.year)
			      : xasprintf("bokforing-%d-%03d.si", e.year, next_export_file(&e.log, e.year));
	if (log_agrees(&e) < 0 || number_vouchers(&e) < 0 ||
	    (e.keep && sie_check(cfg, e.docs, (const char *const *)e.paths, e.n) < 0)) {
		st = EXIT_INPUT;
	} else if (e.keep) {
		st = write_export(&e);
	} else {
		size_t before = 0;
		for (size_t i = 0; i < e.log.n; i++)
			before += e.log.rows[i].year == e.year;
		if (before)
			summary(0, "export: nothing new to book in %d: its %zu voucher%s %s exported before (the log: %s); 'export sie %d --all' writes them all again",
			     e.year, before, before == 1 ? "" : "s", before == 1 ? "was" : "were", e.log.path, e.year);
		else
			summary(0, "export: nothing issued is dated in %d", e.year);
	}
	export_release(&e);
	return st;
}

enum exit_status cmd_export(int argc, char **argv, const struct global_options *g)
{
	struct run_options opt = {.config = g->config, .today = g->today};
	if (argc < 2 || strcmp(argv[1], "sie") != 0)
		return usage_error("export needs a format: 'export sie [YEAR] [--all]'");
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--all") == 0) {
			opt.all = 1;
		} else if (a[0] == '-') {
			return misplaced_option("export sie", a);
		} else if (opt.year) {
			return usage_error("unexpected argument: '%s'", a);
		} else if (strlen(a) != 4 || strspn(a, "0123456789") != 4 || atoi(a) < 1900) {
			return usage_error("export sie takes a fiscal year, such as 'export sie 2016', not '%s': each voucher is booked in the year of its date, and each export writes what was not exported before",
					   a);
		} else {
			opt.year = atoi(a);
		}
	}
	return run_command(&opt, run_export_sie);
}
