/* format.h - words and numbers shared by the renderers: how a basis reads
 * in Swedish (documents) and in English (CSV for programs), counts with
 * grouped digits, and key weights. Formatting only: no amount is computed
 * here. */
#ifndef SAMFAKT_FORMAT_H
#define SAMFAKT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "allocate.h"
#include "model.h"

#define FORMAT_BUFSZ 160

/* "76 800" */
char *format_count(int64_t n, char buf[FORMAT_BUFSZ]);
/* A key weight (scaled by 10^WEIGHT_DECIMALS): "12,5" or, with point '.', "12.5". */
char *format_weight(int64_t w, char point, char buf[FORMAT_BUFSZ]);

/* part / whole as a percentage with one decimal ("12,5 %", "-3,0 %"), or
 * "–" when whole is 0. For reading only: no amount is taken from it. */
char *format_percent(int64_t part, int64_t whole, char buf[FORMAT_BUFSZ]);

/* Each method of sharing and each kind of charge, one entry: its name
 * (a pool's `method =` in the configuration, when it can be one), its
 * Swedish name, and how its basis reads. Adding a kind is adding an
 * entry here and its rule in allocate.c. */
struct charge_kind {
	const char *name;	/* "equal"; a kind that is no method: "buyin" */
	int pool_method;	/* can be a pool's method */
	const char *swedish;	/* "Lika delar": the budget summary's and the plan's */
	void (*swedish_basis)(const struct pool *pool, const struct basis *b, char *buf);
	void (*plain_basis)(const struct pool *pool, const struct basis *b, char *buf);
};
const struct charge_kind *charge_kind(enum pool_method m);
/* A pool's method by its name in the configuration: 0, or -1. */
int charge_parse_method(const char *name, enum pool_method *out);
/* "equal, key, per_user or projects" (malloc'd). */
char *charge_methods_text(void);
const char *method_swedish(enum pool_method m);

/* "Lika delar: 1/13 av 921 700,00 kr", for invoices and reports. */
char *basis_swedish(const struct pool *pool, const struct basis *b, char buf[FORMAT_BUFSZ]);
/* "1/13 of 921700.00", for fordelning.csv. */
char *basis_plain(const struct pool *pool, const struct basis *b, char buf[FORMAT_BUFSZ]);

#endif
