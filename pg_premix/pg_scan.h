/*-------------------------------------------------------------------------
 *
 * pg_scan.h
 *	  Direct catalog reads as an SPI query would see the catalogs; see
 *	  pg_scan.c.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_scan.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_SCAN_H
#define PG_SCAN_H

#include "postgres.h"

#include "access/genam.h"
#include "access/relscan.h"
#include "executor/tuptable.h"
#include "utils/relcache.h"
#include "utils/snapshot.h"

/*
 * One index scan of a catalog, run again for each key (index_rescan):
 * begun and ended per key as systable scans, the scan state was set up
 * and freed a thousand times for a thousand tables (a third of the
 * columns' part of the catalog token).
 */
typedef struct PgRescan
{
	Relation	heap;
	Relation	index;
	IndexScanDesc scan;
	TupleTableSlot *slot;
	MemoryContext cxt;			/* the scan's memory: what the index AM
								 * allocates as it goes (a btree's list of
								 * dead items) must live as long as the scan */
} PgRescan;

/*
 * Open catalog heapid and its index indexid for rescans of nkeys keys, in
 * the current memory context, which must outlive the scan.
 */
void		pgpmx_rescan_begin(PgRescan *r, Oid heapid, Oid indexid, Snapshot snap, int nkeys);

/* Scan again, for keys[0..nkeys) (index columns numbered from 1). */
void		pgpmx_rescan(PgRescan *r, ScanKey keys, int nkeys);

/* Scan again, for rows whose first index column is oid. */
void		pgpmx_rescan_oid(PgRescan *r, Oid oid);

/*
 * The next row of the current keys' scan, or NULL; it is in the scan's own
 * slot, valid until the next call on this scan.
 */
HeapTuple	pgpmx_rescan_next(PgRescan *r);

/* Close what pgpmx_rescan_begin opened. */
void		pgpmx_rescan_end(PgRescan *r);

/*
 * The snapshot an SPI query would take at this point, registered (the
 * caller unregisters it): this transaction's last DDL made visible first,
 * then the transaction's snapshot in REPEATABLE READ, a new one in READ
 * COMMITTED.  Not the catalog snapshot: what is read must be the schema
 * the SQL it stands for would read.
 */
Snapshot	pgpmx_query_snapshot(void);

/*
 * current_schema() as premix's catalog queries read it: the first schema
 * of search_path, InvalidOid when there is none.
 */
Oid			pgpmx_current_schema(void);

#endif							/* PG_SCAN_H */
