/* layout.h - flowing a document onto A4 pages: numbered headings with
 * bookmarks and a table of contents, paragraphs and lists that wrap, tables
 * that break across pages with their header row repeated, and a running
 * header with the document name and "Sida N (M)" on every page.
 *
 * The renderers of reports (budget.c, plan.c) describe the document in
 * reading order; layout decides where everything goes. Nothing ever runs
 * off a page: a word too long for its line or cell is broken, and a table
 * row too tall for a page continues on the next. */
#ifndef SAMFAKT_LAYOUT_H
#define SAMFAKT_LAYOUT_H

#include <stddef.h>

#include "render/pdf.h"

/* A piece of text in one style. */
struct run {
	const char *text;
	enum pdf_font font;
};

enum align {
	ALIGN_LEFT,
	ALIGN_RIGHT,
	ALIGN_CENTER,
};

struct table_cell {
	size_t nruns;
	const struct run *runs;
};

struct table {
	size_t ncols;
	const struct table_cell *header;	/* ncols cells */
	size_t nrows;
	const struct table_cell *cells;		/* nrows * ncols, row by row; or NULL: */
	/* cell (r, c) made when asked for, valid until the next call: for a
	 * table with a row per member, too long to hold as cells */
	const struct table_cell *(*cell_fn)(void *ctx, size_t r, size_t c);
	void *cell_ctx;
	const enum align *align;		/* ncols, or NULL for all left */
	const double *widths;			/* ncols fractions of the width, or NULL */
	int last_row_bold;			/* a totals row */
};

struct layout;

/* Lay out onto pdf; header_left is the running header's document name. */
struct layout *layout_new(struct pdf *pdf, const char *header_left);
void layout_free(struct layout *lo);

/* A title page: the title, lines under it, and a footer line. */
void layout_title_page(struct layout *lo, const char *title, const char *const *lines,
		       size_t nlines);
/* Reserve pages for a table of contents of n entries here; it is drawn by
 * layout_finish with the headings and their page numbers. */
void layout_reserve_toc(struct layout *lo, size_t entries);

/* A heading, numbered "1", "1.1", "1.1.1" when numbered is set. */
void layout_heading(struct layout *lo, int level, const char *text, int numbered);
void layout_paragraph(struct layout *lo, const struct run *runs, size_t n);
/* A bullet point at depth 0, 1, … */
void layout_list_item(struct layout *lo, int depth, const struct run *runs, size_t n);
void layout_table(struct layout *lo, const struct table *t);
void layout_space(struct layout *lo, double mm);
void layout_page_break(struct layout *lo);

/* Room for a drawing of height mm: moves to a new page if needed and
 * returns the top y; the caller draws between layout_left() and
 * layout_left() + layout_width(). */
double layout_block(struct layout *lo, double height);
double layout_left(const struct layout *lo);
double layout_width(const struct layout *lo);

/* text, shortened with "…" until it is at most width wide (malloc'd). */
char *fit_text(struct pdf *pdf, enum pdf_font font, double size, const char *text, double width);

/* Draw the running headers, page numbers and the table of contents. */
void layout_finish(struct layout *lo);

#endif
