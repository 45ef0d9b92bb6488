/* format.c - basis texts and number formats shared by the renderers. */
#include "format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *format_count(int64_t n, char buf[FORMAT_BUFSZ])
{
	char digits[32];
	snprintf(digits, sizeof digits, "%lld", (long long)(n < 0 ? -n : n));
	size_t nd = strlen(digits), o = 0;
	if (n < 0)
		buf[o++] = '-';
	for (size_t i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = ' ';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

char *format_weight(int64_t w, char point, char buf[FORMAT_BUFSZ])
{
	int64_t scale = 1;
	for (int i = 0; i < WEIGHT_DECIMALS; i++)
		scale *= 10;
	char frac[24];
	snprintf(frac, sizeof frac, "%0*lld", WEIGHT_DECIMALS, (long long)(w % scale));
	size_t n = strlen(frac);
	while (n > 0 && frac[n - 1] == '0')
		frac[--n] = '\0';
	if (n)
		snprintf(buf, FORMAT_BUFSZ, "%lld%c%s", (long long)(w / scale), point, frac);
	else
		snprintf(buf, FORMAT_BUFSZ, "%lld", (long long)(w / scale));
	return buf;
}

char *format_percent(int64_t part, int64_t whole, char buf[FORMAT_BUFSZ])
{
	if (whole == 0) {
		snprintf(buf, FORMAT_BUFSZ, "–");
		return buf;
	}
	int64_t permille = mul_div_round(part, 1000, whole < 0 ? -whole : whole);
	snprintf(buf, FORMAT_BUFSZ, "%s%lld,%lld %%", permille < 0 ? "-" : "",
		 (long long)(llabs(permille) / 10), (long long)(llabs(permille) % 10));
	return buf;
}

char *basis_swedish(const struct pool *pool, const struct basis *b, char buf[FORMAT_BUFSZ])
{
	char m[MONEY_BUFSZ], x[FORMAT_BUFSZ], y[FORMAT_BUFSZ];
	switch (b->method) {
	case METHOD_EQUAL:
		snprintf(buf, FORMAT_BUFSZ, "Lika delar: 1/%lld av %s", (long long)b->whole,
			 money_format(b->base, m));
		break;
	case METHOD_KEY:
		snprintf(buf, FORMAT_BUFSZ, "Fördelningsnyckel %s: %s av %s × %s", pool->key,
			 format_weight(b->part, ',', x), format_weight(b->whole, ',', y),
			 money_format(b->base, m));
		break;
	case METHOD_PER_USER:
		if (b->factor == 0)
			snprintf(buf, FORMAT_BUFSZ, "inträde efter räknedagen: användarna tas med nästa faktura");
		else if (b->factor != 1)
			snprintf(buf, FORMAT_BUFSZ, "%s användare × %s/år × %d (inträdesår%s) × 1/%lld",
				 format_count(b->part, x), money_format(b->base, m), b->factor,
				 b->factor == 2 ? ": dubbel avgift" : "", (long long)b->whole);
		else
			snprintf(buf, FORMAT_BUFSZ, "%s användare × %s/år × 1/%lld",
				 format_count(b->part, x), money_format(b->base, m), (long long)b->whole);
		break;
	case METHOD_PROJECTS:
		snprintf(buf, FORMAT_BUFSZ, "Invånare %s av %s × %s", format_count(b->part, x),
			 format_count(b->whole, y), money_format(b->base, m));
		break;
	}
	return buf;
}

char *basis_plain(const struct pool *pool, const struct basis *b, char buf[FORMAT_BUFSZ])
{
	char m[MONEY_BUFSZ], x[FORMAT_BUFSZ], y[FORMAT_BUFSZ];
	switch (b->method) {
	case METHOD_EQUAL:
		snprintf(buf, FORMAT_BUFSZ, "1/%lld of %s", (long long)b->whole,
			 money_format_csv(b->base, m));
		break;
	case METHOD_KEY:
		snprintf(buf, FORMAT_BUFSZ, "%s %s/%s of %s", pool->key, format_weight(b->part, '.', x),
			 format_weight(b->whole, '.', y), money_format_csv(b->base, m));
		break;
	case METHOD_PER_USER:
		if (b->factor == 0)
			snprintf(buf, FORMAT_BUFSZ, "joined after the count date: users on the next invoice");
		else if (b->factor != 1)
			snprintf(buf, FORMAT_BUFSZ, "%lld users × %s × %d (entry) × 1/%lld",
				 (long long)b->part, money_format_csv(b->base, m), b->factor,
				 (long long)b->whole);
		else
			snprintf(buf, FORMAT_BUFSZ, "%lld users × %s × 1/%lld", (long long)b->part,
				 money_format_csv(b->base, m), (long long)b->whole);
		break;
	case METHOD_PROJECTS:
		snprintf(buf, FORMAT_BUFSZ, "population %lld/%lld of %s", (long long)b->part,
			 (long long)b->whole, money_format_csv(b->base, m));
		break;
	}
	return buf;
}
