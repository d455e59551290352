/*-------------------------------------------------------------------------
 *
 * pmx_model.c
 *	  Building, looking up and ordering the schema model.
 *
 * Tables are found through a hash map (built on first lookup, rebuilt when
 * tables were added since), so the diff stays linear in the number of
 * tables; columns and constraints, which are few per table, are scanned.
 *
 * IDENTIFICATION
 *	  shared/pmx_model.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "pmx_model.h"
#include "pmx_sql.h"

/* A new empty schema; NULL on OOM. */
PmxSchema *
pmx_schema_new(PmxCtx *ctx, PmxDialect dialect)
{
	PmxSchema  *s = pmx_alloc(ctx, sizeof(PmxSchema));

	if (s)
		s->dialect = dialect;
	return s;
}

/* Append an enum type called name (copied); NULL on OOM. */
PmxEnum *
pmx_schema_add_enum(PmxCtx *ctx, PmxSchema *s, const char *name)
{
	PmxEnum    *e;

	if (!PMX_PUSH(ctx, s->enums, s->nenums, s->capenums))
		return NULL;
	e = &s->enums[s->nenums - 1];
	memset(e, 0, sizeof(*e));
	return (e->name = pmx_strdup(ctx, name)) ? e : NULL;
}

/* The enum type called name (exact: PostgreSQL names), or NULL. */
PmxEnum *
pmx_schema_find_enum(PmxSchema *s, const char *name)
{
	for (int i = 0; i < s->nenums; i++)
		if (strcmp(s->enums[i].name, name) == 0)
			return &s->enums[i];
	return NULL;
}

/* Append a table called name (copied); NULL on OOM. */
PmxTable *
pmx_schema_add_table(PmxCtx *ctx, PmxSchema *s, const char *name)
{
	PmxTable   *t = pmx_alloc(ctx, sizeof(PmxTable));

	if (!t || !(t->name = pmx_strdup(ctx, name)))
		return NULL;
	if (!PMX_PUSH(ctx, s->tables, s->ntables, s->captables))
		return NULL;
	s->tables[s->ntables - 1] = t;
	return t;
}

/* Append a nullable column called name (copied); NULL on OOM. */
PmxColumn *
pmx_table_add_column(PmxCtx *ctx, PmxTable *t, const char *name)
{
	PmxColumn  *c;

	if (!PMX_PUSH(ctx, t->cols, t->ncols, t->capcols))
		return NULL;
	c = &t->cols[t->ncols - 1];
	memset(c, 0, sizeof(*c));
	c->nullable = true;
	if (!(c->name = pmx_strdup(ctx, name)))
		return NULL;
	return c;
}

/* Append an empty UNIQUE constraint; NULL on OOM. */
PmxKey *
pmx_table_add_unique(PmxCtx *ctx, PmxTable *t)
{
	if (!PMX_PUSH(ctx, t->uniques, t->nuniques, t->capuniques))
		return NULL;
	memset(&t->uniques[t->nuniques - 1], 0, sizeof(PmxKey));
	return &t->uniques[t->nuniques - 1];
}

/* Append an empty foreign key with NO ACTION actions; NULL on OOM. */
PmxForeignKey *
pmx_table_add_fk(PmxCtx *ctx, PmxTable *t)
{
	PmxForeignKey *fk;

	if (!PMX_PUSH(ctx, t->fks, t->nfks, t->capfks))
		return NULL;
	fk = &t->fks[t->nfks - 1];
	memset(fk, 0, sizeof(*fk));
	fk->on_delete = "no action";
	fk->on_update = "no action";
	return fk;
}

/* Append an empty CHECK; NULL on OOM. */
PmxCheck *
pmx_table_add_check(PmxCtx *ctx, PmxTable *t)
{
	if (!PMX_PUSH(ctx, t->checks, t->nchecks, t->capchecks))
		return NULL;
	memset(&t->checks[t->nchecks - 1], 0, sizeof(PmxCheck));
	return &t->checks[t->nchecks - 1];
}

/* Append an empty btree index; NULL on OOM. */
PmxIndex *
pmx_table_add_index(PmxCtx *ctx, PmxTable *t)
{
	PmxIndex   *ix;

	if (!PMX_PUSH(ctx, t->indexes, t->nindexes, t->capindexes))
		return NULL;
	ix = &t->indexes[t->nindexes - 1];
	memset(ix, 0, sizeof(*ix));
	ix->method = "btree";
	return ix;
}

/* Append an empty view/trigger record; NULL on OOM. */
PmxExtra *
pmx_schema_add_extra(PmxCtx *ctx, PmxSchema *s)
{
	if (!PMX_PUSH(ctx, s->extras, s->nextras, s->capextras))
		return NULL;
	memset(&s->extras[s->nextras - 1], 0, sizeof(PmxExtra));
	return &s->extras[s->nextras - 1];
}

/* Append a copy of str to names; PMX_ERROR on OOM. */
int
pmx_names_push(PmxCtx *ctx, PmxNames *names, const char *str)
{
	char	  **v = pmx_grow(ctx, names->v, (size_t) names->n,
							 (size_t) names->n + 1, sizeof(char *));

	if (!v || !(v[names->n] = pmx_strdup(ctx, str)))
		return PMX_ERROR;
	names->v = v;
	names->n++;
	return PMX_OK;
}

/*
 * Identifier equality as the dialect sees it: SQLite and MySQL fold ASCII
 * case; PostgreSQL identifiers in the model are already case-exact.
 */
bool
pmx_ident_eq(PmxDialect d, const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	if (d == PMX_DIALECT_POSTGRES)
		return strcmp(a, b) == 0;
	return pmx_streq_fold(a, b);
}

/* The table called name, or NULL.  On OOM returns NULL with the error set. */
PmxTable *
pmx_schema_find(PmxCtx *ctx, PmxSchema *s, const char *name)
{
	if (!name)
		return NULL;
	if (s->ntables < 8)
	{
		for (int i = 0; i < s->ntables; i++)
			if (pmx_ident_eq(s->dialect, s->tables[i]->name, name))
				return s->tables[i];
		return NULL;
	}
	if (s->tabmap_count != s->ntables || !s->tabmap.cap)
	{
		if (pmx_map_init(&s->tabmap, ctx, (size_t) s->ntables,
						 s->dialect != PMX_DIALECT_POSTGRES) != PMX_OK)
			return NULL;
		/* first table wins for duplicate names */
		for (int i = s->ntables - 1; i >= 0; i--)
			if (pmx_map_put(&s->tabmap, s->tables[i]->name, s->tables[i]) != PMX_OK)
				return NULL;
		s->tabmap_count = s->ntables;
	}
	return pmx_map_get(&s->tabmap, name);
}

/* Position of the column called name in t, or -1. */
int
pmx_table_column_index(PmxCtx *ctx, PmxDialect d, PmxTable *t, const char *name)
{
	(void) ctx;
	for (int i = 0; i < t->ncols; i++)
		if (pmx_ident_eq(d, t->cols[i].name, name))
			return i;
	return -1;
}

/* The column called name in t, or NULL. */
PmxColumn *
pmx_table_find_column(PmxCtx *ctx, PmxDialect d, PmxTable *t, const char *name)
{
	int			i = pmx_table_column_index(ctx, d, t, name);

	return i < 0 ? NULL : &t->cols[i];
}

/* The index called name on t, or NULL. */
PmxIndex *
pmx_table_find_index(PmxTable *t, PmxDialect d, const char *name)
{
	for (int i = 0; i < t->nindexes; i++)
		if (pmx_ident_eq(d, t->indexes[i].name, name))
			return &t->indexes[i];
	return NULL;
}

/* True when both lists name the same columns in the same order. */
bool
pmx_names_eq(PmxDialect d, const PmxNames *a, const PmxNames *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (!pmx_ident_eq(d, a->v[i], b->v[i]))
			return false;
	return true;
}

/* names joined with sep, in the arena; NULL on OOM. */
char *
pmx_names_join(PmxCtx *ctx, const PmxNames *n, const char *sep)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	for (int i = 0; i < n->n; i++)
	{
		if (i)
			pmx_buf_append(&b, sep);
		pmx_buf_append(&b, n->v[i]);
	}
	return pmx_buf_finish(&b);
}

/* Copy a names array (the strings are shared, they are never edited). */
static int
clone_names(PmxCtx *ctx, PmxNames *n)
{
	char	  **v;

	if (n->n == 0)
		return PMX_OK;
	if (!(v = pmx_alloc(ctx, sizeof(char *) * (size_t) n->n)))
		return PMX_ERROR;
	memcpy(v, n->v, sizeof(char *) * (size_t) n->n);
	n->v = v;
	return PMX_OK;
}

/* Copy an array of count elements of size bytes; NULL stays NULL. */
static void *
clone_array(PmxCtx *ctx, const void *a, int count, size_t size)
{
	void	   *v;

	if (!a || count == 0)
		return NULL;
	if (!(v = pmx_alloc(ctx, size * (size_t) count)))
		return NULL;
	memcpy(v, a, size * (size_t) count);
	return v;
}

/*
 * A copy of t that shares no array with it, so renaming things in one
 * (pmx_rename.c does, in place) leaves the other alone.  Diff scratch
 * fields (peer, changes) start empty.  NULL on OOM.
 */
PmxTable *
pmx_table_clone(PmxCtx *ctx, const PmxTable *t)
{
	PmxTable   *c = pmx_alloc(ctx, sizeof(PmxTable));

	if (!c)
		return NULL;
	*c = *t;
	c->peer = NULL;
	c->changes = NULL;
	c->nchanges = c->capchanges = 0;
	c->fp_text = NULL;
	c->cols = clone_array(ctx, t->cols, t->ncols, sizeof(PmxColumn));
	c->uniques = clone_array(ctx, t->uniques, t->nuniques, sizeof(PmxKey));
	c->fks = clone_array(ctx, t->fks, t->nfks, sizeof(PmxForeignKey));
	c->checks = clone_array(ctx, t->checks, t->nchecks, sizeof(PmxCheck));
	c->indexes = clone_array(ctx, t->indexes, t->nindexes, sizeof(PmxIndex));
	c->capcols = c->ncols;
	c->capuniques = c->nuniques;
	c->capfks = c->nfks;
	c->capchecks = c->nchecks;
	c->capindexes = c->nindexes;
	if ((t->ncols && !c->cols) || (t->nuniques && !c->uniques) || (t->nfks && !c->fks) ||
		(t->nchecks && !c->checks) || (t->nindexes && !c->indexes))
		return NULL;
	for (int i = 0; i < c->ncols; i++)
	{
		c->cols[i].peer = NULL;
		c->cols[i].live_name = NULL;
	}
	if (t->pk)
	{
		if (!(c->pk = clone_array(ctx, t->pk, 1, sizeof(PmxKey))) || clone_names(ctx, &c->pk->cols) != PMX_OK)
			return NULL;
	}
	for (int i = 0; i < c->nuniques; i++)
		if (clone_names(ctx, &c->uniques[i].cols) != PMX_OK)
			return NULL;
	for (int i = 0; i < c->nfks; i++)
		if (clone_names(ctx, &c->fks[i].cols) != PMX_OK ||
			clone_names(ctx, &c->fks[i].ref_cols) != PMX_OK)
			return NULL;
	for (int i = 0; i < c->nindexes; i++)
	{
		c->indexes[i].peer = NULL;
		c->indexes[i].live_name = NULL;
		if (clone_names(ctx, &c->indexes[i].elems) != PMX_OK ||
			clone_names(ctx, &c->indexes[i].include) != PMX_OK)
			return NULL;
	}
	return c;
}

/* ---------------------------------------------------------- ordering */

/* Enum types by name. */
static int
cmp_enum(const void *a, const void *b)
{
	return strcmp(((const PmxEnum *) a)->name, ((const PmxEnum *) b)->name);
}

/* strcmp with NULL first. */
static int
cmp_str_null(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : (b ? -1 : 0);
	return strcmp(a, b);
}

/* Name lists in lexical order. */
static int
cmp_names(const PmxNames *a, const PmxNames *b)
{
	for (int i = 0; i < a->n && i < b->n; i++)
	{
		int			c = strcmp(a->v[i], b->v[i]);

		if (c)
			return c;
	}
	return a->n - b->n;
}

/* qsort order of tables: schema, name. */
static int
cmp_table(const void *x, const void *y)
{
	const PmxTable *a = *(PmxTable * const *) x;
	const PmxTable *b = *(PmxTable * const *) y;
	int			c = cmp_str_null(a->schema, b->schema);

	return c ? c : strcmp(a->name, b->name);
}

/* qsort order of keys: name, columns. */
static int
cmp_key(const void *x, const void *y)
{
	const PmxKey *a = x,
			   *b = y;
	int			c = cmp_str_null(a->name, b->name);

	return c ? c : cmp_names(&a->cols, &b->cols);
}

/* qsort order of foreign keys: name, columns, target. */
static int
cmp_fk(const void *x, const void *y)
{
	const PmxForeignKey *a = x,
			   *b = y;
	int			c = cmp_str_null(a->name, b->name);

	if (!c)
		c = cmp_names(&a->cols, &b->cols);
	if (!c)
		c = strcmp(a->ref_table, b->ref_table);
	return c ? c : cmp_names(&a->ref_cols, &b->ref_cols);
}

/* qsort order of checks: name, expression. */
static int
cmp_check(const void *x, const void *y)
{
	const PmxCheck *a = x,
			   *b = y;
	int			c = cmp_str_null(a->name, b->name);

	return c ? c : strcmp(a->expr, b->expr);
}

/* qsort order of indexes: name. */
static int
cmp_index(const void *x, const void *y)
{
	const PmxIndex *a = x,
			   *b = y;
	int			c = cmp_str_null(a->name, b->name);

	/* unnamed (not yet named) indexes: by definition, for a stable order */
	if (!c)
		c = cmp_names(&a->elems, &b->elems);
	if (!c)
		c = cmp_str_null(a->where, b->where);
	return c ? c : (int) a->unique - (int) b->unique;
}

/* qsort order of views and triggers: type, name. */
static int
cmp_extra(const void *x, const void *y)
{
	const PmxExtra *a = x,
			   *b = y;
	int			c = strcmp(a->type, b->type);

	return c ? c : strcmp(a->name, b->name);
}

/*
 * Put the schema in canonical order: tables by (schema, name), constraints
 * by name then definition, indexes by name.  Columns keep their position.
 */
void
pmx_schema_sort(PmxSchema *s)
{
	if (s->nenums > 1)
		qsort(s->enums, (size_t) s->nenums, sizeof(PmxEnum), cmp_enum);
	if (s->ntables > 1)
		qsort(s->tables, (size_t) s->ntables, sizeof(PmxTable *), cmp_table);
	s->tabmap_count = -1;
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable   *t = s->tables[i];

		if (t->nuniques > 1)
			qsort(t->uniques, (size_t) t->nuniques, sizeof(PmxKey), cmp_key);
		if (t->nfks > 1)
			qsort(t->fks, (size_t) t->nfks, sizeof(PmxForeignKey), cmp_fk);
		if (t->nchecks > 1)
			qsort(t->checks, (size_t) t->nchecks, sizeof(PmxCheck), cmp_check);
		if (t->nindexes > 1)
			qsort(t->indexes, (size_t) t->nindexes, sizeof(PmxIndex), cmp_index);
	}
	if (s->nextras > 1)
		qsort(s->extras, (size_t) s->nextras, sizeof(PmxExtra), cmp_extra);
}

/* Append a parenthesized list of quoted names: ("a", "b"). */
void
pmx_buf_names(PmxBuf *b, const PmxNames *n)
{
	pmx_buf_putc(b, '(');
	for (int i = 0; i < n->n; i++)
	{
		if (i)
			pmx_buf_append(b, ", ");
		pmx_buf_ident(b, n->v[i]);
	}
	pmx_buf_putc(b, ')');
}

/* Append a parenthesized list of string literals: ('a', 'b'). */
void
pmx_buf_literals(PmxBuf *b, const PmxNames *n)
{
	pmx_buf_putc(b, '(');
	for (int i = 0; i < n->n; i++)
	{
		if (i)
			pmx_buf_append(b, ", ");
		pmx_buf_literal(b, n->v[i]);
	}
	pmx_buf_putc(b, ')');
}

/* Append "CONSTRAINT name " when the constraint has a name. */
void
pmx_buf_constraint_name(PmxBuf *b, const char *name)
{
	if (!name)
		return;
	pmx_buf_append(b, "CONSTRAINT ");
	pmx_buf_ident(b, name);
	pmx_buf_putc(b, ' ');
}
