/* newyear.h - samfakt new-year: start the next year from this one. */
#ifndef SAMFAKT_NEWYEAR_H
#define SAMFAKT_NEWYEAR_H

/* Write the next year's configuration and copies of its inputs (see
 * newyear.c) beside config_path's; nothing of this year's is changed, and
 * nothing is written when the next year was started before. Returns the
 * exit status: 0, 1 (invalid or started before), 3 (cannot write). */
int new_year(const char *config_path);

#endif
