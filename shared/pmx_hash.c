/*-------------------------------------------------------------------------
 *
 * pmx_hash.c
 *	  String-keyed map with open addressing, in the context arena.
 *
 * Used wherever the diff or the introspection looks names up, so that the
 * whole pipeline stays linear in the number of tables and columns.  Keys
 * are borrowed (they must outlive the map, which arena strings do).  A map
 * made with fold=true compares ASCII letters case-insensitively, as SQLite
 * compares identifiers.
 *
 * IDENTIFICATION
 *	  shared/pmx_hash.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_internal.h"

/* FNV-1a over the key, folding ASCII case when asked. */
static uint64_t
map_hash(const char *key, bool fold)
{
	uint64_t	h = 1469598103934665603ULL;

	for (const unsigned char *p = (const unsigned char *) key; *p; p++)
	{
		unsigned char c = *p;

		if (fold && c >= 'A' && c <= 'Z')
			c = (unsigned char) (c + 32);
		h ^= c;
		h *= 1099511628211ULL;
	}
	return h;
}

/* Key equality, folding ASCII case when the map does. */
static bool
map_keq(const char *a, const char *b, bool fold)
{
	return fold ? pmx_streq_fold(a, b) : strcmp(a, b) == 0;
}

/*
 * Prepare an empty map sized for about expected keys.  PMX_ERROR on OOM.
 */
int
pmx_map_init(PmxMap *m, PmxCtx *ctx, size_t expected, bool fold)
{
	size_t		cap = 16;

	while (cap < expected * 2)
		cap *= 2;
	m->ctx = ctx;
	m->cap = cap;
	m->n = 0;
	m->fold = fold;
	m->keys = pmx_alloc(ctx, cap * sizeof(char *));
	m->vals = pmx_alloc(ctx, cap * sizeof(void *));
	if (!m->keys || !m->vals)
		return PMX_ERROR;
	return PMX_OK;
}

/* Double the table; PMX_ERROR on OOM. */
static int
map_grow(PmxMap *m)
{
	PmxMap		bigger;

	if (pmx_map_init(&bigger, m->ctx, m->cap, m->fold) != PMX_OK)
		return PMX_ERROR;
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i] && pmx_map_put(&bigger, m->keys[i], m->vals[i]) != PMX_OK)
			return PMX_ERROR;
	*m = bigger;
	return PMX_OK;
}

/* Insert or replace key -> val.  PMX_ERROR on OOM. */
int
pmx_map_put(PmxMap *m, const char *key, void *val)
{
	size_t		i;

	if ((m->n + 1) * 2 > m->cap && map_grow(m) != PMX_OK)
		return PMX_ERROR;
	i = (size_t) map_hash(key, m->fold) & (m->cap - 1);
	while (m->keys[i])
	{
		if (map_keq(m->keys[i], key, m->fold))
		{
			m->vals[i] = val;
			return PMX_OK;
		}
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
	return PMX_OK;
}

/* The value stored under key, or NULL. */
void *
pmx_map_get(const PmxMap *m, const char *key)
{
	size_t		i;

	if (!m->cap || !key)
		return NULL;
	i = (size_t) map_hash(key, m->fold) & (m->cap - 1);
	while (m->keys[i])
	{
		if (map_keq(m->keys[i], key, m->fold))
			return m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	return NULL;
}
