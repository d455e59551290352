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
	/* set by pmx_shadow_declare: the target's own keys and indexes, taken
	 * as declared (the shadow only checks that their columns sort) */
	const PmxKey *decl_pk;
	const PmxKey **decl_uniques;
	int			ndecl_uniques;
	const PmxIndex **decl_indexes;
	int			ndecl_indexes;
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

/*
 * Take the named primary key, unique constraints and plain indexes of t (a
 * table going to the shadow, which no foreign key in the shadow
 * references) out of it: on plain columns, btree, without predicate or
 * INCLUDE list, they are spelled by their names alone, and the server
 * would only build empty indexes for them.  A declared primary key's
 * columns are made NOT NULL in t, as the server makes them.  Adds to
 * *kept; PMX_ERROR on OOM.
 */
int			pmx_shadow_declare(PmxCtx *ctx, PmxTable *t, PmxKept *kept);

/*
 * The statements that check, in the shadow, that the columns of each key
 * and index kept declares (on table t) can be sorted, as a btree needs:
 * a "SELECT ... ORDER BY" over them each, handed to add(arg, sql, what)
 * with what naming the object.  PMX_ERROR on OOM or when add fails.
 */
int			pmx_shadow_declare_checks(PmxCtx *ctx, const char *table, const PmxKept *kept,
									  int (*add) (void *arg, const char *sql, const char *what),
									  void *arg);

/* Add copies of the kept live objects to rt (the shadow's table). */
int			pmx_shadow_splice(PmxCtx *ctx, PmxTable *rt, const PmxKept *kept);

#endif							/* PMX_SHADOW_TRIM_H */
