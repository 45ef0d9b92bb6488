/* export.c - samfakt export sie [YEAR]: the vouchers of a fiscal year not
 * exported before, as an SIE 4 file, and the export log. */
#include "cmd/cmd.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/util.h"
#include "cmd/run.h"
#include "cmd/issued.h"
#include "keep/journal.h"
#include "keep/output.h"
#include "keep/document.h"
#include "keep/record.h"
#include "keep/sielog.h"
#include "render/sie.h"

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
