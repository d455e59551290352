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
	/* set by pmx_shadow_trim_columns: the target's columns in order, each
	 * with the live column it is taken from, or NULL (made by the shadow) */
	const char **col_names;
	const PmxColumn **cols;
	int			ncols;
	const PmxKey *pk;			/* the live primary key taken, or NULL */
	const PmxKey **uniques;		/* the live unique constraints taken */
	int			nuniques;
} PmxKept;

/*
 * A copy of target table jt for the shadow, without the indexes, foreign
 * keys and checks that live table lt already has in the same form; those
 * are listed in *kept.  NULL on OOM.
 */
PmxTable   *pmx_shadow_trim(PmxCtx *ctx, const PmxTable *jt, const PmxTable *lt,
							PmxKept *kept);

/*
 * Trim t (a table pmx_shadow_trim made from target table jt) further: the
 * columns, primary key and unique constraints the target declares as live
 * table lt has them stay out of the shadow too, when nothing left in the
 * shadow could need them (no check, no index over expressions or with a
 * predicate).  Only for a table no foreign key in the shadow references.
 * Adds to *kept; PMX_ERROR on OOM.
 */
int			pmx_shadow_trim_columns(PmxCtx *ctx, PmxTable *t, const PmxTable *lt,
									PmxKept *kept);

/* Add copies of the kept live objects to rt (the shadow's table). */
int			pmx_shadow_splice(PmxCtx *ctx, PmxTable *rt, const PmxKept *kept);

#endif							/* PMX_SHADOW_TRIM_H */
