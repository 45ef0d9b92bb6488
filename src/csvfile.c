/* csvfile.c - CSV reading on top of libcsv, with encodings and line numbers. */
#include "csvfile.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "util.h"

#define CSV_FILE_MAX (64u << 20)

char *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct strbuf sb = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (sb.len + n > max) {
			fclose(f);
			sb_release(&sb);
			errno = EFBIG;
			return NULL;
		}
		sb_add(&sb, chunk, n);
	}
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		sb_release(&sb);
		errno = EIO;
		return NULL;
	}
	if (!sb.buf)
		sb_add(&sb, "", 0);
	*len = sb.len;
	return sb.buf;
}

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

/* State shared with libcsv's callbacks. */
struct reader {
	struct csv_table *t;
	int line;		/* line being fed */
	int record_line;	/* line the current record started on */
	int in_header;
	int too_long;		/* line of a field over CSV_FIELD_MAX, or 0 */
	size_t nfields, cap;
	char **fields;
	size_t rows_cap;
};

static char *trim_copy(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return xstrndup(s, len);
}

static void on_field(void *data, size_t len, void *rd_)
{
	struct reader *rd = rd_;
	if (len > CSV_FIELD_MAX && !rd->too_long)
		rd->too_long = rd->record_line;
	GROW(rd->fields, rd->cap, rd->nfields + 1);
	rd->fields[rd->nfields++] = data ? trim_copy(data, len > CSV_FIELD_MAX ? 0 : len)
					 : xstrdup("");
}

static void free_fields(char **fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(fields[i]);
	free(fields);
}

static void on_record(int term, void *rd_)
{
	(void)term;
	struct reader *rd = rd_;
	struct csv_table *t = rd->t;
	int blank = 1;
	for (size_t i = 0; i < rd->nfields; i++)
		if (rd->fields[i][0])
			blank = 0;

	if (rd->in_header && !blank) {
		t->header = rd->fields;
		t->ncols = rd->nfields;
		rd->in_header = 0;
	} else if (blank) {
		free_fields(rd->fields, rd->nfields);
	} else {
		GROW(t->rows, rd->rows_cap, t->nrows + 1);
		t->rows[t->nrows].line = rd->record_line;
		t->rows[t->nrows].fields = rd->fields;
		t->rows[t->nrows].nfields = rd->nfields;
		t->nrows++;
	}
	rd->fields = NULL;
	rd->nfields = rd->cap = 0;
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

static int parse_records(struct csv_table *t, const char *buf, size_t len)
{
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL))
		BUG("csv_init failed");
	csv_set_delim(&p, (unsigned char)t->delimiter);

	struct reader rd = {.t = t, .line = 1, .in_header = 1};
	int ok = 1;
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) + 1 : len - pos;
		if (p.pstate == 0)	/* no record under way: one starts here */
			rd.record_line = rd.line;
		if (csv_parse(&p, buf + pos, n, on_field, on_record, &rd) != n) {
			error_at(t->path, rd.line, "malformed CSV: %s (a stray quote inside a field?)",
				 csv_strerror(csv_error(&p)));
			ok = 0;
			break;
		}
		if (rd.too_long)
			break;
		pos += n;
		rd.line++;
	}
	if (ok && !rd.too_long && csv_fini(&p, on_field, on_record, &rd) != 0) {
		error_at(t->path, rd.record_line, "quoted field is never closed");
		ok = 0;
	}
	if (rd.too_long) {
		error_at(t->path, rd.too_long, "field longer than %d bytes", CSV_FIELD_MAX);
		ok = 0;
	}
	free_fields(rd.fields, rd.nfields);
	csv_free(&p);
	return ok ? 0 : -1;
}

int csv_table_parse(struct csv_table *t, const char *path, const char *data, size_t len)
{
	memset(t, 0, sizeof *t);
	t->path = xstrdup(path);

	const char *text = data;
	char *converted = NULL;
	if (len >= 2 && ((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE)) {
		error_at(path, 1, "file is UTF-16; save it as \"CSV UTF-8\" or \"CSV (semicolon)\"");
		goto fail;
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		text += 3, len -= 3;

	size_t bad;
	if (!utf8_valid(text, len, &bad)) {
		converted = from_windows1252(path, text, len, &len);
		if (!converted)
			goto fail;
		text = converted;
		t->was_windows1252 = 1;
	}
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		error_at(path, line_of_offset(text, (size_t)(nul - text)), "file contains a NUL byte");
		goto fail;
	}

	t->delimiter = guess_delimiter(text, len);
	int rc = parse_records(t, text, len);
	free(converted);
	converted = NULL;
	if (rc < 0)
		goto fail;
	if (!t->header) {
		error_at(path, 1, "file is empty: expected a header row");
		goto fail;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		for (size_t k = 0; k < i; k++) {
			if (t->header[i][0] && strcasecmp(t->header[i], t->header[k]) == 0) {
				error_at(path, 1, "column appears twice: '%s'", t->header[i]);
				goto fail;
			}
		}
	}
	return 0;
fail:
	free(converted);
	csv_table_release(t);
	return -1;
}

int csv_table_load(struct csv_table *t, const char *path)
{
	size_t len;
	char *raw = read_file(path, CSV_FILE_MAX, &len);
	if (!raw) {
		memset(t, 0, sizeof *t);
		error_at(path, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	int rc = csv_table_parse(t, path, raw, len);
	free(raw);
	return rc;
}

void csv_table_release(struct csv_table *t)
{
	free(t->path);
	free_fields(t->header, t->ncols);
	for (size_t i = 0; i < t->nrows; i++)
		free_fields(t->rows[i].fields, t->rows[i].nfields);
	free(t->rows);
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

void csv_append_cell(struct strbuf *sb, const char *text, int numeric, int first)
{
	if (!first)
		sb_add(sb, ",", 1);
	int formula = !numeric && strchr("=+-@\t\r", text[0]) && text[0];
	int quote = strpbrk(text, ",\"\n\r") != NULL;
	if (quote)
		sb_add(sb, "\"", 1);
	if (formula)
		sb_add(sb, "'", 1);
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			sb_add(sb, "\"", 1);
		sb_add(sb, p, 1);
	}
	if (quote)
		sb_add(sb, "\"", 1);
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
