/*-------------------------------------------------------------------------
 *
 * pmx_run.c
 *	  premix_run(version, name, up_sql [, down_sql [, allow_destructive
 *	  [, options]]]): apply a hand-written migration exactly once, judged
 *	  by what it does.
 *
 * Procedure, inside the apply session (pmx_session.h):
 *	 1. the ledger decides first: the same version applied with the same
 *		checksum is a no-op (or, with an after-commit part still pending,
 *		its completion); with another checksum it is an error naming both;
 *		a version older than the newest applied one is refused unless
 *		option out_of_order;
 *	 2. the probe: in a nested savepoint, run the script while following
 *		the identity of tables and columns (pmx_effect.h), read the schema
 *		after, diff before/after: the effect;
 *	 3. classify the effect with the rules of planned migrations.  Changes
 *		whose class needs no rows (new tables, renames, defaults, ...) are
 *		classified there and the probe is kept -- the script ran once.
 *		Otherwise the probe is rolled back, the rows are looked at as they
 *		were (pmx_datacheck), and -- unless a destructive change is
 *		refused -- the script runs a second time, for real.  A change the
 *		checks call blocked but that the database accepted (the script
 *		fixed the rows itself) is reported as a warning, or as
 *		destructive when values were converted;
 *	 4. a script that fails on the data (SQLSTATE class 23) is run once
 *		more over emptied tables in a savepoint that is rolled back, which
 *		reveals what it meant to do; the rows are then checked like a plan
 *		and the failure is reported as blocked with the count;
 *	 5. the ledger row: checksum, fingerprints before and after, effect,
 *		up and down SQL, after-commit statements.
 *
 * IDENTIFICATION
 *	  shared/pmx_run.c
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

#define AFTER_COMMIT_MARK "-- premix:after-commit"
#define MAX_VERSION_DIGITS 32

typedef struct RunArgs
{
	const char *version;
	const char *name;
	const char *up;				/* the whole text, as checksummed */
	char	   *tx_part;		/* what runs in the transaction */
	char	  **after;			/* statements run after commit (PostgreSQL) */
	int			nafter;
	const char *down;
	bool		allow;
	PmxOptions	opts;
	char		checksum[65];
} RunArgs;

typedef struct RunResult
{
	bool		applied;
	bool		completed;
	long long	id;
	const char *message;
	const char *effect;			/* JSON array */
	PmxStrs		warnings;
	PmxStrs		pending;		/* after-commit statements still to run */
} RunResult;

/* "migration 20260101120000 (add_users)" */
static char *
label(PmxCtx *ctx, const RunArgs *a)
{
	return pmx_sprintf(ctx, "migration %s (%s)", a->version, a->name);
}

/* Versions compare as numbers: fewer significant digits is older. */
static int
version_cmp(const char *a, const char *b)
{
	size_t		la,
				lb;

	while (*a == '0' && a[1])
		a++;
	while (*b == '0' && b[1])
		b++;
	la = strlen(a);
	lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

/* True when sql holds a statement: a token other than ';' (blanks and comments are skipped). */
static bool
holds_a_statement(const char *sql)
{
	for (PmxTok t = pmx_sql_next(sql, true); t.type != PMX_TK_EOF; t = pmx_sql_next(t.p + t.len, true))
		if (!(t.type == PMX_TK_PUNCT && t.len == 1 && t.p[0] == ';'))
			return true;
	return false;
}

/*
 * Check the arguments and split the script at its after-commit mark (a
 * line of its own).  PMX_E_INVALID naming the argument.
 */
static int
read_args(PmxCtx *ctx, PmxDialect d, RunArgs *a)
{
	const char *mark;
	size_t		n = a->version ? strlen(a->version) : 0;

	if (n == 0 || n > MAX_VERSION_DIGITS || strspn(a->version, "0123456789") != n)
		return pmx_error(ctx, PMX_E_INVALID, "migration version \"%s\" is not a number",
						 a->version ? a->version : ""),
			pmx_error_hint(ctx, "Versions are digits, e.g. a UTC timestamp YYYYMMDDHHMMSS (20261201093000), and must increase.");
	if (!a->name || !*a->name)
		return pmx_error(ctx, PMX_E_INVALID, "migration %s has no name", a->version),
			pmx_error_hint(ctx, "Pass a name, e.g. the part of the file name after the version: premix_run('%s', 'add_users', ...).",
						   a->version);
	if (!a->up || !holds_a_statement(a->up))
		return pmx_error(ctx, PMX_E_INVALID, "migration %s (%s) has no up SQL", a->version, a->name),
			pmx_error_hint(ctx, "The up SQL holds no statement (only blanks or comments); pass the migration's statements.");
	pmx_sha256_hex(a->up, strlen(a->up), a->checksum);
	a->tx_part = (char *) a->up;
	for (mark = strstr(a->up, AFTER_COMMIT_MARK); mark; mark = strstr(mark + 1, AFTER_COMMIT_MARK))
		if (mark == a->up || mark[-1] == '\n')
			break;
	if (!mark)
		return PMX_OK;
	if (d != PMX_DIALECT_POSTGRES)
		return pmx_error(ctx, PMX_E_UNSUPPORTED, "migration %s (%s) has an after-commit part, which only PostgreSQL has",
						 a->version, a->name),
			pmx_error_hint(ctx, "Remove the line \"" AFTER_COMMIT_MARK "\": on SQLite every statement runs in the transaction.");
	if (!(a->tx_part = pmx_strndup(ctx, a->up, (size_t) (mark - a->up))) ||
		(a->nafter = pmx_sql_split(ctx, mark + strlen(AFTER_COMMIT_MARK), &a->after)) < 0)
		return PMX_ERROR;
	return PMX_OK;
}

/* The version of the newest applied (not rolled back) run, or NULL. */
static const char *
newest_run(const PmxLedgerRow *rows, int n)
{
	const char *v = NULL;

	for (int i = 0; i < n; i++)
		if (strcmp(rows[i].kind, "run") == 0 && !rows[i].rolled_back_at &&
			(!v || version_cmp(rows[i].version, v) > 0))
			v = rows[i].version;
	return v;
}

/* The index name a "CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name" statement creates. */
static char *
concurrent_index_name(PmxCtx *ctx, const char *sql)
{
	const char *p = sql;
	PmxTok		t;

	static const char *const words[] = {"create", "unique", "index", "concurrently", "if", "not", "exists"};

	for (t = pmx_sql_next(p, true);; t = pmx_sql_next(p, true))
	{
		bool		skip = false;

		for (size_t w = 0; w < sizeof(words) / sizeof(words[0]) && !skip; w++)
			skip = pmx_tok_is(&t, words[w]);
		if (!skip)
			break;
		p = t.p + t.len;
	}
	if (t.type != PMX_TK_WORD && t.type != PMX_TK_QIDENT)
		return NULL;
	return pmx_tok_ident(ctx, &t);
}

/*
 * A migration whose after-commit part ran: every index it builds must
 * exist and be valid (an interrupted CREATE INDEX CONCURRENTLY leaves an
 * invalid one behind); then its "to" is recorded.
 */
static int
complete(PmxCtx *ctx, PmxDb *db, const RunArgs *a, const PmxLedgerRow *row, RunResult *res)
{
	PmxSchema  *now;
	char	   *fp,
			   *json;

	res->id = row->id;
	for (int i = 0; i < a->nafter; i++)
	{
		char	   *ix = concurrent_index_name(ctx, a->after[i]);
		char	   *sql;
		long long	state;

		if (!ix)
			continue;
		/* 0 missing, 1 valid, 2 invalid */
		sql = pmx_sprintf(ctx, "SELECT coalesce(max(CASE WHEN x.indisvalid THEN 1 ELSE 2 END), 0) "
						  "FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class c ON c.oid = x.indexrelid "
						  "WHERE c.relname = %s AND c.relnamespace = "
						  "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = pg_catalog.current_schema())",
						  pmx_quote_literal(ctx, ix));
		if (!sql || pmx_query_int(ctx, db, sql, &state) != PMX_OK)
			return PMX_ERROR;
		if (state == 2)
		{
			pmx_error(ctx, PMX_E_HISTORY, "index \"%s\" of %s is invalid", ix, label(ctx, a));
			pmx_error_detail(ctx, "An interrupted or failed CREATE INDEX CONCURRENTLY leaves an invalid index behind; it is not used and must be built again.");
			return pmx_error_hint(ctx, "Run DROP INDEX CONCURRENTLY \"%s\", then premix_run again with the same arguments (it hands back the statements still to run).",
								  ix);
		}
		if (state == 0 && pmx_strs_push(ctx, &res->pending, a->after[i]) != PMX_OK)
			return PMX_ERROR;
	}
	if (res->pending.n > 0)
	{
		res->message = pmx_sprintf(ctx, "%d after-commit statement%s of %s still to run outside a transaction; run %s, then call premix_run again",
								   res->pending.n, res->pending.n == 1 ? "" : "s", label(ctx, a),
								   res->pending.n == 1 ? "it" : "them");
		return res->message ? PMX_OK : PMX_ERROR;
	}
	if (pmx_introspect(ctx, db, &now) != PMX_OK || !(fp = pmx_fingerprint_model(ctx, now)) ||
		!(json = pmx_schema_to_json(ctx, now)) ||
		pmx_ledger_complete(ctx, db, row->id, fp, json) != PMX_OK)
		return PMX_ERROR;
	res->completed = true;
	res->message = pmx_sprintf(ctx, "the after-commit part of %s is recorded", label(ctx, a));
	return PMX_OK;
}

/*
 * Step 1.  *done = true when the ledger settles it (no-op or completion).
 */
static int
consult_ledger(PmxCtx *ctx, PmxDb *db, const RunArgs *a, RunResult *res, bool *done)
{
	PmxLedgerRow *rows;
	int			n;
	const char *newest;

	*done = false;
	if (pmx_ledger_read(ctx, db, false, &rows, &n) != PMX_OK)
		return PMX_ERROR;
	for (int i = n - 1; i >= 0; i--)
	{
		const PmxLedgerRow *r = &rows[i];

		if (strcmp(r->kind, "run") != 0 || r->rolled_back_at || version_cmp(r->version, a->version) != 0)
			continue;
		if (strcmp(r->checksum, a->checksum) != 0)
		{
			pmx_error(ctx, PMX_E_HISTORY, "%s was edited after it was applied", label(ctx, a));
			pmx_error_detail(ctx, "The ledger recorded checksum %s when it was applied at %s (as \"%s\"); this up SQL has checksum %s.",
							 r->checksum, r->applied_at, r->name, a->checksum);
			return pmx_error_hint(ctx, "Put the change in a new migration with a later version: an applied migration must not change. To apply the edited text instead, roll it back first with premix_rollback('%s').",
								  a->version);
		}
		*done = true;
		if (r->after_commit && !r->to_fp)
			return complete(ctx, db, a, r, res);
		res->id = r->id;
		res->message = pmx_sprintf(ctx, "%s was already applied at %s; nothing to do", label(ctx, a), r->applied_at);
		return res->message ? PMX_OK : PMX_ERROR;
	}
	newest = newest_run(rows, n);
	if (newest && version_cmp(a->version, newest) < 0 && !a->opts.out_of_order)
	{
		pmx_error(ctx, PMX_E_HISTORY, "%s is older than the newest applied migration %s", label(ctx, a), newest);
		pmx_error_detail(ctx, "Migrations run in version order; a migration older than one already applied would run against a schema it was not written for.");
		return pmx_error_hint(ctx, "Give it a version later than %s, or pass the option {\"out_of_order\": true} to run it anyway.",
							  newest);
	}
	return PMX_OK;
}

/* Ops whose class comes from the changes alone, without reading rows. */
static bool
needs_rows(const PmxChange *ch)
{
	switch (ch->op)
	{
		case PMX_OP_CREATE_TABLE:
		case PMX_OP_RENAME_TABLE:
		case PMX_OP_RENAME_COLUMN:
		case PMX_OP_RENAME_INDEX:
		case PMX_OP_DROP_NOT_NULL:
		case PMX_OP_SET_DEFAULT:
		case PMX_OP_DROP_DEFAULT:
		case PMX_OP_ALTER_IDENTITY:
		case PMX_OP_DROP_PRIMARY_KEY:
		case PMX_OP_DROP_UNIQUE:
		case PMX_OP_DROP_FOREIGN_KEY:
		case PMX_OP_DROP_CHECK:
		case PMX_OP_SET_COMMENT:
		case PMX_OP_DROP_INDEX:
		case PMX_OP_CREATE_ENUM:
		case PMX_OP_ALTER_ENUM:
			return false;
		case PMX_OP_ADD_COLUMN:
			return !ch->tc->nullable && !ch->tc->default_expr && ch->tc->identity == PMX_IDENTITY_NONE;
		default:
			return true;
	}
}

/* Constraint-like ops: the database itself checks the rows when they run. */
static bool
checked_by_database(PmxOp op)
{
	switch (op)
	{
		case PMX_OP_SET_NOT_NULL:
		case PMX_OP_ADD_COLUMN:
		case PMX_OP_ADD_PRIMARY_KEY:
		case PMX_OP_ADD_UNIQUE:
		case PMX_OP_ADD_FOREIGN_KEY:
		case PMX_OP_ADD_CHECK:
		case PMX_OP_CREATE_INDEX:
		case PMX_OP_ALTER_COLLATION:
			return true;
		default:
			return false;
	}
}

/*
 * The script succeeded, so nothing it did is blocked: the rows the checks
 * found were changed by the script itself.
 */
static int
settle_blocked(PmxCtx *ctx, PmxDiff *d)
{
	for (int i = 0; i < d->nchanges; i++)
	{
		PmxChange  *ch = d->changes[i];

		if (ch->safety != PMX_BLOCKED)
			continue;
		if (checked_by_database(ch->op))
		{
			ch->safety = PMX_WARN;
			ch->reason = pmx_sprintf(ctx, "the database checked the rows and accepted it; before the script: %s",
									 ch->reason);
		}
		else
		{
			ch->safety = PMX_DESTRUCTIVE;
			ch->reason = pmx_sprintf(ctx, "the script converted or removed values the change could not keep; before the script: %s",
									 ch->reason);
		}
		if (!ch->reason)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* Refuse the first destructive change unless allowed. */
static int
refuse_destructive(PmxCtx *ctx, const RunArgs *a, const PmxDiff *d)
{
	for (int i = 0; i < d->nchanges && !a->allow; i++)
	{
		const PmxChange *ch = d->changes[i];
		const PmxTable *t = ch->tt ? ch->tt : ch->lt;

		if (ch->safety != PMX_DESTRUCTIVE)
			continue;
		pmx_error(ctx, PMX_E_DESTRUCTIVE, "%s would lose data: %s %s.%s",
				  label(ctx, a), pmx_op_name(ch->op), t ? t->name : "", ch->object ? ch->object : "");
		pmx_error_detail(ctx, "What the script does: %s.  Nothing was changed.", ch->reason);
		return pmx_error_hint(ctx, "Pass allow_destructive => true to premix_run if the loss is intended (the down SQL then has to bring the data back), or change the migration.");
	}
	return PMX_OK;
}

/* Run the script (tracked when effect is given). */
static int
run_script(PmxCtx *ctx, PmxDb *db, const char *sql, PmxEffect *effect)
{
	if (!db->exec_script)
		return db->exec(db->ud, ctx, sql);
	if (db->dialect == PMX_DIALECT_SQLITE && effect)
		return db->exec_script(db->ud, ctx, sql, pmx_effect_statement, effect);
	return db->exec_script(db->ud, ctx, sql, NULL, NULL);
}

/* Empty every table of s (inside a savepoint that is rolled back). */
static int
empty_tables(PmxCtx *ctx, PmxDb *db, const PmxSchema *s)
{
	PmxBuf		b;
	char	   *sql;

	if (s->ntables == 0)
		return PMX_OK;
	pmx_buf_init(&b, ctx);
	if (db->dialect == PMX_DIALECT_POSTGRES)
	{
		pmx_buf_append(&b, "TRUNCATE TABLE ");
		for (int i = 0; i < s->ntables; i++)
		{
			if (i)
				pmx_buf_append(&b, ", ");
			pmx_buf_ident(&b, s->tables[i]->name);
		}
		pmx_buf_append(&b, " CASCADE");
		return (sql = pmx_buf_finish(&b)) ? db->exec(db->ud, ctx, sql) : PMX_ERROR;
	}
	if (db->exec(db->ud, ctx, "PRAGMA defer_foreign_keys = ON") != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < s->ntables; i++)
	{
		pmx_buf_reset(&b);
		pmx_buf_append(&b, "DELETE FROM main.");
		pmx_buf_ident(&b, s->tables[i]->name);
		if (!(sql = pmx_buf_finish(&b)) || db->exec(db->ud, ctx, sql) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* The PMX_E_BLOCKED_* class of a constraint or data SQLSTATE. */
static PmxErrCode
blocked_code(const char *sqlstate)
{
	if (strcmp(sqlstate, "23502") == 0)
		return PMX_E_BLOCKED_NULLS;
	if (strcmp(sqlstate, "23505") == 0)
		return PMX_E_BLOCKED_UNIQUE;
	if (strcmp(sqlstate, "23503") == 0)
		return PMX_E_BLOCKED_FK;
	return PMX_E_BLOCKED_CHECK;
}

/*
 * Step 4: the script failed with data error failed (not cleared).  Learn
 * its intent over emptied tables and report the blocked change with its
 * count; when that is not possible, the database's own error stands.
 */
static int
explain_failure(PmxCtx *ctx, PmxDb *db, const RunArgs *a, const char *db_message)
{
	PmxError	failed = ctx->err;
	PmxSchema  *before,
			   *after;
	PmxEffect  *e;
	PmxDiff		diff;
	int			rc;

	pmx_error_clear(ctx);
	if (pmx_introspect(ctx, db, &before) != PMX_OK || !(e = pmx_effect_begin(ctx, db, before)) ||
		pmx_probe(ctx, db, PMX_SP_BEGIN) != PMX_OK)
		goto keep_original;
	rc = empty_tables(ctx, db, before);
	if (rc == PMX_OK)
		rc = run_script(ctx, db, a->tx_part, e);
	if (rc == PMX_OK)
		rc = pmx_introspect(ctx, db, &after);
	if (rc == PMX_OK)
		rc = pmx_effect_diff(ctx, e, before, after, &diff);
	pmx_error_clear(ctx);
	if (pmx_probe(ctx, db, PMX_SP_ROLLBACK) != PMX_OK)
		return PMX_ERROR;		/* the session is rolled back */
	if (db->dialect == PMX_DIALECT_SQLITE)
		(void) db->exec(db->ud, ctx, "PRAGMA defer_foreign_keys = OFF");
	pmx_error_clear(ctx);
	if (rc != PMX_OK || pmx_datacheck(ctx, db, &diff) != PMX_OK)
		goto keep_original;
	{
		PmxErrCode	want = blocked_code(failed.db_sqlstate);
		const PmxChange *hit = NULL;

		for (int i = 0; i < diff.nchanges; i++)
		{
			const PmxChange *ch = diff.changes[i];

			if (ch->safety == PMX_BLOCKED && (!hit || (hit->block_code != want && ch->block_code == want)))
				hit = ch;
		}
		if (!hit)
			goto keep_original;
		pmx_error(ctx, hit->block_code, "%s is blocked: %s", label(ctx, a), hit->reason);
		pmx_error_detail(ctx, "The database refused it: %s.  Nothing was changed.", db_message);
		if (hit->hint)
			pmx_error_hint(ctx, "%s", hit->hint);
		else
			pmx_error_hint(ctx, "Fix those rows first (in this migration, before the statement that failed, or by hand).");
		return PMX_ERROR;
	}
keep_original:
	pmx_error_clear(ctx);
	ctx->err = failed;
	return PMX_ERROR;
}

/* A script error, named after the migration, the database's class kept. */
static int
script_failed(PmxCtx *ctx, const RunArgs *a)
{
	PmxError	e = ctx->err;

	if (e.code != PMX_E_SQL)
		return PMX_ERROR;
	pmx_error_clear(ctx);
	pmx_error(ctx, PMX_E_SQL, "%s failed: %s", label(ctx, a), e.message);
	memcpy(ctx->err.db_sqlstate, e.db_sqlstate, 6);
	if (e.detail)
		pmx_error_detail(ctx, "%s", e.detail);
	return pmx_error_hint(ctx, "%s", e.hint ? e.hint : "Nothing was changed: fix the migration and run it again.");
}

/*
 * Roll back the probe after an error, keeping that error (a failure to
 * roll back is left to the session, which rolls back everything).
 * Returns PMX_ERROR.
 */
static int
abort_probe(PmxCtx *ctx, PmxDb *db)
{
	PmxError	e = ctx->err;

	pmx_error_clear(ctx);
	(void) pmx_probe(ctx, db, PMX_SP_ROLLBACK);
	pmx_error_clear(ctx);
	ctx->err = e;
	return PMX_ERROR;
}

/*
 * Steps 2-3: run the script, classify its effect.  On success *diff holds
 * the classified effect and *after the schema after it.
 */
static int
run_and_classify(PmxCtx *ctx, PmxDb *db, const RunArgs *a, PmxDiff *diff,
				 PmxSchema **after, char **from_fp)
{
	PmxSchema  *before;
	PmxEffect  *e;
	bool		rows = false;

	if (pmx_introspect(ctx, db, &before) != PMX_OK ||
		!(*from_fp = pmx_fingerprint_model(ctx, before)) ||
		!(e = pmx_effect_begin(ctx, db, before)) ||
		pmx_probe(ctx, db, PMX_SP_BEGIN) != PMX_OK)
		return PMX_ERROR;
	if (run_script(ctx, db, a->tx_part, e) != PMX_OK)
	{
		/* integrity (23) and data (22: too long, out of range, bad cast) */
		bool		data = strncmp(ctx->err.db_sqlstate, "23", 2) == 0 ||
			strncmp(ctx->err.db_sqlstate, "22", 2) == 0;
		PmxError	failed = ctx->err;

		pmx_error_clear(ctx);
		if (pmx_probe(ctx, db, PMX_SP_ROLLBACK) != PMX_OK)
			return PMX_ERROR;
		ctx->err = failed;
		script_failed(ctx, a);
		return data ? explain_failure(ctx, db, a, failed.message) : PMX_ERROR;
	}
	if (pmx_introspect(ctx, db, after) != PMX_OK ||
		pmx_effect_diff(ctx, e, before, *after, diff) != PMX_OK)
		return abort_probe(ctx, db);
	for (int i = 0; i < diff->nchanges && !rows; i++)
		rows = needs_rows(diff->changes[i]);
	if (!rows)
	{
		/* the classes need no rows: keep what the script did */
		if (pmx_datacheck(ctx, db, diff) != PMX_OK)
			return abort_probe(ctx, db);
		return pmx_probe(ctx, db, PMX_SP_RELEASE);
	}
	if (pmx_probe(ctx, db, PMX_SP_ROLLBACK) != PMX_OK ||
		pmx_datacheck(ctx, db, diff) != PMX_OK ||
		settle_blocked(ctx, diff) != PMX_OK ||
		refuse_destructive(ctx, a, diff) != PMX_OK)
		return PMX_ERROR;
	/* for real: the same script on the same rows */
	if (run_script(ctx, db, a->tx_part, NULL) != PMX_OK)
		return script_failed(ctx, a);
	return PMX_OK;
}

/* Join the after-commit statements for the ledger; NULL when none. */
static char *
after_text(PmxCtx *ctx, const RunArgs *a)
{
	PmxBuf		b;

	if (a->nafter == 0)
		return NULL;
	pmx_buf_init(&b, ctx);
	for (int i = 0; i < a->nafter; i++)
		pmx_buf_appendf(&b, "%s;\n", a->after[i]);
	return pmx_buf_finish(&b);
}

/* Steps 2-5 after the ledger allowed the run. */
static int
apply_run(PmxCtx *ctx, PmxDb *db, const RunArgs *a, RunResult *res)
{
	PmxDiff		diff;
	PmxSchema  *after;
	PmxLedgerRow row;
	char	   *to_json;

	memset(&row, 0, sizeof(row));
	if (run_and_classify(ctx, db, a, &diff, &after, (char **) &row.from_fp) != PMX_OK)
		return PMX_ERROR;
	if (!(to_json = pmx_schema_to_json(ctx, after)) ||
		!(res->effect = pmx_effect_json(ctx, &diff)))
		return PMX_ERROR;
	row.version = a->version;
	row.name = a->name;
	row.kind = "run";
	row.checksum = a->checksum;
	row.to_fp = a->nafter ? NULL : pmx_fingerprint_model(ctx, after);
	row.up_sql = a->up;
	row.down_sql = a->down && *a->down ? a->down : NULL;
	row.steps = diff.nchanges;
	row.effect = res->effect;
	row.after_commit = after_text(ctx, a);
	row.to_schema = to_json;
	if ((!a->nafter && !row.to_fp) || pmx_ledger_insert(ctx, db, &row, &res->id) != PMX_OK)
		return PMX_ERROR;
	res->applied = true;
	res->warnings = diff.warnings;
	if (a->nafter)
		return pmx_strs_pushf(ctx, &res->warnings, "%d statement%s of this migration must run after commit, outside a transaction; then call premix_run again with the same arguments to record them",
							  a->nafter, a->nafter == 1 ? "" : "s");
	return PMX_OK;
}

/* The result JSON. */
static char *
result_json(PmxCtx *ctx, const RunArgs *a, const RunResult *r)
{
	PmxJsonWriter w;

	pmx_jw_init(&w, ctx);
	pmx_jw_begin_object(&w);
	pmx_jw_key(&w, "applied");
	pmx_jw_bool(&w, r->applied);
	if (r->completed)
	{
		pmx_jw_key(&w, "completed");
		pmx_jw_bool(&w, true);
	}
	pmx_jw_key(&w, "version");
	pmx_jw_string(&w, a->version);
	pmx_jw_key(&w, "name");
	pmx_jw_string(&w, a->name);
	pmx_jw_key(&w, "checksum");
	pmx_jw_string(&w, a->checksum);
	pmx_jw_key(&w, "ledger_id");
	if (r->id > 0)
		pmx_jw_int(&w, r->id);
	else
		pmx_jw_null(&w);
	if (r->message)
	{
		pmx_jw_key(&w, "message");
		pmx_jw_string(&w, r->message);
	}
	pmx_jw_key(&w, "effect");
	pmx_jw_raw(&w, r->effect ? r->effect : "[]");
	pmx_jw_key(&w, "after_commit");
	pmx_jw_begin_array(&w);
	for (int i = 0; r->applied && i < a->nafter; i++)
		pmx_jw_string(&w, a->after[i]);
	for (int i = 0; i < r->pending.n; i++)
		pmx_jw_string(&w, r->pending.v[i]);
	pmx_jw_end_array(&w);
	pmx_jw_key(&w, "warnings");
	pmx_jw_begin_array(&w);
	for (int i = 0; i < r->warnings.n; i++)
		pmx_jw_string(&w, r->warnings.v[i]);
	pmx_jw_end_array(&w);
	pmx_jw_end_object(&w);
	return pmx_jw_finish(&w);
}

/* True when the SQL text holds DROP TABLE (outside strings and comments). */
static bool
drops_a_table(const char *sql)
{
	bool		after_drop = false;

	for (PmxTok t = pmx_sql_next(sql, true); t.type != PMX_TK_EOF && t.type != PMX_TK_ERROR;
		 t = pmx_sql_next(t.p + t.len, true))
	{
		if (after_drop && pmx_tok_is(&t, "table"))
			return true;
		after_drop = pmx_tok_is(&t, "drop");
	}
	return false;
}

/*
 * SQLite enforcing foreign keys inside the caller's transaction: DROP TABLE
 * deletes the table's rows first, and ON DELETE CASCADE would take the
 * children's rows with them -- premix cannot switch enforcement off there.
 */
static int
refuse_cascading_drop(PmxCtx *ctx, const PmxSession *s, const RunArgs *a)
{
	if (!s->fk_on || !s->db->in_transaction || !drops_a_table(a->tx_part))
		return PMX_OK;
	pmx_error(ctx, PMX_E_MISUSE, "%s drops a table inside a transaction while foreign_keys is on", label(ctx, a));
	pmx_error_detail(ctx, "SQLite's DROP TABLE deletes the table's rows first, which runs the ON DELETE actions of the tables that reference it, and PRAGMA foreign_keys cannot change inside a transaction.");
	return pmx_error_hint(ctx, "Run premix_run outside BEGIN ... COMMIT (premix then switches foreign_keys off for the migration and checks every key before it finishes), or run PRAGMA foreign_keys = OFF before BEGIN.");
}

/* premix_run; see the file header. */
int
pmx_run(PmxCtx *ctx, PmxDb *live, const char *version, const char *name,
		const char *up_sql, const char *down_sql, int allow_destructive,
		const char *options, char **out_result)
{
	RunArgs		a;
	RunResult	res;
	PmxSession	s;
	bool		done;
	int			rc;

	memset(&a, 0, sizeof(a));
	memset(&res, 0, sizeof(res));
	a.version = version;
	a.name = name;
	a.up = up_sql;
	a.down = down_sql;
	a.allow = allow_destructive != 0;
	if (pmx_options_parse(ctx, options, live->dialect, &a.opts) != PMX_OK ||
		read_args(ctx, live->dialect, &a) != PMX_OK ||
		pmx_session_begin(ctx, live, &s) != PMX_OK)
		return PMX_ERROR;
	rc = refuse_cascading_drop(ctx, &s, &a);
	if (rc == PMX_OK)
		rc = pmx_session_open(ctx, &s, a.opts.lock_timeout);
	if (rc == PMX_OK)
		rc = pmx_ledger_ensure(ctx, live);
	if (rc == PMX_OK)
		rc = consult_ledger(ctx, live, &a, &res, &done);
	if (rc == PMX_OK && !done)
		rc = apply_run(ctx, live, &a, &res);
	if (rc == PMX_OK && s.fk_on)
		rc = pmx_check_all_foreign_keys(ctx, live);
	if (rc == PMX_OK && !(*out_result = result_json(ctx, &a, &res)))
		rc = PMX_ERROR;
	return pmx_session_close(ctx, &s, rc == PMX_OK, rc == PMX_OK ? *out_result : NULL) == PMX_OK ? rc : PMX_ERROR;
}
