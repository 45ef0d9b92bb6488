/* record.c - writing and reading frozen records: one field table serves both. */
#include "keep/record.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/file.h"
#include "model/csvfile.h"

/* Version 2 added what e-invoices need and the e-invoice's fingerprint;
 * version 1 records (issued before e-invoices) are read as they are. */
#define RECORD_MAGIC "samfakt-record 2"
#define RECORD_MAGIC_1 "samfakt-record 1"
#define RECORD_MAX (1u << 20)

enum field_type {
	F_TEXT,		/* const char *, optional unless required */
	F_LIST,		/* struct text_list: the key repeated, one item each */
	F_INT,
	F_DATE,
	F_OPTIONAL_DATE,	/* DATE_NONE when not written */
	F_MONEY,
	F_KIND,
};

struct field {
	const char *key;
	enum field_type type;
	size_t offset;		/* into struct document */
	int required;
};

#define DOC(f) offsetof(struct document, f)

/* Every field of a document but its lines, in the order they are written. */
static const struct field fields[] = {
	{"kind", F_KIND, DOC(kind), 1},
	{"number", F_TEXT, DOC(number), 1},
	{"ocr", F_TEXT, DOC(ocr), 1},
	{"refers_to", F_TEXT, DOC(refers_to), 0},
	{"refers_to_date", F_OPTIONAL_DATE, DOC(refers_to_date), 0},
	{"reason", F_TEXT, DOC(reason), 0},
	{"note", F_TEXT, DOC(note), 0},
	{"cooperation", F_TEXT, DOC(cooperation), 1},
	{"year", F_INT, DOC(year), 1},
	{"period", F_TEXT, DOC(period), 1},
	{"period_date", F_DATE, DOC(period_date), 1},
	{"period_text", F_TEXT, DOC(period_text), 0},
	{"period_start", F_OPTIONAL_DATE, DOC(period_start), 0},
	{"period_end", F_OPTIONAL_DATE, DOC(period_end), 0},
	{"invoice_date", F_DATE, DOC(invoice_date), 1},
	{"due_date", F_DATE, DOC(due_date), 1},
	{"seller.name", F_TEXT, DOC(seller.name), 1},
	{"seller.org_nr", F_TEXT, DOC(seller.org_nr), 1},
	{"seller.vat_nr", F_TEXT, DOC(seller.vat_nr), 0},
	{"seller.address", F_LIST, DOC(seller.address), 0},
	{"seller.reference", F_TEXT, DOC(seller.reference), 0},
	{"seller.bankgiro", F_TEXT, DOC(seller.bankgiro), 1},
	{"seller.email", F_TEXT, DOC(seller.email), 0},
	{"seller.phone", F_TEXT, DOC(seller.phone), 0},
	{"seller.peppol_id", F_TEXT, DOC(seller.peppol_id), 0},
	{"buyer.id", F_TEXT, DOC(buyer.id), 1},
	{"buyer.name", F_TEXT, DOC(buyer.name), 1},
	{"buyer.org_nr", F_TEXT, DOC(buyer.org_nr), 1},
	{"buyer.vat_nr", F_TEXT, DOC(buyer.vat_nr), 0},
	{"buyer.address", F_LIST, DOC(buyer.address), 0},
	{"buyer.reference", F_TEXT, DOC(buyer.reference), 0},
	{"buyer.peppol_id", F_TEXT, DOC(buyer.peppol_id), 0},
	{"vat_rate", F_INT, DOC(vat_rate), 1},
	{"vat_note", F_TEXT, DOC(vat_note), 0},
	{"vat_category", F_TEXT, DOC(vat_category), 0},
	{"net", F_MONEY, DOC(net), 1},
	{"vat", F_MONEY, DOC(vat), 1},
	{"total", F_MONEY, DOC(total), 1},
	{"producer", F_TEXT, DOC(producer), 0},
	{"layout", F_INT, DOC(layout), 0},
	{"einvoice_pdf", F_TEXT, DOC(einvoice_pdf), 0},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* ---- writing ---------------------------------------------------------- */

static void put(struct strbuf *out, const char *key, const char *value)
{
	sb_adds(out, key);
	sb_adds(out, " ");
	for (const char *p = value; *p; p++) {
		switch (*p) {
		case '\\':
			sb_adds(out, "\\\\");
			break;
		case '\n':
			sb_adds(out, "\\n");
			break;
		case '\r':
			sb_adds(out, "\\r");
			break;
		case '\t':
			sb_adds(out, "\\t");
			break;
		default:
			sb_add(out, p, 1);
		}
	}
	sb_adds(out, "\n");
}

static void put_money(struct strbuf *out, const char *key, money_t v)
{
	char buf[MONEY_BUFSZ];
	put(out, key, money_format_csv(v, buf));
}

void record_format(const struct document *doc, const struct record_files *files, struct strbuf *out)
{
	sb_adds(out, RECORD_MAGIC "\n");
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		const char *at = (const char *)doc + f->offset;
		char buf[64];
		switch (f->type) {
		case F_TEXT:
			if (*(const char *const *)at)
				put(out, f->key, *(const char *const *)at);
			break;
		case F_LIST: {
			const struct text_list *l = (const struct text_list *)at;
			for (size_t k = 0; k < l->n; k++)
				put(out, f->key, l->items[k]);
			break;
		}
		case F_INT:
			snprintf(buf, sizeof buf, "%d", *(const int *)at);
			put(out, f->key, buf);
			break;
		case F_DATE:
			put(out, f->key, date_format(*(const date_t *)at, buf));
			break;
		case F_OPTIONAL_DATE:
			if (*(const date_t *)at != DATE_NONE)
				put(out, f->key, date_format(*(const date_t *)at, buf));
			break;
		case F_MONEY:
			put_money(out, f->key, *(const money_t *)at);
			break;
		case F_KIND:
			put(out, f->key, document_kind_name(*(const enum document_kind *)at));
			break;
		}
	}
	for (size_t i = 0; i < doc->nlines; i++) {
		put(out, "line", doc->lines[i].text);
		put(out, "basis", doc->lines[i].basis);
		put_money(out, "amount", doc->lines[i].amount);
		if (doc->lines[i].pool)
			put(out, "pool", doc->lines[i].pool);
		if (doc->lines[i].settles)
			put(out, "settles", doc->lines[i].settles);
		if (doc->lines[i].outcome) {
			put_money(out, "outcome_share", doc->lines[i].actual);
			put_money(out, "outcome_billed", doc->lines[i].billed);
		}
	}
	put(out, "pdf_sha256", files->pdf);
	/* always the last line: "-" when the document has no e-invoice, so
	 * that a record cut after its PDF's fingerprint is not one without */
	put(out, "xml_sha256", files->xml[0] ? files->xml : "-");
}

/* ---- reading ---------------------------------------------------------- */

/* Undo put()'s escapes in place; -1 on a stray backslash. */
static int unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case '\\':
			*o++ = '\\';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		default:
			return -1;
		}
	}
	*o = '\0';
	return 0;
}

/* Set field f of doc from value; -1 when the value is malformed. */
static int set_field(struct document *doc, const struct field *f, const char *value)
{
	char *at = (char *)doc + f->offset;
	switch (f->type) {
	case F_TEXT:
		*(const char **)at = document_strdup(doc, value);
		return 0;
	case F_LIST:
		text_list_add((struct text_list *)at, value);
		return 0;
	case F_INT: {
		char *end;
		errno = 0;
		long v = strtol(value, &end, 10);
		if (!*value || *end || errno || v < 0 || v > 9999)
			return -1;
		*(int *)at = (int)v;
		return 0;
	}
	case F_DATE:
	case F_OPTIONAL_DATE:
		return date_parse(value, (date_t *)at);
	case F_MONEY:
		return money_parse(value, (money_t *)at) == NUMBER_OK ? 0 : -1;
	case F_KIND:
		return document_kind_parse(value, (enum document_kind *)at);
	}
	return -1;
}

/* The field of key: the search starts where the last one was found, as
 * a record's fields come in the table's order. NFIELDS when none. */
static size_t field_find(const char *key, size_t *hint)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		size_t k = (*hint + i) % NFIELDS;
		if (strcmp(fields[k].key, key) == 0) {
			*hint = k + 1;
			return k;
		}
	}
	return NFIELDS;
}

/* One piece: a single pass over the record's lines, each key looked up in
 * the field table and each check (order, repeats, lines adding up to the
 * net) made where the line is read, with its line number in the message. */
int record_parse(struct document *doc, struct record_files *files, const char *path,
		 const char *text, size_t len)
{
	document_init(doc);
	char *pdf_sha256 = files->pdf, *xml_sha256 = files->xml;
	pdf_sha256[0] = xml_sha256[0] = '\0';
	size_t bad;
	if (memchr(text, '\0', len) || !utf8_valid(text, len, &bad)) {
		error_at(path, 0, "record is damaged: not UTF-8 text");
		return -1;
	}
	int seen[NFIELDS] = {0};
	int line = 0, rc = 0, pending = 0;	/* pending: a line's basis and amount still to come */
	int version = 0, xml_seen = 0;
	size_t hint = 0;
	const char *line_text = NULL, *line_basis = NULL;
	char *copy = xstrndup(text, len);
	for (char *l = copy, *next; l && rc == 0; l = next) {
		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		else if (!*l)
			break;
		line++;
		if (line == 1) {
			version = strcmp(l, RECORD_MAGIC) == 0 ? 2 : 1;
			if (strcmp(l, RECORD_MAGIC) != 0 && strcmp(l, RECORD_MAGIC_1) != 0) {
				error_at(path, line, "not a samfakt record (expected '%s')", RECORD_MAGIC);
				rc = -1;
			}
			continue;
		}
		char *value = strchr(l, ' ');
		if (!value || unescape(value + 1) < 0) {
			error_at(path, line, "record is damaged: malformed line");
			rc = -1;
			break;
		}
		*value++ = '\0';
		/* a document line's keys (most of a record) are no field's */
		int line_key = strcmp(l, "line") == 0 || strcmp(l, "basis") == 0 || strcmp(l, "amount") == 0 ||
			       strcmp(l, "pool") == 0;
		size_t k = line_key ? NFIELDS : field_find(l, &hint);
		if (k < NFIELDS) {
			if (pending || (seen[k] && fields[k].type != F_LIST) || set_field(doc, &fields[k], value) < 0) {
				error_at(path, line, "record is damaged: bad or repeated '%s': '%s'", l, value);
				rc = -1;
			}
			seen[k] = 1;
		} else if (strcmp(l, "line") == 0 && pending == 0) {
			line_text = document_strdup(doc, value);
			pending = 2;
		} else if (strcmp(l, "basis") == 0 && pending == 2) {
			line_basis = document_strdup(doc, value);
			pending = 1;
		} else if (strcmp(l, "pool") == 0 && pending == 0 && doc->nlines &&
			   !doc->lines[doc->nlines - 1].pool && !pdf_sha256[0] && *value) {
			doc->lines[doc->nlines - 1].pool = document_strdup(doc, value);
		} else if (strcmp(l, "settles") == 0 && pending == 0 && doc->nlines &&
			   doc->lines[doc->nlines - 1].pool && !doc->lines[doc->nlines - 1].settles &&
			   !pdf_sha256[0] && *value) {
			doc->lines[doc->nlines - 1].settles = document_strdup(doc, value);
		} else if ((strcmp(l, "outcome_share") == 0 || strcmp(l, "outcome_billed") == 0) && pending == 0 &&
			   doc->nlines && doc->lines[doc->nlines - 1].outcome == (l[8] == 'b') && !pdf_sha256[0]) {
			/* a statement's line: its share, then what was billed */
			struct document_line *dl = &doc->lines[doc->nlines - 1];
			if (money_parse(value, l[8] == 'b' ? &dl->billed : &dl->actual) != NUMBER_OK) {
				error_at(path, line, "record is damaged: bad amount: '%s'", value);
				rc = -1;
			}
			dl->outcome++;
		} else if (strcmp(l, "amount") == 0 && pending == 1) {
			money_t amount;
			if (money_parse(value, &amount) != NUMBER_OK) {
				error_at(path, line, "record is damaged: bad amount: '%s'", value);
				rc = -1;
			} else {
				document_add_line(doc, line_text, line_basis, amount);
			}
			pending = 0;
		} else if (strcmp(l, "pdf_sha256") == 0 && !pending && !pdf_sha256[0] && hash_is_hex(value)) {
			memcpy(pdf_sha256, value, HASH_HEXSZ);
		} else if (strcmp(l, "xml_sha256") == 0 && pdf_sha256[0] && !xml_seen &&
			   (hash_is_hex(value) || strcmp(value, "-") == 0)) {
			if (strcmp(value, "-") != 0)
				memcpy(xml_sha256, value, HASH_HEXSZ);
			xml_seen = 1;
		} else {
			error_at(path, line, "record is damaged: unexpected '%s'", l);
			rc = -1;
		}
	}
	free(copy);
	if (rc == 0 && line == 0) {
		error_at(path, 0, "record is empty");
		rc = -1;
	}
	for (size_t k = 0; rc == 0 && k < NFIELDS; k++)
		if (fields[k].required && !seen[k]) {
			error_at(path, 0, "record is damaged: no '%s'", fields[k].key);
			rc = -1;
		}
	if (rc == 0 && (pending || !pdf_sha256[0] || (version == 2 && !xml_seen))) {
		error_at(path, 0, "record is damaged: it ends before its last field");
		rc = -1;
	}
	if (rc == 0 && xml_sha256[0] && !document_has_einvoice_data(doc)) {
		error_at(path, 0, "record is damaged: it has an e-invoice but not all an e-invoice says");
		rc = -1;
	}
	if (rc == 0) {
		money_t sum = 0;
		for (size_t i = 0; i < doc->nlines; i++)
			sum += doc->lines[i].amount;
		if (sum != doc->net || doc->net + doc->vat != doc->total) {
			error_at(path, 0, "record is damaged: its amounts do not add up");
			rc = -1;
		}
	}
	if (rc < 0)
		document_release(doc);
	return rc;
}

int record_load(struct document *doc, struct record_files *files, const char *path)
{
	size_t len;
	char *text = read_file(path, RECORD_MAX, &len, "record");
	if (!text) {
		document_init(doc);
		return -1;
	}
	int rc = record_parse(doc, files, path, text, len);
	free(text);
	return rc;
}

int record_load_expect(struct document *doc, struct record_files *files, const char *path, const char *want,
		       const char *journal, int line, const char *number)
{
	size_t len;
	char *text = read_file(path, RECORD_MAX, &len, "record");
	if (!text) {
		document_init(doc);
		return -1;
	}
	char have[HASH_HEXSZ];
	hash_bytes(text, len, have);
	int rc;
	if (want && *want && strcmp(have, want) != 0) {
		error_at(path, 0,
			 "the record of invoice %s was changed after it was issued (it no longer matches %s:%d); restore it from a backup",
			 number, journal, line);
		document_init(doc);
		rc = -1;
	} else {
		rc = record_parse(doc, files, path, text, len);
	}
	free(text);
	return rc;
}

char *record_dir(const char *journal_path)
{
	size_t n = strlen(journal_path);
	if (n > 4 && strcmp(journal_path + n - 4, ".csv") == 0)
		n -= 4;
	return xasprintf("%.*s-arkiv", (int)n, journal_path);
}

char *record_path(const char *dir, const char *number)
{
	return xasprintf("%s/%s.txt", dir, number);
}
