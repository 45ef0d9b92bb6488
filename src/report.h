/* report.h - the allocation as text: fordelning.csv for programs and
 * spreadsheets, and the summary `samfakt check` prints. */
#ifndef SAMFAKT_REPORT_H
#define SAMFAKT_REPORT_H

#include <stdio.h>

#include "allocate.h"
#include "model.h"
#include "util.h"

/* fordelning.csv (period,member,pool,item,basis,amount), handed to out in
 * pieces of about 64 KB: it is the largest file samfakt writes, and is
 * never held whole. Returns 0, or -1 when out failed. */
int report_allocation_csv(const struct model *model, const struct allocation *a, write_fn out,
			  void *ctx);

/* The human summary: pools, fees, each member's share per period. */
void report_print(FILE *out, const struct model *model, const struct allocation *a);

#endif
