/* drafts.c - the drafts build keeps in a folder: its manifest. */
#include "keep/drafts.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/hash.h"
#include "base/util.h"
#include "keep/output.h"
#include "model/csvfile.h"

/* The drafts build wrote in a folder are listed in the folder's manifest,
 * each with its SHA-256, so that build removes only what it wrote itself
 * and nobody changed since: a reviewer's annotated copy saved beside the
 * drafts, or a draft edited in place, stays. */
#define DRAFT_MANIFEST ".samfakt-utkast"

/* The manifest's entries: "SHA256  NAME" lines; n set, NULL when none. */
static char **read_manifest(const char *dir, size_t *n)
{
	char *path = xasprintf("%s/" DRAFT_MANIFEST, dir);
	size_t len;
	char *text = read_file(path, 1u << 24, &len, NULL);	/* none yet: no drafts */
	free(path);
	*n = 0;
	if (!text)
		return NULL;
	char **lines = xcalloc(len / (HASH_HEXSZ + 2) + 2, sizeof *lines);
	for (char *l = text, *next; *l; l = next) {
		next = strchr(l, '\n');
		if (!next)
			break;
		*next++ = '\0';
		if (strlen(l) > HASH_HEXSZ && l[HASH_HEXSZ - 1] == ' ' && !strchr(l + HASH_HEXSZ, '/'))
			lines[(*n)++] = xstrdup(l);
	}
	free(text);
	return lines;
}

/* Remove the drafts in dir that build wrote before and does not want now
 * (keep[0..n), full paths), unless they were changed since; then list
 * what it keeps in the manifest, with their SHA-256 (sums[k], or read
 * from the file when sums is NULL). Returns -1 when the manifest cannot
 * be written. */
int settle_drafts(const char *dir, char **keep, size_t n, char (*sums)[HASH_HEXSZ])
{
	size_t nold;
	char **old = read_manifest(dir, &nold);
	for (size_t i = 0; i < nold; i++) {
		const char *name = old[i] + HASH_HEXSZ;
		char *path = xasprintf("%s/%s", dir, name);
		int wanted = 0;
		for (size_t k = 0; k < n && !wanted; k++)
			wanted = strcmp(keep[k], path) == 0;
		char have[HASH_HEXSZ];
		if (!wanted && hash_file(path, have) == 0) {
			if (strncmp(have, old[i], HASH_HEXSZ - 1) == 0) {
				if (unlink(path) == 0)
					debug("removed %s", path);
			} else {
				warning_at(path, 0, "kept: changed since build wrote it, and no longer a draft of today's inputs");
			}
		}
		free(path);
		free(old[i]);
	}
	free(old);
	char *mpath = xasprintf("%s/" DRAFT_MANIFEST, dir);
	int rc = 0;
	if (n == 0) {
		unlink(mpath);
	} else {
		struct strbuf sb = {0};
		for (size_t k = 0; k < n; k++) {
			char sha[HASH_HEXSZ];
			if (sums)
				memcpy(sha, sums[k], HASH_HEXSZ);
			else if (hash_file(keep[k], sha) < 0)
				continue;
			const char *name = strrchr(keep[k], '/') ? strrchr(keep[k], '/') + 1 : keep[k];
			sb_addf(&sb, "%s %s\n", sha, name);
		}
		rc = output_write(mpath, sb.buf ? sb.buf : "", sb.len, NULL);
		sb_release(&sb);
	}
	free(mpath);
	return rc;
}
