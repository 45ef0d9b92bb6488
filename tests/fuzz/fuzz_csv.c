/* fuzz_csv.c - libFuzzer harness: the first byte picks an input file
 * (members, users, budget, projects, last year's budget, meetings,
 * revisions, participations; 8 and up: the outcome), the rest is its
 * content; the other files are the fixture. Whatever loads is validated
 * and allocated, and the allocation must add up: every buy-in to its
 * credits too; and the outcome, shared as the budget was, to the outcome. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "fixture.h"
#include "model/allocate.h"
#include "model/outcome.h"
#include "model/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	diag_set_verbosity(-2);
	struct model model;
	int ok = fixture_load(&model, data[0] < 8 ? data[0] : data[0] < 16 ? INPUT_OUTCOME : data[0] % 8,
			      (const char *)data + 1, size - 1) == 0;
	struct allocation a;
	memset(&a, 0, sizeof a);
	if (ok)
		model_mark_waiting(&model);
	if (ok && validate_model(&model) == 0 && allocate(&model, &a) == 0) {
		struct outcome o;
		if (outcome_compute(&model, &o) == 0) {
			money_t all = 0;
			for (size_t m = 0; m < model.nmembers; m++)
				all += allocation_member_year(&o.actual, m);
			/* the per-user pool is a fee, not a split: the others add up */
			money_t fee_pool = 0;
			for (size_t m = 0; m < model.nmembers; m++)
				fee_pool += allocation_member_pool(&o.actual, m, 2);
			if (all - fee_pool != o.total - o.pool[2])
				__builtin_trap();
		}
		outcome_release(&o);
		/* equal and key pools: the shares add up to the budget exactly */
		for (size_t pi = 0; pi < 2; pi++) {
			money_t billed = 0;
			for (size_t p = 0; p < model.cfg.nperiods; p++)
				billed += a.pools[pi].billed[p];
			if (billed != a.pools[pi].annual)
				__builtin_trap();
		}
		for (size_t i = 0; i < a.ninvoices; i++)
			if (a.invoices[i].total != a.invoices[i].net + a.invoices[i].vat)
				__builtin_trap();
		/* buy-ins and their credits cancel out */
		money_t moves = 0;
		for (size_t i = 0; i < a.nmoves; i++)
			moves += a.moves[i].amount;
		if (moves != 0)
			__builtin_trap();
		/* each period's lines, made again, add up to the invoices (checked
		 * inside) and, over the year, to each member's pool totals */
		money_t *year = calloc(model.nmembers * a.npools + 1, sizeof *year);
		for (size_t p = 0; p < model.cfg.nperiods; p++) {
			struct period_lines pl;
			allocation_lines(&model, &a, p, &pl);
			struct invoice_line *lines = period_lines_buffer(&pl);
			for (size_t m = 0; m < model.nmembers; m++) {
				size_t n = period_lines_of(&pl, m, lines);
				for (size_t l = 0; l < n; l++)
					year[m * a.npools + lines[l].pool] += lines[l].amount;
			}
			free(lines);
			period_lines_release(&pl);
		}
		for (size_t m = 0; m < model.nmembers; m++)
			for (size_t pi = 0; pi < a.npools; pi++)
				if (year[m * a.npools + pi] != allocation_member_pool(&a, m, pi))
					__builtin_trap();
		free(year);
	}
	allocation_release(&a);
	model_release(&model);
	return 0;
}
