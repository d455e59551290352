/*-------------------------------------------------------------------------
 *
 * premix.h
 *	  The public API of the premix core: the only header a host includes.
 *
 * The core is host-independent C11.  It never includes a PostgreSQL,
 * SQLite or MySQL header, keeps no mutable global state, never exits,
 * aborts or longjmps.  Every entry point takes a PmxCtx, returns PMX_OK or
 * PMX_ERROR, and on error leaves a structured PmxError in the context.
 *
 * Memory: everything the core allocates for one call lives in the
 * context's arena and is released by pmx_ctx_free().  Strings handed back
 * to the host (plans, schema JSON, preview text, error texts) live in that
 * arena too: the host copies what must outlive the call, then frees the
 * context.
 *
 * The host talks to the core through PmxDb: "run this SQL, give me the
 * rows" plus "run this SQL".  Introspection queries, data checks, the plan
 * renderer and the apply procedure live once, here, in the core.
 *
 * IDENTIFICATION
 *	  shared/premix.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PREMIX_H
#define PREMIX_H

#include <stddef.h>

#define PREMIX_VERSION "0.1.0"
#define PMX_PLAN_FORMAT 1

#define PMX_OK 0
#define PMX_ERROR 1

/* compile-time limits */
#define PMX_MAX_IDENT 1024		/* longest identifier accepted from a target */
#define PMX_JSON_MAX_DEPTH 64	/* deepest JSON nesting the readers accept */

#if defined(__GNUC__)
#define PMX_API __attribute__((visibility("default")))
#define PMX_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PMX_API
#define PMX_PRINTF(f, a)
#endif

/* Error classes.  Each maps to one fixed SQLSTATE (see pmx_error.c). */
typedef enum PmxErrCode
{
	PMX_E_NONE = 0,
	PMX_E_JSON,					/* malformed JSON: 22P02 */
	PMX_E_INVALID,				/* invalid target or plan content: 22023 */
	PMX_E_DUPLICATE,			/* duplicate object name: 42710 */
	PMX_E_UNKNOWN_OBJECT,		/* reference to a missing object: 42704 */
	PMX_E_UNSUPPORTED,			/* the dialect cannot express it: 0A000 */
	PMX_E_DEPENDENT,			/* a view or trigger depends on it: 2BP01 */
	PMX_E_DESTRUCTIVE,			/* destructive step not allowed: 55000 */
	PMX_E_BLOCKED_NULLS,		/* blocked: NULLs under NOT NULL: 23502 */
	PMX_E_BLOCKED_UNIQUE,		/* blocked: duplicates under UNIQUE/PK: 23505 */
	PMX_E_BLOCKED_FK,			/* blocked: orphans under a FK: 23503 */
	PMX_E_BLOCKED_CHECK,		/* blocked: violators, over-long values: 23514 */
	PMX_E_STALE,				/* schema changed since the plan: 40001 */
	PMX_E_HISTORY,				/* ledger conflict: edited, out of order: PX001 */
	PMX_E_SQL,					/* the database refused a statement: 58000 */
	PMX_E_MISUSE,				/* called in a way the host cannot support: 55000 */
	PMX_E_NOMEM,				/* out of memory: 53200 */
	PMX_E_INTERNAL				/* a bug: XX000 */
} PmxErrCode;

/*
 * A structured error.  message is one line, lower case, no trailing period;
 * detail and hint are full sentences or NULL.  All strings live in the
 * context arena.
 */
typedef struct PmxError
{
	PmxErrCode	code;
	char		sqlstate[6];
	const char *message;
	const char *detail;
	const char *hint;
	char		db_sqlstate[6];	/* PMX_E_SQL: the database's own SQLSTATE, or "" */
} PmxError;

typedef struct PmxCtx PmxCtx;

/* Memory the host lends the core.  alloc returns NULL only on OOM. */
typedef struct PmxAllocator
{
	void	   *ud;
	void	   *(*alloc) (void *ud, size_t size);
	void		(*free) (void *ud, void *p);
} PmxAllocator;

typedef enum PmxDialect
{
	PMX_DIALECT_SQLITE = 0,
	PMX_DIALECT_POSTGRES,
	PMX_DIALECT_MYSQL
} PmxDialect;

/*
 * Row callback: values[i] is the text of column i, NULL for SQL NULL.
 * Return PMX_OK to continue, PMX_ERROR to stop (the error is in ctx).
 */
typedef int (*PmxRowFn) (void *arg, int ncols, const char *const *values);

/*
 * Statement callback of exec_script: called after statement index (0-based)
 * of a script succeeded.  Return PMX_OK to go on, PMX_ERROR to stop.
 */
typedef int (*PmxStmtFn) (void *arg, int index);

/*
 * A database connection the core may use.  Callbacks receive db->ud.
 *
 * query: runs one statement, calls row() for each result row.  Returns
 *	 PMX_OK, or PMX_ERROR after pmx_error_sql() / a row() error.  A text
 *	 that starts with PMX_SAME_QUERY is one of the core's catalog queries,
 *	 run with that same text on every call: the host may keep its plan.
 * exec: runs one or more statements that return no rows, same contract.
 * shadow_open: gives a fresh empty scratch database of the same dialect
 *	 (SQLite: a private :memory: connection) in *out; PMX_ERROR on failure.
 *	 NULL if the host has none.
 * shadow_close: releases what shadow_open made; never fails.
 * in_transaction: nonzero when the caller already holds an open
 *	 transaction (SQLite: !sqlite3_get_autocommit()).
 * exec_batch: runs sql[0..n) in order, each one statement, as one unit;
 *	 on failure sets *failed_at to the index of the statement that failed.
 *	 NULL = the core calls exec once per statement.  (PostgreSQL's shadow:
 *	 one subtransaction for all its DDL instead of one per statement.)
 * savepoint: begins, releases or rolls back (and releases) the apply's
 *	 subtransaction where SQL cannot (PostgreSQL: an internal
 *	 subtransaction); NULL = the core runs SAVEPOINT statements.
 * exec_script: runs a user's migration script (any number of statements,
 *	 as written) and, when each is not NULL, calls it after every statement
 *	 (SQLite; PostgreSQL passes NULL and runs the text at once).  Refuses
 *	 transaction control (BEGIN, COMMIT, ...) with PMX_E_INVALID: the
 *	 script runs inside premix's own transaction.  A failed statement is
 *	 reported with pmx_error_sql() and, when the database gave one,
 *	 pmx_error_sql_state().
 */
#define PMX_SAME_QUERY "/* premix catalog query */ "

typedef enum PmxSavepointOp
{
	PMX_SP_BEGIN,
	PMX_SP_RELEASE,
	PMX_SP_ROLLBACK
} PmxSavepointOp;

/* The catalog queries of shared/pmx_introspect_pg.c a host may answer itself. */
typedef enum PmxCatalogPart
{
	PMX_CATALOG_COLUMNS,
	PMX_CATALOG_CONSTRAINTS,
	PMX_CATALOG_INDEXES,
	PMX_CATALOG_ENUMS,
	PMX_CATALOG_NPARTS
} PmxCatalogPart;

typedef struct PmxDb PmxDb;
typedef struct PmxSchemaCache PmxSchemaCache;
struct PmxDb
{
	void	   *ud;
	PmxDialect	dialect;
	int			in_transaction;
	int			(*query) (void *ud, PmxCtx *ctx, const char *sql,
						  PmxRowFn row, void *arg);
	int			(*exec) (void *ud, PmxCtx *ctx, const char *sql);
	int			(*shadow_open) (void *ud, PmxCtx *ctx, PmxDb *out);
	void		(*shadow_close) (PmxDb *shadow);
	int			(*savepoint) (void *ud, PmxCtx *ctx, PmxSavepointOp op);
	int			(*exec_batch) (void *ud, PmxCtx *ctx, char *const *sql, int n,
							   int *failed_at);
	int			(*exec_script) (void *ud, PmxCtx *ctx, const char *sql,
								PmxStmtFn each, void *arg);
	/*
	 * Optional (PostgreSQL): the server's own reading of n column types as
	 * premix writes them in CREATE TABLE, without creating anything.  For
	 * each type, in order, row(arg, 3, v): v[0] the type as given, v[1]
	 * format_type() of the type and typmod it names, or NULL when the
	 * server would not take it as a plain column type the caller may use
	 * (unknown, malformed, a pseudo or composite type, no USAGE: such a
	 * column goes through the shadow, which says why), v[2] "t" when the
	 * type has a default btree operator class and an ordering (a key or
	 * plain index over it can be built), else "f".  The values are the
	 * host's (copy what is kept).  PMX_ERROR when the host or row fails.
	 */
	int			(*spell_types) (void *ud, PmxCtx *ctx, const char *const *types, int n,
								PmxRowFn row, void *arg);
	/*
	 * Optional (PostgreSQL): query, same contract, with the values of
	 * $1..$n (text, NULL for SQL NULL) passed apart from its text, so
	 * that a long value (a ledger row's SQL and schema) is neither quoted
	 * into the statement nor lexed out of it again.  NULL: the core
	 * writes the values into the text as literals.
	 */
	int			(*query_params) (void *ud, PmxCtx *ctx, const char *sql, int n,
								 const char *const *values, PmxRowFn row, void *arg);
	/*
	 * Optional (PostgreSQL): the catalog token of the current schema, the
	 * string q_token's SQL would return (shared/pmx_introspect_pg.c), read
	 * by the host's own means; row(arg, 1, v) once, v[0] NULL when the
	 * schema has no rows.  NULL: the core runs q_token.
	 */
	int			(*catalog_token) (void *ud, PmxCtx *ctx, PmxRowFn row, void *arg);
	/*
	 * Optional (PostgreSQL): the rows of the catalog queries of
	 * shared/pmx_introspect_pg.c (the columns, q_serials and q_columns; the
	 * constraints; the indexes; the enum types) for the current schema's
	 * tables named in only[0..nonly), or all of them when only is NULL,
	 * read by the host's own means under one snapshot: rows[part](arg, n,
	 * v) per row, part after part in that order, each value the text that
	 * query gives (NULL for NULL), rows in that query's order (the
	 * columns' in any); the enum types are the schema's whatever only
	 * names.  PMX_ERROR when the host or a row fails.  NULL: the core runs
	 * the queries.
	 */
	int			(*read_catalog) (void *ud, PmxCtx *ctx, char *const *only, int nonly,
								 const PmxRowFn rows[PMX_CATALOG_NPARTS], void *arg);
	int			temp_only;		/* a shadow holding only temporary tables, which
								 * cannot reference the live (permanent) ones */
	PmxSchemaCache *cache;		/* the connection's live model between calls,
								 * or NULL (SQLite; see pmx_schema_cache.c) */
};

/*
 * What a failed call could not undo itself (typically out of memory while
 * cleaning up): the host must do it after pmx_ctx_free() has returned the
 * memory.  savepoint_open: roll back premix's savepoint (ROLLBACK when
 * began_transaction, else ROLLBACK TO and RELEASE premix_apply);
 * foreign_keys / legacy_alter_table: -1 nothing to do, else the value to
 * set again.
 */
typedef struct PmxPending
{
	int			savepoint_open;
	int			began_transaction;
	int			foreign_keys;
	int			legacy_alter_table;
} PmxPending;

/*
 * A pool of arena blocks that outlives the calls: a host keeps one per
 * connection (SQLite) or per backend (PostgreSQL), and each call's context
 * takes its blocks from it and gives them back at pmx_ctx_free, so that
 * memory already faulted in is reused instead of returned to the system and
 * faulted in again by the next call.  The pool keeps at most keep_bytes;
 * its allocator must outlive every context that uses the pool.
 * pmx_pool_new returns NULL on OOM; pmx_pool_free(NULL) is a no-op.
 */
typedef struct PmxPool PmxPool;
PmxPool    *pmx_pool_new(const PmxAllocator *allocator, size_t keep_bytes);
void		pmx_pool_free(PmxPool *pool);
size_t		pmx_pool_kept(const PmxPool *pool);	/* bytes held now */

/*
 * The live model kept between a connection's calls (pmx_schema_cache.c):
 * the host creates one per connection, puts it in PmxDb.cache, and frees
 * it when the connection closes (before the pool, when it is given one for
 * the model's blocks).  NULL on OOM; free(NULL) is a no-op.
 */
PmxSchemaCache *pmx_schema_cache_new(const PmxAllocator *allocator, PmxPool *pool);
void		pmx_schema_cache_free(PmxSchemaCache *cache);
void		pmx_schema_cache_stats(const PmxSchemaCache *cache, long *hits, long *misses);

/* context */
PmxCtx	   *pmx_ctx_new(const PmxAllocator *allocator);	/* NULL on OOM */
/* the same, the arena's blocks coming from pool (NULL: none) */
PmxCtx	   *pmx_ctx_new_pooled(const PmxAllocator *allocator, PmxPool *pool);
void		pmx_ctx_free(PmxCtx *ctx);	/* frees the arena and all results */
/*
 * Give the arena's blocks back (to the pool or the allocator) but keep the
 * context itself: for a host whose error path frees the context's memory
 * by other means (PostgreSQL's memory context reset at abort).  Nothing
 * of the arena may be used afterwards.
 */
void		pmx_ctx_release_arena(PmxCtx *ctx);
const PmxError *pmx_ctx_error(const PmxCtx *ctx);
PmxPending	pmx_ctx_pending(const PmxCtx *ctx);

/*
 * The result of a writing call (apply, migrate, run, rollback, purge), as
 * a block from the host's allocator made before the commit: the host owns
 * it (frees it with its allocator) and can hand it on without allocating.
 * NULL for other calls or when already taken.
 */
char	   *pmx_ctx_take_output(PmxCtx *ctx);

/* forget the current error (a host that recovered from it) */
void		pmx_ctx_clear_error(PmxCtx *ctx);

/* report a database error from a host callback (message copied) */
int			pmx_error_sql(PmxCtx *ctx, const char *db_message, const char *sql);

/*
 * After pmx_error_sql(): the database's own SQLSTATE for that error
 * (PostgreSQL's, or SQLite's constraint codes mapped to 23502/23505/
 * 23503/23514), which premix_run uses to tell a data failure from others.
 */
void		pmx_error_sql_state(PmxCtx *ctx, const char *sqlstate);

/* report a host-detected error; texts are copied, detail/hint may be NULL */
int			pmx_error_report(PmxCtx *ctx, PmxErrCode code, const char *message,
							 const char *detail, const char *hint);

/*
 * Entry points.  Outputs are NUL-terminated strings in the ctx arena.
 * options may be NULL.  All return PMX_OK or PMX_ERROR.
 */
int			pmx_schema(PmxCtx *ctx, PmxDb *live, const char *options,
					   char **out_json);
int			pmx_diff(PmxCtx *ctx, PmxDb *live, const char *target,
					 const char *options, char **out_plan);
int			pmx_preview(PmxCtx *ctx, PmxDb *live, const char *target_or_plan,
						const char *options, char **out_text);
int			pmx_apply(PmxCtx *ctx, PmxDb *live, const char *plan,
					  int allow_destructive, const char *label,
					  char **out_result);
int			pmx_migrate(PmxCtx *ctx, PmxDb *live, const char *target,
						int allow_destructive, const char *options,
						char **out_result);

/* history (pmx_script.c, pmx_run.c, pmx_history.c) */
int			pmx_script(PmxCtx *ctx, PmxDb *live, const char *plan, char **out_json);
int			pmx_run(PmxCtx *ctx, PmxDb *live, const char *version, const char *name,
					const char *up_sql, const char *down_sql, int allow_destructive,
					const char *options, char **out_result);
int			pmx_rollback(PmxCtx *ctx, PmxDb *live, const char *version,
						 char **out_result);
int			pmx_status(PmxCtx *ctx, PmxDb *live, char **out_json);
int			pmx_purge(PmxCtx *ctx, PmxDb *live, const char *older_than,
					  int allow_destructive, char **out_result);

/*
 * MySQL/MariaDB, from documents (pmx_diff_docs.c); need no database:
 * the plan for target against the current schema document, and the
 * preview text of a plan.
 */
int			pmx_diff_docs(PmxCtx *ctx, const char *current, const char *target,
						  const char *options, char **out_plan);
int			pmx_preview_doc(PmxCtx *ctx, const char *plan_json, char **out_text);

/* parity of two schema documents (pmx_parity.c); needs no database */
int			pmx_parity(PmxCtx *ctx, const char *a_json, const char *b_json,
					   char **out_json);

#endif							/* PREMIX_H */
