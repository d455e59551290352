/*-------------------------------------------------------------------------
 *
 * pg_catalog_keys.c
 *	  The rows of premix's constraint and index queries (q_constraints and
 *	  q_indexes in shared/pmx_introspect_pg.c) by direct catalog scans; see
 *	  pg_catalog_read.c.
 *
 * Both give a table's objects in oid order, one row per key column (a
 * check constraint's one row has none), as the queries order them.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_catalog_keys.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/stratnum.h"
#include "catalog/indexing.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_index.h"
#include "commands/defrem.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "pg_catalog_read.h"
#include "pg_scan.h"

/* the values of a constraint row, in q_constraints' order */
enum
{
	K_TABLE, K_NAME, K_TYPE, K_ORD, K_ATTNUM, K_REF_TABLE, K_REF_COLUMN, K_ON_DELETE,
	K_ON_UPDATE, K_DEFERRED, K_CHECK, K_SAME_SCHEMA, NKVALUES
};

/* the values of an index row, in q_indexes' order */
enum
{
	I_TABLE, I_NAME, I_UNIQUE, I_METHOD, I_WHERE, I_ORD, I_ELEMENT, I_DESC, I_INCLUDE,
	I_IS_COLUMN, NIVALUES
};

/* A catalog row kept to be read in oid order. */
typedef struct Kept
{
	Oid			oid;
	HeapTuple	tup;
} Kept;

/* qsort comparator of kept rows by oid. */
static int
cmp_kept(const void *a, const void *b)
{
	Oid			x = ((const Kept *) a)->oid,
				y = ((const Kept *) b)->oid;

	return x < y ? -1 : x > y;
}

/*
 * The rows of the current keys' scan s, copied, in oid order (the oid is
 * attribute oidcol of its catalog); *n their number.
 */
static Kept *
rows_by_oid(PgRescan *s, AttrNumber oidcol, int *n)
{
	Kept	   *v = NULL;
	int			cap = 0;
	HeapTuple	tup;

	*n = 0;
	while (HeapTupleIsValid(tup = pgpmx_rescan_next(s)))
	{
		bool		isnull;

		if (*n == cap)
		{
			cap = cap ? cap * 2 : 8;
			v = v ? repalloc(v, sizeof(Kept) * cap) : palloc(sizeof(Kept) * cap);
		}
		v[*n].oid = DatumGetObjectId(heap_getattr(tup, oidcol, RelationGetDescr(s->heap), &isnull));
		v[*n].tup = heap_copytuple(tup);
		(*n)++;
	}
	if (*n > 1)
		qsort(v, *n, sizeof(Kept), cmp_kept);
	return v;
}

/* The int2 elements of array attribute col of tup (NULL: none), *n their number. */
static int16 *
int2_array(HeapTuple tup, AttrNumber col, TupleDesc desc, int *n)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, col, desc, &isnull);
	ArrayType  *a;

	*n = 0;
	if (isnull)
		return NULL;
	a = DatumGetArrayTypeP(d);
	*n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
	return (int16 *) ARR_DATA_PTR(a);
}

/* The relname and relnamespace of relation relid as the snapshot sees it; false if none. */
static bool
class_of(PgRescan *classes, Oid relid, char **name, Oid *nsp)
{
	HeapTuple	tup;

	pgpmx_rescan_oid(classes, relid);
	if (!HeapTupleIsValid(tup = pgpmx_rescan_next(classes)))
		return false;
	*name = pstrdup(NameStr(((Form_pg_class) GETSTRUCT(tup))->relname));
	*nsp = ((Form_pg_class) GETSTRUCT(tup))->relnamespace;
	return true;
}

/* The name of column attnum of relation relid as the snapshot sees it, or NULL. */
static char *
column_name(PgRescan *attrs, Oid relid, int16 attnum)
{
	ScanKeyData key[2];
	HeapTuple	tup;
	char	   *name = NULL;

	/* index columns: attrelid 1, attnum 2 */
	ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
	ScanKeyInit(&key[1], 2, BTEqualStrategyNumber, F_INT2EQ, Int16GetDatum(attnum));
	pgpmx_rescan(attrs, key, 2);
	while (HeapTupleIsValid(tup = pgpmx_rescan_next(attrs)))
		name = pstrdup(NameStr(((Form_pg_attribute) GETSTRUCT(tup))->attname));
	return name;
}

/* The scans of a constraint reading. */
typedef struct Constraints
{
	PgReader   *r;
	PgRescan	cons,			/* pg_constraint by conrelid */
				classes,		/* pg_class by oid */
				attrs;			/* pg_attribute by (attrelid, attnum) */
} Constraints;

/*
 * The rows of constraint tup of table t: one per key column (a foreign
 * key's referenced column beside it), one with none for a check.
 */
static bool
emit_constraint(Constraints *K, const PgTable *t, HeapTuple tup)
{
	Form_pg_constraint con = (Form_pg_constraint) GETSTRUCT(tup);
	TupleDesc	desc = RelationGetDescr(K->cons.heap);
	const char *v[NKVALUES];
	int16	   *keys = NULL,
			   *refs = NULL;
	int			nkeys = 0,
				nrefs = 0,
				nrows;
	char	   *ref_name = NULL;
	Oid			ref_nsp = InvalidOid;
	bool		ref_found = false;

	memset(v, 0, sizeof(v));
	v[K_TABLE] = t->name;
	v[K_NAME] = NameStr(con->conname);
	v[K_TYPE] = pgpmx_char_text(con->contype);
	v[K_ON_DELETE] = pgpmx_char_text(con->confdeltype);
	v[K_ON_UPDATE] = pgpmx_char_text(con->confupdtype);
	v[K_DEFERRED] = con->condeferrable && con->condeferred ? "t" : "f";
	if (con->contype != CONSTRAINT_CHECK)
		keys = int2_array(tup, Anum_pg_constraint_conkey, desc, &nkeys);
	if (con->contype == CONSTRAINT_FOREIGN)
	{
		refs = int2_array(tup, Anum_pg_constraint_confkey, desc, &nrefs);
		ref_found = class_of(&K->classes, con->confrelid, &ref_name, &ref_nsp);
		v[K_REF_TABLE] = ref_name;
	}
	if (con->contype == CONSTRAINT_CHECK)
	{
		bool		isnull;
		Datum		bin = heap_getattr(tup, Anum_pg_constraint_conbin, desc, &isnull);

		if (!isnull)
		{
			Datum		args[2] = {bin, ObjectIdGetDatum(con->conrelid)};

			v[K_CHECK] = pgpmx_call_text(pg_get_expr, 2, args);
		}
	}
	/* rc.relnamespace = c.relnamespace OR rc.relname IS NULL */
	v[K_SAME_SCHEMA] = !ref_found || ref_nsp == K->r->nsp ? "t" : "f";
	/* ROWS FROM (unnest(conkey), unnest(confkey)): as many rows as the longer */
	nrows = Max(nkeys, nrefs);
	if (nrows == 0)
		return pgpmx_emit(K->r, NKVALUES, v);
	for (int i = 0; i < nrows; i++)
	{
		v[K_ORD] = psprintf("%d", i + 1);
		v[K_ATTNUM] = i < nkeys ? psprintf("%d", (int) keys[i]) : NULL;
		v[K_REF_COLUMN] = i < nrefs ? column_name(&K->attrs, con->confrelid, refs[i]) : NULL;
		if (!pgpmx_emit(K->r, NKVALUES, v))
			return false;
	}
	return true;
}

/* Table t's constraint rows, in constraint oid order; false when a row failed. */
static bool
table_constraints(void *state, const PgTable *t)
{
	Constraints *K = state;
	Kept	   *cons;
	int			n;

	/* index columns: conrelid 1, contypid 2, conname 3 */
	pgpmx_rescan_oid(&K->cons, t->oid);
	cons = rows_by_oid(&K->cons, Anum_pg_constraint_oid, &n);
	for (int c = 0; c < n; c++)
	{
		char		type = ((Form_pg_constraint) GETSTRUCT(cons[c].tup))->contype;

		if ((type == CONSTRAINT_PRIMARY || type == CONSTRAINT_UNIQUE || type == CONSTRAINT_FOREIGN ||
			 type == CONSTRAINT_CHECK || type == CONSTRAINT_EXCLUSION) &&
			!emit_constraint(K, t, cons[c].tup))
			return false;
	}
	return true;
}

/* See pg_catalog_read.h. */
void
pgpmx_read_constraints(PgReader *r)
{
	Constraints K;

	memset(&K, 0, sizeof(K));
	K.r = r;
	pgpmx_rescan_begin(&K.cons, ConstraintRelationId, ConstraintRelidTypidNameIndexId, r->snap, 1);
	pgpmx_rescan_begin(&K.classes, RelationRelationId, ClassOidIndexId, r->snap, 1);
	pgpmx_rescan_begin(&K.attrs, AttributeRelationId, AttributeRelidNumIndexId, r->snap, 2);
	pgpmx_each_table(r, table_constraints, &K);
	pgpmx_rescan_end(&K.attrs);
	pgpmx_rescan_end(&K.classes);
	pgpmx_rescan_end(&K.cons);
}

/* The scans of an index reading. */
typedef struct Indexes
{
	PgReader   *r;
	PgRescan	index,			/* pg_index by indrelid */
				cons,			/* pg_constraint by conrelid */
				classes;		/* pg_class by oid */
} Indexes;

/*
 * The indexes that back a primary key, unique or exclusion constraint of
 * table relid (the constraint query reads those), palloc'd; *n their number.
 */
static Oid *
constraint_indexes(Indexes *X, Oid relid, int *n)
{
	HeapTuple	tup;
	Oid		   *v = NULL;
	int			cap = 0;

	*n = 0;
	/* index columns: conrelid 1, contypid 2, conname 3 */
	pgpmx_rescan_oid(&X->cons, relid);
	while (HeapTupleIsValid(tup = pgpmx_rescan_next(&X->cons)))
	{
		Form_pg_constraint con = (Form_pg_constraint) GETSTRUCT(tup);

		if (con->contype != CONSTRAINT_PRIMARY && con->contype != CONSTRAINT_UNIQUE &&
			con->contype != CONSTRAINT_EXCLUSION)
			continue;
		if (*n == cap)
		{
			cap = cap ? cap * 2 : 4;
			v = v ? repalloc(v, sizeof(Oid) * cap) : palloc(sizeof(Oid) * cap);
		}
		v[(*n)++] = con->conindid;
	}
	return v;
}

/* The rows of index tup of table t: one per element, key columns then INCLUDE. */
static bool
emit_index(Indexes *X, const PgTable *t, HeapTuple tup)
{
	Form_pg_index ix = (Form_pg_index) GETSTRUCT(tup);
	TupleDesc	desc = RelationGetDescr(X->index.heap);
	const char *v[NIVALUES];
	HeapTuple	ctup;
	int16	   *options;
	int			noptions;
	bool		isnull;
	Datum		pred;

	memset(v, 0, sizeof(v));
	/* the index's pg_class row: its name and access method (the query's inner joins) */
	pgpmx_rescan_oid(&X->classes, ix->indexrelid);
	if (!HeapTupleIsValid(ctup = pgpmx_rescan_next(&X->classes)) ||
		!(v[I_METHOD] = get_am_name(((Form_pg_class) GETSTRUCT(ctup))->relam)))
		return true;
	v[I_NAME] = pstrdup(NameStr(((Form_pg_class) GETSTRUCT(ctup))->relname));
	v[I_TABLE] = t->name;
	v[I_UNIQUE] = ix->indisunique ? "t" : "f";
	pred = heap_getattr(tup, Anum_pg_index_indpred, desc, &isnull);
	if (!isnull)
	{
		Datum		args[2] = {pred, ObjectIdGetDatum(ix->indrelid)};

		v[I_WHERE] = pgpmx_call_text(pg_get_expr, 2, args);
	}
	options = int2_array(tup, Anum_pg_index_indoption, desc, &noptions);
	for (int k = 0; k < ix->indkey.dim1; k++)
	{
		int16		attnum = ix->indkey.values[k];

		v[I_ORD] = psprintf("%d", k + 1);
		if (attnum == 0)
		{
			Datum		args[3] = {ObjectIdGetDatum(ix->indexrelid), Int32GetDatum(k + 1),
			BoolGetDatum(true)};

			v[I_ELEMENT] = pgpmx_call_text(pg_get_indexdef_ext, 3, args);
		}
		else
			v[I_ELEMENT] = psprintf("%d", (int) attnum);
		/* (ix.indoption[k.ord - 1] & 1) = 1: NULL past the key columns */
		v[I_DESC] = k < noptions ? ((options[k] & INDOPTION_DESC) ? "t" : "f") : NULL;
		v[I_INCLUDE] = k + 1 > ix->indnkeyatts ? "t" : "f";
		v[I_IS_COLUMN] = attnum != 0 ? "t" : "f";
		if (!pgpmx_emit(X->r, NIVALUES, v))
			return false;
	}
	return true;
}

/*
 * Table t's index rows, in index oid order, but for the indexes that back
 * a constraint; false when a row failed.
 */
static bool
table_indexes(void *state, const PgTable *t)
{
	Indexes    *X = state;
	Kept	   *ixs;
	Oid		   *backing = NULL;
	int			n,
				nbacking = -1;	/* not read yet */

	pgpmx_rescan_oid(&X->index, t->oid);
	ixs = rows_by_oid(&X->index, Anum_pg_index_indexrelid, &n);
	for (int k = 0; k < n; k++)
	{
		Form_pg_index ix = (Form_pg_index) GETSTRUCT(ixs[k].tup);
		bool		backs = false;

		/* only a unique or exclusion index can back a constraint */
		if (ix->indisunique || ix->indisexclusion)
		{
			if (nbacking < 0)
				backing = constraint_indexes(X, t->oid, &nbacking);
			for (int b = 0; b < nbacking && !backs; b++)
				backs = backing[b] == ix->indexrelid;
		}
		if (!backs && !emit_index(X, t, ixs[k].tup))
			return false;
	}
	return true;
}

/* See pg_catalog_read.h. */
void
pgpmx_read_indexes(PgReader *r)
{
	Indexes		X;

	memset(&X, 0, sizeof(X));
	X.r = r;
	pgpmx_rescan_begin(&X.index, IndexRelationId, IndexIndrelidIndexId, r->snap, 1);
	pgpmx_rescan_begin(&X.cons, ConstraintRelationId, ConstraintRelidTypidNameIndexId, r->snap, 1);
	pgpmx_rescan_begin(&X.classes, RelationRelationId, ClassOidIndexId, r->snap, 1);
	pgpmx_each_table(r, table_indexes, &X);
	pgpmx_rescan_end(&X.classes);
	pgpmx_rescan_end(&X.cons);
	pgpmx_rescan_end(&X.index);
}
