/* file.h - a whole file in memory; the files of a folder. */
#ifndef SAMFAKT_FILE_H
#define SAMFAKT_FILE_H

#include <stddef.h>

/* The file at path, NUL-terminated (*len its size), or NULL after saying
 * "PATH: error: cannot read WHAT: why" (too large: more than max bytes).
 * what "" says no more than "cannot read"; what NULL is for a file that
 * may be absent: its absence is said nowhere (any other failure is). */
char *read_file(const char *path, size_t max, size_t *len, const char *what);

/* The configurations in dir: "dir/NAME.ini" for each *.ini file not
 * hidden, in name order (malloc'd, *n of them; NULL when none or dir is
 * no folder). files_release frees them. */
char **ini_files(const char *dir, size_t *n);
void files_release(char **files, size_t n);

#endif
