/* pdf.h - a small drawing surface for A4 documents, on top of libharu.
 *
 * The only module that includes <hpdf.h>. Coordinates are millimetres from
 * the top-left corner of the page; text is UTF-8 and is set in DejaVu Sans,
 * embedded in the file (a style's font is loaded the first time it is
 * used). Text must fit in Windows-1252 (all of Swedish, and € – × »); any
 * other character makes pdf_finish fail with a message naming it.
 *
 * Every document is PDF/A-1b: document info and matching XMP metadata,
 * an sRGB output intent, and a file identifier made from the content, so
 * that the same calls always give the same bytes.
 *
 * Errors are sticky: after the first failure every drawing call does
 * nothing, and pdf_finish reports it. Callers draw without checking and
 * check once at the end. */
#ifndef SAMFAKT_PDF_H
#define SAMFAKT_PDF_H

#include <stddef.h>

#include "base/date.h"
#include "base/util.h"

struct pdf;

enum pdf_font {
	PDF_REGULAR,
	PDF_BOLD,
	PDF_ITALIC,
	PDF_BOLD_ITALIC,
};
#define PDF_NFONTS 4

struct pdf_color {
	double r, g, b;		/* 0 to 1 */
};
#define PDF_BLACK ((struct pdf_color){0, 0, 0})
#define PDF_GRAY(x) ((struct pdf_color){(x), (x), (x)})

#define PDF_PAGE_WIDTH 210.0
#define PDF_PAGE_HEIGHT 297.0

struct pdf *pdf_new(void);
/* A document drawn as samfakt 1.0 drew them (its fonts, each program
 * compressed by libharu, the colour profile uncompressed): for invoices
 * issued then, remade to the same bytes. */
struct pdf *pdf_new_classic(void);
/* A report (budget summary, plan, follow-up): slim, and every page shares
 * one resource dictionary instead of a copy each (some 2 KB a page held
 * until the save: a report of a thousand pages). Invoices keep theirs, so
 * that an issued one is remade to its bytes. */
struct pdf *pdf_new_report(void);
void pdf_free(struct pdf *pdf);

/* Title, author, subject and the date the document carries: a date of
 * the data, never the clock's, so output does not change between runs. */
/* The producer named in the document info and metadata; by default this
 * samfakt's ("samfakt 1.0.0 with libharu"). Call before pdf_set_info. */
void pdf_set_producer(struct pdf *pdf, const char *producer);
void pdf_set_info(struct pdf *pdf, const char *title, const char *author,
		  const char *subject, date_t date);

/* Add a page and draw on it; returns its index (from 0). */
int pdf_add_page(struct pdf *pdf);
int pdf_page_count(const struct pdf *pdf);
/* From now on only measure: pages are counted, nothing is drawn, and the
 * document cannot be saved (a pass that only finds how many pages a
 * document takes). */
void pdf_measure_only(struct pdf *pdf);
/* Draw on an earlier page again (page numbers, a table of contents). */
void pdf_use_page(struct pdf *pdf, int index);

/* Text with its baseline at (x, y); pdf_text_right ends at x. */
void pdf_text(struct pdf *pdf, enum pdf_font font, double size, double x, double y,
	      const char *utf8);
void pdf_text_right(struct pdf *pdf, enum pdf_font font, double size, double x, double y,
		    const char *utf8);
void pdf_text_color(struct pdf *pdf, enum pdf_font font, double size, double x, double y,
		    struct pdf_color color, const char *utf8);
/* Rotated by degrees counter-clockwise. */
void pdf_text_rotated(struct pdf *pdf, enum pdf_font font, double size, double x, double y,
		      double degrees, struct pdf_color color, const char *utf8);
/* Width in millimetres of utf8 set in font at size. */
double pdf_text_width(struct pdf *pdf, enum pdf_font font, double size, const char *utf8);
/* The same in the font's units, thousandths of the size: of the whole
 * text, and of the first character of utf8 (its length in bytes in
 * *len); pdf_units_mm turns them into millimetres at size exactly as
 * pdf_text_width does. A character that cannot be printed measures 0
 * and fails the document. */
unsigned long pdf_text_units(struct pdf *pdf, enum pdf_font font, const char *utf8);
unsigned long pdf_char_units(struct pdf *pdf, enum pdf_font font, const char *utf8, int *len);
double pdf_units_mm(unsigned long units, double size);
/* The width of utf8 in units when every character of it was measured in
 * this document before (1), without measuring anything; else 0. */
int pdf_known_units(struct pdf *pdf, enum pdf_font font, const char *utf8, unsigned long *units);
/* Does utf8 fit the font's encoding? (Without failing the document.) */
int pdf_can_print(struct pdf *pdf, const char *utf8);

void pdf_line(struct pdf *pdf, double x1, double y1, double x2, double y2, double width);
void pdf_fill_rect(struct pdf *pdf, double x, double y, double w, double h, struct pdf_color c);

/* A bookmark at (page, y), under the last bookmark of level - 1. */
void pdf_outline(struct pdf *pdf, int level, const char *utf8, int page, double y);

/* Serialise to memory. On success *out (malloc'd) and *len are set and 0
 * is returned; on any error during the document's life, -1 after a
 * message naming `what` (the file being made). */
int pdf_finish(struct pdf *pdf, const char *what, char **out, size_t *len);

/* The same, handing the document to out in pieces of about 64 KB as
 * libharu writes it, so that a large document is never held whole a
 * second time. -1 also when out fails (out has said why). */
int pdf_finish_to(struct pdf *pdf, const char *what, write_fn out, void *ctx);

#endif
