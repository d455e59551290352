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

/*
 * Append prose (a reason, a name, a warning) on the current line: a line
 * break inside it is written as the two characters \n, so nothing a user
 * put in a name or default can start a line of its own in text that may be
 * pasted into a shell.
 */
static void
append_prose(PmxBuf *b, const char *text)
{
	const char *run = text;

	if (!text)
		return;
	for (const char *p = text; *p; p++)
		if (*p == '\n' || *p == '\r')
		{
			pmx_buf_append_len(b, run, (size_t) (p - run));
			pmx_buf_append(b, *p == '\n' ? "\\n" : "\\r");
			run = p + 1;
		}
	pmx_buf_append(b, run);
}

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

		pmx_buf_appendf(&b, "%2d. [%s] %s ", i + 1, pmx_safety_name(st->safety),
						pmx_op_name(st->op));
		append_prose(&b, st->table);
		if (st->object && st->table && strcmp(st->object, st->table) != 0)
		{
			pmx_buf_putc(&b, '.');
			append_prose(&b, st->object);
		}
		pmx_buf_append(&b, ": ");
		append_prose(&b, st->reason);
		pmx_buf_putc(&b, '\n');
		for (int k = 0; k < st->nparts; k++)
		{
			pmx_buf_appendf(&b, "      - [%s] %s ", pmx_safety_name(st->parts[k]->safety),
							pmx_op_name(st->parts[k]->op));
			append_prose(&b, st->parts[k]->object);
			pmx_buf_putc(&b, '\n');
		}
		if (st->hint && skip)
		{
			pmx_buf_append(&b, "      hint: ");
			append_prose(&b, st->hint);
			pmx_buf_putc(&b, '\n');
		}
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
		{
			pmx_buf_append(&b, "  - ");
			append_prose(&b, plan->warnings.v[i]);
			pmx_buf_putc(&b, '\n');
		}
	}
	if (count[PMX_BLOCKED])
		pmx_buf_append(&b, "premix_apply refuses this plan: a blocked step cannot succeed on the current data.\n");
	else if (count[PMX_DESTRUCTIVE])
		pmx_buf_append(&b, "premix_apply refuses the destructive steps unless allow_destructive is true.\n");
	return pmx_buf_finish(&b);
}
