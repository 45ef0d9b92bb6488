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

_Static_assert(SHA256_DIGEST_SIZE == HASH_SIZE, "HASH_SIZE is SHA-256's");

char *hash_to_hex(const unsigned char bytes[HASH_SIZE], char out[HASH_HEXSZ])
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < HASH_SIZE; i++) {
		out[2 * i] = hex[bytes[i] >> 4];
		out[2 * i + 1] = hex[bytes[i] & 15];
	}
	out[2 * HASH_SIZE] = '\0';
	return out;
}

static int digit_of(char c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

void hash_from_hex(const char *hex, unsigned char out[HASH_SIZE])
{
	for (size_t i = 0; i < HASH_SIZE; i++)
		out[i] = (unsigned char)(digit_of(hex[2 * i]) << 4 | digit_of(hex[2 * i + 1]));
}

char *hash_hex(struct hash *h, char out[HASH_HEXSZ])
{
	unsigned char d[SHA256_DIGEST_SIZE];
	sha256_digest((struct sha256_ctx *)(void *)h->state, sizeof d, d);
	return hash_to_hex(d, out);
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
