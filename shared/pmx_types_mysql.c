/*-------------------------------------------------------------------------
 *
 * pmx_types_mysql.c
 *	  Portable types on MySQL/MariaDB: how premix spells them, and the
 *	  portable name for what information_schema reports.
 *
 *	 portable		MariaDB				report back
 *	 smallint		SMALLINT			smallint(6)		-> smallint
 *	 integer		INT					int(11)			-> integer
 *	 bigint			BIGINT				bigint(20)		-> bigint
 *	 boolean		TINYINT(1)			tinyint(1)		-> boolean
 *	 real, double	FLOAT, DOUBLE		float, double
 *	 numeric(p,s)	DECIMAL(p,s)		decimal(p,s)	-> numeric(p,s)
 *	 numeric		DECIMAL(65,30)		(MySQL has no unbounded decimal)
 *	 text			LONGTEXT			*text			-> text
 *	 varchar(n)		VARCHAR(n)			n characters, as everywhere
 *	 char(n)		CHAR(n)
 *	 bytes			LONGBLOB			*blob, varbinary -> bytes
 *	 date, time		DATE, TIME(6)
 *	 timestamp		DATETIME(6)			datetime(6)		-> timestamp
 *	 timestamptz	TIMESTAMP(6)		(stored in UTC, shown in the
 *										session's time zone; 1970-2038)
 *	 uuid			UUID				(MariaDB 10.7+)
 *	 json, jsonb	JSON				longtext + CHECK (json_valid(c))
 *										-> json
 * Anything else is passed through as written.
 *
 * IDENTIFICATION
 *	  shared/pmx_types_mysql.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>

#include "pmx_model.h"
#include "pmx_sql.h"
#include "pmx_types.h"

/* See pmx_types.h. */
char *
pmx_mysql_type_render(PmxCtx *ctx, const char *type)
{
	PmxType		t = pmx_type_parse(type);

	switch (t.kind)
	{
		case PMX_T_SMALLINT:
			return pmx_strdup(ctx, "SMALLINT");
		case PMX_T_INTEGER:
			return pmx_strdup(ctx, "INT");
		case PMX_T_BIGINT:
			return pmx_strdup(ctx, "BIGINT");
		case PMX_T_BOOLEAN:
			return pmx_strdup(ctx, "TINYINT(1)");
		case PMX_T_REAL:
			return pmx_strdup(ctx, "FLOAT");
		case PMX_T_DOUBLE:
			return pmx_strdup(ctx, "DOUBLE");
		case PMX_T_NUMERIC:
			if (t.len < 0)
				return pmx_strdup(ctx, "DECIMAL(65,30)");
			return t.scale < 0 ? pmx_sprintf(ctx, "DECIMAL(%d)", t.len)
				: pmx_sprintf(ctx, "DECIMAL(%d,%d)", t.len, t.scale);
		case PMX_T_TEXT:
			return pmx_strdup(ctx, "LONGTEXT");
		case PMX_T_VARCHAR:
			return pmx_sprintf(ctx, "VARCHAR(%d)", t.len);
		case PMX_T_CHAR:
			return pmx_sprintf(ctx, "CHAR(%d)", t.len);
		case PMX_T_BYTES:
			return pmx_strdup(ctx, "LONGBLOB");
		case PMX_T_DATE:
			return pmx_strdup(ctx, "DATE");
		case PMX_T_TIME:
			return pmx_strdup(ctx, "TIME(6)");
		case PMX_T_TIMESTAMP:
			return pmx_strdup(ctx, "DATETIME(6)");
		case PMX_T_TIMESTAMPTZ:
			return pmx_strdup(ctx, "TIMESTAMP(6)");
		case PMX_T_UUID:
			return pmx_strdup(ctx, "UUID");
		case PMX_T_JSON:
		case PMX_T_JSONB:
			return pmx_strdup(ctx, "JSON");
		case PMX_T_OTHER:
			break;
	}
	if (!pmx_mysql_valid_type_name(type))
	{
		pmx_error(ctx, PMX_E_INVALID, "\"%s\" is not a MySQL type name", type);
		pmx_error_hint(ctx, "Use a portable type (integer, varchar(50), json, ...) or a MySQL type such as MEDIUMINT.");
		return NULL;
	}
	return pmx_strdup(ctx, type);
}

/* s with ASCII letters folded to lower case, in the arena. */
static char *
lower(PmxCtx *ctx, const char *s)
{
	char	   *out = pmx_strdup(ctx, s);

	for (char *p = out; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char) (*p + 32);
	return out;
}

/* True when s starts with word w followed by "(", " " or the end. */
static bool
starts_word(const char *s, const char *w)
{
	size_t		n = strlen(w);

	return strncmp(s, w, n) == 0 && (s[n] == '\0' || s[n] == '(' || s[n] == ' ');
}

/* See pmx_types.h. */
char *
pmx_mysql_type_report(PmxCtx *ctx, const char *column_type)
{
	char	   *t = lower(ctx, column_type);
	int			p,
				s;

	if (!t)
		return NULL;
	if (starts_word(t, "enum") || starts_word(t, "set"))
	{
		/* labels keep their case: only the keyword is folded */
		size_t		kw = starts_word(t, "enum") ? 4 : 3;

		return pmx_sprintf(ctx, "%.*s%s", (int) kw, t, column_type + kw);
	}
	if (strstr(t, "unsigned") || strstr(t, "zerofill"))
		return t;				/* no portable type holds these ranges */
	if (strcmp(t, "tinyint(1)") == 0 || strcmp(t, "boolean") == 0 || strcmp(t, "bool") == 0)
		return pmx_strdup(ctx, "boolean");
	if (starts_word(t, "smallint"))
		return pmx_strdup(ctx, "smallint");
	if (starts_word(t, "int") || starts_word(t, "integer"))
		return pmx_strdup(ctx, "integer");
	if (starts_word(t, "bigint"))
		return pmx_strdup(ctx, "bigint");
	if (strcmp(t, "float") == 0)
		return pmx_strdup(ctx, "real");
	if (strcmp(t, "double") == 0 || strcmp(t, "double precision") == 0)
		return pmx_strdup(ctx, "double");
	if (strcmp(t, "decimal(65,30)") == 0)
		return pmx_strdup(ctx, "numeric");
	if (sscanf(t, "decimal(%d,%d)", &p, &s) == 2)
		return pmx_sprintf(ctx, "numeric(%d,%d)", p, s);
	if (strcmp(t, "text") == 0 || strcmp(t, "tinytext") == 0 || strcmp(t, "mediumtext") == 0 ||
		strcmp(t, "longtext") == 0)
		return pmx_strdup(ctx, "text");
	if (starts_word(t, "varchar") || starts_word(t, "char"))
		return t;
	if (strcmp(t, "blob") == 0 || strcmp(t, "tinyblob") == 0 || strcmp(t, "mediumblob") == 0 ||
		strcmp(t, "longblob") == 0)
		return pmx_strdup(ctx, "bytes");
	if (strcmp(t, "date") == 0)
		return t;
	if (starts_word(t, "time"))
		return pmx_strdup(ctx, "time");
	if (starts_word(t, "datetime"))
		return pmx_strdup(ctx, "timestamp");
	if (starts_word(t, "timestamp"))
		return pmx_strdup(ctx, "timestamptz");
	if (strcmp(t, "uuid") == 0)
		return t;
	if (strcmp(t, "json") == 0)
		return t;
	return t;
}

/*
 * The column a MariaDB JSON check guards -- json_valid(c), with c bare or
 * quoted (` or ") as the expression reader left it -- else NULL.
 */
static char *
json_check_column(PmxCtx *ctx, const char *expr)
{
	const char *p = expr;
	size_t		n;

	if (strncmp(p, "json_valid(", 11) != 0)
		return NULL;
	p += 11;
	n = strlen(p);
	if (n < 2 || p[n - 1] != ')')
		return NULL;
	n--;
	if (n >= 2 && (p[0] == '`' || p[0] == '"') && p[n - 1] == p[0])
	{
		p++;
		n -= 2;
	}
	if (n == 0 || memchr(p, '`', n) || memchr(p, '"', n) || memchr(p, '(', n))
		return NULL;
	return pmx_strndup(ctx, p, n);
}

/*
 * True when expr reads the time of the insert as MariaDB spells it in any
 * precision: current_timestamp, current_timestamp(), current_timestamp(6)
 * (any case, blanks before the parenthesis), now(...), localtimestamp.
 */
static bool
is_insert_time(const char *expr)
{
	static const char *const names[] = {"current_timestamp", "localtimestamp", "now", NULL};
	const char *p = expr;

	for (int i = 0; names[i]; i++)
	{
		size_t		n = strlen(names[i]),
					k = 0;

		while (k < n && (expr[k] >= 'A' && expr[k] <= 'Z' ? expr[k] + 32 : expr[k]) == names[i][k])
			k++;
		if (k < n)
			continue;
		p = expr + n;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return i != 2;		/* now needs its parentheses */
		if (*p++ != '(')
			return false;
		while (*p == ' ' || (*p >= '0' && *p <= '9'))
			p++;
		return p[0] == ')' && p[1] == '\0';
	}
	return false;
}

/* See pmx_types.h. */
void
pmx_mysql_fold_equivalents(PmxSchema *s)
{
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable   *t = s->tables[i];

		for (int c = 0; c < t->ncols; c++)
			if (t->cols[c].default_expr && is_insert_time(t->cols[c].default_expr))
				t->cols[c].default_expr = "current_timestamp";
		for (int k = 0; k < t->nfks; k++)
		{
			if (t->fks[k].on_delete && strcmp(t->fks[k].on_delete, "restrict") == 0)
				t->fks[k].on_delete = "no action";
			if (t->fks[k].on_update && strcmp(t->fks[k].on_update, "restrict") == 0)
				t->fks[k].on_update = "no action";
		}
	}
}

/* See pmx_types.h. */
int
pmx_mysql_normalize(PmxCtx *ctx, PmxSchema *s)
{
	pmx_mysql_fold_equivalents(s);
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable   *t = s->tables[i];
		int			kept = 0;

		for (int c = 0; c < t->ncols; c++)
			if (!(t->cols[c].type = pmx_mysql_type_report(ctx, t->cols[c].type)))
				return PMX_ERROR;
		/* MariaDB's JSON is LONGTEXT plus CHECK (json_valid(col)) */
		for (int k = 0; k < t->nchecks; k++)
		{
			char	   *col = json_check_column(ctx, t->checks[k].expr);
			PmxColumn  *c = col ? pmx_table_find_column(ctx, PMX_DIALECT_MYSQL, t, col) : NULL;

			if (c && strcmp(c->type, "text") == 0)
				c->type = "json";
			else
				t->checks[kept++] = t->checks[k];
		}
		t->nchecks = kept;
	}
	return PMX_OK;
}

/* True when s is "enum(" or "set(" followed by string labels and ")". */
static bool
valid_label_list(const char *s)
{
	PmxTok		t = pmx_sql_next(s, true);

	if (!(pmx_tok_is(&t, "enum") || pmx_tok_is(&t, "set")))
		return false;
	t = pmx_sql_next(t.p + t.len, true);
	if (!pmx_tok_punct(&t, "("))
		return false;
	for (;;)
	{
		t = pmx_sql_next(t.p + t.len, true);
		if (t.type != PMX_TK_STRING)
			return false;
		t = pmx_sql_next(t.p + t.len, true);
		if (pmx_tok_punct(&t, ")"))
			break;
		if (!pmx_tok_punct(&t, ","))
			return false;
	}
	return pmx_sql_next(t.p + t.len, true).type == PMX_TK_EOF;
}

/* See pmx_types.h. */
bool
pmx_mysql_valid_type_name(const char *s)
{
	static const char *const tails[] = {" unsigned zerofill", " zerofill", " unsigned", NULL};
	size_t		n = strlen(s);
	char		head[256];

	if (valid_label_list(s))
		return true;
	for (int i = 0; tails[i]; i++)
	{
		size_t		k = strlen(tails[i]);

		if (n > k && n - k < sizeof(head) && pmx_streq_fold(s + n - k, tails[i]))
		{
			memcpy(head, s, n - k);
			head[n - k] = '\0';
			return pmx_sql_valid_type_name(head);
		}
	}
	return pmx_sql_valid_type_name(s);
}

/* The labels of an enum(...)/set(...) type, unquoted; n = -1 if not one. */
static char **
labels_of(PmxCtx *ctx, const char *type, int *n)
{
	PmxTok		t;
	char	  **v;
	int			cap = 8;

	*n = -1;
	if (!valid_label_list(type))
		return NULL;
	if (!(v = pmx_alloc(ctx, sizeof(char *) * (size_t) cap)))
		return NULL;
	*n = 0;
	t = pmx_sql_next(type, true);	/* enum */
	t = pmx_sql_next(t.p + t.len, true);	/* ( */
	for (;;)
	{
		t = pmx_sql_next(t.p + t.len, true);
		if (*n == cap)
		{
			char	  **w = pmx_alloc(ctx, sizeof(char *) * (size_t) cap * 2);

			if (!w)
				return NULL;
			memcpy(w, v, sizeof(char *) * (size_t) cap);
			v = w;
			cap *= 2;
		}
		if (!(v[(*n)++] = pmx_tok_ident(ctx, &t)))
			return NULL;
		t = pmx_sql_next(t.p + t.len, true);
		if (pmx_tok_punct(&t, ")"))
			return v;
	}
}

/* Integer range of a portable integer kind; false for other kinds. */
static bool
int_range(PmxTypeKind k, long long *lo, long long *hi)
{
	switch (k)
	{
		case PMX_T_BOOLEAN:
			*lo = -128, *hi = 127;	/* TINYINT(1) */
			return true;
		case PMX_T_SMALLINT:
			*lo = -32768, *hi = 32767;
			return true;
		case PMX_T_INTEGER:
			*lo = -2147483648LL, *hi = 2147483647LL;
			return true;
		case PMX_T_BIGINT:
			*lo = (-9223372036854775807LL - 1), *hi = 9223372036854775807LL;
			return true;
		default:
			return false;
	}
}

/* The family a type's values live in, for "is this a conversion". */
static int
family(PmxTypeKind k)
{
	switch (k)
	{
		case PMX_T_BOOLEAN:
		case PMX_T_SMALLINT:
		case PMX_T_INTEGER:
		case PMX_T_BIGINT:
		case PMX_T_NUMERIC:
			return 1;
		case PMX_T_REAL:
		case PMX_T_DOUBLE:
			return 2;
		case PMX_T_TEXT:
		case PMX_T_VARCHAR:
		case PMX_T_CHAR:
		case PMX_T_JSON:
		case PMX_T_JSONB:
			return 3;
		case PMX_T_BYTES:
			return 4;
		case PMX_T_DATE:
		case PMX_T_TIMESTAMP:
		case PMX_T_TIMESTAMPTZ:
			return 5;
		default:
			return 6 + (int) k;
	}
}

/*
 * The length-byte class of VARCHAR(n) whatever its character set (1 to 4
 * bytes a character): 1 when it always fits 255 bytes, 2 when it never
 * does, 0 when the character set decides.
 */
static int
length_bytes(int n)
{
	return n <= 63 ? 1 : n >= 256 ? 2 : 0;
}

/* Enum/set label changes; see pmx_mysql_type_change. */
static PmxTypeChange
label_change(PmxCtx *ctx, char **a, int na, char **b, int nb, const char *q,
			 char **violation, bool *instant)
{
	PmxBuf		gone;
	int			ngone = 0;
	bool		prefix = nb >= na;

	for (int i = 0; i < na && prefix; i++)
		prefix = strcmp(a[i], b[i]) == 0;
	if (prefix)
	{
		*instant = true;		/* labels appended: metadata only */
		return PMX_TC_WIDEN;
	}
	pmx_buf_init(&gone, ctx);
	pmx_buf_appendf(&gone, "%s IN (", q);
	for (int i = 0; i < na; i++)
	{
		bool		kept = false;

		for (int k = 0; k < nb && !kept; k++)
			kept = strcmp(a[i], b[k]) == 0;
		if (kept)
			continue;
		if (ngone++)
			pmx_buf_append(&gone, ", ");
		pmx_buf_literal(&gone, a[i]);
	}
	pmx_buf_putc(&gone, ')');
	if (ngone == 0)
		return PMX_TC_WIDEN;	/* reordered or inserted: values kept, a copy */
	*violation = pmx_buf_finish(&gone);
	return PMX_TC_NARROW;
}

/* See pmx_types.h. */
PmxTypeChange
pmx_mysql_type_change(PmxCtx *ctx, const char *old_t, const char *new_t,
					  const char *colname, char **violation, bool *instant)
{
	PmxType		a = pmx_type_parse(old_t);
	PmxType		b = pmx_type_parse(new_t);
	char	   *q = pmx_quote_ident(ctx, colname);
	long long	alo,
				ahi,
				blo,
				bhi;
	char	  **la,
			  **lb;
	int			na,
				nb;

	*violation = NULL;
	*instant = false;
	if (!q)
		return PMX_TC_CONVERT;
	la = labels_of(ctx, old_t, &na);
	lb = labels_of(ctx, new_t, &nb);
	if (na >= 0 && nb >= 0)
		return label_change(ctx, la, na, lb, nb, q, violation, instant);
	if (nb >= 0)
	{
		/* into an enum: every value must be one of its labels */
		PmxBuf		in;

		pmx_buf_init(&in, ctx);
		pmx_buf_appendf(&in, "%s NOT IN (", q);
		for (int i = 0; i < nb; i++)
		{
			if (i)
				pmx_buf_append(&in, ", ");
			pmx_buf_literal(&in, lb[i]);
		}
		pmx_buf_putc(&in, ')');
		*violation = pmx_buf_finish(&in);
		return family(a.kind) == 3 ? PMX_TC_CONSTRAIN : PMX_TC_CONVERT;
	}
	if (na >= 0)
		return b.kind == PMX_T_TEXT || b.kind == PMX_T_VARCHAR ? PMX_TC_WIDEN : PMX_TC_CONVERT;

	if (int_range(b.kind, &blo, &bhi))
	{
		if (b.kind == PMX_T_BOOLEAN && a.kind != PMX_T_BOOLEAN)
		{
			*violation = pmx_sprintf(ctx, "%s NOT IN (0, 1)", q);
			return family(a.kind) == 1 ? PMX_TC_CONSTRAIN : PMX_TC_CONVERT;
		}
		if (int_range(a.kind, &alo, &ahi) && alo >= blo && ahi <= bhi)
			return PMX_TC_WIDEN;
		if (family(a.kind) != 1)
			return PMX_TC_CONVERT;
		*violation = pmx_sprintf(ctx, "%s NOT BETWEEN %lld AND %lld", q, blo, bhi);
		return a.kind == PMX_T_NUMERIC && a.scale > 0 ? PMX_TC_CONVERT : PMX_TC_NARROW;
	}
	switch (b.kind)
	{
		case PMX_T_VARCHAR:
		case PMX_T_CHAR:
			if (family(a.kind) != 3 && a.kind != PMX_T_UUID)
				return PMX_TC_CONVERT;
			if ((a.kind == PMX_T_VARCHAR || a.kind == PMX_T_CHAR) && a.len <= b.len)
			{
				*instant = a.kind == b.kind && a.kind == PMX_T_VARCHAR &&
					length_bytes(a.len) != 0 && length_bytes(a.len) == length_bytes(b.len);
				return PMX_TC_WIDEN;
			}
			if (a.kind == PMX_T_UUID && b.len >= 36)
				return PMX_TC_WIDEN;
			*violation = pmx_sprintf(ctx, "char_length(%s) > %d", q, b.len);
			return PMX_TC_NARROW;
		case PMX_T_TEXT:
			return family(a.kind) == 3 || a.kind == PMX_T_UUID ? PMX_TC_WIDEN : PMX_TC_CONVERT;
		case PMX_T_JSON:
		case PMX_T_JSONB:
			if (a.kind == PMX_T_JSON || a.kind == PMX_T_JSONB)
				return PMX_TC_WIDEN;
			if (family(a.kind) != 3)
				return PMX_TC_CONVERT;
			*violation = pmx_sprintf(ctx, "%s IS NOT NULL AND NOT json_valid(%s)", q, q);
			return PMX_TC_CONSTRAIN;
		case PMX_T_NUMERIC:
			{
				int			as = a.scale > 0 ? a.scale : 0,
							bs = b.scale > 0 ? b.scale : 0;

				if (b.len < 0)
					return family(a.kind) == 1 ? PMX_TC_WIDEN : PMX_TC_CONVERT;
				if (family(a.kind) != 1)
					return PMX_TC_CONVERT;
				if (a.kind == PMX_T_NUMERIC && a.len > 0 && as <= bs && a.len - as <= b.len - bs)
					return PMX_TC_WIDEN;
				if (int_range(a.kind, &alo, &ahi) && bs == 0 && b.len >= 19)
					return PMX_TC_WIDEN;
				*violation = pmx_sprintf(ctx, "abs(%s) >= 1e%d", q, b.len - bs);
				/* fewer decimals round the values: not only a limit */
				return a.kind == PMX_T_NUMERIC && (a.len < 0 || as > bs) ? PMX_TC_CONVERT : PMX_TC_NARROW;
			}
		case PMX_T_REAL:
		case PMX_T_DOUBLE:
			if (a.kind == PMX_T_REAL || (a.kind == PMX_T_DOUBLE && b.kind == PMX_T_DOUBLE))
				return PMX_TC_WIDEN;
			return PMX_TC_CONVERT;
		case PMX_T_TIMESTAMP:
			return a.kind == PMX_T_DATE ? PMX_TC_WIDEN : PMX_TC_CONVERT;
		default:
			return a.kind == b.kind && strcmp(old_t, new_t) == 0 ? PMX_TC_WIDEN : PMX_TC_CONVERT;
	}
}
