/* series.h - the number series, kept beside the configuration.
 *
 * A journal lives in the output folder, and an output folder can be moved,
 * deleted or put back from an older backup together with its journal. The
 * series' own memory is beside the configuration, in nummerserier.csv:
 *   prefix,bankgiro,cooperation,journal,last
 * one row per number series: its prefix, the bankgiro its payments go to,
 * the cooperation, where its journal is (an absolute path) and the last
 * number it issued. Every run that issues updates its row after the
 * commit. So:
 *   - `issue --new-journal` for a series that has issued is refused,
 *     naming the journal it last used;
 *   - a journal that is gone, or ends before the series' last number, is
 *     named for what it is (moved, or put back from an older backup);
 *   - two series under one bankgiro whose OCR references could be the
 *     same (configurations beside each other with their own journals) are
 *     refused at check. */
#ifndef SAMFAKT_SERIES_H
#define SAMFAKT_SERIES_H

#include <stddef.h>

#include "model/model.h"

struct series_row {
	char *prefix, *bankgiro, *cooperation, *journal;
	long last;		/* the running number last issued */
	int line;
};

struct series {
	char *path;
	size_t n;
	struct series_row *rows;
};

/* The registry beside the configuration at config_path (a missing file is
 * an empty registry). -1 after naming a bad line. */
int series_load(struct series *s, const char *config_path);
void series_release(struct series *s);

/* The row of prefix, or NULL. */
const struct series_row *series_find(const struct series *s, const char *prefix);

/* Is this configuration's series in harmony with the registry: its journal
 * where the registry says and not cut short (journal_exists, journal_last:
 * the running number it ends at, 0 for none), and no other series under
 * its bankgiro that could give the same OCR reference? Names every
 * problem; 0 or -1. new_journal: issue --new-journal was asked for. */
int series_check(const struct series *s, const struct config *cfg, const char *journal_abs,
		 int journal_exists, long journal_last, int new_journal);

/* Note that cfg's series issued up to `last` in the journal at
 * journal_abs (under a lock of the registry's own). 0, or -1 after a
 * message. */
int series_record(const struct config *cfg, const char *journal_abs, long last);

#endif
