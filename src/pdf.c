/* pdf.c - libharu behind the pdf.h surface: fonts, encoding, errors. */
#include "pdf.h"

#include <errno.h>
#include <hpdf.h>
#include <iconv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

#ifndef FONT_DIR
#define FONT_DIR "/usr/share/fonts/truetype/dejavu"
#endif

#define MM (72.0 / 25.4)

struct pdf {
	HPDF_Doc doc;
	HPDF_Page page;
	HPDF_Font fonts[2];
	iconv_t to_cp1252;
	/* the first error: libharu's codes, or our own message */
	HPDF_STATUS error, detail;
	char message[700];
	int failed;
};

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	struct pdf *pdf = user;
	if (!pdf->failed) {
		pdf->error = error;
		pdf->detail = detail;
		snprintf(pdf->message, sizeof pdf->message, "libharu error 0x%04X (detail %u)",
			 (unsigned)error, (unsigned)detail);
	}
	pdf->failed = 1;
}

static void fail(struct pdf *pdf, const char *message)
{
	if (!pdf->failed)
		snprintf(pdf->message, sizeof pdf->message, "%s", message);
	pdf->failed = 1;
}

static const char *load_font(struct pdf *pdf, const char *file)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", FONT_DIR, file);
	const char *name = HPDF_LoadTTFontFromFile(pdf->doc, path, HPDF_TRUE);
	if (!name) {
		char msg[600];
		snprintf(msg, sizeof msg, "cannot load font %s (package fonts-dejavu-core)", path);
		pdf->failed = 0;
		fail(pdf, msg);
	}
	return name;
}

struct pdf *pdf_new(void)
{
	struct pdf *pdf = xcalloc(1, sizeof *pdf);
	pdf->to_cp1252 = iconv_open("CP1252", "UTF-8");
	if (pdf->to_cp1252 == (iconv_t)-1)
		BUG("iconv cannot convert to CP1252: %s", strerror(errno));
	pdf->doc = HPDF_New(on_error, pdf);
	if (!pdf->doc) {
		fail(pdf, "cannot create a PDF document (out of memory?)");
		return pdf;
	}
	HPDF_SetCompressionMode(pdf->doc, HPDF_COMP_ALL);
	const char *regular = load_font(pdf, "DejaVuSans.ttf");
	const char *bold = load_font(pdf, "DejaVuSans-Bold.ttf");
	if (regular && bold) {
		pdf->fonts[PDF_REGULAR] = HPDF_GetFont(pdf->doc, regular, "WinAnsiEncoding");
		pdf->fonts[PDF_BOLD] = HPDF_GetFont(pdf->doc, bold, "WinAnsiEncoding");
	}
	return pdf;
}

void pdf_free(struct pdf *pdf)
{
	if (!pdf)
		return;
	if (pdf->doc)
		HPDF_Free(pdf->doc);
	iconv_close(pdf->to_cp1252);
	free(pdf);
}

/* UTF-8 to Windows-1252, or NULL (and the document fails) when a character
 * has no place there. The result is malloc'd. */
static char *encode(struct pdf *pdf, const char *utf8)
{
	size_t in_left = strlen(utf8), out_left = in_left + 1;
	char *out = xmalloc(out_left), *o = out, *in = (char *)utf8;
	iconv(pdf->to_cp1252, NULL, NULL, NULL, NULL);
	if (iconv(pdf->to_cp1252, &in, &in_left, &o, &out_left) == (size_t)-1) {
		char msg[200];
		int n = 1;
		while (n < 4 && ((unsigned char)in[n] & 0xC0) == 0x80)
			n++;
		snprintf(msg, sizeof msg,
			 "character '%.*s' cannot be printed (the PDF font encoding is Windows-1252)",
			 n, in);
		fail(pdf, msg);
		free(out);
		return NULL;
	}
	*o = '\0';
	return out;
}

static int ready(struct pdf *pdf)
{
	return !pdf->failed && pdf->page;
}

void pdf_set_info(struct pdf *pdf, const char *title, const char *author,
		  const char *subject, date_t date)
{
	if (pdf->failed)
		return;
	/* Document info strings are PDFDocEncoding, which matches
	 * Windows-1252 for Swedish letters. */
	char *t = encode(pdf, title), *a = encode(pdf, author), *s = encode(pdf, subject);
	if (t && a && s) {
		HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_TITLE, t);
		HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_AUTHOR, a);
		HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_SUBJECT, s);
		HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_CREATOR, "samfakt");
		int y, m, d;
		date_to_ymd(date, &y, &m, &d);
		HPDF_Date hd = {y, m, d, 0, 0, 0, '+', 0, 0};
		HPDF_SetInfoDateAttr(pdf->doc, HPDF_INFO_CREATION_DATE, hd);
	}
	free(t);
	free(a);
	free(s);
}

void pdf_add_page(struct pdf *pdf)
{
	if (pdf->failed)
		return;
	pdf->page = HPDF_AddPage(pdf->doc);
	HPDF_Page_SetSize(pdf->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
}

static void show(struct pdf *pdf, enum pdf_font font, double size, double x, double y,
		 const char *encoded)
{
	HPDF_Page_BeginText(pdf->page);
	HPDF_Page_SetFontAndSize(pdf->page, pdf->fonts[font], (HPDF_REAL)size);
	HPDF_Page_TextOut(pdf->page, (HPDF_REAL)(x * MM), (HPDF_REAL)((PDF_PAGE_HEIGHT - y) * MM),
			  encoded);
	HPDF_Page_EndText(pdf->page);
}

void pdf_text(struct pdf *pdf, enum pdf_font font, double size, double x, double y,
	      const char *utf8)
{
	if (!ready(pdf))
		return;
	char *s = encode(pdf, utf8);
	if (s)
		show(pdf, font, size, x, y, s);
	free(s);
}

static double width_of(struct pdf *pdf, enum pdf_font font, double size, const char *encoded)
{
	HPDF_TextWidth tw = HPDF_Font_TextWidth(pdf->fonts[font], (const HPDF_BYTE *)encoded,
						(HPDF_UINT)strlen(encoded));
	return tw.width * size / 1000.0 / MM;
}

double pdf_text_width(struct pdf *pdf, enum pdf_font font, double size, const char *utf8)
{
	if (pdf->failed)
		return 0;
	char *s = encode(pdf, utf8);
	double w = s ? width_of(pdf, font, size, s) : 0;
	free(s);
	return w;
}

void pdf_text_right(struct pdf *pdf, enum pdf_font font, double size, double x, double y,
		    const char *utf8)
{
	if (!ready(pdf))
		return;
	char *s = encode(pdf, utf8);
	if (s)
		show(pdf, font, size, x - width_of(pdf, font, size, s), y, s);
	free(s);
}

void pdf_text_rotated(struct pdf *pdf, enum pdf_font font, double size, double x, double y,
		      double degrees, double gray, const char *utf8)
{
	if (!ready(pdf))
		return;
	char *s = encode(pdf, utf8);
	if (!s)
		return;
	double r = degrees * 3.14159265358979323846 / 180.0;
	HPDF_REAL c = (HPDF_REAL)cos(r), sn = (HPDF_REAL)sin(r);
	HPDF_Page_SetGrayFill(pdf->page, (HPDF_REAL)gray);
	HPDF_Page_BeginText(pdf->page);
	HPDF_Page_SetFontAndSize(pdf->page, pdf->fonts[font], (HPDF_REAL)size);
	HPDF_Page_SetTextMatrix(pdf->page, c, sn, -sn, c, (HPDF_REAL)(x * MM),
				(HPDF_REAL)((PDF_PAGE_HEIGHT - y) * MM));
	HPDF_Page_ShowText(pdf->page, s);
	HPDF_Page_EndText(pdf->page);
	HPDF_Page_SetGrayFill(pdf->page, 0);
	free(s);
}

void pdf_line(struct pdf *pdf, double x1, double y1, double x2, double y2, double width)
{
	if (!ready(pdf))
		return;
	HPDF_Page_SetLineWidth(pdf->page, (HPDF_REAL)width);
	HPDF_Page_MoveTo(pdf->page, (HPDF_REAL)(x1 * MM), (HPDF_REAL)((PDF_PAGE_HEIGHT - y1) * MM));
	HPDF_Page_LineTo(pdf->page, (HPDF_REAL)(x2 * MM), (HPDF_REAL)((PDF_PAGE_HEIGHT - y2) * MM));
	HPDF_Page_Stroke(pdf->page);
}

void pdf_fill_rect(struct pdf *pdf, double x, double y, double w, double h, double gray)
{
	if (!ready(pdf))
		return;
	HPDF_Page_SetGrayFill(pdf->page, (HPDF_REAL)gray);
	HPDF_Page_Rectangle(pdf->page, (HPDF_REAL)(x * MM),
			    (HPDF_REAL)((PDF_PAGE_HEIGHT - y - h) * MM), (HPDF_REAL)(w * MM),
			    (HPDF_REAL)(h * MM));
	HPDF_Page_Fill(pdf->page);
	HPDF_Page_SetGrayFill(pdf->page, 0);
}

int pdf_finish(struct pdf *pdf, const char *what, char **out, size_t *len)
{
	if (!pdf->failed && HPDF_SaveToStream(pdf->doc) == HPDF_OK) {
		HPDF_UINT32 size = HPDF_GetStreamSize(pdf->doc);
		char *buf = xmalloc(size ? size : 1);
		HPDF_UINT32 got = size;
		HPDF_ResetStream(pdf->doc);
		if (HPDF_ReadFromStream(pdf->doc, (HPDF_BYTE *)buf, &got) == HPDF_OK ||
		    got == size) {
			*out = buf;
			*len = got;
			return 0;
		}
		free(buf);
		fail(pdf, "cannot read the document back from memory");
	}
	error_at(what, 0, "cannot make PDF: %s", pdf->message);
	return -1;
}
