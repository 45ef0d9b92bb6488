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

/* The count for member on date, or -1 when there is none. */
int64_t model_user_count(const struct model *model, size_t member, date_t date);

/* Is member a participant of project pr? */
int project_has_member(const struct project *pr, size_t member);

/* Does member take part in project pr in period: a participant, its
 * stint covering the period's invoice date, and billed in the period? */
int project_takes_part(const struct model *model, const struct project *pr, size_t member,
		       size_t period);
/* Did the participant in slot of pr join after the project's start (not
 * from the start)? */
int project_joined_late(const struct project *pr, size_t slot);

/* Does the participant in slot of pr buy in this year: it joined after
 * the project's start, and after last year's last invoice of the
 * projects pool (the same day a year before this year's last)? One that
 * joined earlier bought in then: previous_cost holds it. */
int project_buys_in(const struct model *model, const struct project *pr, size_t slot);

/* Where member is among pr's participants in member order, or -1 when
 * it is not one of them. */
long project_slot(const struct project *pr, size_t member);

#endif
