/* newyear.c - samfakt new-year: the next year's configuration and inputs,
 * made from this year's, which are never touched.
 *
 * The configuration is copied line by line, its comments kept:
 *   year                        one year on
 *   [period] invoice_date, count_date, start, end; [pool] fee_date
 *                               one year on (29 February: the 28th)
 *   [period] text, [pool] text, number_prefix
 *                               this year's number (2016) is the next's (2017)
 *   [files] members, users, budget, projects, participations, meetings,
 *           revisions, templates
 *                               copies in a folder of the next year's
 *                               ("input/members.csv": "input/2017/members.csv";
 *                               "input/2016/members.csv": "input/2017/...")
 *   [files] previous_budget     this year's budget
 *   [files] outcome             left out: the next year has no outcome yet
 *   [files] output, journal     the same: the journal is shared
 * The new configuration is NAME-2017.ini beside this one (or, when the
 * name holds this year, the name with the next year's). */
#include "cmd/cmd.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/util.h"
#include "keep/output.h"
#include "model/config.h"
#include "model/csvfile.h"

#define FILE_MAX (64u << 20)

/* Replace every run of exactly four digits equal to year in s by year + 1. */
static char *year_on(const char *s, int year)
{
	struct strbuf sb = {0};
	char want[8];
	snprintf(want, sizeof want, "%04d", year);
	for (const char *p = s; *p;) {
		size_t run = strspn(p, "0123456789");
		if (run == 4 && memcmp(p, want, 4) == 0) {
			sb_addf(&sb, "%04d", year + 1);
			p += 4;
		} else if (run) {
			sb_add(&sb, p, run);
			p += run;
		} else {
			sb_add(&sb, p++, 1);
		}
	}
	if (!sb.buf)
		sb_adds(&sb, "");
	return sb.buf;
}

/* A date one year on; 29 February becomes the 28th. */
static char *date_on(const char *value)
{
	date_t d;
	if (date_parse(value, &d) < 0)
		return xstrdup(value);
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	if (m == 2 && day == 29)
		day = 28;
	char buf[DATE_BUFSZ];
	return xstrdup(date_format(date_from_ymd(y + 1, m, day), buf));
}

/* The next year's place of an input path as written in the configuration:
 * its folder's last part is this year's, or the next year's folder goes
 * in before its name. */
static char *path_on(const char *value, int year)
{
	const char *slash = strrchr(value, '/');
	size_t dirlen = slash ? (size_t)(slash - value) : 0;
	const char *base = slash ? slash + 1 : value;
	const char *last = value;
	for (const char *p = value; p < value + dirlen; p++)
		if (*p == '/')
			last = p + 1;
	char want[8];
	snprintf(want, sizeof want, "%04d", year);
	if (slash && (size_t)(value + dirlen - last) == 4 && memcmp(last, want, 4) == 0)
		return xasprintf("%.*s%04d/%s", (int)(last - value), value, year + 1, base);
	if (slash)
		return xasprintf("%.*s/%04d/%s", (int)dirlen, value, year + 1, base);
	return xasprintf("%04d/%s", year + 1, base);
}

/* The same for a folder: "../templates" is "../templates/2017". */
static char *dir_on(const char *value, int year)
{
	size_t n = strlen(value);
	while (n > 1 && value[n - 1] == '/')
		n--;
	char want[8];
	snprintf(want, sizeof want, "%04d", year);
	if (n >= 4 && memcmp(value + n - 4, want, 4) == 0 && (n == 4 || value[n - 5] == '/'))
		return xasprintf("%.*s%04d", (int)(n - 4), value, year + 1);
	return xasprintf("%.*s/%04d", (int)n, value, year + 1);
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Copy the file (or the regular files of the folder) from to the new
 * place to; -1 after a message. Nothing is overwritten. */
static int copy_input(const char *from, const char *to)
{
	struct stat st;
	if (stat(from, &st) < 0) {
		error_at(from, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(from);
		if (!d || output_mkdirs(to) < 0) {
			if (d)
				closedir(d);
			else
				error_at(from, 0, "cannot read: %s", strerror(errno));
			return -1;
		}
		int rc = 0;
		for (struct dirent *e; rc == 0 && (e = readdir(d));) {
			char *f = xasprintf("%s/%s", from, e->d_name);
			struct stat fs;
			if (e->d_name[0] != '.' && stat(f, &fs) == 0 && S_ISREG(fs.st_mode)) {
				char *t = xasprintf("%s/%s", to, e->d_name);
				rc = copy_input(f, t);
				free(t);
			}
			free(f);
		}
		closedir(d);
		return rc;
	}
	size_t len;
	char *text = read_file(from, FILE_MAX, &len, "");
	if (!text) {
		return -1;
	}
	char *dir = output_folder(to);
	int rc = output_mkdirs(dir) < 0 ? -1 : output_write(to, text, len, NULL);
	free(dir);
	free(text);
	return rc;
}

/* ---- projects that ended ---------------------------------------------------- */

/* The ids of the projects in projects.csv that end in the year left (end:
 * a bare year, or a date), and the lines their records take. */
struct ended {
	struct text_list ids;
	struct text_list ends;	/* each one's end as written */
	size_t n;
	int (*lines)[2];	/* [first, last] line of each record */
};

static void ended_release(struct ended *e)
{
	text_list_release(&e->ids);
	text_list_release(&e->ends);
	free(e->lines);
	memset(e, 0, sizeof *e);
}

/* Add to e the records of t whose column col is one of `names` (or, with
 * names NULL, a year or date in year: the project ended in the year left),
 * each with its column idcol. Projects that ended before have passed
 * this year's check, which refuses a cost outside a project's years. */
static void ended_records(struct csv_table *t, int col, int idcol, const struct text_list *names, int year,
			  struct ended *e)
{
	int last = 0;
	size_t cap = 0;
	for (const struct csv_row *r; (r = csv_next_row(t));) {
		if (last && e->n && e->lines[e->n - 1][1] == 0)
			e->lines[e->n - 1][1] = r->line - 1;	/* up to this record */
		last = r->line;
		const char *v = csv_field(r, col);
		int drop = 0;
		if (names) {
			for (size_t i = 0; i < names->n && !drop; i++)
				drop = strcmp(v, names->items[i]) == 0;
		} else {
			date_t d;
			int y = 0, m, day;
			if (strlen(v) == 4 && strspn(v, "0123456789") == 4)
				y = atoi(v);
			else if (*v && date_parse(v, &d) == 0)
				date_to_ymd(d, &y, &m, &day);
			drop = y == year;
		}
		if (!drop)
			continue;
		GROW(e->lines, cap, e->n + 1);
		e->lines[e->n][0] = r->line;
		e->lines[e->n][1] = 0;	/* to the next record, or the end */
		text_list_add(&e->ids, csv_field(r, idcol));
		text_list_add(&e->ends, v);
		e->n++;
	}
}

/* Copy the CSV text without the lines of e's records. */
static void without_lines(const char *text, size_t len, const struct ended *e, struct strbuf *out)
{
	int line = 1;
	size_t k = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;
		while (k < e->n && e->lines[k][1] && line > e->lines[k][1])
			k++;
		int skip = k < e->n && line >= e->lines[k][0] && (!e->lines[k][1] || line <= e->lines[k][1]);
		if (!skip)
			sb_add(out, text + i, end - i);
		i = end;
		line++;
	}
}

/* Copy projects.csv without the rows of the projects that ended in year
 * (into *ended), or, with participations, participations.csv
 * without the rows of those projects. */
static int copy_without_ended(const char *from, const char *to, int year, int participations,
			      struct ended *ended)
{
	struct csv_table t;
	if (csv_table_load(&t, from) < 0)
		return -1;
	struct ended mine = {0}, *e = participations ? &mine : ended;
	int col = csv_table_column(&t, participations ? "project" : "end");
	int idcol = csv_table_column(&t, participations ? "project" : "id");
	if (col >= 0 && idcol >= 0)
		ended_records(&t, col, idcol, participations ? &ended->ids : NULL, year, e);
	csv_table_release(&t);
	size_t len;
	char *text = read_file(from, FILE_MAX, &len, "");
	if (!text) {
		ended_release(&mine);
		return -1;
	}
	struct strbuf out = {0};
	without_lines(text, len, e, &out);
	char *dir = output_folder(to);
	int rc = output_mkdirs(dir) < 0 ? -1 : output_write(to, out.buf, out.len, NULL);
	for (size_t i = 0; rc == 0 && !participations && i < e->n; i++)
		note("new-year: %s: project '%s' ended (%s) and is left out: %d does not bill it", to,
		     e->ids.items[i], e->ends.items[i], year + 1);
	if (rc == 0 && participations && e->n)
		note("new-year: %s: the %zu row%s of the projects that ended %s left out", to, e->n,
		     e->n == 1 ? "" : "s", e->n == 1 ? "is" : "are");
	free(dir);
	free(text);
	sb_release(&out);
	ended_release(&mine);
	return rc;
}

static const char *const input_keys[] = {"members", "users", "budget", "projects",
					 "participations", "meetings", "revisions", "templates"};
static const char *const date_keys[] = {"invoice_date", "count_date", "start", "end", "fee_date"};

static int in(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* The new configuration's path. */
static char *new_config_path(const char *path, int year)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char want[8];
	snprintf(want, sizeof want, "%04d", year);
	if (strstr(base, want)) {
		char *on = year_on(base, year);
		char *r = xasprintf("%.*s%s", (int)(base - path), path, on);
		free(on);
		return r;
	}
	const char *dot = strrchr(base, '.');
	size_t stem = dot ? (size_t)(dot - path) : strlen(path);
	return xasprintf("%.*s-%04d%s", (int)stem, path, year + 1, dot ? dot : "");
}

/* What new-year makes: the new configuration's text, and the inputs to
 * copy (from, to, and which [files] key each is). */
struct next_year {
	struct strbuf out;
	char **from, **to;
	const char **keys;	/* "projects", "participations" or NULL */
	size_t ncopy;
	char *budget_value;	/* this year's [files] budget, as written */
};

/* The configuration text (NUL-terminated lines, edited in place) moved
 * one year on into ny: see the top of this file. */
static enum exit_status rewrite_config(const struct config *cfg, char *text, struct next_year *ny)
{
	const int year = cfg->year;
	char section[64] = "";
	enum exit_status rc = EXIT_DONE;
	for (char *line = text, *next; rc == 0 && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		const char *p = line + strspn(line, " \t");
		if (*p == '[') {
			snprintf(section, sizeof section, "%.*s", (int)strcspn(p + 1, " ]"), p + 1);
			sb_addf(&ny->out, "%s\n", line);
			continue;
		}
		char *eq = strchr(line, '=');
		if (*p == ';' || *p == '#' || !eq) {
			sb_addf(&ny->out, "%s\n", line);
			continue;
		}
		/* key = value [; comment] */
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)strcspn(p, " \t="), p);
		char *v = eq + 1 + strspn(eq + 1, " \t");
		char *comment = strstr(v, " ;");
		size_t vlen = comment ? (size_t)(comment - v) : strlen(v);
		while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
			vlen--;
		char *value = xstrndup(v, vlen);
		const char *rest = v + vlen;
		char *nv = NULL;
		if (strcmp(section, "cooperation") == 0 && strcmp(key, "year") == 0)
			nv = xasprintf("%d", year + 1);
		else if ((strcmp(section, "period") == 0 || strcmp(section, "pool") == 0) &&
			 in(key, date_keys, sizeof date_keys / sizeof date_keys[0]))
			nv = date_on(value);
		else if ((strcmp(section, "period") == 0 || strcmp(section, "pool") == 0) && strcmp(key, "text") == 0)
			nv = year_on(value, year);
		else if (strcmp(section, "invoice") == 0 && strcmp(key, "number_prefix") == 0)
			nv = year_on(value, year);
		else if (strcmp(section, "files") == 0 && strcmp(key, "previous_budget") == 0)
			nv = NULL;	/* written below, as this year's budget */
		else if (strcmp(section, "files") == 0 && in(key, input_keys, sizeof input_keys / sizeof input_keys[0])) {
			nv = strcmp(key, "templates") == 0 ? dir_on(value, year) : path_on(value, year);
			ny->keys[ny->ncopy] = strcmp(key, "projects") == 0 ? "projects"
				      : strcmp(key, "participations") == 0 ? "participations" : NULL;
			ny->from[ny->ncopy] = config_resolve_path(cfg, value);
			ny->to[ny->ncopy] = config_resolve_path(cfg, nv);
			if (exists(ny->to[ny->ncopy])) {
				error_at(ny->to[ny->ncopy], 0, "exists already: %d's inputs were started before (nothing was changed)",
					 year + 1);
				rc = EXIT_INPUT;
			}
			ny->ncopy++;
			if (strcmp(key, "budget") == 0)
				ny->budget_value = xstrdup(value);
		}
		if (strcmp(section, "files") == 0 && strcmp(key, "previous_budget") == 0) {
			free(value);
			continue;	/* replaced */
		}
		if (strcmp(section, "files") == 0 && strcmp(key, "outcome") == 0) {
			/* this year's actual costs are not the next's: it has none yet */
			sb_addf(&ny->out, "; outcome = ... ; %d's actual costs, once the year is over (%d's: %s)\n",
				year + 1, year, value);
			free(value);
			free(nv);
			continue;
		}
		sb_add(&ny->out, line, (size_t)(v - line));
		sb_adds(&ny->out, nv ? nv : value);
		sb_addf(&ny->out, "%s\n", rest);
		if (strcmp(section, "files") == 0 && strcmp(key, "budget") == 0)
			sb_addf(&ny->out, "previous_budget = %s ; %d's budget, for the comparison\n", value, year);
		free(nv);
		free(value);
	}
	return rc;
}

/* The inputs first, then the configuration: a new configuration never
 * stands without its inputs. projects.csv is copied before
 * participations.csv, which leaves out the rows of projects that ended. */
static enum exit_status copy_inputs(struct next_year *ny, int year)
{
	enum exit_status rc = EXIT_DONE;
	struct ended ended = {0};
	/* every source there before anything is written: a run that stops
	   leaves no half of the next year behind */
	for (size_t i = 0; i < ny->ncopy; i++)
		if (access(ny->from[i], R_OK) != 0) {
			error_at(ny->from[i], 0, "cannot read: %s (the next year's copy is made of it; nothing was written)",
				 strerror(errno));
			rc = EXIT_INPUT;
		}
	if (rc != EXIT_DONE)
		return rc;
	for (int pass = 0; pass < 3; pass++) {	/* projects.csv before participations.csv */
		for (size_t i = 0; rc == 0 && i < ny->ncopy; i++) {
			const char *k = ny->keys[i] ? ny->keys[i] : "";
			if (pass == 0 && strcmp(k, "projects") == 0)
				rc = copy_without_ended(ny->from[i], ny->to[i], year, 0, &ended) < 0 ? EXIT_WRITE : EXIT_DONE;
			else if (pass == 1 && strcmp(k, "participations") == 0)
				rc = copy_without_ended(ny->from[i], ny->to[i], year, 1, &ended) < 0 ? EXIT_WRITE : EXIT_DONE;
			else if (pass == 2 && !*k)
				rc = copy_input(ny->from[i], ny->to[i]) < 0 ? EXIT_WRITE : EXIT_DONE;
		}
	}
	ended_release(&ended);
	return rc;
}

static enum exit_status new_year(const char *config_path)
{
	struct config cfg;
	if (config_load(&cfg, config_path) < 0) {
		config_release(&cfg);
		return EXIT_INPUT;
	}
	const int year = cfg.year;
	char *to_path = new_config_path(config_path, year);
	size_t len;
	char *text = read_file(config_path, FILE_MAX, &len, "configuration");
	enum exit_status rc = EXIT_DONE;
	if (!text) {
		rc = EXIT_INPUT;
	} else if (exists(to_path)) {
		error_at(to_path, 0, "exists already: %d was started before (nothing was changed)", year + 1);
		rc = EXIT_INPUT;
	}

	struct next_year ny = {.from = xcalloc(16, sizeof *ny.from), .to = xcalloc(16, sizeof *ny.to),
			       .keys = xcalloc(16, sizeof *ny.keys)};
	if (rc == EXIT_DONE)
		rc = rewrite_config(&cfg, text, &ny);
	if (rc == 0 && !ny.budget_value) {
		error_at(config_path, 0, "has no [files] budget");
		rc = EXIT_INPUT;
	}
	if (rc == EXIT_DONE)
		rc = copy_inputs(&ny, year);
	if (rc == 0 && output_write(to_path, ny.out.buf, ny.out.len, NULL) < 0)
		rc = EXIT_WRITE;
	if (rc == 0) {
		char *dir = output_folder(to_path);
		note("new-year: %d starts in %s, with its own inputs (the journal is shared); edit them, then 'samfakt check -c %s'. %d's configuration and inputs are as they were.",
		     year + 1, to_path, to_path, year);
		summary(1, "new-year: the nightly build (samfakt -q build -c %s, which samfakt-build@FOLDER.timer runs) builds %d too, with every configuration in %s; a crontab line naming %s needs %s",
			dir, year + 1, dir, config_path, to_path);
		free(dir);
	}
	for (size_t i = 0; i < ny.ncopy; i++) {
		free(ny.from[i]);
		free(ny.to[i]);
	}
	free(ny.from);
	free(ny.to);
	free(ny.keys);
	free(ny.budget_value);
	sb_release(&ny.out);
	free(text);
	free(to_path);
	config_release(&cfg);
	return rc;
}

enum exit_status cmd_new_year(int argc, char **argv, const struct global_options *g)
{
	if (g->date_given || argc > 1)
		return usage_error("new-year takes -c CONFIG, and -q or -v, nothing else");
	(void)argv;
	return new_year(g->config);
}
