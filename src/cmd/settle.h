/* settle.h - what settle and build share of a year's settlement. */
#ifndef SAMFAKT_SETTLE_H
#define SAMFAKT_SETTLE_H

#include <stddef.h>

#include "base/diag.h"
#include "cmd/context.h"
#include "keep/document.h"

/* The documents a settlement makes, in member order: for each member, a
 * settlement invoice or credit note of the pools settled own_document
 * (and, for a member that has left by the year's end, of those settled
 * next_invoice too), and a statement of the pools settled next_invoice.
 * A line a pool whose share of the outcome differs from what the member
 * was billed in it (settlements before included); no document whose
 * lines cancel out. */
struct settlement_doc {
	size_t member;
	int statement;		/* a statement, carried by next year's first invoice */
	size_t first, n;	/* its lines: lines[first], … */
};
struct settlement_plan {
	struct settlement_line *lines;
	struct settlement_doc *docs;
	size_t documents;	/* how many docs */
	size_t statements;	/* of them statements */
};
int settlement_plan(struct context *cx, struct settlement_plan *sp);
void settlement_plan_release(struct settlement_plan *sp);

/* Can the year be settled: an outcome, a pool settled own_document, and
 * every period with invoices issued? Says why not at level. */
int settle_ready(struct context *cx, enum diag_level level);

#endif
