/* ident.c - check digits for Swedish identifiers. */
#include "base/ident.h"

#include <stdio.h>
#include <string.h>

#include "base/diag.h"

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

/* The Peppol code list of electronic address schemes (EAS), as Peppol BIS
 * Billing 3.0.21 accepts them (PEPPOL-EN16931-CL008). */
static const char eas_codes[] =
	" 0002 0007 0009 0060 0088 0096 0097 0106 0130 0135 0142 0151 0183 0184 0188"
	" 0190 0191 0192 0195 0196 0198 0199 0200 0201 0204 0208 0209 0210 0211 0216"
	" 0218 0221 0225 0230 0235 0240 0242 0244 0245 0246 0248 9910 9913 9914 9915"
	" 9918 9919 9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931 9932 9933"
	" 9934 9935 9936 9937 9938 9939 9940 9941 9942 9943 9944 9945 9946 9947 9948"
	" 9949 9950 9951 9952 9953 9957 9959 ";

/* GS1's check digit: weights 3 and 1 from the right, over all but the last. */
static int gs1_valid(const char *digits)
{
	size_t n = strlen(digits);
	int sum = 0;
	for (size_t i = 1; i < n; i++)
		sum += (digits[n - 1 - i] - '0') * (i % 2 ? 3 : 1);
	return (10 - sum % 10) % 10 == digits[n - 1] - '0';
}

/* A Norwegian organisation number's check digit: modulus 11, weights
 * 3 2 7 6 5 4 3 2 (10 is no number). */
static int no_orgnr_valid(const char *d)
{
	static const int w[8] = {3, 2, 7, 6, 5, 4, 3, 2};
	int sum = 0;
	for (int i = 0; i < 8; i++)
		sum += (d[i] - '0') * w[i];
	int check = 11 - sum % 11;
	return check != 10 && (check == 11 ? 0 : check) == d[8] - '0';
}

static const char *peppol_id_why_not(const char *s, char out[PEPPOL_ID_BUFSZ])
{
	const char *colon = strchr(s, ':');
	if (!colon || colon - s != 4)
		return "not SCHEME:ID with a four-digit scheme, such as 0007:2120002742";
	char scheme[7] = {' ', s[0], s[1], s[2], s[3], ' ', '\0'};
	if (!strstr(eas_codes, scheme))
		return "the scheme is not in Peppol's list of electronic address schemes (EAS)";
	const char *v = colon + 1;
	size_t len = strlen(v);
	if (memcmp(s, "0007", 4) == 0) {
		char d[11];
		if (collect_digits(v, d, 10) != 10 || (len == 11 && v[6] != '-') || !luhn_valid(d))
			return "0007 takes a Swedish organisation number: ten digits with a valid check digit";
		snprintf(out, PEPPOL_ID_BUFSZ, "0007:%s", d);
		return NULL;
	}
	if (memcmp(s, "0088", 4) == 0 && (len != 13 || !all_digits(v) || !gs1_valid(v)))
		return "0088 takes a GLN: thirteen digits with a valid GS1 check digit";
	if (memcmp(s, "0192", 4) == 0 && (len != 9 || !all_digits(v) || !no_orgnr_valid(v)))
		return "0192 takes a Norwegian organisation number: nine digits with a valid check digit";
	if (len == 0 || len > 50)
		return "the id after the scheme must be 1 to 50 characters";
	for (const char *p = v; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      *p == '-' || *p == '.' || *p == '_'))
			return "the id after the scheme may hold letters, digits, '-', '.' and '_'";
	snprintf(out, PEPPOL_ID_BUFSZ, "%s", s);
	return NULL;
}

int peppol_id_parse(const char *s, char out[PEPPOL_ID_BUFSZ], const char *file, int line, const char *what)
{
	const char *why = peppol_id_why_not(s, out);
	if (!why)
		return 0;
	error_at(file, line, "%s (%s): '%s'", what, why, s);
	return -1;
}

void peppol_id_of_orgnr(const char *orgnr, char out[PEPPOL_ID_BUFSZ])
{
	char d[11];
	if (collect_digits(orgnr, d, 10) != 10)
		d[0] = '\0';
	snprintf(out, PEPPOL_ID_BUFSZ, "0007:%s", d);
}

const char *postal_line_parse(const char *line, char zone[POSTCODE_BUFSZ])
{
	int n = 0;
	const char *p = line;
	for (; *p && n < 5; p++) {
		if (*p >= '0' && *p <= '9')
			zone[n++] = *p;
		else if (!(*p == ' ' && n == 3))
			return NULL;
	}
	if (n != 5 || zone[0] == '0' || *p != ' ')
		return NULL;
	zone[5] = '\0';
	while (*p == ' ')
		p++;
	return *p ? p : NULL;
}
