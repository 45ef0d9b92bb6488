/* hash.h - SHA-256 fingerprints (nettle), written as 64 lowercase hex
 * digits: what ties a journal row to the row before it, to its record,
 * and a record to the files issued from it. */
#ifndef SAMFAKT_HASH_H
#define SAMFAKT_HASH_H

#include <stddef.h>

#define HASH_HEXSZ 65
#define HASH_SIZE 32	/* the fingerprint as bytes */

struct hash {
	_Alignas(16) unsigned char state[128];	/* a struct sha256_ctx, kept opaque */
};
void hash_init(struct hash *h);
void hash_add(struct hash *h, const void *buf, size_t len);
void hash_adds(struct hash *h, const char *s);
char *hash_hex(struct hash *h, char out[HASH_HEXSZ]);

/* Is s a fingerprint as hash_hex writes it (64 lowercase hex digits)? */
int hash_is_hex(const char *s);
/* A fingerprint's bytes from its digits (hash_is_hex), and back. */
void hash_from_hex(const char *hex, unsigned char out[HASH_SIZE]);
char *hash_to_hex(const unsigned char bytes[HASH_SIZE], char out[HASH_HEXSZ]);

/* The fingerprint of len bytes at buf. */
char *hash_bytes(const void *buf, size_t len, char out[HASH_HEXSZ]);
/* The fingerprint of the file at path; -1 (errno set) when it cannot be read. */
int hash_file(const char *path, char out[HASH_HEXSZ]);

#endif
