/* pdf.c - the drawing surface of pdf.h: pages, text and its widths,
 * lines, rectangles and outlines. Slim documents (everything samfakt makes
 * now) write their pages' content themselves; classic ones (invoices
 * issued by samfakt 1.0, remade to the same bytes) are drawn by classic.c.
 * The document itself (fonts, PDF/A, saving) is pdfdoc.c's. */
#include "render/pdf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/util.h"
#include "render/haru.h"
#include "render/pdf_impl.h"

/* Windows-1252's characters at 0x80 to 0x9F (0: none there). */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* The Windows-1252 byte of code point cp, or -1. */
static int cp1252_byte(unsigned cp)
{
	if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
		return (int)cp;
	for (int i = 0; i < 32; i++)
		if (cp1252_high[i] && cp1252_high[i] == cp)
			return 0x80 + i;
	return -1;
}

/* The code point of the UTF-8 sequence at p and its length (*n), or -1
 * for a malformed one. */
static long utf8_decode(const unsigned char *p, int *n)
{
	unsigned c = p[0];
	int len = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF5 ? 4 : 0;
	if (len == 0)
		return -1;
	unsigned long cp = len == 1 ? c : c & (0x7Fu >> len);
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		cp = cp << 6 | (p[i] & 0x3Fu);
	}
	*n = len;
	return (long)cp;
}

/* The Windows-1252 byte of the UTF-8 character at p, its length in *n;
 * -1 when it is malformed (*n then 1) or has no place there. */
static int cp1252_at(const unsigned char *p, int *n)
{
	long cp = utf8_decode(p, n);
	if (cp < 0) {
		*n = 1;
		return -1;
	}
	return cp1252_byte((unsigned)cp);
}

/* UTF-8 to Windows-1252 (malloc'd), or NULL when a character has no place
 * there; then the document fails too, unless quiet. (A table, not iconv:
 * iconv's conversion was a tenth of the time an invoice took.) */
static char *encode_as(struct pdf *pdf, const char *utf8, int quiet)
{
	const unsigned char *in = (const unsigned char *)utf8;
	char *out = xmalloc(strlen(utf8) + 1), *o = out;
	while (*in) {
		int n;
		int byte = cp1252_at(in, &n);
		if (byte < 0) {
			if (!quiet) {
				char msg[200];
				n = 1;
				while (n < 4 && (in[n] & 0xC0) == 0x80)
					n++;
				snprintf(msg, sizeof msg,
					 "character '%.*s' cannot be printed (the PDF font encoding is Windows-1252)",
					 n, (const char *)in);
				pdf_fail(pdf, msg);
			}
			free(out);
			return NULL;
		}
		*o++ = (char)byte;
		in += n;
	}
	*o = '\0';
	return out;
}

static char *encode(struct pdf *pdf, const char *utf8)
{
	return encode_as(pdf, utf8, 0);
}

int pdf_can_print(struct pdf *pdf, const char *utf8)
{
	char *s = encode_as(pdf, utf8, 1);
	free(s);
	return s != NULL;
}

static int ready(struct pdf *pdf)
{
	return !pdf->failed && pdf->page && !pdf->measuring;
}

/* ---- pages and drawing ------------------------------------------------------ */

/* ---- slim pages ---------------------------------------------------------------
 *
 * libharu's page operators clear a buffer and format their numbers for
 * every call: a sixth of a build's CPU. A slim page's content is
 * written here instead, numbers to a thousandth of a point, and put in
 * place compressed when the page is left (haru_page_set_compressed), as
 * classic pages' are; classic pages keep libharu's operators and bytes. */

/* v, in units of 10^-decimals, as a PDF number and a space. */
static void put_fixed(struct strbuf *sb, long v, int decimals)
{
	char buf[32], *p = buf + sizeof buf;
	long scale = 1;
	for (int i = 0; i < decimals; i++)
		scale *= 10;
	unsigned long a = v < 0 ? (unsigned long)-v : (unsigned long)v;
	unsigned long whole = a / (unsigned long)scale, frac = a % (unsigned long)scale;
	*--p = ' ';
	if (frac) {
		int digits = decimals;
		while (frac % 10 == 0)
			frac /= 10, digits--;
		for (int i = 0; i < digits; i++, frac /= 10)
			*--p = (char)('0' + frac % 10);
		*--p = '.';
	}
	do
		*--p = (char)('0' + whole % 10);
	while (whole /= 10);
	if (v < 0)
		*--p = '-';
	sb_add(sb, p, (size_t)(buf + sizeof buf - p));
}

/* A length in points, to a thousandth. */
static long milli(double points)
{
	return lround(points * 1000.0);
}

static void put_pt(struct strbuf *sb, double points)
{
	put_fixed(sb, milli(points), 3);
}

/* A string of Windows-1252 bytes as a PDF literal string. */
static void put_string(struct strbuf *sb, const char *s)
{
	sb_adds(sb, "(");
	for (const char *run = s;; s++) {
		if (*s && *s != '(' && *s != ')' && *s != '\\' && *s != '\r' && *s != '\n')
			continue;
		sb_add(sb, run, (size_t)(s - run));
		if (!*s)
			break;
		sb_adds(sb, *s == '\r' ? "\\r" : *s == '\n' ? "\\n" : "\\");
		if (*s != '\r' && *s != '\n')
			sb_add(sb, s, 1);
		run = s + 1;
	}
	sb_adds(sb, ")");
}

static void slim_font(struct pdf *pdf, HPDF_Font hf, double size)
{
	const char *name = haru_page_font_name(pdf->page, hf);
	if (!name) {
		pdf_fail(pdf, "cannot name a font on a page");
		return;
	}
	sb_addf(&pdf->content, "/%s ", name);
	put_fixed(&pdf->content, milli(size), 3);
	sb_adds(&pdf->content, "Tf\n");
}

static void end_text(struct pdf *pdf)
{
	if (pdf->in_text) {
		if (pdf->classic)
			classic_end_text(pdf);
		else
			sb_adds(&pdf->content, "ET\n");
	}
	pdf->in_text = 0;
}

static void set_fill(struct pdf *pdf, struct pdf_color c)
{
	if (pdf->fill_known && pdf->cur_fill.r == c.r && pdf->cur_fill.g == c.g &&
	    pdf->cur_fill.b == c.b)
		return;
	if (pdf->classic) {
		classic_set_fill(pdf, c);
	} else if (c.r == c.g && c.g == c.b) {
		put_fixed(&pdf->content, lround(c.r * 1000), 3);
		sb_adds(&pdf->content, "g\n");
	} else {
		put_fixed(&pdf->content, lround(c.r * 1000), 3);
		put_fixed(&pdf->content, lround(c.g * 1000), 3);
		put_fixed(&pdf->content, lround(c.b * 1000), 3);
		sb_adds(&pdf->content, "rg\n");
		pdf->rgb_used = 1;
	}
	pdf->cur_fill = c;
	pdf->fill_known = 1;
}

/* ---- compressing a page as soon as it is left ----------------------------
 *
 * libharu holds every page's content stream as it was written until the
 * document is saved, and only then compresses it: a report of 800 pages
 * held 13 MB of page text. Here a page's stream is compressed when the
 * page is left (a classic page with zlib's default level as libharu would,
 * the same bytes; a slim page, whose content is ours, at PAGE_LEVEL) and
 * written out as it is, with the /Filter entry libharu writes. Drawing on
 * the page again later (the running header, the table of contents):
 * a slim page's content is inflated back, drawn on and sealed again in
 * the block it had (pdf_use_page); a classic page gets a new content
 * stream of its own. libharu has no call for this; it uses the
 * stream and dictionary records of its installed headers (hpdf_pages.h,
 * hpdf_streams.h, hpdf_objects.h). */

/* Compress the page being left, and keep it so (haru_page_set_compressed).
 * (Until now the pages of a long document were set aside in a
 * temporary file through a stream of libharu's records: 2.5 MB saved at
 * 5 000 members, which no cooperation has, for the most fragile reach of
 * all; gone.) */
/* A report's page is opened again for its running header: its block
 * keeps this much room, so that the page sealed again fits in it. */
#define REOPEN_ROOM 128

static void seal_page(struct pdf *pdf)
{
	if (pdf->classic) {
		classic_seal_page(pdf);
		return;
	}
	size_t raw = pdf->content.len;
	unsigned char *in = (unsigned char *)pdf->content.buf;	/* borrowed: kept for the next page */
	pdf->content.len = 0;
	size_t zlen;
	unsigned char *z = pdf_deflate_page(in, raw, pdf->report, &zlen);
	if (!z)
		pdf_fail(pdf, "cannot compress a page");
	else
		haru_page_set_compressed(pdf->page, z, zlen, pdf->report ? REOPEN_ROOM : 0);
	free(z);
}

/* Leave the current page: what is known of its state no longer holds. */
void pdf_leave_page(struct pdf *pdf)
{
	if (pdf->page && !pdf->failed) {
		end_text(pdf);
		seal_page(pdf);
	}
	pdf->cur_font = NULL;
	pdf->fill_known = 0;
}

void pdf_measure_only(struct pdf *pdf)
{
	if (!pdf->failed && pdf->page)
		end_text(pdf);
	pdf->measuring = 1;
}

void pdf_share_resources(struct pdf *pdf)
{
	if (!pdf->resources) {
		pdf->resources = haru_shared_resources(pdf->doc, &pdf->shared_fonts);
		if (!pdf->resources) {
			pdf_fail(pdf, "cannot make the shared resources");
			return;
		}
	}
	haru_page_share_resources(pdf->page, pdf->resources, pdf->shared_fonts);
}

int pdf_add_page(struct pdf *pdf)
{
	if (pdf->failed)
		return (int)pdf->npages;
	if (pdf->measuring)
		return (int)pdf->counted++ + (int)pdf->npages;
	pdf_leave_page(pdf);
	pdf->page = HPDF_AddPage(pdf->doc);
	HPDF_Page_SetSize(pdf->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	pdf->content.len = 0;
	GROW(pdf->pages, pdf->pages_cap, pdf->npages + 1);
	pdf->pages[pdf->npages++] = pdf->page;
	if (pdf->classic)
		classic_page_added(pdf);
	else if (pdf->report)
		pdf_share_resources(pdf);
	/* Classic: colours always in RGB, as their only profile is sRGB;
	 * slim: greys in DeviceGray (see add_metadata). */
	set_fill(pdf, PDF_BLACK);
	if (pdf->classic)
		classic_stroke_black(pdf);
	else
		sb_adds(&pdf->content, "0 G\n");
	return (int)pdf->npages - 1;
}

int pdf_page_count(const struct pdf *pdf)
{
	return (int)(pdf->npages + pdf->counted);
}

/* A slim page's sealed content back in pdf->content, to be drawn on
 * after it and sealed again: a page keeps one content stream (another
 * stream a page, for its running header, was 1 KB a page held to the
 * save). */
static int reopen_page(struct pdf *pdf)
{
	size_t zlen;
	unsigned char *z = haru_page_compressed(pdf->page, &zlen);
	if (!z)
		return -1;
	z_stream s = {.next_in = z, .avail_in = (uInt)zlen};
	int rc = inflateInit(&s);
	while (rc == Z_OK) {
		GROW(pdf->content.buf, pdf->content.cap, pdf->content.len + 4096);
		s.next_out = (Bytef *)pdf->content.buf + pdf->content.len;
		s.avail_out = (uInt)(pdf->content.cap - pdf->content.len - 1);
		rc = inflate(&s, Z_NO_FLUSH);
		pdf->content.len = pdf->content.cap - 1 - s.avail_out;
	}
	inflateEnd(&s);
	free(z);
	if (rc != Z_STREAM_END)
		return -1;
	pdf->content.buf[pdf->content.len] = '\0';
	return 0;
}

void pdf_use_page(struct pdf *pdf, int index)
{
	if (!pdf->measuring && index >= 0 && (size_t)index < pdf->npages && pdf->page != pdf->pages[index]) {
		pdf_leave_page(pdf);
		pdf->page = pdf->pages[index];
		pdf->content.len = 0;
		if (pdf->failed)
			return;
		if (pdf->classic)
			HPDF_Page_New_Content_Stream(pdf->page, NULL);
		else if (reopen_page(pdf) < 0)
			pdf_fail(pdf, "cannot open a page again");
	}
}

static unsigned long units_of(struct pdf *pdf, enum pdf_font f, const char *encoded);

static void show(struct pdf *pdf, enum pdf_font f, double size, double x, double y,
		 struct pdf_color c, const char *encoded)
{
	HPDF_Font hf = pdf_font_of(pdf, f);
	if (!hf)
		return;
	if (pdf->classic) {
		classic_show(pdf, hf, size, x, y, c, encoded);
		return;
	}
	struct strbuf *sb = &pdf->content;
	if (!pdf->in_text) {
		sb_adds(sb, "BT\n");
		pdf->in_text = 1;
		pdf->line_x = pdf->line_y = 0;
	}
	set_fill(pdf, c);
	if (hf != pdf->cur_font || size != pdf->cur_size) {
		slim_font(pdf, hf, size);
		pdf->cur_font = hf;
		pdf->cur_size = size;
	}
	/* relative to where the last line began, as libharu does */
	long tx = milli(x * MM), ty = milli((PDF_PAGE_HEIGHT - y) * MM);
	put_fixed(sb, tx - pdf->line_x, 3);
	put_fixed(sb, ty - pdf->line_y, 3);
	sb_adds(sb, "Td\n");
	pdf->line_x = tx;
	pdf->line_y = ty;
	put_string(sb, encoded);
	sb_adds(sb, "Tj\n");
	units_of(pdf, f, encoded);	/* its glyphs in the font, its widths in /Widths */
}

void pdf_text_color(struct pdf *pdf, enum pdf_font f, double size, double x, double y,
		    struct pdf_color c, const char *utf8)
{
	if (!ready(pdf))
		return;
	char *s = encode(pdf, utf8);
	if (s)
		show(pdf, f, size, x, y, c, s);
	free(s);
}

void pdf_text(struct pdf *pdf, enum pdf_font f, double size, double x, double y,
	      const char *utf8)
{
	pdf_text_color(pdf, f, size, x, y, PDF_BLACK, utf8);
}

static unsigned long units_of(struct pdf *pdf, enum pdf_font f, const char *encoded)
{
	HPDF_Font hf = pdf_font_of(pdf, f);
	if (!hf)
		return 0;
	unsigned long sum = 0;
	for (const unsigned char *p = (const unsigned char *)encoded; *p; p++) {
		unsigned short *w = &pdf->widths[f][*p];
		if (*w == 0) {	/* the first time: libharu measures (and marks the glyph used) */
			HPDF_TextWidth tw = HPDF_Font_TextWidth(hf, p, 1);
			if (tw.width == 0 || tw.width > 0xFFFF)
				return sum + HPDF_Font_TextWidth(hf, p, (HPDF_UINT)strlen((const char *)p)).width;
			*w = (unsigned short)tw.width;
		}
		sum += *w;
	}
	return sum;
}

double pdf_units_mm(unsigned long units, double size)
{
	return (double)units * size / 1000.0 / MM;
}

static double width_of(struct pdf *pdf, enum pdf_font f, double size, const char *encoded)
{
	return pdf_units_mm(units_of(pdf, f, encoded), size);
}

unsigned long pdf_text_units(struct pdf *pdf, enum pdf_font f, const char *utf8)
{
	if (pdf->failed)
		return 0;
	char *s = encode(pdf, utf8);
	unsigned long u = s ? units_of(pdf, f, s) : 0;
	free(s);
	return u;
}

double pdf_text_width(struct pdf *pdf, enum pdf_font f, double size, const char *utf8)
{
	return pdf_units_mm(pdf_text_units(pdf, f, utf8), size);
}

int pdf_known_units(struct pdf *pdf, enum pdf_font f, const char *utf8, unsigned long *units)
{
	unsigned long sum = 0;
	for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
		int n;
		int byte = cp1252_at(p, &n);
		if (byte < 0 || pdf->widths[f][byte] == 0)
			return 0;
		sum += pdf->widths[f][byte];
		p += n;
	}
	*units = sum;
	return 1;
}

unsigned long pdf_char_units(struct pdf *pdf, enum pdf_font f, const char *utf8, int *len)
{
	int byte = cp1252_at((const unsigned char *)utf8, len);
	if (pdf->failed)
		return 0;
	if (byte < 0) {
		char one[5] = {0};
		memcpy(one, utf8, (size_t)*len);
		free(encode(pdf, one));	/* fails the document, naming it */
		return 0;
	}
	char s[2] = {(char)byte, 0};
	return units_of(pdf, f, s);
}

void pdf_text_right(struct pdf *pdf, enum pdf_font f, double size, double x, double y,
		    const char *utf8)
{
	if (!ready(pdf))
		return;
	char *s = encode(pdf, utf8);
	if (s)
		show(pdf, f, size, x - width_of(pdf, f, size, s), y, PDF_BLACK, s);
	free(s);
}

void pdf_text_rotated(struct pdf *pdf, enum pdf_font f, double size, double x, double y,
		      double degrees, struct pdf_color c, const char *utf8)
{
	if (!ready(pdf))
		return;
	char *s = encode(pdf, utf8);
	HPDF_Font hf = s ? pdf_font_of(pdf, f) : NULL;
	if (hf) {
		double r = degrees * 3.14159265358979323846 / 180.0;
		end_text(pdf);
		set_fill(pdf, c);
		if (pdf->classic) {
			classic_rotated(pdf, hf, size, x, y, r, s);
		} else {
			struct strbuf *sb = &pdf->content;
			sb_adds(sb, "BT\n");
			slim_font(pdf, hf, size);
			long co = lround(cos(r) * 100000), si = lround(sin(r) * 100000);
			put_fixed(sb, co, 5);
			put_fixed(sb, si, 5);
			put_fixed(sb, -si, 5);
			put_fixed(sb, co, 5);
			put_pt(sb, x * MM);
			put_pt(sb, (PDF_PAGE_HEIGHT - y) * MM);
			sb_adds(sb, "Tm\n");
			put_string(sb, s);
			sb_adds(sb, "Tj\nET\n");
			units_of(pdf, f, s);	/* its glyphs in the font, its widths in /Widths */
		}
		pdf->cur_font = hf;
		pdf->cur_size = size;
	}
	free(s);
}

void pdf_line(struct pdf *pdf, double x1, double y1, double x2, double y2, double width)
{
	if (!ready(pdf))
		return;
	end_text(pdf);
	if (!pdf->classic) {
		struct strbuf *sb = &pdf->content;
		put_pt(sb, width);
		sb_adds(sb, "w\n");
		put_pt(sb, x1 * MM);
		put_pt(sb, (PDF_PAGE_HEIGHT - y1) * MM);
		sb_adds(sb, "m\n");
		put_pt(sb, x2 * MM);
		put_pt(sb, (PDF_PAGE_HEIGHT - y2) * MM);
		sb_adds(sb, "l\nS\n");
		return;
	}
	classic_line(pdf, x1, y1, x2, y2, width);
}

void pdf_fill_rect(struct pdf *pdf, double x, double y, double w, double h, struct pdf_color c)
{
	if (!ready(pdf))
		return;
	end_text(pdf);
	set_fill(pdf, c);
	if (!pdf->classic) {
		struct strbuf *sb = &pdf->content;
		put_pt(sb, x * MM);
		put_pt(sb, (PDF_PAGE_HEIGHT - y - h) * MM);
		put_pt(sb, w * MM);
		put_pt(sb, h * MM);
		sb_adds(sb, "re\nf\n");
		return;
	}
	classic_fill_rect(pdf, x, y, w, h);
}

void pdf_outline(struct pdf *pdf, int level, const char *utf8, int page, double y)
{
	if (pdf->failed || pdf->measuring || level < 1 || level > MAX_OUTLINE_DEPTH || page < 0 ||
	    (size_t)page >= pdf->npages)
		return;
	char *s = encode(pdf, utf8);
	if (!s)
		return;
	HPDF_Outline parent = pdf->outline_parent[level - 1];
	HPDF_Outline o = HPDF_CreateOutline(pdf->doc, parent, s, pdf->encoder);
	free(s);
	if (!o)
		return;
	/* A direct destination array: PDFBox Preflight cannot read the
	 * indirect one HPDF_Page_CreateDestination makes. */
	haru_outline_dest(pdf->doc, o, pdf->pages[page], (PDF_PAGE_HEIGHT - y + 8) * MM);
	HPDF_Outline_SetOpened(o, level == 1);
	pdf->outline_parent[level] = o;
	for (int l = level + 1; l <= MAX_OUTLINE_DEPTH; l++)
		pdf->outline_parent[l] = NULL;
}

