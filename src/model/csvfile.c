/* csvfile.c - CSV reading on top of libcsv, with encodings and line numbers. */
#include "model/csvfile.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/util.h"

#define CSV_FILE_MAX (64u << 20)


int utf8_valid(const char *buf, size_t len, size_t *bad_offset)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t need;
		unsigned min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			need = 1, min = 0x80, c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2, min = 0x800, c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3, min = 0x10000, c &= 0x07;
		} else {
			goto bad;
		}
		for (size_t k = 1; k <= need; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				goto bad;
			c = (c << 6) | (s[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			goto bad;
		i += need + 1;
	}
	return 1;
bad:
	if (bad_offset)
		*bad_offset = i;
	return 0;
}

/* Does buf hold a well-formed UTF-8 sequence of two bytes or more? A
 * Windows-1252 file practically never does ("Ã¥" is how å in UTF-8 reads
 * as Windows-1252); a UTF-8 file with one bad byte does. */
static int utf8_has_multibyte(const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	for (size_t i = 0; i < len; i++) {
		size_t n = s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : s[i] >= 0xC2 ? 2 : 0;
		if (n && i + n <= len && utf8_valid(buf + i, n, NULL))
			return 1;
	}
	return 0;
}

static int line_of_offset(const char *buf, size_t offset)
{
	int line = 1;
	for (size_t i = 0; i < offset; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}

/* Convert Windows-1252 to UTF-8. Returns NULL (and reports) on a byte that
 * Windows-1252 leaves undefined. */
static char *from_windows1252(const char *path, const char *buf, size_t len, size_t *out_len)
{
	iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
	if (cd == (iconv_t)-1) {
		error_at(path, 0, "cannot convert from Windows-1252: %s", strerror(errno));
		return NULL;
	}
	size_t cap = len * 3 + 1;
	char *out = xmalloc(cap);
	char *in = (char *)buf, *o = out;
	size_t in_left = len, out_left = cap - 1;
	if (iconv(cd, &in, &in_left, &o, &out_left) == (size_t)-1) {
		error_at(path, line_of_offset(buf, (size_t)(in - buf)),
			 "neither UTF-8 nor Windows-1252: byte 0x%02X; save the file as \"CSV UTF-8\"",
			 (unsigned char)*in);
		free(out);
		iconv_close(cd);
		return NULL;
	}
	iconv_close(cd);
	*o = '\0';
	*out_len = (size_t)(o - out);
	return out;
}

/* Reading the records. A file is parsed twice: once whole when it is
 * opened, to find every syntax error before any record is used and to
 * count the records; then again record by record as csv_next_row asks.
 * Only the record being read is ever kept, never the table. */
struct csv_cursor {
	/* The text comes from memory (text, len, pos) or, for a UTF-8 file,
	 * straight from the file, a line at a time. */
	char *text;		/* the file as UTF-8, BOM left out */
	size_t len;
	size_t pos;		/* next byte to feed */
	FILE *f;
	long skip;		/* bytes of BOM at the file's start */
	char *buf;		/* the line read from f */
	size_t buf_cap;
	size_t handed;		/* records handed out in the second pass */
	int line;		/* line of that byte, from 1 */
	int finished;		/* csv_fini done */
	struct csv_parser p;
	int counting;		/* the first pass: records are counted, not kept */
	int header_seen;
	char **header;		/* kept by the first pass, for t->header */
	size_t nheader;
	size_t counted;		/* data records the first pass found */
	int record_line;	/* line the current record started on */
	int too_long;		/* line of a field over CSV_FIELD_MAX, or 0 */
	/* fields of the records fed so far, NUL-terminated, end to end */
	struct strbuf chars;
	size_t *starts, nstarts, starts_cap;
	size_t record_chars, record_start;	/* where the current record began */
	/* records complete but not yet handed out */
	struct queued {
		int line;
		size_t first, nfields;
	} *queue;
	size_t nqueued, queue_cap, next;
	struct csv_row row;
	size_t fields_cap;
};

static void on_field(void *data, size_t len, void *c_)
{
	struct csv_cursor *c = c_;
	if (len > CSV_FIELD_MAX) {
		if (!c->too_long)
			c->too_long = c->record_line;
		len = 0;
	}
	const char *s = data ? data : "";
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	GROW(c->starts, c->starts_cap, c->nstarts + 1);
	c->starts[c->nstarts++] = c->chars.len;
	sb_add(&c->chars, s, len);
	sb_add(&c->chars, "", 1);
}

static void on_record(int term, void *c_)
{
	(void)term;
	struct csv_cursor *c = c_;
	size_t first = c->record_start, n = c->nstarts - first;
	int blank = 1;
	for (size_t i = first; i < c->nstarts; i++)
		if (c->chars.buf[c->starts[i]])
			blank = 0;
	int keep = 0;
	if (!blank && !c->header_seen) {
		c->header_seen = 1;
		if (c->counting) {
			c->nheader = n;
			c->header = xmalloc((n + 1) * sizeof *c->header);
			for (size_t i = 0; i < n; i++)
				c->header[i] = xstrdup(c->chars.buf + c->starts[first + i]);
		}
	} else if (!blank) {
		c->counted += c->counting;
		keep = !c->counting;
	}
	if (keep) {
		GROW(c->queue, c->queue_cap, c->nqueued + 1);
		c->queue[c->nqueued++] = (struct queued){c->record_line, first, n};
	} else {
		c->chars.len = c->record_chars;
		c->nstarts = first;
	}
	c->record_chars = c->chars.len;
	c->record_start = c->nstarts;
}

/* Feed the next line to libcsv, or finish at the end of the text.
 * Returns 1 after a line, 0 at the end, -1 on a syntax error (reported). */
static int feed_line(struct csv_cursor *c, const char *path)
{
	const char *at;
	size_t n;
	if (c->f) {
		ssize_t got = c->finished ? -1 : getline(&c->buf, &c->buf_cap, c->f);
		if (got < 0 && ferror(c->f)) {
			error_at(path, c->line, "cannot read: %s", strerror(errno));
			return -1;
		}
		at = c->buf;
		n = got < 0 ? 0 : (size_t)got;
	} else {
		at = c->text + c->pos;
		const char *nl = c->pos < c->len ? memchr(at, '\n', c->len - c->pos) : NULL;
		n = nl ? (size_t)(nl - at) + 1 : c->len - c->pos;
	}
	if (n == 0) {
		if (c->finished)
			return 0;
		c->finished = 1;
		if (csv_fini(&c->p, on_field, on_record, c) != 0) {
			error_at(path, c->record_line, "quoted field is never closed");
			return -1;
		}
		return 0;
	}
	if (c->p.pstate == 0)	/* no record under way: one starts here */
		c->record_line = c->line;
	if (csv_parse(&c->p, at, n, on_field, on_record, c) != n) {
		error_at(path, c->line, "malformed CSV: %s (a stray quote inside a field?)",
			 csv_strerror(csv_error(&c->p)));
		return -1;
	}
	if (c->too_long) {
		error_at(path, c->too_long, "field longer than %d bytes", CSV_FIELD_MAX);
		return -1;
	}
	c->pos += n;
	c->line++;
	return 1;
}

/* Start (again) at the first byte. */
static void cursor_rewind(struct csv_cursor *c, char delimiter, int counting)
{
	csv_free(&c->p);	/* harmless on the zeroed parser of a new cursor */
	if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL))
		BUG("csv_init failed");
	csv_set_delim(&c->p, (unsigned char)delimiter);
	if (c->f)
		fseek(c->f, c->skip, SEEK_SET);
	c->pos = 0;
	c->handed = 0;
	c->line = 1;
	c->finished = 0;
	c->counting = counting;
	c->header_seen = 0;
	c->chars.len = 0;
	c->nstarts = c->record_chars = c->record_start = 0;
	c->nqueued = c->next = 0;
}

static void cursor_free(struct csv_cursor *c)
{
	if (!c)
		return;
	csv_free(&c->p);
	free(c->text);
	if (c->f)
		fclose(c->f);
	free(c->buf);
	sb_release(&c->chars);
	free(c->starts);
	free(c->queue);
	free(c->row.fields);
	if (c->header) {
		for (size_t i = 0; i < c->nheader; i++)
			free(c->header[i]);
		free(c->header);
	}
	free(c);
}

/* The file read again is not the file checked: someone saved it meanwhile. */
static const struct csv_row *changed(struct csv_table *t)
{
	error_at(t->path, 0, "the file changed while samfakt was reading it: run again");
	cursor_free(t->cursor);
	t->cursor = NULL;
	return NULL;
}

const struct csv_row *csv_next_row(struct csv_table *t)
{
	struct csv_cursor *c = t->cursor;
	if (!c)
		return NULL;
	if (c->next == c->nqueued) {
		/* The fields handed out last are no longer needed; those of a
		 * record under way are (a CR ends a record inside a line, so
		 * the line fed last may have begun the next one). */
		size_t keep = c->chars.len - c->record_chars;
		memmove(c->chars.buf, c->chars.buf + c->record_chars, keep);
		for (size_t i = c->record_start; i < c->nstarts; i++)
			c->starts[i - c->record_start] = c->starts[i] - c->record_chars;
		c->chars.len = keep;
		c->nstarts -= c->record_start;
		c->record_chars = c->record_start = 0;
		c->nqueued = c->next = 0;
		int rc = 0;
		while (c->nqueued == 0 && (rc = feed_line(c, t->path)) > 0)
			;
		if (c->nqueued == 0) {
			if (rc < 0 || c->handed != t->nrows) {
				if (!c->f)
					BUG("%s: the second reading differs from the first", t->path);
				return changed(t);
			}
			return NULL;
		}
	}
	if (++c->handed > t->nrows)
		return changed(t);
	/* A record may run over several lines, and a file with CR line ends
	 * is one long line: a feed can complete any number of records. */
	const struct queued *q = &c->queue[c->next++];
	GROW(c->row.fields, c->fields_cap, q->nfields + 1);
	for (size_t i = 0; i < q->nfields; i++)
		c->row.fields[i] = c->chars.buf + c->starts[q->first + i];
	c->row.nfields = q->nfields;
	c->row.line = q->line;
	return &c->row;
}

/* The delimiter is whichever of ';' and ',' the first line holds more of
 * (outside quotes); a tie means ','. */
static char guess_delimiter(const char *buf, size_t len)
{
	int semi = 0, comma = 0, quoted = 0;
	for (const char *p = buf; p < buf + len && (*p != '\n' || quoted); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == ';')
			semi++;
		else if (!quoted && *p == ',')
			comma++;
	}
	return semi > comma ? ';' : ',';
}

/* Check every record of c's text, count them and keep the header. */
static int first_pass(struct csv_table *t, struct csv_cursor *c)
{
	cursor_rewind(c, t->delimiter, 1);
	int rc;
	while ((rc = feed_line(c, t->path)) > 0)
		;
	t->header = c->header;
	t->ncols = c->nheader;
	c->header = NULL;
	t->nrows = c->counted;
	return rc;
}

/* The first pass over t's records, and the header it found; then back to
 * the first record. */
static int open_records(struct csv_table *t)
{
	struct csv_cursor *c = t->cursor;
	if (first_pass(t, c) < 0)
		return -1;
	if (!t->header) {
		error_at(t->path, 1, "file is empty: expected a header row");
		return -1;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		for (size_t k = 0; k < i; k++) {
			if (t->header[i][0] && strcasecmp(t->header[i], t->header[k]) == 0) {
				error_at(t->path, 1, "column appears twice: '%s'", t->header[i]);
				return -1;
			}
		}
	}
	cursor_rewind(c, t->delimiter, 0);
	return 0;
}

/* Parse text (len bytes, malloc'd, NUL-terminated), which t now owns. */
static int parse_owned(struct csv_table *t, const char *path, char *text, size_t len)
{
	memset(t, 0, sizeof *t);
	t->path = xstrdup(path);
	struct csv_cursor *c = xcalloc(1, sizeof *c);
	t->cursor = c;
	c->text = text;

	size_t skip = 0;
	if (len >= 2 && ((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE)) {
		error_at(path, 1, "file is UTF-16; save it as \"CSV UTF-8\" or \"CSV (semicolon)\"");
		goto fail;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		skip = 3;

	size_t bad;
	if (!utf8_valid(text + skip, len - skip, &bad) && (skip || utf8_has_multibyte(text + skip, len - skip))) {
		/* UTF-8 with a bad byte: read as Windows-1252, every other å
		 * would come out as Ã¥ */
		const char *b = text + skip, *start = b + bad;
		while (start > b && start[-1] != '\n')
			start--;
		size_t column = 1;
		for (const char *q = start; q < b + bad; q++)
			column += ((unsigned char)*q & 0xC0) != 0x80;
		error_at(path, line_of_offset(b, bad),
			 "invalid UTF-8 at column %zu: byte 0x%02X (the file is UTF-8 elsewhere; a cut or damaged character?): mend it, or save the file again as \"CSV UTF-8\"",
			 column, (unsigned char)b[bad]);
		goto fail;
	}
	if (!utf8_valid(text + skip, len - skip, &bad)) {
		size_t n;
		char *converted = from_windows1252(path, text + skip, len - skip, &n);
		if (!converted)
			goto fail;
		free(c->text);
		c->text = converted;
		c->len = n;
		t->was_windows1252 = 1;
	} else {
		memmove(text, text + skip, len - skip + 1);
		c->len = len - skip;
	}
	const char *nul = memchr(c->text, '\0', c->len);
	if (nul) {
		error_at(path, line_of_offset(c->text, (size_t)(nul - c->text)), "file contains a NUL byte");
		goto fail;
	}

	t->delimiter = guess_delimiter(c->text, c->len);
	if (open_records(t) == 0)
		return 0;
fail:
	csv_table_release(t);
	return -1;
}

int csv_table_parse(struct csv_table *t, const char *path, const char *data, size_t len)
{
	char *text = xmalloc(len + 1);
	memcpy(text, data, len);
	text[len] = '\0';
	return parse_owned(t, path, text, len);
}

/* What a look at every line of a file tells before it is parsed. */
struct scan {
	size_t size;
	int plain;		/* UTF-8 throughout, no UTF-16 mark: read from the file */
	int bom;
	int nul_line;		/* line of the first NUL byte, or 0 */
	struct strbuf first;	/* the lines up to the end of the first record */
};

static int scan_file(FILE *f, struct scan *sc)
{
	memset(sc, 0, sizeof *sc);
	sc->plain = 1;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int quoted = 0, in_first = 1;
	for (int no = 1; (n = getline(&line, &cap, f)) > 0; no++) {
		const char *p = line;
		size_t len = (size_t)n;
		if (no == 1 && len >= 2 && (unsigned char)p[0] == 0xFF && (unsigned char)p[1] == 0xFE)
			sc->plain = 0;
		if (no == 1 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			sc->bom = 1, p += 3, len -= 3;
		/* a line ends with '\n', never inside a UTF-8 sequence: valid
		 * lines make a valid file */
		size_t bad;
		if (sc->plain && !utf8_valid(p, len, &bad))
			sc->plain = 0;
		if (!sc->nul_line && memchr(p, '\0', len))
			sc->nul_line = no;
		if (in_first) {
			sb_add(&sc->first, p, len);
			for (size_t i = 0; i < len; i++)
				if (p[i] == '"')
					quoted = !quoted;
			in_first = quoted;
		}
		sc->size += (size_t)n;
		if (sc->size > CSV_FILE_MAX) {
			free(line);
			errno = EFBIG;
			return -1;
		}
	}
	int failed = ferror(f);
	free(line);
	return failed ? -1 : 0;
}

int csv_table_load(struct csv_table *t, const char *path)
{
	memset(t, 0, sizeof *t);
	FILE *f = fopen(path, "rb");
	struct scan sc = {0};
	if (!f || scan_file(f, &sc) < 0) {
		error_at(path, 0, "cannot read: %s", strerror(errno));
		if (f)
			fclose(f);
		sb_release(&sc.first);
		return -1;
	}
	if (!sc.plain) {
		/* UTF-16 (refused) or Windows-1252 (converted): read whole */
		fclose(f);
		sb_release(&sc.first);
		size_t len;
		char *raw = read_file(path, CSV_FILE_MAX, &len, "");
		if (!raw) {
			return -1;
		}
		return parse_owned(t, path, raw, len);
	}
	t->path = xstrdup(path);
	struct csv_cursor *c = xcalloc(1, sizeof *c);
	t->cursor = c;
	c->f = f;
	c->skip = sc.bom ? 3 : 0;
	t->delimiter = guess_delimiter(sc.first.buf ? sc.first.buf : "", sc.first.len);
	sb_release(&sc.first);
	if (sc.nul_line) {
		error_at(path, sc.nul_line, "file contains a NUL byte");
	} else if (open_records(t) == 0) {
		return 0;
	}
	csv_table_release(t);
	return -1;
}

void csv_table_release(struct csv_table *t)
{
	free(t->path);
	for (size_t i = 0; i < t->ncols; i++)
		free(t->header[i]);
	free(t->header);
	cursor_free(t->cursor);
	memset(t, 0, sizeof *t);
}

int csv_table_column(const struct csv_table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcasecmp(t->header[i], name) == 0)
			return (int)i;
	return -1;
}

const char *csv_field(const struct csv_row *row, int col)
{
	if (col < 0 || (size_t)col >= row->nfields)
		return "";
	return row->fields[col];
}

const struct csv_dialect CSV_EXCEL = {';', ',', 1}, CSV_PLAIN = {',', '.', 0};

void csv_append_cell(struct strbuf *sb, const char *text, int numeric, int first)
{
	csv_cell(sb, &CSV_PLAIN, text, numeric, first);
}

void csv_money(struct strbuf *sb, const struct csv_dialect *d, money_t v, int first)
{
	char buf[MONEY_BUFSZ];
	money_format_csv(v, buf);
	char *dot = strchr(buf, '.');
	if (dot)
		*dot = d->decimal;
	csv_cell(sb, d, buf, 1, first);
}

void csv_cell(struct strbuf *sb, const struct csv_dialect *d, const char *text, int numeric, int first)
{
	if (!first)
		sb_add(sb, &d->sep, 1);
	int formula = !numeric && strchr("=+-@\t\r", text[0]) && text[0];
	char special[] = {d->sep, '"', '\n', '\r', '\0'};
	int quote = strpbrk(text, special) != NULL;
	if (quote)
		sb_add(sb, "\"", 1);
	if (formula)
		sb_add(sb, "'", 1);
	for (const char *p = text; *p;) {	/* a run at a time, each '"' doubled */
		const char *q = strchr(p, '"');
		size_t n = q ? (size_t)(q - p) + 1 : strlen(p);
		sb_add(sb, p, n);
		if (!q)
			break;
		sb_add(sb, "\"", 1);
		p = q + 1;
	}
	if (quote)
		sb_add(sb, "\"", 1);
}

size_t utf8_chars(const char *utf8)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)utf8; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n;
}

long text_control_char(const char *utf8, size_t *position)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
		long c = *p;
		size_t n = 1;
		if (*p >= 0xC0) {	/* a multi-byte character: its code */
			int more = *p >= 0xF0 ? 3 : *p >= 0xE0 ? 2 : 1;
			c = *p & (0x3F >> more);
			for (int k = 1; k <= more && (p[k] & 0xC0) == 0x80; k++, n++)
				c = (c << 6) | (p[k] & 0x3F);
		}
		chars++;
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
			*position = chars;
			return c;
		}
		p += n;
	}
	return -1;
}

int cp1252_printable(const char *utf8, char bad[5])
{
	static iconv_t cd = (iconv_t)-1;
	if (cd == (iconv_t)-1) {
		cd = iconv_open("CP1252", "UTF-8");
		if (cd == (iconv_t)-1)
			BUG("iconv cannot convert to CP1252: %s", strerror(errno));
	}
	const unsigned char *p = (const unsigned char *)utf8;
	while (*p) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		size_t n = 1;
		while (n < 4 && (p[n] & 0xC0) == 0x80)
			n++;
		char in[5], out[8];
		memcpy(in, p, n);
		in[n] = '\0';
		char *ip = in, *op = out;
		size_t il = n, ol = sizeof out;
		iconv(cd, NULL, NULL, NULL, NULL);
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
			memcpy(bad, in, n + 1);
			return 0;
		}
		p += n;
	}
	return 1;
}
