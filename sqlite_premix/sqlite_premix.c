/*-------------------------------------------------------------------------
 *
 * sqlite_premix.c
 *	  The SQLite loadable extension: sqlite3_premix_init and the SQL
 *	  functions premix_schema, premix_diff, premix_preview, premix_apply,
 *	  premix_migrate, premix_script, premix_run, premix_rollback,
 *	  premix_status, premix_purge, premix_parity and premix_version.
 *
 * Each function checks its arguments, builds a context, calls the core,
 * copies the text result (or the error text) to SQLite and frees the
 * context.  Every function is SQLITE_DIRECTONLY: premix reads and changes
 * the schema, so it must not run from inside a view or trigger someone
 * else planted.
 *
 * After a failure the host finishes what the core reports it could not
 * undo itself (out of memory while cleaning up); see finish_pending().
 *
 * IDENTIFICATION
 *	  sqlite_premix/sqlite_premix.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "sqlite_host.h"

/* What the functions of one connection share (their user data). */
typedef struct ConnState
{
	PmxPool    *pool;			/* arena blocks kept between calls */
	PmxSchemaCache *cache;		/* the live model kept between calls */
	int			refs;			/* functions registered with it */
} ConnState;

typedef enum Entry
{
	E_SCHEMA,
	E_DIFF,
	E_PREVIEW,
	E_APPLY,
	E_MIGRATE,
	E_SCRIPT,
	E_RUN,
	E_ROLLBACK,
	E_STATUS,
	E_PURGE,
	E_PARITY
} Entry;

/*
 * After a failed call: undo what the core reported it could not undo
 * itself, once the core's memory is back.  The pragmas go back through
 * sqlite3_db_config, which needs no memory.  The savepoint needs SQL:
 * after an out-of-memory error inside SQLite, SQLite refuses every new
 * statement until the calling statement has finished (its mallocFailed
 * flag), so the rollback may fail too; the call then ends with
 * SQLITE_NOMEM, and -- as for any SQLite statement that fails with
 * SQLITE_NOMEM -- the application checks sqlite3_get_autocommit() and
 * rolls back.
 */
static void
finish_pending(sqlite3 *db, const PmxPending *p)
{
	if (p->legacy_alter_table >= 0)
		sqlite3_db_config(db, SQLITE_DBCONFIG_LEGACY_ALTER_TABLE, p->legacy_alter_table, (int *) 0);
	if (p->foreign_keys >= 0)
		sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, p->foreign_keys, (int *) 0);
	if (p->savepoint_open)
		sqlite3_exec(db, p->began_transaction ? "ROLLBACK"
					 : "ROLLBACK TO premix_apply; RELEASE premix_apply", NULL, NULL, NULL);
}

/*
 * Argument i as text into *out (NULL when SQL NULL or absent).  A text
 * holding a NUL byte is refused: everything after it would be ignored.
 */
static int
arg_text(PmxCtx *ctx, sqlite3_value **argv, int argc, int i, const char *what,
		 const char **out)
{
	const char *s;

	*out = NULL;
	if (i >= argc || sqlite3_value_type(argv[i]) == SQLITE_NULL)
		return PMX_OK;
	s = (const char *) sqlite3_value_text(argv[i]);
	if (!s)
		return pmx_error_report(ctx, PMX_E_NOMEM, "out of memory", NULL, NULL);
	if ((size_t) sqlite3_value_bytes(argv[i]) != strlen(s))
		return pmx_error_report(ctx, PMX_E_JSON, "the argument holds a NUL character",
								what, "Remove the NUL byte: premix reads text up to the end, not up to a NUL.");
	*out = s;
	return PMX_OK;
}

/* Argument i as a boolean; refuses what is not a clear true or false. */
static int
arg_bool(PmxCtx *ctx, sqlite3_value **argv, int argc, int i, int *out)
{
	static const char *const yes[] = {"true", "t", "1", "on", "yes"};
	static const char *const no[] = {"false", "f", "0", "off", "no"};
	const char *s;

	*out = 0;
	if (i >= argc || sqlite3_value_type(argv[i]) == SQLITE_NULL)
		return PMX_OK;
	if (sqlite3_value_type(argv[i]) == SQLITE_INTEGER)
	{
		*out = sqlite3_value_int64(argv[i]) != 0;
		return PMX_OK;
	}
	s = (const char *) sqlite3_value_text(argv[i]);
	for (size_t k = 0; s && k < sizeof(yes) / sizeof(yes[0]); k++)
	{
		if (sqlite3_stricmp(s, yes[k]) == 0)
		{
			*out = 1;
			return PMX_OK;
		}
		if (sqlite3_stricmp(s, no[k]) == 0)
			return PMX_OK;
	}
	return pmx_error_report(ctx, PMX_E_INVALID, "allow_destructive must be true or false",
							NULL, "Pass 1 or 0 (or true or false).");
}

/* Run one entry point of the core for the SQL function call. */
static void
call(sqlite3_context *fctx, int argc, sqlite3_value **argv, Entry entry)
{
	sqlite3    *handle = sqlite3_context_db_handle(fctx);
	ConnState  *cs = sqlite3_user_data(fctx);
	PmxCtx	   *ctx = sqlpmx_ctx_new(cs ? cs->pool : NULL);
	PmxDb		db;
	const char *a0 = NULL,
			   *a1 = NULL,
			   *a2 = NULL,
			   *a3 = NULL,
			   *a5 = NULL;
	int			allow = 0;
	char	   *out = NULL;
	int			rc;

	if (!ctx)
	{
		sqlite3_result_error_nomem(fctx);
		return;
	}
	sqlpmx_db_init(&db, handle);
	db.cache = cs ? cs->cache : NULL;
	rc = arg_text(ctx, argv, argc, 0, "argument 1", &a0);
	switch (entry)
	{
		case E_SCHEMA:
			if (rc == PMX_OK)
				rc = pmx_schema(ctx, &db, a0, &out);
			break;
		case E_DIFF:
			if (rc == PMX_OK)
				rc = arg_text(ctx, argv, argc, 1, "argument 2", &a1);
			if (rc == PMX_OK)
				rc = pmx_diff(ctx, &db, a0, a1, &out);
			break;
		case E_PREVIEW:
			if (rc == PMX_OK)
				rc = arg_text(ctx, argv, argc, 1, "argument 2", &a1);
			if (rc == PMX_OK)
				rc = pmx_preview(ctx, &db, a0, a1, &out);
			break;
		case E_APPLY:
			if (rc == PMX_OK)
				rc = arg_bool(ctx, argv, argc, 1, &allow);
			if (rc == PMX_OK)
				rc = sqlpmx_check_idle(ctx, handle);
			if (rc == PMX_OK)
				rc = pmx_apply(ctx, &db, a0, allow, "premix_apply", &out);
			break;
		case E_MIGRATE:
			if (rc == PMX_OK)
				rc = arg_bool(ctx, argv, argc, 1, &allow);
			if (rc == PMX_OK)
				rc = arg_text(ctx, argv, argc, 2, "argument 3", &a2);
			if (rc == PMX_OK)
				rc = sqlpmx_check_idle(ctx, handle);
			if (rc == PMX_OK)
				rc = pmx_migrate(ctx, &db, a0, allow, a2, &out);
			break;
		case E_SCRIPT:
			if (rc == PMX_OK)
				rc = pmx_script(ctx, &db, a0, &out);
			break;
		case E_RUN:
			if (rc == PMX_OK)
				rc = arg_text(ctx, argv, argc, 1, "argument 2 (name)", &a1);
			if (rc == PMX_OK)
				rc = arg_text(ctx, argv, argc, 2, "argument 3 (up_sql)", &a2);
			if (rc == PMX_OK)
				rc = arg_text(ctx, argv, argc, 3, "argument 4 (down_sql)", &a3);
			if (rc == PMX_OK)
				rc = arg_bool(ctx, argv, argc, 4, &allow);
			if (rc == PMX_OK)
				rc = arg_text(ctx, argv, argc, 5, "argument 6 (options)", &a5);
			if (rc == PMX_OK)
				rc = sqlpmx_check_idle(ctx, handle);
			if (rc == PMX_OK)
				rc = pmx_run(ctx, &db, a0, a1, a2, a3, allow, a5, &out);
			break;
		case E_ROLLBACK:
			if (rc == PMX_OK)
				rc = sqlpmx_check_idle(ctx, handle);
			if (rc == PMX_OK)
				rc = pmx_rollback(ctx, &db, a0, &out);
			break;
		case E_STATUS:
			if (rc == PMX_OK)
				rc = pmx_status(ctx, &db, &out);
			break;
		case E_PARITY:
			if (rc == PMX_OK)
				rc = arg_text(ctx, argv, argc, 1, "argument 2", &a1);
			if (rc == PMX_OK)
				rc = pmx_parity(ctx, a0, a1, &out);
			break;
		case E_PURGE:
			if (rc == PMX_OK)
				rc = arg_bool(ctx, argv, argc, 1, &allow);
			if (rc == PMX_OK)
				rc = sqlpmx_check_idle(ctx, handle);
			if (rc == PMX_OK)
				rc = pmx_purge(ctx, &db, a0, allow, &out);
			break;
	}
	if (rc == PMX_OK)
	{
		/* a writing call's result was made before its commit: no allocation now */
		char	   *own = pmx_ctx_take_output(ctx);
		PmxPending	pending = pmx_ctx_pending(ctx);

		if (own)
			sqlite3_result_text(fctx, own, -1, sqlite3_free);
		else
			sqlite3_result_text(fctx, out, -1, SQLITE_TRANSIENT);
		pmx_ctx_free(ctx);
		finish_pending(handle, &pending);	/* settings the commit left to restore */
		return;
	}
	{
		char	   *text = sqlpmx_error_text(ctx);
		int			nomem = pmx_ctx_error(ctx)->code == PMX_E_NOMEM;
		PmxPending	pending = pmx_ctx_pending(ctx);

		pmx_ctx_free(ctx);		/* first give the memory back, then clean up */
		finish_pending(handle, &pending);
		if (text && !nomem)
			sqlite3_result_error(fctx, text, -1);
		else
			sqlite3_result_error_nomem(fctx);
		sqlite3_free(text);
	}
}

/* premix_schema([options]) -> the live schema as target JSON */
static void
premix_schema(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	call(fctx, argc, argv, E_SCHEMA);
}

/* premix_diff(target [, options]) -> plan JSON; changes nothing */
static void
premix_diff(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	call(fctx, argc, argv, E_DIFF);
}

/* premix_preview(target_or_plan [, options]) -> readable text */
static void
premix_preview(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	call(fctx, argc, argv, E_PREVIEW);
}

/* premix_apply(plan [, allow_destructive]) -> result JSON */
static void
premix_apply(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	call(fctx, argc, argv, E_APPLY);
}

/* premix_migrate(target [, allow_destructive [, options]]) -> result JSON */
static void
premix_migrate(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	call(fctx, argc, argv, E_MIGRATE);
}

/* premix_script(plan) -> {"up": ..., "down": ...} */
static void
premix_script(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	call(fctx, argc, argv, E_SCRIPT);
}

/* premix_run(version, name, up_sql [, down_sql [, allow_destructive [, options]]]) */
static void
premix_run(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	call(fctx, argc, argv, E_RUN);
}

/* premix_rollback([version]) -> result JSON */
static void
premix_rollback(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	call(fctx, argc, argv, E_ROLLBACK);
}

/* premix_status() -> the ledger and drift as JSON */
static void
premix_status(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	call(fctx, argc, argv, E_STATUS);
}

/* premix_purge([older_than [, allow_destructive]]) -> what was dropped */
static void
premix_purge(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	call(fctx, argc, argv, E_PURGE);
}

/* premix_parity(a, b) -> the mismatches of two schema documents (JSON array) */
static void
premix_parity(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	call(fctx, argc, argv, E_PARITY);
}

/* premix_version() -> the extension's version */
static void
premix_version(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	(void) argc;
	(void) argv;
	sqlite3_result_text(fctx, PREMIX_VERSION, -1, SQLITE_STATIC);
}

static const struct
{
	const char *name;
	int			nargs;
	void		(*fn) (sqlite3_context *, int, sqlite3_value **);
}			functions[] = {
	{"premix_schema", 0, premix_schema},
	{"premix_schema", 1, premix_schema},
	{"premix_diff", 1, premix_diff},
	{"premix_diff", 2, premix_diff},
	{"premix_preview", 1, premix_preview},
	{"premix_preview", 2, premix_preview},
	{"premix_apply", 1, premix_apply},
	{"premix_apply", 2, premix_apply},
	{"premix_migrate", 1, premix_migrate},
	{"premix_migrate", 2, premix_migrate},
	{"premix_migrate", 3, premix_migrate},
	{"premix_script", 1, premix_script},
	{"premix_run", 3, premix_run},
	{"premix_run", 4, premix_run},
	{"premix_run", 5, premix_run},
	{"premix_run", 6, premix_run},
	{"premix_rollback", 0, premix_rollback},
	{"premix_rollback", 1, premix_rollback},
	{"premix_status", 0, premix_status},
	{"premix_purge", 0, premix_purge},
	{"premix_purge", 1, premix_purge},
	{"premix_purge", 2, premix_purge},
	{"premix_parity", 2, premix_parity},
	{"premix_version", 0, premix_version},
};

/*
 * Drop one function's reference to the connection state; the last one (the
 * connection closing, or premix loaded again) frees the pool.
 */
static void
conn_state_release(void *p)
{
	ConnState  *cs = p;

	if (--cs->refs == 0)
	{
		pmx_schema_cache_free(cs->cache);
		pmx_pool_free(cs->pool);
		sqlite3_free(cs);
	}
}

/*
 * Entry point that `.load premix` derives from the file name premix.so.
 * Every function shares one ConnState: the connection's arena block pool
 * and its cached live model.
 */
PMX_API int
sqlite3_premix_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
	ConnState  *cs;

	SQLITE_EXTENSION_INIT2(api);
	(void) err;
	if (!(cs = sqlite3_malloc(sizeof(ConnState))))
		return SQLITE_NOMEM;
	memset(cs, 0, sizeof(*cs));
	cs->refs = 1;				/* ours, until the loop is done */
	if (!(cs->pool = sqlpmx_pool_new()) || !(cs->cache = sqlpmx_schema_cache_new(cs->pool)))
	{
		pmx_pool_free(cs->pool);
		sqlite3_free(cs);
		return SQLITE_NOMEM;
	}
	for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
	{
		int			rc;

		cs->refs++;
		/* on failure SQLite calls conn_state_release itself */
		rc = sqlite3_create_function_v2(db, functions[i].name, functions[i].nargs,
										SQLITE_UTF8 | SQLITE_DIRECTONLY, cs,
										functions[i].fn, NULL, NULL, conn_state_release);
		if (rc != SQLITE_OK)
		{
			conn_state_release(cs);
			return rc;
		}
	}
	conn_state_release(cs);
	return SQLITE_OK;
}
