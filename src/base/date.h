/* date.h - calendar dates as day numbers, read and written as ISO 8601. */
#ifndef SAMFAKT_DATE_H
#define SAMFAKT_DATE_H

#include <stdint.h>

/* Days since 1970-01-01 in the proleptic Gregorian calendar. 0 is a valid
 * date, so "no date" is DATE_NONE. */
typedef int32_t date_t;
#define DATE_NONE INT32_MIN

/* Parse exactly "YYYY-MM-DD" (years 1900-9999, a real calendar day:
 * "2016-02-30" is refused). Returns 0, or -1 when s is not such a date. */
int date_parse(const char *s, date_t *out);

#define DATE_BUFSZ 11
char *date_format(date_t d, char buf[DATE_BUFSZ]);

date_t date_add_days(date_t d, int days);
/* The same day `months` later; the 31st of a shorter month becomes its last
 * day (2016-01-31 + 1 month = 2016-02-29). */
date_t date_add_months(date_t d, int months);

date_t date_from_ymd(int y, int m, int d);
void date_to_ymd(date_t d, int *y, int *m, int *day);

#endif
