/* record.h - the frozen record of an issued document.
 *
 * When a document is issued, everything it says is written to a record:
 * a small UTF-8 text file, one field a line ("key value", the value with
 * backslash escapes for \\, line breaks and tabs), in a fixed order, with
 * the fingerprints of the files issued from it (the PDF, and the Peppol
 * e-invoice when it has one). The journal row
 * of the document holds the record's own fingerprint. Every later use of
 * an issued document (putting back a deleted PDF, checking one, reports,
 * credit notes) reads the record, never today's configuration or inputs.
 *
 *   samfakt-record 2
 *   kind faktura
 *   number 2016-0001
 *   ...
 *   line Grundbelopp 2016
 *   basis Lika delar: 1/13 av 921 700,00 kr
 *   amount 70900.00
 *   pool grundbelopp
 *   pdf_sha256 3f2a...
 *   xml_sha256 9c41...
 *
 * Records live in one folder beside the journal (record_dir), named after
 * their numbers: NUMBER.txt. */
#ifndef SAMFAKT_RECORD_H
#define SAMFAKT_RECORD_H

#include "base/hash.h"
#include "base/util.h"
#include "keep/document.h"

/* The fingerprints of the files issued from a document: its PDF, and its
 * e-invoice ("" when it has none: issued before e-invoices). */
struct record_files {
	char pdf[HASH_HEXSZ];
	char xml[HASH_HEXSZ];
};

/* The record text of doc, with its files' fingerprints, appended to out. */
void record_format(const struct document *doc, const struct record_files *files, struct strbuf *out);

/* Parse a record (len bytes at text, read from path) into doc (made with
 * document_init inside) and its files' fingerprints. Returns 0, or -1
 * after a message naming path and line. Amounts are checked: the lines
 * add up to the net, net and VAT to the total. */
int record_parse(struct document *doc, struct record_files *files, const char *path,
		 const char *text, size_t len);

/* Read and parse the record file at path; -1 after a message. */
int record_load(struct document *doc, struct record_files *files, const char *path);

/* record_load of the record whose fingerprint the journal row says
 * (want; "" or NULL: any): a record changed since is an error naming the
 * row (journal:line, number). One read for both. */
int record_load_expect(struct document *doc, struct record_files *files, const char *path, const char *want,
		       const char *journal, int line, const char *number);

/* The folder of a journal's records: "output/fakturajournal.csv" keeps
 * them in "output/fakturajournal-arkiv". malloc'd. */
char *record_dir(const char *journal_path);
/* dir/NUMBER.txt, malloc'd. */
char *record_path(const char *dir, const char *number);

#endif
