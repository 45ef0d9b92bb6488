/* drafts.h - the drafts build keeps in a folder (utkast/PERIOD/): each
 * listed with its SHA-256 in the folder's manifest, so that build removes
 * only what it wrote itself and nobody changed since. */
#ifndef SAMFAKT_DRAFTS_H
#define SAMFAKT_DRAFTS_H

#include <stddef.h>

#include "base/hash.h"

/* Remove the drafts in dir that build wrote before and does not keep now
 * (keep: the n paths of today's, with their SHA-256 in sums), and write the
 * manifest of today's. 0, or -1 after a message. */
int settle_drafts(const char *dir, char **keep, size_t n, char (*sums)[HASH_HEXSZ]);

#endif
