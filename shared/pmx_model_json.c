/*-------------------------------------------------------------------------
 *
 * pmx_model_json.c
 *	  Target JSON <-> schema model.
 *
 * The reader is strict: every object's keys are checked against the
 * contract and an unknown key is an error naming the key, its path
 * ("tables[2].columns[0].nulable") and the nearest known key.  Wrong JSON
 * types name the path and what was expected.  Expressions (defaults,
 * checks, predicates) are syntax-checked here so a bad one is reported
 * with its path before anything runs.
 *
 * The writer emits the same form, deterministically: tables sorted by
 * name, keys in a fixed order, empty lists and default values omitted.
 *
 * IDENTIFICATION
 *	  shared/pmx_model_json.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>

#include "pmx_json.h"
#include "pmx_model.h"
#include "pmx_sql.h"
#include "pmx_types.h"

static const char *const top_keys[] = {"format", "dialect", "enums", "tables", NULL};
static const char *const enum_keys[] = {"name", "values", NULL};
static const char *const table_keys[] = {
	"name", "schema", "renamed_from", "comment", "columns", "primary_key", "unique",
	"foreign_keys", "checks", "indexes", "options", NULL
};
static const char *const column_keys[] = {
	"name", "type", "nullable", "default", "identity", "collation",
	"comment", "renamed_from", NULL
};
static const char *const key_keys[] = {"name", "columns", NULL};
static const char *const fk_keys[] = {
	"name", "columns", "ref_table", "ref_columns", "on_delete", "on_update",
	"deferrable", NULL
};
static const char *const check_keys_[] = {"name", "expression", NULL};
static const char *const index_keys[] = {
	"name", "columns", "include", "unique", "where", "using", "renamed_from", NULL
};
static const char *const option_keys[] = {"without_rowid", "strict", NULL};

/* The target reader's key check: the root is called "the target". */
static int
check_object(PmxCtx *ctx, const PmxJson *obj, const char *path,
			 const char *const *allowed)
{
	return pmx_json_check_keys(ctx, obj, path, "the target", allowed);
}

/*
 * The path of member key of path, and of its element index when index >= 0:
 * ("tables[0]", "columns", 2) -> "tables[0].columns[2]", ("", "tables", 0)
 * -> "tables[0]".  Every element read gets one, for the errors that name
 * it, so it is built without printf.  NULL on OOM.
 */
static const char *
path_at(PmxCtx *ctx, const char *path, const char *key, long index)
{
	char		digits[24];
	int			nd = 0;
	size_t		pl = strlen(path),
				kl = strlen(key);
	char	   *out,
			   *o;

	if (!pl && index < 0)
		return key;
	for (long v = index; v >= 0 && (nd == 0 || v > 0); v /= 10)
		digits[nd++] = (char) ('0' + v % 10);
	if (!(o = out = pmx_alloc_raw(ctx, pl + kl + (size_t) nd + 4)))
		return NULL;
	memcpy(o, path, pl);
	o += pl;
	if (pl)
		*o++ = '.';
	memcpy(o, key, kl);
	o += kl;
	if (index >= 0)
	{
		*o++ = '[';
		while (nd > 0)
			*o++ = digits[--nd];
		*o++ = ']';
	}
	*o = '\0';
	return out;
}

/* Join a path and a key: "tables[0]" + "name" -> "tables[0].name". */
static const char *
path_key(PmxCtx *ctx, const char *path, const char *key)
{
	return path_at(ctx, path, key, -1);
}

/* Error for a member of the wrong JSON type, naming its path. */
static int
type_error(PmxCtx *ctx, const char *path, const char *key, const char *expected,
		   const PmxJson *got)
{
	return pmx_error(ctx, PMX_E_INVALID, "%s must be %s, not %s",
					 path_key(ctx, path, key), expected,
					 pmx_json_type_name(got->type));
}

/*
 * Read an optional (required=false) or required string member into *out.
 * JSON null counts as absent.  Empty strings are refused for names.
 */
static int
read_string(PmxCtx *ctx, const PmxJson *obj, const char *key, const char *path,
			bool required, bool is_name, char **out)
{
	PmxJson    *v = pmx_json_get(obj, key);

	*out = NULL;
	if (!v || v->type == PMX_JSON_NULL)
	{
		if (required)
			return pmx_error(ctx, PMX_E_INVALID, "%s is required",
							 path_key(ctx, path, key));
		return PMX_OK;
	}
	if (v->type != PMX_JSON_STRING)
		return type_error(ctx, path, key, "a string", v);
	if (is_name)
	{
		size_t		n = strlen(v->s);

		if (n == 0)
			return pmx_error(ctx, PMX_E_INVALID, "%s must not be empty",
							 path_key(ctx, path, key));
		if (n > PMX_MAX_IDENT)
			return pmx_error(ctx, PMX_E_INVALID, "%s is longer than %d bytes",
							 path_key(ctx, path, key), PMX_MAX_IDENT);
	}
	*out = (char *) v->s;
	return PMX_OK;
}

/* Read an optional boolean member; absent or null leaves *out alone. */
static int
read_bool(PmxCtx *ctx, const PmxJson *obj, const char *key, const char *path,
		  bool *out)
{
	PmxJson    *v = pmx_json_get(obj, key);

	if (!v || v->type == PMX_JSON_NULL)
		return PMX_OK;
	if (v->type != PMX_JSON_BOOL)
		return type_error(ctx, path, key, "true or false", v);
	*out = v->b;
	return PMX_OK;
}

/* Read an array of names; required arrays must be non-empty. */
static int
read_names(PmxCtx *ctx, const PmxJson *obj, const char *key, const char *path,
		   bool required, PmxNames *out)
{
	PmxJson    *v = pmx_json_get(obj, key);
	const char *p = path_key(ctx, path, key);

	memset(out, 0, sizeof(*out));
	if (!v || v->type == PMX_JSON_NULL)
	{
		if (required)
			return pmx_error(ctx, PMX_E_INVALID, "%s is required", p);
		return PMX_OK;
	}
	if (v->type != PMX_JSON_ARRAY)
		return type_error(ctx, path, key, "an array of names", v);
	if (required && v->n == 0)
		return pmx_error(ctx, PMX_E_INVALID, "%s must name at least one column", p);
	for (size_t i = 0; i < v->n; i++)
	{
		const PmxJson *e = v->items[i];

		if (e->type != PMX_JSON_STRING || e->s[0] == '\0')
			return pmx_error(ctx, PMX_E_INVALID, "%s[%zu] must be a non-empty string",
							 p, i);
		if (pmx_names_push(ctx, out, e->s) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* An optional array member: NULL/absent gives *out = NULL. */
static int
read_array(PmxCtx *ctx, const PmxJson *obj, const char *key, const char *path,
		   const PmxJson **out)
{
	PmxJson    *v = pmx_json_get(obj, key);

	*out = NULL;
	if (!v || v->type == PMX_JSON_NULL)
		return PMX_OK;
	if (v->type != PMX_JSON_ARRAY)
		return type_error(ctx, path, key, "an array", v);
	*out = v;
	return PMX_OK;
}

/* Normalize an ON DELETE/UPDATE action; NULL + error if unknown. */
static const char *
read_action(PmxCtx *ctx, const PmxJson *obj, const char *key, const char *path)
{
	static const char *const actions[] = {
		"no action", "restrict", "cascade", "set null", "set default", NULL
	};
	char	   *s;
	char	   *low;

	if (read_string(ctx, obj, key, path, false, false, &s) != PMX_OK)
		return NULL;
	if (!s)
		return "no action";
	low = pmx_lower(ctx, s);
	if (!low)
		return NULL;
	for (char *q = low; *q; q++)
		if (*q == '_')
			*q = ' ';
	for (int i = 0; actions[i]; i++)
		if (strcmp(low, actions[i]) == 0)
			return actions[i];
	pmx_error(ctx, PMX_E_INVALID, "%s has unknown action \"%s\"",
			  path_key(ctx, path, key), s);
	pmx_error_hint(ctx, "Use one of: no action, restrict, cascade, set null, set default.");
	return NULL;
}

/* Read a default: a string is SQL, a number or boolean its literal. */
static int
read_default(PmxCtx *ctx, PmxDialect d, const PmxJson *col, const char *path, char **out)
{
	PmxJson    *v = pmx_json_get(col, "default");
	const char *p = path_key(ctx, path, "default");

	*out = NULL;
	if (!v || v->type == PMX_JSON_NULL)
		return PMX_OK;
	switch (v->type)
	{
		case PMX_JSON_STRING:
			*out = pmx_sql_target_expr(ctx, d, v->s, p);
			break;
		case PMX_JSON_INT:
			*out = pmx_sprintf(ctx, "%lld", v->i);
			break;
		case PMX_JSON_BOOL:
			*out = pmx_strdup(ctx, v->b ? "true" : "false");
			break;
		default:
			return pmx_error(ctx, PMX_E_INVALID,
							 "%s must be an SQL expression string, an integer or a boolean, not %s",
							 p, pmx_json_type_name(v->type));
	}
	return *out ? PMX_OK : PMX_ERROR;
}

/* Read one column object into t. */
static int
read_column(PmxCtx *ctx, PmxDialect d, PmxTable *t, const PmxJson *jc, const char *path)
{
	char	   *name,
			   *type,
			   *identity;
	PmxColumn  *c;

	if (check_object(ctx, jc, path, column_keys) != PMX_OK ||
		read_string(ctx, jc, "name", path, true, true, &name) != PMX_OK ||
		read_string(ctx, jc, "type", path, true, false, &type) != PMX_OK)
		return PMX_ERROR;
	if (!(c = pmx_table_add_column(ctx, t, name)))
		return PMX_ERROR;
	/* type: trimmed of surrounding blanks */
	while (*type == ' ')
		type++;
	c->type = pmx_strdup(ctx, type);
	if (!c->type)
		return PMX_ERROR;
	for (size_t n = strlen(c->type); n > 0 && c->type[n - 1] == ' '; n--)
		c->type[n - 1] = '\0';
	/* "" is SQLite's typeless column; anything else must look like a type */
	if (d == PMX_DIALECT_POSTGRES ? !pmx_pg_valid_type_name(c->type)
		: d == PMX_DIALECT_MYSQL ? !pmx_mysql_valid_type_name(c->type)
		: !pmx_sql_valid_type_name(c->type))
	{
		pmx_error(ctx, PMX_E_INVALID, "%s.type \"%s\" is not a type name", path, c->type);
		return pmx_error_hint(ctx, d == PMX_DIALECT_POSTGRES
							  ? "A type is a (schema-qualified) name with an optional (n) or (p, s) and [] for arrays, such as varchar(50), numeric(10, 2) or text[]."
							  : "A type is one or more words with an optional (n) or (p, s), such as varchar(50) or numeric(10, 2).");
	}
	if (read_bool(ctx, jc, "nullable", path, &c->nullable) != PMX_OK ||
		read_default(ctx, d, jc, path, &c->default_expr) != PMX_OK ||
		read_string(ctx, jc, "collation", path, false, true, &c->collation) != PMX_OK ||
		read_string(ctx, jc, "renamed_from", path, false, true, &c->renamed_from) != PMX_OK ||
		read_string(ctx, jc, "comment", path, false, false, &c->comment) != PMX_OK ||
		read_string(ctx, jc, "identity", path, false, false, &identity) != PMX_OK)
		return PMX_ERROR;
	if (identity)
	{
		if (strcmp(identity, "by default") == 0)
			c->identity = PMX_IDENTITY_BY_DEFAULT;
		else if (strcmp(identity, "always") == 0)
			c->identity = PMX_IDENTITY_ALWAYS;
		else
		{
			pmx_error(ctx, PMX_E_INVALID, "%s.identity must be \"by default\", \"always\" or null, not \"%s\"",
					  path, identity);
			return PMX_ERROR;
		}
	}
	return PMX_OK;
}

/* Read a {name, columns} object (primary key or unique). */
static int
read_key(PmxCtx *ctx, const PmxJson *jk, const char *path, PmxKey *k)
{
	return (check_object(ctx, jk, path, key_keys) != PMX_OK ||
			read_string(ctx, jk, "name", path, false, true, &k->name) != PMX_OK ||
			read_names(ctx, jk, "columns", path, true, &k->cols) != PMX_OK)
		? PMX_ERROR : PMX_OK;
}

/* Read one foreign key object into t. */
static int
read_fk(PmxCtx *ctx, PmxDialect d, PmxTable *t, const PmxJson *jf, const char *path)
{
	PmxForeignKey *fk;

	(void) d;
	if (check_object(ctx, jf, path, fk_keys) != PMX_OK ||
		!(fk = pmx_table_add_fk(ctx, t)))
		return PMX_ERROR;
	if (read_string(ctx, jf, "name", path, false, true, &fk->name) != PMX_OK ||
		read_names(ctx, jf, "columns", path, true, &fk->cols) != PMX_OK ||
		read_string(ctx, jf, "ref_table", path, true, true, &fk->ref_table) != PMX_OK ||
		read_names(ctx, jf, "ref_columns", path, false, &fk->ref_cols) != PMX_OK ||
		!(fk->on_delete = (char *) read_action(ctx, jf, "on_delete", path)) ||
		!(fk->on_update = (char *) read_action(ctx, jf, "on_update", path)) ||
		read_bool(ctx, jf, "deferrable", path, &fk->deferrable) != PMX_OK)
		return PMX_ERROR;
	if (fk->ref_cols.n && fk->ref_cols.n != fk->cols.n)
		return pmx_error(ctx, PMX_E_INVALID,
						 "%s has %d columns but %d ref_columns", path,
						 fk->cols.n, fk->ref_cols.n);
	return PMX_OK;
}

/* Read one check object into t. */
static int
read_check(PmxCtx *ctx, PmxDialect d, PmxTable *t, const PmxJson *jc, const char *path)
{
	PmxCheck   *ck;
	char	   *expr;

	if (check_object(ctx, jc, path, check_keys_) != PMX_OK ||
		!(ck = pmx_table_add_check(ctx, t)) ||
		read_string(ctx, jc, "name", path, false, true, &ck->name) != PMX_OK ||
		read_string(ctx, jc, "expression", path, true, false, &expr) != PMX_OK)
		return PMX_ERROR;
	ck->expr = pmx_sql_target_expr(ctx, d, expr, path_key(ctx, path, "expression"));
	return ck->expr ? PMX_OK : PMX_ERROR;
}

/* Read one index object into t. */
static int
read_index(PmxCtx *ctx, PmxDialect d, PmxTable *t, const PmxJson *ji, const char *path)
{
	PmxIndex   *ix;
	char	   *where,
			   *method;

	if (check_object(ctx, ji, path, index_keys) != PMX_OK ||
		!(ix = pmx_table_add_index(ctx, t)) ||
		read_string(ctx, ji, "name", path, false, true, &ix->name) != PMX_OK ||
		read_names(ctx, ji, "columns", path, true, &ix->elems) != PMX_OK ||
		read_bool(ctx, ji, "unique", path, &ix->unique) != PMX_OK ||
		read_string(ctx, ji, "where", path, false, false, &where) != PMX_OK ||
		read_string(ctx, ji, "using", path, false, false, &method) != PMX_OK ||
		read_names(ctx, ji, "include", path, false, &ix->include) != PMX_OK ||
		read_string(ctx, ji, "renamed_from", path, false, true, &ix->renamed_from) != PMX_OK)
		return PMX_ERROR;
	if (where && !(ix->where = pmx_sql_target_expr(ctx, d, where, path_key(ctx, path, "where"))))
		return PMX_ERROR;
	if (method && !(ix->method = pmx_lower(ctx, method)))
		return PMX_ERROR;
	return PMX_OK;
}

/* Read every element of the array member key with fn. */
typedef int (*ReadElemFn) (PmxCtx *, PmxDialect, PmxTable *, const PmxJson *, const char *);

/* Read every element of the array member key with fn. */
static int
read_list(PmxCtx *ctx, PmxDialect d, PmxTable *t, const PmxJson *jt, const char *key,
		  const char *path, ReadElemFn fn)
{
	const PmxJson *arr;

	if (read_array(ctx, jt, key, path, &arr) != PMX_OK)
		return PMX_ERROR;
	for (size_t i = 0; arr && i < arr->n; i++)
	{
		const char *p = path_at(ctx, path, key, (long) i);

		if (!p || fn(ctx, d, t, arr->items[i], p) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* Read one unique-constraint object into t. */
static int
read_unique(PmxCtx *ctx, PmxDialect d, PmxTable *t, const PmxJson *ju, const char *path)
{
	PmxKey	   *k = pmx_table_add_unique(ctx, t);

	(void) d;
	return k ? read_key(ctx, ju, path, k) : PMX_ERROR;
}

/* Read one table object into s. */
static int
read_table(PmxCtx *ctx, PmxSchema *s, const PmxJson *jt, const char *path)
{
	char	   *name;
	PmxTable   *t;
	const PmxJson *cols;
	PmxJson    *v;

	if (check_object(ctx, jt, path, table_keys) != PMX_OK ||
		read_string(ctx, jt, "name", path, true, true, &name) != PMX_OK ||
		!(t = pmx_schema_add_table(ctx, s, name)) ||
		read_string(ctx, jt, "schema", path, false, true, &t->schema) != PMX_OK ||
		read_string(ctx, jt, "renamed_from", path, false, true, &t->renamed_from) != PMX_OK ||
		read_string(ctx, jt, "comment", path, false, false, &t->comment) != PMX_OK ||
		read_array(ctx, jt, "columns", path, &cols) != PMX_OK)
		return PMX_ERROR;
	if (!cols || cols->n == 0)
		return pmx_error(ctx, PMX_E_INVALID, "%s.columns must list at least one column (table \"%s\")",
						 path, name);
	for (size_t i = 0; i < cols->n; i++)
	{
		const char *p = path_at(ctx, path, "columns", (long) i);

		if (!p || read_column(ctx, s->dialect, t, cols->items[i], p) != PMX_OK)
			return PMX_ERROR;
	}
	v = pmx_json_get(jt, "primary_key");
	if (v && v->type != PMX_JSON_NULL)
	{
		if (!(t->pk = pmx_alloc(ctx, sizeof(PmxKey))) ||
			read_key(ctx, v, path_key(ctx, path, "primary_key"), t->pk) != PMX_OK)
			return PMX_ERROR;
	}
	if (read_list(ctx, s->dialect, t, jt, "unique", path, read_unique) != PMX_OK ||
		read_list(ctx, s->dialect, t, jt, "foreign_keys", path, read_fk) != PMX_OK ||
		read_list(ctx, s->dialect, t, jt, "checks", path, read_check) != PMX_OK ||
		read_list(ctx, s->dialect, t, jt, "indexes", path, read_index) != PMX_OK)
		return PMX_ERROR;
	v = pmx_json_get(jt, "options");
	if (v && v->type != PMX_JSON_NULL)
	{
		const char *p = path_key(ctx, path, "options");

		if (check_object(ctx, v, p, option_keys) != PMX_OK ||
			read_bool(ctx, v, "without_rowid", p, &t->without_rowid) != PMX_OK ||
			read_bool(ctx, v, "strict", p, &t->strict) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/*
 * Build a model from parsed target JSON.  Returns NULL with PMX_E_INVALID
 * naming the path of the first problem.  Names are not yet checked against
 * each other (pmx_validate does that).
 */
/*
 * "enums" (PostgreSQL): each {"name", "values"}; its presence makes the
 * enum types managed (created, extended, dropped with the target).
 */
static int
read_enums(PmxCtx *ctx, PmxSchema *s, const PmxJson *root)
{
	const PmxJson *arr;

	if (read_array(ctx, root, "enums", "", &arr) != PMX_OK)
		return PMX_ERROR;
	if (!arr)
		return PMX_OK;
	if (s->dialect != PMX_DIALECT_POSTGRES)
		return pmx_error(ctx, PMX_E_UNSUPPORTED, "enum types are PostgreSQL's; this database has none"),
			pmx_error_hint(ctx, "Leave \"enums\" out: use a text column with a CHECK (c IN (...)) instead.");
	s->enums_listed = true;
	for (size_t i = 0; i < arr->n; i++)
	{
		const char *p = path_at(ctx, "", "enums", (long) i);
		char	   *name;
		PmxEnum    *e;

		if (!p || check_object(ctx, arr->items[i], p, enum_keys) != PMX_OK ||
			read_string(ctx, arr->items[i], "name", p, true, true, &name) != PMX_OK)
			return PMX_ERROR;
		if (pmx_schema_find_enum(s, name))
			return pmx_error(ctx, PMX_E_DUPLICATE, "enum type \"%s\" is listed twice", name),
				pmx_error_hint(ctx, "Remove one of them.");
		if (!(e = pmx_schema_add_enum(ctx, s, name)) ||
			read_names(ctx, arr->items[i], "values", p, true, &e->values) != PMX_OK)
			return PMX_ERROR;
		if (e->values.n == 0)
			return pmx_error(ctx, PMX_E_INVALID, "%s.values must list at least one label", p),
				pmx_error_hint(ctx, "An enum type is {\"name\": \"mood\", \"values\": [\"sad\", \"ok\"]}.");
		for (int a = 0; a < e->values.n; a++)
			for (int b = a + 1; b < e->values.n; b++)
				if (strcmp(e->values.v[a], e->values.v[b]) == 0)
					return pmx_error(ctx, PMX_E_DUPLICATE, "enum type \"%s\" lists label \"%s\" twice",
									 name, e->values.v[a]),
						pmx_error_hint(ctx, "Each label of an enum type appears once.");
	}
	return PMX_OK;
}

PmxSchema *
pmx_schema_from_json(PmxCtx *ctx, const PmxJson *root, PmxDialect dialect)
{
	PmxSchema  *s;
	const PmxJson *tables;
	PmxJson    *fmt;

	if (check_object(ctx, root, "", top_keys) != PMX_OK)
	{
		if (root && root->type != PMX_JSON_OBJECT)
			pmx_error_hint(ctx, "A target is an object: {\"tables\": [...]}.");
		return NULL;
	}
	fmt = pmx_json_get(root, "format");
	if (fmt && !(fmt->type == PMX_JSON_INT && fmt->i == 1))
	{
		pmx_error(ctx, PMX_E_INVALID, "format must be 1");
		return NULL;
	}
	if (read_array(ctx, root, "tables", "", &tables) != PMX_OK)
		return NULL;
	if (!tables)
	{
		pmx_error(ctx, PMX_E_INVALID, "tables is required");
		pmx_error_hint(ctx, "A target is an object: {\"tables\": [...]}; an empty schema is {\"tables\": []}.");
		return NULL;
	}
	if (!(s = pmx_schema_new(ctx, dialect)) || read_enums(ctx, s, root) != PMX_OK)
		return NULL;
	for (size_t i = 0; i < tables->n; i++)
	{
		const char *p = path_at(ctx, "", "tables", (long) i);

		if (!p || read_table(ctx, s, tables->items[i], p) != PMX_OK)
		{
			if (!ctx->err.hint)
				pmx_error_hint(ctx, "Fix the target at that path; each table is {\"name\": ..., \"columns\": [{\"name\": ..., \"type\": ...}], ...} (README.md, JSON forms).");
			return NULL;
		}
	}
	return s;
}

/* ------------------------------------------------------------- writer */

/* "enums": [{"name": ..., "values": [...]}], when the schema has any. */
static void
write_enums(PmxJsonWriter *w, const PmxSchema *s)
{
	if (s->nenums == 0)
		return;
	pmx_jw_key(w, "enums");
	pmx_jw_begin_array(w);
	for (int i = 0; i < s->nenums; i++)
	{
		pmx_jw_begin_object(w);
		pmx_jw_key(w, "name");
		pmx_jw_string(w, s->enums[i].name);
		pmx_jw_key(w, "values");
		pmx_jw_begin_array(w);
		for (int k = 0; k < s->enums[i].values.n; k++)
			pmx_jw_string(w, s->enums[i].values.v[k]);
		pmx_jw_end_array(w);
		pmx_jw_end_object(w);
	}
	pmx_jw_end_array(w);
}

/* Write a name list as a JSON array. */
static void
write_names(PmxJsonWriter *w, const PmxNames *n)
{
	pmx_jw_begin_array(w);
	for (int i = 0; i < n->n; i++)
		pmx_jw_string(w, n->v[i]);
	pmx_jw_end_array(w);
}

/* Write a primary key or unique constraint. */
static void
write_key(PmxJsonWriter *w, const PmxKey *k)
{
	pmx_jw_begin_object(w);
	if (k->name)
	{
		pmx_jw_key(w, "name");
		pmx_jw_string(w, k->name);
	}
	pmx_jw_key(w, "columns");
	write_names(w, &k->cols);
	pmx_jw_end_object(w);
}

/* Write one table in the target form. */
void
pmx_table_write_json(PmxJsonWriter *w, const PmxTable *t)
{
	pmx_jw_begin_object(w);
	pmx_jw_key(w, "name");
	pmx_jw_string(w, t->name);
	if (t->schema)
	{
		pmx_jw_key(w, "schema");
		pmx_jw_string(w, t->schema);
	}
	if (t->comment)
	{
		pmx_jw_key(w, "comment");
		pmx_jw_string(w, t->comment);
	}
	pmx_jw_key(w, "columns");
	pmx_jw_begin_array(w);
	for (int i = 0; i < t->ncols; i++)
	{
		const PmxColumn *c = &t->cols[i];

		pmx_jw_begin_object(w);
		pmx_jw_key(w, "name");
		pmx_jw_string(w, c->name);
		pmx_jw_key(w, "type");
		pmx_jw_string(w, c->type);
		pmx_jw_key(w, "nullable");
		pmx_jw_bool(w, c->nullable);
		if (c->default_expr)
		{
			pmx_jw_key(w, "default");
			pmx_jw_string(w, c->default_expr);
		}
		if (c->identity != PMX_IDENTITY_NONE)
		{
			pmx_jw_key(w, "identity");
			pmx_jw_string(w, c->identity == PMX_IDENTITY_ALWAYS ? "always" : "by default");
		}
		if (c->collation)
		{
			pmx_jw_key(w, "collation");
			pmx_jw_string(w, c->collation);
		}
		if (c->comment)
		{
			pmx_jw_key(w, "comment");
			pmx_jw_string(w, c->comment);
		}
		pmx_jw_end_object(w);
	}
	pmx_jw_end_array(w);
	if (t->pk)
	{
		pmx_jw_key(w, "primary_key");
		write_key(w, t->pk);
	}
	if (t->nuniques)
	{
		pmx_jw_key(w, "unique");
		pmx_jw_begin_array(w);
		for (int i = 0; i < t->nuniques; i++)
			write_key(w, &t->uniques[i]);
		pmx_jw_end_array(w);
	}
	if (t->nfks)
	{
		pmx_jw_key(w, "foreign_keys");
		pmx_jw_begin_array(w);
		for (int i = 0; i < t->nfks; i++)
		{
			const PmxForeignKey *fk = &t->fks[i];

			pmx_jw_begin_object(w);
			if (fk->name)
			{
				pmx_jw_key(w, "name");
				pmx_jw_string(w, fk->name);
			}
			pmx_jw_key(w, "columns");
			write_names(w, &fk->cols);
			pmx_jw_key(w, "ref_table");
			pmx_jw_string(w, fk->ref_table);
			pmx_jw_key(w, "ref_columns");
			write_names(w, &fk->ref_cols);
			pmx_jw_key(w, "on_delete");
			pmx_jw_string(w, fk->on_delete);
			pmx_jw_key(w, "on_update");
			pmx_jw_string(w, fk->on_update);
			if (fk->deferrable)
			{
				pmx_jw_key(w, "deferrable");
				pmx_jw_bool(w, true);
			}
			pmx_jw_end_object(w);
		}
		pmx_jw_end_array(w);
	}
	if (t->nchecks)
	{
		pmx_jw_key(w, "checks");
		pmx_jw_begin_array(w);
		for (int i = 0; i < t->nchecks; i++)
		{
			pmx_jw_begin_object(w);
			if (t->checks[i].name)
			{
				pmx_jw_key(w, "name");
				pmx_jw_string(w, t->checks[i].name);
			}
			pmx_jw_key(w, "expression");
			pmx_jw_string(w, t->checks[i].expr);
			pmx_jw_end_object(w);
		}
		pmx_jw_end_array(w);
	}
	if (t->nindexes)
	{
		pmx_jw_key(w, "indexes");
		pmx_jw_begin_array(w);
		for (int i = 0; i < t->nindexes; i++)
		{
			const PmxIndex *ix = &t->indexes[i];

			pmx_jw_begin_object(w);
			pmx_jw_key(w, "name");
			pmx_jw_string(w, ix->name);
			pmx_jw_key(w, "columns");
			write_names(w, &ix->elems);
			pmx_jw_key(w, "unique");
			pmx_jw_bool(w, ix->unique);
			if (ix->where)
			{
				pmx_jw_key(w, "where");
				pmx_jw_string(w, ix->where);
			}
			pmx_jw_key(w, "using");
			pmx_jw_string(w, ix->method);
			if (ix->include.n)
			{
				pmx_jw_key(w, "include");
				write_names(w, &ix->include);
			}
			pmx_jw_end_object(w);
		}
		pmx_jw_end_array(w);
	}
	if (t->without_rowid || t->strict)
	{
		pmx_jw_key(w, "options");
		pmx_jw_begin_object(w);
		if (t->strict)
		{
			pmx_jw_key(w, "strict");
			pmx_jw_bool(w, true);
		}
		if (t->without_rowid)
		{
			pmx_jw_key(w, "without_rowid");
			pmx_jw_bool(w, true);
		}
		pmx_jw_end_object(w);
	}
	pmx_jw_end_object(w);
}

/*
 * The schema as target JSON, in canonical order (the schema is sorted in
 * place).  NULL on OOM.
 */
char *
pmx_schema_to_json(PmxCtx *ctx, PmxSchema *s)
{
	PmxJsonWriter w;
	static const char *const dialects[] = {"sqlite", "postgresql", "mysql"};

	pmx_schema_sort(s);
	pmx_jw_init(&w, ctx);
	pmx_jw_begin_object(&w);
	pmx_jw_key(&w, "format");
	pmx_jw_int(&w, 1);
	pmx_jw_key(&w, "dialect");
	pmx_jw_string(&w, dialects[s->dialect]);
	write_enums(&w, s);
	pmx_jw_key(&w, "tables");
	pmx_jw_begin_array(&w);
	for (int i = 0; i < s->ntables; i++)
		pmx_table_write_json(&w, s->tables[i]);
	pmx_jw_end_array(&w);
	pmx_jw_end_object(&w);
	return pmx_jw_finish(&w);
}
