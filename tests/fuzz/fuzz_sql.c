/*-------------------------------------------------------------------------
 *
 * fuzz_sql.c
 *	  libFuzzer target: the SQL text readers of the core.
 *
 * Each input is NUL-terminated and given to pmx_sqlite_parse_table,
 * pmx_sqlite_parse_index, pmx_sql_canon_expr, pmx_sql_split
 * and pmx_sqlite_stmt_kind, each in a fresh context.  Properties (abort()
 * on violation):
 *
 *	 1. every reader returns a result or an error, never both or neither;
 *	 2. a canonical expression is a fixed point: canonicalizing it again
 *		gives the same text (so stored and target spellings compare equal);
 *	 3. the statements pmx_sql_split returns split again into themselves.
 *
 * IDENTIFICATION
 *	  tests/fuzz/fuzz_sql.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_sql"
#include "fuzz_common.h"
#include "pmx_sql.h"
#include "pmx_sqlite_ddl.h"

/* A result and an error must not coexist, and one of them must exist. */
static void
check_outcome(PmxCtx *ctx, const void *result, const char *who, const char *text)
{
	bool		err = pmx_ctx_error(ctx)->code != PMX_E_NONE;

	if ((result != NULL) == err)
		fail(who, text, err ? pmx_ctx_error(ctx)->message : "no error and no result");
	if (err && !pmx_ctx_error(ctx)->message)
		fail("an error without a message", who, text);
}

/* Canonicalize text; the result must be a fixed point. */
static void
fuzz_canon(const char *text)
{
	PmxCtx	   *ctx = new_ctx();
	char	   *once = pmx_sql_canon_expr(ctx, text, "fuzz");

	check_outcome(ctx, once, "pmx_sql_canon_expr", text);
	if (once)
	{
		char	   *twice = pmx_sql_canon_expr(ctx, once, "fuzz again");

		if (!twice || strcmp(once, twice) != 0)
			fail("canonical expression is not a fixed point", once,
				 twice ? twice : pmx_ctx_error(ctx)->message);
	}
	pmx_ctx_free(ctx);
}

/* One input: every SQL-text reader on it, each in a fresh context. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = malloc(size + 1);
	PmxCtx	   *ctx;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	ctx = new_ctx();
	check_outcome(ctx, pmx_sqlite_parse_table(ctx, text), "pmx_sqlite_parse_table", text);
	pmx_ctx_free(ctx);

	ctx = new_ctx();
	check_outcome(ctx, pmx_sqlite_parse_index(ctx, text), "pmx_sqlite_parse_index", text);
	pmx_ctx_free(ctx);

	fuzz_canon(text);

	ctx = new_ctx();
	{
		char	  **stmts = NULL;
		int			n = pmx_sql_split(ctx, text, &stmts);

		if (n < 0 && pmx_ctx_error(ctx)->code == PMX_E_NONE)
			fail("pmx_sql_split failed without an error", text, NULL);
		for (int i = 0; i < n; i++)
		{
			char	  **again = NULL;
			int			m = pmx_sql_split(ctx, stmts[i], &again);

			if (m != 1 || strcmp(again[0], stmts[i]) != 0)
				fail("a split statement does not split into itself", stmts[i],
					 m == 1 ? again[0] : "(count differs)");
		}
	}
	if (!pmx_sqlite_stmt_kind(ctx, text))
		fail("pmx_sqlite_stmt_kind failed", text, NULL);
	pmx_ctx_free(ctx);

	free(text);
	return 0;
}
