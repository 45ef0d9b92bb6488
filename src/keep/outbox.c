/* outbox.c - the access point's drop folder (outbox.h). */
#include "keep/outbox.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/util.h"
#include "keep/output.h"

#define PART_SUFFIX ".samfakt-part"

int outbox_reachable(const char *dir)
{
	struct stat st;
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && access(dir, W_OK | X_OK) == 0;
}

char *outbox_name(const char *kind, const char *number, const char *member)
{
	char *name = xasprintf("%s-%s-%s.xml", kind, number, member);
	for (char *p = name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return name;
}

static char *part_path(const char *dir, const char *name)
{
	return xasprintf("%s/.%s" PART_SUFFIX, dir, name);
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int outbox_stage(const char *dir, const char *name, const void *buf, size_t len)
{
	char *path = part_path(dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int rc = fd < 0 ? -1 : 0;
	const char *p = buf;
	while (rc == 0 && len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = -1;
		else
			p += n, len -= (size_t)n;
	}
	if (rc == 0 && fsync(fd) < 0)
		rc = -1;
	if (fd >= 0 && close(fd) < 0)
		rc = -1;
	if (rc < 0) {
		error_at(path, 0, "cannot write into the outbox: %s", strerror(errno));
		unlink(path);
	} else {
		sync_dir(dir);
		output_crash_point();
	}
	free(path);
	return rc;
}

int outbox_staged(const char *dir, const char *name)
{
	char *path = part_path(dir, name);
	int there = access(path, F_OK) == 0;
	free(path);
	return there;
}

int outbox_commit(const char *dir, const char *name)
{
	char *from = part_path(dir, name), *to = xasprintf("%s/%s", dir, name);
	int rc = rename(from, to);
	if (rc < 0)
		error_at(to, 0, "cannot put the envelope in the outbox: %s", strerror(errno));
	else {
		sync_dir(dir);
		output_crash_point();
	}
	free(from);
	free(to);
	return rc;
}

void outbox_discard(const char *dir, const char *name)
{
	char *path = part_path(dir, name);
	unlink(path);
	free(path);
}
