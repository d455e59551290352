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
 *	   only when no column of the table changes type (a type change can
 *	   change how the server spells an expression over it).
 * The primary key and unique constraints always go to the shadow: foreign
 * keys of other shadow tables may need them.
 *
 * IDENTIFICATION
 *	  shared/pmx_shadow_trim.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_shadow_trim.h"
#include "pmx_validate.h"

/* A column of jt changes type (or is new with a name lt had otherwise). */
static bool
types_change(PmxCtx *ctx, const PmxTable *jt, const PmxTable *lt)
{
	for (int c = 0; c < jt->ncols; c++)
	{
		PmxColumn  *lc = pmx_table_find_column(ctx, PMX_DIALECT_POSTGRES, (PmxTable *) lt,
											   jt->cols[c].name);

		if (lc && strcmp(lc->type, jt->cols[c].type) != 0)
			return true;
	}
	return false;
}

/* An index element list holds only plain columns of t. */
static bool
plain_columns(const PmxTable *t, const PmxIndex *ix)
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
kept_index(const PmxTable *jt, const PmxIndex *ji, const PmxTable *lt, bool exprs_ok)
{
	for (int k = 0; k < lt->nindexes; k++)
	{
		const PmxIndex *li = &lt->indexes[k];

		if (!ji->name || strcmp(li->name, ji->name) != 0 ||
			!pmx_index_same_def(PMX_DIALECT_POSTGRES, lt, li, jt, ji))
			continue;
		if (!ji->where && plain_columns(jt, ji))
			return li;
		return exprs_ok ? li : NULL;
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
	bool		exprs_ok = !types_change(ctx, jt, lt);
	int			n;

	memset(kept, 0, sizeof(*kept));
	if (!t)
		return NULL;
	kept->indexes = pmx_alloc(ctx, sizeof(PmxIndex *) * (size_t) (jt->nindexes + 1));
	kept->fks = pmx_alloc(ctx, sizeof(PmxForeignKey *) * (size_t) (jt->nfks + 1));
	kept->checks = pmx_alloc(ctx, sizeof(PmxCheck *) * (size_t) (jt->nchecks + 1));
	if (!kept->indexes || !kept->fks || !kept->checks)
		return NULL;
	n = 0;
	for (int k = 0; k < jt->nindexes; k++)
	{
		const PmxIndex *li = kept_index(jt, &jt->indexes[k], lt, exprs_ok);

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
		const PmxCheck *lc = exprs_ok ? kept_check(&jt->checks[k], lt) : NULL;

		if (lc)
			kept->checks[kept->nchecks++] = lc;
		else
			t->checks[n++] = t->checks[k];
	}
	t->nchecks = n;
	return t;
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

/* Splice the kept live objects into the shadow's table rt; see the header. */
int
pmx_shadow_splice(PmxCtx *ctx, PmxTable *rt, const PmxKept *kept)
{
	for (int k = 0; k < kept->nindexes; k++)
	{
		PmxIndex   *ix = pmx_table_add_index(ctx, rt);

		if (!ix)
			return PMX_ERROR;
		*ix = *kept->indexes[k];
		ix->peer = NULL;
		ix->live_name = NULL;
		ix->renamed_from = NULL;
		if (copy_names(ctx, &ix->elems, &kept->indexes[k]->elems) != PMX_OK ||
			copy_names(ctx, &ix->include, &kept->indexes[k]->include) != PMX_OK)
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
