/*-------------------------------------------------------------------------
 *
 * pmx_trash.h
 *	  The trash: what DROP TABLE / DROP COLUMN steps remove is kept, and
 *	  their down SQL restores it (see pmx_trash.c).
 *
 * IDENTIFICATION
 *	  shared/pmx_trash.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_TRASH_H
#define PMX_TRASH_H

#include "pmx_plan.h"

#define PMX_TRASH_PREFIX "premix_trash_"	/* SQLite: trash tables in main */
#define PMX_PG_TRASH_SCHEMA "premix_trash"	/* PostgreSQL: the trash schema */

/* Rewrite plan's drop steps to keep what they remove.  PMX_ERROR on OOM or a failed query. */
int			pmx_trash_plan(PmxCtx *ctx, PmxDb *db, PmxDiff *d, PmxPlan *plan);

#endif							/* PMX_TRASH_H */
