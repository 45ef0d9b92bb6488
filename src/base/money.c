/* money.c - parsing, formatting and splitting of öre amounts. */
#include "base/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Length of a digit-group separator at s: ASCII space, U+00A0 or U+202F. */
static size_t group_separator(const char *s)
{
	if (s[0] == ' ')
		return 1;
	if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
		return 2;
	if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] == 0xAF)
		return 3;
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* One piece: one scan of the text (sign, digits and their groups, the
 * decimal mark, decimals), each state of the scan a few lines. */
enum number_status number_parse(const char *s, int decimals, int allow_negative,
				int64_t max, int64_t *out)
{
	const char *end = s + strlen(s);
	while (*s == ' ' || *s == '\t')
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;

	int negative = 0;
	if (*s == '-') {
		negative = 1;
		s++;
	} else if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x88 &&
		   (unsigned char)s[2] == 0x92) { /* U+2212 minus sign */
		negative = 1;
		s += 3;
	}

	/* Integer part: plain digits, or groups of three after the first. */
	__int128 value = 0;
	int digits = 0, group = 0, grouped = 0;
	int too_big = 0;
	while (s < end) {
		if (is_digit(*s)) {
			value = value * 10 + (*s - '0');
			if (value > (__int128)INT64_MAX)
				too_big = 1, value = (__int128)INT64_MAX;
			digits++;
			group++;
			s++;
			continue;
		}
		size_t sep = group_separator(s);
		if (!sep || digits == 0)
			break;
		if ((grouped && group != 3) || (!grouped && group > 3))
			return NUMBER_SYNTAX;
		if (s + sep >= end || !is_digit(s[sep]))
			return NUMBER_SYNTAX;
		grouped = 1;
		group = 0;
		s += sep;
	}
	if (digits == 0)
		return NUMBER_SYNTAX;
	if (grouped && group != 3)
		return NUMBER_SYNTAX;

	/* Fraction. */
	int frac_digits = 0;
	int64_t frac = 0;
	if (s < end && (*s == ',' || *s == '.')) {
		s++;
		while (s < end && is_digit(*s)) {
			if (frac_digits < 18)
				frac = frac * 10 + (*s - '0');
			frac_digits++;
			s++;
		}
		if (frac_digits == 0)
			return NUMBER_SYNTAX;
	}
	if (s != end)
		return NUMBER_SYNTAX;
	if (frac_digits > decimals)
		return NUMBER_DECIMALS;
	if (negative && !allow_negative)
		return NUMBER_RANGE;
	if (too_big)
		return NUMBER_RANGE;

	for (int i = 0; i < decimals; i++) {
		value *= 10;
		if (value > (__int128)INT64_MAX)
			return NUMBER_RANGE;
	}
	for (int i = frac_digits; i < decimals; i++)
		frac *= 10;
	value += frac;
	if (value > (__int128)max)
		return NUMBER_RANGE;
	*out = negative ? -(int64_t)value : (int64_t)value;
	return NUMBER_OK;
}

enum number_status money_parse(const char *s, money_t *out)
{
	return number_parse(s, 2, 1, MONEY_MAX, out);
}

const char *number_status_text(enum number_status st)
{
	switch (st) {
	case NUMBER_OK:
		return "ok";
	case NUMBER_SYNTAX:
		return "not a number";
	case NUMBER_DECIMALS:
		return "too many decimals";
	case NUMBER_RANGE:
		return "out of range";
	}
	return "?";
}

/* Write |v| in kronor with `sep` between groups of three and `point`
 * before the öre. */
static char *format_with(money_t v, char buf[MONEY_BUFSZ], const char *sep,
			 char point, const char *suffix)
{
	/* by hand, not snprintf: a run formats a few hundred thousand */
	char digits[32];
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t kronor = a / 100;
	size_t nd = 0;
	do
		digits[nd++] = (char)('0' + kronor % 10);
	while (kronor /= 10);
	size_t seplen = strlen(sep);
	char *p = buf;
	if (v < 0)
		*p++ = '-';
	for (size_t i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0) {
			memcpy(p, sep, seplen);
			p += seplen;
		}
		*p++ = digits[nd - 1 - i];
	}
	unsigned ore = (unsigned)(a % 100);
	*p++ = point;
	*p++ = (char)('0' + ore / 10);
	*p++ = (char)('0' + ore % 10);
	strcpy(p, suffix);
	return buf;
}

char *money_format(money_t v, char buf[MONEY_BUFSZ])
{
	return format_with(v, buf, " ", ',', " kr");
}

char *money_format_bare(money_t v, char buf[MONEY_BUFSZ])
{
	return format_with(v, buf, " ", ',', "");
}

char *money_format_csv(money_t v, char buf[MONEY_BUFSZ])
{
	return format_with(v, buf, "", '.', "");
}

int64_t mul_div_round(int64_t a, int64_t b, int64_t c)
{
	__int128 n = (__int128)a * b;
	int negative = n < 0;
	if (negative)
		n = -n;
	__int128 q = n / c;
	if ((n % c) * 2 >= c)
		q++;
	return negative ? -(int64_t)q : (int64_t)q;
}

struct remainder {
	__int128 rem;
	size_t index;
};

/* Largest remainder first; ties to the lower index. */
static int by_remainder(const void *a, const void *b)
{
	const struct remainder *x = a, *y = b;
	if (x->rem != y->rem)
		return x->rem > y->rem ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int money_split(money_t total, const int64_t *weights, size_t n, money_t *out)
{
	__int128 sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += weights[i];
	if (total == 0) {
		for (size_t i = 0; i < n; i++)
			out[i] = 0;
		return 0;
	}
	if (sum == 0)
		return -1;
	int flip = sum < 0;
	if (flip)
		sum = -sum;

	/* Floor of total*w/sum, and the discarded remainder in [0, sum). */
	struct remainder *rem = xmalloc(n * sizeof *rem);
	__int128 given = 0;
	for (size_t i = 0; i < n; i++) {
		__int128 num = (__int128)total * (flip ? -weights[i] : weights[i]);
		__int128 q = num / sum, r = num % sum;
		if (r < 0) {
			q -= 1;
			r += sum;
		}
		out[i] = (money_t)q;
		rem[i].rem = r;
		rem[i].index = i;
		given += q;
	}
	/* The fractions add up to a whole number below n. */
	size_t missing = (size_t)((__int128)total - given);
	if (missing > 0) {
		qsort(rem, n, sizeof *rem, by_remainder);
		for (size_t k = 0; k < missing; k++)
			out[rem[k].index] += 1;
	}
	free(rem);
	return 0;
}
