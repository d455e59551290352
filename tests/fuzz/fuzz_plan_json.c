/*-------------------------------------------------------------------------
 *
 * fuzz_plan_json.c
 *	  libFuzzer target: the plan reader, writer and preview.
 *
 * Each input is NUL-terminated and read with pmx_plan_from_json; on
 * success the plan is written back with pmx_plan_to_json and previewed
 * with pmx_plan_preview.  Properties (abort() on violation):
 *
 *	 1. what the writer produced reads back, and writes again to the same
 *		text (the plan a host stores is the plan it applies);
 *	 2. a failing read leaves a complete error (code, SQLSTATE, message).
 *
 * The context is freed on every run, so any leak is the core's.
 *
 * IDENTIFICATION
 *	  tests/fuzz/fuzz_plan_json.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_plan_json"
#include "fuzz_common.h"
#include "pmx_plan.h"

/* One input: read it as a plan; a plan read must write, re-read and preview to the same text. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	PmxCtx	   *ctx = new_ctx();
	char	   *text = malloc(size + 1);
	PmxPlan    *plan,
			   *back;
	char	   *once,
			   *twice,
			   *preview;

	if (!ctx || !text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	plan = pmx_plan_from_json(ctx, text);
	if (!plan)
	{
		const PmxError *e = pmx_ctx_error(ctx);

		if (e->code == PMX_E_NONE || !e->message || strlen(e->sqlstate) != 5)
			fail("a failing read left no complete error", text, e->message);
		goto done;
	}
	once = pmx_plan_to_json(ctx, plan);
	preview = pmx_plan_preview(ctx, plan);
	if (!once || !preview)
		fail("writing or previewing a valid plan failed", text, NULL);
	back = pmx_plan_from_json(ctx, once);
	if (!back)
		fail("pmx_plan_to_json output does not read back", once, pmx_ctx_error(ctx)->message);
	twice = pmx_plan_to_json(ctx, back);
	if (!twice || strcmp(once, twice) != 0)
		fail("pmx_plan_to_json is not a fixed point", once, twice);
	if (!pmx_plan_preview(ctx, back))
		fail("previewing the re-read plan failed", once, NULL);
done:
	pmx_ctx_free(ctx);
	free(text);
	return 0;
}
