/* sie.h - issued documents as an SIE 4 file for the host's ledger.
 *
 * SIE is the Swedish file format accounting systems import bookkeeping
 * from; type 4I is vouchers to import. Each issued document is booked in
 * the fiscal year of its own date (the calendar year):
 *   - issued in its period's year (or later): one voucher on its date, the
 *     receivable (debit) against income per pool and output VAT (credit);
 *   - issued before its period's year (H1's invoices in December): one
 *     voucher on its date, the receivable against prepaid income
 *     (förutbetalda intäkter, [ledger] prepaid) and VAT, and a release on
 *     1 January of its period's year, prepaid income against income per
 *     pool — a voucher of that year's file.
 * A credit note, whose amounts are negative, is booked the same way and so
 * reverses its invoice. Like the PDF and the e-invoice, the file is a
 * rendering of issued documents: the amounts and pools are the records';
 * only the chart of accounts ([ledger] and each pool's account) is today's
 * configuration. The file is CP437 (#FORMAT PC8), as the format demands,
 * and the same vouchers give the same bytes. */
#ifndef SAMFAKT_SIE_H
#define SAMFAKT_SIE_H

#include <stddef.h>

#include "base/util.h"
#include "keep/document.h"
#include "keep/sielog.h"
#include "model/model.h"

struct sie_voucher {
	size_t doc;		/* index into the documents */
	enum sie_part part;
	date_t date;
	long number;		/* in its year's series, from 1; 0: not numbered yet */
};

/* Every voucher of docs (n issued documents, in journal order), in order
 * of date, then document, then part, into *out (malloc'd). Returns how many. */
size_t sie_vouchers(const struct document *docs, size_t n, struct sie_voucher **out);

/* Can docs be booked with cfg's accounts? Names every document whose pool
 * has no account (paths: each one's record, for messages). 0 or -1. */
int sie_check(const struct config *cfg, const struct document *docs, const char *const *paths, size_t n);

/* The SIE file of fiscal year `year` holding vouchers v (nv of them, of
 * docs, checked by sie_check), in CP437, appended to out. 0, or -1. */
int sie_render(const struct config *cfg, int year, const struct document *docs,
	       const struct sie_voucher *v, size_t nv, struct strbuf *out);

#endif
