/*-------------------------------------------------------------------------
 *
 * pmx_plan.h
 *	  Changes (what differs), steps (what runs) and the plan.
 *
 * The diff produces PmxChange records, one per semantic difference, each
 * classified (safe / warn / destructive / blocked) with a reason and, when
 * data decides, the SQL that counts offending rows.  The dialect planner
 * turns changes into ordered PmxStep records with up and down SQL; on
 * SQLite several changes of one table may share one rebuild step, which
 * then lists them as its parts.
 *
 * IDENTIFICATION
 *	  shared/pmx_plan.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_PLAN_H
#define PMX_PLAN_H

#include "pmx_engine.h"
#include "pmx_model.h"

typedef enum PmxSafety
{
	PMX_SAFE = 0,
	PMX_WARN,
	PMX_DESTRUCTIVE,
	PMX_BLOCKED
} PmxSafety;

typedef enum PmxOp
{
	PMX_OP_CREATE_TABLE,
	PMX_OP_DROP_TABLE,
	PMX_OP_RENAME_TABLE,
	PMX_OP_ADD_COLUMN,
	PMX_OP_DROP_COLUMN,
	PMX_OP_RENAME_COLUMN,
	PMX_OP_ALTER_COLUMN_TYPE,
	PMX_OP_SET_NOT_NULL,
	PMX_OP_DROP_NOT_NULL,
	PMX_OP_SET_DEFAULT,
	PMX_OP_DROP_DEFAULT,
	PMX_OP_ALTER_COLLATION,
	PMX_OP_ALTER_IDENTITY,
	PMX_OP_ADD_PRIMARY_KEY,
	PMX_OP_DROP_PRIMARY_KEY,
	PMX_OP_ADD_UNIQUE,
	PMX_OP_DROP_UNIQUE,
	PMX_OP_ADD_FOREIGN_KEY,
	PMX_OP_DROP_FOREIGN_KEY,
	PMX_OP_ADD_CHECK,
	PMX_OP_DROP_CHECK,
	PMX_OP_CREATE_INDEX,
	PMX_OP_DROP_INDEX,
	PMX_OP_RENAME_INDEX,
	PMX_OP_ALTER_OPTIONS,
	PMX_OP_SET_COMMENT,
	PMX_OP_CREATE_ENUM,
	PMX_OP_ALTER_ENUM,
	PMX_OP_DROP_ENUM,
	PMX_OP_REBUILD_TABLE,
	PMX_OP__COUNT
} PmxOp;

typedef struct PmxStrs
{
	char	  **v;
	int			n;
	int			cap;
} PmxStrs;

int			pmx_strs_push(PmxCtx *ctx, PmxStrs *s, const char *str);	/* copies */
int			pmx_strs_pushf(PmxCtx *ctx, PmxStrs *s, const char *fmt,...) PMX_PRINTF(3, 4);

typedef struct PmxChange
{
	PmxOp		op;
	PmxTable   *lt;				/* live table (renamed view), or NULL */
	PmxTable   *tt;				/* target table, or NULL */
	PmxColumn  *lc;				/* live column, or NULL */
	PmxColumn  *tc;				/* target column, or NULL */
	const void *lobj;			/* live key/fk/check/index */
	const void *tobj;			/* target key/fk/check/index */
	const char *object;			/* the name shown in the plan */
	PmxSafety	safety;
	PmxErrCode	block_code;		/* for blocked changes */
	char	   *reason;
	char	   *hint;			/* the way out, for destructive/blocked */
	char	   *check_sql;		/* counts offending rows; must be 0 */
	char	   *backfill;		/* default that fills the NULLs (SET NOT NULL) */
	bool		rewrite;
	bool		planned;		/* consumed by the planner */
} PmxChange;

typedef struct PmxStep
{
	PmxOp		op;
	const char *table;
	const char *object;
	PmxStrs		sql;
	PmxStrs		down;
	PmxStrs		checks;
	PmxSafety	safety;
	const char *lock;
	bool		rewrite;
	bool		reversible;
	char	   *reason;
	char	   *hint;
	PmxErrCode	block_code;
	PmxChange **parts;			/* rebuild: the changes it carries */
	int			nparts;
} PmxStep;

typedef struct PmxPlan
{
	PmxDialect	dialect;
	char	   *from_fp;
	char	   *to_fp;
	PmxStep    *steps;
	int			nsteps,
				capsteps;
	PmxStrs		warnings;
	PmxStrs		fk_parents;		/* SQLite: rebuilt tables other tables reference */
	PmxStrs		tables;			/* the target's tables: what "to" covers */
	const char *lock_timeout;	/* PostgreSQL: SET LOCAL lock_timeout for the apply */
	char	   *from_catalog;	/* PostgreSQL: catalog token taken before "from" */
	char	   *from_schema;	/* model fingerprint of the whole live schema:
								 * what a rollback of this plan restores */
	char	   *to_schema;		/* model fingerprint of the whole schema after
								 * the plan, when not "to" (scope "listed") */
	PmxStrs		changed;		/* the tables the plan changes ... */
	PmxStrs		changed_fp;		/* ... the SHA-256 of each one's canonical
								 * text after it, "" for one it takes away
								 * (pmx_fingerprint_changes) */
	bool		has_changed;	/* changed is known (absent: check it all) */
	PmxStrs		facts_needed;	/* MySQL: counting queries the data checks
								 * still need answered (see pmx_diff_docs.c) */
	bool		destructive;
	bool		blocked;
} PmxPlan;

/*
 * What plan changes, for the check after apply (pmx_apply.c), into its
 * changed / changed_fp: each target table whose canonical text is not
 * that of the live table of the same name (new, altered, renamed to it),
 * or that a step names, with the SHA-256 hex of its text; each live table
 * the plan takes away (renamed, or dropped when drop_unlisted) with "".
 * Without drop_unlisted (scope "listed") plan->to_schema becomes the model
 * fingerprint of the whole schema after the plan (else NULL: "to").  live
 * is the diffed model, its tables carrying pmx_fingerprint_both's texts;
 * plan has its steps.  PMX_ERROR on OOM.
 */
int			pmx_fingerprint_changes(PmxCtx *ctx, PmxSchema *live, PmxSchema *target,
									bool drop_unlisted, PmxPlan *plan);

/* names */
const char *pmx_op_name(PmxOp op);
int			pmx_op_from_name(const char *name);	/* -1 if unknown */
const char *pmx_safety_name(PmxSafety s);
int			pmx_safety_from_name(const char *name);

/* the diff: live (renamed in place) vs target -> changes (pmx_diff.c) */
typedef struct PmxDiff
{
	PmxSchema  *live;			/* live model; renames applied virtually */
	PmxSchema  *target;
	PmxChange **changes;
	int			nchanges,
				capchanges;
	PmxStrs		warnings;
	bool		hints_only;		/* renames only by renamed_from (an effect) */
	PmxCtx	   *names_ctx;		/* where names lives (pmx_diff_models' ctx) */
	PmxMap		names;			/* every table and index name of live and
								 * target (pmx_schema_name_taken) */
	bool		names_ok;		/* names is built and current; a planner
								 * that renames a table in place clears it */
} PmxDiff;

int			pmx_diff_models(PmxCtx *ctx, PmxSchema *live, PmxSchema *target,
							const PmxOptions *opts, PmxDiff *out);
PmxChange  *pmx_diff_add(PmxCtx *ctx, PmxDiff *d, PmxOp op, PmxTable *lt,
						 PmxTable *tt);

/* data-aware classification (pmx_datacheck.c) */
int			pmx_datacheck(PmxCtx *ctx, PmxDb *db, PmxDiff *d);

/* planning per dialect (pmx_plan_sqlite.c) */
int			pmx_plan_sqlite(PmxCtx *ctx, PmxDb *db, PmxDiff *d, PmxPlan *plan);
int			pmx_plan_pg(PmxCtx *ctx, PmxDb *db, PmxDiff *d, PmxPlan *plan);
int			pmx_plan_mysql(PmxCtx *ctx, PmxDb *db, PmxDiff *d, PmxPlan *plan);

/* plan <-> JSON (pmx_plan_json.c) */
char	   *pmx_plan_to_json(PmxCtx *ctx, const PmxPlan *plan);
PmxPlan    *pmx_plan_from_json(PmxCtx *ctx, const char *json);
PmxStep    *pmx_plan_add_step(PmxCtx *ctx, PmxPlan *plan, PmxOp op,
							  const char *table, const char *object);

/* the target: JSON or DDL text -> normalized model (pmx_normalize.c) */
int			pmx_target_load(PmxCtx *ctx, PmxDb *live, PmxSchema *live_model,
							const char *target, const PmxOptions *opts,
							PmxSchema **out);

/* the whole diff stage: options, live, target, diff, checks, plan */
int			pmx_make_plan(PmxCtx *ctx, PmxDb *live, const char *target,
						  const PmxOptions *opts, PmxPlan **out);

/* preview text of a plan (pmx_preview.c) */
char	   *pmx_plan_preview(PmxCtx *ctx, const PmxPlan *plan);

#endif							/* PMX_PLAN_H */
