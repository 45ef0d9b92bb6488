/* util.h - allocation wrappers that never return NULL, and small string helpers. */
#ifndef SAMFAKT_UTIL_H
#define SAMFAKT_UTIL_H

#include <stddef.h>
#include <stdarg.h>

/* Each wrapper aborts the program with a message when memory runs out, so
 * call sites never check for NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *array (of elements of elem_size bytes, *cap slots) so that it holds
 * at least need elements. */
void grow_array(void **array, size_t *cap, size_t need, size_t elem_size);
#define GROW(array, cap, need) \
	grow_array((void **)&(array), &(cap), (need), sizeof(*(array)))
/* The same, to exactly need slots: for a size known at once, which
 * doubling would overshoot by up to half again. */
void reserve_array(void **array, size_t *cap, size_t need, size_t elem_size);
#define RESERVE(array, cap, need) \
	reserve_array((void **)&(array), &(cap), (need), sizeof(*(array)))

/* Where a large output goes, piece by piece (output_stream_write fits):
 * returns 0, or -1 after reporting why it failed. */
typedef int (*write_fn)(void *ctx, const void *buf, size_t len);

/* A growable byte buffer; always NUL-terminated after sb_add*. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};
void sb_add(struct strbuf *sb, const char *data, size_t len);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_release(struct strbuf *sb);

/* Small things that live as long as the model (a member's texts), kept in
 * large blocks so that each costs its bytes and not a heap block of its
 * own; freed all at once. */
struct arena_block;
struct arena {
	struct arena_block *blocks;
	size_t used, cap;	/* in the newest block */
};
void *arena_alloc(struct arena *a, size_t size);	/* aligned for any type */
char *arena_strdup(struct arena *a, const char *s);
void arena_release(struct arena *a);

/* Is s a slug: 1-40 ASCII letters, digits, '-' and '_', not starting with
 * '-' or '_'? Slugs become file names, so this is the one gate that
 * keeps '/', '..', NUL and newlines out of paths. */
int is_slug(const char *s);

/* The candidate closest to s by edit distance, if it is close enough to be
 * a likely typo (at most 2 edits and less than half of s), else NULL. */
const char *closest_match(const char *s, const char *const *candidates, size_t n);

#endif
