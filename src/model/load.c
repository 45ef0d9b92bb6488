/* load.c - members.csv, users.csv, budget.csv and projects.csv. */
#include "model/load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/ident.h"
#include "base/util.h"
#include "model/charge.h"
#include "model/config.h"
#include "model/csvfile.h"

#define POPULATION_MAX INT64_C(100000000)
#define USERS_MAX INT64_C(10000000)
#define WEIGHT_MAX INT64_C(1000000000000000) /* 10^9 with 6 decimals */

/* Look up a required column; report it missing with a hint. */
static int column(const struct csv_table *t, const char *name, int required)
{
	int col = csv_table_column(t, name);
	if (col >= 0 || !required)
		return col;
	const char *hint = closest_match(name, (const char *const *)t->header, t->ncols);
	if (hint)
		error_at(t->path, 1, "missing column: '%s' (did you mean '%s'?)", name, hint);
	else
		error_at(t->path, 1, "missing column: '%s'", name);
	return -1;
}

/* A row with more fields than the header is an error unless the extra
 * fields are empty (Excel writes trailing ';;'). */
static int check_width(const struct csv_table *t, const struct csv_row *r)
{
	for (size_t i = t->ncols; i < r->nfields; i++) {
		if (r->fields[i][0]) {
			int digits = r->fields[i][0] >= '0' && r->fields[i][0] <= '9';
			error_at(t->path, r->line, "row has %zu fields but the header has %zu: '%s'%s",
				 r->nfields, t->ncols, r->fields[i],
				 t->delimiter == ',' && digits
					 ? " (a decimal comma in a comma-separated file? quote the amount or use ';')"
					 : "");
			return 0;
		}
	}
	return 1;
}

static const char *required_field(const struct csv_table *t, const struct csv_row *r,
				  int col, const char *name)
{
	const char *v = csv_field(r, col);
	if (!*v) {
		error_at(t->path, r->line, "empty '%s'", name);
		return NULL;
	}
	return v;
}

static int date_field(const struct csv_table *t, const struct csv_row *r, int col,
		      const char *name, date_t *out)
{
	const char *v = csv_field(r, col);
	*out = DATE_NONE;
	if (!*v)
		return 1;
	if (date_parse(v, out) < 0) {
		error_at(t->path, r->line, "'%s' is not a date (YYYY-MM-DD): '%s'", name, v);
		return 0;
	}
	return 1;
}

/* A date that must be there. */
static int required_date(const struct csv_table *t, const struct csv_row *r, int col,
			 const char *name, date_t *out)
{
	if (!date_field(t, r, col, name, out))
		return 0;
	if (*out == DATE_NONE) {
		error_at(t->path, r->line, "empty '%s'", name);
		return 0;
	}
	return 1;
}

static int number_field(const struct csv_table *t, const struct csv_row *r, int col,
			const char *name, int decimals, int64_t max, int64_t *out)
{
	const char *v = csv_field(r, col);
	if (!*v) {
		error_at(t->path, r->line, "empty '%s'", name);
		return 0;
	}
	enum number_status st = number_parse(v, decimals, 0, max, out);
	if (st == NUMBER_OK)
		return 1;
	if (st == NUMBER_RANGE && (v[0] == '-' || strncmp(v, "\xE2\x88\x92", 3) == 0))
		error_at(t->path, r->line, "'%s' is negative: '%s'", name, v);
	else if (st == NUMBER_RANGE)
		error_at(t->path, r->line, "'%s' is too large: '%s'", name, v);
	else if (st == NUMBER_DECIMALS && decimals == 0)
		error_at(t->path, r->line, "'%s' must be a whole number: '%s'", name, v);
	else
		error_at(t->path, r->line, "'%s' is %s: '%s'", name, number_status_text(st), v);
	return 0;
}

static int amount_field(const struct csv_table *t, const struct csv_row *r, int col,
			const char *name, money_t *out)
{
	const char *v = csv_field(r, col);
	if (!*v) {
		error_at(t->path, r->line, "empty '%s'", name);
		return 0;
	}
	enum number_status st = money_parse(v, out);
	if (st == NUMBER_OK)
		return 1;
	if (st == NUMBER_RANGE)
		error_at(t->path, r->line, "'%s' is too large: '%s'", name, v);
	else if (st == NUMBER_DECIMALS)
		error_at(t->path, r->line, "'%s' has more than two decimals: '%s'", name, v);
	else
		error_at(t->path, r->line,
			 "'%s' is not an amount in kronor (write 921700, 921 700 or 921 700,00): '%s'",
			 name, v);
	return 0;
}

/* Report id, named on line of t, as an unknown `what` (a member, a
 * project): with the closest of ids as a hint, else the file it is not in.
 * Takes ids (malloc'd). Returns -1. */
static long unknown_ref(const struct csv_table *t, int line, const char *what, const char *id,
			const char **ids, size_t n, const char *file)
{
	const char *hint = closest_match(id, ids, n);
	if (hint)
		error_at(t->path, line, "unknown %s: '%s' (did you mean '%s'?)", what, id, hint);
	else
		error_at(t->path, line, "unknown %s: '%s' (not in %s)", what, id, file);
	free(ids);
	return -1;
}

/* Find a member id named in another file, with a hint on a miss. */
static long member_ref(const struct model *model, const struct csv_table *t, int line,
		       const char *id)
{
	long m = model_find_member(model, id);
	if (m >= 0)
		return m;
	const char **ids = xmalloc((model->nmembers + 1) * sizeof *ids);
	for (size_t i = 0; i < model->nmembers; i++)
		ids[i] = model->members[i].id;
	return unknown_ref(t, line, "member", id, ids, model->nmembers, model->members_file);
}

/* The lines of an address ("Box 1 | 971 85 Luleå"), kept in the arena. */
static void split_address(struct arena *arena, struct text_list *out, const char *v)
{
	char *copy = xstrdup(v);
	char *save = NULL;
	size_t n = 0;
	const char **lines = xmalloc((strlen(v) / 2 + 2) * sizeof *lines);
	for (char *tok = strtok_r(copy, "|\n\r", &save); tok; tok = strtok_r(NULL, "|\n\r", &save)) {
		while (*tok == ' ')
			tok++;
		size_t len = strlen(tok);
		while (len && tok[len - 1] == ' ')
			tok[--len] = '\0';
		if (len)
			lines[n++] = tok;
	}
	out->n = n;
	out->items = arena_alloc(arena, (n + 1) * sizeof *out->items);
	for (size_t i = 0; i < n; i++)
		out->items[i] = arena_strdup(arena, lines[i]);
	free(lines);
	free(copy);
}

/* Does an address ("Box 1 | 971 85 Luleå") end in a postal line? */
static int address_has_postal_line(const char *v)
{
	struct arena a = {0};
	struct text_list l;
	split_address(&a, &l, v);
	char zone[POSTCODE_BUFSZ];
	int ok = l.n > 0 && postal_line_parse(l.items[l.n - 1], zone);
	arena_release(&a);
	return ok;
}

/* ---- members ------------------------------------------------------------ */

/* A member's dates: joined, leaves and notice, with the notice rules:
 * with notice_months, leaves must lie that far past the notice, and a
 * notice without a leaving date ends the membership when it has run out. */
struct member_dates {
	date_t joined, leaves, notice;
	int by_notice;		/* leaves is notice + notice_months */
};

static int member_dates(const struct csv_table *t, const struct csv_row *r, const struct config *cfg,
			const char *id, int c_joined, int c_leaves, int c_notice, int ok_so_far,
			struct member_dates *md)
{
	int ok = date_field(t, r, c_joined, "joined", &md->joined);
	ok &= date_field(t, r, c_leaves, "leaves", &md->leaves);
	ok &= date_field(t, r, c_notice, "notice", &md->notice);
	md->by_notice = 0;
	if (!ok || !ok_so_far)
		return ok;
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ], d3[DATE_BUFSZ];
	if (md->joined != DATE_NONE && md->leaves != DATE_NONE && md->leaves <= md->joined) {
		error_at(t->path, r->line, "member leaves (%s) before it joins (%s): '%s'",
			 date_format(md->leaves, d1), date_format(md->joined, d2), id);
		return 0;
	}
	if (md->leaves == DATE_NONE && md->notice != DATE_NONE && cfg->notice_months > 0) {
		md->leaves = date_add_months(md->notice, cfg->notice_months);
		md->by_notice = 1;
		if (md->joined != DATE_NONE && md->leaves <= md->joined) {
			error_at(t->path, r->line, "member '%s' gave notice on %s, before it joins (%s)",
				 id, date_format(md->notice, d1), date_format(md->joined, d2));
			return 0;
		}
	}
	if (md->leaves != DATE_NONE && cfg->notice_months > 0) {
		if (md->notice == DATE_NONE) {
			error_at(t->path, r->line,
				 "member '%s' leaves on %s but has no 'notice' date (%d months' notice)",
				 id, date_format(md->leaves, d1), cfg->notice_months);
			return 0;
		}
		if (md->leaves < date_add_months(md->notice, cfg->notice_months)) {
			error_at(t->path, r->line,
				 "member '%s' leaves on %s, before %d months' notice from %s have passed (earliest %s)",
				 id, date_format(md->leaves, d1), cfg->notice_months,
				 date_format(md->notice, d2), date_format(date_add_months(md->notice, cfg->notice_months), d3));
			return 0;
		}
	}
	return 1;
}

/* The org.nr seen so far, sorted, with the line each was on. */
struct org_set {
	char (*nr)[ORGNR_BUFSZ];
	int *line;
	size_t n;
};

/* Is orgnr new (then it is added), or was it on an earlier line (said)? */
static int org_first_seen(struct org_set *s, const char *orgnr, const char *path, int line)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->nr[mid], orgnr) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n && strcmp(s->nr[lo], orgnr) == 0) {
		error_at(path, line, "organisation number appears twice: '%s' (first on line %d)", orgnr,
			 s->line[lo]);
		return 0;
	}
	memmove(s->nr + lo + 1, s->nr + lo, (s->n - lo) * sizeof *s->nr);
	memmove(s->line + lo + 1, s->line + lo, (s->n - lo) * sizeof *s->line);
	memcpy(s->nr[lo], orgnr, ORGNR_BUFSZ);
	s->line[lo] = line;
	s->n++;
	return 1;
}

/* Add a member read whole (m holds its numbers and dates), its texts in
 * the model's arena, in members_by_id by its id. */
static void add_member(struct model *model, const struct member *m, const char *id, const char *name,
		       const char *orgnr, const char *addr, const char *ref, const char *peppol,
		       const int64_t *weights)
{
	const struct config *cfg = &model->cfg;
	int found;
	size_t slot = model_member_slot(model, id, &found);
	memmove(model->members_by_id + slot + 1, model->members_by_id + slot,
		(model->nmembers - slot) * sizeof *model->members_by_id);
	model->members_by_id[slot] = model->nmembers;
	struct member *to = &model->members[model->nmembers++];
	struct arena *arena = &model->member_texts;
	*to = *m;
	to->id = arena_strdup(arena, id);
	to->name = arena_strdup(arena, name);
	to->org_nr = arena_strdup(arena, orgnr);
	split_address(arena, &to->address, addr);
	to->reference = *ref ? arena_strdup(arena, ref) : NULL;
	to->peppol_id = arena_strdup(arena, peppol);
	to->weights = arena_alloc(arena, (cfg->npools + 1) * sizeof *to->weights);
	memcpy(to->weights, weights, cfg->npools * sizeof *to->weights);
}

/* The columns of members.csv, found by name (key: one per pool, -1 for a
 * pool without a key). */
struct member_cols {
	int needs_population;
	int id, name, org, addr, pop, ref, joined, leaves, notice, peppol;
	int *key;
};

/* 0, or -1 after naming every column missing. */
static int member_columns(const struct model *model, struct csv_table *t, struct member_cols *c)
{
	const struct config *cfg = &model->cfg;
	c->needs_population = pool_with(cfg, CHARGE_PROJECTS) >= 0;
	c->id = column(t, "id", 1), c->name = column(t, "name", 1);
	c->org = column(t, "org_nr", 1), c->addr = column(t, "address", 1);
	c->pop = column(t, "population", c->needs_population);
	c->ref = column(t, "reference", 0), c->joined = column(t, "joined", 0);
	c->leaves = column(t, "leaves", 0), c->notice = column(t, "notice", 0);
	c->peppol = column(t, "peppol_id", 0);
	c->key = xcalloc(cfg->npools, sizeof *c->key);
	int missing = c->id < 0 || c->name < 0 || c->org < 0 || c->addr < 0 ||
		      (c->needs_population && c->pop < 0);
	for (size_t p = 0; p < cfg->npools; p++) {
		c->key[p] = -1;
		if (!pool_has(cfg, p, CHARGE_KEY))
			continue;
		c->key[p] = csv_table_column(t, cfg->pools[p].key);
		if (c->key[p] < 0) {
			error_at(t->path, 1, "missing column: '%s' (the key of pool '%s', %s:%d)",
				 cfg->pools[p].key, cfg->pools[p].name, cfg->path, cfg->pools[p].key_line);
			missing = 1;
		}
	}
	if (missing) {
		free(c->key);
		return -1;
	}
	return 0;
}

/* What a Peppol e-invoice to a member needs: its reference, its Peppol
 * id (its own, or made from its org.nr) and an address ending in a postal
 * line. The issuer's own member gets no invoice and needs none of it. */
static int einvoice_fields(const struct model *model, const struct csv_table *t, const struct csv_row *r,
			   const struct member_cols *c, const char *id, const char *orgnr, int ok_so_far,
			   char peppol[PEPPOL_ID_BUFSZ])
{
	const struct config *cfg = &model->cfg;
	int ok = 1;
	int billed = !cfg->issuer.member || strcmp(id, cfg->issuer.member) != 0;
	const char *ref = csv_field(r, c->ref), *addr = csv_field(r, c->addr);
	if (billed && !*ref) {
		error_at(t->path, r->line,
			 "member '%s' has no 'reference': a Peppol e-invoice must carry the buyer's reference (its \"Er referens\", such as a person, unit or reference code)",
			 id);
		ok = 0;
	}
	const char *pid = csv_field(r, c->peppol);
	char what[80];
	snprintf(what, sizeof what, "member '%s': invalid peppol_id", id);
	if (*pid && peppol_id_parse(pid, peppol, t->path, r->line, what) < 0)
		ok = 0;
	else if (!*pid && ok && ok_so_far)
		peppol_id_of_orgnr(orgnr, peppol);
	if (billed && !address_has_postal_line(addr)) {
		error_at(t->path, r->line,
			 "member '%s': the address must end in a postcode and city, such as 'Box 52|387 21 Borgholm': '%s'",
			 id, addr);
		ok = 0;
	}
	return ok;
}

static void load_members(struct model *model, struct csv_table *t)
{
	const struct config *cfg = &model->cfg;
	struct member_cols c;
	if (member_columns(model, t, &c) < 0)
		return;
	model->members = xcalloc(t->nrows, sizeof *model->members);
	model->members_by_id = xcalloc(t->nrows + 1, sizeof *model->members_by_id);
	struct org_set orgs = {xcalloc(t->nrows + 1, sizeof *orgs.nr), xcalloc(t->nrows + 1, sizeof *orgs.line), 0};
	for (const struct csv_row *r; (r = csv_next_row(t));) {
		if (!check_width(t, r))
			continue;
		const char *id = required_field(t, r, c.id, "id");
		const char *name = required_field(t, r, c.name, "name");
		const char *org = required_field(t, r, c.org, "org_nr");
		const char *addr = required_field(t, r, c.addr, "address");
		if (!id || !name || !org || !addr)
			continue;
		int ok = 1;
		if (!is_slug(id)) {
			error_at(t->path, r->line,
				 "member id must be 1-40 letters, digits, '-' or '_': '%s'", id);
			ok = 0;
		} else {
			long dup = model_find_member(model, id);
			if (dup >= 0) {
				error_at(t->path, r->line, "member id appears twice: '%s' (first on line %d)",
					 id, model->members[dup].line);
				ok = 0;
			}
		}
		char orgnr[ORGNR_BUFSZ];
		if (orgnr_parse(org, orgnr) < 0) {
			error_at(t->path, r->line,
				 "invalid organisation number (NNNNNN-NNNN with a valid check digit): '%s'",
				 org);
			ok = 0;
		}
		const char *ref = csv_field(r, c.ref);
		char peppol[PEPPOL_ID_BUFSZ];
		ok &= einvoice_fields(model, t, r, &c, id, orgnr, ok, peppol);
		int64_t population = 0;
		if (c.pop >= 0 && (c.needs_population || *csv_field(r, c.pop)))
			ok &= number_field(t, r, c.pop, "population", 0, POPULATION_MAX, &population);
		struct member_dates md;
		ok &= member_dates(t, r, cfg, id, c.joined, c.leaves, c.notice, ok, &md);
		int64_t *weights = xcalloc(cfg->npools, sizeof *weights);
		for (size_t p = 0; p < cfg->npools; p++)
			if (c.key[p] >= 0)
				ok &= number_field(t, r, c.key[p], cfg->pools[p].key, WEIGHT_DECIMALS,
						   WEIGHT_MAX, &weights[p]);
		if (!ok) {
			free(weights);
			continue;
		}
		if (!org_first_seen(&orgs, orgnr, t->path, r->line)) {
			free(weights);
			continue;
		}
		struct member m = {.population = population, .joined = md.joined, .leaves = md.leaves,
				   .notice = md.notice, .leaves_by_notice = md.by_notice, .line = r->line};
		add_member(model, &m, id, name, orgnr, addr, ref, peppol, weights);
		free(weights);
	}
	free(c.key);
	free(orgs.nr);
	free(orgs.line);
	if (t->nrows == 0)
		error_at(t->path, 1, "no members: the file has a header but no rows");
}

static int by_member_date(const void *x, const void *y)
{
	const struct user_count *a = x, *b = y;
	if (a->member != b->member)
		return a->member < b->member ? -1 : 1;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

/* ---- users ---------------------------------------------------------------- */

static void load_users(struct model *model, struct csv_table *t)
{
	int c_date = column(t, "date", 1), c_member = column(t, "member", 1);
	int c_users = column(t, "users", 1);
	if (c_date < 0 || c_member < 0 || c_users < 0)
		return;
	model->users = xcalloc(t->nrows, sizeof *model->users);
	for (const struct csv_row *r; (r = csv_next_row(t));) {
		if (!check_width(t, r))
			continue;
		const char *member = required_field(t, r, c_member, "member");
		date_t date;
		int64_t users;
		int ok = required_date(t, r, c_date, "date", &date);
		ok &= number_field(t, r, c_users, "users", 0, USERS_MAX, &users);
		if (!member || !ok)
			continue;
		long m = member_ref(model, t, r->line, member);
		if (m < 0)
			continue;
		struct user_count *u = &model->users[model->nusers++];
		u->date = date;
		u->member = (uint32_t)m;
		u->users = (int32_t)users;	/* at most USERS_MAX */
		u->line = r->line;
	}
	/* Sorted for lookups; a count given twice shows up as neighbours. */
	qsort(model->users, model->nusers, sizeof *model->users, by_member_date);
	for (size_t k = 1; k < model->nusers; k++) {
		const struct user_count *a = &model->users[k - 1], *b = &model->users[k];
		if (a->member == b->member && a->date == b->date) {
			char d[DATE_BUFSZ];
			error_at(t->path, b->line, "second count for '%s' on %s (first on line %d)",
				 model->members[b->member].id, date_format(b->date, d), a->line);
		}
	}
}

/* ---- budget --------------------------------------------------------------- */

/* The pool named on line of t, or -1 after naming it unknown, with the
 * closest pool as a hint. */
static long pool_ref(const struct config *cfg, const struct csv_table *t, int line, const char *name)
{
	long p = config_find_pool(cfg, name);
	if (p >= 0)
		return p;
	const char **names = xmalloc((cfg->npools + 1) * sizeof *names);
	for (size_t i = 0; i < cfg->npools; i++)
		names[i] = cfg->pools[i].name;
	const char *hint = closest_match(name, names, cfg->npools);
	if (hint)
		error_at(t->path, line, "unknown pool: '%s' (did you mean '%s'?)", name, hint);
	else
		error_at(t->path, line, "unknown pool: '%s' (no [pool %s] in %s)", name, name, cfg->path);
	free(names);
	return -1;
}

static void load_budget(struct model *model, struct csv_table *t)
{
	const struct config *cfg = &model->cfg;
	int c_pool = column(t, "pool", 1), c_item = column(t, "item", 1);
	int c_amount = column(t, "amount", 1);
	if (c_pool < 0 || c_item < 0 || c_amount < 0)
		return;
	model->budget = xcalloc(t->nrows, sizeof *model->budget);
	for (const struct csv_row *r; (r = csv_next_row(t));) {
		if (!check_width(t, r))
			continue;
		const char *pool = required_field(t, r, c_pool, "pool");
		const char *item = required_field(t, r, c_item, "item");
		money_t amount;
		int ok = amount_field(t, r, c_amount, "amount", &amount);
		if (!pool || !item || !ok)
			continue;
		long p = pool_ref(cfg, t, r->line, pool);
		if (p < 0)
			continue;
		if (pool_has(cfg, (size_t)p, CHARGE_PROJECTS)) {
			error_at(t->path, r->line,
				 "pool '%s' takes its costs from the projects file, not the budget", pool);
			continue;
		}
		for (size_t k = 0; k < model->nbudget; k++) {
			const struct budget_line *b = &model->budget[k];
			if (b->pool == (size_t)p && strcmp(b->item, item) == 0) {
				error_at(t->path, r->line, "budget line appears twice: '%s' in pool '%s' (first on line %d)",
					 item, pool, b->line);
				ok = 0;
				break;
			}
		}
		if (!ok)
			continue;
		struct budget_line *b = &model->budget[model->nbudget++];
		b->pool = (size_t)p;
		b->item = xstrdup(item);
		b->amount = amount;
		b->line = r->line;
	}
}

/* ---- projects ------------------------------------------------------------- */

/* A project's start or end: a date, or a bare year meaning its first
 * (start) or last (end) day. */
static int project_date(const struct csv_table *t, const struct csv_row *r, int col,
			const char *name, int last, date_t *out)
{
	const char *v = csv_field(r, col);
	*out = DATE_NONE;
	if (!*v)
		return 1;
	if (strlen(v) == 4 && strspn(v, "0123456789") == 4 && atoi(v) >= 1900) {
		*out = last ? date_from_ymd(atoi(v), 12, 31) : date_from_ymd(atoi(v), 1, 1);
		return 1;
	}
	if (date_parse(v, out) < 0) {
		error_at(t->path, r->line, "'%s' is not a date (YYYY-MM-DD, or a year YYYY): '%s'", name, v);
		return 0;
	}
	return 1;
}

/* A participant at the end of pr's list, with its stint. */
static void add_participant(struct project *pr, size_t *cap, size_t m, struct stint st)
{
	size_t n = pr->nparticipants;
	if (n + 1 > *cap) {	/* both arrays have room for *cap */
		size_t room = *cap;
		GROW(pr->participants, room, n + 1);
		GROW(pr->stints, *cap, n + 1);
	}
	pr->participants[n] = m;
	pr->stints[n] = st;
	pr->nparticipants = n + 1;
}

/* Put pr's participants, with their stints, in member order: an insertion
 * sort, as the lists are short and mostly in order already. */
static void sort_participants(struct project *pr)
{
	for (size_t i = 1; i < pr->nparticipants; i++) {
		for (size_t k = i; k > 0 && pr->participants[k - 1] > pr->participants[k]; k--) {
			size_t m = pr->participants[k];
			struct stint st = pr->stints[k];
			pr->participants[k] = pr->participants[k - 1];
			pr->stints[k] = pr->stints[k - 1];
			pr->participants[k - 1] = m;
			pr->stints[k - 1] = st;
		}
	}
}

static void load_participants(struct model *model, const struct csv_table *t,
			      const struct csv_row *r, const char *list, struct project *pr, int *ok)
{
	size_t cap = 0;
	const struct stint from_start = {DATE_NONE, DATE_NONE, 0};
	pr->listed = *list != 0;
	if (strcmp(list, "*") == 0) {
		/* the members of the cooperation on the project's start date:
		   not those who join it later (they join the project in
		   participations.csv, and buy in) */
		pr->all_members = 1;
		/* room for every member at once (doubling would hold up to
		   twice that, for every such project) */
		size_t room = cap;
		RESERVE(pr->participants, room, model->nmembers);
		RESERVE(pr->stints, cap, model->nmembers);
		for (size_t m = 0; m < model->nmembers; m++)
			if (pr->start_date == DATE_NONE || member_active(&model->members[m], pr->start_date))
				add_participant(pr, &cap, m, from_start);
		return;
	}
	char *copy = xstrdup(list);
	char *save = NULL;
	char *seen = xcalloc(model->nmembers + 1, 1);
	for (char *tok = strtok_r(copy, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		long m = member_ref(model, t, r->line, tok);
		if (m < 0) {
			*ok = 0;
			continue;
		}
		if (seen[m]) {
			error_at(t->path, r->line, "participant listed twice: '%s'", tok);
			*ok = 0;
			continue;
		}
		seen[m] = 1;
		add_participant(pr, &cap, (size_t)m, from_start);
	}
	free(seen);
	free(copy);
	sort_participants(pr);
}

static void load_projects(struct model *model, struct csv_table *t)
{
	int c_id = column(t, "id", 1), c_name = column(t, "name", 1);
	int c_cost = column(t, "cost", 1), c_part = column(t, "participants", 1);
	int c_status = column(t, "status", 0), c_start = column(t, "start", 0);
	int c_end = column(t, "end", 0), c_comment = column(t, "comment", 0);
	int c_previous = column(t, "previous_cost", 0);
	if (c_id < 0 || c_name < 0 || c_cost < 0 || c_part < 0)
		return;
	model->projects = xcalloc(t->nrows, sizeof *model->projects);
	for (const struct csv_row *r; (r = csv_next_row(t));) {
		if (!check_width(t, r))
			continue;
		const char *id = required_field(t, r, c_id, "id");
		const char *name = required_field(t, r, c_name, "name");
		/* An idea or a discussion has no cost this year: its cell is
		 * left empty in a spreadsheet. */
		money_t cost = 0, previous = 0;
		int ok = !*csv_field(r, c_cost) || amount_field(t, r, c_cost, "cost", &cost);
		if (*csv_field(r, c_previous))
			ok &= amount_field(t, r, c_previous, "previous_cost", &previous);
		struct project pr = {0};
		ok &= project_date(t, r, c_start, "start", 0, &pr.start_date);
		ok &= project_date(t, r, c_end, "end", 1, &pr.end_date);
		if (!id || !name || !ok)
			continue;
		if (cost < 0 || previous < 0) {
			error_at(t->path, r->line, "project %s is negative: '%s'",
				 cost < 0 ? "cost" : "previous_cost", csv_field(r, cost < 0 ? c_cost : c_previous));
			continue;
		}
		if (pr.start_date != DATE_NONE && pr.end_date != DATE_NONE && pr.end_date < pr.start_date) {
			error_at(t->path, r->line, "project '%s' ends (%s) before it starts (%s)", id,
				 csv_field(r, c_end), csv_field(r, c_start));
			continue;
		}
		if (!is_slug(id)) {
			error_at(t->path, r->line,
				 "project id must be 1-40 letters, digits, '-' or '_': '%s'", id);
			continue;
		}
		/* A project is billed only in the years it runs. */
		const int year = model->cfg.year;
		if (cost != 0 && ((pr.end_date != DATE_NONE && pr.end_date < date_from_ymd(year, 1, 1)) ||
				  (pr.start_date != DATE_NONE && pr.start_date > date_from_ymd(year, 12, 31)))) {
			char c[MONEY_BUFSZ], d[DATE_BUFSZ];
			int ended = pr.end_date != DATE_NONE && pr.end_date < date_from_ymd(year, 1, 1);
			error_at(t->path, r->line,
				 "project '%s' %s %s, %s %d, but costs %s in %d: a project is billed only in the years it runs (give it no cost, or correct its dates; new-year leaves out the projects that ended)",
				 id, ended ? "ended on" : "starts on",
				 date_format(ended ? pr.end_date : pr.start_date, d), ended ? "before" : "after", year,
				 money_format(cost, c), year);
			continue;
		}
		for (size_t k = 0; k < model->nprojects; k++) {
			if (strcmp(model->projects[k].id, id) == 0) {
				error_at(t->path, r->line, "project id appears twice: '%s' (first on line %d)",
					 id, model->projects[k].line);
				ok = 0;
			}
		}
		load_participants(model, t, r, csv_field(r, c_part), &pr, &ok);
		if (!ok) {
			project_release(&pr);
			continue;
		}
		pr.id = xstrdup(id);
		pr.name = xstrdup(name);
		pr.status = xstrdup(csv_field(r, c_status));
		pr.start = xstrdup(csv_field(r, c_start));
		pr.end = xstrdup(csv_field(r, c_end));
		pr.comment = xstrdup(csv_field(r, c_comment));
		pr.cost = cost;
		pr.previous_cost = previous;
		pr.line = r->line;
		model->projects[model->nprojects++] = pr;
	}
}

/* ---- participations -------------------------------------------------------- */

/* Find a project id named in participations.csv, with a hint on a miss. */
static long find_project(const struct model *model, const struct csv_table *t, int line,
			 const char *id)
{
	for (size_t j = 0; j < model->nprojects; j++)
		if (strcmp(model->projects[j].id, id) == 0)
			return (long)j;
	const char **ids = xmalloc((model->nprojects + 1) * sizeof *ids);
	for (size_t j = 0; j < model->nprojects; j++)
		ids[j] = model->projects[j].id;
	return unknown_ref(t, line, "project", id, ids, model->nprojects, model->projects_file);
}

/* participations.csv: project,member,joined,left. A project named here
 * takes its participants from here, each with the dates of its stint. */
static void load_participations(struct model *model, struct csv_table *t)
{
	int c_project = column(t, "project", 1), c_member = column(t, "member", 1);
	int c_joined = column(t, "joined", 0), c_left = column(t, "left", 0);
	if (c_project < 0 || c_member < 0)
		return;
	if (!model->projects_file) {
		error_at(t->path, 0, "[files] participations needs [files] projects");
		return;
	}
	size_t *caps = xcalloc(model->nprojects + 1, sizeof *caps);
	for (const struct csv_row *r; (r = csv_next_row(t));) {
		if (!check_width(t, r))
			continue;
		const char *pid = required_field(t, r, c_project, "project");
		const char *mid = required_field(t, r, c_member, "member");
		struct stint st = {DATE_NONE, DATE_NONE, r->line};
		int ok = date_field(t, r, c_joined, "joined", &st.joined);
		ok &= date_field(t, r, c_left, "left", &st.left);
		if (!pid || !mid || !ok)
			continue;
		long j = find_project(model, t, r->line, pid);
		long m = member_ref(model, t, r->line, mid);
		if (j < 0 || m < 0)
			continue;
		struct project *pr = &model->projects[j];
		if (pr->listed) {
			error_at(t->path, r->line,
				 "project '%s' takes its participants from here: leave its participants cell empty in %s (line %d %s)",
				 pr->id, model->projects_file, pr->line,
				 pr->all_members ? "says '*'" : "lists them");
			continue;
		}
		if (st.joined != DATE_NONE && st.left != DATE_NONE && st.left <= st.joined) {
			error_at(t->path, r->line, "'%s' leaves project '%s' (left %s) before it joined it",
				 mid, pid, csv_field(r, c_left));
			continue;
		}
		if (st.joined != DATE_NONE && pr->start_date == DATE_NONE) {
			error_at(t->path, r->line,
				 "project '%s' has no start in %s: a 'joined' date needs one (it tells a member from the start from one that buys in)",
				 pr->id, model->projects_file);
			continue;
		}
		size_t k = 0;	/* in the file's order until sorted: looked for one by one */
		while (k < pr->nparticipants && pr->participants[k] != (size_t)m)
			k++;
		if (k < pr->nparticipants) {
			error_at(t->path, r->line, "'%s' is in project '%s' twice (first on line %d)",
				 mid, pid, pr->stints[k].line);
			continue;
		}
		add_participant(pr, &caps[j], (size_t)m, st);
		pr->dated = 1;
	}
	for (size_t j = 0; j < model->nprojects; j++)
		if (model->projects[j].dated)
			sort_participants(&model->projects[j]);
	free(caps);
}

/* A project with a cost needs someone to pay it: listed in projects.csv,
 * or in participations.csv. */
static int check_participants(const struct model *model)
{
	int rc = 0;
	for (size_t j = 0; j < model->nprojects; j++) {
		const struct project *pr = &model->projects[j];
		if (pr->cost > 0 && pr->nparticipants == 0 && !pr->all_members) {
			error_at(model->projects_file, pr->line, "project '%s' has a cost but no participants%s",
				 pr->id, model->participations_file ? "" : " (list them, '*', or in [files] participations)");
			rc = -1;
		}
	}
	return rc;
}

/* ---- last year's budget, meetings, revisions ------------------------------ */

static void load_previous(struct model *model, struct csv_table *t)
{
	int c_pool = column(t, "pool", 1), c_item = column(t, "item", 1);
	int c_amount = column(t, "amount", 1);
	if (c_pool < 0 || c_item < 0 || c_amount < 0)
		return;
	model->previous = xcalloc(t->nrows, sizeof *model->previous);
	for (const struct csv_row *r; (r = csv_next_row(t));) {
		if (!check_width(t, r))
			continue;
		const char *pool = required_field(t, r, c_pool, "pool");
		const char *item = required_field(t, r, c_item, "item");
		money_t amount;
		if (!amount_field(t, r, c_amount, "amount", &amount) || !pool || !item)
			continue;
		struct previous_line *pl = &model->previous[model->nprevious++];
		pl->pool = xstrdup(pool);
		pl->item = xstrdup(item);
		pl->amount = amount;
		pl->line = r->line;
	}
}

static void load_meetings(struct model *model, struct csv_table *t)
{
	int c_date = column(t, "date", 1), c_body = column(t, "body", 1);
	int c_note = column(t, "note", 0);
	if (c_date < 0 || c_body < 0)
		return;
	model->meetings = xcalloc(t->nrows, sizeof *model->meetings);
	for (const struct csv_row *r; (r = csv_next_row(t));) {
		date_t d;
		if (!check_width(t, r) || !required_date(t, r, c_date, "date", &d))
			continue;
		const char *body = required_field(t, r, c_body, "body");
		if (!body)
			continue;
		if (model->nmeetings > 0 && d < model->meetings[model->nmeetings - 1].date) {
			error_at(t->path, r->line, "meetings must be in date order: '%s'",
				 csv_field(r, c_date));
			continue;
		}
		struct meeting *m = &model->meetings[model->nmeetings++];
		m->date = d;
		m->body = xstrdup(body);
		m->note = xstrdup(csv_field(r, c_note));
		m->line = r->line;
	}
}

/* ---- the outcome ------------------------------------------------------------ */

/* outcome.csv: pool,item,amount[,bearer] - the year's actual costs, on
 * the budget's lines (a projects pool's item is a project's id), each
 * borne by the host or, with bearer, by a member that invoices the host
 * in arrears. */
static void load_outcome(struct model *model, struct csv_table *t)
{
	const struct config *cfg = &model->cfg;
	int c_pool = column(t, "pool", 1), c_item = column(t, "item", 1);
	int c_amount = column(t, "amount", 1), c_bearer = column(t, "bearer", 0);
	if (c_pool < 0 || c_item < 0 || c_amount < 0)
		return;
	model->outcome = xcalloc(t->nrows + 1, sizeof *model->outcome);
	for (const struct csv_row *r; (r = csv_next_row(t));) {
		if (!check_width(t, r))
			continue;
		const char *pool = required_field(t, r, c_pool, "pool");
		const char *item = required_field(t, r, c_item, "item");
		money_t amount;
		int ok = amount_field(t, r, c_amount, "amount", &amount);
		if (!pool || !item || !ok)
			continue;
		long p = pool_ref(cfg, t, r->line, pool);
		if (p < 0)
			continue;
		long project = -1;
		if (pool_has(cfg, (size_t)p, CHARGE_PROJECTS)) {
			if ((project = find_project(model, t, r->line, item)) < 0)
				continue;
		} else {
			size_t n = 0, found = 0;
			const char **items = xmalloc((model->nbudget + 1) * sizeof *items);
			for (size_t b = 0; b < model->nbudget; b++)
				if (model->budget[b].pool == (size_t)p) {
					items[n++] = model->budget[b].item;
					found |= strcmp(model->budget[b].item, item) == 0;
				}
			if (!found) {
				const char *hint = closest_match(item, items, n);
				error_at(t->path, r->line, "pool '%s' has no budget line '%s'%s%s%s (the outcome is kept on the budget's lines)",
					 pool, item, hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
				free(items);
				continue;
			}
			free(items);
		}
		long bearer = -1;
		const char *who = csv_field(r, c_bearer);
		if (*who && (bearer = member_ref(model, t, r->line, who)) < 0)
			continue;
		for (size_t k = 0; k < model->noutcome; k++) {
			const struct outcome_line *o = &model->outcome[k];
			if (o->pool == (size_t)p && strcmp(o->item, item) == 0 && o->bearer == bearer) {
				error_at(t->path, r->line, "outcome line appears twice: '%s' in pool '%s'%s%s (first on line %d)",
					 item, pool, bearer >= 0 ? ", borne by " : "", bearer >= 0 ? who : "", o->line);
				ok = 0;
				break;
			}
		}
		if (!ok)
			continue;
		struct outcome_line *o = &model->outcome[model->noutcome++];
		o->pool = (size_t)p;
		o->item = xstrdup(item);
		o->project = project;
		o->amount = amount;
		o->bearer = bearer;
		o->line = r->line;
	}
}

static void load_revisions(struct model *model, struct csv_table *t)
{
	int c_version = column(t, "version", 1), c_date = column(t, "date", 1);
	int c_comment = column(t, "comment", 0);
	if (c_version < 0 || c_date < 0)
		return;
	model->revisions = xcalloc(t->nrows, sizeof *model->revisions);
	for (const struct csv_row *r; (r = csv_next_row(t));) {
		date_t d;
		if (!check_width(t, r) || !required_date(t, r, c_date, "date", &d))
			continue;
		const char *version = required_field(t, r, c_version, "version");
		if (!version)
			continue;
		struct revision *rv = &model->revisions[model->nrevisions++];
		rv->version = xstrdup(version);
		rv->date = d;
		rv->comment = xstrdup(csv_field(r, c_comment));
		rv->line = r->line;
	}
}

/* ---- all inputs ----------------------------------------------------------- */

typedef void (*loader_fn)(struct model *, struct csv_table *);

static const loader_fn loaders[] = {
	[INPUT_MEMBERS] = load_members,
	[INPUT_USERS] = load_users,
	[INPUT_BUDGET] = load_budget,
	[INPUT_PROJECTS] = load_projects,
	[INPUT_PARTICIPATIONS] = load_participations,
	[INPUT_PREVIOUS] = load_previous,
	[INPUT_MEETINGS] = load_meetings,
	[INPUT_REVISIONS] = load_revisions,
	[INPUT_OUTCOME] = load_outcome,
};

static char **file_slot(struct model *model, enum input_file which)
{
	switch (which) {
	case INPUT_MEMBERS:
		return &model->members_file;
	case INPUT_USERS:
		return &model->users_file;
	case INPUT_BUDGET:
		return &model->budget_file;
	case INPUT_PROJECTS:
		return &model->projects_file;
	case INPUT_PARTICIPATIONS:
		return &model->participations_file;
	case INPUT_PREVIOUS:
		return &model->previous_file;
	case INPUT_MEETINGS:
		return &model->meetings_file;
	case INPUT_REVISIONS:
		return &model->revisions_file;
	case INPUT_OUTCOME:
		return &model->outcome_file;
	}
	BUG("no input file %d", which);
}

static int load_table(struct model *model, enum input_file which, struct csv_table *t)
{
	int before = diag_errors();
	if (t->was_windows1252)
		debug("%s: read as Windows-1252", t->path);
	if (t->ncols == 1 && strchr(t->header[0], '\t'))
		error_at(t->path, 1, "the file is tab-separated: save it with ',' or ';' between columns");
	else
		loaders[which](model, t);
	csv_table_release(t);
	return diag_errors() == before ? 0 : -1;
}

/* The [files] key of each input, for a message about a file not there. */
static const char *const file_keys[] = {
	[INPUT_MEMBERS] = "members", [INPUT_USERS] = "users", [INPUT_BUDGET] = "budget",
	[INPUT_PROJECTS] = "projects", [INPUT_PREVIOUS] = "previous_budget", [INPUT_MEETINGS] = "meetings",
	[INPUT_REVISIONS] = "revisions", [INPUT_PARTICIPATIONS] = "participations", [INPUT_OUTCOME] = "outcome",
};

static int load_one(struct model *model, enum input_file which, const char *path)
{
	struct csv_table t;
	char **slot = file_slot(model, which);
	free(*slot);
	*slot = xstrdup(path);
	if (access(path, R_OK) != 0) {	/* say where its name comes from */
		error_at(path, 0, "cannot read: %s (the file [files] %s names in %s)", strerror(errno),
			 file_keys[which], model->cfg.path);
		return -1;
	}
	if (csv_table_load(&t, path) < 0)
		return -1;
	return load_table(model, which, &t);
}

int load_input_data(struct model *model, enum input_file which, const char *path,
		    const char *data, size_t len)
{
	struct csv_table t;
	char **slot = file_slot(model, which);
	free(*slot);
	*slot = xstrdup(path);
	if (csv_table_parse(&t, path, data, len) < 0)
		return -1;
	return load_table(model, which, &t);
}

int load_inputs(struct model *model)
{
	const struct config *cfg = &model->cfg;
	int rc = 0;
	/* The files that name members are checked against them: without
	 * them, only the others are read (every problem there in one run). */
	if (load_one(model, INPUT_MEMBERS, cfg->members_path) < 0) {
		load_one(model, INPUT_BUDGET, cfg->budget_path);
		return -1;
	}
	if (cfg->users_path)
		rc |= load_one(model, INPUT_USERS, cfg->users_path);
	rc |= load_one(model, INPUT_BUDGET, cfg->budget_path);
	if (cfg->projects_path)
		rc |= load_one(model, INPUT_PROJECTS, cfg->projects_path);
	if (cfg->participations_path && !cfg->projects_path) {
		error_at(cfg->path, 0, "[files] participations needs [files] projects");
		rc = -1;
	} else if (cfg->participations_path) {
		rc |= load_one(model, INPUT_PARTICIPATIONS, cfg->participations_path);
	}
	if (cfg->projects_path && rc == 0)
		rc |= check_participants(model);
	if (cfg->previous_budget_path)
		rc |= load_one(model, INPUT_PREVIOUS, cfg->previous_budget_path);
	if (cfg->meetings_path)
		rc |= load_one(model, INPUT_MEETINGS, cfg->meetings_path);
	if (cfg->revisions_path)
		rc |= load_one(model, INPUT_REVISIONS, cfg->revisions_path);
	if (cfg->outcome_path && rc == 0)
		rc |= load_one(model, INPUT_OUTCOME, cfg->outcome_path);
	return rc;
}
