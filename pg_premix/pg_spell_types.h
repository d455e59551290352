/*-------------------------------------------------------------------------
 *
 * pg_spell_types.h
 *	  The server's spelling of column types without a shadow table; see
 *	  pg_spell_types.c.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_spell_types.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_SPELL_TYPES_H
#define PG_SPELL_TYPES_H

#include "premix.h"

/* PmxDb.spell_types for the calling backend; see premix.h. */
int			pgpmx_spell_types(void *ud, PmxCtx *ctx, const char *const *types, int n,
							  PmxRowFn row, void *arg);

#endif							/* PG_SPELL_TYPES_H */
