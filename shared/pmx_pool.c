/*-------------------------------------------------------------------------
 *
 * pmx_pool.c
 *	  Arena blocks kept between calls.
 *
 * A diff of a 1,000-table schema works in some 30 MB of arena.  Returned
 * to the C library at the end of the call, that memory goes back to the
 * system and the next call faults it in again page by page, which cost
 * more than all of premix's own work.  A host therefore keeps a pool per
 * connection or backend: contexts made with pmx_ctx_new_pooled take their
 * blocks from it and give them back when freed.
 *
 * Blocks are pooled by size class, the powers of two from PMX_BLOCK_SIZE
 * to PMX_BLOCK_MAX usable bytes (the arena only asks for those); a block
 * of any other size, or one that would take the pool past keep_bytes, is
 * freed at once.  A pool is used by one call at a time (a connection's
 * calls are serialized by its host), nested calls included.
 *
 * IDENTIFICATION
 *	  shared/pmx_pool.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_internal.h"

#define NCLASSES 7				/* 64 KB .. 4 MB */

_Static_assert((PMX_BLOCK_SIZE << (NCLASSES - 1)) == PMX_BLOCK_MAX,
			   "size classes cover PMX_BLOCK_SIZE .. PMX_BLOCK_MAX");

struct PmxPool
{
	PmxAllocator alloc;
	size_t		keep_bytes;		/* the most the pool holds */
	size_t		kept;			/* what it holds now (usable + header) */
	PmxArenaBlock *free[NCLASSES];	/* kept blocks by class */
};

/* The class of a block of size usable bytes, or -1 when it has none. */
static int
size_class(size_t size)
{
	for (int c = 0; c < NCLASSES; c++)
		if (size == ((size_t) PMX_BLOCK_SIZE << c))
			return c;
	return -1;
}

/* A new empty pool over allocator; NULL on OOM. */
PmxPool *
pmx_pool_new(const PmxAllocator *allocator, size_t keep_bytes)
{
	PmxPool    *pool = allocator->alloc(allocator->ud, sizeof(PmxPool));

	if (!pool)
		return NULL;
	memset(pool, 0, sizeof(*pool));
	pool->alloc = *allocator;
	pool->keep_bytes = keep_bytes;
	return pool;
}

/* Free every kept block and the pool.  NULL is a no-op. */
void
pmx_pool_free(PmxPool *pool)
{
	PmxAllocator a;

	if (!pool)
		return;
	a = pool->alloc;
	for (int c = 0; c < NCLASSES; c++)
		while (pool->free[c])
		{
			PmxArenaBlock *b = pool->free[c];

			pool->free[c] = b->next;
			a.free(a.ud, b);
		}
	a.free(a.ud, pool);
}

/* Bytes the pool holds now. */
size_t
pmx_pool_kept(const PmxPool *pool)
{
	return pool ? pool->kept : 0;
}

/* A kept block of exactly size usable bytes, emptied; NULL when none. */
PmxArenaBlock *
pmx_pool_take(PmxPool *pool, size_t size)
{
	int			c = size_class(size);
	PmxArenaBlock *b;

	if (c < 0 || !(b = pool->free[c]))
		return NULL;
	pool->free[c] = b->next;
	pool->kept -= PMX_BLOCK_HEADER + size;
	b->next = NULL;
	b->used = 0;
	return b;
}

/* A new block of size usable bytes from the pool's allocator; NULL on OOM. */
PmxArenaBlock *
pmx_pool_alloc(PmxPool *pool, size_t size)
{
	PmxArenaBlock *b = pool->alloc.alloc(pool->alloc.ud, PMX_BLOCK_HEADER + size);

	if (b)
	{
		b->next = NULL;
		b->size = size;
		b->used = 0;
	}
	return b;
}

/* Keep b for a later call, or free it when it has no class or no room. */
void
pmx_pool_give(PmxPool *pool, PmxArenaBlock *b)
{
	int			c = size_class(b->size);
	size_t		bytes = PMX_BLOCK_HEADER + b->size;

	if (c < 0 || pool->kept + bytes > pool->keep_bytes)
	{
		pool->alloc.free(pool->alloc.ud, b);
		return;
	}
	b->next = pool->free[c];
	pool->free[c] = b;
	pool->kept += bytes;
}
