/*-------------------------------------------------------------------------
 *
 * pmx_script.c
 *	  premix_script(plan): the versioned text of a plan, for
 *	  YYYYMMDDHHMMSS_name.up.sql / .down.sql files run by premix_run.
 *
 * Each script starts with a header naming the plan's fingerprints and
 * every step with its class and reason, then the SQL, one statement per
 * line group, each ended by ";".  The down script runs the steps' down
 * SQL in reverse order.
 *
 * On PostgreSQL, an index built on a table that holds rows takes a SHARE
 * lock for as long as the build lasts (the plan marks that step "warn"
 * with lock "share"); in the up script it becomes CREATE INDEX
 * CONCURRENTLY, placed after the line "-- premix:after-commit", because
 * it cannot run inside a transaction.  premix_run runs the part before the
 * line and hands the rest back to be run after commit.
 *
 * IDENTIFICATION
 *	  shared/pmx_script.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_json.h"
#include "pmx_plan.h"

/* A step built after commit, CONCURRENTLY (PostgreSQL). */
static bool
is_concurrent(const PmxPlan *plan, const PmxStep *st)
{
	return plan->dialect == PMX_DIALECT_POSTGRES && st->op == PMX_OP_CREATE_INDEX &&
		st->safety == PMX_WARN && st->lock && strcmp(st->lock, "share") == 0 &&
		st->sql.n == 1 && (strncmp(st->sql.v[0], "CREATE INDEX ", 13) == 0 ||
						   strncmp(st->sql.v[0], "CREATE UNIQUE INDEX ", 20) == 0);
}

/* The header: fingerprints and one line per step. */
static void
header(PmxBuf *b, const PmxPlan *plan, bool down)
{
	static const char *const dialects[] = {"sqlite", "postgresql", "mysql"};

	pmx_buf_appendf(b, "-- premix %s migration (%s): %d step%s, schema %.12s -> %.12s\n",
					down ? "down" : "up", dialects[plan->dialect], plan->nsteps,
					plan->nsteps == 1 ? "" : "s", plan->from_fp, plan->to_fp);
	for (int i = 0; i < plan->nsteps; i++)
	{
		const PmxStep *st = &plan->steps[i];
		const char *sep = st->object && st->table && strcmp(st->object, st->table) != 0 ? "." : "";

		pmx_buf_appendf(b, "--   step %d [%s%s] %s %s%s%s: %s\n", i + 1, pmx_safety_name(st->safety),
						is_concurrent(plan, st) && !down ? ", after commit" : "",
						pmx_op_name(st->op), st->table ? st->table : "", sep,
						*sep ? st->object : (st->table ? "" : (st->object ? st->object : "")),
						st->reason ? st->reason : "");
	}
	for (int i = 0; i < plan->warnings.n; i++)
		pmx_buf_appendf(b, "--   warning: %s\n", plan->warnings.v[i]);
	pmx_buf_append(b, "\n");
}

/* The up or down script of plan; NULL on OOM. */
static char *
script(PmxCtx *ctx, const PmxPlan *plan, bool down)
{
	PmxBuf		b;
	int			nlater = 0;

	pmx_buf_init(&b, ctx);
	header(&b, plan, down);
	for (int i = 0; i < plan->nsteps; i++)
	{
		const PmxStep *st = &plan->steps[down ? plan->nsteps - 1 - i : i];
		const PmxStrs *s = down ? &st->down : &st->sql;

		if (!down && is_concurrent(plan, st))
		{
			nlater++;
			continue;
		}
		pmx_buf_appendf(&b, "-- step %d: %s\n", (int) (st - plan->steps) + 1, pmx_op_name(st->op));
		for (int k = 0; k < s->n; k++)
			pmx_buf_appendf(&b, "%s;\n", s->v[k]);
	}
	if (nlater)
	{
		pmx_buf_append(&b, "\n-- premix:after-commit\n"
					   "-- CREATE INDEX CONCURRENTLY cannot run inside a transaction: the statements below\n"
					   "-- run after the part above has committed (premix_run returns them; `premix up` runs them).\n");
		for (int i = 0; i < plan->nsteps; i++)
		{
			const PmxStep *st = &plan->steps[i];
			const char *sql = st->sql.v[0];
			bool		unique;

			if (!is_concurrent(plan, st))
				continue;
			unique = strncmp(sql, "CREATE UNIQUE INDEX ", 20) == 0;
			pmx_buf_appendf(&b, "%s CONCURRENTLY %s;\n", unique ? "CREATE UNIQUE INDEX" : "CREATE INDEX",
							sql + (unique ? 20 : 13));
		}
	}
	return pmx_buf_finish(&b);
}

/* premix_script(plan): {"up": ..., "down": ...}. */
int
pmx_script(PmxCtx *ctx, PmxDb *live, const char *plan_json, char **out_json)
{
	PmxPlan    *plan = pmx_plan_from_json(ctx, plan_json);
	PmxJsonWriter w;
	char	   *up,
			   *down;

	if (!plan)
		return PMX_ERROR;
	if (plan->dialect != live->dialect)
		return pmx_error(ctx, PMX_E_INVALID, "the plan was made for another database dialect"),
			pmx_error_hint(ctx, "Make the plan with premix_diff on this database.");
	for (int i = 0; i < plan->nsteps; i++)
		if (plan->steps[i].safety == PMX_BLOCKED)
		{
			pmx_error(ctx, plan->steps[i].block_code, "step %d (%s) of the plan is blocked: %s", i + 1,
					  pmx_op_name(plan->steps[i].op), plan->steps[i].reason);
			pmx_error_detail(ctx, "A script of this plan would fail on the data as it is.");
			return pmx_error_hint(ctx, "%s", plan->steps[i].hint ? plan->steps[i].hint
								  : "Fix the rows, then make the plan again.");
		}
	if (!(up = script(ctx, plan, false)) || !(down = script(ctx, plan, true)))
		return PMX_ERROR;
	pmx_jw_init(&w, ctx);
	pmx_jw_begin_object(&w);
	pmx_jw_key(&w, "up");
	pmx_jw_string(&w, up);
	pmx_jw_key(&w, "down");
	pmx_jw_string(&w, down);
	pmx_jw_key(&w, "steps");
	pmx_jw_int(&w, plan->nsteps);
	pmx_jw_key(&w, "destructive");
	pmx_jw_bool(&w, plan->destructive);
	pmx_jw_key(&w, "blocked");
	pmx_jw_bool(&w, plan->blocked);
	pmx_jw_end_object(&w);
	*out_json = pmx_jw_finish(&w);
	return *out_json ? PMX_OK : PMX_ERROR;
}
