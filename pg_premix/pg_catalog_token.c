/*-------------------------------------------------------------------------
 *
 * pg_catalog_token.c
 *	  The catalog token of the current schema, read by scanning the system
 *	  catalogs directly instead of by q_token's SQL.
 *
 * The token (see q_token in shared/pmx_introspect_pg.c, its definition)
 * is a count and a sum of 64-bit hashes over the row versions of the
 * catalog rows that describe the schema.  Run as SQL, most of its time is
 * the executor's: a materialized CTE, hash joins, a text round trip of
 * each row's xmin.  Here the same rows are visited by heap and index
 * scans and hashed as hashtidextended() hashes them, so the string is the
 * one q_token returns (pg_regress catalog_token compares the two), in a
 * fraction of the time; an apply computes it once, a diff once.
 *
 * The scans use the snapshot an SPI query would take at this point (the
 * transaction's in REPEATABLE READ, a new one in READ COMMITTED), not the
 * catalog snapshot: the token must describe the schema the model that
 * follows it is read from.
 *
 * Needs 128-bit integers for the exact sum; without them the host leaves
 * PmxDb.catalog_token unset and the core runs q_token.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_catalog_token.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_description.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_rewrite.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "pg_catalog_token.h"
#include "pg_scan.h"
#include "pg_subxact.h"

#ifdef HAVE_INT128

/* q_token's tags, one per catalog (the seed's low four bits) */
#define TAG_CLASS 1
#define TAG_ATTRIBUTE 2
#define TAG_CONSTRAINT 4
#define TAG_DESCRIPTION 6
#define TAG_REWRITE 7
#define TAG_TYPE 8
#define TAG_ENUM 9
#define TAG_DEPEND 10

/* A relation or type of the schema: its oid, and a relation's relkind. */
typedef struct Member
{
	Oid			oid;
	char		kind;
} Member;

/* A set of members, sorted by oid once filled. */
typedef struct MemberSet
{
	Member	   *v;
	int			n;
	int			cap;
} MemberSet;

/* One token's running count and sum, and what it reads. */
typedef struct Token
{
	Snapshot	snap;
	Oid			nsp;
	MemberSet	rels;			/* the schema's relations */
	MemberSet	types;			/* the schema's types */
	int64		count;
	int128		sum;
} Token;

/* Add a row version to the token, as hashtidextended(ctid, xmin * 16 + tag). */
static inline void
tally(Token *t, HeapTuple tup, int tag)
{
	uint64		seed = (uint64) HeapTupleHeaderGetRawXmin(tup->t_data) * 16 + tag;
	uint64		h = hash_any_extended((const unsigned char *) &tup->t_self,
									  sizeof(BlockIdData) + sizeof(OffsetNumber), seed);

	t->count++;
	t->sum += (int64) h;
}

/* Append a member (palloc'd in the current context). */
static void
set_add(MemberSet *s, Oid oid, char kind)
{
	if (s->n == s->cap)
	{
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = s->v ? repalloc(s->v, s->cap * sizeof(Member)) : palloc(s->cap * sizeof(Member));
	}
	s->v[s->n].oid = oid;
	s->v[s->n].kind = kind;
	s->n++;
}

/* qsort comparator of members by oid. */
static int
cmp_member(const void *a, const void *b)
{
	Oid			x = ((const Member *) a)->oid,
				y = ((const Member *) b)->oid;

	return x < y ? -1 : x > y;
}

/* Sort a filled set for set_has. */
static void
set_sort(MemberSet *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(Member), cmp_member);
}

/* Whether oid is in a sorted set. */
static bool
set_has(const MemberSet *s, Oid oid)
{
	int			lo = 0,
				hi = s->n - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (s->v[mid].oid == oid)
			return true;
		if (s->v[mid].oid < oid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

/*
 * Rows of catalog relid in schema t->nsp (its namespace column nspcol):
 * tallied, and kept in *into (then sorted) by their oid (oidcol) and kind
 * (kindcol, 0 for none).
 */
static void
scan_members(Token *t, Oid relid, AttrNumber oidcol, AttrNumber nspcol, AttrNumber kindcol,
			 int tag, MemberSet *into)
{
	Relation	rel = table_open(relid, AccessShareLock);
	TupleDesc	desc = RelationGetDescr(rel);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;

	ScanKeyInit(&key, nspcol, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(t->nsp));
	scan = systable_beginscan(rel, InvalidOid, false, t->snap, 1, &key);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;
		Oid			oid = DatumGetObjectId(heap_getattr(tup, oidcol, desc, &isnull));
		char		kind = kindcol ? DatumGetChar(heap_getattr(tup, kindcol, desc, &isnull)) : 0;

		tally(t, tup, tag);
		set_add(into, oid, kind);
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	set_sort(into);
}

/* Columns (attnum > 0, dropped ones too) of the schema's tables and views. */
static void
scan_attributes(Token *t)
{
	PgRescan	r;

	pgpmx_rescan_begin(&r, AttributeRelationId, AttributeRelidNumIndexId, t->snap, 2);
	for (int i = 0; i < t->rels.n; i++)
	{
		char		k = t->rels.v[i].kind;
		ScanKeyData key[2];
		HeapTuple	tup;

		if (k != RELKIND_RELATION && k != RELKIND_PARTITIONED_TABLE &&
			k != RELKIND_VIEW && k != RELKIND_MATVIEW)
			continue;
		/* index columns: attrelid 1, attnum 2 */
		ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_OIDEQ,
					ObjectIdGetDatum(t->rels.v[i].oid));
		ScanKeyInit(&key[1], 2, BTGreaterStrategyNumber, F_INT2GT, Int16GetDatum(0));
		pgpmx_rescan(&r, key, 2);
		while (HeapTupleIsValid(tup = pgpmx_rescan_next(&r)))
			tally(t, tup, TAG_ATTRIBUTE);
	}
	pgpmx_rescan_end(&r);
}

/*
 * Rows of catalog relid whose oid column (attribute number col) is one of
 * the schema's relations (or, with types, of its types): one heap scan.
 */
static void
scan_joined(Token *t, Oid relid, AttrNumber col, bool types, int tag)
{
	Relation	rel = table_open(relid, AccessShareLock);
	TupleDesc	desc = RelationGetDescr(rel);
	SysScanDesc scan = systable_beginscan(rel, InvalidOid, false, t->snap, 0, NULL);
	HeapTuple	tup;

	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, col, desc, &isnull);

		if (!isnull && set_has(types ? &t->types : &t->rels, DatumGetObjectId(d)))
			tally(t, tup, tag);
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
}

/* The automatic dependencies of the schema's sequences (a serial's OWNED BY). */
static void
scan_sequence_owners(Token *t)
{
	PgRescan	r;

	pgpmx_rescan_begin(&r, DependRelationId, DependDependerIndexId, t->snap, 2);
	for (int i = 0; i < t->rels.n; i++)
	{
		ScanKeyData key[2];
		HeapTuple	tup;

		if (t->rels.v[i].kind != RELKIND_SEQUENCE)
			continue;
		/* index columns: classid 1, objid 2 */
		ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(RelationRelationId));
		ScanKeyInit(&key[1], 2, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(t->rels.v[i].oid));
		pgpmx_rescan(&r, key, 2);
		while (HeapTupleIsValid(tup = pgpmx_rescan_next(&r)))
			if (((Form_pg_depend) GETSTRUCT(tup))->deptype == DEPENDENCY_AUTO)
				tally(t, tup, TAG_DEPEND);
	}
	pgpmx_rescan_end(&r);
}

/* A 128-bit integer in decimal, into buf (at least 41 bytes). */
static void
int128_text(int128 v, char *buf)
{
	char		tmp[41];
	int			n = 0;
	bool		neg = v < 0;
	uint128		u = neg ? -(uint128) v : (uint128) v;

	do
	{
		tmp[n++] = (char) ('0' + (int) (u % 10));
		u /= 10;
	} while (u > 0);
	if (neg)
		*buf++ = '-';
	while (n > 0)
		*buf++ = tmp[--n];
	*buf = '\0';
}

/* pgpmx_subxact body: the token into the char[80] at p ("" for none); throws. */
static void
token_body(void *p)
{
	char	   *text = p;
	Token		t;
	char		sum[41];

	memset(&t, 0, sizeof(t));
	t.nsp = pgpmx_current_schema();
	if (OidIsValid(t.nsp))
	{
		t.snap = pgpmx_query_snapshot();
		scan_members(&t, RelationRelationId, Anum_pg_class_oid, Anum_pg_class_relnamespace,
					 Anum_pg_class_relkind, TAG_CLASS, &t.rels);
		scan_attributes(&t);
		scan_joined(&t, ConstraintRelationId, Anum_pg_constraint_conrelid, false, TAG_CONSTRAINT);
		scan_joined(&t, DescriptionRelationId, Anum_pg_description_objoid, false, TAG_DESCRIPTION);
		scan_joined(&t, RewriteRelationId, Anum_pg_rewrite_ev_class, false, TAG_REWRITE);
		scan_members(&t, TypeRelationId, Anum_pg_type_oid, Anum_pg_type_typnamespace, 0,
					 TAG_TYPE, &t.types);
		scan_joined(&t, EnumRelationId, Anum_pg_enum_enumtypid, true, TAG_ENUM);
		scan_sequence_owners(&t);
		UnregisterSnapshot(t.snap);
	}
	text[0] = '\0';
	if (t.count > 0)
	{
		int128_text(t.sum, sum);
		snprintf(text, 80, "h2:" INT64_FORMAT ":%s", t.count, sum);
	}
}

/* See pg_catalog_token.h. */
int
pgpmx_catalog_token(void *ud, PmxCtx *ctx, PmxRowFn row, void *arg)
{
	char		text[80];
	const char *v[1];
	ErrorData  *ed;

	(void) ud;
	if ((ed = pgpmx_subxact(token_body, text)) != NULL)
	{
		/* a cancel, out of memory, ...: the call fails with it */
		pmx_error_sql(ctx, ed->message, "(the catalog token's scans)");
		pmx_error_sql_state(ctx, unpack_sql_state(ed->sqlerrcode));
		FreeErrorData(ed);
		return PMX_ERROR;
	}
	v[0] = text[0] ? text : NULL;
	return row(arg, 1, v);
}

#endif							/* HAVE_INT128 */
