/*-------------------------------------------------------------------------
 *
 * pmx_plan_pg.c
 *	  Turn classified changes into ordered PostgreSQL steps with up and
 *	  down SQL, each with its lock level and whether it rewrites the table.
 *
 * Order (dependencies first):
 *	 1. table renames, 2. column renames, 3. index renames (ALTER INDEX
 *	 ... RENAME: the definition is unchanged), 4. dropped foreign keys,
 *	 5. dropped checks, unique and primary keys, and dropped indexes,
 *	 new and extended enum types, 6. new tables (without their foreign
 *	 keys), 7. column changes per
 *	 table (add, type, default, NULL-backfill then SET NOT NULL, drop),
 *	 8. new primary keys, unique keys and checks, 9. dropped tables, then
 *	 dropped enum types,
 *	 10. new indexes, 11. new foreign keys (so any order of tables works).
 *
 * PostgreSQL runs all of it in the caller's transaction; lock levels are
 * from the PostgreSQL documentation's table-level lock list.  CREATE INDEX
 * CONCURRENTLY cannot run inside a transaction, so an index on a table
 * with rows is built with the SHARE lock and the plan says so.
 *
 * IDENTIFICATION
 *	  shared/pmx_plan_pg.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_moves.h"
#include "pmx_plan.h"
#include "pmx_render_pg.h"
#include "pmx_sql.h"
#include "pmx_types.h"

enum
{
	PH_RENAME_TABLE,
	PH_RENAME_COLUMN,
	PH_RENAME_INDEX,
	PH_DROP_FK,
	PH_DROP_CONSTRAINT,
	PH_ENUM,
	PH_CREATE_TABLE,
	PH_ALTER,
	PH_ADD_CONSTRAINT,
	PH_DROP_TABLE,
	PH_DROP_ENUM,
	PH_CREATE_INDEX,
	PH_ADD_FK,
	PH__COUNT
};

#define LOCK_AX "access exclusive"

typedef struct Planner
{
	PmxCtx	   *ctx;
	PmxDiff    *d;
	PmxPlan		phase[PH__COUNT];
	PmxStrs		warnings;
} Planner;

/* Append a step to a phase, with its lock; NULL on OOM. */
static PmxStep *
add_step(Planner *P, int phase, PmxOp op, const char *table, const char *object,
		 const char *lock)
{
	PmxStep    *st = pmx_plan_add_step(P->ctx, &P->phase[phase], op, table, object);

	if (st)
		st->lock = lock;
	return st;
}

/* Copy a change's classification onto a step (rewrite is the planner's). */
static int
from_change(Planner *P, PmxStep *st, PmxChange *ch, bool rewrite)
{
	st->safety = ch->safety;
	st->reason = ch->reason;
	st->hint = ch->hint;
	st->block_code = ch->block_code;
	st->rewrite = rewrite;
	ch->planned = true;
	if (ch->check_sql && pmx_strs_push(P->ctx, &st->checks, ch->check_sql) != PMX_OK)
		return PMX_ERROR;
	return PMX_OK;
}

/* "ALTER TABLE "t" " + formatted rest; NULL on OOM. */
static char *
alter(PmxCtx *ctx, const char *table, const char *fmt,...) PMX_PRINTF(3, 4);

static char *
alter(PmxCtx *ctx, const char *table, const char *fmt,...)
{
	PmxBuf		b;
	va_list		ap;

	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, "ALTER TABLE ");
	pmx_buf_ident(&b, table);
	pmx_buf_putc(&b, ' ');
	va_start(ap, fmt);
	pmx_buf_vappendf(&b, fmt, ap);
	va_end(ap);
	return pmx_buf_finish(&b);
}

/* "VERB "name"" for DROP TABLE / DROP INDEX; NULL on OOM. */
static char *
verb_name(PmxCtx *ctx, const char *verb, const char *name)
{
	char	   *q = pmx_quote_ident(ctx, name);

	return q ? pmx_sprintf(ctx, "%s %s", verb, q) : NULL;
}

/* "ALTER <kind> "from" RENAME TO "to"" (TABLE or INDEX). */
static char *
rename_sql(PmxCtx *ctx, const char *kind, const char *from, const char *to)
{
	char	   *a = pmx_quote_ident(ctx, from),
			   *b = pmx_quote_ident(ctx, to);

	return a && b ? pmx_sprintf(ctx, "ALTER %s %s RENAME TO %s", kind, a, b) : NULL;
}

/* Push up and down statements; PMX_ERROR on OOM. */
static int
up_down(PmxCtx *ctx, PmxStep *st, const char *up, const char *down)
{
	if (!up || pmx_strs_push(ctx, &st->sql, up) != PMX_OK)
		return PMX_ERROR;
	if (down)
		return pmx_strs_push(ctx, &st->down, down);
	st->reversible = false;
	return PMX_OK;
}

typedef struct StepPush
{
	PmxCtx	   *ctx;
	PmxStep    *st;
} StepPush;

/* Push callback of pmx_pg_table_comments: append to a step's SQL. */
static int
push_sql(void *arg, const char *sql)
{
	StepPush   *p = arg;

	return sql ? pmx_strs_push(p->ctx, &p->st->sql, sql) : PMX_ERROR;
}

/* The rename change of lt (for a table) naming object, or NULL. */
static PmxChange *
rename_change(const PmxTable *lt, PmxOp op, const char *object)
{
	for (int i = 0; i < lt->nchanges; i++)
		if (lt->changes[i]->op == op &&
			(!object || strcmp(lt->changes[i]->object, object) == 0))
			return lt->changes[i];
	return NULL;
}

/* Steps for a list of moves (tables when lt is NULL, else lt's columns). */
static int
emit_moves(Planner *P, PmxTable *lt, PmxMove *mv, int nmv)
{
	PmxCtx	   *ctx = P->ctx;

	for (int k = 0; k < nmv; k++)
	{
		PmxStep    *st;
		PmxChange  *ch;
		bool		kept;
		char	   *up,
				   *down;

		if (!lt)
		{
			PmxTable   *t = P->d->live->tables[mv[k].idx];

			st = add_step(P, PH_RENAME_TABLE, PMX_OP_RENAME_TABLE, mv[k].to, mv[k].to, LOCK_AX);
			ch = rename_change(t, PMX_OP_RENAME_TABLE, NULL);
			kept = t->peer != NULL;
			up = rename_sql(ctx, "TABLE", mv[k].from, mv[k].to);
			down = rename_sql(ctx, "TABLE", mv[k].to, mv[k].from);
			if (!kept)
			{
				t->name = (char *) mv[k].to;
				P->d->names_ok = false;
			}
		}
		else
		{
			PmxColumn  *c = &lt->cols[mv[k].idx];

			st = add_step(P, PH_RENAME_COLUMN, PMX_OP_RENAME_COLUMN, lt->name, mv[k].to, LOCK_AX);
			ch = rename_change(lt, PMX_OP_RENAME_COLUMN, mv[k].to);
			kept = c->peer != NULL;
			up = alter(ctx, lt->name, "RENAME COLUMN %s TO %s", pmx_quote_ident(ctx, mv[k].from),
					   pmx_quote_ident(ctx, mv[k].to));
			down = alter(ctx, lt->name, "RENAME COLUMN %s TO %s", pmx_quote_ident(ctx, mv[k].to),
						 pmx_quote_ident(ctx, mv[k].from));
			if (!kept)
				c->name = (char *) mv[k].to;
		}
		if (!st || up_down(ctx, st, up, down) != PMX_OK)
			return PMX_ERROR;
		if (mv[k].aside || !ch)
			st->reason = pmx_sprintf(ctx, "%s %s moves aside to %s so that its name can be reused%s",
									 lt ? "column" : "table", mv[k].from, mv[k].to,
									 kept ? "" : " (it is dropped later)");
		else if (from_change(P, st, ch, false) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* Phases 1-2: table renames, then column renames of every kept table. */
static int
plan_renames(Planner *P)
{
	PmxCtx	   *ctx = P->ctx;
	PmxSchema  *live = P->d->live;
	PmxMove    *mv;
	int			nmv;

	if (pmx_table_moves(ctx, P->d, &mv, &nmv) != PMX_OK || emit_moves(P, NULL, mv, nmv) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < live->ntables; i++)
		if (live->tables[i]->peer &&
			(pmx_column_moves(ctx, P->d, live->tables[i], &mv, &nmv) != PMX_OK ||
			 emit_moves(P, live->tables[i], mv, nmv) != PMX_OK))
			return PMX_ERROR;
	return PMX_OK;
}

/* The name of a constraint object of change ch (live or target side). */
static const char *
constraint_name(const PmxChange *ch, bool live)
{
	const void *o = live ? ch->lobj : ch->tobj;

	switch (ch->op)
	{
		case PMX_OP_ADD_FOREIGN_KEY:
		case PMX_OP_DROP_FOREIGN_KEY:
			return ((const PmxForeignKey *) o)->name;
		case PMX_OP_ADD_CHECK:
		case PMX_OP_DROP_CHECK:
			return ((const PmxCheck *) o)->name;
		default:
			return ((const PmxKey *) o)->name;
	}
}

/* The table-constraint text of change ch's object (live or target side). */
static char *
constraint_def(PmxCtx *ctx, const PmxChange *ch, bool live)
{
	const void *o = live ? ch->lobj : ch->tobj;

	switch (ch->op)
	{
		case PMX_OP_ADD_FOREIGN_KEY:
		case PMX_OP_DROP_FOREIGN_KEY:
			return pmx_pg_fk_def(ctx, o);
		case PMX_OP_ADD_CHECK:
		case PMX_OP_DROP_CHECK:
			return pmx_pg_check_def(ctx, o);
		case PMX_OP_ADD_PRIMARY_KEY:
		case PMX_OP_DROP_PRIMARY_KEY:
			return pmx_pg_key_def(ctx, o, true);
		default:
			return pmx_pg_key_def(ctx, o, false);
	}
}

/* Constraint add or drop (phases 4, 5, 8, 11). */
static int
plan_constraint(Planner *P, PmxChange *ch)
{
	PmxCtx	   *ctx = P->ctx;
	bool		add = ch->op == PMX_OP_ADD_FOREIGN_KEY || ch->op == PMX_OP_ADD_CHECK ||
		ch->op == PMX_OP_ADD_PRIMARY_KEY || ch->op == PMX_OP_ADD_UNIQUE;
	bool		fk = ch->op == PMX_OP_ADD_FOREIGN_KEY || ch->op == PMX_OP_DROP_FOREIGN_KEY;
	const char *table = ch->tt ? ch->tt->name : ch->lt->name;
	const char *name = constraint_name(ch, !add);
	int			phase = add ? (fk ? PH_ADD_FK : PH_ADD_CONSTRAINT) : (fk ? PH_DROP_FK : PH_DROP_CONSTRAINT);
	PmxStep    *st = add_step(P, phase, ch->op, table, ch->object,
							  fk ? "share row exclusive" : LOCK_AX);
	char	   *def = constraint_def(ctx, ch, !add);
	char	   *add_sql = alter(ctx, table, "ADD %s", def);
	char	   *drop_sql = alter(ctx, table, "DROP CONSTRAINT %s", pmx_quote_ident(ctx, name));

	if (!st || !def || from_change(P, st, ch, false) != PMX_OK)
		return PMX_ERROR;
	/* a new table's keys and checks hold trivially: no rows yet */
	if (!ch->lt && ch->safety == PMX_WARN)
		st->safety = PMX_SAFE;
	return add ? up_down(ctx, st, add_sql, drop_sql) : up_down(ctx, st, drop_sql, add_sql);
}

/* True when adding a column with this default fills every row by a rewrite. */
static bool
volatile_default(const PmxColumn *c)
{
	static const char *const fns[] = {"random(", "gen_random_uuid(", "clock_timestamp(",
	"nextval(", "uuid_generate", "timeofday(", NULL};

	if (c->identity != PMX_IDENTITY_NONE || strstr(c->type, "serial"))
		return true;
	for (int i = 0; c->default_expr && fns[i]; i++)
		if (strstr(c->default_expr, fns[i]))
			return true;
	return false;
}

/* The identity sequence of t.c set to continue after the largest value; NULL on OOM. */
static char *
identity_restart(PmxCtx *ctx, const char *t, const char *c)
{
	PmxBuf		b;
	char	   *qt = pmx_quote_ident(ctx, t);

	if (!qt)
		return NULL;
	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(");
	pmx_buf_literal(&b, qt);
	pmx_buf_append(&b, ", ");
	pmx_buf_literal(&b, c);
	pmx_buf_append(&b, "), coalesce(max(");
	pmx_buf_ident(&b, c);
	pmx_buf_append(&b, "), 0) + 1, false) FROM ");
	pmx_buf_ident(&b, t);
	return pmx_buf_finish(&b);
}

/* "ALTER COLUMN "c" " prefix text; NULL on OOM. */
static char *
col(PmxCtx *ctx, const char *name)
{
	char	   *q = pmx_quote_ident(ctx, name);

	return q ? pmx_sprintf(ctx, "ALTER COLUMN %s", q) : NULL;
}

/*
 * The statements of a serial column becoming a plain integer or the other
 * way (st->sql, st->down, appended; the type change is already there).
 * serial -> integer drops the default and keeps the sequence (owned by the
 * column, dropped with it), so that the down puts the default back with
 * the counter where it was; integer -> serial takes a sequence the column
 * still owns, else creates <table>_<column>_seq, moves it past the largest
 * value and makes it the default; serial -> bigserial changes the
 * sequence's type with the column's.  PMX_ERROR on OOM.
 */
static int
serial_steps(PmxCtx *ctx, PmxStep *st, const char *t, const char *c,
			 const PmxColumn *lc, const PmxColumn *tc)
{
	const char *lb = pmx_pg_serial_base(lc->type),
			   *tb = pmx_pg_serial_base(tc->type);
	char	   *qc = pmx_quote_ident(ctx, tc->name);
	const char *seq = lc->sequence;
	char	   *qseq,
			   *nextval;
	PmxBuf		b;

	if (!qc)
		return PMX_ERROR;
	if (!lb && !tb)
		return PMX_OK;
	if (!seq && !(seq = pmx_sprintf(ctx, "%s_%s_seq", t, tc->name)))
		return PMX_ERROR;
	if (!(qseq = pmx_quote_ident(ctx, seq)))
		return PMX_ERROR;
	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, "nextval(");
	pmx_buf_literal(&b, qseq);
	pmx_buf_append(&b, "::regclass)");
	if (!(nextval = pmx_buf_finish(&b)))
		return PMX_ERROR;
	if (lb && tb)
	{
		/* serial -> bigserial and back: the sequence's range follows */
		if (strcmp(lb, tb) == 0)
			return PMX_OK;
		return up_down(ctx, st, pmx_sprintf(ctx, "ALTER SEQUENCE %s AS %s", qseq, tb),
					   pmx_sprintf(ctx, "ALTER SEQUENCE %s AS %s", qseq, lb));
	}
	if (lb)
		return up_down(ctx, st, alter(ctx, t, "%s DROP DEFAULT", c),
					   alter(ctx, t, "%s SET DEFAULT %s", c, nextval));
	if (!lc->sequence)
	{
		char	   *qt = pmx_quote_ident(ctx, t);

		if (!qt ||
			up_down(ctx, st, pmx_sprintf(ctx, "CREATE SEQUENCE %s AS %s OWNED BY %s.%s", qseq, tb, qt, qc),
					pmx_sprintf(ctx, "DROP SEQUENCE %s", qseq)) != PMX_OK)
			return PMX_ERROR;
	}
	else if (pmx_strs_push(ctx, &st->sql, pmx_sprintf(ctx, "ALTER SEQUENCE %s AS %s", qseq, tb)) != PMX_OK)
		return PMX_ERROR;
	if (pmx_strs_push(ctx, &st->sql, identity_restart(ctx, t, tc->name)) != PMX_OK)
		return PMX_ERROR;
	/* the default goes first on the way down: the sequence cannot be dropped under it */
	if (pmx_strs_push(ctx, &st->sql, alter(ctx, t, "%s SET DEFAULT %s", c, nextval)) != PMX_OK)
		return PMX_ERROR;
	if (pmx_strs_push(ctx, &st->down, alter(ctx, t, "%s DROP DEFAULT", c)) != PMX_OK)
		return PMX_ERROR;
	{
		char	   *first = st->down.v[st->down.n - 1];

		memmove(st->down.v + 1, st->down.v, sizeof(char *) * (size_t) (st->down.n - 1));
		st->down.v[0] = first;
	}
	return PMX_OK;
}

/*
 * Phase 7: a column's type change: ALTER COLUMN ... TYPE with a USING cast
 * (the integer type under a serial), then serial_steps.  PMX_ERROR on
 * error.
 */
static int
plan_type_change(Planner *P, PmxStep *st, PmxChange *ch, const char *c)
{
	PmxCtx	   *ctx = P->ctx;
	const char *t = ch->tt->name;
	const PmxColumn *tc = ch->tc,
			   *lc = ch->lc;
	const char *nb = pmx_pg_serial_base(tc->type),
			   *ob = pmx_pg_serial_base(lc->type);
	char	   *nt = pmx_pg_type_render(ctx, nb ? nb : tc->type),
			   *ot = pmx_pg_type_render(ctx, ob ? ob : lc->type),
			   *q = pmx_quote_ident(ctx, tc->name);
	char	   *viol;
	bool		rw,
				cast;
	PmxTypeChange k;

	if (!nt || !ot || !q || from_change(P, st, ch, ch->rewrite) != PMX_OK)
		return PMX_ERROR;
	k = pmx_pg_type_change(ctx, lc->type, tc->type, tc->name, &viol, &rw, &cast);
	if (pmx_error_is_set(ctx))
		return PMX_ERROR;
	if (strcmp(nt, ot) != 0 &&
		up_down(ctx, st,
				alter(ctx, t, "%s TYPE %s USING %s::%s", c, nt, q, nt),
				alter(ctx, t, "%s TYPE %s USING %s::%s", c, ot, q, ot)) != PMX_OK)
		return PMX_ERROR;
	if (serial_steps(ctx, st, t, c, lc, tc) != PMX_OK)
		return PMX_ERROR;
	/*
	 * The cast back restores the values only when every value fits both
	 * ways unchanged (a wider or a narrower type whose values fit); a
	 * conversion rounds or re-spells them (numeric -> integer, text ->
	 * jsonb or boolean).
	 */
	if (k != PMX_TC_WIDEN && k != PMX_TC_NARROW)
		st->reversible = false;
	return PMX_OK;
}

/* Phase 7: one column change. */
static int
plan_column(Planner *P, PmxChange *ch)
{
	PmxCtx	   *ctx = P->ctx;
	const char *t = ch->tt->name;
	const PmxColumn *tc = ch->tc,
			   *lc = ch->lc;
	const char *cname = tc ? tc->name : lc->name;
	PmxStep    *st = add_step(P, PH_ALTER, ch->op, t, cname, LOCK_AX);
	char	   *c = col(ctx, cname);

	if (!st || !c)
		return PMX_ERROR;
	switch (ch->op)
	{
		case PMX_OP_ADD_COLUMN:
			if (from_change(P, st, ch, volatile_default(tc)) != PMX_OK ||
				up_down(ctx, st, alter(ctx, t, "ADD COLUMN %s", pmx_pg_column_def(ctx, tc)),
						alter(ctx, t, "DROP COLUMN %s", pmx_quote_ident(ctx, cname))) != PMX_OK)
				return PMX_ERROR;
			/* no part of a column's definition in PostgreSQL; the down's DROP takes it */
			return tc->comment ? push_sql(&(StepPush) {ctx, st}, pmx_pg_comment(ctx, t, cname, tc->comment))
				: PMX_OK;
		case PMX_OP_DROP_COLUMN:
			if (from_change(P, st, ch, false) != PMX_OK ||
				up_down(ctx, st, alter(ctx, t, "DROP COLUMN %s", pmx_quote_ident(ctx, cname)),
						alter(ctx, t, "ADD COLUMN %s", pmx_pg_column_def(ctx, lc))) != PMX_OK)
				return PMX_ERROR;
			st->reversible = false;	/* the structure comes back, the values do not */
			return PMX_OK;
		case PMX_OP_ALTER_COLUMN_TYPE:
			return plan_type_change(P, st, ch, c);
		case PMX_OP_SET_NOT_NULL:
			if (from_change(P, st, ch, false) != PMX_OK)
				return PMX_ERROR;
			if (ch->backfill)
			{
				PmxBuf		b;

				pmx_buf_init(&b, ctx);
				pmx_buf_append(&b, "UPDATE ");
				pmx_buf_ident(&b, t);
				pmx_buf_append(&b, " SET ");
				pmx_buf_ident(&b, cname);
				pmx_buf_appendf(&b, " = %s WHERE ", ch->backfill);
				pmx_buf_ident(&b, cname);
				pmx_buf_append(&b, " IS NULL");
				if (pmx_strs_push(ctx, &st->sql, pmx_buf_finish(&b)) != PMX_OK)
					return PMX_ERROR;
				st->reversible = false;	/* the down restores the schema, not which values were NULL */
			}
			return up_down(ctx, st, alter(ctx, t, "%s SET NOT NULL", c),
						   alter(ctx, t, "%s DROP NOT NULL", c));
		case PMX_OP_DROP_NOT_NULL:
			if (from_change(P, st, ch, false) != PMX_OK)
				return PMX_ERROR;
			return up_down(ctx, st, alter(ctx, t, "%s DROP NOT NULL", c),
						   alter(ctx, t, "%s SET NOT NULL", c));
		case PMX_OP_SET_DEFAULT:
		case PMX_OP_DROP_DEFAULT:
			if (from_change(P, st, ch, false) != PMX_OK)
				return PMX_ERROR;
			st->safety = PMX_SAFE;	/* existing rows keep their values */
			return up_down(ctx, st,
						   tc->default_expr ? alter(ctx, t, "%s SET DEFAULT %s", c, tc->default_expr)
						   : alter(ctx, t, "%s DROP DEFAULT", c),
						   lc->default_expr ? alter(ctx, t, "%s SET DEFAULT %s", c, lc->default_expr)
						   : alter(ctx, t, "%s DROP DEFAULT", c));
		case PMX_OP_ALTER_COLLATION:
			{
				char	   *ty = pmx_pg_type_render(ctx, tc->type);

				if (!ty || from_change(P, st, ch, true) != PMX_OK)
					return PMX_ERROR;
				return up_down(ctx, st,
							   alter(ctx, t, "%s TYPE %s COLLATE %s", c, ty,
									 pmx_quote_ident(ctx, tc->collation ? tc->collation : "default")),
							   alter(ctx, t, "%s TYPE %s COLLATE %s", c, ty,
									 pmx_quote_ident(ctx, lc->collation ? lc->collation : "default")));
			}
		case PMX_OP_ALTER_IDENTITY:
			{
				static const char *const gen[] = {NULL, "BY DEFAULT", "ALWAYS"};
				char	   *up,
						   *down;

				if (from_change(P, st, ch, false) != PMX_OK)
					return PMX_ERROR;
				st->safety = PMX_WARN;
				up = tc->identity == PMX_IDENTITY_NONE ? alter(ctx, t, "%s DROP IDENTITY", c)
					: lc->identity == PMX_IDENTITY_NONE ? alter(ctx, t, "%s ADD GENERATED %s AS IDENTITY", c, gen[tc->identity])
					: alter(ctx, t, "%s SET GENERATED %s", c, gen[tc->identity]);
				down = lc->identity == PMX_IDENTITY_NONE ? alter(ctx, t, "%s DROP IDENTITY", c)
					: tc->identity == PMX_IDENTITY_NONE ? alter(ctx, t, "%s ADD GENERATED %s AS IDENTITY", c, gen[lc->identity])
					: alter(ctx, t, "%s SET GENERATED %s", c, gen[lc->identity]);
				if (up_down(ctx, st, up, down) != PMX_OK)
					return PMX_ERROR;
				/*
				 * A new identity's sequence starts at 1: the step that adds
				 * one to a column with rows (or the down that puts back a
				 * dropped one) moves it past the values there are, or the
				 * next insert collides with them.
				 */
				if (lc->identity == PMX_IDENTITY_NONE &&
					pmx_strs_push(ctx, &st->sql, identity_restart(ctx, t, cname)) != PMX_OK)
					return PMX_ERROR;
				if (tc->identity == PMX_IDENTITY_NONE &&
					pmx_strs_push(ctx, &st->down, identity_restart(ctx, t, cname)) != PMX_OK)
					return PMX_ERROR;
				return PMX_OK;
			}
		default:
			return pmx_error(ctx, PMX_E_INTERNAL, "no PostgreSQL step for %s", pmx_op_name(ch->op));
	}
}

/* Index changes: rename (phase 3), drop (5), create (10). */
static int
plan_index(Planner *P, PmxChange *ch)
{
	PmxCtx	   *ctx = P->ctx;
	const PmxIndex *li = ch->lobj,
			   *ti = ch->tobj;
	const char *table = ch->tt ? ch->tt->name : ch->lt->name;
	PmxStep    *st;

	if (ch->op == PMX_OP_RENAME_INDEX)
	{
		const char *old = li->live_name ? li->live_name : li->name;

		st = add_step(P, PH_RENAME_INDEX, ch->op, table, ti->name, LOCK_AX);
		return st && from_change(P, st, ch, false) == PMX_OK ?
			up_down(ctx, st, rename_sql(ctx, "INDEX", old, ti->name),
					rename_sql(ctx, "INDEX", ti->name, old)) : PMX_ERROR;
	}
	if (ch->op == PMX_OP_DROP_INDEX)
	{
		const char *name = li->live_name ? li->live_name : li->name;
		PmxIndex	old = *li;

		old.name = (char *) name;
		st = add_step(P, PH_DROP_CONSTRAINT, ch->op, table, name, LOCK_AX);
		return st && from_change(P, st, ch, false) == PMX_OK ?
			up_down(ctx, st, verb_name(ctx, "DROP INDEX", name),
					pmx_pg_create_index(ctx, ch->lt, &old)) : PMX_ERROR;
	}
	st = add_step(P, PH_CREATE_INDEX, ch->op, table, ti->name, "share");
	if (!st || from_change(P, st, ch, false) != PMX_OK)
		return PMX_ERROR;
	if (ch->lt && st->safety == PMX_WARN &&
		pmx_strs_pushf(ctx, &P->warnings, "index %s on %s is built with a SHARE lock (writes wait until it is done): CREATE INDEX CONCURRENTLY cannot run inside a transaction, so premix_apply never uses it",
					   ti->name, table) != PMX_OK)
		return PMX_ERROR;
	return up_down(ctx, st, pmx_pg_create_index(ctx, ch->tt, ti), verb_name(ctx, "DROP INDEX", ti->name));
}

/* A comment change (phase 7): COMMENT ON, and back. */
static int
plan_comment(Planner *P, PmxChange *ch)
{
	PmxCtx	   *ctx = P->ctx;
	const char *t = ch->tt->name;
	const char *col = ch->tc ? ch->tc->name : NULL;
	PmxStep    *st = add_step(P, PH_ALTER, ch->op, t, col ? col : t, "share update exclusive");

	if (!st || from_change(P, st, ch, false) != PMX_OK)
		return PMX_ERROR;
	return up_down(ctx, st, pmx_pg_comment(ctx, t, col, col ? ch->tc->comment : ch->tt->comment),
				   pmx_pg_comment(ctx, t, col, col ? ch->lc->comment : ch->lt->comment));
}

/*
 * Enum types: created before the tables, extended label by label in the
 * target's order (each new label AFTER the one before it, the first one
 * BEFORE the first live label), dropped after the tables.
 */
static int
plan_enum(Planner *P, PmxChange *ch)
{
	PmxCtx	   *ctx = P->ctx;
	const PmxEnum *le = ch->lobj,
			   *te = ch->tobj;
	PmxStep    *st = add_step(P, ch->op == PMX_OP_DROP_ENUM ? PH_DROP_ENUM : PH_ENUM, ch->op,
							  ch->object, ch->object, ch->op == PMX_OP_CREATE_ENUM ? "none" : LOCK_AX);

	if (!st || from_change(P, st, ch, false) != PMX_OK)
		return PMX_ERROR;
	if (ch->op == PMX_OP_CREATE_ENUM)
		return up_down(ctx, st, pmx_pg_create_enum(ctx, te), verb_name(ctx, "DROP TYPE", te->name));
	if (ch->op == PMX_OP_DROP_ENUM)
	{
		if (up_down(ctx, st, verb_name(ctx, "DROP TYPE", le->name), pmx_pg_create_enum(ctx, le)) != PMX_OK)
			return PMX_ERROR;
		st->reversible = false;
		return PMX_OK;
	}
	for (int i = 0; i < te->values.n; i++)
	{
		bool		old = false;
		PmxBuf		b;

		for (int k = 0; k < le->values.n && !old; k++)
			old = strcmp(le->values.v[k], te->values.v[i]) == 0;
		if (old)
			continue;
		pmx_buf_init(&b, ctx);
		pmx_buf_append(&b, "ALTER TYPE ");
		pmx_buf_ident(&b, te->name);
		pmx_buf_append(&b, " ADD VALUE ");
		pmx_buf_literal(&b, te->values.v[i]);
		pmx_buf_append(&b, i ? " AFTER " : " BEFORE ");
		pmx_buf_literal(&b, i ? te->values.v[i - 1] : le->values.v[0]);
		if (pmx_strs_push(ctx, &st->sql, pmx_buf_finish(&b)) != PMX_OK)
			return PMX_ERROR;
	}
	st->reversible = false;	/* PostgreSQL cannot drop an enum label */
	return pmx_strs_pushf(ctx, &P->warnings, "new labels of enum type %s cannot be used until the migration commits (PostgreSQL): a default, check or row using one in the same plan fails",
						  te->name);
}

/* Phase 6 and 9: new and dropped tables. */
static int
plan_table(Planner *P, PmxChange *ch)
{
	PmxCtx	   *ctx = P->ctx;
	PmxStep    *st;

	if (ch->op == PMX_OP_CREATE_TABLE)
	{
		st = add_step(P, PH_CREATE_TABLE, ch->op, ch->tt->name, ch->tt->name, "none");
		if (!st || from_change(P, st, ch, false) != PMX_OK)
			return PMX_ERROR;
		/* its foreign keys come last, when every table exists */
		for (int k = 0; k < ch->tt->nfks; k++)
		{
			PmxChange	fkch = {0};
			PmxStep    *fs = add_step(P, PH_ADD_FK, PMX_OP_ADD_FOREIGN_KEY, ch->tt->name,
									  ch->tt->fks[k].name, "share row exclusive");

			fkch.op = PMX_OP_ADD_FOREIGN_KEY;
			fkch.tobj = &ch->tt->fks[k];
			if (!fs ||
				up_down(ctx, fs, alter(ctx, ch->tt->name, "ADD %s", constraint_def(ctx, &fkch, false)),
						alter(ctx, ch->tt->name, "DROP CONSTRAINT %s",
							  pmx_quote_ident(ctx, ch->tt->fks[k].name))) != PMX_OK)
				return PMX_ERROR;
			fs->safety = PMX_SAFE;
			fs->reason = pmx_sprintf(ctx, "foreign key %s of new table %s", ch->tt->fks[k].name, ch->tt->name);
		}
		if (up_down(ctx, st, pmx_pg_create_table(ctx, ch->tt, false),
					verb_name(ctx, "DROP TABLE", ch->tt->name)) != PMX_OK)
			return PMX_ERROR;
		{
			StepPush	push = {ctx, st};

			return pmx_pg_table_comments(ctx, ch->tt, push_sql, &push);
		}
	}
	st = add_step(P, PH_DROP_TABLE, ch->op, ch->lt->name, ch->lt->name, LOCK_AX);
	if (!st || from_change(P, st, ch, false) != PMX_OK ||
		up_down(ctx, st, verb_name(ctx, "DROP TABLE", ch->lt->name),
				pmx_pg_create_table(ctx, ch->lt, true)) != PMX_OK)
		return PMX_ERROR;
	st->reversible = false;
	return PMX_OK;
}

/* Order dropped tables so that a child goes before the parent it references. */
static void
order_drops(PmxPlan *ph)
{
	for (int pass = 0; pass < ph->nsteps; pass++)
	{
		bool		moved = false;

		for (int i = 0; i + 1 < ph->nsteps; i++)
		{
			/* steps[i] must not be referenced by a later step's table */
			PmxStep    *a = &ph->steps[i];

			for (int j = i + 1; j < ph->nsteps && !moved; j++)
			{
				PmxStep    *b = &ph->steps[j];

				if (b->down.n && pmx_sql_mentions_ident(b->down.v[0], a->table) &&
					!pmx_sql_mentions_ident(a->down.v[0], b->table))
				{
					PmxStep		tmp = *a;

					*a = *b;
					*b = tmp;
					moved = true;
				}
			}
		}
		if (!moved)
			break;
	}
}

/* Build the PostgreSQL plan from a classified diff; see the file header. */
int
pmx_plan_pg(PmxCtx *ctx, PmxDb *db, PmxDiff *d, PmxPlan *plan)
{
	Planner		P;

	(void) db;
	memset(&P, 0, sizeof(P));
	P.ctx = ctx;
	P.d = d;
	if (plan_renames(&P) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < d->nchanges; i++)
	{
		PmxChange  *ch = d->changes[i];
		int			rc = PMX_OK;

		if (ch->planned)
			continue;
		switch (ch->op)
		{
			case PMX_OP_RENAME_TABLE:
			case PMX_OP_RENAME_COLUMN:
				continue;		/* planned as moves */
			case PMX_OP_CREATE_TABLE:
			case PMX_OP_DROP_TABLE:
				rc = plan_table(&P, ch);
				break;
			case PMX_OP_ADD_PRIMARY_KEY:
			case PMX_OP_DROP_PRIMARY_KEY:
			case PMX_OP_ADD_UNIQUE:
			case PMX_OP_DROP_UNIQUE:
			case PMX_OP_ADD_FOREIGN_KEY:
			case PMX_OP_DROP_FOREIGN_KEY:
			case PMX_OP_ADD_CHECK:
			case PMX_OP_DROP_CHECK:
				rc = plan_constraint(&P, ch);
				break;
			case PMX_OP_CREATE_INDEX:
			case PMX_OP_DROP_INDEX:
			case PMX_OP_RENAME_INDEX:
				rc = plan_index(&P, ch);
				break;
			case PMX_OP_ALTER_OPTIONS:
				ch->planned = true;
				break;
			case PMX_OP_SET_COMMENT:
				rc = plan_comment(&P, ch);
				break;
			case PMX_OP_CREATE_ENUM:
			case PMX_OP_ALTER_ENUM:
			case PMX_OP_DROP_ENUM:
				rc = plan_enum(&P, ch);
				break;
			default:
				rc = plan_column(&P, ch);
				break;
		}
		if (rc != PMX_OK)
			return PMX_ERROR;
	}
	for (int i = 0; i < d->nchanges; i++)
		if (!d->changes[i]->planned)
			return pmx_error(ctx, PMX_E_INTERNAL, "change %s on %s was not planned",
							 pmx_op_name(d->changes[i]->op), d->changes[i]->object);
	order_drops(&P.phase[PH_DROP_TABLE]);
	for (int p = 0; p < PH__COUNT; p++)
		for (int i = 0; i < P.phase[p].nsteps; i++)
		{
			if (!PMX_PUSH(ctx, plan->steps, plan->nsteps, plan->capsteps))
				return PMX_ERROR;
			plan->steps[plan->nsteps - 1] = P.phase[p].steps[i];
		}
	for (int i = 0; i < P.warnings.n; i++)
		if (pmx_strs_push(ctx, &plan->warnings, P.warnings.v[i]) != PMX_OK)
			return PMX_ERROR;
	return PMX_OK;
}
