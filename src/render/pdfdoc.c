/* pdfdoc.c - the document behind the pdf.h surface: creating and freeing
 * it (slim documents share the run's libharu document), its fonts, its
 * PDF/A document info and metadata, compression, and saving. */
#include "render/pdf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/home.h"
#include "base/util.h"
#include "render/haru.h"
#include "render/pdf_impl.h"

#ifndef ICC_PROFILE
#define ICC_PROFILE "/usr/share/color/icc/sRGB.icc"	/* icc-profiles-free: ICC v2 */
#endif
#ifndef GRAY_PROFILE
#define GRAY_PROFILE "/usr/share/color/icc/Gray.icc"	/* the same package: ICC v2.3 */
#endif

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

void pdf_fail(struct pdf *pdf, const char *message)
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
		pdf_fail(pdf, "cannot create a PDF document (out of memory?)");
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

struct pdf *pdf_new_report(void)
{
	struct pdf *pdf = new_pdf(0);
	pdf->report = 1;
	return pdf;
}

void pdf_free(struct pdf *pdf)
{
	if (!pdf)
		return;
	if (pdf->doc == run_doc && run_doc_user == pdf) {
		/* kept for the next, with its fonts; its objects freed now (what
		   HPDF_NewDoc would do first), not held through whatever the run
		   does before its next document (a report of a thousand pages) */
		HPDF_FreeDoc(run_doc);
		run_doc_user = NULL;
	}
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

HPDF_Font pdf_font_of(struct pdf *pdf, enum pdf_font f)
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
			pdf_fail(pdf, msg);
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
/* A report's pages are few beside a run's invoices, and held until it is
 * saved: compressed at zlib's default, a budget summary of a thousand
 * pages holds (and writes) a tenth less (2.63 MB for 2.88). */
#define REPORT_PAGE_LEVEL 6

/* zlib's defaults (compress2's bytes): a 32 KB window, 8 memory level. */
unsigned char *pdf_deflate_bytes(const void *in, size_t len, int level, size_t *zlen)
{
	return deflate_with(in, len, level < 0 ? 6 : level, 15, 8, zlen);
}

/* A slim page: the window no larger than the page (and the hash table to
 * match), a function of its length alone, so that less of zlib's state is
 * cleared for each page (an eighth less time compressing). */
unsigned char *pdf_deflate_page(const void *in, size_t len, int report, size_t *zlen)
{
	int wbits = 9;
	while (wbits < 15 && ((size_t)1 << wbits) < len)
		wbits++;
	return deflate_with(in, len, report ? REPORT_PAGE_LEVEL : PAGE_LEVEL, wbits, wbits - 7 < 1 ? 1 : wbits - 7,
			    zlen);
}

/* What is compressed once a run and copied into every document may take
 * the time for zlib's best. */
static unsigned char *deflate_once(const void *in, size_t len, size_t *zlen)
{
	return pdf_deflate_bytes(in, len, Z_BEST_COMPRESSION, zlen);
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
			pdf_fail(pdf, "cannot embed a font");
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
		pdf_fail(pdf, "cannot add the metadata");
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
		pdf_fail(pdf, rgb ? "cannot load the colour profile " ICC_PROFILE " (package icc-profiles-free)"
			      : "cannot load the colour profile " GRAY_PROFILE " (package icc-profiles-free)");
		return;
	}
	HPDF_PDFA_AppendOutputIntents(doc, rgb ? "sRGB IEC61966-2.1" : "Gray", icc);
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
		pdf_leave_page(pdf);
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
		pdf_fail(pdf, "cannot save the document");
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
