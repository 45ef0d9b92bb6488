/* invoice.h - the invoice as an A4 PDF, in Swedish.
 *
 * Renders one struct invoice of the allocation with its lines (from
 * allocation_lines); places and formats its amounts, never computes them. A draft (number NULL) carries UTKAST on
 * the page and no number or OCR reference. */
#ifndef SAMFAKT_INVOICE_H
#define SAMFAKT_INVOICE_H

#include <stddef.h>

#include "allocate.h"
#include "model.h"

/* Render inv and its inv->nlines lines into a malloc'd PDF in *out.
 * number and ocr are NULL for a draft. what names the file being made, for
 * messages. Returns 0 or -1. */
int invoice_render(const struct model *model, const struct invoice *inv,
		   const struct invoice_line *lines, const char *number, const char *ocr,
		   const char *what, char **out, size_t *len);

#endif
