/* format.c - basis texts and number formats shared by the renderers. */
#include "format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

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

/* ---- each method of sharing and kind of charge ----------------------------- */

#define BASIS_FN(name) static void name(const struct pool *pool, const struct basis *b, char *buf)

BASIS_FN(equal_swedish)
{
	(void)pool;
	char m[MONEY_BUFSZ];
	snprintf(buf, FORMAT_BUFSZ, "Lika delar: 1/%lld av %s", (long long)b->whole, money_format(b->base, m));
}

BASIS_FN(equal_plain)
{
	(void)pool;
	char m[MONEY_BUFSZ];
	snprintf(buf, FORMAT_BUFSZ, "1/%lld of %s", (long long)b->whole, money_format_csv(b->base, m));
}

BASIS_FN(key_swedish)
{
	char m[MONEY_BUFSZ], x[FORMAT_BUFSZ], y[FORMAT_BUFSZ];
	snprintf(buf, FORMAT_BUFSZ, "Fördelningsnyckel %s: %s av %s × %s", pool->key,
		 format_weight(b->part, ',', x), format_weight(b->whole, ',', y), money_format(b->base, m));
}

BASIS_FN(key_plain)
{
	char m[MONEY_BUFSZ], x[FORMAT_BUFSZ], y[FORMAT_BUFSZ];
	snprintf(buf, FORMAT_BUFSZ, "%s %s/%s of %s", pool->key, format_weight(b->part, '.', x),
		 format_weight(b->whole, '.', y), money_format_csv(b->base, m));
}

BASIS_FN(per_user_swedish)
{
	(void)pool;
	char m[MONEY_BUFSZ], x[FORMAT_BUFSZ];
	if (b->factor == 0)
		snprintf(buf, FORMAT_BUFSZ, "inträde efter räknedagen: användarna tas med nästa faktura");
	else if (b->factor != 1)
		snprintf(buf, FORMAT_BUFSZ, "%s användare × %s/år × %d (inträdesår%s) × 1/%lld",
			 format_count(b->part, x), money_format(b->base, m), b->factor,
			 b->factor == 2 ? ": dubbel avgift" : "", (long long)b->whole);
	else
		snprintf(buf, FORMAT_BUFSZ, "%s användare × %s/år × 1/%lld", format_count(b->part, x),
			 money_format(b->base, m), (long long)b->whole);
}

BASIS_FN(per_user_plain)
{
	(void)pool;
	char m[MONEY_BUFSZ];
	if (b->factor == 0)
		snprintf(buf, FORMAT_BUFSZ, "joined after the count date: users on the next invoice");
	else if (b->factor != 1)
		snprintf(buf, FORMAT_BUFSZ, "%lld users × %s × %d (entry) × 1/%lld", (long long)b->part,
			 money_format_csv(b->base, m), b->factor, (long long)b->whole);
	else
		snprintf(buf, FORMAT_BUFSZ, "%lld users × %s × 1/%lld", (long long)b->part,
			 money_format_csv(b->base, m), (long long)b->whole);
}

BASIS_FN(projects_swedish)
{
	(void)pool;
	char m[MONEY_BUFSZ], x[FORMAT_BUFSZ], y[FORMAT_BUFSZ];
	snprintf(buf, FORMAT_BUFSZ, "Invånare %s av %s × %s", format_count(b->part, x),
		 format_count(b->whole, y), money_format(b->base, m));
}

BASIS_FN(projects_plain)
{
	(void)pool;
	char m[MONEY_BUFSZ];
	snprintf(buf, FORMAT_BUFSZ, "population %lld/%lld of %s", (long long)b->part, (long long)b->whole,
		 money_format_csv(b->base, m));
}

BASIS_FN(buyin_swedish)
{
	(void)pool;
	char m[MONEY_BUFSZ], x[FORMAT_BUFSZ], y[FORMAT_BUFSZ], d[DATE_BUFSZ];
	snprintf(buf, FORMAT_BUFSZ, "Invånare %s av %s × %s, projektets kostnader före inträdet %s",
		 format_count(b->part, x), format_count(b->whole, y), money_format(b->base, m),
		 date_format(b->joined, d));
}

BASIS_FN(buyin_plain)
{
	(void)pool;
	char m[MONEY_BUFSZ], d[DATE_BUFSZ];
	snprintf(buf, FORMAT_BUFSZ, "buy-in: population %lld/%lld of %s, the costs before joining on %s",
		 (long long)b->part, (long long)b->whole, money_format_csv(b->base, m),
		 date_format(b->joined, d));
}

BASIS_FN(credit_swedish)
{
	(void)pool;
	char m[MONEY_BUFSZ], x[FORMAT_BUFSZ], y[FORMAT_BUFSZ], d[DATE_BUFSZ];
	snprintf(buf, FORMAT_BUFSZ, "Invånare %s av %s × inköpet %s, inträde %s",
		 format_count(b->part, x), format_count(b->whole, y), money_format(b->base, m),
		 date_format(b->joined, d));
}

BASIS_FN(credit_plain)
{
	(void)pool;
	char m[MONEY_BUFSZ], d[DATE_BUFSZ];
	snprintf(buf, FORMAT_BUFSZ, "credit: population %lld/%lld of the buy-in %s of a member joining on %s",
		 (long long)b->part, (long long)b->whole, money_format_csv(b->base, m),
		 date_format(b->joined, d));
}

/* In enum pool_method's order. */
static const struct charge_kind kinds[] = {
	[METHOD_EQUAL] = {"equal", 1, "Lika delar", equal_swedish, equal_plain},
	[METHOD_KEY] = {"key", 1, "Fördelningsnyckel", key_swedish, key_plain},
	[METHOD_PER_USER] = {"per_user", 1, "Avgift per användare", per_user_swedish, per_user_plain},
	[METHOD_PROJECTS] = {"projects", 1, "Projekt efter invånarantal", projects_swedish, projects_plain},
	[METHOD_BUYIN] = {"buyin", 0, "Inköp i projekt", buyin_swedish, buyin_plain},
	[METHOD_CREDIT] = {"credit", 0, "Återbetalning av inköp", credit_swedish, credit_plain},
};

const struct charge_kind *charge_kind(enum pool_method m)
{
	if ((size_t)m >= sizeof kinds / sizeof kinds[0] || !kinds[m].name)
		BUG("no kind of charge %d", (int)m);
	return &kinds[m];
}

int charge_parse_method(const char *name, enum pool_method *out)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (kinds[i].pool_method && strcmp(kinds[i].name, name) == 0) {
			*out = (enum pool_method)i;
			return 0;
		}
	}
	return -1;
}

char *charge_methods_text(void)
{
	struct strbuf sb = {0};
	size_t n = 0, total = 0;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		total += (size_t)kinds[i].pool_method;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (!kinds[i].pool_method)
			continue;
		sb_addf(&sb, "%s%s", n == 0 ? "" : n + 1 == total ? " or " : ", ", kinds[i].name);
		n++;
	}
	if (!sb.buf)
		sb_adds(&sb, "");
	return sb.buf;
}

const char *method_name(enum pool_method m)
{
	return charge_kind(m)->name;
}

const char *method_swedish(enum pool_method m)
{
	return charge_kind(m)->swedish;
}

char *basis_swedish(const struct pool *pool, const struct basis *b, char buf[FORMAT_BUFSZ])
{
	charge_kind(b->method)->swedish_basis(pool, b, buf);
	return buf;
}

char *basis_plain(const struct pool *pool, const struct basis *b, char buf[FORMAT_BUFSZ])
{
	charge_kind(b->method)->plain_basis(pool, b, buf);
	return buf;
}
