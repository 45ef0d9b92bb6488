/* template.h - placeholders in the Markdown templates of the business plan.
 *
 * A template is Markdown (CommonMark with GFM tables) with placeholders
 * {{name}} that are replaced by values and generated tables from the model
 * and the allocation, before the Markdown is parsed. Values are escaped so
 * that a member or project name can never change the document's structure.
 * The README lists every placeholder; an unknown one is an error naming
 * the template's line, and so is a hand-written table whose rows do not
 * have the header's number of cells. */
#ifndef SAMFAKT_TEMPLATE_H
#define SAMFAKT_TEMPLATE_H

#include <stddef.h>

#include "base/util.h"
#include "model/allocate.h"
#include "model/model.h"

/* A table a placeholder ({{table.…}}) generates, kept as cells rather than
 * as Markdown: with a row a member, it would be most of the plan's Markdown
 * tree. In the Markdown it stands as a paragraph of its own holding
 * TEMPLATE_TABLE_MARK and the table's index in struct gen_tables. */
#define TEMPLATE_TABLE_MARK "\x1fsamfakt-table-"

struct gen_table {
	size_t ncols, nrows;	/* nrows counts the header row */
	char align[8];		/* 'l' or 'r' a column */
	struct strbuf text;	/* the cells row by row, each ended by a NUL */
};

struct gen_tables {
	size_t n, cap;
	struct gen_table *t;
};

void gen_tables_release(struct gen_tables *g);

/* Expand the len bytes of text (read from path, for messages) into
 * malloc'd Markdown in *out, and the tables it generates into *tables.
 * *line_map (malloc'd) gives for each line of the output (index line - 1)
 * the template line it came from, so that later messages can name the
 * line a person wrote. Returns 0, or -1 after reporting every problem. */
int template_expand_mapped(const char *path, const char *text, size_t len,
			   const struct model *model, const struct allocation *a, char **out,
			   int **line_map, size_t *map_len, struct gen_tables *tables);

/* Is a project's status one of the finished ones (Avslutad, Avslutat,
 * Klar, I produktion)? */
int project_finished(const struct project *pr);

#endif
