/*-------------------------------------------------------------------------
 *
 * pmx_plan_mysql.c
 *	  Turn classified changes into ordered MySQL/MariaDB steps with up and
 *	  down SQL, each with the algorithm and lock the server uses.
 *
 * Order as on PostgreSQL (see pmx_plan_pg.c): renames, dropped foreign
 * keys, dropped keys/checks/indexes, new tables (without foreign keys),
 * column changes, new keys and checks, dropped tables, new indexes, new
 * foreign keys.
 *
 * MySQL changes a column's type, nullability, collation or comment only
 * through MODIFY COLUMN with the whole definition.  The planner keeps the
 * column's definition as the steps so far leave it, so each step changes
 * one thing (its down puts that one thing back), and a NOT NULL that needs
 * a backfill gets its UPDATE before the MODIFY.
 *
 * Where the server does it without copying the table, the statement says
 * ALGORITHM=INSTANT or ALGORITHM=INPLACE, LOCK=NONE: the server then
 * refuses the statement rather than fall back to a blocking copy, so the
 * plan's promise holds.  Every other step is reported as the copy it is
 * (ALGORITHM=COPY, LOCK=SHARED: reads go on, writes wait).
 *
 * Each statement commits on its own (MySQL DDL is not transactional):
 * the plan says so, and the procedures of premix.sql record each step as
 * it completes so that a failure can be resumed or rolled back.
 *
 * IDENTIFICATION
 *	  shared/pmx_plan_mysql.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_moves.h"
#include "pmx_plan.h"
#include "pmx_render_mysql.h"
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
	PH_CREATE_TABLE,
	PH_ALTER,
	PH_ADD_CONSTRAINT,
	PH_DROP_TABLE,
	PH_CREATE_INDEX,
	PH_ADD_FK,
	PH__COUNT
};

#define L_INSTANT "ALGORITHM=INSTANT"
#define L_INPLACE "ALGORITHM=INPLACE, LOCK=NONE"
#define L_COPY "ALGORITHM=COPY, LOCK=SHARED"
#define L_META "metadata lock"

/* A column's definition as the steps planned so far leave it. */
typedef struct ColState
{
	const PmxColumn *live;		/* the live column (the key) */
	PmxColumn	now;
} ColState;

typedef struct Planner
{
	PmxCtx	   *ctx;
	PmxDiff    *d;
	PmxPlan		phase[PH__COUNT];
	ColState   *cols;
	int			ncols,
				capcols;
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

/* Copy a change's classification onto a step. */
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

/* "ALTER TABLE "t" <rest>[, <algo>]"; NULL on OOM or when rest is NULL. */
static char *
alter(PmxCtx *ctx, const char *table, const char *rest, const char *algo)
{
	PmxBuf		b;

	if (!rest)
		return NULL;
	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, "ALTER TABLE ");
	pmx_buf_ident(&b, table);
	pmx_buf_appendf(&b, " %s", rest);
	if (algo)
		pmx_buf_appendf(&b, ", %s", algo);
	return pmx_buf_finish(&b);
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

/* "KEYWORD "a" TO "b"" text; NULL on OOM. */
static char *
rename_text(PmxCtx *ctx, const char *kw, const char *from, const char *to)
{
	char	   *a = pmx_quote_ident(ctx, from),
			   *b = pmx_quote_ident(ctx, to);

	return a && b ? pmx_sprintf(ctx, "%s %s TO %s", kw, a, b) : NULL;
}

/* The rename change of lt naming object, or NULL. */
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

			st = add_step(P, PH_RENAME_TABLE, PMX_OP_RENAME_TABLE, mv[k].to, mv[k].to, L_META);
			ch = rename_change(t, PMX_OP_RENAME_TABLE, NULL);
			kept = t->peer != NULL;
			up = rename_text(ctx, "RENAME TABLE", mv[k].from, mv[k].to);
			down = rename_text(ctx, "RENAME TABLE", mv[k].to, mv[k].from);
			if (!kept)
			{
				t->name = (char *) mv[k].to;
				P->d->names_ok = false;
			}
		}
		else
		{
			PmxColumn  *c = &lt->cols[mv[k].idx];

			st = add_step(P, PH_RENAME_COLUMN, PMX_OP_RENAME_COLUMN, lt->name, mv[k].to, L_INSTANT);
			ch = rename_change(lt, PMX_OP_RENAME_COLUMN, mv[k].to);
			kept = c->peer != NULL;
			up = alter(ctx, lt->name, rename_text(ctx, "RENAME COLUMN", mv[k].from, mv[k].to), NULL);
			down = alter(ctx, lt->name, rename_text(ctx, "RENAME COLUMN", mv[k].to, mv[k].from), NULL);
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

/* Renames: tables, then the columns of every kept table. */
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

/* ADD text of a constraint change's object; NULL on OOM. */
static char *
constraint_add(PmxCtx *ctx, const PmxChange *ch, const void *o)
{
	switch (ch->op)
	{
		case PMX_OP_ADD_FOREIGN_KEY:
		case PMX_OP_DROP_FOREIGN_KEY:
			return pmx_sprintf(ctx, "ADD %s", pmx_pg_fk_def(ctx, o));
		case PMX_OP_ADD_CHECK:
		case PMX_OP_DROP_CHECK:
			return pmx_sprintf(ctx, "ADD %s", pmx_pg_check_def(ctx, o));
		case PMX_OP_ADD_PRIMARY_KEY:
		case PMX_OP_DROP_PRIMARY_KEY:
			{
				PmxKey		k = *(const PmxKey *) o;

				k.name = NULL;	/* MySQL's primary key is always PRIMARY */
				return pmx_sprintf(ctx, "ADD %s", pmx_pg_key_def(ctx, &k, true));
			}
		default:
			return pmx_sprintf(ctx, "ADD %s", pmx_pg_key_def(ctx, o, false));
	}
}

/* DROP text of a constraint change's object; NULL on OOM. */
static char *
constraint_drop(PmxCtx *ctx, const PmxChange *ch, const void *o)
{
	switch (ch->op)
	{
		case PMX_OP_ADD_FOREIGN_KEY:
		case PMX_OP_DROP_FOREIGN_KEY:
			return pmx_sprintf(ctx, "DROP FOREIGN KEY %s",
							   pmx_quote_ident(ctx, ((const PmxForeignKey *) o)->name));
		case PMX_OP_ADD_CHECK:
		case PMX_OP_DROP_CHECK:
			return pmx_sprintf(ctx, "DROP CONSTRAINT %s",
							   pmx_quote_ident(ctx, ((const PmxCheck *) o)->name));
		case PMX_OP_ADD_PRIMARY_KEY:
		case PMX_OP_DROP_PRIMARY_KEY:
			return pmx_strdup(ctx, "DROP PRIMARY KEY");
		default:
			return pmx_sprintf(ctx, "DROP INDEX %s", pmx_quote_ident(ctx, ((const PmxKey *) o)->name));
	}
}

/* Constraint add or drop. */
static int
plan_constraint(Planner *P, PmxChange *ch)
{
	PmxCtx	   *ctx = P->ctx;
	bool		add = ch->op == PMX_OP_ADD_FOREIGN_KEY || ch->op == PMX_OP_ADD_CHECK ||
		ch->op == PMX_OP_ADD_PRIMARY_KEY || ch->op == PMX_OP_ADD_UNIQUE;
	bool		fk = ch->op == PMX_OP_ADD_FOREIGN_KEY || ch->op == PMX_OP_DROP_FOREIGN_KEY;
	bool		uq = ch->op == PMX_OP_ADD_UNIQUE || ch->op == PMX_OP_DROP_UNIQUE;
	const char *table = ch->tt ? ch->tt->name : ch->lt->name;
	const void *o = add ? ch->tobj : ch->lobj;
	int			phase = add ? (fk ? PH_ADD_FK : PH_ADD_CONSTRAINT) : (fk ? PH_DROP_FK : PH_DROP_CONSTRAINT);
	/* a unique key is an index: built online; a check or key change copies */
	bool		copy = !uq && (add || !(fk || ch->op == PMX_OP_DROP_CHECK));
	const char *lock = uq ? L_INPLACE : copy ? L_COPY : L_INSTANT;
	PmxStep    *st = add_step(P, phase, ch->op, table, ch->object, lock);
	char	   *a = alter(ctx, table, constraint_add(ctx, ch, o), uq ? L_INPLACE : NULL),
			   *d = alter(ctx, table, constraint_drop(ctx, ch, o), NULL);

	if (!st || !a || !d || from_change(P, st, ch, copy) != PMX_OK)
		return PMX_ERROR;
	if (!ch->lt && ch->safety == PMX_WARN)
		st->safety = PMX_SAFE;	/* a new table's keys hold trivially */
	return add ? up_down(ctx, st, a, d) : up_down(ctx, st, d, a);
}

/* The planner's state of live column lc (first use: a copy of target-named lc). */
static PmxColumn *
state_of(Planner *P, const PmxColumn *lc, const PmxColumn *tc)
{
	for (int i = 0; i < P->ncols; i++)
		if (P->cols[i].live == lc)
			return &P->cols[i].now;
	if (!PMX_PUSH(P->ctx, P->cols, P->ncols, P->capcols))
		return NULL;
	P->cols[P->ncols - 1].live = lc;
	P->cols[P->ncols - 1].now = *lc;
	P->cols[P->ncols - 1].now.name = tc->name;	/* renames come first */
	return &P->cols[P->ncols - 1].now;
}

/* "MODIFY COLUMN <def>" text; NULL on error. */
static char *
modify(PmxCtx *ctx, const PmxColumn *c)
{
	char	   *def = pmx_mysql_column_def(ctx, c);

	return def ? pmx_sprintf(ctx, "MODIFY COLUMN %s", def) : NULL;
}

/* A default the server can add instantly: none, or a constant. */
static bool
instant_default(const PmxColumn *c)
{
	return c->identity == PMX_IDENTITY_NONE &&
		(!c->default_expr || pmx_sql_expr_is_literal(c->default_expr));
}

/* MODIFY COLUMN from before to after, as one step's up and down. */
static int
modify_step(Planner *P, PmxStep *st, const char *t, const PmxColumn *before,
			const PmxColumn *after)
{
	return up_down(P->ctx, st, alter(P->ctx, t, modify(P->ctx, after), NULL),
				   alter(P->ctx, t, modify(P->ctx, before), NULL));
}

/* One column change. */
static int
plan_column(Planner *P, PmxChange *ch)
{
	PmxCtx	   *ctx = P->ctx;
	const char *t = ch->tt->name;
	const PmxColumn *tc = ch->tc,
			   *lc = ch->lc;
	const char *cname = tc ? tc->name : lc->name;
	PmxStep    *st = add_step(P, PH_ALTER, ch->op, t, cname, L_COPY);
	PmxColumn  *now,
				before;

	if (!st)
		return PMX_ERROR;
	if (ch->op == PMX_OP_ADD_COLUMN)
	{
		bool		instant = instant_default(tc);
		char	   *def = pmx_mysql_column_def(ctx, tc);

		st->lock = instant ? L_INSTANT : L_COPY;
		if (!def || from_change(P, st, ch, !instant) != PMX_OK)
			return PMX_ERROR;
		return up_down(ctx, st, alter(ctx, t, pmx_sprintf(ctx, "ADD COLUMN %s", def), instant ? L_INSTANT : NULL),
					   alter(ctx, t, pmx_sprintf(ctx, "DROP COLUMN %s", pmx_quote_ident(ctx, cname)), NULL));
	}
	if (ch->op == PMX_OP_DROP_COLUMN)
	{
		st->lock = L_INPLACE;
		if (from_change(P, st, ch, false) != PMX_OK ||
			up_down(ctx, st, alter(ctx, t, pmx_sprintf(ctx, "DROP COLUMN %s", pmx_quote_ident(ctx, cname)), NULL),
					alter(ctx, t, pmx_sprintf(ctx, "ADD COLUMN %s", pmx_mysql_column_def(ctx, lc)), NULL)) != PMX_OK)
			return PMX_ERROR;
		st->reversible = false;	/* the structure comes back, the values do not */
		return PMX_OK;
	}
	if (!(now = state_of(P, lc, tc)))
		return PMX_ERROR;
	before = *now;
	switch (ch->op)
	{
		case PMX_OP_ALTER_COLUMN_TYPE:
			{
				char	   *viol;
				bool		instant;
				PmxTypeChange k = pmx_mysql_type_change(ctx, lc->type, tc->type, cname, &viol, &instant);

				if (pmx_error_is_set(ctx))
					return PMX_ERROR;
				now->type = tc->type;
				st->lock = instant ? L_INSTANT : L_COPY;
				if (from_change(P, st, ch, !instant) != PMX_OK ||
					up_down(ctx, st, alter(ctx, t, modify(ctx, now), instant ? L_INSTANT : NULL),
							alter(ctx, t, modify(ctx, &before), NULL)) != PMX_OK)
					return PMX_ERROR;
				if (k != PMX_TC_WIDEN && k != PMX_TC_NARROW)
					st->reversible = false;
				return PMX_OK;
			}
		case PMX_OP_SET_NOT_NULL:
			if (from_change(P, st, ch, true) != PMX_OK)
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
				st->reversible = false;
			}
			now->nullable = false;
			return modify_step(P, st, t, &before, now);
		case PMX_OP_DROP_NOT_NULL:
			now->nullable = true;
			if (from_change(P, st, ch, true) != PMX_OK)
				return PMX_ERROR;
			return modify_step(P, st, t, &before, now);
		case PMX_OP_SET_DEFAULT:
		case PMX_OP_DROP_DEFAULT:
			{
				char	   *q = pmx_quote_ident(ctx, cname);

				now->default_expr = tc->default_expr;
				st->lock = L_INSTANT;
				if (!q || from_change(P, st, ch, false) != PMX_OK)
					return PMX_ERROR;
				st->safety = PMX_SAFE;	/* existing rows keep their values */
				return up_down(ctx, st,
							   alter(ctx, t, tc->default_expr ? pmx_sprintf(ctx, "ALTER COLUMN %s SET DEFAULT %s", q, tc->default_expr)
									 : pmx_sprintf(ctx, "ALTER COLUMN %s DROP DEFAULT", q), L_INSTANT),
							   alter(ctx, t, before.default_expr ? pmx_sprintf(ctx, "ALTER COLUMN %s SET DEFAULT %s", q, before.default_expr)
									 : pmx_sprintf(ctx, "ALTER COLUMN %s DROP DEFAULT", q), L_INSTANT));
			}
		case PMX_OP_ALTER_COLLATION:
			now->collation = tc->collation;
			if (from_change(P, st, ch, true) != PMX_OK)
				return PMX_ERROR;
			return modify_step(P, st, t, &before, now);
		case PMX_OP_ALTER_IDENTITY:
			now->identity = tc->identity;
			if (tc->identity != PMX_IDENTITY_NONE)
				now->default_expr = NULL;
			if (from_change(P, st, ch, true) != PMX_OK)
				return PMX_ERROR;
			st->safety = PMX_WARN;
			return modify_step(P, st, t, &before, now);
		case PMX_OP_SET_COMMENT:
			now->comment = tc->comment;
			st->lock = L_INSTANT;
			if (from_change(P, st, ch, false) != PMX_OK)
				return PMX_ERROR;
			return modify_step(P, st, t, &before, now);
		default:
			return pmx_error(ctx, PMX_E_INTERNAL, "no MySQL step for %s", pmx_op_name(ch->op));
	}
}

/* Index changes: rename, drop, create. */
static int
plan_index(Planner *P, PmxChange *ch)
{
	PmxCtx	   *ctx = P->ctx;
	const PmxIndex *li = ch->lobj,
			   *ti = ch->tobj;
	const char *table = ch->tt ? ch->tt->name : ch->lt->name;
	PmxStep    *st;
	char	   *q;

	if (ch->op == PMX_OP_RENAME_INDEX)
	{
		const char *old = li->live_name ? li->live_name : li->name;

		st = add_step(P, PH_RENAME_INDEX, ch->op, table, ti->name, L_INSTANT);
		return st && from_change(P, st, ch, false) == PMX_OK ?
			up_down(ctx, st, alter(ctx, table, rename_text(ctx, "RENAME INDEX", old, ti->name), NULL),
					alter(ctx, table, rename_text(ctx, "RENAME INDEX", ti->name, old), NULL)) : PMX_ERROR;
	}
	if (ch->op == PMX_OP_DROP_INDEX)
	{
		const char *name = li->live_name ? li->live_name : li->name;
		PmxIndex	old = *li;

		old.name = (char *) name;
		st = add_step(P, PH_DROP_CONSTRAINT, ch->op, table, name, L_INPLACE);
		q = pmx_quote_ident(ctx, name);
		return st && q && from_change(P, st, ch, false) == PMX_OK ?
			up_down(ctx, st, alter(ctx, table, pmx_sprintf(ctx, "DROP INDEX %s", q), L_INPLACE),
					alter(ctx, table, pmx_sprintf(ctx, "ADD %s", pmx_mysql_index_def(ctx, ch->lt, &old)), L_INPLACE))
			: PMX_ERROR;
	}
	st = add_step(P, PH_CREATE_INDEX, ch->op, table, ti->name, L_INPLACE);
	q = pmx_quote_ident(ctx, ti->name);
	if (!st || !q || from_change(P, st, ch, false) != PMX_OK)
		return PMX_ERROR;
	return up_down(ctx, st, alter(ctx, table, pmx_sprintf(ctx, "ADD %s", pmx_mysql_index_def(ctx, ch->tt, ti)), L_INPLACE),
				   alter(ctx, table, pmx_sprintf(ctx, "DROP INDEX %s", q), L_INPLACE));
}

/* A table comment change: ALTER TABLE ... COMMENT = '...'. */
static int
plan_table_comment(Planner *P, PmxChange *ch)
{
	PmxCtx	   *ctx = P->ctx;
	const char *t = ch->tt->name;
	PmxStep    *st = add_step(P, PH_ALTER, ch->op, t, t, L_INSTANT);
	char	   *up = pmx_quote_literal(ctx, ch->tt->comment ? ch->tt->comment : ""),
			   *down = pmx_quote_literal(ctx, ch->lt->comment ? ch->lt->comment : "");

	if (!st || !up || !down || from_change(P, st, ch, false) != PMX_OK)
		return PMX_ERROR;
	return up_down(ctx, st, alter(ctx, t, pmx_sprintf(ctx, "COMMENT = %s", up), NULL),
				   alter(ctx, t, pmx_sprintf(ctx, "COMMENT = %s", down), NULL));
}

/* New and dropped tables. */
static int
plan_table(Planner *P, PmxChange *ch)
{
	PmxCtx	   *ctx = P->ctx;
	PmxStep    *st;
	char	   *q;

	if (ch->op == PMX_OP_CREATE_TABLE)
	{
		st = add_step(P, PH_CREATE_TABLE, ch->op, ch->tt->name, ch->tt->name, L_META);
		q = pmx_quote_ident(ctx, ch->tt->name);
		if (!st || !q || from_change(P, st, ch, false) != PMX_OK)
			return PMX_ERROR;
		for (int k = 0; k < ch->tt->nfks; k++)
		{
			PmxChange	fkch = {0};
			PmxStep    *fs = add_step(P, PH_ADD_FK, PMX_OP_ADD_FOREIGN_KEY, ch->tt->name,
									  ch->tt->fks[k].name, L_COPY);

			fkch.op = PMX_OP_ADD_FOREIGN_KEY;
			if (!fs ||
				up_down(ctx, fs, alter(ctx, ch->tt->name, constraint_add(ctx, &fkch, &ch->tt->fks[k]), NULL),
						alter(ctx, ch->tt->name, constraint_drop(ctx, &fkch, &ch->tt->fks[k]), NULL)) != PMX_OK)
				return PMX_ERROR;
			fs->safety = PMX_SAFE;
			fs->reason = pmx_sprintf(ctx, "foreign key %s of new table %s", ch->tt->fks[k].name, ch->tt->name);
		}
		return up_down(ctx, st, pmx_mysql_create_table(ctx, ch->tt, false),
					   pmx_sprintf(ctx, "DROP TABLE %s", q));
	}
	st = add_step(P, PH_DROP_TABLE, ch->op, ch->lt->name, ch->lt->name, L_META);
	q = pmx_quote_ident(ctx, ch->lt->name);
	if (!st || !q || from_change(P, st, ch, false) != PMX_OK ||
		up_down(ctx, st, pmx_sprintf(ctx, "DROP TABLE %s", q),
				pmx_mysql_create_table(ctx, ch->lt, true)) != PMX_OK)
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

		for (int i = 0; i + 1 < ph->nsteps && !moved; i++)
			for (int j = i + 1; j < ph->nsteps && !moved; j++)
			{
				PmxStep    *a = &ph->steps[i],
						   *b = &ph->steps[j];

				if (b->down.n && pmx_sql_mentions_ident(b->down.v[0], a->table) &&
					!pmx_sql_mentions_ident(a->down.v[0], b->table))
				{
					PmxStep		tmp = *a;

					*a = *b;
					*b = tmp;
					moved = true;
				}
			}
		if (!moved)
			break;
	}
}

/* Build the MySQL/MariaDB plan from a classified diff; see the file header. */
int
pmx_plan_mysql(PmxCtx *ctx, PmxDb *db, PmxDiff *d, PmxPlan *plan)
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
				continue;
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
				rc = ch->tc ? plan_column(&P, ch) : plan_table_comment(&P, ch);
				break;
			case PMX_OP_CREATE_ENUM:
			case PMX_OP_ALTER_ENUM:
			case PMX_OP_DROP_ENUM:
				pmx_error(ctx, PMX_E_UNSUPPORTED, "MySQL has no enum types (enum %s)", ch->object);
				return pmx_error_hint(ctx, "Declare the column's type as enum('a', 'b', ...) instead of a schema-level enum.");
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
	return pmx_strs_push(ctx, &plan->warnings,
						 "MySQL/MariaDB commit every DDL statement on its own: the plan is applied step by step, not atomically; premix.premix_migrate records each step as it completes, so a failure midway can be resumed (call it again) or undone (premix.premix_rollback)");
}
