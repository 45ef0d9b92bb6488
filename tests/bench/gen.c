/* gen.c - makes a benchmark cooperation, the same every time for the same
 * seed: N municipalities with Swedish-looking names and valid org.nr,
 * four quarterly periods, one pool of every method, and P projects.
 *
 * Usage: gen DIR MEMBERS PROJECTS SEED */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t state;

/* xorshift64*: small, fast and the same on every machine. */
static uint32_t next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * UINT64_C(2685821657736338717)) >> 32);
}

static unsigned below(unsigned n)
{
	return next() % n;
}

static char luhn(const char *digits)
{
	size_t n = strlen(digits);
	int sum = 0;
	for (size_t i = 0; i < n; i++) {
		int d = digits[n - 1 - i] - '0';
		if (i % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (char)('0' + (10 - sum % 10) % 10);
}

static FILE *open_in(const char *dir, const char *name)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return f;
}

static const char *const heads[] = {
	"Väster", "Öster", "Norr", "Söder", "Ny", "Gamla", "Stor", "Lill", "Berg", "Sjö",
	"Ljus", "Mal", "Sunds", "Ham", "Kungs", "Dals", "Fal", "Hög", "Lin", "Ör",
	"Ask", "Björk", "Ek", "Gran", "Hass", "Kalm", "Lule", "Pite", "Skellef", "Umeå",
	"Arvid", "Bo", "Eda", "Fors", "Grums", "Hjo", "Kil", "Mora", "Orsa", "Tran",
};
static const char *const tails[] = {
	"vik", "by", "holm", "köping", "hamn", "sala", "ås", "dal", "fors", "berga",
	"torp", "sund", "stad", "näs", "å", "lunda", "bro", "hult", "ryd", "mark",
};

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: gen DIR MEMBERS PROJECTS SEED\n");
		return 2;
	}
	const char *dir = argv[1];
	int members = atoi(argv[2]), projects = atoi(argv[3]);
	state = strtoull(argv[4], NULL, 10) * UINT64_C(0x9E3779B97F4A7C15) + 1;
	mkdir(dir, 0777);

	FILE *f = open_in(dir, "members.csv");
	fprintf(f, "id,name,org_nr,population,address,reference,joined,leaves,andel\n");
	for (int i = 0; i < members; i++) {
		const char *h = heads[below(sizeof heads / sizeof heads[0])];
		const char *t = tails[below(sizeof tails / sizeof tails[0])];
		char digits[16];
		/* Municipalities' org.nr start 212000-; the running number keeps them unique. */
		snprintf(digits, sizeof digits, "212%06d", i + 1);
		char org[16];
		snprintf(org, sizeof org, "%.6s-%.3s%c", digits, digits + 6, luhn(digits));
		int population = 2500 + (int)below(120000) * (below(10) == 0 ? 5 : 1);
		const char *joined = i % 97 == 5 ? "2020-04-01" : "";
		fprintf(f, "m%04d,%s%s kommun %d,%s,%d,Kommunstyrelsen|Box %u|%03u %02u %s%s,Ekonomichef,%s,,%u\n",
			i + 1, h, t, i + 1, org, population, 100 + below(900), 100 + below(900),
			below(100), h, t, joined, 1 + below(20));
	}
	fclose(f);

	static const char *const dates[] = {"2019-11-30", "2020-02-29", "2020-05-31", "2020-08-31"};
	f = open_in(dir, "users.csv");
	fprintf(f, "date,member,users\n");
	for (int d = 0; d < 4; d++)
		for (int i = 0; i < members; i++)
			fprintf(f, "%s,m%04d,%u\n", dates[d], i + 1, 1 + below(40));
	fclose(f);

	f = open_in(dir, "budget.csv");
	fprintf(f, "pool,item,amount\n"
		   "grundbelopp,Nämndadministration,%d900\n"
		   "grundbelopp,Samordnare,%d000\n"
		   "nyckel,Utvecklare,%d000\n"
		   "avgift,Licenser,%d000\n"
		   "avgift,Drift,%d000\n",
		members * 3, members * 60, members * 45, members * 30, members * 15);
	fclose(f);

	f = open_in(dir, "projects.csv");
	fprintf(f, "id,name,status,start,end,cost,participants,comment\n");
	for (int p = 0; p < projects; p++) {
		fprintf(f, "p%03d,Gemensamt projekt %d,%s,2019,2021,%u 000,", p + 1, p + 1,
			p % 5 == 4 ? "Avslutad" : "Pågående", p % 5 == 4 ? 0 : 50 + below(950));
		if (p % 5 == 4) {
			fprintf(f, ",Avslutat\n");
			continue;
		}
		if (p % 7 == 0) {
			fprintf(f, "*");
		} else {
			int n = 2 + (int)below(members < 20 ? (unsigned)members - 1 : 20);
			int first = (int)below((unsigned)members);
			for (int k = 0; k < n; k++)
				fprintf(f, "%sm%04d", k ? " " : "", (first + k * 7) % members + 1);
		}
		fprintf(f, ",Kommentar till projekt %d\n", p + 1);
	}
	fclose(f);

	f = open_in(dir, "config.ini");
	fprintf(f, "[cooperation]\nname = Nationell samverkan\nyear = 2020\n\n"
		   "[issuer]\nname = Luleå kommun\norg_nr = 212000-2742\nvat_nr = SE212000274201\n"
		   "address = Stadshuset\naddress = 971 85 Luleå\nbankgiro = 5050-1055\n"
		   "reference = Samordnaren\nmember = m0001\n\n"
		   "[invoice]\nnumber_prefix = 2020-\n\n"
		   "[files]\nmembers = members.csv\nusers = users.csv\nbudget = budget.csv\n"
		   "projects = projects.csv\noutput = output\ntemplates = templates\n\n");
	static const char *const q[] = {"Q1", "Q2", "Q3", "Q4"};
	static const char *const inv[] = {"2020-01-01", "2020-04-01", "2020-07-01", "2020-10-01"};
	for (int i = 0; i < 4; i++)
		fprintf(f, "[period %s]\ninvoice_date = %s\ncount_date = %s\n\n", q[i], inv[i], dates[i]);
	fprintf(f, "[pool grundbelopp]\ntext = Grundbelopp\nmethod = equal\n\n"
		   "[pool nyckel]\ntext = Utvecklingsbelopp\nmethod = key\nkey = andel\n\n"
		   "[pool avgift]\ntext = Användaravgift\nmethod = per_user\nentry_factor = 2\n\n"
		   "[pool projekt]\ntext = Projekt\nmethod = projects\n");
	fclose(f);
	return 0;
}
