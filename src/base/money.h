/* money.h - the one money type, its parser, its formatters and the rule
 * that splits a sum into shares.
 *
 * Money is an int64_t count of öre (1 krona = 100 öre), never floating
 * point. Every amount read from input is bounded by MONEY_MAX, so sums of a
 * few million of them, and products with counts and weights done in 128-bit
 * arithmetic, cannot overflow. */
#ifndef SAMFAKT_MONEY_H
#define SAMFAKT_MONEY_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t money_t;

/* 10^12 kronor in öre: far above any budget, far below INT64_MAX. */
#define MONEY_MAX INT64_C(100000000000000)

enum number_status {
	NUMBER_OK,
	NUMBER_SYNTAX,		/* not a written number */
	NUMBER_DECIMALS,	/* more decimals than allowed */
	NUMBER_RANGE,		/* larger than the maximum, or negative where not allowed */
};

/* Parse a decimal number as people write it in Sweden and Excel exports it:
 * an optional '-', digits either plain ("921700") or grouped in threes by
 * spaces or no-break spaces ("921 700"), and an optional ',' or '.'
 * followed by at most `decimals` digits. Surrounding spaces are ignored.
 * "1.234,56", "12,5x", "1e3" and "" are syntax errors. On success *out is
 * the value times 10^decimals. */
enum number_status number_parse(const char *s, int decimals, int allow_negative,
				int64_t max, int64_t *out);

/* An amount in kronor ("921 700,00", "-5000") into öre. */
enum number_status money_parse(const char *s, money_t *out);

/* A short English reason for a status, for messages. */
const char *number_status_text(enum number_status st);

#define MONEY_BUFSZ 48

/* "70 900,00 kr": Swedish, thousands grouped by a space. */
char *money_format(money_t v, char buf[MONEY_BUFSZ]);
/* "70 900,00": the same without the currency. */
char *money_format_bare(money_t v, char buf[MONEY_BUFSZ]);
/* "70900.00": for CSV files read by programs. */
char *money_format_csv(money_t v, char buf[MONEY_BUFSZ]);

/* round(a * b / c), halves rounded away from zero; c > 0. */
int64_t mul_div_round(int64_t a, int64_t b, int64_t c);

/* Split `total` into n shares in proportion to weights[0..n-1] and store
 * them in out[0..n-1]. The rule (largest remainder, also called Hamilton's
 * method): every share starts as the exact proportional value rounded down
 * to the öre; the öre still missing to reach `total` go one each to the
 * shares with the largest discarded fractions, ties to the lower index.
 * The shares always add up to `total` exactly, and each differs from its
 * exact value by less than one öre. Weights may be negative only if their
 * sum is not zero; a total of zero gives zero shares. Returns -1 (and
 * writes nothing) when the weights add up to zero but the total does not. */
int money_split(money_t total, const int64_t *weights, size_t n, money_t *out);

#endif
