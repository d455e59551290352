/*-------------------------------------------------------------------------
 *
 * pmx_datacheck.c
 *	  Classify each change by looking at the rows: safe, warn,
 *	  destructive or blocked, with a reason that carries the counts.
 *
 * For every change whose success depends on the data (SET NOT NULL,
 * UNIQUE, PRIMARY KEY, FOREIGN KEY, CHECK, a narrowing or constraining
 * type change, a collation change under a unique key) the classifier runs
 * a counting query against the live database now, and records the same
 * query as the step's apply-time check, which must still return 0 when
 * the plan runs.  Drops report how much they would remove.
 *
 * Names: renames run first in a plan, so apply-time checks use the new
 * names; the queries run now use the names the database has now.  A
 * NameView maps one to the other (identity for apply time).
 *
 * IDENTIFICATION
 *	  shared/pmx_datacheck.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "pmx_plan.h"
#include "pmx_render_sqlite.h"
#include "pmx_sql.h"
#include "pmx_types.h"

typedef struct NameView
{
	PmxDialect	dialect;
	const char *table;			/* the table's name in this view */
	char	  **from;			/* new column names ... */
	char	  **to;				/* ... and their names in this view */
	int			n;
	char	  **added;			/* columns the plan adds: not there yet ... */
	char	  **value;			/* ... so existing rows hold this (SQL) */
	int			nadded;
} NameView;

/*
 * The view at apply time: names as the plan has them.  A column the plan
 * adds may not exist yet when the step's checks run (a rebuild adds it);
 * even after an ADD COLUMN every existing row holds its default, so it is
 * seen as that value either way.
 */
static int
view_apply(PmxCtx *ctx, PmxDialect dia, const PmxTable *t, NameView *v)
{
	memset(v, 0, sizeof(*v));
	v->dialect = dia;
	v->table = t->name;
	if (!t->peer)
		return PMX_OK;			/* a new table, or the live side */
	v->added = pmx_alloc(ctx, sizeof(char *) * (size_t) (t->ncols + 1));
	v->value = pmx_alloc(ctx, sizeof(char *) * (size_t) (t->ncols + 1));
	if (!v->added || !v->value)
		return PMX_ERROR;
	for (int c = 0; c < t->ncols; c++)
		if (!t->cols[c].peer)
		{
			v->added[v->nadded] = t->cols[c].name;
			v->value[v->nadded++] = t->cols[c].default_expr ? t->cols[c].default_expr : "NULL";
		}
	return PMX_OK;
}

/*
 * The view of the live database now: table and column names before
 * renames; a column the target adds (tt given) is not there yet, so a
 * query sees it as the value existing rows will get: its default, or NULL.
 */
static int
view_live(PmxCtx *ctx, PmxDialect dia, const PmxTable *lt, const PmxTable *tt, NameView *v)
{
	memset(v, 0, sizeof(*v));
	v->dialect = dia;
	v->table = lt->live_name ? lt->live_name : lt->name;
	v->from = pmx_alloc(ctx, sizeof(char *) * (size_t) (lt->ncols + 1));
	v->to = pmx_alloc(ctx, sizeof(char *) * (size_t) (lt->ncols + 1));
	if (!v->from || !v->to)
		return PMX_ERROR;
	for (int c = 0; c < lt->ncols; c++)
		if (lt->cols[c].live_name && strcmp(lt->cols[c].live_name, lt->cols[c].name) != 0)
		{
			v->from[v->n] = lt->cols[c].name;
			v->to[v->n++] = lt->cols[c].live_name;
		}
	if (!tt)
		return PMX_OK;
	v->added = pmx_alloc(ctx, sizeof(char *) * (size_t) (tt->ncols + 1));
	v->value = pmx_alloc(ctx, sizeof(char *) * (size_t) (tt->ncols + 1));
	if (!v->added || !v->value)
		return PMX_ERROR;
	for (int c = 0; c < tt->ncols; c++)
		if (!tt->cols[c].peer)
		{
			v->added[v->nadded] = tt->cols[c].name;
			v->value[v->nadded++] = tt->cols[c].default_expr ? tt->cols[c].default_expr : "NULL";
		}
	return PMX_OK;
}

/* A column's name in view v. */
static const char *
vcol(const NameView *v, const char *name)
{
	for (int i = 0; i < v->n; i++)
		if (pmx_streq_fold(v->from[i], name))
			return v->to[i];
	return name;
}

/*
 * SQL for a column reference in view v: alias."name", or "(value)" for a
 * column the plan adds.  NULL on OOM.
 */
static char *
vref(PmxCtx *ctx, const NameView *v, const char *name, const char *alias)
{
	PmxBuf		b;

	for (int i = 0; i < v->nadded; i++)
		if (pmx_streq_fold(v->added[i], name))
			return pmx_sprintf(ctx, "(%s)", v->value[i]);
	pmx_buf_init(&b, ctx);
	if (alias)
		pmx_buf_appendf(&b, "%s.", alias);
	pmx_buf_ident(&b, vcol(v, name));
	return pmx_buf_finish(&b);
}

/* An expression respelled for view v; NULL on error. */
static char *
vexpr(PmxCtx *ctx, const NameView *v, const char *expr)
{
	char	   *e = (char *) expr;

	if (v->nadded && !(e = pmx_sql_substitute_idents(ctx, e, v->added, v->value, v->nadded)))
		return NULL;
	if (v->n == 0)
		return pmx_strdup(ctx, e);
	return pmx_sql_rename_idents(ctx, e, v->from, v->to, v->n);
}

/* ------------------------------------------------------------ queries */

/* Append the view's table: "main"."t" on SQLite, "t" on PostgreSQL. */
static void
append_table(PmxBuf *b, const NameView *v)
{
	if (v->dialect == PMX_DIALECT_SQLITE)
		pmx_sqlite_buf_qualified(b, v->table);
	else
		pmx_buf_ident(b, v->table);
}

/* SELECT count(*) FROM t [WHERE pred] */
static char *
q_count(PmxCtx *ctx, const NameView *v, const char *pred)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, "SELECT count(*) FROM ");
	append_table(&b, v);
	if (pred)
		pmx_buf_appendf(&b, " WHERE %s", pred);
	return pmx_buf_finish(&b);
}

/* SELECT count(*) FROM t WHERE c IS NULL */
static char *
q_nulls(PmxCtx *ctx, const NameView *v, const char *col)
{
	char	   *qc = pmx_quote_ident(ctx, vcol(v, col));

	return qc ? q_count(ctx, v, pmx_sprintf(ctx, "%s IS NULL", qc)) : NULL;
}

/* Strip a trailing " asc" / " desc" from a canonical index element. */
static char *
strip_order(PmxCtx *ctx, const char *elem)
{
	size_t		n = strlen(elem);

	if (n > 5 && strcmp(elem + n - 5, " desc") == 0)
		return pmx_strndup(ctx, elem, n - 5);
	if (n > 4 && strcmp(elem + n - 4, " asc") == 0)
		return pmx_strndup(ctx, elem, n - 4);
	return pmx_strdup(ctx, elem);
}

/*
 * Groups of duplicate keys: elements are columns of t (with collations
 * from t) or expressions; rows where any key part is NULL never collide.
 */
static char *
q_dups(PmxCtx *ctx, const NameView *v, const PmxTable *t, const PmxNames *elems,
	   const char *where)
{
	PmxBuf		b,
				g;
	char	   *gs;

	pmx_buf_init(&b, ctx);
	pmx_buf_init(&g, ctx);
	for (int i = 0; i < elems->n; i++)
	{
		const char *e = elems->v[i];
		const PmxColumn *c = NULL;
		char	   *part;

		for (int k = 0; k < t->ncols; k++)
			if (pmx_streq_fold(t->cols[k].name, e))
				c = &t->cols[k];
		if (c)
		{
			part = vref(ctx, v, c->name, NULL);
			if (part && c->collation)
				part = pmx_sprintf(ctx, "%s COLLATE %s", part, pmx_quote_ident(ctx, c->collation));
		}
		else
			part = vexpr(ctx, v, strip_order(ctx, e));
		if (!part)
			return NULL;
		pmx_buf_appendf(&b, "%s(%s) IS NOT NULL", i ? " AND " : "", part);
		pmx_buf_appendf(&g, "%s%s", i ? ", " : "", part);
	}
	if (where)
	{
		char	   *w = vexpr(ctx, v, where);

		if (!w)
			return NULL;
		pmx_buf_appendf(&b, " AND (%s)", w);
	}
	if (!(gs = pmx_buf_finish(&g)) || !pmx_buf_finish(&b))
		return NULL;
	{
		PmxBuf		q;

		pmx_buf_init(&q, ctx);
		pmx_buf_append(&q, "SELECT count(*) FROM (SELECT 1 FROM ");
		append_table(&q, v);
		pmx_buf_appendf(&q, " WHERE %s GROUP BY %s HAVING count(*) > 1) AS premix_d", b.data, gs);
		return pmx_buf_finish(&q);
	}
}

/* Child rows whose key points at no parent row. */
static char *
q_orphans(PmxCtx *ctx, const NameView *cv, const PmxForeignKey *fk,
		  const NameView *pv, bool parent_exists)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, "SELECT count(*) FROM ");
	append_table(&b, cv);
	pmx_buf_append(&b, " AS premix_c WHERE ");
	for (int i = 0; i < fk->cols.n; i++)
	{
		char	   *c = vref(ctx, cv, fk->cols.v[i], "premix_c");

		if (!c)
			return NULL;
		pmx_buf_appendf(&b, "%s%s IS NOT NULL", i ? " AND " : "", c);
	}
	if (parent_exists)
	{
		pmx_buf_append(&b, " AND NOT EXISTS (SELECT 1 FROM ");
		append_table(&b, pv);
		pmx_buf_append(&b, " AS premix_p WHERE ");
		for (int i = 0; i < fk->cols.n; i++)
		{
			char	   *p = vref(ctx, pv, fk->ref_cols.v[i], "premix_p");
			char	   *c = vref(ctx, cv, fk->cols.v[i], "premix_c");

			if (!p || !c)
				return NULL;
			pmx_buf_appendf(&b, "%s%s = %s", i ? " AND " : "", p, c);
		}
		pmx_buf_putc(&b, ')');
	}
	return pmx_buf_finish(&b);
}

/* Run a counting query; PMX_ERROR when the database refuses it. */
static int
count(PmxCtx *ctx, PmxDb *db, const char *sql, long long *n)
{
	if (!sql)
		return PMX_ERROR;
	return pmx_query_int(ctx, db, sql, n);
}

/* ------------------------------------------------------- classifying */

/* Give a change its class and reason. */
static void
set(PmxChange *ch, PmxSafety s, char *reason)
{
	ch->safety = s;
	ch->reason = reason;
}

/* Mark a change blocked, with the error class, reason and way out. */
static void
block(PmxChange *ch, PmxErrCode code, char *reason, char *hint)
{
	ch->safety = PMX_BLOCKED;
	ch->block_code = code;
	ch->reason = reason;
	ch->hint = hint;
}

/* one or many, by n. */
static const char *
plural(long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* A NameView for the live table of ch, or for the target when it is new. */
static int
views_for(PmxCtx *ctx, PmxDialect dia, const PmxChange *ch, NameView *live, NameView *apply)
{
	if (view_apply(ctx, dia, ch->tt ? ch->tt : ch->lt, apply) != PMX_OK)
		return PMX_ERROR;
	if (ch->lt)
		return view_live(ctx, dia, ch->lt, ch->tt, live);
	*live = *apply;
	return PMX_OK;
}

/* The column is part of the target's primary key or a unique key. */
static bool
column_in_key(const PmxTable *t, const char *name)
{
	if (t->pk)
		for (int i = 0; i < t->pk->cols.n; i++)
			if (pmx_streq_fold(t->pk->cols.v[i], name))
				return true;
	for (int u = 0; u < t->nuniques; u++)
		for (int i = 0; i < t->uniques[u].cols.n; i++)
			if (pmx_streq_fold(t->uniques[u].cols.v[i], name))
				return true;
	for (int x = 0; x < t->nindexes; x++)
		if (t->indexes[x].unique)
			for (int i = 0; i < t->indexes[x].elems.n; i++)
				if (pmx_streq_fold(t->indexes[x].elems.v[i], name))
					return true;
	return false;
}

/* A check whose count blocks the change, or warns when 0. */
static int
gate(PmxCtx *ctx, PmxDb *db, PmxChange *ch, const char *live_sql,
	 char *apply_sql, long long *n)
{
	if (count(ctx, db, live_sql, n) != PMX_OK)
		return PMX_ERROR;
	ch->check_sql = apply_sql;
	return apply_sql ? PMX_OK : PMX_ERROR;
}

/* Block a type change: bad values do not fit (viol finds them). */
static int
block_misfit(PmxCtx *ctx, PmxChange *ch, long long bad, const char *viol)
{
	block(ch, PMX_E_BLOCKED_CHECK,
		  pmx_sprintf(ctx, "%lld %s of column %s %s not fit type %s (now %s)", bad,
					  plural(bad, "value", "values"), ch->tc->name,
					  plural(bad, "does", "do"), ch->tc->type, ch->lc->type),
		  pmx_sprintf(ctx, "Fix or clear the values that do not fit (SQL: %s), or keep type %s.",
					  viol, ch->lc->type));
	return PMX_OK;
}

/* "col IS NOT NULL AND col::text NOT IN (labels of e)"; NULL on OOM. */
static char *
not_a_label(PmxCtx *ctx, const char *col, const PmxEnum *e)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	pmx_buf_ident(&b, col);
	pmx_buf_append(&b, " IS NOT NULL AND ");
	pmx_buf_ident(&b, col);
	pmx_buf_append(&b, "::text NOT IN ");
	pmx_buf_literals(&b, &e->values);
	return pmx_buf_finish(&b);
}

/*
 * PostgreSQL: a column becomes the target's enum type e.  The plan may
 * create e, or add the labels, in an earlier step, so the values are not
 * cast to the type the server has now: each non-NULL one must be a label
 * of e as the target declares it (checked again at apply).
 */
static int
classify_to_enum(PmxCtx *ctx, PmxDb *db, const PmxEnum *e, PmxChange *ch,
				 const NameView *lv, const NameView *av)
{
	char	   *viol_live = not_a_label(ctx, vcol(lv, ch->tc->name), e),
			   *viol_apply = not_a_label(ctx, ch->tc->name, e);
	long long	bad = 0;

	if (!viol_live || !viol_apply ||
		gate(ctx, db, ch, q_count(ctx, lv, viol_live), q_count(ctx, av, viol_apply), &bad) != PMX_OK)
		return PMX_ERROR;
	if (bad > 0)
		return block_misfit(ctx, ch, bad, viol_apply);
	ch->rewrite = true;
	set(ch, PMX_WARN, pmx_sprintf(ctx, "type of %s changes from %s to %s; every non-NULL value is one of its labels (the table is rewritten)",
								  ch->tc->name, ch->lc->type, ch->tc->type));
	return PMX_OK;
}

/*
 * PostgreSQL: a type change the rules cannot vouch for is shown to the
 * server: count(CAST(col AS new)) over the table must run without error.
 * When it fails, the step is blocked with the server's reason.
 */
static int
classify_type_pg(PmxCtx *ctx, PmxDb *db, PmxSchema *target, PmxChange *ch,
				 const NameView *lv, const NameView *av)
{
	PmxEnum    *en = pmx_schema_find_enum(target, ch->tc->type);
	char	   *viol_live,
			   *viol_apply,
			   *type;
	bool		rewrite,
				needs_cast;
	long long	bad = 0;
	PmxTypeChange k = pmx_pg_type_change(ctx, ch->lc->type, ch->tc->type,
										 vcol(lv, ch->tc->name), &viol_live,
										 &rewrite, &needs_cast);

	pmx_pg_type_change(ctx, ch->lc->type, ch->tc->type, ch->tc->name, &viol_apply,
					   &rewrite, &needs_cast);
	if (pmx_error_is_set(ctx) ||
		!(type = pmx_pg_type_render(ctx, pmx_pg_serial_base(ch->tc->type) ? pmx_pg_serial_base(ch->tc->type)
									: ch->tc->type)))
		return PMX_ERROR;
	ch->rewrite = rewrite;
	if (viol_live && gate(ctx, db, ch, q_count(ctx, lv, viol_live),
						  q_count(ctx, av, viol_apply), &bad) != PMX_OK)
		return PMX_ERROR;
	if (bad > 0)
		return block_misfit(ctx, ch, bad, viol_apply);
	if (en)
		return classify_to_enum(ctx, db, en, ch, lv, av);
	if (needs_cast)
	{
		PmxBuf		b;
		long long	n;
		char	   *sql;

		pmx_buf_init(&b, ctx);
		pmx_buf_append(&b, "SELECT count(CAST(");
		pmx_buf_ident(&b, vcol(lv, ch->tc->name));
		pmx_buf_appendf(&b, " AS %s)) FROM ", type);
		append_table(&b, lv);
		if (!(sql = pmx_buf_finish(&b)))
			return PMX_ERROR;
		if (count(ctx, db, sql, &n) != PMX_OK)
		{
			char	   *why = pmx_strdup(ctx, ctx->err.message);

			if (ctx->err.code != PMX_E_SQL)
				return PMX_ERROR;
			pmx_error_clear(ctx);
			block(ch, PMX_E_BLOCKED_CHECK,
				  pmx_sprintf(ctx, "column %s cannot change from %s to %s: a value does not cast (%s)",
							  ch->tc->name, ch->lc->type, ch->tc->type, why),
				  pmx_sprintf(ctx, "Fix the values first (this fails on them: %s), or keep type %s.",
							  sql, ch->lc->type));
			return PMX_OK;
		}
		if (k == PMX_TC_CONVERT)
		{
			/* every value casts, but the cast itself changes values */
			set(ch, PMX_DESTRUCTIVE, pmx_sprintf(ctx, "type of %s changes from %s to %s: all %lld non-NULL %s cast, but the cast can change them (rounding, lost digits, time of day or time zone)",
												 ch->tc->name, ch->lc->type, ch->tc->type, n,
												 plural(n, "value", "values")));
			ch->hint = pmx_sprintf(ctx, "Pass allow_destructive => true to convert column \"%s\", or keep type %s.",
								   ch->tc->name, ch->lc->type);
			return PMX_OK;
		}
		set(ch, PMX_WARN, pmx_sprintf(ctx, "type of %s changes from %s to %s; all %lld non-NULL %s cast (the table is rewritten)",
									  ch->tc->name, ch->lc->type, ch->tc->type, n,
									  plural(n, "value", "values")));
		return PMX_OK;
	}
	switch (k)
	{
		case PMX_TC_NARROW:
			set(ch, PMX_DESTRUCTIVE, pmx_sprintf(ctx, "type of %s narrows from %s to %s; no current value is over the limit, but longer or larger values will be refused from now on",
												 ch->tc->name, ch->lc->type, ch->tc->type));
			ch->hint = pmx_sprintf(ctx, "Pass allow_destructive => true to narrow column \"%s\".", ch->tc->name);
			break;
		case PMX_TC_CONVERT:
			set(ch, PMX_DESTRUCTIVE, pmx_sprintf(ctx, "type of %s changes from %s to %s, which stores values differently",
												 ch->tc->name, ch->lc->type, ch->tc->type));
			ch->hint = pmx_sprintf(ctx, "Pass allow_destructive => true to convert column \"%s\".", ch->tc->name);
			break;
		default:
			set(ch, rewrite ? PMX_WARN : PMX_SAFE,
				pmx_sprintf(ctx, "type of %s widens from %s to %s%s", ch->tc->name, ch->lc->type,
							ch->tc->type, rewrite ? " (the table is rewritten)" : " without a rewrite"));
			break;
	}
	return PMX_OK;
}

/* Classify a column type change by the values the column holds now. */
static int
classify_type(PmxCtx *ctx, PmxDb *db, PmxChange *ch, const NameView *lv,
			  const NameView *av)
{
	char	   *viol_live,
			   *viol_apply;
	long long	bad = 0,
				filled = 0;
	PmxTypeChange k = pmx_sqlite_type_change(ctx, ch->lc->type, ch->tc->type,
											 vcol(lv, ch->tc->name), &viol_live);

	pmx_sqlite_type_change(ctx, ch->lc->type, ch->tc->type, ch->tc->name, &viol_apply);
	if (pmx_error_is_set(ctx))
		return PMX_ERROR;
	if (viol_live && gate(ctx, db, ch, q_count(ctx, lv, viol_live),
						  q_count(ctx, av, viol_apply), &bad) != PMX_OK)
		return PMX_ERROR;
	ch->rewrite = true;
	if (bad > 0)
		return block_misfit(ctx, ch, bad, viol_apply);
	switch (k)
	{
		case PMX_TC_WIDEN:
			set(ch, PMX_WARN, pmx_sprintf(ctx, "type of %s widens from %s to %s",
										  ch->tc->name, ch->lc->type, ch->tc->type));
			break;
		case PMX_TC_CONSTRAIN:
			set(ch, PMX_WARN, pmx_sprintf(ctx, "type of %s changes from %s to %s; every current value fits (checked again at apply)",
										  ch->tc->name, ch->lc->type, ch->tc->type));
			break;
		case PMX_TC_NARROW:
			set(ch, PMX_DESTRUCTIVE, pmx_sprintf(ctx, "type of %s narrows from %s to %s; no current value is over the limit, but longer or larger values will be refused from now on",
												 ch->tc->name, ch->lc->type, ch->tc->type));
			ch->hint = pmx_sprintf(ctx, "Pass allow_destructive = true to narrow column \"%s\".", ch->tc->name);
			break;
		case PMX_TC_CONVERT:
			if (count(ctx, db, q_count(ctx, lv, pmx_sprintf(ctx, "%s IS NOT NULL",
															pmx_quote_ident(ctx, vcol(lv, ch->tc->name)))),
					  &filled) != PMX_OK)
				return PMX_ERROR;
			set(ch, PMX_DESTRUCTIVE, pmx_sprintf(ctx, "type of %s changes from %s to %s, which stores values differently: %lld non-NULL %s may be converted",
												 ch->tc->name, ch->lc->type, ch->tc->type, filled,
												 plural(filled, "value", "values")));
			ch->hint = pmx_sprintf(ctx, "Pass allow_destructive = true to convert column \"%s\".", ch->tc->name);
			break;
	}
	return PMX_OK;
}

/*
 * MySQL/MariaDB: the values that would not fit are counted (lengths in
 * characters, integer ranges, decimal digits, enum labels); premix's
 * procedures run under STRICT_ALL_TABLES, so the server refuses rather
 * than truncates a value the count missed.
 */
static int
classify_type_mysql(PmxCtx *ctx, PmxDb *db, PmxChange *ch, const NameView *lv,
					const NameView *av)
{
	char	   *viol_live,
			   *viol_apply;
	bool		instant;
	long long	bad = 0,
				filled = 0;
	PmxTypeChange k = pmx_mysql_type_change(ctx, ch->lc->type, ch->tc->type,
											vcol(lv, ch->tc->name), &viol_live, &instant);

	pmx_mysql_type_change(ctx, ch->lc->type, ch->tc->type, ch->tc->name, &viol_apply, &instant);
	if (pmx_error_is_set(ctx))
		return PMX_ERROR;
	if (viol_live && gate(ctx, db, ch, q_count(ctx, lv, viol_live),
						  q_count(ctx, av, viol_apply), &bad) != PMX_OK)
		return PMX_ERROR;
	ch->rewrite = !instant;
	if (bad > 0)
		return block_misfit(ctx, ch, bad, viol_apply);
	switch (k)
	{
		case PMX_TC_WIDEN:
			set(ch, instant ? PMX_SAFE : PMX_WARN,
				pmx_sprintf(ctx, "type of %s widens from %s to %s%s", ch->tc->name, ch->lc->type,
							ch->tc->type, instant ? " (metadata only)" : " (the table is copied; writes wait)"));
			break;
		case PMX_TC_CONSTRAIN:
			set(ch, PMX_WARN, pmx_sprintf(ctx, "type of %s changes from %s to %s; every current value fits (checked again at apply)",
										  ch->tc->name, ch->lc->type, ch->tc->type));
			break;
		case PMX_TC_NARROW:
			set(ch, PMX_DESTRUCTIVE, pmx_sprintf(ctx, "type of %s narrows from %s to %s; no current value is over the limit, but longer or larger values will be refused from now on",
												 ch->tc->name, ch->lc->type, ch->tc->type));
			ch->hint = pmx_sprintf(ctx, "Pass allow_destructive = true to narrow column \"%s\".", ch->tc->name);
			break;
		case PMX_TC_CONVERT:
			if (count(ctx, db, q_count(ctx, lv, pmx_sprintf(ctx, "%s IS NOT NULL",
															pmx_quote_ident(ctx, vcol(lv, ch->tc->name)))),
					  &filled) != PMX_OK)
				return PMX_ERROR;
			set(ch, PMX_DESTRUCTIVE, pmx_sprintf(ctx, "type of %s changes from %s to %s, which stores values differently: %lld non-NULL %s may be converted",
												 ch->tc->name, ch->lc->type, ch->tc->type, filled,
												 plural(filled, "value", "values")));
			ch->hint = pmx_sprintf(ctx, "Pass allow_destructive = true to convert column \"%s\".", ch->tc->name);
			break;
	}
	return PMX_OK;
}

/* The labels of n joined for a message. */
static char *
labels(PmxCtx *ctx, const PmxNames *n)
{
	return pmx_names_join(ctx, n, ", ");
}

/*
 * Enum type changes (PostgreSQL).  New labels can be added anywhere
 * (ALTER TYPE ... ADD VALUE BEFORE/AFTER), but PostgreSQL can neither drop
 * nor reorder labels: the target must keep the live labels, in order.
 */
static int
classify_enum(PmxCtx *ctx, PmxChange *ch)
{
	const PmxEnum *le = ch->lobj,
			   *te = ch->tobj;

	switch (ch->op)
	{
		case PMX_OP_CREATE_ENUM:
			set(ch, PMX_SAFE, pmx_sprintf(ctx, "new enum type %s (%s)", te->name, labels(ctx, &te->values)));
			return PMX_OK;
		case PMX_OP_DROP_ENUM:
			set(ch, PMX_DESTRUCTIVE, pmx_sprintf(ctx, "enum type %s (%s) is not in the target",
												 le->name, labels(ctx, &le->values)));
			ch->hint = pmx_sprintf(ctx, "Pass allow_destructive => true to drop type \"%s\", or list it under \"enums\".",
								   le->name);
			return PMX_OK;
		default:
			{
				int			j = 0;

				for (int i = 0; i < te->values.n && j < le->values.n; i++)
					if (strcmp(te->values.v[i], le->values.v[j]) == 0)
						j++;
				if (j < le->values.n)
				{
					block(ch, PMX_E_UNSUPPORTED,
						  pmx_sprintf(ctx, "enum type %s would lose or reorder labels (now %s; target %s): PostgreSQL can only add labels",
									  le->name, labels(ctx, &le->values), labels(ctx, &te->values)),
						  pmx_sprintf(ctx, "Keep the labels of \"%s\" in their order and only add new ones; to drop a label, create a new type, move the columns to it (ALTER COLUMN ... TYPE ... USING c::text::new_type), then drop the old type.",
									  le->name));
					return PMX_OK;
				}
				set(ch, PMX_SAFE, pmx_sprintf(ctx, "enum type %s gains labels (now %s; target %s)",
											  le->name, labels(ctx, &le->values), labels(ctx, &te->values)));
				return PMX_OK;
			}
	}
}

/* Classify one change; see the file header. */
static int
classify(PmxCtx *ctx, PmxDb *db, PmxDiff *d, PmxChange *ch)
{
	NameView	lv,
				av;
	long long	n = 0,
				rows = 0;
	const PmxTable *tt = ch->tt;
	const char *dflt_coll;

	if (ch->op == PMX_OP_CREATE_ENUM || ch->op == PMX_OP_ALTER_ENUM || ch->op == PMX_OP_DROP_ENUM)
		return classify_enum(ctx, ch);
	if (views_for(ctx, db->dialect, ch, &lv, &av) != PMX_OK)
		return PMX_ERROR;

	switch (ch->op)
	{
		case PMX_OP_CREATE_TABLE:
			set(ch, PMX_SAFE, pmx_sprintf(ctx, "new table %s", tt->name));
			break;
		case PMX_OP_RENAME_TABLE:
		case PMX_OP_RENAME_COLUMN:
			ch->safety = PMX_SAFE;	/* reason set by pmx_match */
			break;
		case PMX_OP_RENAME_INDEX:
			if (db->dialect != PMX_DIALECT_SQLITE)
			{
				ch->safety = PMX_SAFE;
				break;
			}
			ch->safety = PMX_WARN;
			ch->reason = pmx_sprintf(ctx, "%s; SQLite cannot rename an index, so it is rebuilt under the new name",
									 ch->reason);
			break;
		case PMX_OP_DROP_TABLE:
			if (count(ctx, db, q_count(ctx, &lv, NULL), &rows) != PMX_OK)
				return PMX_ERROR;
			set(ch, PMX_DESTRUCTIVE, pmx_sprintf(ctx, d->hints_only ? "the script drops table %s, which holds %lld %s"
												 : "table %s is not in the target and holds %lld %s",
												 ch->lt->name, rows, plural(rows, "row", "rows")));
			if (ch->lt->maybe_renamed_to)
			{
				ch->reason = pmx_sprintf(ctx, "%s; it may have been renamed to %s, which has the same columns",
										 ch->reason, ch->lt->maybe_renamed_to);
				ch->hint = pmx_sprintf(ctx, "If table \"%s\" is \"%s\" renamed, add \"renamed_from\": \"%s\" to it; otherwise pass allow_destructive = true to drop \"%s\".",
									   ch->lt->maybe_renamed_to, ch->lt->name, ch->lt->name, ch->lt->name);
			}
			else
				ch->hint = pmx_sprintf(ctx, "Pass allow_destructive = true to drop table \"%s\", or list it in the target (or use scope \"listed\").",
									   ch->lt->name);
			break;
		case PMX_OP_ADD_COLUMN:
			{
				const PmxColumn *c = ch->tc;

				if (!c->nullable && !c->default_expr && c->identity == PMX_IDENTITY_NONE)
				{
					if (count(ctx, db, q_count(ctx, &lv, NULL), &rows) != PMX_OK)
						return PMX_ERROR;
					if (rows > 0)
					{
						block(ch, PMX_E_BLOCKED_NULLS,
							  pmx_sprintf(ctx, "new column %s is NOT NULL with no default, and table %s has %lld %s that would hold NULL",
										  c->name, tt->name, rows, plural(rows, "row", "rows")),
							  pmx_sprintf(ctx, "Declare a default for column \"%s\" (it backfills the existing rows), or add it as nullable first.",
										  c->name));
						break;
					}
					ch->check_sql = q_count(ctx, &av, NULL);
					set(ch, PMX_WARN, pmx_sprintf(ctx, "new NOT NULL column %s without default; table %s is empty (checked again at apply)",
												  c->name, tt->name));
					break;
				}
				set(ch, PMX_SAFE, pmx_sprintf(ctx, "new column %s", c->name));
				break;
			}
		case PMX_OP_DROP_COLUMN:
			{
				const char *lc = vcol(&lv, ch->lc->name);
				long long	filled;

				if (count(ctx, db, q_count(ctx, &lv, NULL), &rows) != PMX_OK ||
					count(ctx, db, q_count(ctx, &lv, pmx_sprintf(ctx, "%s IS NOT NULL",
																 pmx_quote_ident(ctx, lc))), &filled) != PMX_OK)
					return PMX_ERROR;
				set(ch, PMX_DESTRUCTIVE, pmx_sprintf(ctx, d->hints_only ? "the script drops column %s, which holds %lld non-NULL %s in %lld %s"
													 : "column %s is not in the target and holds %lld non-NULL %s in %lld %s",
													 ch->lc->name, filled, plural(filled, "value", "values"),
													 rows, plural(rows, "row", "rows")));
				/* like SQLite's own DROP COLUMN: not under a view or trigger */
				for (int e = 0; e < d->live->nextras; e++)
				{
					const PmxExtra *x = &d->live->extras[e];

					if (pmx_sql_mentions_ident(x->sql, ch->lc->name) ||
						(ch->lc->live_name && pmx_sql_mentions_ident(x->sql, ch->lc->live_name)))
					{
						block(ch, PMX_E_DEPENDENT,
							  pmx_sprintf(ctx, "column %s cannot be dropped: %s %s mentions it and would break", ch->lc->name,
										  x->type, x->name),
							  pmx_sprintf(ctx, "Change or drop %s \"%s\" first (premix does not manage views and triggers), then migrate.",
										  x->type, x->name));
						break;
					}
				}
				if (ch->safety == PMX_BLOCKED)
					break;
				if (ch->lc->maybe_renamed_to)
				{
					ch->reason = pmx_sprintf(ctx, "%s; it may have been renamed to %s (same type), but premix does not guess",
											 ch->reason, ch->lc->maybe_renamed_to);
					ch->hint = pmx_sprintf(ctx, "If column \"%s\" is \"%s\" renamed, add \"renamed_from\": \"%s\" to it; otherwise pass allow_destructive = true to drop \"%s\".",
										   ch->lc->maybe_renamed_to, ch->lc->name, ch->lc->name, ch->lc->name);
				}
				else
					ch->hint = pmx_sprintf(ctx, "Pass allow_destructive = true to drop column \"%s\".", ch->lc->name);
				break;
			}
		case PMX_OP_ALTER_COLUMN_TYPE:
			if (db->dialect == PMX_DIALECT_POSTGRES)
				return classify_type_pg(ctx, db, d->target, ch, &lv, &av);
			if (db->dialect == PMX_DIALECT_MYSQL)
				return classify_type_mysql(ctx, db, ch, &lv, &av);
			return classify_type(ctx, db, ch, &lv, &av);
		case PMX_OP_SET_NOT_NULL:
			if (gate(ctx, db, ch, q_nulls(ctx, &lv, ch->tc->name), q_nulls(ctx, &av, ch->tc->name), &n) != PMX_OK)
				return PMX_ERROR;
			ch->rewrite = true;
			if (n == 0)
				set(ch, PMX_WARN, pmx_sprintf(ctx, "column %s becomes NOT NULL; it holds no NULL now (checked again at apply)",
											  ch->tc->name));
			else if (ch->tc->default_expr)
			{
				/* the rebuild's copy fills them: coalesce(c, default) */
				ch->backfill = ch->tc->default_expr;
				ch->check_sql = NULL;	/* the backfill makes it hold */
				set(ch, PMX_WARN, pmx_sprintf(ctx, "column %s becomes NOT NULL; its %lld %s backfilled with the default %s",
											  ch->tc->name, n, plural(n, "NULL is", "NULLs are"),
											  ch->tc->default_expr));
			}
			else
				block(ch, PMX_E_BLOCKED_NULLS,
					  pmx_sprintf(ctx, "column %s cannot become NOT NULL: %lld %s NULL and the target declares no default to backfill",
								  ch->tc->name, n, plural(n, "row holds", "rows hold")),
					  pmx_sprintf(ctx, "Declare a default for column \"%s\" to backfill the %lld %s, or update them before migrating.",
								  ch->tc->name, n, plural(n, "row", "rows")));
			break;
		case PMX_OP_DROP_NOT_NULL:
			set(ch, PMX_WARN, pmx_sprintf(ctx, "column %s becomes nullable", ch->tc->name));
			ch->rewrite = true;
			break;
		case PMX_OP_SET_DEFAULT:
			set(ch, PMX_WARN, pmx_sprintf(ctx, "default of %s becomes %s",
										  ch->tc->name, ch->tc->default_expr));
			ch->rewrite = true;
			break;
		case PMX_OP_DROP_DEFAULT:
			set(ch, PMX_WARN, pmx_sprintf(ctx, "default of %s is dropped", ch->tc->name));
			ch->rewrite = true;
			break;
		case PMX_OP_ALTER_COLLATION:
			ch->rewrite = true;
			dflt_coll = db->dialect == PMX_DIALECT_SQLITE ? "BINARY" : "default";
			if (column_in_key(tt, ch->tc->name))
			{
				PmxNames	one = {&ch->tc->name, 1};

				if (gate(ctx, db, ch, q_dups(ctx, &lv, tt, &one, NULL),
						 q_dups(ctx, &av, tt, &one, NULL), &n) != PMX_OK)
					return PMX_ERROR;
				if (n > 0)
				{
					block(ch, PMX_E_BLOCKED_UNIQUE,
						  pmx_sprintf(ctx, "under collation %s column %s would hold %lld duplicate %s of a unique key",
									  ch->tc->collation ? ch->tc->collation : dflt_coll, ch->tc->name, n,
									  plural(n, "value", "values")),
						  pmx_sprintf(ctx, "Remove the duplicates first (SQL: %s), or keep the collation.", ch->check_sql));
					break;
				}
			}
			set(ch, PMX_WARN, pmx_sprintf(ctx, "collation of %s changes from %s to %s",
										  ch->tc->name, ch->lc->collation ? ch->lc->collation : dflt_coll,
										  ch->tc->collation ? ch->tc->collation : dflt_coll));
			break;
		case PMX_OP_ALTER_IDENTITY:
			set(ch, PMX_WARN, pmx_sprintf(ctx, "identity of %s changes", ch->tc->name));
			ch->rewrite = true;
			break;
		case PMX_OP_ADD_PRIMARY_KEY:
		case PMX_OP_ADD_UNIQUE:
			{
				const PmxKey *k = ch->tobj;
				char	   *cols = pmx_names_join(ctx, &k->cols, ", ");
				long long	nulls = 0;

				if (gate(ctx, db, ch, q_dups(ctx, &lv, tt, &k->cols, NULL),
						 q_dups(ctx, &av, tt, &k->cols, NULL), &n) != PMX_OK)
					return PMX_ERROR;
				ch->rewrite = true;
				if (n > 0)
				{
					block(ch, PMX_E_BLOCKED_UNIQUE,
						  pmx_sprintf(ctx, "%s (%s) cannot be added: %lld %s more than once",
									  ch->op == PMX_OP_ADD_UNIQUE ? "unique key" : "primary key",
									  cols, n, plural(n, "value occurs", "values occur")),
						  pmx_sprintf(ctx, "Remove the duplicates first; this query counts them: %s",
									  ch->check_sql));
					break;
				}
				if (ch->op == PMX_OP_ADD_PRIMARY_KEY)
				{
					for (int i = 0; i < k->cols.n; i++)
					{
						long long	c;

						if (count(ctx, db, q_nulls(ctx, &lv, k->cols.v[i]), &c) != PMX_OK)
							return PMX_ERROR;
						nulls += c;
					}
					if (nulls > 0)
					{
						block(ch, PMX_E_BLOCKED_NULLS,
							  pmx_sprintf(ctx, "primary key (%s) cannot be added: %lld NULL key %s",
										  cols, nulls, plural(nulls, "value", "values")),
							  pmx_sprintf(ctx, "Fill or delete the rows with NULL in (%s) first.", cols));
						break;
					}
				}
				set(ch, PMX_WARN, pmx_sprintf(ctx, "%s (%s) added; no duplicates now (checked again at apply)",
											  ch->op == PMX_OP_ADD_UNIQUE ? "unique key" : "primary key", cols));
				break;
			}
		case PMX_OP_DROP_PRIMARY_KEY:
		case PMX_OP_DROP_UNIQUE:
			{
				const PmxKey *k = ch->lobj;

				set(ch, PMX_WARN, pmx_sprintf(ctx, "%s (%s) dropped",
											  ch->op == PMX_OP_DROP_UNIQUE ? "unique key" : "primary key",
											  pmx_names_join(ctx, &k->cols, ", ")));
				ch->rewrite = true;
				break;
			}
		case PMX_OP_ADD_FOREIGN_KEY:
			{
				const PmxForeignKey *fk = ch->tobj;
				PmxTable   *ptt = pmx_schema_find(ctx, d->target, fk->ref_table);
				PmxTable   *plt = ptt ? ptt->peer : pmx_schema_find(ctx, d->live, fk->ref_table);
				NameView	plv,
							pav;
				char	   *cols = pmx_names_join(ctx, &fk->cols, ", ");
				char	   *refs = pmx_names_join(ctx, &fk->ref_cols, ", ");

				if (view_apply(ctx, db->dialect, ptt ? ptt : plt, &pav) != PMX_OK)
					return PMX_ERROR;
				if (plt && view_live(ctx, db->dialect, plt, ptt, &plv) != PMX_OK)
					return PMX_ERROR;
				if (!plt)
					plv = pav;	/* the parent is created by this plan: empty */
				if (gate(ctx, db, ch, q_orphans(ctx, &lv, fk, &plv, plt != NULL),
						 q_orphans(ctx, &av, fk, &pav, true), &n) != PMX_OK)
					return PMX_ERROR;
				ch->rewrite = true;
				if (n > 0)
					block(ch, PMX_E_BLOCKED_FK,
						  pmx_sprintf(ctx, "foreign key (%s) -> %s(%s) cannot be added: %lld %s at no row of %s",
									  cols, fk->ref_table, refs, n, plural(n, "row points", "rows point"), fk->ref_table),
						  pmx_sprintf(ctx, "Delete or fix the orphan rows, or add the missing parent rows first; this query counts them: %s",
									  ch->check_sql));
				else
					set(ch, PMX_WARN, pmx_sprintf(ctx, "foreign key (%s) -> %s(%s) added; no orphan rows now (checked again at apply)",
												  cols, fk->ref_table, refs));
				break;
			}
		case PMX_OP_DROP_FOREIGN_KEY:
			{
				const PmxForeignKey *fk = ch->lobj;

				set(ch, PMX_WARN, pmx_sprintf(ctx, "foreign key (%s) -> %s dropped",
											  pmx_names_join(ctx, &fk->cols, ", "), fk->ref_table));
				ch->rewrite = true;
				break;
			}
		case PMX_OP_ADD_CHECK:
			{
				const PmxCheck *ck = ch->tobj;
				char	   *le = vexpr(ctx, &lv, ck->expr);

				if (!le || gate(ctx, db, ch, q_count(ctx, &lv, pmx_sprintf(ctx, "NOT (%s)", le)),
								q_count(ctx, &av, pmx_sprintf(ctx, "NOT (%s)", ck->expr)), &n) != PMX_OK)
					return PMX_ERROR;
				ch->rewrite = true;
				if (n > 0)
					block(ch, PMX_E_BLOCKED_CHECK,
						  pmx_sprintf(ctx, "check (%s) cannot be added: %lld %s it",
									  ck->expr, n, plural(n, "row violates", "rows violate")),
						  pmx_sprintf(ctx, "Fix the rows first; this query counts them: %s", ch->check_sql));
				else
					set(ch, PMX_WARN, pmx_sprintf(ctx, "check (%s) added; every row satisfies it now (checked again at apply)",
												  ck->expr));
				break;
			}
		case PMX_OP_DROP_CHECK:
			set(ch, PMX_WARN, pmx_sprintf(ctx, "check (%s) dropped",
										  ((const PmxCheck *) ch->lobj)->expr));
			ch->rewrite = true;
			break;
		case PMX_OP_CREATE_INDEX:
			{
				const PmxIndex *ix = ch->tobj;

				if (!ch->lt)
				{
					set(ch, PMX_SAFE, pmx_sprintf(ctx, "index %s on new table %s", ix->name, tt->name));
					break;
				}
				if (ix->unique)
				{
					if (gate(ctx, db, ch, q_dups(ctx, &lv, tt, &ix->elems, ix->where),
							 q_dups(ctx, &av, tt, &ix->elems, ix->where), &n) != PMX_OK)
						return PMX_ERROR;
					if (n > 0)
					{
						block(ch, PMX_E_BLOCKED_UNIQUE,
							  pmx_sprintf(ctx, "unique index %s cannot be built: %lld %s more than once",
										  ix->name, n, plural(n, "value occurs", "values occur")),
							  pmx_sprintf(ctx, "Remove the duplicates first; this query counts them: %s", ch->check_sql));
						break;
					}
				}
				if (count(ctx, db, q_count(ctx, &lv, NULL), &rows) != PMX_OK)
					return PMX_ERROR;
				if (rows == 0)
					set(ch, PMX_SAFE, pmx_sprintf(ctx, "index %s on empty table %s", ix->name, tt->name));
				else if (db->dialect == PMX_DIALECT_MYSQL)
					set(ch, PMX_WARN, pmx_sprintf(ctx, "index %s is built over %lld %s online (reads and writes go on)%s",
												  ix->name, rows, plural(rows, "row", "rows"),
												  ix->unique ? "; no duplicates now (checked again at apply)" : ""));
				else
					set(ch, PMX_WARN, pmx_sprintf(ctx, "index %s is built over %lld %s; writes wait meanwhile%s",
												  ix->name, rows, plural(rows, "row", "rows"),
												  ix->unique ? "; no duplicates now (checked again at apply)" : ""));
				break;
			}
		case PMX_OP_SET_COMMENT:
			set(ch, PMX_SAFE, ch->tc ? pmx_sprintf(ctx, "comment on column %s changes", ch->tc->name)
				: pmx_sprintf(ctx, "comment on table %s changes", tt->name));
			break;
		case PMX_OP_DROP_INDEX:
			set(ch, PMX_WARN, pmx_sprintf(ctx, "index %s dropped; queries that used it may slow down",
										  ((const PmxIndex *) ch->lobj)->name));
			break;
		case PMX_OP_ALTER_OPTIONS:
			set(ch, PMX_WARN, pmx_sprintf(ctx, "table options change (%s%s)%s",
										  tt->without_rowid ? "WITHOUT ROWID" : "rowid",
										  tt->strict ? ", STRICT" : "",
										  tt->strict && !ch->lt->strict ? "; a value that does not fit a STRICT column type makes the apply fail and roll back" : ""));
			ch->rewrite = true;
			break;
		default:
			break;
	}
	return PMX_OK;
}

/*
 * Classify every change of d against the rows in db.  Returns PMX_ERROR
 * only when a query fails; blocked changes are results, not errors.
 */
int
pmx_datacheck(PmxCtx *ctx, PmxDb *db, PmxDiff *d)
{
	for (int i = 0; i < d->nchanges; i++)
	{
		if (classify(ctx, db, d, d->changes[i]) != PMX_OK)
			return PMX_ERROR;
		if (!d->changes[i]->reason)
			return pmx_error_is_set(ctx) ? PMX_ERROR
				: pmx_error(ctx, PMX_E_INTERNAL, "change %s on %s has no reason",
							pmx_op_name(d->changes[i]->op), d->changes[i]->object);
	}
	return PMX_OK;
}
