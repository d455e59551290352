/*-------------------------------------------------------------------------
 *
 * pmx_shadow_trim.h
 *	  Taking a changed table's unchanged objects from the live model
 *	  instead of the shadow (PostgreSQL); see pmx_shadow_trim.c.
 *
 * IDENTIFICATION
 *	  shared/pmx_shadow_trim.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_SHADOW_TRIM_H
#define PMX_SHADOW_TRIM_H

#include "pmx_model.h"

/* The live objects a trimmed table leaves out of the shadow. */
typedef struct PmxKept
{
	const PmxIndex **indexes;
	int			nindexes;
	const PmxForeignKey **fks;
	int			nfks;
	const PmxCheck **checks;
	int			nchecks;
} PmxKept;

/*
 * A copy of target table jt for the shadow, without the indexes, foreign
 * keys and checks that live table lt already has in the same form; those
 * are listed in *kept.  NULL on OOM.
 */
PmxTable   *pmx_shadow_trim(PmxCtx *ctx, const PmxTable *jt, const PmxTable *lt,
							PmxKept *kept);

/* Add copies of the kept live objects to rt (the shadow's table). */
int			pmx_shadow_splice(PmxCtx *ctx, PmxTable *rt, const PmxKept *kept);

#endif							/* PMX_SHADOW_TRIM_H */
