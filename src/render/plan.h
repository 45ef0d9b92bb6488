/* plan.h - the annual business plan (verksamhetsplan-YEAR.pdf), from the
 * Markdown template templates/verksamhetsplan.md: a title page, a table
 * of contents, numbered headings with bookmarks, and the template's text
 * with its placeholders filled from the data. */
#ifndef SAMFAKT_PLAN_H
#define SAMFAKT_PLAN_H

#include <stddef.h>

#include "base/util.h"
#include "model/allocate.h"
#include "model/model.h"

#define PLAN_TEMPLATE "verksamhetsplan.md"

/* The plan laid out from its template (PLAN_TEMPLATE in [files]
 * templates), or NULL after messages naming the template's lines: an
 * input error. Nothing is written. */
struct plan_pdf;
struct plan_pdf *plan_make(const struct model *model, const struct allocation *a, const char *what);
/* The PDF, handed to out in pieces: 0, or -1 when out failed. */
int plan_write(struct plan_pdf *plan, write_fn out, void *ctx);
void plan_free(struct plan_pdf *plan);

#endif
