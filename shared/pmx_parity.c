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
 * PostgreSQL's serial pseudo-types are integers of their width with
 * identity; a SQLite declared type premix did not write is BOOLEAN or
 * JSON by its name, else what its affinity holds.
 * Also compared: nullability (a SQLite rowid alias is NOT NULL), defaults
 * (normalized: casts, case, blanks, now() and CURRENT_TIMESTAMP, true and
 * 1 when either side is boolean), identity (a PostgreSQL serial counts as
 * one), the primary key, UNIQUE keys, foreign keys with their actions, and
 * indexes by definition -- a foreign key whose actions differ, or an index
 * unique on one side only, is one mismatch; names of keys and indexes
 * differ by dialect and are not compared.  CHECK constraints are not
 * compared (SQLite's type markers are part of the types).  When either
 * side is MySQL, what InnoDB cannot tell apart is not a difference: a
 * unique index is a UNIQUE key, RESTRICT is NO ACTION.
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
	if (!sqlite)
	{
		/* PostgreSQL reports a serial column as its pseudo-type: an integer */
		if (strcmp(type, "smallserial") == 0)
			return (Family) {"integer", 16, -1, -1};
		if (strcmp(type, "serial") == 0)
			return (Family) {"integer", 32, -1, -1};
		if (strcmp(type, "bigserial") == 0)
			return (Family) {"integer", 64, -1, -1};
	}
	if (sqlite)
	{
		/*
		 * A declared type premix did not write.  BOOLEAN and JSON name what
		 * the values mean (SQLite keeps 0/1 and JSON text in them without
		 * a marker CHECK), so they are those families; anything else is
		 * what its affinity says it holds.
		 */
		if (pmx_streq_fold(type, "boolean") || pmx_streq_fold(type, "bool"))
			return (Family) {"boolean", 0, -1, -1};
		if (pmx_streq_fold(type, "json") || pmx_streq_fold(type, "jsonb"))
			return (Family) {"json", 0, -1, -1};
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
	if (d == PMX_DIALECT_MYSQL)
	{
		/* integers without a portable name: their storage width */
		static const struct
		{
			const char *word;
			int			bits;
		}			ints[] = {{"tinyint", 8}, {"mediumint", 24}};

		for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
			if (strncmp(type, ints[i].word, strlen(ints[i].word)) == 0 && !strstr(type, "unsigned"))
				return (Family) {"integer", ints[i].bits, -1, -1};
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
			return a.len < 0 || b.len < 0
				? pmx_sprintf(ctx, "numeric precision is limited on one side only")
				: pmx_sprintf(ctx, "numeric precision differs: %d vs %d", a.len, b.len);
		if (a.len < 0 || b.len < 0)
			return pmx_sprintf(ctx, "%s length is limited on one side only", a.name);
		return pmx_sprintf(ctx, "%s length differs: %d vs %d", a.name, a.len, b.len);
	}
	if (a.scale != b.scale)
		return pmx_sprintf(ctx, "numeric scale differs: %d vs %d", a.scale < 0 ? 0 : a.scale,
						   b.scale < 0 ? 0 : b.scale);
	return NULL;
}

/*
 * A number literal as both sides spell it, in place: unquoted (PostgreSQL
 * writes a negative default '-1.5'::numeric, MariaDB -1.50) and without
 * the zeros a decimal's scale adds (MariaDB reports DEFAULT 0 of a
 * numeric(12,2) as 0.00, PostgreSQL as 0): 1.50 becomes 1.5, 2.0 becomes
 * 2.  Anything but [-]digits[.digits], quoted or not, is left alone.
 */
/* Length of the [-]digits[.digits] at s, 0 when there is none. */
static size_t
number_length(const char *s)
{
	size_t		n = *s == '-',
				d = strspn(s + n, "0123456789");

	if (d == 0)
		return 0;
	n += d;
	if (s[n] == '.' && (d = strspn(s + n + 1, "0123456789")) > 0)
		n += 1 + d;
	return n;
}

static void
canonical_number(char *s)
{
	size_t		n = strlen(s);
	char	   *dot;

	if (n > 2 && s[0] == '\'' && number_length(s + 1) == n - 2 && s[n - 1] == '\'')
	{
		memmove(s, s + 1, n - 2);
		s[n -= 2] = '\0';
	}
	if (number_length(s) != n || !(dot = strchr(s, '.')))
		return;
	while (s[n - 1] == '0')
		s[--n] = '\0';
	if (s[n - 1] == '.')
		*dot = '\0';
}

/*
 * A default in a form both dialects share: PostgreSQL casts dropped
 * ('x'::text), blanks dropped and case folded outside quotes, now() and
 * current_timestamp() as current_timestamp, booleans as true/false,
 * decimals without trailing zeros.  NULL in, NULL out; a nextval()
 * default is no default (it is identity).
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
	/* now(), current_timestamp(6), localtimestamp: the time of the insert */
	if (strcmp(s, "localtimestamp") == 0 ||
		((strncmp(s, "now(", 4) == 0 || strncmp(s, "current_timestamp(", 18) == 0) &&
		 s[strlen(s) - 1] == ')' && strspn(strchr(s, '(') + 1, "0123456789") == strlen(strchr(s, '(') + 1) - 1))
		return pmx_strdup(ctx, "current_timestamp");
	canonical_number(s);
	if (boolean && (strcmp(s, "1") == 0 || strcmp(s, "'1'") == 0 || strcmp(s, "'t'") == 0))
		return pmx_strdup(ctx, "true");
	if (boolean && (strcmp(s, "0") == 0 || strcmp(s, "'0'") == 0 || strcmp(s, "'f'") == 0))
		return pmx_strdup(ctx, "false");
	return s;
}

/* True for the serial pseudo-types PostgreSQL introspection reports. */
static bool
is_serial(PmxDialect d, const char *type)
{
	return d != PMX_DIALECT_SQLITE &&
		(strcmp(type, "serial") == 0 || strcmp(type, "bigserial") == 0 ||
		 strcmp(type, "smallserial") == 0);
}

/* The identity a column has, counting a serial (type or nextval() default). */
static const char *
identity_of(PmxDialect d, const PmxColumn *c)
{
	if (c->identity == PMX_IDENTITY_ALWAYS)
		return "always";
	if (c->identity == PMX_IDENTITY_BY_DEFAULT || is_serial(d, c->type) ||
		(c->default_expr && strncmp(c->default_expr, "nextval(", 8) == 0))
		return "by default";
	return NULL;
}

/*
 * Whether column c of table t holds NULL.  A SQLite rowid alias (the one
 * INTEGER PRIMARY KEY column of a rowid table) never does, NOT NULL
 * written or not.
 */
static bool
nullable(PmxDialect d, const PmxTable *t, const PmxColumn *c)
{
	if (d == PMX_DIALECT_SQLITE && !t->without_rowid && t->pk && t->pk->cols.n == 1 &&
		pmx_streq_fold(t->pk->cols.v[0], c->name) && pmx_streq_fold(c->type, "integer"))
		return false;
	return c->nullable;
}

/* Compare two columns of tables ta and tb. */
static int
compare_column(Parity *P, const PmxTable *ta, const PmxTable *tb, const PmxColumn *a, const PmxColumn *b)
{
	const char *t = ta->name;
	bool		na = nullable(P->A.dialect, ta, a),
				nb = nullable(P->B.dialect, tb, b);
	PmxCtx	   *ctx = P->ctx;
	char	   *why = type_difference(P, a->type, b->type);
	bool		boolean = strcmp(family(P->A.dialect, a->type).name, "boolean") == 0 ||
		strcmp(family(P->B.dialect, b->type).name, "boolean") == 0;
	char	   *da = norm_default(ctx, a->default_expr, boolean),
			   *db = norm_default(ctx, b->default_expr, boolean);
	const char *ia = identity_of(P->A.dialect, a),
			   *ib = identity_of(P->B.dialect, b);

	if (why && add(P, pmx_sprintf(ctx, "%s.%s.type", t, a->name), a->type, b->type, why) != PMX_OK)
		return PMX_ERROR;
	if (na != nb &&
		add(P, pmx_sprintf(ctx, "%s.%s.nullable", t, a->name), na ? "true" : "false",
			nb ? "true" : "false", pmx_sprintf(ctx, "NULL allowed on one side only")) != PMX_OK)
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

/*
 * A foreign key action as compared: absent is "no action"; with
 * fold_restrict (one side is MySQL, where InnoDB checks RESTRICT and NO
 * ACTION alike, immediately) "restrict" is "no action" too.
 */
static const char *
fk_action(const char *action, bool fold_restrict)
{
	if (!action || (fold_restrict && strcmp(action, "restrict") == 0))
		return "no action";
	return action;
}

/*
 * The definitions of a table's UNIQUE constraints, foreign keys and
 * indexes: what identifies each (keys: "unique (a)", "foreign key (a)
 * references t(id)", "index (a, b)") and what else it says (details: the
 * actions of a foreign key, whether an index is unique).  Two definitions
 * with the same key and other details are one mismatch, not two.
 * fold_mysql: one side is MySQL (see the file header).
 */
static int
definitions(PmxCtx *ctx, const PmxTable *t, bool fold_mysql, PmxStrs *keys, PmxStrs *details)
{
	for (int i = 0; i < t->nuniques; i++)
		if (pmx_strs_pushf(ctx, keys, "unique %s", names_key(ctx, &t->uniques[i].cols)) != PMX_OK ||
			pmx_strs_pushf(ctx, details, "present") != PMX_OK)
			return PMX_ERROR;
	for (int i = 0; i < t->nfks; i++)
	{
		const PmxForeignKey *f = &t->fks[i];

		if (pmx_strs_pushf(ctx, keys, "foreign key %s references %s%s", names_key(ctx, &f->cols),
						   f->ref_table, f->ref_cols.n ? names_key(ctx, &f->ref_cols) : "") != PMX_OK ||
			pmx_strs_pushf(ctx, details, "on delete %s on update %s",
						   fk_action(f->on_delete, fold_mysql),
						   fk_action(f->on_update, fold_mysql)) != PMX_OK)
			return PMX_ERROR;
	}
	for (int i = 0; i < t->nindexes; i++)
	{
		const PmxIndex *x = &t->indexes[i];
		char	   *where = norm_default(ctx, x->where, false);

		/* MySQL has one kind of unique key: a unique index is a UNIQUE constraint */
		if (fold_mysql && x->unique && !where)
		{
			if (pmx_strs_pushf(ctx, keys, "unique %s", names_key(ctx, &x->elems)) != PMX_OK ||
				pmx_strs_pushf(ctx, details, "present") != PMX_OK)
				return PMX_ERROR;
			continue;
		}
		if (pmx_strs_pushf(ctx, keys, "index %s%s%s", names_key(ctx, &x->elems),
						   where ? " where " : "", where ? where : "") != PMX_OK ||
			pmx_strs_pushf(ctx, details, "%s", x->unique ? "unique" : "not unique") != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* The index in keys of key (with detail, when not NULL), or -1. */
static int
find_def(const PmxStrs *keys, const PmxStrs *details, const char *key, const char *detail)
{
	for (int i = 0; i < keys->n; i++)
		if (strcmp(keys->v[i], key) == 0 && (!detail || strcmp(details->v[i], detail) == 0))
			return i;
	return -1;
}

/* What a definitions() key is, for a reason. */
static const char *
definition_kind(const char *key)
{
	if (strncmp(key, "foreign key", 11) == 0)
		return "foreign key";
	if (strncmp(key, "unique", 6) == 0)
		return "UNIQUE constraint";
	return "index";
}

/* Why two definitions with the same key differ. */
static char *
definition_difference(PmxCtx *ctx, const char *key)
{
	if (strncmp(key, "foreign key", 11) == 0)
		return pmx_sprintf(ctx, "foreign key actions differ");
	return pmx_sprintf(ctx, "index is unique on one side only");
}

/* Compare two tables of the same name. */
static int
compare_table(Parity *P, const PmxTable *a, const PmxTable *b)
{
	PmxCtx	   *ctx = P->ctx;
	PmxStrs		ka = {0},
				kb = {0},
				da = {0},
				db = {0};
	char	   *pa = a->pk ? names_key(ctx, &a->pk->cols) : NULL,
			   *pb = b->pk ? names_key(ctx, &b->pk->cols) : NULL;
	bool		fold = P->A.dialect == PMX_DIALECT_MYSQL || P->B.dialect == PMX_DIALECT_MYSQL;

	for (int i = 0; i < a->ncols; i++)
	{
		PmxColumn  *cb = pmx_table_find_column(ctx, P->B.dialect, (PmxTable *) b, a->cols[i].name);

		if (!cb)
		{
			if (add(P, pmx_sprintf(ctx, "%s.%s", a->name, a->cols[i].name), a->cols[i].type, NULL,
					pmx_sprintf(ctx, "column only in A")) != PMX_OK)
				return PMX_ERROR;
		}
		else if (compare_column(P, a, b, &a->cols[i], cb) != PMX_OK)
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
	if (definitions(ctx, a, fold, &ka, &da) != PMX_OK || definitions(ctx, b, fold, &kb, &db) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < ka.n; i++)
	{
		int			j;

		if (find_def(&kb, &db, ka.v[i], da.v[i]) >= 0)
			continue;
		j = find_def(&kb, &db, ka.v[i], NULL);
		if (add(P, pmx_sprintf(ctx, "%s.%s", a->name, ka.v[i]), da.v[i], j >= 0 ? db.v[j] : NULL,
				j >= 0 ? definition_difference(ctx, ka.v[i])
				: pmx_sprintf(ctx, "%s only in A", definition_kind(ka.v[i]))) != PMX_OK)
			return PMX_ERROR;
	}
	for (int i = 0; i < kb.n; i++)
		if (find_def(&ka, NULL, kb.v[i], NULL) < 0 &&
			add(P, pmx_sprintf(ctx, "%s.%s", a->name, kb.v[i]), NULL, db.v[i],
				pmx_sprintf(ctx, "%s only in B", definition_kind(kb.v[i]))) != PMX_OK)
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
	if (root->type != PMX_JSON_OBJECT)
		return pmx_error(ctx, PMX_E_INVALID, "premix_parity: %s must be a JSON object, not %s", what,
						 pmx_json_type_name(root->type)),
			pmx_error_hint(ctx, "Pass premix_schema() output: {\"format\": 1, \"dialect\": ..., \"tables\": [...]}.");
	d = pmx_json_get(root, "dialect");
	if (d && d->type != PMX_JSON_STRING)
		return pmx_error(ctx, PMX_E_INVALID, "premix_parity: \"dialect\" of %s must be a string, not %s", what,
						 pmx_json_type_name(d->type)),
			pmx_error_hint(ctx, "The dialect is \"sqlite\", \"postgresql\" or \"mysql\".");
	if (!d)
		return pmx_error(ctx, PMX_E_INVALID, "premix_parity: %s has no \"dialect\"", what),
			pmx_error_hint(ctx, "Pass premix_schema() output, which says its dialect (\"sqlite\", \"postgresql\" or \"mysql\").");
	for (int i = 0; i < 3; i++)
		if (strcmp(d->s, names[i]) == 0)
		{
			out->dialect = (PmxDialect) i;
			out->s = pmx_schema_from_json(ctx, root, out->dialect);
			if (out->s && out->dialect == PMX_DIALECT_MYSQL)
				return pmx_mysql_normalize(ctx, out->s);
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
