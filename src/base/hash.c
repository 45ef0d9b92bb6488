/* hash.c - SHA-256 through nettle. */
#include "base/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <unistd.h>

_Static_assert(sizeof(struct sha256_ctx) <= sizeof(struct hash), "struct hash too small");

void hash_init(struct hash *h)
{
	sha256_init((struct sha256_ctx *)(void *)h->state);
}

void hash_add(struct hash *h, const void *buf, size_t len)
{
	sha256_update((struct sha256_ctx *)(void *)h->state, len, buf);
}

void hash_adds(struct hash *h, const char *s)
{
	const char *e = s;
	while (*e)
		e++;
	hash_add(h, s, (size_t)(e - s));
}

char *hash_hex(struct hash *h, char out[HASH_HEXSZ])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[SHA256_DIGEST_SIZE];
	sha256_digest((struct sha256_ctx *)(void *)h->state, sizeof d, d);
	for (size_t i = 0; i < sizeof d; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * sizeof d] = '\0';
	return out;
}

int hash_is_hex(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	return n == 2 * SHA256_DIGEST_SIZE;
}

char *hash_bytes(const void *buf, size_t len, char out[HASH_HEXSZ])
{
	struct hash h;
	hash_init(&h);
	hash_add(&h, buf, len);
	return hash_hex(&h, out);
}

int hash_file(const char *path, char out[HASH_HEXSZ])
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	struct hash h;
	hash_init(&h);
	char buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		hash_add(&h, buf, (size_t)n);
	}
	close(fd);
	hash_hex(&h, out);
	return 0;
}
