/* template.c - {{placeholder}} expansion and the tables it generates. */
#include "render/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/diag.h"
#include "base/util.h"
#include "model/charge.h"
#include "model/csvfile.h"
#include "model/format.h"
#include "render/budget.h"

#define NAME_MAX_LEN 80

struct expander {
	const char *path;
	const struct model *model;
	const struct allocation *a;
	struct strbuf out;
	struct gen_tables *tables;
	int line;
	size_t nmap, map_cap;
	int *map;		/* output line -> template line */
};

static void map_lines(struct expander *ex, size_t from)
{
	for (size_t i = from; i < ex->out.len; i++) {
		if (ex->out.buf[i] == '\n') {
			GROW(ex->map, ex->map_cap, ex->nmap + 1);
			ex->map[ex->nmap++] = ex->line;
		}
	}
}

/* ---- escaping and formatting ------------------------------------------- */

/* Text as Markdown that shows exactly that text. */
static void add_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r') {
			sb_adds(sb, " ");
			continue;
		}
		if (strchr("\\`*_{}[]<>()#+-.!|~&", *s))
			sb_add(sb, "\\", 1);
		sb_add(sb, s, 1);
	}
}

/* Amounts in prose: "921 700 kr", or "70 900,50 kr" when there are öre. */
static char *prose_money(money_t v, char buf[MONEY_BUFSZ])
{
	money_format(v, buf);
	if (v % 100 == 0) {
		char *comma = strrchr(buf, ',');
		if (comma)
			memmove(comma, comma + 3, strlen(comma + 3) + 1);
	}
	return buf;
}

/* ---- tables --------------------------------------------------------------- */

void gen_tables_release(struct gen_tables *g)
{
	for (size_t i = 0; i < g->n; i++)
		sb_release(&g->t[i].text);
	free(g->t);
	memset(g, 0, sizeof *g);
}

static void table_row(struct gen_table *t, const char *const *cells)
{
	struct strbuf *sb = &t->text;
	for (size_t c = 0; c < t->ncols; c++) {
		for (const char *s = cells[c]; *s; s++)
			sb_add(sb, *s == '\n' || *s == '\r' ? " " : s, 1);
		sb_add(sb, "", 1);
	}
	t->nrows++;
}

/* A new generated table with its header row; the Markdown gets its mark.
 * The table is valid until the next table_begin. */
static struct gen_table *table_begin(struct expander *ex, size_t ncols, const char *const *head,
				     const char *align)
{
	struct gen_tables *g = ex->tables;
	GROW(g->t, g->cap, g->n + 1);
	struct gen_table *t = &g->t[g->n];
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	snprintf(t->align, sizeof t->align, "%s", align);
	sb_addf(&ex->out, "\n\n" TEMPLATE_TABLE_MARK "%zu\n\n", g->n++);
	table_row(t, head);
	return t;
}

int project_finished(const struct project *pr)
{
	static const char *const done[] = {"avslutad", "avslutat", "klar", "i produktion"};
	for (size_t i = 0; i < sizeof done / sizeof done[0]; i++)
		if (strcasecmp(pr->status, done[i]) == 0)
			return 1;
	return 0;
}

/* When a project runs, as the plan's "Tidplan" says it: "2015–2016",
 * "2015" (within one year), "2015-05-01–2016-03-31" (dates as written),
 * "från 2016", "till 2018", or "". Malloc'd. */
static char *project_span(const struct project *pr)
{
	if (!*pr->start && !*pr->end)
		return xstrdup("");
	if (!*pr->end)
		return xasprintf("från %s", pr->start);
	if (!*pr->start)
		return xasprintf("till %s", pr->end);
	if (strcmp(pr->start, pr->end) == 0)
		return xstrdup(pr->start);
	return xasprintf("%s–%s", pr->start, pr->end);
}

static void projects_table(struct expander *ex, int finished)
{
	static const char *const head[] = {"Benämning", "Status", "Tidplan", "Kommentar"};
	struct gen_table *t;
	t = table_begin(ex, 4, head, "llll");
	for (size_t j = 0; j < ex->model->nprojects; j++) {
		const struct project *pr = &ex->model->projects[j];
		if (project_finished(pr) != finished)
			continue;
		char *when = project_span(pr);
		const char *row[] = {pr->name, pr->status, when, pr->comment};
		table_row(t, row);
		free(when);
	}
}

/* Every participant of a project with a cost or dated participants: when
 * it takes part. */
static void participants_table(struct expander *ex)
{
	static const char *const head[] = {"Projekt", "Deltagare", "Från", "Till"};
	const struct model *model = ex->model;
	struct gen_table *t = table_begin(ex, 4, head, "llll");
	for (size_t j = 0; j < model->nprojects; j++) {
		const struct project *pr = &model->projects[j];
		if (pr->cost == 0 && !pr->dated)
			continue;
		for (size_t k = 0; k < pr->nparticipants; k++) {
			const struct stint *st = &pr->stints[k];
			char from[DATE_BUFSZ + 8], to[DATE_BUFSZ];
			if (project_joined_late(pr, k))
				date_format(st->joined, from);
			else
				snprintf(from, sizeof from, "start");
			if (st->left != DATE_NONE)
				date_format(st->left, to);
			else
				to[0] = '\0';
			const char *row[] = {pr->name, model->members[pr->participants[k]].name, from, to};
			table_row(t, row);
		}
	}
}

/* The year's buy-ins from the allocation: a row for each, then a row for
 * each credit it pays back. */
static void buy_ins_table(struct expander *ex)
{
	static const char *const head[] = {"Projekt", "Medlem", "Vad", "Faktura", "Belopp"};
	const struct model *model = ex->model;
	const struct allocation *a = ex->a;
	struct gen_table *t = table_begin(ex, 5, head, "llllr");
	for (size_t i = 0; i < a->nmoves; i++) {
		const struct project_move *b = &a->moves[i];
		if (b->basis.method != METHOD_BUYIN)
			continue;
		char m[MONEY_BUFSZ], d[DATE_BUFSZ], what[64];
		snprintf(what, sizeof what, "Inköp, inträde %s", date_format(b->basis.joined, d));
		const char *row[] = {model->projects[b->project].name, model->members[b->member].name, what,
				     model->cfg.periods[b->period].name, money_format(b->amount, m)};
		table_row(t, row);
		for (size_t k = 0; k < a->nmoves; k++) {
			const struct project_move *cr = &a->moves[k];
			if (!move_credits(cr, b))
				continue;
			const char *credit[] = {"", model->members[cr->member].name, "Återbetalning",
						model->cfg.periods[cr->period].name, money_format(cr->amount, m)};
			table_row(t, credit);
		}
	}
}

static void meetings_table(struct expander *ex)
{
	static const char *const head[] = {"Datum", "Möte", "Anteckning"};
	size_t n = 0;
	for (size_t i = 0; i < ex->model->nmeetings; i++) {
		int y, mo, day;
		date_to_ymd(ex->model->meetings[i].date, &y, &mo, &day);
		n += y == ex->model->cfg.year;
	}
	if (n == 0) {	/* no empty table: say so */
		sb_addf(&ex->out, "Inga sammanträden för %d är inlagda ännu.", ex->model->cfg.year);
		return;
	}
	struct gen_table *t;
	t = table_begin(ex, 3, head, "lll");
	for (size_t i = 0; i < ex->model->nmeetings; i++) {
		const struct meeting *m = &ex->model->meetings[i];
		char d[DATE_BUFSZ];
		int y, mo, day;
		date_to_ymd(m->date, &y, &mo, &day);
		if (y != ex->model->cfg.year)	/* a year's plan lists that year's meetings */
			continue;
		const char *row[] = {date_format(m->date, d), m->body, m->note};
		table_row(t, row);
	}
}

static void revisions_table(struct expander *ex)
{
	static const char *const head[] = {"Utgåva", "Datum", "Kommentar"};
	struct gen_table *t;
	t = table_begin(ex, 3, head, "lll");
	for (size_t i = 0; i < ex->model->nrevisions; i++) {
		const struct revision *r = &ex->model->revisions[i];
		char d[DATE_BUFSZ];
		const char *row[] = {r->version, date_format(r->date, d), r->comment};
		table_row(t, row);
	}
}

static void members_table(struct expander *ex)
{
	static const char *const head[] = {"Medlem", "Org.nr", "Invånare"};
	int populations = 0;	/* none given (no projects pool): no column of zeros */
	for (size_t i = 0; i < ex->model->nmembers; i++)
		populations |= ex->model->members[i].population != 0;
	struct gen_table *t;
	t = table_begin(ex, populations ? 3 : 2, head, "llr");
	for (size_t i = 0; i < ex->model->nmembers; i++) {
		const struct member *m = &ex->model->members[i];
		char n[FORMAT_BUFSZ];
		const char *row[] = {m->name, m->org_nr, format_count(m->population, n)};
		table_row(t, row);
	}
}

static void budget_table(struct expander *ex)
{
	static const char *const head[] = {"Kostnadspool", "Fördelning", "Belopp"};
	const struct config *cfg = &ex->model->cfg;
	struct gen_table *t;
	t = table_begin(ex, 3, head, "llr");
	money_t total = 0;
	char m[MONEY_BUFSZ];
	for (size_t pi = 0; pi < cfg->npools; pi++) {
		const char *row[] = {cfg->pools[pi].text, method_swedish(cfg->pools[pi].method),
				     money_format(ex->a->pools[pi].annual, m)};
		table_row(t, row);
		total += ex->a->pools[pi].annual;
	}
	const char *row[] = {"Summa", "", money_format(total, m)};
	table_row(t, row);
}

/* {{table.pool.NAME}} of the projects pool: each project with a cost,
 * its cost and participants (with their dates). */
void template_table_projects(struct expander *ex, size_t pi)
{
	(void)pi;
	const struct model *model = ex->model;
	char m[MONEY_BUFSZ];
	static const char *const head[] = {"Projekt", "Kostnad", "Deltagare"};
	struct gen_table *t = table_begin(ex, 3, head, "lrl");
	for (size_t j = 0; j < model->nprojects; j++) {
		const struct project *pr = &model->projects[j];
		if (pr->cost == 0)
			continue;
		struct strbuf who = {0};
		int everyone = pr->all_members && pr->nparticipants == model->nmembers;
		if (everyone)
			sb_adds(&who, "Alla medlemmar");
		for (size_t k = 0; !everyone && k < pr->nparticipants; k++) {
			const struct stint *st = &pr->stints[k];
			char d[DATE_BUFSZ];
			sb_addf(&who, "%s%s", k ? ", " : "", model->members[pr->participants[k]].name);
			if (project_joined_late(pr, k))
				sb_addf(&who, " (från %s)", date_format(st->joined, d));
			if (st->left != DATE_NONE)
				sb_addf(&who, " (till %s)", date_format(st->left, d));
		}
		const char *row[] = {pr->name, money_format(pr->cost, m), who.buf ? who.buf : ""};
		table_row(t, row);
		sb_release(&who);
	}
}

/* {{table.pool.NAME}} of a pool with a key: each member's key and year. */
void template_table_key(struct expander *ex, size_t pi)
{
	const struct model *model = ex->model;
	char m[MONEY_BUFSZ], w[FORMAT_BUFSZ];
	static const char *const head[] = {"Medlem", "Nyckel", "Belopp för året"};
	struct gen_table *t = table_begin(ex, 3, head, "lrr");
	money_t total = 0;
	for (size_t mi = 0; mi < model->nmembers; mi++) {
		money_t v = allocation_member_pool(ex->a, mi, pi);
		total += v;
		const char *row[] = {model->members[mi].name, format_weight(model->members[mi].weights[pi], ',', w),
				     money_format(v, m)};
		table_row(t, row);
	}
	const char *row[] = {"Summa", "", money_format(total, m)};
	table_row(t, row);
}

/* {{table.pool.NAME}} of another pool: each member's year. */
void template_table_members(struct expander *ex, size_t pi)
{
	const struct model *model = ex->model;
	char m[MONEY_BUFSZ];
	static const char *const head[] = {"Medlem", "Belopp för året"};
	struct gen_table *t = table_begin(ex, 2, head, "lr");
	money_t total = 0;
	for (size_t mi = 0; mi < model->nmembers; mi++) {
		money_t v = allocation_member_pool(ex->a, mi, pi);
		total += v;
		const char *row[] = {model->members[mi].name, money_format(v, m)};
		table_row(t, row);
	}
	const char *row[] = {"Summa", money_format(total, m)};
	table_row(t, row);
}

/* ---- placeholders ------------------------------------------------------------ */

/* Every placeholder name a template may use, for the error hint. */
static void known_names(const struct model *model, struct text_list *names)
{
	static const char *const fixed[] = {
		"cooperation.name", "year", "issuer.name", "issuer.org_nr", "issuer.reference",
		"members.count", "members.list", "budget.total", "revision.latest",
		"revision.date", "table.projects.ongoing", "table.projects.finished",
		"table.projects.participants", "table.projects.buyins",
		"table.meetings", "table.revisions", "table.members", "table.budget",
	};
	static const char *const pool_fields[] = {"total", "text", "method", "per_member",
						  "members", "fee", "users"};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		text_list_add(names, fixed[i]);
	for (size_t pi = 0; pi < model->cfg.npools; pi++) {
		char buf[128];
		for (size_t f = 0; f < sizeof pool_fields / sizeof pool_fields[0]; f++) {
			snprintf(buf, sizeof buf, "pool.%s.%s", model->cfg.pools[pi].name, pool_fields[f]);
			text_list_add(names, buf);
		}
		snprintf(buf, sizeof buf, "table.pool.%s", model->cfg.pools[pi].name);
		text_list_add(names, buf);
	}
}

static void unknown(struct expander *ex, const char *name)
{
	struct text_list names = {0};
	known_names(ex->model, &names);
	const char *hint = closest_match(name, (const char *const *)names.items, names.n);
	if (hint)
		error_at(ex->path, ex->line, "unknown placeholder: '{{%s}}' (did you mean '{{%s}}'?)", name, hint);
	else
		error_at(ex->path, ex->line, "unknown placeholder: '{{%s}}'", name);
	text_list_release(&names);
}

static int pool_placeholder(struct expander *ex, const char *name)
{
	const struct config *cfg = &ex->model->cfg;
	const char *rest = name + strlen("pool.");
	const char *dot = strrchr(rest, '.');
	if (!dot)
		return 0;
	char pool_name[NAME_MAX_LEN];
	snprintf(pool_name, sizeof pool_name, "%.*s", (int)(dot - rest), rest);
	long pi = config_find_pool(cfg, pool_name);
	if (pi < 0)
		return 0;
	const char *field = dot + 1;
	const struct pool *pool = &cfg->pools[pi];
	const struct pool_summary *s = &ex->a->pools[pi];
	char buf[MONEY_BUFSZ > FORMAT_BUFSZ ? MONEY_BUFSZ : FORMAT_BUFSZ];
	if (strcmp(field, "total") == 0) {
		add_escaped(&ex->out, prose_money(s->annual, buf));
	} else if (strcmp(field, "text") == 0) {
		add_escaped(&ex->out, pool->text);
	} else if (strcmp(field, "method") == 0) {
		add_escaped(&ex->out, method_swedish(pool->method));
	} else if (strcmp(field, "per_member") == 0 || strcmp(field, "members") == 0) {
		if (!pool_has(cfg, (size_t)pi, CHARGE_PER_MEMBER)) {
			error_at(ex->path, ex->line, "'{{%s}}' is only for pools with method = equal", name);
			return 1;
		}
		if (field[0] == 'p')
			add_escaped(&ex->out, prose_money(s->per_member, buf));
		else
			add_escaped(&ex->out, format_count((int64_t)s->members, buf));
	} else if (strcmp(field, "fee") == 0 || strcmp(field, "users") == 0) {
		if (!pool_has(cfg, (size_t)pi, CHARGE_USERS)) {
			error_at(ex->path, ex->line, "'{{%s}}' is only for pools with method = per_user", name);
			return 1;
		}
		if (field[0] == 'f')
			add_escaped(&ex->out, prose_money(s->fee, buf));
		else
			add_escaped(&ex->out, format_count(s->fee_users, buf));
	} else {
		return 0;
	}
	return 1;
}

static void members_list(struct expander *ex)
{
	const struct model *model = ex->model;
	for (size_t i = 0; i < model->nmembers; i++) {
		if (i > 0)
			sb_adds(&ex->out, i + 1 == model->nmembers ? " och " : ", ");
		add_escaped(&ex->out, model->members[i].name);
	}
}

static void expand_one(struct expander *ex, const char *name)
{
	const struct model *model = ex->model;
	const struct config *cfg = &model->cfg;
	char buf[MONEY_BUFSZ > FORMAT_BUFSZ ? MONEY_BUFSZ : FORMAT_BUFSZ];
	const struct revision *latest = model->nrevisions ? &model->revisions[model->nrevisions - 1] : NULL;

	if (strcmp(name, "cooperation.name") == 0)
		add_escaped(&ex->out, cfg->name);
	else if (strcmp(name, "year") == 0)
		sb_addf(&ex->out, "%d", cfg->year);
	else if (strcmp(name, "issuer.name") == 0)
		add_escaped(&ex->out, cfg->issuer.name);
	else if (strcmp(name, "issuer.org_nr") == 0)
		add_escaped(&ex->out, cfg->issuer.org_nr);
	else if (strcmp(name, "issuer.reference") == 0)
		add_escaped(&ex->out, cfg->issuer.reference ? cfg->issuer.reference : "");
	else if (strcmp(name, "members.count") == 0)
		sb_addf(&ex->out, "%zu", model->nmembers);
	else if (strcmp(name, "members.list") == 0)
		members_list(ex);
	else if (strcmp(name, "budget.total") == 0) {
		money_t total = 0;
		for (size_t pi = 0; pi < cfg->npools; pi++)
			total += ex->a->pools[pi].annual;
		add_escaped(&ex->out, prose_money(total, buf));
	} else if (strcmp(name, "revision.latest") == 0 || strcmp(name, "revision.date") == 0) {
		if (!latest)
			error_at(ex->path, ex->line, "'{{%s}}' needs [files] revisions", name);
		else if (name[9] == 'l')
			add_escaped(&ex->out, latest->version);
		else
			add_escaped(&ex->out, date_format(latest->date, buf));
	} else if (strcmp(name, "table.projects.ongoing") == 0)
		projects_table(ex, 0);
	else if (strcmp(name, "table.projects.finished") == 0)
		projects_table(ex, 1);
	else if (strcmp(name, "table.projects.participants") == 0)
		participants_table(ex);
	else if (strcmp(name, "table.projects.buyins") == 0)
		buy_ins_table(ex);
	else if (strcmp(name, "table.meetings") == 0) {
		if (!cfg->meetings_path)
			error_at(ex->path, ex->line, "'{{%s}}' needs [files] meetings", name);
		else
			meetings_table(ex);
	} else if (strcmp(name, "table.revisions") == 0) {
		if (!cfg->revisions_path)
			error_at(ex->path, ex->line, "'{{%s}}' needs [files] revisions", name);
		else
			revisions_table(ex);
	} else if (strcmp(name, "table.members") == 0)
		members_table(ex);
	else if (strcmp(name, "table.budget") == 0)
		budget_table(ex);
	else if (strncmp(name, "table.pool.", 11) == 0 && config_find_pool(cfg, name + 11) >= 0) {
		size_t pi = (size_t)config_find_pool(cfg, name + 11);
		charge_kind(cfg->pools[pi].method)->plan_table(ex, pi);
	} else if (strncmp(name, "pool.", 5) == 0 && pool_placeholder(ex, name))
		;
	else
		unknown(ex, name);
}

/* ---- hand-written tables -------------------------------------------------- */

static size_t count_cells(const char *line, size_t len)
{
	size_t cells = 0, i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i < len && line[i] == '|')
		i++;
	size_t end = len;
	while (end > i && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r'))
		end--;
	if (end > i && line[end - 1] == '|' && (end < 2 || line[end - 2] != '\\'))
		end--;
	cells = 1;
	for (; i < end; i++) {
		if (line[i] == '\\')
			i++;
		else if (line[i] == '|')
			cells++;
	}
	return cells;
}

static int is_delimiter_row(const char *line, size_t len)
{
	int dashes = 0;
	for (size_t i = 0; i < len; i++) {
		char c = line[i];
		if (c == '-')
			dashes = 1;
		else if (!strchr("|: \t\r", c))
			return 0;
	}
	return dashes && memchr(line, '|', len) != NULL;
}

/* A GFM table whose rows have more or fewer cells than its header would
 * silently lose or invent cells: here it is an error. */
static void check_tables(const char *path, const char *text, size_t len)
{
	const char *prev = NULL;
	size_t prev_len = 0, header_cells = 0;
	int in_table = 0, line = 0;
	for (const char *p = text; p < text + len;) {
		const char *nl = memchr(p, '\n', (size_t)(text + len - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
		line++;
		int piped = memchr(p, '|', n) != NULL;
		if (in_table && piped) {
			size_t cells = count_cells(p, n);
			if (cells != header_cells)
				error_at(path, line, "table row has %zu cells, the header has %zu", cells,
					 header_cells);
		} else if (in_table) {
			in_table = 0;
		} else if (prev && piped && is_delimiter_row(p, n)) {
			header_cells = count_cells(prev, prev_len);
			size_t cells = count_cells(p, n);
			if (cells != header_cells)
				error_at(path, line, "table delimiter row has %zu cells, the header has %zu",
					 cells, header_cells);
			in_table = 1;
		}
		prev = p;
		prev_len = n;
		p += n + (nl ? 1 : 0);
	}
}

int template_expand_mapped(const char *path, const char *text, size_t len,
			   const struct model *model, const struct allocation *a, char **out,
			   int **line_map, size_t *map_len, struct gen_tables *tables)
{
	*line_map = NULL;
	*map_len = 0;
	memset(tables, 0, sizeof *tables);
	int before = diag_errors();
	size_t bad;
	if (memchr(text, '\0', len) || !utf8_valid(text, len, &bad)) {
		error_at(path, 0, "template is not UTF-8 text");
		return -1;
	}
	check_tables(path, text, len);

	struct expander ex = {.path = path, .model = model, .a = a, .tables = tables, .line = 1};
	const char *p = text, *end = text + len;
	while (p < end) {
		if (p + 1 < end && p[0] == '{' && p[1] == '{') {
			const char *close = NULL;
			for (const char *q = p + 2; q + 1 < end && *q != '\n'; q++) {
				if (q[0] == '{' && q[1] == '{')
					break;
				if (q[0] == '}' && q[1] == '}') {
					close = q;
					break;
				}
			}
			if (!close) {
				error_at(path, ex.line, "placeholder is not closed with '}}'");
				p += 2;
				continue;
			}
			const char *s = p + 2, *e = close;
			while (s < e && *s == ' ')
				s++;
			while (e > s && e[-1] == ' ')
				e--;
			char name[NAME_MAX_LEN + 1];
			if ((size_t)(e - s) > NAME_MAX_LEN) {
				error_at(path, ex.line, "placeholder name too long: '{{%.*s…}}'", 20, s);
			} else {
				snprintf(name, sizeof name, "%.*s", (int)(e - s), s);
				size_t from = ex.out.len;
				expand_one(&ex, name);
				map_lines(&ex, from);
			}
			p = close + 2;
			continue;
		}
		sb_add(&ex.out, p, 1);
		if (*p == '\n') {
			map_lines(&ex, ex.out.len - 1);
			ex.line++;
		}
		p++;
	}
	GROW(ex.map, ex.map_cap, ex.nmap + 1);
	ex.map[ex.nmap++] = ex.line;	/* the last line, without a newline */
	if (!ex.out.buf)
		sb_adds(&ex.out, "");
	if (diag_errors() != before) {
		sb_release(&ex.out);
		free(ex.map);
		gen_tables_release(tables);
		return -1;
	}
	*out = ex.out.buf;
	*line_map = ex.map;
	*map_len = ex.nmap;
	return 0;
}
