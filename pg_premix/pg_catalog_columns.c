/*-------------------------------------------------------------------------
 *
 * pg_catalog_columns.c
 *	  The rows of premix's column query (q_serials and q_columns in
 *	  shared/pmx_introspect_pg.c) by direct catalog scans; see
 *	  pg_catalog_read.c.
 *
 * Per table: its comments (one probe of pg_description), its serial
 * sequences (the automatic dependencies on it that are sequences of the
 * schema), its defaults (one range of pg_attrdef's index), then its
 * columns, each default deparsed as the query deparses it and the serial
 * test made as the query makes it.
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

#include "pg_catalog_read.h"
#include "pg_scan.h"

/* the values of one row, in q_columns' order */
enum
{
	V_TABLE, V_KIND, V_COLUMN, V_TYPE, V_NOT_NULL, V_DEFAULT, V_COLLATION,
	V_IDENTITY, V_GENERATED, V_SERIAL, V_TABLE_COMMENT, V_COLUMN_COMMENT,
	V_SEQUENCE, V_ATTNUM, NVALUES
};

/* A comment (objsubid 0: the table's) or a serial sequence (subid: its column). */
typedef struct Tagged
{
	int			subid;
	char	   *text;
} Tagged;

/* The scans of a column reading, and the current table's comments and serials. */
typedef struct Columns
{
	PgReader   *r;
	PgRescan	attrs,			/* pg_attribute by (attrelid, attnum) */
				defs,			/* pg_attrdef by adrelid */
				descrs,			/* pg_description by (objoid, classoid) */
				deps,			/* pg_depend by (refclassid, refobjid) */
				classes;		/* pg_class by oid */
	Tagged	   *comments;
	int			ncomments;
	Tagged	   *serials;
	int			nserials;
	HeapTuple  *defaults;		/* the current table's pg_attrdef rows */
	int			ndefaults;
} Columns;

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

/* The comments on table t, its own and its columns', into C->comments. */
static void
read_comments(Columns *C, const PgTable *t)
{
	ScanKeyData key[2];
	HeapTuple	tup;

	C->comments = NULL;
	C->ncomments = 0;
	/* index columns: objoid 1, classoid 2, objsubid 3 */
	ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(t->oid));
	ScanKeyInit(&key[1], 2, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(RelationRelationId));
	pgpmx_rescan(&C->descrs, key, 2);
	while (HeapTupleIsValid(tup = pgpmx_rescan_next(&C->descrs)))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, Anum_pg_description_description,
									 RelationGetDescr(C->descrs.heap), &isnull);

		if (!isnull)
			C->comments = tagged_add(C->comments, &C->ncomments,
									 ((Form_pg_description) GETSTRUCT(tup))->objsubid,
									 TextDatumGetCString(d));
	}
}

/*
 * The serial sequences of table t into C->serials: the schema's sequences
 * with an automatic dependency on one of t's columns (OWNED BY), as
 * q_serials finds them.
 */
static void
read_serials(Columns *C, const PgTable *t)
{
	ScanKeyData key[2];
	HeapTuple	tup;
	int			n = 0;
	struct
	{
		Oid			seq;
		int			subid;
	}		   *owned = NULL;

	C->serials = NULL;
	C->nserials = 0;
	/* index columns: refclassid 1, refobjid 2, refobjsubid 3 */
	ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(RelationRelationId));
	ScanKeyInit(&key[1], 2, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(t->oid));
	pgpmx_rescan(&C->deps, key, 2);
	while (HeapTupleIsValid(tup = pgpmx_rescan_next(&C->deps)))
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
		Form_pg_class c;

		pgpmx_rescan_oid(&C->classes, owned[i].seq);
		if (!HeapTupleIsValid(tup = pgpmx_rescan_next(&C->classes)))
			continue;
		c = (Form_pg_class) GETSTRUCT(tup);
		if (c->relkind == RELKIND_SEQUENCE && c->relnamespace == C->r->nsp)
			C->serials = tagged_add(C->serials, &C->nserials, owned[i].subid,
									pstrdup(NameStr(c->relname)));
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

/*
 * The pg_attrdef rows of table t into C->defaults (copies): one scan of
 * the table's range of the index, not a probe per column with a default.
 */
static void
read_defaults(Columns *C, const PgTable *t)
{
	HeapTuple	tup;
	int			cap = 0;

	C->defaults = NULL;
	C->ndefaults = 0;
	/* index columns: adrelid 1, adnum 2 */
	pgpmx_rescan_oid(&C->defs, t->oid);
	while (HeapTupleIsValid(tup = pgpmx_rescan_next(&C->defs)))
	{
		if (C->ndefaults == cap)
		{
			cap = cap ? cap * 2 : 8;
			C->defaults = C->defaults ? repalloc(C->defaults, sizeof(HeapTuple) * cap)
				: palloc(sizeof(HeapTuple) * cap);
		}
		C->defaults[C->ndefaults++] = heap_copytuple(tup);
	}
}

/*
 * The default of column a of table relid, deparsed as q_columns deparses
 * it: without the table as context unless the column is generated.  NULL
 * when it has none.
 */
static char *
column_default(Columns *C, Oid relid, const Form_pg_attribute a)
{
	if (!a->atthasdef)
		return NULL;
	for (int i = 0; i < C->ndefaults; i++)
	{
		HeapTuple	tup = C->defaults[i];
		bool		isnull;
		Datum		bin;

		if (((Form_pg_attrdef) GETSTRUCT(tup))->adnum != a->attnum)
			continue;
		bin = heap_getattr(tup, Anum_pg_attrdef_adbin, RelationGetDescr(C->defs.heap), &isnull);
		if (!isnull)
		{
			Datum		args[2] = {bin, ObjectIdGetDatum(a->attgenerated == '\0' ? InvalidOid : relid)};

			return pgpmx_call_text(pg_get_expr, 2, args);
		}
	}
	return NULL;
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

/*
 * One column's rows: one, or one per sequence the column owns (the
 * query's join with the serials gives as many).
 */
static bool
emit_column(Columns *C, const PgTable *t, const Form_pg_attribute a, const char **v)
{
	char	   *def = column_default(C, t->oid, a);
	bool		any = false;

	v[V_COLUMN] = NameStr(a->attname);
	v[V_TYPE] = format_type_extended(a->atttypid, a->atttypmod,
									 FORMAT_TYPE_TYPEMOD_GIVEN | FORMAT_TYPE_ALLOW_INVALID);
	v[V_NOT_NULL] = a->attnotnull ? "t" : "f";
	v[V_DEFAULT] = def;
	v[V_COLLATION] = read_collation(a);
	/* "char" as text: "" for none (the values live as long as the table's memory) */
	v[V_IDENTITY] = pgpmx_char_text(a->attidentity);
	v[V_GENERATED] = pgpmx_char_text(a->attgenerated);
	v[V_COLUMN_COMMENT] = tagged_get(C->comments, C->ncomments, a->attnum);
	v[V_ATTNUM] = psprintf("%d", (int) a->attnum);
	for (int i = 0; i < C->nserials; i++)
	{
		const char *seq = C->serials[i].text;

		if (C->serials[i].subid != a->attnum)
			continue;
		any = true;
		v[V_SEQUENCE] = seq;
		/* the query's test: s.relname IS NOT NULL AND d.expr = 'nextval(...)' */
		v[V_SERIAL] = !def ? NULL
			: strcmp(def, psprintf("nextval(%s::regclass)",
								   quote_literal_cstr(quote_identifier(seq)))) == 0 ? "t" : "f";
		if (!pgpmx_emit(C->r, NVALUES, v))
			return false;
	}
	if (any)
		return true;
	v[V_SEQUENCE] = NULL;
	v[V_SERIAL] = "f";
	return pgpmx_emit(C->r, NVALUES, v);
}

/*
 * Table t's rows: one per column, or one with no column when it has none;
 * false when a row failed.
 */
static bool
read_table(void *state, const PgTable *t)
{
	Columns    *C = state;
	const char *v[NVALUES];
	ScanKeyData key[2];
	HeapTuple	tup;
	bool		any = false;

	read_comments(C, t);
	read_serials(C, t);
	read_defaults(C, t);
	memset(v, 0, sizeof(v));
	v[V_TABLE] = t->name;
	v[V_KIND] = pgpmx_char_text(t->kind);
	v[V_TABLE_COMMENT] = tagged_get(C->comments, C->ncomments, 0);
	/* index columns: attrelid 1, attnum 2 */
	ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(t->oid));
	ScanKeyInit(&key[1], 2, BTGreaterStrategyNumber, F_INT2GT, Int16GetDatum(0));
	pgpmx_rescan(&C->attrs, key, 2);
	while (HeapTupleIsValid(tup = pgpmx_rescan_next(&C->attrs)))
	{
		/* the row stays in the attribute scan's slot while the other scans run */
		Form_pg_attribute a = (Form_pg_attribute) GETSTRUCT(tup);

		if (a->attisdropped)
			continue;
		any = true;
		if (!emit_column(C, t, a, v))
			return false;
	}
	if (any)
		return true;
	v[V_SERIAL] = "f";
	return pgpmx_emit(C->r, NVALUES, v);
}

/* See pg_catalog_read.h. */
void
pgpmx_read_columns(PgReader *r)
{
	Columns		C;

	memset(&C, 0, sizeof(C));
	C.r = r;
	pgpmx_rescan_begin(&C.attrs, AttributeRelationId, AttributeRelidNumIndexId, r->snap, 2);
	pgpmx_rescan_begin(&C.defs, AttrDefaultRelationId, AttrDefaultIndexId, r->snap, 1);
	pgpmx_rescan_begin(&C.descrs, DescriptionRelationId, DescriptionObjIndexId, r->snap, 2);
	pgpmx_rescan_begin(&C.deps, DependRelationId, DependReferenceIndexId, r->snap, 2);
	pgpmx_rescan_begin(&C.classes, RelationRelationId, ClassOidIndexId, r->snap, 1);
	pgpmx_each_table(r, read_table, &C);
	pgpmx_rescan_end(&C.classes);
	pgpmx_rescan_end(&C.deps);
	pgpmx_rescan_end(&C.descrs);
	pgpmx_rescan_end(&C.defs);
	pgpmx_rescan_end(&C.attrs);
}
