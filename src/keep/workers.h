/* workers.h - independent jobs (one invoice PDF each) spread over the
 * machine's cores with fork(): every process renders and writes its own
 * share, so the files are the same bytes whichever process made them. */
#ifndef SAMFAKT_WORKERS_H
#define SAMFAKT_WORKERS_H

#include <stddef.h>

/* A job renders and writes item i; it returns 0 or an exit status and may
 * add to *count (files changed). */
typedef int (*job_fn)(void *ctx, size_t i, size_t *count);

/* Run job for i in [0, n) on up to workers_count() processes. Returns the
 * worst status any job returned; *count is the sum of all counts. What
 * the jobs wrote with output_write_later is in place when it returns (each
 * process puts its own batch in place: EXIT_WRITE if it could not). */
int workers_run(size_t n, job_fn job, void *ctx, size_t *count);

/* How many processes: the cores online, or SAMFAKT_JOBS when set (1 runs
 * everything in this process). */
int workers_count(void);

#endif
