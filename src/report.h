/* report.h - the allocation as text: fordelning.csv for programs and
 * spreadsheets, and the summary `samfakt check` prints. */
#ifndef SAMFAKT_REPORT_H
#define SAMFAKT_REPORT_H

#include <stdio.h>

#include "allocate.h"
#include "model.h"

/* fordelning.csv: period,member,pool,item,basis,amount; malloc'd. */
char *report_allocation_csv(const struct model *model, const struct allocation *a, size_t *len);

/* The human summary: pools, fees, each member's share per period. */
void report_print(FILE *out, const struct model *model, const struct allocation *a);

#endif
