/* fuzz_record.c - libFuzzer harness: any text given to the record parser
 * is refused or read whole, and a record read writes back to the same
 * document (its text made again parses to the same text). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/util.h"
#include "keep/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag_set_verbosity(-2);
	struct document doc, again;
	struct record_files sha, sha2;
	if (record_parse(&doc, &sha, "fuzz.txt", (const char *)data, size) < 0)
		return 0;
	struct strbuf a = {0}, b = {0};
	record_format(&doc, &sha, &a);
	if (record_parse(&again, &sha2, "again.txt", a.buf, a.len) < 0)
		__builtin_trap();
	record_format(&again, &sha2, &b);
	if (a.len != b.len || memcmp(a.buf, b.buf, a.len) != 0 || strcmp(sha.pdf, sha2.pdf) != 0 ||
	    strcmp(sha.xml, sha2.xml) != 0)
		__builtin_trap();
	money_t sum = 0;
	for (size_t i = 0; i < again.nlines; i++)
		sum += again.lines[i].amount;
	if (sum != again.net || again.net + again.vat != again.total)
		__builtin_trap();
	sb_release(&a);
	sb_release(&b);
	document_release(&doc);
	document_release(&again);
	return 0;
}
