/* test_money.c - the amount parser and the Swedish formats. */
#include "harness.h"

#include "base/money.h"

static void parses_written_amounts(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		money_t ore;
	} ok[] = {
		{"921700", 92170000},
		{"921 700", 92170000},
		{"921 700,00", 92170000},
		{"921\xC2\xA0" "700,5", 92170050},	/* no-break space, Excel */
		{"1 234 567,89", 123456789},
		{"-5000", -500000},
		{"\xE2\x88\x92" "5 000", -500000},	/* U+2212 minus */
		{"0", 0},
		{"0,01", 1},
		{"12.5", 1250},
		{" 70900 ", 7090000},
		{"1000000000000", MONEY_MAX},
	};
	for (size_t i = 0; i < COUNT(ok); i++) {
		money_t v = -1;
		assert_int_equal(money_parse(ok[i].in, &v), NUMBER_OK);
		assert_true(v == ok[i].ore);
	}
}

static void refuses_what_is_not_an_amount(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum number_status st;
	} bad[] = {
		{"", NUMBER_SYNTAX},
		{"12,5x", NUMBER_SYNTAX},
		{"1.234,56", NUMBER_SYNTAX},
		{"1,234.56", NUMBER_SYNTAX},
		{"1e3", NUMBER_SYNTAX},
		{"92 17 00", NUMBER_SYNTAX},
		{"9217 00", NUMBER_SYNTAX},
		{"1 000 00", NUMBER_SYNTAX},
		{"kr 100", NUMBER_SYNTAX},
		{"100 kr", NUMBER_SYNTAX},
		{"--5", NUMBER_SYNTAX},
		{"5,", NUMBER_SYNTAX},
		{",5", NUMBER_SYNTAX},
		{"0x10", NUMBER_SYNTAX},
		{"1,234", NUMBER_DECIMALS},
		{"9223372036854775807", NUMBER_RANGE},
		{"99999999999999999999999", NUMBER_RANGE},
		{"1000000000000,01", NUMBER_RANGE},
	};
	for (size_t i = 0; i < COUNT(bad); i++) {
		money_t v = 42;
		enum number_status st = money_parse(bad[i].in, &v);
		if (st != bad[i].st)
			fail_msg("'%s': got %d, want %d", bad[i].in, st, bad[i].st);
		assert_true(v == 42);
	}
}

static void counts_refuse_decimals_and_signs(void **state)
{
	(void)state;
	int64_t v;
	assert_int_equal(number_parse("76 770", 0, 0, 1000000, &v), NUMBER_OK);
	assert_int_equal(v, 76770);
	assert_int_equal(number_parse("7,5", 0, 0, 1000000, &v), NUMBER_DECIMALS);
	assert_int_equal(number_parse("-7", 0, 0, 1000000, &v), NUMBER_RANGE);
	assert_int_equal(number_parse("1000001", 0, 0, 1000000, &v), NUMBER_RANGE);
	assert_int_equal(number_parse("12,5", 6, 0, INT64_MAX, &v), NUMBER_OK);
	assert_int_equal(v, 12500000);
}

static void formats_like_swedish_invoices(void **state)
{
	(void)state;
	char buf[MONEY_BUFSZ];
	assert_string_equal(money_format(7090000, buf), "70 900,00 kr");
	assert_string_equal(money_format(92170000, buf), "921 700,00 kr");
	assert_string_equal(money_format(5, buf), "0,05 kr");
	assert_string_equal(money_format(-123456789, buf), "-1 234 567,89 kr");
	assert_string_equal(money_format(INT64_MIN + 1, buf), "-92 233 720 368 547 758,07 kr");
	assert_string_equal(money_format_bare(100000, buf), "1 000,00");
	assert_string_equal(money_format_csv(7090000, buf), "70900.00");
	assert_string_equal(money_format_csv(-1, buf), "-0.01");
}

static void parse_and_format_round_trip(void **state)
{
	(void)state;
	srand(7);
	for (int i = 0; i < 20000; i++) {
		money_t v = ((money_t)rand() << 20 ^ rand()) % MONEY_MAX * (rand() % 2 ? 1 : -1);
		char buf[MONEY_BUFSZ];
		money_t back;
		assert_int_equal(money_parse(money_format_bare(v, buf), &back), NUMBER_OK);
		assert_true(back == v);
		assert_int_equal(money_parse(money_format_csv(v, buf), &back), NUMBER_OK);
		assert_true(back == v);
	}
}

static void rounds_halves_away_from_zero(void **state)
{
	(void)state;
	assert_int_equal(mul_div_round(1080000, 1, 90), 12000);
	assert_int_equal(mul_div_round(5, 1, 2), 3);
	assert_int_equal(mul_div_round(-5, 1, 2), -3);
	assert_int_equal(mul_div_round(4, 1, 3), 1);
	assert_int_equal(mul_div_round(16888846, 25, 100), 4222212); /* VAT of 168 888,46 */
	assert_int_equal(mul_div_round(2, 25, 100), 1);		/* 0,5 öre rounds up */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_written_amounts),
		cmocka_unit_test(refuses_what_is_not_an_amount),
		cmocka_unit_test(counts_refuse_decimals_and_signs),
		cmocka_unit_test(formats_like_swedish_invoices),
		cmocka_unit_test(parse_and_format_round_trip),
		cmocka_unit_test(rounds_halves_away_from_zero),
	};
	return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
