/* home.h - where samfakt's own files are (its fonts), and what it is.
 *
 * Installed (make install), they are under PREFIX/share/samfakt, found
 * from the program's own place (BIN/../share/samfakt), so the program
 * runs from any folder and moves with its tree (DESTDIR). Run from the
 * source tree, they are the tree's, compiled in. SAMFAKT_FONT_DIR names
 * another font folder. */
#ifndef SAMFAKT_HOME_H
#define SAMFAKT_HOME_H

#include <stdio.h>

enum home_dir {
	HOME_FONTS,
};

/* The folder; the same string for the whole run. */
const char *home_dir(enum home_dir which);

/* "1.0.0", from the Makefile. */
const char *samfakt_version(void);

/* The version, the libraries built with, and where the fonts are. */
void print_version(FILE *out);

#endif
