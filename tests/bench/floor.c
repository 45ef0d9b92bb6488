/* floor.c - what libharu itself costs: N one-page A4 PDFs with the same
 * fonts as samfakt's invoices (DejaVu Sans and Sans Bold, embedded), about
 * the same amount of text, the same compression, and nothing else. make
 * bench runs it beside samfakt to measure samfakt / floor.
 *
 * Usage: floor DIR N FONT_DIR */
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>

static void on_error(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
	(void)u;
	fprintf(stderr, "floor: libharu error 0x%04X (%u)\n", (unsigned)e, (unsigned)d);
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: floor DIR N FONT_DIR\n");
		return 2;
	}
	int n = atoi(argv[2]);
	char regular[512], bold[512];
	snprintf(regular, sizeof regular, "%s/DejaVuSans.ttf", argv[3]);
	snprintf(bold, sizeof bold, "%s/DejaVuSans-Bold.ttf", argv[3]);
	for (int i = 0; i < n; i++) {
		HPDF_Doc pdf = HPDF_New(on_error, NULL);
		HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
		HPDF_Font r = HPDF_GetFont(pdf, HPDF_LoadTTFontFromFile(pdf, regular, HPDF_TRUE),
					   "WinAnsiEncoding");
		HPDF_Font b = HPDF_GetFont(pdf, HPDF_LoadTTFontFromFile(pdf, bold, HPDF_TRUE),
					   "WinAnsiEncoding");
		HPDF_Page page = HPDF_AddPage(pdf);
		HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
		/* 40 lines of invoice-like text, a quarter of them bold. */
		for (int line = 0; line < 40; line++) {
			char text[128];
			snprintf(text, sizeof text, "Rad %d: Bodens kommun, 212000-2718, 70 900,00 kr, %d",
				 line, i);
			HPDF_Page_BeginText(page);
			HPDF_Page_SetFontAndSize(page, line % 4 ? r : b, 9);
			HPDF_Page_TextOut(page, 50, (HPDF_REAL)(800 - line * 18), text);
			HPDF_Page_EndText(page);
		}
		char path[1024];
		snprintf(path, sizeof path, "%s/floor-%05d.pdf", argv[1], i);
		HPDF_SaveToFile(pdf, path);
		HPDF_Free(pdf);
	}
	return 0;
}
