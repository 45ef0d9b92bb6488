/* test_buyin.c - buying into a project on the same principle (allocate.h,
 * step 2b), as a property: for random populations, costs, periods and join
 * dates, every buy-in equals its credits to the öre, and after each one
 * every participant has paid towards the project's costs so far (C) its
 * exact share C x w_i / (W + w) within one öre.
 *
 * Each case is written as a configuration and input files, read and
 * allocated as samfakt does; the check reads only the invoice lines. */
#include "harness.h"

#include "cooperation.h"

#include "base/diag.h"
#include "model/allocate.h"
#include "model/config.h"
#include "model/load.h"
#include "model/validate.h"

#define MAXM 12

struct scenario {
	size_t nmembers, nperiods;
	int64_t population[MAXM];
	int joins[MAXM];	/* 0: from the start; 1: joins on joined[m]; -1: not in it */
	int joined[MAXM];	/* day of 2020, 0-based */
	money_t previous, cost;
};

static const int period_day[4] = {14, 105, 196, 288};	/* 15 Jan, Apr, Jul, Oct */

static void day_text(int day, char buf[DATE_BUFSZ])
{
	date_format(date_add_days(date_from_ymd(2020, 1, 1), day), buf);
}

static void write_case(const char *dir, const struct scenario *sc)
{
	struct strbuf s = {0};
	char d[DATE_BUFSZ];
	sb_adds(&s, "[cooperation]\nname = Test\nyear = 2020\n[issuer]\nname = Värd\norg_nr = 212000-2742\n"
		    "vat_nr = SE212000274201\naddress = Gatan 1\naddress = 971 85 Luleå\nbankgiro = 5050-1055\nreference = Ekonomi\n"
		    "[invoice]\nnumber_prefix = T-\n[files]\nmembers = members.csv\nbudget = budget.csv\n"
		    "projects = projects.csv\nparticipations = participations.csv\noutput = output\n");
	for (size_t p = 0; p < sc->nperiods; p++) {
		day_text(period_day[p], d);
		sb_addf(&s, "[period P%zu]\ninvoice_date = %s\n", p + 1, d);
	}
	sb_adds(&s, "[pool bas]\nmethod = equal\n[pool projekt]\nmethod = projects\n");
	write_file(dir, "config.ini", s.buf);
	s.len = 0;
	sb_adds(&s, "id,name,org_nr,population,address,reference\n");
	for (size_t m = 0; m < sc->nmembers; m++) {
		char nr[16];
		org_nr(m, nr);
		sb_addf(&s, "m%zu,Kommun %zu,%s,%lld,Gatan %zu|123 45 Orten,Ekonomi\n", m, m, nr,
			(long long)sc->population[m], m);
	}
	write_file(dir, "members.csv", s.buf);
	write_file(dir, "budget.csv", "pool,item,amount\nbas,Administration,1000\n");
	s.len = 0;
	char prev[32], cost[32];
	snprintf(prev, sizeof prev, "%lld.%02lld", (long long)(sc->previous / 100), (long long)(sc->previous % 100));
	snprintf(cost, sizeof cost, "%lld.%02lld", (long long)(sc->cost / 100), (long long)(sc->cost % 100));
	sb_addf(&s, "id,name,start,end,cost,participants,previous_cost\nx,Projekt X,2018-05-01,2022,%s,,%s\n",
		cost, prev);
	write_file(dir, "projects.csv", s.buf);
	s.len = 0;
	sb_adds(&s, "project,member,joined,left\n");
	for (size_t m = 0; m < sc->nmembers; m++) {
		if (sc->joins[m] < 0)
			continue;
		if (sc->joins[m] == 0) {
			sb_addf(&s, "x,m%zu,,\n", m);
			continue;
		}
		day_text(sc->joined[m], d);
		sb_addf(&s, "x,m%zu,%s,\n", m, d);
	}
	write_file(dir, "participations.csv", s.buf);
	sb_release(&s);
}

/* Check one allocated scenario; returns the number of buy-ins seen. */
static size_t check_case(const struct scenario *sc, const struct model *model, const struct allocation *a)
{
	const struct pool *pool = &model->cfg.pools[1];
	money_t paid[MAXM] = {0};
	int counted[MAXM] = {0};
	/* previous_cost, as paid by those in it from the start, by population */
	int64_t w[MAXM];
	money_t share[MAXM];
	size_t k = 0, slot[MAXM];
	for (size_t m = 0; m < sc->nmembers; m++)
		if (sc->joins[m] == 0) {
			slot[k] = m;
			w[k++] = sc->population[m];
		}
	assert_int_equal(money_split(sc->previous, w, k, share), 0);
	for (size_t i = 0; i < k; i++) {
		paid[slot[i]] = share[i];
		counted[slot[i]] = 1;
	}
	money_t c = sc->previous;
	size_t buy_ins = 0;
	for (size_t pk = 0; pk < pool->nperiods; pk++) {
		size_t period = pool->periods[pk];
		struct period_lines pl;
		allocation_lines(model, a, period, &pl);
		struct invoice_line *lines = period_lines_buffer(&pl);
		struct invoice_line all[MAXM][8];
		size_t n[MAXM];
		for (size_t m = 0; m < sc->nmembers; m++) {
			n[m] = period_lines_of(&pl, m, lines);
			assert_true(n[m] <= 8);
			memcpy(all[m], lines, n[m] * sizeof *lines);
		}
		/* the period's buy-ins, in the order the members joined */
		for (;;) {
			long j = -1;
			const struct invoice_line *b = NULL;
			for (size_t m = 0; m < sc->nmembers; m++)
				for (size_t l = 0; l < n[m]; l++)
					if (all[m][l].basis.method == METHOD_BUYIN && !counted[m] &&
					    (!b || all[m][l].basis.joined < b->basis.joined)) {
						b = &all[m][l];
						j = (long)m;
					}
			if (j < 0)
				break;
			buy_ins++;
			assert_int_equal(b->basis.base, c);	/* C: earlier years and earlier periods */
			assert_true(b->amount > 0);
			paid[j] += b->amount;
			money_t credits = 0;
			for (size_t m = 0; m < sc->nmembers; m++)
				for (size_t l = 0; l < n[m]; l++)
					if (all[m][l].basis.method == METHOD_CREDIT && all[m][l].basis.joiner == j) {
						assert_true(counted[m]);
						assert_true(all[m][l].amount < 0);
						credits += all[m][l].amount;
						paid[m] += all[m][l].amount;
					}
			assert_int_equal(credits, -b->amount);	/* buy-in = credits, to the öre */
			counted[j] = 1;
			int64_t whole = 0;
			for (size_t m = 0; m < sc->nmembers; m++)
				whole += counted[m] ? sc->population[m] : 0;
			assert_int_equal(b->basis.whole, whole);	/* W + w */
			for (size_t m = 0; m < sc->nmembers; m++) {
				if (!counted[m])
					continue;
				/* |paid - C w / (W + w)| < 1 öre */
				__int128 diff = (__int128)paid[m] * whole - (__int128)c * sc->population[m];
				if (diff < 0)
					diff = -diff;
				if (diff >= whole)
					fail_msg("member %zu paid %lld towards %lld, its exact share %.2f",
						 m, (long long)paid[m], (long long)c,
						 (double)c * (double)sc->population[m] / (double)whole);
			}
		}
		/* the period's shares */
		money_t part = 0;
		for (size_t m = 0; m < sc->nmembers; m++)
			for (size_t l = 0; l < n[m]; l++)
				if (all[m][l].basis.method == METHOD_PROJECTS) {
					counted[m] = 1;	/* from now on among those who paid */
					paid[m] += all[m][l].amount;
					part += all[m][l].amount;
				}
		c += part;
		free(lines);
		period_lines_release(&pl);
	}
	return buy_ins;
}

static void buy_ins_are_exact(void **state)
{
	(void)state;
	char dir[] = "/tmp/samfakt-buyin-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char config[64];
	snprintf(config, sizeof config, "%s/config.ini", dir);
	srand(2026);
	diag_set_verbosity(-1);	/* errors only: members joining after the year are noted */
	size_t buy_ins = 0;
	for (int round = 0; round < 300; round++) {
		struct scenario sc = {0};
		sc.nmembers = 2 + (size_t)(rand() % (MAXM - 1));
		sc.nperiods = 1 + (size_t)(rand() % 4);
		for (size_t m = 0; m < sc.nmembers; m++) {
			sc.population[m] = 1 + rand() % (round % 2 ? 200000 : 3000);
			int r = rand() % 10;
			sc.joins[m] = m == 0 || r < 5 ? 0 : r < 9 ? 1 : -1;
			sc.joined[m] = rand() % 366;
		}
		sc.previous = rand() % 3 == 0 ? 0 : ((money_t)rand() * 7919) % 1000000000;
		sc.cost = 100 + ((money_t)rand() * 104729) % 500000000;
		write_case(dir, &sc);
		struct model model = {0};
		struct allocation a;
		assert_int_equal(config_load(&model.cfg, config), 0);
		assert_int_equal(load_inputs(&model), 0);
		model_mark_waiting(&model);
		assert_int_equal(validate_model(&model), 0);
		assert_int_equal(allocate(&model, &a), 0);
		buy_ins += check_case(&sc, &model, &a);
		allocation_release(&a);
		model_release(&model);
	}
	assert_true(buy_ins > 300);	/* the cases did buy in */
	const char *files[] = {"config.ini", "members.csv", "budget.csv", "projects.csv", "participations.csv"};
	for (size_t i = 0; i < COUNT(files); i++) {
		char path[128];
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buy_ins_are_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
