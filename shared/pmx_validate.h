/*-------------------------------------------------------------------------
 *
 * pmx_validate.h
 *	  Target validation and completion (see pmx_validate.c).
 *
 * IDENTIFICATION
 *	  shared/pmx_validate.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_VALIDATE_H
#define PMX_VALIDATE_H

#include "pmx_engine.h"

int			pmx_validate_target(PmxCtx *ctx, PmxSchema *target, PmxSchema *live,
								const PmxOptions *opts);
bool		pmx_index_same_def(PmxDialect d, const PmxTable *ta, const PmxIndex *a,
							   const PmxTable *tb, const PmxIndex *b);

#endif							/* PMX_VALIDATE_H */
