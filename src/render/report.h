/* report.h - the allocation as text: fordelning.csv for programs and
 * spreadsheets, and the summary `samfakt check` prints. */
#ifndef SAMFAKT_REPORT_H
#define SAMFAKT_REPORT_H

#include <stdio.h>

#include "base/util.h"
#include "keep/journal.h"
#include "model/allocate.h"
#include "model/model.h"
#include "model/outcome.h"

/* fordelning.csv (period,member,pool,item,basis,amount,invoice,status,
 * invoiced,credited,due),
 * handed to out in pieces of about 64 KB: it is the largest file samfakt
 * writes, and is never held whole. status says what the row's invoice is:
 * "draft" (its period is not issued), "issued" (invoice holds the number),
 * "changed" (issued, but today's inputs give the member another total:
 * the rows are today's), "not issued" (the period is issued, this member
 * got no invoice in it) or "own share" (the host's, never invoiced). For an
 * issued period, invoiced, credited and due are the member's totals for it
 * in the journal (with VAT; the same on each of its rows of the period). Returns 0, or -1 when out failed. */
int report_allocation_csv(const struct model *model, const struct allocation *a,
			  const struct issued *issued, write_fn out, void *ctx);

/* The human summary: pools, fees, each member's share per period. */
void report_print(FILE *out, const struct model *model, const struct allocation *a);

/* The outcome per pool and each member's settlement, for check. */
/* Where each member billed gets its e-invoices: its Peppol id and the
 * buyer reference its access point asks for (check). */
void report_print_routing(FILE *out, const struct model *model, const struct allocation *a);
void report_print_settlement(FILE *out, const struct model *model, const struct outcome *o,
			     const struct settlement *s);

#endif
