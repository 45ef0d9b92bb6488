/* validate.h - the checks that need every input at once.
 *
 * Run after load_inputs() and before anything is allocated or written:
 * references between files, counts that must exist, pools that must have
 * members to pay them. After it succeeds, allocation cannot fail on input. */
#ifndef SAMFAKT_VALIDATE_H
#define SAMFAKT_VALIDATE_H

#include "model/model.h"

/* Mark the periods that wait for user counts: a per_user pool bills in
 * them, and users.csv has not one count on their count date (or on the
 * fee date) yet. A period needs only its own data: the next year's first
 * half-year is billed before May's counts exist. */
void model_mark_waiting(struct model *model);

/* Returns 0, or -1 after reporting every problem. */
int validate_model(const struct model *model);

#endif
