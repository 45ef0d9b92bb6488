/* context.h - the state of one run: the options its command was given,
 * what it read and computed, and the journal. Every command that reads
 * the inputs has one (cmd/run.h makes it); cmd/issued.c works on it. */
#ifndef SAMFAKT_CONTEXT_H
#define SAMFAKT_CONTEXT_H

#include "base/date.h"
#include "keep/journal.h"
#include "model/allocate.h"
#include "model/model.h"

/* What a command was asked to do: each fills in what it takes. */
struct run_options {
	const char *config;
	date_t today;
	const char *period;	/* issue, correct */
	int new_journal;	/* issue: the first issue of a series starts its journal */
	const char *number;	/* credit: the invoice credited */
	const char *reason;	/* credit, correct: why, printed on what they make */
	int year;		/* export sie: the fiscal year, or 0 (the configuration's) */
	int all;		/* export sie: every voucher of the year, not only the new */
	int upgrade_journal;	/* upgrade-journal: make samfakt 1.0's journal this samfakt's */
	int difference;		/* correct: one document for the difference, not a credit
				   note and a new invoice */
	int list;		/* send: name what waits, hand over nothing */
};

struct context {
	const struct run_options *opt;
	struct model model;
	struct allocation alloc;
	struct journal journal;
	char *year_dir;		/* OUTPUT/YEAR */
};

#endif
