/* pdf_impl.h - inside the pdf.h surface: the document as the three files
 * behind it share it (pdf.c draws, pdfdoc.c makes the document: fonts,
 * PDF/A, compression, saving; classic.c draws as samfakt 1.0 drew, for the
 * byte-exact restore of the invoices it issued). Nothing else includes it. */
#ifndef SAMFAKT_PDF_IMPL_H
#define SAMFAKT_PDF_IMPL_H

#include <hpdf.h>

#include "base/util.h"
#include "render/pdf.h"

#define MM (72.0 / 25.4)
#define MAX_OUTLINE_DEPTH 6

struct pdf {
	HPDF_Doc doc;
	HPDF_Page page;
	HPDF_Font fonts[PDF_NFONTS];
	HPDF_Encoder encoder;
	int classic;		/* drawn as samfakt 1.0 drew documents */
	int rgb_used;		/* a colour not grey: needs the sRGB profile */
	int measuring;		/* pdf_measure_only: pages counted, nothing drawn */
	/* The widths of the characters measured so far (Windows-1252 bytes),
	 * in the font's units, 0 when not yet: what libharu would say again,
	 * for the cost of a look-up. */
	unsigned short widths[PDF_NFONTS][256];
	/* A slim page's content, written here (see "slim pages"), and where
	 * the text line begins, in thousandths of a point. */
	struct strbuf content;
	long line_x, line_y;
	size_t npages, pages_cap;
	size_t counted;		/* pages added while measuring only */
	HPDF_Page *pages;
	HPDF_Outline outline_parent[MAX_OUTLINE_DEPTH + 1];
	char *title, *author, *subject;	/* UTF-8, for the XMP metadata */
	char *producer;			/* what made it: "samfakt 1.0.0 with libharu" */
	/* What the page's content stream has set, so that text in a row
	 * shares one text object and repeats no operator. */
	int in_text;
	HPDF_Font cur_font;
	double cur_size;
	struct pdf_color cur_fill;
	int fill_known;
	date_t date;
	int report;		/* pdf_new_report: every page shares the resources */
	HPDF_Dict resources;	/* classic: of the pages past the fourth, shared;
				   report: of every page */
	HPDF_Dict shared_fonts;	/* its font dictionary */
	char message[1200];	/* the first error */
	int failed;
};

/* The current page shares the document's one resource dictionary (made
 * the first time). */
void pdf_share_resources(struct pdf *pdf);
/* The first failure of a document: kept, and said when it is saved. */
void pdf_fail(struct pdf *pdf, const char *message);
/* The font of a style, loaded the first time it is used (NULL: failed). */
HPDF_Font pdf_font_of(struct pdf *pdf, enum pdf_font f);
/* Leave the current page: its content compressed, its state forgotten. */
void pdf_leave_page(struct pdf *pdf);
/* zlib's deflate as libharu's pages have it, at level (the bytes of
 * compress2), and as slim pages have it (see pdfdoc.c). malloc'd. */
unsigned char *pdf_deflate_bytes(const void *in, size_t len, int level, size_t *zlen);
unsigned char *pdf_deflate_page(const void *in, size_t len, int report, size_t *zlen);

/* classic.c: a classic document's page operations, as libharu writes them. */
void classic_end_text(struct pdf *pdf);
void classic_set_fill(struct pdf *pdf, struct pdf_color c);
void classic_seal_page(struct pdf *pdf);
void classic_page_added(struct pdf *pdf);
void classic_stroke_black(struct pdf *pdf);
void classic_show(struct pdf *pdf, HPDF_Font hf, double size, double x, double y, struct pdf_color c,
		  const char *encoded);
void classic_rotated(struct pdf *pdf, HPDF_Font hf, double size, double x, double y, double radians,
		     const char *encoded);
void classic_line(struct pdf *pdf, double x1, double y1, double x2, double y2, double width);
void classic_fill_rect(struct pdf *pdf, double x, double y, double w, double h);

#endif
