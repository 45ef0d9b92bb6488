/* sbd.h - an e-invoice in its Peppol Business Message Envelope.
 *
 * An access point takes a Standard Business Document (SBDH 1.3, Peppol
 * Business Message Envelope 2.0): a header naming the sender and receiver
 * (the seller's and the buyer's Peppol ids, as the UBL's EndpointIDs say
 * them), the document (the UBL namespace, 2.1, Invoice or CreditNote, a
 * unique instance identifier, when it was made) and its business scope
 * (the BIS Billing 3.0 document type, the billing process, the sender's
 * country C1), then the UBL document itself, unchanged.
 *
 * Like the e-invoice, the envelope is a rendering of one issued document:
 * the same document and e-invoice give the same bytes. The instance
 * identifier is a UUID made from the seller's Peppol id, the cooperation,
 * the document's number and its e-invoice's fingerprint (which its record
 * holds): another document never has it, and the same one always does.
 * The creation time is the document's date, at midnight UTC. */
#ifndef SAMFAKT_SBD_H
#define SAMFAKT_SBD_H

#include <stddef.h>

#include "keep/document.h"

#define SBD_UUID_BUFSZ 37

/* The envelope's instance identifier of doc, whose e-invoice has the
 * SHA-256 ubl_sha256 (as its record holds it): "xxxxxxxx-xxxx-5xxx-…". */
char *sbd_instance_id(const struct document *doc, const char *ubl_sha256, char buf[SBD_UUID_BUFSZ]);

/* The envelope of doc around its e-invoice (ubl, len bytes, as ubl_render
 * made it), in a malloc'd buffer. Returns 0, or -1 after a message naming
 * what. */
int sbd_render(const struct document *doc, const char *ubl, size_t len, const char *what, char **out,
	       size_t *out_len);

#endif
