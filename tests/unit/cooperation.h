/* cooperation.h - what the property tests that write whole cooperations
 * (test_buyin.c, test_outcome.c) share: writing a file of a case, and a
 * member's organisation number. */
#ifndef SAMFAKT_TEST_COOPERATION_H
#define SAMFAKT_TEST_COOPERATION_H

#include <stdio.h>

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* "212000-NNNC": C the Luhn check digit of the nine before it. */
static void org_nr(size_t m, char buf[16])
{
	char digits[10];
	snprintf(digits, sizeof digits, "212000%03zu", 100 + m);
	int sum = 0;
	for (int i = 0; i < 9; i++) {
		int d = (digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
		sum += d > 9 ? d - 9 : d;
	}
	snprintf(buf, 16, "212000-%03zu%d", 100 + m, (10 - sum % 10) % 10);
}

#endif
