/* main.c - the command line: the options every command takes, then the
 * command from the table below, which parses the rest itself. */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/date.h"
#include "base/diag.h"
#include "base/file.h"
#include "base/home.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "keep/output.h"

/* Every command: its name, what runs it, its line of the usage and its help. */
static const struct command commands[] = {
	{"check", cmd_check, "check",
	 "read and validate everything, print the allocation, write nothing"},
	{"build", cmd_build, "build",
	 "write fordelning.csv, the reports, draft invoices for periods not yet\n"
	 "issued and drafts of what correct would make for issued ones\n"
	 "(the default; safe to run every night)"},
	{"issue", cmd_issue, "issue PERIOD [--new-journal]",
	 "issue the final invoices of PERIOD: numbers, PDFs, e-invoices, records, journal;\n"
	 "--new-journal: start the journal (the first issue of a number series)"},
	{"credit", cmd_credit, "credit NUMBER [--reason TEXT]",
	 "a credit note for the whole of issued invoice NUMBER, dated --date;\n"
	 "--reason: why (printed on it)"},
	{"correct", cmd_correct, "correct PERIOD [--difference] [--reason TEXT]",
	 "make issued PERIOD match today's inputs: a credit note and a new\n"
	 "invoice for each invoice they change, dated --date; --difference: one\n"
	 "supplementary invoice or credit note for the change, amending the invoice"},
	{"export", cmd_export, "export sie [YEAR] [--all]",
	 "the vouchers dated in the fiscal year (default: the configuration's)\n"
	 "not exported before, as an SIE 4 file for the host's ledger;\n"
	 "--all: every voucher of the year again (a fresh ledger)"},
	{"settle", cmd_settle, "settle YEAR",
	 "settle the year's outcome with each member, for what its share of the actual\n"
	 "costs differs from what it was billed, dated --date: a settlement invoice or\n"
	 "credit note ([settlement] rule = own_document, and a member that has left),\n"
	 "or a statement that the next year's first invoice carries (next_invoice)"},
	{"send", cmd_send, "send [--list]",
	 "hand the envelopes of issued documents not yet handed over to the access\n"
	 "point's drop folder ([sending] outbox), each exactly once; --list: name\n"
	 "them (without an outbox: the envelopes to upload by hand)"},
	{"verify", cmd_verify, "verify",
	 "check the journal's chain, every record and every issued PDF and\n"
	 "e-invoice against its record, and the export log; write nothing"},
	{"upgrade-journal", cmd_upgrade_journal, "upgrade-journal",
	 "make a journal of samfakt 1.0 this samfakt's: the records of its\n"
	 "invoices from today's inputs (which must still give them), its rows chained"},
	{"new-year", cmd_new_year, "new-year",
	 "start the next year: its configuration (the year, dates and number\n"
	 "prefix moved on) and copies of the inputs; this year's stay as they are"},
	{"init", cmd_init, "init DIR",
	 "a new cooperation's folder: a commented configuration, the input\n"
	 "files with their headers, the plan template"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
	fputs("usage: samfakt [-c CONFIG] [--date YYYY-MM-DD] [-q | -v] COMMAND ...\n\ncommands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		fprintf(f, "  %s\n", commands[i].usage);
		for (const char *p = commands[i].help; *p;) {
			size_t n = strcspn(p, "\n");
			fprintf(f, "      %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
	}
	fputs("  --version      the version and the libraries samfakt was built with\n"
	      "\n"
	      "  -c CONFIG      the configuration (default " DEFAULT_CONFIG ")\n"
	      "  --date DATE    today's date, the date of what is issued\n"
	      "                 (default: SOURCE_DATE_EPOCH, else the clock)\n"
	      "  -q, -v         quieter (errors only), more verbose\n"
	      "\n"
	      "exit status: 0 done, 1 invalid input, 2 bad usage, 3 cannot write or locked\n",
	      f);
}

/* Today: SOURCE_DATE_EPOCH (up to 9999-12-31 23:59:59, the last day a
 * date of samfakt's holds), else the clock; DATE_NONE when the variable
 * is not such a number. */
static date_t clock_today(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t;
	struct tm tm;
	if (sde && *sde) {
		char *end;
		errno = 0;
		long long v = strtoll(sde, &end, 10);
		if (*end || v < 0 || errno == ERANGE || v > 253402300799LL)
			return DATE_NONE;
		t = (time_t)v;
		gmtime_r(&t, &tm);
	} else {
		t = time(NULL);
		localtime_r(&t, &tm);
	}
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The options every command takes, wherever they stand, are taken out of
 * argv; what is left is the command and its own arguments. */
static enum exit_status global_options(int *argc, char **argv, struct global_options *g, int *verbosity)
{
	int n = 0;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0) {
			if (++i == *argc)
				return usage_error("%s needs a file", a);
			g->config = argv[i];
			g->config_given = 1;
		} else if (strcmp(a, "--date") == 0) {
			if (++i == *argc)
				return usage_error("%s needs a date", a);
			if (date_parse(argv[i], &g->today) < 0)
				return usage_error("--date is not a date (YYYY-MM-DD): '%s'", argv[i]);
			g->date_given = 1;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			*verbosity = -1;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			*verbosity = 1;
		} else if (strcmp(a, "--reason") == 0) {	/* a command's, with its text */
			argv[n++] = argv[i];
			if (i + 1 < *argc)
				argv[n++] = argv[++i];
		} else {
			argv[n++] = argv[i];
		}
	}
	*argc = n;
	return EXIT_DONE;
}

/* Run cmd; build, check and verify with -c naming a folder run for every
 * configuration in it (its *.ini files, in name order: each cooperation
 * and each year, so that a nightly job started once goes on after
 * new-year), each summary naming its configuration. The exit status is
 * the worst of them. */
static enum exit_status run_each(const struct command *cmd, int n, char **rest, struct global_options *g)
{
	struct stat st;
	if ((cmd->run != cmd_build && cmd->run != cmd_check && cmd->run != cmd_verify) || stat(g->config, &st) != 0 ||
	    !S_ISDIR(st.st_mode))
		return cmd->run(n, rest, g);
	size_t np;
	char **paths = ini_files(g->config, &np);
	if (np == 0) {
		error_at(g->config, 0, "a folder without configurations (*.ini): name one with -c, or the folder that holds them");
		return EXIT_INPUT;
	}
	enum exit_status worst = EXIT_DONE;
	const char *folder = g->config;
	for (size_t i = 0; i < np; i++) {
		g->config = paths[i];
		summary_context(paths[i]);
		enum exit_status s = cmd->run(n, rest, g);
		if (s > worst)
			worst = s;
	}
	summary_context(NULL);
	g->config = folder;
	files_release(paths, np);
	return worst;
}

int main(int argc, char **argv)
{
	/* Each invoice makes and frees a PDF document: with glibc's default,
	 * the freed heap went back to the system after every one and was
	 * faulted in again for the next (a third of a build's CPU time in brk
	 * and page faults). Keep up to 8 MB of it; the peak is the same. */
	mallopt(M_TRIM_THRESHOLD, 8 << 20);

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return EXIT_DONE;
		}
	}
	if (argc == 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)) {
		print_version(stdout);
		return EXIT_DONE;
	}
	struct global_options g = {.config = DEFAULT_CONFIG, .today = DATE_NONE};
	int verbosity = 0, n = argc;
	enum exit_status st = global_options(&n, argv, &g, &verbosity);	/* argv[0] is not needed again */
	if (st != EXIT_DONE) {
		usage(stderr);
		return st;
	}
	char **rest = argv;
	static char build[] = "build";	/* the default command */
	char *default_argv[] = {build, NULL};
	if (n == 0) {
		rest = default_argv;
		n = 1;
	}
	const struct command *cmd = NULL;
	for (size_t i = 0; i < NCOMMANDS && !cmd; i++)
		if (strcmp(rest[0], commands[i].name) == 0)
			cmd = &commands[i];
	if (!cmd) {
		st = rest[0][0] == '-' ? usage_error("unknown option: '%s'", rest[0])
				       : usage_error("unknown command: '%s'", rest[0]);
		usage(stderr);
		return st;
	}
	if (g.today == DATE_NONE) {
		g.today = clock_today();
		if (g.today == DATE_NONE) {
			st = usage_error("SOURCE_DATE_EPOCH is not a whole number of seconds since 1970-01-01 up to the year 9999: '%s' (or give --date)",
					 getenv("SOURCE_DATE_EPOCH"));
			usage(stderr);
			return st;
		}
	}
	diag_set_verbosity(verbosity);
	st = run_each(cmd, n, rest, &g);
	if (st == EXIT_USAGE && usage_error_given())
		usage(stderr);
	diag_finish();
	size_t written = output_files_written();
	if (st != EXIT_DONE && diag_errors() && written == 0)
		fprintf(stderr, "samfakt: %d error%s, nothing written\n", diag_errors(),
			diag_errors() == 1 ? "" : "s");
	else if (st != EXIT_DONE && diag_errors())
		fprintf(stderr, "samfakt: %d error%s; %zu file%s put in place before %s\n", diag_errors(),
			diag_errors() == 1 ? "" : "s", written, written == 1 ? " was" : "s were",
			diag_errors() == 1 ? "it" : "them");
	return st;
}
