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
	if (!pmx_sql_valid_type_name(type))
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

/* See pmx_types.h. */
int
pmx_mysql_normalize(PmxCtx *ctx, PmxSchema *s)
{
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
