/* invoice.h - the invoice as an A4 PDF, in Swedish.
 *
 * Renders one document (document.h): places and formats its fields, never
 * computes them, and reads nothing else. A draft (no number) carries
 * UTKAST on the page and no number or OCR reference. */
#ifndef SAMFAKT_INVOICE_H
#define SAMFAKT_INVOICE_H

#include <stddef.h>

#include "keep/document.h"

/* Render doc into a malloc'd PDF in *out. what names the file being made,
 * for messages. The same document always gives the same bytes. Returns 0
 * or -1. */
int invoice_render(const struct document *doc, const char *what, char **out, size_t *len);

#endif
