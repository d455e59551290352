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
#include <stdlib.h>
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

/* Skip blanks. */
static const char *
skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

/* One name (bare or double-quoted) at s: the byte after it, or NULL. */
static const char *
pg_name(const char *s)
{
	if (*s == '"')
	{
		for (s++; *s; s++)
			if (*s == '"')
			{
				if (s[1] != '"')
					return s + 1;
				s++;
			}
		return NULL;
	}
	if (!pmx_pg_ident_byte((unsigned char) *s, true))
		return NULL;
	while (pmx_pg_ident_byte((unsigned char) *s, false))
		s++;
	return s;
}

/*
 * Check the syntax described in pmx_types.h, byte by byte on PostgreSQL's
 * own rules: names (bare or "quoted"), '.', one "(n[, m])", "[]" or "[n]"
 * pairs, blanks.  Any other byte -- quotes, ';', '-', '/', '*' -- fails,
 * so neither a comment nor a second statement can ride in a type name.
 */
bool
pmx_pg_valid_type_name(const char *s)
{
	int			names = 0;
	bool		params = false;

	s = skip_blanks(s);
	for (;;)
	{
		if (!(s = pg_name(s)))
			return false;
		names++;
		s = skip_blanks(s);
		if (*s == '.')
		{
			s = skip_blanks(s + 1);
			continue;
		}
		if (*s == '(' && !params)
		{
			params = true;
			for (int n = 0;; n++)
			{
				s = skip_blanks(s + 1);
				if (n > 1 || !(*s >= '0' && *s <= '9'))
					return false;
				while (*s >= '0' && *s <= '9')
					s++;
				s = skip_blanks(s);
				if (*s == ')')
					break;
				if (*s != ',')
					return false;
			}
			s = skip_blanks(s + 1);
		}
		if (!*s || *s == '[')
			break;
		/* another word: "double precision", "with time zone" */
	}
	while (*s == '[')
	{
		s = skip_blanks(s + 1);
		while (*s >= '0' && *s <= '9')
			s++;
		s = skip_blanks(s);
		if (*s != ']')
			return false;
		s = skip_blanks(s + 1);
	}
	return names > 0 && *s == '\0';
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

/* See pmx_types.h. */
const char *
pmx_pg_serial_base(const char *type)
{
	static const char *const map[][2] = {
		{"serial", "integer"}, {"serial4", "integer"}, {"bigserial", "bigint"},
		{"serial8", "bigint"}, {"smallserial", "smallint"}, {"serial2", "smallint"},
	};

	for (size_t i = 0; type && i < sizeof(map) / sizeof(map[0]); i++)
		if (pmx_streq_fold(type, map[i][0]))
			return map[i][1];
	return NULL;
}

/* format_type() spelling "prefix(a[,b])" exactly, values in range; count read. */
static int
params_of(const char *ft, const char *prefix, int *a, int *b)
{
	size_t		n = strlen(prefix);
	long		v[2];
	int			got = 0;
	const char *p;
	char	   *end;

	if (strncmp(ft, prefix, n) != 0 || ft[n] != '(')
		return 0;
	for (p = ft + n + 1; got < 2; p = end + 1)
	{
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		v[got++] = strtol(p, &end, 10);
		if (v[got - 1] > 10485760)
			return 0;
		if (*end == ')')
			break;
		if (*end != ',')
			return 0;
	}
	if (got == 0 || *end != ')' || end[1] != '\0')
		return 0;			/* also arrays: "character varying(5)[]" stays as is */
	*a = (int) v[0];
	*b = got > 1 ? (int) v[1] : -1;
	return got;
}

/* Read a format_type() spelling back; see pmx_types.h. */
char *
pmx_pg_type_report(PmxCtx *ctx, const char *ft)
{
	int			a,
				b;

	for (size_t i = 0; i < NPGNAMES; i++)
		if (strcmp(ft, pg_names[i].pg) == 0)
			return pmx_strdup(ctx, pg_names[i].portable);
	if (params_of(ft, "character varying", &a, &b) == 1)
		return pmx_sprintf(ctx, "varchar(%d)", a);
	if (params_of(ft, "character", &a, &b) == 1)
		return pmx_sprintf(ctx, "char(%d)", a);
	if (params_of(ft, "numeric", &a, &b) == 2)
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
	/* a serial's values are its integer type's; its sequence is another step's */
	PmxType		a = pmx_type_parse(pmx_pg_serial_base(old_t) ? pmx_pg_serial_base(old_t) : old_t);
	PmxType		b = pmx_type_parse(pmx_pg_serial_base(new_t) ? pmx_pg_serial_base(new_t) : new_t);
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
	/*
	 * Casts that succeed but change values: fractions rounded to integers,
	 * digits lost to real/double, the time of day lost to date, a time zone
	 * applied or dropped.  The server must still accept every value (range).
	 */
	if ((int_range(b.kind, &blo, &bhi, &br) &&
		 (a.kind == PMX_T_NUMERIC || a.kind == PMX_T_REAL || a.kind == PMX_T_DOUBLE)) ||
		(b.kind == PMX_T_REAL && (a.kind == PMX_T_DOUBLE || a.kind == PMX_T_NUMERIC ||
								  a.kind == PMX_T_INTEGER || a.kind == PMX_T_BIGINT)) ||
		(b.kind == PMX_T_DOUBLE && (a.kind == PMX_T_NUMERIC || a.kind == PMX_T_BIGINT)) ||
		(b.kind == PMX_T_NUMERIC && (a.kind == PMX_T_REAL || a.kind == PMX_T_DOUBLE)) ||
		(b.kind == PMX_T_DATE && (a.kind == PMX_T_TIMESTAMP || a.kind == PMX_T_TIMESTAMPTZ)) ||
		(a.kind == PMX_T_TIMESTAMP && b.kind == PMX_T_TIMESTAMPTZ) ||
		(a.kind == PMX_T_TIMESTAMPTZ && b.kind == PMX_T_TIMESTAMP) ||
		(b.kind == PMX_T_TIME && (a.kind == PMX_T_TIMESTAMP || a.kind == PMX_T_TIMESTAMPTZ)))
	{
		*needs_cast = true;
		return PMX_TC_CONVERT;
	}
	/* anything else: only the server can tell whether every value casts */
	*needs_cast = true;
	return PMX_TC_CONSTRAIN;
}
