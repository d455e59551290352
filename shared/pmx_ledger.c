/*-------------------------------------------------------------------------
 *
 * pmx_ledger.c
 *	  Reading and writing the ledger; see pmx_ledger.h.  Every value goes
 *	  into SQL as a parameter or through pmx_quote_literal().
 *
 * IDENTIFICATION
 *	  shared/pmx_ledger.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "pmx_engine.h"
#include "pmx_ledger.h"
#include "pmx_sql.h"

#define SQLITE_LEDGER "main." PMX_LEDGER_TABLE

/* The ledger's qualified name in db's dialect. */
static const char *
ledger_name(const PmxDb *db)
{
	return db->dialect == PMX_DIALECT_POSTGRES ? PMX_PG_LEDGER : SQLITE_LEDGER;
}

/* Now as the dialect's timestamp expression (SQL text, no user input). */
static const char *
now_expr(const PmxDb *db)
{
	return db->dialect == PMX_DIALECT_POSTGRES ? "pg_catalog.now()"
		: "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
}

/* See pmx_ledger.h. */
int
pmx_ledger_ensure(PmxCtx *ctx, PmxDb *db)
{
	if (db->dialect != PMX_DIALECT_SQLITE)
		return PMX_OK;
	return db->exec(db->ud, ctx,
					"CREATE TABLE IF NOT EXISTS " SQLITE_LEDGER " ("
					"id INTEGER PRIMARY KEY, version TEXT NOT NULL, name TEXT NOT NULL, "
					"kind TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL, "
					"from_fingerprint TEXT, to_fingerprint TEXT, "
					"up_sql TEXT NOT NULL, down_sql TEXT, steps INTEGER NOT NULL, "
					"effect TEXT, after_commit TEXT, rolled_back_at TEXT, to_schema TEXT)");
}

/* Row callback of the ledger insert: the id RETURNING gives (PostgreSQL). */
static int
on_id_row(void *arg, int ncols, const char *const *v)
{
	if (ncols > 0 && v[0])
		*(long long *) arg = atoll(v[0]);
	return PMX_OK;
}

/*
 * See pmx_ledger.h.  The values go as parameters (pmx_query_params): the
 * up and down SQL and the schema after can be hundreds of kilobytes, which
 * the server would otherwise lex out of the statement's text.
 */
int
pmx_ledger_insert(PmxCtx *ctx, PmxDb *db, const PmxLedgerRow *r, long long *id)
{
	bool		pg = db->dialect == PMX_DIALECT_POSTGRES;
	const char *values[] = {
		r->version, r->name, r->kind, r->checksum, r->from_fp, r->to_fp,
		r->up_sql ? r->up_sql : "", r->down_sql, r->effect ? r->effect : "[]",
		r->after_commit, r->to_schema
	};
	char	   *sql;

	*id = 0;
	if (pmx_ledger_ensure(ctx, db) != PMX_OK)
		return PMX_ERROR;
	sql = pmx_sprintf(ctx, "INSERT INTO %s (version, name, kind, checksum, applied_at, "
					  "from_fingerprint, to_fingerprint, up_sql, down_sql, steps, effect, "
					  "after_commit, to_schema) VALUES ($1, $2, $3, $4, %s, $5, $6, $7, $8, %d, $9%s, $10, $11)%s",
					  ledger_name(db), now_expr(db), r->steps, pg ? "::pg_catalog.jsonb" : "",
					  pg ? " RETURNING id" : "");
	if (!sql || pmx_query_params(ctx, db, sql, (int) (sizeof(values) / sizeof(values[0])),
								 values, on_id_row, id) != PMX_OK)
		return PMX_ERROR;
	return pg ? PMX_OK : pmx_query_int(ctx, db, "SELECT last_insert_rowid()", id);
}

typedef struct RowsAcc
{
	PmxCtx	   *ctx;
	PmxLedgerRow *rows;
	int			n,
				cap;
} RowsAcc;

/* Arena copy of a nullable value. */
static const char *
dup_or_null(PmxCtx *ctx, const char *v, bool *oom)
{
	char	   *s;

	if (!v)
		return NULL;
	if (!(s = pmx_strdup(ctx, v)))
		*oom = true;
	return s;
}

/* Row callback of pmx_ledger_read: columns in the SELECT's order. */
static int
on_ledger_row(void *arg, int ncols, const char *const *v)
{
	RowsAcc    *a = arg;
	PmxLedgerRow *r;
	bool		oom = false;

	if (ncols < 12 || !PMX_PUSH(a->ctx, a->rows, a->n, a->cap))
		return PMX_ERROR;
	r = &a->rows[a->n - 1];
	memset(r, 0, sizeof(*r));
	r->id = v[0] ? atoll(v[0]) : 0;
	r->version = dup_or_null(a->ctx, v[1], &oom);
	r->name = dup_or_null(a->ctx, v[2], &oom);
	r->kind = dup_or_null(a->ctx, v[3], &oom);
	r->checksum = dup_or_null(a->ctx, v[4], &oom);
	r->applied_at = dup_or_null(a->ctx, v[5], &oom);
	r->from_fp = dup_or_null(a->ctx, v[6], &oom);
	r->to_fp = dup_or_null(a->ctx, v[7], &oom);
	r->steps = v[8] ? atoi(v[8]) : 0;
	r->effect = dup_or_null(a->ctx, v[9], &oom);
	r->after_commit = dup_or_null(a->ctx, v[10], &oom);
	r->rolled_back_at = dup_or_null(a->ctx, v[11], &oom);
	if (ncols >= 14)
	{
		r->up_sql = dup_or_null(a->ctx, v[12], &oom);
		r->down_sql = dup_or_null(a->ctx, v[13], &oom);
	}
	return oom ? PMX_ERROR : PMX_OK;
}

/* See pmx_ledger.h. */
int
pmx_ledger_read(PmxCtx *ctx, PmxDb *db, bool with_sql, PmxLedgerRow **rows, int *n)
{
	RowsAcc		a = {ctx, NULL, 0, 0};
	bool		pg = db->dialect == PMX_DIALECT_POSTGRES;
	const char *iso = pg ? "pg_catalog.to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')" : "%s";
	char	   *sql;

	*rows = NULL;
	*n = 0;
	if (!pg)
	{
		long long	exists;

		if (pmx_query_int(ctx, db, "SELECT count(*) FROM main.sqlite_schema WHERE type = 'table' AND name = '"
						  PMX_LEDGER_TABLE "'", &exists) != PMX_OK)
			return PMX_ERROR;
		if (!exists)
			return PMX_OK;
	}
	sql = pmx_sprintf(ctx, "SELECT id, version, name, kind, checksum, %s, from_fingerprint, "
					  "to_fingerprint, steps, effect, after_commit, %s%s FROM %s%s ORDER BY id",
					  pmx_sprintf(ctx, iso, "applied_at"), pmx_sprintf(ctx, iso, "rolled_back_at"),
					  with_sql ? ", up_sql, down_sql" : "", ledger_name(db),
					  pg ? " WHERE schema_name = pg_catalog.current_schema()" : "");
	if (!sql || db->query(db->ud, ctx, sql, on_ledger_row, &a) != PMX_OK)
		return pmx_error_is_set(ctx) ? PMX_ERROR : pmx_error_nomem(ctx);
	*rows = a.rows;
	*n = a.n;
	return PMX_OK;
}

/* See pmx_ledger.h. */
int
pmx_ledger_to_schema(PmxCtx *ctx, PmxDb *db, long long id, char **out)
{
	return pmx_query_text(ctx, db, pmx_sprintf(ctx, "SELECT to_schema FROM %s WHERE id = %lld",
											   ledger_name(db), id), out);
}

/* See pmx_ledger.h. */
int
pmx_ledger_mark_rolled_back(PmxCtx *ctx, PmxDb *db, long long id)
{
	char	   *sql = pmx_sprintf(ctx, "UPDATE %s SET rolled_back_at = %s WHERE id = %lld",
								  ledger_name(db), now_expr(db), id);

	return sql ? db->exec(db->ud, ctx, sql) : PMX_ERROR;
}

/* See pmx_ledger.h. */
int
pmx_ledger_complete(PmxCtx *ctx, PmxDb *db, long long id, const char *to_fp,
					const char *to_schema)
{
	const char *values[] = {to_fp, to_schema};
	char	   *sql = pmx_sprintf(ctx, "UPDATE %s SET to_fingerprint = $1, to_schema = $2 WHERE id = %lld",
								  ledger_name(db), id);

	return sql ? pmx_query_params(ctx, db, sql, 2, values, NULL, NULL) : PMX_ERROR;
}
