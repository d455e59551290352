/*-------------------------------------------------------------------------
 *
 * test_plan_json.c
 *	  Unit tests of shared/pmx_plan_json.c and shared/pmx_preview.c: a plan
 *	  written by pmx_plan_to_json reads back equal, the strict reader names
 *	  the path of unknown keys and wrong types, and the preview shows the
 *	  SQL of destructive and blocked steps commented out.
 *
 * IDENTIFICATION
 *	  tests/unit/test_plan_json.c
 *
 *-------------------------------------------------------------------------
 */
#include "pmx_test.h"

#include "pmx_plan.h"

/*
 * A plan produced by the SQLite extension (premix_diff over a users table
 * with a rename, a retype, a dropped column and a dropped table).
 */
static const char *const real_plan =
"{\"format\": 1, \"dialect\": \"sqlite\", \"from\": \"59695c5a1f3060fbd5664aef919592b176116"
"cceca52e63e6b9730271813724d\", \"to\": \"5ec06e7171685d83e2c88c23d605159b12652e78bdd52b63c"
"53db072dd65e315\", \"destructive\": true, \"blocked\": false, \"steps\": [{\"op\": \"renam"
"e_column\", \"table\": \"users\", \"object\": \"username\", \"sql\": [\"ALTER TABLE \\\"us"
"ers\\\" RENAME COLUMN \\\"user_name\\\" TO \\\"username\\\"\"], \"down\": [\"ALTER TABLE \\\""
"users\\\" RENAME COLUMN \\\"username\\\" TO \\\"user_name\\\"\"], \"safety\": \"safe\", \""
"lock\": \"write\", \"rewrite\": false, \"reversible\": true, \"reason\": \"column user_nam"
"e renamed to username (same type and constraints, near-identical name)\", \"checks\": []},"
" {\"op\": \"rebuild_table\", \"table\": \"users\", \"object\": \"users\", \"sql\": [\"CREA"
"TE TABLE \\\"premix_new_users\\\" (\\\"id\\\" INTEGER, \\\"username\\\" TEXT NOT NULL, \\\""
"contact\\\" TEXT, \\\"age\\\" TEXT CHECK (length(\\\"age\\\") <= 3), PRIMARY KEY (\\\"id\\\""
"))\", \"INSERT INTO \\\"premix_new_users\\\" (\\\"id\\\", \\\"username\\\", \\\"age\\\") S"
"ELECT \\\"id\\\", \\\"username\\\", \\\"age\\\" FROM \\\"users\\\"\", \"DROP TABLE \\\"use"
"rs\\\"\", \"PRAGMA legacy_alter_table = ON\", \"ALTER TABLE \\\"premix_new_users\\\" RENAM"
"E TO \\\"users\\\"\", \"PRAGMA legacy_alter_table = OFF\", \"CREATE INDEX \\\"users_age_id"
"x\\\" ON \\\"users\\\" (\\\"age\\\")\"], \"down\": [], \"safety\": \"destructive\", \"lock"
"\": \"write\", \"rewrite\": true, \"reversible\": false, \"reason\": \"table users is rebu"
"ilt (SQLite's ALTER TABLE cannot do this in place): new column contact; type of age change"
"s from integer to varchar(3), which stores values differently: 0 non-NULL values may be co"
"nverted; column email is not in the target and holds 0 non-NULL values in 0 rows; it may h"
"ave been renamed to contact (same type), but premix does not guess; index users_age rename"
"d to users_age_idx (same definition); SQLite cannot rename an index, so it is rebuilt unde"
"r the new name\", \"checks\": [\"SELECT count(*) FROM \\\"users\\\" WHERE length(\\\"age\\\""
") > 3\"], \"hint\": \"Pass allow_destructive = true to convert column \\\"age\\\".\", \"pa"
"rts\": [{\"op\": \"add_column\", \"object\": \"contact\", \"safety\": \"safe\", \"reason\""
": \"new column contact\"}, {\"op\": \"alter_column_type\", \"object\": \"age\", \"safety\""
": \"destructive\", \"reason\": \"type of age changes from integer to varchar(3), which sto"
"res values differently: 0 non-NULL values may be converted\"}, {\"op\": \"drop_column\", \""
"object\": \"email\", \"safety\": \"destructive\", \"reason\": \"column email is not in the"
" target and holds 0 non-NULL values in 0 rows; it may have been renamed to contact (same t"
"ype), but premix does not guess\"}, {\"op\": \"rename_index\", \"object\": \"users_age_idx"
"\", \"safety\": \"warn\", \"reason\": \"index users_age renamed to users_age_idx (same def"
"inition); SQLite cannot rename an index, so it is rebuilt under the new name\"}]}, {\"op\""
": \"drop_table\", \"table\": \"old_stuff\", \"object\": \"old_stuff\", \"sql\": [\"DROP TA"
"BLE \\\"old_stuff\\\"\"], \"down\": [], \"safety\": \"destructive\", \"lock\": \"write\", "
"\"rewrite\": false, \"reversible\": false, \"reason\": \"table old_stuff is not in the tar"
"get and holds 0 rows\", \"checks\": [], \"hint\": \"Pass allow_destructive = true to drop "
"table \\\"old_stuff\\\", or list it in the target (or use scope \\\"listed\\\").\"}], \"wa"
"rnings\": [], \"tables\": [\"users\"]}";

/* A small valid plan whose first step is patched in by the tests. */
#define PLAN_HEAD "{\"format\": 1, \"dialect\": \"sqlite\", \"from\": \"f\", \"to\": \"t\", \"steps\": ["
#define PLAN_TAIL "]}"
#define STEP_OK "{\"op\": \"add_column\", \"table\": \"t\", \"object\": \"c\", \"sql\": [\"ALTER TABLE x\"], \"safety\": \"safe\"}"

/* Build a plan by hand with every field the writer knows. */
static PmxPlan *
make_plan(PmxCtx *ctx)
{
	PmxPlan    *p = pmx_alloc(ctx, sizeof(PmxPlan));
	PmxStep    *st;
	PmxChange  *parts;

	p->dialect = PMX_DIALECT_SQLITE;
	p->from_fp = "aaaa";
	p->to_fp = "bbbb";
	st = pmx_plan_add_step(ctx, p, PMX_OP_RENAME_COLUMN, "users", "username");
	pmx_strs_push(ctx, &st->sql, "ALTER TABLE \"users\" RENAME COLUMN \"user_name\" TO \"username\"");
	pmx_strs_push(ctx, &st->down, "ALTER TABLE \"users\" RENAME COLUMN \"username\" TO \"user_name\"");
	st->reason = "column user_name renamed to username";

	st = pmx_plan_add_step(ctx, p, PMX_OP_DROP_TABLE, "old \"stuff\"", "old \"stuff\"");
	pmx_strs_push(ctx, &st->sql, "DROP TABLE \"old \"\"stuff\"\"\"");
	st->safety = PMX_DESTRUCTIVE;
	st->reversible = false;
	st->reason = "table old \"stuff\" is not in the target";
	st->hint = "Pass allow_destructive = true.";

	st = pmx_plan_add_step(ctx, p, PMX_OP_REBUILD_TABLE, "t", "t");
	pmx_strs_push(ctx, &st->sql, "CREATE TABLE \"premix_new_t\" (\"a\" TEXT NOT NULL)");
	pmx_strs_push(ctx, &st->sql, "INSERT INTO \"premix_new_t\" SELECT \"a\" FROM \"t\"");
	pmx_strs_push(ctx, &st->down, "SELECT 1");
	pmx_strs_push(ctx, &st->checks, "SELECT count(*) FROM \"t\" WHERE \"a\" IS NULL");
	st->safety = PMX_BLOCKED;
	st->block_code = PMX_E_BLOCKED_NULLS;
	st->rewrite = true;
	st->lock = "exclusive";
	st->reason = "column a cannot become NOT NULL: 2 rows hold NULL";
	st->hint = "Declare a default.";
	parts = pmx_alloc(ctx, 2 * sizeof(PmxChange));
	st->parts = pmx_alloc(ctx, 2 * sizeof(PmxChange *));
	parts[0].op = PMX_OP_SET_NOT_NULL;
	parts[0].object = "a";
	parts[0].safety = PMX_BLOCKED;
	parts[0].reason = "2 rows hold NULL";
	parts[1].op = PMX_OP_ADD_CHECK;
	parts[1].object = "t_a_check";
	parts[1].safety = PMX_WARN;
	parts[1].reason = "new check";
	st->parts[0] = &parts[0];
	st->parts[1] = &parts[1];
	st->nparts = 2;

	pmx_strs_push(ctx, &p->warnings, "SQLite has no time zones");
	pmx_strs_push(ctx, &p->tables, "users");
	pmx_strs_push(ctx, &p->tables, "t");
	pmx_strs_push(ctx, &p->fk_parents, "users");
	p->destructive = true;
	p->blocked = true;
	return p;
}

/* True when reading text fails with PMX_E_INVALID naming needle (and hint). */
static int
plan_rejected(const char *text, const char *needle, const char *hint)
{
	PmxCtx	   *ctx = test_ctx();
	PmxPlan    *p = pmx_plan_from_json(ctx, text);
	const PmxError *e = pmx_ctx_error(ctx);
	int			ok = p == NULL && e->code == PMX_E_INVALID &&
		strcmp(e->sqlstate, "22023") == 0 && e->message &&
		(!needle || strstr(e->message, needle)) &&
		(!hint || (e->hint && strstr(e->hint, hint)));

	if (!ok)
		printf("  (got: %s / hint %s)\n", e->message ? e->message : "no error",
			   e->hint ? e->hint : "-");
	pmx_ctx_free(ctx);
	return ok;
}

/* A plan with one step (JSON object text) in the minimal envelope. */
static char *
with_step(PmxCtx *ctx, const char *step)
{
	return pmx_sprintf(ctx, "%s%s%s", PLAN_HEAD, step, PLAN_TAIL);
}

/* A hand-built plan: write, read, write again gives the same text and fields. */
TEST(round_trip_built_plan)
{
	PmxCtx	   *ctx = test_ctx();
	PmxPlan    *p = make_plan(ctx);
	char	   *once = pmx_plan_to_json(ctx, p);
	PmxPlan    *back = once ? pmx_plan_from_json(ctx, once) : NULL;
	char	   *twice = back ? pmx_plan_to_json(ctx, back) : NULL;

	CHECK(once != NULL);
	CHECK(back != NULL);
	CHECK(twice && strcmp(once, twice) == 0);
	if (!back)
	{
		pmx_ctx_free(ctx);
		return;
	}
	CHECK(back->dialect == PMX_DIALECT_SQLITE);
	CHECK(strcmp(back->from_fp, "aaaa") == 0 && strcmp(back->to_fp, "bbbb") == 0);
	CHECK(back->destructive && back->blocked);
	CHECK(back->nsteps == 3);
	CHECK(back->nsteps == 3 && back->steps[0].op == PMX_OP_RENAME_COLUMN);
	CHECK(back->nsteps == 3 && back->steps[0].reversible && back->steps[0].down.n == 1);
	CHECK(back->nsteps == 3 && strcmp(back->steps[1].table, "old \"stuff\"") == 0);
	CHECK(back->nsteps == 3 && back->steps[1].safety == PMX_DESTRUCTIVE && !back->steps[1].reversible);
	CHECK(back->nsteps == 3 && strcmp(back->steps[1].sql.v[0], "DROP TABLE \"old \"\"stuff\"\"\"") == 0);
	CHECK(back->nsteps == 3 && back->steps[2].block_code == PMX_E_BLOCKED_NULLS);
	CHECK(back->nsteps == 3 && back->steps[2].rewrite && strcmp(back->steps[2].lock, "exclusive") == 0);
	CHECK(back->nsteps == 3 && back->steps[2].sql.n == 2 && back->steps[2].checks.n == 1);
	CHECK(back->nsteps == 3 && back->steps[2].nparts == 2 &&
		  back->steps[2].parts[1]->op == PMX_OP_ADD_CHECK &&
		  back->steps[2].parts[1]->safety == PMX_WARN &&
		  strcmp(back->steps[2].parts[1]->object, "t_a_check") == 0);
	CHECK(back->warnings.n == 1 && back->tables.n == 2 && back->fk_parents.n == 1);
	CHECK(once && strstr(once, "\"sqlstate\": \"23502\"") != NULL);
	pmx_ctx_free(ctx);
}

/* A plan the SQLite extension produced reads, and writes back identically. */
TEST(round_trip_real_plan)
{
	PmxCtx	   *ctx = test_ctx();
	PmxPlan    *p = pmx_plan_from_json(ctx, real_plan);
	char	   *out = p ? pmx_plan_to_json(ctx, p) : NULL;

	CHECK(p != NULL);
	CHECK(out && strcmp(out, real_plan) == 0);
	CHECK(p && p->nsteps == 3 && p->destructive && !p->blocked);
	CHECK(p && p->nsteps == 3 && p->steps[1].op == PMX_OP_REBUILD_TABLE && p->steps[1].nparts == 4);
	pmx_ctx_free(ctx);
}

/* An empty plan round-trips and previews as "nothing to do". */
TEST(empty_plan)
{
	PmxCtx	   *ctx = test_ctx();
	const char *text = "{\"format\": 1, \"dialect\": \"sqlite\", \"from\": \"a\", \"to\": \"b\","
		" \"destructive\": false, \"blocked\": false, \"steps\": [], \"warnings\": [], \"tables\": []}";
	PmxPlan    *p = pmx_plan_from_json(ctx, text);
	char	   *out = p ? pmx_plan_to_json(ctx, p) : NULL;
	char	   *pv = p ? pmx_plan_preview(ctx, p) : NULL;

	CHECK(out && strcmp(out, text) == 0);
	CHECK(pv && strstr(pv, "nothing to do") != NULL);
	pmx_ctx_free(ctx);
}

/* An unknown key in a step names steps[i].<key> and suggests the right one. */
TEST(unknown_step_key)
{
	PmxCtx	   *ctx = test_ctx();

	CHECK(plan_rejected(with_step(ctx, "{\"op\": \"add_column\", \"sqll\": [], \"safety\": \"safe\"}"),
						"steps[0].sqll", "\"sql\""));
	CHECK(plan_rejected(pmx_sprintf(ctx, "%s%s, %s%s", PLAN_HEAD, STEP_OK,
									"{\"op\": \"add_column\", \"safety\": \"safe\", \"reasn\": \"x\"}", PLAN_TAIL),
						"steps[1].reasn", "reason"));
	CHECK(plan_rejected(with_step(ctx, "{\"op\": \"rebuild_table\", \"safety\": \"safe\", \"parts\":"
								  " [{\"op\": \"add_column\", \"safety\": \"safe\", \"objekt\": \"c\"}]}"),
						"steps[0].parts[0].objekt", "object"));
	CHECK(plan_rejected("{\"format\": 1, \"dialect\": \"sqlite\", \"from\": \"f\", \"to\": \"t\", \"stepz\": []}",
						"stepz", "steps"));
	pmx_ctx_free(ctx);
}

/* Wrong types and values are errors with the path. */
TEST(wrong_types_and_values)
{
	PmxCtx	   *ctx = test_ctx();

	CHECK(plan_rejected(with_step(ctx, "{\"op\": \"add_column\", \"sql\": \"ALTER\", \"safety\": \"safe\"}"),
						"steps[0].sql", NULL));
	CHECK(plan_rejected(with_step(ctx, "{\"op\": \"add_column\", \"sql\": [1], \"safety\": \"safe\"}"),
						"steps[0].sql[0]", NULL));
	CHECK(plan_rejected(with_step(ctx, "{\"op\": \"explode\", \"safety\": \"safe\"}"), "steps[0].op", NULL));
	CHECK(plan_rejected(with_step(ctx, "{\"safety\": \"safe\"}"), "steps[0].op", NULL));
	CHECK(plan_rejected(with_step(ctx, "{\"op\": \"add_column\", \"safety\": \"maybe\"}"), "steps[0].safety", NULL));
	CHECK(plan_rejected(with_step(ctx, "{\"op\": \"add_column\"}"), "steps[0].safety", NULL));
	CHECK(plan_rejected(with_step(ctx, "{\"op\": \"add_column\", \"safety\": \"safe\", \"rewrite\": 1}"),
						"steps[0].rewrite", NULL));
	CHECK(plan_rejected(with_step(ctx, "{\"op\": \"add_column\", \"safety\": \"safe\", \"table\": 5}"),
						"steps[0].table", NULL));
	CHECK(plan_rejected(with_step(ctx, "{\"op\": \"add_column\", \"safety\": \"safe\", \"parts\": {}}"),
						"steps[0].parts", NULL));
	CHECK(plan_rejected(with_step(ctx, "[]"), "steps[0]", NULL));
	CHECK(plan_rejected(with_step(ctx, "\"step\""), "steps[0]", NULL));
	CHECK(plan_rejected("{\"format\": 2, \"dialect\": \"sqlite\", \"from\": \"f\", \"to\": \"t\", \"steps\": []}",
						"format", NULL));
	CHECK(plan_rejected("{\"dialect\": \"sqlite\", \"from\": \"f\", \"to\": \"t\", \"steps\": []}", "format", NULL));
	CHECK(plan_rejected("{\"format\": 1, \"dialect\": \"oracle\", \"from\": \"f\", \"to\": \"t\", \"steps\": []}",
						"oracle", NULL));
	CHECK(plan_rejected("{\"format\": 1, \"dialect\": \"sqlite\", \"to\": \"t\", \"steps\": []}", "from", NULL));
	CHECK(plan_rejected("{\"format\": 1, \"dialect\": \"sqlite\", \"from\": \"f\", \"to\": \"t\"}", "steps", NULL));
	CHECK(plan_rejected("{\"format\": 1, \"dialect\": \"sqlite\", \"from\": \"f\", \"to\": \"t\", \"steps\": {}}",
						"steps", NULL));
	CHECK(plan_rejected("{\"format\": 1, \"dialect\": \"sqlite\", \"from\": \"f\", \"to\": \"t\", \"steps\": [],"
						" \"warnings\": [null]}", "warnings", NULL));
	CHECK(plan_rejected("[1]", NULL, NULL));
	pmx_ctx_free(ctx);
}

/* Malformed JSON is PMX_E_JSON / 22P02, not an invalid-plan error. */
TEST(malformed_plan)
{
	PmxCtx	   *ctx = test_ctx();

	CHECK(pmx_plan_from_json(ctx, "{\"format\": 1,") == NULL);
	CHECK(pmx_ctx_error(ctx)->code == PMX_E_JSON);
	CHECK(strcmp(pmx_ctx_error(ctx)->sqlstate, "22P02") == 0);
	pmx_ctx_free(ctx);
	ctx = test_ctx();
	CHECK(pmx_plan_from_json(ctx, NULL) == NULL);
	CHECK(pmx_ctx_error(ctx)->code != PMX_E_NONE && pmx_ctx_error(ctx)->message);
	pmx_ctx_free(ctx);
}

/* The plan-level flags follow the steps, whatever the JSON claims. */
TEST(flags_follow_steps)
{
	PmxCtx	   *ctx = test_ctx();
	PmxPlan    *p = pmx_plan_from_json(ctx,
									   "{\"format\": 1, \"dialect\": \"sqlite\", \"from\": \"f\", \"to\": \"t\","
									   " \"destructive\": false, \"blocked\": false, \"steps\": ["
									   "{\"op\": \"drop_table\", \"table\": \"x\", \"sql\": [\"DROP TABLE x\"], \"safety\": \"destructive\"},"
									   "{\"op\": \"set_not_null\", \"table\": \"y\", \"safety\": \"blocked\", \"sqlstate\": \"23502\"}]}");

	CHECK(p && p->destructive && p->blocked);
	CHECK(p && p->nsteps == 2 && p->steps[1].block_code == PMX_E_BLOCKED_NULLS);
	pmx_ctx_free(ctx);
}

/* Preview: classes and counts, safe SQL as is, destructive/blocked SQL skipped. */
TEST(preview_comments_out_destructive)
{
	PmxCtx	   *ctx = test_ctx();
	PmxPlan    *p = make_plan(ctx);
	char	   *pv = pmx_plan_preview(ctx, p);

	CHECK(pv != NULL);
	if (!pv)
	{
		pmx_ctx_free(ctx);
		return;
	}
	CHECK(strstr(pv, "3 steps (1 safe, 0 warn, 1 destructive, 1 blocked)") != NULL);
	CHECK(strstr(pv, "[safe] rename_column users.username") != NULL);
	/* the safe step's SQL is runnable text */
	CHECK(strstr(pv, "      ALTER TABLE \"users\" RENAME COLUMN \"user_name\" TO \"username\";\n") != NULL);
	/* destructive and blocked SQL only behind "-- skipped: " */
	CHECK(strstr(pv, "-- skipped: DROP TABLE \"old \"\"stuff\"\"\";") != NULL);
	CHECK(strstr(pv, "-- skipped: CREATE TABLE \"premix_new_t\"") != NULL);
	CHECK(strstr(pv, "-- skipped: INSERT INTO \"premix_new_t\"") != NULL);
	for (const char *l = pv; l && *l;)
	{
		const char *nl = strchr(l, '\n');
		size_t		n = nl ? (size_t) (nl - l) : strlen(l);
		char		line[512];

		snprintf(line, sizeof(line), "%.*s", (int) n, l);
		if (strstr(line, "DROP TABLE") || strstr(line, "INSERT INTO"))
			CHECK(strstr(line, "-- skipped: ") != NULL);
		l = nl ? nl + 1 : NULL;
	}
	CHECK(strstr(pv, "hint: Pass allow_destructive = true.") != NULL);
	CHECK(strstr(pv, "[blocked] set_not_null a") != NULL);
	CHECK(strstr(pv, "SQLite has no time zones") != NULL);
	CHECK(strstr(pv, "premix_apply refuses this plan") != NULL);
	pmx_ctx_free(ctx);
}

/*
 * Preview: a skipped statement that spans lines (a default whose string
 * literal holds newlines) is commented out on every line.  Otherwise its
 * last line, DROP TABLE "t"; SELECT '''), runs when the preview is pasted
 * into the sqlite3 shell (checked by hand: the table is dropped).
 */
TEST(preview_comments_every_line)
{
	PmxCtx	   *ctx = test_ctx();
	PmxPlan    *p = pmx_plan_from_json(ctx,
									   "{\"format\": 1, \"dialect\": \"sqlite\", \"from\": \"f\", \"to\": \"t\", \"steps\": ["
									   "{\"op\": \"rebuild_table\", \"table\": \"t\", \"safety\": \"destructive\", \"sql\": ["
									   "\"CREATE TABLE \\\"premix_new_t\\\" (\\\"a\\\" TEXT DEFAULT 'x\\n'';\\n"
									   "DROP TABLE \\\"t\\\"; SELECT ''')\"]}]}");
	char	   *pv = p ? pmx_plan_preview(ctx, p) : NULL;

	CHECK(pv != NULL);
	for (const char *l = pv; l && *l;)
	{
		const char *nl = strchr(l, '\n');
		size_t		n = nl ? (size_t) (nl - l) : strlen(l);
		char		line[512];

		snprintf(line, sizeof(line), "%.*s", (int) n, l);
		if (strstr(line, "DROP TABLE"))
			CHECK(strstr(line, "--") != NULL && strstr(line, "--") < strstr(line, "DROP TABLE"));
		l = nl ? nl + 1 : NULL;
	}
	pmx_ctx_free(ctx);
}

/*
 * Preview: user text in the prose lines (a reason quoting a default with
 * newlines, a table or column name with a newline) cannot start a line of
 * its own either.  premix_preview over a rebuild whose new default is
 * 'x\n'';\nDROP TABLE "t"; SELECT ''' printed that line bare in the step
 * header, and pasting the preview into the sqlite3 shell dropped "t".
 */
TEST(preview_user_text_stays_on_its_line)
{
	PmxCtx	   *ctx = test_ctx();
	PmxPlan    *p = pmx_plan_from_json(ctx,
									   "{\"format\": 1, \"dialect\": \"sqlite\", \"from\": \"f\", \"to\": \"t\", \"steps\": ["
									   "{\"op\": \"rebuild_table\", \"table\": \"t\", \"safety\": \"destructive\","
									   " \"reason\": \"default of b becomes 'x\\n'';\\nDROP TABLE \\\"t\\\"; SELECT '''\","
									   " \"parts\": [{\"op\": \"add_column\", \"object\": \"c\\nDROP TABLE u;\", \"safety\": \"safe\"}]},"
									   "{\"op\": \"add_column\", \"table\": \"v\\nDROP TABLE v;\", \"object\": \"w\", \"safety\": \"safe\"}],"
									   " \"warnings\": [\"column x.y\\nDROP TABLE w;\"]}");
	char	   *pv = p ? pmx_plan_preview(ctx, p) : NULL;

	CHECK(pv != NULL);
	for (const char *l = pv; l && *l;)
	{
		const char *nl = strchr(l, '\n');
		const char *s = l;

		while (*s == ' ' || *s == '\t')
			s++;
		CHECK(strncmp(s, "DROP TABLE", 10) != 0);
		l = nl ? nl + 1 : NULL;
	}
	pmx_ctx_free(ctx);
}

/* op and safety names map both ways; unknown names are -1. */
TEST(names_both_ways)
{
	for (int op = 0; op < PMX_OP__COUNT; op++)
		CHECK(pmx_op_from_name(pmx_op_name((PmxOp) op)) == op);
	for (int s = 0; s < 4; s++)
		CHECK(pmx_safety_from_name(pmx_safety_name((PmxSafety) s)) == s);
	CHECK(pmx_op_from_name("drop_everything") == -1);
	CHECK(pmx_op_from_name("") == -1);
	CHECK(pmx_safety_from_name("SAFE") == -1);
	CHECK(strcmp(pmx_op_name(PMX_OP_ALTER_OPTIONS), "alter_table_options") == 0);
}

int
main(void)
{
	RUN(round_trip_built_plan);
	RUN(round_trip_real_plan);
	RUN(empty_plan);
	RUN(unknown_step_key);
	RUN(wrong_types_and_values);
	RUN(malformed_plan);
	RUN(flags_follow_steps);
	RUN(preview_comments_out_destructive);
	RUN(preview_comments_every_line);
	RUN(preview_user_text_stays_on_its_line);
	RUN(names_both_ways);
	return TEST_DONE();
}
