/*-------------------------------------------------------------------------
 *
 * test_types_pg.c
 *	  Unit tests of the PostgreSQL side of the type table
 *	  (shared/pmx_types_pg.c): reading format_type() spellings back to
 *	  portable names, spelling target types for DDL, the type-name check,
 *	  the classification of type changes -- and of pmx_sql_target_expr()
 *	  (shared/pmx_sqltext.c), which keeps PostgreSQL target expressions as
 *	  written once PostgreSQL's quoting rules find them to be one
 *	  expression.
 *
 * IDENTIFICATION
 *	  tests/unit/test_types_pg.c
 *
 *-------------------------------------------------------------------------
 */
#include "pmx_test.h"

#include "pmx_sql.h"
#include "pmx_types.h"

/* True when pmx_pg_type_report reads format_type() spelling ft as want. */
static int
reports_as(const char *ft, const char *want)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *got = pmx_pg_type_report(ctx, ft);
	int			ok = got && strcmp(got, want) == 0 &&
		pmx_ctx_error(ctx)->code == PMX_E_NONE;

	if (!ok)
		printf("  (report \"%s\": got %s, want %s)\n", ft, got ? got : "NULL", want);
	pmx_ctx_free(ctx);
	return ok;
}

/* True when pmx_pg_type_render spells target type as want, without error. */
static int
renders_as(const char *type, const char *want)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *got = pmx_pg_type_render(ctx, type);
	int			ok = got && strcmp(got, want) == 0 &&
		pmx_ctx_error(ctx)->code == PMX_E_NONE;

	if (!ok)
		printf("  (render \"%s\": got %s, want %s)\n", type, got ? got : "NULL", want);
	pmx_ctx_free(ctx);
	return ok;
}

/* True when pmx_pg_type_render refuses type: NULL, PMX_E_INVALID, a message naming it. */
static int
render_refuses(const char *type)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *got = pmx_pg_type_render(ctx, type);
	const PmxError *e = pmx_ctx_error(ctx);
	int			ok = got == NULL && e->code == PMX_E_INVALID && e->message &&
		strstr(e->message, "not a type name") && strlen(e->sqlstate) == 5 && e->hint;

	if (!ok)
		printf("  (render \"%s\": got %s, error %d %s)\n", type, got ? got : "NULL",
			   (int) e->code, e->message ? e->message : "-");
	pmx_ctx_free(ctx);
	return ok;
}

/*
 * Classify from -> to on column "c": kind want, violation want_viol
 * (exact text, or NULL for none), rewrite want_rewrite (-1: either) and
 * needs_cast want_cast.
 */
static int
pg_change_is(const char *from, const char *to, PmxTypeChange want,
			 const char *want_viol, int want_rewrite, bool want_cast)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *viol = (char *) "unset";
	bool		rewrite = false,
				cast = false;
	PmxTypeChange k = pmx_pg_type_change(ctx, from, to, "c", &viol, &rewrite, &cast);
	int			ok = k == want &&
		(want_viol ? (viol && strcmp(viol, want_viol) == 0) : viol == NULL) &&
		(want_rewrite < 0 || rewrite == (want_rewrite != 0)) &&
		cast == want_cast && pmx_ctx_error(ctx)->code == PMX_E_NONE;

	if (!ok)
		printf("  (%s -> %s: got kind %d, violation %s, rewrite %d, needs_cast %d)\n",
			   from, to, (int) k, viol ? viol : "NULL", (int) rewrite, (int) cast);
	pmx_ctx_free(ctx);
	return ok;
}

/* True when the PostgreSQL target expression text is kept as want. */
static int
pg_expr_is(const char *text, const char *want)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *got = pmx_sql_target_expr(ctx, PMX_DIALECT_POSTGRES, text, "default");
	int			ok = got && strcmp(got, want) == 0 &&
		pmx_ctx_error(ctx)->code == PMX_E_NONE;

	if (!ok)
		printf("  (expr [%s]: got [%s], want [%s])\n", text,
			   got ? got : pmx_ctx_error(ctx)->message, want);
	pmx_ctx_free(ctx);
	return ok;
}

/* True when the PostgreSQL target expression text is refused: NULL, PMX_E_INVALID naming what. */
static int
pg_expr_refused(const char *text)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *got = pmx_sql_target_expr(ctx, PMX_DIALECT_POSTGRES, text, "tables[0].checks[1].expression");
	const PmxError *e = pmx_ctx_error(ctx);
	int			ok = got == NULL && e->code == PMX_E_INVALID && e->message &&
		strstr(e->message, "tables[0].checks[1].expression") && e->hint;

	if (!ok)
		printf("  (expr [%s]: got [%s], error %d)\n", text, got ? got : "NULL", (int) e->code);
	pmx_ctx_free(ctx);
	return ok;
}

/* format_type()'s long spellings read back as the portable names. */
TEST(report_maps_format_type_spellings)
{
	CHECK(reports_as("character varying(50)", "varchar(50)"));
	CHECK(reports_as("character(2)", "char(2)"));
	CHECK(reports_as("numeric(12,2)", "numeric(12,2)"));
	CHECK(reports_as("double precision", "double"));
	CHECK(reports_as("bytea", "bytes"));
	CHECK(reports_as("timestamp with time zone", "timestamptz"));
	CHECK(reports_as("timestamp without time zone", "timestamp"));
	CHECK(reports_as("time without time zone", "time"));
	/* names format_type() already spells portably */
	CHECK(reports_as("integer", "integer"));
	CHECK(reports_as("smallint", "smallint"));
	CHECK(reports_as("bigint", "bigint"));
	CHECK(reports_as("boolean", "boolean"));
	CHECK(reports_as("real", "real"));
	CHECK(reports_as("text", "text"));
	CHECK(reports_as("date", "date"));
	CHECK(reports_as("uuid", "uuid"));
	CHECK(reports_as("json", "json"));
	CHECK(reports_as("jsonb", "jsonb"));
}

/*
 * Spellings with no portable name come back exactly as given, arrays of
 * parameterized types and out-of-range lengths included.
 */
TEST(report_passes_through_other_spellings)
{
	CHECK(reports_as("text[]", "text[]"));
	CHECK(reports_as("mood", "mood"));
	CHECK(reports_as("character varying", "character varying"));
	CHECK(reports_as("numeric", "numeric"));
	CHECK(reports_as("integer[]", "integer[]"));
	CHECK(reports_as("time with time zone", "time with time zone"));
	CHECK(reports_as("timestamp(3) with time zone", "timestamp(3) with time zone"));
	CHECK(reports_as("public.\"Mood\"", "public.\"Mood\""));
	CHECK(reports_as("", ""));
	CHECK(reports_as("character varying(50)[]", "character varying(50)[]"));
	CHECK(reports_as("numeric(12,2)[]", "numeric(12,2)[]"));
	CHECK(reports_as("character(2)[]", "character(2)[]"));
	CHECK(reports_as("character varying(4294967295)", "character varying(4294967295)"));
}

/* double and bytes are spelled the PostgreSQL way; other portable names are PostgreSQL names already. */
TEST(render_maps_portable_names)
{
	CHECK(renders_as("double", "double precision"));
	CHECK(renders_as("bytes", "bytea"));
	CHECK(renders_as("varchar(5)", "varchar(5)"));
	CHECK(renders_as("char(3)", "char(3)"));
	CHECK(renders_as("numeric(10,2)", "numeric(10,2)"));
	CHECK(renders_as("numeric", "numeric"));
	CHECK(renders_as("integer", "integer"));
	CHECK(renders_as("timestamptz", "timestamptz"));
	CHECK(renders_as("jsonb", "jsonb"));
	CHECK(renders_as("uuid", "uuid"));
}

/* Valid non-portable type names go to DDL as written. */
TEST(render_passes_valid_non_portable_names)
{
	CHECK(renders_as("citext", "citext"));
	CHECK(renders_as("text[]", "text[]"));
	CHECK(renders_as("public.mood", "public.mood"));
	CHECK(renders_as("\"Mood\"", "\"Mood\""));
	CHECK(renders_as("timestamp(3) with time zone", "timestamp(3) with time zone"));
	CHECK(renders_as("character varying(20)", "character varying(20)"));
	CHECK(renders_as("double precision", "double precision"));
}

/* Anything that is not a type name never reaches DDL. */
TEST(render_refuses_invalid_names)
{
	CHECK(render_refuses("text; DROP TABLE x"));
	CHECK(render_refuses("int)"));
	CHECK(render_refuses("'x'"));
	CHECK(render_refuses(""));
	CHECK(render_refuses("varchar(a)"));
	CHECK(render_refuses("int /* open"));
}

/* pmx_pg_valid_type_name accepts PostgreSQL's type name forms. */
TEST(valid_type_name_accepts_pg_forms)
{
	static const char *const good[] = {
		"integer", "timestamp(3) with time zone", "public.mood", "\"Mood\"",
		"text[]", "integer[][]", "numeric(10, 2)", "character varying(20)",
		"double precision", "varchar(50)", "public.\"My Type\"", "bit varying(8)",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
	{
		CHECK(pmx_pg_valid_type_name(good[i]));
		if (!pmx_pg_valid_type_name(good[i]))
			printf("  (\"%s\" refused)\n", good[i]);
	}
}

/*
 * pmx_pg_valid_type_name refuses strings, ';', comments, bad parameter
 * lists, unclosed brackets and anything inside "[...]" but digits.
 */
TEST(valid_type_name_rejects_non_types)
{
	static const char *const bad[] = {
		"", "text;", "varchar(a)", "x[", "'s'", "a(1)(2)", "int)", "(int)",
		"text; DROP TABLE x", "numeric(1,2,3)", "varchar()", "a b'c'", ";",
		"int -- x", "int /* x */", "text[; DROP TABLE x]", "`x; y`", "public.",
		"int /* /* */ [ */ ) ; DROP TABLE users; CREATE TABLE z (b int []",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		CHECK(!pmx_pg_valid_type_name(bad[i]));
		if (pmx_pg_valid_type_name(bad[i]))
			printf("  (\"%s\" accepted)\n", bad[i]);
	}
}

/* varchar growth and varchar -> text are binary-coercible: no rewrite. */
TEST(change_string_widening_without_rewrite)
{
	CHECK(pg_change_is("varchar(10)", "varchar(20)", PMX_TC_WIDEN, NULL, 0, false));
	CHECK(pg_change_is("varchar(10)", "varchar(10)", PMX_TC_WIDEN, NULL, 0, false));
	CHECK(pg_change_is("varchar(10)", "text", PMX_TC_WIDEN, NULL, 0, false));
	CHECK(pg_change_is("text", "text", PMX_TC_WIDEN, NULL, 0, false));
}

/* char(n) -> text/varchar keeps every value but is not binary-coercible. */
TEST(change_char_to_text_widens_with_rewrite)
{
	CHECK(pg_change_is("char(5)", "text", PMX_TC_WIDEN, NULL, 1, false));
	CHECK(pg_change_is("char(5)", "varchar(5)", PMX_TC_WIDEN, NULL, 1, false));
}

/* Shorter strings narrow, with a length predicate over the quoted column. */
TEST(change_string_narrowing_has_length_violation)
{
	CHECK(pg_change_is("varchar(20)", "varchar(10)", PMX_TC_NARROW, "length(\"c\") > 10", -1, false));
	CHECK(pg_change_is("text", "varchar(5)", PMX_TC_NARROW, "length(\"c\") > 5", -1, false));
	CHECK(pg_change_is("text", "char(3)", PMX_TC_NARROW, "length(\"c\") > 3", -1, false));
	CHECK(pg_change_is("varchar(9)", "char(3)", PMX_TC_NARROW, "length(\"c\") > 3", -1, false));
}

/* The violation predicate quotes the column name it is given. */
TEST(change_violation_quotes_column_name)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *viol = NULL;
	bool		rewrite,
				cast;

	CHECK(pmx_pg_type_change(ctx, "varchar(20)", "varchar(4)", "my \"col\"", &viol,
							 &rewrite, &cast) == PMX_TC_NARROW);
	CHECK(viol && strcmp(viol, "length(\"my \"\"col\"\"\") > 4") == 0);
	pmx_ctx_free(ctx);
}

/* Larger integers keep every value; the storage changes, so the table is rewritten. */
TEST(change_integer_widening_rewrites)
{
	CHECK(pg_change_is("integer", "bigint", PMX_TC_WIDEN, NULL, 1, false));
	CHECK(pg_change_is("smallint", "integer", PMX_TC_WIDEN, NULL, 1, false));
	CHECK(pg_change_is("smallint", "bigint", PMX_TC_WIDEN, NULL, 1, false));
}

/* Smaller integers narrow, with a NOT BETWEEN over the new type's range. */
TEST(change_integer_narrowing_has_range_violation)
{
	CHECK(pg_change_is("bigint", "integer", PMX_TC_NARROW,
					   "\"c\" NOT BETWEEN -2147483648 AND 2147483647", -1, false));
	CHECK(pg_change_is("integer", "smallint", PMX_TC_NARROW,
					   "\"c\" NOT BETWEEN -32768 AND 32767", -1, false));
}

/* More numeric precision at the same scale is a typmod change: no rewrite. */
TEST(change_numeric_precision_growth_without_rewrite)
{
	CHECK(pg_change_is("numeric(10,2)", "numeric(12,2)", PMX_TC_WIDEN, NULL, 0, false));
	CHECK(pg_change_is("numeric(10,2)", "numeric", PMX_TC_WIDEN, NULL, 0, false));
	/* more integer digits and more scale: every value fits, rewritten */
	CHECK(pg_change_is("numeric(10,2)", "numeric(12,4)", PMX_TC_WIDEN, NULL, 1, false));
}

/* Fewer integer digits narrow, with an abs() bound at the new integer digits. */
TEST(change_numeric_precision_shrink_narrows)
{
	CHECK(pg_change_is("numeric(12,2)", "numeric(10,2)", PMX_TC_NARROW, "abs(\"c\") >= 1e8", -1, false));
	CHECK(pg_change_is("numeric", "numeric(5,1)", PMX_TC_NARROW, "abs(\"c\") >= 1e4", -1, false));
}

/* Changes only the server can judge are counted over a CAST first. */
TEST(change_text_to_integer_needs_cast)
{
	CHECK(pg_change_is("text", "integer", PMX_TC_CONSTRAIN, NULL, 1, true));
	CHECK(pg_change_is("varchar(10)", "uuid", PMX_TC_CONSTRAIN, NULL, 1, true));
	CHECK(pg_change_is("text", "jsonb", PMX_TC_CONSTRAIN, NULL, 1, true));
}

/* json -> jsonb always casts but drops duplicate keys and spacing. */
TEST(change_json_to_jsonb_converts)
{
	CHECK(pg_change_is("json", "jsonb", PMX_TC_CONVERT, NULL, 1, false));
	CHECK(pg_change_is("jsonb", "json", PMX_TC_WIDEN, NULL, 1, false));
}

/*
 * Casts that always succeed but change values are conversions the server
 * must still be shown (range): fractions to integers, digits to real or
 * double, time of day to date, a time zone applied or dropped.
 */
TEST(change_lossy_casts_are_conversions)
{
	CHECK(pg_change_is("numeric(10,2)", "integer", PMX_TC_CONVERT, NULL, 1, true));
	CHECK(pg_change_is("double", "bigint", PMX_TC_CONVERT, NULL, 1, true));
	CHECK(pg_change_is("double", "real", PMX_TC_CONVERT, NULL, 1, true));
	CHECK(pg_change_is("bigint", "real", PMX_TC_CONVERT, NULL, 1, true));
	CHECK(pg_change_is("bigint", "double", PMX_TC_CONVERT, NULL, 1, true));
	CHECK(pg_change_is("timestamp", "date", PMX_TC_CONVERT, NULL, 1, true));
	CHECK(pg_change_is("timestamptz", "timestamp", PMX_TC_CONVERT, NULL, 1, true));
	CHECK(pg_change_is("timestamp", "timestamptz", PMX_TC_CONVERT, NULL, 1, true));
}

/* Exact conversions into a wider kind: real -> double, integer -> numeric, date -> timestamp. */
TEST(change_exact_cross_kind_widens)
{
	CHECK(pg_change_is("real", "double", PMX_TC_WIDEN, NULL, 1, false));
	CHECK(pg_change_is("integer", "double", PMX_TC_WIDEN, NULL, 1, false));
	CHECK(pg_change_is("bigint", "numeric", PMX_TC_WIDEN, NULL, 1, false));
	CHECK(pg_change_is("date", "timestamptz", PMX_TC_WIDEN, NULL, 1, false));
}

/* PostgreSQL target expressions are kept as written, trimmed of surrounding blanks. */
TEST(target_expr_pg_keeps_text_as_written)
{
	CHECK(pg_expr_is("  now()  ", "now()"));
	CHECK(pg_expr_is("\t\n now()\r\n", "now()"));
	CHECK(pg_expr_is("ARRAY['a'::text, 'b']", "ARRAY['a'::text, 'b']"));
	CHECK(pg_expr_is("$x$ it's; fine $x$", "$x$ it's; fine $x$"));
	CHECK(pg_expr_is("NOW( )", "NOW( )"));
	CHECK(pg_expr_is("$$a;b$$ || 'x'", "$$a;b$$ || 'x'"));
	CHECK(pg_expr_is("'{}'::jsonb", "'{}'::jsonb"));
}

/* PostgreSQL's quoting rules: ';' ',' '--' inside strings, names and E'' escapes are content. */
TEST(target_expr_pg_follows_quoting_rules)
{
	CHECK(pg_expr_is("'a;b, c -- d /* e'", "'a;b, c -- d /* e'"));
	CHECK(pg_expr_is("'it''s; ok'", "'it''s; ok'"));
	CHECK(pg_expr_is("E'it\\'s; ok'", "E'it\\'s; ok'"));
	CHECK(pg_expr_is("\"we;ird, \"\"name\"\"\" > 0", "\"we;ird, \"\"name\"\"\" > 0"));
	CHECK(pg_expr_is("coalesce(a, b)", "coalesce(a, b)"));
	CHECK(pg_expr_is("a = ANY (ARRAY[1, 2][1:2])", "a = ANY (ARRAY[1, 2][1:2])"));
	CHECK(pg_expr_is("$1 + $2", "$1 + $2"));
	/* an escaped quote in an E'' string does not close it */
	CHECK(pg_expr_refused("E'a\\'; DROP TABLE t"));
	/* '' inside a standard string does not close it either */
	CHECK(pg_expr_refused("'a''; DROP TABLE t"));
}

/*
 * Anything but one closed expression is refused with PMX_E_INVALID naming
 * where it was -- also behind dollar-quote tags that start with '_' or a
 * non-ASCII byte, and identifiers holding '$' (which open no quote).
 */
TEST(target_expr_pg_refuses_non_expressions)
{
	static const char *const bad[] = {
		"1; DROP TABLE t", "1, 2", "a -- c", "a /* c */", "'open", "$$open",
		"(1", "1)", "", "   ", "\"open", "$x$ a $y$", "ARRAY[1", "1]", ";",
		"now();", "a /* ; */ b", "E'open\\'",
		/* a dollar quote that hides '[' and ']' from SQLite's rules */
		"$$[$$) ; DROP TABLE users; CREATE TABLE z (b int /*]*/",
		"$_$'$_$; DROP TABLE t; SELECT $_$'$_$",
		"$\xc3\xa9$'$\xc3\xa9$; DROP TABLE t; SELECT $\xc3\xa9$'$\xc3\xa9$",
		"a$y$; DROP TABLE t; SELECT a$y$",
		"a$y$)); DROP TABLE users; SELECT 1 FROM t3 WHERE ((a$y$",
		"xe'\\'; DROP TABLE t; --'",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(pg_expr_refused(bad[i]));
}

/* On SQLite the target expression is the canonical spelling. */
TEST(target_expr_sqlite_canonicalizes)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *got = pmx_sql_target_expr(ctx, PMX_DIALECT_SQLITE, "NOW( )", "default");
	char	   *canon = pmx_sql_canon_expr(ctx, "NOW( )", "default");

	CHECK(got && strcmp(got, "now()") == 0);
	CHECK(got && canon && strcmp(got, canon) == 0);
	got = pmx_sql_target_expr(ctx, PMX_DIALECT_SQLITE, "  (A  +  1) ", "default");
	CHECK(got && strcmp(got, "a + 1") == 0);
	CHECK(pmx_sql_target_expr(ctx, PMX_DIALECT_SQLITE, "1; DROP TABLE t", "default") == NULL);
	CHECK(pmx_ctx_error(ctx)->code == PMX_E_INVALID);
	pmx_ctx_free(ctx);
}

int
main(void)
{
	RUN(report_maps_format_type_spellings);
	RUN(report_passes_through_other_spellings);
	RUN(render_maps_portable_names);
	RUN(render_passes_valid_non_portable_names);
	RUN(render_refuses_invalid_names);
	RUN(valid_type_name_accepts_pg_forms);
	RUN(valid_type_name_rejects_non_types);
	RUN(change_string_widening_without_rewrite);
	RUN(change_char_to_text_widens_with_rewrite);
	RUN(change_string_narrowing_has_length_violation);
	RUN(change_violation_quotes_column_name);
	RUN(change_integer_widening_rewrites);
	RUN(change_integer_narrowing_has_range_violation);
	RUN(change_numeric_precision_growth_without_rewrite);
	RUN(change_numeric_precision_shrink_narrows);
	RUN(change_text_to_integer_needs_cast);
	RUN(change_json_to_jsonb_converts);
	RUN(change_lossy_casts_are_conversions);
	RUN(change_exact_cross_kind_widens);
	RUN(target_expr_pg_keeps_text_as_written);
	RUN(target_expr_pg_follows_quoting_rules);
	RUN(target_expr_pg_refuses_non_expressions);
	RUN(target_expr_sqlite_canonicalizes);
	return TEST_DONE();
}
