/* test_config.c - the INI file: every error names its line. */
#include "base/file.h"
#include "harness.h"

#include <fcntl.h>

#include "base/diag.h"
#include "base/util.h"
#include "model/config.h"
#include "model/csvfile.h"

static const char good[] =
	"[cooperation]\n"
	"name = Test\n"
	"year = 2016\n"
	"[issuer]\n"
	"name = Luleå kommun\n"
	"org_nr = 212000-2742\n"
	"vat_nr = SE212000274201\n"
	"address = Stadshuset\n"
	"address = 971 85 Luleå\n"
	"bankgiro = 5050-1055\n"
	"[files]\n"
	"members = m.csv\n"
	"budget = ../b.csv\n"
	"output = out\n"
	"[period H1]\n"
	"invoice_date = 2016-01-01\n"
	"[period H2]\n"
	"invoice_date = 2016-07-01\n"
	"[pool bas]\n"
	"method = equal\n"
	"periods = H1\n";

/* Load text as a config; return what was printed on stderr (malloc'd). */
static char *load(const char *text, int *rc, struct config *cfg)
{
	const char *path = temp_file(text, strlen(text));
	char ini[80];
	snprintf(ini, sizeof ini, "%s", path);
	char errfile[] = "/tmp/samfakt-err-XXXXXX";
	int fd = mkstemp(errfile);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	diag_reset();
	*rc = config_load(cfg, ini);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	size_t len;
	char *out = read_file(errfile, 1 << 20, &len, "");
	unlink(errfile);
	unlink(ini);
	/* Messages name the temporary file: replace it with "X". */
	struct strbuf sb = {0};
	for (char *p = out; *p;) {
		if (strncmp(p, ini, strlen(ini)) == 0) {
			sb_adds(&sb, "X");
			p += strlen(ini);
		} else {
			sb_add(&sb, p++, 1);
		}
	}
	free(out);
	if (!sb.buf)
		sb_adds(&sb, "");
	return sb.buf;
}

static void reads_a_good_file(void **state)
{
	(void)state;
	struct config cfg;
	int rc;
	char *err = load(good, &rc, &cfg);
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	assert_string_equal(cfg.name, "Test");
	assert_int_equal(cfg.issuer.address.n, 2);
	assert_string_equal(cfg.issuer.address.items[1], "971 85 Luleå");
	assert_int_equal(cfg.terms_days, 30);
	assert_int_equal(cfg.vat_rate, 25);
	assert_int_equal(cfg.nperiods, 2);
	assert_int_equal(cfg.pools[0].nperiods, 1);
	/* the service periods: the year cut at the invoice dates */
	char d[DATE_BUFSZ];
	assert_string_equal(date_format(cfg.periods[0].start, d), "2016-01-01");
	assert_string_equal(date_format(cfg.periods[0].end, d), "2016-06-30");
	assert_string_equal(date_format(cfg.periods[1].start, d), "2016-07-01");
	assert_string_equal(date_format(cfg.periods[1].end, d), "2016-12-31");
	assert_string_equal(cfg.issuer.peppol_id, "0007:2120002742");
	assert_string_equal(cfg.vat_category, "S");
	assert_non_null(strstr(cfg.members_path, "/m.csv"));
	assert_string_equal(strrchr(cfg.journal_path, '/'), "/fakturajournal.csv");
	free(err);
	config_release(&cfg);
}

/* Replace the first occurrence of from in good with to, load, and check
 * the message. */
static void expect_error(const char *from, const char *to, const char *message)
{
	const char *at = strstr(good, from);
	assert_non_null(at);
	char *text = xasprintf("%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	struct config cfg;
	int rc;
	char *err = load(text, &rc, &cfg);
	if (rc != -1 || !strstr(err, message))
		fail_msg("replacing '%s' by '%s': rc %d, stderr:\n%s\nwanted: %s", from, to, rc, err,
			 message);
	free(err);
	free(text);
	config_release(&cfg);
}

static void every_error_names_its_line(void **state)
{
	(void)state;
	expect_error("year = 2016", "year = 2016\ncolour = red",
		     "X:4: error: unknown key in [cooperation]: 'colour'");
	expect_error("[files]", "[filez]", "X:11: error: unknown section: '[filez]'");
	expect_error("year = 2016", "year = 2016\nyear = 2017", "X:4: error: 'year' is set twice (first on line 3)");
	expect_error("org_nr = 212000-2742", "org_nr = 212000-2743",
		     "X:6: error: invalid organisation number");
	expect_error("bankgiro = 5050-1055", "bankgiro = 5050-1056", "X:10: error: invalid Bankgiro number");
	expect_error("invoice_date = 2016-07-01", "invoice_date = 2016-02-30",
		     "X:18: error: 'invoice_date' is not a date (YYYY-MM-DD): '2016-02-30'");
	expect_error("invoice_date = 2016-07-01", "invoice_date = 2015-07-01",
		     "X:18: error: periods must be in date order");
	expect_error("method = equal", "method = lika", "X:20: error: unknown method: 'lika'");
	expect_error("periods = H1", "periods = H3", "X:21: error: pool 'bas': unknown period: 'H3'");
	expect_error("bankgiro = 5050-1055\n", "", "X:4: error: [issuer] needs 'bankgiro'");
	expect_error("[pool bas]", "[pool ../x]", "X:19: error: pool name must be letters");
	expect_error("year = 2016", "year = 2016\nthis is not a key", "X:4: error: not a section header");
	expect_error("name = Test", "name = Test\nvat_rate = 7", "X:3: error: unknown key in [cooperation]: 'vat_rate'");
	expect_error("[files]", "[invoice]\nvat_rate = 0\n[files]", "X:12: error: vat_rate = 0 needs a vat_note");
	expect_error("[files]", "[invoice]\nterms_days = 60\n[files]",
		     "X:12: error: 'terms_days' must be a whole number from 1 to 30: '60'");
	expect_error("method = equal", "method = key", "X:20: error: pool 'bas': method = key needs 'key'");
	/* what the e-invoices need */
	expect_error("vat_nr = SE212000274201\n", "", "X:6: error: [issuer] needs 'vat_nr': an invoice that charges VAT");
	expect_error("bankgiro = 5050-1055", "bankgiro = 5050-1055\npeppol_id = 0007:2120002743",
		     "X:11: error: invalid Peppol id (0007 takes a Swedish organisation number");
	expect_error("bankgiro = 5050-1055", "bankgiro = 5050-1055\npeppol_id = 9999:123",
		     "X:11: error: invalid Peppol id (the scheme is not in Peppol's list");
	expect_error("address = 971 85 Luleå", "address = Luleå",
		     "X:9: error: the issuer's last address line must be a postcode and city");
	expect_error("[files]", "[invoice]\nvat_rate = 0\nvat_note = Utanför\n[files]",
		     "X:12: error: vat_rate = 0 needs a vat_category");
	expect_error("[files]", "[invoice]\nvat_category = O\n[files]",
		     "X:12: error: vat_category = O charges no VAT, but vat_rate is 25");
	expect_error("[files]", "[invoice]\nvat_category = Z\n[files]",
		     "X:12: error: vat_category must be S (VAT charged), E (exempt) or O");
	expect_error("invoice_date = 2016-07-01", "invoice_date = 2016-07-01\nend = 2016-06-30",
		     "X:19: error: period 'H2' ends (2016-06-30) before it starts (2016-07-01)");
	expect_error("invoice_date = 2016-01-01", "invoice_date = 2016-01-01\nend = 2016-07-15",
		     "X:18: error: period 'H2' starts (2016-07-01) before period 'H1' ends (2016-07-15)");
}

static void long_lines_are_errors_not_truncations(void **state)
{
	(void)state;
	char *long_name = xmalloc(3000);
	memset(long_name, 'x', 2999);
	long_name[2999] = '\0';
	char *to = xasprintf("name = %s", long_name);
	expect_error("name = Test", to, "X:2: error: line longer than");
	free(to);
	free(long_name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_a_good_file),
		cmocka_unit_test(every_error_names_its_line),
		cmocka_unit_test(long_lines_are_errors_not_truncations),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
