/*-------------------------------------------------------------------------
 *
 * pmx_rename.h
 *	  Matching and rename detection (see pmx_rename.c).
 *
 * IDENTIFICATION
 *	  shared/pmx_rename.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_RENAME_H
#define PMX_RENAME_H

#include "pmx_plan.h"

int			pmx_match(PmxCtx *ctx, PmxDiff *d, const PmxOptions *opts);

#endif							/* PMX_RENAME_H */
