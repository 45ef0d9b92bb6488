/* series.c - nummerserier.csv: the number series beside the configuration. */
#include "keep/series.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/util.h"
#include "keep/output.h"
#include "model/csvfile.h"

#define SERIES_FILE "nummerserier.csv"

static const char *const columns[] = {"prefix", "bankgiro", "cooperation", "journal", "last"};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

static char *registry_path(const char *config_path)
{
	char *dir = output_folder(config_path);
	char *p = xasprintf("%s/%s", dir, SERIES_FILE);
	free(dir);
	return p;
}

int series_load(struct series *s, const char *config_path)
{
	memset(s, 0, sizeof *s);
	s->path = registry_path(config_path);
	if (access(s->path, F_OK) != 0)
		return 0;
	struct csv_table t;
	if (csv_table_load(&t, s->path) < 0)
		return -1;
	int col[NCOLUMNS], rc = 0;
	for (size_t c = 0; c < NCOLUMNS; c++)
		if ((col[c] = csv_table_column(&t, columns[c])) < 0) {
			error_at(s->path, 1, "the number series have no '%s' column: put back the file samfakt wrote", columns[c]);
			rc = -1;
		}
	s->rows = xcalloc(t.nrows + 1, sizeof *s->rows);
	for (const struct csv_row *r; rc == 0 && (r = csv_next_row(&t));) {
		char *end;
		const char *last = csv_field(r, col[4]);
		long v = strtol(last, &end, 10);
		if (!*last || *end || v < 0 || !*csv_field(r, col[3])) {
			error_at(s->path, r->line, "not a row of the number series (prefix,bankgiro,cooperation,journal,last): put back the file samfakt wrote");
			rc = -1;
			break;
		}
		struct series_row *row = &s->rows[s->n++];
		row->prefix = xstrdup(csv_field(r, col[0]));
		row->bankgiro = xstrdup(csv_field(r, col[1]));
		row->cooperation = xstrdup(csv_field(r, col[2]));
		row->journal = xstrdup(csv_field(r, col[3]));
		row->last = v;
		row->line = r->line;
	}
	csv_table_release(&t);
	return rc;
}

void series_release(struct series *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->rows[i].prefix);
		free(s->rows[i].bankgiro);
		free(s->rows[i].cooperation);
		free(s->rows[i].journal);
	}
	free(s->rows);
	free(s->path);
	memset(s, 0, sizeof *s);
}

const struct series_row *series_find(const struct series *s, const char *prefix)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->rows[i].prefix, prefix) == 0)
			return &s->rows[i];
	return NULL;
}

/* The digits of a prefix: what its numbers' OCR references begin with. */
static void digits_of(const char *s, char *out, size_t size)
{
	size_t n = 0;
	for (; *s && n + 1 < size; s++)
		if (*s >= '0' && *s <= '9')
			out[n++] = *s;
	out[n] = '\0';
}

/* Can numbers of prefixes with digits a and b have the same digits? */
static int digits_collide(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	return strncmp(a, b, la < lb ? la : lb) == 0;
}

int series_check(const struct series *s, const struct config *cfg, const char *journal_abs,
		 int journal_exists, long journal_last, int new_journal)
{
	const char *prefix = cfg->number_prefix ? cfg->number_prefix : "";
	const struct series_row *mine = series_find(s, prefix);
	int rc = 0;
	if (mine && mine->last > 0) {
		char number[64];
		snprintf(number, sizeof number, "%s%04ld", prefix, mine->last);
		if (new_journal && !journal_exists) {
			error_at(s->path, mine->line,
				 "--new-journal, but series '%s' has issued up to %s, in the journal %s: it was moved or deleted; point [files] journal (or output) at it, or put it back from the backup. A series never starts afresh",
				 prefix, number, mine->journal);
			rc = -1;
		} else if (!journal_exists) {
			int same = strcmp(mine->journal, journal_abs) == 0;
			error_at(s->path, mine->line,
				 "series '%s' has issued up to %s, in the journal %s, which is %s%s: the output folder was moved, or the journal deleted; point [files] output and journal at it, or put it back from the backup",
				 prefix, number, mine->journal, same ? "no longer there" : "not where [files] journal now points, ",
				 same ? "" : journal_abs);
			rc = -1;
		} else if (journal_last < mine->last) {
			error_at(s->path, mine->line,
				 "series '%s' has issued up to %s, but the journal %s ends %s: it was put back from an older backup; put back the newest journal and its records",
				 prefix, number, journal_abs, journal_last ? "before it" : "with none of its numbers");
			rc = -1;
		}
	}
	/* OCR references are the number's digits: two series under one
	 * bankgiro collide when one's digits begin the other's */
	char mine_d[64];
	digits_of(prefix, mine_d, sizeof mine_d);
	for (size_t i = 0; i < s->n; i++) {
		const struct series_row *o = &s->rows[i];
		char other_d[64];
		digits_of(o->prefix, other_d, sizeof other_d);
		if (strcmp(o->prefix, prefix) == 0 || !cfg->issuer.bankgiro || strcmp(o->bankgiro, cfg->issuer.bankgiro) != 0 ||
		    !digits_collide(mine_d, other_d))
			continue;
		if (!other_d[0]) {
			error_at(cfg->path, 0,
				 "series '%s' (of %s, journal %s, in %s) is paid to bankgiro %s too, and has no digits in its prefix, so any OCR reference of this bankgiro can be one of its: two series under one bankgiro each need digits of their own, neither beginning the other's (such as 'NB1-' and 'KA2-'); give this configuration a bankgiro of its own, or start both series anew so",
				 o->prefix, o->cooperation, o->journal, s->path, cfg->issuer.bankgiro);
		} else {
			size_t base = strlen(prefix);
			if (base && prefix[base - 1] == '-')
				base--;
			char try[72] = "";
			for (int d = 1; d <= 9 && !try[0]; d++) {
				char cand[72];
				snprintf(cand, sizeof cand, "%s%d", mine_d, d);
				int clash = 0;
				for (size_t k = 0; k < s->n && !clash; k++) {
					char kd[64];
					digits_of(s->rows[k].prefix, kd, sizeof kd);
					clash = strcmp(s->rows[k].bankgiro, cfg->issuer.bankgiro) == 0 &&
						strcmp(s->rows[k].prefix, prefix) != 0 && digits_collide(cand, kd);
				}
				if (!clash)
					snprintf(try, sizeof try, "%.*s%d-", (int)base, prefix, d);
			}
			error_at(cfg->path, 0,
				 "number_prefix '%s' and series '%s' (of %s, journal %s, in %s) are both paid to bankgiro %s, and their OCR references (the numbers' digits) can be the same: give number_prefix digits of its own, neither beginning the other's%s%s%s",
				 prefix, o->prefix, o->cooperation, o->journal, s->path, cfg->issuer.bankgiro,
				 try[0] ? ", such as '" : "", try, try[0] ? "'" : "");
		}
		rc = -1;
	}
	return rc;
}

int series_record(const struct config *cfg, const char *journal_abs, long last)
{
	char *path = registry_path(cfg->path);
	char *lock = xasprintf("%s.lock", path);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		error_at(lock, 0, "cannot lock the number series: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		free(lock);
		free(path);
		return -1;
	}
	struct series s;
	int rc = series_load(&s, cfg->path);
	const char *prefix = cfg->number_prefix ? cfg->number_prefix : "";
	if (rc == 0) {
		struct strbuf sb = {0};
		sb_adds(&sb, CSV_OUT_BOM);
		for (size_t c = 0; c < NCOLUMNS; c++)
			csv_append_cell(&sb, columns[c], 1, c == 0);
		sb_adds(&sb, "\n");
		int found = 0;
		for (size_t i = 0; i <= s.n; i++) {
			struct series_row mine = {(char *)prefix, cfg->issuer.bankgiro ? cfg->issuer.bankgiro : "",
						  cfg->name, (char *)journal_abs, last, 0};
			const struct series_row *r;
			if (i < s.n)
				r = strcmp(s.rows[i].prefix, prefix) == 0 ? (found = 1, &mine) : &s.rows[i];
			else if (!found)
				r = &mine;
			else
				break;
			char n[32];
			snprintf(n, sizeof n, "%ld", r->last);
			csv_append_cell(&sb, r->prefix, 1, 1);	/* as it is: digits, capitals and '-' */
			csv_append_cell(&sb, r->bankgiro, 1, 0);
			csv_append_cell(&sb, r->cooperation, 0, 0);
			csv_append_cell(&sb, r->journal, 0, 0);
			csv_append_cell(&sb, n, 1, 0);
			sb_adds(&sb, "\n");
		}
		rc = output_write(s.path, sb.buf, sb.len, NULL);
		sb_release(&sb);
	}
	series_release(&s);
	close(fd);
	free(lock);
	free(path);
	return rc;
}
