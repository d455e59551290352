/*-------------------------------------------------------------------------
 *
 * pg_plan_keep.h
 *	  The backend's prepared plans of premix's catalog queries; see
 *	  pg_plan_keep.c.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_plan_keep.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_PLAN_KEEP_H
#define PG_PLAN_KEEP_H

#include "executor/spi.h"

/*
 * The kept plan of sql when it starts with PMX_SAME_QUERY (prepared and
 * kept on its first use, inside the caller's SPI connection), else NULL
 * (run it with SPI_execute).  Throws an ERROR as SPI_execute would.
 */
SPIPlanPtr	pgpmx_kept_plan(const char *sql);

#endif							/* PG_PLAN_KEEP_H */
