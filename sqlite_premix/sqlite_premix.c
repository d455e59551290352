/*-------------------------------------------------------------------------
 *
 * sqlite_premix.c
 *	  The SQLite loadable extension: sqlite3_premix_init and the SQL
 *	  functions premix_schema, premix_diff, premix_preview, premix_apply,
 *	  premix_migrate and premix_version.
 *
 * Each function builds a context, calls the core, copies the text result
 * to SQLite (SQLITE_TRANSIENT) and frees the context.  Every function is
 * SQLITE_DIRECTONLY: premix reads and changes the schema, so it must not
 * run from inside a view or trigger an attacker could plant.
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

/* Argument i as text, or NULL when SQL NULL. */
static const char *
arg_text(sqlite3_value **argv, int argc, int i)
{
	if (i >= argc || sqlite3_value_type(argv[i]) == SQLITE_NULL)
		return NULL;
	return (const char *) sqlite3_value_text(argv[i]);
}

/* Argument i as a boolean (0 when absent or NULL). */
static int
arg_bool(sqlite3_value **argv, int argc, int i)
{
	const char *s;

	if (i >= argc || sqlite3_value_type(argv[i]) == SQLITE_NULL)
		return 0;
	if (sqlite3_value_type(argv[i]) == SQLITE_TEXT)
	{
		s = (const char *) sqlite3_value_text(argv[i]);
		return s && (strcmp(s, "true") == 0 || strcmp(s, "t") == 0 ||
					 strcmp(s, "1") == 0 || strcmp(s, "on") == 0 ||
					 strcmp(s, "yes") == 0);
	}
	return sqlite3_value_int(argv[i]) != 0;
}

/* Hand the core's result (or error) back to SQLite and free the context. */
static void
finish(sqlite3_context *fctx, PmxCtx *ctx, int rc, const char *out)
{
	if (rc == PMX_OK)
		sqlite3_result_text(fctx, out, -1, SQLITE_TRANSIENT);
	else
		sqlpmx_result_error(fctx, ctx);
	pmx_ctx_free(ctx);
}

/* premix_schema([options]) -> the live schema as target JSON */
static void
premix_schema(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	PmxCtx	   *ctx = sqlpmx_ctx_new();
	PmxDb		db;
	char	   *out = NULL;
	int			rc;

	if (!ctx)
	{
		sqlite3_result_error_nomem(fctx);
		return;
	}
	sqlpmx_db_init(&db, sqlite3_context_db_handle(fctx));
	rc = pmx_schema(ctx, &db, arg_text(argv, argc, 0), &out);
	finish(fctx, ctx, rc, out);
}

/* premix_diff(target [, options]) -> plan JSON; changes nothing */
static void
premix_diff(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	PmxCtx	   *ctx = sqlpmx_ctx_new();
	PmxDb		db;
	char	   *out = NULL;
	int			rc;

	if (!ctx)
	{
		sqlite3_result_error_nomem(fctx);
		return;
	}
	sqlpmx_db_init(&db, sqlite3_context_db_handle(fctx));
	rc = pmx_diff(ctx, &db, arg_text(argv, argc, 0), arg_text(argv, argc, 1), &out);
	finish(fctx, ctx, rc, out);
}

/* premix_preview(target_or_plan [, options]) -> readable text */
static void
premix_preview(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	PmxCtx	   *ctx = sqlpmx_ctx_new();
	PmxDb		db;
	char	   *out = NULL;
	int			rc;

	if (!ctx)
	{
		sqlite3_result_error_nomem(fctx);
		return;
	}
	sqlpmx_db_init(&db, sqlite3_context_db_handle(fctx));
	rc = pmx_preview(ctx, &db, arg_text(argv, argc, 0), arg_text(argv, argc, 1), &out);
	finish(fctx, ctx, rc, out);
}

/* premix_apply(plan [, allow_destructive]) -> result JSON */
static void
premix_apply(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	PmxCtx	   *ctx = sqlpmx_ctx_new();
	sqlite3    *handle = sqlite3_context_db_handle(fctx);
	PmxDb		db;
	char	   *out = NULL;
	int			rc;

	if (!ctx)
	{
		sqlite3_result_error_nomem(fctx);
		return;
	}
	sqlpmx_db_init(&db, handle);
	rc = sqlpmx_check_idle(ctx, handle);
	if (rc == PMX_OK)
		rc = pmx_apply(ctx, &db, arg_text(argv, argc, 0), arg_bool(argv, argc, 1),
					   "premix_apply", &out);
	finish(fctx, ctx, rc, out);
}

/* premix_migrate(target [, allow_destructive [, options]]) -> result JSON */
static void
premix_migrate(sqlite3_context *fctx, int argc, sqlite3_value **argv)
{
	PmxCtx	   *ctx = sqlpmx_ctx_new();
	sqlite3    *handle = sqlite3_context_db_handle(fctx);
	PmxDb		db;
	char	   *out = NULL;
	int			rc;

	if (!ctx)
	{
		sqlite3_result_error_nomem(fctx);
		return;
	}
	sqlpmx_db_init(&db, handle);
	rc = sqlpmx_check_idle(ctx, handle);
	if (rc == PMX_OK)
		rc = pmx_migrate(ctx, &db, arg_text(argv, argc, 0), arg_bool(argv, argc, 1),
						 arg_text(argv, argc, 2), &out);
	finish(fctx, ctx, rc, out);
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
	{"premix_version", 0, premix_version},
};

/* Entry point that `.load premix` derives from the file name premix.so. */
PMX_API int
sqlite3_premix_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
	SQLITE_EXTENSION_INIT2(api);
	(void) err;
	for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
	{
		int			rc = sqlite3_create_function(db, functions[i].name, functions[i].nargs,
												 SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
												 functions[i].fn, NULL, NULL);

		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}
