/*-------------------------------------------------------------------------
 *
 * test_model_json.c
 *	  Unit tests of shared/pmx_model_json.c: the strict target JSON reader
 *	  (unknown keys with path and suggestion, wrong types, missing keys,
 *	  normalization of actions, defaults and expressions) and the
 *	  deterministic writer (sorted, a fixed point when read back).
 *
 * IDENTIFICATION
 *	  tests/unit/test_model_json.c
 *
 *-------------------------------------------------------------------------
 */
#include "pmx_test.h"

#include "pmx_json.h"
#include "pmx_model.h"

/* The example target of DESIGN.md, verbatim. */
static const char *const design_example =
"{\n"
"  \"tables\": [\n"
"    {\n"
"      \"name\": \"users\",\n"
"      \"renamed_from\": \"accounts\",\n"
"      \"columns\": [\n"
"        {\"name\": \"id\", \"type\": \"bigint\", \"nullable\": false, \"identity\": \"by default\"},\n"
"        {\"name\": \"username\", \"type\": \"varchar(50)\", \"nullable\": false, \"renamed_from\": \"user_name\"},\n"
"        {\"name\": \"settings\", \"type\": \"jsonb\", \"nullable\": false, \"default\": \"'{}'\"},\n"
"        {\"name\": \"created_at\", \"type\": \"timestamptz\", \"nullable\": false, \"default\": \"now()\"},\n"
"        {\"name\": \"org_id\", \"type\": \"bigint\"}\n"
"      ],\n"
"      \"primary_key\": {\"name\": \"users_pkey\", \"columns\": [\"id\"]},\n"
"      \"unique\": [{\"name\": \"users_username_key\", \"columns\": [\"username\"]}],\n"
"      \"foreign_keys\": [{\"name\": \"users_org_id_fkey\", \"columns\": [\"org_id\"],\n"
"                        \"ref_table\": \"orgs\", \"ref_columns\": [\"id\"],\n"
"                        \"on_delete\": \"cascade\", \"on_update\": \"no action\"}],\n"
"      \"checks\": [{\"name\": \"users_username_check\", \"expression\": \"length(username) > 2\"}],\n"
"      \"indexes\": [{\"name\": \"users_created_at_idx\", \"columns\": [\"created_at\"],\n"
"                   \"unique\": false, \"where\": null, \"using\": \"btree\"}]\n"
"    }\n"
"  ]\n"
"}\n";

/* Parse and read a target; NULL on any error (left in ctx). */
static PmxSchema *
read_target(PmxCtx *ctx, const char *text)
{
	PmxJson    *j = pmx_json_parse(ctx, text, "target");

	return j ? pmx_schema_from_json(ctx, j, PMX_DIALECT_SQLITE) : NULL;
}

/*
 * True when reading text fails with PMX_E_INVALID / 22023 and the message
 * contains needle (and the hint contains hint, when given).
 */
static int
rejects(const char *text, const char *needle, const char *hint)
{
	PmxCtx	   *ctx = test_ctx();
	PmxSchema  *s = read_target(ctx, text);
	const PmxError *e = pmx_ctx_error(ctx);
	int			ok = s == NULL && e->code == PMX_E_INVALID &&
		strcmp(e->sqlstate, "22023") == 0 && e->message &&
		strstr(e->message, needle) != NULL &&
		(!hint || (e->hint && strstr(e->hint, hint)));

	if (!ok)
		printf("  (got: %s / hint %s)\n", e->message ? e->message : "no error",
			   e->hint ? e->hint : "-");
	pmx_ctx_free(ctx);
	return ok;
}

/* The one table of a single-table target, or NULL. */
static PmxTable *
only_table(PmxSchema *s)
{
	return s && s->ntables == 1 ? s->tables[0] : NULL;
}

/* A misspelled column key names its full path and suggests the right key. */
TEST(unknown_key_nulable)
{
	PmxCtx	   *ctx = test_ctx();
	PmxSchema  *s = read_target(ctx,
								"{\"tables\": [{\"name\": \"t\", \"columns\": ["
								"{\"name\": \"id\", \"type\": \"integer\"},"
								"{\"name\": \"email\", \"type\": \"text\", \"nulable\": false}]}]}");
	const PmxError *e = pmx_ctx_error(ctx);

	CHECK(s == NULL);
	CHECK(e->code == PMX_E_INVALID);
	CHECK(strcmp(e->sqlstate, "22023") == 0);
	CHECK(e->message && strstr(e->message, "tables[0].columns[1].nulable") != NULL);
	CHECK(e->hint && strstr(e->hint, "\"nullable\"") != NULL);
	CHECK(e->detail && strstr(e->detail, "nullable") && strstr(e->detail, "renamed_from"));
	pmx_ctx_free(ctx);
}

/* Unknown keys at every level: path and nearest key. */
TEST(unknown_keys_everywhere)
{
	CHECK(rejects("{\"tabels\": []}", "tabels", "tables"));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"colums\": []}]}",
				  "tables[0].colums", "columns"));
	CHECK(rejects("{\"tables\": [{\"name\": \"a\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}]},"
				  "{\"name\": \"b\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"foreign_keys\": [{\"columns\": [\"x\"], \"ref_table\": \"a\", \"on_delte\": \"cascade\"}]}]}",
				  "tables[1].foreign_keys[0].on_delte", "on_delete"));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"indexes\": [{\"columns\": [\"x\"], \"uniqe\": true}]}]}",
				  "tables[0].indexes[0].uniqe", "unique"));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"primary_key\": {\"columns\": [\"x\"], \"nam\": \"pk\"}}]}",
				  "tables[0].primary_key.nam", "name"));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"checks\": [{\"expresion\": \"x > 0\"}]}]}",
				  "tables[0].checks[0].expresion", "expression"));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"options\": {\"strct\": true}}]}",
				  "tables[0].options.strct", "strict"));
	/* nothing near: no hint, still an error naming the key */
	CHECK(rejects("{\"tables\": [], \"completely_different\": 1}", "completely_different", NULL));
}

/* Wrong JSON types name the path and what was expected. */
TEST(wrong_types)
{
	CHECK(rejects("[]", "must be a JSON object", "{\"tables\""));
	CHECK(rejects("{\"tables\": {}}", "tables must be an array", NULL));
	CHECK(rejects("{\"tables\": [\"users\"]}", "tables[0] must be a JSON object", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": 5, \"columns\": []}]}",
				  "tables[0].name must be a string", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": {}}]}",
				  "tables[0].columns must be an array", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [\"id\"]}]}",
				  "tables[0].columns[0] must be a JSON object", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\", \"nullable\": \"no\"}]}]}",
				  "tables[0].columns[0].nullable must be true or false", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": 3}]}]}",
				  "tables[0].columns[0].type must be a string", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"real\", \"default\": 1.5}]}]}",
				  "tables[0].columns[0].default", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\", \"default\": [1]}]}]}",
				  "tables[0].columns[0].default", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"unique\": [{\"columns\": \"x\"}]}]}",
				  "tables[0].unique[0].columns must be an array", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"unique\": [{\"columns\": [\"x\", 2]}]}]}",
				  "tables[0].unique[0].columns[1]", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"indexes\": [{\"columns\": [\"x\"], \"unique\": 1}]}]}",
				  "tables[0].indexes[0].unique must be true or false", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"options\": true}]}", "tables[0].options must be a JSON object", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"checks\": {}}]}", "tables[0].checks must be an array", NULL));
	CHECK(rejects("{\"format\": 2, \"tables\": []}", "format", NULL));
	CHECK(rejects("{\"format\": \"1\", \"tables\": []}", "format", NULL));
}

/* Missing required keys and empty required lists are errors with a path. */
TEST(missing_required)
{
	CHECK(rejects("{}", "tables is required", NULL));
	CHECK(rejects("{\"tables\": null}", "tables is required", NULL));
	CHECK(rejects("{\"tables\": [{\"columns\": [{\"name\": \"x\", \"type\": \"text\"}]}]}",
				  "tables[0].name is required", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": null, \"columns\": [{\"name\": \"x\", \"type\": \"text\"}]}]}",
				  "tables[0].name is required", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}]}]}",
				  "tables[0].name must not be empty", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\"}]}", "tables[0].columns", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": []}]}", "tables[0].columns", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\"}]}]}",
				  "tables[0].columns[0].type is required", NULL));
	/* a type is a type name, nothing that could end the column definition */
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"int); DROP TABLE x; --\"}]}]}",
				  "tables[0].columns[0].type", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text DEFAULT 1\"}]},"
				  "{\"name\": \"u\", \"columns\": [{\"name\": \"y\", \"type\": \"text CHECK (1)\"}]}]}",
				  "tables[0].columns[0].type", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"type\": \"text\"}]}]}",
				  "tables[0].columns[0].name is required", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"primary_key\": {\"columns\": []}}]}",
				  "tables[0].primary_key.columns", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"primary_key\": {}}]}", "tables[0].primary_key.columns is required", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"foreign_keys\": [{\"columns\": [\"x\"]}]}]}",
				  "tables[0].foreign_keys[0].ref_table is required", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"foreign_keys\": [{\"columns\": [\"x\", \"x\"], \"ref_table\": \"u\", \"ref_columns\": [\"id\"]}]}]}",
				  "tables[0].foreign_keys[0]", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"checks\": [{\"name\": \"c\"}]}]}",
				  "tables[0].checks[0].expression is required", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"indexes\": [{\"name\": \"i\"}]}]}",
				  "tables[0].indexes[0].columns is required", NULL));
}

/* Names longer than PMX_MAX_IDENT are refused; exactly the limit is fine. */
TEST(name_length_limit)
{
	char	   *name = malloc(PMX_MAX_IDENT + 2);
	char	   *doc = malloc(PMX_MAX_IDENT + 200);
	PmxCtx	   *ctx;

	memset(name, 'n', PMX_MAX_IDENT + 1);
	name[PMX_MAX_IDENT + 1] = '\0';
	sprintf(doc, "{\"tables\": [{\"name\": \"%s\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}]}]}", name);
	CHECK(rejects(doc, "tables[0].name", NULL));
	name[PMX_MAX_IDENT] = '\0';
	sprintf(doc, "{\"tables\": [{\"name\": \"%s\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}]}]}", name);
	ctx = test_ctx();
	CHECK(read_target(ctx, doc) != NULL);
	pmx_ctx_free(ctx);
	free(name);
	free(doc);
}

/* on_delete / on_update: case and '_' normalized, absent = no action. */
TEST(fk_action_normalization)
{
	PmxCtx	   *ctx = test_ctx();
	PmxTable   *t = only_table(read_target(ctx,
										   "{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\"}],"
										   "\"foreign_keys\": ["
										   "{\"columns\": [\"x\"], \"ref_table\": \"u\", \"on_delete\": \"CASCADE\", \"on_update\": \"set_null\"},"
										   "{\"columns\": [\"x\"], \"ref_table\": \"u\", \"on_delete\": \"Set Default\"},"
										   "{\"columns\": [\"x\"], \"ref_table\": \"u\", \"on_delete\": null, \"on_update\": \"RESTRICT\"},"
										   "{\"columns\": [\"x\"], \"ref_table\": \"u\", \"on_update\": \"no_action\"}]}]}"));

	CHECK(t && t->nfks == 4);
	if (t && t->nfks == 4)
	{
		CHECK(strcmp(t->fks[0].on_delete, "cascade") == 0);
		CHECK(strcmp(t->fks[0].on_update, "set null") == 0);
		CHECK(strcmp(t->fks[1].on_delete, "set default") == 0);
		CHECK(strcmp(t->fks[1].on_update, "no action") == 0);
		CHECK(strcmp(t->fks[2].on_delete, "no action") == 0);
		CHECK(strcmp(t->fks[2].on_update, "restrict") == 0);
		CHECK(strcmp(t->fks[3].on_update, "no action") == 0);
		CHECK(t->fks[0].ref_cols.n == 0);
		CHECK(strcmp(t->fks[0].ref_table, "u") == 0);
	}
	pmx_ctx_free(ctx);
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\"}],"
				  "\"foreign_keys\": [{\"columns\": [\"x\"], \"ref_table\": \"u\", \"on_delete\": \"explode\"}]}]}",
				  "tables[0].foreign_keys[0].on_delete", "cascade"));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\"}],"
				  "\"foreign_keys\": [{\"columns\": [\"x\"], \"ref_table\": \"u\", \"on_update\": 1}]}]}",
				  "tables[0].foreign_keys[0].on_update", NULL));
}

/* Column fields: nullable default, defaults canonicalized, identity, collation. */
TEST(column_fields)
{
	PmxCtx	   *ctx = test_ctx();
	PmxTable   *t = only_table(read_target(ctx,
										   "{\"tables\": [{\"name\": \"t\", \"columns\": ["
										   "{\"name\": \"a\", \"type\": \" integer \"},"
										   "{\"name\": \"b\", \"type\": \"integer\", \"nullable\": false, \"default\": 0},"
										   "{\"name\": \"c\", \"type\": \"boolean\", \"default\": true},"
										   "{\"name\": \"d\", \"type\": \"text\", \"default\": \"'{}'\"},"
										   "{\"name\": \"e\", \"type\": \"text\", \"default\": \"CURRENT_TIMESTAMP\"},"
										   "{\"name\": \"f\", \"type\": \"text\", \"default\": \"( Lower( 'X' ) )\", \"collation\": \"nocase\"},"
										   "{\"name\": \"g\", \"type\": \"bigint\", \"identity\": \"always\", \"default\": -5},"
										   "{\"name\": \"h\", \"type\": \"bigint\", \"identity\": \"by default\", \"default\": null}"
										   "]}]}"));

	CHECK(t && t->ncols == 8);
	if (t && t->ncols == 8)
	{
		CHECK(strcmp(t->cols[0].type, "integer") == 0);	/* trimmed */
		CHECK(t->cols[0].nullable);
		CHECK(t->cols[0].default_expr == NULL);
		CHECK(!t->cols[1].nullable);
		CHECK(t->cols[1].default_expr && strcmp(t->cols[1].default_expr, "0") == 0);
		CHECK(t->cols[2].default_expr && strcmp(t->cols[2].default_expr, "true") == 0);
		CHECK(t->cols[3].default_expr && strcmp(t->cols[3].default_expr, "'{}'") == 0);
		CHECK(t->cols[4].default_expr && strcmp(t->cols[4].default_expr, "current_timestamp") == 0);
		CHECK(t->cols[5].default_expr && strcmp(t->cols[5].default_expr, "lower('X')") == 0);
		CHECK(t->cols[5].collation && strcmp(t->cols[5].collation, "nocase") == 0);
		CHECK(t->cols[6].identity == PMX_IDENTITY_ALWAYS);
		CHECK(t->cols[6].default_expr && strcmp(t->cols[6].default_expr, "-5") == 0);
		CHECK(t->cols[7].identity == PMX_IDENTITY_BY_DEFAULT);
		CHECK(t->cols[7].default_expr == NULL);
		CHECK(t->cols[0].identity == PMX_IDENTITY_NONE);
	}
	pmx_ctx_free(ctx);
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\", \"identity\": \"sometimes\"}]}]}",
				  "tables[0].columns[0].identity", NULL));
}

/* Expressions are checked at read time and errors name their path. */
TEST(expressions_checked_with_path)
{
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\","
				  "\"default\": \"1); DROP TABLE x; --\"}]}]}",
				  "tables[0].columns[0].default", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\","
				  "\"default\": \"''\"}, {\"name\": \"y\", \"type\": \"text\", \"default\": \"\"}]}]}",
				  "tables[0].columns[1].default", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"checks\": [{\"expression\": \"x > 0; DELETE FROM t\"}]}]}",
				  "tables[0].checks[0].expression", NULL));
	CHECK(rejects("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"}],"
				  "\"indexes\": [{\"columns\": [\"x\"], \"where\": \"x > 0, 1\"}]}]}",
				  "tables[0].indexes[0].where", NULL));
}

/* Checks, indexes and options are read and normalized. */
TEST(constraints_and_options)
{
	PmxCtx	   *ctx = test_ctx();
	PmxTable   *t = only_table(read_target(ctx,
										   "{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"},"
										   "{\"name\": \"y\", \"type\": \"integer\"}],"
										   "\"primary_key\": {\"columns\": [\"y\"]},"
										   "\"unique\": [{\"name\": \"u1\", \"columns\": [\"x\", \"y\"]}],"
										   "\"checks\": [{\"name\": \"c1\", \"expression\": \"LENGTH( x ) > 2\"}, {\"expression\": \"y>0\"}],"
										   "\"indexes\": [{\"name\": \"i1\", \"columns\": [\"x\"], \"unique\": true,"
										   "  \"where\": \"X IS NOT NULL\", \"using\": \"BTREE\", \"renamed_from\": \"old_i\"}],"
										   "\"options\": {\"strict\": true, \"without_rowid\": true}}]}"));

	CHECK(t != NULL);
	if (!t)
	{
		pmx_ctx_free(ctx);
		return;
	}
	CHECK(t->pk && t->pk->name == NULL && t->pk->cols.n == 1 && strcmp(t->pk->cols.v[0], "y") == 0);
	CHECK(t->nuniques == 1 && strcmp(t->uniques[0].name, "u1") == 0 && t->uniques[0].cols.n == 2);
	CHECK(t->nchecks == 2);
	CHECK(t->nchecks == 2 && strcmp(t->checks[0].expr, "length(x) > 2") == 0);
	CHECK(t->nchecks == 2 && t->checks[1].name == NULL && strcmp(t->checks[1].expr, "y > 0") == 0);
	CHECK(t->nindexes == 1);
	CHECK(t->nindexes == 1 && t->indexes[0].unique);
	CHECK(t->nindexes == 1 && strcmp(t->indexes[0].where, "x is not null") == 0);
	CHECK(t->nindexes == 1 && strcmp(t->indexes[0].method, "btree") == 0);
	CHECK(t->nindexes == 1 && strcmp(t->indexes[0].renamed_from, "old_i") == 0);
	CHECK(t->strict && t->without_rowid);
	pmx_ctx_free(ctx);
}

/* Writing then reading then writing gives the same text, for the DESIGN example. */
TEST(to_json_fixed_point_design_example)
{
	PmxCtx	   *ctx = test_ctx();
	PmxSchema  *s = read_target(ctx, design_example);
	char	   *once = s ? pmx_schema_to_json(ctx, s) : NULL;
	PmxSchema  *s2 = once ? read_target(ctx, once) : NULL;
	char	   *twice = s2 ? pmx_schema_to_json(ctx, s2) : NULL;

	CHECK(s != NULL);
	CHECK(once != NULL);
	CHECK(twice && strcmp(once, twice) == 0);
	/* the content survived */
	CHECK(once && strstr(once, "\"format\": 1"));
	CHECK(once && strstr(once, "\"dialect\": \"sqlite\""));
	CHECK(once && strstr(once, "\"name\": \"users_org_id_fkey\""));
	CHECK(once && strstr(once, "\"on_delete\": \"cascade\""));
	CHECK(once && strstr(once, "\"default\": \"now()\""));
	CHECK(once && strstr(once, "\"identity\": \"by default\""));
	CHECK(once && strstr(once, "\"expression\": \"length(username) > 2\""));
	CHECK(s2 && s2->ntables == 1 && s2->tables[0]->ncols == 5 &&
		  !s2->tables[0]->cols[0].nullable && s2->tables[0]->cols[4].nullable);
	pmx_ctx_free(ctx);
}

/* Output does not depend on input order: tables and constraints are sorted. */
TEST(to_json_deterministic)
{
	static const char *const a =
		"{\"tables\": ["
		"{\"name\": \"zebra\", \"columns\": [{\"name\": \"z\", \"type\": \"text\"}, {\"name\": \"y\", \"type\": \"text\"}],"
		" \"unique\": [{\"columns\": [\"z\"]}, {\"columns\": [\"y\"]}],"
		" \"checks\": [{\"expression\": \"z <> ''\"}, {\"expression\": \"y <> ''\"}],"
		" \"indexes\": [{\"name\": \"zebra_z\", \"columns\": [\"z\"]}, {\"name\": \"zebra_y\", \"columns\": [\"y\"]}]},"
		"{\"name\": \"apple\", \"columns\": [{\"name\": \"a\", \"type\": \"integer\"}]},"
		"{\"name\": \"mango\", \"columns\": [{\"name\": \"m\", \"type\": \"integer\"}]}]}";
	static const char *const b =
		"{\"tables\": ["
		"{\"name\": \"mango\", \"columns\": [{\"name\": \"m\", \"type\": \"integer\"}]},"
		"{\"name\": \"apple\", \"columns\": [{\"name\": \"a\", \"type\": \"integer\"}]},"
		"{\"name\": \"zebra\", \"columns\": [{\"name\": \"z\", \"type\": \"text\"}, {\"name\": \"y\", \"type\": \"text\"}],"
		" \"unique\": [{\"columns\": [\"y\"]}, {\"columns\": [\"z\"]}],"
		" \"checks\": [{\"expression\": \"y <> ''\"}, {\"expression\": \"z <> ''\"}],"
		" \"indexes\": [{\"name\": \"zebra_y\", \"columns\": [\"y\"]}, {\"name\": \"zebra_z\", \"columns\": [\"z\"]}]}]}";
	PmxCtx	   *ctx = test_ctx();
	PmxSchema  *sa = read_target(ctx, a);
	PmxSchema  *sb = read_target(ctx, b);
	char	   *ja = sa ? pmx_schema_to_json(ctx, sa) : NULL;
	char	   *jb = sb ? pmx_schema_to_json(ctx, sb) : NULL;
	const char *pa,
			   *pm,
			   *pz;

	CHECK(ja && jb && strcmp(ja, jb) == 0);
	pa = ja ? strstr(ja, "\"apple\"") : NULL;
	pm = ja ? strstr(ja, "\"mango\"") : NULL;
	pz = ja ? strstr(ja, "\"zebra\"") : NULL;
	CHECK(pa && pm && pz && pa < pm && pm < pz);
	/* columns keep their position: z before y */
	CHECK(ja && strstr(ja, "\"z\"") < strstr(ja, "\"y\""));
	/* and reading it back gives it again */
	{
		PmxSchema  *again = ja ? read_target(ctx, ja) : NULL;
		char	   *jc = again ? pmx_schema_to_json(ctx, again) : NULL;

		CHECK(jc && strcmp(ja, jc) == 0);
	}
	pmx_ctx_free(ctx);
}

/* Unnamed indexes (legal in a target) are ordered by definition too. */
TEST(to_json_deterministic_unnamed_indexes)
{
	PmxCtx	   *ctx = test_ctx();
	PmxSchema  *sa = read_target(ctx,
								 "{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"},"
								 "{\"name\": \"y\", \"type\": \"text\"}],"
								 "\"indexes\": [{\"columns\": [\"x\"]}, {\"columns\": [\"y\"]}]}]}");
	PmxSchema  *sb = read_target(ctx,
								 "{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"x\", \"type\": \"text\"},"
								 "{\"name\": \"y\", \"type\": \"text\"}],"
								 "\"indexes\": [{\"columns\": [\"y\"]}, {\"columns\": [\"x\"]}]}]}");
	char	   *ja = sa ? pmx_schema_to_json(ctx, sa) : NULL;
	char	   *jb = sb ? pmx_schema_to_json(ctx, sb) : NULL;

	CHECK(ja && jb && strcmp(ja, jb) == 0);
	pmx_ctx_free(ctx);
}

/* Names with quotes, backslashes and unicode survive the JSON round trip. */
TEST(to_json_odd_names)
{
	PmxCtx	   *ctx = test_ctx();
	PmxSchema  *s = read_target(ctx,
								"{\"tables\": [{\"name\": \"we\\\"ird\\\\ t\u00e4ble\", \"columns\": ["
								"{\"name\": \"col\\nnl\", \"type\": \"text\", \"default\": \"'it''s'\"}]}]}");
	char	   *j = s ? pmx_schema_to_json(ctx, s) : NULL;
	PmxSchema  *back = j ? read_target(ctx, j) : NULL;

	CHECK(back && back->ntables == 1);
	CHECK(back && strcmp(back->tables[0]->name, "we\"ird\\ t\u00e4ble") == 0);
	CHECK(back && strcmp(back->tables[0]->cols[0].name, "col\nnl") == 0);
	CHECK(back && strcmp(back->tables[0]->cols[0].default_expr, "'it''s'") == 0);
	pmx_ctx_free(ctx);
}

/* An empty schema is legal and writes an empty table list. */
TEST(empty_schema)
{
	PmxCtx	   *ctx = test_ctx();
	PmxSchema  *s = read_target(ctx, "{\"format\": 1, \"dialect\": \"sqlite\", \"tables\": []}");
	char	   *j = s ? pmx_schema_to_json(ctx, s) : NULL;

	CHECK(s && s->ntables == 0);
	CHECK(j && strcmp(j, "{\"format\": 1, \"dialect\": \"sqlite\", \"tables\": []}") == 0);
	pmx_ctx_free(ctx);
}

int
main(void)
{
	RUN(unknown_key_nulable);
	RUN(unknown_keys_everywhere);
	RUN(wrong_types);
	RUN(missing_required);
	RUN(name_length_limit);
	RUN(fk_action_normalization);
	RUN(column_fields);
	RUN(expressions_checked_with_path);
	RUN(constraints_and_options);
	RUN(to_json_fixed_point_design_example);
	RUN(to_json_deterministic);
	RUN(to_json_deterministic_unnamed_indexes);
	RUN(to_json_odd_names);
	RUN(empty_schema);
	return TEST_DONE();
}
