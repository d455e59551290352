/*-------------------------------------------------------------------------
 *
 * pmx_types_pg.c
 *	  The PostgreSQL side of the portable type table: spelling a target
 *	  type, reading format_type() back to a portable name, and what a
 *	  type change does to the rows (rewrite, narrowing, cast).
 *
 * PostgreSQL keeps every portable promise natively, so the mapping is a
 * spelling: double -> double precision, bytes -> bytea; the rest are
 * PostgreSQL names already.  format_type() spells them back in long form
 * ("character varying(50)", "timestamp with time zone"), which is turned
 * into the portable name so a schema round-trips and compares with a
 * target written portably.
 *
 * IDENTIFICATION
 *	  shared/pmx_types_pg.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>

#include "pmx_sql.h"
#include "pmx_types.h"

/* format_type() spellings that are exactly a portable name */
static const struct
{
	const char *pg;
	const char *portable;
}			pg_names[] = {
	{"smallint", "smallint"},
	{"integer", "integer"},
	{"bigint", "bigint"},
	{"boolean", "boolean"},
	{"real", "real"},
	{"double precision", "double"},
	{"text", "text"},
	{"bytea", "bytes"},
	{"date", "date"},
	{"time without time zone", "time"},
	{"timestamp without time zone", "timestamp"},
	{"timestamp with time zone", "timestamptz"},
	{"uuid", "uuid"},
	{"json", "json"},
	{"jsonb", "jsonb"},
};

#define NPGNAMES (sizeof(pg_names) / sizeof(pg_names[0]))

/* Check the syntax described in pmx_types.h. */
bool
pmx_pg_valid_type_name(const char *s)
{
	PmxTok		t = pmx_sql_next(s, true);
	int			names = 0;
	bool		params = false;

	while (t.type == PMX_TK_WORD || t.type == PMX_TK_QIDENT)
	{
		names++;
		t = pmx_sql_next(t.p + t.len, true);
		if (pmx_tok_punct(&t, "."))
			t = pmx_sql_next(t.p + t.len, true);
		else if (pmx_tok_punct(&t, "(") && !params)
		{
			params = true;
			for (int n = 0;; n++)
			{
				t = pmx_sql_next(t.p + t.len, true);
				if (t.type != PMX_TK_NUMBER || n > 1)
					return false;
				t = pmx_sql_next(t.p + t.len, true);
				if (pmx_tok_punct(&t, ")"))
					break;
				if (!pmx_tok_punct(&t, ","))
					return false;
			}
			t = pmx_sql_next(t.p + t.len, true);
		}
	}
	if (names == 0)
		return false;
	while (pmx_tok_punct(&t, "["))
	{
		t = pmx_sql_next(t.p + t.len, true);
		if (t.type == PMX_TK_NUMBER)
			t = pmx_sql_next(t.p + t.len, true);
		if (!pmx_tok_punct(&t, "]"))
			return false;
		t = pmx_sql_next(t.p + t.len, true);
	}
	return t.type == PMX_TK_EOF;
}

/* Spell a target type for PostgreSQL DDL; see pmx_types.h. */
char *
pmx_pg_type_render(PmxCtx *ctx, const char *type)
{
	PmxType		t = pmx_type_parse(type);

	switch (t.kind)
	{
		case PMX_T_DOUBLE:
			return pmx_strdup(ctx, "double precision");
		case PMX_T_BYTES:
			return pmx_strdup(ctx, "bytea");
		case PMX_T_OTHER:
			if (!pmx_pg_valid_type_name(type))
			{
				pmx_error(ctx, PMX_E_INVALID, "\"%s\" is not a type name", pmx_clip(ctx, type, 80));
				pmx_error_hint(ctx, "Use a portable type (integer, varchar(50), jsonb, ...) or a PostgreSQL type name.");
				return NULL;
			}
			return pmx_strdup(ctx, type);
		default:
			return pmx_strdup(ctx, type);
	}
}

/* Read a format_type() spelling back; see pmx_types.h. */
char *
pmx_pg_type_report(PmxCtx *ctx, const char *ft)
{
	int			a,
				b;
	char		tail[2];

	for (size_t i = 0; i < NPGNAMES; i++)
		if (strcmp(ft, pg_names[i].pg) == 0)
			return pmx_strdup(ctx, pg_names[i].portable);
	if (sscanf(ft, "character varying(%d%1[)]", &a, tail) == 2)
		return pmx_sprintf(ctx, "varchar(%d)", a);
	if (sscanf(ft, "character(%d%1[)]", &a, tail) == 2)
		return pmx_sprintf(ctx, "char(%d)", a);
	if (sscanf(ft, "numeric(%d,%d%1[)]", &a, &b, tail) == 3)
		return pmx_sprintf(ctx, "numeric(%d,%d)", a, b);
	return pmx_strdup(ctx, ft);
}

/* Range of an integer kind as SQL bounds; false for other kinds. */
static bool
int_range(PmxTypeKind k, const char **lo, const char **hi, int *rank)
{
	switch (k)
	{
		case PMX_T_SMALLINT:
			*lo = "-32768", *hi = "32767", *rank = 1;
			return true;
		case PMX_T_INTEGER:
			*lo = "-2147483648", *hi = "2147483647", *rank = 2;
			return true;
		case PMX_T_BIGINT:
			*lo = "-9223372036854775808", *hi = "9223372036854775807", *rank = 3;
			return true;
		default:
			return false;
	}
}

/* True for the string kinds whose values length() measures. */
static bool
is_string(PmxTypeKind k)
{
	return k == PMX_T_TEXT || k == PMX_T_VARCHAR || k == PMX_T_CHAR;
}

/* Classify a PostgreSQL type change; see pmx_types.h. */
PmxTypeChange
pmx_pg_type_change(PmxCtx *ctx, const char *old_t, const char *new_t,
				   const char *colname, char **violation, bool *rewrite,
				   bool *needs_cast)
{
	PmxType		a = pmx_type_parse(old_t);
	PmxType		b = pmx_type_parse(new_t);
	char	   *q = pmx_quote_ident(ctx, colname);
	const char *alo,
			   *ahi,
			   *blo,
			   *bhi;
	int			ar,
				br;

	*violation = NULL;
	*rewrite = true;
	*needs_cast = false;
	if (!q)
		return PMX_TC_CONVERT;

	/* strings: varchar growth and varchar -> text are binary-coercible */
	if (is_string(a.kind) && (b.kind == PMX_T_TEXT || b.kind == PMX_T_VARCHAR))
	{
		if (b.kind == PMX_T_TEXT || (a.kind != PMX_T_TEXT && a.len <= b.len))
		{
			*rewrite = a.kind == PMX_T_CHAR;
			return PMX_TC_WIDEN;
		}
		*violation = pmx_sprintf(ctx, "length(%s) > %d", q, b.len);
		return PMX_TC_NARROW;
	}
	if (is_string(a.kind) && b.kind == PMX_T_CHAR)
	{
		if (a.kind != PMX_T_TEXT && a.len <= b.len)
			return PMX_TC_WIDEN;
		*violation = pmx_sprintf(ctx, "length(%s) > %d", q, b.len);
		return PMX_TC_NARROW;
	}
	/* integers */
	if (int_range(a.kind, &alo, &ahi, &ar) && int_range(b.kind, &blo, &bhi, &br))
	{
		if (ar <= br)
			return PMX_TC_WIDEN;
		*violation = pmx_sprintf(ctx, "%s NOT BETWEEN %s AND %s", q, blo, bhi);
		return PMX_TC_NARROW;
	}
	/* numeric precision and scale */
	if (a.kind == PMX_T_NUMERIC && b.kind == PMX_T_NUMERIC)
	{
		int			as = a.scale > 0 ? a.scale : 0,
					bs = b.scale > 0 ? b.scale : 0;

		if (b.len < 0 || (a.len > 0 && as == bs && a.len <= b.len))
		{
			*rewrite = false;
			return PMX_TC_WIDEN;
		}
		if (a.len > 0 && a.len - as <= b.len - bs && as <= bs)
			return PMX_TC_WIDEN;
		*violation = pmx_sprintf(ctx, "abs(%s) >= 1e%d", q, b.len - bs);
		return PMX_TC_NARROW;
	}
	if ((int_range(a.kind, &alo, &ahi, &ar) && (b.kind == PMX_T_NUMERIC && b.len < 0)) ||
		(a.kind == PMX_T_REAL && b.kind == PMX_T_DOUBLE) ||
		((a.kind == PMX_T_SMALLINT || a.kind == PMX_T_INTEGER) && b.kind == PMX_T_DOUBLE) ||
		(a.kind == PMX_T_JSONB && b.kind == PMX_T_JSON) ||
		(a.kind == PMX_T_DATE && (b.kind == PMX_T_TIMESTAMP || b.kind == PMX_T_TIMESTAMPTZ)))
		return PMX_TC_WIDEN;
	/* json -> jsonb always casts but drops duplicate keys and spacing */
	if (a.kind == PMX_T_JSON && b.kind == PMX_T_JSONB)
		return PMX_TC_CONVERT;
	/* anything else: only the server can tell whether every value casts */
	*needs_cast = true;
	return PMX_TC_CONSTRAIN;
}
