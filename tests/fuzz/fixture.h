/* fixture.h - a small valid cooperation in memory, for the fuzz harnesses:
 * every pool method once, two periods, a member buying into a project. */
#ifndef SAMFAKT_FUZZ_FIXTURE_H
#define SAMFAKT_FUZZ_FIXTURE_H

#include <string.h>

#include "model/config.h"
#include "model/load.h"

static const char fixture_config[] =
	"[cooperation]\nname = F\nyear = 2020\n"
	"[issuer]\nname = F\norg_nr = 212000-2742\nvat_nr = SE212000274201\naddress = A\n"
	"address = 971 85 Luleå\nbankgiro = 5050-1055\n"
	"[files]\nmembers = m.csv\nusers = u.csv\nbudget = b.csv\nprojects = p.csv\noutput = o\noutcome = out.csv\n"
	"meetings = mt.csv\nrevisions = r.csv\n"
	"[period H1]\ninvoice_date = 2020-01-01\ncount_date = 2019-11-30\n"
	"[period H2]\ninvoice_date = 2020-07-01\ncount_date = 2020-05-31\n"
	"[pool a]\nmethod = equal\n[pool k]\nmethod = key\nkey = andel\n"
	"[pool u]\nmethod = per_user\n[pool p]\nmethod = projects\n";

/* In the order of enum input_file. */
static const char *const fixture_inputs[] = {
	"id,name,org_nr,population,address,reference,andel\n"
	"boden,Boden,212000-2718,27840,Box 1|961 86 Boden,IT-chef,2\n"
	"pitea,Piteå,212000-2726,41548,Box 2|941 28 Piteå,Ekonomi,3\n",
	"date,member,users\n2019-11-30,boden,3\n2019-11-30,pitea,5\n"
	"2020-05-31,boden,4\n2020-05-31,pitea,5\n",
	"pool,item,amount\na,x,300 000\nk,y,100 000\nu,z,80 000\n",
	"id,name,status,start,cost,participants,previous_cost\n"
	"portal,Portal,Pågående,2019,92 566,boden pitea,\n"
	"gammal,Gammal,Avslutad,2015,0,,\n"
	"kanal,Kanal,Pågående,2019-05-01,10 000,,50 000\n",
	"pool,item,amount\na,x,200 000\n",
	"date,body,note\n2020-02-26,E-nämnden,\n",
	"version,date,comment\n1.0,2019-12-11,Fastställd\n",
	"project,member,joined,left\nkanal,boden,,\nkanal,pitea,2020-03-01,\n",
	"pool,item,amount,bearer\na,x,310 000,\nk,y,95 000,boden\nu,z,80 000,\np,portal,90 000,\np,kanal,12 000,pitea\n",
};

/* Load the fixture, with input `replace` (or none, when it is -1) taken
 * from data instead. Returns 0 when everything loaded. */
static inline int fixture_load(struct model *model, int replace, const char *data, size_t len)
{
	memset(model, 0, sizeof *model);
	if (config_parse(&model->cfg, "f.ini", fixture_config, sizeof fixture_config - 1) != 0)
		__builtin_trap();
	for (int f = INPUT_MEMBERS; f <= INPUT_OUTCOME; f++) {
		const char *text = f == replace ? data : fixture_inputs[f];
		size_t n = f == replace ? len : strlen(fixture_inputs[f]);
		if (load_input_data(model, (enum input_file)f, "f.csv", text, n) != 0)
			return -1;
	}
	return 0;
}

#endif
