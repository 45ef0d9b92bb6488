/* pdf.c - libharu behind the pdf.h surface: fonts, encoding, PDF/A, errors. */
#include "render/pdf.h"
#include "base/home.h"

#include <errno.h>
#include <hpdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "model/csvfile.h"
#include "base/diag.h"
#include "base/file.h"
#include "render/haru.h"
#include "base/util.h"

#ifndef ICC_PROFILE
#define ICC_PROFILE "/usr/share/color/icc/sRGB.icc"	/* icc-profiles-free: ICC v2 */
#endif
#ifndef GRAY_PROFILE
#define GRAY_PROFILE "/usr/share/color/icc/Gray.icc"	/* the same package: ICC v2.3 */
#endif

#define MM (72.0 / 25.4)
#define MAX_OUTLINE_DEPTH 6

/* DejaVu Sans cut down to the characters of Windows-1252 (make fonts):
 * a twentieth of the size, so each document parses and embeds less. The
 * slim fonts also leave out every name but the font's own (the classic
 * ones keep the licence text in each language: 15 KB in every PDF) and
 * the glyph names. Classic documents use the classic fonts, so that an
 * invoice issued with them is remade to the same bytes. */
enum { SLIM, CLASSIC };
static const char *const font_files[2][PDF_NFONTS] = {
	[SLIM] = {
		[PDF_REGULAR] = "DejaVuSans-slim.ttf",
		[PDF_BOLD] = "DejaVuSans-Bold-slim.ttf",
		[PDF_ITALIC] = "DejaVuSans-Oblique-slim.ttf",
		[PDF_BOLD_ITALIC] = "DejaVuSans-BoldOblique-slim.ttf",
	},
	[CLASSIC] = {
		[PDF_REGULAR] = "DejaVuSans.ttf",
		[PDF_BOLD] = "DejaVuSans-Bold.ttf",
		[PDF_ITALIC] = "DejaVuSans-Oblique.ttf",
		[PDF_BOLD_ITALIC] = "DejaVuSans-BoldOblique.ttf",
	},
};

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
	HPDF_Dict resources;	/* classic: of the pages past the fourth, shared */
	HPDF_Dict shared_fonts;	/* its font dictionary */
	char message[1200];	/* the first error */
	int failed;
};

/* The run's libharu document for slim documents, used by one after
 * another: HPDF_NewDoc frees a document's objects but keeps the fonts it
 * loaded (and forgets which glyphs they used), so that a run reads each
 * font once, not once a document. run_doc_user is the struct pdf using
 * it (its errors go there), or NULL. */
static HPDF_Doc run_doc;
static struct pdf *run_doc_user;
static const char *run_doc_fonts[PDF_NFONTS];	/* its fonts' names, once loaded */

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	struct pdf *pdf = user ? user : run_doc_user;
	if (!pdf->failed)
		snprintf(pdf->message, sizeof pdf->message, "libharu error 0x%04X (detail %u)",
			 (unsigned)error, (unsigned)detail);
	pdf->failed = 1;
}

static void fail(struct pdf *pdf, const char *message)
{
	if (!pdf->failed)
		snprintf(pdf->message, sizeof pdf->message, "%s", message);
	pdf->failed = 1;
}

static struct pdf *new_pdf(int classic)
{
	struct pdf *pdf = xcalloc(1, sizeof *pdf);
	pdf->classic = classic;
	pdf->date = DATE_NONE;
	pdf->producer = xasprintf("samfakt %s with libharu", samfakt_version());
	if (!classic && !run_doc_user) {
		if (!run_doc)
			run_doc = HPDF_New(on_error, NULL);
		else if (HPDF_NewDoc(run_doc) != HPDF_OK)
			BUG("libharu cannot start a new document");
		run_doc_user = pdf;
		pdf->doc = run_doc;
	} else {
		pdf->doc = HPDF_New(on_error, pdf);
	}
	if (!pdf->doc) {
		fail(pdf, "cannot create a PDF document (out of memory?)");
		return pdf;
	}
	HPDF_SetCompressionMode(pdf->doc, HPDF_COMP_ALL);
	pdf->encoder = HPDF_GetEncoder(pdf->doc, "WinAnsiEncoding");
	return pdf;
}

struct pdf *pdf_new(void)
{
	return new_pdf(0);
}

struct pdf *pdf_new_classic(void)
{
	return new_pdf(1);
}

void pdf_free(struct pdf *pdf)
{
	if (!pdf)
		return;
	if (pdf->doc == run_doc && run_doc_user == pdf)
		run_doc_user = NULL;	/* kept for the next, with its fonts */
	else if (pdf->doc)
		HPDF_Free(pdf->doc);
	free(pdf->pages);
	sb_release(&pdf->content);
	free(pdf->title);
	free(pdf->author);
	free(pdf->subject);
	free(pdf->producer);
	free(pdf);
}

/* The font files, read once a run: libharu parses a font per document,
 * and reading it from memory saves the hundreds of small seeks and reads
 * HPDF_LoadTTFontFromFile makes. */
static struct {
	char *data;
	size_t len;
	int tried;
} font_cache[2][PDF_NFONTS];

static const char *font_bytes(int kind, enum pdf_font f, size_t *len, char *path, size_t path_size)
{
	snprintf(path, path_size, "%s/%s", home_dir(HOME_FONTS), font_files[kind][f]);
	if (!font_cache[kind][f].tried) {
		font_cache[kind][f].tried = 1;
		FILE *in = fopen(path, "rb");
		if (in) {
			struct strbuf sb = {0};
			char chunk[65536];
			size_t n;
			while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
				sb_add(&sb, chunk, n);
			fclose(in);
			font_cache[kind][f].data = sb.buf;
			font_cache[kind][f].len = sb.len;
		}
	}
	*len = font_cache[kind][f].len;
	return font_cache[kind][f].data;
}

static HPDF_Font font(struct pdf *pdf, enum pdf_font f)
{
	if (pdf->fonts[f] || pdf->failed)
		return pdf->fonts[f];
	/* A slim font's subset tag is its face's, whatever else the
	 * document or the run used first; classic ones are numbered in the
	 * order a document loads them, as libharu does. */
	static const char *const tags[PDF_NFONTS] = {"SFAKTA", "SFAKTB", "SFAKTC", "SFAKTD"};
	const char *name = pdf->doc == run_doc ? run_doc_fonts[f] : NULL;
	if (!name) {
		char path[1024];
		size_t len;
		const char *bytes = font_bytes(pdf->classic ? CLASSIC : SLIM, f, &len, path, sizeof path);
		name = bytes ? haru_load_ttf(pdf->doc, bytes, len, pdf->classic ? NULL : tags[f]) : NULL;
		if (!name) {
			char msg[1100];
			snprintf(msg, sizeof msg, "cannot load font %s (make fonts remakes it)", path);
			pdf->failed = 0;
			fail(pdf, msg);
			return NULL;
		}
		if (pdf->doc == run_doc)
			run_doc_fonts[f] = name;
	}
	pdf->fonts[f] = HPDF_GetFont(pdf->doc, name, "WinAnsiEncoding");
	if (!pdf->classic && pdf->fonts[f]) {
		/* Every slim program has the glyphs of amounts (digits,
		 * space, comma, period, minus, "kr"), used or not: amounts
		 * differ from invoice to invoice, and with these in all of
		 * them most invoices of a run share their programs (at a few
		 * hundred bytes each). */
		static const char common[] = "0123456789 ,.-kr";
		HPDF_Font_TextWidth(pdf->fonts[f], (const HPDF_BYTE *)common, sizeof common - 1);
	}
	return pdf->fonts[f];
}

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
				fail(pdf, msg);
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

/* ---- document info and PDF/A ---------------------------------------------- */

/* XMP is XML: the values need escaping, which libharu does not do. */
static void sb_add_xml(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			sb_adds(sb, "&amp;");
			break;
		case '<':
			sb_adds(sb, "&lt;");
			break;
		case '>':
			sb_adds(sb, "&gt;");
			break;
		case '"':
			sb_adds(sb, "&quot;");
			break;
		default:
			sb_add(sb, s, 1);
		}
	}
}

/* PDFDocEncoding, the encoding of document info strings: Latin-1 from
 * 0xA1, and its own table from 0x80 for typographic marks. */
static const struct {
	unsigned cp;
	unsigned char byte;
} pdfdoc_marks[] = {
	{0x2022, 0x80}, {0x2026, 0x83}, {0x2014, 0x84}, {0x2013, 0x85}, {0x2212, 0x8A},
	{0x201C, 0x8D}, {0x201D, 0x8E}, {0x2018, 0x8F}, {0x2019, 0x90}, {0x20AC, 0xA0},
};

/* UTF-8 to PDFDocEncoding (malloc'd); what it cannot hold becomes '?'.
 * *back receives the UTF-8 of exactly what was encoded, for the XMP copy,
 * which PDF/A requires to match. */
static char *pdfdoc_encode(const char *utf8, char **back)
{
	struct strbuf out = {0}, again = {0};
	const unsigned char *p = (const unsigned char *)utf8;
	while (*p) {
		unsigned cp = *p;
		size_t n = 1;
		if (cp >= 0xF0 && p[1] && p[2] && p[3])
			cp = ((cp & 7u) << 18) | ((p[1] & 63u) << 12) | ((p[2] & 63u) << 6) | (p[3] & 63u), n = 4;
		else if (cp >= 0xE0 && p[1] && p[2])
			cp = ((cp & 15u) << 12) | ((p[1] & 63u) << 6) | (p[2] & 63u), n = 3;
		else if (cp >= 0xC0 && p[1])
			cp = ((cp & 31u) << 6) | (p[1] & 63u), n = 2;
		unsigned char byte = '?';
		if (cp < 0x80 || (cp >= 0xA1 && cp <= 0xFF))
			byte = (unsigned char)cp;
		for (size_t i = 0; i < sizeof pdfdoc_marks / sizeof pdfdoc_marks[0]; i++)
			if (pdfdoc_marks[i].cp == cp)
				byte = pdfdoc_marks[i].byte;
		sb_add(&out, (const char *)&byte, 1);
		if (byte == '?' && cp != '?')
			sb_adds(&again, "?");
		else
			sb_add(&again, (const char *)p, n);
		p += n;
	}
	if (!out.buf)
		sb_adds(&out, ""), sb_adds(&again, "");
	*back = again.buf;
	return out.buf;
}

void pdf_set_producer(struct pdf *pdf, const char *producer)
{
	free(pdf->producer);
	pdf->producer = xstrdup(producer);
}

void pdf_set_info(struct pdf *pdf, const char *title, const char *author,
		  const char *subject, date_t date)
{
	if (pdf->failed)
		return;
	char *tb, *ab, *sbk;
	char *t = pdfdoc_encode(title, &tb), *a = pdfdoc_encode(author, &ab),
	     *s = pdfdoc_encode(subject, &sbk);
	{
		HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_TITLE, t);
		HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_AUTHOR, a);
		HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_SUBJECT, s);
		HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_CREATOR, "samfakt");
		HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_PRODUCER, pdf->producer);
		int y, m, d;
		date_to_ymd(date, &y, &m, &d);
		/* '+' with a zero offset: 'Z' makes libharu fail silently. */
		HPDF_Date hd = {y, m, d, 0, 0, 0, '+', 0, 0};
		HPDF_SetInfoDateAttr(pdf->doc, HPDF_INFO_CREATION_DATE, hd);
		HPDF_SetInfoDateAttr(pdf->doc, HPDF_INFO_MOD_DATE, hd);
		free(pdf->title);
		free(pdf->author);
		free(pdf->subject);
		pdf->title = tb;
		pdf->author = ab;
		pdf->subject = sbk;
		pdf->date = date;
	}
	free(t);
	free(a);
	free(s);
}

/* Deflate len bytes at in at level, window 2^wbits and memory level mem
 * (malloc'd; *zlen set), from a zlib stream kept for the run for each
 * setting (compress2 would allocate and free zlib's state, 270 KB at the
 * defaults, for every page). */
static unsigned char *deflate_with(const void *in, size_t len, int level, int wbits, int mem,
				   size_t *zlen)
{
	/* one stream for each setting, kept */
	static struct {
		int level, wbits, mem;
		z_stream zs;
	} streams[16];
	static int nstreams;
	z_stream *s = NULL;
	for (int i = 0; i < nstreams && !s; i++)
		if (streams[i].level == level && streams[i].wbits == wbits && streams[i].mem == mem)
			s = &streams[i].zs;
	if (s) {
		if (deflateReset(s) != Z_OK)
			return NULL;
	} else {
		if (nstreams == 16)
			BUG("too many deflate settings");	/* at most 9 are used */
		s = &streams[nstreams].zs;
		if (deflateInit2(s, level, Z_DEFLATED, wbits, mem, Z_DEFAULT_STRATEGY) != Z_OK)
			return NULL;
		streams[nstreams].level = level;
		streams[nstreams].wbits = wbits;
		streams[nstreams].mem = mem;
		nstreams++;
	}
	uLong n = deflateBound(s, len);
	unsigned char *z = xmalloc(n);
	s->next_in = (Bytef *)in;
	s->avail_in = (uInt)len;
	s->next_out = z;
	s->avail_out = (uInt)n;
	if (deflate(s, Z_FINISH) != Z_STREAM_END) {
		free(z);
		return NULL;
	}
	*zlen = s->total_out;
	return z;
}

/* zlib's fastest for slim pages: at the default level, compressing pages
 * was a quarter of a build's CPU; at this one the build takes a fifth less
 * CPU, for 115 bytes more an invoice. */
#define PAGE_LEVEL 1

/* zlib's defaults (compress2's bytes): a 32 KB window, 8 memory level. */
static unsigned char *deflate_bytes(const void *in, size_t len, int level, size_t *zlen)
{
	return deflate_with(in, len, level < 0 ? 6 : level, 15, 8, zlen);
}

/* A slim page: the window no larger than the page (and the hash table to
 * match), a function of its length alone, so that less of zlib's state is
 * cleared for each page (an eighth less time compressing). */
static unsigned char *deflate_page(const void *in, size_t len, size_t *zlen)
{
	int wbits = 9;
	while (wbits < 15 && ((size_t)1 << wbits) < len)
		wbits++;
	return deflate_with(in, len, PAGE_LEVEL, wbits, wbits - 7 < 1 ? 1 : wbits - 7, zlen);
}

/* What is compressed once a run and copied into every document may take
 * the time for zlib's best. */
static unsigned char *deflate_once(const void *in, size_t len, size_t *zlen)
{
	return deflate_bytes(in, len, Z_BEST_COMPRESSION, zlen);
}

/* The sRGB profile (rgb) or the grey one, read and compressed once a run. */
static const void *icc_compressed(int rgb, size_t *zlen)
{
	static unsigned char *z[2];
	static size_t n[2];
	static int tried[2];
	if (!tried[rgb]) {
		tried[rgb] = 1;
		size_t len;
		char *raw = read_file(rgb ? ICC_PROFILE : GRAY_PROFILE, 1 << 20, &len, NULL);	/* absent: said below */
		z[rgb] = raw ? deflate_once(raw, len, &n[rgb]) : NULL;
		free(raw);
	}
	*zlen = n[rgb];
	return z[rgb];
}

/* ---- font programs compressed once ------------------------------------------
 *
 * A slim document's font programs are libharu's own (the glyphs it used,
 * its names tagged), but made and compressed once a run for each set of
 * glyphs and kept (haru.h): most invoices of a run use the same letters,
 * and the program depends on nothing else, so a document's bytes are the
 * same whatever else the run made. */
struct font_program {
	int face;
	char tag[7];
	size_t nglyphs;
	unsigned char *glyphs;	/* the flags, one byte a glyph */
	unsigned char *z;
	size_t zlen, raw_len;
};

#define PROGRAMS_KEPT 256	/* past this, programs are made and not kept */
static struct font_program programs[PROGRAMS_KEPT];
static size_t nprograms;

static const struct font_program *program_for(int face, HPDF_Font hf)
{
	size_t n;
	const char *tag;
	const unsigned char *glyphs = haru_font_glyphs(hf, &n, &tag);
	if (!glyphs)
		return NULL;
	for (size_t i = 0; i < nprograms; i++) {
		struct font_program *p = &programs[i];
		if (p->face == face && p->nglyphs == n && memcmp(p->tag, tag, 7) == 0 &&
		    memcmp(p->glyphs, glyphs, n) == 0)
			return p;
	}
	static struct font_program spare;	/* made when the cache is full */
	struct font_program *p = nprograms < PROGRAMS_KEPT ? &programs[nprograms] : &spare;
	free(p->glyphs);
	free(p->z);
	memset(p, 0, sizeof *p);
	size_t raw_len;
	unsigned char *raw = haru_font_program(hf, &raw_len);
	p->z = raw ? deflate_once(raw, raw_len, &p->zlen) : NULL;
	free(raw);
	if (!p->z)
		return NULL;
	p->face = face;
	memcpy(p->tag, tag, 7);
	p->nglyphs = n;
	p->glyphs = xmalloc(n);
	memcpy(p->glyphs, glyphs, n);
	p->raw_len = raw_len;
	if (p != &spare)
		nprograms++;
	return p;
}

/* Give each font of a slim document its program from the cache. */
static void embed_fonts(struct pdf *pdf)
{
	for (int f = 0; f < PDF_NFONTS && !pdf->failed; f++) {
		if (!pdf->fonts[f])
			continue;
		const struct font_program *p = program_for(f, pdf->fonts[f]);
		if (!p || haru_font_embed(pdf->doc, pdf->fonts[f], p->z, p->zlen, p->raw_len) < 0)
			fail(pdf, "cannot embed a font");
	}
}

/* The XMP packet PDF/A-1b needs, agreeing with the document info. */
static void add_metadata(struct pdf *pdf)
{
	HPDF_Doc doc = pdf->doc;
	char date[40];
	int y, m, d;
	date_to_ymd(pdf->date == DATE_NONE ? 0 : pdf->date, &y, &m, &d);
	snprintf(date, sizeof date, "%04d-%02d-%02dT00:00:00+00:00", y % 10000, m % 100, d % 100);

	/* Classic documents split the properties into one description per
	 * schema; slim ones have them in one (140 bytes fewer in each file,
	 * where PDF/A-1 keeps the packet uncompressed). */
	const char *next = pdf->classic ? "</rdf:Description><rdf:Description rdf:about=''" : "";
	struct strbuf x = {0};
	sb_adds(&x, "<?xpacket begin='\xEF\xBB\xBF' id='W5M0MpCehiHzreSzNTczkc9d'?>"
		    "<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
		    "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
		    "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'");
	if (!pdf->classic)
		sb_adds(&x, " xmlns:xmp='http://ns.adobe.com/xap/1.0/' xmlns:pdf='http://ns.adobe.com/pdf/1.3/'"
			    " xmlns:pdfaid='http://www.aiim.org/pdfa/ns/id/'");
	sb_adds(&x, "><dc:format>application/pdf</dc:format>");
	sb_adds(&x, "<dc:title><rdf:Alt><rdf:li xml:lang='x-default'>");
	sb_add_xml(&x, pdf->title ? pdf->title : "");
	sb_adds(&x, "</rdf:li></rdf:Alt></dc:title><dc:creator><rdf:Seq><rdf:li>");
	sb_add_xml(&x, pdf->author ? pdf->author : "");
	sb_adds(&x, "</rdf:li></rdf:Seq></dc:creator>"
		    "<dc:description><rdf:Alt><rdf:li xml:lang='x-default'>");
	sb_add_xml(&x, pdf->subject ? pdf->subject : "");
	sb_addf(&x, "</rdf:li></rdf:Alt></dc:description>%s%s<xmp:CreatorTool>samfakt</xmp:CreatorTool>",
		next, pdf->classic ? " xmlns:xmp='http://ns.adobe.com/xap/1.0/'>" : "");
	sb_addf(&x, "<xmp:CreateDate>%s</xmp:CreateDate><xmp:ModifyDate>%s</xmp:ModifyDate>",
		date, date);
	sb_addf(&x, "%s%s<pdf:Producer>", next, pdf->classic ? " xmlns:pdf='http://ns.adobe.com/pdf/1.3/'>" : "");
	sb_add_xml(&x, pdf->producer);
	sb_addf(&x, "</pdf:Producer>%s%s", next, pdf->classic ? " xmlns:pdfaid='http://www.aiim.org/pdfa/ns/id/'>" : "");
	sb_adds(&x, "<pdfaid:part>1</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
		    "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>");

	if (haru_add_metadata(doc, x.buf, x.len) < 0) {
		sb_release(&x);
		fail(pdf, "cannot add the metadata");
		return;
	}
	sb_release(&x);

	HPDF_OutputIntent icc = NULL;
	int rgb = pdf->classic || pdf->rgb_used;
	if (pdf->classic) {
		icc = HPDF_LoadIccProfileFromFile(doc, ICC_PROFILE, 3);
	} else {
		/* a document in greys alone (invoices) carries the grey
		 * profile, 300 bytes, not the sRGB one, 2.5 KB */
		size_t zlen;
		const void *z = icc_compressed(rgb, &zlen);
		icc = z ? haru_icc_compressed(doc, z, zlen, rgb ? 3 : 1) : NULL;
	}
	if (!icc) {
		pdf->failed = 0;
		fail(pdf, rgb ? "cannot load the colour profile " ICC_PROFILE " (package icc-profiles-free)"
			      : "cannot load the colour profile " GRAY_PROFILE " (package icc-profiles-free)");
		return;
	}
	HPDF_PDFA_AppendOutputIntents(doc, rgb ? "sRGB IEC61966-2.1" : "Gray", icc);
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
		fail(pdf, "cannot name a font on a page");
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
			HPDF_Page_EndText(pdf->page);
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
		HPDF_Page_SetRGBFill(pdf->page, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
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
 * the page again
 * later (the running header, the table of contents) goes into a new
 * content stream of its own. libharu has no call for this; it uses the
 * stream and dictionary records of its installed headers (hpdf_pages.h,
 * hpdf_streams.h, hpdf_objects.h). */

/* Compress the page being left, and keep it so (haru_page_set_compressed).
 * (Until now the pages of a long document were set aside in a
 * temporary file through a stream of libharu's records: 2.5 MB saved at
 * 5 000 members, which no cooperation has, for the most fragile reach of
 * all; gone.) */
static void seal_page(struct pdf *pdf)
{
	size_t raw;
	unsigned char *in;
	if (pdf->classic) {
		in = haru_page_content(pdf->page, &raw);
		if (!in)
			return;	/* sealed before */
	} else {
		raw = pdf->content.len;
		in = (unsigned char *)pdf->content.buf;	/* borrowed: kept for the next page */
		pdf->content.len = 0;
	}
	size_t zlen;
	unsigned char *z = pdf->classic ? deflate_bytes(in, raw, Z_DEFAULT_COMPRESSION, &zlen)
					 : deflate_page(in, raw, &zlen);
	if (!z) {
		fail(pdf, "cannot compress a page");
	} else {
		haru_page_set_compressed(pdf->page, z, zlen);
	}
	if (pdf->classic)
		free(in);
	free(z);
}

/* A classic document's pages past the fourth share one resource
 * dictionary, their fonts named in it once: kept only so that a classic
 * invoice of more than four pages is remade to the same bytes. Slim
 * documents give each page its own, as libharu does (2 KB a page). */
#define PAGES_KEPT 4
static void share_resources(struct pdf *pdf)
{
	if (!pdf->resources) {
		pdf->resources = haru_shared_resources(pdf->doc, &pdf->shared_fonts);
		if (!pdf->resources) {
			fail(pdf, "cannot make the shared resources");
			return;
		}
	}
	haru_page_share_resources(pdf->page, pdf->resources, pdf->shared_fonts);
}

/* Leave the current page: what is known of its state no longer holds. */
static void leave_page(struct pdf *pdf)
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

int pdf_add_page(struct pdf *pdf)
{
	if (pdf->failed)
		return (int)pdf->npages;
	if (pdf->measuring)
		return (int)pdf->counted++ + (int)pdf->npages;
	leave_page(pdf);
	pdf->page = HPDF_AddPage(pdf->doc);
	HPDF_Page_SetSize(pdf->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	pdf->content.len = 0;
	GROW(pdf->pages, pdf->pages_cap, pdf->npages + 1);
	pdf->pages[pdf->npages++] = pdf->page;
	if (pdf->classic && pdf->npages > PAGES_KEPT)
		share_resources(pdf);
	/* Classic: colours always in RGB, as their only profile is sRGB;
	 * slim: greys in DeviceGray (see add_metadata). */
	set_fill(pdf, PDF_BLACK);
	if (pdf->classic)
		HPDF_Page_SetRGBStroke(pdf->page, 0, 0, 0);
	else
		sb_adds(&pdf->content, "0 G\n");
	return (int)pdf->npages - 1;
}

int pdf_page_count(const struct pdf *pdf)
{
	return (int)(pdf->npages + pdf->counted);
}

void pdf_use_page(struct pdf *pdf, int index)
{
	if (!pdf->measuring && index >= 0 && (size_t)index < pdf->npages && pdf->page != pdf->pages[index]) {
		leave_page(pdf);
		pdf->page = pdf->pages[index];
		pdf->content.len = 0;
		if (!pdf->failed)
			HPDF_Page_New_Content_Stream(pdf->page, NULL);
	}
}

static unsigned long units_of(struct pdf *pdf, enum pdf_font f, const char *encoded);

static void show(struct pdf *pdf, enum pdf_font f, double size, double x, double y,
		 struct pdf_color c, const char *encoded)
{
	HPDF_Font hf = font(pdf, f);
	if (!hf)
		return;
	if (pdf->classic) {
		if (!pdf->in_text) {
			HPDF_Page_BeginText(pdf->page);
			pdf->in_text = 1;
		}
		set_fill(pdf, c);
		if (hf != pdf->cur_font || size != pdf->cur_size) {
			HPDF_Page_SetFontAndSize(pdf->page, hf, (HPDF_REAL)size);
			pdf->cur_font = hf;
			pdf->cur_size = size;
		}
		HPDF_Page_TextOut(pdf->page, (HPDF_REAL)(x * MM), (HPDF_REAL)((PDF_PAGE_HEIGHT - y) * MM),
				  encoded);
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
	HPDF_Font hf = font(pdf, f);
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
	HPDF_Font hf = s ? font(pdf, f) : NULL;
	if (hf) {
		double r = degrees * 3.14159265358979323846 / 180.0;
		end_text(pdf);
		set_fill(pdf, c);
		if (pdf->classic) {
			HPDF_REAL co = (HPDF_REAL)cos(r), si = (HPDF_REAL)sin(r);
			HPDF_Page_BeginText(pdf->page);
			HPDF_Page_SetFontAndSize(pdf->page, hf, (HPDF_REAL)size);
			HPDF_Page_SetTextMatrix(pdf->page, co, si, -si, co, (HPDF_REAL)(x * MM),
						(HPDF_REAL)((PDF_PAGE_HEIGHT - y) * MM));
			HPDF_Page_ShowText(pdf->page, s);
			HPDF_Page_EndText(pdf->page);
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
	HPDF_Page_SetLineWidth(pdf->page, (HPDF_REAL)width);
	HPDF_Page_MoveTo(pdf->page, (HPDF_REAL)(x1 * MM), (HPDF_REAL)((PDF_PAGE_HEIGHT - y1) * MM));
	HPDF_Page_LineTo(pdf->page, (HPDF_REAL)(x2 * MM), (HPDF_REAL)((PDF_PAGE_HEIGHT - y2) * MM));
	HPDF_Page_Stroke(pdf->page);
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
	HPDF_Page_Rectangle(pdf->page, (HPDF_REAL)(x * MM),
			    (HPDF_REAL)((PDF_PAGE_HEIGHT - y - h) * MM), (HPDF_REAL)(w * MM),
			    (HPDF_REAL)(h * MM));
	HPDF_Page_Fill(pdf->page);
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

/* Where libharu saves a document: it writes in pieces of a few bytes,
 * which are gathered here into blocks before they are handed on. */
struct save_sink {
	write_fn out;		/* or NULL: to memory, straight into *mem */
	void *ctx;
	struct strbuf *mem;
	int failed;
	size_t n;
	char *buf;		/* SINK_BLOCK bytes */
};

#define SINK_BLOCK 65536

static int sink_flush(struct save_sink *s)
{
	if (s->n && !s->failed && s->out(s->ctx, s->buf, s->n) < 0)
		s->failed = 1;
	s->n = 0;
	return s->failed ? -1 : 0;
}

static HPDF_STATUS sink_write(void *ctx, const HPDF_BYTE *ptr, HPDF_UINT size)
{
	struct save_sink *s = ctx;
	if (s->mem) {
		sb_add(s->mem, (const char *)ptr, size);
		return HPDF_OK;
	}
	while (size > 0) {
		if (s->n == SINK_BLOCK && sink_flush(s) < 0)
			return HPDF_FILE_IO_ERROR;
		size_t take = SINK_BLOCK - s->n < size ? SINK_BLOCK - s->n : size;
		memcpy(s->buf + s->n, ptr, take);
		s->n += take;
		ptr += take;
		size -= take;
	}
	return HPDF_OK;
}

/* Save the document into sink. */
static int save(struct pdf *pdf, const char *what, struct save_sink *sink)
{
	if (pdf->measuring)
		BUG("a document measured only cannot be saved");
	if (!pdf->failed) {
		leave_page(pdf);
		add_metadata(pdf);
		if (!pdf->classic)
			embed_fonts(pdf);
	}
	if (!pdf->failed) {
		HPDF_STATUS st = haru_save(pdf->doc, sink_write, sink);
		/* a failed write returns an error without libharu raising one */
		int rc = sink->failed || st != HPDF_OK || pdf->failed ? -1 : sink_flush(sink);
		if (rc == 0)
			return 0;
		if (sink->failed)
			return -1;	/* sink->out has said why */
		fail(pdf, "cannot save the document");
	}
	error_at(what, 0, "cannot make PDF: %s", pdf->message);
	return -1;
}

int pdf_finish_to(struct pdf *pdf, const char *what, write_fn out, void *ctx)
{
	struct save_sink sink = {.out = out, .ctx = ctx, .buf = xmalloc(SINK_BLOCK)};
	int rc = save(pdf, what, &sink);
	free(sink.buf);
	return rc;
}

int pdf_finish(struct pdf *pdf, const char *what, char **out, size_t *len)
{
	struct strbuf sb = {0};
	struct save_sink sink = {.mem = &sb};
	if (save(pdf, what, &sink) < 0) {
		sb_release(&sb);
		return -1;
	}
	*out = sb.buf ? sb.buf : xstrdup("");
	*len = sb.len;
	return 0;
}
