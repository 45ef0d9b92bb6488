/* ubl.h - an issued document as a Peppol e-invoice.
 *
 * Peppol BIS Billing 3.0 is the European e-invoice (EN 16931) as UBL 2.1
 * XML, the form Swedish municipalities receive invoices in. An invoice is
 * an Invoice (type code 380); a credit note a CreditNote (381) naming the
 * invoice it credits, with positive amounts as UBL wants them. Like the
 * PDF, the XML is a rendering of one document: it computes no money and
 * reads nothing else, so an issued one is made again byte for byte from
 * its record. The PDF rides along inside it (AdditionalDocumentReference),
 * as Swedish receivers expect to see the invoice image.
 *
 * Written with libxml2's text writer: UTF-8, the same bytes every run. */
#ifndef SAMFAKT_UBL_H
#define SAMFAKT_UBL_H

#include <stddef.h>

#include "keep/document.h"

/* The e-invoice of doc (an issued document: document_has_einvoice_data)
 * with pdf (len bytes, its file name pdf_name) embedded, in a malloc'd
 * buffer (*out, *out_len). Returns 0, or -1 after a message naming what. */
int ubl_render(const struct document *doc, const char *pdf_name, const char *pdf, size_t len,
	       const char *what, char **out, size_t *out_len);

#endif
