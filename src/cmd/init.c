/* init.c - samfakt init DIR: a new cooperation's folder, ready to fill in.
 *
 *   DIR/config/samverkan.ini   every key, commented; what only the host
 *                              knows (org.nr, Bankgiro) is a placeholder
 *                              that check refuses until it is filled in
 *   DIR/input/NAME.csv         the input files, each with its header row
 *   DIR/templates/             the business plan's template, a start that
 *                              uses only what every cooperation has
 *
 * Nothing is overwritten: DIR must be new or empty. */
#include "cmd/cmd.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/diag.h"
#include "base/home.h"
#include "base/util.h"
#include "keep/output.h"

static const char config_text[] =
	"; The configuration of one cooperation and one year (see samfakt(1),\n"
	"; samfakt.conf(5) and the README). Every key samfakt reads is here; the\n"
	"; ones commented out (;) are optional. Fill in what is marked, then run\n"
	"; 'samfakt check': it names every line still to do, in every file at once.\n"
	"\n"
	"[cooperation]\n"
	"name = Vår samverkan               ; the cooperation's name, printed on every invoice\n"
	"year = 2027\n"
	"notice_months = 12                 ; optional: the notice a member must give\n"
	"; leaving_period = H2              ; optional: the last period a leaving member pays\n"
	"\n"
	"[issuer]                           ; the host municipality, which bills the others\n"
	"name = Värdkommunen\n"
	"org_nr = NNNNNN-NNNN               ; fill in: the host's organisation number\n"
	"vat_nr = SENNNNNNNNNN01            ; fill in: SE + the org.nr's ten digits + 01\n"
	"address = Kommunhuset\n"
	"address = 123 45 Orten             ; the last line: postcode and city\n"
	"bankgiro = NNNN-NNNN               ; fill in: the Bankgiro number invoices are paid to\n"
	"reference = Ekonomiavdelningen     ; optional: \"Vår referens\"\n"
	"; email = ekonomi@example.se\n"
	"; phone = 012-345 67 00\n"
	"; peppol_id = 0007:NNNNNNNNNN      ; optional: default 0007: and the org.nr's digits\n"
	"; member = vard                    ; the host's own member id: its share is never invoiced\n"
	"\n"
	"[invoice]\n"
	"terms_days = 30\n"
	"number_prefix = 2027-\n"
	"; first_number = 1                 ; the series' first number; never changed once begun\n"
	"vat_rate = 25                      ; 0, 6, 12 or 25\n"
	"; vat_category = O                 ; with vat_rate = 0: O or E, and a vat_note\n"
	"; vat_note = Kostnadsfördelning inom samverkan, utanför momsens tillämpningsområde\n"
	"\n"
	"[files]\n"
	"members = ../input/members.csv\n"
	"budget = ../input/budget.csv\n"
	"; users = ../input/users.csv         ; for a per_user pool\n"
	"; projects = ../input/projects.csv   ; for a projects pool\n"
	"; participations = ../input/participations.csv ; who takes part in a project, from when\n"
	"output = ../output\n"
	"; journal = ../output/fakturajournal.csv ; the invoice journal (default: in output)\n"
	"; previous_budget = ../input/budget-2026.csv ; last year's, for the budget summary\n"
	"templates = ../templates\n"
	"meetings = ../input/meetings.csv\n"
	"revisions = ../input/revisions.csv\n"
	"; outcome = ../input/utfall-2027.csv ; after the year: its actual costs (follow-up, settlement)\n"
	"\n"
	"; [settlement]                     ; how the year's outcome is settled with the members\n"
	"; rule = none                      ; none | own_document | next_invoice\n"
	"\n"
	"; [ledger]                         ; for samfakt export sie: the host's accounts\n"
	"; receivable = 1510\n"
	"; vat = 2611                       ; with VAT\n"
	"; series = A                       ; the voucher series\n"
	"; prepaid = 2970                   ; prepaid income, for invoices issued before their year\n"
	"\n"
	"; [output]\n"
	"; csv = excel                      ; the CSVs for people: excel (Swedish Excel) | plain\n"
	"\n"
	"; [einvoice]\n"
	"; attach_pdf = yes                 ; the PDF inside the e-invoice: yes | no\n"
	"; max_size_kb = 5120               ; the largest e-invoice an access point takes\n"
	"\n"
	"; [sending]                        ; the Peppol access point's drop folder\n"
	"; outbox = /mnt/accesspoint/in\n"
	"; since = 2027-01-01               ; the first date whose documents go there\n"
	"\n"
	"[period H1]\n"
	"invoice_date = 2027-01-01\n"
	"text = januari–juni 2027\n"
	"; count_date = 2026-11-30          ; a per_user pool: the day the users are counted\n"
	"; start = 2027-01-01               ; the service period (default: from the invoice dates)\n"
	"; end = 2027-06-30\n"
	"\n"
	"[period H2]\n"
	"invoice_date = 2027-07-01\n"
	"text = juli–december 2027\n"
	"\n"
	"[pool grundbelopp]                 ; budget.csv's pool column\n"
	"text = Grundbelopp 2027\n"
	"method = equal                     ; equal | key | per_user | projects\n"
	"; periods = H1 H2                  ; the periods it is billed in (default: all)\n"
	"; key = andel                      ; method = key: a column of members.csv\n"
	"; fee_date = 2026-11-30            ; per_user: the users the fee is worked out from\n"
	"; annual_fee = 6000                ; per_user: a fixed fee per user instead\n"
	"; entry_factor = 2                 ; per_user: a new member's first twelve months\n"
	"; account = 3510                   ; with [ledger]: the income account\n"
	"; cost_centre = it                 ; with [ledger]: an SIE object, optional\n"
	"; settlement = own_document        ; its own settlement rule, when the agreement says so\n";

static const char plan_text[] =
	"# Inledning\n"
	"\n"
	"{{cooperation.name}} är en samverkan mellan {{members.count}} kommuner: {{members.list}}. "
	"Värdkommun är {{issuer.name}} ({{issuer.org_nr}}), som betalar de gemensamma kostnaderna "
	"och fakturerar de andra kommunerna deras andelar.\n"
	"\n"
	"Beskriv här samverkans uppdrag och mål för {{year}}.\n"
	"\n"
	"# Budget {{year}}\n"
	"\n"
	"Budgeten för {{year}} är {{budget.total}}.\n"
	"\n"
	"{{table.budget}}\n"
	"\n"
	"# Kommuner\n"
	"\n"
	"{{table.members}}\n"
	"\n"
	"# Sammanträden\n"
	"\n"
	"{{table.meetings}}\n"
	"\n"
	"# Revisionshistorik\n"
	"\n"
	"{{table.revisions}}\n";

static const struct {
	const char *name, *text;
} inputs[] = {
	{"members.csv", "id,name,org_nr,address,reference,population,joined,leaves,notice,peppol_id\n"},
	{"budget.csv", "pool,item,amount\n"},
	{"users.csv", "date,member,users\n"},
	{"projects.csv", "id,name,status,start,end,cost,participants,previous_cost,comment\n"},
	{"participations.csv", "project,member,joined,left\n"},
	{"meetings.csv", "date,body,note\n"},
	{"revisions.csv", "version,date,comment\n1.0,2027-01-01,Första versionen\n"},
};

/* Is dir absent, or an empty folder? */
static int is_new(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT;
	int empty = 1;
	for (struct dirent *e; empty && (e = readdir(d));)
		empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	closedir(d);
	return empty;
}

static int put(const char *dir, const char *sub, const char *name, const char *text, size_t len)
{
	char *folder = xasprintf("%s/%s", dir, sub);
	char *path = xasprintf("%s/%s", folder, name);
	int rc = output_mkdirs(folder) < 0 ? -1 : output_write(path, text, len, NULL);
	free(path);
	free(folder);
	return rc;
}

static enum exit_status init_folder(const char *dir)
{
	if (!is_new(dir)) {
		error_at(dir, 0, "is not a new or empty folder: init writes only into one (nothing was changed)");
		return EXIT_INPUT;
	}
	int rc = put(dir, "config", "samverkan.ini", config_text, strlen(config_text));
	for (size_t i = 0; rc == 0 && i < sizeof inputs / sizeof inputs[0]; i++)
		rc = put(dir, "input", inputs[i].name, inputs[i].text, strlen(inputs[i].text));
	if (rc == 0)
		rc = put(dir, "templates", "verksamhetsplan.md", plan_text, strlen(plan_text));
	if (rc == 0)
		note("init: a new cooperation in %s: fill in config/samverkan.ini and input/members.csv and budget.csv, then run 'samfakt check -c %s/config/samverkan.ini'",
		     dir, dir);
	return rc < 0 ? EXIT_WRITE : EXIT_DONE;
}

enum exit_status cmd_init(int argc, char **argv, const struct global_options *g)
{
	if (g->config_given || g->date_given)
		return usage_error("init takes a folder, and -q or -v, nothing else");
	if (argc < 2 || argv[1][0] == '-')
		return usage_error("init needs a folder, such as 'init samverkan'");
	if (argc > 2)
		return usage_error("init takes a folder, and -q or -v, nothing else");
	return init_folder(argv[1]);
}
