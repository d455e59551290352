/*-------------------------------------------------------------------------
 *
 * pmx_shadow_trim.c
 *	  Less shadow work for a changed PostgreSQL table: the objects whose
 *	  declaration is the live one are taken from the live model instead of
 *	  being created in the shadow.
 *
 * A target table that differs from the live one (a column added, a type
 * widened) still needs the shadow for what changed, but its unchanged
 * indexes, foreign keys and checks would come back from the shadow exactly
 * as the live model has them -- at the price of an index build each.  So
 * the shadow gets a trimmed copy of the table and the kept live objects are
 * spliced into what the shadow returns.
 *
 * What is kept, and why it is safe (the server would spell it the same):
 *	 - an index on plain columns, without predicate, same name, method,
 *	   uniqueness, columns and INCLUDE list: spelled by names only;
 *	 - a foreign key with the same name, columns, referenced table and
 *	   columns, actions and deferrability: spelled by names only;
 *	 - a check with the same name and text as the live (server-spelled) one,
 *	   and an index with expressions or a predicate equal to the live one,
 *	   when they name neither the table nor a column that changes type (a
 *	   type change can change how the server spells an expression over it).
 * When no foreign key going to the shadow references the table (such a key
 * needs its parent's columns and key there), pmx_shadow_trim_columns also
 * leaves out the columns the target declares exactly as the live ones and
 * the keys over them: a column's type, default, identity and collation
 * are spelled from the column alone.  A table with a column added then
 * costs the shadow a one-column table, not the whole table, its primary
 * key's and unique constraints' index builds and its identity sequence.
 *
 * IDENTIFICATION
 *	  shared/pmx_shadow_trim.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_shadow_trim.h"
#include "pmx_sql.h"
#include "pmx_validate.h"

/*
 * The names of the columns of jt whose type differs from lt's column of
 * that name, into *out.  PMX_ERROR on OOM.
 */
static int
retyped_columns(PmxCtx *ctx, const PmxTable *jt, const PmxTable *lt, PmxNames *out)
{
	memset(out, 0, sizeof(*out));
	for (int c = 0; c < jt->ncols; c++)
	{
		PmxColumn  *lc = pmx_table_find_column(ctx, PMX_DIALECT_POSTGRES, (PmxTable *) lt,
											   jt->cols[c].name);

		if (lc && strcmp(lc->type, jt->cols[c].type) != 0 &&
			pmx_names_push(ctx, out, jt->cols[c].name) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/*
 * The server spells expression expr (of table t) as it did before the
 * columns in retyped changed type: it names none of them, nor the table
 * (a whole-row reference).  A type change can change how the server
 * spells an expression over the column (the casts it shows).
 */
static bool
spelled_as_before(const char *expr, const PmxTable *t, const PmxNames *retyped)
{
	if (!expr)
		return true;
	if (retyped->n == 0)
		return true;
	if (pmx_sql_mentions_ident(expr, t->name))
		return false;
	for (int i = 0; i < retyped->n; i++)
		if (pmx_sql_mentions_ident(expr, retyped->v[i]))
			return false;
	return true;
}

/* Index ix of t reads as before the columns in retyped changed type. */
static bool
index_as_before(const PmxTable *t, const PmxIndex *ix, const PmxNames *retyped)
{
	if (!spelled_as_before(ix->where, t, retyped))
		return false;
	for (int e = 0; e < ix->elems.n; e++)
		if (pmx_table_column_index(NULL, PMX_DIALECT_POSTGRES, (PmxTable *) t, ix->elems.v[e]) < 0 &&
			!spelled_as_before(ix->elems.v[e], t, retyped))
			return false;
	return true;
}

/* An index element list holds only plain columns of t; see pmx_shadow_trim.h. */
bool
pmx_shadow_plain_columns(const PmxTable *t, const PmxIndex *ix)
{
	for (int e = 0; e < ix->elems.n; e++)
	{
		bool		found = false;

		for (int c = 0; c < t->ncols && !found; c++)
			found = strcmp(t->cols[c].name, ix->elems.v[e]) == 0;
		if (!found)
			return false;
	}
	return true;
}

/* The live index the target index ji can be taken from, or NULL. */
static const PmxIndex *
kept_index(const PmxTable *jt, const PmxIndex *ji, const PmxTable *lt,
		   const PmxNames *retyped)
{
	for (int k = 0; k < lt->nindexes; k++)
	{
		const PmxIndex *li = &lt->indexes[k];

		if (!ji->name || strcmp(li->name, ji->name) != 0 ||
			!pmx_index_same_def(PMX_DIALECT_POSTGRES, lt, li, jt, ji))
			continue;
		if (!ji->where && pmx_shadow_plain_columns(jt, ji))
			return li;
		return index_as_before(jt, ji, retyped) ? li : NULL;
	}
	return NULL;
}

/* The live foreign key the target key jf can be taken from, or NULL. */
static const PmxForeignKey *
kept_fk(const PmxForeignKey *jf, const PmxTable *lt)
{
	for (int k = 0; k < lt->nfks; k++)
	{
		const PmxForeignKey *lf = &lt->fks[k];

		if (jf->name && strcmp(lf->name, jf->name) == 0 &&
			pmx_names_eq(PMX_DIALECT_POSTGRES, &lf->cols, &jf->cols) &&
			strcmp(lf->ref_table, jf->ref_table) == 0 &&
			pmx_names_eq(PMX_DIALECT_POSTGRES, &lf->ref_cols, &jf->ref_cols) &&
			strcmp(lf->on_delete, jf->on_delete) == 0 &&
			strcmp(lf->on_update, jf->on_update) == 0 &&
			lf->deferrable == jf->deferrable)
			return lf;
	}
	return NULL;
}

/* The live check the target check jc can be taken from, or NULL. */
static const PmxCheck *
kept_check(const PmxCheck *jc, const PmxTable *lt)
{
	for (int k = 0; k < lt->nchecks; k++)
		if (jc->name && strcmp(lt->checks[k].name, jc->name) == 0 &&
			strcmp(lt->checks[k].expr, jc->expr) == 0)
			return &lt->checks[k];
	return NULL;
}

/* Trim jt against lt; see pmx_shadow_trim.h. */
PmxTable *
pmx_shadow_trim(PmxCtx *ctx, const PmxTable *jt, const PmxTable *lt, PmxKept *kept)
{
	PmxTable   *t = pmx_table_clone(ctx, jt);
	PmxNames	retyped;
	int			n;

	memset(kept, 0, sizeof(*kept));
	if (!t || retyped_columns(ctx, jt, lt, &retyped) != PMX_OK)
		return NULL;
	kept->indexes = pmx_alloc(ctx, sizeof(PmxIndex *) * (size_t) (jt->nindexes + 1));
	kept->fks = pmx_alloc(ctx, sizeof(PmxForeignKey *) * (size_t) (jt->nfks + 1));
	kept->checks = pmx_alloc(ctx, sizeof(PmxCheck *) * (size_t) (jt->nchecks + 1));
	if (!kept->indexes || !kept->fks || !kept->checks)
		return NULL;
	n = 0;
	for (int k = 0; k < jt->nindexes; k++)
	{
		const PmxIndex *li = kept_index(jt, &jt->indexes[k], lt, &retyped);

		if (li)
			kept->indexes[kept->nindexes++] = li;
		else
			t->indexes[n++] = t->indexes[k];
	}
	t->nindexes = n;
	n = 0;
	for (int k = 0; k < jt->nfks; k++)
	{
		const PmxForeignKey *lf = kept_fk(&jt->fks[k], lt);

		if (lf)
			kept->fks[kept->nfks++] = lf;
		else
			t->fks[n++] = t->fks[k];
	}
	t->nfks = n;
	n = 0;
	for (int k = 0; k < jt->nchecks; k++)
	{
		const PmxCheck *lc = spelled_as_before(jt->checks[k].expr, jt, &retyped)
			? kept_check(&jt->checks[k], lt) : NULL;

		if (lc)
			kept->checks[kept->nchecks++] = lc;
		else
			t->checks[n++] = t->checks[k];
	}
	t->nchecks = n;
	return t;
}

/* Two optional strings are equal (both NULL, or the same text). */
static bool
opt_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Target column jc declares live column lc as it is; see pmx_shadow_trim.h. */
bool
pmx_shadow_column_same(const PmxColumn *jc, const PmxColumn *lc)
{
	return strcmp(jc->name, lc->name) == 0 && strcmp(jc->type, lc->type) == 0 &&
		jc->nullable == lc->nullable && jc->identity == lc->identity &&
		!jc->generated && !lc->generated &&
		opt_eq(jc->default_expr, lc->default_expr) &&
		opt_eq(jc->collation, lc->collation) && opt_eq(jc->comment, lc->comment);
}

/* The live key among lks[0..n) with k's name and columns, or NULL. */
static const PmxKey *
same_key(const PmxKey *k, const PmxKey *lks, int n)
{
	for (int i = 0; i < n; i++)
		if (k->name && lks[i].name && strcmp(k->name, lks[i].name) == 0 &&
			pmx_names_eq(PMX_DIALECT_POSTGRES, &k->cols, &lks[i].cols))
			return &lks[i];
	return NULL;
}

/* A name of n is a column of t marked in need. */
static bool
any_needed(const PmxTable *t, const PmxNames *n, const bool *need)
{
	for (int i = 0; i < n->n; i++)
	{
		int			c = pmx_table_column_index(NULL, PMX_DIALECT_POSTGRES, (PmxTable *) t, n->v[i]);

		if (c >= 0 && need[c])
			return true;
	}
	return false;
}

/* Mark the columns named in n as needed; see pmx_shadow_trim.h. */
bool
pmx_shadow_mark_needed(const PmxTable *t, const PmxNames *n, bool *need)
{
	for (int i = 0; i < n->n; i++)
	{
		int			c = pmx_table_column_index(NULL, PMX_DIALECT_POSTGRES, (PmxTable *) t, n->v[i]);

		if (c < 0)
			return false;
		need[c] = true;
	}
	return true;
}

/*
 * Column and key trim; see pmx_shadow_trim.h.  What stays in the shadow is
 * declared on the columns the target changes, and on the columns of the
 * keys, indexes and foreign keys that go to the shadow: the server spells
 * a column's type, default, identity and collation from the column alone,
 * and a key makes its columns NOT NULL only when it goes to the shadow
 * with them (a key is taken from the live table only when none of its
 * columns changes).  A check or an index over expressions needs the
 * columns it names (pmx_shadow_mark_exprs), and every one when it names
 * the table.
 */
int
pmx_shadow_trim_columns(PmxCtx *ctx, PmxTable *t, const PmxTable *lt, PmxKept *kept)
{
	bool	   *need,
			   *uniq_kept;
	const PmxColumn **from;
	const PmxKey *pk = NULL;
	int			n;

	need = pmx_alloc(ctx, sizeof(bool) * (size_t) (t->ncols + 1));
	from = pmx_alloc(ctx, sizeof(PmxColumn *) * (size_t) (t->ncols + 1));
	uniq_kept = pmx_alloc(ctx, sizeof(bool) * (size_t) (t->nuniques + 1));
	if (!need || !from || !uniq_kept)
		return PMX_ERROR;
	for (int c = 0; c < t->ncols; c++)
	{
		const PmxColumn *lc = pmx_table_find_column(ctx, PMX_DIALECT_POSTGRES, (PmxTable *) lt,
													t->cols[c].name);

		if (t->cols[c].generated)
			return PMX_OK;
		need[c] = !lc || !pmx_shadow_column_same(&t->cols[c], lc);
		from[c] = need[c] ? NULL : lc;
	}
	if (t->pk && lt->pk && !any_needed(t, &t->pk->cols, need))
		pk = same_key(t->pk, lt->pk, 1);
	for (int k = 0; k < t->nuniques; k++)
		uniq_kept[k] = !any_needed(t, &t->uniques[k].cols, need) &&
			same_key(&t->uniques[k], lt->uniques, lt->nuniques) != NULL;
	/* the columns of what goes to the shadow go with it */
	if (t->pk && !pk && !pmx_shadow_mark_needed(t, &t->pk->cols, need))
		return PMX_OK;
	for (int k = 0; k < t->nuniques; k++)
		if (!uniq_kept[k] && !pmx_shadow_mark_needed(t, &t->uniques[k].cols, need))
			return PMX_OK;
	if (!pmx_shadow_mark_exprs(t, need))
		return PMX_OK;
	for (int k = 0; k < t->nfks; k++)
		if (!pmx_shadow_mark_needed(t, &t->fks[k].cols, need))
			return PMX_OK;

	kept->col_names = pmx_alloc(ctx, sizeof(char *) * (size_t) (t->ncols + 1));
	kept->cols = pmx_alloc(ctx, sizeof(PmxColumn *) * (size_t) (t->ncols + 1));
	kept->uniques = pmx_alloc(ctx, sizeof(PmxKey *) * (size_t) (t->nuniques + 1));
	if (!kept->col_names || !kept->cols || !kept->uniques)
		return PMX_ERROR;
	kept->ncols = t->ncols;
	n = 0;
	for (int c = 0; c < t->ncols; c++)
	{
		kept->col_names[c] = t->cols[c].name;
		kept->cols[c] = need[c] ? NULL : from[c];
		if (need[c])
			t->cols[n++] = t->cols[c];
	}
	t->ncols = n;
	if (pk)
	{
		kept->pk = pk;
		t->pk = NULL;
	}
	n = 0;
	for (int k = 0; k < t->nuniques; k++)
	{
		if (uniq_kept[k])
			kept->uniques[kept->nuniques++] = same_key(&t->uniques[k], lt->uniques, lt->nuniques);
		else
			t->uniques[n++] = t->uniques[k];
	}
	t->nuniques = n;
	return PMX_OK;
}

/*
 * Mark the columns of t that expression expr names; false when it names
 * the table itself (a whole-row reference needs every column).
 */
static bool
mark_mentioned(const PmxTable *t, const char *expr, bool *need)
{
	if (!expr)
		return true;
	if (pmx_sql_mentions_ident(expr, t->name))
		return false;
	for (int c = 0; c < t->ncols; c++)
		if (pmx_sql_mentions_ident(expr, t->cols[c].name))
			need[c] = true;
	return true;
}

/* See pmx_shadow_trim.h. */
bool
pmx_shadow_mark_exprs(const PmxTable *t, bool *need)
{
	for (int k = 0; k < t->nchecks; k++)
		if (!mark_mentioned(t, t->checks[k].expr, need))
			return false;
	for (int k = 0; k < t->nindexes; k++)
	{
		const PmxIndex *ix = &t->indexes[k];

		if (!mark_mentioned(t, ix->where, need) ||
			!pmx_shadow_mark_needed(t, &ix->include, need))
			return false;
		for (int e = 0; e < ix->elems.n; e++)
		{
			int			c = pmx_table_column_index(NULL, PMX_DIALECT_POSTGRES, (PmxTable *) t,
												   ix->elems.v[e]);

			if (c >= 0)
				need[c] = true;
			else if (!mark_mentioned(t, ix->elems.v[e], need))
				return false;
		}
	}
	return true;
}

/* Every name of n is a column of t. */
static bool
all_columns(const PmxTable *t, const PmxNames *n)
{
	for (int i = 0; i < n->n; i++)
		if (pmx_table_column_index(NULL, PMX_DIALECT_POSTGRES, (PmxTable *) t, n->v[i]) < 0)
			return false;
	return n->n > 0;
}

/* Grow *v (n used) to room for n + more pointers; false on OOM. */
static bool
room_for(PmxCtx *ctx, const void ***v, int n, int more)
{
	const void **w = pmx_alloc(ctx, sizeof(void *) * (size_t) (n + more + 1));

	if (!w)
		return false;
	if (n)
		memcpy(w, *v, sizeof(void *) * (size_t) n);
	*v = w;
	return true;
}

/* A name the server keeps as written; see pmx_shadow_trim.h. */
bool
pmx_shadow_name_kept(const char *name)
{
	return name && strlen(name) <= 63;
}

/* Declare; see pmx_shadow_trim.h. */
int
pmx_shadow_declare(PmxCtx *ctx, PmxTable *t, PmxKept *kept)
{
	int			n;

	if (t->pk && pmx_shadow_name_kept(t->pk->name) && all_columns(t, &t->pk->cols))
	{
		for (int i = 0; i < t->pk->cols.n; i++)
			pmx_table_find_column(ctx, PMX_DIALECT_POSTGRES, t, t->pk->cols.v[i])->nullable = false;
		kept->decl_pk = t->pk;
		t->pk = NULL;
	}
	if (t->nuniques &&
		!room_for(ctx, (const void ***) &kept->decl_uniques, kept->ndecl_uniques, t->nuniques))
		return PMX_ERROR;
	n = 0;
	for (int k = 0; k < t->nuniques; k++)
	{
		PmxKey	   *u;

		if (pmx_shadow_name_kept(t->uniques[k].name) && all_columns(t, &t->uniques[k].cols))
		{
			/* a copy: the array is compacted below */
			if (!(u = pmx_alloc(ctx, sizeof(PmxKey))))
				return PMX_ERROR;
			*u = t->uniques[k];
			kept->decl_uniques[kept->ndecl_uniques++] = u;
		}
		else
			t->uniques[n++] = t->uniques[k];
	}
	t->nuniques = n;
	if (t->nindexes &&
		!room_for(ctx, (const void ***) &kept->decl_indexes, kept->ndecl_indexes, t->nindexes))
		return PMX_ERROR;
	n = 0;
	for (int k = 0; k < t->nindexes; k++)
	{
		const PmxIndex *ix = &t->indexes[k];
		PmxIndex   *copy;

		if (pmx_shadow_name_kept(ix->name) && !ix->where && ix->include.n == 0 && ix->method &&
			strcmp(ix->method, "btree") == 0 && all_columns(t, &ix->elems))
		{
			if (!(copy = pmx_alloc(ctx, sizeof(PmxIndex))))
				return PMX_ERROR;
			*copy = *ix;
			kept->decl_indexes[kept->ndecl_indexes++] = copy;
		}
		else
			t->indexes[n++] = t->indexes[k];
	}
	t->nindexes = n;
	return PMX_OK;
}

/* "SELECT 1 FROM ONLY table ORDER BY cols LIMIT 0" handed to add; see the header. */
static int
add_sort_check(PmxCtx *ctx, const char *table, const PmxNames *cols, const char *what,
			   int (*add) (void *, const char *, const char *), void *arg)
{
	PmxBuf		q;
	char	   *sql;

	pmx_buf_init(&q, ctx);
	pmx_buf_append(&q, "SELECT 1 FROM ONLY ");
	pmx_buf_ident(&q, table);
	pmx_buf_append(&q, " ORDER BY ");
	for (int i = 0; i < cols->n; i++)
	{
		if (i)
			pmx_buf_append(&q, ", ");
		pmx_buf_ident(&q, cols->v[i]);
	}
	pmx_buf_append(&q, " LIMIT 0");
	if (!(sql = pmx_buf_finish(&q)) || !what)
		return PMX_ERROR;
	return add(arg, sql, what);
}

/* See pmx_shadow_trim.h. */
int
pmx_shadow_declare_checks(PmxCtx *ctx, const char *table, const PmxKept *kept,
						  int (*add) (void *arg, const char *sql, const char *what),
						  void *arg)
{
	if (kept->decl_pk && !kept->decl_pk_sorts &&
		add_sort_check(ctx, table, &kept->decl_pk->cols,
					   pmx_sprintf(ctx, "primary key \"%s\" of table \"%s\"", kept->decl_pk->name, table),
					   add, arg) != PMX_OK)
		return PMX_ERROR;
	for (int k = 0; k < kept->ndecl_uniques; k++)
		if (!(kept->decl_uniques_sort && kept->decl_uniques_sort[k]) &&
			add_sort_check(ctx, table, &kept->decl_uniques[k]->cols,
						   pmx_sprintf(ctx, "unique constraint \"%s\" of table \"%s\"",
									   kept->decl_uniques[k]->name, table),
						   add, arg) != PMX_OK)
			return PMX_ERROR;
	for (int k = 0; k < kept->ndecl_indexes; k++)
		if (!(kept->decl_indexes_sort && kept->decl_indexes_sort[k]) &&
			add_sort_check(ctx, table, &kept->decl_indexes[k]->elems,
						   pmx_sprintf(ctx, "index \"%s\" of table \"%s\"",
									   kept->decl_indexes[k]->name, table),
						   add, arg) != PMX_OK)
			return PMX_ERROR;
	return PMX_OK;
}

/* *to = a copy of from (own array, shared strings); PMX_ERROR on OOM. */
static int
copy_names(PmxCtx *ctx, PmxNames *to, const PmxNames *from)
{
	memset(to, 0, sizeof(*to));
	for (int i = 0; i < from->n; i++)
		if (pmx_names_push(ctx, to, from->v[i]) != PMX_OK)
			return PMX_ERROR;
	return PMX_OK;
}

/*
 * The columns of rt in the target's order: the kept live ones, and the
 * shadow's for the others.  PMX_ERROR on OOM, or if the shadow lost one.
 */
static int
splice_columns(PmxCtx *ctx, PmxTable *rt, const PmxKept *kept)
{
	PmxColumn  *cols = pmx_alloc(ctx, sizeof(PmxColumn) * (size_t) (kept->ncols + 1));

	if (!cols)
		return PMX_ERROR;
	for (int c = 0; c < kept->ncols; c++)
	{
		if (kept->cols[c])
		{
			cols[c] = *kept->cols[c];
			cols[c].peer = NULL;
			cols[c].live_name = NULL;
			cols[c].renamed_from = NULL;
			cols[c].maybe_renamed_to = NULL;
			continue;
		}
		{
			int			i = pmx_table_column_index(ctx, PMX_DIALECT_POSTGRES, rt, kept->col_names[c]);

			if (i < 0)
				return pmx_error(ctx, PMX_E_INTERNAL, "the shadow did not return column \"%s\" of table \"%s\"",
								 kept->col_names[c], rt->name);
			cols[c] = rt->cols[i];
		}
	}
	rt->cols = cols;
	rt->ncols = rt->capcols = kept->ncols;
	return PMX_OK;
}

/* rt's primary key: a copy of from (own column array); PMX_ERROR on OOM. */
static int
set_pk(PmxCtx *ctx, PmxTable *rt, const PmxKey *from)
{
	if (!(rt->pk = pmx_alloc(ctx, sizeof(PmxKey))))
		return PMX_ERROR;
	*rt->pk = *from;
	return copy_names(ctx, &rt->pk->cols, &from->cols);
}

/* Splice the kept live objects into the shadow's table rt; see the header. */
int
pmx_shadow_splice(PmxCtx *ctx, PmxTable *rt, const PmxKept *kept)
{
	if (kept->cols && splice_columns(ctx, rt, kept) != PMX_OK)
		return PMX_ERROR;
	if ((kept->pk || kept->decl_pk) &&
		set_pk(ctx, rt, kept->pk ? kept->pk : kept->decl_pk) != PMX_OK)
		return PMX_ERROR;
	for (int k = 0; k < kept->nuniques + kept->ndecl_uniques; k++)
	{
		const PmxKey *from = k < kept->nuniques ? kept->uniques[k]
			: kept->decl_uniques[k - kept->nuniques];
		PmxKey	   *u = pmx_table_add_unique(ctx, rt);

		if (!u)
			return PMX_ERROR;
		*u = *from;
		if (copy_names(ctx, &u->cols, &from->cols) != PMX_OK)
			return PMX_ERROR;
	}
	for (int k = 0; k < kept->nindexes + kept->ndecl_indexes; k++)
	{
		const PmxIndex *from = k < kept->nindexes ? kept->indexes[k]
			: kept->decl_indexes[k - kept->nindexes];
		PmxIndex   *ix = pmx_table_add_index(ctx, rt);

		if (!ix)
			return PMX_ERROR;
		*ix = *from;
		ix->peer = NULL;
		ix->live_name = NULL;
		ix->renamed_from = NULL;
		if (copy_names(ctx, &ix->elems, &from->elems) != PMX_OK ||
			copy_names(ctx, &ix->include, &from->include) != PMX_OK)
			return PMX_ERROR;
	}
	for (int k = 0; k < kept->nfks; k++)
	{
		PmxForeignKey *fk = pmx_table_add_fk(ctx, rt);

		if (!fk)
			return PMX_ERROR;
		*fk = *kept->fks[k];
		if (copy_names(ctx, &fk->cols, &kept->fks[k]->cols) != PMX_OK ||
			copy_names(ctx, &fk->ref_cols, &kept->fks[k]->ref_cols) != PMX_OK)
			return PMX_ERROR;
	}
	for (int k = 0; k < kept->nchecks; k++)
	{
		PmxCheck   *ck = pmx_table_add_check(ctx, rt);

		if (!ck)
			return PMX_ERROR;
		*ck = *kept->checks[k];
	}
	return PMX_OK;
}
