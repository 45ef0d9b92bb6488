/* test_outcome.c - the year's outcome shared by the rules of its budget
 * (model/outcome.h), as a property over random cooperations: an equal, a
 * key and a projects pool, 1-4 periods, members joining a project late
 * (buying in), costs borne by members. For each:
 *   - the members' shares of the outcome (the host's own included) add up
 *     to the outcome exactly, pool by pool;
 *   - a member's share of the equal and key pools is its exact share,
 *     outcome x w / W, within one öre for each period the pool is billed
 *     in (each period's split is within one öre, by largest remainder);
 *   - the settlement's differences add up to the members' shares (less
 *     the host's own) less what was invoiced, exactly, whatever was
 *     invoiced. */
#include "harness.h"

#include "cooperation.h"

#include "base/diag.h"
#include "model/allocate.h"
#include "model/config.h"
#include "model/load.h"
#include "model/outcome.h"
#include "model/validate.h"

#define MAXM 12

static char *amount(money_t v, char buf[32])
{
	snprintf(buf, 32, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
	return buf;
}

struct scenario {
	size_t nmembers, nperiods;
	int weight[MAXM];
	money_t bas, andel, x, y;	/* the outcomes */
};

static void write_case(const char *dir, struct scenario *sc)
{
	static const char *const dates[4] = {"2020-01-15", "2020-04-15", "2020-07-15", "2020-10-15"};
	struct strbuf s = {0};
	char a[32];
	sb_adds(&s, "[cooperation]\nname = Test\nyear = 2020\n[issuer]\nname = Värd\norg_nr = 212000-2742\n"
		    "vat_nr = SE212000274201\naddress = Gatan 1\naddress = 971 85 Luleå\nbankgiro = 5050-1055\n"
		    "reference = Ekonomi\nmember = m0\n[invoice]\nnumber_prefix = T-\n[files]\nmembers = members.csv\n"
		    "budget = budget.csv\nprojects = projects.csv\nparticipations = participations.csv\n"
		    "outcome = outcome.csv\noutput = output\n");
	for (size_t p = 0; p < sc->nperiods; p++)
		sb_addf(&s, "[period P%zu]\ninvoice_date = %s\n", p + 1, dates[p]);
	sb_adds(&s, "[pool bas]\nmethod = equal\n[pool andel]\nmethod = key\nkey = andel\n"
		    "[pool projekt]\nmethod = projects\n");
	write_file(dir, "config.ini", s.buf);
	s.len = 0;
	sb_adds(&s, "id,name,org_nr,population,address,reference,andel\n");
	for (size_t m = 0; m < sc->nmembers; m++) {
		char nr[16];
		org_nr(m, nr);
		sb_addf(&s, "m%zu,Kommun %zu,%s,%d,Gatan %zu|123 45 Orten,Ekonomi,%d\n", m, m, nr,
			1 + rand() % 90000, m, sc->weight[m]);
	}
	write_file(dir, "members.csv", s.buf);
	s.len = 0;
	sb_addf(&s, "pool,item,amount\nbas,Administration,%s\n", amount(1 + rand() % 90000000, a));
	sb_addf(&s, "bas,Resor,%s\n", amount(rand() % 9000000, a));
	sb_addf(&s, "andel,Utveckling,%s\n", amount(1 + rand() % 90000000, a));
	write_file(dir, "budget.csv", s.buf);
	s.len = 0;
	sb_addf(&s, "id,name,start,end,cost,participants,previous_cost\nx,Projekt X,2018,2022,%s,,%s\n",
		amount(1 + rand() % 50000000, a), "123456.78");
	sb_addf(&s, "y,Projekt Y,2020,2020,%s,*,\n", amount(1 + rand() % 50000000, a));
	write_file(dir, "projects.csv", s.buf);
	s.len = 0;
	sb_adds(&s, "project,member,joined,left\nx,m0,,\n");
	for (size_t m = 1; m < sc->nmembers; m++) {
		int r = rand() % 3;
		if (r == 0)
			sb_addf(&s, "x,m%zu,,\n", m);
		else if (r == 1)
			sb_addf(&s, "x,m%zu,2020-%02d-01,\n", m, 2 + rand() % 10);
	}
	write_file(dir, "participations.csv", s.buf);
	s.len = 0;
	/* the outcome: each line split over two bearers at random */
	sc->bas = rand() % 95000000;
	sc->andel = rand() % 95000000;
	sc->x = rand() % 55000000;
	sc->y = rand() % 55000000;
	money_t bas2 = sc->bas / 3;
	sb_addf(&s, "pool,item,amount,bearer\nbas,Administration,%s,\n", amount(sc->bas - bas2, a));
	sb_addf(&s, "bas,Resor,%s,m%zu\n", amount(bas2, a), (size_t)rand() % sc->nmembers);
	sb_addf(&s, "andel,Utveckling,%s,\n", amount(sc->andel, a));
	sb_addf(&s, "projekt,x,%s,\n", amount(sc->x, a));
	sb_addf(&s, "projekt,y,%s,m%zu\n", amount(sc->y, a), (size_t)rand() % sc->nmembers);
	write_file(dir, "outcome.csv", s.buf);
	sb_release(&s);
}

static money_t pool_sum(const struct allocation *a, size_t nmembers, size_t pool)
{
	money_t sum = 0;
	for (size_t m = 0; m < nmembers; m++)
		sum += allocation_member_pool(a, m, pool);
	return sum;
}

/* |share - total x w / W| < bound öre */
static void near_exact(money_t share, money_t total, int64_t w, int64_t whole, size_t bound)
{
	__int128 diff = (__int128)share * whole - (__int128)total * w;
	if (diff < 0)
		diff = -diff;
	if (diff >= (__int128)whole * (__int128)bound)
		fail_msg("share %lld of %lld, exact %.4f", (long long)share, (long long)total,
			 (double)total * (double)w / (double)whole);
}

static void outcome_is_shared_exactly(void **state)
{
	(void)state;
	char dir[] = "/tmp/samfakt-outcome-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char config[64];
	snprintf(config, sizeof config, "%s/config.ini", dir);
	srand(2016);
	diag_set_verbosity(-1);
	size_t buy_ins = 0;
	for (int round = 0; round < 300; round++) {
		struct scenario sc = {0};
		sc.nmembers = 2 + (size_t)(rand() % (MAXM - 1));
		sc.nperiods = 1 + (size_t)(rand() % 4);
		for (size_t m = 0; m < sc.nmembers; m++)
			sc.weight[m] = 1 + rand() % 20;
		write_case(dir, &sc);
		struct model model = {0};
		struct allocation a;
		assert_int_equal(config_load(&model.cfg, config), 0);
		assert_int_equal(load_inputs(&model), 0);
		model_mark_waiting(&model);
		assert_int_equal(validate_model(&model), 0);
		assert_int_equal(allocate(&model, &a), 0);
		struct outcome o;
		assert_int_equal(outcome_compute(&model, &o), 0);
		size_t nm = sc.nmembers;
		/* pool by pool, the shares are the outcome */
		assert_int_equal(pool_sum(&o.actual, nm, 0), sc.bas);
		assert_int_equal(pool_sum(&o.actual, nm, 1), sc.andel);
		assert_int_equal(pool_sum(&o.actual, nm, 2), sc.x + sc.y);
		money_t all = 0;
		for (size_t m = 0; m < nm; m++)
			all += allocation_member_year(&o.actual, m);
		assert_int_equal(all, o.total);
		assert_int_equal(o.total, sc.bas + sc.andel + sc.x + sc.y);
		/* equal and key: each within an öre a period of its exact share */
		int64_t wsum = 0;
		for (size_t m = 0; m < nm; m++)
			wsum += sc.weight[m];
		for (size_t m = 0; m < nm; m++) {
			near_exact(allocation_member_pool(&o.actual, m, 0), sc.bas, 1, (int64_t)nm, sc.nperiods);
			near_exact(allocation_member_pool(&o.actual, m, 1), sc.andel, sc.weight[m] * 1000000LL,
				   wsum * 1000000LL, sc.nperiods);
		}
		buy_ins += o.actual.nmoves;
		/* the settlement, whatever was invoiced */
		money_t invoiced[MAXM], fees[4] = {0};
		unsigned char billed[MAXM];
		for (size_t m = 0; m < nm; m++) {
			invoiced[m] = allocation_member_year(&a, m) + (rand() % 3 == 0 ? -(money_t)(rand() % 100000) : 0);
			billed[m] = 1;
		}
		struct settlement s;
		settlement_make(&model, &o, invoiced, billed, fees, &s);
		money_t inv = 0, act = 0, diff = 0;
		for (size_t i = 0; i < s.n; i++) {
			assert_int_equal(s.rows[i].difference, s.rows[i].actual - s.rows[i].invoiced);
			inv += s.rows[i].invoiced;
			act += s.rows[i].actual;
			diff += s.rows[i].difference;
		}
		assert_int_equal(s.n, nm - 1);	/* every member but the host's own */
		assert_int_equal(s.invoiced, inv);
		assert_int_equal(s.actual, act);
		assert_int_equal(s.difference, diff);
		assert_int_equal(s.actual + s.own_actual, o.total);
		assert_int_equal(s.difference, o.total - s.own_actual - s.invoiced);
		settlement_release(&s);
		outcome_release(&o);
		allocation_release(&a);
		model_release(&model);
	}
	assert_true(buy_ins > 100);	/* the cases did buy in */
	const char *files[] = {"config.ini", "members.csv", "budget.csv", "projects.csv", "participations.csv",
			       "outcome.csv"};
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
		cmocka_unit_test(outcome_is_shared_exactly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
