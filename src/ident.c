/* ident.c - check digits for Swedish identifiers. */
#include "ident.h"

#include <stdio.h>
#include <string.h>

static int luhn_sum(const char *digits, int double_first)
{
	size_t n = strlen(digits);
	int sum = 0;
	for (size_t i = 0; i < n; i++) {
		int d = digits[n - 1 - i] - '0';
		if ((i % 2 == 0) == double_first) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int luhn_valid(const char *digits)
{
	return all_digits(digits) && luhn_sum(digits, 0) % 10 == 0;
}

char luhn_digit(const char *digits)
{
	return (char)('0' + (10 - luhn_sum(digits, 1) % 10) % 10);
}

/* Copy the digits of s to out (at most max), allowing one hyphen at
 * position hyphen_at (or anywhere when -1). Returns the digit count or -1. */
static int collect_digits(const char *s, char *out, int max)
{
	int n = 0, hyphens = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (n == max)
				return -1;
			out[n++] = *s;
		} else if (*s == '-' && n > 0 && !hyphens) {
			hyphens++;
		} else {
			return -1;
		}
	}
	out[n] = '\0';
	return n;
}

int orgnr_parse(const char *s, char out[ORGNR_BUFSZ])
{
	char d[11];
	size_t len = strlen(s);
	if (len == 11 && s[6] != '-')
		return -1;
	if (len != 10 && len != 11)
		return -1;
	if (collect_digits(s, d, 10) != 10 || !luhn_valid(d))
		return -1;
	snprintf(out, ORGNR_BUFSZ, "%.6s-%.4s", d, d + 6);
	return 0;
}

int bankgiro_parse(const char *s, char out[BANKGIRO_BUFSZ])
{
	char d[9];
	int n = collect_digits(s, d, 8);
	if (n < 7 || !luhn_valid(d))
		return -1;
	const char *hyphen = strchr(s, '-');
	if (hyphen && strlen(hyphen + 1) != 4)
		return -1;
	snprintf(out, BANKGIRO_BUFSZ, "%.*s-%s", n - 4, d, d + n - 4);
	return 0;
}

int vatnr_matches(const char *vat, const char *orgnr)
{
	char want[15];
	snprintf(want, sizeof want, "SE%.6s%.4s01", orgnr, orgnr + 7);
	return strcmp(vat, want) == 0;
}

int ocr_make(const char *invoice_number, char out[OCR_BUFSZ])
{
	int n = 0;
	for (const char *p = invoice_number; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n == 23)
				return -1;
			out[n++] = *p;
		}
	}
	if (n == 0)
		return -1;
	out[n] = (char)('0' + (n + 2) % 10);
	out[n + 1] = '\0';
	out[n + 1] = luhn_digit(out);
	out[n + 2] = '\0';
	return 0;
}
