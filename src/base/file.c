/* file.c - reading a whole file, reporting what fails. */
#include "base/file.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/diag.h"
#include "base/util.h"

char *read_file(const char *path, size_t max, size_t *len, const char *what)
{
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (what || errno != ENOENT)
			error_at(path, 0, "cannot read%s%s: %s", what && *what ? " " : "", what ? what : "",
				 strerror(errno));
		return NULL;
	}
	struct strbuf sb = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (sb.len + n > max) {
			fclose(f);
			sb_release(&sb);
			error_at(path, 0, "cannot read%s%s: it is larger than %zu MB", what && *what ? " " : "",
				 what ? what : "", max >> 20);
			return NULL;
		}
		sb_add(&sb, chunk, n);
	}
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		sb_release(&sb);
		error_at(path, 0, "cannot read%s%s: %s", what && *what ? " " : "", what ? what : "", strerror(EIO));
		return NULL;
	}
	if (!sb.buf)
		sb_add(&sb, "", 0);
	*len = sb.len;
	return sb.buf;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **ini_files(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	char **paths = NULL;
	size_t cap = 0;
	*n = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".ini") != 0)
			continue;
		GROW(paths, cap, *n + 1);
		paths[(*n)++] = xasprintf("%s/%s", dir, e->d_name);
	}
	if (d)
		closedir(d);
	if (*n)
		qsort(paths, *n, sizeof *paths, by_name);
	return paths;
}

void files_release(char **files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

void listing_read(struct listing *l, const char *dir)
{
	DIR *d = opendir(dir);
	size_t cap = 0, len = 0, text_cap = 0;
	size_t *at = NULL;	/* each name's offset in text, while text grows */
	l->names = NULL;
	l->text = NULL;
	l->n = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		size_t nl = strlen(e->d_name) + 1;
		GROW(at, cap, l->n + 1);
		GROW(l->text, text_cap, len + nl);
		memcpy(l->text + len, e->d_name, nl);
		at[l->n++] = len;
		len += nl;
	}
	if (d)
		closedir(d);
	if (l->text)	/* no more than the names (it doubled as it grew) */
		l->text = xrealloc(l->text, len);
	l->names = xmalloc((l->n + 1) * sizeof *l->names);
	for (size_t i = 0; i < l->n; i++)
		l->names[i] = l->text + at[i];
	free(at);
	if (l->n)
		qsort(l->names, l->n, sizeof *l->names, by_name);
}

int listing_has(const struct listing *l, const char *name)
{
	return l->n && bsearch(&name, l->names, l->n, sizeof *l->names, by_name) != NULL;
}

void listing_release(struct listing *l)
{
	free(l->names);
	free(l->text);
	l->names = NULL;
	l->text = NULL;
	l->n = 0;
}

static void file_id_from(const struct stat *st, struct file_id *id)
{
	id->dev = (long long)st->st_dev;
	id->ino = (long long)st->st_ino;
	id->size = (long long)st->st_size;
	id->mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

int file_id_of(const char *path, struct file_id *id)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	file_id_from(&st, id);
	return 0;
}

int file_id_of_fd(int fd, struct file_id *id)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -1;
	file_id_from(&st, id);
	return 0;
}

int file_id_same(const struct file_id *a, const struct file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtime_ns == b->mtime_ns;
}
