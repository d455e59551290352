/*-------------------------------------------------------------------------
 *
 * pmx_shadow_columns.c
 *	  Columns that need no shadow table: the server spells their type
 *	  without one (PostgreSQL).
 *
 * The shadow exists so that the server, not premix, spells what a target
 * declares.  For a column that declares only a type -- no default, no
 * collation, no generated expression -- the server's whole contribution
 * is format_type() of that type, which the host can ask the parser for
 * directly (PmxDb.spell_types).  Such a column is made from its
 * declaration with the server's spelling of its type, and no longer costs
 * the shadow a column (and, for a table it was all that changed in, the
 * table: its relation file, row type and TOAST table).  A column the
 * target declares exactly as the live one is the live one, here too.
 *
 * What still goes to the shadow, and why:
 *	 - a column with a default, a collation or a generated expression, or a
 *	   type the host would not spell (unknown to the live schema, e.g. an
 *	   enum the target adds; a pseudo or composite type; no USAGE): the
 *	   server must spell or refuse it;
 *	 - the columns a check or an index over expressions or with a predicate
 *	   going to the shadow names (every column, when it names the table: a
 *	   whole-row reference), and all of a table with a generated column;
 *	 - the columns of the keys, indexes and foreign keys that go to the
 *	   shadow; a declared key or plain index (pmx_shadow_declare) leaves with
 *	   its columns only when all of them leave and their types sort, since
 *	   its sort check in the shadow needs the columns there;
 *	 - a column named like a system column (ctid, xmin, ...), with a name
 *	   the server would cut, an identity on a type that cannot have one, or
 *	   an empty comment (which COMMENT ON removes): the shadow refuses or
 *	   changes those, and must be the one to.
 *
 * IDENTIFICATION
 *	  shared/pmx_shadow_columns.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_shadow_trim.h"
#include "pmx_types.h"

/* One type to ask the host about, and where its answer goes. */
typedef struct SpellAsk
{
	PmxCtx	   *ctx;
	PmxMap	   *out;
	const char **declared;		/* the types as the target writes them */
	int			n;
	int			next;			/* the answer expected next */
} SpellAsk;

/* Row of db->spell_types: keep the spelling of declared[next]. */
static int
on_spelled(void *arg, int ncols, const char *const *v)
{
	SpellAsk   *a = arg;
	PmxSpelled *sp;
	const char *key;

	if (ncols < 3 || a->next >= a->n)
		return pmx_error(a->ctx, PMX_E_INTERNAL, "the host answered more types than it was asked");
	key = a->declared[a->next++];
	if (!v[1])
		return PMX_OK;			/* not as it is: the shadow will say */
	if (!(sp = pmx_alloc(a->ctx, sizeof(PmxSpelled))) ||
		!(sp->format_type = pmx_strdup(a->ctx, v[1])) ||
		!(sp->type = pmx_pg_type_report(a->ctx, v[1])))
		return PMX_ERROR;
	sp->sortable = v[2] && strcmp(v[2], "t") == 0;
	return pmx_map_put(a->out, key, sp);
}

/* A name the server keeps for its own columns of every table. */
static bool
system_column(const char *name)
{
	static const char *const sys[] = {"tableoid", "cmax", "xmax", "cmin", "xmin", "ctid"};

	for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++)
		if (strcmp(name, sys[i]) == 0)
			return true;
	return false;
}

/* Column c declares nothing but what the server spells from its type. */
static bool
declarable(const PmxColumn *c)
{
	return !c->default_expr && !c->generated && !c->collation && !c->sequence &&
		pmx_shadow_name_kept(c->name) && !system_column(c->name) &&
		(!c->comment || c->comment[0]) &&
		(c->identity == PMX_IDENTITY_NONE || !c->nullable);
}

/*
 * The type of c as PostgreSQL's CREATE TABLE gets it (*out), or NULL when
 * the renderer refuses it (the shadow then reports that).  PMX_ERROR on OOM.
 */
static int
rendered(PmxCtx *ctx, const PmxColumn *c, char **out)
{
	*out = pmx_pg_type_render(ctx, c->type);
	if (*out)
		return PMX_OK;
	if (ctx->err.code == PMX_E_NOMEM)
		return PMX_ERROR;
	pmx_error_clear(ctx);
	return PMX_OK;
}

/* See pmx_shadow_trim.h. */
int
pmx_shadow_spell_types(PmxCtx *ctx, PmxDb *db, PmxTable *const *tables, int n, PmxMap *out)
{
	PmxMap		asked;
	SpellAsk	a;
	const char **as_sql;
	int			cap = 16;

	if (pmx_map_init(out, ctx, 16, false) != PMX_OK)
		return PMX_ERROR;
	if (!db->spell_types || n == 0)
		return PMX_OK;
	memset(&a, 0, sizeof(a));
	a.ctx = ctx;
	a.out = out;
	if (pmx_map_init(&asked, ctx, 16, false) != PMX_OK ||
		!(a.declared = pmx_alloc(ctx, sizeof(char *) * (size_t) cap)) ||
		!(as_sql = pmx_alloc(ctx, sizeof(char *) * (size_t) cap)))
		return PMX_ERROR;
	for (int i = 0; i < n; i++)
		for (int c = 0; c < tables[i]->ncols; c++)
		{
			const PmxColumn *col = &tables[i]->cols[c];
			char	   *sql;

			if (pmx_map_get(&asked, col->type))
				continue;
			if (pmx_map_put(&asked, col->type, (void *) col->type) != PMX_OK ||
				rendered(ctx, col, &sql) != PMX_OK)
				return PMX_ERROR;
			if (!sql)
				continue;
			if (a.n == cap)
			{
				const char **d = pmx_alloc(ctx, sizeof(char *) * (size_t) cap * 2),
						  **q = pmx_alloc(ctx, sizeof(char *) * (size_t) cap * 2);

				if (!d || !q)
					return PMX_ERROR;
				memcpy(d, a.declared, sizeof(char *) * (size_t) cap);
				memcpy(q, as_sql, sizeof(char *) * (size_t) cap);
				a.declared = d;
				as_sql = q;
				cap *= 2;
			}
			a.declared[a.n] = col->type;
			as_sql[a.n++] = sql;
		}
	if (a.n == 0)
		return PMX_OK;
	if (db->spell_types(db->ud, ctx, as_sql, a.n, on_spelled, &a) != PMX_OK)
		return PMX_ERROR;
	if (a.next != a.n)
		return pmx_error(ctx, PMX_E_INTERNAL, "the host answered %d of %d types", a.next, a.n);
	return PMX_OK;
}

/* Every column of key cols leaves the shadow (need unset) and sorts. */
static bool
key_leaves(const PmxTable *t, const PmxNames *cols, const bool *need,
		   const PmxSpelled *const *sp)
{
	for (int i = 0; i < cols->n; i++)
	{
		int			c = pmx_table_column_index(NULL, PMX_DIALECT_POSTGRES, (PmxTable *) t, cols->v[i]);

		if (c < 0 || need[c] || !sp[c] || !sp[c]->sortable)
			return false;
	}
	return true;
}

/*
 * Keep the columns of a declared key that cannot leave in the shadow with
 * it; true when that marked a column not marked before.
 */
static bool
hold_key(const PmxTable *t, const PmxNames *cols, bool *need, const PmxSpelled *const *sp)
{
	bool		more = false;

	if (key_leaves(t, cols, need, sp))
		return false;
	for (int i = 0; i < cols->n; i++)
	{
		int			c = pmx_table_column_index(NULL, PMX_DIALECT_POSTGRES, (PmxTable *) t, cols->v[i]);

		if (c >= 0 && !need[c])
			need[c] = more = true;
	}
	return more;
}

/*
 * Which columns of t may leave: need[c] false for those, from[c] the live
 * column of lt the target declares as it is (taken as it is), else sp[c]
 * the server's spelling of its type.  False when none may.
 */
static bool
choose_columns(PmxCtx *ctx, const PmxTable *t, const PmxTable *lt, const PmxKept *kept,
			   const PmxMap *spelled, bool *need, const PmxSpelled **sp,
			   const PmxColumn **from)
{
	bool		any = false,
				more;

	for (int c = 0; c < t->ncols; c++)
	{
		const PmxColumn *col = &t->cols[c];
		const PmxColumn *lc = lt ? pmx_table_find_column(ctx, PMX_DIALECT_POSTGRES, (PmxTable *) lt,
														 col->name) : NULL;

		if (col->generated)
			return false;
		from[c] = lc && pmx_shadow_column_same(col, lc) ? lc : NULL;
		sp[c] = from[c] || declarable(col) ? pmx_map_get(spelled, col->type) : NULL;
		/* the server gives identities to the integer types only */
		if (sp[c] && !from[c] && col->identity != PMX_IDENTITY_NONE &&
			strcmp(sp[c]->format_type, "smallint") != 0 &&
			strcmp(sp[c]->format_type, "integer") != 0 &&
			strcmp(sp[c]->format_type, "bigint") != 0)
			sp[c] = NULL;
		need[c] = !from[c] && !sp[c];
	}
	/* what goes to the shadow keeps its columns there */
	if (!pmx_shadow_mark_exprs(t, need))
		return false;
	if (t->pk && !pmx_shadow_mark_needed(t, &t->pk->cols, need))
		return false;
	for (int k = 0; k < t->nuniques; k++)
		if (!pmx_shadow_mark_needed(t, &t->uniques[k].cols, need))
			return false;
	for (int k = 0; k < t->nfks; k++)
		if (!pmx_shadow_mark_needed(t, &t->fks[k].cols, need))
			return false;
	/* a declared key leaves only with all its columns: to a fixed point */
	do
	{
		more = false;
		if (kept->decl_pk)
			more |= hold_key(t, &kept->decl_pk->cols, need, sp);
		for (int k = 0; k < kept->ndecl_uniques; k++)
			more |= hold_key(t, &kept->decl_uniques[k]->cols, need, sp);
		for (int k = 0; k < kept->ndecl_indexes; k++)
			more |= hold_key(t, &kept->decl_indexes[k]->elems, need, sp);
	} while (more);
	for (int c = 0; c < t->ncols; c++)
		any |= !need[c];
	return any;
}

/*
 * kept->cols for t in the target's order: from pmx_shadow_trim_columns when
 * it made them, else all NULL (from the shadow).  PMX_ERROR on OOM.
 */
static int
column_slots(PmxCtx *ctx, const PmxTable *t, PmxKept *kept)
{
	if (kept->cols)
		return PMX_OK;
	kept->col_names = pmx_alloc(ctx, sizeof(char *) * (size_t) (t->ncols + 1));
	kept->cols = pmx_alloc(ctx, sizeof(PmxColumn *) * (size_t) (t->ncols + 1));
	if (!kept->col_names || !kept->cols)
		return PMX_ERROR;
	kept->ncols = t->ncols;
	for (int c = 0; c < t->ncols; c++)
	{
		kept->col_names[c] = t->cols[c].name;
		kept->cols[c] = NULL;
	}
	return PMX_OK;
}

/*
 * Column c of t into its slot of kept->cols: the live column from when
 * set, else c as declared with the server's spelling of its type.
 */
static int
declare_column(PmxCtx *ctx, const PmxColumn *c, const PmxColumn *from,
			   const PmxSpelled *sp, PmxKept *kept)
{
	PmxColumn  *d = NULL;

	if (!from)
	{
		if (!(d = pmx_alloc(ctx, sizeof(PmxColumn))))
			return PMX_ERROR;
		*d = *c;
		d->type = (char *) sp->type;
		d->renamed_from = NULL;
		d->live_name = NULL;
		d->peer = NULL;
		d->maybe_renamed_to = NULL;
	}
	for (int i = 0; i < kept->ncols; i++)
		if (!kept->cols[i] && strcmp(kept->col_names[i], c->name) == 0)
		{
			kept->cols[i] = from ? from : d;
			return PMX_OK;
		}
	return pmx_error(ctx, PMX_E_INTERNAL, "column \"%s\" has no place in its table", c->name);
}

/*
 * Flag the declared keys whose columns all left (no sort check in the
 * shadow); *all: every one did.  PMX_ERROR on OOM.
 */
static int
mark_sorted(PmxCtx *ctx, const PmxTable *t, PmxKept *kept, const bool *need,
			const PmxSpelled *const *sp, bool *all)
{
	kept->decl_uniques_sort = pmx_alloc(ctx, sizeof(bool) * (size_t) (kept->ndecl_uniques + 1));
	kept->decl_indexes_sort = pmx_alloc(ctx, sizeof(bool) * (size_t) (kept->ndecl_indexes + 1));
	if (!kept->decl_uniques_sort || !kept->decl_indexes_sort)
		return PMX_ERROR;
	kept->decl_pk_sorts = kept->decl_pk && key_leaves(t, &kept->decl_pk->cols, need, sp);
	*all = !kept->decl_pk || kept->decl_pk_sorts;
	for (int k = 0; k < kept->ndecl_uniques; k++)
	{
		kept->decl_uniques_sort[k] = key_leaves(t, &kept->decl_uniques[k]->cols, need, sp);
		*all = *all && kept->decl_uniques_sort[k];
	}
	for (int k = 0; k < kept->ndecl_indexes; k++)
	{
		kept->decl_indexes_sort[k] = key_leaves(t, &kept->decl_indexes[k]->elems, need, sp);
		*all = *all && kept->decl_indexes_sort[k];
	}
	return PMX_OK;
}

/* See pmx_shadow_trim.h. */
int
pmx_shadow_declare_columns(PmxCtx *ctx, PmxTable *t, const PmxTable *lt, PmxKept *kept,
						   const PmxMap *spelled)
{
	bool	   *need;
	const PmxSpelled **sp;
	const PmxColumn **from;
	bool		all_sorted;
	int			n = 0;

	if (spelled->n == 0 || t->ncols == 0)
		return PMX_OK;
	need = pmx_alloc(ctx, sizeof(bool) * (size_t) (t->ncols + 1));
	sp = pmx_alloc(ctx, sizeof(PmxSpelled *) * (size_t) (t->ncols + 1));
	from = pmx_alloc(ctx, sizeof(PmxColumn *) * (size_t) (t->ncols + 1));
	if (!need || !sp || !from)
		return PMX_ERROR;
	if (!choose_columns(ctx, t, lt, kept, spelled, need, sp, from))
		return PMX_OK;
	if (column_slots(ctx, t, kept) != PMX_OK ||
		mark_sorted(ctx, t, kept, need, sp, &all_sorted) != PMX_OK)
		return PMX_ERROR;
	for (int c = 0; c < t->ncols; c++)
	{
		if (!need[c])
		{
			if (declare_column(ctx, &t->cols[c], from[c], sp[c], kept) != PMX_OK)
				return PMX_ERROR;
			continue;
		}
		t->cols[n++] = t->cols[c];
	}
	t->ncols = n;
	/* a live table's name is known good: with nothing left, no shadow table */
	kept->no_shadow = lt && n == 0 && !t->pk && t->nuniques == 0 && t->nfks == 0 &&
		t->nindexes == 0 && t->nchecks == 0 && all_sorted &&
		pmx_shadow_name_kept(t->name) && (!t->comment || t->comment[0]);
	return PMX_OK;
}
