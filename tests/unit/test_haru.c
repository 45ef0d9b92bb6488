/* test_haru.c - each reach into libharu's private records does what it
 * says: a font loaded from memory, the metadata and file identifier, a
 * direct outline destination, a page compressed when left, pages sharing
 * resources, a page's name for a font, a font program and a colour
 * profile embedded from bytes compressed beforehand, and saving into our
 * stream. */
#include "base/file.h"
#include "harness.h"

#include <hpdf.h>
#include <zlib.h>

#include "base/util.h"
#include "model/csvfile.h"
#include "render/haru.h"

static HPDF_STATUS collect(void *ctx, const HPDF_BYTE *bytes, HPDF_UINT len)
{
	sb_add(ctx, (const char *)bytes, len);
	return HPDF_OK;
}

/* The document saved through haru_save. */
static struct strbuf saved(HPDF_Doc doc)
{
	struct strbuf sb = {0};
	assert_int_equal(haru_save(doc, collect, &sb), HPDF_OK);
	assert_true(sb.len > 100);
	assert_memory_equal(sb.buf, "%PDF-", 5);
	return sb;
}

/* Where the n bytes at what first are in sb at or after from, or NULL. */
static const unsigned char *find_bytes(const struct strbuf *sb, const void *what, size_t n,
				       size_t from)
{
	for (size_t i = from; i + n <= sb->len; i++)
		if (memcmp(sb->buf + i, what, n) == 0)
			return (const unsigned char *)sb->buf + i;
	return NULL;
}

static const unsigned char *find(const struct strbuf *sb, const char *what, size_t from)
{
	return find_bytes(sb, what, strlen(what), from);
}

static int contains(const struct strbuf *sb, const char *what)
{
	return find(sb, what, 0) != NULL;
}

static char *font_data(size_t *len)
{
	char *data = read_file(FONT_DIR "/DejaVuSans.ttf", 1 << 24, len, "font");
	assert_non_null(data);
	return data;
}

static void font_metadata_outline_save(void **state)
{
	(void)state;
	HPDF_Doc doc = HPDF_New(NULL, NULL);
	size_t len;
	char *ttf = font_data(&len);
	const char *name = haru_load_ttf(doc, ttf, len, NULL);
	assert_non_null(name);
	assert_string_equal(name, "DejaVuSans,Book");
	const char *again = haru_load_ttf(doc, ttf, len, NULL);	/* a second subset tag */
	assert_non_null(again);
	HPDF_Font f = HPDF_GetFont(doc, name, "WinAnsiEncoding");
	assert_non_null(f);
	HPDF_Page page = HPDF_AddPage(doc);
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, f, 12);
	HPDF_Page_TextOut(page, 50, 700, "Faktura");
	HPDF_Page_EndText(page);
	HPDF_Outline o = HPDF_CreateOutline(doc, NULL, "Rubrik", NULL);
	assert_int_equal(haru_outline_dest(doc, o, page, 700), 0);
	static const char xmp[] = "<x:xmpmeta xmlns:x='adobe:ns:meta/'></x:xmpmeta>";
	assert_int_equal(haru_add_metadata(doc, xmp, sizeof xmp - 1), 0);
	struct strbuf pdf = saved(doc);
	assert_memory_equal(pdf.buf, "%PDF-1.4", 8);
	assert_true(contains(&pdf, "/FontFile2"));		/* embedded */
	assert_true(contains(&pdf, "/HPDFAA+DejaVuSans"));	/* libharu's subset tag */
	assert_true(contains(&pdf, "/Metadata"));
	assert_true(contains(&pdf, xmp));			/* left uncompressed */
	assert_true(contains(&pdf, "/ID ["));
	assert_true(contains(&pdf, "/FitH"));
	sb_release(&pdf);
	HPDF_Free(doc);
	free(ttf);
}

/* A page compressed when left is in the file as it was compressed, with
 * the filter that says so; two pages share one resource dictionary. */
static void pages_compressed_and_shared(void **state)
{
	(void)state;
	HPDF_Doc doc = HPDF_New(NULL, NULL);
	HPDF_Page page = HPDF_AddPage(doc);
	HPDF_Page_MoveTo(page, 10, 10);
	HPDF_Page_LineTo(page, 200, 200);
	HPDF_Page_Stroke(page);
	size_t raw;
	unsigned char *content = haru_page_content(page, &raw);
	assert_non_null(content);
	assert_true(raw > 10);
	uLongf zlen = compressBound(raw);
	Bytef *z = malloc(zlen);
	assert_int_equal(compress2(z, &zlen, content, raw, Z_DEFAULT_COMPRESSION), Z_OK);
	haru_page_set_compressed(page, z, zlen, 0);
	size_t again;
	assert_null(haru_page_content(page, &again));	/* compressed already */
	/* what was compressed is read back as it was */
	unsigned char *back = haru_page_compressed(page, &again);
	assert_non_null(back);
	assert_int_equal(again, zlen);
	assert_memory_equal(back, z, zlen);
	free(back);
	HPDF_Dict fonts;
	HPDF_Dict res = haru_shared_resources(doc, &fonts);
	assert_non_null(res);
	HPDF_Page second = HPDF_AddPage(doc);
	assert_int_equal(haru_page_share_resources(second, res, fonts), 0);
	struct strbuf pdf = saved(doc);
	assert_true(contains(&pdf, "/Filter [ /FlateDecode ]"));
	/* the compressed bytes are in the file as they were made */
	assert_non_null(find_bytes(&pdf, z, zlen, 0));
	sb_release(&pdf);
	HPDF_Free(doc);
	free(z);
	free(content);
}

/* A page sealed with room, then sealed again with more (a report's page
 * given its running header): the file holds the second bytes only, and
 * the second fits in the block the first had. */
static void page_sealed_again(void **state)
{
	(void)state;
	HPDF_Doc doc = HPDF_New(NULL, NULL);
	HPDF_Page page = HPDF_AddPage(doc);
	const char *first = "0 0 m 100 100 l S\n", *second = "0 0 m 100 100 l S\n0 0 m 50 50 l S\n";
	uLongf z1len = compressBound(strlen(first)), z2len = compressBound(strlen(second));
	Bytef *z1 = malloc(z1len), *z2 = malloc(z2len);
	assert_int_equal(compress2(z1, &z1len, (const Bytef *)first, strlen(first), 9), Z_OK);
	assert_int_equal(compress2(z2, &z2len, (const Bytef *)second, strlen(second), 9), Z_OK);
	assert_true(z2len > z1len);
	haru_page_set_compressed(page, z1, z1len, 64);
	haru_page_set_compressed(page, z2, z2len, 64);
	size_t len;
	unsigned char *back = haru_page_compressed(page, &len);
	assert_int_equal(len, z2len);
	assert_memory_equal(back, z2, z2len);
	free(back);
	struct strbuf pdf = saved(doc);
	assert_non_null(find_bytes(&pdf, z2, z2len, 0));
	assert_null(find_bytes(&pdf, z1, z1len, 0));
	sb_release(&pdf);
	HPDF_Free(doc);
	free(z1);
	free(z2);
}

/* A font is named on a page and put in its resources. */
static void page_font_name(void **state)
{
	(void)state;
	size_t len;
	char *ttf = font_data(&len);
	HPDF_Doc doc = HPDF_New(NULL, NULL);
	HPDF_Font f = HPDF_GetFont(doc, haru_load_ttf(doc, ttf, len, NULL), "WinAnsiEncoding");
	HPDF_Page page = HPDF_AddPage(doc);
	const char *name = haru_page_font_name(page, f);
	assert_non_null(name);
	assert_string_equal(name, "F1");
	assert_string_equal(haru_page_font_name(page, f), "F1");	/* once */
	struct strbuf pdf = saved(doc);
	assert_true(contains(&pdf, "/Font <<\012/F1 "));
	sb_release(&pdf);
	HPDF_Free(doc);
	free(ttf);
}


/* The first FontFile2 stream of a saved document, inflated (its
 * dictionary saying that it is compressed). */
static unsigned char *font_file(const struct strbuf *pdf, size_t *len)
{
	const unsigned char *at = find(pdf, "/Length1 ", 0);
	assert_non_null(at);
	const unsigned char *filter = find(pdf, "/Filter [ /FlateDecode ]", (size_t)((const char *)at - pdf->buf));
	at = find(pdf, "stream\r\n", (size_t)((const char *)at - pdf->buf));
	assert_non_null(at);
	assert_true(filter && filter < at);	/* says it is compressed */
	at += 8;
	size_t cap = 1 << 20;
	unsigned char *out = malloc(cap);
	z_stream zs = {0};
	assert_int_equal(inflateInit(&zs), Z_OK);
	zs.next_in = (Bytef *)at;
	zs.avail_in = (uInt)(pdf->buf + pdf->len - (const char *)at);
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	*len = zs.total_out;
	inflateEnd(&zs);
	return out;
}

/* A document with one font and some text in it. */
static HPDF_Doc doc_with_text(const char *ttf, size_t len, HPDF_Font *font)
{
	HPDF_Doc doc = HPDF_New(NULL, NULL);
	HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
	*font = HPDF_GetFont(doc, haru_load_ttf(doc, ttf, len, NULL), "WinAnsiEncoding");
	HPDF_Page page = HPDF_AddPage(doc);
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, *font, 12);
	HPDF_Page_TextOut(page, 50, 700, "Faktura 2016-0001");
	HPDF_Page_EndText(page);
	return doc;
}

/* The program haru_font_program makes is the one libharu embeds itself
 * for the same glyphs; embedded from our compressed bytes it is in the
 * file as given, and a second descriptor is refused. The colour profile
 * likewise. */
static void font_program_and_profile_precompressed(void **state)
{
	(void)state;
	size_t len;
	char *ttf = font_data(&len);
	HPDF_Font f;
	HPDF_Doc theirs = doc_with_text(ttf, len, &f);
	struct strbuf pdf = saved(theirs);
	size_t want_len;
	unsigned char *want = font_file(&pdf, &want_len);
	sb_release(&pdf);
	HPDF_Free(theirs);

	HPDF_Doc doc = doc_with_text(ttf, len, &f);
	size_t n;
	const char *tag;
	const unsigned char *glyphs = haru_font_glyphs(f, &n, &tag);
	assert_non_null(glyphs);
	assert_true(n > 200);
	assert_memory_equal(tag, "HPDFAA+", 7);
	size_t used = 0;
	for (size_t i = 0; i < n; i++)
		used += glyphs[i];
	assert_in_range(used, 12, 16);	/* .notdef and "Faktura 2016-0001" */
	size_t raw_len;
	unsigned char *raw = haru_font_program(f, &raw_len);
	assert_non_null(raw);
	assert_int_equal(raw_len, want_len);
	assert_memory_equal(raw, want, raw_len);
	uLongf zlen = compressBound(raw_len);
	Bytef *z = malloc(zlen);
	assert_int_equal(compress2(z, &zlen, raw, raw_len, 9), Z_OK);
	assert_int_equal(haru_font_embed(doc, f, z, zlen, raw_len), 0);
	assert_int_equal(haru_font_embed(doc, f, z, zlen, raw_len), -1);

	static const unsigned char profile[] = "not a real profile, only bytes to carry";
	uLongf plen = compressBound(sizeof profile);
	Bytef *pz = malloc(plen);
	assert_int_equal(compress2(pz, &plen, profile, sizeof profile, 9), Z_OK);
	HPDF_OutputIntent icc = haru_icc_compressed(doc, pz, plen, 3);
	assert_non_null(icc);
	assert_int_equal(HPDF_PDFA_AppendOutputIntents(doc, "sRGB IEC61966-2.1", icc), HPDF_OK);

	pdf = saved(doc);
	assert_true(contains(&pdf, "/FontFile2"));
	char length1[40];
	snprintf(length1, sizeof length1, "/Length1 %zu", raw_len);
	assert_true(contains(&pdf, length1));
	assert_true(contains(&pdf, "/FontName /HPDFAA+DejaVuSans"));
	assert_true(contains(&pdf, "/N 3"));
	assert_true(contains(&pdf, "/Alternate /DeviceRGB"));
	{	/* the profile's dictionary says it is compressed */
		const unsigned char *icc = find(&pdf, "/Alternate /DeviceRGB", 0);
		const unsigned char *filter = find(&pdf, "/Filter [ /FlateDecode ]",
						   (size_t)((const char *)icc - pdf.buf));
		const unsigned char *data = find(&pdf, "stream\r\n", (size_t)((const char *)icc - pdf.buf));
		assert_true(filter && data && filter < data);
	}
	assert_true(contains(&pdf, "/OutputIntents"));
	assert_non_null(find_bytes(&pdf, z, zlen, 0));	/* as given */
	assert_non_null(find_bytes(&pdf, pz, plen, 0));
	size_t again_len;
	unsigned char *again = font_file(&pdf, &again_len);	/* it inflates to the program */
	assert_int_equal(again_len, raw_len);
	assert_memory_equal(again, raw, raw_len);
	free(again);
	sb_release(&pdf);
	HPDF_Free(doc);
	free(z);
	free(pz);
	free(raw);
	free(want);
	free(ttf);
}

/* A font loaded with a tag of ours keeps it; a document reused with
 * HPDF_NewDoc keeps its fonts and forgets which glyphs they used (what
 * pdf.c's run document relies on). */
static void tagged_font_recycled(void **state)
{
	(void)state;
	size_t len;
	char *ttf = font_data(&len);
	HPDF_Doc doc = HPDF_New(NULL, NULL);
	const char *name = haru_load_ttf(doc, ttf, len, "SFAKTA");
	assert_non_null(name);
	for (int round = 0; round < 2; round++) {
		if (round)
			assert_int_equal(HPDF_NewDoc(doc), HPDF_OK);
		HPDF_Font f = HPDF_GetFont(doc, name, "WinAnsiEncoding");
		assert_non_null(f);
		size_t n, used = 0;
		const char *tag;
		const unsigned char *glyphs = haru_font_glyphs(f, &n, &tag);
		for (size_t i = 0; i < n; i++)
			used += glyphs[i];
		assert_int_equal(used, 1);	/* .notdef alone, in either round */
		assert_memory_equal(tag, "SFAKTA+", 7);
		HPDF_Page page = HPDF_AddPage(doc);
		HPDF_Page_BeginText(page);
		HPDF_Page_SetFontAndSize(page, f, 12);
		HPDF_Page_TextOut(page, 50, 700, round ? "Kreditfaktura" : "Faktura");
		HPDF_Page_EndText(page);
		struct strbuf pdf = saved(doc);
		assert_true(contains(&pdf, "/BaseFont /SFAKTA+DejaVuSans"));
		sb_release(&pdf);
	}
	HPDF_Free(doc);
	free(ttf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(font_metadata_outline_save),
		cmocka_unit_test(pages_compressed_and_shared),
		cmocka_unit_test(page_sealed_again),
		cmocka_unit_test(font_program_and_profile_precompressed),
		cmocka_unit_test(tagged_font_recycled),
		cmocka_unit_test(page_font_name),
	};
	return cmocka_run_group_tests_name("haru", tests, NULL, NULL);
}
