/* config.h - reading the cooperation's INI file.
 *
 * Every key is listed once, in the key table in config.c, with its section,
 * type and whether it is required; unknown sections and keys, keys set
 * twice, missing required keys and malformed values are errors that name
 * the file and line. Relative paths are taken from the config file's
 * folder, so samfakt may be run from any directory. */
#ifndef SAMFAKT_CONFIG_H
#define SAMFAKT_CONFIG_H

#include "model.h"

/* Read path into cfg. Returns 0, or -1 after reporting every problem. */
int config_load(struct config *cfg, const char *path);
void config_release(struct config *cfg);

#endif
