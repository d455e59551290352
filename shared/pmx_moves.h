/*-------------------------------------------------------------------------
 *
 * pmx_moves.h
 *	  Rename ordering shared by the dialect planners (pmx_moves.c).
 *
 * IDENTIFICATION
 *	  shared/pmx_moves.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_MOVES_H
#define PMX_MOVES_H

#include "pmx_plan.h"

typedef struct PmxMovable
{
	const char *cur;			/* the name now */
	const char *want;			/* the name wanted, NULL = keep */
} PmxMovable;

typedef struct PmxMove
{
	int			idx;
	const char *from;
	const char *to;
	bool		aside;			/* a temporary name to free this one */
} PmxMove;

typedef struct PmxMoveSet
{
	PmxMovable    *m;
	int			n;
	PmxDiff    *d;
	bool		tables;
} PmxMoveSet;

/* A name like prefix+base that taken() refuses to no one; NULL on OOM. */
char	   *pmx_fresh_name(PmxCtx *ctx, const char *prefix, const char *base,
						   bool (*taken) (void *, const char *), void *arg);

/* Any live or target table or index of the diff (arg) is called name. */
bool		pmx_schema_name_taken(void *arg, const char *name);

/*
 * The renames the diff wants: of the live tables (table_moves) or of the
 * columns of live table lt (column_moves), ordered by pmx_plan_moves into
 * *out / *nout.  PMX_ERROR on OOM.
 */
int			pmx_table_moves(PmxCtx *ctx, PmxDiff *d, PmxMove **out, int *nout);
int			pmx_column_moves(PmxCtx *ctx, PmxDiff *d, PmxTable *lt, PmxMove **out, int *nout);

/*
 * Order the renames of s so each target name is free when it is taken,
 * moving an occupant aside when needed.  The moves in *out (arena).
 */
int			pmx_plan_moves(PmxCtx *ctx, PmxMoveSet *s, PmxMove **out, int *nout);

#endif							/* PMX_MOVES_H */
