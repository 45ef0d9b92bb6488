/* haru.c - libharu's private records, used where its public API falls
 * short. Written against libharu 2.3.0 as Debian 12 ships it (libhpdf-dev
 * 2.3.0+dfsg-1): its internal headers are installed, but nothing promises
 * that their records stay the same, so another version must be reviewed
 * here, reach by reach, before this file is let through.
 *
 * libharu 2.4 has HPDF_LoadTTFontFromMemory (haru_load_ttf's job, but not
 * naming the subset), and nothing yet for the other reaches here. */
#include "render/haru.h"

#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_fontdef.h>
#include <hpdf_list.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_version.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#if HPDF_MAJOR_VERSION != 2 || HPDF_MINOR_VERSION != 3 || HPDF_BUGFIX_VERSION != 0
#error "haru.c was written against libharu 2.3.0: review each reach below for this version"
#endif

/* ---- fonts ----------------------------------------------------------------- */

/* Reach: HPDF_LoadTTFontFromFile reads the file for every document (a
 * run makes hundreds); this is its body with a memory stream. It needs
 * the document's memory manager (doc->mmgr), its font definition list
 * (doc->fontdef_list), its subset tag counter (doc->ttfont_tag, which
 * names subsets HPDFAA, HPDFAB, … as libharu does, unless the caller
 * names the subset) and the definition's base_font. (libharu 2.4's
 * HPDF_LoadTTFontFromMemory would do the loading, not the naming.) */
const char *haru_load_ttf(HPDF_Doc doc, const char *bytes, size_t len, const char *tag)
{
	HPDF_Stream ms = HPDF_MemStream_New(doc->mmgr, (HPDF_UINT)len);
	if (!ms || HPDF_Stream_Write(ms, (const HPDF_BYTE *)bytes, (HPDF_UINT)len) != HPDF_OK)
		return NULL;
	HPDF_FontDef def = HPDF_TTFontDef_Load(doc->mmgr, ms, HPDF_TRUE);	/* owns ms */
	if (!def)
		return NULL;
	if (HPDF_List_Add(doc->fontdef_list, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		return NULL;
	}
	if (!tag) {	/* libharu's next: HPDFAA, HPDFAB, … */
		if (doc->ttfont_tag[0] == 0) {
			memcpy(doc->ttfont_tag, "HPDFAA", 6);
		} else {
			for (int i = 5; i >= 0; i--) {
				if (++doc->ttfont_tag[i] > 'Z')
					doc->ttfont_tag[i] = 'A';
				else
					break;
			}
		}
		tag = (const char *)doc->ttfont_tag;
	}
	HPDF_TTFontDef_SetTagName(def, (char *)tag);
	return def->base_font;
}

/* ---- fonts embedded from a cache ----------------------------------------------
 *
 * libharu makes a font's embedded program when the document is saved
 * (CreateDescriptor in hpdf_font_tt.c): it writes the font's tables byte
 * by byte into a memory stream, with the glyphs the document used and the
 * names tagged with the subset tag, and compresses them as it writes the
 * file. A run of a thousand invoices made and compressed nearly the same
 * program a thousand times: 80 % of its time. pdfdoc.c keeps each program it
 * has compressed, keyed on what it depends on (the font, the tag, the
 * glyphs), and gives a document the bytes it already has.
 *
 * Reaches: the font's record (HPDF_FontAttr: fontdef) and its TrueType
 * definition (HPDF_TTFontDefAttr: glyph_tbl.flgs, num_glyphs, tag_name,
 * base_font, char_set; HPDF_FontDef_Rec: the metrics and descriptor);
 * HPDF_TTFontDef_SaveFontData, libharu's own writer of the program; the
 * document's memory manager and cross-reference table (doc->mmgr,
 * doc->xref) for the descriptor; the stream dictionary's filter and
 * write_fn fields, as for pages below. When the descriptor is set before
 * the save, libharu's CreateDescriptor uses it and makes nothing. */

static HPDF_TTFontDefAttr tt_attr(HPDF_Font font)
{
	HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
	return def->type == HPDF_FONTDEF_TYPE_TRUETYPE ? (HPDF_TTFontDefAttr)def->attr : NULL;
}

const unsigned char *haru_font_glyphs(HPDF_Font font, size_t *count, const char **tag)
{
	HPDF_TTFontDefAttr a = tt_attr(font);
	if (!a)
		return NULL;
	*count = a->num_glyphs;
	*tag = a->tag_name;	/* "HPDFAA+", not terminated */
	return a->glyph_tbl.flgs;
}

static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out);

/* The bytes of a memory stream (malloc'd), or NULL. */
static unsigned char *mem_stream_bytes(HPDF_Stream st, size_t *len)
{
	size_t raw = st->size, at = 0;
	unsigned char *out = xmalloc(raw + 1);
	for (HPDF_UINT i = 0; i < HPDF_MemStream_GetBufCount(st); i++) {
		HPDF_UINT n;
		HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(st, i, &n);
		if (!p || at + n > raw)
			break;
		memcpy(out + at, p, n);
		at += n;
	}
	if (at != raw) {
		free(out);
		return NULL;
	}
	*len = raw;
	return out;
}

unsigned char *haru_font_program(HPDF_Font font, size_t *len)
{
	HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
	if (!tt_attr(font))
		return NULL;
	HPDF_Stream ms = HPDF_MemStream_New(def->mmgr, 16384);
	if (!ms)
		return NULL;
	unsigned char *out = HPDF_TTFontDef_SaveFontData(def, ms) == HPDF_OK ? mem_stream_bytes(ms, len) : NULL;
	HPDF_Stream_Free(ms);
	return out;
}

/* A stream dictionary whose bytes are deflated already: written as they
 * are, with the /Filter entry libharu would write. */
static void precompressed(HPDF_Dict dict)
{
	dict->filter = HPDF_STREAM_FILTER_NONE;
	dict->write_fn = write_flate_filter;
}

int haru_font_embed(HPDF_Doc doc, HPDF_Font font, const void *z, size_t zlen, size_t raw_len)
{
	HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
	HPDF_TTFontDefAttr a = tt_attr(font);
	if (!a || def->descriptor)
		return -1;
	/* the descriptor CreateDescriptor makes, entry for entry */
	HPDF_Dict d = HPDF_Dict_New(doc->mmgr);
	if (!d || HPDF_Xref_Add(doc->xref, d) != HPDF_OK)
		return -1;
	HPDF_STATUS ret = 0;
	ret += HPDF_Dict_AddName(d, "Type", "FontDescriptor");
	ret += HPDF_Dict_AddNumber(d, "Ascent", def->ascent);
	ret += HPDF_Dict_AddNumber(d, "Descent", def->descent);
	ret += HPDF_Dict_AddNumber(d, "CapHeight", def->cap_height);
	ret += HPDF_Dict_AddNumber(d, "Flags", (HPDF_INT32)def->flags);
	ret += HPDF_Dict_Add(d, "FontBBox", HPDF_Box_Array_New(doc->mmgr, def->font_bbox));
	ret += HPDF_Dict_AddName(d, "FontName", a->base_font);
	ret += HPDF_Dict_AddNumber(d, "ItalicAngle", def->italic_angle);
	ret += HPDF_Dict_AddNumber(d, "StemV", def->stemv);
	ret += HPDF_Dict_AddNumber(d, "XHeight", def->x_height);
	if (a->char_set)
		ret += HPDF_Dict_AddName(d, "CharSet", a->char_set);
	HPDF_Dict file = HPDF_DictStream_New(doc->mmgr, doc->xref);
	if (ret != HPDF_OK || !file || HPDF_Stream_Write(file->stream, z, (HPDF_UINT)zlen) != HPDF_OK)
		return -1;
	ret += HPDF_Dict_Add(d, "FontFile2", file);
	ret += HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)raw_len);
	ret += HPDF_Dict_AddNumber(file, "Length2", 0);
	ret += HPDF_Dict_AddNumber(file, "Length3", 0);
	if (ret != HPDF_OK)
		return -1;
	precompressed(file);
	a->length1 = (HPDF_UINT)raw_len;
	def->descriptor = d;
	return 0;
}

/* ---- the colour profile, compressed once ---------------------------------------
 *
 * Reach: HPDF_LoadIccProfileFromFile stores the profile uncompressed in
 * every document (7 KB). HPDF_ICC_LoadIccFromMem takes the document's
 * memory manager and cross-reference table (doc->mmgr, doc->xref); given
 * the deflated profile, its stream is marked as compressed already. */
HPDF_OutputIntent haru_icc_compressed(HPDF_Doc doc, const void *z, size_t zlen, int components)
{
	HPDF_Stream ms = HPDF_MemStream_New(doc->mmgr, (HPDF_UINT)zlen);
	if (!ms || HPDF_Stream_Write(ms, z, (HPDF_UINT)zlen) != HPDF_OK)
		return NULL;
	HPDF_OutputIntent icc = HPDF_ICC_LoadIccFromMem(doc, doc->mmgr, ms, doc->xref, components);
	HPDF_Stream_Free(ms);
	if (icc)
		precompressed(icc);
	return icc;
}

/* ---- PDF/A: metadata and file identifier ------------------------------------ */

/* Reach: PDF/A-1b needs XMP metadata and a file identifier; libharu has
 * no call for either. The stream is made with the document's memory
 * manager and cross-reference table (doc->mmgr, doc->xref), left
 * uncompressed (its filter field) so that readers find it, and hung on
 * the catalog (doc->catalog); the file version (doc->pdf_version) becomes
 * 1.4, and the trailer (doc->trailer) gets the /ID pair. The MD5 is
 * libharu's own (hpdf_encrypt.h). */
int haru_add_metadata(HPDF_Doc doc, const char *xmp, size_t len)
{
	HPDF_Dict stream = HPDF_DictStream_New(doc->mmgr, doc->xref);
	if (!stream)
		return -1;
	stream->filter = HPDF_STREAM_FILTER_NONE;
	HPDF_Dict_AddName(stream, "Type", "Metadata");
	HPDF_Dict_AddName(stream, "Subtype", "XML");
	HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)len);
	HPDF_Dict_Add(doc->catalog, "Metadata", stream);
	doc->pdf_version = HPDF_VER_14;

	HPDF_MD5_CTX md5;
	HPDF_BYTE id[HPDF_MD5_KEY_LEN];
	HPDF_MD5Init(&md5);
	HPDF_MD5Update(&md5, (const HPDF_BYTE *)xmp, (HPDF_UINT32)len);
	HPDF_MD5Final(id, &md5);
	HPDF_Array ids = HPDF_Array_New(doc->mmgr);
	if (!ids || HPDF_Dict_Add(doc->trailer, "ID", ids) != HPDF_OK)
		return -1;
	HPDF_Array_Add(ids, HPDF_Binary_New(doc->mmgr, id, HPDF_MD5_KEY_LEN));
	HPDF_Array_Add(ids, HPDF_Binary_New(doc->mmgr, id, HPDF_MD5_KEY_LEN));
	return 0;
}

/* ---- outlines ------------------------------------------------------------- */

/* Reach: HPDF_Outline_SetDestination takes the indirect destination
 * HPDF_Page_CreateDestination makes, which PDFBox Preflight cannot read;
 * a direct array is added to the outline's dictionary instead (an
 * HPDF_Outline is an HPDF_Dict), made with doc->mmgr. */
int haru_outline_dest(HPDF_Doc doc, HPDF_Outline o, HPDF_Page page, double top)
{
	HPDF_Array dst = HPDF_Array_New(doc->mmgr);
	if (!dst)
		return -1;
	HPDF_Array_Add(dst, page);
	HPDF_Array_AddName(dst, "FitH");
	HPDF_Array_AddReal(dst, (HPDF_REAL)top);
	return HPDF_Dict_Add((HPDF_Dict)o, "Dest", dst) == HPDF_OK ? 0 : -1;
}

/* ---- pages compressed when they are left --------------------------------------
 *
 * Reach: libharu holds every page's content stream until the document is
 * saved, and only then compresses it (a report of 800 pages held 13 MB of
 * page text). pdf.c compresses a page when it is left, with zlib's default
 * level as libharu would, and this puts the result in place of the page's
 * stream, written out as it is with the same /Filter entry libharu writes.
 * It uses the page record (HPDF_PageAttr: contents, stream), the stream
 * record (type, size), the memory stream's record (buf_siz, w_pos) and
 * the dictionary's filter and write_fn fields. (A reach that kept long
 * documents' pages in a file through a stream of callbacks is gone: it
 * saved memory only at sizes no cooperation has.) */

static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
	(void)dict;
	return HPDF_Stream_WriteStr(out, "/Filter [ /FlateDecode ]\012");
}

unsigned char *haru_page_content(HPDF_Page page, size_t *len)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	HPDF_Stream st = attr->stream;
	if (attr->contents->write_fn == write_flate_filter || st->type != HPDF_STREAM_MEMORY)
		return NULL;	/* compressed already */
	return mem_stream_bytes(st, len);
}

unsigned char *haru_page_compressed(HPDF_Page page, size_t *len)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	if (attr->contents->write_fn != write_flate_filter || attr->stream->type != HPDF_STREAM_MEMORY)
		return NULL;
	return mem_stream_bytes(attr->stream, len);
}

void haru_page_set_compressed(HPDF_Page page, const void *z, size_t zlen, size_t room)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	HPDF_Stream st = attr->stream;
	HPDF_MemStreamAttr mattr = (HPDF_MemStreamAttr)st->attr;
	if (attr->contents->write_fn == write_flate_filter && mattr->buf->count == 1 && zlen <= mattr->buf_siz) {
		/* in the block it has, as HPDF_MemStream_Rewrite would, and its
		   size and positions set as HPDF_MemStream_InWrite leaves them:
		   no block freed and another taken, which left the heap full of
		   holes when a report's pages were opened again */
		HPDF_BYTE *b = HPDF_List_ItemAt(mattr->buf, 0);
		memcpy(b, z, zlen);
		mattr->w_pos = (HPDF_UINT)zlen;
		mattr->w_ptr = b + zlen;
		mattr->r_ptr_idx = mattr->r_pos = 0;
		mattr->r_ptr = b;
		st->size = (HPDF_UINT32)zlen;
	} else {	/* in memory: one block, just big enough (and room) */
		HPDF_MemStream_FreeData(st);
		mattr->buf_siz = mattr->w_pos = (HPDF_UINT)(zlen + room ? zlen + room : 1);
		HPDF_Stream_Write(st, z, (HPDF_UINT)zlen);
	}
	attr->contents->filter = HPDF_STREAM_FILTER_NONE;
	attr->contents->write_fn = write_flate_filter;
}

/* ---- shared resources ----------------------------------------------------------
 *
 * Reach: libharu gives every page a resource dictionary of its own, with
 * the same ProcSet and the same fonts, some 2 KB a page kept until the
 * document is saved. Pages may share one instead: an indirect dictionary
 * (added to doc->xref, made with doc->mmgr), and the page record's fonts
 * field (HPDF_PageAttr) pointed at its font dictionary, where libharu
 * names the fonts a page uses. Only classic documents (samfakt 1.0's
 * layouts) still do, so that an issued invoice of theirs of more than
 * four pages is remade to the same bytes. */

HPDF_Dict haru_shared_resources(HPDF_Doc doc, HPDF_Dict *fonts_out)
{
	HPDF_Dict res = HPDF_Dict_New(doc->mmgr);
	HPDF_Array procset = HPDF_Array_New(doc->mmgr);
	HPDF_Dict fonts = HPDF_Dict_New(doc->mmgr);
	if (!res || !procset || !fonts || HPDF_Xref_Add(doc->xref, res) != HPDF_OK ||
	    HPDF_Dict_Add(res, "ProcSet", procset) != HPDF_OK || HPDF_Dict_Add(res, "Font", fonts) != HPDF_OK)
		return NULL;
	static const char *const sets[] = {"PDF", "Text", "ImageB", "ImageC", "ImageI"};
	for (size_t i = 0; i < sizeof sets / sizeof *sets; i++)
		HPDF_Array_Add(procset, HPDF_Name_New(doc->mmgr, sets[i]));
	*fonts_out = fonts;
	return res;
}

int haru_page_share_resources(HPDF_Page page, HPDF_Dict res, HPDF_Dict fonts)
{
	/* replaces (and frees) the page's own dictionary */
	if (HPDF_Dict_Add(page, "Resources", res) != HPDF_OK)
		return -1;
	((HPDF_PageAttr)page->attr)->fonts = fonts;
	return 0;
}

/* ---- a page's name for a font ----------------------------------------------
 *
 * Reach: slim pages write their own content (pdf.c), and a font they use
 * must be in the page's resources under a name: HPDF_Page_GetLocalFontName
 * (of hpdf_pages.h, not hpdf.h) adds it there, as HPDF_Page_SetFontAndSize
 * does, and says the name. */
const char *haru_page_font_name(HPDF_Page page, HPDF_Font font)
{
	return HPDF_Page_GetLocalFontName(page, font);
}

/* ---- saving --------------------------------------------------------------------
 *
 * Reach: HPDF_SaveToStream, given no stream of the document's own
 * (doc->stream), builds the whole file in a memory stream before anyone
 * can read it; given one, it writes there as it goes. A callback writer
 * (made with doc->mmgr) is set as doc->stream for the save, then taken
 * back. */

struct trampoline {
	haru_write_fn write;
	void *ctx;
};

static HPDF_STATUS trampoline_write(HPDF_Stream st, const HPDF_BYTE *p, HPDF_UINT n)
{
	struct trampoline *t = st->attr;
	return t->write(t->ctx, p, n);
}

HPDF_STATUS haru_save(HPDF_Doc doc, haru_write_fn write, void *ctx)
{
	struct trampoline t = {write, ctx};
	HPDF_Stream stream = HPDF_CallbackWriter_New(doc->mmgr, trampoline_write, &t);
	if (!stream)
		return HPDF_FAILD_TO_ALLOC_MEM;
	doc->stream = stream;
	HPDF_STATUS st = HPDF_SaveToStream(doc);
	doc->stream = NULL;
	HPDF_Stream_Free(stream);
	return st;
}
