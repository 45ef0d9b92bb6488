/* ident.h - Swedish identifiers: organisation numbers, Bankgiro numbers,
 * VAT numbers and OCR payment references, all guarded by the Luhn
 * (modulus 10) check digit. */
#ifndef SAMFAKT_IDENT_H
#define SAMFAKT_IDENT_H

/* Do the ASCII digits in s (nothing else) pass the Luhn check? */
int luhn_valid(const char *digits);
/* The Luhn check digit ('0'-'9') to append to digits. */
char luhn_digit(const char *digits);

/* Organisation number: "NNNNNN-NNNN" or ten digits, Luhn-checked. On
 * success writes the canonical "NNNNNN-NNNN" to out and returns 0. */
#define ORGNR_BUFSZ 12
int orgnr_parse(const char *s, char out[ORGNR_BUFSZ]);

/* Bankgiro number: seven or eight digits, the last a Luhn check digit,
 * written "NNN-NNNN" or "NNNN-NNNN" (the hyphen may be left out). Writes
 * the canonical form to out. */
#define BANKGIRO_BUFSZ 10
int bankgiro_parse(const char *s, char out[BANKGIRO_BUFSZ]);

/* A Swedish VAT number is "SE" + the org.nr's ten digits + "01". */
int vatnr_matches(const char *vat, const char *orgnr);

/* The OCR reference for an invoice number, by Bankgirot's rules for
 * variable-length references with length and check digit: the digits of
 * the invoice number, then the last digit of the reference's total length
 * (counting both added digits), then the Luhn check digit over all before
 * it. Returns -1 when the number has no digits or more than 23 (OCR
 * references are at most 25 digits). */
#define OCR_BUFSZ 26
int ocr_make(const char *invoice_number, char out[OCR_BUFSZ]);

#endif
