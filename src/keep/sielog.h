/* sielog.h - what export sie has handed to the ledger: the export log.
 *
 * Beside the journal (fakturajournal.csv: fakturajournal-sie.csv), one row
 * per voucher exported:
 *   year,series,voucher,date,number,part,file
 * the fiscal year and voucher series it was numbered in, its number there,
 * its date, the document it books (and which part: the document, or the
 * release of its prepaid income), and the file that first carried it. A
 * voucher keeps its number for good: export sie writes only the vouchers
 * the log does not hold, into a new file, and --all writes them all again
 * with the numbers they have. The log is written after the file, so a
 * run killed between them writes the same file again next time. */
#ifndef SAMFAKT_SIELOG_H
#define SAMFAKT_SIELOG_H

#include <stddef.h>

#include "base/date.h"
#include "base/util.h"

enum sie_part {
	SIE_DOCUMENT,	/* the document on its date */
	SIE_RELEASE,	/* its prepaid income released on 1 January */
};

/* The journal's word for a part ("document", "release"), and back. */
const char *sie_part_name(enum sie_part part);
int sie_part_parse(const char *name, enum sie_part *part);

struct sie_logged {
	int year;
	const char *series;
	long voucher;
	date_t date;
	const char *number;
	enum sie_part part;
	const char *file;	/* its name, in OUTPUT/YEAR */
	int line;		/* 0: added by this run */
};

struct sie_log {
	char *path;
	int exists;
	size_t n, cap;
	struct sie_logged *rows;
	struct arena texts;
};

/* The log of the journal at journal_path ("X.csv": "X-sie.csv"). */
char *sie_log_path(const char *journal_path);

/* Read the log (a missing file is an empty log). -1 after naming every
 * bad line. */
int sie_log_load(struct sie_log *log, const char *journal_path);
void sie_log_release(struct sie_log *log);

/* The row of number's part, or NULL. */
const struct sie_logged *sie_log_find(const struct sie_log *log, const char *number, enum sie_part part);

/* The highest voucher number of year and series (0: none). */
long sie_log_last(const struct sie_log *log, int year, const char *series);

void sie_log_add(struct sie_log *log, const struct sie_logged *row);

/* Put the log in place (atomically). 0, or -1 after a message. */
int sie_log_write(const struct sie_log *log);

#endif
