/* csvfile.h - reading the CSV files people edit in Excel.
 *
 * A table is checked whole when it is opened: its encoding found (UTF-8
 * with or without BOM, or Windows-1252, which is converted to UTF-8), its
 * delimiter found from the header row (',' or ';'), every record parsed
 * and counted. Its records are then read one at a time, each with the line
 * it starts on, so later stages can name file and line in their messages.
 * Neither the table nor (for a UTF-8 file) its text is held in memory:
 * the file is read again, a line at a time. */
#ifndef SAMFAKT_CSVFILE_H
#define SAMFAKT_CSVFILE_H

#include <stddef.h>

#include "base/money.h"

struct csv_row {
	int line;		/* line the record starts on, from 1 */
	size_t nfields;
	char **fields;		/* never NULL; empty fields are "" */
};

struct csv_table {
	char *path;		/* as given in messages */
	char delimiter;
	int was_windows1252;
	size_t ncols;
	char **header;		/* trimmed column names */
	size_t nrows;		/* data records, blank ones left out */
	struct csv_cursor *cursor;	/* where csv_next_row is */
};

/* Longest field accepted; longer ones are errors, not truncations. */
#define CSV_FIELD_MAX 4096

/* Read path into t. Every problem is reported through diag with the
 * file and line; returns 0 when the table is usable, -1 when not (t is
 * then released). */
int csv_table_load(struct csv_table *t, const char *path);
/* The same for len bytes at data (need not be NUL-terminated), as if read
 * from a file called path. */
int csv_table_parse(struct csv_table *t, const char *path, const char *data, size_t len);
void csv_table_release(struct csv_table *t);

/* The next data record (blank ones left out), or NULL after the last. The
 * row and its fields stay valid until the next call. */
const struct csv_row *csv_next_row(struct csv_table *t);

/* Index of the column named name (ASCII case-insensitive), or -1. */
int csv_table_column(const struct csv_table *t, const char *name);

/* Field col of row, or "" when the row is shorter or col is -1. */
const char *csv_field(const struct csv_row *row, int col);


/* Is buf (len bytes) valid UTF-8? If not, *bad_offset is the first bad byte. */
int utf8_valid(const char *buf, size_t len, size_t *bad_offset);

/* How many characters utf8 holds. */
size_t utf8_chars(const char *utf8);

/* The first control character of utf8 (C0, DEL or C1: no document may
 * hold one; an e-invoice with one is not XML), with its position (from 1)
 * in *position; or -1 when there is none. */
long text_control_char(const char *utf8, size_t *position);

/* Can utf8 be printed in the PDF fonts' encoding (Windows-1252)? If not,
 * the first character that cannot is copied to bad. */
int cp1252_printable(const char *utf8, char bad[5]);

/* ---- writing ---- */
struct strbuf;

/* The first bytes of every CSV samfakt writes: a UTF-8 byte order mark, so
 * that Excel shows å ä ö. Files are comma-separated, one record a line. */
#define CSV_OUT_BOM "\xEF\xBB\xBF"

/* Append one cell (after a comma unless first). Text that a spreadsheet
 * would run as a formula (starting with = + - @, tab or CR) gets a leading
 * apostrophe; `numeric` cells are samfakt's own numbers and pass as they are.
 * Cells holding a comma, quote or line break are quoted. */
void csv_append_cell(struct strbuf *sb, const char *text, int numeric, int first);

/* How a CSV for people is written ([output] csv): as Swedish Excel reads
 * it (excel, the default: ';' between cells, a decimal comma, Swedish
 * column names and texts), or plain (',' and a decimal point, for other
 * programs). Both begin with the byte order mark. */
struct csv_dialect {
	char sep;		/* ';' or ',' */
	char decimal;		/* ',' or '.' */
	int swedish;		/* column names and texts in Swedish */
};
extern const struct csv_dialect CSV_EXCEL, CSV_PLAIN;
/* A cell in dialect d (quoted when it holds d's separator, a quote or a
 * line break). */
void csv_cell(struct strbuf *sb, const struct csv_dialect *d, const char *text, int numeric, int first);
/* An amount: "-1260.61" or "-1260,61" (no thousands separator, which a
 * spreadsheet would read as text). */
void csv_money(struct strbuf *sb, const struct csv_dialect *d, money_t v, int first);

#endif
