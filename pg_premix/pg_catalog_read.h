/*-------------------------------------------------------------------------
 *
 * pg_catalog_read.h
 *	  The rows of premix's catalog queries read by direct catalog scans;
 *	  see pg_catalog_read.c.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_catalog_read.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_CATALOG_READ_H
#define PG_CATALOG_READ_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/snapshot.h"

#include "premix.h"

/* A table to read: pg_class's oid, relkind and relname. */
typedef struct PgTable
{
	Oid			oid;
	char		kind;
	char	   *name;
} PgTable;

/* One reading: the tables it covers and where its rows go. */
typedef struct PgReader
{
	PmxRowFn	row;			/* the current part's */
	void	   *arg;
	int			rc;				/* PMX_ERROR once row() failed */
	Snapshot	snap;			/* the snapshot an SPI query would take */
	Oid			nsp;			/* current_schema() */
	PgTable    *tables;			/* its tables (relkind r or p), by oid */
	int			ntables;
	MemoryContext tablecxt;		/* a table's values: reset after each table */
} PgReader;

/* PmxDb.read_catalog for the calling backend; see premix.h. */
int			pgpmx_read_catalog(void *ud, PmxCtx *ctx, char *const *only, int nonly,
							   const PmxRowFn rows[PMX_CATALOG_NPARTS], void *arg);

/*
 * fn(state, t) for each table t of r, in oid order, with r->tablecxt
 * current (and reset after each table); stops at the first false.
 */
void		pgpmx_each_table(PgReader *r, bool (*fn) (void *state, const PgTable *t), void *state);

/* Hand row v[0..n) to the core; false (and r->rc set) when it failed. */
bool		pgpmx_emit(PgReader *r, int n, const char **v);

/*
 * fn(args[0..nargs)) as SQL calls a strict function returning text, every
 * argument not NULL (three at most): its text (palloc'd), or NULL when it returns NULL.
 */
char	   *pgpmx_call_text(PGFunction fn, int nargs, const Datum *args);

/* "char" as text ("" for '\0'), palloc'd. */
char	   *pgpmx_char_text(char c);

/* The table parts: each table's rows, table after table, in r->tablecxt; throw. */
void		pgpmx_read_columns(PgReader *r);
void		pgpmx_read_constraints(PgReader *r);
void		pgpmx_read_indexes(PgReader *r);

/* The enum types of the schema (r->nsp) and their labels; throws. */
void		pgpmx_read_enums(PgReader *r);

#endif							/* PG_CATALOG_READ_H */
