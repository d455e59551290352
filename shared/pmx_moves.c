/*-------------------------------------------------------------------------
 *
 * pmx_moves.c
 *	  Ordering renames so that every wanted name is free when it is
 *	  taken: a swap or a name reused by a dropped object first moves the
 *	  occupant aside under a temporary name.  Shared by the planners.
 *
 * IDENTIFICATION
 *	  shared/pmx_moves.c
 *
 *-------------------------------------------------------------------------
 */
#include "pmx_moves.h"

/* A name like base that no table, index or column in names uses. */
char *
pmx_fresh_name(PmxCtx *ctx, const char *prefix, const char *base,
		   bool (*taken) (void *, const char *), void *arg)
{
	char	   *name = pmx_sprintf(ctx, "%s%s", prefix, base);

	for (int k = 2; name && taken(arg, name); k++)
		name = pmx_sprintf(ctx, "%s%s_%d", prefix, base, k);
	return name;
}

/* pmx_schema_name_taken without the set (out of memory): every name scanned. */
static bool
scan_taken(const PmxDiff *d, const char *name)
{
	const PmxSchema *both[2] = {d->live, d->target};

	for (int s = 0; s < 2; s++)
		for (int i = 0; i < both[s]->ntables; i++)
		{
			const PmxTable *t = both[s]->tables[i];

			if (pmx_streq_fold(t->name, name) || pmx_streq_fold(t->live_name, name))
				return true;
			for (int k = 0; k < t->nindexes; k++)
				if (pmx_streq_fold(t->indexes[k].name, name) ||
					pmx_streq_fold(t->indexes[k].live_name, name))
					return true;
		}
	return false;
}

/* Add name (NULL: nothing) to the set of taken names; PMX_ERROR on OOM. */
static int
take_name(PmxMap *m, const char *name)
{
	return !name || pmx_map_put(m, name, (void *) m) == PMX_OK ? PMX_OK : PMX_ERROR;
}

/*
 * Any live or target table or index is called name (ASCII case folded).
 * The names go into a set once per diff (a rebuild of every table of a
 * big schema asked this once per table, scanning every name each time);
 * the set is made again after a planner renamed a table in place.  Without
 * memory for the set, every name is scanned instead.
 */
bool
pmx_schema_name_taken(void *arg, const char *name)
{
	PmxDiff    *d = arg;
	PmxSchema  *both[2] = {d->live, d->target};

	if (!d->names_ok)
	{
		size_t		n = 0;

		for (int s = 0; s < 2; s++)
			for (int i = 0; i < both[s]->ntables; i++)
				n += 2 + 2 * (size_t) both[s]->tables[i]->nindexes;
		if (pmx_map_init(&d->names, d->names_ctx, n, true) != PMX_OK)
			return scan_taken(d, name);
		for (int s = 0; s < 2; s++)
			for (int i = 0; i < both[s]->ntables; i++)
			{
				PmxTable   *t = both[s]->tables[i];

				if (take_name(&d->names, t->name) != PMX_OK ||
					take_name(&d->names, t->live_name) != PMX_OK)
					return scan_taken(d, name);
				for (int k = 0; k < t->nindexes; k++)
					if (take_name(&d->names, t->indexes[k].name) != PMX_OK ||
						take_name(&d->names, t->indexes[k].live_name) != PMX_OK)
						return scan_taken(d, name);
			}
		d->names_ok = true;
	}
	return pmx_map_get(&d->names, name) != NULL;
}

/* Index of the item holding name now (other than except), or -1. */
static int
holder(const PmxMoveSet *s, const char *name, int except)
{
	for (int j = 0; j < s->n; j++)
		if (j != except && pmx_streq_fold(s->m[j].cur, name))
			return j;
	return -1;
}

/* A name is held or wanted by an item (or, for tables, used at all). */
static bool
moveset_taken(void *arg, const char *name)
{
	PmxMoveSet    *s = arg;

	for (int j = 0; j < s->n; j++)
		if (pmx_streq_fold(s->m[j].cur, name) || pmx_streq_fold(s->m[j].want, name))
			return true;
	return s->tables && pmx_schema_name_taken(s->d, name);
}

/*
 * Order renames so each target name is free when it is taken, moving an
 * occupant aside (temporary name) when needed.  Returns the moves.
 */
int
pmx_plan_moves(PmxCtx *ctx, PmxMoveSet *s, PmxMove **out, int *nout)
{
	PmxMove	   *mv = NULL;
	int			n = 0,
				cap = 0;

	for (;;)
	{
		bool		pending = false,
					progress = false;

		for (int i = 0; i < s->n; i++)
		{
			PmxMovable    *m = &s->m[i];

			if (!m->want || pmx_streq_fold(m->cur, m->want))
				continue;
			pending = true;
			if (holder(s, m->want, i) >= 0)
				continue;
			if (!PMX_PUSH(ctx, mv, n, cap))
				return PMX_ERROR;
			mv[n - 1] = (PmxMove)
			{
				i, m->cur, m->want, false
			};
			m->cur = m->want;
			progress = true;
		}
		if (!pending)
			break;
		if (!progress)
		{
			for (int i = 0; i < s->n; i++)
			{
				PmxMovable    *m = &s->m[i];
				int			j;
				char	   *tmp;

				if (!m->want || pmx_streq_fold(m->cur, m->want))
					continue;
				j = holder(s, m->want, i);
				if (!(tmp = pmx_fresh_name(ctx, "premix_tmp_", s->m[j].cur, moveset_taken, s)) ||
					!PMX_PUSH(ctx, mv, n, cap))
					return PMX_ERROR;
				mv[n - 1] = (PmxMove)
				{
					j, s->m[j].cur, tmp, true
				};
				s->m[j].cur = tmp;
				break;
			}
		}
	}
	*out = mv;
	*nout = n;
	return PMX_OK;
}


/* See pmx_moves.h. */
int
pmx_table_moves(PmxCtx *ctx, PmxDiff *d, PmxMove **out, int *nout)
{
	PmxSchema  *live = d->live;
	PmxMoveSet	s = {pmx_alloc(ctx, sizeof(PmxMovable) * (size_t) (live->ntables + 1)),
	live->ntables, d, true};

	if (!s.m)
		return PMX_ERROR;
	for (int i = 0; i < live->ntables; i++)
	{
		PmxTable   *lt = live->tables[i];

		s.m[i].cur = lt->live_name ? lt->live_name : lt->name;
		s.m[i].want = lt->peer ? lt->name : NULL;
	}
	return pmx_plan_moves(ctx, &s, out, nout);
}

/* See pmx_moves.h. */
int
pmx_column_moves(PmxCtx *ctx, PmxDiff *d, PmxTable *lt, PmxMove **out, int *nout)
{
	PmxMoveSet	s = {pmx_alloc(ctx, sizeof(PmxMovable) * (size_t) (lt->ncols + 1)),
	lt->ncols, d, false};

	if (!s.m)
		return PMX_ERROR;
	for (int c = 0; c < lt->ncols; c++)
	{
		s.m[c].cur = lt->cols[c].live_name ? lt->cols[c].live_name : lt->cols[c].name;
		s.m[c].want = lt->cols[c].peer ? lt->cols[c].name : NULL;
	}
	return pmx_plan_moves(ctx, &s, out, nout);
}
