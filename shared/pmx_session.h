/*-------------------------------------------------------------------------
 *
 * pmx_session.h
 *	  The apply session every writing entry point shares (premix_apply,
 *	  premix_migrate, premix_run, premix_rollback, premix_purge): the
 *	  caller's transaction is left as it was on any failure.
 *
 * SQLite: foreign keys switched off for the duration when the caller is
 * not in a transaction (restored on every path), SAVEPOINT premix_apply,
 * legacy_alter_table off.  PostgreSQL: an internal subtransaction, a
 * transaction-level advisory lock (concurrent appliers serialize), a local
 * lock_timeout restored at the end.
 *
 * IDENTIFICATION
 *	  shared/pmx_session.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_SESSION_H
#define PMX_SESSION_H

#include "pmx_internal.h"

typedef struct PmxSession
{
	PmxDb	   *db;
	bool		fk_on;			/* foreign keys enforced when we began */
	bool		fk_switched;	/* we switched them off */
	bool		legacy_on;		/* legacy_alter_table was on */
	bool		open;			/* savepoint taken */
	char	   *old_lock_timeout;	/* PostgreSQL: restored on success */
} PmxSession;

/* Read the connection's settings (SQLite pragmas); opens nothing. */
int			pmx_session_begin(PmxCtx *ctx, PmxDb *db, PmxSession *s);

/* Open the savepoint (and the PostgreSQL lock and lock_timeout). */
int			pmx_session_open(PmxCtx *ctx, PmxSession *s, const char *lock_timeout);

/*
 * Release (commit=true) or roll back the savepoint and restore settings.
 * output (may be NULL), the call's result, is kept for the host before
 * the commit (pmx_ctx_keep_output); without memory for it nothing is
 * committed.  The first error recorded (before or during closing) is the
 * one kept.  After a commit, settings that could not be restored are left
 * to the host (pmx_ctx_pending) and the call still succeeds.
 */
int			pmx_session_close(PmxCtx *ctx, PmxSession *s, bool commit, const char *output);

/*
 * A nested savepoint inside the session (premix_run's probes): begin,
 * release, or roll back and release.  PMX_ERROR with the error recorded.
 */
int			pmx_probe(PmxCtx *ctx, PmxDb *db, PmxSavepointOp op);

/*
 * SQLite, foreign keys on: no row of the main database may point at a
 * missing row (PRAGMA foreign_key_check) -- the check premix owes when it
 * switched enforcement off for the session.  PMX_E_BLOCKED_FK otherwise.
 */
int			pmx_check_all_foreign_keys(PmxCtx *ctx, PmxDb *db);

#endif							/* PMX_SESSION_H */
