/* budget.h - the budget summary (budget-YEAR.pdf) the committee and each
 * member's finance office read before they approve the budget: pools and
 * their lines, how each is shared, every member's share and invoices, a
 * chart, and the change from last year. */
#ifndef SAMFAKT_BUDGET_H
#define SAMFAKT_BUDGET_H

#include <stddef.h>

#include "base/util.h"
#include "keep/journal.h"
#include "model/allocate.h"
#include "model/model.h"

/* Render the summary, handing the PDF to out in pieces. The invoice
 * columns of issued periods show what was issued (from issued), not what
 * today's inputs give; the host's own share is shown net and apart from
 * the invoices. Returns 0 or -1. */
int budget_render(const struct model *model, const struct allocation *a,
		  const struct issued *issued, const char *what, write_fn out, void *ctx);

/* Swedish name of a method, for documents ("Lika delar"). */

#endif
