/* settle.h - what settle and build share of a year's settlement. */
#ifndef SAMFAKT_SETTLE_H
#define SAMFAKT_SETTLE_H

#include <stddef.h>

#include "base/diag.h"
#include "cmd/context.h"
#include "keep/document.h"

/* Each member's settlement lines (a pool settled own_document whose
 * share of the outcome differs from what the member was billed in it,
 * settlements before included): lines[member * npools + k], k < n[member];
 * n[member] is 0 for a member with none, or whose differences cancel out. */
struct settlement_plan {
	struct settlement_line *lines;
	size_t *n;
	size_t documents;	/* members with a document to get */
};
int settlement_plan(struct context *cx, struct settlement_plan *sp);
void settlement_plan_release(struct settlement_plan *sp);

/* Can the year be settled: an outcome, a pool settled own_document, and
 * every period with invoices issued? Says why not at level. */
int settle_ready(struct context *cx, enum diag_level level);

#endif
