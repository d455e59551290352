/*-------------------------------------------------------------------------
 *
 * pmx_schema_cache.c
 *	  The live model of a connection, kept between calls, keyed by the
 *	  exact catalog rows it was read from.
 *
 * premix_diff(premix_schema()), a preview followed by a migrate: the same
 * unchanged catalog is read and modelled twice.  A host may give its
 * PmxDb a cache; the SQLite reader then still reads sqlite_schema (every
 * table, index, view and trigger with its CREATE text, and the schema
 * cookie) on every call, and when those rows are byte for byte the rows
 * the cached model was built from, it takes a copy of that model instead
 * of running the column and foreign key queries and parsing every CREATE
 * text again.  SQLite derives everything premix reads from those rows, so
 * equal rows give an equal model; the cookie only makes any schema change
 * (even one undone, which leaves the rows equal) start afresh.
 *
 * The model is copied in (on a miss) and out (on a hit) whole, strings
 * included: nothing a call holds points into the cache, and nothing the
 * cache holds points into a call.  A cache is used by one call at a time.
 *
 * IDENTIFICATION
 *	  shared/pmx_schema_cache.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_engine.h"
#include "pmx_model.h"

struct PmxSchemaCache
{
	PmxAllocator alloc;
	PmxPool    *pool;			/* where the model's arena blocks come from */
	PmxCtx	   *ctx;			/* holds key and model; NULL when empty */
	char	   *key;
	size_t		keylen;
	PmxSchema  *model;
	long		hits,
				misses;
};

/* ---- deep copy ---- */

/* Copy a string (NULL stays NULL); false on OOM. */
static bool
copy_str(PmxCtx *ctx, char **s)
{
	return !*s || (*s = pmx_strdup(ctx, *s)) != NULL;
}

/* As copy_str for a const pointer. */
static bool
copy_cstr(PmxCtx *ctx, const char **s)
{
	return !*s || (*s = pmx_strdup(ctx, *s)) != NULL;
}

/* Copy an array of count elements of size bytes; false on OOM. */
static bool
copy_array(PmxCtx *ctx, void *pp, int count, size_t size)
{
	void	  **p = pp;
	void	   *v;

	if (!*p || count <= 0)
	{
		*p = NULL;
		return true;
	}
	if (!(v = pmx_alloc(ctx, size * (size_t) count)))
		return false;
	memcpy(v, *p, size * (size_t) count);
	*p = v;
	return true;
}

/* Copy the strings of a name list whose array is already the copy's. */
static bool
copy_names(PmxCtx *ctx, PmxNames *n)
{
	for (int i = 0; i < n->n; i++)
		if (!copy_str(ctx, &n->v[i]))
			return false;
	return true;
}

/*
 * Replace *tp by a copy in ctx, strings included; false on OOM.  The arrays
 * are pmx_table_clone's; the strings are copied here.
 */
static bool
copy_table(PmxCtx *ctx, PmxTable **tp)
{
	PmxTable   *t = pmx_table_clone(ctx, *tp);

	if (!t)
		return false;
	*tp = t;
	t->maybe_renamed_to = NULL;
	if (!copy_str(ctx, &t->schema) || !copy_str(ctx, &t->name) ||
		!copy_str(ctx, &t->renamed_from) || !copy_str(ctx, &t->comment) ||
		!copy_str(ctx, &t->create_sql) || !copy_str(ctx, &t->live_name) ||
		!copy_cstr(ctx, &t->unmodelled))
		return false;
	for (int i = 0; i < t->ncols; i++)
	{
		PmxColumn  *c = &t->cols[i];

		c->maybe_renamed_to = NULL;
		if (!copy_str(ctx, &c->name) || !copy_str(ctx, &c->type) ||
			!copy_str(ctx, &c->default_expr) || !copy_str(ctx, &c->collation) ||
			!copy_str(ctx, &c->renamed_from) || !copy_str(ctx, &c->comment) ||
			!copy_str(ctx, &c->sequence))
			return false;
	}
	if (t->pk && (!copy_str(ctx, &t->pk->name) || !copy_names(ctx, &t->pk->cols)))
		return false;
	for (int i = 0; i < t->nuniques; i++)
		if (!copy_str(ctx, &t->uniques[i].name) || !copy_names(ctx, &t->uniques[i].cols))
			return false;
	for (int i = 0; i < t->nfks; i++)
	{
		PmxForeignKey *f = &t->fks[i];

		if (!copy_str(ctx, &f->name) || !copy_names(ctx, &f->cols) ||
			!copy_str(ctx, &f->ref_table) || !copy_names(ctx, &f->ref_cols) ||
			!copy_str(ctx, &f->on_delete) || !copy_str(ctx, &f->on_update))
			return false;
	}
	for (int i = 0; i < t->nchecks; i++)
		if (!copy_str(ctx, &t->checks[i].name) || !copy_str(ctx, &t->checks[i].expr))
			return false;
	for (int i = 0; i < t->nindexes; i++)
	{
		PmxIndex   *x = &t->indexes[i];

		if (!copy_str(ctx, &x->name) || !copy_names(ctx, &x->elems) ||
			!copy_str(ctx, &x->where) || !copy_str(ctx, &x->method) ||
			!copy_names(ctx, &x->include) || !copy_str(ctx, &x->renamed_from))
			return false;
	}
	return true;
}

/*
 * A copy of s in ctx that shares no memory with it (arrays and strings
 * copied; diff scratch fields and the columns' and indexes' live names
 * empty, as pmx_table_clone leaves them; the name map rebuilt on demand).
 * NULL on OOM.
 */
PmxSchema *
pmx_schema_copy(PmxCtx *ctx, const PmxSchema *src)
{
	PmxSchema  *s = pmx_alloc(ctx, sizeof(PmxSchema));

	if (!s)
		return NULL;
	*s = *src;
	memset(&s->tabmap, 0, sizeof(s->tabmap));
	s->tabmap_count = -1;
	if (!copy_array(ctx, &s->tables, s->ntables, sizeof(PmxTable *)) ||
		!copy_array(ctx, &s->extras, s->nextras, sizeof(PmxExtra)) ||
		!copy_array(ctx, &s->enums, s->nenums, sizeof(PmxEnum)) ||
		!copy_array(ctx, &s->notes, s->nnotes, sizeof(char *)))
		return NULL;
	s->captables = s->ntables;
	s->capextras = s->nextras;
	s->capenums = s->nenums;
	s->capnotes = s->nnotes;
	for (int i = 0; i < s->ntables; i++)
		if (!copy_table(ctx, &s->tables[i]))
			return NULL;
	for (int i = 0; i < s->nextras; i++)
	{
		PmxExtra   *e = &s->extras[i];

		if (!copy_str(ctx, &e->type) || !copy_str(ctx, &e->name) ||
			!copy_str(ctx, &e->table) || !copy_str(ctx, &e->sql))
			return NULL;
	}
	for (int i = 0; i < s->nenums; i++)
		if (!copy_str(ctx, &s->enums[i].name) ||
			!copy_array(ctx, &s->enums[i].values.v, s->enums[i].values.n, sizeof(char *)) ||
			!copy_names(ctx, &s->enums[i].values))
			return NULL;
	for (int i = 0; i < s->nnotes; i++)
		if (!copy_cstr(ctx, &s->notes[i]))
			return NULL;
	return s;
}

/* ---- the cache ---- */

/* An empty cache over allocator, its blocks from pool (may be NULL); NULL on OOM. */
PmxSchemaCache *
pmx_schema_cache_new(const PmxAllocator *allocator, PmxPool *pool)
{
	PmxSchemaCache *c = allocator->alloc(allocator->ud, sizeof(PmxSchemaCache));

	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->alloc = *allocator;
	c->pool = pool;
	return c;
}

/* Forget the cached model. */
static void
cache_clear(PmxSchemaCache *c)
{
	pmx_ctx_free(c->ctx);
	c->ctx = NULL;
	c->key = NULL;
	c->keylen = 0;
	c->model = NULL;
}

/* Free the cache and its model.  NULL is a no-op. */
void
pmx_schema_cache_free(PmxSchemaCache *c)
{
	if (!c)
		return;
	cache_clear(c);
	c->alloc.free(c->alloc.ud, c);
}

/* Hits and misses so far (for tests and benchmarks). */
void
pmx_schema_cache_stats(const PmxSchemaCache *c, long *hits, long *misses)
{
	*hits = c ? c->hits : 0;
	*misses = c ? c->misses : 0;
}

/*
 * When key is the cached one, *out is a copy of the cached model in ctx
 * and PMX_OK is returned; *out is NULL on a miss.  PMX_ERROR on OOM.
 */
int
pmx_schema_cache_get(PmxCtx *ctx, PmxSchemaCache *c, const char *key, size_t keylen,
					 PmxSchema **out)
{
	*out = NULL;
	if (!c->model || c->keylen != keylen || memcmp(c->key, key, keylen) != 0)
	{
		c->misses++;
		return PMX_OK;
	}
	c->hits++;
	return (*out = pmx_schema_copy(ctx, c->model)) ? PMX_OK : PMX_ERROR;
}

/*
 * Keep a copy of model under key, replacing what was cached.  Out of
 * memory here only leaves the cache empty: the call goes on.
 */
void
pmx_schema_cache_put(PmxSchemaCache *c, const char *key, size_t keylen,
					 const PmxSchema *model)
{
	PmxCtx	   *ctx;

	cache_clear(c);
	if (!(ctx = pmx_ctx_new_pooled(&c->alloc, c->pool)))
		return;
	if (!(c->key = pmx_alloc(ctx, keylen ? keylen : 1)) ||
		!(c->model = pmx_schema_copy(ctx, model)))
	{
		pmx_ctx_free(ctx);
		c->key = NULL;
		c->model = NULL;
		return;
	}
	memcpy(c->key, key, keylen);
	c->keylen = keylen;
	c->ctx = ctx;
}
