/* followup.h - the follow-up of a year (uppföljning): its budget against
 * its outcome, pool by pool, line by line, project by project and
 * participant by participant, each member's settlement, the costs
 * members bore, and the host's money period by period; and the
 * settlement as a CSV file (avrakning-YEAR.csv). Renderers: every amount
 * comes from the allocations and the settlement, none is computed here
 * but sums and differences of what they hold. */
#ifndef SAMFAKT_FOLLOWUP_H
#define SAMFAKT_FOLLOWUP_H

#include "base/util.h"
#include "model/allocate.h"
#include "model/model.h"
#include "model/outcome.h"

/* The report as a PDF/A, handed to out in pieces. 0, or -1 after a message. */
int followup_render(const struct model *model, const struct allocation *budget, const struct outcome *o,
		    const struct settlement *s, const char *what, write_fn out, void *ctx);

/* member,invoiced,actual,difference: a row per member settled, net, and
 * a sum row. 0, or -1 when out failed. */
int followup_csv(const struct model *model, const struct settlement *s, write_fn out, void *ctx);

#endif
