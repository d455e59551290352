/*-------------------------------------------------------------------------
 *
 * pg_rows.h
 *	  A DestReceiver that hands each result row to the core as text; see
 *	  pg_rows.c.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_rows.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_ROWS_H
#define PG_ROWS_H

#include "tcop/dest.h"

#include "premix.h"

typedef struct PgRows
{
	DestReceiver pub;			/* first: the executor sees a DestReceiver */
	PmxRowFn	row;
	void	   *arg;
	int			rc;				/* PMX_ERROR once row() failed */
	/* set up at the query's start, in its memory */
	int			natts;
	FmgrInfo   *out;			/* each column's output function */
	const char **vals;
	MemoryContext rowcxt;		/* one row's text values, reset per row */
} PgRows;

/*
 * Set up *r to call row(arg, ncols, values) for each row a query returns,
 * as it is produced: values as text (NULL for SQL NULL), lent for the
 * call.  A row() that fails stops the query; r->rc says so.
 */
void		pgpmx_rows_init(PgRows *r, PmxRowFn row, void *arg);

#endif							/* PG_ROWS_H */
