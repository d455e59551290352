/*-------------------------------------------------------------------------
 *
 * pmx_effect.c
 *	  Follow table and column identity through a migration script and
 *	  diff the schema before and after it; see pmx_effect.h.
 *
 * IDENTIFICATION
 *	  shared/pmx_effect.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "pmx_effect.h"
#include "pmx_json.h"

typedef struct TCol
{
	char	   *cur;			/* its name now */
	char	   *orig;			/* its name before the script; NULL = added */
	long		id;				/* PostgreSQL attnum */
	bool		alive;
} TCol;

typedef struct TTab
{
	char	   *cur;
	char	   *orig;			/* NULL = created by the script */
	char	   *id;				/* PostgreSQL oid */
	TCol	   *cols;
	int			ncols,
				capcols;
	bool		alive;
} TTab;

typedef struct TIdx				/* PostgreSQL: an index renamed in place */
{
	char	   *table;			/* its table's name after */
	char	   *cur;
	char	   *orig;
} TIdx;

/* PostgreSQL identity rows: a table's column, or an index */
typedef struct IdRow
{
	char	   *oid;
	char		kind;			/* 'r' column of a table, 'i' index */
	char	   *name;			/* relation name */
	long		attnum;
	char	   *attname;
	char	   *table_oid;		/* index: its table */
} IdRow;

typedef struct IdRows
{
	PmxCtx	   *ctx;
	IdRow	   *v;
	int			n,
				cap;
} IdRows;

struct PmxEffect
{
	PmxCtx	   *ctx;
	PmxDb	   *db;
	TTab	   *tabs;
	int			ntabs,
				captabs;
	TIdx	   *idx;
	int			nidx,
				capidx;
	IdRows		before;			/* PostgreSQL */
};

/* Every table, column and index of the current schema with its identity. */
#define PG_IDENTITY_SQL \
	"SELECT c.oid::text, c.relkind::text, c.relname, a.attnum::text, a.attname, x.indrelid::text " \
	"FROM pg_catalog.pg_class c " \
	"LEFT JOIN pg_catalog.pg_attribute a ON c.relkind IN ('r', 'p') AND a.attrelid = c.oid " \
	"AND a.attnum > 0 AND NOT a.attisdropped " \
	"LEFT JOIN pg_catalog.pg_index x ON x.indexrelid = c.oid " \
	"WHERE c.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = pg_catalog.current_schema()) " \
	"AND c.relkind IN ('r', 'p', 'i', 'I') ORDER BY 1, 4"

/* Row callback of the identity query. */
static int
on_id_row(void *arg, int ncols, const char *const *v)
{
	IdRows	   *r = arg;
	IdRow	   *row;

	if (ncols < 6 || !v[0] || !v[1] || !v[2] || !PMX_PUSH(r->ctx, r->v, r->n, r->cap))
		return pmx_error_is_set(r->ctx) ? PMX_ERROR : pmx_error_nomem(r->ctx);
	row = &r->v[r->n - 1];
	row->kind = (v[1][0] == 'i' || v[1][0] == 'I') ? 'i' : 'r';
	row->oid = pmx_strdup(r->ctx, v[0]);
	row->name = pmx_strdup(r->ctx, v[2]);
	row->attnum = v[3] ? atol(v[3]) : 0;
	row->attname = pmx_strdup(r->ctx, v[4]);
	row->table_oid = pmx_strdup(r->ctx, v[5]);
	return row->oid && row->name ? PMX_OK : pmx_error_nomem(r->ctx);
}

/* Read the identity rows of db into *out. */
static int
read_ids(PmxCtx *ctx, PmxDb *db, IdRows *out)
{
	memset(out, 0, sizeof(*out));
	out->ctx = ctx;
	return db->query(db->ud, ctx, PG_IDENTITY_SQL, on_id_row, out);
}

/* A tracked table for t with every column as it is; NULL on OOM. */
static TTab *
add_tab(PmxEffect *e, const char *name, const char *orig)
{
	TTab	   *t;

	if (!PMX_PUSH(e->ctx, e->tabs, e->ntabs, e->captabs))
		return NULL;
	t = &e->tabs[e->ntabs - 1];
	memset(t, 0, sizeof(*t));
	t->cur = (char *) name;
	t->orig = (char *) orig;
	t->alive = true;
	return t;
}

/* Append a tracked column; NULL on OOM. */
static TCol *
add_col(PmxEffect *e, TTab *t, const char *name, const char *orig, long id)
{
	TCol	   *c;

	if (!PMX_PUSH(e->ctx, t->cols, t->ncols, t->capcols))
		return NULL;
	c = &t->cols[t->ncols - 1];
	c->cur = (char *) name;
	c->orig = (char *) orig;
	c->id = id;
	c->alive = true;
	return c;
}

/* See pmx_effect.h. */
PmxEffect *
pmx_effect_begin(PmxCtx *ctx, PmxDb *db, PmxSchema *before)
{
	PmxEffect  *e = pmx_alloc(ctx, sizeof(PmxEffect));

	if (!e)
		return NULL;
	e->ctx = ctx;
	e->db = db;
	if (db->dialect == PMX_DIALECT_POSTGRES)
		return read_ids(ctx, db, &e->before) == PMX_OK ? e : NULL;
	for (int i = 0; i < before->ntables; i++)
	{
		PmxTable   *bt = before->tables[i];
		TTab	   *t = add_tab(e, bt->name, bt->name);

		if (!t)
			return NULL;
		for (int c = 0; c < bt->ncols; c++)
			if (!add_col(e, t, bt->cols[c].name, bt->cols[c].name, 0))
				return NULL;
	}
	return e;
}

/*
 * One SQLite statement's worth of change in the columns of t (now nt):
 * one column gone and one new is a RENAME COLUMN; otherwise the gone ones
 * were dropped and the new ones added.
 */
static int
track_columns(PmxEffect *e, TTab *t, PmxTable *nt)
{
	int			gone = 0,
				gone_at = -1,
				fresh = 0,
				fresh_at = -1;

	for (int c = 0; c < t->ncols; c++)
		if (t->cols[c].alive && !pmx_table_find_column(e->ctx, PMX_DIALECT_SQLITE, nt, t->cols[c].cur))
		{
			gone++;
			gone_at = c;
		}
	for (int k = 0; k < nt->ncols; k++)
	{
		bool		known = false;

		for (int c = 0; c < t->ncols && !known; c++)
			known = t->cols[c].alive && pmx_ident_eq(PMX_DIALECT_SQLITE, t->cols[c].cur, nt->cols[k].name);
		if (!known)
		{
			fresh++;
			fresh_at = k;
		}
	}
	if (gone == 1 && fresh == 1)
	{
		t->cols[gone_at].cur = nt->cols[fresh_at].name;
		return PMX_OK;
	}
	for (int c = 0; c < t->ncols; c++)
		if (t->cols[c].alive && !pmx_table_find_column(e->ctx, PMX_DIALECT_SQLITE, nt, t->cols[c].cur))
			t->cols[c].alive = false;
	for (int k = 0; k < nt->ncols && fresh; k++)
	{
		bool		known = false;

		for (int c = 0; c < t->ncols && !known; c++)
			known = t->cols[c].alive && pmx_ident_eq(PMX_DIALECT_SQLITE, t->cols[c].cur, nt->cols[k].name);
		if (!known && !add_col(e, t, nt->cols[k].name, NULL, 0))
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* See pmx_effect.h.  SQLite only: the schema after statement index. */
int
pmx_effect_statement(void *arg, int index)
{
	PmxEffect  *e = arg;
	PmxCtx	   *ctx = e->ctx;
	PmxSchema  *now;
	PmxMap		known;
	int			gone = 0,
				fresh = 0;
	TTab	   *gone_tab = NULL;
	PmxTable   *fresh_tab = NULL;

	(void) index;
	if (pmx_introspect(ctx, e->db, &now) != PMX_OK ||
		pmx_map_init(&known, ctx, (size_t) e->ntabs, true) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < e->ntabs; i++)
	{
		TTab	   *t = &e->tabs[i];

		if (!t->alive)
			continue;
		if (pmx_map_put(&known, t->cur, t) != PMX_OK)
			return PMX_ERROR;
		if (!pmx_schema_find(ctx, now, t->cur))
		{
			gone++;
			gone_tab = t;
		}
	}
	for (int i = 0; i < now->ntables; i++)
		if (!pmx_map_get(&known, now->tables[i]->name))
		{
			fresh++;
			fresh_tab = now->tables[i];
		}
	if (gone == 1 && fresh == 1)
		gone_tab->cur = fresh_tab->name;	/* ALTER TABLE ... RENAME TO */
	else
	{
		for (int i = 0; i < e->ntabs; i++)
			if (e->tabs[i].alive && !pmx_schema_find(ctx, now, e->tabs[i].cur))
				e->tabs[i].alive = false;
		for (int i = 0; i < now->ntables && fresh; i++)
		{
			PmxTable   *nt = now->tables[i];
			TTab	   *t;

			if (pmx_map_get(&known, nt->name))
				continue;
			if (!(t = add_tab(e, nt->name, NULL)))
				return PMX_ERROR;
			for (int c = 0; c < nt->ncols; c++)
				if (!add_col(e, t, nt->cols[c].name, NULL, 0))
					return PMX_ERROR;
		}
	}
	for (int i = 0; i < e->ntabs; i++)
	{
		PmxTable   *nt;

		if (e->tabs[i].alive && (nt = pmx_schema_find(ctx, now, e->tabs[i].cur)) &&
			track_columns(e, &e->tabs[i], nt) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* The identity row of relation oid (first row), or NULL. */
static const IdRow *
find_rel(const IdRows *r, const char *oid)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->v[i].oid, oid) == 0)
			return &r->v[i];
	return NULL;
}

/*
 * PostgreSQL: build the tracked tables from the identity rows before and
 * after -- same oid is the same table, same (oid, attnum) the same column,
 * same index oid the same index.
 */
static int
track_pg(PmxEffect *e)
{
	PmxCtx	   *ctx = e->ctx;
	IdRows		after;
	TTab	   *t = NULL;

	if (read_ids(ctx, e->db, &after) != PMX_OK)
		return PMX_ERROR;
	/* tables and columns as they were, each followed to its state after */
	for (int i = 0; i < e->before.n; i++)
	{
		const IdRow *b = &e->before.v[i];
		const IdRow *a = NULL;

		if (b->kind != 'r')
			continue;
		if (!t || strcmp(t->id, b->oid) != 0)
		{
			const IdRow *now = find_rel(&after, b->oid);

			if (!(t = add_tab(e, now ? now->name : b->name, b->name)))
				return PMX_ERROR;
			t->id = b->oid;
			t->alive = now != NULL;
		}
		if (!b->attname)
			continue;
		for (int k = 0; k < after.n && !a; k++)
			if (after.v[k].attnum == b->attnum && strcmp(after.v[k].oid, b->oid) == 0)
				a = &after.v[k];
		if (!add_col(e, t, a && a->attname ? a->attname : b->attname, b->attname, b->attnum))
			return PMX_ERROR;
		t->cols[t->ncols - 1].alive = a && a->attname;
	}
	/* what is new after: tables, and columns of the old tables */
	for (int k = 0; k < after.n; k++)
	{
		const IdRow *a = &after.v[k];
		TTab	   *owner = NULL;
		bool		known = false;

		if (a->kind == 'i')
		{
			const IdRow *b = find_rel(&e->before, a->oid);
			const IdRow *tab = a->table_oid ? find_rel(&after, a->table_oid) : NULL;

			if (b && tab && strcmp(b->name, a->name) != 0)
			{
				if (!PMX_PUSH(ctx, e->idx, e->nidx, e->capidx))
					return PMX_ERROR;
				e->idx[e->nidx - 1] = (TIdx) {tab->name, a->name, b->name};
			}
			continue;
		}
		for (int i = 0; i < e->ntabs && !owner; i++)
			if (e->tabs[i].id && strcmp(e->tabs[i].id, a->oid) == 0)
				owner = &e->tabs[i];
		if (!owner)
		{
			if (!(owner = add_tab(e, a->name, NULL)))
				return PMX_ERROR;
			owner->id = a->oid;
		}
		if (!a->attname)
			continue;
		for (int c = 0; c < owner->ncols && !known; c++)
			known = owner->cols[c].id == a->attnum;
		if (!known && !add_col(e, owner, a->attname, NULL, a->attnum))
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* True when tracked table t has a surviving column that was named name. */
static bool
keeps_column(const TTab *t, PmxDialect d, const char *name)
{
	for (int c = 0; c < t->ncols; c++)
		if (t->cols[c].alive && t->cols[c].orig && pmx_ident_eq(d, t->cols[c].orig, name))
			return true;
	return false;
}

/* See pmx_effect.h. */
int
pmx_effect_diff(PmxCtx *ctx, PmxEffect *e, PmxSchema *before, PmxSchema *after,
				PmxDiff *out)
{
	PmxDialect	d = before->dialect;
	PmxOptions	opts;

	if (d == PMX_DIALECT_POSTGRES && track_pg(e) != PMX_OK)
		return PMX_ERROR;
	/* renames become hints on the after model */
	for (int i = 0; i < e->ntabs; i++)
	{
		TTab	   *t = &e->tabs[i];
		PmxTable   *at;

		if (!t->alive || !(at = pmx_schema_find(ctx, after, t->cur)))
			continue;
		if (t->orig && !pmx_ident_eq(d, t->orig, t->cur))
			at->renamed_from = t->orig;
		for (int c = 0; c < t->ncols; c++)
		{
			PmxColumn  *ac;

			if (t->cols[c].alive && t->cols[c].orig && !pmx_ident_eq(d, t->cols[c].orig, t->cols[c].cur) &&
				(ac = pmx_table_find_column(ctx, d, at, t->cols[c].cur)))
				ac->renamed_from = t->cols[c].orig;
		}
	}
	for (int i = 0; i < e->nidx; i++)
	{
		PmxTable   *at = pmx_schema_find(ctx, after, e->idx[i].table);
		PmxIndex   *ai = at ? pmx_table_find_index(at, d, e->idx[i].cur) : NULL;

		if (ai)
			ai->renamed_from = e->idx[i].orig;
	}
	memset(&opts, 0, sizeof(opts));
	opts.scope = PMX_SCOPE_ALL;
	opts.hints_only = true;
	after->enums_listed = true;
	if (pmx_diff_models(ctx, before, after, &opts, out) != PMX_OK)
		return PMX_ERROR;
	/* what the name-matching diff cannot see: replaced tables and columns */
	for (int i = 0; i < e->ntabs; i++)
	{
		TTab	   *t = &e->tabs[i];
		PmxTable   *at,
				   *lt;

		if (!t->alive || !(at = pmx_schema_find(ctx, after, t->cur)) || !(lt = at->peer))
			continue;
		if (!t->orig)
		{
			if (pmx_strs_pushf(ctx, &out->warnings,
							   "table %s was dropped and created again by the script (a rebuild): premix compared its columns but cannot vouch that every row was copied",
							   at->name) != PMX_OK)
				return PMX_ERROR;
			continue;
		}
		for (int c = 0; c < lt->ncols; c++)
		{
			PmxColumn  *lc = &lt->cols[c];
			const char *was = lc->live_name ? lc->live_name : lc->name;
			PmxChange  *ch;

			if (!lc->peer || keeps_column(t, d, was))
				continue;
			/* the same name, a new column: the old values are gone */
			if (!(ch = pmx_diff_add(ctx, out, PMX_OP_DROP_COLUMN, lt, at)))
				return PMX_ERROR;
			ch->lc = lc;
			ch->object = lc->name;
		}
	}
	return PMX_OK;
}

/* See pmx_effect.h. */
void
pmx_effect_item(PmxJsonWriter *w, PmxOp op, const char *table, const char *object,
				PmxSafety safety, const char *reason, int reversible)
{
	pmx_jw_begin_object(w);
	pmx_jw_key(w, "op");
	pmx_jw_string(w, pmx_op_name(op));
	pmx_jw_key(w, "table");
	pmx_jw_string(w, table);
	pmx_jw_key(w, "object");
	pmx_jw_string(w, object);
	pmx_jw_key(w, "safety");
	pmx_jw_string(w, pmx_safety_name(safety));
	pmx_jw_key(w, "reason");
	pmx_jw_string(w, reason);
	if (reversible >= 0)
	{
		pmx_jw_key(w, "reversible");
		pmx_jw_bool(w, reversible != 0);
	}
	pmx_jw_end_object(w);
}

/* See pmx_effect.h. */
char *
pmx_effect_json(PmxCtx *ctx, const PmxDiff *d)
{
	PmxJsonWriter w;

	pmx_jw_init(&w, ctx);
	pmx_jw_begin_array(&w);
	for (int i = 0; i < d->nchanges; i++)
	{
		const PmxChange *ch = d->changes[i];
		const PmxTable *t = ch->tt ? ch->tt : ch->lt;

		pmx_effect_item(&w, ch->op, t ? t->name : NULL, ch->object, ch->safety, ch->reason, -1);
	}
	pmx_jw_end_array(&w);
	return pmx_jw_finish(&w);
}
