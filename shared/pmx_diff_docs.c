/*-------------------------------------------------------------------------
 *
 * pmx_diff_docs.c
 *	  Plans from documents alone: the MySQL/MariaDB entry points, where
 *	  premix runs as UDFs that cannot run SQL.
 *
 * premix_diff(current, target [, options]) plans for MySQL from the live
 * schema document (premix.premix_schema output), the target, and two
 * MySQL-only options the stored procedures fill in:
 *
 *	 "normalized": the target as a scratch database holds it (the
 *		procedure creates the target there and exports it), so defaults,
 *		checks and types are the server's own spelling; renamed_from hints
 *		and the names the target left implicit come from the target.
 *
 *	 "facts": {"<counting query>": n, ...} -- the answers to the data
 *		checks.  The diff runs against a PmxDb whose query callback looks
 *		the query up there; a query it has no answer for is answered 0 and
 *		listed in the plan's "facts_needed".  The procedure runs those
 *		queries, adds their counts to "facts" and asks again, until the
 *		plan needs nothing more (a later check can depend on an earlier
 *		count, so this takes a round or two).  A plan with facts_needed
 *		says in its warnings that its data checks have not run.
 *
 * IDENTIFICATION
 *	  shared/pmx_diff_docs.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_engine.h"
#include "pmx_plan.h"
#include "pmx_sql.h"
#include "pmx_types.h"

/* The PmxDb behind a document plan: the current model and the facts. */
typedef struct DocDb
{
	PmxSchema  *current;
	const PmxJson *facts;
	const char *database;		/* qualify table names with it, or NULL */
	PmxStrs		missing;
} DocDb;

/* Functions whose parentheses hold FROM without a table after it. */
static bool
from_function(const PmxTok *t)
{
	return pmx_tok_is(t, "extract") || pmx_tok_is(t, "trim") || pmx_tok_is(t, "substring") ||
		pmx_tok_is(t, "position") || pmx_tok_is(t, "overlay");
}

/*
 * sql with every table name qualified by database db: a quoted
 * identifier right after TABLE, REFERENCES, UPDATE, FROM or JOIN (or
 * after TO in RENAME TABLE) becomes "db"."t".  premix writes every table
 * name quoted and in those places only, so this finds them all; a FROM
 * inside extract(... FROM x) and the like is left alone.  NULL on OOM.
 * (A stored procedure cannot USE a database, so the statements it runs
 * must name it.)
 */
char *
pmx_mysql_qualify(PmxCtx *ctx, const char *sql, const char *db)
{
	PmxBuf		b;
	PmxTok		prev = {PMX_TK_EOF, NULL, 0};
	PmxTok		t;
	bool		rename_table = false;
	int			depth = 0,
				fn_depth = -1;	/* depth of an extract( ... ), or -1 */
	int			ntok = 0;

	pmx_buf_init(&b, ctx);
	for (const char *p = sql;; p = t.p + t.len)
	{
		t = pmx_sql_next(p, false);
		if (t.type == PMX_TK_EOF || t.type == PMX_TK_ERROR)
		{
			pmx_buf_append(&b, p);
			break;
		}
		if (t.type == PMX_TK_SPACE)
		{
			pmx_buf_append_len(&b, t.p, t.len);
			continue;
		}
		ntok++;
		if (ntok == 2 && pmx_tok_is(&prev, "rename") && pmx_tok_is(&t, "table"))
			rename_table = true;
		if (pmx_tok_punct(&t, "("))
		{
			depth++;
			if (fn_depth < 0 && prev.type == PMX_TK_WORD && from_function(&prev))
				fn_depth = depth;
		}
		else if (pmx_tok_punct(&t, ")"))
		{
			if (depth == fn_depth)
				fn_depth = -1;
			depth--;
		}
		if (t.type == PMX_TK_QIDENT && prev.type == PMX_TK_WORD &&
			(pmx_tok_is(&prev, "table") || pmx_tok_is(&prev, "references") ||
			 pmx_tok_is(&prev, "update") || pmx_tok_is(&prev, "join") ||
			 (pmx_tok_is(&prev, "from") && fn_depth < 0) ||
			 (pmx_tok_is(&prev, "to") && rename_table)))
		{
			pmx_buf_ident(&b, db);
			pmx_buf_putc(&b, '.');
		}
		pmx_buf_append_len(&b, t.p, t.len);
		prev = t;
	}
	return pmx_buf_finish(&b);
}

/* query callback: the fact for sql, or 0 and sql listed as missing. */
static int
doc_query(void *ud, PmxCtx *ctx, const char *sql, PmxRowFn row, void *arg)
{
	DocDb	   *D = ud;
	const PmxJson *v;
	const char *value = "0";

	if (D->database && !(sql = pmx_mysql_qualify(ctx, sql, D->database)))
		return PMX_ERROR;
	v = D->facts ? pmx_json_get(D->facts, sql) : NULL;

	if (v && v->type == PMX_JSON_INT)
		value = pmx_sprintf(ctx, "%lld", v->i);
	else if (v)
		return pmx_error(ctx, PMX_E_INVALID, "option facts: the answer to \"%s\" must be an integer", sql);
	else
	{
		for (int i = 0; i < D->missing.n; i++)
			if (strcmp(D->missing.v[i], sql) == 0)
				goto answer;
		if (pmx_strs_push(ctx, &D->missing, sql) != PMX_OK)
			return PMX_ERROR;
	}
answer:
	if (!value)
		return PMX_ERROR;
	return row(arg, 1, &value) == 0 ? PMX_OK : PMX_ERROR;
}

/* exec callback: a document runs nothing. */
static int
doc_exec(void *ud, PmxCtx *ctx, const char *sql)
{
	(void) ud;
	return pmx_error(ctx, PMX_E_INTERNAL, "a document plan cannot run SQL (%s)", sql);
}

/* See pmx_engine.h. */
int
pmx_introspect_doc(PmxCtx *ctx, PmxDb *db, PmxSchema **out)
{
	DocDb	   *D = db->ud;

	if (db->query != doc_query || !D->current)
		return pmx_error(ctx, PMX_E_UNSUPPORTED, "MySQL is read from documents only (premix_diff(current, target))");
	*out = D->current;
	return PMX_OK;
}

/* Read a MySQL schema document (premix.premix_schema output); NULL on error. */
static PmxSchema *
read_mysql_doc(PmxCtx *ctx, const PmxJson *root, const char *what)
{
	const PmxJson *d = pmx_json_get(root, "dialect");
	PmxSchema  *s;

	if (!d || d->type != PMX_JSON_STRING || strcmp(d->s, "mysql") != 0)
	{
		pmx_error(ctx, PMX_E_INVALID, "%s is not a MySQL schema document (its \"dialect\" is not \"mysql\")", what);
		pmx_error_hint(ctx, "Pass the output of CALL premix.premix_schema('db', @js).");
		return NULL;
	}
	if (!(s = pmx_schema_from_json(ctx, root, PMX_DIALECT_MYSQL)) ||
		pmx_mysql_normalize(ctx, s) != PMX_OK)
		return NULL;
	return s;
}

/* True when table t has a key, index or constraint called name. */
static bool
name_taken(const PmxTable *t, const char *name)
{
	for (int i = 0; i < t->nuniques; i++)
		if (t->uniques[i].name && pmx_streq_fold(t->uniques[i].name, name))
			return true;
	for (int i = 0; i < t->nindexes; i++)
		if (t->indexes[i].name && pmx_streq_fold(t->indexes[i].name, name))
			return true;
	for (int i = 0; i < t->nfks; i++)
		if (t->fks[i].name && pmx_streq_fold(t->fks[i].name, name))
			return true;
	for (int i = 0; i < t->nchecks; i++)
		if (t->checks[i].name && pmx_streq_fold(t->checks[i].name, name))
			return true;
	return false;
}

/*
 * Name the constraints a target left unnamed as MariaDB would (a foreign
 * key <table>_ibfk_<n>, a unique key after its first column, a check
 * CONSTRAINT_<n>), marked implicit, so that the steps that drop them again
 * can name them.  Used when the target was not normalized by a scratch
 * database, which would have named them itself.  PMX_ERROR on OOM.
 */
static int
name_like_mariadb(PmxCtx *ctx, PmxSchema *s)
{
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable   *t = s->tables[i];
		int			nfk = 0,
					nck = 0;
		char	   *name;

		for (int k = 0; k < t->nfks; k++)
			if (!t->fks[k].name)
			{
				do
					name = pmx_sprintf(ctx, "%s_ibfk_%d", t->name, ++nfk);
				while (name && name_taken(t, name));
				if (!(t->fks[k].name = name))
					return PMX_ERROR;
				t->fks[k].implicit = true;
			}
		for (int k = 0; k < t->nchecks; k++)
			if (!t->checks[k].name)
			{
				do
					name = pmx_sprintf(ctx, "CONSTRAINT_%d", ++nck);
				while (name && name_taken(t, name));
				if (!(t->checks[k].name = name))
					return PMX_ERROR;
				t->checks[k].implicit = true;
			}
		for (int k = 0; k < t->nuniques; k++)
			if (!t->uniques[k].name && t->uniques[k].cols.n > 0)
			{
				const char *first = t->uniques[k].cols.v[0];

				name = pmx_strdup(ctx, first);
				for (int n = 2; name && name_taken(t, name); n++)
					name = pmx_sprintf(ctx, "%s_%d", first, n);
				if (!(t->uniques[k].name = name))
					return PMX_ERROR;
				t->uniques[k].implicit = true;
			}
	}
	return PMX_OK;
}

/* See pmx_engine.h. */
int
pmx_target_from_docs(PmxCtx *ctx, PmxSchema *json_model, const PmxOptions *opts,
					 PmxSchema **out)
{
	PmxSchema  *n;

	if (!opts->normalized)
	{
		*out = json_model;
		return name_like_mariadb(ctx, json_model);
	}
	if (!(n = read_mysql_doc(ctx, opts->normalized, "option normalized")))
		return PMX_ERROR;
	pmx_copy_hints(ctx, json_model, n);
	pmx_mark_implicit_names(ctx, json_model, n);
	n->enums = json_model->enums;
	n->nenums = json_model->nenums;
	n->enums_listed = json_model->enums_listed;
	*out = n;
	return PMX_OK;
}

/* Qualify every statement of the plan's steps and their hints; PMX_ERROR on OOM. */
static int
qualify_plan(PmxCtx *ctx, PmxPlan *plan, const char *db)
{
	for (int i = 0; i < plan->nsteps; i++)
	{
		PmxStrs    *lists[3] = {&plan->steps[i].sql, &plan->steps[i].down, &plan->steps[i].checks};

		for (int l = 0; l < 3; l++)
			for (int k = 0; k < lists[l]->n; k++)
				if (!(lists[l]->v[k] = pmx_mysql_qualify(ctx, lists[l]->v[k], db)))
					return PMX_ERROR;
		/* a hint's counting query is runnable as printed */
		if (plan->steps[i].hint &&
			!(plan->steps[i].hint = pmx_mysql_qualify(ctx, plan->steps[i].hint, db)))
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* See premix.h. */
int
pmx_diff_docs(PmxCtx *ctx, const char *current, const char *target,
			  const char *options, char **out_plan)
{
	DocDb		D;
	PmxDb		db;
	PmxOptions	opts;
	PmxJson    *root;
	PmxPlan    *plan;

	memset(&D, 0, sizeof(D));
	memset(&db, 0, sizeof(db));
	if (!current || !target)
		return pmx_error(ctx, PMX_E_INVALID, "premix_diff needs the current schema and the target"),
			pmx_error_hint(ctx, "Pass premix.premix_schema() output and a target: premix_diff(@current, @target).");
	if (pmx_options_parse(ctx, options, PMX_DIALECT_MYSQL, &opts) != PMX_OK ||
		!(root = pmx_json_parse(ctx, current, "current schema")) ||
		!(D.current = read_mysql_doc(ctx, root, "the current schema")))
		return PMX_ERROR;
	D.facts = opts.facts;
	D.database = opts.database;
	db.ud = &D;
	db.dialect = PMX_DIALECT_MYSQL;
	db.query = doc_query;
	db.exec = doc_exec;
	if (pmx_make_plan(ctx, &db, target, &opts, &plan) != PMX_OK)
		return PMX_ERROR;
	plan->facts_needed = D.missing;
	if (D.database && qualify_plan(ctx, plan, D.database) != PMX_OK)
		return PMX_ERROR;
	if (!opts.normalized &&
		pmx_strs_push(ctx, &plan->warnings, "the target was not normalized by a scratch database: defaults and checks are compared as written (CALL premix.premix_plan normalizes it)") != PMX_OK)
		return PMX_ERROR;
	if (D.missing.n &&
		pmx_strs_pushf(ctx, &plan->warnings, "the data checks have not run: %d counting %s in facts_needed must be answered (CALL premix.premix_plan answers them)",
					   D.missing.n, D.missing.n == 1 ? "query" : "queries") != PMX_OK)
		return PMX_ERROR;
	*out_plan = pmx_plan_to_json(ctx, plan);
	return *out_plan ? PMX_OK : PMX_ERROR;
}

/* See premix.h. */
int
pmx_preview_doc(PmxCtx *ctx, const char *plan_json, char **out_text)
{
	PmxPlan    *plan;

	if (!plan_json)
		return pmx_error(ctx, PMX_E_INVALID, "premix_preview needs a plan"),
			pmx_error_hint(ctx, "Pass a plan from premix_diff(current, target).");
	if (!(plan = pmx_plan_from_json(ctx, plan_json)))
		return PMX_ERROR;
	*out_text = pmx_plan_preview(ctx, plan);
	return *out_text ? PMX_OK : PMX_ERROR;
}
