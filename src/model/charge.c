/* charge.c - the table of methods of sharing and kinds of charge
 * (charge.h), and how each one's basis reads. */
#include "model/charge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/util.h"
#include "model/format.h"

/* ---- how a basis reads ------------------------------------------------------- */

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
	char m[MONEY_BUFSZ], x[FORMAT_BUFSZ], d[FORMAT_BUFSZ];
	if (b->factor == 0)
		snprintf(buf, FORMAT_BUFSZ, "inträde efter räknedagen: användarna tas med nästa faktura");
	else if (b->joined == DATE_NONE && b->factor != 1)	/* as samfakt 1.0 wrote it: no count date */
		snprintf(buf, FORMAT_BUFSZ, "%s användare × %s/år × %d (inträdesår%s) × 1/%lld",
			 format_count(b->part, x), money_format(b->base, m), b->factor,
			 b->factor == 2 ? ": dubbel avgift" : "", (long long)b->whole);
	else if (b->joined == DATE_NONE)
		snprintf(buf, FORMAT_BUFSZ, "%s användare × %s/år × 1/%lld", format_count(b->part, x),
			 money_format(b->base, m), (long long)b->whole);
	else if (b->factor != 1)
		snprintf(buf, FORMAT_BUFSZ, "%s användare den %s × %s/år × %d (inträdesår%s) × 1/%lld",
			 format_count(b->part, x), format_date_long(b->joined, d), money_format(b->base, m),
			 b->factor, b->factor == 2 ? ": dubbel avgift" : "", (long long)b->whole);
	else
		snprintf(buf, FORMAT_BUFSZ, "%s användare den %s × %s/år × 1/%lld", format_count(b->part, x),
			 format_date_long(b->joined, d), money_format(b->base, m), (long long)b->whole);
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

BASIS_FN(settlement_swedish)
{
	(void)pool;
	char m[MONEY_BUFSZ], n[MONEY_BUFSZ];
	snprintf(buf, FORMAT_BUFSZ, "Andel av utfallet %d %s, fakturerat %s", b->factor, money_format(b->base, m),
		 money_format(b->part, n));
}

BASIS_FN(settlement_plain)
{
	(void)pool;
	char m[MONEY_BUFSZ], n[MONEY_BUFSZ];
	snprintf(buf, FORMAT_BUFSZ, "settlement of %d: share of the outcome %s, billed %s", b->factor,
		 money_format_csv(b->base, m), money_format_csv(b->part, n));
}

/* ---- the texts of buy-ins and credits ------------------------------------------ */

static char *buyin_text(const struct model *model, const struct invoice_line *line)
{
	return xasprintf("Inköp i projekt %s", model->projects[line->project].name);
}

static char *credit_text(const struct model *model, const struct invoice_line *line)
{
	return xasprintf("Återbetalning: %s köper in sig i projekt %s", model->members[line->basis.joiner].name,
			 model->projects[line->project].name);
}

static char *settlement_text(const struct model *model, const struct invoice_line *line)
{
	const struct carry *c = &model->carries[line->basis.joiner];
	return xasprintf("Avräkning %d enligt utfall: %s (avräkningsbesked %s)", c->year, c->what, c->statement);
}

/* ---- the table ----------------------------------------------------------------- */

/* In enum pool_method's order. */
static const struct charge_kind kinds[] = {
	[METHOD_EQUAL] = {
		.name = "equal", .flags = CHARGE_POOL | CHARGE_PER_MEMBER, .swedish = "Lika delar",
		.swedish_basis = equal_swedish, .plain_basis = equal_plain,
		.prepare = allocate_prepare_equal, .split = allocate_split_weighted,
		.line = allocate_line_weighted,
		.summary = budget_summary_equal, .plan_table = template_table_members,
	},
	[METHOD_KEY] = {
		.name = "key", .flags = CHARGE_POOL | CHARGE_KEY, .swedish = "Fördelningsnyckel",
		.swedish_basis = key_swedish, .plain_basis = key_plain,
		.check = validate_check_key,
		.split = allocate_split_weighted, .line = allocate_line_weighted,
		.summary = budget_summary_key, .plan_table = template_table_key,
	},
	[METHOD_PER_USER] = {
		.name = "per_user", .flags = CHARGE_POOL | CHARGE_USERS, .swedish = "Avgift per användare",
		.swedish_basis = per_user_swedish, .plain_basis = per_user_plain,
		.check = validate_check_per_user,
		.prepare = allocate_prepare_per_user, .split = allocate_split_per_user,
		.line = allocate_line_per_user,
		.summary = budget_summary_per_user, .plan_table = template_table_members,
		.report = report_per_user,
	},
	[METHOD_PROJECTS] = {
		.name = "projects", .flags = CHARGE_POOL | CHARGE_PROJECTS,
		.swedish = "Projekt efter invånarantal",
		.swedish_basis = projects_swedish, .plain_basis = projects_plain,
		.check = validate_check_projects,
		.split = allocate_split_projects, .line = allocate_line_project,
		.summary = budget_summary_projects, .plan_table = template_table_projects,
	},
	/* kinds of charge that are no pool's method: their lines are the
	   allocation's buy-ins and credits (allocate.h, step 2b) */
	[METHOD_BUYIN] = {
		.name = "buyin", .swedish = "Inköp i projekt", .line_text = buyin_text,
		.swedish_basis = buyin_swedish, .plain_basis = buyin_plain,
	},
	[METHOD_CREDIT] = {
		.name = "credit", .swedish = "Återbetalning av inköp", .line_text = credit_text,
		.swedish_basis = credit_swedish, .plain_basis = credit_plain,
	},
	/* last year's settlement, carried onto this year's first invoice
	   (model->carries; allocation_carry) */
	[METHOD_SETTLEMENT] = {
		.name = "settlement", .swedish = "Avräkning enligt utfall", .line_text = settlement_text,
		.swedish_basis = settlement_swedish, .plain_basis = settlement_plain,
	},
};

const struct charge_kind *charge_kind(enum pool_method m)
{
	if ((size_t)m >= sizeof kinds / sizeof kinds[0] || !kinds[m].name)
		BUG("no kind of charge %d", (int)m);
	return &kinds[m];
}

int pool_has(const struct config *cfg, size_t pi, enum charge_flag flag)
{
	return (charge_kind(cfg->pools[pi].method)->flags & flag) != 0;
}

long pool_with(const struct config *cfg, enum charge_flag flag)
{
	for (size_t pi = 0; pi < cfg->npools; pi++)
		if (pool_has(cfg, pi, flag))
			return (long)pi;
	return -1;
}

int charge_parse_method(const char *name, enum pool_method *out)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if ((kinds[i].flags & CHARGE_POOL) && strcmp(kinds[i].name, name) == 0) {
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
		total += (kinds[i].flags & CHARGE_POOL) != 0;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (!(kinds[i].flags & CHARGE_POOL))
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

/* Does the basis, multiplied out and rounded to the öre (halves up), give
 * amount? A split by largest remainder may give a member one öre more or
 * less than that, so that the shares add up to the whole. */
int basis_gives(const struct basis *b, money_t amount)
{
	if (b->whole <= 0)
		return 1;
	__int128 num = (__int128)b->base * b->part * (b->method == METHOD_PER_USER ? b->factor : 1);
	if (num < 0)
		num = -num;
	__int128 rounded = (2 * num + b->whole) / (2 * (__int128)b->whole);
	return rounded == (amount < 0 ? -(__int128)amount : amount);
}

/* Append to buf what says that the amount is not the basis multiplied out. */
static char *rounded_note(char *buf, const char *note)
{
	size_t len = strlen(buf);
	snprintf(buf + len, FORMAT_BUFSZ - len, "%s", note);
	return buf;
}

char *basis_swedish(const struct pool *pool, const struct basis *b, money_t amount, char *buf)
{
	charge_kind(b->method)->swedish_basis(pool, b, buf);
	return basis_gives(b, amount) ? buf : rounded_note(buf, " (avrundat till öre enligt största rest)");
}

char *basis_plain(const struct pool *pool, const struct basis *b, money_t amount, char *buf)
{
	charge_kind(b->method)->plain_basis(pool, b, buf);
	return basis_gives(b, amount) ? buf : rounded_note(buf, " (rounded to the öre by largest remainder)");
}
