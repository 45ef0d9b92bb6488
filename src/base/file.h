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

/* Which file a path names, and as it was: for taking a file's bytes as
 * read earlier in the run, only while it is still the same. */
struct file_id {
	long long dev, ino, size, mtime_ns;
};
int file_id_of(const char *path, struct file_id *id);
int file_id_of_fd(int fd, struct file_id *id);
int file_id_same(const struct file_id *a, const struct file_id *b);

/* The names in a folder, sorted, read once: whether a file is there is
 * then a search in memory, not a system call a file (a folder of a
 * year's records or invoices holds thousands). Hidden names too. A
 * folder not there (or unreadable) lists nothing. */
struct listing {
	char **names;	/* into text */
	size_t n;
	char *text;	/* every name, one after another: one block, not one a name */
};
void listing_read(struct listing *l, const char *dir);
int listing_has(const struct listing *l, const char *name);
void listing_release(struct listing *l);

#endif
