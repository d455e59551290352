/*-------------------------------------------------------------------------
 *
 * pmx_ledger.h
 *	  The ledger: every migration premix applied, planned (premix_apply,
 *	  premix_migrate) or hand-written (premix_run), with its SQL, checksum,
 *	  fingerprints, effect and rollback mark.
 *
 * PostgreSQL: premix.migrations, created by the extension script, one
 * history per schema (column schema_name, read for current_schema()).  SQLite:
 * main.premix_migrations, created on first use.  Rows are never deleted:
 * a rollback sets rolled_back_at, and a migration whose after-commit part
 * (CREATE INDEX CONCURRENTLY) ran later gets its "to" filled in then.
 *
 * from_fingerprint / to_fingerprint here are model fingerprints of the
 * whole schema (pmx_fingerprint_model over every table), before and after:
 * what premix_rollback restores and premix_status compares.  to_schema is
 * the schema JSON after the migration, which explains a drift.
 *
 * IDENTIFICATION
 *	  shared/pmx_ledger.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_LEDGER_H
#define PMX_LEDGER_H

#include "pmx_model.h"

typedef struct PmxLedgerRow
{
	long long	id;
	const char *version;
	const char *name;
	const char *kind;			/* "plan" or "run" */
	const char *checksum;		/* SHA-256 hex of up_sql */
	const char *applied_at;		/* ISO 8601 UTC */
	const char *from_fp;
	const char *to_fp;			/* NULL: after-commit part not yet recorded */
	const char *up_sql;			/* NULL unless read with_sql */
	const char *down_sql;		/* NULL: none */
	int			steps;
	const char *effect;			/* JSON array */
	const char *after_commit;	/* statements run after commit, or NULL */
	const char *rolled_back_at; /* NULL: applied */
	const char *to_schema;		/* written, never read in lists */
} PmxLedgerRow;

/* SQLite: create the ledger when missing.  PostgreSQL: nothing to do. */
int			pmx_ledger_ensure(PmxCtx *ctx, PmxDb *db);

/* Insert row (id ignored); its id in *id.  PMX_ERROR on failure. */
int			pmx_ledger_insert(PmxCtx *ctx, PmxDb *db, const PmxLedgerRow *row,
							  long long *id);

/*
 * Every row, oldest first, into an arena array (*rows, *n); up_sql and
 * down_sql only when with_sql.  A SQLite database without a ledger has
 * no rows.
 */
int			pmx_ledger_read(PmxCtx *ctx, PmxDb *db, bool with_sql,
							PmxLedgerRow **rows, int *n);

/* The to_schema JSON of row id into *out (NULL when none). */
int			pmx_ledger_to_schema(PmxCtx *ctx, PmxDb *db, long long id, char **out);

/*
 * The schema recorded after rows[k] of the ledger rows (pmx_ledger_read,
 * in id order) as target JSON in *out, whole records and patches put together
 * (pmx_recorded.c); *whole false when the live model now stood in for a
 * state no row records.  *out NULL when the row recorded nothing.
 */
int			pmx_recorded_schema(PmxCtx *ctx, PmxDb *db, const PmxLedgerRow *rows, int k,
								PmxSchema *now, char **out, bool *whole);

/* Set rolled_back_at of row id to now. */
int			pmx_ledger_mark_rolled_back(PmxCtx *ctx, PmxDb *db, long long id);

/* Record the schema after a migration's after-commit part. */
int			pmx_ledger_complete(PmxCtx *ctx, PmxDb *db, long long id,
								const char *to_fp, const char *to_schema);

#endif							/* PMX_LEDGER_H */
