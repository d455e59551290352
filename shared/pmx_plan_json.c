/*-------------------------------------------------------------------------
 *
 * pmx_plan_json.c
 *	  Plan <-> JSON.
 *
 * The writer emits the contract's form (DESIGN.md) plus: "hint" (the way
 * out) on destructive/blocked steps, "sqlstate" on blocked ones, "parts"
 * on a SQLite rebuild (the changes it carries, each with the check it
 * contributed to the step's checks), and at plan level "tables" (the
 * target's tables, which the "to" fingerprint covers) and "fk_parents"
 * (SQLite: rebuilt tables other tables reference).
 *
 * The reader is as strict as the target reader: unknown keys and wrong
 * types are errors with a path.  premix_apply trusts nothing else: the
 * fingerprints are re-checked against the database.
 *
 * IDENTIFICATION
 *	  shared/pmx_plan_json.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_json.h"
#include "pmx_plan.h"

static const char *const dialect_names[] = {"sqlite", "postgresql", "mysql"};

/* Write key: [strings]. */
static void
write_strs(PmxJsonWriter *w, const char *key, const PmxStrs *s)
{
	pmx_jw_key(w, key);
	pmx_jw_begin_array(w);
	for (int i = 0; i < s->n; i++)
		pmx_jw_string(w, s->v[i]);
	pmx_jw_end_array(w);
}

/* The plan as JSON; NULL on OOM. */
char *
pmx_plan_to_json(PmxCtx *ctx, const PmxPlan *plan)
{
	PmxJsonWriter w;

	pmx_jw_init(&w, ctx);
	pmx_jw_begin_object(&w);
	pmx_jw_key(&w, "format");
	pmx_jw_int(&w, PMX_PLAN_FORMAT);
	pmx_jw_key(&w, "dialect");
	pmx_jw_string(&w, dialect_names[plan->dialect]);
	pmx_jw_key(&w, "from");
	pmx_jw_string(&w, plan->from_fp);
	pmx_jw_key(&w, "to");
	pmx_jw_string(&w, plan->to_fp);
	if (plan->from_schema)
	{
		pmx_jw_key(&w, "from_schema");
		pmx_jw_string(&w, plan->from_schema);
	}
	pmx_jw_key(&w, "destructive");
	pmx_jw_bool(&w, plan->destructive);
	pmx_jw_key(&w, "blocked");
	pmx_jw_bool(&w, plan->blocked);
	if (plan->lock_timeout)
	{
		pmx_jw_key(&w, "lock_timeout");
		pmx_jw_string(&w, plan->lock_timeout);
	}
	if (plan->from_catalog)
	{
		pmx_jw_key(&w, "from_catalog");
		pmx_jw_string(&w, plan->from_catalog);
	}
	pmx_jw_key(&w, "steps");
	pmx_jw_begin_array(&w);
	for (int i = 0; i < plan->nsteps; i++)
	{
		const PmxStep *st = &plan->steps[i];

		pmx_jw_begin_object(&w);
		pmx_jw_key(&w, "op");
		pmx_jw_string(&w, pmx_op_name(st->op));
		pmx_jw_key(&w, "table");
		pmx_jw_string(&w, st->table);
		pmx_jw_key(&w, "object");
		pmx_jw_string(&w, st->object);
		write_strs(&w, "sql", &st->sql);
		write_strs(&w, "down", &st->down);
		pmx_jw_key(&w, "safety");
		pmx_jw_string(&w, pmx_safety_name(st->safety));
		pmx_jw_key(&w, "lock");
		pmx_jw_string(&w, st->lock);
		pmx_jw_key(&w, "rewrite");
		pmx_jw_bool(&w, st->rewrite);
		pmx_jw_key(&w, "reversible");
		pmx_jw_bool(&w, st->reversible && st->down.n > 0);
		pmx_jw_key(&w, "reason");
		pmx_jw_string(&w, st->reason);
		write_strs(&w, "checks", &st->checks);
		if (st->hint)
		{
			pmx_jw_key(&w, "hint");
			pmx_jw_string(&w, st->hint);
		}
		if (st->safety == PMX_BLOCKED)
		{
			pmx_jw_key(&w, "sqlstate");
			pmx_jw_string(&w, pmx_error_sqlstate(st->block_code));
		}
		if (st->nparts)
		{
			pmx_jw_key(&w, "parts");
			pmx_jw_begin_array(&w);
			for (int k = 0; k < st->nparts; k++)
			{
				pmx_jw_begin_object(&w);
				pmx_jw_key(&w, "op");
				pmx_jw_string(&w, pmx_op_name(st->parts[k]->op));
				pmx_jw_key(&w, "object");
				pmx_jw_string(&w, st->parts[k]->object);
				pmx_jw_key(&w, "safety");
				pmx_jw_string(&w, pmx_safety_name(st->parts[k]->safety));
				pmx_jw_key(&w, "reason");
				pmx_jw_string(&w, st->parts[k]->reason);
				if (st->parts[k]->check_sql)
				{
					pmx_jw_key(&w, "check");
					pmx_jw_string(&w, st->parts[k]->check_sql);
				}
				pmx_jw_end_object(&w);
			}
			pmx_jw_end_array(&w);
		}
		pmx_jw_end_object(&w);
	}
	pmx_jw_end_array(&w);
	write_strs(&w, "warnings", &plan->warnings);
	write_strs(&w, "tables", &plan->tables);
	if (plan->to_schema)
	{
		pmx_jw_key(&w, "to_schema");
		pmx_jw_string(&w, plan->to_schema);
	}
	if (plan->has_changed)
	{
	pmx_jw_key(&w, "changed");
	pmx_jw_begin_object(&w);
	for (int i = 0; i < plan->changed.n; i++)
	{
		pmx_jw_key(&w, plan->changed.v[i]);
		if (*plan->changed_fp.v[i])
			pmx_jw_string(&w, plan->changed_fp.v[i]);
		else
			pmx_jw_null(&w);
	}
	pmx_jw_end_object(&w);
	}
	if (plan->fk_parents.n)
		write_strs(&w, "fk_parents", &plan->fk_parents);
	if (plan->facts_needed.n)
		write_strs(&w, "facts_needed", &plan->facts_needed);
	pmx_jw_end_object(&w);
	return pmx_jw_finish(&w);
}

/* ------------------------------------------------------------ reader */

static const char *const plan_keys[] = {
	"format", "dialect", "from", "to", "destructive", "blocked", "steps",
	"warnings", "tables", "fk_parents", "lock_timeout", "from_catalog", "from_schema",
	"to_schema", "changed", "facts_needed", NULL
};
static const char *const step_keys[] = {
	"op", "table", "object", "sql", "down", "safety", "lock", "rewrite",
	"reversible", "reason", "checks", "hint", "sqlstate", "parts", NULL
};
static const char *const part_keys[] = {"op", "object", "safety", "reason", "check", NULL};

/* The plan reader's key check: the root is called "the plan". */
static int
known_keys(PmxCtx *ctx, const PmxJson *obj, const char *path,
		   const char *const *allowed)
{
	return pmx_json_check_keys(ctx, obj, path, "the plan", allowed);
}

/* A required (or optional) string member; NULL member -> NULL value. */
static int
get_str(PmxCtx *ctx, const PmxJson *obj, const char *key, const char *path,
		bool required, const char **out)
{
	PmxJson    *v = pmx_json_get(obj, key);

	*out = NULL;
	if (!v || v->type == PMX_JSON_NULL)
		return required ? pmx_error(ctx, PMX_E_INVALID, "plan: %s%s%s is required", path, *path ? "." : "", key)
			: PMX_OK;
	if (v->type != PMX_JSON_STRING)
		return pmx_error(ctx, PMX_E_INVALID, "plan: %s%s%s must be a string", path, *path ? "." : "", key);
	*out = v->s;
	return PMX_OK;
}

/* An optional boolean member; absent leaves *out alone. */
static int
get_bool(PmxCtx *ctx, const PmxJson *obj, const char *key, const char *path,
		 bool *out)
{
	PmxJson    *v = pmx_json_get(obj, key);

	if (!v)
		return PMX_OK;
	if (v->type != PMX_JSON_BOOL)
		return pmx_error(ctx, PMX_E_INVALID, "plan: %s%s%s must be true or false", path, *path ? "." : "", key);
	*out = v->b;
	return PMX_OK;
}

/* An optional array of strings, appended to out. */
static int
get_strs(PmxCtx *ctx, const PmxJson *obj, const char *key, const char *path,
		 PmxStrs *out)
{
	PmxJson    *v = pmx_json_get(obj, key);

	if (!v || v->type == PMX_JSON_NULL)
		return PMX_OK;
	if (v->type != PMX_JSON_ARRAY)
		return pmx_error(ctx, PMX_E_INVALID, "plan: %s%s%s must be an array of strings", path, *path ? "." : "", key);
	for (size_t i = 0; i < v->n; i++)
	{
		if (v->items[i]->type != PMX_JSON_STRING)
			return pmx_error(ctx, PMX_E_INVALID, "plan: %s%s%s[%zu] must be a string", path, *path ? "." : "", key, i);
		if (pmx_strs_push(ctx, out, v->items[i]->s) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/*
 * The optional "changed" object: table name -> SHA-256 hex of its text
 * after the plan, or null for a table the plan takes away.  Absent: the
 * apply checks the whole schema after the steps.
 */
static int
get_changed(PmxCtx *ctx, const PmxJson *root, PmxPlan *plan)
{
	PmxJson    *v = pmx_json_get(root, "changed");

	if (!v || v->type == PMX_JSON_NULL)
		return PMX_OK;
	if (v->type != PMX_JSON_OBJECT)
		return pmx_error(ctx, PMX_E_INVALID, "plan: changed must be an object");
	for (size_t i = 0; i < v->n; i++)
	{
		const PmxJson *h = v->items[i];

		if (h->type != PMX_JSON_NULL && (h->type != PMX_JSON_STRING || strlen(h->s) != 64))
			return pmx_error(ctx, PMX_E_INVALID, "plan: changed.%s must be a SHA-256 in hex or null", v->keys[i]);
		if (pmx_strs_push(ctx, &plan->changed, v->keys[i]) != PMX_OK ||
			pmx_strs_push(ctx, &plan->changed_fp, h->type == PMX_JSON_NULL ? "" : h->s) != PMX_OK)
			return PMX_ERROR;
	}
	plan->has_changed = true;
	return PMX_OK;
}

/* Look up an op name; error with the path when unknown. */
static int
get_op(PmxCtx *ctx, const PmxJson *obj, const char *path, PmxOp *op)
{
	const char *s;
	int			v;

	if (get_str(ctx, obj, "op", path, true, &s) != PMX_OK)
		return PMX_ERROR;
	if ((v = pmx_op_from_name(s)) < 0)
		return pmx_error(ctx, PMX_E_INVALID, "plan: %s.op \"%s\" is not a premix operation", path, s);
	*op = (PmxOp) v;
	return PMX_OK;
}

/* The required safety member, by name. */
static int
get_safety(PmxCtx *ctx, const PmxJson *obj, const char *path, PmxSafety *out)
{
	const char *s;
	int			v;

	if (get_str(ctx, obj, "safety", path, true, &s) != PMX_OK)
		return PMX_ERROR;
	if ((v = pmx_safety_from_name(s)) < 0)
		return pmx_error(ctx, PMX_E_INVALID, "plan: %s.safety must be safe, warn, destructive or blocked", path);
	*out = (PmxSafety) v;
	return PMX_OK;
}

/* The error class a sqlstate names (blocked steps), default CHECK. */
static PmxErrCode
code_from_sqlstate(const char *s)
{
	static const PmxErrCode codes[] = {
		PMX_E_BLOCKED_NULLS, PMX_E_BLOCKED_UNIQUE, PMX_E_BLOCKED_FK,
		PMX_E_BLOCKED_CHECK, PMX_E_UNSUPPORTED, PMX_E_DEPENDENT
	};

	for (size_t i = 0; s && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(pmx_error_sqlstate(codes[i]), s) == 0)
			return codes[i];
	return PMX_E_BLOCKED_CHECK;
}

/* Read one step. */
static int
read_step(PmxCtx *ctx, PmxPlan *plan, const PmxJson *js, const char *path)
{
	PmxOp		op;
	const char *table,
			   *object,
			   *sqlstate,
			   *lock;
	PmxStep    *st;
	PmxJson    *parts;

	if (known_keys(ctx, js, path, step_keys) != PMX_OK ||
		get_op(ctx, js, path, &op) != PMX_OK ||
		get_str(ctx, js, "table", path, false, &table) != PMX_OK ||
		get_str(ctx, js, "object", path, false, &object) != PMX_OK ||
		!(st = pmx_plan_add_step(ctx, plan, op, table, object)) ||
		get_strs(ctx, js, "sql", path, &st->sql) != PMX_OK ||
		get_strs(ctx, js, "down", path, &st->down) != PMX_OK ||
		get_strs(ctx, js, "checks", path, &st->checks) != PMX_OK ||
		get_safety(ctx, js, path, &st->safety) != PMX_OK ||
		get_str(ctx, js, "lock", path, false, &lock) != PMX_OK ||
		get_bool(ctx, js, "rewrite", path, &st->rewrite) != PMX_OK ||
		get_bool(ctx, js, "reversible", path, &st->reversible) != PMX_OK ||
		get_str(ctx, js, "reason", path, false, (const char **) &st->reason) != PMX_OK ||
		get_str(ctx, js, "hint", path, false, (const char **) &st->hint) != PMX_OK ||
		get_str(ctx, js, "sqlstate", path, false, &sqlstate) != PMX_OK)
		return PMX_ERROR;
	if (lock)
		st->lock = lock;
	if (!st->reason)
		st->reason = "";
	st->block_code = code_from_sqlstate(sqlstate);
	parts = pmx_json_get(js, "parts");
	if (parts && parts->type != PMX_JSON_NULL)
	{
		if (parts->type != PMX_JSON_ARRAY)
			return pmx_error(ctx, PMX_E_INVALID, "plan: %s.parts must be an array", path);
		st->parts = pmx_alloc(ctx, sizeof(PmxChange *) * (parts->n + 1));
		if (!st->parts)
			return PMX_ERROR;
		for (size_t i = 0; i < parts->n; i++)
		{
			const char *pp = pmx_sprintf(ctx, "%s.parts[%zu]", path, i);
			PmxChange  *ch = pmx_alloc(ctx, sizeof(PmxChange));

			if (!pp || !ch || known_keys(ctx, parts->items[i], pp, part_keys) != PMX_OK ||
				get_op(ctx, parts->items[i], pp, &ch->op) != PMX_OK ||
				get_str(ctx, parts->items[i], "object", pp, false, &ch->object) != PMX_OK ||
				get_safety(ctx, parts->items[i], pp, &ch->safety) != PMX_OK ||
				get_str(ctx, parts->items[i], "reason", pp, false, (const char **) &ch->reason) != PMX_OK ||
				get_str(ctx, parts->items[i], "check", pp, false, (const char **) &ch->check_sql) != PMX_OK)
				return PMX_ERROR;
			st->parts[st->nparts++] = ch;
		}
	}
	return PMX_OK;
}

/* Give a plan-reading error the way out when it has none; returns NULL. */
static PmxPlan *
plan_error_hint(PmxCtx *ctx)
{
	if (pmx_error_is_set(ctx) && !ctx->err.hint && ctx->err.code != PMX_E_NOMEM)
		pmx_error_hint(ctx, "Pass the plan premix_diff returned, unedited, or make a new one.");
	return NULL;
}

/*
 * Parse a plan.  NULL with PMX_E_JSON (malformed, with position) or
 * PMX_E_INVALID (unknown key, wrong type, with path).
 */
PmxPlan *
pmx_plan_from_json(PmxCtx *ctx, const char *json)
{
	PmxJson    *root = pmx_json_parse(ctx, json, "plan");
	PmxPlan    *plan;
	PmxJson    *v;
	const char *dialect;

	if (!root || known_keys(ctx, root, "", plan_keys) != PMX_OK ||
		!(plan = pmx_alloc(ctx, sizeof(PmxPlan))))
		return plan_error_hint(ctx);
	if (!pmx_json_get(root, "steps") && pmx_json_get(root, "tables") && !pmx_json_get(root, "from"))
	{
		pmx_error(ctx, PMX_E_INVALID, "premix_apply needs a plan, and this is a target");
		pmx_error_hint(ctx, "Use premix_migrate(target), or premix_diff(target) to make a plan first.");
		return NULL;
	}
	v = pmx_json_get(root, "format");
	if (!v || v->type != PMX_JSON_INT || v->i != PMX_PLAN_FORMAT)
	{
		pmx_error(ctx, PMX_E_INVALID, "plan: format must be %d", PMX_PLAN_FORMAT);
		pmx_error_hint(ctx, "Pass a plan made by premix_diff.");
		return NULL;
	}
	if (get_str(ctx, root, "dialect", "", true, &dialect) != PMX_OK ||
		get_str(ctx, root, "from", "", true, (const char **) &plan->from_fp) != PMX_OK ||
		get_str(ctx, root, "to", "", true, (const char **) &plan->to_fp) != PMX_OK ||
		get_bool(ctx, root, "destructive", "", &plan->destructive) != PMX_OK ||
		get_bool(ctx, root, "blocked", "", &plan->blocked) != PMX_OK ||
		get_strs(ctx, root, "warnings", "", &plan->warnings) != PMX_OK ||
		get_strs(ctx, root, "tables", "", &plan->tables) != PMX_OK ||
		get_strs(ctx, root, "fk_parents", "", &plan->fk_parents) != PMX_OK ||
		get_strs(ctx, root, "facts_needed", "", &plan->facts_needed) != PMX_OK ||
		get_str(ctx, root, "lock_timeout", "", false, &plan->lock_timeout) != PMX_OK ||
		get_str(ctx, root, "from_catalog", "", false, (const char **) &plan->from_catalog) != PMX_OK ||
		get_str(ctx, root, "from_schema", "", false, (const char **) &plan->from_schema) != PMX_OK ||
		get_str(ctx, root, "to_schema", "", false, (const char **) &plan->to_schema) != PMX_OK ||
		get_changed(ctx, root, plan) != PMX_OK)
		return plan_error_hint(ctx);
	plan->dialect = (PmxDialect) - 1;
	for (int i = 0; i < 3; i++)
		if (strcmp(dialect, dialect_names[i]) == 0)
			plan->dialect = (PmxDialect) i;
	if ((int) plan->dialect < 0)
	{
		pmx_error(ctx, PMX_E_INVALID, "plan: unknown dialect \"%s\"", dialect);
		return plan_error_hint(ctx);
	}
	v = pmx_json_get(root, "steps");
	if (!v || v->type != PMX_JSON_ARRAY)
	{
		pmx_error(ctx, PMX_E_INVALID, "plan: steps must be an array");
		return plan_error_hint(ctx);
	}
	for (size_t i = 0; i < v->n; i++)
	{
		const char *p = pmx_sprintf(ctx, "steps[%zu]", i);

		if (!p || read_step(ctx, plan, v->items[i], p) != PMX_OK)
			return plan_error_hint(ctx);
		/* the plan-level flags follow from the steps, whatever they say */
		if (plan->steps[i].safety == PMX_DESTRUCTIVE)
			plan->destructive = true;
		if (plan->steps[i].safety == PMX_BLOCKED)
			plan->blocked = true;
	}
	return plan;
}
