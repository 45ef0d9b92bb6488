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

/* A Peppol participant id, "SCHEME:VALUE": SCHEME a code of the Peppol
 * list of electronic address schemes (EAS), VALUE what that scheme
 * allows. 0007 (Swedish org.nr) takes ten digits with the Luhn check digit
 * (a hyphen after the sixth is dropped); 0088 (GLN) thirteen digits with
 * the GS1 check digit; others 1-50 letters, digits, '-', '.' and '_'.
 * Writes the canonical form to out and returns 0, or says "WHAT (why not):
 * 's'" at file and line and returns -1. */
#define PEPPOL_ID_BUFSZ 56
int peppol_id_parse(const char *s, char out[PEPPOL_ID_BUFSZ], const char *file, int line, const char *what);
/* The Peppol id of an organisation by its org.nr: "0007:" + ten digits. */
void peppol_id_of_orgnr(const char *orgnr, char out[PEPPOL_ID_BUFSZ]);

/* A Swedish postal line, "971 85 Luleå" (the postcode's space optional):
 * on a match writes the five digits to zone and returns the city (a
 * pointer into line); else NULL. */
#define POSTCODE_BUFSZ 6
const char *postal_line_parse(const char *line, char zone[POSTCODE_BUFSZ]);

#endif
