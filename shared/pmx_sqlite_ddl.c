/*-------------------------------------------------------------------------
 *
 * pmx_sqlite_ddl.c
 *	  Recursive-descent reader of SQLite CREATE TABLE / CREATE INDEX text.
 *
 * The text was accepted by SQLite when it was stored, so the reader may
 * be lenient about what SQLite already checked; it must never misread a
 * name or an expression boundary.  It tokenizes once into an array and
 * walks it with an index; every access is bounds-checked against the
 * token count, so truncated or hostile input ends in an error, never a
 * read past the end.
 *
 * IDENTIFICATION
 *	  shared/pmx_sqlite_ddl.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_sql.h"
#include "pmx_sqlite_ddl.h"

typedef struct Parser
{
	PmxCtx	   *ctx;
	PmxTok	   *t;
	int			n;
	int			i;
	const char *sql;
	const char *unmodelled;
} Parser;

static const PmxTok eof_tok = {PMX_TK_EOF, "", 0};

/* The current token (an EOF token past the end). */
static const PmxTok *
cur(Parser *p)
{
	return p->i < p->n ? &p->t[p->i] : &eof_tok;
}

/* The current token is the word w. */
static bool
at_word(Parser *p, const char *w)
{
	return pmx_tok_is(cur(p), w);
}

/* The current token is the punctuation c. */
static bool
at_punct(Parser *p, const char *c)
{
	return pmx_tok_punct(cur(p), c);
}

/* Consume the word w if it is next. */
static bool
accept_word(Parser *p, const char *w)
{
	if (!at_word(p, w))
		return false;
	p->i++;
	return true;
}

/* Consume the punctuation c if it is next. */
static bool
accept_punct(Parser *p, const char *c)
{
	if (!at_punct(p, c))
		return false;
	p->i++;
	return true;
}

/* Record what was expected where; returns PMX_ERROR. */
static int
syntax_error(Parser *p, const char *expected)
{
	const PmxTok *t = cur(p);

	pmx_error(p->ctx, PMX_E_INVALID,
			  "cannot read stored SQL: expected %s at \"%.*s\"", expected,
			  (int) (t->len > 30 ? 30 : t->len), t->p);
	pmx_error_detail(p->ctx, "SQL: %s", pmx_clip(p->ctx, p->sql, 400));
	return PMX_ERROR;
}

/* Consume the word w or fail. */
static int
expect_word(Parser *p, const char *w)
{
	return accept_word(p, w) ? PMX_OK : syntax_error(p, w);
}

/* Consume the punctuation c or fail. */
static int
expect_punct(Parser *p, const char *c)
{
	return accept_punct(p, c) ? PMX_OK : syntax_error(p, c);
}

/* Read an identifier (bare word, quoted name or string); NULL on error. */
static char *
read_name(Parser *p)
{
	const PmxTok *t = cur(p);

	if (t->type != PMX_TK_WORD && t->type != PMX_TK_QIDENT &&
		t->type != PMX_TK_STRING)
	{
		syntax_error(p, "a name");
		return NULL;
	}
	p->i++;
	return pmx_tok_ident(p->ctx, t);
}

/* Note the first unmodelled construct seen. */
static void
unmodelled(Parser *p, const char *what)
{
	if (!p->unmodelled)
		p->unmodelled = what;
}

/*
 * Skip a balanced run up to (not including) a top-level ',' or ')', or
 * one of the stop words at depth 0.  Returns the index after the run.
 */
static int
skip_until(Parser *p, const char *const *stop_words)
{
	int			depth = 0;

	while (p->i < p->n)
	{
		const PmxTok *t = cur(p);

		if (pmx_tok_punct(t, "("))
			depth++;
		else if (pmx_tok_punct(t, ")"))
		{
			if (depth == 0)
				break;
			depth--;
		}
		else if (depth == 0 && pmx_tok_punct(t, ","))
			break;
		else if (depth == 0 && stop_words)
		{
			bool		stop = false;

			for (int k = 0; stop_words[k]; k++)
				if (pmx_tok_is(t, stop_words[k]))
					stop = true;
			if (stop)
				break;
		}
		p->i++;
	}
	return p->i;
}

/* Canonical text of tokens [from, to). NULL on error. */
static char *
span_canon(Parser *p, int from, int to, const char *what)
{
	const char *start,
			   *end;
	char	   *text;

	if (to <= from)
	{
		syntax_error(p, what);
		return NULL;
	}
	start = p->t[from].p;
	end = p->t[to - 1].p + p->t[to - 1].len;
	text = pmx_strndup(p->ctx, start, (size_t) (end - start));
	if (!text)
		return NULL;
	return pmx_sql_canon_expr(p->ctx, text, what);
}

/* Read "( expr )" and return the canonical expr. */
static char *
read_paren_expr(Parser *p, const char *what)
{
	int			from,
				to;

	if (expect_punct(p, "(") != PMX_OK)
		return NULL;
	from = p->i;
	to = skip_until(p, NULL);
	if (expect_punct(p, ")") != PMX_OK)
		return NULL;
	return span_canon(p, from, to, what);
}

/* Optional ON CONFLICT clause. */
static int
read_conflict(Parser *p)
{
	if (at_word(p, "on") && p->i + 1 < p->n && pmx_tok_is(&p->t[p->i + 1], "conflict"))
	{
		p->i += 2;
		unmodelled(p, "an ON CONFLICT clause");
		if (cur(p)->type != PMX_TK_WORD)
			return syntax_error(p, "a conflict resolution");
		p->i++;
	}
	return PMX_OK;
}

/* Append a name to a char** list. */
static int
push_name(PmxCtx *ctx, char ***v, int *n, char *name)
{
	char	  **nv = pmx_grow(ctx, *v, (size_t) *n, (size_t) *n + 1, sizeof(char *));

	if (!nv)
		return PMX_ERROR;
	nv[(*n)++] = name;
	*v = nv;
	return PMX_OK;
}

/*
 * Read "( indexed-column, ... )" of a PK/UNIQUE into names.  Elements
 * that are not a bare column, or carry COLLATE / ASC / DESC, are noted as
 * unmodelled (premix's keys are plain column lists).
 */
static int
read_key_columns(Parser *p, char ***cols, int *ncols)
{
	if (expect_punct(p, "(") != PMX_OK)
		return PMX_ERROR;
	for (;;)
	{
		int			from = p->i;
		char	   *name;

		if (!(name = read_name(p)))
			return PMX_ERROR;
		if (accept_word(p, "collate"))
		{
			unmodelled(p, "a COLLATE inside a key");
			if (!read_name(p))
				return PMX_ERROR;
		}
		if (accept_word(p, "desc"))
			unmodelled(p, "a DESC key column");
		else
			accept_word(p, "asc");
		if (!at_punct(p, ",") && !at_punct(p, ")"))
		{
			unmodelled(p, "an expression in a key");
			p->i = from;
			skip_until(p, NULL);
		}
		if (push_name(p->ctx, cols, ncols, name) != PMX_OK)
			return PMX_ERROR;
		if (accept_punct(p, ","))
			continue;
		return expect_punct(p, ")");
	}
}

/* Read a plain "( name, ... )" list. */
static int
read_name_list(Parser *p, char ***cols, int *ncols)
{
	if (expect_punct(p, "(") != PMX_OK)
		return PMX_ERROR;
	for (;;)
	{
		char	   *name = read_name(p);

		if (!name || push_name(p->ctx, cols, ncols, name) != PMX_OK)
			return PMX_ERROR;
		if (accept_punct(p, ","))
			continue;
		return expect_punct(p, ")");
	}
}

/* Read the clause after REFERENCES into c. */
static int
read_fk_clause(Parser *p, PmxDdlCons *c)
{
	if (!(c->ref_table = read_name(p)))
		return PMX_ERROR;
	if (at_punct(p, "(") &&
		read_name_list(p, &c->ref_cols, &c->nref_cols) != PMX_OK)
		return PMX_ERROR;
	for (;;)
	{
		if (accept_word(p, "on"))
		{
			if (!accept_word(p, "delete") && !accept_word(p, "update"))
				return syntax_error(p, "DELETE or UPDATE");
			if (accept_word(p, "set"))
			{
				if (!accept_word(p, "null") && !accept_word(p, "default"))
					return syntax_error(p, "NULL or DEFAULT");
			}
			else if (accept_word(p, "no"))
			{
				if (expect_word(p, "action") != PMX_OK)
					return PMX_ERROR;
			}
			else if (!accept_word(p, "cascade") && !accept_word(p, "restrict"))
				return syntax_error(p, "a foreign key action");
		}
		else if (accept_word(p, "match"))
		{
			if (!read_name(p))
				return PMX_ERROR;
		}
		else
			break;
	}
	if (at_word(p, "not") && p->i + 1 < p->n && pmx_tok_is(&p->t[p->i + 1], "deferrable"))
		p->i += 2;
	else if (accept_word(p, "deferrable"))
	{
		bool		deferred = false;

		if (accept_word(p, "initially"))
		{
			if (accept_word(p, "deferred"))
				deferred = true;
			else if (!accept_word(p, "immediate"))
				return syntax_error(p, "DEFERRED or IMMEDIATE");
		}
		if (deferred)
			unmodelled(p, "a DEFERRABLE INITIALLY DEFERRED foreign key");
		return PMX_OK;
	}
	if (accept_word(p, "initially"))
	{
		if (!accept_word(p, "deferred") && !accept_word(p, "immediate"))
			return syntax_error(p, "DEFERRED or IMMEDIATE");
	}
	return PMX_OK;
}

/* Add a constraint record to tab. */
static PmxDdlCons *
add_cons(Parser *p, PmxDdlTable *tab, PmxDdlConsKind kind, char *name, int column)
{
	PmxDdlCons *v = pmx_grow(p->ctx, tab->cons, (size_t) tab->ncons,
							 (size_t) tab->ncons + 1, sizeof(PmxDdlCons));

	if (!v)
		return NULL;
	tab->cons = v;
	v = &tab->cons[tab->ncons++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->name = name;
	v->column = column;
	return v;
}

static const char *const column_stop[] = {
	"constraint", "primary", "not", "null", "unique", "check", "default",
	"collate", "references", "generated", "as", NULL
};

/* Read one column definition (index ci) and its constraints. */
static int
read_column_def(Parser *p, PmxDdlTable *tab, int ci)
{
	PmxDdlColumn *col = &tab->cols[ci];

	if (!(col->name = read_name(p)))
		return PMX_ERROR;
	skip_until(p, column_stop);	/* the type name, read from the pragma */
	for (;;)
	{
		char	   *cname = NULL;
		PmxDdlCons *c;

		if (accept_word(p, "constraint"))
		{
			if (!(cname = read_name(p)))
				return PMX_ERROR;
		}
		if (accept_word(p, "primary"))
		{
			if (expect_word(p, "key") != PMX_OK)
				return PMX_ERROR;
			if (accept_word(p, "desc"))
				unmodelled(p, "a PRIMARY KEY DESC column");
			else
				accept_word(p, "asc");
			if (read_conflict(p) != PMX_OK)
				return PMX_ERROR;
			if (accept_word(p, "autoincrement"))
				col->autoincrement = true;
			if (!(c = add_cons(p, tab, PMX_DDL_PK, cname, ci)) ||
				push_name(p->ctx, &c->cols, &c->ncols, col->name) != PMX_OK)
				return PMX_ERROR;
		}
		else if (accept_word(p, "not"))
		{
			if (expect_word(p, "null") != PMX_OK || read_conflict(p) != PMX_OK)
				return PMX_ERROR;
		}
		else if (accept_word(p, "null"))
		{
			if (read_conflict(p) != PMX_OK)
				return PMX_ERROR;
		}
		else if (accept_word(p, "unique"))
		{
			if (read_conflict(p) != PMX_OK ||
				!(c = add_cons(p, tab, PMX_DDL_UNIQUE, cname, ci)) ||
				push_name(p->ctx, &c->cols, &c->ncols, col->name) != PMX_OK)
				return PMX_ERROR;
		}
		else if (accept_word(p, "check"))
		{
			if (!(c = add_cons(p, tab, PMX_DDL_CHECK, cname, ci)) ||
				!(c->expr = read_paren_expr(p, "a CHECK expression")))
				return PMX_ERROR;
		}
		else if (accept_word(p, "default"))
		{
			/* the value comes from the pragma; skip it */
			if (at_punct(p, "("))
			{
				if (!read_paren_expr(p, "a DEFAULT expression"))
					return PMX_ERROR;
			}
			else
			{
				if (at_punct(p, "-") || at_punct(p, "+"))
					p->i++;
				if (cur(p)->type == PMX_TK_EOF)
					return syntax_error(p, "a default value");
				p->i++;
			}
		}
		else if (accept_word(p, "collate"))
		{
			char	   *coll = read_name(p);

			if (!coll || !(col->collate = pmx_upper(p->ctx, coll)))
				return PMX_ERROR;
		}
		else if (accept_word(p, "references"))
		{
			if (!(c = add_cons(p, tab, PMX_DDL_FK, cname, ci)) ||
				push_name(p->ctx, &c->cols, &c->ncols, col->name) != PMX_OK ||
				read_fk_clause(p, c) != PMX_OK)
				return PMX_ERROR;
		}
		else if (at_word(p, "generated") || at_word(p, "as"))
		{
			if (accept_word(p, "generated") && expect_word(p, "always") != PMX_OK)
				return PMX_ERROR;
			if (expect_word(p, "as") != PMX_OK || !read_paren_expr(p, "a generated column expression"))
				return PMX_ERROR;
			if (!accept_word(p, "stored"))
				accept_word(p, "virtual");
			col->generated = true;
			unmodelled(p, "a generated column");
		}
		else if (cname)
			return syntax_error(p, "a constraint after CONSTRAINT name");
		else
			break;
	}
	return PMX_OK;
}

/* Read one table constraint. */
static int
read_table_cons(Parser *p, PmxDdlTable *tab)
{
	char	   *cname = NULL;
	PmxDdlCons *c;

	if (accept_word(p, "constraint") && !(cname = read_name(p)))
		return PMX_ERROR;
	if (accept_word(p, "primary"))
	{
		if (expect_word(p, "key") != PMX_OK ||
			!(c = add_cons(p, tab, PMX_DDL_PK, cname, -1)) ||
			read_key_columns(p, &c->cols, &c->ncols) != PMX_OK)
			return PMX_ERROR;
		return read_conflict(p);
	}
	if (accept_word(p, "unique"))
	{
		if (!(c = add_cons(p, tab, PMX_DDL_UNIQUE, cname, -1)) ||
			read_key_columns(p, &c->cols, &c->ncols) != PMX_OK)
			return PMX_ERROR;
		return read_conflict(p);
	}
	if (accept_word(p, "check"))
	{
		if (!(c = add_cons(p, tab, PMX_DDL_CHECK, cname, -1)) ||
			!(c->expr = read_paren_expr(p, "a CHECK expression")))
			return PMX_ERROR;
		return PMX_OK;
	}
	if (accept_word(p, "foreign"))
	{
		if (expect_word(p, "key") != PMX_OK ||
			!(c = add_cons(p, tab, PMX_DDL_FK, cname, -1)) ||
			read_name_list(p, &c->cols, &c->ncols) != PMX_OK ||
			expect_word(p, "references") != PMX_OK)
			return PMX_ERROR;
		return read_fk_clause(p, c);
	}
	return syntax_error(p, "a table constraint");
}

/* Tokenize sql into p; PMX_ERROR on a lexical error. */
static int
parser_init(Parser *p, PmxCtx *ctx, const char *sql)
{
	const char *s = sql;
	int			cap = 0;

	memset(p, 0, sizeof(*p));
	p->ctx = ctx;
	p->sql = sql;
	for (;;)
	{
		PmxTok		t = pmx_sql_next(s, true);

		if (t.type == PMX_TK_EOF)
			return PMX_OK;
		if (t.type == PMX_TK_ERROR)
		{
			pmx_error(ctx, PMX_E_INVALID, "cannot read stored SQL: unterminated quote or comment");
			pmx_error_detail(ctx, "SQL: %s", pmx_clip(ctx, sql, 400));
			return PMX_ERROR;
		}
		if (!PMX_PUSH(ctx, p->t, p->n, cap))
			return PMX_ERROR;
		p->t[p->n - 1] = t;
		s = t.p + t.len;
	}
}

/* Skip "[schema .] name" and return name. */
static char *
read_qualified_name(Parser *p)
{
	char	   *name = read_name(p);

	if (name && accept_punct(p, "."))
		name = read_name(p);
	return name;
}

/* Parse CREATE TABLE text; see pmx_sqlite_ddl.h. */
PmxDdlTable *
pmx_sqlite_parse_table(PmxCtx *ctx, const char *sql)
{
	Parser		p;
	PmxDdlTable *tab;
	int			capcols = 0;

	if (parser_init(&p, ctx, sql) != PMX_OK ||
		!(tab = pmx_alloc(ctx, sizeof(PmxDdlTable))))
		return NULL;
	if (expect_word(&p, "create") != PMX_OK)
		return NULL;
	if (!accept_word(&p, "temp"))
		accept_word(&p, "temporary");
	if (expect_word(&p, "table") != PMX_OK)
		return NULL;
	if (at_word(&p, "if"))
	{
		p.i++;
		if (expect_word(&p, "not") != PMX_OK || expect_word(&p, "exists") != PMX_OK)
			return NULL;
	}
	if (!(tab->name = read_qualified_name(&p)))
		return NULL;
	if (accept_word(&p, "as"))
	{
		tab->unmodelled = "CREATE TABLE ... AS SELECT";
		return tab;
	}
	if (expect_punct(&p, "(") != PMX_OK)
		return NULL;
	for (;;)
	{
		if (at_word(&p, "constraint") || at_word(&p, "primary") ||
			at_word(&p, "unique") || at_word(&p, "check") ||
			at_word(&p, "foreign"))
		{
			if (read_table_cons(&p, tab) != PMX_OK)
				return NULL;
		}
		else
		{
			if (!PMX_PUSH(ctx, tab->cols, tab->ncols, capcols))
				return NULL;
			memset(&tab->cols[tab->ncols - 1], 0, sizeof(PmxDdlColumn));
			if (read_column_def(&p, tab, tab->ncols - 1) != PMX_OK)
				return NULL;
		}
		if (accept_punct(&p, ","))
			continue;
		if (expect_punct(&p, ")") != PMX_OK)
			return NULL;
		break;
	}
	for (;;)
	{
		if (accept_word(&p, "without"))
		{
			if (expect_word(&p, "rowid") != PMX_OK)
				return NULL;
			tab->without_rowid = true;
		}
		else if (accept_word(&p, "strict"))
			tab->strict = true;
		else
			break;
		if (!accept_punct(&p, ","))
			break;
	}
	if (cur(&p)->type != PMX_TK_EOF && !at_punct(&p, ";"))
	{
		syntax_error(&p, "the end of CREATE TABLE");
		return NULL;
	}
	tab->unmodelled = p.unmodelled;
	return tab;
}

/* Parse CREATE INDEX text; see pmx_sqlite_ddl.h. */
PmxDdlIndex *
pmx_sqlite_parse_index(PmxCtx *ctx, const char *sql)
{
	Parser		p;
	PmxDdlIndex *ix;

	if (parser_init(&p, ctx, sql) != PMX_OK ||
		!(ix = pmx_alloc(ctx, sizeof(PmxDdlIndex))))
		return NULL;
	if (expect_word(&p, "create") != PMX_OK)
		return NULL;
	ix->unique = accept_word(&p, "unique");
	if (expect_word(&p, "index") != PMX_OK)
		return NULL;
	if (at_word(&p, "if"))
	{
		p.i++;
		if (expect_word(&p, "not") != PMX_OK || expect_word(&p, "exists") != PMX_OK)
			return NULL;
	}
	if (!(ix->name = read_qualified_name(&p)) || expect_word(&p, "on") != PMX_OK ||
		!(ix->table = read_name(&p)) || expect_punct(&p, "(") != PMX_OK)
		return NULL;
	for (;;)
	{
		int			from = p.i,
					to = skip_until(&p, NULL);
		char	   *elem;

		if (to == from + 1 && (p.t[from].type == PMX_TK_WORD ||
							   p.t[from].type == PMX_TK_QIDENT ||
							   p.t[from].type == PMX_TK_STRING))
			elem = pmx_tok_ident(ctx, &p.t[from]);
		else
			elem = span_canon(&p, from, to, "an index element");
		if (!elem || push_name(ctx, &ix->elems, &ix->nelems, elem) != PMX_OK)
			return NULL;
		if (accept_punct(&p, ","))
			continue;
		if (expect_punct(&p, ")") != PMX_OK)
			return NULL;
		break;
	}
	if (accept_word(&p, "where"))
	{
		int			from = p.i;

		while (p.i < p.n && !at_punct(&p, ";"))
			p.i++;
		if (!(ix->where = span_canon(&p, from, p.i, "an index predicate")))
			return NULL;
	}
	return ix;
}

/* First keywords of a statement, lower-cased; see pmx_sqlite_ddl.h. */
char *
pmx_sqlite_stmt_kind(PmxCtx *ctx, const char *sql)
{
	PmxBuf		b;
	const char *s = sql;

	pmx_buf_init(&b, ctx);
	for (int k = 0; k < 3; k++)
	{
		PmxTok		t = pmx_sql_next(s, true);

		if (t.type != PMX_TK_WORD)
			break;
		if (k)
			pmx_buf_putc(&b, ' ');
		for (size_t i = 0; i < t.len; i++)
		{
			char		c = t.p[i];

			pmx_buf_putc(&b, (c >= 'A' && c <= 'Z') ? (char) (c + 32) : c);
		}
		s = t.p + t.len;
		if (k == 1 && !pmx_tok_is(&t, "unique") && !pmx_tok_is(&t, "temp") &&
			!pmx_tok_is(&t, "temporary") && !pmx_tok_is(&t, "virtual"))
			break;
	}
	return pmx_buf_finish(&b);
}
