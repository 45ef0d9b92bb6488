/* test_date.c - ISO dates: strict parsing and month arithmetic. */
#include "harness.h"

#include "base/date.h"

static void parses_real_days_only(void **state)
{
	(void)state;
	date_t d;
	char buf[DATE_BUFSZ];
	static const char *const ok[] = {"2016-01-01", "2016-02-29", "2000-02-29", "1999-12-31",
					 "9999-12-31"};
	for (size_t i = 0; i < COUNT(ok); i++) {
		assert_int_equal(date_parse(ok[i], &d), 0);
		assert_string_equal(date_format(d, buf), ok[i]);
	}
	static const char *const bad[] = {"2016-02-30", "2015-02-29", "1900-02-29", "2016-13-01",
					  "2016-00-10", "2016-1-1", "16-01-01", "2016/01/01",
					  "2016-01-01 ", "", "1899-12-31", "2016-04-31"};
	for (size_t i = 0; i < COUNT(bad); i++)
		if (date_parse(bad[i], &d) == 0)
			fail_msg("accepted '%s'", bad[i]);
}

static void adds_months_and_days(void **state)
{
	(void)state;
	date_t d;
	char buf[DATE_BUFSZ];
	date_parse("2016-01-31", &d);
	assert_string_equal(date_format(date_add_months(d, 1), buf), "2016-02-29");
	assert_string_equal(date_format(date_add_months(d, 12), buf), "2017-01-31");
	date_parse("2009-06-15", &d);
	assert_string_equal(date_format(date_add_months(d, 12), buf), "2010-06-15");
	date_parse("2016-01-01", &d);
	assert_string_equal(date_format(date_add_days(d, 30), buf), "2016-01-31");
	date_parse("2016-12-15", &d);
	assert_string_equal(date_format(date_add_days(d, 30), buf), "2017-01-14");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_real_days_only),
		cmocka_unit_test(adds_months_and_days),
	};
	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
