/* grid.h - the reports' tables filled cell by cell, and their paragraphs
 * (budget summary, follow-up report). */
#ifndef SAMFAKT_GRID_H
#define SAMFAKT_GRID_H

#include <stddef.h>

#include "base/money.h"
#include "base/util.h"
#include "render/layout.h"

/* A table being filled cell by cell. The texts are kept end to end, so
 * that a table with a row per member costs little more than its text. */
struct grid {
	size_t ncols, n, cap;
	struct strbuf text;	/* every cell's text, NUL-terminated */
	size_t *at;		/* where each cell's text starts, row by row */
	struct run run;		/* the cell handed to the layout */
	struct table_cell cell;
	struct run head_runs[16];
	struct table_cell head[16];
	enum align align[16];
};

/* A grid of ncols columns under header, aligned so (NULL: all left). */
void grid_init(struct grid *g, size_t ncols, const char *const *header, const enum align *align);
/* Add the next cell (the string is copied). */
void grid_add(struct grid *g, const char *text);
void grid_addf_money(struct grid *g, money_t v);
/* Draw g's header over nrows rows made by cell_fn (see struct table), and
 * forget g's cells. */
void grid_draw_rows(struct layout *lo, struct grid *g, size_t nrows,
		    const struct table_cell *(*cell_fn)(void *, size_t, size_t), void *ctx, int totals_row);
/* Draw g as filled (a last row of totals in bold with totals_row). */
void grid_draw(struct layout *lo, struct grid *g, int totals_row);
/* A paragraph of one text. */
void para(struct layout *lo, const char *text);

#endif
