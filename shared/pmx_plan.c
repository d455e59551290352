/*-------------------------------------------------------------------------
 *
 * pmx_plan.c
 *	  The plan: op and safety names, step construction, and the diff
 *	  stage that produces a plan from a target (pmx_make_plan).
 *
 * IDENTIFICATION
 *	  shared/pmx_plan.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_plan.h"
#include "pmx_trash.h"

static const char *const op_names[PMX_OP__COUNT] = {
	[PMX_OP_CREATE_TABLE] = "create_table",
	[PMX_OP_DROP_TABLE] = "drop_table",
	[PMX_OP_RENAME_TABLE] = "rename_table",
	[PMX_OP_ADD_COLUMN] = "add_column",
	[PMX_OP_DROP_COLUMN] = "drop_column",
	[PMX_OP_RENAME_COLUMN] = "rename_column",
	[PMX_OP_ALTER_COLUMN_TYPE] = "alter_column_type",
	[PMX_OP_SET_NOT_NULL] = "set_not_null",
	[PMX_OP_DROP_NOT_NULL] = "drop_not_null",
	[PMX_OP_SET_DEFAULT] = "set_default",
	[PMX_OP_DROP_DEFAULT] = "drop_default",
	[PMX_OP_ALTER_COLLATION] = "alter_collation",
	[PMX_OP_ALTER_IDENTITY] = "alter_identity",
	[PMX_OP_ADD_PRIMARY_KEY] = "add_primary_key",
	[PMX_OP_DROP_PRIMARY_KEY] = "drop_primary_key",
	[PMX_OP_ADD_UNIQUE] = "add_unique",
	[PMX_OP_DROP_UNIQUE] = "drop_unique",
	[PMX_OP_ADD_FOREIGN_KEY] = "add_foreign_key",
	[PMX_OP_DROP_FOREIGN_KEY] = "drop_foreign_key",
	[PMX_OP_ADD_CHECK] = "add_check",
	[PMX_OP_DROP_CHECK] = "drop_check",
	[PMX_OP_CREATE_INDEX] = "create_index",
	[PMX_OP_DROP_INDEX] = "drop_index",
	[PMX_OP_RENAME_INDEX] = "rename_index",
	[PMX_OP_ALTER_OPTIONS] = "alter_table_options",
	[PMX_OP_SET_COMMENT] = "set_comment",
	[PMX_OP_CREATE_ENUM] = "create_enum",
	[PMX_OP_ALTER_ENUM] = "add_enum_values",
	[PMX_OP_DROP_ENUM] = "drop_enum",
	[PMX_OP_REBUILD_TABLE] = "rebuild_table",
};

static const char *const safety_names[] = {"safe", "warn", "destructive", "blocked"};

/* The contract's name of an op. */
const char *
pmx_op_name(PmxOp op)
{
	return (op >= 0 && op < PMX_OP__COUNT) ? op_names[op] : "unknown";
}

/* The op called name, or -1. */
int
pmx_op_from_name(const char *name)
{
	for (int i = 0; i < PMX_OP__COUNT; i++)
		if (strcmp(op_names[i], name) == 0)
			return i;
	return -1;
}

/* The contract's name of a safety class. */
const char *
pmx_safety_name(PmxSafety s)
{
	return safety_names[s];
}

/* The safety class called name, or -1. */
int
pmx_safety_from_name(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(safety_names[i], name) == 0)
			return i;
	return -1;
}

/* Append a copy of str; PMX_ERROR on OOM. */
int
pmx_strs_push(PmxCtx *ctx, PmxStrs *s, const char *str)
{
	char	   *copy = pmx_strdup(ctx, str);

	if (!copy || !PMX_PUSH(ctx, s->v, s->n, s->cap))
		return PMX_ERROR;
	s->v[s->n - 1] = copy;
	return PMX_OK;
}

/* Append a formatted string; PMX_ERROR on OOM. */
int
pmx_strs_pushf(PmxCtx *ctx, PmxStrs *s, const char *fmt,...)
{
	va_list		ap;
	char	   *str;

	va_start(ap, fmt);
	str = pmx_vsprintf(ctx, fmt, ap);
	va_end(ap);
	if (!str || !PMX_PUSH(ctx, s->v, s->n, s->cap))
		return PMX_ERROR;
	s->v[s->n - 1] = str;
	return PMX_OK;
}

/* Append an empty step; NULL on OOM. */
PmxStep *
pmx_plan_add_step(PmxCtx *ctx, PmxPlan *plan, PmxOp op, const char *table,
				  const char *object)
{
	PmxStep    *st;

	if (!PMX_PUSH(ctx, plan->steps, plan->nsteps, plan->capsteps))
		return NULL;
	st = &plan->steps[plan->nsteps - 1];
	memset(st, 0, sizeof(*st));
	st->op = op;
	st->table = table;
	st->object = object;
	st->reversible = true;
	st->lock = "write";
	return st;
}

/* Whether the diff renamed anything in the live model (pmx_rename.c). */
static bool
renamed_any(const PmxSchema *live)
{
	for (int i = 0; i < live->ntables; i++)
	{
		const PmxTable *t = live->tables[i];

		if (t->live_name)
			return true;
		for (int c = 0; c < t->ncols; c++)
			if (t->cols[c].live_name)
				return true;
		for (int x = 0; x < t->nindexes; x++)
			if (t->indexes[x].live_name)
				return true;
	}
	return false;
}

/*
 * Build the plan for target against the live database: introspect, load
 * and normalize the target, diff, classify against the rows, plan for the
 * dialect.  Changes nothing in the database.
 */
int
pmx_make_plan(PmxCtx *ctx, PmxDb *live, const char *target,
			  const PmxOptions *opts, PmxPlan **out)
{
	PmxSchema  *live_model,
			   *target_model;
	PmxDiff		diff;
	PmxPlan    *plan;
	char	   *from_fp,
			   *from_schema;
	char	   *token = NULL;

	/* the token first: a change between the two can only make it stale */
	if (live->dialect == PMX_DIALECT_POSTGRES && !opts->no_token &&
		pmx_pg_catalog_token(ctx, live, &token) != PMX_OK)
		return PMX_ERROR;
	if (pmx_introspect(ctx, live, &live_model) != PMX_OK ||
		pmx_fingerprint_both(ctx, live_model, &from_schema, &from_fp) != PMX_OK ||
		pmx_target_load(ctx, live, live_model, target, opts, &target_model) != PMX_OK ||
		pmx_diff_models(ctx, live_model, target_model, opts, &diff) != PMX_OK ||
		pmx_datacheck(ctx, live, &diff) != PMX_OK)
		return PMX_ERROR;
	if (!(plan = pmx_alloc(ctx, sizeof(PmxPlan))))
		return PMX_ERROR;
	plan->dialect = live->dialect;
	plan->from_fp = from_fp;
	plan->from_catalog = token;
	/* as diffed: virtual renames changed the live model since */
	if (renamed_any(live_model) && !(from_schema = pmx_fingerprint_model(ctx, live_model)))
		return PMX_ERROR;
	plan->from_schema = from_schema;
	if (live->dialect == PMX_DIALECT_POSTGRES)
		plan->lock_timeout = opts->lock_timeout ? opts->lock_timeout : PMX_PG_LOCK_TIMEOUT;
	for (int i = 0; i < target_model->nnotes; i++)
		if (pmx_strs_push(ctx, &plan->warnings, target_model->notes[i]) != PMX_OK)
			return PMX_ERROR;
	for (int i = 0; i < diff.warnings.n; i++)
		if (pmx_strs_push(ctx, &plan->warnings, diff.warnings.v[i]) != PMX_OK)
			return PMX_ERROR;
	switch (live->dialect)
	{
		case PMX_DIALECT_SQLITE:
			if (pmx_plan_sqlite(ctx, live, &diff, plan) != PMX_OK)
				return PMX_ERROR;
			break;
		case PMX_DIALECT_POSTGRES:
			if (pmx_plan_pg(ctx, live, &diff, plan) != PMX_OK)
				return PMX_ERROR;
			break;
		case PMX_DIALECT_MYSQL:
			if (pmx_plan_mysql(ctx, live, &diff, plan) != PMX_OK)
				return PMX_ERROR;
			break;
		default:
			return pmx_error(ctx, PMX_E_UNSUPPORTED, "no planner for this dialect");
	}
	if (opts->trash && pmx_trash_plan(ctx, live, &diff, plan) != PMX_OK)
		return PMX_ERROR;
	if (!(plan->to_fp = pmx_fingerprint_target(ctx, target_model)) ||
		pmx_fingerprint_changes(ctx, live_model, target_model, opts->scope != PMX_SCOPE_LISTED,
								plan) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < target_model->ntables; i++)
		if (pmx_strs_push(ctx, &plan->tables, target_model->tables[i]->name) != PMX_OK)
			return PMX_ERROR;
	for (int i = 0; i < plan->nsteps; i++)
	{
		if (plan->steps[i].safety == PMX_DESTRUCTIVE)
			plan->destructive = true;
		if (plan->steps[i].safety == PMX_BLOCKED)
			plan->blocked = true;
	}
	*out = plan;
	return PMX_OK;
}
