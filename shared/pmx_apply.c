/*-------------------------------------------------------------------------
 *
 * pmx_apply.c
 *	  premix_apply and premix_migrate: run a plan in the caller's
 *	  transaction, all or nothing, and record it in the ledger.
 *
 * Procedure (SQLite):
 *	 1. refuse before touching anything: wrong dialect, a blocked step, a
 *		destructive step without allow_destructive, a rebuild of a table
 *		other tables reference while foreign keys are enforced inside the
 *		caller's transaction (SQLite cannot switch them off there, and its
 *		DROP TABLE would run ON DELETE actions into the children);
 *	 2. if foreign keys are on and the caller is not in a transaction,
 *		switch them off for the duration (restored on every path);
 *	 3. SAVEPOINT premix_apply;
 *	 4. re-introspect: the live fingerprint must be the plan's "from"
 *		(already at "to": nothing to do; anything else: stale);
 *	 5. per step: re-run its checks (each must count 0 rows), then its SQL;
 *	 6. foreign_key_check over the tables the plan touched and their
 *		children, when keys are enforced;
 *	 7. re-introspect the tables the plan changes: each must have the text
 *		the plan expects (the rest of the target was shown unchanged by
 *		step 4) -- a plan that does not produce its target is undone; a
 *		plan without its list of changes is checked whole against "to";
 *	 8. ledger row; RELEASE.
 * Any failure: ROLLBACK TO and RELEASE the savepoint, restore the pragmas,
 * report the first error.  The caller's transaction is as it was.
 *
 * PostgreSQL differs in the session only: the host's savepoint callback
 * opens an internal subtransaction (SPI cannot run SAVEPOINT); inside it
 * premix takes a transaction-level advisory lock, so concurrent appliers
 * serialize and the second finds the schema already at "to", and sets
 * lock_timeout locally (the plan's, restored at the end) so a step fails
 * fast instead of queueing behind a long transaction.  The ledger is
 * premix.migrations, created by the extension.
 *
 * IDENTIFICATION
 *	  shared/pmx_apply.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_effect.h"
#include "pmx_json.h"
#include "pmx_ledger.h"
#include "pmx_plan.h"
#include "pmx_session.h"
#include "pmx_sql.h"

/* Error class for a step whose apply-time check failed. */
static PmxErrCode
check_code(PmxOp op)
{
	switch (op)
	{
		case PMX_OP_SET_NOT_NULL:
		case PMX_OP_ADD_COLUMN:
		case PMX_OP_ADD_PRIMARY_KEY:
			return PMX_E_BLOCKED_NULLS;
		case PMX_OP_ADD_UNIQUE:
		case PMX_OP_CREATE_INDEX:
		case PMX_OP_ALTER_COLLATION:
			return PMX_E_BLOCKED_UNIQUE;
		case PMX_OP_ADD_FOREIGN_KEY:
			return PMX_E_BLOCKED_FK;
		default:
			return PMX_E_BLOCKED_CHECK;
	}
}

/* Step i as "step 3 (drop_column users.email)". */
static char *
step_label(PmxCtx *ctx, const PmxPlan *plan, int i)
{
	const PmxStep *st = &plan->steps[i];

	if (st->object && st->table && strcmp(st->object, st->table) != 0)
		return pmx_sprintf(ctx, "step %d (%s %s.%s)", i + 1, pmx_op_name(st->op), st->table, st->object);
	return pmx_sprintf(ctx, "step %d (%s %s)", i + 1, pmx_op_name(st->op),
					   st->table ? st->table : (st->object ? st->object : ""));
}

/* The PG-style primary message for refusing a destructive step. */
static char *
destructive_message(PmxCtx *ctx, const PmxStep *st)
{
	PmxOp		op = st->op;
	const char *obj = st->object ? st->object : "";

	for (int k = 0; op == PMX_OP_REBUILD_TABLE && k < st->nparts; k++)
		if (st->parts[k]->safety == PMX_DESTRUCTIVE)
		{
			op = st->parts[k]->op;
			obj = st->parts[k]->object;
		}
	switch (op)
	{
		case PMX_OP_DROP_TABLE:
			return pmx_sprintf(ctx, "cannot drop table \"%s\" without data loss", obj);
		case PMX_OP_DROP_COLUMN:
			return pmx_sprintf(ctx, "cannot drop column \"%s\" of table \"%s\" without data loss",
							   obj, st->table);
		case PMX_OP_ALTER_COLUMN_TYPE:
			return pmx_sprintf(ctx, "cannot change the type of column \"%s\" of table \"%s\" without risk of data loss",
							   obj, st->table);
		default:
			return pmx_sprintf(ctx, "cannot apply %s on \"%s\" without risk of data loss",
							   pmx_op_name(op), obj);
	}
}

/* Step 1: what is refused before anything runs. */
static int
refuse_early(PmxCtx *ctx, PmxDb *db, const PmxPlan *plan, bool allow, bool fk_on)
{
	if (plan->dialect != db->dialect)
		return pmx_error(ctx, PMX_E_INVALID, "the plan was made for another database dialect"),
			pmx_error_hint(ctx, "Make the plan with premix_diff on this database.");
	for (int i = 0; i < plan->nsteps; i++)
	{
		const PmxStep *st = &plan->steps[i];

		if (st->safety != PMX_BLOCKED)
			continue;
		pmx_error(ctx, st->block_code, "%s is blocked: %s", step_label(ctx, plan, i), st->reason);
		pmx_error_detail(ctx, "A blocked step cannot succeed on the data as it is; nothing was changed.");
		if (st->hint)
			pmx_error_hint(ctx, "%s", st->hint);
		return PMX_ERROR;
	}
	for (int i = 0; i < plan->nsteps && !allow; i++)
	{
		const PmxStep *st = &plan->steps[i];

		if (st->safety != PMX_DESTRUCTIVE)
			continue;
		pmx_error(ctx, PMX_E_DESTRUCTIVE, "%s", destructive_message(ctx, st));
		pmx_error_detail(ctx, "%s: %s.", step_label(ctx, plan, i), st->reason);
		pmx_error_hint(ctx, "%s", st->hint ? st->hint : "Pass allow_destructive => true to include this step.");
		return PMX_ERROR;
	}
	if (fk_on && db->in_transaction && plan->fk_parents.n)
	{
		pmx_error(ctx, PMX_E_MISUSE,
				  "cannot rebuild table \"%s\" inside a transaction while foreign_keys is on",
				  plan->fk_parents.v[0]);
		pmx_error_detail(ctx, "Other tables reference \"%s\": SQLite's DROP TABLE would run their ON DELETE actions, and PRAGMA foreign_keys cannot change inside a transaction.",
						 plan->fk_parents.v[0]);
		return pmx_error_hint(ctx, "Run premix outside BEGIN ... COMMIT (premix then switches foreign_keys off for the rebuild and checks every key before it finishes), or run PRAGMA foreign_keys = OFF before BEGIN.");
	}
	return PMX_OK;
}

/*
 * The fingerprint of the live schema restricted to the plan's target
 * tables in *fp, and the whole live schema in *live_out (the foreign key
 * check needs the children too; the ledger records it).
 */
static int
live_target_fingerprint(PmxCtx *ctx, PmxDb *db, const PmxPlan *plan, PmxSchema **live_out,
						char **fp)
{
	PmxSchema  *live,
			   *sub;

	if (pmx_introspect(ctx, db, &live) != PMX_OK ||
		!(sub = pmx_schema_pick(ctx, live, plan->tables.v, plan->tables.n)))
		return PMX_ERROR;
	if (live_out)
		*live_out = live;
	*fp = pmx_fingerprint_model(ctx, sub);
	return *fp ? PMX_OK : PMX_ERROR;
}

/*
 * Step 7 for a plan that lists the tables it changes: re-read only those
 * (pmx_introspect_tables); each must have the canonical text the plan
 * expects, or be gone.  The other target tables had the target's text
 * when the "from" check passed and no step names them, so the whole
 * target holds without reading them.  The re-read tables in *after (the
 * ledger records them).  PMX_E_INTERNAL when one differs.
 */
static int
check_changed(PmxCtx *ctx, PmxDb *db, const PmxPlan *plan, PmxSchema **after)
{
	PmxJsonWriter w;
	PmxColumn  *cols = NULL;
	int			capcols = 0;

	if (pmx_introspect_tables(ctx, db, plan->changed.v, plan->changed.n, after) != PMX_OK)
		return PMX_ERROR;
	pmx_jw_init(&w, ctx);
	for (int i = 0; i < plan->changed.n; i++)
	{
		PmxTable   *t = pmx_schema_find(ctx, *after, plan->changed.v[i]);
		const char *want = plan->changed_fp.v[i];
		char		got[65] = "";

		if (t)
		{
			if (pmx_table_fp_write(ctx, &w, t, &cols, &capcols) != PMX_OK)
				return PMX_ERROR;
			pmx_sha256_hex(w.buf.data, w.buf.len, got);
		}
		else if (pmx_error_is_set(ctx))
			return PMX_ERROR;
		if (strcmp(got, want) == 0)
			continue;
		pmx_error(ctx, PMX_E_INTERNAL, "the schema after applying the plan does not match its target");
		if (!*want)
			pmx_error_detail(ctx, "Table \"%s\" should be gone and is still there; the plan was rolled back.",
							 plan->changed.v[i]);
		else if (!t)
			pmx_error_detail(ctx, "Table \"%s\" should exist and does not; the plan was rolled back.",
							 plan->changed.v[i]);
		else
			pmx_error_detail(ctx, "Table \"%s\": expected fingerprint %.12s, found %.12s; the plan was rolled back.",
							 plan->changed.v[i], want, got);
		return pmx_error_hint(ctx, "This is a premix bug: please report it with the plan (premix_diff output).");
	}
	return PMX_OK;
}

/*
 * The error of a step whose statement sql failed: the host's class and
 * advice kept, the step named.  Returns PMX_ERROR.
 */
static int
step_failed(PmxCtx *ctx, const PmxPlan *plan, int step, const char *sql)
{
	PmxError	e = ctx->err;

	pmx_error_clear(ctx);
	pmx_error(ctx, e.code, "%s failed: %s", step_label(ctx, plan, step), e.message);
	if (e.code == PMX_E_SQL || !e.detail)
		pmx_error_detail(ctx, "While running: %s", sql);
	else
		pmx_error_detail(ctx, "%s", e.detail);
	return pmx_error_hint(ctx, "%s", e.hint ? e.hint : "Nothing was changed: the whole plan was rolled back.");
}

/* Step 5, one step's checks: each must count no row. */
static int
run_checks(PmxCtx *ctx, PmxDb *db, const PmxPlan *plan, int i)
{
	const PmxStep *st = &plan->steps[i];

	for (int k = 0; k < st->checks.n; k++)
	{
		long long	n;

		if (pmx_query_int(ctx, db, st->checks.v[k], &n) != PMX_OK)
			return PMX_ERROR;
		if (n != 0)
		{
			PmxOp		op = st->op;

			/* a rebuild's check belongs to one of its parts */
			for (int p = 0; p < st->nparts; p++)
				if (st->parts[p]->check_sql && strcmp(st->parts[p]->check_sql, st->checks.v[k]) == 0)
					op = st->parts[p]->op;
			pmx_error(ctx, check_code(op), "%s: the data changed since the plan was made: %lld %s now %s it",
					  step_label(ctx, plan, i), n, n == 1 ? "row" : "rows",
					  n == 1 ? "violates" : "violate");
			pmx_error_detail(ctx, "Check: %s", st->checks.v[k]);
			return pmx_error_hint(ctx, "Fix those rows, or make the plan again with premix_diff to see the way out.");
		}
	}
	return PMX_OK;
}

/*
 * Step 5: checks then SQL of every step.  Where the host runs statements
 * as one unit (exec_batch: PostgreSQL, one subtransaction instead of one
 * per statement), the SQL of the steps between two checks goes together.
 */
static int
run_steps(PmxCtx *ctx, PmxDb *db, const PmxPlan *plan)
{
	char	  **batch = NULL;
	int		   *owner = NULL;
	int			nbatch = 0,
				total = 0;

	for (int i = 0; i < plan->nsteps; i++)
		total += plan->steps[i].sql.n;
	if (db->exec_batch && total > 0 &&
		(!(batch = pmx_alloc(ctx, sizeof(char *) * (size_t) total)) ||
		 !(owner = pmx_alloc(ctx, sizeof(int) * (size_t) total))))
		return PMX_ERROR;
	for (int i = 0; i <= plan->nsteps; i++)
	{
		const PmxStep *st = i < plan->nsteps ? &plan->steps[i] : NULL;

		/* the batch so far runs before a step's checks, and at the end */
		if (batch && nbatch > 0 && (!st || st->checks.n > 0))
		{
			int			failed_at = 0;

			if (db->exec_batch(db->ud, ctx, batch, nbatch, &failed_at) != PMX_OK)
				return step_failed(ctx, plan, owner[failed_at], batch[failed_at]);
			nbatch = 0;
		}
		if (!st)
			break;
		if (run_checks(ctx, db, plan, i) != PMX_OK)
			return PMX_ERROR;
		for (int k = 0; k < st->sql.n; k++)
		{
			if (batch)
			{
				batch[nbatch] = st->sql.v[k];
				owner[nbatch++] = i;
			}
			else if (db->exec(db->ud, ctx, st->sql.v[k]) != PMX_OK)
				return step_failed(ctx, plan, i, st->sql.v[k]);
		}
	}
	return PMX_OK;
}

/* Step 6: no key of a touched table (or its children) may dangle. */
static int
check_foreign_keys(PmxCtx *ctx, PmxDb *db, const PmxPlan *plan, PmxSchema *live)
{
	PmxMap		touched;

	if (pmx_map_init(&touched, ctx, (size_t) plan->nsteps, true) != PMX_OK)
		return PMX_ERROR;
	for (int s = 0; s < plan->nsteps; s++)
		if (plan->steps[s].table &&
			pmx_map_put(&touched, plan->steps[s].table, (void *) plan) != PMX_OK)
			return PMX_ERROR;
	for (int i = 0; i < live->ntables; i++)
	{
		PmxTable   *t = live->tables[i];
		bool		hit = pmx_map_get(&touched, t->name) != NULL;
		long long	n;
		char	   *sql;

		for (int f = 0; f < t->nfks && !hit; f++)
			hit = pmx_map_get(&touched, t->fks[f].ref_table) != NULL;
		if (!hit || t->nfks == 0)
			continue;
		if (!(sql = pmx_sprintf(ctx, "SELECT count(*) FROM pragma_foreign_key_check(%s, 'main')",
								pmx_quote_literal(ctx, t->name))) ||
			pmx_query_int(ctx, db, sql, &n) != PMX_OK)
			return PMX_ERROR;
		if (n > 0)
		{
			pmx_error(ctx, PMX_E_BLOCKED_FK, "the migration would leave %lld %s of table \"%s\" pointing at missing rows",
					  n, n == 1 ? "row" : "rows", t->name);
			pmx_error_detail(ctx, "PRAGMA foreign_key_check(%s) reports them; nothing was changed.", t->name);
			return pmx_error_hint(ctx, "Fix the referencing rows or the referenced keys, then migrate again.");
		}
	}
	return PMX_OK;
}

/* Join a plan's up (or down, reversed) SQL into one script. */
static char *
plan_script(PmxCtx *ctx, const PmxPlan *plan, bool down)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	for (int i = 0; i < plan->nsteps; i++)
	{
		const PmxStep *st = &plan->steps[down ? plan->nsteps - 1 - i : i];
		const PmxStrs *s = down ? &st->down : &st->sql;

		for (int k = 0; k < s->n; k++)
			pmx_buf_appendf(&b, "%s;\n", s->v[k]);
	}
	return pmx_buf_finish(&b);
}

/* The plan's steps as an effect array (pmx_effect_item). */
static char *
plan_effect(PmxCtx *ctx, const PmxPlan *plan)
{
	PmxJsonWriter w;

	pmx_jw_init(&w, ctx);
	pmx_jw_begin_array(&w);
	for (int i = 0; i < plan->nsteps; i++)
		pmx_effect_item(&w, plan->steps[i].op, plan->steps[i].table, plan->steps[i].object,
						plan->steps[i].safety, plan->steps[i].reason, plan->steps[i].reversible);
	pmx_jw_end_array(&w);
	return pmx_jw_finish(&w);
}

/*
 * The ledger's record of the schema after a plan that lists its changes:
 * {"base": <model fingerprint before>, "gone": [tables taken away],
 * "schema": <the changed tables after, as target JSON>} -- what the plan
 * made of the schema recorded at "base" (pmx_history.c puts them
 * together).  NULL on OOM.
 */
static char *
patch_json(PmxCtx *ctx, const PmxPlan *plan, PmxSchema *changed)
{
	PmxJsonWriter w;
	char	   *tables = pmx_schema_to_json(ctx, changed);

	if (!tables)
		return NULL;
	pmx_jw_init(&w, ctx);
	pmx_jw_begin_object(&w);
	pmx_jw_key(&w, "base");
	pmx_jw_string(&w, plan->from_schema);
	pmx_jw_key(&w, "gone");
	pmx_jw_begin_array(&w);
	for (int i = 0; i < plan->changed.n; i++)
		if (!*plan->changed_fp.v[i])
			pmx_jw_string(&w, plan->changed.v[i]);
	pmx_jw_end_array(&w);
	pmx_jw_key(&w, "schema");
	pmx_jw_raw(&w, tables);
	pmx_jw_end_object(&w);
	return pmx_jw_finish(&w);
}

/*
 * Step 8: the ledger row (kind "plan", a timestamp version); its id in
 * *id.  whole: the whole live schema after the steps; else changed: the
 * tables the plan changed, re-read (check_changed), recorded as a patch.
 */
static int
record(PmxCtx *ctx, PmxDb *db, const PmxPlan *plan, const char *name,
	   PmxSchema *whole, PmxSchema *changed, char **version, long long *id)
{
	PmxLedgerRow row;
	char		sum[65];

	memset(&row, 0, sizeof(row));
	*version = pmx_timestamp_version(ctx);
	row.version = *version;
	row.name = name;
	row.kind = "plan";
	row.up_sql = plan_script(ctx, plan, false);
	row.down_sql = plan_script(ctx, plan, true);
	row.from_fp = plan->from_schema;
	if (whole)
	{
		row.to_fp = pmx_fingerprint_model(ctx, whole);
		row.to_schema = pmx_schema_to_json(ctx, whole);
	}
	else
	{
		row.to_fp = plan->to_schema ? plan->to_schema : plan->to_fp;
		row.to_schema = patch_json(ctx, plan, changed);
	}
	row.effect = plan_effect(ctx, plan);
	row.steps = plan->nsteps;
	if (!*version || !row.up_sql || !row.down_sql || !row.to_fp || !row.to_schema || !row.effect)
		return PMX_ERROR;
	pmx_sha256_hex(row.up_sql, strlen(row.up_sql), sum);
	row.checksum = sum;
	return pmx_ledger_insert(ctx, db, &row, id);
}

/* Result JSON of an apply. */
static char *
result_json(PmxCtx *ctx, const PmxPlan *plan, int applied, long long id,
			const char *version, const char *message)
{
	PmxJsonWriter w;

	pmx_jw_init(&w, ctx);
	pmx_jw_begin_object(&w);
	pmx_jw_key(&w, "applied");
	pmx_jw_int(&w, applied);
	pmx_jw_key(&w, "ledger_id");
	if (id > 0)
		pmx_jw_int(&w, id);
	else
		pmx_jw_null(&w);
	if (version)
	{
		pmx_jw_key(&w, "version");
		pmx_jw_string(&w, version);
	}
	pmx_jw_key(&w, "from");
	pmx_jw_string(&w, plan->from_fp);
	pmx_jw_key(&w, "to");
	pmx_jw_string(&w, plan->to_fp);
	if (message)
	{
		pmx_jw_key(&w, "message");
		pmx_jw_string(&w, message);
	}
	pmx_jw_key(&w, "warnings");
	pmx_jw_begin_array(&w);
	for (int i = 0; i < plan->warnings.n; i++)
		pmx_jw_string(&w, plan->warnings.v[i]);
	pmx_jw_end_array(&w);
	pmx_jw_end_object(&w);
	return pmx_jw_finish(&w);
}

/*
 * Steps 4-8 inside an open session.  fresh=true when the plan was made in
 * this same savepoint (premix_migrate): the "from" check is then implied.
 */
static int
apply_in_session(PmxCtx *ctx, PmxDb *db, PmxSession *s, const PmxPlan *plan,
				 bool fresh, const char *name, char **out)
{
	PmxSchema  *live;
	char	   *fp;
	char	   *version = NULL;
	long long	id = 0;

	if (!fresh && plan->from_catalog && db->dialect == PMX_DIALECT_POSTGRES)
	{
		/* the catalog as the plan saw it: the full comparison is not needed */
		char	   *token;

		if (pmx_pg_catalog_token(ctx, db, &token) != PMX_OK)
			return PMX_ERROR;
		fresh = strcmp(token, plan->from_catalog) == 0;
	}
	if (!fresh)
	{
		PmxSchema  *now;
		char	   *from_now;

		if (pmx_introspect(ctx, db, &now) != PMX_OK ||
			!(from_now = pmx_fingerprint_live(ctx, now)))
			return PMX_ERROR;
		if (strcmp(from_now, plan->from_fp) != 0)
		{
			if (live_target_fingerprint(ctx, db, plan, NULL, &fp) != PMX_OK)
				return PMX_ERROR;
			if (strcmp(fp, plan->to_fp) == 0)
			{
				*out = result_json(ctx, plan, 0, 0, NULL, "the schema already matches this plan's target; nothing to do");
				return *out ? PMX_OK : PMX_ERROR;
			}
			pmx_error(ctx, PMX_E_STALE, "the schema has changed since the plan was made");
			pmx_error_detail(ctx, "The plan's \"from\" fingerprint is not the schema the database holds now; something changed it after premix_diff.");
			return pmx_error_hint(ctx, "Make the plan again with premix_diff, or use premix_migrate.");
		}
	}
	if (plan->nsteps == 0)
	{
		*out = result_json(ctx, plan, 0, 0, NULL, "the schema already matches the target; nothing to do");
		return *out ? PMX_OK : PMX_ERROR;
	}
	if (run_steps(ctx, db, plan) != PMX_OK)
		return PMX_ERROR;
	if (plan->has_changed)
	{
		PmxSchema  *changed;

		if (check_changed(ctx, db, plan, &changed) != PMX_OK ||
			(s->fk_on && (pmx_introspect(ctx, db, &live) != PMX_OK ||
						  check_foreign_keys(ctx, db, plan, live) != PMX_OK)) ||
			record(ctx, db, plan, name, NULL, changed, &version, &id) != PMX_OK)
			return PMX_ERROR;
	}
	else
	{
		/* a plan that does not say what it changes: check it all */
		if (live_target_fingerprint(ctx, db, plan, &live, &fp) != PMX_OK ||
			(s->fk_on && check_foreign_keys(ctx, db, plan, live) != PMX_OK))
			return PMX_ERROR;
		if (strcmp(fp, plan->to_fp) != 0)
		{
			pmx_error(ctx, PMX_E_INTERNAL, "the schema after applying the plan does not match its target");
			pmx_error_detail(ctx, "Expected fingerprint %.12s, found %.12s; the plan was rolled back.",
							 plan->to_fp, fp);
			return pmx_error_hint(ctx, "This is a premix bug: please report it with the plan (premix_diff output).");
		}
		if (record(ctx, db, plan, name, live, NULL, &version, &id) != PMX_OK)
			return PMX_ERROR;
	}
	*out = result_json(ctx, plan, plan->nsteps, id, version, NULL);
	return *out ? PMX_OK : PMX_ERROR;
}

/* premix_apply(plan, allow_destructive); see the file header. */
int
pmx_apply(PmxCtx *ctx, PmxDb *live, const char *plan_json,
		  int allow_destructive, const char *label, char **out_result)
{
	PmxPlan    *plan = pmx_plan_from_json(ctx, plan_json);
	PmxSession	s;
	int			rc;

	if (!plan || pmx_session_begin(ctx, live, &s) != PMX_OK ||
		refuse_early(ctx, live, plan, allow_destructive != 0, s.fk_on) != PMX_OK)
		return PMX_ERROR;
	rc = pmx_session_open(ctx, &s, plan->lock_timeout);
	if (rc == PMX_OK)
		rc = apply_in_session(ctx, live, &s, plan, false, label, out_result);
	return pmx_session_close(ctx, &s, rc == PMX_OK, rc == PMX_OK ? *out_result : NULL) == PMX_OK ? rc : PMX_ERROR;
}

/* premix_migrate(target, allow_destructive, options): diff + apply at once. */
int
pmx_migrate(PmxCtx *ctx, PmxDb *live, const char *target,
			int allow_destructive, const char *options, char **out_result)
{
	PmxOptions	opts;
	PmxPlan    *plan = NULL;
	PmxSession	s;
	int			rc;

	if (pmx_options_parse(ctx, options, live->dialect, &opts) != PMX_OK ||
		pmx_session_begin(ctx, live, &s) != PMX_OK)
		return PMX_ERROR;
	opts.no_token = true;
	rc = pmx_session_open(ctx, &s, opts.lock_timeout);
	if (rc == PMX_OK)
		rc = pmx_make_plan(ctx, live, target, &opts, &plan);
	if (rc == PMX_OK)
		rc = refuse_early(ctx, live, plan, allow_destructive != 0, s.fk_on);
	if (rc == PMX_OK)
		rc = apply_in_session(ctx, live, &s, plan, true, "premix_migrate", out_result);
	return pmx_session_close(ctx, &s, rc == PMX_OK, rc == PMX_OK ? *out_result : NULL) == PMX_OK ? rc : PMX_ERROR;
}
