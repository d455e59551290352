/*-------------------------------------------------------------------------
 *
 * pmx_sql.h
 *	  SQL text: tokenizer, identifier and literal quoting, canonical
 *	  spelling of expressions, statement splitting.
 *
 * Every identifier premix writes into SQL goes through pmx_quote_ident()
 * and every string through pmx_quote_literal(): nothing user-given is
 * pasted unquoted.  Expressions (defaults, CHECKs, index elements and
 * predicates) are SQL by nature; they are accepted only after
 * pmx_sql_canon_expr() has tokenized them, found balanced parentheses and
 * no statement separator outside quotes, and respelled them.
 *
 * IDENTIFICATION
 *	  shared/pmx_sql.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_SQL_H
#define PMX_SQL_H

#include "pmx_internal.h"

typedef enum PmxTokType
{
	PMX_TK_EOF,
	PMX_TK_SPACE,				/* whitespace and comments */
	PMX_TK_WORD,				/* keyword or bare identifier */
	PMX_TK_QIDENT,				/* "x", `x`, [x] */
	PMX_TK_STRING,				/* 'x' */
	PMX_TK_NUMBER,
	PMX_TK_BLOB,				/* x'00ff' */
	PMX_TK_PARAM,				/* ?, ?1, :a, @a, $a */
	PMX_TK_PUNCT,				/* operators and punctuation */
	PMX_TK_ERROR				/* unterminated quote or comment, stray byte */
} PmxTokType;

typedef struct PmxTok
{
	PmxTokType	type;
	const char *p;
	size_t		len;
} PmxTok;

/* The token starting at s (never PMX_TK_SPACE unless skip_space is false). */
PmxTok		pmx_sql_next(const char *s, bool skip_space);

/* True when tok is the bare word w (ASCII case-insensitive). */
bool		pmx_tok_is(const PmxTok *tok, const char *w);
bool		pmx_tok_punct(const PmxTok *tok, const char *p);

/* The identifier a WORD/QIDENT/STRING token names, unquoted, in the arena. */
char	   *pmx_tok_ident(PmxCtx *ctx, const PmxTok *tok);

bool		pmx_sql_is_keyword(const char *w, size_t len);

/* "name" with embedded quotes doubled; NULL on OOM. */
char	   *pmx_quote_ident(PmxCtx *ctx, const char *name);
void		pmx_buf_ident(PmxBuf *b, const char *name);
/* 'text' with embedded quotes doubled; NULL on OOM. */
char	   *pmx_quote_literal(PmxCtx *ctx, const char *s);
void		pmx_buf_literal(PmxBuf *b, const char *s);

/*
 * Canonical spelling of an SQL expression: whitespace and comments
 * dropped, keywords and bare identifiers lower-cased, identifiers quoted
 * only when they must be, one space between words, redundant outer
 * parentheses removed.  Two spellings of the same expression compare
 * equal.  Returns NULL with PMX_E_INVALID (naming what) when text is empty,
 * unterminated, unbalanced, or holds a ';' or top-level ',' -- which is
 * also what keeps an expression from smuggling a second statement.
 */
char	   *pmx_sql_canon_expr(PmxCtx *ctx, const char *text, const char *what);

/* A byte that may start (start) or continue a PostgreSQL identifier:
 * letters, '_', any byte >= 0x80; then also digits and '$'. */
bool		pmx_pg_ident_byte(unsigned char c, bool start);

/*
 * An expression from a target, as the dialect's model keeps it: SQLite
 * its canonical spelling; PostgreSQL the text as given (trimmed), checked
 * by PostgreSQL's quoting rules to be one expression -- the server spells
 * it itself in the shadow, and SQLite's rules would misread ARRAY[...]
 * and dollar quotes.  NULL with PMX_E_INVALID, naming what.
 */
char	   *pmx_sql_target_expr(PmxCtx *ctx, PmxDialect d, const char *text, const char *what);

/*
 * True when s can be a column's type name: words and numbers, optionally
 * one parenthesized list of signed numbers ("varchar(50)", "numeric(10, 2)",
 * "double precision").  Anything else -- quotes, ";", comments -- is not a
 * type and must not reach DDL.
 */
bool		pmx_sql_valid_type_name(const char *s);

/* True when expr (canonical) is a literal: number, string, NULL, ... */
bool		pmx_sql_expr_is_literal(const char *expr);

/*
 * expr with every identifier token equal to from[i] (not followed by "(")
 * replaced by to[i], re-canonicalized.  NULL on error.
 */
char	   *pmx_sql_rename_idents(PmxCtx *ctx, const char *expr,
								  char *const *from, char *const *to, int n);
/* The same, replacing each from[i] by the SQL text "(to[i])" instead. */
char	   *pmx_sql_substitute_idents(PmxCtx *ctx, const char *expr,
									  char *const *from, char *const *to, int n);

/* True when the SQL text mentions identifier name in any token. */
bool		pmx_sql_mentions_ident(const char *sql, const char *name);

/*
 * Split text into statements at top-level ';'.  Returns the count and an
 * arena array of trimmed statement texts in *out; -1 with PMX_E_INVALID on
 * an unterminated quote or comment.
 */
int			pmx_sql_split(PmxCtx *ctx, const char *text, char ***out);

#endif							/* PMX_SQL_H */
