/* plan.h - the annual business plan (verksamhetsplan-YEAR.pdf), from the
 * Markdown template templates/verksamhetsplan.md: a title page, a table
 * of contents, numbered headings with bookmarks, and the template's text
 * with its placeholders filled from the data. */
#ifndef SAMFAKT_PLAN_H
#define SAMFAKT_PLAN_H

#include <stddef.h>

#include "model/allocate.h"
#include "model/model.h"
#include "base/util.h"

#define PLAN_TEMPLATE "verksamhetsplan.md"

#define PLAN_TEMPLATE_ERROR (-1)
#define PLAN_PDF_ERROR (-2)

/* Render the plan, handing the PDF to out in pieces; nothing reaches out
 * unless the template is sound. Returns 0, PLAN_TEMPLATE_ERROR after
 * messages naming the template's lines, or PLAN_PDF_ERROR. */
int plan_render(const struct model *model, const struct allocation *a, const char *what,
		write_fn out, void *ctx);

#endif
