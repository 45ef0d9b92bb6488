/* fuzz_parsers.c - libFuzzer harness: amounts, numbers, dates and Swedish
 * identifiers, with the round trips each must survive. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/ident.h"
#include "base/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';

	money_t m;
	if (money_parse(s, &m) == NUMBER_OK) {
		char buf[MONEY_BUFSZ];
		money_t back;
		if (m > MONEY_MAX || m < -MONEY_MAX)
			__builtin_trap();
		if (money_parse(money_format_bare(m, buf), &back) != NUMBER_OK || back != m)
			__builtin_trap();
		if (money_parse(money_format_csv(m, buf), &back) != NUMBER_OK || back != m)
			__builtin_trap();
	}
	int64_t n;
	if (number_parse(s, 6, 0, INT64_MAX, &n) == NUMBER_OK && n < 0)
		__builtin_trap();

	date_t d;
	if (date_parse(s, &d) == 0) {
		char buf[DATE_BUFSZ];
		if (strcmp(date_format(d, buf), s) != 0)
			__builtin_trap();
		date_add_months(d, 12);
	}
	char canon[ORGNR_BUFSZ];
	if (orgnr_parse(s, canon) == 0 && (strlen(canon) != 11 || canon[6] != '-'))
		__builtin_trap();
	char bg[BANKGIRO_BUFSZ];
	if (bankgiro_parse(s, bg) == 0 && bankgiro_parse(bg, bg) != 0)
		__builtin_trap();
	char ocr[OCR_BUFSZ];
	if (ocr_make(s, ocr) == 0 && !luhn_valid(ocr))
		__builtin_trap();
	free(s);
	return 0;
}
