/*-------------------------------------------------------------------------
 *
 * pmx_plan_sqlite.c
 *	  Turn classified changes into ordered SQLite steps with up and down
 *	  SQL.
 *
 * Order (dependencies first):
 *	 1. table renames, 2. column renames (SQLite rewrites triggers, views
 *	 and foreign keys that name them), 3. drops of changed or removed
 *	 indexes, 4. new tables, 5. per table: ADD COLUMN, DROP COLUMN or one
 *	 rebuild carrying every change ALTER TABLE cannot make, 6. dropped
 *	 tables (children before parents), 7. new and changed indexes.
 *
 * Renames that collide (a swap, or a name reused by a dropped object)
 * first move the occupant aside under a temporary name.
 *
 * The rebuild is SQLite's documented 12-step procedure inside the apply's
 * savepoint: backfill, CREATE TABLE premix_new_t (target definition),
 * INSERT ... SELECT the common columns, DROP TABLE t, rename (with
 * legacy_alter_table on, so views that name t are neither rewritten nor
 * re-checked), re-create the table's kept indexes and its triggers.
 * Foreign keys: the apply turns enforcement off around the rebuild and
 * runs foreign_key_check before releasing (pmx_apply.c), so DROP TABLE
 * never fires ON DELETE actions into child tables.
 *
 * IDENTIFICATION
 *	  shared/pmx_plan_sqlite.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_moves.h"
#include "pmx_plan.h"
#include "pmx_render_sqlite.h"
#include "pmx_sql.h"
#include "pmx_validate.h"

enum
{
	PH_RENAME_TABLE,
	PH_RENAME_COLUMN,
	PH_DROP_INDEX,
	PH_CREATE_TABLE,
	PH_ALTER,
	PH_DROP_TABLE,
	PH_CREATE_INDEX,
	PH__COUNT
};

typedef struct Planner
{
	PmxCtx	   *ctx;
	PmxDb	   *db;
	PmxDiff    *d;
	PmxPlan		phase[PH__COUNT];
	PmxMap		trigger_sql;	/* trigger name -> SQL after the plan's renames */
	bool		have_renames;
	PmxStrs		warnings;
	PmxStrs		fk_parents;
	PmxMap		referenced;		/* tables some live foreign key points at */
} Planner;

/* ------------------------------------------------------------ steps */

/* Append a step to a phase. */
static PmxStep *
add_step(Planner *P, int phase, PmxOp op, const char *table, const char *object)
{
	return pmx_plan_add_step(P->ctx, &P->phase[phase], op, table, object);
}

/* Copy a change's classification onto a step. */
static int
step_from_change(Planner *P, PmxStep *st, PmxChange *ch)
{
	st->safety = ch->safety;
	st->reason = ch->reason;
	st->hint = ch->hint;
	st->block_code = ch->block_code;
	st->rewrite = ch->rewrite;
	ch->planned = true;
	if (ch->check_sql && pmx_strs_push(P->ctx, &st->checks, ch->check_sql) != PMX_OK)
		return PMX_ERROR;
	return PMX_OK;
}

/* ALTER TABLE ... RENAME TO. */
static char *
sql_rename_table(PmxCtx *ctx, const char *from, const char *to)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, "ALTER TABLE ");
	pmx_sqlite_buf_qualified(&b, from);
	pmx_buf_append(&b, " RENAME TO ");
	pmx_buf_ident(&b, to);
	return pmx_buf_finish(&b);
}

/* ALTER TABLE ... RENAME COLUMN. */
static char *
sql_rename_column(PmxCtx *ctx, const char *table, const char *from, const char *to)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, "ALTER TABLE ");
	pmx_sqlite_buf_qualified(&b, table);
	pmx_buf_append(&b, " RENAME COLUMN ");
	pmx_buf_ident(&b, from);
	pmx_buf_append(&b, " TO ");
	pmx_buf_ident(&b, to);
	return pmx_buf_finish(&b);
}

/* verb followed by a main-qualified name (DROP TABLE, DROP INDEX). */
static char *
sql_simple(PmxCtx *ctx, const char *verb, const char *name)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, verb);
	pmx_sqlite_buf_qualified(&b, name);
	return pmx_buf_finish(&b);
}

/* The change of kind op on live table lt (about object lc if given), or NULL. */
static PmxChange *
find_change(PmxOp op, const PmxTable *lt, const void *lc)
{
	for (int i = 0; i < lt->nchanges; i++)
	{
		PmxChange  *ch = lt->changes[i];

		if (ch->op == op && (!lc || ch->lc == lc || ch->lobj == lc))
			return ch;
	}
	return NULL;
}

/* Phase 1: table renames (and moves aside of dropped tables). */
static int
plan_table_renames(Planner *P)
{
	PmxCtx	   *ctx = P->ctx;
	PmxSchema  *live = P->d->live;
	PmxMove    *mv;
	int			nmv;

	if (pmx_table_moves(ctx, P->d, &mv, &nmv) != PMX_OK)
		return PMX_ERROR;
	for (int k = 0; k < nmv; k++)
	{
		PmxTable   *lt = live->tables[mv[k].idx];
		PmxStep    *st = add_step(P, PH_RENAME_TABLE, PMX_OP_RENAME_TABLE, mv[k].to, mv[k].to);
		PmxChange  *ch = find_change(PMX_OP_RENAME_TABLE, lt, NULL);

		if (!st || pmx_strs_push(ctx, &st->sql, sql_rename_table(ctx, mv[k].from, mv[k].to)) != PMX_OK ||
			pmx_strs_push(ctx, &st->down, sql_rename_table(ctx, mv[k].to, mv[k].from)) != PMX_OK)
			return PMX_ERROR;
		P->have_renames = true;
		if (mv[k].aside || !ch)
		{
			st->safety = PMX_SAFE;
			st->reason = pmx_sprintf(ctx, "table %s moves aside to %s so that its name can be reused%s",
									 mv[k].from, mv[k].to, lt->peer ? "" : " (it is dropped later)");
		}
		else if (step_from_change(P, st, ch) != PMX_OK)
			return PMX_ERROR;
		if (!lt->peer)
		{
			lt->name = (char *) mv[k].to;	/* dropped later under this name */
			P->d->names_ok = false;
		}
	}
	return PMX_OK;
}

/* Phase 2: column renames of one matched table. */
static int
plan_column_renames(Planner *P, PmxTable *lt)
{
	PmxCtx	   *ctx = P->ctx;
	PmxMove    *mv;
	int			nmv;

	if (pmx_column_moves(ctx, P->d, lt, &mv, &nmv) != PMX_OK)
		return PMX_ERROR;
	for (int k = 0; k < nmv; k++)
	{
		PmxColumn  *lc = &lt->cols[mv[k].idx];
		PmxStep    *st = add_step(P, PH_RENAME_COLUMN, PMX_OP_RENAME_COLUMN, lt->name, mv[k].to);
		PmxChange  *ch = NULL;

		for (int i = 0; i < lt->nchanges && !ch; i++)
			if (lt->changes[i]->op == PMX_OP_RENAME_COLUMN &&
				pmx_streq_fold(lt->changes[i]->object, mv[k].to))
				ch = lt->changes[i];
		if (!st || pmx_strs_push(ctx, &st->sql, sql_rename_column(ctx, lt->name, mv[k].from, mv[k].to)) != PMX_OK ||
			pmx_strs_push(ctx, &st->down, sql_rename_column(ctx, lt->name, mv[k].to, mv[k].from)) != PMX_OK)
			return PMX_ERROR;
		P->have_renames = true;
		if (mv[k].aside || !ch)
		{
			st->safety = PMX_SAFE;
			st->reason = pmx_sprintf(ctx, "column %s moves aside to %s so that its name can be reused%s",
									 mv[k].from, mv[k].to, lc->peer ? "" : " (it is dropped later)");
		}
		else if (step_from_change(P, st, ch) != PMX_OK)
			return PMX_ERROR;
		if (!lc->peer)
			lc->name = (char *) mv[k].to;
	}
	return PMX_OK;
}

/* ------------------------------------------------------- per table */

/* The list holds name (ASCII case aside). */
static bool
names_have(const PmxNames *n, const char *name)
{
	for (int i = 0; i < n->n; i++)
		if (pmx_streq_fold(n->v[i], name))
			return true;
	return false;
}

/* An op ALTER TABLE cannot do on SQLite. */
static bool
op_needs_rebuild(PmxOp op)
{
	switch (op)
	{
		case PMX_OP_ALTER_COLUMN_TYPE:
		case PMX_OP_SET_NOT_NULL:
		case PMX_OP_DROP_NOT_NULL:
		case PMX_OP_SET_DEFAULT:
		case PMX_OP_DROP_DEFAULT:
		case PMX_OP_ALTER_COLLATION:
		case PMX_OP_ALTER_IDENTITY:
		case PMX_OP_ADD_PRIMARY_KEY:
		case PMX_OP_DROP_PRIMARY_KEY:
		case PMX_OP_ADD_UNIQUE:
		case PMX_OP_DROP_UNIQUE:
		case PMX_OP_ADD_FOREIGN_KEY:
		case PMX_OP_DROP_FOREIGN_KEY:
		case PMX_OP_ADD_CHECK:
		case PMX_OP_DROP_CHECK:
		case PMX_OP_ALTER_OPTIONS:
			return true;
		default:
			return false;
	}
}

/* ALTER TABLE ADD COLUMN can add tc (sqlite.org/lang_altertable.html). */
static bool
add_column_direct(const PmxTable *tt, const PmxColumn *tc)
{
	if (tc->identity != PMX_IDENTITY_NONE || tc->generated)
		return false;
	if (!tc->nullable && !tc->default_expr)
		return false;
	if (tc->default_expr && !pmx_sql_expr_is_literal(tc->default_expr))
		return false;
	if (tt->pk && names_have(&tt->pk->cols, tc->name))
		return false;
	for (int u = 0; u < tt->nuniques; u++)
		if (names_have(&tt->uniques[u].cols, tc->name))
			return false;
	for (int f = 0; f < tt->nfks; f++)
		if (names_have(&tt->fks[f].cols, tc->name))
			return false;
	return true;
}

/* Views and triggers whose text mentions the column (by either name). */
static bool
extras_mention(const PmxSchema *live, const PmxColumn *lc)
{
	for (int i = 0; i < live->nextras; i++)
		if (pmx_sql_mentions_ident(live->extras[i].sql, lc->name) ||
			(lc->live_name && pmx_sql_mentions_ident(live->extras[i].sql, lc->live_name)))
			return true;
	return false;
}

/* ALTER TABLE DROP COLUMN can drop lc (the documented restrictions). */
static bool
drop_column_direct(const PmxSchema *live, const PmxTable *lt, const PmxColumn *lc)
{
	if (lc->generated || lt->unmodelled)
		return false;
	if (lt->pk && names_have(&lt->pk->cols, lc->name))
		return false;
	for (int u = 0; u < lt->nuniques; u++)
		if (names_have(&lt->uniques[u].cols, lc->name))
			return false;
	for (int f = 0; f < lt->nfks; f++)
		if (names_have(&lt->fks[f].cols, lc->name))
			return false;
	for (int k = 0; k < lt->nchecks; k++)
		if (pmx_sql_mentions_ident(lt->checks[k].expr, lc->name))
			return false;
	for (int i = 0; i < live->ntables; i++)
		for (int f = 0; f < live->tables[i]->nfks; f++)
			if (pmx_streq_fold(live->tables[i]->fks[f].ref_table, lt->name) &&
				names_have(&live->tables[i]->fks[f].ref_cols, lc->name))
				return false;
	return !extras_mention(live, lc);
}

/*
 * Other live tables (or lt itself) hold foreign keys into lt.  The set of
 * referenced tables is built once per plan, not scanned per table.
 */
static int
has_inbound_fks(Planner *P, const PmxTable *lt, bool *out)
{
	const PmxSchema *live = P->d->live;

	if (!P->referenced.cap)
	{
		if (pmx_map_init(&P->referenced, P->ctx, (size_t) live->ntables, true) != PMX_OK)
			return PMX_ERROR;
		for (int i = 0; i < live->ntables; i++)
			for (int f = 0; f < live->tables[i]->nfks; f++)
				if (pmx_map_put(&P->referenced, live->tables[i]->fks[f].ref_table,
								live->tables[i]) != PMX_OK)
					return PMX_ERROR;
	}
	*out = pmx_map_get(&P->referenced, lt->name) != NULL;
	return PMX_OK;
}

/* The trigger texts of table lt, after the plan's renames. */
static int
triggers_of(Planner *P, const PmxTable *lt, PmxStrs *out)
{
	const PmxSchema *live = P->d->live;
	const char *dbname = lt->live_name ? lt->live_name : lt->name;

	for (int i = 0; i < live->nextras; i++)
	{
		const PmxExtra *e = &live->extras[i];
		const char *sql;

		if (strcmp(e->type, "trigger") != 0 || !pmx_streq_fold(e->table, dbname))
			continue;
		sql = pmx_map_get(&P->trigger_sql, e->name);
		if (pmx_strs_push(P->ctx, out, sql ? sql : e->sql) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/*
 * SQL that rebuilds a table from shape `from` into shape `to` (both with
 * the names the plan has at that point), re-creating the indexes in keep
 * and the triggers.  A SET NOT NULL part with a backfill copies its column
 * as coalesce(c, default): the NULLs are filled on the way, without an
 * UPDATE that would fire the table's triggers.  Appends to out.
 */
static int
rebuild_sql(Planner *P, const PmxTable *from, const PmxTable *to,
			const PmxIndex *const *keep, int nkeep, const PmxStrs *triggers,
			PmxChange *const *parts, int nparts, PmxStrs *out)
{
	PmxCtx	   *ctx = P->ctx;
	char	   *tmp = pmx_fresh_name(ctx, "premix_new_", to->name, pmx_schema_name_taken, P->d);
	char	   *create = tmp ? pmx_sqlite_create_table(ctx, to, tmp) : NULL;
	PmxBuf		ins,
				sel;

	if (!create || pmx_strs_push(ctx, out, create) != PMX_OK)
		return PMX_ERROR;
	pmx_buf_init(&ins, ctx);
	pmx_buf_init(&sel, ctx);
	pmx_buf_append(&ins, "INSERT INTO ");
	pmx_sqlite_buf_qualified(&ins, tmp);
	pmx_buf_append(&ins, " (");
	for (int c = 0, n = 0; c < to->ncols; c++)
	{
		bool		common = false;

		for (int k = 0; k < from->ncols && !common; k++)
			common = pmx_streq_fold(from->cols[k].name, to->cols[c].name);
		if (!common)
			continue;
		if (n++)
		{
			pmx_buf_append(&ins, ", ");
			pmx_buf_append(&sel, ", ");
		}
		pmx_buf_ident(&ins, to->cols[c].name);
		{
			const char *fill = NULL;

			for (int k = 0; k < nparts; k++)
				if (parts[k]->op == PMX_OP_SET_NOT_NULL && parts[k]->backfill &&
					pmx_streq_fold(parts[k]->tc->name, to->cols[c].name))
					fill = parts[k]->backfill;
			if (fill)
			{
				pmx_buf_append(&sel, "coalesce(");
				pmx_buf_ident(&sel, to->cols[c].name);
				pmx_buf_appendf(&sel, ", %s)", fill);
			}
			else
				pmx_buf_ident(&sel, to->cols[c].name);
		}
	}
	pmx_buf_append(&ins, ") SELECT ");
	if (!pmx_buf_finish(&sel))
		return PMX_ERROR;
	pmx_buf_append(&ins, sel.data[0] ? sel.data : "NULL");
	pmx_buf_append(&ins, " FROM ");
	pmx_sqlite_buf_qualified(&ins, from->name);
	if (sel.data[0] == '\0')
		pmx_buf_append(&ins, " WHERE 0");
	if (pmx_strs_push(ctx, out, pmx_buf_finish(&ins)) != PMX_OK)
		return PMX_ERROR;
	if (pmx_sqlite_identity_column(from) && pmx_sqlite_identity_column(to))
	{
		/* AUTOINCREMENT never reuses an id: carry the counter over */
		PmxBuf		b;

		pmx_buf_init(&b, ctx);
		pmx_buf_append(&b, "DELETE FROM \"main\".sqlite_sequence WHERE name = ");
		pmx_buf_literal(&b, tmp);
		if (pmx_strs_push(ctx, out, pmx_buf_finish(&b)) != PMX_OK)
			return PMX_ERROR;
		pmx_buf_init(&b, ctx);
		pmx_buf_append(&b, "INSERT INTO \"main\".sqlite_sequence (name, seq) SELECT ");
		pmx_buf_literal(&b, tmp);
		pmx_buf_append(&b, ", seq FROM \"main\".sqlite_sequence WHERE name = ");
		pmx_buf_literal(&b, from->name);
		if (pmx_strs_push(ctx, out, pmx_buf_finish(&b)) != PMX_OK)
			return PMX_ERROR;
	}
	if (pmx_strs_push(ctx, out, sql_simple(ctx, "DROP TABLE ", from->name)) != PMX_OK ||
		pmx_strs_push(ctx, out, "PRAGMA legacy_alter_table = ON") != PMX_OK ||
		pmx_strs_push(ctx, out, sql_rename_table(ctx, tmp, to->name)) != PMX_OK ||
		pmx_strs_push(ctx, out, "PRAGMA legacy_alter_table = OFF") != PMX_OK)
		return PMX_ERROR;
	for (int k = 0; k < nkeep; k++)
		if (pmx_strs_push(ctx, out, pmx_sqlite_create_index(ctx, to, keep[k])) != PMX_OK)
			return PMX_ERROR;
	for (int k = 0; k < triggers->n; k++)
		if (pmx_strs_push(ctx, out, triggers->v[k]) != PMX_OK)
			return PMX_ERROR;
	return PMX_OK;
}

/* Raise st's class to at least ch's, keeping the worse one's hint. */
static void
merge_class(PmxStep *st, const PmxChange *ch)
{
	if (ch->safety > st->safety || (ch->safety == st->safety && !st->hint && ch->hint))
	{
		st->safety = ch->safety;
		st->hint = ch->hint;
		st->block_code = ch->block_code;
	}
}

/* The rebuild step for one table, carrying all of parts. */
static int
plan_rebuild(Planner *P, PmxTable *lt, PmxTable *tt, PmxChange **parts, int nparts)
{
	PmxCtx	   *ctx = P->ctx;
	PmxStep    *st = add_step(P, PH_ALTER, PMX_OP_REBUILD_TABLE, tt->name, tt->name);
	const PmxIndex **keep;
	int			nkeep = 0;
	PmxStrs		trig = {0};
	PmxBuf		reason;
	bool		lossy = false;
	bool		unrestorable = false;	/* NULLs filled, or a counter lost: the down
										 * restores the schema, not them */

	if (!st || !(keep = pmx_alloc(ctx, sizeof(PmxIndex *) * (size_t) (tt->nindexes + 1))))
		return PMX_ERROR;
	st->rewrite = true;
	st->parts = parts;
	st->nparts = nparts;
	pmx_buf_init(&reason, ctx);
	pmx_buf_appendf(&reason, "table %s is rebuilt (SQLite's ALTER TABLE cannot do this in place): ", tt->name);
	for (int i = 0; i < nparts; i++)
	{
		PmxChange  *ch = parts[i];

		ch->planned = true;
		merge_class(st, ch);
		pmx_buf_appendf(&reason, "%s%s", i ? "; " : "", ch->reason);
		if (ch->check_sql && pmx_strs_push(ctx, &st->checks, ch->check_sql) != PMX_OK)
			return PMX_ERROR;
		if (ch->op == PMX_OP_DROP_COLUMN || ch->safety == PMX_DESTRUCTIVE)
			lossy = true;
		if (ch->op == PMX_OP_SET_NOT_NULL && ch->backfill)
			unrestorable = true;
		/* AUTOINCREMENT dropped: its counter goes with it, the down cannot put it back */
		if (ch->op == PMX_OP_ALTER_IDENTITY && ch->lc && ch->tc &&
			ch->lc->identity != PMX_IDENTITY_NONE && ch->tc->identity == PMX_IDENTITY_NONE)
			unrestorable = true;
	}
	if (!(st->reason = pmx_buf_finish(&reason)))
		return PMX_ERROR;
	if (st->safety < PMX_WARN)
		st->safety = PMX_WARN;	/* a rewrite of the whole table is never "safe" */
	if (lt->unmodelled)
	{
		st->safety = PMX_BLOCKED;
		st->block_code = PMX_E_UNSUPPORTED;
		st->reason = pmx_sprintf(ctx, "table %s uses %s, which premix cannot carry through a rebuild; %s",
								 tt->name, lt->unmodelled, st->reason);
		st->hint = pmx_sprintf(ctx, "Make this change by hand with SQLite's 12-step ALTER procedure, or remove %s from table \"%s\" first.",
							   lt->unmodelled, tt->name);
	}
	/* indexes the rebuild keeps: unchanged ones (renamed ones too) */
	for (int k = 0; k < tt->nindexes; k++)
	{
		PmxIndex   *ti = &tt->indexes[k];

		if (ti->peer && pmx_index_same_def(PMX_DIALECT_SQLITE, lt, ti->peer, tt, ti))
			keep[nkeep++] = ti;
	}
	if (triggers_of(P, lt, &trig) != PMX_OK ||
		rebuild_sql(P, lt, tt, keep, nkeep, &trig, parts, nparts, &st->sql) != PMX_OK)
		return PMX_ERROR;
	if (lossy)
		st->reversible = false;
	else
	{
		const PmxIndex **lkeep = pmx_alloc(ctx, sizeof(PmxIndex *) * (size_t) (nkeep + 1));

		if (!lkeep)
			return PMX_ERROR;
		for (int k = 0; k < nkeep; k++)
		{
			lkeep[k] = keep[k]->peer;
			/* an index rename this rebuild carries: the down puts back the old name */
			for (int i = 0; i < nparts; i++)
				if (parts[i]->op == PMX_OP_RENAME_INDEX && parts[i]->lobj == keep[k]->peer &&
					keep[k]->peer->live_name)
				{
					PmxIndex   *old = pmx_alloc(ctx, sizeof(PmxIndex));

					if (!old)
						return PMX_ERROR;
					*old = *keep[k]->peer;
					old->name = old->live_name;
					lkeep[k] = old;
				}
		}
		if (rebuild_sql(P, tt, lt, lkeep, nkeep, &trig, NULL, 0, &st->down) != PMX_OK)
			return PMX_ERROR;
		if (unrestorable)
			st->reversible = false;
	}
	{
		bool		inbound;

		if (has_inbound_fks(P, lt, &inbound) != PMX_OK ||
			(inbound && pmx_strs_push(ctx, &P->fk_parents, tt->name) != PMX_OK))
			return PMX_ERROR;
	}
	for (int i = 0; i < P->d->live->nextras; i++)
	{
		const PmxExtra *e = &P->d->live->extras[i];

		if (strcmp(e->type, "view") == 0 &&
			(pmx_sql_mentions_ident(e->sql, tt->name) ||
			 (lt->live_name && pmx_sql_mentions_ident(e->sql, lt->live_name))) &&
			pmx_strs_pushf(ctx, &P->warnings,
						   "view %s reads table %s, which is rebuilt; the view is kept as it is", e->name, tt->name) != PMX_OK)
			return PMX_ERROR;
	}
	for (int k = 0; k < trig.n; k++)
		if (pmx_strs_pushf(ctx, &P->warnings,
						   "table %s is rebuilt; its trigger is re-created: %s", tt->name, pmx_clip(ctx, trig.v[k], 80)) != PMX_OK)
			return PMX_ERROR;
	return PMX_OK;
}

/* Phase 5 for one matched table: direct ALTERs or one rebuild. */
static int
plan_alter_table(Planner *P, PmxTable *lt, PmxTable *tt)
{
	PmxCtx	   *ctx = P->ctx;
	PmxDiff    *d = P->d;
	PmxChange **parts = NULL;
	int			nparts = 0,
				cap = 0;
	bool		rebuild = false;

	for (int i = 0; i < lt->nchanges; i++)
	{
		PmxChange  *ch = lt->changes[i];

		if (ch->planned)
			continue;
		if (op_needs_rebuild(ch->op) ||
			(ch->op == PMX_OP_ADD_COLUMN && !add_column_direct(tt, ch->tc)) ||
			(ch->op == PMX_OP_DROP_COLUMN && !drop_column_direct(d->live, lt, ch->lc)))
			rebuild = true;
	}
	for (int i = 0; i < lt->nchanges; i++)
	{
		PmxChange  *ch = lt->changes[i];
		PmxStep    *st;

		if (ch->planned)
			continue;
		if (ch->op == PMX_OP_ADD_COLUMN || ch->op == PMX_OP_DROP_COLUMN || op_needs_rebuild(ch->op))
		{
			if (rebuild)
			{
				if (!PMX_PUSH(ctx, parts, nparts, cap))
					return PMX_ERROR;
				parts[nparts - 1] = ch;
				continue;
			}
			st = add_step(P, PH_ALTER, ch->op, tt->name, ch->object);
			if (!st || step_from_change(P, st, ch) != PMX_OK)
				return PMX_ERROR;
			if (ch->op == PMX_OP_ADD_COLUMN)
			{
				char	   *def = pmx_sqlite_column_def(ctx, tt, ch->tc);
				PmxBuf		b;

				if (!def)
					return PMX_ERROR;
				pmx_buf_init(&b, ctx);
				pmx_buf_append(&b, "ALTER TABLE ");
				pmx_sqlite_buf_qualified(&b, tt->name);
				pmx_buf_appendf(&b, " ADD COLUMN %s", def);
				if (pmx_strs_push(ctx, &st->sql, pmx_buf_finish(&b)) != PMX_OK)
					return PMX_ERROR;
				pmx_buf_init(&b, ctx);
				pmx_buf_append(&b, "ALTER TABLE ");
				pmx_sqlite_buf_qualified(&b, tt->name);
				pmx_buf_append(&b, " DROP COLUMN ");
				pmx_buf_ident(&b, ch->tc->name);
				if (pmx_strs_push(ctx, &st->down, pmx_buf_finish(&b)) != PMX_OK)
					return PMX_ERROR;
			}
			else
			{
				PmxBuf		b;

				pmx_buf_init(&b, ctx);
				pmx_buf_append(&b, "ALTER TABLE ");
				pmx_sqlite_buf_qualified(&b, tt->name);
				pmx_buf_append(&b, " DROP COLUMN ");
				pmx_buf_ident(&b, ch->lc->name);
				if (pmx_strs_push(ctx, &st->sql, pmx_buf_finish(&b)) != PMX_OK)
					return PMX_ERROR;
				/*
				 * The structure comes back (as on PostgreSQL), the values do
				 * not: without it, the down of an earlier step that names the
				 * column (a name moved aside for reuse) would fail.
				 */
				if (add_column_direct(lt, ch->lc))
				{
					char	   *def = pmx_sqlite_column_def(ctx, tt, ch->lc);

					if (!def)
						return PMX_ERROR;
					pmx_buf_init(&b, ctx);
					pmx_buf_append(&b, "ALTER TABLE ");
					pmx_sqlite_buf_qualified(&b, tt->name);
					pmx_buf_appendf(&b, " ADD COLUMN %s", def);
					if (pmx_strs_push(ctx, &st->down, pmx_buf_finish(&b)) != PMX_OK)
						return PMX_ERROR;
				}
				st->reversible = false;
			}
		}
	}
	if (rebuild)
	{
		/* index renames on a rebuilt table are carried by the rebuild */
		for (int i = 0; i < lt->nchanges; i++)
			if (lt->changes[i]->op == PMX_OP_RENAME_INDEX && !lt->changes[i]->planned)
			{
				if (!PMX_PUSH(ctx, parts, nparts, cap))
					return PMX_ERROR;
				parts[nparts - 1] = lt->changes[i];
			}
		return plan_rebuild(P, lt, tt, parts, nparts);
	}
	return PMX_OK;
}

/* Steps for index changes of one table (phases 3 and 7). */
static int
plan_indexes(Planner *P, PmxTable *lt, PmxTable *tt)
{
	PmxCtx	   *ctx = P->ctx;

	PmxTable   *owner = lt ? lt : tt;

	/* a renamed index whose definition also changed is dropped and created */
	for (int i = 0; i < owner->nchanges; i++)
		if (owner->changes[i]->op == PMX_OP_RENAME_INDEX && !owner->changes[i]->planned)
			for (int k = 0; k < owner->nchanges; k++)
				if (owner->changes[k]->op == PMX_OP_DROP_INDEX &&
					owner->changes[k]->lobj == owner->changes[i]->lobj)
					owner->changes[i]->planned = true;
	for (int i = 0; i < owner->nchanges; i++)
	{
		PmxChange  *ch = owner->changes[i];
		PmxStep    *st;

		if (ch->planned)
			continue;
		if (ch->op == PMX_OP_DROP_INDEX)
		{
			const PmxIndex *li = ch->lobj;
			const char *dbname = li->live_name ? li->live_name : li->name;

			st = add_step(P, PH_DROP_INDEX, PMX_OP_DROP_INDEX, tt ? tt->name : lt->name, dbname);
			if (!st || step_from_change(P, st, ch) != PMX_OK ||
				pmx_strs_push(ctx, &st->sql, sql_simple(ctx, "DROP INDEX ", dbname)) != PMX_OK)
				return PMX_ERROR;
			/* downs run in reverse: renames are still in effect then */
			{
				PmxIndex	old = *li;

				old.name = (char *) dbname;
				if (pmx_strs_push(ctx, &st->down, pmx_sqlite_create_index(ctx, lt, &old)) != PMX_OK)
					return PMX_ERROR;
			}
		}
		else if (ch->op == PMX_OP_CREATE_INDEX || ch->op == PMX_OP_RENAME_INDEX)
		{
			const PmxIndex *ti = ch->tobj;

			st = add_step(P, PH_CREATE_INDEX, ch->op, tt->name, ti->name);
			if (!st || step_from_change(P, st, ch) != PMX_OK)
				return PMX_ERROR;
			if (ch->op == PMX_OP_RENAME_INDEX)
			{
				const PmxIndex *li = ch->lobj;
				const char *old = li->live_name ? li->live_name : li->name;

				if (pmx_strs_push(ctx, &st->sql, sql_simple(ctx, "DROP INDEX ", old)) != PMX_OK)
					return PMX_ERROR;
				if (pmx_strs_push(ctx, &st->down, sql_simple(ctx, "DROP INDEX ", ti->name)) != PMX_OK)
					return PMX_ERROR;
				{
					PmxIndex	back = *ti;

					back.name = (char *) old;
					if (pmx_strs_push(ctx, &st->down, pmx_sqlite_create_index(ctx, tt, &back)) != PMX_OK)
						return PMX_ERROR;
				}
			}
			else if (pmx_strs_push(ctx, &st->down, sql_simple(ctx, "DROP INDEX ", ti->name)) != PMX_OK)
				return PMX_ERROR;
			if (pmx_strs_push(ctx, &st->sql, pmx_sqlite_create_index(ctx, tt, ti)) != PMX_OK)
				return PMX_ERROR;
		}
	}
	return PMX_OK;
}

/* The step that drops live table lt. */
static int
emit_drop(Planner *P, PmxTable *lt)
{
	PmxCtx	   *ctx = P->ctx;
	PmxSchema  *live = P->d->live;
	PmxChange  *ch = find_change(PMX_OP_DROP_TABLE, lt, NULL);
	PmxStep    *st = add_step(P, PH_DROP_TABLE, PMX_OP_DROP_TABLE, lt->name, lt->name);

	if (!st || step_from_change(P, st, ch) != PMX_OK ||
		pmx_strs_push(ctx, &st->sql, sql_simple(ctx, "DROP TABLE ", lt->name)) != PMX_OK)
		return PMX_ERROR;
	st->reversible = false;
	for (int e = 0; e < live->nextras; e++)
		if (strcmp(live->extras[e].type, "view") == 0 &&
			pmx_sql_mentions_ident(live->extras[e].sql, lt->name) &&
			pmx_strs_pushf(ctx, &P->warnings,
						   "view %s reads table %s, which is dropped; the view will fail until it is changed",
						   live->extras[e].name, lt->name) != PMX_OK)
			return PMX_ERROR;
	return PMX_OK;
}

/* Dropped tables, children before parents (Kahn's order over their FKs). */
static int
plan_drops(Planner *P)
{
	PmxCtx	   *ctx = P->ctx;
	PmxSchema  *live = P->d->live;
	PmxTable  **drop = pmx_alloc(ctx, sizeof(PmxTable *) * (size_t) (live->ntables + 1));
	int		   *refs = pmx_alloc(ctx, sizeof(int) * (size_t) (live->ntables + 1));
	bool	   *done = pmx_alloc(ctx, sizeof(bool) * (size_t) (live->ntables + 1));
	PmxMap		index;
	int			n = 0,
				emitted = 0;

	if (!drop || !refs || !done || pmx_map_init(&index, ctx, 16, true) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < live->ntables; i++)
		if (find_change(PMX_OP_DROP_TABLE, live->tables[i], NULL))
		{
			drop[n] = live->tables[i];
			if (pmx_map_put(&index, drop[n]->name, (void *) (intptr_t) (n + 1)) != PMX_OK)
				return PMX_ERROR;
			n++;
		}
	/* refs[p] = how many other dropped tables reference dropped table p */
	for (int c = 0; c < n; c++)
		for (int f = 0; f < drop[c]->nfks; f++)
		{
			intptr_t	p = (intptr_t) pmx_map_get(&index, drop[c]->fks[f].ref_table);

			if (p && p - 1 != c)
				refs[p - 1]++;
		}
	while (emitted < n)
	{
		int			pick = -1;

		for (int i = 0; i < n && pick < 0; i++)
			if (!done[i] && refs[i] == 0)
				pick = i;
		for (int i = 0; i < n && pick < 0; i++)
			if (!done[i])
				pick = i;		/* a cycle: any order, keys are not enforced then */
		done[pick] = true;
		emitted++;
		for (int f = 0; f < drop[pick]->nfks; f++)
		{
			intptr_t	p = (intptr_t) pmx_map_get(&index, drop[pick]->fks[f].ref_table);

			if (p && p - 1 != pick)
				refs[p - 1]--;
		}
		if (emit_drop(P, drop[pick]) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* Run sql in the shadow; false (error cleared) when SQLite refuses it. */
static bool
shadow_try(PmxCtx *ctx, PmxDb *sh, const char *sql)
{
	if (sh->exec(sh->ud, ctx, sql) == PMX_OK)
		return true;
	pmx_error_clear(ctx);
	return false;
}

/* Row callback: remember a trigger's text by its name. */
static int
on_trigger_row(void *arg, int ncols, const char *const *v)
{
	Planner    *P = arg;
	char	   *name,
			   *sql;

	(void) ncols;
	if (!v[0] || !v[1])
		return PMX_OK;
	if (!(name = pmx_strdup(P->ctx, v[0])) || !(sql = pmx_strdup(P->ctx, v[1])))
		return PMX_ERROR;
	return pmx_map_put(&P->trigger_sql, name, sql);
}

/*
 * When a rebuilt table has triggers and the plan renames things, learn
 * the trigger texts as SQLite itself rewrites them for the renames: copy
 * the live schema's stored texts into the private shadow, run the renames
 * there, read the triggers back.  The user's database is only read.  When
 * the shadow cannot reproduce the schema (a virtual table whose module is
 * not loaded there, say), the texts as stored are used and a warning says
 * the trigger may need a look.
 */
static int
probe_trigger_texts(Planner *P)
{
	PmxCtx	   *ctx = P->ctx;
	PmxSchema  *live = P->d->live;
	PmxDb		sh;
	bool		need = false,
				ok = true;
	int			rc = PMX_OK;

	if (pmx_map_init(&P->trigger_sql, ctx, 16, true) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < live->nextras; i++)
		if (strcmp(live->extras[i].type, "trigger") == 0)
			need = true;
	if (!need || !P->have_renames || !P->db->shadow_open)
		return PMX_OK;
	memset(&sh, 0, sizeof(sh));
	if (P->db->shadow_open(P->db->ud, ctx, &sh) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < live->ntables; i++)
		if (live->tables[i]->create_sql)
			ok = shadow_try(ctx, &sh, live->tables[i]->create_sql) && ok;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < live->nextras; i++)
			if (strcmp(live->extras[i].type, pass ? "trigger" : "view") == 0)
				ok = shadow_try(ctx, &sh, live->extras[i].sql) && ok;
	for (int ph = PH_RENAME_TABLE; ph <= PH_RENAME_COLUMN && ok; ph++)
		for (int s = 0; s < P->phase[ph].nsteps && ok; s++)
			for (int k = 0; k < P->phase[ph].steps[s].sql.n && ok; k++)
				ok = shadow_try(ctx, &sh, P->phase[ph].steps[s].sql.v[k]);
	if (ok)
		rc = sh.query(sh.ud, ctx, "SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger'",
					  on_trigger_row, P);
	else
		rc = pmx_strs_push(ctx, &P->warnings,
						   "the plan renames objects and rebuilds a table with triggers; premix could not replay the renames privately, so the triggers are re-created as stored: check them");
	if (sh.shadow_close)
		sh.shadow_close(&sh);
	return rc;
}

/* Build the SQLite plan from a classified diff; see the file header. */
int
pmx_plan_sqlite(PmxCtx *ctx, PmxDb *db, PmxDiff *d, PmxPlan *plan)
{
	Planner		P;
	PmxSchema  *live = d->live,
			   *target = d->target;

	memset(&P, 0, sizeof(P));
	P.ctx = ctx;
	P.db = db;
	P.d = d;
	if (plan_table_renames(&P) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < live->ntables; i++)
		if (live->tables[i]->peer && plan_column_renames(&P, live->tables[i]) != PMX_OK)
			return PMX_ERROR;
	if (probe_trigger_texts(&P) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < target->ntables; i++)
	{
		PmxTable   *tt = target->tables[i];

		if (!tt->peer)
		{
			PmxChange  *ch = NULL;
			PmxStep    *st;

			ch = find_change(PMX_OP_CREATE_TABLE, tt, NULL);
			st = add_step(&P, PH_CREATE_TABLE, PMX_OP_CREATE_TABLE, tt->name, tt->name);
			if (!st || !ch || step_from_change(&P, st, ch) != PMX_OK ||
				pmx_strs_push(ctx, &st->sql, pmx_sqlite_create_table(ctx, tt, NULL)) != PMX_OK ||
				pmx_strs_push(ctx, &st->down, sql_simple(ctx, "DROP TABLE ", tt->name)) != PMX_OK)
				return PMX_ERROR;
			if (plan_indexes(&P, NULL, tt) != PMX_OK)
				return PMX_ERROR;
			continue;
		}
		if (plan_alter_table(&P, tt->peer, tt) != PMX_OK ||
			plan_indexes(&P, tt->peer, tt) != PMX_OK)
			return PMX_ERROR;
	}
	for (int i = 0; i < live->ntables; i++)
		if (!live->tables[i]->peer && plan_indexes(&P, live->tables[i], NULL) != PMX_OK)
			return PMX_ERROR;
	if (plan_drops(&P) != PMX_OK)
		return PMX_ERROR;

	/* concatenate the phases */
	for (int ph = 0; ph < PH__COUNT; ph++)
		for (int s = 0; s < P.phase[ph].nsteps; s++)
		{
			PmxStep    *st = pmx_plan_add_step(ctx, plan, PMX_OP_CREATE_TABLE, NULL, NULL);

			if (!st)
				return PMX_ERROR;
			*st = P.phase[ph].steps[s];
		}
	for (int i = 0; i < P.warnings.n; i++)
		if (pmx_strs_push(ctx, &plan->warnings, P.warnings.v[i]) != PMX_OK)
			return PMX_ERROR;
	plan->fk_parents = P.fk_parents;
	for (int i = 0; i < d->nchanges; i++)
		if (!d->changes[i]->planned && d->changes[i]->op != PMX_OP_DROP_TABLE &&
			d->changes[i]->op != PMX_OP_CREATE_TABLE)
			return pmx_error(ctx, PMX_E_INTERNAL, "change %s on %s was not planned",
							 pmx_op_name(d->changes[i]->op), d->changes[i]->object);
	return PMX_OK;
}
