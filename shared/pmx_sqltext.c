/*-------------------------------------------------------------------------
 *
 * pmx_sqltext.c
 *	  SQL tokenizer, quoting, canonical expressions, statement splitting.
 *
 * The tokenizer knows SQLite's lexical rules (which are a superset of what
 * premix writes for any dialect): '' strings, "" `` [] identifiers, --
 * and C comments, blob literals, numbers with exponents and hex.  It never
 * reads past the terminating NUL and reports unterminated quotes as
 * PMX_TK_ERROR rather than guessing.
 *
 * IDENTIFICATION
 *	  shared/pmx_sqltext.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <string.h>

#include "pmx_sql.h"

/* SQLite's keyword list (sqlite.org/lang_keywords.html), sorted. */
static const char *const sql_keywords[] = {
	"abort", "action", "add", "after", "all", "alter", "always", "analyze",
	"and", "as", "asc", "attach", "autoincrement", "before", "begin",
	"between", "by", "cascade", "case", "cast", "check", "collate", "column",
	"commit", "conflict", "constraint", "create", "cross", "current",
	"current_date", "current_time", "current_timestamp", "database",
	"default", "deferrable", "deferred", "delete", "desc", "detach",
	"distinct", "do", "drop", "each", "else", "end", "escape", "except",
	"exclude", "exclusive", "exists", "explain", "fail", "filter", "first",
	"following", "for", "foreign", "from", "full", "generated", "glob",
	"group", "groups", "having", "if", "ignore", "immediate", "in", "index",
	"indexed", "initially", "inner", "insert", "instead", "intersect",
	"into", "is", "isnull", "join", "key", "last", "left", "like", "limit",
	"match", "materialized", "natural", "no", "not", "nothing", "notnull",
	"null", "nulls", "of", "offset", "on", "or", "order", "others", "outer",
	"over", "partition", "plan", "pragma", "preceding", "primary", "query",
	"raise", "range", "recursive", "references", "regexp", "reindex",
	"release", "rename", "replace", "restrict", "returning", "right",
	"rollback", "row", "rows", "savepoint", "select", "set", "table", "temp",
	"temporary", "then", "ties", "to", "transaction", "trigger", "unbounded",
	"union", "unique", "update", "using", "vacuum", "values", "view",
	"virtual", "when", "where", "window", "with", "without"
};

/* True when the len bytes at w spell an SQLite keyword (any case). */
bool
pmx_sql_is_keyword(const char *w, size_t len)
{
	char		low[32];
	size_t		lo = 0,
				hi = sizeof(sql_keywords) / sizeof(sql_keywords[0]);

	if (len == 0 || len >= sizeof(low))
		return false;
	for (size_t i = 0; i < len; i++)
		low[i] = (char) tolower((unsigned char) w[i]);
	low[len] = '\0';
	while (lo < hi)
	{
		size_t		mid = (lo + hi) / 2;
		int			c = strcmp(low, sql_keywords[mid]);

		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* A byte that can start a bare word (UTF-8 bytes count as letters). */
static bool
is_word_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

/* A byte that can continue a bare word. */
static bool
is_word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Length of a quoted run starting at s[0] == q, closing on close; 0 if open. */
static size_t
quoted_len(const char *s, char close)
{
	size_t		i = 1;

	for (;;)
	{
		if (s[i] == '\0')
			return 0;
		if (s[i] == close)
		{
			if (close != ']' && s[i + 1] == close)
			{
				i += 2;
				continue;
			}
			return i + 1;
		}
		i++;
	}
}

/*
 * The token at s.  With skip_space, whitespace and comments are skipped
 * first.  At the end of input returns PMX_TK_EOF with len 0.
 */
PmxTok
pmx_sql_next(const char *s, bool skip_space)
{
	PmxTok		t = {PMX_TK_EOF, s, 0};
	const unsigned char *u;
	size_t		n;

	for (;;)
	{
		u = (const unsigned char *) s;
		if (*u == '\0')
		{
			t.p = s;
			return t;
		}
		if (isspace(*u))
		{
			n = 1;
			while (u[n] && isspace(u[n]))
				n++;
		}
		else if (u[0] == '-' && u[1] == '-')
		{
			n = 2;
			while (u[n] && u[n] != '\n')
				n++;
		}
		else if (u[0] == '/' && u[1] == '*')
		{
			const char *end = strstr(s + 2, "*/");

			if (!end)
			{
				t.type = PMX_TK_ERROR;
				t.p = s;
				t.len = strlen(s);
				return t;
			}
			n = (size_t) (end - s) + 2;
		}
		else
			break;
		if (!skip_space)
		{
			t.type = PMX_TK_SPACE;
			t.p = s;
			t.len = n;
			return t;
		}
		s += n;
	}

	t.p = s;
	if ((u[0] == 'x' || u[0] == 'X') && u[1] == '\'')
	{
		n = quoted_len(s + 1, '\'');
		t.type = n ? PMX_TK_BLOB : PMX_TK_ERROR;
		t.len = n ? n + 1 : strlen(s);
		return t;
	}
	if (is_word_start(u[0]))
	{
		n = 1;
		while (is_word_char(u[n]))
			n++;
		t.type = PMX_TK_WORD;
		t.len = n;
		return t;
	}
	if (isdigit(u[0]) || (u[0] == '.' && isdigit(u[1])))
	{
		n = 0;
		if (u[0] == '0' && (u[1] == 'x' || u[1] == 'X') && isxdigit(u[2]))
		{
			n = 2;
			while (isxdigit(u[n]))
				n++;
		}
		else
		{
			while (isdigit(u[n]))
				n++;
			if (u[n] == '.')
				for (n++; isdigit(u[n]); n++)
					;
			if ((u[n] == 'e' || u[n] == 'E') &&
				(isdigit(u[n + 1]) ||
				 ((u[n + 1] == '+' || u[n + 1] == '-') && isdigit(u[n + 2]))))
			{
				n += 2;
				while (isdigit(u[n]))
					n++;
			}
		}
		t.type = PMX_TK_NUMBER;
		t.len = n;
		return t;
	}
	switch (u[0])
	{
		case '\'':
			n = quoted_len(s, '\'');
			t.type = n ? PMX_TK_STRING : PMX_TK_ERROR;
			t.len = n ? n : strlen(s);
			return t;
		case '"':
			n = quoted_len(s, '"');
			t.type = n ? PMX_TK_QIDENT : PMX_TK_ERROR;
			t.len = n ? n : strlen(s);
			return t;
		case '`':
			n = quoted_len(s, '`');
			t.type = n ? PMX_TK_QIDENT : PMX_TK_ERROR;
			t.len = n ? n : strlen(s);
			return t;
		case '[':
			n = quoted_len(s, ']');
			t.type = n ? PMX_TK_QIDENT : PMX_TK_ERROR;
			t.len = n ? n : strlen(s);
			return t;
		case '?':
			n = 1;
			while (isdigit(u[n]))
				n++;
			t.type = PMX_TK_PARAM;
			t.len = n;
			return t;
		case ':':
		case '@':
		case '$':
			if (u[0] == ':' && u[1] == ':')
			{
				t.type = PMX_TK_PUNCT;
				t.len = 2;
				return t;
			}
			n = 1;
			while (is_word_char(u[n]))
				n++;
			t.type = n > 1 ? PMX_TK_PARAM : PMX_TK_PUNCT;
			t.len = n;
			return t;
	}
	/* operators: longest match first */
	t.type = PMX_TK_PUNCT;
	switch (u[0])
	{
		case '(':
		case ')':
		case ',':
		case ';':
		case '.':
		case '+':
		case '*':
		case '/':
		case '%':
		case '&':
		case '~':
			t.len = 1;
			return t;
		case '-':
			t.len = u[1] == '>' ? (u[2] == '>' ? 3 : 2) : 1;
			return t;
		case '|':
			t.len = u[1] == '|' ? 2 : 1;
			return t;
		case '<':
			t.len = (u[1] == '<' || u[1] == '=' || u[1] == '>') ? 2 : 1;
			return t;
		case '>':
			t.len = (u[1] == '>' || u[1] == '=') ? 2 : 1;
			return t;
		case '=':
			t.len = u[1] == '=' ? 2 : 1;
			return t;
		case '!':
			if (u[1] == '=')
			{
				t.len = 2;
				return t;
			}
			break;
	}
	if (strchr("(),;.+-*/%<>=&|~!", u[0]))
	{
		t.type = PMX_TK_PUNCT;
		t.len = 1;
		return t;
	}
	t.type = PMX_TK_ERROR;
	t.len = 1;
	return t;
}

/* True when tok is the bare word w (ASCII case-insensitive). */
bool
pmx_tok_is(const PmxTok *tok, const char *w)
{
	size_t		n = strlen(w);

	if (tok->type != PMX_TK_WORD || tok->len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char) tok->p[i]) != tolower((unsigned char) w[i]))
			return false;
	return true;
}

/* True when tok is the punctuation p. */
bool
pmx_tok_punct(const PmxTok *tok, const char *p)
{
	return tok->type == PMX_TK_PUNCT && tok->len == strlen(p) &&
		memcmp(tok->p, p, tok->len) == 0;
}

/*
 * The name a WORD, QIDENT or STRING token stands for, without its quotes
 * and with doubled quotes undone.  NULL on OOM.
 */
char *
pmx_tok_ident(PmxCtx *ctx, const PmxTok *tok)
{
	char		close;
	char	   *out;
	size_t		n = 0;

	if (tok->type == PMX_TK_WORD || tok->len < 2)
		return pmx_strndup(ctx, tok->p, tok->len);
	close = tok->p[0] == '[' ? ']' : tok->p[0];
	out = pmx_alloc(ctx, tok->len);
	if (!out)
		return NULL;
	for (size_t i = 1; i + 1 < tok->len; i++)
	{
		out[n++] = tok->p[i];
		if (close != ']' && tok->p[i] == close && tok->p[i + 1] == close)
			i++;
	}
	out[n] = '\0';
	return out;
}

/* Append name as a double-quoted identifier. */
void
pmx_buf_ident(PmxBuf *b, const char *name)
{
	const char *run = name;

	pmx_buf_putc(b, '"');
	for (const char *p = name; *p; p++)
		if (*p == '"')
		{
			pmx_buf_append_len(b, run, (size_t) (p - run + 1));
			run = p;			/* the quote is written again: doubled */
		}
	pmx_buf_append(b, run);
	pmx_buf_putc(b, '"');
}

/* name as a double-quoted identifier; NULL on OOM. */
char *
pmx_quote_ident(PmxCtx *ctx, const char *name)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	pmx_buf_ident(&b, name);
	return pmx_buf_finish(&b);
}

/* Append s as a single-quoted string literal. */
void
pmx_buf_literal(PmxBuf *b, const char *s)
{
	const char *q;

	pmx_buf_putc(b, '\'');
	/* runs up to and including each quote copied at once, the quote doubled */
	while ((q = strchr(s, '\'')) != NULL)
	{
		pmx_buf_append_len(b, s, (size_t) (q - s) + 1);
		pmx_buf_putc(b, '\'');
		s = q + 1;
	}
	pmx_buf_append(b, s);
	pmx_buf_putc(b, '\'');
}

/* s as a single-quoted string literal; NULL on OOM. */
char *
pmx_quote_literal(PmxCtx *ctx, const char *s)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	pmx_buf_literal(&b, s);
	return pmx_buf_finish(&b);
}

/* True when name can be written bare: plain ASCII and not a keyword. */
static bool
ident_is_plain(const char *name)
{
	size_t		n = strlen(name);

	if (n == 0 || !(isalpha((unsigned char) name[0]) || name[0] == '_'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char) name[i]) || isdigit((unsigned char) name[i]) ||
			  name[i] == '_'))
			return false;
	return !pmx_sql_is_keyword(name, n);
}

/* Tokenize text into an arena array (no spaces); -1 with error if bad. */
static int
tokenize_all(PmxCtx *ctx, const char *text, const char *what, PmxTok **out)
{
	PmxTok	   *toks = NULL;
	size_t		n = 0,
				cap = 0;
	const char *s = text;

	for (;;)
	{
		PmxTok		t = pmx_sql_next(s, true);

		if (t.type == PMX_TK_EOF)
			break;
		if (t.type == PMX_TK_ERROR)
		{
			pmx_error(ctx, PMX_E_INVALID,
					  "%s is not valid SQL: unterminated quote or comment, or a stray character at \"%s\"",
					  what, pmx_clip(ctx, t.p, 20));
			return -1;
		}
		if (!PMX_PUSH(ctx, toks, n, cap))
			return -1;
		toks[n - 1] = t;
		s = t.p + t.len;
	}
	*out = toks;
	return (int) n;
}

/* Index of the ')' matching the '(' at toks[i], or -1. */
static int
match_paren(const PmxTok *toks, int n, int i)
{
	int			depth = 0;

	for (int j = i; j < n; j++)
	{
		if (pmx_tok_punct(&toks[j], "("))
			depth++;
		else if (pmx_tok_punct(&toks[j], ")"))
		{
			depth--;
			if (depth == 0)
				return j;
		}
	}
	return -1;
}

/* Append the canonical spelling of one token. */
static void
canon_token(PmxBuf *b, PmxCtx *ctx, const PmxTok *t)
{
	switch (t->type)
	{
		case PMX_TK_WORD:
		case PMX_TK_NUMBER:
		case PMX_TK_BLOB:
			for (size_t i = 0; i < t->len; i++)
				pmx_buf_putc(b, (char) tolower((unsigned char) t->p[i]));
			break;
		case PMX_TK_QIDENT:
			{
				char	   *name = pmx_tok_ident(ctx, t);
				char	   *low;

				if (!name)
				{
					b->failed = true;
					return;
				}
				/* SQLite identifiers fold ASCII case: "Email" is email */
				low = pmx_lower(ctx, name);

				if (!low)
				{
					b->failed = true;
					return;
				}
				if (ident_is_plain(low))
					pmx_buf_append(b, low);
				else
					pmx_buf_ident(b, low);
				break;
			}
		case PMX_TK_PUNCT:
			if (t->len == 2 && memcmp(t->p, "==", 2) == 0)
				pmx_buf_putc(b, '=');
			else
				pmx_buf_append_len(b, t->p, t->len);
			break;
		default:
			pmx_buf_append_len(b, t->p, t->len);
	}
}

/* True when a '(' after word w opens a call rather than a list. */
static bool
word_calls(const PmxTok *w)
{
	if (w->type == PMX_TK_QIDENT)
		return true;
	if (w->type != PMX_TK_WORD)
		return false;
	return !pmx_sql_is_keyword(w->p, w->len) || pmx_tok_is(w, "cast") ||
		pmx_tok_is(w, "replace") || pmx_tok_is(w, "like") ||
		pmx_tok_is(w, "glob") || pmx_tok_is(w, "raise");
}

/* True when the token before a '+'/'-' makes it a sign, not an operator. */
static bool
sign_position(const PmxTok *prev)
{
	if (!prev)
		return true;
	if (prev->type == PMX_TK_PUNCT)
		return !pmx_tok_punct(prev, ")");
	if (prev->type == PMX_TK_WORD)
		return pmx_sql_is_keyword(prev->p, prev->len) &&
			!pmx_tok_is(prev, "null") && !pmx_tok_is(prev, "current_date") &&
			!pmx_tok_is(prev, "current_time") &&
			!pmx_tok_is(prev, "current_timestamp") && !pmx_tok_is(prev, "end");
	return false;
}

/* A ',' at depth 0 among toks[from..to]. */
static bool
has_top_level_comma(const PmxTok *toks, int from, int to)
{
	int			depth = 0;

	for (int i = from; i <= to; i++)
	{
		if (pmx_tok_punct(&toks[i], "("))
			depth++;
		else if (pmx_tok_punct(&toks[i], ")"))
			depth--;
		else if (depth == 0 && pmx_tok_punct(&toks[i], ","))
			return true;
	}
	return false;
}

/*
 * Writing t right after the last token (from last_start in b) without a
 * space reads back as the same two tokens: no "--" comment, no "1." number
 * swallowing a dot, no ".5" number swallowing a digit.
 */
static bool
glue_is_safe(PmxBuf *b, PmxCtx *ctx, size_t last_start, const PmxTok *t)
{
	PmxBuf		tmp;
	PmxTok		first;
	size_t		prev_len;
	bool		safe;

	if (!b->data || last_start >= b->len)
		return true;
	prev_len = b->len - last_start;
	pmx_buf_init(&tmp, ctx);
	pmx_buf_append_len(&tmp, b->data + last_start, prev_len);
	canon_token(&tmp, ctx, t);
	if (!pmx_buf_finish(&tmp))
		return true;
	first = pmx_sql_next(tmp.data, false);
	safe = first.len == prev_len && first.type != PMX_TK_SPACE;
	if (safe)
	{
		PmxTok		second = pmx_sql_next(tmp.data + prev_len, false);

		safe = second.len == tmp.len - prev_len;
	}
	return safe;
}

/*
 * Canonical spelling of an expression; see pmx_sql.h.  NULL with
 * PMX_E_INVALID on a malformed or multi-statement expression.
 */
char *
pmx_sql_canon_expr(PmxCtx *ctx, const char *text, const char *what)
{
	PmxTok	   *toks;
	int			n = tokenize_all(ctx, text, what, &toks);
	int			first = 0,
				last;
	int			depth = 0;
	PmxBuf		b;
	bool		glue_next = false;
	size_t		last_start = 0;

	if (n < 0)
		return NULL;
	if (n == 0)
	{
		pmx_error(ctx, PMX_E_INVALID, "%s is empty", what);
		pmx_error_hint(ctx, "Write one SQL expression, such as length(name) > 2 or 'active'.");
		return NULL;
	}
	last = n - 1;
	for (int i = 0; i < n; i++)
	{
		if (pmx_tok_punct(&toks[i], "("))
			depth++;
		else if (pmx_tok_punct(&toks[i], ")"))
		{
			if (--depth < 0)
				break;
		}
		else if (pmx_tok_punct(&toks[i], ";"))
		{
			pmx_error(ctx, PMX_E_INVALID, "%s holds a \";\": one expression only", what);
			pmx_error_detail(ctx, "Expression: %s", text);
			pmx_error_hint(ctx, "Write one SQL expression; a ';' inside a string belongs in single quotes.");
			return NULL;
		}
		else if (depth == 0 && pmx_tok_punct(&toks[i], ","))
		{
			pmx_error(ctx, PMX_E_INVALID, "%s holds a top-level \",\": one expression only", what);
			pmx_error_detail(ctx, "Expression: %s", text);
			pmx_error_hint(ctx, "Write one SQL expression; in an index, give each element its own entry in \"columns\".");
			return NULL;
		}
	}
	if (depth != 0)
	{
		pmx_error(ctx, PMX_E_INVALID, "%s has unbalanced parentheses", what);
		pmx_error_detail(ctx, "Expression: %s", text);
		pmx_error_hint(ctx, "Close every parenthesis the expression opens.");
		return NULL;
	}
	/*
	 * drop parentheses that wrap the whole expression -- not "()" and not a
	 * row value "(a, b)", which mean something else without them
	 */
	while (last > first + 1 && pmx_tok_punct(&toks[first], "(") &&
		   match_paren(toks, last + 1, first) == last &&
		   !has_top_level_comma(toks, first + 1, last - 1))
	{
		first++;
		last--;
	}

	pmx_buf_init(&b, ctx);
	for (int i = first; i <= last; i++)
	{
		const PmxTok *t = &toks[i];
		const PmxTok *prev = i > first ? &toks[i - 1] : NULL;
		bool		space = prev != NULL && !glue_next;

		glue_next = false;
		if (prev && (pmx_tok_punct(prev, "(") || pmx_tok_punct(prev, ".") ||
					 pmx_tok_punct(prev, "::") || pmx_tok_punct(prev, "~")))
			space = false;
		if (pmx_tok_punct(t, ")") || pmx_tok_punct(t, ",") ||
			pmx_tok_punct(t, ".") || pmx_tok_punct(t, "::"))
			space = false;
		if (pmx_tok_punct(t, "(") && prev && word_calls(prev))
			space = false;
		if ((pmx_tok_punct(t, "-") || pmx_tok_punct(t, "+")) &&
			sign_position(prev))
			glue_next = true;
		if (!space && prev && !glue_is_safe(&b, ctx, last_start, t))
			space = true;		/* "- -1" must not become the comment "--1" */
		if (space)
			pmx_buf_putc(&b, ' ');
		last_start = b.len;
		canon_token(&b, ctx, t);
	}
	return pmx_buf_finish(&b);
}

/* A type name: words, then at most one "(n [, m])"; see pmx_sql.h. */
bool
pmx_sql_valid_type_name(const char *s)
{
	int			words = 0;
	PmxTok		t;

	for (;;)
	{
		t = pmx_sql_next(s, true);
		if (t.type != PMX_TK_WORD)
			break;
		words++;
		s = t.p + t.len;
	}
	if (t.type == PMX_TK_EOF)
		return true;			/* also "": SQLite's typeless column */
	if (words == 0 || !pmx_tok_punct(&t, "("))
		return false;
	for (int n = 0;; n++)
	{
		t = pmx_sql_next(t.p + t.len, true);
		if (pmx_tok_punct(&t, "+") || pmx_tok_punct(&t, "-"))
			t = pmx_sql_next(t.p + t.len, true);
		if (t.type != PMX_TK_NUMBER || n > 1)
			return false;
		t = pmx_sql_next(t.p + t.len, true);
		if (pmx_tok_punct(&t, ")"))
			break;
		if (!pmx_tok_punct(&t, ","))
			return false;
	}
	return pmx_sql_next(t.p + t.len, true).type == PMX_TK_EOF;
}

/*
 * True when a canonical expression is a constant literal SQLite accepts in
 * ALTER TABLE ADD COLUMN: a (signed) number, string, blob, null, true or
 * false.  CURRENT_TIMESTAMP and friends are not.
 */
bool
pmx_sql_expr_is_literal(const char *expr)
{
	const char *s = expr;
	PmxTok		t;

	if (*s == '-' || *s == '+')
		s++;
	t = pmx_sql_next(s, true);
	if (pmx_sql_next(t.p + t.len, true).type != PMX_TK_EOF)
		return false;
	if (t.type == PMX_TK_NUMBER || t.type == PMX_TK_STRING || t.type == PMX_TK_BLOB)
		return true;
	if (s != expr)
		return false;
	return pmx_tok_is(&t, "null") || pmx_tok_is(&t, "true") || pmx_tok_is(&t, "false");
}

/*
 * Replace identifier tokens equal to from[i] (not followed by "(") by the
 * identifier to[i] (raw=false) or the SQL text (to[i]) (raw=true), all at
 * once, then re-canonicalize.  NULL on error.
 */
static char *
replace_idents(PmxCtx *ctx, const char *expr, char *const *from,
			   char *const *to, int n, bool raw)
{
	PmxBuf		b;
	const char *s = expr;
	char	   *out;

	pmx_buf_init(&b, ctx);
	for (;;)
	{
		PmxTok		t = pmx_sql_next(s, false);
		bool		done = false;

		if (t.type == PMX_TK_EOF)
			break;
		if (t.type == PMX_TK_WORD || t.type == PMX_TK_QIDENT)
		{
			PmxTok		next = pmx_sql_next(t.p + t.len, true);

			if (!pmx_tok_punct(&next, "("))
			{
				char	   *name = pmx_tok_ident(ctx, &t);

				for (int i = 0; name && i < n && !done; i++)
					if (pmx_streq_fold(name, from[i]))
					{
						if (raw)
							pmx_buf_appendf(&b, "(%s)", to[i]);
						else
							pmx_buf_ident(&b, to[i]);
						done = true;
					}
			}
		}
		if (!done)
			pmx_buf_append_len(&b, t.p, t.len);
		s = t.p + t.len;
	}
	out = pmx_buf_finish(&b);
	return out ? pmx_sql_canon_expr(ctx, out, "an expression") : NULL;
}

/* Rename identifiers inside an expression (a swap a<->b works). */
char *
pmx_sql_rename_idents(PmxCtx *ctx, const char *expr, char *const *from,
					  char *const *to, int n)
{
	return replace_idents(ctx, expr, from, to, n, false);
}

/* Substitute SQL values for identifiers inside an expression. */
char *
pmx_sql_substitute_idents(PmxCtx *ctx, const char *expr, char *const *from,
						  char *const *to, int n)
{
	return replace_idents(ctx, expr, from, to, n, true);
}

/*
 * True when sql mentions identifier name as a bare or quoted identifier
 * (ASCII case-insensitive).  Conservative: any token that could name the
 * column counts, string literals do not.
 */
bool
pmx_sql_mentions_ident(const char *sql, const char *name)
{
	const char *s = sql;
	size_t		nl = strlen(name);

	for (;;)
	{
		PmxTok		t = pmx_sql_next(s, true);

		if (t.type == PMX_TK_EOF || t.type == PMX_TK_ERROR)
			return t.type == PMX_TK_ERROR;
		if (t.type == PMX_TK_WORD && pmx_tok_is(&t, name))
			return true;
		if (t.type == PMX_TK_QIDENT && t.len >= nl + 2)
		{
			/* compare the unquoted text without allocating */
			char		close = t.p[0] == '[' ? ']' : t.p[0];
			size_t		i = 1,
						j = 0;
			bool		same = true;

			while (i + 1 < t.len && same)
			{
				if (j >= nl || tolower((unsigned char) t.p[i]) !=
					tolower((unsigned char) name[j]))
					same = false;
				if (close != ']' && t.p[i] == close)
					i++;
				i++;
				j++;
			}
			if (same && j == nl)
				return true;
		}
		s = t.p + t.len;
	}
}

/*
 * Split text at top-level ';' into trimmed statements (empty ones
 * dropped).  Returns the count, or -1 with PMX_E_INVALID on an
 * unterminated quote or comment.
 */
int
pmx_sql_split(PmxCtx *ctx, const char *text, char ***out)
{
	char	  **stmts = NULL;
	size_t		n = 0,
				cap = 0;
	const char *s = text;
	const char *start = NULL;
	const char *end = NULL;

	for (;;)
	{
		PmxTok		t = pmx_sql_next(s, true);

		if (t.type == PMX_TK_ERROR)
		{
			pmx_error(ctx, PMX_E_INVALID,
					  "SQL text has an unterminated quote or comment, or a stray character near \"%s\"",
					  pmx_clip(ctx, t.p, 20));
			return -1;
		}
		if (t.type == PMX_TK_EOF || pmx_tok_punct(&t, ";"))
		{
			if (start)
			{
				if (!PMX_PUSH(ctx, stmts, n, cap))
					return -1;
				if (!(stmts[n - 1] = pmx_strndup(ctx, start, (size_t) (end - start))))
					return -1;
			}
			start = NULL;
			if (t.type == PMX_TK_EOF)
				break;
		}
		else
		{
			if (!start)
				start = t.p;
			end = t.p + t.len;
		}
		s = t.p + t.len;
	}
	*out = stmts;
	return (int) n;
}

/* A byte that may start (start) or continue a PostgreSQL identifier. */
bool
pmx_pg_ident_byte(unsigned char c, bool start)
{
	return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(!start && ((c >= '0' && c <= '9') || c == '$'));
}

/*
 * The end of a dollar-quote opening tag at s ('$', then an optional tag
 * of identifier bytes without '$', then '$'), or NULL when s does not open
 * one ("$1" is a parameter).
 */
static const char *
pg_dollar_tag(const char *s)
{
	const char *p = s + 1;

	if (*p != '$')
	{
		if (!pmx_pg_ident_byte((unsigned char) *p, true))
			return NULL;
		while (pmx_pg_ident_byte((unsigned char) *p, false) && *p != '$')
			p++;
		if (*p != '$')
			return NULL;
	}
	return p + 1;
}

/*
 * PostgreSQL's lexical view of an expression: NULL when it is one
 * expression (no ';', no ',' outside brackets, no comment, every quote
 * and bracket closed), else why not.  Follows the server's lexer where a
 * ';' could hide: identifiers (which may hold '$', so "a$b$" opens no
 * dollar quote), E'' strings with backslash escapes (only when the E
 * stands alone), '' and "" quoting, and $tag$ dollar quotes whose tag
 * starts like an identifier (letters, '_', or any byte >= 0x80).
 */
static const char *
pg_expr_problem(const char *s)
{
	int			depth = 0;

	while (*s)
	{
		unsigned char c = (unsigned char) *s;

		if (pmx_pg_ident_byte(c, true))
		{
			const char *w = s;

			while (pmx_pg_ident_byte((unsigned char) *s, false))
				s++;
			if (s - w == 1 && (*w == 'E' || *w == 'e') && *s == '\'')
			{
				/* E'...': backslash escapes, and '' */
				for (s++;; s++)
				{
					if (!*s)
						return "an unterminated string";
					if (*s == '\\' && s[1])
						s++;
					else if (*s == '\'' && s[1] == '\'')
						s++;
					else if (*s == '\'')
						break;
				}
				s++;
			}
		}
		else if (c == '\'')
		{
			for (s++;; s++)
			{
				if (!*s)
					return "an unterminated string";
				if (*s == '\'' && s[1] == '\'')
					s++;
				else if (*s == '\'')
					break;
			}
			s++;
		}
		else if (c == '"')
		{
			for (s++;; s++)
			{
				if (!*s)
					return "an unterminated quoted name";
				if (*s == '"' && s[1] == '"')
					s++;
				else if (*s == '"')
					break;
			}
			s++;
		}
		else if (c == '$' && pg_dollar_tag(s))
		{
			const char *body = pg_dollar_tag(s);
			size_t		taglen = (size_t) (body - s);
			const char *end;

			for (end = body; *end && strncmp(end, s, taglen) != 0; end++)
				;
			if (!*end)
				return "an unterminated dollar quote";
			s = end + taglen;
		}
		else if ((c == '-' && s[1] == '-') || (c == '/' && s[1] == '*'))
			return "a comment";
		else if (c == '(' || c == '[')
			depth++, s++;
		else if (c == ')' || c == ']')
		{
			if (--depth < 0)
				return "unbalanced brackets";
			s++;
		}
		else if (c == ';')
			return "a \";\"";
		else if (c == ',' && depth == 0)
			return "a \",\" outside brackets";
		else
			s++;
	}
	return depth ? "unbalanced brackets" : NULL;
}

/* A target expression as the dialect keeps it; see pmx_sql.h. */
char *
pmx_sql_target_expr(PmxCtx *ctx, PmxDialect d, const char *text, const char *what)
{
	const char *problem;
	size_t		n;

	if (d != PMX_DIALECT_POSTGRES)
		return pmx_sql_canon_expr(ctx, text, what);
	if ((problem = pg_expr_problem(text)))
	{
		pmx_error(ctx, PMX_E_INVALID, "%s is not one PostgreSQL expression: it holds %s", what, problem);
		pmx_error_detail(ctx, "Expression: %s", pmx_clip(ctx, text, 200));
		pmx_error_hint(ctx, "Write one expression, without ';' or comments, with every quote and bracket closed.");
		return NULL;
	}
	while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
		text++;
	n = strlen(text);
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\n' || text[n - 1] == '\r'))
		n--;
	if (n == 0)
	{
		pmx_error(ctx, PMX_E_INVALID, "%s is empty", what);
		pmx_error_hint(ctx, "Give an SQL expression, or leave the key out.");
		return NULL;
	}
	return pmx_strndup(ctx, text, n);
}
