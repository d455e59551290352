/*-------------------------------------------------------------------------
 *
 * pmx_types.c
 *	  Portable type names, the SQLite mapping and its inverse, and the
 *	  classification of type changes.
 *
 * IDENTIFICATION
 *	  shared/pmx_types.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmx_sql.h"
#include "pmx_types.h"

static const struct
{
	const char *name;
	PmxTypeKind kind;
	int			params;			/* 0 none, 1 (n) required, 2 numeric: optional (p[,s]) */
}			portable[] = {
	{"smallint", PMX_T_SMALLINT, 0},
	{"integer", PMX_T_INTEGER, 0},
	{"bigint", PMX_T_BIGINT, 0},
	{"boolean", PMX_T_BOOLEAN, 0},
	{"real", PMX_T_REAL, 0},
	{"double", PMX_T_DOUBLE, 0},
	{"numeric", PMX_T_NUMERIC, 2},
	{"text", PMX_T_TEXT, 0},
	{"varchar", PMX_T_VARCHAR, 1},
	{"char", PMX_T_CHAR, 1},
	{"bytes", PMX_T_BYTES, 0},
	{"date", PMX_T_DATE, 0},
	{"time", PMX_T_TIME, 0},
	{"timestamp", PMX_T_TIMESTAMP, 0},
	{"timestamptz", PMX_T_TIMESTAMPTZ, 0},
	{"uuid", PMX_T_UUID, 0},
	{"json", PMX_T_JSON, 0},
	{"jsonb", PMX_T_JSONB, 0},
};

#define NPORTABLE (sizeof(portable) / sizeof(portable[0]))

/* Parse "(n)" or "(p,s)" with optional blanks; returns count read, -1 bad. */
static int
parse_params(const char *s, int *a, int *b)
{
	int			n = 0;
	long		v;
	char	   *end;

	if (*s != '(')
		return -1;
	s++;
	for (;;)
	{
		while (*s == ' ')
			s++;
		if (!isdigit((unsigned char) *s))
			return -1;
		v = strtol(s, &end, 10);
		if (v <= 0 || v > 10485760)
			return -1;
		s = end;
		if (n == 0)
			*a = (int) v;
		else if (n == 1)
			*b = (int) v;
		else
			return -1;
		n++;
		while (*s == ' ')
			s++;
		if (*s == ',')
		{
			s++;
			continue;
		}
		if (*s == ')' && s[1] == '\0')
			return n;
		return -1;
	}
}

/* Parse a type name: portable when spelled as DESIGN.md lists it. */
PmxType
pmx_type_parse(const char *s)
{
	PmxType		t = {PMX_T_OTHER, -1, -1, s};

	for (size_t i = 0; i < NPORTABLE; i++)
	{
		size_t		n = strlen(portable[i].name);

		if (strncmp(s, portable[i].name, n) != 0)
			continue;
		if (s[n] == '\0')
		{
			if (portable[i].params == 1)
				continue;		/* varchar needs a length */
			t.kind = portable[i].kind;
			return t;
		}
		if (portable[i].params && (s[n] == '(' || s[n] == ' '))
		{
			const char *p = s + n;
			int			a = -1,
						b = -1,
						got;

			while (*p == ' ')
				p++;
			got = parse_params(p, &a, &b);
			if (got < 1 || (portable[i].params == 1 && got != 1))
				continue;
			/* numeric scale 0 is legal: parse_params refuses 0, recheck */
			t.kind = portable[i].kind;
			t.len = a;
			t.scale = b;
			return t;
		}
	}
	/* numeric(p,0) */
	{
		int			p;
		char		tail[8];

		if (sscanf(s, "numeric(%d,0%1[)]", &p, tail) == 2 && p > 0 && p <= 1000)
		{
			t.kind = PMX_T_NUMERIC;
			t.len = p;
			t.scale = 0;
		}
	}
	return t;
}

/* True for smallint, integer and bigint. */
bool
pmx_type_is_integer(PmxTypeKind k)
{
	return k == PMX_T_SMALLINT || k == PMX_T_INTEGER || k == PMX_T_BIGINT;
}

/* The marker CHECK text for kind over column colname, or NULL if none. */
static char *
sqlite_marker(PmxCtx *ctx, const PmxType *t, const char *colname)
{
	char	   *q = pmx_quote_ident(ctx, colname);

	if (!q)
		return NULL;
	switch (t->kind)
	{
		case PMX_T_BOOLEAN:
			return pmx_sprintf(ctx, "%s IN (0, 1)", q);
		case PMX_T_VARCHAR:
			return pmx_sprintf(ctx, "length(%s) <= %d", q, t->len);
		case PMX_T_UUID:
			return pmx_sprintf(ctx, "length(%s) = 36", q);
		case PMX_T_JSON:
		case PMX_T_JSONB:
			/* json_valid(NULL) is 0 before SQLite 3.45: let NULL through */
			return pmx_sprintf(ctx, "%s IS NULL OR json_valid(%s)", q, q);
		default:
			return NULL;
	}
}

/*
 * SQLite declared type and marker for type; see pmx_types.h.  A rowid
 * alias (the identity / INTEGER PRIMARY KEY column) is always INTEGER.
 */
int
pmx_sqlite_type_render(PmxCtx *ctx, const char *type, bool strict,
					   const char *colname, bool rowid_alias,
					   const char **decl, char **marker)
{
	PmxType		t = pmx_type_parse(type);

	*marker = NULL;
	*decl = NULL;
	if (rowid_alias && (pmx_type_is_integer(t.kind) || pmx_streq_fold(type, "integer")))
	{
		*decl = "INTEGER";
		return PMX_OK;
	}
	switch (t.kind)
	{
		case PMX_T_SMALLINT:
			*decl = strict ? "INTEGER" : "SMALLINT";
			break;
		case PMX_T_INTEGER:
		case PMX_T_BOOLEAN:
			*decl = "INTEGER";
			break;
		case PMX_T_BIGINT:
			*decl = strict ? "INTEGER" : "BIGINT";
			break;
		case PMX_T_REAL:
			*decl = "REAL";
			break;
		case PMX_T_DOUBLE:
			*decl = strict ? "REAL" : "DOUBLE";
			break;
		case PMX_T_NUMERIC:
			if (strict)
				return pmx_error(ctx, PMX_E_UNSUPPORTED,
								 "column \"%s\": a STRICT table cannot hold type %s",
								 colname, type),
					pmx_error_hint(ctx, "STRICT tables allow INTEGER, REAL, TEXT, BLOB and ANY; use real, text or a non-STRICT table.");
			if (t.len < 0)
				*decl = "NUMERIC";
			else if (t.scale < 0)
				*decl = pmx_sprintf(ctx, "NUMERIC(%d)", t.len);
			else
				*decl = pmx_sprintf(ctx, "NUMERIC(%d,%d)", t.len, t.scale);
			break;
		case PMX_T_CHAR:
			*decl = strict ? "TEXT" : pmx_sprintf(ctx, "CHAR(%d)", t.len);
			break;
		case PMX_T_BYTES:
			*decl = "BLOB";
			break;
		case PMX_T_DATE:
			*decl = strict ? "TEXT" : "DATE";
			break;
		case PMX_T_TIME:
			*decl = strict ? "TEXT" : "TIME";
			break;
		case PMX_T_TIMESTAMP:
			*decl = strict ? "TEXT" : "TIMESTAMP";
			break;
		case PMX_T_TEXT:
		case PMX_T_VARCHAR:
		case PMX_T_TIMESTAMPTZ:
		case PMX_T_UUID:
		case PMX_T_JSON:
		case PMX_T_JSONB:
			*decl = "TEXT";
			break;
		case PMX_T_OTHER:
			*decl = type;
			break;
	}
	if (!*decl)
		return PMX_ERROR;
	*marker = sqlite_marker(ctx, &t, colname);
	if (!*marker && pmx_error_is_set(ctx))
		return PMX_ERROR;
	return PMX_OK;
}

/* Compare canonical marker for (t, colname) with a canonical check. */
static bool
marker_matches(PmxCtx *ctx, const PmxType *t, const char *colname,
			   const char *check)
{
	char	   *m = sqlite_marker(ctx, t, colname);
	char	   *c;

	if (!m)
		return false;
	c = pmx_sql_canon_expr(ctx, m, "marker");
	return c && strcmp(c, check) == 0;
}

/* The declared types premix writes for unmarked portable types. */
static const struct
{
	const char *decl;
	const char *report;
}			plain_decl[] = {
	{"SMALLINT", "smallint"}, {"INTEGER", "integer"}, {"BIGINT", "bigint"},
	{"REAL", "real"}, {"DOUBLE", "double"}, {"NUMERIC", "numeric"},
	{"TEXT", "text"}, {"BLOB", "bytes"}, {"DATE", "date"}, {"TIME", "time"},
	{"TIMESTAMP", "timestamp"},
};

/*
 * Report the type of a SQLite column; see pmx_types.h.  Declared types
 * premix itself writes map back to the portable name (ASCII case aside);
 * any other declared type is reported as declared, upper-cased when its
 * lower-case spelling would read as a different portable type.
 */
char *
pmx_sqlite_type_report(PmxCtx *ctx, const char *decl, const char *colname,
					   char *const *checks, int nchecks, int *absorbed)
{
	char	   *up = pmx_upper(ctx, decl);
	PmxType		t;

	*absorbed = -1;
	if (!up)
		return NULL;
	/* marked types */
	if (strcmp(up, "INTEGER") == 0 || strcmp(up, "TEXT") == 0)
	{
		/* the column's boolean marker, canonical, made once for all its checks */
		const char *bool_marker = NULL;

		for (int i = 0; i < nchecks; i++)
		{
			const char *ck = checks[i];
			PmxType		m = {PMX_T_OTHER, -1, -1, NULL};

			if (strcmp(up, "INTEGER") == 0)
			{
				m.kind = PMX_T_BOOLEAN;
				if (!bool_marker)
				{
					char	   *raw = sqlite_marker(ctx, &m, colname);

					if (!raw || !(bool_marker = pmx_sql_canon_expr(ctx, raw, "marker")))
						return NULL;
				}
				if (strcmp(bool_marker, ck) != 0)
					continue;
				*absorbed = i;
				return pmx_strdup(ctx, "boolean");
			}
			else if (strstr(ck, "json_valid("))
			{
				/* premix's marker, or the bare json_valid(c) people write */
				char	   *bare = pmx_sprintf(ctx, "json_valid(%s)", pmx_quote_ident(ctx, colname));
				char	   *cb = bare ? pmx_sql_canon_expr(ctx, bare, "marker") : NULL;

				if (cb && strcmp(cb, ck) == 0)
				{
					*absorbed = i;
					return pmx_strdup(ctx, "json");
				}
				m.kind = PMX_T_JSON;
			}
			else if (strncmp(ck, "length(", 7) == 0 && strstr(ck, ") = 36"))
				m.kind = PMX_T_UUID;
			else if (strncmp(ck, "length(", 7) == 0 && strstr(ck, ") <= "))
			{
				m.kind = PMX_T_VARCHAR;
				m.len = atoi(strstr(ck, ") <= ") + 5);
				if (m.len <= 0)
					continue;
			}
			else
				continue;
			if (marker_matches(ctx, &m, colname, ck))
			{
				*absorbed = i;
				switch (m.kind)
				{
					case PMX_T_BOOLEAN:
						return pmx_strdup(ctx, "boolean");
					case PMX_T_JSON:
						return pmx_strdup(ctx, "json");
					case PMX_T_UUID:
						return pmx_strdup(ctx, "uuid");
					default:
						return pmx_sprintf(ctx, "varchar(%d)", m.len);
				}
			}
			if (pmx_error_is_set(ctx))
				return NULL;
		}
	}
	for (size_t i = 0; i < sizeof(plain_decl) / sizeof(plain_decl[0]); i++)
		if (strcmp(up, plain_decl[i].decl) == 0)
			return pmx_strdup(ctx, plain_decl[i].report);
	{
		int			p,
					s;
		char		tail[4];

		if (sscanf(up, "NUMERIC(%d,%d%1[)]", &p, &s, tail) == 3 && p > 0 && s >= 0)
			return pmx_sprintf(ctx, "numeric(%d,%d)", p, s);
		if (sscanf(up, "NUMERIC(%d%1[)]", &p, tail) == 2 && p > 0)
			return pmx_sprintf(ctx, "numeric(%d)", p);
		if (sscanf(up, "CHAR(%d%1[)]", &p, tail) == 2 && p > 0)
			return pmx_sprintf(ctx, "char(%d)", p);
	}
	/* a declared type we did not write: keep it, unless it reads as portable */
	t = pmx_type_parse(decl);
	if (t.kind != PMX_T_OTHER)
		return up;
	return pmx_strdup(ctx, decl);
}

/* decl contains w, ASCII case-insensitively (w is upper case). */
static bool
contains_fold(const char *decl, const char *w)
{
	size_t		n = strlen(w);

	for (const char *p = decl; *p; p++)
	{
		size_t		i = 0;

		while (i < n && p[i] && toupper((unsigned char) p[i]) == w[i])
			i++;
		if (i == n)
			return true;
	}
	return false;
}

/* SQLite's affinity rules for a declared type (datatype3.html 3.1). */
PmxAffinity
pmx_sqlite_affinity(const char *decl)
{
	if (!decl)
		decl = "";
	if (contains_fold(decl, "INT"))
		return PMX_AFF_INTEGER;
	if (contains_fold(decl, "CHAR") || contains_fold(decl, "CLOB") || contains_fold(decl, "TEXT"))
		return PMX_AFF_TEXT;
	if (*decl == '\0' || contains_fold(decl, "BLOB"))
		return PMX_AFF_BLOB;
	if (contains_fold(decl, "REAL") || contains_fold(decl, "FLOA") || contains_fold(decl, "DOUB"))
		return PMX_AFF_REAL;
	return PMX_AFF_NUMERIC;
}

/* Affinity of a reported type as SQLite stores it. */
static PmxAffinity
type_affinity(PmxCtx *ctx, const char *type)
{
	const char *decl;
	char	   *marker;

	if (pmx_sqlite_type_render(ctx, type, false, "c", false, &decl, &marker) != PMX_OK)
	{
		pmx_error_clear(ctx);
		return pmx_sqlite_affinity(type);
	}
	return pmx_sqlite_affinity(decl);
}

/* Range bound of a portable integer kind, 0 for unbounded here. */
static long long
int_bound(PmxTypeKind k)
{
	switch (k)
	{
		case PMX_T_SMALLINT:
			return 32767;
		case PMX_T_INTEGER:
			return 2147483647;
		default:
			return 0;
	}
}

/*
 * Classify old_t -> new_t; see pmx_types.h.  violation gets the predicate
 * "this value does not fit the new type" over colname, or NULL.
 */
PmxTypeChange
pmx_sqlite_type_change(PmxCtx *ctx, const char *old_t, const char *new_t,
					   const char *colname, char **violation)
{
	PmxType		a = pmx_type_parse(old_t);
	PmxType		b = pmx_type_parse(new_t);
	char	   *q = pmx_quote_ident(ctx, colname);
	PmxTypeChange kind = PMX_TC_WIDEN;

	*violation = NULL;
	if (!q)
		return PMX_TC_CONVERT;

	/* the new type's validity rule, unless the old type implies it */
	switch (b.kind)
	{
		case PMX_T_VARCHAR:
		case PMX_T_CHAR:
			if (!((a.kind == PMX_T_VARCHAR || a.kind == PMX_T_CHAR) && a.len <= b.len) &&
				!(a.kind == PMX_T_UUID && b.len >= 36) &&
				!(a.kind == PMX_T_BOOLEAN && b.len >= 1))
			{
				*violation = pmx_sprintf(ctx, "length(%s) > %d", q, b.len);
				kind = PMX_TC_NARROW;
			}
			break;
		case PMX_T_BOOLEAN:
			if (a.kind != PMX_T_BOOLEAN)
			{
				*violation = pmx_sprintf(ctx, "%s NOT IN (0, 1)", q);
				kind = PMX_TC_CONSTRAIN;
			}
			break;
		case PMX_T_UUID:
			*violation = pmx_sprintf(ctx, "length(%s) <> 36", q);
			kind = PMX_TC_CONSTRAIN;
			break;
		case PMX_T_JSON:
		case PMX_T_JSONB:
			if (a.kind != PMX_T_JSON && a.kind != PMX_T_JSONB)
			{
				*violation = pmx_sprintf(ctx, "%s IS NOT NULL AND NOT json_valid(%s)", q, q);
				kind = PMX_TC_CONSTRAIN;
			}
			break;
		case PMX_T_SMALLINT:
		case PMX_T_INTEGER:
			if (int_bound(b.kind) &&
				!(pmx_type_is_integer(a.kind) && int_bound(a.kind) &&
				  int_bound(a.kind) <= int_bound(b.kind)) &&
				a.kind != PMX_T_BOOLEAN)
			{
				*violation = pmx_sprintf(ctx, "abs(%s) > %lld", q, int_bound(b.kind));
				kind = PMX_TC_NARROW;
			}
			break;
		case PMX_T_NUMERIC:
			if (b.len > 0 &&
				!(a.kind == PMX_T_NUMERIC && a.len > 0 &&
				  a.len - (a.scale > 0 ? a.scale : 0) <= b.len - (b.scale > 0 ? b.scale : 0) &&
				  (a.scale > 0 ? a.scale : 0) <= (b.scale > 0 ? b.scale : 0)))
			{
				int			digits = b.len - (b.scale > 0 ? b.scale : 0);

				*violation = pmx_sprintf(ctx, "abs(%s) >= 1e%d", q, digits);
				kind = PMX_TC_NARROW;
			}
			break;
		default:
			break;
	}
	if (type_affinity(ctx, old_t) != type_affinity(ctx, new_t))
		kind = PMX_TC_CONVERT;
	return kind;
}
