/* test_csv.c - CSV as Excel writes it: encodings, delimiters, line numbers. */
#include "harness.h"

#include "base/diag.h"
#include "base/util.h"
#include "model/csvfile.h"

static struct csv_table load(const char *text, int *rc)
{
	struct csv_table t;
	const char *path = temp_file(text, strlen(text));
	*rc = csv_table_load(&t, path);
	unlink(path);
	return t;
}

static void comma_and_semicolon(void **state)
{
	(void)state;
	int rc;
	struct csv_table t = load("id,name\nlulea,Luleå kommun\n", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(t.delimiter, ',');
	assert_int_equal(t.nrows, 1);
	assert_string_equal(csv_field(csv_next_row(&t), csv_table_column(&t, "name")), "Luleå kommun");
	assert_null(csv_next_row(&t));
	csv_table_release(&t);

	t = load("id;name;amount\nlulea;Luleå kommun;1 000,50\n", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(t.delimiter, ';');
	assert_string_equal(csv_field(csv_next_row(&t), 2), "1 000,50");
	csv_table_release(&t);
}

static void bom_crlf_and_windows1252(void **state)
{
	(void)state;
	int rc;
	struct csv_table t = load("\xEF\xBB\xBFid;name\r\nlulea;Lule\xC3\xA5\r\n", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(t.header[0], "id");	/* the BOM is gone */
	assert_string_equal(csv_next_row(&t)->fields[1], "Luleå");
	csv_table_release(&t);

	t = load("id;name\r\nlulea;Lule\xE5 \xD6verkalix\r\n", &rc);	/* Windows-1252 */
	assert_int_equal(rc, 0);
	assert_true(t.was_windows1252);
	assert_string_equal(csv_next_row(&t)->fields[1], "Luleå Överkalix");
	csv_table_release(&t);
}

static void line_numbers_follow_records(void **state)
{
	(void)state;
	int rc;
	struct csv_table t = load("id,address\n\na,\"Box 1\nKalmar\"\nb,x\n;;\n\nc,y\n", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(t.nrows, 4);
	const struct csv_row *r = csv_next_row(&t);
	assert_int_equal(r->line, 3);
	assert_string_equal(r->fields[1], "Box 1\nKalmar");
	assert_int_equal(csv_next_row(&t)->line, 5);
	r = csv_next_row(&t);
	assert_int_equal(r->line, 6);	/* ";;" is not blank in a comma-separated file */
	assert_string_equal(r->fields[0], ";;");
	assert_int_equal(csv_next_row(&t)->line, 8);
	assert_null(csv_next_row(&t));
	assert_null(csv_next_row(&t));
	csv_table_release(&t);
}

/* Old Mac line ends: one line holding every record. Each still comes out,
 * in order, with the fields of its own. */
static void records_in_one_line(void **state)
{
	(void)state;
	struct strbuf sb = {0};
	sb_adds(&sb, "id,n\r");
	for (int i = 0; i < 500; i++)
		sb_addf(&sb, "m%d,%d\r", i, i * 3);
	int rc;
	struct csv_table t = load(sb.buf, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(t.nrows, 500);
	int i = 0;
	for (const struct csv_row *r; (r = csv_next_row(&t)); i++) {
		char id[16], n[16];
		snprintf(id, sizeof id, "m%d", i);
		snprintf(n, sizeof n, "%d", i * 3);
		assert_string_equal(r->fields[0], id);
		assert_string_equal(r->fields[1], n);
	}
	assert_int_equal(i, 500);
	csv_table_release(&t);
	sb_release(&sb);

	/* the last record begun in the line that ended the one before it,
	 * and never ended itself: its fields are kept until it is */
	t = load("id,n,x\nm1,1,a\rm2,2,", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(t.nrows, 2);
	const struct csv_row *r = csv_next_row(&t);
	assert_string_equal(r->fields[0], "m1");
	r = csv_next_row(&t);
	assert_non_null(r);
	assert_int_equal(r->nfields, 3);
	assert_string_equal(r->fields[0], "m2");
	assert_string_equal(r->fields[1], "2");
	assert_null(csv_next_row(&t));
	csv_table_release(&t);
}

/* A file is read twice (checked and counted, then record by record). One
 * saved over in between must not give more records than were counted. */
static void a_file_changed_while_read_is_an_error(void **state)
{
	(void)state;
	diag_set_verbosity(-1);
	const char *path = temp_file("id\na\nb\n", 7);
	char keep[64];
	snprintf(keep, sizeof keep, "%s", path);
	struct csv_table t;
	assert_int_equal(csv_table_load(&t, keep), 0);
	assert_int_equal(t.nrows, 2);
	FILE *f = fopen(keep, "w");	/* the same file, rewritten in place */
	assert_non_null(f);
	fputs("id\na\nb\nc\nd\n", f);
	fclose(f);
	int before = diag_errors();
	size_t n = 0;
	while (csv_next_row(&t))
		n++;
	assert_true(n <= 2);
	assert_int_equal(diag_errors(), before + 1);
	csv_table_release(&t);
	unlink(keep);
}

static void bad_files_are_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",				/* empty */
		"\n\n",				/* blank */
		"id,name\na,\"open quote\n",	/* quote never closed */
		"id,name\na,\"x\"y\n",		/* text after a closing quote */
		"\xFF\xFEi\0d\0",		/* UTF-16 */
		"id,name\na,\x81\n",		/* neither UTF-8 nor Windows-1252 */
		"id,id\na,b\n",			/* duplicate column */
	};
	diag_set_verbosity(-1);
	for (size_t i = 0; i < COUNT(bad); i++) {
		int rc;
		size_t len = i == 4 ? 6 : strlen(bad[i]);
		struct csv_table t;
		const char *path = temp_file(bad[i], len);
		rc = csv_table_load(&t, path);
		unlink(path);
		if (rc != -1)
			fail_msg("case %zu was accepted", i);
	}
}

static void long_fields_are_errors(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	char *text = xmalloc(n + 32);
	strcpy(text, "id,name\na,");
	memset(text + 10, 'x', n);
	strcpy(text + 10 + n, "\n");
	int rc;
	struct csv_table t = load(text, &rc);
	assert_int_equal(rc, -1);
	(void)t;
	free(text);
}

static void written_cells_are_safe_in_spreadsheets(void **state)
{
	(void)state;
	struct strbuf sb = {0};
	csv_append_cell(&sb, "=HYPERLINK(\"x\")", 0, 1);
	csv_append_cell(&sb, "+1", 0, 0);
	csv_append_cell(&sb, "-5000.00", 1, 0);
	csv_append_cell(&sb, "@SUM(A1)", 0, 0);
	csv_append_cell(&sb, "a,b", 0, 0);
	csv_append_cell(&sb, "Luleå", 0, 0);
	assert_string_equal(sb.buf, "\"'=HYPERLINK(\"\"x\"\")\",'+1,-5000.00,'@SUM(A1),\"a,b\",Luleå");
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(comma_and_semicolon),
		cmocka_unit_test(bom_crlf_and_windows1252),
		cmocka_unit_test(line_numbers_follow_records),
		cmocka_unit_test(records_in_one_line),
		cmocka_unit_test(a_file_changed_while_read_is_an_error),
		cmocka_unit_test(bad_files_are_refused),
		cmocka_unit_test(long_fields_are_errors),
		cmocka_unit_test(written_cells_are_safe_in_spreadsheets),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
