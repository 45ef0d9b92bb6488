/* sie.h - issued documents as an SIE 4 file for the host's ledger.
 *
 * SIE is the Swedish file format accounting systems import bookkeeping
 * from; type 4I is vouchers to import. Each issued invoice is one voucher:
 * the receivable (debit) against income per pool and output VAT (credit);
 * a credit note, whose amounts are negative, reverses its invoice. Like the
 * PDF and the e-invoice, it is a rendering of issued documents: the amounts
 * and pools are the records'; only the chart of accounts ([ledger] and each
 * pool's account) is today's configuration. The file is CP437 (#FORMAT
 * PC8), as the format demands, and the same documents give the same bytes. */
#ifndef SAMFAKT_SIE_H
#define SAMFAKT_SIE_H

#include <stddef.h>

#include "document.h"
#include "model.h"
#include "util.h"

/* The SIE file of docs (n issued documents of cfg's year, in journal
 * order, with the record path of each for messages), in CP437, appended
 * to out. Returns 0, or -1 after naming every line whose pool has no
 * account in cfg. */
int sie_render(const struct config *cfg, const struct document *docs, const char *const *paths,
	       size_t n, struct strbuf *out);

#endif
