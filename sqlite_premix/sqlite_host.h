/*-------------------------------------------------------------------------
 *
 * sqlite_host.h
 *	  The SQLite side of the core's host interface.
 *
 * IDENTIFICATION
 *	  sqlite_premix/sqlite_host.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SQLITE_HOST_H
#define SQLITE_HOST_H

#include <sqlite3ext.h>

#include "premix.h"

/* A PmxDb over connection db; in_transaction from sqlite3_get_autocommit. */
void		sqlpmx_db_init(PmxDb *pdb, sqlite3 *db);

/* A context whose memory comes from sqlite3_malloc64; NULL on OOM. */
PmxCtx	   *sqlpmx_ctx_new(PmxPool *pool);	/* pool: NULL or the connection's */
PmxPool    *sqlpmx_pool_new(void);	/* NULL on OOM */
PmxSchemaCache *sqlpmx_schema_cache_new(PmxPool *pool);	/* NULL on OOM */

/* The context's error as text (sqlite3_free it); NULL on OOM. */
char	   *sqlpmx_error_text(PmxCtx *ctx);

/* Refuse to run when another statement of the connection is mid-step. */
int			sqlpmx_check_idle(PmxCtx *ctx, sqlite3 *db);

/* Record a failed statement's error (rc, msg from SQLite); PMX_ERROR. */
int			sqlpmx_report(PmxCtx *ctx, sqlite3 *db, int rc, const char *msg,
						  const char *sql);

/* PmxDb.exec_script over sqlite3_prepare_v2 (sqlite_script.c). */
int			sqlpmx_exec_script(void *ud, PmxCtx *ctx, const char *sql,
							   PmxStmtFn each, void *arg);

#endif							/* SQLITE_HOST_H */
