/* send.c - samfakt send [--list]: the envelopes of issued documents
 * handed to the host's Peppol access point through its drop folder
 * ([sending] outbox), each exactly once.
 *
 * The journal says what was handed over: a column outside its chain,
 * handed_over, the time each was. Handing over is three steps, each safe
 * to be killed after:
 *   1. each envelope is written into the outbox under a hidden temporary
 *      name (outbox.h), which the access point does not take;
 *   2. the journal records them as handed over (the commit point);
 *   3. each is renamed to its .xml name, where the access point takes it.
 * A run that finds a document recorded with its temporary file still
 * there was killed between 2 and 3, and renames it; recorded without the
 * temporary file, it was handed over (the access point may have taken it
 * away already): never again. Not recorded, a temporary file is one of a
 * run killed before its commit, and is written anew. An outbox that is not
 * there (not mounted) changes nothing: its documents wait.
 *
 * The envelope handed over is made afresh from the record and the
 * e-invoice on disk (checked against the record), never read from a
 * file someone could have edited. Documents dated before [sending] since
 * went out another way and are never handed over. Without an outbox, the
 * envelopes stay beside the PDFs and send --list names them. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/hash.h"
#include "base/util.h"
#include "cmd/issued.h"
#include "cmd/run.h"
#include "cmd/send.h"
#include "keep/journal.h"
#include "keep/outbox.h"
#include "keep/record.h"
#include "render/sbd.h"

#define HANDED_OVER "handed_over"
#define EINVOICE_MAX (64u << 20)

/* Is row r a document of this cooperation (any year's series) whose
 * e-invoice goes to the access point, but not yet? Reads its record. */
static int pending(const struct context *cx, const struct journal_row *r)
{
	const struct config *cfg = &cx->model.cfg;
	if (!r->recorded || r->type == DOCUMENT_STATEMENT || *journal_extra(&cx->journal, r, HANDED_OVER))
		return 0;
	if (!issued_is_ours(cx, r) && strcmp(r->cooperation, cfg->name) != 0)
		return 0;
	if (cfg->sending.since != DATE_NONE && r->invoice_date < cfg->sending.since)
		return 0;
	struct document doc;
	struct record_files files;
	int has = issued_record(cx, r, &doc, &files) == 0 && files.xml[0];
	if (has)
		document_release(&doc);
	return has;
}

static char *name_of(const struct journal_row *r)
{
	return outbox_name(document_kind_name(r->type), r->number, r->member);
}

/* The envelope of row r, made from its record and its e-invoice as
 * issued: 0, or -1 after a message. */
static int envelope_of(const struct context *cx, const struct journal_row *r, char **out, size_t *len)
{
	char *rpath = issued_path(cx, r, ISSUED_RECORD), *xpath = issued_path(cx, r, ISSUED_XML);
	struct document doc;
	struct record_files files;
	size_t xlen = 0;
	char *xml = NULL;
	int rc = -1;
	if (issued_record(cx, r, &doc, &files) == 0) {
		char have[HASH_HEXSZ];
		xml = read_file(xpath, EINVOICE_MAX, &xlen, "e-invoice");
		if (xml) {
			hash_bytes(xml, xlen, have);
			if (strcmp(have, files.xml) != 0)
				error_at(xpath, 0,
					 "the e-invoice of %s was changed after it was issued (it does not match its record %s): it is not handed over; delete it and run 'samfakt build' to put the issued one back",
					 r->number, rpath);
			else
				rc = sbd_render(&doc, xml, xlen, xpath, out, len);
		}
		document_release(&doc);
	}
	free(xml);
	free(xpath);
	free(rpath);
	return rc;
}

/* Now, as the journal records it: UTC, SOURCE_DATE_EPOCH when set (the
 * same bytes every run, for tests). */
static void now_utc(char buf[32])
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	time_t t = env && *env ? (time_t)strtoll(env, NULL, 10) : time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

enum exit_status send_pending(struct context *cx, int command)
{
	const struct config *cfg = &cx->model.cfg;
	const char *dir = cfg->sending.outbox;
	struct journal *j = &cx->journal;
	if (!dir)
		return EXIT_DONE;
	size_t *todo = xcalloc(j->n + 1, sizeof *todo), n = 0, finished = 0;
	int reachable = outbox_reachable(dir);
	enum exit_status st = EXIT_DONE;
	/* a run killed after its commit: its renames */
	for (size_t i = 0; i < j->n && reachable && st == EXIT_DONE; i++) {
		const struct journal_row *r = &j->rows[i];
		if (!*journal_extra(j, r, HANDED_OVER))
			continue;
		char *name = name_of(r);
		if (outbox_staged(dir, name)) {
			if (outbox_commit(dir, name) < 0)
				st = EXIT_WRITE;
			else
				finished++;
		}
		free(name);
	}
	for (size_t i = 0; i < j->n; i++)
		if (pending(cx, &j->rows[i]))
			todo[n++] = i;
	if (st == EXIT_DONE && n && !reachable) {
		diag(command ? DIAG_ERROR : DIAG_WARNING, cfg->path, 0,
		     "the outbox %s is not there or cannot be written (not mounted?): %zu document%s wait%s to be handed over; 'samfakt send' hands %s over once it is",
		     dir, n, n == 1 ? "" : "s", n == 1 ? "s" : "", n == 1 ? "it" : "them");
		free(todo);
		return command ? EXIT_WRITE : EXIT_DONE;
	}
	/* 1. each envelope under its temporary name */
	size_t staged = 0;
	for (; staged < n && st == EXIT_DONE; staged++) {
		const struct journal_row *r = &j->rows[todo[staged]];
		char *name = name_of(r), *sbd = NULL;
		size_t len;
		outbox_discard(dir, name);	/* of a run killed before its commit */
		if (envelope_of(cx, r, &sbd, &len) < 0)
			st = EXIT_INPUT;
		else if (outbox_stage(dir, name, sbd, len) < 0)
			st = EXIT_WRITE;
		free(sbd);
		free(name);
	}
	/* 2. the journal records them: the commit point */
	char when[32];
	now_utc(when);
	if (st == EXIT_DONE && n) {
		for (size_t k = 0; k < n; k++)
			journal_set_extra(j, todo[k], HANDED_OVER, when);
		if (issued_write_journal(j) < 0)
			st = EXIT_WRITE;
	}
	if (st != EXIT_DONE) {	/* nothing recorded: nothing handed over */
		for (size_t k = 0; k < staged; k++) {
			char *name = name_of(&j->rows[todo[k]]);
			outbox_discard(dir, name);
			free(name);
		}
		if (!command)
			warning_at(cfg->path, 0,
				   "the documents are issued, but %zu could not be handed over to the outbox %s: 'samfakt send' hands them over",
				   n, dir);
		free(todo);
		return command ? st : EXIT_DONE;
	}
	/* 3. into place, where the access point takes them */
	for (size_t k = 0; k < n && st == EXIT_DONE; k++) {
		char *name = name_of(&j->rows[todo[k]]);
		if (outbox_commit(dir, name) < 0)
			st = EXIT_WRITE;
		free(name);
	}
	if (n + finished)
		summary(1, "send: %zu document%s handed over to %s%s", n + finished, n + finished == 1 ? "" : "s", dir,
		     finished ? " (some of a run that was stopped)" : "");
	free(todo);
	return st;
}

static enum exit_status run_send(struct context *cx)
{
	const struct config *cfg = &cx->model.cfg;
	enum exit_status st = open_issued(cx, 0);
	if (st != EXIT_DONE)
		return st;
	const struct journal *j = &cx->journal;
	if (cx->opt->list) {
		size_t n = 0;
		for (size_t i = 0; i < j->n; i++) {
			const struct journal_row *r = &j->rows[i];
			if (!pending(cx, r))
				continue;
			char *path = issued_path(cx, r, ISSUED_SBD);
			printf("%s\n", path);
			free(path);
			n++;
		}
		if (cfg->sending.outbox)
			summary(0, "send: %zu document%s wait%s to be handed over to %s ('samfakt send' does it)", n,
			     n == 1 ? "" : "s", n == 1 ? "s" : "", cfg->sending.outbox);
		else
			summary(0, "send: no [sending] outbox: %zu envelope%s to upload to the access point by hand", n,
			     n == 1 ? "" : "s");
		return EXIT_DONE;
	}
	if (!cfg->sending.outbox) {
		error_at(cfg->path, 0,
			 "no [sending] outbox: give the access point's drop folder (outbox = DIR, since = DATE), or upload the envelopes 'samfakt send --list' names by hand");
		return EXIT_INPUT;
	}
	size_t before = 0;
	for (size_t i = 0; i < j->n; i++)
		before += *journal_extra(j, &j->rows[i], HANDED_OVER) != '\0';
	st = send_pending(cx, 1);
	size_t after = 0;
	for (size_t i = 0; i < j->n; i++)
		after += *journal_extra(j, &j->rows[i], HANDED_OVER) != '\0';
	char d[DATE_BUFSZ];
	if (st == EXIT_DONE && after == before)
		summary(0, "send: nothing to hand over: every document since %s is with the access point",
		     date_format(cfg->sending.since, d));
	return st;
}

enum exit_status cmd_send(int argc, char **argv, const struct global_options *g)
{
	struct run_options opt = {.config = g->config, .today = g->today};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list") == 0)
			opt.list = 1;
		else if (argv[i][0] == '-')
			return misplaced_option(argv[0], argv[i]);
		else
			return usage_error("unexpected argument: '%s'", argv[i]);
	}
	return run_command(&opt, run_send);
}
