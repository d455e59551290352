/*-------------------------------------------------------------------------
 *
 * sqlite_script.c
 *	  PmxDb.exec_script for SQLite: run a user's migration script one
 *	  statement at a time (premix_run follows the schema between them).
 *
 * Statements are cut by sqlite3_prepare_v2 itself, so a CREATE TRIGGER
 * body's semicolons are SQLite's business, not a guess.  Transaction
 * control is refused: the script runs inside premix's savepoint, and a
 * COMMIT there would end the caller's transaction.
 *
 * IDENTIFICATION
 *	  sqlite_premix/sqlite_script.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <string.h>

#include "sqlite_host.h"

SQLITE_EXTENSION_INIT3

/* s past whitespace and comments. */
static const char *
skip_space(const char *s)
{
	for (;;)
	{
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f')
			s++;
		if (s[0] == '-' && s[1] == '-')
		{
			while (*s && *s != '\n')
				s++;
		}
		else if (s[0] == '/' && s[1] == '*')
		{
			const char *end = strstr(s + 2, "*/");

			s = end ? end + 2 : s + strlen(s);
		}
		else
			return s;
	}
}

/* True when the statement text starts with a transaction-control keyword. */
static bool
is_transaction_control(const char *sql)
{
	static const char *const words[] = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"};
	const char *s = skip_space(sql);

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
	{
		size_t		n = strlen(words[i]);

		if (sqlite3_strnicmp(s, words[i], (int) n) == 0 &&
			!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') || s[n] == '_'))
			return true;
	}
	return false;
}

/* See sqlite_host.h. */
int
sqlpmx_exec_script(void *ud, PmxCtx *ctx, const char *sql, PmxStmtFn each, void *arg)
{
	sqlite3    *db = ud;
	const char *p = sql;
	int			index = 0;

	while (p && *skip_space(p))
	{
		sqlite3_stmt *st = NULL;
		const char *tail = NULL;
		int			rc = sqlite3_prepare_v2(db, p, -1, &st, &tail);

		if (rc != SQLITE_OK)
			return sqlpmx_report(ctx, db, rc, NULL, p);
		if (!st)
		{
			p = tail;
			continue;
		}
		if (is_transaction_control(sqlite3_sql(st)))
		{
			sqlite3_finalize(st);
			return pmx_error_report(ctx, PMX_E_INVALID,
									"a migration script must not contain transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT)",
									"premix runs the script inside its own transaction, so that all of it, the checks and the ledger row commit or roll back together.",
									"Remove BEGIN/COMMIT from the migration.");
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (rc != SQLITE_DONE)
		{
			char	   *text = sqlite3_mprintf("%s", sqlite3_sql(st));

			rc = sqlite3_finalize(st);
			sqlpmx_report(ctx, db, rc, NULL, text ? text : p);
			sqlite3_free(text);
			return PMX_ERROR;
		}
		sqlite3_finalize(st);
		if (each && each(arg, index) != PMX_OK)
			return PMX_ERROR;
		index++;
		p = tail;
	}
	return PMX_OK;
}
