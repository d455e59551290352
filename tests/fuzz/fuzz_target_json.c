/*-------------------------------------------------------------------------
 *
 * fuzz_target_json.c
 *	  libFuzzer target: the target JSON path of the core, no database.
 *
 * Each input is NUL-terminated and fed to pmx_json_parse ->
 * pmx_schema_from_json (SQLite dialect) -> pmx_validate_target; on success
 * the schema is written with pmx_schema_to_json, and three properties are
 * checked (abort() on violation, so libFuzzer reports the input):
 *
 *	 1. the written JSON reads back and writes again to the same text
 *		(premix_schema output is deterministic and a fixed point);
 *	 2. an error always carries a code, a SQLSTATE and a message;
 *	 3. diffing the validated model against a second reading of the same
 *		input finds no change (identical schemas -> empty plan).
 *
 * The context is freed on every run, so any leak is the core's.
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

/* An error, when set, must be complete. */
static void
check_error(PmxCtx *ctx)
{
	const PmxError *e = pmx_ctx_error(ctx);

	if (e->code == PMX_E_NONE || !e->message || strlen(e->sqlstate) != 5)
		fail("a failing call left no complete error", e->message, e->sqlstate);
}

/* Read and validate text; NULL (error set) when it is not a valid target. */
static PmxSchema *
load(PmxCtx *ctx, const char *text)
{
	PmxOptions	opts;
	PmxJson    *j = pmx_json_parse(ctx, text, "target");
	PmxSchema  *s;

	memset(&opts, 0, sizeof(opts));
	if (!j || !(s = pmx_schema_from_json(ctx, j, PMX_DIALECT_SQLITE)) ||
		pmx_validate_target(ctx, s, NULL, &opts) != PMX_OK)
		return NULL;
	return s;
}

/* One input: read it as a target; a valid target must write and re-read to the same text and diff empty against itself. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	PmxCtx	   *ctx = new_ctx();
	char	   *text = malloc(size + 1);
	PmxSchema  *s,
			   *s2,
			   *back;
	char	   *once,
			   *twice;

	if (!ctx || !text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	s = load(ctx, text);
	if (!s)
	{
		check_error(ctx);
		goto done;
	}
	if (!(once = pmx_schema_to_json(ctx, s)))
		fail("pmx_schema_to_json failed on a valid schema", text, NULL);

	/* 1. the output is a fixed point */
	back = load(ctx, once);
	if (!back)
		fail("pmx_schema_to_json output does not read back", once, pmx_ctx_error(ctx)->message);
	twice = pmx_schema_to_json(ctx, back);
	if (!twice || strcmp(once, twice) != 0)
		fail("pmx_schema_to_json is not a fixed point", once, twice);

	/* 3. a schema diffed against itself has no changes */
	s2 = load(ctx, text);
	if (!s2)
		fail("the same input read twice failed the second time", text, NULL);
	{
		PmxOptions	opts;
		PmxDiff		d;

		memset(&opts, 0, sizeof(opts));
		if (pmx_diff_models(ctx, s2, s, &opts, &d) != PMX_OK)
			fail("diff of a schema against itself failed", once, pmx_ctx_error(ctx)->message);
		if (d.nchanges != 0)
			fail("diff of a schema against itself found changes", once,
				 pmx_op_name(d.changes[0]->op));
	}
done:
	pmx_ctx_free(ctx);
	free(text);
	return 0;
}
