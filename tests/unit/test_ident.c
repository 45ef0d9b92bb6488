/* test_ident.c - check digits: org.nr, Bankgiro, VAT number, OCR. */
#include "harness.h"

#include "base/diag.h"
#include "base/ident.h"

static void organisation_numbers(void **state)
{
	(void)state;
	char out[ORGNR_BUFSZ];
	assert_int_equal(orgnr_parse("212000-2742", out), 0);	/* Luleå kommun */
	assert_string_equal(out, "212000-2742");
	assert_int_equal(orgnr_parse("2120002742", out), 0);
	assert_string_equal(out, "212000-2742");
	assert_int_equal(orgnr_parse("212000-0662", out), 0);	/* Kalmar kommun */
	static const char *const bad[] = {
		"212000-2743", "21200-02742", "212000-274", "212000+2742", "2120002742x",
		"", "212000--742", "ABCDEF-GHIJ", "212000 2742",
	};
	for (size_t i = 0; i < COUNT(bad); i++)
		if (orgnr_parse(bad[i], out) == 0)
			fail_msg("accepted '%s'", bad[i]);
}

static void bankgiro_numbers(void **state)
{
	(void)state;
	char out[BANKGIRO_BUFSZ];
	assert_int_equal(bankgiro_parse("5050-1055", out), 0);
	assert_string_equal(out, "5050-1055");
	assert_int_equal(bankgiro_parse("50501055", out), 0);
	assert_string_equal(out, "5050-1055");
	assert_int_equal(bankgiro_parse("5402-9681", out), 0);
	assert_int_equal(bankgiro_parse("5050-1056", out), -1);
	assert_int_equal(bankgiro_parse("505-01055", out), -1);
	assert_int_equal(bankgiro_parse("123456", out), -1);
	assert_int_equal(bankgiro_parse("123456789", out), -1);
}

static void vat_numbers(void **state)
{
	(void)state;
	assert_true(vatnr_matches("SE212000274201", "212000-2742"));
	assert_false(vatnr_matches("SE212000274301", "212000-2742"));
	assert_false(vatnr_matches("SE2120002742", "212000-2742"));
}

static void ocr_references(void **state)
{
	(void)state;
	char ocr[OCR_BUFSZ];
	/* "2016-0003": digits 20160003, length digit 0 (10 digits), check 5. */
	assert_int_equal(ocr_make("2016-0003", ocr), 0);
	assert_string_equal(ocr, "2016000305");
	assert_int_equal(ocr_make("12345", ocr), 0);
	assert_string_equal(ocr, "1234574");	/* length 7; Luhn over 123457 is 4 */
	assert_true(luhn_valid(ocr));
	for (int i = 1; i < 2000; i++) {
		char number[32];
		snprintf(number, sizeof number, "T-%04d", i);
		assert_int_equal(ocr_make(number, ocr), 0);
		size_t n = strlen(ocr);
		assert_int_equal(ocr[n - 2] - '0', (int)(n % 10));
		assert_true(luhn_valid(ocr));
	}
	assert_int_equal(ocr_make("ABC", ocr), -1);
	assert_int_equal(ocr_make("123456789012345678901234", ocr), -1);
}

static void peppol_ids(void **state)
{
	(void)state;
	char out[PEPPOL_ID_BUFSZ];
	assert_int_equal(peppol_id_parse("0007:2120002742", out, "t", 1, "id"), 0);
	assert_string_equal(out, "0007:2120002742");
	assert_int_equal(peppol_id_parse("0007:212000-2742", out, "t", 1, "id"), 0);
	assert_string_equal(out, "0007:2120002742");
	assert_int_equal(peppol_id_parse("0088:7300010000001", out, "t", 1, "id"), 0);	/* GS1 check digit 1 */
	assert_int_equal(peppol_id_parse("0192:974760673", out, "t", 1, "id"), 0);	/* Brønnøysundregistrene */
	peppol_id_of_orgnr("212000-2759", out);
	assert_string_equal(out, "0007:2120002759");
	static const char *const bad[] = {
		"2120002742", "0007:2120002743", "0007:212000274", "007:2120002742",
		"0008:2120002742", "0088:7300010000002", "0088:730001000000", "9955:SE212000274201x y",
		"0192:", "0007:21200-02742", "0192:abc/def", ":0007", "0192:987654321", "0192:97476067",
	};
	diag_set_verbosity(-2);
	for (size_t i = 0; i < COUNT(bad); i++)
		if (peppol_id_parse(bad[i], out, "t", 1, "id") != -1)
			fail_msg("accepted '%s'", bad[i]);
	diag_set_verbosity(0);
}

static void postal_lines(void **state)
{
	(void)state;
	char zone[POSTCODE_BUFSZ];
	const char *city = postal_line_parse("971 85 Luleå", zone);
	assert_non_null(city);
	assert_string_equal(zone, "97185");
	assert_string_equal(city, "Luleå");
	assert_string_equal(postal_line_parse("38721 Borgholm", zone), "Borgholm");
	static const char *const bad[] = {
		"Stadshuset", "Box 52", "971 85", "971 85 ", "071 85 Luleå", "9718 5 Luleå",
		"971 855 Luleå", "SE-971 85 Luleå", "",
	};
	for (size_t i = 0; i < COUNT(bad); i++)
		if (postal_line_parse(bad[i], zone))
			fail_msg("accepted '%s'", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(organisation_numbers),
		cmocka_unit_test(bankgiro_numbers),
		cmocka_unit_test(vat_numbers),
		cmocka_unit_test(ocr_references),
		cmocka_unit_test(peppol_ids),
		cmocka_unit_test(postal_lines),
	};
	return cmocka_run_group_tests_name("ident", tests, NULL, NULL);
}
