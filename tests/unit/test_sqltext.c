/*-------------------------------------------------------------------------
 *
 * test_sqltext.c
 *	  Unit tests of shared/pmx_sqltext.c: the SQL tokenizer, identifier
 *	  and literal quoting, canonical expressions, statement splitting,
 *	  identifier renaming inside expressions.
 *
 * No database.  Each TEST asserts behaviour the contract in pmx_sql.h
 * promises; expected values are written out by hand, never copied from
 * the current output.
 *
 * IDENTIFICATION
 *	  tests/unit/test_sqltext.c
 *
 *-------------------------------------------------------------------------
 */
#include "pmx_test.h"

#include "pmx_internal.h"
#include "pmx_sql.h"

/* The first token of s (spaces skipped) has type ty and length len. */
static int
tok_is(const char *s, PmxTokType ty, size_t len)
{
	PmxTok		t = pmx_sql_next(s, true);

	return t.type == ty && t.len == len;
}

/* Canonical spelling of s as a value expression, or NULL (error cleared). */
static char *
canon(PmxCtx *ctx, const char *s)
{
	char	   *r = pmx_sql_canon_expr(ctx, s, "test expression");

	if (!r)
		pmx_error_clear(ctx);
	return r;
}

/* True when a and b canonicalize to the same text. */
static int
same_canon(PmxCtx *ctx, const char *a, const char *b)
{
	char	   *ca = canon(ctx, a);
	char	   *cb = canon(ctx, b);

	return ca && cb && strcmp(ca, cb) == 0;
}

/* True when canonicalizing s fails with PMX_E_INVALID (22023) naming "what". */
static int
is_rejected(PmxCtx *ctx, const char *s)
{
	char	   *r = pmx_sql_canon_expr(ctx, s, "the expression at x.y");
	const PmxError *e = pmx_ctx_error(ctx);
	int			ok = r == NULL && e->code == PMX_E_INVALID &&
		strcmp(e->sqlstate, "22023") == 0 && e->message &&
		strstr(e->message, "the expression at x.y") != NULL;

	pmx_error_clear(ctx);
	return ok;
}

/* '' strings: doubled quote inside, the unquoted value undoes it. */
TEST(tok_single_quotes)
{
	PmxCtx	   *ctx = test_ctx();
	PmxTok		t = pmx_sql_next("  'a''b' rest", true);
	char	   *v = pmx_tok_ident(ctx, &t);

	CHECK(t.type == PMX_TK_STRING);
	CHECK(t.len == 6);
	CHECK(v && strcmp(v, "a'b") == 0);
	CHECK(tok_is("''", PMX_TK_STRING, 2));
	t = pmx_sql_next("''", true);
	v = pmx_tok_ident(ctx, &t);
	CHECK(v && strcmp(v, "") == 0);
	pmx_ctx_free(ctx);
}

/* "" `` and [] identifiers, with doubled closing quotes in the first two. */
TEST(tok_quoted_identifiers)
{
	PmxCtx	   *ctx = test_ctx();
	PmxTok		t;
	char	   *v;

	t = pmx_sql_next("\"x\"\"y\"+1", true);
	v = pmx_tok_ident(ctx, &t);
	CHECK(t.type == PMX_TK_QIDENT && t.len == 6);
	CHECK(v && strcmp(v, "x\"y") == 0);

	t = pmx_sql_next("`x``y` ", true);
	v = pmx_tok_ident(ctx, &t);
	CHECK(t.type == PMX_TK_QIDENT && t.len == 6);
	CHECK(v && strcmp(v, "x`y") == 0);

	t = pmx_sql_next("[my col]x", true);
	v = pmx_tok_ident(ctx, &t);
	CHECK(t.type == PMX_TK_QIDENT && t.len == 8);
	CHECK(v && strcmp(v, "my col") == 0);

	/* a " inside [] and a ' inside "" are plain characters */
	t = pmx_sql_next("[a\"b]", true);
	v = pmx_tok_ident(ctx, &t);
	CHECK(t.type == PMX_TK_QIDENT && v && strcmp(v, "a\"b") == 0);
	t = pmx_sql_next("\"it's\"", true);
	v = pmx_tok_ident(ctx, &t);
	CHECK(t.type == PMX_TK_QIDENT && v && strcmp(v, "it's") == 0);

	/* bare words keep their spelling */
	t = pmx_sql_next("Email_2$ ", true);
	v = pmx_tok_ident(ctx, &t);
	CHECK(t.type == PMX_TK_WORD && v && strcmp(v, "Email_2$") == 0);
	pmx_ctx_free(ctx);
}

/* -- and C comments are space; skip_space=false returns them as tokens. */
TEST(tok_comments)
{
	PmxTok		t;

	t = pmx_sql_next("-- one\n  x", false);
	CHECK(t.type == PMX_TK_SPACE && t.len == 6);
	t = pmx_sql_next("-- one\n  x", true);
	CHECK(t.type == PMX_TK_WORD && t.len == 1 && t.p[0] == 'x');
	t = pmx_sql_next("/* a ' \" ; */y", false);
	CHECK(t.type == PMX_TK_SPACE && t.len == 13);
	t = pmx_sql_next("/* a */ /* b */ -- c\n/**/ y", true);
	CHECK(t.type == PMX_TK_WORD && t.p[0] == 'y');
	/* a comment running to the end of input */
	t = pmx_sql_next("  -- no newline", true);
	CHECK(t.type == PMX_TK_EOF && t.len == 0);
	/* '-' alone and '/' alone are operators */
	CHECK(tok_is("- 1", PMX_TK_PUNCT, 1));
	CHECK(tok_is("/ 2", PMX_TK_PUNCT, 1));
}

/* Unterminated quotes and comments are one error token to the end. */
TEST(tok_unterminated)
{
	static const char *const bad[] = {
		"'abc", "'a''", "\"abc", "\"a\"\"", "`abc", "[abc", "/* abc", "/* a *", "x'00",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		PmxTok		t = pmx_sql_next(bad[i], true);

		CHECK(t.type == PMX_TK_ERROR);
		CHECK(t.p == bad[i] && t.len == strlen(bad[i]));
	}
	/* a stray byte is a one-byte error */
	CHECK(tok_is("#x", PMX_TK_ERROR, 1));
	CHECK(tok_is("\\", PMX_TK_ERROR, 1));
}

/* Numbers, blobs, parameters, multi-character operators, end of input. */
TEST(tok_other_kinds)
{
	CHECK(tok_is("0x1F+", PMX_TK_NUMBER, 4));
	CHECK(tok_is("1.5e-3)", PMX_TK_NUMBER, 6));
	CHECK(tok_is(".5", PMX_TK_NUMBER, 2));
	CHECK(tok_is("12abc", PMX_TK_NUMBER, 2));
	CHECK(tok_is("1e", PMX_TK_NUMBER, 1));
	CHECK(tok_is("x'00ff' ", PMX_TK_BLOB, 7));
	CHECK(tok_is("X'' ", PMX_TK_BLOB, 3));
	CHECK(tok_is("?12 ", PMX_TK_PARAM, 3));
	CHECK(tok_is(":name,", PMX_TK_PARAM, 5));
	CHECK(tok_is("@p ", PMX_TK_PARAM, 2));
	CHECK(tok_is("$v ", PMX_TK_PARAM, 2));
	CHECK(tok_is("->>'a'", PMX_TK_PUNCT, 3));
	CHECK(tok_is("->'a'", PMX_TK_PUNCT, 2));
	CHECK(tok_is("||x", PMX_TK_PUNCT, 2));
	CHECK(tok_is("<>1", PMX_TK_PUNCT, 2));
	CHECK(tok_is("::text", PMX_TK_PUNCT, 2));
	CHECK(tok_is(";", PMX_TK_PUNCT, 1));
	CHECK(tok_is("", PMX_TK_EOF, 0));
	CHECK(tok_is(" \t\r\n ", PMX_TK_EOF, 0));
	/* non-ASCII letters are identifier characters (SQLite does the same) */
	CHECK(tok_is("naïve = 1", PMX_TK_WORD, strlen("naïve")));
}

/* pmx_tok_is / pmx_tok_punct / pmx_sql_is_keyword. */
TEST(tok_word_helpers)
{
	PmxTok		t = pmx_sql_next("SeLeCt", true);
	PmxTok		q = pmx_sql_next("\"select\"", true);
	PmxTok		p = pmx_sql_next("<=", true);

	CHECK(pmx_tok_is(&t, "select"));
	CHECK(!pmx_tok_is(&t, "selec"));
	CHECK(!pmx_tok_is(&q, "select"));	/* quoted: an identifier, not the word */
	CHECK(pmx_tok_punct(&p, "<="));
	CHECK(!pmx_tok_punct(&p, "<"));
	CHECK(pmx_sql_is_keyword("WHERE", 5));
	CHECK(pmx_sql_is_keyword("autoincrement", 13));
	CHECK(!pmx_sql_is_keyword("email", 5));
	CHECK(!pmx_sql_is_keyword("", 0));
	CHECK(!pmx_sql_is_keyword("selectselectselectselectselectselect", 36));
}

/* pmx_quote_ident doubles ", keeps ; and unicode, and tokenizes back. */
TEST(quote_ident)
{
	PmxCtx	   *ctx = test_ctx();
	static const char *const names[] = {
		"plain", "a\"b", "\"\"", "x; DROP TABLE t; --", "naïve 日本", "it's", "[x]", "",
	};
	PmxBuf		b;
	char	   *s;

	CHECK(strcmp(pmx_quote_ident(ctx, "a\"b"), "\"a\"\"b\"") == 0);
	CHECK(strcmp(pmx_quote_ident(ctx, "x; DROP"), "\"x; DROP\"") == 0);
	CHECK(strcmp(pmx_quote_ident(ctx, "日本"), "\"日本\"") == 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
	{
		char	   *q = pmx_quote_ident(ctx, names[i]);
		PmxTok		t = pmx_sql_next(q, true);
		char	   *back = pmx_tok_ident(ctx, &t);

		/* one identifier token covering the whole quoted text */
		CHECK(t.type == PMX_TK_QIDENT && t.len == strlen(q));
		CHECK(back && strcmp(back, names[i]) == 0);
	}
	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, "SELECT ");
	pmx_buf_ident(&b, "a\"b");
	s = pmx_buf_finish(&b);
	CHECK(s && strcmp(s, "SELECT \"a\"\"b\"") == 0);
	pmx_ctx_free(ctx);
}

/* pmx_quote_literal doubles ', keeps ; and unicode, and tokenizes back. */
TEST(quote_literal)
{
	PmxCtx	   *ctx = test_ctx();
	static const char *const vals[] = {
		"", "it's", "''", "a;b", "'); DROP TABLE t; --", "日本語 ü", "line\nbreak", "\"q\"",
	};
	PmxBuf		b;
	char	   *s;

	CHECK(strcmp(pmx_quote_literal(ctx, "it's"), "'it''s'") == 0);
	CHECK(strcmp(pmx_quote_literal(ctx, ""), "''") == 0);
	CHECK(strcmp(pmx_quote_literal(ctx, "a;b"), "'a;b'") == 0);
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
	{
		char	   *q = pmx_quote_literal(ctx, vals[i]);
		PmxTok		t = pmx_sql_next(q, true);
		char	   *back = pmx_tok_ident(ctx, &t);

		CHECK(t.type == PMX_TK_STRING && t.len == strlen(q));
		CHECK(back && strcmp(back, vals[i]) == 0);
	}
	pmx_buf_init(&b, ctx);
	pmx_buf_literal(&b, "o'k");
	s = pmx_buf_finish(&b);
	CHECK(s && strcmp(s, "'o''k'") == 0);
	pmx_ctx_free(ctx);
}

/* Different spellings of one expression canonicalize to the same text. */
TEST(canon_equal_spellings)
{
	PmxCtx	   *ctx = test_ctx();

	CHECK(same_canon(ctx, "LENGTH( \"Email\" )<=50", "length(email) <= 50"));
	CHECK(same_canon(ctx, "((a + b))", "a+b"));
	CHECK(same_canon(ctx, "( (a + b) )", "a   +\n\tb"));
	CHECK(same_canon(ctx, "a NOT IN (1,2)", "a not in (1, 2)"));
	CHECK(same_canon(ctx, "[Email] = `X`", "email = x"));
	CHECK(same_canon(ctx, "a /* why */ > -- because\n 0", "a > 0"));
	CHECK(same_canon(ctx, "a == b", "a = b"));
	CHECK(same_canon(ctx, "CURRENT_TIMESTAMP", "current_timestamp"));
	CHECK(same_canon(ctx, "Coalesce(A, 'X')", "coalesce(a,'X')"));
	CHECK(same_canon(ctx, "CAST ( a AS TEXT )", "cast(a as text)"));
	CHECK(same_canon(ctx, "abs( - 1 )", "abs(-1)"));
	CHECK(same_canon(ctx, "x IS NOT NULL AND y>0", "(x is not null and y > 0)"));
	/* the canonical text itself */
	CHECK(strcmp(canon(ctx, "LENGTH( \"Email\" )<=50"), "length(email) <= 50") == 0);
	CHECK(strcmp(canon(ctx, "a NOT IN (1,2)"), "a not in (1, 2)") == 0);
	/* what must stay different does */
	CHECK(!same_canon(ctx, "a = 'X'", "a = 'x'"));
	CHECK(!same_canon(ctx, "a + b", "b + a"));
	CHECK(!same_canon(ctx, "\"my col\" > 0", "my_col > 0"));
	pmx_ctx_free(ctx);
}

/* Parentheses that do not wrap the whole expression are kept. */
TEST(canon_keeps_inner_parens)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *s;

	s = canon(ctx, "(a + b) * c");
	CHECK(s && strcmp(s, "(a + b) * c") == 0);
	s = canon(ctx, "(a) + (b)");
	CHECK(s && strcmp(s, "(a) + (b)") == 0);
	CHECK(!same_canon(ctx, "(a + b) * c", "a + b * c"));
	pmx_ctx_free(ctx);
}

/* Identifiers stay quoted exactly when they must: keywords, spaces, unicode. */
TEST(canon_quotes_when_needed)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *s;

	s = canon(ctx, "\"select\" + 1");
	CHECK(s && strcmp(s, "\"select\" + 1") == 0);
	s = canon(ctx, "[my col] > 0");
	CHECK(s && strcmp(s, "\"my col\" > 0") == 0);
	s = canon(ctx, "\"a\"\"b\" > 0");
	CHECK(s && strcmp(s, "\"a\"\"b\" > 0") == 0);
	s = canon(ctx, "`user_name` > 0");
	CHECK(s && strcmp(s, "user_name > 0") == 0);
	s = canon(ctx, "\"2x\" > 0");
	CHECK(s && strcmp(s, "\"2x\" > 0") == 0);
	pmx_ctx_free(ctx);
}

/*
 * SQLite folds ASCII case in quoted identifiers too, so "Order" and
 * "ORDER" (which must stay quoted: a keyword) name the same column and
 * must canonicalize alike, as "Email" and "EMAIL" do.
 */
TEST(canon_folds_case_of_quoted_keywords)
{
	PmxCtx	   *ctx = test_ctx();

	CHECK(same_canon(ctx, "\"Email\" > 0", "\"EMAIL\" > 0"));
	CHECK(same_canon(ctx, "\"Order\" > 0", "\"ORDER\" > 0"));
	CHECK(same_canon(ctx, "\"My Col\" > 0", "\"my col\" > 0"));
	pmx_ctx_free(ctx);
}

/* Statement separators, top-level commas, bad parens, empty: rejected. */
TEST(canon_rejects)
{
	PmxCtx	   *ctx = test_ctx();

	CHECK(is_rejected(ctx, "1); DROP TABLE x; --"));
	CHECK(is_rejected(ctx, "1; DROP TABLE x"));
	CHECK(is_rejected(ctx, "a = 1;"));
	CHECK(is_rejected(ctx, "a, b"));
	CHECK(is_rejected(ctx, "(a), (b)"));
	CHECK(is_rejected(ctx, "(a"));
	CHECK(is_rejected(ctx, "a)"));
	CHECK(is_rejected(ctx, "a) OR (b"));
	CHECK(is_rejected(ctx, "(a))"));
	CHECK(is_rejected(ctx, ""));
	CHECK(is_rejected(ctx, "   \n"));
	CHECK(is_rejected(ctx, "-- only a comment"));
	CHECK(is_rejected(ctx, "/* only */"));
	CHECK(is_rejected(ctx, "'unterminated"));
	CHECK(is_rejected(ctx, "a /* open comment"));
	CHECK(is_rejected(ctx, "a # b"));
	pmx_ctx_free(ctx);
}

/* ';' and ',' inside strings, quoted names or calls are fine. */
TEST(canon_accepts_nested_separators)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *s;

	s = canon(ctx, "x = 'a;b, c'");
	CHECK(s && strcmp(s, "x = 'a;b, c'") == 0);
	s = canon(ctx, "\"a;b\" > 0");
	CHECK(s && strcmp(s, "\"a;b\" > 0") == 0);
	s = canon(ctx, "substr(a, 1, 2) IN ('x', 'y')");
	CHECK(s && strcmp(s, "substr(a, 1, 2) in ('x', 'y')") == 0);
	/* an index element may carry COLLATE and DESC */
	s = pmx_sql_canon_expr(ctx, "lower(Email) COLLATE NOCASE DESC", "elem");
	CHECK(s && strcmp(s, "lower(email) collate nocase desc") == 0);
	pmx_ctx_free(ctx);
}

/* Canonical text is a fixed point: canonicalizing it again changes nothing. */
TEST(canon_idempotent)
{
	PmxCtx	   *ctx = test_ctx();
	static const char *const exprs[] = {
		"LENGTH( \"Email\" )<=50", "a NOT IN (1,2)", "\"select\" + [my col]",
		"CAST(a AS TEXT) || 'x''y'", "a->>'$.k' = 1", "-a * +b", "abs(-1) - -2",
		"x between 1 and 10", "case when a then 'y' else 'n' end", "x'00ff' = b",
		"1e5 + .5", "not -a", "(a) + (b)", "t.a = \"T\".\"B\"",
	};

	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++)
	{
		char	   *once = canon(ctx, exprs[i]);
		char	   *twice = once ? canon(ctx, once) : NULL;

		CHECK(once != NULL);
		CHECK(twice && strcmp(once, twice) == 0);
	}
	pmx_ctx_free(ctx);
}

/*
 * Two minus signs in a row must not be glued into "--", which SQL reads
 * as a comment: "x = - -1" would turn into "x = --1" (a comment eating
 * the rest of the line) when premix renders it into DDL.
 */
TEST(canon_never_makes_a_comment)
{
	PmxCtx	   *ctx = test_ctx();
	static const char *const exprs[] = {
		"- -1", "x = - -1", "x IN (- -1)", "not - -a", "- - - 1", "(- -1)",
	};

	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++)
	{
		char	   *once = canon(ctx, exprs[i]);
		char	   *twice = once ? canon(ctx, once) : NULL;

		CHECK(once != NULL);
		CHECK(once && strstr(once, "--") == NULL);
		CHECK(twice && strcmp(once, twice) == 0);
	}
	pmx_ctx_free(ctx);
}

/*
 * Canonical text never merges or drops tokens: whatever is accepted is a
 * fixed point.  "(a, b)" must not lose its parentheses (it would turn
 * into a two-column list), "()" must not become the empty expression, and
 * "0 .c" must not be glued into the number "0." (found by fuzz_sql).
 */
TEST(canon_accepted_is_fixed_point)
{
	PmxCtx	   *ctx = test_ctx();
	static const char *const exprs[] = {
		"(a, b)", "((1, 2))", "()", "(())", "0 .c", "main. 0", "1 .*", "(0 .+ 2)",
		"a . 5", "x - - y", ": :x",
	};

	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++)
	{
		char	   *once = canon(ctx, exprs[i]);
		char	   *twice = once ? canon(ctx, once) : NULL;

		/* rejecting is fine; accepting something that reads differently is not */
		CHECK(!once || (twice && strcmp(once, twice) == 0));
		CHECK(!once || *once != '\0');
		if (once && (!twice || strcmp(once, twice) != 0))
			printf("  (\"%s\" -> \"%s\" -> %s)\n", exprs[i], once, twice ? twice : "rejected");
	}
	pmx_ctx_free(ctx);
}

/* pmx_sql_expr_is_literal: constants ADD COLUMN accepts, nothing else. */
TEST(expr_is_literal)
{
	CHECK(pmx_sql_expr_is_literal("1"));
	CHECK(pmx_sql_expr_is_literal("-1.5"));
	CHECK(pmx_sql_expr_is_literal("+3"));
	CHECK(pmx_sql_expr_is_literal("'x'"));
	CHECK(pmx_sql_expr_is_literal("x'00'"));
	CHECK(pmx_sql_expr_is_literal("null"));
	CHECK(pmx_sql_expr_is_literal("true"));
	CHECK(pmx_sql_expr_is_literal("false"));
	CHECK(!pmx_sql_expr_is_literal("current_timestamp"));
	CHECK(!pmx_sql_expr_is_literal("a"));
	CHECK(!pmx_sql_expr_is_literal("1 + 1"));
	CHECK(!pmx_sql_expr_is_literal("-a"));
	CHECK(!pmx_sql_expr_is_literal("lower('X')"));
}

/* pmx_sql_split: top-level ';' only; comments/quotes respected; empties dropped. */
TEST(split_statements)
{
	PmxCtx	   *ctx = test_ctx();
	char	  **st = NULL;
	int			n;

	n = pmx_sql_split(ctx, "  CREATE TABLE a(x TEXT DEFAULT ';');; ;\n"
					  "/* ; */ CREATE INDEX i ON a(x) -- trailing ; comment\n"
					  "; \"we;ird\"", &st);
	CHECK(n == 3);
	CHECK(n == 3 && strcmp(st[0], "CREATE TABLE a(x TEXT DEFAULT ';')") == 0);
	CHECK(n == 3 && strcmp(st[1], "CREATE INDEX i ON a(x)") == 0);
	CHECK(n == 3 && strcmp(st[2], "\"we;ird\"") == 0);

	n = pmx_sql_split(ctx, "", &st);
	CHECK(n == 0);
	n = pmx_sql_split(ctx, " ; -- x\n ;", &st);
	CHECK(n == 0);
	n = pmx_sql_split(ctx, "SELECT 1", &st);
	CHECK(n == 1 && strcmp(st[0], "SELECT 1") == 0);
	pmx_ctx_free(ctx);
}

/* pmx_sql_split: unterminated quote or comment is -1 with PMX_E_INVALID. */
TEST(split_errors)
{
	static const char *const bad[] = {
		"SELECT 'x; SELECT 2", "SELECT 1; /* open", "CREATE TABLE \"t(a)", "SELECT [x",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		PmxCtx	   *ctx = test_ctx();
		char	  **st = NULL;

		CHECK(pmx_sql_split(ctx, bad[i], &st) == -1);
		CHECK(pmx_ctx_error(ctx)->code == PMX_E_INVALID);
		pmx_ctx_free(ctx);
	}
}

/* rename_idents: a column name inside an expression, canonical result. */
TEST(rename_simple)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *from[] = {"user_name"};
	char	   *to[] = {"username"};
	char	   *s;

	s = pmx_sql_rename_idents(ctx, "LENGTH(User_Name) > 2", from, to, 1);
	CHECK(s && strcmp(s, "length(username) > 2") == 0);
	s = pmx_sql_rename_idents(ctx, "\"user_name\" <> 'user_name'", from, to, 1);
	CHECK(s && strcmp(s, "username <> 'user_name'") == 0);
	/* a name needing quotes is quoted */
	to[0] = "user name";
	s = pmx_sql_rename_idents(ctx, "user_name IS NOT NULL", from, to, 1);
	CHECK(s && strcmp(s, "\"user name\" is not null") == 0);
	/* no match: unchanged (canonical) */
	s = pmx_sql_rename_idents(ctx, "other > 1", from, to, 1);
	CHECK(s && strcmp(s, "other > 1") == 0);
	pmx_ctx_free(ctx);
}

/* rename_idents: renames are simultaneous, so a <-> b swaps. */
TEST(rename_swap)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *from[] = {"a", "b"};
	char	   *to[] = {"b", "a"};
	char	   *s;

	s = pmx_sql_rename_idents(ctx, "a < b AND [b] > `a`", from, to, 2);
	CHECK(s && strcmp(s, "b < a and a > b") == 0);
	pmx_ctx_free(ctx);
}

/* rename_idents: a function of the same name is not renamed. */
TEST(rename_skips_functions)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *from[] = {"lower", "length"};
	char	   *to[] = {"low", "len"};
	char	   *s;

	s = pmx_sql_rename_idents(ctx, "lower(lower) = length (length)", from, to, 2);
	CHECK(s && strcmp(s, "lower(low) = length(len)") == 0);
	pmx_ctx_free(ctx);
}

/* pmx_sql_mentions_ident: bare or quoted, any case; not in strings. */
TEST(mentions_ident)
{
	CHECK(pmx_sql_mentions_ident("CHECK (length(\"Email\") > 0)", "email"));
	CHECK(pmx_sql_mentions_ident("a + EMAIL", "email"));
	CHECK(pmx_sql_mentions_ident("[my col] > 0", "My Col"));
	CHECK(pmx_sql_mentions_ident("`a``b` > 0", "a`b"));
	CHECK(pmx_sql_mentions_ident("\"a\"\"b\" > 0", "a\"b"));
	CHECK(!pmx_sql_mentions_ident("x = 'email'", "email"));
	CHECK(!pmx_sql_mentions_ident("emails > 0", "email"));
	CHECK(!pmx_sql_mentions_ident("\"emails\" > 0", "email"));
	CHECK(!pmx_sql_mentions_ident("\"e\" > 0", "email"));
	CHECK(!pmx_sql_mentions_ident("", "email"));
	/* unreadable text: assume it does (conservative) */
	CHECK(pmx_sql_mentions_ident("x = 'open", "email"));
}

int
main(void)
{
	RUN(tok_single_quotes);
	RUN(tok_quoted_identifiers);
	RUN(tok_comments);
	RUN(tok_unterminated);
	RUN(tok_other_kinds);
	RUN(tok_word_helpers);
	RUN(quote_ident);
	RUN(quote_literal);
	RUN(canon_equal_spellings);
	RUN(canon_keeps_inner_parens);
	RUN(canon_quotes_when_needed);
	RUN(canon_folds_case_of_quoted_keywords);
	RUN(canon_rejects);
	RUN(canon_accepts_nested_separators);
	RUN(canon_idempotent);
	RUN(canon_never_makes_a_comment);
	RUN(canon_accepted_is_fixed_point);
	RUN(expr_is_literal);
	RUN(split_statements);
	RUN(split_errors);
	RUN(rename_simple);
	RUN(rename_swap);
	RUN(rename_skips_functions);
	RUN(mentions_ident);
	return TEST_DONE();
}
