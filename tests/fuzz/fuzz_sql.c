/*-------------------------------------------------------------------------
 *
 * fuzz_sql.c
 *	  libFuzzer target: the SQL text readers of the core.
 *
 * Each input is NUL-terminated and given to pmx_sqlite_parse_table,
 * pmx_sqlite_parse_index, pmx_sql_canon_expr, pmx_sql_split,
 * pmx_sqlite_stmt_kind, and on the PostgreSQL side to
 * pmx_sql_target_expr (PMX_DIALECT_POSTGRES), pmx_pg_valid_type_name,
 * pmx_pg_type_report and pmx_pg_type_render, each in a fresh context.
 * Properties (abort() on violation):
 *
 *	 1. every reader returns a result or an error, never both or neither;
 *	 2. a canonical expression is a fixed point: canonicalizing it again
 *		gives the same text (so stored and target spellings compare equal);
 *	 3. the statements pmx_sql_split returns split again into themselves;
 *	 4. a PostgreSQL target expression is the input trimmed of leading and
 *		trailing blanks, byte for byte, and reading it again gives itself;
 *	 5. when the input holds no quote character at all (' " $), an
 *		accepted PostgreSQL target expression holds no ';', no comment
 *		opener, no ',' outside brackets and balanced ( ) [ ] -- checked
 *		here independently of pmx_sqltext.c's lexer;
 *	 6. pmx_pg_type_render never fails on a string pmx_pg_valid_type_name
 *		accepts, and what it renders is itself a valid type name.
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
#include "pmx_types.h"

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

/* The blanks pmx_sql_target_expr trims. */
static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Property 5: for an input without quote characters, the kept expression
 * has no ";", no "--" or block-comment opener, no "," at bracket depth 0,
 * and balanced ( ) [ ].
 */
static void
check_unquoted_expr(const char *text, const char *expr)
{
	int			depth = 0;

	if (strpbrk(text, "'\"$"))
		return;
	for (const char *p = expr; *p; p++)
	{
		if (*p == ';')
			fail("a PostgreSQL target expression without quotes kept a ';'", text, expr);
		if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*'))
			fail("a PostgreSQL target expression without quotes kept a comment", text, expr);
		if (*p == '(' || *p == '[')
			depth++;
		else if (*p == ')' || *p == ']')
		{
			if (--depth < 0)
				fail("a PostgreSQL target expression closes a bracket it did not open", text, expr);
		}
		else if (*p == ',' && depth == 0)
			fail("a PostgreSQL target expression without quotes kept a top-level ','", text, expr);
	}
	if (depth != 0)
		fail("a PostgreSQL target expression leaves a bracket open", text, expr);
}

/* Properties 4 and 5: a PostgreSQL target expression is the trimmed input. */
static void
fuzz_pg_expr(const char *text)
{
	PmxCtx	   *ctx = new_ctx();
	char	   *expr = pmx_sql_target_expr(ctx, PMX_DIALECT_POSTGRES, text, "fuzz");

	check_outcome(ctx, expr, "pmx_sql_target_expr(postgres)", text);
	if (expr)
	{
		const char *start = text;
		size_t		n = strlen(text);
		char	   *again;

		while (is_blank(*start))
			start++, n--;
		while (n > 0 && is_blank(start[n - 1]))
			n--;
		if (strlen(expr) != n || memcmp(expr, start, n) != 0)
			fail("a PostgreSQL target expression is not the trimmed input", text, expr);
		if (n == 0)
			fail("an empty PostgreSQL target expression was accepted", text, expr);
		check_unquoted_expr(text, expr);
		again = pmx_sql_target_expr(ctx, PMX_DIALECT_POSTGRES, expr, "fuzz again");
		if (!again || strcmp(again, expr) != 0)
			fail("a PostgreSQL target expression does not read back as itself", expr,
				 again ? again : pmx_ctx_error(ctx)->message);
	}
	pmx_ctx_free(ctx);
}

/* Property 6 and outcomes of the PostgreSQL type readers. */
static void
fuzz_pg_types(const char *text)
{
	bool		valid = pmx_pg_valid_type_name(text);
	PmxCtx	   *ctx = new_ctx();
	char	   *r = pmx_pg_type_report(ctx, text);

	check_outcome(ctx, r, "pmx_pg_type_report", text);
	pmx_ctx_free(ctx);

	ctx = new_ctx();
	r = pmx_pg_type_render(ctx, text);
	check_outcome(ctx, r, "pmx_pg_type_render", text);
	if (valid && !r)
		fail("pmx_pg_type_render refused a valid type name", text, pmx_ctx_error(ctx)->message);
	if (r && !pmx_pg_valid_type_name(r))
		fail("pmx_pg_type_render gave an invalid type name", text, r);
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

	fuzz_pg_expr(text);
	fuzz_pg_types(text);

	free(text);
	return 0;
}
