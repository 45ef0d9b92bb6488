/* file.h - a whole file in memory. */
#ifndef SAMFAKT_FILE_H
#define SAMFAKT_FILE_H

#include <stddef.h>

/* The file at path, NUL-terminated (*len its size), or NULL after saying
 * "PATH: error: cannot read WHAT: why" (too large: more than max bytes).
 * what "" says no more than "cannot read"; what NULL is for a file that
 * may be absent: its absence is said nowhere (any other failure is). */
char *read_file(const char *path, size_t max, size_t *len, const char *what);

#endif
