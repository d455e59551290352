/*-------------------------------------------------------------------------
 *
 * pg_catalog_columns.h
 *	  The column query's rows by direct catalog scans; see
 *	  pg_catalog_columns.c.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_catalog_columns.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_CATALOG_COLUMNS_H
#define PG_CATALOG_COLUMNS_H

#include "premix.h"

/* PmxDb.read_columns for the calling backend; see premix.h. */
int			pgpmx_read_columns(void *ud, PmxCtx *ctx, char *const *only, int nonly,
							   PmxRowFn row, void *arg);

#endif							/* PG_CATALOG_COLUMNS_H */
