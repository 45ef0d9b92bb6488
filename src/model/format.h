/* format.h - numbers shared by the renderers: counts with grouped digits,
 * key weights and percentages. Formatting only: no amount is computed
 * here. (How a basis reads is each kind of charge's: charge.h.) */
#ifndef SAMFAKT_FORMAT_H
#define SAMFAKT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"

#include "model/allocate.h"
#include "model/model.h"

#define FORMAT_BUFSZ 160

/* "76 800" */
char *format_count(int64_t n, char buf[FORMAT_BUFSZ]);
/* A date as a Swedish sentence writes it: "30 november 2009". */
char *format_date_long(date_t d, char buf[FORMAT_BUFSZ]);
/* A key weight (scaled by 10^WEIGHT_DECIMALS): "12,5" or, with point '.', "12.5". */
char *format_weight(int64_t w, char point, char buf[FORMAT_BUFSZ]);

/* part / whole as a percentage with one decimal ("12,5 %", "-3,0 %"), or
 * "–" when whole is 0. For reading only: no amount is taken from it. */
char *format_percent(int64_t part, int64_t whole, char buf[FORMAT_BUFSZ]);

#endif
