/* output.h - putting files in place without ever leaving half of one.
 *
 * Every file samfakt writes is written to a temporary name in the same
 * folder, flushed to disk (staged files in a batch, with one sync), and
 * renamed over the final name: a reader (or
 * a crash) sees the old file or the new one, never a mix. A file whose
 * content would not change is not touched at all, so repeated runs leave
 * timestamps alone. Failures are reported here and return -1; callers turn
 * them into exit status 3. */
#ifndef SAMFAKT_OUTPUT_H
#define SAMFAKT_OUTPUT_H

#include <stddef.h>

/* The folder path is in ("." for a bare name), malloc'd. */
char *output_folder(const char *path);

/* Create path and its parents as needed (like mkdir -p). */
int output_mkdirs(const char *path);

/* Write buf to path atomically unless path already holds exactly buf.
 * *changed (may be NULL) tells which happened. */
int output_write(const char *path, const void *buf, size_t len, int *changed);

/* output_write for a batch of files (a run's invoices): the file is
 * staged now and put in place by output_flush, which first puts the whole
 * batch on disk with one sync instead of one a file. Nothing is renamed
 * into place before its bytes are on disk. */
int output_write_later(const char *path, const void *buf, size_t len, int *changed);
int output_flush(void);

/* A file too large to hold in memory, with the guarantees of output_write:
 * output_stream_write compares what comes with the file in place and only
 * starts writing (to the staged name) at the first difference;
 * output_stream_close puts the new file in place, or leaves the old one
 * untouched when nothing changed, and frees s. output_stream_abort drops
 * what was written. Both report failures and return -1. */
struct output_stream;
struct output_stream *output_stream_open(const char *path);
int output_stream_write(struct output_stream *s, const void *buf, size_t len);
/* The same as a write_fn (util.h), for renderers that stream. */
int output_stream_writer(void *stream, const void *buf, size_t len);
int output_stream_close(struct output_stream *s, int *changed);
void output_stream_abort(struct output_stream *s);
/* Before the first write: take the first bytes of the file in place as
 * they are, unread and uncompared: the caller read them itself earlier in
 * the run (the journal, under its lock). Only while the file is still the
 * one it read (id); -1 (nothing taken) when it is not. */
struct file_id;
int output_stream_keep(struct output_stream *s, const struct file_id *id, long long bytes);

/* output_stream_close in two steps, for files that must all be ready
 * before any is put in place: output_stream_finish flushes the staged file
 * to disk (or finds nothing changed); output_stream_commit then renames it
 * into place and frees s. After a failed finish, abort. */
int output_stream_finish(struct output_stream *s);
int output_stream_commit(struct output_stream *s, int *changed);

/* Two-phase writing for `issue`: output_stage writes buf next to path
 * under a temporary name (always the same for the same path) and returns
 * that name (malloc'd) in *staged;
 * output_commit renames it into place, after one sync of everything
 * staged before it; output_discard removes it. */
int output_stage(const char *path, const void *buf, size_t len, char **staged);
char *output_staged_name(const char *path);
int output_commit(const char *staged, const char *path);
/* output_commit for a batch after its commit point (the issued files,
 * once the journal names them): each folder is put on disk once, by
 * output_sync_folders, instead of once a file. A crash before that loses
 * at most renames that the next run makes again from what is staged. */
int output_commit_later(const char *staged, const char *path);
void output_sync_folders(void);
void output_discard(const char *staged);

/* How many files this run has put in place (renamed over their final
 * names), by any of its processes: what a failed run tells it did. */
size_t output_files_written(void);

/* Remove temporary files left in dir by a run that was killed. */
void output_clean_stale(const char *dir);

/* Take the run lock in dir (creating it as needed): an exclusive lock on
 * dir/.samfakt.lock, held until output_unlock or exit. Returns -1 with a
 * message when another samfakt run holds it. */
int output_lock(const char *dir);

/* The journal's own lock (on the folder of the file it really is), so that
 * configurations sharing a journal take turns: exclusive for runs that may
 * write it, shared for ones that only read. Waits for another run's turn
 * to end, two minutes at most. output_unlock releases both. */
int output_lock_journal(const char *journal, int exclusive);
void output_unlock(void);

/* Test hook: when the environment names SAMFAKT_CRASH_AFTER=N, the process
 * kills itself (SIGKILL) right after the Nth file it stages, commits or
 * writes, so tests can prove a crash at any point loses nothing. */
void output_crash_point(void);

#endif
