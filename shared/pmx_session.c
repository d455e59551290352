/*-------------------------------------------------------------------------
 *
 * pmx_session.c
 *	  The apply session: savepoint, pragmas, lock, lock_timeout.  See
 *	  pmx_session.h.
 *
 * IDENTIFICATION
 *	  shared/pmx_session.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_engine.h"
#include "pmx_session.h"
#include "pmx_sql.h"



/* See pmx_session.h. */
int
pmx_session_begin(PmxCtx *ctx, PmxDb *db, PmxSession *s)
{
	long long	v;

	memset(s, 0, sizeof(*s));
	s->db = db;
	if (db->dialect != PMX_DIALECT_SQLITE)
		return PMX_OK;
	if (pmx_query_int(ctx, db, "PRAGMA foreign_keys", &v) != PMX_OK)
		return PMX_ERROR;
	s->fk_on = v != 0;
	if (pmx_query_int(ctx, db, "PRAGMA legacy_alter_table", &v) != PMX_OK)
		return PMX_ERROR;
	s->legacy_on = v != 0;
	return PMX_OK;
}

/*
 * PostgreSQL: subtransaction, advisory lock, lock_timeout (the old value
 * kept to restore).  Runs the plan's lock_timeout through set_config as a
 * literal, never pasted.
 */
static int
session_open_pg(PmxCtx *ctx, PmxSession *s, const char *lock_timeout)
{
	PmxDb	   *db = s->db;
	char	   *old = NULL;
	char	   *sql;

	if (!db->savepoint)
		return pmx_error(ctx, PMX_E_INTERNAL, "the PostgreSQL host has no savepoint callback");
	if (db->savepoint(db->ud, ctx, PMX_SP_BEGIN) != PMX_OK)
		return PMX_ERROR;
	s->open = true;
	if (pmx_query_text(ctx, db, "SELECT pg_catalog.current_setting('lock_timeout')", &old) != PMX_OK ||
		!(s->old_lock_timeout = pmx_strdup(ctx, old ? old : "0")))
		return PMX_ERROR;
	sql = pmx_sprintf(ctx, "SELECT pg_catalog.set_config('lock_timeout', %s, true)",
					  pmx_quote_literal(ctx, lock_timeout ? lock_timeout : PMX_PG_LOCK_TIMEOUT));
	if (!sql || db->query(db->ud, ctx, sql, NULL, NULL) != PMX_OK)
	{
		if (ctx->err.code == PMX_E_SQL)
			pmx_error_hint(ctx, "lock_timeout takes a PostgreSQL duration such as \"5s\" or \"500ms\".");
		return PMX_ERROR;
	}
	/* one key for premix: 'premix' as bytes, 0x7072656d6978 */
	return db->query(db->ud, ctx, "SELECT pg_catalog.pg_advisory_xact_lock(123665744144760)", NULL, NULL);
}

/* See pmx_session.h: foreign keys off when needed, then the savepoint. */
int
pmx_session_open(PmxCtx *ctx, PmxSession *s, const char *lock_timeout)
{
	PmxDb	   *db = s->db;

	if (db->dialect == PMX_DIALECT_POSTGRES)
		return session_open_pg(ctx, s, lock_timeout);

	if (s->fk_on && !db->in_transaction)
	{
		/*
		 * Marked first: the pragma can take effect and the call still
		 * fail (out of memory after the step), and switching back on
		 * what is on is harmless.
		 */
		s->fk_switched = true;
		if (db->exec(db->ud, ctx, "PRAGMA foreign_keys = OFF") != PMX_OK)
			return PMX_ERROR;
	}
	if (db->exec(db->ud, ctx, "SAVEPOINT premix_apply") != PMX_OK)
		return PMX_ERROR;
	s->open = true;
	if (s->legacy_on && db->exec(db->ud, ctx, "PRAGMA legacy_alter_table = OFF") != PMX_OK)
		return PMX_ERROR;
	return PMX_OK;
}

/*
 * End the session: release (commit) or roll back the savepoint, then
 * restore the pragmas.  A release that fails -- in autocommit mode it is
 * the COMMIT, which another connection's lock can refuse -- turns into a
 * full rollback: the migration is then not applied, and says so.  The
 * first error is the one reported.
 */
int
pmx_session_close(PmxCtx *ctx, PmxSession *s, bool commit, const char *output)
{
	PmxDb	   *db = s->db;
	PmxError	saved;
	int			rc = PMX_OK;
	bool		committed = false;

	/* the result is kept before the commit: nothing to allocate after it */
	if (commit && output && pmx_ctx_keep_output(ctx, output) != PMX_OK)
		commit = false;
	saved = ctx->err;

	pmx_error_clear(ctx);
	if (db->dialect == PMX_DIALECT_POSTGRES)
	{
		if (s->open && commit && s->old_lock_timeout)
		{
			char	   *sql = pmx_sprintf(ctx, "SELECT pg_catalog.set_config('lock_timeout', %s, true)",
										  pmx_quote_literal(ctx, s->old_lock_timeout));

			if (!sql || db->query(db->ud, ctx, sql, NULL, NULL) != PMX_OK)
			{
				saved = ctx->err;
				commit = false;
			}
			pmx_error_clear(ctx);
		}
		if (s->open && db->savepoint(db->ud, ctx, commit ? PMX_SP_RELEASE : PMX_SP_ROLLBACK) != PMX_OK)
			rc = PMX_ERROR;
		s->open = false;
		if (saved.code != PMX_E_NONE)
		{
			ctx->err = saved;
			return PMX_ERROR;
		}
		return rc;
	}
	if (s->open && commit && db->exec(db->ud, ctx, "RELEASE premix_apply") != PMX_OK)
	{
		const char *dbmsg = ctx->err.message;

		pmx_error_clear(ctx);
		pmx_error(ctx, PMX_E_SQL, "the migration could not commit: %s", dbmsg);
		pmx_error_detail(ctx, "Another connection holds a lock on the database; the migration was rolled back and nothing changed.");
		pmx_error_hint(ctx, "Retry when the other connection is done, or set PRAGMA busy_timeout so SQLite waits for it.");
		saved = ctx->err;
		pmx_error_clear(ctx);
		commit = false;
		rc = PMX_ERROR;
	}
	else if (s->open && commit)
	{
		s->open = false;
		committed = true;
	}
	if (s->open)
	{
		/* we began the transaction: ROLLBACK ends it; else undo ours only */
		if (!db->in_transaction)
		{
			if (db->exec(db->ud, ctx, "ROLLBACK") == PMX_OK)
				s->open = false;
		}
		else if (db->exec(db->ud, ctx, "ROLLBACK TO premix_apply") == PMX_OK &&
				 db->exec(db->ud, ctx, "RELEASE premix_apply") == PMX_OK)
			s->open = false;
		if (s->open)
		{
			/* could not (out of memory?): the host does it afterwards */
			ctx->pending.savepoint_open = 1;
			ctx->pending.began_transaction = !db->in_transaction;
			rc = PMX_ERROR;
		}
	}
	pmx_error_clear(ctx);
	/*
	 * Settings that cannot be restored (out of memory) are left to the
	 * host, which restores them without memory; after a commit that is no
	 * failure of the call -- the migration is in.
	 */
	if (db->exec(db->ud, ctx, s->legacy_on ? "PRAGMA legacy_alter_table = ON"
				 : "PRAGMA legacy_alter_table = OFF") != PMX_OK)
	{
		ctx->pending.legacy_alter_table = s->legacy_on;
		if (!committed)
			rc = PMX_ERROR;
	}
	pmx_error_clear(ctx);
	if (s->fk_switched && db->exec(db->ud, ctx, "PRAGMA foreign_keys = ON") != PMX_OK)
	{
		ctx->pending.foreign_keys = 1;
		if (!committed)
			rc = PMX_ERROR;
	}
	pmx_error_clear(ctx);
	if (saved.code != PMX_E_NONE)
	{
		ctx->err = saved;
		return PMX_ERROR;
	}
	return rc;
}


/* See pmx_session.h. */
int
pmx_probe(PmxCtx *ctx, PmxDb *db, PmxSavepointOp op)
{
	if (db->savepoint)
		return db->savepoint(db->ud, ctx, op);
	switch (op)
	{
		case PMX_SP_BEGIN:
			return db->exec(db->ud, ctx, "SAVEPOINT premix_probe");
		case PMX_SP_RELEASE:
			return db->exec(db->ud, ctx, "RELEASE premix_probe");
		case PMX_SP_ROLLBACK:
			if (db->exec(db->ud, ctx, "ROLLBACK TO premix_probe") != PMX_OK)
				return PMX_ERROR;
			return db->exec(db->ud, ctx, "RELEASE premix_probe");
	}
	return PMX_ERROR;
}

/* Row callback: count the rows, keep the first table named. */
static int
on_fk_row(void *arg, int ncols, const char *const *v)
{
	void	  **a = arg;
	long long  *n = a[0];

	if (*n == 0 && ncols > 0 && v[0])
		a[1] = pmx_strdup(a[2], v[0]);
	(*n)++;
	return PMX_OK;
}

/* See pmx_session.h. */
int
pmx_check_all_foreign_keys(PmxCtx *ctx, PmxDb *db)
{
	long long	n = 0;
	void	   *a[3] = {&n, NULL, ctx};

	if (db->dialect != PMX_DIALECT_SQLITE)
		return PMX_OK;
	if (db->query(db->ud, ctx, "SELECT \"table\" FROM pragma_foreign_key_check(NULL, 'main')",
				  on_fk_row, a) != PMX_OK)
		return PMX_ERROR;
	if (n == 0)
		return PMX_OK;
	pmx_error(ctx, PMX_E_BLOCKED_FK, "the migration would leave %lld %s pointing at missing rows (first in table \"%s\")",
			  n, n == 1 ? "row" : "rows", a[1] ? (char *) a[1] : "?");
	pmx_error_detail(ctx, "PRAGMA foreign_key_check reports them; nothing was changed.");
	return pmx_error_hint(ctx, "Fix the referencing rows or the referenced keys in the migration, then run it again.");
}
