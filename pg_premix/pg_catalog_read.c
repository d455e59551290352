/*-------------------------------------------------------------------------
 *
 * pg_catalog_read.c
 *	  The rows of premix's catalog queries (shared/pmx_introspect_pg.c:
 *	  columns, constraints, indexes, enum types) read by scanning the
 *	  system catalogs directly instead of by SQL.
 *
 * The queries' rows are the core's definition of the schema; here the
 * same rows, value for value, come from index scans rescanned per table
 * (pg_scan.c), and the server's own functions spell what the queries have
 * it spell (format_type(), pg_get_expr(), pg_get_indexdef()), so the core
 * reads them with the same code.  pg_regress native_reads and the
 * isolation spec token_snapshot compare the two readings.  As SQL, the
 * planning of three wide queries in a fresh backend and the executor's
 * joins and subqueries were most of the apply's read-back of the tables
 * it changed.
 *
 * One call reads the four parts under one snapshot (the queries took one
 * each) and looks the tables up once.  The scans use the snapshot an SPI
 * query would take; what the server's
 * functions look up (types, collations, access methods, a relation's
 * column names) comes from the syscache, as those functions take it in
 * the SQL too.
 *
 * This file: the entry point (a subtransaction, so that an error is the
 * call's, not the backend's), the tables a reading covers, the enum
 * types, and helpers; the other parts are in pg_catalog_columns.c and
 * pg_catalog_keys.c.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_catalog_read.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_class.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "pg_catalog_read.h"
#include "pg_scan.h"
#include "pg_subxact.h"

/* What one call asks for. */
typedef struct Call
{
	PgReader	r;
	const PmxRowFn *rows;		/* per part */
	char	   *const *only;	/* tables named, or NULL for the schema's */
	int			nonly;
} Call;

/* Keep table (oid, relkind, relname) when it is a table or a partitioned one. */
static void
keep_table(PgReader *r, Form_pg_class c, int *cap)
{
	if (c->relkind != RELKIND_RELATION && c->relkind != RELKIND_PARTITIONED_TABLE)
		return;
	if (r->ntables == *cap)
	{
		*cap = *cap ? *cap * 2 : 64;
		r->tables = r->tables ? repalloc(r->tables, sizeof(PgTable) * *cap)
			: palloc(sizeof(PgTable) * *cap);
	}
	r->tables[r->ntables].oid = c->oid;
	r->tables[r->ntables].kind = c->relkind;
	r->tables[r->ntables].name = pstrdup(NameStr(c->relname));
	r->ntables++;
}

/* qsort comparator of tables by oid. */
static int
cmp_table(const void *a, const void *b)
{
	Oid			x = ((const PgTable *) a)->oid,
				y = ((const PgTable *) b)->oid;

	return x < y ? -1 : x > y;
}

/*
 * The tables to read, by oid (the queries' order): those of only found in
 * the schema, each once, as "relname = ANY ($1::name[])" finds them (a
 * name is cut to NAMEDATALEN as a name[] element is), else every table of
 * the schema.
 */
static void
find_tables(PgReader *r, char *const *only, int nonly)
{
	int			cap = 0,
				kept = 0;

	if (only)
	{
		PgRescan	s;

		pgpmx_rescan_begin(&s, RelationRelationId, ClassNameNspIndexId, r->snap, 2);
		for (int i = 0; i < nonly; i++)
		{
			ScanKeyData key[2];
			HeapTuple	tup;

			/* index columns: relname 1, relnamespace 2 */
			ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_NAMEEQ,
						DirectFunctionCall1(namein, CStringGetDatum(only[i])));
			ScanKeyInit(&key[1], 2, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(r->nsp));
			pgpmx_rescan(&s, key, 2);
			while (HeapTupleIsValid(tup = pgpmx_rescan_next(&s)))
				keep_table(r, (Form_pg_class) GETSTRUCT(tup), &cap);
		}
		pgpmx_rescan_end(&s);
	}
	else
	{
		Relation	rel = table_open(RelationRelationId, AccessShareLock);
		ScanKeyData key;
		SysScanDesc scan;
		HeapTuple	tup;

		ScanKeyInit(&key, Anum_pg_class_relnamespace, BTEqualStrategyNumber, F_OIDEQ,
					ObjectIdGetDatum(r->nsp));
		scan = systable_beginscan(rel, InvalidOid, false, r->snap, 1, &key);
		while (HeapTupleIsValid(tup = systable_getnext(scan)))
			keep_table(r, (Form_pg_class) GETSTRUCT(tup), &cap);
		systable_endscan(scan);
		table_close(rel, AccessShareLock);
	}
	if (r->ntables > 1)
		qsort(r->tables, r->ntables, sizeof(PgTable), cmp_table);
	/* a name given twice */
	for (int i = 0; i < r->ntables; i++)
		if (kept == 0 || r->tables[kept - 1].oid != r->tables[i].oid)
			r->tables[kept++] = r->tables[i];
	r->ntables = kept;
}

/*
 * pgpmx_subxact body: the parts, their rows handed to the core part after
 * part, all under one snapshot; throws.
 */
static void
read_body(void *p)
{
	Call	   *call = p;
	PgReader   *r = &call->r;
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "premix catalog read",
											  ALLOCSET_DEFAULT_SIZES),
				old = MemoryContextSwitchTo(cxt);
	static void (*const parts[PMX_CATALOG_NPARTS]) (PgReader *) = {
		pgpmx_read_columns, pgpmx_read_constraints, pgpmx_read_indexes, pgpmx_read_enums
	};

	r->tablecxt = AllocSetContextCreate(cxt, "premix catalog read, one table",
										ALLOCSET_DEFAULT_SIZES);
	r->nsp = pgpmx_current_schema();
	if (OidIsValid(r->nsp))
	{
		r->snap = pgpmx_query_snapshot();
		/* "only" naming no table: no table's rows, the enum types all the same */
		if (!call->only || call->nonly > 0)
			find_tables(r, call->only, call->nonly);
		for (int part = 0; part < PMX_CATALOG_NPARTS && r->rc == PMX_OK; part++)
		{
			r->row = call->rows[part];
			parts[part] (r);
		}
		UnregisterSnapshot(r->snap);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
}

/* See pg_catalog_read.h. */
int
pgpmx_read_catalog(void *ud, PmxCtx *ctx, char *const *only, int nonly,
				   const PmxRowFn rows[PMX_CATALOG_NPARTS], void *arg)
{
	Call		call;
	ErrorData  *ed;

	(void) ud;
	memset(&call, 0, sizeof(call));
	call.rows = rows;
	call.only = only;
	call.nonly = nonly;
	call.r.arg = arg;
	call.r.rc = PMX_OK;
	if ((ed = pgpmx_subxact(read_body, &call)) != NULL)
	{
		/* a cancel, out of memory, ...: the call fails with it */
		pmx_error_sql(ctx, ed->message, "(premix's catalog scans)");
		pmx_error_sql_state(ctx, unpack_sql_state(ed->sqlerrcode));
		FreeErrorData(ed);
		return PMX_ERROR;
	}
	return call.r.rc;
}

/* See pg_catalog_read.h. */
void
pgpmx_each_table(PgReader *r, bool (*fn) (void *state, const PgTable *t), void *state)
{
	for (int i = 0; i < r->ntables; i++)
	{
		MemoryContext old = MemoryContextSwitchTo(r->tablecxt);
		bool		ok = fn(state, &r->tables[i]);

		MemoryContextSwitchTo(old);
		MemoryContextReset(r->tablecxt);
		if (!ok)
			break;
	}
}

/* See pg_catalog_read.h. */
bool
pgpmx_emit(PgReader *r, int n, const char **v)
{
	if (r->rc == PMX_OK && r->row(r->arg, n, v) != PMX_OK)
		r->rc = PMX_ERROR;
	return r->rc == PMX_OK;
}

/* See pg_catalog_read.h. */
char *
pgpmx_call_text(PGFunction fn, int nargs, const Datum *args)
{
	LOCAL_FCINFO(fcinfo, 3);
	Datum		result;

	Assert(nargs <= 3);
	InitFunctionCallInfoData(*fcinfo, NULL, nargs, InvalidOid, NULL, NULL);
	for (int i = 0; i < nargs; i++)
	{
		fcinfo->args[i].value = args[i];
		fcinfo->args[i].isnull = false;
	}
	result = fn(fcinfo);
	return fcinfo->isnull ? NULL : TextDatumGetCString(result);
}

/* See pg_catalog_read.h. */
char *
pgpmx_char_text(char c)
{
	return pnstrdup(&c, 1);
}

/* An enum label: its type, sort order and text. */
typedef struct Label
{
	Oid			type;
	float4		order;
	char	   *text;
} Label;

/* qsort comparator of labels by type, then sort order (q_enums' ORDER BY). */
static int
cmp_label(const void *a, const void *b)
{
	const Label *x = a,
			   *y = b;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * See pg_catalog_read.h.  The labels of every enum type (pg_enum is small:
 * one row per label in the database), kept where their type is in the
 * schema, in q_enums' order.
 */
void
pgpmx_read_enums(PgReader *r)
{
	Relation	rel = table_open(EnumRelationId, AccessShareLock);
	SysScanDesc scan = systable_beginscan(rel, InvalidOid, false, r->snap, 0, NULL);
	PgRescan	types;
	HeapTuple	tup;
	Label	   *v = NULL;
	int			n = 0,
				cap = 0;
	Oid			type = InvalidOid;
	char	   *type_name = NULL;

	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_enum e = (Form_pg_enum) GETSTRUCT(tup);

		if (n == cap)
		{
			cap = cap ? cap * 2 : 64;
			v = v ? repalloc(v, sizeof(Label) * cap) : palloc(sizeof(Label) * cap);
		}
		v[n].type = e->enumtypid;
		v[n].order = e->enumsortorder;
		v[n].text = pstrdup(NameStr(e->enumlabel));
		n++;
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	if (n > 1)
		qsort(v, n, sizeof(Label), cmp_label);
	pgpmx_rescan_begin(&types, TypeRelationId, TypeOidIndexId, r->snap, 1);
	for (int i = 0; i < n && r->rc == PMX_OK; i++)
	{
		const char *row[2];

		if (i == 0 || v[i].type != type)
		{
			/* the type, when it is in the schema (the query's join) */
			type = v[i].type;
			type_name = NULL;
			pgpmx_rescan_oid(&types, type);
			if (HeapTupleIsValid(tup = pgpmx_rescan_next(&types)) &&
				((Form_pg_type) GETSTRUCT(tup))->typnamespace == r->nsp)
				type_name = pstrdup(NameStr(((Form_pg_type) GETSTRUCT(tup))->typname));
		}
		if (!type_name)
			continue;
		row[0] = type_name;
		row[1] = v[i].text;
		pgpmx_emit(r, 2, row);
	}
	pgpmx_rescan_end(&types);
}
