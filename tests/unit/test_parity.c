/*-------------------------------------------------------------------------
 *
 * test_parity.c
 *	  Unit tests of premix_parity (shared/pmx_parity.c) and of the
 *	  MySQL/MariaDB side of the type table (shared/pmx_types_mysql.c).
 *
 * IDENTIFICATION
 *	  tests/unit/test_parity.c
 *
 *-------------------------------------------------------------------------
 */
#include "pmx_test.h"

#include "pmx_types.h"

/* premix_parity of two documents: the result, or the error message. */
static char *
parity(const char *a, const char *b)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *out = NULL;
	char	   *copy;

	if (pmx_parity(ctx, a, b, &out) != PMX_OK)
		out = (char *) pmx_ctx_error(ctx)->message;
	if (!out)
		out = "";
	copy = malloc(strlen(out) + 1);
	if (copy)
		memcpy(copy, out, strlen(out) + 1);
	pmx_ctx_free(ctx);
	return copy;
}

/* True when parity(a, b) is exactly want; prints what it got otherwise. */
static int
parity_is(const char *a, const char *b, const char *want)
{
	char	   *got = parity(a, b);
	int			ok = strcmp(got, want) == 0;

	if (!ok)
		printf("  (parity: got %s\n          want %s)\n", got, want);
	free(got);
	return ok;
}

/* True when parity(a, b) mentions needle. */
static int
parity_has(const char *a, const char *b, const char *needle)
{
	char	   *got = parity(a, b);
	int			ok = strstr(got, needle) != NULL;

	if (!ok)
		printf("  (parity: got %s, want it to mention %s)\n", got, needle);
	free(got);
	return ok;
}

#define SQ(cols) "{\"dialect\": \"sqlite\", \"tables\": [{\"name\": \"t\", \"columns\": [" cols "]}]}"
#define PG(cols) "{\"dialect\": \"postgresql\", \"tables\": [{\"name\": \"t\", \"columns\": [" cols "]}]}"
#define MY(cols) "{\"dialect\": \"mysql\", \"tables\": [{\"name\": \"t\", \"columns\": [" cols "]}]}"
#define COL(n, t) "{\"name\": \"" n "\", \"type\": \"" t "\"}"

TEST(equal_documents_have_no_mismatch)
{
	CHECK(parity_is(SQ(COL("a", "integer")), SQ(COL("a", "integer")), "[]"));
}

TEST(sqlite_integers_match_any_width)
{
	CHECK(parity_is(SQ(COL("a", "integer")), PG(COL("a", "bigint")), "[]"));
	CHECK(parity_is(PG(COL("a", "smallint")), SQ(COL("a", "integer")), "[]"));
}

TEST(wider_integer_elsewhere_is_a_mismatch)
{
	CHECK(parity_has(PG(COL("a", "integer")), PG(COL("a", "bigint")), "integer width differs: 32 vs 64 bits"));
	CHECK(parity_has(MY(COL("a", "int(11)")), PG(COL("a", "bigint")), "32 vs 64"));
	CHECK(parity_has(MY(COL("a", "tinyint(4)")), PG(COL("a", "smallint")), "8 vs 16"));
}

TEST(json_jsonb_and_mariadb_json_are_one_family)
{
	CHECK(parity_is(SQ(COL("a", "json")), PG(COL("a", "jsonb")), "[]"));
	CHECK(parity_is("{\"dialect\": \"mysql\", \"tables\": [{\"name\": \"t\", \"columns\": [" COL("a", "longtext")
					"], \"checks\": [{\"name\": \"a\", \"expression\": \"json_valid(`a`)\"}]}]}",
					PG(COL("a", "jsonb")), "[]"));
}

TEST(string_lengths)
{
	CHECK(parity_has(SQ(COL("a", "varchar(50)")), PG(COL("a", "varchar(80)")), "string length differs: 50 vs 80"));
	CHECK(parity_has(SQ(COL("a", "text")), PG(COL("a", "varchar(80)")), "limited on one side only"));
	CHECK(parity_is(MY(COL("a", "longtext")), SQ(COL("a", "text")), "[]"));
}

TEST(boolean_spellings)
{
	CHECK(parity_is(MY("{\"name\": \"a\", \"type\": \"tinyint(1)\", \"default\": \"1\"}"),
					PG("{\"name\": \"a\", \"type\": \"boolean\", \"default\": \"true\"}"), "[]"));
	CHECK(parity_has(SQ(COL("a", "integer")), PG(COL("a", "boolean")), "integer vs boolean"));
}

TEST(defaults_normalized)
{
	CHECK(parity_is(SQ("{\"name\": \"a\", \"type\": \"text\", \"default\": \"'x'\"}"),
					PG("{\"name\": \"a\", \"type\": \"text\", \"default\": \"'x'::text\"}"), "[]"));
	CHECK(parity_is(MY("{\"name\": \"a\", \"type\": \"datetime(6)\", \"default\": \"current_timestamp(6)\"}"),
					PG("{\"name\": \"a\", \"type\": \"timestamp\", \"default\": \"now()\"}"), "[]"));
	CHECK(parity_has(SQ("{\"name\": \"a\", \"type\": \"text\", \"default\": \"'x'\"}"),
					 PG("{\"name\": \"a\", \"type\": \"text\", \"default\": \"'y'::text\"}"), "different defaults"));
}

TEST(timestamptz_on_sqlite_is_explained)
{
	CHECK(parity_has(SQ(COL("a", "text")), PG(COL("a", "timestamptz")), "SQLite has no time-zone type"));
}

TEST(serial_counts_as_identity)
{
	CHECK(parity_is(PG("{\"name\": \"id\", \"type\": \"integer\", \"nullable\": false, \"default\": \"nextval('t_id_seq'::regclass)\"}"),
					SQ("{\"name\": \"id\", \"type\": \"integer\", \"nullable\": false, \"identity\": \"by default\"}"), "[]"));
}

TEST(tables_and_columns_on_one_side)
{
	CHECK(parity_has(SQ(COL("a", "text")), "{\"dialect\": \"sqlite\", \"tables\": []}", "table only in A"));
	CHECK(parity_has(SQ(COL("a", "text") "," COL("b", "text")), PG(COL("a", "text")), "column only in A"));
}

TEST(keys_and_indexes_by_definition)
{
	const char *a = "{\"dialect\": \"sqlite\", \"tables\": [{\"name\": \"p\", \"columns\": [" COL("id", "integer") "], \"primary_key\": {\"columns\": [\"id\"]}},"
		"{\"name\": \"t\", \"columns\": [" COL("id", "integer") "," COL("p", "integer") "],"
		"\"foreign_keys\": [{\"columns\": [\"p\"], \"ref_table\": \"p\", \"ref_columns\": [\"id\"], \"on_delete\": \"cascade\"}],"
		"\"indexes\": [{\"name\": \"ix_sqlite\", \"columns\": [\"p\"]}]}]}";
	const char *b_same = "{\"dialect\": \"postgresql\", \"tables\": [{\"name\": \"p\", \"columns\": [{\"name\": \"id\", \"type\": \"integer\", \"nullable\": false}], \"primary_key\": {\"name\": \"p_pkey\", \"columns\": [\"id\"]}},"
		"{\"name\": \"t\", \"columns\": [" COL("id", "integer") "," COL("p", "integer") "],"
		"\"foreign_keys\": [{\"name\": \"t_p_fkey\", \"columns\": [\"p\"], \"ref_table\": \"p\", \"ref_columns\": [\"id\"], \"on_delete\": \"cascade\"}],"
		"\"indexes\": [{\"name\": \"ix_pg\", \"columns\": [\"p\"]}]}]}";
	const char *b_other = "{\"dialect\": \"postgresql\", \"tables\": [{\"name\": \"p\", \"columns\": [{\"name\": \"id\", \"type\": \"integer\", \"nullable\": false}], \"primary_key\": {\"columns\": [\"id\"]}},"
		"{\"name\": \"t\", \"columns\": [" COL("id", "integer") "," COL("p", "integer") "],"
		"\"foreign_keys\": [{\"columns\": [\"p\"], \"ref_table\": \"p\", \"ref_columns\": [\"id\"], \"on_delete\": \"restrict\"}]}]}";

	CHECK(parity_is(a, b_same, "[]"));
	CHECK(parity_has(a, b_other, "on delete cascade"));
	CHECK(parity_has(a, b_other, "index (p)"));
}

/* What InnoDB cannot tell apart is no mismatch when a side is MySQL, and only then. */
TEST(mysql_unique_keys_and_restrict)
{
#define TBL(d, extra) "{\"dialect\": \"" d "\", \"tables\": [{\"name\": \"p\", \"columns\": [" COL("id", "integer") "]}," \
		"{\"name\": \"t\", \"columns\": [" COL("id", "integer") "," COL("p", "integer") "], " extra "}]}"
	const char *pg_uix = TBL("postgresql", "\"indexes\": [{\"name\": \"t_id_key\", \"columns\": [\"id\"], \"unique\": true}]");
	const char *my_uq = TBL("mysql", "\"unique\": [{\"name\": \"id\", \"columns\": [\"id\"]}]");
	const char *pg_uq = TBL("postgresql", "\"unique\": [{\"name\": \"t_id_key\", \"columns\": [\"id\"]}]");
	const char *pg_fk = TBL("postgresql", "\"foreign_keys\": [{\"columns\": [\"p\"], \"ref_table\": \"p\", \"ref_columns\": [\"id\"]}]");
	const char *my_fk = TBL("mysql", "\"foreign_keys\": [{\"name\": \"t_ibfk_1\", \"columns\": [\"p\"], \"ref_table\": \"p\", \"ref_columns\": [\"id\"], \"on_delete\": \"restrict\", \"on_update\": \"restrict\"}]");
	const char *pg_fk_restrict = TBL("postgresql", "\"foreign_keys\": [{\"columns\": [\"p\"], \"ref_table\": \"p\", \"ref_columns\": [\"id\"], \"on_delete\": \"restrict\"}]");
#undef TBL

	CHECK(parity_is(pg_uix, my_uq, "[]"));
	CHECK(parity_is(my_uq, pg_uix, "[]"));
	CHECK(parity_has(pg_uix, pg_uq, "index only in A"));	/* PostgreSQL keeps both kinds */
	CHECK(parity_is(pg_fk, my_fk, "[]"));
	CHECK(parity_has(pg_fk, pg_fk_restrict, "foreign key actions differ"));
}

TEST(decimal_default_zeros)
{
	CHECK(parity_is(MY("{\"name\": \"a\", \"type\": \"decimal(12,2)\", \"default\": \"0.00\"}"),
					PG("{\"name\": \"a\", \"type\": \"numeric(12,2)\", \"default\": \"0\"}"), "[]"));
	CHECK(parity_is(MY("{\"name\": \"a\", \"type\": \"decimal(12,2)\", \"default\": \"-1.50\"}"),
					PG("{\"name\": \"a\", \"type\": \"numeric(12,2)\", \"default\": \"'-1.5'::numeric\"}"), "[]"));
	CHECK(parity_is(MY("{\"name\": \"a\", \"type\": \"decimal(12,2)\", \"default\": \"-1.50\"}"),
					PG("{\"name\": \"a\", \"type\": \"numeric(12,2)\", \"default\": \"-1.5\"}"), "[]"));
	CHECK(parity_has(PG("{\"name\": \"a\", \"type\": \"text\", \"default\": \"'1.50x'\"}"),
					 PG("{\"name\": \"a\", \"type\": \"text\", \"default\": \"'1.5x'\"}"), "different defaults"));
	CHECK(parity_has(MY("{\"name\": \"a\", \"type\": \"decimal(12,2)\", \"default\": \"10.00\"}"),
					 PG("{\"name\": \"a\", \"type\": \"numeric(12,2)\", \"default\": \"1\"}"), "different defaults"));
}

TEST(bad_input)
{
	CHECK(parity_has(NULL, SQ(COL("a", "text")), "is NULL"));
	CHECK(parity_has("{\"tables\": []}", SQ(COL("a", "text")), "has no \"dialect\""));
	CHECK(parity_has("{\"dialect\": \"oracle\", \"tables\": []}", SQ(COL("a", "text")), "unknown dialect"));
	CHECK(parity_has("{\"dialect\": ", SQ(COL("a", "text")), "malformed JSON"));
}

/* True when the MariaDB spelling of type is want. */
static int
mysql_renders_as(const char *type, const char *want)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *got = pmx_mysql_type_render(ctx, type);
	int			ok = got && strcmp(got, want) == 0;

	if (!ok)
		printf("  (render \"%s\": got %s, want %s)\n", type, got ? got : "NULL", want);
	pmx_ctx_free(ctx);
	return ok;
}

/* True when information_schema's COLUMN_TYPE ct reports as want. */
static int
mysql_reports_as(const char *ct, const char *want)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *got = pmx_mysql_type_report(ctx, ct);
	int			ok = got && strcmp(got, want) == 0;

	if (!ok)
		printf("  (report \"%s\": got %s, want %s)\n", ct, got ? got : "NULL", want);
	pmx_ctx_free(ctx);
	return ok;
}

TEST(mysql_type_render)
{
	CHECK(mysql_renders_as("integer", "INT"));
	CHECK(mysql_renders_as("boolean", "TINYINT(1)"));
	CHECK(mysql_renders_as("numeric(10,2)", "DECIMAL(10,2)"));
	CHECK(mysql_renders_as("numeric", "DECIMAL(65,30)"));
	CHECK(mysql_renders_as("text", "LONGTEXT"));
	CHECK(mysql_renders_as("timestamp", "DATETIME(6)"));
	CHECK(mysql_renders_as("jsonb", "JSON"));
	CHECK(mysql_renders_as("MEDIUMINT", "MEDIUMINT"));
}

TEST(mysql_type_render_refuses_what_is_not_a_type)
{
	PmxCtx	   *ctx = test_ctx();

	CHECK(pmx_mysql_type_render(ctx, "int; DROP TABLE x") == NULL);
	CHECK(pmx_ctx_error(ctx)->code == PMX_E_INVALID);
	pmx_ctx_free(ctx);
}

TEST(mysql_type_report)
{
	CHECK(mysql_reports_as("int(11)", "integer"));
	CHECK(mysql_reports_as("bigint(20)", "bigint"));
	CHECK(mysql_reports_as("tinyint(1)", "boolean"));
	CHECK(mysql_reports_as("tinyint(4)", "tinyint(4)"));
	CHECK(mysql_reports_as("int(10) unsigned", "int(10) unsigned"));
	CHECK(mysql_reports_as("decimal(10,2)", "numeric(10,2)"));
	CHECK(mysql_reports_as("decimal(65,30)", "numeric"));
	CHECK(mysql_reports_as("longtext", "text"));
	CHECK(mysql_reports_as("varchar(50)", "varchar(50)"));
	CHECK(mysql_reports_as("datetime(6)", "timestamp"));
	CHECK(mysql_reports_as("timestamp", "timestamptz"));
	CHECK(mysql_reports_as("LONGBLOB", "bytes"));
}

int
main(void)
{
	RUN(equal_documents_have_no_mismatch);
	RUN(sqlite_integers_match_any_width);
	RUN(wider_integer_elsewhere_is_a_mismatch);
	RUN(json_jsonb_and_mariadb_json_are_one_family);
	RUN(string_lengths);
	RUN(boolean_spellings);
	RUN(defaults_normalized);
	RUN(timestamptz_on_sqlite_is_explained);
	RUN(serial_counts_as_identity);
	RUN(tables_and_columns_on_one_side);
	RUN(keys_and_indexes_by_definition);
	RUN(mysql_unique_keys_and_restrict);
	RUN(decimal_default_zeros);
	RUN(bad_input);
	RUN(mysql_type_render);
	RUN(mysql_type_render_refuses_what_is_not_a_type);
	RUN(mysql_type_report);
	return TEST_DONE();
}
