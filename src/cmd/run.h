/* run.h - the commands, each the pipeline
 * config -> load -> validate -> allocate -> documents -> render -> write. */
#ifndef SAMFAKT_RUN_H
#define SAMFAKT_RUN_H

#include "base/date.h"

enum command {
	CMD_CHECK,
	CMD_BUILD,
	CMD_ISSUE,
	CMD_CREDIT,
	CMD_CORRECT,
	CMD_EXPORT_SIE,
	CMD_VERIFY,
	CMD_UPGRADE_JOURNAL,
};

/* Exit statuses, the contract with schedulers. */
enum exit_status {
	EXIT_DONE = 0,
	EXIT_INPUT = 1,		/* invalid input: every problem listed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_WRITE = 3,		/* cannot write, or another run holds the lock */
};

struct run_options {
	enum command command;
	const char *period;	/* CMD_ISSUE, CMD_CORRECT */
	int year;		/* CMD_EXPORT_SIE: the fiscal year, or 0 (the configuration's) */
	int all;		/* CMD_EXPORT_SIE: every voucher of the year, not only the new */
	int new_journal;	/* CMD_ISSUE: the first issue of a series starts its journal */
	const char *number;	/* CMD_CREDIT: the invoice credited */
	const char *reason;	/* CMD_CREDIT, CMD_CORRECT: why, printed on what they make */
	const char *config;
	date_t today;
};

enum exit_status run(const struct run_options *opt);

#endif
