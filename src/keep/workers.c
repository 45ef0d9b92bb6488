/* workers.c - fork, share out by index, collect statuses and counts. */
#include "keep/workers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/diag.h"
#include "keep/output.h"

#define MAX_WORKERS 64
#define ITEMS_PER_WORKER 16	/* fewer items are not worth a fork */

int workers_count(void)
{
	const char *env = getenv("SAMFAKT_JOBS");
	long n = env && *env ? atol(env) : sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	return (int)n;
}

/* Items k, k + step, k + 2 step, …: neighbours go to different workers,
 * so the share of work is even whatever the items cost. */
static int run_share(size_t n, size_t k, size_t step, job_fn job, void *ctx, size_t *count)
{
	int worst = 0;
	for (size_t i = k; i < n && worst == 0; i += step) {
		int st = job(ctx, i, count);
		if (st > worst)
			worst = st;
	}
	/* what the jobs wrote with output_write_later, in place */
	if (output_flush() < 0 && worst < EXIT_WRITE)
		worst = EXIT_WRITE;
	return worst;
}

int workers_run(size_t n, job_fn job, void *ctx, size_t *count)
{
	size_t jobs = (size_t)workers_count();
	if (jobs > n / ITEMS_PER_WORKER)
		jobs = n / ITEMS_PER_WORKER;
	if (jobs <= 1)
		return run_share(n, 0, 1, job, ctx, count);

	pid_t pids[MAX_WORKERS];
	int pipes[MAX_WORKERS];
	size_t started = 1;
	fflush(NULL);	/* nothing buffered may be written twice */
	pid_t parent = getpid();
	for (size_t k = 1; k < jobs; k++) {
		int fd[2];
		if (pipe(fd) < 0)
			break;
		pid_t pid = fork();
		if (pid < 0) {
			close(fd[0]);
			close(fd[1]);
			break;
		}
		if (pid == 0) {
			/* A worker outliving a killed parent would hold the run
			 * lock and write staged files nobody commits. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(3);
			close(fd[0]);
			size_t mine = 0;
			int st = run_share(n, k, jobs, job, ctx, &mine);
			ssize_t w = write(fd[1], &mine, sizeof mine);
			fflush(NULL);
			_exit(w == (ssize_t)sizeof mine ? st : 3);
		}
		close(fd[1]);
		pids[started] = pid;
		pipes[started] = fd[0];
		started++;
	}
	/* Shares a failed fork left without a worker are done here. */
	int worst = 0;
	for (size_t k = 0; k < jobs; k++) {
		if (k != 0 && k < started)
			continue;
		int st = run_share(n, k, jobs, job, ctx, count);
		if (st > worst)
			worst = st;
	}
	for (size_t k = 1; k < started; k++) {
		size_t theirs = 0;
		ssize_t r = read(pipes[k], &theirs, sizeof theirs);
		close(pipes[k]);
		int status;
		while (waitpid(pids[k], &status, 0) < 0 && errno == EINTR)
			;
		int st = WIFEXITED(status) ? WEXITSTATUS(status) : 3;
		if (r != (ssize_t)sizeof theirs && st == 0)
			st = 3;
		if (!WIFEXITED(status))
			error_at(NULL, 0, "a worker process died (signal %d)",
				 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		if (st > worst)
			worst = st;
		*count += theirs;
	}
	return worst;
}
