/* diag.c - formatting and counting of diagnostics. */
#include "base/diag.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static int verbosity;
static FILE *sink;		/* NULL: stderr */
static atomic_int error_count;	/* workers report too */
static atomic_int warning_count;

/* A flood of one kind of message (20 000 rows with the same bad column)
 * is shown REPEAT_SHOWN times a file, then counted, and summed up by
 * diag_flush: "… and 19 980 more like it". A kind is its file and its
 * format string. */
#define REPEAT_SHOWN 10
#define REPEAT_KINDS 64
static struct repeat {
	char *file;
	const char *fmt;
	enum diag_level level;
	long seen;
} repeats[REPEAT_KINDS];
static size_t nrepeats;

/* Is this the message of a kind already shown often enough? */
static int repeated(enum diag_level level, const char *file, const char *fmt)
{
	size_t i = 0;
	while (i < nrepeats && !(repeats[i].fmt == fmt && strcmp(repeats[i].file, file) == 0))
		i++;
	if (i == nrepeats) {
		if (nrepeats == REPEAT_KINDS)
			return 0;
		repeats[nrepeats++] = (struct repeat){xstrdup(file), fmt, level, 0};
	}
	return ++repeats[i].seen > REPEAT_SHOWN;
}

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

void diag_set_sink(FILE *f)
{
	sink = f;
}

void diag_reset(void)
{
	error_count = warning_count = 0;
	for (size_t i = 0; i < nrepeats; i++)
		free(repeats[i].file);
	nrepeats = 0;
}

void diag_flush(void)
{
	size_t n = nrepeats;
	nrepeats = 0;	/* the summaries themselves are not counted */
	for (size_t i = 0; i < n; i++) {
		long more = repeats[i].seen - REPEAT_SHOWN;
		if (more > 0) {
			char num[32];
			int len = snprintf(num, sizeof num, "%ld", more);
			char grouped[48];
			int o = 0;
			for (int k = 0; k < len; k++) {
				if (k && (len - k) % 3 == 0)
					grouped[o++] = ' ';
				grouped[o++] = num[k];
			}
			grouped[o] = '\0';
			/* a summary, not another error: the counts stay */
			int errors = error_count, warnings = warning_count;
			diag(repeats[i].level, repeats[i].file, 0, "… and %s more like it", grouped);
			error_count = errors;
			warning_count = warnings;
		}
		free(repeats[i].file);
	}
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
	if (level >= DIAG_WARNING && file && line > 0 && repeated(level, file, fmt))
		return;

	/* The whole message is made first and written in one call: workers
	 * report at the same time, and their lines must not interleave. */
	struct strbuf out = {0};
	sb_adds(&out, "samfakt: ");
	if (file && line > 0)
		sb_addf(&out, "%s:%d: ", file, line);
	else if (file)
		sb_addf(&out, "%s: ", file);
	if (level != DIAG_NOTE)
		sb_addf(&out, "%s: ", level_names[level]);
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
			sb_adds(&out, "\\n");
		else if (*p == '\r')
			sb_adds(&out, "\\r");
		else if (*p == '\t')
			sb_adds(&out, "\\t");
		else if (*p < 0x20 || *p == 0x7F)
			sb_addf(&out, "\\x%02X", *p);
		else
			sb_add(&out, (const char *)p, 1);
	}
	sb_adds(&out, "\n");
	FILE *f = sink ? sink : stderr;
	fwrite(out.buf, 1, out.len, f);
	fflush(f);
	sb_release(&out);
}

static struct strbuf summaries;	/* the lines, each ending in a line break */
static int summary_wrote;
static char *summary_of;

void summary_context(const char *config)
{
	free(summary_of);
	summary_of = config ? xstrdup(config) : NULL;
}

void summary(int wrote, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* each line begins with whether its run wrote: '1' or '0' */
	sb_addf(&summaries, "%d%s%s%s\n", wrote != 0, summary_of ? summary_of : "", summary_of ? ": " : "", msg);
	summary_wrote |= wrote;
}

void diag_finish(void)
{
	diag_flush();
	int errors = error_count, warnings = warning_count, v = verbosity;
	if (summaries.len && v >= -1 && (v >= 0 || summary_wrote || warnings || errors)) {
		verbosity = 0;	/* shown under -q, when it is shown */
		for (char *line = summaries.buf, *end; (end = strchr(line, '\n')); line = end + 1) {
			*end = '\0';
			int wrote = line[0] == '1';
			if (v < 0 && !wrote && !warnings && !errors)
				continue;	/* -q: of a run that did nothing */
			if (v < 0 && warnings && !end[1])	/* the last: what -q hid */
				diag(DIAG_NOTE, NULL, 0, "%s (%d warning%s: run without -q to read %s)", line + 1,
				     warnings, warnings == 1 ? "" : "s", warnings == 1 ? "it" : "them");
			else
				diag(DIAG_NOTE, NULL, 0, "%s", line + 1);
		}
		verbosity = v;
		error_count = errors;
		warning_count = warnings;
	}
	sb_release(&summaries);
	summary_wrote = 0;
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
