/*-------------------------------------------------------------------------
 *
 * pg_subxact.h
 *	  Code run in an internal subtransaction, its error caught; see
 *	  pg_subxact.c.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_subxact.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_SUBXACT_H
#define PG_SUBXACT_H

#include "postgres.h"

/*
 * Run body(arg) in an internal subtransaction: released when body returns,
 * rolled back when it throws.  Either way the caller's memory context and
 * resource owner are current again afterwards.  Returns NULL when body
 * returned, else a copy of the error (in the caller's memory context; the
 * caller frees it with FreeErrorData).  What body changes in *arg survives
 * the throw; its own locals do not.
 */
ErrorData  *pgpmx_subxact(void (*body) (void *arg), void *arg);

#endif							/* PG_SUBXACT_H */
