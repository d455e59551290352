/*-------------------------------------------------------------------------
 *
 * pg_plan_keep.c
 *	  The backend's prepared plans of premix's catalog queries.
 *
 * The core runs the same few catalog queries (the introspection's, the
 * catalog token) on every call, each text starting with PMX_SAME_QUERY.
 * Planning them is a few milliseconds each, every time, so their plans
 * are prepared once per backend and kept (SPI_keepplan).  The plan cache
 * of PostgreSQL keeps them valid: it plans again after a change to what
 * they read or to search_path.  The texts are compared whole, so a query
 * that changes between versions of the core is simply another entry.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_plan_keep.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "utils/memutils.h"

#include "premix.h"
#include "pg_plan_keep.h"

#define KEPT_MAX 16				/* the core has 6 such queries */

typedef struct KeptPlan
{
	char	   *sql;			/* in TopMemoryContext */
	SPIPlanPtr	plan;
} KeptPlan;

static KeptPlan kept[KEPT_MAX];
static int	nkept;

/* See pg_plan_keep.h. */
SPIPlanPtr
pgpmx_kept_plan(const char *sql)
{
	size_t		mark = strlen(PMX_SAME_QUERY);
	SPIPlanPtr	plan;
	char	   *copy;

	if (strncmp(sql, PMX_SAME_QUERY, mark) != 0)
		return NULL;
	for (int i = 0; i < nkept; i++)
		if (strcmp(kept[i].sql, sql) == 0)
			return kept[i].plan;
	if (nkept == KEPT_MAX)
		return NULL;
	/* errors are thrown, as SPI_execute's would be */
	if (!(plan = SPI_prepare(sql, 0, NULL)))
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	copy = MemoryContextStrdup(TopMemoryContext, sql);
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	kept[nkept].sql = copy;
	kept[nkept].plan = plan;
	nkept++;
	return plan;
}
