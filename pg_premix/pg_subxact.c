/*-------------------------------------------------------------------------
 *
 * pg_subxact.c
 *	  The host's one way to run server code that may throw: in an
 *	  internal subtransaction, the error caught and handed back.
 *
 * The core never sees a longjmp (see pg_premix.c): every statement it
 * runs, and every type the parser reads for it, goes through here.  This
 * is the server's own idiom (PL/pgSQL's exception blocks do the same):
 * BeginInternalSubTransaction, the body under PG_TRY, then release, or
 * roll back after copying the error out of ErrorContext.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_subxact.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "pg_subxact.h"

/* See pg_subxact.h. */
ErrorData *
pgpmx_subxact(void (*body) (void *arg), void *arg)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	ErrorData  *volatile ed = NULL;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		body(arg);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(oldcxt);
		ed = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
	}
	PG_END_TRY();
	return ed;
}
