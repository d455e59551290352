/*-------------------------------------------------------------------------
 *
 * pmx_introspect_pg.c
 *	  Read a PostgreSQL schema into the model.
 *
 * Four set-based queries over pg_catalog, whatever the number of tables,
 * all scoped to current_schema() (the host pins search_path to the
 * schema premix works on, and to the scratch schema in the shadow):
 *	 1. tables and their columns (format_type, NOT NULL, pg_get_expr
 *		defaults, identity, generated, collation, serial sequences,
 *		comments);
 *	 2. PRIMARY KEY, UNIQUE, FOREIGN KEY and CHECK constraints, one row per
 *		key column in key order;
 *	 3. indexes that back no constraint, one row per element (key
 *		columns and expressions, then INCLUDE columns);
 *	 4. views (kept as extras: a column a view uses is not dropped), and
 *		the schema's enum types with their labels in order.
 * The server spells defaults, checks and predicates itself, so the same
 * declaration introspected from the live schema and from the shadow gives
 * the same text.  Types are read back to portable names (pmx_types_pg.c).
 * The queries' rows are the definition: a host may hand over the same
 * rows read by its own means (PmxDb.read_catalog; the PostgreSQL
 * extension scans the catalogs, pg_premix/pg_catalog_read.c), and the
 * row callbacks below read either.
 *
 * IDENTIFICATION
 *	  shared/pmx_introspect_pg.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "pmx_engine.h"
#include "pmx_sql.h"
#include "pmx_types.h"

#define NS "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = pg_catalog.current_schema())"

/* the serial sequences; dep.refobjid (the owning table) takes the filter */
static const char q_serials[] =
"WITH serials AS MATERIALIZED (SELECT dep.refobjid, dep.refobjsubid, sq.relname FROM pg_catalog.pg_depend dep "
"  JOIN pg_catalog.pg_class sq ON sq.oid = dep.objid AND sq.relkind = 'S' "
"  WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.deptype = 'a' "
"  AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND sq.relnamespace = " NS " ";

/*
 * The columns; "c" takes the table filter.  What most columns lack is
 * looked up only where the column has it, so that a few tables' columns
 * (the apply's read-back) cost a probe each for the default (atthasdef),
 * the collation (collatable types, but text, varchar and char in the
 * default collation, which is theirs) and nothing else: a default is
 * deparsed once (a serial column's twice, for the nextval test), and
 * without the table as context unless the column is generated: a default
 * names no column, and the context cost opening the table and listing
 * its column names per default (14 against 6 ms for 4,000 defaults); a
 * table's comments, its own and its columns', come in one probe as two
 * arrays (objsubid 0 is the table).  Joined per column instead, the
 * read-back of 150 tables made twice the buffer accesses and took half
 * as long again; the whole schema is no slower.
 */
static const char q_columns[] =
") SELECT c.relname, c.relkind::text, a.attname, "
"pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, d.expr, "
"CASE WHEN a.attcollation <> 0 AND NOT (a.attcollation = 'pg_catalog.default'::pg_catalog.regcollation "
"  AND a.atttypid IN ('pg_catalog.text'::pg_catalog.regtype, 'pg_catalog.varchar'::pg_catalog.regtype, "
"  'pg_catalog.bpchar'::pg_catalog.regtype)) THEN (SELECT co.collname FROM pg_catalog.pg_type t "
"  JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation "
"  WHERE t.oid = a.atttypid AND t.typcollation <> a.attcollation) END, "
"a.attidentity::text, a.attgenerated::text, "
"(s.relname IS NOT NULL AND d.expr = "
" 'nextval(' || pg_catalog.quote_literal(pg_catalog.quote_ident(s.relname)) || '::regclass)'), "
"m.descr[pg_catalog.array_position(m.sub, 0)], "
"m.descr[pg_catalog.array_position(m.sub, a.attnum::pg_catalog.int4)], s.relname, a.attnum "
"FROM pg_catalog.pg_class c "
"LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
"LEFT JOIN LATERAL (SELECT CASE WHEN a.atthasdef THEN (SELECT pg_catalog.pg_get_expr(ad.adbin, "
"  CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END) "
"  FROM pg_catalog.pg_attrdef ad WHERE ad.adrelid = a.attrelid AND ad.adnum = a.attnum) END AS expr) d ON true "
"LEFT JOIN serials s ON s.refobjid = c.oid AND s.refobjsubid = a.attnum "
"LEFT JOIN LATERAL (SELECT pg_catalog.array_agg(dm.objsubid) AS sub, pg_catalog.array_agg(dm.description) AS descr "
"  FROM pg_catalog.pg_description dm WHERE dm.objoid = c.oid "
"  AND dm.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass) m ON true "
"WHERE c.relnamespace = " NS " AND c.relkind IN ('r', 'p') ";
/*
 * No ORDER BY: sorting some 17,000 wide rows (defaults, comments) for a
 * thousand tables cost the server a quarter of this query, and
 * on_column_row takes the rows in any order (columns are put in attnum
 * order afterwards, by sort_columns).
 */
static const char o_columns[] = "";

/* A key column of the table itself comes as its attnum, named from the
 * columns query 1 read (column_at): a probe of pg_attribute per key
 * column was a fifth of the buffer accesses of the apply's read-back.  A
 * referenced column's name comes by an (attrelid, attnum) subquery (its
 * table may not be among those read): as a join, the planner matched
 * attnum as a filter over all of a table's columns, or hashed the whole
 * of pg_attribute.  The referenced
 * table is looked up for foreign keys only (OFFSET 0 keeps the planner
 * from flattening the lateral subquery into a join that probes pg_class
 * for every constraint); only a unique or exclusion index can back a
 * constraint, so only those are looked up in pg_constraint. */
static const char q_constraints[] =
"SELECT c.relname, con.conname, con.contype::text, k.ord, k.attnum, "
"rc.relname, "
"(SELECT ra.attname FROM pg_catalog.pg_attribute ra WHERE ra.attrelid = con.confrelid AND ra.attnum = k.refnum), "
"con.confdeltype::text, con.confupdtype::text, con.condeferrable AND con.condeferred, "
"CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid) END, "
"rc.relnamespace = c.relnamespace OR rc.relname IS NULL "
"FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid "
"LEFT JOIN LATERAL ROWS FROM (pg_catalog.unnest(CASE WHEN con.contype <> 'c' THEN con.conkey END), "
"  pg_catalog.unnest(CASE WHEN con.contype = 'f' THEN con.confkey END)) "
"  WITH ORDINALITY AS k(attnum, refnum, ord) ON true "
"LEFT JOIN LATERAL (SELECT rc.relname, rc.relnamespace FROM pg_catalog.pg_class rc "
"  WHERE con.contype = 'f' AND rc.oid = con.confrelid OFFSET 0) rc ON true "
"WHERE c.relnamespace = " NS " AND c.relkind IN ('r', 'p') AND con.contype IN ('p', 'u', 'f', 'c', 'x') ";
static const char o_constraints[] = " ORDER BY c.oid, con.oid, k.ord";

static const char q_indexes[] =
"SELECT c.relname, i.relname, ix.indisunique, am.amname, "
"pg_catalog.pg_get_expr(ix.indpred, ix.indrelid), k.ord, "
"CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(ix.indexrelid, k.ord::int, true) "
"ELSE k.attnum::pg_catalog.text END, "
"(ix.indoption[k.ord - 1] & 1) = 1, k.ord > ix.indnkeyatts, k.attnum <> 0 "
"FROM pg_catalog.pg_index ix JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid "
"JOIN pg_catalog.pg_class c ON c.oid = ix.indrelid JOIN pg_catalog.pg_am am ON am.oid = i.relam "
"CROSS JOIN LATERAL pg_catalog.unnest(ix.indkey::pg_catalog.int2[]) WITH ORDINALITY AS k(attnum, ord) "
"WHERE c.relnamespace = " NS " AND c.relkind IN ('r', 'p') "
"AND NOT ((ix.indisunique OR ix.indisexclusion) AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con "
"  WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x'))) ";
static const char o_indexes[] = " ORDER BY c.oid, ix.indexrelid, k.ord";

static const char q_enums[] =
PMX_SAME_QUERY
"SELECT t.typname, e.enumlabel FROM pg_catalog.pg_type t "
"JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid "
"WHERE t.typnamespace = " NS " ORDER BY t.oid, e.enumsortorder";

static const char q_views[] =
PMX_SAME_QUERY
"SELECT c.relname, pg_catalog.pg_get_viewdef(c.oid) FROM pg_catalog.pg_class c "
"WHERE c.relnamespace = " NS " AND c.relkind IN ('v', 'm') ORDER BY c.relname COLLATE \"C\"";

typedef struct Loader
{
	PmxCtx	   *ctx;
	PmxSchema  *s;
	PmxMap		tables;			/* the tables query 1 read, by name */
	PmxTable   *cur;			/* table of the previous row */
	const char *cur_obj;		/* constraint / index of the previous row */
	void	   *obj;
	char		obj_kind;
	PmxCatalogPart part;		/* the part of the rows coming in */
} Loader;

/* The table called name: the previous row's, else a lookup.  NULL if none. */
static PmxTable *
table_of(Loader *L, const char *name)
{
	if (L->cur && strcmp(L->cur->name, name) == 0)
		return L->cur;
	L->cur = pmx_map_get(&L->tables, name);
	L->cur_obj = NULL;
	return L->cur;
}

/* "t"/"f" of a boolean column. */
static bool
is_true(const char *v)
{
	return v && v[0] == 't';
}

/* Row of query 1; see the file header. */
static int
on_column_row(void *arg, int ncols, const char *const *v)
{
	Loader	   *L = arg;
	PmxCtx	   *ctx = L->ctx;
	PmxTable   *t;
	PmxColumn  *c;

	(void) ncols;
	if ((!L->cur || strcmp(L->cur->name, v[0]) != 0) &&
		!(L->cur = pmx_map_get(&L->tables, v[0])))
	{
		if (!(L->cur = pmx_schema_add_table(ctx, L->s, v[0])) ||
			pmx_map_put(&L->tables, L->cur->name, L->cur) != PMX_OK)
			return PMX_ERROR;
		if (strcmp(v[1], "p") == 0)
			L->cur->unmodelled = "partitioning";
		if (v[10] && !(L->cur->comment = pmx_strdup(ctx, v[10])))
			return PMX_ERROR;
	}
	t = L->cur;
	if (!v[2])
		return PMX_OK;			/* a table without columns */
	if (!(c = pmx_table_add_column(ctx, t, v[2])) ||
		!(c->type = pmx_pg_type_report(ctx, v[3])))
		return PMX_ERROR;
	c->position = atoi(v[13]);
	c->nullable = !is_true(v[4]);
	if (v[5] && !(c->default_expr = pmx_strdup(ctx, v[5])))
		return PMX_ERROR;
	if (v[6] && !(c->collation = pmx_strdup(ctx, v[6])))
		return PMX_ERROR;
	if (v[11] && !(c->comment = pmx_strdup(ctx, v[11])))
		return PMX_ERROR;
	if (v[7] && v[7][0] == 'a')
		c->identity = PMX_IDENTITY_ALWAYS;
	else if (v[7] && v[7][0] == 'd')
		c->identity = PMX_IDENTITY_BY_DEFAULT;
	if (v[8] && v[8][0] == 's')
	{
		c->generated = true;
		t->unmodelled = "a generated column";
	}
	if (v[12] && !(c->sequence = pmx_strdup(ctx, v[12])))
		return PMX_ERROR;
	if (is_true(v[9]))
	{
		/* serial: the owned sequence is the default; report the type */
		const char *st = strcmp(c->type, "bigint") == 0 ? "bigserial"
			: strcmp(c->type, "smallint") == 0 ? "smallserial" : "serial";

		c->type = (char *) st;
		c->default_expr = NULL;
	}
	return PMX_OK;
}

/* qsort order of columns by position. */
static int
by_position(const void *a, const void *b)
{
	int			pa = ((const PmxColumn *) a)->position,
				pb = ((const PmxColumn *) b)->position;

	return (pa > pb) - (pa < pb);
}

/* Put each table's columns in attnum order (query 1 has no ORDER BY). */
static void
sort_columns(PmxSchema *s)
{
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable   *t = s->tables[i];

		for (int c = 1; c < t->ncols; c++)
			if (t->cols[c - 1].position > t->cols[c].position)
			{
				qsort(t->cols, (size_t) t->ncols, sizeof(PmxColumn), by_position);
				break;
			}
	}
}

/*
 * Rows of part come next: the previous part's row state is forgotten,
 * and the columns are put in attnum order once (sort_columns) before the
 * keys, which name them by attnum (column_at).
 */
static void
enter_part(Loader *L, PmxCatalogPart part)
{
	if (L->part >= part)
		return;
	if (L->part == PMX_CATALOG_COLUMNS)
		sort_columns(L->s);
	L->cur = NULL;
	L->cur_obj = NULL;
	L->part = part;
}

/*
 * The name of column attnum (decimal text) of t, whose columns are in
 * attnum order (sort_columns); NULL with a PMX_E_STALE error when t has
 * no such column: a column added after query 1 read t's columns (READ
 * COMMITTED: each query sees the schema as it is when it starts).
 */
static const char *
column_at(PmxCtx *ctx, const PmxTable *t, const char *attnum)
{
	int			want = atoi(attnum),
				lo = 0,
				hi = t->ncols - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (t->cols[mid].position == want)
			return t->cols[mid].name;
		if (t->cols[mid].position < want)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	pmx_error(ctx, PMX_E_STALE, "the schema changed while premix read it: table \"%s\" has no column %s any more",
			  t->name, attnum);
	pmx_error_hint(ctx, "Run the call again.");
	return NULL;
}

/* A foreign key action letter as the model spells it. */
static char *
fk_action(char a)
{
	switch (a)
	{
		case 'r':
			return "restrict";
		case 'c':
			return "cascade";
		case 'n':
			return "set null";
		case 'd':
			return "set default";
		default:
			return "no action";
	}
}

/* Row of query 2; see the file header. */
static int
on_constraint_row(void *arg, int ncols, const char *const *v)
{
	Loader	   *L = arg;
	PmxCtx	   *ctx = L->ctx;
	PmxTable   *t;
	bool		same;
	const char *col;

	(void) ncols;
	enter_part(L, PMX_CATALOG_CONSTRAINTS);
	t = table_of(L, v[0]);
	same = L->cur_obj && strcmp(L->cur_obj, v[1]) == 0;
	if (!t)
		return PMX_OK;
	if (!same)
	{
		L->cur_obj = pmx_strdup(ctx, v[1]);
		L->obj_kind = v[2][0];
		L->obj = NULL;
		switch (L->obj_kind)
		{
			case 'p':
				if (!(t->pk = pmx_alloc(ctx, sizeof(PmxKey))))
					return PMX_ERROR;
				L->obj = t->pk;
				break;
			case 'u':
				L->obj = pmx_table_add_unique(ctx, t);
				break;
			case 'f':
				{
					PmxForeignKey *fk = pmx_table_add_fk(ctx, t);

					if (!fk || !(fk->ref_table = pmx_strdup(ctx, v[5])))
						return PMX_ERROR;
					fk->on_delete = fk_action(v[7][0]);
					fk->on_update = fk_action(v[8][0]);
					fk->deferrable = is_true(v[9]);
					if (!is_true(v[11]))
						t->unmodelled = "a foreign key to a table in another schema";
					L->obj = fk;
					break;
				}
			case 'c':
				{
					PmxCheck   *ck = pmx_table_add_check(ctx, t);

					if (!ck || !(ck->expr = pmx_strdup(ctx, v[10])))
						return PMX_ERROR;
					ck->name = (char *) L->cur_obj;
					return PMX_OK;
				}
			default:
				t->unmodelled = "an exclusion constraint";
				return PMX_OK;
		}
		if (!L->obj || !L->cur_obj)
			return PMX_ERROR;
		if (L->obj_kind == 'f')
			((PmxForeignKey *) L->obj)->name = (char *) L->cur_obj;
		else
			((PmxKey *) L->obj)->name = (char *) L->cur_obj;
	}
	if (!L->obj || !v[4])
		return PMX_OK;
	if (!(col = column_at(ctx, t, v[4])))
		return PMX_ERROR;
	if (L->obj_kind == 'f')
	{
		PmxForeignKey *fk = L->obj;

		return pmx_names_push(ctx, &fk->cols, col) == PMX_OK &&
			pmx_names_push(ctx, &fk->ref_cols, v[6]) == PMX_OK ? PMX_OK : PMX_ERROR;
	}
	return pmx_names_push(ctx, &((PmxKey *) L->obj)->cols, col);
}

/* Row of query 3; see the file header. */
static int
on_index_row(void *arg, int ncols, const char *const *v)
{
	Loader	   *L = arg;
	PmxCtx	   *ctx = L->ctx;
	PmxTable   *t;
	PmxIndex   *ix;
	char	   *elem;
	const char *col;

	(void) ncols;
	enter_part(L, PMX_CATALOG_INDEXES);
	t = table_of(L, v[0]);
	if (!t)
		return PMX_OK;
	if (!L->cur_obj || strcmp(L->cur_obj, v[1]) != 0)
	{
		if (!(L->cur_obj = pmx_strdup(ctx, v[1])) ||
			!(ix = pmx_table_add_index(ctx, t)) ||
			!(ix->method = pmx_strdup(ctx, v[3])))
			return PMX_ERROR;
		ix->name = (char *) L->cur_obj;
		ix->unique = is_true(v[2]);
		if (v[4] && !(ix->where = pmx_strdup(ctx, v[4])))
			return PMX_ERROR;
		L->obj = ix;
	}
	ix = L->obj;
	/* a column (its attnum) or an expression (its text) */
	if (!is_true(v[9]))
		col = v[6];
	else if (!(col = column_at(ctx, t, v[6])))
		return PMX_ERROR;
	if (is_true(v[8]))
		return pmx_names_push(ctx, &ix->include, col);
	elem = is_true(v[7]) ? pmx_sprintf(ctx, "%s desc", col) : pmx_strdup(ctx, col);
	return elem ? pmx_names_push(ctx, &ix->elems, elem) : PMX_ERROR;
}

/* Row of the enum query: one label of one enum type, in sort order. */
static int
on_enum_row(void *arg, int ncols, const char *const *v)
{
	Loader	   *L = arg;
	PmxEnum    *e;

	(void) ncols;
	enter_part(L, PMX_CATALOG_ENUMS);
	e = L->s->nenums ? &L->s->enums[L->s->nenums - 1] : NULL;
	if ((!e || strcmp(e->name, v[0]) != 0) && !(e = pmx_schema_add_enum(L->ctx, L->s, v[0])))
		return PMX_ERROR;
	return pmx_names_push(L->ctx, &e->values, v[1]);
}

/* Row of query 4: a view, kept so its columns are not dropped under it. */
static int
on_view_row(void *arg, int ncols, const char *const *v)
{
	Loader	   *L = arg;
	PmxExtra   *e = pmx_schema_add_extra(L->ctx, L->s);

	(void) ncols;
	if (!e || !(e->name = pmx_strdup(L->ctx, v[0])) ||
		!(e->sql = pmx_strdup(L->ctx, v[1] ? v[1] : "")))
		return PMX_ERROR;
	e->type = "view";
	e->table = "";
	return PMX_OK;
}

/* A piece of a catalog query and where the table filter goes after it. */
typedef struct Piece
{
	const char *sql;
	const char *alias;			/* " AND alias.relname = ANY ($1)", or */
	const char *owner;			/* " AND owner IN (the tables' oids)", or neither */
} Piece;

/*
 * The query of the pieces, each followed by its table filter when
 * filtered, then order.  The filter names the tables by one parameter,
 * $1, an array of names (names_param): the statement's text stays small
 * and the same whatever the tables, where 150 quoted names written into
 * it three times were lexed and analysed one by one (parse analysis and
 * planning were a quarter of the apply's read-back).  NULL on OOM.
 */
static char *
compose(PmxCtx *ctx, const Piece *pieces, bool filtered, const char *order)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	if (!filtered)				/* the whole schema: the same text every call */
		pmx_buf_append(&b, PMX_SAME_QUERY);
	for (const Piece *p = pieces; p->sql; p++)
	{
		pmx_buf_append(&b, p->sql);
		if (filtered && p->alias)
			pmx_buf_appendf(&b, "AND %s.relname = ANY ($1::pg_catalog.name[]) ", p->alias);
		else if (filtered && p->owner)
			pmx_buf_appendf(&b, "AND %s IN (SELECT fc.oid FROM pg_catalog.pg_class fc "
							"WHERE fc.relnamespace = " NS " AND fc.relname = ANY ($1::pg_catalog.name[])) ",
							p->owner);
	}
	pmx_buf_append(&b, order);
	return pmx_buf_finish(&b);
}

/*
 * names[0..n) as the text of a PostgreSQL array: every element in double
 * quotes, '"' and '\' escaped by a backslash, so that no name (a comma,
 * a brace, NULL) is read as anything but itself.  NULL on OOM.
 */
static char *
names_param(PmxCtx *ctx, char *const *names, int n)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	pmx_buf_putc(&b, '{');
	for (int i = 0; i < n; i++)
	{
		if (i)
			pmx_buf_putc(&b, ',');
		pmx_buf_putc(&b, '"');
		for (const char *c = names[i]; *c; c++)
		{
			if (*c == '"' || *c == '\\')
				pmx_buf_putc(&b, '\\');
			pmx_buf_putc(&b, *c);
		}
		pmx_buf_putc(&b, '"');
	}
	pmx_buf_putc(&b, '}');
	return pmx_buf_finish(&b);
}

/* Run one catalog query: with the names parameter when filtered. */
static int
run_catalog_query(PmxCtx *ctx, PmxDb *db, const char *sql, const char *names,
				  PmxRowFn row, Loader *L)
{
	if (names)
		return pmx_query_params(ctx, db, sql, 1, &names, row, L);
	return db->query(db->ud, ctx, sql, row, L);
}

/*
 * Introspect the current schema into *out: every table, or only the
 * tables named in only[0..nonly) when only is not NULL (views are then
 * left out; the schema's enum types are read either way).
 */
int
pmx_introspect_pg_tables(PmxCtx *ctx, PmxDb *db, char *const *only, int nonly,
						 PmxSchema **out)
{
	Loader		L;

	memset(&L, 0, sizeof(L));
	L.ctx = ctx;
	if (!(L.s = pmx_schema_new(ctx, PMX_DIALECT_POSTGRES)) ||
		pmx_map_init(&L.tables, ctx, only ? (size_t) nonly : 64, false) != PMX_OK)
		return PMX_ERROR;
	if (db->read_catalog)
	{
		/* the host's reading of the same rows, under one snapshot */
		static const PmxRowFn rows[PMX_CATALOG_NPARTS] = {
			on_column_row, on_constraint_row, on_index_row, on_enum_row
		};

		if (db->read_catalog(db->ud, ctx, only, nonly, rows, &L) != PMX_OK)
			return PMX_ERROR;
	}
	else if (!only || nonly > 0)
	{
		static const Piece columns[] = {
			{q_serials, NULL, "dep.refobjid"}, {q_columns, "c", NULL}, {NULL, NULL, NULL}
		};
		static const Piece constraints[] = {{q_constraints, "c", NULL}, {NULL, NULL, NULL}};
		static const Piece indexes[] = {{q_indexes, "c", NULL}, {NULL, NULL, NULL}};
		char	   *qc = compose(ctx, columns, only != NULL, o_columns),
				   *qk = compose(ctx, constraints, only != NULL, o_constraints),
				   *qi = compose(ctx, indexes, only != NULL, o_indexes),
				   *names = only ? names_param(ctx, only, nonly) : NULL;

		if (!qc || !qk || !qi || (only && !names) ||
			run_catalog_query(ctx, db, qc, names, on_column_row, &L) != PMX_OK ||
			run_catalog_query(ctx, db, qk, names, on_constraint_row, &L) != PMX_OK ||
			run_catalog_query(ctx, db, qi, names, on_index_row, &L) != PMX_OK)
			return PMX_ERROR;
	}
	if (!db->read_catalog && db->query(db->ud, ctx, q_enums, on_enum_row, &L) != PMX_OK)
		return PMX_ERROR;
	enter_part(&L, PMX_CATALOG_NPARTS);
	if (!only && db->query(db->ud, ctx, q_views, on_view_row, &L) != PMX_OK)
		return PMX_ERROR;
	pmx_schema_sort(L.s);
	*out = L.s;
	return PMX_OK;
}

/*
 * The catalog token: a count and a sum of 64-bit hashes over the row
 * versions (ctid and xmin, with a tag per catalog) of the catalog rows
 * that describe the schema -- its relations, table and view columns,
 * constraints, comments, rewrite rules, types, enum labels and the
 * dependencies that make a sequence a column's serial.  Any DDL writes new
 * row versions, so an unchanged token means an unchanged schema (but for a
 * 2^-64 chance); a changed one (VACUUM FULL of a catalog, freezing) only
 * sends the caller to the full comparison.  pg_attrdef and pg_index are
 * left out: the server rewrites a column's pg_attribute row (atthasdef)
 * whenever it sets, replaces or drops its default, and an index's pg_class
 * row whenever it creates, renames or drops the index, whose pg_index row
 * premix reads only what never changes of (columns, expressions,
 * predicate, uniqueness); pg_regress catalog_token holds the server to
 * it, DDL by DDL (a quarter of the token's time at 1,000 tables).
 * Hashing the system columns as they are costs a third of turning them
 * into text; the sum does not depend on the order the rows come in.  The
 * schema's relations are read once (rel) and joined by oid.
 */
#define ROWV(x, tag) "pg_catalog.hashtidextended(" x ".ctid, " x ".xmin::text::int8 * 16 + " tag ")"
static const char q_token[] =
PMX_SAME_QUERY
"WITH rel AS MATERIALIZED (SELECT c.oid, c.relkind, " ROWV("c", "1") " AS h"
"  FROM pg_catalog.pg_class c WHERE c.relnamespace = " NS ") "
"SELECT 'h2:' || pg_catalog.count(*) || ':' || pg_catalog.sum(h) FROM ("
" SELECT h FROM rel"
" UNION ALL SELECT " ROWV("a", "2") " FROM pg_catalog.pg_attribute a"
"  JOIN rel c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p', 'v', 'm') WHERE a.attnum > 0"
" UNION ALL SELECT " ROWV("k", "4") " FROM pg_catalog.pg_constraint k JOIN rel c ON c.oid = k.conrelid"
" UNION ALL SELECT " ROWV("m", "6") " FROM pg_catalog.pg_description m JOIN rel c ON c.oid = m.objoid"
" UNION ALL SELECT " ROWV("r", "7") " FROM pg_catalog.pg_rewrite r JOIN rel c ON c.oid = r.ev_class"
" UNION ALL SELECT " ROWV("t", "8") " FROM pg_catalog.pg_type t WHERE t.typnamespace = " NS
" UNION ALL SELECT " ROWV("e", "9") " FROM pg_catalog.pg_enum e"
"  JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid WHERE t.typnamespace = " NS
" UNION ALL SELECT " ROWV("p", "10") " FROM pg_catalog.pg_depend p"
"  JOIN rel c ON c.oid = p.objid AND c.relkind = 'S'"
"  WHERE p.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND p.deptype = 'a'"
") s";

/* Row callback: keep the token (arena copy). */
static int
on_token_row(void *arg, int ncols, const char *const *v)
{
	Loader	   *L = arg;

	if (ncols > 0 && !L->cur_obj)
		L->cur_obj = pmx_strdup(L->ctx, v[0] ? v[0] : "empty");
	return L->cur_obj ? PMX_OK : PMX_ERROR;
}

/*
 * The catalog token of the current schema into *out (arena); see q_token,
 * which the host's PmxDb.catalog_token reproduces when it has one.
 */
int
pmx_pg_catalog_token(PmxCtx *ctx, PmxDb *db, char **out)
{
	Loader		L;

	memset(&L, 0, sizeof(L));
	L.ctx = ctx;
	if ((db->catalog_token ? db->catalog_token(db->ud, ctx, on_token_row, &L)
		 : db->query(db->ud, ctx, q_token, on_token_row, &L)) != PMX_OK)
		return PMX_ERROR;
	*out = (char *) L.cur_obj;
	return *out ? PMX_OK : pmx_error(ctx, PMX_E_INTERNAL, "the catalog token query returned no row");
}

/* Introspect the current schema of a PostgreSQL database into *out. */
int
pmx_introspect_pg(PmxCtx *ctx, PmxDb *db, PmxSchema **out)
{
	return pmx_introspect_pg_tables(ctx, db, NULL, 0, out);
}
