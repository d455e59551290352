/*-------------------------------------------------------------------------
 *
 * pmx_engine.c
 *	  Entry points shared by all hosts: premix_schema and the helpers
 *	  every stage uses (dialect dispatch, one-integer queries).
 *
 * IDENTIFICATION
 *	  shared/pmx_engine.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "pmx_plan.h"
#include "pmx_sql.h"

/* Introspect db with its dialect's reader. */
int
pmx_introspect(PmxCtx *ctx, PmxDb *db, PmxSchema **out)
{
	switch (db->dialect)
	{
		case PMX_DIALECT_SQLITE:
			return pmx_introspect_sqlite(ctx, db, out);
		case PMX_DIALECT_POSTGRES:
			return pmx_introspect_pg(ctx, db, out);
		case PMX_DIALECT_MYSQL:
			return pmx_introspect_doc(ctx, db, out);
		default:
			return pmx_error(ctx, PMX_E_UNSUPPORTED,
							 "this dialect is not supported by this build of premix");
	}
}

/* See pmx_engine.h. */
PmxSchema *
pmx_schema_pick(PmxCtx *ctx, PmxSchema *live, char *const *names, int n)
{
	PmxSchema  *sub = pmx_schema_new(ctx, live->dialect);

	for (int i = 0; sub && i < n; i++)
	{
		PmxTable   *t = pmx_schema_find(ctx, live, names[i]);

		if (t && !PMX_PUSH(ctx, sub->tables, sub->ntables, sub->captables))
			return NULL;
		if (t)
			sub->tables[sub->ntables - 1] = t;
	}
	return sub;
}

/* See pmx_engine.h. */
int
pmx_introspect_tables(PmxCtx *ctx, PmxDb *db, char *const *names, int n, PmxSchema **out)
{
	PmxSchema  *live;

	if (db->dialect == PMX_DIALECT_POSTGRES)
		return pmx_introspect_pg_tables(ctx, db, names, n, out);
	if (pmx_introspect(ctx, db, &live) != PMX_OK ||
		!(*out = pmx_schema_pick(ctx, live, names, n)))
		return PMX_ERROR;
	return PMX_OK;
}

typedef struct IntResult
{
	bool		seen;
	long long	v;
} IntResult;

/* Row callback of pmx_query_int: keep the first value. */
static int
on_int_row(void *arg, int ncols, const char *const *v)
{
	IntResult  *r = arg;

	if (!r->seen && ncols > 0)
	{
		r->seen = true;
		r->v = v[0] ? atoll(v[0]) : 0;
	}
	return PMX_OK;
}

/* Run sql and return the integer in its first row and column (0 if none). */
int
pmx_query_int(PmxCtx *ctx, PmxDb *db, const char *sql, long long *out)
{
	IntResult	r = {false, 0};

	if (db->query(db->ud, ctx, sql, on_int_row, &r) != PMX_OK)
		return PMX_ERROR;
	*out = r.v;
	return PMX_OK;
}

typedef struct TextResult
{
	PmxCtx	   *ctx;
	char	   *v;
	bool		seen;
} TextResult;

/* Row callback of pmx_query_text: copy the first value. */
static int
on_text_row(void *arg, int ncols, const char *const *v)
{
	TextResult *r = arg;

	if (r->seen || ncols < 1)
		return PMX_OK;
	r->seen = true;
	if (v[0] && !(r->v = pmx_strdup(r->ctx, v[0])))
		return PMX_ERROR;
	return PMX_OK;
}

/* See pmx_engine.h. */
int
pmx_query_text(PmxCtx *ctx, PmxDb *db, const char *sql, char **out)
{
	TextResult	r = {ctx, NULL, false};

	*out = NULL;
	if (!sql || db->query(db->ud, ctx, sql, on_text_row, &r) != PMX_OK)
		return pmx_error_is_set(ctx) ? PMX_ERROR : pmx_error_nomem(ctx);
	*out = r.v;
	return PMX_OK;
}

/* See pmx_engine.h. */
int
pmx_query_params(PmxCtx *ctx, PmxDb *db, const char *sql, int n,
				 const char *const *values, PmxRowFn row, void *arg)
{
	PmxBuf		b;
	char	   *text;

	if (db->query_params)
		return db->query_params(db->ud, ctx, sql, n, values, row, arg);
	pmx_buf_init(&b, ctx);
	for (const char *p = sql; *p; p++)
	{
		char	   *end;
		long		k = p[0] == '$' && p[1] >= '0' && p[1] <= '9' ? strtol(p + 1, &end, 10) : 0;

		if (k < 1 || k > n)
		{
			pmx_buf_putc(&b, *p);
			continue;
		}
		if (values[k - 1])
			pmx_buf_literal(&b, values[k - 1]);
		else
			pmx_buf_append(&b, "NULL");
		p = end - 1;
	}
	if (!(text = pmx_buf_finish(&b)))
		return PMX_ERROR;
	return db->query(db->ud, ctx, text, row, arg);
}

/*
 * premix_schema(): the live schema as target JSON.  Options are parsed
 * (and so checked) for symmetry with premix_diff; none changes the output
 * on SQLite.
 */
int
pmx_schema(PmxCtx *ctx, PmxDb *live, const char *options, char **out_json)
{
	PmxOptions	opts;
	PmxSchema  *s;

	if (pmx_options_parse(ctx, options, live->dialect, &opts) != PMX_OK ||
		pmx_introspect(ctx, live, &s) != PMX_OK)
		return PMX_ERROR;
	*out_json = pmx_schema_to_json(ctx, s);
	return *out_json ? PMX_OK : PMX_ERROR;
}

/* premix_diff(target, options): the plan as JSON; changes nothing. */
int
pmx_diff(PmxCtx *ctx, PmxDb *live, const char *target, const char *options,
		 char **out_plan)
{
	PmxOptions	opts;
	PmxPlan    *plan;

	if (pmx_options_parse(ctx, options, live->dialect, &opts) != PMX_OK ||
		pmx_make_plan(ctx, live, target, &opts, &plan) != PMX_OK)
		return PMX_ERROR;
	*out_plan = pmx_plan_to_json(ctx, plan);
	return *out_plan ? PMX_OK : PMX_ERROR;
}

/* True when text is a JSON object with a "steps" key: a plan. */
static bool
looks_like_plan(PmxCtx *ctx, const char *text)
{
	const char *p = text;
	PmxJson    *dom;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p != '{')
		return false;
	dom = pmx_json_parse(ctx, text, "argument");
	if (!dom)
	{
		pmx_error_clear(ctx);	/* reported again by the real reader */
		return false;
	}
	return pmx_json_get(dom, "steps") != NULL;
}

/* premix_preview(target_or_plan, options): readable text. */
int
pmx_preview(PmxCtx *ctx, PmxDb *live, const char *target_or_plan,
			const char *options, char **out_text)
{
	PmxPlan    *plan;

	if (!target_or_plan)
		return pmx_error(ctx, PMX_E_INVALID, "premix_preview needs a target or a plan"),
			pmx_error_hint(ctx, "Pass a target (JSON or CREATE statements) or a plan from premix_diff.");
	if (looks_like_plan(ctx, target_or_plan))
	{
		if (options)
			return pmx_error(ctx, PMX_E_INVALID, "options apply to a target, not to a plan"),
				pmx_error_hint(ctx, "A plan already carries its scope: call premix_preview(plan) alone.");
		if (!(plan = pmx_plan_from_json(ctx, target_or_plan)))
			return PMX_ERROR;
	}
	else
	{
		PmxOptions	opts;

		if (pmx_options_parse(ctx, options, live->dialect, &opts) != PMX_OK)
			return PMX_ERROR;
		opts.no_token = true;
		if (pmx_make_plan(ctx, live, target_or_plan, &opts, &plan) != PMX_OK)
			return PMX_ERROR;
	}
	*out_text = pmx_plan_preview(ctx, plan);
	return *out_text ? PMX_OK : PMX_ERROR;
}
