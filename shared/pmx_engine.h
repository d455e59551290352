/*-------------------------------------------------------------------------
 *
 * pmx_engine.h
 *	  Internal interfaces between the core's pipeline stages:
 *	  introspect -> normalize (shadow) -> diff -> plan -> apply.
 *
 * IDENTIFICATION
 *	  shared/pmx_engine.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_ENGINE_H
#define PMX_ENGINE_H

#include "pmx_json.h"
#include "pmx_model.h"

#define PMX_LEDGER_TABLE "premix_migrations"
#define PMX_PG_LEDGER "premix.migrations"
#define PMX_PG_LOCK_TIMEOUT "5s"	/* default lock_timeout of a PostgreSQL apply */

typedef enum PmxScope
{
	PMX_SCOPE_ALL = 0,			/* tables missing from the target are dropped */
	PMX_SCOPE_LISTED			/* only tables named in the target are touched */
} PmxScope;

typedef struct PmxOptions
{
	PmxScope	scope;
	const char *lock_timeout;	/* PostgreSQL; noted as a warning elsewhere */
	bool		trash;
	bool		out_of_order;	/* premix_run: an older version may still run */
	bool		hints_only;		/* internal: renames only by renamed_from */
	bool		no_token;		/* internal: the plan is not handed out as
								 * JSON to be applied later (premix_migrate
								 * applies it at once, previews print it):
								 * PostgreSQL's catalog token is not taken */
	const struct PmxJson *facts;	/* MySQL: {"<counting query>": n, ...} */
	const struct PmxJson *normalized;	/* MySQL: the target as the scratch
										 * database holds it (premix_schema) */
	const char *database;		/* MySQL: qualify table names with it */
} PmxOptions;

/* options JSON (NULL = defaults); PMX_E_INVALID on unknown keys/values */
int			pmx_options_parse(PmxCtx *ctx, const char *json, PmxDialect d,
							  PmxOptions *out);

/* introspection (one per dialect) */
int			pmx_introspect_sqlite(PmxCtx *ctx, PmxDb *db, PmxSchema **out);
int			pmx_introspect_pg(PmxCtx *ctx, PmxDb *db, PmxSchema **out);
int			pmx_introspect(PmxCtx *ctx, PmxDb *db, PmxSchema **out);

/* pmx_schema_cache.c: a deep copy, and the cache's lookup and store */
PmxSchema  *pmx_schema_copy(PmxCtx *ctx, const PmxSchema *s);	/* NULL on OOM */
int			pmx_schema_cache_get(PmxCtx *ctx, PmxSchemaCache *c, const char *key,
								 size_t keylen, PmxSchema **out);
void		pmx_schema_cache_put(PmxSchemaCache *c, const char *key, size_t keylen,
								 const PmxSchema *model);
int			pmx_introspect_doc(PmxCtx *ctx, PmxDb *db, PmxSchema **out);	/* MySQL: the current document */
char	   *pmx_mysql_qualify(PmxCtx *ctx, const char *sql, const char *db);

/*
 * MySQL: the target model from the declared JSON model, taking the
 * scratch database's spelling (opts->normalized) when there is one.
 */
void		pmx_copy_hints(PmxCtx *ctx, PmxSchema *from, PmxSchema *to);
void		pmx_mark_implicit_names(PmxCtx *ctx, PmxSchema *from, PmxSchema *to);
int			pmx_target_from_docs(PmxCtx *ctx, PmxSchema *json_model,
								 const PmxOptions *opts, PmxSchema **out);
int			pmx_introspect_pg_tables(PmxCtx *ctx, PmxDb *db, char *const *only,
									 int nonly, PmxSchema **out);
int			pmx_pg_catalog_token(PmxCtx *ctx, PmxDb *db, char **out);

/*
 * The live tables named in names[0..n) (fewer when some do not exist):
 * PostgreSQL reads only those; SQLite reads everything and picks them.
 */
int			pmx_introspect_tables(PmxCtx *ctx, PmxDb *db, char *const *names,
								  int n, PmxSchema **out);

/* A schema holding the tables of live named in names[0..n); NULL on OOM. */
PmxSchema  *pmx_schema_pick(PmxCtx *ctx, PmxSchema *live, char *const *names, int n);

/* run a query returning one integer (first column of first row) */
int			pmx_query_int(PmxCtx *ctx, PmxDb *db, const char *sql, long long *out);

/*
 * Run a query; *out is the first column of its first row as an arena
 * string, NULL when there is no row or it is SQL NULL.  sql NULL (an OOM
 * while building it) is out of memory.
 */
int			pmx_query_text(PmxCtx *ctx, PmxDb *db, const char *sql, char **out);

/*
 * Run sql, whose $1..$n stand for values[0..n) (NULL: SQL NULL; no other
 * '$' followed by a digit in the text), calling row() per result row.
 * Through PmxDb.query_params when the host has it (the values travel
 * apart from the text); otherwise each $k is replaced by values[k-1] as a
 * quoted literal.  PMX_OK or PMX_ERROR.
 */
int			pmx_query_params(PmxCtx *ctx, PmxDb *db, const char *sql, int n,
							 const char *const *values, PmxRowFn row, void *arg);

#endif							/* PMX_ENGINE_H */
