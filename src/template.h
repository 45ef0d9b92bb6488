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

#include "allocate.h"
#include "model.h"

/* Expand the len bytes of text (read from path, for messages) into
 * malloc'd Markdown in *out. Returns 0, or -1 after reporting every
 * problem. */
int template_expand(const char *path, const char *text, size_t len, const struct model *model,
		    const struct allocation *a, char **out);

/* The same, and *line_map (malloc'd) gives for each line of the output
 * (index line - 1) the template line it came from, so that later messages
 * can name the line a person wrote. */
int template_expand_mapped(const char *path, const char *text, size_t len,
			   const struct model *model, const struct allocation *a, char **out,
			   int **line_map, size_t *map_len);

/* Is a project's status one of the finished ones (Avslutad, Avslutat,
 * Klar, I produktion)? */
int project_finished(const struct project *pr);

#endif
