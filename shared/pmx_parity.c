/*-------------------------------------------------------------------------
 *
 * pmx_parity.c
 *	  premix_parity(a, b): do two schema documents, possibly of different
 *	  dialects, describe the same schema under the portable type mapping?
 *
 * Each document is premix_schema() output (its "dialect" says how to read
 * it).  Every column type is mapped to a family -- integer (with its
 * width), float, numeric(p, s), string (with its length limit), fixed
 * string, boolean, bytes, date, time, timestamp, timestamptz, uuid, json --
 * and compared: SQLite stores every integer in 64 bits and every float in
 * 64 bits, so a width there is no difference; elsewhere a wider type is.
 * Also compared: nullability, defaults (normalized: casts, case, blanks,
 * now() and CURRENT_TIMESTAMP, true and 1 for booleans), identity
 * (a PostgreSQL serial's nextval() default counts as one), the primary
 * key, UNIQUE keys, foreign keys with their actions, and indexes by
 * definition -- names of keys and indexes differ by dialect and are not
 * compared.  CHECK constraints are not compared (SQLite's type markers
 * are part of the types).
 *
 * The result is a JSON array of {path, a, b, why}, sorted by path; empty
 * when the schemas are equivalent.
 *
 * IDENTIFICATION
 *	  shared/pmx_parity.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "pmx_json.h"
#include "pmx_plan.h"
#include "pmx_types.h"

typedef struct Side
{
	PmxDialect	dialect;
	PmxSchema  *s;
} Side;

typedef struct Mismatch
{
	char	   *path;
	const char *a;
	const char *b;
	char	   *why;
} Mismatch;

typedef struct Parity
{
	PmxCtx	   *ctx;
	Side		A,
				B;
	Mismatch   *m;
	int			n,
				cap;
} Parity;

typedef struct Family
{
	const char *name;			/* "integer", "string", ... */
	int			width;			/* integer/float bits; 0 = any (SQLite) */
	int			len;			/* string length limit, numeric precision; -1 none */
	int			scale;
} Family;

/* Record a mismatch (texts copied as given). */
static int
add(Parity *P, char *path, const char *a, const char *b, char *why)
{
	if (!path || !why || !PMX_PUSH(P->ctx, P->m, P->n, P->cap))
		return PMX_ERROR;
	P->m[P->n - 1] = (Mismatch) {path, a ? a : "(none)", b ? b : "(none)", why};
	return PMX_OK;
}

/* The family of a column type as dialect d reports it. */
static Family
family(PmxDialect d, const char *type)
{
	PmxType		t = pmx_type_parse(type);
	bool		sqlite = d == PMX_DIALECT_SQLITE;
	Family		f = {NULL, 0, -1, -1};

	switch (t.kind)
	{
		case PMX_T_SMALLINT:
			return (Family) {"integer", sqlite ? 0 : 16, -1, -1};
		case PMX_T_INTEGER:
			return (Family) {"integer", sqlite ? 0 : 32, -1, -1};
		case PMX_T_BIGINT:
			return (Family) {"integer", sqlite ? 0 : 64, -1, -1};
		case PMX_T_REAL:
			return (Family) {"float", sqlite ? 0 : 32, -1, -1};
		case PMX_T_DOUBLE:
			return (Family) {"float", sqlite ? 0 : 64, -1, -1};
		case PMX_T_BOOLEAN:
			return (Family) {"boolean", 0, -1, -1};
		case PMX_T_NUMERIC:
			return (Family) {"numeric", 0, t.len, t.scale};
		case PMX_T_TEXT:
			return (Family) {"string", 0, -1, -1};
		case PMX_T_VARCHAR:
			return (Family) {"string", 0, t.len, -1};
		case PMX_T_CHAR:
			return (Family) {"fixed string", 0, t.len, -1};
		case PMX_T_BYTES:
			return (Family) {"bytes", 0, -1, -1};
		case PMX_T_DATE:
			return (Family) {"date", 0, -1, -1};
		case PMX_T_TIME:
			return (Family) {"time", 0, -1, -1};
		case PMX_T_TIMESTAMP:
			return (Family) {"timestamp", 0, -1, -1};
		case PMX_T_TIMESTAMPTZ:
			return (Family) {"timestamptz", 0, -1, -1};
		case PMX_T_UUID:
			return (Family) {"uuid", 0, -1, -1};
		case PMX_T_JSON:
		case PMX_T_JSONB:
			return (Family) {"json", 0, -1, -1};
		case PMX_T_OTHER:
			break;
	}
	if (sqlite)
	{
		/* a declared type premix did not write: its affinity says what it holds */
		switch (pmx_sqlite_affinity(type))
		{
			case PMX_AFF_INTEGER:
				return (Family) {"integer", 0, -1, -1};
			case PMX_AFF_TEXT:
				return (Family) {"string", 0, -1, -1};
			case PMX_AFF_REAL:
				return (Family) {"float", 0, -1, -1};
			case PMX_AFF_BLOB:
				return (Family) {"bytes", 0, -1, -1};
			case PMX_AFF_NUMERIC:
				return (Family) {"numeric", 0, -1, -1};
		}
	}
	f.name = type;				/* not portable: compared as spelled */
	return f;
}

/* Why two column types differ, or NULL when they are the same family. */
static char *
type_difference(Parity *P, const char *ta, const char *tb)
{
	Family		a = family(P->A.dialect, ta),
				b = family(P->B.dialect, tb);
	PmxCtx	   *ctx = P->ctx;

	if (strcmp(a.name, b.name) != 0)
	{
		if ((strcmp(a.name, "timestamptz") == 0 && P->B.dialect == PMX_DIALECT_SQLITE) ||
			(strcmp(b.name, "timestamptz") == 0 && P->A.dialect == PMX_DIALECT_SQLITE))
			return pmx_sprintf(ctx, "different types: SQLite has no time-zone type (timestamptz is stored as text there)");
		return pmx_sprintf(ctx, "different types: %s vs %s", a.name, b.name);
	}
	if (a.width && b.width && a.width != b.width)
		return pmx_sprintf(ctx, "%s width differs: %d vs %d bits", a.name, a.width, b.width);
	if (a.len != b.len)
	{
		if (strcmp(a.name, "numeric") == 0)
			return pmx_sprintf(ctx, "numeric precision differs");
		if (a.len < 0 || b.len < 0)
			return pmx_sprintf(ctx, "%s length is limited on one side only", a.name);
		return pmx_sprintf(ctx, "%s length differs: %d vs %d", a.name, a.len, b.len);
	}
	if (a.scale != b.scale)
		return pmx_sprintf(ctx, "numeric scale differs");
	return NULL;
}

/*
 * A default in a form both dialects share: PostgreSQL casts dropped
 * ('x'::text), blanks dropped and case folded outside quotes, now() and
 * current_timestamp() as current_timestamp, booleans as true/false.  NULL
 * in, NULL out; a nextval() default is no default (it is identity).
 */
static char *
norm_default(PmxCtx *ctx, const char *expr, bool boolean)
{
	PmxBuf		b;
	char	   *s;
	bool		quoted = false;

	if (!expr)
		return NULL;
	if (strncmp(expr, "nextval(", 8) == 0)
		return NULL;
	pmx_buf_init(&b, ctx);
	for (const char *p = expr; *p; p++)
	{
		if (*p == '\'')
			quoted = !quoted;
		if (!quoted && p[0] == ':' && p[1] == ':')
		{
			/* a cast: skip the type name (words, spaces, parentheses, []) */
			p += 2;
			while (*p && (strchr(" _[]()", *p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
						  (*p >= '0' && *p <= '9') || *p == '"' || *p == ','))
				p++;
			p--;
			continue;
		}
		if (!quoted && (*p == ' ' || *p == '\t' || *p == '\n'))
			continue;
		pmx_buf_putc(&b, !quoted && *p >= 'A' && *p <= 'Z' ? (char) (*p + 32) : *p);
	}
	if (!(s = pmx_buf_finish(&b)))
		return NULL;
	while (s[0] == '(' && s[strlen(s) - 1] == ')' && strlen(s) > 2)
	{
		s[strlen(s) - 1] = '\0';
		s++;
	}
	if (strcmp(s, "now()") == 0 || strcmp(s, "current_timestamp()") == 0 || strcmp(s, "localtimestamp") == 0)
		return pmx_strdup(ctx, "current_timestamp");
	if (boolean && (strcmp(s, "1") == 0 || strcmp(s, "'1'") == 0 || strcmp(s, "'t'") == 0))
		return pmx_strdup(ctx, "true");
	if (boolean && (strcmp(s, "0") == 0 || strcmp(s, "'0'") == 0 || strcmp(s, "'f'") == 0))
		return pmx_strdup(ctx, "false");
	return s;
}

/* The identity a column has, counting a serial's nextval() default. */
static const char *
identity_of(const PmxColumn *c)
{
	if (c->identity == PMX_IDENTITY_ALWAYS)
		return "always";
	if (c->identity == PMX_IDENTITY_BY_DEFAULT ||
		(c->default_expr && strncmp(c->default_expr, "nextval(", 8) == 0))
		return "by default";
	return NULL;
}

/* Compare two columns of a table. */
static int
compare_column(Parity *P, const char *t, const PmxColumn *a, const PmxColumn *b)
{
	PmxCtx	   *ctx = P->ctx;
	char	   *why = type_difference(P, a->type, b->type);
	bool		boolean = pmx_type_parse(a->type).kind == PMX_T_BOOLEAN;
	char	   *da = norm_default(ctx, a->default_expr, boolean),
			   *db = norm_default(ctx, b->default_expr, boolean);
	const char *ia = identity_of(a),
			   *ib = identity_of(b);

	if (why && add(P, pmx_sprintf(ctx, "%s.%s.type", t, a->name), a->type, b->type, why) != PMX_OK)
		return PMX_ERROR;
	if (a->nullable != b->nullable &&
		add(P, pmx_sprintf(ctx, "%s.%s.nullable", t, a->name), a->nullable ? "true" : "false",
			b->nullable ? "true" : "false", pmx_sprintf(ctx, "NULL allowed on one side only")) != PMX_OK)
		return PMX_ERROR;
	if (!pmx_streq_null(da, db) &&
		add(P, pmx_sprintf(ctx, "%s.%s.default", t, a->name), a->default_expr, b->default_expr,
			pmx_sprintf(ctx, "different defaults")) != PMX_OK)
		return PMX_ERROR;
	if (!pmx_streq_null(ia, ib) &&
		add(P, pmx_sprintf(ctx, "%s.%s.identity", t, a->name), ia, ib,
			pmx_sprintf(ctx, "the database numbers new rows on one side only")) != PMX_OK)
		return PMX_ERROR;
	return PMX_OK;
}

/* "(a, b)" of a column list, folded to lower case. */
static char *
names_key(PmxCtx *ctx, const PmxNames *n)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	pmx_buf_putc(&b, '(');
	for (int i = 0; i < n->n; i++)
	{
		pmx_buf_appendf(&b, "%s", i ? ", " : "");
		for (const char *p = n->v[i]; *p; p++)
			pmx_buf_putc(&b, *p >= 'A' && *p <= 'Z' ? (char) (*p + 32) : *p);
	}
	pmx_buf_putc(&b, ')');
	return pmx_buf_finish(&b);
}

/* The definitions of a table's keys, foreign keys and indexes, one string each. */
static int
definitions(PmxCtx *ctx, const PmxTable *t, PmxStrs *out)
{
	for (int i = 0; i < t->nuniques; i++)
		if (pmx_strs_pushf(ctx, out, "unique %s", names_key(ctx, &t->uniques[i].cols)) != PMX_OK)
			return PMX_ERROR;
	for (int i = 0; i < t->nfks; i++)
	{
		const PmxForeignKey *f = &t->fks[i];

		if (pmx_strs_pushf(ctx, out, "foreign key %s references %s%s on delete %s on update %s",
						   names_key(ctx, &f->cols), f->ref_table,
						   f->ref_cols.n ? names_key(ctx, &f->ref_cols) : "",
						   f->on_delete ? f->on_delete : "no action",
						   f->on_update ? f->on_update : "no action") != PMX_OK)
			return PMX_ERROR;
	}
	for (int i = 0; i < t->nindexes; i++)
	{
		const PmxIndex *x = &t->indexes[i];

		if (pmx_strs_pushf(ctx, out, "%sindex %s%s%s", x->unique ? "unique " : "",
						   names_key(ctx, &x->elems), x->where ? " where " : "",
						   x->where ? x->where : "") != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* True when list holds s. */
static bool
has(const PmxStrs *list, const char *s)
{
	for (int i = 0; i < list->n; i++)
		if (strcmp(list->v[i], s) == 0)
			return true;
	return false;
}

/* Compare two tables of the same name. */
static int
compare_table(Parity *P, const PmxTable *a, const PmxTable *b)
{
	PmxCtx	   *ctx = P->ctx;
	PmxStrs		da = {0},
				db = {0};
	char	   *pa = a->pk ? names_key(ctx, &a->pk->cols) : NULL,
			   *pb = b->pk ? names_key(ctx, &b->pk->cols) : NULL;

	for (int i = 0; i < a->ncols; i++)
	{
		PmxColumn  *cb = pmx_table_find_column(ctx, P->B.dialect, (PmxTable *) b, a->cols[i].name);

		if (!cb)
		{
			if (add(P, pmx_sprintf(ctx, "%s.%s", a->name, a->cols[i].name), a->cols[i].type, NULL,
					pmx_sprintf(ctx, "column only in A")) != PMX_OK)
				return PMX_ERROR;
		}
		else if (compare_column(P, a->name, &a->cols[i], cb) != PMX_OK)
			return PMX_ERROR;
	}
	for (int i = 0; i < b->ncols; i++)
		if (!pmx_table_find_column(ctx, P->A.dialect, (PmxTable *) a, b->cols[i].name) &&
			add(P, pmx_sprintf(ctx, "%s.%s", a->name, b->cols[i].name), NULL, b->cols[i].type,
				pmx_sprintf(ctx, "column only in B")) != PMX_OK)
			return PMX_ERROR;
	if (!pmx_streq_null(pa, pb) &&
		add(P, pmx_sprintf(ctx, "%s.primary_key", a->name), pa, pb, pmx_sprintf(ctx, "different primary keys")) != PMX_OK)
		return PMX_ERROR;
	if (definitions(ctx, a, &da) != PMX_OK || definitions(ctx, b, &db) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < da.n; i++)
		if (!has(&db, da.v[i]) &&
			add(P, pmx_sprintf(ctx, "%s.%s", a->name, da.v[i]), "present", NULL, pmx_sprintf(ctx, "only in A")) != PMX_OK)
			return PMX_ERROR;
	for (int i = 0; i < db.n; i++)
		if (!has(&da, db.v[i]) &&
			add(P, pmx_sprintf(ctx, "%s.%s", a->name, db.v[i]), NULL, "present", pmx_sprintf(ctx, "only in B")) != PMX_OK)
			return PMX_ERROR;
	return PMX_OK;
}

/* Read one side: its dialect from the document, then the schema. */
static int
read_side(PmxCtx *ctx, const char *text, const char *what, Side *out)
{
	static const char *const names[] = {"sqlite", "postgresql", "mysql"};
	PmxJson    *root = text ? pmx_json_parse(ctx, text, what) : NULL;
	PmxJson    *d;

	if (!text)
		return pmx_error(ctx, PMX_E_INVALID, "premix_parity: %s is NULL", what),
			pmx_error_hint(ctx, "Pass two premix_schema() documents.");
	if (!root)
		return PMX_ERROR;
	d = pmx_json_get(root, "dialect");
	if (!d || d->type != PMX_JSON_STRING)
		return pmx_error(ctx, PMX_E_INVALID, "premix_parity: %s has no \"dialect\"", what),
			pmx_error_hint(ctx, "Pass premix_schema() output, which says its dialect (\"sqlite\", \"postgresql\" or \"mysql\").");
	for (int i = 0; i < 3; i++)
		if (strcmp(d->s, names[i]) == 0)
		{
			out->dialect = (PmxDialect) i;
			out->s = pmx_schema_from_json(ctx, root, out->dialect);
			return out->s ? PMX_OK : PMX_ERROR;
		}
	return pmx_error(ctx, PMX_E_INVALID, "premix_parity: %s has unknown dialect \"%s\"", what, d->s),
		pmx_error_hint(ctx, "The dialect is \"sqlite\", \"postgresql\" or \"mysql\".");
}

/* qsort order of mismatches: by path. */
static int
cmp_mismatch(const void *x, const void *y)
{
	return strcmp(((const Mismatch *) x)->path, ((const Mismatch *) y)->path);
}

/* premix_parity(a, b); see the file header. */
int
pmx_parity(PmxCtx *ctx, const char *a_json, const char *b_json, char **out_json)
{
	Parity		P;
	PmxJsonWriter w;

	memset(&P, 0, sizeof(P));
	P.ctx = ctx;
	if (read_side(ctx, a_json, "document A", &P.A) != PMX_OK ||
		read_side(ctx, b_json, "document B", &P.B) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < P.A.s->ntables; i++)
	{
		PmxTable   *ta = P.A.s->tables[i];
		PmxTable   *tb = pmx_schema_find(ctx, P.B.s, ta->name);

		if (!tb)
		{
			if (add(&P, pmx_strdup(ctx, ta->name), "table", NULL, pmx_sprintf(ctx, "table only in A")) != PMX_OK)
				return PMX_ERROR;
		}
		else if (compare_table(&P, ta, tb) != PMX_OK)
			return PMX_ERROR;
	}
	for (int i = 0; i < P.B.s->ntables; i++)
		if (!pmx_schema_find(ctx, P.A.s, P.B.s->tables[i]->name) &&
			add(&P, pmx_strdup(ctx, P.B.s->tables[i]->name), NULL, "table", pmx_sprintf(ctx, "table only in B")) != PMX_OK)
			return PMX_ERROR;
	if (P.n > 1)
		qsort(P.m, (size_t) P.n, sizeof(Mismatch), cmp_mismatch);
	pmx_jw_init(&w, ctx);
	pmx_jw_begin_array(&w);
	for (int i = 0; i < P.n; i++)
	{
		pmx_jw_begin_object(&w);
		pmx_jw_key(&w, "path");
		pmx_jw_string(&w, P.m[i].path);
		pmx_jw_key(&w, "a");
		pmx_jw_string(&w, P.m[i].a);
		pmx_jw_key(&w, "b");
		pmx_jw_string(&w, P.m[i].b);
		pmx_jw_key(&w, "why");
		pmx_jw_string(&w, P.m[i].why);
		pmx_jw_end_object(&w);
	}
	pmx_jw_end_array(&w);
	*out_json = pmx_jw_finish(&w);
	return *out_json ? PMX_OK : PMX_ERROR;
}
