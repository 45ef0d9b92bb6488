/* floor.c - what libharu itself costs for a run of invoices, the floor
 * make bench measures samfakt against: N documents of P pages each, A4,
 * with 40 lines of invoice-like text a page in one embedded TrueType font
 * (DejaVu Sans, the slim subset samfakt ships), compressed, each saved to
 * a file of its own, on one core. The font is loaded once a run: one
 * document object is reused (HPDF_NewDoc keeps loaded fonts for the next
 * document), as bare libharu would do it at its best. No fsync, no
 * metadata, no colour profile, no second font: nothing samfakt must do
 * and a bare program need not.
 *
 * Usage: floor DIR N PAGES FONT_FILE */
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
	if (argc != 5) {
		fprintf(stderr, "usage: floor DIR N PAGES FONT_FILE\n");
		return 2;
	}
	int n = atoi(argv[2]), pages = atoi(argv[3]);
	HPDF_Doc pdf = HPDF_New(on_error, NULL);
	const char *name = HPDF_LoadTTFontFromFile(pdf, argv[4], HPDF_TRUE);
	for (int i = 0; i < n; i++) {
		HPDF_NewDoc(pdf);	/* frees the last document, keeps the font */
		HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
		HPDF_Font font = HPDF_GetFont(pdf, name, "WinAnsiEncoding");
		for (int p = 0; p < (pages > 0 ? pages : 1); p++) {
			HPDF_Page page = HPDF_AddPage(pdf);
			HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
			HPDF_Page_BeginText(page);
			HPDF_Page_SetFontAndSize(page, font, 9);
			for (int line = 0; line < 40; line++) {
				char text[128];
				snprintf(text, sizeof text, "Rad %d: Bodens kommun, 212000-2718, 70 900,00 kr, %d",
					 line, i);
				HPDF_Page_TextOut(page, 50, (HPDF_REAL)(800 - line * 18), text);
			}
			HPDF_Page_EndText(page);
		}
		char path[1024];
		snprintf(path, sizeof path, "%s/floor-%05d.pdf", argv[1], i);
		HPDF_SaveToFile(pdf, path);
	}
	HPDF_Free(pdf);
	return 0;
}
