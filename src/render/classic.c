/* classic.c - the drawing of samfakt 1.0's documents, kept so that the
 * invoices it issued (their records say layout 2 or less) are remade from
 * their records byte for byte: every page operation as libharu writes it
 * (colours in RGB, its own text operators), each page's content
 * compressed at zlib's default level, and the pages past the fourth
 * sharing one resource dictionary. Everything samfakt makes now is slim
 * (pdf.c). */
#include <math.h>
#include <stdlib.h>
#include <zlib.h>

#include "render/haru.h"
#include "render/pdf_impl.h"

void classic_end_text(struct pdf *pdf)
{
	HPDF_Page_EndText(pdf->page);
}

void classic_set_fill(struct pdf *pdf, struct pdf_color c)
{
	HPDF_Page_SetRGBFill(pdf->page, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
}

void classic_stroke_black(struct pdf *pdf)
{
	HPDF_Page_SetRGBStroke(pdf->page, 0, 0, 0);
}

/* The page's content as libharu wrote it, compressed as libharu would. */
void classic_seal_page(struct pdf *pdf)
{
	size_t raw;
	unsigned char *in = haru_page_content(pdf->page, &raw);
	if (!in)
		return;	/* sealed before */
	size_t zlen;
	unsigned char *z = pdf_deflate_bytes(in, raw, Z_DEFAULT_COMPRESSION, &zlen);
	if (!z)
		pdf_fail(pdf, "cannot compress a page");
	else
		haru_page_set_compressed(pdf->page, z, zlen, 0);
	free(in);
	free(z);
}

/* A classic document's pages past the fourth share one resource
 * dictionary, their fonts named in it once: kept only so that a classic
 * invoice of more than four pages is remade to the same bytes. Slim
 * invoices give each page its own, as libharu does (2 KB a page);
 * reports share one on every page (pdf_new_report). */
#define PAGES_KEPT 4

void classic_page_added(struct pdf *pdf)
{
	if (pdf->npages > PAGES_KEPT)
		pdf_share_resources(pdf);
}

void classic_show(struct pdf *pdf, HPDF_Font hf, double size, double x, double y, struct pdf_color c,
		  const char *encoded)
{
	if (!pdf->in_text) {
		HPDF_Page_BeginText(pdf->page);
		pdf->in_text = 1;
	}
	if (!pdf->fill_known || pdf->cur_fill.r != c.r || pdf->cur_fill.g != c.g || pdf->cur_fill.b != c.b) {
		classic_set_fill(pdf, c);
		pdf->cur_fill = c;
		pdf->fill_known = 1;
	}
	if (hf != pdf->cur_font || size != pdf->cur_size) {
		HPDF_Page_SetFontAndSize(pdf->page, hf, (HPDF_REAL)size);
		pdf->cur_font = hf;
		pdf->cur_size = size;
	}
	HPDF_Page_TextOut(pdf->page, (HPDF_REAL)(x * MM), (HPDF_REAL)((PDF_PAGE_HEIGHT - y) * MM),
			  encoded);
}

void classic_rotated(struct pdf *pdf, HPDF_Font hf, double size, double x, double y, double r,
		     const char *s)
{
	HPDF_REAL co = (HPDF_REAL)cos(r), si = (HPDF_REAL)sin(r);
	HPDF_Page_BeginText(pdf->page);
	HPDF_Page_SetFontAndSize(pdf->page, hf, (HPDF_REAL)size);
	HPDF_Page_SetTextMatrix(pdf->page, co, si, -si, co, (HPDF_REAL)(x * MM),
				(HPDF_REAL)((PDF_PAGE_HEIGHT - y) * MM));
	HPDF_Page_ShowText(pdf->page, s);
	HPDF_Page_EndText(pdf->page);
}

void classic_line(struct pdf *pdf, double x1, double y1, double x2, double y2, double width)
{
	HPDF_Page_SetLineWidth(pdf->page, (HPDF_REAL)width);
	HPDF_Page_MoveTo(pdf->page, (HPDF_REAL)(x1 * MM), (HPDF_REAL)((PDF_PAGE_HEIGHT - y1) * MM));
	HPDF_Page_LineTo(pdf->page, (HPDF_REAL)(x2 * MM), (HPDF_REAL)((PDF_PAGE_HEIGHT - y2) * MM));
	HPDF_Page_Stroke(pdf->page);
}

void classic_fill_rect(struct pdf *pdf, double x, double y, double w, double h)
{
	HPDF_Page_Rectangle(pdf->page, (HPDF_REAL)(x * MM),
			    (HPDF_REAL)((PDF_PAGE_HEIGHT - y - h) * MM), (HPDF_REAL)(w * MM),
			    (HPDF_REAL)(h * MM));
	HPDF_Page_Fill(pdf->page);
}
