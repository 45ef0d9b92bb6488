/* verify.c - samfakt verify: everything issued against its record. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/hash.h"
#include "base/util.h"
#include "cmd/issued.h"
#include "cmd/run.h"
#include "keep/journal.h"
#include "keep/output.h"
#include "keep/record.h"
#include "keep/sielog.h"
#include "render/sbd.h"
#include "model/config.h"

#define ENVELOPE_MAX (64u << 20)

/* Is the envelope of row r's e-invoice what the e-invoice (as it is on
 * disk) and its record doc give? Says why not. */
static int envelope_agrees(const struct context *cx, const struct journal_row *r, const struct document *doc)
{
	char *xpath = issued_path(cx, r, ISSUED_XML), *spath = issued_path(cx, r, ISSUED_SBD);
	size_t xlen = 0, slen = 0, wlen = 0;
	char *xml = NULL, *sbd = NULL, *want = NULL;
	int ok = 0;
	if (access(spath, F_OK) != 0)
		error_at(spath, 0, "the envelope of %s is missing ('samfakt build' puts it back from its e-invoice)",
			 r->number);
	else if ((xml = read_file(xpath, ENVELOPE_MAX, &xlen, "e-invoice")) &&
		 (sbd = read_file(spath, ENVELOPE_MAX, &slen, "envelope")) &&
		 sbd_render(doc, xml, xlen, spath, &want, &wlen) == 0) {
		ok = wlen == slen && memcmp(want, sbd, slen) == 0;
		if (!ok)
			error_at(spath, 0,
				 "the envelope of %s is not what its e-invoice gives (changed after it was made?): delete it and run 'samfakt build' to make it again",
				 r->number);
	}
	free(want);
	free(sbd);
	free(xml);
	free(spath);
	free(xpath);
	return ok;
}

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
	size_t records = 0, files[3] = {0, 0, 0}, unrecorded = 0;
	for (size_t i = 0; i < j->n; i++) {
		const struct journal_row *r = &j->rows[i];
		if (!r->recorded) {
			unrecorded++;
			continue;
		}
		char *rpath = issued_path(cx, r, ISSUED_RECORD);
		struct document doc;
		struct record_files sha;
		if (issued_record(cx, r, &doc, &sha) < 0) {
			free(rpath);
			continue;
		}
		records += issued_row_agrees(j, r, &doc);
		size_t xml_before = files[1];
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
		if (files[1] > xml_before)	/* an envelope of the e-invoice as issued */
			files[2] += envelope_agrees(cx, r, &doc);
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
	summary(0, "verify: %s: %zu row%s, each following from the one before; %zu record%s agreeing with %s row%s%s; %zu PDF%s, %zu e-invoice%s and %zu envelope%s as issued; export log %s: %zu voucher%s, each of a document in the journal%s",
	     j->path, j->n, j->n == 1 ? "" : "s", records, records == 1 ? "" : "s",
	     records == 1 ? "its" : "their", records == 1 ? "" : "s",
	     unrecorded ? " (and rows of an older samfakt without records)" : "", files[0],
	     files[0] == 1 ? "" : "s", files[1], files[1] == 1 ? "" : "s", files[2], files[2] == 1 ? "" : "s",
	     log.path, vouchers,
	     vouchers == 1 ? "" : "s", log.exists ? "" : " (none yet)");
	sie_log_release(&log);
	if (bad) {
		error_at(j->path, 0, "verify found %d difference%s", bad, bad == 1 ? "" : "s");
		return EXIT_INPUT;
	}
	return EXIT_DONE;
}

enum exit_status cmd_verify(int argc, char **argv, const struct global_options *g)
{
	if (argc > 1)
		return no_arguments(argc, argv);
	struct run_options opt = {.config = g->config, .today = g->today};
	struct context cx = {.opt = &opt};
	enum exit_status st = config_load(&cx.model.cfg, opt.config) < 0 ? EXIT_INPUT : run_verify(&cx);
	run_finish(&cx);
	return st;
}
