/*-------------------------------------------------------------------------
 *
 * pmx_preview.c
 *	  premix_preview: a plan as text a person reads before applying it.
 *
 * One line per step -- number, class, operation, object, reason -- then
 * its hint when it needs one, then its SQL.  Destructive and blocked
 * steps show their SQL commented out ("-- skipped: ..."), as sqldef does,
 * so the text pasted into a shell does no harm.
 *
 * IDENTIFICATION
 *	  shared/pmx_preview.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_plan.h"

/* The plan as readable text; NULL on OOM. */
char *
pmx_plan_preview(PmxCtx *ctx, const PmxPlan *plan)
{
	PmxBuf		b;
	int			count[4] = {0, 0, 0, 0};

	for (int i = 0; i < plan->nsteps; i++)
		count[plan->steps[i].safety]++;
	pmx_buf_init(&b, ctx);
	if (plan->nsteps == 0)
		pmx_buf_append(&b, "premix: nothing to do, the schema already matches the target\n");
	else
		pmx_buf_appendf(&b, "premix plan: %d %s (%d safe, %d warn, %d destructive, %d blocked)\n",
						plan->nsteps, plan->nsteps == 1 ? "step" : "steps",
						count[PMX_SAFE], count[PMX_WARN], count[PMX_DESTRUCTIVE],
						count[PMX_BLOCKED]);
	for (int i = 0; i < plan->nsteps; i++)
	{
		const PmxStep *st = &plan->steps[i];
		bool		skip = st->safety >= PMX_DESTRUCTIVE;

		pmx_buf_appendf(&b, "%2d. [%s] %s %s", i + 1, pmx_safety_name(st->safety),
						pmx_op_name(st->op), st->table ? st->table : "");
		if (st->object && st->table && strcmp(st->object, st->table) != 0)
			pmx_buf_appendf(&b, ".%s", st->object);
		pmx_buf_appendf(&b, ": %s\n", st->reason);
		for (int k = 0; k < st->nparts; k++)
			pmx_buf_appendf(&b, "      - [%s] %s %s\n", pmx_safety_name(st->parts[k]->safety),
							pmx_op_name(st->parts[k]->op), st->parts[k]->object);
		if (st->hint && skip)
			pmx_buf_appendf(&b, "      hint: %s\n", st->hint);
		for (int k = 0; k < st->sql.n; k++)
		{
			/* every line of a skipped statement is commented out */
			const char *line = st->sql.v[k];

			pmx_buf_appendf(&b, "      %s", skip ? "-- skipped: " : "");
			for (const char *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
			{
				pmx_buf_append_len(&b, line, (size_t) (nl - line + 1));
				pmx_buf_append(&b, skip ? "      --          " : "      ");
			}
			pmx_buf_appendf(&b, "%s;\n", line);
		}
	}
	if (plan->warnings.n)
	{
		pmx_buf_append(&b, "warnings:\n");
		for (int i = 0; i < plan->warnings.n; i++)
			pmx_buf_appendf(&b, "  - %s\n", plan->warnings.v[i]);
	}
	if (count[PMX_BLOCKED])
		pmx_buf_append(&b, "premix_apply refuses this plan: a blocked step cannot succeed on the current data.\n");
	else if (count[PMX_DESTRUCTIVE])
		pmx_buf_append(&b, "premix_apply refuses the destructive steps unless allow_destructive is true.\n");
	return pmx_buf_finish(&b);
}
