/* main.c - the command line: parse it, run the command, exit. */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/csvfile.h"
#include "base/date.h"
#include "keep/output.h"
#include "base/diag.h"
#include "base/home.h"
#include "cmd/newyear.h"
#include "cmd/run.h"

#define DEFAULT_CONFIG "config/samverkan.ini"

static const char usage_text[] =
	"usage: samfakt [check | build | issue PERIOD [--new-journal] | credit NUMBER [--reason TEXT]\n"
	"               | correct PERIOD [--reason TEXT] | export sie [YEAR] [--all] | verify\n"
	"               | upgrade-journal]\n"
	"               [-c CONFIG] [--date YYYY-MM-DD] [-q | -v]\n"
	"       samfakt new-year [-c CONFIG]\n"
	"       samfakt init DIR\n"
	"       samfakt --version\n"
	"\n"
	"  check          read and validate everything, print the allocation, write nothing\n"
	"  build          write fordelning.csv, the reports, draft invoices for periods not yet\n"
	"                 issued and drafts of what correct would make for issued ones\n"
	"                 (the default; safe to run every night)\n"
	"  issue PERIOD   issue the final invoices of PERIOD: numbers, PDFs, e-invoices, records, journal\n"
	"  --new-journal  with issue: start the journal (the first issue of a number series)\n"
	"  credit NUMBER  a credit note for the whole of issued invoice NUMBER, dated --date\n"
	"  correct PERIOD make issued PERIOD match today's inputs: a credit note and a new\n"
	"                 invoice for each invoice they change, dated --date\n"
	"  --reason TEXT  with credit and correct: why (printed on what they make)\n"
	"  export sie [YEAR]\n"
	"                 the vouchers dated in the fiscal year (default: the configuration's)\n"
	"                 not exported before, as an SIE 4 file for the host's ledger\n"
	"  --all          with export sie: every voucher of the year again (a fresh ledger)\n"
	"  verify         check the journal's chain, every record and every issued PDF and\n"
	"                 e-invoice against its record, and the export log; write nothing\n"
	"  upgrade-journal\n"
	"                 make a journal of samfakt 1.0 this samfakt's: the records of its\n"
	"                 invoices from today's inputs (which must still give them), its rows chained\n"
	"  new-year       start the next year: its configuration (the year, dates and number\n"
	"                 prefix moved on) and copies of the inputs; this year's stay as they are\n"
	"  init DIR       a new cooperation's folder: a commented configuration, the input\n"
	"                 files with their headers, the plan template\n"
	"  --version      the version and the libraries samfakt was built with\n"
	"\n"
	"  -c CONFIG      the configuration (default " DEFAULT_CONFIG ")\n"
	"  --date DATE    today's date, the date of credit notes and corrected invoices\n"
	"                 (default: SOURCE_DATE_EPOCH, else the clock)\n"
	"  -q, -v         quieter (errors only), more verbose\n"
	"\n"
	"exit status: 0 done, 1 invalid input, 2 bad usage, 3 cannot write or locked\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("samfakt: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n\n", stderr);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

static date_t clock_today(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t;
	struct tm tm;
	if (sde && *sde) {
		char *end;
		errno = 0;
		long long v = strtoll(sde, &end, 10);
		/* up to 9999-12-31 23:59:59, the last day a date of samfakt's holds */
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

int main(int argc, char **argv)
{
	struct run_options opt = {.command = CMD_BUILD, .config = DEFAULT_CONFIG, .today = DATE_NONE};
	int verbosity = 0, have_command = 0;
	const char *init_dir = NULL;	/* samfakt init DIR */
	int new_year_command = 0;
	/* Each invoice makes and frees a PDF document: with glibc's default,
	 * the freed heap went back to the system after every one and was
	 * faulted in again for the next (a third of a build's CPU time in brk
	 * and page faults). Keep up to 8 MB of it; the peak is the same. */
	mallopt(M_TRIM_THRESHOLD, 8 << 20);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			return EXIT_DONE;
		} else if ((strcmp(a, "--version") == 0 || (strcmp(a, "version") == 0 && !have_command)) &&
			   argc == 2) {
			print_version(stdout);
			return EXIT_DONE;
		} else if (strcmp(a, "new-year") == 0 && !have_command) {
			new_year_command = 1;
			have_command = 1;
		} else if (strcmp(a, "init") == 0 && !have_command) {
			if (++i == argc || argv[i][0] == '-')
				return usage_error("%s needs a folder, such as 'init samverkan'", a);
			init_dir = argv[i];
			have_command = 1;
		} else if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0) {
			if (++i == argc)
				return usage_error("%s needs a file", a);
			opt.config = argv[i];
		} else if (strcmp(a, "--date") == 0) {
			if (++i == argc)
				return usage_error("%s needs a date", a);
			if (date_parse(argv[i], &opt.today) < 0)
				return usage_error("--date is not a date (YYYY-MM-DD): '%s'", argv[i]);
		} else if (strcmp(a, "--reason") == 0) {
			if (++i == argc || !*argv[i])
				return usage_error("%s needs a text", a);
			opt.reason = argv[i];
		} else if (strcmp(a, "--new-journal") == 0) {
			opt.new_journal = 1;
		} else if (strcmp(a, "--all") == 0) {
			opt.all = 1;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			verbosity = -1;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			verbosity = 1;
		} else if (a[0] == '-') {
			return usage_error("unknown option: '%s'", a);
		} else if (have_command) {
			return usage_error("unexpected argument: '%s'", a);
		} else if (strcmp(a, "check") == 0) {
			opt.command = CMD_CHECK;
			have_command = 1;
		} else if (strcmp(a, "upgrade-journal") == 0) {
			opt.command = CMD_UPGRADE_JOURNAL;
			have_command = 1;
		} else if (strcmp(a, "verify") == 0) {
			opt.command = CMD_VERIFY;
			have_command = 1;
		} else if (strcmp(a, "build") == 0) {
			opt.command = CMD_BUILD;
			have_command = 1;
		} else if (strcmp(a, "issue") == 0) {
			if (++i == argc || argv[i][0] == '-')
				return usage_error("%s needs a period, such as 'issue H1'", a);
			opt.command = CMD_ISSUE;
			opt.period = argv[i];
			have_command = 1;
		} else if (strcmp(a, "correct") == 0) {
			if (++i == argc || argv[i][0] == '-')
				return usage_error("%s needs a period, such as 'correct H1'", a);
			opt.command = CMD_CORRECT;
			opt.period = argv[i];
			have_command = 1;
		} else if (strcmp(a, "export") == 0) {
			if (++i == argc || strcmp(argv[i], "sie") != 0)
				return usage_error("%s needs a format: 'export sie [YEAR] [--all]'", a);
			opt.command = CMD_EXPORT_SIE;
			if (i + 1 < argc && argv[i + 1][0] != '-') {
				const char *y = argv[++i];
				if (strlen(y) != 4 || strspn(y, "0123456789") != 4 || atoi(y) < 1900)
					return usage_error("export sie takes a fiscal year, such as 'export sie 2016', not '%s': each voucher is booked in the year of its date, and each export writes what was not exported before",
							   y);
				opt.year = atoi(y);
			}
			have_command = 1;
		} else if (strcmp(a, "credit") == 0) {
			if (++i == argc || argv[i][0] == '-')
				return usage_error("%s needs an invoice number, such as 'credit 2016-0003'", a);
			opt.command = CMD_CREDIT;
			opt.number = argv[i];
			have_command = 1;
		} else {
			return usage_error("unknown command: '%s'", a);
		}
	}
	if (new_year_command) {
		if (opt.today != DATE_NONE || opt.reason || opt.new_journal)
			return usage_error("new-year takes -c CONFIG, and -q or -v, nothing else");
		diag_set_verbosity(verbosity);
		return new_year(opt.config);
	}
	if (init_dir) {
		if (strcmp(opt.config, DEFAULT_CONFIG) != 0 || opt.today != DATE_NONE || opt.reason ||
		    opt.new_journal)
			return usage_error("init takes a folder, and -q or -v, nothing else");
		diag_set_verbosity(verbosity);
		return init_folder(init_dir);
	}
	if (opt.new_journal && opt.command != CMD_ISSUE)
		return usage_error("--new-journal goes with 'issue PERIOD'");
	if (opt.all && opt.command != CMD_EXPORT_SIE)
		return usage_error("--all goes with 'export sie [YEAR]'");
	int corrects = opt.command == CMD_CREDIT || opt.command == CMD_CORRECT;
	if (opt.reason && !corrects)
		return usage_error("--reason goes with 'credit NUMBER' and 'correct PERIOD'");

	if (opt.reason && strlen(opt.reason) > 300)
		return usage_error("--reason is longer than 300 characters");
	size_t at;
	long ctl = opt.reason ? text_control_char(opt.reason, &at) : -1;
	if (ctl >= 0)
		return usage_error("--reason holds control character U+%04lX at character %zu: it would be printed on the documents; remove it",
				   (unsigned long)ctl, at);
	if (opt.today == DATE_NONE) {
		opt.today = clock_today();
		if (opt.today == DATE_NONE)
			return usage_error("SOURCE_DATE_EPOCH is not a whole number of seconds since 1970-01-01 up to the year 9999: '%s' (or give --date)",
					   getenv("SOURCE_DATE_EPOCH"));
	}
	diag_set_verbosity(verbosity);
	enum exit_status st = run(&opt);
	diag_flush();
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
