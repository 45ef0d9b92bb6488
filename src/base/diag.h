/* diag.h - the one path every message to the user takes.
 *
 * Messages read "samfakt: FILE:LINE: error: what is wrong: 'value'".
 * Errors are counted, not fatal: a run lists every bad row it finds and the
 * caller decides at the end of a stage whether to go on (diag_errors()). */
#ifndef SAMFAKT_DIAG_H
#define SAMFAKT_DIAG_H

#include <stdio.h>

/* Exit statuses, the contract with schedulers: every command returns one. */
enum exit_status {
	EXIT_DONE = 0,
	EXIT_INPUT = 1,		/* invalid input: every problem listed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_WRITE = 3,		/* cannot write, or another run holds the lock */
};

enum diag_level {
	DIAG_DEBUG,	/* shown with -v only */
	DIAG_NOTE,	/* progress and summaries; hidden by -q */
	DIAG_WARNING,	/* worth reading, does not stop the run; hidden by -q */
	DIAG_ERROR	/* invalid input or a failed operation; always shown */
};

/* Print one message. file may be NULL (no location), line 0 (file only). */
void diag(enum diag_level level, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define error_at(file, line, ...) diag(DIAG_ERROR, (file), (line), __VA_ARGS__)
#define warning_at(file, line, ...) diag(DIAG_WARNING, (file), (line), __VA_ARGS__)
#define note(...) diag(DIAG_NOTE, NULL, 0, __VA_ARGS__)
#define debug(...) diag(DIAG_DEBUG, NULL, 0, __VA_ARGS__)

/* -2 silent (errors are counted, not shown), -1 quiet (errors only),
 * 0 normal, 1 verbose. */
void diag_set_verbosity(int verbosity);
/* Where messages go (NULL: standard error); tests set a file of their own.
 * Each message is written whole, in one call. */
void diag_set_sink(FILE *f);
int diag_errors(void);
int diag_warnings(void);
/* Say how many of each flood of one kind of message were not shown
 * ("… and 19 980 more like it"); main calls it before its last line. */
void diag_flush(void);
/* Forget the counts (used by tests that run several loads). */
void diag_reset(void);

/* A command's one-line summary ("build: 12 draft invoices …"), kept and
 * written by diag_finish after everything else (the flood counts too), so
 * that it is the run's last line. wrote: the run changed a file. Under -q
 * a summary is written only when the run wrote something or found a
 * problem, then saying how many warnings -q hid: a nightly run that did
 * nothing prints nothing. */
void summary(int wrote, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* diag_flush, then the summaries. */
void diag_finish(void);
/* The configuration the summaries that follow are of, when a run covers
 * several ("config/kalmar.ini: build: …"); NULL: none. */
void summary_context(const char *config);

/* For broken invariants: a bug in samfakt, never a user error. */
#define BUG(...) diag_bug(__FILE__, __LINE__, __VA_ARGS__)
void diag_bug(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

#endif
