/*-------------------------------------------------------------------------
 *
 * pg_catalog_token.h
 *	  The catalog token by direct catalog scans; see pg_catalog_token.c.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_catalog_token.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_CATALOG_TOKEN_H
#define PG_CATALOG_TOKEN_H

#include "postgres.h"

#include "premix.h"

#ifdef HAVE_INT128
/* PmxDb.catalog_token for the calling backend; see premix.h. */
int			pgpmx_catalog_token(void *ud, PmxCtx *ctx, PmxRowFn row, void *arg);
#endif

#endif							/* PG_CATALOG_TOKEN_H */
