/* outbox.h - handing envelopes to the access point's drop folder.
 *
 * A hosted access point takes Peppol envelopes from a folder (often a
 * mounted SFTP folder) and removes each once it has taken it. A file must
 * appear there whole, under a lower-case .xml name, and never twice. So a
 * file is written under a hidden temporary name in the same folder
 * (.NAME.samfakt-part, which no access point takes), put on disk, and
 * renamed into place only after the journal records it as handed over;
 * the temporary file is what tells, after a crash, whether that rename
 * happened (cmd/send.c). Every step is a crash point
 * (output_crash_point). */
#ifndef SAMFAKT_OUTBOX_H
#define SAMFAKT_OUTBOX_H

#include <stddef.h>

/* Is dir a folder samfakt can write in? */
int outbox_reachable(const char *dir);

/* The name of a document's file in the outbox: "faktura-2016-0001-arjeplog.xml",
 * lower-case (malloc'd). */
char *outbox_name(const char *kind, const char *number, const char *member);

/* Write buf under name's temporary name in dir and put it on disk: 0, or
 * -1 after a message. */
int outbox_stage(const char *dir, const char *name, const void *buf, size_t len);
/* Is name's temporary file in dir? */
int outbox_staged(const char *dir, const char *name);
/* Rename name's temporary file into place and put the folder on disk. */
int outbox_commit(const char *dir, const char *name);
/* Remove name's temporary file (a hand-over that was not recorded). */
void outbox_discard(const char *dir, const char *name);

#endif
