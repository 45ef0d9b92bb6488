/* format.c - number formats shared by the renderers. */
#include "model/format.h"

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

char *format_date_long(date_t d, char buf[FORMAT_BUFSZ])
{
	static const char *const months[] = {"januari", "februari", "mars", "april", "maj", "juni", "juli",
					     "augusti", "september", "oktober", "november", "december"};
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	snprintf(buf, FORMAT_BUFSZ, "%d %s %d", day, months[m - 1], y);
	return buf;
}
