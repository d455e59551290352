/*-------------------------------------------------------------------------
 *
 * pg_scan.c
 *	  Direct catalog reads as an SPI query would see the catalogs: index
 *	  scans rescanned per key, the query's snapshot and current_schema().
 *	  Shared by the catalog token (pg_catalog_token.c) and the column read
 *	  (pg_catalog_columns.c).
 *
 * IDENTIFICATION
 *	  pg_premix/pg_scan.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "pg_scan.h"

/* See pg_scan.h. */
void
pgpmx_rescan_begin(PgRescan *r, Oid heapid, Oid indexid, Snapshot snap, int nkeys)
{
	r->heap = table_open(heapid, AccessShareLock);
	r->index = index_open(indexid, AccessShareLock);
	r->slot = table_slot_create(r->heap, NULL);
	r->scan = index_beginscan(r->heap, r->index, snap, nkeys, 0);
	r->cxt = CurrentMemoryContext;
}

/* See pg_scan.h. */
void
pgpmx_rescan(PgRescan *r, ScanKey keys, int nkeys)
{
	MemoryContext old = MemoryContextSwitchTo(r->cxt);

	index_rescan(r->scan, keys, nkeys, NULL, 0);
	MemoryContextSwitchTo(old);
}

/* See pg_scan.h. */
void
pgpmx_rescan_oid(PgRescan *r, Oid oid)
{
	ScanKeyData key;

	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(oid));
	pgpmx_rescan(r, &key, 1);
}

/* See pg_scan.h. */
HeapTuple
pgpmx_rescan_next(PgRescan *r)
{
	MemoryContext old = MemoryContextSwitchTo(r->cxt);
	bool		found = index_getnext_slot(r->scan, ForwardScanDirection, r->slot);

	MemoryContextSwitchTo(old);
	return found ? ExecFetchSlotHeapTuple(r->slot, false, NULL) : NULL;
}

/* See pg_scan.h. */
void
pgpmx_rescan_end(PgRescan *r)
{
	index_endscan(r->scan);
	ExecDropSingleTupleTableSlot(r->slot);
	index_close(r->index, AccessShareLock);
	table_close(r->heap, AccessShareLock);
}

/* See pg_scan.h. */
Snapshot
pgpmx_query_snapshot(void)
{
	CommandCounterIncrement();
	return RegisterSnapshot(GetTransactionSnapshot());
}

/* See pg_scan.h. */
Oid
pgpmx_current_schema(void)
{
	List	   *path = fetch_search_path(false);
	Oid			nsp = path ? linitial_oid(path) : InvalidOid;

	list_free(path);
	return nsp;
}
