/* load.h - reading the input CSV files into the model.
 *
 * Each file is checked row by row as it is read: a field that is not what
 * its column needs is an error naming file, line and value. How the files
 * fit together (ids that refer to other files, counts that must exist) is
 * checked afterwards by validate.c. */
#ifndef SAMFAKT_LOAD_H
#define SAMFAKT_LOAD_H

#include <stddef.h>

#include "model/model.h"

/* Read every input the configuration names into model (whose cfg is already
 * loaded). Returns 0, or -1 after reporting every problem found. */
int load_inputs(struct model *model);

enum input_file {
	INPUT_MEMBERS,
	INPUT_USERS,
	INPUT_BUDGET,
	INPUT_PROJECTS,
	INPUT_PREVIOUS,
	INPUT_MEETINGS,
	INPUT_REVISIONS,
	INPUT_PARTICIPATIONS,	/* after projects, which it names */
	INPUT_OUTCOME,		/* after the budget and projects, whose lines it names */
};

/* Load one input from the len bytes at data, as if read from path (for
 * tests and fuzzing). Members must be loaded before the others. */
int load_input_data(struct model *model, enum input_file which, const char *path,
		    const char *data, size_t len);

#endif
