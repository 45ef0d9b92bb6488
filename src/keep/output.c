/* output.c - atomic file replacement, stale-file cleanup and the run lock. */
#define _GNU_SOURCE	/* syncfs */
#include "keep/output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/util.h"

#define STAGE_SUFFIX ".samfakt-tmp"

static int lock_fd = -1;
static int journal_lock_fd = -1;

/* Files put in place by this run, worker processes included: a page of
 * memory shared across fork, made before main runs. */
static _Atomic size_t *files_written;

__attribute__((constructor)) static void count_files_written(void)
{
	void *p = mmap(NULL, sizeof *files_written, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	files_written = p == MAP_FAILED ? NULL : p;
}

size_t output_files_written(void)
{
	return files_written ? *files_written : 0;
}

void output_crash_point(void)
{
	static long count;
	static long crash_after = -1;
	if (crash_after == -1) {
		const char *env = getenv("SAMFAKT_CRASH_AFTER");
		crash_after = env && *env ? atol(env) : 0;
	}
	if (crash_after > 0 && ++count == crash_after)
		kill(getpid(), SIGKILL);
}

/* The folders made (or found) last: a run that writes thousands of files
 * into a few folders asks the file system once a file whether the folder
 * is still there, not twice a path component. */
#define MADE_KEPT 4
static char *made[MADE_KEPT];
static size_t made_next;

int output_mkdirs(const char *path)
{
	for (size_t i = 0; i < MADE_KEPT; i++)
		if (made[i] && strcmp(made[i], path) == 0 && access(path, F_OK) == 0)
			return 0;
	char *p = xstrdup(path);
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char saved = *s;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			error_at(p, 0, "cannot create folder: %s", strerror(errno));
			free(p);
			return -1;
		}
		struct stat st;
		if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode)) {
			error_at(p, 0, "cannot create folder: a file of that name is in the way");
			free(p);
			return -1;
		}
		*s = saved;
		if (!saved)
			break;
	}
	free(made[made_next]);
	made[made_next] = p;
	made_next = (made_next + 1) % MADE_KEPT;
	return 0;
}

char *output_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

/* fsync a folder (what was renamed into it), as far as it can be. */
static void fsync_folder(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static void sync_folder(const char *path)
{
	char *dir = output_folder(path);
	fsync_folder(dir);
	free(dir);
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static size_t read_all(int fd, char *p, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/* fsync and close fd; -1 when either failed (fd is closed all the same). */
static int sync_close(int fd)
{
	int rc = fsync(fd);
	if (close(fd) < 0)
		rc = -1;
	return rc < 0 ? -1 : 0;
}

static int same_content(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	struct stat st;
	int same = 0;
	if (fstat(fd, &st) == 0 && (size_t)st.st_size == len) {
		char *old = xmalloc(len ? len : 1);
		same = read_all(fd, old, len) == len && memcmp(old, buf, len) == 0;
		free(old);
	}
	close(fd);
	return same;
}

/* Staged files are not synced one by one: a batch of them is, with one
 * syncfs of their file system before the first of them is renamed into
 * place (a thousand fsyncs took longer than making the thousand PDFs).
 * owed: a folder on that file system, while something staged is not on
 * disk yet. */
static char *owed;

static void owe_sync(const char *path)
{
	if (!owed)
		owed = output_folder(path);
}

/* Put what was staged on disk; -1 (said) when that failed. */
static int pay_sync(void)
{
	if (!owed)
		return 0;
	int fd = open(owed, O_RDONLY | O_DIRECTORY);
	int rc = fd >= 0 && syncfs(fd) == 0 ? 0 : -1;
	if (rc < 0)
		error_at(owed, 0, "cannot write to disk: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	free(owed);
	owed = NULL;
	return rc;
}

char *output_staged_name(const char *path)
{
	char *dir = output_folder(path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	/* One name per file: the run lock keeps other runs out, and the
	 * process that commits need not be the one that staged. */
	char *tmp = xasprintf("%s/.%s" STAGE_SUFFIX, dir, base);
	free(dir);
	return tmp;
}

/* Write buf to path's staged name (*staged); on disk now with sync_now,
 * else by the next pay_sync. */
static int stage(const char *path, const void *buf, size_t len, char **staged, int sync_now)
{
	char *tmp = output_staged_name(path);

	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0) {
		error_at(path, 0, "cannot write: %s", strerror(errno));
		free(tmp);
		return -1;
	}
	if (write_all(fd, buf, len) < 0) {
		error_at(path, 0, "cannot write: %s", strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if ((sync_now ? sync_close(fd) : close(fd)) < 0) {
		error_at(path, 0, "cannot write: %s", strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (!sync_now)
		owe_sync(path);
	*staged = tmp;
	output_crash_point();
	return 0;
}

int output_stage(const char *path, const void *buf, size_t len, char **staged)
{
	return stage(path, buf, len, staged, 0);
}

struct output_stream {
	char *path;
	int old;		/* the file in place, while all so far matched it; else -1 */
	char *staged;		/* the staged file, once something differed; else NULL */
	int fd;			/* open on staged, until it is closed; else -1 */
	off_t matched;		/* bytes so far, all equal to the old file's */
	int unchanged;		/* finished, and the same as the old file */
	char *scratch;
	size_t scratch_len;
	int failed;
};

struct output_stream *output_stream_open(const char *path)
{
	struct output_stream *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->old = open(path, O_RDONLY);
	s->fd = -1;
	return s;
}

/* Something differs from the old file: stage the new one, starting with
 * the part that matched. */
static int stream_diverge(struct output_stream *s)
{
	/* a name of this process's own: two runs that share a file (a journal
	 * shared by two configurations) never write into one staged file */
	char *dir = output_folder(s->path);
	const char *base = strrchr(s->path, '/') ? strrchr(s->path, '/') + 1 : s->path;
	s->staged = xasprintf("%s/.%s.%ld" STAGE_SUFFIX, dir, base, (long)getpid());
	free(dir);
	s->fd = open(s->staged, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (s->fd < 0)
		return -1;
	if (s->old >= 0) {
		char buf[65536];
		off_t at = 0;
		/* the part that matched copied by the kernel, where it can */
		while (at < s->matched) {
			off_t from = at;
			ssize_t n = copy_file_range(s->old, &from, s->fd, NULL, (size_t)(s->matched - at), 0);
			if (n <= 0)
				break;
			at += n;
		}
		while (at < s->matched) {
			size_t want = s->matched - at < (off_t)sizeof buf ? (size_t)(s->matched - at) : sizeof buf;
			ssize_t n = pread(s->old, buf, want, at);
			if (n <= 0 || write_all(s->fd, buf, (size_t)n) < 0)
				return -1;
			at += n;
		}
		close(s->old);
		s->old = -1;
	}
	return 0;
}

int output_stream_write(struct output_stream *s, const void *buf, size_t len)
{
	if (s->failed)
		return -1;
	if (!s->staged && s->old >= 0) {
		if (s->scratch_len < len) {
			free(s->scratch);
			s->scratch = xmalloc(len);
			s->scratch_len = len;
		}
		if (read_all(s->old, s->scratch, len) == len && memcmp(s->scratch, buf, len) == 0) {
			s->matched += (off_t)len;
			return 0;
		}
	}
	if ((!s->staged && stream_diverge(s) < 0) || write_all(s->fd, buf, len) < 0) {
		error_at(s->path, 0, "cannot write: %s", strerror(errno));
		s->failed = 1;
		return -1;
	}
	return 0;
}

int output_stream_keep(struct output_stream *s, const struct file_id *id, long long bytes)
{
	struct file_id now;
	if (s->old < 0 || s->staged || s->matched || file_id_of_fd(s->old, &now) < 0 || !file_id_same(&now, id) ||
	    bytes > now.size || lseek(s->old, (off_t)bytes, SEEK_SET) != (off_t)bytes)
		return -1;
	s->matched = (off_t)bytes;
	return 0;
}

int output_stream_writer(void *stream, const void *buf, size_t len)
{
	return output_stream_write(stream, buf, len);
}

void output_stream_abort(struct output_stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->staged)
		unlink(s->staged);
	if (s->old >= 0)
		close(s->old);
	free(s->staged);
	free(s->scratch);
	free(s->path);
	free(s);
}

int output_stream_finish(struct output_stream *s)
{
	if (s->failed)
		return -1;
	char end;
	if (!s->staged && s->old >= 0 && read_all(s->old, &end, 1) == 0) {
		s->unchanged = 1;	/* the same to the last byte: nothing to do */
		return 0;
	}
	/* shorter than the old file, or no old file: stage what matched */
	int rc = !s->staged ? stream_diverge(s) : 0;
	if (rc == 0) {
		rc = sync_close(s->fd);
		s->fd = -1;
	}
	if (rc < 0) {
		error_at(s->path, 0, "cannot write: %s", strerror(errno));
		s->failed = 1;
		return -1;
	}
	output_crash_point();
	return 0;
}

int output_stream_commit(struct output_stream *s, int *changed)
{
	if (changed)
		*changed = 0;
	int rc = s->failed ? -1 : 0;
	if (rc == 0 && !s->unchanged) {
		rc = output_commit(s->staged, s->path);	/* renames it, or removes it */
		free(s->staged);
		s->staged = NULL;
		if (rc == 0 && changed)
			*changed = 1;
	}
	output_stream_abort(s);
	return rc;
}

int output_stream_close(struct output_stream *s, int *changed)
{
	if (output_stream_finish(s) < 0) {
		if (changed)
			*changed = 0;
		output_stream_abort(s);
		return -1;
	}
	return output_stream_commit(s, changed);
}

/* The folders renamed into by output_commit_later, each synced once by
 * output_sync_folders. */
static char **folders_owed;
static size_t nfolders_owed, folders_cap;

static int commit(const char *staged, const char *path, int later)
{
	if (pay_sync() < 0) {
		unlink(staged);
		return -1;
	}
	if (rename(staged, path) < 0) {
		error_at(path, 0, "cannot put in place: %s", strerror(errno));
		unlink(staged);
		return -1;
	}
	if (!later) {
		sync_folder(path);
	} else {
		char *dir = output_folder(path);
		size_t i = 0;
		while (i < nfolders_owed && strcmp(folders_owed[i], dir) != 0)
			i++;
		if (i < nfolders_owed) {
			free(dir);
		} else {
			GROW(folders_owed, folders_cap, nfolders_owed + 1);
			folders_owed[nfolders_owed++] = dir;
		}
	}
	if (files_written)
		atomic_fetch_add(files_written, 1);
	output_crash_point();
	return 0;
}

int output_commit(const char *staged, const char *path)
{
	return commit(staged, path, 0);
}

int output_commit_later(const char *staged, const char *path)
{
	return commit(staged, path, 1);
}

void output_sync_folders(void)
{
	for (size_t i = 0; i < nfolders_owed; i++) {
		fsync_folder(folders_owed[i]);
		free(folders_owed[i]);
	}
	nfolders_owed = 0;
}

void output_discard(const char *staged)
{
	unlink(staged);
}

/* Stage buf for path (*staged) unless path holds exactly buf: 1 when
 * staged, 0 when nothing changed, -1 on failure. *changed (may be NULL)
 * is cleared; the caller sets it once the file counts as changed. */
static int stage_changed(const char *path, const void *buf, size_t len, int sync_now,
			 char **staged, int *changed)
{
	if (changed)
		*changed = 0;
	if (same_content(path, buf, len))
		return 0;
	return stage(path, buf, len, staged, sync_now) < 0 ? -1 : 1;
}

int output_write(const char *path, const void *buf, size_t len, int *changed)
{
	char *staged;
	int st = stage_changed(path, buf, len, 1, &staged, changed);
	if (st <= 0)
		return st;
	int rc = output_commit(staged, path);
	free(staged);
	if (rc == 0 && changed)
		*changed = 1;
	return rc;
}

/* Files written with output_write_later, staged and not yet in place. */
static struct later {
	char *staged, *path;
} *later;
static size_t nlater, later_cap;

#define LATER_MAX 1024	/* a batch this big is put in place at once */

int output_write_later(const char *path, const void *buf, size_t len, int *changed)
{
	char *staged;
	int st = stage_changed(path, buf, len, 0, &staged, changed);
	if (st <= 0)
		return st;
	GROW(later, later_cap, nlater + 1);
	later[nlater++] = (struct later){staged, xstrdup(path)};
	if (changed)
		*changed = 1;
	return nlater >= LATER_MAX ? output_flush() : 0;
}

int output_flush(void)
{
	int rc = nlater ? pay_sync() : 0;
	char **dirs = xcalloc(nlater + 1, sizeof *dirs);	/* folders to sync, each once */
	size_t ndirs = 0;
	for (size_t i = 0; i < nlater; i++) {
		if (rc == 0 && rename(later[i].staged, later[i].path) < 0) {
			error_at(later[i].path, 0, "cannot put in place: %s", strerror(errno));
			rc = -1;
		}
		if (rc < 0) {
			unlink(later[i].staged);
		} else {
			char *dir = output_folder(later[i].path);
			size_t d = 0;
			while (d < ndirs && strcmp(dirs[d], dir) != 0)
				d++;
			if (d == ndirs)
				dirs[ndirs++] = dir;
			else
				free(dir);
			if (files_written)
				atomic_fetch_add(files_written, 1);
			output_crash_point();
		}
		free(later[i].staged);
		free(later[i].path);
	}
	for (size_t d = 0; d < ndirs; d++) {
		fsync_folder(dirs[d]);
		free(dirs[d]);
	}
	free(dirs);
	nlater = 0;
	return rc;
}

void output_clean_stale(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	size_t suffix = strlen(STAGE_SUFFIX);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' && n > suffix && strcmp(e->d_name + n - suffix, STAGE_SUFFIX) == 0) {
			char *p = xasprintf("%s/%s", dir, e->d_name);
			unlink(p);
			free(p);
		}
	}
	closedir(d);
}

int output_lock(const char *dir)
{
	if (output_mkdirs(dir) < 0)
		return -1;
	char *path = xasprintf("%s/.samfakt.lock", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		error_at(path, 0, "cannot open lock file: %s", strerror(errno));
		free(path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			error_at(dir, 0, "another samfakt run is working on this output folder; try again when it is done");
		else
			error_at(path, 0, "cannot lock: %s", strerror(errno));
		close(fd);
		free(path);
		return -1;
	}
	free(path);
	lock_fd = fd;
	return 0;
}

int output_lock_journal(const char *journal, int exclusive)
{
	/* The lock is the journal's folder itself, where the link leads when
	 * the journal is one: it is there before the first run and creates
	 * no file, and every configuration naming the journal, by any path,
	 * locks the same one. (Journals sharing a folder take turns too.) */
	char *real = realpath(journal, NULL);
	char *dir = output_folder(real ? real : journal);
	free(real);
	struct stat st;
	if (!exclusive && stat(dir, &st) < 0 && errno == ENOENT) {
		free(dir);	/* a reader makes nothing: no folder, no journal to read */
		return 0;
	}
	if (output_mkdirs(dir) < 0) {
		free(dir);
		return -1;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		error_at(dir, 0, "cannot open the journal's folder to lock it: %s", strerror(errno));
		free(dir);
		return -1;
	}
	/* Runs of other configurations that share the journal wait their
	 * turn, for two minutes at most (a scheduler must not hang). */
	int waited = 0;
	while (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK || waited >= 120000) {
			if (errno == EWOULDBLOCK)
				error_at(journal, 0, "another samfakt run has been using this journal for two minutes; try again when it is done");
			else
				error_at(dir, 0, "cannot lock: %s", strerror(errno));
			close(fd);
			free(dir);
			return -1;
		}
		usleep(20000);
		waited += 20;
	}
	free(dir);
	journal_lock_fd = fd;
	return 0;
}

void output_unlock(void)
{
	if (lock_fd >= 0) {
		close(lock_fd);
		lock_fd = -1;
	}
	if (journal_lock_fd >= 0) {
		close(journal_lock_fd);
		journal_lock_fd = -1;
	}
}
