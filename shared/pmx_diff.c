/*-------------------------------------------------------------------------
 *
 * pmx_diff.c
 *	  Compare the live model with the target model: one PmxChange per
 *	  difference, in no particular order (the planner orders them).
 *
 * Runs after pmx_match(), so renames are already applied to the live
 * model and matched objects point at each other (peer).  Constraints are
 * matched by name when the target names them; an unnamed target
 * constraint matches a live one with the same definition and takes its
 * name, so the result the plan promises (the "to" fingerprint) is what
 * the database will hold.  Column order is not compared: ALTER TABLE ADD
 * COLUMN appends, on every dialect.
 *
 * IDENTIFICATION
 *	  shared/pmx_diff.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_plan.h"
#include "pmx_rename.h"
#include "pmx_validate.h"

/* Append a change of kind op between lt and tt; NULL on OOM. */
PmxChange *
pmx_diff_add(PmxCtx *ctx, PmxDiff *d, PmxOp op, PmxTable *lt, PmxTable *tt)
{
	PmxChange  *ch = pmx_alloc(ctx, sizeof(PmxChange));

	if (!ch || !PMX_PUSH(ctx, d->changes, d->nchanges, d->capchanges))
		return NULL;
	ch->op = op;
	ch->lt = lt;
	ch->tt = tt;
	ch->object = tt ? tt->name : lt->name;
	d->changes[d->nchanges - 1] = ch;
	/* also on the table, so the planner never scans every change */
	{
		PmxTable   *owner = lt ? lt : tt;

		if (!PMX_PUSH(ctx, owner->changes, owner->nchanges, owner->capchanges))
			return NULL;
		owner->changes[owner->nchanges - 1] = ch;
	}
	return ch;
}

/* Append a change on an enum type (live le, target te); NULL on OOM. */
static PmxChange *
add_enum_change(PmxCtx *ctx, PmxDiff *d, PmxOp op, PmxEnum *le, PmxEnum *te)
{
	PmxChange  *ch = pmx_alloc(ctx, sizeof(PmxChange));

	if (!ch || !PMX_PUSH(ctx, d->changes, d->nchanges, d->capchanges))
		return NULL;
	ch->op = op;
	ch->lobj = le;
	ch->tobj = te;
	ch->object = te ? te->name : le->name;
	d->changes[d->nchanges - 1] = ch;
	return ch;
}

/*
 * Enum types, when the target lists them: new ones created, changed ones
 * extended (whether PostgreSQL can do it is the classifier's to say),
 * missing ones dropped under scope "all".
 */
static int
diff_enums(PmxCtx *ctx, PmxDiff *d, const PmxOptions *opts)
{
	PmxSchema  *live = d->live,
			   *target = d->target;

	if (!target->enums_listed)
		return PMX_OK;
	for (int i = 0; i < target->nenums; i++)
	{
		PmxEnum    *te = &target->enums[i];
		PmxEnum    *le = pmx_schema_find_enum(live, te->name);

		if (!le && !add_enum_change(ctx, d, PMX_OP_CREATE_ENUM, NULL, te))
			return PMX_ERROR;
		if (le && !pmx_names_eq(PMX_DIALECT_POSTGRES, &le->values, &te->values) &&
			!add_enum_change(ctx, d, PMX_OP_ALTER_ENUM, le, te))
			return PMX_ERROR;
	}
	for (int i = 0; i < live->nenums && opts->scope == PMX_SCOPE_ALL; i++)
		if (!pmx_schema_find_enum(target, live->enums[i].name) &&
			!add_enum_change(ctx, d, PMX_OP_DROP_ENUM, &live->enums[i], NULL))
			return PMX_ERROR;
	return PMX_OK;
}

/* Append a change on a column. */
static PmxChange *
add_col_change(PmxCtx *ctx, PmxDiff *d, PmxOp op, PmxTable *lt, PmxTable *tt,
			   PmxColumn *lc, PmxColumn *tc)
{
	PmxChange  *ch = pmx_diff_add(ctx, d, op, lt, tt);

	if (!ch)
		return NULL;
	ch->lc = lc;
	ch->tc = tc;
	ch->object = tc ? tc->name : lc->name;
	return ch;
}

/* Append a change on a constraint or index object. */
static int
add_obj_change(PmxCtx *ctx, PmxDiff *d, PmxOp op, PmxTable *lt, PmxTable *tt,
			   const void *lobj, const void *tobj, const char *name)
{
	PmxChange  *ch = pmx_diff_add(ctx, d, op, lt, tt);

	if (!ch)
		return PMX_ERROR;
	ch->lobj = lobj;
	ch->tobj = tobj;
	ch->object = name ? name : (tt ? tt->name : lt->name);
	return PMX_OK;
}

/* Compare the columns of a matched pair. */
static int
diff_columns(PmxCtx *ctx, PmxDiff *d, PmxTable *lt, PmxTable *tt)
{
	for (int c = 0; c < tt->ncols; c++)
	{
		PmxColumn  *tc = &tt->cols[c];
		PmxColumn  *lc = tc->peer;

		if (!lc)
		{
			if (!add_col_change(ctx, d, PMX_OP_ADD_COLUMN, lt, tt, NULL, tc))
				return PMX_ERROR;
			continue;
		}
		if (strcmp(lc->type, tc->type) != 0 &&
			!add_col_change(ctx, d, PMX_OP_ALTER_COLUMN_TYPE, lt, tt, lc, tc))
			return PMX_ERROR;
		if (lc->nullable && !tc->nullable &&
			!add_col_change(ctx, d, PMX_OP_SET_NOT_NULL, lt, tt, lc, tc))
			return PMX_ERROR;
		if (!lc->nullable && tc->nullable &&
			!add_col_change(ctx, d, PMX_OP_DROP_NOT_NULL, lt, tt, lc, tc))
			return PMX_ERROR;
		if (!pmx_streq_null(lc->default_expr, tc->default_expr) &&
			!add_col_change(ctx, d, tc->default_expr ? PMX_OP_SET_DEFAULT : PMX_OP_DROP_DEFAULT,
							lt, tt, lc, tc))
			return PMX_ERROR;
		if (!pmx_streq_null(lc->collation, tc->collation) &&
			!add_col_change(ctx, d, PMX_OP_ALTER_COLLATION, lt, tt, lc, tc))
			return PMX_ERROR;
		if (lc->identity != tc->identity &&
			!add_col_change(ctx, d, PMX_OP_ALTER_IDENTITY, lt, tt, lc, tc))
			return PMX_ERROR;
		if (!pmx_streq_null(lc->comment, tc->comment) &&
			!add_col_change(ctx, d, PMX_OP_SET_COMMENT, lt, tt, lc, tc))
			return PMX_ERROR;
	}
	for (int c = 0; c < lt->ncols; c++)
		if (!lt->cols[c].peer &&
			!add_col_change(ctx, d, PMX_OP_DROP_COLUMN, lt, tt, &lt->cols[c], NULL))
			return PMX_ERROR;
	return PMX_OK;
}

/* What to call a constraint in a plan: its name, else its definition. */
static const char *
label(PmxCtx *ctx, const char *name, const char *kind, const PmxNames *cols,
	  const char *expr)
{
	if (name)
		return name;
	if (expr)
		return pmx_sprintf(ctx, "%s (%s)", kind, expr);
	return pmx_sprintf(ctx, "%s (%s)", kind, pmx_names_join(ctx, cols, ", "));
}

/* Same name (when the target gives one) -- for keys and constraints. */
static bool
name_ok(PmxDialect dia, const char *live_name, const char *target_name)
{
	return !target_name || pmx_ident_eq(dia, live_name, target_name);
}

/* Same columns, referenced table and columns, and actions. */
static bool
fk_same_def(PmxDialect dia, const PmxForeignKey *a, const PmxForeignKey *b)
{
	return pmx_names_eq(dia, &a->cols, &b->cols) &&
		pmx_ident_eq(dia, a->ref_table, b->ref_table) &&
		pmx_names_eq(dia, &a->ref_cols, &b->ref_cols) &&
		strcmp(a->on_delete, b->on_delete) == 0 &&
		strcmp(a->on_update, b->on_update) == 0 &&
		a->deferrable == b->deferrable;
}

/* Compare keys, foreign keys and checks of a matched pair. */
static int
diff_constraints(PmxCtx *ctx, PmxDiff *d, PmxTable *lt, PmxTable *tt)
{
	PmxDialect	dia = d->live->dialect;
	bool	   *used;
	int			most = lt->nuniques + lt->nfks + lt->nchecks + 1;

	/* primary key */
	if (lt->pk && tt->pk && pmx_names_eq(dia, &lt->pk->cols, &tt->pk->cols) &&
		name_ok(dia, lt->pk->name, tt->pk->implicit ? NULL : tt->pk->name))
		tt->pk->name = lt->pk->name;
	else
	{
		if (lt->pk && add_obj_change(ctx, d, PMX_OP_DROP_PRIMARY_KEY, lt, tt, lt->pk, NULL,
									 label(ctx, lt->pk->name, "primary key", &lt->pk->cols, NULL)) != PMX_OK)
			return PMX_ERROR;
		if (tt->pk && add_obj_change(ctx, d, PMX_OP_ADD_PRIMARY_KEY, lt, tt, NULL, tt->pk,
									 label(ctx, tt->pk->name, "primary key", &tt->pk->cols, NULL)) != PMX_OK)
			return PMX_ERROR;
	}

	if (!(used = pmx_alloc(ctx, sizeof(bool) * (size_t) most)))
		return PMX_ERROR;
	/* unique constraints */
	for (int k = 0; k < tt->nuniques; k++)
	{
		PmxKey	   *tk = &tt->uniques[k];
		bool		found = false;

		for (int j = 0; j < lt->nuniques && !found; j++)
			if (!used[j] && pmx_names_eq(dia, &lt->uniques[j].cols, &tk->cols) &&
				name_ok(dia, lt->uniques[j].name, tk->implicit ? NULL : tk->name))
			{
				used[j] = found = true;
				tk->name = lt->uniques[j].name;
			}
		if (!found && add_obj_change(ctx, d, PMX_OP_ADD_UNIQUE, lt, tt, NULL, tk,
									   label(ctx, tk->name, "unique", &tk->cols, NULL)) != PMX_OK)
			return PMX_ERROR;
	}
	for (int j = 0; j < lt->nuniques; j++)
		if (!used[j] && add_obj_change(ctx, d, PMX_OP_DROP_UNIQUE, lt, tt, &lt->uniques[j], NULL,
									   label(ctx, lt->uniques[j].name, "unique", &lt->uniques[j].cols, NULL)) != PMX_OK)
			return PMX_ERROR;

	/* foreign keys */
	memset(used, 0, sizeof(bool) * (size_t) most);
	for (int k = 0; k < tt->nfks; k++)
	{
		PmxForeignKey *tf = &tt->fks[k];
		bool		found = false;

		for (int j = 0; j < lt->nfks && !found; j++)
			if (!used[j] && fk_same_def(dia, &lt->fks[j], tf) &&
				name_ok(dia, lt->fks[j].name, tf->implicit ? NULL : tf->name))
			{
				used[j] = found = true;
				tf->name = lt->fks[j].name;
			}
		if (!found && add_obj_change(ctx, d, PMX_OP_ADD_FOREIGN_KEY, lt, tt, NULL, tf,
									   label(ctx, tf->name, "foreign key", &tf->cols, NULL)) != PMX_OK)
			return PMX_ERROR;
	}
	for (int j = 0; j < lt->nfks; j++)
		if (!used[j] && add_obj_change(ctx, d, PMX_OP_DROP_FOREIGN_KEY, lt, tt, &lt->fks[j], NULL,
									   label(ctx, lt->fks[j].name, "foreign key", &lt->fks[j].cols, NULL)) != PMX_OK)
			return PMX_ERROR;

	/* checks */
	memset(used, 0, sizeof(bool) * (size_t) most);
	for (int k = 0; k < tt->nchecks; k++)
	{
		PmxCheck   *tc = &tt->checks[k];
		bool		found = false;

		for (int j = 0; j < lt->nchecks && !found; j++)
			if (!used[j] && strcmp(lt->checks[j].expr, tc->expr) == 0 &&
				name_ok(dia, lt->checks[j].name, tc->implicit ? NULL : tc->name))
			{
				used[j] = found = true;
				tc->name = lt->checks[j].name;
			}
		if (!found && add_obj_change(ctx, d, PMX_OP_ADD_CHECK, lt, tt, NULL, tc,
									   label(ctx, tc->name, "check", NULL, tc->expr)) != PMX_OK)
			return PMX_ERROR;
	}
	for (int j = 0; j < lt->nchecks; j++)
		if (!used[j] && add_obj_change(ctx, d, PMX_OP_DROP_CHECK, lt, tt, &lt->checks[j], NULL,
									   label(ctx, lt->checks[j].name, "check", NULL, lt->checks[j].expr)) != PMX_OK)
			return PMX_ERROR;
	return PMX_OK;
}

/* Compare indexes of a matched pair (renames are already matched). */
static int
diff_indexes(PmxCtx *ctx, PmxDiff *d, PmxTable *lt, PmxTable *tt)
{
	for (int k = 0; k < tt->nindexes; k++)
	{
		PmxIndex   *ti = &tt->indexes[k];
		PmxIndex   *li = ti->peer;

		if (li && pmx_index_same_def(d->live->dialect, lt, li, tt, ti))
			continue;
		if (li && add_obj_change(ctx, d, PMX_OP_DROP_INDEX, lt, tt, li, NULL, li->name) != PMX_OK)
			return PMX_ERROR;
		if (add_obj_change(ctx, d, PMX_OP_CREATE_INDEX, lt, tt, li, ti, ti->name) != PMX_OK)
			return PMX_ERROR;
	}
	for (int k = 0; k < lt->nindexes; k++)
		if (!lt->indexes[k].peer &&
			add_obj_change(ctx, d, PMX_OP_DROP_INDEX, lt, tt, &lt->indexes[k], NULL,
						   lt->indexes[k].name) != PMX_OK)
			return PMX_ERROR;
	return PMX_OK;
}

/*
 * Diff live against target; see pmx_plan.h.  The live model is modified
 * (renames applied virtually), the target model adopts live constraint
 * names where it left them open.
 */
int
pmx_diff_models(PmxCtx *ctx, PmxSchema *live, PmxSchema *target,
				const PmxOptions *opts, PmxDiff *out)
{
	memset(out, 0, sizeof(*out));
	out->names_ctx = ctx;
	out->live = live;
	out->target = target;
	out->hints_only = opts->hints_only;
	if (pmx_match(ctx, out, opts) != PMX_OK || diff_enums(ctx, out, opts) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < target->ntables; i++)
	{
		PmxTable   *tt = target->tables[i];
		PmxTable   *lt = tt->peer;

		if (!lt)
		{
			if (!pmx_diff_add(ctx, out, PMX_OP_CREATE_TABLE, NULL, tt))
				return PMX_ERROR;
			for (int k = 0; k < tt->nindexes; k++)
				if (add_obj_change(ctx, out, PMX_OP_CREATE_INDEX, NULL, tt, NULL,
								   &tt->indexes[k], tt->indexes[k].name) != PMX_OK)
					return PMX_ERROR;
			continue;
		}
		if (diff_columns(ctx, out, lt, tt) != PMX_OK ||
			diff_constraints(ctx, out, lt, tt) != PMX_OK ||
			diff_indexes(ctx, out, lt, tt) != PMX_OK)
			return PMX_ERROR;
		if ((lt->without_rowid != tt->without_rowid || lt->strict != tt->strict) &&
			!pmx_diff_add(ctx, out, PMX_OP_ALTER_OPTIONS, lt, tt))
			return PMX_ERROR;
		if (!pmx_streq_null(lt->comment, tt->comment) &&
			!pmx_diff_add(ctx, out, PMX_OP_SET_COMMENT, lt, tt))
			return PMX_ERROR;
	}
	if (opts->scope == PMX_SCOPE_ALL)
		for (int i = 0; i < live->ntables; i++)
			if (!live->tables[i]->peer &&
				!pmx_diff_add(ctx, out, PMX_OP_DROP_TABLE, live->tables[i], NULL))
				return PMX_ERROR;
	return PMX_OK;
}
