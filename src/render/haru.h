/* haru.h - every reach into libharu's private records, in one place.
 *
 * libharu's public API (hpdf.h) cannot load a font from memory (or name
 * its subset), attach XMP metadata, set the file identifier, give an
 * outline entry a direct destination, compress a page when it is left,
 * share one resource dictionary between pages, name a font on a page for
 * content written without it, embed a font program or a colour profile
 * compressed already, or save into a stream of ours. haru.c does
 * these through the records of libharu's installed internal headers, each
 * reach commented, and refuses to compile against a libharu other than
 * the one it was written for: whoever upgrades libharu reviews haru.c. */
#ifndef SAMFAKT_HARU_H
#define SAMFAKT_HARU_H

#include <hpdf.h>
#include <stddef.h>

/* Load a TrueType font (len bytes at bytes, kept by the caller for the
 * document's life) as HPDF_LoadTTFontFromFile would load it from a file
 * with embedding; its name for HPDF_GetFont, or NULL. Its subset tag is
 * tag (six capitals), or with NULL the next of libharu's (HPDFAA, …). */
const char *haru_load_ttf(HPDF_Doc doc, const char *bytes, size_t len, const char *tag);

/* The glyphs font has used in its document so far, one flag byte each
 * (*count of them), and its subset tag (*tag, 7 characters "HPDFAA+", not
 * terminated): what the program libharu would embed depends on. NULL
 * for a font that is not TrueType. */
const unsigned char *haru_font_glyphs(HPDF_Font font, size_t *count, const char **tag);
/* That program, uncompressed (malloc'd, *len set), or NULL. */
unsigned char *haru_font_program(HPDF_Font font, size_t *len);
/* Embed z (zlen bytes: a program haru_font_program made for the same
 * glyphs and tag, deflated; raw_len bytes inflated) as font's program,
 * in the font descriptor libharu would make, instead of libharu making
 * and compressing it again when the document is saved. 0 or -1. */
int haru_font_embed(HPDF_Doc doc, HPDF_Font font, const void *z, size_t zlen, size_t raw_len);

/* An output intent's ICC profile stream holding z (zlen bytes, the
 * profile deflated), as HPDF_ICC_LoadIccFromMem makes it; or NULL. */
HPDF_OutputIntent haru_icc_compressed(HPDF_Doc doc, const void *z, size_t zlen, int components);

/* Attach an XMP packet as the catalog's uncompressed /Metadata stream,
 * make the file PDF 1.4, and set the trailer's /ID from the packet (its
 * MD5, twice): stable for the same document, different for different
 * ones. Returns 0 or -1. */
int haru_add_metadata(HPDF_Doc doc, const char *xmp, size_t len);

/* Give outline entry o a direct destination: page, fit to width at top
 * (points from the bottom). Returns 0 or -1. */
int haru_outline_dest(HPDF_Doc doc, HPDF_Outline o, HPDF_Page page, double top);

/* The page's content stream, not yet compressed: its bytes (malloc'd, len
 * set) or NULL when it was compressed already or cannot be read. */
unsigned char *haru_page_content(HPDF_Page page, size_t *len);
/* Replace the page's content with z (zlen bytes, deflated), written out
 * as it is with /Filter /FlateDecode: in the memory it has when it fits,
 * else in a block of zlen + room bytes (room: for what may be drawn on
 * it later, see pdf_use_page). */
void haru_page_set_compressed(HPDF_Page page, const void *z, size_t zlen, size_t room);
/* The deflated bytes haru_page_set_compressed gave a page (malloc'd), or
 * NULL when its content is not so. */
unsigned char *haru_page_compressed(HPDF_Page page, size_t *len);

/* A resource dictionary (an indirect object) with libharu's ProcSet and
 * an empty font dictionary (*fonts), for pages to share; NULL on failure.
 * (Classic documents only: see haru.c.) */
HPDF_Dict haru_shared_resources(HPDF_Doc doc, HPDF_Dict *fonts);
/* Make the page use res and fonts instead of its own. Returns 0 or -1. */
int haru_page_share_resources(HPDF_Page page, HPDF_Dict res, HPDF_Dict fonts);

/* The name under which page's content may use font ("F1"), the font put
 * in the page's resources; NULL on failure. */
const char *haru_page_font_name(HPDF_Page page, HPDF_Font font);

/* Save the document, handing its bytes to write as libharu produces them
 * (in pieces of a few bytes). Returns libharu's status. */
typedef HPDF_STATUS (*haru_write_fn)(void *ctx, const HPDF_BYTE *bytes, HPDF_UINT len);
HPDF_STATUS haru_save(HPDF_Doc doc, haru_write_fn write, void *ctx);

#endif
