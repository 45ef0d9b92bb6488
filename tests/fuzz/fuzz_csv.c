/* fuzz_csv.c - libFuzzer harness: the first byte picks an input file
 * (members, users, budget, projects), the rest is its content; the other
 * files are a small valid cooperation. Whatever loads is validated and
 * allocated, and the allocation must add up. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "allocate.h"
#include "config.h"
#include "diag.h"
#include "load.h"
#include "validate.h"

static const char config_text[] =
	"[cooperation]\nname = F\nyear = 2020\n"
	"[issuer]\nname = F\norg_nr = 212000-2742\naddress = A\nbankgiro = 5050-1055\n"
	"[files]\nmembers = m.csv\nusers = u.csv\nbudget = b.csv\nprojects = p.csv\noutput = o\n"
	"[period H1]\ninvoice_date = 2020-01-01\ncount_date = 2019-11-30\n"
	"[period H2]\ninvoice_date = 2020-07-01\ncount_date = 2020-05-31\n"
	"[pool a]\nmethod = equal\n[pool k]\nmethod = key\nkey = andel\n"
	"[pool u]\nmethod = per_user\n[pool p]\nmethod = projects\n";

static const char *const fixed[] = {
	"id,name,org_nr,population,address,andel\n"
	"boden,Boden,212000-2718,27840,Box 1,2\npitea,Piteå,212000-2726,41548,Box 2,3\n",
	"date,member,users\n2019-11-30,boden,3\n2019-11-30,pitea,5\n"
	"2020-05-31,boden,4\n2020-05-31,pitea,5\n",
	"pool,item,amount\na,x,300 000\nk,y,100 000\nu,z,80 000\n",
	"id,name,cost,participants\nportal,Portal,92 566,boden pitea\n",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	diag_set_verbosity(-2);
	enum input_file which = (enum input_file)(data[0] % 4);
	struct model model;
	memset(&model, 0, sizeof model);
	if (config_parse(&model.cfg, "f.ini", config_text, sizeof config_text - 1) != 0)
		__builtin_trap();
	int ok = 1;
	for (int f = INPUT_MEMBERS; f <= INPUT_PROJECTS && ok; f++) {
		const char *text = f == (int)which ? (const char *)data + 1 : fixed[f];
		size_t len = f == (int)which ? size - 1 : strlen(fixed[f]);
		ok = load_input_data(&model, (enum input_file)f, "f.csv", text, len) == 0;
	}
	struct allocation a;
	memset(&a, 0, sizeof a);
	if (ok && validate_model(&model) == 0 && allocate(&model, &a) == 0) {
		/* equal and key pools: the shares add up to the budget exactly */
		for (size_t pi = 0; pi < 2; pi++) {
			money_t billed = 0;
			for (size_t p = 0; p < model.cfg.nperiods; p++)
				billed += a.pools[pi].billed[p];
			if (billed != a.pools[pi].annual)
				__builtin_trap();
		}
		for (size_t i = 0; i < a.ninvoices; i++)
			if (a.invoices[i].total != a.invoices[i].net + a.invoices[i].vat)
				__builtin_trap();
	}
	allocation_release(&a);
	model_release(&model);
	return 0;
}
