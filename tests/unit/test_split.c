/* test_split.c - the splitting rule: shares always add up to the whole. */
#include "harness.h"

#include "base/money.h"

static void norrbotten_base_amount(void **state)
{
	(void)state;
	int64_t w[13];
	money_t out[13];
	for (int i = 0; i < 13; i++)
		w[i] = 1;
	assert_int_equal(money_split(92170000, w, 13, out), 0);
	for (int i = 0; i < 13; i++)
		assert_int_equal(out[i], 7090000);	/* 70 900,00 kr each */
}

static void extra_ore_go_to_largest_remainders_then_first(void **state)
{
	(void)state;
	int64_t w[3] = {1, 1, 1};
	money_t out[3];
	money_split(100, w, 3, out);	/* 33.33 each: the first gets the öre */
	assert_int_equal(out[0], 34);
	assert_int_equal(out[1], 33);
	assert_int_equal(out[2], 33);

	int64_t w2[3] = {1, 2, 3};	/* 16.67, 33.33, 50 */
	money_split(100, w2, 3, out);
	assert_int_equal(out[0], 17);
	assert_int_equal(out[1], 33);
	assert_int_equal(out[2], 50);

	money_split(-100, w, 3, out);	/* -33.33 each: floors are -34 */
	assert_int_equal(out[0] + out[1] + out[2], -100);
	assert_int_equal(out[0], -33);
	assert_int_equal(out[2], -34);
}

static void zero_weights(void **state)
{
	(void)state;
	int64_t w[3] = {0, 0, 0};
	money_t out[3] = {9, 9, 9};
	assert_int_equal(money_split(100, w, 3, out), -1);
	assert_int_equal(money_split(0, w, 3, out), 0);
	assert_int_equal(out[0] + out[1] + out[2], 0);
	int64_t w2[3] = {0, 5, 0};
	money_split(101, w2, 3, out);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 101);
	assert_int_equal(out[2], 0);
}

/* Property: over many random cases, the shares add up to the total and
 * each is within one öre of its exact value (floor or ceiling). */
static void shares_always_add_up(void **state)
{
	(void)state;
	srand(2016);
	int64_t w[300];
	money_t out[300];
	for (int round = 0; round < 5000; round++) {
		size_t n = 1 + (size_t)(rand() % 300);
		int64_t wsum = 0;
		for (size_t i = 0; i < n; i++) {
			w[i] = rand() % 4 == 0 ? 0 : rand() % 1000000;
			wsum += w[i];
		}
		if (wsum == 0)
			w[0] = wsum = 1;
		money_t total = ((money_t)rand() * rand()) % MONEY_MAX;
		if (round % 3 == 0)
			total = -total;
		assert_int_equal(money_split(total, w, n, out), 0);
		__int128 sum = 0;
		for (size_t i = 0; i < n; i++) {
			sum += out[i];
			__int128 exact_num = (__int128)total * w[i];
			/* out*wsum must be within one wsum of total*w */
			__int128 diff = (__int128)out[i] * wsum - exact_num;
			assert_true(diff > -(__int128)wsum && diff < (__int128)wsum);
		}
		assert_true(sum == total);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(norrbotten_base_amount),
		cmocka_unit_test(extra_ore_go_to_largest_remainders_then_first),
		cmocka_unit_test(zero_weights),
		cmocka_unit_test(shares_always_add_up),
	};
	return cmocka_run_group_tests_name("split", tests, NULL, NULL);
}
