/*-------------------------------------------------------------------------
 *
 * fuzz_target_json.c
 *	  libFuzzer target: the target JSON path of the core, no database.
 *
 * Each input is NUL-terminated and fed, once per dialect -- SQLite and
 * PostgreSQL, each in a fresh context -- to pmx_json_parse ->
 * pmx_schema_from_json -> pmx_validate_target; on success the schema is
 * written with pmx_schema_to_json, and three properties are checked
 * (abort() on violation, so libFuzzer reports the input):
 *
 *	 1. the written JSON reads back (in the same dialect) and writes again
 *		to the same text (premix_schema output is deterministic and a fixed
 *		point) -- on SQLite expressions are canonical, on PostgreSQL they
 *		are kept as written (trimmed), and either way re-reading the
 *		written form must not change them;
 *	 2. an error always carries a code, a SQLSTATE and a message;
 *	 3. diffing the validated model against a second reading of the same
 *		input finds no change (identical schemas -> empty plan);
 *	 4. MySQL (pmx_diff_docs, the UDF path): planned from an empty database,
 *		the input either fails with a complete error or gives a plan whose
 *		JSON reads back and previews; every statement qualifies.
 *
 * The contexts are freed on every run, so any leak is the core's.
 *
 * IDENTIFICATION
 *	  tests/fuzz/fuzz_target_json.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_target_json"
#include "fuzz_common.h"
#include "pmx_json.h"
#include "pmx_model.h"
#include "pmx_plan.h"
#include "pmx_validate.h"
#include "premix.h"

/* An error, when set, must be complete. */
static void
check_error(PmxCtx *ctx)
{
	const PmxError *e = pmx_ctx_error(ctx);

	if (e->code == PMX_E_NONE || !e->message || strlen(e->sqlstate) != 5)
		fail("a failing call left no complete error", e->message, e->sqlstate);
}

/* Read and validate text in dialect d; NULL (error set) when it is not a valid target. */
static PmxSchema *
load(PmxCtx *ctx, const char *text, PmxDialect d)
{
	PmxOptions	opts;
	PmxJson    *j = pmx_json_parse(ctx, text, "target");
	PmxSchema  *s;

	memset(&opts, 0, sizeof(opts));
	if (!j || !(s = pmx_schema_from_json(ctx, j, d)) ||
		pmx_validate_target(ctx, s, NULL, &opts) != PMX_OK)
		return NULL;
	return s;
}

/* fail() with the dialect named after what broke. */
static void
dfail(PmxDialect d, const char *what, const char *a, const char *b)
{
	char		msg[160];

	snprintf(msg, sizeof(msg), "%s (%s)", what,
			 d == PMX_DIALECT_POSTGRES ? "postgresql" : "sqlite");
	fail(msg, a, b);
}

/* Read text as a target in dialect d; a valid target must write and re-read to the same text and diff empty against itself. */
static void
check_dialect(const char *text, PmxDialect d)
{
	PmxCtx	   *ctx = new_ctx();
	PmxSchema  *s,
			   *s2,
			   *back;
	char	   *once,
			   *twice;

	s = load(ctx, text, d);
	if (!s)
	{
		check_error(ctx);
		goto done;
	}
	if (!(once = pmx_schema_to_json(ctx, s)))
		dfail(d, "pmx_schema_to_json failed on a valid schema", text, NULL);

	/* 1. the output is a fixed point */
	back = load(ctx, once, d);
	if (!back)
		dfail(d, "pmx_schema_to_json output does not read back", once, pmx_ctx_error(ctx)->message);
	twice = pmx_schema_to_json(ctx, back);
	if (!twice || strcmp(once, twice) != 0)
		dfail(d, "pmx_schema_to_json is not a fixed point", once, twice);

	/* 3. a schema diffed against itself has no changes */
	s2 = load(ctx, text, d);
	if (!s2)
		dfail(d, "the same input read twice failed the second time", text, NULL);
	{
		PmxOptions	opts;
		PmxDiff		diff;

		memset(&opts, 0, sizeof(opts));
		if (pmx_diff_models(ctx, s2, s, &opts, &diff) != PMX_OK)
			dfail(d, "diff of a schema against itself failed", once, pmx_ctx_error(ctx)->message);
		if (diff.nchanges != 0)
			dfail(d, "diff of a schema against itself found changes", once,
				  pmx_op_name(diff.changes[0]->op));
	}
done:
	pmx_ctx_free(ctx);
}

/* Property 4: the MySQL plan from documents. */
static void
check_mysql(const char *text)
{
	static const char empty[] = "{\"format\": 1, \"dialect\": \"mysql\", \"tables\": []}";
	PmxCtx	   *ctx = new_ctx();
	char	   *plan,
			   *preview;
	PmxPlan    *back;

	if (pmx_diff_docs(ctx, empty, text, "{\"database\": \"d\\\"b\"}", &plan) != PMX_OK)
	{
		check_error(ctx);
		goto done;
	}
	if (!(back = pmx_plan_from_json(ctx, plan)))
		fail("a MySQL plan does not read back", plan, pmx_ctx_error(ctx)->message);
	if (pmx_preview_doc(ctx, plan, &preview) != PMX_OK)
		fail("a MySQL plan does not preview", plan, pmx_ctx_error(ctx)->message);
	for (int i = 0; i < back->nsteps; i++)
		for (int k = 0; k < back->steps[i].sql.n; k++)
			if (!strstr(back->steps[i].sql.v[k], "\"d\"\"b\"."))
				fail("a MySQL statement does not name its database", back->steps[i].sql.v[k], NULL);
done:
	pmx_ctx_free(ctx);
}

/* One input: read it as a target in each dialect. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = malloc(size + 1);

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	check_dialect(text, PMX_DIALECT_SQLITE);
	check_dialect(text, PMX_DIALECT_POSTGRES);
	check_mysql(text);

	free(text);
	return 0;
}
