/*-------------------------------------------------------------------------
 *
 * pmx_effect.h
 *	  What a hand-written migration script did to the schema: the diff
 *	  between the schema before and after it, with renames known rather
 *	  than guessed (premix_run).
 *
 * A model diff alone cannot tell "RENAME COLUMN a TO b" from "DROP COLUMN
 * a; ADD COLUMN b" -- the second loses data.  So premix follows the
 * objects' identity while the script runs:
 *	 PostgreSQL: table, column and index identity is the catalog's own
 *	   (pg_class oid, attnum), read once before and once after.
 *	 SQLite: there is no stable identity, so the schema is read after every
 *	   statement; one statement that makes exactly one table (or one
 *	   column of a table) disappear and one appear is a rename -- only
 *	   ALTER TABLE ... RENAME does that in one SQLite statement.
 * The renames found become renamed_from hints on the "after" model, and
 * the diff then runs with scoring switched off (hints_only).  A column
 * dropped and added again under its own name, or a table dropped and
 * created again (the SQLite rebuild), is noted: the first loses the
 * column's values and is destructive, the second is reported as a
 * rebuild whose rows premix cannot vouch for.
 *
 * IDENTIFICATION
 *	  shared/pmx_effect.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_EFFECT_H
#define PMX_EFFECT_H

#include "pmx_plan.h"

typedef struct PmxEffect PmxEffect;

/* Start following identities from the schema before (not kept); NULL on error. */
PmxEffect  *pmx_effect_begin(PmxCtx *ctx, PmxDb *db, PmxSchema *before);

/* PmxStmtFn for exec_script (SQLite): re-read the schema and follow it. */
int			pmx_effect_statement(void *effect, int index);

/*
 * The effect: the diff of before (a fresh model of the schema before the
 * script, mutated by the diff) and after, renames by identity, changes
 * unclassified.  Notes rebuilt tables in the diff's warnings and adds a
 * DROP_COLUMN change for each column dropped and added again.
 */
int			pmx_effect_diff(PmxCtx *ctx, PmxEffect *e, PmxSchema *before,
							PmxSchema *after, PmxDiff *out);

/*
 * One effect entry {op, table, object, safety, reason[, reversible]}
 * (plans use it too; reversible < 0 leaves the key out).
 */
struct PmxJsonWriter;
void		pmx_effect_item(struct PmxJsonWriter *w, PmxOp op, const char *table,
							const char *object, PmxSafety safety, const char *reason,
							int reversible);

/* The changes of d as a JSON array [{op, table, object, safety, reason}]. */
char	   *pmx_effect_json(PmxCtx *ctx, const PmxDiff *d);

#endif							/* PMX_EFFECT_H */
