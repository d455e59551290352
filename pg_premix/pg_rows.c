/*-------------------------------------------------------------------------
 *
 * pg_rows.c
 *	  The rows of premix's queries streamed to the core as text.
 *
 * SPI's default receiver copies every result row into a tuple table and
 * SPI_getvalue() then looks the output function of a column up again for
 * every value; a catalog read of a thousand tables is some 17,000 rows of
 * a dozen columns.  This receiver looks each column's output function up
 * once per query and hands every row to the core's callback as it comes
 * out of the executor, its text values in a memory context reset after
 * each row.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_rows.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/tupdesc.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "pg_rows.h"

/* rStartup: the columns' output functions, in the query's memory. */
static void
rows_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
	PgRows	   *r = (PgRows *) self;

	(void) operation;
	r->natts = typeinfo->natts;
	r->out = palloc(sizeof(FmgrInfo) * (r->natts + 1));
	r->vals = palloc(sizeof(char *) * (r->natts + 1));
	for (int i = 0; i < r->natts; i++)
	{
		Oid			func;
		bool		varlena;

		getTypeOutputInfo(TupleDescAttr(typeinfo, i)->atttypid, &func, &varlena);
		fmgr_info(func, &r->out[i]);
	}
	r->rowcxt = AllocSetContextCreate(CurrentMemoryContext, "premix row",
									  ALLOCSET_SMALL_SIZES);
}

/* receiveSlot: one row to the core; false (stop) once the core failed. */
static bool
rows_receive(TupleTableSlot *slot, DestReceiver *self)
{
	PgRows	   *r = (PgRows *) self;
	MemoryContext old;

	if (r->rc != PMX_OK)
		return false;
	slot_getallattrs(slot);
	old = MemoryContextSwitchTo(r->rowcxt);
	for (int i = 0; i < r->natts; i++)
		r->vals[i] = slot->tts_isnull[i] ? NULL
			: OutputFunctionCall(&r->out[i], slot->tts_values[i]);
	MemoryContextSwitchTo(old);
	if (r->row(r->arg, r->natts, r->vals) != PMX_OK)
		r->rc = PMX_ERROR;
	MemoryContextReset(r->rowcxt);
	return r->rc == PMX_OK;
}

/* rShutdown: the row memory goes (the rest goes with the query's). */
static void
rows_shutdown(DestReceiver *self)
{
	PgRows	   *r = (PgRows *) self;

	if (r->rowcxt)
		MemoryContextDelete(r->rowcxt);
	r->rowcxt = NULL;
}

/* rDestroy: *r belongs to the caller. */
static void
rows_destroy(DestReceiver *self)
{
	(void) self;
}

/* See pg_rows.h. */
void
pgpmx_rows_init(PgRows *r, PmxRowFn row, void *arg)
{
	memset(r, 0, sizeof(*r));
	r->pub.receiveSlot = rows_receive;
	r->pub.rStartup = rows_startup;
	r->pub.rShutdown = rows_shutdown;
	r->pub.rDestroy = rows_destroy;
	r->pub.mydest = DestNone;
	r->row = row;
	r->arg = arg;
	r->rc = PMX_OK;
}
