/*-------------------------------------------------------------------------
 *
 * pmx_rename.c
 *	  Match live objects to target objects, and detect renames.
 *
 * Tables, columns and indexes are matched by name first, then by the
 * target's "renamed_from" hint, then by scoring what is left:
 *
 *	 columns: a dropped and an added column are candidates when type,
 *	   nullability, default, collation and identity agree; the score is
 *	   the name similarity (separators and case ignored, so user_name ~
 *	   username = 1.0) plus a bonus for the same position.  A pair becomes
 *	   a rename only when each is the other's best, the similarity is high
 *	   and no rival comes close.  Anything less is not guessed: the drop
 *	   stays a drop (destructive) and its reason names the candidate and
 *	   the renamed_from hint that would confirm it.
 *	 tables: candidates have the same columns (names and types).
 *	 indexes: the same definition under a new name is a rename.
 *
 * A confirmed rename is applied to the live model "virtually": the object
 * takes its new name (the database name is kept in live_name) and every
 * reference to it -- keys, foreign keys of other tables, index elements,
 * CHECK and predicate expressions -- follows, as SQLite's own RENAME does.
 * The structural diff then compares like with like.
 *
 * IDENTIFICATION
 *	  shared/pmx_rename.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_plan.h"
#include "pmx_render_sqlite.h"
#include "pmx_rename.h"
#include "pmx_sql.h"
#include "pmx_validate.h"

#define RENAME_MIN_SIMILARITY 0.75
#define RENAME_MIN_SIMILARITY_SAME_POS 0.5
#define RENAME_POSITION_BONUS 0.1	/* below the margin: position alone never decides */
#define RENAME_MARGIN 0.15
#define TABLE_RENAME_MIN_SIMILARITY 0.6

/* Replace names equal to from[i] by to[i] in a name list. */
static void
rename_in_names(PmxNames *names, char *const *from, char *const *to, int n)
{
	for (int k = 0; k < names->n; k++)
		for (int i = 0; i < n; i++)
			if (pmx_streq_fold(names->v[k], from[i]))
			{
				names->v[k] = to[i];
				break;
			}
}

/* Rename identifiers in an expression in place; PMX_ERROR on error. */
static int
rename_in_expr(PmxCtx *ctx, char **expr, char *const *from, char *const *to, int n)
{
	char	   *e;
	bool		hit = false;

	if (!*expr)
		return PMX_OK;
	/* untouched expressions keep the database's own spelling */
	for (int i = 0; i < n && !hit; i++)
		hit = pmx_sql_mentions_ident(*expr, from[i]);
	if (!hit)
		return PMX_OK;
	if (!(e = pmx_sql_rename_idents(ctx, *expr, from, to, n)))
		return PMX_ERROR;
	*expr = e;
	return PMX_OK;
}

/* Apply a table rename to the live model. */
static void
virtual_rename_table(PmxSchema *live, PmxTable *lt, char *new_name)
{
	char	   *old = lt->name;

	if (!lt->live_name)
		lt->live_name = old;
	lt->name = new_name;
	for (int i = 0; i < live->ntables; i++)
		for (int f = 0; f < live->tables[i]->nfks; f++)
			if (pmx_streq_fold(live->tables[i]->fks[f].ref_table, old))
				live->tables[i]->fks[f].ref_table = new_name;
	live->tabmap_count = -1;
}

/* Apply n column renames of table lt (simultaneously) to the live model. */
static int
virtual_rename_columns(PmxCtx *ctx, PmxSchema *live, PmxTable *lt,
					   char **from, char **to, int n)
{
	if (n == 0)
		return PMX_OK;
	for (int c = 0; c < lt->ncols; c++)
		for (int i = 0; i < n; i++)
			if (pmx_streq_fold(lt->cols[c].name, from[i]))
			{
				if (!lt->cols[c].live_name)
					lt->cols[c].live_name = lt->cols[c].name;
				lt->cols[c].name = to[i];
				break;
			}
	if (lt->pk)
		rename_in_names(&lt->pk->cols, from, to, n);
	for (int u = 0; u < lt->nuniques; u++)
		rename_in_names(&lt->uniques[u].cols, from, to, n);
	for (int f = 0; f < lt->nfks; f++)
		rename_in_names(&lt->fks[f].cols, from, to, n);
	for (int k = 0; k < lt->nchecks; k++)
		if (rename_in_expr(ctx, &lt->checks[k].expr, from, to, n) != PMX_OK)
			return PMX_ERROR;
	for (int x = 0; x < lt->nindexes; x++)
	{
		PmxIndex   *ix = &lt->indexes[x];

		for (int e = 0; e < ix->elems.n; e++)
		{
			bool		plain = false;

			for (int i = 0; i < n; i++)
				if (pmx_streq_fold(ix->elems.v[e], from[i]))
				{
					ix->elems.v[e] = to[i];
					plain = true;
					break;
				}
			if (!plain && !pmx_index_elem_is_column(lt, ix->elems.v[e]) &&
				rename_in_expr(ctx, &ix->elems.v[e], from, to, n) != PMX_OK)
				return PMX_ERROR;
		}
		rename_in_names(&ix->include, from, to, n);
		if (rename_in_expr(ctx, &ix->where, from, to, n) != PMX_OK)
			return PMX_ERROR;
	}
	for (int i = 0; i < live->ntables; i++)
		for (int f = 0; f < live->tables[i]->nfks; f++)
			if (pmx_streq_fold(live->tables[i]->fks[f].ref_table, lt->name))
				rename_in_names(&live->tables[i]->fks[f].ref_cols, from, to, n);
	return PMX_OK;
}

/* Two columns could be one renamed: everything but the name agrees. */
static bool
columns_compatible(const PmxColumn *a, const PmxColumn *b)
{
	return strcmp(a->type, b->type) == 0 && a->nullable == b->nullable &&
		pmx_streq_null(a->default_expr, b->default_expr) &&
		pmx_streq_null(a->collation, b->collation) && a->identity == b->identity;
}

/* Two tables could be one renamed: the same columns, names and types. */
static bool
tables_compatible(PmxDialect d, const PmxTable *a, const PmxTable *b)
{
	if (a->ncols != b->ncols)
		return false;
	for (int i = 0; i < a->ncols; i++)
	{
		bool		found = false;

		for (int k = 0; k < b->ncols && !found; k++)
			found = pmx_ident_eq(d, a->cols[i].name, b->cols[k].name) &&
				strcmp(a->cols[i].type, b->cols[k].type) == 0;
		if (!found)
			return false;
	}
	return true;
}

/* Record a rename change. */
static int
add_rename(PmxCtx *ctx, PmxDiff *d, PmxOp op, PmxTable *lt, PmxTable *tt,
		   const char *old, const char *new_name, const char *why)
{
	PmxChange  *ch = pmx_diff_add(ctx, d, op, lt, tt);

	if (!ch)
		return PMX_ERROR;
	ch->object = new_name;
	ch->reason = pmx_sprintf(ctx, "%s %s renamed to %s (%s)",
							 op == PMX_OP_RENAME_TABLE ? "table" :
							 op == PMX_OP_RENAME_COLUMN ? "column" : "index",
							 old, new_name, why);
	return ch->reason ? PMX_OK : PMX_ERROR;
}

/*
 * The scoring pass shared by tables and columns.  score[i*nb+j] < 0 means
 * incompatible.  Sets pick[i] = j for confident pairs (else -1) and
 * maybe[i] = best j among compatible candidates (else -1).
 */
static void
pick_pairs(const double *score, const double *sim, const bool *same_pos, int na,
		   int nb, double min_sim, double min_sim_same_pos, int *pick, int *maybe)
{
	for (int i = 0; i < na; i++)
	{
		int			best = -1;
		double		bs = -1,
					second = -1;

		pick[i] = -1;
		maybe[i] = -1;
		for (int j = 0; j < nb; j++)
		{
			double		s = score[i * nb + j];

			if (s < 0)
				continue;
			if (s > bs)
			{
				second = bs;
				bs = s;
				best = j;
			}
			else if (s > second)
				second = s;
		}
		if (best < 0)
			continue;
		maybe[i] = best;
		{
			double		col_second = -1;
			bool		mutual = true;
			double		ss = sim[i * nb + best];

			for (int k = 0; k < na; k++)
			{
				double		s = score[k * nb + best];

				if (k == i || s < 0)
					continue;
				if (s > bs)
					mutual = false;
				if (s > col_second)
					col_second = s;
			}
			if (!mutual || bs - second < RENAME_MARGIN || bs - col_second < RENAME_MARGIN)
				continue;
			if (ss >= min_sim || (same_pos && same_pos[i * nb + best] && ss >= min_sim_same_pos))
				pick[i] = best;
		}
	}
}

/* Match and rename the columns of one pair of tables. */
static int
match_columns(PmxCtx *ctx, PmxDiff *d, PmxTable *lt, PmxTable *tt)
{
	PmxDialect	dia = d->live->dialect;
	char	  **from = pmx_alloc(ctx, sizeof(char *) * (size_t) (tt->ncols + 1));
	char	  **to = pmx_alloc(ctx, sizeof(char *) * (size_t) (tt->ncols + 1));
	int			nren = 0;
	int		   *drop_idx,
			   *add_idx;
	int			nd = 0,
				na = 0;

	if (!from || !to)
		return PMX_ERROR;
	/* 1. by hint: a renamed_from naming a live column wins over names */
	for (int c = 0; c < tt->ncols; c++)
	{
		PmxColumn  *tc = &tt->cols[c];
		PmxColumn  *lc;

		if (!tc->renamed_from || pmx_ident_eq(dia, tc->renamed_from, tc->name))
			continue;
		lc = pmx_table_find_column(ctx, dia, lt, tc->renamed_from);
		if (lc && !lc->peer)
		{
			lc->peer = tc;
			tc->peer = lc;
			from[nren] = lc->name;
			to[nren++] = tc->name;
			if (add_rename(ctx, d, PMX_OP_RENAME_COLUMN, lt, tt, lc->name, tc->name,
						   d->hints_only ? "renamed by the script" : "renamed_from in the target") != PMX_OK)
				return PMX_ERROR;
		}
		else if (!lc && !pmx_table_find_column(ctx, dia, lt, tc->name) &&
				 pmx_strs_pushf(ctx, &d->warnings,
								"column %s.%s: renamed_from \"%s\" names no column of the live table; the hint was ignored",
								tt->name, tc->name, tc->renamed_from) != PMX_OK)
			return PMX_ERROR;
	}
	/* 2. by name */
	for (int c = 0; c < tt->ncols; c++)
	{
		PmxColumn  *tc = &tt->cols[c];
		PmxColumn  *lc;

		if (tc->peer)
			continue;
		lc = pmx_table_find_column(ctx, dia, lt, tc->name);
		if (lc && !lc->peer)
		{
			lc->peer = tc;
			tc->peer = lc;
			if (strcmp(lc->name, tc->name) != 0)
			{
				/* identifiers fold case: keep the database's spelling */
				char	   *f = tc->name,
						   *t = lc->name;

				if (virtual_rename_columns(ctx, d->target, tt, &f, &t, 1) != PMX_OK)
					return PMX_ERROR;
			}
		}
	}
	/* 3. score what is left (not for an effect: renames are known there) */
	if (d->hints_only)
		return PMX_OK;
	drop_idx = pmx_alloc(ctx, sizeof(int) * (size_t) (lt->ncols + 1));
	add_idx = pmx_alloc(ctx, sizeof(int) * (size_t) (tt->ncols + 1));
	if (!drop_idx || !add_idx)
		return PMX_ERROR;
	for (int c = 0; c < lt->ncols; c++)
		if (!lt->cols[c].peer)
			drop_idx[nd++] = c;
	for (int c = 0; c < tt->ncols; c++)
		if (!tt->cols[c].peer)
			add_idx[na++] = c;
	if (nd && na)
	{
		double	   *score = pmx_alloc(ctx, sizeof(double) * (size_t) (nd * na));
		double	   *sim = pmx_alloc(ctx, sizeof(double) * (size_t) (nd * na));
		bool	   *same = pmx_alloc(ctx, sizeof(bool) * (size_t) (nd * na));
		int		   *pick = pmx_alloc(ctx, sizeof(int) * (size_t) nd);
		int		   *maybe = pmx_alloc(ctx, sizeof(int) * (size_t) nd);

		if (!score || !sim || !same || !pick || !maybe)
			return PMX_ERROR;
		for (int i = 0; i < nd; i++)
			for (int j = 0; j < na; j++)
			{
				PmxColumn  *lc = &lt->cols[drop_idx[i]];
				PmxColumn  *tc = &tt->cols[add_idx[j]];
				int			k = i * na + j;

				sim[k] = pmx_name_similarity(lc->name, tc->name);
				same[k] = drop_idx[i] == add_idx[j];
				score[k] = columns_compatible(lc, tc)
					? sim[k] + (same[k] ? RENAME_POSITION_BONUS : 0) : -1;
			}
		pick_pairs(score, sim, same, nd, na, RENAME_MIN_SIMILARITY,
				   RENAME_MIN_SIMILARITY_SAME_POS, pick, maybe);
		for (int i = 0; i < nd; i++)
		{
			PmxColumn  *lc = &lt->cols[drop_idx[i]];

			if (pick[i] >= 0)
			{
				PmxColumn  *tc = &tt->cols[add_idx[pick[i]]];

				lc->peer = tc;
				tc->peer = lc;
				from[nren] = lc->name;
				to[nren++] = tc->name;
				if (add_rename(ctx, d, PMX_OP_RENAME_COLUMN, lt, tt, lc->name, tc->name,
							   "same type and constraints, near-identical name") != PMX_OK)
					return PMX_ERROR;
			}
			else if (maybe[i] >= 0)
				lc->maybe_renamed_to = tt->cols[add_idx[maybe[i]]].name;
		}
	}
	/* a live column still holding a new name steps aside (it is dropped) */
	{
		int			n = nren;

		for (int c = 0; c < lt->ncols; c++)
			for (int i = 0; i < n && !lt->cols[c].peer; i++)
				if (pmx_ident_eq(dia, lt->cols[c].name, to[i]))
				{
					char	  **f2 = pmx_grow(ctx, from, (size_t) nren, (size_t) nren + 1, sizeof(char *));
					char	  **t2 = pmx_grow(ctx, to, (size_t) nren, (size_t) nren + 1, sizeof(char *));

					if (!f2 || !t2)
						return PMX_ERROR;
					from = f2;
					to = t2;
					from[nren] = lt->cols[c].name;
					if (!(to[nren++] = pmx_sprintf(ctx, "premix_old_%s", lt->cols[c].name)))
						return PMX_ERROR;
					break;
				}
	}
	return virtual_rename_columns(ctx, d->live, lt, from, to, nren);
}

/* Match and rename the indexes of one pair of tables. */
static int
match_indexes(PmxCtx *ctx, PmxDiff *d, PmxTable *lt, PmxTable *tt)
{
	PmxDialect	dia = d->live->dialect;

	for (int k = 0; k < tt->nindexes; k++)
	{
		PmxIndex   *ti = &tt->indexes[k];
		PmxIndex   *li = pmx_table_find_index(lt, dia, ti->name);

		if (li && !li->peer)
		{
			li->peer = ti;
			ti->peer = li;
		}
	}
	for (int k = 0; k < tt->nindexes; k++)
	{
		PmxIndex   *ti = &tt->indexes[k];
		PmxIndex   *li = NULL;
		int			candidates = 0;
		const char *why = d->hints_only ? "renamed by the script" : "renamed_from in the target";

		if (ti->peer)
			continue;
		if (ti->renamed_from)
			li = pmx_table_find_index(lt, dia, ti->renamed_from);
		if (li && li->peer)
			li = NULL;
		if (!li)
		{
			why = "same definition";
			for (int x = 0; x < lt->nindexes; x++)
				if (!lt->indexes[x].peer &&
					pmx_index_same_def(dia, lt, &lt->indexes[x], tt, ti))
				{
					candidates++;
					li = &lt->indexes[x];
				}
			/* a second target index with this definition makes it ambiguous */
			for (int y = 0; li && y < tt->nindexes; y++)
				if (y != k && !tt->indexes[y].peer &&
					pmx_index_same_def(dia, lt, li, tt, &tt->indexes[y]))
					candidates++;
			if (candidates != 1)
				li = NULL;
		}
		if (!li)
			continue;
		li->peer = ti;
		ti->peer = li;
		if (add_rename(ctx, d, PMX_OP_RENAME_INDEX, lt, tt, li->name, ti->name, why) != PMX_OK)
			return PMX_ERROR;
		d->changes[d->nchanges - 1]->lobj = li;
		d->changes[d->nchanges - 1]->tobj = ti;
		if (!li->live_name)
			li->live_name = li->name;
		li->name = ti->name;
	}
	return PMX_OK;
}

/* Pair a live and a target table, renaming the live one if needed. */
static int
pair_tables(PmxCtx *ctx, PmxDiff *d, PmxTable *lt, PmxTable *tt, const char *why)
{
	lt->peer = tt;
	tt->peer = lt;
	if (!pmx_ident_eq(d->live->dialect, lt->name, tt->name))
	{
		PmxTable   *occupant = pmx_schema_find(ctx, d->live, tt->name);

		if (add_rename(ctx, d, PMX_OP_RENAME_TABLE, lt, tt, lt->name, tt->name, why) != PMX_OK)
			return PMX_ERROR;
		/* a live table still holding the new name steps aside (it is dropped) */
		if (occupant && occupant != lt)
		{
			char	   *aside = pmx_sprintf(ctx, "premix_old_%s", occupant->name);

			if (!aside)
				return PMX_ERROR;
			virtual_rename_table(d->live, occupant, aside);
		}
		virtual_rename_table(d->live, lt, tt->name);
	}
	return PMX_OK;
}

/*
 * Match the live and target models; record rename changes; apply renames
 * virtually to the live model.  With scope "listed" only live tables that
 * the target names (or renames) take part.
 */
int
pmx_match(PmxCtx *ctx, PmxDiff *d, const PmxOptions *opts)
{
	PmxSchema  *live = d->live,
			   *target = d->target;
	int		   *drop_idx,
			   *add_idx;
	int			nd = 0,
				na = 0;

	/* 1. by hint: a renamed_from naming a live table wins over names */
	for (int i = 0; i < target->ntables; i++)
	{
		PmxTable   *tt = target->tables[i];
		PmxTable   *lt;

		if (!tt->renamed_from || pmx_ident_eq(live->dialect, tt->renamed_from, tt->name))
			continue;
		lt = pmx_schema_find(ctx, live, tt->renamed_from);
		if (lt && !lt->peer)
		{
			if (pair_tables(ctx, d, lt, tt, d->hints_only ? "renamed by the script"
							: "renamed_from in the target") != PMX_OK)
				return PMX_ERROR;
		}
		else if (!lt && !pmx_schema_find(ctx, live, tt->name) &&
				 pmx_strs_pushf(ctx, &d->warnings,
								"table %s: renamed_from \"%s\" names no live table; the hint was ignored",
								tt->name, tt->renamed_from) != PMX_OK)
			return PMX_ERROR;
	}
	/* 2. by name */
	for (int i = 0; i < target->ntables; i++)
	{
		PmxTable   *tt = target->tables[i];
		PmxTable   *lt;

		if (tt->peer)
			continue;
		lt = pmx_schema_find(ctx, live, tt->name);
		if (lt && !lt->peer)
		{
			lt->peer = tt;
			tt->peer = lt;
			/* identifiers fold case: keep the database's spelling */
			if (strcmp(lt->name, tt->name) != 0)
				virtual_rename_table(target, tt, lt->name);
		}
	}
	/* score unmatched tables (scope all only: listed leaves others alone) */
	drop_idx = pmx_alloc(ctx, sizeof(int) * (size_t) (live->ntables + 1));
	add_idx = pmx_alloc(ctx, sizeof(int) * (size_t) (target->ntables + 1));
	if (!drop_idx || !add_idx)
		return PMX_ERROR;
	if (opts->scope == PMX_SCOPE_ALL && !d->hints_only)
	{
		for (int i = 0; i < live->ntables; i++)
			if (!live->tables[i]->peer)
				drop_idx[nd++] = i;
		for (int i = 0; i < target->ntables; i++)
			if (!target->tables[i]->peer)
				add_idx[na++] = i;
	}
	if (nd && na)
	{
		double	   *score = pmx_alloc(ctx, sizeof(double) * (size_t) (nd * na));
		double	   *sim = pmx_alloc(ctx, sizeof(double) * (size_t) (nd * na));
		int		   *pick = pmx_alloc(ctx, sizeof(int) * (size_t) nd);
		int		   *maybe = pmx_alloc(ctx, sizeof(int) * (size_t) nd);

		if (!score || !sim || !pick || !maybe)
			return PMX_ERROR;
		for (int i = 0; i < nd; i++)
			for (int j = 0; j < na; j++)
			{
				PmxTable   *lt = live->tables[drop_idx[i]];
				PmxTable   *tt = target->tables[add_idx[j]];
				int			k = i * na + j;

				sim[k] = pmx_name_similarity(lt->name, tt->name);
				score[k] = tables_compatible(live->dialect, lt, tt) ? sim[k] : -1;
			}
		pick_pairs(score, sim, NULL, nd, na, TABLE_RENAME_MIN_SIMILARITY, 2.0, pick, maybe);
		for (int i = 0; i < nd; i++)
		{
			PmxTable   *lt = live->tables[drop_idx[i]];

			if (pick[i] >= 0)
			{
				if (pair_tables(ctx, d, lt, target->tables[add_idx[pick[i]]],
								"same columns, near-identical name") != PMX_OK)
					return PMX_ERROR;
			}
			else if (maybe[i] >= 0)
				lt->maybe_renamed_to = target->tables[add_idx[maybe[i]]]->name;
		}
	}
	for (int i = 0; i < target->ntables; i++)
	{
		PmxTable   *tt = target->tables[i];

		if (tt->peer && match_columns(ctx, d, tt->peer, tt) != PMX_OK)
			return PMX_ERROR;
	}
	for (int i = 0; i < target->ntables; i++)
	{
		PmxTable   *tt = target->tables[i];

		if (tt->peer && match_indexes(ctx, d, tt->peer, tt) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}
