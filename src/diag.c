/* diag.c - formatting and counting of diagnostics. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int verbosity;
static int error_count;
static int warning_count;

static const char *const level_names[] = {
	[DIAG_DEBUG] = "debug",
	[DIAG_NOTE] = "note",
	[DIAG_WARNING] = "warning",
	[DIAG_ERROR] = "error",
};

void diag_set_verbosity(int v)
{
	verbosity = v;
}

int diag_errors(void)
{
	return error_count;
}

int diag_warnings(void)
{
	return warning_count;
}

void diag_reset(void)
{
	error_count = warning_count = 0;
}

void diag(enum diag_level level, const char *file, int line, const char *fmt, ...)
{
	if (level == DIAG_ERROR)
		error_count++;
	else if (level == DIAG_WARNING)
		warning_count++;
	if (level == DIAG_DEBUG && verbosity < 1)
		return;
	if (level < DIAG_ERROR && verbosity < 0)
		return;
	if (verbosity < -1)	/* silent: fuzzers and tests that count errors */
		return;

	fputs("samfakt: ", stderr);
	if (file && line > 0)
		fprintf(stderr, "%s:%d: ", file, line);
	else if (file)
		fprintf(stderr, "%s: ", file);
	if (level != DIAG_NOTE)
		fprintf(stderr, "%s: ", level_names[level]);
	/* Values from input are quoted as they are, but a line break or other
	 * control character in one would forge or garble the next line of a
	 * log: those are written as escapes. */
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if (*p == '\n')
			fputs("\\n", stderr);
		else if (*p == '\r')
			fputs("\\r", stderr);
		else if (*p == '\t')
			fputs("\\t", stderr);
		else if (*p < 0x20 || *p == 0x7F)
			fprintf(stderr, "\\x%02X", *p);
		else
			fputc(*p, stderr);
	}
	fputc('\n', stderr);
}

void diag_bug(const char *file, int line, const char *fmt, ...)
{
	fprintf(stderr, "samfakt: BUG: %s:%d: ", file, line);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
