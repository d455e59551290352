/*-------------------------------------------------------------------------
 *
 * pg_catalog_columns.c
 *	  The rows of premix's column query (q_serials and q_columns in
 *	  shared/pmx_introspect_pg.c), read by scanning the system catalogs
 *	  directly instead of by SQL.
 *
 * The query's rows are the core's definition of a column; here the same
 * rows, value for value, come from index scans rescanned per table, and
 * the server's own functions spell what the query has it spell
 * (format_type(), pg_get_expr(), quote_ident() and quote_literal() for
 * the serial test), so the core reads them with the same code (pg_regress
 * native_reads compares the two readings).  Run as SQL, planning it in a
 * fresh backend and the executor's joins, lateral subqueries and the
 * serial CTE were most of the apply's read-back of its tables.
 *
 * The scans use the snapshot an SPI query would take (pg_scan.c); the
 * type's collation and the collation's name come from the syscache, as
 * format_type() and pg_get_expr() take everything they read.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_catalog_columns.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/pg_attrdef.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_description.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "pg_catalog_columns.h"
#include "pg_scan.h"
#include "pg_subxact.h"

/* the values of one row, in q_columns' order */
enum
{
	V_TABLE, V_KIND, V_COLUMN, V_TYPE, V_NOT_NULL, V_DEFAULT, V_COLLATION,
	V_IDENTITY, V_GENERATED, V_SERIAL, V_TABLE_COMMENT, V_COLUMN_COMMENT,
	V_SEQUENCE, V_ATTNUM, NVALUES
};

/* A table to read: pg_class's oid, relkind and relname. */
typedef struct Table
{
	Oid			oid;
	char		kind;
	char	   *name;
} Table;

/* A comment (objsubid 0: the table's) or a serial sequence (subid: its column). */
typedef struct Tagged
{
	int			subid;
	char	   *text;
} Tagged;

/* What one call reads, and where its rows go. */
typedef struct Reader
{
	char	   *const *only;	/* tables named, or NULL for the schema's */
	int			nonly;
	PmxRowFn	row;
	void	   *arg;
	int			rc;				/* PMX_ERROR once row() failed */
	Snapshot	snap;
	Oid			nsp;
	Table	   *tables;
	int			ntables;
	PgRescan	attrs,			/* pg_attribute by (attrelid, attnum) */
				defs,			/* pg_attrdef by (adrelid, adnum) */
				descrs,			/* pg_description by (objoid, classoid) */
				deps,			/* pg_depend by (refclassid, refobjid) */
				classes;		/* pg_class by oid */
	Tagged	   *comments;		/* the current table's */
	int			ncomments;
	Tagged	   *serials;		/* the current table's */
	int			nserials;
} Reader;

/* Append (subid, text) to a palloc'd array of *n entries (capacity grows by doubling). */
static Tagged *
tagged_add(Tagged *v, int *n, int subid, char *text)
{
	if (*n == 0)
		v = palloc(sizeof(Tagged) * 8);
	else if (*n >= 8 && (*n & (*n - 1)) == 0)
		v = repalloc(v, sizeof(Tagged) * (*n) * 2);
	v[*n].subid = subid;
	v[*n].text = text;
	(*n)++;
	return v;
}

/* Keep table (oid, relkind, relname) when it is a table or a partitioned one. */
static void
keep_table(Reader *r, Form_pg_class c, int *cap)
{
	if (c->relkind != RELKIND_RELATION && c->relkind != RELKIND_PARTITIONED_TABLE)
		return;
	if (r->ntables == *cap)
	{
		*cap = *cap ? *cap * 2 : 64;
		r->tables = r->tables ? repalloc(r->tables, sizeof(Table) * *cap)
			: palloc(sizeof(Table) * *cap);
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
	Oid			x = ((const Table *) a)->oid,
				y = ((const Table *) b)->oid;

	return x < y ? -1 : x > y;
}

/*
 * The tables to read: those of r->only found in the schema (each once, as
 * "relname = ANY ($1::name[])" finds them: a name is cut to NAMEDATALEN
 * as a name[] element is), else every table of the schema.
 */
static void
find_tables(Reader *r)
{
	int			cap = 0;

	if (r->only)
	{
		PgRescan	s;
		int			kept = 0;

		pgpmx_rescan_begin(&s, RelationRelationId, ClassNameNspIndexId, r->snap, 2);
		for (int i = 0; i < r->nonly; i++)
		{
			Datum		name = DirectFunctionCall1(namein, CStringGetDatum(r->only[i]));
			ScanKeyData key[2];
			HeapTuple	tup;

			/* index columns: relname 1, relnamespace 2 */
			ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_NAMEEQ, name);
			ScanKeyInit(&key[1], 2, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(r->nsp));
			pgpmx_rescan(&s, key, 2);
			while (HeapTupleIsValid(tup = pgpmx_rescan_next(&s)))
				keep_table(r, (Form_pg_class) GETSTRUCT(tup), &cap);
		}
		pgpmx_rescan_end(&s);
		/* a name given twice */
		if (r->ntables > 1)
			qsort(r->tables, r->ntables, sizeof(Table), cmp_table);
		for (int i = 0; i < r->ntables; i++)
			if (kept == 0 || r->tables[kept - 1].oid != r->tables[i].oid)
				r->tables[kept++] = r->tables[i];
		r->ntables = kept;
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
}

/* The comments on table t, its own and its columns', into r->comments. */
static void
read_comments(Reader *r, const Table *t)
{
	ScanKeyData key[2];
	HeapTuple	tup;

	r->comments = NULL;
	r->ncomments = 0;
	/* index columns: objoid 1, classoid 2, objsubid 3 */
	ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(t->oid));
	ScanKeyInit(&key[1], 2, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(RelationRelationId));
	pgpmx_rescan(&r->descrs, key, 2);
	while (HeapTupleIsValid(tup = pgpmx_rescan_next(&r->descrs)))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, Anum_pg_description_description,
									 RelationGetDescr(r->descrs.heap), &isnull);

		if (!isnull)
			r->comments = tagged_add(r->comments, &r->ncomments,
									 ((Form_pg_description) GETSTRUCT(tup))->objsubid,
									 TextDatumGetCString(d));
	}
}

/*
 * The serial sequences of table t into r->serials: the schema's sequences
 * with an automatic dependency on one of t's columns (OWNED BY), as
 * q_serials finds them.
 */
static void
read_serials(Reader *r, const Table *t)
{
	ScanKeyData key[2];
	HeapTuple	tup;
	int			n = 0;
	struct
	{
		Oid			seq;
		int			subid;
	}		   *owned = NULL;

	r->serials = NULL;
	r->nserials = 0;
	/* index columns: refclassid 1, refobjid 2, refobjsubid 3 */
	ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(RelationRelationId));
	ScanKeyInit(&key[1], 2, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(t->oid));
	pgpmx_rescan(&r->deps, key, 2);
	while (HeapTupleIsValid(tup = pgpmx_rescan_next(&r->deps)))
	{
		Form_pg_depend d = (Form_pg_depend) GETSTRUCT(tup);

		if (d->classid != RelationRelationId || d->deptype != DEPENDENCY_AUTO)
			continue;
		owned = owned ? repalloc(owned, sizeof(*owned) * (n + 1)) : palloc(sizeof(*owned));
		owned[n].seq = d->objid;
		owned[n].subid = d->refobjsubid;
		n++;
	}
	/* the dependent relations that are sequences of the schema */
	for (int i = 0; i < n; i++)
	{
		ScanKeyData okey;

		ScanKeyInit(&okey, 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(owned[i].seq));
		pgpmx_rescan(&r->classes, &okey, 1);
		while (HeapTupleIsValid(tup = pgpmx_rescan_next(&r->classes)))
		{
			Form_pg_class c = (Form_pg_class) GETSTRUCT(tup);

			if (c->relkind == RELKIND_SEQUENCE && c->relnamespace == r->nsp)
				r->serials = tagged_add(r->serials, &r->nserials, owned[i].subid,
										pstrdup(NameStr(c->relname)));
		}
	}
}

/* The text tagged subid in v[0..n), or NULL. */
static char *
tagged_get(const Tagged *v, int n, int subid)
{
	for (int i = 0; i < n; i++)
		if (v[i].subid == subid)
			return v[i].text;
	return NULL;
}

/* pg_get_expr(expr, relid) as SQL calls it: NULL when it returns NULL. */
static char *
get_expr(Datum expr, Oid relid)
{
	LOCAL_FCINFO(fcinfo, 2);
	Datum		result;

	InitFunctionCallInfoData(*fcinfo, NULL, 2, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = expr;
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = ObjectIdGetDatum(relid);
	fcinfo->args[1].isnull = false;
	result = pg_get_expr(fcinfo);
	return fcinfo->isnull ? NULL : TextDatumGetCString(result);
}

/*
 * The default of column attnum of table relid, deparsed as q_columns
 * deparses it: without the table as context unless the column is
 * generated.  NULL when it has none.
 */
static char *
read_default(Reader *r, Oid relid, const Form_pg_attribute a)
{
	ScanKeyData key[2];
	HeapTuple	tup;
	char	   *expr = NULL;

	if (!a->atthasdef)
		return NULL;
	/* index columns: adrelid 1, adnum 2 */
	ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
	ScanKeyInit(&key[1], 2, BTEqualStrategyNumber, F_INT2EQ, Int16GetDatum(a->attnum));
	pgpmx_rescan(&r->defs, key, 2);
	while (HeapTupleIsValid(tup = pgpmx_rescan_next(&r->defs)))
	{
		bool		isnull;
		Datum		bin = heap_getattr(tup, Anum_pg_attrdef_adbin, RelationGetDescr(r->defs.heap), &isnull);

		if (!isnull)
			expr = get_expr(bin, a->attgenerated == '\0' ? InvalidOid : relid);
	}
	return expr;
}

/*
 * The column's collation when it is not its type's, as q_columns reads
 * it: not looked up for text, varchar and char in the default collation.
 */
static char *
read_collation(const Form_pg_attribute a)
{
	if (a->attcollation == InvalidOid ||
		(a->attcollation == DEFAULT_COLLATION_OID &&
		 (a->atttypid == TEXTOID || a->atttypid == VARCHAROID || a->atttypid == BPCHAROID)))
		return NULL;
	if (get_typcollation(a->atttypid) == a->attcollation)
		return NULL;
	return get_collation_name(a->attcollation);
}

/* Hand row v to the core; false (and r->rc set) when it failed. */
static bool
emit(Reader *r, const char **v)
{
	if (r->rc == PMX_OK && r->row(r->arg, NVALUES, v) != PMX_OK)
		r->rc = PMX_ERROR;
	return r->rc == PMX_OK;
}

/*
 * One column's rows: one, or one per sequence the column owns (the
 * query's join with the serials gives as many).
 */
static bool
emit_column(Reader *r, const Table *t, const Form_pg_attribute a, const char **v)
{
	char	   *def = read_default(r, t->oid, a);
	bool		any = false;

	v[V_COLUMN] = NameStr(a->attname);
	v[V_TYPE] = format_type_extended(a->atttypid, a->atttypmod,
									 FORMAT_TYPE_TYPEMOD_GIVEN | FORMAT_TYPE_ALLOW_INVALID);
	v[V_NOT_NULL] = a->attnotnull ? "t" : "f";
	v[V_DEFAULT] = def;
	v[V_COLLATION] = read_collation(a);
	/* "char" as text: "" for none (the values live as long as the table's memory) */
	v[V_IDENTITY] = pnstrdup(&a->attidentity, 1);
	v[V_GENERATED] = pnstrdup(&a->attgenerated, 1);
	v[V_COLUMN_COMMENT] = tagged_get(r->comments, r->ncomments, a->attnum);
	v[V_ATTNUM] = psprintf("%d", (int) a->attnum);
	for (int i = 0; i < r->nserials; i++)
	{
		const char *seq = r->serials[i].text;

		if (r->serials[i].subid != a->attnum)
			continue;
		any = true;
		v[V_SEQUENCE] = seq;
		/* the query's test: s.relname IS NOT NULL AND d.expr = 'nextval(...)' */
		v[V_SERIAL] = !def ? NULL
			: strcmp(def, psprintf("nextval(%s::regclass)",
								   quote_literal_cstr(quote_identifier(seq)))) == 0 ? "t" : "f";
		if (!emit(r, v))
			return false;
	}
	if (any)
		return true;
	v[V_SEQUENCE] = NULL;
	v[V_SERIAL] = "f";
	return emit(r, v);
}

/* Table t's rows: one per column, or one with no column when it has none. */
static bool
read_table(Reader *r, const Table *t)
{
	const char *v[NVALUES];
	ScanKeyData key[2];
	HeapTuple	tup;
	bool		any = false;

	read_comments(r, t);
	read_serials(r, t);
	memset(v, 0, sizeof(v));
	v[V_TABLE] = t->name;
	v[V_KIND] = pnstrdup(&t->kind, 1);
	v[V_TABLE_COMMENT] = tagged_get(r->comments, r->ncomments, 0);
	/* index columns: attrelid 1, attnum 2 */
	ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(t->oid));
	ScanKeyInit(&key[1], 2, BTGreaterStrategyNumber, F_INT2GT, Int16GetDatum(0));
	pgpmx_rescan(&r->attrs, key, 2);
	while (HeapTupleIsValid(tup = pgpmx_rescan_next(&r->attrs)))
	{
		/* a copy: the default's scan below reads other tuples */
		Form_pg_attribute a = (Form_pg_attribute) GETSTRUCT(heap_copytuple(tup));

		if (a->attisdropped)
			continue;
		any = true;
		if (!emit_column(r, t, a, v))
			return false;
	}
	if (any)
		return true;
	v[V_SERIAL] = "f";
	return emit(r, v);
}

/* pgpmx_subxact body: read the tables and hand their rows to the core; throws. */
static void
columns_body(void *p)
{
	Reader	   *r = p;
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "premix column read",
											  ALLOCSET_DEFAULT_SIZES),
				tablecxt = AllocSetContextCreate(cxt, "premix column read, one table",
												 ALLOCSET_DEFAULT_SIZES),
				old = MemoryContextSwitchTo(cxt);

	r->nsp = pgpmx_current_schema();
	if (OidIsValid(r->nsp) && (!r->only || r->nonly > 0))
	{
		r->snap = pgpmx_query_snapshot();
		find_tables(r);
		pgpmx_rescan_begin(&r->attrs, AttributeRelationId, AttributeRelidNumIndexId, r->snap, 2);
		pgpmx_rescan_begin(&r->defs, AttrDefaultRelationId, AttrDefaultIndexId, r->snap, 2);
		pgpmx_rescan_begin(&r->descrs, DescriptionRelationId, DescriptionObjIndexId, r->snap, 2);
		pgpmx_rescan_begin(&r->deps, DependRelationId, DependReferenceIndexId, r->snap, 2);
		pgpmx_rescan_begin(&r->classes, RelationRelationId, ClassOidIndexId, r->snap, 1);
		for (int i = 0; i < r->ntables; i++)
		{
			bool		ok;

			MemoryContextSwitchTo(tablecxt);
			ok = read_table(r, &r->tables[i]);
			MemoryContextSwitchTo(cxt);
			MemoryContextReset(tablecxt);
			if (!ok)
				break;
		}
		pgpmx_rescan_end(&r->classes);
		pgpmx_rescan_end(&r->deps);
		pgpmx_rescan_end(&r->descrs);
		pgpmx_rescan_end(&r->defs);
		pgpmx_rescan_end(&r->attrs);
		UnregisterSnapshot(r->snap);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
}

/* See pg_catalog_columns.h. */
int
pgpmx_read_columns(void *ud, PmxCtx *ctx, char *const *only, int nonly, PmxRowFn row, void *arg)
{
	Reader		r;
	ErrorData  *ed;

	(void) ud;
	memset(&r, 0, sizeof(r));
	r.only = only;
	r.nonly = nonly;
	r.row = row;
	r.arg = arg;
	r.rc = PMX_OK;
	if ((ed = pgpmx_subxact(columns_body, &r)) != NULL)
	{
		/* a cancel, out of memory, ...: the call fails with it */
		pmx_error_sql(ctx, ed->message, "(the column read's scans)");
		pmx_error_sql_state(ctx, unpack_sql_state(ed->sqlerrcode));
		FreeErrorData(ed);
		return PMX_ERROR;
	}
	return r.rc;
}
