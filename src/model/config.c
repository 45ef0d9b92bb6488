/* config.c - the INI configuration: a key table, inih, and checks. */
#include "model/config.h"

#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/ident.h"
#include "base/util.h"
#include "model/charge.h"
#include "model/csvfile.h"
#include "model/format.h"

#define CONFIG_FILE_MAX (1u << 20)
#define CONFIG_LINE_MAX 1024

enum section_kind {
	SEC_NONE,
	SEC_COOPERATION,
	SEC_ISSUER,
	SEC_INVOICE,
	SEC_FILES,
	SEC_LEDGER,
	SEC_SETTLEMENT,
	SEC_EINVOICE,
	SEC_SENDING,
	SEC_OUTPUT,
	SEC_PERIOD,
	SEC_POOL,
};

enum key_type {
	K_TEXT,		/* any non-empty text */
	K_TEXT_LIST,	/* repeatable: one entry per occurrence */
	K_SLUG,		/* an id: letters, digits, '-', '_' */
	K_INT,		/* whole number in [min, max] */
	K_LONG,		/* the same, stored as long */
	K_DATE,
	K_ORGNR,
	K_BANKGIRO,
	K_PEPPOL_ID,
	K_ACCOUNT,	/* a ledger account: four digits (BAS) */
	K_PATH,		/* relative to the config file's folder */
	K_METHOD,
	K_AMOUNT,	/* kronor, stored as öre */
};

struct key_spec {
	enum section_kind section;
	const char *name;
	enum key_type type;
	size_t offset;		/* into the section's struct */
	long min, max;
	int required;
};

#define CFG(field) offsetof(struct config, field)
#define ISS(field) offsetof(struct issuer, field)
#define PER(field) offsetof(struct period, field)
#define POOL(field) offsetof(struct pool, field)

/* Every key samfakt reads, in the order the README documents them. */
static const struct key_spec key_table[] = {
	{SEC_COOPERATION, "name", K_TEXT, CFG(name), 0, 0, 1},
	{SEC_COOPERATION, "year", K_INT, CFG(year), 1900, 9999, 1},
	{SEC_COOPERATION, "notice_months", K_INT, CFG(notice_months), 0, 120, 0},
	{SEC_COOPERATION, "leaving_period", K_TEXT, CFG(leaving_period), 0, 0, 0},

	{SEC_ISSUER, "name", K_TEXT, ISS(name), 0, 0, 1},
	{SEC_ISSUER, "org_nr", K_ORGNR, ISS(org_nr), 0, 0, 1},
	{SEC_ISSUER, "vat_nr", K_TEXT, ISS(vat_nr), 0, 0, 0},
	{SEC_ISSUER, "address", K_TEXT_LIST, ISS(address), 0, 0, 1},
	{SEC_ISSUER, "bankgiro", K_BANKGIRO, ISS(bankgiro), 0, 0, 1},
	{SEC_ISSUER, "reference", K_TEXT, ISS(reference), 0, 0, 0},
	{SEC_ISSUER, "email", K_TEXT, ISS(email), 0, 0, 0},
	{SEC_ISSUER, "phone", K_TEXT, ISS(phone), 0, 0, 0},
	{SEC_ISSUER, "peppol_id", K_PEPPOL_ID, ISS(peppol_id), 0, 0, 0},
	{SEC_ISSUER, "member", K_SLUG, ISS(member), 0, 0, 0},

	{SEC_INVOICE, "terms_days", K_INT, CFG(terms_days), 1, 30, 0},
	{SEC_INVOICE, "number_prefix", K_TEXT, CFG(number_prefix), 0, 0, 0},
	{SEC_INVOICE, "first_number", K_LONG, CFG(first_number), 1, 999999999, 0},
	{SEC_INVOICE, "vat_rate", K_INT, CFG(vat_rate), 0, 25, 0},
	{SEC_INVOICE, "vat_note", K_TEXT, CFG(vat_note), 0, 0, 0},
	{SEC_INVOICE, "vat_category", K_TEXT, CFG(vat_category), 0, 0, 0},

	{SEC_FILES, "members", K_PATH, CFG(members_path), 0, 0, 1},
	{SEC_FILES, "users", K_PATH, CFG(users_path), 0, 0, 0},
	{SEC_FILES, "budget", K_PATH, CFG(budget_path), 0, 0, 1},
	{SEC_FILES, "projects", K_PATH, CFG(projects_path), 0, 0, 0},
	{SEC_FILES, "participations", K_PATH, CFG(participations_path), 0, 0, 0},
	{SEC_FILES, "output", K_PATH, CFG(output_dir), 0, 0, 1},
	{SEC_FILES, "journal", K_PATH, CFG(journal_path), 0, 0, 0},
	{SEC_FILES, "previous_budget", K_PATH, CFG(previous_budget_path), 0, 0, 0},
	{SEC_FILES, "templates", K_PATH, CFG(templates_dir), 0, 0, 0},
	{SEC_FILES, "meetings", K_PATH, CFG(meetings_path), 0, 0, 0},
	{SEC_FILES, "revisions", K_PATH, CFG(revisions_path), 0, 0, 0},
	{SEC_FILES, "outcome", K_PATH, CFG(outcome_path), 0, 0, 0},

	{SEC_LEDGER, "receivable", K_ACCOUNT, CFG(ledger.receivable), 0, 0, 1},
	{SEC_LEDGER, "vat", K_ACCOUNT, CFG(ledger.vat), 0, 0, 0},
	{SEC_LEDGER, "series", K_SLUG, CFG(ledger.series), 0, 0, 0},
	{SEC_LEDGER, "prepaid", K_ACCOUNT, CFG(ledger.prepaid), 0, 0, 0},

	{SEC_SETTLEMENT, "rule", K_TEXT, CFG(settlement_text), 0, 0, 0},

	{SEC_EINVOICE, "attach_pdf", K_TEXT, CFG(einvoice.attach_pdf_text), 0, 0, 0},
	{SEC_EINVOICE, "max_size_kb", K_INT, CFG(einvoice.max_kb), 1, 1048576, 0},

	{SEC_SENDING, "outbox", K_PATH, CFG(sending.outbox), 0, 0, 0},
	{SEC_SENDING, "since", K_DATE, CFG(sending.since), 0, 0, 0},

	{SEC_OUTPUT, "csv", K_TEXT, CFG(csv_text), 0, 0, 0},

	{SEC_PERIOD, "invoice_date", K_DATE, PER(invoice_date), 0, 0, 1},
	{SEC_PERIOD, "count_date", K_DATE, PER(count_date), 0, 0, 0},
	{SEC_PERIOD, "text", K_TEXT, PER(text), 0, 0, 0},
	{SEC_PERIOD, "start", K_DATE, PER(start), 0, 0, 0},
	{SEC_PERIOD, "end", K_DATE, PER(end), 0, 0, 0},

	{SEC_POOL, "text", K_TEXT, POOL(text), 0, 0, 0},
	{SEC_POOL, "method", K_METHOD, POOL(method), 0, 0, 1},
	{SEC_POOL, "periods", K_TEXT, POOL(periods_text), 0, 0, 0},
	{SEC_POOL, "key", K_SLUG, POOL(key), 0, 0, 0},
	{SEC_POOL, "fee_date", K_DATE, POOL(fee_date), 0, 0, 0},
	{SEC_POOL, "annual_fee", K_AMOUNT, POOL(annual_fee), 0, 0, 0},
	{SEC_POOL, "entry_factor", K_INT, POOL(entry_factor), 1, 10, 0},
	{SEC_POOL, "account", K_ACCOUNT, POOL(account), 0, 0, 0},
	{SEC_POOL, "cost_centre", K_SLUG, POOL(cost_centre), 0, 0, 0},
	{SEC_POOL, "settlement", K_TEXT, POOL(settlement_text), 0, 0, 0},
};
#define NKEYS (sizeof key_table / sizeof key_table[0])

static const char *const section_names[] = {
	[SEC_COOPERATION] = "cooperation",
	[SEC_ISSUER] = "issuer",
	[SEC_INVOICE] = "invoice",
	[SEC_FILES] = "files",
	[SEC_LEDGER] = "ledger",
	[SEC_SETTLEMENT] = "settlement",
	[SEC_EINVOICE] = "einvoice",
	[SEC_SENDING] = "sending",
	[SEC_OUTPUT] = "output",
	[SEC_PERIOD] = "period",
	[SEC_POOL] = "pool",
};

/* One section as it appears in the file. */
struct section {
	enum section_kind kind;
	size_t index;		/* into cfg->periods or cfg->pools */
	int line;
	int key_lines[NKEYS];	/* where each key was set, 0 if not */
};

struct parse_state {
	struct config *cfg;
	const char *text;	/* the file, read whole */
	size_t pos, len;
	int line;
	size_t nsections, cap;
	struct section *sections;
	struct section *current;	/* NULL before the first header or in a bad one */
	int in_bad_section;
};

/* ---- section headers ------------------------------------------------ */

/* The struct a section's keys fill. Periods and pools live in arrays that
 * grow while parsing, so a section keeps an index and not a pointer. */
static void *section_base(const struct parse_state *st, const struct section *s)
{
	switch (s->kind) {
	case SEC_PERIOD:
		return &st->cfg->periods[s->index];
	case SEC_POOL:
		return &st->cfg->pools[s->index];
	case SEC_ISSUER:
		return &st->cfg->issuer;
	default:
		return st->cfg;
	}
}

static struct section *add_section(struct parse_state *st, enum section_kind kind,
				   size_t index)
{
	GROW(st->sections, st->cap, st->nsections + 1);
	struct section *s = &st->sections[st->nsections++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->index = index;
	s->line = st->line;
	return s;
}

static struct section *find_section(struct parse_state *st, enum section_kind kind, void *base)
{
	for (size_t i = 0; i < st->nsections; i++)
		if (st->sections[i].kind == kind && section_base(st, &st->sections[i]) == base)
			return &st->sections[i];
	return NULL;
}

/* Called by the line reader on every "[...]" line, so that empty sections
 * and their line numbers are known too. */
static void begin_section(struct parse_state *st, const char *header)
{
	struct config *cfg = st->cfg;
	char name[CONFIG_LINE_MAX];
	snprintf(name, sizeof name, "%s", header);
	char *arg = strchr(name, ' ');
	if (arg) {
		*arg++ = '\0';
		while (*arg == ' ')
			arg++;
	}

	st->current = NULL;
	st->in_bad_section = 1;
	enum section_kind kind = SEC_NONE;
	for (size_t k = 1; k < sizeof section_names / sizeof section_names[0]; k++)
		if (strcmp(name, section_names[k]) == 0)
			kind = (enum section_kind)k;
	if (kind == SEC_NONE) {
		error_at(cfg->path, st->line, "unknown section: '[%s]'", header);
		return;
	}
	int takes_name = kind == SEC_PERIOD || kind == SEC_POOL;
	if (takes_name && (!arg || !*arg)) {
		error_at(cfg->path, st->line, "section needs a name: '[%s NAME]'", name);
		return;
	}
	if (!takes_name && arg && *arg) {
		error_at(cfg->path, st->line, "section takes no name: '[%s]'", header);
		return;
	}
	if (takes_name && !is_slug(arg)) {
		error_at(cfg->path, st->line,
			 "%s name must be letters, digits, '-' or '_' (at most 40): '%s'",
			 name, arg);
		return;
	}

	size_t index = 0;
	if (kind == SEC_PERIOD) {
		if (config_find_period(cfg, arg) >= 0) {
			error_at(cfg->path, st->line, "period defined twice: '%s'", arg);
			return;
		}
		cfg->periods = xrealloc(cfg->periods, (cfg->nperiods + 1) * sizeof *cfg->periods);
		struct period *p = &cfg->periods[cfg->nperiods++];
		memset(p, 0, sizeof *p);
		p->name = xstrdup(arg);
		p->invoice_date = p->count_date = p->start = p->end = p->waits_for = DATE_NONE;
		p->line = st->line;
		index = cfg->nperiods - 1;
	} else if (kind == SEC_POOL) {
		if (config_find_pool(cfg, arg) >= 0) {
			error_at(cfg->path, st->line, "pool defined twice: '%s'", arg);
			return;
		}
		cfg->pools = xrealloc(cfg->pools, (cfg->npools + 1) * sizeof *cfg->pools);
		struct pool *p = &cfg->pools[cfg->npools++];
		memset(p, 0, sizeof *p);
		p->name = xstrdup(arg);
		p->fee_date = DATE_NONE;
		p->annual_fee = -1;
		p->entry_factor = 1;
		p->line = st->line;
		index = cfg->npools - 1;
	} else {
		void *base = kind == SEC_ISSUER ? (void *)&cfg->issuer : (void *)cfg;
		struct section *old = find_section(st, kind, base);
		if (old) {
			error_at(cfg->path, st->line, "section appears twice: '[%s]' (first on line %d)",
				 name, old->line);
			return;
		}
	}
	st->current = add_section(st, kind, index);
	st->in_bad_section = 0;
}

/* ---- the line reader ------------------------------------------------- */

/* inih's reader: hands out one line at a time, counts lines, reports
 * over-long lines instead of letting inih cut them, and sees section
 * headers first. */
static char *read_line(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	if (st->pos >= st->len)
		return NULL;
	const char *start = st->text + st->pos;
	const char *nl = memchr(start, '\n', st->len - st->pos);
	size_t n = nl ? (size_t)(nl - start) + 1 : st->len - st->pos;
	st->pos += n;
	st->line++;

	if (n >= (size_t)num - 1) {
		error_at(st->cfg->path, st->line, "line longer than %d characters", num - 2);
		snprintf(str, (size_t)num, ";\n");
		return str;
	}
	memcpy(str, start, n);
	str[n] = '\0';

	/* A section header: "[name arg]" after optional blanks. */
	const char *p = str;
	if (st->line == 1 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '[') {
		const char *close = strchr(p, ']');
		if (!close) {
			error_at(st->cfg->path, st->line, "section header without ']'");
			st->current = NULL;
			snprintf(str, (size_t)num, ";\n");
			return str;
		}
		char header[CONFIG_LINE_MAX];
		snprintf(header, sizeof header, "%.*s", (int)(close - p - 1), p + 1);
		begin_section(st, header);
	}
	return str;
}

/* ---- values ---------------------------------------------------------- */

/* Join a relative path to the config's folder and fold "x/.." and "."
 * away, so that messages name "input/members.csv", not
 * "config/../input/members.csv". */
char *config_resolve_path(const struct config *cfg, const char *value)
{
	char *joined = value[0] == '/' || strcmp(cfg->dir, ".") == 0
			       ? xstrdup(value) : xasprintf("%s/%s", cfg->dir, value);
	int absolute = joined[0] == '/';
	size_t n = 0;
	char **parts = xcalloc(strlen(joined) + 1, sizeof *parts);
	char *save = NULL;
	for (char *tok = strtok_r(joined, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0 && n > 0 && strcmp(parts[n - 1], "..") != 0)
			n--;
		else if (!(strcmp(tok, "..") == 0 && absolute && n == 0))
			parts[n++] = tok;
	}
	struct strbuf sb = {0};
	if (absolute)
		sb_adds(&sb, "/");
	for (size_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? "/" : "", parts[i]);
	if (!sb.len)
		sb_adds(&sb, ".");
	free(parts);
	free(joined);
	return sb.buf;
}

/* The longest text a configuration value may hold, in characters. */
#define CONFIG_TEXT_MAX 500

/* Store value into the field k describes; report and return 0 if bad.
 * One piece: a switch with one case a kind of key (the key table's
 * types), each case a few lines; split, the cases would be read apart from
 * the table they mirror. */
static int set_value(struct parse_state *st, const struct key_spec *k, void *base,
		     const char *value)
{
	const char *path = st->cfg->path;
	int line = st->line;
	char *field = (char *)base + k->offset;
	char canon[ORGNR_BUFSZ > BANKGIRO_BUFSZ ? ORGNR_BUFSZ : BANKGIRO_BUFSZ];

	if (!*value) {
		error_at(path, line, "'%s' has no value", k->name);
		return 0;
	}
	char bad[5];
	size_t at;
	long c = text_control_char(value, &at);
	if ((k->type == K_TEXT || k->type == K_TEXT_LIST) && utf8_chars(value) > CONFIG_TEXT_MAX) {
		error_at(path, line, "'%s' is %zu characters long, more than the %d a text may have", k->name,
			 utf8_chars(value), CONFIG_TEXT_MAX);
		return 0;
	}
	if (c >= 0) {
		error_at(path, line, "'%s': control character U+%04lX at character %zu: '%s' (no document may hold one: remove it)",
			 k->name, (unsigned long)c, at, value);
		return 0;
	}
	if ((k->type == K_TEXT || k->type == K_TEXT_LIST) && !cp1252_printable(value, bad)) {
		error_at(path, line, "'%s': character '%s' cannot be printed in the PDF documents: '%s'",
			 k->name, bad, value);
		return 0;
	}
	switch (k->type) {
	case K_TEXT:
		*(char **)field = xstrdup(value);
		return 1;
	case K_TEXT_LIST:
		text_list_add((struct text_list *)field, value);
		return 1;
	case K_SLUG:
		if (!is_slug(value)) {
			error_at(path, line, "'%s' must be letters, digits, '-' or '_': '%s'",
				 k->name, value);
			return 0;
		}
		*(char **)field = xstrdup(value);
		return 1;
	case K_INT:
	case K_LONG: {
		int64_t v;
		if (number_parse(value, 0, 1, INT64_C(1) << 40, &v) != NUMBER_OK ||
		    v < k->min || v > k->max) {
			error_at(path, line, "'%s' must be a whole number from %ld to %ld: '%s'",
				 k->name, k->min, k->max, value);
			return 0;
		}
		if (k->type == K_INT)
			*(int *)field = (int)v;
		else
			*(long *)field = (long)v;
		return 1;
	}
	case K_DATE:
		if (date_parse(value, (date_t *)field) < 0) {
			error_at(path, line, "'%s' is not a date (YYYY-MM-DD): '%s'", k->name, value);
			return 0;
		}
		return 1;
	case K_ORGNR:
		if (orgnr_parse(value, canon) < 0) {
			error_at(path, line,
				 "invalid organisation number (NNNNNN-NNNN with a valid check digit): '%s'",
				 value);
			return 0;
		}
		*(char **)field = xstrdup(canon);
		return 1;
	case K_BANKGIRO:
		if (bankgiro_parse(value, canon) < 0) {
			error_at(path, line,
				 "invalid Bankgiro number (NNN-NNNN or NNNN-NNNN with a valid check digit; invoices and e-invoices are paid by Bankgiro with an OCR reference, so an IBAN or a Plusgiro number cannot stand here): '%s'",
				 value);
			return 0;
		}
		*(char **)field = xstrdup(canon);
		return 1;
	case K_PEPPOL_ID: {
		char id[PEPPOL_ID_BUFSZ];
		if (peppol_id_parse(value, id, path, line, "invalid Peppol id") < 0)
			return 0;
		*(char **)field = xstrdup(id);
		return 1;
	}
	case K_ACCOUNT:
		if (strlen(value) != 4 || strspn(value, "0123456789") != 4 || value[0] == '0') {
			error_at(path, line, "'%s' must be a ledger account of four digits (BAS), such as 1510: '%s'",
				 k->name, value);
			return 0;
		}
		*(char **)field = xstrdup(value);
		return 1;
	case K_PATH:
		*(char **)field = config_resolve_path(st->cfg, value);
		return 1;
	case K_METHOD:
		if (charge_parse_method(value, (enum pool_method *)field) < 0) {
			char *methods = charge_methods_text();
			error_at(path, line, "unknown method: '%s' (expected %s)", value, methods);
			free(methods);
			return 0;
		}
		((struct pool *)base)->method_set = 1;
		return 1;
	case K_AMOUNT: {
		money_t v;
		enum number_status ns = money_parse(value, &v);
		if (ns != NUMBER_OK || v < 0) {
			error_at(path, line, "'%s' is not an amount in kronor (%s): '%s'", k->name,
				 ns == NUMBER_OK ? "negative" : number_status_text(ns), value);
			return 0;
		}
		*(money_t *)field = v;
		return 1;
	}
	}
	BUG("unhandled key type %d", k->type);
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	(void)section;
	struct parse_state *st = user;
	const char *path = st->cfg->path;
	struct section *s = st->current;
	if (!s) {
		/* Keys under a section already reported are not reported again. */
		if (!st->in_bad_section)
			error_at(path, st->line, "key outside any section: '%s'", name);
		return 1;
	}
	const struct key_spec *k = NULL;
	size_t ki = 0;
	for (ki = 0; ki < NKEYS; ki++) {
		if (key_table[ki].section == s->kind && strcmp(key_table[ki].name, name) == 0) {
			k = &key_table[ki];
			break;
		}
	}
	if (!k) {
		error_at(path, st->line, "unknown key in [%s]: '%s'", section_names[s->kind], name);
		return 1;
	}
	if (s->key_lines[ki] && k->type != K_TEXT_LIST) {
		error_at(path, st->line, "'%s' is set twice (first on line %d)", name,
			 s->key_lines[ki]);
		return 1;
	}
	s->key_lines[ki] = st->line;
	set_value(st, k, section_base(st, s), value);
	return 1;
}

/* ---- checks after parsing ---------------------------------------------- */

static void check_required(struct parse_state *st)
{
	const char *path = st->cfg->path;
	static const enum section_kind required[] = {SEC_COOPERATION, SEC_ISSUER, SEC_FILES};
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
		enum section_kind k = required[i];
		void *base = k == SEC_ISSUER ? (void *)&st->cfg->issuer : (void *)st->cfg;
		if (!find_section(st, k, base))
			error_at(path, 0, "missing section: '[%s]'", section_names[k]);
	}
	for (size_t i = 0; i < st->nsections; i++) {
		struct section *s = &st->sections[i];
		for (size_t ki = 0; ki < NKEYS; ki++) {
			const struct key_spec *k = &key_table[ki];
			if (k->section == s->kind && k->required && !s->key_lines[ki])
				error_at(path, s->line, "[%s] needs '%s'", section_names[s->kind],
					 k->name);
		}
	}
}

static int key_line(struct parse_state *st, enum section_kind kind, void *base, const char *name)
{
	struct section *s = find_section(st, kind, base);
	if (!s)
		return 0;
	for (size_t ki = 0; ki < NKEYS; ki++)
		if (key_table[ki].section == kind && strcmp(key_table[ki].name, name) == 0)
			return s->key_lines[ki] ? s->key_lines[ki] : s->line;
	return s->line;
}

static void resolve_pool_periods(struct parse_state *st, struct pool *pool)
{
	struct config *cfg = st->cfg;
	int line = key_line(st, SEC_POOL, pool, "periods");
	pool->periods_line = line;
	pool->periods = xcalloc(cfg->nperiods, sizeof *pool->periods);
	if (!pool->periods_text) {
		for (size_t i = 0; i < cfg->nperiods; i++)
			pool->periods[pool->nperiods++] = i;
		return;
	}
	char *list = xstrdup(pool->periods_text);
	char *saveptr = NULL;
	int *used = xcalloc(cfg->nperiods ? cfg->nperiods : 1, sizeof *used);
	for (char *tok = strtok_r(list, " ,", &saveptr); tok; tok = strtok_r(NULL, " ,", &saveptr)) {
		long p = config_find_period(cfg, tok);
		if (p < 0) {
			error_at(cfg->path, line, "pool '%s': unknown period: '%s'", pool->name, tok);
			continue;
		}
		if (used[p]++) {
			error_at(cfg->path, line, "pool '%s': period listed twice: '%s'", pool->name, tok);
			continue;
		}
	}
	/* Keep date order whatever order they were listed in. */
	for (size_t i = 0; i < cfg->nperiods; i++)
		if (used[i])
			pool->periods[pool->nperiods++] = i;
	if (pool->nperiods == 0 && !diag_errors())
		error_at(cfg->path, line, "pool '%s' has no periods", pool->name);
	free(used);
	free(list);
}

/* The e-invoice's VAT category: S (standard rate) where VAT is charged;
 * where it is not, the host says which: O (outside the scope of VAT) or E
 * (exempt). Both S and E need the seller's VAT number. */
static void check_vat_category(struct parse_state *st)
{
	struct config *cfg = st->cfg;
	int line = key_line(st, SEC_INVOICE, cfg, "vat_category");
	const char *c = cfg->vat_category;
	if (c && strcmp(c, "S") != 0 && strcmp(c, "E") != 0 && strcmp(c, "O") != 0) {
		error_at(cfg->path, line,
			 "vat_category must be S (VAT charged), E (exempt) or O (outside the scope of VAT): '%s'", c);
		return;
	}
	if (!c && cfg->vat_rate > 0)
		cfg->vat_category = xstrdup("S");
	else if (!c) {
		error_at(cfg->path, key_line(st, SEC_INVOICE, cfg, "vat_rate"),
			 "vat_rate = 0 needs a vat_category for the e-invoices: O (outside the scope of VAT, as cost sharing usually is) or E (exempt); see the README");
		return;
	} else if (strcmp(c, "S") == 0 && cfg->vat_rate == 0) {
		error_at(cfg->path, line, "vat_category = S charges VAT, but vat_rate is 0 (use O or E)");
		return;
	} else if (strcmp(c, "S") != 0 && cfg->vat_rate > 0) {
		error_at(cfg->path, line, "vat_category = %s charges no VAT, but vat_rate is %d", c, cfg->vat_rate);
		return;
	}
	if (strcmp(cfg->vat_category, "O") != 0 && !cfg->issuer.vat_nr)
		error_at(cfg->path, key_line(st, SEC_ISSUER, &cfg->issuer, "org_nr"),
			 "[issuer] needs 'vat_nr': %s",
			 cfg->vat_rate > 0 ? "an invoice that charges VAT must state the seller's VAT number"
					   : "an exempt (E) e-invoice must state the seller's VAT number");
}

/* The issuer's address must end in a postal line ("971 85 Luleå"): the
 * e-invoice gives the postcode and city apart. */
static void check_issuer_address(struct parse_state *st)
{
	const struct issuer *is = &st->cfg->issuer;
	char zone[POSTCODE_BUFSZ];
	if (is->address.n && !postal_line_parse(is->address.items[is->address.n - 1], zone))
		error_at(st->cfg->path, key_line(st, SEC_ISSUER, (void *)is, "address"),
			 "the issuer's last address line must be a postcode and city, such as '971 85 Luleå': '%s'",
			 is->address.items[is->address.n - 1]);
}

/* Each period's service period, the dates an e-invoice states: as set, or
 * the year cut at the periods' invoice months (the first period from
 * 1 January, each ending the day before the next one starts, the last on
 * 31 December). */
static void set_service_periods(struct parse_state *st)
{
	struct config *cfg = st->cfg;
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	for (size_t i = 0; i < cfg->nperiods; i++) {
		struct period *p = &cfg->periods[i];
		if (p->start == DATE_NONE && p->invoice_date != DATE_NONE) {
			int y, m, d;
			date_to_ymd(p->invoice_date, &y, &m, &d);
			p->start = i == 0 ? date_from_ymd(cfg->year, 1, 1) : date_from_ymd(y, m, 1);
		}
	}
	for (size_t i = 0; i < cfg->nperiods; i++) {
		struct period *p = &cfg->periods[i];
		if (p->end == DATE_NONE)
			p->end = i + 1 < cfg->nperiods && cfg->periods[i + 1].start != DATE_NONE
					 ? cfg->periods[i + 1].start - 1 : date_from_ymd(cfg->year, 12, 31);
		if (p->start == DATE_NONE)
			continue;
		if (p->end < p->start)
			error_at(cfg->path, key_line(st, SEC_PERIOD, p, "end"),
				 "period '%s' ends (%s) before it starts (%s): set 'start' and 'end'",
				 p->name, date_format(p->end, d1), date_format(p->start, d2));
		else if (i > 0 && cfg->periods[i - 1].end != DATE_NONE && p->start <= cfg->periods[i - 1].end)
			error_at(cfg->path, key_line(st, SEC_PERIOD, p, "start"),
				 "period '%s' starts (%s) before period '%s' ends (%s)", p->name,
				 date_format(p->start, d1), cfg->periods[i - 1].name,
				 date_format(cfg->periods[i - 1].end, d2));
	}
}

/* With [ledger], every pool needs its income account, and VAT its
 * account: what export sie would otherwise stop on. */
static void check_ledger(struct parse_state *st)
{
	struct config *cfg = st->cfg;
	struct section *ls = find_section(st, SEC_LEDGER, cfg);
	cfg->ledger.present = ls != NULL;
	for (size_t i = 0; i < cfg->npools; i++) {
		struct pool *pool = &cfg->pools[i];
		if (!ls && (pool->account || pool->cost_centre))
			error_at(cfg->path, key_line(st, SEC_POOL, pool, pool->account ? "account" : "cost_centre"),
				 "pool '%s': an account is for the ledger: add a [ledger] section", pool->name);
		else if (ls && !pool->account)
			error_at(cfg->path, key_line(st, SEC_POOL, pool, "method"),
				 "pool '%s' needs 'account': the income account the ledger books its shares on ([ledger] is set)",
				 pool->name);
	}
	if (ls && cfg->vat_rate > 0 && !cfg->ledger.vat)
		error_at(cfg->path, ls->line, "[ledger] needs 'vat': the account for output VAT (vat_rate is %d)",
			 cfg->vat_rate);
	if (ls && !cfg->ledger.series)
		cfg->ledger.series = xstrdup("A");
	if (ls && !cfg->ledger.prepaid)
		cfg->ledger.prepaid = xstrdup("2970");	/* förutbetalda intäkter (BAS) */
}

/* [einvoice] attach_pdf (yes, the default, or no) and the size an access
 * point takes; [sending] outbox needs since: the documents before it went
 * out some other way, and are never handed over. */
static void check_sending(struct parse_state *st)
{
	struct config *cfg = st->cfg;
	cfg->einvoice.attach_pdf = 1;
	const char *a = cfg->einvoice.attach_pdf_text;
	if (a && strcmp(a, "no") == 0)
		cfg->einvoice.attach_pdf = 0;
	else if (a && strcmp(a, "yes") != 0)
		error_at(cfg->path, key_line(st, SEC_EINVOICE, cfg, "attach_pdf"),
			 "attach_pdf is yes (the PDF inside the e-invoice, the default) or no: '%s'", a);
	if (cfg->csv_text && strcmp(cfg->csv_text, "plain") == 0)
		cfg->csv_plain = 1;
	else if (cfg->csv_text && strcmp(cfg->csv_text, "excel") != 0)
		error_at(cfg->path, key_line(st, SEC_OUTPUT, cfg, "csv"),
			 "[output] csv is excel (';', a decimal comma and Swedish names, as a Swedish Excel opens it: the default) or plain (',' and a decimal point): '%s'",
			 cfg->csv_text);
	if (!cfg->einvoice.max_kb)
		cfg->einvoice.max_kb = 5 * 1024;	/* 5 MB: what access points commonly take */
	if (cfg->sending.outbox && cfg->sending.since == DATE_NONE)
		error_at(cfg->path, key_line(st, SEC_SENDING, cfg, "outbox"),
			 "[sending] outbox needs 'since': the first date whose documents go to the access point (those before went out another way and are never handed over)");
	else if (!cfg->sending.outbox && cfg->sending.since != DATE_NONE)
		error_at(cfg->path, key_line(st, SEC_SENDING, cfg, "since"),
			 "[sending] since is for an outbox: give 'outbox' too (the access point's drop folder)");
}

/* A settlement rule, as written: none, own_document or next_invoice. */
static int settlement_rule(struct parse_state *st, enum section_kind kind, void *base, const char *text,
			   enum settle_rule *out)
{
	if (strcmp(text, "none") == 0)
		*out = SETTLE_NONE;
	else if (strcmp(text, "own_document") == 0)
		*out = SETTLE_OWN_DOCUMENT;
	else if (strcmp(text, "next_invoice") == 0)
		*out = SETTLE_NEXT_INVOICE;
	else {
		error_at(st->cfg->path, key_line(st, kind, base, kind == SEC_POOL ? "settlement" : "rule"),
			 "a settlement rule is none (the follow-up report only), own_document (a settlement invoice or credit note for each member) or next_invoice (a line of each member's first invoice of the next year): '%s'",
			 text);
		return -1;
	}
	return 0;
}

/* [settlement] rule, and each pool's own (settlement = …) where the
 * agreement settles it otherwise; the settlement's period name is samfakt's. */
static void check_settlement(struct parse_state *st)
{
	struct config *cfg = st->cfg;
	cfg->settlement = SETTLE_NONE;
	if (cfg->settlement_text)
		settlement_rule(st, SEC_SETTLEMENT, cfg, cfg->settlement_text, &cfg->settlement);
	for (size_t i = 0; i < cfg->npools; i++) {
		struct pool *pool = &cfg->pools[i];
		pool->settlement = cfg->settlement;
		if (pool->settlement_text)
			settlement_rule(st, SEC_POOL, pool, pool->settlement_text, &pool->settlement);
	}
	for (size_t p = 0; p < cfg->nperiods; p++)
		if (strcmp(cfg->periods[p].name, SETTLEMENT_PERIOD) == 0)
			error_at(cfg->path, cfg->periods[p].line,
				 "a period may not be called '%s': the settlement of the year is filed so", SETTLEMENT_PERIOD);
}

/* number_prefix: at most 12 digits, capitals and '-', and a year it
 * names is this one (a year moved on with the prefix left behind would
 * number the new year's invoices in the old year's series). */
static void check_number_prefix(struct parse_state *st)
{
	struct config *cfg = st->cfg;
	const char *path = cfg->path;
	if (cfg->number_prefix && strlen(cfg->number_prefix) > 12)
		error_at(path, key_line(st, SEC_INVOICE, cfg, "number_prefix"),
			 "number_prefix longer than 12 characters: '%s'", cfg->number_prefix);
	for (const char *p = cfg->number_prefix; p && *p; p++) {
		size_t run = strspn(p, "0123456789");
		if (run == 4 && (p == cfg->number_prefix || p[-1] < '0' || p[-1] > '9')) {
			int y = atoi(p);
			if (y >= 1900 && y <= 2999 && y != cfg->year)
				error_at(path, key_line(st, SEC_INVOICE, cfg, "number_prefix"),
					 "number_prefix '%s' names the year %d, but the year is %d (line %d): give each year a series of its own, such as '%d-'",
					 cfg->number_prefix, y, cfg->year, key_line(st, SEC_COOPERATION, cfg, "year"),
					 cfg->year);
		}
		if (run)
			p += run - 1;
	}
	if (cfg->number_prefix) {
		for (const char *p = cfg->number_prefix; *p; p++) {
			if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || *p == '-')) {
				error_at(path, key_line(st, SEC_INVOICE, cfg, "number_prefix"),
					 "number_prefix may hold digits, capital letters and '-': '%s'",
					 cfg->number_prefix);
				break;
			}
		}
	}

}

/* The periods: in date order, each counted before it is invoiced. */
static void check_periods(struct parse_state *st)
{
	struct config *cfg = st->cfg;
	const char *path = cfg->path;
	for (size_t i = 0; i < cfg->nperiods; i++) {
		struct period *p = &cfg->periods[i];
		char d1[DATE_BUFSZ], d2[DATE_BUFSZ];
		if (i > 0 && p->invoice_date != DATE_NONE && cfg->periods[i - 1].invoice_date != DATE_NONE &&
		    p->invoice_date <= cfg->periods[i - 1].invoice_date)
			error_at(path, key_line(st, SEC_PERIOD, p, "invoice_date"),
				 "periods must be in date order: '%s' (%s) is not after '%s' (%s)",
				 p->name, date_format(p->invoice_date, d1), cfg->periods[i - 1].name,
				 date_format(cfg->periods[i - 1].invoice_date, d2));
		if (p->count_date != DATE_NONE && p->invoice_date != DATE_NONE &&
		    p->count_date > p->invoice_date)
			error_at(path, key_line(st, SEC_PERIOD, p, "count_date"),
				 "period '%s': count_date %s is after its invoice_date %s", p->name,
				 date_format(p->count_date, d1), date_format(p->invoice_date, d2));
	}

}

/* A pool: its text, its periods, and the keys and files its method needs
 * (and none it does not). */
static void check_pool(struct parse_state *st, size_t i)
{
	struct config *cfg = st->cfg;
	const char *path = cfg->path;
	struct pool *pool = &cfg->pools[i];
	if (!pool->text)
		pool->text = xstrdup(pool->name);
	resolve_pool_periods(st, pool);
	int line = key_line(st, SEC_POOL, pool, "method");
	if (!pool->method_set)
		return;
	int keyed = pool_has(cfg, i, CHARGE_KEY);
	if (keyed && !pool->key)
		error_at(path, line, "pool '%s': method = %s needs 'key', a column of the members file",
			 pool->name, method_name(pool->method));
	if (!keyed && pool->key)
		error_at(path, key_line(st, SEC_POOL, pool, "key"),
			 "pool '%s': 'key' is only for method = key", pool->name);
	pool->key_line = key_line(st, SEC_POOL, pool, "key");
	int per_user = pool_has(cfg, i, CHARGE_USERS);
	static const char *const per_user_keys[] = {"fee_date", "annual_fee", "entry_factor"};
	for (size_t k = 0; k < 3 && !per_user; k++) {
		struct section *s = find_section(st, SEC_POOL, pool);
		int kl = key_line(st, SEC_POOL, pool, per_user_keys[k]);
		if (s && kl != s->line)
			error_at(path, kl, "pool '%s': '%s' is only for method = per_user",
				 pool->name, per_user_keys[k]);
	}
	if (per_user) {
		if (!cfg->users_path)
			error_at(path, line, "pool '%s' is per_user: [files] needs 'users'", pool->name);
		for (size_t k = 0; k < pool->nperiods; k++) {
			struct period *p = &cfg->periods[pool->periods[k]];
			if (p->count_date == DATE_NONE)
				error_at(path, p->line,
					 "period '%s' needs a count_date: pool '%s' is per_user",
					 p->name, pool->name);
		}
		if (pool->fee_date == DATE_NONE && pool->nperiods > 0)
			pool->fee_date = cfg->periods[pool->periods[0]].count_date;
	}
	if (pool_has(cfg, i, CHARGE_PROJECTS)) {
		if (!cfg->projects_path)
			error_at(path, line, "pool '%s' is projects: [files] needs 'projects'", pool->name);
		for (size_t k = 0; k < i; k++)
			if (pool_has(cfg, k, CHARGE_PROJECTS))
				error_at(path, line, "only one pool may have method = projects ('%s' has it)",
					 cfg->pools[k].name);
	}
}

static void check_config(struct parse_state *st)
{
	struct config *cfg = st->cfg;
	const char *path = cfg->path;

	if (cfg->issuer.vat_nr && cfg->issuer.org_nr &&
	    !vatnr_matches(cfg->issuer.vat_nr, cfg->issuer.org_nr))
		error_at(path, key_line(st, SEC_ISSUER, &cfg->issuer, "vat_nr"),
			 "VAT number must be SE, the org.nr's ten digits and 01 (SE%.6s%.4s01): '%s'",
			 cfg->issuer.org_nr, cfg->issuer.org_nr + 7, cfg->issuer.vat_nr);
	else if (cfg->issuer.vat_nr && !cfg->issuer.org_nr &&	/* the org.nr is wrong too: say both */
		 (strlen(cfg->issuer.vat_nr) != 14 || strncmp(cfg->issuer.vat_nr, "SE", 2) != 0 ||
		  strspn(cfg->issuer.vat_nr + 2, "0123456789") != 12))
		error_at(path, key_line(st, SEC_ISSUER, &cfg->issuer, "vat_nr"),
			 "VAT number must be SE, the org.nr's ten digits and 01 (such as SE212000274201): '%s'",
			 cfg->issuer.vat_nr);
	cfg->issuer.member_line = key_line(st, SEC_ISSUER, &cfg->issuer, "member");

	if (cfg->vat_rate != 0 && cfg->vat_rate != 6 && cfg->vat_rate != 12 && cfg->vat_rate != 25)
		error_at(path, key_line(st, SEC_INVOICE, cfg, "vat_rate"),
			 "vat_rate must be 0, 6, 12 or 25: '%d'", cfg->vat_rate);
	if (cfg->vat_rate == 0 && !cfg->vat_note)
		error_at(path, key_line(st, SEC_INVOICE, cfg, "vat_rate"),
			 "vat_rate = 0 needs a vat_note: the reason printed on the invoice");
	check_vat_category(st);
	if (!cfg->leaving_period || strcmp(cfg->leaving_period, "billed") == 0)
		cfg->leaving_billed = 1;
	else if (strcmp(cfg->leaving_period, "not_billed") != 0)
		error_at(path, key_line(st, SEC_COOPERATION, cfg, "leaving_period"),
			 "leaving_period must be billed (a member leaving within a period pays for all of it) or not_billed (it pays nothing for it): '%s'",
			 cfg->leaving_period);
	check_settlement(st);
	check_sending(st);
	check_issuer_address(st);
	if (!cfg->issuer.peppol_id && cfg->issuer.org_nr) {
		char id[PEPPOL_ID_BUFSZ];
		peppol_id_of_orgnr(cfg->issuer.org_nr, id);
		cfg->issuer.peppol_id = xstrdup(id);
	}
	check_number_prefix(st);

	if (cfg->nperiods == 0)
		error_at(path, 0, "no billing period: add a section such as '[period H1]'");
	check_periods(st);

	if (diag_errors() == 0)
		set_service_periods(st);
	check_ledger(st);

	if (cfg->npools == 0)
		error_at(path, 0, "no cost pool: add a section such as '[pool grundbelopp]'");
	for (size_t i = 0; i < cfg->npools; i++)
		check_pool(st, i);
}

/* ---- the whole file ---------------------------------------------------- */

static char *folder_of(const char *path)
{
	char *copy = xstrdup(path);
	char *dir = xstrdup(dirname(copy));
	free(copy);
	return dir;
}

int config_load(struct config *cfg, const char *path)
{
	size_t len;
	char *text = read_file(path, CONFIG_FILE_MAX, &len, "configuration");
	if (!text) {
		memset(cfg, 0, sizeof *cfg);
		return -1;
	}
	int rc = config_parse(cfg, path, text, len);
	free(text);
	return rc;
}

int config_parse(struct config *cfg, const char *path, const char *text, size_t len)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->path = xstrdup(path);
	cfg->dir = folder_of(path);
	cfg->terms_days = 30;
	cfg->vat_rate = 25;
	cfg->first_number = 1;
	cfg->sending.since = DATE_NONE;
	int errors_before = diag_errors();

	size_t bad = 0;
	const char *nul = memchr(text, '\0', len);
	if (nul || !utf8_valid(text, len, &bad)) {
		if (nul)
			bad = (size_t)(nul - text);
		int line = 1;
		for (size_t i = 0; i < bad && i < len; i++)
			line += text[i] == '\n';
		error_at(path, line, "configuration is not valid UTF-8 text");
		return -1;
	}

	ini_max_line = CONFIG_LINE_MAX;
	ini_allow_multiline = 0;
	ini_allow_inline_comments = 1;
	struct parse_state st = {.cfg = cfg, .text = text, .len = len};
	int rc = ini_parse_stream(read_line, &st, on_key, &st);
	if (rc > 0)
		error_at(path, rc, "not a section header, key = value, or comment");
	else if (rc < 0)
		error_at(path, 0, "cannot parse configuration");

	/* every problem at once: the checks across keys run after a key that
	   could not be read too (they skip what is not there); only a
	   required key missing stops them */
	if (rc == 0) {
		int before_required = diag_errors();
		check_required(&st);
		if (diag_errors() == before_required)
			check_config(&st);
	}
	if (!cfg->journal_path && cfg->output_dir)
		cfg->journal_path = xasprintf("%s/fakturajournal.csv", cfg->output_dir);

	free(st.sections);
	return diag_errors() == errors_before ? 0 : -1;
}
