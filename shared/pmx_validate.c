/*-------------------------------------------------------------------------
 *
 * pmx_validate.c
 *	  Check a target model before anything runs, and complete it.
 *
 * Errors name the object and, where a name is probably a typo, suggest the
 * nearest existing one: a foreign key to "user" when there is a "users"
 * says so.  Completion: omitted foreign key ref_columns become the
 * referenced primary key; omitted index names are taken from a live index
 * with the same definition, else made as <table>_<columns>_idx.
 *
 * IDENTIFICATION
 *	  shared/pmx_validate.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_plan.h"
#include "pmx_render_sqlite.h"
#include "pmx_sql.h"
#include "pmx_trash.h"
#include "pmx_types.h"
#include "pmx_validate.h"

/* Names of all tables of s (and live when given), for suggestions. */

/* True when s starts with prefix, ASCII case folded. */
static bool
starts_with_fold(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
	{
		char		a = *s >= 'A' && *s <= 'Z' ? (char) (*s + 32) : *s;

		if (a != *prefix)
			return false;
	}
	return true;
}

static const char **
table_names(PmxCtx *ctx, PmxSchema *s, PmxSchema *live, size_t *n)
{
	size_t		total = (size_t) s->ntables + (live ? (size_t) live->ntables : 0);
	const char **v = pmx_alloc(ctx, (total ? total : 1) * sizeof(char *));

	*n = 0;
	if (!v)
		return NULL;
	for (int i = 0; i < s->ntables; i++)
		v[(*n)++] = s->tables[i]->name;
	for (int i = 0; live && i < live->ntables; i++)
		v[(*n)++] = live->tables[i]->name;
	return v;
}

/* Column names of t, for suggestions. */
static const char **
column_names(PmxCtx *ctx, const PmxTable *t)
{
	const char **v = pmx_alloc(ctx, (size_t) (t->ncols + 1) * sizeof(char *));

	for (int i = 0; v && i < t->ncols; i++)
		v[i] = t->cols[i].name;
	return v;
}

/* Error for a column list entry that names no column of t. */
static int
check_columns(PmxCtx *ctx, PmxDialect d, PmxTable *t, PmxNames *cols,
			  const char *what)
{
	for (int i = 0; i < cols->n; i++)
	{
		PmxColumn  *c = pmx_table_find_column(ctx, d, t, cols->v[i]);
		const char **names;
		const char *near;

		if (c)
		{
			cols->v[i] = c->name;	/* the table's spelling */
			continue;
		}
		names = column_names(ctx, t);
		near = names ? pmx_nearest(cols->v[i], names, (size_t) t->ncols, -1) : NULL;
		pmx_error(ctx, PMX_E_UNKNOWN_OBJECT, "%s of table \"%s\" names column \"%s\", which the table does not have",
				  what, t->name, cols->v[i]);
		if (near)
			pmx_error_hint(ctx, "Did you mean \"%s\"?", near);
		return PMX_ERROR;
	}
	return PMX_OK;
}

/* True when cols are exactly the PK or a UNIQUE key of t (any order). */
static bool
cols_are_key(PmxDialect d, const PmxTable *t, const PmxNames *cols)
{
	const PmxKey *keys[1];

	keys[0] = t->pk;
	for (int k = -1; k < t->nuniques + t->nindexes; k++)
	{
		const PmxNames *kc;
		int			hits = 0;

		if (k < 0)
		{
			if (!keys[0])
				continue;
			kc = &keys[0]->cols;
		}
		else if (k < t->nuniques)
			kc = &t->uniques[k].cols;
		else
		{
			const PmxIndex *ix = &t->indexes[k - t->nuniques];

			if (!ix->unique || ix->where)
				continue;
			kc = &ix->elems;
		}
		if (kc->n != cols->n)
			continue;
		for (int i = 0; i < cols->n; i++)
			for (int j = 0; j < kc->n; j++)
				if (pmx_ident_eq(d, cols->v[i], kc->v[j]))
				{
					hits++;
					break;
				}
		if (hits == cols->n)
			return true;
	}
	return false;
}

/* Validate and complete the foreign keys of t. */
static int
check_fks(PmxCtx *ctx, PmxSchema *s, PmxSchema *live, const PmxOptions *opts,
		  PmxTable *t)
{
	for (int f = 0; f < t->nfks; f++)
	{
		PmxForeignKey *fk = &t->fks[f];
		PmxTable   *parent = pmx_schema_find(ctx, s, fk->ref_table);
		const char *what = fk->name ? pmx_sprintf(ctx, "foreign key \"%s\"", fk->name)
			: "a foreign key";

		if (check_columns(ctx, s->dialect, t, &fk->cols, what) != PMX_OK)
			return PMX_ERROR;
		if (fk->deferrable && s->dialect == PMX_DIALECT_SQLITE)
		{
			pmx_error(ctx, PMX_E_UNSUPPORTED, "%s of table \"%s\" is deferrable, which premix does not manage on SQLite",
					  what, t->name);
			return pmx_error_hint(ctx, "Leave \"deferrable\" out: on SQLite premix checks every key with foreign_key_check before it commits.");
		}
		if (!parent && live && opts->scope == PMX_SCOPE_LISTED)
			parent = pmx_schema_find(ctx, live, fk->ref_table);
		if (!parent)
		{
			size_t		n;
			const char **names = table_names(ctx, s,
											 opts->scope == PMX_SCOPE_LISTED ? live : NULL, &n);
			const char *near = names ? pmx_nearest(fk->ref_table, names, n, -1) : NULL;

			pmx_error(ctx, PMX_E_UNKNOWN_OBJECT,
					  "%s of table \"%s\" references table \"%s\", which does not exist in the target",
					  what, t->name, fk->ref_table);
			if (near)
				pmx_error_hint(ctx, "Did you mean \"%s\"?", near);
			else
				pmx_error_hint(ctx, "Add table \"%s\" to the target, or remove the foreign key.",
							   fk->ref_table);
			return PMX_ERROR;
		}
		fk->ref_table = parent->name;
		if (fk->ref_cols.n == 0)
		{
			if (!parent->pk)
			{
				pmx_error(ctx, PMX_E_INVALID,
						  "%s of table \"%s\" gives no ref_columns and table \"%s\" has no primary key",
						  what, t->name, parent->name);
				return pmx_error_hint(ctx, "List the referenced columns in \"ref_columns\".");
			}
			for (int k = 0; k < parent->pk->cols.n; k++)
				if (pmx_names_push(ctx, &fk->ref_cols, parent->pk->cols.v[k]) != PMX_OK)
					return PMX_ERROR;
		}
		if (fk->ref_cols.n != fk->cols.n)
			return pmx_error(ctx, PMX_E_INVALID,
						 "%s of table \"%s\" has %d columns but references %d",
						 what, t->name, fk->cols.n, fk->ref_cols.n),
				pmx_error_hint(ctx, "List as many ref_columns as columns, in matching order.");
		if (check_columns(ctx, s->dialect, parent, &fk->ref_cols,
						  pmx_sprintf(ctx, "%s of table \"%s\" (referenced side)", what, t->name)) != PMX_OK)
			return PMX_ERROR;
		if (s->dialect == PMX_DIALECT_SQLITE && !cols_are_key(s->dialect, parent, &fk->ref_cols))
		{
			char	   *cols = pmx_names_join(ctx, &fk->ref_cols, ", ");

			pmx_error(ctx, PMX_E_INVALID,
					  "%s of table \"%s\" references %s(%s), which is not a primary key or unique key",
					  what, t->name, parent->name, cols ? cols : "");
			return pmx_error_hint(ctx, "SQLite requires the referenced columns to be the primary key or a UNIQUE key of \"%s\".",
								  parent->name);
		}
	}
	return PMX_OK;
}

/* Two index definitions are the same (elements, predicate, uniqueness). */
bool
pmx_index_same_def(PmxDialect d, const PmxTable *ta, const PmxIndex *a,
				   const PmxTable *tb, const PmxIndex *b)
{
	if (a->unique != b->unique || !pmx_streq_null(a->where, b->where) ||
		a->elems.n != b->elems.n || strcmp(a->method, b->method) != 0 ||
		!pmx_names_eq(d, &a->include, &b->include))
		return false;
	for (int i = 0; i < a->elems.n; i++)
	{
		bool		ca = pmx_index_elem_is_column(ta, a->elems.v[i]);
		bool		cb = pmx_index_elem_is_column(tb, b->elems.v[i]);

		if (ca != cb)
			return false;
		if (ca ? !pmx_ident_eq(d, a->elems.v[i], b->elems.v[i])
			: strcmp(a->elems.v[i], b->elems.v[i]) != 0)
			return false;
	}
	return true;
}

/* Validate index elements and give unnamed indexes a name. */
static int
check_indexes(PmxCtx *ctx, PmxSchema *s, PmxSchema *live, PmxTable *t,
			  PmxMap *used)
{
	PmxTable   *lt = live ? pmx_schema_find(ctx, live, t->renamed_from ? t->renamed_from : t->name) : NULL;

	if (live && !lt)
		lt = pmx_schema_find(ctx, live, t->name);
	for (int i = 0; i < t->nindexes; i++)
	{
		PmxIndex   *ix = &t->indexes[i];

		if (strcmp(ix->method, "btree") != 0 && s->dialect == PMX_DIALECT_SQLITE)
		{
			pmx_error(ctx, PMX_E_UNSUPPORTED, "index on table \"%s\" uses \"%s\"; SQLite has only btree indexes",
					  t->name, ix->method);
			return pmx_error_hint(ctx, "Leave \"using\" out or set it to \"btree\".");
		}
		if (ix->include.n && s->dialect == PMX_DIALECT_SQLITE)
		{
			pmx_error(ctx, PMX_E_UNSUPPORTED, "index on table \"%s\" has INCLUDE columns, which SQLite does not have",
					  t->name);
			return pmx_error_hint(ctx, "Leave \"include\" out, or add the columns to \"columns\".");
		}
		if (ix->include.n && check_columns(ctx, s->dialect, t, &ix->include,
										   pmx_sprintf(ctx, "the INCLUDE list of an index on table \"%s\"", t->name)) != PMX_OK)
			return PMX_ERROR;
		for (int e = 0; e < ix->elems.n; e++)
		{
			char	   *elem = ix->elems.v[e];
			PmxColumn  *c = pmx_table_find_column(ctx, s->dialect, t, elem);
			PmxTok		first,
						second;

			if (c)
			{
				ix->elems.v[e] = c->name;
				continue;
			}
			if (!(elem = pmx_sql_target_expr(ctx, s->dialect, elem,
											pmx_sprintf(ctx, "an element of an index on table \"%s\"", t->name))))
				return PMX_ERROR;
			first = pmx_sql_next(elem, true);
			second = pmx_sql_next(first.p + first.len, true);
			if (second.type == PMX_TK_EOF &&
				(first.type == PMX_TK_WORD || first.type == PMX_TK_QIDENT))
			{
				/* a lone name ("b", "(b)"): a column, or a typo -- never an expression */
				char	   *name = pmx_tok_ident(ctx, &first);
				PmxNames	one = {&name, 1};

				if (!name || check_columns(ctx, s->dialect, t, &one,
										   ix->name ? pmx_sprintf(ctx, "index \"%s\"", ix->name) : "an index") != PMX_OK)
					return PMX_ERROR;
				elem = name;
			}
			ix->elems.v[e] = elem;
		}
		if (ix->name)
			continue;			/* named: registered by the caller */
		if (lt)
		{
			for (int k = 0; k < lt->nindexes; k++)
				if (!pmx_map_get(used, lt->indexes[k].name) &&
					pmx_index_same_def(s->dialect, lt, &lt->indexes[k], t, ix))
				{
					ix->name = lt->indexes[k].name;
					break;
				}
		}
		if (!ix->name)
		{
			PmxBuf		b;
			char	   *base;

			pmx_buf_init(&b, ctx);
			pmx_buf_append(&b, t->name);
			for (int e = 0; e < ix->elems.n; e++)
			{
				pmx_buf_putc(&b, '_');
				pmx_buf_append(&b, pmx_index_elem_is_column(t, ix->elems.v[e]) ? ix->elems.v[e] : "expr");
			}
			pmx_buf_append(&b, "_idx");
			if (!(base = pmx_buf_finish(&b)))
				return PMX_ERROR;
			ix->name = base;
			for (int k = 1; pmx_map_get(used, ix->name); k++)
				if (!(ix->name = pmx_sprintf(ctx, "%s%d", base, k)))
					return PMX_ERROR;
		}
		if (pmx_map_put(used, ix->name, t) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* Dialect rules for identity columns. */
static int
check_identity(PmxCtx *ctx, PmxDialect d, PmxTable *t)
{
	const PmxColumn *id = NULL;

	for (int i = 0; i < t->ncols; i++)
	{
		if (t->cols[i].identity == PMX_IDENTITY_NONE)
			continue;
		if (id)
			return pmx_error(ctx, PMX_E_INVALID, "table \"%s\" has two identity columns, \"%s\" and \"%s\"",
							 t->name, id->name, t->cols[i].name),
				pmx_error_hint(ctx, "Keep \"identity\" on one column.");
		id = &t->cols[i];
	}
	if (!id || d != PMX_DIALECT_SQLITE)
		return PMX_OK;
	if (!pmx_type_is_integer(pmx_type_parse(id->type).kind) && !pmx_streq_fold(id->type, "integer"))
	{
		pmx_error(ctx, PMX_E_UNSUPPORTED, "identity column \"%s\".\"%s\" has type %s; SQLite's AUTOINCREMENT needs an integer",
				  t->name, id->name, id->type);
		return pmx_error_hint(ctx, "Use type bigint or integer.");
	}
	if (!t->pk || t->pk->cols.n != 1 || !pmx_ident_eq(d, t->pk->cols.v[0], id->name))
	{
		pmx_error(ctx, PMX_E_UNSUPPORTED, "identity column \"%s\".\"%s\" must be the whole primary key on SQLite",
				  t->name, id->name);
		return pmx_error_hint(ctx, "Add \"primary_key\": {\"columns\": [\"%s\"]} to table \"%s\".",
							  id->name, t->name);
	}
	if (t->without_rowid)
		return pmx_error(ctx, PMX_E_UNSUPPORTED, "table \"%s\": a WITHOUT ROWID table cannot have an identity column",
						 t->name),
			pmx_error_hint(ctx, "Drop the identity, or the without_rowid option.");
	return PMX_OK;
}

/*
 * With scope "listed" the tables the target leaves out stay, and so do
 * their indexes: a target table or index may not take one of their names
 * (tables and indexes share SQLite's namespace).
 */
static int
check_outside_names(PmxCtx *ctx, PmxSchema *s, PmxSchema *live, PmxMap *used)
{
	for (int i = 0; i < live->ntables; i++)
	{
		PmxTable   *lt = live->tables[i];
		bool		listed = pmx_schema_find(ctx, s, lt->name) != NULL;

		for (int k = 0; k < s->ntables && !listed; k++)
			listed = pmx_ident_eq(s->dialect, s->tables[k]->renamed_from, lt->name);
		if (listed)
			continue;
		if (pmx_map_get(used, lt->name))
		{
			pmx_error(ctx, PMX_E_DUPLICATE, "the target uses the name \"%s\", which table \"%s\" outside the target holds",
					  lt->name, lt->name);
			return pmx_error_hint(ctx, "With scope \"listed\" unlisted tables stay; pick another name.");
		}
		for (int x = 0; x < lt->nindexes; x++)
			if (pmx_map_get(used, lt->indexes[x].name))
			{
				pmx_error(ctx, PMX_E_DUPLICATE, "the target uses the name \"%s\", which an index of table \"%s\" outside the target holds",
						  lt->indexes[x].name, lt->name);
				return pmx_error_hint(ctx, "With scope \"listed\" unlisted tables keep their indexes; pick another name.");
			}
	}
	return PMX_OK;
}

/*
 * PostgreSQL's rules for primary keys and unique constraints, which the
 * shadow no longer sees when it takes plain keys as declared: a column
 * listed twice in one key is refused, and so is a key name that a table,
 * an index or another key of the target already has (PostgreSQL names the
 * key's index after it, and tables and indexes share one namespace).  The
 * names join used.
 */
static int
check_key_names(PmxCtx *ctx, PmxSchema *s, PmxMap *used)
{
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable   *t = s->tables[i];

		for (int k = -1; k < t->nuniques; k++)
		{
			const char *name = k < 0 ? (t->pk ? t->pk->name : NULL) : t->uniques[k].name;

			const PmxNames *cols = k < 0 ? (t->pk ? &t->pk->cols : NULL) : &t->uniques[k].cols;

			for (int c = 0; cols && c < cols->n; c++)
				for (int e = 0; e < c; e++)
					if (strcmp(cols->v[c], cols->v[e]) == 0)
						return pmx_error(ctx, PMX_E_INVALID, "column \"%s\" appears twice in %s of table \"%s\"",
										 cols->v[c], k < 0 ? "the primary key" : "a unique constraint", t->name),
							pmx_error_hint(ctx, "List each column of the key once.");
			if (!name)
				continue;
			if (pmx_map_get(used, name))
			{
				pmx_error(ctx, PMX_E_DUPLICATE, "constraint name \"%s\" of table \"%s\" is already the name of a table, an index or another key",
						  name, t->name);
				pmx_error_detail(ctx, "PostgreSQL gives a primary key's or unique constraint's index the constraint's name, and tables and indexes share one namespace.");
				return pmx_error_hint(ctx, "Give the constraint another name.");
			}
			if (pmx_map_put(used, name, t) != PMX_OK)
				return PMX_ERROR;
		}
	}
	return PMX_OK;
}

/*
 * Validate target against itself (and live, for scope "listed" and for
 * index names); complete FK ref_columns and index names.  PMX_ERROR with
 * the first problem.
 */
int
pmx_validate_target(PmxCtx *ctx, PmxSchema *s, PmxSchema *live,
					const PmxOptions *opts)
{
	PmxMap		tabs,
				used;

	if (pmx_map_init(&tabs, ctx, (size_t) s->ntables, s->dialect != PMX_DIALECT_POSTGRES) != PMX_OK ||
		pmx_map_init(&used, ctx, (size_t) s->ntables, s->dialect != PMX_DIALECT_POSTGRES) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable   *t = s->tables[i];
		PmxTable   *other = pmx_map_get(&tabs, t->name);

		if (other)
			return pmx_error(ctx, PMX_E_DUPLICATE, "table \"%s\" is listed twice in the target", t->name),
				pmx_error_hint(ctx, "Merge the two entries into one.");
		if (pmx_streq_fold(t->name, PMX_LEDGER_TABLE))
			return pmx_error(ctx, PMX_E_INVALID, "table name \"%s\" is reserved for premix's ledger", t->name),
				pmx_error_hint(ctx, "Give the table another name.");
		if (s->dialect == PMX_DIALECT_SQLITE && starts_with_fold(t->name, PMX_TRASH_PREFIX))
			return pmx_error(ctx, PMX_E_INVALID, "table name \"%s\" is reserved for premix's trash", t->name),
				pmx_error_hint(ctx, "Names starting with \"" PMX_TRASH_PREFIX "\" hold what premix keeps of dropped tables and columns; give the table another name.");
		if (pmx_map_put(&tabs, t->name, t) != PMX_OK)
			return PMX_ERROR;
		for (int c = 0; c < t->ncols; c++)
			for (int k = 0; k < c; k++)
				if (pmx_ident_eq(s->dialect, t->cols[c].name, t->cols[k].name))
					return pmx_error(ctx, PMX_E_DUPLICATE, "table \"%s\" lists column \"%s\" twice",
									 t->name, t->cols[c].name),
						pmx_error_hint(ctx, "Remove or rename one of them.");
	}
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable   *t = s->tables[i];

		if (t->renamed_from && !pmx_ident_eq(s->dialect, t->renamed_from, t->name) &&
			pmx_map_get(&tabs, t->renamed_from))
			return pmx_error(ctx, PMX_E_INVALID,
							 "table \"%s\" is renamed_from \"%s\", but the target also lists a table \"%s\"",
							 t->name, t->renamed_from, t->renamed_from),
				pmx_error_hint(ctx, "Drop the hint, or rename in two migrations (first to a name the target does not use).");
		for (int c = 0; c < t->ncols; c++)
		{
			const char *rf = t->cols[c].renamed_from;

			if (rf && !pmx_ident_eq(s->dialect, rf, t->cols[c].name) &&
				pmx_table_find_column(ctx, s->dialect, t, rf))
			{
				pmx_error(ctx, PMX_E_INVALID,
						  "column \"%s\".\"%s\" is renamed_from \"%s\", but the table also lists a column \"%s\"",
						  t->name, t->cols[c].name, rf, rf);
				pmx_error_detail(ctx, "A swap of names cannot be told apart from no change once it has run, so the same target would swap again.");
				return pmx_error_hint(ctx, "Swap in two migrations: first rename \"%s\" to a name the target does not use, then rename it again.", rf);
			}
			if (t->cols[c].collation && s->dialect == PMX_DIALECT_SQLITE)
			{
				if (!(t->cols[c].collation = pmx_upper(ctx, t->cols[c].collation)))
					return PMX_ERROR;
				if (strcmp(t->cols[c].collation, "BINARY") == 0)
					t->cols[c].collation = NULL;
			}
		}
		if (t->pk && check_columns(ctx, s->dialect, t, &t->pk->cols, "the primary key") != PMX_OK)
			return PMX_ERROR;
		for (int u = 0; u < t->nuniques; u++)
			if (check_columns(ctx, s->dialect, t, &t->uniques[u].cols, "a unique constraint") != PMX_OK)
				return PMX_ERROR;
		if (check_identity(ctx, s->dialect, t) != PMX_OK)
			return PMX_ERROR;
		if (t->without_rowid && !t->pk)
			return pmx_error(ctx, PMX_E_INVALID, "table \"%s\" is WITHOUT ROWID and has no primary key", t->name),
				pmx_error_hint(ctx, "Add a primary_key, or drop the without_rowid option.");
	}
	/* tables and named indexes share SQLite's namespace */
	for (int i = 0; i < s->ntables; i++)
		if (pmx_map_put(&used, s->tables[i]->name, s->tables[i]) != PMX_OK)
			return PMX_ERROR;
	for (int i = 0; i < s->ntables; i++)
		for (int k = 0; k < s->tables[i]->nindexes; k++)
		{
			const char *name = s->tables[i]->indexes[k].name;

			if (!name)
				continue;
			if (pmx_map_get(&used, name))
			{
				pmx_error(ctx, PMX_E_DUPLICATE, "index name \"%s\" is used twice", name);
				pmx_error_detail(ctx, "Indexes and tables share one namespace.");
				return pmx_error_hint(ctx, "Give each index its own name, or leave the name out and premix makes one.");
			}
			if (pmx_map_put(&used, name, s->tables[i]) != PMX_OK)
				return PMX_ERROR;
		}
	if (s->dialect == PMX_DIALECT_POSTGRES && check_key_names(ctx, s, &used) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < s->ntables; i++)
		if (check_indexes(ctx, s, live, s->tables[i], &used) != PMX_OK)
			return PMX_ERROR;
	for (int i = 0; i < s->ntables; i++)
		if (check_fks(ctx, s, live, opts, s->tables[i]) != PMX_OK)
			return PMX_ERROR;
	if (live && opts->scope == PMX_SCOPE_LISTED)
		return check_outside_names(ctx, s, live, &used);
	return PMX_OK;
}
