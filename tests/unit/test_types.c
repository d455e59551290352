/*-------------------------------------------------------------------------
 *
 * test_types.c
 *	  Unit tests of shared/pmx_types.c: portable type names, the SQLite
 *	  declared type + marker CHECK, its inverse (the report), affinity
 *	  rules and the classification of type changes.
 *
 * IDENTIFICATION
 *	  tests/unit/test_types.c
 *
 *-------------------------------------------------------------------------
 */
#include "pmx_test.h"

#include "pmx_sql.h"
#include "pmx_types.h"

/* Render type for colname (non-STRICT); decl and canonical marker out. */
static int
render(PmxCtx *ctx, const char *type, bool strict, const char *colname,
	   const char **decl, char **canon_marker)
{
	char	   *marker = NULL;
	int			rc = pmx_sqlite_type_render(ctx, type, strict, colname, false, decl, &marker);

	*canon_marker = NULL;
	if (rc == PMX_OK && marker)
		*canon_marker = pmx_sql_canon_expr(ctx, marker, "marker");
	return rc;
}

/* True when render gives declared type decl and canonical marker want. */
static int
renders_as(const char *type, const char *colname, const char *want_decl,
		   const char *want_marker)
{
	PmxCtx	   *ctx = test_ctx();
	const char *decl = NULL;
	char	   *marker = NULL;
	int			rc = render(ctx, type, false, colname, &decl, &marker);
	int			ok = rc == PMX_OK && decl && strcmp(decl, want_decl) == 0 &&
		(want_marker ? (marker && strcmp(marker, want_marker) == 0) : marker == NULL);

	if (!ok)
		printf("  (%s: got %s / %s)\n", type, decl ? decl : "NULL", marker ? marker : "NULL");
	pmx_ctx_free(ctx);
	return ok;
}

/* The STRICT declared type of type (no marker check), or "" on error. */
static int
strict_decl_is(const char *type, const char *want)
{
	PmxCtx	   *ctx = test_ctx();
	const char *decl = NULL;
	char	   *marker = NULL;
	int			ok = pmx_sqlite_type_render(ctx, type, true, "c", false, &decl, &marker) == PMX_OK &&
		decl && strcmp(decl, want) == 0;

	pmx_ctx_free(ctx);
	return ok;
}

/* Classify a change and check the kind and whether a predicate is given. */
static int
change_is(const char *from, const char *to, PmxTypeChange want, bool want_violation)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *viol = (char *) "unset";
	PmxTypeChange k = pmx_sqlite_type_change(ctx, from, to, "c", &viol);
	int			ok = k == want && (want_violation ? viol != NULL : viol == NULL);

	if (!ok)
		printf("  (%s -> %s: got kind %d, violation %s)\n", from, to, (int) k, viol ? viol : "NULL");
	pmx_ctx_free(ctx);
	return ok;
}

/* Every portable name parses to its kind; lengths and scales are read. */
TEST(parse_portable_names)
{
	static const struct
	{
		const char *s;
		PmxTypeKind k;
		int			len,
					scale;
	}			cases[] = {
		{"smallint", PMX_T_SMALLINT, -1, -1},
		{"integer", PMX_T_INTEGER, -1, -1},
		{"bigint", PMX_T_BIGINT, -1, -1},
		{"boolean", PMX_T_BOOLEAN, -1, -1},
		{"real", PMX_T_REAL, -1, -1},
		{"double", PMX_T_DOUBLE, -1, -1},
		{"numeric", PMX_T_NUMERIC, -1, -1},
		{"numeric(10,2)", PMX_T_NUMERIC, 10, 2},
		{"numeric(10, 2)", PMX_T_NUMERIC, 10, 2},
		{"numeric(12)", PMX_T_NUMERIC, 12, -1},
		{"numeric(7,0)", PMX_T_NUMERIC, 7, 0},
		{"text", PMX_T_TEXT, -1, -1},
		{"varchar(50)", PMX_T_VARCHAR, 50, -1},
		{"char(3)", PMX_T_CHAR, 3, -1},
		{"bytes", PMX_T_BYTES, -1, -1},
		{"date", PMX_T_DATE, -1, -1},
		{"time", PMX_T_TIME, -1, -1},
		{"timestamp", PMX_T_TIMESTAMP, -1, -1},
		{"timestamptz", PMX_T_TIMESTAMPTZ, -1, -1},
		{"uuid", PMX_T_UUID, -1, -1},
		{"json", PMX_T_JSON, -1, -1},
		{"jsonb", PMX_T_JSONB, -1, -1},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		PmxType		t = pmx_type_parse(cases[i].s);

		CHECK(t.kind == cases[i].k);
		CHECK(t.len == cases[i].len);
		CHECK(t.scale == cases[i].scale);
		CHECK(t.raw == cases[i].s);
		if (t.kind != cases[i].k)
			printf("  (%s parsed as %d)\n", cases[i].s, (int) t.kind);
	}
	CHECK(pmx_type_is_integer(PMX_T_SMALLINT) && pmx_type_is_integer(PMX_T_BIGINT));
	CHECK(!pmx_type_is_integer(PMX_T_BOOLEAN) && !pmx_type_is_integer(PMX_T_NUMERIC));
}

/* Anything not spelled exactly as DESIGN.md lists it passes through. */
TEST(parse_non_portable)
{
	static const char *const other[] = {
		"VARCHAR(50)", "Integer", "INT", "int", "varchar", "varchar()", "varchar(0)",
		"varchar(-1)", "varchar(abc)", "varchar(50)x", "varchar(50", "varchar(5,2)",
		"integerx", "text[]", "citext", "", "double precision", "char", "uuid ", "numeric(0)",
		"jsonbb", "bool", "timestamp with time zone",
	};

	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
	{
		PmxType		t = pmx_type_parse(other[i]);

		CHECK(t.kind == PMX_T_OTHER);
		if (t.kind != PMX_T_OTHER)
			printf("  (\"%s\" parsed as portable %d)\n", other[i], (int) t.kind);
		CHECK(t.raw == other[i]);
	}
}

/* SQLite declared type and marker for the marked portable types. */
TEST(render_marked_types)
{
	CHECK(renders_as("boolean", "flag", "INTEGER", "flag in (0, 1)"));
	CHECK(renders_as("varchar(50)", "name", "TEXT", "length(name) <= 50"));
	/* json_valid(NULL) is 0 before SQLite 3.45: the marker lets NULL through */
	CHECK(renders_as("json", "doc", "TEXT", "doc is null or json_valid(doc)"));
	CHECK(renders_as("jsonb", "doc", "TEXT", "doc is null or json_valid(doc)"));
	CHECK(renders_as("uuid", "id", "TEXT", "length(id) = 36"));
	/* the marker quotes the column name when it must */
	CHECK(renders_as("boolean", "my flag", "INTEGER", "\"my flag\" in (0, 1)"));
	CHECK(renders_as("varchar(5)", "a\"b", "TEXT", "length(\"a\"\"b\") <= 5"));
	CHECK(renders_as("json", "select", "TEXT", "\"select\" is null or json_valid(\"select\")"));
}

/* Unmarked types: declared type only; non-portable spellings pass through. */
TEST(render_plain_types)
{
	CHECK(renders_as("integer", "c", "INTEGER", NULL));
	CHECK(renders_as("smallint", "c", "SMALLINT", NULL));
	CHECK(renders_as("bigint", "c", "BIGINT", NULL));
	CHECK(renders_as("real", "c", "REAL", NULL));
	CHECK(renders_as("double", "c", "DOUBLE", NULL));
	CHECK(renders_as("numeric", "c", "NUMERIC", NULL));
	CHECK(renders_as("numeric(10,2)", "c", "NUMERIC(10,2)", NULL));
	CHECK(renders_as("numeric(8)", "c", "NUMERIC(8)", NULL));
	CHECK(renders_as("text", "c", "TEXT", NULL));
	CHECK(renders_as("char(3)", "c", "CHAR(3)", NULL));
	CHECK(renders_as("bytes", "c", "BLOB", NULL));
	CHECK(renders_as("date", "c", "DATE", NULL));
	CHECK(renders_as("time", "c", "TIME", NULL));
	CHECK(renders_as("timestamp", "c", "TIMESTAMP", NULL));
	CHECK(renders_as("timestamptz", "c", "TEXT", NULL));
	CHECK(renders_as("VARCHAR(50)", "c", "VARCHAR(50)", NULL));
	CHECK(renders_as("citext", "c", "citext", NULL));
}

/* A rowid alias is INTEGER whatever integer type it was given. */
TEST(render_rowid_alias)
{
	PmxCtx	   *ctx = test_ctx();
	const char *decl = NULL;
	char	   *marker = (char *) "x";

	CHECK(pmx_sqlite_type_render(ctx, "bigint", false, "id", true, &decl, &marker) == PMX_OK);
	CHECK(decl && strcmp(decl, "INTEGER") == 0 && marker == NULL);
	CHECK(pmx_sqlite_type_render(ctx, "smallint", true, "id", true, &decl, &marker) == PMX_OK);
	CHECK(decl && strcmp(decl, "INTEGER") == 0 && marker == NULL);
	pmx_ctx_free(ctx);
}

/* STRICT tables: only INTEGER/REAL/TEXT/BLOB/ANY; numeric is an error. */
TEST(render_strict)
{
	static const char *const numerics[] = {"numeric", "numeric(10,2)", "numeric(5)"};

	CHECK(strict_decl_is("smallint", "INTEGER"));
	CHECK(strict_decl_is("integer", "INTEGER"));
	CHECK(strict_decl_is("bigint", "INTEGER"));
	CHECK(strict_decl_is("boolean", "INTEGER"));
	CHECK(strict_decl_is("real", "REAL"));
	CHECK(strict_decl_is("double", "REAL"));
	CHECK(strict_decl_is("text", "TEXT"));
	CHECK(strict_decl_is("varchar(9)", "TEXT"));
	CHECK(strict_decl_is("char(3)", "TEXT"));
	CHECK(strict_decl_is("bytes", "BLOB"));
	CHECK(strict_decl_is("date", "TEXT"));
	CHECK(strict_decl_is("time", "TEXT"));
	CHECK(strict_decl_is("timestamp", "TEXT"));
	CHECK(strict_decl_is("timestamptz", "TEXT"));
	CHECK(strict_decl_is("uuid", "TEXT"));
	CHECK(strict_decl_is("json", "TEXT"));
	/* the marker stays under STRICT */
	{
		PmxCtx	   *ctx = test_ctx();
		const char *decl;
		char	   *marker;

		CHECK(render(ctx, "boolean", true, "b", &decl, &marker) == PMX_OK);
		CHECK(marker && strcmp(marker, "b in (0, 1)") == 0);
		pmx_ctx_free(ctx);
	}
	for (size_t i = 0; i < sizeof(numerics) / sizeof(numerics[0]); i++)
	{
		PmxCtx	   *ctx = test_ctx();
		const char *decl;
		char	   *marker;

		CHECK(pmx_sqlite_type_render(ctx, numerics[i], true, "price", false, &decl, &marker) == PMX_ERROR);
		CHECK(pmx_ctx_error(ctx)->code == PMX_E_UNSUPPORTED);
		CHECK(strcmp(pmx_ctx_error(ctx)->sqlstate, "0A000") == 0);
		CHECK(pmx_ctx_error(ctx)->message && strstr(pmx_ctx_error(ctx)->message, "price"));
		CHECK(pmx_ctx_error(ctx)->hint != NULL);
		pmx_ctx_free(ctx);
	}
}

/*
 * The report inverts the render: render a portable type, canonicalize its
 * marker as introspection does, and the report gives back the portable
 * name and absorbs exactly the marker, whatever the column is called.
 */
TEST(report_inverts_render)
{
	static const struct
	{
		const char *type;
		const char *reported;
	}			cases[] = {
		{"smallint", "smallint"}, {"integer", "integer"}, {"bigint", "bigint"},
		{"boolean", "boolean"}, {"real", "real"}, {"double", "double"},
		{"numeric", "numeric"}, {"numeric(10,2)", "numeric(10,2)"}, {"numeric(6)", "numeric(6)"},
		{"text", "text"}, {"varchar(50)", "varchar(50)"}, {"varchar(1)", "varchar(1)"},
		{"char(3)", "char(3)"}, {"bytes", "bytes"}, {"date", "date"}, {"time", "time"},
		{"timestamp", "timestamp"}, {"uuid", "uuid"}, {"json", "json"},
		{"jsonb", "json"},		/* documented: reported back as json */
		{"timestamptz", "text"},	/* documented: stored as ISO-8601 TEXT */
	};
	static const char *const colnames[] = {"c", "Email", "my col", "select", "a\"b", "naïve"};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (size_t n = 0; n < sizeof(colnames) / sizeof(colnames[0]); n++)
		{
			PmxCtx	   *ctx = test_ctx();
			const char *decl = NULL;
			char	   *marker = NULL;
			char	   *checks[3];
			int			nchecks = 0;
			int			absorbed = 99;
			char	   *rep;

			CHECK(render(ctx, cases[i].type, false, colnames[n], &decl, &marker) == PMX_OK);
			/* an unrelated check first, so the index is meaningful */
			checks[nchecks++] = "1 > 0";
			if (marker)
				checks[nchecks++] = marker;
			rep = decl ? pmx_sqlite_type_report(ctx, decl, colnames[n], checks, nchecks, &absorbed) : NULL;
			CHECK(rep && strcmp(rep, cases[i].reported) == 0);
			CHECK(absorbed == (marker ? 1 : -1));
			if (!rep || strcmp(rep, cases[i].reported) != 0 || absorbed != (marker ? 1 : -1))
				printf("  (%s on \"%s\": decl %s marker %s -> %s, absorbed %d)\n", cases[i].type,
					   colnames[n], decl, marker ? marker : "-", rep ? rep : "NULL", absorbed);
			pmx_ctx_free(ctx);
		}
}

/* Declared types premix did not write are reported as declared. */
TEST(report_foreign_declarations)
{
	PmxCtx	   *ctx = test_ctx();
	int			absorbed = 99;
	char	   *r;
	char	   *other_col[] = {"x in (0, 1)"};
	char	   *too_short[] = {"length(c) <= 0"};
	char	   *vc[] = {"length(c) <= 50"};
	char	   *bare_json[] = {"c <> ''", "json_valid(c)"};
	char	   *other_json[] = {"json_valid(d)"};

	r = pmx_sqlite_type_report(ctx, "varchar(50)", "c", NULL, 0, &absorbed);
	CHECK(r && strcmp(r, "VARCHAR(50)") == 0 && absorbed == -1);
	r = pmx_sqlite_type_report(ctx, "VARCHAR(50)", "c", NULL, 0, &absorbed);
	CHECK(r && strcmp(r, "VARCHAR(50)") == 0);
	r = pmx_sqlite_type_report(ctx, "boolean", "c", NULL, 0, &absorbed);
	CHECK(r && strcmp(r, "BOOLEAN") == 0);
	r = pmx_sqlite_type_report(ctx, "citext", "c", NULL, 0, &absorbed);
	CHECK(r && strcmp(r, "citext") == 0);
	r = pmx_sqlite_type_report(ctx, "DATETIME", "c", NULL, 0, &absorbed);
	CHECK(r && strcmp(r, "DATETIME") == 0);
	r = pmx_sqlite_type_report(ctx, "", "c", NULL, 0, &absorbed);
	CHECK(r && strcmp(r, "") == 0);
	/* case of premix's own spellings does not matter */
	r = pmx_sqlite_type_report(ctx, "Integer", "c", NULL, 0, &absorbed);
	CHECK(r && strcmp(r, "integer") == 0);
	/* a boolean marker over another column is not this column's marker */
	r = pmx_sqlite_type_report(ctx, "INTEGER", "c", other_col, 1, &absorbed);
	CHECK(r && strcmp(r, "integer") == 0 && absorbed == -1);
	/* length <= 0 is no varchar */
	r = pmx_sqlite_type_report(ctx, "TEXT", "c", too_short, 1, &absorbed);
	CHECK(r && strcmp(r, "text") == 0 && absorbed == -1);
	/* the bare json_valid(c) people write is read as json too */
	r = pmx_sqlite_type_report(ctx, "TEXT", "c", bare_json, 2, &absorbed);
	CHECK(r && strcmp(r, "json") == 0 && absorbed == 1);
	/* but not json_valid over another column */
	r = pmx_sqlite_type_report(ctx, "TEXT", "c", other_json, 1, &absorbed);
	CHECK(r && strcmp(r, "text") == 0 && absorbed == -1);
	/* a varchar marker on a declared type premix does not pair it with */
	r = pmx_sqlite_type_report(ctx, "BLOB", "c", vc, 1, &absorbed);
	CHECK(r && strcmp(r, "bytes") == 0 && absorbed == -1);
	pmx_ctx_free(ctx);
}

/* SQLite's affinity rules (datatype3.html 3.1), in their order. */
TEST(affinity_rules)
{
	char		longdecl[400];

	CHECK(pmx_sqlite_affinity("INT") == PMX_AFF_INTEGER);
	CHECK(pmx_sqlite_affinity("integer") == PMX_AFF_INTEGER);
	CHECK(pmx_sqlite_affinity("TINYINT") == PMX_AFF_INTEGER);
	CHECK(pmx_sqlite_affinity("UNSIGNED BIG INT") == PMX_AFF_INTEGER);
	CHECK(pmx_sqlite_affinity("CHARINT") == PMX_AFF_INTEGER);	/* rule 1 first */
	CHECK(pmx_sqlite_affinity("FLOATING POINT") == PMX_AFF_INTEGER);	/* "INT" */
	CHECK(pmx_sqlite_affinity("CHARACTER(20)") == PMX_AFF_TEXT);
	CHECK(pmx_sqlite_affinity("varchar(255)") == PMX_AFF_TEXT);
	CHECK(pmx_sqlite_affinity("NCHAR(55)") == PMX_AFF_TEXT);
	CHECK(pmx_sqlite_affinity("CLOB") == PMX_AFF_TEXT);
	CHECK(pmx_sqlite_affinity("TEXT") == PMX_AFF_TEXT);
	CHECK(pmx_sqlite_affinity("BLOB") == PMX_AFF_BLOB);
	CHECK(pmx_sqlite_affinity("") == PMX_AFF_BLOB);
	CHECK(pmx_sqlite_affinity(NULL) == PMX_AFF_BLOB);
	CHECK(pmx_sqlite_affinity("REAL") == PMX_AFF_REAL);
	CHECK(pmx_sqlite_affinity("DOUBLE PRECISION") == PMX_AFF_REAL);
	CHECK(pmx_sqlite_affinity("FLOAT") == PMX_AFF_REAL);
	CHECK(pmx_sqlite_affinity("NUMERIC") == PMX_AFF_NUMERIC);
	CHECK(pmx_sqlite_affinity("DECIMAL(10,5)") == PMX_AFF_NUMERIC);
	CHECK(pmx_sqlite_affinity("BOOLEAN") == PMX_AFF_NUMERIC);
	CHECK(pmx_sqlite_affinity("DATETIME") == PMX_AFF_NUMERIC);
	CHECK(pmx_sqlite_affinity("STRING") == PMX_AFF_NUMERIC);	/* the famous one */
	/* the rules look at the whole declared type, however long */
	memset(longdecl, 'X', sizeof(longdecl));
	strcpy(longdecl + 300, " INT");
	CHECK(pmx_sqlite_affinity(longdecl) == PMX_AFF_INTEGER);
}

/* Type change classes, with a violation predicate where rows can fail. */
TEST(type_change_classes)
{
	CHECK(change_is("varchar(20)", "varchar(10)", PMX_TC_NARROW, true));
	CHECK(change_is("varchar(10)", "varchar(20)", PMX_TC_WIDEN, false));
	CHECK(change_is("varchar(10)", "varchar(10)", PMX_TC_WIDEN, false));
	CHECK(change_is("varchar(10)", "text", PMX_TC_WIDEN, false));
	CHECK(change_is("text", "varchar(10)", PMX_TC_NARROW, true));
	CHECK(change_is("char(5)", "varchar(10)", PMX_TC_WIDEN, false));
	CHECK(change_is("uuid", "varchar(36)", PMX_TC_WIDEN, false));
	CHECK(change_is("uuid", "varchar(10)", PMX_TC_NARROW, true));
	CHECK(change_is("text", "json", PMX_TC_CONSTRAIN, true));
	CHECK(change_is("varchar(9)", "jsonb", PMX_TC_CONSTRAIN, true));
	CHECK(change_is("json", "jsonb", PMX_TC_WIDEN, false));
	CHECK(change_is("jsonb", "json", PMX_TC_WIDEN, false));
	CHECK(change_is("text", "uuid", PMX_TC_CONSTRAIN, true));
	CHECK(change_is("integer", "boolean", PMX_TC_CONSTRAIN, true));
	CHECK(change_is("boolean", "integer", PMX_TC_WIDEN, false));
	CHECK(change_is("integer", "bigint", PMX_TC_WIDEN, false));
	CHECK(change_is("smallint", "integer", PMX_TC_WIDEN, false));
	CHECK(change_is("bigint", "integer", PMX_TC_NARROW, true));
	CHECK(change_is("integer", "smallint", PMX_TC_NARROW, true));
	CHECK(change_is("numeric(10,2)", "numeric(5,2)", PMX_TC_NARROW, true));
	CHECK(change_is("numeric(5,2)", "numeric(10,2)", PMX_TC_WIDEN, false));
	CHECK(change_is("real", "double", PMX_TC_WIDEN, false));
	CHECK(change_is("text", "integer", PMX_TC_CONVERT, true));
	CHECK(change_is("integer", "text", PMX_TC_CONVERT, false));
	CHECK(change_is("text", "bytes", PMX_TC_CONVERT, false));
	CHECK(change_is("real", "integer", PMX_TC_CONVERT, true));
}

/* The violation predicate is one valid expression over the column. */
TEST(type_change_violation_predicate)
{
	static const char *const names[] = {"c", "Email", "my col", "a\"b", "select"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
	{
		PmxCtx	   *ctx = test_ctx();
		char	   *v = NULL;
		char	   *canon;

		CHECK(pmx_sqlite_type_change(ctx, "varchar(20)", "varchar(10)", names[i], &v) == PMX_TC_NARROW);
		CHECK(v && strstr(v, "10"));
		canon = v ? pmx_sql_canon_expr(ctx, v, "violation") : NULL;
		CHECK(canon != NULL);
		CHECK(v && pmx_sql_mentions_ident(v, names[i]));
		CHECK(pmx_sqlite_type_change(ctx, "text", "json", names[i], &v) == PMX_TC_CONSTRAIN);
		CHECK(v && strstr(v, "json_valid") && pmx_sql_mentions_ident(v, names[i]));
		CHECK(v && pmx_sql_canon_expr(ctx, v, "violation") != NULL);
		pmx_ctx_free(ctx);
	}
}

int
main(void)
{
	RUN(parse_portable_names);
	RUN(parse_non_portable);
	RUN(render_marked_types);
	RUN(render_plain_types);
	RUN(render_rowid_alias);
	RUN(render_strict);
	RUN(report_inverts_render);
	RUN(report_foreign_declarations);
	RUN(affinity_rules);
	RUN(type_change_classes);
	RUN(type_change_violation_predicate);
	return TEST_DONE();
}
