/* config.h - reading the cooperation's INI file.
 *
 * Every key is listed once, in the key table in config.c, with its section,
 * type and whether it is required; unknown sections and keys, keys set
 * twice, missing required keys and malformed values are errors that name
 * the file and line. Relative paths are taken from the config file's
 * folder, so samfakt may be run from any directory. */
#ifndef SAMFAKT_CONFIG_H
#define SAMFAKT_CONFIG_H

#include <stddef.h>

#include "model/model.h"

/* Read path into cfg. Returns 0, or -1 after reporting every problem. */
int config_load(struct config *cfg, const char *path);

/* A path as the configuration writes it, taken from the configuration's
 * folder and tidied ("a/../b" is "b"); malloc'd. */
char *config_resolve_path(const struct config *cfg, const char *value);
/* The same for the len bytes at text, as if read from path. */
int config_parse(struct config *cfg, const char *path, const char *text, size_t len);

#endif
