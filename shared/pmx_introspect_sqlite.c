/*-------------------------------------------------------------------------
 *
 * pmx_introspect_sqlite.c
 *	  Read a SQLite database's schema into the model.
 *
 * Three set-based queries, whatever the number of tables:
 *	 1. sqlite_schema: every table, index, view and trigger with its text
 *		(with PRAGMA schema_version, the key of a connection's cached model:
 *		when it matches, queries 2 and 3 and the parsing are skipped);
 *	 2. sqlite_schema JOIN pragma_table_xinfo: every column of every table;
 *	 3. sqlite_schema JOIN pragma_foreign_key_list: every foreign key.
 * Constraint names, CHECK expressions, collations, AUTOINCREMENT and index
 * definitions come from the stored CREATE text (pmx_sqlite_ddl.c).
 *
 * premix's own ledger (premix_migrations) and SQLite's internal tables
 * (sqlite_%) are not part of the user's schema and are skipped.
 *
 * IDENTIFICATION
 *	  shared/pmx_introspect_sqlite.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "pmx_engine.h"
#include "pmx_sql.h"
#include "pmx_sqlite_ddl.h"
#include "pmx_types.h"

#define USER_TABLES \
	"m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " \
	"AND m.name <> '" PMX_LEDGER_TABLE "' " \
	"AND m.name NOT LIKE 'premix\\_trash\\_%' ESCAPE '\\'"

typedef struct Loader
{
	PmxCtx	   *ctx;
	PmxSchema  *s;
	PmxDdlTable **ddl;			/* parsed CREATE TABLE, parallel to s->tables */
	int			nddl,
				capddl;
	PmxMap		tables;			/* name -> index + 1 into s->tables */
	/* foreign key assembly: the key being read (rows arrive by id, seq) */
	PmxTable   *fk_table;
	long		fk_id;
	PmxForeignKey *fk;
} Loader;

/* Table index for name, or -1. */
static int
loader_table(Loader *L, const char *name)
{
	void	   *v = pmx_map_get(&L->tables, name);

	return v ? (int) ((intptr_t) v - 1) : -1;
}

/* Row of query 1: type, name, tbl_name, sql. */
static int
on_schema_row(void *arg, int ncols, const char *const *v)
{
	Loader	   *L = arg;
	PmxCtx	   *ctx = L->ctx;

	(void) ncols;
	if (strcmp(v[0], "table") == 0)
	{
		PmxTable   *t;
		PmxDdlTable *d;

		if (!v[3])
			return PMX_OK;
		if (!(t = pmx_schema_add_table(ctx, L->s, v[1])) ||
			!(t->create_sql = pmx_strdup(ctx, v[3])))
			return PMX_ERROR;
		if (!(d = pmx_sqlite_parse_table(ctx, v[3])))
		{
			pmx_error_hint(ctx, "premix could not read the definition of table \"%s\".", v[1]);
			return PMX_ERROR;
		}
		if (!PMX_PUSH(ctx, L->ddl, L->nddl, L->capddl))
			return PMX_ERROR;
		L->ddl[L->nddl - 1] = d;
		t->without_rowid = d->without_rowid;
		t->strict = d->strict;
		t->unmodelled = d->unmodelled;
		return pmx_map_put(&L->tables, t->name,
						   (void *) (intptr_t) L->s->ntables);
	}
	if (strcmp(v[0], "view") == 0 || strcmp(v[0], "trigger") == 0 ||
		strcmp(v[0], "index") == 0)
	{
		PmxExtra   *e = pmx_schema_add_extra(ctx, L->s);

		if (!e || !(e->type = pmx_strdup(ctx, v[0])) ||
			!(e->name = pmx_strdup(ctx, v[1])) ||
			!(e->table = pmx_strdup(ctx, v[2])) ||
			!(e->sql = pmx_strdup(ctx, v[3] ? v[3] : "")))
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* Row of query 2: table, cid, name, type, notnull, dflt_value, pk, hidden. */
static int
on_column_row(void *arg, int ncols, const char *const *v)
{
	Loader	   *L = arg;
	int			ti = loader_table(L, v[0]);
	PmxTable   *t;
	PmxColumn  *c;
	int			hidden;

	(void) ncols;
	if (ti < 0)
		return PMX_OK;
	t = L->s->tables[ti];
	if (!(c = pmx_table_add_column(L->ctx, t, v[2])))
		return PMX_ERROR;
	/* the declared type; the portable name is decided once checks are known */
	if (!(c->type = pmx_strdup(L->ctx, v[3] ? v[3] : "")))
		return PMX_ERROR;
	c->nullable = !(v[4] && strcmp(v[4], "0") != 0);
	if (v[5])
	{
		char	   *d = pmx_sql_canon_expr(L->ctx, v[5], "a stored default");

		if (!d)
			return PMX_ERROR;
		if (strcmp(d, "null") != 0)
			c->default_expr = d;
	}
	/* pk position is kept in identity's slot until finish_table */
	c->identity = (PmxIdentity) (v[6] ? atoi(v[6]) : 0);
	hidden = v[7] ? atoi(v[7]) : 0;
	c->generated = hidden == 2 || hidden == 3;
	return PMX_OK;
}

/* Row of query 3: table, id, seq, table, from, to, on_update, on_delete. */
static int
on_fk_row(void *arg, int ncols, const char *const *v)
{
	Loader	   *L = arg;
	PmxCtx	   *ctx = L->ctx;
	int			ti = loader_table(L, v[0]);
	PmxTable   *t;
	long		id = atol(v[1]);

	(void) ncols;
	if (ti < 0)
		return PMX_OK;
	t = L->s->tables[ti];
	if (t != L->fk_table || id != L->fk_id || !L->fk)
	{
		if (!(L->fk = pmx_table_add_fk(ctx, t)))
			return PMX_ERROR;
		L->fk_table = t;
		L->fk_id = id;
		if (!(L->fk->ref_table = pmx_strdup(ctx, v[3])) ||
			!(L->fk->on_update = pmx_lower(ctx, v[6])) ||
			!(L->fk->on_delete = pmx_lower(ctx, v[7])))
			return PMX_ERROR;
	}
	if (pmx_names_push(ctx, &L->fk->cols, v[4]) != PMX_OK)
		return PMX_ERROR;
	if (v[5] && pmx_names_push(ctx, &L->fk->ref_cols, v[5]) != PMX_OK)
		return PMX_ERROR;
	return PMX_OK;
}

/* Replace each name in names by the table's spelling of that column. */
static void
respell_columns(PmxDialect d, PmxTable *t, char **names, int n)
{
	for (int i = 0; i < n; i++)
	{
		PmxColumn  *c = pmx_table_find_column(NULL, d, t, names[i]);

		if (c)
			names[i] = c->name;
	}
}

/* Names of columns whose pk position is > 0, in key order. */
static int
collect_pk(PmxCtx *ctx, PmxTable *t, PmxNames *out)
{
	for (int k = 1; k <= t->ncols; k++)
		for (int i = 0; i < t->ncols; i++)
			if ((int) t->cols[i].identity == k &&
				pmx_names_push(ctx, out, t->cols[i].name) != PMX_OK)
				return PMX_ERROR;
	return PMX_OK;
}

/* Complete table ti from its parsed CREATE text. */
static int
finish_table(Loader *L, int ti)
{
	PmxCtx	   *ctx = L->ctx;
	PmxTable   *t = L->s->tables[ti];
	PmxDdlTable *d = L->ddl[ti];
	PmxNames	pk = {0};

	if (collect_pk(ctx, t, &pk) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < t->ncols; i++)
	{
		PmxColumn  *c = &t->cols[i];
		char	  **marks = NULL;
		int			nmarks = 0,
					absorbed = -1;
		int		   *mark_cons = NULL;
		PmxDdlColumn *dc = NULL;

		c->identity = PMX_IDENTITY_NONE;
		for (int k = 0; k < d->ncols; k++)
			if (pmx_streq_fold(d->cols[k].name, c->name))
				dc = &d->cols[k];
		if (dc)
		{
			if (dc->collate && strcmp(dc->collate, "BINARY") != 0)
				c->collation = dc->collate;
			if (dc->autoincrement)
				c->identity = PMX_IDENTITY_BY_DEFAULT;
			if (dc->generated)
				c->generated = true;
		}
		/* unnamed column-level CHECKs are candidates for a type marker */
		for (int k = 0; k < d->ncons; k++)
		{
			PmxDdlCons *dk = &d->cons[k];

			if (dk->kind == PMX_DDL_CHECK && !dk->name && dk->column >= 0 &&
				pmx_streq_fold(d->cols[dk->column].name, c->name))
			{
				char	  **nm = pmx_grow(ctx, marks, (size_t) nmarks, (size_t) nmarks + 1, sizeof(char *));
				int		   *nc = pmx_grow(ctx, mark_cons, (size_t) nmarks, (size_t) nmarks + 1, sizeof(int));

				if (!nm || !nc)
					return PMX_ERROR;
				marks = nm;
				mark_cons = nc;
				marks[nmarks] = dk->expr;
				mark_cons[nmarks++] = k;
			}
		}
		if (!(c->type = pmx_sqlite_type_report(ctx, c->type, c->name, marks, nmarks, &absorbed)))
			return PMX_ERROR;
		if (absorbed >= 0)
			d->cons[mark_cons[absorbed]].kind = (PmxDdlConsKind) -1;	/* consumed */
	}
	if (pk.n)
	{
		if (!(t->pk = pmx_alloc(ctx, sizeof(PmxKey))))
			return PMX_ERROR;
		t->pk->cols = pk;
	}
	for (int k = 0; k < d->ncons; k++)
	{
		PmxDdlCons *dk = &d->cons[k];

		switch ((int) dk->kind)
		{
			case PMX_DDL_PK:
				if (t->pk && dk->name)
					t->pk->name = dk->name;
				break;
			case PMX_DDL_UNIQUE:
				{
					PmxKey	   *u = pmx_table_add_unique(ctx, t);

					if (!u)
						return PMX_ERROR;
					u->name = dk->name;
					u->cols.v = dk->cols;
					u->cols.n = dk->ncols;
					respell_columns(L->s->dialect, t, u->cols.v, u->cols.n);
					break;
				}
			case PMX_DDL_CHECK:
				{
					PmxCheck   *ck = pmx_table_add_check(ctx, t);

					if (!ck)
						return PMX_ERROR;
					ck->name = dk->name;
					ck->expr = dk->expr;
					break;
				}
			case PMX_DDL_FK:
				{
					PmxNames	cols = {dk->cols, dk->ncols};

					/* the pragma gave the structure; the text gives the name */
					for (int f = 0; f < t->nfks; f++)
						if (!t->fks[f].name &&
							pmx_names_eq(L->s->dialect, &t->fks[f].cols, &cols) &&
							pmx_streq_fold(t->fks[f].ref_table, dk->ref_table))
						{
							t->fks[f].name = dk->name;
							break;
						}
					break;
				}
			default:
				break;
		}
	}
	for (int f = 0; f < t->nfks; f++)
		respell_columns(L->s->dialect, t, t->fks[f].cols.v, t->fks[f].cols.n);
	return PMX_OK;
}

/* Resolve FK targets: implicit ref columns become the parent's PK. */
static int
finish_fks(Loader *L)
{
	for (int i = 0; i < L->s->ntables; i++)
	{
		PmxTable   *t = L->s->tables[i];

		for (int f = 0; f < t->nfks; f++)
		{
			PmxForeignKey *fk = &t->fks[f];
			int			pi = loader_table(L, fk->ref_table);
			PmxTable   *parent = pi >= 0 ? L->s->tables[pi] : NULL;

			if (!parent)
				continue;
			fk->ref_table = parent->name;
			if (fk->ref_cols.n == 0 && parent->pk)
			{
				for (int k = 0; k < parent->pk->cols.n; k++)
					if (pmx_names_push(L->ctx, &fk->ref_cols, parent->pk->cols.v[k]) != PMX_OK)
						return PMX_ERROR;
			}
			respell_columns(L->s->dialect, parent, fk->ref_cols.v, fk->ref_cols.n);
		}
	}
	return PMX_OK;
}

/* Attach an index read from its CREATE INDEX text to its table. */
static int
load_index(Loader *L, const PmxExtra *e)
{
	PmxCtx	   *ctx = L->ctx;
	int			ti = loader_table(L, e->table);
	PmxDdlIndex *d;
	PmxIndex   *ix;
	PmxTable   *t;

	if (ti < 0)
		return PMX_OK;
	t = L->s->tables[ti];
	if (!(d = pmx_sqlite_parse_index(ctx, e->sql)) || !(ix = pmx_table_add_index(ctx, t)))
		return PMX_ERROR;
	ix->name = e->name;
	ix->unique = d->unique;
	ix->where = d->where;
	ix->elems.v = d->elems;
	ix->elems.n = d->nelems;
	respell_columns(L->s->dialect, t, ix->elems.v, ix->elems.n);
	return PMX_OK;
}

/* Query 1: every table, index, view and trigger of the user's schema. */
#define SCHEMA_ROWS \
	"SELECT m.type, m.name, m.tbl_name, m.sql FROM main.sqlite_schema m " \
	"WHERE m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " \
	"AND m.name <> '" PMX_LEDGER_TABLE "' " \
	"AND m.tbl_name <> '" PMX_LEDGER_TABLE "' " \
	"AND m.tbl_name NOT LIKE 'premix\\_trash\\_%' ESCAPE '\\' " \
	"AND m.type IN ('table', 'view', 'trigger', 'index')"

/*
 * The cookie and the rows of query 1, kept as the model cache's key: every
 * value in turn, '0' for NULL or '1' + its bytes + NUL; at[] holds where
 * each value's bytes start in the key (0: NULL), 4 a row.
 */
typedef struct Collect
{
	PmxCtx	   *ctx;
	size_t	   *at;
	int			nrows,
				capat;
	PmxBuf		key;
} Collect;

/* Add a row (up to 4 values, the rest NULL) to the key. */
static int
on_collect_row(void *arg, int ncols, const char *const *v)
{
	Collect    *C = arg;

	for (int i = 0; i < 4; i++)
	{
		const char *s = i < ncols ? v[i] : NULL;
		int			n = C->nrows * 4 + i;

		if (!PMX_PUSH(C->ctx, C->at, n, C->capat))
			return PMX_ERROR;
		pmx_buf_putc(&C->key, s ? '1' : '0');
		C->at[n - 1] = s ? C->key.len : 0;
		if (s)
			pmx_buf_append_len(&C->key, s, strlen(s) + 1);
	}
	C->nrows++;
	return PMX_OK;
}

/* Feed the collected rows (the first, the cookie, skipped) to on_schema_row. */
static int
replay_rows(Loader *L, const Collect *C)
{
	for (int r = 1; r < C->nrows; r++)
	{
		const char *v[4];

		for (int i = 0; i < 4; i++)
			v[i] = C->at[r * 4 + i] ? C->key.data + C->at[r * 4 + i] : NULL;
		if (on_schema_row(L, 4, v) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/*
 * Introspect db into *out.  Indexes are moved out of the extras list into
 * their tables; views and triggers stay as extras.
 */
int
pmx_introspect_sqlite(PmxCtx *ctx, PmxDb *db, PmxSchema **out)
{
	Loader		L;
	int			nextras;
	PmxExtra   *kept;
	Collect		C;

	memset(&L, 0, sizeof(L));
	L.ctx = ctx;
	if (!(L.s = pmx_schema_new(ctx, PMX_DIALECT_SQLITE)) ||
		pmx_map_init(&L.tables, ctx, 64, true) != PMX_OK)
		return PMX_ERROR;

	/*
	 * The rows first, with the cookie: when they are the cached model's,
	 * that is the answer; otherwise they are read into the model.
	 */
	memset(&C, 0, sizeof(C));
	C.ctx = ctx;
	pmx_buf_init(&C.key, ctx);
	if (db->query(db->ud, ctx, "PRAGMA main.schema_version", on_collect_row, &C) != PMX_OK ||
		db->query(db->ud, ctx, SCHEMA_ROWS, on_collect_row, &C) != PMX_OK ||
		!pmx_buf_finish(&C.key))
		return PMX_ERROR;
	if (db->cache)
	{
		if (pmx_schema_cache_get(ctx, db->cache, C.key.data, C.key.len, out) != PMX_OK)
			return PMX_ERROR;
		if (*out)
			return PMX_OK;
	}
	if (replay_rows(&L, &C) != PMX_OK)
		return PMX_ERROR;
	/* indexes were collected as extras; keep the list for load_index */
	if (db->query(db->ud, ctx,
				  "SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden "
				  "FROM main.sqlite_schema m, pragma_table_xinfo(m.name, 'main') p "
				  "WHERE " USER_TABLES,
				  on_column_row, &L) != PMX_OK)
		return PMX_ERROR;
	if (db->query(db->ud, ctx,
				  "SELECT m.name, p.id, p.seq, p.\"table\", p.\"from\", p.\"to\", p.on_update, p.on_delete "
				  "FROM main.sqlite_schema m, pragma_foreign_key_list(m.name, 'main') p "
				  "WHERE " USER_TABLES " ORDER BY m.name, p.id, p.seq",
				  on_fk_row, &L) != PMX_OK)
		return PMX_ERROR;

	for (int i = 0; i < L.s->ntables; i++)
		if (finish_table(&L, i) != PMX_OK)
			return PMX_ERROR;
	if (finish_fks(&L) != PMX_OK)
		return PMX_ERROR;

	/* split extras: indexes go to their tables */
	nextras = 0;
	kept = L.s->extras;
	for (int i = 0; i < L.s->nextras; i++)
	{
		PmxExtra   *e = &L.s->extras[i];

		if (strcmp(e->type, "index") == 0)
		{
			if (e->sql[0] && load_index(&L, e) != PMX_OK)
				return PMX_ERROR;
		}
		else
			kept[nextras++] = *e;
	}
	L.s->nextras = nextras;
	pmx_schema_sort(L.s);
	if (db->cache)
		pmx_schema_cache_put(db->cache, C.key.data, C.key.len, L.s);
	*out = L.s;
	return PMX_OK;
}
