/* upgrade.c - samfakt upgrade-journal: a journal of samfakt 1.0 made this
 * samfakt's, as an act of its own (never a side effect of build or issue):
 * the records of its invoices are made from today's inputs, which must
 * still give exactly what was issued, and its rows are chained. */
#include "cmd/cmd.h"

#include <string.h>

#include "cmd/run.h"

static enum exit_status upgrade(struct context *cx)
{
	return open_issued(cx, 1);	/* which upgrades, with opt->upgrade_journal */
}

enum exit_status cmd_upgrade_journal(int argc, char **argv, const struct global_options *g)
{
	if (argc > 1)
		return no_arguments(argc, argv);
	struct run_options opt = {.config = g->config, .today = g->today, .upgrade_journal = 1};
	return run_command(&opt, upgrade);
}
