/*-------------------------------------------------------------------------
 *
 * sqlite_host.c
 *	  PmxDb and PmxAllocator over the sqlite3 C API.
 *
 * query/exec run on the caller's connection (or on the private :memory:
 * shadow); rows are handed to the core as text.  The shadow is a fresh
 * :memory: database per call that cannot ATTACH files, so a plain-DDL
 * target runs where it can touch nothing of the user's.
 *
 * IDENTIFICATION
 *	  sqlite_premix/sqlite_host.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <string.h>

#include "sqlite_host.h"

SQLITE_EXTENSION_INIT3

/* PmxAllocator.alloc over sqlite3_malloc64. */
static void *
sqlpmx_alloc(void *ud, size_t size)
{
	(void) ud;
	return sqlite3_malloc64((sqlite3_uint64) size);
}

/* PmxAllocator.free over sqlite3_free. */
static void
sqlpmx_free(void *ud, void *p)
{
	(void) ud;
	sqlite3_free(p);
}

/*
 * The most arena memory a connection keeps between calls: a 1,000-table
 * diff works in about 30 MB.  Freed when the connection closes.
 */
#define SQLPMX_POOL_KEEP ((size_t) 64 * 1024 * 1024)

/* A context over sqlite3_malloc64 whose blocks come from pool (may be NULL); NULL on OOM. */
PmxCtx *
sqlpmx_ctx_new(PmxPool *pool)
{
	PmxAllocator a = {NULL, sqlpmx_alloc, sqlpmx_free};

	return pmx_ctx_new_pooled(&a, pool);
}

/* A connection's live-model cache over sqlite3_malloc64, blocks from pool; NULL on OOM. */
PmxSchemaCache *
sqlpmx_schema_cache_new(PmxPool *pool)
{
	PmxAllocator a = {NULL, sqlpmx_alloc, sqlpmx_free};

	return pmx_schema_cache_new(&a, pool);
}

/* A connection's block pool over sqlite3_malloc64; NULL on OOM. */
PmxPool *
sqlpmx_pool_new(void)
{
	PmxAllocator a = {NULL, sqlpmx_alloc, sqlpmx_free};

	return pmx_pool_new(&a, SQLPMX_POOL_KEEP);
}

/*
 * Run sql on the connection in ud and pass each row to row() as text.
 * PMX_ERROR with the database's message on failure.
 */
static int
sqlpmx_query(void *ud, PmxCtx *ctx, const char *sql, PmxRowFn row, void *arg)
{
	sqlite3    *db = ud;
	sqlite3_stmt *st = NULL;
	int			rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	const char *vals_small[16];
	const char **vals = vals_small;
	int			ncols;
	int			result = PMX_OK;

	if (rc != SQLITE_OK)
		return pmx_error_sql(ctx, sqlite3_errmsg(db), sql);
	ncols = sqlite3_column_count(st);
	if (ncols > 16)
	{
		vals = sqlite3_malloc64(sizeof(char *) * (sqlite3_uint64) ncols);
		if (!vals)
		{
			sqlite3_finalize(st);
			return pmx_error_sql(ctx, "out of memory", NULL);
		}
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
	{
		bool		oom = false;

		for (int i = 0; i < ncols; i++)
		{
			/* a number read as text needs memory: NULL then is not SQL NULL */
			int			type = sqlite3_column_type(st, i);

			vals[i] = (const char *) sqlite3_column_text(st, i);
			if (!vals[i] && type != SQLITE_NULL)
				oom = true;
		}
		if (oom)
		{
			result = pmx_error_report(ctx, PMX_E_NOMEM, "out of memory", NULL, NULL);
			break;
		}
		if (row && row(arg, ncols, vals) != PMX_OK)
		{
			result = PMX_ERROR;
			break;
		}
	}
	if (result == PMX_OK && rc != SQLITE_DONE)
		result = pmx_error_sql(ctx, sqlite3_errmsg(db), sql);
	sqlite3_finalize(st);
	if (vals != vals_small)
		sqlite3_free(vals);
	return result;
}

/*
 * Report a failed statement: rc and msg as SQLite gave them.  A statement
 * that cannot run because the one calling premix is busy gets premix's
 * way out; a constraint failure carries its SQLSTATE.  Returns PMX_ERROR.
 */
int
sqlpmx_report(PmxCtx *ctx, sqlite3 *db, int rc, const char *msg, const char *sql)
{
	static const struct
	{
		int			code;
		const char *state;
	}			states[] = {
		{SQLITE_CONSTRAINT_NOTNULL, "23502"},
		{SQLITE_CONSTRAINT_UNIQUE, "23505"},
		{SQLITE_CONSTRAINT_PRIMARYKEY, "23505"},
		{SQLITE_CONSTRAINT_FOREIGNKEY, "23503"},
		{SQLITE_CONSTRAINT_CHECK, "23514"},
	};
	int			ext = sqlite3_extended_errcode(db);

	if ((rc & 0xff) == SQLITE_NOMEM)
		return pmx_error_report(ctx, PMX_E_NOMEM, "out of memory", NULL, NULL);
	if ((rc & 0xff) == SQLITE_BUSY && msg && strstr(msg, "statements in progress"))
		return pmx_error_report(ctx, PMX_E_MISUSE,
								"premix cannot run inside a statement that writes",
								"SQLite cannot open premix's savepoint while the statement calling premix is writing (for example INSERT ... SELECT premix_migrate(...)).",
								"Call premix in a SELECT of its own and store its result afterwards.");
	if ((rc & 0xff) == SQLITE_LOCKED)
		return pmx_error_report(ctx, PMX_E_MISUSE,
								"premix cannot drop or rebuild a table while the statement that called it reads the database",
								"SQLite refuses DROP TABLE (\"database table is locked\") while another statement of the connection is reading, and the statement calling premix reads a table.",
								"Call premix from a statement that reads no table: pass the target as a literal or a bound parameter, or in the sqlite3 shell as premix_migrate(readfile('target.json')).");
	pmx_error_sql(ctx, msg ? msg : sqlite3_errmsg(db), sql);
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (ext == states[i].code)
			pmx_error_sql_state(ctx, states[i].state);
	return PMX_ERROR;
}

/* Run one or more statements; PMX_ERROR with the database's message. */
static int
sqlpmx_exec(void *ud, PmxCtx *ctx, const char *sql)
{
	char	   *msg = NULL;
	int			rc = sqlite3_exec((sqlite3 *) ud, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK)
	{
		sqlpmx_report(ctx, (sqlite3 *) ud, rc, msg, sql);
		sqlite3_free(msg);
		return PMX_ERROR;
	}
	return PMX_OK;
}

/* Close a shadow opened by sqlpmx_shadow_open. */
static void
sqlpmx_shadow_close(PmxDb *shadow)
{
	if (shadow && shadow->ud)
	{
		sqlite3_close_v2((sqlite3 *) shadow->ud);
		shadow->ud = NULL;
	}
}

/* Open a private :memory: database that cannot attach files. */
static int
sqlpmx_shadow_open(void *ud, PmxCtx *ctx, PmxDb *out)
{
	sqlite3    *db = NULL;
	int			rc;

	(void) ud;
	rc = sqlite3_open_v2(":memory:", &db,
						 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
						 SQLITE_OPEN_PRIVATECACHE, NULL);
	if (rc != SQLITE_OK)
	{
		pmx_error_sql(ctx, db ? sqlite3_errmsg(db) : "cannot open the :memory: shadow", NULL);
		sqlite3_close_v2(db);
		return PMX_ERROR;
	}
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlpmx_db_init(out, db);
	out->shadow_open = NULL;
	out->shadow_close = sqlpmx_shadow_close;
	return PMX_OK;
}

/* Fill pdb for connection db. */
void
sqlpmx_db_init(PmxDb *pdb, sqlite3 *db)
{
	memset(pdb, 0, sizeof(*pdb));
	pdb->ud = db;
	pdb->dialect = PMX_DIALECT_SQLITE;
	pdb->in_transaction = !sqlite3_get_autocommit(db);
	pdb->query = sqlpmx_query;
	pdb->exec = sqlpmx_exec;
	pdb->shadow_open = sqlpmx_shadow_open;
	pdb->shadow_close = sqlpmx_shadow_close;
	pdb->exec_script = sqlpmx_exec_script;
}

/*
 * The context's error as text for sqlite3_result_error: "premix: message"
 * with DETAIL, HINT and SQLSTATE lines, as psql shows them.  Allocated
 * with sqlite3_mprintf (caller frees); NULL on OOM.
 */
char *
sqlpmx_error_text(PmxCtx *ctx)
{
	const PmxError *e = pmx_ctx_error(ctx);

	return sqlite3_mprintf("premix: %s%s%s%s%s\nSQLSTATE: %s",
						   e->message ? e->message : "unknown error",
						   e->detail ? "\nDETAIL: " : "", e->detail ? e->detail : "",
						   e->hint ? "\nHINT: " : "", e->hint ? e->hint : "",
						   e->code == PMX_E_SQL && e->db_sqlstate[0] ? e->db_sqlstate
						   : e->sqlstate[0] ? e->sqlstate : "XX000");
}

/*
 * premix_apply changes the schema, which SQLite cannot do while another
 * statement of the same connection is part-way through (DROP TABLE then
 * fails with "database table is locked").  The calling statement itself
 * is busy; any second busy statement means premix was called from inside
 * another query.  Returns PMX_ERROR with PMX_E_MISUSE then.
 */
int
sqlpmx_check_idle(PmxCtx *ctx, sqlite3 *db)
{
	int			busy = 0;

	for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st))
		if (sqlite3_stmt_busy(st))
			busy++;
	if (busy > 1)
		return pmx_error_report(ctx, PMX_E_MISUSE,
								"premix cannot change the schema while another statement on this connection is running",
								"SQLite refuses schema changes while a statement of the same connection is part-way through.",
								"Call it as a statement of its own, SELECT premix_migrate(...), after finishing or resetting the other statements.");
	return PMX_OK;
}
