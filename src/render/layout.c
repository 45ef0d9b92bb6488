/* layout.c - line breaking, pagination, tables and the table of contents. */
#include "render/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define LEFT 25.0
#define WIDTH 160.0
#define TOP 28.0		/* first baseline area starts here */
#define BOTTOM 272.0		/* nothing is drawn below this */
#define PT 0.3528		/* one point in millimetres */
#define BODY_SIZE 10.0
#define CELL_SIZE 8.5		/* table text; smaller for tables too wide */
#define CELL_SIZE_MIN 6.0
#define CELL_PAD 1.6
#define LEADING 1.38

struct toc_entry {
	int level;
	char *text;
	int page;
};

struct layout {
	struct pdf *pdf;
	char *header_left;
	double y;		/* top of the free space on the current page */
	int numbers[7];
	size_t ntoc, toc_cap;
	struct toc_entry *toc;
	int toc_first_page, toc_pages;
	int title_page;		/* index of a title page, or -1 */
	int pending;		/* a new page is due but not yet opened */
	double cell_size;	/* font size of the table being drawn */
};

/* ---- words and lines ------------------------------------------------------- */

struct token {
	char *text;
	enum pdf_font font;
	int space_before;	/* draw a space before it */
	int break_before;	/* a line may start with it */
	double width;
};

struct tokens {
	size_t n, cap;
	struct token *t;
};

static size_t utf8_len(const char *s)
{
	size_t n = 1;
	while (((unsigned char)s[n] & 0xC0) == 0x80)
		n++;
	return n;
}

static void add_token(struct layout *lo, struct tokens *tk, const char *s, size_t len,
		      enum pdf_font font, double size, int space_before, int break_before)
{
	GROW(tk->t, tk->cap, tk->n + 1);
	struct token *t = &tk->t[tk->n++];
	t->text = xstrndup(s, len);
	t->font = font;
	t->space_before = space_before;
	t->break_before = break_before;
	t->width = pdf_text_width(lo->pdf, font, size, t->text);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Does a unit ("%", "kr") begin at s, as a word of its own? */
static int unit_at(const char *s)
{
	size_t n = s[0] == '%' ? 1 : strncmp(s, "kr", 2) == 0 ? 2 : 0;
	return n && (s[n] == '\0' || strchr(" \n\t,.;:)", s[n]));
}

/* Split runs into words; a word wider than max_width is cut into pieces
 * that fit, so that no line can overflow. A space between two digits, or
 * between a number and its unit, does not break a line: "70 900,00 kr"
 * and "25 %" stay whole. */
static void tokenize(struct layout *lo, struct tokens *tk, const struct run *runs, size_t n,
		     double size, double max_width)
{
	int space = 0;
	for (size_t r = 0; r < n; r++) {
		const char *p = runs[r].text;
		while (*p) {
			if (*p == ' ' || *p == '\n' || *p == '\t') {
				space = 1;
				p++;
				continue;
			}
			size_t len = 0;
			for (;;) {
				len += strcspn(p + len, " \n\t");
				if (p[len] == ' ' && len > 0 && is_digit(p[len - 1]) &&
				    (is_digit(p[len + 1]) || unit_at(p + len + 1)))
					len++;	/* keep digit groups, and a number and its unit, together */
				else
					break;
			}
			int spaced = space && tk->n > 0;
			add_token(lo, tk, p, len, runs[r].font, size, spaced, spaced);
			space = 0;
			struct token *t = &tk->t[tk->n - 1];
			if (t->width > max_width + 0.01) {
				/* Break the word by characters. */
				char *word = t->text;
				int sp = t->space_before, first = 1;
				tk->n--;
				size_t start = 0, len_word = strlen(word);
				while (start < len_word) {
					/* the piece's width is the sum of its characters'
					 * (no kerning): each measured once, so a long word
					 * costs its length, not its length squared */
					size_t end = start + utf8_len(word + start);
					char ch[8];
					size_t cl = end - start;
					memcpy(ch, word + start, cl);
					ch[cl] = '\0';
					double w = pdf_text_width(lo->pdf, runs[r].font, size, ch);
					while (end < len_word) {
						size_t next = end + utf8_len(word + end);
						memcpy(ch, word + end, next - end);
						ch[next - end] = '\0';
						double cw = pdf_text_width(lo->pdf, runs[r].font, size, ch);
						if (w + cw > max_width)
							break;
						w += cw;
						end = next;
					}
					add_token(lo, tk, word + start, end - start, runs[r].font, size, sp,
						  sp || !first);
					sp = 0;
					first = 0;
					start = end;
				}
				free(word);
			}
			p += len;
		}
	}
}

static void tokens_release(struct tokens *tk)
{
	for (size_t i = 0; i < tk->n; i++)
		free(tk->t[i].text);
	free(tk->t);
	memset(tk, 0, sizeof *tk);
}

struct line {
	size_t first, count;
	double width;
};

/* Greedy line breaking of tokens into lines of at most max_width. */
static size_t break_lines(struct layout *lo, const struct tokens *tk, double size,
			  double max_width, struct line **out)
{
	double space = pdf_text_width(lo->pdf, PDF_REGULAR, size, " ");
	size_t n = 0, cap = 0;
	struct line *lines = NULL;
	size_t i = 0;
	while (i < tk->n) {
		GROW(lines, cap, n + 1);
		struct line *l = &lines[n++];
		l->first = i;
		l->width = tk->t[i].width;
		l->count = 1;
		for (i++; i < tk->n; i++) {
			double w = l->width + (tk->t[i].space_before ? space : 0) + tk->t[i].width;
			if (w > max_width + 0.01 && tk->t[i].break_before)
				break;
			l->width = w;
			l->count++;
		}
	}
	*out = lines;
	return n;
}

static void draw_line(struct layout *lo, const struct tokens *tk, const struct line *l,
		      double size, double x, double y)
{
	double space = pdf_text_width(lo->pdf, PDF_REGULAR, size, " ");
	for (size_t k = 0; k < l->count; k++) {
		const struct token *t = &tk->t[l->first + k];
		if (k > 0 && t->space_before)
			x += space;
		pdf_text(lo->pdf, t->font, size, x, y, t->text);
		x += t->width;
	}
}

/* ---- pages ------------------------------------------------------------------- */

/* Pages are opened only when something is drawn on them, so a document
 * never ends with an empty page. */
static void new_page(struct layout *lo)
{
	lo->pending = 1;
	lo->y = TOP;
}

static void open_page(struct layout *lo)
{
	if (lo->pending) {
		pdf_add_page(lo->pdf);
		lo->pending = 0;
		lo->y = TOP;
	}
}

static void fresh_page(struct layout *lo)
{
	new_page(lo);
	open_page(lo);
}

static void need(struct layout *lo, double height)
{
	if (!lo->pending && lo->y + height > BOTTOM && lo->y > TOP)
		new_page(lo);
	open_page(lo);
}

struct layout *layout_new(struct pdf *pdf, const char *header_left)
{
	struct layout *lo = xcalloc(1, sizeof *lo);
	lo->pdf = pdf;
	lo->header_left = xstrdup(header_left);
	lo->toc_first_page = -1;
	lo->title_page = -1;
	new_page(lo);
	return lo;
}

void layout_free(struct layout *lo)
{
	if (!lo)
		return;
	for (size_t i = 0; i < lo->ntoc; i++)
		free(lo->toc[i].text);
	free(lo->toc);
	free(lo->header_left);
	free(lo);
}

double layout_left(const struct layout *lo)
{
	(void)lo;
	return LEFT;
}

double layout_width(const struct layout *lo)
{
	(void)lo;
	return WIDTH;
}

void layout_space(struct layout *lo, double mm)
{
	lo->y += mm;
}

void layout_page_break(struct layout *lo)
{
	if (!lo->pending)
		new_page(lo);
}

double layout_block(struct layout *lo, double height)
{
	need(lo, height);
	double top = lo->y;
	lo->y += height;
	return top;
}

void layout_title_page(struct layout *lo, const char *title, const char *const *lines,
		       size_t nlines)
{
	open_page(lo);
	lo->title_page = pdf_page_count(lo->pdf) - 1;
	struct run r = {title, PDF_BOLD};
	struct tokens tk = {0};
	tokenize(lo, &tk, &r, 1, 26, WIDTH);
	struct line *ls;
	size_t n = break_lines(lo, &tk, 26, WIDTH, &ls);
	double y = 110;
	for (size_t i = 0; i < n; i++, y += 26 * PT * 1.25)
		draw_line(lo, &tk, &ls[i], 26, LEFT, y);
	free(ls);
	tokens_release(&tk);
	y += 6;
	for (size_t i = 0; i < nlines; i++, y += 7)
		pdf_text(lo->pdf, PDF_REGULAR, 13, LEFT, y, lines[i]);
	new_page(lo);
}

void layout_reserve_toc(struct layout *lo, size_t entries)
{
	layout_page_break(lo);
	size_t per_page = (size_t)((BOTTOM - TOP - 14) / 6.0);
	lo->toc_first_page = pdf_page_count(lo->pdf);
	lo->toc_pages = (int)((entries + per_page - 1) / per_page);
	if (lo->toc_pages < 1)
		lo->toc_pages = 1;
	for (int i = 0; i < lo->toc_pages; i++)
		pdf_add_page(lo->pdf);
	new_page(lo);
}

/* ---- blocks ------------------------------------------------------------------- */

static void flow(struct layout *lo, const struct run *runs, size_t n, double size,
		 double indent, const char *bullet)
{
	struct tokens tk = {0};
	double width = WIDTH - indent;
	tokenize(lo, &tk, runs, n, size, width);
	struct line *ls;
	size_t nl = break_lines(lo, &tk, size, width, &ls);
	double lh = size * PT * LEADING;
	for (size_t i = 0; i < nl; i++) {
		need(lo, lh);
		lo->y += lh;
		if (i == 0 && bullet)
			pdf_text(lo->pdf, PDF_REGULAR, size, LEFT + indent - 4, lo->y - lh * 0.25, bullet);
		draw_line(lo, &tk, &ls[i], size, LEFT + indent, lo->y - lh * 0.25);
	}
	free(ls);
	tokens_release(&tk);
}

void layout_paragraph(struct layout *lo, const struct run *runs, size_t n)
{
	flow(lo, runs, n, BODY_SIZE, 0, NULL);
	lo->y += 2.5;
}

void layout_list_item(struct layout *lo, int depth, const struct run *runs, size_t n)
{
	flow(lo, runs, n, BODY_SIZE, 6.0 * (depth + 1), depth % 2 ? "–" : "•");
	lo->y += 1;
}

void layout_heading(struct layout *lo, int level, const char *text, int numbered)
{
	static const double sizes[] = {0, 15, 12.5, 11, 10.5, 10, 10};
	if (level < 1)
		level = 1;
	if (level > 6)
		level = 6;
	char number[32] = "";
	if (numbered) {
		lo->numbers[level]++;
		for (int l = level + 1; l <= 6; l++)
			lo->numbers[l] = 0;
		size_t o = 0;
		for (int l = 1; l <= level; l++)
			o += (size_t)snprintf(number + o, sizeof number - o, "%s%d", l > 1 ? "." : "",
					      lo->numbers[l]);
	}
	char *full = *number ? xasprintf("%s %s", number, text) : xstrdup(text);
	double size = sizes[level];
	/* Keep the heading with at least two lines of what follows. */
	need(lo, size * PT * 1.6 + 4 + 2 * BODY_SIZE * PT * LEADING);
	lo->y += level == 1 ? 5 : 3;
	struct run r = {full, PDF_BOLD};
	int page = pdf_page_count(lo->pdf) - 1;
	double top = lo->y;
	flow(lo, &r, 1, size, 0, NULL);
	lo->y += 1.5;
	pdf_outline(lo->pdf, level, full, page, top);
	GROW(lo->toc, lo->toc_cap, lo->ntoc + 1);
	lo->toc[lo->ntoc].level = level;
	lo->toc[lo->ntoc].text = full;
	lo->toc[lo->ntoc].page = page;
	lo->ntoc++;
}

/* ---- tables ---------------------------------------------------------------------- */

struct cell_lines {
	struct tokens tk;
	struct line *lines;
	size_t nlines;
};

/* A cell's width on one line; a totals row is measured in bold, as drawn. */
static double cell_width(struct layout *lo, const struct table_cell *cell, int bold)
{
	double w = 0;
	for (size_t k = 0; k < cell->nruns; k++)
		w += pdf_text_width(lo->pdf, bold ? PDF_BOLD : cell->runs[k].font, lo->cell_size,
				    cell->runs[k].text);
	return w + 2 * CELL_PAD;
}

static const struct table_cell *cell_at(const struct table *t, size_t r, size_t c)
{
	return t->cells ? &t->cells[r * t->ncols + c] : t->cell_fn(t->cell_ctx, r, c);
}

static int bold_row(const struct table *t, size_t r)
{
	return t->last_row_bold && r + 1 == t->nrows;
}

/* The widest word of a cell: cells may wrap, but not mid-word. */
static double widest_word(struct layout *lo, const struct table_cell *cell)
{
	struct tokens tk = {0};
	tokenize(lo, &tk, cell->runs, cell->nruns, lo->cell_size, WIDTH);
	double w = 0;
	for (size_t i = 0; i < tk.n; i++)
		if (tk.t[i].width > w)
			w = tk.t[i].width;
	tokens_release(&tk);
	return w + 2 * CELL_PAD;
}

static double widest_word_in_column(struct layout *lo, const struct table *t, size_t c)
{
	double w = widest_word(lo, &t->header[c]);
	for (size_t r = 0; r < t->nrows; r++) {
		double cw = widest_word(lo, cell_at(t, r, c));
		if (cw > w)
			w = cw;
	}
	return w;
}

/* Columns of numbers (right-aligned) get the width of their widest cell;
 * the text columns share the rest in proportion to their content. */
static void column_widths(struct layout *lo, const struct table *t, double *w)
{
	if (t->widths) {
		for (size_t c = 0; c < t->ncols; c++)
			w[c] = t->widths[c] * WIDTH;
		return;
	}
	double fixed = 0, text = 0, text_min = 0;
	double *min = xcalloc(t->ncols, sizeof *min);
	for (size_t c = 0; c < t->ncols; c++) {
		double natural = 8;
		for (size_t r = 0; r < t->nrows; r++) {
			double cw = cell_width(lo, cell_at(t, r, c), bold_row(t, r));
			if (cw > natural)
				natural = cw;
		}
		int numeric = t->align && t->align[c] != ALIGN_LEFT;
		min[c] = numeric ? widest_word(lo, &t->header[c]) : widest_word_in_column(lo, t, c);
		if (numeric) {
			w[c] = natural > min[c] ? natural : min[c];
			fixed += w[c];
		} else {
			double hw = cell_width(lo, &t->header[c], 0);
			w[c] = natural > hw ? natural : hw;
			text += w[c];
			text_min += min[c];
		}
	}
	double room = WIDTH - fixed;
	if (text == 0 || room <= 0) {
		/* Numbers alone fill the page: everything shrinks alike. */
		double total = fixed + text;
		for (size_t c = 0; c < t->ncols; c++)
			w[c] = w[c] * WIDTH / total;
	} else if (room >= text_min) {
		for (size_t c = 0; c < t->ncols; c++)
			if (!(t->align && t->align[c] != ALIGN_LEFT))
				w[c] = text <= room ? w[c] * room / text
						    : min[c] + (w[c] - min[c]) * (room - text_min) / (text - text_min);
	} else {
		/* A word wider than its share (a very long word): every text
		 * column first gets its widest word or a fair share, whichever
		 * is less, and the rest goes to those that want more. */
		size_t ntext = 0;
		for (size_t c = 0; c < t->ncols; c++)
			ntext += !(t->align && t->align[c] != ALIGN_LEFT);
		double fair = room / (double)ntext, given = 0, wanting = 0;
		for (size_t c = 0; c < t->ncols; c++) {
			if (t->align && t->align[c] != ALIGN_LEFT)
				continue;
			double g = min[c] < fair ? min[c] : fair;
			wanting += w[c] - g;
			given += g;
			min[c] = g;
		}
		for (size_t c = 0; c < t->ncols; c++)
			if (!(t->align && t->align[c] != ALIGN_LEFT))
				w[c] = min[c] + (wanting > 0 ? (w[c] - min[c]) * (room - given) / wanting : 0);
	}
	free(min);
}

/* The width a table needs at the current size before anything wraps
 * inside a word or a number. */
static double column_min_width(struct layout *lo, const struct table *t, size_t c)
{
	double m = widest_word_in_column(lo, t, c);
	if (t->align && t->align[c] != ALIGN_LEFT) {
		for (size_t r = 0; r < t->nrows; r++) {
			double cw = cell_width(lo, cell_at(t, r, c), bold_row(t, r));
			if (cw > m)
				m = cw;
		}
	}
	return m;
}

static double table_min_width(struct layout *lo, const struct table *t)
{
	double need_w = 0;
	for (size_t c = 0; c < t->ncols; c++)
		need_w += column_min_width(lo, t, c);
	return need_w;
}

/* A table of some of another's columns (its first, the row labels, and
 * cols[1..n)): see layout_table. */
struct column_group {
	const struct table *t;
	const size_t *cols;
};

static const struct table_cell *group_cell(void *ctx, size_t r, size_t c)
{
	const struct column_group *g = ctx;
	return cell_at(g->t, r, g->cols[c]);
}

static void prepare_cell(struct layout *lo, const struct table_cell *cell, double width,
			 struct cell_lines *out)
{
	memset(out, 0, sizeof *out);
	tokenize(lo, &out->tk, cell->runs, cell->nruns, lo->cell_size, width - 2 * CELL_PAD);
	out->nlines = break_lines(lo, &out->tk, lo->cell_size, width - 2 * CELL_PAD, &out->lines);
}

static void release_cell(struct cell_lines *cl)
{
	free(cl->lines);
	tokens_release(&cl->tk);
}

static void draw_cell_line(struct layout *lo, const struct cell_lines *cl, size_t li, double x,
			   double w, enum align a, double y)
{
	if (li >= cl->nlines)
		return;
	const struct line *l = &cl->lines[li];
	double at = x + CELL_PAD;
	if (a == ALIGN_RIGHT)
		at = x + w - CELL_PAD - l->width;
	else if (a == ALIGN_CENTER)
		at = x + (w - l->width) / 2;
	draw_line(lo, &cl->tk, l, lo->cell_size, at, y);
}

/* Draw one row (header or body); splits across pages when it must. */
static void draw_row(struct layout *lo, const struct table *t, const struct cell_lines *cells,
		     const double *w, int header, int shade, const struct cell_lines *head_cells)
{
	double lh = lo->cell_size * PT * LEADING;
	size_t nlines = 1;
	for (size_t c = 0; c < t->ncols; c++)
		if (cells[c].nlines > nlines)
			nlines = cells[c].nlines;
	double height = nlines * lh + 2 * CELL_PAD;
	open_page(lo);
	if (lo->y + height > BOTTOM && !header) {
		/* The row moves whole to a new page when it fits on one. */
		if (height <= BOTTOM - TOP - 2 * (lh + 2 * CELL_PAD)) {
			fresh_page(lo);
			draw_row(lo, t, head_cells, w, 1, 0, NULL);
		}
	}
	size_t li = 0;
	while (li < nlines) {
		size_t fit = (size_t)((BOTTOM - lo->y - 2 * CELL_PAD) / lh);
		if (fit == 0) {
			fresh_page(lo);
			if (!header)
				draw_row(lo, t, head_cells, w, 1, 0, NULL);
			continue;
		}
		size_t take = nlines - li < fit ? nlines - li : fit;
		double h = take * lh + 2 * CELL_PAD;
		if (header)
			pdf_fill_rect(lo->pdf, LEFT, lo->y, WIDTH, h, (struct pdf_color){0.85, 0.89, 0.95});
		else if (shade)
			pdf_fill_rect(lo->pdf, LEFT, lo->y, WIDTH, h, PDF_GRAY(0.96));
		for (size_t k = 0; k < take; k++) {
			double base = lo->y + CELL_PAD + (k + 1) * lh - lh * 0.28;
			double x = LEFT;
			for (size_t c = 0; c < t->ncols; c++) {
				enum align a = t->align ? t->align[c] : ALIGN_LEFT;
				draw_cell_line(lo, &cells[c], li + k, x, w[c], a, base);
				x += w[c];
			}
		}
		lo->y += h;
		pdf_line(lo->pdf, LEFT, lo->y, LEFT + WIDTH, lo->y, header ? 0.6 : 0.2);
		li += take;
		if (li < nlines) {
			fresh_page(lo);
			if (!header)
				draw_row(lo, t, head_cells, w, 1, 0, NULL);
		}
	}
}

/* The height row r of t takes at widths w, on one page. */
static double row_height(struct layout *lo, const struct table *t, size_t r, const double *w)
{
	size_t nlines = 1;
	for (size_t c = 0; c < t->ncols; c++) {
		struct cell_lines cl;
		prepare_cell(lo, cell_at(t, r, c), w[c], &cl);
		if (cl.nlines > nlines)
			nlines = cl.nlines;
		release_cell(&cl);
	}
	return nlines * lo->cell_size * PT * LEADING + 2 * CELL_PAD;
}

static void lay_out_rows(struct layout *lo, const struct table *t);

/* A table too wide for the page even in the smallest text is set as
 * several tables (parts), each laid out as it is: a part is never split
 * again, so a word wider than the page (a 70-letter name) cannot make it
 * split for ever; its cells break such a word by characters. */
void layout_table(struct layout *lo, const struct table *t)
{
	if (t->ncols == 0)
		return;
	/* A table too wide for the page even in the smallest text would break
	 * its numbers: it is set as several tables instead, each with the
	 * row labels (the first column) and as many further columns as fit. */
	if (!t->widths && t->ncols > 2) {
		lo->cell_size = CELL_SIZE_MIN;
		double *m = xcalloc(t->ncols, sizeof *m);
		double total = 0;
		for (size_t c = 0; c < t->ncols; c++)
			total += m[c] = column_min_width(lo, t, c);
		if (total > WIDTH * 0.98) {
			/* the parts in full-size text, the labels on one line where
			 * they can be (up to a third of the width) */
			lo->cell_size = CELL_SIZE;
			for (size_t c = 0; c < t->ncols; c++)
				m[c] = column_min_width(lo, t, c);
			for (size_t r = 0; r < t->nrows; r++) {
				double cw = cell_width(lo, cell_at(t, r, 0), bold_row(t, r)) + 2 * CELL_PAD;
				if (cw > m[0])
					m[0] = cw < WIDTH / 3 ? cw : WIDTH / 3;
			}
			size_t *cols = xcalloc(t->ncols, sizeof *cols);
			struct table_cell *head = xcalloc(t->ncols, sizeof *head);
			enum align *align = xcalloc(t->ncols, sizeof *align);
			for (size_t next = 1; next < t->ncols;) {
				size_t n = 1;
				double used = m[0];
				cols[0] = 0;
				while (next < t->ncols && (n == 1 || used + m[next] <= WIDTH * 0.98)) {
					used += m[next];
					cols[n++] = next++;
				}
				for (size_t c = 0; c < n; c++) {
					head[c] = t->header[cols[c]];
					align[c] = t->align ? t->align[cols[c]] : ALIGN_LEFT;
				}
				struct column_group g = {t, cols};
				struct table part = {.ncols = n, .header = head, .nrows = t->nrows,
						     .cell_fn = group_cell, .cell_ctx = &g, .align = align,
						     .last_row_bold = t->last_row_bold};
				lay_out_rows(lo, &part);
			}
			free(align);
			free(head);
			free(cols);
			free(m);
			return;
		}
		free(m);
	}
	lay_out_rows(lo, t);
}

static void lay_out_rows(struct layout *lo, const struct table *t)
{
	double *w = xcalloc(t->ncols, sizeof *w);
	/* A table too wide for the page is set smaller rather than broken
	 * inside its numbers. */
	lo->cell_size = CELL_SIZE;
	double need_w = t->widths ? 0 : table_min_width(lo, t);
	if (need_w > WIDTH) {
		lo->cell_size = CELL_SIZE * WIDTH / need_w * 0.98;
		if (lo->cell_size < CELL_SIZE_MIN)
			lo->cell_size = CELL_SIZE_MIN;
	}
	column_widths(lo, t, w);
	struct cell_lines *head = xcalloc(t->ncols, sizeof *head);
	struct cell_lines *row = xcalloc(t->ncols, sizeof *row);
	struct run *bold = NULL;
	for (size_t c = 0; c < t->ncols; c++)
		prepare_cell(lo, &t->header[c], w[c], &head[c]);

	double lh = lo->cell_size * PT * LEADING;
	need(lo, 3 * (lh + 2 * CELL_PAD));
	lo->y += 1;
	draw_row(lo, t, head, w, 1, 0, NULL);
	for (size_t r = 0; r < t->nrows; r++) {
		/* The last row never goes alone to a page: when it would not
		 * fit below the one before, both go to the next page. */
		if (r + 2 == t->nrows && r > 0) {
			double h2 = row_height(lo, t, r, w) + row_height(lo, t, r + 1, w);
			if (!lo->pending && lo->y + row_height(lo, t, r, w) <= BOTTOM && lo->y + h2 > BOTTOM &&
			    h2 <= BOTTOM - TOP - 2 * (lh + 2 * CELL_PAD)) {
				fresh_page(lo);
				draw_row(lo, t, head, w, 1, 0, NULL);
			}
		}
		for (size_t c = 0; c < t->ncols; c++) {
			const struct table_cell *cell = cell_at(t, r, c);
			struct table_cell boldcell = *cell;
			if (t->last_row_bold && r + 1 == t->nrows) {
				bold = xrealloc(bold, (cell->nruns + 1) * sizeof *bold);
				for (size_t k = 0; k < cell->nruns; k++)
					bold[k] = (struct run){cell->runs[k].text, PDF_BOLD};
				boldcell.runs = bold;
			}
			prepare_cell(lo, &boldcell, w[c], &row[c]);
		}
		draw_row(lo, t, row, w, 0, r % 2, head);
		for (size_t c = 0; c < t->ncols; c++)
			release_cell(&row[c]);
	}
	for (size_t c = 0; c < t->ncols; c++)
		release_cell(&head[c]);
	free(bold);
	free(head);
	free(row);
	free(w);
	lo->y += 4;
}

char *fit_text(struct pdf *pdf, enum pdf_font font, double size, const char *text, double width)
{
	if (pdf_text_width(pdf, font, size, text) <= width)
		return xstrdup(text);
	char *base = xstrdup(text), *out = NULL;
	size_t n = strlen(base);
	while (n > 0) {
		do
			n--;
		while (n > 0 && ((unsigned char)base[n] & 0xC0) == 0x80);
		base[n] = '\0';
		free(out);
		out = xasprintf("%s…", base);
		if (pdf_text_width(pdf, font, size, out) <= width)
			break;
	}
	free(base);
	return out ? out : xstrdup("…");
}

/* ---- finishing ---------------------------------------------------------------------- */

static void draw_toc(struct layout *lo)
{
	if (lo->toc_first_page < 0)
		return;
	int page = lo->toc_first_page;
	pdf_use_page(lo->pdf, page);
	double y = TOP + 8;
	pdf_text(lo->pdf, PDF_BOLD, 15, LEFT, y, "Innehåll");
	y += 10;
	for (size_t i = 0; i < lo->ntoc; i++) {
		const struct toc_entry *e = &lo->toc[i];
		if (y > BOTTOM - 4 && page + 1 < lo->toc_first_page + lo->toc_pages) {
			pdf_use_page(lo->pdf, ++page);
			y = TOP + 8;
		}
		double indent = 6.0 * (e->level - 1);
		enum pdf_font f = e->level == 1 ? PDF_BOLD : PDF_REGULAR;
		char num[16];
		snprintf(num, sizeof num, "%d", e->page + 1);
		double tw = pdf_text_width(lo->pdf, f, BODY_SIZE, e->text);
		double nw = pdf_text_width(lo->pdf, PDF_REGULAR, BODY_SIZE, num);
		/* Shorten an entry too long for its line, then dot leaders. */
		char *text = fit_text(lo->pdf, f, BODY_SIZE, e->text, WIDTH - indent - nw - 10);
		tw = pdf_text_width(lo->pdf, f, BODY_SIZE, text);
		pdf_text(lo->pdf, f, BODY_SIZE, LEFT + indent, y, text);
		double dots_from = LEFT + indent + tw + 2, dots_to = LEFT + WIDTH - nw - 2;
		double dot = pdf_text_width(lo->pdf, PDF_REGULAR, BODY_SIZE, ".");
		struct strbuf sb = {0};
		for (double x = dots_from; dot > 0 && x + dot < dots_to; x += dot)
			sb_adds(&sb, ".");
		if (sb.len)
			pdf_text_color(lo->pdf, PDF_REGULAR, BODY_SIZE, dots_from, y, PDF_GRAY(0.5), sb.buf);
		sb_release(&sb);
		pdf_text_right(lo->pdf, PDF_REGULAR, BODY_SIZE, LEFT + WIDTH, y, num);
		free(text);
		y += 6;
	}
}

void layout_finish(struct layout *lo)
{
	int pages = pdf_page_count(lo->pdf);
	draw_toc(lo);
	for (int p = 0; p < pages; p++) {
		pdf_use_page(lo->pdf, p);
		char right[48];
		snprintf(right, sizeof right, "Sida %d (%d)", p + 1, pages);
		pdf_text_color(lo->pdf, PDF_REGULAR, 8, LEFT, 15, PDF_GRAY(0.3), lo->header_left);
		pdf_text_right(lo->pdf, PDF_REGULAR, 8, LEFT + WIDTH, 15, right);
		pdf_line(lo->pdf, LEFT, 17, LEFT + WIDTH, 17, 0.3);
	}
}
