/* grid.c - the reports' tables filled cell by cell (grid.h). */
#include "render/grid.h"

#include <stdlib.h>
#include <string.h>

void grid_init(struct grid *g, size_t ncols, const char *const *header, const enum align *align)
{
	memset(g, 0, sizeof *g);
	if (ncols > 16)
		ncols = 16;
	g->ncols = ncols;
	for (size_t c = 0; c < ncols; c++) {
		g->head_runs[c] = (struct run){header[c], PDF_BOLD};
		g->head[c] = (struct table_cell){1, &g->head_runs[c]};
		g->align[c] = align ? align[c] : ALIGN_LEFT;
	}
}

/* Add the next cell (the string is copied). */
void grid_add(struct grid *g, const char *text)
{
	GROW(g->at, g->cap, g->n + 1);
	g->at[g->n++] = g->text.len;
	sb_add(&g->text, text, strlen(text) + 1);
}

void grid_addf_money(struct grid *g, money_t v)
{
	char buf[MONEY_BUFSZ];
	grid_add(g, money_format(v, buf));
}

static const struct table_cell *grid_cell(void *ctx, size_t r, size_t c)
{
	struct grid *g = ctx;
	g->run = (struct run){g->text.buf + g->at[r * g->ncols + c], PDF_REGULAR};
	g->cell = (struct table_cell){1, &g->run};
	return &g->cell;
}

/* Draw g's header over nrows rows made by cell_fn (see struct table). */
void grid_draw_rows(struct layout *lo, struct grid *g, size_t nrows,
			   const struct table_cell *(*cell_fn)(void *, size_t, size_t), void *ctx,
			   int totals_row)
{
	struct table t = {
		.ncols = g->ncols, .header = g->head, .nrows = nrows, .cell_fn = cell_fn,
		.cell_ctx = ctx, .align = g->align, .last_row_bold = totals_row,
	};
	layout_table(lo, &t);
	sb_release(&g->text);
	free(g->at);
	memset(g, 0, sizeof *g);
}

void grid_draw(struct layout *lo, struct grid *g, int totals_row)
{
	grid_draw_rows(lo, g, g->n / g->ncols, grid_cell, g, totals_row);
}

void para(struct layout *lo, const char *text)
{
	struct run r = {text, PDF_REGULAR};
	layout_paragraph(lo, &r, 1);
}

