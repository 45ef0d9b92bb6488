/* pdf.h - a small drawing surface for A4 documents, on top of libharu.
 *
 * The only module that includes <hpdf.h>. Coordinates are millimetres from
 * the top-left corner of the page; text is UTF-8 and is set in DejaVu Sans,
 * embedded in the file. Text must fit in Windows-1252 (all of Swedish,
 * and € – × »); any other character makes pdf_finish fail with a message
 * naming it.
 *
 * Errors are sticky: after the first failure every drawing call does
 * nothing, and pdf_finish reports it. Callers draw without checking and
 * check once at the end. */
#ifndef SAMFAKT_PDF_H
#define SAMFAKT_PDF_H

#include <stddef.h>

#include "date.h"

struct pdf;

enum pdf_font {
	PDF_REGULAR,
	PDF_BOLD,
};

#define PDF_PAGE_WIDTH 210.0
#define PDF_PAGE_HEIGHT 297.0

/* A new document, deterministic: the same calls give the same bytes. */
struct pdf *pdf_new(void);
void pdf_free(struct pdf *pdf);

/* Title, author, subject and the date the document carries (not the
 * clock's: output must not change from one run to the next). */
void pdf_set_info(struct pdf *pdf, const char *title, const char *author,
		  const char *subject, date_t date);

void pdf_add_page(struct pdf *pdf);

/* Text with its baseline at (x, y); pdf_text_right ends at x. */
void pdf_text(struct pdf *pdf, enum pdf_font font, double size, double x, double y,
	      const char *utf8);
void pdf_text_right(struct pdf *pdf, enum pdf_font font, double size, double x, double y,
		    const char *utf8);
/* Rotated by degrees counter-clockwise, in gray (0 black, 1 white). */
void pdf_text_rotated(struct pdf *pdf, enum pdf_font font, double size, double x, double y,
		      double degrees, double gray, const char *utf8);
/* Width in millimetres of utf8 set in font at size. */
double pdf_text_width(struct pdf *pdf, enum pdf_font font, double size, const char *utf8);

void pdf_line(struct pdf *pdf, double x1, double y1, double x2, double y2, double width);
void pdf_fill_rect(struct pdf *pdf, double x, double y, double w, double h, double gray);

/* Serialise to memory. On success *out (malloc'd) and *len are set and 0
 * is returned; on any error during the document's life, -1 after a
 * message naming `what` (the file being made). */
int pdf_finish(struct pdf *pdf, const char *what, char **out, size_t *len);

#endif
