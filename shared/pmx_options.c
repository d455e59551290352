/*-------------------------------------------------------------------------
 *
 * pmx_options.c
 *	  The options object of premix_diff / premix_migrate.
 *
 * Unknown keys are errors (with the nearest known key), like the target.
 * "schemas" and "lock_timeout" are PostgreSQL options: on SQLite the
 * first must name only "main", the second is accepted so one options
 * object serves every dialect, and has no effect (SQLite takes the
 * database write lock for the whole apply).  "trash" is reserved: only
 * false is accepted until it is implemented.
 *
 * IDENTIFICATION
 *	  shared/pmx_options.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_engine.h"

static const char *const option_keys[] = {
	"scope", "schemas", "lock_timeout", "trash", "out_of_order", NULL
};

/* MySQL/MariaDB: also what the procedures pass to premix_diff. */
static const char *const mysql_option_keys[] = {
	"scope", "schemas", "lock_timeout", "trash", "out_of_order", "facts", "normalized", "database", NULL
};

static int	options_read(PmxCtx *ctx, const PmxJson *root, PmxDialect d,
						 PmxOptions *out);

/* Parse options JSON into out; NULL or "" gives the defaults. */
int
pmx_options_parse(PmxCtx *ctx, const char *json, PmxDialect d, PmxOptions *out)
{
	PmxJson    *root;

	memset(out, 0, sizeof(*out));
	out->trash = d != PMX_DIALECT_MYSQL;	/* no trash on MySQL (yet) */
	if (!json || !*json)
		return PMX_OK;
	if (!(root = pmx_json_parse(ctx, json, "options")))
		return PMX_ERROR;
	if (options_read(ctx, root, d, out) != PMX_OK)
	{
		if (!ctx->err.hint && ctx->err.code != PMX_E_NOMEM)
			pmx_error_hint(ctx, "Options are {\"scope\": \"all\" or \"listed\", \"schemas\": [\"main\"], \"lock_timeout\": \"5s\", \"trash\": false, \"out_of_order\": false}.");
		return PMX_ERROR;
	}
	return PMX_OK;
}

/* Read the options object root into out. */
static int
options_read(PmxCtx *ctx, const PmxJson *root, PmxDialect d, PmxOptions *out)
{
	PmxJson    *v;

	if (pmx_json_check_keys(ctx, root, "", "options",
							d == PMX_DIALECT_MYSQL ? mysql_option_keys : option_keys) != PMX_OK)
		return PMX_ERROR;
	if ((v = pmx_json_get(root, "scope")) && v->type != PMX_JSON_NULL)
	{
		if (v->type == PMX_JSON_STRING && strcmp(v->s, "all") == 0)
			out->scope = PMX_SCOPE_ALL;
		else if (v->type == PMX_JSON_STRING && strcmp(v->s, "listed") == 0)
			out->scope = PMX_SCOPE_LISTED;
		else
			return pmx_error(ctx, PMX_E_INVALID, "option scope must be \"all\" or \"listed\"");
	}
	if ((v = pmx_json_get(root, "schemas")) && v->type != PMX_JSON_NULL)
	{
		if (v->type != PMX_JSON_ARRAY)
			return pmx_error(ctx, PMX_E_INVALID, "option schemas must be an array of schema names");
		for (size_t i = 0; i < v->n; i++)
		{
			if (v->items[i]->type != PMX_JSON_STRING)
				return pmx_error(ctx, PMX_E_INVALID, "option schemas must be an array of schema names");
			if (d == PMX_DIALECT_POSTGRES && v->n > 1)
			{
				pmx_error(ctx, PMX_E_UNSUPPORTED, "option schemas names %zu schemas; premix migrates one schema per call", v->n);
				return pmx_error_hint(ctx, "Call premix once per schema, each with {\"schemas\": [\"name\"]}.");
			}
			if (d == PMX_DIALECT_SQLITE && strcmp(v->items[i]->s, "main") != 0)
			{
				pmx_error(ctx, PMX_E_UNSUPPORTED, "schema \"%s\" is not supported on SQLite",
						  v->items[i]->s);
				return pmx_error_hint(ctx, "premix manages the \"main\" database of the connection.");
			}
		}
	}
	if ((v = pmx_json_get(root, "lock_timeout")) && v->type != PMX_JSON_NULL)
	{
		if (v->type != PMX_JSON_STRING)
			return pmx_error(ctx, PMX_E_INVALID, "option lock_timeout must be a string such as \"5s\"");
		out->lock_timeout = v->s;
	}
	if ((v = pmx_json_get(root, "out_of_order")) && v->type != PMX_JSON_NULL)
	{
		if (v->type != PMX_JSON_BOOL)
			return pmx_error(ctx, PMX_E_INVALID, "option out_of_order must be true or false");
		out->out_of_order = v->b;
	}
	if ((v = pmx_json_get(root, "trash")) && v->type != PMX_JSON_NULL)
	{
		if (v->type != PMX_JSON_BOOL)
			return pmx_error(ctx, PMX_E_INVALID, "option trash must be true or false");
		out->trash = v->b;
		if (out->trash && d == PMX_DIALECT_MYSQL)
		{
			pmx_error(ctx, PMX_E_UNSUPPORTED, "option trash is not available on MySQL/MariaDB");
			return pmx_error_hint(ctx, "Leave \"trash\" out: premix on MySQL keeps no copy of what a destructive step drops, so take a backup (mariadb-dump) first.");
		}
	}
	if ((v = pmx_json_get(root, "database")) && v->type != PMX_JSON_NULL)
	{
		if (d != PMX_DIALECT_MYSQL)
			return pmx_error(ctx, PMX_E_INVALID, "option database is for MySQL/MariaDB only");
		if (v->type != PMX_JSON_STRING || !*v->s)
			return pmx_error(ctx, PMX_E_INVALID, "option database must be a database name");
		out->database = v->s;
	}
	for (int i = 0; i < 2; i++)
	{
		const char *key = i ? "normalized" : "facts";

		if (!(v = pmx_json_get(root, key)) || v->type == PMX_JSON_NULL)
			continue;
		if (d != PMX_DIALECT_MYSQL)
			return pmx_error(ctx, PMX_E_INVALID, "option %s is for MySQL/MariaDB only", key);
		if (v->type != PMX_JSON_OBJECT)
			return pmx_error(ctx, PMX_E_INVALID, "option %s must be an object", key);
		if (i)
			out->normalized = v;
		else
			out->facts = v;
	}
	return PMX_OK;
}
