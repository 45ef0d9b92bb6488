/* plan.c - the business plan: template -> Markdown -> cmark-gfm -> layout. */
#include "render/plan.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/util.h"
#include "model/csvfile.h"
#include "render/layout.h"
#include "render/template.h"

/* Exported by cmark-gfm-extensions but declared in no header. */
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW, CMARK_NODE_TABLE_CELL;

#define TEMPLATE_MAX (4u << 20)

struct plan {
	const char *template_path;
	const struct gen_tables *tables;
	const int *line_map;
	size_t map_len;
	struct layout *lo;
	struct pdf *pdf;
	int errors;
};

/* Runs collected from inline nodes; their texts are owned here. */
struct runs {
	size_t n, cap;
	struct run *r;
};

static void runs_add(struct runs *rs, const char *text, enum pdf_font f)
{
	GROW(rs->r, rs->cap, rs->n + 1);
	rs->r[rs->n].text = xstrdup(text);
	rs->r[rs->n].font = f;
	rs->n++;
}

static void runs_release(struct runs *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free((char *)rs->r[i].text);
	free(rs->r);
	memset(rs, 0, sizeof *rs);
}

static int template_line(const struct plan *pl, cmark_node *node)
{
	int line = cmark_node_get_start_line(node);
	if (line >= 1 && (size_t)line <= pl->map_len)
		return pl->line_map[line - 1];
	return 0;
}

static void check_printable(struct plan *pl, cmark_node *node, const char *text)
{
	if (pdf_can_print(pl->pdf, text))
		return;
	/* Name the first character that does not fit. */
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		size_t n = 1;
		while (n < 4 && (p[n] & 0xC0) == 0x80)
			n++;
		char one[5];
		memcpy(one, p, n);
		one[n] = '\0';
		if (!pdf_can_print(pl->pdf, one)) {
			error_at(pl->template_path, template_line(pl, node),
				 "character '%s' cannot be printed (the PDF font encoding is Windows-1252)", one);
			pl->errors++;
			return;
		}
		p += n;
	}
}

/* The inline content of a block as styled runs: one loop over an
 * iterator, one switch over node kinds. */
static void collect_inlines(struct plan *pl, cmark_node *block, struct runs *rs)
{
	int bold = 0, italic = 0;
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		int enter = ev == CMARK_EVENT_ENTER;
		enum pdf_font f = bold && italic ? PDF_BOLD_ITALIC : bold ? PDF_BOLD
							 : italic ? PDF_ITALIC : PDF_REGULAR;
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			check_printable(pl, block, cmark_node_get_literal(node));
			runs_add(rs, cmark_node_get_literal(node), f);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			runs_add(rs, " ", f);
			break;
		case CMARK_NODE_STRONG:
			bold += enter ? 1 : -1;
			break;
		case CMARK_NODE_EMPH:
			italic += enter ? 1 : -1;
			break;
		default:
			break;	/* links show their text; raw HTML is not shown */
		}
	}
	cmark_iter_free(it);
}

static char *plain_text(struct plan *pl, cmark_node *node)
{
	struct runs rs = {0};
	collect_inlines(pl, node, &rs);
	struct strbuf sb = {0};
	for (size_t i = 0; i < rs.n; i++)
		sb_adds(&sb, rs.r[i].text);
	runs_release(&rs);
	return sb.buf ? sb.buf : xstrdup("");
}

static void render_block(struct plan *pl, cmark_node *node, int depth);

static void render_list(struct plan *pl, cmark_node *list, int depth)
{
	for (cmark_node *item = cmark_node_first_child(list); item; item = cmark_node_next(item)) {
		for (cmark_node *c = cmark_node_first_child(item); c; c = cmark_node_next(c)) {
			if (cmark_node_get_type(c) == CMARK_NODE_LIST) {
				render_list(pl, c, depth + 1);
			} else {
				struct runs rs = {0};
				collect_inlines(pl, c, &rs);
				layout_list_item(pl->lo, depth, rs.r, rs.n);
				runs_release(&rs);
			}
		}
	}
	layout_space(pl->lo, 2);
}

static void render_table(struct plan *pl, cmark_node *table)
{
	size_t ncols = cmark_gfm_extensions_get_table_columns(table);
	uint8_t *aligns = cmark_gfm_extensions_get_table_alignments(table);
	size_t nrows = 0;
	for (cmark_node *row = cmark_node_first_child(table); row; row = cmark_node_next(row))
		nrows++;
	if (ncols == 0 || nrows == 0)
		return;
	struct runs *cell_runs = xcalloc(nrows * ncols, sizeof *cell_runs);
	struct table_cell *cells = xcalloc(nrows * ncols, sizeof *cells);
	enum align *align = xcalloc(ncols, sizeof *align);
	for (size_t c = 0; c < ncols; c++)
		align[c] = aligns && aligns[c] == 'r' ? ALIGN_RIGHT
			   : aligns && aligns[c] == 'c' ? ALIGN_CENTER : ALIGN_LEFT;
	size_t r = 0;
	for (cmark_node *row = cmark_node_first_child(table); row; row = cmark_node_next(row), r++) {
		int header = cmark_gfm_extensions_get_table_row_is_header(row);
		size_t c = 0;
		for (cmark_node *cell = cmark_node_first_child(row); cell && c < ncols;
		     cell = cmark_node_next(cell), c++) {
			struct runs *rs = &cell_runs[r * ncols + c];
			collect_inlines(pl, cell, rs);
			if (header)
				for (size_t k = 0; k < rs->n; k++)
					rs->r[k].font = rs->r[k].font == PDF_ITALIC ? PDF_BOLD_ITALIC : PDF_BOLD;
		}
		for (size_t k = 0; k < ncols; k++)
			cells[r * ncols + k] = (struct table_cell){cell_runs[r * ncols + k].n,
								   cell_runs[r * ncols + k].r};
	}
	struct table t = {
		.ncols = ncols, .header = cells, .nrows = nrows - 1, .cells = cells + ncols,
		.align = align,
	};
	layout_table(pl->lo, &t);
	for (size_t i = 0; i < nrows * ncols; i++)
		runs_release(&cell_runs[i]);
	free(cell_runs);
	free(cells);
	free(align);
}

/* The generated table a paragraph stands for (see template.h), or NULL. */
static const struct gen_table *table_mark(const struct plan *pl, cmark_node *para)
{
	cmark_node *text = cmark_node_first_child(para);
	if (!text || cmark_node_next(text) || cmark_node_get_type(text) != CMARK_NODE_TEXT)
		return NULL;
	const char *lit = cmark_node_get_literal(text);
	size_t mark = strlen(TEMPLATE_TABLE_MARK);
	if (!lit || strncmp(lit, TEMPLATE_TABLE_MARK, mark) != 0)
		return NULL;
	char *end;
	unsigned long i = strtoul(lit + mark, &end, 10);
	return *end == '\0' && i < pl->tables->n ? &pl->tables->t[i] : NULL;
}

/* A generated table, drawn from its cells: the header row bold, an empty
 * cell without a run, as a Markdown table of the same text would be. */
static void render_gen_table(struct plan *pl, const struct gen_table *g)
{
	size_t n = g->nrows * g->ncols;
	if (n == 0)
		return;
	struct table_cell *cells = xcalloc(n, sizeof *cells);
	struct run *runs = xcalloc(n, sizeof *runs);
	enum align align[8];
	for (size_t c = 0; c < g->ncols; c++)
		align[c] = g->align[c] == 'r' ? ALIGN_RIGHT : ALIGN_LEFT;
	const char *text = g->text.buf;
	for (size_t i = 0; i < n; i++, text += strlen(text) + 1) {
		if (!*text)
			continue;
		runs[i] = (struct run){text, i < g->ncols ? PDF_BOLD : PDF_REGULAR};
		cells[i] = (struct table_cell){1, &runs[i]};
	}
	struct table t = {
		.ncols = g->ncols, .header = cells, .nrows = g->nrows - 1, .cells = cells + g->ncols,
		.align = align,
	};
	layout_table(pl->lo, &t);
	free(cells);
	free(runs);
}

static void render_block(struct plan *pl, cmark_node *node, int depth)
{
	cmark_node_type type = cmark_node_get_type(node);
	if (type == CMARK_NODE_HEADING) {
		char *text = plain_text(pl, node);
		layout_heading(pl->lo, cmark_node_get_heading_level(node), text, 1);
		free(text);
	} else if (type == CMARK_NODE_PARAGRAPH && table_mark(pl, node)) {
		render_gen_table(pl, table_mark(pl, node));
	} else if (type == CMARK_NODE_PARAGRAPH) {
		struct runs rs = {0};
		collect_inlines(pl, node, &rs);
		layout_paragraph(pl->lo, rs.r, rs.n);
		runs_release(&rs);
	} else if (type == CMARK_NODE_LIST) {
		render_list(pl, node, depth);
	} else if (type == CMARK_NODE_TABLE) {
		render_table(pl, node);
	} else if (type == CMARK_NODE_THEMATIC_BREAK) {
		layout_page_break(pl->lo);
	} else if (type == CMARK_NODE_CODE_BLOCK) {
		check_printable(pl, node, cmark_node_get_literal(node));
		struct run r = {cmark_node_get_literal(node), PDF_REGULAR};
		layout_paragraph(pl->lo, &r, 1);
	} else if (type == CMARK_NODE_BLOCK_QUOTE) {
		for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c))
			render_block(pl, c, depth);
	}
	/* HTML blocks are not shown: the plan is text, tables and lists. */
}

static size_t count_headings(cmark_node *doc)
{
	size_t n = 0;
	for (cmark_node *c = cmark_node_first_child(doc); c; c = cmark_node_next(c))
		n += cmark_node_get_type(c) == CMARK_NODE_HEADING;
	return n;
}

static cmark_node *parse_markdown(const char *md)
{
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_syntax_extension *table = cmark_find_syntax_extension("table");
	if (table)
		cmark_parser_attach_syntax_extension(parser, table);
	cmark_parser_feed(parser, md, strlen(md));
	cmark_node *doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	return doc;
}

/* A plan laid out, waiting to be written. */
struct plan_pdf {
	struct pdf *pdf;
	char *what;
};

struct plan_pdf *plan_make(const struct model *model, const struct allocation *a, const char *what)
{
	const struct config *cfg = &model->cfg;
	char *path = xasprintf("%s/%s", cfg->templates_dir, PLAN_TEMPLATE);
	size_t tlen;
	char *text = read_file(path, TEMPLATE_MAX, &tlen, "template");
	if (!text) {
		free(path);
		return NULL;
	}
	char *md;
	int *map;
	size_t map_len;
	struct gen_tables tables;
	if (template_expand_mapped(path, text, tlen, model, a, &md, &map, &map_len, &tables) < 0) {
		free(text);
		free(path);
		return NULL;
	}
	free(text);
	cmark_node *doc = parse_markdown(md);
	free(md);

	const struct revision *latest = model->nrevisions ? &model->revisions[model->nrevisions - 1] : NULL;
	char *title = xasprintf("Verksamhetsplan %d – %s", cfg->year, cfg->name);
	struct pdf *pdf = pdf_new_report();
	pdf_set_info(pdf, title, cfg->issuer.name, cfg->name,
		     latest ? latest->date : cfg->periods[0].invoice_date);
	struct plan pl = {.template_path = path, .tables = &tables, .line_map = map,
			  .map_len = map_len, .pdf = pdf};
	pl.lo = layout_new(pdf, title);

	char *big = xasprintf("Verksamhetsplan %d", cfg->year);
	char *l1 = xasprintf("Värdkommun: %s", cfg->issuer.name);
	char d[DATE_BUFSZ];
	char *l2 = latest ? xasprintf("Utgåva %s, %s", latest->version, date_format(latest->date, d))
			  : xstrdup("");
	char *l3 = cfg->issuer.reference ? xasprintf("Dokumentägare: %s", cfg->issuer.reference)
					 : xstrdup("");
	const char *lines[] = {cfg->name, l1, l2, l3};
	layout_title_page(pl.lo, big, lines, 4);
	layout_reserve_toc(pl.lo, count_headings(doc));
	for (cmark_node *c = cmark_node_first_child(doc); c; c = cmark_node_next(c))
		render_block(&pl, c, 0);
	if (pl.errors == 0)
		layout_finish(pl.lo);

	struct plan_pdf *made = NULL;
	if (pl.errors == 0) {
		made = xcalloc(1, sizeof *made);
		made->pdf = pdf;
		made->what = xstrdup(what);
	} else {
		pdf_free(pdf);
	}
	layout_free(pl.lo);
	cmark_node_free(doc);
	gen_tables_release(&tables);
	free(big);
	free(l1);
	free(l2);
	free(l3);
	free(title);
	free(map);
	free(path);
	return made;
}

int plan_write(struct plan_pdf *plan, write_fn out, void *ctx)
{
	return pdf_finish_to(plan->pdf, plan->what, out, ctx);
}

void plan_free(struct plan_pdf *plan)
{
	if (!plan)
		return;
	pdf_free(plan->pdf);
	free(plan->what);
	free(plan);
}
