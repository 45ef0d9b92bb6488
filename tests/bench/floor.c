/* floor.c - what libharu itself costs for a run of invoices: the floor
 * make bench measures samfakt against. It draws the words samfakt's
 * invoices hold (tests/bench/content.py: each word at its place and size)
 * on as many A4 pages, in one embedded TrueType font (the slim DejaVu
 * Sans samfakt ships), compressed, each document saved to a file of its
 * own, on one core. The font is loaded once a run: one document object is
 * reused (HPDF_NewDoc keeps loaded fonts for the next document), as bare
 * libharu would do it at its best. No second font, no metadata, no colour
 * profile, no fsync: nothing samfakt must do and a bare program need not.
 *
 * Usage: floor CONTENT OUT_DIR FONT_FILE */
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_error(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
	(void)u;
	fprintf(stderr, "floor: libharu error 0x%04X (%u)\n", (unsigned)e, (unsigned)d);
	exit(1);
}

static HPDF_Doc pdf;
static int docs;
static const char *out_dir;

static void save(void)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/floor-%05d.pdf", out_dir, docs++);
	HPDF_SaveToFile(pdf, path);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: floor CONTENT OUT_DIR FONT_FILE\n");
		return 2;
	}
	FILE *in = fopen(argv[1], "r");
	if (!in) {
		perror(argv[1]);
		return 1;
	}
	out_dir = argv[2];
	pdf = HPDF_New(on_error, NULL);
	const char *name = HPDF_LoadTTFontFromFile(pdf, argv[3], HPDF_TRUE);
	HPDF_Font font = NULL;
	HPDF_Page page = NULL;
	int open = 0;
	double size = 0;
	char line[4096];
	while (fgets(line, sizeof line, in)) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "D") == 0) {
			if (page)
				HPDF_Page_EndText(page), page = NULL;
			if (open)
				save();
			HPDF_NewDoc(pdf);	/* frees the last document, keeps the font */
			HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
			font = HPDF_GetFont(pdf, name, "WinAnsiEncoding");
			open = 1;
		} else if (strcmp(line, "P") == 0) {
			if (page)
				HPDF_Page_EndText(page);
			page = HPDF_AddPage(pdf);
			HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
			HPDF_Page_BeginText(page);
			size = 0;
		} else if (line[0] == 'W' && page) {
			double s, x, y;
			int n = 0;
			if (sscanf(line, "W %lf %lf %lf %n", &s, &x, &y, &n) != 3)
				continue;
			if (s != size)
				HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)(size = s));
			HPDF_Page_TextOut(page, (HPDF_REAL)x, (HPDF_REAL)y, line + n);
		}
	}
	if (page)
		HPDF_Page_EndText(page);
	if (open)
		save();
	fclose(in);
	HPDF_Free(pdf);
	return 0;
}
